/* import.c — see import.h.
 *
 * Why not build a JSON object per row and call rec_from_json: that costs
 * jansson's allocation of a dozen values per row (not measured here; the
 * SQLite inserts alone already take most of the 4 µs a row that 250,000
 * rows/s allows, see bench/README.md "CSV import").  The checks
 * here read the same field descriptors (model.c: required, min/max,
 * values, max length, pattern via rec_pattern_error, util_valid_date) and
 * call the entity's own cross-field check, so the rules keep one source. */
#define _POSIX_C_SOURCE 200809L
#include "import.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "domain.h"
#include "entity.h"
#include "record.h"
#include "store.h"
#include "import_writer.h"
#include "store_import.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

#define DEFAULT_TEXT_MAX 2000 /* as record.c, for a text field without max */
#define NAME_MAX_BYTES 256
#define PROGRESS_EVERY 4096   /* rows */

/* ---- normalised names -------------------------------------------------- */

/* Base letters of U+00C0..U+00FF ("_" for × and ÷). */
static const char *const latin1_fold[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "_", "o", "u", "u", "u", "u", "y", "th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "_", "o", "u", "u", "u", "u", "y", "th", "y",
};

static void put_sep(struct buf *b)
{
	if (b->len && b->data[b->len - 1] != '_')
		buf_addc(b, '_');
}

/* s lower-cased, accents dropped (Latin-1 letters, œ), every run of other
 * ASCII characters and of typographic punctuation turned into one '_',
 * trimmed: "Côte d’Ivoire" and "COTE D'IVOIRE" both give "cote_d_ivoire".
 * Other letters (Arabic) are kept as they are. */
static void norm(const char *str, struct buf *b)
{
	const unsigned char *s = (const unsigned char *)str;
	buf_reset(b);
	buf_adds(b, "");
	while (*s) {
		unsigned c = *s;
		if (c < 0x80) {
			if (isalnum(c))
				buf_addc(b, (char)tolower(c));
			else
				put_sep(b);
			s++;
		} else if (c == 0xC3 && s[1] >= 0x80 && s[1] < 0xC0) {
			const char *f = latin1_fold[s[1] - 0x80];
			if (f[0] == '_')
				put_sep(b);
			else
				buf_adds(b, f);
			s += 2;
		} else if (c == 0xC5 && (s[1] == 0x92 || s[1] == 0x93)) {
			buf_adds(b, "oe");
			s += 2;
		} else if (c == 0xC2 && s[1]) { /* no-break space, «, », ° … */
			put_sep(b);
			s += 2;
		} else if (c == 0xE2 && s[1] == 0x80 && s[2]) { /* ’ “ ” – — … */
			put_sep(b);
			s += 3;
		} else {
			buf_addc(b, (char)*s++);
		}
	}
	while (b->len && b->data[b->len - 1] == '_')
		b->data[--b->len] = '\0';
	if (b->len && b->data[0] == '_') {
		memmove(b->data, b->data + 1, b->len);
		b->len--;
	}
}

/* A sorted table from normalised names to values (country and theme codes,
 * enum values, columns). */
struct name {
	char *key;
	const char *value; /* borrowed */
	int n;             /* columns: field index; else unused */
	int lang;
};

struct names {
	struct name *a;
	size_t n, cap;
	bool sorted;
};

static void names_add(struct names *t, const char *raw, const char *value, int n, int lang)
{
	if (!raw || !*raw)
		return;
	struct buf b = BUF_INIT;
	norm(raw, &b);
	if (!b.len) {
		buf_release(&b);
		return;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->a = xrealloc(t->a, t->cap * sizeof *t->a);
	}
	t->a[t->n++] = (struct name){ .key = buf_detach(&b), .value = value, .n = n, .lang = lang };
	t->sorted = false;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct name *)a)->key, ((const struct name *)b)->key);
}

/* The entry for the normalised key, or NULL. */
static const struct name *names_find(struct names *t, const char *key)
{
	if (!t->sorted) {
		qsort(t->a, t->n, sizeof *t->a, name_cmp);
		t->sorted = true;
	}
	struct name k = { .key = (char *)key };
	return bsearch(&k, t->a, t->n, sizeof *t->a, name_cmp);
}

static void names_release(struct names *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->a[i].key);
	free(t->a);
	memset(t, 0, sizeof *t);
}

/* ---- reference tables ---------------------------------------------------- */

/* The codes and names of every record of a reference entity (countries,
 * themes), read once per import. */
struct reftable {
	const struct entity *e;
	struct names names;
	char **codes;
	size_t ncodes, cap;
};

static enum app_err ref_row(void *ctx, const struct row *row)
{
	struct reftable *t = ctx;
	const struct field *key = ent_keyfield(t->e), *name = ent_field(t->e, "name");
	const char *code = row_text(row, key->col);
	if (!code)
		return APP_OK;
	if (t->ncodes == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 256;
		t->codes = xrealloc(t->codes, t->cap * sizeof *t->codes);
	}
	char *c = xstrdup(code);
	t->codes[t->ncodes++] = c;
	names_add(&t->names, c, c, 0, 0);
	names_add(&t->names, row_text(row, name->col + LANG_FR), c, 0, 0);
	names_add(&t->names, row_text(row, name->col + LANG_EN), c, 0, 0);
	return APP_OK;
}

static int code_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The code itself when s (n bytes) is one, exactly: the common case, with
 * no normalising. */
static const char *exact(const struct reftable *t, const char *s, size_t n)
{
	char key[64];
	if (n >= sizeof key)
		return NULL;
	memcpy(key, s, n);
	key[n] = '\0';
	const char *k = key;
	char **hit = bsearch(&k, t->codes, t->ncodes, sizeof *t->codes, code_cmp);
	return hit ? *hit : NULL;
}

static enum app_err ref_load(struct app *app, struct reftable *t, const struct entity *e)
{
	memset(t, 0, sizeof *t);
	t->e = e;
	struct query q;
	dom_query_init(&q, e, NULL);
	q.limit = 100000;
	enum app_err rc = store_list(app->store, &q, NULL, ref_row, t);
	dom_query_release(&q);
	if (t->ncodes)
		qsort(t->codes, t->ncodes, sizeof *t->codes, code_cmp);
	return rc;
}

static void ref_release(struct reftable *t)
{
	names_release(&t->names);
	for (size_t i = 0; i < t->ncodes; i++)
		free(t->codes[i]);
	free(t->codes);
}

/* ---- the import ------------------------------------------------------------ */

/* What each column of the file is. */
struct column {
	int field;      /* index in the entity; -1: ignored (an empty header) */
	int lang;       /* FT_I18N: which language */
	char *header;   /* as written */
	char *json;     /* JSON-side name: "country", "description_en" */
};

/* One stored column of the insert and where its value comes from. */
struct target {
	int field, lang;
	int column;     /* file column, or -1: the default */
	char name[64];  /* SQL column */
};

struct ctx {
	struct app *app;
	const struct import_opts *o;
	const struct entity *e;
	struct import_result *res;
	struct reftable refs[2]; /* country, theme (by the fields' targets) */
	struct names enums;      /* "field:normalised label" → value */
	struct column *cols;
	size_t ncols;
	struct target *targets;
	int ntargets;
	const char **colnames;
	struct dbparam *vals;
	char (*scratch)[11];     /* converted dates, per target */
	struct buf tmp;
	struct record rec;       /* for the entity's check */
	long long line;
	bool row_bad;
};

static void report(struct ctx *x, const char *field, const char *column, const char *msgid,
		   const char *arg)
{
	x->res->errors++;
	if (!x->row_bad)
		x->res->bad_rows += x->line > 1;
	x->row_bad = true;
	if (x->o->on_error) {
		struct import_err e = { .line = x->line, .field = field, .column = column,
					.msgid = msgid, .arg = arg };
		x->o->on_error(x->o->err_ctx, &e);
	}
}

void import_message(const struct import_err *e, enum lang lang, struct buf *out)
{
	const char *m = tr(lang, e->msgid);
	const char *p = strstr(m, "%s");
	if (!p || !e->arg) {
		buf_adds(out, m);
		return;
	}
	buf_add(out, m, (size_t)(p - m));
	buf_adds(out, e->arg);
	buf_adds(out, p + 2);
}

/* The names a column may have: the JSON name, the label in English and
 * French (for i18n fields followed by the language), and a few words
 * spreadsheets use. */
static void column_names(struct names *t, const struct entity *e)
{
	static const struct {
		const char *name, *field;
		int lang;
	} extra[] = {
		{ "pays", "country" }, { "country_code", "country" }, { "code_pays", "country" },
		{ "thematique", "theme" }, { "theme_code", "theme" },
		{ "date", "assessed_on" }, { "assessment_date", "assessed_on" },
		{ "date_evaluation", "assessed_on" }, { "date_d_evaluation", "assessed_on" },
		{ "gravite", "severity" }, { "severite", "severity" },
		{ "statut", "status" }, { "etat", "status" },
		{ "ref", "reference" },
		{ "evalue_le", "assessed_on" }, { "evalue_par", "source" },
		{ "source_de_l_evaluation", "source" },
		{ "echantillon", "sample" }, { "exemple", "sample" }, { "donnees_d_exemple", "sample" },
		{ "description", "description", LANG_FR },
		{ "description_francais", "description", LANG_FR },
		{ "description_french", "description", LANG_FR },
		{ "description_anglais", "description", LANG_EN },
		{ "description_english", "description", LANG_EN },
		{ "description_arabe", "description", LANG_AR },
		{ "description_arabic", "description", LANG_AR },
	};
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if ((f->flags & F_RO) || !field_stored(f))
			continue;
		if (f->type != FT_I18N) {
			names_add(t, f->name, f->name, i, 0);
			names_add(t, f->label, f->name, i, 0);
			names_add(t, tr(LANG_FR, f->label), f->name, i, 0);
			continue;
		}
		for (int l = 0; l < LANG__MAX; l++) {
			char s[160];
			snprintf(s, sizeof s, "%s_%s", f->name, lang_code[l]);
			names_add(t, s, f->name, i, l);
			snprintf(s, sizeof s, "%s (%s)", f->label, lang_code[l]);
			names_add(t, s, f->name, i, l);
			snprintf(s, sizeof s, "%s (%s)", tr(LANG_FR, f->label), lang_code[l]);
			names_add(t, s, f->name, i, l);
		}
	}
	for (size_t k = 0; k < sizeof extra / sizeof *extra; k++) {
		int i = ent_field_index(e, extra[k].field);
		if (i >= 0)
			names_add(t, extra[k].name, extra[k].field, i, extra[k].lang);
	}
}

/* Reads the header: every column must be known and given once, and every
 * required field present. */
static void read_header(struct ctx *x, struct csvin *in)
{
	struct names t = { 0 };
	column_names(&t, x->e);
	x->ncols = csvin_count(in);
	x->cols = xcalloc(x->ncols, sizeof *x->cols);
	struct buf key = BUF_INIT;
	for (size_t c = 0; c < x->ncols; c++) {
		struct column *col = &x->cols[c];
		col->header = xstrdup(csvin_field(in, c));
		col->field = -1;
		norm(col->header, &key);
		if (!key.len)
			continue; /* an unnamed column (a spreadsheet's last empty one) */
		const struct name *n = names_find(&t, buf_cstr(&key));
		if (!n) {
			report(x, NULL, col->header, N_("is not a column of needs assessments"), NULL);
			continue;
		}
		col->field = n->n;
		col->lang = n->lang;
		const struct field *f = &x->e->fields[n->n];
		col->json = f->type == FT_I18N ? xasprintf("%s_%s", f->name, lang_code[n->lang])
					       : xstrdup(f->name);
		for (size_t d = 0; d < c; d++)
			if (x->cols[d].json && strcmp(x->cols[d].json, col->json) == 0)
				report(x, col->json, col->header, N_("is given twice"), NULL);
	}
	for (int i = 0; i < x->e->nfields; i++) {
		const struct field *f = &x->e->fields[i];
		if (!(f->flags & F_REQUIRED) || (f->flags & F_RO))
			continue;
		bool found = false;
		for (size_t c = 0; c < x->ncols && !found; c++)
			found = x->cols[c].field == i;
		if (!found)
			report(x, f->name, NULL, N_("is a required column and is missing"), NULL);
	}
	buf_release(&key);
	names_release(&t);
}

/* The insert's columns: every stored field but the key, each language of
 * an i18n field; where a value comes from. */
static void plan(struct ctx *x)
{
	const struct entity *e = x->e;
	x->targets = xcalloc((size_t)e->nfields * LANG__MAX, sizeof *x->targets);
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if (i == e->key || !field_stored(f))
			continue;
		int langs = f->type == FT_I18N ? LANG__MAX : 1;
		for (int l = 0; l < langs; l++) {
			struct target *t = &x->targets[x->ntargets++];
			t->field = i;
			t->lang = l;
			t->column = -1;
			if (f->type == FT_I18N)
				snprintf(t->name, sizeof t->name, "%s_%s", f->name, lang_code[l]);
			else
				snprintf(t->name, sizeof t->name, "%s", f->name);
			for (size_t c = 0; c < x->ncols; c++)
				if (x->cols[c].field == i && x->cols[c].lang == l && t->column < 0)
					t->column = (int)c;
		}
	}
	x->colnames = xcalloc((size_t)x->ntargets, sizeof *x->colnames);
	for (int k = 0; k < x->ntargets; k++)
		x->colnames[k] = x->targets[k].name;
	x->vals = xcalloc((size_t)x->ntargets, sizeof *x->vals);
	x->scratch = xcalloc((size_t)x->ntargets, sizeof *x->scratch);
	/* enum values by code, by label in either language, and by the words
	 * French spreadsheets use */
	static const struct {
		const char *field, *word, *value;
	} words[] = {
		{ "source", "auto_evaluation", "self_assessment" },
		{ "source", "autoevaluation", "self_assessment" },
		{ "source", "mission_d_experts", "expert_mission" },
		{ "source", "mission_d_expertise", "expert_mission" },
		{ "source", "evaluation_onu", "un_assessment" },
		{ "source", "evaluation_des_nations_unies", "un_assessment" },
		{ "source", "autre", "other" },
		{ "status", "ouvert", "open" },
		{ "status", "en_cours", "being_addressed" },
		{ "status", "en_cours_de_traitement", "being_addressed" },
		{ "status", "satisfait", "met" },
		{ "status", "couvert", "met" },
	};
	for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
		int i = ent_field_index(e, words[w].field);
		if (i < 0 || e->fields[i].type != FT_ENUM)
			continue;
		for (const char *const *v = e->fields[i].values; *v; v++) {
			if (strcmp(*v, words[w].value) != 0)
				continue;
			char key[128];
			snprintf(key, sizeof key, "%s %s", words[w].field, words[w].word);
			names_add(&x->enums, key, *v, i, 0);
		}
	}
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if (f->type != FT_ENUM)
			continue;
		for (const char *const *v = f->values; *v; v++) {
			const char *forms[] = { *v, tr(LANG_FR, *v), tr(LANG_EN, *v) };
			for (int k = 0; k < 3; k++) {
				char s[300];
				snprintf(s, sizeof s, "%s %s", f->name, forms[k]);
				names_add(&x->enums, s, *v, i, 0);
			}
		}
	}
}

/* The default of f (an SQL literal: 'open', 0) as a parameter. */
static struct dbparam default_value(const struct field *f)
{
	long long i;
	if (!f->def)
		return (struct dbparam){ .type = DBP_NULL };
	if (util_parse_ll(f->def, &i))
		return (struct dbparam){ .type = DBP_INT, .i = i };
	static _Thread_local char lit[64];
	size_t n = strlen(f->def);
	if (n >= 2 && f->def[0] == '\'' && n - 2 < sizeof lit) {
		memcpy(lit, f->def + 1, n - 2);
		lit[n - 2] = '\0';
	}
	return (struct dbparam){ .type = DBP_TEXT, .s = f->def[0] == '\'' ? lit : f->def };
}

/* Checks the value s of target k and sets x->vals[k]; reports problems. */
static void value(struct ctx *x, int k, const char *raw)
{
	const struct target *t = &x->targets[k];
	const struct field *f = &x->e->fields[t->field];
	const struct column *col = &x->cols[t->column];
	struct dbparam *v = &x->vals[k];
	size_t n;
	const char *s = f->type == FT_TEXT || f->type == FT_I18N ? raw : cell_trim(raw, &n);
	if (f->type == FT_TEXT || f->type == FT_I18N)
		n = strlen(s);
	if (n == 0) {
		if (f->flags & F_REQUIRED)
			report(x, col->json, col->header, N_("is required"), NULL);
		*v = default_value(f);
		return;
	}
	char arg[64];
	const char *bad = NULL;
	long long i;
	switch (f->type) {
	case FT_REF: {
		int r = strcmp(f->ref, "country") == 0 ? 0 : 1;
		const char *code = exact(&x->refs[r], s, n);
		if (code) {
			*v = (struct dbparam){ .type = DBP_TEXT, .s = code };
			return;
		}
		norm(s, &x->tmp);
		const struct name *nm = names_find(&x->refs[r].names, buf_cstr(&x->tmp));
		if (!nm) {
			snprintf(arg, sizeof arg, "%.*s", (int)util_utf8_prefix(s, 40), s);
			report(x, col->json, col->header, N_("refers to a record that does not exist: %s"), arg);
			return;
		}
		*v = (struct dbparam){ .type = DBP_TEXT, .s = nm->value };
		return;
	}
	case FT_DATE:
		if (!cell_date(s, n, x->scratch[k])) {
			report(x, col->json, col->header,
			       N_("must be a real date written YYYY-MM-DD or DD/MM/YYYY"), NULL);
			return;
		}
		*v = (struct dbparam){ .type = DBP_TEXT, .s = x->scratch[k] };
		return;
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
		if (i < f->min || i > f->max) {
			snprintf(arg, sizeof arg, "%lld–%lld", f->min, f->max);
			report(x, col->json, col->header, N_("must be between %s"), arg);
			return;
		}
		*v = (struct dbparam){ .type = DBP_INT, .i = i };
		return;
	case FT_BOOL:
		if (n == 1 && (*s == '0' || *s == '1')) {
			*v = (struct dbparam){ .type = DBP_INT, .i = *s == '1' };
			return;
		}
		norm(s, &x->tmp);
		if (!cell_bool(buf_cstr(&x->tmp), &i)) {
			bad = N_("must be true or false");
			break;
		}
		*v = (struct dbparam){ .type = DBP_INT, .i = i };
		return;
	case FT_ENUM: {
		for (const char *const *e = f->values; *e; e++)
			if (strlen(*e) == n && memcmp(*e, s, n) == 0) {
				*v = (struct dbparam){ .type = DBP_TEXT, .s = *e };
				return;
			}
		struct buf key = BUF_INIT;
		buf_printf(&key, "%s %.*s", f->name, (int)n, s);
		norm(buf_cstr(&key), &x->tmp);
		buf_release(&key);
		const struct name *nm = names_find(&x->enums, buf_cstr(&x->tmp));
		if (!nm) {
			bad = N_("is not one of the allowed values");
			break;
		}
		*v = (struct dbparam){ .type = DBP_TEXT, .s = nm->value };
		return;
	}
	default: /* FT_TEXT, FT_I18N, FT_CODE */
		/* a character is at least a byte: count them only when it matters */
		if ((long long)n > (f->max > 0 ? f->max : DEFAULT_TEXT_MAX) &&
		    (long long)util_utf8_len(s) > (f->max > 0 ? f->max : DEFAULT_TEXT_MAX)) {
			snprintf(arg, sizeof arg, "%lld", f->max > 0 ? f->max : DEFAULT_TEXT_MAX);
			report(x, col->json, col->header, N_("is too long (at most %s characters)"), arg);
			return;
		}
		if ((bad = rec_pattern_error(f->pattern, s)))
			break;
		*v = (struct dbparam){ .type = DBP_TEXT, .s = s };
		return;
	}
	report(x, col->json, col->header, bad, NULL);
}

/* The entity's cross-field check over the row's values. */
static void check_row(struct ctx *x)
{
	const struct entity *e = x->e;
	if (!e->check)
		return;
	for (int k = 0; k < x->ntargets; k++) {
		const struct target *t = &x->targets[k];
		struct fval *fv = &x->rec.v[t->field];
		const struct dbparam *v = &x->vals[k];
		if (e->fields[t->field].type == FT_I18N)
			continue;
		fv->set = true;
		fv->null = v->type == DBP_NULL;
		fv->i = v->i;
		fv->s = v->type == DBP_TEXT ? (char *)v->s : NULL; /* borrowed until below */
	}
	struct ferrs errs = { 0 };
	e->check(e, &x->rec, &errs);
	for (size_t i = 0; i < errs.n; i++) {
		const char *column = NULL;
		for (size_t c = 0; c < x->ncols; c++)
			if (x->cols[c].json && strcmp(x->cols[c].json, errs.a[i].field) == 0)
				column = x->cols[c].header;
		report(x, errs.a[i].field, column, errs.a[i].msgid, errs.a[i].arg);
	}
	ferrs_release(&errs);
	for (int i = 0; i < e->nfields; i++)
		x->rec.v[i].s = NULL;
}

/* Checks one data row; true when it may be inserted. */
static bool row(struct ctx *x, struct csvin *in)
{
	size_t nf = csvin_count(in);
	bool empty = true;
	for (size_t c = 0; c < nf && empty; c++)
		empty = csvin_len(in, c) == 0;
	if (empty)
		return false; /* a spreadsheet's empty row: ";;;;" */
	x->res->checked++;
	x->row_bad = false;
	for (size_t c = x->ncols; c < nf; c++)
		if (csvin_len(in, c)) {
			report(x, NULL, NULL, N_("has more fields than the header has columns"), NULL);
			break;
		}
	for (int k = 0; k < x->ntargets; k++) {
		const struct target *t = &x->targets[k];
		if (t->column < 0 || (size_t)t->column >= nf) {
			const struct field *f = &x->e->fields[t->field];
			if (f->flags & F_REQUIRED && t->column >= 0)
				report(x, x->cols[t->column].json, x->cols[t->column].header,
				       N_("is required"), NULL);
			x->vals[k] = default_value(f);
			continue;
		}
		value(x, k, csvin_field(in, (size_t)t->column));
	}
	/* a focal point writes its own country's rows only */
	const struct principal *who = x->o->who;
	if (!x->row_bad && who && who->role == ROLE_FOCAL && x->e->scope) {
		for (int k = 0; k < x->ntargets; k++) {
			const struct target *t = &x->targets[k];
			if (strcmp(x->e->fields[t->field].name, x->e->scope) != 0)
				continue;
			if (x->vals[k].type != DBP_TEXT || strcmp(x->vals[k].s, who->country) != 0)
				report(x, t->name, t->column >= 0 ? x->cols[t->column].header : NULL,
				       N_("is not your country (%s): a focal point imports its own country's needs"),
				       who->country);
		}
	}
	if (!x->row_bad)
		check_row(x);
	return !x->row_bad;
}

static void ctx_release(struct ctx *x)
{
	for (size_t c = 0; c < x->ncols; c++) {
		free(x->cols[c].header);
		free(x->cols[c].json);
	}
	free(x->cols);
	free(x->targets);
	free(x->colnames);
	free(x->vals);
	free(x->scratch);
	ref_release(&x->refs[0]);
	ref_release(&x->refs[1]);
	names_release(&x->enums);
	buf_release(&x->tmp);
	rec_free(&x->rec);
}

/* The file's own problem (not valid CSV), reported on its line. */
static void reader_error(struct ctx *x, struct csvin *in)
{
	x->line = csvin_error_line(in);
	x->row_bad = false;
	report(x, NULL, NULL, N_("the file is not valid CSV: %s"), csvin_error(in));
}

enum app_err import_needs(struct app *app, struct csvin *in, const struct import_opts *o,
			  struct import_result *res)
{
	memset(res, 0, sizeof *res);
	struct ctx x = { .app = app, .o = o, .e = ent_by_name("need"), .res = res, .line = 1 };
	if (o->who && !ent_can_write(x.e, o->who->role))
		return APP_FORBIDDEN;
	rec_init(&x.rec, x.e);
	enum csvin_rc r = csvin_next(in);
	if (r == CSVIN_ERROR) {
		reader_error(&x, in);
		ctx_release(&x);
		return APP_INVALID;
	}
	if (r == CSVIN_EOF) {
		report(&x, NULL, NULL, N_("the file is empty: a header line was expected"), NULL);
		ctx_release(&x);
		return APP_INVALID;
	}
	read_header(&x, in);
	if (res->errors) {
		ctx_release(&x);
		return APP_INVALID;
	}
	plan(&x);
	/* the references are read inside the import's transaction (see
	 * store_import.h: SQLite imports without foreign key checks) */
	struct store_import *im = NULL;
	/* (batched: nothing here reads the new rows back) */
	enum app_err rc = store_import_begin_batched(app->store, x.e, x.colnames, x.ntargets, &im);
	if (rc) {
		ctx_release(&x);
		return rc;
	}
	rc = ref_load(app, &x.refs[0], ent_by_name("country"));
	if (!rc)
		rc = ref_load(app, &x.refs[1], ent_by_name("theme"));
	if (rc) {
		store_import_end(im, false, NULL, NULL, NULL);
		ctx_release(&x);
		return rc;
	}
	enum app_err wrc = APP_OK;
	/* the rows are written on a second thread while the next are read
	 * and checked (import_writer.h); without one, here */
	struct import_writer *w = iw_start(im, x.ntargets);
	while ((r = csvin_next(in)) == CSVIN_RECORD) {
		x.line = csvin_line(in);
		if (row(&x, in) && !res->errors && !wrc)
			wrc = w ? iw_row(w, x.vals) : store_import_row(im, x.vals);
		if (o->progress && res->checked % PROGRESS_EVERY == 0)
			o->progress(o->progress_ctx, csvin_offset(in), res->checked);
	}
	if (w) {
		enum app_err written = iw_finish(w);
		if (!wrc)
			wrc = written;
	}
	if (r == CSVIN_ERROR)
		reader_error(&x, in);
	bool ok = !res->errors && !wrc;
	struct buf after = BUF_INIT;
	buf_adds(&after, "{\"import\":");
	buf_json_str(&after, o->name ? o->name : "");
	buf_printf(&after, ",\"rows\":%lld}", res->checked);
	long long rows = 0;
	rc = store_import_end(im, ok, o->who ? o->who->name : app->actor, buf_cstr(&after), &rows);
	buf_release(&after);
	if (o->progress)
		o->progress(o->progress_ctx, csvin_offset(in), res->checked);
	ctx_release(&x);
	if (res->errors)
		return APP_INVALID;
	if (wrc)
		return wrc;
	res->rows = rows;
	return rc;
}
