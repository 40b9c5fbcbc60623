/* results_http.h — the results framework on pages and in the API:
 *
 *   the sections of an indicator's record page (web.c record_extras): its
 *   periods with target, actual (computed ones say from how many
 *   enrolments), progress bar, and the disaggregation by sex and country;
 *   GET /api/v1/indicators/ID/values   the same as JSON (who may read the
 *                                      indicator: a donor only one of a
 *                                      programme it funds);
 *   and the results framework section of a programme's page (programme.c). */
#ifndef SUIVI_RESULTS_HTTP_H
#define SUIVI_RESULTS_HTTP_H
#include <stdbool.h>

#include "buf.h"
#include "route.h"

void indicator_sections(struct request *req, struct buf *b, const char *key);

/* GET /api/v1/indicators/{id}/values (routes.c). */
route_fn results_values_api;

/* The results → indicators → latest period of a programme, as a section. */
void results_programme_section(struct request *req, struct buf *b, long long programme);

/* A progress bar (an SVG role="img" named by its percentage) for progress
 * (0 at the baseline, 1 at the target), the bar clamped to 0…1, the text
 * the true percentage. */
void results_bar(struct request *req, struct buf *b, double progress);

#endif
