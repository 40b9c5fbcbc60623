/* seal.c — see seal.h. */
#define _POSIX_C_SOURCE 200809L
#include "seal.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certsign.h"
#include "store_seal.h"
#include "util.h"
#include "banned.h"

#define SEAL_FORMAT "suivi-seal-1"
#define SEAL_PREFIX "suivi seal 1\n" /* what the signature covers before the snapshot */

/* {"fr": …, "en": …, "ar": …} of the three columns from col, those set. */
static json_t *i18n(const struct row *r, int col)
{
	static const char *const langs[] = { "fr", "en", "ar" };
	json_t *o = json_object();
	for (int i = 0; i < 3; i++)
		if (row_text(r, col + i))
			json_object_set_new(o, langs[i], json_string(row_text(r, col + i)));
	return o;
}

static json_t *text_or_null(const struct row *r, int col)
{
	return row_text(r, col) ? json_string(row_text(r, col)) : json_null();
}

static enum app_err meeting_row(void *ctx, const struct row *r)
{
	json_t *m = json_object();
	json_object_set_new(m, "id", json_integer(row_int(r, SEALM_ID)));
	json_object_set_new(m, "kind", text_or_null(r, SEALM_KIND));
	json_object_set_new(m, "title", i18n(r, SEALM_TITLE));
	json_object_set_new(m, "start_date", text_or_null(r, SEALM_START));
	json_object_set_new(m, "end_date", text_or_null(r, SEALM_END));
	json_object_set_new(m, "venue", text_or_null(r, SEALM_VENUE));
	json_object_set_new(ctx, "meeting", m);
	return APP_OK;
}

/* The outcomes as they come, each row an outcome's action. */
struct facts {
	json_t *outcomes, *current; /* current: the last outcome's actions */
	long long outcome;
};

static enum app_err fact_row(void *ctx, const struct row *r)
{
	struct facts *f = ctx;
	if (!f->current || row_int(r, SEALO_ID) != f->outcome) {
		json_t *o = json_object();
		f->outcome = row_int(r, SEALO_ID);
		json_object_set_new(o, "id", json_integer(f->outcome));
		json_object_set_new(o, "number", row_null(r, SEALO_NUMBER) ? json_null() : json_integer(row_int(r, SEALO_NUMBER)));
		json_object_set_new(o, "kind", text_or_null(r, SEALO_KIND));
		json_object_set_new(o, "text", i18n(r, SEALO_TEXT));
		f->current = json_array();
		json_object_set_new(o, "actions", f->current);
		json_array_append_new(f->outcomes, o);
	}
	if (row_null(r, SEALA_ID))
		return APP_OK;
	json_t *a = json_object();
	json_object_set_new(a, "id", json_integer(row_int(r, SEALA_ID)));
	json_object_set_new(a, "title", i18n(r, SEALA_TITLE));
	json_object_set_new(a, "owner", row_null(r, SEALA_OWNER) ? json_null() : json_integer(row_int(r, SEALA_OWNER)));
	json_object_set_new(a, "due_date", text_or_null(r, SEALA_DUE));
	json_object_set_new(a, "status", text_or_null(r, SEALA_STATUS));
	json_object_set_new(a, "percent", json_integer(row_int(r, SEALA_PERCENT)));
	json_array_append_new(f->current, a);
	return APP_OK;
}

/* The canonical snapshot of meeting (caller frees), or NULL with *rc. */
static char *snapshot(struct app *app, long long meeting, const char *sealed_at, bool *dialogue, enum app_err *rc)
{
	json_t *root = json_object();
	struct facts f = { .outcomes = json_array() };
	json_object_set_new(root, "outcomes", f.outcomes);
	json_object_set_new(root, "sealed_at", json_string(sealed_at));
	*rc = store_seal_meeting(app->store, meeting, meeting_row, root);
	if (!*rc)
		*rc = store_seal_facts(app->store, meeting, fact_row, &f);
	const char *kind = json_string_value(json_object_get(json_object_get(root, "meeting"), "kind"));
	*dialogue = kind && strcmp(kind, "strategic_dialogue") == 0;
	char *text = *rc ? NULL : json_dumps(root, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(root);
	return text;
}

static void b64url(char *out, size_t n, const unsigned char *bin, size_t len)
{
	sodium_bin2base64(out, n, bin, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* The signed bytes: the prefix, then the snapshot. */
static void signed_message(struct buf *m, const char *snap)
{
	buf_adds(m, SEAL_PREFIX);
	buf_adds(m, snap);
}

static void sha256_hex(const char *s, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* The seal file of snap, signed with k. */
static char *seal_file(long long meeting, const char *sealed_at, const char *snap, const struct certsign_key *k)
{
	struct buf m = BUF_INIT;
	signed_message(&m, snap);
	unsigned char sig[crypto_sign_BYTES];
	crypto_sign_detached(sig, NULL, (const unsigned char *)m.data, m.len, k->sk);
	buf_release(&m);
	char sig_text[100], pk_text[64], hex[65];
	b64url(sig_text, sizeof sig_text, sig, sizeof sig);
	b64url(pk_text, sizeof pk_text, k->pk, sizeof k->pk);
	sha256_hex(snap, hex);
	json_t *f = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s}", "format", SEAL_FORMAT, "meeting", (json_int_t)meeting,
			      "sealed_at", sealed_at, "snapshot", snap, "sha256", hex, "signature", sig_text, "public_key",
			      pk_text);
	char *text = json_dumps(f, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(f);
	return text;
}

enum app_err seal_edition(struct app *app, long long meeting, const char *actor, struct buf *file)
{
	char sealed_at[21];
	util_now(sealed_at);
	bool dialogue = false;
	enum app_err rc;
	char *snap = snapshot(app, meeting, sealed_at, &dialogue, &rc);
	if (!rc && !dialogue)
		rc = APP_INVALID;
	struct certsign_key k;
	if (!rc)
		rc = certsign_key(app, &k);
	char *text = rc ? NULL : seal_file(meeting, sealed_at, snap, &k);
	sodium_memzero(&k, sizeof k);
	if (!rc)
		rc = store_seal_add(app->store, meeting, sealed_at, actor, text);
	if (!rc)
		buf_adds(file, text);
	free(text);
	free(snap);
	return rc;
}

/* ---- checking -------------------------------------------------------------------------- */

/* A string member of f, or NULL when absent or holding a NUL (what is
 * hashed and signed is the whole string, never a part of it). */
static const char *field(json_t *f, const char *name)
{
	json_t *v = json_object_get(f, name);
	const char *s = json_string_value(v);
	return s && strlen(s) == json_string_length(v) ? s : NULL;
}

/* Counts the snapshot's outcomes and actions; false when it is not one. */
static bool count_snapshot(const char *snap, struct seal_check *out)
{
	json_t *s = json_loads(snap, JSON_REJECT_DUPLICATES, NULL);
	json_t *outcomes = json_object_get(s, "outcomes");
	bool ok = json_is_array(outcomes) && json_is_object(json_object_get(s, "meeting"));
	size_t i;
	json_t *o;
	json_array_foreach(outcomes, i, o) {
		json_t *actions = json_object_get(o, "actions");
		out->outcomes++;
		out->actions += json_is_array(actions) ? (long long)json_array_size(actions) : 0;
	}
	json_decref(s);
	return ok;
}

const char *seal_verify(const char *text, size_t n, struct seal_check *out)
{
	memset(out, 0, sizeof *out);
	json_t *f = json_loadb(text, n, JSON_REJECT_DUPLICATES, NULL);
	const char *why = NULL, *snap = field(f, "snapshot"), *hash = field(f, "sha256"), *sig = field(f, "signature"),
		   *pk = field(f, "public_key"), *format = field(f, "format");
	unsigned char sig_bin[crypto_sign_BYTES], pk_bin[crypto_sign_PUBLICKEYBYTES];
	size_t sig_len = 0, pk_len = 0;
	char hex[65];
	if (!json_is_object(f))
		why = "this is not a seal: not a JSON object";
	else if (!format || strcmp(format, SEAL_FORMAT) != 0)
		why = "this is not a seal of this format (\"format\": \"" SEAL_FORMAT "\")";
	else if (!snap || !hash || !sig || !pk)
		why = "the seal lacks its snapshot, sha256, signature or public_key";
	else if (sha256_hex(snap, hex), strcmp(hex, hash) != 0)
		why = "the snapshot was changed: its SHA-256 is not the seal's";
	else if (sodium_base642bin(sig_bin, sizeof sig_bin, sig, strlen(sig), NULL, &sig_len, NULL,
				   sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
		 sig_len != sizeof sig_bin ||
		 sodium_base642bin(pk_bin, sizeof pk_bin, pk, strlen(pk), NULL, &pk_len, NULL,
				   sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
		 pk_len != sizeof pk_bin)
		why = "the signature or the public key is not base64url of the right length";
	else {
		struct buf m = BUF_INIT;
		signed_message(&m, snap);
		if (crypto_sign_verify_detached(sig_bin, (const unsigned char *)m.data, m.len, pk_bin) != 0)
			why = "the signature does not verify: the seal was changed, or signed with another key";
		buf_release(&m);
	}
	if (!why && !count_snapshot(snap, out))
		why = "the snapshot is not an edition's";
	if (!why) {
		json_t *id = json_object_get(f, "meeting");
		out->meeting = json_is_integer(id) ? (long long)json_integer_value(id) : 0;
		snprintf(out->sealed_at, sizeof out->sealed_at, "%s", field(f, "sealed_at") ? field(f, "sealed_at") : "");
		snprintf(out->sha256, sizeof out->sha256, "%s", hash);
		snprintf(out->public_key, sizeof out->public_key, "%s", pk);
		sodium_bin2hex(out->public_key_hex, sizeof out->public_key_hex, pk_bin, sizeof pk_bin);
	}
	json_decref(f);
	return why;
}

bool seal_each_action(const char *file, seal_action_fn fn, void *ctx)
{
	json_t *f = json_loads(file, 0, NULL);
	json_t *s = json_loads(field(f, "snapshot") ? field(f, "snapshot") : "", 0, NULL);
	bool ok = json_is_object(s);
	size_t i, k;
	json_t *o, *a;
	json_array_foreach(json_object_get(s, "outcomes"), i, o) {
		json_array_foreach(json_object_get(o, "actions"), k, a) {
			json_t *id = json_object_get(a, "id"), *pct = json_object_get(a, "percent");
			const char *status = json_string_value(json_object_get(a, "status"));
			if (json_is_integer(id))
				fn(ctx, (long long)json_integer_value(id), status ? status : "",
				   json_is_integer(pct) ? (long long)json_integer_value(pct) : 0);
		}
	}
	json_decref(s);
	json_decref(f);
	return ok;
}
