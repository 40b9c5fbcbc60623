/* test_i18n.c — i18n.c: language choice and catalogue lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "assets.h"
#include "i18n.h"

static int setup(void **state)
{
	(void)state;
	i18n_init();
	return 0;
}

static void test_accept(void **state)
{
	(void)state;
	assert_int_equal(lang_from_accept(NULL), LANG_FR);
	assert_int_equal(lang_from_accept(""), LANG_FR);
	assert_int_equal(lang_from_accept("ar"), LANG_AR);
	assert_int_equal(lang_from_accept("en"), LANG_EN);
	assert_int_equal(lang_from_accept("EN"), LANG_EN);
	assert_int_equal(lang_from_accept("en-GB,en;q=0.9"), LANG_EN);
	assert_int_equal(lang_from_accept("ar-MA"), LANG_AR);
	assert_int_equal(lang_from_accept("de, en;q=0.5"), LANG_EN);
	assert_int_equal(lang_from_accept("fr;q=0.1, ar;q=0.9"), LANG_AR);
	assert_int_equal(lang_from_accept("en;q=0.8, ar;q=0.9, fr;q=0.7"), LANG_AR);
	assert_int_equal(lang_from_accept("ar;q=0.5,en"), LANG_EN);
	assert_int_equal(lang_from_accept("de-DE,de;q=0.9"), LANG_FR);
	assert_int_equal(lang_from_accept("*"), LANG_FR);
	assert_int_equal(lang_from_accept("en;q=0"), LANG_FR); /* q=0: not acceptable */
	assert_int_equal(lang_from_accept("eng, ara"), LANG_FR); /* not two-letter tags */
	assert_int_equal(lang_from_accept("enx-US"), LANG_FR);
	/* garbage */
	assert_int_equal(lang_from_accept(";;;,,,"), LANG_FR);
	assert_int_equal(lang_from_accept(";q="), LANG_FR);
	assert_int_equal(lang_from_accept("q=1;en"), LANG_FR);
	assert_int_equal(lang_from_accept("\xff\xfe, \x01"), LANG_FR);
	assert_int_equal(lang_from_accept("en;q=abc"), LANG_FR);
	assert_int_equal(lang_from_accept("e"), LANG_FR);
	assert_int_equal(lang_from_accept("-"), LANG_FR);
	assert_int_equal(lang_from_accept(" , en ;"), LANG_FR);
}

static void test_parse(void **state)
{
	(void)state;
	enum lang l = LANG__MAX;
	assert_true(lang_parse("fr", &l));
	assert_int_equal(l, LANG_FR);
	assert_true(lang_parse("en", &l));
	assert_int_equal(l, LANG_EN);
	assert_true(lang_parse("ar", &l));
	assert_int_equal(l, LANG_AR);
	assert_true(lang_parse("AR", &l));
	assert_int_equal(l, LANG_AR);
	l = LANG__MAX;
	assert_false(lang_parse("de", &l));
	assert_false(lang_parse("", &l));
	assert_false(lang_parse("fra", &l));
	assert_false(lang_parse("f", &l));
	assert_false(lang_parse("en-GB", &l));
	assert_false(lang_parse(NULL, &l));
	assert_int_equal(l, LANG__MAX); /* untouched */
}

static void test_codes(void **state)
{
	(void)state;
	assert_string_equal(lang_code[LANG_FR], "fr");
	assert_string_equal(lang_code[LANG_EN], "en");
	assert_string_equal(lang_code[LANG_AR], "ar");
	assert_true(lang_rtl(LANG_AR));
	assert_false(lang_rtl(LANG_FR));
	assert_false(lang_rtl(LANG_EN));
}

static void test_tr_untranslated(void **state)
{
	(void)state;
	static const char msgid[] = "A string no catalogue has, surely";
	for (int l = 0; l < LANG__MAX; l++)
		assert_ptr_equal(tr((enum lang)l, msgid), msgid);
	/* an out-of-range language falls back to French, never crashes */
	assert_ptr_equal(tr(LANG__MAX, msgid), msgid);
	/* translations are never NULL */
	assert_non_null(tr(LANG_AR, "Name"));
	assert_non_null(tr(LANG_EN, "is required"));
	assert_string_equal(tr(LANG_EN, "is required"), "is required");
}

static void test_tr_translated(void **state)
{
	(void)state;
	assert_string_equal(tr(LANG_FR, "Name"), "Nom");
	assert_string_equal(tr(LANG_FR, "is required"), "est obligatoire");
	assert_string_equal(tr(LANG_AR, "Countries"), "\xd8\xa7\xd9\x84\xd8\xa8\xd9\x84\xd8\xaf\xd8\xa7\xd9\x86");
	assert_string_equal(tr(LANG_EN, "Countries"), "Countries");
	/* msgids are exact: case and spacing matter */
	assert_string_equal(tr(LANG_FR, "name"), "name");
	assert_string_equal(tr(LANG_FR, "Name "), "Name ");
}

/* A status in its record's context (msgctxt): French and Arabic agreement;
 * a context without an entry of its own falls back to the word alone. */
static uint32_t mo32(const unsigned char *d, size_t off)
{
	uint32_t v;
	memcpy(&v, d + off, 4);
	return v; /* msgfmt writes the machine's byte order */
}

/* Every original of each catalogue is found (through msgfmt's hash table)
 * and gives its own translation, or itself when it has none. */
static void test_tr_every_message(void **state)
{
	(void)state;
	static const char *const files[LANG__MAX] = { "po/fr.mo", "po/en.mo", "po/ar.mo" };
	for (int l = 0; l < LANG__MAX; l++) {
		const struct asset *a = asset_find(files[l]);
		assert_non_null(a);
		uint32_t n = mo32(a->data, 8), orig = mo32(a->data, 12), trans = mo32(a->data, 16);
		assert_true(n > 100);
		assert_true(mo32(a->data, 20) > n); /* a hash table, larger than the count */
		for (uint32_t i = 0; i < n; i++) {
			const char *o = (const char *)a->data + mo32(a->data, orig + 8 * i + 4);
			const char *t = (const char *)a->data + mo32(a->data, trans + 8 * i + 4);
			if (!*o)
				continue; /* the header */
			assert_string_equal(tr((enum lang)l, o), *t ? t : o);
		}
	}
}

static void test_tr_ctx(void **state)
{
	(void)state;
	assert_string_equal(tr_ctx(LANG_FR, "training_session", "open"), "Ouverte");
	assert_string_equal(tr_ctx(LANG_FR, "need", "open"), "Ouvert");
	assert_string_equal(tr_ctx(LANG_FR, "action", "open"), tr(LANG_FR, "open"));
	assert_string_equal(tr_ctx(LANG_FR, "programme", "cancelled"), "annulé");
	assert_string_equal(tr_ctx(LANG_FR, "training_session", "cancelled"), "Annulée");
	assert_string_equal(tr_ctx(LANG_AR, "training_session", "open"), "مفتوحة");
	assert_string_equal(tr_ctx(LANG_EN, "training_session", "open"), tr(LANG_EN, "open"));
	assert_string_equal(tr_ctx(LANG_FR, NULL, "open"), tr(LANG_FR, "open"));
}

/* French collation: accents are secondary (Bénin before Burundi). */
static void test_collate(void **state)
{
	(void)state;
	if (!i18n_has_collation(LANG_FR))
		skip(); /* no fr_FR locale on this machine (tools/deps installs locales-all) */
	assert_true(i18n_collate(LANG_FR, "Bénin", 6, "Burundi", 7) < 0);
	assert_true(i18n_collate(LANG_FR, "Sénégal", 8, "Soudan du Sud", 13) < 0);
	assert_true(i18n_collate(LANG_FR, "Égypte", 7, "Espagne", 7) < 0);
	assert_true(i18n_collate(LANG_FR, "abc", 3, "abc", 3) == 0);
	assert_true(i18n_collate(LANG_FR, "abc", 3, "abcd", 4) < 0);
	assert_true(i18n_collate(LANG_FR, "Bénin", 6, "Benin", 5) != 0); /* only the same bytes are equal */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_tr_untranslated),
		cmocka_unit_test(test_tr_translated),
		cmocka_unit_test(test_tr_ctx),
		cmocka_unit_test(test_tr_every_message),
		cmocka_unit_test(test_collate),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
