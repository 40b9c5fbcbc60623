/* iati_http.h — GET /iati.xml and GET /api/v1/iati.xml: the programmes as
 * an IATI 2.03 activity file, public for the programmes staff published
 * (IATI is published data), the reader's own for a signed-in reader; and
 * the import of such files by staff. */
#ifndef SUIVI_IATI_HTTP_H
#define SUIVI_IATI_HTTP_H
#include <stdbool.h>

#include "route.h"

/* The files kept on disk between writes (app->files, filecache.h): the
 * public one and the one of every programme. */
#define IATI_FILES 2

/* GET /iati.xml and GET /api/v1/iati.xml (routes.c): without a session or with ?published=true, the public file (published
 * programmes only); signed in, what the reader may read (a donor: the
 * programmes it funds; the others: every programme).  ETag, Last-Modified
 * and 304 for the files kept; X-Suivi-Programmes says which it is
 * (published, all, funded). */
route_fn iati_file;

/* Links to the public file and to the reader's own (a programmes page). */
void iati_links(struct request *req, struct buf *b);

/* POST /api/v1/iati/import (staff; the body an IATI activity file as
 * application/xml; ?name=FILE for the record of where rows came from) and
 * the page /programmes/import (a file upload): iati_import.h says what an
 * import does.  The route table checks the sign-in, the CSRF token and
 * the Content-Type first. */
route_fn iati_import_api, iati_import_page;

#endif
