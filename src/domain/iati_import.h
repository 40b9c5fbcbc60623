/* iati_import.h — an IATI activity file (iati.h: parsed) into programmes,
 * through the write path's batch form (batch.h): each record it makes is
 * checked as any create of it is, and audited as imports are (one entry
 * per entity written).
 *
 * All or nothing, in one transaction, and idempotent:
 * - a programme is matched by its iati-identifier.  An activity whose
 *   programme is new creates it with its links (implementer, donors,
 *   countries, themes), transactions and results; an activity whose
 *   programme exists adds only the transactions not recorded yet (the
 *   programme's own fields and results are the office's: not overwritten);
 * - a transaction's natural key is (programme, kind, date, amount,
 *   currency, reference): one with the key of a recorded one is that one;
 * - an organisation is matched by iati_ref, else by a name in any of the
 *   three languages; created when unknown;
 * - a record that a create would refuse is left out, with the first
 *   problem in the words of any create (and what hangs from it with it).
 * Importing the same file twice writes nothing the second time (no rows,
 * no version bumps, no audit entries). */
#ifndef SUIVI_IATI_IMPORT_H
#define SUIVI_IATI_IMPORT_H
#include "app.h"
#include "auth.h"
#include "iati.h"

struct iati_counts {
	long long programmes, programmes_seen, transactions, organisations, results;
};

/* Writes d (a parsed file) into the database as who (NULL: the command
 * line, app->actor); what it leaves out is added to d->skips.  source: the
 * imported rows' `source`.  On an error nothing is written. */
MUST_CHECK enum app_err iati_import(struct app *app, struct iati_doc *d, const char *source, const struct principal *who,
			 struct iati_counts *out);

#endif
