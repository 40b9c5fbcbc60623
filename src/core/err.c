/* err.c — see err.h. */
#include "err.h"

#include "i18n.h"
#include "banned.h"

static const struct {
	int status;
	const char *code;
	const char *message;
} table[APP_ERR__MAX] = {
	[APP_OK] = { 200, "ok", "OK" },
	[APP_BAD_JSON] = { 400, "bad_json", "The body is not a well-formed JSON object." },
	[APP_BAD_QUERY] = { 400, "bad_query", "The query is not understood." },
	[APP_UNAUTHORIZED] = { 401, "unauthorized", "Sign in first: a session or an API token (Authorization: Bearer …) is needed." },
	[APP_FORBIDDEN] = { 403, "forbidden", "Not allowed." },
	[APP_NOT_FOUND] = { 404, "not_found", "Not found." },
	[APP_METHOD] = { 405, "method_not_allowed", "Method not allowed here." },
	[APP_CONFLICT] = { 409, "conflict", "The change conflicts with other records." },
	[APP_LOCKED] = { 409, "locked", "The record falls in a locked reporting period: an administrator unlocks it." },
	[APP_PRECONDITION] = { 412, "precondition_failed", "The record has changed since it was read (stale If-Match)." },
	[APP_TOO_LARGE] = { 413, "too_large", "The body is too large." },
	[APP_MEDIA_TYPE] = { 415, "unsupported_media_type", "Writes take Content-Type: application/json." },
	[APP_INVALID] = { 422, "invalid", "Some fields are not valid." },
	[APP_TOO_MANY] = { 429, "too_many_requests", "Too many failed attempts; wait before trying again." },
	/* 507 Insufficient Storage (RFC 4918): not 503, since waiting does not help */
	[APP_FULL] = { 507, "insufficient_storage", N_("The server's disk is full: nothing was saved. Tell the administrator; try again once space is freed.") },
	[APP_UNAVAILABLE] = { 503, "unavailable", N_("The database is not available; try again shortly.") },
	[APP_INTERNAL] = { 500, "internal", "Internal error." },
};

int err_status(enum app_err e)
{
	return (e >= 0 && e < APP_ERR__MAX) ? table[e].status : 500;
}

enum app_err err_db_failure(enum app_err e)
{
	return e == APP_FULL ? APP_FULL : APP_UNAVAILABLE;
}

const char *err_code(enum app_err e)
{
	return (e >= 0 && e < APP_ERR__MAX) ? table[e].code : "internal";
}

const char *err_message(enum app_err e)
{
	return (e >= 0 && e < APP_ERR__MAX) ? table[e].message : "Internal error.";
}
