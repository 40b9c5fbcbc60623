/* fuzz_record.c — libFuzzer target: a request body through rec_parse_body,
 * then rec_from_json for every entity of the registry in every mode.
 * Checks memory safety (ASan, UBSan, LeakSanitizer) and that the result
 * code agrees with the field errors. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "entity.h"
#include "i18n.h"
#include "record.h"
#include "registry.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	registry_init();
	i18n_init();
	return 0;
}

static void decode(const struct entity *e, json_t *obj, enum rec_mode mode)
{
	struct record r;
	struct ferrs errs = { 0 };
	rec_init(&r, e);
	enum app_err rc = rec_from_json(&r, obj, mode, &errs);
	if ((rc == APP_OK) != (errs.n == 0) || (rc && rc != APP_INVALID))
		abort();
	for (size_t i = 0; i < errs.n; i++) {
		struct buf b = BUF_INIT;
		ferrs_message(&errs, i, (enum lang)(i % LANG__MAX), &b);
		buf_release(&b);
	}
	ferrs_release(&errs);
	rec_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *obj;
	char *msg = NULL;
	if (rec_parse_body((const char *)data, size, &obj, &msg, NULL)) {
		if (!msg || obj)
			abort();
		free(msg);
		return 0;
	}
	static const enum rec_mode modes[] = { REC_CREATE, REC_PATCH, REC_LOAD };
	for (size_t i = 0; i < entities_count; i++)
		for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++)
			decode(entities[i], obj, modes[m]);
	json_decref(obj);
	return 0;
}
