/* test_util.c — util.c: dates, UTF-8, integers, HTTP dates. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"

static void test_valid_date(void **state)
{
	(void)state;
	assert_true(util_valid_date("2024-02-29"));  /* leap year */
	assert_true(util_valid_date("2000-02-29"));  /* divisible by 400 */
	assert_true(util_valid_date("2024-12-31"));
	assert_true(util_valid_date("1000-01-01"));
	assert_true(util_valid_date("9999-12-31"));
	assert_false(util_valid_date("2023-02-29")); /* not a leap year */
	assert_false(util_valid_date("1900-02-29")); /* divisible by 100 */
	assert_false(util_valid_date("2024-02-30"));
	assert_false(util_valid_date("2024-04-31"));
	assert_false(util_valid_date("2024-13-01"));
	assert_false(util_valid_date("2024-00-10"));
	assert_false(util_valid_date("2024-01-00"));
	assert_false(util_valid_date("0999-01-01"));
	assert_false(util_valid_date("24-01-01"));
	assert_false(util_valid_date("2024-1-01"));
	assert_false(util_valid_date("2024-01-1"));
	assert_false(util_valid_date("2024/01/01"));
	assert_false(util_valid_date("2024-01-01 "));
	assert_false(util_valid_date(" 2024-01-01"));
	assert_false(util_valid_date("+024-01-01"));
	assert_false(util_valid_date("2024-0a-01"));
	assert_false(util_valid_date("2024-01-01T00:00:00Z"));
	assert_false(util_valid_date(""));
}

/* Shorthand: a byte string literal with its length (without the NUL). */
#define U(s) (s), (sizeof(s) - 1)

static void test_valid_utf8(void **state)
{
	(void)state;
	assert_true(util_valid_utf8(U("")));
	assert_true(util_valid_utf8(U("plain ascii")));
	assert_true(util_valid_utf8(U("Fran\xc3\xa7" "ais")));         /* 2 bytes */
	assert_true(util_valid_utf8(U("\xd8\xa7\xd9\x84\xd8\xb9")));  /* Arabic */
	assert_true(util_valid_utf8(U("\xe2\x82\xac")));              /* U+20AC */
	assert_true(util_valid_utf8(U("\xef\xbf\xbf")));              /* U+FFFF */
	assert_true(util_valid_utf8(U("\xf0\x9f\x98\x80")));          /* U+1F600 */
	assert_true(util_valid_utf8(U("\xf4\x8f\xbf\xbf")));          /* U+10FFFF, the max */
	assert_true(util_valid_utf8(U("\xed\x9f\xbf")));              /* U+D7FF */
	assert_true(util_valid_utf8(U("\xee\x80\x80")));              /* U+E000 */

	/* overlongs */
	assert_false(util_valid_utf8(U("\xc0\x80")));
	assert_false(util_valid_utf8(U("\xc1\xbf")));
	assert_false(util_valid_utf8(U("\xe0\x80\xaf")));
	assert_false(util_valid_utf8(U("\xe0\x9f\xbf")));
	assert_false(util_valid_utf8(U("\xf0\x80\x80\xaf")));
	assert_false(util_valid_utf8(U("\xf0\x8f\xbf\xbf")));
	/* surrogates */
	assert_false(util_valid_utf8(U("\xed\xa0\x80")));
	assert_false(util_valid_utf8(U("\xed\xbf\xbf")));
	/* past U+10FFFF, and lead bytes that never occur */
	assert_false(util_valid_utf8(U("\xf4\x90\x80\x80")));
	assert_false(util_valid_utf8(U("\xf5\x80\x80\x80")));
	assert_false(util_valid_utf8(U("\xf8\x88\x80\x80\x80")));
	assert_false(util_valid_utf8(U("\xff")));
	/* stray continuation bytes, truncated sequences */
	assert_false(util_valid_utf8(U("\x80")));
	assert_false(util_valid_utf8(U("a\xbf" "b")));
	assert_false(util_valid_utf8(U("\xc3")));
	assert_false(util_valid_utf8(U("\xe2\x82")));
	assert_false(util_valid_utf8(U("\xf0\x9f\x98")));
	assert_false(util_valid_utf8(U("\xe2\x82" "a")));
	/* NUL, alone or inside */
	assert_false(util_valid_utf8("\0", 1));
	assert_false(util_valid_utf8("ab\0cd", 5));
	/* n bounds the check: the truncated tail beyond n is not read */
	assert_true(util_valid_utf8("ab\xc3", 2));
	assert_false(util_valid_utf8("\xc3\xa7", 1));
}

static void test_utf8_len(void **state)
{
	(void)state;
	assert_int_equal(util_utf8_len(""), 0);
	assert_int_equal(util_utf8_len("abc"), 3);
	assert_int_equal(util_utf8_len("Fran\xc3\xa7" "ais"), 8);
	assert_int_equal(util_utf8_len("\xd8\xa7\xd9\x84\xd8\xb9"), 3);
	assert_int_equal(util_utf8_len("\xe2\x82\xac" "1"), 2);
	assert_int_equal(util_utf8_len("\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf"), 2);
}

static void test_parse_ll(void **state)
{
	(void)state;
	long long v = 42;
	assert_true(util_parse_ll("0", &v));
	assert_int_equal(v, 0);
	assert_true(util_parse_ll("123", &v));
	assert_int_equal(v, 123);
	assert_true(util_parse_ll("-7", &v));
	assert_int_equal(v, -7);
	assert_true(util_parse_ll("007", &v));
	assert_int_equal(v, 7);
	assert_true(util_parse_ll("9223372036854775807", &v));
	assert_true(v == LLONG_MAX);
	assert_true(util_parse_ll("-9223372036854775808", &v));
	assert_true(v == LLONG_MIN);

	v = 42;
	assert_false(util_parse_ll("9223372036854775808", &v));   /* overflow */
	assert_false(util_parse_ll("-9223372036854775809", &v));
	assert_false(util_parse_ll("99999999999999999999999", &v));
	assert_false(util_parse_ll("", &v));
	assert_false(util_parse_ll(NULL, &v));
	assert_false(util_parse_ll(" 1", &v));
	assert_false(util_parse_ll("\t1", &v));
	assert_false(util_parse_ll("1 ", &v));
	assert_false(util_parse_ll("1\n", &v));
	assert_false(util_parse_ll("-", &v));
	assert_false(util_parse_ll("--1", &v));
	assert_false(util_parse_ll("- 1", &v));
	assert_false(util_parse_ll("1e3", &v));
	assert_false(util_parse_ll("0x10", &v));
	assert_false(util_parse_ll("1.0", &v));
	assert_false(util_parse_ll("12abc", &v));
	assert_int_equal(v, 42); /* untouched on failure */
}

/* util.h: "optional '-'": a '+' sign is "any other character". */
static void test_parse_ll_plus_sign(void **state)
{
	(void)state;
	long long v = 42;
	assert_false(util_parse_ll("+5", &v));
	assert_false(util_parse_ll("+", &v));
	assert_int_equal(v, 42);
}

static void test_today_now(void **state)
{
	(void)state;
	char day[11], now[21];
	util_today(day);
	util_now(now);
	assert_true(util_valid_date(day));
	assert_int_equal(strlen(now), 20);
	assert_int_equal(now[10], 'T');
	assert_int_equal(now[19], 'Z');
	assert_memory_equal(day, now, 10);
}

static void test_prefix_ci(void **state)
{
	(void)state;
	assert_true(util_prefix_ci("Application/JSON; charset=utf-8", "application/json"));
	assert_true(util_prefix_ci("abc", ""));
	assert_false(util_prefix_ci("app", "application"));
	assert_false(util_prefix_ci("text/html", "application"));
}

static void test_http_date(void **state)
{
	(void)state;
	static const struct {
		long long t;
		const char *s;
	} known[] = {
		{ 784111777, "Sun, 06 Nov 1994 08:49:37 GMT" }, /* RFC 9110's example */
		{ 0, "Thu, 01 Jan 1970 00:00:00 GMT" },
		{ 951782400, "Tue, 29 Feb 2000 00:00:00 GMT" },
		{ 4102444799, "Thu, 31 Dec 2099 23:59:59 GMT" },
	};
	for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
		char out[30];
		long long back = -1;
		util_http_date(known[i].t, out);
		assert_string_equal(out, known[i].s);
		assert_true(util_parse_http_date(out, &back));
		assert_true(back == known[i].t);
	}
	long long t;
	assert_false(util_parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", &t)); /* obsolete forms */
	assert_false(util_parse_http_date("Sun Nov  6 08:49:37 1994", &t));
	assert_false(util_parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC", &t));
	assert_false(util_parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT", &t));
	assert_false(util_parse_http_date("Sun, 06 Nov 1994 25:49:37 GMT", &t));
	assert_false(util_parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT ", &t));
	assert_false(util_parse_http_date("", &t));
	assert_false(util_parse_http_date(NULL, &t));
}

/* Spaces of every kind say nothing; one other character does. */
static void test_blank(void **state)
{
	(void)state;
	assert_true(util_blank(""));
	assert_true(util_blank(" \t\r\n"));
	assert_true(util_blank("\xc2\xa0\xe2\x80\x83\xe2\x80\x8b\xe3\x80\x80\xef\xbb\xbf")); /* NBSP, em, zero-width, ideographic, BOM */
	assert_false(util_blank(" x "));
	assert_false(util_blank("\xc2\xa9")); /* © */
	assert_false(util_blank("\xe2\x80\x90")); /* a hyphen, next to the spaces */
	assert_false(util_blank("\xd8\xa7"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_date),
		cmocka_unit_test(test_valid_utf8),
		cmocka_unit_test(test_utf8_len),
		cmocka_unit_test(test_parse_ll),
		cmocka_unit_test(test_parse_ll_plus_sign),
		cmocka_unit_test(test_today_now),
		cmocka_unit_test(test_prefix_ci),
		cmocka_unit_test(test_http_date),
		cmocka_unit_test(test_blank),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
