/* server.c — libmicrohttpd glue: collects the request body (bounded),
 * builds a struct request, dispatches to api.c or web.c, and sends the
 * struct response.
 *
 * Mode: one internal polling thread with epoll and a pool of two worker
 * threads (DESIGN §8: the fastest of libmicrohttpd's modes here).  Signals
 * are blocked before the daemon starts so that they reach the main thread's
 * sigwait, not a worker. */
#define _GNU_SOURCE
#include "server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "docs.h"
#include "hashpool.h"
#include "http.h"
#include "login.h"
#include "store.h"
#include "util.h"
#include "xalloc.h"

#define THREADS 2
#define CONNECTION_TIMEOUT 30 /* seconds */
#define BODY_DISCARD_MAX (64 * 1024 * 1024)

/* Per-request state between the calls of the access handler, made by the
 * URI callback (which sees the target before it is decoded). */
struct upload {
	struct buf body;
	bool too_large;
	size_t limit; /* the route's body limit: BODY_MAX, more for uploads and imports */
	bool odd_path; /* the path holds %2F or %00: no route has those */
	bool started;  /* the first call of on_request has happened */
	/* A request that hashes a password runs on the hash pool while its
	 * connection is suspended (hashpool.h): its answer, once ready. */
	struct hash_job *job;
	bool hash_busy; /* the pool was full: the handler answers 503 */
};

struct hash_job {
	struct app *app;
	struct MHD_Connection *conn;
	const char *url, *method; /* libmicrohttpd's, valid while the connection lives */
	struct upload *up;
	struct response resp;
};

/* The body limit of a route: document uploads (docs.h) and CSV imports (a
 * spreadsheet of 10⁵ rows is some 10 MiB) may send more than the rest.
 * Only a request that names someone (checked later) may send more than
 * BODY_MAX: an anonymous one is held to the usual limit. */
static size_t body_max(struct MHD_Connection *conn, const char *method, const char *path)
{
	if (!MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION) &&
	    !MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, SESSION_COOKIE))
		return BODY_MAX;
	size_t docs = docs_body_max(method, path);
	if (docs)
		return docs;
	if (strcmp(path, "/api/v1/needs/import") == 0 || strcmp(path, "/needs/import") == 0 ||
	    strcmp(path, "/api/v1/iati/import") == 0 || strcmp(path, "/programmes/import") == 0)
		return IMPORT_BODY_MAX;
	return BODY_MAX;
}

static const char *too_large_message(size_t limit)
{
	return limit == BODY_MAX ? "The body is larger than 1 MiB."
	       : limit == IMPORT_BODY_MAX ? "The body is larger than 32 MiB."
	       : "A document may be at most 20 MiB.";
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)cls, (void)conn;
	struct upload *up = xcalloc(1, sizeof *up);
	size_t path = strcspn(uri, "?");
	for (size_t i = 0; i + 2 < path; i++)
		if (uri[i] == '%' && ((uri[i + 1] == '2' && (uri[i + 2] | 0x20) == 'f') ||
				      (uri[i + 1] == '0' && uri[i + 2] == '0')))
			up->odd_path = true;
	return up;
}

void resp_header(struct response *resp, const char *name, const char *value)
{
	if (resp->nh == RESPONSE_MAX_HEADERS)
		abort(); /* a programming error */
	resp->h[resp->nh].name = xstrdup(name);
	resp->h[resp->nh].value = xstrdup(value);
	resp->nh++;
}

void resp_release(struct response *resp)
{
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

const char *args_get(const struct args *a, const char *name)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->a[i].name, name) == 0)
			return a->a[i].value;
	return NULL;
}

void args_release(struct args *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->a[i].name);
		free(a->a[i].value);
	}
	free(a->a);
	a->a = NULL;
	a->n = 0;
}

static void args_add(struct args *a, const char *name, size_t nn, const char *value, size_t vn)
{
	a->a = xrealloc(a->a, (a->n + 1) * sizeof *a->a);
	a->a[a->n].name = xstrndup(name, nn);
	a->a[a->n].value = xstrndup(value, vn);
	a->n++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes %XX and '+' in place; returns the new length. */
static size_t url_decode(char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			s[o++] = ' ';
		} else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
			   hexval(s[i + 2]) >= 0) {
			s[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else {
			s[o++] = s[i];
		}
	}
	return o;
}

void args_parse_form(struct args *a, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t end = i;
		while (end < n && s[end] != '&')
			end++;
		size_t eq = i;
		while (eq < end && s[eq] != '=')
			eq++;
		if (end > i) {
			char *name = xstrndup(s + i, eq - i);
			char *value = xstrndup(s + (eq < end ? eq + 1 : end), eq < end ? end - eq - 1 : 0);
			size_t nn = url_decode(name, strlen(name));
			size_t vn = url_decode(value, strlen(value));
			args_add(a, name, nn, value, vn);
			free(name);
			free(value);
		}
		i = end + 1;
	}
}

/* libmicrohttpd's unescaper, except that %00 stays as it is: a NUL would
 * silently cut a path or an argument short ("/actions/1%00" must not name
 * record 1). */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls, (void)conn;
	size_t n = strlen(s), o = 0;
	for (size_t i = 0; i < n; i++) {
		int hi = i + 2 < n && s[i] == '%' ? hexval(s[i + 1]) : -1;
		int lo = hi >= 0 ? hexval(s[i + 2]) : -1;
		if (lo >= 0 && (hi || lo)) { /* %00 would cut the string short */
			s[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			s[o++] = s[i];
		}
	}
	s[o] = '\0';
	return o;
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	(void)kind;
	struct args *a = cls;
	args_add(a, key, strlen(key), value ? value : "", value ? strlen(value) : 0);
	return MHD_YES;
}

static const char *conn_header(const struct request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

static enum lang pick_lang(struct MHD_Connection *conn)
{
	enum lang l;
	const char *cookie = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "lang");
	if (cookie && lang_parse(cookie, &l))
		return l;
	return lang_from_accept(MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							    MHD_HTTP_HEADER_ACCEPT_LANGUAGE));
}

static void add_security_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'self'; img-src 'self' data:; style-src 'self'; "
				"script-src 'self'; frame-ancestors 'none'; form-action 'self'");
}

static enum MHD_Result send_response(struct MHD_Connection *conn, struct response *resp)
{
	size_t len = resp->body.len;
	struct MHD_Response *r = MHD_create_response_from_buffer(
		len, buf_detach(&resp->body), MHD_RESPMEM_MUST_FREE);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				resp->content_type ? resp->content_type : "text/plain; charset=utf-8");
	add_security_headers(r);
	for (int i = 0; i < resp->nh; i++)
		MHD_add_response_header(r, resp->h[i].name, resp->h[i].value);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	return ret;
}

static void plain_error(struct response *resp, int status, const char *code, const char *msg)
{
	resp->status = status;
	resp->content_type = "application/json";
	buf_printf(&resp->body, "{\"error\":{\"code\":\"%s\",\"message\":", code);
	buf_json_str(&resp->body, msg);
	buf_adds(&resp->body, "}}");
}

static void client_address(struct MHD_Connection *conn, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, n, "?");
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)n);
}

/* Behind a reverse proxy on this machine, the client is the last address
 * the proxy added to X-Forwarded-For (earlier ones are the client's word). */
static void forwarded_address(struct MHD_Connection *conn, char *out, size_t n)
{
	const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
	if (!xff)
		return;
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	size_t len = strcspn(last, " ");
	if (len > 0 && len < n && len < 46)
		snprintf(out, n, "%.*s", (int)len, last);
}

/* Builds the request, finds who asks and runs the handler it belongs to;
 * *resp receives the answer.  On a request thread, or on the hash pool's
 * (hash_job_run) while the connection is suspended. */
static void handle(struct app *app, struct MHD_Connection *conn, const char *url,
		   const char *method, struct upload *up, struct response *out)
{
	struct response resp = { .status = 404 };
	struct request req = {
		.app = app, .method = method, .path = url, .conn = conn, .header = conn_header,
		.body = buf_cstr(&up->body), .body_len = up->body.len, .lang = pick_lang(conn),
		.hash_busy = up->hash_busy,
	};
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg, &req.query);
	client_address(conn, req.client, sizeof req.client);
	if (app->behind_proxy && (strcmp(req.client, "127.0.0.1") == 0 || strcmp(req.client, "::1") == 0))
		forwarded_address(conn, req.client, sizeof req.client);
	req.tls = app->tls;
	enum app_err who_rc = store_generation(app->store, &req.generation);
	if (!who_rc)
		who_rc = auth_identify(app->store, req.generation,
		MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, SESSION_COOKIE),
		MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
		&req.who);
	req.db_unavailable = who_rc == APP_UNAVAILABLE;
	store_set_actor(req.who.id ? req.who.name : NULL); /* the audit trail's "who" */
	if (who_rc == APP_UNAVAILABLE && strncmp(url, "/api/", 5) == 0) {
		plain_error(&resp, 503, "unavailable", "The database is not available; try again shortly.");
		resp_header(&resp, "Retry-After", "5");
	} else if (up->odd_path)
		plain_error(&resp, 404, "not_found", "No such page: an encoded / or NUL is no part of any path.");
	else if (up->too_large)
		plain_error(&resp, 413, "too_large", too_large_message(up->limit));
	else if (!api_handle(&req, &resp) && !web_handle(&req, &resp))
		plain_error(&resp, 404, "not_found", "No such page.");
	if (resp.status >= 500)
		fprintf(stderr, "suivi: %s %s answered %d\n", method, url, resp.status);
	args_release(&req.query);
	store_set_actor(NULL);
	*out = resp;
}

static enum MHD_Result dispatch(struct app *app, struct MHD_Connection *conn, const char *url,
				const char *method, struct upload *up)
{
	struct response resp;
	handle(app, conn, url, method, up, &resp);
	enum MHD_Result ret = send_response(conn, &resp);
	resp_release(&resp);
	return ret;
}

/* On a hash pool thread: the answer, then the connection back to
 * libmicrohttpd, which calls on_request again to send it.  Nothing of the
 * job may be touched after the resume: the connection may end at once. */
static void hash_job_run(void *ctx)
{
	struct hash_job *job = ctx;
	handle(job->app, job->conn, job->url, job->method, job->up, &job->resp);
	MHD_resume_connection(job->conn);
}

/* A request that hashes a password: its connection waits, suspended,
 * while the pool does the work, so that this thread serves others.  A
 * full pool resumes it at once, to be answered 503 (up->hash_busy). */
static enum MHD_Result hash_elsewhere(struct app *app, struct MHD_Connection *conn,
				      const char *url, const char *method, struct upload *up)
{
	struct hash_job *job = xcalloc(1, sizeof *job);
	*job = (struct hash_job){ .app = app, .conn = conn, .url = url, .method = method, .up = up };
	up->job = job;
	MHD_suspend_connection(conn);
	if (!hashpool_submit(hash_job_run, job)) {
		up->job = NULL;
		free(job);
		up->hash_busy = true;
		MHD_resume_connection(conn);
	}
	return MHD_YES;
}

/* The answer the pool made (on_request after the resume). */
static enum MHD_Result hash_job_send(struct MHD_Connection *conn, struct upload *up)
{
	enum MHD_Result ret = send_response(conn, &up->job->resp);
	resp_release(&up->job->resp);
	free(up->job);
	up->job = NULL;
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size, void **con_cls)
{
	(void)version;
	struct app *app = cls;
	struct upload *up = *con_cls; /* made by on_uri */
	if (!up->started) {
		up->started = true;
		up->limit = body_max(conn, method, url);
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		long long n;
		if (cl && util_parse_ll(cl, &n) && n > (long long)up->limit) {
			up->too_large = true;
			/* A moderately oversized body is read and dropped, so that
			 * an ordinary client, which sends it all before reading,
			 * gets its 413 instead of a reset connection; a huge one, or
			 * one the client waits for leave to send, is refused at once. */
			const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
									 MHD_HTTP_HEADER_EXPECT);
			if (n > BODY_DISCARD_MAX || (expect && util_prefix_ci(expect, "100-continue")))
				return dispatch(app, conn, url, method, up);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (up->too_large || up->body.len + *upload_size > up->limit)
			up->too_large = true; /* dropped */
		else
			buf_add(&up->body, upload_data, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (up->job) /* resumed: the hash pool answered */
		return hash_job_send(conn, up);
	if (!up->hash_busy && !up->too_large && login_hashes(method, url))
		return hash_elsewhere(app, conn, url, method, up);
	return dispatch(app, conn, url, method, up);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)conn, (void)toe;
	struct upload *up = *con_cls;
	if (up) {
		if (up->job) { /* answered by the pool, but the server stopped before sending it */
			resp_release(&up->job->resp);
			free(up->job);
		}
		buf_release(&up->body);
		free(up);
	}
	*con_cls = NULL;
}

/* The whole of a (PEM) file, or NULL with a message. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "suivi: cannot read %s\n", path);
		return NULL;
	}
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < 1024 * 1024)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b);
}

int server_run(struct app *app, const char *bind, int port, const char *tls_cert,
	       const char *tls_key)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	if (inet_pton(AF_INET, bind, &addr.sin_addr) != 1) {
		fprintf(stderr, "suivi: --bind takes an IPv4 address such as 127.0.0.1, not '%s'\n", bind);
		return 1;
	}
	char *cert = tls_cert ? slurp(tls_cert) : NULL, *key = tls_key ? slurp(tls_key) : NULL;
	if ((tls_cert && !cert) || (tls_key && !key)) {
		free(cert);
		free(key);
		return 1;
	}
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
			 (cert ? MHD_USE_TLS : 0);
	/* Given to the daemon only when serving HTTPS: the option list ends
	 * before it otherwise. */
	struct MHD_OptionItem tls[] = {
		{ MHD_OPTION_HTTPS_MEM_CERT, 0, cert },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, key },
		{ MHD_OPTION_END, 0, NULL },
	};
	hashpool_start();
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, app,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)THREADS,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
		cert ? MHD_OPTION_ARRAY : MHD_OPTION_END, tls,
		MHD_OPTION_END);
	if (!d) {
		hashpool_stop();
		fprintf(stderr, "suivi: cannot listen on %s:%d (in use, not allowed%s)\n", bind, port,
			cert ? ", or the certificate and key do not fit" : "");
		free(cert);
		free(key);
		return 1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("suivi: listening on http%s://%s:%u/\n", cert ? "s" : "", bind, info ? info->port : (unsigned)port);
	fflush(stdout);
	int sig = 0;
	sigwait(&sigs, &sig);
	hashpool_stop(); /* every suspended connection resumed, as MHD_stop_daemon wants */
	MHD_stop_daemon(d);
	free(cert);
	free(key);
	return 0;
}
