/* cmd_import.h — `suivi import needs|participants|enrolments FILE.csv | iati
 * FILE.xml` (cmd_import.c), for main.c's command table. */
#ifndef SUIVI_CMD_IMPORT_H
#define SUIVI_CMD_IMPORT_H

#include "cli.h"

int cmd_import(struct opts *o);

#endif
