/* store_forum.c — see store_forum.h.  Sums are cast to BIGINT so that both
 * backends answer integers (PostgreSQL's SUM of a BIGINT is NUMERIC);
 * means are computed by the caller from sums and counts. */
#define _POSIX_C_SOURCE 200809L
#include "store_forum.h"

#include <string.h>

#include "record.h"
#include "store_int.h"
#include "util.h"
#include "banned.h"

enum app_err store_forum_registrations(struct store *st, long long meeting, const char *country, long long limit,
				       row_fn fn, void *ctx)
{
	struct stmt s;
	stmt_init(&s);
	stmt_add(&s, "SELECT r.id, r.person, p.name, r.organisation, o.name_fr, o.name_en, o.name_ar, o.acronym, "
		     "r.country, c.name_fr, c.name_en, c.name_ar, r.role, r.attended, r.version "
		     "FROM registration r JOIN person p ON p.id = r.person "
		     "LEFT JOIN organisation o ON o.id = r.organisation LEFT JOIN country c ON c.code = r.country "
		     "WHERE r.meeting = ?",
		 BIND(p_int(meeting)));
	if (country)
		stmt_add(&s, " AND r.country = ?", BIND(p_text(country)));
	stmt_add(&s, " ORDER BY p.name, r.id LIMIT ?", BIND(p_int(limit)));
	return store_walk(st, &s, fn, ctx);
}

enum app_err store_forum_registration_counts(struct store *st, long long meeting, bool by_country, row_fn fn,
					     void *ctx)
{
	if (by_country)
		return store_each(st, "SELECT r.country, c.name_fr, c.name_en, c.name_ar, COUNT(*), "
				      "CAST(COALESCE(SUM(r.attended), 0) AS BIGINT) FROM registration r "
				      "LEFT JOIN country c ON c.code = r.country WHERE r.meeting = ? "
				      "GROUP BY r.country, c.name_fr, c.name_en, c.name_ar ORDER BY COUNT(*) DESC, r.country",
				  BIND(p_int(meeting)), fn, ctx);
	return store_each(st, "SELECT r.role, COUNT(*), CAST(COALESCE(SUM(r.attended), 0) AS BIGINT) "
			      "FROM registration r WHERE r.meeting = ? GROUP BY r.role ORDER BY r.role",
			  BIND(p_int(meeting)), fn, ctx);
}

/* "p.id is among the programmes of country / organisation" */
static void rateable_condition(struct stmt *s, const char *country, long long organisation)
{
	if (country)
		stmt_add(s, "p.id IN (SELECT l.programme FROM programme_countries l WHERE l.country = ?)",
			 BIND(p_text(country)));
	else
		stmt_add(s, "p.id IN (SELECT l.programme FROM programme_donors l WHERE l.organisation = ?)",
			 BIND(p_int(organisation)));
}

enum app_err store_forum_rateable(struct store *st, const char *country, long long organisation, row_fn fn, void *ctx)
{
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "SELECT p.id, p.title_fr, p.title_en, p.title_ar FROM programme p WHERE ");
	rateable_condition(&s, country, organisation);
	buf_adds(&s.sql, " ORDER BY p.id LIMIT 500");
	return store_walk(st, &s, fn, ctx);
}

enum app_err store_forum_may_rate(struct store *st, long long programme, const char *country, long long organisation,
				  bool *yes)
{
	struct stmt s;
	stmt_init(&s);
	stmt_add(&s, "SELECT COUNT(*) FROM programme p WHERE p.id = ? AND ", BIND(p_int(programme)));
	rateable_condition(&s, country, organisation);
	long long n = 0;
	enum app_err rc = store_scalar(st, &s, &n, NULL);
	*yes = n > 0;
	return rc;
}

static long long ref_id(const struct record *r, int field)
{
	long long id = 0;
	const char *s = rec_text(r, field);
	return s && util_parse_ll(s, &id) ? id : 0;
}

enum app_err store_forum_sheet_check(struct store *st, const struct record *r, struct ferrs *errs)
{
	long long n = 0;
	enum app_err rc = store_value(st, "SELECT COUNT(*) FROM meeting WHERE id = ? AND kind = 'forum'",
				      BIND(p_int(ref_id(r, EVALUATION_MEETING))), &n, NULL);
	if (!rc && !n)
		ferrs_add(errs, "meeting", N_("must be a forum"), NULL);
	const char *rater = rec_text(r, EVALUATION_RATER);
	bool donor = rater && strcmp(rater, "donor") == 0;
	const char *country = rec_text(r, EVALUATION_COUNTRY);
	bool yes = false;
	if (!rc)
		rc = store_forum_may_rate(st, ref_id(r, EVALUATION_PROGRAMME), donor ? NULL : country,
					  ref_id(r, EVALUATION_ORGANISATION), &yes);
	if (!rc && !yes)
		ferrs_add(errs, "programme", donor ? N_("is not one the donor funds")
						   : N_("is not one that benefits this country"), NULL);
	return rc;
}

/* The report's programmes: rated at the meeting or under way. */
static void report_programmes(struct stmt *s, long long meeting, long long funder)
{
	stmt_add(s, " FROM programme p WHERE (p.status IN ('implementation', 'finalisation') OR "
		    "p.id IN (SELECT e.programme FROM evaluation e WHERE e.meeting = ?))",
		 BIND(p_int(meeting)));
	if (funder > 0)
		stmt_add(s, " AND p.id IN (SELECT d.programme FROM programme_donors d WHERE d.organisation = ?)",
			 BIND(p_int(funder)));
}

static const char *const kinds[] = { "commitment", "disbursement", "expenditure" };

enum app_err store_forum_programmes(struct store *st, long long meeting, long long funder, long long limit,
				    long long *total, row_fn fn, void *ctx)
{
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "SELECT COUNT(*)");
	report_programmes(&s, meeting, funder);
	enum app_err rc = store_scalar(st, &s, total, NULL);
	if (rc)
		return rc;
	stmt_init(&s);
	buf_adds(&s.sql, "SELECT p.id, p.title_fr, p.title_en, p.title_ar, p.status, p.budget, p.currency, "
			 "p.iati_identifier");
	for (int i = 0; i < 3; i++)
		buf_printf(&s.sql, ", (SELECT CAST(COALESCE(SUM(t.amount), 0) AS BIGINT) FROM funding_transaction t "
				   "WHERE t.programme = p.id AND t.kind = '%s' AND t.currency = p.currency)", kinds[i]);
	report_programmes(&s, meeting, funder);
	stmt_add(&s, " ORDER BY p.id LIMIT ?", BIND(p_int(limit)));
	return store_walk(st, &s, fn, ctx);
}

enum app_err store_forum_scores(struct store *st, long long meeting, long long programme, row_fn fn, void *ctx)
{
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "SELECT e.rater, COUNT(*)");
	static const char *const crit[] = { "relevance", "coherence", "effectiveness", "efficiency", "impact",
					    "sustainability" };
	for (int i = 0; i < 6; i++)
		buf_printf(&s.sql, ", CAST(SUM(e.%s) AS BIGINT)", crit[i]);
	stmt_add(&s, " FROM evaluation e WHERE e.meeting = ? AND e.programme = ? GROUP BY e.rater ORDER BY e.rater",
		 BIND(p_int(meeting), p_int(programme)));
	return store_walk(st, &s, fn, ctx);
}

enum app_err store_forum_needs(struct store *st, long long programme, row_fn fn, void *ctx)
{
	return store_each(st, "SELECT n.id, n.country, c.name_fr, c.name_en, c.name_ar, n.theme, h.name_fr, h.name_en, "
			      "h.name_ar, n.severity, n.status FROM programme_needs l JOIN need n ON n.id = l.need "
			      "LEFT JOIN country c ON c.code = n.country LEFT JOIN theme h ON h.code = n.theme "
			      "WHERE l.programme = ? AND n.status IN ('open', 'being_addressed') AND n.review_state = 'approved' "
			      "ORDER BY n.severity DESC, n.country, n.theme, n.id LIMIT 100",
			  BIND(p_int(programme)), fn, ctx);
}

enum app_err store_forum_comments(struct store *st, long long meeting, long long programme, row_fn fn, void *ctx)
{
	return store_each(st, "SELECT e.rater, e.country, e.organisation, COALESCE(c.name_fr, o.name_fr), "
			      "COALESCE(c.name_en, o.name_en), COALESCE(c.name_ar, o.name_ar), e.relevance_comment, "
			      "e.coherence_comment, e.effectiveness_comment, e.efficiency_comment, e.impact_comment, "
			      "e.sustainability_comment FROM evaluation e LEFT JOIN country c ON c.code = e.country "
			      "LEFT JOIN organisation o ON o.id = e.organisation WHERE e.meeting = ? AND e.programme = ? "
			      "AND (e.relevance_comment IS NOT NULL OR e.coherence_comment IS NOT NULL OR "
			      "e.effectiveness_comment IS NOT NULL OR e.efficiency_comment IS NOT NULL OR "
			      "e.impact_comment IS NOT NULL OR e.sustainability_comment IS NOT NULL) "
			      "ORDER BY e.rater, e.id LIMIT 200",
			  BIND(p_int(meeting), p_int(programme)), fn, ctx);
}
