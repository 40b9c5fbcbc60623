/* forum_report.c — the forum report (see forum.h): for each programme rated
 * at the forum or under way, the beneficiaries' and the donors' mean scores
 * side by side, indicator achievement, training effectiveness, funding
 * execution and the open needs it answers, with the forum's comments.  The
 * same article is the page and the file `suivi report forum` writes. */
#define _POSIX_C_SOURCE 200809L
#include "forum.h"
#include "forum_data.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "forum_report.h"
#include "money.h"
#include "page.h"
#include "report.h"
#include "results.h"
#include "store.h"
#include "store_forum.h"
#include "store_programme.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

struct rep {
	struct forum_data d;
	enum lang lang;
	struct buf *b;
	struct buf title, plain;
};

#define T(msgid) tr(r->lang, msgid)

/* ---- numbers for people ------------------------------------------------------------ */

/* A mean with one decimal ("3,5" in French), and its number of values
 * when n_shown >= 0; "—" without values.  The exact value (two decimals)
 * goes in data-value for machines. */
static void mean_cell(struct rep *r, long long sum, long long n, long long n_shown)
{
	long long x100, x10;
	if (!forum_mean(sum, n, 100, &x100) || !forum_mean(sum, n, 10, &x10)) {
		buf_adds(r->b, "<td class=\"num\">—");
	} else {
		buf_printf(r->b, "<td class=\"num\" data-value=\"%lld.%02lld\">", x100 / 100, x100 % 100);
		num_fixed(r->b, r->lang, x10, 1);
	}
	if (n_shown >= 0)
		buf_printf(r->b, " <span class=\"n\">(%lld)</span>", n_shown);
	buf_adds(r->b, "</td>");
}

/* part / whole as a percentage with no decimal (data-value: one decimal);
 * "—" when whole is not positive. */
static void percent_cell(struct rep *r, long long part, long long whole)
{
	long long x10, pct;
	if (!forum_ratio(part, whole, 1000, &x10) || !forum_ratio(part, whole, 100, &pct)) {
		buf_adds(r->b, "<td class=\"num\">—</td>");
		return;
	}
	buf_printf(r->b, "<td class=\"num\" data-value=\"%lld.%lld\">", x10 / 10, x10 % 10);
	num_percent_html(r->b, r->lang, pct, 0);
	buf_adds(r->b, "</td>");
}

/* A published mean (sdc.h: one decimal, also in data-value), in the
 * reader's decimal mark; "—" when there is none. */
static void published_mean_cell(struct rep *r, double m)
{
	if (isnan(m)) {
		buf_adds(r->b, "<td class=\"num\">—</td>");
		return;
	}
	long long x10 = llround(fabs(m) * 10);
	const char *sign = m < 0 && x10 ? "-" : "";
	buf_printf(r->b, "<td class=\"num\" data-value=\"%s%lld.%lld\">", sign, x10 / 10, x10 % 10);
	num_fixed(r->b, r->lang, *sign ? -x10 : x10, 1);
	buf_adds(r->b, "</td>");
}

/* A programme's people trained and completion rate, and (in the evidence
 * table, rows of their own) its mean knowledge gain: exact, or as published
 * to readers who are not staff (sdc.h). */
static void training_cells(struct rep *r, const struct forum_prog *p, bool rows)
{
	bool exact = forum_data_exact_training(&r->d);
	struct sdc_view v;
	sdc_view(&p->train.n, exact, &v);
	if (rows)
		buf_printf(r->b, "<tr><th scope=\"row\">%s</th>", tr(r->lang, "People trained"));
	if (v.hidden)
		buf_printf(r->b, "<td class=\"num\">%s</td>", tr(r->lang, "fewer than 5: not shown"));
	else {
		buf_adds(r->b, "<td class=\"num\">");
		num_html(r->b, r->lang, v.people);
		buf_adds(r->b, "</td>");
	}
	if (rows)
		buf_printf(r->b, "</tr><tr><th scope=\"row\">%s</th>", tr(r->lang, "Completion rate"));
	if (exact) {
		percent_cell(r, p->train.n.completed, p->train.n.enrolments);
	} else if (isnan(v.completion)) {
		buf_adds(r->b, "<td class=\"num\">—</td>");
	} else {
		long long pct = llround(v.completion * 100);
		buf_printf(r->b, "<td class=\"num\" data-value=\"%lld\">", pct);
		num_percent_html(r->b, r->lang, pct, 0);
		buf_adds(r->b, "</td>");
	}
	if (!rows)
		return;
	buf_printf(r->b, "</tr><tr><th scope=\"row\">%s</th>", tr(r->lang, "Mean knowledge gain (points)"));
	if (exact)
		mean_cell(r, p->train.gain_sum, p->train.n.scored, -1);
	else
		published_mean_cell(r, v.hidden ? NAN : sdc_mean_of(p->train.gain_sum, p->train.n.scored, false));
	buf_adds(r->b, "</tr>");
}

/* ---- reading --------------------------------------------------------------------------- */

static enum app_err meeting_row(void *ctx, const struct row *row)
{
	struct rep *r = ctx;
	page_i18n_html(&r->title, row, FLD(MEETING, TITLE)->col, r->lang, 0);
	enum lang shown;
	const char *t = page_i18n(row, FLD(MEETING, TITLE)->col, r->lang, &shown);
	buf_adds(&r->plain, t ? t : "");
	struct buf *b = r->b;
	buf_printf(b, "<header><h1>%s — %s</h1><p class=\"meta\">", tr(r->lang, "Forum report"), buf_cstr(&r->title));
	if (!row_null(row, FLD(MEETING, EDITION)->col))
		buf_printf(b, "%s %lld · ", tr(r->lang, "edition"), row_int(row, FLD(MEETING, EDITION)->col));
	page_date(b, r->lang, row_text(row, FLD(MEETING, START_DATE)->col));
	report_header_end(b, r->lang, row_text(row, FLD(MEETING, VENUE)->col));
	return APP_OK;
}

static void title_html(struct rep *r, const struct forum_prog *p)
{
	enum lang shown;
	const char *t = forum_prog_title(p, r->lang, &shown);
	if (shown != r->lang) {
		buf_printf(r->b, "<span lang=\"%s\">", lang_code[shown]);
		buf_html(r->b, t);
		buf_adds(r->b, "</span>");
	} else {
		buf_html(r->b, t);
	}
}

/* ---- the summary ------------------------------------------------------------------------------ */

/* The mean progress of the measured indicators toward their targets, with
 * how many are measured out of how many. */
static void achievement_cell(struct rep *r, const struct forum_prog *p)
{
	const struct achievement *a = &p->ach;
	long long x10;
	if (!forum_achievement10(a, &x10)) {
		buf_printf(r->b, "<td class=\"num\">— <span class=\"n\">(0/%d)</span></td>", a->indicators);
		return;
	}
	buf_printf(r->b, "<td class=\"num\" data-value=\"%lld.%lld\">", x10 / 10, x10 % 10);
	num_percent_html(r->b, r->lang, (x10 + 5) / 10, 0);
	buf_printf(r->b, " <span class=\"n\">(%d/%d)</span></td>", a->measured, a->indicators);
}

static void execution_cell(struct rep *r, const struct forum_prog *p)
{
	percent_cell(r, p->disbursed + p->spent, forum_prog_funding_base(p));
}

static void summary(struct rep *r)
{
	struct buf *b = r->b;
	buf_printf(b, "<section class=\"r-summary\"><h2>%s</h2><div class=\"scroll\"><table class=\"forum-summary\"><caption>%s</caption>"
		      "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
		      "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
		      "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th></tr></thead><tbody>",
		   tr(r->lang, "Programmes at a glance"), tr(r->lang, "Mean score of all criteria (number of sheets), and the evidence for each programme"),
		   tr(r->lang, "Programme"), tr(r->lang, "Beneficiaries"), tr(r->lang, "Donors"), tr(r->lang, "Indicator achievement"), tr(r->lang, "People trained"),
		   tr(r->lang, "Completion rate"), tr(r->lang, "Funding execution rate"), tr(r->lang, "Open needs answered"));
	for (int i = 0; i < r->d.np; i++) {
		const struct forum_prog *p = &r->d.p[i];
		buf_printf(b, "<tr id=\"sum-%lld\"><th scope=\"row\"><a href=\"#prog-%lld\">", p->id, p->id);
		title_html(r, p);
		buf_adds(b, "</a></th>");
		for (int k = 0; k < 2; k++)
			mean_cell(r, forum_prog_all_sum(p, k), p->n[k] * FORUM_CRITERIA, p->n[k]);
		achievement_cell(r, p);
		training_cells(r, p, false);
		execution_cell(r, p);
		buf_printf(b, "<td class=\"num\">%lld</td></tr>", p->needs);
	}
	buf_adds(b, "</tbody></table></div>");
	if (!r->d.np)
		buf_printf(b, "<p>%s</p>", tr(r->lang, "No programme was rated at this forum and none is under way."));
	else if (r->d.total > r->d.np) {
		buf_adds(b, "<p>");
		buf_printf(b, tr(r->lang, "The first %d programmes are in this report; %lld more are on the programmes page."), r->d.np,
			   r->d.total - r->d.np);
		buf_adds(b, "</p>");
	}
	buf_printf(b, "<p class=\"definition\">%s</p><p class=\"definition\">%s</p><p class=\"definition\">%s</p>"
		      "<p class=\"definition\">%s</p></section>",
		   tr(r->lang, "Scores: 1 very poor to 5 excellent, on the six OECD-DAC criteria; a mean is shown with the number of sheets it comes from."),
		   tr(r->lang, "Funding execution rate: disbursements plus expenditure, over the commitments (or over the budget when no commitment is recorded), counting the transactions in the programme's currency."),
		   tr(r->lang, "Indicator achievement: the mean progress of the programme's measured indicators from their baseline toward their latest target, each counted at most 100 %, with the number measured out of all its indicators."),
		   tr(r->lang, "People trained: the participants with a completed enrolment in the sessions delivered under the programme, each counted once, as on the training dashboard and the programme's page; completion rate: completed enrolments over all enrolments; knowledge gain: the mean of post-test minus pre-test score, in points out of 100."));
}

/* ---- one programme ------------------------------------------------------------------------------ */

/* Bars of beneficiaries' and donors' means per criterion, side by side. */
static void score_chart(struct rep *r, const struct forum_prog *p)
{
	struct buf *b = r->b;
	const int row_h = 34, label_w = 150, bar_w = 250, w = label_w + bar_w + 60;
	int h = FORUM_CRITERIA * row_h + 30;
	struct buf desc = BUF_INIT;
	for (int i = 0; i < FORUM_CRITERIA; i++) {
		buf_printf(&desc, "%s%s: ", i ? "; " : "", T(forum_criteria_label[i]));
		for (int k = 0; k < 2; k++) {
			buf_printf(&desc, "%s%s ", k ? ", " : "", k ? tr(r->lang, "donors") : tr(r->lang, "beneficiaries"));
			if (p->n[k]) {
				long long x10 = (p->sum[k][i] * 10 + p->n[k] / 2) / p->n[k];
				num_fixed(&desc, r->lang, x10, 1);
			} else {
				buf_adds(&desc, "—");
			}
		}
	}
	buf_printf(b, "<svg class=\"chart\" role=\"img\" direction=\"ltr\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
		      "aria-labelledby=\"ct-%lld cd-%lld\"><title id=\"ct-%lld\">%s</title><desc id=\"cd-%lld\">",
		   w, h, w, h, p->id, p->id, p->id, tr(r->lang, "Mean scores, beneficiaries and donors"), p->id);
	buf_html(b, buf_cstr(&desc));
	buf_adds(b, "</desc>");
	static const char *const fill[2] = { "#1d5fa8", "#8a4b00" };
	/* Mirrored in Arabic: labels at the right, bars growing leftwards.  The
	 * drawing itself is laid out left to right (direction="ltr" on the svg),
	 * so that a right-to-left page does not turn each text round its x. */
	bool rtl = lang_rtl(r->lang);
	const char *lead = rtl ? "end" : "start";
#define X(x) (rtl ? w - (x) : (x))
	for (int i = 0; i < FORUM_CRITERIA; i++) {
		int y = i * row_h + 4;
		buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#222\" text-anchor=\"%s\">", X(0), y + 18, lead);
		buf_html(b, T(forum_criteria_label[i]));
		buf_adds(b, "</text>");
		for (int k = 0; k < 2; k++) {
			long long x100 = p->n[k] ? (p->sum[k][i] * 100 + p->n[k] / 2) / p->n[k] : 0;
			int len = (int)(x100 * bar_w / 500);
			buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"13\" fill=\"%s\"></rect>",
				   rtl ? w - label_w - len : label_w, y + k * 14, len, fill[k]);
			if (p->n[k]) {
				buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#222\" text-anchor=\"%s\">",
					   X(label_w + len + 4), y + k * 14 + 11, lead);
				num_fixed(b, r->lang, (x100 + 5) / 10, 1);
				buf_adds(b, "</text>");
			}
		}
	}
	int ly = FORUM_CRITERIA * row_h + 16;
	for (int k = 0; k < 2; k++) {
		int x = label_w + k * 130;
		buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"></rect>"
			      "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#222\" text-anchor=\"%s\">%s</text>",
			   rtl ? w - x - 12 : x, ly - 10, fill[k], X(x + 16), ly, lead,
			   k ? tr(r->lang, "Donors") : tr(r->lang, "Beneficiaries"));
	}
#undef X
	buf_adds(b, "</svg>");
	buf_release(&desc);
}

static void scores_table(struct rep *r, const struct forum_prog *p)
{
	struct buf *b = r->b;
	char n0[NUM_TEXT_MAX], n1[NUM_TEXT_MAX];
	buf_printf(b, "<table class=\"scores\"><caption>%s</caption><thead><tr><th scope=\"col\">%s</th>"
		      "<th scope=\"col\" class=\"num\">%s (n = %s)</th><th scope=\"col\" class=\"num\">%s (n = %s)</th></tr></thead><tbody>",
		   tr(r->lang, "Mean scores by criterion"), tr(r->lang, "Criterion"), tr(r->lang, "Beneficiaries"),
		   num_text(n0, r->lang, p->n[0], 0), tr(r->lang, "Donors"), num_text(n1, r->lang, p->n[1], 0));
	for (int i = 0; i < FORUM_CRITERIA; i++) {
		buf_printf(b, "<tr class=\"c-%s\"><th scope=\"row\">%s</th>", forum_criteria[i], T(forum_criteria_label[i]));
		mean_cell(r, p->sum[0][i], p->n[0], -1);
		mean_cell(r, p->sum[1][i], p->n[1], -1);
		buf_adds(b, "</tr>");
	}
	buf_adds(b, "</tbody></table>");
}

static void evidence(struct rep *r, const struct forum_prog *p)
{
	struct buf *b = r->b;
	buf_printf(b, "<table class=\"evidence\"><caption>%s</caption><tbody>", tr(r->lang, "Effectiveness evidence"));
	buf_printf(b, "<tr class=\"achievement\"><th scope=\"row\">%s</th>", tr(r->lang, "Indicator achievement"));
	achievement_cell(r, p);
	buf_adds(b, "</tr>");
	training_cells(r, p, true);
	buf_printf(b, "<tr><th scope=\"row\">%s</th><td class=\"num\">", tr(r->lang, "Budget"));
	if (p->budget)
		money_html(b, r->lang, p->budget, p->currency);
	else
		buf_adds(b, "—");
	buf_printf(b, "</td></tr><tr><th scope=\"row\">%s</th><td class=\"num\">", tr(r->lang, "Committed"));
	money_html(b, r->lang, p->committed, p->currency);
	buf_printf(b, "</td></tr><tr><th scope=\"row\">%s</th><td class=\"num\">", tr(r->lang, "Disbursed"));
	money_html(b, r->lang, p->disbursed, p->currency);
	buf_printf(b, "</td></tr><tr><th scope=\"row\">%s</th><td class=\"num\">", tr(r->lang, "Spent"));
	money_html(b, r->lang, p->spent, p->currency);
	buf_printf(b, "</td></tr><tr class=\"execution\"><th scope=\"row\">%s</th>", tr(r->lang, "Funding execution rate"));
	execution_cell(r, p);
	buf_adds(b, "</tr></tbody></table>");
}

struct needs_ctx {
	struct rep *r;
	int listed, hidden;
};

static enum app_err need_row(void *ctx, const struct row *row)
{
	struct needs_ctx *n = ctx;
	struct rep *r = n->r;
	const char *country = row_text(row, 1);
	if (!forum_data_may_see_need(&r->d, country)) {
		n->hidden++;
		return APP_OK;
	}
	if (!n->listed++)
		buf_printf(r->b, "<ul class=\"needs\">");
	buf_adds(r->b, "<li>");
	page_i18n_html(r->b, row, 2, r->lang, 60);
	buf_adds(r->b, " — ");
	page_i18n_html(r->b, row, 6, r->lang, 80);
	buf_printf(r->b, " — %s %lld/5 (%s)</li>", tr(r->lang, "severity"), row_int(row, 9), tr(r->lang, row_text(row, 10)));
	return APP_OK;
}

static enum app_err needs(struct rep *r, const struct forum_prog *p)
{
	struct buf *b = r->b;
	buf_printf(b, "<h3>%s</h3>", tr(r->lang, "Open needs it answers"));
	struct needs_ctx n = { .r = r };
	enum app_err rc = store_forum_needs(r->d.app->store, p->id, need_row, &n);
	if (n.listed)
		buf_adds(b, "</ul>");
	if (n.hidden) {
		buf_adds(b, "<p>");
		buf_printf(b, n.listed ? tr(r->lang, "and %d more in other countries.") : tr(r->lang, "%d open needs in the countries it serves."), n.hidden);
		buf_adds(b, "</p>");
	}
	if (!n.listed && !n.hidden)
		buf_printf(b, "<p>%s</p>", tr(r->lang, "No open need is recorded against this programme."));
	return rc;
}

struct comments_ctx {
	struct rep *r;
	int n;
};

static enum app_err comment_row(void *ctx, const struct row *row)
{
	struct comments_ctx *c = ctx;
	struct rep *r = c->r;
	bool donor = row_text(row, 0) && strcmp(row_text(row, 0), "donor") == 0;
	for (int i = 0; i < FORUM_CRITERIA; i++) {
		const char *text = row_text(row, 6 + i);
		if (!text)
			continue;
		if (!c->n++)
			buf_adds(r->b, "<ul class=\"comments\">");
		buf_printf(r->b, "<li><strong>%s</strong> — ", T(forum_criteria_label[i]));
		if (forum_data_staff(&r->d))
			page_i18n_html(r->b, row, 3, r->lang, 80);
		else
			buf_adds(r->b, donor ? tr(r->lang, "a donor") : tr(r->lang, "a beneficiary state"));
		buf_printf(r->b, " (%s) : <q>", donor ? tr(r->lang, "donor") : tr(r->lang, "beneficiary"));
		page_text_cut(r->b, text, 1000); /* as forum_file.c's COMMENT_CHARS */
		buf_adds(r->b, "</q></li>");
	}
	return APP_OK;
}

static enum app_err programme_section(struct rep *r, struct forum_prog *p)
{
	struct buf *b = r->b;
	buf_printf(b, "<section class=\"r-programme\" id=\"prog-%lld\"><h2>", p->id);
	title_html(r, p);
	buf_printf(b, "</h2><p class=\"meta\">%s: %s</p><div class=\"forum-cols\"><div>", tr(r->lang, "Status"), tr(r->lang, p->status));
	scores_table(r, p);
	score_chart(r, p);
	buf_adds(b, "</div><div>");
	evidence(r, p);
	enum app_err rc = needs(r, p);
	buf_printf(b, "</div></div><h3>%s</h3>", tr(r->lang, "Comments"));
	struct comments_ctx c = { .r = r };
	if (!rc)
		rc = store_forum_comments(r->d.app->store, r->d.meeting, p->id, comment_row, &c);
	if (c.n)
		buf_adds(b, "</ul>");
	else
		buf_printf(b, "<p>%s</p>", tr(r->lang, "No comment."));
	buf_adds(b, "</section>");
	return rc;
}

/* ---- the whole report ------------------------------------------------------------------------------ */

enum app_err forum_report(struct app *app, long long meeting, enum lang lang, const struct principal *who,
			  struct buf *out, struct buf *title)
{
	struct rep rep = { .d = { .app = app, .meeting = meeting, .who = who }, .lang = lang, .b = out };
	struct rep *r = &rep;
	enum app_err rc = forum_data_load(&r->d);
	char key[24];
	snprintf(key, sizeof key, "%lld", meeting);
	if (!rc) {
		buf_adds(out, "<article class=\"report forum-report\">");
		rc = store_get(app->store, ENT(MEETING), key, meeting_row, r);
		if (!rc)
			summary(r);
		for (int i = 0; i < r->d.np && !rc; i++)
			rc = programme_section(r, &r->d.p[i]);
		buf_adds(out, "</article>");
	}
	if (title) {
		buf_printf(title, "%s — ", tr(r->lang, "Forum report"));
		buf_adds(title, buf_cstr(&r->plain));
	}
	forum_data_release(&r->d);
	buf_release(&r->title);
	buf_release(&r->plain);
	return rc;
}

enum app_err forum_report_document(struct app *app, long long meeting, enum lang lang, struct buf *out)
{
	static const char *const css[] = { "static/style.css", "static/followup.css", "static/forum.css", NULL };
	return report_document(app, forum_report, meeting, lang, css, out);
}

static void forum_report_page(struct request *req, struct response *resp, long long meeting)
{
	struct buf body = BUF_INIT, title = BUF_INIT;
	enum app_err rc = forum_report(req->app, meeting, req->lang, &req->who, &body, &title);
	if (rc == APP_NOT_FOUND) {
		event_problem(req, resp, 404, N_("No such forum."));
	} else if (rc) {
		event_problem(req, resp, 503, N_("The database is not available; try again shortly."));
	} else {
		struct buf *b = &resp->body;
		resp->status = 200;
		page_begin(req, resp, buf_cstr(&title));
		page_css(b, "followup.css");
		page_css(b, "forum.css");
		buf_printf(b, ""
			      "<p class=\"crumbs noprint\"><a href=\"/meetings/%lld\">%s</a> · <a href=\"/forum/%lld/evaluate\">%s</a> · "
			      "<a href=\"/forum/%lld/report.pdf\">%s</a> · <a href=\"/forum/%lld/report.xlsx\" download>%s</a></p>",
			   meeting, _("Forum"), meeting, _("Evaluate the programmes"), meeting, _("The report as PDF"), meeting,
			   _("The tables as a workbook (XLSX)"));
		buf_add(b, body.data, body.len);
		page_end(req, resp);
	}
	buf_release(&body);
	buf_release(&title);
}

void forum_report_route(struct request *req, struct response *resp)
{
	long long id;
	if (forum_of_path(req, resp, &id))
		forum_report_page(req, resp, id);
}
