/* test_docstore.c — docstore.c: the sniffer (magic numbers, ZIP
 * containers), safe file names, Content-Disposition, and the store on
 * disk (hash names, one copy per content, removal). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "docstore.h"
#include "xalloc.h"

static const char *sniff(const void *p, size_t n)
{
	const struct doc_type *t = doc_sniff(p, n);
	return t ? t->media : "(none)";
}

#define SNIFF(lit) sniff(lit, sizeof lit - 1)

/* ---- ZIP files built here -------------------------------------------------- */

static void le16(struct buf *b, unsigned v)
{
	buf_addc(b, (char)(v & 255));
	buf_addc(b, (char)(v >> 8));
}

static void le32(struct buf *b, unsigned v)
{
	le16(b, v & 0xffff);
	le16(b, v >> 16);
}

/* A ZIP of stored entries (CRCs left 0: the sniffer does not read them). */
static void zip(struct buf *b, const char *const *names, const char *const *data, int n)
{
	struct buf cd = BUF_INIT;
	for (int i = 0; i < n; i++) {
		unsigned off = (unsigned)b->len, nl = (unsigned)strlen(names[i]), dl = (unsigned)strlen(data[i]);
		buf_add(b, "PK\3\4", 4);
		le16(b, 20), le16(b, 0), le16(b, 0), le16(b, 0), le16(b, 0);
		le32(b, 0), le32(b, dl), le32(b, dl);
		le16(b, nl), le16(b, 0);
		buf_adds(b, names[i]);
		buf_adds(b, data[i]);
		buf_add(&cd, "PK\1\2", 4);
		le16(&cd, 20), le16(&cd, 20), le16(&cd, 0), le16(&cd, 0), le16(&cd, 0), le16(&cd, 0);
		le32(&cd, 0), le32(&cd, dl), le32(&cd, dl);
		le16(&cd, nl), le16(&cd, 0), le16(&cd, 0), le16(&cd, 0), le16(&cd, 0);
		le32(&cd, 0), le32(&cd, off);
		buf_adds(&cd, names[i]);
	}
	unsigned cdoff = (unsigned)b->len;
	buf_add(b, cd.data, cd.len);
	buf_add(b, "PK\5\6", 4);
	le16(b, 0), le16(b, 0), le16(b, (unsigned)n), le16(b, (unsigned)n);
	le32(b, (unsigned)cd.len), le32(b, cdoff), le16(b, 0);
	buf_release(&cd);
}

static const char *sniff_zip(const char *const *names, const char *const *data, int n)
{
	struct buf b = BUF_INIT;
	zip(&b, names, data, n);
	const char *m = sniff(b.data, b.len);
	buf_release(&b);
	return m;
}

static void test_magic(void **state)
{
	(void)state;
	assert_string_equal(SNIFF("%PDF-1.7\n..."), "application/pdf");
	assert_string_equal(SNIFF("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), "image/png");
	assert_string_equal(SNIFF("\xff\xd8\xff\xe0\0\x10JFIF"), "image/jpeg");
	assert_string_equal(SNIFF("GIF89a\1\0\1\0"), "image/gif");
	assert_string_equal(SNIFF("GIF87a\1\0\1\0"), "image/gif");
	assert_string_equal(SNIFF("RIFF\x24\0\0\0WEBPVP8 \x18\0"), "image/webp");
	char ole[512] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";
	assert_string_equal(sniff(ole, sizeof ole), "application/vnd.ms-office");
	assert_string_equal(sniff(ole, 100), "(none)"); /* too short for a compound file */
	/* what is refused, whatever it is called */
	assert_string_equal(SNIFF("%PDF"), "(none)");
	assert_string_equal(SNIFF(" %PDF-1.4"), "(none)");
	assert_string_equal(SNIFF("Just text."), "(none)");
	assert_string_equal(SNIFF("<!doctype html><script>"), "(none)");
	assert_string_equal(SNIFF("<svg xmlns='http://www.w3.org/2000/svg'/>"), "(none)");
	assert_string_equal(SNIFF("MZ\x90\0"), "(none)");
	assert_string_equal(SNIFF("RIFF\x24\0\0\0WAVEfmt "), "(none)");
	assert_string_equal(SNIFF("\x89PNG"), "(none)");
	assert_string_equal(sniff("", 0), "(none)");
	assert_string_equal(SNIFF("PK\3\4"), "(none)");
}

static void test_zip_containers(void **state)
{
	(void)state;
	const char *docx[] = { "[Content_Types].xml", "_rels/.rels", "word/document.xml" };
	const char *xlsx[] = { "[Content_Types].xml", "xl/workbook.xml" };
	const char *pptx[] = { "ppt/presentation.xml", "[Content_Types].xml" };
	const char *mixed[] = { "[Content_Types].xml", "word/document.xml", "xl/workbook.xml" };
	const char *nocontent[] = { "word/document.xml" };
	const char *plain[] = { "readme.txt" };
	const char *x[] = { "<x/>", "<x/>", "<x/>" };
	assert_string_equal(sniff_zip(docx, x, 3), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
	assert_string_equal(sniff_zip(xlsx, x, 2), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	assert_string_equal(sniff_zip(pptx, x, 2), "application/vnd.openxmlformats-officedocument.presentationml.presentation");
	assert_string_equal(sniff_zip(mixed, x, 3), "(none)");
	assert_string_equal(sniff_zip(nocontent, x, 1), "(none)");
	assert_string_equal(sniff_zip(plain, x, 1), "(none)");
	const char *odf[] = { "mimetype", "content.xml" };
	const char *odt[] = { "application/vnd.oasis.opendocument.text", "<x/>" };
	const char *ods[] = { "application/vnd.oasis.opendocument.spreadsheet", "<x/>" };
	const char *odp[] = { "application/vnd.oasis.opendocument.presentation", "<x/>" };
	const char *odg[] = { "application/vnd.oasis.opendocument.graphics", "<x/>" };
	assert_string_equal(sniff_zip(odf, odt, 2), "application/vnd.oasis.opendocument.text");
	assert_string_equal(sniff_zip(odf, ods, 2), "application/vnd.oasis.opendocument.spreadsheet");
	assert_string_equal(sniff_zip(odf, odp, 2), "application/vnd.oasis.opendocument.presentation");
	assert_string_equal(sniff_zip(odf, odg, 2), "(none)");
	/* a truncated DOCX: its central directory is gone */
	struct buf b = BUF_INIT;
	zip(&b, docx, x, 3);
	for (size_t cut = 1; cut < b.len; cut++)
		if (cut < b.len - 22 || cut > b.len - 22) {
			const struct doc_type *t = doc_sniff(b.data, b.len - cut);
			assert_true(t == NULL || cut == 0);
		}
	buf_release(&b);
	/* an OpenDocument cut anywhere, each prefix in a block of its own size
	 * (so that AddressSanitizer sees a read past its end): the fuzzer found
	 * the "mimetype" name read before its length was checked */
	zip(&b, odf, odt, 2);
	for (size_t len = 0; len < b.len; len++) {
		unsigned char *copy = malloc(len ? len : 1);
		assert_non_null(copy);
		memcpy(copy, b.data, len);
		const struct doc_type *t = doc_sniff(copy, len);
		assert_true(t == NULL || len > 30 + 8);
		free(copy);
	}
	buf_release(&b);
}

static const char *safe(const char *name, const char *media)
{
	static struct buf out;
	buf_reset(&out);
	doc_safe_filename(name, strlen(name), doc_type_by_media(media), &out);
	return buf_cstr(&out);
}

static void test_safe_filename(void **state)
{
	(void)state;
	const char *pdf = "application/pdf", *docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
	assert_string_equal(safe("rapport.pdf", pdf), "rapport.pdf");
	assert_string_equal(safe("RAPPORT.PDF", pdf), "RAPPORT.PDF");
	assert_string_equal(safe("../../etc/passwd", pdf), "passwd.pdf");
	assert_string_equal(safe("C:\\Users\\a\\pv.docx", docx), "pv.docx");
	assert_string_equal(safe("a\"b\r\nc.pdf", pdf), "a_b__c.pdf");
	assert_string_equal(safe("..", pdf), "document.pdf");
	assert_string_equal(safe("", pdf), "document.pdf");
	assert_string_equal(safe(". . .pdf", pdf), "pdf.pdf");
	assert_string_equal(safe(".env", pdf), "env.pdf");
	assert_string_equal(safe("x.pdf. ", pdf), "x.pdf");
	assert_string_equal(safe("Communiqué.pdf", pdf), "Communiqué.pdf");
	assert_string_equal(safe("بيان.pdf", pdf), "بيان.pdf");
	assert_string_equal(safe("bad\xff\xfe.pdf", pdf), "bad__.pdf");
	assert_string_equal(safe("rlo\xe2\x80\xae" "fdp.exe", pdf), "rlo_fdp.exe.pdf");
	assert_string_equal(safe("c1\xc2\x85.pdf", pdf), "c1_.pdf");
	assert_string_equal(safe("tab\there.pdf", pdf), "tab_here.pdf");
	assert_string_equal(safe("photo.jpeg", "image/jpeg"), "photo.jpeg");
	assert_string_equal(safe("photo.JPG", "image/jpeg"), "photo.JPG");
	assert_string_equal(safe("budget.xls", "application/vnd.ms-office"), "budget.xls");
	assert_string_equal(safe("budget", "application/vnd.ms-office"), "budget.doc");
	char longname[400];
	memset(longname, 'a', 300);
	strcpy(longname + 300, ".pdf");
	const char *s = safe(longname, pdf);
	assert_int_equal(strlen(s), 124); /* 120 characters kept, then the extension */
	/* a NUL in the middle of what was sent is replaced, not a cut */
	struct buf out = BUF_INIT;
	doc_safe_filename("a\0b.pdf", 7, doc_type_by_media(pdf), &out);
	assert_string_equal(buf_cstr(&out), "a_b.pdf");
	buf_release(&out);
}

static void test_disposition(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	doc_disposition("Communiqué final.pdf", &b);
	assert_string_equal(buf_cstr(&b), "attachment; filename=\"Communiqu_ final.pdf\"; filename*=UTF-8''Communiqu%C3%A9%20final.pdf");
	buf_reset(&b);
	doc_disposition("بيان.pdf", &b);
	assert_string_equal(buf_cstr(&b), "attachment; filename=\"____.pdf\"; filename*=UTF-8''%D8%A8%D9%8A%D8%A7%D9%86.pdf");
	buf_reset(&b);
	doc_disposition("a\"b\\c\r\n.pdf", &b); /* never given such a name; kept safe all the same */
	assert_null(strchr(buf_cstr(&b), '\r'));
	assert_null(strchr(buf_cstr(&b), '\n'));
	assert_null(strstr(buf_cstr(&b), "a\"b"));
	buf_release(&b);
}

static void test_store(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/suivi-docstore-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	char *dir = xasprintf("%s/nested/docs", tmpl);
	const char data[] = "%PDF-1.4 test";
	char hex[DOC_HEX], hex2[DOC_HEX];
	bool existed = true;
	assert_int_equal(docstore_put(dir, data, sizeof data - 1, hex, &existed), APP_OK);
	assert_false(existed);
	assert_true(doc_valid_hex(hex));
	/* sha256("%PDF-1.4 test"), as sha256sum says */
	char want[DOC_HEX];
	doc_sha256(data, sizeof data - 1, want);
	assert_string_equal(hex, want);
	char *path = docstore_path(dir, hex);
	char *expect = xasprintf("%s/%.2s/%.2s/%s", dir, hex, hex + 2, hex);
	assert_string_equal(path, expect);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, sizeof data - 1);
	assert_int_equal(docstore_put(dir, data, sizeof data - 1, hex2, &existed), APP_OK);
	assert_true(existed);
	assert_string_equal(hex, hex2);
	struct buf b = BUF_INIT;
	assert_int_equal(docstore_read(dir, hex, &b), APP_OK);
	assert_int_equal(b.len, sizeof data - 1);
	assert_memory_equal(b.data, data, b.len);
	buf_release(&b);
	assert_true(docstore_has(dir, hex));
	docstore_remove(dir, hex);
	assert_false(docstore_has(dir, hex));
	assert_int_equal(docstore_read(dir, hex, &b), APP_NOT_FOUND);
	docstore_remove(dir, hex); /* gone already: no error */
	assert_int_equal(docstore_read(dir, "../../etc/passwd", &b), APP_NOT_FOUND);
	buf_release(&b);
	assert_false(doc_valid_hex("ABCDEF"));
	assert_false(doc_valid_hex(NULL));
	char *cmd = xasprintf("rm -rf '%s'", tmpl);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(path);
	free(expect);
	free(dir);
}

static void test_default_dir(void **state)
{
	(void)state;
	char *d = docstore_default_dir("/var/lib/suivi/suivi.db");
	assert_string_equal(d, "/var/lib/suivi/suivi.db.docs");
	free(d);
	d = docstore_default_dir("sqlite:x.db");
	assert_string_equal(d, "x.db.docs");
	free(d);
	d = docstore_default_dir("postgresql://u@h/db");
	assert_string_equal(d, "suivi-docs");
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_magic),
		cmocka_unit_test(test_zip_containers),
		cmocka_unit_test(test_safe_filename),
		cmocka_unit_test(test_disposition),
		cmocka_unit_test(test_store),
		cmocka_unit_test(test_default_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
