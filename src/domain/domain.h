/* domain.h — the rules every writer goes through, whether it comes from
 * the API, a page form, a data file or the CLI: parsing list queries,
 * validating records, and creating, updating and deleting them. */
#ifndef SUIVI_DOMAIN_H
#define SUIVI_DOMAIN_H
#include <jansson.h>

#include "app.h"
#include "args.h"
#include "auth.h"
#include "record.h"
#include "store.h"

#define LIST_LIMIT_DEFAULT 50
#define LIST_LIMIT_MAX 500

/* Fills q from query arguments (filters on fields, q, sort, limit,
 * offset) for who (NULL: the system, which sees everything): private
 * fields are unknown parameters for anyone but staff, and a focal point's
 * rows are limited to its country where the entity is scoped.  Arguments
 * named in `ignore` (NULL-terminated, may be NULL) are skipped; any other
 * unknown or malformed one is APP_BAD_QUERY with *msg (caller frees).
 * Release q with dom_query_release. */
MUST_CHECK enum app_err dom_parse_query(const struct entity *e, const struct args *a,
			     const char *const *ignore, const struct principal *who,
			     struct query *q, char **msg);
/* The query of every row of e that who may see (scope applied). */
void dom_query_init(struct query *q, const struct entity *e, const struct principal *who);
/* Does who see only some rows of e (a focal point's country, a donor's
 * funded programmes, the documents of the records it sees: ent_partial)? */
bool dom_scoped(const struct entity *e, const struct principal *who);
void dom_query_release(struct query *q);
/* The value of ?labels= (NULL: not given): *labels says whether the
 * records come with their labels; false for a value other than 1, 0,
 * true or false. */
bool dom_parse_labels(const char *v, bool *labels);

/* Is key well-formed for e (a positive integer, or a code of its pattern)? */
bool dom_valid_key(const struct entity *e, const char *key);

/* One record as who may see it (NULL: everything), as JSON into out;
 * *version receives its version.  A row outside who's scope is APP_NOT_FOUND. */
MUST_CHECK enum app_err dom_get_json(struct app *app, const struct entity *e, const char *key,
			  const struct principal *who, struct buf *out, long long *version);

/* May who read the record at key?  APP_OK, APP_FORBIDDEN (not its role's
 * collection) or APP_NOT_FOUND (no such record, or not among those it sees):
 * what a page about a record (its seal, an indicator's values) asks first. */
MUST_CHECK enum app_err dom_readable(struct app *app, const struct entity *e, const char *key,
				     const struct principal *who);

/* One record as who may see it (NULL: everything), read with the labels
 * asked for (store.h: query.labels; label.h) in one statement: fn is
 * called with its row.  A row outside who's scope is APP_NOT_FOUND. */
MUST_CHECK enum app_err dom_get_row(struct app *app, const struct entity *e, const char *key,
			 const struct principal *who, enum query_labels labels, row_fn fn, void *ctx);

/* ---- writes ----
 *
 * Every write goes through here, whoever asks: the API, the pages, data
 * files, the command line, hooks; imports through its batch form
 * (batch.h).  The domain opens the
 * transaction, reads the record it changes once (locked until the end on
 * PostgreSQL), checks, and hands the write to the store (store_write),
 * which calls the entity's hooks.  The audit trail names who writes:
 * who's name, or the command line's login (app->actor) when who is NULL.
 *
 * Writes to a read-only entity (the audit trail) are APP_METHOD.  who
 * (NULL: the system) must be allowed to write e (APP_FORBIDDEN), a focal
 * point writes only rows of its own country where e is scoped, and a
 * record under a parent (F_PARENT) is written by those who may write the
 * parent's collection (a field error otherwise). */

/* The record as a write left it, as its writer may see it: built from the
 * row as written (or, when nothing changed, as read), not read again. */
struct dom_answer {
	struct buf json;
	long long version;
	bool changed; /* an update: did it change anything? */
};

/* Validates obj and inserts it; *key receives the new key. */
MUST_CHECK enum app_err dom_create(struct app *app, const struct entity *e, json_t *obj,
			enum rec_mode mode, const struct principal *who, struct buf *key,
			struct ferrs *errs);
/* The same, with the record created in *ans (NULL: not wanted). */
MUST_CHECK enum app_err dom_create_answer(struct app *app, const struct entity *e, json_t *obj,
			       enum rec_mode mode, const struct principal *who, struct buf *key,
			       struct ferrs *errs, struct dom_answer *ans);

/* The checks of dom_create, then the insert, for a record already decoded
 * (an upload: docs.c sets the fields the file gives).  A hook may set
 * fields of r. */
MUST_CHECK enum app_err dom_insert(struct app *app, struct record *r, const struct principal *who,
			struct buf *key, struct ferrs *errs);

/* Applies patch (a JSON merge patch: given fields replace, multilingual
 * objects merge per language, null clears) to the record at key and
 * validates the result as a whole.  A field that cannot be written (read
 * only, computed, the key, the version, the times) named with another
 * value than the record's is a field error "cannot be changed"; with the
 * same value it is accepted.  A patch that changes nothing writes nothing
 * (no version, no audit entry) and succeeds.  if_version < 0: no
 * precondition. */
MUST_CHECK enum app_err dom_update(struct app *app, const struct entity *e, const char *key,
			json_t *patch, long long if_version, const struct principal *who,
			struct ferrs *errs);
/* The same, with the record as it now is in *ans (NULL: not wanted). */
MUST_CHECK enum app_err dom_update_answer(struct app *app, const struct entity *e, const char *key,
			       json_t *patch, long long if_version, const struct principal *who,
			       struct ferrs *errs, struct dom_answer *ans);

/* The same with a patch already decoded (the fields it sets: spreadsheet
 * cells of a row that names its record, import.c), inside the transaction
 * the caller opened (store_begin), which stays usable after a refusal (a
 * stale version, a field error, no such record): the caller goes on
 * checking, then commits or rolls back the whole. */
MUST_CHECK enum app_err dom_update_within(struct app *app, const struct record *patch, const char *key,
			       long long if_version, const struct principal *who, struct ferrs *errs,
			       struct dom_answer *ans);

MUST_CHECK enum app_err dom_delete(struct app *app, const struct entity *e, const char *key,
			long long if_version, const struct principal *who, struct buf *why);

/* ---- restoring a deleted record ----
 *
 * The audit entry of a deletion keeps the record's last state, every field:
 * staff who may write its collection re-create it from there, with its
 * key, through the checks of a create (rec_from_json as a data file's
 * record, the writer's rules, the entity's checks, references that must
 * still exist); its audit entry's action is "restore". */

enum dom_deletion_state {
	DEL_NOT_DELETION, /* the entry records something else */
	DEL_RESTORABLE,
	DEL_EXISTS,       /* the record exists again */
	DEL_SUPERSEDED,   /* restored and deleted again since: its latest deletion restores it */
	DEL_CANNOT,       /* its collection is never restored (a document: its file is gone) */
	DEL_FORBIDDEN,    /* who may not write its collection */
};

struct dom_deletion {
	enum dom_deletion_state state;
	const struct entity *e; /* the deleted record's entity (NULL: none of the registry) */
	struct buf key;         /* its key */
	struct buf before;      /* its last state, as JSON */
	long long latest;       /* the latest audit entry of the record (DEL_SUPERSEDED) */
};

/* What audit entry `entry` (its number) records, as who (who must read the
 * audit trail: APP_NOT_FOUND otherwise) may restore it.  Release d with
 * dom_deletion_release, whatever the answer. */
MUST_CHECK enum app_err dom_deletion(struct app *app, const char *entry, const struct principal *who,
				     struct dom_deletion *d);
void dom_deletion_release(struct dom_deletion *d);
/* Restores the record whose deletion audit entry `entry` records (d as
 * dom_deletion leaves it), with the record as created in *ans (NULL: not
 * wanted).  APP_FORBIDDEN: who may not write its collection; APP_CONFLICT:
 * d->state says why (it exists again), or errs (its unique values are
 * taken); APP_INVALID: errs (a reference to a record that no longer
 * exists). */
MUST_CHECK enum app_err dom_restore(struct app *app, const char *entry, const struct principal *who,
				    struct dom_deletion *d, struct ferrs *errs, struct dom_answer *ans);

/* Adds to q the filter "f is key" (f of q's entity: a reference to key's
 * record, or the key itself). */
void dom_filter_key(struct query *q, const struct field *f, const char *key);

/* Who writes, for the audit trail: who's name (an anonymous request:
 * "anonymous"), or the program's own (app->actor) when who is NULL. */
const char *dom_actor(struct app *app, const struct principal *who);
/* The rows a writer may write of a scoped entity: a focal point's are of
 * its own country, a donor's of its own organisation (field errors). */
void dom_check_own(const struct record *r, const struct principal *who, struct ferrs *errs);

/* The field error of a record whose unique values another record holds:
 * the entity's unique_msg (or a general one) with the last field's value. */
void dom_unique_error(const struct record *r, struct ferrs *errs);

/* The hook after a write of an entity that declares `propagate` (hooks.c):
 * the value copied onto the record it names, by a write of its own in the
 * same transaction (audited; nothing when the value is already there). */
MUST_CHECK enum app_err dom_propagate(struct store *st, struct write *w);

/* Parses an If-Match value ("3", W/"3", or *) into a version; -1 for none
 * or *; false when it is not a version of ours (which cannot match). */
bool dom_parse_etag(const char *h, long long *version);

#endif
