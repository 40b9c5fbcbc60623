/* test_sdc.c — sdc.c, the statistical disclosure control of the figures
 * published to readers who are not staff: counts rounded to a multiple of 5,
 * the same for the same cell key, unbiased over keys; which groups are hidden;
 * means and rates as published. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sdc.h"

/* A key as the sum of record keys gives it: any 64-bit sum. */
static long long key_of(unsigned i)
{
	return (long long)((unsigned long long)i * 2654435761u * 40503u + 12345u);
}

static void test_multiples_of_5(void **state)
{
	(void)state;
	for (long long n = 0; n < 200; n++)
		for (unsigned k = 0; k < 50; k++) {
			long long p = sdc_count(n, key_of(k), SDC_RECORDS);
			assert_int_equal(p % SDC_BASE, 0);
			assert_true(p > n - SDC_BASE && p < n + SDC_BASE); /* within 4 */
			if (n % SDC_BASE == 0)
				assert_int_equal(p, n); /* a multiple of 5 is kept */
		}
	assert_int_equal(sdc_count(0, 12345, SDC_RECORDS), 0);
}

static void test_same_key_same_figure(void **state)
{
	(void)state;
	for (unsigned k = 0; k < 100; k++) {
		long long key = key_of(k);
		assert_int_equal(sdc_count(7, key, SDC_RECORDS), sdc_count(7, key, SDC_RECORDS));
		/* only the key modulo 2^32 counts */
		assert_int_equal(sdc_count(13, key, SDC_RECORDS), sdc_count(13, key + (1LL << 32), SDC_RECORDS));
	}
}

/* Over many keys, n = 5q + r goes up with probability r/5: the mean of the
 * published counts is n (within sampling error), for every measure. */
static void test_unbiased(void **state)
{
	(void)state;
	enum { KEYS = 20000 };
	for (int m = SDC_RECORDS; m <= SDC_PERSON_DAYS; m++)
		for (long long n = 1; n <= 9; n++) {
			double sum = 0;
			for (unsigned k = 0; k < KEYS; k++)
				sum += (double)sdc_count(n, key_of(k), (enum sdc_measure)m);
			assert_true(fabs(sum / KEYS - (double)n) < 0.1);
		}
}

/* The measures draw apart: days and records of the same key do not always
 * round the same way. */
static void test_measures_apart(void **state)
{
	(void)state;
	int differ = 0;
	for (unsigned k = 0; k < 1000; k++)
		differ += sdc_count(12, key_of(k), SDC_RECORDS) != sdc_count(12, key_of(k), SDC_PERSON_DAYS);
	assert_true(differ > 300 && differ < 700); /* independent draws: about 2 × 0.4 × 0.6 */
}

static void test_hidden(void **state)
{
	(void)state;
	assert_false(sdc_hidden(0, 0)); /* an empty group has nobody to protect */
	for (long long e = 1; e < SDC_MIN_GROUP; e++)
		assert_true(sdc_hidden(e, -1));
	assert_false(sdc_hidden(5, -1));
	assert_false(sdc_hidden(5, 0));
	assert_true(sdc_hidden(40, 4));
	assert_false(sdc_hidden(40, 5));
}

static void test_view(void **state)
{
	(void)state;
	struct sdc_counts c = { .enrolments = 23, .completed = 17, .people = 11, .scored = 9, .key_enrolments = 1,
				.key_completed = 2, .key_people = 3, .key_scored = 4 };
	struct sdc_view v;
	sdc_view(&c, true, &v);
	assert_int_equal(v.enrolments, 23);
	assert_int_equal(v.people, 11);
	assert_float_equal(v.completion, 17.0 / 23.0, 1e-12);
	sdc_view(&c, false, &v);
	assert_false(v.hidden);
	assert_int_equal(v.enrolments % 5, 0);
	assert_int_equal(v.people % 5, 0);
	/* the rate of the rounded counts, to the percent */
	assert_float_equal(v.completion, fmin(1, round(100.0 * (double)v.completed / (double)v.enrolments) / 100), 1e-12);
	c.enrolments = 9; /* under SDC_MIN_N: no rate */
	sdc_view(&c, false, &v);
	assert_true(isnan(v.completion));
	c.people = 2; /* hidden */
	sdc_view(&c, false, &v);
	assert_true(v.hidden);
}

static void test_means(void **state)
{
	(void)state;
	assert_float_equal(sdc_mean_of(147, 10, false), 14.7, 1e-12);
	assert_float_equal(sdc_mean_of(-31, 12, false), -2.6, 1e-12);
	assert_true(isnan(sdc_mean_of(7, 2, false))); /* two people: nothing */
	assert_float_equal(sdc_mean_of(7, 2, true), 3.5, 1e-12); /* staff: exact */
	assert_true(isnan(sdc_mean_of(0, 0, true)));
	assert_float_equal(sdc_rate(12, 10), 1, 0); /* at most 100 % */
	assert_float_equal(sdc_rate(2, 3), 0.67, 1e-12);
	assert_true(isnan(sdc_rate(1, 0)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_multiples_of_5), cmocka_unit_test(test_same_key_same_figure),
		cmocka_unit_test(test_unbiased),       cmocka_unit_test(test_measures_apart),
		cmocka_unit_test(test_hidden),         cmocka_unit_test(test_view),
		cmocka_unit_test(test_means),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
