/* test_training.c — store_training.c: certificate numbers given by the
 * store when an enrolment becomes completed (their shape, uniqueness, kept
 * when un-completed), over a real SQLite store in a temporary directory. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "domain.h"
#include "entity.h"
#include "i18n.h"
#include "registry.h"
#include "store_training.h"

struct fixture {
	char dir[64], path[96];
	struct app app;
};

static enum app_err create(struct app *app, const char *ent, const char *json, struct buf *key)
{
	json_t *j = json_loads(json, 0, NULL);
	assert_non_null(j);
	struct ferrs errs = { 0 };
	buf_reset(key);
	enum app_err rc = dom_create(app, ent_by_name(ent), j, REC_CREATE, NULL, key, &errs);
	ferrs_release(&errs);
	json_decref(j);
	return rc;
}

static int setup(void **state)
{
	registry_init();
	i18n_init();
	struct fixture *fx = calloc(1, sizeof *fx);
	strcpy(fx->dir, "/tmp/suivi-test-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->path, sizeof fx->path, "%s/test.db", fx->dir);
	char *msg = NULL;
	if (store_open(fx->path, &fx->app.store, &msg)) {
		free(msg);
		return -1;
	}
	struct buf k = BUF_INIT;
	if (create(&fx->app, "country", "{\"code\": \"MA\", \"name\": {\"en\": \"Morocco\"}}", &k) ||
	    create(&fx->app, "course", "{\"title\": {\"en\": \"C\"}}", &k) ||
	    create(&fx->app, "training_session", "{\"course\": 1, \"start_date\": \"2025-01-06\"}", &k))
		return -1;
	buf_release(&k);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	store_close(fx->app.store);
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char p[128];
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", fx->path, suffix[i]);
		unlink(p);
	}
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* The certificate of enrolment key ("" when none), into out. */
static void certificate_of(struct app *app, const char *key, char out[CERT_NUMBER_MAX])
{
	struct buf b = BUF_INIT;
	assert_int_equal(dom_get_json(app, ent_by_name("enrolment"), key, NULL, &b, NULL), APP_OK);
	json_t *j = json_loads(buf_cstr(&b), 0, NULL);
	assert_non_null(j);
	const char *c = json_string_value(json_object_get(j, "certificate"));
	snprintf(out, CERT_NUMBER_MAX, "%s", c ? c : "");
	json_decref(j);
	buf_release(&b);
}

static void test_well_formed(void **state)
{
	(void)state;
	assert_true(store_training_certificate_well_formed("PO-2025-7KQ2M9XD"));
	assert_true(store_training_certificate_well_formed("PO-2025-00000000"));
	static const char *const bad[] = { "", "PO-2025-7KQ2M9X", "PO-2025-7KQ2M9XDA", "po-2025-7KQ2M9XD",
					   "PO-2025-7KQ2M9XI", "PO-2025-7KQ2M9XU", "PO-25-7KQ2M9XD0",
					   "PO-2025_7KQ2M9XD", "XX-2025-7KQ2M9XD", "PO-20A5-7KQ2M9XD" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (store_training_certificate_well_formed(bad[i]))
			fail_msg("\"%s\" taken as well-formed", bad[i]);
	assert_false(store_training_certificate_well_formed(NULL));
}

/* What a person types from the paper comes back as printed; what cannot
 * be a number is refused (and looked up as typed). */
static void test_normalise(void **state)
{
	(void)state;
	static const char *const same[] = {
		"PO-2025-7KQ2M9XD", "po-2025-7kq2m9xd", "PO 2025 7KQ2 M9XD", "PO20257KQ2M9XD", " po-2025-7KQ2-M9XD ",
		"PO\u2013" "2025\u2011" "7KQ2M9XD", "PO\u00a0" "2025 7KQ2M9XD", "P-O-2-0-2-5-7-K-Q-2-M-9-X-D",
	};
	char out[CERT_NUMBER_MAX];
	for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
		if (!store_training_certificate_normalise(same[i], out))
			fail_msg("\"%s\" refused", same[i]);
		assert_string_equal(out, "PO-2025-7KQ2M9XD");
	}
	assert_true(store_training_certificate_normalise("po-2025-oi0l0000", out)); /* look-alikes of 0 and 1 */
	assert_string_equal(out, "PO-2025-01010000");
	static const char *const bad[] = { "", "PO-2025-7KQ2M9X", "PO-2025-7KQ2M9XDA", "PO-2025-7KQ2M9XU",
					   "XX-2025-7KQ2M9XD", "PO-20O5-7KQ2M9XD", "PO_2025_7KQ2M9XD", "PO-2025-7KQ2M9XD-PO-2025-7KQ2M9XD" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (store_training_certificate_normalise(bad[i], out))
			fail_msg("\"%s\" taken as \"%s\"", bad[i], out);
}

/* Completed on create or later: numbered, well-formed and unique; not
 * completed: none. */
static void test_numbers(void **state)
{
	struct fixture *fx = *state;
	struct app *app = &fx->app;
	enum { N = 60 };
	char seen[N][CERT_NUMBER_MAX];
	struct buf k = BUF_INIT;
	for (int i = 0; i < N; i++) {
		char json[200];
		assert_int_equal(create(app, "participant", "{\"family_name\": \"P\", \"country\": \"MA\"}", &k), APP_OK);
		snprintf(json, sizeof json, "{\"participant\": %s, \"session\": 1, \"days_attended\": 2, \"completed\": %s}",
			 buf_cstr(&k), i % 2 ? "true" : "false");
		assert_int_equal(create(app, "enrolment", json, &k), APP_OK);
		certificate_of(app, buf_cstr(&k), seen[i]);
		if (i % 2 == 0) {
			assert_string_equal(seen[i], "");
			/* completed by an update: numbered then */
			json_t *p = json_loads("{\"completed\": true}", 0, NULL);
			struct ferrs errs = { 0 };
			assert_int_equal(dom_update(app, ent_by_name("enrolment"), buf_cstr(&k), p, -1, NULL, &errs), APP_OK);
			ferrs_release(&errs);
			json_decref(p);
			certificate_of(app, buf_cstr(&k), seen[i]);
		}
		if (!store_training_certificate_well_formed(seen[i]))
			fail_msg("enrolment %s: \"%s\" is not a certificate number", buf_cstr(&k), seen[i]);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(seen[i], seen[j]);
	}
	buf_release(&k);
	long long n = -1;
	assert_int_equal(store_training_certificate_assign_since(app->store, 0, &n), APP_OK); /* every enrolment */
	assert_int_equal(n, 0);
}

/* Un-completed: the number stays (never given to another), and is the same
 * once completed again; store_training_certificate_assign_since (a batch's) leaves a numbered
 * enrolment alone. */
static void test_kept(void **state)
{
	struct fixture *fx = *state;
	struct app *app = &fx->app;
	struct buf k = BUF_INIT;
	assert_int_equal(create(app, "participant", "{\"family_name\": \"Q\", \"country\": \"MA\"}", &k), APP_OK);
	char json[160];
	snprintf(json, sizeof json, "{\"participant\": %s, \"session\": 1, \"days_attended\": 1, \"completed\": true}", buf_cstr(&k));
	assert_int_equal(create(app, "enrolment", json, &k), APP_OK);
	char first[CERT_NUMBER_MAX], now[CERT_NUMBER_MAX];
	certificate_of(app, buf_cstr(&k), first);
	assert_true(store_training_certificate_well_formed(first));
	static const char *const patches[] = { "{\"completed\": false}", "{\"completed\": true}" };
	for (int i = 0; i < 2; i++) {
		json_t *p = json_loads(patches[i], 0, NULL);
		struct ferrs errs = { 0 };
		assert_int_equal(dom_update(app, ent_by_name("enrolment"), buf_cstr(&k), p, -1, NULL, &errs), APP_OK);
		ferrs_release(&errs);
		json_decref(p);
		certificate_of(app, buf_cstr(&k), now);
		assert_string_equal(now, first);
	}
	long long id = atoll(buf_cstr(&k));
	assert_int_equal(store_training_certificate_assign_since(app->store, id - 1, NULL), APP_OK); /* from this one on */
	certificate_of(app, buf_cstr(&k), now);
	assert_string_equal(now, first);
	assert_int_equal(store_training_certificate_assign_since(app->store, 999999, NULL), APP_OK); /* none: nothing */
	buf_release(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_well_formed),
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_kept),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
