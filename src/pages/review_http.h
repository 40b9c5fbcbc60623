/* review_http.h — review before it counts (review.h) on pages and in the API:
 *
 *   GET  /review                             the review queue: for staff, what waits, oldest
 *                                            first; for a focal point, its own entries waiting
 *                                            or returned
 *   POST /review                             approve or return the entries ticked (staff)
 *   POST /{collection}/{key}/review          approve or return one entry (staff)
 *   POST /api/v1/{collection}/{key}/approve  {"comment": "…"} optional (staff)
 *   POST /api/v1/{collection}/{key}/return   {"comment": "…"} required (staff)
 *
 * and the "Review" section of a reviewed record's page. */
#ifndef SUIVI_REVIEW_HTTP_H
#define SUIVI_REVIEW_HTTP_H
#include "route.h"

route_fn review_queue_page, review_queue_post, review_record_post, review_api_approve, review_api_return;

/* The review section of record key of e (a reviewed entity's page). */
void review_section(struct request *req, struct buf *b, const struct entity *e, const char *key);

#endif
