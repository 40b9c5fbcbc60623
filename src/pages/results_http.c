/* results_http.c — see results_http.h.  Figures come from results.c;
 * who may read what is domain.c's (dom_get_json on the indicator). */
#define _POSIX_C_SOURCE 200809L
#include "results_http.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "domain.h"
#include "money.h"
#include "page.h"
#include "results.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

#define BAR_FILL "#1d6b35"
#define BAR_TRACK "#d5dae1"

static long long percent(double progress)
{
	return llround(progress * 100);
}

void results_bar(struct request *req, struct buf *b, double progress)
{
	long long pc = percent(progress);
	long long w = llround(results_clamp(progress) * 100);
	struct buf pct = BUF_INIT; /* "12 %" in French, plain text for the label */
	num_percent(&pct, req->lang, pc, 0);
	buf_printf(b, "<span class=\"progress\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 10\" "
		      "width=\"100\" height=\"10\" role=\"img\" aria-label=\"%s %s\">"
		      "<rect width=\"100\" height=\"10\" fill=\"" BAR_TRACK "\"/>"
		      "<rect width=\"%lld\" height=\"10\" fill=\"" BAR_FILL "\"/></svg> ",
		   _("Progress to target:"), buf_cstr(&pct), w);
	num_percent_html(b, req->lang, pc, 0);
	buf_adds(b, "</span>");
	buf_release(&pct);
}

static const char *name_in(char *const *names, enum lang lang)
{
	if (names[lang])
		return names[lang];
	for (int l = 0; l < LANG__MAX; l++)
		if (names[l])
			return names[l];
	return NULL;
}

static void num_or_dash(struct request *req, struct buf *b, bool has, long long v)
{
	if (has)
		num_html(b, req->lang, v);
	else
		buf_adds(b, "—");
}

static void unit(struct request *req, struct buf *b, const struct rvalues *vs, bool has)
{
	(void)req;
	if (has && strcmp(vs->ind.measure, "percentage") == 0)
		buf_adds(b, " %");
}

/* The actual of a row, with where a computed one comes from. */
static void actual_cell(struct request *req, struct buf *b, const struct rvalues *vs, const struct rvalue *v)
{
	if (v->hidden) {
		buf_adds(b, _("fewer than 5: not shown"));
		return;
	}
	num_or_dash(req, b, v->has_actual, v->actual);
	unit(req, b, vs, v->has_actual);
	if (v->computed) {
		buf_printf(b, " <span class=\"help\">(");
		char n[NUM_TEXT_MAX];
		buf_printf(b, _("computed from %s enrolments"), num_text(n, req->lang, v->enrolments, 0));
		buf_adds(b, ")</span>");
	}
}

static bool same_period(const struct rvalue *a, const struct rvalue *b)
{
	return strcmp(a->start, b->start) == 0 && strcmp(a->end, b->end) == 0;
}

/* The disaggregation rows of the period starting at v[i] (its rows that
 * are not the total). */
static void disaggregation(struct request *req, struct buf *b, const struct rvalues *vs, size_t from, size_t to)
{
	bool any = false;
	for (size_t i = from; i < to; i++)
		any |= vs->v[i].sex[0] || vs->v[i].country[0];
	if (!any)
		return;
	buf_printf(b, "<table class=\"list\"><caption>%s</caption><thead><tr><th scope=\"col\">%s</th>"
		      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		   _("Disaggregation"), _("By sex or country"), _("Target"), _("Actual"));
	for (size_t i = from; i < to; i++) {
		const struct rvalue *v = &vs->v[i];
		if (!v->sex[0] && !v->country[0])
			continue;
		buf_adds(b, "<tr><th scope=\"row\">");
		if (v->sex[0]) {
			buf_html(b, page_enum_label(req->lang, v->sex));
		} else {
			const char *name = name_in(v->country_name, req->lang);
			buf_html(b, name ? name : v->country);
		}
		buf_adds(b, "</th><td class=\"num\">");
		num_or_dash(req, b, v->has_target, v->target);
		unit(req, b, vs, v->has_target);
		buf_adds(b, "</td><td class=\"num\">");
		actual_cell(req, b, vs, v);
		buf_adds(b, "</td></tr>");
	}
	buf_adds(b, "</tbody></table>");
}

static void period_heading(struct request *req, struct buf *b, const struct rvalue *v)
{
	page_date(b, req->lang, v->start);
	buf_adds(b, " – ");
	page_date(b, req->lang, v->end);
}

void indicator_sections(struct request *req, struct buf *b, const char *key)
{
	long long id;
	struct rvalues vs;
	if (!util_parse_ll(key, &id))
		return;
	enum app_err rc = results_values(req->app, id, role_staff(req->who.role), &vs);
	/* the record page has just read the indicator: gone since
	 * (APP_NOT_FOUND), it has no periods; unread, the section says so */
	if (rc == APP_NOT_FOUND) {
		results_values_free(&vs);
		return;
	}
	buf_printf(b, "<section class=\"indicator-values\"><h2>%s</h2>", _("Periods"));
	if (page_part_failed(req, b, rc)) {
		buf_adds(b, "</section>");
		results_values_free(&vs);
		return;
	}
	if (strcmp(vs.ind.computed, "manual") != 0)
		buf_printf(b, "<p class=\"help\">%s</p>",
			   _("The actual values are computed from the training records of the programme's sessions "
			     "that end within each period; means and rates are rounded to whole numbers."));
	if (strcmp(vs.ind.computed, "manual") != 0 && !role_staff(req->who.role))
		buf_printf(b, "<p class=\"help\">%s</p>",
			   _("To protect the identity of participants, these figures are published with statistical "
			     "disclosure control: counts rounded at random to a multiple of 5, groups of fewer than 5 "
			     "enrolments or people not shown, rates (computed from the rounded counts) and means over at "
			     "least 10 records only."));
	if (!vs.n)
		buf_printf(b, "<p>%s</p>", _("No period yet."));
	for (size_t i = 0; i < vs.n;) {
		size_t j = i + 1;
		while (j < vs.n && same_period(&vs.v[i], &vs.v[j]))
			j++;
		const struct rvalue *t = &vs.v[i];
		bool total = !t->sex[0] && !t->country[0];
		buf_adds(b, "<h3>");
		period_heading(req, b, t);
		buf_adds(b, "</h3>");
		if (total) {
			buf_printf(b, "<dl class=\"figures\"><dt>%s</dt><dd>", _("Target"));
			num_or_dash(req, b, t->has_target, t->target);
			unit(req, b, &vs, t->has_target);
			buf_printf(b, "</dd><dt>%s</dt><dd>", _("Actual"));
			actual_cell(req, b, &vs, t);
			buf_printf(b, "</dd><dt>%s</dt><dd>", _("Progress"));
			if (t->has_progress)
				results_bar(req, b, t->progress);
			else
				buf_adds(b, "—");
			buf_adds(b, "</dd></dl>");
		}
		disaggregation(req, b, &vs, i, j);
		i = j;
	}
	buf_adds(b, "</section>");
	results_values_free(&vs);
}

/* ---- the API -------------------------------------------------------------------- */

static void json_opt(struct buf *b, const char *name, bool has, long long v)
{
	if (has)
		buf_printf(b, ",\"%s\":%lld", name, v);
	else
		buf_printf(b, ",\"%s\":null", name);
}

static void json_value(struct buf *b, const struct rvalue *v)
{
	buf_adds(b, "{\"sex\":");
	if (v->sex[0])
		buf_printf(b, "\"%s\"", v->sex); /* an enum value of the registry */
	else
		buf_adds(b, "null");
	buf_adds(b, ",\"country\":");
	if (v->country[0])
		buf_printf(b, "\"%s\"", v->country); /* a code of pattern A2 */
	else
		buf_adds(b, "null");
	json_opt(b, "target", v->has_target, v->target);
	json_opt(b, "actual", v->has_actual, v->actual);
	buf_printf(b, ",\"computed\":%s", v->computed ? "true" : "false");
	if (v->computed)
		buf_printf(b, ",\"enrolments\":%lld", v->enrolments);
	if (v->hidden)
		buf_adds(b, ",\"suppressed\":true");
}

static void values_json(struct buf *b, const struct rvalues *vs)
{
	buf_printf(b, "{\"indicator\":%lld,\"programme\":%lld,\"computed\":\"%s\",\"measure\":\"%s\",\"ascending\":%s",
		   vs->ind.id, vs->ind.programme, vs->ind.computed, vs->ind.measure, vs->ind.ascending ? "true" : "false");
	json_opt(b, "baseline", vs->ind.has_baseline, vs->ind.baseline);
	buf_adds(b, ",\"periods\":[");
	for (size_t i = 0; i < vs->n;) {
		size_t j = i + 1;
		while (j < vs->n && same_period(&vs->v[i], &vs->v[j]))
			j++;
		const struct rvalue *t = &vs->v[i];
		bool total = !t->sex[0] && !t->country[0];
		buf_printf(b, "%s{\"start_date\":\"%s\",\"end_date\":\"%s\"", i ? "," : "", t->start, t->end);
		json_opt(b, "target", total && t->has_target, t->target);
		json_opt(b, "actual", total && t->has_actual, t->actual);
		buf_printf(b, ",\"computed\":%s", vs->v[i].computed ? "true" : "false");
		if (total && t->computed)
			buf_printf(b, ",\"enrolments\":%lld", t->enrolments);
		if (total && t->hidden)
			buf_adds(b, ",\"suppressed\":true");
		if (total && t->has_progress)
			buf_printf(b, ",\"progress\":%.4f", t->progress);
		else
			buf_adds(b, ",\"progress\":null");
		buf_adds(b, ",\"disaggregation\":[");
		int n = 0;
		for (size_t k = i; k < j; k++) {
			if (!vs->v[k].sex[0] && !vs->v[k].country[0])
				continue;
			if (n++)
				buf_addc(b, ',');
			json_value(b, &vs->v[k]);
			buf_addc(b, '}');
		}
		buf_adds(b, "]}");
		i = j;
	}
	buf_adds(b, "]}");
}

/* GET /api/v1/indicators/{id}/values. */
void results_values_api(struct request *req, struct response *resp)
{
	const char *key = req_param(req, "id");
	long long id;
	if (!req_param_id(req, "id", &id))
		return; /* the table's {id} is a positive integer */
	enum app_err rc = dom_readable(req->app, ENT(INDICATOR), key, &req->who);
	struct rvalues vs;
	if (!rc)
		rc = results_values(req->app, id, role_staff(req->who.role), &vs);
	if (rc == APP_FORBIDDEN) {
		resp_json_error_code(resp, 403, "forbidden", "Your role may not read this collection.");
	} else if (rc == APP_NOT_FOUND) {
		resp_json_error_code(resp, 404, "not_found", "No such collection or record.");
	} else if (rc) {
		resp_json_error_code(resp, 503, "unavailable", "The database is not available; try again shortly.");
	} else {
		values_json(&resp->body, &vs);
		results_values_free(&vs);
	}
}

/* ---- a programme's results framework ------------------------------------------- */

struct fw_item {
	long long id, result;
	char *title[LANG__MAX], *result_title[LANG__MAX];
	char level[16];
};

struct fw {
	struct fw_item *v;
	size_t n;
};

static enum app_err fw_row(void *ctx, const struct row *row)
{
	struct fw *f = ctx;
	f->v = xappend(f->v, f->n, sizeof *f->v);
	struct fw_item *it = &f->v[f->n++];
	it->id = row_int(row, SRI_ID);
	it->result = row_int(row, SRI_RESULT);
	row_copy(row, SRI_LEVEL, it->level, sizeof it->level);
	for (int l = 0; l < LANG__MAX; l++) {
		if (row_text(row, SRI_TITLE + l))
			it->title[l] = xstrdup(row_text(row, SRI_TITLE + l));
		if (row_text(row, SRI_RESULT_TITLE + l))
			it->result_title[l] = xstrdup(row_text(row, SRI_RESULT_TITLE + l));
	}
	return APP_OK;
}

static void fw_free(struct fw *f)
{
	for (size_t i = 0; i < f->n; i++)
		for (int l = 0; l < LANG__MAX; l++) {
			free(f->v[i].title[l]);
			free(f->v[i].result_title[l]);
		}
	free(f->v);
}

/* One indicator's row: its latest total period that has started. */
static void fw_indicator(struct request *req, struct buf *b, const struct fw_item *it)
{
	struct rvalues vs;
	buf_printf(b, "<tr><th scope=\"row\"><a href=\"/indicators/%lld\">", it->id);
	const char *t = name_in(it->title, req->lang);
	buf_html(b, t ? t : "—");
	buf_adds(b, "</a></th>");
	if (results_values(req->app, it->id, role_staff(req->who.role), &vs) != APP_OK) {
		buf_adds(b, "<td></td><td></td><td></td><td></td></tr>");
		return;
	}
	char today[11];
	util_today(today);
	const struct rvalue *latest = NULL;
	for (size_t i = 0; i < vs.n; i++)
		if (!vs.v[i].sex[0] && !vs.v[i].country[0] && strcmp(vs.v[i].start, today) <= 0 &&
		    (!latest || strcmp(vs.v[i].start, latest->start) >= 0))
			latest = &vs.v[i];
	buf_adds(b, "<td>");
	if (latest)
		period_heading(req, b, latest);
	buf_adds(b, "</td><td class=\"num\">");
	if (latest) {
		num_or_dash(req, b, latest->has_target, latest->target);
		unit(req, b, &vs, latest->has_target);
	}
	buf_adds(b, "</td><td class=\"num\">");
	if (latest)
		actual_cell(req, b, &vs, latest);
	buf_adds(b, "</td><td>");
	if (latest && latest->has_progress)
		results_bar(req, b, latest->progress);
	buf_adds(b, "</td></tr>");
	results_values_free(&vs);
}

void results_programme_section(struct request *req, struct buf *b, long long programme)
{
	struct fw f = { 0 };
	buf_printf(b, "<section class=\"results-framework\"><h2>%s</h2>", _("Results framework"));
	enum app_err rc = store_results_programme_indicators(req->app->store, programme, fw_row, &f);
	if (rc || !f.n) { /* unread: the alert, not "no indicator" */
		if (!page_part_failed(req, b, rc))
			buf_printf(b, "<p>%s</p>", _("No indicator yet."));
		buf_adds(b, "</section>");
		fw_free(&f);
		return;
	}
	buf_printf(b, "<p class=\"help\">%s</p>",
		   _("Each indicator at its latest period that has started; progress runs from the baseline (0 %) "
		     "to the target (100 %)."));
	for (size_t i = 0; i < f.n; i++) {
		if (i == 0 || f.v[i].result != f.v[i - 1].result) {
			if (i)
				buf_adds(b, "</tbody></table></div>");
			buf_printf(b, "<h3><a href=\"/results/%lld\">", f.v[i].result);
			const char *rt = name_in(f.v[i].result_title, req->lang);
			buf_html(b, rt ? rt : "—");
			buf_adds(b, "</a> <span class=\"help\">(");
			buf_html(b, page_enum_label(req->lang, f.v[i].level));
			buf_printf(b, ")</span></h3><div class=\"scroll\"><table class=\"list\"><thead><tr>"
				      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
				      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
				   _("Indicator"), _("Period"), _("Target"), _("Actual"), _("Progress"));
		}
		fw_indicator(req, b, &f.v[i]);
	}
	buf_adds(b, "</tbody></table></div></section>");
	fw_free(&f);
}
