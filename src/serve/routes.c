/* routes.c — see routes.h.  The table first, then matching, the
 * dispatcher, and the table for people. */
#define _POSIX_C_SOURCE 200809L
#include "routes.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "account_sessions.h"
#include "twofa_http.h"
#include "account_tokens.h"
#include "accounts_http.h"
#include "api.h"
#include "app.h"
#include "board.h"
#include "cache.h"
#include "dashboard.h"
#include "deletion.h"
#include "docs.h"
#include "domain.h"
#include "event.h"
#include "forum.h"
#include "forum_report.h"
#include "home.h"
#include "iati_http.h"
#include "import_http.h"
#include "certificate_pdf.h"
#include "badges_pdf.h"
#include "template.h"
#include "login.h"
#include "oidc_http.h"
#include "multipart.h"
#include "needs.h"
#include "notify_http.h"
#include "openapi.h"
#include "page.h"
#include "programme.h"
#include "progress_http.h"
#include "lock_http.h"
#include "review_http.h"
#include "seal_http.h"
#include "report.h"
#include "followup_file.h"
#include "results_http.h"
#include "training.h"
#include "training_http.h"
#include "translations.h"
#include "util.h"
#include "web.h"
#include "xlsx_export.h"
#include "xalloc.h"
#include "banned.h"

static void openapi_document(struct request *req, struct response *resp);

#define GET RM_GET
#define POST RM_POST
#define PATCH RM_PATCH
#define DELETE RM_DELETE

/* The API: JSON under /api/v1 (docs/API.md), then the pages.  Order does
 * not matter: the most specific pattern wins (routes_match). */
const struct route routes[] = {
	/* ---- the API: what is not a collection -------------------------------------------- */
	{ GET, "/api/v1", api_index, R_CACHE }, /* the same as /api/v1/ */
	{ GET, "/api/v1/", api_index, R_CACHE, .summary = "The collections the caller may read", .codes = "200" },
	{ GET, "/api/v1/openapi.json", openapi_document, R_CACHE, .summary = "This document", .codes = "200" },
	{ GET, "/api/v1/verify/{number}", training_verify_api, R_PUBLIC,
	  .summary = "Is this a certificate number suivi issued (public)", .codes = "200 404 503" },
	{ GET, "/api/v1/iati.xml", iati_file, R_PUBLIC, .produces = "application/xml",
	  .summary = "The programmes as an IATI 2.03 activity file: the published ones for the public, "
		     "the reader's scope when signed in (ETag, Last-Modified)",
	  .codes = "200 304 400" },
	{ GET, "/api/v1/training/summary", dashboard_summary_api, R_PUBLIC,
	  .summary = "The training dashboard's figures (public; small groups suppressed)", .codes = "200 400 503" },
	{ GET, "/api/v1/training/check", dashboard_check_api, 0,
	  .summary = "Do the training summaries agree with the enrolments (staff)", .codes = "200 403 503" },
	{ GET, "/api/v1/followup", board_api, 0,
	  .summary = "The follow-up board: actions with their lateness, and counts by status",
	  .codes = "200 400 503" },
	{ GET, "/api/v1/needs/latest", needs_latest_api, 0,
	  .summary = "The latest assessment per country and theme (gaps=true: serious needs nothing addresses)",
	  .codes = "200 400 403 503" },
	{ GET, "/api/v1/indicators/{id}/values", results_values_api, 0,
	  .summary = "An indicator's baseline, targets and actuals by period", .codes = "200 403 404 503" },
	{ GET, "/api/v1/translations", translations_api, 0, R_STAFF,
	  .summary = "The records whose multilingual texts are given in one language and missing in another, per "
		     "collection (?missing=fr|en|ar, ?collection, ?limit per collection, ?offset with a collection; staff)",
	  .codes = "200 400 403 503" },
	{ POST, "/api/v1/needs/import", import_api, 0, .body_max = IMPORT_BODY_MAX, .accepts = RB_CSV,
	  .summary = "Import needs assessments from CSV (all or nothing; ?dry_run=true checks and counts)", .codes = "200 403 422 503 507" },
	{ POST, "/api/v1/participants/import", training_participants_import_api, 0, .body_max = IMPORT_BODY_MAX,
	  .accepts = RB_CSV, .summary = "Import participants from CSV (all or nothing; ?dry_run=true checks and counts)", .codes = "200 403 422 503 507" },
	{ POST, "/api/v1/enrolments/import", training_enrolments_import_api, 0, .body_max = IMPORT_BODY_MAX,
	  .accepts = RB_CSV, .summary = "Import enrolments and results from CSV (all or nothing; ?dry_run=true checks and counts)",
	  .codes = "200 403 422 503 507" },
	{ POST, "/api/v1/{collection}/import", import_collection_api, R_WRITES, .body_max = IMPORT_BODY_MAX,
	  .accepts = RB_CSV, .doc = openapi_import },
	{ POST, "/api/v1/meetings/{id}/seal", seal_api_post, 0, .accepts = RB_JSON,
	  .summary = "Seal a strategic dialogue edition: its outcomes and actions, signed (body {}; staff)",
	  .codes = "201 403 404 409 422 503" },
	{ GET, "/api/v1/meetings/{id}/seal", seal_api_get, 0, .summary = "The seal of an edition (suivi seal verify checks it)",
	  .codes = "200 404" },
	{ GET, "/api/v1/programmes/{id}/lock", lock_programme_api, 0,
	  .summary = "The programme's locked reporting period ({\"locked\": false} when none)", .codes = "200 404 503" },
	{ POST, "/api/v1/programmes/{id}/lock", lock_programme_api, 0, .accepts = RB_JSON,
	  .summary = "Lock the programme's transactions and indicator periods dated up to {\"as_of\": \"YYYY-MM-DD\"} "
		     "(staff; only an administrator moves a lock earlier)",
	  .codes = "200 403 404 422 503" },
	{ DELETE, "/api/v1/programmes/{id}/lock", lock_programme_api, 0, .summary = "Unlock the programme's period (administrators)",
	  .codes = "204 403 404 503" },
	{ GET, "/api/v1/meetings/{id}/lock", lock_meeting_api, 0,
	  .summary = "The meeting's locked follow-up ({\"locked\": false} when none)", .codes = "200 404 503" },
	{ POST, "/api/v1/meetings/{id}/lock", lock_meeting_api, 0, .accepts = RB_JSON,
	  .summary = "Lock the progress updates of the meeting's actions dated up to {\"as_of\": \"YYYY-MM-DD\"} "
		     "(staff; only an administrator moves a lock earlier)",
	  .codes = "200 403 404 422 503" },
	{ DELETE, "/api/v1/meetings/{id}/lock", lock_meeting_api, 0, .summary = "Unlock the meeting's follow-up (administrators)",
	  .codes = "204 403 404 503" },
	{ POST, "/api/v1/{collection}/{key}/approve", review_api_approve, 0, .accepts = RB_JSON, .doc = openapi_approve },
	{ POST, "/api/v1/{collection}/{key}/return", review_api_return, 0, .accepts = RB_JSON, .doc = openapi_return },
	{ POST, "/api/v1/participants/{id}/merge", training_merge_api, 0, .accepts = RB_JSON,
	  .summary = "Merge this participant into another ({\"into\": ID})", .codes = "200 400 403 404 422 503" },
	{ POST, "/api/v1/audit/{id}/restore", api_restore, 0, .accepts = RB_JSON,
	  .summary = "Restore the record whose deletion this audit entry records, as it was, with its number (body {}; "
		     "staff who may write its collection)",
	  .codes = "201 403 404 409 415 422 503" },
	{ POST, "/api/v1/iati/import", iati_import_api, 0, .body_max = IMPORT_BODY_MAX, .accepts = RB_XML,
	  .summary = "Import an IATI activity file (all or nothing)", .codes = "200 403 422 503 507" },
	/* documents: the metadata is a collection; the files are docs.c's (a
	 * delete is the collection's, which drops the file too) */
	{ POST, "/api/v1/documents", docs_upload_api, R_WRITES, .body_max = UPLOAD_BODY_MAX, .accepts = RB_ANY,
	  .doc = openapi_upload },
	{ GET, "/api/v1/documents/{id}/content", docs_content_api, 0, .produces = "application/octet-stream",
	  .summary = "A document's file", .codes = "200 403 404" },
	/* ---- the API: every collection of the registry ------------------------------------- */
	{ GET, "/api/v1/{collection}", api_list, R_CACHE, .doc = openapi_list },
	{ POST, "/api/v1/{collection}", api_create, R_WRITES, .accepts = RB_JSON, .doc = openapi_create },
	{ GET, "/api/v1/{collection}.csv", api_csv, R_CACHE, .doc = openapi_csv },
	{ GET, "/api/v1/{collection}.xlsx", api_xlsx, R_CACHE, .produces = XLSX_CONTENT_TYPE, .doc = openapi_xlsx },
	{ GET, "/api/v1/{collection}/{key}", api_get, R_CACHE, .doc = openapi_get },
	{ PATCH, "/api/v1/{collection}/{key}", api_update, R_WRITES, .accepts = RB_JSON, .doc = openapi_update },
	{ DELETE, "/api/v1/{collection}/{key}", api_delete, R_WRITES, .doc = openapi_delete },

	/* ---- pages anyone may open ------------------------------------------------------------ */
	{ GET, "/healthz", web_health, R_PUBLIC | R_NO_DB }, /* for load balancers: it asks the database */
	{ GET, "/static/{file}", web_static, R_PUBLIC | R_NO_DB },
	{ GET, "/lang", web_language, R_PUBLIC | R_NO_DB },
	{ GET, "/", home_page, R_PUBLIC },
	{ GET, "/login", login_page, R_PUBLIC },
	{ POST, "/login", login_post, R_PUBLIC | R_NO_CSRF | R_HASHES, .accepts = RB_FORM },
	{ GET, "/iati.xml", iati_file, R_PUBLIC },
	{ GET, "/.well-known/suivi-certificate-key", certificate_key_page, R_PUBLIC },
	{ GET, "/verify", training_verify_page, R_PUBLIC },
	{ GET, "/verify/{number}", training_verify_page, R_PUBLIC },
	{ GET, "/training", dashboard_training_page, R_PUBLIC },
	{ GET, "/training/{figure}.csv", dashboard_figure_csv, R_PUBLIC },
	{ GET, "/training/{figure}.xlsx", dashboard_figure_csv, R_PUBLIC },
	{ GET, "/training/needs", dashboard_needs_page, 0 },

	/* ---- one's account ------------------------------------------------------------------------ */
	{ GET, "/reset/{token}", login_reset_page, R_PUBLIC },
	{ POST, "/reset/{token}", login_reset_post, R_PUBLIC | R_NO_CSRF | R_HASHES, .accepts = RB_FORM },
	/* (R_PUBLIC: a session pending its one-time code has the public's rights, and signs out too) */
	{ POST, "/logout", login_logout, R_PUBLIC | R_ONE_TIME | R_ENROL, .accepts = RB_FORM },
	{ GET, "/login/code", login_code_page, R_PUBLIC },
	/* single sign-on (oidc_http.c): to the provider and back; the state is the proof */
	{ GET, "/login/with/{provider}", oidc_start, R_PUBLIC },
	{ GET, "/login/oidc/callback", oidc_callback, R_PUBLIC },
	{ POST, "/login/code", login_code_post, R_PUBLIC, .accepts = RB_FORM },
	{ GET | POST, "/account/2fa", twofa_page, R_SESSION | R_ENROL, .accepts = RB_FORM },
	{ GET, "/account", login_account_page, R_SESSION | R_ONE_TIME },
	{ POST, "/account", login_account_post, R_SESSION | R_HASHES | R_ONE_TIME, .accepts = RB_FORM },
	{ GET | POST, "/account/tokens/{id}", tokens_page, R_SESSION, .accepts = RB_FORM },
	{ POST, "/account/sessions", sessions_end, R_SESSION, .accepts = RB_FORM },

	/* ---- accounts, the admin's (accounts_http.c) ---------------------------------------------- */
	{ GET, "/accounts", accounts_list_page, R_SESSION, ROLE_BIT(ROLE_ADMIN) },
	{ GET, "/accounts/new", accounts_new_page, R_SESSION, ROLE_BIT(ROLE_ADMIN) },
	{ POST, "/accounts/two-factor", accounts_twofa_roles, R_SESSION, ROLE_BIT(ROLE_ADMIN), .accepts = RB_FORM },
	{ POST, "/accounts/new", accounts_create, R_SESSION | R_HASHES, ROLE_BIT(ROLE_ADMIN), .accepts = RB_FORM },
	{ GET, "/accounts/{id}", accounts_detail_page, R_SESSION, ROLE_BIT(ROLE_ADMIN) },
	{ POST, "/accounts/{id}/password", accounts_reset, R_SESSION | R_HASHES, ROLE_BIT(ROLE_ADMIN),
	  .accepts = RB_FORM },
	{ POST, "/accounts/{id}/2fa-remove", accounts_twofa_remove, R_SESSION, ROLE_BIT(ROLE_ADMIN), .accepts = RB_FORM },
	{ POST, "/accounts/{id}/reset-link", accounts_reset_link, R_SESSION, ROLE_BIT(ROLE_ADMIN), .accepts = RB_FORM },
	{ POST, "/accounts/{id}/disable", accounts_disable, R_SESSION, ROLE_BIT(ROLE_ADMIN), .accepts = RB_FORM },
	{ POST, "/accounts/{id}/enable", accounts_enable, R_SESSION, ROLE_BIT(ROLE_ADMIN), .accepts = RB_FORM },
	{ POST, "/accounts/{id}/email", accounts_email, R_SESSION, ROLE_BIT(ROLE_ADMIN), .accepts = RB_FORM },
	{ POST, "/accounts/sign-in-rules", accounts_rule_add, R_SESSION, ROLE_BIT(ROLE_ADMIN), .accepts = RB_FORM },
	{ POST, "/accounts/sign-in-rules/{id}/delete", accounts_rule_delete, R_SESSION, ROLE_BIT(ROLE_ADMIN),
	  .accepts = RB_FORM },
	{ POST, "/accounts/sign-in-requests/{id}/approve", accounts_request_approve, R_SESSION, ROLE_BIT(ROLE_ADMIN),
	  .accepts = RB_FORM },
	{ POST, "/accounts/sign-in-requests/{id}/refuse", accounts_request_refuse, R_SESSION, ROLE_BIT(ROLE_ADMIN),
	  .accepts = RB_FORM },
	{ POST, "/accounts/sign-in-providers/{provider}/trust", accounts_provider_trust, R_SESSION, ROLE_BIT(ROLE_ADMIN),
	  .accepts = RB_FORM },

	/* ---- notifications (notify_http.c): the administrators' outbox and settings; the
	 * signed link of every message that stops them (the signature is the proof) ---- */
	{ GET, "/notifications", notify_page, R_SESSION, ROLE_BIT(ROLE_ADMIN) },
	{ POST, "/notifications/settings", notify_settings_post, R_SESSION, ROLE_BIT(ROLE_ADMIN), .accepts = RB_FORM },
	{ POST, "/notifications/{id}/retry", notify_retry_post, R_SESSION, ROLE_BIT(ROLE_ADMIN), .accepts = RB_FORM },
	{ POST, "/notifications/webhooks", notify_webhook_add, R_SESSION, ROLE_BIT(ROLE_ADMIN), .accepts = RB_FORM },
	{ POST, "/notifications/webhooks/{id}/delete", notify_webhook_delete, R_SESSION, ROLE_BIT(ROLE_ADMIN),
	  .accepts = RB_FORM },
	{ GET, "/progress-links", notify_links_page, R_SESSION, R_STAFF },
	{ POST, "/progress-links/{id}/revoke", notify_link_revoke, R_SESSION, R_STAFF, .accepts = RB_FORM },
	{ GET, "/notifications/stop", notify_stop_page, R_PUBLIC },
	{ POST, "/notifications/stop", notify_stop_post, R_PUBLIC | R_NO_CSRF, .accepts = RB_FORM },
	/* an action's progress reported by its owner's link (progress_http.c): the link is the proof */
	{ GET, "/progress/{token}", progress_page, R_PUBLIC },
	{ POST, "/progress/{token}", progress_post, R_PUBLIC | R_NO_CSRF, .body_max = UPLOAD_BODY_MAX, .accepts = RB_FORMS },

	/* ---- pages beside the collections' -------------------------------------------------------- */
	{ GET | POST, "/board", board_route, 0, .accepts = RB_FORM },
	{ GET, "/board.csv", board_csv_route, 0 },
	{ GET, "/board.xlsx", board_csv_route, 0 },
	{ GET, "/meetings/{id}/report", report_page, 0 },
	{ POST, "/meetings/{id}/seal", seal_post, 0, R_STAFF, .accepts = RB_FORM },
	{ GET, "/review", review_queue_page, 0 },
	{ POST, "/review", review_queue_post, 0, R_STAFF, .accepts = RB_FORM },
	{ POST, "/meetings/{id}/lock", lock_meeting_post, 0, R_STAFF, .accepts = RB_FORM },
	{ POST, "/meetings/{id}/unlock", lock_meeting_unlock, 0, R_STAFF, .accepts = RB_FORM },
	{ POST, "/programmes/{id}/lock", lock_programme_post, 0, R_STAFF, .accepts = RB_FORM },
	{ POST, "/programmes/{id}/unlock", lock_programme_unlock, 0, R_STAFF, .accepts = RB_FORM },
	{ GET, "/meetings/{id}/seal.json", seal_file_page, 0 },
	{ GET, "/meetings/{id}/report.pdf", report_file_page, 0 },
	{ GET, "/meetings/{id}/report.xlsx", report_file_page, 0 },
	{ POST, "/meetings/{id}/attendance", event_attendance, 0, R_STAFF, .accepts = RB_FORM },
	{ POST, "/meetings/{id}/register", event_register, 0, R_STAFF, .accepts = RB_FORM },
	{ GET, "/meetings/{id}/badges", event_badges, 0, R_STAFF },
	{ GET, "/meetings/{id}/badges.csv", event_badges_csv, 0, R_STAFF },
	{ GET, "/meetings/{id}/badges.pdf", badges_pdf, 0, R_STAFF },
	{ GET | POST, "/forum/{id}/evaluate", forum_evaluate, 0, .accepts = RB_FORM },
	{ GET, "/forum/{id}/report", forum_report_route, 0 },
	{ GET, "/forum/{id}/report.pdf", forum_report_file_route, 0 },
	{ GET, "/forum/{id}/report.xlsx", forum_report_file_route, 0 },
	{ POST, "/audit/{id}/restore", deletion_restore_page, 0, .accepts = RB_FORM },
	{ GET, "/needs/matrix", needs_matrix_page, 0 },
	{ GET, "/needs/matrix.csv", needs_matrix_file, 0 },
	{ GET, "/needs/matrix.xlsx", needs_matrix_file, 0 },
	{ GET, "/needs/map", needs_map_page, 0 },
	{ GET, "/needs/gaps", needs_gaps_page, 0 },
	{ GET, "/needs/gaps.csv", needs_gaps_csv, 0 },
	{ GET, "/needs/gaps.xlsx", needs_gaps_csv, 0 },
	{ GET, "/needs/country/{code}", needs_country_page, 0 },
	{ GET, "/needs/theme/{code}", needs_theme_page, 0 },
	{ GET | POST, "/needs/import", import_page, 0, .body_max = IMPORT_BODY_MAX, .accepts = RB_FORMS },
	{ GET, "/programmes/overview", programme_overview, 0 },
	{ GET | POST, "/programmes/import", iati_import_page, 0, .body_max = IMPORT_BODY_MAX, .accepts = RB_MULTIPART },
	{ GET, "/catalogue", training_catalogue_page, 0 },
	{ GET | POST, "/sessions/{id}/results", training_grid_page, 0, R_STAFF, .accepts = RB_FORM },
	{ GET, "/enrolments/{id}/certificate", training_certificate_page, 0, R_STAFF }, /* it names the participant */
	{ GET, "/enrolments/{id}/certificate.pdf", certificate_pdf, 0, R_STAFF },
	{ GET, "/sessions/{id}/certificates.pdf", session_certificates_pdf, 0, R_STAFF },
	{ GET | POST, "/participants/import", training_participants_import_page, 0, .body_max = IMPORT_BODY_MAX,
	  .accepts = RB_FORMS },
	{ GET | POST, "/enrolments/import", training_enrolments_import_page, 0, .body_max = IMPORT_BODY_MAX,
	  .accepts = RB_FORMS },
	{ GET | POST, "/participants/duplicates", training_duplicates_page, 0, .accepts = RB_FORM },
	{ GET, "/translations", translations_page, 0, R_STAFF },
	/* documents are made by uploading a file, never by the generic form */
	{ GET, "/documents/new", docs_new_page, R_WRITES },
	{ POST, "/documents/new", docs_upload_page, R_WRITES, .body_max = UPLOAD_BODY_MAX, .accepts = RB_MULTIPART },
	{ GET, "/documents/upload", docs_upload_again, 0 },
	{ POST, "/documents/upload", docs_upload_page, R_WRITES, .body_max = UPLOAD_BODY_MAX, .accepts = RB_MULTIPART },

	/* ---- every collection's pages -------------------------------------------------------------- */
	{ GET, "/{collection}", web_list, 0 },
	{ GET, "/{collection}/new", web_new, R_WRITES },
	{ GET | POST, "/{collection}/import", import_collection_page, R_WRITES, .body_max = IMPORT_BODY_MAX,
	  .accepts = RB_FORMS },
	{ GET, "/{collection}/import/template.xlsx", template_page, R_WRITES },
	{ POST, "/{collection}/new", web_create, R_WRITES, .accepts = RB_FORM },
	{ GET, "/{collection}/{key}", web_detail, 0 },
	{ GET, "/{collection}/{key}/edit", web_edit, R_WRITES },
	{ POST, "/{collection}/{key}/edit", web_update, R_WRITES, .accepts = RB_FORM },
	{ GET, "/{collection}/{key}/delete", deletion_confirm_page, R_WRITES },
	{ POST, "/{collection}/{key}/delete", web_delete, R_WRITES, .accepts = RB_FORM },
	{ POST, "/{collection}/{key}/review", review_record_post, 0, R_STAFF, .accepts = RB_FORM },
};
const size_t routes_count = sizeof routes / sizeof *routes;

#undef GET
#undef POST
#undef PATCH
#undef DELETE

static void openapi_document(struct request *req, struct response *resp)
{
	(void)req;
	openapi_write(&resp->body, routes, routes_count);
}

/* ---- the table compiled ------------------------------------------------------------------ */

/* Every request is tried against every row (a path's other rows say which
 * methods it has, and whether it is public), so each pattern is cut into
 * its segments once, and each path once a request: a row then fails on
 * its number of segments or on a literal's length, mostly without reading
 * a byte. */
#define ROUTE_SEGMENTS_MAX 8

enum segment_kind { SEG_LITERAL, SEG_COLLECTION, SEG_KEY, SEG_ID, SEG_ANY };

struct pattern_segment {
	enum segment_kind kind;
	const char *text; /* a literal's text; a parameter's literal suffix (".csv") */
	size_t len;
	char name[16];    /* a parameter's name */
};

struct compiled_route {
	struct pattern_segment seg[ROUTE_SEGMENTS_MAX];
	int n;
	const struct entity *implied; /* the collection its first literal segment names */
};

static struct compiled_route compiled[sizeof routes / sizeof *routes];
/* The rows of each number of segments, in the table's order (a path is
 * tried against its own number's only). */
static unsigned short rows_of_length[ROUTE_SEGMENTS_MAX + 1][sizeof routes / sizeof *routes];
static size_t rows_of_length_n[ROUTE_SEGMENTS_MAX + 1];
static pthread_once_t compiled_once = PTHREAD_ONCE_INIT;

/* A row of the table that cannot be compiled is a mistake of this file. */
static void route_mistake(const char *pattern, const char *why)
{
	fprintf(stderr, "suivi: route %s: %s\n", pattern, why);
	abort();
}

static enum segment_kind parameter_kind(const char *name)
{
	if (strcmp(name, "collection") == 0)
		return SEG_COLLECTION;
	if (strcmp(name, "key") == 0)
		return SEG_KEY;
	return strcmp(name, "id") == 0 ? SEG_ID : SEG_ANY;
}

static void compile_segment(const char *pattern, const char *p, size_t pn, struct pattern_segment *seg)
{
	if (!pn || *p != '{') {
		*seg = (struct pattern_segment){ .kind = SEG_LITERAL, .text = p, .len = pn };
		return;
	}
	const char *close = memchr(p, '}', pn);
	size_t name_len = close ? (size_t)(close - (p + 1)) : 0;
	if (!close || !name_len || name_len >= sizeof seg->name)
		route_mistake(pattern, "a parameter is not {name} of 1 to 15 letters");
	memcpy(seg->name, p + 1, name_len);
	seg->name[name_len] = '\0';
	seg->kind = parameter_kind(seg->name);
	seg->text = close + 1;
	seg->len = pn - (size_t)(close + 1 - p);
}

/* The collection that the first segment (after /api/v1) of a row without
 * {collection} names: "/documents/new" is the documents' as a {collection}
 * row would be. */
static const struct entity *implied_collection(const char *pattern)
{
	const char *p = pattern + (strncmp(pattern, "/api/v1/", 8) == 0 ? 7 : 0);
	char name[64];
	size_t n = strcspn(p + 1, "/");
	if (p[1] == '{' || n >= sizeof name)
		return NULL;
	memcpy(name, p + 1, n);
	name[n] = '\0';
	return ent_by_plural(name);
}

static void compile_routes(void)
{
	for (size_t i = 0; i < routes_count; i++) {
		const char *pattern = routes[i].pattern, *p = pattern;
		struct compiled_route *c = &compiled[i];
		if (*p != '/')
			route_mistake(pattern, "does not begin with /");
		while (*p == '/') {
			if (c->n == ROUTE_SEGMENTS_MAX)
				route_mistake(pattern, "has too many segments");
			p++;
			size_t pn = strcspn(p, "/");
			compile_segment(pattern, p, pn, &c->seg[c->n++]);
			p += pn;
		}
		c->implied = implied_collection(pattern);
		rows_of_length[c->n][rows_of_length_n[c->n]++] = (unsigned short)i;
	}
}

/* ---- matching ---------------------------------------------------------------------------- */

static const struct {
	const char *name;
	unsigned bit;
} methods[] = {
	{ "GET", RM_GET }, { "HEAD", RM_GET }, { "POST", RM_POST }, { "PATCH", RM_PATCH }, { "DELETE", RM_DELETE },
};

/* The names of the methods in bits (HEAD goes with GET), joined by sep. */
static void method_names(struct buf *out, unsigned bits, const char *sep)
{
	size_t start = out->len;
	for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
		if ((bits & methods[i].bit) && strcmp(methods[i].name, "HEAD") != 0)
			buf_printf(out, "%s%s", out->len > start ? sep : "", methods[i].name);
}

static unsigned method_bit(const char *name)
{
	for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
		if (strcmp(methods[i].name, name) == 0)
			return methods[i].bit;
	return 0; /* PUT, OPTIONS...: no row answers them */
}

/* A request's path cut into segments, with what its parameters were found
 * to be: rows with the same {collection} or {key} at the same place ask
 * the registry once. */
struct path_view {
	struct {
		const char *s;
		size_t n;
		/* what its first asked_len bytes are (a suffix such as ".csv" aside) */
		size_t asked_len;
		const struct entity *collection; /* as {collection} */
		const struct entity *key_of;     /* as {key}: a key of this collection, if key_ok */
		bool collection_asked, key_ok;
	} seg[ROUTE_SEGMENTS_MAX];
	int n; /* its number of segments; -1: more than any row has */
};

static void path_view_cut(const char *path, struct path_view *pv)
{
	pv->n = *path == '/' ? 0 : -1;
	for (const char *s = path; pv->n >= 0 && *s == '/';) {
		if (pv->n == ROUTE_SEGMENTS_MAX) {
			pv->n = -1;
			break;
		}
		s++;
		size_t n = strcspn(s, "/");
		pv->seg[pv->n].s = s;
		pv->seg[pv->n].n = n;
		pv->seg[pv->n].asked_len = SIZE_MAX;
		pv->n++;
		s += n;
	}
}

/* A candidate: the path's parameter values, where they are in the path. */
struct trial {
	struct {
		const char *name, *value;
		size_t value_len;
	} p[ROUTE_PARAMS_MAX];
	int n;
	unsigned score; /* 2 bits a segment: literal 2, parameter with a suffix 1, parameter 0 */
	const struct entity *e;
};

/* Is the value of segment i (vn bytes, its suffix aside) what the
 * parameter's name says: {collection} a collection, {key} a key of it, {id}
 * a positive integer? */
static bool parameter_valid(enum segment_kind kind, struct path_view *pv, int i, size_t vn, struct trial *t)
{
	if (kind == SEG_ANY)
		return true;
	char v[64];
	if (vn >= sizeof v)
		return false;
	memcpy(v, pv->seg[i].s, vn);
	v[vn] = '\0';
	if (pv->seg[i].asked_len != vn) { /* nothing known of these bytes yet */
		pv->seg[i].asked_len = vn;
		pv->seg[i].collection_asked = false;
		pv->seg[i].key_of = NULL;
	}
	if (kind == SEG_COLLECTION) {
		if (!pv->seg[i].collection_asked) {
			pv->seg[i].collection = ent_by_plural(v);
			pv->seg[i].collection_asked = true;
		}
		return (t->e = pv->seg[i].collection) != NULL;
	}
	if (kind == SEG_KEY) {
		if (!t->e)
			return false;
		if (pv->seg[i].key_of != t->e) {
			pv->seg[i].key_of = t->e;
			pv->seg[i].key_ok = dom_valid_key(t->e, v);
		}
		return pv->seg[i].key_ok;
	}
	long long id;
	return util_parse_ll(v, &id) && id > 0;
}

/* Does the path have the row's shape, segment by segment? */
static bool row_fits(const struct compiled_route *c, struct path_view *pv, struct trial *t)
{
	t->n = 0; /* (not the whole trial: every request tries every row) */
	t->score = 0;
	t->e = NULL;
	for (int i = 0; i < c->n; i++) {
		const struct pattern_segment *p = &c->seg[i];
		const char *s = pv->seg[i].s;
		size_t sn = pv->seg[i].n;
		if (p->kind == SEG_LITERAL) {
			if (p->len != sn || memcmp(p->text, s, sn) != 0)
				return false;
			t->score = t->score << 2 | 2;
			continue;
		}
		if (sn <= p->len || memcmp(s + sn - p->len, p->text, p->len) != 0 || t->n == ROUTE_PARAMS_MAX ||
		    !parameter_valid(p->kind, pv, i, sn - p->len, t))
			return false;
		t->score = t->score << 2 | (p->len ? 1 : 0);
		t->p[t->n].name = p->name;
		t->p[t->n].value = s;
		t->p[t->n].value_len = sn - p->len;
		t->n++;
	}
	if (!t->e)
		t->e = c->implied;
	return true;
}

void routes_match(const char *method, const char *path, struct route_match *m)
{
	pthread_once(&compiled_once, compile_routes);
	*m = (struct route_match){ 0 };
	unsigned bit = method_bit(method);
	struct path_view pv;
	path_view_cut(path, &pv);
	struct trial best = { 0 }, t;
	size_t rows = pv.n < 0 ? 0 : rows_of_length_n[pv.n];
	for (size_t k = 0; k < rows; k++) {
		size_t i = rows_of_length[pv.n][k];
		const struct route *r = &routes[i];
		if (!row_fits(&compiled[i], &pv, &t))
			continue;
		m->known = true;
		m->public_path |= (r->flags & R_PUBLIC) != 0;
		m->entity = m->entity ? m->entity : t.e;
		if ((r->flags & R_WRITES) && t.e && t.e->readonly)
			continue; /* a read-only collection: nobody writes it */
		m->allow |= r->methods;
		if ((r->methods & bit) && (!m->route || t.score > best.score)) {
			m->route = r;
			best = t;
		}
	}
	if (!m->route)
		return;
	m->entity = best.e;
	m->nparams = best.n;
	for (int i = 0; i < best.n; i++) {
		m->params[i].name = best.p[i].name;
		m->params[i].value = xstrndup(best.p[i].value, best.p[i].value_len);
	}
}

void route_match_release(struct route_match *m)
{
	for (int i = 0; i < m->nparams; i++)
		free(m->params[i].value);
	m->nparams = 0;
}

size_t routes_body_max(const struct route_match *m, bool signed_in)
{
	if (!signed_in)
		return ANON_BODY_MAX;
	return m->route && m->route->body_max ? m->route->body_max : BODY_MAX;
}

bool routes_hashes(const struct route_match *m)
{
	return m->route && (m->route->flags & R_HASHES);
}

/* ---- answers of the dispatcher ------------------------------------------------------------ */

static bool api_path(const char *path)
{
	return strncmp(path, "/api/", 5) == 0;
}

/* An error: JSON under /api/, else a page. */
static void refuse(struct request *req, struct response *resp, enum app_err e, const char *api_msg,
		   const char *page_msgid)
{
	if (api_path(req->path))
		resp_json_error(resp, e, api_msg, NULL);
	else
		page_error(req, resp, err_status(e), page_msgid);
}

static void not_found(struct request *req, struct response *resp)
{
	refuse(req, resp, APP_NOT_FOUND, "No such collection or record.", N_("No such page."));
}

static void may_not_read(struct request *req, struct response *resp)
{
	refuse(req, resp, APP_FORBIDDEN, "Your role may not read this collection.", N_("Your role may not see this page."));
}

/* Nobody is signed in: the API says so (401), a page sends to the sign-in
 * page, which comes back here afterwards. */
static void sign_in_first(struct request *req, struct response *resp)
{
	if (api_path(req->path)) {
		resp_json_error(resp, APP_UNAUTHORIZED, NULL, NULL);
		resp_header(resp, "WWW-Authenticate", API_AUTH_CHALLENGE);
		return;
	}
	struct buf next = BUF_INIT, url = BUF_INIT;
	req_url(req, &next);
	buf_adds(&url, "/login?next=");
	buf_url(&url, buf_cstr(&next));
	page_redirect(resp, buf_cstr(&url));
	buf_release(&next);
	buf_release(&url);
}

/* No row for this method (405, with the methods there are) or path (404). */
static void no_route(struct request *req, struct response *resp, const struct route_match *m)
{
	/* What is there is for those signed in to learn; the API, but for its
	 * few public rows, says nothing of itself to anyone else. */
	if ((m->known || api_path(req->path)) && !m->public_path && req->who.role == ROLE_PUBLIC) {
		sign_in_first(req, resp);
		return;
	}
	if (!m->known) {
		not_found(req, resp);
		return;
	}
	if (m->entity && !ent_can_read(m->entity, req->who.role)) { /* a collection's path: its readers' */
		may_not_read(req, resp);
		return;
	}
	refuse(req, resp, APP_METHOD, NULL, N_("This page cannot be changed that way."));
	struct buf allow = BUF_INIT;
	method_names(&allow, m->allow, ", ");
	resp_header(resp, "Allow", buf_cstr(&allow));
	buf_release(&allow);
}

/* A session signed in with a one-time password reaches only the rows
 * marked R_ONE_TIME (and assets): a page is sent to the change-password
 * page, the API answers 403 with a code of its own.  False when it
 * answered. */
static bool one_time_ok(struct request *req, struct response *resp, const struct route *r)
{
	if (!req->who.must_change || (r->flags & (R_ONE_TIME | R_NO_DB)))
		return true;
	if (api_path(req->path))
		resp_json_error_code(resp, 403, "password_change_required",
				     "This session was opened with a one-time password: set a new password first "
				     "(the account page, /account).");
	else
		page_redirect(resp, "/account");
	return false;
}

/* A session whose role must sign in with a one-time code, not set up yet,
 * reaches only the rows marked R_ENROL (and assets): a page is sent to the
 * enrolment page, the API answers 403 with a code of its own.  False when
 * it answered. */
static bool enrol_ok(struct request *req, struct response *resp, const struct route *r)
{
	/* a one-time password is replaced first (one_time_ok), then this */
	if (!req->who.must_enrol || req->who.must_change || (r->flags & (R_ENROL | R_NO_DB)))
		return true;
	if (api_path(req->path))
		resp_json_error_code(resp, 403, "two_factor_required",
				     "Your role signs in with a one-time code: set it up first (/account/2fa).");
	else
		page_redirect(resp, "/account/2fa");
	return false;
}

/* The access rule: signed in unless public, a new password first after a
 * one-time one, a browser session where the route says so, a role the
 * route admits, and the read (for R_WRITES the write) right on the
 * route's collection.  False when it answered. */
static bool may_call(struct request *req, struct response *resp, const struct route *r)
{
	enum role role = req->who.role;
	if (!(r->flags & R_PUBLIC) && role == ROLE_PUBLIC) {
		sign_in_first(req, resp);
		return false;
	}
	if (!one_time_ok(req, resp, r) || !enrol_ok(req, resp, r))
		return false;
	if ((r->flags & R_SESSION) && req->who.bearer) {
		not_found(req, resp);
		return false;
	}
	const struct entity *e = req->entity;
	if ((r->roles && !(r->roles & ROLE_BIT(role))) || (e && !ent_can_read(e, role))) {
		may_not_read(req, resp);
		return false;
	}
	if ((r->flags & R_WRITES) && e && !ent_can_write(e, role)) {
		refuse(req, resp, APP_FORBIDDEN, "Your role may not change this collection.", N_("Your role may not do this."));
		return false;
	}
	return true;
}

/* A form's _csrf field: in the urlencoded body or, on a route that takes
 * uploads, in a multipart part. */
static char *form_csrf(const struct request *req, const struct route *r)
{
	const char *ct = req->header(req, "Content-Type");
	char *token = NULL;
	if (r && (r->accepts == RB_MULTIPART || r->accepts == RB_FORMS) && mp_is_form_data(ct)) {
		struct mp_form parts = { 0 };
		const char *why;
		if (mp_parse(ct, req->body, req->body_len, &parts, &why))
			token = mp_text(&parts, "_csrf");
		mp_release(&parts);
	} else if (ct && util_prefix_ci(ct, "application/x-www-form-urlencoded")) {
		struct args form = { 0 };
		args_parse_form(&form, req->body, req->body_len);
		const char *t = args_get(&form, "_csrf");
		token = t ? xstrdup(t) : NULL;
		args_release(&form);
	}
	return token;
}

/* A write from a browser carries the session's CSRF token (a form on
 * another site cannot): a page's in its form, the API's in the
 * X-CSRF-Token header (an API token needs none).  A page's is checked
 * before anything else is said of the request, even whether there is such
 * a route or who may use it: a form without it has expired or came from
 * elsewhere, and sending it to the sign-in page would lose it.  False when
 * it answered 403. */
static bool csrf_ok(struct request *req, struct response *resp, const struct route *r, bool api)
{
	if (req_is_get(req) || (r && (r->flags & R_NO_CSRF)))
		return true;
	bool ok;
	if (api) {
		ok = req->who.bearer || auth_csrf_ok(&req->who, req->header(req, "X-CSRF-Token"));
	} else {
		char *token = form_csrf(req, r);
		ok = auth_csrf_ok(&req->who, token);
		free(token);
	}
	if (!ok)
		refuse(req, resp, APP_FORBIDDEN, "Writes with a browser session need the X-CSRF-Token header.",
		       N_("This form has expired or did not come from suivi; reload the page and try again."));
	return ok;
}

static const struct {
	const char *types[5]; /* accepted Content-Type prefixes */
	const char *refusal;  /* the 415's message (a msgid for pages) */
} bodies[] = {
	[RB_JSON] = { { "application/json" }, "Writes take Content-Type: application/json." },
	[RB_FORM] = { { "application/x-www-form-urlencoded" }, N_("This form was not sent as a web form.") },
	[RB_MULTIPART] = { { "multipart/form-data" }, N_("This form was not sent as a file upload.") },
	[RB_CSV] = { { "text/csv", "application/csv", "text/plain", XLSX_CONTENT_TYPE, "application/octet-stream" },
		     "Send the file as Content-Type: text/csv, or a workbook as " XLSX_CONTENT_TYPE "." },
	[RB_FORMS] = { { "application/x-www-form-urlencoded", "multipart/form-data" },
		       N_("This form was not sent as a web form.") },
	[RB_XML] = { { "application/xml", "text/xml" }, "Send the file as Content-Type: application/xml." },
};

/* Is ct (a Content-Type header) one of type's, parameters aside? */
static bool media_is(const char *ct, const char *type)
{
	size_t n = strlen(type);
	return strncasecmp(ct, type, n) == 0 && (!ct[n] || ct[n] == ';' || ct[n] == ' ');
}

/* A write's body is of a type the route takes; false when it answered 415. */
static bool body_ok(struct request *req, struct response *resp, const struct route *r)
{
	if (req_is_get(req) || r->accepts == RB_NONE || r->accepts == RB_ANY)
		return true;
	const char *ct = req->header(req, "Content-Type");
	for (int i = 0; ct && i < 5 && bodies[r->accepts].types[i]; i++)
		if (media_is(ct, bodies[r->accepts].types[i]))
			return true;
	refuse(req, resp, APP_MEDIA_TYPE, bodies[r->accepts].refusal, bodies[r->accepts].refusal);
	return false;
}

/* The cache key of a GET: who asks (what an answer holds depends on the
 * role, a focal point's country, a donor's organisation), the reader's
 * language (labels are written in it) and the path with its arguments as
 * given. */
static char *cache_key(const struct request *req)
{
	struct buf k = BUF_INIT; /* role:country:organisation:language|url, without printf (every cached answer) */
	buf_adds(&k, role_name[req->who.role]);
	buf_addc(&k, ':');
	buf_adds(&k, req->who.country);
	buf_addc(&k, ':');
	buf_add_ll(&k, req->who.organisation);
	buf_addc(&k, ':');
	buf_adds(&k, lang_code[req->lang]);
	buf_addc(&k, '|');
	req_url(req, &k);
	return buf_detach(&k);
}

static void header_into(const struct response *resp, const char *name, char *out, size_t n)
{
	for (int i = 0; i < resp->nh; i++)
		if (strcmp(resp->h[i].name, name) == 0)
			snprintf(out, n, "%s", resp->h[i].value);
}

/* An R_CACHE route: served from the cache while nothing was written since
 * (req->generation, read by the server for this request); a 200 is kept. */
static void serve_cached(struct request *req, struct response *resp, const struct route *r)
{
	char *key = cache_key(req);
	struct cached_response c = { 0 };
	if (cache_get(req->app->cache, key, req->generation, &c)) {
		resp->status = c.status;
		resp->content_type = c.content_type;
		resp->shared = c.body; /* the response's reference now */
		if (c.etag[0])
			resp_header(resp, "ETag", c.etag);
		if (c.disposition[0])
			resp_header(resp, "Content-Disposition", c.disposition);
	} else {
		r->handler(req, resp);
		if (resp->status == 200) {
			c = (struct cached_response){ .status = 200, .content_type = resp->content_type };
			header_into(resp, "ETag", c.etag, sizeof c.etag);
			header_into(resp, "Content-Disposition", c.disposition, sizeof c.disposition);
			cache_put(req->app->cache, key, req->generation, &c, resp->body.data, resp->body.len);
		}
	}
	free(key);
}

void routes_dispatch(struct request *req, struct response *resp, const struct route_match *m)
{
	const struct route *r = m->route;
	bool api = api_path(req->path);
	resp->status = 200;
	resp->content_type = api ? "application/json" : NULL;
	/* Every answer but a few reads the database: when it could not be
	 * reached (the server found out reading the change counter), say so
	 * once rather than answer with what is missing. */
	if (req->db_unavailable && !(r && (r->flags & R_NO_DB))) {
		refuse(req, resp, APP_UNAVAILABLE, "The database is not available; try again shortly.",
		       N_("The database is not available; try again shortly."));
		resp_header(resp, "Retry-After", "5");
		return;
	}
	if (!api && !csrf_ok(req, resp, r, false))
		return;
	if (!r) {
		no_route(req, resp, m);
		return;
	}
	req->entity = m->entity;
	req->nparams = m->nparams;
	memcpy(req->params, m->params, sizeof req->params);
	if (!may_call(req, resp, r) || (api && !csrf_ok(req, resp, r, true)) || !body_ok(req, resp, r))
		return;
	if ((r->flags & R_CACHE) && req_is_get(req))
		serve_cached(req, resp, r);
	else
		r->handler(req, resp);
}

/* ---- the table for people ---------------------------------------------------------------- */

static void print_access(struct buf *out, const struct route *r)
{
	if (r->flags & R_PUBLIC) {
		buf_adds(out, "public");
	} else if (r->roles) {
		int n = 0;
		for (int i = 0; i < ROLE__MAX; i++)
			if (r->roles & ROLE_BIT(i))
				buf_printf(out, "%s%s", n++ ? "," : "", role_name[i]);
	} else {
		buf_adds(out, r->flags & R_SESSION ? "session" : "signed-in");
	}
}

void routes_print(FILE *out)
{
	static const char *const accepts[] = { "", "json", "form", "multipart", "csv", "xml", "any", "forms" };
	static const struct {
		unsigned flag;
		const char *name;
	} flags[] = { { R_CACHE, "cache" }, { R_WRITES, "writes" }, { R_HASHES, "hashes" }, { R_NO_DB, "no-db" },
		      { R_ONE_TIME, "one-time" }, { R_ENROL, "enrol" } };
	struct buf line = BUF_INIT;
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *r = &routes[i];
		buf_reset(&line);
		method_names(&line, r->methods, ",");
		buf_printf(&line, "\t%s\t", r->pattern);
		print_access(&line, r);
		size_t max = r->body_max ? r->body_max : BODY_MAX;
		buf_printf(&line, "\t%s", r->methods != RM_GET && !(r->flags & R_NO_CSRF) ? "csrf" : "-");
		if (r->accepts != RB_NONE)
			buf_printf(&line, "\t%zu%s %s", max % (1024 * 1024) ? max / 1024 : max / (1024 * 1024),
				   max % (1024 * 1024) ? "KiB" : "MiB", accepts[r->accepts]);
		else
			buf_adds(&line, "\t-");
		buf_addc(&line, '\t');
		size_t start = line.len;
		for (size_t k = 0; k < sizeof flags / sizeof *flags; k++)
			if (r->flags & flags[k].flag)
				buf_printf(&line, "%s%s", line.len > start ? "," : "", flags[k].name);
		buf_printf(&line, "%s\t%s\n", line.len > start ? "" : "-", r->summary ? r->summary : "");
		fputs(buf_cstr(&line), out);
	}
	buf_release(&line);
}
