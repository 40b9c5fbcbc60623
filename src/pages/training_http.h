/* training_http.h — the training import, likely duplicates and merge over
 * HTTP (routes in training_http.c's header comment). */
#ifndef SUIVI_TRAINING_HTTP_H
#define SUIVI_TRAINING_HTTP_H
#include <stdbool.h>

#include "route.h"

/* The API's imports and merge (routes.c). */
route_fn training_participants_import_api, training_enrolments_import_api, training_merge_api;
/* The pages: the two imports and the likely duplicates with their merge. */
route_fn training_participants_import_page, training_enrolments_import_page,
	training_duplicates_page;

#endif
