/* store_training.c — see store_training.h.  Hand-written SQL over the
 * registry's tables (course, training_session, participant, enrolment,
 * theme, country), in the subset SQLite and PostgreSQL share.  Every value
 * is bound; nothing from outside becomes SQL. */
#define _POSIX_C_SOURCE 200809L
#include "store_training.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "store_training_int.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

/* ---- certificate numbers ------------------------------------------------------------ */

/* Crockford's base32: digits and letters without I, L, O and U. */
static const char cert_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
#define CERT_RANDOM 8  /* characters: 40 random bits */
#define CERT_TRIES 8   /* draws before giving up (a collision is ~1e-5 at 1e7 numbers) */

bool store_training_certificate_well_formed(const char *s)
{
	if (!s || strlen(s) != 3 + 4 + 1 + CERT_RANDOM || strncmp(s, CERT_PREFIX, 3) != 0)
		return false;
	for (int i = 3; i < 7; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	if (s[7] != '-')
		return false;
	for (int i = 8; s[i]; i++)
		if (!strchr(cert_alphabet, s[i]))
			return false;
	return true;
}

/* The length of a separator a person may type inside a number at s: a
 * space, a tab, a dash, or in UTF-8 a non-breaking space (U+00A0, U+202F)
 * or a typographic dash (U+2010 to U+2015, U+2212); 0 for anything else. */
static size_t separator_len(const unsigned char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '-')
		return 1;
	if (s[0] == 0xC2 && s[1] == 0xA0)
		return 2;
	if (s[0] == 0xE2 && ((s[1] == 0x80 && ((s[2] >= 0x90 && s[2] <= 0x95) || s[2] == 0xAF)) ||
			     (s[1] == 0x88 && s[2] == 0x92)))
		return 3;
	return 0;
}

/* The digit of Crockford's base32 that a look-alike letter stands for. */
static char crockford(char c)
{
	return c == 'O' ? '0' : c == 'I' || c == 'L' ? '1' : c;
}

bool store_training_certificate_normalise(const char *typed, char out[CERT_NUMBER_MAX])
{
	enum { LETTERS = sizeof CERT_PREFIX - 2, YEAR = 4 }; /* "PO" without its dash */
	char c[LETTERS + YEAR + CERT_RANDOM + 1];
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)typed; *p;) {
		size_t sep = separator_len(p);
		if (sep) {
			p += sep;
			continue;
		}
		if (n == sizeof c - 1)
			return false;
		char up = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : (char)*p;
		c[n] = n >= LETTERS + YEAR ? crockford(up) : up;
		n++, p++;
	}
	if (n != sizeof c - 1)
		return false;
	c[n] = '\0';
	snprintf(out, CERT_NUMBER_MAX, "%.*s-%.*s-%s", (int)LETTERS, c, (int)YEAR, c + LETTERS, c + LETTERS + YEAR);
	return store_training_certificate_well_formed(out);
}

static void certificate_draw(char out[CERT_NUMBER_MAX])
{
	unsigned char r[5]; /* 40 bits = 8 × 5 */
	randombytes_buf(r, sizeof r);
	unsigned long long bits = 0;
	for (int i = 0; i < 5; i++)
		bits = bits << 8 | r[i];
	char today[11];
	util_today(today);
	char tail[CERT_RANDOM + 1];
	for (int i = CERT_RANDOM - 1; i >= 0; i--, bits >>= 5)
		tail[i] = cert_alphabet[bits & 31];
	tail[CERT_RANDOM] = '\0';
	snprintf(out, CERT_NUMBER_MAX, CERT_PREFIX "%.4s-%s", today, tail);
}

/* A number not given yet, into out (inside the caller's transaction). */
static enum app_err certificate_free(struct conn *c, char out[CERT_NUMBER_MAX])
{
	for (int tries = 0; tries < CERT_TRIES; tries++) {
		certificate_draw(out);
		/* Drawn again when taken: a failed write on the unique index
		 * would end the whole transaction on PostgreSQL. */
		long long one;
		bool taken = false;
		enum app_err rc = conn_value(c, "SELECT 1 FROM enrolment WHERE certificate = ?", BIND(p_text(out)), &one,
					     &taken);
		if (rc || !taken)
			return rc;
	}
	return APP_CONFLICT;
}

enum app_err store_training_certificate_before(struct store *st, struct write *w)
{
	struct record *r = w->after; /* an enrolment's */
	if (!r || !rec_int_or(r, ENROLMENT_COMPLETED, 0) || rec_text(r, ENROLMENT_CERTIFICATE))
		return APP_OK;
	struct conn *c;
	char number[CERT_NUMBER_MAX];
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = certificate_free(c, number)))
		return rc;
	rec_set_text(r, ENROLMENT_CERTIFICATE, number);
	if (w->changed)
		w->changed[ENROLMENT_CERTIFICATE] = true;
	return APP_OK;
}

struct pending {
	long long *ids;
	size_t n, cap;
};

static enum app_err pending_row(void *ctx, const struct row *row)
{
	struct pending *p = ctx;
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->ids = xrealloc(p->ids, p->cap * sizeof *p->ids);
	}
	p->ids[p->n++] = row_int(row, 0);
	return APP_OK;
}

#define CERT_CHUNK MAX_PARAMS /* numbers checked at once (one parameter each) */

static enum app_err taken_row(void *ctx, const struct row *row)
{
	char (*numbers)[CERT_NUMBER_MAX] = ctx;
	for (int i = 0; i < CERT_CHUNK && numbers[i][0]; i++)
		if (strcmp(numbers[i], row_text(row, 0)) == 0)
			numbers[i][1] = '\0'; /* drawn again */
	return APP_OK;
}

/* Draws a number for each of n enrolments (no two alike, none given
 * before): the numbers that another enrolment holds are drawn again. */
static enum app_err draw_free(struct conn *c, char (*numbers)[CERT_NUMBER_MAX], size_t n)
{
	for (int tries = 0; tries < CERT_TRIES; tries++) {
		bool again = false;
		for (size_t i = 0; i < n; i++) {
			bool dup = strlen(numbers[i]) < 2;
			for (size_t k = 0; k < i && !dup; k++)
				dup = strcmp(numbers[k], numbers[i]) == 0;
			if (dup) {
				certificate_draw(numbers[i]);
				again = true;
			}
		}
		if (!again && tries)
			return APP_OK;
		struct stmt s;
		stmt_init(&s);
		buf_adds(&s.sql, "SELECT certificate FROM enrolment WHERE certificate IN (");
		for (size_t i = 0; i < n; i++)
			stmt_add(&s, i ? ",?" : "?", BIND(p_text(numbers[i])));
		buf_addc(&s.sql, ')');
		enum app_err rc = conn_walk(c, &s, taken_row, numbers, NULL);
		stmt_release(&s);
		if (rc)
			return rc;
	}
	return APP_CONFLICT;
}

/* Numbers the enrolments ids[0..n). */
static enum app_err number_chunk(struct conn *c, const long long *ids, size_t n)
{
	char numbers[CERT_CHUNK][CERT_NUMBER_MAX] = { { 0 } };
	enum app_err rc = draw_free(c, numbers, n);
	for (size_t i = 0; !rc && i < n; i++)
		rc = conn_do(c, "UPDATE enrolment SET certificate = ? WHERE id = ?", BIND(p_text(numbers[i]), p_int(ids[i])));
	return rc;
}

enum app_err store_training_certificate_assign_since(struct store *st, long long since, long long *n)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	struct pending p = { 0 };
	rc = conn_each(c, "SELECT id FROM enrolment WHERE id > ? AND completed = 1 AND certificate IS NULL ORDER BY id",
		       BIND(p_int(since)), pending_row, &p);
	for (size_t i = 0; !rc && i < p.n; i += CERT_CHUNK)
		rc = number_chunk(c, p.ids + i, p.n - i < CERT_CHUNK ? p.n - i : CERT_CHUNK);
	if (!rc && n)
		*n = (long long)p.n;
	free(p.ids);
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

/* ---- reads ---------------------------------------------------------------------------- */

#define ROSTER_SELECT                                                                             \
	"SELECT e.id, e.participant, p.family_name, p.given_names, p.country, k.name_fr, k.name_en, " \
	"k.name_ar, p.agency, e.days_attended, e.pre_score, e.post_score, e.satisfaction, "          \
	"e.completed, e.certificate, e.version FROM enrolment e "                                     \
	"JOIN participant p ON p.id = e.participant LEFT JOIN country k ON k.code = p.country "

enum app_err store_training_roster(struct store *st, long long session, long long limit, long long offset,
				   row_fn fn, void *ctx)
{
	return store_each(st, ROSTER_SELECT "WHERE e.session = ? ORDER BY p.family_name, p.given_names, e.id LIMIT ? OFFSET ?",
			  BIND(p_int(session), p_int(limit), p_int(offset)), fn, ctx);
}

enum app_err store_training_roster_row(struct store *st, long long enrolment, row_fn fn, void *ctx)
{
	return store_one(st, ROSTER_SELECT "WHERE e.id = ?", BIND(p_int(enrolment)), fn, ctx);
}

void store_training_row_counts(const struct row *row, int col, struct sdc_counts *n)
{
	*n = (struct sdc_counts){ .enrolments = row_int(row, col), .completed = row_int(row, col + 1),
				  .key_enrolments = row_int(row, col + 2), .key_completed = row_int(row, col + 3),
				  .scored = row_int(row, col + 4), .key_scored = row_int(row, col + 5), .people = -1 };
}

static enum app_err counts_row(void *ctx, const struct row *row)
{
	struct store_training_counts *t = ctx;
	store_training_row_counts(row, 0, &t->n);
	t->gain_sum = row_int(row, TR_COUNTS_COLUMNS);
	return APP_OK;
}

static enum app_err people_row(void *ctx, const struct row *row)
{
	struct store_training_counts *t = ctx;
	t->n.people = row_int(row, 0);
	t->n.key_people = row_int(row, 1);
	return APP_OK;
}

enum app_err store_training_counts_where(struct store *st, struct stmt *where, struct store_training_counts *out)
{
	memset(out, 0, sizeof *out);
	struct stmt all, people;
	stmt_init(&all);
	stmt_init(&people);
	buf_printf(&all.sql, "SELECT " TR_COUNTS ", COALESCE(SUM(CASE WHEN " TR_SCORED " THEN e.post_score - e.pre_score "
			     "ELSE 0 END), 0) FROM enrolment e %s", buf_cstr(&where->sql));
	/* each person once, with their participant's key */
	buf_printf(&people.sql, "SELECT COUNT(*), COALESCE(SUM(q.rkey), 0) FROM participant q WHERE q.id IN "
				"(SELECT e.participant FROM enrolment e %s AND e.completed = 1)",
		   buf_cstr(&where->sql));
	for (int i = 0; i < where->np; i++) {
		stmt_param(&all, where->p[i]);
		stmt_param(&people, where->p[i]);
	}
	stmt_release(where);
	enum app_err rc = store_walk(st, &all, counts_row, out);
	enum app_err rp = store_walk(st, &people, people_row, out);
	return rc ? rc : rp;
}

enum app_err store_training_counts_by(struct store *st, const char *where_sql, long long id,
				      struct store_training_counts *out)
{
	struct stmt where;
	stmt_init(&where);
	stmt_add(&where, where_sql, BIND(p_int(id)));
	return store_training_counts_where(st, &where, out);
}

enum app_err store_training_session_counts(struct store *st, long long session, struct store_training_counts *out)
{
	return store_training_counts_by(st, "WHERE e.session = ?", session, out);
}

enum app_err store_training_history(struct store *st, long long participant, row_fn fn, void *ctx)
{
	return store_each(st, "SELECT e.id, e.session, s.start_date, s.end_date, s.venue, s.course, co.title_fr, "
			      "co.title_en, co.title_ar, e.days_attended, e.pre_score, e.post_score, e.satisfaction, "
			      "e.completed, e.certificate FROM enrolment e JOIN training_session s ON s.id = e.session "
			      "JOIN course co ON co.id = s.course WHERE e.participant = ? "
			      "ORDER BY s.start_date DESC, e.id DESC",
			  BIND(p_int(participant)), fn, ctx);
}

enum app_err store_training_courses(struct store *st, row_fn fn, void *ctx)
{
	return store_each(st, "SELECT co.id, co.title_fr, co.title_en, co.title_ar, co.theme, th.name_fr, th.name_en, "
			      "th.name_ar, co.level, co.days, co.languages, co.audience_fr, co.audience_en, "
			      "co.audience_ar, co.sample FROM course co LEFT JOIN theme th ON th.code = co.theme "
			      "ORDER BY CASE WHEN co.theme IS NULL THEN 1 ELSE 0 END, co.theme, co.id",
			  NO_BINDS, fn, ctx);
}

enum app_err store_training_next_sessions(struct store *st, const char *today, long long limit, row_fn fn,
					  void *ctx)
{
	return store_each(st, "SELECT s.id, s.course, s.start_date, s.end_date, s.venue, s.mode, s.status "
			      "FROM training_session s WHERE s.status <> 'cancelled' AND s.status <> 'completed' "
			      "AND COALESCE(s.end_date, s.start_date) >= ? ORDER BY s.course, s.start_date, s.id LIMIT ?",
			  BIND(p_text(today), p_int(limit)), fn, ctx);
}

/* What a certificate shows (store_training.h: TRX_*). */
#define CERTIFICATE_SELECT                                                                           \
	"SELECT e.id, e.completed, e.certificate, p.family_name, p.given_names, "                    \
	"co.title_fr, co.title_en, co.title_ar, s.start_date, s.end_date, s.venue, "                 \
	"e.days_attended, e.sample, e.session, co.id FROM enrolment e "                              \
	"JOIN participant p ON p.id = e.participant "                                                \
	"JOIN training_session s ON s.id = e.session JOIN course co ON co.id = s.course "

enum app_err store_training_certificate(struct store *st, long long enrolment, row_fn fn, void *ctx)
{
	return store_one(st, CERTIFICATE_SELECT "WHERE e.id = ?", BIND(p_int(enrolment)), fn, ctx);
}

enum app_err store_training_session_certificates(struct store *st, long long session, row_fn fn, void *ctx)
{
	return store_each(st, CERTIFICATE_SELECT "WHERE e.session = ? AND e.completed = 1 "
			      "AND e.certificate IS NOT NULL ORDER BY p.family_name, p.given_names, e.id",
			  BIND(p_int(session)), fn, ctx);
}

enum app_err store_training_verify(struct store *st, const char *number, row_fn fn, void *ctx, bool *found)
{
	/* The same one indexed lookup whatever the number, well-formed or not:
	 * the answer takes as long for a number that exists as for one that
	 * does not. */
	enum app_err rc = store_one(st, "SELECT co.id, co.title_fr, co.title_en, co.title_ar, s.start_date, s.end_date "
					"FROM enrolment e JOIN training_session s ON s.id = e.session "
					"JOIN course co ON co.id = s.course WHERE e.certificate = ? AND e.completed = 1",
				    BIND(p_text(number)), fn, ctx);
	*found = rc == APP_OK;
	return rc == APP_NOT_FOUND ? APP_OK : rc;
}
