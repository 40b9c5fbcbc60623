/* followup_pdf.h — the follow-up report of an edition as PDF (pdf.h): its
 * header, the actions by status (a table and a bar), the follow-up by
 * outcome and the late actions, in lang, on A4 pages, right to left in
 * Arabic.  GET /meetings/{id}/report.pdf (report_pdf_page, for whoever may
 * read the report) and `suivi report followup --format pdf`.  The charts
 * of the burn-down and the gap analysis are on the page and in the HTML
 * file only. */
#ifndef SUIVI_FOLLOWUP_PDF_H
#define SUIVI_FOLLOWUP_PDF_H
#include "app.h"
#include "buf.h"
#include "err.h"
#include "i18n.h"
#include "route.h"

/* The report of meeting at the end of out; APP_NOT_FOUND when there is no
 * such meeting. */
MUST_CHECK enum app_err report_followup_pdf(struct app *app, long long meeting, enum lang lang, struct buf *out);

/* GET /meetings/{id}/report.pdf */
void report_pdf_page(struct request *req, struct response *resp);

#endif
