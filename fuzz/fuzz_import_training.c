/* fuzz_import_training.c — libFuzzer target: the input as a participants or
 * an enrolments CSV file (its first byte chooses) imported into a real
 * SQLite database holding the reference data and the sample training
 * records.  Whatever the bytes, the import must answer APP_OK or
 * APP_INVALID (never crash, never half-write): after a refused file the
 * counts of participants and enrolments are unchanged, every problem has a
 * line and a message, and the dashboard's summaries stay consistent. */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "demo_app.h"
#include "entity.h"
#include "store.h"
#include "store_tsum.h"
#include "training_import.h"

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
	enum timport_kind kind = data[0] & 1 ? TIMPORT_ENROLMENTS : TIMPORT_PARTICIPANTS;
	long long p0, e0, p1, e1;
	if (store_count(app.store, ENT(PARTICIPANT), &p0) || store_count(app.store, ENT(ENROLMENT), &e0))
		abort();
	struct import_opts o = { .name = "fuzz.csv", .on_error = on_error };
	struct csvin *in = csvin_new_mem((const char *)data + 1, size - 1, NULL);
	struct timport_result res;
	enum app_err rc = import_training(&app, kind, in, &o, &res);
	csvin_free(in);
	if (rc != APP_OK && rc != APP_INVALID)
		abort();
	if (store_count(app.store, ENT(PARTICIPANT), &p1) || store_count(app.store, ENT(ENROLMENT), &e1))
		abort(); /* the store must answer: the import left it usable */
	if (rc == APP_INVALID && (p1 != p0 || e1 != e0 || res.errors < 1))
		abort();
	if (rc == APP_OK && kind == TIMPORT_ENROLMENTS && res.created) {
		long long diffs = 0, cells = 0;
		if (store_tsum_check(app.store, &diffs, &cells) || diffs)
			abort();
	}
	return 0;
}
