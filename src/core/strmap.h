/* strmap.h — a map from strings to integers (open addressing, keys copied),
 * for the lookups of one import: organisations by identifier, references
 * already checked, the unique values already seen.  Not thread-safe. */
#ifndef SUIVI_STRMAP_H
#define SUIVI_STRMAP_H
#include <stdbool.h>
#include <stddef.h>

struct strmap {
	char **keys;
	long long *vals;
	size_t cap, n;
};

#define STRMAP_INIT { 0 }

void strmap_put(struct strmap *m, const char *key, long long value);
/* The value of key, or 0 when it is absent. */
long long strmap_get(const struct strmap *m, const char *key);
bool strmap_has(const struct strmap *m, const char *key);
void strmap_free(struct strmap *m);

#endif
