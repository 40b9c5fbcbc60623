/* account_tokens.c — see account_tokens.h. */
#define _POSIX_C_SOURCE 200809L
#include "account_tokens.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "page.h"
#include "store_auth.h"
#include "util.h"
#include "banned.h"

struct token_view {
	struct request *req;
	struct buf *b;    /* the list's rows go here (NULL: look one up) */
	int n;
	long long want;   /* the token looked up */
	bool found;       /* ... is one of who's, not revoked */
	char label[128], created[32];
};

static void label_html(struct buf *b, const char *label)
{
	if (label && *label)
		buf_html(b, label);
	else
		buf_adds(b, "—");
}

static void token_row(void *ctx, long long id, const char *account, const char *label,
		      const char *created, const char *revoked)
{
	(void)account;
	struct token_view *t = ctx;
	struct request *req = t->req;
	struct buf *b = t->b;
	if (!b) { /* the confirmation page's lookup */
		if (id == t->want && !revoked) {
			t->found = true;
			snprintf(t->label, sizeof t->label, "%s", label ? label : "");
			snprintf(t->created, sizeof t->created, "%s", created ? created : "");
		}
		return;
	}
	if (!t->n++)
		buf_printf(b, "<div class=\"scroll\"><table class=\"list\"><caption class=\"sr-only\">%s</caption>"
			      "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			      "</tr></thead><tbody>",
			   _("Your API tokens"), _("Label"), _("Made on"), _("Status"));
	buf_printf(b, "<tr><td id=\"token-%lld\">", id);
	label_html(b, label);
	buf_adds(b, "</td><td>");
	page_date(b, req->lang, created);
	buf_adds(b, "</td><td>");
	if (revoked) {
		struct buf when = BUF_INIT;
		page_date(&when, req->lang, revoked);
		buf_printf(b, _("Revoked on %s"), buf_cstr(&when));
		buf_release(&when);
	} else {
		buf_printf(b, "<a href=\"/account/tokens/%lld\" aria-describedby=\"token-%lld\">%s</a>", id, id,
			   _("Revoke…"));
	}
	buf_adds(b, "</td></tr>");
}

void tokens_section(struct request *req, struct buf *b)
{
	buf_printf(b, "<h2 id=\"tokens\">%s</h2>", _("Your API tokens"));
	if (args_get(&req->query, "revoked"))
		buf_printf(b, "<p class=\"notice\" role=\"status\">%s</p>", _("The token was revoked."));
	struct token_view t = { .req = req, .b = b };
	enum app_err rc = store_token_list(req->app->store, req->who.id, token_row, &t);
	if (rc)
		buf_printf(b, "<p class=\"error\" role=\"alert\">%s</p>", page_db_problem(req, rc));
	else if (!t.n)
		buf_printf(b, "<p>%s</p>", _("You have no API token. An administrator makes them with suivi token add."));
	else
		buf_adds(b, "</tbody></table></div>");
}

static void simple_page(struct request *req, struct response *resp, int status, const char *title)
{
	struct buf *b = &resp->body;
	buf_reset(b);
	resp->status = status;
	page_begin(req, resp, title);
	buf_printf(b, "<h1>%s</h1><p><a href=\"/account#tokens\">%s</a></p>", title, _("Your account"));
	page_end(req, resp);
}

/* GET: what goes with the token, and the button that ends it. */
static void confirm_page(struct request *req, struct response *resp, long long id)
{
	struct token_view t = { .req = req, .want = id };
	enum app_err rc = store_token_list(req->app->store, req->who.id, token_row, &t);
	if (rc || !t.found) {
		simple_page(req, resp, rc ? err_status(err_db_failure(rc)) : 404,
			    rc ? page_db_problem(req, rc) : _("No such API token of yours."));
		return;
	}
	struct buf *b = &resp->body;
	buf_reset(b);
	page_begin(req, resp, _("Revoke this API token?"));
	buf_printf(b, "<h1>%s</h1><dl class=\"record\"><dt>%s</dt><dd>", _("Revoke this API token?"), _("Label"));
	label_html(b, t.label);
	buf_printf(b, "</dd><dt>%s</dt><dd>", _("Made on"));
	page_date(b, req->lang, t.created);
	buf_printf(b, "</dd></dl><p>%s</p><form method=\"post\" action=\"/account/tokens/%lld\">",
		   _("Scripts that send it will be refused (401) from then on. This cannot be undone."), id);
	page_csrf_field(req, b);
	buf_printf(b, "<button type=\"submit\">%s</button> <a href=\"/account#tokens\">%s</a></form>",
		   _("Revoke the token"), _("Cancel"));
	page_end(req, resp);
}

static void revoke(struct request *req, struct response *resp, long long id)
{
	enum app_err rc = store_token_revoke(req->app->store, id, req->who.id, req->who.name);
	if (!rc)
		page_redirect(resp, "/account?revoked=1#tokens");
	else if (rc == APP_NOT_FOUND)
		simple_page(req, resp, 404, _("No such API token of yours."));
	else
		simple_page(req, resp, err_status(err_db_failure(rc)), page_db_problem(req, rc));
}

/* GET /account/tokens/{id}: what ending the token means; POST: end it.
 * A browser session's own tokens only (the route table: R_SESSION). */
void tokens_page(struct request *req, struct response *resp)
{
	long long id;
	if (!req_param_id(req, "id", &id))
		return; /* the table's {id} is a positive integer */
	if (strcmp(req->method, "POST") == 0)
		revoke(req, resp, id);
	else
		confirm_page(req, resp, id);
}
