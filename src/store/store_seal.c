/* store_seal.c — see store_seal.h. */
#include "store_seal.h"

#include <stdio.h>
#include <string.h>

#include "store_int.h"
#include "banned.h"

enum app_err store_seal_meeting(struct store *st, long long meeting, row_fn fn, void *ctx)
{
	return store_one(st, "SELECT id, kind, title_fr, title_en, title_ar, start_date, end_date, venue FROM meeting "
			     "WHERE id = ?",
			 BIND(p_int(meeting)), fn, ctx);
}

enum app_err store_seal_facts(struct store *st, long long meeting, row_fn fn, void *ctx)
{
	return store_each(st, "SELECT o.id, o.number, o.kind, o.text_fr, o.text_en, o.text_ar, a.id, a.title_fr, "
			      "a.title_en, a.title_ar, a.owner, a.due_date, a.status, a.percent FROM outcome o "
			      "LEFT JOIN action a ON a.outcome = o.id WHERE o.meeting = ? "
			      "ORDER BY o.number, o.id, a.id",
			  BIND(p_int(meeting)), fn, ctx);
}

enum app_err store_seal_add(struct store *st, long long meeting, const char *sealed_at, const char *actor,
			    const char *file)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	long long had = 0;
	rc = conn_value(c, "SELECT COUNT(*) FROM seal WHERE meeting = ?", BIND(p_int(meeting)), &had, NULL);
	if (!rc && had)
		rc = APP_CONFLICT;
	if (!rc)
		rc = conn_do(c, "INSERT INTO seal (meeting, sealed_at, sealed_by, file) VALUES (?, ?, ?, ?)",
			     BIND(p_int(meeting), p_text(sealed_at), p_text(actor), p_text(file)));
	char key[24];
	snprintf(key, sizeof key, "%lld", meeting);
	if (!rc)
		rc = conn_audit(c, actor, "seal", key, "create", NULL, NULL);
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end; /* (two sealing at once: the second's insert fails on the key) */
}

struct kept_read {
	struct buf *file;
	struct seal_kept *out;
};

static enum app_err kept_row(void *p, const struct row *r)
{
	struct kept_read *k = p;
	row_copy(r, 0, k->out->sealed_at, sizeof k->out->sealed_at);
	row_copy(r, 1, k->out->sealed_by, sizeof k->out->sealed_by);
	buf_adds(k->file, row_text(r, 2) ? row_text(r, 2) : "");
	return APP_OK;
}

enum app_err store_seal_get(struct store *st, long long meeting, struct buf *file_out, struct seal_kept *out)
{
	memset(out, 0, sizeof *out);
	struct kept_read k = { file_out, out };
	return store_one(st, "SELECT sealed_at, sealed_by, file FROM seal WHERE meeting = ?", BIND(p_int(meeting)),
			 kept_row, &k);
}
