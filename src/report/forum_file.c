/* forum_file.c — the forum report as a file to send (forum_report.h,
 * report_out.h), from the same figures as the page (forum_data.h):
 *   PDF       the programmes at a glance, then a section per programme — its
 *             mean scores by criterion (a table and a chart of bars, the
 *             beneficiaries' beside the donors'), its evidence, the open
 *             needs it answers and the forum's comments;
 *   workbook  the same tables, each one sheet across the programmes
 *             (programmes, scores, evidence, needs, comments). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "domain.h"
#include "forum.h"
#include "forum_data.h"
#include "forum_report.h"
#include "money.h"
#include "page.h"
#include "pdf_chart.h"
#include "report.h"
#include "sdc.h"
#include "store.h"
#include "store_forum.h"
#include "util.h"
#include "banned.h"

static const unsigned rater_rgb[2] = { 0x1d5fa8, 0x8a4b00 };

struct ffile {
	struct forum_data d;
	enum lang lang;
	struct rout *o;
	struct buf title, notes;
};

static const char *T(const struct ffile *r, const char *msgid)
{
	return tr(r->lang, msgid);
}

static enum app_err meeting_row(void *ctx, const struct row *row)
{
	struct ffile *r = ctx;
	enum lang shown;
	const char *t = page_i18n(row, FLD(MEETING, TITLE)->col, r->lang, &shown);
	buf_printf(&r->title, "%s — %s", T(r, "Forum report"), t ? t : "");
	if (!row_null(row, FLD(MEETING, EDITION)->col))
		buf_printf(&r->notes, "%s %lld · ", T(r, "edition"), row_int(row, FLD(MEETING, EDITION)->col));
	i18n_date(&r->notes, r->lang, row_text(row, FLD(MEETING, START_DATE)->col));
	if (row_text(row, FLD(MEETING, VENUE)->col))
		buf_printf(&r->notes, " · %s", row_text(row, FLD(MEETING, VENUE)->col));
	report_notes_end(&r->notes, r->lang);
	return APP_OK;
}

static const char *prog_title(const struct ffile *r, const struct forum_prog *p)
{
	enum lang shown;
	return forum_prog_title(p, r->lang, &shown);
}

/* ---- the cells of figures ------------------------------------------------------------------ */

static void mean_cell(struct ffile *r, long long sum, long long n)
{
	long long x10;
	if (forum_mean(sum, n, 10, &x10))
		rout_fixed(r->o, x10, 1);
	else
		rout_none(r->o);
}

static void percent_cell(struct ffile *r, long long part, long long whole)
{
	long long pct;
	if (forum_ratio(part, whole, 100, &pct))
		rout_percent(r->o, pct, 0);
	else
		rout_none(r->o);
}

/* The mean progress of the measured indicators toward their targets. */
static void achievement_cell(struct ffile *r, const struct forum_prog *p)
{
	long long x10;
	if (forum_achievement10(&p->ach, &x10))
		rout_percent(r->o, (x10 + 5) / 10, 0);
	else
		rout_none(r->o);
}

/* How many of its indicators are measured: "2/3". */
static void measured_cell(struct ffile *r, const struct forum_prog *p)
{
	char measured[48];
	snprintf(measured, sizeof measured, "%d/%d", p->ach.measured > 0 ? p->ach.measured : 0, p->ach.indicators);
	rout_text_cell(r->o, measured);
}

/* Training figures are exact for the staff, else as published (sdc.h). */
static void people_cell(struct ffile *r, const struct forum_prog *p)
{
	struct sdc_view v;
	sdc_view(&p->train.n, forum_data_exact_training(&r->d), &v);
	if (v.hidden)
		rout_text_cell(r->o, T(r, "fewer than 5: not shown"));
	else
		rout_int(r->o, v.people);
}

static void completion_cell(struct ffile *r, const struct forum_prog *p)
{
	bool exact = forum_data_exact_training(&r->d);
	struct sdc_view v;
	sdc_view(&p->train.n, exact, &v);
	if (exact)
		percent_cell(r, p->train.n.completed, p->train.n.enrolments);
	else if (isnan(v.completion))
		rout_none(r->o);
	else
		rout_percent(r->o, llround(v.completion * 100), 0);
}

/* The mean knowledge gain, in points. */
static void gain_cell(struct ffile *r, const struct forum_prog *p)
{
	bool exact = forum_data_exact_training(&r->d);
	if (exact) {
		mean_cell(r, p->train.gain_sum, p->train.n.scored);
		return;
	}
	struct sdc_view v;
	sdc_view(&p->train.n, exact, &v);
	double m = v.hidden ? NAN : sdc_mean_of(p->train.gain_sum, p->train.n.scored, false);
	if (isnan(m))
		rout_none(r->o);
	else
		rout_fixed(r->o, llround(m * 10), 1);
}

static void budget_cell(struct ffile *r, const struct forum_prog *p)
{
	if (p->budget)
		rout_money(r->o, p->budget, p->currency);
	else
		rout_none(r->o);
}

static void committed_cell(struct ffile *r, const struct forum_prog *p)
{
	rout_money(r->o, p->committed, p->currency);
}

static void disbursed_cell(struct ffile *r, const struct forum_prog *p)
{
	rout_money(r->o, p->disbursed, p->currency);
}

static void spent_cell(struct ffile *r, const struct forum_prog *p)
{
	rout_money(r->o, p->spent, p->currency);
}

static void execution_cell(struct ffile *r, const struct forum_prog *p)
{
	percent_cell(r, p->disbursed + p->spent, forum_prog_funding_base(p));
}

/* ---- the programmes at a glance ------------------------------------------------------------ */

static void summary(struct ffile *r)
{
	rout_heading(r->o, T(r, "Programmes at a glance"));
	const struct rout_col cols[] = {
		{ T(r, "Programme"), 96 }, { T(r, "Beneficiaries"), 50, true }, { T(r, "Sheets"), 30, true },
		{ T(r, "Donors"), 38, true }, { T(r, "Sheets"), 30, true }, { T(r, "Indicator achievement"), 54, true },
		{ T(r, "Indicators measured"), 40, true }, { T(r, "People trained"), 38, true }, { T(r, "Completion rate"), 44, true },
		{ T(r, "Funding execution rate"), 42, true }, { T(r, "Open needs answered"), 37, true },
	};
	rout_table(r->o, T(r, "Programmes at a glance"), cols, 11);
	for (int i = 0; i < r->d.np; i++) {
		const struct forum_prog *p = &r->d.p[i];
		rout_text_cell(r->o, prog_title(r, p));
		for (int k = 0; k < 2; k++) {
			mean_cell(r, forum_prog_all_sum(p, k), p->n[k] * FORUM_CRITERIA);
			rout_int(r->o, p->n[k]);
		}
		achievement_cell(r, p);
		measured_cell(r, p);
		people_cell(r, p);
		completion_cell(r, p);
		execution_cell(r, p);
		rout_int(r->o, p->needs);
		rout_row_end(r->o);
	}
	if (!r->d.np)
		rout_text(r->o, T(r, "No programme was rated at this forum and none is under way."));
	else if (r->d.total > r->d.np) {
		char more[300];
		snprintf(more, sizeof more, T(r, "The first %d programmes are in this report; %lld more are on the programmes page."),
			 r->d.np, r->d.total - r->d.np);
		rout_text(r->o, more);
	}
	rout_table_end(r->o);
	static const char *const definitions[] = {
		N_("Scores: 1 very poor to 5 excellent, on the six OECD-DAC criteria; a mean is shown with the number of sheets it comes from."),
		N_("Funding execution rate: disbursements plus expenditure, over the commitments (or over the budget when no commitment is recorded), counting the transactions in the programme's currency."),
		N_("Indicator achievement: the mean progress of the programme's measured indicators from their baseline toward their latest target, each counted at most 100 %, with the number measured out of all its indicators."),
		N_("People trained: the participants with a completed enrolment in the sessions delivered under the programme, each counted once, as on the training dashboard and the programme's page; completion rate: completed enrolments over all enrolments; knowledge gain: the mean of post-test minus pre-test score, in points out of 100."),
	};
	for (size_t i = 0; i < sizeof definitions / sizeof *definitions; i++)
		rout_text(r->o, T(r, definitions[i]));
}

/* ---- the scores ----------------------------------------------------------------------------- */

/* The rows of p's mean scores by criterion, after its title when named. */
static void score_rows(struct ffile *r, const struct forum_prog *p, bool named)
{
	for (int i = 0; i < FORUM_CRITERIA; i++) {
		if (named)
			rout_text_cell(r->o, prog_title(r, p));
		rout_text_cell(r->o, T(r, forum_criteria_label[i]));
		for (int k = 0; k < 2; k++) {
			mean_cell(r, p->sum[k][i], p->n[k]);
			if (named)
				rout_int(r->o, p->n[k]);
		}
		rout_row_end(r->o);
	}
}

/* The bars of the beneficiaries' and donors' means per criterion (PDF). */
static void score_chart(struct ffile *r, const struct forum_prog *p)
{
	struct pdf_flow *f = rout_flow(r->o);
	struct pdf_bar bars[2 * FORUM_CRITERIA];
	struct buf text[2 * FORUM_CRITERIA];
	for (int i = 0; i < FORUM_CRITERIA; i++)
		for (int k = 0; k < 2; k++) {
			struct buf *t = &text[2 * i + k];
			*t = (struct buf)BUF_INIT;
			long long x10 = 0;
			bool any = forum_mean(p->sum[k][i], p->n[k], 10, &x10);
			if (any)
				num_fixed(t, r->lang, x10, 1);
			bars[2 * i + k] = (struct pdf_bar){ k ? NULL : T(r, forum_criteria_label[i]), (double)x10 / 10,
							    rater_rgb[k], any ? buf_cstr(t) : "—" };
		}
	const char *legend[] = { T(r, "Beneficiaries"), T(r, "Donors") };
	pdf_chart_bars(f, bars, 2 * FORUM_CRITERIA, 5, rater_rgb, legend, 2);
	for (int i = 0; i < 2 * FORUM_CRITERIA; i++)
		buf_release(&text[i]);
}

/* ---- evidence, needs, comments ------------------------------------------------------------ */

/* The evidence of a programme: each figure, its label and its cell. */
typedef void figure_fn(struct ffile *r, const struct forum_prog *p);
static const struct {
	const char *label;
	figure_fn *cell;
} evidence[] = {
	{ N_("Indicator achievement"), achievement_cell }, { N_("Indicators measured"), measured_cell },
	{ N_("People trained"), people_cell },              { N_("Completion rate"), completion_cell },
	{ N_("Mean knowledge gain (points)"), gain_cell },  { N_("Budget"), budget_cell },
	{ N_("Committed"), committed_cell },                { N_("Disbursed"), disbursed_cell },
	{ N_("Spent"), spent_cell },                        { N_("Funding execution rate"), execution_cell },
};
#define EVIDENCE (int)(sizeof evidence / sizeof *evidence)

/* The PDF's table of a programme's evidence: a row per figure. */
static void evidence_table(struct ffile *r, const struct forum_prog *p)
{
	const struct rout_col cols[] = { { T(r, "Effectiveness evidence"), 3 }, { "", 2, true } };
	rout_table(r->o, T(r, "Effectiveness evidence"), cols, 2);
	for (int i = 0; i < EVIDENCE; i++) {
		rout_text_cell(r->o, T(r, evidence[i].label));
		evidence[i].cell(r, p);
		rout_row_end(r->o);
	}
	rout_table_end(r->o);
}

/* The workbook's sheet of evidence: a row per programme. */
static void evidence_sheet(struct ffile *r)
{
	struct rout_col cols[EVIDENCE + 1] = { { T(r, "Programme"), 1 } };
	for (int i = 0; i < EVIDENCE; i++)
		cols[i + 1] = (struct rout_col){ T(r, evidence[i].label), 1, true };
	rout_table(r->o, T(r, "Effectiveness evidence"), cols, EVIDENCE + 1);
	for (int j = 0; j < r->d.np; j++) {
		rout_text_cell(r->o, prog_title(r, &r->d.p[j]));
		for (int i = 0; i < EVIDENCE; i++)
			evidence[i].cell(r, &r->d.p[j]);
		rout_row_end(r->o);
	}
}

struct listing {
	struct ffile *r;
	const struct forum_prog *p; /* NULL: in a PDF section, the programme is the section's */
	int listed, hidden;
};

static enum app_err need_row(void *ctx, const struct row *row)
{
	struct listing *l = ctx;
	struct ffile *r = l->r;
	if (!forum_data_may_see_need(&r->d, row_text(row, 1))) {
		l->hidden++;
		return APP_OK;
	}
	l->listed++;
	enum lang shown;
	const char *country = page_i18n(row, 2, r->lang, &shown), *theme = page_i18n(row, 6, r->lang, &shown);
	const char *status = row_text(row, 10);
	if (l->p)
		rout_text_cell(r->o, prog_title(r, l->p));
	rout_text_cell(r->o, country ? country : "");
	rout_text_cell(r->o, theme ? theme : "");
	rout_int(r->o, row_int(row, 9));
	rout_text_cell(r->o, status ? T(r, status) : "");
	rout_row_end(r->o);
	return APP_OK;
}

static void need_columns(struct ffile *r, bool named)
{
	const struct rout_col cols[] = { { T(r, "Programme"), 150 }, { T(r, "Country"), 120 }, { T(r, "Theme"), 170 },
					 { T(r, "Severity"), 50, true }, { T(r, "Status"), 80 } };
	rout_table(r->o, T(r, "Open needs it answers"), named ? cols : cols + 1, named ? 5 : 4);
}

static enum app_err needs_section(struct ffile *r, const struct forum_prog *p)
{
	rout_heading(r->o, T(r, "Open needs it answers"));
	need_columns(r, false);
	struct listing l = { .r = r };
	enum app_err rc = store_forum_needs(r->d.app->store, p->id, need_row, &l);
	char more[200];
	if (l.hidden) {
		snprintf(more, sizeof more,
			 l.listed ? T(r, "and %d more in other countries.") : T(r, "%d open needs in the countries it serves."),
			 l.hidden);
		rout_text(r->o, more);
	} else if (!l.listed) {
		rout_text(r->o, T(r, "No open need is recorded against this programme."));
	}
	rout_table_end(r->o);
	return rc;
}

/* A comment cut as the page cuts it (a table's row is never split over
 * pages, and a page holds some 1,000 characters of a comment's column). */
#define COMMENT_CHARS 1000
static void comment_cell(struct ffile *r, const char *text)
{
	size_t n = util_utf8_chars(text, COMMENT_CHARS);
	if (!text[n]) {
		rout_text_cell(r->o, text);
		return;
	}
	struct buf cut = BUF_INIT;
	buf_add(&cut, text, n);
	buf_adds(&cut, "…");
	rout_text_cell(r->o, buf_cstr(&cut));
	buf_release(&cut);
}

/* One row per comment: [programme,] criterion, who, as what, the comment. */
static enum app_err comment_row(void *ctx, const struct row *row)
{
	struct listing *l = ctx;
	struct ffile *r = l->r;
	bool donor = row_text(row, 0) && strcmp(row_text(row, 0), "donor") == 0;
	enum lang shown;
	const char *who = forum_data_staff(&r->d) ? page_i18n(row, 3, r->lang, &shown)
			  : donor		  ? T(r, "a donor")
						  : T(r, "a beneficiary state");
	for (int i = 0; i < FORUM_CRITERIA; i++) {
		const char *text = row_text(row, 6 + i);
		if (!text)
			continue;
		l->listed++;
		if (l->p)
			rout_text_cell(r->o, prog_title(r, l->p));
		rout_text_cell(r->o, T(r, forum_criteria_label[i]));
		rout_text_cell(r->o, who ? who : "");
		rout_text_cell(r->o, donor ? T(r, "donor") : T(r, "beneficiary"));
		comment_cell(r, text);
		rout_row_end(r->o);
	}
	return APP_OK;
}

static void comment_columns(struct ffile *r, bool named)
{
	const struct rout_col cols[] = { { T(r, "Programme"), 100 }, { T(r, "Criterion"), 70 }, { T(r, "Rated by"), 90 },
					 { T(r, "Role"), 60 }, { T(r, "Comment"), 230 } };
	rout_table(r->o, T(r, "Comments"), named ? cols : cols + 1, named ? 5 : 4);
}

static enum app_err comments_section(struct ffile *r, const struct forum_prog *p)
{
	rout_heading(r->o, T(r, "Comments"));
	comment_columns(r, false);
	struct listing l = { .r = r };
	enum app_err rc = store_forum_comments(r->d.app->store, r->d.meeting, p->id, comment_row, &l);
	if (!l.listed)
		rout_text(r->o, T(r, "No comment."));
	rout_table_end(r->o);
	return rc;
}

/* ---- the two forms ------------------------------------------------------------------------- */

static enum app_err pdf_sections(struct ffile *r)
{
	enum app_err rc = APP_OK;
	for (int i = 0; i < r->d.np && !rc; i++) {
		const struct forum_prog *p = &r->d.p[i];
		char status[200];
		snprintf(status, sizeof status, T(r, "Status: %s"), T(r, p->status));
		rout_heading(r->o, prog_title(r, p));
		rout_text(r->o, status);
		struct buf head[2] = { BUF_INIT, BUF_INIT };
		for (int k = 0; k < 2; k++) {
			buf_printf(&head[k], "%s (n = ", k ? T(r, "Donors") : T(r, "Beneficiaries"));
			num_format(&head[k], r->lang, p->n[k]);
			buf_adds(&head[k], ")");
		}
		const struct rout_col cols[] = { { T(r, "Criterion"), 2 }, { buf_cstr(&head[0]), 1, true },
						 { buf_cstr(&head[1]), 1, true } };
		rout_table(r->o, T(r, "Mean scores by criterion"), cols, 3);
		buf_release(&head[0]);
		buf_release(&head[1]);
		score_rows(r, p, false);
		rout_table_end(r->o);
		score_chart(r, p);
		evidence_table(r, p);
		rc = needs_section(r, p);
		if (!rc)
			rc = comments_section(r, p);
	}
	return rc;
}

static enum app_err workbook_sheets(struct ffile *r)
{
	const struct rout_col score_cols[] = { { T(r, "Programme"), 1 }, { T(r, "Criterion"), 1 },
					       { T(r, "Beneficiaries"), 1, true }, { T(r, "Sheets"), 1, true },
					       { T(r, "Donors"), 1, true }, { T(r, "Sheets"), 1, true } };
	rout_table(r->o, T(r, "Mean scores by criterion"), score_cols, 6);
	for (int i = 0; i < r->d.np; i++)
		score_rows(r, &r->d.p[i], true);
	evidence_sheet(r);
	enum app_err rc = APP_OK;
	need_columns(r, true);
	for (int i = 0; i < r->d.np && !rc; i++) {
		struct listing l = { .r = r, .p = &r->d.p[i] };
		rc = store_forum_needs(r->d.app->store, l.p->id, need_row, &l);
	}
	comment_columns(r, true);
	for (int i = 0; i < r->d.np && !rc; i++) {
		struct listing l = { .r = r, .p = &r->d.p[i] };
		rc = store_forum_comments(r->d.app->store, r->d.meeting, l.p->id, comment_row, &l);
	}
	return rc;
}

enum app_err forum_report_file(struct app *app, long long meeting, enum lang lang, const struct principal *who,
			       enum rout_format format, struct buf *out)
{
	struct ffile r = { .d = { .app = app, .meeting = meeting, .who = who }, .lang = lang };
	enum app_err rc = forum_data_load(&r.d);
	char key[24];
	snprintf(key, sizeof key, "%lld", meeting);
	if (!rc)
		rc = store_get(app->store, ENT(MEETING), key, meeting_row, &r);
	r.o = rc ? NULL : rout_new(format, lang, buf_cstr(&r.title));
	if (!rc && !r.o)
		rc = APP_UNAVAILABLE;
	if (!rc) {
		rout_title(r.o, buf_cstr(&r.title), buf_cstr(&r.notes));
		summary(&r);
		rc = format == ROUT_PDF ? pdf_sections(&r) : workbook_sheets(&r);
	}
	rc = rout_close(r.o, rc, out);
	forum_data_release(&r.d);
	buf_release(&r.title);
	buf_release(&r.notes);
	return rc;
}

void forum_report_file_route(struct request *req, struct response *resp)
{
	long long id;
	if (!forum_of_path(req, resp, &id))
		return;
	bool pdf = util_ends_with(req->path, ".pdf");
	enum app_err rc = forum_report_file(req->app, id, req->lang, &req->who, pdf ? ROUT_PDF : ROUT_XLSX, &resp->body);
	char name[64];
	snprintf(name, sizeof name, "forum-report-%lld.%s", id, pdf ? "pdf" : "xlsx");
	page_file_answer(req, resp, rc, NULL, name);
}
