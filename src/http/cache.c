/* cache.c — see cache.h.  A fixed table of slots addressed by a hash of the
 * key; a new entry replaces whatever held its slot.  Small and bounded. */
#define _POSIX_C_SOURCE 200809L
#include "cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "xalloc.h"
#include "banned.h"

#define SLOTS 512
#define MAX_BODY (64 * 1024) /* bigger responses are not kept: at most 32 MiB in all */

struct slot {
	char *key;
	long long generation;
	char day[11];
	struct cached_response resp;
};

struct cache {
	pthread_mutex_t lock;
	struct slot slots[SLOTS];
};

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

struct cache *cache_new(void)
{
	struct cache *c = xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

void cache_free(struct cache *c)
{
	if (!c)
		return;
	for (int i = 0; i < SLOTS; i++) {
		free(c->slots[i].key);
		shared_unref(c->slots[i].resp.body);
	}
	pthread_mutex_destroy(&c->lock);
	free(c);
}

bool cache_get(struct cache *c, const char *key, long long generation, struct cached_response *out)
{
	char day[11];
	util_today(day);
	struct slot *s = &c->slots[hash(key) % SLOTS];
	bool hit = false;
	pthread_mutex_lock(&c->lock);
	if (s->key && s->generation == generation && strcmp(s->day, day) == 0 &&
	    strcmp(s->key, key) == 0) {
		out->status = s->resp.status;
		out->content_type = s->resp.content_type;
		memcpy(out->etag, s->resp.etag, sizeof out->etag);
		memcpy(out->disposition, s->resp.disposition, sizeof out->disposition);
		out->body = shared_ref(s->resp.body);
		hit = true;
	}
	pthread_mutex_unlock(&c->lock);
	return hit;
}

void cache_put(struct cache *c, const char *key, long long generation, const struct cached_response *resp,
	       const char *body, size_t len)
{
	if (len > MAX_BODY)
		return;
	struct shared *bytes = shared_new(body, len); /* copied outside the lock */
	struct slot *s = &c->slots[hash(key) % SLOTS];
	pthread_mutex_lock(&c->lock);
	free(s->key);
	s->key = xstrdup(key);
	s->generation = generation;
	util_today(s->day);
	s->resp.status = resp->status;
	s->resp.content_type = resp->content_type;
	memcpy(s->resp.etag, resp->etag, sizeof s->resp.etag);
	memcpy(s->resp.disposition, resp->disposition, sizeof s->resp.disposition);
	struct shared *old = s->resp.body; /* answers being sent may hold it still */
	s->resp.body = bytes;
	pthread_mutex_unlock(&c->lock);
	shared_unref(old);
}
