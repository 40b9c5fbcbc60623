/* jwt.c — see jwt.h. */
#define _POSIX_C_SOURCE 200809L
#include "jwt.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lazy_oidc.h"
#include "banned.h"

#define JWKS_KEYS_MAX 32 /* keys of a set tried at most: a provider publishes a handful */

const char *jwt_fault_text(enum jwt_fault f)
{
	static const char *const text[] = {
		[JWT_OK] = "valid",
		[JWT_LIBRARY] = "the JOSE library (cjose) could not be loaded",
		[JWT_MALFORMED] = "not a well-formed token",
		[JWT_ALG] = "signed with an algorithm other than RS256 or ES256",
		[JWT_NO_KEY] = "no published key of the provider fits it",
		[JWT_SIGNATURE] = "its signature is not the provider's",
		[JWT_ISSUER] = "issued by another issuer",
		[JWT_AUDIENCE] = "meant for another client",
		[JWT_EXPIRED] = "expired",
		[JWT_ISSUED] = "issued in the future, or without a date",
		[JWT_NONCE] = "not made for this sign-in (nonce)",
		[JWT_SUBJECT] = "without a subject",
	};
	return f < sizeof text / sizeof *text && text[f] ? text[f] : "refused";
}

/* Three parts of base64url, the first two not empty. */
static bool compact_form(const char *t, size_t len)
{
	int dots = 0;
	size_t part = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)t[i];
		if (c == '.') {
			if (part == 0 || ++dots > 2)
				return false;
			part = 0;
		} else if (isalnum(c) || c == '-' || c == '_') {
			part++;
		} else {
			return false;
		}
	}
	return dots == 2 && part > 0;
}

static const char *member(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Could key verify a token of alg (RS256 or ES256) whose header names kid
 * (NULL when none)? */
static bool key_fits(const json_t *key, const char *alg, const char *kid)
{
	bool rsa = strcmp(alg, "RS256") == 0;
	const char *kty = member(key, "kty"), *use = member(key, "use"), *kalg = member(key, "alg");
	const char *kkid = member(key, "kid");
	if (!kty || strcmp(kty, rsa ? "RSA" : "EC") != 0)
		return false;
	if (!rsa && (!member(key, "crv") || strcmp(member(key, "crv"), "P-256") != 0))
		return false;
	return (!use || strcmp(use, "sig") == 0) && (!kalg || strcmp(kalg, alg) == 0) &&
	       (!kid || !kkid || strcmp(kid, kkid) == 0);
}

/* Tries each fitting key of jwks on jws: JWT_OK, JWT_NO_KEY or JWT_SIGNATURE. */
static enum jwt_fault verify(cjose_jws_t *jws, const json_t *jwks, const char *alg, const char *kid)
{
	const json_t *keys = json_object_get(jwks, "keys");
	enum jwt_fault f = JWT_NO_KEY;
	size_t n = json_array_size(keys);
	for (size_t i = 0; i < n && i < JWKS_KEYS_MAX && f != JWT_OK; i++) {
		json_t *key = json_array_get(keys, i);
		if (!key_fits(key, alg, kid))
			continue;
		cjose_err err;
		cjose_jwk_t *jwk = cjose_jwk_import_json((cjose_header_t *)key, &err);
		if (!jwk) /* a fitting type but a key that does not parse: not this one */
			continue;
		f = cjose_jws_verify(jws, jwk, &err) ? JWT_OK : JWT_SIGNATURE;
		cjose_jwk_release(jwk);
	}
	return f;
}

/* Does aud (a string or an array of strings) name client_id? */
static bool audience_ok(const json_t *claims, const char *client_id)
{
	const json_t *aud = json_object_get(claims, "aud");
	if (json_is_string(aud))
		return strcmp(json_string_value(aud), client_id) == 0;
	if (!json_is_array(aud) || json_array_size(aud) == 0)
		return false;
	bool named = false;
	for (size_t i = 0; i < json_array_size(aud); i++) {
		const char *a = json_string_value(json_array_get(aud, i));
		named |= a && strcmp(a, client_id) == 0;
	}
	/* several audiences: the party it was issued to must be us (§3.1.3.7 items 4 and 5) */
	const char *azp = member(claims, "azp");
	return named && (json_array_size(aud) == 1 || (azp && strcmp(azp, client_id) == 0));
}

static bool whole_seconds(const json_t *v, long long *out)
{
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return true;
	}
	if (json_is_real(v) && json_real_value(v) > -9e15 && json_real_value(v) < 9e15) {
		*out = (long long)json_real_value(v);
		return true;
	}
	return false;
}

static enum jwt_fault claims_ok(const json_t *c, const struct jwt_expect *x)
{
	long long exp, iat;
	const char *iss = member(c, "iss"), *nonce = member(c, "nonce"), *sub = member(c, "sub");
	if (!iss || strcmp(iss, x->issuer) != 0)
		return JWT_ISSUER;
	if (!audience_ok(c, x->client_id))
		return JWT_AUDIENCE;
	if (!whole_seconds(json_object_get(c, "exp"), &exp) || exp + JWT_SKEW <= x->now)
		return JWT_EXPIRED;
	if (!whole_seconds(json_object_get(c, "iat"), &iat) || iat > x->now + JWT_SKEW)
		return JWT_ISSUED;
	if (!nonce || !x->nonce || strcmp(nonce, x->nonce) != 0)
		return JWT_NONCE;
	if (!sub || !*sub || strlen(sub) >= sizeof ((struct id_token *)0)->sub)
		return JWT_SUBJECT;
	return JWT_OK;
}

bool id_token_has(const struct id_token *t, const char *claim, const char *value)
{
	const json_t *v = json_object_get(t->claims, claim);
	if (json_is_string(v))
		return strcmp(json_string_value(v), value) == 0;
	for (size_t i = 0; i < json_array_size(v); i++) {
		const char *s = json_string_value(json_array_get(v, i));
		if (s && strcmp(s, value) == 0)
			return true;
	}
	return false;
}

/* email_verified is a boolean; some providers send the string "true". */
static bool verified(const json_t *v)
{
	return json_is_true(v) || (json_is_string(v) && strcmp(json_string_value(v), "true") == 0);
}

static void fill(struct id_token *out, json_t *claims)
{
	memset(out, 0, sizeof *out);
	out->claims = claims;
	snprintf(out->sub, sizeof out->sub, "%s", member(claims, "sub"));
	const char *email = member(claims, "email"), *name = member(claims, "name");
	if (email && strlen(email) < sizeof out->email && strchr(email, '@')) {
		for (size_t i = 0; email[i]; i++)
			out->email[i] = (char)tolower((unsigned char)email[i]);
		out->email_verified = verified(json_object_get(claims, "email_verified"));
	}
	if (name)
		snprintf(out->name, sizeof out->name, "%s", name);
	static const char *const second_factors[] = { "mfa", "otp", "hwk", "sms" };
	for (size_t i = 0; i < sizeof second_factors / sizeof *second_factors; i++)
		out->mfa |= id_token_has(out, "amr", second_factors[i]);
}

enum jwt_fault jwt_check_id_token(const char *token, size_t len, const json_t *jwks, const struct jwt_expect *x,
				  struct id_token *out)
{
	const char *why;
	if (!lazylib_oidc(&why))
		return JWT_LIBRARY;
	if (len > JWT_MAX || !compact_form(token, len))
		return JWT_MALFORMED;
	cjose_err err;
	cjose_jws_t *jws = cjose_jws_import(token, len, &err);
	if (!jws)
		return JWT_MALFORMED;
	const json_t *header = (const json_t *)cjose_jws_get_protected(jws);
	const char *alg = member(header, "alg"), *kid = member(header, "kid");
	enum jwt_fault f = !alg ? JWT_MALFORMED
			   : strcmp(alg, "RS256") != 0 && strcmp(alg, "ES256") != 0 ? JWT_ALG
										     : verify(jws, jwks, alg, kid);
	uint8_t *plain = NULL;
	size_t plain_len = 0;
	if (!f && !cjose_jws_get_plaintext(jws, &plain, &plain_len, &err))
		f = JWT_MALFORMED;
	if (!f)
		f = jwt_read_claims((const char *)plain, plain_len, x, out);
	cjose_jws_release(jws);
	return f;
}

enum jwt_fault jwt_read_claims(const char *payload, size_t len, const struct jwt_expect *x, struct id_token *out)
{
	json_t *claims = json_loadb(payload, len, JSON_REJECT_DUPLICATES, NULL);
	enum jwt_fault f = json_is_object(claims) ? claims_ok(claims, x) : JWT_MALFORMED;
	if (f) {
		json_decref(claims);
		return f;
	}
	fill(out, claims);
	return JWT_OK;
}

void id_token_release(struct id_token *t)
{
	json_decref(t->claims);
	t->claims = NULL;
}
