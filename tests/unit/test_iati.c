/* test_iati.c — iati.c's pure parts: escaping, amounts, code tables, and a
 * file written then read again (iati_parse) without a database. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "iati.h"
#include "iati_parse.h"
#include "xalloc.h"

static void test_escape(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	iati_xml_escape(&b, "a&b<c>d\"e\r\nf\tg\x01h", false);
	assert_string_equal(buf_cstr(&b), "a&amp;b&lt;c&gt;d\"e&#13;\nf\tgh");
	buf_reset(&b);
	iati_xml_escape(&b, "a\"b\nc\td", true);
	assert_string_equal(buf_cstr(&b), "a&quot;b&#10;c&#9;d");
	buf_reset(&b);
	iati_xml_escape(&b, "é « » ع", false); /* UTF-8 passes through */
	assert_string_equal(buf_cstr(&b), "é « » ع");
	buf_release(&b);
}

static void amount_in(long long minor, int decimals, const char *want)
{
	struct buf b = BUF_INIT;
	iati_amount(&b, minor, decimals);
	assert_string_equal(buf_cstr(&b), want);
	long long back = 0;
	bool rounded = true;
	assert_true(iati_parse_amount(want, decimals, &back, &rounded));
	assert_false(rounded);
	assert_int_equal(back, minor);
	buf_release(&b);
}

static void amount(long long minor, const char *want)
{
	amount_in(minor, 2, want);
}

static void test_amounts(void **state)
{
	(void)state;
	amount(0, "0.00");
	amount(5, "0.05");
	amount(-505, "-5.05");
	amount(125000050, "1250000.50");
	/* CFA francs have no minor unit; Tunisian dinars three decimals */
	amount_in(1500000, 0, "1500000");
	amount_in(-7, 0, "-7");
	amount_in(1234567, 3, "1234.567");
	amount_in(5, 3, "0.005");
	long long v = 0;
	bool r = false;
	assert_true(iati_parse_amount(" 12.5 ", 2, &v, &r));
	assert_int_equal(v, 1250);
	assert_true(iati_parse_amount("1.005", 2, &v, &r));
	assert_true(r);
	assert_int_equal(v, 101);
	assert_true(iati_parse_amount("+7", 2, &v, &r));
	assert_int_equal(v, 700);
	assert_true(iati_parse_amount("1500000.00", 0, &v, &r));
	assert_false(r);
	assert_int_equal(v, 1500000);
	assert_true(iati_parse_amount("2.5", 0, &v, &r));
	assert_true(r);
	assert_int_equal(v, 3);
	assert_true(iati_parse_amount("0.9995", 3, &v, &r));
	assert_true(r);
	assert_int_equal(v, 1000);
	assert_false(iati_parse_amount("", 2, &v, &r));
	assert_false(iati_parse_amount("1e5", 2, &v, &r));
	assert_false(iati_parse_amount("12,50", 2, &v, &r));
	assert_false(iati_parse_amount("99999999999999999999", 2, &v, &r));
}

static void test_codes(void **state)
{
	(void)state;
	assert_string_equal(iati_theme_sector("pcve"), "15220");
	assert_string_equal(iati_theme_sector("criminal_justice"), "15130");
	assert_null(iati_theme_sector("nope"));
	assert_string_equal(iati_sector_theme("15113"), "terrorist_financing");
	assert_null(iati_sector_theme("11110"));
	assert_true(iati_known_currency("MAD"));
	assert_true(iati_known_currency("XOF"));
	assert_false(iati_known_currency("XYZ"));
	assert_false(iati_known_currency("US"));
	assert_int_equal(iati_status_code("pipeline"), 1);
	assert_int_equal(iati_status_code("suspended"), 6);
	assert_string_equal(iati_txn_name(4), "expenditure");
	assert_null(iati_txn_name(11));
	assert_int_equal(iati_result_code("impact"), 3);
}

static void test_write_read(void **state)
{
	(void)state;
	struct iati_doc d = { 0 };
	d.reporting.ref = xstrdup("XM-T");
	d.reporting.type = xstrdup("40");
	d.reporting.name.t[IATI_EN] = xstrdup("Reporter");
	int o = iati_org_add(&d);
	d.orgs[o].name.t[IATI_FR] = xstrdup("Bailleur <A> & co");
	struct iati_activity *a = iati_act_add(&d);
	a->identifier = xstrdup("XM-T-1");
	memcpy(a->currency, "EUR", 4);
	a->status = 3;
	memcpy(a->start, "2024-01-01", 11);
	a->title.t[IATI_AR] = xstrdup("عنوان");
	a->donors = xmalloc(sizeof *a->donors);
	a->donors[a->ndonors++] = o;
	struct buf out = BUF_INIT;
	iati_write(&d, "2026-01-01T00:00:00Z", &out);
	assert_non_null(strstr(buf_cstr(&out), "<activity-date type=\"2\" iso-date=\"2024-01-01\"/>"));
	struct iati_doc r;
	assert_true(iati_parse(out.data, out.len, &r));
	assert_int_equal(r.nacts, 1);
	assert_string_equal(r.acts[0].identifier, "XM-T-1");
	assert_string_equal(r.acts[0].title.t[IATI_AR], "عنوان");
	assert_int_equal(r.acts[0].status, 3);
	assert_int_equal(r.acts[0].ndonors, 1);
	assert_string_equal(r.orgs[r.acts[0].donors[0]].name.t[IATI_FR], "Bailleur <A> & co");
	iati_doc_free(&r);
	buf_release(&out);
	iati_doc_free(&d);
}

static void test_refused(void **state)
{
	(void)state;
	static const char *const bad[] = { "", "<a/>", "<iati-activities version=\"1.05\"/>",
					   "<iati-activities version=\"2.03\"><iati-activity>", "\x01" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct iati_doc d;
		assert_false(iati_parse(bad[i], strlen(bad[i]), &d));
		assert_non_null(d.error);
		iati_doc_free(&d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_amounts),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_write_read),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
