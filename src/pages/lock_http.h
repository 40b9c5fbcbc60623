/* lock_http.h — locked reporting periods (store_lock.h) on pages and in
 * the API:
 *
 *   POST   /programmes/{id}/lock         lock as of the form's date (staff)
 *   POST   /programmes/{id}/unlock       unlock (administrators)
 *   GET    /api/v1/programmes/{id}/lock  the lock, {"locked": false} when none
 *   POST   /api/v1/programmes/{id}/lock  {"as_of": "YYYY-MM-DD"} (staff)
 *   DELETE /api/v1/programmes/{id}/lock  unlock (administrators)
 *
 * and the same under /meetings/{id}.  An officer may lock, or move a lock
 * later; only an administrator moves it earlier or removes it. */
#ifndef SUIVI_LOCK_HTTP_H
#define SUIVI_LOCK_HTTP_H
#include "route.h"
#include "store_lock.h"

route_fn lock_programme_post, lock_programme_unlock, lock_meeting_post, lock_meeting_unlock;
route_fn lock_programme_api, lock_meeting_api;

/* The "Locked period" section of programme or meeting id's page. */
void lock_section(struct request *req, struct buf *b, enum lock_scope scope, long long id);

#endif
