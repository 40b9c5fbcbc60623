/* money.h — amounts of money as suivi stores and shows them.
 *
 * An amount is a whole number of the currency's ISO 4217 minor unit:
 * cents for USD or EUR (2 decimals), but the unit itself for currencies
 * without a minor unit — XOF and XAF (CFA francs), JPY and the others of
 * money_decimals — so 1,000 XOF is stored as 1000, and thousandths for the
 * 3-decimal dinars (TND, LYD …).  Never a float. */
#ifndef SUIVI_MONEY_H
#define SUIVI_MONEY_H
#include "buf.h"

/* The number of decimals of currency's minor unit (ISO 4217): 0, 2 or 3;
 * 2 for a code not in the tables (and for NULL). */
int money_decimals(const char *currency);

/* Appends "USD 1,250,000.00" (minor = 125000000): the code, a space, the
 * amount with a comma every three digits and a point before the decimals;
 * "-" before a negative amount ("EUR -12.50").  No code when currency is
 * NULL or empty.  The text is plain ASCII: safe in HTML as it is. */
void money_format(struct buf *b, long long minor, const char *currency);

#endif
