/* fuzz_totp.c — libFuzzer target: the code a person types after the
 * password (totp.h: totp_check's reading of "6 digits, spaces between
 * them").  Any bytes: no crash, no read past them; a code accepted is one
 * of the three steps' codes, and accepted again only at a later step. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "totp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char secret[] = "12345678901234567890";
	char *code = malloc(size + 1);
	if (!code)
		return 0;
	memcpy(code, data, size);
	code[size] = '\0';
	long long now = 1234567890, step = 0;
	if (totp_check(secret, 20, code, now, 0, &step)) {
		long long here = now / TOTP_STEP;
		if (step < here - 1 || step > here + 1)
			abort();
		size_t n = 0;
		for (const char *p = code; *p; p++)
			if (*p != ' ')
				n++;
		if (n != 6)
			abort();
		long long again;
		if (totp_check(secret, 20, code, now, step, &again) && again <= step)
			abort(); /* a code once accepted is not accepted again at its step */
	}
	free(code);
	return 0;
}
