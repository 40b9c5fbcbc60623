/* kept.c — see kept.h. */
#include "kept.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "banned.h"

#define KEPT_SLOTS 32

static struct slot {
	long long generation;
	char *key; /* NULL: empty */
	char *data;
	size_t len;
} slots[KEPT_SLOTS];
static unsigned next_slot;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static struct slot *find(const char *key)
{
	for (int i = 0; i < KEPT_SLOTS; i++)
		if (slots[i].key && strcmp(slots[i].key, key) == 0)
			return &slots[i];
	return NULL;
}

bool kept_get(const char *key, long long generation, struct buf *out)
{
	pthread_mutex_lock(&lock);
	const struct slot *s = find(key);
	bool found = s && s->generation == generation;
	if (found)
		buf_add(out, s->data, s->len);
	pthread_mutex_unlock(&lock);
	return found;
}

void kept_put(const char *key, long long generation, const void *data, size_t len)
{
	struct slot fresh = { .generation = generation, .key = xstrdup(key), .data = xmalloc(len ? len : 1), .len = len };
	memcpy(fresh.data, data, len);
	pthread_mutex_lock(&lock);
	struct slot *s = find(key);
	if (!s) /* a key seen before keeps its slot; a new one takes the oldest */
		s = &slots[next_slot++ % KEPT_SLOTS];
	struct slot old = *s;
	*s = fresh;
	pthread_mutex_unlock(&lock);
	free(old.key);
	free(old.data);
}
