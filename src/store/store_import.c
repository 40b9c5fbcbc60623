/* store_import.c — see store_import.h. */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>

#include "store_import.h"

#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

/* Parameters in one INSERT: well under PostgreSQL's 65535; 256 rows of the
 * need table's 13 columns is 3328.  Batches save PostgreSQL's round trips.
 * On SQLite a multi-row INSERT inside a transaction needs a statement
 * journal, a temp file written page by page (ten times the writes,
 * measured): there a single-row INSERT per row is the default, and an
 * import that does not read its own rows back may ask for batches
 * (store_import_batched) with the statement journal kept in memory —
 * each statement then also updates the table's AUTOINCREMENT counter once
 * per batch instead of once per row (10⁵ needs: a quarter less time in
 * SQLite, measured). */
#define BATCH_PARAMS 4000
#define BATCH_ROWS 256

/* A queued value: its text lives in im->text at `off` (the buffer may
 * move while the batch fills, so pointers are taken when it is written). */
struct qval {
	enum dbparam_type type;
	long long i;
	size_t off;
};

/* A queued link row (store_import_link): its texts live in im->text too. */
struct qlink {
	const struct field *f;
	size_t key, target;
};

struct store_import {
	struct conn *c;
	const struct entity *e;
	const char *const *cols;
	int ncols;     /* the caller's columns; +stamps for created_at (and updated_at) */
	int stamps;    /* 2, or 1 when the rows give their own updated_at */
	int batch;     /* rows in a full batch */
	struct qval *q;
	int nq;        /* rows queued */
	struct buf text;
	struct qlink *links; /* the link rows of the queued rows */
	size_t nlinks, alinks;
	struct dbparam *p;
	char *full_sql; /* the INSERT of a full batch (the one the cache keeps) */
	char now[21];
	long long rows;
	enum app_err rc;
	bool fk_off;    /* foreign keys were turned off for the import (SQLite) */
	long long cache_was; /* the connection's page cache before the import (SQLite), or 0 */
	bool temp_in_memory; /* temp_store was set to MEMORY for the import (SQLite) */
};

/* An import into a large table inserts into indexes of 10⁶ entries at
 * places spread over the file: a larger page cache for its transaction
 * keeps more of them in memory (measured: 10⁵ participants into 10⁶, 15 %
 * faster; peak RSS 34 MiB).  Given back when the import ends. */
#define IMPORT_CACHE_KIB 40960

static long long larger_cache(struct conn *c)
{
	long long was = 0;
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "PRAGMA cache_size");
	bool found = false;
	if (conn_scalar(c, &s, &was, &found) || !found)
		was = 0;
	stmt_release(&s);
	if (was) {
		char *sql = xasprintf("PRAGMA cache_size = -%d", IMPORT_CACHE_KIB);
		if (conn_exec(c, sql))
			was = 0; /* as it was: nothing to put back */
		free(sql);
	}
	return was;
}

/* Puts back what begin changed, and gives back the writer's place.  A
 * setting that does not come back (foreign keys off!) must not outlive the
 * import: the connection is then closed (conn_writer_release: unsure). */
static void settings_back(struct conn *c, bool fk_off, bool temp_in_memory, long long cache_was)
{
	bool ok = true;
	if (fk_off)
		ok = conn_exec(c, "PRAGMA foreign_keys = ON") == APP_OK;
	if (temp_in_memory)
		ok = conn_exec(c, "PRAGMA temp_store = DEFAULT") == APP_OK && ok;
	if (cache_was) {
		char *sql = xasprintf("PRAGMA cache_size = %lld", cache_was);
		ok = conn_exec(c, sql) == APP_OK && ok;
		free(sql);
	}
	conn_writer_release(c, !ok);
}

/* INSERT INTO t (cols..., created_at, updated_at) VALUES (?,...),(...) for n rows. */
static char *insert_sql(const struct store_import *im, int n)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "INSERT INTO %s (", im->e->name);
	for (int k = 0; k < im->ncols; k++)
		buf_printf(&b, "%s,", im->cols[k]);
	buf_adds(&b, im->stamps == 2 ? "created_at,updated_at) VALUES " : "created_at) VALUES ");
	for (int r = 0; r < n; r++) {
		buf_adds(&b, r ? ",(" : "(");
		for (int k = 0; k < im->ncols + im->stamps; k++)
			buf_adds(&b, k ? ",?" : "?");
		buf_addc(&b, ')');
	}
	return buf_detach(&b);
}

/* The queued link rows, after the rows they belong to: one INSERT each
 * (a row has a few). */
static enum app_err write_links(struct store_import *im)
{
	enum app_err rc = APP_OK;
	for (size_t k = 0; k < im->nlinks && !rc; k++) {
		const struct qlink *l = &im->links[k];
		struct stmt s;
		stmt_init(&s);
		buf_adds(&s.sql, "INSERT INTO ");
		stmt_link_table(&s.sql, im->e, l->f);
		buf_printf(&s.sql, " (%s, %s) VALUES (?, ?)", im->e->name, l->f->target->name);
		stmt_key(&s, im->e, im->text.data + l->key);
		stmt_key(&s, l->f->target, im->text.data + l->target);
		rc = conn_run(im->c, &s, NULL);
		stmt_release(&s);
	}
	im->nlinks = 0;
	return rc;
}

static enum app_err flush(struct store_import *im)
{
	if (im->rc || im->nq == 0)
		return im->rc;
	int w = im->ncols + im->stamps;
	for (int r = 0; r < im->nq; r++) {
		for (int k = 0; k < im->ncols; k++) {
			const struct qval *v = &im->q[r * im->ncols + k];
			im->p[r * w + k] = (struct dbparam){ .type = v->type, .i = v->i,
				.s = v->type == DBP_TEXT ? im->text.data + v->off : NULL };
		}
		for (int k = im->ncols; k < w; k++)
			im->p[r * w + k] = (struct dbparam){ .type = DBP_TEXT, .s = im->now };
	}
	char *partial = im->nq == im->batch ? NULL : insert_sql(im, im->nq);
	enum app_err rc = im->c->ops->exec(im->c->db, partial ? partial : im->full_sql, im->p,
					   im->nq * w, NULL);
	free(partial);
	if (rc)
		im->c->failed = true;
	if (!rc)
		rc = write_links(im);
	if (rc) {
		im->rc = rc;
		return rc;
	}
	im->rows += im->nq;
	im->nq = 0;
	buf_reset(&im->text);
	return APP_OK;
}

static void set_batch(struct store_import *im, int batch)
{
	free(im->q);
	free(im->p);
	free(im->full_sql);
	im->batch = batch;
	im->q = xcalloc((size_t)im->batch * (size_t)im->ncols, sizeof *im->q);
	im->p = xcalloc((size_t)im->batch * (size_t)(im->ncols + im->stamps), sizeof *im->p);
	im->full_sql = insert_sql(im, im->batch);
}

static enum app_err begin(struct store *st, const struct entity *e, const char *const *cols,
			  int ncols, bool batched, struct store_import **out)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc)
		return rc;
	/* The settings below go to the connection the transaction will use
	 * (SQLite: the one writer's). */
	if ((rc = conn_writer_hold(c)))
		return rc;
	/* SQLite checks each row's references with an index lookup per
	 * reference.  The caller checks them against the referenced tables it
	 * reads inside this transaction (store_import.h), which no one else
	 * can change meanwhile (one writer); so the import does without (the
	 * pragma only works outside a transaction).  PostgreSQL keeps them. */
	bool fk_off = strcmp(c->ops->name, "sqlite") == 0 && c->depth == 0 &&
		      conn_exec(c, "PRAGMA foreign_keys = OFF") == APP_OK;
	/* (a batched import appends: it does not need the larger cache, whose
	 * growth costs a malloc per new page — measured 466 → 453 ms for 10⁵
	 * needs) */
	long long cache_was = strcmp(c->ops->name, "sqlite") == 0 && c->depth == 0 && !batched ? larger_cache(c) : 0;
	/* (like foreign_keys, temp_store is set outside the transaction) */
	bool temp_in_memory = batched && strcmp(c->ops->name, "sqlite") == 0 && c->depth == 0 &&
			      conn_exec(c, "PRAGMA temp_store = MEMORY") == APP_OK;
	if ((rc = conn_begin(c))) {
		settings_back(c, fk_off, temp_in_memory, cache_was);
		return rc;
	}
	struct store_import *im = xcalloc(1, sizeof *im);
	im->fk_off = fk_off;
	im->temp_in_memory = temp_in_memory;
	im->cache_was = cache_was;
	im->c = c;
	im->e = e;
	im->cols = cols;
	im->ncols = ncols;
	im->stamps = ncols && strcmp(cols[ncols - 1], "updated_at") == 0 ? 1 : 2;
	int batch = BATCH_PARAMS / (ncols + im->stamps);
	if (batch > BATCH_ROWS)
		batch = BATCH_ROWS;
	if (batch < 1 || (strcmp(c->ops->name, "sqlite") == 0 && !temp_in_memory)) /* see BATCH_PARAMS */
		batch = 1;
	set_batch(im, batch);
	util_now(im->now);
	*out = im;
	return APP_OK;
}

enum app_err store_import_begin(struct store *st, const struct entity *e, const char *const *cols,
				int ncols, struct store_import **out)
{
	return begin(st, e, cols, ncols, false, out);
}

enum app_err store_import_begin_batched(struct store *st, const struct entity *e, const char *const *cols,
					int ncols, struct store_import **out)
{
	return begin(st, e, cols, ncols, true, out);
}

bool store_import_immediate(const struct store_import *im)
{
	return im->batch == 1;
}

/* Copies s, NUL included, into im->text: its offset there. */
static size_t keep_text(struct store_import *im, const char *s)
{
	size_t off = im->text.len;
	buf_add(&im->text, s, strlen(s) + 1);
	return off;
}

enum app_err store_import_row(struct store_import *im, const struct dbparam *vals)
{
	if (im->rc)
		return im->rc;
	struct qval *q = &im->q[im->nq * im->ncols];
	for (int k = 0; k < im->ncols; k++) {
		q[k].type = vals[k].type;
		q[k].i = vals[k].i;
		if (vals[k].type == DBP_TEXT)
			q[k].off = keep_text(im, vals[k].s);
	}
	if (++im->nq == im->batch)
		return flush(im);
	return APP_OK;
}

enum app_err store_import_link(struct store_import *im, const struct field *f, const char *key,
			       const char *target)
{
	if (im->rc)
		return im->rc;
	if (im->nlinks == im->alinks) {
		im->alinks = im->alinks ? 2 * im->alinks : 16;
		im->links = xrealloc(im->links, im->alinks * sizeof *im->links);
	}
	im->links[im->nlinks++] = (struct qlink){ .f = f, .key = keep_text(im, key), .target = keep_text(im, target) };
	return APP_OK;
}

enum app_err store_import_flush(struct store_import *im)
{
	return flush(im);
}

enum app_err store_import_end(struct store_import *im, bool commit, const char *actor, const char *after,
			      long long *rows)
{
	struct conn *c = im->c;
	enum app_err rc = commit ? flush(im) : APP_OK;
	if (commit && !rc)
		rc = conn_audit(c, actor, im->e->name, "import", "create", NULL, after);
	if (commit && !rc)
		rc = conn_bump(c);
	enum app_err end = conn_end(c, commit && !rc);
	settings_back(c, im->fk_off, im->temp_in_memory, im->cache_was);
	if (!rc && commit)
		rc = end;
	if (rows)
		*rows = rc || !commit ? 0 : im->rows;
	free(im->q);
	free(im->p);
	free(im->full_sql);
	free(im->links);
	buf_release(&im->text);
	free(im);
	return rc;
}
