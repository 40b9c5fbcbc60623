/* import_http.h — CSV import of needs over HTTP (import_http.c): the API
 * route POST /api/v1/needs/import (called by api.c after authentication
 * and the CSRF check) and the page /needs/import (called by web.c after
 * the session and CSRF checks). */
#ifndef SUIVI_IMPORT_HTTP_H
#define SUIVI_IMPORT_HTTP_H
#include "http.h"

void import_api(struct request *req, struct response *resp);
void import_page(struct request *req, struct response *resp);

#endif
