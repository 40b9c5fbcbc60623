/* record.h — one record being written: decoding, validation, field errors,
 * and the JSON form of stored rows.
 *
 * A struct record holds the values given for an entity's fields, decoded
 * by one decoder driven by the registry, whatever they come from: a JSON
 * object (the API, data files), an HTML form (turned into the same JSON
 * first), or outside text — spreadsheet cells, command-line arguments, IATI
 * elements (rec_text_value).  Every source gets the same checks and the
 * same messages.  rec_free releases everything it holds. */
#ifndef SUIVI_RECORD_H
#define SUIVI_RECORD_H
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "db.h"
#include "entity.h"
#include "err.h"
#include "i18n.h"

struct fval {
	bool set;      /* present in the input */
	bool given;    /* given by the writer in this request (a PATCH gives
			  some fields; the others come from the stored record) */
	bool null;     /* given as null (or empty in a form) */
	unsigned char langs; /* FT_I18N: bit l set when language l was given
				(a merge patch replaces those, keeps the rest) */
	long long i;   /* FT_INT, FT_BOOL */
	char *s;       /* FT_TEXT, FT_CODE, FT_DATE, FT_ENUM, FT_REF, FT_ID */
	char *tr[LANG__MAX]; /* FT_I18N, each NULL when absent */
	char **list;   /* FT_REFS */
	size_t nlist;
};

struct rec_arena;

/* The strings and lists of a record live in its arena: they are freed
 * together (rec_free), or kept for the next record (rec_reset, which a
 * batch of records read one after another uses). */
struct record {
	const struct entity *e;
	struct fval *v; /* e->nfields values */
	/* A stored record's version and times (rec_from_row); in a patch, the
	 * values the writer named (meta_given), which must be the stored ones. */
	long long version;
	char created_at[32], updated_at[32];
	unsigned meta_given; /* REC_META_* bits */
	struct rec_arena *arena;
};

enum { REC_META_VERSION = 1, REC_META_CREATED = 2, REC_META_UPDATED = 4, REC_META_BAD = 8 };

/* One field error: msgid is an English message (translated for pages),
 * in which each "%s" is replaced by a part of arg when arg is non-NULL
 * (rec_message). */
struct ferr {
	char *field;
	const char *msgid;
	char *arg;
};

struct ferrs {
	struct ferr *a;
	size_t n;
};

/* The size of the buffer for a message's argument (rec_text_value's arg). */
#define REC_ARG_MAX 320
/* Separates the parts of an argument, one for each "%s" of the msgid, and
 * marks a part that is a list of values (msgids): each is written with
 * its words in the reader's language, "open (Ouvert)". */
#define REC_ARG_NEXT '\x1f'
#define REC_ARG_LIST '\x1e'

/* The message msgid in lang with its argument's parts in place of its
 * "%s" (isolated from the text direction in a right-to-left language),
 * into out: field errors, import problems. */
void rec_message(enum lang lang, const char *msgid, const char *arg, struct buf *out);

void ferrs_add(struct ferrs *errs, const char *field, const char *msgid, const char *arg);
/* The message of field error i in lang, into out. */
void ferrs_message(const struct ferrs *errs, size_t i, enum lang lang, struct buf *out);
/* The first error message for `field`, or NULL. */
const struct ferr *ferrs_find(const struct ferrs *errs, const char *field);
void ferrs_release(struct ferrs *errs);

void rec_init(struct record *r, const struct entity *e);
void rec_free(struct record *r);
/* Forgets every value (the arena's memory is kept for the next record). */
void rec_reset(struct record *r);
/* Text value of field i, NULL when unset or null. */
const char *rec_text(const struct record *r, int i);
/* Integer (or boolean) value of field i, `absent` when unset or null. */
long long rec_int_or(const struct record *r, int i, long long absent);
/* Sets field i (as given): a copy of s (NULL: null), an integer or boolean,
 * or null.  No check: for values the program itself gives (a file's size,
 * a certificate number). */
void rec_set_text(struct record *r, int i, const char *s);
void rec_set_int(struct record *r, int i, long long v);

/* Fills r (initialised, empty) with a stored row in the store's layout
 * (entity.c): every field set, NULL columns null; the version and times. */
void rec_from_row(struct record *r, const struct row *row);
/* Do a and b (records of one entity) hold the same value of field i?  Sets
 * of references compare as sets. */
bool rec_same(const struct record *a, const struct record *b, int i);

enum rec_mode {
	REC_CREATE, /* required fields must be present */
	REC_PATCH,  /* only the given fields change */
	REC_LOAD,   /* a data file: like create, and the key `id` may be given */
	REC_RESTORE, /* a deleted record's last state (the audit's): like create, with
			every stored field, read-only ones included (its key, a
			certificate number given once); computed ones are ignored */
};

/* Decodes and validates a JSON object into r (initialised by the caller).
 * Field-level problems go to errs (APP_INVALID); APP_BAD_JSON when obj is
 * not an object.  References are checked for existence by the store. */
MUST_CHECK enum app_err rec_from_json(struct record *r, json_t *obj, enum rec_mode mode, struct ferrs *errs);

/* The checks of a whole record once its values are decoded, whatever they
 * were decoded from: required fields (unless mode is REC_PATCH), then the
 * entity's cross-field rules (entity.h: check). */
MUST_CHECK enum app_err rec_check(struct record *r, enum rec_mode mode, struct ferrs *errs);

/* ---- changing a stored record ---- */

/* Decodes a JSON merge patch into p (initialised, of the record's entity):
 * each named field as rec_from_json decodes it, read-only ones too (which
 * rec_merge then compares with the stored values), and the version and
 * times named (p->meta_given).  Field errors go to errs. */
MUST_CHECK enum app_err rec_patch_from_json(struct record *p, json_t *obj, struct ferrs *errs);
/* Applies patch p to r, a stored record (rec_from_row): every field p gives
 * replaces r's, a multilingual one language by language, null clears.  A
 * read-only field, the key, the version or a time that p names with another
 * value than r's is an error ("cannot be changed"); with the same value it
 * is accepted and changes nothing.  Then r is checked whole (rec_check).
 * changed[i] (e->nfields) tells which fields now differ from the stored
 * record; *any whether one does. */
MUST_CHECK enum app_err rec_merge(struct record *r, const struct record *p, bool *changed, bool *any,
		       struct ferrs *errs);

/* ---- outside text: form fields, spreadsheet cells, command-line arguments,
 * IATI elements ---- */

/* Other ways of writing a value than the value itself, per field: the
 * French and English labels of allowed values, the names of referenced
 * records (a country's), words that spreadsheets use ("homme" for male).
 * Looked up folded (names.h: names_norm).  Read-only once built. */
struct rec_names;
/* The labels of every allowed value of e's enumerated fields. */
struct rec_names *rec_names_new(const struct entity *e);
/* word (any case, accents) stands for value (copied) in field i. */
void rec_names_add(struct rec_names *n, int i, const char *word, const char *value);
void rec_names_free(struct rec_names *n);

enum {
	REC_EMPTY_NULL = 1, /* empty text clears the field (a form's edit);
			       else empty is "not given" (a spreadsheet cell) */
};
/* Decodes outside text s (n bytes, any NUL ends it) into field i of r,
 * language l of a multilingual field, with the checks and messages of a
 * JSON value; a date may also be DD/MM/YYYY, a yes/no oui/non, a value or
 * reference one of `names` (may be NULL).  Returns NULL, or the msgid of
 * the problem with its "%s" argument in arg. */
const char *rec_text_value(struct record *r, int i, enum lang l, const char *s, size_t n,
			   const struct rec_names *names, unsigned flags, char *arg, size_t argsz);

/* Parses a request body: 400 for malformed JSON or a non-object, with a
 * message; on success *out is a new reference the caller releases.  A
 * number too large for any field (1e400) is well-formed JSON: that is
 * APP_INVALID, with the field named in errs when errs is non-NULL. */
MUST_CHECK enum app_err rec_parse_body(const char *body, size_t len, json_t **out, char **msg,
			    struct ferrs *errs);

/* NULL when s fits a field pattern ("A2", "slug", ...), else the msgid of
 * the problem. */
const char *rec_pattern_error(const char *pattern, const char *s);

/* Writes a stored row as a JSON object, as viewer may see it: private
 * fields are left out for everyone but staff. */
void rec_row_json(struct buf *out, const struct entity *e, const struct row *row, enum role viewer);
/* The same without the braces around (for more members after). */
void rec_row_members(struct buf *out, const struct entity *e, const struct row *row, enum role viewer);

/* The multilingual column triple at col of a stored row as the API
 * writes it: {"fr": …, "en": …}, without the languages it has no text in. */
void rec_i18n_json(struct buf *out, const struct row *row, int col);

/* The key of a stored row as text, into out. */
void rec_row_key(struct buf *out, const struct entity *e, const struct row *row);

#endif
