/* followup_file.h — the follow-up report of an edition as a file to send
 * (report_out.h): a PDF of its sections — the summary with a bar of the
 * actions by status, the follow-up by outcome, the late actions, the
 * progress since the previous edition, the open actions over time as a
 * chart and the gap analysis with a chart of the gaps by theme — on A4
 * pages, right to left in Arabic; or a workbook of the same tables, one
 * sheet each.  GET /meetings/{id}/report.pdf and report.xlsx (for whoever
 * may read the report), `suivi report followup --format pdf|xlsx`. */
#ifndef SUIVI_FOLLOWUP_FILE_H
#define SUIVI_FOLLOWUP_FILE_H
#include "app.h"
#include "buf.h"
#include "err.h"
#include "i18n.h"
#include "report_out.h"
#include "route.h"

/* The report of meeting at the end of out, its gap analysis as who may see
 * it (NULL: the system); APP_NOT_FOUND when there is no such meeting,
 * APP_UNAVAILABLE when the PDF libraries cannot be loaded. */
MUST_CHECK enum app_err report_followup_file(struct app *app, long long meeting, enum lang lang,
					     const struct principal *who, enum rout_format format, struct buf *out);

/* GET /meetings/{id}/report.pdf, /meetings/{id}/report.xlsx */
void report_file_page(struct request *req, struct response *resp);

#endif
