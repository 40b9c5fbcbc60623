/* server.c — libmicrohttpd glue: admits connections (conn_guard.h),
 * reads the request head, asks the route table (routes.h) which route it
 * names and identifies the caller before any byte of the body, holds the
 * body within the caller's and the route's limit (body.h), builds a
 * struct request, has the table dispatch it, and sends the struct
 * response.
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
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "body.h"
#include "conn_guard.h"
#include "hashpool.h"
#include "http.h"
#include "routes.h"
#include "store.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

#define THREADS 2
#define CONNECTION_TIMEOUT 30 /* seconds without a byte either way */
/* Each connection's memory pool: the request's line and headers, the read
 * buffer and the answer's headers. libmicrohttpd zeroes the pool between
 * requests on a kept-alive connection, so its size is paid on every
 * request: its default, 32 KiB, was two thirds of the instructions of an
 * answer from the cache (callgrind). 16 KiB still takes headers of 8 KiB,
 * as nginx's and Apache's default limits do. */
#define CONNECTION_MEMORY (16 * 1024)
#define BODY_DISCARD_MAX (64 * 1024 * 1024)
#define FDS_KEPT (64)         /* open files kept for the database, documents, logs */

/* What the callbacks share: one per running server. */
struct server {
	struct app *app;
	struct conn_guard *guard;
};

/* Per-request state between the calls of the access handler, made by the
 * URI callback (which sees the target before it is decoded). */
struct upload {
	struct route_match route; /* what the route table says of the method and path */
	struct body body;
	size_t limit;      /* the body limit of this caller and route */
	int refuse;        /* an HTTP status to answer without reading the body, or 0 */
	const char *refuse_code, *refuse_msg;
	bool too_large;    /* the body passed the limit: read and dropped */
	enum body_rc body_rc; /* the first failure to keep the body */
	bool odd_path;     /* the path holds %2F or %00: no route has those */
	bool started;      /* the first call of on_request has happened */
	/* A request that hashes a password runs on the hash pool while its
	 * connection is suspended (hashpool.h): its answer, once ready. */
	struct hash_job *job;
	bool hash_busy; /* the pool was full: the handler answers 503 */
};

struct hash_job {
	struct server *srv;
	struct MHD_Connection *conn;
	const char *url, *method; /* libmicrohttpd's, valid while the connection lives */
	struct upload *up;
	struct response resp;
};

static const char *too_large_message(size_t limit)
{
	return limit == ANON_BODY_MAX ? "The body is larger than 16 KiB, the most a request may send before signing in."
	       : limit == BODY_MAX ? "The body is larger than 1 MiB."
	       : limit == IMPORT_BODY_MAX ? "The body is larger than 32 MiB, the most an import may send."
	       : "A document may be at most 20 MiB.";
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)cls, (void)conn;
	struct upload *up = xcalloc(1, sizeof *up);
	body_init(&up->body);
	size_t path = strcspn(uri, "?");
	for (size_t i = 0; i + 2 < path; i++)
		if (uri[i] == '%' && ((uri[i + 1] == '2' && (uri[i + 2] | 0x20) == 'f') ||
				      (uri[i + 1] == '0' && uri[i + 2] == '0')))
			up->odd_path = true;
	return up;
}

/* libmicrohttpd's unescaper, except that %00 stays as it is: a NUL would
 * silently cut a path or an argument short ("/actions/1%00" must not name
 * record 1). */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls, (void)conn;
	size_t n = strlen(s), o = 0;
	for (size_t i = 0; i < n; i++) {
		int hi = i + 2 < n && s[i] == '%' ? args_hexval(s[i + 1]) : -1;
		int lo = hi >= 0 ? args_hexval(s[i + 2]) : -1;
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

/* What a request's header() and find_client() look in (its conn). */
struct request_conn {
	struct MHD_Connection *mhd;
	const struct conn_guard *guard;
};

static const char *conn_header(const struct request *r, const char *name)
{
	const struct request_conn *rc = r->conn;
	return MHD_lookup_connection_value(rc->mhd, MHD_HEADER_KIND, name);
}

static const char *conn_cookie(const struct request *r, const char *name)
{
	const struct request_conn *rc = r->conn;
	return MHD_lookup_connection_value(rc->mhd, MHD_COOKIE_KIND, name);
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

/* Headers of every answer.  An answer that says nothing of caching is
 * not to be kept anywhere: nearly every one depends on who asks (pages,
 * the API, exports with personal data). */
static void add_common_headers(struct MHD_Response *r, const struct app *app,
			       const struct response *resp)
{
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'self'; img-src 'self' data:; style-src 'self'; "
				"script-src 'self'; frame-ancestors 'none'; form-action 'self'");
	if (app->tls)
		MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
	bool cache_said = false;
	for (int i = 0; i < resp->nh; i++)
		cache_said |= strcasecmp(resp->h[i].name, "Cache-Control") == 0;
	if (!cache_said)
		MHD_add_response_header(r, "Cache-Control", "no-store");
}

/* libmicrohttpd is done with a shared body (answer sent or dropped). */
static void release_shared(void *cls)
{
	shared_unref(cls);
}

static enum MHD_Result send_response(struct MHD_Connection *conn, const struct app *app,
				     struct response *resp)
{
	size_t len = resp->body.len;
	struct MHD_Response *r;
	if (resp->has_file) { /* sent from the file, which the response closes */
		r = MHD_create_response_from_fd64(resp->file_size, resp->file_fd);
		resp->has_file = !r;
	} else if (resp->shared) { /* the cache's bytes: the reference goes with the answer */
		r = MHD_create_response_from_buffer_with_free_callback_cls(resp->shared->len, resp->shared->data,
									 release_shared, resp->shared);
		if (r)
			resp->shared = NULL;
	} else {
		r = MHD_create_response_from_buffer(len, buf_detach(&resp->body), MHD_RESPMEM_MUST_FREE);
	}
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				resp->content_type ? resp->content_type : "text/plain; charset=utf-8");
	add_common_headers(r, app, resp);
	for (int i = 0; i < resp->nh; i++)
		MHD_add_response_header(r, resp->h[i].name, resp->h[i].value);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	return ret;
}

static const struct sockaddr *client_sockaddr(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	return ci ? ci->client_addr : NULL;
}

static void client_address(struct MHD_Connection *conn, char *out, size_t n)
{
	const struct sockaddr *sa = client_sockaddr(conn);
	snprintf(out, n, "?");
	if (!sa)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)n);
}

/* Behind a trusted reverse proxy, the client is the last address the
 * proxy added to X-Forwarded-For (earlier ones are the client's word). */
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

/* The client: the peer's address, or the one a trusted reverse proxy
 * gives for it. */
static void conn_client(const struct request *r, char *out, size_t n)
{
	const struct request_conn *rc = r->conn;
	client_address(rc->mhd, out, n);
	if (conn_guard_exempt(rc->guard, client_sockaddr(rc->mhd)))
		forwarded_address(rc->mhd, out, n);
}

/* Who the credentials of the request's headers name; APP_UNAVAILABLE when
 * the database cannot say. */
static enum app_err identify(struct app *app, struct MHD_Connection *conn, long long *generation,
			     struct principal *who)
{
	enum app_err rc = store_generation(app->store, generation);
	if (!rc)
		rc = auth_identify(app->store, *generation,
				   MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, SESSION_COOKIE),
				   MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							       MHD_HTTP_HEADER_AUTHORIZATION),
				   who);
	return rc;
}

/* The answer when the body could not be kept whole. */
static void body_error(struct response *resp, enum body_rc rc)
{
	if (rc == BODY_BUSY) {
		resp_json_error_code(resp, 503, "busy", "The server is receiving too much at once; try again shortly.");
		resp_header(resp, "Retry-After", "10");
	} else if (rc == BODY_FULL) {
		resp_json_error_code(resp, 507, "storage_full", "The server's disk is full: nothing was saved. Tell the administrator.");
	} else {
		resp_json_error_code(resp, 500, "internal", "The request could not be read; nothing was saved.");
	}
}

/* Builds the request, finds who asks and runs the handler it belongs to;
 * *out receives the answer.  On a request thread, or on the hash pool's
 * (hash_job_run) while the connection is suspended. */
static void handle(struct server *srv, struct MHD_Connection *conn, const char *url,
		   const char *method, struct upload *up, struct response *out)
{
	struct app *app = srv->app;
	struct response resp = { .status = 404 };
	struct request_conn rc = { .mhd = conn, .guard = srv->guard };
	struct request req = {
		.app = app, .method = method, .path = url, .conn = &rc, .header = conn_header, .cookie = conn_cookie,
		.find_client = conn_client, .lang = pick_lang(conn), .tls = app->tls, .hash_busy = up->hash_busy,
	};
	enum body_rc brc = up->body_rc ? up->body_rc : body_bytes(&up->body, &req.body, &req.body_len);
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg, &req.query);
	/* again, now that the body is here: a session may have ended meanwhile */
	enum app_err who_rc = identify(app, conn, &req.generation, &req.who);
	req.db_unavailable = who_rc == APP_UNAVAILABLE;
	if (up->refuse)
		resp_json_error_code(&resp, up->refuse, up->refuse_code, up->refuse_msg);
	else if (up->odd_path)
		resp_json_error_code(&resp, 404, "not_found", "No such page: an encoded / or NUL is no part of any path.");
	else if (up->too_large)
		resp_json_error_code(&resp, 413, "too_large", too_large_message(up->limit));
	else if (brc)
		body_error(&resp, brc);
	else
		routes_dispatch(&req, &resp, &up->route);
	if (resp.status >= 500 && resp.status != 503 && resp.status != 507) /* (a reset link's token is a secret) */
		fprintf(stderr, "suivi: %s %s answered %d\n", method, strncmp(url, "/reset/", 7) ? url : "/reset/…",
			resp.status);
	args_release(&req.query);
	*out = resp;
}

static enum MHD_Result dispatch(struct server *srv, struct MHD_Connection *conn, const char *url,
				const char *method, struct upload *up)
{
	struct response resp;
	handle(srv, conn, url, method, up, &resp);
	enum MHD_Result ret = send_response(conn, srv->app, &resp);
	resp_release(&resp);
	return ret;
}

/* On a hash pool thread: the answer, then the connection back to
 * libmicrohttpd, which calls on_request again to send it.  Nothing of the
 * job may be touched after the resume: the connection may end at once. */
static void hash_job_run(void *ctx)
{
	struct hash_job *job = ctx;
	handle(job->srv, job->conn, job->url, job->method, job->up, &job->resp);
	MHD_resume_connection(job->conn);
}

/* A request that hashes a password: its connection waits, suspended,
 * while the pool does the work, so that this thread serves others.  A
 * full pool resumes it at once, to be answered 503 (up->hash_busy). */
static enum MHD_Result hash_elsewhere(struct server *srv, struct MHD_Connection *conn,
				      const char *url, const char *method, struct upload *up)
{
	struct hash_job *job = xcalloc(1, sizeof *job);
	*job = (struct hash_job){ .srv = srv, .conn = conn, .url = url, .method = method, .up = up };
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
static enum MHD_Result hash_job_send(struct server *srv, struct MHD_Connection *conn, struct upload *up)
{
	enum MHD_Result ret = send_response(conn, srv->app, &up->job->resp);
	resp_release(&up->job->resp);
	free(up->job);
	up->job = NULL;
	return ret;
}

struct framing {
	int content_length; /* Content-Length headers */
	bool conflict;      /* ... with different values */
	const char *first;
	bool transfer_encoding;
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	(void)kind;
	struct framing *f = cls;
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
		if (f->content_length++ && strcmp(f->first, value ? value : "") != 0)
			f->conflict = true;
		f->first = f->content_length == 1 ? (value ? value : "") : f->first;
	} else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
		f->transfer_encoding = true;
	}
	return MHD_YES;
}

/* Why the request's framing is ambiguous, or NULL: two Content-Length
 * headers that disagree, or Content-Length with Transfer-Encoding.  A proxy
 * in front may read such a request's end elsewhere than we do, and the
 * rest would then pass as a second request that the proxy never saw
 * (request smuggling). */
static const char *framing_error(struct MHD_Connection *conn)
{
	struct framing f = { 0 };
	MHD_get_connection_values(conn, MHD_HEADER_KIND, count_framing, &f);
	if (f.conflict)
		return "Two Content-Length headers with different values.";
	if (f.content_length && f.transfer_encoding)
		return "Content-Length and Transfer-Encoding together.";
	return NULL;
}

static void refuse(struct upload *up, int status, const char *code, const char *msg)
{
	up->refuse = status;
	up->refuse_code = code;
	up->refuse_msg = msg;
}

static bool has_body(struct MHD_Connection *conn, long long *content_length)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	*content_length = -1;
	if (cl && util_parse_ll(cl, content_length))
		return *content_length > 0;
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL;
}

/* The first call: the head has arrived, no byte of the body has been
 * read.  Refuses at once what is malformed or too large for this caller;
 * the rest is read by the next calls. */
static enum MHD_Result begin(struct server *srv, struct MHD_Connection *conn, const char *url,
			     const char *method, struct upload *up)
{
	up->started = true;
	routes_match(method, url, &up->route);
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct guarded *gc = ci ? ci->socket_context : NULL;
	conn_guard_head_done(srv->guard, gc);
	const char *framing = framing_error(conn);
	if (framing) {
		conn_guard_linger(srv->guard, gc);
		refuse(up, 400, "bad_request", framing);
		return dispatch(srv, conn, url, method, up);
	}
	long long n;
	if (!has_body(conn, &n))
		return MHD_YES;
	/* Who asks decides how much may come: identified from the headers
	 * now, before any byte of the body is held. */
	struct principal who;
	long long generation;
	bool signed_in = identify(srv->app, conn, &generation, &who) == APP_OK && who.id != 0;
	up->limit = routes_body_max(&up->route, signed_in);
	if (n > (long long)up->limit) {
		up->too_large = true;
		/* A signed-in caller's moderately oversized body is read and
		 * dropped, so that an ordinary client, which sends it all before
		 * reading, gets its 413 instead of a reset connection; anyone
		 * else's, a huge one, or one the client waits for leave to send,
		 * is refused at once. */
		const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
		if (!signed_in || n > BODY_DISCARD_MAX || (expect && util_prefix_ci(expect, "100-continue"))) {
			conn_guard_linger(srv->guard, gc); /* its body may be on its way */
			return dispatch(srv, conn, url, method, up);
		}
	}
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size, void **con_cls)
{
	(void)version;
	struct server *srv = cls;
	struct upload *up = *con_cls; /* made by on_uri */
	if (!up->started)
		return begin(srv, conn, url, method, up);
	if (*upload_size) {
		if (up->too_large || up->body_rc || up->body.len + *upload_size > up->limit)
			up->too_large |= !up->body_rc; /* dropped */
		else
			up->body_rc = body_add(&up->body, upload_data, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (up->job) /* resumed: the hash pool answered */
		return hash_job_send(srv, conn, up);
	if (!up->hash_busy && !up->too_large && !up->refuse && routes_hashes(&up->route))
		return hash_elsewhere(srv, conn, url, method, up);
	return dispatch(srv, conn, url, method, up);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)toe;
	struct server *srv = cls;
	struct upload *up = *con_cls;
	if (up) {
		if (up->job) { /* answered by the pool, but the server stopped before sending it */
			resp_release(&up->job->resp);
			free(up->job);
		}
		body_release(&up->body);
		route_match_release(&up->route);
		free(up);
	}
	*con_cls = NULL;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	conn_guard_request_done(srv->guard, ci ? ci->socket_context : NULL);
}

static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	(void)addrlen;
	struct server *srv = cls;
	return conn_guard_admit(srv->guard, addr) ? MHD_YES : MHD_NO;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct server *srv = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *fd = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		*socket_context = conn_guard_opened(srv->guard, fd ? fd->connect_fd : -1, client_sockaddr(conn));
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		conn_guard_closed(srv->guard, *socket_context);
		*socket_context = NULL;
	}
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

/* TLS 1.2 and 1.3 only; on 1.2 only forward-secret key exchanges (ECDHE,
 * DHE) with AEAD ciphers (GnuTLS priority syntax). */
#define TLS_PRIORITIES                                                                          \
	"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:+DHE-RSA:"     \
	"-CIPHER-ALL:+AES-256-GCM:+AES-128-GCM:+CHACHA20-POLY1305:-MAC-ALL:+AEAD"

static bool loopback(const struct in_addr *a)
{
	return (ntohl(a->s_addr) >> 24) == 127;
}

/* The global cap on connections: what the open-files limit leaves once the
 * database, documents and spooled bodies have theirs (a connection may
 * hold a spool file too). */
static unsigned connection_cap(void)
{
	unsigned long nofile = conn_guard_raise_nofile();
	unsigned long cap = nofile > 2 * FDS_KEPT ? (nofile - FDS_KEPT) / 2 : nofile / 4;
	return cap > 100000 ? 100000 : (unsigned)cap;
}

int server_run(struct app *app, const struct server_options *o)
{
	/* Each thread's malloc arena hands memory back to the kernel when more
	 * than the trim threshold lies free at its top: with glibc's default
	 * (128 KiB, then adjusted) the statement journal a write frees at each
	 * statement's end cost an madvise a few writes (perf: PATCH).  Setting
	 * it ends glibc's adjusting of the mmap threshold too, which would leave
	 * every answer over 128 KiB (a CSV export) to an mmap and a munmap of
	 * its own: so both are set, an answer of up to 1 MiB comes from the
	 * arena, and an arena keeps up to 2 MiB free. */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	mallopt(M_TRIM_THRESHOLD, 2 << 20);
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)o->port) };
	if (inet_pton(AF_INET, o->bind, &addr.sin_addr) != 1) {
		fprintf(stderr, "suivi: --bind takes an IPv4 address such as 127.0.0.1, not '%s'\n", o->bind);
		return 1;
	}
	if (!o->tls_cert && !app->tls && !loopback(&addr.sin_addr))
		fprintf(stderr, "suivi: warning: serving plain HTTP on %s: passwords and session cookies "
				"would cross the network unencrypted; give --tls-cert and --tls-key, or "
				"--behind-tls when a reverse proxy in front terminates TLS\n", o->bind);
	/* Before any thread starts (the guard's reaper, the hash pool,
	 * libmicrohttpd's): each inherits the mask, so SIGINT and SIGTERM
	 * reach this thread's sigwait and no other's default action. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	char *cert = o->tls_cert ? slurp(o->tls_cert) : NULL, *key = o->tls_key ? slurp(o->tls_key) : NULL;
	struct conn_guard_config gc = {
		.per_client = o->per_client, .head_deadline = o->head_deadline, .exempt = o->proxies,
	};
	struct server srv = { .app = app };
	if ((o->tls_cert && !cert) || (o->tls_key && !key) || !(srv.guard = conn_guard_new(&gc))) {
		free(cert);
		free(key);
		return 1;
	}
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
			 (cert ? MHD_USE_TLS : 0);
	/* Given to the daemon only when serving HTTPS: the option list ends
	 * before it otherwise. */
	struct MHD_OptionItem tls[] = {
		{ MHD_OPTION_HTTPS_MEM_CERT, 0, cert },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, key },
		{ MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)TLS_PRIORITIES },
		{ MHD_OPTION_END, 0, NULL },
	};
	unsigned cap = connection_cap();
	hashpool_start();
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, on_accept, &srv, on_request, &srv,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)THREADS,
		MHD_OPTION_CONNECTION_LIMIT, cap,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, &srv,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
		cert ? MHD_OPTION_ARRAY : MHD_OPTION_END, tls,
		MHD_OPTION_END);
	if (!d) {
		hashpool_stop();
		fprintf(stderr, "suivi: cannot listen on %s:%d (in use, not allowed%s)\n", o->bind, o->port,
			cert ? ", or the certificate and key do not fit" : "");
		conn_guard_free(srv.guard);
		free(cert);
		free(key);
		return 1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("suivi: listening on http%s://%s:%u/ (at most %u connections, %u per client)\n", cert ? "s" : "",
	       o->bind, info ? info->port : (unsigned)o->port, cap, o->per_client);
	fflush(stdout);
	int sig = 0;
	sigwait(&sigs, &sig);
	hashpool_stop(); /* every suspended connection resumed, as MHD_stop_daemon wants */
	MHD_stop_daemon(d);
	conn_guard_free(srv.guard);
	free(cert);
	free(key);
	return 0;
}
