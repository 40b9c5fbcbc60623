/* test_buf.c — buf.c: growth, printf and the escaping appenders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"

/* Runs fn(b, in) on a fresh buffer and compares the result with want. */
#define ESCAPES(fn, in, want)                                                      \
	do {                                                                       \
		struct buf b_ = BUF_INIT;                                          \
		fn(&b_, in);                                                       \
		assert_string_equal(buf_cstr(&b_), want);                          \
		assert_int_equal(b_.len, strlen(want));                            \
		buf_release(&b_);                                                  \
	} while (0)

static void test_empty(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_null(b.data);
	assert_string_equal(buf_cstr(&b), "");
	buf_reset(&b); /* on an empty buffer */
	buf_release(&b);
	buf_release(&b); /* twice is harmless */
	assert_null(b.data);
}

static void test_appends(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_adds(&b, "ab");
	buf_addc(&b, 'c');
	buf_add(&b, "defgh", 2);
	buf_add(&b, NULL, 0);
	buf_adds(&b, "");
	assert_string_equal(buf_cstr(&b), "abcde");
	assert_int_equal(b.len, 5);
	assert_true(b.cap > b.len);
	/* bytes including NUL are kept; data stays NUL-terminated */
	buf_add(&b, "x\0y", 3);
	assert_int_equal(b.len, 8);
	assert_memory_equal(b.data, "abcdex\0y", 9);
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	buf_adds(&b, "again");
	assert_string_equal(b.data, "again");
	buf_release(&b);
}

static void test_growth(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 10000; i++)
		buf_addc(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, 10000);
	assert_int_equal(strlen(b.data), 10000);
	assert_int_equal(b.data[9999], 'a' + 9999 % 26);
	assert_true(b.cap >= 10001);
	buf_grow(&b, 100000);
	assert_true(b.cap >= 110001);
	assert_int_equal(b.len, 10000);
	buf_release(&b);
}

static void test_printf(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_printf(&b, "%d-%s", 42, "x");
	buf_printf(&b, "%s", ""); /* nothing */
	assert_string_equal(buf_cstr(&b), "42-x");
	/* output longer than the current capacity */
	char big[5000];
	memset(big, 'z', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	buf_printf(&b, "[%s]%lld", big, -9223372036854775807LL - 1);
	assert_int_equal(b.len, 4 + 1 + 4999 + 1 + 20);
	assert_int_equal(strlen(b.data), b.len);
	assert_memory_equal(b.data, "42-x[zzz", 8);
	assert_string_equal(b.data + b.len - 21, "]-9223372036854775808");
	buf_release(&b);
}

/* A printf that fits the room already there is formatted once; one that does
 * not, or that ends exactly at the room's edge, grows and is formatted again:
 * the result is the same either way. */
static void test_printf_room(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_adds(&b, "x");
	size_t cap = b.cap; /* 64 */
	for (size_t n = 0; n < 3 * cap; n++) {
		buf_reset(&b);
		buf_printf(&b, "%0*d|%s", (int)n, 0, "end");
		assert_int_equal(b.len, (n ? n : 1) + 4);
		assert_string_equal(b.data + b.len - 4, "|end");
		assert_int_equal(strlen(b.data), b.len);
	}
	buf_release(&b);
}

/* buf_add_ll writes what "%lld" writes, at both ends of the range too. */
static void test_add_ll(void **state)
{
	(void)state;
	const long long values[] = { 0, 7, -7, 10, -10, 99, 100, 123456789, -987654321012LL,
				     9223372036854775807LL, -9223372036854775807LL - 1 };
	for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
		struct buf got = BUF_INIT, want = BUF_INIT;
		buf_adds(&got, "<");
		buf_add_ll(&got, values[i]);
		buf_printf(&want, "<%lld", values[i]);
		assert_string_equal(buf_cstr(&got), buf_cstr(&want));
		buf_release(&got);
		buf_release(&want);
	}
	struct buf capped = BUF_CAPPED(3); /* the cap holds for it as for any append */
	buf_add_ll(&capped, 1234);
	assert_true(buf_over(&capped));
	assert_int_equal(capped.len, 0);
	buf_release(&capped);
}

/* A capped buffer: appends up to the cap are kept; the one that would pass it
 * and every one after append nothing; buf_over says so; release clears it. */
static void test_capped(void **state)
{
	(void)state;
	struct buf b = BUF_CAPPED(10);
	buf_adds(&b, "12345");
	buf_printf(&b, "%d", 678);
	assert_false(buf_over(&b));
	buf_adds(&b, "90");
	assert_string_equal(buf_cstr(&b), "1234567890");
	assert_false(buf_over(&b));
	buf_addc(&b, 'x'); /* the 11th byte */
	assert_true(buf_over(&b));
	assert_string_equal(buf_cstr(&b), "1234567890");
	buf_reset(&b);
	buf_adds(&b, "a"); /* over stays until release: the caller asks once */
	assert_int_equal(b.len, 0);
	buf_release(&b);
	assert_false(buf_over(&b));
	b.max = 10;
	buf_adds(&b, "0123456");
	buf_printf(&b, "%s", "abcd"); /* fits the allocation, not the cap */
	assert_true(buf_over(&b));
	assert_string_equal(buf_cstr(&b), "0123456");
	buf_release(&b);
	b.max = 4;
	buf_json_str(&b, "abc"); /* 5 bytes with its quotes */
	assert_true(buf_over(&b));
	assert_string_equal(buf_cstr(&b), "");
	buf_release(&b);
}

static void test_detach(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	char *p = buf_detach(&b); /* an empty buffer still gives a string */
	assert_non_null(p);
	assert_string_equal(p, "");
	free(p);
	buf_adds(&b, "hello");
	p = buf_detach(&b);
	assert_string_equal(p, "hello");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	buf_adds(&b, "reuse"); /* the buffer is usable again */
	assert_string_equal(buf_cstr(&b), "reuse");
	free(p);
	buf_release(&b);
}

static void test_json(void **state)
{
	(void)state;
	ESCAPES(buf_json_str, NULL, "null");
	ESCAPES(buf_json_str, "", "\"\"");
	ESCAPES(buf_json_str, "plain", "\"plain\"");
	ESCAPES(buf_json_str, "a\"b\\c", "\"a\\\"b\\\\c\"");
	ESCAPES(buf_json_str, "l1\nl2\r\t", "\"l1\\nl2\\r\\t\"");
	ESCAPES(buf_json_str, "\x01\x08\x0c\x1f", "\"\\u0001\\u0008\\u000c\\u001f\"");
	ESCAPES(buf_json_str, "/ \x7f", "\"/ \x7f\""); /* solidus and DEL need none */
	/* UTF-8 passes through untouched, including U+2028 */
	ESCAPES(buf_json_str, "\xc3\xa9\xd8\xa7\xe2\x80\xa8\xf0\x9f\x98\x80",
		"\"\xc3\xa9\xd8\xa7\xe2\x80\xa8\xf0\x9f\x98\x80\"");
	ESCAPES(buf_json_str, "</script>", "\"</script>\"");

	/* the n-byte form: embedded NUL escaped, nothing read past n */
	struct buf b = BUF_INIT;
	buf_json_strn(&b, "a\0b", 3);
	assert_string_equal(buf_cstr(&b), "\"a\\u0000b\"");
	buf_reset(&b);
	buf_json_strn(&b, "abcdef", 2);
	assert_string_equal(buf_cstr(&b), "\"ab\"");
	buf_reset(&b);
	buf_adds(&b, "x=");
	buf_json_strn(&b, "\"", 1); /* appends after existing text */
	assert_string_equal(buf_cstr(&b), "x=\"\\\"\"");
	buf_release(&b);
}

static void test_html(void **state)
{
	(void)state;
	ESCAPES(buf_html, NULL, "");
	ESCAPES(buf_html, "", "");
	ESCAPES(buf_html, "plain text", "plain text");
	ESCAPES(buf_html, "<a href=\"x\" title='y'>&amp;</a>",
		"&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
	ESCAPES(buf_html, "\xd8\xa7<\xc3\xa9>", "\xd8\xa7&lt;\xc3\xa9&gt;");
	ESCAPES(buf_html, "&", "&amp;");
}

static void test_csv(void **state)
{
	(void)state;
	ESCAPES(buf_csv, NULL, "");
	ESCAPES(buf_csv, "", "");
	ESCAPES(buf_csv, "plain", "plain");
	ESCAPES(buf_csv, "caf\xc3\xa9", "caf\xc3\xa9");
	ESCAPES(buf_csv, "a,b", "\"a,b\"");
	ESCAPES(buf_csv, "a;b", "\"a;b\"");
	ESCAPES(buf_csv, "say \"hi\"", "\"say \"\"hi\"\"\"");
	ESCAPES(buf_csv, "l1\nl2", "\"l1\nl2\"");
	ESCAPES(buf_csv, "l1\r\nl2", "\"l1\r\nl2\"");
	/* formula injection: quoted and neutralised with a leading ' */
	ESCAPES(buf_csv, "=1+2", "\"'=1+2\"");
	ESCAPES(buf_csv, "+33 1 23", "\"'+33 1 23\"");
	ESCAPES(buf_csv, "-5", "\"'-5\"");
	ESCAPES(buf_csv, "@SUM(A1)", "\"'@SUM(A1)\"");
	ESCAPES(buf_csv, "=HYPERLINK(\"http://x\",\"y\")",
		"\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	ESCAPES(buf_csv, "a=b", "a=b"); /* only a leading sign counts */
	/* a spreadsheet skips a leading TAB or CR and reads the formula after it */
	ESCAPES(buf_csv, "\t=1+2", "\"'\t=1+2\"");
	ESCAPES(buf_csv, "\r=1+2", "\"'\r=1+2\"");
}

/* Typed values (numbers, amounts, dates) are never prefixed: -12345 stays a
 * number in a spreadsheet. */
static void test_csv_value(void **state)
{
	(void)state;
	ESCAPES(buf_csv_value, NULL, "");
	ESCAPES(buf_csv_value, "-12345", "-12345");
	ESCAPES(buf_csv_value, "+5", "+5");
	ESCAPES(buf_csv_value, "2026-01-31", "2026-01-31");
	ESCAPES(buf_csv_value, "1;2", "\"1;2\"");
}

static void test_url(void **state)
{
	(void)state;
	ESCAPES(buf_url, NULL, "");
	ESCAPES(buf_url, "", "");
	ESCAPES(buf_url, "AZaz09-_.~", "AZaz09-_.~");
	ESCAPES(buf_url, "a b&c=d/e?f#g+h%", "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25");
	ESCAPES(buf_url, "\xc3\xa9", "%C3%A9");
	ESCAPES(buf_url, "\x01\x7f\xff", "%01%7F%FF");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_printf_room),
		cmocka_unit_test(test_add_ll),
		cmocka_unit_test(test_capped),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_csv_value),
		cmocka_unit_test(test_url),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
