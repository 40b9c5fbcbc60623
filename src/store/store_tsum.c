/* store_tsum.c — see store_tsum.h. */
#define _POSIX_C_SOURCE 200809L
#include "store_tsum.h"

#include <stddef.h>
#include <string.h>

#include "names.h"
#include "store_int.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

const char *const store_tsum_dim_name[TD__MAX] = { "year", "country", "agency", "sex", "theme", "course" };

/* The order of the dimensions in every table's key (country first: a focal
 * point's figures, the commonest filter, read a range of the key). */
static const enum store_tsum_dim key_order[TD__MAX] = { TD_COUNTRY, TD_YEAR, TD_AGENCY, TD_SEX, TD_THEME, TD_COURSE };

/* Each dimension as computed from an enrolment e of session s of course k
 * by participant p. */
static const char *const dim_expr[TD__MAX] = {
	"substr(s.start_date, 1, 4)", "p.country", "COALESCE(p.agency, '')", "COALESCE(p.sex, '')",
	"COALESCE(k.theme, '')", "s.course",
};

#define BOTH "e.pre_score IS NOT NULL AND e.post_score IS NOT NULL"
#define COMPLETED "COALESCE(e.completed, 0) = 1"
/* The participant's first completed enrolment among those selected (the
 * window runs over every enrolment of the participants concerned). */
#define FIRST_COMPLETED                                                                     \
	COMPLETED " AND ROW_NUMBER() OVER (PARTITION BY e.participant "                     \
		  "ORDER BY COALESCE(e.completed, 0) DESC, s.start_date, e.id) = 1"

/* What a cell holds: each measure is the sum of its expression over the
 * cell's enrolments.  The key_ measures are the sums of the record keys
 * (entity.h: F_RKEY) of the records each count counts — the enrolments, the
 * completed ones, those with both scores, those with a satisfaction, and the
 * people (their participant's key) — from which the dashboard draws the
 * rounding of that count for readers who are not staff (sdc.h). */
static const struct measure {
	const char *name, *expr;
	int since;  /* the migration that added it */
	size_t off; /* in struct store_tsum */
} measures[] = {
	{ "enrolments", "1", 8, offsetof(struct store_tsum, enrolments) },
	{ "completed", "COALESCE(e.completed, 0)", 8, offsetof(struct store_tsum, completed) },
	{ "person_days", "COALESCE(e.days_attended, 0)", 8, offsetof(struct store_tsum, person_days) },
	{ "n_scores", "CASE WHEN " BOTH " THEN 1 ELSE 0 END", 8, offsetof(struct store_tsum, n_scores) },
	{ "sum_pre", "CASE WHEN " BOTH " THEN e.pre_score ELSE 0 END", 8, offsetof(struct store_tsum, sum_pre) },
	{ "sum_post", "CASE WHEN " BOTH " THEN e.post_score ELSE 0 END", 8, offsetof(struct store_tsum, sum_post) },
	{ "sum_gain", "CASE WHEN " BOTH " THEN e.post_score - e.pre_score ELSE 0 END", 8, offsetof(struct store_tsum, sum_gain) },
	{ "sum_gain2", "CASE WHEN " BOTH " THEN (e.post_score - e.pre_score) * (e.post_score - e.pre_score) ELSE 0 END", 8,
	  offsetof(struct store_tsum, sum_gain2) },
	{ "n_sat", "CASE WHEN e.satisfaction IS NOT NULL THEN 1 ELSE 0 END", 8, offsetof(struct store_tsum, n_sat) },
	{ "sum_sat", "COALESCE(e.satisfaction, 0)", 8, offsetof(struct store_tsum, sum_sat) },
	/* a person counts once, on their first completed enrolment */
	{ "people", "CASE WHEN " FIRST_COMPLETED " THEN 1 ELSE 0 END", 8, offsetof(struct store_tsum, people) },
	{ "key_enrolments", "e.rkey", 11, offsetof(struct store_tsum, key_enrolments) },
	{ "key_completed", "CASE WHEN " COMPLETED " THEN e.rkey ELSE 0 END", 11, offsetof(struct store_tsum, key_completed) },
	{ "key_scores", "CASE WHEN " BOTH " THEN e.rkey ELSE 0 END", 11, offsetof(struct store_tsum, key_scores) },
	{ "key_sat", "CASE WHEN e.satisfaction IS NOT NULL THEN e.rkey ELSE 0 END", 11, offsetof(struct store_tsum, key_sat) },
	{ "key_people", "CASE WHEN " FIRST_COMPLETED " THEN p.rkey ELSE 0 END", 11, offsetof(struct store_tsum, key_people) },
};
#define NM ((int)(sizeof measures / sizeof *measures))
#define TABLES_SINCE 8 /* the migration that made the tables */

#define ALL_DIMS ((1u << TD__MAX) - 1)

static const struct table {
	const char *name;
	unsigned dims;
} tables[] = {
	{ "training_cell", ALL_DIMS },
	{ "tsum_ycast", ALL_DIMS & ~TD_BIT(TD_COURSE) },
	{ "tsum_ycst", TD_BIT(TD_YEAR) | TD_BIT(TD_COUNTRY) | TD_BIT(TD_SEX) | TD_BIT(TD_THEME) },
	{ "tsum_ycas", TD_BIT(TD_YEAR) | TD_BIT(TD_COUNTRY) | TD_BIT(TD_AGENCY) | TD_BIT(TD_SEX) },
	{ "tsum_yast", TD_BIT(TD_YEAR) | TD_BIT(TD_AGENCY) | TD_BIT(TD_SEX) | TD_BIT(TD_THEME) },
	{ "tsum_yst", TD_BIT(TD_YEAR) | TD_BIT(TD_SEX) | TD_BIT(TD_THEME) },
	/* by course: a course has one theme, so these have as many cells as
	 * without the theme */
	{ "tsum_ystk", TD_BIT(TD_YEAR) | TD_BIT(TD_SEX) | TD_BIT(TD_THEME) | TD_BIT(TD_COURSE) },
	{ "tsum_cytk", TD_BIT(TD_COUNTRY) | TD_BIT(TD_YEAR) | TD_BIT(TD_THEME) | TD_BIT(TD_COURSE) },
};
#define NTABLES (sizeof tables / sizeof *tables)

/* Rough numbers of values per dimension, to estimate a table's cells. */
static const double dim_card[TD__MAX] = { 12, 55, 9, 3, 14, 40 };

static double table_size(unsigned dims)
{
	double n = 1;
	for (int d = 0; d < TD__MAX; d++)
		if ((dims & TD_BIT(d)) && !(d == TD_THEME && (dims & TD_BIT(TD_COURSE))))
			n *= dim_card[d];
	return n;
}

/* The dimensions of dims in key order, comma-separated, each prefixed. */
static void dim_list(struct buf *b, unsigned dims, const char *prefix)
{
	int n = 0;
	for (int i = 0; i < TD__MAX; i++)
		if (dims & TD_BIT(key_order[i]))
			buf_printf(b, "%s%s%s", n++ ? ", " : "", prefix, store_tsum_dim_name[key_order[i]]);
}

/* "(m1 <> 0 OR m2 <> 0 ...)" over expressions fmt % measure. */
static void nonzero(struct buf *b, const char *fmt)
{
	buf_adds(b, "(");
	for (int m = 0; m < NM; m++) {
		buf_adds(b, m ? " OR " : "");
		buf_printf(b, fmt, measures[m].name);
		buf_adds(b, " <> 0");
	}
	buf_adds(b, ")");
}

/* The per-cell sums of the selected enrolments: SELECT dims, sums FROM ...
 * WHERE `where` GROUP BY dims (the caller binds where's parameters). */
static void contrib_select(struct buf *b, const char *sign, const char *where)
{
	buf_adds(b, "SELECT ");
	dim_list(b, ALL_DIMS, "");
	for (int m = 0; m < NM; m++)
		buf_printf(b, ", %ssum(%s)", sign, measures[m].name);
	buf_adds(b, " FROM (SELECT ");
	for (int d = 0; d < TD__MAX; d++)
		buf_printf(b, "%s AS %s, ", dim_expr[d], store_tsum_dim_name[d]);
	for (int m = 0; m < NM; m++)
		buf_printf(b, "%s%s AS %s", m ? ", " : "", measures[m].expr, measures[m].name);
	buf_printf(b, " FROM enrolment e JOIN training_session s ON s.id = e.session"
		      " JOIN participant p ON p.id = e.participant JOIN course k ON k.id = s.course"
		      " WHERE %s) x GROUP BY ", where);
	dim_list(b, ALL_DIMS, "");
}

/* Adds the contributions (sign "-" or "") of every enrolment of the
 * participants of t (those numbered at most `bound` when bound >= 0) to
 * training_delta. */
static enum app_err contrib(struct conn *c, const char *sign, const struct store_tsum_touch *t, long long since,
			    long long bound)
{
	struct stmt s;
	stmt_init(&s);
	struct buf where = BUF_INIT;
	if (since == 0) {
		buf_adds(&where, "1 = 1");
	} else if (since > 0) {
		buf_adds(&where, "e.participant IN (SELECT participant FROM enrolment WHERE id > ?)");
		stmt_int(&s, since);
	} else if (t->pset) {
		buf_printf(&where, "e.participant IN (%s)", t->pset);
		stmt_int(&s, t->key);
	} else {
		buf_adds(&where, "e.participant IN (");
		for (int i = 0; i < t->nids; i++) {
			buf_adds(&where, i ? ", ?" : "?");
			stmt_int(&s, t->ids[i]);
		}
		buf_adds(&where, ")");
	}
	if (bound >= 0) {
		buf_adds(&where, " AND e.id <= ?");
		stmt_int(&s, bound);
	}
	buf_adds(&s.sql, "INSERT INTO training_delta (");
	dim_list(&s.sql, ALL_DIMS, "");
	for (int m = 0; m < NM; m++)
		buf_printf(&s.sql, ", %s", measures[m].name);
	buf_adds(&s.sql, ") ");
	contrib_select(&s.sql, sign, buf_cstr(&where));
	buf_release(&where);
	enum app_err rc = conn_run(c, &s, NULL);
	stmt_release(&s);
	return rc;
}

/* Applies training_delta to every summary table and empties it.  The
 * cells are written in key order (two PostgreSQL writers then take their
 * row locks in the same order). */
static enum app_err flush(struct conn *c)
{
	enum app_err rc = APP_OK;
	for (size_t i = 0; i < NTABLES && !rc; i++) {
		const struct table *t = &tables[i];
		struct stmt s;
		stmt_init(&s);
		buf_printf(&s.sql, "INSERT INTO %s (", t->name);
		dim_list(&s.sql, t->dims, "");
		for (int m = 0; m < NM; m++)
			buf_printf(&s.sql, ", %s", measures[m].name);
		buf_adds(&s.sql, ") SELECT ");
		dim_list(&s.sql, t->dims, "");
		for (int m = 0; m < NM; m++)
			buf_printf(&s.sql, ", sum(%s)", measures[m].name);
		buf_adds(&s.sql, " FROM training_delta WHERE 1 = 1 GROUP BY ");
		dim_list(&s.sql, t->dims, "");
		buf_adds(&s.sql, " HAVING ");
		nonzero(&s.sql, "sum(%s)");
		buf_adds(&s.sql, " ORDER BY ");
		dim_list(&s.sql, t->dims, "");
		buf_adds(&s.sql, " ON CONFLICT (");
		dim_list(&s.sql, t->dims, "");
		buf_adds(&s.sql, ") DO UPDATE SET ");
		for (int m = 0; m < NM; m++)
			buf_printf(&s.sql, "%s%s = %s.%s + excluded.%s", m ? ", " : "", measures[m].name, t->name,
				   measures[m].name, measures[m].name);
		rc = conn_run(c, &s, NULL);
		stmt_release(&s);
	}
	if (!rc)
		rc = conn_exec(c, "DELETE FROM training_delta");
	return rc;
}

/* ---- upkeep on every write ------------------------------------------------------- */

static void touch_add(struct store_tsum_touch *t, long long id)
{
	for (int i = 0; i < t->nids; i++)
		if (t->ids[i] == id)
			return;
	if (t->nids < 2)
		t->ids[t->nids++] = id;
}

/* Did w change one of `fields` (identifiers of w->e's fields, ended by
 * -1)?  A create or a delete changes them all. */
static bool changes(const struct write *w, const int *fields)
{
	if (w->op != WRITE_UPDATE)
		return true;
	for (; *fields >= 0; fields++)
		if (w->changed[*fields])
			return true;
	return false;
}
#define FIELDS(...) ((const int[]){ __VA_ARGS__, -1 })

static void touch_participant_of(struct store_tsum_touch *t, const struct record *r)
{
	long long p;
	const char *s = r ? rec_text(r, ENROLMENT_PARTICIPANT) : NULL;
	if (s && util_parse_ll(s, &p))
		touch_add(t, p);
}

/* An enrolment counts for its participant, before and after the write. */
static bool touch_enrolment(const struct write *w, struct store_tsum_touch *t)
{
	if (!changes(w, FIELDS(ENROLMENT_PARTICIPANT, ENROLMENT_SESSION, ENROLMENT_DAYS_ATTENDED, ENROLMENT_PRE_SCORE,
				 ENROLMENT_POST_SCORE, ENROLMENT_SATISFACTION, ENROLMENT_COMPLETED)))
		return false;
	touch_participant_of(t, w->before);
	touch_participant_of(t, w->after);
	return t->nids > 0;
}

/* The written record's number. */
static bool key_id(const struct write *w, long long *id)
{
	return w->key.len && util_parse_ll(w->key.data, id);
}

/* A participant's country, agency and sex are dimensions of its enrolments
 * (a new one has none; one with enrolments is never deleted). */
static bool touch_participant(const struct write *w, struct store_tsum_touch *t)
{
	if (w->op != WRITE_UPDATE || !changes(w, FIELDS(PARTICIPANT_COUNTRY, PARTICIPANT_AGENCY, PARTICIPANT_SEX)) ||
	    !key_id(w, &t->key))
		return false;
	touch_add(t, t->key);
	return true;
}

/* A session's year and course, a course's theme, are dimensions of the
 * enrolments in them. */
static bool touch_session(const struct write *w, struct store_tsum_touch *t)
{
	t->pset = "SELECT participant FROM enrolment WHERE session = ?";
	return w->op == WRITE_UPDATE && changes(w, FIELDS(SESSION_START_DATE, SESSION_COURSE)) && key_id(w, &t->key);
}

static bool touch_course(const struct write *w, struct store_tsum_touch *t)
{
	t->pset = "SELECT e2.participant FROM enrolment e2 JOIN training_session s2"
		  " ON s2.id = e2.session WHERE s2.course = ?";
	return w->op == WRITE_UPDATE && changes(w, FIELDS(COURSE_THEME)) && key_id(w, &t->key);
}

/* Before the write: the old contributions out; after it: the new ones in,
 * and the difference applied. */
static enum app_err upkeep(struct store *st, const struct write *w,
			   bool (*touch)(const struct write *, struct store_tsum_touch *), bool after)
{
	struct store_tsum_touch t = { 0 };
	if (!touch(w, &t))
		return APP_OK;
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (!rc)
		rc = contrib(c, after ? "" : "-", &t, -1, -1);
	return rc || !after ? rc : flush(c);
}

/* The two hooks of an entity whose fields are dimensions of the tables
 * (store_tsum.h): upkeep before and after its writes, as touch_NAME says. */
#define UPKEEP_HOOKS(name)                                                         \
	enum app_err store_tsum_##name##_before(struct store *st, struct write *w) \
	{                                                                          \
		return upkeep(st, w, touch_##name, false);                         \
	}                                                                          \
	enum app_err store_tsum_##name##_after(struct store *st, struct write *w)  \
	{                                                                          \
		return upkeep(st, w, touch_##name, true);                          \
	}

UPKEEP_HOOKS(enrolment)
UPKEEP_HOOKS(participant)
UPKEEP_HOOKS(session)
UPKEEP_HOOKS(course)

/* ---- the tables (migrations 8 and 11) ---------------------------------------------- */

/* The tables as migration 8 made them, with the measures of that time. */
static void tables_ddl(struct buf *b)
{
	for (size_t i = 0; i < NTABLES + 1; i++) {
		unsigned dims = i < NTABLES ? tables[i].dims : ALL_DIMS;
		buf_printf(b, "CREATE TABLE %s (", i < NTABLES ? tables[i].name : "training_delta");
		for (int k = 0; k < TD__MAX; k++)
			if (dims & TD_BIT(key_order[k]))
				buf_printf(b, "%s %s NOT NULL, ", store_tsum_dim_name[key_order[k]],
					   key_order[k] == TD_COURSE ? "BIGINT" : "TEXT");
		int n = 0;
		for (int m = 0; m < NM; m++)
			if (measures[m].since <= TABLES_SINCE)
				buf_printf(b, "%s%s BIGINT NOT NULL DEFAULT 0", n++ ? ", " : "", measures[m].name);
		if (i < NTABLES) {
			buf_adds(b, ", PRIMARY KEY (");
			dim_list(b, dims, "");
			buf_adds(b, ")");
		}
		buf_adds(b, ");\n");
	}
	buf_adds(b, "CREATE INDEX training_cell_course ON training_cell (course);\n"
		    /* the participants' match key (training_import.c): the same
		     * person's normalised name and country */
		    "ALTER TABLE participant ADD COLUMN match_key TEXT;\n"
		    "CREATE INDEX participant_match ON participant (match_key);\n");
}

void store_tsum_ddl(struct buf *b, int version)
{
	if (version == TABLES_SINCE)
		tables_ddl(b);
	for (int m = 0; m < NM; m++) {
		if (measures[m].since != version || version <= TABLES_SINCE)
			continue;
		for (size_t i = 0; i < NTABLES + 1; i++)
			buf_printf(b, "ALTER TABLE %s ADD COLUMN %s BIGINT NOT NULL DEFAULT 0;\n",
				   i < NTABLES ? tables[i].name : "training_delta", measures[m].name);
	}
}

/* Every table emptied and filled again from the enrolments. */
static enum app_err rebuild(struct conn *c)
{
	enum app_err rc = APP_OK;
	for (size_t i = 0; i < NTABLES && !rc; i++) {
		char sql[64];
		snprintf(sql, sizeof sql, "DELETE FROM %s", tables[i].name);
		rc = conn_exec(c, sql);
	}
	if (!rc)
		rc = conn_exec(c, "DELETE FROM training_delta");
	struct store_tsum_touch none = { 0 };
	if (!rc)
		rc = contrib(c, "", &none, 0, -1);
	return rc ? rc : flush(c);
}

enum app_err store_tsum_migrated(struct conn *c, int version)
{
	for (int m = 0; m < NM; m++)
		if (measures[m].since == version && version > TABLES_SINCE)
			return rebuild(c); /* the new measures of the existing enrolments */
	return APP_OK;
}

/* ---- bulk writes and checks --------------------------------------------------------- */

enum app_err store_tsum_refresh(struct store *st, long long since)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	struct store_tsum_touch none = { 0 };
	if (since > 0)
		rc = contrib(c, "-", &none, since, since);
	if (!rc)
		rc = contrib(c, "", &none, since, -1);
	if (!rc)
		rc = flush(c);
	if (!rc)
		rc = conn_bump(c);
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

enum app_err store_tsum_rebuild(struct store *st)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	rc = rebuild(c);
	if (!rc)
		rc = conn_bump(c);
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

/* Rows of `a` not in `b` plus rows of `b` not in `a`. */
static enum app_err sym_diff(struct conn *c, const char *a, const char *b, long long *n)
{
	long long total = 0;
	for (int k = 0; k < 2; k++) {
		struct stmt s;
		stmt_init(&s);
		buf_printf(&s.sql, "SELECT count(*) FROM (%s EXCEPT %s) d", k ? b : a, k ? a : b);
		long long v = 0;
		enum app_err rc = conn_scalar(c, &s, &v, NULL);
		stmt_release(&s);
		if (rc)
			return rc;
		total += v;
	}
	*n = total;
	return APP_OK;
}

/* SELECT dims, measures FROM table (its non-empty cells), each measure
 * wrapped as agg(m) ("" for the stored value) with GROUP BY when agg. */
static void cells_select(struct buf *b, const char *table, unsigned dims, const char *agg)
{
	buf_adds(b, "SELECT ");
	dim_list(b, dims, "");
	for (int m = 0; m < NM; m++)
		buf_printf(b, ", %s(%s)", agg, measures[m].name);
	buf_printf(b, " FROM %s", table);
	if (*agg) {
		buf_adds(b, " GROUP BY ");
		dim_list(b, dims, "");
		buf_adds(b, " HAVING ");
		nonzero(b, "sum(%s)");
	} else {
		buf_adds(b, " WHERE ");
		nonzero(b, "%s");
	}
}

enum app_err store_tsum_check(struct store *st, long long *diffs, long long *cells)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc)
		return rc;
	*diffs = 0;
	struct buf a = BUF_INIT, b = BUF_INIT;
	/* training_cell against the enrolments */
	cells_select(&a, "training_cell", ALL_DIMS, "");
	contrib_select(&b, "", "1 = 1");
	long long n = 0;
	rc = sym_diff(c, buf_cstr(&a), buf_cstr(&b), &n);
	*diffs += n;
	/* each other table against training_cell */
	for (size_t i = 1; i < NTABLES && !rc; i++) {
		buf_reset(&a);
		buf_reset(&b);
		cells_select(&a, tables[i].name, tables[i].dims, "");
		cells_select(&b, "training_cell", tables[i].dims, "sum");
		rc = sym_diff(c, buf_cstr(&a), buf_cstr(&b), &n);
		*diffs += n;
	}
	buf_release(&a);
	buf_release(&b);
	if (!rc)
		rc = conn_value(c, "SELECT count(*) FROM training_cell WHERE enrolments <> 0", NO_BINDS, cells, NULL);
	return rc;
}


/* ---- figures ------------------------------------------------------------------------ */

/* The smallest table whose dimensions include `need`. */
static const struct table *pick(unsigned need)
{
	const struct table *best = &tables[0];
	for (size_t i = 1; i < NTABLES; i++)
		if ((tables[i].dims & need) == need && table_size(tables[i].dims) < table_size(best->dims))
			best = &tables[i];
	return best;
}

struct figure_ctx {
	unsigned group;
	store_tsum_fn fn;
	void *ctx;
};

static enum app_err figure_row(void *ctx, const struct row *row)
{
	struct figure_ctx *f = ctx;
	const char *keys[TD__MAX] = { 0 };
	int col = 0;
	for (int i = 0; i < TD__MAX; i++) {
		enum store_tsum_dim d = key_order[i];
		if (f->group & TD_BIT(d)) {
			keys[d] = row_text(row, col++);
			if (!keys[d])
				keys[d] = "";
		}
	}
	struct store_tsum t;
	for (int m = 0; m < NM; m++)
		*(long long *)((char *)&t + measures[m].off) = row_int(row, col + m);
	return f->fn(f->ctx, keys, &t);
}

enum app_err store_tsum_figure(struct store *st, const struct store_tsum_filter *f, unsigned group,
			       store_tsum_fn fn, void *ctx)
{
	unsigned need = group;
	for (int d = 0; d < TD__MAX; d++)
		if (f->v[d])
			need |= TD_BIT(d);
	const struct table *t = pick(need);
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "SELECT ");
	if (group) {
		dim_list(&s.sql, group, "");
		buf_adds(&s.sql, ", ");
	}
	for (int m = 0; m < NM; m++)
		buf_printf(&s.sql, "%sCOALESCE(sum(%s), 0)", m ? ", " : "", measures[m].name);
	buf_printf(&s.sql, " FROM %s WHERE 1 = 1", t->name);
	for (int i = 0; i < TD__MAX; i++) {
		enum store_tsum_dim d = key_order[i];
		if (!f->v[d])
			continue;
		long long id;
		buf_printf(&s.sql, " AND %s = ?", store_tsum_dim_name[d]);
		if (d == TD_COURSE)
			stmt_int(&s, util_parse_ll(f->v[d], &id) ? id : -1);
		else
			stmt_text(&s, f->v[d]);
	}
	if (group) {
		buf_adds(&s.sql, " GROUP BY ");
		dim_list(&s.sql, group, "");
		buf_adds(&s.sql, " HAVING sum(enrolments) > 0 ORDER BY ");
		dim_list(&s.sql, group, "");
	}
	struct figure_ctx fc = { .group = group, .fn = fn, .ctx = ctx };
	return store_walk(st, &s, figure_row, &fc);
}

/* ---- participants: matching, duplicates, merge ----------------------------------------- */

struct match_ctx {
	store_tsum_match_fn fn;
	void *ctx;
};

static enum app_err match_row(void *ctx, const struct row *row)
{
	struct match_ctx *m = ctx;
	return m->fn(m->ctx, row_int(row, 0), row_text(row, 1), row_text(row, 2));
}

enum app_err store_tsum_match(struct store *st, const char *key, store_tsum_match_fn fn, void *ctx)
{
	struct match_ctx m = { .fn = fn, .ctx = ctx };
	return store_each(st, "SELECT id, birth_date, document_number FROM participant WHERE match_key = ? ORDER BY id",
			  BIND(p_text(key)), match_row, &m);
}

enum app_err store_tsum_exists(struct store *st, const struct entity *e, long long id, bool *yes)
{
	struct stmt s;
	stmt_init(&s);
	buf_printf(&s.sql, "SELECT 1 FROM %s WHERE id = ?", e->name);
	stmt_int(&s, id);
	long long one;
	return store_scalar(st, &s, &one, yes);
}

enum app_err store_tsum_enrolled(struct store *st, long long participant, long long session, bool *yes)
{
	long long one;
	return store_value(st, "SELECT 1 FROM enrolment WHERE participant = ? AND session = ?",
			   BIND(p_int(participant), p_int(session)), &one, yes);
}

enum app_err store_tsum_duplicates(struct store *st, int max_groups, row_fn fn, void *ctx)
{
	return store_each(st, "SELECT p.match_key, p.id, p.family_name, p.given_names, p.country, p.birth_date, "
			      "p.document_number, p.agency, (SELECT count(*) FROM enrolment e WHERE e.participant = p.id) "
			      "FROM participant p WHERE p.match_key IN (SELECT match_key FROM participant "
			      "WHERE match_key IS NOT NULL GROUP BY match_key HAVING count(*) > 1 ORDER BY match_key LIMIT ?) "
			      "ORDER BY p.match_key, p.id",
			  BIND(p_int(max_groups)), fn, ctx);
}

/* One enrolment of a merge: its id, session and how complete it is. */
struct menrol {
	long long id, session;
	int filled;
};

struct menrols {
	struct menrol *a;
	size_t n;
};

static enum app_err menrol_row(void *ctx, const struct row *row)
{
	struct menrols *m = ctx;
	m->a = xrealloc(m->a, (m->n + 1) * sizeof *m->a);
	m->a[m->n++] = (struct menrol){ .id = row_int(row, 0), .session = row_int(row, 1), .filled = (int)row_int(row, 2) };
	return APP_OK;
}

static enum app_err menrols_load(struct conn *c, long long participant, struct menrols *m)
{
	/* completeness: completed counts most, then each result given */
	return conn_each(c, "SELECT id, session, 10 * COALESCE(completed, 0) + (CASE WHEN days_attended IS NULL THEN 0 ELSE 1 END)"
			    " + (CASE WHEN pre_score IS NULL THEN 0 ELSE 1 END) + (CASE WHEN post_score IS NULL THEN 0 ELSE 1 END)"
			    " + (CASE WHEN satisfaction IS NULL THEN 0 ELSE 1 END) + (CASE WHEN certificate IS NULL THEN 0 ELSE 20 END)"
			    " FROM enrolment WHERE participant = ? ORDER BY id",
			 BIND(p_int(participant)), menrol_row, m);
}

enum app_err store_tsum_merge(struct store *st, long long from, long long into, struct buf *report,
			      const char *actor)
{
	if (from == into)
		return APP_INVALID;
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	long long v;
	bool found_from = false, found_into = false;
	char *lock = xasprintf("SELECT version FROM participant WHERE id = ?%s", c->ops->lock_row);
	rc = conn_value(c, lock, BIND(p_int(from)), &v, &found_from);
	if (!rc)
		rc = conn_value(c, lock, BIND(p_int(into)), &v, &found_into);
	free(lock);
	if (!rc && (!found_from || !found_into))
		rc = APP_NOT_FOUND;
	struct store_tsum_touch t = { .ids = { from, into }, .nids = 2 };
	if (!rc)
		rc = contrib(c, "-", &t, -1, -1);
	struct menrols a = { 0 }, b = { 0 };
	if (!rc)
		rc = menrols_load(c, from, &a);
	if (!rc)
		rc = menrols_load(c, into, &b);
	struct buf moved = BUF_INIT, dropped = BUF_INIT;
	/* both in one session: keep the more complete (the kept participant's on a tie) */
	for (size_t i = 0; !rc && i < a.n; i++) {
		const struct menrol *twin = NULL;
		for (size_t k = 0; k < b.n; k++)
			if (b.a[k].session == a.a[i].session)
				twin = &b.a[k];
		if (!twin) {
			buf_printf(&moved, "%s%lld", moved.len ? "," : "", a.a[i].id);
			continue;
		}
		long long drop = a.a[i].filled > twin->filled ? twin->id : a.a[i].id;
		buf_printf(&dropped, "%s{\"enrolment\":%lld,\"session\":%lld,\"kept\":%lld}", dropped.len ? "," : "", drop,
			   a.a[i].session, drop == twin->id ? a.a[i].id : twin->id);
		if (drop != a.a[i].id)
			buf_printf(&moved, "%s%lld", moved.len ? "," : "", a.a[i].id);
		rc = conn_do(c, "DELETE FROM enrolment WHERE id = ?", BIND(p_int(drop)));
	}
	if (!rc)
		rc = conn_do(c, "UPDATE enrolment SET participant = ?, version = version + 1 WHERE participant = ?",
			     BIND(p_int(into), p_int(from)));
	if (!rc)
		rc = conn_do(c, "DELETE FROM participant WHERE id = ?", BIND(p_int(from)));
	t.nids = 1;
	t.ids[0] = into;
	if (!rc)
		rc = contrib(c, "", &t, -1, -1);
	if (!rc)
		rc = flush(c);
	buf_reset(report);
	buf_printf(report, "{\"merged\":%lld,\"into\":%lld,\"moved\":[%s],\"dropped\":[%s]}", from, into,
		   buf_cstr(&moved), buf_cstr(&dropped));
	if (!rc) {
		char k[24];
		snprintf(k, sizeof k, "%lld", from);
		rc = conn_audit(c, actor, "participant", k, "merge", NULL, buf_cstr(report));
	}
	if (!rc)
		rc = conn_bump(c);
	free(a.a);
	free(b.a);
	buf_release(&moved);
	buf_release(&dropped);
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

/* ---- after a copy ---------------------------------------------------------------------- */

struct rekey_row {
	long long id;
	char *key;
};

struct rekey_ctx {
	struct rekey_row *a;
	size_t n;
	long long last;
};

static enum app_err rekey_row(void *ctx, const struct row *row)
{
	struct rekey_ctx *r = ctx;
	struct buf k = BUF_INIT;
	names_match_key(&k, row_text(row, 1), row_text(row, 2), row_text(row, 3));
	r->a[r->n].id = row_int(row, 0);
	r->a[r->n++].key = buf_detach(&k);
	r->last = row_int(row, 0);
	return APP_OK;
}

#define REKEY_BATCH 1000

enum app_err store_tsum_rekey(struct store *st)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	struct rekey_ctx r = { .a = xcalloc(REKEY_BATCH, sizeof *r.a) };
	for (;;) {
		r.n = 0;
		rc = conn_each(c, "SELECT id, family_name, given_names, country FROM participant WHERE id > ? ORDER BY id LIMIT ?",
			       BIND(p_int(r.last), p_int(REKEY_BATCH)), rekey_row, &r);
		for (size_t i = 0; i < r.n; i++) {
			if (!rc)
				rc = conn_do(c, "UPDATE participant SET match_key = ? WHERE id = ?",
					     BIND(p_text(r.a[i].key), p_int(r.a[i].id)));
			free(r.a[i].key);
		}
		if (rc || r.n < REKEY_BATCH)
			break;
	}
	free(r.a);
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}
