/* forum_report.h — the report of a forum (forum_report.c; what it holds:
 * forum.h).  Apart from report.h, whose document and header helpers
 * forum_report.c uses, so that report.c does not include what
 * forum_report.c defines. */
#ifndef SUIVI_FORUM_REPORT_H
#define SUIVI_FORUM_REPORT_H

#include "app.h"
#include "buf.h"
#include "i18n.h"
#include "report_out.h"
#include "route.h"

/* Appends the report of forum `meeting` in lang to out, as who may see it
 * (NULL: everything, for the command line); *title receives its title as
 * plain text.  APP_NOT_FOUND when meeting is not a forum. */
MUST_CHECK enum app_err forum_report(struct app *app, long long meeting, enum lang lang, const struct principal *who,
			  struct buf *out, struct buf *title);
/* The standalone HTML document of the report (stylesheets inlined). */
MUST_CHECK enum app_err forum_report_document(struct app *app, long long meeting, enum lang lang, struct buf *out);
/* The report as a PDF or a workbook (forum_file.c), as who may see it
 * (NULL: the system).  APP_NOT_FOUND when meeting is not a forum,
 * APP_UNAVAILABLE when the PDF libraries cannot be loaded. */
MUST_CHECK enum app_err forum_report_file(struct app *app, long long meeting, enum lang lang, const struct principal *who,
					  enum rout_format format, struct buf *out);

/* GET /forum/{id}/report (routes.c); GET /forum/{id}/report.pdf and
 * /forum/{id}/report.xlsx. */
route_fn forum_report_route, forum_report_file_route;

#endif
