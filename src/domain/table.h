/* table.h — a collection as a table, driven by the registry: the columns a
 * reader may see and every matching record's cells, typed, handed to a
 * sink that writes them in a format (csv.c: CSV; xlsx_export.c: a
 * spreadsheet).  One walk, so that the formats cannot disagree on the
 * columns:
 *
 *   each visible field (a multilingual one as NAME_fr, NAME_en, NAME_ar;
 *   a set of references joined with ';'), with beside the key a column
 *   `label` (the record's label) and beside each reference NAME a column
 *   NAME_label (what it names, "#KEY" when the reader may not see it),
 *   in lang; then version, created_at, updated_at. */
#ifndef SUIVI_TABLE_H
#define SUIVI_TABLE_H
#include "err.h"
#include "i18n.h"
#include "store.h"

/* What a cell holds, for a format that types its cells. */
enum tcell {
	TCELL_TEXT,  /* text someone typed, a code or a label (a CSV guards it
			against formulas) */
	TCELL_VALUE, /* one of the registry's values; a set of records' numbers */
	TCELL_INT,   /* a whole number (a record's number, a count, an amount) */
	TCELL_DATE,  /* YYYY-MM-DD */
	TCELL_TIME,  /* YYYY-MM-DDTHH:MM:SSZ */
	TCELL_BOOL,  /* "true" or "false" */
};

struct table_sink {
	/* The header: column i's name and what its cells hold. */
	void (*column)(void *ctx, int i, const char *name, enum tcell type);
	/* A cell of the current row (the header's row end comes first);
	 * s NULL: empty. */
	void (*cell)(void *ctx, int i, const char *s, enum tcell type);
	/* The end of the header, then of each record's row. */
	enum app_err (*row_end)(void *ctx);
	void *ctx;
};

/* Walks every record matching q (limit and offset are ignored) with the
 * columns q->viewer may see. */
MUST_CHECK enum app_err table_walk(struct store *st, const struct query *q, enum lang lang,
			const struct table_sink *sink);

#endif
