/* api.h — the JSON API's collection routes (api.c): every collection of
 * the registry under /api/v1/{collection}, named by the route table
 * (routes.c), which sets req->entity from the path. */
#ifndef SUIVI_API_H
#define SUIVI_API_H
#include "err.h"
#include "route.h"

/* GET /api/v1/: the collections the caller may read. */
route_fn api_index;
/* GET /api/v1/{collection}, {collection}.csv and {collection}/{id}. */
route_fn api_list, api_csv, api_xlsx, api_get;
/* POST /api/v1/{collection}, PATCH and DELETE /api/v1/{collection}/{id}. */
route_fn api_create, api_update, api_delete;
/* POST /api/v1/audit/{id}/restore: a deleted record back from its audit entry. */
route_fn api_restore;

#endif
