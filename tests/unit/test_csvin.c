/* test_csvin.c — csvin.c: what spreadsheets export, and what they must not. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csvin.h"

/* Reads text (n bytes) and checks each record against want: records
 * separated by '\n', fields by '|', each record prefixed "LINE:". */
static void expect(const char *text, size_t n, const char *want)
{
	struct csvin *r = csvin_new_mem(text, n, NULL);
	char got[2048] = "";
	size_t len = 0;
	while (csvin_next(r) == CSVIN_RECORD) {
		len += (size_t)snprintf(got + len, sizeof got - len, "%lld:", csvin_line(r));
		for (size_t i = 0; i < csvin_count(r); i++) {
			assert_int_equal(strlen(csvin_field(r, i)), csvin_len(r, i));
			len += (size_t)snprintf(got + len, sizeof got - len, "%s%s", i ? "|" : "",
						csvin_field(r, i));
		}
		len += (size_t)snprintf(got + len, sizeof got - len, "\n");
	}
	assert_null(csvin_error(r));
	assert_string_equal(got, want);
	csvin_free(r);
}

#define EXPECT(text, want) expect(text, sizeof text - 1, want)

/* The error message and line of a text the reader must refuse. */
static void refuse(const char *text, size_t n, long long line, const char *part)
{
	struct csvin *r = csvin_new_mem(text, n, NULL);
	enum csvin_rc rc;
	while ((rc = csvin_next(r)) == CSVIN_RECORD)
		;
	assert_int_equal(rc, CSVIN_ERROR);
	assert_non_null(strstr(csvin_error(r), part));
	assert_int_equal(csvin_error_line(r), line);
	assert_int_equal(csvin_next(r), CSVIN_ERROR); /* and stays failed */
	csvin_free(r);
}

#define REFUSE(text, line, part) refuse(text, sizeof text - 1, line, part)

static void test_plain(void **state)
{
	(void)state;
	EXPECT("a,b,c\n1,2,3\n", "1:a|b|c\n2:1|2|3\n");
	EXPECT("a,b\n1,2", "1:a|b\n2:1|2\n");       /* no final line end */
	EXPECT("a,,c\n,,\n", "1:a||c\n2:||\n");     /* empty fields */
	EXPECT("", "");
	EXPECT("\n\n", "");
}

static void test_bom(void **state)
{
	(void)state;
	EXPECT("\xEF\xBB\xBFpays;gravit\xC3\xA9\nMA;3\n", "1:pays|gravité\n2:MA|3\n");
	struct csvin *r = csvin_new_mem("\xEF\xBB\xBF" "a\n", 4, NULL);
	assert_int_equal(csvin_next(r), CSVIN_RECORD);
	assert_string_equal(csvin_field(r, 0), "a");
	assert_false(csvin_cp1252(r));
	csvin_free(r);
}

static void test_separator(void **state)
{
	(void)state;
	EXPECT("a;b;c\n1,5;2;3\n", "1:a|b|c\n2:1,5|2|3\n");
	/* commas inside quotes do not count on the header line */
	EXPECT("\"x,y,z\";b\n1;2\n", "1:x,y,z|b\n2:1|2\n");
	EXPECT("a,b;c\n1,2;3\n", "1:a|b;c\n2:1|2;3\n"); /* a tie is ',' */
	EXPECT("a\tb\tc,d\n1\t2\t3\n", "1:a|b|c,d\n2:1|2|3\n"); /* pasted cells */
	struct csvin *r = csvin_new_mem("a;b\n", 4, NULL);
	assert_int_equal(csvin_separator(r), 0);
	csvin_next(r);
	assert_int_equal(csvin_separator(r), ';');
	csvin_free(r);
}

static void test_quotes(void **state)
{
	(void)state;
	EXPECT("a,b\n\"x, \"\"y\"\"\",\"line one\nline two\"\n3,4\n",
	       "1:a|b\n2:x, \"y\"|line one\nline two\n4:3|4\n");
	EXPECT("\"\",\"\"\"\"\n", "1:|\"\n");
	/* a CRLF inside quotes comes out as LF and counts as one line */
	EXPECT("a\r\n\"p\r\nq\"\r\nz\r\n", "1:a\n2:p\nq\n4:z\n");
}

static void test_line_ends(void **state)
{
	(void)state;
	EXPECT("a,b\r\n1,2\r\n3,4\r\n", "1:a|b\n2:1|2\n3:3|4\n");
	EXPECT("a,b\r1,2\r3,4\r", "1:a|b\n2:1|2\n3:3|4\n");
	EXPECT("a\n1\r\n2\r3\n", "1:a\n2:1\n3:2\n4:3\n");
	/* empty lines are skipped but counted */
	EXPECT("a\n\n1\r\n\r\n\r\n2\n\n\n", "1:a\n3:1\n6:2\n");
}

static void test_cp1252(void **state)
{
	(void)state;
	/* "Côte d'Ivoire" and "Sécurité – €" written by a French Excel */
	EXPECT("pays;note\nC\xF4te d'Ivoire;S\xE9\x63urit\xE9 \x96 \x80\n",
	       "1:pays|note\n2:Côte d'Ivoire|Sécurité – €\n");
	/* the switch is sticky: a later field that happens to be valid
	 * UTF-8 ("Ã©" in Windows-1252) is read as Windows-1252 too */
	EXPECT("a\n\xE9\n\xC3\xA9\n", "1:a\n2:é\n3:Ã©\n");
	/* a UTF-8 file stays UTF-8 */
	EXPECT("a\nC\xC3\xB4te\n", "1:a\n2:Côte\n");
	struct csvin *r = csvin_new_mem("a\n\x81\n", 4, NULL);
	assert_int_equal(csvin_next(r), CSVIN_RECORD);
	assert_false(csvin_cp1252(r));
	assert_int_equal(csvin_next(r), CSVIN_RECORD);
	assert_true(csvin_cp1252(r));
	assert_string_equal(csvin_field(r, 0), "\xEF\xBF\xBD"); /* unassigned: U+FFFD */
	csvin_free(r);
}

static void test_bad_quotes(void **state)
{
	(void)state;
	REFUSE("a,b\n1,\"open\n2,3\n", 2, "never closed");
	REFUSE("a,b\n1,x\"y\n", 2, "holds a quote");
	REFUSE("a,b\n\"x\"y,1\n", 2, "after its closing quote");
	/* the line of an error after a multi-line field is its own line */
	REFUSE("a,b\n\"1\n2\",3\n4,5\"\n", 4, "holds a quote");
	REFUSE("a,b\n1,\0\n", 2, "NUL");
}

static void test_limits(void **state)
{
	(void)state;
	struct csvin_limits lim = { .field = 4, .record = 12, .fields = 3 };
	struct csvin *r = csvin_new_mem("abcd,x\nabcde\n", 13, &lim);
	assert_int_equal(csvin_next(r), CSVIN_RECORD);
	assert_int_equal(csvin_next(r), CSVIN_ERROR);
	assert_non_null(strstr(csvin_error(r), "longer than 4 bytes"));
	assert_int_equal(csvin_error_line(r), 2);
	csvin_free(r);

	r = csvin_new_mem("a,b,c,d\n", 8, &lim);
	assert_int_equal(csvin_next(r), CSVIN_ERROR);
	assert_non_null(strstr(csvin_error(r), "more than 3 fields"));
	csvin_free(r);

	r = csvin_new_mem("abcd,abcd,abcd\n", 15, &lim);
	assert_int_equal(csvin_next(r), CSVIN_ERROR);
	assert_non_null(strstr(csvin_error(r), "record is longer than 12"));
	csvin_free(r);
}

/* A file reader over a file larger than one input chunk gives the same
 * records as the memory reader, with the offset at the end. */
static void test_file(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	assert_non_null(f);
	fputs("\xEF\xBB\xBFn;text\r\n", f);
	for (int i = 0; i < 20000; i++)
		fprintf(f, "%d;\"row %d;\r\nsecond \"\"line\"\"\"\r\n", i, i);
	long size = ftell(f);
	rewind(f);
	struct csvin *r = csvin_new_file(f, NULL);
	assert_int_equal(csvin_next(r), CSVIN_RECORD);
	assert_string_equal(csvin_field(r, 0), "n");
	int n = 0;
	char want[64];
	while (csvin_next(r) == CSVIN_RECORD) {
		assert_int_equal(csvin_count(r), 2);
		assert_int_equal(csvin_line(r), 2 + 2 * n);
		snprintf(want, sizeof want, "row %d;\nsecond \"line\"", n);
		assert_string_equal(csvin_field(r, 1), want);
		n++;
	}
	assert_null(csvin_error(r));
	assert_int_equal(n, 20000);
	assert_int_equal(csvin_offset(r), (unsigned long long)size);
	csvin_free(r);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_separator),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_cp1252),
		cmocka_unit_test(test_bad_quotes),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
