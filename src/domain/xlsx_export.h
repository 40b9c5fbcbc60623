/* xlsx_export.h — a collection as a spreadsheet (XLSX): table.h's columns,
 * the same as the CSV's (so that a file comes back as an import), with typed
 * cells, one sheet named by the collection in lang, right to left in
 * Arabic. */
#ifndef SUIVI_XLSX_EXPORT_H
#define SUIVI_XLSX_EXPORT_H
#include "buf.h"
#include "store.h"

#define XLSX_CONTENT_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Writes every record matching q (limit and offset are ignored), with the
 * columns q->viewer may see, as an XLSX file at path (hxl: table.h). */
MUST_CHECK enum app_err xlsx_export_file(struct store *st, const struct query *q, enum lang lang, bool hxl,
			      const char *path);
/* The same into out, through a temporary file removed after. */
MUST_CHECK enum app_err xlsx_export(struct store *st, const struct query *q, enum lang lang, bool hxl, struct buf *out);

#endif
