/* test_auth.c — auth.c: the hash verified for an unknown name has the
 * parameters of the hashes made for passwords, so that an unknown name costs
 * exactly what a wrong password costs (the HTTP tests check that it is
 * answered the same; a clock cannot check the cost on a busy machine). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "auth.h"

static void test_dummy_hashes_have_the_cost_of_real_ones(void **state)
{
	(void)state;
	assert_true(auth_dummy_hash_matches(auth_dummy_hash_interactive, true));
	assert_true(auth_dummy_hash_matches(auth_dummy_hash_min, false));
	assert_false(auth_dummy_hash_matches(auth_dummy_hash_min, true));
	assert_false(auth_dummy_hash_matches(auth_dummy_hash_interactive, false));
	/* The build's own passwords: the test build hashes at the minimum cost. */
	char made[256];
	assert_int_equal(auth_hash_password("a password", made), APP_OK);
	assert_true(auth_dummy_hash_matches(made, false));
	/* Both were made from a password nobody knows: none verifies. */
	assert_int_not_equal(crypto_pwhash_str_verify(auth_dummy_hash_min, "", 0), 0);
	assert_int_not_equal(crypto_pwhash_str_verify(auth_dummy_hash_min, "a password", 10), 0);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dummy_hashes_have_the_cost_of_real_ones),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
