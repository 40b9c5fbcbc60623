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
#include "multipart.h"

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
/* What an import page's form sent, urlencoded (the pasted CSV) or as a
 * file upload (multipart/form-data): an Excel workbook chosen, or kept
 * from a check; a CSV file, taken as if pasted. */
struct import_form {
	struct args args;      /* an urlencoded form's fields */
	struct mp_form parts;  /* a multipart form's parts */
	char *owned[6];        /* the texts of parts */
	unsigned char *kept;   /* a kept workbook, decoded */
	const char *csv;       /* the pasted text ("" when none) */
	const char *name;      /* the file's name (import_file_name) */
	const char *sheet;     /* the sheet asked for ("" when none) */
	const char *file;      /* a workbook's bytes, or NULL */
	size_t file_len;
	bool dry_run;          /* posted by "Check without importing" */
};
void import_form_read(struct request *req, struct import_form *f);
void import_form_release(struct import_form *f);
/* The reader of what f sent: the workbook, else the text. */
struct csvin *import_form_reader(const struct import_form *f);
/* An import page's form (a file to choose, a sheet, a box for pasted
 * CSV that starts with f's text; f NULL: empty), posted to action; a link
 * to cancel when cancel (a local path) is not NULL.  A workbook f sent
 * (small enough) goes back with it, so that Import follows a check. */
void import_csv_form(struct request *req, struct buf *b, const char *action, const struct import_form *f,
		     const char *cancel);
/* The link to e's workbook to fill in (template.h). */
void import_template_link(struct request *req, struct buf *b, const struct entity *e);
/* The paragraph on bringing back an exported list (the round trip). */
void import_round_trip_help(struct request *req, struct buf *b);
/* What an import created, updated and left unchanged (dry: would have), as
 * a status paragraph. */
void import_page_counts(const struct request *req, struct buf *b, const struct import_result *res, bool dry);
/* The form again after a check or a failure, with the text when it is
 * small enough for a page (IMPORT_PAGE_TEXT_MAX), else asking for the file. */
void import_page_recheck(struct request *req, struct buf *b, const char *action, const struct import_form *f,
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
