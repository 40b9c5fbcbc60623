/* iati_import.c — see iati_import.h.
 *
 * In passes, inside one transaction.  First the plan, in the file's order:
 * which activities create a programme or add to one, which of their parts
 * a create would accept (what is left out is said in the order the file
 * gives it), and the organisations they name, matched or created as they
 * are met (the first batch).  Then one batch per entity, each after the
 * batches of the records it refers to, so that the rows it names are in
 * the database before its own (PostgreSQL checks every reference):
 * programmes with their links, transactions, results, indicators, periods.
 * A batch numbers its records (batch_opts.keys): the next pass finds them
 * by the ids the plan left in the file's structs (iati.h). */
#define _POSIX_C_SOURCE 200809L
#include "iati_import.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "store_iati.h"
#include "strmap.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

enum fate { LEFT_OUT, CREATES, ADDS };

/* One batch of records of an entity, begun with its first record (an
 * entity the file adds nothing to writes nothing: no audit entry). */
struct pass {
	struct batch *b;
	bool dated;
	struct record r;
	struct ferrs errs;
	long long rows;
	enum app_err rc;
};

struct imp {
	struct app *app;
	const struct principal *who;
	struct iati_doc *d;
	char *source;          /* every row's `source`, cut to the field's length */
	enum fate *fate;       /* per activity */
	size_t *creator;       /* per activity that ADDS: the activity of the file that creates its
				  programme, or SIZE_MAX (a recorded one: its id is the activity's) */
	struct strmap by_ref, by_name, countries, themes;
	struct strmap created; /* iati-identifier → 1 + the activity that creates it */
	struct strmap keys;    /* the natural keys of the transactions of each programme, recorded or planned */
	struct strmap loaded;  /* programmes whose recorded transactions are in keys */
	struct pass orgs;      /* the new organisations, made while planning */
	struct record scratch; /* a programme's links as the plan meets them */
	struct iati_counts n;
	long long indicators, periods;
	struct buf key;
};

static const enum lang langs[IATI_NLANG] = { [IATI_FR] = LANG_FR, [IATI_EN] = LANG_EN, [IATI_AR] = LANG_AR };

static bool empty(const struct iati_text *t)
{
	return !t->t[0] && !t->t[1] && !t->t[2];
}

/* ---- records from the file's structs, with the registry's decoder ------------------- */

/* Decodes text s into field i of r (language l of a multilingual one), as
 * any outside text is decoded; NULL or "" gives nothing. */
static void decode(struct record *r, int i, enum lang l, const char *s, struct ferrs *errs)
{
	if (!s || !*s)
		return;
	char arg[REC_ARG_MAX] = "";
	const char *bad = rec_text_value(r, i, l, s, strlen(s), NULL, 0, arg, sizeof arg);
	if (bad)
		ferrs_add(errs, r->e->fields[i].name, bad, arg[0] ? arg : NULL);
}

static void decode_text(struct record *r, int i, const struct iati_text *t, struct ferrs *errs)
{
	for (int k = 0; k < IATI_NLANG; k++)
		decode(r, i, langs[k], t->t[k], errs);
}

/* A number (a whole one, or a record's) when given. */
static void decode_int(struct record *r, int i, bool given, long long v, struct ferrs *errs)
{
	char num[24];
	snprintf(num, sizeof num, "%lld", v);
	if (given)
		decode(r, i, LANG_EN, num, errs);
}

/* Where the row comes from: the file, sample data or not. */
static void provenance(const struct imp *im, struct record *r, int sample, int source, bool is_sample)
{
	rec_set_int(r, sample, is_sample);
	rec_set_text(r, source, im->source);
}

/* Is r (decoded; errs holds the decoding's problems) a record that a
 * create accepts (rec_check: required fields, the entity's own rules)?  If
 * not, it is left out, said at line with its first problem in the words
 * of any create.  parent: r's reference to a record of a later pass (its
 * number is not known yet: a stand-in of its form, which rec_check does not
 * look up), or -1. */
static bool acceptable(struct imp *im, struct record *r, int parent, struct ferrs *errs, long line, const char *what)
{
	if (parent >= 0)
		rec_set_text(r, parent, "1");
	if (!errs->n)
		err_ignore(rec_check(r, REC_CREATE, errs)); /* what it finds is in errs */
	bool ok = errs->n == 0;
	if (!ok) {
		struct buf msg = BUF_INIT;
		ferrs_message(errs, 0, LANG_EN, &msg);
		iati_skip(im->d, line, "%s not recorded: %s %s", what, errs->a[0].field, buf_cstr(&msg));
		buf_release(&msg);
	}
	ferrs_release(errs);
	return ok;
}

static void org_record(const struct imp *im, const struct iati_org *o, struct record *r, struct ferrs *errs)
{
	struct iati_text name = o->name;
	if (empty(&name))
		name.t[IATI_EN] = o->ref; /* a name is required: the identifier stands in */
	decode_text(r, ORGANISATION_NAME, &name, errs);
	decode(r, ORGANISATION_TYPE, LANG_EN, o->type, errs);
	decode(r, ORGANISATION_IATI_REF, LANG_EN, o->ref, errs);
	provenance(im, r, ORGANISATION_SAMPLE, ORGANISATION_SOURCE, false);
}

/* The programme's own fields (its links: programme_links). */
static void programme_record(const struct imp *im, const struct iati_activity *a, struct record *r,
			     struct ferrs *errs)
{
	decode(r, PROGRAMME_IATI_IDENTIFIER, LANG_EN, a->identifier, errs);
	decode_text(r, PROGRAMME_TITLE, &a->title, errs);
	decode_text(r, PROGRAMME_DESCRIPTION, &a->desc, errs);
	decode(r, PROGRAMME_START_DATE, LANG_EN, a->start, errs);
	decode(r, PROGRAMME_END_DATE, LANG_EN, a->end, errs);
	decode(r, PROGRAMME_STATUS, LANG_EN, iati_status_name(a->status), errs);
	decode(r, PROGRAMME_CURRENCY, LANG_EN, a->currency, errs);
	decode_int(r, PROGRAMME_BUDGET, a->has_budget, a->budget, errs);
	provenance(im, r, PROGRAMME_SAMPLE, PROGRAMME_SOURCE, a->sample);
	/* The last update is the publisher's, when the file gives it (batch_opts.dated). */
	snprintf(r->updated_at, sizeof r->updated_at, "%s", a->updated);
}

static long long org_number(const struct imp *im, int k)
{
	return k >= 0 && im->d->orgs[k].id > 0 ? im->d->orgs[k].id : 0;
}

static void txn_record(const struct imp *im, const struct iati_activity *a, const struct iati_txn *t,
		       long long programme, struct record *r, struct ferrs *errs)
{
	decode_int(r, TRANSACTION_PROGRAMME, programme > 0, programme, errs);
	decode(r, TRANSACTION_KIND, LANG_EN, iati_txn_name(t->type), errs);
	decode(r, TRANSACTION_DATE, LANG_EN, t->date, errs);
	decode_int(r, TRANSACTION_AMOUNT, true, t->amount, errs);
	decode(r, TRANSACTION_CURRENCY, LANG_EN, t->currency, errs);
	long long provider = org_number(im, t->provider), receiver = org_number(im, t->receiver);
	decode_int(r, TRANSACTION_PROVIDER, provider > 0, provider, errs);
	decode_int(r, TRANSACTION_RECEIVER, receiver > 0, receiver, errs);
	decode_text(r, TRANSACTION_DESCRIPTION, &t->desc, errs);
	decode(r, TRANSACTION_REFERENCE, LANG_EN, t->ref, errs);
	provenance(im, r, TRANSACTION_SAMPLE, TRANSACTION_SOURCE, a->sample);
}

static void result_record(const struct imp *im, const struct iati_activity *a, const struct iati_result *res,
			  struct record *r, struct ferrs *errs)
{
	decode_int(r, RESULT_PROGRAMME, a->id > 0, a->id, errs);
	decode(r, RESULT_LEVEL, LANG_EN, iati_result_name(res->type), errs);
	decode_text(r, RESULT_TITLE, &res->title, errs);
	decode_text(r, RESULT_DESCRIPTION, &res->desc, errs);
	provenance(im, r, RESULT_SAMPLE, RESULT_SOURCE, a->sample);
}

static void indicator_record(const struct imp *im, const struct iati_activity *a, const struct iati_result *res,
			     const struct iati_indicator *ind, struct record *r, struct ferrs *errs)
{
	decode_int(r, INDICATOR_RESULT, res->id > 0, res->id, errs);
	struct iati_text title = ind->title;
	if (empty(&title))
		title.t[IATI_EN] = "(no title)";
	decode_text(r, INDICATOR_TITLE, &title, errs);
	decode(r, INDICATOR_MEASURE, LANG_EN, ind->measure == 2 ? "percentage" : "unit", errs);
	rec_set_int(r, INDICATOR_ASCENDING, ind->ascending);
	decode_int(r, INDICATOR_BASELINE_YEAR, ind->has_baseline, ind->baseline_year, errs);
	decode_int(r, INDICATOR_BASELINE, ind->has_baseline && ind->has_baseline_value, ind->baseline, errs);
	decode(r, INDICATOR_COMPUTED, LANG_EN, "manual", errs);
	provenance(im, r, INDICATOR_SAMPLE, INDICATOR_SOURCE, a->sample);
}

static void period_record(const struct imp *im, const struct iati_activity *a, const struct iati_indicator *ind,
			  const struct iati_prow *p, struct record *r, struct ferrs *errs)
{
	decode_int(r, PERIOD_INDICATOR, ind->id > 0, ind->id, errs);
	decode(r, PERIOD_START_DATE, LANG_EN, p->start, errs);
	decode(r, PERIOD_END_DATE, LANG_EN, p->end, errs);
	decode(r, PERIOD_SEX, LANG_EN, p->sex == 1 ? "female" : p->sex == 2 ? "male" : NULL, errs);
	decode(r, PERIOD_COUNTRY, LANG_EN, p->country, errs);
	decode_int(r, PERIOD_TARGET, p->has_target, p->target, errs);
	decode_int(r, PERIOD_ACTUAL, p->has_actual, p->actual, errs);
	decode_text(r, PERIOD_COMMENT, &p->comment, errs);
	provenance(im, r, PERIOD_SAMPLE, PERIOD_SOURCE, a->sample);
}

/* ---- batches ------------------------------------------------------------------------ */

static void pass_init(struct pass *p, const struct entity *e, bool dated)
{
	*p = (struct pass){ .dated = dated };
	rec_init(&p->r, e);
}

/* The next record of the pass, empty. */
static struct record *pass_next(struct pass *p)
{
	rec_reset(&p->r);
	ferrs_release(&p->errs);
	return &p->r;
}

/* Writes the pass's record (checked by the plan: a refusal now is the
 * import's failure, said at line); *key receives its number. */
static void pass_add(struct imp *im, struct pass *p, long line, long long *key)
{
	if (!p->rc && !p->b) {
		struct batch_opts o = { .who = im->who, .keys = true, .dated = p->dated };
		p->rc = batch_begin(im->app, p->r.e, &o, &p->b);
	}
	if (p->rc)
		return;
	p->rc = p->errs.n ? APP_INVALID : batch_add(p->b, &p->r, &p->errs, key);
	p->rows += !p->rc;
	if (p->rc == APP_INVALID && p->errs.n) {
		struct buf msg = BUF_INIT;
		ferrs_message(&p->errs, 0, LANG_EN, &msg);
		iati_skip(im->d, line, "%s refused, nothing imported: %s %s", p->r.e->label, p->errs.a[0].field,
			  buf_cstr(&msg));
		buf_release(&msg);
	}
}

/* Ends the pass: its rows are written (with the one audit entry of the
 * batch) when ok and nothing failed. */
static enum app_err pass_end(struct imp *im, struct pass *p, bool ok)
{
	enum app_err rc = APP_OK;
	if (p->b) {
		struct buf summary = BUF_INIT;
		buf_adds(&summary, "{\"import\":");
		buf_json_str(&summary, im->source);
		buf_printf(&summary, ",\"rows\":%lld}", p->rows);
		rc = batch_end(p->b, ok && !p->rc, buf_cstr(&summary), NULL);
		buf_release(&summary);
	}
	rec_free(&p->r);
	ferrs_release(&p->errs);
	return p->rc ? p->rc : rc;
}

/* ---- organisations ------------------------------------------------------------------ */

static void org_known(struct imp *im, const struct iati_text *name, const char *ref, long long id)
{
	if (ref)
		strmap_put(&im->by_ref, ref, id);
	for (int i = 0; i < IATI_NLANG; i++)
		if (name->t[i] && !strmap_get(&im->by_name, name->t[i]))
			strmap_put(&im->by_name, name->t[i], id);
}

static enum app_err org_map_row(void *ctx, const struct row *r)
{
	struct imp *im = ctx;
	struct iati_text name = { { (char *)row_text(r, 2), (char *)row_text(r, 3), (char *)row_text(r, 4) } };
	org_known(im, &name, row_text(r, 1), row_int(r, 0));
	return APP_OK;
}

/* A new organisation, as any create of one (left out, id -1, when refused). */
static enum app_err new_org(struct imp *im, struct iati_org *o)
{
	struct record *r = pass_next(&im->orgs);
	org_record(im, o, r, &im->orgs.errs);
	const char *named = o->ref;
	for (int i = 0; i < IATI_NLANG && !named; i++)
		named = o->name.t[i];
	struct buf what = BUF_INIT;
	buf_printf(&what, "organisation '%s'", named ? named : "");
	bool ok = acceptable(im, r, -1, &im->orgs.errs, o->line, buf_cstr(&what));
	buf_release(&what);
	if (!ok) {
		o->id = -1;
		return APP_OK;
	}
	pass_add(im, &im->orgs, o->line, &o->id);
	if (im->orgs.rc)
		return im->orgs.rc;
	struct iati_text name = o->name;
	if (empty(&name))
		name.t[IATI_EN] = o->ref;
	org_known(im, &name, o->ref, o->id);
	im->n.organisations++;
	return APP_OK;
}

/* Organisation k of the file (-1: none) as a record: by identifier, else
 * by name, else a new one; *id 0 when none or left out. */
static enum app_err org_ref(struct imp *im, int k, long long *id)
{
	*id = 0;
	if (k < 0)
		return APP_OK;
	struct iati_org *o = &im->d->orgs[k];
	if (!o->id && o->ref)
		o->id = strmap_get(&im->by_ref, o->ref);
	for (int i = 0; i < IATI_NLANG && !o->id; i++)
		if (o->name.t[i])
			o->id = strmap_get(&im->by_name, o->name.t[i]);
	enum app_err rc = o->id ? APP_OK : new_org(im, o);
	*id = o->id > 0 ? o->id : 0;
	return rc;
}

/* ---- the plan ----------------------------------------------------------------------- */

static bool listed(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* The activity's themes: its vocabulary-99 codes that are themes, else its
 * DAC codes mapped back (iati.c's table); what is left out said when say. */
static void themes_of(struct imp *im, const struct iati_activity *a, bool say, const char ***out, size_t *n)
{
	for (size_t i = 0; i < a->nthemes; i++)
		if (strmap_get(&im->themes, a->themes[i]) && !listed(*out, *n, a->themes[i])) {
			*out = xrealloc(*out, (*n + 1) * sizeof **out);
			(*out)[(*n)++] = a->themes[i];
		} else if (say && !strmap_get(&im->themes, a->themes[i])) {
			iati_skip(im->d, a->line, "sector '%s' of the publisher's own vocabulary left out (not a theme)",
				  a->themes[i]);
		}
	if (*n)
		return;
	for (size_t i = 0; i < a->nsectors; i++) {
		const char *t = iati_sector_theme(a->sectors[i]);
		if (!t || !strmap_get(&im->themes, t)) {
			if (say)
				iati_skip(im->d, a->sector_lines[i], "sector %s has no theme here: left out", a->sectors[i]);
			continue;
		}
		if (!listed(*out, *n, t)) {
			*out = xrealloc(*out, (*n + 1) * sizeof **out);
			(*out)[(*n)++] = t;
		}
	}
}

/* The programme's links into r: its implementer and donors (matched or
 * created), its known countries and its themes; what is left out said when
 * say (the plan; the programmes' pass meets them again, every
 * organisation known by then: the plan matched or made them all). */
static enum app_err programme_links(struct imp *im, const struct iati_activity *a, bool say, struct record *r,
				    struct ferrs *errs)
{
	long long org = 0;
	enum app_err rc = org_ref(im, a->implementer, &org);
	decode_int(r, PROGRAMME_IMPLEMENTER, org > 0, org, errs);
	for (size_t i = 0; !rc && i < a->ndonors; i++) {
		rc = org_ref(im, a->donors[i], &org);
		decode_int(r, PROGRAMME_DONORS, org > 0, org, errs); /* (a set: once each) */
	}
	for (size_t i = 0; i < a->ncountries; i++)
		if (strmap_get(&im->countries, a->countries[i]))
			decode(r, PROGRAMME_COUNTRIES, LANG_EN, a->countries[i], errs);
		else if (say)
			iati_skip(im->d, a->line, "recipient country %s unknown: left out", a->countries[i]);
	const char **themes = NULL;
	size_t nthemes = 0;
	themes_of(im, a, say, &themes, &nthemes);
	for (size_t i = 0; i < nthemes; i++)
		decode(r, PROGRAMME_THEMES, LANG_EN, themes[i], errs);
	free(themes);
	return rc;
}

/* A transaction's natural key, of the programme `tag` names, in im->key. */
static const char *txn_key(struct imp *im, const char *tag, const char *kind, const char *date, long long amount,
			   const char *currency, const char *ref)
{
	buf_reset(&im->key);
	buf_printf(&im->key, "%s|%s|%s|%lld|%s|%s", tag, kind, date, amount, currency, ref ? ref : "");
	return buf_cstr(&im->key);
}

struct keys_ctx {
	struct imp *im;
	const char *tag;
};

static enum app_err key_row(void *ctx, const struct row *r)
{
	struct keys_ctx *k = ctx;
	strmap_put(&k->im->keys, txn_key(k->im, k->tag, row_text(r, 0), row_text(r, 1), row_int(r, 2), row_text(r, 3),
					 row_text(r, 4)), 1);
	return APP_OK;
}

/* The tag of activity k's programme in im->keys: a recorded programme's
 * number, or the activity of the file that creates it. */
static void programme_tag(const struct imp *im, size_t k, char tag[32])
{
	size_t made = im->fate[k] == CREATES ? k : im->creator[k];
	if (made != SIZE_MAX)
		snprintf(tag, 32, "A%zu", made);
	else
		snprintf(tag, 32, "P%lld", im->d->acts[k].id);
}

/* A transaction a create accepts, with its organisations. */
static enum app_err plan_txn(struct imp *im, const struct iati_activity *a, struct iati_txn *t)
{
	struct record r;
	struct ferrs errs = { 0 };
	rec_init(&r, ENT(TRANSACTION));
	txn_record(im, a, t, 0, &r, &errs);
	t->left_out = !acceptable(im, &r, TRANSACTION_PROGRAMME, &errs, t->line, "transaction");
	rec_free(&r);
	long long org;
	enum app_err rc = t->left_out ? APP_OK : org_ref(im, t->provider, &org);
	if (!rc && !t->left_out)
		rc = org_ref(im, t->receiver, &org);
	im->n.transactions += !t->left_out;
	return rc;
}

/* Activity k's transactions: all when it creates its programme; else
 * those whose key is not recorded yet (nor planned by an earlier activity
 * of the file).  Their keys join the programme's once the activity is
 * planned. */
static enum app_err plan_txns(struct imp *im, size_t k)
{
	struct iati_activity *a = &im->d->acts[k];
	char tag[32];
	programme_tag(im, k, tag);
	enum app_err rc = APP_OK;
	if (im->fate[k] == ADDS && tag[0] == 'P' && !strmap_has(&im->loaded, tag)) {
		struct keys_ctx kc = { im, tag };
		strmap_put(&im->loaded, tag, 1);
		rc = store_iati_txn_keys(im->app->store, a->id, key_row, &kc);
	}
	for (size_t i = 0; !rc && i < a->ntxns; i++) {
		struct iati_txn *t = &a->txns[i];
		t->left_out = im->fate[k] == ADDS && strmap_has(&im->keys, txn_key(im, tag, iati_txn_name(t->type), t->date,
											  t->amount, t->currency, t->ref));
		if (!t->left_out)
			rc = plan_txn(im, a, t);
	}
	for (size_t i = 0; !rc && i < a->ntxns; i++) {
		const struct iati_txn *t = &a->txns[i];
		if (!t->left_out)
			strmap_put(&im->keys, txn_key(im, tag, iati_txn_name(t->type), t->date, t->amount, t->currency, t->ref), 1);
	}
	return rc;
}

/* Is each record of the result tree one a create accepts?  What is not
 * is left out with what hangs from it. */
static void plan_indicator(struct imp *im, const struct iati_activity *a, struct iati_indicator *ind,
			   struct record *r)
{
	struct ferrs errs = { 0 };
	rec_reset(r);
	indicator_record(im, a, &(struct iati_result){ 0 }, ind, r, &errs);
	ind->id = acceptable(im, r, INDICATOR_RESULT, &errs, ind->line, "indicator") ? 0 : -1;
	if (ind->id < 0)
		return;
	im->indicators++;
	struct record pr;
	rec_init(&pr, ENT(PERIOD));
	for (size_t i = 0; i < ind->nrows; i++) {
		struct iati_prow *p = &ind->rows[i];
		p->left_out = p->country[0] && !strmap_get(&im->countries, p->country);
		if (p->left_out) {
			iati_skip(im->d, ind->line, "a value for the unknown country %s not recorded", p->country);
			continue;
		}
		rec_reset(&pr);
		period_record(im, a, &(struct iati_indicator){ 0 }, p, &pr, &errs);
		p->left_out = !acceptable(im, &pr, PERIOD_INDICATOR, &errs, ind->line, "period value");
		im->periods += !p->left_out;
	}
	rec_free(&pr);
}

static void plan_results(struct imp *im, const struct iati_activity *a)
{
	struct record r, ir;
	rec_init(&r, ENT(RESULT));
	rec_init(&ir, ENT(INDICATOR));
	for (size_t i = 0; i < a->nresults; i++) {
		struct iati_result *res = &a->results[i];
		res->id = -1;
		if (empty(&res->title)) {
			iati_skip(im->d, res->line, "a result without a title not recorded");
			continue;
		}
		struct ferrs errs = { 0 };
		rec_reset(&r);
		result_record(im, &(struct iati_activity){ 0 }, res, &r, &errs);
		if (!acceptable(im, &r, RESULT_PROGRAMME, &errs, res->line, "result"))
			continue;
		res->id = 0;
		im->n.results++;
		for (size_t j = 0; j < res->nind; j++)
			plan_indicator(im, a, &res->ind[j], &ir);
	}
	rec_free(&r);
	rec_free(&ir);
}

/* Does the activity make a programme that a create would accept?  If not,
 * it is left out with the first problem. */
static bool programme_acceptable(struct imp *im, const struct iati_activity *a)
{
	struct record r;
	struct ferrs errs = { 0 };
	rec_init(&r, ENT(PROGRAMME));
	programme_record(im, a, &r, &errs);
	struct buf what = BUF_INIT;
	buf_printf(&what, "activity %s", a->identifier);
	bool ok = acceptable(im, &r, -1, &errs, a->line, buf_cstr(&what));
	buf_release(&what);
	rec_free(&r);
	return ok;
}

/* Activity k whose programme is new: what it creates. */
static enum app_err plan_creation(struct imp *im, size_t k)
{
	struct iati_activity *a = &im->d->acts[k];
	if (empty(&a->title)) {
		iati_skip(im->d, a->line, "activity %s has no title: not recorded", a->identifier);
		return APP_OK;
	}
	if (a->start[0] && a->end[0] && strcmp(a->end, a->start) < 0) {
		iati_skip(im->d, a->line, "end date %s before the start: left out", a->end);
		a->end[0] = '\0';
	}
	if (!programme_acceptable(im, a))
		return APP_OK;
	im->fate[k] = CREATES;
	strmap_put(&im->created, a->identifier, (long long)k + 1);
	im->n.programmes++;
	struct ferrs errs = { 0 };
	rec_reset(&im->scratch);
	enum app_err rc = programme_links(im, a, true, &im->scratch, &errs);
	ferrs_release(&errs);
	if (!rc)
		rc = plan_txns(im, k);
	if (!rc)
		plan_results(im, a);
	return rc;
}

static enum app_err plan_activity(struct imp *im, size_t k)
{
	struct iati_activity *a = &im->d->acts[k];
	im->fate[k] = LEFT_OUT;
	im->creator[k] = SIZE_MAX;
	a->id = 0;
	if (!a->identifier || !*a->identifier || rec_pattern_error("iatiid", a->identifier) ||
	    util_utf8_len(a->identifier) > (size_t)FLD(PROGRAMME, IATI_IDENTIFIER)->max) {
		iati_skip(im->d, a->line, "activity without a usable iati-identifier ('%s') not recorded",
			  a->identifier ? a->identifier : "");
		return APP_OK;
	}
	long long made = strmap_get(&im->created, a->identifier);
	enum app_err rc = made ? APP_OK : store_iati_programme(im->app->store, a->identifier, &a->id);
	if (rc)
		return rc;
	if (!made && !a->id)
		return plan_creation(im, k);
	im->n.programmes_seen++;
	im->fate[k] = ADDS;
	im->creator[k] = made ? (size_t)made - 1 : SIZE_MAX;
	return plan_txns(im, k);
}

/* ---- the writing passes ------------------------------------------------------------- */

static enum app_err write_programmes(struct imp *im)
{
	struct pass p;
	pass_init(&p, ENT(PROGRAMME), true);
	for (size_t k = 0; k < im->d->nacts && !p.rc; k++) {
		struct iati_activity *a = &im->d->acts[k];
		if (im->fate[k] != CREATES)
			continue;
		struct record *r = pass_next(&p);
		programme_record(im, a, r, &p.errs);
		p.rc = programme_links(im, a, false, r, &p.errs);
		pass_add(im, &p, a->line, &a->id);
	}
	return pass_end(im, &p, true);
}

/* The number of activity k's programme, once written. */
static long long programme_of(const struct imp *im, size_t k)
{
	return im->fate[k] == ADDS && im->creator[k] != SIZE_MAX ? im->d->acts[im->creator[k]].id : im->d->acts[k].id;
}

static enum app_err write_txns(struct imp *im)
{
	struct pass p;
	pass_init(&p, ENT(TRANSACTION), false);
	for (size_t k = 0; k < im->d->nacts && !p.rc; k++) {
		const struct iati_activity *a = &im->d->acts[k];
		for (size_t i = 0; im->fate[k] != LEFT_OUT && i < a->ntxns && !p.rc; i++) {
			const struct iati_txn *t = &a->txns[i];
			if (t->left_out)
				continue;
			txn_record(im, a, t, programme_of(im, k), pass_next(&p), &p.errs);
			pass_add(im, &p, t->line, NULL);
		}
	}
	return pass_end(im, &p, true);
}

static enum app_err write_results(struct imp *im)
{
	struct pass p;
	pass_init(&p, ENT(RESULT), false);
	for (size_t k = 0; k < im->d->nacts && !p.rc; k++) {
		const struct iati_activity *a = &im->d->acts[k];
		for (size_t i = 0; im->fate[k] == CREATES && i < a->nresults && !p.rc; i++) {
			struct iati_result *res = &a->results[i];
			if (res->id < 0)
				continue;
			result_record(im, a, res, pass_next(&p), &p.errs);
			pass_add(im, &p, res->line, &res->id);
		}
	}
	return pass_end(im, &p, true);
}

static enum app_err write_indicators(struct imp *im)
{
	struct pass p;
	pass_init(&p, ENT(INDICATOR), false);
	for (size_t k = 0; k < im->d->nacts && !p.rc; k++) {
		const struct iati_activity *a = &im->d->acts[k];
		for (size_t i = 0; im->fate[k] == CREATES && i < a->nresults && !p.rc; i++) {
			const struct iati_result *res = &a->results[i];
			for (size_t j = 0; res->id > 0 && j < res->nind && !p.rc; j++) {
				struct iati_indicator *ind = &res->ind[j];
				if (ind->id < 0)
					continue;
				indicator_record(im, a, res, ind, pass_next(&p), &p.errs);
				pass_add(im, &p, ind->line, &ind->id);
			}
		}
	}
	return pass_end(im, &p, true);
}

/* The period values of an indicator written, into p. */
static void indicator_periods(struct imp *im, const struct iati_activity *a, const struct iati_indicator *ind,
			      struct pass *p)
{
	for (size_t i = 0; ind->id > 0 && i < ind->nrows && !p->rc; i++) {
		if (ind->rows[i].left_out)
			continue;
		period_record(im, a, ind, &ind->rows[i], pass_next(p), &p->errs);
		pass_add(im, p, ind->line, NULL);
	}
}

static enum app_err write_periods(struct imp *im)
{
	struct pass p;
	pass_init(&p, ENT(PERIOD), false);
	for (size_t k = 0; k < im->d->nacts && !p.rc; k++) {
		const struct iati_activity *a = &im->d->acts[k];
		for (size_t i = 0; im->fate[k] == CREATES && i < a->nresults; i++)
			for (size_t j = 0; a->results[i].id > 0 && j < a->results[i].nind; j++)
				indicator_periods(im, a, &a->results[i].ind[j], &p);
	}
	return pass_end(im, &p, true);
}

/* ---- the import --------------------------------------------------------------------- */

static enum app_err code_row(void *ctx, const struct row *r)
{
	strmap_put(ctx, row_text(r, 0), 1);
	return APP_OK;
}

/* What the file is matched against: organisations, countries, themes. */
static enum app_err read_known(struct imp *im)
{
	struct store *st = im->app->store;
	enum app_err rc = store_iati_orgs(st, org_map_row, im);
	if (!rc)
		rc = store_iati_codes(st, ENT(COUNTRY), code_row, &im->countries);
	if (!rc)
		rc = store_iati_codes(st, ENT(THEME), code_row, &im->themes);
	return rc;
}

/* The plan, with the new organisations (their batch ends it). */
static enum app_err plan(struct imp *im)
{
	enum app_err rc = read_known(im);
	for (size_t k = 0; !rc && k < im->d->nacts; k++)
		rc = plan_activity(im, k);
	enum app_err end = pass_end(im, &im->orgs, rc == APP_OK);
	return rc ? rc : end;
}

static enum app_err import_in(struct imp *im)
{
	enum app_err rc = plan(im);
	if (!rc)
		rc = write_programmes(im);
	if (!rc)
		rc = write_txns(im);
	if (!rc)
		rc = write_results(im);
	if (!rc)
		rc = write_indicators(im);
	if (!rc)
		rc = write_periods(im);
	return rc;
}

static void release(struct imp *im)
{
	free(im->source);
	free(im->fate);
	free(im->creator);
	strmap_free(&im->by_ref);
	strmap_free(&im->by_name);
	strmap_free(&im->countries);
	strmap_free(&im->themes);
	strmap_free(&im->created);
	strmap_free(&im->keys);
	strmap_free(&im->loaded);
	rec_free(&im->scratch);
	buf_release(&im->key);
}

enum app_err iati_import(struct app *app, struct iati_doc *d, const char *source, const struct principal *who,
			 struct iati_counts *out)
{
	memset(out, 0, sizeof *out);
	struct imp im = { .app = app, .who = who, .d = d };
	/* (the file's name may be long: every record's source is cut alike) */
	im.source = xstrndup(source, util_utf8_prefix(source, FLD(PROGRAMME, SOURCE)->max));
	im.fate = xcalloc(d->nacts + 1, sizeof *im.fate);
	im.creator = xcalloc(d->nacts + 1, sizeof *im.creator);
	pass_init(&im.orgs, ENT(ORGANISATION), false);
	rec_init(&im.scratch, ENT(PROGRAMME));
	enum app_err rc = store_begin(app->store);
	if (rc) {
		pass_end(&im, &im.orgs, false);
		release(&im);
		return rc;
	}
	rc = import_in(&im);
	if (rc)
		store_rollback(app->store);
	else
		rc = store_commit(app->store);
	if (!rc)
		*out = im.n;
	release(&im);
	return rc;
}
