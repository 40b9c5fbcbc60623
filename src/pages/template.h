/* template.h — the workbook an import is filled in, for each collection an
 * import reads (GET /{collection}/import/template.xlsx, the import pages'
 * link): a sheet named by the collection whose header holds the columns
 * the import reads, each with a note in the reader's language (what it is,
 * whether it is required, how to write it) and, for a set of values or of
 * countries and themes, a drop-down of them in the first 1000 rows; and a
 * sheet "Codes" listing every such value, and the records a reference by
 * number may name that the reader may read, with their names.  Right to
 * left in Arabic.  Filled in and imported, it is any other workbook. */
#ifndef SUIVI_TEMPLATE_H
#define SUIVI_TEMPLATE_H
#include "buf.h"
#include "entity.h"
#include "err.h"
#include "route.h"

/* The template of e for req's reader, at the end of out. */
MUST_CHECK enum app_err template_xlsx(struct request *req, const struct entity *e, struct buf *out);
/* GET /{collection}/import/template.xlsx. */
void template_page(struct request *req, struct response *resp);

#endif
