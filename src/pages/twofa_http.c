/* twofa_http.c — see twofa_http.h. */
#define _POSIX_C_SOURCE 200809L
#include "twofa_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app.h"
#include "auth.h"
#include "page.h"
#include "pdf.h"
#include "twofa.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

/* The key written out in groups of four, for an app that cannot scan. */
static void key_html(struct buf *b, const char *base32)
{
	buf_adds(b, "<code class=\"one-time\" dir=\"ltr\" translate=\"no\">");
	for (size_t i = 0; base32[i]; i++) {
		if (i && i % 4 == 0)
			buf_addc(b, ' ');
		buf_addc(b, base32[i]);
	}
	buf_adds(b, "</code>");
}

/* The page that sets it up: the QR code, the key, the field of the first code. */
static void enrol_form(struct request *req, struct response *resp, const char *base32, const char *uri,
		       const char *problem)
{
	struct buf *b = &resp->body;
	buf_reset(b);
	page_begin(req, resp, _("Two-factor sign-in"));
	buf_printf(b, "<h1>%s</h1>", _("Two-factor sign-in"));
	if (req->who.must_enrol)
		buf_printf(b, "<p class=\"notice\" role=\"status\">%s</p>",
			   _("Your role signs in with a one-time code as well as the password. Set it up below to go on: "
			     "until then, this page is the only one open to you."));
	if (problem)
		buf_printf(b, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus><p>%s</p></div>", problem);
	buf_printf(b, "<ol class=\"steps\"><li>%s</li><li>%s<div class=\"qr-box\">",
		   _("Install an authenticator app on your phone (FreeOTP, Aegis, Google or Microsoft Authenticator …)."),
		   _("In the app, add an account by scanning this code:"));
	if (!pdf_qr_svg(b, uri, 200, _("QR code of the key")))
		buf_printf(b, "<p>%s</p>", _("(The QR code cannot be drawn here: type the key below.)"));
	buf_printf(b, "</div>%s ", _("or by typing this key:"));
	key_html(b, base32);
	buf_printf(b, "</li><li>%s</li></ol>", _("Type the 6-digit code the app then shows, to check that it works."));
	buf_adds(b, "<form method=\"post\" action=\"/account/2fa\" class=\"record-form narrow\">");
	page_csrf_field(req, b);
	buf_printf(b, "<div class=\"field\"><label for=\"in-code\">%s</label><input type=\"text\" id=\"in-code\" name=\"code\" "
		      "autocomplete=\"one-time-code\" inputmode=\"numeric\" dir=\"ltr\" required></div>"
		      "<div class=\"field actions\"><button type=\"submit\">%s</button></div></form>",
		   _("Code"), _("Turn on two-factor sign-in"));
	page_end(req, resp);
}

/* The page of an account that has it: the codes left. */
static void status_page(struct request *req, struct response *resp)
{
	struct buf *b = &resp->body;
	long long left = 0;
	enum app_err rc = store_recovery_left(req->app->store, req->who.id, &left);
	buf_reset(b);
	page_begin(req, resp, _("Two-factor sign-in"));
	buf_printf(b, "<h1>%s</h1><p>%s</p>", _("Two-factor sign-in"),
		   _("It is on: you sign in with your password, then a code of your authenticator app."));
	const char *used = args_get(&req->query, "left");
	if (used)
		buf_printf(b, "<p class=\"notice\" role=\"status\">%s</p>",
			   _("You signed in with a recovery code; it cannot be used again."));
	if (rc) {
		buf_printf(b, "<p class=\"error\" role=\"alert\">%s</p>", page_db_problem(req, rc));
	} else {
		buf_adds(b, "<p>");
		buf_printf(b, _("Recovery codes left: %lld."), left);
		buf_adds(b, " ");
		buf_adds(b, _("If you lose your phone, or run out of recovery codes, ask an administrator to remove "
			      "two-factor sign-in from your account, then set it up again here."));
		buf_adds(b, "</p>");
	}
	buf_printf(b, "<p><a href=\"/account\">%s</a></p>", _("Your account"));
	page_end(req, resp);
}

/* The recovery codes, the only time they are shown. */
static void codes_page(struct request *req, struct response *resp, char codes[RECOVERY_CODES][RECOVERY_TEXT])
{
	struct buf *b = &resp->body;
	buf_reset(b);
	page_begin(req, resp, _("Your recovery codes"));
	buf_printf(b, "<h1>%s</h1><p class=\"notice\" role=\"status\">%s</p><p class=\"notice caution\" role=\"alert\">"
		      "<strong>%s</strong> %s</p><ul class=\"recovery-codes\" dir=\"ltr\" translate=\"no\">",
		   _("Your recovery codes"), _("Two-factor sign-in is on."), _("These codes will not be shown again."),
		   _("Keep them somewhere safe, apart from your phone: each lets you sign in once without the app."));
	for (int i = 0; i < RECOVERY_CODES; i++)
		buf_printf(b, "<li><code>%s</code></li>", codes[i]);
	buf_printf(b, "</ul><p><a href=\"/\">%s</a></p>", _("Go on"));
	page_end(req, resp);
}

static void enrol_get(struct request *req, struct response *resp)
{
	const struct principal *a = &req->who;
	char base32[TOTP_BASE32_MAX], session[65];
	struct buf uri = BUF_INIT;
	auth_session_hash(&req->who, session);
	/* the key this session began, if any, so that a reload shows the one the app has */
	enum app_err rc = twofa_pending(req->app->store, req->app->key_file, a->id, a->name, session, base32, &uri);
	if (rc == APP_NOT_FOUND || rc == APP_INVALID)
		rc = twofa_begin(req->app->store, req->app->key_file, a->id, a->name, session, base32, &uri);
	if (rc)
		page_error_rc(req, resp, rc);
	else
		enrol_form(req, resp, base32, buf_cstr(&uri), NULL);
	buf_release(&uri);
}

static void enrol_post(struct request *req, struct response *resp)
{
	const struct principal *a = &req->who;
	struct args form = { 0 };
	args_parse_form(&form, req->body, req->body_len); /* a form: the route table checked */
	char codes[RECOVERY_CODES][RECOVERY_TEXT], session[65];
	auth_session_hash(&req->who, session);
	enum app_err rc = twofa_confirm(req->app->store, req->app->key_file, a->id, session, args_get(&form, "code"),
				       codes, req->who.name);
	args_release(&form);
	if (!rc) {
		codes_page(req, resp, codes);
		sodium_memzero(codes, sizeof codes);
		return;
	}
	if (rc != APP_FORBIDDEN) {
		page_error_rc(req, resp, rc == APP_NOT_FOUND ? APP_CONFLICT : rc);
		return;
	}
	char base32[TOTP_BASE32_MAX];
	struct buf uri = BUF_INIT;
	rc = twofa_pending(req->app->store, req->app->key_file, a->id, a->name, session, base32, &uri);
	if (rc) {
		page_error_rc(req, resp, rc);
	} else {
		resp->status = 422;
		enrol_form(req, resp, base32, buf_cstr(&uri),
			   _("That code is not right. Check that the app shows suivi's key, then type the code it shows now."));
	}
	buf_release(&uri);
}

void twofa_page(struct request *req, struct response *resp)
{
	if (req->who.two_factor)
		status_page(req, resp); /* (a post finds it done: a second tab) */
	else if (strcmp(req->method, "POST") == 0)
		enrol_post(req, resp);
	else
		enrol_get(req, resp);
}

void twofa_link_section(struct request *req, struct buf *b)
{
	buf_printf(b, "<h2 id=\"two-factor\">%s</h2>", _("Two-factor sign-in"));
	if (req->who.two_factor)
		buf_printf(b, "<p>%s <a href=\"/account/2fa\">%s</a></p>",
			   _("It is on: you sign in with your password, then a code of your authenticator app."),
			   _("Recovery codes"));
	else
		buf_printf(b, "<p>%s <a href=\"/account/2fa\">%s</a></p>",
			   _("It is off: a stolen password is enough to sign in as you."), _("Set up two-factor sign-in"));
}

/* ---- administrators ---------------------------------------------------------------------- */

void twofa_account_section(struct request *req, struct buf *b, const struct account *a)
{
	buf_printf(b, "<h2>%s</h2><p>%s%s</p>", _("Two-factor sign-in"),
		   a->two_factor ? _("On: this account signs in with a one-time code after its password.")
				 : _("Off: this account signs in with its password alone."),
		   !a->two_factor && a->two_factor_required ? _(" Its role requires it: it will be asked to set it up at its next sign-in.") : "");
	if (a->two_factor && a->id != req->who.id) {
		buf_printf(b, "<form method=\"post\" action=\"/accounts/%lld/2fa-remove\"><p>%s</p>", a->id,
			   _("A lost phone: remove it, and the person signs in with the password alone until they set it up again."));
		page_csrf_field(req, b);
		buf_printf(b, "<button type=\"submit\">%s</button></form>", _("Remove two-factor sign-in"));
	}
}

void accounts_twofa_remove(struct request *req, struct response *resp)
{
	long long id;
	if (!req_param_id(req, "id", &id))
		return;
	enum app_err rc = id == req->who.id ? APP_FORBIDDEN : store_totp_remove(req->app->store, id, req->who.name);
	if (rc == APP_FORBIDDEN) {
		page_error(req, resp, 403, N_("You cannot remove your own two-factor sign-in; another administrator can."));
	} else if (rc) {
		page_error_rc(req, resp, rc);
	} else {
		char *to = xasprintf("/accounts/%lld", id);
		page_redirect(resp, to);
		free(to);
	}
}

void twofa_roles_section(struct request *req, struct buf *b)
{
	unsigned roles = 0;
	enum app_err rc = store_twofa_roles(req->app->store, &roles);
	buf_printf(b, "<h2 id=\"two-factor\">%s</h2>", _("Two-factor sign-in"));
	if (rc) {
		buf_printf(b, "<p class=\"error\" role=\"alert\">%s</p>", page_db_problem(req, rc));
		return;
	}
	buf_printf(b, "<form method=\"post\" action=\"/accounts/two-factor\"><fieldset><legend>%s</legend>",
		   _("Roles that must sign in with a one-time code"));
	page_csrf_field(req, b);
	static const enum role users[] = { ROLE_ADMIN, ROLE_OFFICER, ROLE_FOCAL, ROLE_DONOR };
	for (size_t i = 0; i < sizeof users / sizeof *users; i++)
		buf_printf(b, "<label><input type=\"checkbox\" name=\"role\" value=\"%s\"%s> %s</label> ", role_name[users[i]],
			   roles & ROLE_BIT(users[i]) ? " checked" : "", tr(req->lang, role_name[users[i]]));
	buf_printf(b, "</fieldset><p class=\"help\">%s</p><button type=\"submit\">%s</button></form>",
		   _("Someone of such a role who has not set it up reaches nothing but the page that sets it up, "
		     "at their next page."),
		   _("Save"));
}

void accounts_twofa_roles(struct request *req, struct response *resp)
{
	struct args form = { 0 };
	args_parse_form(&form, req->body, req->body_len); /* a form: the route table checked */
	unsigned roles = 0;
	for (size_t i = 0; i < form.n; i++) {
		enum role r;
		if (strcmp(form.a[i].name, "role") == 0 && role_parse(form.a[i].value, &r) && r != ROLE_PUBLIC)
			roles |= ROLE_BIT(r);
	}
	args_release(&form);
	enum app_err rc = store_twofa_roles_set(req->app->store, roles, req->who.name);
	if (rc)
		page_error_rc(req, resp, rc);
	else
		page_redirect(resp, "/accounts?saved=two-factor#two-factor");
}
