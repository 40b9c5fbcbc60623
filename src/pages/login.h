/* login.h — signing in and out, and the account page (change one's
 * password).  The pages that exist before and around a session. */
#ifndef SUIVI_LOGIN_H
#define SUIVI_LOGIN_H
#include <stdbool.h>

#include "http.h"

/* GET|POST /login, POST /logout, GET|POST /account (routes.c).  The two
 * POSTs check or set a password (Argon2id: tens of milliseconds of CPU and
 * 64 MiB): the route table marks them R_HASHES, to run on the hash pool. */
void login_page(struct request *req, struct response *resp);
void login_post(struct request *req, struct response *resp);
void login_logout(struct request *req, struct response *resp);
void login_account_page(struct request *req, struct response *resp);
void login_account_post(struct request *req, struct response *resp);

#endif
