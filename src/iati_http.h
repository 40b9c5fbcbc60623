/* iati_http.h — GET /iati.xml and GET /api/v1/iati.xml: the programmes as
 * an IATI 2.03 activity file, public (IATI is published data). */
#ifndef SUIVI_IATI_HTTP_H
#define SUIVI_IATI_HTTP_H
#include <stdbool.h>

#include "http.h"

/* Takes the request when its path is /iati.xml or /api/v1/iati.xml. */
bool iati_route(struct request *req, struct response *resp);

#endif
