/* fuzz_xlsxin.c — libFuzzer target: the XLSX reader (xlsxin.c).
 *
 * Two ways in, by the first byte: odd, the rest is the archive itself (the
 * ZIP directory, headers, deflate streams); even, the rest is XML — up to a
 * 0xFF byte the shared strings, after it the sheet — stored in a workbook
 * made here, so that the fuzzer works on the parts' XML rather than on
 * deflate.  Every row handed out must be valid UTF-8 of the lengths
 * reported on increasing rows, and an error must carry a message. */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "buf.h"
#include "util.h"
#include "xlsxin.h"

static void le16(struct buf *b, unsigned v)
{
	buf_addc(b, (char)(v & 0xFF));
	buf_addc(b, (char)(v >> 8));
}

static void le32(struct buf *b, unsigned long v)
{
	le16(b, (unsigned)(v & 0xFFFF));
	le16(b, (unsigned)(v >> 16));
}

/* Adds a stored entry: its local header and data to zip, its directory
 * record to dir. */
static void entry(struct buf *zip, struct buf *dir, int *n, const char *name, const uint8_t *p, size_t len)
{
	unsigned long crc = crc32(0L, p, (uInt)len), at = (unsigned long)zip->len;
	size_t nl = strlen(name);
	le32(zip, 0x04034b50), le16(zip, 20), le16(zip, 0), le16(zip, 0), le32(zip, 0);
	le32(zip, crc), le32(zip, (unsigned long)len), le32(zip, (unsigned long)len);
	le16(zip, (unsigned)nl), le16(zip, 0);
	buf_add(zip, name, nl);
	buf_add(zip, p, len);
	le32(dir, 0x02014b50), le16(dir, 20), le16(dir, 20), le16(dir, 0), le16(dir, 0), le32(dir, 0);
	le32(dir, crc), le32(dir, (unsigned long)len), le32(dir, (unsigned long)len);
	le16(dir, (unsigned)nl), le16(dir, 0), le16(dir, 0), le16(dir, 0), le16(dir, 0), le32(dir, 0);
	le32(dir, at);
	buf_add(dir, name, nl);
	(*n)++;
}

static const char BOOK[] =
	"<workbook xmlns:r=\"r\"><workbookPr date1904=\"0\"/><sheets>"
	"<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char RELS[] =
	"<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"x/sharedStrings\" Target=\"sharedStrings.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"x/styles\" Target=\"styles.xml\"/></Relationships>";
static const char STYLES[] =
	"<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/></numFmts>"
	"<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/></cellXfs></styleSheet>";

static void workbook(const uint8_t *p, size_t n, struct buf *zip)
{
	const uint8_t *cut = memchr(p, 0xFF, n);
	size_t strings = cut ? (size_t)(cut - p) : 0;
	struct buf dir = BUF_INIT;
	int count = 0;
	entry(zip, &dir, &count, "xl/workbook.xml", (const uint8_t *)BOOK, sizeof BOOK - 1);
	entry(zip, &dir, &count, "xl/_rels/workbook.xml.rels", (const uint8_t *)RELS, sizeof RELS - 1);
	entry(zip, &dir, &count, "xl/styles.xml", (const uint8_t *)STYLES, sizeof STYLES - 1);
	entry(zip, &dir, &count, "xl/sharedStrings.xml", p, strings);
	entry(zip, &dir, &count, "xl/worksheets/sheet1.xml", p + strings + (cut != NULL), n - strings - (cut != NULL));
	unsigned long at = (unsigned long)zip->len;
	buf_add(zip, dir.data, dir.len);
	le32(zip, 0x06054b50), le16(zip, 0), le16(zip, 0), le16(zip, (unsigned)count), le16(zip, (unsigned)count);
	le32(zip, (unsigned long)dir.len), le32(zip, at), le16(zip, 0);
	buf_release(&dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct buf zip = BUF_INIT;
	if (data[0] & 1)
		buf_add(&zip, data + 1, size - 1);
	else
		workbook(data + 1, size - 1, &zip);
	struct csvin_limits lim = { .field = 512, .record = 2048, .fields = 16 };
	struct csvin *r = xlsxin_open(zip.data ? zip.data : "", zip.len, NULL, &lim);
	enum csvin_rc rc;
	long long last = 0;
	while ((rc = csvin_next(r)) == CSVIN_RECORD) {
		if (csvin_line(r) <= last)
			abort();
		last = csvin_line(r);
		for (size_t i = 0; i < csvin_count(r); i++)
			if (strlen(csvin_field(r, i)) != csvin_len(r, i) ||
			    !util_valid_utf8(csvin_field(r, i), csvin_len(r, i)))
				abort();
	}
	if (rc == CSVIN_ERROR && !csvin_error(r))
		abort();
	csvin_free(r);
	buf_release(&zip);
	return 0;
}
