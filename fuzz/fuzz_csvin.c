/* fuzz_csvin.c — libFuzzer target: the input as a CSV file through the
 * memory reader (small limits, so that the limit errors are reached) and
 * through the FILE* reader; both must agree, every field must be valid
 * UTF-8 of the length reported, and an error must carry a message. */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "util.h"

static unsigned long long walk(struct csvin *r, long long *records)
{
	unsigned long long sum = 0;
	enum csvin_rc rc;
	long long last = 0;
	while ((rc = csvin_next(r)) == CSVIN_RECORD) {
		if (csvin_count(r) == 0 || csvin_line(r) <= last)
			abort();
		last = csvin_line(r);
		for (size_t i = 0; i < csvin_count(r); i++) {
			const char *s = csvin_field(r, i);
			size_t n = csvin_len(r, i);
			if (strlen(s) != n || (n && !util_valid_utf8(s, n)))
				abort();
			for (size_t k = 0; k < n; k++)
				sum = sum * 31 + (unsigned char)s[k];
			sum += i;
		}
		(*records)++;
	}
	if (rc == CSVIN_ERROR && (!csvin_error(r) || csvin_error_line(r) < 1))
		abort();
	return sum + (rc == CSVIN_ERROR);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csvin_limits small = { .field = 64, .record = 256, .fields = 16 };
	long long n1 = 0, n2 = 0;
	struct csvin *r = csvin_new_mem((const char *)data, size, &small);
	walk(r, &n1);
	csvin_free(r);

	r = csvin_new_mem((const char *)data, size, NULL);
	unsigned long long a = walk(r, &n1);
	csvin_free(r);
	FILE *f = fmemopen((void *)data, size ? size : 1, "rb");
	if (!f)
		return 0;
	if (size == 0) { /* fmemopen refuses a size of 0 */
		fclose(f);
		return 0;
	}
	r = csvin_new_file(f, NULL);
	unsigned long long b = walk(r, &n2);
	if (csvin_offset(r) > size)
		abort();
	csvin_free(r);
	fclose(f);
	if (a != b)
		abort();
	return 0;
}
