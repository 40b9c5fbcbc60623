/* home.c — see home.h.  The follow-up status of each outcome comes from
 * one aggregate query (store_followup.c). */
#define _POSIX_C_SOURCE 200809L
#include "home.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "domain.h"
#include "kept.h"
#include "money.h"
#include "needs.h"
#include "page.h"
#include "sdc.h"
#include "store.h"
#include "store_followup.h"
#include "store_notify.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

/* Outcomes listed on the home and edition pages; the rest are a link away
 * (a page stays light however many outcomes an edition has). */
#define OUTCOMES_SHOWN 30

/* One outcome with the counts of its actions (store_followup.c: one query
 * for all the outcomes of the meeting). */
static enum app_err outcome_row(void *ctx, const struct row *row)
{
	struct page_rows *o = ctx;
	struct request *req = o->req;
	struct buf *b = o->b;
	if (o->n >= OUTCOMES_SHOWN) {
		o->n++;
		return APP_OK;
	}
	long long id = row_int(row, FUO_ID);
	struct {
		long long total, done, dropped, late, percent_sum;
	} f = { row_int(row, FUO_TOTAL), row_int(row, FUO_DONE), row_int(row, FUO_DROPPED),
		row_int(row, FUO_LATE), row_int(row, FUO_PERCENT_SUM) };
	o->n++;
	const char *num = row_text(row, FUO_NUMBER);
	buf_printf(b, "<tr><td>%s</td><th scope=\"row\"><a href=\"/outcomes/%lld\">", num ? num : "", id);
	page_i18n_html(b, row, FUO_TEXT, req->lang, 160);
	const char *kind = row_text(row, FUO_KIND);
	buf_printf(b, "</a></th><td><span class=\"tag\">%s</span></td>", page_enum_label(req->lang, kind));
	long long open = f.total - f.done - f.dropped;
	long long pct = f.total ? f.percent_sum / f.total : 0;
	buf_printf(b, "<td><a href=\"/actions?outcome=%lld\">", id);
	char done[NUM_TEXT_MAX], of[NUM_TEXT_MAX];
	buf_printf(b, _("%s of %s done"), num_text(done, req->lang, f.done, 0),
		   num_text(of, req->lang, f.total - f.dropped, 0));
	buf_adds(b, "</a></td><td>");
	if (f.late)
		buf_printf(b, "<a class=\"tag tag-late\" href=\"/actions?outcome=%lld&amp;late=true\">%lld %s</a>",
			   id, f.late, _("late"));
	else if (open)
		buf_printf(b, "<span class=\"tag tag-in_progress\">%s</span>", _("on track"));
	else if (f.total)
		buf_printf(b, "<span class=\"tag tag-done\">%s</span>", _("complete"));
	else
		buf_printf(b, "<span class=\"tag\">%s</span>", _("no action yet"));
	buf_adds(b, "</td><td>");
	page_progress(req, b, pct, _("Mean progress"));
	buf_adds(b, "</td></tr>");
	return APP_OK;
}

struct meeting_ctx {
	struct request *req;
	struct buf *b;
	long long id;
};

static enum app_err meeting_row(void *ctx, const struct row *row)
{
	struct meeting_ctx *m = ctx;
	struct request *req = m->req;
	struct buf *b = m->b;
	m->id = row_int(row, FLD(MEETING, ID)->col);
	buf_printf(b, "<section class=\"dialogue\"><h2><a href=\"/meetings/%lld\">", m->id);
	page_i18n_html(b, row, FLD(MEETING, TITLE)->col, req->lang, 0);
	buf_adds(b, "</a></h2><p class=\"meta\">");
	page_date(b, req->lang, row_text(row, FLD(MEETING, START_DATE)->col));
	const char *venue = row_text(row, FLD(MEETING, VENUE)->col);
	if (venue) {
		buf_adds(b, " · ");
		buf_html(b, venue);
	}
	const char *cochairs = row_text(row, FLD(MEETING, COCHAIRS)->col);
	if (cochairs) {
		buf_printf(b, " · %s ", _("Co-chairs:"));
		const struct entity *person = ENT(PERSON);
		for (const char *p = cochairs; *p;) {
			size_t n = strcspn(p, ",");
			char *key = xstrndup(p, n);
			if (p != cochairs)
				buf_adds(b, _(", "));
			page_ref_holder(req, b, person, key);
			free(key);
			p += n + (p[n] == ',');
		}
	}
	buf_adds(b, "</p>");
	return APP_OK;
}

static void latest_dialogue(struct request *req, struct buf *b)
{
	const struct entity *e = ENT(MEETING);
	struct query q = { .e = e, .limit = 1, .nfilters = 1, .desc = true };
	q.filters[0].f = FLD(MEETING, KIND);
	q.filters[0].value = (struct dbparam){ .type = DBP_TEXT, .s = "strategic_dialogue" };
	q.sort = FLD(MEETING, START_DATE);
	struct buf head = BUF_INIT;
	struct meeting_ctx m = { .req = req, .b = &head };
	enum app_err rc = store_list(req->app->store, &q, NULL, meeting_row, &m);
	if (page_part_failed(req, b, rc)) { /* rather than "no dialogue yet" */
		buf_release(&head);
		return;
	}
	buf_add(b, head.data, head.len);
	buf_release(&head);
	if (!m.id) {
		buf_printf(b, "<p>%s <a href=\"/meetings/new\">%s</a></p>",
			   _("No strategic dialogue is recorded yet."), _("Record one"));
		return;
	}
	home_outcomes_table(req, b, m.id, 3);
	buf_adds(b, "</section>");
}

void home_outcomes_table(struct request *req, struct buf *b, long long meeting, int h)
{
	buf_printf(b, "<h%d>%s</h%d>", h, _("Outcomes and their follow-up"), h);
	/* the rows apart: the table is written only when all were read */
	struct buf rows = BUF_INIT;
	struct page_rows o = { .req = req, .b = &rows };
	if (!page_part_failed(req, b, store_followup_outcomes(req->app->store, meeting, outcome_row, &o))) {
		const struct page_table t = { .cls = "list", .scroll = true,
					      .cols = { "#", _("Outcome"), _("Kind"), _("Follow-up actions"), _("Status"),
							_("Mean progress") } };
		page_table_begin(b, &t);
		buf_add(b, rows.data, rows.len);
		page_table_end(b, &t);
		if (o.n > OUTCOMES_SHOWN) {
			buf_printf(b, "<p><a href=\"/outcomes?meeting=%lld\">", meeting);
			char n[NUM_TEXT_MAX];
			buf_printf(b, _("All %s outcomes"), num_text(n, req->lang, o.n, 0));
			buf_adds(b, "</a></p>");
		}
	}
	buf_release(&rows);
}

struct late_ctx {
	struct request *req;
	struct buf *b;
};

static enum app_err late_row(void *ctx, const struct row *row)
{
	struct late_ctx *l = ctx;
	struct request *req = l->req;
	long long id = row_int(row, FLD(ACTION, ID)->col);
	buf_printf(l->b, "<li><a href=\"/actions/%lld\">", id);
	page_i18n_html(l->b, row, FLD(ACTION, TITLE)->col, req->lang, 120);
	buf_adds(l->b, "</a> — ");
	buf_printf(l->b, "%s ", _("due"));
	page_date(l->b, req->lang, row_text(row, FLD(ACTION, DUE_DATE)->col));
	const char *owner = row_text(row, FLD(ACTION, OWNER)->col);
	if (owner) {
		buf_adds(l->b, " · ");
		page_ref_link(req, l->b, ENT(ORGANISATION), owner);
	}
	buf_adds(l->b, "</li>");
	return APP_OK;
}

static void late_actions(struct request *req, struct buf *b)
{
	const struct entity *e = ENT(ACTION);
	struct query q = page_query_int(e, FLD(ACTION, LATE), 1, 10);
	q.sort = FLD(ACTION, DUE_DATE);
	struct buf items = BUF_INIT;
	struct late_ctx l = { .req = req, .b = &items };
	long long total = 0;
	/* A visitor without a session sees how many, not which (aggregates only). */
	enum app_err rc = store_list(req->app->store, &q, &total, req->who.role == ROLE_PUBLIC ? NULL : late_row, &l);
	buf_printf(b, "<section class=\"late\"><h2>%s", _("Late actions"));
	if (!rc) {
		buf_adds(b, " <span class=\"count\">(");
		num_html(b, req->lang, total);
		buf_adds(b, ")</span>");
	}
	buf_adds(b, "</h2>");
	if (page_part_failed(req, b, rc)) {
		/* no count, and not "no action is late" */
	} else if (!total)
		buf_printf(b, "<p>%s</p>", _("No action is late."));
	else if (req->who.role == ROLE_PUBLIC)
		buf_printf(b, "<p><a href=\"/login?next=%%2Factions%%3Flate%%3Dtrue\">%s</a></p>", _("Sign in to see them."));
	else
		buf_printf(b, "<ul>%s</ul><p><a href=\"/board?late=true\">%s</a> · <a href=\"/board\">%s</a></p>",
			   buf_cstr(&items), _("All late actions"), _("Follow-up board"));
	buf_adds(b, "</section>");
	buf_release(&items);
}

/* How many records of e the reader may list: those of its scope (a focal
 * point's country, a donor's programmes) as its list counts them; records
 * about trained people counted for readers who are not staff as the
 * training figures are published (sdc.h): all the enrolments are the
 * dashboard's total, the same figure. */
static enum app_err readable_count(struct request *req, const struct entity *e, long long *n)
{
	if (dom_scoped(e, &req->who)) {
		struct query q;
		dom_query_init(&q, e, &req->who);
		enum app_err rc = store_count_where(req->app->store, &q, n);
		dom_query_release(&q);
		return rc;
	}
	long long key = 0;
	enum app_err rc = store_count_keyed(req->app->store, e, n, &key);
	if (!rc && ent_rkey(e) && !role_staff(req->who.role))
		*n = sdc_count(*n, key, SDC_RECORDS);
	return rc;
}

/* Each collection the reader may open, with the count of what it lists. */
static void counts(struct request *req, struct buf *b)
{
	buf_printf(b, "<section class=\"counts\"><h2>%s</h2>", _("What is recorded"));
	/* the items apart: a count that could not be read is no "0" */
	struct buf items = BUF_INIT;
	enum app_err rc = APP_OK;
	for (size_t i = 0; i < entities_count && !rc; i++) {
		long long n = 0;
		if (!ent_can_read(entities[i], req->who.role))
			continue;
		rc = readable_count(req, entities[i], &n);
		buf_printf(&items, "<li><a href=\"/%s\"><strong>%lld</strong> %s</a></li>", entities[i]->plural, n,
			   tr(req->lang, entities[i]->label_plural));
	}
	if (!page_part_failed(req, b, rc))
		buf_printf(b, "<ul>%s</ul>", buf_cstr(&items));
	buf_adds(b, "</section>");
	buf_release(&items);
}

static enum app_err meeting_id(void *ctx, const struct row *row)
{
	*(long long *)ctx = row_int(row, FLD(MEETING, ID)->col);
	return APP_OK;
}

/* The id of the latest meeting of a kind (0: none). */
static enum app_err latest_meeting(struct request *req, const char *kind, long long *id)
{
	struct query q = { .e = ENT(MEETING), .limit = 1, .nfilters = 1, .desc = true, .sort = FLD(MEETING, START_DATE) };
	q.filters[0].f = FLD(MEETING, KIND);
	q.filters[0].value = (struct dbparam){ .type = DBP_TEXT, .s = kind };
	*id = 0;
	return store_list(req->app->store, &q, NULL, meeting_id, id);
}

/* A tile of a reader's own work: a link, what it holds, how many. */
static void own_tile(struct buf *b, enum lang lang, const char *href, const char *what, long long n)
{
	buf_adds(b, "<li><a href=\"");
	buf_html(b, href);
	buf_adds(b, "\">");
	if (n >= 0) {
		buf_adds(b, "<strong>");
		num_html(b, lang, n);
		buf_adds(b, "</strong> ");
	}
	buf_printf(b, "%s</a></li>", what);
}

/* Staff's home says first what waits for their review (review.h), when
 * something does. */
static void review_waiting(struct request *req, struct buf *b)
{
	long long n = 0;
	if (!role_staff(req->who.role))
		return;
	enum app_err rc = store_notify_review_waiting(req->app->store, &n);
	if (page_part_failed(req, b, rc) || n == 0)
		return;
	char count[NUM_TEXT_MAX];
	buf_adds(b, "<p class=\"notice caution\"><a href=\"/review\">");
	buf_printf(b, _("%s entries wait for your review"), num_text(count, req->lang, n, 0));
	buf_adds(b, "</a></p>");
}

/* A focal point's entries returned to it for correction (review.h). */
static enum app_err returned_count(struct request *req, long long *n)
{
	struct query q;
	dom_query_init(&q, ENT(NEED), &req->who);
	q.filters[q.nfilters].f = FLD(NEED, REVIEW_STATE);
	q.filters[q.nfilters++].value = (struct dbparam){ .type = DBP_TEXT, .s = "returned" };
	enum app_err rc = store_count_where(req->app->store, &q, n);
	dom_query_release(&q);
	return rc;
}

/* A focal point's home begins with its country; a donor's with its
 * portfolio: what each comes for, one click away. */
static void own_work(struct request *req, struct buf *b)
{
	enum role role = req->who.role;
	if (role != ROLE_FOCAL && role != ROLE_DONOR)
		return;
	long long forum = 0, needs = 0, sessions = 0, people = 0, programmes = 0, returned = 0;
	enum app_err rc = latest_meeting(req, "forum", &forum);
	if (!rc && role == ROLE_FOCAL) {
		struct query q;
		dom_query_init(&q, ENT(SESSION), &req->who);
		q.filters[q.nfilters].f = FLD(SESSION, COUNTRY);
		q.filters[q.nfilters++].value = (struct dbparam){ .type = DBP_TEXT, .s = req->who.country };
		rc = store_count_where(req->app->store, &q, &sessions);
		dom_query_release(&q);
		if (!rc)
			rc = readable_count(req, ENT(NEED), &needs);
		if (!rc)
			rc = readable_count(req, ENT(PARTICIPANT), &people);
		if (!rc)
			rc = returned_count(req, &returned);
	} else if (!rc) {
		rc = readable_count(req, ENT(PROGRAMME), &programmes);
	}
	buf_printf(b, "<section class=\"counts own\"><h2>%s</h2>",
		   role == ROLE_FOCAL ? _("Your country") : _("Your portfolio"));
	if (page_part_failed(req, b, rc)) {
		buf_adds(b, "</section>");
		return;
	}
	char href[64];
	buf_adds(b, "<ul>");
	if (role == ROLE_FOCAL) {
		snprintf(href, sizeof href, "/needs/country/%s", req->who.country);
		own_tile(b, req->lang, href, _("needs assessments of your country"), needs);
		snprintf(href, sizeof href, "/sessions?country=%s", req->who.country);
		own_tile(b, req->lang, href, _("training sessions held in your country"), sessions);
		own_tile(b, req->lang, "/participants", _("participants from your country"), people);
		if (returned)
			own_tile(b, req->lang, "/review", _("of your entries returned to you for correction"), returned);
	} else {
		own_tile(b, req->lang, "/programmes", _("programmes you fund"), programmes);
		own_tile(b, req->lang, "/programmes/overview", _("Execution and results of your programmes"), -1);
	}
	own_tile(b, req->lang, "/actions?late=true", _("Late follow-up actions"), -1);
	if (forum) {
		snprintf(href, sizeof href, "/forum/%lld/evaluate", forum);
		own_tile(b, req->lang, href, _("Forum: the evaluation sheets to fill"), -1);
	}
	buf_adds(b, "</ul></section>");
}

/* What anyone may open without signing in. */
static void public_tiles(struct request *req, struct buf *b)
{
	static const struct {
		const char *href, *title, *what;
	} tiles[] = {
		{ "/training", N_("Training dashboard"), N_("The training delivered to African security services: courses, sessions, people trained, by country and theme.") },
		{ "/verify", N_("Verify a certificate"), N_("Check that a training certificate was issued by the Programme Office.") },
		{ "/iati.xml", N_("IATI file"), N_("The published programmes as an IATI 2.03 activity file, for donors and aggregators.") },
	};
	buf_printf(b, "<section class=\"counts tiles\"><h2>%s</h2><ul>", _("Open to everyone"));
	for (size_t i = 0; i < sizeof tiles / sizeof *tiles; i++)
		buf_printf(b, "<li><a href=\"%s\"><strong>%s</strong> %s</a></li>", tiles[i].href, _(tiles[i].title),
			   _(tiles[i].what));
	buf_printf(b, "</ul><p><a href=\"/login\">%s</a></p></section>", _("Staff, focal points and donors: sign in"));
}

/* What the page's content depends on: who reads it (role, country,
 * organisation), in which language, on which day (actions fall late). */
#define CONTENT_KEY_MAX 96 /* "home|" role, country, organisation, language, date: far less */
static void content_key(const struct request *req, char key[CONTENT_KEY_MAX])
{
	char today[11];
	util_today(today);
	snprintf(key, CONTENT_KEY_MAX, "home|%d|%s|%lld|%d|%s", (int)req->who.role, req->who.country,
		 req->who.organisation, (int)req->lang, today);
}

/* The page's content: each outcome's follow-up and the late actions read
 * every action (50 ms for 10⁵), so it is kept while the database stands. */
static void content(struct request *req, struct buf *b)
{
	char key[CONTENT_KEY_MAX];
	content_key(req, key);
	if (kept_get(key, req->generation, b))
		return;
	size_t start = b->len;
	buf_printf(b, "<h1>%s</h1><p class=\"lead\">%s</p>", _("Strategic dialogue follow-up"),
		   _("The partnership for Africa: from the strategic dialogue to its follow-up actions."));
	review_waiting(req, b);
	own_work(req, b);
	latest_dialogue(req, b);
	late_actions(req, b);
	needs_home_map(req, b);
	if (req->who.role == ROLE_PUBLIC)
		public_tiles(req, b);
	else
		counts(req, b);
	if (!req->part_failed && !b->over)
		kept_put(key, req->generation, b->data + start, b->len - start);
}

void home_page(struct request *req, struct response *resp)
{
	page_begin(req, resp, _("Strategic dialogue follow-up"));
	content(req, &resp->body);
	page_end(req, resp);
}
