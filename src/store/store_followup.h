/* store_followup.h — the SQL of the follow-up board and of the follow-up
 * report: actions with their outcome, meeting and owner in one query,
 * counts by status in one GROUP BY, the progress updates of a page of
 * actions in one query, and the per-edition aggregates of the report.
 *
 * Rows are handed to a row_fn in the column layouts below (FU_*, FUU_*,
 * FUO_*, FUP_*); multilingual text is three columns fr, en, ar, as
 * page_i18n() reads them.  Strings in rows are valid during the callback
 * only. */
#ifndef SUIVI_STORE_FOLLOWUP_H
#define SUIVI_STORE_FOLLOWUP_H
#include "store.h"

/* Which actions: every set member narrows (0 / NULL: any). */
struct store_followup_filter {
	long long meeting;      /* the edition (meeting) the action's outcome belongs to */
	long long outcome;
	long long owner;        /* organisation */
	const char *theme;      /* theme code, through the outcome's themes */
	const char *status;     /* planned | in_progress | done | dropped */
	int late;               /* -1 any, 1 late only, 0 not late */
	const char *due_after;  /* YYYY-MM-DD: due on or after */
	const char *due_before; /* YYYY-MM-DD: due on or before */
};

#define FU_FILTER_INIT { .late = -1 }

/* Columns of store_followup_list rows. */
enum {
	FU_ID = 0,
	FU_TITLE = 1,          /* 3 columns */
	FU_OUTCOME = 4,
	FU_OUTCOME_NUMBER = 5,
	FU_OUTCOME_TEXT = 6,   /* 3 columns */
	FU_MEETING = 9,
	FU_MEETING_TITLE = 10, /* 3 columns */
	FU_EDITION = 13,
	FU_OWNER = 14,         /* NULL when none */
	FU_OWNER_NAME = 15,    /* 3 columns */
	FU_OWNER_ACRONYM = 18,
	FU_DUE = 19,
	FU_STATUS = 20,
	FU_PERCENT = 21,
	FU_LATE = 22,          /* 0 or 1 */
	FU_VERSION = 23,
	FU_SAMPLE = 24,
	FU__COLS
};

/* The actions matching f, by due date (undated last), then number;
 * limit < 0: every one. */
MUST_CHECK enum app_err store_followup_list(struct store *st, const struct store_followup_filter *f, long long limit,
				 long long offset, row_fn fn, void *ctx);

struct store_followup_counts {
	long long planned, in_progress, done, dropped;
	long long late;        /* among the above */
	long long total;       /* the sum of the four statuses */
	long long percent_sum; /* for the mean percent */
};

/* Counts of the actions matching f, by status (one GROUP BY). */
MUST_CHECK enum app_err store_followup_count(struct store *st, const struct store_followup_filter *f,
				  struct store_followup_counts *out);

/* Columns of store_followup_updates rows. */
enum { FUU_ACTION = 0, FUU_ID = 1, FUU_DATE = 2, FUU_PERCENT = 3, FUU_NOTE = 4 /* 3 columns */ };

/* The progress updates of the n actions ids (n <= FU_UPDATES_MAX_IDS), in
 * one query, ordered by action, then newest first. */
#define FU_UPDATES_MAX_IDS 50
MUST_CHECK enum app_err store_followup_updates(struct store *st, const long long *ids, int n, row_fn fn, void *ctx);

/* ---- the report of one edition ---------------------------------------------- */

/* Columns of store_followup_outcomes rows: each outcome of the meeting with the counts
 * of its actions. */
enum {
	FUO_ID = 0, FUO_NUMBER = 1, FUO_TEXT = 2 /* 3 */, FUO_KIND = 5, FUO_TOTAL = 6,
	FUO_PLANNED = 7, FUO_IN_PROGRESS = 8, FUO_DONE = 9, FUO_DROPPED = 10, FUO_LATE = 11,
	FUO_PERCENT_SUM = 12,
};
MUST_CHECK enum app_err store_followup_outcomes(struct store *st, long long meeting, row_fn fn, void *ctx);

/* The edition before meeting: its `previous` field, else the latest
 * strategic dialogue that started before it.  *prev = 0 when none. */
MUST_CHECK enum app_err store_followup_previous(struct store *st, long long meeting, long long *prev);

/* Columns of store_followup_progress rows: the actions of meeting with their percent
 * at a date (the last update dated on or before it that gives a percent;
 * NULL when there is none), the date of their first update reaching 100 %
 * and of their last change (for store_followup_closed_on). */
enum {
	FUP_ID = 0, FUP_TITLE = 1 /* 3 */, FUP_OWNER_NAME = 4 /* 3 */, FUP_OWNER_ACRONYM = 7,
	FUP_STATUS = 8, FUP_PERCENT = 9, FUP_PERCENT_AT = 10, FUP_FIRST_FULL = 11,
	FUP_OUTCOME_NUMBER = 12, FUP_UPDATED = 13,
};
MUST_CHECK enum app_err store_followup_progress(struct store *st, long long meeting, const char *at, row_fn fn, void *ctx);

/* One point of the burn-down: the number of open actions on a date. */
struct store_followup_point {
	char date[11];
	long long open;
};

/* The open actions of meeting over time, from its start date to today:
 * an action is open from the start of the meeting that agreed its outcome
 * until it is closed; a done or dropped action is closed on the date of
 * its first update that reaches 100 %, else on the date its record last
 * changed; planned and in-progress actions are open today.  *points
 * (caller frees) holds *n points, one per date the count changes, the
 * first at the meeting's start and the last today (or at the last closing
 * date when that is later).  start is the meeting's start date. */
MUST_CHECK enum app_err store_followup_burndown(struct store *st, long long meeting, const char *start,
				     struct store_followup_point **points, int *n);

/* A closing date as store_followup_burndown defines it, from an action's status, its
 * first 100 % update date (or NULL) and its updated_at; NULL when open. */
const char *store_followup_closed_on(const char *status, const char *first_full, const char *updated);

#endif
