/* login.h — signing in and out, and the account page (change one's
 * password).  The pages that exist before and around a session. */
#ifndef SUIVI_LOGIN_H
#define SUIVI_LOGIN_H
#include <stdbool.h>

#include "route.h"

/* GET|POST /login, POST /logout, GET|POST /account (routes.c).  The two
 * POSTs check or set a password (Argon2id: tens of milliseconds of CPU and
 * 64 MiB): the route table marks them R_HASHES, to run on the hash pool. */
route_fn login_page, login_post, login_logout;
route_fn login_account_page, login_account_post;
/* GET and POST /reset/{token}: a new password through an administrator's
 * link (accounts.h: account_reset_link). */
route_fn login_reset_page, login_reset_post;
/* GET and POST /login/code: the one-time code after the password. */
route_fn login_code_page, login_code_post;

/* The hash pool (hashpool.h) was full: 503 with Retry-After, come back in
 * a moment.  Returns the message for the page, translated. */
const char *login_too_busy(struct request *req, struct response *resp);

#endif
