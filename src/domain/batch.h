/* batch.h — the write path's batch form: many creates of one entity in one
 * transaction, all or nothing (the CSV imports, the IATI import, the
 * generated training records of `suivi demo --scale`).  Inside a
 * transaction the caller opened (store_begin), batches of several entities
 * one after another are that transaction's: all or nothing together.
 *
 * Each record, however it was decoded (record.h: rec_text_value for
 * spreadsheet cells), gets the checks of a single create (domain.c): the
 * record's own (rec_check: required fields, the entity's cross-field
 * rules), the writer's rights and scope, that its references name records
 * that exist, and the entity's unique declaration, against the database and
 * the batch's earlier records.  Good records are written in batches of
 * multi-row INSERTs (store_import.h) — once a record fails nothing more is
 * queued, and at the end nothing is written — with one audit entry for the
 * whole batch, then the entity's hook after a batch (entity.h:
 * after_batch: the training summaries, certificate numbers).
 *
 * What differs from single creates, for speed: references by code (a
 * country, a theme) are checked against their tables read once at the
 * start, inside the batch's transaction (store_import.h: SQLite imports
 * without foreign key checks); read-only fields take their defaults.  A
 * record's sets of references (link tables) are checked as its references
 * are and written after its row. */
#ifndef SUIVI_BATCH_H
#define SUIVI_BATCH_H
#include <stdbool.h>

#include "app.h"
#include "auth.h"
#include "record.h"

struct batch;

struct batch_opts {
	const struct principal *who; /* NULL: the system (the command line) */
	bool keys;     /* the batch numbers the records: batch_add gives each
			  record's key at once (a later row may refer to it) */
	bool appends;  /* nothing reads the new rows back before the end:
			  multi-row INSERTs on SQLite too (store_import.h) */
	bool threaded; /* rows written on a second thread while the next are
			  read (import_writer.h); only where the checks of a
			  record read nothing (references by code, no unique
			  declaration), and the caller reads nothing either;
			  its records carry no sets of references */
	bool dated;    /* each record keeps the time of its last change that
			  it carries (record.h: updated_at; an IATI activity's
			  last-updated-datetime), else the batch's now */
};

/* Begins a batch of creates of e (its transaction; the calling thread's
 * connection is the batch's until batch_end).  APP_FORBIDDEN when who may
 * not write e. */
MUST_CHECK enum app_err batch_begin(struct app *app, const struct entity *e, const struct batch_opts *o,
			 struct batch **out);
/* Other ways of writing values of e's fields (rec_names_new), with the
 * French and English names of the records its references by code name (a
 * country's): for rec_text_value.  The caller may add its own words. */
struct rec_names *batch_names(struct batch *b);
/* Adds to names the French and English names of the records that e's
 * references by code may name (a country's), as batch_names has them. */
MUST_CHECK enum app_err batch_ref_names(struct app *app, const struct entity *e, struct rec_names *names);
/* Does a record reach its table when batch_add returns, so that queries in
 * the batch's transaction see it?  Else it waits in a batch. */
bool batch_immediate(const struct batch *b);
/* Checks r as a create is checked, then queues it (unless a record failed
 * before).  Field errors go to errs: APP_INVALID.  *key (may be NULL)
 * receives the record's number when the batch numbers them. */
MUST_CHECK enum app_err batch_add(struct batch *b, struct record *r, struct ferrs *errs, long long *key);
/* Does reference field i of r name a record that does not exist (*missing)?
 * The check batch_add makes, for a caller that reports each cell's
 * problems in turn. */
MUST_CHECK enum app_err batch_check_ref(struct batch *b, const struct record *r, int i, bool *missing);
/* A problem outside the batch's checks (a cell the decoder refused): nothing
 * more is queued, and the batch will write nothing. */
void batch_failed(struct batch *b);
/* Ends the batch: when commit is true and no record failed, writes the
 * rest, runs the entity's hook, adds the audit entry (summary: its JSON
 * "after") and commits; else writes nothing.  *rows (may be NULL) receives
 * the records written.  Frees b. */
MUST_CHECK enum app_err batch_end(struct batch *b, bool commit, const char *summary, long long *rows);

#endif
