/* store_int.h — what the store's own files (store.c, store_auth.c) share:
 * connections, running statements (building them: stmt.h) and
 * transactions.  Nothing outside the store includes it (as sqliteInt.h
 * inside SQLite). */
#ifndef SUIVI_STORE_INT_H
#define SUIVI_STORE_INT_H
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "stmt.h"
#include "store.h"

struct store {
	char *url;
	const struct db_ops *ops;
	bool create; /* a connection may make the database (store_open), or must find it */
	pthread_key_t key; /* this thread's struct conn */
	pthread_mutex_t writer; /* held through a write transaction when ops->one_writer */
	/* With one writer at a time, every write transaction runs on this one
	 * connection (opened on first use, under `writer`): its page cache stays
	 * valid from one write to the next, where each thread's own connection
	 * would find it stale after another's commit and read every page again. */
	struct dbconn *writer_db;
	/* The generation last read and the database's stamp before that read
	 * (store_generation): while the stamp is the same, so is the
	 * generation, and no transaction is needed to know it. */
	int stamp_handle; /* -1: no stamp */
	pthread_mutex_t stamp_lock;
	bool stamp_known;
	unsigned char stamp[DB_STAMP_SIZE];
	long long stamp_generation;
	/* Whether any webhook is registered, as read at webhooks_read_at (a
	 * monotonic second; 0: never): a write asks the table at most every
	 * WEBHOOKS_RECHECK seconds (store_notify.c) rather than each time. */
	_Atomic long long webhooks_read_at;
	_Atomic int webhooks_any;
};

struct conn {
	struct store *st;
	const struct db_ops *ops;
	struct dbconn *db;  /* the connection statements go to: own, or the store's writer_db */
	struct dbconn *own; /* this thread's connection */
	int writer_holds;   /* conn_writer_hold levels */
	bool writer_unsure; /* the writer's connection is to be closed when given back */
	int depth; /* open store_begin levels */
	bool failed; /* a statement failed inside the open transaction */
};

/* The calling thread's connection, opened on first use. */
MUST_CHECK enum app_err conn_get(struct store *st, struct conn **out, char **msg);

/* ---- one statement from its SQL and its values ----
 *
 * Most queries are one SQL text and a few values.  The helpers below take
 * the two (stmt.h: BIND), build the statement, run it and release it, so
 * that a caller says only its SQL and what it does with the answer. */

/* On connection c (inside its transaction, when one is open): */
MUST_CHECK enum app_err conn_do(struct conn *c, const char *sql, struct binds b);
MUST_CHECK enum app_err conn_each(struct conn *c, const char *sql, struct binds b, row_fn fn, void *ctx);
MUST_CHECK enum app_err conn_value(struct conn *c, const char *sql, struct binds b, long long *out, bool *found);

/* On the calling thread's connection: */
MUST_CHECK enum app_err store_do(struct store *st, const char *sql, struct binds b);
MUST_CHECK enum app_err store_each(struct store *st, const char *sql, struct binds b, row_fn fn, void *ctx);
/* store_each of a query of one record: APP_NOT_FOUND when there is none. */
MUST_CHECK enum app_err store_one(struct store *st, const char *sql, struct binds b, row_fn fn, void *ctx);
/* The one integer of the first row; *found (when non-NULL) says whether there was one. */
MUST_CHECK enum app_err store_value(struct store *st, const char *sql, struct binds b, long long *out, bool *found);

/* The same for a statement the caller built (its SQL depends on more than
 * values), which they release: */
MUST_CHECK enum app_err store_run(struct store *st, struct stmt *s);
MUST_CHECK enum app_err store_scalar(struct store *st, struct stmt *s, long long *out, bool *found);
MUST_CHECK enum app_err store_walk_one(struct store *st, struct stmt *s, row_fn fn, void *ctx);
/* conn_walk on the calling thread's connection, for one read. */
MUST_CHECK enum app_err store_walk(struct store *st, struct stmt *s, row_fn fn, void *ctx);

/* Runs s; rows as db_ops.exec.  Refused once the open transaction failed. */
MUST_CHECK enum app_err conn_run(struct conn *c, struct stmt *s, struct dbrows **rows);
/* Calls fn for each row; *count (when non-NULL) receives the number of rows. */
MUST_CHECK enum app_err conn_walk(struct conn *c, struct stmt *s, row_fn fn, void *ctx, long long *count);
/* The one integer of the first row; *found (when non-NULL) says whether there was one. */
MUST_CHECK enum app_err conn_scalar(struct conn *c, struct stmt *s, long long *out, bool *found);
MUST_CHECK enum app_err conn_exec(struct conn *c, const char *sql);
/* Write transactions nest: only the outermost begins and commits (or rolls
 * back, when anything inside failed or ok is false). */
/* With one writer at a time (ops->one_writer: SQLite), the writer's place
 * and connection (store.writer_db), held until as many releases: taken by
 * conn_begin, and by the imports around it, whose settings (pragmas) must
 * go to the connection that their transaction will use.  Elsewhere nothing.
 * unsure: a setting did not come back, so the writer's connection is
 * closed when given back (the next writer opens a fresh one). */
MUST_CHECK enum app_err conn_writer_hold(struct conn *c);
void conn_writer_release(struct conn *c, bool unsure);
MUST_CHECK enum app_err conn_begin(struct conn *c);
MUST_CHECK enum app_err conn_end(struct conn *c, bool ok);
/* Adds a row to the audit trail: actor changed entity's record at key
 * (action: create, update, delete ...); before/after are JSON or NULL. */
MUST_CHECK enum app_err conn_audit(struct conn *c, const char *actor, const char *entity, const char *key,
			const char *action, const char *before, const char *after);
/* Queues, for each webhook that wants it, the event "collection.change"
 * of record key, in the open transaction (store_notify.c). */
MUST_CHECK enum app_err conn_webhook_event(struct conn *c, const char *collection, const char *change,
					   const char *key);
/* Bumps the change counter that keys the response caches. */
MUST_CHECK enum app_err conn_bump(struct conn *c);

#endif
