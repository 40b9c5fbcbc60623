/* csv.c — see csv.h: table.h's walk written as CSV (tab.h). */
#include "csv.h"

#include "table.h"
#include "banned.h"

enum app_err csv_export(struct store *st, const struct query *q, enum lang lang, bool hxl, struct buf *out)
{
	struct tab *t = tab_csv(out);
	enum app_err rc = table_walk(st, q, lang, hxl, t);
	tab_free(t);
	return rc;
}
