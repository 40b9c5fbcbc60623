/* money.h — amounts of money as suivi stores them, and numbers, amounts and
 * percentages as each reader's language writes them.
 *
 * An amount is a whole number of the currency's ISO 4217 minor unit:
 * cents for USD or EUR (2 decimals), but the unit itself for currencies
 * without a minor unit — XOF and XAF (CFA francs), JPY and the others of
 * money_decimals — so 1,000 XOF is stored as 1000, and thousandths for the
 * 3-decimal dinars (TND, LYD …).  Never a float.
 *
 * The writing follows CLDR (number and currency patterns with the ISO code
 * in place of the symbol):
 *   fr  1 200 000,00 USD   groups U+202F, decimal comma, U+00A0 before the
 *                          code; 12 % (U+202F before the sign)
 *   en  USD 1,200,000.00   (-USD 12.50); 12%
 *   ar  1,200,000.00 USD   CLDR ar's Latin-digit system ("latn"), usual in
 *                          UN Arabic documents; 12%
 * The texts are plain text safe in HTML as they are (digits, ASCII signs,
 * the ISO code and the two no-break spaces).  Pages, reports and labels use
 * these; the API, CSV and IATI keep machine numbers. */
#ifndef SUIVI_MONEY_H
#define SUIVI_MONEY_H
#include "buf.h"
#include "i18n.h"

/* The number of decimals of currency's minor unit (ISO 4217): 0, 2 or 3;
 * 2 for a code not in the tables (and for NULL). */
int money_decimals(const char *currency);

/* Appends amount `minor` of currency as lang writes it (above); no code
 * when currency is NULL or empty.  money_format(b, LANG_EN, 125000000,
 * "USD") is "USD 1,250,000.00". */
void money_format(struct buf *b, enum lang lang, long long minor, const char *currency);
/* The same, isolated from the text direction where lang is written right
 * to left (<bdi dir="ltr">…</bdi>), for HTML. */
void money_html(struct buf *b, enum lang lang, long long minor, const char *currency);

/* A count: 1 200 (fr), 1,200 (en, ar). */
void num_format(struct buf *b, enum lang lang, long long v);
/* A number with dec decimals given as an integer scaled by 10^dec
 * (num_fixed(b, LANG_FR, 198, 1) is "19,8"); dec from 0 to 3. */
void num_fixed(struct buf *b, enum lang lang, long long scaled, int dec);
/* A percentage, scaled as num_fixed: "12 %" (fr), "12%" (en, ar). */
void num_percent(struct buf *b, enum lang lang, long long scaled, int dec);
/* HTML: num_format / num_percent isolated from the text direction in a
 * right-to-left language, as money_html. */
void num_html(struct buf *b, enum lang lang, long long v);
void num_percent_html(struct buf *b, enum lang lang, long long scaled, int dec);
/* num_fixed as HTML (isolated as num_html) in the caller's array, for a
 * number inside a translated message:
 *   char a[NUM_TEXT_MAX], c[NUM_TEXT_MAX];
 *   buf_printf(b, _("%s of %s done"), num_text(a, lang, done, 0), num_text(c, lang, total, 0));
 * Answers out. */
#define NUM_TEXT_MAX 80
const char *num_text(char out[static NUM_TEXT_MAX], enum lang lang, long long scaled, int dec);
/* "1–50 of 1 200" (fr "1–50 sur 1 200"): a pager's place in a list, the
 * range and the total isolated from the text direction, for HTML. */
void num_range_of(struct buf *b, enum lang lang, long long from, long long to, long long total);
/* Opens (open) or closes the left-to-right island of a number written by
 * the caller in lang: <bdi dir="ltr"> in a right-to-left language, nothing
 * otherwise. */
void num_isolate(struct buf *b, enum lang lang, bool open);

/* The amount in currency units as a machine writes it, for a form's box:
 * "250000.00", "-12.50", "1000" (XOF): no groups, a point. */
void money_units(struct buf *b, long long minor, const char *currency);

/* Reads an amount typed in currency units as lang or a machine writes it
 * ("250000.00", "250 000,00", "250,000.50", "-12", with a space, U+00A0 or
 * U+202F between groups) into minor units of currency; false when it is no
 * such amount, has more decimals than the currency's or does not fit. */
bool money_parse(const char *s, enum lang lang, const char *currency, long long *minor);

#endif
