/* kept.h — what a page took long to read, kept while the database stands.
 *
 * Some parts of pages read many rows to say little (the home page's
 * follow-up of each outcome and its count of late actions: 10⁵ actions; the
 * board's counts).  Their bytes are kept under a key that says everything
 * they depend on (the reader's role, country, organisation and language,
 * the day), and given back while the database's change counter
 * (request.generation) has not moved; any write moves it.  A few slots,
 * the oldest replaced; thread-safe. */
#ifndef SUIVI_KEPT_H
#define SUIVI_KEPT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Appends to out the bytes kept under key at generation; false (nothing
 * appended) when there are none. */
bool kept_get(const char *key, long long generation, struct buf *out);
/* Keeps a copy of data[0..len) under key at generation (replacing what
 * key held). */
void kept_put(const char *key, long long generation, const void *data, size_t len);

#endif
