/* docstore.c — see docstore.h. */
#define _GNU_SOURCE
#include "docstore.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "i18n.h"
#include "util.h"
#include "xalloc.h"
#include "db_backends.h"
#include "banned.h"

/* ---- what a file is ------------------------------------------------------------ */

static const char *const ext_pdf[] = { "pdf", NULL };
static const char *const ext_png[] = { "png", NULL };
static const char *const ext_jpeg[] = { "jpg", "jpeg", NULL };
static const char *const ext_gif[] = { "gif", NULL };
static const char *const ext_webp[] = { "webp", NULL };
static const char *const ext_docx[] = { "docx", NULL };
static const char *const ext_xlsx[] = { "xlsx", NULL };
static const char *const ext_pptx[] = { "pptx", NULL };
static const char *const ext_odt[] = { "odt", NULL };
static const char *const ext_ods[] = { "ods", NULL };
static const char *const ext_odp[] = { "odp", NULL };
/* An OLE2 compound file does not say on its face whether it is Word,
 * Excel or PowerPoint: the name may pick among the three. */
static const char *const ext_ole[] = { "doc", "xls", "ppt", NULL };

enum { T_PDF, T_PNG, T_JPEG, T_GIF, T_WEBP, T_DOCX, T_XLSX, T_PPTX, T_ODT, T_ODS, T_ODP, T_OLE, T__MAX };

static const struct doc_type types[T__MAX] = {
	[T_PDF] = { "application/pdf", N_("PDF"), ext_pdf },
	[T_PNG] = { "image/png", N_("PNG image"), ext_png },
	[T_JPEG] = { "image/jpeg", N_("JPEG image"), ext_jpeg },
	[T_GIF] = { "image/gif", N_("GIF image"), ext_gif },
	[T_WEBP] = { "image/webp", N_("WebP image"), ext_webp },
	[T_DOCX] = { "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		     N_("Word document"), ext_docx },
	[T_XLSX] = { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		     N_("Excel workbook"), ext_xlsx },
	[T_PPTX] = { "application/vnd.openxmlformats-officedocument.presentationml.presentation",
		     N_("PowerPoint presentation"), ext_pptx },
	[T_ODT] = { "application/vnd.oasis.opendocument.text", N_("OpenDocument text"), ext_odt },
	[T_ODS] = { "application/vnd.oasis.opendocument.spreadsheet", N_("OpenDocument spreadsheet"), ext_ods },
	[T_ODP] = { "application/vnd.oasis.opendocument.presentation", N_("OpenDocument presentation"), ext_odp },
	[T_OLE] = { "application/vnd.ms-office", N_("Office document (older format)"), ext_ole },
};

const struct doc_type *doc_type_by_media(const char *media)
{
	for (int i = 0; media && i < T__MAX; i++)
		if (strcmp(types[i].media, media) == 0)
			return &types[i];
	return NULL;
}

static unsigned le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool starts(const unsigned char *p, size_t n, const char *magic, size_t m)
{
	return n >= m && memcmp(p, magic, m) == 0;
}

/* OpenDocument: the first entry is "mimetype", stored uncompressed, and
 * holds the media type (OpenDocument 1.2 part 3, §3.3). */
static const struct doc_type *sniff_odf(const unsigned char *p, size_t n)
{
	if (n < 30 || le16(p + 8) != 0)
		return NULL;
	size_t size = le32(p + 18), nl = le16(p + 26), el = le16(p + 28);
	/* the lengths first: the name is read only once it is known to be there */
	if (nl != 8 || 30 + nl + el > n || memcmp(p + 30, "mimetype", 8) != 0 || size > n - 30 - nl - el)
		return NULL;
	const char *mt = (const char *)p + 30 + nl + el;
	for (int t = T_ODT; t <= T_ODP; t++)
		if (strlen(types[t].media) == size && memcmp(mt, types[t].media, size) == 0)
			return &types[t];
	return NULL;
}

/* Office Open XML: a ZIP whose central directory names [Content_Types].xml
 * and the parts of one application (word/, xl/ or ppt/). */
static const struct doc_type *sniff_ooxml(const unsigned char *p, size_t n)
{
	if (n < 22)
		return NULL;
	size_t eocd = n - 22, stop = n - 22 > 65535 ? n - 22 - 65535 : 0;
	for (;; eocd--) {
		if (memcmp(p + eocd, "PK\5\6", 4) == 0)
			break;
		if (eocd == stop)
			return NULL;
	}
	size_t count = le16(p + eocd + 10), off = le32(p + eocd + 16);
	bool content_types = false;
	int app = -1;
	for (size_t i = 0; i < count; i++) {
		if (off > eocd || eocd - off < 46 || memcmp(p + off, "PK\1\2", 4) != 0)
			return NULL;
		size_t nl = le16(p + off + 28), el = le16(p + off + 30), cl = le16(p + off + 32);
		if (eocd - off - 46 < nl)
			return NULL;
		const char *name = (const char *)p + off + 46;
		int t = -1;
		if (nl == 19 && memcmp(name, "[Content_Types].xml", 19) == 0)
			content_types = true;
		else if (nl > 5 && memcmp(name, "word/", 5) == 0)
			t = T_DOCX;
		else if (nl > 3 && memcmp(name, "xl/", 3) == 0)
			t = T_XLSX;
		else if (nl > 4 && memcmp(name, "ppt/", 4) == 0)
			t = T_PPTX;
		if (t >= 0 && app >= 0 && app != t)
			return NULL; /* parts of two applications: not a document we know */
		if (t >= 0)
			app = t;
		off += 46 + nl + el + cl;
	}
	return content_types && app >= 0 ? &types[app] : NULL;
}

const struct doc_type *doc_sniff(const void *data, size_t n)
{
	const unsigned char *p = data;
	if (starts(p, n, "%PDF-", 5))
		return &types[T_PDF];
	if (starts(p, n, "\x89PNG\r\n\x1a\n", 8))
		return &types[T_PNG];
	if (starts(p, n, "\xff\xd8\xff", 3))
		return &types[T_JPEG];
	if (starts(p, n, "GIF87a", 6) || starts(p, n, "GIF89a", 6))
		return &types[T_GIF];
	if (n >= 16 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBPVP8", 7) == 0)
		return &types[T_WEBP];
	if (starts(p, n, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) && n >= 512)
		return &types[T_OLE];
	if (starts(p, n, "PK\3\4", 4)) {
		const struct doc_type *t = sniff_odf(p, n);
		return t ? t : sniff_ooxml(p, n);
	}
	return NULL;
}

/* ---- names ------------------------------------------------------------------------ */

/* The length of the UTF-8 character at s (n bytes left), 0 when invalid. */
static size_t utf8_char(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80 ? 1 : (s[0] >> 5) == 6 ? 2 : (s[0] >> 4) == 14 ? 3 : (s[0] >> 3) == 30 ? 4 : 0;
	if (!len || len > n || !util_valid_utf8((const char *)s, len))
		return 0;
	return len;
}

/* Characters a file name must not carry: controls (C0, DEL, C1), the
 * separators and quotes of paths and headers, and the bidirectional
 * controls that make "cod.exe" read as "exe.doc". */
static bool unsafe_char(const unsigned char *s, size_t len)
{
	if (len == 1)
		return s[0] < 0x20 || s[0] == 0x7f || strchr("\"'\\/:*?<>|%;", s[0]) != NULL;
	if (len == 2)
		return s[0] == 0xc2 && s[1] < 0xa0;
	if (len == 3 && s[0] == 0xe2 && s[1] == 0x80 && (s[2] >= 0xaa && s[2] <= 0xae))
		return true; /* U+202A..U+202E */
	if (len == 3 && s[0] == 0xe2 && s[1] == 0x81 && (s[2] >= 0xa6 && s[2] <= 0xa9))
		return true; /* U+2066..U+2069 */
	if (len == 3 && s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0x8e || s[2] == 0x8f))
		return true; /* U+200E, U+200F */
	return false;
}

static bool has_ext(const char *name, const struct doc_type *t)
{
	const char *dot = strrchr(name, '.');
	if (!dot || dot == name || !t)
		return false;
	for (const char *const *e = t->exts; *e; e++)
		if (strcasecmp(dot + 1, *e) == 0)
			return true;
	return false;
}

#define NAME_MAX_CHARS 120

void doc_safe_filename(const char *name, size_t n, const struct doc_type *t, struct buf *out)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++)
		if (name[i] == '/' || name[i] == '\\')
			start = i + 1;
	struct buf b = BUF_INIT;
	size_t chars = 0;
	const unsigned char *s = (const unsigned char *)name;
	for (size_t i = start; i < n && chars < NAME_MAX_CHARS;) {
		size_t len = utf8_char(s + i, n - i);
		if (!len || unsafe_char(s + i, len)) {
			buf_addc(&b, '_');
			i += len ? len : 1;
		} else {
			buf_add(&b, s + i, len);
			i += len;
		}
		chars++;
	}
	/* no leading dots or spaces (hidden files, "..") and no trailing ones */
	const char *c = buf_cstr(&b);
	size_t lead = strspn(c, ". ");
	size_t end = b.len;
	while (end > lead && (c[end - 1] == '.' || c[end - 1] == ' '))
		end--;
	struct buf name_out = BUF_INIT;
	if (end > lead)
		buf_add(&name_out, c + lead, end - lead);
	else
		buf_adds(&name_out, "document");
	if (t && !has_ext(buf_cstr(&name_out), t))
		buf_printf(&name_out, ".%s", t->exts[0]);
	buf_adds(out, buf_cstr(&name_out));
	buf_release(&name_out);
	buf_release(&b);
}

void doc_disposition(const char *safe_name, struct buf *out)
{
	buf_adds(out, "attachment; filename=\"");
	const unsigned char *s = (const unsigned char *)safe_name;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] >= 0x80) {
			if ((s[i] & 0xc0) != 0x80) /* one '_' per character */
				buf_addc(out, '_');
		} else if (s[i] < 0x20 || s[i] == '"' || s[i] == '\\' || s[i] == 0x7f) {
			buf_addc(out, '_'); /* not in a safe name; kept out all the same */
		} else {
			buf_addc(out, (char)s[i]);
		}
	}
	buf_adds(out, "\"; filename*=UTF-8''");
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; s[i]; i++) {
		unsigned char ch = s[i];
		bool attr = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
			    strchr("!#$&+-.^_`|~", ch) != NULL;
		if (attr) {
			buf_addc(out, (char)ch);
		} else {
			buf_addc(out, '%');
			buf_addc(out, hex[ch >> 4]);
			buf_addc(out, hex[ch & 15]);
		}
	}
}

/* ---- the store on disk ---------------------------------------------------------- */

void doc_sha256(const void *data, size_t n, char hex[DOC_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(hex, DOC_HEX, h, sizeof h);
}

bool doc_valid_hex(const char *s)
{
	if (!s || strlen(s) != 64)
		return false;
	for (int i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

char *docstore_default_dir(const char *db_url)
{
	if (db_for_url(db_url) != &db_sqlite)
		return xstrdup("suivi-docs");
	if (strncmp(db_url, "sqlite:", 7) == 0)
		db_url += 7;
	return xasprintf("%s.docs", db_url);
}

char *docstore_default_key_file(const char *db_url)
{
	if (db_for_url(db_url) != &db_sqlite)
		return xstrdup("suivi.key");
	if (strncmp(db_url, "sqlite:", 7) == 0)
		db_url += 7;
	return xasprintf("%s.key", db_url);
}

char *docstore_path(const char *dir, const char *hex)
{
	return xasprintf("%s/%.2s/%.2s/%s", dir, hex, hex + 2, hex);
}

/* mkdir -p for the folder and each of its parents. */
static bool make_dirs(const char *path)
{
	char *p = xstrdup(path);
	bool ok = true;
	for (char *s = p + 1; ok; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) /* documents are for suivi's user only */
			ok = false;
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return ok;
}

/* A full disk or quota is said as such (507): unlike other failures, the
 * administrator has something to do. */
static enum app_err write_error(int err)
{
	return err == ENOSPC || err == EDQUOT ? APP_FULL : APP_INTERNAL;
}

static bool write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Flushes a folder's entries (the rename) to disk. */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

enum app_err docstore_put(const char *dir, const void *data, size_t n, char hex[DOC_HEX],
			  bool *existed)
{
	doc_sha256(data, n, hex);
	*existed = false;
	char *path = docstore_path(dir, hex);
	char *folder = xstrndup(path, strlen(path) - 65);
	struct stat st;
	enum app_err rc = APP_OK;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == n) {
		*existed = true;
		goto out;
	}
	if (!make_dirs(folder)) {
		int err = errno;
		fprintf(stderr, "suivi: cannot make the documents folder %s: %s\n", folder, strerror(err));
		rc = write_error(err);
		goto out;
	}
	char *tmp = xasprintf("%s/.tmp-XXXXXX", folder);
	int fd = mkstemp(tmp);
	bool ok = fd >= 0 && fchmod(fd, 0600) == 0 && write_all(fd, data, n) && fsync(fd) == 0;
	int err = errno;
	if (fd >= 0 && close(fd) != 0)
		ok = false;
	if (ok && rename(tmp, path) != 0) {
		err = errno;
		ok = false;
	}
	if (!ok) {
		fprintf(stderr, "suivi: cannot write a document to %s: %s\n", folder, strerror(err));
		if (fd >= 0)
			unlink(tmp);
		rc = write_error(err);
	} else {
		sync_dir(folder);
	}
	free(tmp);
out:
	free(folder);
	free(path);
	return rc;
}

/* An unnamed file in folder: O_TMPFILE where the file system has it, else
 * a temporary name removed at once. */
static int unnamed_file(const char *folder)
{
	int fd = open(folder, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	char *tmp = xasprintf("%s/.scratch-XXXXXX", folder);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd >= 0)
		unlink(tmp);
	free(tmp);
	return fd;
}

int docstore_scratch(const char *dir, const void *data, size_t n)
{
	int fd = make_dirs(dir) ? unnamed_file(dir) : -1;
	if (fd >= 0 && write_all(fd, data, n))
		return fd;
	fprintf(stderr, "suivi: cannot write a file in %s: %s\n", dir, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

bool docstore_has(const char *dir, const char *hex)
{
	char *path = docstore_path(dir, hex);
	struct stat st;
	bool ok = stat(path, &st) == 0 && S_ISREG(st.st_mode);
	free(path);
	return ok;
}

enum app_err docstore_read(const char *dir, const char *hex, struct buf *out)
{
	if (!doc_valid_hex(hex))
		return APP_NOT_FOUND;
	char *path = docstore_path(dir, hex);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return errno == ENOENT ? APP_NOT_FOUND : APP_INTERNAL;
	struct stat st;
	enum app_err rc = APP_OK;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > 2LL * DOC_MAX) {
		rc = APP_INTERNAL;
	} else {
		buf_grow(out, (size_t)st.st_size + 1);
		for (;;) {
			if (!buf_grow(out, 65536)) { /* the caller's cap */
				rc = APP_TOO_LARGE;
				break;
			}
			ssize_t r = read(fd, out->data + out->len, out->cap - out->len - 1);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				rc = APP_INTERNAL;
			if (r <= 0)
				break;
			out->len += (size_t)r;
			out->data[out->len] = '\0';
		}
	}
	close(fd);
	return rc;
}

void docstore_remove(const char *dir, const char *hex)
{
	if (!doc_valid_hex(hex))
		return;
	char *path = docstore_path(dir, hex);
	if (unlink(path) != 0 && errno != ENOENT)
		fprintf(stderr, "suivi: cannot remove %s: %s\n", path, strerror(errno));
	free(path);
}
