/* label.c — see label.h; the rule's grammar is in entity.h. */
#define _POSIX_C_SOURCE 200809L
#include "label.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

#define PART_MAX 90   /* characters of one text in a label: a name, not the text */
#define DEPTH_MAX 3   /* records named within records named within ... */
#define FIRST_PART 2  /* from this depth on, a named record shows its first part only */

/* ---- compiling a rule ------------------------------------------------------------- */

struct compiler {
	struct entity *root;
	struct label_op *ops;
	int n, cap, width;
};

static void die(const struct compiler *c, const char *what, const char *at)
{
	fprintf(stderr, "suivi: label rule of %s: %s at \"%s\"\n", c->root->name, what, at);
	abort();
}

static int emit(struct compiler *c, const struct label_op *op, int columns)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->ops = xrealloc(c->ops, (size_t)c->cap * sizeof *c->ops);
	}
	c->ops[c->n] = *op;
	c->ops[c->n].col = c->width;
	c->width += columns;
	return c->n++;
}

static bool name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
}

/* The field of e named by the name at *p (moved past it). */
static const struct field *field_at(struct compiler *c, const struct entity *e, const char **p)
{
	size_t n = 0;
	while (name_char((*p)[n]))
		n++;
	for (int i = 0; n && i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if (strlen(f->name) == n && strncmp(f->name, *p, n) == 0) {
			*p += n;
			return f;
		}
	}
	die(c, "no such field", *p);
	return NULL;
}

/* The separator at *p (moved past it), LS_NONE when there is none. */
static enum label_sep separator(const char **p)
{
	static const struct {
		const char *text;
		enum label_sep sep;
	} seps[] = { { " \xe2\x80\x94 ", LS_DASH }, { ". ", LS_STOP }, { ", ", LS_COMMA }, { " ", LS_SPACE } };
	for (size_t i = 0; i < sizeof seps / sizeof *seps; i++) {
		size_t n = strlen(seps[i].text);
		if (strncmp(*p, seps[i].text, n) == 0) {
			*p += n;
			return seps[i].sep;
		}
	}
	return LS_NONE;
}

struct path {
	const struct field *hops[LABEL_HOPS];
	int nhops;
};

static const char *sequence(struct compiler *c, const struct entity *e, const char *p,
			    const struct path *at, int depth, bool whole);

/* The label of the record that f (a reference of the record at `at`) names. */
static void nested(struct compiler *c, const struct path *at, const struct field *f, int depth,
		   const char *where)
{
	if (at->nhops == LABEL_HOPS || depth == DEPTH_MAX)
		die(c, "records named within records too deep (or leading back to one)", where);
	struct label_op op = { .kind = LB_OPEN, .f = f, .nhops = at->nhops };
	memcpy(op.hops, at->hops, sizeof op.hops);
	int open = emit(c, &op, 1);
	struct path inner = *at;
	inner.hops[inner.nhops++] = f;
	const char *rule = f->target->label_rule;
	sequence(c, f->target, rule, &inner, depth + 1, depth + 1 < FIRST_PART);
	int end = emit(c, &(struct label_op){ .kind = LB_END }, 0); /* (emit may move ops) */
	c->ops[open].end = end;
}

/* One field, "a.b.c", "start~end" or "amount$currency", of the record at `at`. */
static const char *value(struct compiler *c, const struct entity *e, const char *p,
			 const struct path *at, int depth)
{
	const char *start = p;
	struct path here = *at;
	const struct field *f = field_at(c, e, &p);
	while (*p == '.' && name_char(p[1])) {
		if (f->type != FT_REF || here.nhops == LABEL_HOPS)
			die(c, "a step that is not a reference", start);
		here.hops[here.nhops++] = f;
		e = f->target;
		p++;
		f = field_at(c, e, &p);
	}
	if ((f->flags & (F_COMPUTED | F_RKEY)) || f->type == FT_REFS)
		die(c, "a computed field, a record key or a set of references", start);
	struct label_op op = { .kind = LB_VALUE, .f = f, .nhops = here.nhops };
	memcpy(op.hops, here.hops, sizeof op.hops);
	if (*p == '~' || *p == '$') {
		op.kind = *p == '~' ? LB_RANGE : LB_MONEY;
		p++;
		op.f2 = field_at(c, e, &p);
		bool ok = op.kind == LB_RANGE ? f->type == FT_DATE && op.f2->type == FT_DATE
					      : f->type == FT_INT && op.f2->type == FT_TEXT;
		if (!ok)
			die(c, "a range of two dates or an amount $ its currency", start);
		emit(c, &op, 2);
	} else if (f->type == FT_REF) {
		nested(c, &here, f, depth, start);
	} else {
		emit(c, &op, f->type == FT_I18N ? LANG__MAX : 1);
	}
	return p;
}

/* Items and their separators up to the end of the rule or a ')'; only the
 * first part (up to the first " — ") unless whole. */
static const char *sequence(struct compiler *c, const struct entity *e, const char *p,
			    const struct path *at, int depth, bool whole)
{
	for (;;) {
		if (*p == '(') {
			int group = emit(c, &(struct label_op){ .kind = LB_GROUP }, 0);
			p = sequence(c, e, p + 1, at, depth, true);
			if (*p++ != ')')
				die(c, "a '(' without its ')'", p - 1);
			int end = emit(c, &(struct label_op){ .kind = LB_END }, 0);
			c->ops[group].end = end;
		} else {
			p = value(c, e, p, at, depth);
		}
		if (!*p || *p == ')')
			return p;
		const char *before = p;
		enum label_sep sep = separator(&p);
		if (sep == LS_NONE)
			die(c, "an unknown separator", before);
		if (sep == LS_DASH && !whole)
			return before + strlen(before); /* the first part only */
		emit(c, &(struct label_op){ .kind = LB_SEP, .sep = sep }, 0);
	}
}

void label_compile(struct entity *e)
{
	if (e->label_ops)
		return;
	struct compiler c = { .root = e };
	if (!e->label_rule || !*e->label_rule)
		die(&c, "no rule", "");
	struct path top = { .nhops = 0 };
	const char *end = sequence(&c, e, e->label_rule, &top, 0, true);
	if (*end)
		die(&c, "a ')' without its '('", end);
	e->label_ops = c.ops;
	e->label_nops = c.n;
	e->label_width = c.width;
}

bool label_shows(const struct entity *e, const struct field *f)
{
	for (int i = 0; i < e->label_nops; i++) {
		const struct label_op *op = &e->label_ops[i];
		if (op->nhops ? op->hops[0] == f /* the label names the record f refers to */
			      : (op->kind == LB_VALUE || op->kind == LB_RANGE || op->kind == LB_MONEY) &&
					(op->f == f || op->f2 == f))
			return true;
	}
	return false;
}

void label_layout(struct entity *e)
{
	int col = e->ncols + e->label_width;
	for (int i = 0; i < e->nfields; i++) {
		struct field *f = &e->fields[i];
		if (f->type != FT_REF && f->type != FT_REFS)
			continue;
		f->label_col = col;
		col += f->type == FT_REF ? 1 + f->target->label_width : 1;
	}
	e->label_ncols = col - e->ncols;
}

/* ---- writing a label ---------------------------------------------------------------- */

/* The columns of one label: a row's from base, or the cells of one record
 * of a set (label.h: LABEL_CELL). */
struct cols {
	const struct row *row;
	int base;
	char **cells;
	int ncells;
};

static const char *col(const struct cols *v, int i)
{
	if (v->row)
		return row_text(v->row, v->base + i);
	i += v->base;
	return i < v->ncells && *v->cells[i] ? v->cells[i] : NULL;
}

/* The record whose label is being written: where a field the reader may
 * not see gives way to its neutral name, once. */
struct scope {
	const struct entity *e;
	const char *key;
	bool named;
};

struct writer {
	const struct label_reader *r;
	const struct cols *v;
	const struct label_op *ops;
};

/* Text as it is: escaped for HTML. */
static void put(const struct writer *w, struct buf *out, const char *s)
{
	if (w->r->mode == LABEL_HTML)
		buf_html(out, s);
	else
		buf_adds(out, s);
}

static bool rtl_reader(const struct writer *w)
{
	return w->r->mode != LABEL_DATA && lang_rtl(w->r->lang);
}

/* Around text that may run the other way (a number, a code, a range, a
 * Latin name in an Arabic label): isolates for an Arabic reader. */
static void iso_begin(const struct writer *w, struct buf *out)
{
	if (rtl_reader(w))
		buf_adds(out, w->r->mode == LABEL_HTML ? "<bdi>" : "\xe2\x81\xa8");
}

static void iso_end(const struct writer *w, struct buf *out)
{
	if (rtl_reader(w))
		buf_adds(out, w->r->mode == LABEL_HTML ? "</bdi>" : "\xe2\x81\xa9");
}

static void isolated(const struct writer *w, struct buf *out, const char *s)
{
	iso_begin(w, out);
	put(w, out, s);
	iso_end(w, out);
}

/* A text of people, cut to PART_MAX characters. */
static void cut(struct buf *out, const char *s)
{
	size_t chars = 0, i = 0;
	for (; s[i]; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == PART_MAX)
			break;
	buf_add(out, s, i);
	if (s[i])
		buf_adds(out, "…");
}

static void text(const struct writer *w, struct buf *out, const char *s)
{
	struct buf t = BUF_INIT;
	cut(&t, s);
	isolated(w, out, buf_cstr(&t));
	buf_release(&t);
}

/* Multilingual text in the reader's language, else French, English, Arabic. */
static void i18n_text(const struct writer *w, struct buf *out, int col0)
{
	static const enum lang order[LANG__MAX] = { LANG_FR, LANG_EN, LANG_AR };
	enum lang shown = w->r->lang;
	const char *s = col(w->v, col0 + (int)shown);
	for (int i = 0; i < LANG__MAX && !s; i++)
		s = col(w->v, col0 + (int)(shown = order[i]));
	if (!s)
		return;
	struct buf t = BUF_INIT;
	cut(&t, s);
	if (shown == w->r->lang) {
		put(w, out, buf_cstr(&t));
	} else if (w->r->mode == LABEL_HTML) {
		buf_printf(out, "<span lang=\"%s\" dir=\"%s\">", lang_code[shown], lang_rtl(shown) ? "rtl" : "ltr");
		buf_html(out, buf_cstr(&t));
		buf_adds(out, "</span>");
	} else {
		isolated(w, out, buf_cstr(&t));
	}
	buf_release(&t);
}

static void date(const struct writer *w, struct buf *out, const char *iso)
{
	struct buf words = BUF_INIT;
	if (!i18n_date(&words, w->r->lang, iso)) {
		isolated(w, out, iso);
	} else if (w->r->mode == LABEL_HTML) {
		buf_printf(out, "<time datetime=\"%.10s\">", iso);
		buf_html(out, buf_cstr(&words));
		buf_adds(out, "</time>");
	} else {
		buf_adds(out, buf_cstr(&words));
	}
	buf_release(&words);
}

static void field_value(const struct writer *w, struct buf *out, const struct field *f, int c)
{
	const char *s = col(w->v, c);
	if (f->type == FT_I18N) {
		i18n_text(w, out, c);
		return;
	}
	if (!s)
		return;
	switch (f->type) {
	case FT_DATE:
		date(w, out, s);
		break;
	case FT_ENUM:
		put(w, out, tr(w->r->lang, s));
		break;
	case FT_BOOL:
		put(w, out, tr(w->r->lang, strcmp(s, "0") ? "yes" : "no"));
		break;
	default:
		text(w, out, s);
	}
}

/* "8–12 February 2027" within a month, "8 February 2027 – 3 March 2027" across. */
static void range(const struct writer *w, struct buf *out, const struct label_op *op)
{
	const char *from = col(w->v, op->col), *to = col(w->v, op->col + 1);
	if (!from && !to)
		return;
	iso_begin(w, out);
	if (from && to && strcmp(from, to) != 0 && strncmp(from, to, 8) == 0 && util_valid_date(from)) {
		buf_printf(out, "%d–", (from[8] - '0') * 10 + (from[9] - '0'));
		date(w, out, to);
	} else {
		if (from)
			date(w, out, from);
		if (to && (!from || strcmp(from, to) != 0)) {
			buf_adds(out, from ? " – " : "– ");
			date(w, out, to);
		}
	}
	iso_end(w, out);
}

static void money(const struct writer *w, struct buf *out, const struct label_op *op)
{
	long long minor;
	const char *amount = col(w->v, op->col);
	if (!amount || !util_parse_ll(amount, &minor))
		return;
	struct buf m = BUF_INIT;
	money_format(&m, w->r->lang, minor, col(w->v, op->col + 1));
	isolated(w, out, buf_cstr(&m));
	buf_release(&m);
}

/* The record's neutral name: "Participant 12". */
static void neutral_name(const struct writer *w, struct buf *out, const struct entity *e, const char *key)
{
	put(w, out, tr(w->r->lang, e->label));
	buf_addc(out, ' ');
	isolated(w, out, key);
}

static void sequence_out(const struct writer *w, struct buf *out, int i, int end, bool nested,
			 struct scope *sc);

/* One item starting at ops[i]; answers the index after it. */
static int item(const struct writer *w, struct buf *out, int i, struct scope *sc)
{
	const struct label_op *op = &w->ops[i];
	switch (op->kind) {
	case LB_GROUP: {
		struct buf in = BUF_INIT;
		sequence_out(w, &in, i + 1, op->end, false, sc);
		if (in.len) {
			buf_addc(out, '(');
			buf_add(out, in.data, in.len);
			buf_addc(out, ')');
		}
		buf_release(&in);
		return op->end + 1;
	}
	case LB_OPEN: {
		struct scope inner = { .e = op->f->target, .key = col(w->v, op->col) };
		if (inner.key) /* NULL: none, or one the reader may not see */
			sequence_out(w, out, i + 1, op->end, true, &inner);
		return op->end + 1;
	}
	default:
		break;
	}
	/* a field the reader may not see: the record's neutral name instead, once */
	if (!field_visible(op->f, w->r->role) || (op->f2 && !field_visible(op->f2, w->r->role))) {
		if (!sc->named)
			neutral_name(w, out, sc->e, sc->key);
		sc->named = true;
	} else if (op->kind == LB_RANGE) {
		range(w, out, op);
	} else if (op->kind == LB_MONEY) {
		money(w, out, op);
	} else {
		field_value(w, out, op->f, op->col);
	}
	return i + 1;
}

/* What goes between two items: the strongest separator between them; in a
 * nested label the first " — " opens a parenthesis and later ones are commas. */
static void separate(const struct writer *w, struct buf *out, enum label_sep sep, bool nested,
		     bool *opened)
{
	if (sep == LS_DASH && nested) {
		buf_adds(out, *opened ? tr(w->r->lang, ", ") : " (");
		*opened = true;
		return;
	}
	switch (sep) {
	case LS_DASH:
		buf_adds(out, " \xe2\x80\x94 ");
		break;
	case LS_STOP:
		buf_adds(out, ". ");
		break;
	case LS_COMMA:
		buf_adds(out, tr(w->r->lang, ", "));
		break;
	default:
		buf_addc(out, ' ');
	}
}

static void sequence_out(const struct writer *w, struct buf *out, int i, int end, bool nested,
			 struct scope *sc)
{
	enum label_sep pending = LS_NONE, last = LS_NONE;
	bool wrote = false, opened = false;
	while (i < end) {
		const struct label_op *op = &w->ops[i];
		if (op->kind == LB_SEP) {
			if (op->sep > pending)
				pending = op->sep;
			last = op->sep;
			i++;
			continue;
		}
		/* a group in parentheses keeps the separator just before it:
		 * "a, b (c)" without b is "a (c)" */
		enum label_sep sep = op->kind == LB_GROUP ? last : pending;
		struct buf one = BUF_INIT;
		i = item(w, &one, i, sc);
		if (one.len) {
			if (wrote)
				separate(w, out, sep, nested, &opened);
			buf_add(out, one.data, one.len);
			wrote = true;
			pending = LS_NONE;
		}
		buf_release(&one);
	}
	if (opened)
		buf_addc(out, ')');
}

/* The label of a record of e whose columns are v, whose key is key. */
static void record_label(struct buf *out, const struct label_reader *r, const struct entity *e,
			 const struct cols *v, const char *key)
{
	struct writer w = { .r = r, .v = v, .ops = e->label_ops };
	struct scope sc = { .e = e, .key = key };
	size_t before = out->len;
	sequence_out(&w, out, 0, e->label_nops, false, &sc);
	if (out->len == before && key)
		neutral_name(&w, out, e, key);
}

void label_own(struct buf *out, const struct label_reader *r, const struct entity *e,
	       const struct row *row)
{
	struct cols v = { .row = row, .base = e->ncols };
	record_label(out, r, e, &v, row_text(row, ent_keyfield(e)->col));
}

bool label_ref(struct buf *out, const struct label_reader *r, const struct field *f,
	       const struct row *row)
{
	const char *key = row_text(row, f->label_col);
	if (!key)
		return false;
	struct cols v = { .row = row, .base = f->label_col + 1 };
	record_label(out, r, f->target, &v, key);
	return true;
}

/* Splits s at every sep into *cells (pointers into s, which is changed). */
static int split(char *s, char sep, char ***cells)
{
	int n = 1;
	for (char *p = s; *p; p++)
		n += *p == sep;
	*cells = xcalloc((size_t)n, sizeof **cells);
	int k = 0;
	(*cells)[k++] = s;
	for (char *p = s; *p; p++)
		if (*p == sep) {
			*p = '\0';
			(*cells)[k++] = p + 1;
		}
	return n;
}

void label_refs(const struct label_reader *r, const struct field *f, const struct row *row,
		label_each_fn fn, void *ctx)
{
	const char *all = row_text(row, f->label_col);
	if (!all || !*all)
		return;
	char *copy = xstrdup(all), **records;
	int n = split(copy, LABEL_RECORD[0], &records);
	struct buf label = BUF_INIT;
	for (int i = 0; i < n; i++) {
		char **cells;
		int ncells = split(records[i], LABEL_CELL[0], &cells);
		/* cells: the key, the key again when it may be seen, the label's columns */
		struct cols v = { .cells = cells, .ncells = ncells, .base = 2 };
		buf_reset(&label);
		bool seen = ncells > 1 && *cells[1];
		if (seen)
			record_label(&label, r, f->target, &v, cells[0]);
		fn(ctx, cells[0], seen ? buf_cstr(&label) : NULL);
		free(cells);
	}
	buf_release(&label);
	free(records);
	free(copy);
}

/* ---- labels in the API ------------------------------------------------------------- */

struct json_each {
	struct buf *out;
	int n;
};

static void json_each(void *ctx, const char *key, const char *label)
{
	struct json_each *j = ctx;
	(void)key;
	buf_adds(j->out, j->n++ ? "," : "");
	if (label)
		buf_json_str(j->out, label);
	else
		buf_adds(j->out, "null");
}

void label_json(struct buf *out, const struct label_reader *r, const struct entity *e,
		const struct row *row)
{
	struct buf t = BUF_INIT;
	label_own(&t, r, e, row);
	buf_adds(out, ",\"_label\":");
	buf_json_str(out, buf_cstr(&t));
	buf_adds(out, ",\"_labels\":{");
	int n = 0;
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if ((f->type != FT_REF && f->type != FT_REFS) || !field_visible(f, r->role) ||
		    (f->type == FT_REF && !row_text(row, f->col)))
			continue;
		buf_printf(out, "%s\"%s\":", n++ ? "," : "", f->name);
		if (f->type == FT_REFS) {
			struct json_each j = { .out = out };
			buf_addc(out, '[');
			label_refs(r, f, row, json_each, &j);
			buf_addc(out, ']');
			continue;
		}
		buf_reset(&t);
		if (label_ref(&t, r, f, row))
			buf_json_str(out, buf_cstr(&t));
		else
			buf_adds(out, "null");
	}
	buf_addc(out, '}');
	buf_release(&t);
}
