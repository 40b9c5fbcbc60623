/* load.c — see load.h. */
#define _POSIX_C_SOURCE 200809L
#include "load.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "assets.h"
#include "domain.h"
#include "store.h"
#include "xalloc.h"
#include "banned.h"

static void report(const char *name, const char *coll, size_t i, const struct ferrs *errs,
		   enum app_err rc)
{
	if (!errs->n) {
		fprintf(stderr, "suivi: %s: %s[%zu]: %s\n", name, coll, i, err_message(rc));
		return;
	}
	for (size_t k = 0; k < errs->n; k++) {
		struct buf m = BUF_INIT;
		ferrs_message(errs, k, LANG_EN, &m);
		fprintf(stderr, "suivi: %s: %s[%zu].%s %s\n", name, coll, i, errs->a[k].field,
			buf_cstr(&m));
		buf_release(&m);
	}
}

/* Is the record's key already taken? (Then loading it again is a no-op.) */
static bool present(struct app *app, const struct entity *e, json_t *rec)
{
	json_t *k = json_object_get(rec, ent_keyfield(e)->name);
	if (!k)
		return false;
	char *key = json_is_integer(k) ? xasprintf("%lld", (long long)json_integer_value(k))
				       : xstrdup(json_is_string(k) ? json_string_value(k) : "");
	struct buf out = BUF_INIT;
	bool yes = dom_get_json(app, e, key, NULL, &out, NULL) == APP_OK;
	buf_release(&out);
	free(key);
	return yes;
}

static enum app_err load_collection(struct app *app, const char *name, const char *coll,
				    json_t *arr, long long *added)
{
	const struct entity *e = ent_by_plural(coll);
	if (!e || !json_is_array(arr)) {
		fprintf(stderr, "suivi: %s: '%s' is not a collection with a list of records\n", name, coll);
		return APP_INVALID;
	}
	size_t i;
	json_t *rec;
	enum app_err bad = APP_OK;
	json_array_foreach(arr, i, rec) {
		if (json_is_object(rec) && present(app, e, rec))
			continue;
		struct ferrs errs = { 0 };
		struct buf key = BUF_INIT;
		enum app_err rc = dom_create(app, e, rec, REC_LOAD, NULL, &key, &errs);
		if (rc) {
			report(name, coll, i, &errs, rc);
			bad = rc;
		} else {
			(*added)++;
		}
		buf_release(&key);
		ferrs_release(&errs);
	}
	return bad;
}

enum app_err load_data(struct app *app, const char *name, const char *text, size_t len,
		       long long *added)
{
	json_error_t jerr;
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	*added = 0;
	if (!json_is_object(doc)) {
		fprintf(stderr, "suivi: %s: line %d: %s\n", name, jerr.line,
			doc ? "not a JSON object" : jerr.text);
		json_decref(doc);
		return APP_BAD_JSON;
	}
	enum app_err rc = store_begin(app->store);
	const char *coll;
	json_t *arr;
	json_object_foreach(doc, coll, arr) {
		if (rc)
			break;
		rc = load_collection(app, name, coll, arr, added);
	}
	if (rc) {
		store_rollback(app->store);
		*added = 0;
	} else {
		rc = store_commit(app->store);
	}
	json_decref(doc);
	return rc;
}

enum app_err load_asset(struct app *app, const char *asset, long long *added)
{
	const struct asset *a = asset_find(asset);
	if (!a) {
		fprintf(stderr, "suivi: %s is not in this build\n", asset);
		return APP_INTERNAL;
	}
	return load_data(app, asset, (const char *)a->data, a->size, added);
}
