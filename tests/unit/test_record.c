/* test_record.c — record.c: decoding and validation of records against the
 * real entities of the registry, body parsing and field errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "entity.h"
#include "i18n.h"
#include "record.h"
#include "registry.h"
#include "util.h"

/* The record and errors of the test being run; freed by teardown. */
static struct record rec;
static struct ferrs errs;
static char message[512];

static int setup_group(void **state)
{
	(void)state;
	registry_init();
	i18n_init();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rec_free(&rec);
	ferrs_release(&errs);
	return 0;
}

/* Decodes json (a JSON text) as a record of entity `ent`. */
static enum app_err decode(const char *ent, enum rec_mode mode, const char *json)
{
	teardown(NULL);
	const struct entity *e = ent_by_name(ent);
	assert_non_null(e);
	rec_init(&rec, e);
	json_error_t jerr;
	json_t *j = json_loads(json, JSON_DECODE_ANY, &jerr);
	if (!j)
		fail_msg("test JSON does not parse: %s: %s", jerr.text, json);
	enum app_err rc = rec_from_json(&rec, j, mode, &errs);
	json_decref(j);
	return rc;
}

static enum app_err create(const char *ent, const char *json)
{
	return decode(ent, REC_CREATE, json);
}

/* The English message of the error on field, or NULL when it has none. */
static const char *err_on(const char *field)
{
	const struct ferr *f = ferrs_find(&errs, field);
	if (!f)
		return NULL;
	struct buf b = BUF_INIT;
	ferrs_message(&errs, (size_t)(f - errs.a), LANG_EN, &b);
	snprintf(message, sizeof message, "%s", buf_cstr(&b));
	buf_release(&b);
	return message;
}

/* The value of field `name` in the current record. */
static struct fval *val(const char *name)
{
	int i = ent_field_index(rec.e, name);
	assert_true(i >= 0);
	return &rec.v[i];
}

#define ASSERT_ERR(field, msg) assert_string_equal(err_on(field) ? err_on(field) : "(none)", msg)
#define ASSERT_NO_ERR(field) assert_null(err_on(field))

/* Minimal valid records. */
#define ACTION "\"outcome\": 1, \"title\": {\"en\": \"Do it\"}"
#define MEETING "\"kind\": \"conference\", \"title\": {\"fr\": \"R\xc3\xa9union\"}, \"start_date\": \"2024-03-01\""
#define OUTCOME "\"meeting\": 1, \"kind\": \"decision\", \"text\": {\"en\": \"t\"}"
#define COUNTRY "\"code\": \"MA\", \"name\": {\"fr\": \"Maroc\"}"

/* ---- whole records ------------------------------------------------------ */

static void test_valid_minimal(void **state)
{
	(void)state;
	assert_int_equal(create("action", "{" ACTION "}"), APP_OK);
	assert_int_equal(errs.n, 0);
	assert_true(val("outcome")->set);
	assert_string_equal(val("outcome")->s, "1");
	assert_string_equal(val("title")->tr[LANG_EN], "Do it");
	assert_null(val("title")->tr[LANG_FR]);
	assert_null(val("title")->tr[LANG_AR]);
	assert_false(val("status")->set); /* the store applies the default */
	assert_false(val("id")->set);

	assert_int_equal(create("meeting", "{" MEETING "}"), APP_OK);
	assert_string_equal(val("kind")->s, "conference");
	assert_string_equal(val("start_date")->s, "2024-03-01");
	assert_string_equal(val("title")->tr[LANG_FR], "R\xc3\xa9union");

	assert_int_equal(create("outcome", "{" OUTCOME "}"), APP_OK);
	assert_int_equal(create("country", "{" COUNTRY "}"), APP_OK);
	assert_string_equal(val("code")->s, "MA");
}

static void test_full_action(void **state)
{
	(void)state;
	assert_int_equal(create("action",
				"{" ACTION ", \"owner\": 3, \"due_date\": \"2024-02-29\","
				" \"status\": \"in_progress\", \"percent\": 40, \"sample\": true,"
				" \"source\": \"Communiqu\xc3\xa9\"}"),
			 APP_OK);
	assert_string_equal(val("owner")->s, "3");
	assert_string_equal(val("due_date")->s, "2024-02-29");
	assert_string_equal(val("status")->s, "in_progress");
	assert_int_equal(val("percent")->i, 40);
	assert_int_equal(val("sample")->i, 1);
	assert_string_equal(rec_text(&rec, ent_field_index(rec.e, "source")), "Communiqu\xc3\xa9");
	assert_null(rec_text(&rec, ent_field_index(rec.e, "late")));
	assert_null(rec_text(&rec, -1));
}

static void test_not_an_object(void **state)
{
	(void)state;
	assert_int_equal(create("action", "[1, 2]"), APP_BAD_JSON);
	assert_int_equal(create("action", "\"text\""), APP_BAD_JSON);
	assert_int_equal(create("action", "null"), APP_BAD_JSON);
	teardown(NULL);
	rec_init(&rec, ent_by_name("action"));
	assert_int_equal(rec_from_json(&rec, NULL, REC_CREATE, &errs), APP_BAD_JSON);
}

/* ---- required fields ---------------------------------------------------- */

static void test_required(void **state)
{
	(void)state;
	assert_int_equal(create("action", "{}"), APP_INVALID);
	ASSERT_ERR("outcome", "is required");
	ASSERT_ERR("title", "is required");
	ASSERT_NO_ERR("owner");
	ASSERT_NO_ERR("status");
	assert_int_equal(errs.n, 2);

	assert_int_equal(create("action", "{\"outcome\": null, \"title\": {\"en\": \"x\"}}"), APP_INVALID);
	ASSERT_ERR("outcome", "is required");
	assert_int_equal(create("action", "{\"outcome\": 1, \"title\": null}"), APP_INVALID);
	ASSERT_ERR("title", "is required");

	assert_int_equal(create("meeting", "{\"kind\": \"\", \"title\": {\"en\": \"x\"},"
					   " \"start_date\": \"\"}"), APP_INVALID);
	ASSERT_ERR("kind", "is required");
	ASSERT_ERR("start_date", "is required");

	assert_int_equal(create("country", "{\"name\": {\"fr\": \"Maroc\"}}"), APP_INVALID);
	ASSERT_ERR("code", "is required");
	assert_int_equal(create("country", "{\"code\": \"\", \"name\": {\"fr\": \"Maroc\"}}"), APP_INVALID);
	ASSERT_ERR("code", "is required");

	/* spaces only are no text: the required field is missing */
	assert_int_equal(create("meeting", "{\"kind\": \"  \", \"title\": {\"en\": \"x\"},"
					   " \"start_date\": \"\\t\"}"), APP_INVALID);
	ASSERT_ERR("kind", "is required");
	ASSERT_ERR("start_date", "is required");
	assert_int_equal(create("action", "{\"outcome\": 1, \"title\": {\"en\": \" \\u00a0 \"}}"), APP_INVALID);
	ASSERT_ERR("title", "needs a French or an English text");
	assert_int_equal(create("action", "{\"outcome\": 1, \"title\": {\"fr\": \"   \", \"en\": \"\\n\"}}"), APP_INVALID);
	ASSERT_ERR("title", "needs a French or an English text");
	/* a language of spaces beside a real one is an absent language */
	assert_int_equal(create("action", "{\"outcome\": 1, \"title\": {\"fr\": \" \", \"en\": \"Do it\"}}"), APP_OK);
	assert_null(val("title")->tr[LANG_FR]);
}

/* ---- types, ranges, enums, dates ---------------------------------------------- */

static void test_wrong_types(void **state)
{
	(void)state;
	static const struct {
		const char *field, *json, *msg;
	} cases[] = {
		{ "outcome", "\"1\"", "must be the number of a record" },
		{ "outcome", "1.5", "must be the number of a record" },
		{ "outcome", "0", "must be the number of a record" },
		{ "outcome", "-4", "must be the number of a record" },
		{ "outcome", "true", "must be the number of a record" },
		{ "owner", "[1]", "must be the number of a record" },
		{ "title", "\"Do it\"", "must be an object with fr, en or ar texts" },
		{ "title", "[\"Do it\"]", "must be an object with fr, en or ar texts" },
		{ "percent", "\"5\"", "must be a whole number" },
		{ "percent", "5.0", "must be a whole number" },
		{ "percent", "true", "must be a whole number" },
		{ "sample", "1", "must be true or false" },
		{ "sample", "\"true\"", "must be true or false" },
		{ "source", "5", "must be a string" },
		{ "source", "{}", "must be a string" },
		{ "due_date", "20240101", "must be a string" },
		{ "status", "1", "must be a string" },
		{ "status", "[\"done\"]", "must be a string" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char json[256];
		snprintf(json, sizeof json, "{" ACTION ", \"%s\": %s}", cases[i].field, cases[i].json);
		if (strcmp(cases[i].field, "outcome") == 0 || strcmp(cases[i].field, "title") == 0)
			snprintf(json, sizeof json, "{\"outcome\": 1, \"title\": {\"en\": \"t\"}, \"%s\": %s}",
				 cases[i].field, cases[i].json);
		/* a repeated key: the last one wins in jansson, which is the one tested */
		assert_int_equal(create("action", json), APP_INVALID);
		ASSERT_ERR(cases[i].field, cases[i].msg);
		assert_int_equal(errs.n, 1);
	}
}

static void test_ranges(void **state)
{
	(void)state;
	assert_int_equal(create("action", "{" ACTION ", \"percent\": 0}"), APP_OK);
	assert_int_equal(create("action", "{" ACTION ", \"percent\": 100}"), APP_OK);
	assert_int_equal(val("percent")->i, 100);
	assert_int_equal(create("action", "{" ACTION ", \"percent\": 101}"), APP_INVALID);
	ASSERT_ERR("percent", "is 101, not between 0\xe2\x80\x93" "100");
	assert_string_equal(errs.a[0].msgid, "is %s, not between %s");
	assert_string_equal(errs.a[0].arg, "101\x1f" "0\xe2\x80\x93" "100"); /* the value, then the range */
	assert_int_equal(create("action", "{" ACTION ", \"percent\": -1}"), APP_INVALID);
	assert_int_equal(create("action", "{" ACTION ", \"percent\": 9223372036854775807}"), APP_INVALID);
	assert_int_equal(create("action", "{" ACTION ", \"percent\": -9223372036854775808}"), APP_INVALID);

	assert_int_equal(create("meeting", "{" MEETING ", \"edition\": 1}"), APP_OK);
	assert_int_equal(create("meeting", "{" MEETING ", \"edition\": 1000}"), APP_OK);
	assert_int_equal(create("meeting", "{" MEETING ", \"edition\": 0}"), APP_INVALID);
	ASSERT_ERR("edition", "is 0, not between 1\xe2\x80\x93" "1000");
	assert_int_equal(create("meeting", "{" MEETING ", \"edition\": 1001}"), APP_INVALID);
	assert_int_equal(create("meeting", "{" MEETING ", \"edition\": null}"), APP_OK);
	assert_true(val("edition")->null);
}

/* Lengths count characters (code points), not bytes. */
static void test_text_length(void **state)
{
	(void)state;
	char json[4096];
	char text[2048];
	memset(text, 'a', 500);
	text[500] = '\0';
	snprintf(json, sizeof json, "{" ACTION ", \"source\": \"%s\"}", text);
	assert_int_equal(create("action", json), APP_OK); /* source: max 500 */
	snprintf(json, sizeof json, "{" ACTION ", \"source\": \"%sb\"}", text);
	assert_int_equal(create("action", json), APP_INVALID);
	ASSERT_ERR("source", "is too long (at most 500 characters)");

	for (int i = 0; i < 500; i++)
		memcpy(text + 2 * i, "\xc3\xa9", 2);
	text[1000] = '\0';
	snprintf(json, sizeof json, "{" ACTION ", \"source\": \"%s\"}", text);
	assert_int_equal(create("action", json), APP_OK);

	/* in multilingual objects too (title: max 1000) */
	memset(text, 'x', 1001);
	text[1001] = '\0';
	snprintf(json, sizeof json, "{\"outcome\": 1, \"title\": {\"ar\": \"%s\", \"en\": \"t\"}}", text);
	assert_int_equal(create("action", json), APP_INVALID);
	ASSERT_ERR("title", "is too long (at most 1000 characters)");
}

static void test_enums(void **state)
{
	(void)state;
	static const char *const good[] = { "planned", "in_progress", "done", "dropped" };
	static const char *const bad[] = { "finished", "DONE", "done ", " done", "plan" };
	char json[256];
	for (size_t i = 0; i < 4; i++) {
		snprintf(json, sizeof json, "{" ACTION ", \"status\": \"%s\"}", good[i]);
		assert_int_equal(create("action", json), APP_OK);
		assert_string_equal(val("status")->s, good[i]);
	}
	for (size_t i = 0; i < 5; i++) {
		snprintf(json, sizeof json, "{" ACTION ", \"status\": \"%s\"}", bad[i]);
		assert_int_equal(create("action", json), APP_INVALID);
		/* the value given, then what is allowed (rec_message) */
		char want[200];
		snprintf(want, sizeof want, "is \u201c%s\u201d, not one of the allowed values: planned, in_progress, done, dropped",
			 bad[i]);
		ASSERT_ERR("status", want);
	}
	assert_int_equal(create("meeting", "{\"kind\": \"party\", \"title\": {\"en\": \"x\"},"
					   " \"start_date\": \"2024-01-01\"}"), APP_INVALID);
	ASSERT_ERR("kind", "is \u201cparty\u201d, not one of the allowed values: strategic_dialogue, conference, forum, workshop");
	assert_int_equal(create("outcome", "{\"meeting\": 1, \"kind\": \"conference\","
					   " \"text\": {\"en\": \"t\"}}"), APP_INVALID);
	ASSERT_ERR("kind", "is \u201cconference\u201d, not one of the allowed values: result, decision, priority, commitment");
}

static void test_dates(void **state)
{
	(void)state;
	assert_int_equal(create("action", "{" ACTION ", \"due_date\": \"2024-02-29\"}"), APP_OK);
	assert_int_equal(create("action", "{" ACTION ", \"due_date\": null}"), APP_OK);
	assert_true(val("due_date")->null);
	assert_int_equal(create("action", "{" ACTION ", \"due_date\": \"\"}"), APP_OK);
	assert_true(val("due_date")->null);
	static const char *const bad[] = { "2023-02-29", "2024-02-30", "2024-13-01", "24-01-01",
					   "2024-1-01", "01/02/2024", "2024-01-01T10:00:00Z" };
	char json[256];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(json, sizeof json, "{" ACTION ", \"due_date\": \"%s\"}", bad[i]);
		assert_int_equal(create("action", json), APP_INVALID);
		ASSERT_ERR("due_date", "must be a real date written YYYY-MM-DD");
	}
}

/* ---- multilingual text -------------------------------------------------------- */

static void test_i18n(void **state)
{
	(void)state;
	assert_int_equal(create("action", "{\"outcome\": 1, \"title\": {\"de\": \"Tun\", \"en\": \"x\"}}"),
			 APP_INVALID);
	ASSERT_ERR("title", "has an unknown language: 'de' (use fr, en or ar)");
	assert_int_equal(create("action", "{\"outcome\": 1, \"title\": {\"FR\": \"x\"}}"), APP_INVALID);
	ASSERT_ERR("title", "has an unknown language: 'FR' (use fr, en or ar)");

	/* a required one needs French or English; Arabic alone is not enough */
	assert_int_equal(create("action", "{\"outcome\": 1, \"title\": {\"ar\": \"\xd8\xa7\"}}"), APP_INVALID);
	ASSERT_ERR("title", "needs a French or an English text");
	assert_int_equal(create("action", "{\"outcome\": 1, \"title\": {}}"), APP_INVALID);
	ASSERT_ERR("title", "needs a French or an English text");
	assert_int_equal(create("action", "{\"outcome\": 1, \"title\": {\"fr\": \"\", \"en\": null}}"),
			 APP_INVALID);
	ASSERT_ERR("title", "needs a French or an English text");
	assert_int_equal(create("action", "{\"outcome\": 1, \"title\": {\"fr\": \"f\"}}"), APP_OK);
	assert_int_equal(create("action", "{\"outcome\": 1, \"title\": {\"fr\": 5}}"), APP_INVALID);
	ASSERT_ERR("title", "must be a string");

	/* empty strings and nulls are absent languages */
	assert_int_equal(create("action", "{\"outcome\": 1, \"title\": {\"fr\": \"\", \"en\": \"e\","
					  " \"ar\": null}}"), APP_OK);
	assert_null(val("title")->tr[LANG_FR]);
	assert_string_equal(val("title")->tr[LANG_EN], "e");
	assert_null(val("title")->tr[LANG_AR]);
	assert_false(val("title")->null);

	/* an optional one may hold Arabic only, or nothing */
	assert_int_equal(create("meeting", "{" MEETING ", \"framework\": {\"ar\": \"\xd8\xa7\"}}"), APP_OK);
	assert_string_equal(val("framework")->tr[LANG_AR], "\xd8\xa7");
	assert_int_equal(create("meeting", "{" MEETING ", \"framework\": {}}"), APP_OK);
	assert_true(val("framework")->null);
	assert_int_equal(create("meeting", "{" MEETING ", \"framework\": null}"), APP_OK);
	assert_true(val("framework")->null);
}

/* The detail of an error message stays valid UTF-8 even when the input
 * (an unknown language key) is cut to fit it. */
static void test_i18n_error_arg_utf8(void **state)
{
	(void)state;
	/* "a" then 20 "é": 41 bytes, cut at 20 bytes would split a character */
	char key[64] = "a";
	for (int i = 0; i < 20; i++)
		strcat(key, "\xc3\xa9");
	char json[256];
	snprintf(json, sizeof json, "{\"outcome\": 1, \"title\": {\"%s\": \"x\"}}", key);
	assert_int_equal(create("action", json), APP_INVALID);
	const struct ferr *f = ferrs_find(&errs, "title");
	assert_non_null(f);
	assert_non_null(f->arg);
	assert_true(util_valid_utf8(f->arg, strlen(f->arg)));
}

/* An empty language key is named as such, not left as a raw "%s". */
static void test_i18n_empty_language_key(void **state)
{
	(void)state;
	assert_int_equal(create("action", "{\"outcome\": 1, \"title\": {\"\": \"x\"}}"), APP_INVALID);
	assert_null(strstr(err_on("title"), "%s"));
}

/* ---- references ---------------------------------------------------------------- */

static void test_refs(void **state)
{
	(void)state;
	/* a code key (country): the target's pattern applies */
	assert_int_equal(create("meeting", "{" MEETING ", \"country\": \"MA\"}"), APP_OK);
	assert_string_equal(val("country")->s, "MA");
	assert_int_equal(create("meeting", "{" MEETING ", \"country\": \"ma\"}"), APP_INVALID);
	ASSERT_ERR("country", "must be two capital letters (ISO 3166-1 alpha-2)");
	assert_int_equal(create("meeting", "{" MEETING ", \"country\": \"MAR\"}"), APP_INVALID);
	assert_int_equal(create("meeting", "{" MEETING ", \"country\": 12}"), APP_INVALID);
	ASSERT_ERR("country", "must be a code (a string)");
	assert_int_equal(create("meeting", "{" MEETING ", \"country\": null}"), APP_OK);
	assert_true(val("country")->null);
	assert_int_equal(create("action", "{" ACTION ", \"owner\": 9007199254740993}"), APP_OK);
	assert_string_equal(val("owner")->s, "9007199254740993");
}

static void test_ref_lists(void **state)
{
	(void)state;
	assert_int_equal(create("meeting", "{" MEETING ", \"cochairs\": [1, 2, 1, 3, 2],"
					   " \"delegations\": []}"), APP_OK);
	struct fval *v = val("cochairs");
	assert_int_equal(v->nlist, 3);
	assert_string_equal(v->list[0], "1");
	assert_string_equal(v->list[1], "2");
	assert_string_equal(v->list[2], "3");
	assert_true(val("delegations")->set);
	assert_int_equal(val("delegations")->nlist, 0);

	assert_int_equal(create("meeting", "{" MEETING ", \"cochairs\": null}"), APP_OK);
	assert_true(val("cochairs")->set);
	assert_int_equal(val("cochairs")->nlist, 0);

	assert_int_equal(create("meeting", "{" MEETING ", \"cochairs\": 1}"), APP_INVALID);
	ASSERT_ERR("cochairs", "must be a list");
	assert_int_equal(create("meeting", "{" MEETING ", \"cochairs\": [1, \"2\"]}"), APP_INVALID);
	ASSERT_ERR("cochairs", "must be the number of a record");
	assert_int_equal(create("meeting", "{" MEETING ", \"cochairs\": [0]}"), APP_INVALID);
	assert_int_equal(create("meeting", "{" MEETING ", \"cochairs\": [null]}"), APP_INVALID);
	assert_int_equal(create("meeting", "{" MEETING ", \"cochairs\": [[1]]}"), APP_INVALID);

	/* code keys (themes) */
	assert_int_equal(create("outcome", "{" OUTCOME ", \"themes\": [\"maritime_security\","
					   " \"blue_economy\", \"maritime_security\"]}"), APP_OK);
	assert_int_equal(val("themes")->nlist, 2);
	assert_string_equal(val("themes")->list[0], "maritime_security");
	assert_string_equal(val("themes")->list[1], "blue_economy");
	assert_int_equal(create("outcome", "{" OUTCOME ", \"themes\": [\"Blue-Economy\"]}"), APP_INVALID);
	ASSERT_ERR("themes", "must be 1 to 40 lower-case letters, digits or _");
	assert_int_equal(create("outcome", "{" OUTCOME ", \"themes\": [3]}"), APP_INVALID);
	ASSERT_ERR("themes", "must be a code (a string)");

	/* at most 500 items */
	struct buf b = BUF_INIT;
	buf_adds(&b, "{" MEETING ", \"cochairs\": [");
	for (int i = 1; i <= 501; i++)
		buf_printf(&b, "%s%d", i > 1 ? "," : "", i);
	buf_adds(&b, "]}");
	assert_int_equal(create("meeting", buf_cstr(&b)), APP_INVALID);
	ASSERT_ERR("cochairs", "has too many items");
	buf_release(&b);
}

/* ---- unknown and read-only fields ------------------------------------------------ */

static void test_unknown_fields(void **state)
{
	(void)state;
	assert_int_equal(create("action", "{" ACTION ", \"colour\": \"red\", \"Title\": 1}"), APP_INVALID);
	ASSERT_ERR("colour", "is not a field of this record");
	ASSERT_ERR("Title", "is not a field of this record");
	assert_int_equal(errs.n, 2);
	/* the bookkeeping fields of a record read from the API are ignored */
	assert_int_equal(create("action", "{" ACTION ", \"version\": 3, \"created_at\": \"x\","
					  " \"updated_at\": null}"), APP_OK);
	/* a country has no id */
	assert_int_equal(create("country", "{" COUNTRY ", \"id\": 1}"), APP_INVALID);
	ASSERT_ERR("id", "is not a field of this record");
}

static void test_read_only(void **state)
{
	(void)state;
	assert_int_equal(create("action", "{" ACTION ", \"id\": 99, \"late\": true}"), APP_OK);
	assert_false(val("id")->set);
	assert_false(val("late")->set);
	assert_int_equal(create("action", "{" ACTION ", \"id\": \"garbage\", \"late\": []}"), APP_OK);
	assert_false(val("id")->set);

	/* data files may set ids, and only ids */
	assert_int_equal(decode("action", REC_LOAD, "{" ACTION ", \"id\": 7, \"late\": true}"), APP_OK);
	assert_true(val("id")->set);
	assert_string_equal(val("id")->s, "7");
	assert_false(val("late")->set);
	assert_int_equal(decode("action", REC_LOAD, "{" ACTION ", \"id\": \"7\"}"), APP_INVALID);
	ASSERT_ERR("id", "must be a positive integer");
	assert_int_equal(decode("action", REC_LOAD, "{" ACTION ", \"id\": 0}"), APP_INVALID);
	assert_int_equal(decode("action", REC_LOAD, "{" ACTION "}"), APP_OK);
	assert_false(val("id")->set);
	assert_int_equal(decode("action", REC_LOAD, "{\"title\": {\"en\": \"t\"}}"), APP_INVALID);
	ASSERT_ERR("outcome", "is required");
}

/* ---- defaults and cross-field rules --------------------------------------------------- */

static void test_defaults_not_null(void **state)
{
	(void)state;
	assert_int_equal(create("action", "{" ACTION ", \"status\": null}"), APP_INVALID);
	ASSERT_ERR("status", "cannot be empty");
	assert_int_equal(create("action", "{" ACTION ", \"percent\": null}"), APP_INVALID);
	ASSERT_ERR("percent", "cannot be empty");
	assert_int_equal(create("action", "{" ACTION ", \"sample\": null}"), APP_INVALID);
	ASSERT_ERR("sample", "cannot be empty");
	assert_int_equal(create("country", "{" COUNTRY ", \"un_african_member\": null}"), APP_INVALID);
	ASSERT_ERR("un_african_member", "cannot be empty");
	/* without a default, null is fine */
	assert_int_equal(create("action", "{" ACTION ", \"owner\": null, \"source\": null}"), APP_OK);
	assert_true(val("owner")->null);
	assert_true(val("source")->null);
	assert_null(rec_text(&rec, ent_field_index(rec.e, "owner")));
}

/* An empty string is null for text fields; for one with a default
 * ("status" is 'planned') it must not slip through as a null either. */
static void test_default_empty_string(void **state)
{
	(void)state;
	assert_int_equal(create("action", "{" ACTION ", \"status\": \"\"}"), APP_INVALID);
	ASSERT_ERR("status", "cannot be empty");
}

static void test_meeting_dates(void **state)
{
	(void)state;
	assert_int_equal(create("meeting", "{" MEETING ", \"end_date\": \"2024-02-29\"}"), APP_INVALID);
	ASSERT_ERR("end_date", "must not be before the start date");
	assert_int_equal(errs.n, 1);
	assert_int_equal(create("meeting", "{" MEETING ", \"end_date\": \"2024-03-01\"}"), APP_OK);
	assert_int_equal(create("meeting", "{" MEETING ", \"end_date\": \"2025-01-01\"}"), APP_OK);
	assert_int_equal(create("meeting", "{" MEETING ", \"end_date\": null}"), APP_OK);
	/* the cross-field rule only runs on otherwise valid input */
	assert_int_equal(create("meeting", "{" MEETING ", \"end_date\": \"2020-01-01\", \"edition\": 0}"),
			 APP_INVALID);
	ASSERT_ERR("edition", "is 0, not between 1\xe2\x80\x93" "1000");
	assert_int_equal(errs.n, 1);
}

/* record.h: REC_PATCH — "only the given fields change": required fields
 * that are not given are not missing. */
static void test_patch_mode(void **state)
{
	(void)state;
	assert_int_equal(decode("action", REC_PATCH, "{\"percent\": 50}"), APP_OK);
	assert_true(val("percent")->set);
	assert_false(val("title")->set);
	assert_false(val("outcome")->set);
}

static void test_patch_mode_checks_given(void **state)
{
	(void)state;
	/* a given value is still validated, and a required one cannot be cleared */
	assert_int_equal(decode("action", REC_PATCH, "{\"percent\": 500, \"title\": null}"), APP_INVALID);
	ASSERT_ERR("percent", "is 500, not between 0\xe2\x80\x93" "100");
	ASSERT_ERR("title", "is required");
}

/* Strings that jansson did not check (built in code) are still checked. */
static void test_unchecked_strings(void **state)
{
	(void)state;
	teardown(NULL);
	rec_init(&rec, ent_by_name("action"));
	json_t *j = json_pack("{s:i, s:{s:s}}", "outcome", 1, "title", "en", "t");
	json_object_set_new(j, "source", json_stringn_nocheck("a\0b", 3));
	json_object_set_new(j, "status", json_string_nocheck("\xff"));
	assert_int_equal(rec_from_json(&rec, j, REC_CREATE, &errs), APP_INVALID);
	ASSERT_ERR("source", "must be valid UTF-8 text");
	ASSERT_ERR("status", "must be valid UTF-8 text");
	json_decref(j);
}

static void test_patterns(void **state)
{
	(void)state;
	assert_null(rec_pattern_error(NULL, "anything"));
	assert_null(rec_pattern_error("no-such-pattern", "anything"));
	assert_null(rec_pattern_error("A2", "MA"));
	assert_non_null(rec_pattern_error("A2", "M"));
	assert_non_null(rec_pattern_error("A2", "Ma"));
	assert_non_null(rec_pattern_error("A2", "MAR"));
	assert_non_null(rec_pattern_error("A2", ""));
	assert_null(rec_pattern_error("A3", "MAR"));
	assert_non_null(rec_pattern_error("A3", "MA1"));
	assert_null(rec_pattern_error("D3", "504"));
	assert_non_null(rec_pattern_error("D3", "5a4"));
	assert_non_null(rec_pattern_error("D3", "5040"));
	assert_null(rec_pattern_error("slug", "a"));
	assert_null(rec_pattern_error("slug", "maritime_security_2"));
	assert_non_null(rec_pattern_error("slug", ""));
	assert_non_null(rec_pattern_error("slug", "Maritime"));
	assert_non_null(rec_pattern_error("slug", "a-b"));
	assert_non_null(rec_pattern_error("slug", "\xc3\xa9"));
	assert_null(rec_pattern_error("slug", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));   /* 40 */
	assert_non_null(rec_pattern_error("slug", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")); /* 41 */
	assert_null(rec_pattern_error("orgtype", "10"));
	assert_null(rec_pattern_error("orgtype", "90"));
	assert_non_null(rec_pattern_error("orgtype", "12"));
	assert_non_null(rec_pattern_error("orgtype", "010"));

	/* on records: text fields with patterns */
	assert_int_equal(create("country", "{" COUNTRY ", \"iso3\": \"MAR\", \"m49\": \"504\"}"), APP_OK);
	assert_int_equal(create("country", "{" COUNTRY ", \"iso3\": \"mar\", \"m49\": \"5O4\"}"), APP_INVALID);
	ASSERT_ERR("iso3", "must be three capital letters");
	ASSERT_ERR("m49", "must be three digits");
	assert_int_equal(create("country", "{\"code\": \"Ma\", \"name\": {\"en\": \"Morocco\"}}"), APP_INVALID);
	ASSERT_ERR("code", "must be two capital letters (ISO 3166-1 alpha-2)");
	assert_int_equal(create("organisation", "{\"name\": {\"en\": \"X\"}, \"type\": \"12\"}"), APP_INVALID);
	ASSERT_ERR("type", "must be an IATI organisation type code");
	assert_int_equal(create("organisation", "{\"name\": {\"en\": \"X\"}, \"type\": \"40\"}"), APP_OK);
}

/* ---- request bodies ------------------------------------------------------------------ */

static void test_parse_body(void **state)
{
	(void)state;
	json_t *j = (json_t *)1;
	char *msg = NULL;
	assert_int_equal(rec_parse_body("", 0, &j, &msg, NULL), APP_BAD_JSON);
	assert_null(j);
	assert_string_equal(msg, "The body is empty; a JSON object was expected.");
	free(msg);

	static const char *const bad[] = {
		"{", "}", "{\"a\":}", "{} x", "{\"a\": 1,}", "nul", "{'a': 1}",
		"{\"a\": 1, \"a\": 2}",    /* duplicate keys */
		"{\"a\": \"\xff\"}",       /* not UTF-8 */
		"{\"a\": \"\xc0\x80\"}",   /* overlong */
		"{\"a\": \"\\u0000\"}",    /* NUL */
		"{\"a\": \"\\ud800\"}",    /* lone surrogate */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		msg = NULL;
		assert_int_equal(rec_parse_body(bad[i], strlen(bad[i]), &j, &msg, NULL), APP_BAD_JSON);
		assert_null(j);
		assert_non_null(msg);
		assert_true(strncmp(msg, "Malformed JSON at line 1, column ", 33) == 0);
		free(msg);
	}
	static const char *const not_object[] = { "[]", "[{}]", "1", "\"x\"", "null", "true" };
	for (size_t i = 0; i < sizeof not_object / sizeof not_object[0]; i++) {
		msg = NULL;
		assert_int_equal(rec_parse_body(not_object[i], strlen(not_object[i]), &j, &msg, NULL),
				 APP_BAD_JSON);
		assert_null(j);
		assert_non_null(msg);
		if (not_object[i][0] == '[')
			assert_string_equal(msg, "The body must be a JSON object.");
		free(msg);
	}

	msg = NULL;
	static const char good[] = "{\"a\": [1, {\"b\": null}]} \n";
	assert_int_equal(rec_parse_body(good, strlen(good), &j, &msg, NULL), APP_OK);
	assert_null(msg);
	assert_true(json_is_object(j));
	assert_int_equal(json_object_size(j), 1);
	json_decref(j);

	/* the length bounds the body: no NUL is needed, nothing past it is read */
	char raw[] = { '{', '}', 'x' };
	assert_int_equal(rec_parse_body(raw, 2, &j, &msg, NULL), APP_OK);
	json_decref(j);
	char *heap = malloc(2);
	memcpy(heap, "{}", 2);
	assert_int_equal(rec_parse_body(heap, 2, &j, &msg, NULL), APP_OK);
	json_decref(j);
	free(heap);

	/* a line and column in the message */
	assert_int_equal(rec_parse_body("{\n\"a\": x}", 9, &j, &msg, NULL), APP_BAD_JSON);
	assert_true(strncmp(msg, "Malformed JSON at line 2, column ", 33) == 0);
	free(msg);
}

/* ---- field errors ---------------------------------------------------------------------- */

static void test_ferrs(void **state)
{
	(void)state;
	struct ferrs e = { 0 };
	assert_null(ferrs_find(&e, "x"));
	ferrs_add(&e, "percent", "must be between %s", "0\xe2\x80\x93" "100");
	ferrs_add(&e, "percent", "is required", NULL); /* one per field: the first stays */
	ferrs_add(&e, "title", "is required", NULL);
	ferrs_add(&e, "source", "is too long (at most %s characters)", "500");
	ferrs_add(&e, "raw", "keeps %s when there is no arg", NULL);
	assert_int_equal(e.n, 4);

	struct buf b = BUF_INIT;
	ferrs_message(&e, 0, LANG_EN, &b);
	assert_string_equal(buf_cstr(&b), "must be between 0\xe2\x80\x93" "100");
	buf_reset(&b);
	ferrs_message(&e, 1, LANG_EN, &b);
	assert_string_equal(buf_cstr(&b), "is required");
	buf_reset(&b);
	ferrs_message(&e, 2, LANG_EN, &b);
	assert_string_equal(buf_cstr(&b), "is too long (at most 500 characters)");
	buf_reset(&b);
	ferrs_message(&e, 2, LANG_FR, &b); /* the translation, with the arg put in */
	assert_string_equal(buf_cstr(&b), "d\xc3\xa9passe la longueur autoris\xc3\xa9" "e (500 caract\xc3\xa8res au maximum)");
	buf_reset(&b);
	ferrs_message(&e, 2, LANG_AR, &b);
	assert_non_null(strstr(buf_cstr(&b), "500"));
	assert_null(strstr(buf_cstr(&b), "%s"));
	buf_reset(&b);
	ferrs_message(&e, 3, LANG_EN, &b);
	assert_string_equal(buf_cstr(&b), "keeps %s when there is no arg");
	buf_release(&b);

	const struct ferr *f = ferrs_find(&e, "source");
	assert_non_null(f);
	assert_string_equal(f->field, "source");
	assert_string_equal(f->arg, "500");
	assert_null(ferrs_find(&e, "sourc"));

	ferrs_release(&e);
	assert_int_equal(e.n, 0);
	assert_null(e.a);
	ferrs_release(&e); /* twice is harmless */
	ferrs_add(&e, "again", "is required", NULL);
	assert_int_equal(e.n, 1);
	ferrs_release(&e);
}

int main(void)
{
#define T(name) cmocka_unit_test_teardown(name, teardown)
	const struct CMUnitTest tests[] = {
		T(test_valid_minimal),
		T(test_full_action),
		T(test_not_an_object),
		T(test_required),
		T(test_wrong_types),
		T(test_ranges),
		T(test_text_length),
		T(test_enums),
		T(test_dates),
		T(test_i18n),
		T(test_i18n_error_arg_utf8),
		T(test_i18n_empty_language_key),
		T(test_refs),
		T(test_ref_lists),
		T(test_unknown_fields),
		T(test_read_only),
		T(test_defaults_not_null),
		T(test_default_empty_string),
		T(test_meeting_dates),
		T(test_patch_mode),
		T(test_patch_mode_checks_given),
		T(test_unchecked_strings),
		T(test_patterns),
		T(test_parse_body),
		T(test_ferrs),
	};
	return cmocka_run_group_tests(tests, setup_group, NULL);
}
