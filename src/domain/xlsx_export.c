/* xlsx_export.c — see xlsx_export.h: table.h's walk written as a sheet (tab.h, xlsx.h). */
#define _POSIX_C_SOURCE 200809L
#include "xlsx_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "table.h"
#include "xalloc.h"
#include "xlsx.h"
#include "banned.h"

enum app_err xlsx_export_file(struct store *st, const struct query *q, enum lang lang, bool hxl, const char *path)
{
	const char *dir = getenv("TMPDIR");
	struct xlsx *x = xlsx_new(path, dir && *dir ? dir : NULL);
	if (!x)
		return APP_INTERNAL;
	enum app_err rc = xlsx_sheet(x, tr(lang, q->e->label_plural), lang == LANG_AR);
	struct tab *t = tab_sheet(x);
	if (!rc)
		rc = table_walk(st, q, lang, hxl, t);
	tab_free(t);
	if (rc) {
		xlsx_abandon(x);
		return rc;
	}
	return xlsx_close(x);
}

enum app_err xlsx_export(struct store *st, const struct query *q, enum lang lang, bool hxl, const char *tmpdir,
			 struct buf *out)
{
	const char *env = getenv("TMPDIR");
	char *path = xasprintf("%s/suivi-export-XXXXXX", tmpdir ? tmpdir : env && *env ? env : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		free(path);
		return APP_INTERNAL;
	}
	close(fd);
	enum app_err rc = xlsx_export_file(st, q, lang, hxl, path);
	FILE *f = rc ? NULL : fopen(path, "rb");
	if (!rc && (!f || !buf_add_file(out, f)))
		rc = APP_INTERNAL;
	if (f)
		fclose(f);
	unlink(path);
	free(path);
	return rc;
}
