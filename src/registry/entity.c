/* entity.c — registry lookups and derived layout; see entity.h. */
#include "entity.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

static void die(const struct entity *e, const char *what)
{
	fprintf(stderr, "suivi: registry error in %s: %s\n", e->name, what);
	abort();
}

/* A reviewed entity's fields (model.c's REVIEW): four, in order, set by
 * suivi only. */
static void prepare_review(struct entity *e)
{
	static const char *const names[REVIEW_NFIELDS] = { "review_state", "review_comment", "submitted_at",
							   "submitted_by" };
	int i = ent_field_index(e, names[0]);
	e->review = i < 0 ? NULL : &e->fields[i];
	for (int k = 0; i >= 0 && k < REVIEW_NFIELDS; k++)
		if (i + k >= e->nfields || strcmp(e->fields[i + k].name, names[k]) != 0 ||
		    (e->fields[i + k].flags & (F_RO | F_STAMP)) != (F_RO | F_STAMP))
			die(e, "review fields: review_state, review_comment, submitted_at, submitted_by, F_RO | F_STAMP");
}

/* Row layout, shared with store.c: each field in order takes one column,
 * an FT_I18N field three (fr, en, ar), then version, created_at and
 * updated_at. */
static void layout(struct entity *e)
{
	int col = 0;
	e->key = -1;
	for (int i = 0; i < e->nfields; i++) {
		struct field *f = &e->fields[i];
		if (!f->name) /* an identifier of entity_ids.h without its row */
			die(e, "a field without a row in model.c");
		f->col = col;
		f->entity = e;
		col += f->type == FT_I18N ? 3 : 1;
		if (f->type == FT_ID || f->type == FT_CODE) {
			if (e->key >= 0)
				die(e, "two keys");
			e->key = i;
		}
		if (f->type == FT_REF || f->type == FT_REFS) {
			f->target = ent_by_name(f->ref);
			if (!f->target)
				die(e, f->ref);
		}
		if ((f->flags & F_PARENT) && f->type != FT_REF)
			die(e, "a parent is one reference (FT_REF)");
		if (f->type == FT_ENUM && !f->values)
			die(e, "enum without values");
		if ((f->flags & F_COMPUTED) && !f->expr)
			die(e, "computed field without expr");
		if ((f->flags & F_MONEY) && (f->type != FT_INT || i + 1 >= e->nfields ||
					     strcmp(e->fields[i + 1].name, "currency") != 0))
			die(e, "an amount is an FT_INT followed by its field \"currency\"");
		if ((f->flags & F_RKEY) && (f->type != FT_INT || !(f->flags & F_RO) || f->def ||
					    (f->flags & (F_REQUIRED | F_LIST | F_SEARCH))))
			die(e, "a record key is an FT_INT, F_RO, without default, not listed or searched");
	}
	if (e->key != 0)
		die(e, "the key must be the first field"); /* CSV and rows rely on it */
	e->col_version = col++;
	e->col_created = col++;
	e->col_updated = col++;
	e->ncols = col;
	if (e->page_sort && !ent_field(e, e->page_sort))
		die(e, "page_sort field");
	if (e->scope && !ent_field(e, e->scope))
		die(e, "scope field");
	e->pick_first_field = e->pick_first ? ent_field(e, e->pick_first) : NULL;
	prepare_review(e);
	if (e->pick_first && (!e->pick_first_field || e->pick_first_field->type != FT_BOOL ||
			      !e->pick_groups[0] || !e->pick_groups[1]))
		die(e, "pick_first: a yes/no field, and the names of its two groups");
	if (!e->read)
		die(e, "nobody may read it: declare .read");
}

const char *const role_name[ROLE__MAX] = {
	N_("public"), N_("admin"), N_("officer"), N_("focal"), N_("donor"),
};

bool role_parse(const char *s, enum role *out)
{
	for (int r = ROLE_ADMIN; s && r < ROLE__MAX; r++) {
		if (strcmp(s, role_name[r]) == 0) {
			*out = (enum role)r;
			return true;
		}
	}
	return false;
}

const struct field *ent_path_step(const struct entity **e, const char **path)
{
	if (!*path || !**path)
		return NULL;
	const char *dot = strchr(*path, '.');
	size_t n = dot ? (size_t)(dot - *path) : strlen(*path);
	const struct field *found = NULL;
	for (int i = 0; i < (*e)->nfields && !found; i++)
		if (strlen((*e)->fields[i].name) == n && strncmp((*e)->fields[i].name, *path, n) == 0)
			found = &(*e)->fields[i];
	if (!found || !found->target)
		return NULL;
	*e = found->target;
	*path = dot ? dot + 1 : *path + n;
	return found;
}

/* Every step of a donor_scope but the last is a reference; the last refers
 * to organisations. */
static void check_donor_scope(const struct entity *e)
{
	const struct entity *at = e;
	const char *path = e->donor_scope;
	const struct field *f, *last = NULL;
	while ((f = ent_path_step(&at, &path))) {
		if (last && last->type != FT_REF)
			die(e, "donor_scope: a step after a set of references");
		last = f;
	}
	if (*path || !last || last->target != ENT(ORGANISATION))
		die(e, "donor_scope: the path must end at organisations");
}

/* A parent's parents are followed (ent_partial, store.c): a chain must end. */
static void check_parents(const struct entity *e, const struct entity *at, size_t depth)
{
	if (depth > entities_count)
		die(e, "parents (F_PARENT) that lead back to it");
	for (int i = 0; i < at->nfields; i++)
		if (at->fields[i].flags & F_PARENT)
			check_parents(e, at->fields[i].target, depth + 1);
}

void ent_prepare(void)
{
	for (size_t i = 0; i < entities_count; i++) {
		if (!entities[i]) { /* an identifier of entity_ids.h without its entity */
			fprintf(stderr, "suivi: registry error: entity %zu has no description\n", i);
			abort();
		}
	}
	for (size_t i = 0; i < entities_count; i++)
		layout(entities[i]);
	for (size_t i = 0; i < entities_count; i++) {
		if (entities[i]->donor_scope)
			check_donor_scope(entities[i]);
		check_parents(entities[i], entities[i], 0);
	}
}

bool ent_partial(const struct entity *e, enum role r)
{
	if ((r == ROLE_FOCAL && e->scope) || (r == ROLE_DONOR && e->donor_scope))
		return true;
	/* a reviewed record waiting for its review: read by staff and by its
	 * focal point (stmt.c's approved_only) */
	if (!role_staff(r) && !e->scope && e->review)
		return true;
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if ((f->flags & F_PARENT) && (!ent_can_read(f->target, r) || ent_partial(f->target, r)))
			return true;
	}
	return false;
}

const struct entity *ent_by_name(const char *name)
{
	for (size_t i = 0; i < entities_count; i++)
		if (strcmp(entities[i]->name, name) == 0)
			return entities[i];
	return NULL;
}

const struct entity *ent_by_plural(const char *plural)
{
	for (size_t i = 0; i < entities_count; i++)
		if (strcmp(entities[i]->plural, plural) == 0)
			return entities[i];
	return NULL;
}

const char *ent_value_label(enum lang lang, const struct field *f, const char *value)
{
	for (const char *const *v = f->values; value && v && *v; v++)
		if (strcmp(*v, value) == 0)
			return tr_ctx(lang, f->entity ? f->entity->name : NULL, value);
	return value;
}

int ent_field_index(const struct entity *e, const char *name)
{
	for (int i = 0; name && i < e->nfields; i++)
		if (strcmp(e->fields[i].name, name) == 0)
			return i;
	return -1;
}

const struct field *ent_field(const struct entity *e, const char *name)
{
	int i = ent_field_index(e, name);
	return i < 0 ? NULL : &e->fields[i];
}

const struct field *ent_rkey(const struct entity *e)
{
	for (int i = 0; i < e->nfields; i++)
		if (e->fields[i].flags & F_RKEY)
			return &e->fields[i];
	return NULL;
}

int ent_schema_version(void)
{
	int v = 0;
	for (size_t i = 0; i < entities_count; i++) {
		const struct entity *e = entities[i];
		if (e->since > v)
			v = e->since;
		for (int k = 0; k < e->nfields; k++)
			if (e->fields[k].since > v)
				v = e->fields[k].since;
	}
	return v;
}
