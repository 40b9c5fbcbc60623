/* oidc.h — single sign-on with OpenID Connect (the authorization-code
 * flow with PKCE, OpenID Connect Core 1.0 §3.1).
 *
 * A provider is configured by its issuer, our client id and secret; its
 * endpoints and keys are read from its /.well-known/openid-configuration
 * and kept an hour.  A sign-in begins (oidc_begin) with a state, a nonce and
 * a PKCE verifier, kept under the state's hash for OIDC_STATE_TTL seconds;
 * the state also goes to the browser in a cookie, so that only the browser
 * that began a sign-in can end it.  It ends (oidc_finish) when the provider
 * sends the browser back: the state taken once, the code exchanged for an
 * ID token, the token checked (jwt.h).  The person is then the account
 * linked to the provider's subject; else the account whose address is the
 * token's verified e-mail (linked from then on); else an administrator's
 * rule admits them (an account is made) or lets them ask for one (a
 * request waits for an administrator); else they are told they have no
 * account.  libcurl and cjose are loaded on the first sign-in (lazy_oidc.h). */
#ifndef SUIVI_OIDC_H
#define SUIVI_OIDC_H
#include <pthread.h>
#include <stdbool.h>

#include <jansson.h>

#include "auth.h"
#include "err.h"
#include "store.h"
#include "store_oidc.h"

#define OIDC_STATE_TTL 600     /* seconds from the button to the provider's answer */
#define OIDC_DISCOVERY_TTL 3600 /* seconds a provider's configuration and keys are kept */
#define OIDC_HTTP_TIMEOUT 10   /* seconds for any call to a provider */
#define OIDC_COOKIE "suivi_oidc"

struct oidc_provider {
	char id[OIDC_ID_MAX + 1]; /* in addresses and rules: a-z 0-9 - */
	char *name;               /* on the button: "Sign in with NAME" */
	char *issuer, *client_id, *client_secret;
	char *scopes;             /* default "openid email profile" */
	char *groups_claim;       /* default "groups" */
	/* what discovery found, under lock */
	pthread_mutex_t lock;
	char *authorization_endpoint, *token_endpoint, *jwks_uri;
	bool secret_post; /* the token endpoint takes client_secret_post, not client_secret_basic */
	json_t *jwks;
	long long discovered_at, jwks_at;
};

struct oidc {
	struct oidc_provider *providers;
	size_t n;
	char *public_url; /* where suivi is reached, for the redirect address; NULL: the request's Host */
};

/* What configures it: the command line's one provider and/or a file of
 * several (JSON, see the README); NULL members are not given. */
struct oidc_options {
	const char *issuer, *client_id, *client_secret_file, *name;
	const char *config_file;
	const char *public_url;
};

/* Reads the options into *out (NULL when none configures a provider).  0,
 * or 1 with a message on stderr. */
int oidc_configure(const struct oidc_options *opt, struct oidc **out);
void oidc_free(struct oidc *o);
const struct oidc_provider *oidc_provider(const struct oidc *o, const char *id);

/* Begins a sign-in with provider id: *location (owned) is where to send
 * the browser, state the cookie's value.  APP_NOT_FOUND: no such provider;
 * APP_UNAVAILABLE: it cannot be reached (*why says how, for the log);
 * APP_TOO_MANY: too many sign-ins are under way (store_oidc.h). */
MUST_CHECK enum app_err oidc_begin(struct oidc *o, struct store *st, const char *id, const char *redirect_uri,
				   const char *next, char state[TOKEN_TEXT], char **location, const char **why);

enum oidc_result {
	OIDC_SIGNED_IN,  /* who and token: the new session */
	OIDC_REQUESTED,  /* a request for an account waits for an administrator */
	OIDC_NO_ACCOUNT, /* no account, no rule for them */
	OIDC_DISABLED,   /* their account is disabled */
	OIDC_REFUSED,    /* the answer is not to be trusted: why */
	OIDC_UNAVAILABLE, /* the provider could not be reached: why */
	OIDC_FAILED,     /* the database: rc */
};

struct oidc_answer {
	enum oidc_result result;
	const char *why;  /* for the log; static text */
	enum app_err rc;
	char provider[OIDC_ID_MAX + 1];
	char next[512];
	char email[256];
	struct principal who;
	char token[TOKEN_TEXT];
};

/* Ends a sign-in: state and code as the provider sent them back, the
 * cookie's state, the same redirect_uri as oidc_begin's. */
void oidc_finish(struct oidc *o, struct store *st, const char *state, const char *cookie_state, const char *code,
		 const char *redirect_uri, const char *client, struct oidc_answer *out);

/* An administrator grants request id: an account is made for them, of the
 * request's role, country and organisation, linked to their subject.
 * APP_NOT_FOUND; APP_CONFLICT when their address is another account's. */
MUST_CHECK enum app_err oidc_approve(struct store *st, long long id, const char *actor, long long *account);

#endif
