/* cells.c — see cells.h. */
#define _POSIX_C_SOURCE 200809L
#include "cells.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "banned.h"

const char *cell_trim(const char *s, size_t *n)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n'))
		len--;
	*n = len;
	return s;
}

bool cell_date(const char *s, size_t n, char out[11])
{
	if (n == 10 && s[4] == '-') {
		memcpy(out, s, 10);
		out[10] = '\0';
		return util_valid_date(out);
	}
	unsigned v[3] = { 0 }; /* day, month, year */
	size_t i = 0;
	char sep = 0;
	for (int part = 0; part < 3; part++) {
		size_t k = 0;
		for (; i < n && isdigit((unsigned char)s[i]) && k < (part == 2 ? 4u : 2u); i++, k++)
			v[part] = v[part] * 10 + (unsigned)(s[i] - '0');
		if (!k || (part == 2 && k != 4))
			return false;
		if (part < 2) {
			if (i == n || !strchr("/.-", s[i]) || (sep && s[i] != sep))
				return false;
			sep = s[i++];
		}
	}
	if (i != n || v[1] > 12 || v[0] > 31)
		return false;
	snprintf(out, 11, "%04u-%02u-%02u", v[2] % 10000, v[1], v[0]);
	return util_valid_date(out);
}

bool cell_bool(const char *folded, long long *out)
{
	static const char *const yes[] = { "1", "true", "yes", "oui", "vrai", "x", "o", "y", NULL };
	static const char *const no[] = { "0", "false", "no", "non", "faux", "n", NULL };
	for (int i = 0; yes[i]; i++)
		if (strcmp(folded, yes[i]) == 0)
			return (*out = 1), true;
	for (int i = 0; no[i]; i++)
		if (strcmp(folded, no[i]) == 0)
			return (*out = 0), true;
	return false;
}
