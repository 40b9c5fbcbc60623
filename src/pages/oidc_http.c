/* oidc_http.c — see oidc_http.h. */
#define _POSIX_C_SOURCE 200809L
#include "oidc_http.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "accounts.h"
#include "app.h"
#include "auth.h"
#include "login.h"
#include "oidc.h"
#include "page.h"
#include "store_oidc.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

/* ---- the sign-in page's buttons ------------------------------------------------------------- */

void oidc_login_buttons(struct request *req, struct buf *b, const char *next)
{
	const struct oidc *o = req->app->oidc;
	if (!o || !o->n)
		return;
	buf_printf(b, "<div class=\"sign-in-with\"><p>%s</p><ul>", _("Or with the account of your organisation:"));
	for (size_t i = 0; i < o->n; i++) {
		buf_printf(b, "<li><a class=\"button\" href=\"/login/with/%s?next=", o->providers[i].id);
		buf_url(b, util_local_path(next) ? next : "/");
		buf_adds(b, "\">");
		char *label = xasprintf(_("Sign in with %s"), o->providers[i].name);
		buf_html(b, label);
		free(label);
		buf_adds(b, "</a></li>");
	}
	buf_adds(b, "</ul></div>");
}

/* ---- to the provider and back --------------------------------------------------------------- */

/* Could h be a Host header's value (a name or an address, and a port)? */
static bool host_ok(const char *h)
{
	if (!h || !*h || strlen(h) > 255)
		return false;
	for (; *h; h++)
		if (!isalnum((unsigned char)*h) && !strchr(".-:[]", *h))
			return false;
	return true;
}

/* The address the provider sends the browser back to (registered with
 * it): --public-url's, else the one this request reached.  Owned. */
static char *redirect_uri(struct request *req)
{
	const char *pub = req->app->oidc->public_url, *host = req->header(req, "Host");
	if (pub)
		return xasprintf("%s/login/oidc/callback", pub);
	return xasprintf("%s://%s/login/oidc/callback", req->tls ? "https" : "http", host_ok(host) ? host : "localhost");
}

static void state_cookie(struct request *req, struct response *resp, const char *state)
{
	char *c = xasprintf(OIDC_COOKIE "=%s; Path=/login/oidc; HttpOnly; SameSite=Lax; Max-Age=%d%s", state,
			    *state ? OIDC_STATE_TTL : 0, req->tls ? "; Secure" : "");
	resp_header(resp, "Set-Cookie", c);
	free(c);
}

/* A page that says what became of a sign-in, with the way back to the
 * sign-in page; text is markup. */
static void outcome_page(struct request *req, struct response *resp, int status, const char *title, const char *text)
{
	struct buf *b = &resp->body;
	buf_reset(b);
	resp->status = status;
	page_begin(req, resp, title);
	buf_printf(b, "<h1>%s</h1><p>%s</p><p><a href=\"/login\">%s</a></p>", title, text, _("Back to the sign-in page"));
	page_end(req, resp);
}

static void unavailable(struct request *req, struct response *resp, const char *provider, const char *why)
{
	fprintf(stderr, "suivi: sign-in through %s: %s\n", provider, why);
	outcome_page(req, resp, 502, _("The sign-in service does not answer"),
		     _("suivi could not reach your organisation's sign-in service. Try again in a few minutes, or sign in "
		       "with your suivi user name and password if you have them."));
}

/* GET /login/with/{provider}?next=… */
void oidc_start(struct request *req, struct response *resp)
{
	const char *id = req_param(req, "provider");
	if (!req->app->oidc || !oidc_provider(req->app->oidc, id)) {
		page_error(req, resp, 404, N_("There is no such sign-in service."));
		return;
	}
	char state[TOKEN_TEXT], *location = NULL, *back = redirect_uri(req);
	const char *why = NULL;
	enum app_err rc = oidc_begin(req->app->oidc, req->app->store, id, back, args_get(&req->query, "next"), state,
				     &location, &why);
	if (rc == APP_UNAVAILABLE) {
		unavailable(req, resp, id, why);
	} else if (rc == APP_TOO_MANY) {
		const char *msg = login_too_busy(req, resp);
		outcome_page(req, resp, 503, _("Sign in"), msg);
	} else if (rc) {
		page_error_rc(req, resp, rc);
	} else {
		state_cookie(req, resp, state);
		resp->status = 303; /* to another site: page_redirect is for local paths */
		resp_header(resp, "Location", location);
	}
	free(location);
	free(back);
}

static void signed_in(struct request *req, struct response *resp, const struct oidc_answer *a)
{
	char *c = xasprintf(SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax%s", a->token, req->tls ? "; Secure" : "");
	resp_header(resp, "Set-Cookie", c);
	free(c);
	err_ignore(store_account_language(req->app->store, a->who.id, lang_code[req->lang]));
	if (a->who.code_pending) { /* then the one-time code, as after a password */
		struct buf to = BUF_INIT;
		buf_adds(&to, "/login/code?next=");
		buf_url(&to, a->next);
		page_redirect(resp, buf_cstr(&to));
		buf_release(&to);
	} else {
		page_redirect(resp, a->next);
	}
}

/* The provider's refusal (?error=…): the person cancelled, or it would not. */
static void provider_said_no(struct request *req, struct response *resp, const char *error)
{
	char code[65];
	size_t n = 0;
	for (; error[n] && n < sizeof code - 1; n++) /* the provider's words, not a line of its own making */
		code[n] = isalnum((unsigned char)error[n]) || error[n] == '_' ? error[n] : '?';
	code[n] = 0;
	fprintf(stderr, "suivi: a sign-in came back with the provider's error %s\n", code);
	outcome_page(req, resp, 403, _("You are not signed in"),
		     _("Your organisation's sign-in service did not sign you in (you may have cancelled). Try again, or "
		       "sign in with your suivi user name and password."));
}

/* What the person reads for each outcome that is not a session. */
static void answer_page(struct request *req, struct response *resp, const struct oidc_answer *a)
{
	struct buf text = BUF_INIT;
	switch (a->result) {
	case OIDC_SIGNED_IN:
		break;
	case OIDC_REQUESTED:
		outcome_page(req, resp, 202, _("Your request was sent"),
			     _("You have no suivi account yet. Your request for one is with the administrators; once one of "
			       "them approves it, sign in again the same way."));
		break;
	case OIDC_NO_ACCOUNT:
		buf_html(&text, a->email[0] ? a->email : "");
		{
			char *msg = xasprintf(_("There is no suivi account for %s, and this office does not open one on "
						"sign-in. Ask the Programme Office for an account, giving them this address."),
					      a->email[0] ? buf_cstr(&text) : _("the address your service gave"));
			outcome_page(req, resp, 403, _("No account"), msg);
			free(msg);
		}
		break;
	case OIDC_DISABLED:
		outcome_page(req, resp, 403, _("Account disabled"),
			     _("Your suivi account is disabled. Ask an administrator if you need it again."));
		break;
	case OIDC_REFUSED:
		fprintf(stderr, "suivi: a sign-in through %s refused: %s\n", a->provider[0] ? a->provider : "a provider",
			a->why ? a->why : "");
		outcome_page(req, resp, 400, _("This sign-in did not work"),
			     _("The answer of the sign-in service could not be trusted, or the sign-in was begun in "
			       "another browser or more than 10 minutes ago. Start again from the sign-in page."));
		break;
	case OIDC_UNAVAILABLE:
		unavailable(req, resp, a->provider, a->why ? a->why : "");
		break;
	case OIDC_FAILED:
		page_error_rc(req, resp, a->rc);
		break;
	}
	buf_release(&text);
}

/* GET /login/oidc/callback?code=…&state=… (or ?error=…) */
void oidc_callback(struct request *req, struct response *resp)
{
	const char *error = args_get(&req->query, "error");
	const char *cookie = req->cookie(req, OIDC_COOKIE);
	if (!req->app->oidc) {
		page_error(req, resp, 404, N_("There is no such sign-in service."));
		return;
	}
	state_cookie(req, resp, ""); /* used or not, it is spent */
	if (error) {
		provider_said_no(req, resp, error);
		return;
	}
	char *back = redirect_uri(req);
	struct oidc_answer a;
	oidc_finish(req->app->oidc, req->app->store, args_get(&req->query, "state"), cookie,
		    args_get(&req->query, "code"), back, req_client(req), &a);
	free(back);
	if (a.result == OIDC_SIGNED_IN)
		signed_in(req, resp, &a);
	else
		answer_page(req, resp, &a);
	sodium_memzero(a.token, sizeof a.token);
}

/* ---- the administrator's part of the accounts page ------------------------------------------- */

struct rule_array {
	struct oidc_rule *a;
	size_t n;
};

static void keep_rule(void *ctx, const struct oidc_rule *r)
{
	struct rule_array *all = ctx;
	all->a = xrealloc(all->a, (all->n + 1) * sizeof *all->a);
	all->a[all->n++] = *r;
}

struct request_array {
	struct oidc_request *a;
	size_t n;
};

static void keep_request(void *ctx, const struct oidc_request *r)
{
	struct request_array *all = ctx;
	all->a = xrealloc(all->a, (all->n + 1) * sizeof *all->a);
	all->a[all->n++] = *r;
}

/* The country or organisation an account would have, by name; "—" when none. */
static void place_html(struct request *req, struct buf *b, const char *country, long long organisation)
{
	if (country[0]) {
		page_ref_name(req, b, ENT(COUNTRY), country);
	} else if (organisation) {
		char key[24];
		snprintf(key, sizeof key, "%lld", organisation);
		page_ref_name(req, b, ENT(ORGANISATION), key);
	} else {
		buf_adds(b, "\xe2\x80\x94");
	}
}

/* A one-button POST form to action. */
static void button_form(struct request *req, struct buf *b, const char *action, const char *button)
{
	buf_printf(b, "<form method=\"post\" action=\"%s\" class=\"inline\">", action);
	page_csrf_field(req, b);
	buf_printf(b, "<button type=\"submit\">%s</button></form>", button);
}

static void rules_table(struct request *req, struct buf *b, const struct oidc_provider *p, const struct rule_array *all)
{
	char *caption = xasprintf(_("Who %s lets in"), p->name);
	struct page_table t = {
		.cls = "list", .scroll = true, .caption = caption,
		.cols = { _("People it covers"), _("What they get"), _("Role"), _("Country or organisation"), _("Action") },
	};
	int n = 0;
	for (size_t i = 0; i < all->n; i++) {
		const struct oidc_rule *r = &all->a[i];
		if (strcmp(r->provider, p->id) != 0)
			continue;
		if (!n++)
			page_table_begin(b, &t);
		buf_printf(b, "<tr><th scope=\"row\">%s <bdi dir=\"ltr\">", r->kind == RULE_GROUP ? _("Group") : _("Addresses @"));
		buf_html(b, r->value);
		buf_printf(b, "</bdi></th><td>%s</td><td>%s</td><td>", r->admit ? _("An account at once") : _("A request to approve"),
			   tr(req->lang, role_name[r->role]));
		place_html(req, b, r->country, r->organisation);
		buf_adds(b, "</td><td>");
		char *action = xasprintf("/accounts/sign-in-rules/%lld/delete", r->id);
		button_form(req, b, action, _("Remove"));
		free(action);
		buf_adds(b, "</td></tr>");
	}
	if (n)
		page_table_end(b, &t);
	else
		buf_printf(b, "<p>%s</p>", _("No rule: only people whose verified address is an account's can sign in."));
	free(caption);
}

static void select_field(struct buf *b, const char *id, const char *label)
{
	buf_printf(b, "<div class=\"field\"><label for=\"in-%s\">%s</label><select id=\"in-%s\" name=\"%s\"", id, label,
		   id, id);
}

static void rule_form(struct request *req, struct buf *b)
{
	const struct oidc *o = req->app->oidc;
	buf_printf(b, "<h3>%s</h3><form method=\"post\" action=\"/accounts/sign-in-rules\" class=\"record-form\">",
		   _("Add a rule"));
	page_csrf_field(req, b);
	select_field(b, "provider", _("Sign-in service"));
	buf_adds(b, " required>");
	for (size_t i = 0; i < o->n; i++) {
		buf_printf(b, "<option value=\"%s\">", o->providers[i].id);
		buf_html(b, o->providers[i].name);
		buf_adds(b, "</option>");
	}
	buf_adds(b, "</select></div>");
	select_field(b, "kind", _("People it covers"));
	buf_printf(b, " required><option value=\"domain\">%s</option><option value=\"group\">%s</option></select></div>",
		   _("Verified addresses of a domain"), _("Members of a group (groups claim)"));
	buf_printf(b, "<div class=\"field\"><label for=\"in-value\">%s</label><input type=\"text\" id=\"in-value\" "
		      "name=\"value\" required maxlength=\"255\" dir=\"ltr\" autocapitalize=\"none\" spellcheck=\"false\" "
		      "aria-describedby=\"help-value\"><p class=\"help\" id=\"help-value\">%s</p></div>",
		   _("Domain or group"), _("For example un.org, or the name of a group as the service sends it."));
	select_field(b, "admit", _("What they get"));
	buf_printf(b, " required><option value=\"0\">%s</option><option value=\"1\">%s</option></select></div>",
		   _("A request, which an administrator approves"), _("An account at once"));
	select_field(b, "role", _("Role"));
	buf_printf(b, " required><option value=\"\">%s</option>", _("(choose a role)"));
	for (int r = ROLE_ADMIN; r < ROLE__MAX; r++)
		buf_printf(b, "<option value=\"%s\">%s</option>", role_name[r], tr(req->lang, role_name[r]));
	buf_adds(b, "</select></div>");
	select_field(b, "country", _("Country"));
	buf_printf(b, "><option value=\"\">%s</option>", _("No country"));
	page_options_all(req, b, ENT(COUNTRY), NULL);
	buf_adds(b, "</select></div>");
	select_field(b, "organisation", _("Organisation"));
	buf_printf(b, "><option value=\"\">%s</option>", _("No organisation"));
	page_options_all(req, b, ENT(ORGANISATION), NULL);
	buf_printf(b, "</select></div><div class=\"field actions\"><button type=\"submit\">%s</button></div></form>",
		   _("Add the rule"));
}

static void trust_form(struct request *req, struct buf *b, const struct oidc_provider *p)
{
	bool trusted = false;
	enum app_err rc = store_oidc_trust_mfa(req->app->store, p->id, &trusted);
	if (page_part_failed(req, b, rc))
		return;
	buf_printf(b, "<form method=\"post\" action=\"/accounts/sign-in-providers/%s/trust\">", p->id);
	page_csrf_field(req, b);
	buf_printf(b, "<p><label><input type=\"checkbox\" name=\"trust\" value=\"1\"%s> %s</label></p>"
		      "<button type=\"submit\">%s</button></form>",
		   trusted ? " checked" : "",
		   _("When this service says it asked a second factor, do not ask for suivi's one-time code."), _("Save"));
}

static void provider_part(struct request *req, struct buf *b, const struct oidc_provider *p,
			  const struct rule_array *rules)
{
	char *back = redirect_uri(req);
	buf_adds(b, "<h3>");
	buf_html(b, p->name);
	buf_printf(b, "</h3><dl class=\"record\"><dt>%s</dt><dd><bdi dir=\"ltr\">", _("Issuer"));
	buf_html(b, p->issuer);
	buf_printf(b, "</bdi></dd><dt>%s</dt><dd><code dir=\"ltr\">", _("Redirect address to register"));
	buf_html(b, back);
	buf_adds(b, "</code></dd></dl>");
	free(back);
	trust_form(req, b, p);
	rules_table(req, b, p, rules);
}

static void requests_part(struct request *req, struct buf *b)
{
	struct request_array all = { 0 };
	enum app_err rc = store_oidc_requests(req->app->store, keep_request, &all);
	buf_printf(b, "<h3 id=\"sign-in-requests\">%s</h3>", _("Requests for an account"));
	if (page_part_failed(req, b, rc))
		return;
	struct page_table t = {
		.cls = "list", .scroll = true, .sr_caption = true, .caption = _("Requests for an account, oldest first"),
		.cols = { _("Address"), _("Name"), _("Role"), _("Country or organisation"), _("Requested on"), _("Action") },
	};
	for (size_t i = 0; i < all.n; i++) {
		const struct oidc_request *r = &all.a[i];
		if (!i)
			page_table_begin(b, &t);
		buf_adds(b, "<tr><th scope=\"row\"><bdi dir=\"ltr\">");
		buf_html(b, r->email);
		buf_adds(b, "</bdi></th><td><bdi>");
		buf_html(b, r->name);
		buf_printf(b, "</bdi></td><td>%s</td><td>", tr(req->lang, role_name[r->role]));
		place_html(req, b, r->country, r->organisation);
		buf_adds(b, "</td><td>");
		char day[11];
		snprintf(day, sizeof day, "%.10s", r->created);
		page_date(b, req->lang, day);
		buf_adds(b, "</td><td>");
		char *action = xasprintf("/accounts/sign-in-requests/%lld/approve", r->id);
		button_form(req, b, action, _("Approve"));
		free(action);
		action = xasprintf("/accounts/sign-in-requests/%lld/refuse", r->id);
		button_form(req, b, action, _("Refuse"));
		free(action);
		buf_adds(b, "</td></tr>");
	}
	if (all.n)
		page_table_end(b, &t);
	else
		buf_printf(b, "<p>%s</p>", _("No request waits."));
	free(all.a);
}

void oidc_accounts_section(struct request *req, struct buf *b)
{
	const struct oidc *o = req->app->oidc;
	buf_printf(b, "<h2 id=\"single-sign-on\">%s</h2>", _("Single sign-on"));
	if (!o || !o->n) {
		buf_printf(b, "<p>%s</p>", _("No sign-in service is configured: people sign in with their suivi user name "
					   "and password. The README says how to add one (suivi serve --oidc-issuer)."));
		return;
	}
	buf_printf(b, "<p>%s</p>", _("People sign in with their organisation's account. One whose verified address is "
				   "an account's reaches that account; for anyone else, the first rule that fits decides."));
	struct rule_array rules = { 0 };
	enum app_err rc = store_oidc_rules(req->app->store, NULL, keep_rule, &rules);
	if (!page_part_failed(req, b, rc)) {
		for (size_t i = 0; i < o->n; i++)
			provider_part(req, b, &o->providers[i], &rules);
		rule_form(req, b);
	}
	free(rules.a);
	requests_part(req, b);
}

/* ---- the administrator's forms ---------------------------------------------------------------- */

static void back_to_section(struct response *resp, const char *anchor)
{
	char *to = xasprintf("/accounts?saved=sign-in#%s", anchor);
	page_redirect(resp, to);
	free(to);
}

/* POST /accounts/sign-in-rules */
void accounts_rule_add(struct request *req, struct response *resp)
{
	struct args form = { 0 };
	args_parse_form(&form, req->body, req->body_len);
	const char *provider = args_get(&form, "provider"), *kind = args_get(&form, "kind");
	const char *value = args_get(&form, "value"), *admit = args_get(&form, "admit");
	struct account_spec spec = { .role = args_get(&form, "role"), .country = args_get(&form, "country"),
				     .organisation = args_get(&form, "organisation") };
	struct account place = { 0 };
	struct oidc_rule r = { .admit = admit && strcmp(admit, "1") == 0 };
	enum account_fault f = account_parse_place(&spec, &place);
	const char *problem = NULL;
	if (!oidc_provider(req->app->oidc, provider))
		problem = N_("Choose a sign-in service.");
	else if (!kind || (strcmp(kind, "domain") != 0 && strcmp(kind, "group") != 0))
		problem = N_("Choose who the rule is for.");
	else if (!value || util_blank(value) || strlen(value) >= sizeof r.value ||
		 (kind[0] == 'd' && (strchr(value, '@') || strchr(value, ' '))))
		problem = N_("Give a domain such as un.org (without @), or a group's name.");
	else if (f != AF_OK || place.role == ROLE_PUBLIC)
		problem = f == AF_NO_COUNTRY ? N_("A focal point needs its country.") : N_("Choose a role.");
	if (problem) {
		page_error_back(req, resp, 422, problem, "/accounts#single-sign-on", N_("Accounts"));
		args_release(&form);
		return;
	}
	snprintf(r.provider, sizeof r.provider, "%s", provider);
	r.kind = kind[0] == 'g' ? RULE_GROUP : RULE_DOMAIN;
	for (size_t i = 0; value[i] && i + 1 < sizeof r.value; i++) /* domains compare in lower case */
		r.value[i] = r.kind == RULE_DOMAIN ? (char)tolower((unsigned char)value[i]) : value[i];
	r.role = place.role;
	snprintf(r.country, sizeof r.country, "%s", place.role == ROLE_FOCAL ? place.country : "");
	r.organisation = place.role == ROLE_DONOR ? place.organisation : 0;
	args_release(&form);
	enum app_err rc = store_oidc_rule_add(req->app->store, &r, req->who.name);
	if (rc == APP_INVALID)
		page_error_back(req, resp, 422, N_("No such country or organisation."), "/accounts#single-sign-on",
				N_("Accounts"));
	else if (rc)
		page_error_rc(req, resp, rc);
	else
		back_to_section(resp, "single-sign-on");
}

/* POST /accounts/sign-in-rules/{id}/delete */
void accounts_rule_delete(struct request *req, struct response *resp)
{
	long long id;
	enum app_err rc = req_param_id(req, "id", &id) ? store_oidc_rule_delete(req->app->store, id, req->who.name)
						       : APP_NOT_FOUND;
	if (rc)
		page_error_rc(req, resp, rc);
	else
		back_to_section(resp, "single-sign-on");
}

/* POST /accounts/sign-in-requests/{id}/approve: the account made, its page shown. */
void accounts_request_approve(struct request *req, struct response *resp)
{
	long long id, account = 0;
	enum app_err rc = req_param_id(req, "id", &id) ? oidc_approve(req->app->store, id, req->who.name, &account)
						       : APP_NOT_FOUND;
	if (rc == APP_CONFLICT) {
		page_error_back(req, resp, 409, N_("Another account has this address already."), "/accounts#sign-in-requests",
				N_("Accounts"));
	} else if (rc) {
		page_error_rc(req, resp, rc);
	} else {
		char *to = xasprintf("/accounts/%lld", account);
		page_redirect(resp, to);
		free(to);
	}
}

/* POST /accounts/sign-in-requests/{id}/refuse */
void accounts_request_refuse(struct request *req, struct response *resp)
{
	long long id;
	struct oidc_request r;
	enum app_err rc = req_param_id(req, "id", &id)
				  ? store_oidc_request_take(req->app->store, id, "refused", &r, req->who.name)
				  : APP_NOT_FOUND;
	if (rc)
		page_error_rc(req, resp, rc);
	else
		back_to_section(resp, "sign-in-requests");
}

/* POST /accounts/sign-in-providers/{provider}/trust */
void accounts_provider_trust(struct request *req, struct response *resp)
{
	const char *id = req_param(req, "provider");
	if (!oidc_provider(req->app->oidc, id)) {
		page_error(req, resp, 404, N_("There is no such sign-in service."));
		return;
	}
	struct args form = { 0 };
	args_parse_form(&form, req->body, req->body_len);
	bool trust = args_get(&form, "trust") != NULL;
	args_release(&form);
	enum app_err rc = store_oidc_trust_mfa_set(req->app->store, id, trust, req->who.name);
	if (rc)
		page_error_rc(req, resp, rc);
	else
		back_to_section(resp, "single-sign-on");
}
