/* needs.h — the pages of the continuous needs assessment (DESIGN M3): the
 * latest picture as a country × theme matrix, a country's history, a theme
 * across countries, and the gap analysis (serious open needs that nothing
 * active addresses); and the same figures as JSON.
 *
 * Routes: /needs/matrix, /needs/map (?measure=serious or a theme's code),
 * /needs/country/CC, /needs/theme/CODE, /needs/gaps,
 * /needs/gaps.csv; API /api/v1/needs/latest (?as_of, country, theme,
 * gaps=true).  The record pages of single assessments are the registry's
 * generic ones (/needs/ID). */
#ifndef SUIVI_NEEDS_H
#define SUIVI_NEEDS_H
#include <stdbool.h>

#include "buf.h"
#include "route.h"

/* The routes above (routes.c): the pages, the gaps as CSV, the API. */
route_fn needs_matrix_page, needs_map_page, needs_country_page, needs_theme_page, needs_gaps_page;
route_fn needs_gaps_csv, needs_matrix_file, needs_latest_api;

/* The gap-analysis table (what the next dialogue should turn into
 * priorities), for the gaps page and the follow-up report, as `who` may
 * see it (NULL: the system, which sees everything) in lang; h is the level
 * of its heading (2 or 3).  Writes a sentence instead when there is no gap
 * or the reader may not see needs. */
void needs_gap_section(struct app *app, enum lang lang, const struct principal *who, struct buf *out,
		       int h);

/* One gap of the gap analysis (needs_gaps): the texts are valid during
 * the call only. */
struct needs_gap {
	long long id; /* the need's latest assessment */
	const char *country, *country_name, *theme, *theme_name, *assessed_on, *status, *status_label;
	int severity;
	bool sample;
};
/* What needs_gaps hands over, from one reading. */
struct needs_gaps_sink {
	/* first, each theme that has gaps, with their number, in the page's order */
	void (*theme)(void *ctx, const char *code, const char *name, size_t gaps);
	/* then each gap, most severe first, then by country name and theme */
	void (*gap)(void *ctx, const struct needs_gap *gap);
	void *ctx;
};
/* The gap analysis as who may see it (NULL: the system, which sees all),
 * names in lang; *any_sample: some are sample data.  APP_FORBIDDEN when
 * who may not read needs. */
MUST_CHECK enum app_err needs_gaps(struct app *app, enum lang lang, const struct principal *who,
				   const struct needs_gaps_sink *sink, bool *any_sample);

/* The home page's map: each African state coloured by its number of open
 * serious needs for those who may see needs (a focal point: its own country);
 * for the others the Atlantic African States (published reference data). */
void needs_home_map(struct request *req, struct buf *b);

#endif
