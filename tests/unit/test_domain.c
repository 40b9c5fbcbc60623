/* test_domain.c — domain.c: list queries, keys, If-Match, and the update
 * and delete rules over a real store in a temporary directory. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "domain.h"
#include "entity.h"
#include "i18n.h"
#include "registry.h"
#include "util.h"

static int setup_group(void **state)
{
	(void)state;
	registry_init();
	i18n_init();
	return 0;
}

/* The arguments of the query being checked: filter values point into them. */
static struct args cur;

/* Parses the query string s for entity ent into q; *msg gets the error.
 * Release with release_parse. */
static enum app_err parse(const char *ent, const char *s, struct query *q, char **msg)
{
	args_release(&cur);
	args_parse_form(&cur, s, strlen(s));
	*msg = NULL;
	return dom_parse_query(ent_by_name(ent), &cur, NULL, NULL, q, msg);
}

static void release_parse(struct query *q)
{
	dom_query_release(q);
	args_release(&cur);
}

/* Expects a 400 whose message contains want. */
static void bad_query(const char *ent, const char *s, const char *want)
{
	struct query q;
	char *msg;
	enum app_err rc = parse(ent, s, &q, &msg);
	if (rc != APP_BAD_QUERY)
		fail_msg("%s?%s: %d, not a bad query", ent, s, rc);
	assert_non_null(msg);
	if (!strstr(msg, want))
		fail_msg("%s?%s: message \"%s\" lacks \"%s\"", ent, s, msg, want);
	free(msg);
	release_parse(&q);
}

/* args_parse_form (server.c) gives dom_parse_query its input. */
static void test_form_args(void **state)
{
	(void)state;
	struct args a = { 0 };
	static const char form[] = "a=1&&b=x+y%2Bz&c&=e&d=1=2&p=%zz%4";
	args_parse_form(&a, form, strlen(form));
	assert_int_equal(a.n, 6);
	assert_string_equal(a.a[0].name, "a");
	assert_string_equal(args_get(&a, "b"), "x y+z");
	assert_string_equal(args_get(&a, "c"), "");
	assert_string_equal(args_get(&a, ""), "e");
	assert_string_equal(args_get(&a, "d"), "1=2");
	assert_string_equal(args_get(&a, "p"), "%zz%4"); /* bad escapes stay */
	assert_null(args_get(&a, "q")); /* not yet: appended below */
	args_parse_form(&a, "q=%C3%A9%41&a=2", 14);
	assert_int_equal(a.n, 8);
	assert_string_equal(args_get(&a, "q"), "\xc3\xa9" "A");
	assert_string_equal(args_get(&a, "a"), "1"); /* the first one */
	args_release(&a);
	assert_int_equal(a.n, 0);
	args_parse_form(&a, "", 0);
	assert_int_equal(a.n, 0);
	args_parse_form(&a, "x=1&y=2", 3); /* n bounds the input */
	assert_int_equal(a.n, 1);
	args_release(&a);
}

static void test_query_defaults(void **state)
{
	(void)state;
	struct query q;
	char *msg;
	assert_int_equal(parse("action", "", &q, &msg), APP_OK);
	assert_null(msg);
	assert_ptr_equal(q.e, ent_by_name("action"));
	assert_int_equal(q.limit, LIST_LIMIT_DEFAULT);
	assert_int_equal(q.offset, 0);
	assert_int_equal(q.nfilters, 0);
	assert_null(q.sort);
	assert_null(q.q);
	release_parse(&q);
}

static void test_query_paging(void **state)
{
	(void)state;
	struct query q;
	char *msg;
	assert_int_equal(parse("action", "limit=10&offset=20", &q, &msg), APP_OK);
	assert_int_equal(q.limit, 10);
	assert_int_equal(q.offset, 20);
	release_parse(&q);
	assert_int_equal(parse("action", "limit=100000", &q, &msg), APP_OK);
	assert_int_equal(q.limit, LIST_LIMIT_MAX);
	release_parse(&q);
	assert_int_equal(parse("action", "limit=0", &q, &msg), APP_OK);
	assert_int_equal(q.limit, 0);
	release_parse(&q);
	bad_query("action", "limit=-1", "limit takes a whole number");
	bad_query("action", "limit=abc", "limit");
	bad_query("action", "offset=1.5", "offset");
	bad_query("action", "offset=99999999999999999999", "offset");
}

static void test_query_sort(void **state)
{
	(void)state;
	struct query q;
	char *msg;
	assert_int_equal(parse("action", "sort=-percent", &q, &msg), APP_OK);
	assert_ptr_equal(q.sort, ent_field(q.e, "percent"));
	assert_true(q.desc);
	release_parse(&q);
	assert_int_equal(parse("action", "sort=title", &q, &msg), APP_OK);
	assert_false(q.desc);
	release_parse(&q);
	assert_int_equal(parse("action", "sort=late", &q, &msg), APP_OK);
	release_parse(&q);
	bad_query("action", "sort=colour", "cannot sort on 'colour'");
	bad_query("action", "sort=-", "cannot sort");
	bad_query("action", "sort=--percent", "cannot sort");
	bad_query("meeting", "sort=cochairs", "cannot sort on 'cochairs'");
}

static void test_query_filters(void **state)
{
	(void)state;
	struct query q;
	char *msg;
	assert_int_equal(parse("action", "status=done&percent=20&owner=&late=true&outcome=3"
				"&due_date=2024-02-29", &q, &msg), APP_OK);
	assert_int_equal(q.nfilters, 5); /* owner= is blank: no filter */
	assert_string_equal(q.filters[0].f->name, "status");
	assert_int_equal(q.filters[0].value.type, DBP_TEXT);
	assert_string_equal(q.filters[0].value.s, "done");
	assert_int_equal(q.filters[1].value.type, DBP_INT);
	assert_int_equal(q.filters[1].value.i, 20);
	assert_int_equal(q.filters[2].value.type, DBP_INT);
	assert_int_equal(q.filters[2].value.i, 1);
	assert_int_equal(q.filters[3].value.type, DBP_INT);
	assert_int_equal(q.filters[3].value.i, 3);
	assert_int_equal(q.filters[4].value.type, DBP_TEXT);
	release_parse(&q);

	assert_int_equal(parse("outcome", "themes=blue_economy&sample=false", &q, &msg), APP_OK);
	assert_int_equal(q.filters[0].value.type, DBP_TEXT);
	assert_int_equal(q.filters[1].value.i, 0);
	release_parse(&q);
	assert_int_equal(parse("organisation", "country=MA", &q, &msg), APP_OK);
	assert_string_equal(q.filters[0].value.s, "MA");
	release_parse(&q);

	bad_query("action", "colour=red", "unknown parameter 'colour'");
	bad_query("action", "status=finished", "status is not one of the allowed values");
	bad_query("action", "percent=abc", "percent takes a whole number");
	bad_query("action", "late=yes", "late takes true or false");
	bad_query("action", "due_date=2024-02-30", "due_date takes a date YYYY-MM-DD");
	bad_query("action", "title=x", "title cannot be filtered on");
	bad_query("action", "outcome=x", "outcome takes a whole number");
	bad_query("meeting", "cochairs=x", "cochairs takes a whole number");
	bad_query("action", "colour=", "unknown parameter 'colour'");
	bad_query("action", "status=%FF", "not valid UTF-8");
	bad_query("action", "status=a%00b", "status"); /* "a" after the NUL is cut */
	/* at most QUERY_MAX_FILTERS */
	struct buf b = BUF_INIT;
	for (int i = 0; i <= QUERY_MAX_FILTERS; i++)
		buf_printf(&b, "%spercent=%d", i ? "&" : "", i);
	bad_query("action", buf_cstr(&b), "too many filters");
	buf_release(&b);
}

static void test_query_search(void **state)
{
	(void)state;
	struct query q;
	char *msg;
	assert_int_equal(parse("action", "q=alpha+beta", &q, &msg), APP_OK);
	assert_string_equal(q.q, "%alpha beta%");
	release_parse(&q);
	assert_int_equal(parse("action", "q=one&q=two", &q, &msg), APP_OK); /* the last one */
	assert_string_equal(q.q, "%two%");
	release_parse(&q);
	assert_int_equal(parse("action", "q=", &q, &msg), APP_OK);
	assert_null(q.q);
	release_parse(&q);
	struct buf b = BUF_INIT;
	buf_adds(&b, "q=");
	for (int i = 0; i < 201; i++)
		buf_addc(&b, 'x');
	bad_query("action", buf_cstr(&b), "q takes at most 200 characters");
	buf_release(&b);
	bad_query("action", "q=%C3", "q takes");
}

static void test_query_ignore(void **state)
{
	(void)state;
	static const char *const ignore[] = { "limit", "lang", NULL };
	struct args a = { 0 };
	args_parse_form(&a, "limit=x&lang=ar&status=done", 27);
	struct query q;
	char *msg = NULL;
	assert_int_equal(dom_parse_query(ent_by_name("action"), &a, ignore, NULL, &q, &msg), APP_OK);
	assert_int_equal(q.limit, LIST_LIMIT_DEFAULT);
	assert_int_equal(q.nfilters, 1);
	dom_query_release(&q);
	args_release(&a);
}

/* Error messages end up in JSON answers: they stay valid UTF-8 whatever
 * bytes the parameter name held. */
static void test_query_messages_utf8(void **state)
{
	(void)state;
	static const char *const cases[] = {
		"%FF=1",
		"a%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9"
		"%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9=1",
		"sort=a%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9"
		"%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9",
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct query q;
		char *msg;
		assert_int_equal(parse("action", cases[i], &q, &msg), APP_BAD_QUERY);
		bool ok = util_valid_utf8(msg, strlen(msg));
		free(msg);
		release_parse(&q);
		if (!ok)
			fail_msg("message for %s is not valid UTF-8", cases[i]);
	}
}

static void test_valid_key(void **state)
{
	(void)state;
	const struct entity *action = ent_by_name("action"), *country = ent_by_name("country"),
			    *theme = ent_by_name("theme");
	assert_true(dom_valid_key(action, "1"));
	assert_true(dom_valid_key(action, "9223372036854775807"));
	assert_false(dom_valid_key(action, "0"));
	assert_false(dom_valid_key(action, "-1"));
	assert_false(dom_valid_key(action, ""));
	assert_false(dom_valid_key(action, "1a"));
	assert_false(dom_valid_key(action, "99999999999999999999"));
	assert_true(dom_valid_key(country, "MA"));
	assert_false(dom_valid_key(country, "ma"));
	assert_false(dom_valid_key(country, "MAR"));
	assert_false(dom_valid_key(country, ""));
	assert_true(dom_valid_key(theme, "blue_economy"));
	assert_false(dom_valid_key(theme, "Blue"));
	assert_false(dom_valid_key(theme, "\xff"));
}

static void test_parse_etag(void **state)
{
	(void)state;
	long long v = 99;
	assert_true(dom_parse_etag(NULL, &v));
	assert_int_equal(v, -1);
	assert_true(dom_parse_etag("*", &v));
	assert_int_equal(v, -1);
	assert_true(dom_parse_etag("\"3\"", &v));
	assert_int_equal(v, 3);
	assert_true(dom_parse_etag("W/\"12\"", &v));
	assert_int_equal(v, 12);
	assert_true(dom_parse_etag("  \"7\"", &v));
	assert_int_equal(v, 7);
	assert_true(dom_parse_etag("\"0\"", &v));
	assert_int_equal(v, 0);
	assert_false(dom_parse_etag("3", &v));
	assert_false(dom_parse_etag("\"\"", &v));
	assert_false(dom_parse_etag("\"", &v));
	assert_false(dom_parse_etag("", &v));
	assert_false(dom_parse_etag("W/", &v));
	assert_false(dom_parse_etag("\"3", &v));
}

/* domain.h: "false when it is not a version of ours (which cannot match)". */
static void test_parse_etag_foreign(void **state)
{
	(void)state;
	static const char *const foreign[] = { "\"abc\"", "\"-1\"", "\"3\", \"4\"", "\"1.0\"",
					       "\"99999999999999999999\"" };
	for (size_t i = 0; i < sizeof foreign / sizeof foreign[0]; i++) {
		long long v = 99;
		if (dom_parse_etag(foreign[i], &v))
			fail_msg("If-Match %s: accepted as version %lld", foreign[i], v);
	}
}

/* ---- writes through a store -------------------------------------------------------- */

struct fixture {
	char dir[64], path[96];
	struct app app;
};

static int setup_store(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	strcpy(fx->dir, "/tmp/suivi-test-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->path, sizeof fx->path, "%s/test.db", fx->dir);
	char *msg = NULL;
	if (store_open(fx->path, &fx->app.store, &msg)) {
		free(msg);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown_store(void **state)
{
	struct fixture *fx = *state;
	store_close(fx->app.store);
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char p[128];
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", fx->path, suffix[i]);
		unlink(p);
	}
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static enum app_err create(struct app *app, const char *ent, const char *json)
{
	json_t *j = json_loads(json, 0, NULL);
	assert_non_null(j);
	struct buf key = BUF_INIT;
	struct ferrs errs = { 0 };
	enum app_err rc = dom_create(app, ent_by_name(ent), j, REC_CREATE, NULL, &key, &errs);
	buf_release(&key);
	ferrs_release(&errs);
	json_decref(j);
	return rc;
}

static enum app_err patch(struct app *app, const char *ent, const char *key, const char *json,
			  long long if_version, struct ferrs *errs)
{
	json_t *j = json_loads(json, 0, NULL);
	assert_non_null(j);
	enum app_err rc = dom_update(app, ent_by_name(ent), key, j, if_version, NULL, errs);
	json_decref(j);
	return rc;
}

/* The record at key as JSON text, into a static buffer. */
static const char *record(struct app *app, const char *ent, const char *key, long long *version)
{
	static char out[2048];
	struct buf b = BUF_INIT;
	assert_int_equal(dom_get_json(app, ent_by_name(ent), key, NULL, &b, version), APP_OK);
	snprintf(out, sizeof out, "%s", buf_cstr(&b));
	buf_release(&b);
	return out;
}

static void test_update_merge(void **state)
{
	struct fixture *fx = *state;
	struct app *app = &fx->app;
	assert_int_equal(create(app, "meeting", "{\"kind\": \"forum\", \"title\": {\"fr\": \"F\", \"en\": \"E\"},"
				" \"start_date\": \"2024-01-01\", \"venue\": \"Rabat\"}"), APP_OK);
	struct ferrs errs = { 0 };
	/* merge patch: given fields replace, languages merge, null clears */
	assert_int_equal(patch(app, "meeting", "1", "{\"title\": {\"ar\": \"A\", \"en\": null},"
			       " \"venue\": null, \"edition\": 2}", 1, &errs), APP_OK);
	long long v;
	const char *r = record(app, "meeting", "1", &v);
	assert_int_equal(v, 2);
	assert_non_null(strstr(r, "\"title\":{\"fr\":\"F\",\"ar\":\"A\"}"));
	assert_non_null(strstr(r, "\"venue\":null"));
	assert_non_null(strstr(r, "\"edition\":2"));
	assert_non_null(strstr(r, "\"start_date\":\"2024-01-01\""));
	/* the whole result is validated */
	assert_int_equal(patch(app, "meeting", "1", "{\"end_date\": \"2023-12-31\"}", -1, &errs), APP_INVALID);
	assert_non_null(ferrs_find(&errs, "end_date"));
	assert_int_equal(patch(app, "meeting", "1", "{\"title\": {\"fr\": null}}", -1, &errs), APP_INVALID);
	assert_non_null(ferrs_find(&errs, "title"));
	/* a stale version */
	assert_int_equal(patch(app, "meeting", "1", "{\"edition\": 3}", 1, &errs), APP_PRECONDITION);
	record(app, "meeting", "1", &v);
	assert_int_equal(v, 2);
	assert_int_equal(patch(app, "meeting", "9", "{\"edition\": 3}", -1, &errs), APP_NOT_FOUND);
	assert_int_equal(patch(app, "meeting", "x", "{\"edition\": 3}", -1, &errs), APP_NOT_FOUND);
	ferrs_release(&errs);

	/* a code key cannot change */
	assert_int_equal(create(app, "country", "{\"code\": \"MA\", \"name\": {\"fr\": \"Maroc\"}}"), APP_OK);
	assert_int_equal(patch(app, "country", "MA", "{\"code\": \"SN\"}", -1, &errs), APP_INVALID);
	assert_non_null(ferrs_find(&errs, "code"));
	ferrs_release(&errs);
	assert_int_equal(patch(app, "country", "MA", "{\"code\": \"MA\", \"iso3\": \"MAR\"}", -1, &errs), APP_OK);
	ferrs_release(&errs);
}

/* Whatever dom_parse_etag makes of an If-Match that names no version of
 * ours, a write with it must not go through. */
static void test_foreign_etag_blocks_write(void **state)
{
	struct fixture *fx = *state;
	struct app *app = &fx->app;
	const struct entity *org = ent_by_name("organisation");
	assert_int_equal(create(app, "organisation", "{\"name\": {\"en\": \"One\"}}"), APP_OK);
	assert_int_equal(create(app, "organisation", "{\"name\": {\"en\": \"Two\"}}"), APP_OK);
	static const char *const foreign[] = { "\"abc\"", "\"-1\"" };
	for (size_t i = 0; i < 2; i++) {
		long long v;
		if (!dom_parse_etag(foreign[i], &v))
			continue; /* api.c answers 412 */
		struct ferrs errs = { 0 };
		enum app_err urc = patch(app, "organisation", "1", "{\"acronym\": \"X\"}", v, &errs);
		ferrs_release(&errs);
		struct buf why = BUF_INIT;
		enum app_err drc = dom_delete(app, org, "2", v, NULL, &why);
		buf_release(&why);
		if (urc != APP_PRECONDITION || drc != APP_PRECONDITION)
			fail_msg("If-Match %s (version %lld): update gives %d, delete gives %d, not %d",
				 foreign[i], v, urc, drc, APP_PRECONDITION);
	}
	long long version;
	record(app, "organisation", "1", &version);
	assert_int_equal(version, 1);
}

static void test_delete(void **state)
{
	struct fixture *fx = *state;
	struct app *app = &fx->app;
	assert_int_equal(create(app, "country", "{\"code\": \"MA\", \"name\": {\"fr\": \"Maroc\"}}"), APP_OK);
	assert_int_equal(create(app, "organisation", "{\"name\": {\"en\": \"One\"}, \"country\": \"MA\"}"), APP_OK);
	struct buf why = BUF_INIT;
	const struct entity *country = ent_by_name("country");
	assert_int_equal(dom_delete(app, country, "ma", -1, NULL, &why), APP_NOT_FOUND);
	assert_int_equal(dom_delete(app, country, "SN", -1, NULL, &why), APP_NOT_FOUND);
	assert_int_equal(dom_delete(app, country, "MA", -1, NULL, &why), APP_CONFLICT);
	assert_non_null(strstr(buf_cstr(&why), "organisations"));
	buf_reset(&why);
	assert_int_equal(dom_delete(app, ent_by_name("organisation"), "1", 2, NULL, &why), APP_PRECONDITION);
	assert_int_equal(dom_delete(app, ent_by_name("organisation"), "1", 1, NULL, &why), APP_OK);
	assert_int_equal(dom_delete(app, country, "MA", -1, NULL, &why), APP_OK);
	buf_release(&why);
}

/* A kind of record that refers to another, as store_referrers tells it. */
static void referrer_seen(void *ctx, const struct entity *o, const struct field *f, const char *plural,
			  const char *column, long long n)
{
	char *seen = ctx;
	snprintf(seen, 64, "%s %s.%s %s %lld", o ? o->name : "-", f ? f->name : "-", column, plural, n);
}

/* Restores the deletion of audit entry `entry`; d's state and errs as
 * dom_restore leaves them. */
static enum app_err restore(struct app *app, const char *entry, enum dom_deletion_state *state,
			    struct ferrs *errs)
{
	struct dom_deletion d;
	struct dom_answer ans = { BUF_INIT, 0 };
	ferrs_release(errs);
	enum app_err rc = dom_restore(app, entry, NULL, &d, errs, &ans);
	*state = d.state;
	if (!rc) { /* the record as created, with its key */
		assert_string_equal(d.e->name, "organisation");
		assert_string_equal(buf_cstr(&d.key), "1");
		assert_non_null(strstr(buf_cstr(&ans.json), "\"id\":1,"));
	}
	buf_release(&ans.json);
	dom_deletion_release(&d);
	return rc;
}

/* What refers to a record, from the registry; a deletion's audit entry
 * brings the record back with its key, once, and not while a record it
 * refers to is gone. */
static void test_restore(void **state)
{
	struct fixture *fx = *state;
	struct app *app = &fx->app;
	/* audit entries 1 and 2 */
	assert_int_equal(create(app, "country", "{\"code\": \"MA\", \"name\": {\"fr\": \"Maroc\"}}"), APP_OK);
	assert_int_equal(create(app, "organisation", "{\"name\": {\"en\": \"One\"}, \"country\": \"MA\"}"), APP_OK);
	const struct entity *country = ent_by_name("country"), *org = ent_by_name("organisation");
	char seen[64] = "";
	assert_int_equal(store_referrers(app->store, country, "MA", referrer_seen, seen), APP_OK);
	assert_string_equal(seen, "organisation country.country organisations 1");
	struct buf why = BUF_INIT;
	assert_int_equal(dom_delete(app, org, "1", -1, NULL, &why), APP_OK); /* entry 3 */
	struct ferrs errs = { 0 };
	enum dom_deletion_state st;
	assert_int_equal(restore(app, "3", &st, &errs), APP_OK); /* entry 4 */
	assert_non_null(strstr(record(app, "organisation", "1", NULL), "\"name\":{\"en\":\"One\"}"));
	assert_int_equal(restore(app, "3", &st, &errs), APP_CONFLICT);
	assert_int_equal(st, DEL_EXISTS);
	assert_int_equal(restore(app, "2", &st, &errs), APP_CONFLICT);
	assert_int_equal(st, DEL_NOT_DELETION);
	assert_int_equal(restore(app, "99", &st, &errs), APP_NOT_FOUND);
	/* its country gone, it cannot come back; the country's restore first */
	assert_int_equal(dom_delete(app, org, "1", -1, NULL, &why), APP_OK);      /* entry 5 */
	assert_int_equal(dom_delete(app, country, "MA", -1, NULL, &why), APP_OK); /* entry 6 */
	assert_int_equal(restore(app, "5", &st, &errs), APP_INVALID);
	assert_non_null(ferrs_find(&errs, "country"));
	struct dom_deletion d;
	assert_int_equal(dom_restore(app, "6", NULL, &d, &errs, NULL), APP_OK);
	assert_string_equal(d.e->name, "country");
	dom_deletion_release(&d);
	assert_int_equal(restore(app, "5", &st, &errs), APP_OK);
	ferrs_release(&errs);
	buf_release(&why);
}

int main(void)
{
#define S(name) cmocka_unit_test_setup_teardown(name, setup_store, teardown_store)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_args),
		cmocka_unit_test(test_query_defaults),
		cmocka_unit_test(test_query_paging),
		cmocka_unit_test(test_query_sort),
		cmocka_unit_test(test_query_filters),
		cmocka_unit_test(test_query_search),
		cmocka_unit_test(test_query_ignore),
		cmocka_unit_test(test_query_messages_utf8),
		cmocka_unit_test(test_valid_key),
		cmocka_unit_test(test_parse_etag),
		cmocka_unit_test(test_parse_etag_foreign),
		S(test_update_merge),
		S(test_foreign_etag_blocks_write),
		S(test_delete),
		S(test_restore),
	};
	return cmocka_run_group_tests(tests, setup_group, NULL);
}
