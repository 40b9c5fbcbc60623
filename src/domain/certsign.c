/* certsign.c — see certsign.h. */
#include "certsign.h"

#include <string.h>

#include <sodium.h>

#include "store_auth.h"
#include "util.h"
#include "banned.h"

/* The bytes signed (certsign.h). */
static void message(struct buf *m, const struct cert_claim *c)
{
	buf_printf(m, "suivi certificate 1\n%s\n%lld\n%s\n%s\n", c->number, c->course, c->start,
		   c->end && *c->end ? c->end : c->start);
}

static bool from_hex(const char *hex, unsigned char *bin, size_t n)
{
	size_t len;
	return sodium_hex2bin(bin, n, hex, strlen(hex), NULL, &len, NULL) == 0 && len == n;
}

static bool read_key(struct app *app, struct certsign_key *k, enum app_err *rc)
{
	char pk[2 * CERTSIGN_PK_BYTES + 1] = "", sk[2 * CERTSIGN_SK_BYTES + 1] = "";
	*rc = store_signing_key_get(app->store, pk, sizeof pk, sk, sizeof sk);
	if (*rc)
		return false;
	if (!from_hex(pk, k->pk, sizeof k->pk) || !from_hex(sk, k->sk, sizeof k->sk)) {
		*rc = APP_INTERNAL; /* (not what suivi wrote) */
		return false;
	}
	return true;
}

enum app_err certsign_key(struct app *app, struct certsign_key *k)
{
	enum app_err rc;
	if (read_key(app, k, &rc) || rc != APP_NOT_FOUND)
		return rc;
	struct certsign_key made;
	crypto_sign_keypair(made.pk, made.sk);
	char pk[2 * CERTSIGN_PK_BYTES + 1], sk[2 * CERTSIGN_SK_BYTES + 1], now[21];
	sodium_bin2hex(pk, sizeof pk, made.pk, sizeof made.pk);
	sodium_bin2hex(sk, sizeof sk, made.sk, sizeof made.sk);
	util_now(now);
	rc = store_signing_key_add(app->store, pk, sk, now);
	sodium_memzero(&made, sizeof made);
	sodium_memzero(sk, sizeof sk);
	/* read back: another server may have added its own first */
	if (!rc)
		read_key(app, k, &rc);
	return rc;
}

bool certsign_public_key(struct app *app, unsigned char pk[CERTSIGN_PK_BYTES])
{
	struct certsign_key k;
	enum app_err rc;
	bool ok = read_key(app, &k, &rc);
	if (ok)
		memcpy(pk, k.pk, CERTSIGN_PK_BYTES);
	sodium_memzero(&k, sizeof k);
	return ok;
}

void certsign_sign(const struct certsign_key *k, const struct cert_claim *c, char sig[CERTSIGN_SIG_TEXT])
{
	struct buf m = BUF_INIT;
	message(&m, c);
	unsigned char s[crypto_sign_BYTES];
	crypto_sign_detached(s, NULL, (const unsigned char *)m.data, m.len, k->sk);
	sodium_bin2base64(sig, CERTSIGN_SIG_TEXT, s, sizeof s, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	buf_release(&m);
}

bool certsign_verify(const unsigned char pk[CERTSIGN_PK_BYTES], const struct cert_claim *c, const char *sig)
{
	unsigned char s[crypto_sign_BYTES];
	size_t len;
	if (!sig || sodium_base642bin(s, sizeof s, sig, strlen(sig), NULL, &len, NULL,
				      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || len != sizeof s)
		return false;
	struct buf m = BUF_INIT;
	message(&m, c);
	bool ok = crypto_sign_verify_detached(s, (const unsigned char *)m.data, m.len, pk) == 0;
	buf_release(&m);
	return ok;
}

void certsign_url(struct buf *out, const char *base, const struct cert_claim *c, const char *sig)
{
	buf_printf(out, "%s/verify/", base);
	buf_url(out, c->number);
	buf_printf(out, "?course=%lld&start=", c->course);
	buf_url(out, c->start);
	buf_adds(out, "&end=");
	buf_url(out, c->end && *c->end ? c->end : c->start);
	buf_printf(out, "&sig=%s", sig);
}

void certsign_public_text(const unsigned char pk[CERTSIGN_PK_BYTES], struct buf *b64, struct buf *hex)
{
	char t[2 * CERTSIGN_PK_BYTES + 1];
	sodium_bin2base64(t, sizeof t, pk, CERTSIGN_PK_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	buf_adds(b64, t);
	sodium_bin2hex(t, sizeof t, pk, CERTSIGN_PK_BYTES);
	buf_adds(hex, t);
}
