/* test_totp.c — totp.c against RFC 6238's test values (appendix B, SHA-1,
 * the last 6 digits of its 8), the window of one step either side, codes
 * refused once used, base32 against RFC 4648's vectors, the otpauth
 * address. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "totp.h"

static const unsigned char rfc_secret[] = "12345678901234567890";
#define RFC_N 20

static void test_rfc6238(void **state)
{
	(void)state;
	static const struct {
		long long t;
		unsigned code;
	} v[] = { { 59, 287082 },	   { 1111111109, 81804 }, { 1111111111, 50471 },
		  { 1234567890, 5924 },   { 2000000000, 279037 }, { 20000000000LL, 353130 } };
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		assert_int_equal(totp_code(rfc_secret, RFC_N, v[i].t / TOTP_STEP), v[i].code);
}

static void test_window_and_replay(void **state)
{
	(void)state;
	long long now = 1234567890, step;
	char code[8];
	for (int d = -2; d <= 2; d++) {
		snprintf(code, sizeof code, "%06u", totp_code(rfc_secret, RFC_N, now / TOTP_STEP + d));
		bool ok = totp_check(rfc_secret, RFC_N, code, now, 0, &step);
		assert_int_equal(ok, d >= -1 && d <= 1);
		if (ok)
			assert_int_equal(step, now / TOTP_STEP + d);
	}
	snprintf(code, sizeof code, "%06u", totp_code(rfc_secret, RFC_N, now / TOTP_STEP));
	assert_false(totp_check(rfc_secret, RFC_N, code, now, now / TOTP_STEP, &step)); /* used once */
	assert_true(totp_check(rfc_secret, RFC_N, "005 924", now, 0, &step));          /* spaced */
	assert_false(totp_check(rfc_secret, RFC_N, "5924", now, 0, &step));
	assert_false(totp_check(rfc_secret, RFC_N, "0059245", now, 0, &step));
	assert_false(totp_check(rfc_secret, RFC_N, "00592a", now, 0, &step));
	assert_false(totp_check(rfc_secret, RFC_N, "", now, 0, &step));
}

static void test_base32(void **state)
{
	(void)state;
	char out[TOTP_BASE32_MAX];
	totp_base32((const unsigned char *)"foobar", 6, out);
	assert_string_equal(out, "MZXW6YTBOI"); /* RFC 4648 §10, unpadded */
	totp_base32((const unsigned char *)"f", 1, out);
	assert_string_equal(out, "MY");
	totp_base32(rfc_secret, RFC_N, out);
	assert_string_equal(out, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

static void test_uri(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	totp_uri(&b, "suivi Rabat", "fatima.officer", "GEZDGNBV");
	assert_string_equal(buf_cstr(&b), "otpauth://totp/suivi%20Rabat:fatima.officer?secret=GEZDGNBV&issuer=suivi%20Rabat"
					 "&algorithm=SHA1&digits=6&period=30");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc6238),
		cmocka_unit_test(test_window_and_replay),
		cmocka_unit_test(test_base32),
		cmocka_unit_test(test_uri),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
