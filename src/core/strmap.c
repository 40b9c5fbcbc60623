/* strmap.c — see strmap.h. */
#define _POSIX_C_SOURCE 200809L
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "banned.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The slot of k: its own, or the empty one where it would go. */
static size_t slot(const struct strmap *m, const char *k)
{
	size_t j = hash(k) & (m->cap - 1);
	while (m->keys[j] && strcmp(m->keys[j], k) != 0)
		j = (j + 1) & (m->cap - 1);
	return j;
}

/* Twice the room, every key moved (the table stays at most half full). */
static void grow(struct strmap *m)
{
	struct strmap bigger = { .cap = m->cap ? m->cap * 2 : 64, .n = m->n };
	bigger.keys = xcalloc(bigger.cap, sizeof *bigger.keys);
	bigger.vals = xcalloc(bigger.cap, sizeof *bigger.vals);
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		size_t j = slot(&bigger, m->keys[i]);
		bigger.keys[j] = m->keys[i];
		bigger.vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	*m = bigger;
}

void strmap_put(struct strmap *m, const char *key, long long value)
{
	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	size_t j = slot(m, key);
	if (!m->keys[j]) {
		m->keys[j] = xstrdup(key);
		m->n++;
	}
	m->vals[j] = value;
}

bool strmap_has(const struct strmap *m, const char *key)
{
	return m->cap && m->keys[slot(m, key)];
}

long long strmap_get(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return 0;
	size_t j = slot(m, key);
	return m->keys[j] ? m->vals[j] : 0;
}

void strmap_free(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}
