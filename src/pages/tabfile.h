/* tabfile.h — a page's table as a file to save, CSV or XLSX as the request's
 * path ends (/needs/gaps.csv, /needs/gaps.xlsx): one fill function writes
 * the table (tab.h), whichever the format, so that the twins cannot
 * disagree. */
#ifndef SUIVI_TABFILE_H
#define SUIVI_TABFILE_H
#include <stdbool.h>

#include "http.h"
#include "tab.h"

/* Writes the table into t (header first); APP_OK, or the error that
 * stopped it (the answer is then a 503 or 507 and no file). */
typedef enum app_err (*tabfile_fill)(struct request *req, struct tab *t, void *ctx);

/* Did the request ask for the row of HXL hashtags (?hxl=true)? */
bool tabfile_hxl(const struct request *req);

/* Answers the table fill writes as NAME.csv (after a byte-order mark when
 * bom: spreadsheets then read UTF-8) or NAME.xlsx (a sheet named sheet, a
 * msgid, in the reader's language, right to left in Arabic), as the
 * request's path ends; 400 when ?hxl= is neither true nor false. */
void tabfile_answer(struct request *req, struct response *resp, const char *name, const char *sheet, bool bom,
		    tabfile_fill fill, void *ctx);

#endif
