/* csv.h — CSV export of a collection, driven by the registry. */
#ifndef SUIVI_CSV_H
#define SUIVI_CSV_H
#include "buf.h"
#include "store.h"

/* Writes every record matching q (limit and offset are ignored), with the
 * columns q->viewer may see, as CSV:
 * UTF-8, a header row of column names (multilingual fields as NAME_fr,
 * NAME_en, NAME_ar; sets of references joined with ';'), CRLF line ends as
 * RFC 4180 and spreadsheets expect. */
enum app_err csv_export(struct store *st, const struct query *q, struct buf *out);

#endif
