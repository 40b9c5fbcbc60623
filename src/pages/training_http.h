/* training_http.h — the training import, likely duplicates and merge over
 * HTTP (routes in training_http.c's header comment). */
#ifndef SUIVI_TRAINING_HTTP_H
#define SUIVI_TRAINING_HTTP_H
#include <stdbool.h>

#include "http.h"

/* The API's imports and merge, and the pages (routes.c). */
void training_participants_import_api(struct request *req, struct response *resp);
void training_enrolments_import_api(struct request *req, struct response *resp);
void training_merge_api(struct request *req, struct response *resp);
void training_participants_import_page(struct request *req, struct response *resp);
void training_enrolments_import_page(struct request *req, struct response *resp);
void training_duplicates_page(struct request *req, struct response *resp);

#endif
