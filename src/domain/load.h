/* load.h — data files: the reference data (`suivi init`) and the demo
 * (`suivi demo`), embedded in the binary and loaded through the same
 * validation as the API. */
#ifndef SUIVI_LOAD_H
#define SUIVI_LOAD_H
#include <stddef.h>

#include "app.h"
#include "err.h"

/* Loads a data file: a JSON object mapping collection names to arrays of
 * records, all in one transaction (all or nothing).  Records whose key
 * already exists are skipped, so loading twice changes nothing.  Prints
 * one line per problem to stderr; *added counts the new records. */
MUST_CHECK enum app_err load_data(struct app *app, const char *name, const char *text, size_t len,
		       long long *added);
/* Loads an embedded data file by asset name ("data/countries.json"). */
MUST_CHECK enum app_err load_asset(struct app *app, const char *asset, long long *added);

#endif
