/* assets.h — files compiled into the binary (CSS, catalogues, data).
 * The table is generated at build time by tools/embed.c into
 * build/.../assets.c; the bytes are static and never freed. */
#ifndef SUIVI_ASSETS_H
#define SUIVI_ASSETS_H
#include <stddef.h>

struct asset {
	const char *name;          /* path relative to the repository, e.g. "static/style.css" */
	const unsigned char *data; /* NUL-terminated for convenience; size excludes it */
	size_t size;
};

extern const struct asset assets[];
extern const size_t assets_count;

/* The asset of that name, or NULL. */
const struct asset *asset_find(const char *name);

#endif
