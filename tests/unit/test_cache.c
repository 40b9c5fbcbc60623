/* test_cache.c — cache.c: hits, generations, replacement, size bound, and
 * bodies shared with the answers that hold them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cache.h"

static int setup(void **state)
{
	*state = cache_new();
	return 0;
}

static int teardown(void **state)
{
	cache_free(*state);
	return 0;
}

/* Puts a response with body `body` for key at generation gen. */
static void put(struct cache *c, const char *key, long long gen, const char *body)
{
	struct cached_response r = { .status = 200, .content_type = "application/json" };
	strcpy(r.etag, "\"7\"");
	cache_put(c, key, gen, &r, body, strlen(body));
}

static void test_hit(void **state)
{
	struct cache *c = *state;
	put(c, "GET /api/v1/countries", 5, "{\"items\":[]}");
	struct cached_response out = { 0 };
	assert_true(cache_get(c, "GET /api/v1/countries", 5, &out));
	assert_int_equal(out.status, 200);
	assert_string_equal(out.content_type, "application/json");
	assert_string_equal(out.etag, "\"7\"");
	assert_string_equal(out.body->data, "{\"items\":[]}");
	/* the entry stays for later hits, which share its body */
	struct cached_response again = { 0 };
	assert_true(cache_get(c, "GET /api/v1/countries", 5, &again));
	assert_ptr_equal(again.body, out.body);
	shared_unref(again.body);
	shared_unref(out.body);
}

static void test_miss(void **state)
{
	struct cache *c = *state;
	struct cached_response out = { 0 };
	assert_false(cache_get(c, "never stored", 1, &out));
	put(c, "k", 5, "body");
	assert_false(cache_get(c, "k", 6, &out)); /* a later generation */
	assert_false(cache_get(c, "k", 4, &out));
	assert_false(cache_get(c, "K", 5, &out)); /* keys are exact */
	assert_false(cache_get(c, "k ", 5, &out));
	assert_null(out.body); /* misses leave out alone */
	assert_int_equal(out.status, 0);
}

static void test_replace(void **state)
{
	struct cache *c = *state;
	struct cached_response out = { 0 };
	put(c, "k", 1, "old");
	put(c, "k", 2, "new");
	assert_false(cache_get(c, "k", 1, &out));
	assert_true(cache_get(c, "k", 2, &out));
	assert_string_equal(out.body->data, "new");
	/* an answer holding a body keeps it whole when the entry is replaced */
	put(c, "k", 3, "newer");
	assert_string_equal(out.body->data, "new");
	shared_unref(out.body);
	/* many keys: each one found holds its own body */
	char key[32], body[32];
	for (int i = 0; i < 2000; i++) {
		snprintf(key, sizeof key, "key%d", i);
		snprintf(body, sizeof body, "body%d", i);
		put(c, key, 3, body);
	}
	int hits = 0;
	for (int i = 0; i < 2000; i++) {
		snprintf(key, sizeof key, "key%d", i);
		snprintf(body, sizeof body, "body%d", i);
		if (cache_get(c, key, 3, &out)) {
			hits++;
			assert_string_equal(out.body->data, body);
			shared_unref(out.body);
		}
	}
	assert_true(hits > 0);
	snprintf(key, sizeof key, "key%d", 1999); /* the last put is always there */
	assert_true(cache_get(c, key, 3, &out));
	shared_unref(out.body);
}

static void test_large_not_kept(void **state)
{
	struct cache *c = *state;
	struct cached_response r = { .status = 200, .content_type = "text/csv" };
	static char big[65 * 1024];
	memset(big, 'x', sizeof big);
	cache_put(c, "big", 1, &r, big, sizeof big);
	struct cached_response out = { 0 };
	assert_false(cache_get(c, "big", 1, &out));
	/* a body just under the bound is kept, byte for byte */
	cache_put(c, "big", 1, &r, big, 60 * 1024);
	assert_true(cache_get(c, "big", 1, &out));
	assert_int_equal(out.body->len, 60 * 1024);
	assert_memory_equal(out.body->data, big, 60 * 1024);
	assert_int_equal(out.body->data[60 * 1024], '\0');
	shared_unref(out.body);
}

static void test_empty_body(void **state)
{
	struct cache *c = *state;
	struct cached_response r = { .status = 304 };
	cache_put(c, "empty", 9, &r, NULL, 0);
	struct cached_response out = { 0 };
	assert_true(cache_get(c, "empty", 9, &out));
	assert_int_equal(out.status, 304);
	assert_int_equal(out.body->len, 0);
	shared_unref(out.body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_not_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_body, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
