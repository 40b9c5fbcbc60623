/* sealed.c — see sealed.h. */
#define _DEFAULT_SOURCE /* mkstemp, fsync */
#define _POSIX_C_SOURCE 200809L
#include "sealed.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "banned.h"

#define SEALED_MAX 256 /* the secrets sealed here are short (a TOTP secret: 20 bytes) */

/* Reads all n bytes of fd into p. */
static bool read_all(int fd, unsigned char *p, size_t n)
{
	while (n) {
		ssize_t r = read(fd, p, n);
		if (r == 0)
			errno = EINVAL; /* shorter than a key */
		if (r <= 0 && !(r < 0 && errno == EINTR))
			return false;
		if (r > 0)
			p += r, n -= (size_t)r;
	}
	return true;
}

/* Reads the key of path; false when it cannot (errno says why). */
static bool read_key(const char *path, unsigned char key[crypto_secretbox_KEYBYTES])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok = fd >= 0 && read_all(fd, key, crypto_secretbox_KEYBYTES);
	if (fd >= 0) {
		int saved = errno;
		close(fd);
		errno = saved;
	}
	return ok;
}

/* Makes the key file at path: written whole and synced under a temporary
 * name, then linked to its name, so that a crash never leaves a short key
 * there and, of two processes making it at once, the second reads the
 * first's (link fails with EEXIST). */
static bool make_key(const char *path, unsigned char key[crypto_secretbox_KEYBYTES])
{
	char tmp[4096];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= sizeof tmp)
		return errno = ENAMETOOLONG, false;
	int fd = mkstemp(tmp); /* mode 0600 */
	if (fd < 0)
		return false;
	crypto_secretbox_keygen(key);
	bool ok = write(fd, key, crypto_secretbox_KEYBYTES) == crypto_secretbox_KEYBYTES && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	ok = ok && link(tmp, path) == 0;
	int saved = errno;
	unlink(tmp);
	errno = saved;
	if (!ok && errno == EEXIST)
		return read_key(path, key);
	return ok;
}

/* The key of path, made when the file does not exist and make. */
static enum app_err load_key(const char *path, bool make, unsigned char key[crypto_secretbox_KEYBYTES])
{
	if (!path || !*path) {
		fprintf(stderr, "suivi: no key file to seal secrets with (set SUIVI_KEY_FILE)\n");
		return APP_UNAVAILABLE;
	}
	if (read_key(path, key) || (errno == ENOENT && make && make_key(path, key)))
		return APP_OK;
	fprintf(stderr, "suivi: cannot read or make the key file %s: %s\n", path, strerror(errno));
	return APP_UNAVAILABLE;
}

enum app_err sealed_seal(const char *key_file, const unsigned char *secret, size_t n, struct buf *out)
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + SEALED_MAX];
	if (n > SEALED_MAX)
		return APP_INTERNAL;
	enum app_err rc = load_key(key_file, true, key);
	if (rc)
		return rc;
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, secret, n, box, key);
	sodium_memzero(key, sizeof key);
	size_t len = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
	char text[sodium_base64_ENCODED_LEN(sizeof box, sodium_base64_VARIANT_ORIGINAL)];
	sodium_bin2base64(text, sizeof text, box, len, sodium_base64_VARIANT_ORIGINAL);
	buf_adds(out, text);
	return APP_OK;
}

enum app_err sealed_open(const char *key_file, const char *text, unsigned char *out, size_t n)
{
	unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + SEALED_MAX];
	size_t len = 0;
	if (n > SEALED_MAX ||
	    sodium_base642bin(box, sizeof box, text, strlen(text), NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    len != crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n)
		return APP_INVALID;
	unsigned char key[crypto_secretbox_KEYBYTES];
	enum app_err rc = load_key(key_file, false, key);
	if (rc)
		return rc;
	int bad = crypto_secretbox_open_easy(out, box + crypto_secretbox_NONCEBYTES, len - crypto_secretbox_NONCEBYTES,
					     box, key);
	sodium_memzero(key, sizeof key);
	return bad ? APP_INVALID : APP_OK;
}

enum app_err sealed_mac(const char *key_file, const char purpose[8], const char *msg, char out[SEALED_MAC_TEXT])
{
	unsigned char key[crypto_secretbox_KEYBYTES], sub[crypto_auth_hmacsha256_KEYBYTES];
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	enum app_err rc = load_key(key_file, true, key);
	if (rc)
		return rc;
	/* a key of its own per purpose: a MAC made for one use is worth
	 * nothing for another, and none opens a sealed secret */
	crypto_kdf_derive_from_key(sub, sizeof sub, 1, purpose, key);
	sodium_memzero(key, sizeof key);
	crypto_auth_hmacsha256(mac, (const unsigned char *)msg, strlen(msg), sub);
	sodium_memzero(sub, sizeof sub);
	sodium_bin2base64(out, SEALED_MAC_TEXT, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return APP_OK;
}

bool sealed_mac_same(const char *a, const char *b)
{
	size_t n = strlen(a);
	return n == strlen(b) && n > 0 && sodium_memcmp(a, b, n) == 0;
}
