/* twofa_http.h — two-factor sign-in on the pages (twofa.h): a person sets
 * it up on /account/2fa (a QR code for the app, the key written out, a first
 * code, then ten recovery codes shown once); administrators remove it for
 * an account (a lost phone) and choose the roles that must use it. */
#ifndef SUIVI_TWOFA_HTTP_H
#define SUIVI_TWOFA_HTTP_H
#include "buf.h"
#include "route.h"
#include "store_auth.h"

/* GET and POST /account/2fa (routes.c: a browser session's, open to one
 * that must enrol). */
route_fn twofa_page;
/* POST /accounts/{id}/2fa-remove, POST /accounts/two-factor (admins). */
route_fn accounts_twofa_remove, accounts_twofa_roles;
/* The person's own account page: whether they sign in with a code, and the
 * way to set it up. */
void twofa_link_section(struct request *req, struct buf *b);
/* The account page's lines on a's two-factor sign-in, with the button that
 * removes it (an administrator's page of another's account). */
void twofa_account_section(struct request *req, struct buf *b, const struct account *a);
/* The accounts page's form of the roles that must sign in with a code. */
void twofa_roles_section(struct request *req, struct buf *b);

#endif
