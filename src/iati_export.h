/* iati_export.h — the programmes as an IATI activity file, ready to write:
 * what the store holds (store_iati_load) with the actual values of computed
 * indicators taken from the training records (results.h). */
#ifndef SUIVI_IATI_EXPORT_H
#define SUIVI_IATI_EXPORT_H
#include "app.h"
#include "iati.h"

/* Fills d (freed with iati_doc_free) with every programme. */
enum app_err iati_export_load(struct app *app, struct iati_doc *d);

#endif
