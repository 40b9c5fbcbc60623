/* routes.h — the route table and the dispatcher (as git's commands[]).
 *
 * server.c asks the table which route a request's method and path name as
 * soon as its head has arrived (routes_match), decides the body limit from
 * that route and the caller, and once the body is in hands the request to
 * routes_dispatch: access rule, CSRF token, content type, then the
 * handler.  The OpenAPI document is written from the same table. */
#ifndef SUIVI_ROUTES_H
#define SUIVI_ROUTES_H
#include <stdbool.h>
#include <stdio.h>

#include "buf.h"
#include "http.h"
#include "route.h"

extern const struct route routes[];
extern const size_t routes_count;

/* What the table says of a method and path. */
struct route_match {
	const struct route *route;    /* the most specific row for both; NULL: none */
	/* Without a route: the methods the path's rows answer (for Allow); a
	 * path that some row has but no method may use (a read-only
	 * collection's /new) has none. */
	unsigned allow;
	bool known;                   /* some row has this path */
	bool public_path;             /* ... and one of them is R_PUBLIC */
	const struct entity *entity;  /* route's collection (route.h), or the path's without a route */
	struct route_param params[ROUTE_PARAMS_MAX]; /* values owned here */
	int nparams;
};

/* Matches method and path (%-decoded, without the query string) against
 * every row: literal segments win over parameters, left to right.  Release
 * m with route_match_release. */
void routes_match(const char *method, const char *path, struct route_match *m);
void route_match_release(struct route_match *m);

/* The largest body the matched route takes from this caller. */
size_t routes_body_max(const struct route_match *m, bool signed_in);
/* Does the matched route hash a password (to be run on the hash pool)? */
bool routes_hashes(const struct route_match *m);

/* Answers req, in this order: 503 when the database could not be read
 * (but on R_NO_DB rows); a page's write without the session's CSRF token,
 * 403; without a route, the sign-in (401 or the sign-in page) for those
 * not signed in where no row is public, 404, 403 for a collection the
 * caller may not read, or 405 with Allow; then the access rule (401 or the
 * sign-in page, 403), the API's CSRF token (403), the Content-Type (415),
 * and the route's handler, through the response cache on R_CACHE rows.
 * req borrows m's parameters. */
void routes_dispatch(struct request *req, struct response *resp, const struct route_match *m);

/* The table for people (`suivi routes`): one row per line, tab-separated:
 * methods, pattern, access, CSRF, body limit and type, flags, summary. */
void routes_print(FILE *out);

#endif
