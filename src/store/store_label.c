/* store_label.c — the label columns of a labelled query (store.h:
 * query.labels; label.h says what they hold).
 *
 * Each record a label names is read by a LEFT JOIN on its key whose ON
 * clause also says that the reader may see it (stmt_visible): a record
 * outside the reader's scope comes back as NULLs, exactly as a missing one,
 * and an entity the reader may not read is not joined at all.  A record
 * named twice (the row's own label and a reference's) is joined once.  A
 * set of references is one column: a subquery joining its link table to
 * the records, their cells joined (entity.h: LABEL_CELL, LABEL_RECORD). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_label.h"
#include "banned.h"

#define UNREACHABLE (-2) /* a node the reader may not read */
#define ROW (-1)         /* the row itself */

static void alias(char out[16], const struct label_joins *j, int node)
{
	if (node == ROW)
		snprintf(out, 16, "%s", j->root);
	else
		snprintf(out, 16, "%c%d", j->prefix, node + 1);
}

/* The node of the record that column `column` of node `from` names. */
static int node(struct label_joins *j, int from, const char *column, const struct entity *target,
		const struct query *q)
{
	if (from == UNREACHABLE || !ent_can_read(target, q->viewer))
		return UNREACHABLE;
	for (int i = 0; i < j->n; i++)
		if (j->node[i].from == from && j->node[i].target == target && strcmp(j->node[i].column, column) == 0)
			return i;
	if (j->n == LABEL_JOINS_MAX)
		abort(); /* a programming error: label rules are bounded (entity.h: LABEL_HOPS) */
	j->node[j->n].from = from;
	j->node[j->n].column = column;
	j->node[j->n].target = target;
	return j->n++;
}

/* The node that following reference f from node `from` reaches. */
static int follow(struct label_joins *j, int from, const struct field *f, const struct query *q)
{
	if (!field_visible(f, q->viewer))
		return UNREACHABLE;
	return node(j, from, f->name, f->target, q);
}

static int reach(struct label_joins *j, int from, const struct label_op *op, const struct query *q)
{
	for (int i = 0; i < op->nhops; i++)
		from = follow(j, from, op->hops[i], q);
	return from;
}

struct out {
	struct stmt *s;
	struct label_joins *j;
	const struct query *q;
	bool cells; /* within a set's subquery: "||cell" instead of ",column" */
};

static void column(struct out *o, const char *expr)
{
	if (o->cells)
		buf_printf(&o->s->sql, "||'" LABEL_CELL "'||COALESCE(CAST(%s AS TEXT),'')", expr);
	else
		buf_printf(&o->s->sql, ",%s", expr);
}

/* The column(s) of field f of node n: NULL where the reader may not see it. */
static void field_columns(struct out *o, int n, const struct field *f)
{
	bool shown = n != UNREACHABLE && field_visible(f, o->q->viewer);
	char a[16], expr[160];
	alias(a, o->j, n);
	for (int l = 0; l < (f->type == FT_I18N ? LANG__MAX : 1); l++) {
		if (!shown)
			snprintf(expr, sizeof expr, "NULL");
		else if (f->type == FT_I18N)
			snprintf(expr, sizeof expr, "%s.%s_%s", a, f->name, lang_code[l]);
		else
			snprintf(expr, sizeof expr, "%s.%s", a, f->name);
		column(o, expr);
	}
}

/* The key of the record at node n: NULL when it is none or not seen. */
static void key_column(struct out *o, int n)
{
	char a[16], expr[80];
	alias(a, o->j, n);
	if (n == UNREACHABLE || n == ROW)
		snprintf(expr, sizeof expr, "NULL");
	else
		snprintf(expr, sizeof expr, "%s.%s", a, ent_keyfield(o->j->node[n].target)->name);
	column(o, expr);
}

/* The columns of the label of a record of e at node `at`, in the order of
 * its ops (label.c reads them so). */
static void label_of(struct out *o, const struct entity *e, int at)
{
	for (int i = 0; i < e->label_nops; i++) {
		const struct label_op *op = &e->label_ops[i];
		int n = reach(o->j, at, op, o->q);
		switch (op->kind) {
		case LB_VALUE:
			field_columns(o, n, op->f);
			break;
		case LB_RANGE:
		case LB_MONEY:
			field_columns(o, n, op->f);
			field_columns(o, n, op->f2);
			break;
		case LB_OPEN:
			key_column(o, follow(o->j, n, op->f, o->q));
			break;
		default:
			break;
		}
	}
}

/* One column of every record of the set f: a subquery over its link table. */
static void set_column(struct stmt *s, const struct db_ops *ops, const struct query *q,
		       const struct field *f)
{
	const struct entity *e = q->e, *target = f->target;
	struct label_joins x = { .prefix = 'x', .root = "l" };
	struct out o = { .s = s, .j = &x, .q = q, .cells = true };
	buf_printf(&s->sql, ",(SELECT %s(o.v, '" LABEL_RECORD "') FROM (SELECT CAST(l.%s AS TEXT)", ops->list_agg,
		   target->name);
	int at = field_visible(f, q->viewer) ? node(&x, ROW, target->name, target, q) : UNREACHABLE;
	key_column(&o, at);
	label_of(&o, target, at);
	buf_printf(&s->sql, " AS v FROM %s_%s l", e->name, f->name);
	stmt_label_joins(s, q, &x);
	buf_printf(&s->sql, " WHERE l.%s = t.%s ORDER BY l.%s) o)", e->name, ent_keyfield(e)->name, target->name);
}

void stmt_label_columns(struct stmt *s, const struct db_ops *ops, const struct query *q,
			struct label_joins *j)
{
	const struct entity *e = q->e;
	*j = (struct label_joins){ .prefix = 'j', .root = "t" };
	struct out o = { .s = s, .j = j, .q = q };
	label_of(&o, e, ROW);
	for (int i = 0; q->labels == LABELS_ALL && i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if (f->type == FT_REF) {
			int n = follow(j, ROW, f, q);
			key_column(&o, n);
			label_of(&o, f->target, n);
		} else if (f->type == FT_REFS) {
			set_column(s, ops, q, f);
		}
	}
}

void stmt_label_joins(struct stmt *s, const struct query *q, const struct label_joins *j)
{
	for (int i = 0; i < j->n; i++) {
		char a[16], from[16];
		const struct entity *t = j->node[i].target;
		alias(a, j, i);
		alias(from, j, j->node[i].from);
		buf_printf(&s->sql, " LEFT JOIN %s %s ON %s.%s = %s.%s", t->name, a, a, ent_keyfield(t)->name, from,
			   j->node[i].column);
		stmt_visible(s, t, a, q);
	}
}
