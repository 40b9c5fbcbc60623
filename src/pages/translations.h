/* translations.h — the texts left to translate (issue 14, item 5): for
 * staff, the records whose multilingual texts (FT_I18N fields) are given in
 * one language and missing in another, per collection, with a link to the
 * form that fills them in.  Driven by the registry: every collection with
 * such a field is listed, none is named in code.
 *
 * Routes: GET /translations (?missing=fr|en|ar, ?collection=PLURAL, and with
 * a collection ?offset=N), and the same as JSON, GET /api/v1/translations
 * (and ?limit=N: records per collection): for each collection its records'
 * keys, labels and missing languages per field, with the total.  Their
 * rights are the route table's (staff). */
#ifndef SUIVI_TRANSLATIONS_H
#define SUIVI_TRANSLATIONS_H
#include "route.h"

route_fn translations_page, translations_api;

#endif
