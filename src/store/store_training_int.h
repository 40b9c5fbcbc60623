/* store_training_int.h — the training counts behind figures
 * (store_training.c, sdc.h) that other store files read with a condition
 * of their own (store_programme.c, store_results.c).  Internal to the
 * store, as store_int.h; apart from it, so that store.c does not include
 * what store_training.c defines. */
#ifndef SUIVI_STORE_TRAINING_INT_H
#define SUIVI_STORE_TRAINING_INT_H

#include "store_int.h"
#include "store_training.h"

/* An enrolment e with both scores. */
#define TR_SCORED "e.pre_score IS NOT NULL AND e.post_score IS NOT NULL"
/* The TR_COUNTS_COLUMNS columns store_training_row_counts reads, over enrolments e (an
 * aggregate; e may come from a LEFT JOIN). */
#define TR_COUNTS                                                                                       \
	"COUNT(e.id), COALESCE(SUM(CASE WHEN e.completed = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(e.rkey), 0), " \
	"COALESCE(SUM(CASE WHEN e.completed = 1 THEN e.rkey ELSE 0 END), 0), "                            \
	"COALESCE(SUM(CASE WHEN " TR_SCORED " THEN 1 ELSE 0 END), 0), "                                   \
	"COALESCE(SUM(CASE WHEN " TR_SCORED " THEN e.rkey ELSE 0 END), 0)"
/* The counts of the enrolments e that `where` selects — joins from
 * "enrolment e" and a WHERE clause, with its parameters; released. */
MUST_CHECK enum app_err store_training_counts_where(struct store *st, struct stmt *where, struct store_training_counts *out);
/* The same with where_sql's one parameter, id. */
MUST_CHECK enum app_err store_training_counts_by(struct store *st, const char *where_sql, long long id,
				      struct store_training_counts *out);

#endif
