/* cycle.c — see cycle.h.  Built from the registry's generic queries: an
 * edition has a handful of outcomes and tens of actions. */
#define _POSIX_C_SOURCE 200809L
#include "cycle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "home.h"
#include "money.h"
#include "page.h"
#include "seal.h"
#include "lock_http.h"
#include "seal_http.h"
#include "store.h"
#include "xalloc.h"
#include "banned.h"

/* The records of e whose reference ref (a field of e) names record id. */
static struct query by_ref(const struct entity *e, const struct field *ref, long long id)
{
	return page_query_int(e, ref, id, 500);
}

/* ---- the meeting itself -------------------------------------------------------- */

/* What the sections need of the meeting, and the preset of the next edition's
 * form (the query string of /meetings/new). */
struct edition {
	long long id, previous, number;
	bool dialogue;
	struct buf next_query;
};

static void preset(struct buf *q, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	if (q->len)
		buf_addc(q, '&');
	buf_url(q, name);
	buf_addc(q, '=');
	buf_url(q, value);
}

/* Each key of a REFS column ("3,5") as a repeated argument. */
static void preset_list(struct buf *q, const char *name, const char *keys)
{
	for (const char *p = keys; p && *p;) {
		size_t n = strcspn(p, ",");
		char *k = xstrndup(p, n);
		preset(q, name, k);
		free(k);
		p += n + (p[n] == ',');
	}
}

/* The same day a year later (29 February becomes 28). */
static void next_year(const char *iso, char out[11])
{
	int y, m, d;
	if (!iso || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3) {
		out[0] = '\0';
		return;
	}
	unsigned year = (unsigned)(y + 1) % 10000u, month = (unsigned)m % 100u;
	unsigned day = (unsigned)(m == 2 && d == 29 ? 28 : d) % 100u;
	snprintf(out, 11, "%04u-%02u-%02u", year, month, day);
}

static enum app_err edition_row(void *ctx, const struct row *row)
{
	struct edition *ed = ctx;
#define COL(F) row_text(row, FLD(MEETING, F)->col)
	ed->id = row_int(row, FLD(MEETING, ID)->col);
	ed->previous = COL(PREVIOUS) ? row_int(row, FLD(MEETING, PREVIOUS)->col) : 0;
	ed->number = COL(EDITION) ? row_int(row, FLD(MEETING, EDITION)->col) : 0;
	ed->dialogue = strcmp(COL(KIND), "strategic_dialogue") == 0;
	struct buf *q = &ed->next_query;
	char id[24], number[24], start[11];
	snprintf(id, sizeof id, "%lld", ed->id);
	preset(q, "previous", id);
	preset(q, "kind", COL(KIND));
	if (ed->number) {
		snprintf(number, sizeof number, "%lld", ed->number + 1);
		preset(q, "edition", number);
	}
	next_year(COL(START_DATE), start);
	preset(q, "start_date", start);
	for (int l = 0; l < LANG__MAX; l++) {
		char name[32];
		snprintf(name, sizeof name, "title.%s", lang_code[l]);
		preset(q, name, row_text(row, FLD(MEETING, TITLE)->col + l));
		snprintf(name, sizeof name, "framework.%s", lang_code[l]);
		preset(q, name, row_text(row, FLD(MEETING, FRAMEWORK)->col + l));
	}
	preset(q, "venue", COL(VENUE));
	preset(q, "country", COL(COUNTRY));
	preset_list(q, "cochairs", COL(COCHAIRS));
	preset_list(q, "delegations", COL(DELEGATIONS));
#undef COL
	return APP_OK;
}

static enum app_err first_id(void *ctx, const struct row *row)
{
	*(long long *)ctx = row_int(row, ent_keyfield(ENT(MEETING))->col);
	return APP_OK;
}

/* The next edition, or an offer to open it. */
static void next_edition(struct request *req, struct buf *b, struct edition *ed)
{
	struct query q = by_ref(ENT(MEETING), FLD(MEETING, PREVIOUS), ed->id);
	long long next = 0;
	/* unread, the next edition may exist: no offer to open another */
	if (page_part_failed(req, b, store_list(req->app->store, &q, NULL, first_id, &next)))
		return;
	if (next) {
		buf_printf(b, "<p class=\"cycle\"><a href=\"/meetings/%lld\">%s</a></p>", next, _("Next edition"));
		return;
	}
	if (ed->dialogue && ent_can_write(ENT(MEETING), req->who.role))
	{
		buf_adds(b, "<p class=\"cycle\"><a class=\"button\" id=\"open-next\" href=\"/meetings/new?");
		buf_html(b, buf_cstr(&ed->next_query));
		buf_printf(b, "\">%s</a> <span class=\"help\">%s</span></p>", _("Open the next edition"),
			   _("A new edition preset from this one; it opens with the review of this edition's open actions."));
	}
}

/* ---- strategic priorities, bilingual ---------------------------------------------- */

static enum app_err priority_row(void *ctx, const struct row *row)
{
	struct page_rows *p = ctx;
	if (strcmp(row_text(row, FLD(OUTCOME, KIND)->col), "priority") != 0)
		return APP_OK;
	int col = FLD(OUTCOME, TEXT)->col;
	buf_printf(p->b, "<tr><td><a href=\"/outcomes/%lld\">%lld</a></td>", row_int(row, FLD(OUTCOME, ID)->col),
		   row_int(row, FLD(OUTCOME, NUMBER)->col));
	for (enum lang l = LANG_FR; l <= LANG_EN; l++) {
		const char *s = row_text(row, col + (int)l);
		buf_printf(p->b, "<td lang=\"%s\">", lang_code[l]);
		buf_html(p->b, s ? s : "—");
		buf_adds(p->b, "</td>");
	}
	buf_adds(p->b, "</tr>");
	p->n++;
	return APP_OK;
}

/* Walks the outcomes of meeting in the order of their numbers. */
static enum app_err meeting_outcomes(struct request *req, long long meeting, row_fn fn, void *ctx)
{
	struct query q = by_ref(ENT(OUTCOME), FLD(OUTCOME, MEETING), meeting);
	q.sort = FLD(OUTCOME, NUMBER);
	return store_list(req->app->store, &q, NULL, fn, ctx);
}

static void priorities(struct request *req, struct buf *b, long long meeting)
{
	struct buf rows = BUF_INIT;
	struct page_rows p = { .req = req, .b = &rows };
	enum app_err rc = meeting_outcomes(req, meeting, priority_row, &p);
	if (rc || p.n) {
		buf_printf(b, "<section class=\"priorities\"><h2>%s</h2>", _("Strategic priorities"));
		if (!page_part_failed(req, b, rc))
			buf_printf(b, "<div class=\"scroll\"><table class=\"list bilingual\"><thead><tr>"
				      "<th scope=\"col\">#</th><th scope=\"col\" lang=\"fr\">Français</th>"
				      "<th scope=\"col\" lang=\"en\">English</th></tr></thead><tbody>%s</tbody></table></div>",
				   buf_cstr(&rows));
		buf_adds(b, "</section>");
	}
	buf_release(&rows);
}

/* ---- the review of last year's commitments ----------------------------------------- */

static enum app_err update_row(void *ctx, const struct row *row)
{
	struct page_rows *r = ctx;
	struct request *req = r->req;
	buf_adds(r->b, "<li>");
	page_date(r->b, req->lang, row_text(row, FLD(ACTION_UPDATE, DATE)->col));
	if (!row_null(row, FLD(ACTION_UPDATE, PERCENT)->col)) {
		buf_adds(r->b, " <strong>");
		num_percent_html(r->b, req->lang, row_int(row, FLD(ACTION_UPDATE, PERCENT)->col), 0);
		buf_adds(r->b, "</strong>");
	}
	buf_adds(r->b, " — ");
	page_i18n_html(r->b, row, FLD(ACTION_UPDATE, NOTE)->col, req->lang, 300);
	buf_adds(r->b, "</li>");
	r->n++;
	return APP_OK;
}

static void history(struct request *req, struct buf *b, long long action)
{
	struct query q = by_ref(ENT(ACTION_UPDATE), FLD(ACTION_UPDATE, ACTION), action);
	q.sort = FLD(ACTION_UPDATE, DATE);
	struct buf items = BUF_INIT;
	struct page_rows r = { .req = req, .b = &items };
	if (!page_part_failed(req, b, store_list(req->app->store, &q, NULL, update_row, &r))) {
		if (r.n)
			buf_printf(b, "<ol class=\"history\">%s</ol>", buf_cstr(&items));
		else
			buf_printf(b, "<p class=\"meta\">%s</p>", _("No progress update yet."));
	}
	buf_release(&items);
}

/* Where each action of the previous edition stood at its seal. */
struct at_seal {
	struct {
		long long id, percent;
		char status[16];
	} *a;
	size_t n, cap;
	char sealed_at[21];
};

static void seal_action(void *ctx, long long id, const char *status, long long percent)
{
	struct at_seal *s = ctx;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 32;
		s->a = xrealloc(s->a, s->cap * sizeof *s->a);
	}
	s->a[s->n].id = id;
	s->a[s->n].percent = percent;
	snprintf(s->a[s->n].status, sizeof s->a[s->n].status, "%s", status);
	s->n++;
}

/* The review's rows: the page, and the previous edition's seal (n 0: none). */
struct review_rows {
	struct page_rows rows;
	struct at_seal seal;
};

/* "At the seal (date): status, N %" of action id, when the seal has it. */
static void at_seal(struct request *req, struct buf *b, const struct at_seal *s, long long id)
{
	for (size_t i = 0; i < s->n; i++) {
		if (s->a[i].id != id)
			continue;
		struct buf day = BUF_INIT;
		page_date(&day, req->lang, s->sealed_at);
		buf_adds(b, "<p class=\"meta at-seal\">");
		buf_printf(b, _("At the seal of %s:"), buf_cstr(&day)); /* (the colon is the language's: "du %s :") */
		buf_printf(b, " <span class=\"tag tag-%s\">%s</span> ", s->a[i].status, page_enum_label(req->lang, s->a[i].status));
		buf_release(&day);
		num_percent_html(b, req->lang, s->a[i].percent, 0);
		buf_adds(b, "</p>");
		return;
	}
	if (s->n)
		buf_printf(b, "<p class=\"meta at-seal\">%s</p>", _("Not in the seal: added since."));
}

static enum app_err open_action_row(void *ctx, const struct row *row)
{
	struct review_rows *rr = ctx;
	struct page_rows *r = &rr->rows;
	struct request *req = r->req;
	struct buf *b = r->b;
	const char *status = row_text(row, FLD(ACTION, STATUS)->col);
	if (strcmp(status, "done") == 0 || strcmp(status, "dropped") == 0)
		return APP_OK;
	long long id = row_int(row, FLD(ACTION, ID)->col);
	buf_printf(b, "<li class=\"review-item\"><h3><a href=\"/actions/%lld\">", id);
	page_i18n_html(b, row, FLD(ACTION, TITLE)->col, req->lang, 200);
	buf_printf(b, "</a></h3><p class=\"meta\"><span class=\"tag tag-%s\">%s</span> ", status,
		   page_enum_label(req->lang, status));
	num_percent_html(b, req->lang, row_int(row, FLD(ACTION, PERCENT)->col), 0);
	if (row_int(row, FLD(ACTION, LATE)->col))
		buf_printf(b, " <span class=\"tag tag-late\">%s</span>", _("late"));
	const char *due = row_text(row, FLD(ACTION, DUE_DATE)->col);
	if (due) {
		buf_printf(b, " · %s ", _("due"));
		page_date(b, req->lang, due);
	}
	const char *owner = row_text(row, FLD(ACTION, OWNER)->col);
	if (owner) {
		buf_adds(b, " · ");
		page_ref_link(req, b, ENT(ORGANISATION), owner);
	}
	buf_adds(b, "</p>");
	at_seal(req, b, &rr->seal, id);
	history(req, b, id);
	buf_adds(b, "</li>");
	r->n++;
	return APP_OK;
}

static enum app_err review_outcome(void *ctx, const struct row *row)
{
	struct query q = by_ref(ENT(ACTION), FLD(ACTION, OUTCOME), row_int(row, FLD(OUTCOME, ID)->col));
	q.sort = FLD(ACTION, DUE_DATE);
	struct review_rows *r = ctx;
	return store_list(r->rows.req->app->store, &q, NULL, open_action_row, r);
}

static void review(struct request *req, struct buf *b, long long previous)
{
	struct buf items = BUF_INIT, file = BUF_INIT;
	struct review_rows rr = { .rows = { .req = req, .b = &items } };
	if (seal_read(req, previous, &file, rr.seal.sealed_at)) {
		rr.seal.sealed_at[10] = '\0'; /* the day of its time */
		(void)seal_each_action(buf_cstr(&file), seal_action, &rr.seal);
	}
	buf_release(&file);
	enum app_err rc = meeting_outcomes(req, previous, review_outcome, &rr);
	struct page_rows r = rr.rows;
	free(rr.seal.a);
	buf_printf(b, "<section class=\"review\"><h2>%s</h2>", _("Review of last year's commitments"));
	if (page_part_failed(req, b, rc)) { /* its count and list would be partial */
		buf_adds(b, "</section>");
		buf_release(&items);
		return;
	}
	buf_adds(b, "<p>");
	char n[NUM_TEXT_MAX];
	buf_printf(b, _("The actions of the previous edition that are neither done nor dropped (%s), with their history."),
		   num_text(n, req->lang, r.n, 0));
	char key[24];
	snprintf(key, sizeof key, "%lld", previous);
	buf_printf(b, " %s ", _("Previous edition:"));
	page_ref_link(req, b, ENT(MEETING), key);
	if (rr.seal.sealed_at[0]) {
		struct buf day = BUF_INIT;
		page_date(&day, req->lang, rr.seal.sealed_at);
		buf_adds(b, ". ");
		buf_printf(b, _("It was sealed on %s: each action shows where it stood then."), buf_cstr(&day));
		buf_release(&day);
	}
	buf_adds(b, "</p>");
	if (r.n)
		buf_printf(b, "<ol class=\"review-list\">%s</ol>", buf_cstr(&items));
	else
		buf_printf(b, "<p>%s</p>", _("Every commitment of the previous edition is done or dropped."));
	buf_adds(b, "</section>");
	buf_release(&items);
}

/* ---- the page's sections -------------------------------------------------------------- */

void cycle_meeting_sections(struct request *req, struct buf *b, const char *key)
{
	struct edition ed = { .next_query = BUF_INIT };
	enum app_err rc = store_get(req->app->store, ENT(MEETING), key, edition_row, &ed);
	/* the record page has just read this meeting: gone since
	 * (APP_NOT_FOUND), it has no sections; unread, they say so */
	if (rc == APP_NOT_FOUND || page_part_failed(req, b, rc)) {
		buf_release(&ed.next_query);
		return;
	}
	buf_printf(b, "<p class=\"followup-links\"><a href=\"/meetings/%lld/report\">%s</a> · "
		      "<a href=\"/board?meeting=%lld\">%s</a></p>",
		   ed.id, _("Follow-up report"), ed.id, _("Follow-up board"));
	next_edition(req, b, &ed);
	if (ed.dialogue)
		seal_section(req, b, ed.id);
	lock_section(req, b, LOCK_MEETING, ed.id);
	if (ed.previous)
		review(req, b, ed.previous);
	priorities(req, b, ed.id);
	buf_adds(b, "<section class=\"followup\">");
	home_outcomes_table(req, b, ed.id, 2);
	buf_adds(b, "</section>");
	buf_release(&ed.next_query);
}
