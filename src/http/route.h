/* route.h — the shape of a row of the route table (routes.c).
 *
 * Every request the server answers is a row: its methods and path pattern,
 * the handler, who may call it, what body it takes and what the OpenAPI
 * document says of it.  Types only: the table and the dispatcher are
 * routes.h's; openapi.c reads rows without depending on the dispatcher. */
#ifndef SUIVI_ROUTE_H
#define SUIVI_ROUTE_H
#include <stdbool.h>
#include <stddef.h>

#include "docstore.h"
#include "http.h"

struct buf;
struct entity;

/* Body limits.  Nobody signed in may send more than ANON_BODY_MAX (the
 * sign-in form); a signed-in caller BODY_MAX unless the route says more. */
#define ANON_BODY_MAX (16 * 1024)
#define BODY_MAX (1024 * 1024)
#define IMPORT_BODY_MAX (32 * 1024 * 1024) /* every import: 10⁵ rows are some 10 MiB */
/* A document upload: the file and, in a form, the other fields. */
#define UPLOAD_BODY_MAX (DOC_MAX + BODY_MAX)

/* A handler: the request (with its route's parameters, req_param) in, the
 * answer out; it never looks at the path. */
typedef void route_fn(struct request *req, struct response *resp);

/* Methods a row answers; GET answers HEAD too. */
enum {
	RM_GET = 1u << 0,
	RM_POST = 1u << 1,
	RM_PATCH = 1u << 2,
	RM_DELETE = 1u << 3,
};

/* Who may call a row and how it is served.  Without R_PUBLIC a caller
 * must be signed in: the API answers 401, pages send to the sign-in page. */
enum {
	R_PUBLIC = 1u << 0,  /* anyone, signed in or not */
	R_SESSION = 1u << 1, /* a browser session only: an API token finds nothing (404) */
	R_NO_CSRF = 1u << 2, /* a write without the session's CSRF token: the sign-in form only */
	R_CACHE = 1u << 3,   /* answers kept in the response cache until the next write (cache.h) */
	R_WRITES = 1u << 4,  /* writes its collection: the caller needs its write right, and a
			      * read-only collection has no such route */
	R_HASHES = 1u << 5,  /* hashes a password: served from the hash pool (hashpool.h) */
	R_NO_DB = 1u << 6,   /* answers without the database (health, assets, the language) */
	R_ONE_TIME = 1u << 7, /* open to a session signed in with a one-time password (changing it, signing
			       * out): every other row but R_NO_DB's sends it to the change (routes.c) */
	R_ENROL = 1u << 8,    /* open to a session whose role must sign in with a code and has not set it
			       * up (the enrolment page, signing out): every other row but R_NO_DB's
			       * sends it there (routes.c) */
};

/* What a row's body may be.  A write with another Content-Type is refused
 * with 415 before the handler runs. */
enum route_body {
	RB_NONE,      /* no body */
	RB_JSON,      /* application/json */
	RB_FORM,      /* application/x-www-form-urlencoded: a page's form */
	RB_MULTIPART, /* multipart/form-data: a page's file upload */
	RB_CSV,       /* a table: text/csv (or application/csv, text/plain), or an XLSX workbook */
	RB_XML,       /* application/xml or text/xml */
	RB_ANY,       /* anything: the handler reads what it is (a raw file) */
	RB_FORMS,     /* a page's form, urlencoded or with a file (multipart) */
};

struct route {
	unsigned methods; /* RM_* */
	/* Segments are literals or parameters: "{name}", or "{name}.csv" (a
	 * literal suffix).  {collection} matches only a collection's plural
	 * name, {key} only a key of that collection, {id} only a positive
	 * integer; any other parameter any non-empty segment.  A route is
	 * its {collection}'s, or the collection its first literal segment
	 * names ("/documents/new", "/api/v1/needs/import"): only those who
	 * may read that collection may call it. */
	const char *pattern;
	route_fn *handler;
	unsigned flags;         /* R_* */
	unsigned roles;         /* ROLE_BITs that may call it; 0: every role the flags admit */
	size_t body_max;        /* a signed-in caller's body limit; 0: BODY_MAX */
	enum route_body accepts;
	/* The OpenAPI document (routes under /api/v1): a summary and the
	 * statuses it answers ("200 404"), the media type of a success when
	 * not JSON; or doc, which writes the operation of collection e (false:
	 * e has none). */
	const char *summary;
	const char *codes;
	const char *produces;
	bool (*doc)(struct buf *out, const struct entity *e);
};

#endif
