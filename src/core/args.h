/* args.h — query and form arguments: the query string of a request, the
 * fields of a urlencoded form (args.c). */
#ifndef SUIVI_ARGS_H
#define SUIVI_ARGS_H
#include <stddef.h>

/* One query or form argument, in the order given. */
struct arg {
	char *name, *value;
};

struct args {
	struct arg *a;
	size_t n;
};

/* The first value of an argument, or NULL. */
const char *args_get(const struct args *a, const char *name);
/* Appends an argument (copies of the nn and vn bytes given). */
void args_add(struct args *a, const char *name, size_t nn, const char *value, size_t vn);
void args_release(struct args *a);
/* Parses application/x-www-form-urlencoded text into a (appending). */
void args_parse_form(struct args *a, const char *s, size_t n);
/* The value of a hexadecimal digit, or -1. */
int args_hexval(char c);

#endif
