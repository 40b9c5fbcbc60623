/* seal_http.h — sealed editions (seal.h) on pages and in the API:
 *
 *   POST /meetings/{id}/seal           seal a strategic dialogue edition (staff)
 *   GET  /meetings/{id}/seal.json      its seal file, to whoever reads the meeting
 *   POST /api/v1/meetings/{id}/seal    the same as JSON: 201 with the file
 *   GET  /api/v1/meetings/{id}/seal    the file, 404 when not sealed
 *
 * and the section of the edition's page that shows the seal, or the button
 * that makes it. */
#ifndef SUIVI_SEAL_HTTP_H
#define SUIVI_SEAL_HTTP_H
#include "route.h"

route_fn seal_post, seal_file_page, seal_api_post, seal_api_get;

/* The "Seal" section of meeting id's page (a strategic dialogue's). */
void seal_section(struct request *req, struct buf *b, long long id);

/* The seal file of meeting id into file; false when it has none (or the
 * database did not answer). */
bool seal_read(struct request *req, long long id, struct buf *file, char sealed_at[21]);

#endif
