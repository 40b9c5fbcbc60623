/* oidc.c — see oidc.h. */
#define _POSIX_C_SOURCE 200809L
#include "oidc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "accounts.h"
#include "buf.h"
#include "jwt.h"
#include "lazy_oidc.h"
#include "netcurl.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

#define ANSWER_MAX (1 << 20) /* bytes of a provider's answer: a document of keys is a few KiB */

/* ---- configuration ------------------------------------------------------------------------ */

static bool id_ok(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > OIDC_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)id[i]) && !isdigit((unsigned char)id[i]) && id[i] != '-')
			return false;
	return true;
}

/* May suivi talk to url?  HTTPS; plain HTTP only to this machine (a test's
 * provider, or one behind a local proxy). */
static bool url_ok(const char *url)
{
	static const char *const local[] = { "http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:",
					     "http://localhost/", "http://[::1]:", "http://[::1]/" };
	if (util_prefix_ci(url, "https://"))
		return strlen(url) > 8;
	for (size_t i = 0; i < sizeof local / sizeof *local; i++)
		if (util_prefix_ci(url, local[i]))
			return true;
	return false;
}

/* The first line of a file of at most 4 KiB, without its end; NULL with a
 * message. */
static char *read_secret(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "suivi: cannot read the client secret file %s\n", path);
		return NULL;
	}
	char line[4096];
	bool got = fgets(line, sizeof line, f) != NULL;
	fclose(f);
	line[strcspn(line, "\r\n")] = 0;
	if (!got || !line[0]) {
		fprintf(stderr, "suivi: the client secret file %s is empty\n", path);
		return NULL;
	}
	char *s = xstrdup(line);
	sodium_memzero(line, sizeof line);
	return s;
}

/* Adds a provider; 0, or 1 with a message. */
static int add_provider(struct oidc *o, const char *id, const char *name, const char *issuer, const char *client_id,
			const char *secret_file, const char *scopes, const char *groups_claim)
{
	if (!id || !id_ok(id))
		return fprintf(stderr, "suivi: a provider's id is 1 to %d of a-z 0-9 -, not '%s'\n", OIDC_ID_MAX,
			       id ? id : ""), 1;
	if (oidc_provider(o, id))
		return fprintf(stderr, "suivi: two providers have the id '%s'\n", id), 1;
	if (!issuer || !url_ok(issuer))
		return fprintf(stderr, "suivi: provider %s: the issuer must be an https:// address (http:// only on "
				       "this machine), not '%s'\n", id, issuer ? issuer : ""), 1;
	if (!client_id || !*client_id || !secret_file)
		return fprintf(stderr, "suivi: provider %s needs a client id and a client secret file\n", id), 1;
	char *secret = read_secret(secret_file);
	if (!secret)
		return 1;
	o->providers = xrealloc(o->providers, (o->n + 1) * sizeof *o->providers);
	struct oidc_provider *p = &o->providers[o->n++];
	memset(p, 0, sizeof *p);
	snprintf(p->id, sizeof p->id, "%s", id);
	p->name = xstrdup(name && *name ? name : id);
	p->issuer = xstrdup(issuer);
	size_t n = strlen(p->issuer);
	if (n > 8 && p->issuer[n - 1] == '/') /* the discovery address is built on it (§4) */
		p->issuer[n - 1] = 0;
	p->client_id = xstrdup(client_id);
	p->client_secret = secret;
	p->scopes = xstrdup(scopes && *scopes ? scopes : "openid email profile");
	p->groups_claim = xstrdup(groups_claim && *groups_claim ? groups_claim : "groups");
	pthread_mutex_init(&p->lock, NULL);
	return 0;
}

static const char *text_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int read_config_file(struct oidc *o, const char *path)
{
	json_error_t e;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	if (!json_is_object(root)) {
		fprintf(stderr, "suivi: %s: line %d: %s\n", path, e.line, root ? "not a JSON object" : e.text);
		json_decref(root);
		return 1;
	}
	int rc = 0;
	if (text_of(root, "public_url") && !o->public_url)
		o->public_url = xstrdup(text_of(root, "public_url"));
	json_t *list = json_object_get(root, "providers");
	if (!json_is_array(list) || json_array_size(list) == 0) {
		fprintf(stderr, "suivi: %s: no \"providers\" list\n", path);
		rc = 1;
	}
	for (size_t i = 0; !rc && i < json_array_size(list); i++) {
		json_t *p = json_array_get(list, i);
		rc = add_provider(o, text_of(p, "id"), text_of(p, "name"), text_of(p, "issuer"), text_of(p, "client_id"),
				  text_of(p, "client_secret_file"), text_of(p, "scopes"), text_of(p, "groups_claim"));
	}
	json_decref(root);
	return rc;
}

int oidc_configure(const struct oidc_options *opt, struct oidc **out)
{
	*out = NULL;
	bool flags = opt->issuer || opt->client_id || opt->client_secret_file;
	if (!flags && !opt->config_file)
		return 0;
	struct oidc *o = xcalloc(1, sizeof *o);
	if (opt->public_url)
		o->public_url = xstrdup(opt->public_url);
	int rc = flags ? add_provider(o, "sso", opt->name, opt->issuer, opt->client_id, opt->client_secret_file, NULL,
				      NULL)
		       : 0;
	if (!rc && opt->config_file)
		rc = read_config_file(o, opt->config_file);
	if (!rc && o->public_url) {
		size_t n = strlen(o->public_url);
		if (n && o->public_url[n - 1] == '/')
			o->public_url[n - 1] = 0;
		if (!util_prefix_ci(o->public_url, "https://") && !util_prefix_ci(o->public_url, "http://")) {
			fprintf(stderr, "suivi: --public-url is an http:// or https:// address, not '%s'\n", o->public_url);
			rc = 1;
		}
	}
	if (rc) {
		oidc_free(o);
		return 1;
	}
	*out = o;
	return 0;
}

static void forget_discovery(struct oidc_provider *p)
{
	free(p->authorization_endpoint);
	free(p->token_endpoint);
	free(p->jwks_uri);
	p->authorization_endpoint = p->token_endpoint = p->jwks_uri = NULL;
	json_decref(p->jwks);
	p->jwks = NULL;
}

void oidc_free(struct oidc *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->n; i++) {
		struct oidc_provider *p = &o->providers[i];
		forget_discovery(p);
		free(p->name);
		free(p->issuer);
		free(p->client_id);
		if (p->client_secret)
			sodium_memzero(p->client_secret, strlen(p->client_secret));
		free(p->client_secret);
		free(p->scopes);
		free(p->groups_claim);
		pthread_mutex_destroy(&p->lock);
	}
	free(o->providers);
	free(o->public_url);
	free(o);
}

const struct oidc_provider *oidc_provider(const struct oidc *o, const char *id)
{
	for (size_t i = 0; o && id && i < o->n; i++)
		if (strcmp(o->providers[i].id, id) == 0)
			return &o->providers[i];
	return NULL;
}

/* ---- talking to a provider ------------------------------------------------------------------ */

static size_t keep_answer(char *data, size_t size, size_t n, void *ctx)
{
	struct buf *b = ctx;
	if (b->len + size * n > ANSWER_MAX)
		return 0; /* too much: the transfer fails */
	buf_add(b, data, size * n);
	return size * n;
}

/* A GET of url, or a POST of form when not NULL (with HTTP Basic
 * credentials user:pass when user is not NULL); the answer's JSON object
 * into *out (owned).  APP_UNAVAILABLE with *why when it cannot be had. */
static enum app_err call(const char *url, const char *form, const char *user, const char *pass, json_t **out,
			 const char **why)
{
	*out = NULL;
	char errbuf[CURL_ERROR_SIZE], error[256];
	CURL *h = netcurl_start(url, "http,https", 5L, (long)OIDC_HTTP_TIMEOUT, errbuf, error);
	if (!h) {
		*why = "libcurl could not start a transfer";
		return APP_UNAVAILABLE;
	}
	struct buf body = BUF_INIT;
	struct curl_slist *headers = curl_slist_append(NULL, "Accept: application/json");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep_answer);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	if (form)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, form);
	if (user) {
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(h, CURLOPT_USERNAME, user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, pass);
	}
	CURLcode cc = curl_easy_perform(h);
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(headers);
	curl_easy_cleanup(h);
	enum app_err rc = APP_UNAVAILABLE;
	if (cc != CURLE_OK)
		*why = "the provider could not be reached";
	else if (status != 200)
		*why = "the provider answered with an error";
	else if (!(*out = json_loadb(body.data ? body.data : "", body.len, JSON_REJECT_DUPLICATES, NULL)) ||
		 !json_is_object(*out))
		*why = "the provider's answer is not a JSON object";
	else
		rc = APP_OK;
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	buf_release(&body);
	return rc;
}

static bool lists(const json_t *o, const char *key, const char *value)
{
	const json_t *a = json_object_get(o, key);
	for (size_t i = 0; i < json_array_size(a); i++)
		if (json_string_value(json_array_get(a, i)) &&
		    strcmp(json_string_value(json_array_get(a, i)), value) == 0)
			return true;
	return false;
}

/* Reads the provider's configuration (§4 of OpenID Connect Discovery),
 * under p->lock; kept OIDC_DISCOVERY_TTL seconds. */
static enum app_err discover(struct oidc_provider *p, long long now, const char **why)
{
	if (p->token_endpoint && now - p->discovered_at < OIDC_DISCOVERY_TTL)
		return APP_OK;
	char *url = xasprintf("%s/.well-known/openid-configuration", p->issuer);
	json_t *d;
	enum app_err rc = call(url, NULL, NULL, NULL, &d, why);
	free(url);
	if (rc)
		return p->token_endpoint ? APP_OK : rc; /* what was known still serves for a while */
	const char *iss = text_of(d, "issuer"), *az = text_of(d, "authorization_endpoint");
	const char *tok = text_of(d, "token_endpoint"), *jwks = text_of(d, "jwks_uri");
	if (!iss || strcmp(iss, p->issuer) != 0) {
		*why = "the provider's configuration names another issuer";
		rc = APP_UNAVAILABLE;
	} else if (!az || !tok || !jwks || !url_ok(az) || !url_ok(tok) || !url_ok(jwks)) {
		*why = "the provider's configuration lacks an endpoint, or names one not over HTTPS";
		rc = APP_UNAVAILABLE;
	} else {
		forget_discovery(p);
		p->authorization_endpoint = xstrdup(az);
		p->token_endpoint = xstrdup(tok);
		p->jwks_uri = xstrdup(jwks);
		/* client_secret_basic is the default (§9 of Core); post only when basic is not offered */
		const json_t *methods = json_object_get(d, "token_endpoint_auth_methods_supported");
		p->secret_post = methods && !lists(d, "token_endpoint_auth_methods_supported", "client_secret_basic") &&
				 lists(d, "token_endpoint_auth_methods_supported", "client_secret_post");
		p->discovered_at = now;
	}
	json_decref(d);
	return rc;
}

/* The provider's keys (a new reading when force: a key it has just
 * rotated in), under p->lock. */
static enum app_err keys(struct oidc_provider *p, long long now, bool force, const char **why)
{
	if (p->jwks && !force && now - p->jwks_at < OIDC_DISCOVERY_TTL)
		return APP_OK;
	json_t *k;
	enum app_err rc = call(p->jwks_uri, NULL, NULL, NULL, &k, why);
	if (rc)
		return p->jwks ? APP_OK : rc;
	json_decref(p->jwks);
	p->jwks = k;
	p->jwks_at = now;
	return APP_OK;
}

/* ---- beginning ------------------------------------------------------------------------------ */

/* The PKCE challenge of verifier: BASE64URL(SHA-256(verifier)) (RFC 7636 §4.2). */
static void challenge_of(const char *verifier, char out[TOKEN_TEXT])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)verifier, strlen(verifier));
	sodium_bin2base64(out, TOKEN_TEXT, h, sizeof h, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void query_param(struct buf *b, const char *name, const char *value)
{
	buf_printf(b, "&%s=", name);
	buf_url(b, value);
}

enum app_err oidc_begin(struct oidc *o, struct store *st, const char *id, const char *redirect_uri,
			const char *next, char state[TOKEN_TEXT], char **location, const char **why)
{
	*location = NULL;
	struct oidc_provider *p = (struct oidc_provider *)oidc_provider(o, id);
	if (!p)
		return APP_NOT_FOUND;
	long long now = (long long)time(NULL);
	pthread_mutex_lock(&p->lock);
	enum app_err rc = discover(p, now, why);
	char *endpoint = rc ? NULL : xstrdup(p->authorization_endpoint);
	pthread_mutex_unlock(&p->lock);
	if (rc)
		return rc;
	struct oidc_state s = { .created_at = now };
	snprintf(s.provider, sizeof s.provider, "%s", p->id);
	snprintf(s.next, sizeof s.next, "%s", next && util_local_path(next) && strlen(next) < sizeof s.next ? next : "/");
	auth_random_token(state);
	auth_random_token(s.nonce);
	auth_random_token(s.verifier); /* 43 characters of base64url: a verifier as RFC 7636 §4.1 wants */
	char hashed[65], challenge[TOKEN_TEXT];
	auth_token_hash(state, hashed);
	challenge_of(s.verifier, challenge);
	rc = store_oidc_state_add(st, hashed, &s, now - OIDC_STATE_TTL);
	if (!rc) {
		struct buf b = BUF_INIT;
		buf_adds(&b, endpoint);
		buf_adds(&b, strchr(endpoint, '?') ? "&response_type=code" : "?response_type=code");
		query_param(&b, "client_id", p->client_id);
		query_param(&b, "redirect_uri", redirect_uri);
		query_param(&b, "scope", p->scopes);
		query_param(&b, "state", state);
		query_param(&b, "nonce", s.nonce);
		query_param(&b, "code_challenge", challenge);
		buf_adds(&b, "&code_challenge_method=S256");
		*location = xstrdup(buf_cstr(&b));
		buf_release(&b);
	}
	free(endpoint);
	return rc;
}

/* ---- ending --------------------------------------------------------------------------------- */

/* The code exchanged for the ID token, then the token checked; JWT_OK with
 * *t filled, else the fault (JWT_LIBRARY too when the provider could not
 * be reached: *unreachable then). */
static enum jwt_fault exchange(struct oidc_provider *p, const struct oidc_state *s, const char *code,
			       const char *redirect_uri, struct id_token *t, bool *unreachable, const char **why)
{
	long long now = (long long)time(NULL);
	*unreachable = false;
	pthread_mutex_lock(&p->lock);
	enum app_err rc = discover(p, now, why);
	char *endpoint = rc ? NULL : xstrdup(p->token_endpoint);
	bool post = p->secret_post;
	pthread_mutex_unlock(&p->lock);
	if (rc) {
		*unreachable = true;
		return JWT_LIBRARY;
	}
	struct buf form = BUF_INIT, user = BUF_INIT, pass = BUF_INIT;
	buf_adds(&form, "grant_type=authorization_code");
	query_param(&form, "code", code);
	query_param(&form, "redirect_uri", redirect_uri);
	query_param(&form, "code_verifier", s->verifier);
	if (post) {
		query_param(&form, "client_id", p->client_id);
		query_param(&form, "client_secret", p->client_secret);
	} else { /* RFC 6749 §2.3.1: each form-encoded, then Basic */
		buf_url(&user, p->client_id);
		buf_url(&pass, p->client_secret);
	}
	json_t *answer;
	rc = call(endpoint, buf_cstr(&form), post ? NULL : buf_cstr(&user), post ? NULL : buf_cstr(&pass), &answer, why);
	free(endpoint);
	sodium_memzero(form.data, form.len);
	buf_release(&form);
	buf_release(&user);
	if (pass.data)
		sodium_memzero(pass.data, pass.len);
	buf_release(&pass);
	if (rc) {
		*unreachable = true;
		return JWT_LIBRARY;
	}
	const char *idt = text_of(answer, "id_token");
	struct jwt_expect x = { .issuer = p->issuer, .client_id = p->client_id, .nonce = s->nonce, .now = now };
	enum jwt_fault f = JWT_MALFORMED;
	for (int round = 0; idt && round < 2; round++) {
		pthread_mutex_lock(&p->lock);
		rc = keys(p, now, round == 1, why);
		json_t *jwks = rc ? NULL : json_incref(p->jwks);
		pthread_mutex_unlock(&p->lock);
		if (rc) {
			*unreachable = true;
			f = JWT_LIBRARY;
			break;
		}
		f = jwt_check_id_token(idt, strlen(idt), jwks, &x, t);
		json_decref(jwks);
		if (f != JWT_NO_KEY) /* a key not known: read the keys again, once */
			break;
	}
	json_decref(answer);
	if (f && !*unreachable)
		*why = jwt_fault_text(f);
	return f;
}

/* A name for a new account from its address: the part before the @, in
 * the characters a name may have, made unique with -2, -3 … */
static enum app_err fresh_name(struct store *st, const char *email, char out[ACCOUNT_NAME_MAX + 1])
{
	char base[ACCOUNT_NAME_MAX - 3] = "";
	size_t n = 0;
	for (const char *c = email; *c && *c != '@' && n + 1 < sizeof base; c++) {
		unsigned char ch = (unsigned char)tolower((unsigned char)*c);
		base[n++] = (char)(isalnum(ch) || ch == '.' || ch == '_' || ch == '-' ? ch : '-');
	}
	base[n] = 0;
	if (!n)
		snprintf(base, sizeof base, "user");
	for (int i = 1; i < 1000; i++) {
		if (i == 1)
			snprintf(out, ACCOUNT_NAME_MAX + 1, "%s", base);
		else
			snprintf(out, ACCOUNT_NAME_MAX + 1, "%s-%u", base, (unsigned)(i % 1000));
		struct account a;
		enum app_err rc = store_account_get(st, out, 0, &a);
		if (rc == APP_NOT_FOUND)
			return APP_OK;
		if (rc)
			return rc;
	}
	return APP_CONFLICT;
}

/* Makes the account of someone a provider vouches for (no password: they
 * sign in through it, or an administrator gives them one) and links it. */
static enum app_err make_account(struct store *st, const char *provider, const char *subject, const char *email,
				 enum role role, const char *country, long long organisation, const char *actor,
				 long long *id)
{
	struct account a = { .role = role, .organisation = organisation };
	snprintf(a.country, sizeof a.country, "%s", country);
	snprintf(a.email, sizeof a.email, "%s", email);
	snprintf(a.password_hash, sizeof a.password_hash, "!"); /* no password opens it */
	enum app_err rc = store_begin(st);
	if (rc)
		return rc;
	if (!(rc = fresh_name(st, email, a.name)) && !(rc = store_account_add(st, &a, actor)) &&
	    !(rc = store_account_get(st, a.name, 0, &a)))
		rc = store_oidc_link(st, provider, subject, a.id, actor);
	if (rc) {
		store_rollback(st);
		return rc;
	}
	*id = a.id;
	return store_commit(st);
}

struct rule_match {
	const struct oidc_provider *p;
	const struct id_token *t;
	struct oidc_rule rule;
	bool found;
};

static void try_rule(void *ctx, const struct oidc_rule *r)
{
	struct rule_match *m = ctx;
	if (m->found)
		return;
	const char *at = strrchr(m->t->email, '@');
	bool hit = r->kind == RULE_GROUP ? id_token_has(m->t, m->p->groups_claim, r->value)
					 : m->t->email_verified && at && strcmp(at + 1, r->value) == 0;
	if (hit) {
		m->rule = *r;
		m->found = true;
	}
}

/* Who the token's person is: *id their account, or the outcome without one. */
static enum oidc_result whose(struct store *st, const struct oidc_provider *p, const struct id_token *t,
			      long long *id, enum app_err *rc)
{
	*rc = store_oidc_identity(st, p->id, t->sub, id);
	if (*rc != APP_NOT_FOUND)
		return *rc ? OIDC_FAILED : OIDC_SIGNED_IN;
	char actor[96];
	snprintf(actor, sizeof actor, "sign-in:%s", p->id);
	if (t->email_verified && t->email[0]) {
		*rc = store_account_by_email(st, t->email, id);
		if (!*rc)
			*rc = store_oidc_link(st, p->id, t->sub, *id, actor);
		if (*rc != APP_NOT_FOUND)
			return *rc ? OIDC_FAILED : OIDC_SIGNED_IN;
	}
	struct rule_match m = { .p = p, .t = t };
	if ((*rc = store_oidc_rules(st, p->id, try_rule, &m)))
		return OIDC_FAILED;
	if (!m.found || !t->email_verified || !t->email[0])
		return OIDC_NO_ACCOUNT; /* an account needs an address the provider vouches for */
	if (m.rule.admit) {
		*rc = make_account(st, p->id, t->sub, t->email, m.rule.role, m.rule.country, m.rule.organisation, actor, id);
		return *rc ? OIDC_FAILED : OIDC_SIGNED_IN;
	}
	struct oidc_request r = { .role = m.rule.role, .organisation = m.rule.organisation };
	snprintf(r.provider, sizeof r.provider, "%s", p->id);
	snprintf(r.subject, sizeof r.subject, "%s", t->sub);
	snprintf(r.email, sizeof r.email, "%s", t->email);
	snprintf(r.name, sizeof r.name, "%s", t->name);
	snprintf(r.country, sizeof r.country, "%s", m.rule.country);
	*rc = store_oidc_request_add(st, &r);
	return *rc ? OIDC_FAILED : OIDC_REQUESTED;
}

/* An account made with a one-time password (as /accounts/new makes every
 * account) whose person signs in through a provider would be sent to
 * choose a password with one they never received: the provider is their
 * way in now, so the one-time password goes (no password is left; an
 * administrator can give one with a reset link). */
static enum app_err drop_one_time_password(struct store *st, long long id, const char *provider)
{
	struct account a;
	enum app_err rc = store_account_get(st, NULL, id, &a);
	if (rc || !a.must_change || a.disabled)
		return rc == APP_NOT_FOUND ? APP_OK : rc;
	char actor[96];
	snprintf(actor, sizeof actor, "sign-in:%s", provider);
	return store_account_set_password(st, id, "!", false, actor);
}

/* Are two states the same (constant time)? */
static bool same_state(const char *a, const char *b)
{
	size_t n = strlen(a);
	return n == strlen(b) && n > 0 && sodium_memcmp(a, b, n) == 0;
}

void oidc_finish(struct oidc *o, struct store *st, const char *state, const char *cookie_state, const char *code,
		 const char *redirect_uri, const char *client, struct oidc_answer *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->next, sizeof out->next, "/");
	out->result = OIDC_REFUSED;
	if (!state || !cookie_state || !auth_token_plausible(state) || !same_state(state, cookie_state)) {
		out->why = "the state is not the one this browser was given";
		return;
	}
	char hashed[65];
	auth_token_hash(state, hashed);
	struct oidc_state s;
	long long now = (long long)time(NULL);
	enum app_err rc = store_oidc_state_take(st, hashed, now - OIDC_STATE_TTL, &s);
	if (rc) {
		out->result = rc == APP_NOT_FOUND ? OIDC_REFUSED : OIDC_FAILED;
		out->rc = rc;
		out->why = "the sign-in is unknown, used already or too old";
		return;
	}
	snprintf(out->next, sizeof out->next, "%s", s.next);
	snprintf(out->provider, sizeof out->provider, "%s", s.provider);
	struct oidc_provider *p = (struct oidc_provider *)oidc_provider(o, s.provider);
	if (!p || !code || !*code || strlen(code) > 2048) {
		out->why = p ? "the provider sent no code" : "the provider is no longer configured";
		return;
	}
	struct id_token t;
	bool unreachable;
	if (exchange(p, &s, code, redirect_uri, &t, &unreachable, &out->why)) {
		out->result = unreachable ? OIDC_UNAVAILABLE : OIDC_REFUSED;
		return;
	}
	snprintf(out->email, sizeof out->email, "%s", t.email);
	long long id = 0;
	out->result = whose(st, p, &t, &id, &out->rc);
	bool trusted = false;
	if (out->result == OIDC_SIGNED_IN)
		out->rc = drop_one_time_password(st, id, p->id);
	if (out->result == OIDC_SIGNED_IN && !out->rc && !(out->rc = store_oidc_trust_mfa(st, p->id, &trusted))) {
		out->rc = auth_session_for(st, id, trusted && t.mfa, client, &out->who, out->token);
		out->result = out->rc == APP_FORBIDDEN ? OIDC_DISABLED : out->rc ? OIDC_FAILED : OIDC_SIGNED_IN;
	} else if (out->rc) {
		out->result = OIDC_FAILED;
	}
	id_token_release(&t);
}

enum app_err oidc_approve(struct store *st, long long id, const char *actor, long long *account)
{
	enum app_err rc = store_begin(st);
	if (rc)
		return rc;
	struct oidc_request r;
	rc = store_oidc_request_take(st, id, "approved", &r, actor);
	if (!rc)
		rc = make_account(st, r.provider, r.subject, r.email, r.role, r.country, r.organisation, actor, account);
	if (rc) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st);
}
