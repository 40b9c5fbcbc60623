/* iati_export.h — the programmes as an IATI activity file, ready to write:
 * what the store holds (store_iati_load) with the actual values of computed
 * indicators taken from the training records (results.h). */
#ifndef SUIVI_IATI_EXPORT_H
#define SUIVI_IATI_EXPORT_H
#include "app.h"
#include "iati.h"
#include "store.h"

/* Fills d (freed with iati_doc_free) with the programmes of the list query
 * `programmes` (NULL: every programme): store_iati_load. */
MUST_CHECK enum app_err iati_export_load(struct app *app, const struct query *programmes, struct iati_doc *d);
/* What the comment at the top of a file of every programme says (iati.h:
 * the note): it is not the public file. */
#define IATI_NOTE_ALL "every programme, published to IATI or not: not for publication"

/* The query of the programmes that staff published to IATI (the public
 * file's).  Release it with dom_query_release. */
void iati_published_query(struct query *q);

#endif
