/* docs.h — documents attached to records (their parents in the registry:
 * meetings, outcomes, follow-up actions, programmes): upload (API and
 * page), download, delete, and the "Documents" section of a record's page.
 *
 * The metadata is the registry entity `document` (model.c): listed,
 * filtered, shown and edited by the generic API and pages.  What is
 * specific to files is here: the bytes go to the content store
 * (docstore.h) by their SHA-256, their type is read from their content,
 * and they are served only to people who may read the record they are
 * attached to (the store's rule for every read of documents: F_PARENT). */
#ifndef SUIVI_DOCS_H
#define SUIVI_DOCS_H
#include <stdbool.h>
#include <stddef.h>

#include "entity.h"
#include "http.h"

/* Is this an upload route (a POST that takes multipart/form-data)?  Only
 * there does a form's _csrf count in a multipart body (web.c). */
bool docs_upload_route(const char *method, const char *path);
/* The request body limit of a route: larger for the upload routes, 0 for
 * every other (server.c's BODY_MAX applies). */
size_t docs_body_max(const char *method, const char *path);

/* API routes (api.c calls it once the caller is signed in and a browser
 * session's CSRF token is checked): POST /api/v1/documents (multipart or
 * raw upload), GET|HEAD /api/v1/documents/ID/content, DELETE
 * /api/v1/documents/ID.  False for any other route. */
bool docs_api(struct request *req, struct response *resp);

/* Page routes for a signed-in person (web.c): GET /documents/new, POST
 * /documents/upload, POST /documents/ID/delete.  False for any other. */
bool docs_web(struct request *req, struct response *resp);

/* On the page of a record documents may belong to: its documents and,
 * for those who may write both, the upload form; on a document's page:
 * its download link.  Nothing for other entities. */
void docs_section(struct request *req, struct buf *b, const struct entity *e, const char *key);

#endif
