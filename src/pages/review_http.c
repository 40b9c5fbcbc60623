/* review_http.c — see review_http.h. */
#define _POSIX_C_SOURCE 200809L
#include "review_http.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "args.h"
#include "domain.h"
#include "money.h"
#include "page.h"
#include "review.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

#define QUEUE_SHOWN 200 /* entries of a collection listed at once: the oldest */

/* The reviewed collection a route names, or NULL. */
static const struct entity *reviewed(const struct request *req)
{
	const struct entity *e = ent_by_plural(req_param(req, "collection"));
	return e && review_applies(e) ? e : NULL;
}

/* Review field k (REVIEW_STATE ..) of a row of e. */
static const char *column(const struct row *row, const struct entity *e, int k)
{
	return row_text(row, e->review[k].col);
}

/* A state as a tag: "Waiting for review", "Approved", "Returned for correction". */
static void state_tag(struct request *req, struct buf *b, const char *state)
{
	const char *word = !state ? "" : strcmp(state, "submitted") == 0 ? _("Waiting for review")
				     : strcmp(state, "returned") == 0 ? _("Returned for correction")
								      : _("Approved");
	buf_printf(b, "<span class=\"tag tag-review-%s\">%s</span>", state ? state : "approved", word);
}

/* When and by whom: "4 December 2026, by NAME" (a link's holder by its
 * address: to staff only, as the field is). */
static void submitted(struct request *req, struct buf *b, const char *at, const char *by)
{
	if (!role_staff(req->who.role))
		by = NULL;
	if (at && strlen(at) >= 10) {
		char day[11];
		snprintf(day, sizeof day, "%.10s", at);
		page_date(b, req->lang, day);
	}
	if (by && *by) {
		buf_printf(b, ", %s <bdi>", _("by"));
		buf_html(b, strncmp(by, "link:", 5) == 0 ? by + 5 : by);
		buf_adds(b, "</bdi>");
	}
}

/* ---- the record's section --------------------------------------------------------------- */

struct facts {
	const struct entity *e;
	char state[16], at[21], by[72];
	struct buf comment;
};

static enum app_err facts_row(void *ctx, const struct row *row)
{
	struct facts *f = ctx;
	row_copy(row, f->e->review[REVIEW_STATE].col, f->state, sizeof f->state);
	row_copy(row, f->e->review[REVIEW_AT].col, f->at, sizeof f->at);
	row_copy(row, f->e->review[REVIEW_BY].col, f->by, sizeof f->by);
	const char *c = column(row, f->e, REVIEW_COMMENT);
	buf_adds(&f->comment, c ? c : "");
	return APP_OK;
}

/* The officer's form: a comment, then Approve or Return. */
static void decision_form(struct request *req, struct buf *b, const char *action, const char *state)
{
	buf_printf(b, "<form method=\"post\" action=\"%s\" class=\"review-form\">", action);
	page_csrf_field(req, b);
	buf_printf(b, "<label for=\"review-comment\">%s</label><textarea id=\"review-comment\" name=\"comment\" rows=\"3\" "
		      "maxlength=\"4000\"></textarea><p class=\"help\">%s</p><div class=\"review-buttons\">"
		      "<button type=\"submit\" name=\"decision\" value=\"approve\">%s</button>",
		   _("Comment"), _("Required to return an entry: say what is to be corrected."), _("Approve"));
	if (strcmp(state, "submitted") == 0)
		buf_printf(b, " <button type=\"submit\" name=\"decision\" value=\"return\" class=\"secondary\">%s</button>",
			   _("Return for correction"));
	buf_adds(b, "</div></form>");
}

void review_section(struct request *req, struct buf *b, const struct entity *e, const char *key)
{
	struct facts f = { .e = e, .comment = BUF_INIT };
	enum app_err rc = dom_get_row(req->app, e, key, &req->who, LABELS_NONE, facts_row, &f);
	if (rc == APP_NOT_FOUND) {
		buf_release(&f.comment);
		return;
	}
	buf_printf(b, "<section id=\"review\" class=\"review\"><h2>%s</h2>", _("Review"));
	if (!page_part_failed(req, b, rc)) {
		buf_adds(b, "<p>");
		state_tag(req, b, f.state);
		if (f.at[0]) {
			buf_printf(b, " %s ", _("Submitted on"));
			submitted(req, b, f.at, f.by);
			buf_adds(b, ".");
		}
		buf_adds(b, "</p>");
		if (f.comment.len) {
			/* (the comment keeps its own direction: an English note on an Arabic page) */
			buf_printf(b, "<p class=\"review-comment\"><strong>%s</strong> <bdi>", _("Reviewer's comment:"));
			buf_html(b, buf_cstr(&f.comment));
			buf_adds(b, "</bdi></p>");
		}
		bool waits = strcmp(f.state, "submitted") == 0 || strcmp(f.state, "returned") == 0;
		if (strcmp(f.state, "approved") != 0)
			buf_printf(b, "<p>%s</p>", _("It counts nowhere (matrix, map, gaps, results, reports, IATI file) "
						     "until an officer approves it."));
		if (waits && role_staff(req->who.role)) {
			char action[96];
			snprintf(action, sizeof action, "/%s/%s/review", e->plural, key);
			decision_form(req, b, action, f.state);
		} else if (strcmp(f.state, "returned") == 0 && ent_can_write(e, req->who.role)) {
			buf_printf(b, "<p><a class=\"button\" href=\"/%s/%s/edit\">%s</a></p>", e->plural, key,
				   _("Correct it: saving submits it again"));
		}
	}
	buf_adds(b, "</section>");
	buf_release(&f.comment);
}

/* What a refused decision says on a page (a msgid). */
static const char *refusal(enum app_err rc)
{
	return rc == APP_CONFLICT ? N_("This entry waits for no decision: it is approved, or returned already.")
	     : rc == APP_INVALID ? N_("A comment is required to return an entry (at most 4000 characters): say what is "
				      "to be corrected.")
	     : rc == APP_FORBIDDEN ? N_("Only staff approve or return an entry.")
				   : NULL;
}

/* The decision a form names: true for approve; false (and *ok false) when it names none. */
static bool decision_of(const struct args *form, bool *ok)
{
	const char *d = args_get(form, "decision");
	*ok = d && (strcmp(d, "approve") == 0 || strcmp(d, "return") == 0);
	return *ok && strcmp(d, "approve") == 0;
}

void review_record_post(struct request *req, struct response *resp)
{
	const struct entity *e = reviewed(req);
	const char *key = req_param(req, "key");
	if (!e || !dom_valid_key(e, key)) { /* (the key goes into the link back) */
		page_error(req, resp, 404, N_("No such record."));
		return;
	}
	struct args form = { 0 };
	args_parse_form(&form, req->body, req->body_len);
	bool ok, approve = decision_of(&form, &ok);
	struct ferrs errs = { 0 };
	enum app_err rc = ok ? review_decide(req->app, e, key, approve, args_get(&form, "comment"), &req->who, &errs)
			     : APP_BAD_QUERY;
	ferrs_release(&errs);
	args_release(&form);
	char back[96];
	snprintf(back, sizeof back, "/%s/%s#review", e->plural, key);
	if (!rc)
		page_redirect(resp, back);
	else if (refusal(rc))
		page_error_back(req, resp, err_status(rc), refusal(rc), back, N_("Back to the entry"));
	else if (rc == APP_BAD_QUERY)
		page_error_back(req, resp, 400, N_("This form was not sent whole: try again."), back, N_("Back to the entry"));
	else
		page_error_rc(req, resp, rc);
}

/* ---- the queue --------------------------------------------------------------------------- */

struct queue_rows {
	struct page_rows rows;
	const struct entity *e;
	bool pick;     /* with a box to tick (staff) */
	bool comment;  /* with the reviewer's comment (returned entries) */
};

static enum app_err queue_row(void *ctx, const struct row *row)
{
	struct queue_rows *q = ctx;
	struct request *req = q->rows.req;
	page_rows_add(&q->rows);
	struct buf *b = q->rows.b;
	const char *key = row_text(row, ent_keyfield(q->e)->col);
	buf_adds(b, "<tr>");
	if (q->pick) {
		buf_printf(b, "<td><input type=\"checkbox\" name=\"item\" value=\"%s:%s\" id=\"item-%s-%s\" "
			      "aria-labelledby=\"label-%s-%s\"></td>",
			   q->e->plural, key, q->e->plural, key, q->e->plural, key);
	}
	buf_printf(b, "<td>%s</td><th scope=\"row\" id=\"label-%s-%s\"><a href=\"/%s/%s#review\">", key, q->e->plural, key,
		   q->e->plural, key);
	page_label(req, b, q->e, row);
	buf_adds(b, "</a></th><td>");
	submitted(req, b, column(row, q->e, REVIEW_AT), column(row, q->e, REVIEW_BY));
	buf_adds(b, "</td>");
	if (q->comment) {
		const char *c = column(row, q->e, REVIEW_COMMENT);
		buf_adds(b, "<td><bdi>");
		buf_html(b, c ? c : "");
		buf_adds(b, "</bdi></td>");
	}
	buf_adds(b, "</tr>");
	return APP_OK;
}

/* One collection's entries in one state, oldest first; *n their number. */
static void queue_section(struct request *req, struct buf *b, const struct entity *e, const char *state,
			  const char *heading, bool pick, long long *n)
{
	struct query q;
	dom_query_init(&q, e, &req->who);
	q.lang = req->lang;
	q.labels = LABELS_OWN;
	q.limit = QUEUE_SHOWN;
	q.sort = &e->review[REVIEW_AT];
	struct query_filter *qf = &q.filters[q.nfilters++];
	qf->f = &e->review[REVIEW_STATE];
	qf->value = (struct dbparam){ .type = DBP_TEXT, .s = state };
	bool returned = strcmp(state, "returned") == 0;
	char h[200];
	snprintf(h, sizeof h, "%s — %s", _(e->label_plural), heading);
	/* (staff tick what waits; a submitter reads its own, and the comment on a returned one) */
	struct page_table t = { .cls = "list", .caption = h, .scroll = true };
	int c = 0;
	if (pick)
		t.cols[c++] = _("Select");
	t.cols[c++] = _("Number"); /* (two assessments of a cell on one day read alike) */
	t.cols[c++] = _("Entry");
	t.cols[c++] = _("Submitted");
	if (returned)
		t.cols[c++] = _("Reviewer's comment");
	struct buf rows = BUF_INIT;
	struct queue_rows r = { .rows = { .req = req, .b = &rows, .table = &t }, .e = e, .pick = pick,
				.comment = returned };
	long long total = 0;
	enum app_err rc = store_list(req->app->store, &q, &total, queue_row, &r);
	dom_query_release(&q);
	*n = rc ? 0 : total;
	if (rc || total) {
		page_rows_finish(&r.rows, rc, NULL);
		buf_add(b, rows.data, rows.len);
		if (total > QUEUE_SHOWN) {
			char shown[NUM_TEXT_MAX], all[NUM_TEXT_MAX];
			buf_printf(b, "<p class=\"meta\">");
			buf_printf(b, _("The %s oldest of %s are listed."), num_text(shown, req->lang, QUEUE_SHOWN, 0),
				   num_text(all, req->lang, total, 0));
			buf_adds(b, "</p>");
		}
	}
	buf_release(&rows);
}

/* Does who submit entries of some reviewed collection (a focal point's needs)? */
static bool submits(const struct request *req)
{
	for (size_t i = 0; i < entities_count; i++)
		if (review_applies(entities[i]) && ent_can_write(entities[i], req->who.role))
			return true;
	return false;
}

void review_queue_page(struct request *req, struct response *resp)
{
	bool staff = role_staff(req->who.role);
	if (!staff && !submits(req)) {
		page_error(req, resp, 403, N_("Your role may not do this."));
		return;
	}
	struct buf *b = &resp->body;
	page_begin(req, resp, _("Review queue"));
	buf_printf(b, "<h1>%s</h1><p>%s</p>", _("Review queue"),
		   _("What focal points assess and what owners report by link counts only once an officer has "
		     "approved it; an entry returned goes back to its submitter with a comment."));
	const char *done = args_get(&req->query, "done");
	if (done)
		buf_printf(b, "<p class=\"notice\" role=\"status\">%s</p>", _("Done: the entries ticked are reviewed."));
	if (args_get(&req->query, "locked"))
		buf_printf(b, "<p class=\"notice caution\" role=\"status\">%s</p>",
			   _("Some entries ticked fall in a locked period: they wait until an administrator unlocks it."));
	long long listed = 0, n;
	if (staff) {
		buf_adds(b, "<form method=\"post\" action=\"/review\" class=\"review-queue\">");
		page_csrf_field(req, b);
	}
	for (size_t i = 0; i < entities_count; i++) {
		const struct entity *e = entities[i];
		if (!review_applies(e) || !ent_can_read(e, req->who.role))
			continue;
		queue_section(req, b, e, "submitted", _("Waiting for review (oldest first)"), staff, &n);
		listed += n;
		if (!staff && ent_can_write(e, req->who.role)) { /* a submitter's own, returned to it */
			queue_section(req, b, e, "returned", _("Returned for correction"), false, &n);
			listed += n;
		}
	}
	if (!listed)
		buf_printf(b, "<p>%s</p>", staff ? _("Nothing waits for review.") : _("None of your entries waits for review."));
	if (staff && listed) {
		buf_printf(b, "<label for=\"review-comment\">%s</label><textarea id=\"review-comment\" name=\"comment\" "
			      "rows=\"3\" maxlength=\"4000\"></textarea><p class=\"help\">%s</p><div class=\"review-buttons\">"
			      "<button type=\"submit\" name=\"decision\" value=\"approve\">%s</button> "
			      "<button type=\"submit\" name=\"decision\" value=\"return\" class=\"secondary\">%s</button></div>",
			   _("Comment"), _("Given to each entry ticked; required to return them."),
			   _("Approve the entries ticked"), _("Return the entries ticked for correction"));
	}
	if (staff)
		buf_adds(b, "</form>");
	page_end(req, resp);
}

void review_queue_post(struct request *req, struct response *resp)
{
	struct args form = { 0 };
	args_parse_form(&form, req->body, req->body_len);
	bool ok, approve = decision_of(&form, &ok);
	const char *comment = args_get(&form, "comment");
	enum app_err rc = ok ? APP_OK : APP_BAD_QUERY;
	int decided = 0, held = 0;
	for (size_t i = 0; !rc && i < form.n; i++) {
		if (strcmp(form.a[i].name, "item") != 0)
			continue;
		char coll[40];
		const char *colon = strchr(form.a[i].value, ':');
		size_t len = colon ? (size_t)(colon - form.a[i].value) : 0;
		if (!len || len >= sizeof coll) {
			rc = APP_BAD_QUERY;
			break;
		}
		snprintf(coll, sizeof coll, "%.*s", (int)len, form.a[i].value);
		const struct entity *e = ent_by_plural(coll);
		struct ferrs errs = { 0 };
		/* each on its own: one decided meanwhile by another officer, or
		 * deleted, stops nothing; one in a locked period waits (told) */
		rc = e ? review_decide(req->app, e, colon + 1, approve, comment, &req->who, &errs) : APP_BAD_QUERY;
		ferrs_release(&errs);
		held += rc == APP_LOCKED;
		if (rc == APP_CONFLICT || rc == APP_NOT_FOUND || rc == APP_LOCKED)
			rc = APP_OK;
		else if (!rc)
			decided++;
	}
	args_release(&form);
	if (!rc)
		page_redirect(resp, held ? "/review?done=1&locked=1" : decided ? "/review?done=1" : "/review");
	else if (refusal(rc))
		page_error_back(req, resp, err_status(rc), refusal(rc), "/review", N_("Back to the review queue"));
	else if (rc == APP_BAD_QUERY || rc == APP_NOT_FOUND)
		page_error_back(req, resp, 400, N_("This form was not sent whole: try again."), "/review",
				N_("Back to the review queue"));
	else
		page_error_rc(req, resp, rc);
}

/* ---- the API ------------------------------------------------------------------------------- */

static void api_decide(struct request *req, struct response *resp, bool approve)
{
	const struct entity *e = reviewed(req);
	const char *key = req_param(req, "key");
	if (!e) {
		resp_json_error(resp, APP_NOT_FOUND, "Only needs assessments, progress updates and indicator periods are "
						     "reviewed.", NULL);
		return;
	}
	if (!ent_can_read(e, req->who.role)) {
		resp_json_error(resp, APP_FORBIDDEN, "Only staff approve or return an entry.", NULL);
		return;
	}
	json_t *body = json_loadb(req->body, req->body_len, 0, NULL);
	json_t *comment = json_object_get(body, "comment");
	if (!json_is_object(body) || (comment && !json_is_string(comment) && !json_is_null(comment))) {
		json_decref(body);
		resp_json_error(resp, APP_BAD_JSON, "The body is {\"comment\": \"…\"} (required to return an entry).", NULL);
		return;
	}
	struct ferrs errs = { 0 };
	enum app_err rc = review_decide(req->app, e, key, approve, json_string_value(comment), &req->who, &errs);
	json_decref(body);
	if (rc) {
		resp_json_error(resp, rc, rc == APP_FORBIDDEN ? "Only staff approve or return an entry."
				     : rc == APP_CONFLICT ? "This entry waits for no decision: it is approved, or returned already."
				     : rc == APP_NOT_FOUND ? "No such record." : NULL, &errs);
		ferrs_release(&errs);
		return;
	}
	long long version = 0;
	buf_reset(&resp->body);
	rc = dom_get_json(req->app, e, key, &req->who, &resp->body, &version);
	if (rc) {
		resp_json_error(resp, rc, NULL, NULL);
		return;
	}
	resp->status = 200;
	resp->content_type = "application/json";
	char tag[32];
	snprintf(tag, sizeof tag, "\"%lld\"", version);
	resp_header(resp, "ETag", tag);
}

void review_api_approve(struct request *req, struct response *resp)
{
	api_decide(req, resp, true);
}

void review_api_return(struct request *req, struct response *resp)
{
	api_decide(req, resp, false);
}
