/* store_results.c — see store_results.h.  Hand-written SQL over the
 * registry's tables (result, indicator, indicator_period, training_session,
 * enrolment, participant, country) in the subset SQLite and PostgreSQL
 * share.  Every value is bound. */
#define _POSIX_C_SOURCE 200809L
#include "store_results.h"

#include <stdio.h>
#include <string.h>

#include "store_int.h"
#include "store_training_int.h"
#include "util.h"
#include "banned.h"

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static enum app_err indicator_row(void *ctx, const struct row *row)
{
	struct store_results_indicator *o = ctx;
	o->id = row_int(row, 0);
	o->programme = row_int(row, 1);
	copy(o->computed, sizeof o->computed, row_text(row, 2));
	copy(o->measure, sizeof o->measure, row_text(row, 3));
	o->ascending = row_null(row, 4) || row_int(row, 4);
	o->has_baseline = !row_null(row, 5);
	o->baseline = o->has_baseline ? row_int(row, 5) : 0;
	return APP_OK;
}

enum app_err store_results_indicator_get(struct store *st, long long id, struct store_results_indicator *out)
{
	memset(out, 0, sizeof *out);
	return store_one(st, "SELECT i.id, r.programme, i.computed, i.measure, i.ascending, i.baseline "
			     "FROM indicator i JOIN result r ON r.id = i.result WHERE i.id = ?",
			 BIND(p_int(id)), indicator_row, out);
}

enum app_err store_results_programme_indicators(struct store *st, long long programme, row_fn fn, void *ctx)
{
	return store_each(st, "SELECT i.id, i.title_fr, i.title_en, i.title_ar, r.id, r.level, r.title_fr, r.title_en, "
			      "r.title_ar, i.measure, i.ascending, i.baseline_year, i.baseline, i.computed "
			      "FROM result r JOIN indicator i ON i.result = r.id WHERE r.programme = ? "
			      "ORDER BY CASE r.level WHEN 'output' THEN 1 WHEN 'outcome' THEN 2 ELSE 3 END, r.id, i.id",
			  BIND(p_int(programme)), fn, ctx);
}

enum app_err store_results_periods(struct store *st, long long indicator, row_fn fn, void *ctx)
{
	return store_each(st, "SELECT p.id, p.start_date, p.end_date, p.sex, p.country, p.target, p.actual, "
			      "p.comment_fr, p.comment_en, p.comment_ar, c.name_fr, c.name_en, c.name_ar "
			      "FROM indicator_period p LEFT JOIN country c ON c.code = p.country WHERE p.indicator = ? "
			      "AND p.review_state = 'approved' " /* (only approved values count: review.h) */
			      "ORDER BY p.start_date, p.end_date, CASE WHEN p.sex IS NULL AND p.country IS NULL THEN 0 "
			      "WHEN p.sex IS NOT NULL THEN 1 ELSE 2 END, p.sex, p.country, p.id",
			  BIND(p_int(indicator)), fn, ctx);
}

static enum app_err period_row(void *ctx, const struct row *row)
{
	struct store_results_period *p = ctx;
	copy(p->start, sizeof p->start, row_text(row, 0));
	copy(p->end, sizeof p->end, row_text(row, 1));
	p->has_target = !row_null(row, 2);
	p->target = p->has_target ? row_int(row, 2) : -1;
	p->has_actual = !row_null(row, 3);
	p->actual = p->has_actual ? row_int(row, 3) : -1;
	return APP_OK;
}

enum app_err store_results_latest_period(struct store *st, long long indicator, const char *as_of,
					 struct store_results_period *out, bool *found)
{
	memset(out, 0, sizeof *out);
	char today[11];
	util_today(today);
	enum app_err rc = store_each(st, "SELECT p.start_date, p.end_date, p.target, p.actual FROM indicator_period p "
					 "WHERE p.indicator = ? AND p.sex IS NULL AND p.country IS NULL AND p.start_date <= ? "
					 "AND p.review_state = 'approved' "
					 "ORDER BY p.start_date DESC, p.id DESC LIMIT 1",
				     BIND(p_int(indicator), p_text(as_of ? as_of : today)), period_row, out);
	*found = !rc && out->start[0];
	return rc;
}

#define SESSION_END "COALESCE(s.end_date, s.start_date)"

enum app_err store_results_training(struct store *st, long long programme, const char *start, const char *end,
				    const char *sex, const char *country, struct store_training_counts *out)
{
	struct stmt where;
	stmt_init(&where);
	stmt_add(&where, "JOIN training_session s ON s.id = e.session JOIN participant p ON p.id = e.participant "
			 "WHERE s.programme = ? AND COALESCE(s.status, '') <> 'cancelled' AND " SESSION_END " >= ? AND "
			 SESSION_END " <= ?",
		 BIND(p_int(programme), p_text(start), p_text(end)));
	if (sex)
		stmt_add(&where, " AND p.sex = ?", BIND(p_text(sex)));
	if (country)
		stmt_add(&where, " AND p.country = ?", BIND(p_text(country)));
	return store_training_counts_where(st, &where, out);
}
