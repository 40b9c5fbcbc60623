/* forum_data.c — see forum_data.h. */
#define _POSIX_C_SOURCE 200809L
#include "forum_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "store.h"
#include "store_forum.h"
#include "xalloc.h"
#include "banned.h"

bool forum_data_staff(const struct forum_data *d)
{
	return !d->who || (R_STAFF & ROLE_BIT(d->who->role));
}

bool forum_data_exact_training(const struct forum_data *d)
{
	return d->who && (R_STAFF & ROLE_BIT(d->who->role));
}

bool forum_data_may_see_need(const struct forum_data *d, const char *country)
{
	return forum_data_staff(d) ||
	       (d->who->role == ROLE_FOCAL && country && strcmp(country, d->who->country) == 0);
}

static enum app_err programme_row(void *ctx, const struct row *row)
{
	struct forum_data *d = ctx;
	struct forum_prog *p = &d->p[d->np++];
	p->id = row_int(row, FP_ID);
	for (int l = 0; l < LANG__MAX; l++)
		p->title[l] = row_null(row, FP_TITLE + l) ? NULL : xstrdup(row_text(row, FP_TITLE + l));
	snprintf(p->status, sizeof p->status, "%s", row_null(row, FP_STATUS) ? "" : row_text(row, FP_STATUS));
	snprintf(p->currency, sizeof p->currency, "%s", row_null(row, FP_CURRENCY) ? "" : row_text(row, FP_CURRENCY));
	p->budget = row_null(row, FP_BUDGET) ? 0 : row_int(row, FP_BUDGET);
	p->committed = row_int(row, FP_COMMITTED);
	p->disbursed = row_int(row, FP_DISBURSED);
	p->spent = row_int(row, FP_SPENT);
	return APP_OK;
}

static enum app_err score_row(void *ctx, const struct row *row)
{
	struct forum_prog *p = ctx;
	const char *rater = row_text(row, 0);
	int k = rater && strcmp(rater, "donor") == 0;
	p->n[k] = row_int(row, 1);
	for (int i = 0; i < FORUM_CRITERIA; i++)
		p->sum[k][i] = row_int(row, 2 + i);
	return APP_OK;
}

static enum app_err count_need(void *ctx, const struct row *row)
{
	(void)row;
	((struct forum_prog *)ctx)->needs++;
	return APP_OK;
}

/* The funder whose programmes a donor sees (0: every programme). */
static long long funder_of(const struct principal *who)
{
	if (!who || who->role != ROLE_DONOR)
		return 0;
	/* a donor account without an organisation funds nothing */
	return who->organisation > 0 ? who->organisation : 0x7fffffffffffffffLL;
}

enum app_err forum_data_load(struct forum_data *d)
{
	d->p = xcalloc(FORUM_REPORT_PROGRAMMES, sizeof *d->p);
	d->np = 0;
	char kind[24];
	enum app_err rc = event_meeting_kind(d->app, d->meeting, kind);
	if (!rc && strcmp(kind, "forum") != 0)
		rc = APP_NOT_FOUND;
	struct store *st = d->app->store;
	if (!rc)
		rc = store_forum_programmes(st, d->meeting, funder_of(d->who), FORUM_REPORT_PROGRAMMES, &d->total,
					    programme_row, d);
	for (int i = 0; i < d->np && !rc; i++) {
		struct forum_prog *p = &d->p[i];
		rc = store_forum_scores(st, d->meeting, p->id, score_row, p);
		if (!rc)
			rc = store_forum_needs(st, p->id, count_need, p);
		if (!rc)
			rc = results_programme_achievement(d->app, p->id, forum_data_exact_training(d), &p->ach);
		if (!rc)
			rc = store_programme_training(st, p->id, &p->train);
	}
	return rc;
}

void forum_data_release(struct forum_data *d)
{
	for (int i = 0; i < d->np; i++)
		for (int l = 0; l < LANG__MAX; l++)
			free(d->p[i].title[l]);
	free(d->p);
	d->p = NULL;
	d->np = 0;
}

const char *forum_prog_title(const struct forum_prog *p, enum lang lang, enum lang *shown)
{
	*shown = lang;
	if (p->title[lang])
		return p->title[lang];
	for (int l = 0; l < LANG__MAX; l++)
		if (p->title[l]) {
			*shown = (enum lang)l;
			return p->title[l];
		}
	return "";
}

long long forum_prog_all_sum(const struct forum_prog *p, int k)
{
	long long s = 0;
	for (int i = 0; i < FORUM_CRITERIA; i++)
		s += p->sum[k][i];
	return s;
}

long long forum_prog_funding_base(const struct forum_prog *p)
{
	return p->committed > 0 ? p->committed : p->budget;
}

bool forum_mean(long long sum, long long n, long long scale, long long *out)
{
	if (n <= 0)
		return false;
	*out = (sum * scale + n / 2) / n; /* scores: small sums */
	return true;
}

bool forum_ratio(long long part, long long whole, long long scale, long long *out)
{
	if (whole <= 0 || part < 0)
		return false;
	*out = (long long)((long double)part * (long double)scale / (long double)whole + 0.5L);
	return true;
}

bool forum_achievement10(const struct achievement *a, long long *x10)
{
	if (a->measured <= 0 || a->mean_progress < 0)
		return false;
	*x10 = (long long)(a->mean_progress * 1000 + 0.5);
	return true;
}
