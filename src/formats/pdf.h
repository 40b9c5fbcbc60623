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
 * NULL with *why (static English) when the libraries cannot be loaded. */
struct pdf *pdf_new(double width, double height, const char *title, const char **why);
/* Text (UTF-8) in a box of that width at x, y; answers its height. */
double pdf_text(struct pdf *p, double x, double y, double width, const char *text, const struct pdf_style *s);
/* A rectangle's outline (line width w, grey g). */
void pdf_frame(struct pdf *p, double x, double y, double width, double height, double w, double g);
/* A QR code of data (error correction M) in a square of side size at x, y
 * with its quiet zone; false when data cannot be encoded. */
bool pdf_qr(struct pdf *p, double x, double y, double size, const char *data);
/* Ends the page and begins the next. */
void pdf_next_page(struct pdf *p);
/* Ends the document: its bytes at the end of out; frees p.  APP_INTERNAL
 * when cairo failed. */
MUST_CHECK enum app_err pdf_finish(struct pdf *p, struct buf *out);

#endif
