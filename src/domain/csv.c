/* csv.c — see csv.h. */
#include "csv.h"

#include <string.h>

#include "label.h"
#include "banned.h"

static bool is_ref(const struct field *f)
{
	return f->type == FT_REF || f->type == FT_REFS;
}

static void header(struct buf *out, const struct entity *e, enum role viewer)
{
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if (!field_visible(f, viewer))
			continue;
		if (f->type == FT_I18N)
			for (int l = 0; l < LANG__MAX; l++)
				buf_printf(out, "%s%s_%s", i || l ? "," : "", f->name, lang_code[l]);
		else
			buf_printf(out, "%s%s", i ? "," : "", f->name);
		if (i == e->key)
			buf_adds(out, ",label");
		else if (is_ref(f))
			buf_printf(out, ",%s_label", f->name);
	}
	buf_adds(out, ",version,created_at,updated_at\r\n");
}

/* Is the field's value a typed one (a number, an amount, a date, a yes/no,
 * the number of a record, one of the registry's values) rather than text
 * someone typed?  Typed values are written as they are: guarding them
 * against formulas would turn the amount -12345 into the text '-12345. */
static bool typed(const struct field *f)
{
	switch (f->type) {
	case FT_ID:
	case FT_INT:
	case FT_BOOL:
	case FT_DATE:
	case FT_ENUM:
		return true;
	case FT_REF:
	case FT_REFS:
		return ent_keyfield(f->target)->type == FT_ID;
	default:
		return false;
	}
}

struct csv_ctx {
	const struct entity *e;
	struct buf *out;
	enum role viewer;
	struct label_reader reader;
	struct buf label;
	int n;
};

static void set_label(void *ctx, const char *key, const char *label)
{
	struct csv_ctx *c = ctx;
	if (c->n++)
		buf_adds(&c->label, "; ");
	if (label) {
		buf_adds(&c->label, label);
	} else {
		buf_addc(&c->label, '#');
		buf_adds(&c->label, key);
	}
}

/* The label cell after field f of a labelled row: the record's own after
 * its key; the label of what a reference names, "#key" when the reader
 * may not see it; those of a set, separated by "; ". */
static void label_cell(struct csv_ctx *c, const struct field *f, const struct row *row)
{
	buf_reset(&c->label);
	c->n = 0;
	if (f == ent_keyfield(c->e))
		label_own(&c->label, &c->reader, c->e, row);
	else if (f->type == FT_REFS)
		label_refs(&c->reader, f, row, set_label, c);
	else if (row_text(row, f->col) && !label_ref(&c->label, &c->reader, f, row))
		set_label(c, row_text(row, f->col), NULL);
	buf_addc(c->out, ',');
	buf_csv(c->out, buf_cstr(&c->label));
}

static enum app_err csv_row(void *ctx, const struct row *row)
{
	struct csv_ctx *c = ctx;
	const struct entity *e = c->e;
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if (!field_visible(f, c->viewer))
			continue;
		int ncol = f->type == FT_I18N ? LANG__MAX : 1;
		for (int k = 0; k < ncol; k++) {
			const char *s = row_text(row, f->col + k);
			if (i || k)
				buf_addc(c->out, ',');
			void (*cell)(struct buf *, const char *) = typed(f) ? buf_csv_value : buf_csv;
			if (f->type == FT_BOOL && s) {
				buf_adds(c->out, row_int(row, f->col) ? "true" : "false");
			} else if (f->type == FT_REFS && s) {
				/* ',' inside a cell would be quoted; ';' reads better. */
				struct buf joined = BUF_INIT;
				buf_adds(&joined, s);
				for (size_t j = 0; j < joined.len; j++)
					if (joined.data[j] == ',')
						joined.data[j] = ';';
				cell(c->out, buf_cstr(&joined));
				buf_release(&joined);
			} else {
				cell(c->out, s);
			}
		}
		if (i == e->key || is_ref(f))
			label_cell(c, f, row);
	}
	buf_printf(c->out, ",%lld,%s,%s\r\n", row_int(row, e->col_version),
		   row_text(row, e->col_created), row_text(row, e->col_updated));
	return APP_OK;
}

enum app_err csv_export(struct store *st, const struct query *q, enum lang lang, struct buf *out)
{
	struct query all = *q;
	all.limit = -1; /* every row */
	all.offset = 0;
	all.labels = LABELS_ALL;
	header(out, q->e, q->viewer);
	struct csv_ctx c = { .e = q->e, .out = out, .viewer = q->viewer,
			     .reader = { .lang = lang, .role = q->viewer, .mode = LABEL_DATA } };
	enum app_err rc = store_list(st, &all, NULL, csv_row, &c);
	buf_release(&c.label);
	return rc;
}
