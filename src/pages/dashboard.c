/* dashboard.c — see dashboard.h.
 *
 * Every figure is one query of store_tsum_figure over a summary table;
 * this file only names the groups, computes the rates and intervals,
 * publishes the figures by statistical disclosure control to those who are
 * not staff (sdc.h: rounded counts, small groups hidden, no sums), and
 * writes HTML, CSV or JSON. */
#define _POSIX_C_SOURCE 200809L
#include "dashboard.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "domain.h"
#include "entity.h"
#include "i18n.h"
#include "map.h"
#include "money.h"
#include "page.h"
#include "tabfile.h"
#include "sdc.h"
#include "store.h"
#include "store_needs.h"
#include "store_tsum.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

_Static_assert(SDC_MIN_GROUP == 5, "the messages say \"fewer than 5\"");
#define NEED_SEVERITY 3 /* the needs compared with what was trained */
#define MAX_ROWS 2000
/* The needs compared with the training: listed one by one up to this many, else
 * summed up by country (a page stays light: DESIGN §6) */
#define NEEDS_LISTED 30

/* The figures: one grouping each ("totals": none). */
static const struct figure {
	const char *name;   /* in URLs and JSON: by_NAME */
	int dim;            /* enum store_tsum_dim, or -1 */
	const char *title;  /* msgid */
} figures[] = {
	{ "totals", -1, N_("All training") },
	{ "country", TD_COUNTRY, N_("By country") },
	{ "agency", TD_AGENCY, N_("By agency") },
	{ "sex", TD_SEX, N_("By sex") },
	{ "theme", TD_THEME, N_("By theme") },
	{ "year", TD_YEAR, N_("By year") },
	{ "course", TD_COURSE, N_("By course") },
};
#define NFIG (sizeof figures / sizeof *figures)

/* ---- filters ---------------------------------------------------------------------- */

static bool all_in(const char *s, size_t min, size_t max, const char *set)
{
	size_t n = strlen(s);
	return n >= min && n <= max && strspn(s, set) == n;
}

static bool enum_ok(const struct field *f, const char *v)
{
	for (const char *const *p = f->values; *p; p++)
		if (strcmp(*p, v) == 0)
			return true;
	return false;
}

/* The filters of the query string into f; false when one is malformed.
 * A focal point's country is always its own. */
static bool read_filters(const struct request *req, struct store_tsum_filter *f)
{
	memset(f, 0, sizeof *f);
	for (int d = 0; d < TD__MAX; d++) {
		const char *v = args_get(&req->query, store_tsum_dim_name[d]);
		f->v[d] = v && *v ? v : NULL;
	}
	static const char digits[] = "0123456789", upper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
			  slug[] = "abcdefghijklmnopqrstuvwxyz0123456789_-";
	const char *const *v = f->v;
	if ((v[TD_YEAR] && !all_in(v[TD_YEAR], 4, 4, digits)) ||
	    (v[TD_COUNTRY] && !all_in(v[TD_COUNTRY], 2, 2, upper)) ||
	    (v[TD_AGENCY] && !enum_ok(FLD(PARTICIPANT, AGENCY), v[TD_AGENCY])) ||
	    (v[TD_SEX] && !enum_ok(FLD(PARTICIPANT, SEX), v[TD_SEX])) ||
	    (v[TD_THEME] && !all_in(v[TD_THEME], 1, 64, slug)) ||
	    (v[TD_COURSE] && !all_in(v[TD_COURSE], 1, 18, digits)))
		return false;
	if (req->who.role == ROLE_FOCAL)
		f->v[TD_COUNTRY] = req->who.country;
	return true;
}

static bool is_staff(const struct request *req)
{
	return (R_STAFF & ROLE_BIT(req->who.role)) != 0;
}

/* ---- one group's figures -------------------------------------------------------- */

/* A group's figures as the reader may see them: exact for staff, as sdc.h
 * publishes them for everyone else. */
struct shown {
	bool hidden;              /* too small: nothing shown */
	bool exact;
	long long people, enrolments, completed, person_days, n_scores, n_sat;
	double completion;        /* completed / enrolments, or NAN */
	double gain, gain_sd;     /* mean and standard deviation (staff), or NAN */
	double ci_low, ci_high;   /* mean ± 1.96 s / √n (n ≥ 2), or NAN */
	double pre, post, satisfaction; /* means, or NAN */
};

/* The 95 % interval of the mean gain, s² = (Σg² − (Σg)²/n) / (n − 1) the
 * sample variance from the sums the summaries keep; around the exact mean,
 * then rounded for those who are not staff. */
static void interval(const struct store_tsum *m, struct shown *s)
{
	s->gain_sd = s->ci_low = s->ci_high = NAN;
	if (m->n_scores < 2 || isnan(s->gain))
		return;
	double n = (double)m->n_scores, sum = (double)m->sum_gain;
	double var = ((double)m->sum_gain2 - sum * sum / n) / (n - 1);
	double sd = sqrt(var > 0 ? var : 0), half = 1.96 * sd / sqrt(n), mean = sum / n;
	s->ci_low = s->exact ? mean - half : sdc_mean(mean - half);
	s->ci_high = s->exact ? mean + half : sdc_mean(mean + half);
	if (s->exact)
		s->gain_sd = sd;
}

static void shown_of(const struct request *req, const struct store_tsum *m, struct shown *s)
{
	bool exact = is_staff(req);
	struct sdc_counts c = { .enrolments = m->enrolments, .completed = m->completed, .people = m->people,
				.scored = m->n_scores, .key_enrolments = m->key_enrolments,
				.key_completed = m->key_completed, .key_people = m->key_people,
				.key_scored = m->key_scores };
	struct sdc_view v;
	sdc_view(&c, exact, &v);
	*s = (struct shown){ .hidden = v.hidden, .exact = exact, .people = v.people, .enrolments = v.enrolments,
			     .completed = v.completed, .n_scores = v.scored, .completion = v.completion };
	if (s->hidden)
		return;
	s->person_days = exact ? m->person_days : sdc_count(m->person_days, m->key_enrolments, SDC_PERSON_DAYS);
	s->n_sat = exact ? m->n_sat : sdc_count(m->n_sat, m->key_sat, SDC_RECORDS);
	s->gain = sdc_mean_of(m->sum_gain, m->n_scores, exact);
	s->pre = sdc_mean_of(m->sum_pre, m->n_scores, exact);
	s->post = sdc_mean_of(m->sum_post, m->n_scores, exact);
	s->satisfaction = sdc_mean_of(m->sum_sat, m->n_sat, exact);
	interval(m, s);
}

/* ---- names of groups ----------------------------------------------------------- */

struct label {
	char *key, *name;
	char *sort_key; /* i18n_sort_key of name */
	bool sample;
	bool first; /* in the first group of the entity's pickers (entity.pick_first) */
};

struct labels {
	struct label *a;
	size_t n;
	bool any_sample;
};

struct label_ctx {
	struct labels *l;
	const struct entity *e;
	const struct field *name, *sample; /* fields of e; sample may be NULL */
	const struct field *first;         /* e's pick_first field, or NULL */
	enum lang lang;
};

static enum app_err label_row(void *ctx, const struct row *row)
{
	struct label_ctx *c = ctx;
	const char *key = row_text(row, ent_keyfield(c->e)->col);
	if (!key)
		return APP_OK;
	enum lang shown;
	const char *name = page_i18n(row, c->name->col, c->lang, &shown);
	c->l->a = xrealloc(c->l->a, (c->l->n + 1) * sizeof *c->l->a);
	bool sample = c->sample && row_int(row, c->sample->col) != 0;
	bool first = c->first && row_int(row, c->first->col) != 0;
	c->l->a[c->l->n++] = (struct label){ .key = xstrdup(key), .name = xstrdup(name ? name : key),
					     .sort_key = i18n_sort_key(c->lang, name ? name : key),
					     .sample = sample, .first = first };
	c->l->any_sample |= sample;
	return APP_OK;
}

static int label_order(const void *a, const void *b)
{
	const struct label *x = a, *y = b;
	return strcmp(x->sort_key, y->sort_key);
}

/* Each record of e by its field name, and whether it is sample data (the
 * field sample, for an entity that has one, or NULL); in the order of the
 * reader's language, as the filters offer them. */
static enum app_err labels_load(struct app *app, struct labels *l, const struct entity *e, const struct field *name,
			const struct field *sample, enum lang lang)
{
	memset(l, 0, sizeof *l);
	struct query q;
	dom_query_init(&q, e, NULL);
	q.limit = 10000;
	struct label_ctx c = { .l = l, .e = e, .name = name, .sample = sample, .lang = lang,
			       .first = e->pick_first_field };
	enum app_err rc = store_list(app->store, &q, NULL, label_row, &c);
	dom_query_release(&q);
	if (l->n)
		qsort(l->a, l->n, sizeof *l->a, label_order);
	return rc;
}

static void labels_release(struct labels *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->a[i].key);
		free(l->a[i].name);
		free(l->a[i].sort_key);
	}
	free(l->a);
}

static const char *labels_find(const struct labels *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->a[i].key, key) == 0)
			return l->a[i].name;
	return NULL;
}

struct names {
	struct labels country, theme, course;
};

/* The names of the groups; n is to be released whatever the answer.  A
 * failure concerns the whole page: without them every group would be
 * shown by its code and the filters would offer nothing. */
static enum app_err names_load(struct request *req, struct names *n)
{
	enum app_err rc = labels_load(req->app, &n->country, ENT(COUNTRY), FLD(COUNTRY, NAME), NULL, req->lang);
	enum app_err theme = labels_load(req->app, &n->theme, ENT(THEME), FLD(THEME, NAME), NULL, req->lang);
	enum app_err course =
		labels_load(req->app, &n->course, ENT(COURSE), FLD(COURSE, TITLE), FLD(COURSE, SAMPLE), req->lang);
	return rc ? rc : theme ? theme : course;
}

static void names_release(struct names *n)
{
	labels_release(&n->country);
	labels_release(&n->theme);
	labels_release(&n->course);
}

/* The name of group `key` of dimension d for people. */
static const char *group_name(const struct request *req, const struct names *n, int d, const char *key)
{
	const char *s = NULL;
	if (!*key)
		return _("not given");
	switch (d) {
	case TD_COUNTRY: s = labels_find(&n->country, key); break;
	case TD_THEME: s = labels_find(&n->theme, key); break;
	case TD_COURSE: s = labels_find(&n->course, key); break;
	case TD_AGENCY:
	case TD_SEX: s = page_enum_label(req->lang, key); break;
	default: break;
	}
	return s ? s : key;
}

/* ---- collecting a figure ------------------------------------------------------- */

struct group {
	char *key;
	struct store_tsum m;
};

struct fig {
	struct group *a;
	size_t n;
	int dim;
	bool truncated;
};

static enum app_err fig_row(void *ctx, const char *const keys[TD__MAX], const struct store_tsum *m)
{
	struct fig *f = ctx;
	if (f->n == MAX_ROWS) {
		f->truncated = true;
		return APP_OK;
	}
	f->a = xrealloc(f->a, (f->n + 1) * sizeof *f->a);
	f->a[f->n++] = (struct group){ .key = xstrdup(f->dim >= 0 ? keys[f->dim] : ""), .m = *m };
	return APP_OK;
}

static enum app_err fig_load(struct request *req, const struct store_tsum_filter *flt, int dim, struct fig *f)
{
	memset(f, 0, sizeof *f);
	f->dim = dim;
	enum app_err rc = store_tsum_figure(req->app->store, flt, dim >= 0 ? TD_BIT(dim) : 0, fig_row, f);
	if (!rc && dim < 0 && f->n == 0) { /* no cells: a total of zeros */
		f->a = xcalloc(1, sizeof *f->a);
		f->a[0].key = xstrdup("");
		f->n = 1;
	}
	return rc;
}

static void fig_release(struct fig *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->a[i].key);
	free(f->a);
}

/* ---- the needs compared with what was trained ------------------------------------- */

struct need_item {
	char country[8], theme[72];
	int severity;
	long long id;
	long long completed; /* completed enrolments of the country's participants in courses of the theme,
				as the reader may see them (sdc.h) */
	bool hidden;         /* too few to show that number */
	bool delivered;
};

struct needs_cmp {
	struct need_item *a;
	size_t n;
	bool exact;          /* the reader is staff */
};

static enum app_err need_row(void *ctx, const struct row *row)
{
	struct needs_cmp *c = ctx;
	const char *status = row_text(row, NC_STATUS);
	if (row_int(row, NC_SEVERITY) < NEED_SEVERITY || (status && strcmp(status, "met") == 0) || c->n >= MAX_ROWS)
		return APP_OK;
	c->a = xappend(c->a, c->n, sizeof *c->a);
	struct need_item *it = &c->a[c->n++];
	snprintf(it->country, sizeof it->country, "%s", row_text(row, NC_COUNTRY));
	snprintf(it->theme, sizeof it->theme, "%s", row_text(row, NC_THEME));
	it->severity = (int)row_int(row, NC_SEVERITY);
	it->id = row_int(row, NC_ID);
	return APP_OK;
}

static enum app_err delivered_row(void *ctx, const char *const keys[TD__MAX], const struct store_tsum *m)
{
	struct needs_cmp *c = ctx;
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->a[i].country, keys[TD_COUNTRY]) == 0 && strcmp(c->a[i].theme, keys[TD_THEME]) == 0) {
			c->a[i].hidden = !c->exact && sdc_hidden(m->enrolments, m->people);
			c->a[i].completed = c->exact ? m->completed : sdc_count(m->completed, m->key_completed, SDC_RECORDS);
			c->a[i].delivered = m->completed > 0;
		}
	return APP_OK;
}

static bool may_read_needs(const struct request *req)
{
	return ent_can_read(ENT(NEED), req->who.role);
}

/* The open needs of severity ≥ 3 (latest assessment of each cell, not
 * met) of the filter's country (a focal point: its own), each with whether
 * a course of its theme was completed by that country's participants. */
static enum app_err needs_load(struct request *req, const struct store_tsum_filter *flt, struct needs_cmp *c)
{
	memset(c, 0, sizeof *c);
	c->exact = is_staff(req);
	struct needs_filter nf = { .country = flt->v[TD_COUNTRY], .theme = flt->v[TD_THEME] };
	enum app_err rc = store_needs_latest(req->app->store, &nf, need_row, c);
	struct store_tsum_filter tf = { 0 };
	tf.v[TD_COUNTRY] = flt->v[TD_COUNTRY];
	tf.v[TD_THEME] = flt->v[TD_THEME];
	if (!rc && c->n)
		rc = store_tsum_figure(req->app->store, &tf, TD_BIT(TD_COUNTRY) | TD_BIT(TD_THEME),
				       delivered_row, c);
	return rc;
}

/* ---- JSON ------------------------------------------------------------------------ */

/* v with the decimals the reader gets (sdc.h: 1 for a published mean, 2
 * for a published rate), or null. */
static void json_num(struct buf *b, double v, int decimals)
{
	if (isnan(v))
		buf_adds(b, "null");
	else
		buf_printf(b, "%.*f", decimals, v);
}

static void json_group(struct request *req, struct buf *b, const struct figure *fg, const struct group *g)
{
	buf_adds(b, "{");
	if (fg->dim >= 0) {
		buf_adds(b, "\"key\":");
		buf_json_str(b, g->key);
		buf_adds(b, ",");
	}
	struct shown s;
	shown_of(req, &g->m, &s);
	if (s.hidden) {
		buf_adds(b, "\"suppressed\":true}");
		return;
	}
	int mean_dp = s.exact ? 4 : 1, rate_dp = s.exact ? 4 : 2;
	buf_printf(b, "\"people\":%lld,\"enrolments\":%lld,\"completed\":%lld,\"completion_rate\":", s.people,
		   s.enrolments, s.completed);
	json_num(b, s.completion, rate_dp);
	buf_printf(b, ",\"person_days\":%lld,\"gain\":{\"n\":%lld", s.person_days, s.n_scores);
	if (s.exact) /* sums and the deviation: for staff only (sdc.h) */
		buf_printf(b, ",\"sum\":%lld,\"sum_squares\":%lld", g->m.sum_gain, g->m.sum_gain2);
	buf_adds(b, ",\"mean\":");
	json_num(b, s.gain, mean_dp);
	if (s.exact) {
		buf_adds(b, ",\"sd\":");
		json_num(b, s.gain_sd, mean_dp);
	}
	buf_adds(b, ",\"ci95\":[");
	json_num(b, s.ci_low, mean_dp);
	buf_adds(b, ",");
	json_num(b, s.ci_high, mean_dp);
	buf_adds(b, "]},\"pre_mean\":");
	json_num(b, s.pre, mean_dp);
	buf_adds(b, ",\"post_mean\":");
	json_num(b, s.post, mean_dp);
	buf_printf(b, ",\"satisfaction\":{\"n\":%lld", s.n_sat);
	if (s.exact)
		buf_printf(b, ",\"sum\":%lld", g->m.sum_sat);
	buf_adds(b, ",\"mean\":");
	json_num(b, s.satisfaction, mean_dp);
	buf_adds(b, "}}");
}

/* GET /api/v1/training/summary: for anyone. */
void dashboard_summary_api(struct request *req, struct response *resp)
{
	struct store_tsum_filter flt;
	if (!read_filters(req, &flt)) {
		resp_json_error_code(resp, 400, "bad_query", "year YYYY, country a code, agency and sex allowed values, theme a code, course a number.");
		return;
	}
	struct buf *b = &resp->body;
	buf_adds(b, "{\"filters\":{");
	int n = 0;
	for (int d = 0; d < TD__MAX; d++)
		if (flt.v[d]) {
			buf_printf(b, "%s\"%s\":", n++ ? "," : "", store_tsum_dim_name[d]);
			buf_json_str(b, flt.v[d]);
		}
	buf_printf(b, "},\"small_cells_hidden\":%s,\"min_cell\":%d", is_staff(req) ? "false" : "true", SDC_MIN_GROUP);
	buf_adds(b, ",\"method\":{\"people\":\"each person counted once, at their first completed enrolment\","
		    "\"ci95\":\"mean gain ± 1.96·s/√n, s² = (Σg² − (Σg)²/n)/(n − 1), over enrolments with both scores\","
		    "\"disclosure_control\":");
	sdc_method_json(b, !is_staff(req));
	buf_adds(b, "}");
	for (size_t i = 0; i < NFIG; i++) {
		struct fig f;
		if (fig_load(req, &flt, figures[i].dim, &f)) {
			fig_release(&f);
			resp_json_error_code(resp, 503, "unavailable", "The database is not available; try again shortly.");
			return;
		}
		if (figures[i].dim < 0) {
			buf_adds(b, ",\"totals\":");
			json_group(req, b, &figures[i], &f.a[0]);
		} else {
			buf_printf(b, ",\"by_%s\":[", figures[i].name);
			for (size_t k = 0; k < f.n; k++) {
				buf_adds(b, k ? "," : "");
				json_group(req, b, &figures[i], &f.a[k]);
			}
			buf_adds(b, "]");
		}
		fig_release(&f);
	}
	if (may_read_needs(req)) {
		struct needs_cmp c;
		enum app_err rc = needs_load(req, &flt, &c);
		if (rc) { /* as a figure that could not be read: not a summary without its needs */
			free(c.a);
			resp_json_error(resp, err_db_failure(rc), NULL, NULL);
			return;
		}
		buf_adds(b, ",\"needs\":[");
		for (size_t i = 0; i < c.n; i++) {
			buf_printf(b, "%s{\"need\":%lld,\"country\":", i ? "," : "", c.a[i].id);
			buf_json_str(b, c.a[i].country);
			buf_adds(b, ",\"theme\":");
			buf_json_str(b, c.a[i].theme);
			buf_printf(b, ",\"severity\":%d,\"completed_enrolments\":", c.a[i].severity);
			if (c.a[i].hidden)
				buf_adds(b, "null,\"suppressed\":true");
			else
				buf_printf(b, "%lld", c.a[i].completed);
			buf_printf(b, ",\"trained\":%s}", c.a[i].delivered ? "true" : "false");
		}
		buf_adds(b, "]");
		free(c.a);
	}
	buf_adds(b, "}");
}

/* GET /api/v1/training/check: for staff (signed in: the route table). */
void dashboard_check_api(struct request *req, struct response *resp)
{
	if (!is_staff(req)) {
		resp_json_error_code(resp, 403, err_code(APP_FORBIDDEN), "Staff only.");
		return;
	}
	long long diffs = 0, cells = 0;
	if (store_tsum_check(req->app->store, &diffs, &cells) != APP_OK) {
		resp_json_error_code(resp, 503, "unavailable", "The database is not available; try again shortly.");
		return;
	}
	buf_printf(&resp->body, "{\"consistent\":%s,\"differences\":%lld,\"cells\":%lld}", diffs ? "false" : "true",
		   diffs, cells);
}

/* ---- CSV and XLSX ---------------------------------------------------------------------- */

/* v with decimals, or an empty cell for none. */
static void tab_num(struct tab *t, double v, int decimals)
{
	char s[48];
	if (isnan(v)) {
		tab_cell(t, NULL);
		return;
	}
	snprintf(s, sizeof s, "%.*f", decimals, v);
	tab_cell(t, s);
}

struct figure_file {
	const struct figure *fg;
	const struct store_tsum_filter *flt;
};

/* The group's HXL tags: what it is a group of. */
static const char *group_tag(int dim, bool name)
{
	switch (dim) {
	case TD_COUNTRY:
		return name ? "#country+name" : "#country+code";
	case TD_THEME:
		return name ? "#sector+name" : "#sector+code";
	case TD_YEAR:
		return name ? NULL : "#date+year";
	default:
		return name ? "#group+name" : "#group+code";
	}
}

static void figure_columns(struct request *req, struct tab *t, const struct figure *fg)
{
	struct tab_col cols[] = {
		{ fg->dim >= 0 ? store_tsum_dim_name[fg->dim] : "figure", TAB_TEXT, group_tag(fg->dim, false) },
		{ "name", TAB_TEXT, group_tag(fg->dim, true) },
		{ "people", TAB_NUMBER, "#reached+persons" }, { "enrolments", TAB_NUMBER, "#reached+enrolments" },
		{ "completed", TAB_NUMBER, "#reached+completed" }, { "completion_rate", TAB_NUMBER, "#indicator+completion+pct" },
		{ "person_days", TAB_NUMBER, "#indicator+person_days" }, { "gain_n", TAB_NUMBER, "#indicator+gain+num" },
		{ "gain_mean", TAB_NUMBER, "#indicator+gain+mean" }, { "gain_ci95_low", TAB_NUMBER, "#indicator+gain+ci95_low" },
		{ "gain_ci95_high", TAB_NUMBER, "#indicator+gain+ci95_high" },
		{ "satisfaction_n", TAB_NUMBER, "#indicator+satisfaction+num" },
		{ "satisfaction_mean", TAB_NUMBER, "#indicator+satisfaction+mean" }, { "note", TAB_TEXT, "#meta+note" },
	};
	tab_header(t, cols, sizeof cols / sizeof *cols, tabfile_hxl(req));
}

/* A group's measures as the reader may see them (sdc.h). */
static void figure_row(struct tab *t, const struct shown *s)
{
	char note[64];
	if (s->hidden) {
		for (int k = 0; k < 11; k++)
			tab_cell(t, NULL);
		snprintf(note, sizeof note, "suppressed: fewer than %d", SDC_MIN_GROUP);
		tab_cell(t, note);
		tab_row_end(t);
		return;
	}
	int mean_dp = s->exact ? 2 : 1;
	tab_int(t, s->people);
	tab_int(t, s->enrolments);
	tab_int(t, s->completed);
	tab_num(t, s->completion, s->exact ? 4 : 2);
	tab_int(t, s->person_days);
	tab_int(t, s->n_scores);
	tab_num(t, s->gain, mean_dp);
	tab_num(t, s->ci_low, mean_dp);
	tab_num(t, s->ci_high, mean_dp);
	tab_int(t, s->n_sat);
	tab_num(t, s->satisfaction, mean_dp);
	tab_cell(t, s->exact ? NULL : "rounded (statistical disclosure control)");
	tab_row_end(t);
}

static enum app_err figure_fill(struct request *req, struct tab *t, void *ctx)
{
	const struct figure_file *ff = ctx;
	const struct figure *fg = ff->fg;
	struct fig f;
	struct names n;
	enum app_err names_rc = names_load(req, &n);
	enum app_err rc = fig_load(req, ff->flt, fg->dim, &f);
	if (!rc)
		rc = names_rc;
	if (!rc) {
		figure_columns(req, t, fg);
		for (size_t i = 0; i < f.n; i++) {
			const struct group *g = &f.a[i];
			tab_cell(t, fg->dim >= 0 ? g->key : "totals");
			tab_cell(t, fg->dim >= 0 ? group_name(req, &n, fg->dim, g->key) : _("All training"));
			struct shown s;
			shown_of(req, &g->m, &s);
			figure_row(t, &s);
		}
	}
	fig_release(&f);
	names_release(&n);
	return rc;
}

static enum app_err needs_fill(struct request *req, struct tab *t, void *ctx)
{
	const struct store_tsum_filter *flt = ctx;
	struct needs_cmp c;
	enum app_err rc = needs_load(req, flt, &c);
	if (!rc) {
		static const struct tab_col cols[] = {
			{ "need", TAB_NUMBER, "#meta+id" }, { "country", TAB_TEXT, "#country+code" },
			{ "theme", TAB_TEXT, "#sector+code" }, { "severity", TAB_NUMBER, "#severity" },
			{ "completed_enrolments", TAB_NUMBER, "#reached+completed" }, { "trained", TAB_VALUE, "#indicator+trained" },
		};
		tab_header(t, cols, sizeof cols / sizeof *cols, tabfile_hxl(req));
		char fewer[32];
		snprintf(fewer, sizeof fewer, "fewer than %d", SDC_MIN_GROUP);
		for (size_t i = 0; i < c.n; i++) {
			tab_int(t, c.a[i].id);
			tab_cell(t, c.a[i].country);
			tab_cell(t, c.a[i].theme);
			tab_int(t, c.a[i].severity);
			if (c.a[i].hidden)
				tab_cell(t, fewer);
			else
				tab_int(t, c.a[i].completed);
			tab_cell(t, c.a[i].delivered ? "yes" : "no");
			tab_row_end(t);
		}
	}
	free(c.a);
	return rc;
}

/* ---- the page ------------------------------------------------------------------------ */

/* v to dec decimals as the reader writes it ("1,5" in French), "+" before
 * a positive one when signed, a percentage when percent; "—" for none.
 * For a table's cell, where a number is a paragraph of its own: one
 * without a sign keeps its order in a right-to-left page without help, a
 * signed one is isolated (else Arabic pages show "19.8+").  The <bdi>s
 * left out are a tenth of the Arabic page (DESIGN §6: 60 kB). */
static void fmt_num(struct request *req, struct buf *b, double v, int dec, bool sign, bool percent)
{
	if (isnan(v)) {
		buf_adds(b, "—");
		return;
	}
	long long scaled = llround(v * (dec == 2 ? 100 : dec == 1 ? 10 : 1));
	bool isolate = sign || v < 0;
	if (isolate)
		num_isolate(b, req->lang, true);
	buf_adds(b, sign && scaled > 0 ? "+" : "");
	if (percent)
		num_percent(b, req->lang, scaled, dec);
	else
		num_fixed(b, req->lang, scaled, dec);
	if (isolate)
		num_isolate(b, req->lang, false);
}

/* The filters as a query string (without '?'), for the CSV links. */
static void filter_query(struct buf *b, const struct store_tsum_filter *f)
{
	int n = 0;
	for (int d = 0; d < TD__MAX; d++)
		if (f->v[d]) {
			buf_printf(b, "%s%s=", n++ ? "&amp;" : "", store_tsum_dim_name[d]);
			buf_url(b, f->v[d]);
		}
}

static void table_head(struct request *req, struct buf *b, const char *first)
{
	buf_printf(b, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		   first, _("People trained"), _("Enrolments"), _("Completion rate"), _("Person-days"),
		   _("Mean knowledge gain (points)"), _("Confidence interval at 95 %"), _("Mean satisfaction (1–5)"));
}

static void group_cells(struct request *req, struct buf *b, const struct store_tsum *m)
{
	struct shown s;
	shown_of(req, m, &s);
	if (s.hidden) {
		buf_printf(b, "<td colspan=\"7\">%s</td>", _("fewer than 5: not shown"));
		return;
	}
	buf_adds(b, "<td>");
	num_format(b, req->lang, s.people); /* a count alone in its cell: see fmt_num */
	buf_adds(b, "</td><td>");
	num_format(b, req->lang, s.enrolments);
	buf_adds(b, "</td><td>");
	fmt_num(req, b, s.completion * 100, 0, false, true);
	buf_adds(b, "</td><td>");
	num_format(b, req->lang, s.person_days);
	buf_adds(b, "</td><td>");
	fmt_num(req, b, s.gain, 1, true, false);
	buf_adds(b, "</td><td>");
	if (isnan(s.ci_low)) {
		buf_adds(b, "—");
	} else {
		fmt_num(req, b, s.ci_low, 1, true, false);
		buf_adds(b, " … ");
		fmt_num(req, b, s.ci_high, 1, true, false);
	}
	buf_adds(b, "</td><td>");
	fmt_num(req, b, s.satisfaction, s.exact ? 2 : 1, false, false);
	buf_adds(b, "</td>");
}

/* A filter's select: the labels l (with first_only, those of the first
 * group of the entity's pickers, and the one chosen) or the values. */
static void select_field(struct request *req, struct buf *b, const char *name, const char *label,
			 const char *cur, const struct labels *l, bool first_only, const char *const *values)
{
	buf_printf(b, "<p><label for=\"f-%s\">%s</label> <select id=\"f-%s\" name=\"%s\"><option value=\"\">%s</option>",
		   name, label, name, name, _("all"));
	if (l)
		for (size_t i = 0; i < l->n; i++) {
			bool chosen = cur && strcmp(cur, l->a[i].key) == 0;
			if (first_only && !l->a[i].first && !chosen)
				continue;
			buf_adds(b, "<option value=\"");
			buf_html(b, l->a[i].key);
			buf_printf(b, "\"%s>", chosen ? " selected" : "");
			buf_html(b, l->a[i].name);
			buf_adds(b, "</option>");
		}
	for (const char *const *v = values; v && *v; v++) {
		buf_printf(b, "<option value=\"%s\"%s>", *v, cur && strcmp(cur, *v) == 0 ? " selected" : "");
		buf_html(b, page_enum_label(req->lang, *v));
		buf_adds(b, "</option>");
	}
	buf_adds(b, "</select></p>");
}

static void filter_form(struct request *req, struct buf *b, const struct store_tsum_filter *f, const struct names *n)
{
	buf_printf(b, "<form method=\"get\" action=\"/training\" class=\"filters\"><fieldset><legend>%s</legend>",
		   _("Filters"));
	if (req->who.role != ROLE_FOCAL)
		/* the African States: those the partnership trains (a page stays light) */
		select_field(req, b, "country", _("Country"), f->v[TD_COUNTRY], &n->country, true, NULL);
	select_field(req, b, "agency", _("Agency"), f->v[TD_AGENCY], NULL, false, FLD(PARTICIPANT, AGENCY)->values);
	select_field(req, b, "sex", _("Sex"), f->v[TD_SEX], NULL, false, FLD(PARTICIPANT, SEX)->values);
	select_field(req, b, "theme", _("Theme"), f->v[TD_THEME], &n->theme, false, NULL);
	select_field(req, b, "course", _("Course"), f->v[TD_COURSE], &n->course, false, NULL);
	buf_printf(b, "<p><label for=\"f-year\">%s</label> <input id=\"f-year\" name=\"year\" inputmode=\"numeric\" "
		      "pattern=\"[0-9]{4}\" size=\"5\" value=\"", _("Year"));
	if (f->v[TD_YEAR])
		buf_html(b, f->v[TD_YEAR]);
	buf_printf(b, "\"></p><p><button type=\"submit\">%s</button> <a href=\"/training\">%s</a></p></fieldset></form>",
		   _("Show"), _("Clear the filters"));
}

static void csv_link(struct request *req, struct buf *b, const char *name, const struct store_tsum_filter *f)
{
	buf_printf(b, "<p><a href=\"/training/%s.csv?", name);
	filter_query(b, f);
	buf_printf(b, "\" download>%s</a> <a href=\"/training/%s.xlsx?", _("Download as CSV"), name);
	filter_query(b, f);
	buf_printf(b, "\" download>%s</a></p>", _("Excel (XLSX)"));
}

/* Africa coloured by people trained (5 classes by thresholds). */
static void people_map(struct request *req, struct buf *b, const struct fig *f, const struct names *n)
{
	static const long long lim[] = { 1, 100, 1000, 10000, 50000 };
	/* "1–99" … "≥ 50 000", with the reader's group separator */
	struct buf words[5];
	const char *labels[5];
	for (int c = 0; c < 5; c++) {
		words[c] = (struct buf)BUF_INIT;
		if (c < 4) {
			num_format(&words[c], req->lang, lim[c]);
			buf_adds(&words[c], "–");
			num_format(&words[c], req->lang, lim[c + 1] - 1);
		} else {
			buf_adds(&words[c], "≥ ");
			num_format(&words[c], req->lang, lim[c]);
		}
		labels[c] = buf_cstr(&words[c]);
	}
	/* the groups, then the African States without any (named, not by code) */
	size_t max = f->n + n->country.n + 1;
	struct map_value *v = xcalloc(max, sizeof *v);
	char **titles = xcalloc(max, sizeof *titles);
	size_t k = 0;
	for (size_t i = 0; i < f->n; i++) {
		const struct group *g = &f->a[i];
		int cls = -1;
		struct shown s;
		shown_of(req, &g->m, &s);
		if (s.hidden)
			titles[k] = xasprintf("%s — %s", group_name(req, n, TD_COUNTRY, g->key), _("fewer than 5: not shown"));
		else {
			for (int c = 0; c < 5; c++)
				if (s.people >= lim[c])
					cls = c;
			struct buf people = BUF_INIT;
			num_format(&people, req->lang, s.people);
			titles[k] = xasprintf("%s — %s %s", group_name(req, n, TD_COUNTRY, g->key), buf_cstr(&people),
					      _("people trained"));
			buf_release(&people);
		}
		v[k] = (struct map_value){ .iso2 = g->key, .cls = cls, .title = titles[k] };
		k++;
	}
	for (size_t i = 0; i < n->country.n; i++) {
		const struct label *c = &n->country.a[i];
		bool listed = false;
		for (size_t j = 0; j < f->n && !listed; j++)
			listed = strcmp(f->a[j].key, c->key) == 0;
		if (!c->first || listed)
			continue;
		titles[k] = xasprintf("%s — %s", c->name, _("no training"));
		v[k] = (struct map_value){ .iso2 = c->key, .cls = -1, .title = titles[k] };
		k++;
	}
	struct map_legend lg = { .nclasses = 5, .labels = labels, .no_data = _("none, or not shown"),
				 .caption = _("People trained by country") };
	page_map_words(req, &lg);
	map_svg(b, v, k, &lg, "training-map");
	page_map_notes(req, b);
	for (size_t i = 0; i < k; i++)
		free(titles[i]);
	for (int c = 0; c < 5; c++)
		buf_release(&words[c]);
	free(titles);
	free(v);
}

/* The detailed comparison: a row per need.  For one country's needs, or a
 * few. */
static void needs_table(struct request *req, struct buf *b, const struct needs_cmp *c, const struct names *n)
{
	buf_printf(b, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		   _("Country"), _("Theme"), _("Severity"), _("Completed enrolments"), _("Trained"));
	for (size_t i = 0; i < c->n; i++) {
		const struct need_item *it = &c->a[i];
		buf_adds(b, "<tr><td>");
		buf_html(b, group_name(req, n, TD_COUNTRY, it->country));
		buf_adds(b, "</td><td>");
		buf_html(b, group_name(req, n, TD_THEME, it->theme));
		buf_printf(b, "</td><td><a href=\"/needs/%lld\">%d</a></td><td>", it->id, it->severity);
		if (it->hidden)
			buf_adds(b, _("fewer than 5: not shown"));
		else
			num_format(b, req->lang, it->completed);
		buf_printf(b, "</td><td>%s</td></tr>", it->delivered ? _("yes") : _("no"));
	}
	buf_adds(b, "</tbody></table></div>");
}

/* A country's line of the summary. */
struct needs_country {
	const char *code;
	size_t n, delivered;
};

/* The summary: a row per country (its open serious needs, and how many of
 * them its participants were trained for), each leading to the country's
 * detailed comparison, which names the themes; the CSV file has every
 * need.  The needs come ordered by country code (store_needs_latest); the
 * rows go in the order of the countries' names, n->country's. */
static void needs_summary(struct request *req, struct buf *b, const struct needs_cmp *c, const struct names *n)
{
	struct needs_country *rows = NULL;
	size_t nrows = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (!nrows || strcmp(rows[nrows - 1].code, c->a[i].country) != 0) {
			rows = xappend(rows, nrows, sizeof *rows);
			rows[nrows++] = (struct needs_country){ .code = c->a[i].country };
		}
		rows[nrows - 1].n++;
		rows[nrows - 1].delivered += c->a[i].delivered;
	}
	buf_printf(b, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">%s</th>"
		      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		   _("Country"), _("Open needs of severity 3 or more"), _("Of which trained for"));
	for (size_t k = 0; k < n->country.n; k++) {
		const struct label *country = &n->country.a[k];
		const struct needs_country *row = NULL;
		for (size_t r = 0; r < nrows && !row; r++)
			if (strcmp(rows[r].code, country->key) == 0)
				row = &rows[r];
		if (!row)
			continue;
		buf_printf(b, "<tr><th scope=\"row\"><a href=\"/training/needs?country=%s\">", row->code);
		buf_html(b, country->name);
		buf_adds(b, "</a></th><td>");
		num_format(b, req->lang, (long long)row->n); /* alone in its cell: see fmt_num */
		buf_adds(b, "</td><td>");
		num_format(b, req->lang, (long long)row->delivered);
		buf_adds(b, "</td></tr>");
	}
	buf_adds(b, "</tbody></table></div>");
	free(rows);
}

/* The needs compared with the training, under the filters' country and
 * theme: one country's needs (or a few) one by one, else summed up by country. */
static void needs_body(struct request *req, struct buf *b, const struct store_tsum_filter *flt, const struct names *n)
{
	struct needs_cmp c;
	enum app_err rc = needs_load(req, flt, &c);
	buf_printf(b, "<p>%s</p>",
		   _("Each open need of severity 3 or more (latest assessment) and whether participants of its country completed a course of its theme."));
	if (page_part_failed(req, b, rc)) { /* rather than "no open need" */
		free(c.a);
		return;
	}
	if (!c.n)
		buf_printf(b, "<p>%s</p>", _("No open need of severity 3 or more."));
	else if (c.n <= NEEDS_LISTED || flt->v[TD_COUNTRY])
		needs_table(req, b, &c, n);
	else
		needs_summary(req, b, &c, n);
	if (c.n)
		csv_link(req, b, "needs", flt);
	free(c.a);
}

/* The start of a page of the training's figures, titled title (a
 * translated text), with the names of their groups in n: the crumbs back to
 * the dashboard on a page under it, and the notice that sample records
 * count.  False when the names could not be read: then the error is
 * answered and n released. */
static bool figures_page_begin(struct request *req, struct response *resp, const char *title, bool under,
			       struct names *n)
{
	enum app_err rc = names_load(req, n);
	if (rc) {
		names_release(n);
		page_error_rc(req, resp, rc);
		return false;
	}
	page_begin(req, resp, title);
	struct buf *b = &resp->body;
	if (under)
		buf_printf(b, "<p class=\"crumbs\"><a href=\"/training\">%s</a></p>", _("Training effectiveness"));
	buf_printf(b, "<h1>%s</h1>", title);
	if (n->course.any_sample)
		buf_printf(b, "<p class=\"notice\" role=\"note\">%s</p>",
			   _("These figures include sample and generated training records made for the demonstration: they are not real results."));
	return true;
}

/* GET /training/needs: the page of the needs compared with the training,
 * for those who may read the needs (a focal point: its own country's). */
static void needs_page(struct request *req, struct response *resp, const struct store_tsum_filter *flt)
{
	struct names n;
	if (!figures_page_begin(req, resp, _("Training and the open needs"), true, &n))
		return;
	struct buf *b = &resp->body;
	if (flt->v[TD_COUNTRY]) {
		buf_adds(b, "<p class=\"meta\">");
		buf_html(b, group_name(req, &n, TD_COUNTRY, flt->v[TD_COUNTRY]));
		if (req->who.role != ROLE_FOCAL)
			buf_printf(b, " · <a href=\"/training/needs\">%s</a>", _("Every country"));
		buf_adds(b, "</p>");
	}
	needs_body(req, b, flt, &n);
	page_end(req, resp);
	names_release(&n);
}

static void dashboard_page(struct request *req, struct response *resp, const struct store_tsum_filter *flt)
{
	struct names n;
	if (!figures_page_begin(req, resp, _("Training effectiveness"), false, &n))
		return;
	struct buf *b = &resp->body;
	if (req->who.role == ROLE_FOCAL)
		buf_printf(b, "<p>%s</p>", _("You see your own country's training."));
	filter_form(req, b, flt, &n);
	bool failed = false;
	for (size_t i = 0; i < NFIG && !failed; i++) {
		const struct figure *fg = &figures[i];
		struct fig f;
		if (fig_load(req, flt, fg->dim, &f)) {
			failed = true;
			fig_release(&f);
			break;
		}
		buf_printf(b, "<section><h2 id=\"%s\">%s</h2>", fg->name, _(fg->title));
		if (fg->dim == TD_COUNTRY && f.n)
			people_map(req, b, &f, &n);
		buf_adds(b, "<div class=\"table-wrap\"><table>");
		table_head(req, b, _(fg->title));
		for (size_t k = 0; k < f.n; k++) {
			buf_adds(b, "<tr><th scope=\"row\">");
			buf_html(b, fg->dim >= 0 ? group_name(req, &n, fg->dim, f.a[k].key) : _("All training"));
			buf_adds(b, "</th>");
			group_cells(req, b, &f.a[k].m);
			buf_adds(b, "</tr>");
		}
		if (!f.n)
			buf_printf(b, "<tr><td colspan=\"8\">%s</td></tr>", _("No training matches these filters."));
		buf_adds(b, "</tbody></table></div>");
		if (f.truncated)
			buf_printf(b, "<p>%s</p>", _("Only the first rows are shown; the CSV file has them all."));
		csv_link(req, b, fg->name, flt);
		buf_adds(b, "</section>");
		fig_release(&f);
	}
	if (failed)
		buf_printf(b, "<p role=\"alert\">%s</p>", _("The database is not available; try again shortly."));
	if (may_read_needs(req)) {
		buf_printf(b, "<section><h2 id=\"needs\">%s</h2><p>%s <a href=\"/training/needs", _("Training and the open needs"),
			   _("Whether the open serious needs of each country were answered by training:"));
		if (flt->v[TD_COUNTRY]) {
			buf_adds(b, "?country=");
			buf_url(b, flt->v[TD_COUNTRY]);
		}
		buf_printf(b, "\">%s</a></p></section>", _("the needs, country by country"));
	}
	buf_printf(b, "<section><h2 id=\"method\">%s</h2><ul><li>%s</li><li>%s</li><li>%s</li>",
		   _("How these figures are made"),
		   _("People trained: each person is counted once, at their first completed training; by year, theme or course this is the number of people trained for the first time there."),
		   _("Knowledge gain: post-test minus pre-test score, over enrolments with both scores; its confidence interval at 95 %, mean ± 1.96 × s / √n, with s the sample standard deviation."),
		   _("Person-days: the days attended, summed."));
	sdc_method_html(b, req->lang, is_staff(req));
	buf_adds(b, "</ul></section>");
	page_end(req, resp);
	names_release(&n);
}

/* The filters of the query string; false when it answered 400. */
static bool filters(struct request *req, struct response *resp, struct store_tsum_filter *flt)
{
	if (read_filters(req, flt))
		return true;
	resp->status = 400;
	resp->content_type = "text/plain; charset=utf-8";
	buf_adds(&resp->body, "Bad filter: year YYYY, country a code, agency and sex allowed values, theme a code, course a number.\n");
	return false;
}

/* GET /training: the page, for anyone. */
void dashboard_training_page(struct request *req, struct response *resp)
{
	struct store_tsum_filter flt;
	if (filters(req, resp, &flt))
		dashboard_page(req, resp, &flt);
}

void dashboard_needs_page(struct request *req, struct response *resp)
{
	struct store_tsum_filter flt;
	if (!may_read_needs(req)) {
		page_error(req, resp, 403, "Your role may not do this.");
		return;
	}
	if (filters(req, resp, &flt))
		needs_page(req, resp, &flt);
}

/* GET /training/{figure}.csv: a figure's table, or the needs a course
 * answers ("needs"). */
void dashboard_figure_csv(struct request *req, struct response *resp)
{
	const char *name = req_param(req, "figure");
	const struct figure *fg = NULL;
	bool needs = strcmp(name, "needs") == 0;
	for (size_t i = 0; i < NFIG && !needs; i++)
		if (strcmp(figures[i].name, name) == 0)
			fg = &figures[i];
	struct store_tsum_filter flt;
	if (!fg && !needs) {
		page_error(req, resp, 404, "No such page.");
		return;
	}
	if (!filters(req, resp, &flt))
		return;
	char file[64];
	snprintf(file, sizeof file, "training-%s", fg ? fg->name : "needs");
	if (fg) {
		struct figure_file ff = { fg, &flt };
		tabfile_answer(req, resp, file, fg->title, true, figure_fill, &ff);
	} else if (!may_read_needs(req)) {
		resp->status = 403;
		resp->content_type = "text/plain; charset=utf-8";
		buf_adds(&resp->body, "Your role may not see needs assessments.\n");
	} else {
		tabfile_answer(req, resp, file, N_("Training and the open needs"), true, needs_fill, &flt);
	}
}
