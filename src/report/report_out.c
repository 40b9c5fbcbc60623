/* report_out.c — see report_out.h. */
#define _POSIX_C_SOURCE 200809L
#include "report_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "xalloc.h"
#include "xlsx.h"
#include "banned.h"

#define PAGE_W PDF_A4_SHORT
#define PAGE_H PDF_A4_LONG
#define MARGIN 48

static const struct pdf_style title_style = { .size = 17, .bold = true },
			      notes_style = { .size = 9.5, .grey = 0.3 },
			      heading_style = { .size = 13, .bold = true, .grey = 0.1 },
			      text_style = { .size = 9 },
			      bold_style = { .size = 9, .bold = true },
			      /* a table of many columns */
			      small_style = { .size = 7.5 }, small_bold_style = { .size = 7.5, .bold = true };
#define MANY_COLUMNS 8

struct rout {
	enum lang lang;
	/* a PDF: */
	struct pdf *pdf;
	struct pdf_flow flow;
	double widths[ROUT_COLS_MAX];
	bool numeric[ROUT_COLS_MAX];
	struct buf cells[ROUT_COLS_MAX];
	bool small; /* the table's text smaller (MANY_COLUMNS or more) */
	/* or a workbook: */
	struct xlsx *book;
	bool failed;    /* a sheet could not be begun: the cells go nowhere */
	int ncols, col; /* the table's; the next cell's */
};

struct rout *rout_new(enum rout_format format, enum lang lang, const char *title)
{
	struct pdf *pdf = NULL;
	struct xlsx *book = NULL;
	if (format == ROUT_PDF)
		pdf = pdf_new(PAGE_W, PAGE_H, title);
	else
		book = xlsx_new_temp();
	if (!pdf && !book)
		return NULL;
	struct rout *o = xcalloc(1, sizeof *o);
	o->lang = lang;
	o->pdf = pdf;
	o->book = book;
	if (pdf)
		pdf_flow_begin(&o->flow, pdf, PAGE_W, PAGE_H, MARGIN, lang_rtl(lang));
	return o;
}

struct pdf_flow *rout_flow(struct rout *o)
{
	return o->pdf ? &o->flow : NULL;
}

/* The workbook's first sheet: the title as its header, a note per row. */
static void title_sheet(struct rout *o, const char *title, const char *notes)
{
	if (xlsx_text_sheet(o->book, tr(o->lang, "Report"), lang_rtl(o->lang))) {
		o->failed = true;
		return;
	}
	xlsx_cell(o->book, 0, title, XLSX_TEXT);
	xlsx_row_end(o->book);
	for (const char *s = notes; s && *s;) {
		size_t n = strcspn(s, "\n");
		char *line = xstrndup(s, n);
		xlsx_cell(o->book, 0, line, XLSX_TEXT);
		xlsx_row_end(o->book);
		free(line);
		s += n + (s[n] == '\n');
	}
}

void rout_title(struct rout *o, const char *title, const char *notes)
{
	if (o->book) {
		title_sheet(o, title, notes);
		return;
	}
	pdf_flow_text(&o->flow, title, &title_style, 4);
	pdf_flow_text(&o->flow, notes, &notes_style, 18);
}

void rout_heading(struct rout *o, const char *text)
{
	if (o->pdf)
		pdf_flow_text(&o->flow, text, &heading_style, 6);
}

void rout_text(struct rout *o, const char *text)
{
	if (o->pdf)
		pdf_flow_text(&o->flow, text, &text_style, 6);
}

void rout_table(struct rout *o, const char *name, const struct rout_col *cols, int n)
{
	o->ncols = n < ROUT_COLS_MAX ? n : ROUT_COLS_MAX;
	o->col = 0;
	if (o->book) {
		if (o->failed || xlsx_sheet(o->book, name, lang_rtl(o->lang))) {
			o->failed = true;
			return;
		}
		for (int i = 0; i < o->ncols; i++)
			xlsx_column(o->book, i, cols[i].name, cols[i].numeric ? XLSX_NUMBER : XLSX_TEXT);
		xlsx_row_end(o->book);
		return;
	}
	double total = 0;
	for (int i = 0; i < o->ncols; i++)
		total += cols[i].share;
	const char *head[ROUT_COLS_MAX];
	for (int i = 0; i < o->ncols; i++) {
		o->widths[i] = total > 0 ? o->flow.width * cols[i].share / total : 0;
		o->numeric[i] = cols[i].numeric;
		head[i] = cols[i].name;
	}
	o->small = o->ncols >= MANY_COLUMNS;
	pdf_flow_row(&o->flow, head, o->widths, o->numeric, o->ncols, o->small ? &small_bold_style : &bold_style, true);
}

/* The PDF's text of the next cell (emptied); NULL past the table's
 * columns or in a workbook. */
static struct buf *pdf_cell(struct rout *o)
{
	if (!o->pdf || o->col >= o->ncols)
		return NULL;
	struct buf *b = &o->cells[o->col++];
	buf_reset(b);
	return b;
}

/* The workbook's column of the next cell; -1 past the table's columns or
 * in a PDF. */
static int book_cell(struct rout *o)
{
	return o->book && !o->failed && o->col < o->ncols ? o->col++ : -1;
}

void rout_text_cell(struct rout *o, const char *s)
{
	struct buf *b = pdf_cell(o);
	int c = b ? -1 : book_cell(o);
	if (b)
		buf_adds(b, s ? s : "");
	else if (c >= 0)
		xlsx_cell(o->book, c, s, XLSX_TEXT);
}

void rout_int(struct rout *o, long long v)
{
	struct buf *b = pdf_cell(o);
	int c = b ? -1 : book_cell(o);
	if (b)
		num_format(b, o->lang, v);
	else if (c >= 0)
		xlsx_number(o->book, c, (double)v, NULL);
}

void rout_fixed(struct rout *o, long long scaled, int dec)
{
	struct buf *b = pdf_cell(o);
	int c = b ? -1 : book_cell(o);
	if (b)
		num_fixed(b, o->lang, scaled, dec);
	else if (c >= 0)
		xlsx_decimal(o->book, c, scaled, dec, "0", "");
}

void rout_percent(struct rout *o, long long scaled, int dec)
{
	struct buf *b = pdf_cell(o);
	int c = b ? -1 : book_cell(o);
	if (b)
		num_percent(b, o->lang, scaled, dec);
	else if (c >= 0)
		xlsx_decimal(o->book, c, scaled, dec, "0", "%");
}

void rout_date(struct rout *o, const char *iso)
{
	struct buf *b = pdf_cell(o);
	int c = b ? -1 : book_cell(o);
	if (b && iso && !i18n_date(b, o->lang, iso))
		buf_adds(b, iso);
	else if (c >= 0)
		xlsx_cell(o->book, c, iso, XLSX_DATE);
}

void rout_money(struct rout *o, long long minor, const char *currency)
{
	struct buf *b = pdf_cell(o);
	int c = b ? -1 : book_cell(o);
	if (b)
		money_format(b, o->lang, minor, currency);
	else if (c >= 0)
		xlsx_money(o->book, c, minor, currency);
}

void rout_none(struct rout *o)
{
	struct buf *b = pdf_cell(o);
	if (b)
		buf_adds(b, "—");
	else
		(void)book_cell(o);
}

static void row_end(struct rout *o, const struct pdf_style *s)
{
	if (o->pdf) {
		const char *cells[ROUT_COLS_MAX];
		for (int i = 0; i < o->ncols; i++)
			cells[i] = i < o->col ? buf_cstr(&o->cells[i]) : "";
		pdf_flow_row(&o->flow, cells, o->widths, o->numeric, o->ncols, s, false);
	} else if (!o->failed) {
		xlsx_row_end(o->book);
	}
	o->col = 0;
}

void rout_row_end(struct rout *o)
{
	row_end(o, o->small ? &small_style : &text_style);
}

void rout_total_end(struct rout *o)
{
	row_end(o, o->small ? &small_bold_style : &bold_style);
}

void rout_table_end(struct rout *o)
{
	if (o->pdf)
		pdf_flow_space(&o->flow, 16);
}

static void release(struct rout *o)
{
	for (int i = 0; i < ROUT_COLS_MAX; i++)
		buf_release(&o->cells[i]);
	free(o);
}

/* Frees o without its bytes. */
static void abandon(struct rout *o)
{
	if (o->pdf) {
		struct buf junk = BUF_INIT;
		err_ignore(pdf_finish(o->pdf, &junk)); /* (unwanted: only its memory matters) */
		buf_release(&junk);
	} else {
		xlsx_abandon(o->book);
	}
	release(o);
}

enum app_err rout_close(struct rout *o, enum app_err rc, struct buf *out)
{
	if (!o)
		return rc;
	if (rc || o->failed) {
		abandon(o);
		return rc ? rc : APP_INTERNAL;
	}
	rc = o->pdf ? pdf_finish(o->pdf, out) : xlsx_close_into(o->book, out);
	release(o);
	return rc;
}
