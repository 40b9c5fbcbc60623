/* cmd_iati.h — `suivi export iati` and `suivi import iati FILE`
 * (cmd_iati.c), for main.c's command table. */
#ifndef SUIVI_CMD_IATI_H
#define SUIVI_CMD_IATI_H

#include "cli.h"

/* suivi export iati; suivi import iati FILE (cmd_import.c hands it the
 * file). */
int cmd_export_iati(struct opts *o);
int cmd_import_iati(struct opts *o);

#endif
