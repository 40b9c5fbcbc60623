/* web.h — the pages every collection gets from the registry, and the
 * small routes beside them (web.c); the route table (routes.c) names the
 * handlers and sets req->entity from the path's {collection}. */
#ifndef SUIVI_WEB_H
#define SUIVI_WEB_H
#include "http.h"

/* GET /healthz, GET /static/{file}, GET /lang?set=LANG&back=PATH. */
void web_health(struct request *req, struct response *resp);
void web_static(struct request *req, struct response *resp);
void web_language(struct request *req, struct response *resp);

/* GET /{collection}, GET|POST /{collection}/new, GET /{collection}/{id},
 * GET|POST /{collection}/{id}/edit, POST /{collection}/{id}/delete. */
void web_list(struct request *req, struct response *resp);
void web_new(struct request *req, struct response *resp);
void web_create(struct request *req, struct response *resp);
void web_detail(struct request *req, struct response *resp);
void web_edit(struct request *req, struct response *resp);
void web_update(struct request *req, struct response *resp);
void web_delete(struct request *req, struct response *resp);

#endif
