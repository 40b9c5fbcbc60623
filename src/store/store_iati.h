/* store_iati.h — the programmes as an IATI activity file and back (the
 * SQL of the IATI export and import; iati.h is the file's form).
 *
 * Export: the programmes asked for (all, the published ones, a reader's),
 * sample ones too (they are the demo, and the file says which with
 * suivi:sample="1"), in id order.
 *
 * Import: all or nothing, in one transaction, and idempotent:
 * - a programme is matched by its iati-identifier.  An activity whose
 *   programme is new creates it with its links (implementer, donors,
 *   countries, themes), transactions and results; an activity whose
 *   programme exists adds only the transactions not recorded yet (the
 *   programme's own fields and results are the office's: not overwritten);
 * - a transaction's natural key is (programme, kind, date, amount,
 *   currency, reference): one with the key of a recorded one is that one;
 * - an organisation is matched by iati_ref, else by a name in any of the
 *   three languages; created when unknown.
 * Importing the same file twice writes nothing the second time (no rows,
 * no version bumps, no audit entries). */
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

struct iati_counts {
	long long programmes, programmes_seen, transactions, organisations, results;
};

/* Writes d (a parsed file) into the database, audited as actor's; what it
 * leaves out is added to d->skips.  source: the imported rows' `source`.
 * On an error nothing is written. */
MUST_CHECK enum app_err store_iati_save(struct store *st, struct iati_doc *d, const char *source, const char *actor,
			     struct iati_counts *out);

#endif
