/* money.c — see money.h. */
#include "money.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "banned.h"

/* ISO 4217 currencies whose minor unit is 0 or 3 digits (list 1, 2024);
 * every other code has 2. */
static const char *const zero[] = { "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF",
				    "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF" };
static const char *const three[] = { "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND" };

static bool listed(const char *const *list, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], code) == 0)
			return true;
	return false;
}

int money_decimals(const char *currency)
{
	if (!currency)
		return 2;
	if (listed(zero, sizeof zero / sizeof *zero, currency))
		return 0;
	if (listed(three, sizeof three / sizeof *three, currency))
		return 3;
	return 2;
}

/* ---- each language's symbols (CLDR) ------------------------------------------ */

#define NNBSP "\xe2\x80\xaf" /* U+202F narrow no-break space */
#define NBSP "\xc2\xa0"      /* U+00A0 no-break space */

struct numsyms {
	const char *group, *decimal;
	bool code_first;     /* "USD 1.00" rather than "1.00 USD" */
	const char *percent; /* after the number */
};

static const struct numsyms syms[LANG__MAX] = {
	[LANG_FR] = { NNBSP, ",", false, NNBSP "%" },
	[LANG_EN] = { ",", ".", true, "%" },
	[LANG_AR] = { ",", ".", false, "%" },
};

static const struct numsyms *syms_of(enum lang lang)
{
	return &syms[lang < LANG__MAX ? lang : LANG_FR];
}

static const unsigned long long scales[] = { 1, 10, 100, 1000 };

/* |v| without overflow: -LLONG_MIN does not fit a long long. */
static unsigned long long magnitude(long long v)
{
	return v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
}

/* The digits of scaled / 10^dec with their groups, then the decimals. */
static void digits(struct buf *b, const struct numsyms *ns, unsigned long long scaled, int dec)
{
	unsigned long long units = scaled / scales[dec], frac = scaled % scales[dec];
	char d[32];
	int n = snprintf(d, sizeof d, "%llu", units);
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf_adds(b, ns->group);
		buf_addc(b, d[i]);
	}
	if (dec)
		buf_printf(b, "%s%0*llu", ns->decimal, dec, frac);
}

static int clamp_dec(int dec)
{
	return dec < 0 ? 0 : dec > 3 ? 3 : dec;
}

void money_format(struct buf *b, enum lang lang, long long minor, const char *currency)
{
	const struct numsyms *ns = syms_of(lang);
	bool code = currency && *currency;
	if (minor < 0)
		buf_addc(b, '-');
	if (code && ns->code_first)
		buf_printf(b, "%s ", currency);
	digits(b, ns, magnitude(minor), money_decimals(currency));
	if (code && !ns->code_first)
		buf_printf(b, NBSP "%s", currency);
}

void num_fixed(struct buf *b, enum lang lang, long long scaled, int dec)
{
	if (scaled < 0)
		buf_addc(b, '-');
	digits(b, syms_of(lang), magnitude(scaled), clamp_dec(dec));
}

void num_format(struct buf *b, enum lang lang, long long v)
{
	num_fixed(b, lang, v, 0);
}

void num_percent(struct buf *b, enum lang lang, long long scaled, int dec)
{
	num_fixed(b, lang, scaled, dec);
	buf_adds(b, syms_of(lang)->percent);
}

/* Right to left, a number's signs and groups would be reordered by the
 * text around them: the number is its own left-to-right island. */
void num_isolate(struct buf *b, enum lang lang, bool open)
{
	if (lang_rtl(lang))
		buf_adds(b, open ? "<bdi dir=\"ltr\">" : "</bdi>");
}

const char *num_text(char out[static NUM_TEXT_MAX], enum lang lang, long long scaled, int dec)
{
	struct buf t = BUF_INIT;
	num_isolate(&t, lang, true);
	num_fixed(&t, lang, scaled, dec);
	num_isolate(&t, lang, false);
	/* the longest, LLONG_MIN with its groups in an Arabic isolate, is 60 bytes */
	snprintf(out, NUM_TEXT_MAX, "%s", t.len ? t.data : "");
	buf_release(&t);
	return out;
}

void money_html(struct buf *b, enum lang lang, long long minor, const char *currency)
{
	num_isolate(b, lang, true);
	money_format(b, lang, minor, currency);
	num_isolate(b, lang, false);
}

void num_html(struct buf *b, enum lang lang, long long v)
{
	num_isolate(b, lang, true);
	num_format(b, lang, v);
	num_isolate(b, lang, false);
}

void num_percent_html(struct buf *b, enum lang lang, long long scaled, int dec)
{
	num_isolate(b, lang, true);
	num_percent(b, lang, scaled, dec);
	num_isolate(b, lang, false);
}

void money_units(struct buf *b, long long minor, const char *currency)
{
	static const struct numsyms machine = { "", ".", false, "" };
	if (minor < 0)
		buf_addc(b, '-');
	digits(b, &machine, magnitude(minor), money_decimals(currency));
}

void num_range_of(struct buf *b, enum lang lang, long long from, long long to, long long total)
{
	const char *m = tr(lang, "%s of %s"), *p = strstr(m, "%s"), *q = p ? strstr(p + 2, "%s") : NULL;
	if (!q) { /* a damaged translation */
		m = "%s of %s";
		p = m;
		q = m + 6;
	}
	buf_add(b, m, (size_t)(p - m));
	num_isolate(b, lang, true);
	num_format(b, lang, from);
	buf_adds(b, "–");
	num_format(b, lang, to);
	num_isolate(b, lang, false);
	buf_add(b, p + 2, (size_t)(q - p - 2));
	num_html(b, lang, total);
	buf_adds(b, q + 2);
}

/* ---- reading an amount ----------------------------------------------------------- */

/* Length of a group separator at s (space, U+00A0, U+202F), else 0. */
static size_t space_at(const char *s)
{
	if (*s == ' ')
		return 1;
	if (strncmp(s, NBSP, 2) == 0)
		return 2;
	if (strncmp(s, NNBSP, 3) == 0)
		return 3;
	return 0;
}

/* Adds digit d to *v unless it overflows. */
static bool push_digit(unsigned long long *v, int d)
{
	if (*v > (ULLONG_MAX - (unsigned)d) / 10)
		return false;
	*v = *v * 10 + (unsigned)d;
	return true;
}

bool money_parse(const char *s, enum lang lang, const char *currency, long long *minor)
{
	if (!s)
		return false;
	while (space_at(s))
		s += space_at(s);
	bool neg = *s == '-';
	s += neg;
	/* French writes a decimal comma (and some a point for groups); a point
	 * alone is the machine's decimal mark, also in French. */
	char mark = lang == LANG_FR && strchr(s, ',') ? ',' : '.';
	char group = mark == ',' ? '.' : ',';
	int dec = money_decimals(currency), seen = -1; /* decimals read; -1: no mark yet */
	unsigned long long v = 0;
	bool any = false;
	for (size_t sp; *s; s += sp ? sp : 1) {
		sp = space_at(s);
		if (sp || (*s == group && seen < 0))
			continue;
		if (*s == mark && seen < 0) {
			seen = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || (seen >= 0 && ++seen > dec) || !push_digit(&v, *s - '0'))
			return false;
		any = true;
	}
	for (int k = seen < 0 ? 0 : seen; k < dec; k++)
		if (!push_digit(&v, 0))
			return false;
	if (!any || v > (unsigned long long)LLONG_MAX)
		return false;
	*minor = neg ? -(long long)v : (long long)v;
	return true;
}
