/* store_iati.h — the SQL of the IATI export and of the import's reading
 * (iati.h is the file's form; iati_import.h the import).
 *
 * Export: the programmes asked for (all, the published ones, a reader's),
 * sample ones too (they are the demo, and the file says which with
 * suivi:sample="1"), in id order. */
#ifndef SUIVI_STORE_IATI_H
#define SUIVI_STORE_IATI_H
#include "err.h"
#include "iati.h"
#include "store.h"

struct store;

/* Reads into *d (zeroed first) the programmes that the list query
 * `programmes` selects (its filters and its reader's scope: the published
 * ones, a donor's funded ones; NULL: every programme) with what hangs from
 * them, and the reporting organisation: the organisation whose acronym is
 * UNOCT (its iati_ref, or $SUIVI_IATI_REF, else "SUIVI" when it has none). */
MUST_CHECK enum app_err store_iati_load(struct store *st, const struct query *programmes, struct iati_doc *d);

/* ---- the import's reading (its writes go through the domain: iati_import.h),
 * on the calling thread's connection (inside the import's transaction) ---- */

/* fn for each organisation, in id order: id, iati_ref, name_fr, name_en, name_ar. */
MUST_CHECK enum app_err store_iati_orgs(struct store *st, row_fn fn, void *ctx);
/* fn for each key of e's records (a country's code, a theme's): one column. */
MUST_CHECK enum app_err store_iati_codes(struct store *st, const struct entity *e, row_fn fn, void *ctx);
/* The number of the programme whose iati_identifier is identifier; 0 when none. */
MUST_CHECK enum app_err store_iati_programme(struct store *st, const char *identifier, long long *id);
/* fn for each transaction of programme: kind, date, amount, currency, reference
 * (its natural key). */
MUST_CHECK enum app_err store_iati_txn_keys(struct store *st, long long programme, row_fn fn, void *ctx);

#endif
