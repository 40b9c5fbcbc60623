/* store_iati.c — see store_iati.h.  Hand-written SQL: the export reads
 * whole tables in a few ordered queries (10⁴ programmes are not 10⁴ round
 * trips) and joins them in memory; the import writes row by row inside one
 * transaction (SQLite's fastest way, store_import.c) with one audit entry
 * per programme and organisation it creates. */
#define _POSIX_C_SOURCE 200809L
#include "store_iati.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "store_int.h"
#include "strmap.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

static void text_from(struct iati_text *t, const struct row *r, int col)
{
	for (int i = 0; i < IATI_NLANG; i++)
		t->t[i] = dup_or_null(row_text(r, col + i));
}

static void copy_to(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

/* ---- export --------------------------------------------------------------------------- */

struct load {
	struct iati_doc *d;
	struct iati_result **results; /* every result, in id order, after the results query */
	size_t nresults;
	struct iati_indicator **inds;
	size_t ninds;
};

static int org_by_id(const struct iati_doc *d, long long id)
{
	size_t lo = 0, hi = d->norgs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (d->orgs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->norgs && d->orgs[lo].id == id ? (int)lo : -1;
}

static struct iati_activity *act_by_id(const struct iati_doc *d, long long id)
{
	size_t lo = 0, hi = d->nacts;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (d->acts[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->nacts && d->acts[lo].id == id ? &d->acts[lo] : NULL;
}

/* select (up to its FROM clause) for the programmes of the export only,
 * those of the query `programmes` (NULL: all): `col` is the key of the
 * programme a row belongs to (the path to it as subqueries, closed by
 * `close`); then order. */
static enum app_err walk_exported(struct conn *c, const struct query *programmes, const char *select,
				  const char *col, const char *close, const char *order, row_fn fn, void *ctx)
{
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, select);
	if (programmes) {
		buf_printf(&s.sql, " WHERE %s IN (SELECT t.id FROM programme t", col);
		stmt_where(&s, programmes);
		buf_printf(&s.sql, ")%s", close);
	}
	buf_printf(&s.sql, " %s", order);
	enum app_err rc = conn_walk(c, &s, fn, ctx, NULL);
	stmt_release(&s);
	return rc;
}

static enum app_err org_row(void *ctx, const struct row *r)
{
	struct load *l = ctx;
	int k = iati_org_add(l->d);
	struct iati_org *o = &l->d->orgs[k];
	o->id = row_int(r, 0);
	text_from(&o->name, r, 1);
	o->type = dup_or_null(row_text(r, 4));
	o->ref = dup_or_null(row_text(r, 5));
	const char *acr = row_text(r, 6);
	if (acr && strcmp(acr, "UNOCT") == 0 && !l->d->reporting.id) {
		l->d->reporting.id = o->id;
		l->d->reporting.ref = dup_or_null(o->ref);
		l->d->reporting.type = dup_or_null(o->type);
		for (int i = 0; i < IATI_NLANG; i++)
			l->d->reporting.name.t[i] = dup_or_null(o->name.t[i]);
	}
	return APP_OK;
}

static enum app_err programme_row(void *ctx, const struct row *r)
{
	struct load *l = ctx;
	struct iati_activity *a = iati_act_add(l->d);
	a->id = row_int(r, 0);
	const char *ident = row_text(r, 1);
	a->identifier = ident && *ident ? xstrdup(ident) : xasprintf("%s-%lld", l->d->reporting.ref, a->id);
	text_from(&a->title, r, 2);
	text_from(&a->desc, r, 5);
	a->implementer = row_null(r, 8) ? -1 : org_by_id(l->d, row_int(r, 8));
	copy_to(a->start, sizeof a->start, row_text(r, 9));
	copy_to(a->end, sizeof a->end, row_text(r, 10));
	a->status = iati_status_code(row_text(r, 11));
	if (!a->status)
		a->status = 2;
	a->has_budget = !row_null(r, 12);
	a->budget = row_int(r, 12);
	copy_to(a->currency, sizeof a->currency, row_text(r, 13));
	if (!a->currency[0])
		memcpy(a->currency, "USD", 4);
	a->sample = row_int(r, 14) != 0;
	copy_to(a->updated, sizeof a->updated, row_text(r, 15));
	return APP_OK;
}

static enum app_err donor_row(void *ctx, const struct row *r)
{
	struct load *l = ctx;
	struct iati_activity *a = act_by_id(l->d, row_int(r, 0));
	int k = org_by_id(l->d, row_int(r, 1));
	if (a && k >= 0) {
		a->donors = xrealloc(a->donors, (a->ndonors + 1) * sizeof *a->donors);
		a->donors[a->ndonors++] = k;
	}
	return APP_OK;
}

static enum app_err country_row(void *ctx, const struct row *r)
{
	struct load *l = ctx;
	struct iati_activity *a = act_by_id(l->d, row_int(r, 0));
	if (a) {
		a->countries = xrealloc(a->countries, (a->ncountries + 1) * sizeof *a->countries);
		copy_to(a->countries[a->ncountries++], 3, row_text(r, 1));
	}
	return APP_OK;
}

static enum app_err theme_row(void *ctx, const struct row *r)
{
	struct load *l = ctx;
	struct iati_activity *a = act_by_id(l->d, row_int(r, 0));
	if (a) {
		a->themes = xrealloc(a->themes, (a->nthemes + 1) * sizeof *a->themes);
		a->themes[a->nthemes++] = xstrdup(row_text(r, 1));
	}
	return APP_OK;
}

static enum app_err txn_row(void *ctx, const struct row *r)
{
	struct load *l = ctx;
	struct iati_activity *a = act_by_id(l->d, row_int(r, 0));
	if (!a)
		return APP_OK;
	if ((a->ntxns & (a->ntxns - 1)) == 0)
		a->txns = xrealloc(a->txns, (a->ntxns ? 2 * a->ntxns : 1) * sizeof *a->txns);
	struct iati_txn *t = &a->txns[a->ntxns++];
	memset(t, 0, sizeof *t);
	t->type = iati_txn_code(row_text(r, 1));
	copy_to(t->date, sizeof t->date, row_text(r, 2));
	t->amount = row_int(r, 3);
	copy_to(t->currency, sizeof t->currency, row_text(r, 4));
	t->provider = row_null(r, 5) ? -1 : org_by_id(l->d, row_int(r, 5));
	t->receiver = row_null(r, 6) ? -1 : org_by_id(l->d, row_int(r, 6));
	text_from(&t->desc, r, 7);
	t->ref = dup_or_null(row_text(r, 10));
	return APP_OK;
}

static enum app_err result_row(void *ctx, const struct row *r)
{
	struct load *l = ctx;
	struct iati_activity *a = act_by_id(l->d, row_int(r, 1));
	if (!a)
		return APP_OK;
	a->results = xrealloc(a->results, (a->nresults + 1) * sizeof *a->results);
	struct iati_result *res = &a->results[a->nresults++];
	memset(res, 0, sizeof *res);
	res->id = row_int(r, 0);
	res->type = iati_result_code(row_text(r, 2));
	text_from(&res->title, r, 3);
	text_from(&res->desc, r, 6);
	return APP_OK;
}

static int by_result_id(const void *x, const void *y)
{
	long long a = (*(struct iati_result *const *)x)->id, b = (*(struct iati_result *const *)y)->id;
	return a < b ? -1 : a > b;
}

static int by_indicator_id(const void *x, const void *y)
{
	long long a = (*(struct iati_indicator *const *)x)->id, b = (*(struct iati_indicator *const *)y)->id;
	return a < b ? -1 : a > b;
}

static void index_results(struct load *l)
{
	for (size_t i = 0; i < l->d->nacts; i++)
		for (size_t j = 0; j < l->d->acts[i].nresults; j++) {
			l->results = xrealloc(l->results, (l->nresults + 1) * sizeof *l->results);
			l->results[l->nresults++] = &l->d->acts[i].results[j];
		}
	if (l->nresults)
		qsort(l->results, l->nresults, sizeof *l->results, by_result_id);
}

static void index_indicators(struct load *l)
{
	for (size_t i = 0; i < l->nresults; i++)
		for (size_t j = 0; j < l->results[i]->nind; j++) {
			l->inds = xrealloc(l->inds, (l->ninds + 1) * sizeof *l->inds);
			l->inds[l->ninds++] = &l->results[i]->ind[j];
		}
	if (l->ninds)
		qsort(l->inds, l->ninds, sizeof *l->inds, by_indicator_id);
}

static enum app_err indicator_row(void *ctx, const struct row *r)
{
	struct load *l = ctx;
	struct iati_result key = { .id = row_int(r, 1) }, *kp = &key;
	struct iati_result **res = l->nresults ? bsearch(&kp, l->results, l->nresults, sizeof *l->results, by_result_id)
					       : NULL;
	if (!res)
		return APP_OK;
	struct iati_result *p = *res;
	p->ind = xrealloc(p->ind, (p->nind + 1) * sizeof *p->ind);
	struct iati_indicator *ind = &p->ind[p->nind++];
	memset(ind, 0, sizeof *ind);
	ind->id = row_int(r, 0);
	text_from(&ind->title, r, 2);
	ind->measure = row_text(r, 5) && strcmp(row_text(r, 5), "percentage") == 0 ? 2 : 1;
	ind->ascending = row_null(r, 6) || row_int(r, 6) != 0;
	ind->has_baseline = !row_null(r, 7);
	ind->baseline_year = row_int(r, 7);
	ind->has_baseline_value = !row_null(r, 8);
	ind->baseline = row_int(r, 8);
	/* a computed indicator's actuals are filled in by iati_export_load */
	ind->computed = row_text(r, 9) && strcmp(row_text(r, 9), "manual") != 0;
	return APP_OK;
}

static enum app_err period_row(void *ctx, const struct row *r)
{
	struct load *l = ctx;
	struct iati_indicator key = { .id = row_int(r, 0) }, *kp = &key;
	struct iati_indicator **ip = l->ninds ? bsearch(&kp, l->inds, l->ninds, sizeof *l->inds, by_indicator_id) : NULL;
	if (!ip)
		return APP_OK;
	struct iati_indicator *ind = *ip;
	ind->rows = xrealloc(ind->rows, (ind->nrows + 1) * sizeof *ind->rows);
	struct iati_prow *p = &ind->rows[ind->nrows++];
	memset(p, 0, sizeof *p);
	copy_to(p->start, sizeof p->start, row_text(r, 1));
	copy_to(p->end, sizeof p->end, row_text(r, 2));
	const char *sex = row_text(r, 3);
	p->sex = !sex ? 0 : strcmp(sex, "female") == 0 ? 1 : 2;
	copy_to(p->country, sizeof p->country, row_text(r, 4));
	p->has_target = !row_null(r, 5);
	p->target = row_int(r, 5);
	p->has_actual = !row_null(r, 6);
	p->actual = row_int(r, 6);
	text_from(&p->comment, r, 7);
	return APP_OK;
}

enum app_err store_iati_load(struct store *st, const struct query *programmes, struct iati_doc *d)
{
	memset(d, 0, sizeof *d);
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc)
		return rc;
	struct load l = { .d = d };
	/* One read transaction (not a write one: the export must not hold up
	 * writers): on SQLite the queries see one state of the database. */
	bool own = c->depth == 0 && conn_exec(c, "BEGIN") == APP_OK;
	rc = conn_each(c, "SELECT id, name_fr, name_en, name_ar, type, iati_ref, acronym FROM organisation ORDER BY id",
		       NO_BINDS, org_row, &l);
	d->reporting_ref_own = d->reporting.ref != NULL;
	if (!d->reporting.ref) {
		const char *env = getenv("SUIVI_IATI_REF");
		d->reporting.ref = xstrdup(env && *env && !rec_pattern_error("iatiid", env) ? env : "SUIVI");
	}
	if (!d->reporting.type)
		d->reporting.type = xstrdup("40");
	if (!d->reporting.name.t[IATI_EN] && !d->reporting.name.t[IATI_FR] && !d->reporting.name.t[IATI_AR]) {
		/* No UNOCT record (a database without the demo): its names as the
		 * demo has them, so that an export, its import into an empty
		 * database and the export of that give the same file. */
		static const char *const unoct[IATI_NLANG] = {
			"Bureau de lutte contre le terrorisme des Nations Unies",
			"United Nations Office of Counter-Terrorism",
			"مكتب الأمم المتحدة لمكافحة الإرهاب",
		};
		for (int i = 0; i < IATI_NLANG; i++)
			d->reporting.name.t[i] = xstrdup(unoct[i]);
	}
	const struct query *q = programmes;
	if (!rc)
		rc = walk_exported(c, q, "SELECT id, iati_identifier, title_fr, title_en, title_ar, description_fr, "
				   "description_en, description_ar, implementer, start_date, end_date, status, budget, "
				   "currency, sample, updated_at FROM programme", "id", "", "ORDER BY id", programme_row, &l);
	/* Donors in an order of their own (identifier, then name), not of the
	 * database's numbering: an import into another database keeps it. */
	if (!rc)
		rc = walk_exported(c, q, "SELECT d.programme, d.organisation FROM programme_donors d JOIN organisation o "
				   "ON o.id = d.organisation", "d.programme", "",
				   "ORDER BY d.programme, COALESCE(o.iati_ref, ''), COALESCE(o.name_en, ''), "
				   "COALESCE(o.name_fr, ''), o.id", donor_row, &l);
	if (!rc)
		rc = walk_exported(c, q, "SELECT programme, country FROM programme_countries", "programme", "",
				   "ORDER BY programme, country", country_row, &l);
	if (!rc)
		rc = walk_exported(c, q, "SELECT programme, theme FROM programme_themes", "programme", "",
				   "ORDER BY programme, theme", theme_row, &l);
	if (!rc)
		rc = walk_exported(c, q, "SELECT programme, kind, date, amount, currency, provider, receiver, "
				   "description_fr, description_en, description_ar, reference FROM funding_transaction",
				   "programme", "", "ORDER BY programme, date, id", txn_row, &l);
	if (!rc)
		rc = walk_exported(c, q, "SELECT id, programme, level, title_fr, title_en, title_ar, description_fr, "
				   "description_en, description_ar FROM result", "programme", "",
				   "ORDER BY programme, id", result_row, &l);
	if (!rc) {
		index_results(&l);
		rc = walk_exported(c, q, "SELECT id, result, title_fr, title_en, title_ar, measure, ascending, "
				   "baseline_year, baseline, computed FROM indicator",
				   "result IN (SELECT r.id FROM result r WHERE r.programme", ")", "ORDER BY result, id",
				   indicator_row, &l);
	}
	if (!rc) {
		index_indicators(&l);
		rc = walk_exported(c, q, "SELECT indicator, start_date, end_date, sex, country, target, actual, "
				   "comment_fr, comment_en, comment_ar FROM indicator_period",
				   "indicator IN (SELECT i.id FROM indicator i WHERE i.result IN "
				   "(SELECT r.id FROM result r WHERE r.programme", "))",
				   "ORDER BY indicator, start_date, end_date, "
				   "CASE WHEN sex IS NULL AND country IS NULL THEN 0 WHEN sex = 'female' THEN 1 "
				   "WHEN sex IS NOT NULL THEN 2 ELSE 3 END, COALESCE(country, ''), id",
				   period_row, &l);
	}
	if (own)
		err_ignore(conn_exec(c, "ROLLBACK")); /* read only: nothing to commit, nothing lost */
	free(l.results);
	free(l.inds);
	if (rc)
		iati_doc_free(d);
	return rc;
}

/* ---- import --------------------------------------------------------------------------- */

struct imp {
	struct conn *c;
	const char *actor;
	struct iati_doc *d;
	const char *source;
	char now[21];
	struct strmap by_ref, by_name, countries, themes;
	struct iati_counts n;
};

static enum app_err org_map_row(void *ctx, const struct row *r)
{
	struct imp *im = ctx;
	long long id = row_int(r, 0);
	if (!row_null(r, 1))
		strmap_put(&im->by_ref, row_text(r, 1), id);
	for (int i = 0; i < IATI_NLANG; i++)
		if (!row_null(r, 2 + i) && !strmap_get(&im->by_name, row_text(r, 2 + i)))
			strmap_put(&im->by_name, row_text(r, 2 + i), id);
	return APP_OK;
}

static enum app_err code_row(void *ctx, const struct row *r)
{
	strmap_put(ctx, row_text(r, 0), 1);
	return APP_OK;
}

static void json_text(struct buf *b, const char *name, const struct iati_text *t)
{
	buf_printf(b, "\"%s\":{", name);
	bool first = true;
	for (int i = 0; i < IATI_NLANG; i++) {
		if (!t->t[i])
			continue;
		buf_printf(b, "%s\"%s\":", first ? "" : ",", iati_langs[i]);
		buf_json_str(b, t->t[i]);
		first = false;
	}
	buf_addc(b, '}');
}

static void stmt_texts(struct stmt *s, const struct iati_text *t)
{
	for (int i = 0; i < IATI_NLANG; i++)
		stmt_text(s, t->t[i]);
}

/* Runs s (an INSERT … RETURNING id) and gives the id. */
static enum app_err insert_id(struct conn *c, struct stmt *s, long long *id)
{
	bool found = false;
	enum app_err rc = conn_scalar(c, s, id, &found);
	stmt_release(s);
	return rc ? rc : found ? APP_OK : APP_UNAVAILABLE;
}

static enum app_err run(struct conn *c, struct stmt *s)
{
	enum app_err rc = conn_run(c, s, NULL);
	stmt_release(s);
	return rc;
}

static enum app_err audit_id(struct imp *im, const char *entity, long long id, const char *action,
			     struct buf *after)
{
	char key[24];
	snprintf(key, sizeof key, "%lld", id);
	enum app_err rc = conn_audit(im->c, im->actor, entity, key, action, NULL, buf_cstr(after));
	buf_release(after);
	return rc;
}

/* The organisation's id: by identifier, else by name, else a new one. */
static enum app_err org_id(struct imp *im, struct iati_org *o, long long *id)
{
	*id = o->id;
	if (o->id)
		return APP_OK;
	if (o->ref)
		*id = strmap_get(&im->by_ref, o->ref);
	for (int i = 0; i < IATI_NLANG && !*id; i++)
		if (o->name.t[i])
			*id = strmap_get(&im->by_name, o->name.t[i]);
	if (*id) {
		o->id = *id;
		return APP_OK;
	}
	struct iati_text name = o->name;
	if (!name.t[0] && !name.t[1] && !name.t[2])
		name.t[IATI_EN] = o->ref; /* a name is required: the identifier stands in */
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "INSERT INTO organisation (name_fr, name_en, name_ar, type, iati_ref, sample, source, version, "
			 "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, 1, ?, ?) RETURNING id");
	stmt_texts(&s, &name);
	stmt_text(&s, o->type);
	stmt_text(&s, o->ref);
	stmt_text(&s, im->source);
	stmt_text(&s, im->now);
	stmt_text(&s, im->now);
	enum app_err rc = insert_id(im->c, &s, id);
	if (rc)
		return rc;
	o->id = *id;
	if (o->ref)
		strmap_put(&im->by_ref, o->ref, *id);
	for (int i = 0; i < IATI_NLANG; i++)
		if (name.t[i] && !strmap_get(&im->by_name, name.t[i]))
			strmap_put(&im->by_name, name.t[i], *id);
	im->n.organisations++;
	struct buf after = BUF_INIT;
	buf_printf(&after, "{\"id\":%lld,", *id);
	json_text(&after, "name", &name);
	buf_adds(&after, ",\"iati_ref\":");
	buf_json_str(&after, o->ref);
	buf_adds(&after, ",\"source\":");
	buf_json_str(&after, im->source);
	buf_addc(&after, '}');
	return audit_id(im, "organisation", *id, "create", &after);
}

/* An organisation index of the file, or -1 → its id, or NULL. */
static enum app_err org_ref(struct imp *im, int k, long long *id)
{
	*id = 0;
	return k < 0 ? APP_OK : org_id(im, &im->d->orgs[k], id);
}

static void txn_key(struct buf *b, const char *kind, const char *date, long long amount, const char *currency,
		    const char *ref)
{
	buf_reset(b);
	buf_printf(b, "%s|%s|%lld|%s|%s", kind, date, amount, currency, ref ? ref : "");
}

static enum app_err insert_txn(struct imp *im, long long programme, const struct iati_activity *a,
			       const struct iati_txn *t)
{
	long long prov, recv;
	enum app_err rc = org_ref(im, t->provider, &prov);
	if (!rc)
		rc = org_ref(im, t->receiver, &recv);
	if (rc)
		return rc;
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "INSERT INTO funding_transaction (programme, kind, date, amount, currency, provider, receiver, "
			 "description_fr, description_en, description_ar, reference, sample, source, version, "
			 "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
	stmt_int(&s, programme);
	stmt_text(&s, iati_txn_name(t->type));
	stmt_text(&s, t->date);
	stmt_int(&s, t->amount);
	stmt_text(&s, t->currency);
	stmt_param(&s, p_int_or_null(prov, prov));
	stmt_param(&s, p_int_or_null(recv, recv));
	stmt_texts(&s, &t->desc);
	stmt_text(&s, t->ref);
	stmt_int(&s, a->sample);
	stmt_text(&s, im->source);
	stmt_text(&s, im->now);
	stmt_text(&s, im->now);
	rc = run(im->c, &s);
	if (!rc)
		im->n.transactions++;
	return rc;
}

static enum app_err key_row(void *ctx, const struct row *r)
{
	struct buf b = BUF_INIT;
	txn_key(&b, row_text(r, 0), row_text(r, 1), row_int(r, 2), row_text(r, 3), row_text(r, 4));
	strmap_put(ctx, buf_cstr(&b), 1);
	buf_release(&b);
	return APP_OK;
}

/* An activity whose programme exists: the transactions not recorded yet. */
static enum app_err add_new_txns(struct imp *im, long long programme, const struct iati_activity *a)
{
	struct strmap seen = STRMAP_INIT;
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "SELECT kind, date, amount, currency, reference FROM funding_transaction WHERE programme = ?");
	stmt_int(&s, programme);
	enum app_err rc = conn_walk(im->c, &s, key_row, &seen, NULL);
	stmt_release(&s);
	long long added = 0;
	struct buf k = BUF_INIT;
	for (size_t i = 0; !rc && i < a->ntxns; i++) {
		const struct iati_txn *t = &a->txns[i];
		txn_key(&k, iati_txn_name(t->type), t->date, t->amount, t->currency, t->ref);
		if (strmap_get(&seen, buf_cstr(&k)))
			continue;
		rc = insert_txn(im, programme, a, t);
		added++;
	}
	buf_release(&k);
	strmap_free(&seen);
	if (rc || !added)
		return rc;
	struct buf after = BUF_INIT;
	buf_printf(&after, "{\"programme\":%lld,\"transactions_added\":%lld,\"source\":", programme, added);
	buf_json_str(&after, im->source);
	buf_addc(&after, '}');
	return audit_id(im, "funding_transaction", programme, "import", &after);
}

static enum app_err insert_periods(struct imp *im, long long indicator, const struct iati_activity *a,
				   const struct iati_indicator *ind)
{
	enum app_err rc = APP_OK;
	for (size_t i = 0; !rc && i < ind->nrows; i++) {
		const struct iati_prow *p = &ind->rows[i];
		if (p->country[0] && !strmap_get(&im->countries, p->country)) {
			iati_skip(im->d, ind->line, "a value for the unknown country %s not recorded", p->country);
			continue;
		}
		struct stmt s;
		stmt_init(&s);
		buf_adds(&s.sql, "INSERT INTO indicator_period (indicator, start_date, end_date, sex, country, target, "
				 "actual, comment_fr, comment_en, comment_ar, sample, source, version, created_at, "
				 "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
		stmt_int(&s, indicator);
		stmt_text(&s, p->start);
		stmt_text(&s, p->end);
		stmt_text(&s, p->sex == 1 ? "female" : p->sex == 2 ? "male" : NULL);
		stmt_text(&s, p->country[0] ? p->country : NULL);
		stmt_param(&s, p_int_or_null(p->has_target, p->target));
		stmt_param(&s, p_int_or_null(p->has_actual, p->actual));
		stmt_texts(&s, &p->comment);
		stmt_int(&s, a->sample);
		stmt_text(&s, im->source);
		stmt_text(&s, im->now);
		stmt_text(&s, im->now);
		rc = run(im->c, &s);
	}
	return rc;
}

static bool empty(const struct iati_text *t)
{
	return !t->t[0] && !t->t[1] && !t->t[2];
}

static enum app_err insert_results(struct imp *im, long long programme, const struct iati_activity *a)
{
	enum app_err rc = APP_OK;
	for (size_t i = 0; !rc && i < a->nresults; i++) {
		const struct iati_result *r = &a->results[i];
		if (empty(&r->title)) {
			iati_skip(im->d, r->line, "a result without a title not recorded");
			continue;
		}
		struct stmt s;
		stmt_init(&s);
		buf_adds(&s.sql, "INSERT INTO result (programme, level, title_fr, title_en, title_ar, description_fr, "
				 "description_en, description_ar, sample, source, version, created_at, updated_at) "
				 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id");
		stmt_int(&s, programme);
		stmt_text(&s, iati_result_name(r->type));
		stmt_texts(&s, &r->title);
		stmt_texts(&s, &r->desc);
		stmt_int(&s, a->sample);
		stmt_text(&s, im->source);
		stmt_text(&s, im->now);
		stmt_text(&s, im->now);
		long long rid = 0;
		if ((rc = insert_id(im->c, &s, &rid)))
			break;
		im->n.results++;
		for (size_t j = 0; !rc && j < r->nind; j++) {
			const struct iati_indicator *ind = &r->ind[j];
			stmt_init(&s);
			buf_adds(&s.sql, "INSERT INTO indicator (result, title_fr, title_en, title_ar, measure, ascending, "
					 "baseline_year, baseline, computed, sample, source, version, created_at, "
					 "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'manual', ?, ?, 1, ?, ?) RETURNING id");
			stmt_int(&s, rid);
			struct iati_text title = ind->title;
			if (empty(&title))
				title.t[IATI_EN] = "(no title)";
			stmt_texts(&s, &title);
			stmt_text(&s, ind->measure == 2 ? "percentage" : "unit");
			stmt_int(&s, ind->ascending);
			stmt_param(&s, p_int_or_null(ind->has_baseline, ind->baseline_year));
			stmt_param(&s, p_int_or_null(ind->has_baseline && ind->has_baseline_value, ind->baseline));
			stmt_int(&s, a->sample);
			stmt_text(&s, im->source);
			stmt_text(&s, im->now);
			stmt_text(&s, im->now);
			long long iid = 0;
			rc = insert_id(im->c, &s, &iid);
			if (!rc)
				rc = insert_periods(im, iid, a, ind);
		}
	}
	return rc;
}

static enum app_err insert_link(struct imp *im, const char *table, const char *col, long long programme,
				const char *text, long long id)
{
	struct stmt s;
	stmt_init(&s);
	buf_printf(&s.sql, "INSERT INTO %s (programme, %s) VALUES (?, ?)", table, col);
	stmt_int(&s, programme);
	if (text)
		stmt_text(&s, text);
	else
		stmt_int(&s, id);
	return run(im->c, &s);
}

static bool listed(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* The activity's themes: its vocabulary-99 codes that are themes, else its
 * DAC codes mapped back (iati.c's table). */
static void themes_of(struct imp *im, const struct iati_activity *a, char ***out, size_t *n)
{
	for (size_t i = 0; i < a->nthemes; i++)
		if (strmap_get(&im->themes, a->themes[i]) && !listed(*out, *n, a->themes[i])) {
			*out = xrealloc(*out, (*n + 1) * sizeof **out);
			(*out)[(*n)++] = a->themes[i];
		} else if (!strmap_get(&im->themes, a->themes[i])) {
			iati_skip(im->d, a->line, "sector '%s' of the publisher's own vocabulary left out (not a theme)",
				  a->themes[i]);
		}
	if (*n)
		return;
	for (size_t i = 0; i < a->nsectors; i++) {
		const char *t = iati_sector_theme(a->sectors[i]);
		if (!t || !strmap_get(&im->themes, t)) {
			iati_skip(im->d, a->sector_lines[i], "sector %s has no theme here: left out", a->sectors[i]);
			continue;
		}
		if (!listed(*out, *n, t)) {
			*out = xrealloc(*out, (*n + 1) * sizeof **out);
			(*out)[(*n)++] = (char *)t;
		}
	}
}

static enum app_err insert_links(struct imp *im, long long id, const struct iati_activity *a)
{
	enum app_err rc = APP_OK;
	long long *done = xcalloc(a->ndonors + 1, sizeof *done);
	for (size_t i = 0; !rc && i < a->ndonors; i++) {
		long long org;
		if ((rc = org_ref(im, a->donors[i], &org)) || !org)
			continue;
		bool dup = false;
		for (size_t k = 0; k < i; k++)
			dup |= done[k] == org;
		done[i] = org;
		if (!dup)
			rc = insert_link(im, "programme_donors", "organisation", id, NULL, org);
	}
	free(done);
	for (size_t i = 0; !rc && i < a->ncountries; i++) {
		bool dup = false;
		for (size_t k = 0; k < i; k++)
			dup |= strcmp(a->countries[k], a->countries[i]) == 0;
		if (!strmap_get(&im->countries, a->countries[i]))
			iati_skip(im->d, a->line, "recipient country %s unknown: left out", a->countries[i]);
		else if (!dup)
			rc = insert_link(im, "programme_countries", "country", id, a->countries[i], 0);
	}
	char **themes = NULL;
	size_t nthemes = 0;
	themes_of(im, a, &themes, &nthemes);
	for (size_t i = 0; !rc && i < nthemes; i++)
		rc = insert_link(im, "programme_themes", "theme", id, themes[i], 0);
	free(themes);
	return rc;
}

/* Decodes text s of the activity into field `name` of r (language l of a
 * multilingual one) with the registry's decoder; NULL s gives nothing. */
static void decode(struct record *r, const char *name, enum lang l, const char *s, struct ferrs *errs)
{
	if (!s || !*s)
		return;
	int i = ent_field_index(r->e, name);
	char arg[64] = "";
	const char *bad = rec_text_value(r, i, l, s, strlen(s), NULL, 0, arg, sizeof arg);
	if (bad)
		ferrs_add(errs, name, bad, arg[0] ? arg : NULL);
}

static void decode_text(struct record *r, const char *name, const struct iati_text *t, struct ferrs *errs)
{
	static const enum lang langs[IATI_NLANG] = { [IATI_FR] = LANG_FR, [IATI_EN] = LANG_EN, [IATI_AR] = LANG_AR };
	for (int i = 0; i < IATI_NLANG; i++)
		decode(r, name, langs[i], t->t[i], errs);
}

/* Does the activity make a programme that a create would accept (the
 * registry's decoder and checks: lengths, dates, allowed values, ranges,
 * patterns, required fields, cross-field rules)?  If not, it is left out
 * with the first problem, in the words of any create. */
static bool programme_acceptable(struct imp *im, const struct iati_activity *a)
{
	struct record r;
	struct ferrs errs = { 0 };
	rec_init(&r, ENT(PROGRAMME));
	decode(&r, "iati_identifier", LANG_EN, a->identifier, &errs);
	decode_text(&r, "title", &a->title, &errs);
	decode_text(&r, "description", &a->desc, &errs);
	decode(&r, "start_date", LANG_EN, a->start, &errs);
	decode(&r, "end_date", LANG_EN, a->end, &errs);
	decode(&r, "status", LANG_EN, iati_status_name(a->status), &errs);
	decode(&r, "currency", LANG_EN, a->currency, &errs);
	char budget[24];
	snprintf(budget, sizeof budget, "%lld", a->budget);
	decode(&r, "budget", LANG_EN, a->has_budget ? budget : NULL, &errs);
	if (!errs.n)
		err_ignore(rec_check(&r, REC_CREATE, &errs)); /* what it finds is in errs */
	if (errs.n) {
		struct buf msg = BUF_INIT;
		ferrs_message(&errs, 0, LANG_EN, &msg);
		iati_skip(im->d, a->line, "activity %s not recorded: %s %s", a->identifier, errs.a[0].field, buf_cstr(&msg));
		buf_release(&msg);
	}
	bool ok = errs.n == 0;
	ferrs_release(&errs);
	rec_free(&r);
	return ok;
}

static enum app_err create_programme(struct imp *im, struct iati_activity *a)
{
	if (a->start[0] && a->end[0] && strcmp(a->end, a->start) < 0) {
		iati_skip(im->d, a->line, "end date %s before the start: left out", a->end);
		a->end[0] = '\0';
	}
	if (!programme_acceptable(im, a))
		return APP_OK;
	long long impl = 0;
	enum app_err rc = org_ref(im, a->implementer, &impl);
	if (rc)
		return rc;
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "INSERT INTO programme (iati_identifier, title_fr, title_en, title_ar, description_fr, "
			 "description_en, description_ar, implementer, start_date, end_date, status, budget, currency, "
			 "sample, source, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
			 "?, ?, 1, ?, ?) RETURNING id");
	stmt_text(&s, a->identifier);
	stmt_texts(&s, &a->title);
	stmt_texts(&s, &a->desc);
	stmt_param(&s, p_int_or_null(impl, impl));
	stmt_text(&s, a->start[0] ? a->start : NULL);
	stmt_text(&s, a->end[0] ? a->end : NULL);
	stmt_text(&s, iati_status_name(a->status));
	stmt_param(&s, p_int_or_null(a->has_budget, a->budget));
	stmt_text(&s, a->currency);
	stmt_int(&s, a->sample);
	stmt_text(&s, im->source);
	stmt_text(&s, im->now);
	/* The last update is the publisher's, when the file gives it. */
	stmt_text(&s, a->updated[0] ? a->updated : im->now);
	long long id = 0;
	if ((rc = insert_id(im->c, &s, &id)))
		return rc;
	im->n.programmes++;
	rc = insert_links(im, id, a);
	long long before = im->n.transactions;
	for (size_t i = 0; !rc && i < a->ntxns; i++)
		rc = insert_txn(im, id, a, &a->txns[i]);
	long long before_results = im->n.results;
	if (!rc)
		rc = insert_results(im, id, a);
	if (rc)
		return rc;
	struct buf after = BUF_INIT;
	buf_printf(&after, "{\"id\":%lld,\"iati_identifier\":", id);
	buf_json_str(&after, a->identifier);
	buf_addc(&after, ',');
	json_text(&after, "title", &a->title);
	buf_printf(&after, ",\"transactions\":%lld,\"results\":%lld,\"source\":", im->n.transactions - before,
		   im->n.results - before_results);
	buf_json_str(&after, im->source);
	buf_addc(&after, '}');
	return audit_id(im, "programme", id, "create", &after);
}

static enum app_err save_activity(struct imp *im, struct iati_activity *a)
{
	if (!a->identifier || !*a->identifier || rec_pattern_error("iatiid", a->identifier) ||
	    util_utf8_len(a->identifier) > 200) {
		iati_skip(im->d, a->line, "activity without a usable iati-identifier ('%s') not recorded",
			  a->identifier ? a->identifier : "");
		return APP_OK;
	}
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "SELECT id FROM programme WHERE iati_identifier = ?");
	stmt_text(&s, a->identifier);
	long long id = 0;
	bool found = false;
	enum app_err rc = conn_scalar(im->c, &s, &id, &found);
	stmt_release(&s);
	if (rc)
		return rc;
	if (found) {
		im->n.programmes_seen++;
		return add_new_txns(im, id, a);
	}
	if (empty(&a->title)) {
		iati_skip(im->d, a->line, "activity %s has no title: not recorded", a->identifier);
		return APP_OK;
	}
	return create_programme(im, a);
}

enum app_err store_iati_save(struct store *st, struct iati_doc *d, const char *source, const char *actor,
			     struct iati_counts *out)
{
	memset(out, 0, sizeof *out);
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc)
		return rc;
	struct imp im = { .c = c, .actor = actor, .d = d, .source = source };
	util_now(im.now);
	if ((rc = conn_begin(c)))
		return rc;
	rc = conn_each(c, "SELECT id, iati_ref, name_fr, name_en, name_ar FROM organisation ORDER BY id", NO_BINDS,
		       org_map_row, &im);
	if (!rc)
		rc = conn_each(c, "SELECT code FROM country", NO_BINDS, code_row, &im.countries);
	if (!rc)
		rc = conn_each(c, "SELECT code FROM theme", NO_BINDS, code_row, &im.themes);
	for (size_t i = 0; !rc && i < d->nacts; i++)
		rc = save_activity(&im, &d->acts[i]);
	bool wrote = im.n.programmes || im.n.transactions || im.n.organisations;
	if (!rc && wrote)
		rc = conn_bump(c);
	enum app_err end = conn_end(c, rc == APP_OK);
	if (!rc)
		rc = end;
	strmap_free(&im.by_ref);
	strmap_free(&im.by_name);
	strmap_free(&im.countries);
	strmap_free(&im.themes);
	if (!rc)
		*out = im.n;
	return rc;
}
