/* label.h — records named by their labels (DESIGN §6; the rule: entity.h).
 *
 * registry_init (registry.h) compiles each entity's label rule
 * (label_compile) and lays out the label columns of its rows (label_layout).  A query that asks for
 * labels (store.h: query.labels) reads those columns in the same statement
 * as the rows — a list of 500 records is one query, however many records
 * their labels name — and the functions here turn them into text for one
 * reader: multilingual parts in its language, dates in its words, nothing
 * it may not see.  The store already left out the records outside the
 * reader's scope; private fields are left out here. */
#ifndef SUIVI_LABEL_H
#define SUIVI_LABEL_H
#include <stdbool.h>

#include "buf.h"
#include "db.h"
#include "entity.h"
#include "i18n.h"

/* Compiles e's label_rule into e->label_ops (once; they belong to the
 * registry, which lives as long as the process); aborts on a rule that
 * names no field, goes through a set of references or leads back to
 * itself (a programming error).  References must be resolved (entity.c). */
void label_compile(struct entity *e);
/* Lays out e's labelled rows (e->label_ncols, label_col of its references);
 * after every entity was compiled. */
void label_layout(struct entity *e);

enum label_mode {
	LABEL_DATA, /* plain text as it is: CSV cells, the API */
	LABEL_TEXT, /* plain text for people (an <option>): in Arabic, numbers, codes
		       and texts of other scripts between isolates (U+2068 … U+2069);
		       not escaped */
	LABEL_HTML, /* HTML, escaped: dates as <time>, a text in another language
		       with its lang, isolates as <bdi> */
};

/* Whether e's label shows f: its value, or (a reference) something of the
 * record it names; a table beside the label need not show it again. */
bool label_shows(const struct entity *e, const struct field *f);

/* Whom a label is written for. */
struct label_reader {
	enum lang lang;
	enum role role;
	enum label_mode mode;
};

/* The label of the record of a labelled row of e (never empty: at worst
 * "Participant 12"). */
void label_own(struct buf *out, const struct label_reader *r, const struct entity *e,
	       const struct row *row);
/* The label of the record that reference f names in a labelled row of f's
 * entity; false, and nothing written, when the field is empty or the reader
 * may not see that record. */
bool label_ref(struct buf *out, const struct label_reader *r, const struct field *f,
	       const struct row *row);

/* Called for each record of a set of references: its key, and its label
 * (NULL when the reader may not see it); both valid during the call. */
typedef void (*label_each_fn)(void *ctx, const char *key, const char *label);
/* Each record of the set f of a labelled row, in key order. */
void label_refs(const struct label_reader *r, const struct field *f, const struct row *row,
		label_each_fn fn, void *ctx);

/* For the API: the members "_label" (the record's label) and "_labels"
 * (for each reference given: the label of the record it names, null when
 * the reader may not see it; for a set, a list in the order of its keys)
 * of a labelled row, each after a comma. */
void label_json(struct buf *out, const struct label_reader *r, const struct entity *e,
		const struct row *row);

#endif
