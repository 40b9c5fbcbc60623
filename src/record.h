/* record.h — one record being written: decoding, validation, field errors,
 * and the JSON form of stored rows.
 *
 * A struct record holds the values given for an entity's fields, decoded
 * from a JSON object (the API, data files) or from an HTML form (which is
 * turned into the same JSON first, so that the pages and the API validate
 * with one code path).  rec_free releases everything it holds. */
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
	long long i;   /* FT_INT, FT_BOOL */
	char *s;       /* FT_TEXT, FT_CODE, FT_DATE, FT_ENUM, FT_REF, FT_ID */
	char *tr[LANG__MAX]; /* FT_I18N, each NULL when absent */
	char **list;   /* FT_REFS */
	size_t nlist;
};

struct record {
	const struct entity *e;
	struct fval *v; /* e->nfields values */
};

/* One field error: msgid is an English message (translated for pages),
 * in which "%s" is replaced by arg when arg is non-NULL. */
struct ferr {
	char *field;
	const char *msgid;
	char *arg;
};

struct ferrs {
	struct ferr *a;
	size_t n;
};

void ferrs_add(struct ferrs *errs, const char *field, const char *msgid, const char *arg);
/* The message of field error i in lang, into out. */
void ferrs_message(const struct ferrs *errs, size_t i, enum lang lang, struct buf *out);
/* The first error message for `field`, or NULL. */
const struct ferr *ferrs_find(const struct ferrs *errs, const char *field);
void ferrs_release(struct ferrs *errs);

void rec_init(struct record *r, const struct entity *e);
void rec_free(struct record *r);
/* Text value of field i, NULL when unset or null. */
const char *rec_text(const struct record *r, int i);
/* Integer (or boolean) value of field i, `absent` when unset or null. */
long long rec_int_or(const struct record *r, int i, long long absent);

enum rec_mode {
	REC_CREATE, /* required fields must be present */
	REC_PATCH,  /* only the given fields change */
	REC_LOAD,   /* a data file: like create, and the key `id` may be given */
};

/* Decodes and validates a JSON object into r (initialised by the caller).
 * Field-level problems go to errs (APP_INVALID); APP_BAD_JSON when obj is
 * not an object.  References are checked for existence by the store. */
enum app_err rec_from_json(struct record *r, json_t *obj, enum rec_mode mode, struct ferrs *errs);

/* Parses a request body: 400 for malformed JSON or a non-object, with a
 * message; on success *out is a new reference the caller releases.  A
 * number too large for any field (1e400) is well-formed JSON: that is
 * APP_INVALID, with the field named in errs when errs is non-NULL. */
enum app_err rec_parse_body(const char *body, size_t len, json_t **out, char **msg,
			    struct ferrs *errs);

/* NULL when s fits a field pattern ("A2", "slug", ...), else the msgid of
 * the problem. */
const char *rec_pattern_error(const char *pattern, const char *s);

/* Writes a stored row as a JSON object, as viewer may see it: private
 * fields are left out for everyone but staff. */
void rec_row_json(struct buf *out, const struct entity *e, const struct row *row, enum role viewer);
/* The same without the braces around (for more members after). */
void rec_row_members(struct buf *out, const struct entity *e, const struct row *row, enum role viewer);

/* The key of a stored row as text, into out. */
void rec_row_key(struct buf *out, const struct entity *e, const struct row *row);

#endif
