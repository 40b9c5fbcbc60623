/* money.c — see money.h. */
#include "money.h"

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

void money_format(struct buf *b, long long minor, const char *currency)
{
	int dec = money_decimals(currency);
	/* unsigned: -LLONG_MIN does not fit a long long */
	unsigned long long v = minor < 0 ? 0ULL - (unsigned long long)minor : (unsigned long long)minor;
	unsigned long long scale = dec == 0 ? 1 : dec == 3 ? 1000 : 100;
	unsigned long long units = v / scale, frac = v % scale;
	char digits[32];
	int n = snprintf(digits, sizeof digits, "%llu", units);
	if (currency && *currency) {
		buf_adds(b, currency);
		buf_addc(b, ' ');
	}
	if (minor < 0)
		buf_addc(b, '-');
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf_addc(b, ',');
		buf_addc(b, digits[i]);
	}
	if (dec)
		buf_printf(b, ".%0*llu", dec, frac);
}
