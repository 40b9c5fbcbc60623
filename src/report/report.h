/* report.h — the follow-up report of one edition (meeting): summary table,
 * per-outcome action status, late actions with their owners, progress since
 * the previous edition, and SVG charts (status bars, a burn-down of open
 * actions).  The same content is served as a page (GET /meetings/ID/report,
 * printable on A4) and written by `suivi report followup` as a standalone
 * HTML file. */
#ifndef SUIVI_REPORT_H
#define SUIVI_REPORT_H
#include <stdbool.h>

#include "app.h"
#include "buf.h"
#include "i18n.h"
#include "route.h"

/* Appends the report of meeting in lang to out: one <article
 * class="report">, the same on the page and in the file.  *title (when
 * non-NULL) receives the report's title as plain text.  The gap analysis in
 * it is what `who` may see (NULL: the system, from the command line).  APP_NOT_FOUND when
 * there is no such meeting; other errors are the database's. */
MUST_CHECK enum app_err report_followup(struct app *app, long long meeting, enum lang lang,
			     const struct principal *who, struct buf *out, struct buf *title);

/* The standalone HTML document of the report (<html lang dir>, the
 * stylesheets inlined in a <style> element), for files. */
MUST_CHECK enum app_err report_followup_document(struct app *app, long long meeting, enum lang lang,
				      struct buf *out);

/* What writes a report's body and title: report_followup, forum_report. */
typedef enum app_err report_fn(struct app *app, long long meeting, enum lang lang, const struct principal *who,
			       struct buf *out, struct buf *title);

/* A report's standalone HTML document, for files: the report fn writes of
 * meeting as the system sees it, in <html lang dir> with its title, the
 * stylesheets named by css[] (assets, NULL-terminated) inlined in a
 * <style> element, the report in <main>.  fn's errors. */
MUST_CHECK enum app_err report_document(struct app *app, report_fn *fn, long long meeting, enum lang lang,
			     const char *const *css, struct buf *out);

/* Ends a report's header (the follow-up report's and the forum's): the
 * venue (may be NULL), the date the figures are of (today), the note on
 * sample data, then closes the <header> the caller opened with its
 * <p class="meta">. */
void report_header_end(struct buf *b, enum lang lang, const char *venue);

/* Lists in a report stop here (its page and its files): a printed report
 * of 10⁵ rows helps no one, and the board has them all. */
#define REPORT_ROWS 100

/* The previous edition's actions, counted as store_followup_progress
 * gives them (report.c and followup_file.c): how many, how many were closed
 * by the start of this edition (start), how many are closed now. */
struct report_progress {
	long long n, closed_then, closed_now;
};
struct row;
/* Counts row in p; answers whether it is to be listed (the first
 * REPORT_ROWS). */
bool report_progress_count(struct report_progress *p, const struct row *row, const char *start);
/* The sentence that sums p up after the list, appended to b in lang. */
void report_progress_sentence(struct buf *b, enum lang lang, const struct report_progress *p);

/* Keeps a long series of the burn-down readable (and the page light):
 * past 60 points, the first point and the last point of each month.
 * Answers the points kept, at the start of p. */
struct store_followup_point;
int report_thin_points(struct store_followup_point *p, int n);

/* The line under a report's title in its files (PDF, XLSX): the date the
 * figures are of (today) and the note on sample data, appended to b. */
void report_notes_end(struct buf *b, enum lang lang);

/* GET /meetings/{id}/report (routes.c). */
route_fn report_page;

#endif
