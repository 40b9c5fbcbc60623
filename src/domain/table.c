/* table.c — see table.h. */
#include "table.h"

#include <string.h>

#include "label.h"
#include "money.h"
#include "banned.h"

static bool is_ref(const struct field *f)
{
	return f->type == FT_REF || f->type == FT_REFS;
}

/* What field f's cells hold. */
static enum tab_kind cell_type(const struct field *f)
{
	bool numbered = (f->type == FT_REF || f->type == FT_REFS) && ent_keyfield(f->target)->type == FT_ID;
	switch (f->type) {
	case FT_ID:
	case FT_INT:
		return TAB_NUMBER;
	case FT_BOOL:
		return TAB_BOOL;
	case FT_DATE:
		return TAB_DATE;
	case FT_ENUM:
		return TAB_VALUE;
	case FT_REF:
		return numbered ? TAB_NUMBER : TAB_TEXT;
	case FT_REFS:
		return numbered ? TAB_VALUE : TAB_TEXT;
	default:
		return TAB_TEXT;
	}
}

struct walk {
	const struct entity *e;
	struct tab *t;
	enum role viewer;
	struct label_reader reader;
	struct buf label, cell;
	int n;
	struct buf tags; /* the HXL row, each column's tag and a NUL */
	int ntags;
};

/* A column of the header, with its HXL tag (NULL: none). */
static void column(struct walk *w, const char *name, enum tab_kind kind, const char *tag)
{
	tab_column(w->t, name, kind);
	buf_adds(&w->tags, tag ? tag : "");
	buf_addc(&w->tags, '\0');
	w->ntags++;
}

/* The tag of a reference's label column: what names the record rather
 * than its code ("#country+code" → "#country+name"). */
static void label_tag(char *out, size_t n, const char *tag)
{
	size_t len = strlen(tag);
	if (len > 5 && strcmp(tag + len - 5, "+code") == 0)
		snprintf(out, n, "%.*s+name", (int)(len - 5), tag);
	else
		snprintf(out, n, "%s+name", tag);
}

/* Is f the currency of an amount that the reader sees (the field before it,
 * F_MONEY)?  Its amount's written form then follows it, "budget_label". */
static const struct field *amount_of(const struct walk *w, int i)
{
	const struct field *a = i > 0 ? &w->e->fields[i - 1] : NULL;
	return a && (a->flags & F_MONEY) && field_visible(a, w->viewer) ? a : NULL;
}

static void header(struct walk *w)
{
	char name[160], tag[160];
	for (int i = 0; i < w->e->nfields; i++) {
		const struct field *f = &w->e->fields[i];
		if (!field_visible(f, w->viewer))
			continue;
		for (int l = 0; f->type == FT_I18N && l < LANG__MAX; l++) {
			snprintf(name, sizeof name, "%s_%s", f->name, lang_code[l]);
			snprintf(tag, sizeof tag, "%s+i_%s", f->hxl ? f->hxl : "", lang_code[l]);
			column(w, name, TAB_TEXT, f->hxl ? tag : NULL);
		}
		if (f->type != FT_I18N)
			column(w, f->name, cell_type(f), f->hxl);
		if (i == w->e->key) {
			column(w, "label", TAB_TEXT, NULL);
		} else if (is_ref(f)) {
			snprintf(name, sizeof name, "%s_label", f->name);
			if (f->hxl)
				label_tag(tag, sizeof tag, f->hxl);
			column(w, name, TAB_TEXT, f->hxl ? tag : NULL);
		}
		const struct field *amount = amount_of(w, i);
		if (amount) {
			snprintf(name, sizeof name, "%s_label", amount->name);
			column(w, name, TAB_TEXT, NULL);
		}
	}
	column(w, "version", TAB_NUMBER, NULL);
	column(w, "created_at", TAB_TIME, NULL);
	column(w, "updated_at", TAB_TIME, NULL);
}

/* The HXL row under the header: each column's tag (text, whatever the
 * column's kind). */
static void hxl_row(struct walk *w)
{
	const char *tag = w->tags.data;
	for (int k = 0; k < w->ntags; k++, tag += strlen(tag) + 1)
		tab_tag(w->t, *tag ? tag : NULL);
	tab_row_end(w->t);
}

static void cell(struct walk *w, const char *s)
{
	tab_cell(w->t, s);
}

static void set_label(void *ctx, const char *key, const char *label)
{
	struct walk *w = ctx;
	if (w->n++)
		buf_adds(&w->label, "; ");
	if (label) {
		buf_adds(&w->label, label);
	} else {
		buf_addc(&w->label, '#');
		buf_adds(&w->label, key);
	}
}

/* The label cell after field f of a labelled row: the record's own after
 * its key; the label of what a reference names, "#key" when the reader
 * may not see it; those of a set, separated by "; ". */
static void label_cell(struct walk *w, const struct field *f, const struct row *row)
{
	buf_reset(&w->label);
	w->n = 0;
	if (f == ent_keyfield(w->e))
		label_own(&w->label, &w->reader, w->e, row);
	else if (f->type == FT_REFS)
		label_refs(&w->reader, f, row, set_label, w);
	else if (row_text(row, f->col) && !label_ref(&w->label, &w->reader, f, row))
		set_label(w, row_text(row, f->col), NULL);
	cell(w, w->label.len ? buf_cstr(&w->label) : NULL);
}

/* Field f's cell(s) of a row. */
static void field_cells(struct walk *w, const struct field *f, const struct row *row)
{
	for (int l = 0; f->type == FT_I18N && l < LANG__MAX; l++)
		cell(w, row_text(row, f->col + l));
	if (f->type == FT_I18N)
		return;
	const char *s = row_text(row, f->col);
	if (f->type == FT_BOOL && s) {
		s = row_int(row, f->col) ? "true" : "false";
	} else if (f->type == FT_REFS && s) {
		/* ',' inside a cell would be quoted in a CSV; ';' reads better. */
		buf_reset(&w->cell);
		buf_adds(&w->cell, s);
		for (size_t j = 0; j < w->cell.len; j++)
			if (w->cell.data[j] == ',')
				w->cell.data[j] = ';';
		s = buf_cstr(&w->cell);
	}
	cell(w, s);
}

/* The written form of an amount (money.h) after its currency's cell: the
 * reader's way in a CSV, a number in its currency's format in a sheet. */
static void money_cell(struct walk *w, const struct field *amount, const struct field *currency, const struct row *row)
{
	if (row_null(row, amount->col)) {
		cell(w, NULL);
		return;
	}
	long long minor = row_int(row, amount->col);
	const char *code = row_text(row, currency->col);
	buf_reset(&w->cell);
	money_format(&w->cell, w->reader.lang, minor, code);
	tab_money(w->t, buf_cstr(&w->cell), minor, code);
}

static enum app_err walk_row(void *ctx, const struct row *row)
{
	struct walk *w = ctx;
	const struct entity *e = w->e;
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if (!field_visible(f, w->viewer))
			continue;
		field_cells(w, f, row);
		if (i == e->key || is_ref(f))
			label_cell(w, f, row);
		if (amount_of(w, i))
			money_cell(w, &e->fields[i - 1], f, row);
	}
	tab_int(w->t, row_int(row, e->col_version));
	cell(w, row_text(row, e->col_created));
	cell(w, row_text(row, e->col_updated));
	tab_row_end(w->t);
	return APP_OK;
}

enum app_err table_walk(struct store *st, const struct query *q, enum lang lang, bool hxl, struct tab *t)
{
	struct query all = *q;
	all.limit = -1; /* every row */
	all.offset = 0;
	all.labels = LABELS_ALL;
	struct walk w = { .e = q->e, .t = t, .viewer = q->viewer,
			  .reader = { .lang = lang, .role = q->viewer, .mode = LABEL_DATA } };
	header(&w);
	tab_row_end(t);
	if (hxl)
		hxl_row(&w);
	enum app_err rc = store_list(st, &all, NULL, walk_row, &w);
	buf_release(&w.label);
	buf_release(&w.cell);
	buf_release(&w.tags);
	return rc;
}
