/* csvin.c — see csvin.h.
 *
 * The record is gathered byte by byte into one buffer, its fields separated
 * by NULs; when it is complete each field is checked as UTF-8 and, once the
 * reader has switched to Windows-1252, converted into a second buffer.
 * Memory is one input chunk plus the largest record seen (bounded by the
 * limits). */
#define _POSIX_C_SOURCE 200809L
#include "csvin.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "xalloc.h"
#include "banned.h"

#define CHUNK (64 * 1024)
#define DEFAULT_FIELD (256 * 1024)
#define DEFAULT_RECORD (1024 * 1024)
#define DEFAULT_FIELDS 256

struct csvin {
	struct csvin_source src;  /* src.next set: rows handed by another reader */
	FILE *f;                  /* NULL: reading memory */
	const unsigned char *p;   /* the input chunk (or the whole memory) */
	size_t n, pos;
	unsigned char *chunk;     /* file readers' buffer */
	unsigned long long base;  /* input offset of p[0] */
	bool started, done, failed;
	char sep;
	bool cp1252;
	struct csvin_limits lim;
	/* the current record */
	char *rec;
	size_t rlen, rcap;
	size_t *start;            /* offset of each field in rec */
	size_t nf, fcap;
	char *conv;               /* Windows-1252 fields converted to UTF-8 */
	size_t clen, ccap;
	const char **fp;          /* the fields as handed out */
	size_t *fl;
	long long line;           /* physical line at the read position */
	long long rec_line;
	long long err_line;
	char err[200];
};

/* ---- input -------------------------------------------------------------- */

static struct csvin *reader_new(const struct csvin_limits *lim)
{
	struct csvin *r = xcalloc(1, sizeof *r);
	r->lim.field = lim && lim->field ? lim->field : DEFAULT_FIELD;
	r->lim.record = lim && lim->record ? lim->record : DEFAULT_RECORD;
	r->lim.fields = lim && lim->fields ? lim->fields : DEFAULT_FIELDS;
	r->line = 1;
	return r;
}

struct csvin *csvin_new_file(FILE *f, const struct csvin_limits *lim)
{
	struct csvin *r = reader_new(lim);
	r->f = f;
	r->chunk = xmalloc(CHUNK);
	r->p = r->chunk;
	return r;
}

struct csvin *csvin_new_mem(const char *p, size_t n, const struct csvin_limits *lim)
{
	struct csvin *r = reader_new(lim);
	r->p = (const unsigned char *)p;
	r->n = n;
	return r;
}

struct csvin *csvin_new_source(const struct csvin_source *src, const struct csvin_limits *lim)
{
	struct csvin *r = reader_new(lim);
	r->src = *src;
	r->started = true;
	return r;
}

void csvin_free(struct csvin *r)
{
	if (!r)
		return;
	if (r->src.free)
		r->src.free(r->src.ctx);
	free(r->chunk);
	free(r->rec);
	free(r->start);
	free(r->conv);
	free(r->fp);
	free(r->fl);
	free(r);
}

void csvin_fail(struct csvin *r, long long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof r->err, fmt, ap);
	va_end(ap);
	r->err_line = line;
	r->failed = true;
}

/* More input: false at the end (or on a read error, which fails r). */
static bool refill(struct csvin *r)
{
	if (!r->f || r->done)
		return false;
	r->base += r->n;
	r->pos = 0;
	r->n = fread(r->chunk, 1, CHUNK, r->f);
	if (r->n == 0) {
		r->done = true;
		if (ferror(r->f))
			csvin_fail(r, r->line, "the file cannot be read");
		return false;
	}
	return true;
}

/* The next byte, or -1 at the end. */
static inline int getb(struct csvin *r)
{
	if (r->pos == r->n && !refill(r))
		return -1;
	return r->p[r->pos++];
}

static inline int peekb(struct csvin *r)
{
	if (r->pos == r->n && !refill(r))
		return -1;
	return r->p[r->pos];
}

/* Skips a BOM and picks the separator from the header line as far as the
 * first chunk holds it (a header longer than 64 KiB is not a header). */
static void start(struct csvin *r)
{
	r->started = true;
	if (peekb(r) == 0xEF && r->n - r->pos >= 3 && r->p[r->pos + 1] == 0xBB &&
	    r->p[r->pos + 2] == 0xBF)
		r->pos += 3;
	size_t i = r->pos, commas = 0, semis = 0, tabs = 0;
	bool quoted = false;
	while (i < r->n && (r->p[i] == '\r' || r->p[i] == '\n'))
		i++;
	for (; i < r->n; i++) {
		unsigned char c = r->p[i];
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && (c == '\r' || c == '\n'))
			break;
		else if (!quoted && c == ',')
			commas++;
		else if (!quoted && c == ';')
			semis++;
		else if (!quoted && c == '\t')
			tabs++;
	}
	r->sep = tabs > commas && tabs > semis ? '\t' : semis > commas ? ';' : ',';
}

/* ---- gathering a record ------------------------------------------------- */

static bool put(struct csvin *r, char c)
{
	size_t field = r->rlen - r->start[r->nf - 1];
	if (field >= r->lim.field) {
		csvin_fail(r, r->line, "field %zu is longer than %zu bytes", r->nf, r->lim.field);
		return false;
	}
	if (r->rlen + 1 >= r->lim.record) {
		csvin_fail(r, r->rec_line, "the record is longer than %zu bytes", r->lim.record);
		return false;
	}
	if (r->rlen + 1 >= r->rcap) {
		r->rcap = r->rcap ? 2 * r->rcap : 1024;
		r->rec = xrealloc(r->rec, r->rcap);
	}
	r->rec[r->rlen++] = c;
	return true;
}

/* Ends the current field and, unless last, opens the next one. */
static bool next_field(struct csvin *r, bool last)
{
	if (r->rlen + 1 >= r->rcap) {
		r->rcap = r->rcap ? 2 * r->rcap : 1024;
		r->rec = xrealloc(r->rec, r->rcap);
	}
	r->rec[r->rlen++] = '\0';
	if (last)
		return true;
	if (r->nf == r->lim.fields) {
		csvin_fail(r, r->rec_line, "the record has more than %zu fields", r->lim.fields);
		return false;
	}
	if (r->nf == r->fcap) {
		r->fcap = r->fcap ? 2 * r->fcap : 32;
		r->start = xrealloc(r->start, r->fcap * sizeof *r->start);
	}
	r->start[r->nf++] = r->rlen;
	return true;
}

/* Consumes the LF of a CRLF after a CR was read. */
static void after_cr(struct csvin *r)
{
	if (peekb(r) == '\n')
		r->pos++;
}

/* A quoted field, after its opening quote: up to and including the byte
 * after the closing quote, which is returned (separator, line end, -1). */
static int quoted(struct csvin *r)
{
	long long opened = r->line;
	for (;;) {
		int c = getb(r);
		if (c < 0) {
			if (!r->failed)
				csvin_fail(r, opened, "a quoted field opened here is never closed");
			return -2;
		}
		if (c == '"') {
			c = getb(r);
			if (c == '"') {
				if (!put(r, '"'))
					return -2;
				continue;
			}
			if (c == r->sep || c == '\n' || c == '\r' || c < 0)
				return c;
			csvin_fail(r, r->line, "field %zu has text after its closing quote", r->nf);
			return -2;
		}
		if (c == '\r' || c == '\n') {
			if (c == '\r')
				after_cr(r);
			r->line++;
			c = '\n';
		} else if (c == 0) {
			csvin_fail(r, r->line, "the file holds a NUL byte (is it a spreadsheet rather than CSV?)");
			return -2;
		}
		if (!put(r, (char)c))
			return -2;
	}
}

/* An unquoted field from its first byte c: returns the byte that ended it. */
static int unquoted(struct csvin *r, int c)
{
	for (;; c = getb(r)) {
		if (c == r->sep || c == '\n' || c == '\r' || c < 0)
			return c;
		if (c == '"') {
			csvin_fail(r, r->line, "field %zu holds a quote but does not start with one "
					 "(quote the whole field and double the quote)", r->nf);
			return -2;
		}
		if (c == 0) {
			csvin_fail(r, r->line, "the file holds a NUL byte (is it a spreadsheet rather than CSV?)");
			return -2;
		}
		if (!put(r, (char)c))
			return -2;
	}
}

/* Reads the fields of one record; false on an error or at the end (r->nf
 * == 0 and no error). */
static bool gather(struct csvin *r)
{
	r->rlen = 0;
	r->nf = 0;
	int c;
	/* empty lines between records are skipped */
	while ((c = getb(r)) == '\n' || c == '\r') {
		if (c == '\r')
			after_cr(r);
		r->line++;
	}
	if (c < 0)
		return false;
	r->rec_line = r->line;
	next_field(r, false);
	for (;;) {
		c = c == '"' ? quoted(r) : unquoted(r, c);
		if (c == -2)
			return false;
		if (c == r->sep) {
			if (!next_field(r, false))
				return false;
			c = getb(r);
			continue;
		}
		next_field(r, true);
		if (c == '\r')
			after_cr(r);
		if (c >= 0)
			r->line++;
		return true;
	}
}

/* ---- encoding ----------------------------------------------------------- */

/* Windows-1252 0x80..0x9F; the five unassigned bytes become U+FFFD. */
static const unsigned short cp1252_high[32] = {
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

static bool ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/* Appends the Windows-1252 bytes s[0..n) as UTF-8 (and a NUL) to conv. */
static void convert(struct csvin *r, const char *s, size_t n)
{
	if (r->clen + 3 * n + 1 > r->ccap) {
		r->ccap = 2 * (r->clen + 3 * n + 1);
		r->conv = xrealloc(r->conv, r->ccap);
	}
	unsigned char *o = (unsigned char *)r->conv + r->clen;
	for (size_t i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i];
		if (c >= 0x80 && c < 0xA0)
			c = cp1252_high[c - 0x80];
		if (c < 0x80) {
			*o++ = (unsigned char)c;
		} else if (c < 0x800) {
			*o++ = (unsigned char)(0xC0 | (c >> 6));
			*o++ = (unsigned char)(0x80 | (c & 0x3F));
		} else {
			*o++ = (unsigned char)(0xE0 | (c >> 12));
			*o++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
			*o++ = (unsigned char)(0x80 | (c & 0x3F));
		}
	}
	*o++ = '\0';
	r->clen = (size_t)((char *)o - r->conv);
}

/* Hands out the fields of the gathered record as UTF-8. */
static void finish(struct csvin *r)
{
	r->fp = xrealloc(r->fp, r->fcap * sizeof *r->fp);
	r->fl = xrealloc(r->fl, r->fcap * sizeof *r->fl);
	r->clen = 0;
	/* conv may move while fields are converted: point into it afterwards */
	bool converted = false;
	for (size_t i = 0; i < r->nf; i++) {
		size_t end = i + 1 < r->nf ? r->start[i + 1] - 1 : r->rlen - 1;
		const char *s = r->rec + r->start[i];
		size_t n = end - r->start[i];
		r->fp[i] = s;
		r->fl[i] = n;
		if (ascii(s, n) || (!r->cp1252 && util_valid_utf8(s, n)))
			continue;
		r->cp1252 = true;
		converted = true;
		size_t at = r->clen;
		convert(r, s, n);
		r->fp[i] = NULL;
		r->fl[i] = at; /* its offset in conv, for now */
	}
	if (!converted)
		return;
	for (size_t i = 0; i < r->nf; i++) {
		if (r->fp[i])
			continue;
		r->fp[i] = r->conv + r->fl[i];
		r->fl[i] = strlen(r->fp[i]);
	}
}

/* ---- rows handed by another reader -------------------------------------- */

void csvin_row(struct csvin *r, long long line)
{
	r->rlen = 0;
	r->nf = 0;
	r->rec_line = r->line = line;
	next_field(r, false);
}

bool csvin_cell(struct csvin *r, size_t col, const char *p, size_t n)
{
	if (r->failed)
		return false;
	/* the cells before col that were not given are empty */
	while (r->nf < col + 1)
		if (!next_field(r, false))
			return false;
	if (r->nf > col + 1 || r->rlen > r->start[r->nf - 1]) {
		csvin_fail(r, r->rec_line, "the cells of a row are out of order");
		return false;
	}
	for (size_t i = 0; i < n; i++)
		if (!put(r, p[i]))
			return false;
	return true;
}

size_t csvin_max_fields(const struct csvin *r)
{
	return r->lim.fields;
}

const char *csvin_sheet(const struct csvin *r)
{
	return r->src.sheet;
}

static enum csvin_rc next_from_source(struct csvin *r)
{
	enum csvin_rc rc = r->src.next(r->src.ctx, r);
	if (r->failed || rc == CSVIN_ERROR) {
		if (!r->failed)
			csvin_fail(r, r->line, "the file cannot be read");
		return CSVIN_ERROR;
	}
	if (rc == CSVIN_EOF)
		return CSVIN_EOF;
	next_field(r, true);
	finish(r);
	return CSVIN_RECORD;
}

/* ---- the interface ------------------------------------------------------ */

enum csvin_rc csvin_next(struct csvin *r)
{
	if (r->failed)
		return CSVIN_ERROR;
	if (r->src.next)
		return next_from_source(r);
	if (!r->started)
		start(r);
	if (!gather(r) || r->failed)
		return r->failed ? CSVIN_ERROR : CSVIN_EOF;
	finish(r);
	return CSVIN_RECORD;
}

size_t csvin_count(const struct csvin *r)
{
	return r->nf;
}

const char *csvin_field(const struct csvin *r, size_t i)
{
	return i < r->nf ? r->fp[i] : "";
}

size_t csvin_len(const struct csvin *r, size_t i)
{
	return i < r->nf ? r->fl[i] : 0;
}

long long csvin_line(const struct csvin *r)
{
	return r->rec_line;
}

const char *csvin_error(const struct csvin *r)
{
	return r->failed ? r->err : NULL;
}

long long csvin_error_line(const struct csvin *r)
{
	return r->err_line;
}

char csvin_separator(const struct csvin *r)
{
	return r->sep;
}

bool csvin_cp1252(const struct csvin *r)
{
	return r->cp1252;
}

unsigned long long csvin_offset(const struct csvin *r)
{
	if (r->src.offset)
		return r->src.offset(r->src.ctx);
	return r->base + r->pos;
}
