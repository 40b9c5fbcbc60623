/* fuzz_import.c — libFuzzer target: the input as a CSV file imported into a
 * collection of a real SQLite database holding the demo, the way a file
 * exported and edited comes back (import.h: rows with an id update their
 * record, a version that is not the record's is refused).  The first byte
 * chooses the collection (actions, needs, persons, sessions) and whether it
 * is a dry run.  Whatever the bytes, the import answers APP_OK or
 * APP_INVALID (never crashes), and a refused file or a dry run changes
 * nothing: every record of the collection, versions and times included, is
 * as before (store_fingerprint). */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "demo_app.h"
#include "entity.h"
#include "imports.h"
#include "store.h"

static struct app app;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_demo_app(&app);
	return 0;
}

static void on_error(void *ctx, const struct import_err *e)
{
	(void)ctx;
	if (e->line < 1 || !e->msgid)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static const enum ent_id collections[] = { ENT_ACTION, ENT_NEED, ENT_PERSON, ENT_SESSION };
	const struct entity *e = ent_get(collections[data[0] & 3]);
	bool dry = data[0] & 4;
	unsigned long long h0, h1;
	long long n0, n1;
	if (store_fingerprint(app.store, e, &h0, &n0))
		abort();
	struct import_opts o = { .name = "fuzz.csv", .on_error = on_error, .dry_run = dry };
	struct csvin *in = csvin_new_mem((const char *)data + 1, size - 1, NULL);
	struct import_result res;
	enum app_err rc = import_any(&app, e, in, &o, &res, NULL);
	csvin_free(in);
	if (rc != APP_OK && rc != APP_INVALID)
		abort();
	if (store_fingerprint(app.store, e, &h1, &n1))
		abort(); /* the store must answer: the import left it usable */
	if ((rc == APP_INVALID || dry) && (h1 != h0 || n1 != n0))
		abort(); /* nothing written by a refused file or a dry run */
	if (rc == APP_INVALID && res.errors < 1)
		abort();
	return 0;
}
