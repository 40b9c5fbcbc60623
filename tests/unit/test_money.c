/* test_money.c — money.c: amounts in minor units formatted with their
 * currency (thousands separators, the ISO 4217 decimals: 2, 0 for the CFA
 * francs and the yen, 3 for the dinars), negatives and the extremes, in
 * French, English and Arabic; counts and percentages; amounts typed in
 * currency units read back into minor units; and
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

/* English: the code first (CLDR en, "-USD 12.50"). */
static void expect_in(enum lang lang, long long minor, const char *cur, const char *want)
{
	struct buf b = BUF_INIT;
	money_format(&b, lang, minor, cur);
	assert_string_equal(buf_cstr(&b), want);
	buf_release(&b);
}

static void expect(long long minor, const char *cur, const char *want)
{
	expect_in(LANG_EN, minor, cur, want);
}

static void test_two_decimals(void **state)
{
	(void)state;
	expect(125000000, "USD", "USD 1,250,000.00");
	expect(0, "EUR", "EUR 0.00");
	expect(5, "EUR", "EUR 0.05");
	expect(99999, "MAD", "MAD 999.99");
	expect(100000, "MAD", "MAD 1,000.00");
	expect(-1250, "EUR", "-EUR 12.50");
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
	expect(-999, "XAF", "-XAF 999");
	expect(1234567, "JPY", "JPY 1,234,567");
	expect(1234567, "TND", "TND 1,234.567");
	expect(5, "LYD", "LYD 0.005");
}

static void test_extremes(void **state)
{
	(void)state;
	expect(LLONG_MAX, "USD", "USD 92,233,720,368,547,758.07");
	expect(LLONG_MIN, "USD", "-USD 92,233,720,368,547,758.08");
	expect(999, "XOF", "XOF 999");
	expect(1000000, "XOF", "XOF 1,000,000");
}

#define NNBSP "\xe2\x80\xaf"
#define NBSP "\xc2\xa0"

static void test_languages(void **state)
{
	(void)state;
	expect_in(LANG_FR, 120000000, "USD", "1" NNBSP "200" NNBSP "000,00" NBSP "USD");
	expect_in(LANG_EN, 120000000, "USD", "USD 1,200,000.00");
	expect_in(LANG_AR, 120000000, "USD", "1,200,000.00" NBSP "USD");
	expect_in(LANG_FR, -1250, "EUR", "-12,50" NBSP "EUR");
	expect_in(LANG_AR, -1250, "EUR", "-12.50" NBSP "EUR");
	expect_in(LANG_FR, 0, "EUR", "0,00" NBSP "EUR");
	expect_in(LANG_FR, 5, "EUR", "0,05" NBSP "EUR"); /* minor units: never rounded */
	expect_in(LANG_FR, 1000, "XOF", "1" NNBSP "000" NBSP "XOF");
	expect_in(LANG_FR, 1234567, "TND", "1" NNBSP "234,567" NBSP "TND");
	expect_in(LANG_FR, LLONG_MIN, "USD", "-92" NNBSP "233" NNBSP "720" NNBSP "368" NNBSP "547" NNBSP "758,08" NBSP "USD");
	expect_in(LANG_FR, 123456, NULL, "1" NNBSP "234,56");

	struct buf b = BUF_INIT;
	num_format(&b, LANG_FR, 1200);
	num_format(&b, LANG_EN, -1200);
	num_format(&b, LANG_AR, 999);
	assert_string_equal(buf_cstr(&b), "1" NNBSP "200" "-1,200" "999");
	buf_reset(&b);
	num_percent(&b, LANG_FR, 12, 0);
	num_percent(&b, LANG_EN, 12, 0);
	num_percent(&b, LANG_AR, 198, 1);
	num_fixed(&b, LANG_FR, 198, 1);
	assert_string_equal(buf_cstr(&b), "12" NNBSP "%" "12%" "19.8%" "19,8");
	buf_reset(&b);
	money_html(&b, LANG_AR, 100, "USD");
	num_html(&b, LANG_FR, 5);
	assert_string_equal(buf_cstr(&b), "<bdi dir=\"ltr\">1.00" NBSP "USD</bdi>5");
	buf_release(&b);
}

/* num_text: a number for a translated message's %s, in the caller's array;
 * the longest number fits. */
static void test_num_text(void **state)
{
	(void)state;
	char a[NUM_TEXT_MAX], c[NUM_TEXT_MAX];
	assert_string_equal(num_text(a, LANG_FR, 1200, 0), "1" NNBSP "200");
	assert_string_equal(num_text(c, LANG_EN, 15, 1), "1.5");
	assert_string_equal(a, "1" NNBSP "200"); /* each its own array */
	assert_string_equal(num_text(a, LANG_AR, 1200, 0), "<bdi dir=\"ltr\">1,200</bdi>");
	const char *min = "<bdi dir=\"ltr\">-9,223,372,036,854,775,808</bdi>";
	assert_string_equal(num_text(a, LANG_AR, LLONG_MIN, 0), min);
	assert_string_equal(num_text(a, LANG_FR, LLONG_MIN, 0),
			    "-9" NNBSP "223" NNBSP "372" NNBSP "036" NNBSP "854" NNBSP "775" NNBSP "808");
}

static void parses(const char *s, enum lang lang, const char *cur, long long want)
{
	long long v = 42;
	assert_true(money_parse(s, lang, cur, &v));
	assert_int_equal(v, want);
}

static void refuses(const char *s, enum lang lang, const char *cur)
{
	long long v = 42;
	assert_false(money_parse(s, lang, cur, &v));
	assert_int_equal(v, 42);
}

static void test_parse(void **state)
{
	(void)state;
	parses("250000.00", LANG_FR, "USD", 25000000);
	parses("250 000,00", LANG_FR, "USD", 25000000);
	parses("250" NNBSP "000,5", LANG_FR, "USD", 25000050);
	parses("250.000,50", LANG_FR, "USD", 25000050);
	parses("250,000.50", LANG_EN, "USD", 25000050);
	parses("250000", LANG_AR, "USD", 25000000);
	parses("-12", LANG_EN, "EUR", -1200);
	parses(" 1 000 ", LANG_EN, "XOF", 1000);
	parses("1.5", LANG_EN, "TND", 1500);
	refuses("1.005", LANG_EN, "USD"); /* more decimals than cents */
	refuses("10.5", LANG_EN, "XOF");
	refuses("", LANG_EN, "USD");
	refuses("-", LANG_EN, "USD");
	refuses("12a", LANG_EN, "USD");
	refuses("1.2.3", LANG_EN, "USD");
	refuses("92233720368547758.08", LANG_EN, "USD");
	refuses(NULL, LANG_EN, "USD");
	parses("92233720368547758.07", LANG_EN, "USD", LLONG_MAX);
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
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_num_text),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_progress),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
