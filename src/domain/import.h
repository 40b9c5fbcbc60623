/* import.h — CSV import of needs assessments (DESIGN M3, §5).
 *
 * The file's header names the columns: the JSON field names (country,
 * theme, assessed_on, severity, source, status, description_fr,
 * description_en, description_ar, reference, sample) or the labels of the
 * pages in French or English, case-, accent- and punctuation-insensitive
 * ("Pays", "Thème", "Date", "Gravité", "Description (EN)"…; README
 * "Importing needs assessments" lists them).  Countries are given by ISO
 * code or French/English name, themes by code or name, dates as
 * YYYY-MM-DD or DD/MM/YYYY, source and status by code or label.
 *
 * Every row is decoded and checked as the API decodes and checks a record
 * (record.h: the registry's decoder, the same messages; batch.h: the
 * checks of a create).  The import is all-or-nothing: rows are inserted in
 * one transaction as they are read (memory stays bounded), and the
 * transaction is rolled back if any row is bad, after every row has been
 * checked and every problem reported. */
#ifndef SUIVI_IMPORT_H
#define SUIVI_IMPORT_H
#include <stdbool.h>

#include "app.h"
#include "auth.h"
#include "batch.h"
#include "buf.h"
#include "csvin.h"
#include "err.h"
#include "i18n.h"
#include "record.h"

/* One problem: line of the file (or row and cell of a spreadsheet), the field it concerns (a JSON name such
 * as "country" or "description_en"; NULL for the whole row or file), the
 * column as the header wrote it (or NULL), and an English msgid in which
 * "%s" stands for arg. */
struct import_err {
	long long line;         /* in a spreadsheet: the row */
	const char *sheet;      /* the spreadsheet's sheet, or NULL for CSV */
	const char *cell;       /* in a spreadsheet, the column's cell ("B14"), or NULL */
	const char *field;
	const char *column;
	const char *msgid;
	const char *arg;
};

struct import_opts {
	const struct principal *who; /* NULL: the system (the CLI), any country */
	const char *name;            /* the file's name, for the audit entry */
	/* Called for each problem as it is found (the strings are valid
	 * during the call only); may be NULL. */
	void (*on_error)(void *ctx, const struct import_err *e);
	void *err_ctx;
	/* Called every few thousand rows with the bytes read; may be NULL. */
	void (*progress)(void *ctx, unsigned long long bytes, long long rows);
	void *progress_ctx;
	/* Check every row, count what would be written, and write nothing. */
	bool dry_run;
};

struct import_result {
	long long rows;     /* records created (0 when the import failed; in a
			       dry run, those that would be) */
	long long updated;  /* rows naming their record (`id`) that changed it */
	long long unchanged; /* rows naming their record that change nothing */
	long long checked;  /* data rows read */
	long long bad_rows; /* rows with at least one problem */
	long long errors;   /* problems reported */
};

/* Imports the needs in `in` (whose header is its first record).
 * APP_INVALID when the file or any row is bad (nothing written; each
 * problem went to on_error); APP_FORBIDDEN when who may not write needs;
 * APP_UNAVAILABLE or APP_CONFLICT when the database refused. */
MUST_CHECK enum app_err import_needs(struct app *app, struct csvin *in, const struct import_opts *o,
			  struct import_result *res);

/* Can records of e come from a file (not the audit trail, not uploads, not
 * those whose writes change another record: follow-up updates)? */
bool import_may_collection(const struct entity *e);
/* Imports records of any collection import_may_collection allows, with its
 * fields' JSON names or labels as the columns (suivi's own CSV export comes
 * back as it is: see the round trip below).  APP_METHOD for another. */
MUST_CHECK enum app_err import_collection(struct app *app, const struct entity *e, struct csvin *in,
			       const struct import_opts *o, struct import_result *res);

/* ---- the engine every CSV import runs on (needs here, participants and
 * enrolments in training_import.c) ----
 *
 * A file exported by suivi comes back as it is (a round trip): its `id`
 * column names the record a row updates (a row without one is created),
 * its `version` column is the version the row was exported at — a record
 * changed since is refused on that row's line, so that nobody's later
 * change is overwritten — and the columns that cannot be written (`label`,
 * the labels of references, computed fields, the times) are accepted and
 * not read.  In such a row an empty cell clears its field.  The updates go
 * through the domain's single update (domain.h), in the import's
 * transaction: all or nothing with the rest.
 *
 * The header maps each column to a field of the entity (its JSON name, its
 * label in English or French, or a word of `aliases`; a multilingual
 * field's columns are FIELD_fr, FIELD_en, FIELD_ar or the label with the
 * language), or to one of the caller's own columns (`extra`).  Each row's
 * cells are decoded by the registry's decoder (record.h: rec_text_value),
 * the caller's `row` may complete the record, and the batch (batch.h)
 * checks it as any create and writes it. */

struct import;

/* A word a column may be headed with, for a field (lang: of a
 * multilingual one), or for one of the caller's own columns (`extra`). */
struct import_alias {
	const char *word, *field;
	int lang;
};

/* A word of a cell standing for an allowed value ("homme" for male). */
struct import_word {
	const char *field, *word, *value;
};

struct import_spec {
	enum ent_id entity;       /* what the rows are */
	const char *unknown;      /* msgid: "is not a column of needs assessments" */
	const struct import_alias *aliases;
	size_t naliases;
	const struct import_word *words;
	size_t nwords;
	/* the caller's own columns: fields of extra_entity named here, matched
	 * by their names and labels */
	const struct entity *extra_entity;
	const char *const *extra;
	int nextra;
	struct batch_opts batch;  /* (who is the import's) */
	/* May the missing column of required field f stand missing (another
	 * column gives it: an enrolment's participant by name)? */
	bool (*may_lack)(struct import *x, const struct field *f);
	/* After a row's cells are decoded, before its checks: completes the
	 * record (rec, the caller's columns' cells in extra[]), reports its
	 * own problems (import_problem), and says whether the row is to be
	 * written (*write false: not, and not a problem: a known person). */
	enum app_err (*row)(struct import *x, struct record *rec, const char *const *extra, bool *write,
			    long long *key);
	/* After a row was queued with its number (batch_opts.keys). */
	void (*written)(struct import *x, const struct record *rec, long long key);
	void *ctx;                /* the caller's, import_ctx() gives it back */
};

/* Runs an import: the header, then every row; all or nothing.  The batch's
 * audit entry is `{"import": NAME, "rows": N` and what summary adds (a JSON
 * text that starts with a comma, or NULL), then `}`; summary is called once
 * the rows are read. */
MUST_CHECK enum app_err import_run(struct app *app, const struct import_spec *spec, struct csvin *in,
			const struct import_opts *o, struct import_result *res,
			void (*summary)(struct import *x, struct buf *out));
void *import_ctx(struct import *x);
struct app *import_app(struct import *x);
struct rec_names *import_names(struct import *x);
const struct import_opts *import_options(struct import *x);
/* The column header of field `field` (its JSON name, or an extra column's)
 * in the file, or NULL. */
const char *import_column(struct import *x, const char *field);
/* Reports a problem of the row being read (or, line 1, of the header). */
void import_problem(struct import *x, const char *field, const char *column, const char *msgid,
		   const char *arg);
/* Does the batch write each row at once (queries see it)? */
bool import_immediate(struct import *x);

/* Where e is, as a reader finds it: the line ("14"), or in a spreadsheet
 * the cell or row with its sheet ("Besoins!B14", "Besoins!14"). */
void import_place(const struct import_err *e, struct buf *out);
/* The message of e in lang (with its argument), into out. */
void import_message(const struct import_err *e, enum lang lang, struct buf *out);

#endif
