/* names.c — see names.h. */
#define _POSIX_C_SOURCE 200809L
#include "names.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "banned.h"

/* Base letters of U+00C0..U+00FF ("" for × and ÷, which break words). */
static const char *const latin1_fold[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
};

/* Appends s folded to b, words separated by one ' '. */
static void fold(struct buf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	while (s && *s) {
		unsigned c = *s;
		const char *add = NULL;
		size_t skip = 1;
		char one[2] = { 0, 0 };
		if (c < 0x80) {
			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
				one[0] = (char)c, add = one;
			else if (c >= 'A' && c <= 'Z')
				one[0] = (char)(c - 'A' + 'a'), add = one;
		} else if (c == 0xC3 && s[1] >= 0x80 && s[1] < 0xC0) {
			add = latin1_fold[s[1] - 0x80];
			skip = 2;
			if (!*add)
				add = NULL;
		} else if (c == 0xC5 && (s[1] == 0x92 || s[1] == 0x93)) {
			add = "oe", skip = 2;
		} else if (c == 0xC2 && s[1]) {
			skip = 2; /* no-break space, punctuation */
		} else if (c == 0xE2 && s[1] && s[2]) {
			skip = 3; /* ’ ‐ – — … */
		} else {
			/* another letter (Arabic …): kept whole */
			size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
			size_t k = 1;
			while (k < n && s[k])
				k++;
			buf_add(b, s, k);
			s += k;
			continue;
		}
		if (add)
			buf_adds(b, add);
		else if (b->len && b->data[b->len - 1] != ' ')
			buf_addc(b, ' ');
		s += skip;
	}
	if (b->len && b->data[b->len - 1] != ' ')
		buf_addc(b, ' ');
}

static int word_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void names_match_key(struct buf *out, const char *family, const char *given, const char *country)
{
	struct buf all = BUF_INIT;
	fold(&all, family);
	fold(&all, given);
	buf_reset(out);
	buf_adds(out, "");
	size_t n = 0;
	for (size_t i = 0; i < all.len; i++)
		n += all.data[i] == ' ';
	char **w = xcalloc(n ? n : 1, sizeof *w);
	size_t k = 0;
	for (char *p = all.data, *sp; p && k < n && (sp = strchr(p, ' ')); p = sp + 1) {
		*sp = '\0';
		if (*p)
			w[k++] = p;
	}
	qsort(w, k, sizeof *w, word_cmp);
	for (size_t i = 0; i < k; i++) {
		if (i)
			buf_addc(out, ' ');
		buf_adds(out, w[i]);
	}
	buf_addc(out, '|');
	buf_adds(out, country ? country : "");
	free(w);
	buf_release(&all);
}

void names_norm(struct buf *out, const char *s)
{
	buf_reset(out);
	buf_adds(out, "");
	fold(out, s);
	while (out->len && out->data[out->len - 1] == ' ')
		out->data[--out->len] = '\0';
	for (size_t i = 0; i < out->len; i++)
		if (out->data[i] == ' ')
			out->data[i] = '_';
}
