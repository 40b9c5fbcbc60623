/* progress_http.h — the page a reminder's progress link opens (notify.h):
 * the action, and a form by which its owner's contact person reports its
 * status, percentage and a note without an account; the link is the
 * proof (kept hashed, for one action, 30 days, revocable by staff on
 * /notifications).  What is sent is written as the board's quick entry
 * writes it (progress.h), audited under "link:ADDRESS". */
#ifndef SUIVI_PROGRESS_HTTP_H
#define SUIVI_PROGRESS_HTTP_H
#include "http.h"

/* GET /progress/{token} */
void progress_page(struct request *req, struct response *resp);
/* POST /progress/{token} */
void progress_post(struct request *req, struct response *resp);

#endif
