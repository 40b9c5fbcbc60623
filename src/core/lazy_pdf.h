/* lazy_pdf.h — cairo's, pango's and libqrencode's functions as pdf.c calls
 * them, loaded by lazylib_pdf() (lazylib.h): include after their headers.
 * With their dependencies (glib, HarfBuzz, FriBidi, fontconfig, FreeType,
 * pixman, libpng) they are some 5 MiB of resident pages that a server
 * drawing no PDF never needs. */
#ifndef SUIVI_LAZY_PDF_H
#define SUIVI_LAZY_PDF_H
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include "lazylib.h"

#define LAZY_PDF_FUNCS(X)                                                                           \
	X(cairo_create) X(cairo_destroy) X(cairo_fill) X(cairo_line_to) X(cairo_move_to)            \
	X(cairo_pdf_surface_create_for_stream) X(cairo_pdf_surface_set_metadata) X(cairo_rectangle) \
	X(cairo_set_line_width) X(cairo_set_source_rgb) X(cairo_show_page) X(cairo_stroke)          \
	X(cairo_surface_destroy) X(cairo_surface_finish) X(cairo_surface_status) X(g_object_unref)  \
	X(pango_cairo_create_layout) X(pango_cairo_show_layout) X(pango_font_description_free)      \
	X(pango_font_description_from_string) X(pango_font_description_set_absolute_size)           \
	X(pango_font_description_set_style) X(pango_font_description_set_weight)                    \
	X(pango_layout_get_size) X(pango_layout_set_alignment) X(pango_layout_set_font_description) \
	X(pango_layout_set_text) X(pango_layout_set_width) X(pango_layout_set_wrap)                 \
	X(cairo_new_path) X(cairo_arc) X(cairo_set_dash) X(cairo_fill_preserve) X(cairo_close_path) \
	X(cairo_set_line_join) X(QRcode_encodeString) X(QRcode_free)

#define LAZY_PDF_DECLARE(f) extern __typeof__(f) *lazy_##f;
LAZY_PDF_FUNCS(LAZY_PDF_DECLARE)

#ifndef LAZYLIB_IMPL
#define cairo_create lazy_cairo_create
#define cairo_destroy lazy_cairo_destroy
#define cairo_fill lazy_cairo_fill
#define cairo_line_to lazy_cairo_line_to
#define cairo_move_to lazy_cairo_move_to
#define cairo_pdf_surface_create_for_stream lazy_cairo_pdf_surface_create_for_stream
#define cairo_pdf_surface_set_metadata lazy_cairo_pdf_surface_set_metadata
#define cairo_rectangle lazy_cairo_rectangle
#define cairo_set_line_width lazy_cairo_set_line_width
#define cairo_set_source_rgb lazy_cairo_set_source_rgb
#define cairo_show_page lazy_cairo_show_page
#define cairo_stroke lazy_cairo_stroke
#define cairo_surface_destroy lazy_cairo_surface_destroy
#define cairo_surface_finish lazy_cairo_surface_finish
#define cairo_surface_status lazy_cairo_surface_status
#define g_object_unref lazy_g_object_unref
#define pango_cairo_create_layout lazy_pango_cairo_create_layout
#define pango_cairo_show_layout lazy_pango_cairo_show_layout
#define pango_font_description_free lazy_pango_font_description_free
#define pango_font_description_from_string lazy_pango_font_description_from_string
#define pango_font_description_set_absolute_size lazy_pango_font_description_set_absolute_size
#define pango_font_description_set_style lazy_pango_font_description_set_style
#define pango_font_description_set_weight lazy_pango_font_description_set_weight
#define pango_layout_get_size lazy_pango_layout_get_size
#define pango_layout_set_alignment lazy_pango_layout_set_alignment
#define pango_layout_set_font_description lazy_pango_layout_set_font_description
#define pango_layout_set_text lazy_pango_layout_set_text
#define pango_layout_set_width lazy_pango_layout_set_width
#define pango_layout_set_wrap lazy_pango_layout_set_wrap
#define cairo_new_path lazy_cairo_new_path
#define cairo_arc lazy_cairo_arc
#define cairo_set_dash lazy_cairo_set_dash
#define cairo_fill_preserve lazy_cairo_fill_preserve
#define cairo_close_path lazy_cairo_close_path
#define cairo_set_line_join lazy_cairo_set_line_join
#define QRcode_encodeString lazy_QRcode_encodeString
#define QRcode_free lazy_QRcode_free
#endif

#endif
