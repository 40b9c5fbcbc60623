/* sdc.h — statistical disclosure control: how figures about trained people
 * are published to readers who are not staff (the public, focal points,
 * donors), so that no small group hidden from them can be recovered by
 * subtracting published figures from one another (DESIGN §6, issue 12).
 *
 * Hiding the small groups is not enough: a total minus the groups shown
 * gives the hidden one, and sums (of gains, of squared gains) give its
 * members' values.  The method is the cell-key random rounding of the
 * Australian Bureau of Statistics' TableBuilder:
 *
 *  - every participant and enrolment has a secret random record key
 *    (entity.h: F_RKEY), given by the database when the row is written;
 *  - a published count's cell key is the sum of the keys of the records it
 *    counts, modulo 2^32: the same records always give the same key,
 *    whichever filters, grouping, page or route reached them, so asking
 *    again or another way gives the same answer (nothing to average);
 *  - each count (people, enrolments, completed, person-days, numbers of
 *    scores and ratings) is rounded to a multiple of SDC_BASE at random
 *    without bias — n = 5q + r goes up to 5q + 5 with probability r/5, else
 *    down to 5q — the draw taken from its own cell key (enum sdc_measure).  Every
 *    published count being a multiple of 5, no difference of published
 *    counts can equal a hidden count of 1 to 4;
 *  - groups of fewer than SDC_MIN_GROUP enrolments, or of 1 to 4 people,
 *    are still not shown at all;
 *  - sums and sums of squares are never published;
 *  - a mean (gain, pre- and post-test, satisfaction, the bounds of the 95 %
 *    interval) is published over at least SDC_MIN_N records, to 0.1: its
 *    sum is then only known within ±0.05 × n, an interval of at least one
 *    point whatever n is believed to be, which rounded counts leave
 *    uncertain by ±4 besides;
 *  - a rate is computed from the published (rounded) counts, never from
 *    the true ones: a true rate to the percent would tell which of the
 *    counts within ±4 of the published ones are the true counts (7/10 is
 *    70 %, and no other pair near it is), undoing the rounding.  It adds
 *    nothing then, and is shown to the whole percent (at most 100 %) over
 *    at least SDC_MIN_N true records.
 *
 * Staff (admin, officer) see the exact figures. */
#ifndef SUIVI_SDC_H
#define SUIVI_SDC_H
#include <stdbool.h>

#include "buf.h"
#include "i18n.h"

#define SDC_BASE 5      /* published counts are multiples of it */
#define SDC_MIN_GROUP 5 /* fewer enrolments, or 1 to 4 people: the group is not shown */
#define SDC_MIN_N 10    /* records under a published mean or rate, at least */

/* What a published number is.  A number of records (people, enrolments,
 * completed ones, scores, ratings) draws from the cell key of exactly the
 * records it counts, so two counts of different records have draws of
 * their own, and two counts of the same records — the enrolments of a cell
 * all completed, all the enrolments on the home page and in the
 * dashboard's total — are one figure.  Days attended, summed over a cell's
 * enrolments, have a draw of their own from the enrolments' key. */
enum sdc_measure { SDC_RECORDS, SDC_PERSON_DAYS };

/* The count n of records whose record keys sum to key, as published:
 * randomly rounded to a multiple of SDC_BASE (0 stays 0). */
long long sdc_count(long long n, long long key, enum sdc_measure m);
/* Is a group of `enrolments` enrolments counting `people` people (< 0: not
 * counted) hidden: 1 to 4 enrolments, or 1 to 4 people? */
bool sdc_hidden(long long enrolments, long long people);
/* May a mean or a rate over n records be published? */
bool sdc_enough(long long n);
/* A mean as published: to 0.1. */
double sdc_mean(double v);
/* A rate num / den of published counts: to the whole percent, at most 1;
 * NAN when den is not positive. */
double sdc_rate(long long num, long long den);

/* A group's counts, each with the sum of its records' keys. */
struct sdc_counts {
	long long enrolments, completed, people, scored;
	long long key_enrolments, key_completed, key_people, key_scored;
};
/* What of them a reader sees: everything exact (staff), or as published. */
struct sdc_view {
	bool hidden;                               /* too small: nothing shown */
	long long enrolments, completed, people, scored;
	double completion;                         /* completed / enrolments, or NAN */
};
void sdc_view(const struct sdc_counts *c, bool exact, struct sdc_view *v);
/* sum / n as shown: exact (NAN when n is 0), or sdc_mean over at least
 * SDC_MIN_N records (NAN otherwise). */
double sdc_mean_of(long long sum, long long n, bool exact);

/* The method and its parameters as a JSON object (the "disclosure_control"
 * of the dashboard's API), `applied` saying whether the reader's figures
 * follow it. */
void sdc_method_json(struct buf *b, bool applied);
/* The same for people, in lang: one <li> of a list, saying whether the
 * reader's figures are exact (staff) or published by this method. */
void sdc_method_html(struct buf *b, enum lang lang, bool exact);

#endif
