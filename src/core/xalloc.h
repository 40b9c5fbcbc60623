/* xalloc.h — allocation wrappers that abort on out-of-memory.
 *
 * Callers never check for NULL: a failed allocation prints one line and
 * aborts (as Redis' zmalloc and git's xmalloc do).  Error paths remain only
 * for input, database and I/O.  Every returned pointer is owned by the
 * caller and released with free(). */
#ifndef SUIVI_XALLOC_H
#define SUIVI_XALLOC_H
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* p, an array of n elements of size bytes, grown by one zeroed element
 * (p[n]), which the caller then counts. */
void *xappend(void *p, size_t n, size_t size);
/* xasprintf: printf into a new string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
