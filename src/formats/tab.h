/* tab.h — a table written cell by cell, row by row, as CSV or as a sheet of a
 * spreadsheet (xlsx.h): the same calls for both, so that a page's CSV file
 * and its XLSX twin cannot disagree on a column.
 *
 * The header comes first (tab_column for each column, then tab_row_end);
 * each cell then takes its column's kind: in a CSV, text is guarded against
 * being run as a formula (buf_csv) and the other kinds are written as they
 * are; in a sheet, numbers, dates, times and yes/no are typed cells. */
#ifndef SUIVI_TAB_H
#define SUIVI_TAB_H
#include "buf.h"
#include "xlsx.h"

enum tab_kind {
	TAB_TEXT,   /* text someone typed, a code, a label */
	TAB_VALUE,  /* one of the registry's values, a list of numbers: not guarded */
	TAB_NUMBER, /* a number */
	TAB_DATE,   /* YYYY-MM-DD */
	TAB_TIME,   /* YYYY-MM-DDTHH:MM:SSZ */
	TAB_BOOL,   /* "true" or "false" */
};

struct tab;

/* A table written as CSV (CRLF line ends, RFC 4180) at the end of out. */
struct tab *tab_csv(struct buf *out);
/* A table written into the sheet x has begun (xlsx_sheet). */
struct tab *tab_sheet(struct xlsx *x);
void tab_free(struct tab *t);

/* A column of a table known in advance. */
struct tab_col {
	const char *name;
	enum tab_kind kind;
	const char *hxl; /* its HXL hashtag, or NULL */
};

/* The header from cols, ended, and when hxl the row of their HXL hashtags
 * under it (the imports skip such a row). */
void tab_header(struct tab *t, const struct tab_col *cols, size_t n, bool hxl);
/* The next column of the header. */
void tab_column(struct tab *t, const char *name, enum tab_kind kind);
/* The next cell of the row, of its column's kind; s NULL: empty. */
void tab_cell(struct tab *t, const char *s);
/* A cell written as text whatever its column's kind (an HXL hashtag). */
void tab_tag(struct tab *t, const char *s);
/* The same for a whole number. */
void tab_int(struct tab *t, long long v);
/* An amount of money: as text (its written form, money.h) in a CSV, as a
 * number in its currency's format in a sheet (xlsx_money). */
void tab_money(struct tab *t, const char *text, long long minor, const char *currency);
/* Ends the header, or a row. */
void tab_row_end(struct tab *t);

#endif
