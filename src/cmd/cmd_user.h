/* cmd_user.h — `suivi user …` and `suivi token …` (cmd_user.c), for main.c's
 * command table. */
#ifndef SUIVI_CMD_USER_H
#define SUIVI_CMD_USER_H

#include "cli.h"

int cmd_user(struct opts *o);
int cmd_token(struct opts *o);
/* Creates the first admin, "admin", when there is no account yet; prints
 * its one-time password (or takes SUIVI_ADMIN_PASSWORD).  0 on success. */
int cmd_user_first_admin(struct app *app);

#endif
