/* event.h — conferences, forums and workshops (DESIGN M5): what their
 * record page adds to the generic one, and their badges.
 *
 * A meeting of kind conference, forum or workshop shows its registrations
 * (person, organisation, country, role, attended) with counts by role and
 * by country, attended against registered.  Staff tick attendance for many
 * at once (one form, one transaction) and register a person; a focal point
 * sees its own country's registrations, a donor the counts only.  The
 * outcomes and their follow-up come from cycle.c, as for a dialogue.
 *
 *   POST /meetings/ID/attendance   staff: reg=ID… (the rows shown),
 *                                  attended=ID… (those ticked)
 *   POST /meetings/ID/register     staff: person | person_number,
 *                                  organisation, country, role
 *   GET  /meetings/ID/badges       staff: badges to print, 8 per A4 page
 *   GET  /meetings/ID/badges.csv   staff: the same as CSV */
#ifndef SUIVI_EVENT_H
#define SUIVI_EVENT_H
#include <stdbool.h>

#include "buf.h"
#include "route.h"

/* The sections of the record page of meeting `key` (nothing for a
 * strategic dialogue). */
void event_meeting_sections(struct request *req, struct buf *b, const char *key);

/* The routes above (routes.c: staff only). */
route_fn event_attendance, event_register, event_badges, event_badges_csv;

/* A page that says why a request was refused: status and an English msgid. */
void event_problem(struct request *req, struct response *resp, int status, const char *msgid);

/* The kind of meeting id into kind ("forum", …); APP_NOT_FOUND when none. */
MUST_CHECK enum app_err event_meeting_kind(struct app *app, long long id, char kind[24]);

#endif
