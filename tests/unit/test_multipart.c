/* test_multipart.c — multipart.c: boundaries, parts, binary content, and
 * the bodies it must refuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "multipart.h"

#define CT "multipart/form-data; boundary=XyZ"

static void test_boundary(void **state)
{
	(void)state;
	char b[MP_MAX_BOUNDARY + 1];
	assert_true(mp_boundary("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxk", b));
	assert_string_equal(b, "----WebKitFormBoundary7MA4YWxk");
	assert_true(mp_boundary("Multipart/Form-Data;boundary=\"a b:c\"", b));
	assert_string_equal(b, "a b:c");
	assert_true(mp_boundary("multipart/form-data; charset=utf-8; BOUNDARY=x", b));
	assert_string_equal(b, "x");
	assert_false(mp_boundary("multipart/form-data", b));
	assert_false(mp_boundary("multipart/form-data; boundary=", b));
	assert_false(mp_boundary("multipart/form-data; boundary=\"unterminated", b));
	assert_false(mp_boundary("multipart/form-data; boundary=a\"b", b)); /* '"' is no bchar */
	assert_false(mp_boundary("multipart/mixed; boundary=x", b));
	assert_false(mp_boundary("multipart/form-datax; boundary=x", b));
	assert_false(mp_boundary("application/json", b));
	assert_false(mp_boundary(NULL, b));
	assert_false(mp_boundary("multipart/form-data; boundary=x; boundary=y", b));
	char longb[200] = "multipart/form-data; boundary=";
	memset(longb + strlen(longb), 'a', 71);
	assert_false(mp_boundary(longb, b)); /* 71 > 70 */
	longb[strlen(longb) - 1] = '\0';
	assert_true(mp_boundary(longb, b));
	assert_int_equal(strlen(b), 70);
}

static void test_parts(void **state)
{
	(void)state;
	static const char body[] =
		"preamble to ignore\r\n"
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"title\"\r\n"
		"\r\n"
		"Communiqué\r\n"
		"--XyZ  \r\n"
		"content-disposition: form-data; name=file; filename=\"C:\\dir\\a b.pdf\"\r\n"
		"Content-Type: application/pdf\r\n"
		"\r\n"
		"%PDF-\0\r\n--Xy\r\nZ\r\n"
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"empty\"\r\n"
		"\r\n"
		"\r\n"
		"--XyZ--\r\n"
		"epilogue\r\n--XyZ\r\n";
	struct mp_form f;
	const char *why = NULL;
	assert_true(mp_parse(CT, body, sizeof body - 1, &f, &why));
	assert_int_equal(f.n, 3);
	assert_string_equal(f.parts[0].name, "title");
	assert_null(f.parts[0].filename);
	assert_int_equal(f.parts[0].len, strlen("Communiqué"));
	assert_memory_equal(f.parts[0].data, "Communiqué", f.parts[0].len);
	const struct mp_part *file = mp_get(&f, "file");
	assert_non_null(file);
	assert_string_equal(file->filename, "C:\\dir\\a b.pdf"); /* backslashes as browsers send them */
	assert_string_equal(file->content_type, "application/pdf");
	assert_int_equal(file->len, 15); /* binary-safe: a NUL, CRLF and a near-boundary inside */
	assert_memory_equal(file->data, "%PDF-\0\r\n--Xy\r\nZ", 15);
	char *t = mp_text(&f, "title");
	assert_string_equal(t, "Communiqué");
	free(t);
	assert_null(mp_text(&f, "file")); /* holds a NUL */
	t = mp_text(&f, "empty");
	assert_string_equal(t, "");
	free(t);
	assert_null(mp_get(&f, "absent"));
	mp_release(&f);
	assert_int_equal(f.n, 0);
}

static void test_no_headers_and_first_line(void **state)
{
	(void)state;
	/* the body may open with the delimiter; a part with no header at all has no name */
	static const char ok[] = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--";
	struct mp_form f;
	const char *why;
	assert_true(mp_parse(CT, ok, sizeof ok - 1, &f, &why));
	assert_int_equal(f.n, 1);
	mp_release(&f);
	static const char noname[] = "--XyZ\r\n\r\nvalue\r\n--XyZ--";
	assert_false(mp_parse(CT, noname, sizeof noname - 1, &f, &why));
	assert_non_null(why);
	assert_int_equal(f.n, 0);
	static const char empty[] = "--XyZ--\r\n";
	assert_true(mp_parse(CT, empty, sizeof empty - 1, &f, &why));
	assert_int_equal(f.n, 0);
	mp_release(&f);
}

static void refused(const char *ct, const char *body)
{
	struct mp_form f;
	const char *why = NULL;
	assert_false(mp_parse(ct, body, strlen(body), &f, &why));
	assert_non_null(why);
	assert_null(f.parts);
	assert_int_equal(f.n, 0);
}

static void test_refused(void **state)
{
	(void)state;
	refused("application/json", "{}");
	refused(CT, "");
	refused(CT, "no delimiter at all");
	refused(CT, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nunterminated");
	refused(CT, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n"); /* headers do not end */
	refused(CT, "--XyZx\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--");
	refused(CT, "--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\n1\r\n--XyZ--");
	refused(CT, "--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\n1\r\n--XyZ--");
	refused(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n--XyZ--");
	refused(CT, "--XyZ\r\nno colon here\r\n\r\n1\r\n--XyZ--");
	refused(CT, "--XyZ\r\nContent-Disposition: form-data; name=a\nX: y\r\n\r\n1\r\n--XyZ--");
	refused(CT, "--XyZ\r\nContent-Disposition: form-data; name=a\r\nContent-Type: a\r\nContent-Type: b\r\n\r\n1\r\n--XyZ--");
	refused(CT, "--XyZ\r\nContent-Disposition: form-data; =a\r\n\r\n1\r\n--XyZ--");
	refused(CT, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ"); /* no close, ends */
}

static void test_limits(void **state)
{
	(void)state;
	/* MP_MAX_PARTS parts pass, one more is refused */
	char *body = malloc(64 * (MP_MAX_PARTS + 2));
	for (int extra = 0; extra < 2; extra++) {
		size_t n = 0;
		for (int i = 0; i < MP_MAX_PARTS + extra; i++)
			n += (size_t)sprintf(body + n, "--XyZ\r\nContent-Disposition: form-data; name=p%d\r\n\r\n%d\r\n", i, i);
		n += (size_t)sprintf(body + n, "--XyZ--");
		struct mp_form f;
		const char *why;
		bool ok = mp_parse(CT, body, n, &f, &why);
		assert_int_equal(ok, !extra);
		mp_release(&f);
	}
	free(body);
	/* headers over MP_MAX_HEADER */
	size_t big = MP_MAX_HEADER + 200;
	char *h = malloc(big + 100);
	size_t n = (size_t)sprintf(h, "--XyZ\r\nContent-Disposition: form-data; name=a\r\nX-Pad: ");
	memset(h + n, 'a', MP_MAX_HEADER);
	n += MP_MAX_HEADER;
	n += (size_t)sprintf(h + n, "\r\n\r\n1\r\n--XyZ--");
	struct mp_form f;
	const char *why;
	assert_false(mp_parse(CT, h, n, &f, &why));
	free(h);
}

static void test_is_form_data(void **state)
{
	(void)state;
	assert_true(mp_is_form_data("multipart/form-data"));
	assert_true(mp_is_form_data("MULTIPART/FORM-DATA; boundary=a"));
	assert_false(mp_is_form_data("multipart/form-datum"));
	assert_false(mp_is_form_data("application/x-www-form-urlencoded"));
	assert_false(mp_is_form_data(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boundary),
		cmocka_unit_test(test_parts),
		cmocka_unit_test(test_no_headers_and_first_line),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_is_form_data),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
