/* jwt.h — an OpenID Connect ID token checked: its signature against the
 * provider's published keys (a JSON Web Key Set), then its claims (OpenID
 * Connect Core 1.0 §3.1.3.7).  Signatures RS256 and ES256 only: "none",
 * the HMAC algorithms (whose key would be our client secret) and anything
 * else are refused before any key is tried.  The token is outside input:
 * it is bounded, its form is checked before cjose (lazy_oidc.h) parses it,
 * and fuzz/fuzz_jwt.c feeds it whatever it likes. */
#ifndef SUIVI_JWT_H
#define SUIVI_JWT_H
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define JWT_MAX 16384 /* bytes of a compact token; a provider's are 1–2 KiB */
#define JWT_SKEW 120  /* seconds of clock difference allowed either way */

/* Why a token is refused, the first fault in this order. */
enum jwt_fault {
	JWT_OK,
	JWT_LIBRARY,   /* cjose could not be loaded */
	JWT_MALFORMED, /* not three base64url parts, bad JSON, too long */
	JWT_ALG,       /* not RS256 or ES256 */
	JWT_NO_KEY,    /* no key of the set fits (kid, type, curve, use) */
	JWT_SIGNATURE, /* no fitting key verifies it */
	JWT_ISSUER,    /* iss is not the provider */
	JWT_AUDIENCE,  /* aud does not name us, or azp names another */
	JWT_EXPIRED,   /* exp is past */
	JWT_ISSUED,    /* iat missing or in the future */
	JWT_NONCE,     /* not the nonce of this sign-in */
	JWT_SUBJECT,   /* sub missing, empty or too long */
};

/* What the token must say. */
struct jwt_expect {
	const char *issuer, *client_id, *nonce;
	long long now; /* Unix seconds */
};

/* What suivi reads of a valid token. */
struct id_token {
	char sub[256];
	char email[256];    /* lower case; "" when absent */
	bool email_verified;
	char name[128];     /* "" when absent */
	bool mfa;           /* amr names a second factor (RFC 8176: mfa, otp, hwk, sms) */
	json_t *claims;     /* the whole payload, for a groups claim; owned */
};

/* Checks token (len bytes, not necessarily NUL-terminated) against jwks
 * (the provider's {"keys": [...]}) and x.  JWT_OK: *out is filled, and
 * id_token_release frees it; otherwise *out holds nothing to free. */
enum jwt_fault jwt_check_id_token(const char *token, size_t len, const json_t *jwks, const struct jwt_expect *x,
				  struct id_token *out);
/* The claims check alone, on a payload whose signature was verified (the
 * last step of jwt_check_id_token; the fuzz target's way in). */
enum jwt_fault jwt_read_claims(const char *payload, size_t len, const struct jwt_expect *x, struct id_token *out);
void id_token_release(struct id_token *t);
/* Does the claim named claim (an array of strings, or one string) hold
 * value? */
bool id_token_has(const struct id_token *t, const char *claim, const char *value);
/* The fault in a few words of English, for the server's log. */
const char *jwt_fault_text(enum jwt_fault f);

#endif
