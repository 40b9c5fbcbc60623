/* account_sessions.c — see account_sessions.h. */
#define _POSIX_C_SOURCE 200809L
#include "account_sessions.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "auth.h"
#include "page.h"
#include "store_auth.h"
#include "util.h"
#include "banned.h"

#define SIGN_INS_SHOWN 20

/* A moment (Unix seconds) as the reader writes a date, then its time UTC. */
static void moment(struct request *req, struct buf *b, long long at)
{
	time_t t = (time_t)at;
	struct tm tm;
	char iso[11], hm[6];
	gmtime_r(&t, &tm);
	strftime(iso, sizeof iso, "%Y-%m-%d", &tm);
	strftime(hm, sizeof hm, "%H:%M", &tm);
	page_date(b, req->lang, iso);
	buf_printf(b, " <bdi>%s UTC</bdi>", hm);
}

static void address(struct request *req, struct buf *b, const char *client)
{
	if (client && *client) {
		buf_adds(b, "<bdi>");
		buf_html(b, client);
		buf_adds(b, "</bdi>");
	} else {
		buf_adds(b, _("unknown"));
	}
}

struct session_view {
	struct request *req;
	struct buf *b;
	char mine[65]; /* the hash of the session reading the page */
	int n;
};

static void session_row(void *ctx, const char *hash, long long created, long long seen, const char *client)
{
	struct session_view *v = ctx;
	struct request *req = v->req;
	struct buf *b = v->b;
	if (!v->n++)
		buf_printf(b, "<div class=\"scroll\"><table class=\"list\"><caption class=\"sr-only\">%s</caption>"
			      "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			      "<th scope=\"col\"><span class=\"sr-only\">%s</span></th></tr></thead><tbody>",
			   _("Your sessions"), _("Opened"), _("Last active"), _("From"), _("End"));
	bool current = strcmp(hash, v->mine) == 0;
	buf_printf(b, "<tr><td id=\"session-%d\">", v->n);
	moment(req, b, created);
	buf_adds(b, "</td><td>");
	moment(req, b, seen);
	buf_adds(b, "</td><td>");
	address(req, b, client);
	buf_adds(b, "</td><td>");
	if (current) {
		buf_printf(b, "<strong>%s</strong>", _("This session"));
	} else {
		buf_adds(b, "<form method=\"post\" action=\"/account/sessions\">");
		page_csrf_field(req, b);
		buf_printf(b, "<button type=\"submit\" name=\"end\" value=\"%s\" class=\"secondary\" "
			      "aria-describedby=\"session-%d\">%s</button></form>",
			   hash, v->n, _("End"));
	}
	buf_adds(b, "</td></tr>");
}

void sessions_section(struct request *req, struct buf *b)
{
	buf_printf(b, "<h2 id=\"sessions\">%s</h2>", _("Where you are signed in"));
	if (args_get(&req->query, "ended"))
		buf_printf(b, "<p class=\"notice\" role=\"status\">%s</p>", _("The session was ended."));
	struct session_view v = { .req = req, .b = b };
	auth_session_hash(&req->who, v.mine);
	enum app_err rc = store_session_list(req->app->store, req->who.id, session_row, &v);
	if (rc) {
		buf_printf(b, "<p class=\"error\" role=\"alert\">%s</p>", page_db_problem(req, rc));
		return;
	}
	if (v.n)
		buf_adds(b, "</tbody></table></div>");
	if (v.n > 1) {
		buf_adds(b, "<form method=\"post\" action=\"/account/sessions\">");
		page_csrf_field(req, b);
		buf_printf(b, "<p><button type=\"submit\" name=\"end\" value=\"others\" class=\"secondary\">%s</button></p></form>",
			   _("Sign out everywhere else"));
	}
}

struct sign_in_view {
	struct request *req;
	struct buf *b;
	int n;
};

static void sign_in_row(void *ctx, long long at, const char *client, bool ok)
{
	struct sign_in_view *v = ctx;
	struct request *req = v->req;
	struct buf *b = v->b;
	if (!v->n++)
		buf_printf(b, "<div class=\"scroll\"><table class=\"list\"><caption class=\"sr-only\">%s</caption>"
			      "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			      "</tr></thead><tbody>",
			   _("Your recent sign-ins"), _("When"), _("From"), _("Result"));
	buf_adds(b, "<tr><td>");
	moment(req, b, at);
	buf_adds(b, "</td><td>");
	address(req, b, client);
	buf_printf(b, "</td><td>%s</td></tr>", ok ? _("Signed in") : _("Wrong password"));
}

void sign_ins_section(struct request *req, struct buf *b)
{
	buf_printf(b, "<h2 id=\"sign-ins\">%s</h2><p>", _("Your recent sign-ins"));
	buf_printf(b, _("The sign-ins to your account of the last %d days, with the wrong passwords given for it. "
			"One that was not you is a reason to change your password."),
		   SIGN_IN_KEEP);
	buf_adds(b, "</p>");
	struct sign_in_view v = { .req = req, .b = b };
	enum app_err rc = store_sign_in_list(req->app->store, req->who.id, SIGN_INS_SHOWN, sign_in_row, &v);
	if (rc)
		buf_printf(b, "<p class=\"error\" role=\"alert\">%s</p>", page_db_problem(req, rc));
	else if (v.n)
		buf_adds(b, "</tbody></table></div>");
	else
		buf_printf(b, "<p>%s</p>", _("No sign-in is recorded yet."));
}

/* Ends every session of who's but the one reading. */
struct others {
	struct request *req;
	char mine[65];
	enum app_err rc;
};

static void end_other(void *ctx, const char *hash, long long created, long long seen, const char *client)
{
	(void)created, (void)seen, (void)client;
	struct others *o = ctx;
	if (!o->rc && strcmp(hash, o->mine) != 0) {
		enum app_err rc = store_session_end(o->req->app->store, o->req->who.id, hash);
		o->rc = rc == APP_NOT_FOUND ? APP_OK : rc; /* ended meanwhile: as wanted */
	}
}

static bool is_hash(const char *s)
{
	return s && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

void sessions_end(struct request *req, struct response *resp)
{
	struct args form = { 0 };
	if (req->body)
		args_parse_form(&form, req->body, req->body_len);
	const char *end = args_get(&form, "end");
	struct others o = { .req = req };
	auth_session_hash(&req->who, o.mine);
	enum app_err rc;
	if (end && strcmp(end, "others") == 0) {
		rc = store_session_list(req->app->store, req->who.id, end_other, &o);
		rc = rc ? rc : o.rc;
	} else {
		rc = is_hash(end) ? store_session_end(req->app->store, req->who.id, end) : APP_NOT_FOUND;
	}
	if (rc == APP_NOT_FOUND)
		page_error(req, resp, 404, N_("No such session of yours: it may have ended already."));
	else if (rc)
		page_error_rc(req, resp, rc);
	else if (end && strcmp(end, o.mine) == 0) /* this very session: signed out */
		page_redirect(resp, "/login");
	else
		page_redirect(resp, "/account?ended=1#sessions");
	args_release(&form);
}
