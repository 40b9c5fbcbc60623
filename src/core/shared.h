/* shared.h — immutable bytes with several owners, freed by the last.
 *
 * A cached answer's body is sent to many clients at once: each answer
 * takes a reference rather than a copy (a list of 100 records is some
 * 50 kB, copied for every request before), and the cache may replace its
 * entry while answers still hold the old one.  Thread-safe references;
 * the bytes never change once made. */
#ifndef SUIVI_SHARED_H
#define SUIVI_SHARED_H
#include <stdatomic.h>
#include <stddef.h>

struct shared {
	atomic_uint refs;
	size_t len;
	char data[]; /* len bytes and a NUL */
};

/* A copy of n bytes at p, with one reference: the caller's. */
struct shared *shared_new(const char *p, size_t n);
/* Another reference to s (the caller's); s itself. */
struct shared *shared_ref(struct shared *s);
/* Gives a reference back; the last frees s.  NULL: nothing. */
void shared_unref(struct shared *s);

#endif
