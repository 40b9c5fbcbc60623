/* import.c — see import.h.
 *
 * One engine for every CSV import: the header's columns mapped to fields,
 * each cell decoded by the registry's decoder (record.h), each row checked
 * and written by the batch (batch.h) — the same validation and the same
 * messages as the API's.  What a collection adds (its column words, its
 * cell words, a participant found by name) comes in its import_spec. */
#define _POSIX_C_SOURCE 200809L
#include "import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "domain.h"
#include "names.h"
#include "strmap.h"
#include "util.h"
#include "xalloc.h"
#include "xlsxin.h"
#include "banned.h"

#define PROGRESS_EVERY 4096 /* rows */
#define MAX_EXTRA 8          /* the caller's own columns */

/* What a column is that is not one of the entity's writable fields, in a
 * file that suivi exported (import.h: a round trip). */
enum column_role {
	COL_DATA,    /* a field's, the caller's own, or an unnamed column */
	COL_ID,      /* the record a row updates */
	COL_VERSION, /* the version it was exported at */
	COL_IGNORED, /* labels, computed fields, times: not read */
};

/* What each column of the file is. */
struct column {
	enum column_role role;
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
	struct csvin *in;        /* the file's reader */
	struct batch *b;
	struct record rec;
	struct ferrs errs;
	struct column *cols;
	size_t ncols;
	int id_col, version_col; /* the round trip's columns, or -1 */
	bool by_code;            /* id_col is the key field's, a code (a country's):
				    a row updates the record it names if there is one */
	struct buf key;          /* the row's id_col cell, trimmed */
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
	if (!x->o->on_error)
		return;
	struct import_err e = { .line = x->line, .field = field, .column = column,
				.msgid = msgid, .arg = arg, .sheet = x->in ? csvin_sheet(x->in) : NULL };
	if (e.sheet && !*e.sheet)
		e.sheet = NULL; /* (a workbook that could not be opened) */
	char cell[24];
	for (size_t c = 0; e.sheet && column && c < x->ncols; c++)
		if (x->cols[c].header == column) {
			xlsxin_cell_name(c, x->line, cell);
			e.cell = cell;
		}
	x->o->on_error(x->o->err_ctx, &e);
}

void import_place(const struct import_err *e, struct buf *out)
{
	if (e->sheet && e->cell)
		buf_printf(out, "%s!%s", e->sheet, e->cell);
	else if (e->sheet)
		buf_printf(out, "%s!%lld", e->sheet, e->line);
	else
		buf_printf(out, "%lld", e->line);
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
 * a field, −1 − k for the caller's column k, MEANING_ROLE + a column_role
 * for the round trip's columns. */
#define MEANING_ROLE (1LL << 40)
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

/* Can a column give field f's value: a stored field, or a set of references
 * (its link table, written with the record)? */
static bool writable(const struct field *f)
{
	return field_stored(f) || (f->type == FT_REFS && !(f->flags & F_COMPUTED));
}

/* The columns of suivi's own export (csv.c) that are not writable fields:
 * the key, the version, the labels (of references and of amounts of
 * money), the computed fields and the times. */
static void round_trip_headings(const struct entity *e, struct strmap *m)
{
	const struct field *key = ent_keyfield(e);
	if (key->type == FT_ID)
		heading(m, key->name, MEANING_ROLE + COL_ID);
	heading(m, "version", MEANING_ROLE + COL_VERSION);
	static const char *const system[] = { "label", "created_at", "updated_at" };
	for (size_t k = 0; k < sizeof system / sizeof *system; k++)
		heading(m, system[k], MEANING_ROLE + COL_IGNORED);
	char s[200];
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if (f->type == FT_REF || f->type == FT_REFS || (f->flags & F_MONEY)) {
			snprintf(s, sizeof s, "%s_label", f->name);
			heading(m, s, MEANING_ROLE + COL_IGNORED);
		}
		if (!(f->flags & F_RO) && writable(f))
			continue;
		if (f->type != FT_I18N)
			heading(m, f->name, MEANING_ROLE + COL_IGNORED);
		for (int l = 0; f->type == FT_I18N && l < LANG__MAX; l++) {
			snprintf(s, sizeof s, "%s_%s", f->name, lang_code[l]);
			heading(m, s, MEANING_ROLE + COL_IGNORED);
		}
	}
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
		if ((f->flags & F_RO) || !writable(f))
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
	round_trip_headings(e, m);
}

/* The column's meaning, reported when it has none or is given twice. */
static void place(struct import *x, struct column *col, long long meaning)
{
	const struct entity *e = x->e;
	if (meaning >= MEANING_ROLE) {
		col->role = (enum column_role)(meaning - MEANING_ROLE);
		if (col->role == COL_IGNORED)
			return;
		col->json = xstrdup(col->role == COL_ID ? ent_keyfield(e)->name : "version");
		*(col->role == COL_ID ? &x->id_col : &x->version_col) = (int)(col - x->cols);
	} else if (meaning < 0) {
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
 * required field present (unless the file names its records: an update
 * may give some fields only). */
static void read_header(struct import *x, struct csvin *in)
{
	struct strmap m = STRMAP_INIT;
	headings(x->spec, x->e, &m);
	x->id_col = x->version_col = -1;
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
	for (size_t c = 0; c < x->ncols && ent_keyfield(x->e)->type != FT_ID; c++)
		if (x->cols[c].field == x->e->key) {
			x->id_col = (int)c;
			x->by_code = true;
		}
	/* (a file that names its records may update some fields only: a new
	 * record's row without a required field is refused on its line) */
	for (int i = 0; i < x->e->nfields && !(x->id_col >= 0 && !x->by_code); i++) {
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

/* A text cell as it was before suivi's export guarded it against being
 * read as a formula (buf.h: buf_csv wrote "'=…" for "=…", "''…" for "'…"). */
static const char *unguarded(const struct field *f, const char *cell, size_t *len)
{
	if ((f->type == FT_TEXT || f->type == FT_I18N) && *len > 1 && cell[0] == '\'' && strchr("=+-@\t\r'", cell[1])) {
		--*len;
		return cell + 1;
	}
	return cell;
}

/* Decodes one cell into x->rec: its problems, an empty required one, a
 * reference to a record that does not exist, each told on its column in
 * turn (the checks of the whole row follow in batch_add).  In a row that
 * updates its record (flags REC_EMPTY_NULL), an empty cell clears. */
static enum app_err decode_cell(struct import *x, const struct column *col, const char *cell, size_t len,
				unsigned flags)
{
	const struct field *f = &x->e->fields[col->field];
	char arg[REC_ARG_MAX] = "";
	cell = unguarded(f, cell, &len);
	const char *bad = rec_text_value(&x->rec, col->field, (enum lang)col->lang, cell, len, batch_names(x->b), flags,
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
static enum app_err decode(struct import *x, struct csvin *in, const char **extra, unsigned flags)
{
	size_t nf = csvin_count(in);
	enum app_err rc = APP_OK;
	for (size_t c = 0; c < x->ncols && c < nf && !rc; c++) {
		const struct column *col = &x->cols[c];
		if (col->extra >= 0)
			extra[col->extra] = csvin_field(in, c);
		else if (col->field >= 0)
			rc = decode_cell(x, col, csvin_field(in, c), csvin_len(in, c), flags);
	}
	return rc;
}

/* The cell of column c without the blanks around it (kept in out), when the
 * row has it and it is not blank, else NULL. */
static const char *cell_of(struct csvin *in, int c, struct buf *out)
{
	if (c < 0 || (size_t)c >= csvin_count(in))
		return NULL;
	const char *s = csvin_field(in, (size_t)c);
	s += strspn(s, " \t");
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	buf_reset(out);
	buf_add(out, s, n);
	return n ? buf_cstr(out) : NULL;
}

/* The record the row names, which it updates, or NULL: the row is a new
 * record.  By code, a row names a record only if it exists (who sees it). */
static const char *row_record(struct import *x, struct csvin *in)
{
	const char *key = cell_of(in, x->id_col, &x->key);
	if (!key || !x->by_code)
		return key;
	struct buf json = BUF_INIT;
	long long version;
	enum app_err rc = dom_get_json(x->app, x->e, key, x->o->who, &json, &version);
	buf_release(&json);
	return rc == APP_OK ? key : NULL;
}

/* The version a row was exported at (-1: none given); false when the cell
 * is not a version (reported). */
static bool row_version(struct import *x, struct csvin *in, long long *version)
{
	struct buf cell = BUF_INIT;
	const char *s = cell_of(in, x->version_col, &cell);
	*version = -1;
	char *end = NULL;
	errno = 0;
	bool given = s != NULL;
	long long v = given ? strtoll(s, &end, 10) : 0;
	bool ok = !given || (!errno && !*end && v >= 1);
	buf_release(&cell);
	if (!ok) {
		const struct column *col = &x->cols[x->version_col];
		import_problem(x, col->json, col->header, N_("must be a positive integer"), NULL);
		return false;
	}
	*version = given ? v : -1;
	return true;
}

/* The domain's refusals of a row's update, each told on the row: on its
 * version column or its id's, with the id or not; after a conflict the
 * database has refused the transaction, so the rows after it are not read. */
static const struct refusal {
	enum app_err rc;
	bool on_version, named, last;
	const char *msgid;
} refusals[] = {
	{ APP_PRECONDITION, true, false, false,
	  N_("has changed since this file was exported: export it again and make this row's change there") },
	{ APP_NOT_FOUND, false, true, false, N_("refers to a record that does not exist: %s") },
	{ APP_FORBIDDEN, false, true, false, N_("names a record you may not change: %s") },
	{ APP_CONFLICT, false, false, true,
	  N_("conflicts with another record (a value that must be unique): the rows after it were not checked") },
};

/* What the domain said of a row's update, told on the row. */
static enum app_err update_outcome(struct import *x, enum app_err rc, const char *key, bool changed)
{
	if (rc == APP_OK) {
		++*(changed ? &x->res->updated : &x->res->unchanged);
		return APP_OK;
	}
	if (rc == APP_INVALID || rc == APP_LOCKED) { /* (a lock names itself on the date's field) */
		report_ferrs(x);
		return APP_OK;
	}
	for (size_t k = 0; k < sizeof refusals / sizeof *refusals; k++) {
		const struct refusal *r = &refusals[k];
		if (r->rc != rc)
			continue;
		const struct column *c = &x->cols[r->on_version && x->version_col >= 0 ? x->version_col : x->id_col];
		import_problem(x, c->json, c->header, r->msgid, r->named ? key : NULL);
		return r->last ? rc : APP_OK;
	}
	return rc;
}

/* A row that names its record: the change its cells make to it, through the
 * domain's update (its checks, its hooks, its audit entry), in the import's
 * transaction.  The caller's `row` is not called: what it completes is a
 * new record's. */
static enum app_err update_row(struct import *x, struct csvin *in, const char *key)
{
	long long version;
	if (!row_version(x, in, &version) || x->row_bad)
		return APP_OK;
	ferrs_release(&x->errs);
	struct dom_answer ans = { .json = BUF_INIT };
	enum app_err rc = dom_update_within(x->app, &x->rec, key, version, x->o->who, &x->errs, &ans);
	buf_release(&ans.json);
	return update_outcome(x, rc, key, ans.changed);
}

/* Is the row under the header one of HXL hashtags (table.h: an export
 * with ?hxl=true), every cell given a tag? */
static bool hxl_row(struct import *x, struct csvin *in)
{
	if (x->res->checked)
		return false;
	size_t nf = csvin_count(in), tags = 0;
	for (size_t c = 0; c < nf; c++) {
		if (!csvin_len(in, c))
			continue;
		if (csvin_field(in, c)[0] != '#')
			return false;
		tags++;
	}
	return tags > 0;
}

/* Reads, checks and (while nothing failed) queues one data row. */
static enum app_err read_row(struct import *x, struct csvin *in)
{
	size_t nf = csvin_count(in);
	bool empty = true;
	for (size_t c = 0; c < nf && empty; c++)
		empty = csvin_len(in, c) == 0;
	if (empty || hxl_row(x, in))
		return APP_OK; /* a spreadsheet's empty row: ";;;;"; hashtags */
	x->res->checked++;
	x->row_bad = false;
	for (size_t c = x->ncols; c < nf; c++)
		if (csvin_len(in, c)) {
			import_problem(x, NULL, NULL, N_("has more fields than the header has columns"), NULL);
			break;
		}
	rec_reset(&x->rec);
	const char *extra[MAX_EXTRA] = { 0 };
	const char *id = row_record(x, in);
	enum app_err rc = decode(x, in, extra, id ? REC_EMPTY_NULL : 0);
	if (id)
		return rc || x->row_bad ? rc : update_row(x, in, id);
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
	import_problem(x, NULL, NULL,
		       csvin_sheet(in) ? N_("the spreadsheet cannot be read: %s") : N_("the file is not valid CSV: %s"),
		       csvin_error(in));
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
	buf_release(&x->key);
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
	bool dry = o->dry_run && !x->res->errors && !wrc;
	enum app_err rc = batch_end(x->b, !x->res->errors && !wrc && !o->dry_run, buf_cstr(&after), &written);
	if (dry && rc == APP_OK)
		written = x->written; /* (what would have been) */
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

/* Does a column of the file give a set of references? */
static bool has_sets(const struct import *x)
{
	for (size_t c = 0; c < x->ncols; c++)
		if (x->cols[c].field >= 0 && x->e->fields[x->cols[c].field].type == FT_REFS)
			return true;
	return false;
}

enum app_err import_run(struct app *app, const struct import_spec *spec, struct csvin *in,
			const struct import_opts *o, struct import_result *res,
			void (*summary)(struct import *x, struct buf *out))
{
	memset(res, 0, sizeof *res);
	struct import x = { .app = app, .spec = spec, .o = o, .e = ent_get(spec->entity), .res = res,
			    .in = in, .line = 1 };
	if (o->who && !ent_can_write(x.e, o->who->role))
		return APP_FORBIDDEN;
	rec_init(&x.rec, x.e);
	enum app_err rc = header(&x, in);
	struct batch_opts bo = spec->batch;
	bo.who = o->who;
	if (x.id_col >= 0)
		bo.threaded = false; /* the updates write on this thread, in its transaction */
	if (has_sets(&x)) { /* a new record's links need its number at once (batch.h) */
		bo.threaded = false;
		bo.keys = bo.keys || ent_int_key(x.e);
	}
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

/* ---- any other collection ------------------------------------------------------------ */

bool import_may_collection(const struct entity *e)
{
	/* (a batch of creates does not run a write's propagation: a follow-up
	 * update's percentage to its action) */
	return !e->readonly && !e->upload && !e->propagate;
}

enum app_err import_collection(struct app *app, const struct entity *e, struct csvin *in,
			       const struct import_opts *o, struct import_result *res)
{
	struct import_spec spec = { .unknown = N_("is not a column of this collection") };
	size_t id = 0;
	while (id < ENT_COUNT && ent_get((enum ent_id)id) != e)
		id++;
	if (id == ENT_COUNT || !import_may_collection(e))
		return APP_METHOD;
	spec.entity = (enum ent_id)id;
	return import_run(app, &spec, in, o, res, NULL);
}
