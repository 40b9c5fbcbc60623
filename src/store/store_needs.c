/* store_needs.c — see store_needs.h. */
#define _POSIX_C_SOURCE 200809L
#include "store_needs.h"

#include "store_int.h"
#include "util.h"
#include "banned.h"

/* What addresses a need and when that counts as "active": one row per
 * REFS field of the need entity.  The training and programme issues add
 * their link tables here (courses with sessions to come, running
 * programmes). */
static const struct {
	const char *link;   /* link table: need_<field> */
	const char *target; /* the referred entity's table and link column */
	const char *active; /* SQL condition on the target row "x" */
} addressers[] = {
	{ "need_actions", "action", "x.status IN ('planned', 'in_progress')" },
	/* a course with a session to come or running */
	{ "need_courses", "course",
	  "EXISTS (SELECT 1 FROM training_session s WHERE s.course = x.id AND s.status IN ('planned', 'open', 'running'))" },
	/* a programme under way or about to be */
	{ "programme_needs", "programme", "x.status IN ('pipeline', 'implementation')" },
};

/* Only approved assessments count (review.h). */
#define APPROVED "review_state = 'approved'"

/* SELECT list shared by both queries, in enum need_col order. */
static void select_columns(struct buf *sql)
{
	buf_adds(sql, "SELECT n.id, n.country, n.theme, n.assessed_on, n.severity, n.status, n.source, n.sample, (");
	for (size_t i = 0; i < sizeof addressers / sizeof *addressers; i++)
		buf_printf(sql, "%s(SELECT COUNT(*) FROM %s l JOIN %s x ON x.id = l.%s WHERE l.need = n.id AND %s)",
			   i ? " + " : "", addressers[i].link, addressers[i].target, addressers[i].target,
			   addressers[i].active);
	buf_adds(sql, ") AS addressed");
}

enum app_err store_needs_latest(struct store *st, const struct needs_filter *f, row_fn fn,
				void *ctx)
{
	char today[11];
	const char *as_of = f->as_of;
	if (!as_of) {
		util_today(today);
		as_of = today;
	}
	struct stmt s;
	stmt_init(&s);
	/* The cells that have assessments (the need_cell index holds them in
	 * order), then each one's latest on or before as_of: one index probe
	 * per cell rather than a comparison with every other assessment. */
	buf_adds(&s.sql, "SELECT * FROM (");
	select_columns(&s.sql);
	buf_adds(&s.sql, " FROM (SELECT DISTINCT country, theme FROM need WHERE " APPROVED);
	if (f->country)
		stmt_add(&s, " AND country = ?", BIND(p_text(f->country)));
	if (f->theme)
		stmt_add(&s, " AND theme = ?", BIND(p_text(f->theme)));
	stmt_add(&s, ") k JOIN need n ON n.id = (SELECT m.id FROM need m WHERE m.country = k.country"
		     " AND m.theme = k.theme AND m.assessed_on <= ? AND m." APPROVED " ORDER BY m.assessed_on DESC, m.id DESC LIMIT 1)",
		 BIND(p_text(as_of)));
	buf_adds(&s.sql, ") cell");
	if (f->gaps) {
		buf_printf(&s.sql, " WHERE severity >= %d AND status <> 'met' AND addressed = 0", NEED_GAP_SEVERITY);
	}
	buf_adds(&s.sql, " ORDER BY country, theme");
	return store_walk(st, &s, fn, ctx);
}

enum app_err store_needs_history(struct store *st, const char *country, row_fn fn, void *ctx)
{
	struct stmt s;
	stmt_init(&s);
	select_columns(&s.sql);
	stmt_add(&s, " FROM need n WHERE n.country = ? AND n." APPROVED " ORDER BY n.theme, n.assessed_on, n.id", BIND(p_text(country)));
	return store_walk(st, &s, fn, ctx);
}
