/* test_body.c — body.c: a request body in memory while small, in a spool
 * file once large, the shared budgets given back. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "body.h"

static void test_small_body_stays_in_memory(void **state)
{
	(void)state;
	struct body b;
	body_init(&b);
	assert_int_equal(body_add(&b, "{\"a\":", 5), BODY_OK);
	assert_int_equal(body_add(&b, "1}", 2), BODY_OK);
	assert_int_equal(b.fd, -1);
	assert_int_equal(body_memory_in_use(), 7);
	const char *p;
	size_t n;
	assert_int_equal(body_bytes(&b, &p, &n), BODY_OK);
	assert_int_equal(n, 7);
	assert_string_equal(p, "{\"a\":1}");
	body_release(&b);
	assert_int_equal(body_memory_in_use(), 0);
}

static void test_large_body_goes_to_disk_whole(void **state)
{
	(void)state;
	char chunk[10000];
	struct body b;
	body_init(&b);
	size_t total = 0;
	for (int i = 0; i < 30; i++) { /* 300,000 bytes: past BODY_IN_MEMORY */
		memset(chunk, 'a' + i % 26, sizeof chunk);
		assert_int_equal(body_add(&b, chunk, sizeof chunk), BODY_OK);
		total += sizeof chunk;
	}
	assert_true(b.fd >= 0);
	assert_int_equal(body_memory_in_use(), 0); /* the memory went back at the spill */
	assert_int_equal(body_disk_in_use(), (long long)total);
	const char *p;
	size_t n;
	assert_int_equal(body_bytes(&b, &p, &n), BODY_OK);
	assert_int_equal(n, total);
	assert_int_equal(p[n], '\0');
	for (size_t i = 0; i < n; i += 9999) /* every byte where it was written */
		assert_int_equal(p[i], 'a' + (int)(i / sizeof chunk) % 26);
	const char *again;
	assert_int_equal(body_bytes(&b, &again, &n), BODY_OK);
	assert_ptr_equal(again, p);
	body_release(&b);
	assert_int_equal(body_disk_in_use(), 0);
}

/* With the memory budget spent by other bodies, a small one goes to disk
 * at once rather than being refused. */
static void test_spent_memory_budget_spills(void **state)
{
	(void)state;
	enum { N = BODY_MEMORY_BUDGET / BODY_IN_MEMORY };
	static struct body held[N];
	char *full = malloc(BODY_IN_MEMORY);
	memset(full, 'x', BODY_IN_MEMORY);
	for (int i = 0; i < N; i++) {
		body_init(&held[i]);
		assert_int_equal(body_add(&held[i], full, BODY_IN_MEMORY), BODY_OK);
		assert_int_equal(held[i].fd, -1);
	}
	assert_int_equal(body_memory_in_use(), BODY_MEMORY_BUDGET);
	struct body b;
	body_init(&b);
	assert_int_equal(body_add(&b, "small", 5), BODY_OK);
	assert_true(b.fd >= 0);
	const char *p;
	size_t n;
	assert_int_equal(body_bytes(&b, &p, &n), BODY_OK);
	assert_string_equal(p, "small");
	body_release(&b);
	for (int i = 0; i < N; i++)
		body_release(&held[i]);
	assert_int_equal(body_memory_in_use(), 0);
	assert_int_equal(body_disk_in_use(), 0);
	free(full);
}

static void test_empty_body(void **state)
{
	(void)state;
	struct body b;
	body_init(&b);
	const char *p;
	size_t n;
	assert_int_equal(body_bytes(&b, &p, &n), BODY_OK);
	assert_int_equal(n, 0);
	assert_string_equal(p, "");
	body_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_body_stays_in_memory),
		cmocka_unit_test(test_large_body_goes_to_disk_whole),
		cmocka_unit_test(test_spent_memory_budget_spills),
		cmocka_unit_test(test_empty_body),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
