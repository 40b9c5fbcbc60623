/* forum.h — the Forum of technical-assistance beneficiaries and donors
 * (DESIGN M5): its evaluation form and its report.
 *
 *   GET  /forum/ID/evaluate[?rater=…&country=CC|organisation=N][&programme=P]
 *        the programmes the rater may rate, or the sheet of one (ID is a
 *        meeting of kind forum, else 404).  A focal point rates as its
 *        country the programmes whose beneficiary countries include it; a
 *        donor rates as its organisation the programmes it funds; staff
 *        choose the country or the donor they enter a sheet for.
 *   POST /forum/ID/evaluate   saves the sheet (creates it, or updates the
 *        rater's existing one: one sheet per rater and programme), through
 *        dom_create / dom_update; field errors are shown next to fields.
 *   GET  /forum/ID/report     the forum report (report/forum_report.c, forum_report.h), A4.
 *
 * Who sees the report: every signed-in role.  A donor sees only the
 * programmes it funds; others all the programmes.  Scores are aggregates
 * (means with their n).  Comments are attributed to their country or donor
 * for staff only; others read them unattributed ("a beneficiary state", "a
 * donor").  The open needs a programme answers are listed for who may read
 * them (staff all, a focal point its country's); others see their number. */
#ifndef SUIVI_FORUM_H
#define SUIVI_FORUM_H
#include <stdbool.h>

#include "app.h"
#include "buf.h"
#include "route.h"
#include "i18n.h"

/* The six OECD-DAC criteria, in their order (evaluation field names). */
#define FORUM_CRITERIA 6
extern const char *const forum_criteria[FORUM_CRITERIA];
/* Their names and one-line explanations (msgids). */
extern const char *const forum_criteria_label[FORUM_CRITERIA];
extern const char *const forum_criteria_help[FORUM_CRITERIA];

/* GET|POST /forum/{id}/evaluate (routes.c).  The report is report.h's. */
route_fn forum_evaluate;

/* The forum the path's {id} names: false when it answered 404 (no such
 * meeting, or one of another kind) or 503. */
bool forum_of_path(struct request *req, struct response *resp, long long *id);

#endif
