/* certsign.h — certificates that anyone can verify, even offline.
 *
 * A certificate's QR code carries its verification address, which holds
 * the certificate's number, its course's number, the session's dates and
 * an Ed25519 signature (RFC 8032, libsodium) over exactly these bytes:
 *
 *     "suivi certificate 1\n" NUMBER "\n" COURSE "\n" START "\n" END "\n"
 *
 * (COURSE in decimal; START and END as YYYY-MM-DD, END = START for a
 * session of one day), the signature written in base64url without padding:
 *
 *     BASE/verify/NUMBER?course=COURSE&start=START&end=END&sig=SIGNATURE
 *
 * No name or other personal data is in it.  The public key is published
 * at /.well-known/suivi-certificate-key; whoever holds it checks a
 * certificate without suivi (README, "Certificates").  The key pair is
 * the installation's, made on first use and kept in the database. */
#ifndef SUIVI_CERTSIGN_H
#define SUIVI_CERTSIGN_H
#include <stdbool.h>

#include "app.h"
#include "buf.h"
#include "err.h"

#define CERTSIGN_PK_BYTES 32
#define CERTSIGN_SK_BYTES 64
#define CERTSIGN_SIG_TEXT 87 /* 64 bytes in base64url, and the NUL */

struct cert_claim {
	const char *number;
	long long course;
	const char *start, *end;
};

struct certsign_key {
	unsigned char pk[CERTSIGN_PK_BYTES], sk[CERTSIGN_SK_BYTES];
};

/* The installation's key pair, made and kept on first use. */
MUST_CHECK enum app_err certsign_key(struct app *app, struct certsign_key *k);
/* The installation's public key, read only: false when there is none yet
 * (no certificate was signed) or the database did not answer. */
bool certsign_public_key(struct app *app, unsigned char pk[CERTSIGN_PK_BYTES]);
/* The signature of c, as the address writes it. */
void certsign_sign(const struct certsign_key *k, const struct cert_claim *c, char sig[CERTSIGN_SIG_TEXT]);
/* Does sig (as the address wrote it) sign c with the public key pk? */
bool certsign_verify(const unsigned char pk[CERTSIGN_PK_BYTES], const struct cert_claim *c, const char *sig);
/* The verification address of c under base ("https://host", or ""). */
void certsign_url(struct buf *out, const char *base, const struct cert_claim *c, const char *sig);
/* The public key in base64url (43 characters) and in hex (64). */
void certsign_public_text(const unsigned char pk[CERTSIGN_PK_BYTES], struct buf *b64, struct buf *hex);

#endif
