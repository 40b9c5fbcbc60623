/* db_pg.c — the PostgreSQL backend of db.h, through libpq.
 *
 * store.c writes '?' parameters; they become $1, $2, ... here (outside
 * quoted literals).  Each connection prepares a statement once per SQL text
 * and reuses it.  All values travel as text, as SQLite's do.
 *
 * A connection that breaks (PostgreSQL restarted, network gone) makes the
 * statement fail with APP_UNAVAILABLE; the next statement resets it, so
 * suivi reconnects by itself without restarting. */
#define _POSIX_C_SOURCE 200809L
#include <libpq-fe.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "lazy_pq.h"
#include "xalloc.h"
#include "db_backends.h"
#include "banned.h"

#define CACHE_SLOTS 128

struct pg_cached {
	char *sql;
	char name[16];
	unsigned long long used;
};

struct dbconn {
	PGconn *pg;
	struct pg_cached cache[CACHE_SLOTS];
	unsigned long long clock;
	unsigned serial; /* names of prepared statements */
	char *last_error;
};

struct dbrows {
	PGresult *res;
	int row, nrows;
};

static void set_error(struct dbconn *c, const char *msg)
{
	free(c->last_error);
	c->last_error = xstrdup(msg ? msg : "");
	size_t n = strlen(c->last_error);
	while (n && (c->last_error[n - 1] == '\n' || c->last_error[n - 1] == ' '))
		c->last_error[--n] = '\0';
}

static void forget_statements(struct dbconn *c)
{
	for (int i = 0; i < CACHE_SLOTS; i++) {
		free(c->cache[i].sql);
		c->cache[i].sql = NULL;
		c->cache[i].used = 0;
	}
}

/* Whether the server has ICU's collations ("fr-x-icu" …: a server built
 * with ICU, as Debian's is): 1 yes, 0 no, -1 not asked yet.  Asked once,
 * by the first connection: every connection talks to the same server. */
static atomic_int icu = -1;

static void learn_icu(PGconn *pg)
{
	if (atomic_load(&icu) >= 0)
		return;
	PGresult *r = PQexec(pg, "SELECT count(*) FROM pg_collation WHERE collname IN ('fr-x-icu', 'en-x-icu', 'ar-x-icu')");
	bool all = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "3") == 0;
	PQclear(r);
	atomic_store(&icu, all);
}

static const char *pg_collate(enum lang lang)
{
	static const char *const clause[LANG__MAX] = { " COLLATE \"fr-x-icu\"", " COLLATE \"en-x-icu\"",
						       " COLLATE \"ar-x-icu\"" };
	return atomic_load(&icu) == 1 && lang < LANG__MAX ? clause[lang] : "";
}

static enum app_err pg_connect(const char *url, bool create, struct dbconn **out, char **msg)
{
	(void)create; /* PostgreSQL: a database that does not exist is an error of the server's */
	static const char *const keys[] = { "dbname", "connect_timeout", "client_encoding",
					    "application_name", NULL };
	const char *const values[] = { url, "5", "UTF8", "suivi", NULL };
	const char *missing;
	if (!lazylib_pq(&missing)) { /* loaded on the first connection (lazylib.h) */
		*msg = xasprintf("cannot use PostgreSQL: %s", missing);
		return APP_UNAVAILABLE;
	}
	PGconn *pg = PQconnectdbParams(keys, values, 1);
	if (!pg || PQstatus(pg) != CONNECTION_OK) {
		const char *why = pg ? PQerrorMessage(pg) : "out of memory";
		*msg = xasprintf("cannot connect to PostgreSQL: %.*s", (int)strcspn(why, "\n"), why);
		PQfinish(pg);
		return APP_UNAVAILABLE;
	}
	/* Quiet notices (e.g. "no transaction in progress" after a reset). */
	PQsetNoticeProcessor(pg, NULL, NULL);
	PQclear(PQexec(pg, "SET client_min_messages = error"));
	struct dbconn *c = xcalloc(1, sizeof *c);
	c->pg = pg;
	learn_icu(pg);
	*out = c;
	return APP_OK;
}

static void pg_disconnect(struct dbconn *c)
{
	if (!c)
		return;
	forget_statements(c);
	free(c->last_error);
	PQfinish(c->pg);
	free(c);
}

/* The SQL with each '?' outside quotes replaced by $n. */
static char *numbered(const char *sql)
{
	struct buf b = BUF_INIT;
	int n = 0;
	bool quoted = false;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'')
			quoted = !quoted; /* '' inside a literal toggles twice */
		if (*p == '?' && !quoted)
			buf_printf(&b, "$%d", ++n);
		else
			buf_addc(&b, *p);
	}
	return buf_detach(&b);
}

static enum app_err classify(struct dbconn *c, const PGresult *res)
{
	if (PQstatus(c->pg) != CONNECTION_OK)
		return APP_UNAVAILABLE;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (!state)
		return APP_UNAVAILABLE;
	if (strncmp(state, "23", 2) == 0)
		return APP_CONFLICT; /* integrity: unique, foreign key, check */
	if (strcmp(state, "53100") == 0)
		return APP_FULL; /* disk_full: waiting does not help */
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0 ||
	    strncmp(state, "53", 2) == 0 || strcmp(state, "40001") == 0 ||
	    strcmp(state, "40P01") == 0 || strcmp(state, "25P02") == 0)
		return APP_UNAVAILABLE;
	return APP_INTERNAL;
}

/* The error of a statement sql that failed with res (freed): kept for
 * errmsg, and logged when it is no passing condition but a mistake. */
static enum app_err failed(struct dbconn *c, PGresult *res, const char *sql)
{
	enum app_err e = classify(c, res);
	set_error(c, PQresultErrorMessage(res));
	if (e == APP_INTERNAL)
		fprintf(stderr, "suivi: postgresql: %s in: %s\n", c->last_error, sql);
	PQclear(res);
	return e;
}

/* Makes sure the connection works, resetting it when it broke. */
static bool usable(struct dbconn *c)
{
	if (PQstatus(c->pg) == CONNECTION_OK)
		return true;
	PQreset(c->pg);
	forget_statements(c); /* they died with the old session */
	if (PQstatus(c->pg) != CONNECTION_OK) {
		set_error(c, PQerrorMessage(c->pg));
		return false;
	}
	PQclear(PQexec(c->pg, "SET client_min_messages = error"));
	return true;
}

/* The name of the prepared statement for sql, preparing it if needed. */
static enum app_err prepared(struct dbconn *c, const char *sql, const char **name)
{
	struct pg_cached *victim = &c->cache[0];
	c->clock++;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		struct pg_cached *s = &c->cache[i];
		if (s->sql && strcmp(s->sql, sql) == 0) {
			s->used = c->clock;
			*name = s->name;
			return APP_OK;
		}
		if (s->used < victim->used)
			victim = s;
	}
	if (victim->sql) {
		char *dealloc = xasprintf("DEALLOCATE %s", victim->name);
		PQclear(PQexec(c->pg, dealloc));
		free(dealloc);
		free(victim->sql);
		victim->sql = NULL;
	}
	snprintf(victim->name, sizeof victim->name, "s%u", ++c->serial);
	char *text = numbered(sql);
	PGresult *res = PQprepare(c->pg, victim->name, text, 0, NULL);
	free(text);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		return failed(c, res, sql);
	PQclear(res);
	victim->sql = xstrdup(sql);
	victim->used = c->clock;
	*name = victim->name;
	return APP_OK;
}

static enum app_err exec_once(struct dbconn *c, const char *sql, const struct dbparam *p, int np,
			      struct dbrows **rows);

/* A connection that died while idle (PostgreSQL restarted between two
 * requests) is reset and the statement tried once more: nothing of a
 * transaction can be lost, since none was open. */
static enum app_err pg_exec(struct dbconn *c, const char *sql, const struct dbparam *p, int np,
			    struct dbrows **rows)
{
	bool idle = PQtransactionStatus(c->pg) == PQTRANS_IDLE;
	enum app_err rc = exec_once(c, sql, p, np, rows);
	if (rc == APP_UNAVAILABLE && idle && PQstatus(c->pg) != CONNECTION_OK)
		rc = exec_once(c, sql, p, np, rows);
	return rc;
}

static enum app_err exec_once(struct dbconn *c, const char *sql, const struct dbparam *p, int np,
			      struct dbrows **rows)
{
	if (!usable(c))
		return APP_UNAVAILABLE;
	const char *name = NULL;
	enum app_err rc = prepared(c, sql, &name);
	if (rc)
		return rc;
	const char **values = xcalloc((size_t)np + 1, sizeof *values);
	char (*ints)[24] = xcalloc((size_t)np + 1, sizeof *ints);
	for (int i = 0; i < np; i++) {
		if (p[i].type == DBP_INT) {
			snprintf(ints[i], sizeof ints[i], "%lld", p[i].i);
			values[i] = ints[i];
		} else {
			values[i] = p[i].type == DBP_TEXT ? p[i].s : NULL;
		}
	}
	PGresult *res = PQexecPrepared(c->pg, name, np, values, NULL, NULL, 0);
	free(values);
	free(ints);
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		return failed(c, res, sql);
	if (!rows) {
		PQclear(res);
		return APP_OK;
	}
	struct dbrows *r = xcalloc(1, sizeof *r);
	r->res = res;
	r->row = -1;
	r->nrows = PQntuples(res);
	*rows = r;
	return APP_OK;
}

static int pg_next(struct dbrows *r)
{
	return ++r->row < r->nrows ? 1 : 0;
}

static const char *pg_text(struct dbrows *r, int col)
{
	if (r->row < 0 || r->row >= r->nrows || PQgetisnull(r->res, r->row, col))
		return NULL;
	return PQgetvalue(r->res, r->row, col);
}

static long long pg_integer(struct dbrows *r, int col)
{
	const char *s = pg_text(r, col);
	return s ? strtoll(s, NULL, 10) : 0;
}

static void pg_done(struct dbrows *r)
{
	if (!r)
		return;
	PQclear(r->res);
	free(r);
}

static const char *pg_errmsg(struct dbconn *c)
{
	return c->last_error ? c->last_error : PQerrorMessage(c->pg);
}

/* One integer from a statement with the given text parameters. */
static enum app_err pg_scalar(struct dbconn *c, const char *sql, const struct dbparam *p, int np,
			      long long *out)
{
	struct dbrows *r = NULL;
	enum app_err rc = pg_exec(c, sql, p, np, &r);
	if (rc)
		return rc;
	*out = pg_next(r) == 1 ? pg_integer(r, 0) : 0;
	pg_done(r);
	return APP_OK;
}

#define LAST_ID "COALESCE(pg_sequence_last_value(pg_get_serial_sequence(?, 'id')::regclass), 0)"

static enum app_err pg_ids_used(struct dbconn *c, const char *table, long long *used)
{
	struct dbparam p = { .type = DBP_TEXT, .s = table };
	return pg_scalar(c, "SELECT " LAST_ID, &p, 1, used);
}

static enum app_err pg_ids_reserve(struct dbconn *c, const char *table, long long used)
{
	if (used < 1)
		return APP_OK;
	struct dbparam p[] = { { .type = DBP_TEXT, .s = table }, { .type = DBP_INT, .i = used },
			       { .type = DBP_TEXT, .s = table } };
	long long v;
	return pg_scalar(c, "SELECT setval(pg_get_serial_sequence(?, 'id'), GREATEST(CAST(? AS BIGINT), " LAST_ID "))",
			 p, 3, &v);
}

#define PG_RANDOM_KEY "(floor(random() * 2147483648)::bigint)"

static enum app_err pg_rkey_default(struct dbconn *c, const char *table, const char *column)
{
	char *sql = xasprintf("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT " PG_RANDOM_KEY ", ALTER COLUMN %s SET NOT NULL",
			      table, column, column);
	enum app_err rc = pg_exec(c, sql, NULL, 0, NULL);
	free(sql);
	return rc;
}

const struct db_ops db_postgresql = {
	.name = "postgresql",
	.begin_write = "BEGIN",
	.id_column = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	.list_agg = "string_agg",
	.collate = pg_collate,
	.ids_used = pg_ids_used,
	.ids_reserve = pg_ids_reserve,
	.lock_row = " FOR UPDATE",
	.random_key = PG_RANDOM_KEY,
	.rkey_default = pg_rkey_default,
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.exec = pg_exec,
	.next = pg_next,
	.text = pg_text,
	.integer = pg_integer,
	.done = pg_done,
	.errmsg = pg_errmsg,
};
