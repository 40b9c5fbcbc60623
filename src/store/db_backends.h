/* db_backends.h — the implementations of db.h's interface (db_sqlite.c,
 * db_pg.c) and the choice between them.  The store's own: the layers below
 * know the interface, not the backends. */
#ifndef SUIVI_DB_BACKENDS_H
#define SUIVI_DB_BACKENDS_H

#include "db.h"

extern const struct db_ops db_sqlite;
extern const struct db_ops db_postgresql;

/* The backend a database URL names: postgres:// or postgresql:// URLs (and
 * libpq key=value strings starting "host=" or "dbname="), else SQLite (a
 * path, or sqlite:PATH). */
const struct db_ops *db_for_url(const char *url);

#endif
