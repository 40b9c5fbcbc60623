/* store_results.h — the SQL of the results framework (results.c): an
 * indicator with its programme, its periods, and the training records a
 * computed indicator counts.  Multilingual text is three columns fr, en,
 * ar, as page_i18n() reads them; strings in rows are valid during the
 * callback only. */
#ifndef SUIVI_STORE_RESULTS_H
#define SUIVI_STORE_RESULTS_H
#include <stdbool.h>

#include "store.h"
#include "store_training.h"

/* What results.c needs of one indicator. */
struct store_results_indicator {
	long long id;
	long long programme; /* through its result */
	char computed[24];   /* manual | people_trained | completion_rate | knowledge_gain */
	char measure[16];    /* unit | percentage */
	bool ascending;
	bool has_baseline;
	long long baseline;
};

/* One indicator: APP_NOT_FOUND when there is none. */
MUST_CHECK enum app_err store_results_indicator_get(struct store *st, long long id, struct store_results_indicator *out);

/* Columns of store_results_programme_indicators rows: every indicator of a programme,
 * by result level (output, outcome, impact), result, then indicator. */
enum {
	SRI_ID = 0, SRI_TITLE = 1 /* 3 */, SRI_RESULT = 4, SRI_LEVEL = 5, SRI_RESULT_TITLE = 6 /* 3 */,
	SRI_MEASURE = 9, SRI_ASCENDING = 10, SRI_BASELINE_YEAR = 11, SRI_BASELINE = 12, SRI_COMPUTED = 13,
};
MUST_CHECK enum app_err store_results_programme_indicators(struct store *st, long long programme, row_fn fn, void *ctx);

/* Columns of store_results_periods rows: the periods of an indicator, by start date,
 * the total row (no sex, no country) of each first, then its sex rows,
 * then its country rows (by code). */
enum {
	SRP_ID = 0, SRP_START = 1, SRP_END = 2, SRP_SEX = 3, SRP_COUNTRY = 4, SRP_TARGET = 5, SRP_ACTUAL = 6,
	SRP_COMMENT = 7 /* 3 */, SRP_COUNTRY_NAME = 10 /* 3 */,
};
MUST_CHECK enum app_err store_results_periods(struct store *st, long long indicator, row_fn fn, void *ctx);

/* The total row of the latest period of indicator that has started on or
 * before as_of (YYYY-MM-DD): *found false when there is none.  target and
 * actual are -1 with has_* false when NULL. */
struct store_results_period {
	char start[11], end[11];
	bool has_target, has_actual;
	long long target, actual;
};
MUST_CHECK enum app_err store_results_latest_period(struct store *st, long long indicator, const char *as_of,
					 struct store_results_period *out, bool *found);

/* The training records of a programme's sessions that end in [start, end]
 * (a session without an end date ends on its start date; cancelled
 * sessions are left out), optionally only participants of one sex and/or
 * country (NULL: any): their counts, with the sums of their record keys
 * (sdc.h), the people trained (distinct participants with a completed
 * enrolment) and the sum of the knowledge gains. */
MUST_CHECK enum app_err store_results_training(struct store *st, long long programme, const char *start, const char *end,
				    const char *sex, const char *country, struct store_training_counts *out);

#endif
