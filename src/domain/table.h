/* table.h — a collection as a table, driven by the registry: the columns a
 * reader may see and every matching record's cells, typed, written to a
 * tab.h table (csv.c: as CSV; xlsx_export.c: as a spreadsheet).  One walk,
 * so that the formats cannot disagree on the columns:
 *
 *   each visible field (a multilingual one as NAME_fr, NAME_en, NAME_ar;
 *   a set of references joined with ';'), with beside the key a column
 *   `label` (the record's label) and beside each reference NAME a column
 *   NAME_label (what it names, "#KEY" when the reader may not see it),
 *   in lang; then version, created_at, updated_at.
 *
 * With hxl, a row under the header holds each column's Humanitarian
 * Exchange Language hashtag (entity.h: field.hxl), so that humanitarian
 * data tools read the file as it is; the imports skip it. */
#ifndef SUIVI_TABLE_H
#define SUIVI_TABLE_H
#include <stdbool.h>

#include "err.h"
#include "i18n.h"
#include "store.h"
#include "tab.h"

/* Writes every record matching q (limit and offset are ignored) with the
 * columns q->viewer may see into t, header first. */
MUST_CHECK enum app_err table_walk(struct store *st, const struct query *q, enum lang lang, bool hxl,
			struct tab *t);

#endif
