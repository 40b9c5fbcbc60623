/* test_names.c — names.c: the match key of participants. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "names.h"

#define KEY(family, given, country, want)                                     \
	do {                                                                  \
		struct buf b_ = BUF_INIT;                                     \
		names_match_key(&b_, family, given, country);                 \
		assert_string_equal(buf_cstr(&b_), want);                     \
		buf_release(&b_);                                             \
	} while (0)

static void test_order_case_hyphens(void **state)
{
	(void)state;
	KEY("Dupont", "Marie-Claire", "SN", "claire dupont marie|SN");
	KEY("marie claire", "DUPONT", "SN", "claire dupont marie|SN");
	KEY("  DUPONT  ", " Marie  Claire ", "SN", "claire dupont marie|SN");
}

static void test_accents_ligatures(void **state)
{
	(void)state;
	KEY("Ouédraogo", "Aïcha", "BF", "aicha ouedraogo|BF");
	KEY("OUEDRAOGO", "AICHA", "BF", "aicha ouedraogo|BF");
	KEY("Cœur", "Strauß", "FR", "coeur strauss|FR");
	KEY("N’Diaye", "Fatou", "SN", "diaye fatou n|SN");
	KEY("N'Diaye", "Fatou", "SN", "diaye fatou n|SN");
}

static void test_other_scripts_and_empty(void **state)
{
	(void)state;
	KEY("بن علي", "محمد", "TN", "بن علي محمد|TN");
	KEY(NULL, NULL, "MA", "|MA");
	KEY("", "--", "MA", "|MA");
	KEY("Diallo", NULL, NULL, "diallo|");
}

static void test_different_people_differ(void **state)
{
	(void)state;
	struct buf a = BUF_INIT, b = BUF_INIT;
	names_match_key(&a, "Diallo", "Amadou", "SN");
	names_match_key(&b, "Diallo", "Amadou", "ML");
	assert_string_not_equal(buf_cstr(&a), buf_cstr(&b));
	names_match_key(&b, "Diallo", "Amadu", "SN");
	assert_string_not_equal(buf_cstr(&a), buf_cstr(&b));
	buf_release(&a);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_case_hyphens),
		cmocka_unit_test(test_accents_ligatures),
		cmocka_unit_test(test_other_scripts_and_empty),
		cmocka_unit_test(test_different_people_differ),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
