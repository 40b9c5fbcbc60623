/* test_accounts.c — accounts.c: the rules of a new account that `suivi user
 * add` and the administration pages share (the store's part is the HTTP
 * tests'). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "accounts.h"

static enum account_fault parse(const char *name, const char *role, const char *country, const char *org,
				struct account *out)
{
	struct account_spec s = { name, role, country, org };
	return account_parse(&s, out);
}

static void test_names(void **state)
{
	(void)state;
	assert_true(account_name_ok("a"));
	assert_true(account_name_ok("focal.sn-2_b"));
	char longest[ACCOUNT_NAME_MAX + 2];
	memset(longest, 'x', ACCOUNT_NAME_MAX);
	longest[ACCOUNT_NAME_MAX] = '\0';
	assert_true(account_name_ok(longest));
	longest[ACCOUNT_NAME_MAX] = 'x';
	longest[ACCOUNT_NAME_MAX + 1] = '\0';
	assert_false(account_name_ok(longest));
	assert_false(account_name_ok(""));
	assert_false(account_name_ok("Upper"));
	assert_false(account_name_ok("has space"));
	assert_false(account_name_ok("é"));
}

static void test_faults_in_order(void **state)
{
	(void)state;
	struct account a;
	assert_int_equal(parse("Bad", "boss", NULL, NULL, &a), AF_NAME);
	assert_int_equal(parse(NULL, "admin", NULL, NULL, &a), AF_NAME);
	assert_int_equal(parse("x", "boss", NULL, NULL, &a), AF_ROLE);
	assert_int_equal(parse("x", "public", NULL, NULL, &a), AF_ROLE);
	assert_int_equal(parse("x", "", NULL, NULL, &a), AF_ROLE);
	assert_int_equal(parse("x", "focal", NULL, NULL, &a), AF_NO_COUNTRY);
	assert_int_equal(parse("x", "focal", "", NULL, &a), AF_NO_COUNTRY);
	assert_int_equal(parse("x", "focal", "Maroc", NULL, &a), AF_COUNTRY);
	assert_int_equal(parse("x", "focal", "ma", NULL, &a), AF_COUNTRY);
	assert_int_equal(parse("x", "donor", NULL, "abc", &a), AF_ORGANISATION);
	assert_int_equal(parse("x", "donor", NULL, "0", &a), AF_ORGANISATION);
}

static void test_well_formed(void **state)
{
	(void)state;
	struct account a;
	assert_int_equal(parse("focal.sn", "focal", "SN", NULL, &a), AF_OK);
	assert_string_equal(a.name, "focal.sn");
	assert_int_equal(a.role, ROLE_FOCAL);
	assert_string_equal(a.country, "SN");
	assert_int_equal(a.organisation, 0);
	assert_false(a.must_change);
	assert_int_equal(parse("donor.a", "donor", "", "4", &a), AF_OK);
	assert_int_equal(a.role, ROLE_DONOR);
	assert_string_equal(a.country, "");
	assert_int_equal(a.organisation, 4);
	assert_int_equal(parse("d", "donor", NULL, NULL, &a), AF_OK); /* as `suivi user add` has always taken it */
}

static void test_one_time_passwords(void **state)
{
	(void)state;
	auth_init();
	char a[TOKEN_TEXT], b[TOKEN_TEXT];
	auth_new_password(a);
	auth_new_password(b);
	assert_int_equal(strlen(a), 20);
	assert_string_not_equal(a, b);
	assert_true(auth_password_ok(a));
	assert_false(auth_password_ok("short"));
	assert_true(auth_password_ok("ten chars!"));
	assert_false(auth_password_ok("neuf-\xc3\xa9\xc3\xa9\xc3\xa9")); /* 8 characters in 11 bytes */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_faults_in_order),
		cmocka_unit_test(test_well_formed),
		cmocka_unit_test(test_one_time_passwords),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
