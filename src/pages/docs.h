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

#include "app.h"
#include "auth.h"
#include "entity.h"
#include "i18n.h"
#include "route.h"

/* The API's routes (routes.c): POST /api/v1/documents (multipart, or the
 * raw file with its fields in the query string), GET|HEAD
 * /api/v1/documents/{id}/content. */
route_fn docs_upload_api, docs_content_api;
/* The pages': GET /documents/new, POST /documents/new and
 * /documents/upload (the upload form's), GET /documents/upload (back to
 * the form). */
route_fn docs_new_page, docs_upload_page, docs_upload_again;

/* Deletes a document's row (as dom_delete, whose errors it returns) and
 * then its file when no other row has the same bytes: the generic delete
 * of the API and of pages calls it for the collection that takes uploads
 * (the registry's `upload`). */
MUST_CHECK enum app_err docs_delete(struct request *req, const char *key, long long version, struct buf *why);

/* A file attached to a record by other means than the upload form (a
 * progress link's report): its parent, its title in one language. */
struct doc_attachment {
	const char *parent_field; /* "action", "meeting", … (document's F_PARENT fields) */
	long long parent;
	const char *title;
	enum lang lang;
	const char *name;         /* the file's name as sent */
	const void *data;
	size_t len;
};
/* Stores a's file and its document row as who, the checks of an upload
 * included; *key its number.  On failure *msg (a msgid) says why. */
MUST_CHECK enum app_err docs_attach(struct app *app, const struct principal *who, const struct doc_attachment *a,
				    struct buf *key, const char **msg);
/* The kind of a file as a document, read from its bytes; NULL when it is
 * refused, with why (a msgid) and (unless rc is NULL) rc: APP_TOO_LARGE
 * (over 20 MiB), APP_MEDIA_TYPE (not a kind suivi keeps). */
struct doc_type;
const struct doc_type *docs_kind(const void *data, size_t len, const char **why, enum app_err *rc);

/* On the page of a record documents may belong to: its documents and,
 * for those who may write both, the upload form; on a document's page:
 * its download link.  Nothing for other entities. */
void docs_section(struct request *req, struct buf *b, const struct entity *e, const char *key);

#endif
