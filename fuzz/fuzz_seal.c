/* fuzz_seal.c — libFuzzer target: a seal file as `suivi seal verify` reads
 * it (seal.h), from anyone.  No crash, no leak; a file said valid has a
 * snapshot whose SHA-256 is the one it names and whose counts are read, and
 * its actions can be walked. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "seal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void count(void *ctx, long long action, const char *status, long long percent)
{
	(void)action, (void)percent;
	if (!status)
		abort();
	++*(long long *)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready)
		ready = sodium_init() >= 0 ? 1 : -1;
	struct seal_check c;
	const char *why = seal_verify((const char *)data, size, &c);
	if (why)
		return 0;
	if (strlen(c.sha256) != 64 || c.outcomes < 0 || c.actions < 0)
		abort();
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	long long n = 0;
	if (strlen(text) == size && seal_each_action(text, count, &n) && n > c.actions)
		abort(); /* every action walked is one counted */
	free(text);
	return 0;
}
