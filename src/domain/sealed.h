/* sealed.h — secrets kept in the database sealed with the installation's
 * key (libsodium's secretbox: XSalsa20-Poly1305), so that a copy of the
 * database alone does not give them away.  The key is 32 random bytes in a
 * file of its own (app.h: key_file — $SUIVI_KEY_FILE, else DB.key beside a
 * SQLite file, else ./suivi.key), made on first use with mode 0600; every
 * server of one installation must read the same file, and a backup of the
 * database needs it too (docs/OPERATIONS.md). */
#ifndef SUIVI_SEALED_H
#define SUIVI_SEALED_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"

/* secret (n bytes) sealed with the key of key_file, as base64 text at the
 * end of out; the key file is made when missing.  APP_UNAVAILABLE (said on
 * standard error) when it cannot be read or made. */
MUST_CHECK enum app_err sealed_seal(const char *key_file, const unsigned char *secret, size_t n, struct buf *out);
/* The n bytes sealed in text into out; APP_INVALID when it does not open
 * with this key (another installation's, or altered). */
MUST_CHECK enum app_err sealed_open(const char *key_file, const char *text, unsigned char *out, size_t n);

/* A MAC of msg (HMAC-SHA256) with a key derived from the installation's
 * for purpose (8 characters: "notistop"), as base64url text: signed links
 * that need no row of their own.  The key file is made when missing. */
#define SEALED_MAC_TEXT 44
MUST_CHECK enum app_err sealed_mac(const char *key_file, const char purpose[8], const char *msg,
				   char out[SEALED_MAC_TEXT]);
/* Are two MACs as text the same (constant time)? */
bool sealed_mac_same(const char *a, const char *b);

#endif
