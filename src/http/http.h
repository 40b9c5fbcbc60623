/* http.h — requests and responses as the handlers see them.
 *
 * server.c turns a libmicrohttpd connection into a struct request, the
 * route table (routes.h) finds the handler of its method and path and
 * calls it with the path's parameters, and server.c sends the struct
 * response it filled.  Handlers never see libmicrohttpd nor the table;
 * the helpers below are request.c's. */
#ifndef SUIVI_HTTP_H
#define SUIVI_HTTP_H
#include <stdbool.h>
#include <stddef.h>

#include "args.h"
#include "auth.h"
#include "buf.h"
#include "i18n.h"
#include "record.h"
#include "shared.h"

struct app;
struct entity;

/* A parameter of the matched route's path ("id" of "/meetings/{id}/report"). */
struct route_param {
	const char *name; /* the route table's */
	char *value;      /* %-decoded, owned by the route's match */
};
#define ROUTE_PARAMS_MAX 4

struct request {
	struct app *app;
	const char *method;      /* "GET", "POST", ... */
	const char *path;        /* without the query string, %-decoded */
	struct args query;       /* the query string, decoded */
	const char *body;        /* the raw body (NUL-terminated), possibly empty */
	size_t body_len;
	enum lang lang;          /* from the cookie, else Accept-Language */
	struct principal who;    /* who is asking (ROLE_PUBLIC: nobody signed in) */
	char client[64];         /* req_client()'s, once asked */
	bool tls;                /* served over HTTPS (cookies get Secure) */
	long long generation;    /* the database's change counter, read once per request */
	bool db_unavailable;     /* reading it (or who is asking) found the database unavailable */
	bool hash_busy;          /* a request that hashes a password found the pool full (hashpool.h) */
	bool part_failed;        /* a part of the page could not be read (page_part_failed) */
	/* The matched route's parameters (req_param) and, when its path names
	 * a collection ("/api/v1/{collection}/{id}"), that collection. */
	struct route_param params[ROUTE_PARAMS_MAX];
	int nparams;
	const struct entity *entity;
	/* Header lookup (case-insensitive), NULL when absent. */
	const char *(*header)(const struct request *r, const char *name);
	const char *(*cookie)(const struct request *r, const char *name); /* a cookie's value, or NULL */
	/* The client's address as text into out (n bytes): req_client's. */
	void (*find_client)(const struct request *r, char *out, size_t n);
	void *conn;              /* for header() and find_client(); opaque */
};

#define RESPONSE_MAX_HEADERS 8
#define SESSION_COOKIE "sid"
/* The WWW-Authenticate header of every 401 of the API. */
#define API_AUTH_CHALLENGE "Bearer realm=\"suivi\""

struct response {
	int status;
	const char *content_type; /* static string */
	struct buf body;
	struct {
		char *name, *value;
	} h[RESPONSE_MAX_HEADERS];
	int nh;
	/* Or the body is a file's first file_size bytes (resp_file): sent from
	 * the file, never read into memory; the descriptor is the response's. */
	bool has_file;
	int file_fd;
	unsigned long long file_size;
	/* Or the body is these bytes, shared with the response cache (not
	 * copied for each answer): a reference, the response's. */
	struct shared *shared;
};

/* Adds a header; the strings are copied. */
void resp_header(struct response *resp, const char *name, const char *value);
/* Makes the open file fd (its first size bytes) the body; the response
 * owns fd from here (closed once sent, or by resp_release). */
void resp_file(struct response *resp, int fd, unsigned long long size);
void resp_release(struct response *resp);

/* The API's one error answer (docs/API.md): e's status and
 * {"error":{"code","message","fields"}}, the message msg (NULL: e's own), a
 * "fields" object with each field's message in English when errs has any
 * (errs may be NULL).  Replaces what the body held. */
void resp_json_error(struct response *resp, enum app_err e, const char *msg, const struct ferrs *errs);
/* The same with a status and code of the caller's (a code that is no
 * app_err's, such as "invalid_csv"). */
void resp_json_error_code(struct response *resp, int status, const char *code, const char *msg);

/* Appends the request's path and query string, re-encoded ("/actions?late=true"). */
void req_url(const struct request *req, struct buf *out);

/* A parameter of the matched route ("id"), or NULL. */
const char *req_param(const struct request *req, const char *name);
/* The parameter as a positive integer: false when it is not one. */
bool req_param_id(const struct request *req, const char *name, long long *id);
/* The client's address ("?" when unknown), for login throttling: found
 * the first time it is asked (most requests never ask). */
const char *req_client(struct request *req);
/* GET or HEAD (a HEAD is a GET whose body is not sent). */
bool req_is_get(const struct request *req);

#endif
