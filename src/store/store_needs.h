/* store_needs.h — the needs-assessment queries that the registry's generic
 * list cannot express: the latest assessment of each country × theme cell,
 * the gaps (serious open needs that nothing active addresses) and a
 * country's history.  SQL in the subset SQLite and PostgreSQL share. */
#ifndef SUIVI_STORE_NEEDS_H
#define SUIVI_STORE_NEEDS_H
#include "store.h"

struct needs_filter {
	const char *as_of;    /* YYYY-MM-DD: the picture on that day; NULL: today */
	const char *country;  /* one country's cells, or NULL */
	const char *theme;    /* one theme's cells, or NULL */
	bool gaps;            /* only the gaps: severity >= NEED_GAP_SEVERITY, not met,
				 and no active record addresses the need */
};

#define NEED_GAP_SEVERITY 4

/* The columns of the rows that store_needs_latest and store_needs_history
 * hand to fn. */
enum need_col { NC_ID, NC_COUNTRY, NC_THEME, NC_ASSESSED_ON, NC_SEVERITY, NC_STATUS, NC_SOURCE,
		NC_SAMPLE, NC_ADDRESSED };

/* The latest assessment of each cell matching f, by country then theme.
 * NC_ADDRESSED counts the active records addressing the need. */
MUST_CHECK enum app_err store_needs_latest(struct store *st, const struct needs_filter *f, row_fn fn,
				void *ctx);
/* Every assessment of a country (all themes), by theme then date. */
MUST_CHECK enum app_err store_needs_history(struct store *st, const char *country, row_fn fn, void *ctx);

#endif
