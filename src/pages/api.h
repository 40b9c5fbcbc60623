/* api.h — the JSON API's collection routes (api.c): every collection of
 * the registry under /api/v1/{collection}, named by the route table
 * (routes.c), which sets req->entity from the path. */
#ifndef SUIVI_API_H
#define SUIVI_API_H
#include "err.h"
#include "http.h"

/* GET /api/v1/: the collections the caller may read. */
void api_index(struct request *req, struct response *resp);
/* GET /api/v1/{collection}, {collection}.csv and {collection}/{id}. */
void api_list(struct request *req, struct response *resp);
void api_csv(struct request *req, struct response *resp);
void api_get(struct request *req, struct response *resp);
/* POST /api/v1/{collection}, PATCH and DELETE /api/v1/{collection}/{id}. */
void api_create(struct request *req, struct response *resp);
void api_update(struct request *req, struct response *resp);
void api_delete(struct request *req, struct response *resp);

#endif
