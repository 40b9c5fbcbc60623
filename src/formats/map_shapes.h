/* map_shapes.h — the shapes of the map of Africa, generated at build time by
 * tools/gen-map.mjs into build/map_shapes.c (Natural Earth via world-atlas;
 * see that script for the projection and simplification).  Only map.c reads
 * them. */
#ifndef SUIVI_MAP_SHAPES_H
#define SUIVI_MAP_SHAPES_H
#include <stddef.h>

struct map_shape {
	const char *iso2;  /* ISO 3166-1 alpha-2: the 54 African UN Member States and EH */
	int marked;        /* a small island state: also drawn as a circle at (cx, cy) */
	int cx, cy;
	const char *d;     /* SVG path data in the viewBox 0 0 map_width map_height */
};

/* Sorted by iso2. */
extern const struct map_shape map_shapes[];
extern const size_t map_nshapes;
/* The rest of the world's land near Africa, clipped to the viewBox. */
extern const char map_land[];
/* The boundary not yet determined, drawn dashed: between Morocco and Western
 * Sahara along 27°40'N (an open path). */
extern const char map_dashed[];
extern const int map_width, map_height;

#endif
