/* hashpool.c — see hashpool.h.  One mutex and one condition variable
 * guard a fixed ring of jobs; the threads take them in order. */
#define _POSIX_C_SOURCE 200809L
#include "hashpool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"
#include "banned.h"

#define MAX_THREADS 8
#define MAX_QUEUE 256

struct job {
	void (*fn)(void *ctx);
	void *ctx;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t work;
	struct job ring[MAX_QUEUE];
	int head, waiting; /* jobs queued, not yet taken */
	int in_hand;       /* queued or running: what the capacity bounds */
	int capacity;
	int nthreads;
	bool stopping;
	pthread_t threads[MAX_THREADS];
} pool = { .lock = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER };

/* An integer setting from the environment within [lo, hi], else dflt. */
static int env_int(const char *name, int dflt, int lo, int hi)
{
	long long v;
	const char *s = getenv(name);
	return s && util_parse_ll(s, &v) && v >= lo && v <= hi ? (int)v : dflt;
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pool.lock);
	for (;;) {
		while (!pool.waiting && !pool.stopping)
			pthread_cond_wait(&pool.work, &pool.lock);
		if (!pool.waiting) /* stopping, and nothing left to run */
			break;
		struct job j = pool.ring[pool.head];
		pool.head = (pool.head + 1) % MAX_QUEUE;
		pool.waiting--;
		pthread_mutex_unlock(&pool.lock);
		j.fn(j.ctx);
		pthread_mutex_lock(&pool.lock);
		pool.in_hand--;
	}
	pthread_mutex_unlock(&pool.lock);
	return NULL;
}

bool hashpool_start(void)
{
	pool.capacity = env_int("SUIVI_HASH_QUEUE", HASHPOOL_QUEUE, 0, MAX_QUEUE);
	int want = env_int("SUIVI_HASH_THREADS", HASHPOOL_THREADS, 1, MAX_THREADS);
	pool.stopping = false;
	for (pool.nthreads = 0; pool.nthreads < want; pool.nthreads++)
		if (pthread_create(&pool.threads[pool.nthreads], NULL, worker, NULL) != 0)
			break;
	if (!pool.nthreads) {
		fprintf(stderr, "suivi: cannot start a thread to check passwords: sign-ins are refused\n");
		pool.capacity = 0;
	}
	return pool.nthreads > 0;
}

bool hashpool_submit(void (*fn)(void *ctx), void *ctx)
{
	pthread_mutex_lock(&pool.lock);
	bool ok = !pool.stopping && pool.nthreads > 0 && pool.in_hand < pool.capacity;
	if (ok) {
		pool.ring[(pool.head + pool.waiting) % MAX_QUEUE] = (struct job){ fn, ctx };
		pool.waiting++;
		pool.in_hand++;
		pthread_cond_signal(&pool.work);
	}
	pthread_mutex_unlock(&pool.lock);
	return ok;
}

void hashpool_stop(void)
{
	pthread_mutex_lock(&pool.lock);
	pool.stopping = true;
	pthread_cond_broadcast(&pool.work);
	pthread_mutex_unlock(&pool.lock);
	for (int i = 0; i < pool.nthreads; i++)
		pthread_join(pool.threads[i], NULL);
	pool.nthreads = 0;
}
