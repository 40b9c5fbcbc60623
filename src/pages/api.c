/* api.c — the JSON API under /api/v1/ (docs/API.md).
 *
 * Lists and records are written as JSON straight into a buffer from the
 * database rows (no object tree on output).  The route table (routes.c)
 * names these handlers, finds the collection ({collection}: req->entity)
 * and checks the caller's right to read it, or to write it, first; it
 * keeps GET answers in the response cache until the next write. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "app.h"
#include "csv.h"
#include "docs.h"
#include "domain.h"
#include "label.h"
#include "store.h"
#include "util.h"
#include "xalloc.h"
#include "xlsx_export.h"
#include "banned.h"

#define PREFIX "/api/v1"

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
		resp_json_error(resp, rc, msg, NULL);
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
		resp_json_error(resp, rc, NULL, NULL);
	else
		buf_printf(&resp->body, "],\"total\":%lld,\"limit\":%lld,\"offset\":%lld}",
			   total, q.limit, q.offset);
	dom_query_release(&q);
}

/* A format the list of a collection is exported in. */
struct export_format {
	const char *ext, *content_type;
	enum app_err (*write)(struct store *st, const struct query *q, enum lang lang, bool hxl, struct buf *out);
};

static enum app_err write_xlsx(struct store *st, const struct query *q, enum lang lang, bool hxl, struct buf *out)
{
	return xlsx_export(st, q, lang, hxl, out);
}

static const struct export_format csv_format = { "csv", "text/csv; charset=utf-8", csv_export },
				  xlsx_format = { "xlsx", XLSX_CONTENT_TYPE, write_xlsx };

/* The records the query asks for (every one: no limit), as a file to save. */
static void export_list(struct request *req, struct response *resp, const struct entity *e,
			const struct export_format *fmt)
{
	struct query q;
	char *msg = NULL;
	static const char *const ignore[] = { "limit", "offset", "hxl", NULL };
	bool hxl;
	if (!util_parse_flag(args_get(&req->query, "hxl"), &hxl)) {
		resp_json_error(resp, APP_BAD_QUERY, "hxl is true or false.", NULL);
		return;
	}
	enum app_err rc = dom_parse_query(e, &req->query, ignore, &req->who, &q, &msg);
	if (!rc)
		rc = fmt->write(req->app->store, &q, req->lang, hxl, &resp->body);
	if (rc) {
		buf_reset(&resp->body);
		resp_json_error(resp, rc, msg, NULL);
	} else {
		resp->content_type = fmt->content_type;
		char *cd = xasprintf("attachment; filename=\"%s.%s\"", e->plural, fmt->ext);
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
		resp_json_error(resp, APP_BAD_QUERY, "labels takes 1 or 0", NULL);
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
		resp_json_error(resp, rc, rc == APP_NOT_FOUND ? "No such record." : NULL, NULL);
		return;
	}
	set_etag(resp, version);
}

/* ---- writes -------------------------------------------------------------- */

/* The body as JSON (the route table made sure it says it is). */
static bool json_body(struct request *req, struct response *resp, json_t **obj)
{
	char *msg = NULL;
	struct ferrs errs = { 0 };
	enum app_err rc = rec_parse_body(req->body, req->body_len, obj, &msg, &errs);
	if (rc) {
		resp_json_error(resp, rc, msg, &errs);
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
		resp_json_error(resp, APP_PRECONDITION, NULL, NULL);
		return false;
	}
	return true;
}

/* Answers the record as the write left it (dom_answer: not read again). */
static void answer_record(struct response *resp, struct dom_answer *ans, int status)
{
	resp->status = status;
	resp->content_type = "application/json";
	buf_reset(&resp->body);
	buf_add(&resp->body, ans->json.data, ans->json.len);
	set_etag(resp, ans->version);
}

static void create(struct request *req, struct response *resp, const struct entity *e)
{
	json_t *obj;
	if (!json_body(req, resp, &obj))
		return;
	struct ferrs errs = { 0 };
	struct buf key = BUF_INIT;
	struct dom_answer ans = { BUF_INIT, 0 };
	enum app_err rc = dom_create_answer(req->app, e, obj, REC_CREATE, &req->who, &key, &errs, &ans);
	json_decref(obj);
	if (rc == APP_CONFLICT && errs.n) { /* another record holds its unique values */
		resp_json_error(resp, rc, NULL, &errs);
	} else if (rc == APP_CONFLICT) {
		resp_json_error(resp, rc, "A record with this key already exists.", NULL);
	} else if (rc == APP_FORBIDDEN) {
		resp_json_error(resp, rc, "Your role may not change this collection.", NULL);
	} else if (rc) {
		resp_json_error(resp, rc, NULL, &errs);
	} else {
		answer_record(resp, &ans, 201);
		char *loc = xasprintf(PREFIX "/%s/%s", e->plural, buf_cstr(&key));
		resp_header(resp, "Location", loc);
		free(loc);
	}
	buf_release(&ans.json);
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
	struct dom_answer ans = { BUF_INIT, 0 };
	enum app_err rc = dom_update_answer(req->app, e, key, obj, version, &req->who, &errs, &ans);
	json_decref(obj);
	if (rc)
		resp_json_error(resp, rc, rc == APP_NOT_FOUND ? "No such record."
				     : rc == APP_FORBIDDEN ? "Your role may not change this collection." : NULL, &errs);
	else
		answer_record(resp, &ans, 200);
	buf_release(&ans.json);
	ferrs_release(&errs);
}

static void delete(struct request *req, struct response *resp, const struct entity *e,
		   const char *key)
{
	long long version;
	if (!if_match(req, resp, &version))
		return;
	struct buf why = BUF_INIT;
	/* a document's file goes with its row (docs.c) */
	enum app_err rc = e->upload ? docs_delete(req, key, version, &why)
				    : dom_delete(req->app, e, key, version, &req->who, &why);
	if (rc == APP_CONFLICT) {
		char *msg = xasprintf("Other records refer to this one: %s.", buf_cstr(&why));
		resp_json_error(resp, rc, msg, NULL);
		free(msg);
	} else if (rc == APP_LOCKED) {
		char *msg = xasprintf("The record falls in a period locked as of %s: an administrator unlocks it.",
				      buf_cstr(&why));
		resp_json_error(resp, rc, msg, NULL);
		free(msg);
	} else if (rc) {
		resp_json_error(resp, rc, rc == APP_NOT_FOUND ? "No such record."
				     : rc == APP_FORBIDDEN ? "Your role may not change this collection." : NULL, NULL);
	} else {
		resp->status = 204;
	}
	buf_release(&why);
}

/* ---- the handlers the route table names ----------------------------------- */

void api_index(struct request *req, struct response *resp)
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

void api_list(struct request *req, struct response *resp)
{
	list(req, resp, req->entity);
}

void api_csv(struct request *req, struct response *resp)
{
	export_list(req, resp, req->entity, &csv_format);
}

void api_xlsx(struct request *req, struct response *resp)
{
	export_list(req, resp, req->entity, &xlsx_format);
}

void api_get(struct request *req, struct response *resp)
{
	get_one(req, resp, req->entity, req_param(req, "key"));
}

void api_create(struct request *req, struct response *resp)
{
	create(req, resp, req->entity);
}

void api_update(struct request *req, struct response *resp)
{
	update(req, resp, req->entity, req_param(req, "key"));
}

void api_delete(struct request *req, struct response *resp)
{
	delete(req, resp, req->entity, req_param(req, "key"));
}

/* POST /api/v1/audit/{id}/restore: the record the entry's deletion names,
 * re-created as it was (domain.h: dom_restore), answered as a create is. */
void api_restore(struct request *req, struct response *resp)
{
	struct dom_deletion d;
	struct ferrs errs = { 0 };
	struct dom_answer ans = { BUF_INIT, 0 };
	enum app_err rc = dom_restore(req->app, req_param(req, "id"), &req->who, &d, &errs, &ans);
	static const char *const refusal[] = {
		[DEL_NOT_DELETION] = "This audit entry records no deletion.",
		[DEL_EXISTS] = "The record exists again: there is nothing to restore.",
		[DEL_SUPERSEDED] = "The record was restored and deleted again since: its latest deletion restores it.",
		[DEL_CANNOT] = "A document cannot be restored: its file was deleted with it. Upload it again.",
		[DEL_FORBIDDEN] = "Your role may not change this collection.",
	};
	if (rc) {
		resp_json_error(resp, rc, rc == APP_NOT_FOUND ? "No such audit entry."
				     : errs.n ? "The record no longer passes the checks of a new record."
				     : refusal[d.state], &errs);
	} else {
		answer_record(resp, &ans, 201);
		char *loc = xasprintf(PREFIX "/%s/%s", d.e->plural, buf_cstr(&d.key));
		resp_header(resp, "Location", loc);
		free(loc);
	}
	buf_release(&ans.json);
	ferrs_release(&errs);
	dom_deletion_release(&d);
}
