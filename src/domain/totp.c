/* totp.c — see totp.h. */
#include "totp.h"

#include <ctype.h>
#include <string.h>

#include <nettle/hmac.h>

#include "banned.h"

unsigned totp_code(const unsigned char *secret, size_t n, long long step)
{
	unsigned char counter[8], mac[SHA1_DIGEST_SIZE];
	for (int i = 7; i >= 0; i--, step >>= 8)
		counter[i] = (unsigned char)(step & 0xFF);
	struct hmac_sha1_ctx ctx;
	hmac_sha1_set_key(&ctx, n, secret);
	hmac_sha1_update(&ctx, sizeof counter, counter);
	hmac_sha1_digest(&ctx, sizeof mac, mac);
	/* RFC 4226 §5.3: dynamic truncation */
	int at = mac[SHA1_DIGEST_SIZE - 1] & 0x0F;
	unsigned long bin = ((unsigned long)(mac[at] & 0x7F) << 24) | ((unsigned long)mac[at + 1] << 16) |
			    ((unsigned long)mac[at + 2] << 8) | mac[at + 3];
	return (unsigned)(bin % 1000000);
}

/* The 6 digits of code (spaces between them allowed) as a number; -1 when
 * it is not that. */
static long parse_code(const char *code)
{
	long v = 0;
	int digits = 0;
	for (const char *p = code; p && *p; p++) {
		if (*p == ' ')
			continue;
		if (!isdigit((unsigned char)*p) || ++digits > 6)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return digits == 6 ? v : -1;
}

bool totp_check(const unsigned char *secret, size_t n, const char *code, long long now, long long after,
		long long *step)
{
	long want = parse_code(code);
	if (want < 0)
		return false;
	long long here = now / TOTP_STEP;
	bool ok = false;
	/* every candidate computed, so that the time taken does not tell which matched */
	for (long long s = here - 1; s <= here + 1; s++)
		if (totp_code(secret, n, s) == (unsigned)want && s > after && !ok) {
			ok = true;
			*step = s;
		}
	return ok;
}

void totp_base32(const unsigned char *secret, size_t n, char out[TOTP_BASE32_MAX])
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	size_t o = 0;
	unsigned buffer = 0;
	int bits = 0;
	for (size_t i = 0; i < n && o + 1 < TOTP_BASE32_MAX; i++) {
		buffer = (buffer << 8) | secret[i];
		bits += 8;
		while (bits >= 5 && o + 1 < TOTP_BASE32_MAX) {
			out[o++] = alphabet[(buffer >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0 && o + 1 < TOTP_BASE32_MAX)
		out[o++] = alphabet[(buffer << (5 - bits)) & 31];
	out[o] = '\0';
}

/* Appends s percent-encoded for a URI's path or query. */
static void uri_part(struct buf *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || strchr("-._~", *p))
			buf_addc(out, (char)*p);
		else
			buf_printf(out, "%%%02X", *p);
	}
}

void totp_uri(struct buf *out, const char *issuer, const char *account, const char *base32)
{
	buf_adds(out, "otpauth://totp/");
	uri_part(out, issuer);
	buf_adds(out, ":");
	uri_part(out, account);
	buf_printf(out, "?secret=%s&issuer=", base32);
	uri_part(out, issuer);
	buf_printf(out, "&algorithm=SHA1&digits=6&period=%d", TOTP_STEP);
}
