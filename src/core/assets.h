/* assets.h — files compiled into the binary (CSS, catalogues, data).
 * The table is generated at build time by tools/embed.c into
 * build/.../assets.c; the bytes are static and never freed. */
#ifndef SUIVI_ASSETS_H
#define SUIVI_ASSETS_H
#include <stddef.h>

struct asset {
	const char *name;          /* path relative to the repository, e.g. "static/style.css" */
	const char *url;           /* static/ files: "/static/style.1a2b3c4d.css" (a hash of
				      the content); NULL for others */
	const unsigned char *data; /* NUL-terminated for convenience; size excludes it */
	size_t size;
};

extern const struct asset assets[];
extern const size_t assets_count;

/* The asset of that name, or NULL. */
const struct asset *asset_find(const char *name);
/* The asset whose content-hashed URL this is, or NULL. */
const struct asset *asset_by_url(const char *url);
/* The content-hashed URL of the static file `name` ("static/style.css"),
 * for pages to link to. */
const char *asset_url(const char *name);

#endif
