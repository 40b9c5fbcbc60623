/* store_programme.h — the SQL of a programme's page (programme.c): its
 * funding by kind and currency, in-kind support, countries, needs,
 * sessions delivered, documents, and the overview of every programme.
 * Multilingual text is three columns fr, en, ar, as page_i18n() reads
 * them; strings in rows are valid during the callback only. */
#ifndef SUIVI_STORE_PROGRAMME_H
#define SUIVI_STORE_PROGRAMME_H
#include <stdbool.h>

#include "store.h"
#include "store_training.h"

struct store_programme {
	long long id;
	char currency[4];
	bool has_budget;
	long long budget;
};
/* APP_NOT_FOUND when there is none. */
MUST_CHECK enum app_err store_programme_get(struct store *st, long long id, struct store_programme *out);

/* Columns of store_programme_transaction_sums rows: per kind and currency, the sum of
 * the amounts and the number of transactions. */
enum { SPT_KIND = 0, SPT_CURRENCY = 1, SPT_SUM = 2, SPT_COUNT = 3 };
MUST_CHECK enum app_err store_programme_transaction_sums(struct store *st, long long programme, row_fn fn, void *ctx);

/* Columns of store_programme_contributions rows, by start date. */
enum {
	SPC_ID = 0, SPC_KIND = 1, SPC_DESCRIPTION = 2 /* 3 */, SPC_START = 5, SPC_END = 6, SPC_VALUE = 7,
	SPC_CURRENCY = 8, SPC_PROVIDER = 9, SPC_PROVIDER_NAME = 10 /* 3 */, SPC_PROVIDER_ACRONYM = 13,
};
MUST_CHECK enum app_err store_programme_contributions(struct store *st, long long programme, row_fn fn, void *ctx);

/* Columns of store_programme_countries rows: the beneficiary countries, by code. */
enum { SPK_CODE = 0, SPK_NAME = 1 /* 3 */ };
MUST_CHECK enum app_err store_programme_countries(struct store *st, long long programme, row_fn fn, void *ctx);

/* Columns of store_programme_needs rows: the needs the programme answers, by country
 * then theme; only country's when country is not NULL (a focal point). */
enum {
	SPN_ID = 0, SPN_COUNTRY = 1, SPN_COUNTRY_NAME = 2 /* 3 */, SPN_THEME = 5, SPN_THEME_NAME = 6 /* 3 */,
	SPN_SEVERITY = 9, SPN_STATUS = 10, SPN_ASSESSED = 11,
};
MUST_CHECK enum app_err store_programme_needs(struct store *st, long long programme, const char *country, row_fn fn, void *ctx);

/* Columns of store_programme_sessions rows: the sessions delivered under the programme,
 * newest first, with the counts of their enrolments (from SPS_COUNTS on, as
 * store_training_row_counts reads them). */
enum {
	SPS_ID = 0, SPS_COURSE = 1, SPS_COURSE_TITLE = 2 /* 3 */, SPS_START = 5, SPS_END = 6, SPS_VENUE = 7,
	SPS_STATUS = 8, SPS_COUNTS = 9,
};
MUST_CHECK enum app_err store_programme_sessions(struct store *st, long long programme, row_fn fn, void *ctx);
/* The counts of the enrolments in its sessions (people: distinct
 * participants with a completed enrolment). */
MUST_CHECK enum app_err store_programme_training(struct store *st, long long programme, struct store_training_counts *out);


/* Columns of store_programme_overview rows: every programme (only those organisation
 * funder funds when funder > 0), by start date, with the sums of its
 * transactions in its own currency and its countries ("MA,SN"). */
enum {
	SPO_ID = 0, SPO_TITLE = 1 /* 3 */, SPO_STATUS = 4, SPO_CURRENCY = 5, SPO_BUDGET = 6, SPO_INCOMING = 7,
	SPO_COMMITTED = 8, SPO_DISBURSED = 9, SPO_SPENT = 10, SPO_COUNTRIES = 11, SPO_SAMPLE = 12,
};
MUST_CHECK enum app_err store_programme_overview(struct store *st, long long funder, row_fn fn, void *ctx);

#endif
