/* followup_file.c — see followup_file.h.
 *
 * The sections of the printable report (report.c), in the same words and
 * the same order, each a table the PDF and the workbook share (a chart in
 * the PDF beside it). */
#include "followup_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "money.h"
#include "needs.h"
#include "page.h"
#include "pdf_chart.h"
#include "report.h"
#include "store_followup.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

#define COUNTRIES_MAX 64 /* the 54 African states, and room */

static const char *const statuses[] = { "planned", "in_progress", "done", "dropped" };
static const unsigned colours[] = { 0x4a5260, 0x8a4b00, 0x1d6b35, 0xa11a1a };

struct fout {
	struct app *app;
	enum lang lang;
	long long meeting;
	const struct principal *who;
	struct rout *o;
	struct buf title, notes;
	char start[11];
};

static const char *T(const struct fout *r, const char *msgid)
{
	return tr(r->lang, msgid);
}

static enum app_err meeting_row(void *ctx, const struct row *row)
{
	struct fout *r = ctx;
	enum lang shown;
	snprintf(r->start, sizeof r->start, "%.10s", row_text(row, FLD(MEETING, START_DATE)->col));
	const char *t = page_i18n(row, FLD(MEETING, TITLE)->col, r->lang, &shown);
	buf_printf(&r->title, "%s — %s", T(r, "Follow-up report"), t ? t : "");
	const char *kind = row_text(row, FLD(MEETING, KIND)->col);
	buf_adds(&r->notes, kind ? T(r, kind) : "");
	if (!row_null(row, FLD(MEETING, EDITION)->col))
		buf_printf(&r->notes, " · %s %lld", T(r, "edition"), row_int(row, FLD(MEETING, EDITION)->col));
	buf_adds(&r->notes, " · ");
	i18n_date(&r->notes, r->lang, r->start);
	if (row_text(row, FLD(MEETING, VENUE)->col))
		buf_printf(&r->notes, " · %s", row_text(row, FLD(MEETING, VENUE)->col));
	report_notes_end(&r->notes, r->lang);
	return APP_OK;
}

/* "Name (ACR)", either alone, or "—". */
static void owner_cell(struct fout *r, const struct row *row, int name_col, int acronym_col)
{
	enum lang shown;
	const char *name = page_i18n(row, name_col, r->lang, &shown), *acr = row_text(row, acronym_col);
	struct buf owner = BUF_INIT;
	buf_printf(&owner, "%s%s%s%s", name ? name : "", name && acr ? " (" : "", acr ? acr : "", name && acr ? ")" : "");
	if (owner.len)
		rout_text_cell(r->o, buf_cstr(&owner));
	else
		rout_none(r->o);
	buf_release(&owner);
}

static void text_cell(struct fout *r, const struct row *row, int col)
{
	enum lang shown;
	const char *t = page_i18n(row, col, r->lang, &shown);
	rout_text_cell(r->o, t ? t : "");
}

/* ---- summary ---------------------------------------------------------------------------- */

/* The bar of the actions by status, each in its colour (PDF). */
static void status_bar(struct fout *r, const long long n[4], long long total)
{
	struct pdf_flow *f = rout_flow(r->o);
	if (!f || !total)
		return;
	double x = 0, h = 12;
	for (int i = 0; i < 4; i++) {
		double w = f->width * (double)n[i] / (double)total;
		pdf_fill(f->p, f->rtl ? f->left + f->width - x - w : f->left + x, f->y, w, h, colours[i]);
		x += w;
	}
	pdf_flow_space(f, h + 10);
}

static void summary(struct fout *r, const struct store_followup_counts *k)
{
	const long long n[] = { k->planned, k->in_progress, k->done, k->dropped };
	rout_heading(r->o, T(r, "Summary"));
	status_bar(r, n, k->total);
	const struct rout_col cols[] = { { T(r, "Status"), 3 }, { T(r, "Actions"), 1.2, true } };
	rout_table(r->o, T(r, "Summary"), cols, 2);
	for (int i = 0; i < 4; i++) {
		rout_text_cell(r->o, T(r, statuses[i]));
		rout_int(r->o, n[i]);
		rout_row_end(r->o);
	}
	rout_text_cell(r->o, T(r, "All actions"));
	rout_int(r->o, k->total);
	rout_total_end(r->o);
	rout_text_cell(r->o, T(r, "Late (past due, neither done nor dropped)"));
	rout_int(r->o, k->late);
	rout_row_end(r->o);
	rout_text_cell(r->o, T(r, "Mean percent done"));
	rout_percent(r->o, k->total ? k->percent_sum / k->total : 0, 0);
	rout_row_end(r->o);
	rout_table_end(r->o);
}

/* ---- by outcome --------------------------------------------------------------------------- */

static enum app_err outcome_row(void *ctx, const struct row *row)
{
	struct fout *r = ctx;
	long long total = row_int(row, FUO_TOTAL);
	if (row_null(row, FUO_NUMBER))
		rout_none(r->o);
	else
		rout_text_cell(r->o, row_text(row, FUO_NUMBER));
	text_cell(r, row, FUO_TEXT);
	rout_int(r->o, total);
	static const int cols[] = { FUO_PLANNED, FUO_IN_PROGRESS, FUO_DONE, FUO_DROPPED, FUO_LATE };
	for (int i = 0; i < 5; i++)
		rout_int(r->o, row_int(row, cols[i]));
	rout_percent(r->o, total ? row_int(row, FUO_PERCENT_SUM) / total : 0, 0);
	rout_row_end(r->o);
	return APP_OK;
}

static enum app_err outcomes(struct fout *r)
{
	rout_heading(r->o, T(r, "Follow-up by outcome"));
	const struct rout_col cols[] = {
		{ "#", 22 }, { T(r, "Outcome"), 189 }, { T(r, "Actions"), 40, true }, { T(r, statuses[0]), 40, true },
		{ T(r, statuses[1]), 45, true }, { T(r, statuses[2]), 40, true }, { T(r, statuses[3]), 40, true },
		{ T(r, "late"), 35, true }, { T(r, "Mean percent done"), 48, true },
	};
	rout_table(r->o, T(r, "Follow-up by outcome"), cols, 9);
	enum app_err rc = store_followup_outcomes(r->app->store, r->meeting, outcome_row, r);
	rout_table_end(r->o);
	return rc;
}

/* ---- late actions ------------------------------------------------------------------------------ */

static enum app_err late_row(void *ctx, const struct row *row)
{
	struct fout *r = ctx;
	rout_int(r->o, row_int(row, FU_ID));
	text_cell(r, row, FU_TITLE);
	owner_cell(r, row, FU_OWNER_NAME, FU_OWNER_ACRONYM);
	rout_date(r->o, row_text(row, FU_DUE));
	const char *status = row_text(row, FU_STATUS);
	rout_text_cell(r->o, status ? T(r, status) : "");
	rout_percent(r->o, row_int(row, FU_PERCENT), 0);
	rout_row_end(r->o);
	return APP_OK;
}

static enum app_err late_actions(struct fout *r, const struct store_followup_counts *k)
{
	char heading[200];
	struct buf n = BUF_INIT;
	num_format(&n, r->lang, k->late);
	snprintf(heading, sizeof heading, "%s (%s)", T(r, "Late actions"), buf_cstr(&n));
	buf_release(&n);
	rout_heading(r->o, heading);
	if (!k->late) {
		rout_text(r->o, T(r, "No action is late."));
		if (rout_flow(r->o))
			return APP_OK; /* (the workbook keeps the sheet, for scripts that read it) */
	}
	const struct rout_col cols[] = { { "#", 30, true }, { T(r, "Action"), 179 }, { T(r, "Owner"), 120 },
					 { T(r, "Due date"), 70 }, { T(r, "Status"), 55 }, { T(r, "Percent done"), 45, true } };
	rout_table(r->o, T(r, "Late actions"), cols, 6);
	struct store_followup_filter f = FU_FILTER_INIT;
	f.meeting = r->meeting;
	f.late = 1;
	enum app_err rc = store_followup_list(r->app->store, &f, REPORT_ROWS, 0, late_row, r);
	if (!rc && k->late > REPORT_ROWS) {
		char more[300];
		snprintf(more, sizeof more, T(r, "The %lld most overdue are listed; the other %lld are on the follow-up board."),
			 (long long)REPORT_ROWS, k->late - REPORT_ROWS);
		rout_text(r->o, more);
	}
	rout_table_end(r->o);
	return rc;
}

/* ---- progress since the previous edition ------------------------------------------------------- */

struct progress {
	struct fout *r;
	struct report_progress count;
};

static enum app_err progress_row(void *ctx, const struct row *row)
{
	struct progress *p = ctx;
	struct fout *r = p->r;
	const char *status = row_text(row, FUP_STATUS);
	if (!report_progress_count(&p->count, row, r->start))
		return APP_OK; /* counted, not listed */
	rout_int(r->o, row_int(row, FUP_ID));
	text_cell(r, row, FUP_TITLE);
	owner_cell(r, row, FUP_OWNER_NAME, FUP_OWNER_ACRONYM);
	rout_text_cell(r->o, status ? T(r, status) : "");
	if (row_null(row, FUP_PERCENT_AT))
		rout_none(r->o);
	else
		rout_percent(r->o, row_int(row, FUP_PERCENT_AT), 0);
	rout_percent(r->o, row_int(row, FUP_PERCENT), 0);
	rout_row_end(r->o);
	return APP_OK;
}

struct prev {
	struct fout *r;
	struct buf text;
};

static enum app_err prev_row(void *ctx, const struct row *row)
{
	struct prev *p = ctx;
	enum lang shown;
	const char *t = page_i18n(row, FLD(MEETING, TITLE)->col, p->r->lang, &shown);
	buf_printf(&p->text, "%s %s (", T(p->r, "Previous edition:"), t ? t : "");
	i18n_date(&p->text, p->r->lang, row_text(row, FLD(MEETING, START_DATE)->col));
	buf_printf(&p->text, "). %s",
		   T(p->r, "Its actions, with their percentage at the opening of this edition (the last update dated on or before it) and now."));
	return APP_OK;
}

static enum app_err progress(struct fout *r)
{
	rout_heading(r->o, T(r, "Progress since the previous edition"));
	long long prev = 0;
	enum app_err rc = store_followup_previous(r->app->store, r->meeting, &prev);
	if (rc || !prev) {
		if (!rc)
			rout_text(r->o, T(r, "No previous edition is recorded for this meeting (neither its previous edition nor an earlier strategic dialogue)."));
		return rc;
	}
	char key[24];
	snprintf(key, sizeof key, "%lld", prev);
	struct prev pv = { .r = r };
	rc = store_get(r->app->store, ENT(MEETING), key, prev_row, &pv);
	rout_text(r->o, buf_cstr(&pv.text));
	buf_release(&pv.text);
	if (rc)
		return rc;
	const struct rout_col cols[] = { { "#", 30, true }, { T(r, "Action"), 170 }, { T(r, "Owner"), 110 },
					 { T(r, "Status"), 60 }, { T(r, "At the opening of this edition"), 65, true },
					 { T(r, "Now"), 45, true } };
	rout_table(r->o, T(r, "Actions of the previous edition"), cols, 6);
	struct progress p = { .r = r };
	rc = store_followup_progress(r->app->store, prev, r->start, progress_row, &p);
	struct buf b = BUF_INIT;
	report_progress_sentence(&b, r->lang, &p.count);
	rout_text(r->o, buf_cstr(&b));
	buf_release(&b);
	rout_table_end(r->o);
	return rc;
}

/* ---- open actions over time ------------------------------------------------------------------- */

static enum app_err burndown(struct fout *r)
{
	struct store_followup_point *pts;
	int n;
	enum app_err rc = store_followup_burndown(r->app->store, r->meeting, r->start, &pts, &n);
	if (rc)
		return rc;
	n = report_thin_points(pts, n);
	rout_heading(r->o, T(r, "Open actions over time"));
	rout_text(r->o, T(r, "An action counts as open from the start of the meeting that agreed its outcome until it is closed; a done or dropped action is closed on the date of its first update reaching 100 %, or else on the date its record last changed."));
	struct pdf_flow *f = rout_flow(r->o);
	if (f) {
		struct chart_point *cp = xcalloc((size_t)n + 1, sizeof *cp);
		for (int i = 0; i < n; i++)
			cp[i] = (struct chart_point){ .date = pts[i].date, .value = pts[i].open };
		pdf_chart_steps(f, cp, n, r->lang);
		free(cp);
	}
	if (!n)
		rout_text(r->o, T(r, "No action yet."));
	const struct rout_col cols[] = { { T(r, "Date"), 2 }, { T(r, "Open actions"), 1, true } };
	rout_table(r->o, T(r, "Open actions by date"), cols, 2);
	for (int i = 0; i < n; i++) {
		rout_date(r->o, pts[i].date);
		rout_int(r->o, pts[i].open);
		rout_row_end(r->o);
	}
	rout_table_end(r->o);
	free(pts);
	return APP_OK;
}

/* ---- the gap analysis ---------------------------------------------------------------------------- */

/* The gap analysis, read once and kept here: the charts and the counts
 * come before the list, as on the page. */
struct gaps {
	struct fout *r;
	struct theme_count {
		char *name;
		size_t n;
	} *themes;
	size_t nthemes;
	struct gap_copy {
		char iso2[3], assessed_on[11];
		char *country, *theme, *status;
		int severity;
	} *rows;
	size_t nrows, cap;
};

static void theme_seen(void *ctx, const char *code, const char *name, size_t n)
{
	(void)code;
	struct gaps *g = ctx;
	g->themes = xrealloc(g->themes, (g->nthemes + 1) * sizeof *g->themes);
	g->themes[g->nthemes++] = (struct theme_count){ xstrdup(name), n };
}

static void gap_seen(void *ctx, const struct needs_gap *gap)
{
	struct gaps *g = ctx;
	if (g->nrows == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 64;
		g->rows = xrealloc(g->rows, g->cap * sizeof *g->rows);
	}
	struct gap_copy *c = &g->rows[g->nrows++];
	*c = (struct gap_copy){ .country = xstrdup(gap->country_name), .theme = xstrdup(gap->theme_name),
				.status = xstrdup(gap->status_label), .severity = gap->severity };
	snprintf(c->iso2, sizeof c->iso2, "%s", gap->country);
	snprintf(c->assessed_on, sizeof c->assessed_on, "%s", gap->assessed_on);
}

static void gaps_release(struct gaps *g)
{
	for (size_t i = 0; i < g->nthemes; i++)
		free(g->themes[i].name);
	for (size_t i = 0; i < g->nrows; i++) {
		free(g->rows[i].country);
		free(g->rows[i].theme);
		free(g->rows[i].status);
	}
	free(g->themes);
	free(g->rows);
}

/* The map of the gaps by country (PDF): 1, 2–3, 4 or more; the others
 * have none. */
static void gaps_map(struct fout *r, const struct gaps *g)
{
	struct pdf_flow *f = rout_flow(r->o);
	if (!f)
		return;
	struct map_value v[COUNTRIES_MAX];
	int count[COUNTRIES_MAX];
	size_t nv = 0;
	for (size_t i = 0; i < g->nrows; i++) {
		size_t k = 0;
		while (k < nv && strcmp(v[k].iso2, g->rows[i].iso2) != 0)
			k++;
		if (k == nv && nv == COUNTRIES_MAX)
			continue; /* (the 54 states: never) */
		if (k == nv) {
			v[nv] = (struct map_value){ .iso2 = g->rows[i].iso2 };
			count[nv++] = 0;
		}
		count[k]++;
	}
	for (size_t k = 0; k < nv; k++)
		v[k].cls = count[k] >= 4 ? 2 : count[k] >= 2 ? 1 : 0;
	static const char *const labels[] = { "1", "\u2066" "2–3" "\u2069", N_("4 or more") };
	const char *shown[] = { labels[0], labels[1], T(r, labels[2]) };
	struct map_legend lg = { .nclasses = 3, .labels = shown, .no_data = T(r, "No gap"),
				 .caption = T(r, "Gaps by country"), .rtl = lang_rtl(r->lang) };
	struct buf notes = BUF_INIT;
	for (int i = 0; i < 3; i++)
		buf_printf(&notes, "%s%s", i ? " " : "", T(r, page_map_note_msgids[i]));
	pdf_chart_map(f, v, nv, &lg, buf_cstr(&notes));
	buf_release(&notes);
}

/* The gaps by theme: a chart in the PDF, and its table. */
static void gaps_by_theme(struct fout *r, const struct gaps *g)
{
	struct pdf_flow *f = rout_flow(r->o);
	struct pdf_bar *bars = xcalloc(g->nthemes + 1, sizeof *bars);
	struct buf *texts = xcalloc(g->nthemes + 1, sizeof *texts);
	for (size_t i = 0; f && i < g->nthemes; i++) {
		num_format(&texts[i], r->lang, g->themes[i].n);
		bars[i] = (struct pdf_bar){ g->themes[i].name, (double)g->themes[i].n, 0xa11a1a, buf_cstr(&texts[i]) };
	}
	if (f)
		pdf_chart_bars(f, bars, (int)g->nthemes, 0, NULL, NULL, 0);
	for (size_t i = 0; i < g->nthemes; i++)
		buf_release(&texts[i]);
	free(texts);
	free(bars);
	const struct rout_col cols[] = { { T(r, "Theme"), 3 }, { T(r, "Countries"), 1, true } };
	rout_table(r->o, T(r, "Gaps by theme"), cols, 2);
	for (size_t i = 0; i < g->nthemes; i++) {
		rout_text_cell(r->o, g->themes[i].name);
		rout_int(r->o, (long long)g->themes[i].n);
		rout_row_end(r->o);
	}
	rout_table_end(r->o);
}

static enum app_err gap_analysis(struct fout *r)
{
	rout_heading(r->o, T(r, "Gap analysis"));
	struct gaps g = { .r = r };
	const struct needs_gaps_sink sink = { theme_seen, gap_seen, &g };
	bool sample;
	enum app_err rc = needs_gaps(r->app, r->lang, r->who, &sink, &sample);
	if (rc == APP_FORBIDDEN) {
		rout_text(r->o, T(r, "Your role may not see needs assessments."));
		rc = APP_OK;
	} else if (!rc) {
		rout_text(r->o, T(r, "Serious needs (severity 4 or 5, latest assessment, not met) that no planned or running action addresses: the list the next dialogue should turn into priorities."));
		if (sample)
			rout_text(r->o, T(r, "These assessments include sample values generated for the demonstration: they are not real assessments of any country."));
		char n[NUM_TEXT_MAX + 64];
		struct buf count = BUF_INIT;
		num_format(&count, r->lang, (long long)g.nrows);
		snprintf(n, sizeof n, T(r, "%s gaps"), buf_cstr(&count));
		buf_release(&count);
		rout_text(r->o, g.nrows ? n : T(r, "No gap: every serious open need is addressed."));
		gaps_map(r, &g);
		gaps_by_theme(r, &g);
		const struct rout_col cols[] = { { T(r, "Country"), 130 }, { T(r, "Theme"), 170 }, { T(r, "Severity"), 50, true },
						 { T(r, "Assessed on"), 75 }, { T(r, "Status"), 70 } };
		rout_table(r->o, T(r, "Gap analysis"), cols, 5);
		for (size_t i = 0; i < g.nrows; i++) {
			const struct gap_copy *c = &g.rows[i];
			rout_text_cell(r->o, c->country);
			rout_text_cell(r->o, c->theme);
			rout_int(r->o, c->severity);
			rout_date(r->o, c->assessed_on);
			rout_text_cell(r->o, c->status);
			rout_row_end(r->o);
		}
		rout_table_end(r->o);
	}
	gaps_release(&g);
	return rc;
}

/* ---- the whole report ---------------------------------------------------------------------------- */

static enum app_err sections(struct fout *r)
{
	struct store_followup_counts k;
	struct store_followup_filter f = FU_FILTER_INIT;
	f.meeting = r->meeting;
	enum app_err rc = store_followup_count(r->app->store, &f, &k);
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
	if (!rc)
		rc = gap_analysis(r);
	return rc;
}

enum app_err report_followup_file(struct app *app, long long meeting, enum lang lang, const struct principal *who,
				  enum rout_format format, struct buf *out)
{
	struct fout r = { .app = app, .lang = lang, .meeting = meeting, .who = who };
	char key[24];
	snprintf(key, sizeof key, "%lld", meeting);
	enum app_err rc = store_get(app->store, ENT(MEETING), key, meeting_row, &r);
	r.o = rc ? NULL : rout_new(format, lang, buf_cstr(&r.title));
	if (!rc && !r.o)
		rc = APP_UNAVAILABLE;
	if (!rc) {
		rout_title(r.o, buf_cstr(&r.title), buf_cstr(&r.notes));
		rc = sections(&r);
	}
	rc = rout_close(r.o, rc, out);
	buf_release(&r.title);
	buf_release(&r.notes);
	return rc;
}

void report_file_page(struct request *req, struct response *resp)
{
	long long id;
	if (!req_param_id(req, "id", &id))
		return;
	if (!ent_can_read(ENT(MEETING), req->who.role) || !ent_can_read(ENT(ACTION), req->who.role)) {
		page_error(req, resp, 403, N_("Your role may not see this page."));
		return;
	}
	bool pdf = util_ends_with(req->path, ".pdf");
	enum app_err rc = report_followup_file(req->app, id, req->lang, &req->who, pdf ? ROUT_PDF : ROUT_XLSX, &resp->body);
	char name[64];
	snprintf(name, sizeof name, "followup-report-%lld.%s", id, pdf ? "pdf" : "xlsx");
	page_file_answer(req, resp, rc, NULL, name);
}
