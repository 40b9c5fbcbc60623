/* http.h — requests and responses as the handlers see them.
 *
 * server.c turns a libmicrohttpd connection into a struct request, calls
 * the handler the path belongs to (api.c, web.c) and sends the struct
 * response it filled.  Handlers never see libmicrohttpd. */
#ifndef SUIVI_HTTP_H
#define SUIVI_HTTP_H
#include <stdbool.h>
#include <stddef.h>

#include "auth.h"
#include "buf.h"
#include "i18n.h"

struct app;

/* One query or form argument, in the order given. */
struct arg {
	char *name, *value;
};

struct args {
	struct arg *a;
	size_t n;
};

struct request {
	struct app *app;
	const char *method;      /* "GET", "POST", ... */
	const char *path;        /* without the query string, %-decoded */
	struct args query;       /* the query string, decoded */
	const char *body;        /* the raw body (NUL-terminated), possibly empty */
	size_t body_len;
	enum lang lang;          /* from the cookie, else Accept-Language */
	struct principal who;    /* who is asking (ROLE_PUBLIC: nobody signed in) */
	char client[64];         /* the client's address, for login throttling */
	bool tls;                /* served over HTTPS (cookies get Secure) */
	long long generation;    /* the database's change counter, read once per request */
	bool db_unavailable;     /* reading it (or who is asking) found the database unavailable */
	bool hash_busy;          /* a request that hashes a password found the pool full (hashpool.h) */
	/* Header lookup (case-insensitive), NULL when absent. */
	const char *(*header)(const struct request *r, const char *name);
	void *conn;              /* for header(); opaque */
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
};

/* Adds a header; the strings are copied. */
void resp_header(struct response *resp, const char *name, const char *value);
/* Makes the open file fd (its first size bytes) the body; the response
 * owns fd from here (closed once sent, or by resp_release). */
void resp_file(struct response *resp, int fd, unsigned long long size);
void resp_release(struct response *resp);

/* Appends the request's path and query string, re-encoded ("/actions?late=true"). */
void req_url(const struct request *req, struct buf *out);

/* The first value of a query/form argument, or NULL. */
const char *args_get(const struct args *a, const char *name);
void args_release(struct args *a);
/* Parses application/x-www-form-urlencoded text into a (appending). */
void args_parse_form(struct args *a, const char *s, size_t n);

/* Handlers: return true when they took the request. */
bool api_handle(struct request *req, struct response *resp);
bool web_handle(struct request *req, struct response *resp);

#endif
