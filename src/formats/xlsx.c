/* xlsx.c — see xlsx.h. */
#define _POSIX_C_SOURCE 200809L
#include "xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "money.h"
#include "xalloc.h"
#include "banned.h"

#define SHEET_NAME_MAX 31
#define CELL_TEXT_MAX 32767 /* what a cell may hold, in bytes as libxlsxwriter counts */
#define NUMBER_FORMATS 32   /* a report's few: percentages and each currency's amounts */

struct xlsx {
	lxw_workbook *book;
	lxw_worksheet *sheet;
	lxw_format *bold, *date, *time;
	struct {
		char *spec;
		lxw_format *format;
	} formats[NUMBER_FORMATS]; /* those of xlsx_number, made on first use */
	int nformats;
	char *path;
	unsigned row;  /* the current row */
	int ncols;     /* the header's */
	bool failed;   /* a write was refused */
};

/* Where temporary files go: $TMPDIR, else the system's. */
static const char *temp_dir(void)
{
	const char *dir = getenv("TMPDIR");
	return dir && *dir ? dir : NULL;
}

static struct xlsx *open_book(const char *path, bool constant_memory)
{
	lxw_workbook_options o = { .constant_memory = constant_memory, .tmpdir = (char *)temp_dir() };
	lxw_workbook *book = workbook_new_opt(path, &o);
	if (!book)
		return NULL;
	struct xlsx *x = xcalloc(1, sizeof *x);
	x->book = book;
	x->path = xstrdup(path);
	x->bold = workbook_add_format(book);
	format_set_bold(x->bold);
	x->date = workbook_add_format(book);
	format_set_num_format(x->date, "yyyy-mm-dd");
	x->time = workbook_add_format(book);
	format_set_num_format(x->time, "yyyy-mm-dd hh:mm:ss");
	return x;
}

struct xlsx *xlsx_new(const char *path)
{
	return open_book(path, true);
}

/* Ends the sheet being written: the filter over its table. */
static void end_sheet(struct xlsx *x)
{
	if (x->sheet && x->ncols && x->row > 1)
		x->failed |= worksheet_autofilter(x->sheet, 0, 0, x->row - 1, (lxw_col_t)(x->ncols - 1)) != LXW_NO_ERROR;
	x->sheet = NULL;
}

static struct xlsx *new_temp(bool constant_memory)
{
	char *path = xasprintf("%s/suivi-xlsx-XXXXXX", temp_dir() ? temp_dir() : "/tmp");
	int fd = mkstemp(path);
	struct xlsx *x = NULL;
	if (fd >= 0) {
		close(fd);
		x = open_book(path, constant_memory);
		if (!x)
			unlink(path);
	}
	free(path);
	return x;
}

struct xlsx *xlsx_new_temp(void)
{
	return new_temp(true);
}

struct xlsx *xlsx_new_form(void)
{
	return new_temp(false);
}

void xlsx_note(struct xlsx *x, int col, const char *text)
{
	lxw_comment_options o = { .width = 360, .height = 120 };
	x->failed |= worksheet_write_comment_opt(x->sheet, 0, (lxw_col_t)col, text, &o) != LXW_NO_ERROR;
}

/* The data validation of rows 2 to rows + 1 of column col. */
static void validate(struct xlsx *x, int col, unsigned rows, lxw_data_validation *v)
{
	x->failed |= worksheet_data_validation_range(x->sheet, 1, (lxw_col_t)col, (lxw_row_t)rows,
						     (lxw_col_t)col, v) != LXW_NO_ERROR;
}

void xlsx_choices(struct xlsx *x, int col, unsigned rows, const char *range, const char *title,
		  const char *message)
{
	lxw_data_validation v = { .validate = LXW_VALIDATION_TYPE_LIST_FORMULA,
				  .value_formula = (char *)range, .error_title = (char *)title,
				  .error_message = (char *)message };
	validate(x, col, rows, &v);
}

void xlsx_choices_of(struct xlsx *x, int col, unsigned rows, const char *const *values, const char *title,
		     const char *message)
{
	lxw_data_validation v = { .validate = LXW_VALIDATION_TYPE_LIST, .value_list = (char **)values,
				  .error_title = (char *)title, .error_message = (char *)message };
	validate(x, col, rows, &v);
}

static enum app_err begin_sheet(struct xlsx *x, const char *name, bool rtl, bool table)
{
	end_sheet(x);
	char clean[4 * SHEET_NAME_MAX + 1];
	size_t n = 0;
	int chars = 0;
	for (const unsigned char *s = (const unsigned char *)name; *s && n + 4 < sizeof clean; s++) {
		if ((*s & 0xC0) != 0x80 && ++chars > SHEET_NAME_MAX)
			break;
		clean[n++] = strchr("[]:*?/\\", *s) ? '-' : (char)*s;
	}
	clean[n] = '\0';
	x->sheet = workbook_add_worksheet(x->book, n ? clean : NULL);
	if (!x->sheet)
		return APP_INTERNAL;
	if (rtl)
		worksheet_right_to_left(x->sheet);
	if (table)
		worksheet_freeze_panes(x->sheet, 1, 0);
	x->row = 0;
	x->ncols = 0;
	return APP_OK;
}

enum app_err xlsx_sheet(struct xlsx *x, const char *name, bool rtl)
{
	return begin_sheet(x, name, rtl, true);
}

enum app_err xlsx_text_sheet(struct xlsx *x, const char *name, bool rtl)
{
	return begin_sheet(x, name, rtl, false);
}

static double width_of(const char *name, enum xlsx_kind kind)
{
	static const double widths[] = { [XLSX_TEXT] = 28, [XLSX_NUMBER] = 10, [XLSX_DATE] = 12,
					 [XLSX_TIME] = 20, [XLSX_BOOL] = 8 };
	double w = widths[kind], h = (double)strlen(name) + 3;
	return h > w ? h : w;
}

void xlsx_column(struct xlsx *x, int col, const char *name, enum xlsx_kind kind)
{
	worksheet_set_column(x->sheet, (lxw_col_t)col, (lxw_col_t)col, width_of(name, kind), NULL);
	x->failed |= worksheet_write_string(x->sheet, 0, (lxw_col_t)col, name, x->bold) != LXW_NO_ERROR;
	if (col + 1 > x->ncols)
		x->ncols = col + 1;
}

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS…" as a spreadsheet date; false when
 * s is neither. */
static bool datetime(const char *s, bool time, lxw_datetime *out)
{
	*out = (lxw_datetime){ 0 };
	int end = 0;
	if (!time)
		return sscanf(s, "%4d-%2d-%2d%n", &out->year, &out->month, &out->day, &end) == 3 && !s[end];
	int sec = 0;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &out->year, &out->month, &out->day, &out->hour, &out->min,
		   &sec) != 6)
		return false;
	out->sec = sec;
	return true;
}

/* Text cut to what a cell may hold, at a character's start. */
static lxw_error write_text(struct xlsx *x, lxw_col_t col, const char *s)
{
	size_t n = strlen(s);
	if (n <= CELL_TEXT_MAX)
		return worksheet_write_string(x->sheet, x->row, col, s, NULL);
	n = CELL_TEXT_MAX;
	while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	char *cut = xstrndup(s, n);
	lxw_error e = worksheet_write_string(x->sheet, x->row, col, cut, NULL);
	free(cut);
	return e;
}

void xlsx_cell(struct xlsx *x, int col, const char *s, enum xlsx_kind kind)
{
	if (!s || !*s)
		return;
	lxw_col_t c = (lxw_col_t)col;
	lxw_datetime dt;
	char *end;
	double num;
	lxw_error e;
	switch (kind) {
	case XLSX_NUMBER:
		num = strtod(s, &end);
		e = *end ? write_text(x, c, s) : worksheet_write_number(x->sheet, x->row, c, num, NULL);
		break;
	case XLSX_DATE:
	case XLSX_TIME:
		e = datetime(s, kind == XLSX_TIME, &dt)
			    ? worksheet_write_datetime(x->sheet, x->row, c, &dt, kind == XLSX_TIME ? x->time : x->date)
			    : write_text(x, c, s);
		break;
	case XLSX_BOOL:
		e = worksheet_write_boolean(x->sheet, x->row, c, strcmp(s, "true") == 0, NULL);
		break;
	default:
		e = write_text(x, c, s);
	}
	x->failed |= e != LXW_NO_ERROR;
}

/* The workbook's format of number format spec (made on first use; past
 * NUMBER_FORMATS of them, NULL: the number shown as it is). */
static lxw_format *number_format(struct xlsx *x, const char *spec)
{
	for (int i = 0; i < x->nformats; i++)
		if (strcmp(x->formats[i].spec, spec) == 0)
			return x->formats[i].format;
	if (x->nformats == NUMBER_FORMATS)
		return NULL;
	lxw_format *f = workbook_add_format(x->book);
	format_set_num_format(f, spec);
	x->formats[x->nformats].spec = xstrdup(spec);
	x->formats[x->nformats++].format = f;
	return f;
}

void xlsx_number(struct xlsx *x, int col, double v, const char *fmt)
{
	lxw_format *f = fmt ? number_format(x, fmt) : NULL;
	x->failed |= worksheet_write_number(x->sheet, x->row, (lxw_col_t)col, v, f) != LXW_NO_ERROR;
}

void xlsx_decimal(struct xlsx *x, int col, long long scaled, int dec, const char *whole, const char *suffix)
{
	dec = dec < 0 ? 0 : dec > 3 ? 3 : dec;
	char fmt[64];
	snprintf(fmt, sizeof fmt, "%s%s%.*s%s", whole, dec ? "." : "", dec, "000", suffix);
	double v = (double)scaled / (dec == 3 ? 1000.0 : dec == 2 ? 100.0 : dec == 1 ? 10.0 : 1.0);
	xlsx_number(x, col, strcmp(suffix, "%") == 0 ? v / 100.0 : v, fmt);
}

void xlsx_money(struct xlsx *x, int col, long long minor, const char *currency)
{
	char code[16] = "";
	if (currency && strlen(currency) == 3)
		snprintf(code, sizeof code, " \"%s\"", currency);
	xlsx_decimal(x, col, minor, money_decimals(currency), "#,##0", code);
}

void xlsx_row_end(struct xlsx *x)
{
	x->row++;
}

enum app_err xlsx_close(struct xlsx *x)
{
	end_sheet(x);
	bool ok = workbook_close(x->book) == LXW_NO_ERROR && !x->failed;
	if (!ok)
		unlink(x->path);
	for (int i = 0; i < x->nformats; i++)
		free(x->formats[i].spec);
	free(x->path);
	free(x);
	return ok ? APP_OK : APP_INTERNAL;
}

enum app_err xlsx_close_into(struct xlsx *x, struct buf *out)
{
	char *path = xstrdup(x->path);
	enum app_err rc = xlsx_close(x);
	FILE *f = rc ? NULL : fopen(path, "rb");
	if (!rc && (!f || !buf_add_file(out, f)))
		rc = APP_INTERNAL;
	if (f)
		fclose(f);
	unlink(path);
	free(path);
	return rc;
}

void xlsx_abandon(struct xlsx *x)
{
	char *path = xstrdup(x->path);
	err_ignore(xlsx_close(x)); /* (the file is not wanted: its fate does not matter) */
	unlink(path);
	free(path);
}
