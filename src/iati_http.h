/* iati_http.h — GET /iati.xml and GET /api/v1/iati.xml: the programmes as
 * an IATI 2.03 activity file, public (IATI is published data); and the
 * import of such files by staff. */
#ifndef SUIVI_IATI_HTTP_H
#define SUIVI_IATI_HTTP_H
#include <stdbool.h>

#include "http.h"

/* Takes the request when its path is /iati.xml or /api/v1/iati.xml. */
bool iati_route(struct request *req, struct response *resp);

/* POST /api/v1/iati/import (staff; the body an IATI activity file as
 * application/xml; ?name=FILE for the record of where rows came from) and
 * the page /programmes/import (a file upload): store_iati.h says what an
 * import does.  Called after authentication and the CSRF check. */
void iati_import_api(struct request *req, struct response *resp);
void iati_import_page(struct request *req, struct response *resp);

#endif
