/* totp.h — the one-time codes of RFC 6238 that authenticator apps show
 * (TOTP: HMAC-SHA1 of the number of 30-second steps since 1970, cut to 6
 * digits, RFC 4226), and their secrets written as apps take them: base32
 * (RFC 4648) in an otpauth:// address.  SHA-1 because every app computes
 * it (several ignore another algorithm); in an HMAC it holds. */
#ifndef SUIVI_TOTP_H
#define SUIVI_TOTP_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define TOTP_SECRET_BYTES 20 /* 160 bits, RFC 4226's recommendation */
#define TOTP_STEP 30         /* seconds */
#define TOTP_BASE32_MAX 40   /* TOTP_SECRET_BYTES in base32, and its NUL */

/* The code (0 to 999999) of secret at step. */
unsigned totp_code(const unsigned char *secret, size_t n, long long step);
/* Does code — 6 digits, spaces allowed between them — match secret at the
 * step of now (Unix seconds), the one before or the one after (a phone's
 * clock a little off)?  A step not after `after` is refused: a code once
 * accepted is not accepted again.  *step receives the step matched. */
bool totp_check(const unsigned char *secret, size_t n, const char *code, long long now, long long after,
		long long *step);
/* secret in base32, upper case, without padding, into out. */
void totp_base32(const unsigned char *secret, size_t n, char out[TOTP_BASE32_MAX]);
/* The otpauth://totp/ address of account's secret (base32) at issuer,
 * appended to out, for a QR code. */
void totp_uri(struct buf *out, const char *issuer, const char *account, const char *base32);

#endif
