/* store.c — see store.h.  SQL is built from the registry: table `t` is the
 * entity's name, a field is a column of the same name (three columns
 * NAME_fr, NAME_en, NAME_ar for multilingual text), a set of references is
 * a link table ENTITY_FIELD(ENTITY, TARGET).  Every statement binds its
 * values; no text from outside ever becomes SQL. */
#define _POSIX_C_SOURCE 200809L
#include "store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_int.h"
#include "store_label.h"
#include "store_lock.h"
#include "util.h"
#include "xalloc.h"
#include "db_backends.h"
#include "banned.h"


static void conn_free(void *p)
{
	struct conn *c = p;
	if (!c)
		return;
	c->ops->disconnect(c->own);
	free(c);
}

/* Logs that the database cannot be reached, at most every 10 seconds: a
 * page makes many queries, and an outage must not flood the log. */
static void report_unreachable(const char *why)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static time_t last;
	time_t now = time(NULL);
	pthread_mutex_lock(&lock);
	bool say = now - last >= 10;
	if (say)
		last = now;
	pthread_mutex_unlock(&lock);
	if (say)
		fprintf(stderr, "suivi: %s\n", why);
}

enum app_err conn_get(struct store *st, struct conn **out, char **msg)
{
	struct conn *c = pthread_getspecific(st->key);
	if (!c) {
		struct dbconn *db;
		char *m = NULL;
		enum app_err rc = st->ops->connect(st->url, st->create, &db, &m);
		if (rc) {
			if (msg) {
				*msg = m;
			} else {
				report_unreachable(m);
				free(m);
			}
			return rc;
		}
		c = xcalloc(1, sizeof *c);
		c->st = st;
		c->ops = st->ops;
		c->db = c->own = db;
		pthread_setspecific(st->key, c);
	}
	*out = c;
	return APP_OK;
}

/* ---- running statements --------------------------------------------------- */

enum app_err conn_run(struct conn *c, struct stmt *s, struct dbrows **rows)
{
	/* Once a statement of a transaction failed, the transaction can only
	 * roll back (PostgreSQL refuses the rest; after a lost connection the
	 * rest would run outside it). */
	if (c->depth && c->failed)
		return APP_UNAVAILABLE;
	enum app_err rc = c->ops->exec(c->db, buf_cstr(&s->sql), s->p, s->np, rows);
	if (rc && c->depth)
		c->failed = true;
	return rc;
}

static int key_cmp_int(const void *a, const void *b)
{
	long long x = strtoll(*(char *const *)a, NULL, 10), y = strtoll(*(char *const *)b, NULL, 10);
	return x < y ? -1 : x > y;
}

static int key_cmp_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A set of references as the store's rows give it: keys joined by ',' in
 * key order (select_list), a new string. */
static char *joined_list(const struct field *f, const struct fval *v)
{
	size_t n = v->set && !v->null ? v->nlist : 0;
	char **keys = xcalloc(n ? n : 1, sizeof *keys);
	if (n)
		memcpy(keys, v->list, n * sizeof *keys);
	qsort(keys, n, sizeof *keys, ent_int_key(f->target) ? key_cmp_int : key_cmp_text);
	struct buf b = BUF_INIT;
	buf_adds(&b, "");
	for (size_t k = 0; k < n; k++)
		buf_printf(&b, "%s%s", k ? "," : "", keys[k]);
	free(keys);
	return buf_detach(&b);
}

/* The columns of a row in the layout of entity.c, of the row named qual.
 * With after (a RETURNING list), sets of references are after's, bound. */
static void row_list(struct stmt *s, const struct entity *e, const struct db_ops *ops, const char *qual,
		     const struct record *after)
{
	const char *key = ent_keyfield(e)->name;
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if (i)
			buf_addc(&s->sql, ',');
		if (f->type == FT_I18N) {
			for (int l = 0; l < LANG__MAX; l++)
				buf_printf(&s->sql, "%s%s.%s_%s", l ? "," : "", qual, f->name, lang_code[l]);
		} else if (f->type == FT_REFS && after) {
			buf_adds(&s->sql, "CAST(? AS TEXT)");
			stmt_text_owned(s, joined_list(f, &after->v[i]));
		} else if (f->type == FT_REFS) {
			/* ordered by key, so that both backends list alike */
			buf_printf(&s->sql, "(SELECT %s(o.v, ',') FROM (SELECT CAST(l.%s AS TEXT) AS v FROM ",
				   ops->list_agg, f->target->name);
			stmt_link_table(&s->sql, e, f);
			buf_printf(&s->sql, " l WHERE l.%s = %s.%s ORDER BY l.%s) o)", e->name, qual, key,
				   f->target->name);
		} else {
			stmt_column(s, f, qual);
		}
	}
	buf_printf(&s->sql, ",%s.version,%s.created_at,%s.updated_at", qual, qual, qual);
}

/* SELECT list in the row layout of entity.c. */
static void select_list(struct stmt *s, const struct entity *e, const struct db_ops *ops)
{
	row_list(s, e, ops, "t", NULL);
}

static void order_clause(struct stmt *s, const struct query *q, const struct db_ops *ops)
{
	const char *collate = ops->collate ? ops->collate(q->lang) : "";
	const struct entity *e = q->e;
	const struct field *f = q->sort;
	bool desc = q->desc;
	if (!f && e->sort) {
		desc = e->sort[0] == '-';
		f = ent_field(e, e->sort + desc);
	}
	buf_adds(&s->sql, " ORDER BY ");
	if (f && f != ent_keyfield(e)) {
		/* NULLs last in both directions and on both backends. */
		if (f->type == FT_I18N) {
			buf_printf(&s->sql, "COALESCE(t.%s_%s, t.%s_fr, t.%s_en, t.%s_ar) IS NULL, "
					    "COALESCE(t.%s_%s, t.%s_fr, t.%s_en, t.%s_ar)%s%s, ",
				   f->name, lang_code[q->lang], f->name, f->name, f->name,
				   f->name, lang_code[q->lang], f->name, f->name, f->name,
				   collate, desc ? " DESC" : "");
		} else {
			stmt_column(s, f, "t");
			buf_adds(&s->sql, " IS NULL, ");
			stmt_column(s, f, "t");
			if (f->type == FT_TEXT) /* words, not codes */
				buf_adds(&s->sql, collate);
			buf_adds(&s->sql, desc ? " DESC, " : ", ");
		}
	}
	buf_printf(&s->sql, "t.%s%s", ent_keyfield(e)->name,
		   (f == ent_keyfield(e) && desc) ? " DESC" : "");
}

/* ---- reading -------------------------------------------------------------- */

enum app_err conn_walk(struct conn *c, struct stmt *s, row_fn fn, void *ctx, long long *count)
{
	struct dbrows *rows = NULL;
	enum app_err rc = conn_run(c, s, &rows);
	if (rc)
		return rc;
	struct row row = { .ops = c->ops, .rs = rows };
	long long n = 0;
	int more;
	while ((more = c->ops->next(rows)) == 1) {
		n++;
		if (fn && (rc = fn(ctx, &row)))
			break;
	}
	if (more < 0)
		rc = APP_UNAVAILABLE;
	c->ops->done(rows);
	if (count)
		*count = n;
	return rc;
}

/* Runs a statement whose one row holds one integer. */
enum app_err conn_scalar(struct conn *c, struct stmt *s, long long *out, bool *found)
{
	struct dbrows *rows = NULL;
	enum app_err rc = conn_run(c, s, &rows);
	if (rc)
		return rc;
	int more = c->ops->next(rows);
	if (more == 1)
		*out = c->ops->integer(rows, 0);
	if (found)
		*found = more == 1;
	c->ops->done(rows);
	return more < 0 ? APP_UNAVAILABLE : APP_OK;
}

/* ---- one statement, whole (store_int.h) ------------------------------------ */

enum app_err store_walk(struct store *st, struct stmt *s, row_fn fn, void *ctx)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (!rc)
		rc = conn_walk(c, s, fn, ctx, NULL);
	stmt_release(s);
	return rc;
}

enum app_err store_scalar(struct store *st, struct stmt *s, long long *out, bool *found)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (!rc)
		rc = conn_scalar(c, s, out, found);
	stmt_release(s);
	return rc;
}

enum app_err store_run(struct store *st, struct stmt *s)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (!rc)
		rc = conn_run(c, s, NULL);
	stmt_release(s);
	return rc;
}

static void stmt_of(struct stmt *s, const char *sql, struct binds b)
{
	stmt_init(s);
	stmt_add(s, sql, b);
}

enum app_err conn_do(struct conn *c, const char *sql, struct binds b)
{
	struct stmt s;
	stmt_of(&s, sql, b);
	enum app_err rc = conn_run(c, &s, NULL);
	stmt_release(&s);
	return rc;
}

enum app_err conn_each(struct conn *c, const char *sql, struct binds b, row_fn fn, void *ctx)
{
	struct stmt s;
	stmt_of(&s, sql, b);
	enum app_err rc = conn_walk(c, &s, fn, ctx, NULL);
	stmt_release(&s);
	return rc;
}

enum app_err conn_value(struct conn *c, const char *sql, struct binds b, long long *out, bool *found)
{
	struct stmt s;
	stmt_of(&s, sql, b);
	enum app_err rc = conn_scalar(c, &s, out, found);
	stmt_release(&s);
	return rc;
}

enum app_err store_do(struct store *st, const char *sql, struct binds b)
{
	struct stmt s;
	stmt_of(&s, sql, b);
	return store_run(st, &s);
}

enum app_err store_each(struct store *st, const char *sql, struct binds b, row_fn fn, void *ctx)
{
	struct stmt s;
	stmt_of(&s, sql, b);
	return store_walk(st, &s, fn, ctx);
}

enum app_err store_walk_one(struct store *st, struct stmt *s, row_fn fn, void *ctx)
{
	struct conn *c;
	long long n = 0;
	enum app_err rc = conn_get(st, &c, NULL);
	if (!rc)
		rc = conn_walk(c, s, fn, ctx, &n);
	stmt_release(s);
	return rc ? rc : n ? APP_OK : APP_NOT_FOUND;
}

enum app_err store_one(struct store *st, const char *sql, struct binds b, row_fn fn, void *ctx)
{
	struct stmt s;
	stmt_of(&s, sql, b);
	return store_walk_one(st, &s, fn, ctx);
}

enum app_err store_value(struct store *st, const char *sql, struct binds b, long long *out, bool *found)
{
	struct stmt s;
	stmt_of(&s, sql, b);
	return store_scalar(st, &s, out, found);
}

enum app_err store_approved_later(struct store *st, const struct entity *e, const struct field *via,
				  const char *via_key, const struct field *by, const char *by_value, const char *key,
				  bool *later)
{
	long long v, k, n = 0;
	*later = false;
	if (!util_parse_ll(via_key, &v) || !util_parse_ll(key, &k))
		return APP_OK; /* (numbered records only) */
	char sql[320]; /* names of the registry's */
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE %s = ? AND review_state = 'approved' AND "
				  "(%s > ? OR (%s = ? AND %s > ?))",
		 e->name, via->name, by->name, by->name, ent_keyfield(e)->name);
	enum app_err rc = store_value(st, sql, BIND(p_int(v), p_text(by_value), p_text(by_value), p_int(k)), &n, NULL);
	*later = n > 0;
	return rc;
}

enum app_err store_count_where(struct store *st, const struct query *q, long long *n)
{
	struct stmt s;
	stmt_init(&s);
	buf_printf(&s.sql, "SELECT count(*) FROM %s t", q->e->name);
	stmt_where(&s, q);
	return store_scalar(st, &s, n, NULL);
}

enum app_err store_list(struct store *st, const struct query *q, long long *total,
			row_fn fn, void *ctx)
{
	if (total) {
		enum app_err rc = store_count_where(st, q, total);
		if (rc)
			return rc;
	}
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "SELECT ");
	select_list(&s, q->e, st->ops);
	struct label_joins joins = { .n = 0 };
	if (q->labels)
		stmt_label_columns(&s, st->ops, q, &joins);
	if (q->limit >= 0) {
		/* The page is chosen first, so that the per-row subqueries of
		 * the select list (sets of references) and the labels' joins
		 * run for its rows only, not for every row OFFSET skips. */
		buf_printf(&s.sql, " FROM (SELECT t.* FROM %s t", q->e->name);
		stmt_where(&s, q);
		order_clause(&s, q, st->ops);
		buf_adds(&s.sql, " LIMIT ? OFFSET ?) t");
		stmt_int(&s, q->limit);
		stmt_int(&s, q->offset);
		stmt_label_joins(&s, q, &joins);
	} else { /* every row */
		buf_printf(&s.sql, " FROM %s t", q->e->name);
		stmt_label_joins(&s, q, &joins);
		stmt_where(&s, q);
	}
	order_clause(&s, q, st->ops);
	return store_walk(st, &s, fn, ctx);
}

enum app_err store_get(struct store *st, const struct entity *e, const char *key,
		       row_fn fn, void *ctx)
{
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "SELECT ");
	select_list(&s, e, st->ops);
	buf_printf(&s.sql, " FROM %s t WHERE t.%s = ?", e->name, ent_keyfield(e)->name);
	stmt_key(&s, e, key);
	return store_walk_one(st, &s, fn, ctx);
}

struct count_ctx {
	long long *n, *key;
};

static enum app_err count_row(void *ctx, const struct row *row)
{
	struct count_ctx *c = ctx;
	*c->n = row_int(row, 0);
	*c->key = row_int(row, 1);
	return APP_OK;
}

enum app_err store_count_keyed(struct store *st, const struct entity *e, long long *n, long long *key)
{
	const struct field *f = ent_rkey(e);
	*n = *key = 0;
	struct stmt s;
	stmt_init(&s);
	buf_printf(&s.sql, "SELECT count(*), %s%s%s FROM %s", f ? "COALESCE(sum(" : "0", f ? f->name : "",
		   f ? "), 0)" : "", e->name);
	struct count_ctx c = { .n = n, .key = key };
	return store_walk(st, &s, count_row, &c);
}

enum app_err store_count(struct store *st, const struct entity *e, long long *n)
{
	long long key;
	return store_count_keyed(st, e, n, &key);
}

static enum app_err read_generation(struct store *st, long long *gen)
{
	return store_value(st, "SELECT generation FROM suivi_meta WHERE id = 1", NO_BINDS, gen, NULL);
}

/* Every request asks this (server.c): on SQLite, while the WAL-index
 * header is the one seen before the last reading, no commit has happened
 * since, and that reading still holds — no read transaction, whose locks
 * cost a sixth of a cached answer (measured: list ÷ libmicrohttpd 0.73 →
 * 0.87).  The stamp is taken before the reading: a commit in between
 * changes the header, so the pair is never trusted past a commit. */
enum app_err store_generation(struct store *st, long long *gen)
{
	unsigned char now[DB_STAMP_SIZE];
	bool stamped = st->stamp_handle >= 0 && st->ops->stamp_read(st->stamp_handle, now);
	if (stamped) {
		pthread_mutex_lock(&st->stamp_lock);
		bool same = st->stamp_known && memcmp(now, st->stamp, sizeof now) == 0;
		if (same)
			*gen = st->stamp_generation;
		pthread_mutex_unlock(&st->stamp_lock);
		if (same)
			return APP_OK;
	}
	enum app_err rc = read_generation(st, gen);
	if (!rc && stamped) {
		pthread_mutex_lock(&st->stamp_lock);
		memcpy(st->stamp, now, sizeof now);
		st->stamp_generation = *gen;
		st->stamp_known = true;
		pthread_mutex_unlock(&st->stamp_lock);
	}
	return rc;
}

/* ---- transactions ------------------------------------------------------------ */

enum app_err conn_exec(struct conn *c, const char *sql)
{
	return c->ops->exec(c->db, sql, NULL, 0, NULL);
}

enum app_err conn_writer_hold(struct conn *c)
{
	struct store *st = c->st;
	if (!c->ops->one_writer || c->writer_holds++)
		return APP_OK;
	pthread_mutex_lock(&st->writer);
	if (!st->writer_db) {
		char *m = NULL;
		enum app_err rc = st->ops->connect(st->url, st->create, &st->writer_db, &m);
		if (rc) {
			report_unreachable(m);
			free(m);
			c->writer_holds = 0;
			pthread_mutex_unlock(&st->writer);
			return rc;
		}
	}
	c->db = st->writer_db;
	return APP_OK;
}

void conn_writer_release(struct conn *c, bool unsure)
{
	struct store *st = c->st;
	if (!c->ops->one_writer)
		return;
	if (unsure)
		c->writer_unsure = true;
	if (--c->writer_holds)
		return;
	if (c->writer_unsure) { /* opened afresh by the next writer */
		st->ops->disconnect(st->writer_db);
		st->writer_db = NULL;
		c->writer_unsure = false;
	}
	c->db = c->own;
	pthread_mutex_unlock(&st->writer);
}

enum app_err conn_begin(struct conn *c)
{
	if (c->depth++)
		return APP_OK;
	c->failed = false;
	enum app_err rc = conn_writer_hold(c);
	if (!rc && (rc = conn_exec(c, c->ops->begin_write)))
		conn_writer_release(c, false);
	if (rc)
		c->depth = 0;
	return rc;
}

/* Ends one level: the outermost commits when nothing failed and ok.  A
 * ROLLBACK that fails leaves the connection in a state no one knows: the
 * writer's is closed, to be opened afresh. */
enum app_err conn_end(struct conn *c, bool ok)
{
	if (!ok)
		c->failed = true;
	if (--c->depth > 0)
		return APP_OK;
	enum app_err rc = c->failed ? APP_OK : conn_exec(c, "COMMIT");
	bool undone = true; /* nothing left half done on the connection */
	if (c->failed || rc)
		undone = conn_exec(c, "ROLLBACK") == APP_OK;
	conn_writer_release(c, !undone);
	return rc;
}

enum app_err store_begin(struct store *st)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	return rc ? rc : conn_begin(c);
}

enum app_err store_commit(struct store *st)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc)
		return rc;
	bool failed = c->failed;
	rc = conn_end(c, true);
	return rc ? rc : failed ? APP_CONFLICT : APP_OK;
}

void store_rollback(struct store *st)
{
	struct conn *c;
	if (conn_get(st, &c, NULL) == APP_OK && c->depth)
		err_ignore(conn_end(c, false)); /* a rollback answers nothing; one that fails closes the writer's connection */
}

/* ---- the audit trail ----------------------------------------------------------- */

enum app_err conn_audit(struct conn *c, const char *actor, const char *entity, const char *key,
			const char *action, const char *before, const char *after)
{
	char now[21];
	util_now(now);
	return conn_do(c, "INSERT INTO audit (at, actor, action, entity, record, before, after, "
			  "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       BIND(p_text(now), p_text(actor && *actor ? actor : "anonymous"), p_text(action),
			    p_text(entity), p_text(key), p_text(before), p_text(after), p_text(now), p_text(now)));
}

/* w's audit entry: the record as read before, and as the write left it
 * (the RETURNING row), every field. */
static enum app_err audit_write(struct conn *c, struct write *w, struct buf *after)
{
	static const char *const action[] = { [WRITE_CREATE] = "create", [WRITE_UPDATE] = "update",
					      [WRITE_DELETE] = "delete" };
	if (w->e->readonly)
		return APP_OK;
	return conn_audit(c, w->actor, w->e->name, buf_cstr(&w->key),
			  w->audit_action ? w->audit_action : action[w->op],
			  w->op == WRITE_CREATE ? NULL : buf_cstr(&w->before_json),
			  w->op == WRITE_DELETE ? NULL : buf_cstr(after));
}

/* ---- reading a record to change it ------------------------------------------------ */

void write_init(struct write *w, const struct entity *e, enum write_op op, const char *actor,
		enum role viewer)
{
	memset(w, 0, sizeof *w);
	w->e = e;
	w->op = op;
	w->actor = actor;
	w->viewer = viewer;
}

void write_release(struct write *w)
{
	buf_release(&w->key);
	buf_release(&w->before_json);
	buf_release(&w->answer);
}

struct read_ctx {
	struct write *w;
	bool found;
};

static enum app_err read_row(void *ctx, const struct row *row)
{
	struct read_ctx *r = ctx;
	struct write *w = r->w;
	rec_from_row(w->before, row);
	if (w->after) /* what the write starts from */
		rec_from_row(w->after, row);
	buf_reset(&w->before_json);
	rec_row_json(&w->before_json, w->e, row, ROLE_ADMIN); /* the audit trail keeps everything */
	buf_reset(&w->answer);
	rec_row_json(&w->answer, w->e, row, w->viewer);
	w->version = row_int(row, w->e->col_version);
	r->found = true;
	return APP_OK;
}

enum app_err store_read(struct store *st, const struct query *q, struct write *w)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc)
		return rc;
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "SELECT ");
	select_list(&s, q->e, c->ops);
	buf_printf(&s.sql, " FROM %s t", q->e->name);
	stmt_where(&s, q);
	/* held until the transaction ends: no other writer slips between this
	 * reading and the write decided from it */
	buf_adds(&s.sql, c->depth ? c->ops->lock_row : "");
	struct read_ctx r = { .w = w };
	rc = conn_walk(c, &s, read_row, &r, NULL);
	stmt_release(&s);
	return rc ? rc : r.found ? APP_OK : APP_NOT_FOUND;
}

/* ---- writing -------------------------------------------------------------- */

static const char *column_type(const struct field *f);
static enum app_err reserve_ids(struct conn *c, const struct entity *e, long long used);

enum app_err conn_bump(struct conn *c)
{
	return conn_exec(c, "UPDATE suivi_meta SET generation = generation + 1 WHERE id = 1");
}

/* Does the record `key` of e exist? */
static enum app_err exists(struct conn *c, const struct entity *e, const char *key, bool *yes)
{
	struct stmt s;
	stmt_init(&s);
	buf_printf(&s.sql, "SELECT 1 FROM %s WHERE %s = ?", e->name, ent_keyfield(e)->name);
	stmt_key(&s, e, key);
	long long one;
	enum app_err rc = conn_scalar(c, &s, &one, yes);
	stmt_release(&s);
	return rc;
}

enum app_err store_max_id(struct store *st, const struct entity *e, long long *id)
{
	struct stmt s;
	stmt_init(&s);
	buf_printf(&s.sql, "SELECT COALESCE(MAX(%s), 0) FROM %s", ent_keyfield(e)->name, e->name);
	return store_scalar(st, &s, id, NULL);
}

enum app_err store_reserve_ids(struct store *st, const struct entity *e, long long used)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	return rc ? rc : reserve_ids(c, e, used);
}

enum app_err store_exists(struct store *st, const struct entity *e, const char *key, bool *yes)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	return rc ? rc : exists(c, e, key, yes);
}

/* Binds one value of a unique declaration's field: its key or value, or
 * what an absent one counts as (unique_ddl). */
static void unique_value(struct stmt *s, const struct field *f, const struct fval *v, bool several)
{
	bool absent = !v->set || v->null;
	if (f->type == FT_INT || f->type == FT_BOOL)
		stmt_int(s, absent ? 0 : v->i);
	else if (f->type == FT_REF && !absent)
		stmt_key(s, f->target, v->s);
	else if (absent && several)
		stmt_param(s, column_type(f)[0] == 'T' ? (struct dbparam){ .type = DBP_TEXT, .s = "" }
						       : (struct dbparam){ .type = DBP_INT, .i = 0 });
	else
		stmt_text(s, absent ? NULL : v->s);
}

enum app_err store_unique_taken(struct store *st, const struct record *r, bool *yes)
{
	const struct entity *e = r->e;
	*yes = false;
	if (!e->unique)
		return APP_OK;
	struct stmt s;
	stmt_init(&s);
	buf_printf(&s.sql, "SELECT 1 FROM %s WHERE ", e->name);
	bool several = strchr(e->unique, ',') != NULL;
	int n = 0;
	for (const char *p = e->unique; *p; n++) {
		size_t len = strcspn(p, ",");
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)len, p);
		int i = ent_field_index(e, name);
		const struct field *f = &e->fields[i];
		if (several && !(f->flags & F_REQUIRED))
			buf_printf(&s.sql, "%sCOALESCE(%s, %s) = ?", n ? " AND " : "", f->name,
				   column_type(f)[0] == 'T' ? "''" : "0");
		else
			buf_printf(&s.sql, "%s%s = ?", n ? " AND " : "", f->name);
		unique_value(&s, f, &r->v[i], several);
		p += len + (p[len] == ',');
	}
	long long one;
	return store_scalar(st, &s, &one, yes);
}

/* Is field i part of what w writes? */
static bool writes(const struct write *w, int i)
{
	const struct fval *v = &w->after->v[i];
	return w->op == WRITE_CREATE ? v->set : w->changed[i];
}

/* Every reference that w writes must name an existing record. */
static enum app_err check_refs(struct conn *c, const struct write *w)
{
	const struct entity *e = w->e;
	const struct record *r = w->after;
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		const struct fval *v = &r->v[i];
		if (!writes(w, i) || v->null || (f->type != FT_REF && f->type != FT_REFS))
			continue;
		size_t n = f->type == FT_REF ? 1 : v->nlist;
		for (size_t k = 0; k < n; k++) {
			const char *key = f->type == FT_REF ? v->s : v->list[k];
			bool yes;
			enum app_err rc = exists(c, f->target, key, &yes);
			if (rc)
				return rc;
			if (!yes)
				ferrs_add(w->errs, f->name, N_("refers to a record that does not exist: %s"), key);
		}
	}
	return w->errs->n ? APP_INVALID : APP_OK;
}

/* Binds field value v for the column(s) of f and names them in cols, with
 * a comma before each but the first (*n counts them): "name" for an
 * INSERT, "name = ?" for an UPDATE (assign). */
static void bind_value(struct stmt *s, struct buf *cols, int *n, const struct field *f,
		       const struct fval *v, bool assign)
{
	const char *eq = assign ? " = ?" : "";
	if (f->type == FT_I18N) {
		for (int l = 0; l < LANG__MAX; l++) {
			buf_printf(cols, "%s%s_%s%s", (*n)++ ? "," : "", f->name, lang_code[l], eq);
			stmt_text(s, v->null ? NULL : v->tr[l]);
		}
		return;
	}
	buf_printf(cols, "%s%s%s", (*n)++ ? "," : "", f->name, eq);
	long long id;
	if (v->null)
		stmt_text(s, NULL);
	else if (f->type == FT_INT || f->type == FT_BOOL)
		stmt_int(s, v->i);
	else if (f->type == FT_ID)
		stmt_int(s, util_parse_ll(v->s, &id) ? id : -1);
	else if (f->type == FT_REF)
		stmt_key(s, f->target, v->s);
	else
		stmt_text(s, v->s);
}

/* The columns derived from the record (entity.h: derived) that w writes:
 * all on a create, on an update those made from a field that changed. */
static void bind_derived(struct stmt *s, struct buf *cols, int *n, const struct write *w, bool assign)
{
	for (const struct derived *d = w->e->derived; d && d->column; d++) {
		bool needed = w->op == WRITE_CREATE;
		for (const char *const *from = d->from; !needed && *from; from++)
			needed = w->changed[ent_field_index(w->e, *from)];
		if (!needed)
			continue;
		struct buf v = BUF_INIT;
		d->value(w->after, &v);
		buf_printf(cols, "%s%s%s", (*n)++ ? "," : "", d->column, assign ? " = ?" : "");
		stmt_text_owned(s, buf_detach(&v));
	}
}

/* The columns that w writes and their values, into cols and s: on a
 * create every field given, on an update those that changed but the key
 * (as "name = ?"); then the derived ones, then the timestamps (and an
 * update's new version). */
static void bind_columns(struct stmt *s, struct buf *cols, const struct write *w)
{
	const struct entity *e = w->e;
	bool assign = w->op == WRITE_UPDATE;
	int n = 0;
	for (int i = 0; i < e->nfields; i++)
		if (field_stored(&e->fields[i]) && writes(w, i) && !(assign && i == e->key))
			bind_value(s, cols, &n, &e->fields[i], &w->after->v[i], assign);
	bind_derived(s, cols, &n, w, assign);
	char now[21];
	util_now(now);
	char *stamp = xstrdup(now); /* bound, so it lives as long as s */
	stmt_text_owned(s, stamp);
	buf_adds(cols, n ? "," : "");
	if (assign) {
		buf_adds(cols, "version = version + 1, updated_at = ?");
	} else {
		stmt_text(s, stamp);
		buf_adds(cols, "created_at,updated_at");
	}
}

static enum app_err delete_links(struct conn *c, const struct entity *e, const struct field *f,
				 const char *key)
{
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "DELETE FROM ");
	stmt_link_table(&s.sql, e, f);
	buf_printf(&s.sql, " WHERE %s = ?", e->name);
	stmt_key(&s, e, key);
	enum app_err rc = conn_run(c, &s, NULL);
	stmt_release(&s);
	return rc;
}

/* The link rows of the sets of references that w writes. */
static enum app_err write_links(struct conn *c, struct write *w)
{
	const struct entity *e = w->e;
	const char *key = buf_cstr(&w->key);
	enum app_err rc = APP_OK;
	for (int i = 0; i < e->nfields && !rc; i++) {
		const struct field *f = &e->fields[i];
		const struct fval *v = &w->after->v[i];
		if (f->type != FT_REFS || !writes(w, i))
			continue;
		if (w->op == WRITE_UPDATE)
			rc = delete_links(c, e, f, key);
		for (size_t k = 0; k < v->nlist && !rc; k++) {
			struct stmt s;
			stmt_init(&s);
			buf_adds(&s.sql, "INSERT INTO ");
			stmt_link_table(&s.sql, e, f);
			buf_printf(&s.sql, " (%s, %s) VALUES (?, ?)", e->name, f->target->name);
			stmt_key(&s, e, key);
			stmt_key(&s, f->target, v->list[k]);
			rc = conn_run(c, &s, NULL);
			stmt_release(&s);
		}
	}
	return rc;
}

/* Keeps ids from being given out again after rows were written with their
 * ids given (a data file, a copy): the generator moves past `used`. */
static enum app_err reserve_ids(struct conn *c, const struct entity *e, long long used)
{
	enum app_err rc = c->ops->ids_reserve(c->db, e->name, used);
	if (rc && c->depth)
		c->failed = true;
	return rc;
}

/* Runs an INSERT or UPDATE ending in RETURNING the row's layout: the
 * record as written becomes w's answer, version and key, and *after its
 * audit image. */
static enum app_err run_returning(struct conn *c, struct stmt *s, struct write *w, struct buf *after)
{
	struct dbrows *rows = NULL;
	enum app_err rc = conn_run(c, s, &rows);
	if (rc)
		return rc;
	struct row row = { .ops = c->ops, .rs = rows };
	if (c->ops->next(rows) == 1) {
		rec_row_json(after, w->e, &row, ROLE_ADMIN);
		buf_reset(&w->answer);
		rec_row_json(&w->answer, w->e, &row, w->viewer);
		w->version = row_int(&row, w->e->col_version);
		buf_reset(&w->key);
		rec_row_key(&w->key, w->e, &row);
	} else {
		rc = APP_NOT_FOUND; /* (an update of a row gone: the read holds it) */
	}
	c->ops->done(rows);
	return rc;
}

static enum app_err insert_row(struct conn *c, struct write *w, struct buf *after)
{
	const struct entity *e = w->e;
	const struct record *r = w->after;
	struct stmt s;
	struct buf cols = BUF_INIT;
	stmt_init(&s);
	bind_columns(&s, &cols, w);
	buf_printf(&s.sql, "INSERT INTO %s (%s) VALUES (", e->name, buf_cstr(&cols));
	for (int i = 0; i < s.np; i++)
		buf_adds(&s.sql, i ? ",?" : "?");
	buf_adds(&s.sql, ") RETURNING ");
	row_list(&s, e, c->ops, e->name, r);
	buf_release(&cols);
	enum app_err rc = run_returning(c, &s, w, after);
	stmt_release(&s);
	long long id;
	if (!rc && r->v[e->key].set && e->fields[e->key].type == FT_ID && util_parse_ll(r->v[e->key].s, &id))
		rc = reserve_ids(c, e, id);
	return rc;
}

static enum app_err update_row(struct conn *c, struct write *w, struct buf *after)
{
	const struct entity *e = w->e;
	struct stmt s;
	struct buf cols = BUF_INIT;
	stmt_init(&s);
	bind_columns(&s, &cols, w);
	buf_printf(&s.sql, "UPDATE %s SET %s WHERE %s = ? RETURNING ", e->name, buf_cstr(&cols), ent_keyfield(e)->name);
	buf_release(&cols);
	stmt_key(&s, e, buf_cstr(&w->key));
	row_list(&s, e, c->ops, e->name, w->after);
	enum app_err rc = run_returning(c, &s, w, after);
	stmt_release(&s);
	return rc;
}

static enum app_err referrers(struct conn *c, const struct entity *e, const char *key,
			      referrer_fn fn, void *ctx, long long *total);
static void why_add(void *ctx, const struct entity *o, const struct field *f, const char *plural,
		    const char *column, long long n);

static enum app_err delete_row(struct conn *c, struct write *w)
{
	const struct entity *e = w->e;
	const char *key = buf_cstr(&w->key);
	enum app_err rc = APP_OK;
	/* Its own link rows go with it. */
	for (int k = 0; !rc && k < e->nfields; k++)
		if (e->fields[k].type == FT_REFS)
			rc = delete_links(c, e, &e->fields[k], key);
	if (rc)
		return rc;
	struct stmt s;
	stmt_init(&s);
	buf_printf(&s.sql, "DELETE FROM %s WHERE %s = ?", e->name, ent_keyfield(e)->name);
	stmt_key(&s, e, key);
	rc = conn_run(c, &s, NULL);
	stmt_release(&s);
	return rc;
}

static enum app_err run_hook(struct store *st, struct write *w,
			     enum app_err (*hook)(struct store *, struct write *))
{
	return hook ? hook(st, w) : APP_OK;
}

/* The write itself, in the open transaction c. */
static enum app_err write_in(struct store *st, struct conn *c, struct write *w)
{
	const struct ent_hooks *h = w->e->hooks;
	enum app_err rc = w->op == WRITE_DELETE ? APP_OK : check_refs(c, w);
	if (!rc && w->op == WRITE_DELETE) { /* refused before the hooks when others refer to it */
		long long refs = 0;
		if (w->why)
			buf_reset(w->why);
		rc = referrers(c, w->e, buf_cstr(&w->key), w->why ? why_add : NULL, w->why, &refs);
		if (!rc && refs)
			rc = APP_CONFLICT;
	}
	if (!rc && h)
		rc = run_hook(st, w, h->before);
	if (!rc) /* (after the hooks: they may move a date) */
		rc = conn_lock_check(c, w);
	struct buf after = BUF_INIT;
	if (!rc)
		rc = w->op == WRITE_CREATE ? insert_row(c, w, &after)
		   : w->op == WRITE_UPDATE ? update_row(c, w, &after) : delete_row(c, w);
	if (!rc && w->op != WRITE_DELETE)
		rc = write_links(c, w);
	if (!rc)
		rc = audit_write(c, w, &after);
	if (!rc && !w->e->readonly)
		rc = conn_webhook_event(c, w->e->plural, w->op == WRITE_CREATE ? "created"
						  : w->op == WRITE_UPDATE ? "updated" : "deleted",
					buf_cstr(&w->key));
	buf_release(&after);
	if (!rc && h)
		rc = run_hook(st, w, h->after);
	if (!rc)
		rc = conn_bump(c);
	return rc;
}

enum app_err store_write(struct store *st, struct write *w)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	rc = write_in(st, c, w);
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

/* Names n records of `plural` (by their column) in why, a buf. */
static void why_add(void *ctx, const struct entity *o, const struct field *f, const char *plural,
		    const char *column, long long n)
{
	(void)o;
	(void)f;
	struct buf *why = ctx;
	buf_printf(why, "%s%lld %s (%s)", why->len ? ", " : "", n, plural, column);
}

/* A kind of record that refers to another: o's reference f, or a table
 * outside the registry (o and f NULL) by its column. */
struct referrer {
	const struct entity *o;
	const struct field *f;
	const char *plural, *column;
};

/* Runs the count s of the records of kind r that refer to the record key
 * of e, which it binds; adds them to *total and tells fn (NULL: nobody)
 * of them.  Releases s. */
static enum app_err count_referrers(struct conn *c, struct stmt *s, const struct entity *e, const char *key,
				   const struct referrer *r, referrer_fn fn, void *ctx, long long *total)
{
	stmt_key(s, e, key);
	long long n = 0;
	enum app_err rc = conn_scalar(c, s, &n, NULL);
	stmt_release(s);
	if (rc)
		return rc;
	if (n && fn)
		fn(ctx, r->o, r->f, r->plural, r->column, n);
	*total += n;
	return APP_OK;
}

/* Tables outside the registry (store_auth.c) whose column named as an
 * entity refers to its records: an account's country and organisation. */
static const struct {
	const char *table, *plural, *column;
} outside_refs[] = { { "account", "accounts", "country" }, { "account", "accounts", "organisation" } };

static enum app_err outside_referrers(struct conn *c, const struct entity *e, const char *key,
				      referrer_fn fn, void *ctx, long long *total)
{
	enum app_err rc = APP_OK;
	for (size_t i = 0; !rc && i < sizeof outside_refs / sizeof *outside_refs; i++) {
		if (ent_by_name(outside_refs[i].column) != e)
			continue;
		struct stmt s;
		stmt_init(&s);
		buf_printf(&s.sql, "SELECT count(*) FROM %s WHERE %s = ?", outside_refs[i].table,
			   outside_refs[i].column);
		struct referrer r = { .plural = outside_refs[i].plural, .column = outside_refs[i].column };
		rc = count_referrers(c, &s, e, key, &r, fn, ctx, total);
	}
	return rc;
}

/* Counts the records of other entities that refer to (e, key), every
 * reference the schema declares: a column of o (REFERENCES, no ON DELETE)
 * or a set's link table, whose column of e has no ON DELETE either (its
 * owner's has ON DELETE CASCADE: a record's own link rows go with it).
 * Tells fn of each kind. */
static enum app_err referrers(struct conn *c, const struct entity *e, const char *key,
			      referrer_fn fn, void *ctx, long long *total)
{
	*total = 0;
	enum app_err rc = APP_OK;
	for (size_t i = 0; i < entities_count && !rc; i++) {
		const struct entity *o = entities[i];
		for (int k = 0; k < o->nfields && !rc; k++) {
			const struct field *f = &o->fields[k];
			if ((f->type != FT_REF && f->type != FT_REFS) || f->target != e)
				continue;
			struct stmt s;
			stmt_init(&s);
			if (f->type == FT_REF) {
				buf_printf(&s.sql, "SELECT count(*) FROM %s WHERE %s = ?", o->name, f->name);
			} else {
				buf_adds(&s.sql, "SELECT count(*) FROM ");
				stmt_link_table(&s.sql, o, f);
				buf_printf(&s.sql, " WHERE %s = ?", e->name);
			}
			struct referrer r = { .o = o, .f = f, .plural = o->plural, .column = f->name };
			rc = count_referrers(c, &s, e, key, &r, fn, ctx, total);
		}
	}
	if (rc)
		return rc;
	return outside_referrers(c, e, key, fn, ctx, total);
}

enum app_err store_referrers(struct store *st, const struct entity *e, const char *key, referrer_fn fn,
			     void *ctx)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	long long total = 0;
	return rc ? rc : referrers(c, e, key, fn, ctx, &total);
}

/* ---- whole-database copy ------------------------------------------------------- */

/* The stored columns of e, in row order, and their count. */
static int stored_columns(const struct entity *e, struct buf *cols)
{
	int n = 0;
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if (!field_stored(f))
			continue;
		if (f->type == FT_I18N)
			for (int l = 0; l < LANG__MAX; l++)
				buf_printf(cols, "%s%s_%s", n++ ? "," : "", f->name, lang_code[l]);
		else
			buf_printf(cols, "%s%s", n++ ? "," : "", f->name);
	}
	buf_adds(cols, ",version,created_at,updated_at");
	return n + 3;
}

struct copy_ctx {
	struct conn *to;
	const char *table, *cols;
	int ncols;
	long long *rows;
};

static enum app_err copy_row(void *ctx, const struct row *row)
{
	struct copy_ctx *k = ctx;
	struct stmt ins;
	stmt_init(&ins);
	buf_printf(&ins.sql, "INSERT INTO %s (%s) VALUES (", k->table, k->cols);
	for (int i = 0; i < k->ncols; i++)
		stmt_add(&ins, i ? ",?" : "?", BIND(p_text(row_text(row, i))));
	buf_addc(&ins.sql, ')');
	enum app_err rc = conn_run(k->to, &ins, NULL);
	stmt_release(&ins);
	(*k->rows)++;
	return rc;
}

/* Copies the result of select (on from) into table(cols) of to, value by
 * value as text, which both backends convert to the column's type. */
static enum app_err copy_rows(struct store *from, struct store *to, const char *select,
			      const char *table, const char *cols, int ncols, long long *rows)
{
	struct copy_ctx k = { .table = table, .cols = cols, .ncols = ncols, .rows = rows };
	enum app_err rc = conn_get(to, &k.to, NULL);
	return rc ? rc : store_each(from, select, NO_BINDS, copy_row, &k);
}

enum app_err store_copy_entity(struct store *from, struct store *to, const struct entity *e,
			       long long *rows)
{
	struct conn *src, *dst;
	enum app_err rc = conn_get(from, &src, NULL);
	if (rc || (rc = conn_get(to, &dst, NULL)))
		return rc;
	struct buf cols = BUF_INIT, sql = BUF_INIT;
	int ncols = stored_columns(e, &cols);
	buf_printf(&sql, "SELECT %s FROM %s ORDER BY %s", buf_cstr(&cols), e->name,
		   ent_keyfield(e)->name);
	*rows = 0;
	rc = copy_rows(from, to, buf_cstr(&sql), e->name, buf_cstr(&cols), ncols, rows);
	long long used = 0;
	if (!rc && ent_int_key(e))
		rc = src->ops->ids_used(src->db, e->name, &used);
	if (!rc && ent_int_key(e))
		rc = reserve_ids(dst, e, used); /* deleted ids stay unused on the copy */
	if (!rc)
		rc = conn_bump(dst);
	buf_release(&cols);
	buf_release(&sql);
	return rc;
}

enum app_err store_copy_links(struct store *from, struct store *to, const struct entity *e,
			      long long *rows)
{
	enum app_err rc = APP_OK;
	*rows = 0;
	for (int k = 0; !rc && k < e->nfields; k++) {
		const struct field *f = &e->fields[k];
		if (f->type != FT_REFS)
			continue;
		struct buf table = BUF_INIT, lcols = BUF_INIT, sql = BUF_INIT;
		stmt_link_table(&table, e, f);
		buf_printf(&lcols, "%s,%s", e->name, f->target->name);
		buf_printf(&sql, "SELECT %s FROM %s", buf_cstr(&lcols), buf_cstr(&table));
		rc = copy_rows(from, to, buf_cstr(&sql), buf_cstr(&table), buf_cstr(&lcols), 2, rows);
		buf_release(&table);
		buf_release(&lcols);
		buf_release(&sql);
	}
	return rc;
}

enum app_err store_copy_accounts(struct store *from, struct store *to, long long *rows)
{
	static const char *const tables[][2] = {
		{ "account", "id,name,role,country,organisation,password_hash,disabled,created_at,updated_at,"
			      "must_change,last_login_at,email" },
		{ "api_token", "id,account,token_hash,label,created_at,revoked_at" },
		/* the admission rules of single sign-on; a provider's subjects are linked
		 * again at their next sign-in, by their address */
		{ "oidc_rule", "id,provider,kind,value,admit,role,country,organisation,created_at" },
		{ "signing_key", "id,public_key,secret_key,created_at" },
	};
	enum app_err rc = APP_OK;
	*rows = 0;
	for (size_t i = 0; !rc && i < sizeof tables / sizeof *tables; i++) {
		char *sql = xasprintf("SELECT %s FROM %s ORDER BY id", tables[i][1], tables[i][0]);
		int ncols = 1;
		for (const char *p = tables[i][1]; *p; p++)
			ncols += *p == ',';
		rc = copy_rows(from, to, sql, tables[i][0], tables[i][1], ncols, rows);
		free(sql);
	}
	return rc;
}

struct print_ctx {
	const struct entity *e;
	unsigned long long hash;
	long long count;
	struct buf json;
};

static enum app_err print_row(void *ctx, const struct row *row)
{
	struct print_ctx *p = ctx;
	buf_reset(&p->json);
	rec_row_json(&p->json, p->e, row, ROLE_ADMIN);
	for (size_t i = 0; i < p->json.len; i++) /* FNV-1a, 64 bits */
		p->hash = (p->hash ^ (unsigned char)p->json.data[i]) * 1099511628211ull;
	p->hash = (p->hash ^ '\n') * 1099511628211ull;
	p->count++;
	return APP_OK;
}

enum app_err store_fingerprint(struct store *st, const struct entity *e,
			       unsigned long long *hash, long long *count)
{
	struct query q = { .e = e, .limit = -1, .sort = ent_keyfield(e), .viewer = ROLE_ADMIN };
	struct print_ctx p = { .e = e, .hash = 14695981039346656037ull };
	enum app_err rc = store_list(st, &q, NULL, print_row, &p);
	buf_release(&p.json);
	*hash = p.hash;
	*count = p.count;
	return rc;
}

/* ---- schema and migrations --------------------------------------------------- */

static const char *column_type(const struct field *f)
{
	switch (f->type) {
	case FT_INT:
	case FT_ID:
		return "BIGINT";
	case FT_BOOL:
		return "SMALLINT";
	case FT_REF:
		return ent_int_key(f->target) ? "BIGINT" : "TEXT";
	default:
		return "TEXT";
	}
}

static void column_ddl(struct buf *b, const struct field *f, const struct db_ops *ops)
{
	if (f->flags & F_RKEY) { /* in a new table: its default from the start */
		buf_printf(b, "%s BIGINT NOT NULL DEFAULT %s", f->name, ops->random_key);
		return;
	}
	if (f->type == FT_I18N) {
		for (int l = 0; l < LANG__MAX; l++)
			buf_printf(b, "%s%s_%s TEXT", l ? ", " : "", f->name, lang_code[l]);
		return;
	}
	buf_printf(b, "%s %s", f->name, column_type(f));
	if (f->flags & F_REQUIRED)
		buf_adds(b, " NOT NULL");
	if (f->def)
		buf_printf(b, " DEFAULT %s", f->def);
	if (f->type == FT_BOOL)
		buf_printf(b, " CHECK (%s IN (0, 1))", f->name);
	if (f->type == FT_REF)
		buf_printf(b, " REFERENCES %s(%s)", f->target->name, ent_keyfield(f->target)->name);
}

static int field_since(const struct entity *e, const struct field *f)
{
	return f->since ? f->since : e->since;
}

static void link_ddl(struct buf *b, const struct entity *e, const struct field *f)
{
	const struct field *ek = ent_keyfield(e), *tk = ent_keyfield(f->target);
	buf_adds(b, "CREATE TABLE ");
	stmt_link_table(b, e, f);
	buf_printf(b, " (%s %s NOT NULL REFERENCES %s(%s) ON DELETE CASCADE, "
		      "%s %s NOT NULL REFERENCES %s(%s), PRIMARY KEY (%s, %s));\n",
		   e->name, ek->type == FT_ID ? "BIGINT" : "TEXT", e->name, ek->name,
		   f->target->name, tk->type == FT_ID ? "BIGINT" : "TEXT", f->target->name,
		   tk->name, e->name, f->target->name);
	buf_printf(b, "CREATE INDEX %s_%s_%s ON ", e->name, f->name, f->target->name);
	stmt_link_table(b, e, f);
	buf_printf(b, " (%s);\n", f->target->name);
}

/* The unique index of e's `unique` declaration, made by the migration that
 * adds the last of its fields: TABLE_FIELD for one field, TABLE_once for
 * several, where an absent value counts as a value (NULLs would be
 * distinct: two ratings by "no country" would both pass). */
static void unique_ddl(struct buf *b, const struct entity *e, int version)
{
	if (!e->unique)
		return;
	const struct field *fields[8];
	int n = 0, since = 0;
	for (const char *p = e->unique; *p && n < 8;) {
		size_t len = strcspn(p, ",");
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)len, p);
		fields[n] = ent_field(e, name);
		if (field_since(e, fields[n]) > since)
			since = field_since(e, fields[n]);
		n++;
		p += len + (p[len] == ',');
	}
	if (since != version)
		return;
	if (n == 1) {
		buf_printf(b, "CREATE UNIQUE INDEX %s_%s ON %s (%s);\n", e->name, fields[0]->name, e->name,
			   fields[0]->name);
		return;
	}
	buf_printf(b, "CREATE UNIQUE INDEX %s_once ON %s (", e->name, e->name);
	for (int i = 0; i < n; i++) {
		const struct field *f = fields[i];
		bool text = column_type(f)[0] == 'T';
		if (f->flags & F_REQUIRED)
			buf_printf(b, "%s%s", i ? ", " : "", f->name);
		else
			buf_printf(b, "%sCOALESCE(%s, %s)", i ? ", " : "", f->name, text ? "''" : "0");
	}
	buf_adds(b, ");\n");
}

/* The DDL that migration `version` makes from the registry. */
static void migration_ddl(struct buf *b, int version, const struct db_ops *ops)
{
	/* The new tables first, then the columns added to older ones: an added
	 * column may refer to a new table (training_session.programme), which
	 * PostgreSQL wants to exist already. */
	for (int pass = 0; pass < 2; pass++)
	for (size_t i = 0; i < entities_count; i++) {
		const struct entity *e = entities[i];
		if (e->since > version || (pass == 0) != (e->since == version))
			continue;
		if (e->since == version) {
			buf_printf(b, "CREATE TABLE %s (", e->name);
			int n = 0;
			for (int k = 0; k < e->nfields; k++) {
				const struct field *f = &e->fields[k];
				if (!field_stored(f) || field_since(e, f) > version)
					continue;
				buf_adds(b, n++ ? ", " : "");
				if (f->type == FT_ID)
					buf_printf(b, "%s %s", f->name, ops->id_column);
				else
					column_ddl(b, f, ops);
				if (f->type == FT_CODE)
					buf_adds(b, " PRIMARY KEY");
			}
			buf_adds(b, ", version BIGINT NOT NULL DEFAULT 1, created_at TEXT NOT NULL, "
				    "updated_at TEXT NOT NULL);\n");
		}
		for (int k = 0; k < e->nfields; k++) {
			const struct field *f = &e->fields[k];
			if (field_since(e, f) != version || (f->flags & F_COMPUTED))
				continue;
			if (f->type == FT_REFS) {
				link_ddl(b, e, f);
				continue;
			}
			if (e->since != version && field_stored(f) && (f->flags & F_RKEY)) {
				/* filled, then given its default: rkey_defaults() */
				buf_printf(b, "ALTER TABLE %s ADD COLUMN %s BIGINT;\n", e->name, f->name);
			} else if (e->since != version && field_stored(f)) {
				buf_printf(b, "ALTER TABLE %s ADD COLUMN ", e->name);
				column_ddl(b, f, ops);
				buf_adds(b, ";\n");
			}
			if (f->type == FT_REF)
				buf_printf(b, "CREATE INDEX %s_%s ON %s (%s);\n", e->name, f->name,
					   e->name, f->name);
			if (f->flags & F_UNIQUE)
				buf_printf(b, "CREATE UNIQUE INDEX %s_%s ON %s (%s);\n", e->name, f->name,
					   e->name, f->name);
		}
		unique_ddl(b, e, version);
	}
}

/* Hand-written steps of each migration, run after the generated DDL. */
static const char *const migration_extra[] = {
	[1] = "CREATE TABLE suivi_meta (id BIGINT PRIMARY KEY, generation BIGINT NOT NULL);\n"
	      "INSERT INTO suivi_meta (id, generation) VALUES (1, 1);\n"
	      "CREATE INDEX action_due_status ON action (due_date, status);\n"
	      "CREATE INDEX meeting_start ON meeting (start_date);\n",
	[2] = "CREATE INDEX audit_entity_record ON audit (entity, record);\n",
	/* accounts and what proves who is asking (store_auth.c) */
	[3] = "CREATE TABLE account (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
	      "role TEXT NOT NULL, country TEXT REFERENCES country(code), "
	      "organisation BIGINT REFERENCES organisation(id), password_hash TEXT NOT NULL, "
	      "disabled SMALLINT NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);\n"
	      "CREATE TABLE session (token_hash TEXT PRIMARY KEY, account BIGINT NOT NULL REFERENCES account(id), "
	      "csrf TEXT NOT NULL, created_at BIGINT NOT NULL, seen_at BIGINT NOT NULL);\n"
	      "CREATE INDEX session_account ON session (account);\n"
	      "CREATE TABLE api_token (id BIGINT PRIMARY KEY, account BIGINT NOT NULL REFERENCES account(id), "
	      "token_hash TEXT NOT NULL UNIQUE, label TEXT, created_at TEXT NOT NULL, revoked_at TEXT);\n"
	      "CREATE TABLE login_throttle (key TEXT PRIMARY KEY, failures BIGINT NOT NULL, "
	      "locked_until BIGINT NOT NULL);\n",
	/* needs: the matrix reads the latest assessment of each cell */
	[4] = "CREATE INDEX need_cell ON need (country, theme, assessed_on);\n"
	      /* need_cell starts with the country: the registry's own index on it
	       * would only cost every insert (an import of 10⁵ rows); one on the
	       * theme (a dozen values) saves little to a reader of 10⁴ rows
	       * and costs every insert too (measured: 17 % of an import) */
	      "DROP INDEX need_country;\n"
	      "DROP INDEX need_theme;\n",
	/* documents: is a stored file still used by another row? (docs.c) */
	[5] = "CREATE INDEX document_sha256 ON document (sha256);\n",
	/* the follow-up board: its counts by status read this index alone
	 * (store_followup.c) */
	[6] = "CREATE INDEX action_followup ON action (status, due_date, percent, outcome, owner);\n"
	      /* ... and the follow-up of each outcome (home, edition and report
	       * pages) this one, which also serves the lookups by outcome */
	      "CREATE INDEX action_outcome_followup ON action (outcome, status, due_date, percent);\n"
	      "DROP INDEX action_outcome;\n",
	/* training: the unique index of one enrolment of a participant in a
	 * session (the registry's) starts with the participant */
	[7] = "DROP INDEX enrolment_participant;\n",
	/* [8]: the training summaries, store_tsum_ddl() (store_tsum.c), the
	 * enrolments' ent_hooks.ddl */
	[8] = "",
	/* technical assistance and the forum: the registry's unique index of a
	 * registration (one of a person at an event) starts with the meeting.
	 * (Databases made before the unique indexes came from the registry call
	 * those of programmes and organisations programme_iati and
	 * organisation_iati.) */
	[9] = "DROP INDEX registration_meeting;\n",
	/* [10]: reserved (another change).  [11]: the record keys of
	 * participants and enrolments (the registry's F_RKEY fields,
	 * rkey_defaults) and the summaries' sums of them
	 * (store_tsum_ddl, store_tsum_migrated) */
	[11] = "",
	/* accounts made in the browser: a one-time password must be replaced
	 * at the first sign-in; the last sign-in is shown to administrators */
	[12] = "ALTER TABLE account ADD COLUMN must_change SMALLINT NOT NULL DEFAULT 0;\n"
	       "ALTER TABLE account ADD COLUMN last_login_at TEXT;\n",
	/* the key that signs certificates (certsign.h), made on first use */
	[13] = "CREATE TABLE signing_key (id BIGINT PRIMARY KEY, public_key TEXT NOT NULL, "
	       "secret_key TEXT NOT NULL, created_at TEXT NOT NULL);\n",
	/* what a person sees of their own sign-ins (store_auth.h): where each
	 * session was opened from, and the sign-ins, right and wrong, of the
	 * last SIGN_IN_KEEP days */
	[14] = "ALTER TABLE session ADD COLUMN client TEXT;\n"
	       "CREATE TABLE sign_in (account BIGINT NOT NULL REFERENCES account(id), at_us BIGINT NOT NULL, "
	       "client TEXT, ok SMALLINT NOT NULL);\n"
	       "CREATE INDEX sign_in_account ON sign_in (account, at_us);\n",
	/* links that set a forgotten password (store_auth.h) */
	[15] = "CREATE TABLE password_reset (token_hash TEXT PRIMARY KEY, "
	       "account BIGINT NOT NULL REFERENCES account(id), expires_at BIGINT NOT NULL, used_at BIGINT);\n",
	/* two-factor sign-in (twofa.h): each account's sealed TOTP secret, its
	 * recovery codes (hashed), the roles that must use it, and the sessions
	 * that gave the password but not yet the code */
	[16] = "CREATE TABLE totp (account BIGINT PRIMARY KEY REFERENCES account(id), secret TEXT NOT NULL, "
	       "confirmed SMALLINT NOT NULL DEFAULT 0, last_step BIGINT NOT NULL DEFAULT 0, created_at TEXT NOT NULL, "
	       "session TEXT);\n"
	       "CREATE TABLE recovery_code (account BIGINT NOT NULL REFERENCES account(id), code_hash TEXT NOT NULL, "
	       "used_at TEXT);\n"
	       "CREATE INDEX recovery_code_account ON recovery_code (account);\n"
	       "CREATE TABLE twofa_role (role TEXT PRIMARY KEY);\n"
	       "ALTER TABLE session ADD COLUMN pending SMALLINT NOT NULL DEFAULT 0;\n",
	/* single sign-on (oidc.h): each account's address (matched with a
	 * provider's verified one), the sign-ins under way, the people a
	 * provider knows by its subject, the administrator's admission rules and
	 * the requests they hold, and the providers whose multi-factor is
	 * trusted; a session so signed in says so (provider_mfa) */
	[17] = "ALTER TABLE account ADD COLUMN email TEXT;\n"
	       "CREATE UNIQUE INDEX account_email ON account (email);\n"
	       "ALTER TABLE session ADD COLUMN provider_mfa SMALLINT NOT NULL DEFAULT 0;\n"
	       "CREATE TABLE oidc_state (state_hash TEXT PRIMARY KEY, provider TEXT NOT NULL, nonce TEXT NOT NULL, "
	       "verifier TEXT NOT NULL, next TEXT NOT NULL, created_at BIGINT NOT NULL);\n"
	       "CREATE TABLE oidc_identity (provider TEXT NOT NULL, subject TEXT NOT NULL, "
	       "account BIGINT NOT NULL REFERENCES account(id), PRIMARY KEY (provider, subject));\n"
	       "CREATE TABLE oidc_rule (id BIGINT PRIMARY KEY, provider TEXT NOT NULL, kind TEXT NOT NULL, "
	       "value TEXT NOT NULL, admit SMALLINT NOT NULL, role TEXT NOT NULL, country TEXT REFERENCES country(code), "
	       "organisation BIGINT REFERENCES organisation(id), created_at TEXT NOT NULL);\n"
	       "CREATE TABLE oidc_request (id BIGINT PRIMARY KEY, provider TEXT NOT NULL, subject TEXT NOT NULL, "
	       "email TEXT NOT NULL, name TEXT, role TEXT NOT NULL, country TEXT, organisation BIGINT, "
	       "created_at TEXT NOT NULL, "
	       "UNIQUE (provider, subject));\n"
	       "CREATE TABLE oidc_trust_mfa (provider TEXT PRIMARY KEY);\n",
	/* notifications (notify.h): the outbox, written in the transaction of
	 * the change that causes a message: what to send (a template and its
	 * records, composed when sent), to whom, in which language, and how
	 * its delivery went ({id}: the backend's generated key); the
	 * administrator's settings; the addresses that want no more messages */
	[18] = "CREATE TABLE outbox (id {id}, kind TEXT NOT NULL, template TEXT NOT NULL, recipient TEXT NOT NULL, "
	       "lang TEXT NOT NULL, params TEXT NOT NULL, dedupe TEXT UNIQUE, created_at BIGINT NOT NULL, "
	       "next_at BIGINT NOT NULL, tries BIGINT NOT NULL DEFAULT 0, sent_at BIGINT, given_up_at BIGINT, "
	       "last_error TEXT);\n"
	       "CREATE INDEX outbox_due ON outbox (sent_at, given_up_at, next_at);\n"
	       "CREATE TABLE notify_setting (name TEXT PRIMARY KEY, value BIGINT NOT NULL);\n"
	       "CREATE TABLE notify_optout (email TEXT PRIMARY KEY, created_at TEXT NOT NULL);\n"
	       /* webhooks: the addresses an administrator registered, their
	        * events (space-separated, e.g. "actions.created action.late")
	        * and their secret, sealed with the key file (sealed.h) */
	       "CREATE TABLE webhook (id {id}, url TEXT NOT NULL, events TEXT NOT NULL, secret TEXT NOT NULL, "
	       "created_at TEXT NOT NULL);\n"
	       /* the links of the reminders with which an action's owner reports
	        * its progress without an account (kept hashed; no foreign keys:
	        * an action or a person deleted takes its links' use with it) */
	       "CREATE TABLE progress_link (id {id}, token_hash TEXT NOT NULL UNIQUE, action BIGINT NOT NULL, "
	       "person BIGINT NOT NULL, email TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, "
	       "revoked_at BIGINT);\n"
	       "CREATE INDEX progress_link_action ON progress_link (action);\n"
	       /* the language an account last signed in with: its messages' */
	       "ALTER TABLE account ADD COLUMN language TEXT;\n",
	/* the kinds of message an address stopped (notify.h's categories,
	 * space-separated; NULL: every kind, as a one-click stop asks) */
	[19] = "ALTER TABLE notify_optout ADD COLUMN kinds TEXT;\n",
	/* a strategic dialogue edition's seal (seal.h): the file as published,
	 * one per meeting, never changed */
	[20] = "CREATE TABLE seal (meeting BIGINT PRIMARY KEY, sealed_at TEXT NOT NULL, "
	       "sealed_by TEXT NOT NULL, file TEXT NOT NULL);\n",
	/* locked reporting periods (store_lock.h): a programme's or a
	 * meeting's records dated up to as_of refuse changes */
	[21] = "CREATE TABLE period_lock (scope TEXT NOT NULL, scope_id BIGINT NOT NULL, as_of TEXT NOT NULL, "
	       "locked_by TEXT NOT NULL, locked_at TEXT NOT NULL, PRIMARY KEY (scope, scope_id));\n",
	/* review (review.h): the queue reads what waits, oldest first */
	[22] = "CREATE INDEX need_review ON need (review_state, submitted_at);\n"
	       "CREATE INDEX action_update_review ON action_update (review_state, submitted_at);\n"
	       "CREATE INDEX indicator_period_review ON indicator_period (review_state, submitted_at);\n",
};

/* Adds a hand-written step, its {id} the backend's generated key column. */
static void add_extra(struct buf *ddl, const char *step, const struct db_ops *ops)
{
	const char *at;
	while ((at = strstr(step, "{id}"))) {
		buf_add(ddl, step, (size_t)(at - step));
		buf_adds(ddl, ops->id_column);
		step = at + 4;
	}
	buf_adds(ddl, step);
}

/* The record keys that migration `version` adds to existing tables (the
 * ALTER TABLE of migration_ddl): every row gets a random key, then the
 * column its default, which the backend sets (db.h: rkey_default). */
static enum app_err rkey_defaults(struct conn *c, int version)
{
	enum app_err rc = APP_OK;
	for (size_t i = 0; i < entities_count && !rc; i++) {
		const struct entity *e = entities[i];
		const struct field *f = ent_rkey(e);
		if (!f || field_since(e, f) != version || e->since == version)
			continue;
		char *sql = xasprintf("UPDATE %s SET %s = %s", e->name, f->name, c->ops->random_key);
		rc = conn_exec(c, sql);
		free(sql);
		if (!rc)
			rc = c->ops->rkey_default(c->db, e->name, f->name);
		if (rc)
			fprintf(stderr, "suivi: migration failed: the record keys of %s (%s)\n", e->name,
				c->ops->errmsg(c->db));
	}
	return rc;
}

/* Runs a script of statements separated by ";\n". */
static enum app_err exec_script(struct conn *c, const char *script)
{
	const char *p = script;
	while (*p) {
		const char *end = strstr(p, ";\n");
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *sql = xstrndup(p, len);
		enum app_err rc = conn_exec(c, sql);
		if (rc)
			fprintf(stderr, "suivi: migration failed (%s): %s\n", c->ops->errmsg(c->db), sql);
		free(sql);
		if (rc)
			return rc;
		p += len + (end ? 2 : 0);
	}
	return APP_OK;
}

/* The DDL of migration `version` for the tables entities keep beside their
 * rows (entity.h: ent_hooks.ddl), in the registry's order. */
static void schema_hooks_ddl(struct buf *b, int version)
{
	for (size_t i = 0; i < entities_count; i++) {
		const struct ent_hooks *h = entities[i]->hooks;
		if (h && h->ddl)
			h->ddl(b, version);
	}
}

/* ... and what fills them once the migration's DDL ran (ent_hooks.migrated). */
static enum app_err schema_hooks_migrated(struct conn *c, int version)
{
	enum app_err rc = APP_OK;
	for (size_t i = 0; i < entities_count && !rc; i++) {
		const struct ent_hooks *h = entities[i]->hooks;
		if (h && h->migrated)
			rc = h->migrated(c, version);
	}
	return rc;
}

static enum app_err current_version(struct conn *c, long long *v)
{
	return conn_value(c, "SELECT COALESCE(MAX(version), 0) FROM schema_migration", NO_BINDS, v, NULL);
}

enum app_err store_health(struct store *st, const char **why)
{
	struct conn *c;
	long long v = 0;
	*why = NULL;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc) {
		*why = "the database cannot be reached or opened";
		return rc;
	}
	if ((rc = current_version(c, &v))) {
		*why = "the database does not answer";
		return rc;
	}
	if (c->ops->health && (*why = c->ops->health(c->db)))
		return APP_UNAVAILABLE;
	return APP_OK;
}

int store_latest_version(void)
{
	int want = ent_schema_version();
	int nsteps = (int)(sizeof migration_extra / sizeof *migration_extra) - 1;
	return nsteps > want ? nsteps : want; /* a migration of hand-written steps only */
}

static enum app_err migrate(struct conn *c)
{
	enum app_err rc = conn_exec(c, "CREATE TABLE IF NOT EXISTS schema_migration "
				      "(version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)");
	long long have = 0;
	if (rc || (rc = current_version(c, &have)))
		return rc;
	int want = store_latest_version();
	if (have > want) {
		fprintf(stderr, "suivi: the database is at schema version %lld, newer than this "
				"program (%d); use a newer suivi\n", have, want);
		return APP_CONFLICT;
	}
	for (int v = (int)have + 1; v <= want; v++) {
		struct buf ddl = BUF_INIT;
		migration_ddl(&ddl, v, c->ops);
		int nextra = (int)(sizeof migration_extra / sizeof *migration_extra);
		if (v < nextra && migration_extra[v])
			add_extra(&ddl, migration_extra[v], c->ops);
		schema_hooks_ddl(&ddl, v); /* the training summaries (8, 11) */
		char now[21];
		util_now(now);
		rc = conn_begin(c);
		if (rc) {
			buf_release(&ddl);
			return rc;
		}
		if (!(rc = exec_script(c, buf_cstr(&ddl))) && !(rc = rkey_defaults(c, v)) &&
		    !(rc = schema_hooks_migrated(c, v)))
			rc = conn_do(c, "INSERT INTO schema_migration (version, applied_at) VALUES (?, ?)",
				     BIND(p_int(v), p_text(now)));
		enum app_err end = conn_end(c, rc == APP_OK);
		buf_release(&ddl);
		if (rc || (rc = end))
			return rc;
	}
	return APP_OK;
}

int store_schema_version(struct store *st)
{
	struct conn *c;
	long long v = 0;
	if (conn_get(st, &c, NULL) == APP_OK)
		current_version(c, &v);
	return (int)v;
}

static enum app_err open_store(const char *url, bool create, struct store **out, char **msg)
{
	*msg = NULL;
	struct store *st = xcalloc(1, sizeof *st);
	st->url = xstrdup(url);
	st->ops = db_for_url(url);
	st->create = create;
	pthread_key_create(&st->key, conn_free);
	pthread_mutex_init(&st->writer, NULL);
	pthread_mutex_init(&st->stamp_lock, NULL);
	st->stamp_handle = -1;
	struct conn *c;
	enum app_err rc = conn_get(st, &c, msg);
	if (!rc && (rc = migrate(c)))
		*msg = xasprintf("cannot migrate database %s", url);
	if (rc) {
		store_close(st);
		return rc;
	}
	/* (after the migrations: the connection has made the WAL-index) */
	if (st->ops->stamp_open)
		st->stamp_handle = st->ops->stamp_open(url);
	*out = st;
	return APP_OK;
}

enum app_err store_open(const char *url, struct store **out, char **msg)
{
	return open_store(url, true, out, msg);
}

enum app_err store_open_existing(const char *url, struct store **out, char **msg)
{
	return open_store(url, false, out, msg);
}

void store_close(struct store *st)
{
	if (!st)
		return;
	conn_free(pthread_getspecific(st->key));
	pthread_setspecific(st->key, NULL);
	pthread_key_delete(st->key);
	if (st->writer_db)
		st->ops->disconnect(st->writer_db);
	pthread_mutex_destroy(&st->writer);
	if (st->stamp_handle >= 0)
		st->ops->stamp_close(st->stamp_handle);
	pthread_mutex_destroy(&st->stamp_lock);
	free(st->url);
	free(st);
}
