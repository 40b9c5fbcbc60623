/* deletion.h — the confirmation before a record is deleted, and the
 * restore of a deleted record from its audit entry (deletion.c). */
#ifndef SUIVI_DELETION_H
#define SUIVI_DELETION_H
#include "buf.h"
#include "route.h"

/* GET /{collection}/{key}/delete and POST /audit/{id}/restore. */
route_fn deletion_confirm_page, deletion_restore_page;
/* What the audit record page adds for a deletion (key: the entry's number). */
void deletion_audit_sections(struct request *req, struct buf *b, const char *key);

#endif
