/* map.h — the map of Africa as inline SVG, drawn on the server.
 *
 * A pure renderer: no database, no language.  The caller decides what each
 * state shows (a colour class, a hover title, a link) and passes every label
 * already translated; map_svg only escapes and draws.  The shapes are Natural
 * Earth's (public domain), compiled into the binary (map_shapes.h).
 *
 * The output is one <svg> element, valid XML (it also stands alone as an
 * image/svg+xml document), coloured with presentation attributes so that it
 * looks right and prints without the page's stylesheet; classes (map-…) let
 * static/style.css add hover and focus styles. */
#ifndef SUIVI_MAP_H
#define SUIVI_MAP_H
#include <stddef.h>

#include "buf.h"

#define MAP_MAX_CLASSES 6

struct map_value {
	const char *iso2;  /* "MA" */
	int cls;           /* colour class 0..nclasses-1 (light to dark), or -1: no data */
	const char *title; /* hover text, plain (map.c escapes it): "Maroc — gravité 4"; NULL: iso2 */
	const char *href;  /* link of the country, or NULL */
};

struct map_legend {
	int nclasses;              /* 1..MAP_MAX_CLASSES */
	const char *const *labels; /* nclasses plain labels, e.g. "1", "2", … or "1–2 needs" */
	const char *no_data;       /* label of the no-data swatch; NULL: no such swatch */
	const char *caption;       /* the measure shown, e.g. "Open serious needs";
	                            * also the SVG's accessible name */
	const char *note;          /* optional line under the map: the UN disclaimer, translated */
	int rtl;                   /* labels are right-to-left (Arabic): mirror the legend */
	const char *eh_name;       /* Western Sahara's name in the reader's language (its
	                            * <title>); NULL: "Western Sahara" */
};

/* Appends an inline <svg role="group" aria-labelledby=…> to out: a <title>
 * (legend->caption), the neighbouring land, one <a href> (or <g> when href is
 * NULL) per African Member State holding its <title>, its <path> and, for the
 * small island states, a <circle> marker; states absent from values, or with a
 * class out of range, are drawn as no data.  Western Sahara (EH), a
 * Non-Self-Governing Territory, is drawn as the UN draws it (the whole territory
 * south of 27°40'N, its boundary with Morocco dashed) in the colour of the land
 * around, never in a class nor as no data; a value with iso2 "EH" only gives its
 * title (default legend->eh_name, else "Western Sahara") and link.  Then the
 * legend and the note.  values may be NULL when n is 0; values with unknown codes are
 * ignored; for a code given twice the first wins.  legend may be NULL (no
 * legend, MAP_MAX_CLASSES classes); with nclasses out of 1..MAP_MAX_CLASSES
 * every state is no data.  id_prefix names the ids inside the SVG
 * (NULL: "map"); give two maps on one page different prefixes. */
void map_svg(struct buf *out, const struct map_value *values, size_t n,
	     const struct map_legend *legend, const char *id_prefix);

/* The same map for another renderer (a PDF's): each piece in drawing
 * order, its outline as SVG path data (M, l, z …) in a viewBox of
 * map_size's width × height, with its fill ("#rrggbb"; NULL: no data; a
 * MAP_PIECE_BOUNDARY is not filled but dashed).  States, Western Sahara and the
 * boundary not yet determined as map_svg draws them. */
enum map_piece_kind { MAP_PIECE_LAND, MAP_PIECE_STATE, MAP_PIECE_MARKER, MAP_PIECE_BOUNDARY };
struct map_piece {
	enum map_piece_kind kind;
	const char *d;       /* LAND, STATE, BOUNDARY */
	int cx, cy, r;       /* MARKER: a small island state's circle */
	const char *fill;
};
void map_pieces(const struct map_value *values, size_t n, int nclasses,
		void (*fn)(void *ctx, const struct map_piece *piece), void *ctx);
void map_size(int *width, int *height);

/* The fill of class cls of a legend of nclasses classes ("#rrggbb"), or NULL
 * when out of range.  Exposed for tests and for keys drawn outside the map. */
const char *map_fill(int nclasses, int cls);

#endif
