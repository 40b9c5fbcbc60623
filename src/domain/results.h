/* results.h — the results framework (DESIGN M5): a programme's results →
 * indicators → periods, with the actual values of computed indicators
 * drawn from the training records of the programme's sessions, and the
 * progress of each toward its target.
 *
 * Computed actuals (indicator.computed ≠ manual) count the enrolments in
 * the sessions of the indicator's programme (training_session.programme)
 * that END within the period (a session without an end date ends on its
 * start date; cancelled sessions are left out):
 *   people_trained   distinct participants with a completed enrolment;
 *   completion_rate  completed / enrolled × 100, rounded to a whole percent;
 *   knowledge_gain   mean of post − pre over the enrolments that have both
 *                    scores, rounded to whole points (halves away from 0).
 * A disaggregation row narrows to the participants of its sex or country.
 * Manual indicators keep the actual typed in the period.
 *
 * The HTTP side (record sections, the values API) is in results_http.c. */
#ifndef SUIVI_RESULTS_H
#define SUIVI_RESULTS_H
#include <stdbool.h>

#include "app.h"
#include "err.h"
#include "i18n.h"
#include "store_results.h"

/* Progress from baseline toward target: (actual − baseline) / (target −
 * baseline).  The same expression holds for a descending indicator (lower
 * is better: (baseline − actual) / (baseline − target)), so `ascending`
 * only says which way is good.  0 at the baseline, 1 at the target, may be
 * below 0 or above 1.  false (nothing measured) when target equals
 * baseline. */
bool results_progress(long long baseline, long long target, long long actual, double *progress);

/* progress clamped to 0…1, for a bar. */
double results_clamp(double progress);

/* One period's actual value of a computed indicator for the period
 * [start, end] (YYYY-MM-DD), its total (sex and country NULL) or one
 * disaggregation cell (sex "female"/"male", country ISO2), exact (for
 * staff) or as readers who are not staff may see it (sdc.h: counts
 * rounded to a multiple of 5, a rate from the rounded counts, a mean gain
 * over at least 10 scored enrolments, nothing for 1 to 4 enrolments or
 * people).  has: there is a figure (not when there is nothing to compute
 * from or to show, nor for a manual indicator: the typed actual is then
 * the period's own); n: the enrolments it is computed from (the scored
 * ones for a gain), as shown. */
struct rcomputed {
	bool has, hidden;
	long long actual, n;
};
/* APP_NOT_FOUND: no such indicator. */
MUST_CHECK enum app_err results_period_actual(struct app *app, long long indicator, const char *start, const char *end,
				   const char *sex, const char *country, bool exact, struct rcomputed *out);

/* The achievement of a programme's indicators: for each indicator, the
 * latest period (its total row) that has started by the date, its target
 * and actual (typed, or computed from training records), and the progress
 * toward the target from the baseline (a missing baseline counts as 0).
 * An indicator is measured when that period has a target, an actual and a
 * target different from the baseline.  mean_progress is the mean of the
 * measured indicators' progress each clamped to 0…1 (overachieving one
 * target does not make up for another); -1 when none is measured. */
struct achievement {
	int indicators;
	int measured;
	double mean_progress;
};
MUST_CHECK enum app_err results_programme_achievement(struct app *app, long long programme, bool exact, struct achievement *out);
/* The same at as_of (YYYY-MM-DD; NULL: today). */
MUST_CHECK enum app_err results_programme_achievement_at(struct app *app, long long programme, const char *as_of, bool exact,
					      struct achievement *out);

/* Every period row of an indicator (results.c fills in the computed
 * actuals), in store_results_periods order: each period's total row first, then its
 * sex rows, then its country rows. */
struct rvalue {
	long long id;
	char start[11], end[11];
	char sex[8];                   /* "" for the total or a country row */
	char country[3];               /* "" for the total or a sex row */
	char *country_name[LANG__MAX]; /* owned; NULL when none */
	bool has_target, has_actual;
	long long target, actual;
	bool computed;                 /* actual computed from training records */
	long long enrolments;          /* … from this many enrolments (as shown) */
	bool hidden;                   /* computed, but too few people to show (sdc.h) */
	bool has_progress;             /* total rows: progress from the baseline */
	double progress;
};
struct rvalues {
	struct store_results_indicator ind;
	struct rvalue *v;
	size_t n;
};
/* Computed actuals exact, or as readers who are not staff may see them
 * (see results_period_actual).  APP_NOT_FOUND: no such indicator.  Free
 * with results_values_free. */
MUST_CHECK enum app_err results_values(struct app *app, long long indicator, bool exact, struct rvalues *out);
void results_values_free(struct rvalues *v);

#endif
