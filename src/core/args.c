/* args.c — see args.h. */
#define _POSIX_C_SOURCE 200809L
#include "args.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "banned.h"

const char *args_get(const struct args *a, const char *name)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->a[i].name, name) == 0)
			return a->a[i].value;
	return NULL;
}

void args_release(struct args *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->a[i].name);
		free(a->a[i].value);
	}
	free(a->a);
	a->a = NULL;
	a->n = 0;
}

void args_add(struct args *a, const char *name, size_t nn, const char *value, size_t vn)
{
	a->a = xrealloc(a->a, (a->n + 1) * sizeof *a->a);
	a->a[a->n].name = xstrndup(name, nn);
	a->a[a->n].value = xstrndup(value, vn);
	a->n++;
}

int args_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes %XX and '+' in place; returns the new length. */
static size_t url_decode(char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			s[o++] = ' ';
		} else if (s[i] == '%' && i + 2 < n && args_hexval(s[i + 1]) >= 0 &&
			   args_hexval(s[i + 2]) >= 0) {
			s[o++] = (char)(args_hexval(s[i + 1]) * 16 + args_hexval(s[i + 2]));
			i += 2;
		} else {
			s[o++] = s[i];
		}
	}
	return o;
}

void args_parse_form(struct args *a, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t end = i;
		while (end < n && s[end] != '&')
			end++;
		size_t eq = i;
		while (eq < end && s[eq] != '=')
			eq++;
		if (end > i) {
			char *name = xstrndup(s + i, eq - i);
			char *value = xstrndup(s + (eq < end ? eq + 1 : end), eq < end ? end - eq - 1 : 0);
			size_t nn = url_decode(name, strlen(name));
			size_t vn = url_decode(value, strlen(value));
			args_add(a, name, nn, value, vn);
			free(name);
			free(value);
		}
		i = end + 1;
	}
}
