/* chart.h — SVG charts drawn on the server (they work without JavaScript
 * and print).  Each chart is an <svg role="img"> with a <title> and a
 * <desc> (its text alternative); the caller shows the same numbers in a
 * table as well.  Colours are presentation attributes, not style, so the
 * charts pass the Content-Security-Policy and survive a standalone file. */
#ifndef SUIVI_CHART_H
#define SUIVI_CHART_H
#include "buf.h"

/* One horizontal bar: label (plain text, escaped here), value >= 0, a
 * fill colour ("#1d6b35"), and the text written after the bar (plain;
 * NULL: the value as a number — an amount of money gives its formatted
 * text here). */
struct chart_bar {
	const char *label;
	long long value;
	const char *colour;
	const char *text;
};

/* Horizontal bars, scaled to the largest value, each with its value
 * written after it.  id (ASCII letters, digits, '-') makes the ids of the
 * title and desc unique on the page; title and desc are plain text.  n may
 * be 0 (an empty chart that says so with `empty`). */
void chart_bars(struct buf *out, const char *id, const char *title, const char *desc,
		const struct chart_bar *bars, int n, const char *empty);

/* One point of a line over time: date YYYY-MM-DD, value >= 0. */
struct chart_point {
	const char *date;
	long long value;
};

/* A step line over time (the value holds until the next point), x by
 * date, y from 0 to the largest value, with the first and last dates and
 * the y range labelled.  Points must be in date order.  n may be 0 or 1. */
void chart_steps(struct buf *out, const char *id, const char *title, const char *desc,
		 const struct chart_point *pts, int n, const char *empty);

/* Days since 1970-01-01 of a YYYY-MM-DD date (proleptic Gregorian); 0 for
 * text that is not one. */
long long chart_day(const char *iso);

#endif
