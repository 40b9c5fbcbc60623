/* login.c — see login.h. */
#define _POSIX_C_SOURCE 200809L
#include "login.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account_sessions.h"
#include "accounts.h"
#include "account_tokens.h"
#include "oidc_http.h"
#include "twofa_http.h"
#include "app.h"
#include "auth.h"
#include "hashpool.h"
#include "page.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

/* A local path to go back to after signing in ("/" when next is missing
 * or points elsewhere: no open redirect). */
static const char *safe_next(const char *next)
{
	return util_local_path(next) ? next : "/";
}

static void session_cookie(struct request *req, struct response *resp, const char *token, bool end)
{
	char *c = xasprintf(SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax%s%s", end ? "" : token,
			    req->tls ? "; Secure" : "", end ? "; Max-Age=0" : "");
	resp_header(resp, "Set-Cookie", c);
	free(c);
}

/* The problem of the last try, if any (where a screen reader and the
 * keyboard land first), and the start of the form posted to action. */
static void narrow_form(struct buf *b, const char *problem, const char *action)
{
	if (problem)
		buf_printf(b, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus><p>%s</p></div>", problem);
	buf_printf(b, "<form method=\"post\" action=\"%s\" class=\"record-form narrow\">", action);
}

/* A password field of those forms: its label, the input named name (id
 * in-NAME) with the browser's autocomplete hint, and help (markup) under
 * it when not NULL. */
static void password_field(struct buf *b, const char *name, const char *autocomplete, const char *label,
			   const char *help)
{
	buf_printf(b, "<div class=\"field\"><label for=\"in-%s\">%s</label>"
		      "<input type=\"password\" id=\"in-%s\" name=\"%s\" autocomplete=\"%s\" required",
		   name, label, name, name, autocomplete);
	if (help)
		buf_printf(b, " aria-describedby=\"help-%s\"><p class=\"help\" id=\"help-%s\">%s</p></div>", name, name,
			   help);
	else
		buf_adds(b, "></div>");
}

/* The two fields of a new password (new, again), with the length it needs. */
static void new_password_fields(struct request *req, struct buf *b)
{
	char *at_least = xasprintf(_("At least %d characters."), PASSWORD_MIN);
	password_field(b, "new", "new-password", _("New password"), at_least);
	free(at_least);
	password_field(b, "again", "new-password", _("New password again"), NULL);
}

/* The form's button, the end of the form and of the page. */
static void form_end(struct request *req, struct response *resp, const char *submit)
{
	buf_printf(&resp->body, "<div class=\"field actions\"><button type=\"submit\">%s</button></div></form>", submit);
	page_end(req, resp);
}

static void login_form(struct request *req, struct response *resp, const char *name,
		       const char *next, const char *problem)
{
	struct buf *b = &resp->body;
	buf_reset(b);
	page_begin(req, resp, _("Sign in"));
	buf_printf(b, "<h1>%s</h1>", _("Sign in"));
	narrow_form(b, problem, "/login");
	buf_adds(b, "<input type=\"hidden\" name=\"next\" value=\"");
	buf_html(b, safe_next(next));
	buf_printf(b, "\"><div class=\"field\"><label for=\"in-name\">%s</label>"
		      "<input type=\"text\" id=\"in-name\" name=\"name\" autocomplete=\"username\" required value=\"",
		   _("User name"));
	buf_html(b, name);
	buf_adds(b, "\"></div>");
	password_field(b, "password", "current-password", _("Password"), NULL);
	buf_printf(b, "<div class=\"field actions\"><button type=\"submit\">%s</button></div></form>", _("Sign in"));
	oidc_login_buttons(req, b, safe_next(next));
	page_end(req, resp);
}

static void read_form(struct request *req, struct args *form)
{
	const char *ct = req->header(req, "Content-Type");
	if (ct && util_prefix_ci(ct, "application/x-www-form-urlencoded"))
		args_parse_form(form, req->body, req->body_len);
}

/* Was the form posted from this site?  Browsers send Origin with a POST;
 * one naming another host is refused (no signing a browser into someone
 * else's account).  Scripts without Origin are let through. */
static bool same_origin(struct request *req)
{
	const char *origin = req->header(req, "Origin"), *host = req->header(req, "Host");
	if (!origin)
		return true;
	const char *p = strstr(origin, "://");
	return p && host && strcmp(p + 3, host) == 0;
}

const char *login_too_busy(struct request *req, struct response *resp)
{
	resp->status = 503;
	char secs[24];
	snprintf(secs, sizeof secs, "%d", HASHPOOL_RETRY);
	resp_header(resp, "Retry-After", secs);
	return _("Many people are signing in at this moment. Wait a few seconds, then try again.");
}

static void do_login(struct request *req, struct response *resp)
{
	if (!same_origin(req)) {
		resp->status = 403;
		login_form(req, resp, "", "/", _("This form has expired or did not come from suivi; reload the page and try again."));
		return;
	}
	struct args form = { 0 };
	read_form(req, &form);
	const char *name = args_get(&form, "name"), *pw = args_get(&form, "password");
	const char *next = args_get(&form, "next");
	if (req->hash_busy) {
		login_form(req, resp, name && strlen(name) < 200 ? name : "", next, login_too_busy(req, resp));
		args_release(&form);
		return;
	}
	char token[TOKEN_TEXT];
	long long wait = 0;
	struct principal who;
	enum app_err rc = (name && pw && *name && strlen(name) < 200 && strlen(pw) < 1024)
				  ? auth_login(req->app->store, name, pw, req_client(req), &who, token, &wait)
				  : APP_FORBIDDEN;
	if (!rc) {
		session_cookie(req, resp, token, false);
		err_ignore(store_account_language(req->app->store, who.id, lang_code[req->lang]));
		if (who.code_pending) { /* then the one-time code */
			struct buf to = BUF_INIT;
			buf_adds(&to, "/login/code?next=");
			buf_url(&to, safe_next(next));
			page_redirect(resp, buf_cstr(&to));
			buf_release(&to);
		} else { /* a one-time password is changed before anything else (routes.c) */
			page_redirect(resp, who.must_change ? "/account" : safe_next(next));
		}
	} else if (rc == APP_TOO_MANY) {
		resp->status = 429;
		char secs[24];
		snprintf(secs, sizeof secs, "%lld", wait);
		resp_header(resp, "Retry-After", secs);
		char *msg = xasprintf(_("Too many failed attempts. Wait %lld seconds, then try again."), wait);
		login_form(req, resp, name, next, msg);
		free(msg);
	} else if (rc == APP_FORBIDDEN) {
		resp->status = 403;
		login_form(req, resp, name, next, _("The user name or the password is not right."));
	} else {
		resp->status = err_status(err_db_failure(rc));
		login_form(req, resp, name, next, page_db_problem(req, rc));
	}
	args_release(&form);
}

static void account_page(struct request *req, struct response *resp, const char *problem, bool done)
{
	struct buf *b = &resp->body;
	buf_reset(b);
	page_begin(req, resp, _("Your account"));
	buf_printf(b, "<h1>%s</h1>", _("Your account"));
	if (req->who.must_change)
		buf_printf(b, "<p class=\"notice\" role=\"status\">%s</p>",
			   _("You signed in with a one-time password. Choose your own password below to go on: "
			     "until then, this page is the only one open to you."));
	buf_printf(b, "<dl class=\"record\"><dt>%s</dt><dd>", _("User name"));
	buf_html(b, req->who.name);
	buf_printf(b, "</dd><dt>%s</dt><dd>%s</dd>", _("Role"), tr(req->lang, role_name[req->who.role]));
	if (req->who.country[0]) {
		buf_printf(b, "<dt>%s</dt><dd>", _("Country"));
		page_ref_name(req, b, ENT(COUNTRY), req->who.country); /* by its name, not its code */
		buf_adds(b, "</dd>");
	}
	buf_adds(b, "</dl>");
	if (!req->who.must_change) { /* its links lead nowhere until the password is changed */
		twofa_link_section(req, b);
		sessions_section(req, b);
		sign_ins_section(req, b);
		tokens_section(req, b);
	}
	if (done)
		buf_printf(b, "<p class=\"notice\" role=\"status\">%s</p>", _("Your password was changed. Sign in again with it."));
	buf_printf(b, "<h2>%s</h2><p>%s</p>", _("Change your password"),
		   _("Changing it signs you out everywhere and revokes your API tokens."));
	narrow_form(b, problem, "/account");
	page_csrf_field(req, b);
	password_field(b, "current", "current-password",
		       req->who.must_change ? _("One-time password") : _("Current password"), NULL);
	new_password_fields(req, b);
	form_end(req, resp, _("Change the password"));
}

static void change_password(struct request *req, struct response *resp)
{
	struct args form = { 0 };
	read_form(req, &form);
	const char *cur = args_get(&form, "current"), *next = args_get(&form, "new");
	const char *again = args_get(&form, "again");
	if (req->hash_busy) {
		account_page(req, resp, login_too_busy(req, resp), false);
	} else if (!cur || !next || !again || strcmp(next, again) != 0) {
		resp->status = 422;
		account_page(req, resp, _("The two new passwords are not the same."), false);
	} else {
		enum app_err rc = auth_change_password(req->app->store, &req->who, cur, next);
		if (rc == APP_OK) {
			session_cookie(req, resp, "", true); /* every session of the account ended */
			page_redirect(resp, "/login?changed=1");
		} else {
			bool refused = rc == APP_FORBIDDEN || rc == APP_INVALID || rc == APP_CONFLICT;
			resp->status = refused ? (rc == APP_FORBIDDEN ? 403 : 422) : err_status(err_db_failure(rc));
			account_page(req, resp, rc == APP_FORBIDDEN ? _("The current password is not right.")
					      : rc == APP_INVALID ? _("The new password is too short.")
					      : rc == APP_CONFLICT ? _("Choose a password of your own, not the one-time password.")
					      : page_db_problem(req, rc), false);
		}
	}
	args_release(&form);
}

/* GET /login. */
void login_page(struct request *req, struct response *resp)
{
	login_form(req, resp, "", args_get(&req->query, "next"),
		   args_get(&req->query, "changed") ? _("Your password was changed. Sign in again with it.") : NULL);
}

/* POST /login (no CSRF token: nobody has a session yet). */
void login_post(struct request *req, struct response *resp)
{
	do_login(req, resp);
}

/* POST /logout: ends the session in the database. */
void login_logout(struct request *req, struct response *resp)
{
	enum app_err rc = auth_logout(req->app->store, &req->who);
	session_cookie(req, resp, "", true);
	if (rc) /* the session still stands on the server: say so, to try again */
		page_error(req, resp, err_status(rc), N_("You are not signed out: the database did not answer. "
							 "Try again in a moment."));
	else
		page_redirect(resp, "/");
}

/* GET /account (a browser session's). */
void login_account_page(struct request *req, struct response *resp)
{
	account_page(req, resp, NULL, false);
}

/* POST /account: a new password. */
void login_account_post(struct request *req, struct response *resp)
{
	change_password(req, resp);
}

/* ---- a password chosen through a reset link (accounts.h) ------------------------------------ */

static void reset_dead_link(struct request *req, struct response *resp)
{
	_Static_assert(RESET_LINK_MINUTES == 30, "the message says how long a link works");
	page_error(req, resp, 404, N_("This link does not work: it was mistyped, has been used already, or is "
				      "older than 30 minutes. Ask an administrator for a new one."));
}

static void reset_form(struct request *req, struct response *resp, const char *token, const char *problem)
{
	struct buf *b = &resp->body;
	buf_reset(b);
	page_begin(req, resp, _("Choose a new password"));
	buf_printf(b, "<h1>%s</h1><p>%s</p>", _("Choose a new password"),
		   _("Choosing it signs you out everywhere and revokes your API tokens; then sign in with it."));
	char *action = xasprintf("/reset/%s", token);
	narrow_form(b, problem, action);
	free(action);
	new_password_fields(req, b);
	form_end(req, resp, _("Change the password"));
}

/* GET /reset/{token}: the form, while the link works. */
void login_reset_page(struct request *req, struct response *resp)
{
	const char *token = req_param(req, "token");
	enum app_err rc = account_reset_check(req->app->store, token);
	if (rc == APP_NOT_FOUND)
		reset_dead_link(req, resp);
	else if (rc)
		page_error_rc(req, resp, rc);
	else
		reset_form(req, resp, token, NULL);
}

/* POST /reset/{token}: the new password (no CSRF token: nobody is signed
 * in; the link is the proof, and the form must come from this site). */
void login_reset_post(struct request *req, struct response *resp)
{
	const char *token = req_param(req, "token");
	if (!same_origin(req)) {
		resp->status = 403;
		reset_form(req, resp, token, _("This form has expired or did not come from suivi; reload the page and try again."));
		return;
	}
	struct args form = { 0 };
	read_form(req, &form);
	const char *next = args_get(&form, "new"), *again = args_get(&form, "again");
	if (req->hash_busy) {
		reset_form(req, resp, token, login_too_busy(req, resp));
	} else if (!next || !again || strcmp(next, again) != 0) {
		resp->status = 422;
		reset_form(req, resp, token, _("The two new passwords are not the same."));
	} else {
		enum app_err rc = account_reset_by_link(req->app->store, token, next);
		if (rc == APP_OK) {
			page_redirect(resp, "/login?changed=1");
		} else if (rc == APP_NOT_FOUND) {
			reset_dead_link(req, resp);
		} else if (rc == APP_INVALID) {
			resp->status = 422;
			reset_form(req, resp, token, _("The new password is too short."));
		} else {
			page_error_rc(req, resp, rc);
		}
	}
	args_release(&form);
}

/* ---- the one-time code after the password (twofa.h) ------------------------------------------ */

static void code_form(struct request *req, struct response *resp, const char *next, const char *problem)
{
	struct buf *b = &resp->body;
	buf_reset(b);
	page_begin(req, resp, _("Your one-time code"));
	buf_printf(b, "<h1>%s</h1><p>%s</p>", _("Your one-time code"),
		   _("Open your authenticator app and type the 6-digit code it shows for suivi, or one of your recovery codes."));
	narrow_form(b, problem, "/login/code");
	page_csrf_field(req, b);
	buf_adds(b, "<input type=\"hidden\" name=\"next\" value=\"");
	buf_html(b, safe_next(next));
	buf_printf(b, "\"><div class=\"field\"><label for=\"in-code\">%s</label>"
		      "<input type=\"text\" id=\"in-code\" name=\"code\" autocomplete=\"one-time-code\" "
		      "autocapitalize=\"off\" spellcheck=\"false\" dir=\"ltr\" required autofocus></div>",
		   _("Code"));
	form_end(req, resp, _("Sign in"));
}

/* GET /login/code: a session that gave its password gives its code. */
void login_code_page(struct request *req, struct response *resp)
{
	if (!req->who.code_pending)
		page_redirect(resp, "/login");
	else
		code_form(req, resp, args_get(&req->query, "next"), NULL);
}

/* POST /login/code (the session's CSRF token: it has one since its password). */
void login_code_post(struct request *req, struct response *resp)
{
	if (!req->who.code_pending) {
		page_redirect(resp, "/login");
		return;
	}
	struct args form = { 0 };
	read_form(req, &form);
	const char *next = args_get(&form, "next");
	long long wait = 0, left = -1;
	enum app_err rc = auth_code(req->app->store, req->app->key_file, &req->who, args_get(&form, "code"),
				    req_client(req), &wait, &left);
	if (!rc && left >= 0) { /* a recovery code: say how many remain, on the enrolment page */
		char *to = xasprintf("/account/2fa?left=%lld", left);
		page_redirect(resp, to);
		free(to);
	} else if (!rc) {
		page_redirect(resp, safe_next(next));
	} else if (rc == APP_TOO_MANY) {
		resp->status = 429;
		char secs[24];
		snprintf(secs, sizeof secs, "%lld", wait);
		resp_header(resp, "Retry-After", secs);
		char *msg = xasprintf(_("Too many failed attempts. Wait %lld seconds, then try again."), wait);
		code_form(req, resp, next, msg);
		free(msg);
	} else if (rc == APP_FORBIDDEN) {
		resp->status = 403;
		code_form(req, resp, next, _("That code is not right. Type the code your app shows now, or a recovery code."));
	} else {
		resp->status = err_status(err_db_failure(rc));
		code_form(req, resp, next, page_db_problem(req, rc));
	}
	args_release(&form);
}
