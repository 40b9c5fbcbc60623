/* web.h — the pages every collection gets from the registry, and the
 * small routes beside them (web.c); the route table (routes.c) names the
 * handlers and sets req->entity from the path's {collection}. */
#ifndef SUIVI_WEB_H
#define SUIVI_WEB_H
#include "route.h"

/* GET /healthz, GET /static/{file}, GET /lang?set=LANG&back=PATH. */
route_fn web_health, web_static, web_language;

/* GET /{collection}, GET|POST /{collection}/new, GET /{collection}/{id},
 * GET|POST /{collection}/{id}/edit, POST /{collection}/{id}/delete. */
route_fn web_list, web_new, web_create, web_detail, web_edit, web_update, web_delete;

#endif
