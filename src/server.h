/* server.h — the HTTP server (GNU libmicrohttpd). */
#ifndef SUIVI_SERVER_H
#define SUIVI_SERVER_H

#include "app.h"

#define BODY_MAX (1024 * 1024) /* request bodies over this get 413 */
#define IMPORT_BODY_MAX (32 * 1024 * 1024) /* ... but CSV imports (server.c body_max) */

/* Serves app on bind:port until SIGINT or SIGTERM; port 0 picks a free
 * one.  With tls_cert and tls_key (PEM files) it serves HTTPS.  Prints "suivi: listening on http://ADDR:PORT/" once ready.
 * Returns 0 on a clean stop, 1 when the server cannot start. */
int server_run(struct app *app, const char *bind, int port, const char *tls_cert,
	       const char *tls_key);

#endif
