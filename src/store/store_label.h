/* store_label.h — the label columns of a labelled query (store_label.c;
 * store.h: query.labels), which store.c's list query asks for.  Built on
 * the statements of stmt.h, internal to the store. */
#ifndef SUIVI_STORE_LABEL_H
#define SUIVI_STORE_LABEL_H

#include "db.h"
#include "query.h"
#include "stmt.h"

#define LABEL_JOINS_MAX 48

/* The records a labelled query reads beside each row, one LEFT JOIN each:
 * node i is the record of `target` whose key is column `column` of node
 * `from` (-1: the row, named `root`). */
struct label_joins {
	char prefix; /* of the nodes' aliases: j1, j2, ... */
	const char *root;
	struct {
		int from;
		const char *column;
		const struct entity *target;
	} node[LABEL_JOINS_MAX];
	int n;
};

/* Appends the label columns of q->e's rows (label.h) that q->labels asks
 * for to a select list, noting in *j the joins they need (j is
 * initialised here). */
void stmt_label_columns(struct stmt *s, const struct db_ops *ops, const struct query *q,
			struct label_joins *j);
/* Appends the joins j of the label columns, as q's viewer may see them. */
void stmt_label_joins(struct stmt *s, const struct query *q, const struct label_joins *j);

#endif
