/* pdf_chart.c — see pdf_chart.h. */
#include "pdf_chart.h"

#include <stdio.h>
#include <stdlib.h>

#include "money.h"
#include "xalloc.h"
#include "banned.h"

#define BRAND 0x1d5fa8
#define BAR_H 11.0
#define LABEL_SHARE 0.32 /* of the width, the labels' column */

static const struct pdf_style label_style = { .size = 8.5 }, value_style = { .size = 8 };

/* x of a box of width w placed at offset `at` from the flow's start edge:
 * from the left, or from the right in a right-to-left flow. */
static double lead(const struct pdf_flow *f, double at, double w)
{
	return f->rtl ? f->left + f->width - at - w : f->left + at;
}

static void legend_row(struct pdf_flow *f, const unsigned *rgb, const char *const *names, int n)
{
	double at = f->width * LABEL_SHARE, y = f->y + 4;
	for (int i = 0; i < n; i++) {
		pdf_fill(f->p, lead(f, at, 9), y + 1, 9, 9, rgb[i]);
		struct pdf_style s = label_style;
		s.align = f->rtl ? PDF_RIGHT : PDF_LEFT;
		pdf_text(f->p, lead(f, at + 13, 110), y, 110, names[i], &s);
		at += 130;
	}
	pdf_flow_space(f, 20);
}

void pdf_chart_bars(struct pdf_flow *f, const struct pdf_bar *bars, int n, double max, const unsigned *legend_rgb,
		    const char *const *legend, int nlegend)
{
	if (max <= 0)
		for (int i = 0; i < n; i++)
			if (bars[i].value > max)
				max = bars[i].value;
	double label_w = f->width * LABEL_SHARE - 8, span = f->width * (1 - LABEL_SHARE) - 60;
	struct pdf_style ls = label_style, vs = value_style;
	ls.align = vs.align = f->rtl ? PDF_RIGHT : PDF_LEFT;
	for (int i = 0; i < n; i++) {
		const struct pdf_bar *b = &bars[i];
		double h = b->label ? pdf_measure(f->p, label_w, b->label, &ls) : 0;
		double need = (h > BAR_H ? h : BAR_H) + 3;
		if (f->y + need > f->bottom && f->y > f->top) {
			pdf_next_page(f->p);
			f->y = f->top;
		}
		if (b->label)
			pdf_text(f->p, lead(f, 0, label_w), f->y, label_w, b->label, &ls);
		double len = max > 0 && b->value > 0 ? span * b->value / max : 0;
		double at = f->width * LABEL_SHARE;
		pdf_fill(f->p, lead(f, at, len), f->y, len, BAR_H, b->rgb);
		if (b->text)
			pdf_text(f->p, lead(f, at + len + 4, 56), f->y, 56, b->text, &vs);
		bool last_of_group = i + 1 == n || bars[i + 1].label;
		f->y += need + (last_of_group ? 4 : 0);
	}
	if (nlegend)
		legend_row(f, legend_rgb, legend, nlegend);
	pdf_flow_space(f, 8);
}

/* x of a date between the first (d0) and the last (d1) on [x0, x1]. */
static double date_x(long long d, long long d0, long long d1, double x0, double x1)
{
	return d1 > d0 ? x0 + (double)(d - d0) * (x1 - x0) / (double)(d1 - d0) : (x0 + x1) / 2;
}

void pdf_chart_steps(struct pdf_flow *f, const struct chart_point *pts, int n, enum lang lang)
{
	if (n < 1)
		return;
	const double height = 150, axis_w = 40;
	if (f->y + height + 24 > f->bottom && f->y > f->top) {
		pdf_next_page(f->p);
		f->y = f->top;
	}
	long long max = 0;
	for (int i = 0; i < n; i++)
		if (pts[i].value > max)
			max = pts[i].value;
	/* time runs left to right, as on the pages, whatever the language */
	double x0 = f->left + axis_w, x1 = f->left + f->width, y0 = f->y + height, y1 = f->y + 6;
	pdf_rule(f->p, x0, y0, x1 - x0, 0.6, 0.45);
	pdf_polyline(f->p, (const double[]){ x0, y0, x0, y1 }, 2, 0.6, 0x737373);
	if (max)
		pdf_rule(f->p, x0, y1, x1 - x0, 0.3, 0.8);
	struct pdf_style right = value_style, left = value_style;
	right.align = PDF_RIGHT;
	left.align = PDF_LEFT;
	struct buf t = BUF_INIT;
	num_format(&t, lang, max);
	pdf_text(f->p, f->left, y0 - 6, axis_w - 6, "0", &right);
	if (max)
		pdf_text(f->p, f->left, y1 - 6, axis_w - 6, buf_cstr(&t), &right);
	long long d0 = chart_day(pts[0].date), d1 = chart_day(pts[n - 1].date);
	double *xy = xcalloc((size_t)n * 4, sizeof *xy);
	int k = 0;
	for (int i = 0; i < n; i++) {
		double x = date_x(chart_day(pts[i].date), d0, d1, x0, x1);
		double y = max ? y0 - (double)pts[i].value * (y0 - y1) / (double)max : y0;
		if (i) { /* the value holds until the next point */
			xy[2 * k] = x;
			xy[2 * k + 1] = xy[2 * k - 1];
			k++;
		}
		xy[2 * k] = x;
		xy[2 * k + 1] = y;
		k++;
	}
	pdf_polyline(f->p, xy, k, 1.6, BRAND);
	free(xy);
	buf_reset(&t);
	if (!i18n_date(&t, lang, pts[0].date))
		buf_adds(&t, pts[0].date);
	pdf_text(f->p, x0, y0 + 4, 150, buf_cstr(&t), &left);
	if (n > 1) {
		buf_reset(&t);
		if (!i18n_date(&t, lang, pts[n - 1].date))
			buf_adds(&t, pts[n - 1].date);
		pdf_text(f->p, x1 - 150, y0 + 4, 150, buf_cstr(&t), &right);
	}
	buf_release(&t);
	f->y = y0 + 28;
}

/* ---- the map ------------------------------------------------------------------------------ */

#define MAP_SHARE 0.62   /* of the width: the map; the legend beside it */
#define NODATA 0xf7f7f7
#define INK 0x1b1f24
#define BORDER 0x5f6368

struct map_pen {
	struct pdf *p;
	double x, y, k; /* where the map's viewBox begins, and its scale */
};

static unsigned colour(const char *fill)
{
	return fill && fill[0] == '#' ? (unsigned)strtoul(fill + 1, NULL, 16) : NODATA;
}

static void draw_piece(void *ctx, const struct map_piece *piece)
{
	struct map_pen *m = ctx;
	switch (piece->kind) {
	case MAP_PIECE_LAND:
		pdf_outline(m->p, m->x, m->y, m->k, piece->d, true, colour(piece->fill), 0, 0, false);
		break;
	case MAP_PIECE_STATE:
		pdf_outline(m->p, m->x, m->y, m->k, piece->d, true, colour(piece->fill), 0.35, BORDER, false);
		break;
	case MAP_PIECE_MARKER:
		pdf_disc(m->p, m->x + piece->cx * m->k, m->y + piece->cy * m->k, piece->r * m->k, colour(piece->fill),
			 0.6, INK);
		break;
	case MAP_PIECE_BOUNDARY: /* white under the dashes hides the two solid borders */
		pdf_outline(m->p, m->x, m->y, m->k, piece->d, false, 0, 1.2, 0xffffff, false);
		pdf_outline(m->p, m->x, m->y, m->k, piece->d, false, 0, 0.7, INK, true);
		break;
	}
}

/* A swatch of rgb and its label, at y in the legend's column [x, x + w]. */
static double swatch(struct pdf_flow *f, double x, double w, double y, unsigned rgb, const char *label)
{
	struct pdf_style s = label_style;
	s.align = f->rtl ? PDF_RIGHT : PDF_LEFT;
	double sx = f->rtl ? x + w - 12 : x;
	pdf_fill(f->p, sx, y + 1, 12, 9, rgb);
	pdf_frame(f->p, sx, y + 1, 12, 9, 0.5, 0.1);
	double tx = f->rtl ? x : x + 18;
	return pdf_text(f->p, tx, y, w - 18, label, &s) + 3;
}

void pdf_chart_map(struct pdf_flow *f, const struct map_value *values, size_t n, const struct map_legend *lg,
		   const char *notes)
{
	int mw, mh;
	map_size(&mw, &mh);
	double width = f->width * MAP_SHARE, k = width / mw, height = mh * k;
	if (f->y + height > f->bottom && f->y > f->top) {
		pdf_next_page(f->p);
		f->y = f->top;
	}
	struct map_pen pen = { .p = f->p, .x = f->rtl ? f->left + f->width - width : f->left, .y = f->y, .k = k };
	map_pieces(values, n, lg->nclasses, draw_piece, &pen);
	/* the legend, beside the map */
	double lx = f->rtl ? f->left : f->left + width + 14, lw = f->width - width - 14, y = f->y + 10;
	struct pdf_style cs = label_style;
	cs.bold = true;
	cs.align = f->rtl ? PDF_RIGHT : PDF_LEFT;
	if (lg->caption)
		y += pdf_text(f->p, lx, y, lw, lg->caption, &cs) + 6;
	for (int i = 0; lg->labels && i < lg->nclasses; i++)
		y += swatch(f, lx, lw, y, colour(map_fill(lg->nclasses, i)), lg->labels[i]);
	if (lg->no_data)
		swatch(f, lx, lw, y, NODATA, lg->no_data);
	f->y += height + 6;
	if (notes && *notes) {
		struct pdf_style ns = value_style;
		ns.size = 7;
		ns.grey = 0.3;
		ns.align = f->rtl ? PDF_RIGHT : PDF_LEFT;
		pdf_flow_text(f, notes, &ns, 10);
	}
}
