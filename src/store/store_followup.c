/* store_followup.c — see store_followup.h.  Hand-written SQL over the
 * registry's tables (action, outcome, meeting, organisation, action_update
 * and the link table outcome_themes), in the subset SQLite and PostgreSQL
 * share.  Every value is bound; nothing from outside becomes SQL. */
#define _POSIX_C_SOURCE 200809L
#include "store_followup.h"

#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

/* The computed `late` of model.c, over the action aliased a; one '?' for today. */
#define LATE_EXPR "CASE WHEN a.due_date < ? AND a.status NOT IN ('done','dropped') THEN 1 ELSE 0 END"

/* The WHERE clause of f over action a (no join: the counts then read the
 * covering index action_followup of migration 6 alone). */
static void where(struct stmt *s, const struct store_followup_filter *f)
{
	buf_adds(&s->sql, " WHERE 1 = 1");
	if (f->meeting)
		stmt_add(s, " AND a.outcome IN (SELECT o.id FROM outcome o WHERE o.meeting = ?)", BIND(p_int(f->meeting)));
	if (f->outcome)
		stmt_add(s, " AND a.outcome = ?", BIND(p_int(f->outcome)));
	if (f->owner)
		stmt_add(s, " AND a.owner = ?", BIND(p_int(f->owner)));
	if (f->theme)
		stmt_add(s, " AND EXISTS (SELECT 1 FROM outcome_themes ot WHERE ot.outcome = a.outcome AND ot.theme = ?)",
			 BIND(p_text(f->theme)));
	if (f->status)
		stmt_add(s, " AND a.status = ?", BIND(p_text(f->status)));
	if (f->late == 1)
		stmt_add(s, " AND a.due_date < ? AND a.status NOT IN ('done','dropped')", BIND(p_text(s->today)));
	else if (f->late == 0)
		stmt_add(s, " AND (a.due_date IS NULL OR a.due_date >= ? OR a.status IN ('done','dropped'))",
			 BIND(p_text(s->today)));
	if (f->due_after)
		stmt_add(s, " AND a.due_date >= ?", BIND(p_text(f->due_after)));
	if (f->due_before)
		stmt_add(s, " AND a.due_date <= ?", BIND(p_text(f->due_before)));
}

/* Undated actions last on both backends (SQLite would sort NULL first);
 * both read the page off the index action_due_status. */
#define ORDER " ORDER BY a.due_date NULLS LAST, a.id"

enum app_err store_followup_list(struct store *st, const struct store_followup_filter *f, long long limit,
				 long long offset, row_fn fn, void *ctx)
{
	struct stmt s;
	stmt_init(&s);
	stmt_add(&s, "SELECT a.id, a.title_fr, a.title_en, a.title_ar, a.outcome, o.number, "
		     "o.text_fr, o.text_en, o.text_ar, o.meeting, m.title_fr, m.title_en, m.title_ar, "
		     "m.edition, a.owner, g.name_fr, g.name_en, g.name_ar, g.acronym, a.due_date, "
		     "a.status, a.percent, " LATE_EXPR ", a.version, a.sample",
		 BIND(p_text(s.today)));
	/* The page is chosen first: the joins that only name things run for
	 * its rows, not for every row OFFSET skips. */
	buf_adds(&s.sql, " FROM (SELECT a.* FROM action a");
	where(&s, f);
	buf_adds(&s.sql, ORDER);
	if (limit >= 0)
		stmt_add(&s, " LIMIT ? OFFSET ?", BIND(p_int(limit), p_int(offset)));
	buf_adds(&s.sql, ") a JOIN outcome o ON o.id = a.outcome JOIN meeting m ON m.id = o.meeting "
			 "LEFT JOIN organisation g ON g.id = a.owner" ORDER);
	return store_walk(st, &s, fn, ctx);
}

static enum app_err count_row(void *ctx, const struct row *row)
{
	struct store_followup_counts *k = ctx;
	const char *status = row_text(row, 0);
	long long n = row_int(row, 1);
	if (!status)
		return APP_OK;
	if (strcmp(status, "planned") == 0)
		k->planned += n;
	else if (strcmp(status, "in_progress") == 0)
		k->in_progress += n;
	else if (strcmp(status, "done") == 0)
		k->done += n;
	else if (strcmp(status, "dropped") == 0)
		k->dropped += n;
	else
		return APP_OK; /* not a status of ours: not counted in total either */
	k->total += n;
	k->late += row_int(row, 2);
	k->percent_sum += row_int(row, 3);
	return APP_OK;
}

enum app_err store_followup_count(struct store *st, const struct store_followup_filter *f,
				  struct store_followup_counts *out)
{
	memset(out, 0, sizeof *out);
	struct stmt s;
	stmt_init(&s);
	stmt_add(&s, "SELECT a.status, COUNT(*), SUM(" LATE_EXPR "), SUM(a.percent) FROM action a", BIND(p_text(s.today)));
	where(&s, f);
	buf_adds(&s.sql, " GROUP BY a.status");
	return store_walk(st, &s, count_row, out);
}

enum app_err store_followup_updates(struct store *st, const long long *ids, int n, row_fn fn, void *ctx)
{
	if (n <= 0)
		return APP_OK;
	if (n > FU_UPDATES_MAX_IDS)
		n = FU_UPDATES_MAX_IDS;
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "SELECT u.action, u.id, u.date, u.percent, u.note_fr, u.note_en, u.note_ar "
			 "FROM action_update u WHERE u.review_state = 'approved' AND u.action IN (");
	for (int i = 0; i < n; i++)
		stmt_add(&s, i ? ", ?" : "?", BIND(p_int(ids[i])));
	buf_adds(&s.sql, ") ORDER BY u.action, u.date DESC, u.id DESC");
	return store_walk(st, &s, fn, ctx);
}

/* ---- the report ----------------------------------------------------------- */

#define COUNT_STATUS(v) "SUM(CASE WHEN a.status = '" v "' THEN 1 ELSE 0 END)"

enum app_err store_followup_outcomes(struct store *st, long long meeting, row_fn fn, void *ctx)
{
	struct stmt s;
	stmt_init(&s);
	stmt_add(&s, "SELECT o.id, o.number, o.text_fr, o.text_en, o.text_ar, o.kind, COUNT(a.id), "
		     COUNT_STATUS("planned") ", " COUNT_STATUS("in_progress") ", "
		     COUNT_STATUS("done") ", " COUNT_STATUS("dropped") ", SUM(" LATE_EXPR "), "
		     "SUM(a.percent) FROM outcome o LEFT JOIN action a ON a.outcome = o.id "
		     "WHERE o.meeting = ? GROUP BY o.id, o.number, o.text_fr, o.text_en, o.text_ar, "
		     "o.kind ORDER BY CASE WHEN o.number IS NULL THEN 1 ELSE 0 END, o.number, o.id",
		 BIND(p_text(s.today), p_int(meeting)));
	return store_walk(st, &s, fn, ctx);
}

enum app_err store_followup_previous(struct store *st, long long meeting, long long *prev)
{
	*prev = 0;
	return store_value(st, "SELECT COALESCE(m.previous, (SELECT p.id FROM meeting p "
			       "WHERE p.kind = 'strategic_dialogue' AND p.start_date < m.start_date AND p.id <> m.id "
			       "ORDER BY p.start_date DESC, p.id DESC LIMIT 1), 0) FROM meeting m WHERE m.id = ?",
			   BIND(p_int(meeting)), prev, NULL);
}

/* The first update of action a that reaches 100 %. */
#define FIRST_FULL                                                                                        \
	"(SELECT MIN(u.date) FROM action_update u WHERE u.action = a.id AND u.percent >= 100 AND "       \
	"u.review_state = 'approved')"

enum app_err store_followup_progress(struct store *st, long long meeting, const char *at, row_fn fn, void *ctx)
{
	return store_each(st, "SELECT a.id, a.title_fr, a.title_en, a.title_ar, g.name_fr, g.name_en, "
			      "g.name_ar, g.acronym, a.status, a.percent, "
			      "(SELECT u.percent FROM action_update u WHERE u.action = a.id AND "
			      "u.percent IS NOT NULL AND u.date <= ? AND u.review_state = 'approved' "
			      "ORDER BY u.date DESC, u.id DESC LIMIT 1), "
			      FIRST_FULL ", o.number, substr(a.updated_at, 1, 10) "
			      "FROM action a JOIN outcome o ON o.id = a.outcome "
			      "LEFT JOIN organisation g ON g.id = a.owner WHERE o.meeting = ? "
			      "ORDER BY CASE WHEN o.number IS NULL THEN 1 ELSE 0 END, o.number, a.id",
			  BIND(p_text(at), p_int(meeting)), fn, ctx);
}

const char *store_followup_closed_on(const char *status, const char *first_full, const char *updated)
{
	if (!status || (strcmp(status, "done") != 0 && strcmp(status, "dropped") != 0))
		return NULL;
	return first_full ? first_full : updated;
}

struct closings {
	char (*dates)[11];
	int n, cap;
	long long total;
};

static enum app_err closing_row(void *ctx, const struct row *row)
{
	struct closings *k = ctx;
	k->total++;
	const char *on = store_followup_closed_on(row_text(row, 0), row_text(row, 1), row_text(row, 2));
	if (!on)
		return APP_OK;
	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 64;
		k->dates = xrealloc(k->dates, (size_t)k->cap * sizeof *k->dates);
	}
	memset(k->dates[k->n], 0, 11);
	memcpy(k->dates[k->n], on, strnlen(on, 10));
	k->n++;
	return APP_OK;
}

static int by_date(const void *x, const void *y)
{
	return strcmp(x, y);
}

enum app_err store_followup_burndown(struct store *st, long long meeting, const char *start,
				     struct store_followup_point **points, int *n)
{
	*points = NULL;
	*n = 0;
	struct closings k = { 0 };
	enum app_err rc = store_each(st, "SELECT a.status, " FIRST_FULL ", substr(a.updated_at, 1, 10) "
					 "FROM action a JOIN outcome o ON o.id = a.outcome WHERE o.meeting = ?",
				     BIND(p_int(meeting)), closing_row, &k);
	char today[11];
	util_today(today);
	if (rc) {
		free(k.dates);
		return rc;
	}
	if (k.n)
		qsort(k.dates, (size_t)k.n, sizeof *k.dates, by_date);
	struct store_followup_point *p = xcalloc((size_t)k.n + 2, sizeof *p);
	int np = 0;
	snprintf(p[np].date, sizeof p[np].date, "%.10s", start);
	p[np++].open = k.total;
	long long open = k.total;
	for (int i = 0; i < k.n; i++) {
		open--;
		/* closed before the meeting started (data entered so): at the start */
		const char *on = strcmp(k.dates[i], p[0].date) < 0 ? p[0].date : k.dates[i];
		if (strcmp(p[np - 1].date, on) == 0) {
			p[np - 1].open = open;
		} else {
			snprintf(p[np].date, sizeof p[np].date, "%s", on);
			p[np++].open = open;
		}
	}
	if (strcmp(today, p[np - 1].date) > 0) {
		snprintf(p[np].date, sizeof p[np].date, "%s", today);
		p[np++].open = open;
	}
	free(k.dates);
	*points = p;
	*n = np;
	return APP_OK;
}
