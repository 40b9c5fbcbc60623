/* request.c — the request and response helpers every handler uses (see
 * http.h): headers, the request's URL and its route's parameters (the
 * arguments are args.c's).  Nothing here knows libmicrohttpd or the route
 * table. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

void resp_header(struct response *resp, const char *name, const char *value)
{
	if (resp->nh == RESPONSE_MAX_HEADERS)
		abort(); /* a programming error */
	resp->h[resp->nh].name = xstrdup(name);
	resp->h[resp->nh].value = xstrdup(value);
	resp->nh++;
}

void resp_file(struct response *resp, int fd, unsigned long long size)
{
	if (resp->has_file)
		close(resp->file_fd);
	resp->has_file = true;
	resp->file_fd = fd;
	resp->file_size = size;
}

static void error_json(struct response *resp, int status, const char *code, const char *msg,
		       const struct ferrs *errs)
{
	struct buf *b = &resp->body;
	resp->status = status;
	resp->content_type = "application/json";
	buf_reset(b);
	buf_adds(b, "{\"error\":{\"code\":");
	buf_json_str(b, code);
	buf_adds(b, ",\"message\":");
	buf_json_str(b, msg);
	if (errs && errs->n) {
		buf_adds(b, ",\"fields\":{");
		for (size_t i = 0; i < errs->n; i++) {
			struct buf m = BUF_INIT;
			ferrs_message(errs, i, LANG_EN, &m);
			buf_adds(b, i ? "," : "");
			buf_json_str(b, errs->a[i].field);
			buf_addc(b, ':');
			buf_json_str(b, buf_cstr(&m));
			buf_release(&m);
		}
		buf_addc(b, '}');
	}
	buf_adds(b, "}}");
}

void resp_json_error(struct response *resp, enum app_err e, const char *msg, const struct ferrs *errs)
{
	error_json(resp, err_status(e), err_code(e), msg ? msg : err_message(e), errs);
}

void resp_json_error_code(struct response *resp, int status, const char *code, const char *msg)
{
	error_json(resp, status, code, msg, NULL);
}

void resp_release(struct response *resp)
{
	if (resp->has_file)
		close(resp->file_fd);
	resp->has_file = false;
	shared_unref(resp->shared);
	resp->shared = NULL;
	buf_release(&resp->body);
	for (int i = 0; i < resp->nh; i++) {
		free(resp->h[i].name);
		free(resp->h[i].value);
	}
	resp->nh = 0;
}

void req_url(const struct request *req, struct buf *out)
{
	buf_adds(out, req->path);
	for (size_t i = 0; i < req->query.n; i++) {
		buf_addc(out, i ? '&' : '?');
		buf_url(out, req->query.a[i].name);
		buf_addc(out, '=');
		buf_url(out, req->query.a[i].value);
	}
}

const char *req_client(struct request *req)
{
	if (!req->client[0] && req->find_client)
		req->find_client(req, req->client, sizeof req->client);
	return req->client[0] ? req->client : "?";
}

const char *req_param(const struct request *req, const char *name)
{
	for (int i = 0; i < req->nparams; i++)
		if (strcmp(req->params[i].name, name) == 0)
			return req->params[i].value;
	return NULL;
}

bool req_param_id(const struct request *req, const char *name, long long *id)
{
	const char *s = req_param(req, name);
	return s && util_parse_ll(s, id) && *id > 0;
}

bool req_is_get(const struct request *req)
{
	return strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
}
