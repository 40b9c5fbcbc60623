/* db_sqlite.c — the SQLite backend of db.h.
 *
 * Each connection keeps its prepared statements in a small cache keyed by
 * the SQL text, so that a statement is prepared once per connection and
 * reused (store.c builds the same text for the same request shape).  The
 * connection is in WAL mode with foreign keys on and a busy timeout, so
 * that readers in other threads or processes never see "database is
 * locked" while a writer works. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdint.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "xalloc.h"
#include "db_backends.h"
#include "banned.h"

#define CACHE_SLOTS 64
#define BUSY_TIMEOUT_MS 5000

struct cached {
	char *sql;
	sqlite3_stmt *stmt;
	unsigned long long used; /* clock value of the last use, for eviction */
};

struct dbconn {
	sqlite3 *db;
	struct cached cache[CACHE_SLOTS];
	unsigned long long clock;
};

struct dbrows {
	struct dbconn *c;
	sqlite3_stmt *stmt;
	int pending;  /* the first row was stepped by exec */
	int owned;    /* not from the cache: finalize on done */
};

static enum app_err classify(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT: return APP_CONFLICT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR: return APP_UNAVAILABLE;
	case SQLITE_FULL: return APP_FULL; /* the disk: waiting does not help */
	default: return APP_INTERNAL;
	}
}

/* Lower case for the letters of the languages suivi meets (Latin with its
 * accents, Greek, Cyrillic; Arabic has no case), so that searching for
 * "états" finds "États" as PostgreSQL's lower() does; SQLite's own lower()
 * folds ASCII only. */
static unsigned fold(unsigned c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
	    (c >= 0x391 && c <= 0x3AB && c != 0x3A2) || (c >= 0x410 && c <= 0x42F))
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40F)
		return c + 0x50;
	if (c == 0x178)
		return 0xFF;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
		return c | 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return (c & 1) ? c + 1 : c;
	return c;
}

static void utf8_put(unsigned char *o, size_t *n, unsigned c)
{
	if (c < 0x80) {
		o[(*n)++] = (unsigned char)c;
	} else if (c < 0x800) {
		o[(*n)++] = (unsigned char)(0xC0 | (c >> 6));
		o[(*n)++] = (unsigned char)(0x80 | (c & 0x3F));
	} else {
		o[(*n)++] = (unsigned char)(0xE0 | (c >> 12));
		o[(*n)++] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
		o[(*n)++] = (unsigned char)(0x80 | (c & 0x3F));
	}
}

/* lower(text): folds two-byte sequences (where all these letters live) and
 * copies every other byte as it is.  Folding never lengthens: a letter
 * keeps its encoded length. */
static void sql_lower(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const unsigned char *s = sqlite3_value_text(argv[0]);
	if (!s) {
		sqlite3_result_null(ctx);
		return;
	}
	size_t len = (size_t)sqlite3_value_bytes(argv[0]), n = 0;
	unsigned char *o = sqlite3_malloc64(len + 1);
	if (!o) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	for (size_t i = 0; i < len;) {
		if (s[i] < 0x80) {
			utf8_put(o, &n, fold(s[i++]));
		} else if ((s[i] & 0xE0) == 0xC0 && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
			unsigned c = ((s[i] & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
			unsigned f = fold(c);
			if (f < 0x80 || f >= 0x800)
				f = c; /* keep the byte length */
			utf8_put(o, &n, f);
			i += 2;
		} else {
			o[n++] = s[i++];
		}
	}
	sqlite3_result_text64(ctx, (const char *)o, n, sqlite3_free, SQLITE_UTF8);
}

/* ---- each language's collation (i18n_collate) ---------------------------- */

static int sql_collate(void *lang, int alen, const void *a, int blen, const void *b)
{
	return i18n_collate((enum lang)(intptr_t)lang, a, (size_t)alen, b, (size_t)blen);
}

/* "fr", "en", "ar": glibc's collations through i18n_collate rather than
 * ICU's, which would be one more library to link and ship for three
 * languages whose locales Debian's locales-all already gives (tools/deps). */
static void register_collations(sqlite3 *db)
{
	for (int l = 0; l < LANG__MAX; l++)
		sqlite3_create_collation_v2(db, lang_code[l], SQLITE_UTF8, (void *)(intptr_t)l, sql_collate, NULL);
}

static const char *sq_collate(enum lang lang)
{
	static const char *const clause[LANG__MAX] = { " COLLATE fr", " COLLATE en", " COLLATE ar" };
	return lang < LANG__MAX ? clause[lang] : "";
}

static enum app_err sq_connect(const char *url, bool create, struct dbconn **out, char **msg)
{
	const char *path = strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
	if (!create && access(path, F_OK) != 0) {
		*msg = xasprintf("no database at %s (run suivi init)", path);
		return APP_NOT_FOUND;
	}
	struct dbconn *c = xcalloc(1, sizeof *c);
	int rc = sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
				 (create ? SQLITE_OPEN_CREATE : 0), NULL);
	if (rc != SQLITE_OK) {
		*msg = xasprintf("cannot open database %s: %s", path,
				 c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		sqlite3_close(c->db);
		free(c);
		return APP_UNAVAILABLE;
	}
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	register_collations(c->db);
	sqlite3_create_function(c->db, "lower", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				sql_lower, NULL, NULL);
	char *err = NULL;
	rc = sqlite3_exec(c->db,
			  "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
			  "PRAGMA synchronous=NORMAL; "
			  /* a page of 100 records plus its count reads more than
			   * the default 2 MiB cache holds: pages are read again
			   * for every request without a larger one (filled on
			   * demand: idle memory stays small; no mmap, which
			   * would count the whole file as resident) */
			  "PRAGMA cache_size=-16384;",
			  NULL, NULL, &err);
	if (rc != SQLITE_OK) {
		*msg = xasprintf("cannot use database %s: %s", path, err ? err : sqlite3_errstr(rc));
		sqlite3_free(err);
		sqlite3_close(c->db);
		free(c);
		return classify(rc) == APP_INTERNAL ? APP_UNAVAILABLE : classify(rc);
	}
	*out = c;
	return APP_OK;
}

static void sq_disconnect(struct dbconn *c)
{
	if (!c)
		return;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		sqlite3_finalize(c->cache[i].stmt);
		free(c->cache[i].sql);
	}
	sqlite3_close(c->db);
	free(c);
}

/* A prepared statement for sql: the cached one when it is free, else a new
 * one (cached when a slot can be had).  *owned tells the caller to
 * finalize it. */
static int statement(struct dbconn *c, const char *sql, sqlite3_stmt **out, int *owned)
{
	struct cached *victim = &c->cache[0];
	c->clock++;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		struct cached *s = &c->cache[i];
		if (s->sql && strcmp(s->sql, sql) == 0) {
			if (sqlite3_stmt_busy(s->stmt))
				break; /* in use further up the stack */
			s->used = c->clock;
			*out = s->stmt;
			*owned = 0;
			return SQLITE_OK;
		}
		if (s->used < victim->used)
			victim = s;
	}
	int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
	if (rc != SQLITE_OK)
		return rc;
	*owned = 1;
	if (!victim->stmt || !sqlite3_stmt_busy(victim->stmt)) {
		sqlite3_finalize(victim->stmt);
		free(victim->sql);
		victim->sql = xstrdup(sql);
		victim->stmt = *out;
		victim->used = c->clock;
		*owned = 0;
	}
	return SQLITE_OK;
}

static void release(sqlite3_stmt *stmt, int owned)
{
	if (owned) {
		sqlite3_finalize(stmt);
	} else {
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
	}
}

static enum app_err sq_exec(struct dbconn *c, const char *sql, const struct dbparam *p,
			    int np, struct dbrows **rows)
{
	sqlite3_stmt *stmt;
	int owned;
	int rc = statement(c, sql, &stmt, &owned);
	if (rc != SQLITE_OK) {
		fprintf(stderr, "suivi: sqlite: %s in: %s\n", sqlite3_errmsg(c->db), sql);
		return classify(rc);
	}
	for (int i = 0; i < np; i++) {
		switch (p[i].type) {
		case DBP_NULL: rc = sqlite3_bind_null(stmt, i + 1); break;
		case DBP_INT: rc = sqlite3_bind_int64(stmt, i + 1, p[i].i); break;
		case DBP_TEXT: rc = sqlite3_bind_text(stmt, i + 1, p[i].s, -1, SQLITE_STATIC); break;
		}
		if (rc != SQLITE_OK) {
			release(stmt, owned);
			return APP_INTERNAL;
		}
	}
	rc = sqlite3_step(stmt);
	if (rows && rc == SQLITE_ROW) {
		struct dbrows *r = xcalloc(1, sizeof *r);
		*r = (struct dbrows){ .c = c, .stmt = stmt, .pending = 1, .owned = owned };
		*rows = r;
		return APP_OK;
	}
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(stmt);
	if (rc != SQLITE_DONE) {
		enum app_err e = classify(rc);
		if (e == APP_INTERNAL)
			fprintf(stderr, "suivi: sqlite: %s in: %s\n", sqlite3_errmsg(c->db), sql);
		release(stmt, owned);
		return e;
	}
	if (rows) {
		struct dbrows *r = xcalloc(1, sizeof *r);
		*r = (struct dbrows){ .c = c, .stmt = stmt, .pending = -1, .owned = owned };
		*rows = r;
		return APP_OK;
	}
	release(stmt, owned);
	return APP_OK;
}

static int sq_next(struct dbrows *r)
{
	if (r->pending == 1) {
		r->pending = 0;
		return 1;
	}
	if (r->pending == -1)
		return 0;
	int rc = sqlite3_step(r->stmt);
	if (rc == SQLITE_ROW)
		return 1;
	r->pending = -1;
	return rc == SQLITE_DONE ? 0 : -1;
}

static const char *sq_text(struct dbrows *r, int col)
{
	return (const char *)sqlite3_column_text(r->stmt, col);
}

static long long sq_integer(struct dbrows *r, int col)
{
	return sqlite3_column_int64(r->stmt, col);
}

static void sq_done(struct dbrows *r)
{
	if (!r)
		return;
	release(r->stmt, r->owned);
	free(r);
}

static const char *sq_errmsg(struct dbconn *c)
{
	return sqlite3_errmsg(c->db);
}

static const char *sq_health(struct dbconn *c)
{
	int moved = 0;
	const char *path = sqlite3_db_filename(c->db, "main");
	if (sqlite3_file_control(c->db, "main", SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK || moved)
		return "the database file was moved or removed";
	if (path && *path && access(path, R_OK | W_OK) != 0)
		return "the database file cannot be read or written";
	return NULL;
}

/* AUTOINCREMENT keeps each table's highest id in sqlite_sequence. */
static enum app_err sq_ids_used(struct dbconn *c, const char *table, long long *used)
{
	struct dbparam p = { .type = DBP_TEXT, .s = table };
	struct dbrows *r = NULL;
	enum app_err rc = sq_exec(c, "SELECT seq FROM sqlite_sequence WHERE name = ?", &p, 1, &r);
	if (rc)
		return rc;
	*used = sq_next(r) == 1 ? sq_integer(r, 0) : 0;
	sq_done(r);
	return APP_OK;
}

static enum app_err sq_ids_reserve(struct dbconn *c, const char *table, long long used)
{
	struct dbparam p[] = { { .type = DBP_TEXT, .s = table }, { .type = DBP_INT, .i = used },
			       { .type = DBP_TEXT, .s = table } };
	enum app_err rc = sq_exec(c, "INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS "
				     "(SELECT 1 FROM sqlite_sequence WHERE name = ?)", p, 3, NULL);
	struct dbparam q[] = { { .type = DBP_INT, .i = used }, { .type = DBP_TEXT, .s = table },
			       { .type = DBP_INT, .i = used } };
	if (!rc)
		rc = sq_exec(c, "UPDATE sqlite_sequence SET seq = ? WHERE name = ? AND seq < ?", q, 3, NULL);
	return rc;
}

/* ---- a record key's default ------------------------------------------------------
 *
 * SQLite's ALTER TABLE cannot add a column whose default is an expression
 * to a table that has rows, nor change a column's default.  Its
 * documentation gives a procedure for that change ("Making Other Kinds Of
 * Table Schema Changes", https://www.sqlite.org/lang_altertable.html):
 * inside the transaction, edit the table's CREATE TABLE text in
 * sqlite_schema, then increment the schema version so that every
 * connection reads the schema again.  The file format is unchanged (a
 * default is only used when a row is inserted); NOT NULL holds, every row
 * having been filled. */

#define SQ_RANDOM_KEY "(random() & 2147483647)"

static enum app_err sq_pragma_int(struct dbconn *c, const char *sql, long long *v)
{
	struct dbrows *r = NULL;
	enum app_err rc = sq_exec(c, sql, NULL, 0, &r);
	if (rc)
		return rc;
	rc = sq_next(r) == 1 ? APP_OK : APP_INTERNAL;
	if (!rc)
		*v = sq_integer(r, 0);
	sq_done(r);
	return rc;
}

static enum app_err sq_rkey_default(struct dbconn *c, const char *table, const char *column)
{
	long long version = 0;
	char *was = xasprintf(", %s BIGINT)", column); /* the end ADD COLUMN left */
	char *now = xasprintf(", %s BIGINT NOT NULL DEFAULT " SQ_RANDOM_KEY ")", column);
	struct dbparam p[] = { { .type = DBP_TEXT, .s = was }, { .type = DBP_TEXT, .s = now },
			       { .type = DBP_TEXT, .s = table } };
	enum app_err rc = sq_pragma_int(c, "PRAGMA schema_version", &version);
	if (!rc)
		rc = sq_exec(c, "PRAGMA writable_schema = ON", NULL, 0, NULL);
	if (!rc)
		rc = sq_exec(c, "UPDATE sqlite_schema SET sql = substr(sql, 1, length(sql) - length(?1)) || ?2 "
				"WHERE type = 'table' AND name = ?3 AND substr(sql, -length(?1)) = ?1",
			     p, 3, NULL);
	if (!rc && sqlite3_changes(c->db) != 1)
		rc = APP_INTERNAL; /* not the text ADD COLUMN leaves */
	if (!rc) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA schema_version = %lld", version + 1);
		rc = sq_exec(c, sql, NULL, 0, NULL);
	}
	enum app_err off = sq_exec(c, "PRAGMA writable_schema = OFF", NULL, 0, NULL);
	free(was);
	free(now);
	return rc ? rc : off;
}

/* ---- the stamp: the WAL-index header ----------------------------------------
 *
 * In WAL mode every commit, in any process, rewrites the header of the
 * WAL-index (the -shm file; https://www.sqlite.org/walformat.html): its
 * change counter, last frame and salts.  The header is kept twice, the
 * second copy written first, so that a reader that finds both copies equal
 * holds a settled header, as SQLite's own readers do.  Read with pread (a
 * file that another process truncates gives a short read here, where a
 * mapping would give SIGBUS). */

#define WAL_HEADER 48 /* bytes of one copy of the header */

static int sq_stamp_open(const char *url)
{
	const char *path = strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
	if (strncmp(path, "file:", 5) == 0 || strcmp(path, ":memory:") == 0 || !*path)
		return -1; /* URIs and memory databases: no stamp */
	char *shm = xasprintf("%s-shm", path);
	int fd = open(shm, O_RDONLY | O_CLOEXEC);
	free(shm);
	return fd;
}

static bool sq_stamp_read(int fd, unsigned char out[DB_STAMP_SIZE])
{
	unsigned char h[2 * WAL_HEADER];
	_Static_assert(DB_STAMP_SIZE == WAL_HEADER, "the stamp is one copy of the header");
	if (pread(fd, h, sizeof h, 0) != (ssize_t)sizeof h)
		return false;
	if (memcmp(h, h + WAL_HEADER, WAL_HEADER) != 0 || h[12] != 1) /* two copies alike; isInit */
		return false;
	memcpy(out, h, WAL_HEADER);
	return true;
}

static void sq_stamp_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

const struct db_ops db_sqlite = {
	.name = "sqlite",
	.begin_write = "BEGIN IMMEDIATE",
	.one_writer = true,
	.ids_used = sq_ids_used,
	.ids_reserve = sq_ids_reserve,
	.lock_row = "",
	.random_key = SQ_RANDOM_KEY,
	.rkey_default = sq_rkey_default,
	.id_column = "INTEGER PRIMARY KEY AUTOINCREMENT", /* ids of deleted records are never reused */
	.list_agg = "group_concat",
	.collate = sq_collate,
	.connect = sq_connect,
	.disconnect = sq_disconnect,
	.exec = sq_exec,
	.next = sq_next,
	.text = sq_text,
	.integer = sq_integer,
	.done = sq_done,
	.errmsg = sq_errmsg,
	.health = sq_health,
	.stamp_open = sq_stamp_open,
	.stamp_read = sq_stamp_read,
	.stamp_close = sq_stamp_close,
};

const struct db_ops *db_for_url(const char *url)
{
	if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0 ||
	    strncmp(url, "host=", 5) == 0 || strncmp(url, "dbname=", 7) == 0)
		return &db_postgresql;
	return &db_sqlite;
}
