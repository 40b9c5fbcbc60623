/* iati_http.c — see iati_http.h.  Anyone may download the file, signed in
 * or not: it holds what the export publishes (store_iati.h), the same for
 * every reader, and nothing of what the access rules keep from the public
 * (no person, no account, no evaluation). */
#define _POSIX_C_SOURCE 200809L
#include "iati_http.h"

#include <string.h>

#include "app.h"
#include "cache.h"
#include "iati.h"
#include "iati_export.h"
#include "store_iati.h"
#include "util.h"

bool iati_route(struct request *req, struct response *resp)
{
	if (strcmp(req->path, "/iati.xml") != 0 && strcmp(req->path, "/api/v1/iati.xml") != 0)
		return false;
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
		resp->status = 405;
		resp->content_type = "text/plain; charset=utf-8";
		resp_header(resp, "Allow", "GET, HEAD");
		buf_adds(&resp->body, "GET only\n");
		return true;
	}
	/* The same bytes for everyone until the next write: served from the
	 * response cache (a public route must not cost a full read each time). */
	struct cached_response c = { 0 };
	if (req->app->cache && cache_get(req->app->cache, "iati.xml", req->generation, &c)) {
		resp->status = c.status;
		resp->content_type = c.content_type;
		resp->body = c.body;
		resp_header(resp, "Content-Disposition", "inline; filename=\"iati-activities.xml\"");
		return true;
	}
	struct iati_doc d;
	if (iati_export_load(req->app, &d)) {
		resp->status = 503;
		resp->content_type = "text/plain; charset=utf-8";
		buf_adds(&resp->body, "The database is unavailable; try again later.\n");
		return true;
	}
	char now[21];
	iati_now(now);
	resp->status = 200;
	resp->content_type = "application/xml; charset=utf-8";
	resp_header(resp, "Content-Disposition", "inline; filename=\"iati-activities.xml\"");
	iati_write(&d, now, &resp->body);
	iati_doc_free(&d);
	if (req->app->cache) {
		c.status = 200;
		c.content_type = resp->content_type;
		c.body = resp->body;
		cache_put(req->app->cache, "iati.xml", req->generation, &c);
	}
	return true;
}
