/* account_tokens.h — a person's own API tokens on the account page: the
 * list, and a way to end one (a confirmation page, then the revocation).
 * The command line makes tokens (suivi token add); a password change
 * revokes them all (auth.h). */
#ifndef SUIVI_ACCOUNT_TOKENS_H
#define SUIVI_ACCOUNT_TOKENS_H
#include <stdbool.h>

#include "buf.h"
#include "route.h"

/* The section of the account page that lists who's tokens. */
void tokens_section(struct request *req, struct buf *b);
/* GET and POST /account/tokens/{id} (routes.c: a browser session's). */
route_fn tokens_page;

#endif
