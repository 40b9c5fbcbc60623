/* report_out.h — a report written once for two media: a PDF (pdf.h: its
 * title, headings, paragraphs, tables flowing over A4 pages, and charts the
 * caller draws) or a workbook (xlsx.h: a first sheet with the title and its
 * notes, then one sheet per table, its cells typed — counts and means as
 * numbers, percentages and amounts of money in their formats, dates as
 * dates).  Headings, paragraphs and charts have no place in a workbook and
 * are left out of it; a table's rows are the same in both.
 *
 *   struct rout *o = rout_new(ROUT_PDF, lang, title);
 *   rout_title(o, title, notes);
 *   rout_table(o, "Summary", cols, 2);
 *   rout_text_cell(o, "planned"); rout_int(o, 12); rout_row_end(o);
 *   enum app_err rc = rout_close(o, APP_OK, out);
 *
 * The texts given are plain UTF-8, already in the reader's language. */
#ifndef SUIVI_REPORT_OUT_H
#define SUIVI_REPORT_OUT_H
#include <stdbool.h>

#include "buf.h"
#include "err.h"
#include "i18n.h"
#include "pdf.h"

enum rout_format { ROUT_PDF, ROUT_XLSX };

#define ROUT_COLS_MAX 12

struct rout_col {
	const char *name; /* the header's text */
	double share;     /* in the PDF, its share of the page's width (any unit) */
	bool numeric;     /* aligned to the end */
};

struct rout;

/* A report in format for readers of lang, titled title (the PDF's
 * metadata); NULL when the PDF libraries cannot be loaded or the workbook
 * made (the caller answers APP_UNAVAILABLE). */
struct rout *rout_new(enum rout_format format, enum lang lang, const char *title);
/* The PDF's flow, for a chart drawn by the caller; NULL in a workbook. */
struct pdf_flow *rout_flow(struct rout *o);

/* The report's title and its notes (lines separated by '\n'). */
void rout_title(struct rout *o, const char *title, const char *notes);
/* A section's heading; a paragraph. */
void rout_heading(struct rout *o, const char *text);
void rout_text(struct rout *o, const char *text);

/* A table of n columns (≤ ROUT_COLS_MAX): in the PDF, its header row; in
 * the workbook, a sheet named name with that header. */
void rout_table(struct rout *o, const char *name, const struct rout_col *cols, int n);
/* The next cell of the row. */
void rout_text_cell(struct rout *o, const char *s);
void rout_int(struct rout *o, long long v);
/* A number given scaled by 10^dec (dec 0 to 3): 35, 1 is 3.5. */
void rout_fixed(struct rout *o, long long scaled, int dec);
/* A percentage scaled so (125, 1 is 12.5 %). */
void rout_percent(struct rout *o, long long scaled, int dec);
/* A date, YYYY-MM-DD. */
void rout_date(struct rout *o, const char *iso);
/* An amount in minor units of currency (money.h). */
void rout_money(struct rout *o, long long minor, const char *currency);
/* No value: "—" in the PDF, an empty cell in the workbook. */
void rout_none(struct rout *o);
/* Ends the row; rout_total_end ends a row of totals (bold in the PDF). */
void rout_row_end(struct rout *o);
void rout_total_end(struct rout *o);
/* The space after a table in the PDF. */
void rout_table_end(struct rout *o);

/* Ends the report: when rc is APP_OK its bytes at the end of out, else
 * nothing; frees o (NULL: nothing to end).  Answers rc, else what ending
 * it met. */
MUST_CHECK enum app_err rout_close(struct rout *o, enum app_err rc, struct buf *out);

#endif
