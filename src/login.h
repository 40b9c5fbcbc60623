/* login.h — signing in and out, and the account page (change one's
 * password).  The pages that exist before and around a session. */
#ifndef SUIVI_LOGIN_H
#define SUIVI_LOGIN_H
#include <stdbool.h>

#include "http.h"

/* Handles /login, /logout and /account; false for any other path. */
bool login_route(struct request *req, struct response *resp);
/* Does the request check or set a password (Argon2id: tens of milliseconds
 * of CPU and 64 MiB)?  server.c runs those on the hash pool. */
bool login_hashes(const char *method, const char *path);

#endif
