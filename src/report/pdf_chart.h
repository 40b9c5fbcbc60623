/* pdf_chart.h — the charts of the reports' PDFs, drawn where a flow of
 * text has reached (pdf.h), the same as the pages' SVG charts (chart.h):
 * horizontal bars, and a step line over time.  Mirrored in a right-to-left
 * flow: labels on the right, bars growing leftwards.  The caller shows the
 * same figures in a table. */
#ifndef SUIVI_PDF_CHART_H
#define SUIVI_PDF_CHART_H
#include "chart.h"
#include "i18n.h"
#include "map.h"
#include "pdf.h"

/* A bar: label (NULL: the next bar of the same label's group), value ≥ 0,
 * colour 0xRRGGBB and the text written after it. */
struct pdf_bar {
	const char *label;
	double value;
	unsigned rgb;
	const char *text;
};

/* Bars scaled to max (≤ 0: the largest value), then a legend of nlegend
 * colours and their names (nlegend may be 0). */
void pdf_chart_bars(struct pdf_flow *f, const struct pdf_bar *bars, int n, double max, const unsigned *legend_rgb,
		    const char *const *legend, int nlegend);

/* A step line of pts (in date order) over time, from 0 to the largest
 * value, its first and last dates and its largest value written in lang;
 * empty when n < 1. */
void pdf_chart_steps(struct pdf_flow *f, const struct chart_point *pts, int n, enum lang lang);

/* The map of Africa (map.h) with values[n] in lg's classes, its legend
 * beside it (lg->caption, lg->labels, lg->no_data; mirrored in a right-to-
 * left flow), then the notes the UN prints under its maps (notes, plain
 * text). */
void pdf_chart_map(struct pdf_flow *f, const struct map_value *values, size_t n, const struct map_legend *lg,
		   const char *notes);

#endif
