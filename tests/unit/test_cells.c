/* test_cells.c — cells.c: the dates, yes/no values and blanks of
 * spreadsheet cells. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cells.h"

static void date_is(const char *in, const char *want)
{
	char out[11];
	bool ok = cell_date(in, strlen(in), out);
	if (!want) {
		if (ok)
			fail_msg("\"%s\" read as %s, not refused", in, out);
		return;
	}
	if (!ok)
		fail_msg("\"%s\" refused, want %s", in, want);
	assert_string_equal(out, want);
}

static void test_dates(void **state)
{
	(void)state;
	date_is("2024-02-29", "2024-02-29");
	date_is("05/03/2024", "2024-03-05");
	date_is("1/2/2023", "2023-02-01");
	date_is("31.12.1999", "1999-12-31");
	date_is("7-6-2025", "2025-06-07");
	date_is("30/02/2024", NULL);  /* no such day */
	date_is("2023-02-29", NULL);
	date_is("05/13/2024", NULL);  /* month 13 */
	date_is("05/03/24", NULL);    /* two-digit year */
	date_is("05/03-2024", NULL);  /* mixed separators */
	date_is("05/03/2024x", NULL);
	date_is("", NULL);
	date_is("//", NULL);
}

static void test_bools_and_blanks(void **state)
{
	(void)state;
	long long v = -1;
	assert_true(cell_bool("oui", &v) && v == 1);
	assert_true(cell_bool("x", &v) && v == 1);
	assert_true(cell_bool("non", &v) && v == 0);
	assert_true(cell_bool("0", &v) && v == 0);
	assert_false(cell_bool("peut-etre", &v));
	assert_false(cell_bool("", &v));
	size_t n;
	const char *s = cell_trim("\t  Rabat \n", &n);
	assert_int_equal(n, 5);
	assert_memory_equal(s, "Rabat", 5);
	s = cell_trim("   ", &n);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_bools_and_blanks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
