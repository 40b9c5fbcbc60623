/* fuzz_multipart.c — libFuzzer target: the input's first line as a
 * Content-Type and the rest as a multipart/form-data body through
 * mp_parse (and, with a fixed boundary, the whole input as a body); every
 * part's content through the sniffer and its file name through
 * doc_safe_filename and doc_disposition, whose outputs are checked. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "docstore.h"
#include "multipart.h"
#include "util.h"

static void check_name(const char *name, size_t n, const struct doc_type *t)
{
	struct buf out = BUF_INIT;
	doc_safe_filename(name, n, t, &out);
	const char *s = buf_cstr(&out);
	if (!out.len || !util_valid_utf8(s, out.len) || strpbrk(s, "\"\\/\r\n") || s[0] == '.')
		abort();
	for (size_t i = 0; i < out.len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			abort();
	struct buf cd = BUF_INIT;
	doc_disposition(s, &cd);
	for (size_t i = 0; i < cd.len; i++)
		if ((unsigned char)cd.data[i] < 0x20 || (unsigned char)cd.data[i] >= 0x7f)
			abort(); /* a header value: printable ASCII only */
	buf_release(&cd);
	buf_release(&out);
}

static void parse(const char *ct, const char *body, size_t n)
{
	struct mp_form f;
	const char *why = NULL;
	if (!mp_parse(ct, body, n, &f, &why)) {
		if (!why || f.n || f.parts)
			abort();
		return;
	}
	for (size_t i = 0; i < f.n; i++) {
		const struct mp_part *p = &f.parts[i];
		if (!p->name || p->data < body || p->data + p->len > body + n)
			abort();
		const struct doc_type *t = doc_sniff(p->data, p->len);
		if (t && !doc_type_by_media(t->media))
			abort();
		if (p->filename)
			check_name(p->filename, strlen(p->filename), t);
		free(mp_text(&f, p->name));
	}
	mp_release(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* bodies live in their own allocation, so that ASan sees any read past them */
	char *copy = malloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	parse("multipart/form-data; boundary=XyZ", copy, size);
	const char *nl = memchr(copy, '\n', size);
	if (nl) {
		size_t hl = (size_t)(nl - copy);
		char *ct = malloc(hl + 1);
		memcpy(ct, copy, hl);
		ct[hl] = '\0';
		char b[MP_MAX_BOUNDARY + 1];
		if (mp_boundary(ct, b) && (strlen(b) == 0 || strlen(b) > MP_MAX_BOUNDARY))
			abort();
		size_t rest = size - hl - 1;
		char *body = malloc(rest ? rest : 1);
		memcpy(body, nl + 1, rest);
		parse(ct, body, rest);
		free(body);
		free(ct);
	}
	/* the whole input as a file, and as a file name */
	const struct doc_type *t = doc_sniff(copy, size);
	check_name(copy, size, t);
	free(copy);
	return 0;
}
