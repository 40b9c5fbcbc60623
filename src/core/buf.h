/* buf.h — a growable byte string, the one string builder of suivi.
 *
 * Invariant: data is NUL-terminated whenever data != NULL, len excludes the
 * NUL.  A zeroed struct buf (BUF_INIT) is an empty, valid buffer.  Appends
 * never fail (allocation aborts, see xalloc.h).  buf_detach hands the bytes
 * to the caller and leaves the buffer empty; buf_release frees them.
 *
 * The escaping appenders (JSON, HTML, CSV) are where every byte that came
 * from a user or the database goes out of the process. */
#ifndef SUIVI_BUF_H
#define SUIVI_BUF_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_reset(struct buf *b);
void buf_release(struct buf *b);
/* Returns the NUL-terminated bytes (never NULL); the caller frees them. */
char *buf_detach(struct buf *b);
/* Returns a C string view (never NULL), valid until the next append. */
const char *buf_cstr(struct buf *b);

/* "s" with JSON escapes and the surrounding quotes; NULL appends null. */
void buf_json_str(struct buf *b, const char *s);
void buf_json_strn(struct buf *b, const char *s, size_t n);
/* HTML text or attribute value, escaping & < > " '. NULL appends nothing. */
void buf_html(struct buf *b, const char *s);
/* One CSV field of text: quoted when it holds , ; " CR or LF; also when it
 * starts with = + - @ TAB or CR (spreadsheet formula injection: a
 * spreadsheet skips a leading TAB or CR and reads the formula after it),
 * prefixed with '.  NULL appends nothing. */
void buf_csv(struct buf *b, const char *s);
/* One CSV field of a typed value (a number, an amount, a date, a key):
 * quoted when needed but never prefixed, so that -12345 stays a number. */
void buf_csv_value(struct buf *b, const char *s);
/* Percent-encoding for a URL query value. */
void buf_url(struct buf *b, const char *s);

#endif
