/* csvin.h — a streaming reader of the CSV files spreadsheets export.
 *
 * Reads one record at a time from a FILE* or a memory buffer, in bounded
 * memory (an input chunk plus the current record), so that a file of any
 * length can be imported.  What it accepts (DESIGN §5):
 *
 *   - a UTF-8 byte order mark at the start, skipped;
 *   - UTF-8 or Windows-1252 text (see "Encoding" below); fields always come
 *     out as valid UTF-8;
 *   - ',' or ';' as the separator, chosen on the header line: the one that
 *     occurs more often outside quotes (',' on a tie); also a tab, which
 *     is what copying cells from a spreadsheet gives (a paste);
 *   - RFC 4180 quoting: a quoted field may hold the separator, "" for a
 *     quote, and line breaks (which come out as "\n");
 *   - CRLF, LF or CR line ends, mixed; empty lines anywhere are skipped.
 *
 * Encoding: decided per field, sticky.  Every field is checked as UTF-8;
 * the first one that is not valid UTF-8 switches the reader to
 * Windows-1252 for it and every later field.  A real UTF-8 file never
 * switches; a Windows-1252 file switches at its first accented letter, and
 * what came before was ASCII (valid in both) — unless it held a pair of
 * bytes that also happens to be valid UTF-8 ("Ã©"), which real text
 * practically never does.  Deciding on the first chunk alone would
 * misread a Windows-1252 file whose first accent comes after the chunk.
 *
 * Errors (unterminated quote, a quote inside an unquoted field, text after
 * a closing quote, a NUL byte, a field, record or field count over the
 * limits, a read error) stop the reader: csvin_next returns CSVIN_ERROR and
 * csvin_error says what and on which line, in English.
 *
 * Line numbers are physical lines of the file (1 is the header), counting
 * the line breaks inside quoted fields, so that they match what a text
 * editor shows. */
#ifndef SUIVI_CSVIN_H
#define SUIVI_CSVIN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct csvin;

enum csvin_rc { CSVIN_ERROR = -1, CSVIN_EOF = 0, CSVIN_RECORD = 1 };

struct csvin_limits {
	size_t field;  /* bytes in one field as read (default 256 KiB) */
	size_t record; /* bytes in one record (default 1 MiB) */
	size_t fields; /* fields in one record (default 256) */
};


/* A reader of f (borrowed: the caller closes it after csvin_free) or of the
 * n bytes at p (borrowed: they must outlive the reader).  lim NULL: the
 * defaults; zero members also take the defaults.  Never NULL. */
struct csvin *csvin_new_file(FILE *f, const struct csvin_limits *lim);
struct csvin *csvin_new_mem(const char *p, size_t n, const struct csvin_limits *lim);
void csvin_free(struct csvin *r);

/* ---- rows handed by another reader (an XLSX sheet: xlsxin.h) ----
 *
 * Such a reader gives the rows of a table cell by cell and csvin hands
 * them out as it hands out CSV records, with the same limits, so that every
 * import reads either alike.  Its line numbers are the source's row
 * numbers and field i is the source's column i (0 for A). */
struct csvin_source {
	/* Gives the next row: csvin_row, then csvin_cell for its cells in
	 * the order of their columns; CSVIN_RECORD, CSVIN_EOF, or CSVIN_ERROR
	 * after csvin_fail. */
	enum csvin_rc (*next)(void *ctx, struct csvin *r);
	void (*free)(void *ctx);                       /* at csvin_free; may be NULL */
	unsigned long long (*offset)(const void *ctx); /* bytes read; may be NULL */
	void *ctx;                                     /* owned: freed by free */
	const char *sheet;                             /* the sheet's name (ctx's) */
};
/* A reader of the rows src gives (copied; its ctx is the reader's now).
 * Never NULL. */
struct csvin *csvin_new_source(const struct csvin_source *src, const struct csvin_limits *lim);
/* Starts row `line`; adds a cell of column col (≥ those before it): false
 * when r failed (a limit). */
void csvin_row(struct csvin *r, long long line);
bool csvin_cell(struct csvin *r, size_t col, const char *p, size_t n);
/* Stops r: csvin_next answers CSVIN_ERROR with this message (English,
 * without the line) and line. */
void csvin_fail(struct csvin *r, long long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The most fields a record may have (the limit). */
size_t csvin_max_fields(const struct csvin *r);
/* The name of the sheet rows come from, or NULL for CSV. */
const char *csvin_sheet(const struct csvin *r);

/* Reads the next record: CSVIN_RECORD, CSVIN_EOF after the last one, or
 * CSVIN_ERROR (and every later call too). */
enum csvin_rc csvin_next(struct csvin *r);

/* The current record's fields: NUL-terminated valid UTF-8, valid until the
 * next csvin_next.  i must be < csvin_count. */
size_t csvin_count(const struct csvin *r);
const char *csvin_field(const struct csvin *r, size_t i);
size_t csvin_len(const struct csvin *r, size_t i);
/* The physical line the current record starts on (1-based). */
long long csvin_line(const struct csvin *r);

/* After CSVIN_ERROR: the message (English, without the line) and its line. */
const char *csvin_error(const struct csvin *r);
long long csvin_error_line(const struct csvin *r);

/* The separator in use (',', ';' or '\t'; 0 before the first record). */
char csvin_separator(const struct csvin *r);
/* Has the reader switched to Windows-1252? */
bool csvin_cp1252(const struct csvin *r);
/* Bytes of input consumed so far (for a progress bar). */
unsigned long long csvin_offset(const struct csvin *r);

#endif
