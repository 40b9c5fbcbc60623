/* import.c — see import.h.
 *
 * One engine for every CSV import: the header's columns mapped to fields,
 * each cell decoded by the registry's decoder (record.h), each row checked
 * and written by the batch (batch.h) — the same validation and the same
 * messages as the API's.  What a collection adds (its column words, its
 * cell words, a participant found by name) comes in its import_spec. */
#define _POSIX_C_SOURCE 200809L
#include "import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "names.h"
#include "strmap.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

#define PROGRESS_EVERY 4096 /* rows */
#define MAX_EXTRA 8          /* the caller's own columns */

/* What each column of the file is. */
struct column {
	int field;     /* index in the entity; -1: not a field */
	int lang;      /* FT_I18N: which language */
	int extra;     /* one of the caller's own columns, or -1 */
	char *header;  /* as written */
	char *json;    /* JSON-side name: "country", "description_en" */
};

struct import {
	struct app *app;
	const struct import_spec *spec;
	const struct import_opts *o;
	const struct entity *e;
	struct import_result *res;
	struct batch *b;
	struct record rec;
	struct ferrs errs;
	struct column *cols;
	size_t ncols;
	long long line;
	bool row_bad;
	long long written;
};

void *import_ctx(struct import *x)
{
	return x->spec->ctx;
}

struct app *import_app(struct import *x)
{
	return x->app;
}

struct rec_names *import_names(struct import *x)
{
	return batch_names(x->b);
}

const struct import_opts *import_options(struct import *x)
{
	return x->o;
}

bool import_immediate(struct import *x)
{
	return batch_immediate(x->b);
}

void import_problem(struct import *x, const char *field, const char *column, const char *msgid,
		   const char *arg)
{
	x->res->errors++;
	if (!x->row_bad)
		x->res->bad_rows += x->line > 1;
	x->row_bad = true;
	if (x->b)
		batch_failed(x->b);
	if (x->o->on_error) {
		struct import_err e = { .line = x->line, .field = field, .column = column,
					.msgid = msgid, .arg = arg };
		x->o->on_error(x->o->err_ctx, &e);
	}
}

void import_message(const struct import_err *e, enum lang lang, struct buf *out)
{
	rec_message(lang, e->msgid, e->arg, out);
}

const char *import_column(struct import *x, const char *field)
{
	for (size_t c = 0; c < x->ncols; c++)
		if (x->cols[c].json && strcmp(x->cols[c].json, field) == 0)
			return x->cols[c].header;
	return NULL;
}

/* ---- the header ------------------------------------------------------------- */

/* A heading's meaning, in a map from folded headings: 1 + 4·field + lang for
 * a field, −1 − k for the caller's column k. */
static void heading(struct strmap *m, const char *word, long long meaning)
{
	struct buf k = BUF_INIT;
	names_norm(&k, word ? word : "");
	if (k.len && !strmap_has(m, buf_cstr(&k))) /* the first meaning stays */
		strmap_put(m, buf_cstr(&k), meaning);
	buf_release(&k);
}

static long long field_meaning(int field, int lang)
{
	return 1 + 4LL * field + lang;
}

/* The names a column may have: the spec's words first, then each writable
 * field's JSON name and labels (a multilingual one's with the language),
 * then the caller's columns'. */
static void headings(const struct import_spec *spec, const struct entity *e, struct strmap *m)
{
	for (size_t a = 0; a < spec->naliases; a++) {
		const struct import_alias *al = &spec->aliases[a];
		int i = ent_field_index(e, al->field);
		if (i >= 0)
			heading(m, al->word, field_meaning(i, al->lang));
		for (int k = 0; i < 0 && k < spec->nextra; k++)
			if (strcmp(spec->extra[k], al->field) == 0)
				heading(m, al->word, -1 - k);
	}
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if ((f->flags & F_RO) || !field_stored(f))
			continue;
		if (f->type != FT_I18N) {
			heading(m, f->name, field_meaning(i, 0));
			heading(m, f->label, field_meaning(i, 0));
			heading(m, tr(LANG_FR, f->label), field_meaning(i, 0));
			continue;
		}
		for (int l = 0; l < LANG__MAX; l++) {
			char s[200];
			snprintf(s, sizeof s, "%s_%s", f->name, lang_code[l]);
			heading(m, s, field_meaning(i, l));
			snprintf(s, sizeof s, "%s (%s)", f->label, lang_code[l]);
			heading(m, s, field_meaning(i, l));
			snprintf(s, sizeof s, "%s (%s)", tr(LANG_FR, f->label), lang_code[l]);
			heading(m, s, field_meaning(i, l));
		}
	}
	for (int k = 0; k < spec->nextra; k++) {
		const struct field *f = ent_field(spec->extra_entity, spec->extra[k]);
		heading(m, f->name, -1 - k);
		heading(m, f->label, -1 - k);
		heading(m, tr(LANG_FR, f->label), -1 - k);
	}
}

/* The column's meaning, reported when it has none or is given twice. */
static void place(struct import *x, struct column *col, long long meaning)
{
	const struct entity *e = x->e;
	if (meaning < 0) {
		col->extra = (int)(-1 - meaning);
		col->json = xstrdup(x->spec->extra[col->extra]);
	} else {
		col->field = (int)((meaning - 1) / 4);
		col->lang = (int)((meaning - 1) % 4);
		const struct field *f = &e->fields[col->field];
		col->json = f->type == FT_I18N ? xasprintf("%s_%s", f->name, lang_code[col->lang]) : xstrdup(f->name);
	}
	for (struct column *d = x->cols; d < col; d++)
		if (d->json && strcmp(d->json, col->json) == 0)
			import_problem(x, col->json, col->header, N_("is given twice"), NULL);
}

/* Reads the header: every column must be known and given once, and every
 * required field present. */
static void read_header(struct import *x, struct csvin *in)
{
	struct strmap m = STRMAP_INIT;
	headings(x->spec, x->e, &m);
	x->ncols = csvin_count(in);
	x->cols = xcalloc(x->ncols, sizeof *x->cols);
	struct buf key = BUF_INIT;
	for (size_t c = 0; c < x->ncols; c++) {
		struct column *col = &x->cols[c];
		col->header = xstrdup(csvin_field(in, c));
		col->field = col->extra = -1;
		names_norm(&key, col->header);
		if (!key.len)
			continue; /* an unnamed column (a spreadsheet's last empty one) */
		long long meaning = strmap_get(&m, buf_cstr(&key));
		if (!meaning)
			import_problem(x, NULL, col->header, x->spec->unknown, NULL);
		else
			place(x, col, meaning);
	}
	for (int i = 0; i < x->e->nfields; i++) {
		const struct field *f = &x->e->fields[i];
		bool found = !(f->flags & F_REQUIRED) || (f->flags & F_RO);
		for (size_t c = 0; c < x->ncols && !found; c++)
			found = x->cols[c].field == i;
		if (!found && !(x->spec->may_lack && x->spec->may_lack(x, f)))
			import_problem(x, f->name, NULL, N_("is a required column and is missing"), NULL);
	}
	buf_release(&key);
	strmap_free(&m);
}

/* The spec's words for allowed values. */
static void cell_words(struct import *x)
{
	struct rec_names *names = batch_names(x->b);
	for (size_t w = 0; w < x->spec->nwords; w++) {
		const struct import_word *iw = &x->spec->words[w];
		int i = ent_field_index(x->e, iw->field);
		if (i >= 0)
			rec_names_add(names, i, iw->word, iw->value);
	}
}

/* ---- rows ----------------------------------------------------------------------- */

/* The batch's problems with the record, each on its column. */
static void report_ferrs(struct import *x)
{
	for (size_t i = 0; i < x->errs.n; i++)
		import_problem(x, x->errs.a[i].field, import_column(x, x->errs.a[i].field), x->errs.a[i].msgid,
			      x->errs.a[i].arg);
}

/* Decodes one cell into x->rec: its problems, an empty required one, a
 * reference to a record that does not exist, each told on its column in
 * turn (the checks of the whole row follow in batch_add). */
static enum app_err decode_cell(struct import *x, const struct column *col, const char *cell, size_t len)
{
	const struct field *f = &x->e->fields[col->field];
	char arg[REC_ARG_MAX] = "";
	const char *bad = rec_text_value(&x->rec, col->field, (enum lang)col->lang, cell, len, batch_names(x->b), 0,
					 arg, sizeof arg);
	if (bad) {
		import_problem(x, col->json, col->header, bad, arg[0] ? arg : NULL);
		return APP_OK;
	}
	if (!x->rec.v[col->field].set && (f->flags & F_REQUIRED) && !(x->spec->may_lack && x->spec->may_lack(x, f))) {
		import_problem(x, col->json, col->header, N_("is required"), NULL);
		return APP_OK;
	}
	bool missing = false;
	enum app_err rc = batch_check_ref(x->b, &x->rec, col->field, &missing);
	if (!rc && missing)
		import_problem(x, col->json, col->header, N_("refers to a record that does not exist: %s"),
			       rec_text(&x->rec, col->field));
	return rc;
}

/* Decodes the row's cells into x->rec (and the caller's columns into extra). */
static enum app_err decode(struct import *x, struct csvin *in, const char **extra)
{
	size_t nf = csvin_count(in);
	enum app_err rc = APP_OK;
	for (size_t c = 0; c < x->ncols && c < nf && !rc; c++) {
		const struct column *col = &x->cols[c];
		if (col->extra >= 0)
			extra[col->extra] = csvin_field(in, c);
		else if (col->field >= 0)
			rc = decode_cell(x, col, csvin_field(in, c), csvin_len(in, c));
	}
	return rc;
}

/* Reads, checks and (while nothing failed) queues one data row. */
static enum app_err read_row(struct import *x, struct csvin *in)
{
	size_t nf = csvin_count(in);
	bool empty = true;
	for (size_t c = 0; c < nf && empty; c++)
		empty = csvin_len(in, c) == 0;
	if (empty)
		return APP_OK; /* a spreadsheet's empty row: ";;;;" */
	x->res->checked++;
	x->row_bad = false;
	for (size_t c = x->ncols; c < nf; c++)
		if (csvin_len(in, c)) {
			import_problem(x, NULL, NULL, N_("has more fields than the header has columns"), NULL);
			break;
		}
	rec_reset(&x->rec);
	const char *extra[MAX_EXTRA] = { 0 };
	enum app_err rc = decode(x, in, extra);
	bool write = true;
	long long key = 0;
	if (!rc && !x->row_bad && x->spec->row)
		rc = x->spec->row(x, &x->rec, extra, &write, &key);
	if (rc || x->row_bad || !write)
		return rc;
	ferrs_release(&x->errs);
	rc = batch_add(x->b, &x->rec, &x->errs, &key);
	if (rc == APP_INVALID) {
		report_ferrs(x);
		return APP_OK;
	}
	if (!rc) {
		x->written++;
		if (x->spec->written)
			x->spec->written(x, &x->rec, key);
	}
	return rc;
}

/* The file's own problem (not valid CSV), reported on its line. */
static void reader_error(struct import *x, struct csvin *in)
{
	x->line = csvin_error_line(in);
	x->row_bad = false;
	import_problem(x, NULL, NULL, N_("the file is not valid CSV: %s"), csvin_error(in));
}

/* The header line: APP_OK when the rows may be read. */
static enum app_err header(struct import *x, struct csvin *in)
{
	enum csvin_rc r = csvin_next(in);
	if (r == CSVIN_ERROR)
		reader_error(x, in);
	else if (r == CSVIN_EOF)
		import_problem(x, NULL, NULL, N_("the file is empty: a header line was expected"), NULL);
	else
		read_header(x, in);
	return x->res->errors ? APP_INVALID : APP_OK;
}

static void release(struct import *x)
{
	for (size_t c = 0; c < x->ncols; c++) {
		free(x->cols[c].header);
		free(x->cols[c].json);
	}
	free(x->cols);
	rec_free(&x->rec);
	ferrs_release(&x->errs);
}

/* Every data row, then the end of the batch. */
static enum app_err rows(struct import *x, struct csvin *in, void (*summary)(struct import *, struct buf *))
{
	const struct import_opts *o = x->o;
	enum app_err wrc = APP_OK;
	enum csvin_rc r;
	while (!wrc && (r = csvin_next(in)) == CSVIN_RECORD) {
		x->line = csvin_line(in);
		wrc = read_row(x, in);
		if (o->progress && x->res->checked % PROGRESS_EVERY == 0)
			o->progress(o->progress_ctx, csvin_offset(in), x->res->checked);
	}
	if (!wrc && r == CSVIN_ERROR)
		reader_error(x, in);
	struct buf after = BUF_INIT;
	buf_adds(&after, "{\"import\":");
	buf_json_str(&after, o->name ? o->name : "");
	buf_printf(&after, ",\"rows\":%lld", x->res->checked);
	if (summary)
		summary(x, &after);
	buf_addc(&after, '}');
	long long written = 0;
	enum app_err rc = batch_end(x->b, !x->res->errors && !wrc, buf_cstr(&after), &written);
	x->b = NULL;
	buf_release(&after);
	if (o->progress)
		o->progress(o->progress_ctx, csvin_offset(in), x->res->checked);
	if (x->res->errors)
		return APP_INVALID;
	if (wrc || rc)
		return wrc ? wrc : rc;
	x->res->rows = written;
	return APP_OK;
}

enum app_err import_run(struct app *app, const struct import_spec *spec, struct csvin *in,
			const struct import_opts *o, struct import_result *res,
			void (*summary)(struct import *x, struct buf *out))
{
	memset(res, 0, sizeof *res);
	struct import x = { .app = app, .spec = spec, .o = o, .e = ent_get(spec->entity), .res = res,
			    .line = 1 };
	if (o->who && !ent_can_write(x.e, o->who->role))
		return APP_FORBIDDEN;
	rec_init(&x.rec, x.e);
	enum app_err rc = header(&x, in);
	struct batch_opts bo = spec->batch;
	bo.who = o->who;
	/* (the references are read inside the batch's transaction: see batch.h) */
	if (!rc)
		rc = batch_begin(app, x.e, &bo, &x.b);
	if (!rc) {
		cell_words(&x);
		rc = rows(&x, in, summary);
	}
	release(&x);
	return rc;
}

/* ---- needs assessments -------------------------------------------------------------- */

/* Words of spreadsheets for the columns, folded. */
static const struct import_alias need_aliases[] = {
	{ "pays", "country", 0 }, { "country_code", "country", 0 }, { "code_pays", "country", 0 },
	{ "thematique", "theme", 0 }, { "theme_code", "theme", 0 },
	{ "date", "assessed_on", 0 }, { "assessment_date", "assessed_on", 0 },
	{ "date_evaluation", "assessed_on", 0 }, { "date_d_evaluation", "assessed_on", 0 },
	{ "gravite", "severity", 0 }, { "severite", "severity", 0 },
	{ "statut", "status", 0 }, { "etat", "status", 0 },
	{ "ref", "reference", 0 },
	{ "evalue_le", "assessed_on", 0 }, { "evalue_par", "source", 0 },
	{ "source_de_l_evaluation", "source", 0 },
	{ "echantillon", "sample", 0 }, { "exemple", "sample", 0 }, { "donnees_d_exemple", "sample", 0 },
	{ "description", "description", LANG_FR },
	{ "description_francais", "description", LANG_FR },
	{ "description_french", "description", LANG_FR },
	{ "description_anglais", "description", LANG_EN },
	{ "description_english", "description", LANG_EN },
	{ "description_arabe", "description", LANG_AR },
	{ "description_arabic", "description", LANG_AR },
};

/* Words of French spreadsheets for the allowed values. */
static const struct import_word need_words[] = {
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

enum app_err import_needs(struct app *app, struct csvin *in, const struct import_opts *o,
			  struct import_result *res)
{
	static const struct import_spec spec = {
		.entity = ENT_NEED, .unknown = N_("is not a column of needs assessments"),
		.aliases = need_aliases, .naliases = sizeof need_aliases / sizeof *need_aliases,
		.words = need_words, .nwords = sizeof need_words / sizeof *need_words,
		/* (nothing here reads the new rows back: they are written on a
		 * second thread, in multi-row INSERTs, import_writer.h) */
		.batch = { .appends = true, .threaded = true },
	};
	return import_run(app, &spec, in, o, res, NULL);
}
