/* xlsx.h — a spreadsheet file (Office Open XML) written row by row, with
 * libxlsxwriter in its constant-memory mode: each row goes to a temporary
 * file as the next begins, so memory does not grow with the rows.
 *
 * Each sheet has a bold header row that stays in view (frozen), an
 * auto-filter over the whole table, column widths by what the columns
 * hold, and may read right to left (an Arabic export).  Cells are typed:
 * numbers as numbers, dates and times as the spreadsheet's own (shown
 * YYYY-MM-DD), yes/no as booleans, the rest as text. */
#ifndef SUIVI_XLSX_H
#define SUIVI_XLSX_H
#include <stdbool.h>

#include "buf.h"
#include "err.h"

enum xlsx_kind { XLSX_TEXT, XLSX_NUMBER, XLSX_DATE, XLSX_TIME, XLSX_BOOL };

struct xlsx;

/* A new workbook to be written at path (its temporary files in $TMPDIR,
 * else the system's); NULL when it cannot be made. */
struct xlsx *xlsx_new(const char *path);
/* A new workbook in a temporary file (in $TMPDIR, else /tmp), which
 * xlsx_close_into reads and removes; NULL when it cannot be made. */
struct xlsx *xlsx_new_temp(void);
/* A workbook to be filled in (a template): held in memory until it is
 * written, so that its notes and drop-downs may be added; in a temporary
 * file as xlsx_new_temp's. */
struct xlsx *xlsx_new_form(void);
/* A note on the header cell of column col (Excel's comment). */
void xlsx_note(struct xlsx *x, int col, const char *text);
/* Rows 2 to rows + 1 of column col take one of the cells of range (a
 * formula, "=Codes!$A$2:$A$55") from a drop-down; another value is
 * refused with title and message (≤ 32 and 255 characters). */
void xlsx_choices(struct xlsx *x, int col, unsigned rows, const char *range, const char *title,
		  const char *message);
/* The same, from the values listed (NULL-terminated, 255 characters in all). */
void xlsx_choices_of(struct xlsx *x, int col, unsigned rows, const char *const *values, const char *title,
		     const char *message);
/* Begins a sheet named name (cut to the 31 characters a sheet name may
 * have, without []:*?/\), read right to left when rtl. */
MUST_CHECK enum app_err xlsx_sheet(struct xlsx *x, const char *name, bool rtl);
/* The same for a sheet of lines of text rather than a table: no header
 * kept in view, no filter (a report's title and notes). */
MUST_CHECK enum app_err xlsx_text_sheet(struct xlsx *x, const char *name, bool rtl);
/* Column col of the header row: its name, and what its cells hold. */
void xlsx_column(struct xlsx *x, int col, const char *name, enum xlsx_kind kind);
/* Cell col of the current row (s NULL or "": empty). */
void xlsx_cell(struct xlsx *x, int col, const char *s, enum xlsx_kind kind);
/* Cell col of the current row: the number v shown in the spreadsheet's
 * number format fmt ("0%", "#,##0.00 \"USD\""; NULL: as it is), as a
 * report's percentages and amounts of money are. */
void xlsx_number(struct xlsx *x, int col, double v, const char *fmt);
/* Cell col of the current row: the number scaled / 10^dec (dec 0 to 3)
 * shown with dec decimals after whole ("0", or "#,##0" grouped), then
 * suffix ("%": the cell holds the fraction; " \"USD\""); for a report's
 * means, percentages and amounts. */
void xlsx_decimal(struct xlsx *x, int col, long long scaled, int dec, const char *whole, const char *suffix);
/* Cell col of the current row: an amount of minor units of currency (ISO
 * 4217, money.h) as the number of units, in that currency's format
 * ("#,##0.00 \"USD\"", "#,##0 \"XOF\""). */
void xlsx_money(struct xlsx *x, int col, long long minor, const char *currency);
/* Ends the current row (the header's, then each one's). */
void xlsx_row_end(struct xlsx *x);
/* Ends the last sheet and writes the file; frees x.  APP_INTERNAL when the
 * file could not be written (its partial file removed). */
MUST_CHECK enum app_err xlsx_close(struct xlsx *x);
/* Ends a workbook of xlsx_new_temp: the file's bytes at the end of out,
 * the file removed; frees x.  APP_INTERNAL when it could not be written or
 * read. */
MUST_CHECK enum app_err xlsx_close_into(struct xlsx *x, struct buf *out);
/* Frees x without writing a file (after an error elsewhere). */
void xlsx_abandon(struct xlsx *x);

#endif
