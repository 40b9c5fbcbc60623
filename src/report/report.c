/* report.c — see report.h.  The numbers come from store_followup.c; the
 * charts from chart.c.  The article written here is the same for the page
 * and for the file: only the frame around it differs. */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "chart.h"
#include "money.h"
#include "needs.h"
#include "page.h"
#include "store.h"
#include "store_followup.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

/* What every section needs: where to write, in which language. */
struct report {
	struct app *app;
	enum lang lang;
	struct buf *b;
	long long meeting;
	char start[11];   /* the meeting's start date */
	struct buf title; /* the meeting's title, escaped HTML */
	struct buf plain; /* the same, plain text */
	bool found;
};


static const char *const statuses[] = { "planned", "in_progress", "done", "dropped" };
static const char *const colours[] = { "#4a5260", "#8a4b00", "#1d6b35", "#a11a1a" };

/* A cell of a percentage as the reader writes it ("12 %" in French). */
static void percent_cell(struct report *r, long long pct)
{
	buf_adds(r->b, "<td class=\"num\">");
	num_percent_html(r->b, r->lang, pct, 0);
	buf_adds(r->b, "</td>");
}

static void owner_text(struct report *r, const struct row *row, int name_col, int acronym_col)
{
	const char *acr = row_text(row, acronym_col);
	enum lang shown;
	const char *name = page_i18n(row, name_col, r->lang, &shown);
	if (!name && !acr) {
		buf_adds(r->b, "—");
		return;
	}
	page_i18n_html(r->b, row, name_col, r->lang, 80);
	if (acr && *acr) {
		buf_adds(r->b, name ? " (" : "");
		buf_html(r->b, acr);
		buf_adds(r->b, name ? ")" : "");
	}
}

/* ---- the meeting --------------------------------------------------------------- */

void report_header_end(struct buf *b, enum lang lang, const char *venue)
{
	if (venue) {
		buf_adds(b, " · ");
		buf_html(b, venue);
	}
	char today[11];
	util_today(today);
	buf_printf(b, "</p><p class=\"meta\">%s ", tr(lang, "Situation on"));
	page_date(b, lang, today);
	buf_printf(b, ".</p><p class=\"meta\">%s</p></header>",
		   tr(lang, "Figures marked as sample data in the records are illustrative values, not facts from the sources."));
}

void report_notes_end(struct buf *b, enum lang lang)
{
	char today[11];
	util_today(today);
	buf_printf(b, "\n%s ", tr(lang, "Situation on"));
	i18n_date(b, lang, today);
	buf_printf(b, ".\n%s", tr(lang, "Figures marked as sample data in the records are illustrative values, not facts from the sources."));
}

static enum app_err meeting_row(void *ctx, const struct row *row)
{
	struct report *r = ctx;
	struct buf *b = r->b;
	r->found = true;
	snprintf(r->start, sizeof r->start, "%.10s", row_text(row, FLD(MEETING, START_DATE)->col));
	page_i18n_html(&r->title, row, FLD(MEETING, TITLE)->col, r->lang, 0);
	enum lang shown;
	const char *t = page_i18n(row, FLD(MEETING, TITLE)->col, r->lang, &shown);
	buf_adds(&r->plain, t ? t : "");
	buf_printf(b, "<header><h1>%s — %s</h1><p class=\"meta\">", tr(r->lang, "Follow-up report"), buf_cstr(&r->title));
	const char *kind = row_text(row, FLD(MEETING, KIND)->col);
	buf_html(b, kind ? tr(r->lang, kind) : "");
	if (!row_null(row, FLD(MEETING, EDITION)->col))
		buf_printf(b, " · %s %lld", tr(r->lang, "edition"), row_int(row, FLD(MEETING, EDITION)->col));
	buf_adds(b, " · ");
	page_date(b, r->lang, r->start);
	report_header_end(b, r->lang, row_text(row, FLD(MEETING, VENUE)->col));
	return APP_OK;
}

/* ---- summary ----------------------------------------------------------------------- */

static void summary(struct report *r, const struct store_followup_counts *k)
{
	struct buf *b = r->b;
	const long long n[] = { k->planned, k->in_progress, k->done, k->dropped };
	long long mean = k->total ? k->percent_sum / k->total : 0;
	buf_printf(b, "<section class=\"r-summary\"><h2>%s</h2><table><caption>%s</caption><thead><tr>"
		      "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th></tr></thead><tbody>",
		   tr(r->lang, "Summary"), tr(r->lang, "Actions by status"), tr(r->lang, "Status"), tr(r->lang, "Actions"));
	for (int i = 0; i < 4; i++)
		buf_printf(b, "<tr class=\"st-%s\"><th scope=\"row\">%s</th><td class=\"num\">%lld</td></tr>", statuses[i],
			   tr(r->lang, statuses[i]), n[i]);
	buf_printf(b, "<tr class=\"st-total\"><th scope=\"row\">%s</th><td class=\"num\">%lld</td></tr>"
		      "<tr class=\"st-late\"><th scope=\"row\">%s</th><td class=\"num\">%lld</td></tr>"
		      "<tr class=\"st-mean\"><th scope=\"row\">%s</th>",
		   tr(r->lang, "All actions"), k->total, tr(r->lang, "Late (past due, neither done nor dropped)"), k->late,
		   tr(r->lang, "Mean percent done"));
	percent_cell(r, mean);
	buf_adds(b, "</tr></tbody></table>");
	struct chart_bar bars[5];
	for (int i = 0; i < 4; i++)
		bars[i] = (struct chart_bar){ .label = tr(r->lang, statuses[i]), .value = n[i], .colour = colours[i] };
	bars[4] = (struct chart_bar){ .label = tr(r->lang, "late"), .value = k->late, .colour = "#a11a1a" };
	struct buf desc = BUF_INIT;
	buf_printf(&desc, "%s: %lld; %s: %lld; %s: %lld; %s: %lld; %s: %lld.", tr(r->lang, statuses[0]), n[0], tr(r->lang, statuses[1]),
		   n[1], tr(r->lang, statuses[2]), n[2], tr(r->lang, statuses[3]), n[3], tr(r->lang, "late"), k->late);
	chart_bars(b, "chart-status", tr(r->lang, "Actions by status"), buf_cstr(&desc), bars, 5, tr(r->lang, "No action yet."));
	buf_release(&desc);
	buf_adds(b, "</section>");
}

/* ---- per outcome ---------------------------------------------------------------------- */

static enum app_err outcome_row(void *ctx, const struct row *row)
{
	struct report *r = ctx;
	struct buf *b = r->b;
	long long total = row_int(row, FUO_TOTAL);
	buf_printf(b, "<tr><td>%s</td><th scope=\"row\">", row_null(row, FUO_NUMBER) ? "" : row_text(row, FUO_NUMBER));
	page_i18n_html(b, row, FUO_TEXT, r->lang, 220);
	buf_printf(b, "</th><td class=\"num\">%lld</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td>"
		      "<td class=\"num\">%lld</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td>",
		   total, row_int(row, FUO_PLANNED), row_int(row, FUO_IN_PROGRESS), row_int(row, FUO_DONE),
		   row_int(row, FUO_DROPPED), row_int(row, FUO_LATE));
	percent_cell(r, total ? row_int(row, FUO_PERCENT_SUM) / total : 0);
	buf_adds(b, "</tr>");
	return APP_OK;
}

static enum app_err outcomes(struct report *r)
{
	struct buf *b = r->b;
	buf_printf(b, "<section class=\"r-outcomes\"><h2>%s</h2><div class=\"scroll\"><table><caption>%s</caption><thead><tr>"
		      "<th scope=\"col\">#</th><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
		      "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
		      "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
		      "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th></tr></thead><tbody>",
		   tr(r->lang, "Follow-up by outcome"), tr(r->lang, "Actions of each outcome by status"), tr(r->lang, "Outcome"), tr(r->lang, "Actions"),
		   tr(r->lang, statuses[0]), tr(r->lang, statuses[1]), tr(r->lang, statuses[2]), tr(r->lang, statuses[3]), tr(r->lang, "late"), tr(r->lang, "Mean percent done"));
	enum app_err rc = store_followup_outcomes(r->app->store, r->meeting, outcome_row, r);
	buf_adds(b, "</tbody></table></div></section>");
	return rc;
}

/* ---- late actions ---------------------------------------------------------------------- */

static enum app_err late_row(void *ctx, const struct row *row)
{
	struct report *r = ctx;
	struct buf *b = r->b;
	buf_printf(b, "<tr><td>%lld</td><th scope=\"row\">", row_int(row, FU_ID));
	page_i18n_html(b, row, FU_TITLE, r->lang, 200);
	buf_adds(b, "</th><td>");
	owner_text(r, row, FU_OWNER_NAME, FU_OWNER_ACRONYM);
	buf_adds(b, "</td><td>");
	page_date(b, r->lang, row_text(row, FU_DUE));
	const char *status = row_text(row, FU_STATUS);
	buf_printf(b, "</td><td>%s</td>", status ? tr(r->lang, status) : "");
	percent_cell(r, row_int(row, FU_PERCENT));
	buf_adds(b, "</tr>");
	return APP_OK;
}

static enum app_err late_actions(struct report *r, const struct store_followup_counts *k)
{
	struct buf *b = r->b;
	buf_printf(b, "<section class=\"r-late\"><h2>%s <span class=\"count\">(%lld)</span></h2>", tr(r->lang, "Late actions"), k->late);
	if (!k->late) {
		buf_printf(b, "<p>%s</p></section>", tr(r->lang, "No action is late."));
		return APP_OK;
	}
	buf_printf(b, "<div class=\"scroll\"><table><caption>%s</caption><thead><tr><th scope=\"col\">#</th>"
		      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		      "<th scope=\"col\" class=\"num\">%s</th></tr></thead><tbody>",
		   tr(r->lang, "Actions past their due date, neither done nor dropped, with their owners"), tr(r->lang, "Action"), tr(r->lang, "Owner"),
		   tr(r->lang, "Due date"), tr(r->lang, "Status"), tr(r->lang, "Percent done"));
	struct store_followup_filter f = FU_FILTER_INIT;
	f.meeting = r->meeting;
	f.late = 1;
	enum app_err rc = store_followup_list(r->app->store, &f, REPORT_ROWS, 0, late_row, r);
	buf_adds(b, "</tbody></table></div>");
	if (k->late > REPORT_ROWS) {
		buf_adds(b, "<p>");
		buf_printf(b, tr(r->lang, "The %lld most overdue are listed; the other %lld are on the follow-up board."),
			   (long long)REPORT_ROWS, k->late - REPORT_ROWS);
		buf_adds(b, "</p>");
	}
	buf_adds(b, "</section>");
	return rc;
}

/* ---- progress since the previous edition ------------------------------------------------- */

bool report_progress_count(struct report_progress *p, const struct row *row, const char *start)
{
	const char *status = row_text(row, FUP_STATUS);
	const char *closed = store_followup_closed_on(status, row_text(row, FUP_FIRST_FULL), row_text(row, FUP_UPDATED));
	p->n++;
	p->closed_now += closed != NULL;
	p->closed_then += closed && strcmp(closed, start) <= 0;
	return p->n <= REPORT_ROWS;
}

void report_progress_sentence(struct buf *b, enum lang lang, const struct report_progress *p)
{
	if (p->n > REPORT_ROWS) {
		buf_printf(b, tr(lang, "The first %lld are listed; the other %lld are on the follow-up board."),
			   (long long)REPORT_ROWS, p->n - REPORT_ROWS);
		buf_adds(b, " ");
	}
	buf_printf(b, tr(lang, "Of the %lld actions of the previous edition, %lld were closed by the opening of this edition and %lld are closed now."),
		   p->n, p->closed_then, p->closed_now);
}

struct progress {
	struct report *r;
	struct report_progress count;
};

static enum app_err progress_row(void *ctx, const struct row *row)
{
	struct progress *p = ctx;
	struct report *r = p->r;
	struct buf *b = r->b;
	const char *status = row_text(row, FUP_STATUS);
	if (!report_progress_count(&p->count, row, r->start))
		return APP_OK; /* counted, not listed */
	buf_printf(b, "<tr><td>%lld</td><th scope=\"row\">", row_int(row, FUP_ID));
	page_i18n_html(b, row, FUP_TITLE, r->lang, 160);
	buf_adds(b, "</th><td>");
	owner_text(r, row, FUP_OWNER_NAME, FUP_OWNER_ACRONYM);
	buf_printf(b, "</td><td>%s</td><td class=\"num\">", status ? tr(r->lang, status) : "");
	if (row_null(row, FUP_PERCENT_AT))
		buf_adds(b, "—");
	else
		num_percent_html(b, r->lang, row_int(row, FUP_PERCENT_AT), 0);
	buf_adds(b, "</td>");
	percent_cell(r, row_int(row, FUP_PERCENT));
	buf_adds(b, "</tr>");
	return APP_OK;
}

static enum app_err prev_title(void *ctx, const struct row *row)
{
	struct report *r = ctx;
	page_i18n_html(r->b, row, FLD(MEETING, TITLE)->col, r->lang, 0);
	buf_adds(r->b, " (");
	page_date(r->b, r->lang, row_text(row, FLD(MEETING, START_DATE)->col));
	buf_adds(r->b, ")");
	return APP_OK;
}

static enum app_err progress(struct report *r)
{
	struct buf *b = r->b;
	buf_printf(b, "<section class=\"r-progress\"><h2>%s</h2>", tr(r->lang, "Progress since the previous edition"));
	long long prev = 0;
	enum app_err rc = store_followup_previous(r->app->store, r->meeting, &prev);
	if (rc)
		return rc;
	if (!prev) {
		buf_printf(b, "<p>%s</p></section>",
			   tr(r->lang, "No previous edition is recorded for this meeting (neither its previous edition nor an earlier strategic dialogue)."));
		return APP_OK;
	}
	char key[24];
	snprintf(key, sizeof key, "%lld", prev);
	buf_printf(b, "<p>%s ", tr(r->lang, "Previous edition:"));
	rc = store_get(r->app->store, ENT(MEETING), key, prev_title, r);
	if (rc)
		return rc;
	buf_printf(b, ". %s</p>", tr(r->lang, "Its actions, with their percentage at the opening of this edition (the last update dated on or before it) and now."));
	buf_printf(b, "<div class=\"scroll\"><table><caption>%s</caption><thead><tr><th scope=\"col\">#</th>"
		      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		      "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th></tr></thead><tbody>",
		   tr(r->lang, "Actions of the previous edition"), tr(r->lang, "Action"), tr(r->lang, "Owner"), tr(r->lang, "Status"),
		   tr(r->lang, "At the opening of this edition"), tr(r->lang, "Now"));
	struct progress p = { .r = r };
	rc = store_followup_progress(r->app->store, prev, r->start, progress_row, &p);
	buf_adds(b, "</tbody></table></div><p class=\"r-progress-summary\">");
	report_progress_sentence(b, r->lang, &p.count);
	buf_adds(b, "</p></section>");
	return rc;
}

/* ---- burn-down ---------------------------------------------------------------------------- */

int report_thin_points(struct store_followup_point *p, int n)
{
	if (n <= 60)
		return n;
	int k = 1;
	for (int i = 1; i < n; i++) {
		bool last_of_month = i == n - 1 || strncmp(p[i].date, p[i + 1].date, 7) != 0;
		if (last_of_month)
			p[k++] = p[i];
	}
	return k;
}

static enum app_err burndown(struct report *r)
{
	struct buf *b = r->b;
	struct store_followup_point *pts;
	int n;
	enum app_err rc = store_followup_burndown(r->app->store, r->meeting, r->start, &pts, &n);
	if (rc)
		return rc;
	n = report_thin_points(pts, n);
	buf_printf(b, "<section class=\"r-burndown\"><h2>%s</h2><p class=\"definition\">%s</p>", tr(r->lang, "Open actions over time"),
		   tr(r->lang, "An action counts as open from the start of the meeting that agreed its outcome until it is closed; a done or dropped action is closed on the date of its first update reaching 100 %, or else on the date its record last changed."));
	struct chart_point *cp = xcalloc((size_t)n + 1, sizeof *cp);
	struct buf desc = BUF_INIT;
	for (int i = 0; i < n; i++) {
		cp[i] = (struct chart_point){ .date = pts[i].date, .value = pts[i].open };
		buf_adds(&desc, i ? "; " : "");
		if (!i18n_date(&desc, r->lang, pts[i].date))
			buf_adds(&desc, pts[i].date);
		buf_adds(&desc, ": ");
		num_format(&desc, r->lang, pts[i].open);
	}
	chart_steps(b, "chart-burndown", tr(r->lang, "Open actions over time"), buf_cstr(&desc), cp, n, tr(r->lang, "No action yet."));
	buf_printf(b, "<table><caption>%s</caption><thead><tr><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
		      "</tr></thead><tbody>", tr(r->lang, "Open actions by date"), tr(r->lang, "Date"), tr(r->lang, "Open actions"));
	for (int i = 0; i < n; i++) {
		buf_adds(b, "<tr><td>");
		page_date(b, r->lang, pts[i].date);
		buf_adds(b, "</td><td class=\"num\">");
		num_html(b, r->lang, pts[i].open);
		buf_adds(b, "</td></tr>");
	}
	buf_adds(b, "</tbody></table></section>");
	buf_release(&desc);
	free(cp);
	free(pts);
	return APP_OK;
}

/* ---- the whole report ---------------------------------------------------------------------- */

enum app_err report_followup(struct app *app, long long meeting, enum lang lang,
			     const struct principal *who, struct buf *out, struct buf *title)
{
	struct report rep = { .app = app, .lang = lang, .b = out, .meeting = meeting };
	struct report *r = &rep;
	char key[24];
	snprintf(key, sizeof key, "%lld", meeting);
	buf_adds(out, "<article class=\"report\">");
	enum app_err rc = store_get(app->store, ENT(MEETING), key, meeting_row, r);
	struct store_followup_counts k;
	struct store_followup_filter f = FU_FILTER_INIT;
	f.meeting = meeting;
	if (!rc)
		rc = store_followup_count(app->store, &f, &k);
	if (!rc) {
		summary(r, &k);
		rc = outcomes(r);
	}
	if (!rc)
		rc = late_actions(r, &k);
	if (!rc)
		rc = progress(r);
	if (!rc)
		rc = burndown(r);
	if (!rc) /* what the next dialogue should turn into priorities */
		needs_gap_section(app, lang, who, out, 2);
	buf_adds(out, "</article>");
	if (title) {
		buf_printf(title, "%s — ", tr(r->lang, "Follow-up report"));
		buf_adds(title, buf_cstr(&r->plain));
	}
	buf_release(&r->title);
	buf_release(&r->plain);
	return rc;
}

static void inline_css(struct buf *out, const char *name)
{
	const struct asset *a = asset_find(name);
	if (a)
		buf_add(out, a->data, a->size);
}

static void standalone(struct buf *out, enum lang lang, const char *title, const struct buf *body,
		       const char *const *css)
{
	buf_printf(out, "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"%s\"><head><meta charset=\"utf-8\">"
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>",
		   lang_code[lang], lang_rtl(lang) ? "rtl" : "ltr");
	buf_html(out, title);
	buf_adds(out, "</title><style>\n");
	for (; *css; css++)
		inline_css(out, *css);
	buf_adds(out, "</style></head><body><main id=\"main\">");
	buf_add(out, body->data, body->len);
	buf_adds(out, "</main></body></html>\n");
}

enum app_err report_document(struct app *app, report_fn *fn, long long meeting, enum lang lang,
			     const char *const *css, struct buf *out)
{
	struct buf body = BUF_INIT, title = BUF_INIT;
	enum app_err rc = fn(app, meeting, lang, NULL, &body, &title);
	if (!rc)
		standalone(out, lang, buf_cstr(&title), &body, css);
	buf_release(&body);
	buf_release(&title);
	return rc;
}

enum app_err report_followup_document(struct app *app, long long meeting, enum lang lang,
				      struct buf *out)
{
	static const char *const css[] = { "static/style.css", "static/followup.css", NULL };
	return report_document(app, report_followup, meeting, lang, css, out);
}

/* ---- the page --------------------------------------------------------------------------------- */

/* GET /meetings/{id}/report. */
void report_page(struct request *req, struct response *resp)
{
	long long id = 0;
	bool ok = req_param_id(req, "id", &id);
	struct buf *b = &resp->body;
	int status = 0;
	const char *problem = NULL;
	if (!ok) {
		status = 404, problem = "No such record.";
	} else if (!ent_can_read(ENT(MEETING), req->who.role) ||
		   !ent_can_read(ENT(ACTION), req->who.role)) {
		status = 403, problem = "Your role may not see this page.";
	}
	struct buf body = BUF_INIT, title = BUF_INIT;
	enum app_err rc = APP_OK;
	if (!status) {
		rc = report_followup(req->app, id, req->lang, &req->who, &body, &title);
		if (rc == APP_NOT_FOUND)
			status = 404, problem = "No such record.";
		else if (rc)
			status = 503, problem = "The database is not available; try again shortly.";
	}
	buf_reset(b);
	if (status) {
		resp->status = status;
		page_begin(req, resp, _(problem));
		buf_printf(b, "<h1>%s</h1><p><a href=\"/\">%s</a></p>", _(problem), _("Home"));
	} else {
		resp->status = 200;
		page_begin(req, resp, buf_cstr(&title));
		page_css(b, "followup.css");
		buf_printf(b, "<p class=\"crumbs noprint\">"
			      "<a href=\"/meetings/%lld\">%s</a> · <a href=\"/board?meeting=%lld\">%s</a> · "
			      "<a href=\"/meetings/%lld/report.pdf\">%s</a> · "
			      "<a href=\"/meetings/%lld/report.xlsx\" download>%s</a></p>",
			   id, _("Meeting"), id, _("Follow-up board"), id, _("The report as PDF"), id,
			   _("The tables as a workbook (XLSX)"));
		buf_add(b, body.data, body.len);
	}
	buf_release(&body);
	buf_release(&title);
	page_end(req, resp);
}
