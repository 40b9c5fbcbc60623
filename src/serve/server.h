/* server.h — the HTTP server (GNU libmicrohttpd). */
#ifndef SUIVI_SERVER_H
#define SUIVI_SERVER_H

#include "app.h"

#define PER_CLIENT_DEFAULT 128  /* connections one address may hold */
#define HEAD_DEADLINE_DEFAULT 15 /* seconds for a whole request head */

struct server_options {
	const char *bind;     /* an IPv4 address */
	int port;             /* 0 picks a free one */
	const char *tls_cert, *tls_key; /* PEM files: serve HTTPS; both or neither */
	unsigned per_client;  /* connections one client address may hold */
	unsigned head_deadline; /* seconds */
	/* Reverse proxies: exempt from the per-client cap, and their
	 * X-Forwarded-For names the client; NULL-terminated, may be NULL. */
	const char *const *proxies;
};

/* Serves app until SIGINT or SIGTERM.  Prints "suivi: listening on
 * http://ADDR:PORT/ …" once ready.  Returns 0 on a clean stop, 1 when the
 * server cannot start. */
int server_run(struct app *app, const struct server_options *o);

#endif
