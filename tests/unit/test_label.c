/* test_label.c — label.c: the registry's label rules turned into text, from
 * the columns the store reads (here a row of strings): separators left out
 * with empty items, nested labels, ranges and amounts, languages, isolates
 * for Arabic readers, private fields giving way to the record's number, and
 * the records of a set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "i18n.h"
#include "label.h"
#include "registry.h"

/* A row of strings (NULL: SQL NULL). */
#define COLS 256
struct dbrows {
	const char *v[COLS];
};

static const char *fake_text(struct dbrows *r, int col)
{
	return col >= 0 && col < COLS ? r->v[col] : NULL;
}

static long long fake_integer(struct dbrows *r, int col)
{
	const char *s = fake_text(r, col);
	return s ? atoll(s) : 0;
}

static const struct db_ops fake = { .name = "fake", .text = fake_text, .integer = fake_integer };

static struct dbrows rs;
static const struct row row = { .ops = &fake, .rs = &rs };

static int setup_group(void **state)
{
	(void)state;
	i18n_init();
	registry_init();
	return 0;
}

static int setup(void **state)
{
	(void)state;
	memset(&rs, 0, sizeof rs);
	return 0;
}

/* The path of an op of a rule: "course.title", "course:" (an opened
 * record's key), relative to the record the label is of. */
static void op_path(const struct label_op *op, char *out, size_t n)
{
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < op->nhops; i++)
		len += (size_t)snprintf(out + len, n - len, "%s.", op->hops[i]->name);
	snprintf(out + len, n - len, "%s%s", op->f->name, op->kind == LB_OPEN ? ":" : "");
}

/* Sets the column(s) of the op at path in the label of e starting at base
 * (value2: the second column of a range or an amount; for a multilingual
 * field, value is the French text). */
static void set(const struct entity *e, int base, const char *path, const char *value, const char *value2)
{
	char p[200];
	for (int i = 0; i < e->label_nops; i++) {
		const struct label_op *op = &e->label_ops[i];
		if (op->kind != LB_VALUE && op->kind != LB_RANGE && op->kind != LB_MONEY && op->kind != LB_OPEN)
			continue;
		op_path(op, p, sizeof p);
		if (strcmp(p, path) != 0)
			continue;
		rs.v[base + op->col] = value;
		if (op->kind == LB_RANGE || op->kind == LB_MONEY)
			rs.v[base + op->col + 1] = value2;
		return;
	}
	fail_msg("no op %s in the label of %s", path, e->name);
}

static char *label(const struct entity *e, enum lang lang, enum role role, enum label_mode mode)
{
	struct label_reader r = { .lang = lang, .role = role, .mode = mode };
	struct buf b = BUF_INIT;
	label_own(&b, &r, e, &row);
	return buf_detach(&b);
}

#define assert_label(e, lang, role, mode, want)                  \
	do {                                                      \
		char *got_ = label(e, lang, role, mode);          \
		assert_string_equal(got_, want);                  \
		free(got_);                                       \
	} while (0)

/* Sets the path of e's label op at base, as named from a record `at` of it ("session."). */
static void set_at(const struct entity *e, int base, const char *at, const char *path, const char *v, const char *v2)
{
	char full[200];
	snprintf(full, sizeof full, "%s%s", at, path);
	set(e, base, full, v, v2);
}

/* A session's label columns, as those of e (a session or what names one) at base. */
static void session_at(const struct entity *e, int base, const char *at, const char *venue)
{
	set_at(e, base, at, "course:", "3", NULL);
	set_at(e, base, at, "course.title", "Cours", NULL);
	set_at(e, base, at, "venue", venue, NULL);
	set_at(e, base, at, "start_date", "2025-03-10", "2025-03-14");
}

static void session(const struct entity *s, const char *venue)
{
	rs.v[ent_keyfield(s)->col] = "7";
	session_at(s, s->ncols, "", venue);
}

static void test_separators(void **state)
{
	(void)state;
	const struct entity *s = ent_by_name("training_session");
	session(s, "Rabat");
	assert_label(s, LANG_FR, ROLE_ADMIN, LABEL_DATA, "Cours — Rabat, 10–14 mars 2025");
	assert_label(s, LANG_EN, ROLE_ADMIN, LABEL_DATA, "Cours — Rabat, 10–14 March 2025");
	/* an empty item goes with its separator; the stronger one stays */
	session(s, NULL);
	assert_label(s, LANG_FR, ROLE_ADMIN, LABEL_DATA, "Cours — 10–14 mars 2025");
	session(s, "Rabat");
	set(s, s->ncols, "course:", NULL, NULL); /* a course the reader may not see */
	assert_label(s, LANG_FR, ROLE_ADMIN, LABEL_DATA, "Rabat, 10–14 mars 2025");
	/* ranges: one day, across months, an open end */
	set(s, s->ncols, "course:", "3", NULL);
	set(s, s->ncols, "start_date", "2025-03-28", "2025-04-02");
	assert_label(s, LANG_FR, ROLE_ADMIN, LABEL_DATA, "Cours — Rabat, 28 mars 2025 – 2 avril 2025");
	set(s, s->ncols, "start_date", "2025-03-28", "2025-03-28");
	assert_label(s, LANG_FR, ROLE_ADMIN, LABEL_DATA, "Cours — Rabat, 28 mars 2025");
	set(s, s->ncols, "start_date", "2025-03-28", NULL);
	assert_label(s, LANG_FR, ROLE_ADMIN, LABEL_DATA, "Cours — Rabat, 28 mars 2025");
	/* nothing at all: the record's neutral name */
	memset(&rs, 0, sizeof rs);
	rs.v[ent_keyfield(s)->col] = "7";
	assert_label(s, LANG_FR, ROLE_ADMIN, LABEL_DATA, "Session de formation 7");
}

static void test_html_and_arabic(void **state)
{
	(void)state;
	const struct entity *s = ent_by_name("training_session");
	session(s, "Rabat & Salé");
	assert_label(s, LANG_FR, ROLE_ADMIN, LABEL_HTML,
		     "Cours — Rabat &amp; Salé, 10–<time datetime=\"2025-03-14\">14 mars 2025</time>");
	char *ar = label(s, LANG_AR, ROLE_ADMIN, LABEL_HTML);
	/* the French title marked as French, the city and the range isolated, the Arabic comma */
	assert_non_null(strstr(ar, "<span lang=\"fr\" dir=\"ltr\">Cours</span> — <bdi>Rabat &amp; Salé</bdi>، <bdi>10–<time"));
	free(ar);
	char *text = label(s, LANG_AR, ROLE_ADMIN, LABEL_TEXT);
	assert_non_null(strstr(text, "\xe2\x81\xa8" "Cours" "\xe2\x81\xa9 — \xe2\x81\xa8" "Rabat & Salé" "\xe2\x81\xa9، \xe2\x81\xa8" "10–"));
	free(text);
	char *data = label(s, LANG_AR, ROLE_ADMIN, LABEL_DATA); /* data: no isolates */
	assert_null(strstr(data, "\xe2\x81\xa8"));
	assert_non_null(strstr(data, "Cours — Rabat & Salé، 10–14 "));
	free(data);
}

static void participant(const struct entity *p, int base)
{
	set(p, base, "family_name", "Labelle", NULL);
	set(p, base, "given_names", "Amina", NULL);
	set(p, base, "country:", "MA", NULL);
	set(p, base, "country.name", "Maroc", NULL);
	set(p, base, "agency", "police", NULL);
}

static void test_private_fields(void **state)
{
	(void)state;
	const struct entity *p = ent_by_name("participant");
	rs.v[ent_keyfield(p)->col] = "12";
	participant(p, p->ncols);
	assert_label(p, LANG_FR, ROLE_OFFICER, LABEL_DATA, "Labelle, Amina (Maroc, Police)");
	/* a focal point: the record's number in place of the name (the store gives no name) */
	set(p, p->ncols, "family_name", NULL, NULL);
	set(p, p->ncols, "given_names", NULL, NULL);
	assert_label(p, LANG_FR, ROLE_FOCAL, LABEL_DATA, "Participant 12 (Maroc, Police)");
	/* a group keeps the separator just before it */
	set(p, p->ncols, "family_name", "Labelle", NULL);
	assert_label(p, LANG_FR, ROLE_OFFICER, LABEL_DATA, "Labelle (Maroc, Police)");
	set(p, p->ncols, "country:", NULL, NULL);
	set(p, p->ncols, "agency", NULL, NULL);
	assert_label(p, LANG_FR, ROLE_OFFICER, LABEL_DATA, "Labelle");
}

static void test_nested(void **state)
{
	(void)state;
	const struct entity *e = ent_by_name("enrolment");
	rs.v[ent_keyfield(e)->col] = "1";
	set(e, e->ncols, "participant:", "12", NULL);
	set(e, e->ncols, "participant.family_name", "Labelle", NULL);
	set(e, e->ncols, "participant.given_names", "Amina", NULL);
	set(e, e->ncols, "participant.country:", "MA", NULL);
	set(e, e->ncols, "participant.country.name", "Maroc", NULL);
	set(e, e->ncols, "session:", "7", NULL);
	session_at(e, e->ncols, "session.", "Rabat");
	/* a named record: its first part, the rest in parentheses */
	assert_label(e, LANG_FR, ROLE_ADMIN, LABEL_DATA, "Labelle, Amina (Maroc) — Cours (Rabat, 10–14 mars 2025)");
	/* the reference's own label, as the page and the API show it */
	const struct field *f = ent_field(e, "session");
	rs.v[f->label_col] = "7";
	session_at(f->target, f->label_col + 1, "", "Rabat");
	struct label_reader r = { .lang = LANG_FR, .role = ROLE_ADMIN, .mode = LABEL_DATA };
	struct buf b = BUF_INIT;
	assert_true(label_ref(&b, &r, f, &row));
	assert_string_equal(buf_cstr(&b), "Cours — Rabat, 10–14 mars 2025");
	rs.v[f->label_col] = NULL; /* a session the reader may not see */
	buf_reset(&b);
	assert_false(label_ref(&b, &r, f, &row));
	assert_int_equal(b.len, 0);
	buf_release(&b);
	/* a period: its indicator, whose result shows its first part only */
	const struct entity *pe = ent_by_name("indicator_period");
	memset(&rs, 0, sizeof rs);
	set(pe, pe->ncols, "indicator:", "1", NULL);
	set(pe, pe->ncols, "indicator.title", "Personnes formées", NULL);
	set(pe, pe->ncols, "indicator.result:", "1", NULL);
	set(pe, pe->ncols, "indicator.result.title", "Agents formés", NULL);
	set(pe, pe->ncols, "start_date", "2025-01-01", "2025-12-31");
	set(pe, pe->ncols, "sex", "female", NULL);
	assert_label(pe, LANG_EN, ROLE_ADMIN, LABEL_DATA,
		     "Personnes formées (Agents formés) — 1 January 2025 – 31 December 2025, Female");
}

static void test_money(void **state)
{
	(void)state;
	const struct entity *t = ent_by_name("funding_transaction");
	set(t, t->ncols, "programme:", "1", NULL);
	set(t, t->ncols, "programme.title", "Programme", NULL);
	set(t, t->ncols, "kind", "disbursement", NULL);
	set(t, t->ncols, "date", "2025-05-06", NULL);
	set(t, t->ncols, "amount", "1234567", "USD");
	assert_label(t, LANG_FR, ROLE_ADMIN, LABEL_DATA, "Programme — décaissement, 6 mai 2025, 12\u202f345,67\u00a0USD");
	set(t, t->ncols, "amount", "5", "XOF");
	assert_label(t, LANG_FR, ROLE_ADMIN, LABEL_DATA, "Programme — décaissement, 6 mai 2025, 5\u00a0XOF");
}

struct each {
	char got[400];
};

static void each(void *ctx, const char *key, const char *label)
{
	struct each *x = ctx;
	size_t n = strlen(x->got);
	snprintf(x->got + n, sizeof x->got - n, "[%s=%s]", key, label ? label : "(none)");
}

static void test_sets(void **state)
{
	(void)state;
	const struct entity *p = ent_by_name("programme");
	const struct field *f = ent_field(p, "countries");
	/* each record: key, key again when seen, its label's columns (name fr, en, ar) */
	rs.v[f->label_col] = "MA" LABEL_CELL "MA" LABEL_CELL "Maroc" LABEL_CELL "Morocco" LABEL_CELL LABEL_RECORD
			     "SN" LABEL_CELL LABEL_CELL LABEL_CELL LABEL_CELL LABEL_RECORD
			     "TN" LABEL_CELL "TN" LABEL_CELL LABEL_CELL "Tunisia" LABEL_CELL;
	struct label_reader r = { .lang = LANG_FR, .role = ROLE_FOCAL, .mode = LABEL_DATA };
	struct each x = { "" };
	label_refs(&r, f, &row, each, &x);
	assert_string_equal(x.got, "[MA=Maroc][SN=(none)][TN=Tunisia]");
	rs.v[f->label_col] = NULL; /* an empty set */
	x.got[0] = '\0';
	label_refs(&r, f, &row, each, &x);
	assert_string_equal(x.got, "");
}

static void test_registry(void **state)
{
	(void)state;
	for (size_t i = 0; i < entities_count; i++) {
		const struct entity *e = entities[i];
		assert_true(e->label_nops > 0);
		assert_true(e->label_ncols >= e->label_width);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_separators, setup),
		cmocka_unit_test_setup(test_html_and_arabic, setup),
		cmocka_unit_test_setup(test_private_fields, setup),
		cmocka_unit_test_setup(test_nested, setup),
		cmocka_unit_test_setup(test_money, setup),
		cmocka_unit_test_setup(test_sets, setup),
		cmocka_unit_test(test_registry),
	};
	return cmocka_run_group_tests(tests, setup_group, NULL);
}
