/* notify_http.h — the notifications' pages: the administrators' view of
 * the outbox (what waits, what failed, with a button to send a given-up
 * message again) and their settings; and the page every message links to,
 * where its recipient stops them (or has them again). */
#ifndef SUIVI_NOTIFY_HTTP_H
#define SUIVI_NOTIFY_HTTP_H
#include "http.h"

/* GET /notifications (administrators) */
void notify_page(struct request *req, struct response *resp);
/* POST /notifications/settings */
void notify_settings_post(struct request *req, struct response *resp);
/* POST /notifications/{id}/retry */
void notify_retry_post(struct request *req, struct response *resp);
/* POST /notifications/webhooks: adds one, shows its secret once */
void notify_webhook_add(struct request *req, struct response *resp);
/* POST /notifications/webhooks/{id}/delete */
void notify_webhook_delete(struct request *req, struct response *resp);
/* GET /progress-links (staff): the reminders' progress links in use */
void notify_links_page(struct request *req, struct response *resp);
/* POST /progress-links/{id}/revoke (staff) */
void notify_link_revoke(struct request *req, struct response *resp);
/* GET and POST /notifications/stop?address=…&sig=… (anyone with the signed link) */
void notify_stop_page(struct request *req, struct response *resp);
void notify_stop_post(struct request *req, struct response *resp);

#endif
