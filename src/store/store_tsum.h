/* store_tsum.h — the training summaries behind the effectiveness
 * dashboard (issue 6), kept up to date on write.
 *
 * The dashboard's figures are sums over enrolments by year (of the
 * session's start), country, agency and sex (of the participant), theme and
 * course.  A plain GROUP BY over 10⁶ enrolments takes about 0.7 s, so the
 * sums are kept in summary tables (migration 8), one row per cell:
 *
 *   training_cell  year, country, agency, sex, theme, course  (every key)
 *   tsum_ycast     year, country, agency, sex, theme
 *   tsum_ycst      year, country, sex, theme
 *   tsum_ycas      year, country, agency, sex
 *   tsum_yast      year, agency, sex, theme
 *   tsum_yst       year, sex, theme
 *   tsum_ystk      year, sex, theme, course
 *   tsum_cytk      country, year, theme, course
 *
 * A figure reads the smallest table that holds its filters and its grouping
 * (store_tsum_figure).  An absent agency, sex or theme is '' in the
 * tables (a NULL would defeat the unique keys the upserts rely on).
 *
 * Every cell holds: enrolments, completed, person_days (Σ days attended),
 * n_scores (enrolments with both a pre- and a post-test score), sum_pre,
 * sum_post, sum_gain (Σ post − pre), sum_gain2 (Σ (post − pre)²), n_sat,
 * sum_sat, and people; and (migration 11) the sums of the record keys of
 * the enrolments, the completed ones, those with both scores, those with a
 * satisfaction, and of the people counted (their participants' keys):
 * key_enrolments, key_completed, key_scores, key_sat, key_people — summable
 * like the rest, they give every published cell its cell key (sdc.h).
 *
 * "People trained" must be summable across cells, and distinct people are
 * not: a person counts once, in the cell of their FIRST completed enrolment
 * (by session start date, then enrolment number).  So with no filter, or
 * filters on country, agency and sex (the participant's own attributes),
 * `people` is exactly the number of distinct people with a completed
 * enrolment; by year, theme or course it is the people first trained
 * then / there ("newly trained people") — the pages say so.
 *
 * Upkeep: the registry's hooks (hooks.c) of enrolments, participants,
 * training sessions and courses call tsum_*_before/after around every
 * insert, update and delete of one of them, in the write's transaction.  Before the write the contributions
 * of every enrolment of the participants concerned are subtracted (into
 * training_delta), after it the new ones added, and the difference applied
 * to every table with one upsert each.  A participant's change (country,
 * agency, sex) moves its enrolments; a session's (date, course) or a
 * course's (theme) moves the enrolments of its participants.  Bulk writes
 * (imports, suivi demo --scale) call store_tsum_refresh once at the
 * end instead. */
#ifndef SUIVI_STORE_TSUM_H
#define SUIVI_STORE_TSUM_H
#include <stdbool.h>

#include "buf.h"
#include "entity.h"
#include "err.h"
#include "record.h"
#include "store.h"

struct store;
struct conn;

enum store_tsum_dim { TD_YEAR, TD_COUNTRY, TD_AGENCY, TD_SEX, TD_THEME, TD_COURSE, TD__MAX };
#define TD_BIT(d) (1u << (d))

extern const char *const store_tsum_dim_name[TD__MAX]; /* "year", "country", ... as in the tables and URLs */

struct store_tsum {
	long long enrolments, completed, person_days, n_scores, sum_pre, sum_post, sum_gain, sum_gain2,
		n_sat, sum_sat, people;
	/* the sums of the record keys of what each count counts (sdc.h) */
	long long key_enrolments, key_completed, key_scores, key_sat, key_people;
};

/* What a figure covers: each non-NULL value fixes its dimension (the
 * course as its number, in text). */
struct store_tsum_filter {
	const char *v[TD__MAX];
};

/* Called once per group of a figure, in key order; keys[d] is the group's
 * value of each grouped dimension d (NULL for the others; '' is "none"). */
typedef enum app_err (*store_tsum_fn)(void *ctx, const char *const keys[TD__MAX], const struct store_tsum *m);

/* The sums of the cells matching f, grouped by the dimensions in `group`
 * (a set of TD_BITs; 0: one total row), from the smallest summary table
 * that can answer. */
MUST_CHECK enum app_err store_tsum_figure(struct store *st, const struct store_tsum_filter *f, unsigned group,
			       store_tsum_fn fn, void *ctx);

/* ---- upkeep: the registry's hooks of enrolments, participants, training
 * sessions and courses (hooks.c), in the write's transaction ---- */

/* Which participants a write concerns. */
struct store_tsum_touch {
	long long ids[2];
	int nids;
	const char *pset; /* or: an SQL subquery over one parameter, key */
	long long key;
};

/* Before the write: subtracts the contributions of every enrolment of the
 * participants it concerns; after it: adds them back as they now are and
 * applies the difference to the summaries.  Nothing when the write changes
 * nothing they count (a session's venue).  (Defined in pairs by
 * store_tsum.c's UPKEEP_HOOKS.) */
MUST_CHECK enum app_err store_tsum_enrolment_before(struct store *st, struct write *w);
MUST_CHECK enum app_err store_tsum_enrolment_after(struct store *st, struct write *w);
MUST_CHECK enum app_err store_tsum_participant_before(struct store *st, struct write *w);
MUST_CHECK enum app_err store_tsum_participant_after(struct store *st, struct write *w);
MUST_CHECK enum app_err store_tsum_session_before(struct store *st, struct write *w);
MUST_CHECK enum app_err store_tsum_session_after(struct store *st, struct write *w);
MUST_CHECK enum app_err store_tsum_course_before(struct store *st, struct write *w);
MUST_CHECK enum app_err store_tsum_course_after(struct store *st, struct write *w);

/* The DDL of migration `version` (store.c's migrate, through the
 * enrolments' hooks, hooks.c): 8 made the summary tables, 11 added the
 * sums of record keys. */
void store_tsum_ddl(struct buf *b, int version);
/* After migration `version`'s DDL and record keys, in its transaction:
 * recomputes the summaries when it added measures. */
MUST_CHECK enum app_err store_tsum_migrated(struct conn *c, int version);

/* ---- bulk writes, checks ---- */

/* After enrolments numbered above `since` were written in bulk (inside the
 * caller's transaction, or its own): brings the summaries up to date for
 * their participants. */
MUST_CHECK enum app_err store_tsum_refresh(struct store *st, long long since);
/* Recomputes every summary from the enrolments (its own transaction). */
MUST_CHECK enum app_err store_tsum_rebuild(struct store *st);
/* Recomputes every participant's match key (names.h), after rows were
 * copied without it (suivi copy); its own transaction, or the caller's. */
MUST_CHECK enum app_err store_tsum_rekey(struct store *st);
/* Compares every summary table with a GROUP BY from scratch over the
 * enrolments: *diffs receives the number of cells that differ (0: all
 * consistent), *cells the number of non-empty cells of training_cell. */
MUST_CHECK enum app_err store_tsum_check(struct store *st, long long *diffs, long long *cells);

/* ---- participants: matching, duplicates, merge ---- */

typedef enum app_err (*store_tsum_match_fn)(void *ctx, long long id, const char *birth_date, const char *document);
/* Calls fn for each participant whose match key (names.h) is key. */
MUST_CHECK enum app_err store_tsum_match(struct store *st, const char *key, store_tsum_match_fn fn, void *ctx);
/* Is there a record numbered id of e (participant, training_session)? */
MUST_CHECK enum app_err store_tsum_exists(struct store *st, const struct entity *e, long long id, bool *yes);
/* Is the participant enrolled in the session? */
MUST_CHECK enum app_err store_tsum_enrolled(struct store *st, long long participant, long long session, bool *yes);
/* The participants that share a match key with another (at most max_groups
 * keys): rows of match_key, id, family_name, given_names, country,
 * birth_date, document_number, agency, enrolments; by key then id. */
MUST_CHECK enum app_err store_tsum_duplicates(struct store *st, int max_groups, row_fn fn, void *ctx);
/* Merges participant `from` into `into`, in one transaction: every
 * enrolment moves to `into` — where both were enrolled in one session, the
 * more complete enrolment is kept and the other deleted — then `from` is
 * deleted; the summaries follow; one audit entry (participant `from`,
 * action "merge") holds report, the JSON {"merged", "into", "moved": [enrolment
 * ids], "dropped": [{"enrolment", "session", "kept"}]}, also left in report.
 * APP_NOT_FOUND when either is missing, APP_INVALID when from == into. */
MUST_CHECK enum app_err store_tsum_merge(struct store *st, long long from, long long into, struct buf *report,
			      const char *actor);

#endif
