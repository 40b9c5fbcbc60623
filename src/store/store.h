/* store.h — records in the database, driven by the entity registry.
 *
 * All SQL of suivi is written here (store.c), in the subset SQLite and
 * PostgreSQL share, and run by a backend (db.h) chosen by the database URL.
 * Each thread gets its own connection on first use; it is closed when the
 * thread ends (or by store_close for the calling thread).
 *
 * Every write runs in one transaction: the record, its link rows, the
 * fields it propagates and the change counter move together or not at all.
 * A caller may wrap several writes in store_begin/store_commit (a data
 * file, an import): they then share that one transaction. */
#ifndef SUIVI_STORE_H
#define SUIVI_STORE_H
#include <stdbool.h>

#include "buf.h"
#include "db.h"
#include "entity.h"
#include "err.h"
#include "i18n.h"
#include "query.h"
#include "record.h"

struct store;

/* Opens the database named by url (a file path, or sqlite:PATH), applies
 * pending migrations, and returns the store.  On failure *msg holds one
 * line for the user (caller frees).  store_open makes a SQLite file that
 * does not exist yet; store_open_existing refuses it (APP_NOT_FOUND, "no
 * database at PATH (run suivi init)"), and so do the connections the store
 * opens later for other threads: a file removed while serving is not made
 * again, empty, behind everyone's back. */
MUST_CHECK enum app_err store_open(const char *url, struct store **out, char **msg);
MUST_CHECK enum app_err store_open_existing(const char *url, struct store **out, char **msg);
/* Closes the calling thread's connection and frees the store.  Other
 * threads must have ended. */
void store_close(struct store *st);
/* The schema version the database is at. */
int store_schema_version(struct store *st);
/* The schema version this program migrates to: the registry's, or a later
 * migration of hand-written steps only (an index). */
int store_latest_version(void);

/* Called for each row; a non-zero return stops the walk and is returned. */
typedef enum app_err (*row_fn)(void *ctx, const struct row *row);

/* Lists the rows matching q in order; *total (when non-NULL) receives the
 * count of all matching rows regardless of limit and offset. */
MUST_CHECK enum app_err store_list(struct store *st, const struct query *q, long long *total,
			row_fn fn, void *ctx);
/* One record by key: APP_NOT_FOUND when there is none. */
MUST_CHECK enum app_err store_get(struct store *st, const struct entity *e, const char *key,
		       row_fn fn, void *ctx);
/* ---- writing: one record at a time, in the domain's transaction ----
 *
 * The domain (domain.c) opens the transaction (store_begin), reads the
 * record it changes once (store_read: locked until the end on PostgreSQL),
 * decides, then hands the write to store_write, which writes the row (only
 * the fields that changed), its link rows, the audit entry and the change
 * counter, and calls the entity's hooks (entity.h) in between. */

enum write_op { WRITE_CREATE, WRITE_UPDATE, WRITE_DELETE };

struct write {
	const struct entity *e;
	enum write_op op;
	const char *actor;     /* who writes, for the audit trail */
	enum role viewer;      /* whose answer is built (the writer's role) */
	struct buf key;        /* the record's key; a create's once written */
	struct record *before; /* as read (store_read); NULL on create */
	struct record *after;  /* as it is to be written; NULL on delete.  A
				  hook before the write may set its fields,
				  marking them in changed */
	bool *changed;         /* update: the fields that differ from before's */
	struct ferrs *errs;    /* references to records that do not exist */
	struct buf *why;       /* delete: what refers to the record (APP_CONFLICT) */
	const char *audit_action; /* the audit entry's action when not the op's ("restore") */
	/* the images: before_json by store_read (the audit's "before", every
	 * field), answer by store_read and then store_write (the record as the
	 * viewer may see it), version likewise */
	struct buf before_json, answer;
	long long version;
};

void write_init(struct write *w, const struct entity *e, enum write_op op, const char *actor,
		enum role viewer);
void write_release(struct write *w);

/* Reads the one record that q selects (its filters: the key and the
 * reader's scope) into w->before, w->before_json, w->answer and w->version,
 * holding it until the transaction ends.  APP_NOT_FOUND when there is none. */
MUST_CHECK enum app_err store_read(struct store *st, const struct query *q, struct write *w);
/* Is there an approved record of e (a reviewed entity) whose reference
 * via names via_key, later than record key by field by (its value
 * by_value), or as late with a greater number?  (dom_propagate) */
MUST_CHECK enum app_err store_approved_later(struct store *st, const struct entity *e, const struct field *via,
					     const char *via_key, const struct field *by, const char *by_value,
					     const char *key, bool *later);

/* Writes w: checks that the references it gives exist (field errors:
 * APP_INVALID), calls the entity's before hook, writes the row (RETURNING
 * what it now holds: w->answer, w->version, w->key), the link rows and the
 * audit entry, calls the after hook and moves the change counter.  A delete
 * of a record that others refer to is APP_CONFLICT (w->why says which); a
 * key taken is APP_CONFLICT.  Inside the caller's transaction, or its own. */
MUST_CHECK enum app_err store_write(struct store *st, struct write *w);

/* A kind of record that refers to another (store_referrers): o's reference
 * f (FT_REF or FT_REFS), or, o and f NULL, a table outside the registry
 * (accounts) named by plural and column; n (> 0) of them refer to it. */
typedef void (*referrer_fn)(void *ctx, const struct entity *o, const struct field *f, const char *plural,
			    const char *column, long long n);
/* Every kind of record that refers to the record key of e, counted whoever
 * may see them: what stops its deletion (the schema's references have no
 * ON DELETE, but for a record's own link rows, which go with it). */
MUST_CHECK enum app_err store_referrers(struct store *st, const struct entity *e, const char *key,
					referrer_fn fn, void *ctx);

/* The highest number of e's records (0 when none; e has an FT_ID key). */
MUST_CHECK enum app_err store_max_id(struct store *st, const struct entity *e, long long *id);
/* Moves the number generator of e past `used` (records written with their
 * numbers given: a batch, a data file). */
MUST_CHECK enum app_err store_reserve_ids(struct store *st, const struct entity *e, long long used);
/* Does the record `key` of e exist? */
MUST_CHECK enum app_err store_exists(struct store *st, const struct entity *e, const char *key, bool *yes);
/* Does a record of r's entity hold r's values of the fields of its unique
 * declaration (entity.h: unique)?  *yes false when it declares none. */
MUST_CHECK enum app_err store_unique_taken(struct store *st, const struct record *r, bool *yes);

/* A number that changes whenever any record changes, in this process or
 * another one sharing the database: the key of response caches. */
MUST_CHECK enum app_err store_generation(struct store *st, long long *gen);
/* Is the database there and answering (GET /healthz)?  A cheap query on
 * the calling thread's connection, and what the backend knows besides (a
 * SQLite file removed under it).  On failure *why is a short reason that
 * names no path or host (static). */
MUST_CHECK enum app_err store_health(struct store *st, const char **why);
/* Number of records of e. */
MUST_CHECK enum app_err store_count(struct store *st, const struct entity *e, long long *n);
/* How many rows q's filters and scope select (its limit and offset aside):
 * the total its list shows. */
MUST_CHECK enum app_err store_count_where(struct store *st, const struct query *q, long long *n);
/* The same as store_count with the sum of the records' keys when e has a
 * record key (entity.h: F_RKEY; *key 0 otherwise), for a count published by
 * statistical disclosure control (sdc.h). */
MUST_CHECK enum app_err store_count_keyed(struct store *st, const struct entity *e, long long *n, long long *key);

/* Copies every row of e's own table (with ids, versions and timestamps as
 * they are) from one store into another, inside the target's open
 * transaction; *rows counts them.  The link tables of its sets of
 * references come after every entity's rows (store_copy_links): a set may
 * refer to an entity that comes later in the registry. */
MUST_CHECK enum app_err store_copy_entity(struct store *from, struct store *to, const struct entity *e,
			       long long *rows);
MUST_CHECK enum app_err store_copy_links(struct store *from, struct store *to, const struct entity *e,
			      long long *rows);
/* Copies the accounts and API tokens (after the registry's collections,
 * which they refer to); *rows counts them.  Sessions are not copied: people
 * sign in again on the new database. */
MUST_CHECK enum app_err store_copy_accounts(struct store *from, struct store *to, long long *rows);

/* A fingerprint of every record of e as the API shows it (in key order):
 * equal fingerprints and counts on two stores mean equal content. */
MUST_CHECK enum app_err store_fingerprint(struct store *st, const struct entity *e,
			       unsigned long long *hash, long long *count);

MUST_CHECK enum app_err store_begin(struct store *st);
MUST_CHECK enum app_err store_commit(struct store *st);
void store_rollback(struct store *st);

#endif
