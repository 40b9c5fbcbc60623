/* buf.h — a growable byte string, the one string builder of suivi.
 *
 * Invariant: data is NUL-terminated whenever data != NULL, len excludes the
 * NUL.  A zeroed struct buf (BUF_INIT) is an empty, valid buffer.  Appends
 * never fail (allocation aborts, see xalloc.h).  buf_detach hands the bytes
 * to the caller and leaves the buffer empty; buf_release frees them.
 *
 * A buffer may have a cap, set per use (BUF_CAPPED, as curl's dynbuf): where
 * what it gathers comes from outside (a header parameter, a file read), an
 * append that would take it past max bytes appends nothing and marks the
 * buffer over, and so does every append after it; the caller asks buf_over
 * once at the end, as ferror after a run of writes.
 *
 * The escaping appenders (JSON, HTML, CSV) are where every byte that came
 * from a user or the database goes out of the process. */
#ifndef SUIVI_BUF_H
#define SUIVI_BUF_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max; /* 0: no cap; else len never passes it */
	bool over;  /* an append was refused for the cap */
};

#define BUF_INIT { NULL, 0, 0, 0, false }
#define BUF_CAPPED(n) { NULL, 0, 0, (n), false }

/* Room for extra more bytes (and the NUL): false, appending nothing, when
 * the buffer is over its cap or would be. */
bool buf_grow(struct buf *b, size_t extra);
/* Whether an append was refused for the cap since the buffer was made or
 * released. */
static inline bool buf_over(const struct buf *b)
{
	return b->over;
}
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
/* v in decimal, as "%lld" would write it, without printf's parsing (the
 * integers of every record of a list). */
void buf_add_ll(struct buf *b, long long v);
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

/* Appends what f holds from where it is to its end; false on a read error
 * (what was read stays). */
bool buf_add_file(struct buf *b, FILE *f);

#endif
