/* test_kept.c — kept.c: bytes kept under a key while the generation holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kept.h"

static void test_kept(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_false(kept_get("home|fr", 7, &b));
	assert_int_equal(b.len, 0);
	kept_put("home|fr", 7, "<h1>Accueil</h1>", 16);
	assert_true(kept_get("home|fr", 7, &b));
	assert_string_equal(buf_cstr(&b), "<h1>Accueil</h1>");
	buf_reset(&b);
	assert_false(kept_get("home|fr", 8, &b)); /* the database moved on */
	assert_false(kept_get("home|en", 7, &b));
	kept_put("home|fr", 8, "new", 3); /* the same key: replaced */
	assert_true(kept_get("home|fr", 8, &b));
	assert_string_equal(buf_cstr(&b), "new");
	buf_reset(&b);
	assert_false(kept_get("home|fr", 7, &b));
	kept_put("empty", 1, "", 0);
	assert_true(kept_get("empty", 1, &b));
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

/* More keys than slots: the oldest go, the newest stay. */
static void test_oldest_replaced(void **state)
{
	(void)state;
	char key[32];
	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof key, "k%d", i);
		kept_put(key, 1, key, strlen(key));
	}
	struct buf b = BUF_INIT;
	assert_false(kept_get("k0", 1, &b));
	assert_true(kept_get("k99", 1, &b));
	assert_string_equal(buf_cstr(&b), "k99");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kept),
		cmocka_unit_test(test_oldest_replaced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
