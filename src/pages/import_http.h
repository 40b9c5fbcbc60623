/* import_http.h — CSV imports over HTTP (import_http.c): the API routes
 * POST /api/v1/COLLECTION/import (needs, and every collection that can be
 * imported: imports.h; ?dry_run=true checks and counts, writes nothing),
 * and the page /needs/import; what the training imports' pages share. */
#ifndef SUIVI_IMPORT_HTTP_H
#define SUIVI_IMPORT_HTTP_H
#include <stdbool.h>

#include "buf.h"
#include "route.h"
#include "i18n.h"
#include "import.h"
#include "args.h"
#include "entity.h"

route_fn import_api, import_collection_api, import_page, import_collection_page;

/* ---- what every CSV import over HTTP shares (the training imports too) ---- */

#define IMPORT_API_ROWS_MAX 1000  /* problems listed in a 422 */
#define IMPORT_PAGE_ROWS_MAX 300  /* problems listed on a page (pages < 100 kB) */
#define IMPORT_PAGE_TEXT_MAX (32 * 1024) /* the CSV shown again in a page's form */

/* The problems of an import, kept as the caller shows them: give
 * import_collect_json or import_collect_html as import_opts.on_error and a
 * struct import_collected as its err_ctx; release out after. */
struct import_collected {
	struct buf out;
	size_t n, max;
	enum lang lang; /* of the HTML messages */
};
void import_collect_json(void *ctx, const struct import_err *e);
void import_collect_html(void *ctx, const struct import_err *e);
/* The file name a client gives (for the audit entry), if it is decent
 * text, else "upload.csv". */
const char *import_file_name(const char *given);
/* What an import page says when the database refused the rows: its disk
 * is full, or it is unavailable (translated). */
const char *import_page_refusal(const struct request *req, enum app_err rc);
/* An import page's answer when nothing was imported: the status, the
 * summary (errors in bad_rows of checked rows, or why the database refused)
 * and the table of the problems c collected, saying how many more there
 * were beyond c->max. */
void import_page_failure(const struct request *req, struct response *resp, enum app_err rc, long long errors,
			 long long bad_rows, long long checked, const struct import_collected *c);
/* An import page's form: the CSV pasted (or read from a file by
 * import.js) into a box that starts with csv, posted to action; a link
 * to cancel when cancel (a local path) is not NULL. */
void import_csv_form(struct request *req, struct buf *b, const char *action, const char *csv, const char *cancel);
/* The paragraph on bringing back an exported list (the round trip). */
void import_round_trip_help(struct request *req, struct buf *b);
/* Was the form posted by its button "Check without importing"? */
bool import_form_dry_run(const struct args *form);
/* What an import created, updated and left unchanged (dry: would have), as
 * a status paragraph. */
void import_page_counts(const struct request *req, struct buf *b, const struct import_result *res, bool dry);
/* The form again after a check or a failure, with the text when it is
 * small enough for a page (IMPORT_PAGE_TEXT_MAX), else asking for the file. */
void import_page_recheck(struct request *req, struct buf *b, const char *action, const char *text,
			 const char *cancel);
/* Answers 403 with refusal and returns false unless allowed (the route
 * table has checked the method and the Content-Type). */
bool import_api_allowed(struct response *resp, bool allowed, const char *refusal);
/* POST /api/v1/COLLECTION/import of e, the CSV in the body, ?dry_run=
 * true|false, ?name= the file's name for the audit entry: 200 with what
 * was (or would be) created, updated and left unchanged; 422 with every
 * problem (up to IMPORT_API_ROWS_MAX); 403 for a role that may not. */
void import_api_of(struct request *req, struct response *resp, const struct entity *e);

#endif
