/* followup_pdf.c — see followup_pdf.h.
 *
 * The sections of the printable report (report.c) that are tables, in the
 * same words: the header, the actions by status with a bar of them, the
 * follow-up by outcome and the late actions. */
#include "followup_pdf.h"

#include <stdio.h>
#include <string.h>

#include "domain.h"
#include "money.h"
#include "page.h"
#include "pdf.h"
#include "store_followup.h"
#include "util.h"
#include "banned.h"

#define W PDF_A4_SHORT
#define H PDF_A4_LONG
#define LATE_ROWS 100 /* as the page: the board has them all */

static const char *const statuses[] = { "planned", "in_progress", "done", "dropped" };
static const unsigned colours[] = { 0x4a5260, 0x8a4b00, 0x1d6b35, 0xa11a1a };

static const struct pdf_style title_style = { .size = 17, .bold = true },
			      meta_style = { .size = 9.5, .grey = 0.3 },
			      h2_style = { .size = 13, .bold = true, .grey = 0.1 },
			      cell_style = { .size = 9 },
			      head_style = { .size = 9, .bold = true };

struct fpdf {
	struct app *app;
	enum lang lang;
	long long meeting;
	struct pdf_flow f;
	struct buf title, meta;
	bool found;
};

static const char *T(const struct fpdf *r, const char *msgid)
{
	return tr(r->lang, msgid);
}

static enum app_err meeting_row(void *ctx, const struct row *row)
{
	struct fpdf *r = ctx;
	enum lang shown;
	r->found = true;
	const char *t = page_i18n(row, FLD(MEETING, TITLE)->col, r->lang, &shown);
	buf_printf(&r->title, "%s — %s", T(r, "Follow-up report"), t ? t : "");
	const char *kind = row_text(row, FLD(MEETING, KIND)->col);
	buf_adds(&r->meta, kind ? T(r, kind) : "");
	if (!row_null(row, FLD(MEETING, EDITION)->col))
		buf_printf(&r->meta, " · %s %lld", T(r, "edition"), row_int(row, FLD(MEETING, EDITION)->col));
	buf_adds(&r->meta, " · ");
	i18n_date(&r->meta, r->lang, row_text(row, FLD(MEETING, START_DATE)->col));
	if (row_text(row, FLD(MEETING, VENUE)->col))
		buf_printf(&r->meta, " · %s", row_text(row, FLD(MEETING, VENUE)->col));
	char today[11];
	util_today(today);
	buf_printf(&r->meta, "\n%s ", T(r, "Situation on"));
	i18n_date(&r->meta, r->lang, today);
	buf_printf(&r->meta, ".\n%s",
		   T(r, "Figures marked as sample data in the records are illustrative values, not facts from the sources."));
	return APP_OK;
}

/* A count in the reader's convention, as plain text (num_text's is HTML). */
static void number(char out[NUM_TEXT_MAX], const struct fpdf *r, long long v)
{
	struct buf b = BUF_INIT;
	num_format(&b, r->lang, v);
	snprintf(out, NUM_TEXT_MAX, "%s", buf_cstr(&b));
	buf_release(&b);
}

static void percent(struct buf *b, const struct fpdf *r, long long pct)
{
	buf_reset(b);
	num_percent(b, r->lang, pct, 0);
}

/* The bar of the actions by status, each in its colour. */
static void status_bar(struct fpdf *r, const long long n[4], long long total)
{
	if (!total)
		return;
	double x = r->f.left, h = 12;
	for (int i = 0; i < 4; i++) {
		double w = r->f.width * (double)n[i] / (double)total;
		pdf_fill(r->f.p, r->f.rtl ? r->f.left + r->f.width - (x - r->f.left) - w : x, r->f.y, w, h, colours[i]);
		x += w;
	}
	pdf_flow_space(&r->f, h + 10);
}

static void summary(struct fpdf *r, const struct store_followup_counts *k)
{
	const long long n[] = { k->planned, k->in_progress, k->done, k->dropped };
	pdf_flow_text(&r->f, T(r, "Summary"), &h2_style, 6);
	status_bar(r, n, k->total);
	static const double widths[] = { 300, 120 };
	static const bool numeric[] = { false, true };
	const char *head[] = { T(r, "Status"), T(r, "Actions") };
	pdf_flow_row(&r->f, head, widths, numeric, 2, &head_style, true);
	char v[NUM_TEXT_MAX];
	for (int i = 0; i < 4; i++) {
		number(v, r, n[i]);
		const char *cells[] = { T(r, statuses[i]), v };
		pdf_flow_row(&r->f, cells, widths, numeric, 2, &cell_style, false);
	}
	number(v, r, k->total);
	pdf_flow_row(&r->f, (const char *[]){ T(r, "All actions"), v }, widths, numeric, 2, &head_style, false);
	number(v, r, k->late);
	pdf_flow_row(&r->f, (const char *[]){ T(r, "Late (past due, neither done nor dropped)"), v }, widths, numeric, 2,
		     &cell_style, false);
	struct buf pct = BUF_INIT;
	percent(&pct, r, k->total ? k->percent_sum / k->total : 0);
	pdf_flow_row(&r->f, (const char *[]){ T(r, "Mean percent done"), buf_cstr(&pct) }, widths, numeric, 2,
		     &cell_style, false);
	buf_release(&pct);
	pdf_flow_space(&r->f, 16);
}

static const double outcome_widths[] = { 22, 189, 40, 40, 45, 40, 40, 35, 48 };
static const bool outcome_numeric[] = { false, false, true, true, true, true, true, true, true };

static enum app_err outcome_row(void *ctx, const struct row *row)
{
	struct fpdf *r = ctx;
	enum lang shown;
	long long total = row_int(row, FUO_TOTAL);
	char v[6][NUM_TEXT_MAX];
	number(v[0], r, total);
	static const int cols[] = { FUO_PLANNED, FUO_IN_PROGRESS, FUO_DONE, FUO_DROPPED, FUO_LATE };
	for (int i = 0; i < 5; i++)
		number(v[i + 1], r, row_int(row, cols[i]));
	struct buf pct = BUF_INIT;
	percent(&pct, r, total ? row_int(row, FUO_PERCENT_SUM) / total : 0);
	const char *text = page_i18n(row, FUO_TEXT, r->lang, &shown);
	const char *cells[] = { row_null(row, FUO_NUMBER) ? "" : row_text(row, FUO_NUMBER), text ? text : "", v[0],
				v[1], v[2], v[3], v[4], v[5], buf_cstr(&pct) };
	pdf_flow_row(&r->f, cells, outcome_widths, outcome_numeric, 9, &cell_style, false);
	buf_release(&pct);
	return APP_OK;
}

static enum app_err outcomes(struct fpdf *r)
{
	pdf_flow_text(&r->f, T(r, "Follow-up by outcome"), &h2_style, 6);
	const char *head[] = { "#", T(r, "Outcome"), T(r, "Actions"), T(r, statuses[0]), T(r, statuses[1]),
			       T(r, statuses[2]), T(r, statuses[3]), T(r, "late"), T(r, "Mean percent done") };
	pdf_flow_row(&r->f, head, outcome_widths, outcome_numeric, 9, &head_style, true);
	enum app_err rc = store_followup_outcomes(r->app->store, r->meeting, outcome_row, r);
	pdf_flow_space(&r->f, 16);
	return rc;
}

static const double late_widths[] = { 30, 179, 120, 70, 55, 45 };
static const bool late_numeric[] = { true, false, false, false, false, true };

static enum app_err late_row(void *ctx, const struct row *row)
{
	struct fpdf *r = ctx;
	enum lang shown;
	char id[24];
	snprintf(id, sizeof id, "%lld", row_int(row, FU_ID));
	const char *title = page_i18n(row, FU_TITLE, r->lang, &shown);
	struct buf owner = BUF_INIT, due = BUF_INIT, pct = BUF_INIT;
	const char *name = page_i18n(row, FU_OWNER_NAME, r->lang, &shown), *acr = row_text(row, FU_OWNER_ACRONYM);
	buf_printf(&owner, "%s%s%s%s", name ? name : "", name && acr ? " (" : "", acr ? acr : "", name && acr ? ")" : "");
	i18n_date(&due, r->lang, row_text(row, FU_DUE));
	percent(&pct, r, row_int(row, FU_PERCENT));
	const char *status = row_text(row, FU_STATUS);
	const char *cells[] = { id, title ? title : "", owner.len ? buf_cstr(&owner) : "—", buf_cstr(&due),
				status ? T(r, status) : "", buf_cstr(&pct) };
	pdf_flow_row(&r->f, cells, late_widths, late_numeric, 6, &cell_style, false);
	buf_release(&owner);
	buf_release(&due);
	buf_release(&pct);
	return APP_OK;
}

static enum app_err late_actions(struct fpdf *r, const struct store_followup_counts *k)
{
	char n[NUM_TEXT_MAX], heading[200];
	number(n, r, k->late);
	snprintf(heading, sizeof heading, "%s (%s)", T(r, "Late actions"), n);
	pdf_flow_text(&r->f, heading, &h2_style, 6);
	if (!k->late) {
		pdf_flow_text(&r->f, T(r, "No action is late."), &cell_style, 0);
		return APP_OK;
	}
	const char *head[] = { "#", T(r, "Action"), T(r, "Owner"), T(r, "Due date"), T(r, "Status"), T(r, "Percent done") };
	pdf_flow_row(&r->f, head, late_widths, late_numeric, 6, &head_style, true);
	struct store_followup_filter f = FU_FILTER_INIT;
	f.meeting = r->meeting;
	f.late = 1;
	enum app_err rc = store_followup_list(r->app->store, &f, LATE_ROWS, 0, late_row, r);
	if (!rc && k->late > LATE_ROWS) {
		char more[300];
		snprintf(more, sizeof more, T(r, "The %lld most overdue are listed; the other %lld are on the follow-up board."),
			 (long long)LATE_ROWS, k->late - LATE_ROWS);
		pdf_flow_space(&r->f, 6);
		pdf_flow_text(&r->f, more, &cell_style, 0);
	}
	return rc;
}

enum app_err report_followup_pdf(struct app *app, long long meeting, enum lang lang, struct buf *out)
{
	struct fpdf r = { .app = app, .lang = lang, .meeting = meeting };
	char key[24];
	snprintf(key, sizeof key, "%lld", meeting);
	enum app_err rc = store_get(app->store, ENT(MEETING), key, meeting_row, &r);
	struct store_followup_counts k;
	struct store_followup_filter f = FU_FILTER_INIT;
	f.meeting = meeting;
	if (!rc)
		rc = store_followup_count(app->store, &f, &k);
	struct pdf *p = rc ? NULL : pdf_new(W, H, buf_cstr(&r.title));
	if (!rc && !p)
		rc = APP_UNAVAILABLE;
	if (!rc) {
		pdf_flow_begin(&r.f, p, W, H, 48, lang_rtl(lang));
		pdf_flow_text(&r.f, buf_cstr(&r.title), &title_style, 4);
		pdf_flow_text(&r.f, buf_cstr(&r.meta), &meta_style, 18);
		summary(&r, &k);
		rc = outcomes(&r);
		if (!rc)
			rc = late_actions(&r, &k);
	}
	if (p) {
		enum app_err done = pdf_finish(p, out);
		rc = rc ? rc : done;
	}
	buf_release(&r.title);
	buf_release(&r.meta);
	return rc;
}

void report_pdf_page(struct request *req, struct response *resp)
{
	long long id;
	if (!req_param_id(req, "id", &id))
		return;
	if (!ent_can_read(ENT(MEETING), req->who.role) || !ent_can_read(ENT(ACTION), req->who.role)) {
		page_error(req, resp, 403, N_("Your role may not see this page."));
		return;
	}
	enum app_err rc = report_followup_pdf(req->app, id, req->lang, &resp->body);
	char name[64];
	snprintf(name, sizeof name, "followup-report-%lld.pdf", id);
	page_pdf_answer(req, resp, rc, NULL, name);
}
