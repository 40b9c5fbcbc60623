/* page.c — see page.h. */
#define _POSIX_C_SOURCE 200809L
#include "page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "assets.h"
#include "domain.h"
#include "store.h"
#include "xalloc.h"

/* Main navigation: the collections a person works with most, in order,
 * and the page each opens on (NULL: its list). */
static const struct {
	const char *plural, *href;
} nav[] = {
	{ "meetings", NULL }, { "outcomes", NULL }, { "actions", NULL }, { "action_updates", NULL },
	{ "needs", "/needs/matrix" }, { "courses", "/catalogue" }, { "organisations", NULL }, { "persons", NULL },
	{ "countries", NULL }, { "themes", NULL }, { "audit", NULL }, { NULL, NULL },
};

static void lang_switch(struct request *req, struct buf *b)
{
	buf_printf(b, "<nav class=\"langs\" aria-label=\"%s\"><ul>", _("Language"));
	for (int l = 0; l < LANG__MAX; l++) {
		if ((enum lang)l == req->lang) {
			buf_printf(b, "<li><span aria-current=\"true\" lang=\"%s\">%s</span></li>",
				   lang_code[l], lang_native[l]);
			continue;
		}
		buf_printf(b, "<li><a href=\"/lang?set=%s&amp;back=", lang_code[l]);
		struct buf back = BUF_INIT, here = BUF_INIT;
		req_url(req, &here);
		buf_url(&back, buf_cstr(&here));
		buf_release(&here);
		buf_html(b, buf_cstr(&back));
		buf_release(&back);
		buf_printf(b, "\" lang=\"%s\" hreflang=\"%s\">%s</a></li>", lang_code[l], lang_code[l],
			   lang_native[l]);
	}
	buf_adds(b, "</ul></nav>");
}

void page_csrf_field(struct request *req, struct buf *out)
{
	buf_adds(out, "<input type=\"hidden\" name=\"_csrf\" value=\"");
	buf_html(out, req->who.csrf);
	buf_adds(out, "\">");
}

/* Who is signed in, the account page and signing out; or a link to sign in. */
static void user_menu(struct request *req, struct buf *b)
{
	buf_printf(b, "<div class=\"user\">");
	if (req->who.role == ROLE_PUBLIC) {
		buf_printf(b, "<a href=\"/login\">%s</a></div>", _("Sign in"));
		return;
	}
	buf_adds(b, "<a href=\"/account\">");
	buf_html(b, req->who.name);
	buf_printf(b, " <span class=\"role\">(%s)</span></a> ", tr(req->lang, role_name[req->who.role]));
	if (!req->who.bearer) {
		buf_adds(b, "<form method=\"post\" action=\"/logout\" class=\"inline\">");
		page_csrf_field(req, b);
		buf_printf(b, "<button type=\"submit\" class=\"link\">%s</button></form>", _("Sign out"));
	}
	buf_adds(b, "</div>");
}

static const char *static_url(const char *file)
{
	char name[64];
	snprintf(name, sizeof name, "static/%s", file);
	return asset_url(name);
}

void page_css(struct buf *b, const char *file)
{
	buf_printf(b, "<link rel=\"stylesheet\" href=\"%s\">", static_url(file));
}

void page_js(struct buf *b, const char *file)
{
	buf_printf(b, "<script src=\"%s\"></script>", static_url(file));
}

void page_head_links(struct buf *b, const char *css)
{
	page_css(b, css);
	buf_printf(b, "<link rel=\"icon\" href=\"%s\" type=\"image/svg+xml\">", static_url("favicon.svg"));
}

void page_begin(struct request *req, struct response *resp, const char *title)
{
	struct buf *b = &resp->body;
	resp->content_type = "text/html; charset=utf-8";
	if (!resp->status)
		resp->status = 200;
	buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"%s\"><head><meta charset=\"utf-8\">"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>",
		   lang_code[req->lang], lang_rtl(req->lang) ? "rtl" : "ltr");
	buf_html(b, title);
	buf_adds(b, " — suivi</title>");
	page_head_links(b, "style.css");
	buf_adds(b, "</head><body>");
	buf_printf(b, "<a class=\"skip\" href=\"#main\">%s</a><header class=\"top\">"
		      "<a class=\"brand\" href=\"/\">suivi</a>", _("Skip to content"));
	buf_printf(b, "<nav class=\"main\" aria-label=\"%s\"><ul>", _("Main menu"));
	for (int i = 0; nav[i].plural && req->who.role != ROLE_PUBLIC; i++) {
		const struct entity *e = ent_by_plural(nav[i].plural);
		if (!ent_can_read(e, req->who.role))
			continue;
		size_t n = strlen(e->plural);
		bool here = strncmp(req->path + 1, e->plural, n) == 0 &&
			    (req->path[n + 1] == '\0' || req->path[n + 1] == '/');
		buf_adds(b, "<li><a href=\"");
		if (nav[i].href)
			buf_adds(b, nav[i].href);
		else
			buf_printf(b, "/%s", e->plural);
		buf_printf(b, "\"%s>%s</a></li>", here ? " aria-current=\"page\"" : "", _(e->label_plural));
	}
	buf_adds(b, "</ul></nav>");
	lang_switch(req, b);
	user_menu(req, b);
	buf_adds(b, "</header><main id=\"main\">");
}

void page_end(struct request *req, struct response *resp)
{
	buf_printf(&resp->body, "</main><footer><p>%s · <a href=\"/api/v1/\">API</a> · "
				"<a href=\"/api/v1/openapi.json\">OpenAPI</a></p></footer></body></html>\n",
		   _("suivi — follow-up of the strategic dialogue and of the partnership for Africa"));
}

void page_redirect(struct response *resp, const char *location)
{
	resp->status = 303;
	resp_header(resp, "Location", location);
	resp->content_type = "text/plain; charset=utf-8";
	buf_adds(&resp->body, "See Other\n");
}

static const char *const months[12] = {
	N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"),
	N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
};

void page_date(struct buf *out, enum lang lang, const char *iso)
{
	if (!iso || strlen(iso) < 10) {
		buf_html(out, iso);
		return;
	}
	int m = atoi(iso + 5), d = atoi(iso + 8);
	if (m < 1 || m > 12) {
		buf_html(out, iso);
		return;
	}
	buf_printf(out, "<time datetime=\"%.10s\">", iso);
	if (lang == LANG_EN)
		buf_printf(out, "%d %s %.4s", d, months[m - 1], iso);
	else
		buf_printf(out, "%d %s %.4s", d, tr(lang, months[m - 1]), iso);
	buf_adds(out, "</time>");
}

const char *page_i18n(const struct row *row, int col, enum lang lang, enum lang *shown)
{
	static const enum lang order[LANG__MAX] = { LANG_FR, LANG_EN, LANG_AR };
	const char *s = row_text(row, col + (int)lang);
	if (s && *s) {
		*shown = lang;
		return s;
	}
	for (int i = 0; i < LANG__MAX; i++) {
		s = row_text(row, col + (int)order[i]);
		if (s && *s) {
			*shown = order[i];
			return s;
		}
	}
	return NULL;
}

void page_text_cut(struct buf *out, const char *s, size_t max)
{
	size_t chars = 0, i = 0;
	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == max)
			break;
	}
	char *cut = xstrndup(s, i);
	buf_html(out, cut);
	if (s[i])
		buf_adds(out, "…");
	free(cut);
}

void page_i18n_html(struct buf *out, const struct row *row, int col, enum lang lang, size_t max)
{
	enum lang shown = lang;
	const char *s = page_i18n(row, col, lang, &shown);
	if (!s)
		return;
	if (shown != lang)
		buf_printf(out, "<span lang=\"%s\" dir=\"%s\">", lang_code[shown],
			   lang_rtl(shown) ? "rtl" : "ltr");
	if (max)
		page_text_cut(out, s, max);
	else
		buf_html(out, s);
	if (shown != lang)
		buf_adds(out, "</span>");
}

void page_record_name(struct buf *out, const struct entity *e, const struct row *row,
		      enum lang lang, size_t max)
{
	const struct field *f = ent_field(e, e->display);
	size_t before = out->len;
	if (f->type == FT_I18N) {
		page_i18n_html(out, row, f->col, lang, max);
	} else {
		const char *s = row_text(row, f->col);
		if (s)
			page_text_cut(out, s, max ? max : 200);
	}
	if (out->len == before) {
		buf_addc(out, '#');
		buf_html(out, row_text(row, ent_keyfield(e)->col));
	}
}

struct name_ctx {
	struct buf *out;
	const struct entity *e;
	enum lang lang;
};

static enum app_err name_row(void *ctx, const struct row *row)
{
	struct name_ctx *n = ctx;
	page_record_name(n->out, n->e, row, n->lang, 80);
	return APP_OK;
}

void page_map_words(struct request *req, struct map_legend *lg)
{
	lg->note = _("The boundaries and names shown and the designations used on this map do not imply "
		     "official endorsement or acceptance by the United Nations. Dashed line: Western Sahara.");
	lg->eh_name = _("Western Sahara");
	lg->rtl = lang_rtl(req->lang);
}

/* May the reader see the record e/key?  Not when it may not read e, nor
 * when the record is outside its scope (another country's need, a
 * programme its organisation does not fund). */
static bool ref_visible(struct request *req, const struct entity *e, const char *key)
{
	if (!ent_can_read(e, req->who.role))
		return false;
	if (!dom_scoped(e, &req->who))
		return true;
	struct buf seen = BUF_INIT;
	bool yes = dom_get_json(req->app, e, key, &req->who, &seen, NULL) == APP_OK;
	buf_release(&seen);
	return yes;
}

void page_ref_link(struct request *req, struct buf *out, const struct entity *e, const char *key)
{
	if (!ref_visible(req, e, key)) { /* its number only: no name, no link */
		buf_addc(out, '#');
		buf_html(out, key);
		return;
	}
	buf_printf(out, "<a href=\"/%s/", e->plural);
	buf_html(out, key);
	buf_adds(out, "\">");
	struct name_ctx n = { .out = out, .e = e, .lang = req->lang };
	if (store_get(req->app->store, e, key, name_row, &n) != APP_OK) {
		buf_addc(out, '#');
		buf_html(out, key);
	}
	buf_adds(out, "</a>");
}

const char *page_enum_label(enum lang lang, const char *value)
{
	return tr(lang, value);
}

const char *page_db_problem(const struct request *req, enum app_err rc)
{
	return _(err_message(err_db_failure(rc)));
}

void page_error(struct request *req, struct response *resp, int status, const char *msgid)
{
	buf_reset(&resp->body);
	resp->status = status;
	page_begin(req, resp, _(msgid));
	buf_printf(&resp->body, "<h1>%s</h1><p><a href=\"/\">%s</a></p>", _(msgid), _("Home"));
	page_end(req, resp);
}
