/* xlsxin.c — see xlsxin.h.
 *
 * A workbook is a ZIP archive of XML parts: _rels/.rels names the workbook
 * part, whose relationships name its sheets, its shared strings and its
 * styles.  Those three are read first (the strings whole: cells refer to
 * them by number; the styles for which cell formats are dates); then the
 * chosen sheet twice: once for its merged cells, which the format lists
 * after the rows, and once row by row as csvin asks for them, through one
 * libxml2 reader that expands the part as it goes (memory: the shared
 * strings, the merged ranges and one row). */
#define _GNU_SOURCE /* memmem */
#include "xlsxin.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlreader.h>
#include <minizip/unzip.h>

#include "lazy_xml.h"
#include "buf.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

/* ---- the archive in memory, as minizip reads files ---------------------- */

struct mem {
	const unsigned char *p;
	size_t n, pos;
};

static voidpf ZCALLBACK mem_open(voidpf opaque, const void *name, int mode)
{
	(void)name, (void)mode;
	return opaque;
}

static uLong ZCALLBACK mem_read(voidpf opaque, voidpf stream, void *buf, uLong size)
{
	(void)opaque;
	struct mem *m = stream;
	size_t left = m->n - m->pos;
	size_t n = size < left ? size : left;
	memcpy(buf, m->p + m->pos, n);
	m->pos += n;
	return (uLong)n;
}

static uLong ZCALLBACK mem_write(voidpf opaque, voidpf stream, const void *buf, uLong size)
{
	(void)opaque, (void)stream, (void)buf, (void)size;
	return 0;
}

static ZPOS64_T ZCALLBACK mem_tell(voidpf opaque, voidpf stream)
{
	(void)opaque;
	return ((struct mem *)stream)->pos;
}

static long ZCALLBACK mem_seek(voidpf opaque, voidpf stream, ZPOS64_T off, int origin)
{
	(void)opaque;
	struct mem *m = stream;
	size_t base = origin == ZLIB_FILEFUNC_SEEK_SET ? 0 : origin == ZLIB_FILEFUNC_SEEK_CUR ? m->pos : m->n;
	if (off > m->n - base)
		return -1;
	m->pos = base + (size_t)off;
	return 0;
}

static int ZCALLBACK mem_close(voidpf opaque, voidpf stream)
{
	(void)opaque, (void)stream;
	return 0;
}

static int ZCALLBACK mem_error(voidpf opaque, voidpf stream)
{
	(void)opaque, (void)stream;
	return 0;
}

/* ---- the reader --------------------------------------------------------- */

/* A merged range and, once its first cell is read, that cell's value. */
struct merge {
	long long r0, r1;
	size_t c0, c1;
	char *value;
};

/* A cell of the row being gathered: its value in row_vals. */
struct cellv {
	size_t off, len;
	bool set;
};

#define MAX_MERGES 100000

#define MAX_INTERNED 16

struct interned {
	const char *name;   /* a literal of this file */
	const xmlChar *dict;
};

struct xlsxin {
	struct mem mem;
	unzFile zip;
	char err[240];
	bool failed;
	char *sheet;                         /* the sheet's name */
	char *sheet_part, *strings_part, *styles_part;
	bool date1904;
	/* shared strings, one after the other with their NULs */
	struct buf sst;
	size_t *sst_at, nsst, sst_cap;
	/* is each cell format (xf) a date? */
	unsigned char *xf_date;
	size_t nxf, xf_cap;
	int *date_fmts;                      /* custom number formats that are dates */
	size_t ndate_fmts, date_fmts_cap;
	/* merged ranges, by first row; those covering the current row */
	struct merge *merges;
	size_t nmerges, merges_cap, next_merge;
	size_t *active, nactive;
	/* the part being read */
	const char *part;
	xmlTextReaderPtr xr;
	struct interned interned[MAX_INTERNED]; /* names in xr's dictionary */
	int ninterned;
	int type;                  /* the current node's type and local name */
	const xmlChar *name;
	/* the sheet, row by row (SAX2) */
	xmlParserCtxtPtr sax;
	bool sheet_done, in_data, in_v, in_is, in_t, in_rph;
	char cell_type[12], cell_style[12];    /* the current cell's */
	size_t col;                          /* its column */
	struct buf queue;                    /* rows parsed, not yet handed out */
	size_t qpos;
	bool header_seen;
	long long row;
	struct cellv *cells;                 /* csvin_max_fields of them */
	size_t ncells, used;                 /* used: 1 + the last column set */
	struct buf row_vals, text, value, attr[4];
};

static void fail(struct xlsxin *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct xlsxin *x, const char *fmt, ...)
{
	if (x->failed)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->err, sizeof x->err, fmt, ap);
	va_end(ap);
	x->failed = true;
}

/* ---- parts --------------------------------------------------------------- */

static int part_read(void *ctx, char *buf, int len)
{
	struct xlsxin *x = ctx;
	int n = unzReadCurrentFile(x->zip, buf, (unsigned)len);
	if (n < 0) {
		fail(x, "the part %s is damaged", x->part);
		return -1;
	}
	return n;
}

static int part_close(void *ctx)
{
	struct xlsxin *x = ctx;
	if (unzCloseCurrentFile(x->zip) == UNZ_CRCERROR)
		fail(x, "the part %s is damaged (its checksum does not match)", x->part);
	return 0;
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
	struct xlsxin *x = ctx;
	if (!e || e->level < XML_ERR_ERROR)
		return;
	char msg[120];
	snprintf(msg, sizeof msg, "%s", e->message ? e->message : "");
	msg[strcspn(msg, "\n")] = '\0';
	fail(x, "the part %s is not well-formed XML (line %d: %s)", x->part, e->line, msg);
}

/* Opens the part `name` expanded, after checking what it expands to.
 * false (x failed) when it cannot be. */
static bool open_raw(struct xlsxin *x, const char *name)
{
	x->part = name;
	unz_file_info64 info;
	if (unzLocateFile(x->zip, name, 0) != UNZ_OK ||
	    unzGetCurrentFileInfo64(x->zip, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK) {
		fail(x, "the workbook lacks its part %s", name);
		return false;
	}
	unsigned long long size = info.uncompressed_size;
	unsigned long long packed = info.compressed_size ? info.compressed_size : 1;
	if (size > XLSXIN_PART_MAX) {
		fail(x, "the part %s expands to more than %llu MiB", name, XLSXIN_PART_MAX >> 20);
		return false;
	}
	if (size > XLSXIN_RATIO_FROM && size / packed > XLSXIN_RATIO) {
		fail(x, "the part %s expands %llu times (a zip bomb?)", name, size / packed);
		return false;
	}
	if (unzOpenCurrentFile(x->zip) != UNZ_OK) {
		fail(x, "the part %s cannot be expanded (encrypted, or compressed by another method "
		     "than deflate)", name);
		return false;
	}
	return true;
}

/* Opens the part `name` for reading with x->xr, after checking what it
 * expands to.  false (x failed) when it cannot be. */
static bool open_part(struct xlsxin *x, const char *name)
{
	if (!open_raw(x, name))
		return false;
	x->ninterned = 0;
	x->xr = xmlReaderForIO(part_read, part_close, x, name, NULL,
			       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!x->xr) {
		fail(x, "the part %s cannot be read", name);
		return false;
	}
	xmlTextReaderSetStructuredErrorHandler(x->xr, on_xml_error, x);
	return true;
}

static void close_part(struct xlsxin *x)
{
	if (x->xr)
		xmlFreeTextReader(x->xr);
	x->xr = NULL;
}

/* Reads the next node, keeping its type and name (asked of every node,
 * often more than once). */
static int advance(struct xlsxin *x)
{
	int rc = xmlTextReaderRead(x->xr);
	x->type = rc == 1 ? xmlTextReaderNodeType(x->xr) : -1;
	x->name = rc == 1 ? xmlTextReaderConstLocalName(x->xr) : NULL;
	return rc;
}

/* The next node of the part: 1, 0 at its end, -1 on an error (x failed). */
static int next_node(struct xlsxin *x)
{
	int rc = advance(x);
	if (rc < 0)
		fail(x, "the part %s is not well-formed XML", x->part);
	return x->failed ? -1 : rc;
}

static const char *local_name(struct xlsxin *x)
{
	const xmlChar *n = xmlTextReaderConstLocalName(x->xr);
	return n ? (const char *)n : "";
}

/* name as the reader's dictionary holds it, where the names of the nodes
 * it reads are: those compare by address (a row of ten cells is some
 * forty names compared). */
static const xmlChar *interned(struct xlsxin *x, const char *name)
{
	for (int i = 0; i < x->ninterned; i++)
		if (x->interned[i].name == name)
			return x->interned[i].dict;
	const xmlChar *d = xmlTextReaderConstString(x->xr, (const xmlChar *)name);
	if (x->ninterned < MAX_INTERNED)
		x->interned[x->ninterned++] = (struct interned){ name, d };
	return d;
}

static bool at(struct xlsxin *x, int type, const char *name)
{
	return x->type == type && x->name == interned(x, name);
}

static bool at_start(struct xlsxin *x, const char *name)
{
	return at(x, XML_READER_TYPE_ELEMENT, name);
}

static bool at_end(struct xlsxin *x, const char *name)
{
	return at(x, XML_READER_TYPE_END_ELEMENT, name);
}

/* The attributes names[] (at most 4, NULL-terminated) of the element the
 * reader is on, into x->attr[i] ("" when absent).  libxml2 may rebuild an
 * attribute's value in one buffer of its own, hence the copies. */
static void attributes(struct xlsxin *x, const char *const *names)
{
	for (int i = 0; names[i]; i++)
		buf_reset(&x->attr[i]);
	while (xmlTextReaderMoveToNextAttribute(x->xr) == 1) {
		const char *n = local_name(x);
		for (int i = 0; names[i]; i++) {
			if (strcmp(n, names[i]) != 0)
				continue;
			const xmlChar *v = xmlTextReaderConstValue(x->xr);
			buf_adds(&x->attr[i], v ? (const char *)v : "");
		}
	}
	xmlTextReaderMoveToElement(x->xr);
}

static const char *attr(struct xlsxin *x, int i)
{
	return buf_cstr(&x->attr[i]);
}

static bool is_text(int type)
{
	return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
	       type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* The text of the element the reader is on, into out: all of it, or with
 * runs true that of its <t> elements only, phonetic runs (<rPh>) left out
 * (a string item: <si>, <is>).  The reader ends on the element's end. */
static bool element_text(struct xlsxin *x, struct buf *out, bool runs)
{
	buf_reset(out);
	if (xmlTextReaderIsEmptyElement(x->xr))
		return true;
	int depth = xmlTextReaderDepth(x->xr), in_t = runs ? -1 : depth, skip = -1;
	while (next_node(x) == 1) {
		int type = x->type, d = xmlTextReaderDepth(x->xr);
		if (type == XML_READER_TYPE_END_ELEMENT) {
			if (d == depth)
				return true;
			if (d == skip)
				skip = -1;
			else if (d == in_t)
				in_t = -1;
		} else if (type == XML_READER_TYPE_ELEMENT && !xmlTextReaderIsEmptyElement(x->xr)) {
			if (skip < 0 && at_start(x, "rPh"))
				skip = d;
			else if (runs && at_start(x, "t"))
				in_t = d;
		} else if (is_text(type) && skip < 0 && in_t >= 0) {
			const xmlChar *v = xmlTextReaderConstValue(x->xr);
			buf_adds(out, v ? (const char *)v : "");
		}
	}
	if (!x->failed)
		fail(x, "the part %s ends inside an element", x->part);
	return false;
}

/* ---- cell references ------------------------------------------------------ */

void xlsxin_cell_name(size_t col, long long row, char out[24])
{
	char letters[8];
	int n = 0;
	for (size_t c = col + 1; c && n < 7; c /= 26) {
		c--;
		letters[n++] = (char)('A' + c % 26);
	}
	int k = 0;
	while (n)
		out[k++] = letters[--n];
	snprintf(out + k, (size_t)(24 - k), "%lld", row);
}

/* "B14" → column 1, row 14; a part absent is left as it is.  false when
 * it is not a reference. */
static bool parse_ref(const char *s, size_t *col, long long *row)
{
	size_t c = 0;
	int letters = 0;
	for (; *s >= 'A' && *s <= 'Z'; s++) {
		if (++letters > 3)
			return false;
		c = c * 26 + (size_t)(*s - 'A' + 1);
	}
	long long r = 0;
	int digits = 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (++digits > 7)
			return false;
		r = r * 10 + (*s - '0');
	}
	if (*s || (!letters && !digits))
		return false;
	if (letters)
		*col = c - 1;
	if (digits)
		*row = r;
	return true;
}

/* ---- relationships ---------------------------------------------------------- */

/* dir of `part` (up to its last '/') + target, or target without its
 * leading '/' when absolute; new string. */
static char *resolve(const char *part, const char *target)
{
	if (target[0] == '/')
		return xstrdup(target + 1);
	const char *slash = strrchr(part, '/');
	size_t dir = slash ? (size_t)(slash - part + 1) : 0;
	while (strncmp(target, "./", 2) == 0)
		target += 2;
	struct buf b = BUF_INIT;
	buf_add(&b, part, dir);
	buf_adds(&b, target);
	return buf_detach(&b);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The relationships part of `part`: _rels/NAME.rels beside it. */
static char *rels_of(const char *part)
{
	const char *slash = strrchr(part, '/');
	size_t dir = slash ? (size_t)(slash - part + 1) : 0;
	struct buf b = BUF_INIT;
	buf_add(&b, part, dir);
	buf_printf(&b, "_rels/%s.rels", part + dir);
	return buf_detach(&b);
}

/* Calls fn for each internal relationship of `part` (id, type, target
 * resolved and handed over); a part without relationships has none
 * unless they are required. */
static bool each_relationship(struct xlsxin *x, const char *part,
			      void (*fn)(struct xlsxin *, void *ctx, const char *id, const char *type,
					 char *target),
			      void *ctx, bool required)
{
	char *rels = rels_of(part);
	if (!required && unzLocateFile(x->zip, rels, 0) != UNZ_OK) {
		free(rels);
		return true;
	}
	bool ok = open_part(x, rels);
	static const char *const names[] = { "Id", "Type", "Target", "TargetMode", NULL };
	while (ok && next_node(x) == 1) {
		if (!at_start(x, "Relationship"))
			continue;
		attributes(x, names);
		if (strcmp(attr(x, 3), "External") != 0)
			fn(x, ctx, attr(x, 0), attr(x, 1), resolve(part, attr(x, 2)));
	}
	close_part(x);
	free(rels);
	return !x->failed;
}

/* ---- the workbook ------------------------------------------------------------ */

struct choice {
	const char *want;         /* the sheet asked for, or NULL */
	struct buf rid, names;    /* the chosen sheet's relationship; every name */
};

static void workbook_rel(struct xlsxin *x, void *ctx, const char *id, const char *type, char *target)
{
	struct choice *c = ctx;
	if (ends_with(type, "/sharedStrings") && !x->strings_part)
		x->strings_part = target;
	else if (ends_with(type, "/styles") && !x->styles_part)
		x->styles_part = target;
	else if (ends_with(type, "/worksheet") && strcmp(id, buf_cstr(&c->rid)) == 0 && !x->sheet_part)
		x->sheet_part = target;
	else
		free(target);
}

static void office_document(struct xlsxin *x, void *ctx, const char *id, const char *type,
			    char *target)
{
	(void)x, (void)id;
	char **book = ctx;
	if (ends_with(type, "/officeDocument") && !*book)
		*book = target;
	else
		free(target);
}

/* Picks the sheet from the workbook part: by name, else the first visible. */
static void pick_sheet(struct xlsxin *x, struct choice *c, char **name)
{
	static const char *const names[] = { "name", "id", "state", NULL };
	attributes(x, names);
	const char *n = attr(x, 0);
	buf_printf(&c->names, "%s“%s”", c->names.len ? ", " : "", n);
	bool hidden = attr(x, 2)[0] && strcmp(attr(x, 2), "visible") != 0;
	bool chosen = c->want ? strcmp(n, c->want) == 0 : !hidden;
	if (!chosen || *name)
		return;
	*name = xstrdup(n);
	buf_adds(&c->rid, attr(x, 1));
}

static bool read_workbook(struct xlsxin *x, const char *want)
{
	char *book = NULL;
	if (!each_relationship(x, "", office_document, &book, false)) {
		free(book);
		return false;
	}
	if (!book)
		book = xstrdup("xl/workbook.xml");
	struct choice c = { .want = want && *want ? want : NULL };
	char *name = NULL;
	bool ok = open_part(x, book);
	while (ok && next_node(x) == 1) {
		if (at_start(x, "workbookPr")) {
			static const char *const names[] = { "date1904", NULL };
			attributes(x, names);
			x->date1904 = strcmp(attr(x, 0), "1") == 0 || strcmp(attr(x, 0), "true") == 0;
		} else if (at_start(x, "sheet")) {
			pick_sheet(x, &c, &name);
		}
	}
	close_part(x);
	if (!x->failed && !name)
		fail(x, c.want ? "the workbook has no sheet named “%s” (its sheets: %s)"
			       : "the workbook has no visible sheet%s",
		     c.want ? c.want : "", buf_cstr(&c.names));
	if (!x->failed) {
		x->sheet = name;
		name = NULL;
		each_relationship(x, book, workbook_rel, &c, true);
		if (!x->failed && !x->sheet_part)
			fail(x, "the workbook does not say where its sheet “%s” is", x->sheet);
	}
	free(name);
	free(book);
	buf_release(&c.rid);
	buf_release(&c.names);
	return !x->failed;
}

/* ---- shared strings ------------------------------------------------------------ */

static bool read_strings(struct xlsxin *x)
{
	if (!x->strings_part)
		return true;
	bool ok = open_part(x, x->strings_part);
	while (ok && next_node(x) == 1) {
		if (!at_start(x, "si"))
			continue;
		if (!element_text(x, &x->text, true))
			break;
		if (x->nsst == x->sst_cap) {
			x->sst_cap = x->sst_cap ? 2 * x->sst_cap : 1024;
			x->sst_at = xrealloc(x->sst_at, x->sst_cap * sizeof *x->sst_at);
		}
		x->sst_at[x->nsst++] = x->sst.len;
		buf_add(&x->sst, x->text.data ? x->text.data : "", x->text.len + 1);
	}
	close_part(x);
	return !x->failed;
}

/* ---- styles: which cell formats are dates ---------------------------------------- */

/* Is a number format's code a date or time (d, m, y, h or s outside quoted
 * text, escapes and [colour]/[$-locale] sections)? */
static bool date_code(const char *code)
{
	if (strcasecmp(code, "General") == 0)
		return false;
	for (const char *s = code; *s; s++) {
		if (*s == '"') {
			const char *q = strchr(s + 1, '"');
			if (!q)
				return false;
			s = q;
		} else if (*s == '\\' || *s == '_' || *s == '*') {
			if (!*++s)
				return false;
		} else if (*s == '[') {
			const char *q = strchr(s, ']');
			if (!q)
				return false;
			/* [h], [mm], [ss]: elapsed time */
			if (strchr("hHmMsS", s[1]))
				return true;
			s = q;
		} else if (strchr("dDmMyYhHsS", *s)) {
			return true;
		}
	}
	return false;
}

/* The built-in number formats that are dates (ECMA-376 §18.8.30, and the
 * East Asian ones Excel writes). */
static bool builtin_date(int id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
	       (id >= 50 && id <= 58) || (id >= 71 && id <= 81);
}

static bool date_format(const struct xlsxin *x, int id)
{
	if (builtin_date(id))
		return true;
	for (size_t i = 0; i < x->ndate_fmts; i++)
		if (x->date_fmts[i] == id)
			return true;
	return false;
}

static int format_id(const char *s)
{
	long v = strtol(s, NULL, 10);
	return v >= 0 && v < 1 << 20 ? (int)v : -1;
}

static void style_element(struct xlsxin *x, bool in_cell_xfs)
{
	static const char *const fmt[] = { "numFmtId", "formatCode", NULL };
	if (at_start(x, "numFmt")) {
		attributes(x, fmt);
		if (!date_code(attr(x, 1)))
			return;
		if (x->ndate_fmts == x->date_fmts_cap) {
			x->date_fmts_cap = x->date_fmts_cap ? 2 * x->date_fmts_cap : 16;
			x->date_fmts = xrealloc(x->date_fmts, x->date_fmts_cap * sizeof *x->date_fmts);
		}
		x->date_fmts[x->ndate_fmts++] = format_id(attr(x, 0));
	} else if (in_cell_xfs && at_start(x, "xf")) {
		attributes(x, fmt);
		if (x->nxf == x->xf_cap) {
			x->xf_cap = x->xf_cap ? 2 * x->xf_cap : 64;
			x->xf_date = xrealloc(x->xf_date, x->xf_cap);
		}
		x->xf_date[x->nxf++] = date_format(x, format_id(attr(x, 0)));
	}
}

static bool read_styles(struct xlsxin *x)
{
	if (!x->styles_part)
		return true;
	bool ok = open_part(x, x->styles_part), in_cell_xfs = false;
	while (ok && next_node(x) == 1) {
		if (at_start(x, "cellXfs"))
			in_cell_xfs = !xmlTextReaderIsEmptyElement(x->xr);
		else if (at_end(x, "cellXfs"))
			in_cell_xfs = false;
		else
			style_element(x, in_cell_xfs);
	}
	close_part(x);
	return !x->failed;
}

static bool date_style(const struct xlsxin *x, const char *s)
{
	if (!*s)
		return false;
	char *end;
	unsigned long i = strtoul(s, &end, 10);
	return !*end && i < x->nxf && x->xf_date[i];
}

/* ---- merged cells ------------------------------------------------------------- */

static int by_first_row(const void *a, const void *b)
{
	const struct merge *m = a, *n = b;
	return (m->r0 > n->r0) - (m->r0 < n->r0);
}

static void add_merge(struct xlsxin *x, const char *ref)
{
	const char *colon = strchr(ref, ':');
	if (!colon || colon - ref > 12)
		return;
	char first[16];
	memcpy(first, ref, (size_t)(colon - ref));
	first[colon - ref] = '\0';
	struct merge m = { 0 };
	if (!parse_ref(first, &m.c0, &m.r0) || !parse_ref(colon + 1, &m.c1, &m.r1) ||
	    m.r1 < m.r0 || m.c1 < m.c0 || !m.r0)
		return;
	if (x->nmerges == MAX_MERGES) {
		fail(x, "the sheet has more than %d merged ranges", MAX_MERGES);
		return;
	}
	if (x->nmerges == x->merges_cap) {
		x->merges_cap = x->merges_cap ? 2 * x->merges_cap : 16;
		x->merges = xrealloc(x->merges, x->merges_cap * sizeof *x->merges);
	}
	x->merges[x->nmerges++] = m;
}

#define MERGES_TEXT_MAX (8u << 20) /* MAX_MERGES of some 40 bytes, and more */

/* Where an element <mergeCells> (or <PREFIX:mergeCells>) starts in b from
 * `from`, or -1.  In text, a '<' is always escaped. */
static long merges_at(const struct buf *b, size_t from)
{
	const char *end = b->data + b->len;
	for (const char *p = b->data + from; (p = memmem(p, (size_t)(end - p), "mergeCells", 10)); p += 10) {
		const char *q = p;
		if (q > b->data && q[-1] == ':')
			for (q--; q > b->data && (isalnum((unsigned char)q[-1]) || q[-1] == '_'); q--)
				;
		if (q > b->data && q[-1] == '<')
			return (long)(q - 1 - b->data);
	}
	return -1;
}

/* The merged ranges of the element that starts text, up to its end tag
 * (what follows it is another element's, and libxml2 reads a document
 * whole or not at all: the element alone is made one).  No end tag (an
 * empty element <mergeCells/>): none. */
static void parse_merges(struct xlsxin *x, const char *text, size_t n)
{
	static const char *const names[] = { "ref", NULL };
	const char *end = n > 11 ? memmem(text + 11, n - 11, "mergeCells>", 11) : NULL;
	if (!end)
		return;
	n = (size_t)(end + 11 - text);
	/* a prefix the fragment uses is declared by a root of its own */
	const char *colon = memchr(text, ':', n < 40 ? n : 40), *space = memchr(text, ' ', n < 40 ? n : 40);
	struct buf doc = BUF_INIT;
	if (colon && (!space || colon < space))
		buf_printf(&doc, "<w xmlns:%.*s=\"urn:suivi\">", (int)(colon - text - 1), text + 1);
	else
		buf_adds(&doc, "<w>");
	buf_add(&doc, text, n);
	buf_adds(&doc, "</w>");
	xmlTextReaderPtr saved = x->xr;
	x->ninterned = 0;
	x->xr = xmlReaderForMemory(doc.data, (int)doc.len, NULL, NULL,
				   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	while (x->xr && advance(x) == 1 && !x->failed)
		if (at_start(x, "mergeCell")) {
			attributes(x, names);
			add_merge(x, attr(x, 0));
		}
	if (x->xr)
		xmlFreeTextReader(x->xr);
	x->xr = saved;
	x->ninterned = 0;
	buf_release(&doc);
}

/* The merged ranges, which the format lists after the rows: the sheet is
 * expanded once more and searched for its <mergeCells> element, which
 * alone is parsed (the rows are not parsed twice). */
static bool read_merges(struct xlsxin *x)
{
	if (!open_raw(x, x->sheet_part))
		return false;
	struct buf b = BUF_INIT;
	char chunk[64 * 1024];
	long start = -1;
	int n;
	while ((n = unzReadCurrentFile(x->zip, chunk, sizeof chunk)) > 0) {
		size_t from = b.len > 12 ? b.len - 12 : 0;
		buf_add(&b, chunk, (size_t)n);
		if (start < 0 && (start = merges_at(&b, from)) < 0) {
			/* keep the tail, where a name may begin */
			size_t keep = b.len < 40 ? b.len : 40;
			memmove(b.data, b.data + b.len - keep, keep);
			b.len = keep;
		} else if (start >= 0 && b.len > (size_t)start + 11 && memmem(b.data + start + 11, b.len - (size_t)start - 11, "mergeCells>", 11)) {
			break;
		} else if (start >= 0 && b.len - (size_t)start > MERGES_TEXT_MAX) {
			fail(x, "the sheet lists more merged cells than suivi reads");
			break;
		}
	}
	if (n < 0)
		fail(x, "the part %s is damaged", x->part);
	unzCloseCurrentFile(x->zip);
	if (start >= 0 && !x->failed)
		parse_merges(x, b.data + start, b.len - (size_t)start);
	buf_release(&b);
	if (x->nmerges)
		qsort(x->merges, x->nmerges, sizeof *x->merges, by_first_row);
	x->active = xcalloc(x->nmerges + 1, sizeof *x->active);
	return !x->failed;
}

/* The ranges that cover row `row` (rows come in order). */
static void activate_merges(struct xlsxin *x, long long row)
{
	size_t k = 0;
	for (size_t i = 0; i < x->nactive; i++)
		if (x->merges[x->active[i]].r1 >= row)
			x->active[k++] = x->active[i];
	x->nactive = k;
	while (x->next_merge < x->nmerges && x->merges[x->next_merge].r0 <= row) {
		if (x->merges[x->next_merge].r1 >= row)
			x->active[x->nactive++] = x->next_merge;
		x->next_merge++;
	}
}

/* ---- values ---------------------------------------------------------------------- */

/* A serial date as YYYY-MM-DD[ HH:MM:SS] into out; false when it is not a
 * date of years 1900 to 9999. */
static bool serial_date(const struct xlsxin *x, const char *v, struct buf *out)
{
	char *end;
	double s = strtod(v, &end);
	if (*end || !isfinite(s) || s < 0 || s > 2958466)
		return false;
	long long days = (long long)floor(s);
	long long secs = llround((s - (double)days) * 86400.0);
	if (secs == 86400)
		days++, secs = 0;
	long long epoch; /* the serial number of 1970-01-01 */
	if (x->date1904) {
		epoch = 24107;
	} else {
		epoch = 25569;
		if (days == 60) { /* 1900-02-29, which Lotus 1-2-3 believed in */
			buf_adds(out, "1900-02-29");
			return true;
		}
		if (days < 60)
			days++;
	}
	long long y;
	int m, d;
	util_civil_from_days(days - epoch, &y, &m, &d);
	buf_printf(out, "%04lld-%02d-%02d", y, m, d);
	if (secs)
		buf_printf(out, " %02lld:%02lld:%02lld", secs / 3600, secs / 60 % 60, secs % 60);
	return true;
}

/* A number as the file wrote it, an integral one without ".0" or exponent
 * (4.0, 1E3), a fractional one with an exponent spelled out. */
static void number(const char *v, struct buf *out)
{
	size_t digits = strspn(v + (v[0] == '-'), "0123456789");
	if (digits && digits < 16 && !v[(v[0] == '-') + digits]) { /* an integer, as most are */
		buf_adds(out, v);
		return;
	}
	char *end;
	double d = strtod(v, &end);
	if (*end || !isfinite(d)) {
		buf_adds(out, v);
		return;
	}
	if (d == floor(d) && fabs(d) < 1e15) {
		buf_printf(out, "%.0f", d);
		return;
	}
	if (!strpbrk(v, "eE")) {
		buf_adds(out, v);
		return;
	}
	char tmp[40];
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	buf_adds(out, tmp);
}

/* The value of a cell of type t (and style s) from its <v> or inline text,
 * into out. */
static void cell_value(struct xlsxin *x, size_t col, const char *t, const char *s,
		       const char *v, struct buf *out)
{
	if (strcmp(t, "s") == 0) {
		char *end, ref[24];
		unsigned long i = strtoul(v, &end, 10);
		if (*end || !*v || i >= x->nsst) {
			xlsxin_cell_name(col, x->row, ref);
			fail(x, "cell %s refers to shared string %s, which the workbook does not have",
			     ref, v);
		} else {
			buf_adds(out, x->sst.data + x->sst_at[i]);
		}
	} else if (strcmp(t, "b") == 0 || strcmp(t, "str") == 0 || strcmp(t, "inlineStr") == 0 ||
		   strcmp(t, "e") == 0 || strcmp(t, "d") == 0) {
		buf_adds(out, v);
	} else if (*v && !(date_style(x, s) && serial_date(x, v, out))) {
		number(v, out);
	}
}

/* ---- rows -------------------------------------------------------------------------- */

static void set_cell(struct xlsxin *x, size_t col, const char *v, size_t n)
{
	struct cellv *c = &x->cells[col];
	c->off = x->row_vals.len;
	c->len = n;
	c->set = true;
	buf_add(&x->row_vals, v, n);
	if (col + 1 > x->used)
		x->used = col + 1;
}

/* Keeps the value of the first cell of a merged range. */
static void remember_merged(struct xlsxin *x, size_t col, const char *v)
{
	for (size_t i = 0; i < x->nactive; i++) {
		struct merge *m = &x->merges[x->active[i]];
		if (m->r0 == x->row && m->c0 == col && !m->value)
			m->value = xstrdup(v);
	}
}

/* The cells of merged ranges that the file leaves empty take the range's
 * value. */
static void fill_merged(struct xlsxin *x)
{
	for (size_t i = 0; i < x->nactive; i++) {
		const struct merge *m = &x->merges[x->active[i]];
		if (!m->value)
			continue;
		for (size_t c = m->c0; c <= m->c1 && c < x->ncells; c++)
			if (!x->cells[c].set)
				set_cell(x, c, m->value, strlen(m->value));
	}
}

/* A row above the header whose every value comes from one merged range
 * over several columns: a title. */
static bool title_row(const struct xlsxin *x)
{
	for (size_t i = 0; i < x->nactive; i++) {
		const struct merge *m = &x->merges[x->active[i]];
		if (m->c1 == m->c0)
			continue;
		bool inside = true;
		for (size_t c = 0; c < x->used && inside; c++)
			inside = !x->cells[c].set || (c >= m->c0 && c <= m->c1);
		if (inside)
			return true;
	}
	return false;
}

/* ---- the sheet, through libxml2's SAX2 push parser --------------------------------
 *
 * The rows are the bulk of a workbook: they are parsed by callbacks, which
 * build no tree, fed with the sheet as it is expanded, 64 KiB at a time.
 * The rows a piece completes wait, serialised, in x->queue until csvin asks
 * for them. */

#define CHUNK (64 * 1024)

/* A queued row: its number and cells, then the cells' bytes. */
struct qrow {
	long long row;
	size_t n;
};
struct qcell {
	size_t col, len;
};

/* The value of an attribute of a SAX2 start tag (5 pointers each: local
 * name, prefix, URI, value, end of value), copied into out. */
static const char *sax_attr(const xmlChar **attrs, int n, const char *name, char *out, size_t size)
{
	for (int i = 0; i < n; i++, attrs += 5) {
		if (strcmp((const char *)attrs[0], name) != 0)
			continue;
		size_t len = (size_t)(attrs[4] - attrs[3]);
		if (len >= size)
			len = size - 1;
		memcpy(out, attrs[3], len);
		out[len] = '\0';
		return out;
	}
	return NULL;
}

static void stop(struct xlsxin *x)
{
	if (x->sax)
		xmlStopParser(x->sax);
}

static void row_start(struct xlsxin *x, const xmlChar **attrs, int n)
{
	char r[24];
	long long row = x->row + 1;
	if (sax_attr(attrs, n, "r", r, sizeof r) && (!parse_ref(r, &(size_t){ 0 }, &row) || row <= x->row)) {
		fail(x, "after row %lld comes a row numbered “%s”", x->row, r);
		stop(x);
		return;
	}
	x->row = row;
	for (size_t c = 0; c < x->used; c++)
		x->cells[c].set = false;
	x->used = 0;
	x->col = 0;
	buf_reset(&x->row_vals);
	activate_merges(x, row);
}

static void cell_start(struct xlsxin *x, const xmlChar **attrs, int n)
{
	char r[24];
	if (sax_attr(attrs, n, "r", r, sizeof r) && !parse_ref(r, &x->col, &(long long){ 0 })) {
		fail(x, "row %lld has a cell named “%s”, which is not a cell", x->row, r);
		stop(x); /* (which frees what attrs point into) */
		return;
	}
	if (!sax_attr(attrs, n, "t", x->cell_type, sizeof x->cell_type))
		x->cell_type[0] = '\0';
	if (!sax_attr(attrs, n, "s", x->cell_style, sizeof x->cell_style))
		x->cell_style[0] = '\0';
	buf_reset(&x->text);
}

/* The cell ends: its value, if it has one, in its column. */
static void cell_end(struct xlsxin *x)
{
	struct buf *value = &x->value;
	buf_reset(value);
	cell_value(x, x->col, x->cell_type, x->cell_style, buf_cstr(&x->text), value);
	if (value->len && x->col >= x->ncells) {
		char ref[24];
		xlsxin_cell_name(x->col, x->row, ref);
		fail(x, "cell %s is beyond the last column read (%zu columns)", ref, x->ncells);
	} else if (value->len) {
		set_cell(x, x->col, value->data, value->len);
		if (x->nactive)
			remember_merged(x, x->col, value->data);
	}
	x->col++;
	if (x->failed)
		stop(x);
}

/* The row ends: queued unless it is empty or a title above the header. */
static void row_end(struct xlsxin *x)
{
	fill_merged(x);
	if (!x->used || (!x->header_seen && title_row(x)))
		return;
	x->header_seen = true;
	struct qrow h = { x->row, 0 };
	for (size_t c = 0; c < x->used; c++)
		h.n += x->cells[c].set;
	buf_add(&x->queue, &h, sizeof h);
	for (size_t c = 0; c < x->used; c++)
		if (x->cells[c].set)
			buf_add(&x->queue, &(struct qcell){ c, x->cells[c].len }, sizeof(struct qcell));
	for (size_t c = 0; c < x->used; c++)
		if (x->cells[c].set)
			buf_add(&x->queue, x->row_vals.data + x->cells[c].off, x->cells[c].len);
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri, int nns,
		     const xmlChar **ns, int nattrs, int ndefaulted, const xmlChar **attrs)
{
	(void)prefix, (void)uri, (void)nns, (void)ns, (void)ndefaulted;
	struct xlsxin *x = ctx;
	const char *n = (const char *)name;
	if (strcmp(n, "sheetData") == 0)
		x->in_data = true;
	else if (!x->in_data)
		return;
	else if (strcmp(n, "row") == 0)
		row_start(x, attrs, nattrs);
	else if (strcmp(n, "c") == 0)
		cell_start(x, attrs, nattrs);
	else if (strcmp(n, "v") == 0)
		x->in_v = true;
	else if (strcmp(n, "is") == 0)
		x->in_is = true;
	else if (strcmp(n, "t") == 0)
		x->in_t = x->in_is;
	else if (strcmp(n, "rPh") == 0)
		x->in_rph = true;
}

static void on_end(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
	(void)prefix, (void)uri;
	struct xlsxin *x = ctx;
	const char *n = (const char *)name;
	if (!x->in_data)
		return;
	if (strcmp(n, "c") == 0)
		cell_end(x);
	else if (strcmp(n, "row") == 0)
		row_end(x);
	else if (strcmp(n, "v") == 0)
		x->in_v = false;
	else if (strcmp(n, "is") == 0)
		x->in_is = false;
	else if (strcmp(n, "t") == 0)
		x->in_t = false;
	else if (strcmp(n, "rPh") == 0)
		x->in_rph = false;
	else if (strcmp(n, "sheetData") == 0)
		x->in_data = false;
}

static void on_text(void *ctx, const xmlChar *text, int len)
{
	struct xlsxin *x = ctx;
	if (x->in_v || (x->in_t && !x->in_rph))
		buf_add(&x->text, text, (size_t)len);
}

static bool open_sheet(struct xlsxin *x)
{
	if (!open_raw(x, x->sheet_part))
		return false;
	xmlSAXHandler sax = { .initialized = XML_SAX2_MAGIC, .startElementNs = on_start, .endElementNs = on_end,
			      .characters = on_text, .cdataBlock = on_text, .serror = on_xml_error };
	x->sax = xmlCreatePushParserCtxt(&sax, x, NULL, 0, x->sheet_part);
	if (!x->sax) {
		fail(x, "the part %s cannot be read", x->sheet_part);
		return false;
	}
	xmlCtxtUseOptions(x->sax, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	x->part = x->sheet_part;
	return true;
}

/* Parses the next piece of the sheet (the last one: its end).  false at
 * the end or when x failed. */
static bool parse_more(struct xlsxin *x)
{
	if (x->sheet_done || x->failed)
		return false;
	char chunk[CHUNK];
	int n = unzReadCurrentFile(x->zip, chunk, sizeof chunk);
	if (n < 0) {
		fail(x, "the part %s is damaged", x->part);
		return false;
	}
	x->sheet_done = n == 0;
	xmlParseChunk(x->sax, chunk, n, x->sheet_done);
	if (x->sheet_done && unzCloseCurrentFile(x->zip) == UNZ_CRCERROR)
		fail(x, "the part %s is damaged (its checksum does not match)", x->part);
	return !x->failed;
}

/* Hands the first queued row to r. */
static void hand_out(struct xlsxin *x, struct csvin *r)
{
	struct qrow h;
	memcpy(&h, x->queue.data + x->qpos, sizeof h);
	size_t at = x->qpos + sizeof h, bytes = at + h.n * sizeof(struct qcell);
	csvin_row(r, h.row);
	for (size_t i = 0; i < h.n; i++, at += sizeof(struct qcell)) {
		struct qcell c;
		memcpy(&c, x->queue.data + at, sizeof c);
		if (!csvin_cell(r, c.col, x->queue.data + bytes, c.len))
			break;
		bytes += c.len;
	}
	x->qpos = bytes;
}

static enum csvin_rc next_row(void *ctx, struct csvin *r)
{
	struct xlsxin *x = ctx;
	while (x->qpos == x->queue.len && !x->failed) {
		buf_reset(&x->queue);
		x->qpos = 0;
		if (!parse_more(x) && x->qpos == x->queue.len)
			break;
	}
	if (x->failed) {
		csvin_fail(r, x->row ? x->row : 1, "%s", x->err);
		return CSVIN_ERROR;
	}
	if (x->qpos == x->queue.len)
		return CSVIN_EOF;
	hand_out(x, r);
	return CSVIN_RECORD;
}

static unsigned long long offset(const void *ctx)
{
	const struct xlsxin *x = ctx;
	return x->zip ? (unsigned long long)unzGetCurrentFileZStreamPos64(x->zip) : 0;
}

static void xlsxin_free(void *ctx)
{
	struct xlsxin *x = ctx;
	close_part(x);
	if (x->sax)
		xmlFreeParserCtxt(x->sax);
	if (x->zip)
		unzClose(x->zip);
	for (size_t i = 0; i < x->nmerges; i++)
		free(x->merges[i].value);
	free(x->merges);
	free(x->active);
	free(x->sheet);
	free(x->sheet_part);
	free(x->strings_part);
	free(x->styles_part);
	buf_release(&x->sst);
	free(x->sst_at);
	free(x->xf_date);
	free(x->date_fmts);
	free(x->cells);
	buf_release(&x->row_vals);
	buf_release(&x->text);
	buf_release(&x->value);
	buf_release(&x->queue);
	for (int i = 0; i < 4; i++)
		buf_release(&x->attr[i]);
	free(x);
}

/* ---- opening -------------------------------------------------------------------------- */

bool xlsxin_is_zip(const char *p, size_t n)
{
	return n >= 4 && memcmp(p, "PK\003\004", 4) == 0;
}

static bool open_zip(struct xlsxin *x, const char *p, size_t n)
{
	x->mem = (struct mem){ (const unsigned char *)p, n, 0 };
	zlib_filefunc64_def io = {
		.zopen64_file = mem_open, .zread_file = mem_read, .zwrite_file = mem_write,
		.ztell64_file = mem_tell, .zseek64_file = mem_seek, .zclose_file = mem_close,
		.zerror_file = mem_error, .opaque = &x->mem,
	};
	x->zip = unzOpen2_64("workbook", &io);
	if (!x->zip)
		fail(x, "it is not an XLSX workbook (not a ZIP archive, or a damaged one)");
	return x->zip != NULL;
}

/* Reads all but the rows: the workbook, strings, styles, merged ranges,
 * then opens the sheet for its rows. */
static bool prepare(struct xlsxin *x, const char *p, size_t n, const char *sheet)
{
	const char *missing;
	if (!lazylib_xml(&missing)) { /* loaded on the first file read (lazylib.h) */
		fail(x, "%s", missing);
		return false;
	}
	return open_zip(x, p, n) && read_workbook(x, sheet) && read_strings(x) && read_styles(x) &&
	       read_merges(x) && open_sheet(x);
}

struct csvin *xlsxin_open(const char *p, size_t n, const char *sheet, const struct csvin_limits *lim)
{
	struct xlsxin *x = xcalloc(1, sizeof *x);
	bool ok = prepare(x, p, n, sheet);
	struct csvin_source src = { .next = next_row, .free = xlsxin_free, .offset = offset,
				    .ctx = x, .sheet = x->sheet ? x->sheet : "" };
	struct csvin *r = csvin_new_source(&src, lim);
	x->ncells = csvin_max_fields(r);
	x->cells = xcalloc(x->ncells, sizeof *x->cells);
	if (!ok)
		csvin_fail(r, 1, "%s", x->err);
	return r;
}

struct csvin *xlsxin_or_csv(const char *p, size_t n, const char *sheet, const struct csvin_limits *lim)
{
	return xlsxin_is_zip(p, n) ? xlsxin_open(p, n, sheet, lim) : csvin_new_mem(p, n, lim);
}
