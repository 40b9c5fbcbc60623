/* store_iati.c — see store_iati.h.  Hand-written SQL: the export reads
 * whole tables in a few ordered queries (10⁴ programmes are not 10⁴ round
 * trips) and joins them in memory; the import reads what it matches the
 * file against (its writes are the domain's: iati_import.c). */
#define _POSIX_C_SOURCE 200809L
#include "store_iati.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "store_int.h"
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
				   "comment_fr, comment_en, comment_ar FROM "
				   /* only approved values are published (review.h) */
				   "(SELECT * FROM indicator_period WHERE review_state = 'approved') ip",
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

/* ---- import: what it reads (iati_import.c writes through the domain) ----------------- */

enum app_err store_iati_orgs(struct store *st, row_fn fn, void *ctx)
{
	return store_each(st, "SELECT id, iati_ref, name_fr, name_en, name_ar FROM organisation ORDER BY id", NO_BINDS,
			  fn, ctx);
}

enum app_err store_iati_codes(struct store *st, const struct entity *e, row_fn fn, void *ctx)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT %s FROM %s", ent_keyfield(e)->name, e->name);
	return store_each(st, sql, NO_BINDS, fn, ctx);
}

enum app_err store_iati_programme(struct store *st, const char *identifier, long long *id)
{
	*id = 0;
	return store_value(st, "SELECT id FROM programme WHERE iati_identifier = ?", BIND(p_text(identifier)), id,
			   NULL);
}

enum app_err store_iati_txn_keys(struct store *st, long long programme, row_fn fn, void *ctx)
{
	return store_each(st, "SELECT kind, date, amount, currency, reference FROM funding_transaction WHERE programme = ?",
			  BIND(p_int(programme)), fn, ctx);
}
