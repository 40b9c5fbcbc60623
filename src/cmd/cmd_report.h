/* cmd_report.h — `suivi report followup|forum` (cmd_report.c), for main.c's
 * command table. */
#ifndef SUIVI_CMD_REPORT_H
#define SUIVI_CMD_REPORT_H

#include "cli.h"

int cmd_report(struct opts *o);

#endif
