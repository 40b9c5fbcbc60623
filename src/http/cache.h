/* cache.h — responses kept between requests, keyed by request and by the
 * store's change counter.
 *
 * An entry is only served while the database is at the generation (and the
 * UTC day: `late` depends on it) it was made at, so every write anywhere —
 * in this process or in another sharing the database — invalidates it.
 * Thread-safe. */
#ifndef SUIVI_CACHE_H
#define SUIVI_CACHE_H
#include <stdbool.h>

#include "buf.h"

struct cache;

struct cached_response {
	int status;
	const char *content_type;
	struct buf body;
	char etag[32];
	char disposition[96]; /* its Content-Disposition, if any */
};

struct cache *cache_new(void);
void cache_free(struct cache *c);
/* Copies a fresh entry for key into out (whose body must be empty). */
bool cache_get(struct cache *c, const char *key, long long generation, struct cached_response *out);
/* Stores a copy of resp for key. */
void cache_put(struct cache *c, const char *key, long long generation, const struct cached_response *resp);

#endif
