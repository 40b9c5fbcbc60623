/* template.c — see template.h.
 *
 * The lists are gathered first (the drop-downs of the first sheet name
 * their cells in the second), then both sheets are written. */
#include "template.h"

#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "i18n.h"
#include "import.h"
#include "label.h"
#include "page.h"
#include "xalloc.h"
#include "xlsx.h"
#include "xlsx_export.h"
#include "banned.h"

#define TEMPLATE_ROWS 1000 /* the rows the drop-downs are offered in */
#define CODES_MAX 2000     /* the records listed for a reference */

/* The values a column takes, for the sheet of codes. */
struct choices {
	const struct field *f;
	char **code, **label;
	size_t n, cap;
	bool more;          /* CODES_MAX were listed and there are more */
};

/* A column of the template: a field (a multilingual one, in one language). */
struct tcol {
	const struct field *f;
	int lang;           /* FT_I18N: which; else -1 */
	struct choices *ch; /* NULL: no list */
};

struct form {
	struct request *req;
	const struct entity *e;
	struct tcol cols[96];
	int ncols;
	struct choices lists[32];
	int nlists;
	struct label_reader r;
};

static void choice_add(struct choices *c, const char *code, char *label)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 32;
		c->code = xrealloc(c->code, c->cap * sizeof *c->code);
		c->label = xrealloc(c->label, c->cap * sizeof *c->label);
	}
	c->code[c->n] = xstrdup(code);
	c->label[c->n++] = label;
}

struct ref_ctx {
	struct form *t;
	struct choices *c;
};

static enum app_err ref_row(void *ctx, const struct row *row)
{
	struct ref_ctx *x = ctx;
	const struct entity *e = x->c->f->target;
	if (x->c->n == CODES_MAX) {
		x->c->more = true;
		return APP_OK;
	}
	struct buf label = BUF_INIT;
	label_own(&label, &x->t->r, e, row);
	const char *key = row_text(row, ent_keyfield(e)->col);
	choice_add(x->c, key ? key : "", buf_detach(&label));
	return APP_OK;
}

/* The values of an allowed set, or the records a reference may name that
 * the reader may read. */
static void gather(struct form *t, struct choices *c)
{
	struct request *req = t->req;
	const struct field *f = c->f;
	if (f->type == FT_ENUM) {
		for (const char *const *v = f->values; *v; v++)
			choice_add(c, *v, xstrdup(ent_value_label(req->lang, f, *v)));
		return;
	}
	if (!ent_can_read(f->target, req->who.role))
		return;
	struct query q;
	dom_query_init(&q, f->target, &req->who);
	q.limit = CODES_MAX + 1;
	q.labels = LABELS_OWN;
	q.lang = req->lang;
	struct ref_ctx x = { t, c };
	if (store_list(req->app->store, &q, NULL, ref_row, &x) != APP_OK)
		c->n = 0;
	dom_query_release(&q);
}

/* Does the import read f (import.c: the writable fields)? */
static bool imported(const struct request *req, const struct field *f)
{
	if ((f->flags & (F_RO | F_COMPUTED)) || f->type == FT_ID || !field_visible(f, req->who.role))
		return false;
	return field_stored(f) || f->type == FT_REFS;
}

static void columns(struct form *t)
{
	for (int i = 0; i < t->e->nfields; i++) {
		const struct field *f = &t->e->fields[i];
		if (!imported(t->req, f))
			continue;
		struct choices *ch = NULL;
		if ((f->type == FT_ENUM || f->type == FT_REF || f->type == FT_REFS) &&
		    t->nlists < (int)(sizeof t->lists / sizeof *t->lists)) {
			ch = &t->lists[t->nlists++];
			ch->f = f;
			gather(t, ch);
		}
		for (int lang = 0; lang < (f->type == FT_I18N ? LANG__MAX : 1); lang++)
			if (t->ncols < (int)(sizeof t->cols / sizeof *t->cols))
				t->cols[t->ncols++] = (struct tcol){ f, f->type == FT_I18N ? lang : -1, ch };
	}
}

static void column_name(const struct tcol *c, char *out, size_t n)
{
	if (c->lang >= 0)
		snprintf(out, n, "%s_%s", c->f->name, lang_code[c->lang]);
	else
		snprintf(out, n, "%s", c->f->name);
}

/* What a column is and how it is written, in the reader's language. */
static void note(const struct form *t, const struct tcol *c, struct buf *out)
{
	const struct request *req = t->req;
	const struct field *f = c->f;
	buf_adds(out, _(f->label));
	if (c->lang >= 0)
		buf_printf(out, " (%s)", lang_native[c->lang]);
	buf_printf(out, "\n%s", f->flags & F_REQUIRED ? _("Required.") : _("Optional."));
	if (f->type == FT_DATE)
		buf_printf(out, " %s", _("A date: YYYY-MM-DD or DD/MM/YYYY."));
	else if (f->type == FT_BOOL)
		buf_printf(out, " %s", _("Yes or no."));
	else if (f->type == FT_INT)
		buf_printf(out, " %s", _("A number."));
	else if (f->type == FT_ENUM || (f->type == FT_REF && !ent_int_key(f->target)))
		buf_printf(out, " %s", _("Choose from the list; the sheet Codes gives the names."));
	else if (f->type == FT_REF)
		buf_printf(out, " %s", _("The record's number: the sheet Codes lists them with their names."));
	else if (f->type == FT_REFS)
		buf_printf(out, " %s", _("Codes or numbers from the sheet Codes, separated by ;"));
	if (c->ch && c->ch->more)
		buf_printf(out, " %s", _("The sheet Codes lists the first 2000; the others are in the list's pages."));
}

/* The column of the sheet of codes that holds a list's codes (its name
 * beside them): two columns a list, in the order of the lists. */
static int codes_column(const struct form *t, const struct choices *c)
{
	return 2 * (int)(c - t->lists);
}

static char codes_letter(const struct form *t, const struct choices *c)
{
	return (char)('A' + codes_column(t, c));
}

/* The sheet to fill: its header, each column's note and drop-down. */
static enum app_err form_sheet(struct form *t, struct xlsx *x, const char *codes)
{
	struct request *req = t->req;
	enum app_err rc = xlsx_sheet(x, _(t->e->label_plural), req->lang == LANG_AR);
	static const char *const yes_no[][3] = { { "oui", "non", NULL }, { "yes", "no", NULL } };
	for (int i = 0; i < t->ncols && !rc; i++) {
		const struct tcol *c = &t->cols[i];
		char name[80];
		column_name(c, name, sizeof name);
		enum xlsx_kind kind = c->f->type == FT_DATE ? XLSX_DATE : c->f->type == FT_BOOL ? XLSX_BOOL
				    : c->f->type == FT_INT ? XLSX_NUMBER : XLSX_TEXT;
		xlsx_column(x, i, name, kind);
		struct buf b = BUF_INIT;
		note(t, c, &b);
		xlsx_note(x, i, buf_cstr(&b));
		buf_release(&b);
		bool listed = c->ch && c->ch->n && c->f->type != FT_REFS &&
			      (c->f->type == FT_ENUM || !ent_int_key(c->f->target));
		if (listed) {
			char letter = codes_letter(t, c->ch);
			char *range = xasprintf("='%s'!$%c$2:$%c$%zu", codes, letter, letter, c->ch->n + 1);
			xlsx_choices(x, i, TEMPLATE_ROWS, range, _("Not in the list"),
				     _("Choose a value from the list."));
			free(range);
		} else if (c->f->type == FT_BOOL) {
			xlsx_choices_of(x, i, TEMPLATE_ROWS, yes_no[req->lang != LANG_FR], _("Not in the list"),
					_("Choose a value from the list."));
		}
	}
	xlsx_row_end(x);
	return rc;
}

/* The sheet of codes: for each list, its codes and their names side by
 * side (at most 13 lists: the drop-downs name columns A to Z). */
static enum app_err codes_sheet(struct form *t, struct xlsx *x, const char *codes)
{
	struct request *req = t->req;
	enum app_err rc = xlsx_sheet(x, codes, req->lang == LANG_AR);
	size_t rows = 0;
	for (int l = 0; l < t->nlists && !rc; l++) {
		const struct choices *c = &t->lists[l];
		xlsx_column(x, codes_column(t, c), c->f->name, XLSX_TEXT);
		xlsx_column(x, codes_column(t, c) + 1, _(c->f->label), XLSX_TEXT);
		if (c->n > rows)
			rows = c->n;
	}
	xlsx_row_end(x);
	for (size_t r = 0; r < rows && !rc; r++) {
		for (int l = 0; l < t->nlists; l++) {
			const struct choices *c = &t->lists[l];
			if (r < c->n) {
				xlsx_cell(x, codes_column(t, c), c->code[r], XLSX_TEXT);
				xlsx_cell(x, codes_column(t, c) + 1, c->label[r], XLSX_TEXT);
			}
		}
		xlsx_row_end(x);
	}
	return rc;
}

static void release(struct form *t)
{
	for (int l = 0; l < t->nlists; l++) {
		for (size_t i = 0; i < t->lists[l].n; i++) {
			free(t->lists[l].code[i]);
			free(t->lists[l].label[i]);
		}
		free(t->lists[l].code);
		free(t->lists[l].label);
	}
}

enum app_err template_xlsx(struct request *req, const struct entity *e, struct buf *out)
{
	struct form t = { .req = req, .e = e, .r = page_reader(req, LABEL_TEXT) };
	columns(&t);
	if (t.nlists > 13)
		t.nlists = 13;
	const char *codes = _("Codes");
	struct xlsx *x = xlsx_new_form();
	enum app_err rc = x ? APP_OK : APP_INTERNAL;
	if (!rc)
		rc = form_sheet(&t, x, codes);
	if (!rc)
		rc = codes_sheet(&t, x, codes);
	if (x && rc)
		xlsx_abandon(x);
	else if (x)
		rc = xlsx_close_into(x, out);
	release(&t);
	return rc;
}

void template_page(struct request *req, struct response *resp)
{
	const struct entity *e = req->entity;
	if (!import_may_collection(e) || !ent_can_write(e, req->who.role)) {
		page_error(req, resp, import_may_collection(e) ? 403 : 404,
			   import_may_collection(e) ? N_("Your role may not do this.") : N_("This collection cannot be imported."));
		return;
	}
	enum app_err rc = template_xlsx(req, e, &resp->body);
	if (rc) {
		buf_reset(&resp->body);
		page_error_rc(req, resp, rc);
		return;
	}
	resp->status = 200;
	resp->content_type = XLSX_CONTENT_TYPE;
	char *cd = xasprintf("attachment; filename=\"%s-template.xlsx\"", e->plural);
	resp_header(resp, "Content-Disposition", cd);
	free(cd);
}
