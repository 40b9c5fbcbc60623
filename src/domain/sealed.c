/* sealed.c — see sealed.h. */
#define _POSIX_C_SOURCE 200809L
#include "sealed.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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
		if (r <= 0 && !(r < 0 && errno == EINTR))
			return false;
		if (r > 0)
			p += r, n -= (size_t)r;
	}
	return true;
}

/* The key of path, made when the file does not exist and make (O_EXCL: of
 * two processes making it at once, the second reads the first's). */
static enum app_err load_key(const char *path, bool make, unsigned char key[crypto_secretbox_KEYBYTES])
{
	if (!path || !*path) {
		fprintf(stderr, "suivi: no key file to seal secrets with (set SUIVI_KEY_FILE)\n");
		return APP_UNAVAILABLE;
	}
	int fd = make ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) : -1;
	if (!make)
		errno = EEXIST;
	if (fd >= 0) {
		crypto_secretbox_keygen(key);
		bool ok = write(fd, key, crypto_secretbox_KEYBYTES) == crypto_secretbox_KEYBYTES;
		ok = close(fd) == 0 && ok;
		if (ok)
			return APP_OK;
		unlink(path);
	} else if (errno == EEXIST) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		bool ok = fd >= 0 && read_all(fd, key, crypto_secretbox_KEYBYTES);
		if (fd >= 0)
			close(fd);
		if (ok)
			return APP_OK;
	}
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
