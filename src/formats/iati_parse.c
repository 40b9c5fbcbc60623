/* iati_parse.c — reading an IATI activity file (2.01–2.03) into a struct
 * iati_doc with libxml2 (see iati_parse.h, iati.h).
 *
 * Safety: the reader gets XML_PARSE_NONET and none of XML_PARSE_NOENT,
 * XML_PARSE_DTDLOAD, XML_PARSE_DTDATTR or XML_PARSE_XINCLUDE: no DTD is
 * loaded, no entity (external or internal) is substituted, nothing is
 * fetched.  Text is read from text and CDATA nodes only, so an entity
 * reference contributes nothing (an XXE attempt yields an empty string, a
 * "billion laughs" nothing at all).  No XML_PARSE_HUGE: libxml2's limits
 * on one text node and on nesting depth stay.
 *
 * Memory: a file of 10⁴ activities is read with xmlTextReader, one
 * activity at a time (xmlTextReaderExpand builds that activity's subtree,
 * xmlTextReaderNext lets it go), not as one tree. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "iati.h"
#include "iati_parse.h"
#include "lazy_xml.h"
#include "money.h"
#include "record.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_SKIPS 1000

struct pctx {
	struct iati_doc *d;
	struct iati_activity *a;
	const char *lang; /* the activity's xml:lang */
};

static bool is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !n->ns && strcmp((const char *)n->name, name) == 0;
}

static long line_of(const xmlNode *n)
{
	return xmlGetLineNo(n);
}

static void skip(struct pctx *p, const xmlNode *n, const char *fmt, const char *arg)
{
	if (p->d->nskips > MAX_SKIPS)
		return;
	if (p->d->nskips == MAX_SKIPS) {
		iati_skip(p->d, line_of(n), "more things were left out; only the first %d are listed", MAX_SKIPS);
		return;
	}
	iati_skip(p->d, line_of(n), fmt, arg ? arg : "");
}

/* An attribute's value (a copy, the caller frees) or NULL. */
static char *attr(const xmlNode *n, const char *name)
{
	return (char *)xmlGetNoNsProp(n, (const xmlChar *)name);
}

/* The text of n's own text and CDATA children, trimmed; never an entity's. */
static char *text_of(const xmlNode *n)
{
	struct buf b = BUF_INIT;
	for (const xmlNode *c = n->children; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
			buf_adds(&b, (const char *)c->content);
	const char *s = buf_cstr(&b);
	while (*s && isspace((unsigned char)*s))
		s++;
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	char *out = xstrndup(s, len);
	buf_release(&b);
	return out;
}

static int lang_index(const char *l)
{
	for (int i = 0; l && i < IATI_NLANG; i++)
		if (strncmp(l, iati_langs[i], 2) == 0 && (!l[2] || l[2] == '-' || l[2] == '_'))
			return i;
	return -1;
}

/* Cuts s to max characters (UTF-8), saying so. */
static void cap(struct pctx *p, const xmlNode *n, char **s, size_t max, const char *what)
{
	if (!*s || util_utf8_len(*s) <= max)
		return;
	(*s)[util_utf8_prefix(*s, max)] = '\0';
	skip(p, n, "%s: too long, cut", what);
}

/* The narratives of n into t (French, English, Arabic).  A text only in
 * other languages is kept as English; bare text (IATI 1.x style) counts as
 * one narrative in the activity's language. */
static void narratives(struct pctx *p, const xmlNode *n, struct iati_text *t, size_t max, const char *what)
{
	char *other = NULL, *other_lang = NULL;
	bool any = false;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (!is(c, "narrative"))
			continue;
		any = true;
		char *l = (char *)xmlGetNsProp(c, (const xmlChar *)"lang", XML_XML_NAMESPACE);
		const char *lang = l ? l : p->lang;
		int i = lang_index(lang);
		char *s = text_of(c);
		if (i >= 0 && !t->t[i] && *s) {
			t->t[i] = s;
		} else if (i < 0 && !other && *s) {
			other = s;
			other_lang = xstrdup(lang ? lang : "?");
		} else {
			free(s);
		}
		xmlFree(l);
	}
	if (!any) {
		char *s = text_of(n);
		int i = lang_index(p->lang);
		if (*s && !t->t[i < 0 ? IATI_EN : i])
			t->t[i < 0 ? IATI_EN : i] = s;
		else
			free(s);
	}
	if (other && !t->t[IATI_FR] && !t->t[IATI_EN] && !t->t[IATI_AR]) {
		t->t[IATI_EN] = other;
		other = NULL;
		skip(p, n, "%s: no French, English or Arabic text; the one given is kept as English", what);
	} else if (other) {
		skip(p, n, "%s: a translation in a language other than French, English or Arabic was left out", what);
	}
	free(other);
	free(other_lang);
	for (int i = 0; i < IATI_NLANG; i++)
		cap(p, n, &t->t[i], max, what);
}

static bool valid_date(const char *s)
{
	return s && strlen(s) == 10 && util_valid_date(s);
}

/* An ISO date attribute into out[11]; false when missing or not a date. */
static bool date_attr(const xmlNode *n, const char *name, char out[11])
{
	char *s = attr(n, name);
	bool ok = valid_date(s);
	if (ok)
		memcpy(out, s, 11);
	xmlFree(s);
	return ok;
}

static int int_attr(const xmlNode *n, const char *name, int def)
{
	char *s = attr(n, name);
	long long v = def;
	if (s && !util_parse_ll(s, &v))
		v = -1;
	xmlFree(s);
	return v < INT_MIN || v > INT_MAX ? -1 : (int)v;
}

static int parse_org(struct pctx *p, const xmlNode *n)
{
	struct iati_org o = { .line = line_of(n) };
	o.ref = attr(n, "ref");
	if (o.ref && (!*o.ref || rec_pattern_error("iatiid", o.ref) || util_utf8_len(o.ref) > 200)) {
		if (*o.ref)
			skip(p, n, "organisation identifier '%s' is not usable (spaces, / & | ? or too long): left out", o.ref);
		xmlFree(o.ref);
		o.ref = NULL;
	}
	o.type = attr(n, "type");
	if (o.type && rec_pattern_error("orgtype", o.type)) {
		skip(p, n, "unknown organisation type '%s' left out", o.type);
		xmlFree(o.type);
		o.type = NULL;
	}
	narratives(p, n, &o.name, 300, "organisation name");
	if (!o.ref && !o.name.t[0] && !o.name.t[1] && !o.name.t[2]) {
		xmlFree(o.type);
		return -1;
	}
	/* libxml2's strings come from xmlMalloc, which is malloc here; copy to be sure. */
	int k = iati_org_add(p->d);
	struct iati_org *dst = &p->d->orgs[k];
	*dst = o;
	dst->ref = o.ref ? xstrdup(o.ref) : NULL;
	dst->type = o.type ? xstrdup(o.type) : NULL;
	xmlFree(o.ref);
	xmlFree(o.type);
	return k;
}

/* A currency attribute, else the activity's default; "" when neither is known. */
static bool currency_of(struct pctx *p, const xmlNode *n, char out[4])
{
	char *c = attr(n, "currency");
	bool ok;
	if (c) {
		ok = iati_known_currency(c);
		if (ok)
			memcpy(out, c, 4);
		else
			skip(p, n, "unknown currency '%s'", c);
		xmlFree(c);
	} else {
		ok = p->a->currency[0] != '\0';
		if (ok)
			memcpy(out, p->a->currency, 4);
		else
			skip(p, n, "%sno currency and no default-currency", NULL);
	}
	return ok;
}

/* A <value> in minor units of its currency (money.h: XOF has none). */
static bool value_of(struct pctx *p, const xmlNode *v, const char *currency, long long *out)
{
	char *s = text_of(v);
	bool rounded = false, ok = iati_parse_amount(s, money_decimals(currency), out, &rounded);
	if (!ok)
		skip(p, v, "'%s' is not an amount", s);
	else if (rounded)
		skip(p, v, "%samount rounded to the currency's smallest unit", NULL);
	free(s);
	return ok;
}

static void parse_txn(struct pctx *p, const xmlNode *n)
{
	struct iati_txn t = { .provider = -1, .receiver = -1, .line = line_of(n) };
	const xmlNode *type = NULL, *date = NULL, *value = NULL;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (is(c, "transaction-type"))
			type = c;
		else if (is(c, "transaction-date"))
			date = c;
		else if (is(c, "value"))
			value = c;
	}
	t.type = type ? int_attr(type, "code", 0) : 0;
	if (t.type < 1 || t.type > 4) {
		char code[16];
		snprintf(code, sizeof code, "%d", t.type);
		skip(p, n, "transaction of type %s not recorded (only 1 incoming funds, 2 commitment, "
			   "3 disbursement, 4 expenditure)", type ? code : "(none)");
		return;
	}
	if (!value) {
		skip(p, n, "%stransaction without a value not recorded", NULL);
		return;
	}
	if (!(date && date_attr(date, "iso-date", t.date)) && !date_attr(value, "value-date", t.date)) {
		skip(p, n, "%stransaction without a date not recorded", NULL);
		return;
	}
	if (!currency_of(p, value, t.currency) || !value_of(p, value, t.currency, &t.amount)) {
		skip(p, n, "%stransaction not recorded", NULL);
		return;
	}
	t.ref = attr(n, "ref");
	if (t.ref) {
		char *r = xstrdup(t.ref);
		xmlFree(t.ref);
		t.ref = r;
		cap(p, n, &t.ref, 200, "transaction reference");
	}
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (is(c, "description"))
			narratives(p, c, &t.desc, 2000, "transaction description");
		else if (is(c, "provider-org") && t.provider < 0)
			t.provider = parse_org(p, c);
		else if (is(c, "receiver-org") && t.receiver < 0)
			t.receiver = parse_org(p, c);
	}
	struct iati_activity *a = p->a;
	if ((a->ntxns & (a->ntxns - 1)) == 0)
		a->txns = xrealloc(a->txns, (a->ntxns ? 2 * a->ntxns : 1) * sizeof *a->txns);
	a->txns[a->ntxns++] = t;
}

/* A target's or actual's value as a whole number (the database keeps INT). */
static bool whole_value(struct pctx *p, const xmlNode *n, const char *name, long long *out)
{
	char *s = attr(n, name);
	if (!s)
		return false;
	bool rounded = false, ok = iati_parse_amount(s, 0, out, &rounded);
	if (ok) {
		if (rounded)
			skip(p, n, "value %s rounded to a whole number", s);
	} else {
		skip(p, n, "value '%s' is not a number: left out", s);
	}
	xmlFree(s);
	return ok;
}

static int row_rank(const struct iati_prow *r)
{
	return !r->sex && !r->country[0] ? 0 : r->sex ? r->sex : 3;
}

static int row_cmp(const void *x, const void *y)
{
	const struct iati_prow *a = x, *b = y;
	int c = strcmp(a->start, b->start);
	if (!c)
		c = strcmp(a->end, b->end);
	if (!c)
		c = row_rank(a) - row_rank(b);
	if (!c)
		c = strcmp(a->country, b->country);
	return c;
}

static struct iati_prow *row_for(struct iati_indicator *ind, const char *start, const char *end, int sex,
				 const char *country)
{
	for (size_t i = 0; i < ind->nrows; i++) {
		struct iati_prow *r = &ind->rows[i];
		if (strcmp(r->start, start) == 0 && strcmp(r->end, end) == 0 && r->sex == sex &&
		    strcmp(r->country, country) == 0)
			return r;
	}
	ind->rows = xrealloc(ind->rows, (ind->nrows + 1) * sizeof *ind->rows);
	struct iati_prow *r = &ind->rows[ind->nrows++];
	memset(r, 0, sizeof *r);
	memcpy(r->start, start, 11);
	memcpy(r->end, end, 11);
	r->sex = sex;
	snprintf(r->country, sizeof r->country, "%s", country);
	return r;
}

static int sex_code(const char *v)
{
	if (!v)
		return 0;
	if (!strcmp(v, "1") || !strcasecmp(v, "female") || !strcasecmp(v, "f"))
		return 1;
	if (!strcmp(v, "2") || !strcasecmp(v, "male") || !strcasecmp(v, "m"))
		return 2;
	return 0;
}

/* One <target> or <actual>: its dimensions say which row it fills. */
static void parse_value(struct pctx *p, struct iati_indicator *ind, const char *start, const char *end,
			const xmlNode *n, bool actual)
{
	int sex = 0;
	char country[3] = "";
	bool usable = true;
	for (const xmlNode *c = n->children; c && usable; c = c->next) {
		if (is(c, "location")) {
			skip(p, c, "%sa value for one location not recorded (only totals, sex and country)", NULL);
			usable = false;
		} else if (is(c, "dimension")) {
			char *name = attr(c, "name"), *v = attr(c, "value");
			if (name && !strcmp(name, "sex") && sex_code(v) && !sex && !country[0]) {
				sex = sex_code(v);
			} else if (name && !strcmp(name, "country") && v && strlen(v) == 2 && isupper((unsigned char)v[0]) &&
				   isupper((unsigned char)v[1]) && !sex && !country[0]) {
				memcpy(country, v, 3);
			} else {
				skip(p, c, "a value for dimension '%s' not recorded (only a total, or by sex or by country)",
				     name ? name : "");
				usable = false;
			}
			xmlFree(name);
			xmlFree(v);
		}
	}
	if (!usable)
		return;
	long long v = 0;
	bool has = whole_value(p, n, "value", &v);
	struct iati_prow *r = row_for(ind, start, end, sex, country);
	if (actual) {
		r->has_actual = has;
		r->actual = v;
	} else {
		r->has_target = has;
		r->target = v;
	}
	for (const xmlNode *c = n->children; c; c = c->next)
		if (is(c, "comment") && actual && !sex && !country[0])
			narratives(p, c, &r->comment, 4000, "period comment");
}

static void parse_period(struct pctx *p, struct iati_indicator *ind, const xmlNode *n)
{
	char start[11] = "", end[11] = "";
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (is(c, "period-start"))
			date_attr(c, "iso-date", start);
		else if (is(c, "period-end"))
			date_attr(c, "iso-date", end);
	}
	if (!start[0] || !end[0] || strcmp(start, end) > 0) {
		skip(p, n, "%speriod without a valid start and end not recorded", NULL);
		return;
	}
	row_for(ind, start, end, 0, ""); /* the total row, even without values */
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (is(c, "target"))
			parse_value(p, ind, start, end, c, false);
		else if (is(c, "actual"))
			parse_value(p, ind, start, end, c, true);
	}
}

static void parse_indicator(struct pctx *p, struct iati_result *r, const xmlNode *n)
{
	int measure = int_attr(n, "measure", 1);
	if (measure != 1 && measure != 2) {
		char m[16];
		snprintf(m, sizeof m, "%d", measure);
		skip(p, n, "indicator of measure %s not recorded (only 1 unit and 2 percentage)", m);
		return;
	}
	r->ind = xrealloc(r->ind, (r->nind + 1) * sizeof *r->ind);
	struct iati_indicator *ind = &r->ind[r->nind++];
	memset(ind, 0, sizeof *ind);
	ind->measure = measure;
	ind->line = line_of(n);
	char *asc = attr(n, "ascending");
	ind->ascending = !asc || !(strcmp(asc, "0") == 0 || strcmp(asc, "false") == 0);
	xmlFree(asc);
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (is(c, "title")) {
			narratives(p, c, &ind->title, 1000, "indicator title");
		} else if (is(c, "baseline") && !ind->has_baseline) {
			int year = int_attr(c, "year", -1);
			if (year >= 1900 && year <= 2200) {
				ind->has_baseline = true;
				ind->baseline_year = year;
				ind->has_baseline_value = whole_value(p, c, "value", &ind->baseline);
			} else {
				skip(p, c, "%sbaseline without a valid year not recorded", NULL);
			}
		} else if (is(c, "period")) {
			parse_period(p, ind, c);
		}
	}
	if (ind->nrows > 1)
		qsort(ind->rows, ind->nrows, sizeof *ind->rows, row_cmp);
}

static void parse_result(struct pctx *p, const xmlNode *n)
{
	int type = int_attr(n, "type", 0);
	if (type < 1 || type > 3) {
		char t[16];
		snprintf(t, sizeof t, "%d", type);
		skip(p, n, "result of type %s not recorded (only 1 output, 2 outcome, 3 impact)", t);
		return;
	}
	struct iati_activity *a = p->a;
	a->results = xrealloc(a->results, (a->nresults + 1) * sizeof *a->results);
	struct iati_result *r = &a->results[a->nresults++];
	memset(r, 0, sizeof *r);
	r->type = type;
	r->line = line_of(n);
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (is(c, "title"))
			narratives(p, c, &r->title, 1000, "result title");
		else if (is(c, "description") && !r->desc.t[0] && !r->desc.t[1] && !r->desc.t[2])
			narratives(p, c, &r->desc, 20000, "result description");
		else if (is(c, "indicator"))
			parse_indicator(p, r, c);
	}
}

static void add_str(char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

static void parse_sector(struct pctx *p, const xmlNode *n)
{
	char *voc = attr(n, "vocabulary"), *code = attr(n, "code");
	struct iati_activity *a = p->a;
	if (!code) {
		skip(p, n, "%ssector without a code left out", NULL);
	} else if (!voc || strcmp(voc, "1") == 0) {
		add_str(&a->sectors, &a->nsectors, code);
		a->sector_lines = xrealloc(a->sector_lines, a->nsectors * sizeof *a->sector_lines);
		a->sector_lines[a->nsectors - 1] = line_of(n);
	} else if (strcmp(voc, "99") == 0 || strcmp(voc, "98") == 0) {
		add_str(&a->themes, &a->nthemes, code);
	} else {
		skip(p, n, "sector of vocabulary %s left out (only 1, DAC 5-digit)", voc);
	}
	xmlFree(voc);
	xmlFree(code);
}

static void parse_budget(struct pctx *p, const xmlNode *n, long long sums[2], bool has[2])
{
	int type = int_attr(n, "type", 1);
	if (type != 1 && type != 2)
		return;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (!is(c, "value"))
			continue;
		char cur[4];
		long long v;
		if (!currency_of(p, c, cur) || !value_of(p, c, cur, &v))
			return;
		if (p->a->currency[0] && strcmp(cur, p->a->currency) != 0) {
			skip(p, c, "budget in %s, not the activity's currency: left out", cur);
			return;
		}
		if (v < 0 || (sums[type - 1] > 0 && v > LLONG_MAX / 4 - sums[type - 1]))
			return;
		sums[type - 1] += v;
		has[type - 1] = true;
	}
}

static void set_updated(struct iati_activity *a, const char *s)
{
	/* Kept only as YYYY-MM-DDTHH:MM:SS in UTC (Z or +00:00), the store's form. */
	if (!s || strlen(s) < 19 || s[10] != 'T' || !valid_date((char[11]){ s[0], s[1], s[2], s[3], s[4], s[5], s[6],
									   s[7], s[8], s[9], 0 }))
		return;
	const char *z = s + 19;
	if (*z == '.')
		for (z++; isdigit((unsigned char)*z); z++)
			;
	if (strcmp(z, "Z") != 0 && strcmp(z, "+00:00") != 0)
		return;
	for (int i = 11; i < 19; i++)
		if (i == 13 || i == 16 ? s[i] != ':' : !isdigit((unsigned char)s[i]))
			return;
	memcpy(a->updated, s, 19);
	memcpy(a->updated + 19, "Z", 2);
}

static void parse_participant(struct pctx *p, const xmlNode *c)
{
	struct iati_activity *a = p->a;
	char *role = attr(c, "role");
	if (role && strcmp(role, "1") == 0) {
		int k = parse_org(p, c);
		if (k >= 0) {
			a->donors = xrealloc(a->donors, (a->ndonors + 1) * sizeof *a->donors);
			a->donors[a->ndonors++] = k;
		}
	} else if (role && strcmp(role, "4") == 0 && a->implementer < 0) {
		a->implementer = parse_org(p, c);
	} else {
		skip(p, c, "participating organisation of role %s not recorded (only 1 funding and one 4 implementing)",
		     role ? role : "(none)");
	}
	xmlFree(role);
}

static void parse_activity_child(struct pctx *p, const xmlNode *c, char **desc_type, long long sums[2],
				 bool has[2])
{
	struct iati_activity *a = p->a;
	if (is(c, "iati-identifier")) {
		free(a->identifier);
		a->identifier = text_of(c);
	} else if (is(c, "title")) {
		narratives(p, c, &a->title, 500, "title");
	} else if (is(c, "description")) {
		char *t = attr(c, "type");
		bool general = !t || strcmp(t, "1") == 0;
		if (!*desc_type || (general && strcmp(*desc_type, "1") != 0)) {
			for (int i = 0; i < IATI_NLANG; i++) {
				free(a->desc.t[i]);
				a->desc.t[i] = NULL;
			}
			narratives(p, c, &a->desc, 20000, "description");
			free(*desc_type);
			*desc_type = xstrdup(general ? "1" : t);
		} else {
			skip(p, c, "description of type %s not recorded (one description is kept)", t ? t : "1");
		}
		xmlFree(t);
	} else if (is(c, "participating-org")) {
		parse_participant(p, c);
	} else if (is(c, "activity-status")) {
		int s = int_attr(c, "code", 0);
		if (s >= 1 && s <= 6)
			a->status = s;
		else
			skip(p, c, "%sunknown activity status left out", NULL);
	} else if (is(c, "activity-date")) {
		int t = int_attr(c, "type", 0);
		char d[11];
		if (t < 1 || t > 4 || !date_attr(c, "iso-date", d))
			skip(p, c, "%sactivity date without a known type or a valid date left out", NULL);
		else if (t == 2 || (t == 1 && !a->start[0]))
			memcpy(a->start, d, 11);
		else if (t == 4 || (t == 3 && !a->end[0]))
			memcpy(a->end, d, 11);
	} else if (is(c, "recipient-country")) {
		char *code = attr(c, "code");
		if (code && strlen(code) == 2 && isupper((unsigned char)code[0]) && isupper((unsigned char)code[1])) {
			a->countries = xrealloc(a->countries, (a->ncountries + 1) * sizeof *a->countries);
			memcpy(a->countries[a->ncountries++], code, 3);
		} else {
			skip(p, c, "recipient country '%s' is not a country code: left out", code ? code : "");
		}
		xmlFree(code);
	} else if (is(c, "recipient-region")) {
		char *code = attr(c, "code");
		skip(p, c, "recipient region %s not recorded (only countries)", code ? code : "");
		xmlFree(code);
	} else if (is(c, "sector")) {
		parse_sector(p, c);
	} else if (is(c, "budget")) {
		parse_budget(p, c, sums, has);
	} else if (is(c, "transaction")) {
		parse_txn(p, c);
	} else if (is(c, "result")) {
		parse_result(p, c);
	}
}

static void parse_activity(struct iati_doc *d, const xmlNode *n)
{
	struct iati_activity *a = iati_act_add(d);
	a->line = line_of(n);
	a->status = 2;
	char *lang = (char *)xmlGetNsProp(n, (const xmlChar *)"lang", XML_XML_NAMESPACE);
	struct pctx p = { .d = d, .a = a, .lang = lang ? lang : "en" };
	char *cur = attr(n, "default-currency");
	if (cur && iati_known_currency(cur))
		memcpy(a->currency, cur, 4);
	else if (cur)
		skip(&p, n, "unknown default currency '%s' left out", cur);
	xmlFree(cur);
	char *up = attr(n, "last-updated-datetime");
	set_updated(a, up);
	xmlFree(up);
	char *sample = (char *)xmlGetNsProp(n, (const xmlChar *)"sample", (const xmlChar *)IATI_SUIVI_NS);
	a->sample = sample && strcmp(sample, "1") == 0;
	xmlFree(sample);

	char *desc_type = NULL;
	long long sums[2] = { 0, 0 };
	bool has[2] = { false, false };
	for (const xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			parse_activity_child(&p, c, &desc_type, sums, has);
	free(desc_type);
	/* The programme's budget: the original budgets' sum, else the revised ones'. */
	if (has[0] || has[1]) {
		a->has_budget = true;
		a->budget = has[0] ? sums[0] : sums[1];
	}
	if (!a->currency[0]) /* the programme needs one: its first transaction's, else USD */
		memcpy(a->currency, a->ntxns ? a->txns[0].currency : "USD", 4);
	xmlFree(lang);
}

struct errs {
	char *msg;
	long line;
};

static void on_error(void *ctx, xmlErrorPtr e)
{
	struct errs *x = ctx;
	if (x->msg || !e || e->level < XML_ERR_ERROR)
		return;
	const char *m = e->message ? e->message : "malformed XML";
	size_t n = strlen(m);
	while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
		n--;
	x->msg = xstrndup(m, n);
	x->line = e->line;
}

static void fail(struct iati_doc *d, long line, const char *msg)
{
	if (d->error)
		return;
	d->error = xstrdup(msg);
	d->error_line = line;
}

static void check_root(struct iati_doc *d, xmlTextReaderPtr r)
{
	long line = xmlTextReaderGetParserLineNumber(r);
	const char *name = (const char *)xmlTextReaderConstLocalName(r);
	if (!name || strcmp(name, "iati-activities") != 0 || xmlTextReaderConstNamespaceUri(r)) {
		fail(d, line, "not an IATI activity file (the root element is not iati-activities)");
		return;
	}
	char *v = (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)"version");
	if (!v)
		iati_skip(d, line, "no version given: read as 2.03");
	else if (strcmp(v, "2.01") != 0 && strcmp(v, "2.02") != 0 && strcmp(v, "2.03") != 0) {
		char *m = xasprintf("IATI version %.20s is not read (only 2.01, 2.02 and 2.03)", v);
		fail(d, line, m);
		free(m);
	}
	xmlFree(v);
}

bool iati_parse(const char *data, size_t n, struct iati_doc *d)
{
	memset(d, 0, sizeof *d);
	if (n > INT_MAX) {
		fail(d, 0, "the file is too large");
		return false;
	}
	const char *missing;
	if (!lazylib_xml(&missing)) { /* loaded on the first file read (lazylib.h) */
		fail(d, 0, missing);
		return false;
	}
	xmlLineNumbersDefault(1);
	struct errs errs = { 0 };
	xmlTextReaderPtr r = xmlReaderForMemory(data, (int)n, NULL, NULL,
						XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!r) {
		fail(d, 0, "cannot read the file");
		return false;
	}
	xmlTextReaderSetStructuredErrorHandler(r, on_error, &errs);
	bool root = false;
	int ret = xmlTextReaderRead(r);
	while (ret == 1 && !d->error) {
		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) {
			ret = xmlTextReaderRead(r);
			continue;
		}
		int depth = xmlTextReaderDepth(r);
		if (depth == 0) {
			root = true;
			check_root(d, r);
			ret = xmlTextReaderRead(r);
			continue;
		}
		const char *name = (const char *)xmlTextReaderConstLocalName(r);
		if (depth == 1 && name && strcmp(name, "iati-activity") == 0 && !xmlTextReaderConstNamespaceUri(r)) {
			xmlNodePtr node = xmlTextReaderExpand(r);
			if (!node)
				break;
			parse_activity(d, node);
		}
		ret = xmlTextReaderNext(r);
	}
	if (!d->error && (ret < 0 || errs.msg))
		fail(d, errs.msg ? errs.line : xmlTextReaderGetParserLineNumber(r),
		     errs.msg ? errs.msg : "malformed XML");
	if (!d->error && !root)
		fail(d, 0, "empty file");
	free(errs.msg);
	xmlFreeTextReader(r);
	return d->error == NULL;
}
