/* training_http.h — the training import, likely duplicates and merge over
 * HTTP (routes in training_http.c's header comment). */
#ifndef SUIVI_TRAINING_HTTP_H
#define SUIVI_TRAINING_HTTP_H
#include <stdbool.h>

#include "http.h"

/* Takes the API paths (p: after /api/v1) of the imports and the merge. */
bool training_http_api(struct request *req, struct response *resp, const char *p);
/* Takes the pages /participants/import, /enrolments/import and
 * /participants/duplicates. */
bool training_http_web(struct request *req, struct response *resp);

#endif
