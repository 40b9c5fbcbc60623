/* import_writer.h — an import's writes on a second thread.
 *
 * Reading and checking a CSV file and inserting its rows take about a
 * quarter and three quarters of an import (perf, 10⁵ needs); on a machine
 * of two cores or more they can overlap.  The reading thread queues each
 * checked row here (its values are copied into chunks of rows); a writer
 * thread hands them to store_import_row in the same order.  The store's
 * connection is used by the writer only between iw_start and iw_finish,
 * and by the caller before and after: one thread at a time. */
#ifndef SUIVI_IMPORT_WRITER_H
#define SUIVI_IMPORT_WRITER_H
#include "db.h"
#include "err.h"
#include "store_import.h"

struct import_writer;

/* Starts the writer of an import whose rows have ncols values (NULL when
 * no thread can be had: the caller then writes its rows itself). */
struct import_writer *iw_start(struct store_import *im, int ncols);
/* Queues one row (its values copied).  Returns the writer's first error
 * so far, if any: the caller stops queueing then. */
MUST_CHECK enum app_err iw_row(struct import_writer *w, const struct dbparam *vals);
/* Writes what is queued, stops the thread and frees w; returns the
 * writer's first error. */
MUST_CHECK enum app_err iw_finish(struct import_writer *w);

#endif
