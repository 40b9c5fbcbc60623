/* review.h — review before it counts (issue 18).  A needs assessment, a
 * progress update and an indicator period carry a review state (model.c's
 * REVIEW fields): what staff write is approved at once; what anyone else
 * writes — a focal point's assessment, an update sent by a progress link —
 * is submitted, and counts nowhere (the matrix, the map, the gaps, the
 * results, the IATI file, the follow-up, what donors and the public read)
 * until an officer approves it, or returns it with a comment for its
 * submitter to correct and submit again.  Each step is audited ("approve",
 * "return") and told by e-mail: the officers hear once a day that entries
 * wait, the submitter that one came back. */
#ifndef SUIVI_REVIEW_H
#define SUIVI_REVIEW_H
#include <stdbool.h>

#include "app.h"
#include "auth.h"
#include "entity.h"
#include "record.h"

/* Does e carry a review state? */
bool review_applies(const struct entity *e);

/* Stamps r, about to be written by who (actor: its name in the audit
 * trail): a create by staff is approved; any write by someone else is
 * submitted now, by actor.  changed (an update's) marks the fields set.
 * True when r was submitted: then the officers are told (notify.h:
 * notify_review_waiting, in the write's transaction). */
bool review_stamp(struct record *r, const struct principal *who, const char *actor, bool create, bool *changed);

/* An officer's decision on record key of e: approve (comment optional) or
 * return it to its submitter (comment required: field error "comment",
 * APP_INVALID).  APP_FORBIDDEN for anyone but staff; APP_NOT_FOUND when e
 * is not reviewed or has no such record; APP_CONFLICT when the record
 * waits for no decision (approved, or returned and being returned again). */
MUST_CHECK enum app_err review_decide(struct app *app, const struct entity *e, const char *key, bool approve,
				      const char *comment, const struct principal *who, struct ferrs *errs);

#endif
