/* imports.h — which CSV import a collection takes: the needs' (import.h,
 * with its words for spreadsheets' columns), the participants' and the
 * enrolments' (training_import.h: people found by name), or the engine's
 * plain one on the fields' names (import_collection) for any other.  The
 * command line, the API and the pages call this one. */
#ifndef SUIVI_IMPORTS_H
#define SUIVI_IMPORTS_H

#include "import.h"
#include "training_import.h"

/* Imports `in` into collection e (import_may_collection).  *t (may be
 * NULL) receives the training imports' own counts (zero for the others);
 * *res the counts every import has.  APP_METHOD for a collection that
 * cannot be imported. */
MUST_CHECK enum app_err import_any(struct app *app, const struct entity *e, struct csvin *in,
			const struct import_opts *o, struct import_result *res, struct timport_result *t);

#endif
