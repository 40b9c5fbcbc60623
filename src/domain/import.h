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
 * Every row is checked with the registry's descriptors of the need entity
 * (required, ranges, allowed values, lengths, patterns) and its cross-field
 * check, as the API checks a record.  The import is all-or-nothing: rows
 * are inserted in one transaction as they are read (memory stays bounded),
 * and the transaction is rolled back if any row is bad, after every row has
 * been checked and every problem reported. */
#ifndef SUIVI_IMPORT_H
#define SUIVI_IMPORT_H
#include <stdbool.h>

#include "app.h"
#include "auth.h"
#include "buf.h"
#include "csvin.h"
#include "err.h"
#include "i18n.h"

/* One problem: line of the file, the field it concerns (a JSON name such
 * as "country" or "description_en"; NULL for the whole row or file), the
 * column as the header wrote it (or NULL), and an English msgid in which
 * "%s" stands for arg. */
struct import_err {
	long long line;
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
};

struct import_result {
	long long rows;     /* rows imported (0 when the import failed) */
	long long checked;  /* data rows read */
	long long bad_rows; /* rows with at least one problem */
	long long errors;   /* problems reported */
};

/* Imports the needs in `in` (whose header is its first record).
 * APP_INVALID when the file or any row is bad (nothing written; each
 * problem went to on_error); APP_FORBIDDEN when who may not write needs;
 * APP_UNAVAILABLE or APP_CONFLICT when the database refused. */
enum app_err import_needs(struct app *app, struct csvin *in, const struct import_opts *o,
			  struct import_result *res);

/* The message of e in lang (with its argument), into out. */
void import_message(const struct import_err *e, enum lang lang, struct buf *out);

#endif
