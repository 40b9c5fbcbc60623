/* store_import.h — many rows of one entity written in one transaction, in
 * batches of multi-row INSERTs (an import of 10⁵ rows is a few hundred
 * statements, not 10⁵ round trips to PostgreSQL), with one audit entry
 * for the whole import instead of one per row.
 *
 * Rows are queued with store_import_row and written whenever a batch is
 * full; store_import_end writes the rest and commits, or rolls everything
 * back.  The caller validates the rows first (import.c): the database's
 * own constraints are the last guard, and a row they refuse fails the
 * whole import.
 *
 * References: on SQLite the import runs with foreign key checks off (they
 * cost an index lookup per reference per row); the caller must check every
 * reference against the referenced tables as it reads them after
 * store_import_begin, inside the import's transaction, where no other
 * writer can change them.  PostgreSQL checks them as usual. */
#ifndef SUIVI_STORE_IMPORT_H
#define SUIVI_STORE_IMPORT_H
#include <stdbool.h>

#include "db.h"
#include "entity.h"
#include "err.h"

struct store;
struct store_import;

/* Begins the write transaction of an import into e's table, whose rows
 * give the stored columns named in cols[0..ncols) (borrowed: they must
 * outlive the import); created_at and updated_at are the store's, unless
 * the last column is updated_at (rows that keep the date of their last
 * change elsewhere: an IATI file's).  The calling thread's connection is
 * held until store_import_end. */
MUST_CHECK enum app_err store_import_begin(struct store *st, const struct entity *e, const char *const *cols,
				int ncols, struct store_import **out);
/* The same, with multi-row INSERTs on SQLite too (see store_import.c): for
 * an import that does not read its rows back before the end
 * (store_import_immediate then answers false). */
MUST_CHECK enum app_err store_import_begin_batched(struct store *st, const struct entity *e, const char *const *cols,
					int ncols, struct store_import **out);

/* Queues one row: vals[0..ncols) in the order of cols (their text is
 * copied).  May write a batch; an error there fails the import (the
 * caller still calls store_import_end). */
MUST_CHECK enum app_err store_import_row(struct store_import *im, const struct dbparam *vals);

/* Queues a link row of f (a set of references of e: its link table) for
 * the row queued next: that row's key and the key of the record it names,
 * as text (copied).  Written right after that row. */
MUST_CHECK enum app_err store_import_link(struct store_import *im, const struct field *f, const char *key,
			       const char *target);

/* Writes the queued rows now (so that the transaction's own queries see
 * them). */
MUST_CHECK enum app_err store_import_flush(struct store_import *im);
/* Does each row reach the table when store_import_row returns (SQLite:
 * one INSERT per row), so that queries in the same transaction see it?
 * Else rows wait in a batch (PostgreSQL) until it is full or flushed. */
bool store_import_immediate(const struct store_import *im);

/* Writes the queued rows, adds the audit entry (entity e, record "import",
 * action "create", by actor, after = the JSON text `after`), moves the change counter
 * and commits — or, when commit is false or any step failed, rolls back
 * and writes nothing.  *rows (when non-NULL) receives the rows written.
 * Frees im. */
MUST_CHECK enum app_err store_import_end(struct store_import *im, bool commit, const char *actor, const char *after,
			      long long *rows);

#endif
