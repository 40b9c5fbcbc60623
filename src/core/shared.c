/* shared.c — see shared.h. */
#include "shared.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "banned.h"

struct shared *shared_new(const char *p, size_t n)
{
	struct shared *s = xmalloc(sizeof *s + n + 1);
	atomic_init(&s->refs, 1);
	s->len = n;
	if (n)
		memcpy(s->data, p, n);
	s->data[n] = '\0';
	return s;
}

struct shared *shared_ref(struct shared *s)
{
	/* relaxed: whoever hands s over already holds a reference to it */
	atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
	return s;
}

void shared_unref(struct shared *s)
{
	/* release, then acquire before the free: every owner's reads of the
	 * bytes happen before they go */
	if (s && atomic_fetch_sub_explicit(&s->refs, 1, memory_order_release) == 1) {
		atomic_thread_fence(memory_order_acquire);
		free(s);
	}
}
