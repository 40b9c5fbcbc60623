/* fuzz_jwt.c — libFuzzer target: an ID token as a provider's answer carries
 * it (jwt.h).  Odd first byte: the rest is a compact token, checked against
 * a set of one RSA and one P-256 key (as a provider publishes them) — its
 * form, its header, the choice of key, cjose's parsing and verification;
 * else the rest is a payload whose signature is taken as verified — the
 * claims' reading.  No crash, no leak; nothing forged is accepted: a token
 * accepted has its claims as asked. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jwt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char jwks_text[] =
	"{\"keys\":[{\"kty\":\"RSA\","
	"\"n\":\"raoCeoZrd0WCqHFIyGtbwFqRzMueR3p8iKRwJQbuE6sy1OXVprOyDRZCSfKUN2JV4AgVsEX1hxchsRifag1dF"
	"6VhThqBDgmLUmUPuRj5hR53p6N62WQv4pA_w1iM9S781kDVtNNQaLsrnE-lL2vXfexb-PSz0vM6aQSWCXcO0kK5bqf"
	"vUTAYdfx8JDjjMSNBaO8hNdCoaqVhXziSII1aBnLtQd9oTTwxvy14qRDtAw-grPj-lBeg3jZmfCtJFlFjjWrH4ndQs"
	"g051QNgcXl4rHRyEpu6XhYO8JmtSKGa4QRyzbjB6RG-43OmqVQLnJoQhBXzBbln9U_TGSFDNX54lw\",\"e\":\"AQAB\","
	"\"kid\":\"r1\",\"use\":\"sig\"},{\"kty\":\"EC\",\"x\":\"iDqWaoNXtINya_ycMvTgYv3anyynOVSNifmJnl3Ew8U\","
	"\"y\":\"4R_zXQXYtYw99Fuu5cY-vUhoqkvNmjiqwrK1SqyYw9o\",\"crv\":\"P-256\",\"kid\":\"e1\",\"use\":\"sig\"}]}";

static void check_accepted(const struct id_token *t)
{
	const char *iss = json_string_value(json_object_get(t->claims, "iss"));
	const char *nonce = json_string_value(json_object_get(t->claims, "nonce"));
	if (!iss || strcmp(iss, "https://id.example.org") != 0 || !nonce || strcmp(nonce, "n-1") != 0 || !t->sub[0])
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *jwks;
	if (!jwks)
		jwks = json_loads(jwks_text, 0, NULL);
	if (size < 1)
		return 0;
	struct jwt_expect x = { .issuer = "https://id.example.org", .client_id = "suivi", .nonce = "n-1", .now = 1700000000 };
	struct id_token t;
	enum jwt_fault f = (data[0] & 1) ? jwt_check_id_token((const char *)data + 1, size - 1, jwks, &x, &t)
					 : jwt_read_claims((const char *)data + 1, size - 1, &x, &t);
	if (f == JWT_OK) {
		if (data[0] & 1) /* no signature can be forged for these keys */
			abort();
		check_accepted(&t);
		id_token_release(&t);
	}
	return 0;
}
