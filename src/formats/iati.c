/* iati.c — see iati.h: the in-memory activity file, the code tables, and
 * the XML writer.  The writer is our own (a buffer and careful escaping)
 * rather than libxml2's xmlTextWriter: it only ever writes this one shape,
 * and it does so at the speed of memcpy (bench/iati). */
#define _POSIX_C_SOURCE 200809L
#include "iati.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

const char *const iati_langs[IATI_NLANG] = { "fr", "en", "ar" };

/* ---- the in-memory file --------------------------------------------------------------- */

static void text_free(struct iati_text *t)
{
	for (int i = 0; i < IATI_NLANG; i++)
		free(t->t[i]);
}

static void act_free(struct iati_activity *a)
{
	free(a->identifier);
	text_free(&a->title);
	text_free(&a->desc);
	free(a->donors);
	free(a->countries);
	for (size_t i = 0; i < a->nthemes; i++)
		free(a->themes[i]);
	free(a->themes);
	for (size_t i = 0; i < a->nsectors; i++)
		free(a->sectors[i]);
	free(a->sectors);
	free(a->sector_lines);
	for (size_t i = 0; i < a->ntxns; i++) {
		free(a->txns[i].ref);
		text_free(&a->txns[i].desc);
	}
	free(a->txns);
	for (size_t i = 0; i < a->nresults; i++) {
		struct iati_result *r = &a->results[i];
		text_free(&r->title);
		text_free(&r->desc);
		for (size_t j = 0; j < r->nind; j++) {
			text_free(&r->ind[j].title);
			for (size_t k = 0; k < r->ind[j].nrows; k++)
				text_free(&r->ind[j].rows[k].comment);
			free(r->ind[j].rows);
		}
		free(r->ind);
	}
	free(a->results);
}

static void org_free(struct iati_org *o)
{
	free(o->ref);
	free(o->type);
	text_free(&o->name);
}

void iati_doc_free(struct iati_doc *d)
{
	for (size_t i = 0; i < d->nacts; i++)
		act_free(&d->acts[i]);
	free(d->acts);
	for (size_t i = 0; i < d->norgs; i++)
		org_free(&d->orgs[i]);
	free(d->orgs);
	org_free(&d->reporting);
	for (size_t i = 0; i < d->nskips; i++)
		free(d->skips[i].msg);
	free(d->skips);
	free(d->error);
	memset(d, 0, sizeof *d);
}

/* Grows an array of n elements to hold one more (doubling capacities that
 * are powers of two: the capacity is implied by n). */
static void *grow(void *p, size_t n, size_t size)
{
	if (n == 0)
		return xrealloc(p, 4 * size);
	if (n >= 4 && (n & (n - 1)) == 0)
		return xrealloc(p, 2 * n * size);
	return p;
}

int iati_org_add(struct iati_doc *d)
{
	d->orgs = grow(d->orgs, d->norgs, sizeof *d->orgs);
	memset(&d->orgs[d->norgs], 0, sizeof *d->orgs);
	return (int)d->norgs++;
}

struct iati_activity *iati_act_add(struct iati_doc *d)
{
	d->acts = grow(d->acts, d->nacts, sizeof *d->acts);
	struct iati_activity *a = &d->acts[d->nacts++];
	memset(a, 0, sizeof *a);
	a->implementer = -1;
	return a;
}

void iati_skip(struct iati_doc *d, long line, const char *fmt, ...)
{
	d->skips = grow(d->skips, d->nskips, sizeof *d->skips);
	va_list ap;
	va_start(ap, fmt);
	struct buf m = BUF_INIT;
	buf_vprintf(&m, fmt, ap);
	va_end(ap);
	buf_cstr(&m);
	d->skips[d->nskips++] = (struct iati_skip){ .line = line, .msg = buf_detach(&m) };
}

/* ---- codes ---------------------------------------------------------------------------- */

/* Themes (data/themes.json) → DAC 5-digit purpose codes, the one place
 * they are chosen.  Codes and their scope notes from
 * ../shared/iati/codelists/Sector.xml (all active):
 *   15130 Legal and judicial development — "law enforcement agencies,
 *         police, prisons …; border management";
 *   15113 Anti-corruption organisations and institutions — "money-laundering
 *         and other aspects of organised crime";
 *   15210 Security system management and reform — law enforcement
 *         agencies and the security system;
 *   15220 Civilian peace-building, conflict prevention and resolution;
 *   15160 Human rights. */
static const struct {
	const char *theme, *dac;
} theme_sectors[] = {
	{ "maritime_security", "15210" },  { "border_security", "15130" },
	{ "terrorist_financing", "15113" }, { "pcve", "15220" },
	{ "criminal_justice", "15130" },   { "prison_management", "15130" },
	{ "terrorist_travel", "15130" },   { "cybersecurity", "15210" },
	{ "vulnerable_targets", "15210" }, { "victims", "15160" },
	{ "aviation_security", "15210" },  { "human_rights_gender", "15160" },
};

const char *iati_theme_sector(const char *theme)
{
	for (size_t i = 0; i < sizeof theme_sectors / sizeof *theme_sectors; i++)
		if (strcmp(theme_sectors[i].theme, theme) == 0)
			return theme_sectors[i].dac;
	return NULL;
}

const char *iati_sector_theme(const char *dac)
{
	for (size_t i = 0; i < sizeof theme_sectors / sizeof *theme_sectors; i++)
		if (strcmp(theme_sectors[i].dac, dac) == 0)
			return theme_sectors[i].theme;
	return NULL;
}

/* codelists/Currency.xml, every code (withdrawn ones occur in old files). */
static const char currencies[] =
	"AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYR "
	"BYN BZD CAD CDF CHF CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EEK EGP ERN ETB EUR FJD "
	"FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS "
	"KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LTL LVL LYD MAD MDL MGA MKD MMK MNT MOP MRO MRU MUR "
	"MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF "
	"SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SSP SRD STD STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD "
	"TZS UAH UGX USD USN USS UYI UYU UZS VED VEF VES VND VUV WST XAF XBT XCD XDR XOF XPF YER ZAR ZMK ZMW "
	"ZWL ";

bool iati_known_currency(const char *code)
{
	if (!code || strlen(code) != 3)
		return false;
	for (const char *p = currencies; *p; p += 4)
		if (memcmp(p, code, 3) == 0)
			return true;
	return false;
}

static int code_of(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i + 1;
	return 0;
}

/* In the order of the enums in model.c, which follow the IATI codes. */
static const char *const statuses[] = { "pipeline", "implementation", "finalisation", "closed", "cancelled",
					"suspended" };
static const char *const txn_kinds[] = { "incoming_funds", "commitment", "disbursement", "expenditure" };
static const char *const levels[] = { "output", "outcome", "impact" };

int iati_status_code(const char *s) { return code_of(statuses, 6, s); }
const char *iati_status_name(int c) { return c >= 1 && c <= 6 ? statuses[c - 1] : NULL; }
int iati_txn_code(const char *s) { return code_of(txn_kinds, 4, s); }
const char *iati_txn_name(int c) { return c >= 1 && c <= 4 ? txn_kinds[c - 1] : NULL; }
int iati_result_code(const char *s) { return code_of(levels, 3, s); }
const char *iati_result_name(int c) { return c >= 1 && c <= 3 ? levels[c - 1] : NULL; }

/* ---- escaping and numbers ------------------------------------------------------------- */

void iati_xml_escape(struct buf *b, const char *s, bool attr)
{
	if (!s)
		return;
	const char *run = s;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		const char *rep = NULL;
		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = attr ? "&quot;" : NULL; break;
		case '\r': rep = "&#13;"; break;
		case '\n': rep = attr ? "&#10;" : NULL; break;
		case '\t': rep = attr ? "&#9;" : NULL; break;
		default:
			if (*p < 0x20)
				rep = ""; /* not allowed in XML 1.0, even as a reference */
		}
		if (!rep)
			continue;
		buf_add(b, run, (size_t)((const char *)p - run));
		buf_adds(b, rep);
		run = (const char *)p + 1;
	}
	buf_adds(b, run);
}

static const unsigned long long pow10s[] = { 1, 10, 100, 1000 };

void iati_amount(struct buf *b, long long minor, int decimals)
{
	if (decimals < 0 || decimals > 3)
		decimals = 2;
	unsigned long long u = minor < 0 ? 0ULL - (unsigned long long)minor : (unsigned long long)minor;
	unsigned long long unit = pow10s[decimals];
	buf_printf(b, "%s%llu", minor < 0 ? "-" : "", u / unit);
	if (decimals)
		buf_printf(b, ".%0*llu", decimals, u % unit);
}

bool iati_parse_amount(const char *s, int decimals, long long *out, bool *rounded)
{
	if (decimals < 0 || decimals > 3)
		decimals = 2;
	unsigned long long unit = pow10s[decimals];
	*rounded = false;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	bool neg = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	unsigned long long whole = 0;
	int digits = 0;
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (whole > (unsigned long long)(LLONG_MAX / 1000 - 10) / 10)
			return false;
		whole = whole * 10 + (unsigned long long)(*s - '0');
	}
	unsigned long long frac = 0;
	int fd = 0;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, fd++) {
			if (fd < decimals)
				frac = frac * 10 + (unsigned long long)(*s - '0');
			else if (fd == decimals && *s >= '5')
				*rounded = true, frac++;
			else if (*s != '0')
				*rounded = true;
		}
	}
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (*s || digits + fd == 0)
		return false;
	for (int k = fd < decimals ? fd : decimals; k < decimals; k++)
		frac *= 10; /* "12.5" with two decimals: 50 cents */
	unsigned long long v = whole * unit + frac; /* (a rounded-up frac may carry into the whole) */
	*out = neg ? -(long long)v : (long long)v;
	return true;
}

/* ---- writing -------------------------------------------------------------------------- */

static void narratives(struct buf *b, const struct iati_text *t)
{
	bool any = false;
	for (int i = 0; i < IATI_NLANG; i++) {
		if (!t->t[i] || !*t->t[i])
			continue;
		buf_printf(b, "<narrative xml:lang=\"%s\">", iati_langs[i]);
		iati_xml_escape(b, t->t[i], false);
		buf_adds(b, "</narrative>");
		any = true;
	}
	if (!any) /* title and description need one: an empty one says "none given" */
		buf_adds(b, "<narrative/>");
}

static bool has_text(const struct iati_text *t)
{
	for (int i = 0; i < IATI_NLANG; i++)
		if (t->t[i] && *t->t[i])
			return true;
	return false;
}

static void attr(struct buf *b, const char *name, const char *v)
{
	if (!v || !*v)
		return;
	buf_printf(b, " %s=\"", name);
	iati_xml_escape(b, v, true);
	buf_addc(b, '"');
}

static void org_attrs(struct buf *b, const struct iati_org *o)
{
	attr(b, "ref", o->ref);
	attr(b, "type", o->type);
}

static void org_elem(struct buf *b, const char *elem, const char *role, const struct iati_org *o)
{
	buf_printf(b, "<%s", elem);
	org_attrs(b, o);
	if (role)
		buf_printf(b, " role=\"%s\"", role);
	if (has_text(&o->name)) {
		buf_addc(b, '>');
		narratives(b, &o->name);
		buf_printf(b, "</%s>", elem);
	} else {
		buf_adds(b, "/>");
	}
}

/* Splits 100 % over n items: 100/n each, the remainder one by one to the first. */
static int share(size_t n, size_t i)
{
	return (int)(100 / n + (i < 100 % n ? 1 : 0));
}

static void write_dates(struct buf *b, const struct iati_activity *a)
{
	/* Started unless still in the pipeline; ended when finalising or closed. */
	bool started = a->status != 1, ended = a->status == 3 || a->status == 4;
	if (a->start[0])
		buf_printf(b, "<activity-date type=\"%d\" iso-date=\"%s\"/>", started ? 2 : 1, a->start);
	if (a->end[0])
		buf_printf(b, "<activity-date type=\"%d\" iso-date=\"%s\"/>", ended ? 4 : 3, a->end);
}

static void write_sectors(struct buf *b, const struct iati_activity *a)
{
	/* DAC codes, once each (two themes may share one), then the themes
	 * themselves in the reporting organisation's vocabulary (99), which the
	 * import reads back exactly. */
	const char *dac[64];
	size_t nd = 0;
	for (size_t i = 0; i < a->nthemes && nd < 64; i++) {
		const char *d = iati_theme_sector(a->themes[i]);
		bool seen = !d;
		for (size_t k = 0; k < nd && !seen; k++)
			seen = strcmp(dac[k], d) == 0;
		if (!seen)
			dac[nd++] = d;
	}
	for (size_t i = 0; i < nd; i++)
		buf_printf(b, "<sector vocabulary=\"1\" code=\"%s\" percentage=\"%d\"/>", dac[i], share(nd, i));
	for (size_t i = 0; i < a->nthemes; i++) {
		buf_adds(b, "<sector vocabulary=\"99\"");
		attr(b, "code", a->themes[i]);
		buf_printf(b, " percentage=\"%d\"/>", share(a->nthemes, i));
	}
}

static void write_txn(struct buf *b, const struct iati_doc *d, const struct iati_activity *a,
		      const struct iati_txn *t)
{
	buf_adds(b, "<transaction");
	attr(b, "ref", t->ref);
	buf_printf(b, "><transaction-type code=\"%d\"/><transaction-date iso-date=\"%s\"/>", t->type, t->date);
	buf_adds(b, "<value");
	if (strcmp(t->currency, a->currency) != 0)
		attr(b, "currency", t->currency);
	buf_printf(b, " value-date=\"%s\">", t->date);
	iati_amount(b, t->amount, money_decimals(t->currency));
	buf_adds(b, "</value>");
	if (has_text(&t->desc)) {
		buf_adds(b, "<description>");
		narratives(b, &t->desc);
		buf_adds(b, "</description>");
	}
	if (t->provider >= 0)
		org_elem(b, "provider-org", NULL, &d->orgs[t->provider]);
	if (t->receiver >= 0)
		org_elem(b, "receiver-org", NULL, &d->orgs[t->receiver]);
	buf_adds(b, "</transaction>");
}

static void write_value(struct buf *b, const char *elem, long long v, const struct iati_prow *r,
			const struct iati_text *comment)
{
	buf_printf(b, "<%s value=\"%lld\"", elem, v);
	if (!r->sex && !r->country[0] && !(comment && has_text(comment))) {
		buf_adds(b, "/>");
		return;
	}
	buf_addc(b, '>');
	if (r->sex)
		buf_printf(b, "<dimension name=\"sex\" value=\"%s\"/>", r->sex == 1 ? "female" : "male");
	if (r->country[0])
		buf_printf(b, "<dimension name=\"country\" value=\"%s\"/>", r->country);
	if (comment && has_text(comment)) {
		buf_adds(b, "<comment>");
		narratives(b, comment);
		buf_adds(b, "</comment>");
	}
	buf_printf(b, "</%s>", elem);
}

/* The rows of one indicator are sorted by dates, total first: each run of
 * equal dates is one <period>, targets then actuals. */
static void write_periods(struct buf *b, const struct iati_indicator *ind)
{
	for (size_t i = 0; i < ind->nrows;) {
		size_t j = i;
		while (j < ind->nrows && strcmp(ind->rows[j].start, ind->rows[i].start) == 0 &&
		       strcmp(ind->rows[j].end, ind->rows[i].end) == 0)
			j++;
		buf_printf(b, "<period><period-start iso-date=\"%s\"/><period-end iso-date=\"%s\"/>", ind->rows[i].start,
			   ind->rows[i].end);
		for (size_t k = i; k < j; k++)
			if (ind->rows[k].has_target)
				write_value(b, "target", ind->rows[k].target, &ind->rows[k], NULL);
		for (size_t k = i; k < j; k++)
			if (ind->rows[k].has_actual)
				write_value(b, "actual", ind->rows[k].actual, &ind->rows[k], &ind->rows[k].comment);
		buf_adds(b, "</period>");
		i = j;
	}
}

static void write_results(struct buf *b, const struct iati_activity *a)
{
	for (size_t i = 0; i < a->nresults; i++) {
		const struct iati_result *r = &a->results[i];
		if (!r->nind) /* the schema wants at least one indicator */
			continue;
		buf_printf(b, "<result type=\"%d\"><title>", r->type);
		narratives(b, &r->title);
		buf_adds(b, "</title>");
		if (has_text(&r->desc)) {
			buf_adds(b, "<description>");
			narratives(b, &r->desc);
			buf_adds(b, "</description>");
		}
		for (size_t j = 0; j < r->nind; j++) {
			const struct iati_indicator *ind = &r->ind[j];
			buf_printf(b, "<indicator measure=\"%d\" ascending=\"%d\"><title>", ind->measure,
				   ind->ascending ? 1 : 0);
			narratives(b, &ind->title);
			buf_adds(b, "</title>");
			if (ind->has_baseline) {
				buf_printf(b, "<baseline year=\"%lld\"", ind->baseline_year);
				if (ind->has_baseline_value)
					buf_printf(b, " value=\"%lld\"", ind->baseline);
				buf_adds(b, "/>");
			}
			write_periods(b, ind);
			buf_adds(b, "</indicator>");
		}
		buf_adds(b, "</result>");
	}
}

static void write_activity(struct buf *b, const struct iati_doc *d, const struct iati_activity *a)
{
	buf_adds(b, "<iati-activity");
	attr(b, "last-updated-datetime", a->updated);
	buf_printf(b, " xml:lang=\"en\" default-currency=\"%s\"", a->currency);
	if (a->sample)
		buf_adds(b, " suivi:sample=\"1\"");
	buf_adds(b, ">\n<iati-identifier>");
	iati_xml_escape(b, a->identifier, false);
	buf_adds(b, "</iati-identifier>");
	org_elem(b, "reporting-org", NULL, &d->reporting);
	buf_adds(b, "<title>");
	narratives(b, &a->title);
	buf_adds(b, "</title><description type=\"1\">");
	narratives(b, &a->desc);
	buf_adds(b, "</description>");
	for (size_t i = 0; i < a->ndonors; i++)
		org_elem(b, "participating-org", "1", &d->orgs[a->donors[i]]);
	if (a->implementer >= 0)
		org_elem(b, "participating-org", "4", &d->orgs[a->implementer]);
	else if (!a->ndonors) { /* one is required: the reporting organisation itself */
		struct iati_org r = d->reporting;
		if (!d->reporting_ref_own) /* the fallback identifier, no record's: by name only */
			r.ref = NULL;
		org_elem(b, "participating-org", "4", &r);
	}
	buf_printf(b, "<activity-status code=\"%d\"/>", a->status);
	if (a->start[0] || a->end[0])
		write_dates(b, a);
	else /* one is required: the last update's date stands for the start
	      * (typed as write_dates would, so that an import and a new export
	      * agree) */
		buf_printf(b, "<activity-date type=\"%d\" iso-date=\"%.10s\"/>", a->status != 1 ? 2 : 1, a->updated);
	for (size_t i = 0; i < a->ncountries; i++)
		buf_printf(b, "<recipient-country code=\"%s\" percentage=\"%d\"/>", a->countries[i],
			   share(a->ncountries, i));
	write_sectors(b, a);
	if (a->has_budget && a->start[0] && a->end[0]) {
		buf_printf(b, "<budget type=\"1\" status=\"1\"><period-start iso-date=\"%s\"/>"
			      "<period-end iso-date=\"%s\"/><value value-date=\"%s\">", a->start, a->end, a->start);
		iati_amount(b, a->budget, money_decimals(a->currency));
		buf_adds(b, "</value></budget>");
	}
	for (size_t i = 0; i < a->ntxns; i++) {
		buf_addc(b, '\n');
		write_txn(b, d, a, &a->txns[i]);
	}
	write_results(b, a);
	buf_adds(b, "\n</iati-activity>\n");
}

void iati_write(const struct iati_doc *d, const char *now, struct buf *out)
{
	buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	if (d->note)
		buf_printf(out, "<!-- suivi: %s -->\n", d->note);
	buf_printf(out, "<iati-activities version=\"2.03\" generated-datetime=\"%s\" "
			"xmlns:suivi=\"" IATI_SUIVI_NS "\">\n", now);
	for (size_t i = 0; i < d->nacts; i++)
		write_activity(out, d, &d->acts[i]);
	buf_adds(out, "</iati-activities>\n");
}

void iati_now(char out[21])
{
	const char *env = getenv("SUIVI_IATI_NOW");
	if (env && strlen(env) == 20 && env[10] == 'T' && env[19] == 'Z')
		memcpy(out, env, 21);
	else
		util_now(out);
}
