/* xlsx_export.c — see xlsx_export.h: table.h's walk written as a sheet (tab.h, xlsx.h). */
#include "xlsx_export.h"

#include "table.h"
#include "xlsx.h"
#include "banned.h"

/* The sheet of q's records into x; frees x, writing the file unless it failed
 * (into out when out, for a workbook of xlsx_new_temp). */
static enum app_err write_book(struct xlsx *x, struct store *st, const struct query *q, enum lang lang, bool hxl,
			       struct buf *out)
{
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
	return out ? xlsx_close_into(x, out) : xlsx_close(x);
}

enum app_err xlsx_export_file(struct store *st, const struct query *q, enum lang lang, bool hxl, const char *path)
{
	return write_book(xlsx_new(path), st, q, lang, hxl, NULL);
}

enum app_err xlsx_export(struct store *st, const struct query *q, enum lang lang, bool hxl, struct buf *out)
{
	return write_book(xlsx_new_temp(), st, q, lang, hxl, out);
}
