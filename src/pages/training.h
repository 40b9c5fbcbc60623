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
#include "route.h"

/* Rows of the results grid on one page (a page stays under 100 kB). */
#define GRID_PAGE 40
/* Rows of the roster on a session's record page. */
#define ROSTER_MAX 100

/* Routes (routes.c): GET /catalogue; GET|POST /sessions/{id}/results and
 * GET /enrolments/{id}/certificate (staff); GET /verify, /verify/{number}
 * and /api/v1/verify/{number} for anyone. */
route_fn training_catalogue_page, training_grid_page, training_certificate_page;
route_fn training_verify_page, training_verify_api;

/* The sections of the record pages of a session and of a participant. */
void training_session_sections(struct request *req, struct buf *b, const char *key);
void training_participant_sections(struct request *req, struct buf *b, const char *key);

#endif
