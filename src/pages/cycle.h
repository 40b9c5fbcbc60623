/* cycle.h — the annual cycle of the strategic dialogue (DESIGN M1–M2): what
 * an edition's record page adds to the generic one.
 *
 * An edition shows its strategic priorities side by side in French and
 * English, the follow-up status of each outcome, and — when it follows an
 * earlier edition (meeting.previous) — the review of last year's
 * commitments: every action of the previous edition not done or dropped,
 * with its dated history.  Staff open the next edition from here: a new
 * meeting form preset from this one (kind, edition + 1, a year later, same
 * venue, co-chairs and delegations, previous = this one). */
#ifndef SUIVI_CYCLE_H
#define SUIVI_CYCLE_H
#include "buf.h"
#include "http.h"

/* The sections of the record page of meeting `key`. */
void cycle_meeting_sections(struct request *req, struct buf *b, const char *key);

#endif
