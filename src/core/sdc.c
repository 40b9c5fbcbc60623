/* sdc.c — see sdc.h. */
#include "sdc.h"

#include <math.h>
#include <stdint.h>
#include "banned.h"

/* A 32-bit mixer (lowbias32, Chris Wellons' hash prospector): nearby cell
 * keys and measures give unrelated draws. */
static uint32_t mix(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

long long sdc_count(long long n, long long key, enum sdc_measure m)
{
	long long r = n % SDC_BASE;
	if (n <= 0 || r == 0)
		return n;
	/* the cell key modulo 2^32, then a draw uniform on 0..4 of its own
	 * for each measure: up with probability r/5, which keeps the count's
	 * expectation */
	uint32_t cell = (uint32_t)(unsigned long long)key;
	uint32_t draw = mix(cell ^ mix(0x9e3779b9U * ((uint32_t)m + 1)));
	return n - r + (draw % SDC_BASE < (uint32_t)r ? SDC_BASE : 0);
}

bool sdc_hidden(long long enrolments, long long people)
{
	/* (an empty group has nobody to protect: its zeros are shown) */
	return (enrolments > 0 && enrolments < SDC_MIN_GROUP) || (people > 0 && people < SDC_MIN_GROUP);
}

bool sdc_enough(long long n)
{
	return n >= SDC_MIN_N;
}

double sdc_mean(double v)
{
	return isnan(v) ? v : round(v * 10) / 10;
}

double sdc_rate(long long num, long long den)
{
	if (den <= 0)
		return NAN;
	double r = round(100.0 * (double)num / (double)den) / 100;
	return r > 1 ? 1 : r;
}

void sdc_view(const struct sdc_counts *c, bool exact, struct sdc_view *v)
{
	if (exact) {
		*v = (struct sdc_view){ .enrolments = c->enrolments, .completed = c->completed, .people = c->people,
					.scored = c->scored,
					.completion = c->enrolments > 0 ? (double)c->completed / (double)c->enrolments : NAN };
		return;
	}
	*v = (struct sdc_view){ .hidden = sdc_hidden(c->enrolments, c->people), .completion = NAN, .people = -1 };
	if (v->hidden)
		return;
	v->enrolments = sdc_count(c->enrolments, c->key_enrolments, SDC_RECORDS);
	v->completed = sdc_count(c->completed, c->key_completed, SDC_RECORDS);
	if (c->people >= 0)
		v->people = sdc_count(c->people, c->key_people, SDC_RECORDS);
	v->scored = sdc_count(c->scored, c->key_scored, SDC_RECORDS);
	if (sdc_enough(c->enrolments))
		v->completion = sdc_rate(v->completed, v->enrolments);
}

double sdc_mean_of(long long sum, long long n, bool exact)
{
	if (n <= 0 || (!exact && !sdc_enough(n)))
		return NAN;
	double m = (double)sum / (double)n;
	return exact ? m : sdc_mean(m);
}

void sdc_method_json(struct buf *b, bool applied)
{
	buf_printf(b, "{\"applied\":%s,\"method\":\"cell-key random rounding (as the ABS TableBuilder)\","
		      "\"counts\":\"people, enrolments, completed, person-days and numbers of scores and ratings are "
		      "rounded to a multiple of %d at random without bias, the draw taken from the sum of the secret "
		      "random keys of the records counted: the same records always give the same figure\","
		      "\"base\":%d,\"suppressed\":\"groups of fewer than %d enrolments or of 1 to %d people\","
		      "\"min_n\":%d,\"means\":\"over at least %d records, to 0.1\","
		      "\"rates\":\"from the rounded counts, to the whole percent, over at least %d records\","
		      "\"sums\":\"never published\",\"staff\":\"exact figures\"}",
		   applied ? "true" : "false", SDC_BASE, SDC_BASE, SDC_MIN_GROUP, SDC_MIN_GROUP - 1, SDC_MIN_N, SDC_MIN_N,
		   SDC_MIN_N);
}

void sdc_method_html(struct buf *b, enum lang lang, bool exact)
{
	buf_printf(b, "<li>%s<ul><li>", exact ? tr(lang, "You see the exact figures. Readers who are not staff (the public, "
						   "focal points, donors) see them with statistical disclosure control "
						   "(cell-key random rounding, as the Australian Bureau of Statistics' "
						   "TableBuilder), so that no small group can be recovered by subtracting "
						   "figures:")
					       : tr(lang, "To protect the identity of participants, these figures are published "
							  "with statistical disclosure control (cell-key random rounding, as "
							  "the Australian Bureau of Statistics' TableBuilder), so that no small "
							  "group can be recovered by subtracting figures:"));
	buf_printf(b, tr(lang, "each count — people, enrolments, completed, person-days, numbers of scores and ratings — is "
			       "rounded at random to a multiple of %d, up or down without bias; the same people always give "
			       "the same figure, however they are reached, so a total may differ a little from the sum of "
			       "its parts;"),
		   SDC_BASE);
	buf_adds(b, "</li><li>");
	buf_printf(b, tr(lang, "groups with fewer than %d enrolments or people are not shown;"), SDC_MIN_GROUP);
	buf_adds(b, "</li><li>");
	buf_printf(b, tr(lang, "means and rates are shown for groups of at least %d records (— otherwise): means to one "
			       "decimal, rates to the whole percent, computed from the rounded counts;"),
		   SDC_MIN_N);
	buf_printf(b, "</li><li>%s</li></ul></li>", tr(lang, "sums of scores are never published."));
}
