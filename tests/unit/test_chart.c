/* test_chart.c — chart.c: the SVG of bars and steps is well-formed (every
 * element closed, in order), carries its text alternative and escapes its
 * text, also with no data, one point and values of zero. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chart.h"

/* Checks that the tags of s nest: each <x ...> is closed by </x> or is
 * self-closing, and nothing is left open.  Returns the number of elements. */
static int well_formed(const char *s)
{
	char stack[64][16];
	int depth = 0, elements = 0;
	for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<')) {
		const char *end = strchr(p, '>');
		assert_non_null(end);
		assert_null(memchr(p + 1, '<', (size_t)(end - p - 1))); /* no '<' inside a tag */
		if (p[1] == '/') {
			assert_true(depth > 0);
			depth--;
			size_t n = strlen(stack[depth]);
			assert_memory_equal(p + 2, stack[depth], n);
			assert_true(p[2 + n] == '>');
		} else if (end[-1] != '/') {
			size_t n = strcspn(p + 1, " >");
			assert_true(n < sizeof stack[0] && depth < 64);
			memcpy(stack[depth], p + 1, n);
			stack[depth++][n] = '\0';
			elements++;
		} else {
			elements++;
		}
	}
	assert_int_equal(depth, 0);
	return elements;
}

static int count(const char *s, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void text_alternative(const char *s, const char *id)
{
	char want[128];
	snprintf(want, sizeof want, "role=\"img\" direction=\"ltr\" aria-labelledby=\"%s-t %s-d\"", id, id);
	assert_non_null(strstr(s, want));
	snprintf(want, sizeof want, "<title id=\"%s-t\">", id);
	assert_non_null(strstr(s, want));
	snprintf(want, sizeof want, "<desc id=\"%s-d\">", id);
	assert_non_null(strstr(s, want));
	assert_true(strncmp(s, "<svg ", 5) == 0);
	assert_true(strcmp(s + strlen(s) - 6, "</svg>") == 0);
	assert_null(strstr(s, "nan"));
	assert_null(strstr(s, "inf"));
	assert_null(strstr(s, "=\"-")); /* no negative coordinate or size */
}

static void test_bars(void **state)
{
	(void)state;
	const struct chart_bar bars[] = {
		{ "planned", 1, "#4a5260" }, { "in <progress>", 5, "#8a4b00" }, { "done", 7, NULL }, { "dropped", 0, "#a11a1a" },
	};
	struct buf b = BUF_INIT;
	chart_bars(&b, "c1", "Actions & status", "planned: 1; …", bars, 4, "none");
	const char *s = buf_cstr(&b);
	well_formed(s);
	text_alternative(s, "c1");
	assert_int_equal(count(s, "<rect "), 4);
	assert_non_null(strstr(s, "<title id=\"c1-t\">Actions &amp; status</title>"));
	assert_non_null(strstr(s, "in &lt;progress&gt;"));
	/* the longest bar is the largest value; zero has width 0 */
	assert_non_null(strstr(s, "width=\"360\" height=\"20\" fill=\"#0b4f8a\""));
	assert_non_null(strstr(s, "width=\"0\" height=\"20\" fill=\"#a11a1a\""));
	assert_non_null(strstr(s, ">7</text>"));
	buf_release(&b);
}

static void test_bars_all_zero_and_empty(void **state)
{
	(void)state;
	const struct chart_bar zero[] = { { "a", 0, NULL }, { "b", 0, NULL } };
	struct buf b = BUF_INIT;
	chart_bars(&b, "z", "t", "d", zero, 2, "none");
	well_formed(buf_cstr(&b));
	text_alternative(buf_cstr(&b), "z");
	assert_int_equal(count(buf_cstr(&b), "width=\"0\""), 2);
	buf_reset(&b);
	chart_bars(&b, "e", "t", "d", NULL, 0, "No action yet.");
	well_formed(buf_cstr(&b));
	text_alternative(buf_cstr(&b), "e");
	assert_non_null(strstr(buf_cstr(&b), ">No action yet.</text>"));
	assert_null(strstr(buf_cstr(&b), "<rect"));
	buf_release(&b);
}

static void test_steps(void **state)
{
	(void)state;
	const struct chart_point pts[] = {
		{ "2024-09-26", 14 }, { "2025-01-28", 13 }, { "2025-03-25", 12 }, { "2026-11-29", 6 },
	};
	struct buf b = BUF_INIT;
	chart_steps(&b, "bd", "Open actions", "2024-09-26: 14; …", pts, 4, "none");
	const char *s = buf_cstr(&b);
	well_formed(s);
	text_alternative(s, "bd");
	assert_int_equal(count(s, "<circle "), 4);
	/* starts at the top left (the largest value), ends at the right edge */
	assert_non_null(strstr(s, "d=\"M56 16 H"));
	assert_non_null(strstr(s, "<circle cx=\"576\""));
	assert_non_null(strstr(s, ">2024-09-26</text>"));
	assert_non_null(strstr(s, ">2026-11-29</text>"));
	assert_non_null(strstr(s, ">14</text>"));
	buf_release(&b);
}

static void test_steps_one_point_zero_and_empty(void **state)
{
	(void)state;
	const struct chart_point one[] = { { "2025-01-01", 3 } };
	struct buf b = BUF_INIT;
	chart_steps(&b, "one", "t", "d", one, 1, "none");
	well_formed(buf_cstr(&b));
	text_alternative(buf_cstr(&b), "one");
	assert_non_null(strstr(buf_cstr(&b), "d=\"M316 16\"")); /* in the middle, at the top */
	assert_int_equal(count(buf_cstr(&b), "<circle "), 1);
	buf_reset(&b);
	const struct chart_point zero[] = { { "2025-01-01", 0 }, { "2025-02-01", 0 } };
	chart_steps(&b, "zero", "t", "d", zero, 2, "none");
	well_formed(buf_cstr(&b));
	text_alternative(buf_cstr(&b), "zero");
	buf_reset(&b);
	chart_steps(&b, "none", "t", "d", NULL, 0, "No action yet.");
	well_formed(buf_cstr(&b));
	text_alternative(buf_cstr(&b), "none");
	assert_non_null(strstr(buf_cstr(&b), ">No action yet.</text>"));
	assert_null(strstr(buf_cstr(&b), "<path"));
	buf_release(&b);
}

static void test_day(void **state)
{
	(void)state;
	assert_int_equal(chart_day("1970-01-01"), 0);
	assert_int_equal(chart_day("2000-03-01"), 11017);
	assert_int_equal(chart_day("2024-12-31") - chart_day("2024-01-01"), 365); /* leap year */
	assert_int_equal(chart_day("nonsense"), 0);
	assert_int_equal(chart_day(NULL), 0);
	assert_int_equal(chart_day("2024-13-01"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bars),
		cmocka_unit_test(test_bars_all_zero_and_empty),
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_steps_one_point_zero_and_empty),
		cmocka_unit_test(test_day),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
