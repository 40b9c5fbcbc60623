/* cmd_seal.c — see cmd_seal.h. */
#define _POSIX_C_SOURCE 200809L
#include "cmd_seal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "seal.h"
#include "banned.h"

int cmd_seal(struct opts *o)
{
	if (strcmp(o->pos[0], "verify") != 0)
		return cli_usage_error("seal knows verify, not '%s'", o->pos[0]);
	const char *path = o->pos[1], *key = o->npos > 2 ? o->pos[2] : NULL;
	size_t n = 0;
	char *text = cli_slurp(path, &n);
	if (!text)
		return 1;
	struct seal_check c;
	const char *why = seal_verify(text, n, &c);
	free(text);
	/* the key as /.well-known/suivi-certificate-key gives it: base64url, or
	 * hex (which never begins with '-', which an option does) */
	if (!why && key && strcmp(key, c.public_key) != 0 && strcasecmp(key, c.public_key_hex) != 0)
		why = "it is signed with another key than the one given";
	if (why) {
		fprintf(stderr, "suivi: %s is not a valid seal: %s\n", path, why);
		return 1;
	}
	printf("suivi: %s is a valid seal of meeting %lld, sealed at %s: %lld outcomes, %lld follow-up actions\n"
	       "SHA-256 of the snapshot: %s\nsigned with the key: %s (hex %s)%s\n",
	       path, c.meeting, c.sealed_at, c.outcomes, c.actions, c.sha256, c.public_key, c.public_key_hex,
	       key ? " (the one given)" : " (compare it with the installation's, /.well-known/suivi-certificate-key)");
	return 0;
}
