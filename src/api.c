/* api.c — the JSON API under /api/v1/ (docs/API.md).
 *
 * Lists and records are written as JSON straight into a buffer from the
 * database rows (no object tree on output), and GET answers are kept in
 * the response cache until the next write (cache.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "board.h"
#include "cache.h"
#include "csv.h"
#include "dashboard.h"
#include "docs.h"
#include "domain.h"
#include "http.h"
#include "iati_http.h"
#include "import_http.h"
#include "label.h"
#include "needs.h"
#include "openapi.h"
#include "results_http.h"
#include "store.h"
#include "training.h"
#include "training_http.h"
#include "xalloc.h"

#define PREFIX "/api/v1"

static void json_error(struct response *resp, enum app_err e, const char *msg,
		       const struct ferrs *errs)
{
	resp->status = err_status(e);
	resp->content_type = "application/json";
	buf_reset(&resp->body);
	buf_printf(&resp->body, "{\"error\":{\"code\":\"%s\",\"message\":", err_code(e));
	buf_json_str(&resp->body, msg ? msg : err_message(e));
	if (errs && errs->n) {
		buf_adds(&resp->body, ",\"fields\":{");
		for (size_t i = 0; i < errs->n; i++) {
			struct buf m = BUF_INIT;
			ferrs_message(errs, i, LANG_EN, &m);
			buf_printf(&resp->body, "%s", i ? "," : "");
			buf_json_str(&resp->body, errs->a[i].field);
			buf_addc(&resp->body, ':');
			buf_json_str(&resp->body, buf_cstr(&m));
			buf_release(&m);
		}
		buf_addc(&resp->body, '}');
	}
	buf_adds(&resp->body, "}}");
}

static void set_etag(struct response *resp, long long version)
{
	char tag[32];
	snprintf(tag, sizeof tag, "\"%lld\"", version);
	resp_header(resp, "ETag", tag);
}

/* ---- lists --------------------------------------------------------------- */

struct list_ctx {
	const struct entity *e;
	struct buf *out;
	enum role viewer;
	int n;
	const struct label_reader *labels; /* ?labels=1: the rows are labelled */
	long long version;
};

/* A row as JSON, with its labels when asked for. */
static enum app_err list_row(void *ctx, const struct row *row)
{
	struct list_ctx *l = ctx;
	if (l->n++)
		buf_addc(l->out, ',');
	buf_addc(l->out, '{');
	rec_row_members(l->out, l->e, row, l->viewer);
	if (l->labels)
		label_json(l->out, l->labels, l->e, row);
	buf_addc(l->out, '}');
	l->version = row_int(row, l->e->col_version);
	return APP_OK;
}

/* The readers' labels are in the language of the request. */
static struct label_reader api_reader(const struct request *req)
{
	return (struct label_reader){ .lang = req->lang, .role = req->who.role, .mode = LABEL_DATA };
}

static void list(struct request *req, struct response *resp, const struct entity *e)
{
	struct query q;
	char *msg = NULL;
	enum app_err rc = dom_parse_query(e, &req->query, NULL, &req->who, &q, &msg);
	if (rc) {
		json_error(resp, rc, msg, NULL);
		free(msg);
		dom_query_release(&q);
		return;
	}
	struct label_reader reader = api_reader(req);
	struct list_ctx l = { .e = e, .out = &resp->body, .viewer = q.viewer, .labels = q.labels ? &reader : NULL };
	long long total = 0;
	buf_adds(&resp->body, "{\"items\":[");
	rc = store_list(req->app->store, &q, &total, list_row, &l);
	if (rc)
		json_error(resp, rc, NULL, NULL);
	else
		buf_printf(&resp->body, "],\"total\":%lld,\"limit\":%lld,\"offset\":%lld}",
			   total, q.limit, q.offset);
	dom_query_release(&q);
}

static void csv_list(struct request *req, struct response *resp, const struct entity *e)
{
	struct query q;
	char *msg = NULL;
	static const char *const ignore[] = { "limit", "offset", NULL };
	enum app_err rc = dom_parse_query(e, &req->query, ignore, &req->who, &q, &msg);
	if (!rc)
		rc = csv_export(req->app->store, &q, req->lang, &resp->body);
	if (rc) {
		json_error(resp, rc, msg, NULL);
	} else {
		resp->content_type = "text/csv; charset=utf-8";
		char *cd = xasprintf("attachment; filename=\"%s.csv\"", e->plural);
		resp_header(resp, "Content-Disposition", cd);
		free(cd);
	}
	free(msg);
	dom_query_release(&q);
}

static void get_one(struct request *req, struct response *resp, const struct entity *e,
		    const char *key)
{
	bool labels;
	if (!dom_parse_labels(args_get(&req->query, "labels"), &labels)) {
		json_error(resp, APP_BAD_QUERY, "labels takes 1 or 0", NULL);
		return;
	}
	long long version;
	enum app_err rc;
	if (labels) {
		struct label_reader reader = api_reader(req);
		struct list_ctx l = { .e = e, .out = &resp->body, .viewer = req->who.role, .labels = &reader };
		rc = dom_get_row(req->app, e, key, &req->who, LABELS_ALL, list_row, &l);
		version = l.version;
	} else {
		rc = dom_get_json(req->app, e, key, &req->who, &resp->body, &version);
	}
	if (rc) {
		json_error(resp, rc, rc == APP_NOT_FOUND ? "No such record." : NULL, NULL);
		return;
	}
	set_etag(resp, version);
}

/* ---- writes -------------------------------------------------------------- */

static bool json_body(struct request *req, struct response *resp, json_t **obj)
{
	const char *ct = req->header(req, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
		json_error(resp, APP_MEDIA_TYPE, NULL, NULL);
		return false;
	}
	char *msg = NULL;
	struct ferrs errs = { 0 };
	enum app_err rc = rec_parse_body(req->body, req->body_len, obj, &msg, &errs);
	if (rc) {
		json_error(resp, rc, msg, &errs);
		ferrs_release(&errs);
		free(msg);
		return false;
	}
	return true;
}

/* The If-Match precondition as a version (-1: none). */
static bool if_match(struct request *req, struct response *resp, long long *version)
{
	if (!dom_parse_etag(req->header(req, "If-Match"), version)) {
		json_error(resp, APP_PRECONDITION, NULL, NULL);
		return false;
	}
	return true;
}

/* Answers the record at key with the given status (after a write). */
static void answer_record(struct request *req, struct response *resp, const struct entity *e,
			  const char *key, int status)
{
	buf_reset(&resp->body);
	resp->status = status;
	get_one(req, resp, e, key); /* on failure (deleted meanwhile, database gone) its error stands */
}

static void create(struct request *req, struct response *resp, const struct entity *e)
{
	json_t *obj;
	if (!json_body(req, resp, &obj))
		return;
	struct ferrs errs = { 0 };
	struct buf key = BUF_INIT;
	enum app_err rc = dom_create(req->app, e, obj, REC_CREATE, &req->who, &key, &errs);
	json_decref(obj);
	if (rc == APP_CONFLICT) {
		json_error(resp, rc, "A record with this key already exists.", NULL);
	} else if (rc == APP_FORBIDDEN) {
		json_error(resp, rc, "Your role may not change this collection.", NULL);
	} else if (rc) {
		json_error(resp, rc, NULL, &errs);
	} else {
		resp->status = 200;
		answer_record(req, resp, e, buf_cstr(&key), 201);
		char *loc = xasprintf(PREFIX "/%s/%s", e->plural, buf_cstr(&key));
		resp_header(resp, "Location", loc);
		free(loc);
	}
	buf_release(&key);
	ferrs_release(&errs);
}

static void update(struct request *req, struct response *resp, const struct entity *e,
		   const char *key)
{
	long long version;
	json_t *obj;
	if (!if_match(req, resp, &version) || !json_body(req, resp, &obj))
		return;
	struct ferrs errs = { 0 };
	enum app_err rc = dom_update(req->app, e, key, obj, version, &req->who, &errs);
	json_decref(obj);
	if (rc)
		json_error(resp, rc, rc == APP_NOT_FOUND ? "No such record."
				     : rc == APP_FORBIDDEN ? "Your role may not change this collection." : NULL, &errs);
	else
		answer_record(req, resp, e, key, 200);
	ferrs_release(&errs);
}

static void delete(struct request *req, struct response *resp, const struct entity *e,
		   const char *key)
{
	long long version;
	if (!if_match(req, resp, &version))
		return;
	struct buf why = BUF_INIT;
	enum app_err rc = dom_delete(req->app, e, key, version, &req->who, &why);
	if (rc == APP_CONFLICT) {
		char *msg = xasprintf("Other records refer to this one: %s.", buf_cstr(&why));
		json_error(resp, rc, msg, NULL);
		free(msg);
	} else if (rc) {
		json_error(resp, rc, rc == APP_NOT_FOUND ? "No such record."
				     : rc == APP_FORBIDDEN ? "Your role may not change this collection." : NULL, NULL);
	} else {
		resp->status = 204;
	}
	buf_release(&why);
}

/* ---- routing ------------------------------------------------------------- */

static void index_page(struct request *req, struct response *resp)
{
	buf_adds(&resp->body, "{\"collections\":[");
	int n = 0;
	for (size_t i = 0; i < entities_count; i++) {
		if (!ent_can_read(entities[i], req->who.role))
			continue;
		buf_printf(&resp->body, "%s{\"name\":\"%s\",\"href\":\"" PREFIX "/%s\"}",
			   n++ ? "," : "", entities[i]->plural, entities[i]->plural);
	}
	buf_adds(&resp->body, "],\"openapi\":\"" PREFIX "/openapi.json\"}");
}

static void not_allowed(struct response *resp, const char *allow)
{
	json_error(resp, APP_METHOD, NULL, NULL);
	resp_header(resp, "Allow", allow);
}

/* The cache key of a GET: the path and the arguments as given. */
static char *cache_key(const struct request *req)
{
	struct buf k = BUF_INIT;
	/* What a response holds depends on the role (private fields), on a
	 * focal point's country and on a donor's organisation (scoped rows). */
	buf_printf(&k, "%s:%s:%lld:%s|", role_name[req->who.role], req->who.country, req->who.organisation,
		   lang_code[req->lang]); /* and labels on the language */
	req_url(req, &k);
	return buf_detach(&k);
}

static void route_get(struct request *req, struct response *resp, const struct entity *e,
		      const char *key, bool csv)
{
	if (!e)
		index_page(req, resp);
	else if (csv)
		csv_list(req, resp, e);
	else if (key)
		get_one(req, resp, e, key);
	else
		list(req, resp, e);
}

/* GETs go through the cache: served from it while nothing was written. */
static void cached_get(struct request *req, struct response *resp, const struct entity *e,
		       const char *key, bool csv, bool openapi)
{
	long long gen = req->generation; /* read by server.c for this request */
	char *ck = cache_key(req);
	struct cached_response c = { 0 };
	if (cache_get(req->app->cache, ck, gen, &c)) {
		resp->status = c.status;
		resp->content_type = c.content_type;
		resp->body = c.body;
		if (c.etag[0])
			resp_header(resp, "ETag", c.etag);
		if (csv)
			resp_header(resp, "Content-Disposition", "attachment");
		free(ck);
		return;
	}
	resp->status = 200;
	resp->content_type = "application/json";
	if (openapi)
		openapi_write(&resp->body);
	else
		route_get(req, resp, e, key, csv);
	if (resp->status == 200) {
		c.status = 200;
		c.content_type = resp->content_type;
		c.body = resp->body;
		for (int i = 0; i < resp->nh; i++)
			if (strcmp(resp->h[i].name, "ETag") == 0)
				snprintf(c.etag, sizeof c.etag, "%s", resp->h[i].value);
		cache_put(req->app->cache, ck, gen, &c);
	}
	free(ck);
}

bool api_handle(struct request *req, struct response *resp)
{
	const char *p = req->path;
	if (strncmp(p, PREFIX, strlen(PREFIX)) != 0 || (p[7] && p[7] != '/'))
		return false;
	p += strlen(PREFIX);
	resp->status = 200;
	resp->content_type = "application/json";
	bool get = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
	/* The one public answer: is a certificate number valid (training.c). */
	if (strncmp(p, "/verify/", 8) == 0) {
		training_verify_api(req, resp, p + 8);
		return true;
	}
	if (iati_route(req, resp)) /* /api/v1/iati.xml, the published programmes, public: iati_http.c */
		return true;
	if (dashboard_api_route(req, resp)) /* the training dashboard's aggregates, public: dashboard.c */
		return true;
	if (req->who.role == ROLE_PUBLIC) {
		json_error(resp, APP_UNAUTHORIZED, NULL, NULL);
		resp_header(resp, "WWW-Authenticate", API_AUTH_CHALLENGE);
		return true;
	}
	/* A browser session writes only with its CSRF token in a header (a
	 * form on another site cannot set one); an API token needs none. */
	if (!get && !req->who.bearer &&
	    !auth_csrf_ok(&req->who, req->header(req, "X-CSRF-Token"))) {
		json_error(resp, APP_FORBIDDEN, "Writes with a browser session need the X-CSRF-Token header.", NULL);
		return true;
	}
	if (training_http_api(req, resp, p)) /* training imports and merge: training_http.c */
		return true;
	if (strcmp(p, "/needs/import") == 0) { /* CSV import: import_http.c */
		import_api(req, resp);
		return true;
	}
	if (strcmp(p, "/iati/import") == 0) { /* IATI import: iati_http.c */
		iati_import_api(req, resp);
		return true;
	}
	if (docs_api(req, resp)) /* uploads, downloads and deletes of documents */
		return true;
	if (*p == '\0' || strcmp(p, "/") == 0 || strcmp(p, "/openapi.json") == 0) {
		if (get)
			cached_get(req, resp, NULL, NULL, false, p[1] == 'o');
		else
			not_allowed(resp, "GET");
		return true;
	}
	if (needs_api_route(req, resp))
		return true;
	if (results_api_route(req, resp, p)) /* /indicators/ID/values: results_http.c */
		return true;
	if (strcmp(p, "/followup") == 0) { /* the follow-up board's rows (board.c) */
		if (get)
			board_api(req, resp);
		else
			not_allowed(resp, "GET");
		return true;
	}
	/* "/{collection}", "/{collection}.csv" or "/{collection}/{key}" */
	char *coll = xstrdup(p + 1);
	char *key = strchr(coll, '/');
	if (key)
		*key++ = '\0';
	size_t n = strlen(coll);
	bool csv = !key && n > 4 && strcmp(coll + n - 4, ".csv") == 0;
	if (csv)
		coll[n - 4] = '\0';
	const struct entity *e = ent_by_plural(coll);
	if (!e || (key && (!*key || strchr(key, '/')))) {
		json_error(resp, APP_NOT_FOUND, "No such collection or record.", NULL);
	} else if (!ent_can_read(e, req->who.role)) {
		json_error(resp, APP_FORBIDDEN, "Your role may not read this collection.", NULL);
	} else if (get) {
		cached_get(req, resp, e, key, csv, false);
	} else if (csv || e->readonly) {
		not_allowed(resp, "GET");
	} else if (!key && strcmp(req->method, "POST") == 0) {
		create(req, resp, e);
	} else if (key && strcmp(req->method, "PATCH") == 0) {
		update(req, resp, e, key);
	} else if (key && strcmp(req->method, "DELETE") == 0) {
		delete(req, resp, e, key);
	} else {
		not_allowed(resp, key ? "GET, PATCH, DELETE" : "GET, POST");
	}
	free(coll);
	return true;
}
