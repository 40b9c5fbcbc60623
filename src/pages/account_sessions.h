/* account_sessions.h — a person's own sessions and sign-ins on the account
 * page: where they are signed in (each session opened, when, from where,
 * last active), a way to end one or all the others, and the sign-ins of
 * the last SIGN_IN_KEEP days, right and wrong, so that someone who did not
 * sign in can see it and change their password. */
#ifndef SUIVI_ACCOUNT_SESSIONS_H
#define SUIVI_ACCOUNT_SESSIONS_H
#include "buf.h"
#include "route.h"

/* The sections of the account page: who's sessions, who's sign-ins. */
void sessions_section(struct request *req, struct buf *b);
void sign_ins_section(struct request *req, struct buf *b);
/* POST /account/sessions: end=HASH ends that session of who's, end=others
 * every other one (routes.c: a browser session's). */
route_fn sessions_end;

#endif
