/* test_store.c — store.c over SQLite: migrations, the records API,
 * preconditions, references, transactions, lists and the computed and
 * propagated fields.  Writes go through the domain's write path (domain.c:
 * the transaction, the one reading, the preconditions), as every writer's
 * do.  Each test gets a database in its own temporary directory. */
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
#include <sqlite3.h>

#include "domain.h"
#include "entity.h"
#include "i18n.h"
#include "record.h"
#include "registry.h"
#include "store.h"
#include "util.h"

struct fixture {
	char dir[64];
	char path[96];
	struct store *st;
};

static void remove_db(const char *path)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char p[128];
	for (size_t i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
}

static int setup_group(void **state)
{
	(void)state;
	registry_init();
	i18n_init();
	return 0;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	strcpy(fx->dir, "/tmp/suivi-test-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->path, sizeof fx->path, "%s/test.db", fx->dir);
	char *msg = NULL;
	if (store_open(fx->path, &fx->st, &msg)) {
		fprintf(stderr, "store_open: %s\n", msg ? msg : "?");
		free(msg);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	store_close(fx->st);
	remove_db(fx->path);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* ---- helpers ---------------------------------------------------------------- */

static const struct entity *E(const char *name)
{
	const struct entity *e = ent_by_name(name);
	assert_non_null(e);
	return e;
}

/* Decodes json as a new record of ent (it must be valid). */
static void make(struct record *r, const char *ent, const char *json)
{
	rec_init(r, E(ent));
	json_error_t jerr;
	json_t *j = json_loads(json, 0, &jerr);
	if (!j)
		fail_msg("test JSON does not parse: %s: %s", jerr.text, json);
	struct ferrs errs = { 0 };
	enum app_err rc = rec_from_json(r, j, REC_CREATE, &errs);
	if (rc)
		fail_msg("invalid test record (%s: %s): %s", errs.n ? errs.a[0].field : "",
			 errs.n ? errs.a[0].msgid : "", json);
	json_decref(j);
}

/* The program's state around a store, for the domain's functions. */
static struct app app_of(struct store *st)
{
	return (struct app){ .store = st, .actor = "test" };
}

/* Inserts r as the system. */
static enum app_err store_insert(struct store *st, struct record *r, struct buf *key, struct ferrs *errs)
{
	struct app app = app_of(st);
	return dom_insert(&app, r, NULL, key, errs);
}

static enum app_err store_delete(struct store *st, const struct entity *e, const char *key,
				 long long if_version, struct buf *why)
{
	struct app app = app_of(st);
	return dom_delete(&app, e, key, if_version, NULL, why);
}

/* Inserts json as a record of ent; the key goes to key (when non-NULL),
 * the field errors to errs (when non-NULL). */
static enum app_err insert_e(struct store *st, const char *ent, const char *json, char *key,
			     struct ferrs *errs_out)
{
	struct record r;
	make(&r, ent, json);
	struct buf k = BUF_INIT;
	struct ferrs errs = { 0 };
	enum app_err rc = store_insert(st, &r, &k, &errs);
	if (key)
		snprintf(key, 32, "%s", buf_cstr(&k));
	if (errs_out)
		*errs_out = errs;
	else
		ferrs_release(&errs);
	buf_release(&k);
	rec_free(&r);
	return rc;
}

static enum app_err insert(struct store *st, const char *ent, const char *json, char *key)
{
	return insert_e(st, ent, json, key, NULL);
}

/* Inserts and checks it went well; returns the key as a number (or 0). */
static long long add(struct store *st, const char *ent, const char *json)
{
	char key[32];
	enum app_err rc = insert(st, ent, json, key);
	if (rc)
		fail_msg("insert %s failed (%d): %s", ent, rc, json);
	long long id = 0;
	util_parse_ll(key, &id);
	return id;
}

/* Applies json as a merge patch to the record at key of ent. */
static enum app_err update(struct store *st, const char *ent, const char *key, const char *json,
			   long long if_version)
{
	struct app app = app_of(st);
	json_error_t jerr;
	json_t *j = json_loads(json, 0, &jerr);
	if (!j)
		fail_msg("test JSON does not parse: %s: %s", jerr.text, json);
	struct ferrs errs = { 0 };
	enum app_err rc = dom_update(&app, E(ent), key, j, if_version, NULL, &errs);
	ferrs_release(&errs);
	json_decref(j);
	return rc;
}

struct rows_ctx {
	const struct entity *e;
	json_t *items; /* array */
};

static enum app_err collect(void *ctx, const struct row *row)
{
	struct rows_ctx *c = ctx;
	struct buf b = BUF_INIT;
	rec_row_json(&b, c->e, row, ROLE_ADMIN);
	json_error_t jerr;
	json_t *j = json_loads(buf_cstr(&b), 0, &jerr);
	if (!j)
		fail_msg("rec_row_json wrote bad JSON (%s): %s", jerr.text, buf_cstr(&b));
	buf_release(&b);
	json_array_append_new(c->items, j);
	return APP_OK;
}

/* The record at key as a JSON object (caller decrefs), or NULL when the
 * store answers rc. */
static json_t *get_rc(struct store *st, const char *ent, const char *key, enum app_err *rc)
{
	struct rows_ctx c = { .e = E(ent), .items = json_array() };
	*rc = store_get(st, c.e, key, collect, &c);
	json_t *j = json_array_size(c.items) == 1 ? json_incref(json_array_get(c.items, 0)) : NULL;
	json_decref(c.items);
	return j;
}

static json_t *get(struct store *st, const char *ent, const char *key)
{
	enum app_err rc;
	json_t *j = get_rc(st, ent, key, &rc);
	if (rc || !j)
		fail_msg("get %s %s: %d", ent, key, rc);
	return j;
}

static long long get_int(struct store *st, const char *ent, const char *key, const char *field)
{
	json_t *j = get(st, ent, key);
	json_t *v = json_object_get(j, field);
	if (!json_is_integer(v) && !json_is_boolean(v))
		fail_msg("%s.%s is not an integer", ent, field);
	long long n = json_is_boolean(v) ? json_is_true(v) : json_integer_value(v);
	json_decref(j);
	return n;
}

/* A copy of a string field (caller frees), NULL for null. */
static char *get_str(struct store *st, const char *ent, const char *key, const char *field)
{
	json_t *j = get(st, ent, key);
	json_t *v = json_object_get(j, field);
	char *s = json_is_string(v) ? strdup(json_string_value(v)) : NULL;
	json_decref(j);
	return s;
}

static long long count(struct store *st, const char *ent)
{
	long long n = -1;
	assert_int_equal(store_count(st, E(ent), &n), APP_OK);
	return n;
}

static long long generation(struct store *st)
{
	long long g = -1;
	assert_int_equal(store_generation(st, &g), APP_OK);
	return g;
}

/* Lists q into a new array of JSON objects (caller decrefs). */
static json_t *list(struct store *st, const struct query *q, long long *total)
{
	struct rows_ctx c = { .e = q->e, .items = json_array() };
	assert_int_equal(store_list(st, q, total, collect, &c), APP_OK);
	return c.items;
}

/* The integer field of each item, as "1,2,3". */
static const char *column(json_t *items, const char *field)
{
	static char out[256];
	size_t i;
	json_t *it;
	out[0] = '\0';
	json_array_foreach(items, i, it) {
		json_t *v = json_object_get(it, field);
		size_t n = strlen(out);
		if (json_is_integer(v))
			snprintf(out + n, sizeof out - n, "%s%lld", i ? "," : "",
				 (long long)json_integer_value(v));
		else
			snprintf(out + n, sizeof out - n, "%s%s", i ? "," : "",
				 json_is_string(v) ? json_string_value(v) : "null");
	}
	return out;
}

static void query_init(struct query *q, const char *ent)
{
	memset(q, 0, sizeof *q);
	q->e = E(ent);
	q->limit = 50;
}

static void filter(struct query *q, const char *field, struct dbparam v)
{
	q->filters[q->nfilters].f = ent_field(q->e, field);
	assert_non_null(q->filters[q->nfilters].f);
	q->filters[q->nfilters++].value = v;
}

#define INT(v_) ((struct dbparam){ .type = DBP_INT, .i = (v_) })
#define TEXT(v_) ((struct dbparam){ .type = DBP_TEXT, .s = (v_) })
#define NUL ((struct dbparam){ .type = DBP_NULL })

/* A meeting (1), an outcome (1) and returns nothing: the parents of actions. */
static void parents(struct store *st)
{
	add(st, "meeting", "{\"kind\": \"strategic_dialogue\", \"title\": {\"en\": \"First\"},"
			   " \"start_date\": \"2024-06-12\"}");
	add(st, "outcome", "{\"meeting\": 1, \"kind\": \"decision\", \"text\": {\"en\": \"Decide\"}}");
}

/* ---- schema ---------------------------------------------------------------- */

static void test_open_migrates(void **state)
{
	struct fixture *fx = *state;
	assert_true(ent_schema_version() >= 1);
	assert_int_equal(store_schema_version(fx->st), store_latest_version());
	assert_true(generation(fx->st) >= 1);
	for (size_t i = 0; i < entities_count; i++)
		assert_int_equal(count(fx->st, entities[i]->name), 0);
}

static void test_reopen(void **state)
{
	struct fixture *fx = *state;
	add(fx->st, "country", "{\"code\": \"MA\", \"name\": {\"fr\": \"Maroc\"}}");
	long long gen = generation(fx->st);
	store_close(fx->st);
	fx->st = NULL;
	char *msg = NULL;
	assert_int_equal(store_open(fx->path, &fx->st, &msg), APP_OK);
	assert_null(msg);
	assert_int_equal(store_schema_version(fx->st), store_latest_version());
	assert_int_equal(generation(fx->st), gen); /* reopening writes nothing */
	assert_int_equal(count(fx->st, "country"), 1);
	/* a third time, with the sqlite: prefix */
	store_close(fx->st);
	fx->st = NULL;
	char url[128];
	snprintf(url, sizeof url, "sqlite:%s", fx->path);
	assert_int_equal(store_open(url, &fx->st, &msg), APP_OK);
	assert_int_equal(count(fx->st, "country"), 1);
}

static void test_newer_database(void **state)
{
	struct fixture *fx = *state;
	store_close(fx->st);
	fx->st = NULL;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO schema_migration VALUES (9999, 'x')",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	char *msg = NULL;
	struct store *st = NULL;
	assert_int_not_equal(store_open(fx->path, &st, &msg), APP_OK);
	assert_null(st);
	assert_non_null(msg);
	free(msg);
	/* reopen a fresh database for the teardown */
	remove_db(fx->path);
	assert_int_equal(store_open(fx->path, &fx->st, &msg), APP_OK);
}

static void test_open_fails(void **state)
{
	(void)state;
	struct store *st = NULL;
	char *msg = NULL;
	assert_int_not_equal(store_open("/nonexistent-dir/sub/x.db", &st, &msg), APP_OK);
	assert_non_null(msg);
	free(msg);
	msg = NULL;
	assert_int_equal(store_open("postgres://localhost/suivi", &st, &msg), APP_UNAVAILABLE);
	assert_non_null(msg);
	free(msg);
}

/* ---- records --------------------------------------------------------------- */

static void test_insert_get(void **state)
{
	struct fixture *fx = *state;
	char key[32];
	assert_int_equal(insert(fx->st, "country",
				"{\"code\": \"MA\", \"iso3\": \"MAR\", \"name\": {\"fr\": \"Maroc\","
				" \"ar\": \"\xd8\xa7\"}, \"atlantic_african_state\": true}", key),
			 APP_OK);
	assert_string_equal(key, "MA");
	json_t *j = get(fx->st, "country", "MA");
	assert_string_equal(json_string_value(json_object_get(j, "code")), "MA");
	assert_string_equal(json_string_value(json_object_get(j, "iso3")), "MAR");
	json_t *name = json_object_get(j, "name");
	assert_string_equal(json_string_value(json_object_get(name, "fr")), "Maroc");
	assert_string_equal(json_string_value(json_object_get(name, "ar")), "\xd8\xa7");
	assert_null(json_object_get(name, "en")); /* absent languages are omitted */
	assert_true(json_is_true(json_object_get(j, "atlantic_african_state")));
	assert_true(json_is_false(json_object_get(j, "un_african_member"))); /* default */
	assert_true(json_is_null(json_object_get(j, "m49")));
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 1);
	const char *created = json_string_value(json_object_get(j, "created_at"));
	assert_non_null(created);
	assert_int_equal(strlen(created), 20);
	assert_string_equal(created, json_string_value(json_object_get(j, "updated_at")));
	json_decref(j);

	/* integer keys are assigned in order */
	assert_int_equal(add(fx->st, "organisation", "{\"name\": {\"en\": \"UN\"}, \"country\": \"MA\"}"), 1);
	assert_int_equal(add(fx->st, "organisation", "{\"name\": {\"en\": \"AU\"}}"), 2);
	assert_int_equal(get_int(fx->st, "organisation", "1", "id"), 1);
	char *c = get_str(fx->st, "organisation", "1", "country");
	assert_string_equal(c, "MA");
	free(c);

	enum app_err rc;
	assert_null(get_rc(fx->st, "organisation", "3", &rc));
	assert_int_equal(rc, APP_NOT_FOUND);
	assert_null(get_rc(fx->st, "country", "SN", &rc));
	assert_int_equal(rc, APP_NOT_FOUND);
	assert_null(get_rc(fx->st, "organisation", "x", &rc));
	assert_int_equal(rc, APP_NOT_FOUND);
}

static void test_defaults(void **state)
{
	struct fixture *fx = *state;
	parents(fx->st);
	add(fx->st, "action", "{\"outcome\": 1, \"title\": {\"en\": \"Act\"}}");
	char *s = get_str(fx->st, "action", "1", "status");
	assert_string_equal(s, "planned");
	free(s);
	assert_int_equal(get_int(fx->st, "action", "1", "percent"), 0);
	assert_int_equal(get_int(fx->st, "action", "1", "sample"), 0);
}

static void test_unknown_references(void **state)
{
	struct fixture *fx = *state;
	parents(fx->st);
	struct ferrs errs = { 0 };
	assert_int_equal(insert_e(fx->st, "action", "{\"outcome\": 9, \"owner\": 4,"
				  " \"title\": {\"en\": \"A\"}}", NULL, &errs), APP_INVALID);
	const struct ferr *f = ferrs_find(&errs, "outcome");
	assert_non_null(f);
	assert_string_equal(f->arg, "9");
	assert_non_null(ferrs_find(&errs, "owner"));
	ferrs_release(&errs);
	assert_int_equal(insert_e(fx->st, "outcome", "{\"meeting\": 1, \"kind\": \"result\","
				  " \"text\": {\"en\": \"t\"}, \"themes\": [\"nope\"]}", NULL, &errs),
			 APP_INVALID);
	assert_non_null(ferrs_find(&errs, "themes"));
	ferrs_release(&errs);
	assert_int_equal(count(fx->st, "action"), 0);
	assert_int_equal(count(fx->st, "outcome"), 1);
}

static void test_update(void **state)
{
	struct fixture *fx = *state;
	add(fx->st, "organisation", "{\"name\": {\"en\": \"One\"}, \"acronym\": \"O\"}");
	/* a merge patch: fields not given stay, null clears */
	assert_int_equal(update(fx->st, "organisation", "1", "{\"name\": {\"en\": \"Two\"}}", 1), APP_OK);
	json_t *j = get(fx->st, "organisation", "1");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "name"), "en")), "Two");
	assert_string_equal(json_string_value(json_object_get(j, "acronym")), "O");
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 2);
	json_decref(j);
	assert_int_equal(update(fx->st, "organisation", "1", "{\"acronym\": null}", 2), APP_OK);
	char *acronym = get_str(fx->st, "organisation", "1", "acronym");
	assert_null(acronym);
	assert_int_equal(get_int(fx->st, "organisation", "1", "version"), 3);
	/* a patch that changes nothing writes nothing */
	assert_int_equal(update(fx->st, "organisation", "1", "{\"name\": {\"en\": \"Two\"}}", -1), APP_OK);
	assert_int_equal(get_int(fx->st, "organisation", "1", "version"), 3);
	assert_int_equal(update(fx->st, "organisation", "1", "{\"name\": {\"en\": \"Three\"}}", -1), APP_OK);
	assert_int_equal(get_int(fx->st, "organisation", "1", "version"), 4);
	assert_int_equal(update(fx->st, "organisation", "7", "{\"name\": {\"en\": \"X\"}}", -1),
			 APP_NOT_FOUND);
}

static void test_update_precondition(void **state)
{
	struct fixture *fx = *state;
	add(fx->st, "organisation", "{\"name\": {\"en\": \"One\"}}");
	assert_int_equal(update(fx->st, "organisation", "1", "{\"name\": {\"en\": \"Two\"}}", 1), APP_OK);
	long long gen = generation(fx->st);
	/* the version read before that change is stale now */
	assert_int_equal(update(fx->st, "organisation", "1", "{\"name\": {\"en\": \"Stale\"}}", 1),
			 APP_PRECONDITION);
	assert_int_equal(update(fx->st, "organisation", "1", "{\"name\": {\"en\": \"Stale\"}}", 3),
			 APP_PRECONDITION);
	char *s = get_str(fx->st, "organisation", "1", "updated_at");
	json_t *j = get(fx->st, "organisation", "1");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "name"), "en")), "Two");
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 2);
	json_decref(j);
	free(s);
	assert_int_equal(generation(fx->st), gen);
}

static void test_links(void **state)
{
	struct fixture *fx = *state;
	add(fx->st, "person", "{\"name\": \"A\"}");
	add(fx->st, "person", "{\"name\": \"B\"}");
	add(fx->st, "person", "{\"name\": \"C\"}");
	add(fx->st, "meeting", "{\"kind\": \"forum\", \"title\": {\"en\": \"M\"},"
			       " \"start_date\": \"2024-01-01\", \"cochairs\": [2, 1]}");
	json_t *j = get(fx->st, "meeting", "1");
	json_t *co = json_object_get(j, "cochairs");
	assert_true(json_is_array(co));
	assert_int_equal(json_array_size(co), 2);
	assert_true(json_is_array(json_object_get(j, "delegations")));
	assert_int_equal(json_array_size(json_object_get(j, "delegations")), 0);
	json_decref(j);
	/* an update replaces the set */
	assert_int_equal(update(fx->st, "meeting", "1", "{\"kind\": \"forum\", \"title\": {\"en\": \"M\"},"
				" \"start_date\": \"2024-01-01\", \"cochairs\": [3]}", 1), APP_OK);
	j = get(fx->st, "meeting", "1");
	co = json_object_get(j, "cochairs");
	assert_int_equal(json_array_size(co), 1);
	assert_int_equal(json_integer_value(json_array_get(co, 0)), 3);
	json_decref(j);
	/* one without it leaves it; an empty list empties it */
	assert_int_equal(update(fx->st, "meeting", "1", "{\"title\": {\"en\": \"N\"}}", 2), APP_OK);
	j = get(fx->st, "meeting", "1");
	assert_int_equal(json_array_size(json_object_get(j, "cochairs")), 1);
	json_decref(j);
	assert_int_equal(update(fx->st, "meeting", "1", "{\"cochairs\": []}", 3), APP_OK);
	j = get(fx->st, "meeting", "1");
	assert_int_equal(json_array_size(json_object_get(j, "cochairs")), 0);
	json_decref(j);
	/* code keys in lists come out as strings */
	add(fx->st, "theme", "{\"code\": \"blue_economy\", \"name\": {\"en\": \"Blue economy\"}}");
	add(fx->st, "outcome", "{\"meeting\": 1, \"kind\": \"result\", \"text\": {\"en\": \"t\"},"
			       " \"themes\": [\"blue_economy\"]}");
	j = get(fx->st, "outcome", "1");
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "themes"), 0)),
			    "blue_economy");
	json_decref(j);
}

/* ---- delete ------------------------------------------------------------------ */

static void test_delete(void **state)
{
	struct fixture *fx = *state;
	add(fx->st, "organisation", "{\"name\": {\"en\": \"One\"}}");
	struct buf why = BUF_INIT;
	assert_int_equal(store_delete(fx->st, E("organisation"), "1", 2, &why), APP_PRECONDITION);
	assert_int_equal(count(fx->st, "organisation"), 1);
	assert_int_equal(store_delete(fx->st, E("organisation"), "1", 1, &why), APP_OK);
	assert_int_equal(count(fx->st, "organisation"), 0);
	assert_int_equal(store_delete(fx->st, E("organisation"), "1", -1, &why), APP_NOT_FOUND);
	buf_release(&why);
}

static void test_delete_referenced(void **state)
{
	struct fixture *fx = *state;
	add(fx->st, "country", "{\"code\": \"MA\", \"name\": {\"fr\": \"Maroc\"}}");
	add(fx->st, "organisation", "{\"name\": {\"en\": \"One\"}, \"country\": \"MA\"}");
	add(fx->st, "person", "{\"name\": \"A\", \"organisation\": 1}");
	add(fx->st, "meeting", "{\"kind\": \"forum\", \"title\": {\"en\": \"M\"}, \"country\": \"MA\","
			       " \"start_date\": \"2024-01-01\", \"cochairs\": [1], \"delegations\": [1]}");
	long long gen = generation(fx->st);
	struct buf why = BUF_INIT;
	assert_int_equal(store_delete(fx->st, E("country"), "MA", -1, &why), APP_CONFLICT);
	assert_non_null(strstr(buf_cstr(&why), "1 organisations (country)"));
	assert_non_null(strstr(buf_cstr(&why), "1 meetings (country)"));
	buf_reset(&why);
	assert_int_equal(store_delete(fx->st, E("organisation"), "1", -1, &why), APP_CONFLICT);
	assert_non_null(strstr(buf_cstr(&why), "persons (organisation)"));
	assert_non_null(strstr(buf_cstr(&why), "meetings (delegations)"));
	buf_reset(&why);
	assert_int_equal(store_delete(fx->st, E("person"), "1", -1, &why), APP_CONFLICT);
	assert_non_null(strstr(buf_cstr(&why), "1 meetings (cochairs)"));
	/* nothing was deleted, nothing changed */
	assert_int_equal(count(fx->st, "country"), 1);
	assert_int_equal(count(fx->st, "organisation"), 1);
	assert_int_equal(count(fx->st, "person"), 1);
	assert_int_equal(generation(fx->st), gen);
	json_t *j = get(fx->st, "meeting", "1");
	assert_int_equal(json_array_size(json_object_get(j, "cochairs")), 1);
	json_decref(j);
	/* the meeting takes its own link rows with it, then the rest can go */
	buf_reset(&why);
	assert_int_equal(store_delete(fx->st, E("meeting"), "1", -1, &why), APP_OK);
	assert_int_equal(store_delete(fx->st, E("person"), "1", -1, &why), APP_OK);
	assert_int_equal(store_delete(fx->st, E("organisation"), "1", -1, &why), APP_OK);
	assert_int_equal(store_delete(fx->st, E("country"), "MA", -1, &why), APP_OK);
	buf_release(&why);
}

static void test_duplicate_code(void **state)
{
	struct fixture *fx = *state;
	add(fx->st, "country", "{\"code\": \"MA\", \"name\": {\"fr\": \"Maroc\"}}");
	long long gen = generation(fx->st);
	assert_int_equal(insert(fx->st, "country", "{\"code\": \"MA\", \"name\": {\"fr\": \"Autre\"}}", NULL),
			 APP_CONFLICT);
	assert_int_equal(count(fx->st, "country"), 1);
	char *s = get_str(fx->st, "country", "MA", "iso3");
	assert_null(s);
	json_t *j = get(fx->st, "country", "MA");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "name"), "fr")), "Maroc");
	json_decref(j);
	assert_int_equal(generation(fx->st), gen);
	/* so is a taken integer key given by a data file */
	struct record r;
	rec_init(&r, E("organisation"));
	json_t *o = json_pack("{s:i, s:{s:s}}", "id", 5, "name", "en", "X");
	struct ferrs errs = { 0 };
	assert_int_equal(rec_from_json(&r, o, REC_LOAD, &errs), APP_OK);
	struct buf key = BUF_INIT;
	assert_int_equal(store_insert(fx->st, &r, &key, &errs), APP_OK);
	assert_string_equal(buf_cstr(&key), "5");
	buf_reset(&key);
	assert_int_equal(store_insert(fx->st, &r, &key, &errs), APP_CONFLICT);
	buf_release(&key);
	rec_free(&r);
	json_decref(o);
	ferrs_release(&errs);
}

/* ---- transactions and the change counter --------------------------------------- */

static void test_transaction_rollback(void **state)
{
	struct fixture *fx = *state;
	long long gen = generation(fx->st);
	assert_int_equal(store_begin(fx->st), APP_OK);
	add(fx->st, "country", "{\"code\": \"SN\", \"name\": {\"fr\": \"S\xc3\xa9n\xc3\xa9gal\"}}");
	add(fx->st, "organisation", "{\"name\": {\"en\": \"One\"}, \"country\": \"SN\"}");
	assert_int_equal(insert(fx->st, "action", "{\"outcome\": 1, \"title\": {\"en\": \"A\"}}", NULL),
			 APP_INVALID);
	store_rollback(fx->st);
	assert_int_equal(count(fx->st, "country"), 0);
	assert_int_equal(count(fx->st, "organisation"), 0);
	assert_int_equal(generation(fx->st), gen);
	/* the connection is usable again, outside any transaction */
	add(fx->st, "country", "{\"code\": \"SN\", \"name\": {\"fr\": \"S\"}}");
	assert_int_equal(count(fx->st, "country"), 1);
}

static void test_transaction_commit(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(store_begin(fx->st), APP_OK);
	add(fx->st, "country", "{\"code\": \"SN\", \"name\": {\"fr\": \"S\"}}");
	add(fx->st, "country", "{\"code\": \"MA\", \"name\": {\"fr\": \"M\"}}");
	assert_int_equal(store_commit(fx->st), APP_OK);
	assert_int_equal(count(fx->st, "country"), 2);
	/* a failure inside makes the commit fail and keeps nothing */
	assert_int_equal(store_begin(fx->st), APP_OK);
	add(fx->st, "country", "{\"code\": \"CV\", \"name\": {\"fr\": \"C\"}}");
	assert_int_equal(insert(fx->st, "country", "{\"code\": \"MA\", \"name\": {\"fr\": \"M\"}}", NULL),
			 APP_CONFLICT);
	assert_int_not_equal(store_commit(fx->st), APP_OK);
	assert_int_equal(count(fx->st, "country"), 2);
	/* rollback without a transaction does nothing */
	store_rollback(fx->st);
	assert_int_equal(count(fx->st, "country"), 2);
}

static void test_generation(void **state)
{
	struct fixture *fx = *state;
	long long g0 = generation(fx->st);
	add(fx->st, "organisation", "{\"name\": {\"en\": \"One\"}}");
	long long g1 = generation(fx->st);
	assert_true(g1 != g0);
	assert_int_equal(update(fx->st, "organisation", "1", "{\"name\": {\"en\": \"Two\"}}", -1), APP_OK);
	long long g2 = generation(fx->st);
	assert_true(g2 != g1 && g2 != g0);
	struct buf why = BUF_INIT;
	assert_int_equal(store_delete(fx->st, E("organisation"), "1", -1, &why), APP_OK);
	buf_release(&why);
	long long g3 = generation(fx->st);
	assert_true(g3 != g2 && g3 != g1 && g3 != g0);
	/* reads and failed writes leave it */
	assert_int_equal(count(fx->st, "organisation"), 0);
	assert_int_equal(update(fx->st, "organisation", "1", "{\"name\": {\"en\": \"X\"}}", -1), APP_NOT_FOUND);
	assert_int_equal(generation(fx->st), g3);

	/* another connection to the same file sees the writes */
	struct store *other;
	char *msg = NULL;
	assert_int_equal(store_open(fx->path, &other, &msg), APP_OK);
	long long before = generation(other);
	/* (one thread has one connection per store: write through fx, read through other) */
	add(fx->st, "organisation", "{\"name\": {\"en\": \"Three\"}}");
	assert_true(generation(other) != before);
	store_close(other);
}

/* ---- lists --------------------------------------------------------------------- */

static void actions(struct store *st)
{
	parents(st);
	add(st, "organisation", "{\"name\": {\"en\": \"Owner\"}}");
	add(st, "action", "{\"outcome\": 1, \"title\": {\"en\": \"Charlie\"}, \"status\": \"done\", \"percent\": 100}");
	add(st, "action", "{\"outcome\": 1, \"title\": {\"en\": \"alpha\"}, \"percent\": 20, \"owner\": 1}");
	add(st, "action", "{\"outcome\": 1, \"title\": {\"en\": \"Bravo\", \"fr\": \"Zoulou\"}, \"percent\": 50}");
	add(st, "action", "{\"outcome\": 1, \"title\": {\"fr\": \"Delta\"}, \"status\": \"done\", \"percent\": 20}");
	add(st, "action", "{\"outcome\": 1, \"title\": {\"en\": \"Echo\"}, \"status\": \"in_progress\"}");
}

static void test_list_all(void **state)
{
	struct fixture *fx = *state;
	actions(fx->st);
	struct query q;
	query_init(&q, "action");
	long long total = -1;
	json_t *items = list(fx->st, &q, &total);
	assert_int_equal(total, 5);
	assert_string_equal(column(items, "id"), "1,2,3,4,5"); /* default: the key */
	json_decref(items);
	/* without total, and with no row function */
	assert_int_equal(store_list(fx->st, &q, NULL, NULL, NULL), APP_OK);
}

static void test_list_filters(void **state)
{
	struct fixture *fx = *state;
	actions(fx->st);
	struct query q;
	long long total;
	json_t *items;

	query_init(&q, "action");
	filter(&q, "status", TEXT("done"));
	items = list(fx->st, &q, &total);
	assert_string_equal(column(items, "id"), "1,4");
	assert_int_equal(total, 2);
	json_decref(items);

	filter(&q, "percent", INT(20));
	items = list(fx->st, &q, &total);
	assert_string_equal(column(items, "id"), "4");
	json_decref(items);

	query_init(&q, "action");
	filter(&q, "owner", INT(1));
	items = list(fx->st, &q, &total);
	assert_string_equal(column(items, "id"), "2");
	json_decref(items);

	query_init(&q, "action");
	filter(&q, "owner", NUL);
	items = list(fx->st, &q, &total);
	assert_int_equal(total, 4);
	json_decref(items);

	query_init(&q, "action");
	filter(&q, "status", TEXT("dropped"));
	items = list(fx->st, &q, &total);
	assert_int_equal(total, 0);
	assert_int_equal(json_array_size(items), 0);
	json_decref(items);

	/* a set of references: contains */
	add(fx->st, "theme", "{\"code\": \"blue_economy\", \"name\": {\"en\": \"B\"}}");
	add(fx->st, "theme", "{\"code\": \"security\", \"name\": {\"en\": \"S\"}}");
	add(fx->st, "outcome", "{\"meeting\": 1, \"kind\": \"result\", \"text\": {\"en\": \"t\"},"
			       " \"themes\": [\"blue_economy\", \"security\"]}");
	add(fx->st, "outcome", "{\"meeting\": 1, \"kind\": \"result\", \"text\": {\"en\": \"u\"},"
			       " \"themes\": [\"security\"]}");
	query_init(&q, "outcome");
	filter(&q, "themes", TEXT("blue_economy"));
	items = list(fx->st, &q, &total);
	assert_string_equal(column(items, "id"), "2");
	json_decref(items);
	query_init(&q, "outcome");
	filter(&q, "themes", TEXT("security"));
	items = list(fx->st, &q, &total);
	assert_string_equal(column(items, "id"), "2,3");
	json_decref(items);
}

static void test_list_search(void **state)
{
	struct fixture *fx = *state;
	actions(fx->st);
	struct query q;
	long long total;
	query_init(&q, "action");
	q.q = "%ALPHA%"; /* case-insensitive */
	json_t *items = list(fx->st, &q, &total);
	assert_string_equal(column(items, "id"), "2");
	json_decref(items);
	q.q = "%zoul%"; /* any language */
	items = list(fx->st, &q, &total);
	assert_string_equal(column(items, "id"), "3");
	json_decref(items);
	q.q = "%o%";
	filter(&q, "status", TEXT("done"));
	items = list(fx->st, &q, &total);
	assert_int_equal(total, 0); /* the done ones (Charlie, Delta) have no o */
	json_decref(items);
}

/* query.untranslated: the rows with a text given in a language and missing
 * in one of those asked for; a text given in none is not one. */
static void test_list_untranslated(void **state)
{
	struct fixture *fx = *state;
	actions(fx->st); /* titles: en, en, en+fr, fr, en */
	add(fx->st, "action", "{\"outcome\": 1, \"title\": {\"fr\": \"F\", \"en\": \"E\", \"ar\": \"ع\"}}");
	static const struct {
		unsigned langs;
		const char *ids;
	} cases[] = {
		{ 1u << LANG_FR, "1,2,5" },
		{ 1u << LANG_EN, "4" },
		{ 1u << LANG_AR, "1,2,3,4,5" },
		{ (1u << LANG_FR) | (1u << LANG_EN), "1,2,4,5" },
		{ (1u << LANG__MAX) - 1, "1,2,3,4,5" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct query q;
		long long total = -1;
		query_init(&q, "action");
		q.untranslated = cases[i].langs;
		json_t *items = list(fx->st, &q, &total);
		assert_string_equal(column(items, "id"), cases[i].ids);
		assert_int_equal(total, (long long)(strlen(cases[i].ids) + 1) / 2);
		json_decref(items);
	}
	/* with the other conditions */
	struct query q;
	long long total;
	query_init(&q, "action");
	q.untranslated = 1u << LANG_FR;
	filter(&q, "status", TEXT("done"));
	json_t *items = list(fx->st, &q, &total);
	assert_string_equal(column(items, "id"), "1");
	json_decref(items);
	/* an optional text left empty; an entity without multilingual texts */
	add(fx->st, "person", "{\"name\": \"No function\"}");
	add(fx->st, "person", "{\"name\": \"Function in Arabic\", \"title\": {\"ar\": \"مندوب\"}}");
	query_init(&q, "person");
	q.untranslated = (1u << LANG__MAX) - 1;
	items = list(fx->st, &q, &total);
	assert_string_equal(column(items, "id"), "2");
	json_decref(items);
	query_init(&q, "audit");
	q.untranslated = (1u << LANG__MAX) - 1;
	assert_int_equal(store_count_where(fx->st, &q, &total), APP_OK);
	assert_int_equal(total, 0);
}

/* ?q= is a plain substring: '%' and '_' in it are not wildcards. */
static void test_search_literal(void **state)
{
	struct fixture *fx = *state;
	add(fx->st, "organisation", "{\"name\": {\"en\": \"R&D_unit\"}}");
	add(fx->st, "organisation", "{\"name\": {\"en\": \"RandDxunit\"}}");
	add(fx->st, "organisation", "{\"name\": {\"en\": \"100% owned\"}}");
	add(fx->st, "organisation", "{\"name\": {\"en\": \"100 owned\"}}");
	static const struct {
		const char *q, *ids;
	} cases[] = { { "d_u", "1" }, { "0%", "3" } };
	for (size_t i = 0; i < 2; i++) {
		struct args a = { 0 };
		char form[32];
		struct buf enc = BUF_INIT;
		buf_url(&enc, cases[i].q);
		snprintf(form, sizeof form, "q=%s", buf_cstr(&enc));
		buf_release(&enc);
		args_parse_form(&a, form, strlen(form));
		struct query q;
		char *msg = NULL;
		assert_int_equal(dom_parse_query(E("organisation"), &a, NULL, NULL, &q, &msg), APP_OK);
		long long total;
		json_t *items = list(fx->st, &q, &total);
		const char *got = column(items, "id");
		char copy[64];
		snprintf(copy, sizeof copy, "%s", got);
		json_decref(items);
		dom_query_release(&q);
		args_release(&a);
		assert_string_equal(copy, cases[i].ids);
	}
}

static void test_list_sort_page(void **state)
{
	struct fixture *fx = *state;
	actions(fx->st);
	struct query q;
	long long total;
	json_t *items;

	query_init(&q, "action");
	q.sort = ent_field(q.e, "percent");
	q.desc = true;
	items = list(fx->st, &q, &total);
	assert_string_equal(column(items, "id"), "1,3,2,4,5"); /* ties by key */
	json_decref(items);

	q.desc = false;
	items = list(fx->st, &q, &total);
	assert_string_equal(column(items, "id"), "5,2,4,3,1");
	json_decref(items);

	q.sort = ent_field(q.e, "id");
	q.desc = true;
	items = list(fx->st, &q, &total);
	assert_string_equal(column(items, "id"), "5,4,3,2,1");
	json_decref(items);

	/* multilingual sort: the language asked for, else fr, en, ar */
	q.sort = ent_field(q.e, "title");
	q.desc = false;
	q.lang = LANG_EN;
	items = list(fx->st, &q, &total);
	/* in the language's collation, alpha with the A's (Bravo Charlie
	 * Delta Echo alpha by bytes, without the locale) */
	assert_string_equal(column(items, "id"), i18n_has_collation(LANG_EN) ? "2,3,1,4,5" : "3,1,4,5,2");
	json_decref(items);

	/* limit and offset; total counts all */
	q.sort = NULL;
	q.limit = 2;
	q.offset = 1;
	items = list(fx->st, &q, &total);
	assert_string_equal(column(items, "id"), "2,3");
	assert_int_equal(total, 5);
	json_decref(items);
	q.offset = 4;
	items = list(fx->st, &q, &total);
	assert_string_equal(column(items, "id"), "5");
	json_decref(items);
	q.offset = 10;
	items = list(fx->st, &q, &total);
	assert_int_equal(json_array_size(items), 0);
	assert_int_equal(total, 5);
	json_decref(items);
	q.limit = 0;
	q.offset = 0;
	items = list(fx->st, &q, &total);
	assert_int_equal(json_array_size(items), 0);
	json_decref(items);
	q.limit = -1; /* every row */
	items = list(fx->st, &q, &total);
	assert_int_equal(json_array_size(items), 5);
	json_decref(items);

	/* the entity's default sort: meetings by -start_date, nulls last */
	add(fx->st, "meeting", "{\"kind\": \"forum\", \"title\": {\"en\": \"Later\"}, \"start_date\": \"2025-01-01\"}");
	add(fx->st, "meeting", "{\"kind\": \"forum\", \"title\": {\"en\": \"Early\"}, \"start_date\": \"2023-01-01\"}");
	query_init(&q, "meeting");
	items = list(fx->st, &q, &total);
	assert_string_equal(column(items, "id"), "2,1,3");
	json_decref(items);
	/* nulls last in both directions */
	query_init(&q, "action");
	q.sort = ent_field(q.e, "owner");
	items = list(fx->st, &q, &total);
	assert_string_equal(column(items, "owner"), "1,null,null,null,null");
	json_decref(items);
	q.desc = true;
	items = list(fx->st, &q, &total);
	assert_string_equal(column(items, "owner"), "1,null,null,null,null");
	json_decref(items);
}

/* ---- computed and propagated fields ---------------------------------------------------- */

static void test_late(void **state)
{
	struct fixture *fx = *state;
	parents(fx->st);
	add(fx->st, "action", "{\"outcome\": 1, \"title\": {\"en\": \"past\"}, \"due_date\": \"2000-01-01\"}");
	add(fx->st, "action", "{\"outcome\": 1, \"title\": {\"en\": \"past done\"}, \"due_date\": \"2000-01-01\","
			      " \"status\": \"done\"}");
	add(fx->st, "action", "{\"outcome\": 1, \"title\": {\"en\": \"past dropped\"}, \"due_date\": \"2000-01-01\","
			      " \"status\": \"dropped\"}");
	add(fx->st, "action", "{\"outcome\": 1, \"title\": {\"en\": \"future\"}, \"due_date\": \"9999-12-31\"}");
	add(fx->st, "action", "{\"outcome\": 1, \"title\": {\"en\": \"no date\"}}");
	char today[11];
	util_today(today);
	char json[128];
	snprintf(json, sizeof json, "{\"outcome\": 1, \"title\": {\"en\": \"today\"}, \"due_date\": \"%s\"}", today);
	add(fx->st, "action", json);
	assert_int_equal(get_int(fx->st, "action", "1", "late"), 1);
	assert_int_equal(get_int(fx->st, "action", "2", "late"), 0);
	assert_int_equal(get_int(fx->st, "action", "3", "late"), 0);
	assert_int_equal(get_int(fx->st, "action", "4", "late"), 0);
	assert_int_equal(get_int(fx->st, "action", "5", "late"), 0);
	assert_int_equal(get_int(fx->st, "action", "6", "late"), 0); /* due today: not yet late */
	json_t *j = get(fx->st, "action", "1");
	assert_true(json_is_true(json_object_get(j, "late")));
	json_decref(j);

	struct query q;
	long long total;
	query_init(&q, "action");
	filter(&q, "late", INT(1));
	json_t *items = list(fx->st, &q, &total);
	assert_string_equal(column(items, "id"), "1");
	json_decref(items);
	/* with another filter, a search and a sort on it: parameters stay in order */
	query_init(&q, "action");
	filter(&q, "late", INT(0));
	filter(&q, "status", TEXT("planned"));
	q.q = "%o%";
	q.sort = ent_field(q.e, "late");
	items = list(fx->st, &q, &total);
	assert_string_equal(column(items, "id"), "5,6"); /* "no date", "today" */
	assert_int_equal(total, 2);
	json_decref(items);

	/* done: no longer late */
	assert_int_equal(update(fx->st, "action", "1", "{\"outcome\": 1, \"title\": {\"en\": \"past\"},"
				" \"due_date\": \"2000-01-01\", \"status\": \"done\"}", 1), APP_OK);
	assert_int_equal(get_int(fx->st, "action", "1", "late"), 0);
}

static void test_propagate(void **state)
{
	struct fixture *fx = *state;
	parents(fx->st);
	add(fx->st, "action", "{\"outcome\": 1, \"title\": {\"en\": \"A\"}}");
	add(fx->st, "action", "{\"outcome\": 1, \"title\": {\"en\": \"B\"}}");
	assert_int_equal(get_int(fx->st, "action", "1", "version"), 1);

	add(fx->st, "action_update", "{\"action\": 1, \"date\": \"2024-07-01\", \"note\": {\"en\": \"n\"},"
				     " \"percent\": 60}");
	assert_int_equal(get_int(fx->st, "action", "1", "percent"), 60);
	assert_int_equal(get_int(fx->st, "action", "1", "version"), 2);
	assert_int_equal(get_int(fx->st, "action", "2", "percent"), 0);

	/* without a percent, the action is left alone */
	add(fx->st, "action_update", "{\"action\": 1, \"date\": \"2024-07-02\", \"note\": {\"en\": \"n\"}}");
	assert_int_equal(get_int(fx->st, "action", "1", "percent"), 60);
	assert_int_equal(get_int(fx->st, "action", "1", "version"), 2);

	/* updating the update propagates too */
	assert_int_equal(update(fx->st, "action_update", "1", "{\"action\": 1, \"date\": \"2024-07-01\","
				" \"note\": {\"en\": \"n\"}, \"percent\": 80}", 1), APP_OK);
	assert_int_equal(get_int(fx->st, "action", "1", "percent"), 80);

	/* a failed update (unknown action) propagates nothing */
	struct ferrs errs = { 0 };
	assert_int_equal(insert_e(fx->st, "action_update", "{\"action\": 9, \"date\": \"2024-07-03\","
				  " \"note\": {\"en\": \"n\"}, \"percent\": 10}", NULL, &errs), APP_INVALID);
	ferrs_release(&errs);
	assert_int_equal(get_int(fx->st, "action", "1", "percent"), 80);
	assert_int_equal(count(fx->st, "action_update"), 2);
}

/* An empty status is refused by validation; if it got through, the store
 * would keep a NULL status that the default was meant to prevent. */
static void test_status_never_null(void **state)
{
	struct fixture *fx = *state;
	parents(fx->st);
	struct record r;
	rec_init(&r, E("action"));
	json_t *j = json_pack("{s:i, s:{s:s}, s:s}", "outcome", 1, "title", "en", "A", "status", "");
	struct ferrs errs = { 0 };
	enum app_err rc = rec_from_json(&r, j, REC_CREATE, &errs);
	struct buf key = BUF_INIT;
	if (!rc)
		rc = store_insert(fx->st, &r, &key, &errs);
	buf_release(&key);
	ferrs_release(&errs);
	rec_free(&r);
	json_decref(j);
	if (rc == APP_OK) {
		char *s = get_str(fx->st, "action", "1", "status");
		assert_non_null(s);
		free(s);
	}
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_open_migrates),
		T(test_reopen),
		T(test_newer_database),
		cmocka_unit_test(test_open_fails),
		T(test_insert_get),
		T(test_defaults),
		T(test_unknown_references),
		T(test_update),
		T(test_update_precondition),
		T(test_links),
		T(test_delete),
		T(test_delete_referenced),
		T(test_duplicate_code),
		T(test_transaction_rollback),
		T(test_transaction_commit),
		T(test_generation),
		T(test_list_all),
		T(test_list_filters),
		T(test_list_search),
		T(test_search_literal),
		T(test_list_untranslated),
		T(test_list_sort_page),
		T(test_late),
		T(test_propagate),
		T(test_status_never_null),
	};
	return cmocka_run_group_tests(tests, setup_group, NULL);
}
