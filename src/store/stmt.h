/* stmt.h — a statement being built from the registry (stmt.c): its SQL
 * text and its parameters, bound in order, and the clauses every query
 * shares (the reader's scope, a list query's WHERE).  Below the store's
 * connections (store_int.h) and the label columns (store_label.h), which
 * build on it; nothing here runs a statement. */
#ifndef SUIVI_STMT_H
#define SUIVI_STMT_H
#include <stdbool.h>

#include "buf.h"
#include "db.h"
#include "entity.h"
#include "query.h"

#define MAX_PARAMS 64

/* A statement being built: its text and its parameters in order. */
struct stmt {
	struct buf sql;
	struct dbparam p[MAX_PARAMS];
	int np;
	char today[11];
	char **owned; /* texts of parameters that the statement frees */
	int nowned;
};

void stmt_init(struct stmt *s);
void stmt_int(struct stmt *s, long long v);
void stmt_text(struct stmt *s, const char *v); /* NULL binds NULL; v is borrowed */
void stmt_text_owned(struct stmt *s, char *v); /* v is freed by stmt_release */
void stmt_param(struct stmt *s, struct dbparam v);
void stmt_key(struct stmt *s, const struct entity *e, const char *key);
void stmt_release(struct stmt *s);
/* The name of the link table of f, a set of references of e: e_f. */
void stmt_link_table(struct buf *b, const struct entity *e, const struct field *f);
/* The expression of a stored or computed column of the row named qual:
 * "t" in queries, the table itself in a RETURNING list (where SQLite knows
 * no alias).  A computed field's expression is written over "t"; its '?'
 * bound to today. */
void stmt_column(struct stmt *s, const struct field *f, const char *qual);

/* Appends " WHERE ..." of the list query q (its filters, q= search and the
 * reader's scope) over q->e's table named t; nothing when none applies. */
void stmt_where(struct stmt *s, const struct query *q);
/* " AND ..." conditions on the row of e named alias that q's viewer sees
 * it by: a focal point's country, a donor's funding, its parents. */
void stmt_visible(struct stmt *s, const struct entity *e, const char *alias, const struct query *q);

/* ---- values ----
 *
 * A statement's values, bound to the '?' in order, are written
 * BIND(p_int(id), p_text(name)), or NO_BINDS; they are borrowed for the
 * call.  (store_int.h: the helpers that build, run and release a statement
 * of one SQL text.) */

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

#endif
