/* store_programme.c — see store_programme.h.  Hand-written SQL over the
 * registry's tables (programme and its link tables programme_countries,
 * programme_needs, programme_donors; funding_transaction, contribution,
 * training_session, enrolment, document …) in the subset SQLite and
 * PostgreSQL share.  Every value is bound. */
#define _POSIX_C_SOURCE 200809L
#include "store_programme.h"

#include <stdio.h>
#include <string.h>

#include "store_int.h"
#include "store_training_int.h"
#include "banned.h"

/* A statement of one programme parameter. */
static enum app_err by_programme(struct store *st, const char *sql, long long programme, row_fn fn, void *ctx)
{
	return store_each(st, sql, BIND(p_int(programme)), fn, ctx);
}

static enum app_err programme_row(void *ctx, const struct row *row)
{
	struct store_programme *p = ctx;
	p->id = row_int(row, 0);
	snprintf(p->currency, sizeof p->currency, "%s", row_text(row, 1) ? row_text(row, 1) : "");
	p->has_budget = !row_null(row, 2);
	p->budget = p->has_budget ? row_int(row, 2) : 0;
	return APP_OK;
}

enum app_err store_programme_get(struct store *st, long long id, struct store_programme *out)
{
	memset(out, 0, sizeof *out);
	return store_one(st, "SELECT id, currency, budget FROM programme WHERE id = ?", BIND(p_int(id)), programme_row, out);
}

enum app_err store_programme_transaction_sums(struct store *st, long long programme, row_fn fn, void *ctx)
{
	return by_programme(st, "SELECT kind, currency, SUM(amount), COUNT(*) FROM funding_transaction "
				"WHERE programme = ? GROUP BY kind, currency ORDER BY currency, kind",
			    programme, fn, ctx);
}

enum app_err store_programme_contributions(struct store *st, long long programme, row_fn fn, void *ctx)
{
	return by_programme(st, "SELECT c.id, c.kind, c.description_fr, c.description_en, c.description_ar, "
				"c.start_date, c.end_date, c.value, c.currency, c.provider, o.name_fr, o.name_en, "
				"o.name_ar, o.acronym FROM contribution c LEFT JOIN organisation o ON o.id = c.provider "
				"WHERE c.programme = ? ORDER BY c.start_date NULLS LAST, c.id",
			    programme, fn, ctx);
}

enum app_err store_programme_countries(struct store *st, long long programme, row_fn fn, void *ctx)
{
	return by_programme(st, "SELECT c.code, c.name_fr, c.name_en, c.name_ar FROM programme_countries l "
				"JOIN country c ON c.code = l.country WHERE l.programme = ? ORDER BY c.code",
			    programme, fn, ctx);
}

enum app_err store_programme_needs(struct store *st, long long programme, const char *country, row_fn fn, void *ctx)
{
	struct stmt s;
	stmt_init(&s);
	stmt_add(&s, "SELECT n.id, n.country, c.name_fr, c.name_en, c.name_ar, n.theme, t.name_fr, t.name_en, "
		     "t.name_ar, n.severity, n.status, n.assessed_on FROM programme_needs l "
		     "JOIN need n ON n.id = l.need JOIN country c ON c.code = n.country "
		     "LEFT JOIN theme t ON t.code = n.theme WHERE l.programme = ? AND n.review_state = 'approved'",
		 BIND(p_int(programme)));
	if (country)
		stmt_add(&s, " AND n.country = ?", BIND(p_text(country)));
	buf_adds(&s.sql, " ORDER BY n.country, n.theme, n.id");
	return store_walk(st, &s, fn, ctx);
}

enum app_err store_programme_sessions(struct store *st, long long programme, row_fn fn, void *ctx)
{
	return by_programme(st, "SELECT s.id, s.course, co.title_fr, co.title_en, co.title_ar, s.start_date, "
				"s.end_date, s.venue, s.status, " TR_COUNTS " FROM training_session s "
				"JOIN course co ON co.id = s.course LEFT JOIN enrolment e ON e.session = s.id "
				"WHERE s.programme = ? GROUP BY s.id, co.id ORDER BY s.start_date DESC, s.id DESC",
			    programme, fn, ctx);
}

enum app_err store_programme_training(struct store *st, long long programme, struct store_training_counts *out)
{
	return store_training_counts_by(st, "JOIN training_session s ON s.id = e.session WHERE s.programme = ?",
					programme, out);
}

#define KIND_SUM(k) "(SELECT COALESCE(SUM(x.amount), 0) FROM funding_transaction x WHERE x.programme = p.id " \
		    "AND x.currency = p.currency AND x.kind = '" k "')"

enum app_err store_programme_overview(struct store *st, long long funder, row_fn fn, void *ctx)
{
	struct stmt s;
	stmt_init(&s);
	buf_printf(&s.sql, "SELECT p.id, p.title_fr, p.title_en, p.title_ar, p.status, p.currency, p.budget, "
			   KIND_SUM("incoming_funds") ", " KIND_SUM("commitment") ", " KIND_SUM("disbursement") ", "
			   KIND_SUM("expenditure") ", (SELECT %s(o.v, ',') FROM (SELECT l.country AS v FROM "
			   "programme_countries l WHERE l.programme = p.id ORDER BY l.country) o), p.sample "
			   "FROM programme p",
		   st->ops->list_agg);
	if (funder > 0)
		stmt_add(&s, " WHERE p.id IN (SELECT d.programme FROM programme_donors d WHERE d.organisation = ?)",
			 BIND(p_int(funder)));
	buf_adds(&s.sql, " ORDER BY p.start_date DESC NULLS LAST, p.id DESC");
	return store_walk(st, &s, fn, ctx);
}
