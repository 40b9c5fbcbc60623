/* cmd_training.h — `suivi training check|rebuild`, the demo's generated set
 * and `suivi demo --scale N` (cmd_training.c), for main.c's command table. */
#ifndef SUIVI_CMD_TRAINING_H
#define SUIVI_CMD_TRAINING_H

#include "cli.h"

/* suivi training check|rebuild. */
int cmd_training(struct opts *o);
/* The demo's generated set (training under its programmes, forum sheets):
 * once, nothing when it is there already (0 on success). */
int cmd_training_demo_set(struct app *app);
/* demo --scale: adds n generated participants with their enrolments (0 on
 * success). */
int cmd_training_demo(struct app *app, long long n);

#endif
