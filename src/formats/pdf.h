/* pdf.h — PDF documents drawn with cairo, their text laid out by pango:
 * HarfBuzz shapes Arabic, FriBidi orders a paragraph by its first strong
 * letter (an Arabic name reads right to left among French and English),
 * and cairo embeds the subset of each font used, with the map back to
 * the characters, so that the text of the file can be extracted and
 * searched (pdftotext).  Fonts: Noto Sans, then Noto Naskh Arabic and Amiri
 * for Arabic (Debian's fonts-noto-core, fonts-hosny-amiri), as fontconfig
 * finds them.
 *
 * Lengths are in points (1/72 inch), from the page's top left corner. */
#ifndef SUIVI_PDF_H
#define SUIVI_PDF_H
#include <stdbool.h>

#include "buf.h"
#include "err.h"

#define PDF_A4_LONG 841.89
#define PDF_A4_SHORT 595.28

enum pdf_align { PDF_LEFT, PDF_CENTER, PDF_RIGHT };

struct pdf_style {
	double size;          /* points */
	bool bold, italic;
	enum pdf_align align;
	double grey;          /* 0: black ... 1: white */
};

struct pdf;

/* A document of pages of width × height, titled title (its metadata);
 * NULL, said on standard error, when the libraries cannot be loaded (the
 * caller answers APP_UNAVAILABLE). */
struct pdf *pdf_new(double width, double height, const char *title);
/* Text (UTF-8) in a box of that width at x, y; answers its height. */
double pdf_text(struct pdf *p, double x, double y, double width, const char *text, const struct pdf_style *s);
/* The height text would take in a box of that width. */
double pdf_measure(struct pdf *p, double width, const char *text, const struct pdf_style *s);
/* A rectangle filled with the colour 0xRRGGBB. */
void pdf_fill(struct pdf *p, double x, double y, double width, double height, unsigned rgb);
/* A horizontal line (line width w, grey g). */
void pdf_rule(struct pdf *p, double x, double y, double width, double w, double g);
/* A rectangle's outline (line width w, grey g). */
void pdf_frame(struct pdf *p, double x, double y, double width, double height, double w, double g);
/* A line through the n points xy[0], xy[1], xy[2] … (line width w, colour
 * 0xRRGGBB). */
void pdf_polyline(struct pdf *p, const double *xy, int n, double w, unsigned rgb);
/* An outline given as SVG path data (M m L l H h V v Z z, numbers as SVG
 * writes them), its coordinates scaled by scale from x, y: filled with
 * 0xRRGGBB when fill, its line drawn (width w, colour line) when w > 0,
 * dashed when dashed.  Drawing stops at what it does not read. */
void pdf_outline(struct pdf *p, double x, double y, double scale, const char *d, bool fill, unsigned rgb, double w,
		 unsigned line, bool dashed);
/* A disc of radius r at cx, cy, filled with rgb, its edge (width w) in line. */
void pdf_disc(struct pdf *p, double cx, double cy, double r, unsigned rgb, double w, unsigned line);
/* A QR code of data (error correction M) in a square of side size at x, y
 * with its quiet zone; false when data cannot be encoded. */
bool pdf_qr(struct pdf *p, double x, double y, double size, const char *data);
/* ---- text and tables flowing down pages: a cursor y between the margins,
 * a new page when what comes does not fit (a table row is never split);
 * right to left (rtl), a table's first column is on the right. */
struct pdf_flow {
	struct pdf *p;
	double left, width, top, bottom, y;
	bool rtl;
};
void pdf_flow_begin(struct pdf_flow *f, struct pdf *p, double page_w, double page_h, double margin, bool rtl);
/* A paragraph, then `after` points of space. */
void pdf_flow_text(struct pdf_flow *f, const char *text, const struct pdf_style *s, double after);
void pdf_flow_space(struct pdf_flow *f, double h);
/* A row of a table: n cells in columns of widths[] (numeric[i]: aligned to
 * the end; numeric may be NULL), ruled below; a header row shaded. */
void pdf_flow_row(struct pdf_flow *f, const char *const *cells, const double *widths, const bool *numeric, int n,
		  const struct pdf_style *s, bool header);

/* A QR code of data (error correction M) as an inline <svg> of side size
 * pixels, its modules as one path, with its quiet zone, titled title
 * (plain text, escaped here); false (nothing written) when the library
 * cannot be loaded or data cannot be encoded.  For pages: the enrolment
 * of an authenticator app. */
bool pdf_qr_svg(struct buf *out, const char *data, int size, const char *title);

/* Ends the page and begins the next. */
void pdf_next_page(struct pdf *p);
/* Ends the document: its bytes at the end of out; frees p.  APP_INTERNAL
 * when cairo failed. */
MUST_CHECK enum app_err pdf_finish(struct pdf *p, struct buf *out);

#endif
