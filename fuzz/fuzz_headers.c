/* fuzz_headers.c — libFuzzer target for what suivi parses out of request
 * headers and form bodies itself: the Authorization bearer token and
 * session-cookie checks, Accept-Language, If-Match, and
 * application/x-www-form-urlencoded bodies (login, record forms).
 * The input is split at its first three newlines into those parts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "domain.h"
#include "entity.h"
#include "http.h"
#include "i18n.h"
#include "registry.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	registry_init();
	i18n_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	char *part[4] = { text, "", "", "" };
	for (int i = 1; i < 4; i++) {
		char *nl = strchr(part[i - 1], '\n');
		if (!nl)
			break;
		*nl = '\0';
		part[i] = nl + 1;
	}
	const char *t = auth_bearer_token(part[0]);
	if (t && !auth_token_plausible(t))
		abort(); /* a token is only ever returned when plausible */
	auth_token_plausible(part[0]);
	enum lang l = lang_from_accept(part[1]);
	if (l >= LANG__MAX)
		abort();
	long long version;
	if (dom_parse_etag(part[2], &version) && version < -1)
		abort(); /* an accepted If-Match is a version or "none" */
	struct args form = { 0 };
	args_parse_form(&form, part[3], strlen(part[3]));
	for (size_t i = 0; i < form.n; i++)
		if (!form.a[i].name || !form.a[i].value)
			abort();
	args_get(&form, "_csrf");
	args_release(&form);
	free(text);
	return 0;
}
