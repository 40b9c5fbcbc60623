/* webhook.h — a webhook's delivery: an HTTP POST of a JSON body to the
 * address an administrator registered, signed with the webhook's secret
 * so that the receiver knows it comes from this suivi and has not been
 * changed or replayed:
 *
 *   X-Suivi-Signature: t=TIMESTAMP,sha256=HEX
 *
 * HEX being HMAC-SHA256, keyed with the secret as shown when the webhook
 * was made, of "TIMESTAMP.BODY".  X-Suivi-Event names the event and
 * X-Suivi-Delivery the delivery (the same at each try).  Through libcurl
 * (lazy_oidc.h); http and https only, no redirects. */
#ifndef SUIVI_WEBHOOK_H
#define SUIVI_WEBHOOK_H
#include <stdbool.h>

#include "err.h"

#define WEBHOOK_SECRET_TEXT 44 /* 32 random bytes as base64url, NUL included */

/* A new secret. */
void webhook_new_secret(char out[WEBHOOK_SECRET_TEXT]);
/* Is url an http(s) address a webhook may have?  *why: what is wrong. */
bool webhook_url_ok(const char *url, const char **why);
/* The signature header's value for body at t. */
void webhook_signature(const char *secret, long long t, const char *body, char out[100]);
/* Posts body.  APP_OK on a 2xx answer; else APP_UNAVAILABLE, error saying why. */
MUST_CHECK enum app_err webhook_post(const char *url, const char *secret, const char *event, long long delivery,
				     const char *body, long long now, char error[256]);

#endif
