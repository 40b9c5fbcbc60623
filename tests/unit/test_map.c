/* test_map.c — map.c and the generated shapes: every African state once, Western
 * Sahara apart from the measure behind one dashed boundary, the island states visible, text escaped, classes
 * coloured, well-formed XML. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "map.h"
#include "map_shapes.h"

/* The 54 African Member States of the UN (shared/data/african-states.csv);
 * written out here so that the test checks the generator's own list. */
static const char *const african[] = {
	"AO", "BF", "BI", "BJ", "BW", "CD", "CF", "CG", "CI", "CM", "CV", "DJ", "DZ", "EG",
	"ER", "ET", "GA", "GH", "GM", "GN", "GQ", "GW", "KE", "KM", "LR", "LS", "LY", "MA",
	"MG", "ML", "MR", "MU", "MW", "MZ", "NA", "NE", "NG", "RW", "SC", "SD", "SL", "SN",
	"SO", "SS", "ST", "SZ", "TD", "TG", "TN", "TZ", "UG", "ZA", "ZM", "ZW",
};
#define NAFRICAN (sizeof african / sizeof african[0])
static const char *const islands[] = { "CV", "ST", "KM", "MU", "SC" };

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0, len = strlen(needle);
	for (const char *p = strstr(hay, needle); p; p = strstr(p + len, needle))
		n++;
	return n;
}

/* The element of state iso2 (from its <a or <g to the matching close), copied;
 * the caller frees it.  Fails the test when there is not exactly one. */
static char *element(const char *svg, const char *iso2)
{
	char key[64];
	snprintf(key, sizeof key, "class=\"map-state map-%s ", iso2);
	assert_int_equal(count(svg, key), 1);
	const char *k = strstr(svg, key);
	const char *start = k;
	while (start > svg && *start != '<')
		start--;
	const char *end = strstr(k, start[1] == 'a' ? "</a>" : "</g>");
	assert_non_null(end);
	return strndup(start, (size_t)(end - start) + 4);
}

/* ---- a small XML well-formedness check (xmllint too, when installed) ---------- */

static int entity_ok(const char **p)
{
	static const char *const ents[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
	for (size_t i = 0; i < sizeof ents / sizeof ents[0]; i++) {
		if (strncmp(*p, ents[i], strlen(ents[i])) == 0) {
			*p += strlen(ents[i]);
			return 1;
		}
	}
	return 0;
}

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == ':' || c == '_';
}

/* Tags nest and match, attribute values are quoted, every & starts an
 * entity, no stray < or control character; one root element. */
static int well_formed(const char *s)
{
	const char *stack[64];
	size_t stack_len[64];
	int depth = 0, roots = 0;
	const char *p = s;
	while (*p) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			return 0;
		if (c == '&') {
			if (!entity_ok(&p))
				return 0;
			continue;
		}
		if (c == '>')
			return 0;
		if (c != '<') {
			if (depth == 0)
				return 0; /* text outside the root */
			p++;
			continue;
		}
		p++;
		int closing = *p == '/';
		p += closing;
		const char *name = p;
		while (name_char(*p))
			p++;
		size_t nlen = (size_t)(p - name);
		if (!nlen)
			return 0;
		if (closing) {
			if (*p++ != '>' || depth == 0)
				return 0;
			depth--;
			if (stack_len[depth] != nlen || strncmp(stack[depth], name, nlen) != 0)
				return 0;
			continue;
		}
		for (;;) { /* attributes */
			while (*p == ' ')
				p++;
			if (*p == '>' || (p[0] == '/' && p[1] == '>'))
				break;
			const char *an = p;
			while (name_char(*p))
				p++;
			if (p == an || *p++ != '=' || *p++ != '"')
				return 0;
			while (*p != '"') {
				if (!*p || *p == '<')
					return 0;
				if (*p == '&') {
					if (!entity_ok(&p))
						return 0;
				} else {
					p++;
				}
			}
			p++;
		}
		if (depth == 0)
			roots++;
		if (*p == '/') {
			p += 2;
			continue;
		}
		p++;
		if (depth == 64)
			return 0;
		stack[depth] = name;
		stack_len[depth++] = nlen;
	}
	return depth == 0 && roots == 1;
}

/* xmllint's verdict on svg as a document: 1 accepted, 0 refused, -1 not installed. */
static int xmllint(const char *svg)
{
	if (system("command -v xmllint >/dev/null 2>&1") != 0)
		return -1;
	char path[] = "/tmp/test_map_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fputs(svg, f);
	fclose(f);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "xmllint --noout %s", path);
	int rc = system(cmd);
	unlink(path);
	return rc == 0;
}

/* ---- rendering helpers ---------------------------------------------------------- */

static const char *const labels5[] = { "1", "2", "3", "4", "5" };

/* A map with every state: class i % 5, title "Name XX", link /countries/XX. */
static char *full_map(const struct map_legend *lg, const char *prefix)
{
	struct map_value v[NAFRICAN];
	char titles[NAFRICAN][16], hrefs[NAFRICAN][32];
	for (size_t i = 0; i < NAFRICAN; i++) {
		snprintf(titles[i], sizeof titles[i], "Name %s", african[i]);
		snprintf(hrefs[i], sizeof hrefs[i], "/countries/%s", african[i]);
		v[i] = (struct map_value){ african[i], (int)(i % 5), titles[i], hrefs[i] };
	}
	struct buf b = BUF_INIT;
	map_svg(&b, v, NAFRICAN, lg, prefix);
	return buf_detach(&b);
}

static const struct map_legend legend5 = {
	.nclasses = 5, .labels = labels5, .no_data = "No data",
	.caption = "Highest open severity",
	.note = "The boundaries and names shown and the designations used on this map do not "
		"imply official endorsement or acceptance by the United Nations.",
};

/* ---- tests ------------------------------------------------------------------------ */

static void test_shapes_table(void **state)
{
	(void)state;
	assert_int_equal(map_nshapes, NAFRICAN + 1);
	for (size_t i = 1; i < map_nshapes; i++) /* sorted, unique */
		assert_true(strcmp(map_shapes[i - 1].iso2, map_shapes[i].iso2) < 0);
	for (size_t i = 0; i < map_nshapes; i++)
		assert_true(map_shapes[i].d[0] == 'M' || map_shapes[i].marked);
	assert_true(map_width == 1000 && map_height > 500 && map_height < 1200);
}

static void test_every_state_once(void **state)
{
	(void)state;
	char *svg = full_map(&legend5, NULL);
	char key[64];
	for (size_t i = 0; i < NAFRICAN; i++) {
		snprintf(key, sizeof key, "<a href=\"/countries/%s\"", african[i]);
		assert_int_equal(count(svg, key), 1);
		snprintf(key, sizeof key, "<title>Name %s</title>", african[i]);
		assert_int_equal(count(svg, key), 1);
		free(element(svg, african[i]));
	}
	assert_int_equal(count(svg, "class=\"map-state "), NAFRICAN + 1); /* + EH */
	assert_int_equal(count(svg, "<a "), NAFRICAN);
	free(svg);
}

static void test_absent_states_are_no_data(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct map_value one = { "NG", 2, "Nigeria", NULL };
	map_svg(&b, &one, 1, &legend5, "p");
	const char *svg = buf_cstr(&b);
	assert_int_equal(count(svg, "<a "), 0); /* no href: <g> */
	assert_int_equal(count(svg, " map-nodata\""), NAFRICAN - 1); /* not EH */
	char *ng = element(svg, "NG");
	assert_non_null(strstr(ng, "map-c2"));
	assert_non_null(strstr(ng, map_fill(5, 2)));
	free(ng);
	char *ml = element(svg, "ML");
	assert_non_null(strstr(ml, "fill=\"url(#p-nd)\""));
	assert_non_null(strstr(ml, "<title>ML</title>")); /* no value: the code */
	free(ml);
	buf_release(&b);

	/* No values at all, no legend: every state no data, still one SVG. */
	map_svg(&b, NULL, 0, NULL, NULL);
	svg = buf_cstr(&b);
	assert_int_equal(count(svg, " map-nodata\""), NAFRICAN);
	assert_null(strstr(svg, "map-legend"));
	assert_null(strstr(svg, "aria-labelledby"));
	assert_true(well_formed(svg));
	buf_release(&b);
}

static void test_western_sahara(void **state)
{
	(void)state;
	char *svg = full_map(&legend5, "w");
	char *eh = element(svg, "EH");
	assert_non_null(strstr(eh, "<title>Western Sahara</title>"));
	assert_null(strstr(eh, "url(#w-nd)")); /* not "no data": not measured */
	assert_non_null(strstr(eh, "map-territory"));
	for (int c = 0; c < 5; c++)
		assert_null(strstr(eh, map_fill(5, c)));
	assert_int_equal(eh[1], 'g'); /* no link */
	free(eh);
	/* One dashed line, the boundary with Morocco, drawn over both shapes. */
	assert_int_equal(count(svg, "stroke-dasharray="), 1);
	assert_true(strstr(svg, "stroke-dasharray=") > strstr(svg, "map-EH "));
	assert_true(strstr(svg, "stroke-dasharray=") > strstr(svg, "map-MA "));
	free(svg);

	/* A value for EH gives its title and link, never a colour. */
	struct buf b = BUF_INIT;
	struct map_value v = { "EH", 4, "Sahara occidental", "/countries/EH" };
	map_svg(&b, &v, 1, &legend5, "w");
	eh = element(buf_cstr(&b), "EH");
	assert_non_null(strstr(eh, "<title>Sahara occidental</title>"));
	assert_non_null(strstr(eh, "href=\"/countries/EH\""));
	assert_null(strstr(eh, map_fill(5, 4)));
	assert_null(strstr(eh, "map-c4"));
	free(eh);
	buf_release(&b);

	/* Without a value, the legend names it in the reader's language. */
	struct map_legend named = legend5;
	named.eh_name = "الصحراء الغربية";
	b = (struct buf)BUF_INIT;
	map_svg(&b, NULL, 0, &named, "w");
	eh = element(buf_cstr(&b), "EH");
	assert_non_null(strstr(eh, "<title>الصحراء الغربية</title>"));
	free(eh);
	buf_release(&b);
}

/* The bounding box {x0, y0, x1, y1} of the subpath at d ("M x y l dx dy …", its
 * absolute M point and relative l offsets); answers where the next one may start,
 * or NULL when d holds none. */
static const char *subpath_box(const char *d, int box[4])
{
	int x, y, n;
	if (!(d = strchr(d, 'M')) || sscanf(d, "M%d %d%n", &x, &y, &n) != 2)
		return NULL;
	d += n;
	box[0] = box[2] = x, box[1] = box[3] = y;
	if (*d != 'l')
		return d;
	d++;
	int dx, dy;
	while (sscanf(d, "%d%n", &dx, &n) == 1) {
		d += n + (d[n] == ' ');
		if (sscanf(d, "%d%n", &dy, &n) != 1)
			break;
		d += n + (d[n] == ' ');
		x += dx, y += dy;
		box[0] = x < box[0] ? x : box[0], box[2] = x > box[2] ? x : box[2];
		box[1] = y < box[1] ? y : box[1], box[3] = y > box[3] ? y : box[3];
	}
	return d;
}

/* The largest extent of one of a path's subpaths. */
static int path_extent(const char *d)
{
	int best = 0, b[4];
	while ((d = subpath_box(d, b)) != NULL) {
		int e = (b[2] - b[0]) > (b[3] - b[1]) ? b[2] - b[0] : b[3] - b[1];
		best = e > best ? e : best;
	}
	return best;
}

/* The bounding box of a whole path. */
static void path_box(const char *d, int box[4])
{
	int b[4];
	box[0] = box[1] = 1 << 30, box[2] = box[3] = -(1 << 30);
	while ((d = subpath_box(d, b)) != NULL) {
		box[0] = b[0] < box[0] ? b[0] : box[0], box[1] = b[1] < box[1] ? b[1] : box[1];
		box[2] = b[2] > box[2] ? b[2] : box[2], box[3] = b[3] > box[3] ? b[3] : box[3];
	}
}

static const struct map_shape *shape(const char *iso2)
{
	for (size_t i = 0; i < map_nshapes; i++)
		if (strcmp(map_shapes[i].iso2, iso2) == 0)
			return &map_shapes[i];
	fail_msg("no shape %s", iso2);
	return NULL;
}

/* The shapes as the UN draws them: Morocco ends at the dashed line along
 * 27°40'N (y grows southward), Western Sahara begins there and runs south as
 * far as Mauritania's northern coast, and west to the Atlantic as far as
 * Mauritania's Cap Blanc: the whole territory, not the strip east of the berm. */
static void test_western_sahara_shapes(void **state)
{
	(void)state;
	int ma[4], eh[4], mr[4], line[4];
	path_box(shape("MA")->d, ma);
	path_box(shape("EH")->d, eh);
	path_box(shape("MR")->d, mr);
	path_box(map_dashed, line);
	assert_true(ma[3] <= line[3] + 1);   /* Morocco: nothing south of the line */
	assert_true(eh[1] >= line[1] - 1);   /* Western Sahara: nothing north of it */
	assert_true(eh[1] <= line[3] + 1);   /* … and it reaches it */
	assert_true(eh[0] <= line[0] + 1);   /* the line runs from the coast */
	assert_true(eh[0] <= mr[0] + 3);     /* as far west as Mauritania's coast */
	assert_true(line[2] - line[0] >= 30); /* a line, not a point */
}

static void test_islands_visible(void **state)
{
	(void)state;
	char *svg = full_map(&legend5, NULL);
	for (size_t i = 0; i < sizeof islands / sizeof islands[0]; i++) {
		char *el = element(svg, islands[i]);
		const char *circle = strstr(el, "<circle");
		const char *path = strstr(el, " d=\"");
		/* A marker circle with a stroke, or a shape at least 8 units across. */
		int visible = (circle && strstr(circle, "r=\"9\"") && strstr(circle, "stroke=\"")) ||
			      (path && path_extent(path + 4) >= 8);
		if (!visible)
			fail_msg("%s is not visible: %s", islands[i], el);
		free(el);
	}
	/* Markers are drawn last, over the mainland. */
	assert_true(strstr(svg, "map-KM ") > strstr(svg, "map-MZ "));
	free(svg);
}

static void test_escaping(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct map_value v = { "MA", 0, "Maroc <b>\"4\"</b> & co\x01", "/c?a=1&b=<2>" };
	struct map_legend lg = { .nclasses = 1, .labels = (const char *const[]){ "<1>" },
				 .no_data = "a&b", .caption = "x<y", .note = "n\"o>te" };
	map_svg(&b, &v, 1, &lg, "q\"x");
	const char *svg = buf_cstr(&b);
	assert_non_null(strstr(svg, "<title>Maroc &lt;b&gt;&quot;4&quot;&lt;/b&gt; &amp; co</title>"));
	assert_non_null(strstr(svg, "href=\"/c?a=1&amp;b=&lt;2&gt;\""));
	assert_non_null(strstr(svg, "&lt;1&gt;"));
	assert_non_null(strstr(svg, "a&amp;b"));
	assert_non_null(strstr(svg, "x&lt;y"));
	assert_non_null(strstr(svg, "n&quot;o&gt;te"));
	assert_non_null(strstr(svg, "id=\"q&quot;x-nd\""));
	assert_null(strchr(svg, '\x01'));
	assert_true(well_formed(svg));
	assert_int_not_equal(xmllint(svg), 0);
	buf_release(&b);
}

/* Lightness of "#rrggbb": WCAG's relative luminance with gamma 2 for 2.4, which
 * keeps its order (no libm needed). */
static double luminance(const char *hex)
{
	double c[3];
	for (int i = 0; i < 3; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 1 + 2 * i, "%2x", &v), 1);
		c[i] = (v / 255.0) * (v / 255.0);
	}
	return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

static void test_classes(void **state)
{
	(void)state;
	assert_null(map_fill(0, 0));
	assert_null(map_fill(MAP_MAX_CLASSES + 1, 0));
	assert_null(map_fill(3, 3));
	assert_null(map_fill(3, -1));
	for (int n = 1; n <= MAP_MAX_CLASSES; n++) {
		double prev = 2;
		for (int c = 0; c < n; c++) {
			const char *f = map_fill(n, c);
			assert_non_null(f);
			assert_int_equal(strlen(f), 7);
			/* Darker class by class: the order survives printing in grey. */
			double l = luminance(f);
			assert_true(l < prev - 0.02);
			prev = l;
		}
	}

	/* Each class of a 3-class legend fills its states; a class out of range is
	 * no data. */
	struct map_value v[] = { { "DZ", 0, NULL, NULL }, { "ML", 1, NULL, NULL },
				 { "NE", 2, NULL, NULL }, { "TD", 3, NULL, NULL },
				 { "LY", -1, NULL, NULL }, { "DZ", 2, NULL, NULL } };
	struct map_legend lg = { .nclasses = 3, .labels = labels5, .no_data = "No data" };
	struct buf b = BUF_INIT;
	map_svg(&b, v, sizeof v / sizeof v[0], &lg, NULL);
	const char *svg = buf_cstr(&b);
	const char *want[] = { "DZ", "ML", "NE" };
	for (int c = 0; c < 3; c++) {
		char *el = element(svg, want[c]);
		char fill[32];
		snprintf(fill, sizeof fill, "fill=\"%s\"", map_fill(3, c));
		assert_non_null(strstr(el, fill)); /* the first value for DZ wins */
		free(el);
		/* and the legend shows the same colour once more */
		assert_true(count(svg, fill) >= 2);
	}
	for (int i = 0; i < 2; i++) {
		char *el = element(svg, i ? "LY" : "TD");
		assert_non_null(strstr(el, "map-nodata"));
		assert_non_null(strstr(el, "url(#map-nd)"));
		free(el);
	}
	buf_release(&b);
}

static void test_legend_and_note(void **state)
{
	(void)state;
	char *svg = full_map(&legend5, "h");
	assert_non_null(strstr(svg, "aria-labelledby=\"h-t\"><title id=\"h-t\">Highest open severity</title>"));
	assert_non_null(strstr(svg, "class=\"map-legend\" direction=\"ltr\""));
	for (int c = 0; c < 5; c++) {
		char want[64];
		snprintf(want, sizeof want, "fill=\"#1b1f24\">%s</text>", labels5[c]);
		assert_non_null(strstr(svg, want));
	}
	assert_non_null(strstr(svg, ">No data</text>"));
	/* The note wraps into lines; every word is there, in order. */
	const char *note = strstr(svg, "class=\"map-note\"");
	assert_non_null(note);
	assert_true(count(note, "<tspan") >= 2);
	const char *words[] = { "The", "boundaries", "designations", "endorsement", "Nations." };
	for (size_t i = 0; i < 5; i++) {
		note = strstr(note, words[i]);
		assert_non_null(note);
	}
	free(svg);

	struct map_legend rtl = legend5;
	rtl.rtl = 1;
	svg = full_map(&rtl, "r");
	assert_non_null(strstr(svg, "class=\"map-legend\" direction=\"rtl\""));
	assert_non_null(strstr(svg, "class=\"map-note\" direction=\"rtl\""));
	free(svg);

	/* A bad class count: no class swatches, every state no data. */
	struct map_legend bad = legend5;
	bad.nclasses = 9;
	svg = full_map(&bad, NULL);
	assert_int_equal(count(svg, " map-nodata\""), NAFRICAN); /* EH is never measured */
	assert_null(strstr(svg, ">1</text>"));
	assert_true(well_formed(svg));
	free(svg);
}

static void test_well_formed_and_small(void **state)
{
	(void)state;
	/* The checker itself refuses what it should. */
	assert_false(well_formed("<svg><g></svg>"));
	assert_false(well_formed("<svg a=\"<\"/>"));
	assert_false(well_formed("<svg>a & b</svg>"));
	assert_false(well_formed("<svg/><svg/>"));
	assert_true(well_formed("<svg a=\"&amp;\"><g/>t</svg>"));

	char *svg = full_map(&legend5, NULL);
	assert_true(well_formed(svg));
	assert_int_not_equal(xmllint(svg), 0);
	size_t size = strlen(svg);
	print_message("map of 54 states with titles, links, legend and note: %zu bytes\n", size);
	assert_true(size < 60000); /* pages stay under 100 kB */
	free(svg);
}

/* ---- map_pieces: the same map for a PDF ---- */

struct pieces {
	int land, states, markers, boundaries;
	const char *ma_fill, *eh_fill, *sn_fill;
	int boundary_after_states, markers_after_boundary;
};

static void count_piece(void *ctx, const struct map_piece *piece)
{
	struct pieces *c = ctx;
	switch (piece->kind) {
	case MAP_PIECE_LAND:
		c->land++;
		break;
	case MAP_PIECE_STATE:
		c->states++;
		for (size_t i = 0; i < map_nshapes; i++)
			if (map_shapes[i].d == piece->d) {
				const char *code = map_shapes[i].iso2;
				if (strcmp(code, "MA") == 0)
					c->ma_fill = piece->fill;
				if (strcmp(code, "EH") == 0)
					c->eh_fill = piece->fill;
				if (strcmp(code, "SN") == 0)
					c->sn_fill = piece->fill;
			}
		break;
	case MAP_PIECE_MARKER:
		c->markers++;
		c->markers_after_boundary += c->boundaries > 0;
		break;
	case MAP_PIECE_BOUNDARY:
		c->boundaries++;
		c->boundary_after_states = c->states;
		break;
	}
}

static void test_pieces(void **state)
{
	(void)state;
	const struct map_value v[] = { { .iso2 = "MA", .cls = 2 }, { .iso2 = "EH", .cls = 2 } };
	struct pieces c = { 0 };
	map_pieces(v, 2, 3, count_piece, &c);
	assert_int_equal(c.land, 1);
	assert_int_equal(c.boundaries, 1);
	assert_int_equal(c.markers, 5);
	assert_int_equal(c.markers_after_boundary, 5); /* the islands over everything */
	assert_true(c.states >= (int)NAFRICAN - 5);
	assert_string_equal(c.ma_fill, map_fill(3, 2));
	assert_non_null(c.eh_fill);
	assert_string_not_equal(c.eh_fill, map_fill(3, 2)); /* a territory: never in a class */
	assert_null(c.sn_fill);                             /* no value: no data */
	int w, h;
	map_size(&w, &h);
	assert_true(w > 0 && h > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes_table),
		cmocka_unit_test(test_every_state_once),
		cmocka_unit_test(test_absent_states_are_no_data),
		cmocka_unit_test(test_western_sahara),
		cmocka_unit_test(test_western_sahara_shapes),
		cmocka_unit_test(test_islands_visible),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_legend_and_note),
		cmocka_unit_test(test_well_formed_and_small),
		cmocka_unit_test(test_pieces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
