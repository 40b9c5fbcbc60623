/* csv.h — CSV export of a collection, driven by the registry. */
#ifndef SUIVI_CSV_H
#define SUIVI_CSV_H
#include "buf.h"
#include "store.h"

/* Writes every record matching q (limit and offset are ignored), with the
 * columns q->viewer may see, as CSV:
 * UTF-8, a header row of column names (multilingual fields as NAME_fr,
 * NAME_en, NAME_ar; sets of references joined with ';'), CRLF line ends as
 * RFC 4180 and spreadsheets expect.  Beside the key, a column `label` of
 * each record's label, and beside each reference NAME, NAME_label: the
 * label of what it names (label.h), in lang. */
MUST_CHECK enum app_err csv_export(struct store *st, const struct query *q, enum lang lang, bool hxl, struct buf *out);

#endif
