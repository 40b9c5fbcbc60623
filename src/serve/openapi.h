/* openapi.h — the OpenAPI 3.1 document of the API, from the route table
 * (route.h) and the registry. */
#ifndef SUIVI_OPENAPI_H
#define SUIVI_OPENAPI_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "entity.h"
#include "route.h"

/* Every row of table under /api/v1 (a {collection} row once per
 * collection), grouped by path. */
void openapi_write(struct buf *out, const struct route *table, size_t n);

/* The operations of a collection's rows (struct route's doc): false when
 * e has none (a read-only collection is not written). */
bool openapi_list(struct buf *out, const struct entity *e);
bool openapi_csv(struct buf *out, const struct entity *e);
bool openapi_create(struct buf *out, const struct entity *e);
bool openapi_upload(struct buf *out, const struct entity *e);
bool openapi_import(struct buf *out, const struct entity *e);
bool openapi_xlsx(struct buf *out, const struct entity *e);
bool openapi_get(struct buf *out, const struct entity *e);
bool openapi_update(struct buf *out, const struct entity *e);
bool openapi_delete(struct buf *out, const struct entity *e);
/* An officer's decision on a reviewed record (review.h); false for others. */
bool openapi_approve(struct buf *out, const struct entity *e);
bool openapi_return(struct buf *out, const struct entity *e);

#endif
