/* xlsx_export.c — see xlsx_export.h: table.h's walk written by xlsx.h. */
#define _POSIX_C_SOURCE 200809L
#include "xlsx_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "table.h"
#include "xalloc.h"
#include "xlsx.h"
#include "banned.h"

static enum xlsx_kind kind_of(enum tcell t)
{
	static const enum xlsx_kind kinds[] = { [TCELL_TEXT] = XLSX_TEXT, [TCELL_VALUE] = XLSX_TEXT,
						[TCELL_INT] = XLSX_NUMBER, [TCELL_DATE] = XLSX_DATE,
						[TCELL_TIME] = XLSX_TIME, [TCELL_BOOL] = XLSX_BOOL };
	return kinds[t];
}

static void sheet_column(void *ctx, int i, const char *name, enum tcell type)
{
	xlsx_column(ctx, i, name, kind_of(type));
}

static void sheet_cell(void *ctx, int i, const char *s, enum tcell type)
{
	xlsx_cell(ctx, i, s, kind_of(type));
}

static enum app_err sheet_row_end(void *ctx)
{
	xlsx_row_end(ctx);
	return APP_OK;
}

enum app_err xlsx_export_file(struct store *st, const struct query *q, enum lang lang, const char *path)
{
	const char *dir = getenv("TMPDIR");
	struct xlsx *x = xlsx_new(path, dir && *dir ? dir : NULL);
	if (!x)
		return APP_INTERNAL;
	enum app_err rc = xlsx_sheet(x, tr(lang, q->e->label_plural), lang == LANG_AR);
	const struct table_sink sink = { .column = sheet_column, .cell = sheet_cell, .row_end = sheet_row_end,
					 .ctx = x };
	if (!rc)
		rc = table_walk(st, q, lang, &sink);
	if (rc) {
		xlsx_abandon(x);
		return rc;
	}
	return xlsx_close(x);
}

enum app_err xlsx_export(struct store *st, const struct query *q, enum lang lang, const char *tmpdir, struct buf *out)
{
	const char *env = getenv("TMPDIR");
	char *path = xasprintf("%s/suivi-export-XXXXXX", tmpdir ? tmpdir : env && *env ? env : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		free(path);
		return APP_INTERNAL;
	}
	close(fd);
	enum app_err rc = xlsx_export_file(st, q, lang, path);
	FILE *f = rc ? NULL : fopen(path, "rb");
	if (!rc && (!f || !buf_add_file(out, f)))
		rc = APP_INTERNAL;
	if (f)
		fclose(f);
	unlink(path);
	free(path);
	return rc;
}
