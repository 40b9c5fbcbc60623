/* cmd_user.c — `suivi user …` and `suivi token …`: accounts and API tokens
 * from the command line (whoever can read the database file may manage
 * them, as with any embedded database). */
#define _POSIX_C_SOURCE 200809L
#include "cmd_user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "accounts.h"
#include "auth.h"
#include "cli.h"
#include "store_auth.h"
#include "twofa.h"
#include "util.h"
#include "banned.h"

/* The password to set: the environment's variable env for scripts, else
 * a new random one (into generated) that is printed once. */
static const char *new_password(const char *env, char generated[TOKEN_TEXT], bool *shown)
{
	const char *pw = getenv(env);
	*shown = !(pw && *pw);
	if (*shown) {
		auth_new_password(generated);
		return generated;
	}
	return pw;
}

static int bad_password(const char *pw)
{
	if (auth_password_ok(pw))
		return 0;
	fprintf(stderr, "suivi: a password needs at least %d characters\n", PASSWORD_MIN);
	return 1;
}

/* Adds account a (its name, role, country and organisation set). */
static int add_account(struct app *app, struct account *a, const char *pw, bool shown)
{
	if (bad_password(pw))
		return 1;
	a->must_change |= shown; /* a password printed once is replaced at the first sign-in */
	enum app_err rc = account_add(app->store, a, pw, app->actor);
	if (rc == APP_CONFLICT) {
		fprintf(stderr, "suivi: there is already an account named %s\n", a->name);
		return 1;
	}
	if (rc == APP_INVALID) {
		fprintf(stderr, "suivi: no such %s\n", a->organisation ? "country or organisation" : "country");
		return 1;
	}
	if (rc) {
		fprintf(stderr, "suivi: cannot add %s: %s\n", a->name, err_message(rc));
		return 1;
	}
	printf("suivi: account %s added (%s)\n", a->name, role_name[a->role]);
	if (shown)
		printf("suivi: one-time password for %s: %s\n", a->name, pw);
	return 0;
}

int cmd_user_first_admin(struct app *app)
{
	struct account a;
	enum app_err rc = store_account_get(app->store, "admin", 0, &a);
	if (rc == APP_OK)
		return 0;
	if (rc != APP_NOT_FOUND)
		return 1;
	char generated[TOKEN_TEXT];
	bool shown;
	const char *pw = new_password("SUIVI_ADMIN_PASSWORD", generated, &shown);
	a = (struct account){ .role = ROLE_ADMIN, .name = "admin" };
	return add_account(app, &a, pw, shown);
}

static int user_add(struct opts *o, struct app *app)
{
	struct account a;
	struct account_spec spec = { o->pos[1], o->role, o->country, o->organisation, o->email };
	switch (account_parse(&spec, &a)) {
	case AF_OK:
		break;
	case AF_NAME: /* cmd_user checked it */
	case AF_ROLE:
		return cli_usage_error("user add needs --role admin|officer|focal|donor%s", "");
	case AF_NO_COUNTRY:
		return cli_usage_error("a focal point needs --country (its state)%s", "");
	case AF_COUNTRY:
		return cli_usage_error("--country takes a code such as MA, not '%s'", o->country);
	case AF_ORGANISATION:
		return cli_usage_error("--organisation takes an organisation's number, not '%s'", o->organisation);
	case AF_EMAIL:
		return cli_usage_error("--email takes an address such as name@example.org, not '%s'", o->email);
	}
	a.must_change = o->one_time;
	char generated[TOKEN_TEXT];
	bool shown;
	const char *pw = new_password("SUIVI_PASSWORD", generated, &shown);
	return add_account(app, &a, pw, shown);
}

static int user_passwd(struct app *app, const char *name, bool one_time)
{
	struct account a;
	if (store_account_get(app->store, name, 0, &a)) {
		fprintf(stderr, "suivi: no account named %s\n", name);
		return 1;
	}
	char generated[TOKEN_TEXT], hash[256];
	bool shown;
	const char *pw = new_password("SUIVI_PASSWORD", generated, &shown);
	if (bad_password(pw) || auth_hash_password(pw, hash) ||
	    store_account_set_password(app->store, a.id, hash, one_time || shown, app->actor)) {
		fprintf(stderr, "suivi: the password of %s was not changed\n", name);
		return 1;
	}
	printf("suivi: password of %s changed; its sessions are ended and its API tokens revoked\n", name);
	if (shown)
		printf("suivi: one-time password for %s: %s\n", name, pw);
	return 0;
}

static void print_account(void *ctx, const struct account *a)
{
	(void)ctx;
	printf("%-20s %-8s %-2s %8s  %s\n", a->name, role_name[a->role], a->country[0] ? a->country : "-",
	       a->organisation ? "" : "-", a->disabled ? "disabled" : "active");
	if (a->organisation)
		printf("%-20s organisation %lld\n", "", a->organisation);
}

/* `suivi user 2fa NAME`: two-factor sign-in set up at once (a service
 * account, or someone who cannot scan): its otpauth address and recovery
 * codes printed once. */
static int user_2fa(struct app *app, const char *name)
{
	struct account a;
	enum app_err rc = store_account_get(app->store, name, 0, &a);
	if (rc) {
		fprintf(stderr, "suivi: %s\n", rc == APP_NOT_FOUND ? "no such account" : err_message(rc));
		return 1;
	}
	char base32[TOTP_BASE32_MAX], codes[RECOVERY_CODES][RECOVERY_TEXT];
	struct buf uri = BUF_INIT;
	rc = twofa_enrol(app->store, app->key_file, a.id, a.name, base32, &uri, codes, app->actor);
	if (rc == APP_CONFLICT)
		fprintf(stderr, "suivi: %s has two-factor sign-in already (an administrator removes it on its account page)\n", name);
	else if (rc)
		fprintf(stderr, "suivi: cannot set up two-factor sign-in: %s\n", err_message(rc));
	else {
		printf("%s\n", buf_cstr(&uri));
		for (int i = 0; i < RECOVERY_CODES; i++)
			printf("%s\n", codes[i]);
		fprintf(stderr, "suivi: two-factor sign-in set up for %s: the otpauth address (for an authenticator app) and "
				"%d recovery codes above are shown this once\n", name, RECOVERY_CODES);
	}
	buf_release(&uri);
	sodium_memzero(codes, sizeof codes);
	return rc ? 1 : 0;
}

int cmd_user(struct opts *o)
{
	const char *verb = o->pos[0];
	bool named = strcmp(verb, "add") == 0 || strcmp(verb, "passwd") == 0 || strcmp(verb, "disable") == 0 ||
		     strcmp(verb, "2fa") == 0;
	if (!named && strcmp(verb, "list") != 0)
		return cli_usage_error("user takes add, passwd, 2fa, list or disable, not '%s'", verb);
	if (named && (o->npos < 2 || !account_name_ok(o->pos[1])))
		return cli_usage_error("user %s needs a NAME of lower-case letters, digits, . _ or -", verb);
	struct app app;
	if (cli_open_app(o, &app))
		return 1;
	int rc = 0;
	if (strcmp(verb, "add") == 0) {
		rc = user_add(o, &app);
	} else if (strcmp(verb, "passwd") == 0) {
		rc = user_passwd(&app, o->pos[1], o->one_time);
	} else if (strcmp(verb, "2fa") == 0) {
		rc = user_2fa(&app, o->pos[1]);
	} else if (strcmp(verb, "list") == 0) {
		rc = store_account_list(app.store, false, print_account, NULL) ? 1 : 0;
	} else {
		struct account a;
		rc = store_account_get(app.store, o->pos[1], 0, &a) || store_account_set_disabled(app.store, a.id, true, app.actor);
		if (rc)
			fprintf(stderr, "suivi: no account named %s was disabled\n", o->pos[1]);
		else
			printf("suivi: %s disabled; its sessions ended and its tokens revoked\n", o->pos[1]);
	}
	cli_close_app(&app);
	return rc;
}

static void print_token(void *ctx, long long id, const char *account, const char *label,
			const char *created, const char *revoked)
{
	(void)ctx;
	printf("%-5lld %-20s %-20s %s%s%s\n", id, account, label ? label : "-", created,
	       revoked ? "  revoked " : "", revoked ? revoked : "");
}

int cmd_token(struct opts *o)
{
	const char *verb = o->pos[0];
	long long id = 0;
	if (strcmp(verb, "add") && strcmp(verb, "list") && strcmp(verb, "revoke"))
		return cli_usage_error("token takes add, list or revoke, not '%s'", verb);
	if (strcmp(verb, "list") && o->npos < 2)
		return cli_usage_error("token %s needs a USER (add) or a token number (revoke)", verb);
	if (strcmp(verb, "revoke") == 0 && (!util_parse_ll(o->pos[1], &id) || id < 1))
		return cli_usage_error("token revoke takes a token number, not '%s'", o->pos[1]);
	struct app app;
	if (cli_open_app(o, &app))
		return 1;
	int rc = 0;
	if (strcmp(verb, "add") == 0) {
		char token[TOKEN_TEXT + 8];
		enum app_err e = auth_token_add(app.store, o->pos[1], o->label, token, &id, app.actor);
		if (e) {
			fprintf(stderr, "suivi: no token for %s: %s\n", o->pos[1],
				e == APP_NOT_FOUND ? "no such account" : e == APP_FORBIDDEN ? "the account is disabled" : err_message(e));
			rc = 1;
		} else {
			/* The token alone on stdout, for scripts; it is not kept anywhere. */
			fprintf(stderr, "suivi: token %lld for %s (shown once; send it as Authorization: Bearer …):\n", id, o->pos[1]);
			printf("%s\n", token);
		}
	} else if (strcmp(verb, "list") == 0) {
		rc = store_token_list(app.store, 0, print_token, NULL) ? 1 : 0;
	} else {
		enum app_err e = store_token_revoke(app.store, id, 0, app.actor);
		if (e)
			fprintf(stderr, "suivi: no active token number %lld\n", id);
		else
			printf("suivi: token %lld revoked\n", id);
		rc = e ? 1 : 0;
	}
	cli_close_app(&app);
	return rc;
}
