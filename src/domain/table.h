/* table.h — a collection as a table, driven by the registry: the columns a
 * reader may see and every matching record's cells, typed, written to a
 * tab.h table (csv.c: as CSV; xlsx_export.c: as a spreadsheet).  One walk,
 * so that the formats cannot disagree on the columns:
 *
 *   each visible field (a multilingual one as NAME_fr, NAME_en, NAME_ar;
 *   a set of references joined with ';'), with beside the key a column
 *   `label` (the record's label) and beside each reference NAME a column
 *   NAME_label (what it names, "#KEY" when the reader may not see it),
 *   in lang; then version, created_at, updated_at. */
#ifndef SUIVI_TABLE_H
#define SUIVI_TABLE_H
#include "err.h"
#include "i18n.h"
#include "store.h"
#include "tab.h"

/* Writes every record matching q (limit and offset are ignored) with the
 * columns q->viewer may see into t, header first. */
MUST_CHECK enum app_err table_walk(struct store *st, const struct query *q, enum lang lang, struct tab *t);

#endif
