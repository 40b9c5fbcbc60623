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

void tab_cell(struct tab *t, const char *s)
{
	int c = t->col++;
	enum tab_kind kind = c < t->ncols ? t->kinds[c] : TAB_TEXT;
	if (t->csv) {
		if (c)
			buf_addc(t->csv, ',');
		(kind == TAB_TEXT ? buf_csv : buf_csv_value)(t->csv, s);
	} else {
		xlsx_cell(t->sheet, c, s, sheet_kind(kind));
	}
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
