/* tab.c — see tab.h. */
#include "tab.h"

#include <stdio.h>
#include <stdlib.h>

#include "xalloc.h"
#include "banned.h"

struct tab {
	struct buf *csv;   /* or */
	struct xlsx *sheet;
	enum tab_kind *kinds;
	int ncols, col;    /* the header's columns; the next cell's */
};

static struct tab *tab_new(struct buf *csv, struct xlsx *sheet)
{
	struct tab *t = xcalloc(1, sizeof *t);
	t->csv = csv;
	t->sheet = sheet;
	return t;
}

struct tab *tab_csv(struct buf *out)
{
	return tab_new(out, NULL);
}

struct tab *tab_sheet(struct xlsx *x)
{
	return tab_new(NULL, x);
}

void tab_free(struct tab *t)
{
	if (!t)
		return;
	free(t->kinds);
	free(t);
}

static enum xlsx_kind sheet_kind(enum tab_kind k)
{
	static const enum xlsx_kind kinds[] = { [TAB_TEXT] = XLSX_TEXT, [TAB_VALUE] = XLSX_TEXT,
						[TAB_NUMBER] = XLSX_NUMBER, [TAB_DATE] = XLSX_DATE,
						[TAB_TIME] = XLSX_TIME, [TAB_BOOL] = XLSX_BOOL };
	return kinds[k];
}

void tab_column(struct tab *t, const char *name, enum tab_kind kind)
{
	t->kinds = xrealloc(t->kinds, (size_t)(t->ncols + 1) * sizeof *t->kinds);
	t->kinds[t->ncols] = kind;
	if (t->csv) {
		if (t->ncols)
			buf_addc(t->csv, ',');
		buf_csv(t->csv, name);
	} else {
		xlsx_column(t->sheet, t->ncols, name, sheet_kind(kind));
	}
	t->ncols++;
}

/* The next cell, of kind. */
static void cell_of_kind(struct tab *t, const char *s, enum tab_kind kind)
{
	int c = t->col++;
	if (t->csv) {
		if (c)
			buf_addc(t->csv, ',');
		(kind == TAB_TEXT ? buf_csv : buf_csv_value)(t->csv, s);
	} else {
		xlsx_cell(t->sheet, c, s, sheet_kind(kind));
	}
}

void tab_money(struct tab *t, const char *text, long long minor, const char *currency)
{
	if (t->csv)
		cell_of_kind(t, text, TAB_TEXT);
	else
		xlsx_money(t->sheet, t->col++, minor, currency);
}

void tab_cell(struct tab *t, const char *s)
{
	cell_of_kind(t, s, t->col < t->ncols ? t->kinds[t->col] : TAB_TEXT);
}

void tab_tag(struct tab *t, const char *s)
{
	cell_of_kind(t, s, TAB_VALUE); /* (a hashtag is no formula: "#" is not guarded) */
}

void tab_header(struct tab *t, const struct tab_col *cols, size_t n, bool hxl)
{
	for (size_t k = 0; k < n; k++)
		tab_column(t, cols[k].name, cols[k].kind);
	tab_row_end(t);
	for (size_t k = 0; hxl && k < n; k++)
		tab_tag(t, cols[k].hxl);
	if (hxl)
		tab_row_end(t);
}

void tab_int(struct tab *t, long long v)
{
	char s[24];
	snprintf(s, sizeof s, "%lld", v);
	tab_cell(t, s);
}

void tab_row_end(struct tab *t)
{
	if (t->csv)
		buf_adds(t->csv, "\r\n");
	else
		xlsx_row_end(t->sheet);
	t->col = 0;
}
