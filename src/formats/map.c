/* map.c — see map.h.  The shapes come from build/map_shapes.c; this file only
 * chooses colours, escapes the caller's text and lays out the legend. */
#include "map.h"

#include <stdbool.h>

#include <string.h>

#include "map_shapes.h"
#include "banned.h"

/* ColorBrewer's OrRd sequential scheme, per number of classes: its
 * lightness falls steadily, so the classes stay in order printed in grey. */
static const char *const palette[MAP_MAX_CLASSES][MAP_MAX_CLASSES] = {
	{ "#e34a33" },
	{ "#fdbb84", "#e34a33" },
	{ "#fee8c8", "#fdbb84", "#e34a33" },
	{ "#fef0d9", "#fdcc8a", "#fc8d59", "#d7301f" },
	{ "#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000" },
	{ "#fef0d9", "#fdd49e", "#fdbb84", "#fc8d59", "#e34a33", "#b30000" },
};

#define INK "#1b1f24"      /* text and markers: 16:1 on white */
#define BORDER "#5f6368"   /* state borders */
#define LAND "#ececec"     /* neighbouring land */
#define NODATA_BG "#f7f7f7"
#define NODATA_LINE "#a6a6a6"

/* Legend and note layout, in viewBox units. */
#define FONT 20
#define LINE 26
#define SWATCH_W 28
#define SWATCH_H 18
#define LEGEND_X 24
#define LEGEND_W 380
#define CAPTION_CHARS 36  /* code points per caption line at FONT */
#define NOTE_FONT 15
#define NOTE_LINE 19
#define NOTE_CHARS 120

const char *map_fill(int nclasses, int cls)
{
	if (nclasses < 1 || nclasses > MAP_MAX_CLASSES || cls < 0 || cls >= nclasses)
		return NULL;
	return palette[nclasses - 1][cls];
}

/* XML text: buf_html's escapes, minus the C0 controls that XML 1.0 forbids
 * (a title from the database must not make the SVG ill-formed). */
static void xml_text(struct buf *b, const char *s)
{
	if (!s)
		return;
	const char *run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
			continue;
		struct buf part = BUF_INIT;
		buf_add(&part, run, (size_t)(s - run));
		buf_html(b, buf_cstr(&part));
		buf_release(&part);
		run = s + 1;
	}
	buf_html(b, run);
}

static const struct map_value *find_value(const struct map_value *values, size_t n,
					  const char *iso2)
{
	for (size_t i = 0; i < n; i++)
		if (values[i].iso2 && strcmp(values[i].iso2, iso2) == 0)
			return &values[i];
	return NULL;
}

/* ---- text wrapping ----------------------------------------------------------- */

static size_t code_points(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

/* The length in bytes of the next line of s: as many words as fit in max
 * code points (at least one word); *next is where the following line starts. */
static size_t next_line(const char *s, size_t max, const char **next)
{
	size_t end = 0, i = 0;
	for (;;) {
		while (s[i] && s[i] != ' ')
			i++;
		if (end && code_points(s, i) > max)
			break;
		end = i;
		if (!s[i])
			break;
		i++;
	}
	const char *p = s + end;
	while (*p == ' ')
		p++;
	*next = p;
	return end;
}

static int count_lines(const char *s, size_t max)
{
	int n = 0;
	while (s && *s) {
		next_line(s, max, &s);
		n++;
	}
	return n;
}

/* A <text> of one <tspan> per wrapped line, the first line's baseline at y. */
static void text_block(struct buf *b, const char *cls, int x, int y, int font, int line,
		       const char *anchor, const char *s, size_t max)
{
	buf_printf(b, "<text class=\"%s\" x=\"%d\" y=\"%d\" font-size=\"%d\" fill=\"" INK
		      "\" text-anchor=\"%s\">", cls, x, y, font, anchor);
	int first = 1;
	while (*s) {
		const char *next;
		size_t len = next_line(s, max, &next);
		struct buf part = BUF_INIT;
		buf_add(&part, s, len);
		buf_printf(b, "<tspan x=\"%d\" dy=\"%d\">", x, first ? 0 : line);
		xml_text(b, buf_cstr(&part));
		buf_adds(b, "</tspan>");
		buf_release(&part);
		first = 0;
		s = next;
	}
	buf_adds(b, "</text>");
}

/* ---- states -------------------------------------------------------------------- */

/* Opens a state's element: a link to href, or a group when there is none
 * (the caller writes the rest of the start tag).  Answers what closes it. */
static const char *state_open(struct buf *b, const char *href)
{
	if (!href) {
		buf_adds(b, "<g");
		return "</g>";
	}
	buf_adds(b, "<a href=\"");
	xml_text(b, href);
	buf_adds(b, "\"");
	return "</a>";
}

static void state(struct buf *b, const struct map_shape *sh, const struct map_value *v,
		  int nclasses, const char *nodata)
{
	const char *fill = v ? map_fill(nclasses, v->cls) : NULL;
	int cls = fill ? v->cls : -1;
	const char *close = state_open(b, v ? v->href : NULL);
	buf_printf(b, " class=\"map-state map-%s", sh->iso2);
	if (cls >= 0)
		buf_printf(b, " map-c%d\"", cls);
	else
		buf_adds(b, " map-nodata\"");
	buf_adds(b, "><title>");
	xml_text(b, v && v->title ? v->title : sh->iso2);
	buf_adds(b, "</title>");
	if (sh->d[0])
		buf_printf(b, "<path d=\"%s\" fill=\"%s\"/>", sh->d, fill ? fill : nodata);
	if (sh->marked)
		buf_printf(b, "<circle class=\"map-marker\" cx=\"%d\" cy=\"%d\" r=\"9\" fill=\"%s\" "
			      "stroke=\"" INK "\" stroke-width=\"1.5\"/>",
			   sh->cx, sh->cy, fill ? fill : nodata);
	buf_adds(b, close);
}

/* Western Sahara, a Non-Self-Governing Territory: on the map as the UN draws
 * it, but never among the states measured, so never a class nor "no data":
 * the plain colour of the land around.  A value only names and links it. */
static void western_sahara(struct buf *b, const struct map_shape *sh,
			   const struct map_value *v, const char *name)
{
	const char *close = state_open(b, v ? v->href : NULL);
	buf_adds(b, " class=\"map-state map-EH map-territory\"><title>");
	xml_text(b, v && v->title ? v->title : name ? name : "Western Sahara");
	buf_printf(b, "</title><path d=\"%s\" fill=\"" LAND "\"/>", sh->d);
	buf_adds(b, close);
}

/* The boundary not yet determined (Morocco – Western Sahara), dashed as on the
 * UN's maps: a white underlay first hides the two shapes' solid borders. */
static void undetermined(struct buf *b)
{
	buf_printf(b, "<g class=\"map-undetermined\" fill=\"none\"><path d=\"%s\" stroke=\"#ffffff\" "
		      "stroke-width=\"2\"/><path d=\"%s\" stroke=\"" INK "\" stroke-width=\"1.2\" "
		      "stroke-dasharray=\"4 3\"/></g>",
		   map_dashed, map_dashed);
}

/* ---- legend -------------------------------------------------------------------- */

static int legend_height(const struct map_legend *lg)
{
	int rows = (lg->labels ? lg->nclasses : 0) + (lg->no_data != NULL);
	return count_lines(lg->caption, CAPTION_CHARS) * LINE + rows * LINE;
}

static void legend_row(struct buf *b, int y, const char *fill, const char *label, int rtl)
{
	/* Right to left: the swatch on the right of its label. */
	int sx = rtl ? LEGEND_X + LEGEND_W - SWATCH_W : LEGEND_X;
	int tx = rtl ? sx - 8 : sx + SWATCH_W + 8;
	buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\""
		      INK "\" stroke-width=\"0.8\"/>",
		   sx, y - SWATCH_H + 3, SWATCH_W, SWATCH_H, fill);
	buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" fill=\"" INK "\">", tx, y, FONT);
	xml_text(b, label);
	buf_adds(b, "</text>");
}

static void legend(struct buf *b, const struct map_legend *lg, const char *nodata)
{
	/* In the South Atlantic, bottom left, clear of the coast. */
	int y = map_height - 16 - legend_height(lg) + FONT;
	int anchor_x = lg->rtl ? LEGEND_X + LEGEND_W : LEGEND_X;
	buf_printf(b, "<g class=\"map-legend\" direction=\"%s\">", lg->rtl ? "rtl" : "ltr");
	if (lg->caption && *lg->caption) {
		text_block(b, "map-caption", anchor_x, y, FONT, LINE, "start", lg->caption,
			   CAPTION_CHARS);
		y += count_lines(lg->caption, CAPTION_CHARS) * LINE;
	}
	for (int i = 0; lg->labels && i < lg->nclasses; i++, y += LINE)
		legend_row(b, y, map_fill(lg->nclasses, i), lg->labels[i], lg->rtl);
	if (lg->no_data)
		legend_row(b, y, nodata, lg->no_data, lg->rtl);
	buf_adds(b, "</g>");
}

/* ---- the map ------------------------------------------------------------------- */

void map_svg(struct buf *out, const struct map_value *values, size_t n,
	     const struct map_legend *lg, const char *id_prefix)
{
	const char *p = id_prefix ? id_prefix : "map";
	/* No legend: the palette of MAP_MAX_CLASSES.  A bad class count: no class
	 * can be trusted, so every state is no data and no swatch is drawn. */
	struct map_legend fixed = lg ? *lg : (struct map_legend){ .nclasses = MAP_MAX_CLASSES };
	if (fixed.nclasses < 1 || fixed.nclasses > MAP_MAX_CLASSES) {
		fixed.nclasses = 0;
		fixed.labels = NULL;
	}
	lg = &fixed;
	int rtl = lg->rtl;
	int note_lines = count_lines(lg->note, NOTE_CHARS);
	int height = map_height + (note_lines ? note_lines * NOTE_LINE + 8 : 0);
	int named = lg->caption && *lg->caption;

	struct buf nodata = BUF_INIT;
	buf_adds(&nodata, "url(#");
	xml_text(&nodata, p);
	buf_adds(&nodata, "-nd)");

	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" viewBox=\"0 0 %d %d\" "
			"role=\"group\"", map_width, height);
	if (named) {
		buf_adds(out, " aria-labelledby=\"");
		xml_text(out, p);
		buf_adds(out, "-t\"><title id=\"");
		xml_text(out, p);
		buf_adds(out, "-t\">");
		xml_text(out, lg->caption);
		buf_adds(out, "</title>");
	} else {
		buf_adds(out, ">");
	}
	/* No data: a grey hatch, told apart from every class also in print. */
	buf_adds(out, "<defs><pattern id=\"");
	xml_text(out, p);
	buf_adds(out, "-nd\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
		      "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"" NODATA_BG
		      "\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"" NODATA_LINE
		      "\" stroke-width=\"1.5\"/></pattern></defs>");
	buf_printf(out, "<path class=\"map-land\" d=\"%s\" fill=\"" LAND "\"/>", map_land);

	buf_adds(out, "<g class=\"map-states\" stroke=\"" BORDER "\" stroke-width=\"0.6\" "
		      "stroke-linejoin=\"round\">");
	/* Mainland states and Western Sahara, then the dashed boundary over their
	 * borders, then the island markers over everything. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < map_nshapes; i++) {
			const struct map_shape *sh = &map_shapes[i];
			const struct map_value *v = find_value(values, n, sh->iso2);
			if (sh->marked != pass)
				continue;
			if (strcmp(sh->iso2, "EH") == 0)
				western_sahara(out, sh, v, lg->eh_name);
			else
				state(out, sh, v, lg->nclasses, buf_cstr(&nodata));
		}
		if (pass == 0)
			undetermined(out);
	}
	buf_adds(out, "</g>");

	if (lg->labels || lg->no_data || named)
		legend(out, lg, buf_cstr(&nodata));
	if (note_lines) {
		buf_printf(out, "<g class=\"map-note\" direction=\"%s\">", rtl ? "rtl" : "ltr");
		text_block(out, "map-note-text", rtl ? map_width - LEGEND_X : LEGEND_X,
			   map_height + NOTE_FONT, NOTE_FONT, NOTE_LINE, "start", lg->note, NOTE_CHARS);
		buf_adds(out, "</g>");
	}
	buf_adds(out, "</svg>");
	buf_release(&nodata);
}

/* ---- the pieces, for other renderers ------------------------------------------------ */

void map_size(int *width, int *height)
{
	*width = map_width;
	*height = map_height;
}

void map_pieces(const struct map_value *values, size_t n, int nclasses,
		void (*fn)(void *ctx, const struct map_piece *piece), void *ctx)
{
	if (nclasses < 1 || nclasses > MAP_MAX_CLASSES)
		nclasses = 0;
	fn(ctx, &(struct map_piece){ .kind = MAP_PIECE_LAND, .d = map_land, .fill = LAND });
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < map_nshapes; i++) {
			const struct map_shape *sh = &map_shapes[i];
			if (sh->marked != pass)
				continue;
			const struct map_value *v = find_value(values, n, sh->iso2);
			bool territory = strcmp(sh->iso2, "EH") == 0;
			const char *fill = territory ? LAND : v ? map_fill(nclasses, v->cls) : NULL;
			if (sh->d[0])
				fn(ctx, &(struct map_piece){ .kind = MAP_PIECE_STATE, .d = sh->d, .fill = fill });
			if (sh->marked)
				fn(ctx, &(struct map_piece){ .kind = MAP_PIECE_MARKER, .cx = sh->cx, .cy = sh->cy, .r = 9,
							     .fill = fill });
		}
		if (!pass)
			fn(ctx, &(struct map_piece){ .kind = MAP_PIECE_BOUNDARY, .d = map_dashed });
	}
}
