/* training.h — the Programme Office's training pages (DESIGN M4):
 *
 *   GET  /catalogue                      courses by theme with their next sessions (signed in)
 *   GET  /sessions/ID/results            the results grid of a session (staff)
 *   POST /sessions/ID/results            one row saved (enrolment, _version and the
 *                                        values), or a participant added (_do=add,
 *                                        participant); 303 back to the grid, or the
 *                                        grid again with the errors in the row
 *   GET  /enrolments/ID/certificate      printable bilingual certificate (staff)
 *   GET  /verify, /verify/NUMBER,        public: is this certificate number valid,
 *        /verify?number=NUMBER           for which course and dates (nothing personal)
 *   GET  /api/v1/verify/NUMBER           the same as JSON, public
 *
 * and what a session's and a participant's record pages add (web.c
 * record_extras).  Every write goes through domain.c (dom_update,
 * dom_create): the grid's validation, authorisation, audit trail and
 * stale-version refusal are the API's.  Certificate numbers are given by
 * the store (store_training.h). */
#ifndef SUIVI_TRAINING_H
#define SUIVI_TRAINING_H
#include <stdbool.h>

#include "buf.h"
#include "http.h"

/* Rows of the results grid on one page (a page stays under 100 kB). */
#define GRID_PAGE 40
/* Rows of the roster on a session's record page. */
#define ROSTER_MAX 100

/* /catalogue, /sessions/ID/results, /enrolments/ID/certificate for a
 * signed-in person; false when the path is another. */
bool training_route(struct request *req, struct response *resp);
/* /verify for anyone, signed in or not; false when the path is another. */
bool training_public_route(struct request *req, struct response *resp);
/* GET /api/v1/verify/NUMBER for anyone (rest: what follows "/verify/"). */
void training_verify_api(struct request *req, struct response *resp, const char *rest);

/* The sections of the record pages of a session and of a participant. */
void training_session_sections(struct request *req, struct buf *b, const char *key);
void training_participant_sections(struct request *req, struct buf *b, const char *key);

#endif
