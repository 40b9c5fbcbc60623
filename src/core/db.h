/* db.h — the database backend interface (a vtable, as curl's vtls/).
 *
 * A backend executes SQL written by store.c in the subset that SQLite and
 * PostgreSQL share, with '?' parameters (a backend that numbers them
 * rewrites).  store.c never sees sqlite3 or libpq types.  One connection is
 * used by one thread at a time. */
#ifndef SUIVI_DB_H
#define SUIVI_DB_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "i18n.h"

enum dbparam_type { DBP_NULL, DBP_INT, DBP_TEXT };

struct dbparam {
	enum dbparam_type type;
	long long i;
	const char *s; /* borrowed for the duration of the call */
};

struct dbconn;
struct dbrows;

/* Bytes of a database stamp (db_ops.stamp_read). */
#define DB_STAMP_SIZE 48

struct db_ops {
	const char *name;
	/* SQL fragments that differ between dialects. */
	const char *begin_write;  /* "BEGIN IMMEDIATE" */
	/* One writer at a time in the whole database (SQLite): the store
	 * queues its threads' write transactions on a mutex rather than
	 * letting them sleep in the busy handler. */
	bool one_writer;
	const char *id_column;    /* DDL of an integer key assigned by the database */
	const char *list_agg;     /* aggregate joining text with a separator: group_concat */
	/* The clause that makes a text expression sort as lang's readers
	 * order texts (" COLLATE fr"), or "" where the database has none:
	 * lists are then in the order of the bytes. */
	const char *(*collate)(enum lang lang);
	/* Ids are never given out twice (docs/API.md), also after rows were
	 * inserted with their ids given (data files) or copied: ids_used is
	 * the highest id table's generator has given or been told of;
	 * ids_reserve makes the next one come after `used` (never lowering). */
	enum app_err (*ids_used)(struct dbconn *c, const char *table, long long *used);
	enum app_err (*ids_reserve)(struct dbconn *c, const char *table, long long used);
	/* Appended to the SELECT that reads a version before a conditional
	 * write, to hold the row until the transaction ends (" FOR UPDATE");
	 * "" where one writer at a time makes it needless. */
	const char *lock_row;
	/* An expression of a random integer in [0, 2^31): the default of a
	 * record key column (entity.h: F_RKEY). */
	const char *random_key;
	/* Gives column (just added to table by ALTER TABLE ... ADD COLUMN
	 * column BIGINT, and filled) the default random_key and NOT NULL,
	 * inside the migration's transaction. */
	enum app_err (*rkey_default)(struct dbconn *c, const char *table, const char *column);
	/* Opens a connection; on failure *msg is a one-line reason (caller frees).
	 * Unless create, a database that does not exist is APP_NOT_FOUND ("no
	 * database at PATH"), not made empty (PostgreSQL never makes one). */
	enum app_err (*connect)(const char *url, bool create, struct dbconn **out, char **msg);
	void (*disconnect)(struct dbconn *c);
	/* Runs one statement.  When rows is non-NULL the caller reads the
	 * result with next/text/integer and must call done; otherwise the
	 * statement runs to completion.  APP_CONFLICT for a unique or foreign
	 * key violation, APP_UNAVAILABLE when the database is busy or gone. */
	enum app_err (*exec)(struct dbconn *c, const char *sql,
			     const struct dbparam *p, int np, struct dbrows **rows);
	/* 1: a row is ready; 0: no more rows; -1: error. */
	int (*next)(struct dbrows *r);
	/* The column as text, or NULL when it is NULL; valid until next/done. */
	const char *(*text)(struct dbrows *r, int col);
	long long (*integer)(struct dbrows *r, int col);
	void (*done)(struct dbrows *r);
	/* The last error message of the connection, for logs. */
	const char *(*errmsg)(struct dbconn *c);
	/* What a query cannot tell about the database's health, or NULL when
	 * there is nothing to add (PostgreSQL): a SQLite file removed, replaced
	 * or made unreadable under an open connection goes on answering from
	 * the old file.  Answers NULL when fine, else a short reason. */
	const char *(*health)(struct dbconn *c);
	/* A fingerprint of the database's committed state that costs no
	 * transaction, or NULL where there is none (PostgreSQL).  stamp_open
	 * gives a handle (-1: none to be had; closed with stamp_close);
	 * stamp_read fills out and answers true when the state is settled
	 * (no commit half-written).  Equal stamps: no commit in between. */
	int (*stamp_open)(const char *url);
	bool (*stamp_read)(int handle, unsigned char out[DB_STAMP_SIZE]);
	void (*stamp_close)(int handle);
};

/* The backends themselves are the store's: db_backends.h. */

/* A result row as the upper layers see it. */
struct row {
	const struct db_ops *ops;
	struct dbrows *rs;
};

static inline const char *row_text(const struct row *r, int col)
{
	return r->ops->text(r->rs, col);
}
static inline long long row_int(const struct row *r, int col)
{
	return r->ops->integer(r->rs, col);
}
static inline bool row_null(const struct row *r, int col)
{
	return r->ops->text(r->rs, col) == NULL;
}
/* The text of a multilingual column triple at col (fr, en, ar) in lang,
 * else in the first of fr, en, ar that has some; NULL when all are empty.
 * *shown (unless shown is NULL) receives the language used. */
static inline const char *row_i18n(const struct row *r, int col, enum lang lang, enum lang *shown)
{
	const enum lang order[] = { lang, LANG_FR, LANG_EN, LANG_AR };
	for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
		enum lang l = order[i];
		const char *s = row_text(r, col + (int)l);
		if (s && *s) {
			if (shown)
				*shown = l;
			return s;
		}
	}
	return NULL;
}
/* The text at col copied into out (size bytes, cut to fit); "" for NULL. */
static inline void row_copy(const struct row *r, int col, char *out, size_t size)
{
	const char *s = row_text(r, col);
	snprintf(out, size, "%s", s ? s : "");
}

#endif
