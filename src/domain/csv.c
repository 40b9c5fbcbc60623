/* csv.c — see csv.h: table.h's walk written as CSV. */
#include "csv.h"

#include "table.h"
#include "banned.h"

static void csv_column(void *ctx, int i, const char *name, enum tcell type)
{
	struct buf *out = ctx;
	(void)type;
	if (i)
		buf_addc(out, ',');
	buf_adds(out, name);
}

/* Text is guarded against being run as a formula; typed values are written
 * as they are: guarding them would turn the amount -12345 into the text
 * '-12345. */
static void csv_cell(void *ctx, int i, const char *s, enum tcell type)
{
	struct buf *out = ctx;
	if (i)
		buf_addc(out, ',');
	(type == TCELL_TEXT ? buf_csv : buf_csv_value)(out, s);
}

static enum app_err csv_row_end(void *ctx)
{
	buf_adds(ctx, "\r\n");
	return APP_OK;
}

enum app_err csv_export(struct store *st, const struct query *q, enum lang lang, struct buf *out)
{
	const struct table_sink sink = { .column = csv_column, .cell = csv_cell, .row_end = csv_row_end, .ctx = out };
	return table_walk(st, q, lang, &sink);
}
