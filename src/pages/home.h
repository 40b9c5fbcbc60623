/* home.h — the home page: the latest strategic dialogue, the follow-up of
 * its outcomes, late actions, and counts of what is recorded. */
#ifndef SUIVI_HOME_H
#define SUIVI_HOME_H
#include "buf.h"
#include "route.h"

route_fn home_page;
/* The outcomes of a meeting, each with the follow-up status of its actions
 * (done of total, late, mean progress): a heading of level h and a table. */
void home_outcomes_table(struct request *req, struct buf *b, long long meeting, int h);

#endif
