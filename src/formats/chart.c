/* chart.c — see chart.h.  Coordinates are whole pixels of a fixed
 * viewBox; the SVG scales with its container (width 100 %). */
#include "chart.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "banned.h"

#define INK "#1b1f24"
#define MUTED "#4a5260"
#define LINE "#c9ced6"
#define BRAND "#0b4f8a"

/* <svg> with its text alternative; direction ltr: the drawing is the same
 * in every language (the labels inside keep their own script order). */
static void svg_open(struct buf *out, const char *id, int w, int h, const char *title,
		     const char *desc)
{
	buf_printf(out, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
			"width=\"100%%\" role=\"img\" direction=\"ltr\" aria-labelledby=\"%s-t %s-d\">",
		   w, h, id, id);
	buf_printf(out, "<title id=\"%s-t\">", id);
	buf_html(out, title);
	buf_printf(out, "</title><desc id=\"%s-d\">", id);
	buf_html(out, desc);
	buf_adds(out, "</desc>");
}

static void svg_empty(struct buf *out, int w, int h, const char *empty)
{
	buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"" MUTED "\" font-size=\"14\">",
		   w / 2, h / 2);
	buf_html(out, empty);
	buf_adds(out, "</text></svg>");
}

#define BAR_W 600
#define BAR_ROW 28
#define BAR_LABEL 170 /* width of the label column */
#define BAR_SPAN 360  /* the longest bar */

void chart_bars(struct buf *out, const char *id, const char *title, const char *desc,
		const struct chart_bar *bars, int n, const char *empty)
{
	int h = n > 0 ? n * BAR_ROW + 8 : 60;
	/* room after the longest bar for the longest text (about 8 px a character) */
	int w = BAR_W;
	for (int i = 0; i < n; i++) {
		size_t len = bars[i].text ? strlen(bars[i].text) : 0;
		if (len && BAR_LABEL + BAR_SPAN + 14 + (int)len * 8 > w)
			w = BAR_LABEL + BAR_SPAN + 14 + (int)len * 8;
	}
	svg_open(out, id, w, h, title, desc);
	long long max = 0;
	for (int i = 0; i < n; i++)
		if (bars[i].value > max)
			max = bars[i].value;
	if (n <= 0) {
		svg_empty(out, w, h, empty);
		return;
	}
	for (int i = 0; i < n; i++) {
		long long v = bars[i].value < 0 ? 0 : bars[i].value;
		int y = 4 + i * BAR_ROW;
		int len = max ? (int)(v * BAR_SPAN / max) : 0;
		if (v && len < 2)
			len = 2; /* a non-zero value stays visible */
		buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"" INK "\" font-size=\"14\">",
			   BAR_LABEL - 8, y + 18);
		buf_html(out, bars[i].label);
		buf_adds(out, "</text>");
		buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"", BAR_LABEL, y + 4, len,
			   BAR_ROW - 8);
		buf_html(out, bars[i].colour ? bars[i].colour : BRAND);
		buf_printf(out, "\"/><text x=\"%d\" y=\"%d\" fill=\"" INK "\" font-size=\"14\">",
			   BAR_LABEL + len + 6, y + 18);
		if (bars[i].text)
			buf_html(out, bars[i].text);
		else
			buf_printf(out, "%lld", v);
		buf_adds(out, "</text>");
	}
	buf_printf(out, "<line x1=\"%d\" y1=\"2\" x2=\"%d\" y2=\"%d\" stroke=\"" MUTED "\"/></svg>", BAR_LABEL,
		   BAR_LABEL, h - 2);
}

long long chart_day(const char *iso)
{
	int y, m, d;
	if (!util_parse_ymd(iso, &y, &m, &d))
		return 0;
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	return util_days_from_civil(y, m, d);
}

#define LN_W 600
#define LN_H 240
#define LN_L 56  /* left margin: y labels */
#define LN_R 24
#define LN_T 16
#define LN_B 40  /* bottom margin: x labels */

void chart_steps(struct buf *out, const char *id, const char *title, const char *desc,
		 const struct chart_point *pts, int n, const char *empty)
{
	svg_open(out, id, LN_W, LN_H, title, desc);
	if (n <= 0) {
		svg_empty(out, LN_W, LN_H, empty);
		return;
	}
	long long max = 0;
	for (int i = 0; i < n; i++)
		if (pts[i].value > max)
			max = pts[i].value;
	long long d0 = chart_day(pts[0].date), d1 = chart_day(pts[n - 1].date);
	int x0 = LN_L, x1 = LN_W - LN_R, y0 = LN_H - LN_B, y1 = LN_T;
	/* axes, and the y labels 0 and max */
	buf_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"" MUTED "\"/>", x0, y0, x1, y0);
	buf_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"" MUTED "\"/>", x0, y0, x0, y1);
	if (max)
		buf_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"" LINE "\"/>", x0, y1, x1, y1);
	buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"" INK "\" font-size=\"13\">0</text>",
		   x0 - 6, y0 + 4);
	if (max)
		buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"" INK "\" font-size=\"13\">%lld</text>",
			   x0 - 6, y1 + 4, max);
	/* the step line */
	buf_printf(out, "<path fill=\"none\" stroke=\"" BRAND "\" stroke-width=\"2\" d=\"");
	for (int i = 0; i < n; i++) {
		long long d = chart_day(pts[i].date);
		int x = d1 > d0 ? x0 + (int)((d - d0) * (x1 - x0) / (d1 - d0)) : (x0 + x1) / 2;
		int y = max ? y0 - (int)(pts[i].value * (y0 - y1) / max) : y0;
		if (i == 0)
			buf_printf(out, "M%d %d", x, y);
		else
			buf_printf(out, " H%d V%d", x, y);
	}
	buf_adds(out, "\"/>");
	for (int i = 0; i < n; i++) {
		long long d = chart_day(pts[i].date);
		int x = d1 > d0 ? x0 + (int)((d - d0) * (x1 - x0) / (d1 - d0)) : (x0 + x1) / 2;
		int y = max ? y0 - (int)(pts[i].value * (y0 - y1) / max) : y0;
		buf_printf(out, "<circle cx=\"%d\" cy=\"%d\" r=\"3\" fill=\"" BRAND "\"/>", x, y);
	}
	/* the first and last dates under the axis */
	buf_printf(out, "<text x=\"%d\" y=\"%d\" fill=\"" INK "\" font-size=\"13\" text-anchor=\"%s\">",
		   n > 1 ? x0 : (x0 + x1) / 2, y0 + 24, n > 1 ? "start" : "middle");
	buf_html(out, pts[0].date);
	buf_adds(out, "</text>");
	if (n > 1) {
		buf_printf(out, "<text x=\"%d\" y=\"%d\" fill=\"" INK "\" font-size=\"13\" text-anchor=\"end\">", x1,
			   y0 + 24);
		buf_html(out, pts[n - 1].date);
		buf_adds(out, "</text>");
	}
	buf_adds(out, "</svg>");
}
