/* home.h — the home page: the latest strategic dialogue, the follow-up of
 * its outcomes, late actions, and counts of what is recorded. */
#ifndef SUIVI_HOME_H
#define SUIVI_HOME_H
#include "http.h"

void home_page(struct request *req, struct response *resp);

#endif
