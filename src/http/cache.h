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

#include "shared.h"

struct cache;

struct cached_response {
	int status;
	const char *content_type;
	struct shared *body; /* a reference: cache_get's caller gives it back */
	char etag[32];
	char disposition[96]; /* its Content-Disposition, if any */
};

struct cache *cache_new(void);
void cache_free(struct cache *c);
/* A fresh entry for key into out, its body a reference to the entry's
 * (shared_unref it: no copy is made). */
bool cache_get(struct cache *c, const char *key, long long generation, struct cached_response *out);
/* Keeps resp for key, with a copy of the len bytes at body as its body
 * (resp->body is not read). */
void cache_put(struct cache *c, const char *key, long long generation, const struct cached_response *resp,
	       const char *body, size_t len);

#endif
