/* i18n.c — see i18n.h.  Reads GNU .mo catalogues (format: gettext manual,
 * "The Format of GNU MO Files"): a header, then two tables of (length,
 * offset) pairs for the original and translated strings, the originals
 * sorted, and a hash table of them that msgfmt writes: a lookup probes the
 * hash table (a page asks for a hundred messages: a binary search of 1,000
 * strings each was 4 % of its instructions), or searches the sorted
 * originals of a catalogue without one. */
#define _POSIX_C_SOURCE 200809L
#include "i18n.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assets.h"
#include "buf.h"
#include "xalloc.h"
#include "banned.h"

const char *const lang_code[LANG__MAX] = { "fr", "en", "ar" };
const char *const lang_native[LANG__MAX] = { "Français", "English", "العربية" };

struct catalogue {
	const unsigned char *data;
	size_t size;
	uint32_t n, orig, trans; /* count and table offsets */
	uint32_t hash_size, hash; /* the hash table's slots and offset (0 slots: none) */
	int swap;                /* file written in the other byte order */
};

static struct catalogue cats[LANG__MAX];

static uint32_t rd32(const struct catalogue *c, size_t off)
{
	uint32_t v;
	memcpy(&v, c->data + off, 4);
	if (c->swap)
		v = __builtin_bswap32(v);
	return v;
}

static void load(struct catalogue *c, const struct asset *a)
{
	memset(c, 0, sizeof *c);
	if (!a || a->size < 28)
		return;
	uint32_t magic;
	memcpy(&magic, a->data, 4);
	if (magic != 0x950412de && magic != 0xde120495)
		return;
	c->data = a->data;
	c->size = a->size;
	c->swap = magic != 0x950412de;
	c->n = rd32(c, 8);
	c->orig = rd32(c, 12);
	c->trans = rd32(c, 16);
	if ((uint64_t)c->orig + 8ull * c->n > c->size ||
	    (uint64_t)c->trans + 8ull * c->n > c->size)
		c->n = 0; /* a damaged catalogue translates nothing */
	c->hash_size = rd32(c, 20);
	c->hash = rd32(c, 24);
	if (c->hash_size < 3 || (uint64_t)c->hash + 4ull * c->hash_size > c->size)
		c->hash_size = 0; /* none (msgfmt --no-hash), or damaged: the binary search */
}

/* Each language's collation (locales-all provides them), or none: then
 * texts compare byte by byte. */
static locale_t collation[LANG__MAX];

static void load_collations(void)
{
	static const char *const names[LANG__MAX][2] = {
		{ "fr_FR.UTF-8", "fr_FR.utf8" }, { "en_GB.UTF-8", "en_US.UTF-8" }, { "ar_MA.UTF-8", "ar_SA.UTF-8" },
	};
	for (int l = 0; l < LANG__MAX; l++)
		for (int k = 0; k < 2 && !collation[l]; k++)
			collation[l] = newlocale(LC_COLLATE_MASK, names[l][k], (locale_t)0);
}

char *i18n_sort_key(enum lang lang, const char *s)
{
	locale_t loc = lang < LANG__MAX ? collation[lang] : (locale_t)0;
	if (!loc)
		return xstrdup(s);
	size_t n = strxfrm_l(NULL, s, 0, loc) + 1;
	char *key = xmalloc(n);
	strxfrm_l(key, s, n, loc);
	return key;
}

static int bytes_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);
	return c ? c : (alen > blen) - (alen < blen);
}

/* s[0..n) as a C string: in buf when it fits, else in *heap (freed by the
 * caller). */
static const char *terminated(const char *s, size_t n, char *buf, size_t size, char **heap)
{
	char *t = n < size ? buf : (*heap = xmalloc(n + 1));
	memcpy(t, s, n);
	t[n] = '\0';
	return t;
}

int i18n_collate(enum lang lang, const char *a, size_t alen, const char *b, size_t blen)
{
	locale_t loc = lang < LANG__MAX ? collation[lang] : (locale_t)0;
	if (!loc)
		return bytes_cmp(a, alen, b, blen);
	char abuf[256], bbuf[256], *aheap = NULL, *bheap = NULL;
	int c = strcoll_l(terminated(a, alen, abuf, sizeof abuf, &aheap), terminated(b, blen, bbuf, sizeof bbuf, &bheap), loc);
	free(aheap);
	free(bheap);
	return c ? c : bytes_cmp(a, alen, b, blen);
}

bool i18n_has_collation(enum lang lang)
{
	return lang < LANG__MAX && collation[lang];
}

void i18n_init(void)
{
	static const char *names[LANG__MAX] = { "po/fr.mo", "po/en.mo", "po/ar.mo" };
	if (!collation[LANG_FR] && !collation[LANG_EN] && !collation[LANG_AR])
		load_collations();
	for (int l = 0; l < LANG__MAX; l++)
		load(&cats[l], asset_find(names[l]));
}

static const char *entry(const struct catalogue *c, uint32_t table, uint32_t i)
{
	uint32_t len = rd32(c, table + 8 * i), off = rd32(c, table + 8 * i + 4);
	if ((uint64_t)off + len >= c->size)
		return NULL;
	return (const char *)c->data + off;
}

/* The translation of original i, or msgid when it has none. */
static const char *translation(const struct catalogue *c, uint32_t i, const char *msgid)
{
	const char *t = entry(c, c->trans, i);
	return (t && *t) ? t : msgid;
}

/* gettext's hash of a msgid (hashpjw, 32 bits), as msgfmt computed it. */
static uint32_t mo_hash(const char *s)
{
	uint32_t h = 0;
	for (; *s; s++) {
		h = (h << 4) + (unsigned char)*s;
		uint32_t g = h & 0xf0000000u;
		if (g)
			h ^= (g >> 24) ^ g;
	}
	return h;
}

/* The lookup of the gettext manual: open addressing with double hashing;
 * a slot holds 1 + the original's index, 0 ends the search. */
static const char *tr_hashed(const struct catalogue *c, const char *msgid)
{
	uint32_t h = mo_hash(msgid), size = c->hash_size;
	uint32_t idx = h % size, incr = 1 + h % (size - 2);
	for (uint32_t probes = 0; probes < size; probes++) {
		uint32_t slot = rd32(c, c->hash + 4ull * idx);
		if (!slot || slot > c->n)
			return msgid;
		const char *o = entry(c, c->orig, slot - 1);
		if (o && strcmp(msgid, o) == 0)
			return translation(c, slot - 1, msgid);
		idx = idx >= size - incr ? idx - (size - incr) : idx + incr;
	}
	return msgid;
}

const char *tr(enum lang lang, const char *msgid)
{
	const struct catalogue *c = &cats[lang < LANG__MAX ? lang : LANG_FR];
	if (c->hash_size)
		return tr_hashed(c, msgid);
	uint32_t lo = 0, hi = c->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const char *o = entry(c, c->orig, mid);
		if (!o)
			return msgid;
		int cmp = strcmp(msgid, o);
		if (cmp == 0)
			return translation(c, mid, msgid);
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return msgid;
}

const char *tr_ctx(enum lang lang, const char *ctx, const char *msgid)
{
	char key[160];
	/* the catalogue keys a msgid with a context as "ctx\004msgid" (GNU .mo) */
	int n = snprintf(key, sizeof key, "%s\004%s", ctx ? ctx : "", msgid);
	if (ctx && n > 0 && (size_t)n < sizeof key) {
		const char *t = tr(lang, key);
		if (t != key)
			return t;
	}
	return tr(lang, msgid);
}

bool lang_parse(const char *s, enum lang *out)
{
	for (int l = 0; s && l < LANG__MAX; l++) {
		if (strcasecmp(s, lang_code[l]) == 0) {
			*out = (enum lang)l;
			return true;
		}
	}
	return false;
}

enum lang lang_from_accept(const char *h)
{
	enum lang best = LANG_FR;
	double best_q = 0;
	while (h && *h) {
		while (*h == ' ' || *h == ',')
			h++;
		size_t n = strcspn(h, ",;");
		char tag[3] = { 0 };
		if (n >= 2 && (n == 2 || h[2] == '-')) {
			tag[0] = h[0];
			tag[1] = h[1];
		}
		const char *p = h + n;
		double q = 1.0;
		if (*p == ';') {
			const char *qs = strstr(p, "q=");
			const char *next = strchr(p, ',');
			if (qs && (!next || qs < next))
				q = strtod(qs + 2, NULL);
			p = next ? next : p + strlen(p);
		}
		enum lang l;
		if (tag[0] && lang_parse(tag, &l) && q > best_q) {
			best = l;
			best_q = q;
		}
		h = p;
	}
	return best;
}

bool lang_rtl(enum lang lang)
{
	return lang == LANG_AR;
}

static const char *const months[12] = {
	N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"),
	N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
};

bool i18n_date(struct buf *out, enum lang lang, const char *iso)
{
	if (!iso || strlen(iso) < 10 || iso[4] != '-' || iso[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (iso[i] < '0' || iso[i] > '9'))
			return false;
	int m = (iso[5] - '0') * 10 + (iso[6] - '0'), d = (iso[8] - '0') * 10 + (iso[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	buf_printf(out, "%d %s %.4s", d, tr(lang, months[m - 1]), iso);
	return true;
}
