/* store_forum.h — the SQL of events and of the forum (DESIGN M5): who
 * registered for a meeting and came, the counts by role and by country,
 * the programmes a rater may rate, and the per-programme evidence of the
 * forum report (scores, funding, training, open needs, comments).
 *
 * Row layouts are given by the enums below (columns in that order). */
#ifndef SUIVI_STORE_FORUM_H
#define SUIVI_STORE_FORUM_H
#include <stdbool.h>

#include "store.h"

/* The registrations of a meeting, by person name: REG_* columns. */
enum reg_col {
	REG_ID, REG_PERSON, REG_PERSON_NAME, REG_ORG, REG_ORG_NAME /* 3 columns fr en ar */,
	REG_ORG_ACRONYM = REG_ORG_NAME + 3, REG_COUNTRY, REG_COUNTRY_NAME /* 3 columns */,
	REG_ROLE = REG_COUNTRY_NAME + 3, REG_ATTENDED, REG_VERSION,
};

/* Every registration of meeting (country non-NULL: only that country's, a
 * focal point's reading), at most limit rows. */
MUST_CHECK enum app_err store_forum_registrations(struct store *st, long long meeting, const char *country, long long limit,
				       row_fn fn, void *ctx);

/* Counts of registrations of meeting grouped by role (by_country false:
 * columns key, registered, attended) or by country (key, name fr en ar,
 * registered, attended; key NULL for those without a country). */
MUST_CHECK enum app_err store_forum_registration_counts(struct store *st, long long meeting, bool by_country, row_fn fn,
					     void *ctx);

/* The programmes a rater may rate: those whose beneficiary countries
 * include country (rater beneficiary) or which organisation funds (rater
 * donor); columns id, title fr en ar.  One of country/organisation. */
MUST_CHECK enum app_err store_forum_rateable(struct store *st, const char *country, long long organisation, row_fn fn, void *ctx);
/* Is programme among them? */
MUST_CHECK enum app_err store_forum_may_rate(struct store *st, long long programme, const char *country, long long organisation,
				  bool *yes);

/* The rules of a rating sheet that read other records (the evaluation
 * entity's check_store): its meeting is a forum; a beneficiary rates a
 * programme that benefits its country, a donor one it funds. */
MUST_CHECK enum app_err store_forum_sheet_check(struct store *st, const struct record *r, struct ferrs *errs);

/* The programmes of the forum report: those rated at meeting, and those
 * under way (implementation, finalisation); funder > 0 keeps only the
 * programmes it funds.  At most limit rows (*total: how many in all).
 * FP_* columns. */
enum fp_col {
	FP_ID, FP_TITLE /* 3 */, FP_STATUS = FP_TITLE + 3, FP_BUDGET, FP_CURRENCY, FP_IATI,
	FP_COMMITTED, FP_DISBURSED, FP_SPENT, /* transactions in the programme's currency */
};
MUST_CHECK enum app_err store_forum_programmes(struct store *st, long long meeting, long long funder, long long limit,
				    long long *total, row_fn fn, void *ctx);

/* The sums of scores given at meeting to programme, one row per rater
 * kind: rater, n, then the sums of the six criteria in DAC order. */
MUST_CHECK enum app_err store_forum_scores(struct store *st, long long meeting, long long programme, row_fn fn, void *ctx);

/* Open needs (open, being_addressed) the programme answers, most severe
 * first: id, country, country name fr en ar, theme, theme name fr en ar,
 * severity, status. */
MUST_CHECK enum app_err store_forum_needs(struct store *st, long long programme, row_fn fn, void *ctx);

/* The sheets of programme at meeting that carry a comment: rater, country,
 * organisation, rater's name (country or organisation) fr en ar, then the
 * six comments in DAC order. */
MUST_CHECK enum app_err store_forum_comments(struct store *st, long long meeting, long long programme, row_fn fn, void *ctx);

#endif
