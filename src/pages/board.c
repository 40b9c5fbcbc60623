/* board.c — see board.h.  The rows come from store_followup.c in one
 * query per page (plus one GROUP BY for the counts and one query for the
 * updates of the page's actions); quick entry writes through domain.c, so
 * validation, authorisation and the audit trail are those of every other
 * write. */
#define _POSIX_C_SOURCE 200809L
#include "board.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "domain.h"
#include "kept.h"
#include "money.h"
#include "page.h"
#include "progress.h"
#include "tabfile.h"
#include "record.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

/* ---- filters ------------------------------------------------------------------ */

static const char *const statuses[] = { "planned", "in_progress", "done", "dropped", NULL };

static bool is_status(const char *s)
{
	for (int i = 0; statuses[i]; i++)
		if (strcmp(s, statuses[i]) == 0)
			return true;
	return false;
}

static bool positive(const char *s, long long *out)
{
	return util_parse_ll(s, out) && *out > 0;
}

/* ---- counts, remembered while the database stands ------------------------------------ */

/* The board's counts read every filtered action (a GROUP BY over 10⁵
 * actions takes some 15 ms) while its rows are one page: the counts of the
 * filters asked are kept (kept.h) until the database's change counter
 * moves; the day is in the key (it makes actions late). */
static char *counts_key(const struct store_followup_filter *f)
{
	char today[11];
	util_today(today);
	return xasprintf("board|%lld|%lld|%lld|%s|%s|%d|%s|%s|%s", f->meeting, f->outcome, f->owner, f->theme ? f->theme : "",
			 f->status ? f->status : "", f->late, f->due_after ? f->due_after : "",
			 f->due_before ? f->due_before : "", today);
}

static enum app_err counts(struct request *req, const struct store_followup_filter *f, struct store_followup_counts *out)
{
	char *key = counts_key(f);
	struct buf got = BUF_INIT;
	enum app_err rc = APP_OK;
	if (kept_get(key, req->generation, &got) && got.len == sizeof *out) {
		memcpy(out, got.data, sizeof *out);
	} else {
		rc = store_followup_count(req->app->store, f, out);
		if (!rc)
			kept_put(key, req->generation, out, sizeof *out);
	}
	buf_release(&got);
	free(key);
	return rc;
}

enum app_err board_filter_parse(const struct args *a, bool strict, struct store_followup_filter *f,
				long long *limit, long long *offset, char **msg)
{
	*f = (struct store_followup_filter)FU_FILTER_INIT;
	if (limit)
		*limit = BOARD_API_LIMIT;
	if (offset)
		*offset = 0;
	*msg = NULL;
	for (size_t i = 0; i < a->n; i++) {
		const char *n = a->a[i].name, *v = a->a[i].value;
		bool ok = true;
		if (!*v && strcmp(n, "limit") && strcmp(n, "offset")) /* an empty field of the form: any */
			continue;
		if (strcmp(n, "meeting") == 0) {
			ok = positive(v, &f->meeting);
		} else if (strcmp(n, "outcome") == 0) {
			ok = positive(v, &f->outcome);
		} else if (strcmp(n, "owner") == 0) {
			ok = positive(v, &f->owner);
		} else if (strcmp(n, "theme") == 0) {
			ok = strlen(v) <= 100 && !rec_pattern_error("slug", v);
			f->theme = v;
		} else if (strcmp(n, "status") == 0) {
			ok = is_status(v);
			f->status = v;
		} else if (strcmp(n, "late") == 0) {
			ok = strcmp(v, "true") == 0 || strcmp(v, "false") == 0;
			f->late = v[0] == 't';
		} else if (strcmp(n, "due_after") == 0) {
			ok = util_valid_date(v);
			f->due_after = v;
		} else if (strcmp(n, "due_before") == 0) {
			ok = util_valid_date(v);
			f->due_before = v;
		} else if (strcmp(n, "limit") == 0 && limit) {
			ok = util_parse_ll(v, limit) && *limit >= 0 && *limit <= LIST_LIMIT_MAX;
		} else if (strcmp(n, "offset") == 0 && offset) {
			ok = util_parse_ll(v, offset) && *offset >= 0;
		} else if (strict) {
			ok = false;
		}
		if (!ok) {
			*msg = xasprintf("Query parameter '%s' is not understood here or has a bad value.", n);
			return APP_BAD_QUERY;
		}
	}
	return APP_OK;
}

/* ---- URLs -------------------------------------------------------------------------- */

/* base, then the request's filters with `name` set to value (NULL: left
 * out) and the notices of the last write left out; raw (not HTML-escaped). */
static void board_url(struct buf *u, const struct request *req, const char *base,
		      const char *name, const char *value)
{
	buf_adds(u, base);
	int n = 0;
	for (size_t i = 0; i < req->query.n; i++) {
		const struct arg *a = &req->query.a[i];
		if (!*a->value || (name && strcmp(a->name, name) == 0) || strcmp(a->name, "saved") == 0 ||
		    (strcmp(a->name, "offset") == 0 && name && strcmp(name, "offset") && value))
			continue;
		buf_addc(u, n++ ? '&' : '?');
		buf_url(u, a->name);
		buf_addc(u, '=');
		buf_url(u, a->value);
	}
	if (name && value) {
		buf_addc(u, n ? '&' : '?');
		buf_url(u, name);
		buf_addc(u, '=');
		buf_url(u, value);
	}
}

static void board_href(struct buf *b, const struct request *req, const char *base,
		       const char *name, const char *value)
{
	struct buf u = BUF_INIT;
	board_url(&u, req, base, name, value);
	buf_html(b, buf_cstr(&u));
	buf_release(&u);
}

/* An error page that leads back to the board. */
static void board_error(struct request *req, struct response *resp, int status, const char *msgid)
{
	page_error_back(req, resp, status, msgid, "/board", N_("Follow-up board"));
}

/* ---- the filter form ------------------------------------------------------------ */

/* A choice among the records of e, sorted by its field sort (descending
 * when desc); within_meeting: the outcomes (e) of that edition only. */
static void select_field(struct request *req, struct buf *b, const char *name, const char *label,
			 const struct entity *e, const struct field *sort, bool desc, long long within_meeting)
{
	const char *cur = args_get(&req->query, name);
	buf_printf(b, "<div class=\"field\"><label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\">"
		      "<option value=\"\">%s</option>", name, label, name, name, _("(any)"));
	struct query q;
	dom_query_init(&q, e, &req->who);
	q.limit = 500;
	q.lang = req->lang;
	q.desc = desc;
	q.sort = sort;
	if (within_meeting) {
		q.filters[q.nfilters].f = FLD(OUTCOME, MEETING);
		q.filters[q.nfilters++].value = (struct dbparam){ .type = DBP_INT, .i = within_meeting };
	}
	page_options(req, b, &q, cur);
	dom_query_release(&q);
	buf_adds(b, "</select></div>");
}

static void text_field(struct request *req, struct buf *b, const char *name, const char *label)
{
	buf_printf(b, "<div class=\"field\"><label for=\"f-%s\">%s</label><input type=\"date\" id=\"f-%s\" "
		      "name=\"%s\" value=\"", name, label, name, name);
	buf_html(b, args_get(&req->query, name));
	buf_adds(b, "\"></div>");
}

static void filter_form(struct request *req, struct buf *b, const struct store_followup_filter *f)
{
	buf_printf(b, "<form class=\"filters\" method=\"get\" action=\"/board\" role=\"search\" aria-label=\"%s\">",
		   _("Filter the actions"));
	select_field(req, b, "meeting", _("Edition"), ENT(MEETING), FLD(MEETING, START_DATE), true, 0);
	select_field(req, b, "outcome", _("Outcome"), ENT(OUTCOME), FLD(OUTCOME, NUMBER), false, f->meeting);
	select_field(req, b, "owner", _("Owner"), ENT(ORGANISATION), FLD(ORGANISATION, NAME), false, 0);
	select_field(req, b, "theme", _("Theme"), ENT(THEME), FLD(THEME, NAME), false, 0);
	const char *cur = args_get(&req->query, "status");
	buf_printf(b, "<div class=\"field\"><label for=\"f-status\">%s</label><select id=\"f-status\" name=\"status\">"
		      "<option value=\"\">%s</option>", _("Status"), _("(any)"));
	for (int i = 0; statuses[i]; i++)
		buf_printf(b, "<option value=\"%s\"%s>%s</option>", statuses[i],
			   cur && strcmp(cur, statuses[i]) == 0 ? " selected" : "", page_enum_label(req->lang, statuses[i]));
	buf_adds(b, "</select></div>");
	buf_printf(b, "<div class=\"field\"><label for=\"f-late\">%s</label><select id=\"f-late\" name=\"late\">"
		      "<option value=\"\">%s</option><option value=\"true\"%s>%s</option>"
		      "<option value=\"false\"%s>%s</option></select></div>",
		   _("Late"), _("(any)"), f->late == 1 ? " selected" : "", _("yes"), f->late == 0 ? " selected" : "", _("no"));
	text_field(req, b, "due_after", _("Due on or after"));
	text_field(req, b, "due_before", _("Due on or before"));
	buf_printf(b, "<div class=\"field actions\"><button type=\"submit\">%s</button> <a href=\"/board\">%s</a></div></form>",
		   _("Filter"), _("Clear"));
}

/* ---- the summary bar ------------------------------------------------------------- */

static void summary(struct request *req, struct buf *b, const struct store_followup_counts *k)
{
	buf_printf(b, "<section class=\"summary\" aria-labelledby=\"sum-h\"><h2 id=\"sum-h\" class=\"sr-only\">%s</h2><ul>",
		   _("Counts by status"));
	const long long n[] = { k->planned, k->in_progress, k->done, k->dropped };
	for (int i = 0; statuses[i]; i++) {
		buf_printf(b, "<li class=\"tag-%s\"><a href=\"", statuses[i]);
		board_href(b, req, "/board", "status", statuses[i]);
		buf_adds(b, "\"><strong>");
		num_html(b, req->lang, n[i]);
		buf_printf(b, "</strong> %s</a></li>", page_enum_label(req->lang, statuses[i]));
	}
	buf_adds(b, "<li class=\"tag-late\"><a href=\"");
	board_href(b, req, "/board", "late", "true");
	buf_adds(b, "\"><strong>");
	num_html(b, req->lang, k->late);
	buf_printf(b, "</strong> %s</a></li><li><strong>", _("late"));
	num_html(b, req->lang, k->total);
	buf_printf(b, "</strong> %s</li></ul></section>", _("in all"));
}

/* ---- rows ---------------------------------------------------------------------- */

/* What the last quick entry left to show: the action it was for, its
 * errors and the values posted. */
struct entry_state {
	long long action;
	const struct ferrs *errs;
	const char *problem;
	const struct args *form;
};

struct board_row {
	long long id;
	struct buf head, tail; /* the row around its timeline */
	struct buf timeline;
	int nupdates;
};

struct rows_ctx {
	struct request *req;
	const struct entry_state *entry;
	struct board_row *rows;
	int n, cap;
	bool staff;
};

static void owner_html(struct request *req, struct buf *b, const struct row *row, int id_col,
		       int name_col, int acronym_col)
{
	if (row_null(row, id_col))
		return;
	const char *acr = row_text(row, acronym_col);
	buf_printf(b, "<a href=\"/organisations/%lld\">", row_int(row, id_col));
	if (acr && *acr) {
		buf_adds(b, "<abbr title=\"");
		enum lang shown;
		buf_html(b, page_i18n(row, name_col, req->lang, &shown));
		buf_adds(b, "\">");
		buf_html(b, acr);
		buf_adds(b, "</abbr>");
	} else {
		page_i18n_html(b, row, name_col, req->lang, 60);
	}
	buf_adds(b, "</a>");
}

static void field_errors(struct request *req, struct buf *b, const struct entry_state *st, long long id)
{
	if (!st || st->action != id || (!st->problem && !st->errs->n))
		return;
	buf_printf(b, "<div class=\"error-summary\" role=\"alert\" id=\"err-%lld\"><p>%s</p><ul>", id,
		   st->problem ? st->problem : _("Some fields are not valid."));
	const struct entity *u = ENT(ACTION_UPDATE);
	for (size_t i = 0; i < st->errs->n; i++) {
		const struct field *f = ent_field(u, st->errs->a[i].field);
		struct buf m = BUF_INIT;
		ferrs_message(st->errs, i, req->lang, &m);
		buf_adds(b, "<li>");
		buf_html(b, f ? _(f->label) : st->errs->a[i].field);
		buf_adds(b, _(": "));
		buf_html(b, buf_cstr(&m));
		buf_adds(b, "</li>");
		buf_release(&m);
	}
	buf_adds(b, "</ul></div>");
}

/* The quick entry form of one action (staff only). */
static void entry_form(struct request *req, struct buf *b, const struct row *row, const struct entry_state *st)
{
	long long id = row_int(row, FU_ID);
	bool mine = st && st->action == id;
	const char *status = mine && args_get(st->form, "status") ? args_get(st->form, "status") : row_text(row, FU_STATUS);
	const char *percent = mine ? args_get(st->form, "percent") : NULL;
	const char *note = mine ? args_get(st->form, "note") : NULL;
	bool bad_pct = mine && ferrs_find(st->errs, "percent");
	bool bad_note = mine && ferrs_find(st->errs, "note");
	buf_adds(b, "<form class=\"quick\" method=\"post\" action=\"");
	struct buf u = BUF_INIT;
	board_url(&u, req, "/board", NULL, NULL);
	buf_printf(&u, "#a-%lld", id);
	buf_html(b, buf_cstr(&u));
	buf_release(&u);
	buf_adds(b, "\">");
	page_csrf_field(req, b);
	buf_printf(b, "<input type=\"hidden\" name=\"action\" value=\"%lld\"><input type=\"hidden\" name=\"version\" value=\"%lld\">"
		      "<input type=\"hidden\" name=\"was\" value=\"", id, row_int(row, FU_VERSION));
	buf_html(b, row_text(row, FU_STATUS));
	buf_printf(b, "\"><label for=\"qs-%lld\">%s</label><select id=\"qs-%lld\" name=\"status\">", id, _("Status"), id);
	for (int i = 0; statuses[i]; i++)
		buf_printf(b, "<option value=\"%s\"%s>%s</option>", statuses[i],
			   status && strcmp(status, statuses[i]) == 0 ? " selected" : "", page_enum_label(req->lang, statuses[i]));
	char described[48] = "";
	if (mine && (st->problem || st->errs->n))
		snprintf(described, sizeof described, " aria-describedby=\"err-%lld\"", id);
	buf_printf(b, "</select><label for=\"qp-%lld\">%s</label><input type=\"number\" id=\"qp-%lld\" name=\"percent\" "
		      "min=\"0\" max=\"100\"%s%s value=\"", id, _("Percent done"), id,
		   bad_pct ? " aria-invalid=\"true\"" : "", bad_pct ? described : "");
	buf_html(b, percent);
	buf_printf(b, "\"><label for=\"qn-%lld\">%s</label><input type=\"text\" id=\"qn-%lld\" name=\"note\"%s%s value=\"",
		   id, _("Note (optional)"), id, bad_note ? " aria-invalid=\"true\"" : "", bad_note ? described : "");
	buf_html(b, note);
	buf_printf(b, "\"><button type=\"submit\">%s</button></form>", _("Save"));
	field_errors(req, b, st, id);
}

static enum app_err board_row(void *ctx, const struct row *row)
{
	struct rows_ctx *r = ctx;
	struct request *req = r->req;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->rows = xrealloc(r->rows, (size_t)r->cap * sizeof *r->rows);
	}
	struct board_row *br = &r->rows[r->n++];
	memset(br, 0, sizeof *br);
	br->id = row_int(row, FU_ID);
	struct buf *b = &br->head;
	buf_printf(b, "<tr id=\"a-%lld\"><td>%lld</td><th scope=\"row\"><a href=\"/actions/%lld\">", br->id, br->id, br->id);
	page_i18n_html(b, row, FU_TITLE, req->lang, 160);
	buf_printf(b, "</a><p class=\"meta\"><a href=\"/outcomes/%lld\">%s %s</a> · <a href=\"/meetings/%lld\">",
		   row_int(row, FU_OUTCOME), _("Outcome"), row_null(row, FU_OUTCOME_NUMBER) ? "" : row_text(row, FU_OUTCOME_NUMBER),
		   row_int(row, FU_MEETING));
	page_i18n_html(b, row, FU_MEETING_TITLE, req->lang, 40);
	buf_adds(b, "</a>");
	if (row_int(row, FU_SAMPLE))
		buf_printf(b, " · <span class=\"tag\">%s</span>", _("sample"));
	buf_adds(b, "</p></th><td>");
	owner_html(req, b, row, FU_OWNER, FU_OWNER_NAME, FU_OWNER_ACRONYM);
	buf_adds(b, "</td><td>");
	page_date(b, req->lang, row_text(row, FU_DUE));
	const char *status = row_text(row, FU_STATUS);
	buf_printf(b, "</td><td><span class=\"tag tag-%s\">%s</span>", status ? status : "",
		   page_enum_label(req->lang, status ? status : ""));
	if (row_int(row, FU_LATE))
		buf_printf(b, " <span class=\"tag tag-late\">%s</span>", _("late"));
	long long pct = row_int(row, FU_PERCENT);
	buf_adds(b, "</td><td>");
	page_progress(req, b, pct, _("Percent done"));
	b = &br->tail; /* the timeline goes between, under the percentage */
	buf_adds(b, "</td>");
	if (r->staff) {
		buf_adds(b, "<td>");
		entry_form(req, b, row, r->entry);
		buf_adds(b, "</td>");
	}
	buf_adds(b, "</tr>");
	return APP_OK;
}

/* The newest updates shown per action (the rest a link away), and text cut
 * short: a page stays well under the 100 kB it may weigh. */
#define TIMELINE_SHOWN 5

static enum app_err update_row(void *ctx, const struct row *row)
{
	struct rows_ctx *r = ctx;
	struct request *req = r->req;
	long long id = row_int(row, FUU_ACTION);
	struct board_row *br = NULL;
	for (int i = 0; i < r->n && !br; i++)
		if (r->rows[i].id == id)
			br = &r->rows[i];
	if (!br || br->nupdates++ >= TIMELINE_SHOWN)
		return APP_OK;
	struct buf *b = &br->timeline;
	buf_adds(b, "<li>");
	page_date(b, req->lang, row_text(row, FUU_DATE));
	if (!row_null(row, FUU_PERCENT)) {
		buf_adds(b, " · <strong>");
		num_percent_html(b, req->lang, row_int(row, FUU_PERCENT), 0);
		buf_adds(b, "</strong>");
	}
	buf_adds(b, " — ");
	page_i18n_html(b, row, FUU_NOTE, req->lang, 140);
	buf_adds(b, "</li>");
	return APP_OK;
}

static void timeline(struct request *req, struct buf *b, const struct board_row *br)
{
	if (!br->nupdates) {
		buf_printf(b, "<p class=\"meta\">%s</p>", _("No progress update yet."));
		return;
	}
	buf_printf(b, "<details class=\"timeline\"><summary>%s (%d)</summary><ol reversed>", _("Progress updates"),
		   br->nupdates);
	buf_add(b, br->timeline.data, br->timeline.len);
	buf_adds(b, "</ol>");
	if (br->nupdates > TIMELINE_SHOWN)
		buf_printf(b, "<p><a href=\"/action_updates?action=%lld\">%s</a></p>", br->id, _("All updates"));
	buf_adds(b, "</details>");
}

static void pager(struct request *req, struct buf *b, long long offset, long long total)
{
	long long from = total ? offset + 1 : 0;
	long long to = offset + BOARD_PAGE < total ? offset + BOARD_PAGE : total;
	buf_printf(b, "<nav class=\"pager\" aria-label=\"%s\"><p>", _("Pages"));
	num_range_of(b, req->lang, from, to, total);
	buf_adds(b, "</p>");
	char off[32];
	if (offset > 0) {
		snprintf(off, sizeof off, "%lld", offset > BOARD_PAGE ? offset - BOARD_PAGE : 0);
		buf_adds(b, "<a rel=\"prev\" href=\"");
		board_href(b, req, "/board", "offset", off);
		buf_printf(b, "\">%s</a> ", _("Previous"));
	}
	if (offset + BOARD_PAGE < total) {
		snprintf(off, sizeof off, "%lld", offset + BOARD_PAGE);
		buf_adds(b, "<a rel=\"next\" href=\"");
		board_href(b, req, "/board", "offset", off);
		buf_printf(b, "\">%s</a>", _("Next"));
	}
	buf_adds(b, "</nav>");
}

/* The board for the request's filters, with the last quick entry's errors
 * (entry, or NULL) shown in its row. */
static void board_page(struct request *req, struct response *resp, const struct entry_state *entry)
{
	struct store_followup_filter f;
	long long offset;
	char *msg = NULL;
	if (board_filter_parse(&req->query, false, &f, NULL, &offset, &msg)) {
		free(msg);
		board_error(req, resp, 400, "This filter is not understood.");
		return;
	}
	struct store *st = req->app->store;
	struct store_followup_counts k;
	struct rows_ctx r = { .req = req, .entry = entry, .staff = ent_can_write(ENT(ACTION), req->who.role) };
	enum app_err rc = counts(req, &f, &k);
	if (!rc)
		rc = store_followup_list(st, &f, BOARD_PAGE, offset, board_row, &r);
	long long ids[BOARD_PAGE];
	for (int i = 0; i < r.n && i < BOARD_PAGE; i++)
		ids[i] = r.rows[i].id;
	if (!rc)
		rc = store_followup_updates(st, ids, r.n < BOARD_PAGE ? r.n : BOARD_PAGE, update_row, &r);
	struct buf *b = &resp->body;
	buf_reset(b);
	page_begin(req, resp, _("Follow-up board"));
	page_css(b, "followup.css");
	buf_printf(b, "<div class=\"titlebar\"><h1>%s</h1><p><a href=\"", _("Follow-up board"));
	board_href(b, req, "/board.csv", "offset", NULL);
	buf_printf(b, "\" download>%s</a> <a href=\"", _("Export CSV"));
	board_href(b, req, "/board.xlsx", "offset", NULL);
	buf_printf(b, "\" download>%s</a>", _("Export to Excel (XLSX)"));
	if (f.meeting)
		buf_printf(b, " · <a href=\"/meetings/%lld/report\">%s</a>", f.meeting, _("Follow-up report"));
	buf_adds(b, "</p></div>");
	const char *saved = args_get(&req->query, "saved");
	if (saved && !entry)
		buf_printf(b, "<p class=\"notice\" role=\"status\">%s</p>", _("Saved."));
	filter_form(req, b, &f);
	if (rc) {
		buf_printf(b, "<p class=\"error\" role=\"alert\">%s</p>", _("The database is not available; try again shortly."));
	} else {
		summary(req, b, &k);
		buf_printf(b, "<div class=\"scroll\"><table class=\"list board\"><caption class=\"sr-only\">%s</caption><thead><tr>"
			      "<th scope=\"col\">#</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
			   _("Follow-up actions"), _("Action"), _("Owner"), _("Due date"), _("Status"), _("Percent done"));
		if (r.staff)
			buf_printf(b, "<th scope=\"col\">%s</th>", _("Quick update"));
		buf_adds(b, "</tr></thead><tbody>");
		for (int i = 0; i < r.n; i++) {
			buf_add(b, r.rows[i].head.data, r.rows[i].head.len);
			timeline(req, b, &r.rows[i]);
			buf_add(b, r.rows[i].tail.data, r.rows[i].tail.len);
		}
		buf_adds(b, "</tbody></table></div>");
		if (!k.total)
			buf_printf(b, "<p>%s</p>", _("Nothing matches."));
		pager(req, b, offset, k.total);
	}
	for (int i = 0; i < r.n; i++) {
		buf_release(&r.rows[i].head);
		buf_release(&r.rows[i].tail);
		buf_release(&r.rows[i].timeline);
	}
	free(r.rows);
	page_end(req, resp);
}

/* ---- quick entry ------------------------------------------------------------------- */

/* Writes what the form asks (progress.h). */
static enum app_err entry_write(struct request *req, const struct args *form, long long id,
				struct ferrs *errs)
{
	const char *v = args_get(form, "version");
	struct progress p = { .status = args_get(form, "status"), .was = args_get(form, "was"),
			      .percent = args_get(form, "percent"), .note = args_get(form, "note"), .lang = req->lang,
			      .version = -1 };
	if (!v || !util_parse_ll(v, &p.version))
		p.version = -1;
	return progress_report(req->app, id, &p, &req->who, errs);
}

static void quick_entry(struct request *req, struct response *resp)
{
	if (!ent_can_write(ENT(ACTION), req->who.role)) {
		board_error(req, resp, 403, "Your role may not do this.");
		return;
	}
	struct args form = { 0 };
	args_parse_form(&form, req->body, req->body_len);
	long long id;
	const char *a = args_get(&form, "action");
	if (!a || !positive(a, &id)) {
		args_release(&form);
		board_error(req, resp, 400, "This form is not understood.");
		return;
	}
	struct ferrs errs = { 0 };
	enum app_err rc = entry_write(req, &form, id, &errs);
	if (!rc) {
		char saved[24];
		snprintf(saved, sizeof saved, "%lld", id);
		struct buf u = BUF_INIT;
		board_url(&u, req, "/board", "saved", saved);
		buf_printf(&u, "#a-%lld", id);
		page_redirect(resp, buf_cstr(&u));
		buf_release(&u);
	} else if (rc == APP_FORBIDDEN || rc == APP_METHOD) {
		board_error(req, resp, 403, "Your role may not do this.");
	} else if (rc == APP_NOT_FOUND || (rc == APP_INVALID && ferrs_find(&errs, "action"))) {
		board_error(req, resp, 404, "No such record.");
	} else {
		struct entry_state st = { .action = id, .errs = &errs, .form = &form };
		if (rc == APP_PRECONDITION)
			st.problem = _("Someone else changed this record since you opened it. Reload it to see their change, then make yours again.");
		else if (rc != APP_INVALID && rc != APP_LOCKED) /* (the fields say which lock holds it) */
			st.problem = page_db_problem(req, rc);
		resp->status = err_status(rc);
		board_page(req, resp, &st);
	}
	ferrs_release(&errs);
	args_release(&form);
}

/* ---- CSV and JSON --------------------------------------------------------------- */

static void tab_i18n(struct tab *t, const struct row *row, int col)
{
	for (int l = 0; l < LANG__MAX; l++)
		tab_cell(t, row_text(row, col + l));
}

static enum app_err tab_row(void *ctx, const struct row *row)
{
	struct tab *t = ctx;
	tab_int(t, row_int(row, FU_ID));
	tab_i18n(t, row, FU_TITLE);
	tab_int(t, row_int(row, FU_OUTCOME));
	tab_cell(t, row_text(row, FU_OUTCOME_NUMBER));
	tab_int(t, row_int(row, FU_MEETING));
	tab_cell(t, row_text(row, FU_EDITION));
	tab_cell(t, row_text(row, FU_OWNER));
	tab_cell(t, row_text(row, FU_OWNER_ACRONYM));
	tab_i18n(t, row, FU_OWNER_NAME);
	tab_cell(t, row_text(row, FU_DUE));
	tab_cell(t, row_text(row, FU_STATUS));
	tab_int(t, row_int(row, FU_PERCENT));
	tab_cell(t, row_int(row, FU_LATE) ? "true" : "false");
	tab_row_end(t);
	return APP_OK;
}

static enum app_err board_fill(struct request *req, struct tab *t, void *ctx)
{
	const struct store_followup_filter *f = ctx;
	static const struct tab_col cols[] = {
		{ "id", TAB_NUMBER, "#meta+id" }, { "title_fr", TAB_TEXT, "#activity+name+i_fr" },
		{ "title_en", TAB_TEXT, "#activity+name+i_en" }, { "title_ar", TAB_TEXT, "#activity+name+i_ar" },
		{ "outcome", TAB_NUMBER, NULL }, { "outcome_number", TAB_NUMBER, NULL }, { "meeting", TAB_NUMBER, NULL },
		{ "edition", TAB_NUMBER, NULL }, { "owner", TAB_NUMBER, "#org+code" },
		{ "owner_acronym", TAB_TEXT, "#org+acronym" }, { "owner_name_fr", TAB_TEXT, "#org+name+i_fr" },
		{ "owner_name_en", TAB_TEXT, "#org+name+i_en" }, { "owner_name_ar", TAB_TEXT, "#org+name+i_ar" },
		{ "due_date", TAB_DATE, "#date+due" }, { "status", TAB_VALUE, "#status" },
		{ "percent", TAB_NUMBER, "#indicator+complete+pct" }, { "late", TAB_BOOL, "#indicator+late" },
	};
	tab_header(t, cols, sizeof cols / sizeof *cols, tabfile_hxl(req));
	return store_followup_list(req->app->store, f, -1, 0, tab_row, t);
}

/* The board as a file: followup.csv or followup.xlsx (the board's filters). */
static void board_csv(struct request *req, struct response *resp)
{
	struct store_followup_filter f;
	char *msg = NULL;
	if (board_filter_parse(&req->query, false, &f, NULL, NULL, &msg)) {
		free(msg);
		board_error(req, resp, 400, "This filter is not understood.");
		return;
	}
	tabfile_answer(req, resp, "followup", N_("Follow-up board"), false, board_fill, &f);
}

struct json_ctx {
	struct buf *b;
	int n;
};

static void json_int_or_null(struct buf *b, const struct row *row, int col)
{
	if (row_null(row, col))
		buf_adds(b, "null");
	else
		buf_printf(b, "%lld", row_int(row, col));
}

static enum app_err json_row(void *ctx, const struct row *row)
{
	struct json_ctx *j = ctx;
	struct buf *b = j->b;
	buf_printf(b, "%s{\"id\":%lld,\"title\":", j->n++ ? "," : "", row_int(row, FU_ID));
	rec_i18n_json(b, row, FU_TITLE);
	buf_printf(b, ",\"outcome\":%lld,\"outcome_number\":", row_int(row, FU_OUTCOME));
	json_int_or_null(b, row, FU_OUTCOME_NUMBER);
	buf_printf(b, ",\"meeting\":%lld,\"meeting_title\":", row_int(row, FU_MEETING));
	rec_i18n_json(b, row, FU_MEETING_TITLE);
	buf_adds(b, ",\"edition\":");
	json_int_or_null(b, row, FU_EDITION);
	buf_adds(b, ",\"owner\":");
	json_int_or_null(b, row, FU_OWNER);
	buf_adds(b, ",\"owner_acronym\":");
	buf_json_str(b, row_text(row, FU_OWNER_ACRONYM));
	buf_adds(b, ",\"owner_name\":");
	if (row_null(row, FU_OWNER))
		buf_adds(b, "null");
	else
		rec_i18n_json(b, row, FU_OWNER_NAME);
	buf_adds(b, ",\"due_date\":");
	buf_json_str(b, row_text(row, FU_DUE));
	buf_adds(b, ",\"status\":");
	buf_json_str(b, row_text(row, FU_STATUS));
	buf_printf(b, ",\"percent\":%lld,\"late\":%s,\"sample\":%s,\"version\":%lld}", row_int(row, FU_PERCENT),
		   row_int(row, FU_LATE) ? "true" : "false", row_int(row, FU_SAMPLE) ? "true" : "false",
		   row_int(row, FU_VERSION));
	return APP_OK;
}

void board_api(struct request *req, struct response *resp)
{
	if (!ent_can_read(ENT(ACTION), req->who.role)) {
		resp_json_error(resp, APP_FORBIDDEN, "Your role may not read this collection.", NULL);
		return;
	}
	struct store_followup_filter f;
	long long limit, offset;
	char *msg = NULL;
	enum app_err rc = board_filter_parse(&req->query, true, &f, &limit, &offset, &msg);
	if (rc) {
		resp_json_error(resp, rc, msg, NULL);
		free(msg);
		return;
	}
	struct store_followup_counts k;
	struct buf *b = &resp->body;
	buf_adds(b, "{\"items\":[");
	struct json_ctx j = { .b = b };
	rc = counts(req, &f, &k);
	if (!rc)
		rc = store_followup_list(req->app->store, &f, limit, offset, json_row, &j);
	if (rc) {
		resp_json_error(resp, rc, NULL, NULL);
		return;
	}
	buf_printf(b, "],\"total\":%lld,\"limit\":%lld,\"offset\":%lld,\"counts\":{\"planned\":%lld,"
		      "\"in_progress\":%lld,\"done\":%lld,\"dropped\":%lld,\"late\":%lld},\"mean_percent\":%lld}",
		   k.total, limit, offset, k.planned, k.in_progress, k.done, k.dropped, k.late,
		   k.total ? k.percent_sum / k.total : 0);
	resp->status = 200;
	resp->content_type = "application/json";
}

/* ---- routing --------------------------------------------------------------------- */

/* The board is for those who may read actions. */
static bool may_see(struct request *req, struct response *resp)
{
	if (ent_can_read(ENT(ACTION), req->who.role))
		return true;
	board_error(req, resp, 403, "Your role may not see this page.");
	return false;
}

/* GET /board, and POST /board: the quick entry of a progress update. */
void board_route(struct request *req, struct response *resp)
{
	if (!may_see(req, resp))
		return;
	if (strcmp(req->method, "POST") == 0)
		quick_entry(req, resp);
	else
		board_page(req, resp, NULL);
}

/* GET /board.csv and /board.xlsx. */
void board_csv_route(struct request *req, struct response *resp)
{
	if (may_see(req, resp))
		board_csv(req, resp);
}
