/* forum_data.h — what the forum report is made of, read once for its three
 * forms: the page and the HTML file (forum_report.c), the PDF and the
 * workbook (forum_file.c).  For each programme rated at the forum or under
 * way (at most FORUM_REPORT_PROGRAMMES, those a donor funds for a donor):
 * the beneficiaries' and the donors' sums of scores per criterion, its
 * indicators' achievement, its training, its funding and the open needs it
 * answers. */
#ifndef SUIVI_FORUM_DATA_H
#define SUIVI_FORUM_DATA_H
#include <stdbool.h>

#include "app.h"
#include "err.h"
#include "forum.h"
#include "i18n.h"
#include "results.h"
#include "store_programme.h"

/* Programmes in one report: each takes a few kB, the page stays light. */
#define FORUM_REPORT_PROGRAMMES 40

struct forum_prog {
	long long id, budget, committed, disbursed, spent;
	struct store_training_counts train; /* the enrolments of its sessions (store_programme_training) */
	char currency[4], status[24];
	char *title[LANG__MAX];
	long long needs;                    /* open needs it answers */
	struct achievement ach;             /* of its indicators (results.c) */
	long long n[2];                     /* sheets: [0] beneficiaries, [1] donors */
	long long sum[2][FORUM_CRITERIA];
};

struct forum_data {
	/* set by the caller: */
	struct app *app;
	long long meeting;
	const struct principal *who; /* NULL: the system */
	/* read: */
	struct forum_prog *p;
	int np;
	long long total; /* programmes in all, np of them here */
};

/* Reads the programmes of d->meeting as d->who may see them; APP_NOT_FOUND
 * when the meeting is not a forum.  d is to be released whatever the
 * answer. */
MUST_CHECK enum app_err forum_data_load(struct forum_data *d);
void forum_data_release(struct forum_data *d);

/* Is the reader on the staff (or the system)? */
bool forum_data_staff(const struct forum_data *d);
/* Are figures about trained people exact for this reader?  For the staff
 * only: the files `suivi report forum` writes (no reader) are for the
 * forum's beneficiaries and donors, so they have them as published (sdc.h). */
bool forum_data_exact_training(const struct forum_data *d);
/* May the reader see an open need of country? */
bool forum_data_may_see_need(const struct forum_data *d, const char *country);

/* A programme's title in lang, else in another language (*shown). */
const char *forum_prog_title(const struct forum_prog *p, enum lang lang, enum lang *shown);
/* The sum of every score given by raters k (0 beneficiaries, 1 donors): the
 * overall mean is that over n[k] × FORUM_CRITERIA, which weighs each score
 * given equally. */
long long forum_prog_all_sum(const struct forum_prog *p, int k);
/* What the execution rate is of: the commitments, or the budget when no
 * commitment is recorded. */
long long forum_prog_funding_base(const struct forum_prog *p);

/* The figures as the page, the PDF and the workbook all write them: */
/* sum / n × scale, rounded (scale 10: a mean with one decimal, 35 is
 * 3.5); false when n ≤ 0. */
bool forum_mean(long long sum, long long n, long long scale, long long *out);
/* part / whole × scale, rounded (100: a whole percentage; 1000: one with a
 * decimal), in long double so that sums of large amounts cannot overflow;
 * false when whole ≤ 0 or part < 0. */
bool forum_ratio(long long part, long long whole, long long scale, long long *out);
/* The indicators' achievement as a percentage with one decimal, scaled by
 * 10 (its whole percentage is (x10 + 5) / 10); false when none is
 * measured. */
bool forum_achievement10(const struct achievement *a, long long *x10);

#endif
