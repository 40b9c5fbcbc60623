/* fuzz_query.c — libFuzzer target: the input as a query string through
 * args_parse_form and dom_parse_query for every entity; the input as a C
 * string through dom_parse_etag, dom_valid_key and lang_from_accept. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "entity.h"
#include "http.h"
#include "i18n.h"
#include "registry.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	registry_init();
	i18n_init();
	return 0;
}

static void query(const struct entity *e, const struct args *a, const char *const *ignore)
{
	struct query q;
	char *msg = NULL;
	enum app_err rc = dom_parse_query(e, a, ignore, NULL, &q, &msg);
	if (rc == APP_OK) {
		if (msg || q.e != e || q.limit < 0 || q.limit > LIST_LIMIT_MAX || q.offset < 0 ||
		    q.nfilters < 0 || q.nfilters > QUERY_MAX_FILTERS)
			abort();
	} else if (rc != APP_BAD_QUERY || !msg) {
		abort();
	}
	free(msg);
	dom_query_release(&q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ignore[] = { "limit", "offset", "lang", NULL };
	struct args a = { 0 };
	args_parse_form(&a, (const char *)data, size);
	for (size_t i = 0; i < entities_count; i++) {
		query(entities[i], &a, NULL);
		query(entities[i], &a, ignore);
	}
	args_get(&a, "q");
	args_release(&a);

	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	long long v;
	if (dom_parse_etag(s, &v) && v < -2)
		abort();
	for (size_t i = 0; i < entities_count; i++)
		dom_valid_key(entities[i], s);
	enum lang l = lang_from_accept(s);
	if (l < 0 || l >= LANG__MAX)
		abort();
	free(s);
	return 0;
}
