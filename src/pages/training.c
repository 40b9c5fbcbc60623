/* training.c — see training.h.  The rows come from store_training.c;
 * writes go through domain.c.  Participants' names are shown to staff
 * only (DESIGN §2): everyone else gets counts. */
#define _POSIX_C_SOURCE 200809L
#include "training.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "domain.h"
#include "money.h"
#include "page.h"
#include "record.h"
#include "store_training.h"
#include "util.h"
#include "xalloc.h"
#include "certsign.h"
#include "banned.h"

static bool staff(const struct request *req)
{
	return (R_STAFF & ROLE_BIT(req->who.role)) != 0;
}

static void fail_rc(struct request *req, struct response *resp, enum app_err rc)
{
	if (rc == APP_NOT_FOUND)
		page_error(req, resp, 404, "No such record.");
	else
		page_error(req, resp, 503, "The database is not available; try again shortly.");
}

/* An integer column as text, nothing when NULL. */
static void cell_int(struct buf *b, const struct row *row, int col)
{
	if (!row_null(row, col))
		buf_printf(b, "%lld", row_int(row, col));
}

/* "10 – 14 March 2025" as two dates (the end may be missing). */
static void dates(struct request *req, struct buf *b, const char *start, const char *end)
{
	page_date(b, req->lang, start);
	if (end && start && strcmp(end, start) != 0) {
		buf_adds(b, " – ");
		page_date(b, req->lang, end);
	}
}

static void participant_name(struct buf *b, const struct row *row, int family, int given)
{
	const char *f = row_text(row, family), *g = row_text(row, given);
	buf_html(b, f ? f : "");
	if (g && *g) {
		buf_adds(b, ", ");
		buf_html(b, g);
	}
}

/* The cells of an enrolment's results, a row of the roster's or of a
 * participant's history (their columns from days attended to the
 * certificate are in the same order): days attended, pre- and post-test
 * scores, satisfaction, completed, and the certificate's number linked to
 * it.  Opens with the </td> of the cell before. */
_Static_assert(TRR_PRE == TRR_DAYS + 1 && TRR_POST == TRR_DAYS + 2 && TRR_SATISFACTION == TRR_DAYS + 3 &&
		       TRR_COMPLETED == TRR_DAYS + 4 && TRR_CERTIFICATE == TRR_DAYS + 5,
	       "the roster's results columns in order");
_Static_assert(TRH_PRE == TRH_DAYS + 1 && TRH_POST == TRH_DAYS + 2 && TRH_SATISFACTION == TRH_DAYS + 3 &&
		       TRH_COMPLETED == TRH_DAYS + 4 && TRH_CERTIFICATE == TRH_DAYS + 5,
	       "the history's results columns in order");
static void results_cells(struct request *req, struct buf *b, const struct row *row, long long enrolment, int days)
{
	for (int i = 0; i < 4; i++) { /* days, pre, post, satisfaction */
		buf_adds(b, "</td><td class=\"num\">");
		cell_int(b, row, days + i);
	}
	bool completed = row_int(row, days + 4) != 0;
	buf_printf(b, "</td><td>%s</td><td>", completed ? _("yes") : _("no"));
	const char *cert = row_text(row, days + 5);
	if (cert && completed) {
		buf_printf(b, "<a href=\"/enrolments/%lld/certificate\">", enrolment);
		buf_html(b, cert);
		buf_adds(b, "</a>");
	}
	buf_adds(b, "</td></tr>");
}

/* ---- a session's record page ------------------------------------------------------ */

static enum app_err roster_row(void *ctx, const struct row *row)
{
	struct page_rows *r = ctx;
	struct request *req = r->req;
	struct buf *b = page_rows_link(r, "participants", row_int(row, TRR_PARTICIPANT));
	participant_name(b, row, TRR_FAMILY, TRR_GIVEN);
	buf_adds(b, "</a></th><td>");
	page_i18n_html(b, row, TRR_COUNTRY_NAME, req->lang, 60);
	buf_adds(b, "</td><td>");
	if (row_text(row, TRR_AGENCY))
		buf_html(b, page_enum_label(req->lang, row_text(row, TRR_AGENCY)));
	results_cells(req, b, row, row_int(row, TRR_ID), TRR_DAYS);
	return APP_OK;
}

/* "Enrolled: N · Completed: M" of a session, as the reader may see them:
 * exact for staff, by statistical disclosure control for others (sdc.h) —
 * a session's counts are figures about people too. */
static void counts_line(struct request *req, struct buf *b, const struct store_training_counts *t)
{
	struct sdc_counts n = t->n;
	n.people = -1; /* not shown here */
	struct sdc_view v;
	sdc_view(&n, staff(req), &v);
	if (v.hidden)
		buf_printf(b, "<p class=\"counts-line\">%s <strong>%s</strong></p>", _("Enrolled:"),
			   _("fewer than 5: not shown"));
	else {
		buf_printf(b, "<p class=\"counts-line\">%s <strong>", _("Enrolled:"));
		num_html(b, req->lang, v.enrolments);
		buf_printf(b, "</strong> · %s <strong>", _("Completed:"));
		num_html(b, req->lang, v.completed);
		buf_adds(b, "</strong></p>");
	}
}

void training_session_sections(struct request *req, struct buf *b, const char *key)
{
	long long id;
	struct store_training_counts t;
	if (!util_parse_ll(key, &id))
		return;
	enum app_err rc = store_training_session_counts(req->app->store, id, &t);
	/* the record page has just read the session: gone since
	 * (APP_NOT_FOUND), it has no roster; unread, the section says so */
	if (rc == APP_NOT_FOUND)
		return;
	buf_printf(b, "<section class=\"roster\"><h2>%s</h2>", _("Participants"));
	if (page_part_failed(req, b, rc)) {
		buf_adds(b, "</section>");
		return;
	}
	long long enrolled = t.n.enrolments;
	counts_line(req, b, &t);
	if (!staff(req)) {
		buf_printf(b, "<p class=\"help\">%s</p></section>",
			   _("The names of participants are shown to the programme office's staff only."));
		return;
	}
	buf_printf(b, "<p><a class=\"button\" href=\"/sessions/%lld/results\">%s</a> "
		      "<a href=\"/sessions/%lld/certificates.pdf\">%s</a></p>", id,
		   _("Enter results (attendance, scores)"), id, _("Every certificate of the session (PDF)"));
	if (!enrolled) {
		buf_printf(b, "<p>%s</p></section>", _("Nobody is enrolled yet."));
		return;
	}
	const struct page_table table = {
		.cls = "list", .caption = _("Roster"), .sr_caption = true, .scroll = true,
		.cols = { _("Participant"), _("Country"), _("Agency"), _("Days attended"), _("Pre-test score"),
			  _("Post-test score"), _("Satisfaction"), _("Completed"), _("Certificate number") },
	};
	/* the rows apart: the table is written only when all were read */
	struct buf rows = BUF_INIT;
	struct page_rows r = { .req = req, .b = &rows };
	if (page_part_failed(req, b, store_training_roster(req->app->store, id, ROSTER_MAX, 0, roster_row, &r))) {
		buf_release(&rows);
		buf_adds(b, "</section>");
		return;
	}
	page_table_begin(b, &table);
	buf_add(b, rows.data, rows.len);
	page_table_end(b, &table);
	buf_release(&rows);
	if (enrolled > ROSTER_MAX)
		buf_printf(b, "<p><a href=\"/sessions/%lld/results\">%s</a></p>", id, _("Every participant, in the results grid"));
	buf_adds(b, "</section>");
}

/* ---- a participant's record page ---------------------------------------------------- */

static enum app_err history_row(void *ctx, const struct row *row)
{
	struct page_rows *r = ctx;
	struct request *req = r->req;
	struct buf *b = page_rows_named(r, "courses", row_int(row, TRH_COURSE), row, TRH_TITLE, 120);
	buf_printf(b, "<td><a href=\"/sessions/%lld\">", row_int(row, TRH_SESSION));
	dates(req, b, row_text(row, TRH_START), row_text(row, TRH_END));
	buf_adds(b, "</a>");
	if (row_text(row, TRH_VENUE)) {
		buf_adds(b, ", ");
		buf_html(b, row_text(row, TRH_VENUE));
	}
	results_cells(req, b, row, row_int(row, TRH_ID), TRH_DAYS);
	return APP_OK;
}

void training_participant_sections(struct request *req, struct buf *b, const char *key)
{
	long long id;
	if (!staff(req) || !util_parse_ll(key, &id)) /* enrolments are staff only */
		return;
	const struct page_table table = {
		.cls = "list", .caption = _("Sessions attended"), .sr_caption = true, .scroll = true,
		.cols = { _("Course"), _("Dates"), _("Days attended"), _("Pre-test score"), _("Post-test score"),
			  _("Satisfaction"), _("Completed"), _("Certificate number") },
	};
	/* the rows are kept apart until the walk ends: one that fails shows
	 * no table at all, not a part of one */
	struct buf rows = BUF_INIT;
	struct page_rows r = { .req = req, .b = &rows };
	buf_printf(b, "<section class=\"history\"><h2>%s</h2>", _("Sessions attended"));
	if (page_part_failed(req, b, store_training_history(req->app->store, id, history_row, &r))) {
		/* neither a part of the table nor "no session" */
	} else if (rows.len) {
		page_table_begin(b, &table);
		buf_add(b, rows.data, rows.len);
		page_table_end(b, &table);
	} else {
		buf_printf(b, "<p>%s</p>", _("No session yet."));
	}
	buf_adds(b, "</section>");
	buf_release(&rows);
}

/* ---- the catalogue ---------------------------------------------------------------------- */

#define NEXT_MAX 2000 /* upcoming sessions read for the catalogue */
#define NEXT_SHOWN 5  /* per course */

struct next {
	long long id, course;
	char *start, *end, *venue, *mode, *status;
};

struct catalogue_ctx {
	struct request *req;
	struct buf *b;
	struct next *next;
	size_t nnext, cap;
	char theme[64]; /* the theme of the section open, "" before the first */
	bool open;
	long long courses;
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static enum app_err next_row(void *ctx, const struct row *row)
{
	struct catalogue_ctx *c = ctx;
	if (c->nnext == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 32;
		c->next = xrealloc(c->next, c->cap * sizeof *c->next);
	}
	c->next[c->nnext++] = (struct next){
		.id = row_int(row, TRN_ID), .course = row_int(row, TRN_COURSE),
		.start = dup_or_null(row_text(row, TRN_START)), .end = dup_or_null(row_text(row, TRN_END)),
		.venue = dup_or_null(row_text(row, TRN_VENUE)), .mode = dup_or_null(row_text(row, TRN_MODE)),
		.status = dup_or_null(row_text(row, TRN_STATUS)),
	};
	return APP_OK;
}

static void next_sessions(struct catalogue_ctx *c, long long course)
{
	struct request *req = c->req;
	struct buf *b = c->b;
	int shown = 0;
	buf_printf(b, "<h4>%s</h4>", _("Next sessions"));
	for (size_t i = 0; i < c->nnext && shown < NEXT_SHOWN; i++) {
		const struct next *n = &c->next[i];
		if (n->course != course)
			continue;
		buf_adds(b, shown++ ? "" : "<ul class=\"sessions\">");
		buf_printf(b, "<li><a href=\"/sessions/%lld\">", n->id);
		dates(req, b, n->start, n->end);
		buf_adds(b, "</a>");
		if (n->venue) {
			buf_adds(b, " — ");
			buf_html(b, n->venue);
		}
		if (n->mode)
			buf_printf(b, " <span class=\"tag\">%s</span>", page_enum_label(req->lang, n->mode));
		if (n->status)
			buf_printf(b, " <span class=\"tag tag-%s\">%s</span>", n->status, ent_value_label(req->lang, FLD(SESSION, STATUS), n->status));
		buf_adds(b, "</li>");
	}
	buf_printf(b, shown ? "</ul>" : "<p class=\"meta\">%s</p>", _("No session planned."));
}

static enum app_err course_row(void *ctx, const struct row *row)
{
	struct catalogue_ctx *c = ctx;
	struct request *req = c->req;
	struct buf *b = c->b;
	const char *theme = row_text(row, TRC_THEME);
	if (!c->open || strcmp(c->theme, theme ? theme : "") != 0) {
		if (c->open)
			buf_adds(b, "</section>");
		snprintf(c->theme, sizeof c->theme, "%s", theme ? theme : "");
		c->open = true;
		buf_adds(b, "<section class=\"theme\"><h2>");
		if (theme)
			page_i18n_html(b, row, TRC_THEME_NAME, req->lang, 0);
		else
			buf_html(b, _("Other courses"));
		buf_adds(b, "</h2>");
	}
	c->courses++;
	long long id = row_int(row, TRC_ID);
	buf_printf(b, "<article class=\"course\"><h3><a href=\"/courses/%lld\">", id);
	page_i18n_html(b, row, TRC_TITLE, req->lang, 0);
	buf_adds(b, "</a>");
	if (row_int(row, TRC_SAMPLE))
		buf_printf(b, " <span class=\"tag\">%s</span>", _("sample"));
	buf_adds(b, "</h3><dl class=\"course-facts\">");
	if (row_text(row, TRC_LEVEL))
		buf_printf(b, "<dt>%s</dt><dd>%s</dd>", _("Level"), page_enum_label(req->lang, row_text(row, TRC_LEVEL)));
	if (!row_null(row, TRC_DAYS))
		buf_printf(b, "<dt>%s</dt><dd>%lld</dd>", _("Days"), row_int(row, TRC_DAYS));
	if (row_text(row, TRC_LANGUAGES)) {
		buf_printf(b, "<dt>%s</dt><dd>", _("Languages"));
		buf_html(b, row_text(row, TRC_LANGUAGES));
		buf_adds(b, "</dd>");
	}
	enum lang shown;
	if (page_i18n(row, TRC_AUDIENCE, req->lang, &shown)) {
		buf_printf(b, "<dt>%s</dt><dd>", _("Audience"));
		page_i18n_html(b, row, TRC_AUDIENCE, req->lang, 300);
		buf_adds(b, "</dd>");
	}
	buf_adds(b, "</dl>");
	next_sessions(c, id);
	buf_adds(b, "</article>");
	return APP_OK;
}

/* GET /catalogue. */
void training_catalogue_page(struct request *req, struct response *resp)
{
	struct buf body = BUF_INIT;
	struct catalogue_ctx c = { .req = req, .b = &body };
	char today[11];
	util_today(today);
	enum app_err rc = store_training_next_sessions(req->app->store, today, NEXT_MAX, next_row, &c);
	if (!rc)
		rc = store_training_courses(req->app->store, course_row, &c);
	if (c.open)
		buf_adds(&body, "</section>");
	for (size_t i = 0; i < c.nnext; i++) {
		free(c.next[i].start);
		free(c.next[i].end);
		free(c.next[i].venue);
		free(c.next[i].mode);
		free(c.next[i].status);
	}
	free(c.next);
	if (rc) {
		buf_release(&body);
		fail_rc(req, resp, rc);
		return;
	}
	struct buf *b = &resp->body;
	page_begin(req, resp, _("Course catalogue"));
	page_css(b, "training.css");
	buf_printf(b, "<div class=\"titlebar\"><h1>%s</h1>",
		   _("Course catalogue"));
	if (staff(req))
		buf_printf(b, "<p><a class=\"button\" href=\"/courses/new\">%s</a></p>", _("New course"));
	buf_printf(b, "</div><p class=\"lead\">%s <a href=\"/sessions\">%s</a> · <a href=\"/courses\">%s</a></p>",
		   _("The Programme Office's courses by theme, with their next sessions."), _("Every session"),
		   _("Every course"));
	if (!c.courses)
		buf_printf(b, "<p>%s</p>", _("No course yet."));
	buf_add(b, body.data, body.len);
	page_end(req, resp);
	buf_release(&body);
}

/* ---- the results grid -------------------------------------------------------------------- */

/* The columns an officer types, in order: enrolment fields. */
static const struct {
	const char *name, *label, *range;
	int col;
} grid_cols[] = {
	{ "days_attended", N_("Days attended"), NULL, TRR_DAYS },
	{ "pre_score", N_("Pre-test score"), "0–100", TRR_PRE },
	{ "post_score", N_("Post-test score"), "0–100", TRR_POST },
	{ "satisfaction", N_("Satisfaction"), "1–5", TRR_SATISFACTION },
};
#define NGRID (sizeof grid_cols / sizeof *grid_cols)

/* What the last attempt left to show: a row's typed values and errors,
 * or the add form's. */
struct grid_state {
	long long row;            /* the enrolment whose save failed, or 0 */
	json_t *vals;             /* what was typed in it (NULL: the stored values) */
	const struct ferrs *errs; /* its field errors (may be NULL) */
	const char *problem;      /* a message for the row, or NULL */
	long long version;        /* the version its form carries (-1: the stored one) */
	const char *add_value;    /* the participant number typed in the add form */
	const struct ferrs *add_errs;
	const char *add_problem;
	const char *notice;       /* after a redirect: saved, added */
};

struct grid_ctx {
	struct request *req;
	struct buf *b;
	long long session;
	const struct grid_state *st;
	long long rows;
};

static const char *ferr_msg(struct request *req, const struct ferrs *errs, const char *field, struct buf *m)
{
	if (!errs)
		return NULL;
	for (size_t i = 0; i < errs->n; i++)
		if (strcmp(errs->a[i].field, field) == 0) {
			ferrs_message(errs, i, req->lang, m);
			return buf_cstr(m);
		}
	return NULL;
}

/* The text of one typed value (json integer, string or null). */
static void json_text(struct buf *b, json_t *j)
{
	if (json_is_integer(j))
		buf_printf(b, "%lld", (long long)json_integer_value(j));
	else if (json_is_string(j))
		buf_html(b, json_string_value(j));
}

static enum app_err grid_row(void *ctx, const struct row *row)
{
	struct grid_ctx *g = ctx;
	struct request *req = g->req;
	struct buf *b = g->b;
	long long id = row_int(row, TRR_ID);
	bool mine = g->st && g->st->row == id;
	json_t *typed = mine ? g->st->vals : NULL;
	long long version = mine && g->st->version >= 0 ? g->st->version : row_int(row, TRR_VERSION);
	g->rows++;
	buf_printf(b, "<tr id=\"row-%lld\" data-id=\"%lld\"%s><th scope=\"row\" id=\"p-%lld\">"
		      "<a href=\"/participants/%lld\">",
		   id, id, mine ? " class=\"row-error\"" : "", id, row_int(row, TRR_PARTICIPANT));
	participant_name(b, row, TRR_FAMILY, TRR_GIVEN);
	buf_printf(b, "</a> <span class=\"meta\">#%lld</span></th>", row_int(row, TRR_PARTICIPANT));
	for (size_t i = 0; i < NGRID; i++) {
		const char *f = grid_cols[i].name;
		struct buf m = BUF_INIT;
		const char *err = mine ? ferr_msg(req, g->st->errs, f, &m) : NULL;
		buf_printf(b, "<td><input type=\"text\" inputmode=\"numeric\" autocomplete=\"off\" "
			      "form=\"f-%lld\" name=\"%s\" id=\"in-%lld-%s\" "
			      "aria-labelledby=\"h-%s p-%lld\" aria-describedby=\"e-%lld-%s\"%s value=\"",
			   id, f, id, f, f, id, id, f, err ? " aria-invalid=\"true\"" : "");
		if (typed)
			json_text(b, json_object_get(typed, f));
		else
			cell_int(b, row, grid_cols[i].col);
		buf_printf(b, "\"><span class=\"field-error\" id=\"e-%lld-%s\">", id, f);
		if (err)
			buf_html(b, err);
		buf_adds(b, "</span></td>");
		buf_release(&m);
	}
	bool done = typed ? json_is_true(json_object_get(typed, "completed")) : row_int(row, TRR_COMPLETED) != 0;
	buf_printf(b, "<td><input type=\"checkbox\" form=\"f-%lld\" name=\"completed\" value=\"true\" "
		      "id=\"in-%lld-completed\" aria-labelledby=\"h-completed p-%lld\" "
		      "aria-describedby=\"e-%lld-completed\"%s><span class=\"field-error\" id=\"e-%lld-completed\">",
		   id, id, id, id, done ? " checked" : "", id);
	struct buf m = BUF_INIT;
	const char *err = mine ? ferr_msg(req, g->st->errs, "completed", &m) : NULL;
	if (err)
		buf_html(b, err);
	buf_release(&m);
	buf_adds(b, "</span></td><td class=\"cert\">");
	const char *cert = row_text(row, TRR_CERTIFICATE);
	if (cert && row_int(row, TRR_COMPLETED)) {
		buf_printf(b, "<a href=\"/enrolments/%lld/certificate\">", id);
		buf_html(b, cert);
		buf_adds(b, "</a>");
	}
	buf_printf(b, "</td><td><form id=\"f-%lld\" method=\"post\" action=\"/sessions/%lld/results\">", id, g->session);
	page_csrf_field(req, b);
	buf_printf(b, "<input type=\"hidden\" name=\"enrolment\" value=\"%lld\">"
		      "<input type=\"hidden\" name=\"_version\" value=\"%lld\">"
		      "<button type=\"submit\" aria-describedby=\"p-%lld\">%s</button> "
		      "<span class=\"row-status\" id=\"s-%lld\" role=\"status\">",
		   id, version, id, _("Save"), id);
	if (mine && g->st->problem)
		buf_html(b, g->st->problem);
	else if (mine && g->st->errs && g->st->errs->n)
		buf_html(b, _("Not saved: correct the values shown."));
	buf_adds(b, "</span></form></td></tr>");
	return APP_OK;
}

struct session_info {
	struct buf title;
	bool found;
};

static enum app_err session_row(void *ctx, const struct row *row)
{
	struct session_info *s = ctx;
	(void)row;
	s->found = true;
	return APP_OK;
}

static void grid_page(struct request *req, struct response *resp, long long session,
		      const struct grid_state *st)
{
	const struct entity *se = ENT(SESSION);
	char key[24];
	snprintf(key, sizeof key, "%lld", session);
	struct session_info info = { 0 };
	struct store_training_counts t = { 0 };
	enum app_err rc = store_get(req->app->store, se, key, session_row, &info);
	if (!rc)
		rc = store_training_session_counts(req->app->store, session, &t);
	long long enrolled = t.n.enrolments;
	if (rc) {
		fail_rc(req, resp, rc);
		return;
	}
	long long offset = 0;
	const char *o = args_get(&req->query, "offset");
	if (!o || !util_parse_ll(o, &offset) || offset < 0)
		offset = 0;
	struct buf *b = &resp->body;
	page_begin(req, resp, _("Results of the session"));
	page_css(b, "training.css");
	buf_printf(b, ""
		      "<p class=\"crumbs\"><a href=\"/sessions\">%s</a> › ", _("Training sessions"));
	page_ref_link(req, b, se, key);
	buf_printf(b, "</p><h1>%s — ", _("Results of the session"));
	page_ref_link(req, b, se, key);
	buf_adds(b, "</h1>");
	counts_line(req, b, &t);
	if (st && st->notice)
		buf_printf(b, "<p class=\"notice\" role=\"status\">%s</p>", st->notice);
	buf_printf(b, "<p class=\"help\" id=\"grid-help\">%s</p>",
		   _("Type each participant's values and save the row. With JavaScript, Enter saves the row and "
		     "goes to the next one; the arrow keys Up and Down move between rows in the same column, "
		     "Tab across. An empty box clears the value."));
	buf_printf(b, "<div class=\"scroll\"><table class=\"list grid\" id=\"grid\" aria-describedby=\"grid-help\" "
		      "data-session=\"%lld\" data-msg-saving=\"", session);
	buf_html(b, _("Saving…"));
	buf_adds(b, "\" data-msg-saved=\"");
	buf_html(b, _("Saved."));
	buf_adds(b, "\" data-msg-invalid=\"");
	buf_html(b, _("Not saved: correct the values shown."));
	buf_adds(b, "\" data-msg-stale=\"");
	buf_html(b, _("Not saved: someone else changed this row since you opened the page. Reload the page to see their values."));
	buf_adds(b, "\" data-msg-failed=\"");
	buf_html(b, _("Not saved: the server could not be reached. Try again."));
	buf_printf(b, "\"><caption class=\"sr-only\">%s</caption><thead><tr><th scope=\"col\">%s</th>",
		   _("Results of the session"), _("Participant"));
	for (size_t i = 0; i < NGRID; i++) {
		buf_printf(b, "<th scope=\"col\" id=\"h-%s\">%s", grid_cols[i].name, _(grid_cols[i].label));
		if (grid_cols[i].range)
			buf_printf(b, " <span class=\"range\">(%s)</span>", grid_cols[i].range);
		buf_adds(b, "</th>");
	}
	buf_printf(b, "<th scope=\"col\" id=\"h-completed\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		      "</tr></thead><tbody>",
		   _("Completed"), _("Certificate number"), _("Save"));
	struct grid_ctx g = { .req = req, .b = b, .session = session, .st = st };
	rc = store_training_roster(req->app->store, session, GRID_PAGE, offset, grid_row, &g);
	buf_adds(b, "</tbody></table></div>");
	if (!g.rows)
		buf_printf(b, "<p>%s</p>", _("Nobody is enrolled yet."));
	if (offset > 0 || offset + GRID_PAGE < enrolled) {
		buf_printf(b, "<nav class=\"pager\" aria-label=\"%s\"><ul>", _("Pages"));
		if (offset > 0)
			buf_printf(b, "<li><a href=\"/sessions/%lld/results?offset=%lld\">%s</a></li>", session,
				   offset > GRID_PAGE ? offset - GRID_PAGE : 0, _("Previous page"));
		if (offset + GRID_PAGE < enrolled)
			buf_printf(b, "<li><a href=\"/sessions/%lld/results?offset=%lld\">%s</a></li>", session,
				   offset + GRID_PAGE, _("Next page"));
		buf_adds(b, "</ul></nav>");
	}
	/* adding a participant by number */
	struct buf m = BUF_INIT;
	const char *err = st ? ferr_msg(req, st->add_errs, "participant", &m) : NULL;
	if (!err && st && st->add_problem)
		err = st->add_problem;
	buf_printf(b, "<h2 id=\"add-title\">%s</h2><form method=\"post\" action=\"/sessions/%lld/results\" "
		      "class=\"add-participant\" aria-labelledby=\"add-title\">",
		   _("Add a participant to the session"), session);
	page_csrf_field(req, b);
	buf_printf(b, "<input type=\"hidden\" name=\"_do\" value=\"add\"><div class=\"field\">"
		      "<label for=\"add-participant\">%s</label> <input type=\"text\" inputmode=\"numeric\" "
		      "id=\"add-participant\" name=\"participant\" size=\"8\" required aria-describedby=\"add-help%s\"%s value=\"",
		   _("Participant number"), err ? " add-error" : "", err ? " aria-invalid=\"true\"" : "");
	buf_html(b, st && st->add_value ? st->add_value : "");
	buf_printf(b, "\"> <button type=\"submit\">%s</button><p class=\"help\" id=\"add-help\">%s "
		      "<a href=\"/participants\">%s</a> · <a href=\"/participants/new\">%s</a></p>",
		   _("Add"), _("The number of the participant's record."), _("Find a participant"),
		   _("New participant"));
	if (err) {
		buf_adds(b, "<p class=\"field-error\" id=\"add-error\">");
		buf_html(b, err);
		buf_adds(b, "</p>");
	}
	buf_adds(b, "</div></form>");
	page_js(b, "grid.js");
	buf_release(&m);
	page_end(req, resp);
}

/* The enrolment `id` is one of `session`'s? */
struct enrol_ctx {
	int col;
	long long session;
};

static enum app_err enrol_row(void *ctx, const struct row *row)
{
	struct enrol_ctx *e = ctx;
	e->session = row_int(row, e->col);
	return APP_OK;
}

/* The row's values as the JSON patch the API would get: an empty box
 * clears, a number is a number, anything else stays text (and fails
 * validation as the API would say). */
static json_t *row_patch(const struct args *form)
{
	json_t *obj = json_object();
	for (size_t i = 0; i < NGRID; i++) {
		const char *v = args_get(form, grid_cols[i].name);
		long long n;
		json_t *j;
		if (!v || !*v)
			j = json_null();
		else if (util_parse_ll(v, &n))
			j = json_integer(n);
		else if (!(j = json_string(v))) /* invalid UTF-8 */
			j = json_string("\xef\xbf\xbd");
		json_object_set_new(obj, grid_cols[i].name, j);
	}
	const char *c = args_get(form, "completed");
	json_object_set_new(obj, "completed", json_boolean(c && (strcmp(c, "true") == 0 || strcmp(c, "on") == 0)));
	return obj;
}

static void grid_save(struct request *req, struct response *resp, long long session, const struct args *form)
{
	const struct entity *ee = ENT(ENROLMENT);
	const char *key = args_get(form, "enrolment");
	long long id, version = -1;
	struct enrol_ctx ec = { .col = FLD(ENROLMENT, SESSION)->col, .session = -1 };
	enum app_err rc = !key || !util_parse_ll(key, &id) || id <= 0 ? APP_NOT_FOUND
								     : store_get(req->app->store, ee, key, enrol_row, &ec);
	if (!rc && ec.session != session)
		rc = APP_NOT_FOUND; /* an enrolment of another session */
	if (rc) { /* a database that does not answer is no "no such record" */
		fail_rc(req, resp, rc);
		return;
	}
	const char *v = args_get(form, "_version");
	if (!v || !util_parse_ll(v, &version))
		version = -1;
	json_t *patch = row_patch(form);
	struct ferrs errs = { 0 };
	rc = dom_update(req->app, ee, key, patch, version, &req->who, &errs);
	if (!rc) {
		char *url = xasprintf("/sessions/%lld/results?saved=%lld#row-%lld", session, id, id);
		page_redirect(resp, url);
		free(url);
	} else if (rc == APP_FORBIDDEN || rc == APP_METHOD) {
		page_error(req, resp, 403, "Your role may not do this.");
	} else if (rc == APP_NOT_FOUND) {
		page_error(req, resp, 404, "No such record.");
	} else {
		/* Stale: the row shows what is stored now, with its version;
		 * invalid: what was typed, with the errors beside it. */
		struct grid_state st = {
			.row = id, .errs = &errs, .version = rc == APP_INVALID ? version : -1,
			.vals = rc == APP_INVALID ? patch : NULL,
			.problem = rc == APP_PRECONDITION ? _("Not saved: someone else changed this row since you opened the page. It now shows their values; enter yours again if they still apply.")
				 : rc == APP_INVALID ? NULL : page_db_problem(req, rc),
		};
		resp->status = err_status(rc);
		grid_page(req, resp, session, &st);
	}
	json_decref(patch);
	ferrs_release(&errs);
}

static void grid_add(struct request *req, struct response *resp, long long session, const struct args *form)
{
	const struct entity *ee = ENT(ENROLMENT);
	const char *p = args_get(form, "participant");
	json_t *obj = json_object();
	long long n;
	json_object_set_new(obj, "session", json_integer(session));
	if (p && *p && util_parse_ll(p, &n))
		json_object_set_new(obj, "participant", json_integer(n));
	else if (p && *p)
		json_object_set_new(obj, "participant", json_string(util_valid_utf8(p, strlen(p)) ? p : "?"));
	struct ferrs errs = { 0 };
	struct buf key = BUF_INIT;
	enum app_err rc = dom_create(req->app, ee, obj, REC_CREATE, &req->who, &key, &errs);
	if (!rc) {
		char *url = xasprintf("/sessions/%lld/results?added=%s#row-%s", session, buf_cstr(&key), buf_cstr(&key));
		page_redirect(resp, url);
		free(url);
	} else if (rc == APP_FORBIDDEN || rc == APP_METHOD) {
		page_error(req, resp, 403, "Your role may not do this.");
	} else {
		struct grid_state st = {
			.version = -1, .add_value = p, .add_errs = &errs,
			.add_problem = rc == APP_CONFLICT ? _("This participant is already enrolled in this session.")
				     : rc == APP_INVALID ? NULL : page_db_problem(req, rc),
		};
		resp->status = err_status(rc);
		grid_page(req, resp, session, &st);
	}
	buf_release(&key);
	ferrs_release(&errs);
	json_decref(obj);
}

/* GET|POST /sessions/{id}/results (staff: the route table says so). */
void training_grid_page(struct request *req, struct response *resp)
{
	long long session;
	if (!req_param_id(req, "id", &session))
		return; /* the table's {id} is a positive integer */
	if (strcmp(req->method, "POST") == 0) {
		struct args form = { 0 };
		args_parse_form(&form, req->body, req->body_len);
		const char *what = args_get(&form, "_do");
		if (what && strcmp(what, "add") == 0)
			grid_add(req, resp, session, &form);
		else
			grid_save(req, resp, session, &form);
		args_release(&form);
		return;
	}
	struct grid_state st = { .version = -1 };
	if (args_get(&req->query, "saved"))
		st.notice = _("Saved.");
	else if (args_get(&req->query, "added"))
		st.notice = _("The participant was added to the session.");
	grid_page(req, resp, session, &st);
}

/* ---- certificates ---------------------------------------------------------------------- */

/* Title in language l, else in the other of fr/en. */
static void title_in(struct buf *b, const struct row *row, int col, enum lang l)
{
	const char *t = row_text(row, col + (int)l);
	if (!t || !*t)
		t = row_text(row, col + (l == LANG_FR ? LANG_EN : LANG_FR));
	buf_html(b, t ? t : "");
}

struct cert_ctx {
	struct request *req;
	struct buf *b;
	bool completed;
	char number[CERT_NUMBER_MAX];
	long long session;
};

static enum app_err cert_check(void *ctx, const struct row *row)
{
	struct cert_ctx *c = ctx;
	c->completed = row_int(row, TRX_COMPLETED) && row_text(row, TRX_NUMBER);
	row_copy(row, TRX_NUMBER, c->number, sizeof c->number);
	c->session = row_int(row, TRX_SESSION);
	return APP_OK;
}

/* One language's side of the certificate. */
static void cert_side(struct buf *b, const struct row *row, enum lang l)
{
	buf_printf(b, "<section class=\"side\" lang=\"%s\" dir=\"ltr\"><p class=\"org\">%s</p><h1>%s</h1>"
		      "<p class=\"certify\">%s</p><p class=\"name\">",
		   lang_code[l], tr(l, "Programme Office for Counter-Terrorism and Training in Africa"),
		   tr(l, "Certificate of training"), tr(l, "This is to certify that"));
	const char *g = row_text(row, TRX_GIVEN), *f = row_text(row, TRX_FAMILY);
	if (g && *g) {
		buf_html(b, g);
		buf_addc(b, ' ');
	}
	buf_html(b, f ? f : "");
	buf_printf(b, "</p><p>%s</p><p class=\"course\">", tr(l, "has completed the course"));
	title_in(b, row, TRX_TITLE, l);
	buf_printf(b, "</p><p>%s ", tr(l, "held from"));
	page_date(b, l, row_text(row, TRX_START));
	buf_printf(b, " %s ", tr(l, "to"));
	page_date(b, l, row_text(row, TRX_END) ? row_text(row, TRX_END) : row_text(row, TRX_START));
	if (row_text(row, TRX_VENUE)) {
		buf_printf(b, " %s ", tr(l, "in"));
		buf_html(b, row_text(row, TRX_VENUE));
	}
	buf_adds(b, ".</p></section>");
}

static enum app_err cert_row(void *ctx, const struct row *row)
{
	struct cert_ctx *c = ctx;
	struct buf *b = c->b;
	buf_adds(b, "<main id=\"main\" class=\"certificate\"><div class=\"sides\">");
	cert_side(b, row, LANG_FR);
	cert_side(b, row, LANG_EN);
	buf_adds(b, "</div><p class=\"number\" dir=\"ltr\"><span lang=\"fr\">");
	buf_html(b, tr(LANG_FR, "Certificate number"));
	buf_adds(b, "</span> / <span lang=\"en\">");
	buf_html(b, tr(LANG_EN, "Certificate number"));
	buf_adds(b, "</span> : <strong>");
	buf_html(b, c->number);
	buf_adds(b, "</strong></p><p class=\"verify\" dir=\"ltr\"><span lang=\"fr\">");
	buf_html(b, tr(LANG_FR, "Verify this certificate at"));
	buf_adds(b, "</span> / <span lang=\"en\">");
	buf_html(b, tr(LANG_EN, "Verify this certificate at"));
	buf_adds(b, "</span> <span class=\"url\">");
	struct buf origin = BUF_INIT;
	page_origin(c->req, &origin);
	buf_html(b, buf_cstr(&origin));
	buf_release(&origin);
	buf_adds(b, "/verify/");
	buf_html(b, c->number);
	buf_adds(b, "</span></p>");
	if (row_int(row, TRX_SAMPLE)) {
		buf_adds(b, "<p class=\"sample\"><span lang=\"fr\">");
		buf_html(b, tr(LANG_FR, "SAMPLE: demonstration data, not a real certificate."));
		buf_adds(b, "</span> <span lang=\"en\">");
		buf_html(b, tr(LANG_EN, "SAMPLE: demonstration data, not a real certificate."));
		buf_adds(b, "</span></p>");
	}
	buf_adds(b, "</main>");
	return APP_OK;
}

/* GET /enrolments/{id}/certificate: it names the participant, so staff
 * only (the route table says so). */
void training_certificate_page(struct request *req, struct response *resp)
{
	long long id;
	if (!req_param_id(req, "id", &id))
		return; /* the table's {id} is a positive integer */
	struct cert_ctx c = { .req = req };
	enum app_err rc = store_training_certificate(req->app->store, id, cert_check, &c);
	if (rc) {
		fail_rc(req, resp, rc);
		return;
	}
	if (!c.completed) {
		page_error(req, resp, 404, "This enrolment is not completed: it has no certificate.");
		return;
	}
	struct buf *b = &resp->body;
	resp->status = 200;
	resp->content_type = "text/html; charset=utf-8";
	buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"%s\"><head><meta charset=\"utf-8\">"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>",
		   lang_code[req->lang], lang_rtl(req->lang) ? "rtl" : "ltr");
	buf_html(b, _("Certificate"));
	buf_adds(b, " ");
	buf_html(b, c.number);
	buf_adds(b, " — suivi</title>");
	page_head_links(b, "certificate.css");
	buf_adds(b, "</head><body>");
	buf_printf(b, "<nav class=\"noprint\" aria-label=\"%s\"><p><a href=\"/sessions/%lld\">%s</a> · "
		      "<a href=\"/sessions/%lld/results\">%s</a> · <a href=\"/enrolments/%lld/certificate.pdf\">%s</a> · "
		      "%s</p></nav>",
		   _("Certificate"), c.session, _("Back to the session"), c.session, _("Results of the session"), id,
		   _("The certificate as PDF, with its QR code"),
		   _("Print this page from the browser: it fits one A4 page, landscape."));
	c.b = b;
	rc = store_training_certificate(req->app->store, id, cert_row, &c);
	if (rc) {
		buf_reset(b);
		fail_rc(req, resp, rc);
		return;
	}
	buf_adds(b, "</body></html>\n");
}

/* ---- public verification ------------------------------------------------------------------ */

struct verify_ctx {
	struct request *req;
	struct buf *b;
	bool json;
	long long course;            /* what the database holds */
	char start[11], end[11];
};

static enum app_err verify_row(void *ctx, const struct row *row)
{
	struct verify_ctx *v = ctx;
	struct request *req = v->req;
	struct buf *b = v->b;
	v->course = row_int(row, TRV_COURSE);
	row_copy(row, TRV_START, v->start, sizeof v->start);
	row_copy(row, TRV_END, v->end, sizeof v->end);
	if (v->json) {
		buf_printf(b, ",\"course\":{\"id\":%lld,\"title\":", row_int(row, TRV_COURSE));
		rec_i18n_json(b, row, TRV_TITLE);
		buf_adds(b, "},\"start_date\":");
		buf_json_str(b, row_text(row, TRV_START)); /* null when there is none */
		buf_adds(b, ",\"end_date\":");
		buf_json_str(b, row_text(row, TRV_END));
		return APP_OK;
	}
	buf_printf(b, "<dl class=\"record\"><dt>%s</dt><dd>", _("Course"));
	page_i18n_html(b, row, TRV_TITLE, req->lang, 0);
	buf_printf(b, "</dd><dt>%s</dt><dd>", _("Dates"));
	dates(req, b, row_text(row, TRV_START), row_text(row, TRV_END));
	buf_adds(b, "</dd></dl>");
	return APP_OK;
}

/* The number to look up: as printed when what was typed can be one
 * (store_training_certificate_normalise, into buf), else as typed. */
static const char *verify_number(const char *typed, char buf[CERT_NUMBER_MAX])
{
	return store_training_certificate_normalise(typed, buf) ? buf : typed;
}

/* The signature of a QR code's address (certsign.h): 1 when it signs
 * what the address says and that is what the database holds for a valid
 * certificate, 0 when not, -1 when the address has none. */
static int signature_holds(struct request *req, const char *number, bool valid, const struct verify_ctx *v)
{
	const char *sig = args_get(&req->query, "sig"), *course = args_get(&req->query, "course");
	if (!sig)
		return -1;
	long long c;
	struct cert_claim claim = { number, 0, args_get(&req->query, "start"), args_get(&req->query, "end") };
	unsigned char pk[CERTSIGN_PK_BYTES];
	if (!valid || !course || !util_parse_ll(course, &c) || !claim.start || !certsign_public_key(req->app, pk))
		return 0;
	claim.course = c;
	const char *end = v->end[0] ? v->end : v->start;
	bool same = c == v->course && strcmp(claim.start, v->start) == 0 &&
		    strcmp(claim.end ? claim.end : claim.start, end) == 0;
	return same && certsign_verify(pk, &claim, sig);
}

static void verify_page(struct request *req, struct response *resp, const char *typed)
{
	char buf[CERT_NUMBER_MAX];
	const char *number = typed ? verify_number(typed, buf) : NULL;
	struct buf found = BUF_INIT;
	bool valid = false;
	enum app_err rc = APP_OK;
	int signature = -1;
	if (number) {
		struct verify_ctx v = { .req = req, .b = &found };
		/* looked up whatever its shape: one answer time for every number */
		rc = store_training_verify(req->app->store, number, verify_row, &v, &valid);
		if (!rc)
			signature = signature_holds(req, number, valid, &v);
	}
	if (rc) {
		buf_release(&found);
		fail_rc(req, resp, rc);
		return;
	}
	struct buf *b = &resp->body;
	page_begin(req, resp, _("Verify a certificate"));
	buf_printf(b, "<h1>%s</h1>", _("Verify a certificate"));
	if (number) {
		buf_printf(b, "<section class=\"verdict %s\" aria-labelledby=\"verdict\"><h2 id=\"verdict\">",
			   valid && signature != 0 ? "valid" : "invalid");
		buf_printf(b, "%s <span dir=\"ltr\">", _("Certificate"));
		page_text_cut(b, number, 40);
		buf_printf(b, "</span>: %s</h2>", valid ? _("valid") : _("not valid"));
		if (valid)
			buf_add(b, found.data, found.len);
		else
			buf_printf(b, "<p>%s</p>", _("No valid certificate has this number. Check that it was typed as printed."));
		if (signature >= 0)
			buf_printf(b, "<p class=\"signature\">%s</p>",
				   signature ? _("The signature of the QR code holds: this installation issued this certificate for this course and these dates.")
					     : _("The signature of the QR code does not hold: the code was not made by this installation for this certificate, or it was altered."));
		buf_adds(b, "</section>");
	}
	buf_printf(b, "<form method=\"get\" action=\"/verify\" class=\"filters\"><div class=\"field\">"
		      "<label for=\"verify-number\">%s</label> <input type=\"text\" id=\"verify-number\" name=\"number\" "
		      "dir=\"ltr\" size=\"20\" placeholder=\"PO-2025-XXXXXXXX\" autocomplete=\"off\" value=\"",
		   _("Certificate number"));
	if (number)
		buf_html(b, number);
	buf_printf(b, "\"></div><div class=\"field\"><button type=\"submit\">%s</button></div></form>"
		      "<p class=\"help\">%s</p>",
		   _("Verify"), _("This page says only whether a certificate number is valid, and for which course and dates."));
	page_end(req, resp);
	buf_release(&found);
}

void training_verify_api(struct request *req, struct response *resp)
{
	const char *rest = req_param(req, "number");
	resp->content_type = "application/json";
	buf_reset(&resp->body);
	if (!rest || !*rest || strchr(rest, '/') || !util_valid_utf8(rest, strlen(rest)) || strlen(rest) > 200) {
		resp_json_error_code(resp, 404, "not_found", "GET /api/v1/verify/NUMBER.");
		return;
	}
	char buf[CERT_NUMBER_MAX];
	rest = verify_number(rest, buf);
	struct buf found = BUF_INIT;
	struct verify_ctx v = { .req = req, .b = &found, .json = true };
	bool valid = false;
	enum app_err rc = store_training_verify(req->app->store, rest, verify_row, &v, &valid);
	if (rc) {
		resp_json_error_code(resp, 503, "unavailable", "The database is not available.");
	} else {
		resp->status = 200;
		buf_printf(&resp->body, "{\"valid\":%s,\"number\":", valid ? "true" : "false");
		buf_json_str(&resp->body, rest);
		if (valid)
			buf_add(&resp->body, found.data, found.len);
		int signature = signature_holds(req, rest, valid, &v);
		if (signature >= 0)
			buf_printf(&resp->body, ",\"signature\":%s", signature ? "true" : "false");
		buf_addc(&resp->body, '}');
	}
	resp_header(resp, "Cache-Control", "no-store");
	buf_release(&found);
}

/* GET /verify?number=N and GET /verify/{number}: for anyone. */
void training_verify_page(struct request *req, struct response *resp)
{
	const char *number = req_param(req, "number");
	if (!number)
		number = args_get(&req->query, "number");
	if (number && (!*number || strchr(number, '/') || !util_valid_utf8(number, strlen(number)) || strlen(number) > 200))
		number = NULL;
	verify_page(req, resp, number);
}
