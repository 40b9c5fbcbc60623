/* results.c — see results.h.  The SQL is in store_results.c. */
#define _POSIX_C_SOURCE 200809L
#include "results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdc.h"
#include "store_results.h"
#include "xalloc.h"
#include "banned.h"

bool results_progress(long long baseline, long long target, long long actual, double *progress)
{
	if (target == baseline)
		return false;
	*progress = ((double)actual - (double)baseline) / ((double)target - (double)baseline);
	return true;
}

double results_clamp(double progress)
{
	return progress < 0 ? 0 : progress > 1 ? 1 : progress;
}

/* num / den rounded to the nearest integer, halves away from zero; den > 0. */
static long long div_round(long long num, long long den)
{
	return num >= 0 ? (2 * num + den) / (2 * den) : -((-2 * num + den) / (2 * den));
}

/* The computed figure of kind from t, as the reader may see it: exact for
 * staff, by statistical disclosure control for others (sdc.h: counts
 * rounded, a rate from the rounded counts, a mean over at least SDC_MIN_N
 * records, nothing for a group of 1 to 4). */
static void figure(const char *kind, const struct store_training_counts *t, bool exact, struct rcomputed *out)
{
	struct sdc_view v;
	sdc_view(&t->n, exact, &v);
	*out = (struct rcomputed){ .hidden = v.hidden, .n = v.hidden ? 0 : v.enrolments };
	if (v.hidden)
		return;
	if (strcmp(kind, "people_trained") == 0) {
		out->has = true;
		out->actual = v.people;
	} else if (strcmp(kind, "completion_rate") == 0 && !isnan(v.completion)) {
		out->has = true;
		out->actual = exact ? div_round(t->n.completed * 100, t->n.enrolments) : llround(v.completion * 100);
	} else if (strcmp(kind, "knowledge_gain") == 0 && !isnan(sdc_mean_of(t->gain_sum, t->n.scored, exact))) {
		out->has = true;
		out->actual = div_round(t->gain_sum, t->n.scored); /* whole points: coarser than a published mean */
		out->n = v.scored;
	}
}

static enum app_err period_actual(struct app *app, const struct store_results_indicator *ind, const char *start,
				  const char *end, const char *sex, const char *country, bool exact,
				  struct rcomputed *out)
{
	*out = (struct rcomputed){ 0 };
	if (strcmp(ind->computed, "manual") == 0 || !ind->computed[0] || !start || !end)
		return APP_OK;
	struct store_training_counts t;
	enum app_err rc = store_results_training(app->store, ind->programme, start, end, sex, country, &t);
	if (rc)
		return rc;
	figure(ind->computed, &t, exact, out);
	return APP_OK;
}

enum app_err results_period_actual(struct app *app, long long indicator, const char *start, const char *end,
				   const char *sex, const char *country, bool exact, struct rcomputed *out)
{
	struct store_results_indicator ind;
	*out = (struct rcomputed){ 0 };
	enum app_err rc = store_results_indicator_get(app->store, indicator, &ind);
	return rc ? rc : period_actual(app, &ind, start, end, sex, country, exact, out);
}

/* ---- a programme's achievement ------------------------------------------------ */

struct ids {
	long long *v;
	size_t n, cap;
};

static enum app_err id_row(void *ctx, const struct row *row)
{
	struct ids *ids = ctx;
	if (ids->n == ids->cap) {
		ids->cap = ids->cap ? 2 * ids->cap : 16;
		ids->v = xrealloc(ids->v, ids->cap * sizeof *ids->v);
	}
	ids->v[ids->n++] = row_int(row, SRI_ID);
	return APP_OK;
}

/* The progress of one indicator at its latest started period; *measured false when it has none. */
static enum app_err indicator_progress(struct app *app, long long id, const char *as_of, bool exact,
				       bool *measured, double *progress)
{
	struct store_results_indicator ind;
	struct store_results_period p;
	bool found;
	*measured = false;
	enum app_err rc = store_results_indicator_get(app->store, id, &ind);
	if (!rc)
		rc = store_results_latest_period(app->store, id, as_of, &p, &found);
	if (rc || !found || !p.has_target)
		return rc;
	bool has = p.has_actual;
	long long actual = p.actual;
	if (strcmp(ind.computed, "manual") != 0) {
		struct rcomputed f;
		rc = period_actual(app, &ind, p.start, p.end, NULL, NULL, exact, &f);
		if (rc)
			return rc;
		has = f.has;
		actual = f.actual;
	}
	if (has)
		*measured = results_progress(ind.baseline, p.target, actual, progress);
	return APP_OK;
}

enum app_err results_programme_achievement_at(struct app *app, long long programme, const char *as_of, bool exact,
					      struct achievement *out)
{
	*out = (struct achievement){ .mean_progress = -1 };
	struct ids ids = { 0 };
	enum app_err rc = store_results_programme_indicators(app->store, programme, id_row, &ids);
	double sum = 0;
	for (size_t i = 0; !rc && i < ids.n; i++) {
		bool measured;
		double progress;
		rc = indicator_progress(app, ids.v[i], as_of, exact, &measured, &progress);
		if (!rc && measured) {
			out->measured++;
			sum += results_clamp(progress);
		}
	}
	free(ids.v);
	if (rc)
		return rc;
	out->indicators = (int)ids.n;
	if (out->measured)
		out->mean_progress = sum / out->measured;
	return APP_OK;
}

enum app_err results_programme_achievement(struct app *app, long long programme, bool exact, struct achievement *out)
{
	return results_programme_achievement_at(app, programme, NULL, exact, out);
}

/* ---- an indicator's periods ---------------------------------------------------- */

static enum app_err value_row(void *ctx, const struct row *row)
{
	struct rvalues *vs = ctx;
	vs->v = xappend(vs->v, vs->n, sizeof *vs->v);
	struct rvalue *v = &vs->v[vs->n++];
	v->id = row_int(row, SRP_ID);
	row_copy(row, SRP_START, v->start, sizeof v->start);
	row_copy(row, SRP_END, v->end, sizeof v->end);
	row_copy(row, SRP_SEX, v->sex, sizeof v->sex);
	row_copy(row, SRP_COUNTRY, v->country, sizeof v->country);
	for (int l = 0; l < LANG__MAX; l++)
		if (row_text(row, SRP_COUNTRY_NAME + l))
			v->country_name[l] = xstrdup(row_text(row, SRP_COUNTRY_NAME + l));
	v->has_target = !row_null(row, SRP_TARGET);
	v->target = v->has_target ? row_int(row, SRP_TARGET) : 0;
	v->has_actual = !row_null(row, SRP_ACTUAL);
	v->actual = v->has_actual ? row_int(row, SRP_ACTUAL) : 0;
	return APP_OK;
}

enum app_err results_values(struct app *app, long long indicator, bool exact, struct rvalues *out)
{
	memset(out, 0, sizeof *out);
	enum app_err rc = store_results_indicator_get(app->store, indicator, &out->ind);
	if (!rc)
		rc = store_results_periods(app->store, indicator, value_row, out);
	bool manual = strcmp(out->ind.computed, "manual") == 0;
	for (size_t i = 0; !rc && i < out->n; i++) {
		struct rvalue *v = &out->v[i];
		if (!manual) {
			struct rcomputed f;
			v->computed = true;
			rc = period_actual(app, &out->ind, v->start, v->end, v->sex[0] ? v->sex : NULL,
					   v->country[0] ? v->country : NULL, exact, &f);
			v->has_actual = f.has;
			v->actual = f.actual;
			v->enrolments = f.n;
			v->hidden = f.hidden;
		}
		if (!v->sex[0] && !v->country[0] && v->has_target && v->has_actual)
			v->has_progress = results_progress(out->ind.baseline, v->target, v->actual, &v->progress);
	}
	if (rc)
		results_values_free(out);
	return rc;
}

void results_values_free(struct rvalues *vs)
{
	for (size_t i = 0; i < vs->n; i++)
		for (int l = 0; l < LANG__MAX; l++)
			free(vs->v[i].country_name[l]);
	free(vs->v);
	vs->v = NULL;
	vs->n = 0;
}
