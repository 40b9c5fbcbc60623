/* cmd_notify.h — `suivi notify run|status` (cmd_notify.c), and the options
 * `suivi serve` shares with it, for main.c. */
#ifndef SUIVI_CMD_NOTIFY_H
#define SUIVI_CMD_NOTIFY_H

#include "cli.h"
#include "notify.h"

int cmd_notify(struct opts *o);
/* The relay's configuration from --smtp, --mail-from and --public-url into
 * cfg (borrowing o's strings and app's key file).  0 when none was asked
 * for (*wanted false) or it is good; else EXIT_USAGE, said. */
int cmd_notify_config(const struct opts *o, struct app *app, struct notify_config *cfg, bool *wanted);

#endif
