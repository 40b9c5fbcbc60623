/* accounts_http.c — see accounts_http.h. */
#define _POSIX_C_SOURCE 200809L
#include "accounts_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "accounts.h"
#include "app.h"
#include "args.h"
#include "domain.h"
#include "login.h"
#include "page.h"
#include "util.h"
#include "xalloc.h"
#include "oidc_http.h"
#include "twofa_http.h"
#include "banned.h"

/* ---- how an account reads ------------------------------------------------------------- */

/* A moment of the account (ISO 8601) as a date in the reader's language,
 * or "never". */
static void when_html(struct request *req, struct buf *b, const char *iso)
{
	if (iso[0])
		page_date(b, req->lang, iso);
	else
		buf_adds(b, _("never"));
}

/* The country of a focal point or the organisation of a donor, by name. */
static void attached_html(struct request *req, struct buf *b, const struct account *a)
{
	if (a->country[0]) {
		page_ref_name(req, b, ENT(COUNTRY), a->country);
	} else if (a->organisation) {
		char key[24];
		snprintf(key, sizeof key, "%lld", a->organisation);
		page_ref_name(req, b, ENT(ORGANISATION), key);
	} else {
		buf_adds(b, "\xe2\x80\x94"); /* an em dash: none */
	}
}

static void state_html(struct request *req, struct buf *b, const struct account *a)
{
	buf_adds(b, a->disabled ? _("Disabled") : _("Active"));
	if (a->must_change && !a->disabled)
		buf_printf(b, "<br><small>%s</small>", _("one-time password not changed yet"));
}

/* ---- the list ----------------------------------------------------------------------------- */

struct account_array {
	struct account *a;
	size_t n, cap;
};

static void keep_account(void *ctx, const struct account *a)
{
	struct account_array *all = ctx;
	if (all->n == all->cap) {
		all->cap = all->cap ? 2 * all->cap : 16;
		all->a = xrealloc(all->a, all->cap * sizeof *all->a);
	}
	all->a[all->n] = *a;
	memset(all->a[all->n].password_hash, 0, sizeof all->a[all->n].password_hash); /* not kept around */
	all->n++;
}

static void list_row(struct page_rows *r, const struct account *a)
{
	struct request *req = r->req;
	struct buf *b = page_rows_link(r, "accounts", a->id);
	buf_html(b, a->name);
	buf_printf(b, "</a></th><td>%s</td><td>", tr(req->lang, role_name[a->role]));
	attached_html(req, b, a);
	buf_adds(b, "</td><td>");
	state_html(req, b, a);
	buf_adds(b, "</td><td>");
	when_html(req, b, a->last_login);
	buf_adds(b, "</td><td>");
	when_html(req, b, a->created);
	buf_adds(b, "</td></tr>");
}

/* GET /accounts: every account by name (?sort=-name: from Z to A).  The
 * accounts are read first, then each one's country or organisation: no
 * query runs inside another's walk. */
void accounts_list_page(struct request *req, struct response *resp)
{
	const char *sort = args_get(&req->query, "sort");
	bool desc = sort && strcmp(sort, "-name") == 0;
	struct account_array all = { 0 };
	enum app_err rc = store_account_list(req->app->store, desc, keep_account, &all);
	struct buf *b = &resp->body;
	page_begin(req, resp, _("Accounts"));
	buf_printf(b, "<h1>%s</h1><p><a class=\"button\" href=\"/accounts/new\">%s</a></p>", _("Accounts"),
		   _("Create an account"));
	char *name_col = xasprintf("<a href=\"/accounts%s\">%s<span aria-hidden=\"true\"> %s</span></a>",
				   desc ? "" : "?sort=-name", _("Name"), desc ? "\xe2\x86\x91" : "\xe2\x86\x93");
	const struct page_table t = {
		.cls = "list accounts", .scroll = true, .sr_caption = true,
		.caption = desc ? _("Accounts, by name from Z to A") : _("Accounts, by name from A to Z"),
		.cols = { name_col, _("Role"), _("Country or organisation"), _("Status"), _("Last sign-in"),
			  _("Created on") },
	};
	struct page_rows rows = { .req = req, .b = b, .table = &t };
	for (size_t i = 0; !rc && i < all.n; i++)
		list_row(&rows, &all.a[i]);
	page_rows_finish(&rows, rc, _("No account."));
	if (args_get(&req->query, "saved"))
		buf_printf(b, "<p class=\"notice\" role=\"status\">%s</p>", _("Saved."));
	twofa_roles_section(req, b);
	oidc_accounts_section(req, b);
	free(name_col);
	free(all.a);
	page_end(req, resp);
}

/* ---- making one ------------------------------------------------------------------------- */

/* What a page says of each fault of account_parse (msgids). */
static const char *const fault_msgid[] = {
	[AF_NAME] = N_("The user name takes 1 to 60 lower-case letters, digits, dots, hyphens or underscores."),
	[AF_ROLE] = N_("Choose a role."),
	[AF_NO_COUNTRY] = N_("A focal point needs its country."),
	[AF_COUNTRY] = N_("Choose a country from the list."),
	[AF_ORGANISATION] = N_("Choose an organisation from the list."),
	[AF_EMAIL] = N_("The e-mail address is not one: it reads like name@example.org."),
};

/* A field of the form: its label, the control (written by the caller
 * after this, up to its end) and, when not NULL, help under it. */
static void field_start(struct buf *b, const char *id, const char *label)
{
	buf_printf(b, "<div class=\"field\"><label for=\"in-%s\">%s</label>", id, label);
}

static void field_help(struct buf *b, const char *id, const char *help)
{
	buf_printf(b, "<p class=\"help\" id=\"help-%s\">%s</p></div>", id, help);
}

static void role_select(struct request *req, struct buf *b, const char *selected)
{
	field_start(b, "role", _("Role"));
	buf_adds(b, "<select id=\"in-role\" name=\"role\" required aria-describedby=\"help-role\">");
	/* The role is chosen, never defaulted (the first would be administrator); a required
	 * select's first option is its empty placeholder. */
	buf_printf(b, "<option value=\"\">%s</option>", _("(choose a role)"));
	for (int r = ROLE_ADMIN; r < ROLE__MAX; r++)
		buf_printf(b, "<option value=\"%s\"%s>%s</option>", role_name[r],
			   selected && strcmp(selected, role_name[r]) == 0 ? " selected" : "", tr(req->lang, role_name[r]));
	buf_adds(b, "</select>");
	field_help(b, "role", _("An administrator manages accounts; an officer everything else; a focal point its "
				"country's needs and evaluations; a donor the programmes it funds."));
}

/* The field of the person's address (optional). */
static void email_field(struct request *req, struct buf *b, const char *value)
{
	field_start(b, "email", _("E-mail address"));
	buf_adds(b, "<input type=\"email\" id=\"in-email\" name=\"email\" maxlength=\"254\" autocomplete=\"off\" "
		    "dir=\"ltr\" aria-describedby=\"help-email\" value=\"");
	buf_html(b, value ? value : "");
	buf_adds(b, "\">");
	field_help(b, "email", _("Optional. With single sign-on, the person's verified address at their organisation "
				 "finds this account."));
}

static void new_form(struct request *req, struct response *resp, const struct account_spec *in, const char *problem)
{
	struct buf *b = &resp->body;
	buf_reset(b);
	page_begin(req, resp, _("Create an account"));
	buf_printf(b, "<h1>%s</h1>", _("Create an account"));
	if (problem)
		buf_printf(b, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus><p>%s</p></div>", problem);
	buf_adds(b, "<form method=\"post\" action=\"/accounts/new\" class=\"record-form narrow\">");
	page_csrf_field(req, b);
	field_start(b, "name", _("User name"));
	buf_adds(b, "<input type=\"text\" id=\"in-name\" name=\"name\" required maxlength=\"60\" autocomplete=\"off\" "
		    "autocapitalize=\"none\" spellcheck=\"false\" dir=\"ltr\" aria-describedby=\"help-name\" value=\"");
	buf_html(b, in->name ? in->name : "");
	buf_adds(b, "\">");
	field_help(b, "name", _("Lower-case letters, digits, dots, hyphens or underscores; at most 60. "
				"The person signs in with it."));
	role_select(req, b, in->role);
	field_start(b, "country", _("Country"));
	buf_printf(b, "<select id=\"in-country\" name=\"country\" aria-describedby=\"help-country\">"
		      "<option value=\"\">%s</option>", _("No country"));
	page_options_all(req, b, ENT(COUNTRY), in->country); /* the African States first: pick_first */
	buf_adds(b, "</select>");
	field_help(b, "country", _("Focal points only: the state whose focal point the person is."));
	field_start(b, "organisation", _("Organisation"));
	buf_printf(b, "<select id=\"in-organisation\" name=\"organisation\" aria-describedby=\"help-organisation\">"
		      "<option value=\"\">%s</option>", _("No organisation"));
	page_options_all(req, b, ENT(ORGANISATION), in->organisation);
	buf_adds(b, "</select>");
	field_help(b, "organisation", _("Donors only: the organisation the person represents."));
	email_field(req, b, in->email);
	buf_printf(b, "<p>%s</p><div class=\"field actions\"><button type=\"submit\">%s</button> "
		      "<a href=\"/accounts\">%s</a></div></form>",
		   _("A one-time password is made for the account and shown once on the next page."),
		   _("Create the account"), _("Cancel"));
	page_end(req, resp);
}

/* The page that shows a one-time password, the only time it is shown
 * (answers are never cached: server.c sends no-store). */
static void password_page(struct request *req, struct response *resp, const struct account *a, const char *pw,
			  const char *title)
{
	struct buf *b = &resp->body;
	buf_reset(b);
	page_begin(req, resp, title);
	buf_printf(b, "<h1>%s</h1><dl class=\"record\"><dt>%s</dt><dd><bdi>", title, _("User name"));
	buf_html(b, a->name);
	buf_printf(b, "</bdi></dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd><code class=\"one-time\" dir=\"ltr\" translate=\"no\">", _("Role"),
		   tr(req->lang, role_name[a->role]), _("One-time password"));
	buf_html(b, pw);
	buf_printf(b, "</code></dd></dl><p class=\"notice caution\" role=\"alert\"><strong>%s</strong> %s</p>",
		   _("This password will not be shown again."),
		   _("Note it now and give it to the person by a safe channel. At their first sign-in they will "
		     "have to choose a password of their own."));
	buf_printf(b, "<p><a href=\"/accounts/%lld\">%s</a> \xc2\xb7 <a href=\"/accounts\">%s</a></p>", a->id,
		   _("The account"), _("Accounts"));
	page_end(req, resp);
}

/* GET /accounts/new. */
void accounts_new_page(struct request *req, struct response *resp)
{
	const struct account_spec none = { 0 };
	new_form(req, resp, &none, NULL);
}

/* The form's account: a country only for a focal point, an organisation
 * only for a donor (the form, without scripts, shows both lists to all). */
static struct account_spec spec_of(const struct args *form)
{
	struct account_spec s = { args_get(form, "name"), args_get(form, "role"), args_get(form, "country"),
				  args_get(form, "organisation"), args_get(form, "email") };
	enum role r = ROLE_PUBLIC;
	bool known = s.role && role_parse(s.role, &r);
	if (!known || r != ROLE_FOCAL)
		s.country = NULL;
	if (!known || r != ROLE_DONOR)
		s.organisation = NULL;
	return s;
}

static void create(struct request *req, struct response *resp, const struct account_spec *spec)
{
	struct account a;
	enum account_fault f = account_parse(spec, &a);
	if (f != AF_OK) {
		resp->status = 422;
		new_form(req, resp, spec, _(fault_msgid[f]));
		return;
	}
	char pw[TOKEN_TEXT];
	enum app_err rc = account_add_one_time(req->app->store, &a, pw, req->who.name);
	if (rc == APP_OK) {
		resp->status = 201;
		password_page(req, resp, &a, pw, _("Account created"));
	} else if (rc == APP_CONFLICT || rc == APP_INVALID) {
		struct account same;
		bool name_taken = rc == APP_CONFLICT && store_account_get(req->app->store, a.name, 0, &same) == APP_OK;
		resp->status = rc == APP_CONFLICT ? 409 : 422;
		new_form(req, resp, spec, name_taken ? _("There is already an account of that name.")
				       : rc == APP_CONFLICT ? _("Another account has this address already.")
							    : _("No such country or organisation."));
	} else {
		resp->status = err_status(err_db_failure(rc));
		new_form(req, resp, spec, page_db_problem(req, rc));
	}
	memset(pw, 0, sizeof pw);
}

/* POST /accounts/new. */
void accounts_create(struct request *req, struct response *resp)
{
	struct args form = { 0 };
	args_parse_form(&form, req->body, req->body_len);
	struct account_spec spec = spec_of(&form);
	if (req->hash_busy)
		new_form(req, resp, &spec, login_too_busy(req, resp));
	else
		create(req, resp, &spec);
	args_release(&form);
}

/* ---- one account ------------------------------------------------------------------------ */

/* A POST form of the account's page: what it does, and its button. */
static void action_form(struct request *req, struct buf *b, long long id, const char *action, const char *what,
			const char *button)
{
	buf_printf(b, "<p>%s</p><form method=\"post\" action=\"/accounts/%lld/%s\">", what, id, action);
	page_csrf_field(req, b);
	buf_printf(b, "<button type=\"submit\">%s</button></form>", button);
}

static void access_section(struct request *req, struct buf *b, const struct account *a)
{
	buf_printf(b, "<h2>%s</h2>", _("Access"));
	if (a->id == req->who.id)
		buf_printf(b, "<p>%s</p>", _("You cannot disable your own account."));
	else if (a->disabled)
		action_form(req, b, a->id, "enable", _("The account is disabled: nobody can sign in with it."),
			    _("Enable the account"));
	else
		action_form(req, b, a->id, "disable",
			    _("Disabling the account ends its sessions and revokes its API tokens; "
			      "nobody can sign in with it until it is enabled again."),
			    _("Disable the account"));
}

static void email_section(struct request *req, struct buf *b, const struct account *a)
{
	buf_printf(b, "<h2 id=\"email\">%s</h2><form method=\"post\" action=\"/accounts/%lld/email\" class=\"record-form narrow\">",
		   _("E-mail address"), a->id);
	page_csrf_field(req, b);
	email_field(req, b, a->email);
	buf_printf(b, "<div class=\"field actions\"><button type=\"submit\">%s</button></div></form>", _("Save the address"));
}

static void detail(struct request *req, struct response *resp, const struct account *a, const char *problem)
{
	struct buf *b = &resp->body;
	buf_reset(b);
	page_begin(req, resp, a->name);
	buf_adds(b, "<h1><bdi>");
	buf_html(b, a->name);
	buf_adds(b, "</bdi></h1>");
	const char *done = args_get(&req->query, "done");
	if (problem)
		buf_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%s</p></div>", problem);
	else if (done && (strcmp(done, "disabled") == 0 || strcmp(done, "enabled") == 0))
		buf_printf(b, "<p class=\"notice\" role=\"status\">%s</p>",
			   done[0] == 'd' ? _("The account was disabled.") : _("The account was enabled."));
	else if (done && strcmp(done, "email") == 0)
		buf_printf(b, "<p class=\"notice\" role=\"status\">%s</p>", _("The address was saved."));
	buf_printf(b, "<dl class=\"record\"><dt>%s</dt><dd>%s</dd>", _("Role"), tr(req->lang, role_name[a->role]));
	if (a->country[0] || a->organisation) {
		buf_printf(b, "<dt>%s</dt><dd>", a->country[0] ? _("Country") : _("Organisation"));
		attached_html(req, b, a);
		buf_adds(b, "</dd>");
	}
	buf_printf(b, "<dt>%s</dt><dd>", _("Status"));
	state_html(req, b, a);
	buf_printf(b, "</dd><dt>%s</dt><dd>", _("Last sign-in"));
	when_html(req, b, a->last_login);
	buf_printf(b, "</dd><dt>%s</dt><dd>", _("Created on"));
	when_html(req, b, a->created);
	buf_printf(b, "</dd></dl><h2>%s</h2>", _("Password"));
	if (a->id == req->who.id)
		buf_printf(b, "<p><a href=\"/account\">%s</a></p>", _("Change your password"));
	else
		action_form(req, b, a->id, "password",
			    _("A new one-time password is made and shown once; the person's sessions end, their API "
			      "tokens are revoked, and they choose a password of their own at their next sign-in."),
			    _("Reset the password"));
	if (a->id != req->who.id && !a->disabled) {
		char *what = xasprintf(_("Or a link with which the person chooses a new password themselves: valid %d minutes, "
					 "once, shown once on the next page for you to pass on by a safe channel. Using it "
					 "ends their sessions and revokes their API tokens."),
				       RESET_LINK_MINUTES);
		action_form(req, b, a->id, "reset-link", what, _("Make a password reset link"));
		free(what);
	}
	email_section(req, b, a);
	twofa_account_section(req, b, a);
	access_section(req, b, a);
	buf_printf(b, "<p><a href=\"/accounts\">%s</a></p>", _("Accounts"));
	page_end(req, resp);
}

/* The account of the path's {id} into a; false when the page answered
 * (404, or the database's problem). */
static bool path_account(struct request *req, struct response *resp, struct account *a)
{
	long long id;
	if (!req_param_id(req, "id", &id))
		return false; /* the table's {id} is a positive integer */
	enum app_err rc = store_account_get(req->app->store, NULL, id, a);
	if (rc)
		page_error_rc(req, resp, rc);
	return rc == APP_OK;
}

/* GET /accounts/{id}. */
void accounts_detail_page(struct request *req, struct response *resp)
{
	struct account a;
	if (path_account(req, resp, &a))
		detail(req, resp, &a, NULL);
}

/* POST /accounts/{id}/reset-link: a link that sets a new password, shown
 * once (answers are never cached: server.c sends no-store). */
void accounts_reset_link(struct request *req, struct response *resp)
{
	struct account a;
	if (!path_account(req, resp, &a))
		return;
	char token[TOKEN_TEXT];
	enum app_err rc = a.disabled ? APP_CONFLICT : account_reset_link(req->app->store, a.id, token, req->who.name);
	if (rc) {
		resp->status = rc == APP_CONFLICT ? 409 : err_status(err_db_failure(rc));
		detail(req, resp, &a, rc == APP_CONFLICT ? _("The account is disabled: enable it first.") : page_db_problem(req, rc));
		return;
	}
	struct buf *b = &resp->body, link = BUF_INIT;
	page_origin(req, &link);
	buf_printf(&link, "/reset/%s", token);
	buf_reset(b);
	page_begin(req, resp, _("Password reset link"));
	buf_printf(b, "<h1>%s</h1><dl class=\"record\"><dt>%s</dt><dd><bdi>", _("Password reset link"), _("User name"));
	buf_html(b, a.name);
	buf_printf(b, "</bdi></dd><dt>%s</dt><dd><code class=\"one-time\" dir=\"ltr\" translate=\"no\">", _("Link"));
	buf_html(b, buf_cstr(&link));
	buf_adds(b, "</code></dd></dl><p class=\"notice caution\" role=\"alert\"><strong>");
	buf_printf(b, "%s</strong> ", _("This link will not be shown again."));
	buf_printf(b, _("Give it to the person by a safe channel. It works once, for %d minutes; a new link withdraws it."),
		   RESET_LINK_MINUTES);
	buf_printf(b, "</p><p><a href=\"/accounts/%lld\">%s</a> \xc2\xb7 <a href=\"/accounts\">%s</a></p>", a.id,
		   _("The account"), _("Accounts"));
	page_end(req, resp);
	buf_release(&link);
	sodium_memzero(token, sizeof token);
}

/* POST /accounts/{id}/password: a new one-time password, shown once. */
void accounts_reset(struct request *req, struct response *resp)
{
	struct account a;
	if (!path_account(req, resp, &a))
		return;
	if (req->hash_busy) {
		const char *busy = login_too_busy(req, resp);
		detail(req, resp, &a, busy);
		return;
	}
	char pw[TOKEN_TEXT];
	enum app_err rc = account_reset(req->app->store, a.id, pw, req->who.name);
	if (rc) {
		resp->status = err_status(err_db_failure(rc));
		detail(req, resp, &a, page_db_problem(req, rc));
	} else {
		password_page(req, resp, &a, pw, _("New one-time password"));
	}
	memset(pw, 0, sizeof pw);
}

static void set_disabled(struct request *req, struct response *resp, bool disabled)
{
	struct account a;
	if (!path_account(req, resp, &a))
		return;
	enum app_err rc = account_set_disabled(req->app->store, &req->who, a.id, disabled);
	if (rc == APP_OK) {
		char *to = xasprintf("/accounts/%lld?done=%s", a.id, disabled ? "disabled" : "enabled");
		page_redirect(resp, to);
		free(to);
	} else {
		resp->status = rc == APP_FORBIDDEN ? 403 : err_status(err_db_failure(rc));
		detail(req, resp, &a, rc == APP_FORBIDDEN ? _("You cannot disable your own account.") : page_db_problem(req, rc));
	}
}

/* POST /accounts/{id}/disable. */
void accounts_disable(struct request *req, struct response *resp)
{
	set_disabled(req, resp, true);
}

/* POST /accounts/{id}/enable. */
void accounts_enable(struct request *req, struct response *resp)
{
	set_disabled(req, resp, false);
}

/* POST /accounts/{id}/email: the person's address, or none. */
void accounts_email(struct request *req, struct response *resp)
{
	struct account a;
	if (!path_account(req, resp, &a))
		return;
	struct args form = { 0 };
	args_parse_form(&form, req->body, req->body_len);
	const char *given = args_get(&form, "email");
	char email[256] = "";
	bool blank = !given || util_blank(given);
	enum app_err rc = blank || account_email_parse(given, email)
				  ? store_account_set_email(req->app->store, a.id, email, req->who.name)
				  : APP_INVALID;
	args_release(&form);
	if (rc == APP_INVALID || rc == APP_CONFLICT) {
		resp->status = rc == APP_CONFLICT ? 409 : 422;
		detail(req, resp, &a, rc == APP_CONFLICT ? _("Another account has this address already.")
							 : _("The e-mail address is not one: it reads like name@example.org."));
	} else if (rc) {
		page_error_rc(req, resp, rc);
	} else {
		char *to = xasprintf("/accounts/%lld?done=email#email", a.id);
		page_redirect(resp, to);
		free(to);
	}
}
