/* query.h — what a list query asks for (store.h: store_list; stmt.h
 * writes its WHERE clause): the entity, filters, search, order, page and
 * the reader.  A header of types only, so that the statement building
 * below store.c can read a query without including store.c's functions. */
#ifndef SUIVI_QUERY_H
#define SUIVI_QUERY_H
#include <stdbool.h>

#include "db.h"
#include "entity.h"
#include "i18n.h"

#define QUERY_MAX_FILTERS 16

struct query_filter {
	const struct field *f;
	struct dbparam value; /* typed by the caller (api.c: query parsing) */
};

enum query_labels { LABELS_NONE, LABELS_OWN, LABELS_ALL };

struct query {
	const struct entity *e;
	struct query_filter filters[QUERY_MAX_FILTERS];
	int nfilters;
	const char *q;              /* substring over F_SEARCH fields, or NULL */
	const struct field *sort;   /* NULL: the entity's default */
	bool desc;
	long long limit, offset;
	enum lang lang;             /* the language multilingual sorts use */
	enum role viewer;           /* who reads: private fields are searched for staff only */
	/* Only the rows that this organisation funds (the entity's
	 * donor_scope), when funded_only: a donor's reading. */
	bool funded_only;
	long long funder;
	/* A focal point's country.  The entity's own scope is a filter
	 * (domain.c); this one scopes the parents (F_PARENT) a row is seen
	 * through: a row under a parent the viewer may not see is not listed. */
	const char *country;
	/* Each row with its labels (label.h), read in the same statement: the
	 * record's own after its ncols (LABELS_OWN), then (LABELS_ALL) those of
	 * the records its references name, up to e->label_ncols columns, read
	 * as the viewer sees them (a focal point's country, a donor's funded
	 * rows, nothing of what it may not read). */
	enum query_labels labels;
	/* Only the rows with a multilingual text (FT_I18N) given in one
	 * language and missing in one of these (a set of 1u << enum lang;
	 * 0: no such condition): the texts left to translate.  A text given
	 * in no language is not one (an optional field left empty). */
	unsigned untranslated;
};

#endif
