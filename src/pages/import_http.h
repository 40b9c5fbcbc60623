/* import_http.h — CSV import of needs over HTTP (import_http.c): the API
 * route POST /api/v1/needs/import (called by api.c after authentication
 * and the CSRF check) and the page /needs/import (called by web.c after
 * the session and CSRF checks). */
#ifndef SUIVI_IMPORT_HTTP_H
#define SUIVI_IMPORT_HTTP_H
#include <stdbool.h>

#include "buf.h"
#include "route.h"
#include "i18n.h"
#include "import.h"

route_fn import_api, import_page;

/* ---- what every CSV import over HTTP shares (the training imports too) ---- */

#define IMPORT_API_ROWS_MAX 1000  /* problems listed in a 422 */
#define IMPORT_PAGE_ROWS_MAX 300  /* problems listed on a page (pages < 100 kB) */

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
/* Answers 403 with refusal and returns false unless allowed (the route
 * table has checked the method and the Content-Type). */
bool import_api_allowed(struct response *resp, bool allowed, const char *refusal);
/* An API import's start: c collects up to IMPORT_API_ROWS_MAX problems
 * as JSON; o imports as the caller, names the file from ?name= and tells
 * c the problems; answers the reader of the body's CSV (csvin_free it). */
struct csvin *import_api_start(struct request *req, struct import_collected *c, struct import_opts *o);
/* Answers 422 "nothing was imported" with every problem collected. */
void import_api_invalid(struct response *resp, long long errors, long long bad_rows, long long checked,
			struct import_collected *c);

#endif
