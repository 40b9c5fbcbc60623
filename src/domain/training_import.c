/* training_import.c — see training_import.h.
 *
 * Checks each value with the registry's descriptors of the participant or
 * enrolment fields (required, ranges, allowed values, lengths, patterns),
 * as import.c does for needs, and the enrolment's cross-field check. */
#define _POSIX_C_SOURCE 200809L
#include "training_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "domain.h"
#include "entity.h"
#include "names.h"
#include "record.h"
#include "store.h"
#include "store_import.h"
#include "store_training.h"
#include "store_tsum.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

#define TEXT_MAX_DEFAULT 2000
#define RING 512 /* rows written but perhaps still queued (store_import batches ≤ 256) */

bool timport_kind_parse(const char *s, enum timport_kind *out)
{
	if (strcmp(s, "participants") == 0)
		*out = TIMPORT_PARTICIPANTS;
	else if (strcmp(s, "enrolments") == 0)
		*out = TIMPORT_ENROLMENTS;
	else
		return false;
	return true;
}

/* Words spreadsheets use for the columns, normalised (names_norm). */
static const struct {
	const char *word, *field;
} aliases[] = {
	{ "nom", "family_name" }, { "nom_de_famille", "family_name" }, { "surname", "family_name" },
	{ "last_name", "family_name" }, { "prenom", "given_names" }, { "prenoms", "given_names" },
	{ "first_name", "given_names" }, { "given_name", "given_names" }, { "courriel", "email" },
	{ "e_mail", "email" }, { "mail", "email" }, { "telephone", "phone" }, { "tel", "phone" },
	{ "passeport", "document_number" }, { "numero_de_document", "document_number" },
	{ "numero_de_passeport", "document_number" }, { "document", "document_number" },
	{ "date_de_naissance", "birth_date" }, { "naissance", "birth_date" }, { "ne_le", "birth_date" },
	{ "dob", "birth_date" }, { "pays", "country" }, { "agence", "agency" }, { "service", "agency" },
	{ "institution", "agency" }, { "fonction", "function" }, { "poste", "function" }, { "grade", "rank" },
	{ "sexe", "sex" }, { "genre", "sex" }, { "gender", "sex" }, { "age", "age_band" },
	{ "tranche_d_age", "age_band" }, { "echantillon", "sample" }, { "participant_id", "participant" },
	{ "numero_du_participant", "participant" }, { "session_id", "session" },
	{ "numero_de_session", "session" }, { "jours", "days_attended" }, { "jours_de_presence", "days_attended" },
	{ "presence", "days_attended" }, { "pre_test", "pre_score" }, { "score_pre_test", "pre_score" },
	{ "post_test", "post_score" }, { "score_post_test", "post_score" }, { "satisfaction", "satisfaction" },
	{ "termine", "completed" }, { "acheve", "completed" }, { "complete", "completed" },
};

/* Enum words in French that are not the labels (normalised). */
static const struct {
	const char *field, *word, *value;
} enum_words[] = {
	{ "sex", "f", "female" }, { "sex", "femme", "female" }, { "sex", "feminin", "female" },
	{ "sex", "m", "male" }, { "sex", "h", "male" }, { "sex", "homme", "male" }, { "sex", "masculin", "male" },
	{ "agency", "douane", "customs" }, { "agency", "douanes", "customs" },
	{ "agency", "garde_cotes", "coast_guard" }, { "agency", "justice", "judiciary" },
	{ "agency", "penitentiaire", "prison" }, { "agency", "armee", "military" }, { "agency", "autre", "other" },
};

/* The person-identifying columns an enrolment row may give instead of a number. */
static const char *const person_cols[] = { "family_name", "given_names", "country", "birth_date", "document_number" };
#define NPERSON 5

struct col {
	char *header;
	int field; /* of the entity; -1: ignored; -2: a person column of an enrolment (person) */
	int person;
};

struct cname {
	char *name, *code; /* a country's name normalised; its code (borrowed from codes) */
};

static int cname_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cname *)a)->name, ((const struct cname *)b)->name);
}

struct form {
	int field;
	char *norm;
	const char *value;
};

struct ring_entry {
	char *key, *birth, *doc;
	long long id;
	unsigned long long hash; /* of key: most rows compare this alone */
};

static unsigned long long hash_str(const char *s)
{
	unsigned long long h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

struct ctx {
	struct app *app;
	enum timport_kind kind;
	const struct import_opts *o;
	const struct entity *e;
	struct timport_result *res;
	struct col *cols;
	size_t ncols;
	int *targets;          /* field index of each insert column after "id" */
	int ntargets;
	const char **colnames; /* "id", fields..., ["match_key"] */
	int ncolnames;
	struct dbparam *vals;
	char (*scratch)[11];
	struct buf tmp, key;
	struct record rec;
	long long line, next_id;
	bool row_bad;
	/* countries: sorted codes and normalised names */
	char **codes;
	size_t ncodes;
	struct cname *cnames;
	size_t ncnames;
	/* person columns of an enrolment file, and their values in this row */
	int pcol[NPERSON];
	const char *pval[NPERSON];
	char pdate[11];
	struct ring_entry ring[RING];
	size_t ring_n;
	bool ring_on; /* rows wait in batches (PostgreSQL): the ring is how a row
			 sees the people of the rows before it that are not yet written */
	struct form *forms; /* enum_forms */
	size_t nforms;
	/* enrolments of the file (participant, session), sorted when searched */
	long long (*pairs)[2];
	size_t npairs, cap;
};

static void report(struct ctx *x, const char *field, const char *column, const char *msgid, const char *arg)
{
	x->res->errors++;
	if (!x->row_bad)
		x->res->bad_rows += x->line > 1;
	x->row_bad = true;
	if (x->o->on_error) {
		struct import_err e = { .line = x->line, .field = field, .column = column, .msgid = msgid, .arg = arg };
		x->o->on_error(x->o->err_ctx, &e);
	}
}

/* ---- countries ---- */

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum app_err country_row(void *ctx, const struct row *row)
{
	struct ctx *x = ctx;
	const struct entity *e = ent_by_name("country");
	const char *code = row_text(row, ent_keyfield(e)->col);
	if (!code)
		return APP_OK;
	x->codes = xrealloc(x->codes, (x->ncodes + 1) * sizeof *x->codes);
	x->codes[x->ncodes++] = xstrdup(code);
	int name = ent_field(e, "name")->col;
	for (int l = 0; l < 2; l++) {
		const char *n = row_text(row, name + (l ? LANG_EN : LANG_FR));
		if (!n)
			continue;
		names_norm(&x->tmp, n);
		x->cnames = xrealloc(x->cnames, (x->ncnames + 1) * sizeof *x->cnames);
		x->cnames[x->ncnames].name = xstrdup(buf_cstr(&x->tmp));
		x->cnames[x->ncnames++].code = x->codes[x->ncodes - 1];
	}
	return APP_OK;
}

static enum app_err countries_load(struct ctx *x)
{
	struct query q;
	dom_query_init(&q, ent_by_name("country"), NULL);
	q.limit = 10000;
	enum app_err rc = store_list(x->app->store, &q, NULL, country_row, x);
	dom_query_release(&q);
	if (x->ncodes)
		qsort(x->codes, x->ncodes, sizeof *x->codes, str_cmp);
	if (x->ncnames)
		qsort(x->cnames, x->ncnames, sizeof *x->cnames, cname_cmp);
	return rc;
}

static const char *country_find(struct ctx *x, const char *s)
{
	char **hit = x->ncodes ? bsearch(&s, x->codes, x->ncodes, sizeof *x->codes, str_cmp) : NULL;
	if (hit)
		return *hit;
	names_norm(&x->tmp, s);
	struct cname k = { .name = x->tmp.data };
	const struct cname *c = x->ncnames && k.name ? bsearch(&k, x->cnames, x->ncnames, sizeof *x->cnames, cname_cmp) : NULL;
	return c ? c->code : NULL;
}

/* ---- the header ---- */

static bool importable(const struct field *f)
{
	return field_stored(f) && !(f->flags & F_RO) && f->type != FT_I18N;
}

/* The field a heading names (-1: none). */
static int heading_field(struct ctx *x, const char *heading)
{
	names_norm(&x->key, heading);
	const char *k = buf_cstr(&x->key);
	for (size_t a = 0; a < sizeof aliases / sizeof *aliases; a++)
		if (strcmp(k, aliases[a].word) == 0) {
			int i = ent_field_index(x->e, aliases[a].field);
			if (i >= 0)
				return i;
			for (int p = 0; p < NPERSON && x->kind == TIMPORT_ENROLMENTS; p++)
				if (strcmp(aliases[a].field, person_cols[p]) == 0)
					return -2 - p;
		}
	for (int i = 0; i < x->e->nfields; i++) {
		const struct field *f = &x->e->fields[i];
		if (!importable(f))
			continue;
		const char *forms[] = { f->name, f->label, tr(LANG_FR, f->label) };
		for (int k2 = 0; k2 < 3; k2++) {
			names_norm(&x->tmp, forms[k2]);
			if (strcmp(buf_cstr(&x->tmp), k) == 0)
				return i;
		}
	}
	if (x->kind == TIMPORT_ENROLMENTS) {
		const struct entity *pe = ent_by_name("participant");
		for (int p = 0; p < NPERSON; p++) {
			const struct field *f = ent_field(pe, person_cols[p]);
			const char *forms[] = { f->name, f->label, tr(LANG_FR, f->label) };
			for (int k2 = 0; k2 < 3; k2++) {
				names_norm(&x->tmp, forms[k2]);
				if (strcmp(buf_cstr(&x->tmp), k) == 0)
					return -2 - p;
			}
		}
	}
	return -1;
}

static void read_header(struct ctx *x, struct csvin *in)
{
	x->ncols = csvin_count(in);
	x->cols = xcalloc(x->ncols, sizeof *x->cols);
	for (int p = 0; p < NPERSON; p++)
		x->pcol[p] = -1;
	for (size_t c = 0; c < x->ncols; c++) {
		struct col *col = &x->cols[c];
		col->header = xstrdup(csvin_field(in, c));
		names_norm(&x->tmp, col->header);
		col->field = -1;
		if (!x->tmp.len)
			continue;
		int f = heading_field(x, col->header);
		if (f == -1) {
			report(x, NULL, col->header, x->kind == TIMPORT_PARTICIPANTS ? N_("is not a column of participants")
										: N_("is not a column of enrolments"), NULL);
			continue;
		}
		if (f <= -2) {
			if (x->pcol[-2 - f] >= 0)
				report(x, person_cols[-2 - f], col->header, N_("is given twice"), NULL);
			x->pcol[-2 - f] = (int)c;
			continue;
		}
		for (size_t d = 0; d < c; d++)
			if (x->cols[d].field == f)
				report(x, x->e->fields[f].name, col->header, N_("is given twice"), NULL);
		col->field = f;
	}
	for (int i = 0; i < x->e->nfields; i++) {
		const struct field *f = &x->e->fields[i];
		if (!(f->flags & F_REQUIRED) || (f->flags & F_RO))
			continue;
		bool found = false;
		for (size_t c = 0; c < x->ncols; c++)
			found |= x->cols[c].field == i;
		/* an enrolment's participant may be named instead of numbered */
		if (!found && x->kind == TIMPORT_ENROLMENTS && strcmp(f->name, "participant") == 0)
			found = x->pcol[0] >= 0 && x->pcol[2] >= 0 && (x->pcol[3] >= 0 || x->pcol[4] >= 0);
		if (!found)
			report(x, f->name, NULL, N_("is a required column and is missing"), NULL);
	}
}

static void enum_forms(struct ctx *x);

/* The insert's columns: id, every importable field, [match_key]. */
static void plan(struct ctx *x)
{
	const struct entity *e = x->e;
	x->targets = xcalloc((size_t)e->nfields, sizeof *x->targets);
	x->colnames = xcalloc((size_t)e->nfields + 2, sizeof *x->colnames);
	x->colnames[x->ncolnames++] = "id";
	for (int i = 0; i < e->nfields; i++)
		if (i != e->key && importable(&e->fields[i])) {
			x->targets[x->ntargets++] = i;
			x->colnames[x->ncolnames++] = e->fields[i].name;
		}
	if (x->kind == TIMPORT_PARTICIPANTS)
		x->colnames[x->ncolnames++] = "match_key";
	x->vals = xcalloc((size_t)x->ncolnames, sizeof *x->vals);
	x->scratch = xcalloc((size_t)x->ncolnames, sizeof *x->scratch);
	enum_forms(x);
}

/* ---- values ---- */

/* Every way of writing each enum value of the entity (the value, its
 * French and English labels, enum_words), normalised once per import. */
static void enum_forms(struct ctx *x)
{
	for (int i = 0; i < x->e->nfields; i++) {
		const struct field *f = &x->e->fields[i];
		if (f->type != FT_ENUM)
			continue;
		for (const char *const *v = f->values; *v; v++) {
			const char *forms[] = { *v, tr(LANG_FR, *v), tr(LANG_EN, *v) };
			for (int k = 0; k < 3; k++) {
				names_norm(&x->tmp, forms[k]);
				x->forms = xrealloc(x->forms, (x->nforms + 1) * sizeof *x->forms);
				x->forms[x->nforms++] = (struct form){ .field = i, .norm = xstrdup(buf_cstr(&x->tmp)), .value = *v };
			}
		}
		for (size_t w = 0; w < sizeof enum_words / sizeof *enum_words; w++)
			if (strcmp(enum_words[w].field, f->name) == 0) {
				x->forms = xrealloc(x->forms, (x->nforms + 1) * sizeof *x->forms);
				x->forms[x->nforms++] = (struct form){ .field = i, .norm = xstrdup(enum_words[w].word),
								       .value = enum_words[w].value };
			}
	}
}

static const char *enum_find(struct ctx *x, const struct field *f, const char *s, size_t n)
{
	for (const char *const *v = f->values; *v; v++)
		if (strlen(*v) == n && memcmp(*v, s, n) == 0)
			return *v;
	char *copy = xstrndup(s, n);
	names_norm(&x->key, copy);
	free(copy);
	const char *k = buf_cstr(&x->key);
	int fi = (int)(f - x->e->fields);
	for (size_t i = 0; i < x->nforms; i++)
		if (x->forms[i].field == fi && strcmp(x->forms[i].norm, k) == 0)
			return x->forms[i].value;
	return NULL;
}

static struct dbparam default_value(const struct field *f)
{
	long long i;
	if (f->def && util_parse_ll(f->def, &i))
		return (struct dbparam){ .type = DBP_INT, .i = i };
	return (struct dbparam){ .type = DBP_NULL };
}

/* Checks raw as a value of field f (column col) into *v and scratch. */
static void value(struct ctx *x, const struct field *f, const struct col *col, const char *raw,
		  struct dbparam *v, char scratch[11])
{
	size_t n;
	const char *s = cell_trim(raw, &n);
	char arg[64];
	long long i;
	if (n == 0) {
		/* an enrolment's participant may be named instead (enrolment_row) */
		bool named = x->kind == TIMPORT_ENROLMENTS && strcmp(f->name, "participant") == 0;
		if ((f->flags & F_REQUIRED) && !named)
			report(x, f->name, col->header, N_("is required"), NULL);
		*v = default_value(f);
		return;
	}
	const char *bad = NULL;
	if (f->type == FT_REF && strcmp(f->ref, "country") == 0) {
			char *copy = xstrndup(s, n);
			const char *code = country_find(x, copy);
			snprintf(arg, sizeof arg, "%.*s", (int)util_utf8_prefix(copy, 40), copy);
			free(copy);
			if (!code) {
				report(x, f->name, col->header, N_("refers to a record that does not exist: %s"), arg);
				return;
			}
			*v = (struct dbparam){ .type = DBP_TEXT, .s = code };
			return;
	}
	switch (f->type) {
	case FT_REF: /* a number (participant, session), checked in the row */
	case FT_INT:
		if (n >= sizeof arg) {
			bad = N_("must be a whole number");
			break;
		}
		memcpy(arg, s, n);
		arg[n] = '\0';
		if (!util_parse_ll(arg, &i)) {
			bad = N_("must be a whole number");
			break;
		}
		if (f->type == FT_INT && (i < f->min || i > f->max)) {
			snprintf(arg, sizeof arg, "%lld–%lld", f->min, f->max);
			report(x, f->name, col->header, N_("must be between %s"), arg);
			return;
		}
		*v = (struct dbparam){ .type = DBP_INT, .i = i };
		return;
	case FT_DATE:
		if (!cell_date(s, n, scratch)) {
			bad = N_("must be a real date written YYYY-MM-DD or DD/MM/YYYY");
			break;
		}
		*v = (struct dbparam){ .type = DBP_TEXT, .s = scratch };
		return;
	case FT_BOOL: {
		char *copy = xstrndup(s, n);
		names_norm(&x->tmp, copy);
		free(copy);
		if (!cell_bool(buf_cstr(&x->tmp), &i)) {
			bad = N_("must be true or false");
			break;
		}
		*v = (struct dbparam){ .type = DBP_INT, .i = i };
		return;
	}
	case FT_ENUM: {
		const char *e = enum_find(x, f, s, n);
		if (!e) {
			bad = N_("is not one of the allowed values");
			break;
		}
		*v = (struct dbparam){ .type = DBP_TEXT, .s = e };
		return;
	}
	default: { /* FT_TEXT */
		long long max = f->max > 0 ? f->max : TEXT_MAX_DEFAULT;
		if ((long long)n > max && (long long)util_utf8_len(s) > max) {
			snprintf(arg, sizeof arg, "%lld", max);
			report(x, f->name, col->header, N_("is too long (at most %s characters)"), arg);
			return;
		}
		/* the text is trimmed in place: raw is the reader's own buffer */
		((char *)s)[n] = '\0';
		if ((bad = rec_pattern_error(f->pattern, s)))
			break;
		*v = (struct dbparam){ .type = DBP_TEXT, .s = s };
		return;
	}
	}
	report(x, f->name, col->header, bad, NULL);
}

/* ---- duplicates ---- */

struct match {
	struct ctx *x;
	const char *birth, *doc;
	long long confirmed, candidates, conflicting;
};

static void weigh(struct match *m, long long id, const char *birth, const char *doc)
{
	m->candidates++;
	bool b = m->birth && birth && strcmp(m->birth, birth) == 0;
	bool d = m->doc && doc && *doc && strcmp(m->doc, doc) == 0;
	bool bx = m->birth && birth && strcmp(m->birth, birth) != 0;
	bool dx = m->doc && doc && *doc && strcmp(m->doc, doc) != 0;
	if ((b || d) && !bx && !dx) {
		if (!m->confirmed)
			m->confirmed = id;
	} else if (bx || dx) {
		m->conflicting++;
	}
}

static enum app_err match_found(void *ctx, long long id, const char *birth, const char *doc)
{
	struct match *m = ctx;
	for (size_t i = 0; i < m->x->ring_n && i < RING; i++)
		if (m->x->ring[i].id == id)
			return APP_OK; /* seen in the ring already */
	weigh(m, id, birth, doc);
	return APP_OK;
}

/* Looks the key up among the participants (the database, and the last rows
 * of this file, which may still be queued). */
static enum app_err find_person(struct ctx *x, const char *key, const char *birth, const char *doc, struct match *m)
{
	*m = (struct match){ .x = x, .birth = birth, .doc = doc && *doc ? doc : NULL };
	unsigned long long h = hash_str(key);
	for (size_t i = 0; i < x->ring_n && i < RING; i++)
		if (x->ring[i].hash == h && strcmp(x->ring[i].key, key) == 0)
			weigh(m, x->ring[i].id, x->ring[i].birth, x->ring[i].doc);
	return store_training_match(x->app->store, key, match_found, m);
}

static void ring_add(struct ctx *x, const char *key, const char *birth, const char *doc, long long id)
{
	struct ring_entry *r = &x->ring[x->ring_n++ % RING];
	free(r->key);
	free(r->birth);
	free(r->doc);
	r->key = xstrdup(key);
	r->birth = birth ? xstrdup(birth) : NULL;
	r->doc = doc ? xstrdup(doc) : NULL;
	r->id = id;
	r->hash = hash_str(key);
}

/* ---- rows ---- */

static const char *val_text(const struct dbparam *v)
{
	return v->type == DBP_TEXT ? v->s : NULL;
}

static int target_of(const struct ctx *x, const char *field)
{
	int i = ent_field_index(x->e, field);
	for (int k = 0; k < x->ntargets; k++)
		if (x->targets[k] == i)
			return k + 1; /* vals[0] is the id */
	return -1;
}

/* Participants: match, then decide. *write: insert this row. */
static enum app_err participant_row(struct ctx *x, bool *write)
{
	const struct dbparam *v = x->vals;
	int fam = target_of(x, "family_name"), giv = target_of(x, "given_names"), cty = target_of(x, "country");
	int bir = target_of(x, "birth_date"), doc = target_of(x, "document_number");
	names_match_key(&x->key, val_text(&v[fam]), val_text(&v[giv]), val_text(&v[cty]));
	struct match m;
	enum app_err rc = find_person(x, buf_cstr(&x->key), val_text(&v[bir]), val_text(&v[doc]), &m);
	if (rc)
		return rc;
	*write = !m.confirmed;
	if (m.confirmed) {
		x->res->matched++;
		return APP_OK;
	}
	if (m.candidates)
		x->res->likely++;
	x->vals[x->ncolnames - 1] = (struct dbparam){ .type = DBP_TEXT, .s = buf_cstr(&x->key) };
	if (x->ring_on)
		ring_add(x, buf_cstr(&x->key), val_text(&v[bir]), val_text(&v[doc]), x->next_id);
	return APP_OK;
}

static int pair_cmp(const void *a, const void *b)
{
	const long long *p = a, *q = b;
	return p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : p[1] < q[1] ? -1 : p[1] > q[1];
}

/* Enrolments: resolve the participant, check the session and uniqueness. */
static enum app_err enrolment_row(struct ctx *x, struct csvin *in)
{
	int pk = target_of(x, "participant"), sk = target_of(x, "session");
	struct dbparam *pv = &x->vals[pk];
	const struct col *pcol = NULL;
	for (size_t c = 0; c < x->ncols; c++)
		if (x->cols[c].field == x->targets[pk - 1])
			pcol = &x->cols[c];
	enum app_err rc;
	if (pv->type == DBP_NULL) { /* named: family, given, country, birth or document */
		for (int p = 0; p < NPERSON; p++) {
			x->pval[p] = NULL;
			if (x->pcol[p] >= 0 && (size_t)x->pcol[p] < csvin_count(in)) {
				size_t n;
				const char *s = cell_trim(csvin_field(in, (size_t)x->pcol[p]), &n);
				((char *)s)[n] = '\0';
				x->pval[p] = n ? s : NULL;
			}
		}
		const char *country = x->pval[2] ? country_find(x, x->pval[2]) : NULL;
		const char *birth = NULL;
		if (x->pval[3] && !cell_date(x->pval[3], strlen(x->pval[3]), x->pdate))
			report(x, "birth_date", x->cols[x->pcol[3]].header,
			       N_("must be a real date written YYYY-MM-DD or DD/MM/YYYY"), NULL);
		else if (x->pval[3])
			birth = x->pdate;
		if (!x->pval[0] || !country || (!birth && !x->pval[4])) {
			report(x, "participant", NULL,
			       N_("the participant must be given by number, or by family name, country and date of birth or document number"),
			       NULL);
			return APP_OK;
		}
		names_match_key(&x->key, x->pval[0], x->pval[1], country);
		struct match m;
		if ((rc = find_person(x, buf_cstr(&x->key), birth, x->pval[4], &m)))
			return rc;
		if (!m.confirmed) {
			report(x, "participant", NULL, m.candidates
				? N_("matches participants by name and country, but none with this date of birth or document number")
				: N_("no participant has this name and country; import the participant first"), NULL);
			return APP_OK;
		}
		*pv = (struct dbparam){ .type = DBP_INT, .i = m.confirmed };
	} else {
		bool yes = false;
		if ((rc = store_training_exists(x->app->store, ent_by_name("participant"), pv->i, &yes)))
			return rc;
		if (!yes) {
			char arg[24];
			snprintf(arg, sizeof arg, "%lld", pv->i);
			report(x, "participant", pcol ? pcol->header : NULL, N_("refers to a record that does not exist: %s"), arg);
			return APP_OK;
		}
	}
	const struct dbparam *sv = &x->vals[sk];
	if (sv->type != DBP_INT)
		return APP_OK; /* reported as required */
	bool yes = false;
	if ((rc = store_training_exists(x->app->store, ent_by_name("training_session"), sv->i, &yes)))
		return rc;
	char arg[24];
	snprintf(arg, sizeof arg, "%lld", sv->i);
	if (!yes) {
		report(x, "session", NULL, N_("refers to a record that does not exist: %s"), arg);
		return APP_OK;
	}
	if ((rc = store_training_enrolled(x->app->store, pv->i, sv->i, &yes)))
		return rc;
	long long pair[2] = { pv->i, sv->i };
	if (!yes && x->npairs) {
		qsort(x->pairs, x->npairs, sizeof *x->pairs, pair_cmp);
		yes = bsearch(pair, x->pairs, x->npairs, sizeof *x->pairs, pair_cmp) != NULL;
	}
	if (yes) {
		report(x, "session", NULL, N_("the participant is already enrolled in session %s"), arg);
		return APP_OK;
	}
	if (x->npairs == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 256;
		x->pairs = xrealloc(x->pairs, x->cap * sizeof *x->pairs);
	}
	x->pairs[x->npairs][0] = pair[0];
	x->pairs[x->npairs++][1] = pair[1];
	return APP_OK;
}

/* The entity's cross-field check (enrolments: completed needs days). */
static void check_row(struct ctx *x)
{
	if (!x->e->check)
		return;
	for (int k = 0; k < x->ntargets; k++) {
		struct fval *fv = &x->rec.v[x->targets[k]];
		const struct dbparam *v = &x->vals[k + 1];
		fv->set = true;
		fv->null = v->type == DBP_NULL;
		fv->i = v->i;
		fv->s = v->type == DBP_TEXT ? (char *)v->s : NULL;
	}
	struct ferrs errs = { 0 };
	x->e->check(x->e, &x->rec, &errs);
	for (size_t i = 0; i < errs.n; i++)
		report(x, errs.a[i].field, NULL, errs.a[i].msgid, errs.a[i].arg);
	ferrs_release(&errs);
	for (int i = 0; i < x->e->nfields; i++)
		x->rec.v[i].s = NULL;
}

/* Checks one row; *write: it is to be inserted. */
static enum app_err row(struct ctx *x, struct csvin *in, bool *write)
{
	*write = false;
	size_t nf = csvin_count(in);
	bool empty = true;
	for (size_t c = 0; c < nf && empty; c++)
		empty = csvin_len(in, c) == 0;
	if (empty)
		return APP_OK;
	x->res->checked++;
	x->row_bad = false;
	for (size_t c = x->ncols; c < nf; c++)
		if (csvin_len(in, c)) {
			report(x, NULL, NULL, N_("has more fields than the header has columns"), NULL);
			break;
		}
	x->vals[0] = (struct dbparam){ .type = DBP_INT, .i = x->next_id };
	for (int k = 0; k < x->ntargets; k++) {
		const struct field *f = &x->e->fields[x->targets[k]];
		int c = -1;
		for (size_t i = 0; i < x->ncols && c < 0; i++)
			if (x->cols[i].field == x->targets[k])
				c = (int)i;
		if (c < 0 || (size_t)c >= nf) {
			bool named = x->kind == TIMPORT_ENROLMENTS && strcmp(f->name, "participant") == 0;
			if (c >= 0 && (f->flags & F_REQUIRED) && !named)
				report(x, f->name, x->cols[c].header, N_("is required"), NULL);
			x->vals[k + 1] = default_value(f);
			if (strcmp(f->name, "source") == 0 && x->o->name) /* where the row came from */
				x->vals[k + 1] = (struct dbparam){ .type = DBP_TEXT, .s = x->o->name };
			continue;
		}
		value(x, f, &x->cols[c], csvin_field(in, (size_t)c), &x->vals[k + 1], x->scratch[k + 1]);
	}
	enum app_err rc = APP_OK;
	if (x->kind == TIMPORT_ENROLMENTS && !x->row_bad)
		rc = enrolment_row(x, in);
	if (!rc && !x->row_bad)
		check_row(x);
	if (!rc && !x->row_bad && x->kind == TIMPORT_PARTICIPANTS)
		rc = participant_row(x, write);
	else
		*write = !x->row_bad;
	if (*write)
		x->next_id++;
	return rc;
}

static void ctx_release(struct ctx *x)
{
	for (size_t c = 0; c < x->ncols; c++)
		free(x->cols[c].header);
	free(x->cols);
	free(x->targets);
	free(x->colnames);
	free(x->vals);
	free(x->scratch);
	for (size_t i = 0; i < x->ncodes; i++)
		free(x->codes[i]);
	free(x->codes);
	for (size_t i = 0; i < x->ncnames; i++)
		free(x->cnames[i].name);
	free(x->cnames);
	for (size_t i = 0; i < RING; i++) {
		free(x->ring[i].key);
		free(x->ring[i].birth);
		free(x->ring[i].doc);
	}
	free(x->pairs);
	for (size_t i = 0; i < x->nforms; i++)
		free(x->forms[i].norm);
	free(x->forms);
	buf_release(&x->tmp);
	buf_release(&x->key);
	rec_free(&x->rec);
}

enum app_err import_training(struct app *app, enum timport_kind kind, struct csvin *in,
			     const struct import_opts *o, struct timport_result *res)
{
	memset(res, 0, sizeof *res);
	struct ctx *x = xcalloc(1, sizeof *x);
	x->app = app;
	x->kind = kind;
	x->o = o;
	x->res = res;
	x->line = 1;
	x->e = ent_by_name(kind == TIMPORT_PARTICIPANTS ? "participant" : "enrolment");
	if (o->who && !ent_can_write(x->e, o->who->role)) {
		free(x);
		return APP_FORBIDDEN;
	}
	rec_init(&x->rec, x->e);
	enum app_err rc = APP_INVALID;
	enum csvin_rc r = csvin_next(in);
	if (r == CSVIN_ERROR) {
		x->line = csvin_error_line(in);
		report(x, NULL, NULL, N_("the file is not valid CSV: %s"), csvin_error(in));
		goto out;
	}
	if (r == CSVIN_EOF) {
		report(x, NULL, NULL, N_("the file is empty: a header line was expected"), NULL);
		goto out;
	}
	read_header(x, in);
	if (res->errors)
		goto out;
	plan(x);
	long long since = 0;
	struct store_import *im = NULL;
	if ((rc = store_import_begin(app->store, x->e, x->colnames, x->ncolnames, &im)))
		goto out;
	x->ring_on = !store_import_immediate(im);
	if (!(rc = store_training_max_id(app->store, x->e, &since)))
		rc = countries_load(x);
	x->next_id = since + 1;
	enum app_err wrc = rc;
	while (!wrc && (r = csvin_next(in)) == CSVIN_RECORD) {
		x->line = csvin_line(in);
		bool write = false;
		wrc = row(x, in, &write);
		if (!wrc && write && !res->errors)
			wrc = store_import_row(im, x->vals);
		if (o->progress && res->checked % 4096 == 0)
			o->progress(o->progress_ctx, csvin_offset(in), res->checked);
	}
	if (!wrc && r == CSVIN_ERROR) {
		x->line = csvin_error_line(in);
		x->row_bad = false;
		report(x, NULL, NULL, N_("the file is not valid CSV: %s"), csvin_error(in));
	}
	bool ok = !res->errors && !wrc;
	if (ok)
		wrc = store_import_flush(im);
	if (ok && !wrc)
		wrc = store_training_reserve_ids(app->store, x->e, x->next_id - 1);
	if (ok && !wrc && kind == TIMPORT_ENROLMENTS) /* the dashboard's summaries, same transaction */
		wrc = store_training_refresh(app->store, since);
	if (ok && !wrc && kind == TIMPORT_ENROLMENTS) /* completed ones get their certificate numbers */
		wrc = certificate_assign_pending(app->store, NULL);
	ok = ok && !wrc;
	struct buf after = BUF_INIT;
	buf_adds(&after, "{\"import\":");
	buf_json_str(&after, o->name ? o->name : "");
	buf_printf(&after, ",\"rows\":%lld,\"created\":%lld", res->checked, x->next_id - 1 - since);
	if (kind == TIMPORT_PARTICIPANTS)
		buf_printf(&after, ",\"matched\":%lld,\"likely_duplicates\":%lld", res->matched, res->likely);
	buf_adds(&after, "}");
	long long rows = 0;
	rc = store_import_end(im, ok, o->who ? o->who->name : app->actor, buf_cstr(&after), &rows);
	buf_release(&after);
	if (o->progress)
		o->progress(o->progress_ctx, csvin_offset(in), res->checked);
	if (res->errors)
		rc = APP_INVALID;
	else if (wrc)
		rc = wrc;
	else
		res->created = rows;
out:
	ctx_release(x);
	free(x);
	return rc;
}
