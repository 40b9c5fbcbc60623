/* stmt.c — see stmt.h. */
#define _POSIX_C_SOURCE 200809L
#include "stmt.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "xalloc.h"
#include "banned.h"

void stmt_init(struct stmt *s)
{
	memset(s, 0, sizeof *s);
	util_today(s->today);
}

void stmt_param(struct stmt *s, struct dbparam v)
{
	if (s->np == MAX_PARAMS)
		abort(); /* a programming error: statements are bounded by the registry */
	s->p[s->np++] = v;
}

void stmt_int(struct stmt *s, long long v)
{
	stmt_param(s, p_int(v));
}

void stmt_text(struct stmt *s, const char *v)
{
	stmt_param(s, p_text(v));
}

void stmt_add(struct stmt *s, const char *sql, struct binds b)
{
	buf_adds(&s->sql, sql);
	for (int i = 0; i < b.n; i++)
		stmt_param(s, b.p[i]);
}

/* A key as the parameter its column takes. */
void stmt_key(struct stmt *s, const struct entity *e, const char *key)
{
	long long id;
	if (ent_int_key(e))
		stmt_int(s, util_parse_ll(key, &id) ? id : -1);
	else
		stmt_text(s, key);
}

void stmt_text_owned(struct stmt *s, char *v)
{
	s->owned = xrealloc(s->owned, (size_t)(s->nowned + 1) * sizeof *s->owned);
	s->owned[s->nowned++] = v;
	stmt_text(s, v);
}

void stmt_release(struct stmt *s)
{
	buf_release(&s->sql);
	for (int i = 0; i < s->nowned; i++)
		free(s->owned[i]);
	free(s->owned);
	s->owned = NULL;
	s->nowned = 0;
}

void stmt_column(struct stmt *s, const struct field *f, const char *qual)
{
	if (!(f->flags & F_COMPUTED)) {
		buf_printf(&s->sql, "%s.%s", qual, f->name);
		return;
	}
	buf_adds(&s->sql, "(");
	for (const char *p = f->expr; *p; p++) {
		bool word_start = p == f->expr || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		if (p[0] == 't' && p[1] == '.' && word_start) {
			buf_printf(&s->sql, "%s.", qual);
			p++;
			continue;
		}
		buf_addc(&s->sql, *p);
		if (*p == '?')
			stmt_text(s, s->today);
	}
	buf_adds(&s->sql, ")");
}

void stmt_link_table(struct buf *b, const struct entity *e, const struct field *f)
{
	buf_printf(b, "%s_%s", e->name, f->name);
}

/* "The row `row` is funded by organisation ?", along the entity's
 * donor_scope path: each reference step a subquery, the last step the
 * organisation itself or the link table of a set of them. */
static void funder_condition(struct stmt *s, const struct entity *e, const char *row, long long funder)
{
	const struct entity *at = e, *from = e;
	const char *path = e->donor_scope;
	char alias[16];
	snprintf(alias, sizeof alias, "%s", row);
	int opened = 0;
	const struct field *f;
	while ((f = ent_path_step(&at, &path))) {
		if (!*path && f->type == FT_REF) {
			buf_printf(&s->sql, "%s.%s = ?", alias, f->name);
		} else if (!*path) {
			buf_printf(&s->sql, "%s.%s IN (SELECT l.%s FROM ", alias, ent_keyfield(from)->name, from->name);
			stmt_link_table(&s->sql, from, f);
			buf_printf(&s->sql, " l WHERE l.%s = ?)", f->target->name);
		} else {
			opened++;
			buf_printf(&s->sql, "%s.%s IN (SELECT a%d.%s FROM %s a%d WHERE ", alias, f->name, opened,
				   ent_keyfield(at)->name, at->name, opened);
			snprintf(alias, sizeof alias, "a%d", opened);
		}
		from = at;
	}
	while (opened--)
		buf_addc(&s->sql, ')');
	stmt_int(s, funder);
}

static void and_where(struct stmt *s, int *n)
{
	buf_adds(&s->sql, (*n)++ ? " AND " : " WHERE ");
}

/* The rows of e (named `row`) that q's viewer sees through their parents
 * (F_PARENT): for each parent it sees in part, none or one it sees; for
 * each it may not read at all, none.  Parents of parents likewise, each
 * level a subquery with an alias of its own (p1, p2, ...). */
static void parent_conditions(struct stmt *s, const struct entity *e, const char *row,
			      const struct query *q, int *n, int *aliases)
{
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		const struct entity *p = f->target;
		if (!(f->flags & F_PARENT) || (ent_can_read(p, q->viewer) && !ent_partial(p, q->viewer)))
			continue;
		and_where(s, n);
		if (!ent_can_read(p, q->viewer)) {
			buf_printf(&s->sql, "%s.%s IS NULL", row, f->name);
			continue;
		}
		char alias[16];
		snprintf(alias, sizeof alias, "p%d", ++*aliases);
		buf_printf(&s->sql, "(%s.%s IS NULL OR %s.%s IN (SELECT %s.%s FROM %s %s", row, f->name, row,
			   f->name, alias, ent_keyfield(p)->name, p->name, alias);
		int m = 0;
		if (p->scope && q->viewer == ROLE_FOCAL) {
			and_where(s, &m);
			buf_printf(&s->sql, "%s.%s = ?", alias, p->scope);
			stmt_text(s, q->country ? q->country : "");
		}
		if (p->donor_scope && q->viewer == ROLE_DONOR) {
			and_where(s, &m);
			funder_condition(s, p, alias, q->funder);
		}
		parent_conditions(s, p, alias, q, &m, aliases);
		buf_adds(&s->sql, "))");
	}
}

/* A reviewed record counts once approved (review.h): who did not write it
 * reads it then; staff read every one, and a focal point its own
 * country's as they are (it wrote them). */
static void approved_only(struct stmt *s, const struct entity *e, const char *alias, const struct query *q, int *n)
{
	if (role_staff(q->viewer) || (e->scope && q->viewer == ROLE_FOCAL) || !e->review)
		return;
	and_where(s, n);
	buf_printf(&s->sql, "%s.review_state = 'approved'", alias);
}

void stmt_visible(struct stmt *s, const struct entity *e, const char *alias, const struct query *q)
{
	if (e->scope && q->viewer == ROLE_FOCAL) {
		buf_printf(&s->sql, " AND %s.%s = ?", alias, e->scope);
		stmt_text(s, q->country ? q->country : "");
	}
	if (e->donor_scope && q->viewer == ROLE_DONOR) {
		buf_adds(&s->sql, " AND ");
		funder_condition(s, e, alias, q->funder);
	}
	int n = 1, aliases = 0; /* n: " AND " before each */
	approved_only(s, e, alias, q, &n);
	parent_conditions(s, e, alias, q, &n, &aliases);
}

/* An FT_I18N column is missing when it is NULL or empty (a blank text is
 * stored as NULL, record.c; '' is read as missing all the same). */
static void i18n_given(struct stmt *s, const struct field *f, int l, bool given)
{
	buf_printf(&s->sql, "COALESCE(t.%s_%s, '') %s ''", f->name, lang_code[l], given ? "<>" : "=");
}

/* "Some multilingual text of the row is given in a language and missing
 * in one of `langs`" (query.untranslated), over e's FT_I18N fields. */
static void untranslated_condition(struct stmt *s, const struct entity *e, unsigned langs)
{
	int k = 0;
	buf_addc(&s->sql, '(');
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		for (int l = 0; l < LANG__MAX && f->type == FT_I18N; l++) {
			if (!(langs & (1u << l)))
				continue;
			buf_adds(&s->sql, k++ ? " OR (" : "(");
			i18n_given(s, f, l, false);
			for (int o = 0, m = 0; o < LANG__MAX; o++) {
				if (o == l)
					continue;
				buf_adds(&s->sql, m++ ? " OR " : " AND (");
				i18n_given(s, f, o, true);
			}
			buf_adds(&s->sql, "))");
		}
	}
	buf_adds(&s->sql, k ? ")" : "1=0)");
}
void stmt_where(struct stmt *s, const struct query *q)
{
	const struct entity *e = q->e;
	int n = 0, aliases = 0;
	if (q->funded_only && e->donor_scope) {
		and_where(s, &n);
		funder_condition(s, e, "t", q->funder);
	}
	parent_conditions(s, e, "t", q, &n, &aliases);
	approved_only(s, e, "t", q, &n);
	for (int i = 0; i < q->nfilters; i++) {
		const struct field *f = q->filters[i].f;
		buf_adds(&s->sql, n++ ? " AND " : " WHERE ");
		if (f->type == FT_REFS) {
			buf_adds(&s->sql, "EXISTS (SELECT 1 FROM ");
			stmt_link_table(&s->sql, e, f);
			buf_printf(&s->sql, " l WHERE l.%s = t.%s AND l.%s = ?)", e->name,
				   ent_keyfield(e)->name, f->target->name);
		} else if (q->filters[i].value.type == DBP_NULL) {
			stmt_column(s, f, "t");
			buf_adds(&s->sql, " IS NULL");
			continue;
		} else {
			stmt_column(s, f, "t");
			buf_adds(&s->sql, " = ?");
		}
		stmt_param(s, q->filters[i].value);
	}
	if (q->untranslated) {
		and_where(s, &n);
		untranslated_condition(s, e, q->untranslated);
	}
	if (q->q && *q->q) {
		buf_adds(&s->sql, n++ ? " AND (" : " WHERE (");
		int k = 0;
		for (int i = 0; i < e->nfields; i++) {
			const struct field *f = &e->fields[i];
			if (!(f->flags & F_SEARCH) || !field_visible(f, q->viewer))
				continue;
			for (int l = 0; l < (f->type == FT_I18N ? LANG__MAX : 1); l++) {
				buf_adds(&s->sql, k++ ? " OR " : "");
				if (f->type == FT_I18N)
					buf_printf(&s->sql, "lower(t.%s_%s) LIKE lower(?) ESCAPE '\\'", f->name, lang_code[l]);
				else
					buf_printf(&s->sql, "lower(t.%s) LIKE lower(?) ESCAPE '\\'", f->name);
				stmt_text(s, q->q); /* already a LIKE pattern (domain.c) */
			}
		}
		buf_adds(&s->sql, k ? ")" : "1=1)");
	}
}
