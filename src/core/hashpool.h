/* hashpool.h — a small, bounded pool of threads for the requests that hash
 * a password (signing in, changing one's password).
 *
 * Argon2id costs tens of milliseconds of CPU and 64 MiB each time, on
 * purpose.  Run on one of libmicrohttpd's two request threads, two sign-ins
 * at once held both, and every other request (a page, /healthz) waited
 * behind them.  server.c suspends such a request's connection, hands the
 * request to this pool and resumes the connection when the answer is
 * ready: the request threads never hash.
 *
 * The pool holds at most SUIVI_HASH_QUEUE jobs at once, running or waiting
 * (default 8; 0 refuses every job, which the tests use), on
 * SUIVI_HASH_THREADS threads (default 1: the other core stays free for
 * the requests).  A job refused because the pool is full is answered 503
 * with Retry-After by its handler. */
#ifndef SUIVI_HASHPOOL_H
#define SUIVI_HASHPOOL_H
#include <stdbool.h>

#define HASHPOOL_QUEUE 8   /* default jobs in hand */
#define HASHPOOL_THREADS 1 /* default threads */
#define HASHPOOL_RETRY 2   /* seconds a refused client is told to wait */

/* Starts the threads (sizes from the environment, read once).  False
 * when no thread could be started: every job is then refused. */
bool hashpool_start(void);
/* Runs fn(ctx) on a pool thread, or answers false at once when the pool
 * is full or stopping (fn is then not called). */
bool hashpool_submit(void (*fn)(void *ctx), void *ctx);
/* Refuses new jobs, runs those already queued, and joins the threads. */
void hashpool_stop(void);

#endif
