/* oidc_http.h — single sign-on's pages (oidc.h): the "Sign in with …"
 * buttons, the way to the provider and back, and the administrator's
 * part of the accounts page (each provider's admission rules, whether its
 * second factor stands for suivi's code, the requests waiting). */
#ifndef SUIVI_OIDC_HTTP_H
#define SUIVI_OIDC_HTTP_H

#include "buf.h"
#include "route.h"

/* The buttons of the sign-in page, one per provider (nothing when none),
 * each coming back to next. */
void oidc_login_buttons(struct request *req, struct buf *b, const char *next);
/* The accounts page's section (administrators). */
void oidc_accounts_section(struct request *req, struct buf *b);

/* GET /login/with/{provider}: to the provider.  GET /login/oidc/callback:
 * back from it (routes.c: public). */
route_fn oidc_start, oidc_callback;
/* POST /accounts/sign-in-rules, /accounts/sign-in-rules/{id}/delete,
 * /accounts/sign-in-requests/{id}/approve|refuse,
 * /accounts/sign-in-providers/{provider}/trust (administrators). */
route_fn accounts_rule_add, accounts_rule_delete, accounts_request_approve, accounts_request_refuse;
route_fn accounts_provider_trust;

#endif
