/* test_money.c — money.c: amounts in minor units formatted with their
 * currency (thousands separators, the ISO 4217 decimals: 2, 0 for the CFA
 * francs and the yen, 3 for the dinars), negatives and the extremes; and
 * results.c's progress formula (baseline → target, both directions). */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "money.h"
#include "results.h"

static void expect(long long minor, const char *cur, const char *want)
{
	struct buf b = BUF_INIT;
	money_format(&b, minor, cur);
	assert_string_equal(buf_cstr(&b), want);
	buf_release(&b);
}

static void test_two_decimals(void **state)
{
	(void)state;
	expect(125000000, "USD", "USD 1,250,000.00");
	expect(0, "EUR", "EUR 0.00");
	expect(5, "EUR", "EUR 0.05");
	expect(99999, "MAD", "MAD 999.99");
	expect(100000, "MAD", "MAD 1,000.00");
	expect(-1250, "EUR", "EUR -12.50");
	expect(123456, NULL, "1,234.56");
	expect(123456, "", "1,234.56");
	expect(123456, "ZZZ", "ZZZ 1,234.56"); /* unknown codes: 2 decimals */
}

static void test_other_decimals(void **state)
{
	(void)state;
	assert_int_equal(money_decimals("XOF"), 0);
	assert_int_equal(money_decimals("XAF"), 0);
	assert_int_equal(money_decimals("TND"), 3);
	assert_int_equal(money_decimals("USD"), 2);
	assert_int_equal(money_decimals(NULL), 2);
	expect(1000, "XOF", "XOF 1,000");
	expect(-999, "XAF", "XAF -999");
	expect(1234567, "JPY", "JPY 1,234,567");
	expect(1234567, "TND", "TND 1,234.567");
	expect(5, "LYD", "LYD 0.005");
}

static void test_extremes(void **state)
{
	(void)state;
	expect(LLONG_MAX, "USD", "USD 92,233,720,368,547,758.07");
	expect(LLONG_MIN, "USD", "USD -92,233,720,368,547,758.08");
	expect(999, "XOF", "XOF 999");
	expect(1000000, "XOF", "XOF 1,000,000");
}

static void test_progress(void **state)
{
	(void)state;
	double p;
	/* ascending: 0 at the baseline, 1 at the target */
	assert_true(results_progress(10, 30, 20, &p));
	assert_float_equal(p, 0.5, 1e-9);
	assert_true(results_progress(0, 8, 10, &p));
	assert_float_equal(p, 1.25, 1e-9); /* beyond the target */
	assert_true(results_progress(10, 30, 5, &p));
	assert_float_equal(p, -0.25, 1e-9); /* below the baseline */
	/* descending: from 40 incidents down to 10 */
	assert_true(results_progress(40, 10, 25, &p));
	assert_float_equal(p, 0.5, 1e-9);
	assert_true(results_progress(40, 10, 10, &p));
	assert_float_equal(p, 1, 1e-9);
	assert_true(results_progress(40, 10, 50, &p));
	assert_float_equal(p, -1.0 / 3, 1e-9);
	/* no distance to cover: nothing measured */
	assert_false(results_progress(7, 7, 9, &p));
	assert_float_equal(results_clamp(1.25), 1, 0);
	assert_float_equal(results_clamp(-0.2), 0, 0);
	assert_float_equal(results_clamp(0.4), 0.4, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_decimals),
		cmocka_unit_test(test_other_decimals),
		cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_progress),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
