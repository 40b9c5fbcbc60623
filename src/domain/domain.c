/* domain.c — see domain.h. */
#define _POSIX_C_SOURCE 200809L
#include "domain.h"

#include <stdlib.h>
#include <string.h>

#include "notify.h"
#include "review.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

static bool ignored(const char *name, const char *const *ignore)
{
	for (; ignore && *ignore; ignore++)
		if (strcmp(name, *ignore) == 0)
			return true;
	return false;
}

bool dom_valid_key(const struct entity *e, const char *key)
{
	long long id;
	if (ent_int_key(e))
		return util_parse_ll(key, &id) && id > 0;
	size_t n = strlen(key);
	return n > 0 && n <= 40 && util_valid_utf8(key, n) &&
	       !rec_pattern_error(ent_keyfield(e)->pattern, key);
}

/* Converts a query value into the parameter type of field f. */
static const char *typed_value(const struct field *f, const char *s, struct dbparam *out)
{
	const struct field *kf = (f->type == FT_REF || f->type == FT_REFS) ? ent_keyfield(f->target) : f;
	long long n;
	if (!util_valid_utf8(s, strlen(s)))
		return "is not valid UTF-8";
	switch (f->type == FT_REF || f->type == FT_REFS ? kf->type : f->type) {
	case FT_BOOL:
		if (strcmp(s, "true") && strcmp(s, "false") && strcmp(s, "1") && strcmp(s, "0"))
			return "takes true or false";
		*out = (struct dbparam){ .type = DBP_INT, .i = s[0] == 't' || s[0] == '1' };
		return NULL;
	case FT_ID:
	case FT_INT:
		if (!util_parse_ll(s, &n))
			return "takes a whole number";
		*out = (struct dbparam){ .type = DBP_INT, .i = n };
		return NULL;
	case FT_DATE:
		if (!util_valid_date(s))
			return "takes a date YYYY-MM-DD";
		break;
	case FT_ENUM:
		for (const char *const *v = f->values; *v; v++)
			if (strcmp(*v, s) == 0)
				goto text;
		return "is not one of the allowed values";
	case FT_I18N:
		return "cannot be filtered on (use q=)";
	default:
		break;
	}
text:
	*out = (struct dbparam){ .type = DBP_TEXT, .s = s };
	return NULL;
}

/* "%text%" with LIKE's wildcards in text escaped by '\\' (store.c says
 * ESCAPE '\\'), so that q= is a plain substring search. */
static char *like_pattern(const char *text)
{
	struct buf b = BUF_INIT;
	buf_addc(&b, '%');
	for (; *text; text++) {
		if (*text == '%' || *text == '_' || *text == '\\')
			buf_addc(&b, '\\');
		buf_addc(&b, *text);
	}
	buf_addc(&b, '%');
	return buf_detach(&b);
}

/* How much of an argument an error message may echo: valid UTF-8 only, and
 * never a character cut in two. */
static size_t shown(const char *s)
{
	return util_valid_utf8(s, strlen(s)) ? util_utf8_prefix(s, 40) : 0;
}

static enum app_err bad(char **msg, char *text)
{
	*msg = text;
	return APP_BAD_QUERY;
}

static enum role viewer_of(const struct principal *who)
{
	return who ? who->role : ROLE_ADMIN;
}

void dom_query_init(struct query *q, const struct entity *e, const struct principal *who)
{
	memset(q, 0, sizeof *q);
	q->e = e;
	q->limit = LIST_LIMIT_DEFAULT;
	q->viewer = viewer_of(who);
	if (e->scope && who && who->role == ROLE_FOCAL) {
		q->filters[0].f = ent_field(e, e->scope);
		q->filters[0].value = (struct dbparam){ .type = DBP_TEXT, .s = who->country };
		q->nfilters = 1;
	}
	/* (the country and the funder also scope the parents rows are seen
	 * through: store.c) */
	if (who && who->role == ROLE_FOCAL)
		q->country = who->country;
	if (who && who->role == ROLE_DONOR) {
		q->funded_only = e->donor_scope != NULL;
		q->funder = who->organisation; /* 0, no organisation: nothing */
	}
}

bool dom_scoped(const struct entity *e, const struct principal *who)
{
	return who && ent_partial(e, who->role);
}

enum app_err dom_parse_query(const struct entity *e, const struct args *a,
			     const char *const *ignore, const struct principal *who,
			     struct query *q, char **msg)
{
	dom_query_init(q, e, who);
	for (size_t i = 0; i < a->n; i++) {
		const char *name = a->a[i].name, *val = a->a[i].value;
		long long n;
		if (ignored(name, ignore))
			continue;
		const struct field *named = ent_field(e, name);
		bool known = strcmp(name, "limit") == 0 || strcmp(name, "offset") == 0 ||
			     strcmp(name, "sort") == 0 || strcmp(name, "q") == 0 ||
			     strcmp(name, "labels") == 0 || (named && field_visible(named, q->viewer));
		if (!known)
			return bad(msg, xasprintf("unknown parameter '%.*s'", (int)shown(name), name));
		if (!*val)
			continue; /* a blank filter box filters nothing */
		if (strcmp(name, "limit") == 0 || strcmp(name, "offset") == 0) {
			if (!util_parse_ll(val, &n) || n < 0)
				return bad(msg, xasprintf("%s takes a whole number of at least 0", name));
			if (name[0] == 'l')
				q->limit = n > LIST_LIMIT_MAX ? LIST_LIMIT_MAX : n;
			else
				q->offset = n;
		} else if (strcmp(name, "sort") == 0) {
			q->desc = val[0] == '-';
			q->sort = ent_field(e, val + q->desc);
			if (!q->sort || q->sort->type == FT_REFS || !field_visible(q->sort, q->viewer))
				return bad(msg, xasprintf("cannot sort on '%.*s'", (int)shown(val), val));
		} else if (strcmp(name, "labels") == 0) {
			bool yes;
			if (!dom_parse_labels(val, &yes))
				return bad(msg, xstrdup("labels takes 1 or 0"));
			q->labels = yes ? LABELS_ALL : LABELS_NONE;
		} else if (strcmp(name, "q") == 0) {
			if (!util_valid_utf8(val, strlen(val)) || strlen(val) > 200)
				return bad(msg, xstrdup("q takes at most 200 characters of text"));
			free((char *)q->q);
			q->q = *val ? like_pattern(val) : NULL;
		} else {
			const struct field *f = ent_field(e, name);
			if (!f)
				return bad(msg, xasprintf("unknown parameter '%.*s'", (int)shown(name), name));
			if (q->nfilters == QUERY_MAX_FILTERS)
				return bad(msg, xstrdup("too many filters"));
			const char *why = typed_value(f, val, &q->filters[q->nfilters].value);
			if (why)
				return bad(msg, xasprintf("%s %s", name, why));
			q->filters[q->nfilters++].f = f;
		}
	}
	return APP_OK;
}

bool dom_parse_labels(const char *v, bool *labels)
{
	return util_parse_flag(v, labels);
}

void dom_query_release(struct query *q)
{
	free((char *)q->q);
	q->q = NULL;
}

struct get_ctx {
	const struct entity *e;
	const struct principal *who;
	struct buf *out;
	long long version;
	bool hidden;
};

static enum app_err get_row(void *ctx, const struct row *row)
{
	struct get_ctx *g = ctx;
	rec_row_json(g->out, g->e, row, viewer_of(g->who));
	g->version = row_int(row, g->e->col_version);
	g->hidden = false;
	return APP_OK;
}

/* The query of the one record at key among those who sees: the list of
 * its rows filtered on the key, so that the one rule of what it sees (the
 * store's WHERE clause) serves lists, records and writes alike. */
static void key_query(struct query *q, const struct entity *e, const char *key, const struct principal *who)
{
	dom_query_init(q, e, who);
	q->limit = 1;
	dom_filter_key(q, ent_keyfield(e), key);
}

void dom_filter_key(struct query *q, const struct field *f, const char *key)
{
	const struct entity *target = f->type == FT_REF || f->type == FT_REFS ? f->target : q->e;
	struct query_filter *qf = &q->filters[q->nfilters++];
	qf->f = f;
	long long id = 0;
	if (ent_int_key(target) && util_parse_ll(key, &id))
		qf->value = (struct dbparam){ .type = DBP_INT, .i = id };
	else
		qf->value = (struct dbparam){ .type = DBP_TEXT, .s = key };
}

struct row_ctx {
	row_fn fn;
	void *ctx;
	bool found;
};

static enum app_err found_row(void *ctx, const struct row *row)
{
	struct row_ctx *r = ctx;
	r->found = true;
	return r->fn(r->ctx, row);
}

enum app_err dom_get_row(struct app *app, const struct entity *e, const char *key,
			 const struct principal *who, enum query_labels labels, row_fn fn, void *ctx)
{
	if (!dom_valid_key(e, key))
		return APP_NOT_FOUND;
	struct query q;
	key_query(&q, e, key, who);
	q.labels = labels;
	struct row_ctx r = { .fn = fn, .ctx = ctx };
	enum app_err rc = store_list(app->store, &q, NULL, found_row, &r);
	return rc ? rc : r.found ? APP_OK : APP_NOT_FOUND;
}

static enum app_err no_row(void *ctx, const struct row *row)
{
	(void)ctx, (void)row;
	return APP_OK;
}

enum app_err dom_readable(struct app *app, const struct entity *e, const char *key, const struct principal *who)
{
	if (!ent_can_read(e, who->role))
		return APP_FORBIDDEN;
	return dom_get_row(app, e, key, who, LABELS_NONE, no_row, NULL);
}

static enum app_err get_json(struct store *st, const struct entity *e, const char *key,
			     const struct principal *who, struct buf *out, long long *version)
{
	if (!dom_valid_key(e, key))
		return APP_NOT_FOUND;
	struct get_ctx g = { .e = e, .who = who, .out = out, .hidden = true };
	enum app_err rc;
	if (dom_scoped(e, who)) {
		struct query q;
		key_query(&q, e, key, who);
		rc = store_list(st, &q, NULL, get_row, &g);
	} else {
		rc = store_get(st, e, key, get_row, &g);
	}
	if (!rc && g.hidden)
		rc = APP_NOT_FOUND;
	if (!rc && version)
		*version = g.version;
	return rc;
}

enum app_err dom_get_json(struct app *app, const struct entity *e, const char *key,
			  const struct principal *who, struct buf *out, long long *version)
{
	return get_json(app->store, e, key, who, out, version);
}

/* May who write e at all? */
static enum app_err may_write(const struct entity *e, const struct principal *who)
{
	if (e->readonly)
		return APP_METHOD;
	return !who || ent_can_write(e, who->role) ? APP_OK : APP_FORBIDDEN;
}

void dom_check_own(const struct record *r, const struct principal *who, struct ferrs *errs)
{
	const struct entity *e = r->e;
	if (!who)
		return;
	if (e->scope && who->role == ROLE_FOCAL) {
		const char *v = rec_text(r, ent_field_index(e, e->scope));
		if (!v || strcmp(v, who->country) != 0)
			ferrs_add(errs, e->scope, N_("must be your own country: %s"), who->country);
	}
	if (e->donor_scope && who->role == ROLE_DONOR) {
		const struct field *f = ent_field(e, e->donor_scope);
		long long v = 0;
		const char *s = f && f->type == FT_REF ? rec_text(r, ent_field_index(e, f->name)) : NULL;
		if (!s || !util_parse_ll(s, &v) || v != who->organisation)
			ferrs_add(errs, f ? f->name : e->fields[e->key].name, N_("must be your own organisation"), NULL);
	}
}

/* What a record refers to must be visible to its writer: a scoped writer
 * cannot point at a row it may not read (a donor rating a programme it
 * does not fund).  The message is the store's for a missing row, so that
 * it tells nothing of rows outside the scope. */
static void check_refs_visible(struct store *st, const struct record *r, const struct principal *who,
			       struct ferrs *errs)
{
	const struct entity *e = r->e;
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		const char *key = f->type == FT_REF ? rec_text(r, i) : NULL;
		if (!key || !dom_scoped(f->target, who) || !r->v[i].given)
			continue;
		struct buf seen = BUF_INIT;
		if (get_json(st, f->target, key, who, &seen, NULL) == APP_NOT_FOUND)
			ferrs_add(errs, f->name, N_("refers to a record that does not exist: %s"), key);
		buf_release(&seen);
	}
}

/* A record under a parent (F_PARENT: a document) is part of what that
 * record holds: its writer must be one who may change the parent's
 * collection.  (Seeing the parent is check_refs_visible's.) */
static void check_parents(const struct record *r, const struct principal *who, struct ferrs *errs)
{
	const struct entity *e = r->e;
	for (int i = 0; who && i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if ((f->flags & F_PARENT) && rec_text(r, i) && !ent_can_write(f->target, who->role))
			ferrs_add(errs, f->name, N_("is a record your role may not change"), NULL);
	}
}

/* The rules of who writes, then the entity's rules that read other
 * records (once the record is valid on its own). */
static enum app_err check_writer(struct store *st, const struct record *r, const struct principal *who,
				 struct ferrs *errs)
{
	check_parents(r, who, errs);
	if (who && (who->role == ROLE_FOCAL || who->role == ROLE_DONOR)) {
		dom_check_own(r, who, errs);
		check_refs_visible(st, r, who, errs);
	}
	if (errs->n)
		return APP_INVALID;
	if (!r->e->check_store)
		return APP_OK;
	enum app_err rc = r->e->check_store(st, r, errs);
	return rc ? rc : errs->n ? APP_INVALID : APP_OK;
}

const char *dom_actor(struct app *app, const struct principal *who)
{
	if (who) /* (a progress link's holder has a name and no account) */
		return who->id || who->name[0] ? who->name : "anonymous";
	return app->actor ? app->actor : "system";
}

/* ---- the write path: one transaction, one reading --------------------------------- */

/* A write's own part, inside the transaction `finish` ends. */
static enum app_err finish(struct store *st, enum app_err rc)
{
	if (rc) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st);
}

static void answer(struct dom_answer *ans, struct write *w)
{
	if (!ans)
		return;
	buf_reset(&ans->json);
	buf_add(&ans->json, w->answer.data, w->answer.len);
	ans->version = w->version;
}

/* The last field of e's unique declaration (entity.h: unique): the one
 * its error names. */
static int unique_field(const struct entity *e)
{
	const char *last = strrchr(e->unique, ',');
	return ent_field_index(e, last ? last + 1 : e->unique);
}

void dom_unique_error(const struct record *r, struct ferrs *errs)
{
	const struct entity *e = r->e;
	int i = unique_field(e);
	const char *v = rec_text(r, i);
	char num[24];
	if (!v) {
		snprintf(num, sizeof num, "%lld", rec_int_or(r, i, 0));
		v = num;
	}
	ferrs_add(errs, e->fields[i].name, e->unique_msg ? e->unique_msg : N_("another record already has these values: %s"), v);
}

/* A record whose unique values another holds is a conflict, told as an
 * import tells it (the field error of dom_unique_error) rather than by the
 * index the insert would break. */
static enum app_err check_unique(struct store *st, const struct record *r, struct ferrs *errs)
{
	bool taken = false;
	enum app_err rc = r->e->unique ? store_unique_taken(st, r, &taken) : APP_OK;
	if (rc || !taken)
		return rc;
	dom_unique_error(r, errs);
	return APP_CONFLICT;
}

static enum app_err create_in(struct store *st, struct write *w, const struct principal *who)
{
	enum app_err rc = check_writer(st, w->after, who, w->errs);
	if (!rc)
		rc = check_unique(st, w->after, w->errs);
	bool submitted = !rc && review_stamp(w->after, who, w->actor, true, NULL);
	if (!rc)
		rc = store_write(st, w);
	return !rc && submitted ? notify_review_waiting(st) : rc;
}

/* Creates r (decoded and checked on its own) as who. */
static enum app_err create(struct app *app, struct record *r, const struct principal *who,
			   struct buf *key, struct ferrs *errs, struct dom_answer *ans)
{
	enum app_err rc = may_write(r->e, who);
	if (rc)
		return rc;
	struct write w;
	write_init(&w, r->e, WRITE_CREATE, dom_actor(app, who), viewer_of(who));
	w.after = r;
	w.errs = errs;
	rc = store_begin(app->store);
	if (!rc)
		rc = finish(app->store, create_in(app->store, &w, who));
	if (!rc && key)
		buf_adds(key, buf_cstr(&w.key));
	if (!rc)
		answer(ans, &w);
	write_release(&w);
	return rc;
}

enum app_err dom_create_answer(struct app *app, const struct entity *e, json_t *obj, enum rec_mode mode,
			       const struct principal *who, struct buf *key, struct ferrs *errs,
			       struct dom_answer *ans)
{
	enum app_err rc = may_write(e, who);
	if (rc)
		return rc;
	struct record r;
	rec_init(&r, e);
	rc = rec_from_json(&r, obj, mode, errs);
	if (!rc)
		rc = create(app, &r, who, key, errs, ans);
	rec_free(&r);
	return rc;
}

enum app_err dom_create(struct app *app, const struct entity *e, json_t *obj, enum rec_mode mode,
			const struct principal *who, struct buf *key, struct ferrs *errs)
{
	return dom_create_answer(app, e, obj, mode, who, key, errs, NULL);
}

enum app_err dom_insert(struct app *app, struct record *r, const struct principal *who,
			struct buf *key, struct ferrs *errs)
{
	return create(app, r, who, key, errs, NULL);
}

/* The change patch makes to the record at key (read once, locked),
 * inside the caller's transaction: nothing when it changes nothing. */
static enum app_err update_in(struct store *st, struct write *w, const char *key, const struct record *patch,
			      long long if_version, const struct principal *who, bool *any)
{
	const struct entity *e = w->e;
	struct query q;
	key_query(&q, e, key, who);
	enum app_err rc = store_read(st, &q, w);
	dom_query_release(&q);
	if (rc)
		return rc;
	if (if_version >= 0 && if_version != w->version)
		return APP_PRECONDITION;
	if (w->errs->n) /* the patch's own errors, told once the record is found */
		return APP_INVALID;
	buf_adds(&w->key, key);
	rc = rec_merge(w->after, patch, w->changed, any, w->errs);
	if (!rc)
		rc = check_writer(st, w->after, who, w->errs);
	if (rc || !*any)
		return rc; /* a change that changes nothing writes nothing */
	bool submitted = review_stamp(w->after, who, w->actor, false, w->changed);
	rc = store_write(st, w);
	return !rc && submitted ? notify_review_waiting(st) : rc;
}

/* dom_update's work on a decoded patch, by actor, inside the caller's
 * transaction (a hook's write joins the transaction of the write it
 * follows). */
static enum app_err update(struct store *st, const struct entity *e, const char *key, const struct record *patch,
			   long long if_version, const struct principal *who, const char *actor,
			   struct ferrs *errs, struct dom_answer *ans)
{
	struct record before, after;
	rec_init(&before, e);
	rec_init(&after, e);
	bool *changed = xcalloc((size_t)e->nfields, sizeof *changed);
	struct write w;
	write_init(&w, e, WRITE_UPDATE, actor, viewer_of(who));
	w.before = &before;
	w.after = &after;
	w.changed = changed;
	w.errs = errs;
	bool any = false;
	enum app_err rc = update_in(st, &w, key, patch, if_version, who, &any);
	if (!rc)
		answer(ans, &w);
	if (!rc && ans)
		ans->changed = any;
	write_release(&w);
	free(changed);
	rec_free(&before);
	rec_free(&after);
	return rc;
}

enum app_err dom_update_answer(struct app *app, const struct entity *e, const char *key, json_t *patch,
			       long long if_version, const struct principal *who, struct ferrs *errs,
			       struct dom_answer *ans)
{
	enum app_err rc = may_write(e, who);
	if (rc)
		return rc;
	if (!dom_valid_key(e, key))
		return APP_NOT_FOUND;
	ferrs_release(errs); /* (the errors of this patch only) */
	struct record p;
	rec_init(&p, e);
	rc = rec_patch_from_json(&p, patch, errs);
	if ((!rc || rc == APP_INVALID) && !(rc = store_begin(app->store)))
		rc = finish(app->store, update(app->store, e, key, &p, if_version, who, dom_actor(app, who), errs, ans));
	rec_free(&p);
	return rc;
}

enum app_err dom_update_within(struct app *app, const struct record *patch, const char *key, long long if_version,
			       const struct principal *who, struct ferrs *errs, struct dom_answer *ans)
{
	enum app_err rc = may_write(patch->e, who);
	if (rc)
		return rc;
	if (!dom_valid_key(patch->e, key))
		return APP_NOT_FOUND;
	ferrs_release(errs);
	return update(app->store, patch->e, key, patch, if_version, who, dom_actor(app, who), errs, ans);
}

enum app_err dom_update(struct app *app, const struct entity *e, const char *key, json_t *patch,
			long long if_version, const struct principal *who, struct ferrs *errs)
{
	return dom_update_answer(app, e, key, patch, if_version, who, errs, NULL);
}

/* Was field i of the write given (a create) or changed (an update)? */
static bool written(const struct write *w, int i)
{
	return w->op == WRITE_CREATE ? w->after->v[i].set : w->changed[i];
}

enum app_err dom_propagate(struct store *st, struct write *w)
{
	if (!w->e->propagate || w->op == WRITE_DELETE)
		return APP_OK;
	/* a reviewed record's values count once approved: all of them at its
	 * approval, the ones it changes after */
	int state = w->e->review ? (int)(w->e->review - w->e->fields) : -1;
	const char *now = state >= 0 ? rec_text(w->after, state) : NULL;
	if (now && strcmp(now, "approved") != 0)
		return APP_OK;
	bool approval = now && written(w, state);
	const struct propagate *first = w->e->propagate;
	if (approval && w->op == WRITE_UPDATE && first->latest_by) { /* an officer's approval (review.h) */
		int via = ent_field_index(w->e, first->via), by = ent_field_index(w->e, first->latest_by);
		bool later = false;
		enum app_err rc = rec_text(w->after, via) && rec_text(w->after, by)
					  ? store_approved_later(st, w->e, &w->e->fields[via], rec_text(w->after, via),
								 &w->e->fields[by], rec_text(w->after, by),
								 buf_cstr(&w->key), &later)
					  : APP_OK;
		if (rc || later)
			return rc; /* a newer report already says where the action stands */
	}
	struct record patch; /* of the one record they all go to (their via is the same) */
	const struct entity *target = NULL;
	const char *target_key = NULL;
	bool any = false;
	for (const struct propagate *p = w->e->propagate; p->from; p++) {
		int from = ent_field_index(w->e, p->from), via = ent_field_index(w->e, p->via);
		const struct fval *v = &w->after->v[from];
		if (!(approval || written(w, from)) || !v->set || v->null || !rec_text(w->after, via))
			continue;
		if (!target) {
			target = w->e->fields[via].target;
			target_key = rec_text(w->after, via);
			rec_init(&patch, target);
		}
		int to = ent_field_index(target, p->to);
		if (target->fields[to].type == FT_INT)
			rec_set_int(&patch, to, v->i);
		else
			rec_set_text(&patch, to, rec_text(w->after, from));
		any = true;
	}
	enum app_err rc = any ? update(st, target, target_key, &patch, -1, NULL, w->actor, w->errs, NULL) : APP_OK;
	if (target)
		rec_free(&patch);
	return rc;
}

enum app_err dom_delete(struct app *app, const struct entity *e, const char *key,
			long long if_version, const struct principal *who, struct buf *why)
{
	enum app_err rc = may_write(e, who);
	if (rc)
		return rc;
	if (!dom_valid_key(e, key))
		return APP_NOT_FOUND;
	struct record before;
	rec_init(&before, e);
	struct ferrs errs = { 0 };
	struct write w;
	write_init(&w, e, WRITE_DELETE, dom_actor(app, who), viewer_of(who));
	w.before = &before;
	w.errs = &errs;
	w.why = why;
	struct query q;
	key_query(&q, e, key, who);
	if (!(rc = store_begin(app->store))) {
		rc = store_read(app->store, &q, &w);
		if (!rc && if_version >= 0 && if_version != w.version)
			rc = APP_PRECONDITION;
		if (!rc)
			buf_adds(&w.key, key);
		rc = finish(app->store, rc ? rc : store_write(app->store, &w));
	}
	dom_query_release(&q);
	write_release(&w);
	ferrs_release(&errs);
	rec_free(&before);
	return rc;
}

/* ---- restoring a deleted record ------------------------------------------------------ */

static enum app_err deletion_row(void *ctx, const struct row *row)
{
	struct dom_deletion *d = ctx;
	const struct field *fs = ENT(AUDIT)->fields;
	const char *action = row_text(row, fs[AUDIT_ACTION].col);
	const char *entity = row_text(row, fs[AUDIT_ENTITY].col);
	const char *key = row_text(row, fs[AUDIT_RECORD].col);
	const char *before = row_text(row, fs[AUDIT_BEFORE].col);
	d->e = entity ? ent_by_name(entity) : NULL;
	if (!action || strcmp(action, "delete") || !d->e || !key || !before) {
		d->state = DEL_NOT_DELETION;
		return APP_OK;
	}
	buf_adds(&d->key, key);
	buf_adds(&d->before, before);
	d->state = DEL_RESTORABLE;
	return APP_OK;
}

static enum app_err last_id_row(void *ctx, const struct row *row)
{
	*(long long *)ctx = row_int(row, ENT(AUDIT)->fields[AUDIT_ID].col);
	return APP_OK;
}

/* The number of the latest audit entry of d's record into d->latest: a
 * deletion older than it recorded a state since restored and deleted again,
 * which is not the one to bring back. */
static enum app_err latest_entry(struct app *app, struct dom_deletion *d)
{
	const struct entity *a = ENT(AUDIT);
	struct query q;
	dom_query_init(&q, a, NULL);
	q.limit = 1;
	q.sort = &a->fields[AUDIT_ID];
	q.desc = true;
	q.filters[q.nfilters++] = (struct query_filter){ &a->fields[AUDIT_ENTITY],
							 { .type = DBP_TEXT, .s = d->e->name } };
	q.filters[q.nfilters++] = (struct query_filter){ &a->fields[AUDIT_RECORD],
							 { .type = DBP_TEXT, .s = buf_cstr(&d->key) } };
	enum app_err rc = store_list(app->store, &q, NULL, last_id_row, &d->latest);
	dom_query_release(&q);
	return rc;
}

enum app_err dom_deletion(struct app *app, const char *entry, const struct principal *who,
			  struct dom_deletion *d)
{
	memset(d, 0, sizeof *d);
	enum app_err rc = dom_get_row(app, ENT(AUDIT), entry, who, LABELS_NONE, deletion_row, d);
	if (rc || d->state != DEL_RESTORABLE)
		return rc;
	/* a document's file went with its row: only a new upload brings it back */
	if (d->e->readonly || d->e->upload)
		d->state = DEL_CANNOT;
	else if (may_write(d->e, who))
		d->state = DEL_FORBIDDEN;
	bool exists = false;
	if (d->state == DEL_RESTORABLE && !(rc = store_exists(app->store, d->e, buf_cstr(&d->key), &exists)) &&
	    exists)
		d->state = DEL_EXISTS;
	long long id = 0;
	if (d->state == DEL_RESTORABLE && !(rc = latest_entry(app, d)) && util_parse_ll(entry, &id) &&
	    d->latest != id)
		d->state = DEL_SUPERSEDED;
	return rc;
}

void dom_deletion_release(struct dom_deletion *d)
{
	buf_release(&d->key);
	buf_release(&d->before);
}

/* The record d names, decoded from its last state (its key and the values
 * the server gave it included), then created as any record is, inside the
 * transaction, unless it exists again. */
static enum app_err restore_in(struct app *app, struct dom_deletion *d, const struct principal *who,
			       struct ferrs *errs, struct dom_answer *ans)
{
	json_t *obj = json_loadb(d->before.data, d->before.len, 0, NULL);
	struct record r;
	rec_init(&r, d->e);
	enum app_err rc = obj ? rec_from_json(&r, obj, REC_RESTORE, errs) : APP_BAD_JSON;
	json_decref(obj);
	struct write w;
	write_init(&w, d->e, WRITE_CREATE, dom_actor(app, who), viewer_of(who));
	w.after = &r;
	w.errs = errs;
	w.audit_action = "restore";
	bool exists = false;
	if (!rc && !(rc = store_begin(app->store))) {
		rc = store_exists(app->store, d->e, buf_cstr(&d->key), &exists);
		rc = finish(app->store, rc ? rc : exists ? APP_CONFLICT : create_in(app->store, &w, who));
	}
	if (!rc)
		answer(ans, &w);
	write_release(&w);
	rec_free(&r);
	return rc;
}

enum app_err dom_restore(struct app *app, const char *entry, const struct principal *who,
			 struct dom_deletion *d, struct ferrs *errs, struct dom_answer *ans)
{
	ferrs_release(errs); /* (the errors of this restore only) */
	enum app_err rc = dom_deletion(app, entry, who, d);
	if (rc)
		return rc;
	switch (d->state) {
	case DEL_RESTORABLE:
		break;
	case DEL_FORBIDDEN:
		return APP_FORBIDDEN;
	default:
		return APP_CONFLICT;
	}
	rc = restore_in(app, d, who, errs, ans);
	if (rc == APP_CONFLICT && !errs->n)
		d->state = DEL_EXISTS; /* it came back in the meantime */
	return rc;
}

bool dom_parse_etag(const char *h, long long *version)
{
	*version = -1;
	if (!h)
		return true;
	while (*h == ' ')
		h++;
	if (strcmp(h, "*") == 0)
		return true;
	if (strncmp(h, "W/", 2) == 0)
		h += 2;
	size_t n = strlen(h);
	if (n < 3 || h[0] != '"' || h[n - 1] != '"')
		return false;
	char *inner = xstrndup(h + 1, n - 2);
	long long v;
	bool ok = util_parse_ll(inner, &v) && v >= 0;
	free(inner);
	if (ok)
		*version = v;
	return ok;
}
