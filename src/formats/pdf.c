/* pdf.c — see pdf.h.
 *
 * The document is written by cairo into a buffer as it goes (a stream
 * surface); each text is one pango layout, wrapped to its box. */
#include "pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include "lazy_pdf.h"
#include "xalloc.h"
#include "banned.h"

#define FONTS "Noto Sans, Noto Naskh Arabic, Amiri"

struct pdf {
	cairo_surface_t *surface;
	cairo_t *cr;
	struct buf bytes;
};

/* The source colour 0xRRGGBB. */
static void set_rgb(cairo_t *cr, unsigned rgb)
{
	cairo_set_source_rgb(cr, (rgb >> 16) / 255.0, (rgb >> 8 & 0xFF) / 255.0, (rgb & 0xFF) / 255.0);
}

static cairo_status_t write_bytes(void *closure, const unsigned char *data, unsigned int length)
{
	buf_add(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

struct pdf *pdf_new(double width, double height, const char *title)
{
	const char *why;
	if (!lazylib_pdf(&why)) { /* loaded on the first PDF (lazylib.h) */
		fprintf(stderr, "suivi: no PDF: %s\n", why);
		return NULL;
	}
	struct pdf *p = xcalloc(1, sizeof *p);
	p->surface = cairo_pdf_surface_create_for_stream(write_bytes, &p->bytes, width, height);
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR, "suivi");
	p->cr = cairo_create(p->surface);
	return p;
}

/* Lays text out in a box of that width; draws it at x, y when draw.
 * Answers its height. */
static double layout_text(struct pdf *p, double x, double y, double width, const char *text,
			  const struct pdf_style *s, bool draw)
{
	PangoLayout *layout = pango_cairo_create_layout(p->cr);
	PangoFontDescription *font = pango_font_description_from_string(FONTS);
	pango_font_description_set_absolute_size(font, s->size * PANGO_SCALE);
	pango_font_description_set_weight(font, s->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_style(font, s->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
	pango_layout_set_font_description(layout, font);
	pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
	static const PangoAlignment align[] = { PANGO_ALIGN_LEFT, PANGO_ALIGN_CENTER, PANGO_ALIGN_RIGHT };
	pango_layout_set_alignment(layout, align[s->align]);
	pango_layout_set_text(layout, text, -1);
	if (draw) {
		cairo_set_source_rgb(p->cr, s->grey, s->grey, s->grey);
		cairo_move_to(p->cr, x, y);
		pango_cairo_show_layout(p->cr, layout);
	}
	int w, h;
	pango_layout_get_size(layout, &w, &h);
	pango_font_description_free(font);
	g_object_unref(layout);
	return (double)h / PANGO_SCALE;
}

double pdf_text(struct pdf *p, double x, double y, double width, const char *text, const struct pdf_style *s)
{
	return layout_text(p, x, y, width, text, s, true);
}

double pdf_measure(struct pdf *p, double width, const char *text, const struct pdf_style *s)
{
	return layout_text(p, 0, 0, width, text, s, false);
}

void pdf_fill(struct pdf *p, double x, double y, double width, double height, unsigned rgb)
{
	set_rgb(p->cr, rgb);
	cairo_rectangle(p->cr, x, y, width, height);
	cairo_fill(p->cr);
}

void pdf_rule(struct pdf *p, double x, double y, double width, double w, double g)
{
	cairo_set_source_rgb(p->cr, g, g, g);
	cairo_set_line_width(p->cr, w);
	cairo_move_to(p->cr, x, y);
	cairo_line_to(p->cr, x + width, y);
	cairo_stroke(p->cr);
}

/* ---- flowing text and tables over pages ---------------------------------------- */

void pdf_flow_begin(struct pdf_flow *f, struct pdf *p, double page_w, double page_h, double margin, bool rtl)
{
	*f = (struct pdf_flow){ .p = p, .left = margin, .width = page_w - 2 * margin, .top = margin,
				.bottom = page_h - margin, .y = margin, .rtl = rtl };
}

/* A new page when h more points do not fit below y. */
static void room_for(struct pdf_flow *f, double h)
{
	if (f->y + h <= f->bottom || f->y == f->top)
		return;
	pdf_next_page(f->p);
	f->y = f->top;
}

void pdf_flow_text(struct pdf_flow *f, const char *text, const struct pdf_style *s, double after)
{
	double h = pdf_measure(f->p, f->width, text, s);
	room_for(f, h);
	f->y += pdf_text(f->p, f->left, f->y, f->width, text, s) + after;
}

void pdf_flow_space(struct pdf_flow *f, double h)
{
	f->y += h;
}

void pdf_flow_row(struct pdf_flow *f, const char *const *cells, const double *widths, const bool *numeric, int n,
		  const struct pdf_style *s, bool header)
{
	double h = 0, pad = 3;
	for (int i = 0; i < n; i++) {
		double ch = pdf_measure(f->p, widths[i] - 2 * pad, cells[i] ? cells[i] : "", s);
		if (ch > h)
			h = ch;
	}
	h += 2 * pad;
	room_for(f, h);
	double total = 0;
	for (int i = 0; i < n; i++)
		total += widths[i];
	double start = f->rtl ? f->left + f->width - total : f->left;
	if (header)
		pdf_fill(f->p, start, f->y, total, h, 0xEEF0F3);
	double x = f->rtl ? f->left + f->width : f->left;
	for (int i = 0; i < n; i++) {
		struct pdf_style cs = *s;
		cs.align = numeric && numeric[i] ? (f->rtl ? PDF_LEFT : PDF_RIGHT) : (f->rtl ? PDF_RIGHT : PDF_LEFT);
		double cx = f->rtl ? x - widths[i] : x;
		pdf_text(f->p, cx + pad, f->y + pad, widths[i] - 2 * pad, cells[i] ? cells[i] : "", &cs);
		x += f->rtl ? -widths[i] : widths[i];
	}
	f->y += h;
	pdf_rule(f->p, start, f->y, total, header ? 0.8 : 0.3, header ? 0.3 : 0.7);
}

void pdf_polyline(struct pdf *p, const double *xy, int n, double w, unsigned rgb)
{
	if (n < 2)
		return;
	set_rgb(p->cr, rgb);
	cairo_set_line_width(p->cr, w);
	cairo_move_to(p->cr, xy[0], xy[1]);
	for (int i = 1; i < n; i++)
		cairo_line_to(p->cr, xy[2 * i], xy[2 * i + 1]);
	cairo_stroke(p->cr);
}

/* The next number of SVG path data at *s (separators skipped); false at
 * its end or at a command. */
static bool path_number(const char **s, double *v)
{
	while (**s == ' ' || **s == ',' || **s == '\n')
		(*s)++;
	char *end;
	*v = strtod(*s, &end);
	if (end == *s)
		return false;
	*s = end;
	return true;
}

/* Traces SVG path data as cairo's current path (see pdf_outline). */
static void trace(cairo_t *cr, double x0, double y0, double k, const char *d)
{
	double x = 0, y = 0, sx = 0, sy = 0, a, b; /* the current point; the subpath's start */
	char cmd = 0;
	for (const char *s = d; *s;) {
		while (*s == ' ' || *s == ',' || *s == '\n')
			s++;
		if (strchr("MmLlHhVvZz", *s) && *s)
			cmd = *s++;
		else if (!cmd || strchr("Zz", cmd))
			return; /* a number without its command, or something else */
		bool rel = cmd >= 'a';
		switch (cmd | 0x20) {
		case 'z':
			cairo_close_path(cr);
			x = sx, y = sy;
			cmd = 0;
			continue;
		case 'h':
			if (!path_number(&s, &a))
				return;
			x = rel ? x + a : a;
			break;
		case 'v':
			if (!path_number(&s, &a))
				return;
			y = rel ? y + a : a;
			break;
		default: /* m, l */
			if (!path_number(&s, &a) || !path_number(&s, &b))
				return;
			x = rel ? x + a : a;
			y = rel ? y + b : b;
		}
		if ((cmd | 0x20) == 'm') {
			sx = x, sy = y;
			cairo_move_to(cr, x0 + x * k, y0 + y * k);
			cmd = rel ? 'l' : 'L'; /* numbers after a move draw lines */
		} else {
			cairo_line_to(cr, x0 + x * k, y0 + y * k);
		}
	}
}

void pdf_outline(struct pdf *p, double x, double y, double scale, const char *d, bool fill, unsigned rgb, double w,
		 unsigned line, bool dashed)
{
	cairo_new_path(p->cr);
	trace(p->cr, x, y, scale, d);
	if (fill) {
		set_rgb(p->cr, rgb);
		if (w > 0)
			cairo_fill_preserve(p->cr);
		else
			cairo_fill(p->cr);
	}
	if (w > 0) {
		set_rgb(p->cr, line);
		cairo_set_line_width(p->cr, w);
		cairo_set_line_join(p->cr, CAIRO_LINE_JOIN_ROUND);
		static const double dash[] = { 3, 2 };
		cairo_set_dash(p->cr, dash, dashed ? 2 : 0, 0);
		cairo_stroke(p->cr);
		cairo_set_dash(p->cr, NULL, 0, 0);
		cairo_set_line_join(p->cr, CAIRO_LINE_JOIN_MITER); /* cairo's default, for what comes next */
	}
	cairo_new_path(p->cr);
}

void pdf_disc(struct pdf *p, double cx, double cy, double r, unsigned rgb, double w, unsigned line)
{
	cairo_new_path(p->cr);
	cairo_arc(p->cr, cx, cy, r, 0, 6.283185307179586);
	set_rgb(p->cr, rgb);
	cairo_fill_preserve(p->cr);
	set_rgb(p->cr, line);
	cairo_set_line_width(p->cr, w);
	cairo_stroke(p->cr);
}

void pdf_frame(struct pdf *p, double x, double y, double width, double height, double w, double g)
{
	cairo_set_source_rgb(p->cr, g, g, g);
	cairo_set_line_width(p->cr, w);
	cairo_rectangle(p->cr, x, y, width, height);
	cairo_stroke(p->cr);
}

bool pdf_qr(struct pdf *p, double x, double y, double size, const char *data)
{
	QRcode *q = QRcode_encodeString(data, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return false;
	int quiet = 4, n = q->width + 2 * quiet;
	double m = size / n;
	cairo_set_source_rgb(p->cr, 1, 1, 1);
	cairo_rectangle(p->cr, x, y, size, size);
	cairo_fill(p->cr);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	for (int r = 0; r < q->width; r++)
		for (int c = 0; c < q->width; c++)
			if (q->data[r * q->width + c] & 1)
				cairo_rectangle(p->cr, x + (c + quiet) * m, y + (r + quiet) * m, m, m);
	cairo_fill(p->cr);
	QRcode_free(q);
	return true;
}

bool pdf_qr_svg(struct buf *out, const char *data, int size, const char *title)
{
	const char *why;
	if (!lazylib_pdf(&why))
		return false;
	QRcode *q = QRcode_encodeString(data, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return false;
	int quiet = 4, n = q->width + 2 * quiet;
	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" role=\"img\" viewBox=\"0 0 %d %d\" "
			"width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\"><title>",
		   n, n, size, size);
	buf_html(out, title);
	buf_printf(out, "</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"", n, n);
	for (int r = 0; r < q->width; r++)
		for (int c = 0; c < q->width; c++)
			if (q->data[r * q->width + c] & 1)
				buf_printf(out, "M%d %dh1v1h-1z", c + quiet, r + quiet);
	buf_adds(out, "\"/></svg>");
	QRcode_free(q);
	return true;
}

void pdf_next_page(struct pdf *p)
{
	cairo_show_page(p->cr);
}


enum app_err pdf_finish(struct pdf *p, struct buf *out)
{
	cairo_show_page(p->cr);
	cairo_destroy(p->cr);
	cairo_surface_finish(p->surface);
	bool ok = cairo_surface_status(p->surface) == CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(p->surface);
	if (ok)
		buf_add(out, p->bytes.data, p->bytes.len);
	buf_release(&p->bytes);
	free(p);
	return ok ? APP_OK : APP_INTERNAL;
}
