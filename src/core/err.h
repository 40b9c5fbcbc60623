/* err.h — the application's error codes and their HTTP meaning.
 *
 * Every layer returns enum app_err; the HTTP layer maps it to a status and a
 * stable machine-readable code with err_status() and err_code() (one table,
 * err.c).  APP_OK is zero so that `if (rc)` reads as "on error". */
#ifndef SUIVI_ERR_H
#define SUIVI_ERR_H

/* On every function that returns an app_err: a caller that drops the
 * answer does not compile (-Werror).  A caller with nothing better to do
 * than go on says so with err_ignore (below) and a comment saying why. */
#define MUST_CHECK __attribute__((warn_unused_result))

enum app_err {
	APP_OK = 0,
	APP_BAD_JSON,     /* 400: body is not a well-formed JSON object */
	APP_BAD_QUERY,    /* 400: bad query parameter or form */
	APP_UNAUTHORIZED, /* 401: sign in first */
	APP_FORBIDDEN,    /* 403 */
	APP_NOT_FOUND,    /* 404 */
	APP_METHOD,       /* 405 */
	APP_CONFLICT,     /* 409: duplicate key, or still referred to */
	APP_LOCKED,       /* 409: the record falls in a locked reporting period (store_lock.h) */
	APP_PRECONDITION, /* 412: stale If-Match */
	APP_TOO_LARGE,    /* 413 */
	APP_MEDIA_TYPE,   /* 415 */
	APP_INVALID,      /* 422: field-level validation errors */
	APP_TOO_MANY,     /* 429: too many failed logins; wait */
	APP_FULL,         /* 507: the disk (or the database's) is full; nothing was written */
	APP_UNAVAILABLE,  /* 503: database unreachable or busy */
	APP_INTERNAL,     /* 500 */
	APP_ERR__MAX
};

/* Drops an app_err on purpose (GCC does not take a (void) cast for
 * warn_unused_result); the call site says why. */
static inline void err_ignore(enum app_err e)
{
	(void)e;
}

int err_status(enum app_err e);
/* What a write the database refused amounts to for a person: a full disk
 * (APP_FULL) stays so, anything else is "unavailable, try again". */
MUST_CHECK enum app_err err_db_failure(enum app_err e);
const char *err_code(enum app_err e);
/* A default English message; callers usually give a more precise one.
 * Those of APP_FULL and APP_UNAVAILABLE are msgids: pages show them
 * translated (page_db_problem). */
const char *err_message(enum app_err e);

#endif
