/* batch.c — see batch.h. */
#define _POSIX_C_SOURCE 200809L
#include "batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "import_writer.h"
#include "notify.h"
#include "review.h"
#include "store.h"
#include "store_import.h"
#include "store_lock.h"
#include "store_notify.h"
#include "strmap.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

/* One column of the batch's INSERT: a field (a language of a multilingual
 * one), the key the batch gives, a derived column (entity.h), or the time
 * of the record's last change (batch_opts.dated). */
enum { COL_DERIVED = -1, COL_UPDATED = -2 };
struct column {
	int field;            /* or COL_DERIVED, COL_UPDATED */
	int lang;
	const struct derived *derived;
	char name[64];
};

struct batch {
	struct app *app;
	const struct entity *e;
	struct batch_opts o;
	const char *actor;
	struct store_import *im;
	struct import_writer *w;
	struct column *cols;
	const char **names_of; /* the columns' names, for store_import */
	int ncols;
	struct dbparam *vals;
	struct dbparam *defaults; /* each column's default: a record leaves it unset */
	char (*default_text)[64];
	struct buf *derived;   /* each derived column's value of the record being queued */
	int nderived;
	struct rec_names *names;
	/* per reference field (e->nfields of them): the records it may name,
	 * read at the start when they are named by code, else found to exist */
	struct strmap *refs;
	struct strmap seen;    /* the unique declaration's values of the batch's records */
	struct buf tmp;
	char now[21];          /* a dated record's time when it carries none */
	long long since;       /* the highest number before the batch */
	long long next_id;
	bool failed;           /* a record failed its checks: nothing more is queued */
	bool locks;            /* may a lock hold its records (store_lock.h)? */
	bool submitted;        /* were records submitted for review (review.h)? */
	enum app_err wrc;      /* a write failed */
};

/* The default of f (an SQL literal: 'open', 0) as a parameter; the text is
 * the registry's, without its quotes, kept in out. */
static struct dbparam default_value(const struct field *f, char *out, size_t n)
{
	long long i;
	if (!f->def)
		return (struct dbparam){ .type = DBP_NULL };
	if (util_parse_ll(f->def, &i))
		return (struct dbparam){ .type = DBP_INT, .i = i };
	size_t len = strlen(f->def);
	snprintf(out, n, "%.*s", (int)(len >= 2 ? len - 2 : 0), f->def + 1);
	return (struct dbparam){ .type = DBP_TEXT, .s = out };
}

static void add_column(struct batch *b, int field, int lang, const struct derived *d, const char *name)
{
	struct column *c = &b->cols[b->ncols++];
	*c = (struct column){ .field = field, .lang = lang, .derived = d };
	snprintf(c->name, sizeof c->name, "%s", name);
}

/* The INSERT's columns: the key when the batch numbers the records, every
 * stored field a writer may give (a language of a multilingual one each),
 * the derived columns, and updated_at last when the records carry it. */
static void plan(struct batch *b)
{
	const struct entity *e = b->e;
	int room = e->nfields * LANG__MAX + 1;
	for (const struct derived *d = e->derived; d && d->column; d++)
		room++;
	room += b->o.dated;
	b->cols = xcalloc((size_t)room, sizeof *b->cols);
	if (b->o.keys)
		add_column(b, e->key, 0, NULL, ent_keyfield(e)->name);
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		/* (a numbered key is the store's, or the batch's with o.keys; a code
		 * is the record's own value) */
		if ((i == e->key && ent_int_key(e)) || !field_stored(f) || ((f->flags & F_RO) && !(f->flags & F_STAMP)))
			continue;
		for (int l = 0; l < (f->type == FT_I18N ? LANG__MAX : 1); l++) {
			char name[64];
			if (f->type == FT_I18N)
				snprintf(name, sizeof name, "%s_%s", f->name, lang_code[l]);
			else
				snprintf(name, sizeof name, "%s", f->name);
			add_column(b, i, l, NULL, name);
		}
	}
	for (const struct derived *d = e->derived; d && d->column; d++) {
		add_column(b, COL_DERIVED, 0, d, d->column);
		b->nderived++;
	}
	if (b->o.dated) /* (last: store_import.h) */
		add_column(b, COL_UPDATED, 0, NULL, "updated_at");
	b->names_of = xcalloc((size_t)b->ncols, sizeof *b->names_of);
	for (int k = 0; k < b->ncols; k++)
		b->names_of[k] = b->cols[k].name;
	b->vals = xcalloc((size_t)b->ncols, sizeof *b->vals);
	b->defaults = xcalloc((size_t)b->ncols, sizeof *b->defaults);
	b->default_text = xcalloc((size_t)b->ncols, sizeof *b->default_text);
	for (int k = 0; k < b->ncols; k++)
		if (b->cols[k].field >= 0)
			b->defaults[k] = default_value(&e->fields[b->cols[k].field], b->default_text[k],
						       sizeof b->default_text[k]);
	b->derived = xcalloc((size_t)(b->nderived ? b->nderived : 1), sizeof *b->derived);
}

struct load_ctx {
	struct batch *b; /* or NULL: the names only */
	struct rec_names *names;
	int field;
	const struct entity *target;
};

/* The field that names a record of e (a country's "name"): the first item
 * of its label rule when that is one of its own fields; or NULL. */
static const struct field *name_field(const struct entity *e)
{
	const struct label_op *op = e->label_nops ? &e->label_ops[0] : NULL;
	return op && op->kind == LB_VALUE && op->nhops == 0 ? op->f : NULL;
}

static enum app_err code_row(void *ctx, const struct row *row)
{
	struct load_ctx *l = ctx;
	const char *code = row_text(row, ent_keyfield(l->target)->col);
	const struct field *name = name_field(l->target);
	if (!code)
		return APP_OK;
	if (l->b)
		strmap_put(&l->b->refs[l->field], code, 1);
	rec_names_add(l->names, l->field, code, code);
	for (int lang = 0; name && name->type == FT_I18N && lang < LANG__MAX; lang++)
		if (lang != LANG_AR) /* (spreadsheets name them in French or English) */
			rec_names_add(l->names, l->field, row_text(row, name->col + lang), code);
	return APP_OK;
}

/* The records that e's references by code (one or a set) may name (into
 * b's map when b is given), and their names. */
static enum app_err load_codes(struct app *app, const struct entity *e, struct batch *b, struct rec_names *names)
{
	enum app_err rc = APP_OK;
	for (int i = 0; i < e->nfields && !rc; i++) {
		const struct field *f = &e->fields[i];
		if ((f->type != FT_REF && f->type != FT_REFS) || ent_int_key(f->target))
			continue;
		struct load_ctx l = { .b = b, .names = names, .field = i, .target = f->target };
		struct query q;
		dom_query_init(&q, f->target, NULL);
		q.limit = -1;
		rc = store_list(app->store, &q, NULL, code_row, &l);
		dom_query_release(&q);
	}
	return rc;
}

enum app_err batch_ref_names(struct app *app, const struct entity *e, struct rec_names *names)
{
	return load_codes(app, e, NULL, names);
}

/* Do a record's checks read the database (a reference by number, a unique
 * declaration)?  Then no second thread may hold the connection meanwhile. */
static bool checks_read(const struct entity *e)
{
	for (int i = 0; i < e->nfields; i++)
		if (e->fields[i].type == FT_REF && ent_int_key(e->fields[i].target))
			return true;
	return e->unique != NULL;
}

static enum app_err max_id(struct batch *b)
{
	if (!ent_int_key(b->e))
		return APP_OK;
	enum app_err rc = store_max_id(b->app->store, b->e, &b->since);
	b->next_id = b->since + 1;
	return rc;
}

enum app_err batch_begin(struct app *app, const struct entity *e, const struct batch_opts *o,
			 struct batch **out)
{
	if (e->readonly || (o->who && !ent_can_write(e, o->who->role)))
		return APP_FORBIDDEN;
	struct batch *b = xcalloc(1, sizeof *b);
	b->app = app;
	b->e = e;
	b->o = *o;
	b->o.threaded = o->threaded && !checks_read(e);
	b->actor = dom_actor(app, o->who);
	util_now(b->now);
	plan(b);
	b->names = rec_names_new(e);
	b->refs = xcalloc((size_t)e->nfields, sizeof *b->refs);
	enum app_err rc = (o->appends ? store_import_begin_batched : store_import_begin)(
		app->store, e, b->names_of, b->ncols, &b->im);
	if (rc) {
		b->im = NULL;
		err_ignore(batch_end(b, false, NULL, NULL)); /* writes nothing; frees b */
		return rc;
	}
	/* (inside the batch's transaction: no other writer changes them) */
	if (!(rc = load_codes(app, e, b, b->names)))
		rc = max_id(b);
	if (!rc) /* (one question, not one per row, when no lock holds such records) */
		rc = store_lock_held(app->store, e, &b->locks);
	if (rc) {
		err_ignore(batch_end(b, false, NULL, NULL)); /* rolls back; rc says why */
		return rc;
	}
	if (b->o.threaded)
		b->w = iw_start(b->im, b->ncols);
	*out = b;
	return APP_OK;
}

void batch_failed(struct batch *b)
{
	b->failed = true;
}

struct rec_names *batch_names(struct batch *b)
{
	return b->names;
}

bool batch_immediate(const struct batch *b)
{
	return store_import_immediate(b->im);
}

/* Does key name a record that reference field i (one or a set) may name? */
static enum app_err ref_exists(struct batch *b, int i, const char *key, bool *yes)
{
	const struct field *f = &b->e->fields[i];
	/* by code: one read at the start; by number: looked up once each */
	*yes = strmap_has(&b->refs[i], key);
	if (*yes || !ent_int_key(f->target))
		return APP_OK;
	enum app_err rc = store_exists(b->app->store, f->target, key, yes);
	if (!rc && *yes)
		strmap_put(&b->refs[i], key, 1);
	return rc;
}

enum app_err batch_check_ref(struct batch *b, const struct record *r, int i, bool *missing)
{
	const char *key = b->e->fields[i].type == FT_REF ? rec_text(r, i) : NULL;
	bool yes = true;
	enum app_err rc = key ? ref_exists(b, i, key, &yes) : APP_OK;
	*missing = !yes;
	return rc;
}

/* Every reference of r, one or in a set, names a record that exists. */
static enum app_err check_refs(struct batch *b, const struct record *r, struct ferrs *errs)
{
	for (int i = 0; i < b->e->nfields; i++) {
		const struct fval *v = &r->v[i];
		bool set = b->e->fields[i].type == FT_REFS && v->set && !v->null;
		size_t n = set ? v->nlist : 1;
		for (size_t k = 0; k < n; k++) {
			const char *key = set ? v->list[k] : b->e->fields[i].type == FT_REF ? rec_text(r, i) : NULL;
			bool yes = true;
			enum app_err rc = key ? ref_exists(b, i, key, &yes) : APP_OK;
			if (rc)
				return rc;
			if (!yes)
				ferrs_add(errs, b->e->fields[i].name, N_("refers to a record that does not exist: %s"), key);
		}
	}
	return APP_OK;
}

/* The values of r's unique declaration, as one text, in b->tmp. */
static const char *unique_key(struct batch *b, const struct record *r)
{
	buf_reset(&b->tmp);
	for (const char *p = b->e->unique; *p;) {
		size_t n = strcspn(p, ",");
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)n, p);
		int i = ent_field_index(b->e, name);
		const char *t = rec_text(r, i);
		if (b->e->fields[i].type == FT_INT || b->e->fields[i].type == FT_BOOL)
			buf_printf(&b->tmp, "%lld\x1f", rec_int_or(r, i, 0));
		else
			buf_printf(&b->tmp, "%s\x1f", t ? t : "");
		p += n + (p[n] == ',');
	}
	return buf_cstr(&b->tmp);
}

/* A unique declaration of one field that r leaves empty: no value to
 * hold twice (an index lets NULLs be, store_unique_taken too). */
static bool unique_absent(const struct batch *b, const struct record *r)
{
	const char *u = b->e->unique;
	if (strchr(u, ','))
		return false; /* (several: an absent one counts as '' or 0, unique_ddl) */
	const struct fval *v = &r->v[ent_field_index(b->e, u)];
	return !v->set || v->null;
}

/* No other record, stored or of the batch, holds r's unique values. */
static enum app_err check_unique(struct batch *b, const struct record *r, struct ferrs *errs)
{
	if (!b->e->unique || unique_absent(b, r))
		return APP_OK;
	char *k = xstrdup(unique_key(b, r));
	bool taken = strmap_has(&b->seen, k);
	enum app_err rc = taken ? APP_OK : store_unique_taken(b->app->store, r, &taken);
	if (!rc && taken)
		dom_unique_error(r, errs); /* (the message of a single create) */
	if (!rc)
		strmap_put(&b->seen, k, 1);
	free(k);
	return rc;
}

/* The INSERT's values of r, in b->vals. */
static void fill(struct batch *b, const struct record *r)
{
	int d = 0;
	for (int k = 0; k < b->ncols; k++) {
		const struct column *c = &b->cols[k];
		struct dbparam *v = &b->vals[k];
		if (c->derived) {
			buf_reset(&b->derived[d]);
			c->derived->value(r, &b->derived[d]);
			*v = (struct dbparam){ .type = DBP_TEXT, .s = buf_cstr(&b->derived[d++]) };
			continue;
		}
		if (c->field == COL_UPDATED) {
			*v = (struct dbparam){ .type = DBP_TEXT, .s = r->updated_at[0] ? r->updated_at : b->now };
			continue;
		}
		const struct field *f = &b->e->fields[c->field];
		const struct fval *fv = &r->v[c->field];
		long long id;
		if (c->field == b->e->key && ent_int_key(b->e)) /* (a code is the record's own) */
			*v = (struct dbparam){ .type = DBP_INT, .i = b->next_id };
		else if (!fv->set)
			*v = b->defaults[k];
		else if (fv->null || (f->type == FT_I18N && !fv->tr[c->lang]))
			*v = (struct dbparam){ .type = DBP_NULL };
		else if (f->type == FT_I18N)
			*v = (struct dbparam){ .type = DBP_TEXT, .s = fv->tr[c->lang] };
		else if (f->type == FT_INT || f->type == FT_BOOL)
			*v = (struct dbparam){ .type = DBP_INT, .i = fv->i };
		else if (f->type == FT_REF && ent_int_key(f->target) && util_parse_ll(fv->s, &id))
			*v = (struct dbparam){ .type = DBP_INT, .i = id };
		else
			*v = (struct dbparam){ .type = DBP_TEXT, .s = fv->s };
	}
}

/* The link rows of r's sets of references, queued before its row (which
 * they follow into the database).  (Not in a threaded batch: the writer
 * thread has the queue; its records carry no sets, batch.h.) */
static enum app_err queue_links(struct batch *b, const struct record *r)
{
	const struct entity *e = b->e;
	char num[24];
	const char *key = rec_text(r, e->key);
	if (b->o.keys) {
		snprintf(num, sizeof num, "%lld", b->next_id);
		key = num;
	}
	enum app_err rc = APP_OK;
	for (int i = 0; i < e->nfields && !rc; i++) {
		const struct fval *v = &r->v[i];
		if (e->fields[i].type != FT_REFS || !v->set || v->null)
			continue;
		for (size_t k = 0; k < v->nlist && !rc; k++)
			rc = key && !b->w ? store_import_link(b->im, &e->fields[i], key, v->list[k]) : APP_INVALID;
	}
	return rc;
}

enum app_err batch_add(struct batch *b, struct record *r, struct ferrs *errs, long long *key)
{
	size_t had = errs->n;
	enum app_err rc = rec_check(r, REC_CREATE, errs);
	if (rc != APP_OK && rc != APP_INVALID)
		return rc;
	dom_check_own(r, b->o.who, errs);
	rc = errs->n == had ? check_refs(b, r, errs) : APP_OK;
	if (!rc && errs->n == had)
		rc = check_unique(b, r, errs);
	if (!rc && errs->n == had && b->locks) {
		rc = store_lock_check_new(b->app->store, b->e, r, errs);
		if (rc == APP_LOCKED) /* (a row like another refused: the import says which) */
			rc = APP_OK;
	}
	if (rc)
		return rc;
	if (errs->n > had) {
		b->failed = true;
		return APP_INVALID;
	}
	if (b->failed || b->wrc)
		return APP_OK; /* checked; nothing more is written */
	b->submitted |= review_stamp(r, b->o.who, b->actor, true, NULL);
	b->wrc = queue_links(b, r);
	fill(b, r);
	if (!b->wrc)
		b->wrc = b->w ? iw_row(b->w, b->vals) : store_import_row(b->im, b->vals);
	if (key)
		*key = b->next_id;
	b->next_id++;
	return b->wrc;
}

enum app_err batch_end(struct batch *b, bool commit, const char *summary, long long *rows)
{
	enum app_err rc = b->wrc;
	if (b->w) {
		enum app_err written = iw_finish(b->w);
		if (!rc)
			rc = written;
	}
	bool ok = commit && b->im && !b->failed && !rc;
	if (ok)
		rc = store_import_flush(b->im);
	if (ok && !rc && b->o.keys)
		rc = store_reserve_ids(b->app->store, b->e, b->next_id - 1);
	if (ok && !rc && b->e->hooks && b->e->hooks->after_batch)
		rc = b->e->hooks->after_batch(b->app->store, b->e, b->since);
	if (ok && !rc && ent_int_key(b->e)) /* each record's event, as a write of one queues */
		rc = store_webhook_created(b->app->store, b->e, b->since + 1, b->next_id - 1);
	if (ok && !rc && b->submitted)
		rc = notify_review_waiting(b->app->store);
	long long n = 0;
	enum app_err end = b->im ? store_import_end(b->im, ok && !rc, b->actor, summary, &n) : APP_OK;
	if (!rc && ok)
		rc = end;
	if (rows)
		*rows = rc ? 0 : n;
	if (!rc && commit && b->failed)
		rc = APP_INVALID;
	for (int d = 0; d < b->nderived; d++)
		buf_release(&b->derived[d]);
	free(b->derived);
	free(b->cols);
	free(b->names_of);
	free(b->vals);
	free(b->defaults);
	free(b->default_text);
	rec_names_free(b->names);
	for (int i = 0; i < b->e->nfields; i++)
		strmap_free(&b->refs[i]);
	free(b->refs);
	strmap_free(&b->seen);
	buf_release(&b->tmp);
	free(b);
	return rc;
}
