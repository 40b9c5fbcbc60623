/* filecache.c — see filecache.h. */
#define _GNU_SOURCE
#include "filecache.h"

#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "docstore.h"
#include "xalloc.h"
#include "banned.h"

#define HASH_BYTES 16

struct slot {
	int fd;                /* -1: nothing built yet */
	unsigned long long size;
	long long generation;  /* of the database the file was built at */
	unsigned char hash[HASH_BYTES]; /* of the content, its stamp left as FILECACHE_STAMP */
	char etag[48];
	time_t modified;
	bool building;         /* a thread builds the next file, the lock released */
};

struct filecache {
	char *dir;
	pthread_mutex_t lock;
	pthread_cond_t built;  /* a build ended */
	int nslots;
	struct slot *slots;
};

struct filecache *filecache_new(const char *dir, int nslots)
{
	struct filecache *c = xcalloc(1, sizeof *c);
	c->dir = xstrdup(dir);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->built, NULL);
	c->nslots = nslots;
	c->slots = xcalloc((size_t)nslots, sizeof *c->slots);
	for (int i = 0; i < nslots; i++)
		c->slots[i].fd = -1;
	return c;
}

void filecache_free(struct filecache *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->nslots; i++)
		if (c->slots[i].fd >= 0)
			close(c->slots[i].fd);
	free(c->slots);
	pthread_cond_destroy(&c->built);
	pthread_mutex_destroy(&c->lock);
	free(c->dir);
	free(c);
}

/* A build's outcome, made without the lock. */
struct made {
	bool same;             /* the content of the slot's file: keep that one */
	int fd;
	unsigned long long size;
	unsigned char hash[HASH_BYTES];
	time_t modified;
};

/* Puts the time t where the content says when it was made. */
static void stamp(struct buf *b, time_t t)
{
	size_t n = strlen(FILECACHE_STAMP);
	char *at = memmem(b->data, b->len, FILECACHE_STAMP, n);
	struct tm tm;
	char when[32];
	if (!at || !gmtime_r(&t, &tm) || strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm) != n)
		return;
	memcpy(at, when, n);
}

/* Builds slot s's next file (the caller is its only builder: s's file and
 * hash stay as they are meanwhile). */
static enum app_err make(const struct filecache *c, const struct slot *s, filecache_build build, void *ctx,
			 struct made *m)
{
	struct buf out = BUF_INIT;
	enum app_err rc = build(ctx, FILECACHE_STAMP, &out);
	if (!rc) {
		crypto_generichash(m->hash, sizeof m->hash, (const unsigned char *)out.data, out.len, NULL, 0);
		m->same = s->fd >= 0 && memcmp(m->hash, s->hash, sizeof m->hash) == 0;
	}
	if (!rc && !m->same) {
		m->modified = time(NULL);
		stamp(&out, m->modified);
		m->size = out.len;
		m->fd = docstore_scratch(c->dir, out.data, out.len);
		if (m->fd < 0)
			rc = APP_INTERNAL;
	}
	buf_release(&out);
	return rc;
}

/* Makes m slot s's file, as of generation; lock held. */
static void install(struct slot *s, const struct made *m, long long generation)
{
	s->generation = generation;
	if (m->same)
		return;
	if (s->fd >= 0)
		close(s->fd); /* responses sending it hold descriptors of their own */
	s->fd = m->fd;
	s->size = m->size;
	s->modified = m->modified;
	memcpy(s->hash, m->hash, sizeof s->hash);
	char hex[2 * HASH_BYTES + 1];
	sodium_bin2hex(hex, sizeof hex, s->hash, sizeof s->hash);
	snprintf(s->etag, sizeof s->etag, "W/\"%s\"", hex);
}

enum app_err filecache_get(struct filecache *c, int i, long long generation, filecache_build build,
			   void *ctx, struct filecache_file *out)
{
	struct slot *s = &c->slots[i];
	enum app_err rc = APP_OK;
	pthread_mutex_lock(&c->lock);
	while (s->building && s->fd < 0) /* nothing to send before that build ends */
		pthread_cond_wait(&c->built, &c->lock);
	if ((s->fd < 0 || s->generation != generation) && !s->building) {
		s->building = true;
		pthread_mutex_unlock(&c->lock);
		struct made m = { .fd = -1 };
		rc = make(c, s, build, ctx, &m);
		pthread_mutex_lock(&c->lock);
		if (!rc)
			install(s, &m, generation);
		s->building = false;
		pthread_cond_broadcast(&c->built);
	}
	if (!rc && (out->fd = dup(s->fd)) < 0)
		rc = APP_INTERNAL;
	if (!rc) {
		out->size = s->size;
		out->modified = s->modified;
		memcpy(out->etag, s->etag, sizeof out->etag);
	}
	pthread_mutex_unlock(&c->lock);
	return rc;
}
