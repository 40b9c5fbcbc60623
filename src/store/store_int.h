/* store_int.h — what the store's own files (store.c, store_auth.c) share:
 * connections, statement building and transactions.  Nothing outside the
 * store includes it (as sqliteInt.h inside SQLite). */
#ifndef SUIVI_STORE_INT_H
#define SUIVI_STORE_INT_H
#include <pthread.h>
#include <stdbool.h>

#include "store.h"

#define MAX_PARAMS 64

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

/* A statement being built: its text and its parameters in order. */
struct stmt {
	struct buf sql;
	struct dbparam p[MAX_PARAMS];
	int np;
	char today[11];
	char **owned; /* texts of parameters that the statement frees */
	int nowned;
};

/* The calling thread's connection, opened on first use. */
MUST_CHECK enum app_err conn_get(struct store *st, struct conn **out, char **msg);

void stmt_init(struct stmt *s);
void stmt_int(struct stmt *s, long long v);
void stmt_text(struct stmt *s, const char *v); /* NULL binds NULL; v is borrowed */
void stmt_text_owned(struct stmt *s, char *v); /* v is freed by stmt_release */
void stmt_param(struct stmt *s, struct dbparam v);
void stmt_key(struct stmt *s, const struct entity *e, const char *key);
void stmt_release(struct stmt *s);
/* The name of the link table of f, a set of references of e: e_f. */
void link_table(struct buf *b, const struct entity *e, const struct field *f);

/* Appends " WHERE ..." of the list query q (its filters, q= search and the
 * reader's scope) over q->e's table named t; nothing when none applies. */
void stmt_where(struct stmt *s, const struct query *q);
/* " AND ..." conditions on the row of e named alias that q's viewer sees
 * it by: a focal point's country, a donor's funding, its parents. */
void stmt_visible(struct stmt *s, const struct entity *e, const char *alias, const struct query *q);

/* ---- labels (store_label.c) ---- */

#define LABEL_JOINS_MAX 48

/* The records a labelled query reads beside each row, one LEFT JOIN each:
 * node i is the record of `target` whose key is column `column` of node
 * `from` (-1: the row, named `root`). */
struct label_joins {
	char prefix; /* of the nodes' aliases: j1, j2, ... */
	const char *root;
	struct {
		int from;
		const char *column;
		const struct entity *target;
	} node[LABEL_JOINS_MAX];
	int n;
};

/* Appends the label columns of q->e's rows (label.h) that q->labels asks
 * for to a select list, noting in *j the joins they need (j is
 * initialised here). */
void stmt_label_columns(struct stmt *s, const struct db_ops *ops, const struct query *q,
			struct label_joins *j);
/* Appends the joins j of the label columns, as q's viewer may see them. */
void stmt_label_joins(struct stmt *s, const struct query *q, const struct label_joins *j);

/* ---- one statement from its SQL and its values ----
 *
 * Most queries are one SQL text and a few values.  The helpers below take
 * the two, build the statement, run it and release it, so that a caller
 * says only its SQL and what it does with the answer.  The values, bound to
 * the '?' in order, are written BIND(p_int(id), p_text(name)), or NO_BINDS;
 * they are borrowed for the call. */

struct binds {
	const struct dbparam *p;
	int n;
};

#define BIND(...)                                                                   \
	((struct binds){ (const struct dbparam[]){ __VA_ARGS__ },                   \
			 (int)(sizeof((const struct dbparam[]){ __VA_ARGS__ }) / sizeof(struct dbparam)) })
#define NO_BINDS ((struct binds){ NULL, 0 })

static inline struct dbparam p_int(long long v)
{
	return (struct dbparam){ .type = DBP_INT, .i = v };
}
/* NULL binds NULL. */
static inline struct dbparam p_text(const char *v)
{
	return v ? (struct dbparam){ .type = DBP_TEXT, .s = v } : (struct dbparam){ .type = DBP_NULL };
}
/* v when given, else NULL (an optional number or reference). */
static inline struct dbparam p_int_or_null(bool given, long long v)
{
	return given ? p_int(v) : (struct dbparam){ .type = DBP_NULL };
}

/* Appends sql and the values it binds to s. */
void stmt_add(struct stmt *s, const char *sql, struct binds b);

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
/* Bumps the change counter that keys the response caches. */
MUST_CHECK enum app_err conn_bump(struct conn *c);

/* ---- the training counts behind figures (store_training.c, sdc.h) ---- */

/* An enrolment e with both scores. */
#define TR_SCORED "e.pre_score IS NOT NULL AND e.post_score IS NOT NULL"
/* The TR_COUNTS_COLUMNS columns store_training_row_counts reads, over enrolments e (an
 * aggregate; e may come from a LEFT JOIN). */
#define TR_COUNTS                                                                                       \
	"COUNT(e.id), COALESCE(SUM(CASE WHEN e.completed = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(e.rkey), 0), " \
	"COALESCE(SUM(CASE WHEN e.completed = 1 THEN e.rkey ELSE 0 END), 0), "                            \
	"COALESCE(SUM(CASE WHEN " TR_SCORED " THEN 1 ELSE 0 END), 0), "                                   \
	"COALESCE(SUM(CASE WHEN " TR_SCORED " THEN e.rkey ELSE 0 END), 0)"
struct store_training_counts;
/* The counts of the enrolments e that `where` selects — joins from
 * "enrolment e" and a WHERE clause, with its parameters; released. */
MUST_CHECK enum app_err store_training_counts_where(struct store *st, struct stmt *where, struct store_training_counts *out);
/* The same with where_sql's one parameter, id. */
MUST_CHECK enum app_err store_training_counts_by(struct store *st, const char *where_sql, long long id,
				      struct store_training_counts *out);

#endif
