/* conn_guard.c — see conn_guard.h. */
#define _GNU_SOURCE
#include "conn_guard.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "xalloc.h"
#include "banned.h"

#define BUCKETS 1024         /* of the per-address counts */
#define REAP_EVERY_MS 250
#define DRAIN_EVERY_MS 50   /* while connections linger */
#define LINGER_MS 2000
#define LINGER_BYTES (64LL * 1024 * 1024)
#define LINGER_MAX 256

/* An address as 16 bytes: IPv4 as an IPv4-mapped IPv6 address. */
struct addr {
	unsigned char b[16];
};

struct count {
	struct addr a;
	unsigned n;
	struct count *next;
};

struct guarded {
	int fd;
	struct addr a;
	bool counted;       /* holds one of its address's count */
	bool waiting;       /* for a request head */
	bool linger;        /* refused before its body: linger at close */
	long long deadline; /* ms on the monotonic clock, when waiting */
	struct guarded *prev, *next;
};

/* A closed connection whose remaining input is read and dropped. */
struct lingering {
	int fd;             /* our duplicate */
	long long until;    /* ms on the monotonic clock */
	long long dropped;  /* bytes */
};

struct conn_guard {
	pthread_mutex_t lock; /* everything below */
	pthread_cond_t wake;  /* the reaper's sleep; signalled to stop it */
	bool stopping;
	pthread_t reaper;
	unsigned per_client, head_deadline;
	struct addr *exempt;
	size_t nexempt;
	struct count *bucket[BUCKETS];
	struct guarded *list;
	struct lingering linger[LINGER_MAX];
	int nlinger;
};

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* False for an address family other than IPv4 and IPv6 (a Unix socket). */
static bool addr_of(const struct sockaddr *sa, struct addr *out)
{
	memset(out, 0, sizeof *out);
	if (sa && sa->sa_family == AF_INET) {
		out->b[10] = out->b[11] = 0xff;
		memcpy(out->b + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return true;
	}
	if (sa && sa->sa_family == AF_INET6) {
		memcpy(out->b, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		return true;
	}
	return false;
}

static bool addr_parse(const char *s, struct addr *out)
{
	struct in_addr v4;
	memset(out, 0, sizeof *out);
	if (inet_pton(AF_INET, s, &v4) == 1) {
		out->b[10] = out->b[11] = 0xff;
		memcpy(out->b + 12, &v4, 4);
		return true;
	}
	return inet_pton(AF_INET6, s, out->b) == 1;
}

static unsigned addr_hash(const struct addr *a)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (int i = 0; i < 16; i++)
		h = (h ^ a->b[i]) * 16777619u;
	return h % BUCKETS;
}

static bool exempt(const struct conn_guard *g, const struct addr *a)
{
	for (size_t i = 0; i < g->nexempt; i++)
		if (memcmp(&g->exempt[i], a, sizeof *a) == 0)
			return true;
	return false;
}

/* The count of address a (made at 0 when `make`), or NULL. */
static struct count *count_find(struct conn_guard *g, const struct addr *a, bool make)
{
	struct count **p = &g->bucket[addr_hash(a)];
	for (; *p; p = &(*p)->next)
		if (memcmp(&(*p)->a, a, sizeof *a) == 0)
			return *p;
	if (!make)
		return NULL;
	*p = xcalloc(1, sizeof **p);
	(*p)->a = *a;
	return *p;
}

static void count_drop(struct conn_guard *g, const struct addr *a)
{
	for (struct count **p = &g->bucket[addr_hash(a)]; *p; p = &(*p)->next)
		if (memcmp(&(*p)->a, a, sizeof *a) == 0) {
			if (--(*p)->n == 0) {
				struct count *gone = *p;
				*p = gone->next;
				free(gone);
			}
			return;
		}
}

/* Reads and drops what waits on l; true when it is done with (the client
 * closed, an error, past its time or its bytes). */
static bool drain(struct lingering *l, long long now)
{
	static char sink[64 * 1024]; /* only the reaper thread reads into it */
	for (;;) {
		ssize_t n = read(l->fd, sink, sizeof sink);
		if (n > 0) {
			l->dropped += n;
			if (l->dropped < LINGER_BYTES)
				continue;
		} else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			return now >= l->until;
		}
		return true;
	}
}

static void drain_all(struct conn_guard *g, long long now)
{
	for (int i = 0; i < g->nlinger;)
		if (drain(&g->linger[i], now)) {
			close(g->linger[i].fd);
			g->linger[i] = g->linger[--g->nlinger];
		} else {
			i++;
		}
}

static void start_linger(struct conn_guard *g, int fd)
{
	int d = g->nlinger < LINGER_MAX ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
	if (d < 0)
		return; /* closes at once, as without a linger */
	fcntl(d, F_SETFL, fcntl(d, F_GETFL) | O_NONBLOCK);
	g->linger[g->nlinger++] = (struct lingering){ .fd = d, .until = now_ms() + LINGER_MS };
	pthread_cond_signal(&g->wake); /* drain it soon */
}

static void *reap(void *arg)
{
	struct conn_guard *g = arg;
	pthread_mutex_lock(&g->lock);
	while (!g->stopping) {
		long long now = now_ms();
		for (struct guarded *c = g->list; c; c = c->next)
			if (c->waiting && now >= c->deadline) {
				/* once: libmicrohttpd now sees the stream end */
				shutdown(c->fd, SHUT_RDWR);
				c->waiting = false;
			}
		drain_all(g, now);
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		t.tv_nsec += (g->nlinger ? DRAIN_EVERY_MS : REAP_EVERY_MS) * 1000000L;
		t.tv_sec += t.tv_nsec / 1000000000L;
		t.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&g->wake, &g->lock, &t);
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

struct conn_guard *conn_guard_new(const struct conn_guard_config *cfg)
{
	struct conn_guard *g = xcalloc(1, sizeof *g);
	g->per_client = cfg->per_client;
	g->head_deadline = cfg->head_deadline;
	for (const char *const *e = cfg->exempt; e && *e; e++) {
		g->exempt = xrealloc(g->exempt, (g->nexempt + 1) * sizeof *g->exempt);
		if (!addr_parse(*e, &g->exempt[g->nexempt])) {
			fprintf(stderr, "suivi: '%s' is not an IPv4 or IPv6 address\n", *e);
			free(g->exempt);
			free(g);
			return NULL;
		}
		g->nexempt++;
	}
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&g->wake, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&g->lock, NULL);
	int err = pthread_create(&g->reaper, NULL, reap, g);
	if (err) {
		fprintf(stderr, "suivi: cannot start a thread: %s\n", strerror(err));
		pthread_cond_destroy(&g->wake);
		pthread_mutex_destroy(&g->lock);
		free(g->exempt);
		free(g);
		return NULL;
	}
	return g;
}

void conn_guard_free(struct conn_guard *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	g->stopping = true;
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->reaper, NULL);
	for (size_t i = 0; i < BUCKETS; i++)
		while (g->bucket[i]) {
			struct count *next = g->bucket[i]->next;
			free(g->bucket[i]);
			g->bucket[i] = next;
		}
	for (int i = 0; i < g->nlinger; i++)
		close(g->linger[i].fd);
	while (g->list) { /* none once the daemon has stopped */
		struct guarded *next = g->list->next;
		free(g->list);
		g->list = next;
	}
	pthread_cond_destroy(&g->wake);
	pthread_mutex_destroy(&g->lock);
	free(g->exempt);
	free(g);
}

bool conn_guard_admit(struct conn_guard *g, const struct sockaddr *sa)
{
	struct addr a;
	if (!g->per_client || !addr_of(sa, &a) || exempt(g, &a))
		return true;
	pthread_mutex_lock(&g->lock);
	const struct count *n = count_find(g, &a, false);
	bool ok = !n || n->n < g->per_client;
	pthread_mutex_unlock(&g->lock);
	return ok;
}

struct guarded *conn_guard_opened(struct conn_guard *g, int fd, const struct sockaddr *sa)
{
	struct guarded *c = xcalloc(1, sizeof *c);
	c->fd = fd;
	c->counted = addr_of(sa, &c->a) && !exempt(g, &c->a);
	pthread_mutex_lock(&g->lock);
	if (c->counted)
		count_find(g, &c->a, true)->n++;
	c->waiting = true;
	c->deadline = now_ms() + 1000LL * g->head_deadline;
	c->next = g->list;
	if (g->list)
		g->list->prev = c;
	g->list = c;
	pthread_mutex_unlock(&g->lock);
	return c;
}

void conn_guard_closed(struct conn_guard *g, struct guarded *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&g->lock);
	if (c->counted)
		count_drop(g, &c->a);
	if (c->linger && c->fd >= 0)
		start_linger(g, c->fd);
	if (c->prev)
		c->prev->next = c->next;
	else
		g->list = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&g->lock);
	free(c);
}

/* Starts (from now) or stops c's clock for a request head. */
static void set_waiting(struct conn_guard *g, struct guarded *c, bool waiting)
{
	if (!c)
		return;
	pthread_mutex_lock(&g->lock);
	c->waiting = waiting;
	c->deadline = now_ms() + 1000LL * g->head_deadline;
	pthread_mutex_unlock(&g->lock);
}

void conn_guard_head_done(struct conn_guard *g, struct guarded *c)
{
	set_waiting(g, c, false);
}

void conn_guard_request_done(struct conn_guard *g, struct guarded *c)
{
	set_waiting(g, c, true);
}

void conn_guard_linger(struct conn_guard *g, struct guarded *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&g->lock);
	c->linger = true;
	pthread_mutex_unlock(&g->lock);
}

bool conn_guard_exempt(const struct conn_guard *g, const struct sockaddr *sa)
{
	struct addr a;
	return addr_of(sa, &a) && exempt(g, &a);
}

unsigned long conn_guard_raise_nofile(void)
{
	struct rlimit r;
	if (getrlimit(RLIMIT_NOFILE, &r) != 0)
		return 1024;
	if (r.rlim_cur < r.rlim_max) {
		rlim_t want = r.rlim_max;
		r.rlim_cur = want;
		if (setrlimit(RLIMIT_NOFILE, &r) != 0)
			getrlimit(RLIMIT_NOFILE, &r);
	}
	return r.rlim_cur == RLIM_INFINITY ? 1UL << 20 : (unsigned long)r.rlim_cur;
}
