/* record.c — see record.h. */
#define _POSIX_C_SOURCE 200809L
#include "record.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "names.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

#define DEFAULT_TEXT_MAX 2000 /* characters, when a field gives no max */
#define MAX_LIST 500          /* items in an FT_REFS list */
#define FERRS_MAX 50          /* field errors kept for one record */

/* ---- field errors ------------------------------------------------------ */

void ferrs_add(struct ferrs *errs, const char *field, const char *msgid, const char *arg)
{
	if (errs->n >= FERRS_MAX || ferrs_find(errs, field))
		return; /* one message per field, the first; and a bounded list */
	errs->a = xrealloc(errs->a, (errs->n + 1) * sizeof *errs->a);
	errs->a[errs->n].field = xstrdup(field);
	errs->a[errs->n].msgid = msgid;
	errs->a[errs->n].arg = arg ? xstrdup(arg) : NULL;
	errs->n++;
}

/* "In progress" is only in_progress written for people: nothing to add. */
static bool same_words(const char *words, const char *value)
{
	for (; *words && *value; words++, value++)
		if (tolower((unsigned char)*words) != (*value == '_' ? ' ' : tolower((unsigned char)*value)))
			return false;
	return *words == *value;
}

/* One part of an argument, n bytes at s: a value as it was given, or a
 * list of allowed values with their words in lang. */
static void arg_part(enum lang lang, const char *s, size_t n, struct buf *out)
{
	if (!n || *s != REC_ARG_LIST) {
		/* FSI … PDI: a value typed in Latin letters or digits ("0–100")
		 * keeps its order inside an Arabic sentence */
		buf_adds(out, lang_rtl(lang) ? "\xe2\x81\xa8" : "");
		buf_add(out, s, n);
		buf_adds(out, lang_rtl(lang) ? "\xe2\x81\xa9" : "");
		return;
	}
	char v[64];
	for (size_t i = 1, k = 0; i < n; i += k + 1) {
		k = strcspn(s + i, "\x1e\x1f");
		if (k > n - i)
			k = n - i;
		snprintf(v, sizeof v, "%.*s", (int)k, s + i);
		if (i > 1)
			buf_adds(out, tr(lang, ", "));
		buf_adds(out, v);
		if (!same_words(tr(lang, v), v))
			buf_printf(out, " (%s)", tr(lang, v));
	}
}

void rec_message(enum lang lang, const char *msgid, const char *arg, struct buf *out)
{
	const char *m = tr(lang, msgid), *p;
	while (arg && (p = strstr(m, "%s"))) {
		size_t n = strcspn(arg, "\x1f");
		buf_add(out, m, (size_t)(p - m));
		arg_part(lang, arg, n, out);
		m = p + 2;
		arg = arg[n] ? arg + n + 1 : NULL;
	}
	buf_adds(out, m);
}

void ferrs_message(const struct ferrs *errs, size_t i, enum lang lang, struct buf *out)
{
	rec_message(lang, errs->a[i].msgid, errs->a[i].arg, out);
}

const struct ferr *ferrs_find(const struct ferrs *errs, const char *field)
{
	for (size_t i = 0; i < errs->n; i++)
		if (strcmp(errs->a[i].field, field) == 0)
			return &errs->a[i];
	return NULL;
}

void ferrs_release(struct ferrs *errs)
{
	for (size_t i = 0; i < errs->n; i++) {
		free(errs->a[i].field);
		free(errs->a[i].arg);
	}
	free(errs->a);
	errs->a = NULL;
	errs->n = 0;
}

/* ---- records and their arena ---------------------------------------------- */

#define CHUNK_MIN 2048

struct chunk {
	struct chunk *next;
	size_t size, used;
	char data[];
};

struct rec_arena {
	struct chunk *head;
};

/* n bytes of r's arena, aligned for pointers. */
static void *arena_alloc(struct record *r, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	if (!r->arena)
		r->arena = xcalloc(1, sizeof *r->arena);
	struct chunk *c = r->arena->head;
	if (!c || c->size - c->used < n) {
		size_t size = n > CHUNK_MIN ? n : CHUNK_MIN;
		struct chunk *fresh = xmalloc(sizeof *fresh + size);
		fresh->size = size;
		fresh->used = 0;
		fresh->next = c;
		r->arena->head = c = fresh;
	}
	void *p = c->data + c->used;
	c->used += n;
	return p;
}

static char *arena_strndup(struct record *r, const char *s, size_t n)
{
	char *d = arena_alloc(r, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static char *arena_strdup(struct record *r, const char *s)
{
	return s ? arena_strndup(r, s, strlen(s)) : NULL;
}

void rec_init(struct record *r, const struct entity *e)
{
	memset(r, 0, sizeof *r);
	r->e = e;
	r->v = xcalloc((size_t)e->nfields, sizeof *r->v);
}

static void free_chunks(struct chunk *c)
{
	while (c) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
}

void rec_free(struct record *r)
{
	if (r->arena) {
		free_chunks(r->arena->head);
		free(r->arena);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}

void rec_reset(struct record *r)
{
	memset(r->v, 0, (size_t)r->e->nfields * sizeof *r->v);
	r->version = 0;
	r->created_at[0] = r->updated_at[0] = '\0';
	r->meta_given = 0;
	struct chunk *c = r->arena ? r->arena->head : NULL;
	if (!c)
		return;
	free_chunks(c->next); /* the newest chunk is kept, emptied */
	c->next = NULL;
	c->used = 0;
}

const char *rec_text(const struct record *r, int i)
{
	if (i < 0 || !r->v[i].set || r->v[i].null)
		return NULL;
	return r->v[i].s;
}

long long rec_int_or(const struct record *r, int i, long long absent)
{
	if (i < 0 || !r->v[i].set || r->v[i].null)
		return absent;
	return r->v[i].i;
}

void rec_set_text(struct record *r, int i, const char *s)
{
	struct fval *v = &r->v[i];
	*v = (struct fval){ .set = true, .given = true, .null = !s, .s = arena_strdup(r, s) };
}

void rec_set_int(struct record *r, int i, long long n)
{
	r->v[i] = (struct fval){ .set = true, .given = true, .i = n };
}

/* Splits a stored list ("3,12,40") into v's items. */
static void list_from_text(struct record *r, struct fval *v, const char *joined)
{
	size_t n = 0;
	for (const char *p = joined; p && *p; p++)
		n += *p == ',';
	v->list = arena_alloc(r, (n + 1) * sizeof *v->list);
	for (const char *p = joined; p && *p;) {
		size_t len = strcspn(p, ",");
		v->list[v->nlist++] = arena_strndup(r, p, len);
		p += len + (p[len] == ',');
	}
}

void rec_from_row(struct record *r, const struct row *row)
{
	const struct entity *e = r->e;
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		struct fval *v = &r->v[i];
		*v = (struct fval){ .set = true };
		switch (f->type) {
		case FT_I18N:
			v->null = true;
			for (int l = 0; l < LANG__MAX; l++) {
				v->tr[l] = arena_strdup(r, row_text(row, f->col + l));
				v->null &= !v->tr[l];
			}
			break;
		case FT_REFS:
			list_from_text(r, v, row_text(row, f->col));
			break;
		case FT_INT:
		case FT_BOOL:
			v->null = row_null(row, f->col);
			v->i = v->null ? 0 : row_int(row, f->col);
			break;
		default:
			v->s = arena_strdup(r, row_text(row, f->col));
			v->null = !v->s;
		}
	}
	r->version = row_int(row, e->col_version);
	snprintf(r->created_at, sizeof r->created_at, "%s", row_text(row, e->col_created) ? row_text(row, e->col_created) : "");
	snprintf(r->updated_at, sizeof r->updated_at, "%s", row_text(row, e->col_updated) ? row_text(row, e->col_updated) : "");
}

static bool str_same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool listed(const struct fval *v, const char *s)
{
	for (size_t k = 0; k < v->nlist; k++)
		if (strcmp(v->list[k], s) == 0)
			return true;
	return false;
}

bool rec_same(const struct record *a, const struct record *b, int i)
{
	const struct fval *x = &a->v[i], *y = &b->v[i];
	bool xn = !x->set || x->null, yn = !y->set || y->null;
	switch (a->e->fields[i].type) {
	case FT_I18N:
		for (int l = 0; l < LANG__MAX; l++)
			if (!str_same(xn ? NULL : x->tr[l], yn ? NULL : y->tr[l]))
				return false;
		return true;
	case FT_REFS:
		if ((xn ? 0 : x->nlist) != (yn ? 0 : y->nlist))
			return false;
		for (size_t k = 0; !xn && k < x->nlist; k++)
			if (!listed(y, x->list[k]))
				return false;
		return true;
	case FT_INT:
	case FT_BOOL:
		return xn == yn && (xn || x->i == y->i);
	default:
		return xn == yn && (xn || str_same(x->s, y->s));
	}
}

/* ---- validation of single values ---------------------------------------- */

static const char *const iati_org_types[] = {
	"10", "11", "15", "21", "22", "23", "24", "30", "40",
	"60", "70", "71", "72", "73", "80", "90", NULL,
};

static bool all_of(const char *s, size_t n, int (*cls)(int))
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!cls((unsigned char)s[i]))
			return false;
	return true;
}

static bool in_list(const char *s, const char *const *values)
{
	for (; *values; values++)
		if (strcmp(s, *values) == 0)
			return true;
	return false;
}

static bool is_slug(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 40)
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
			return false;
	return true;
}

/* NULL when s fits the pattern, else the error msgid. */
const char *rec_pattern_error(const char *pattern, const char *s)
{
	if (!pattern)
		return NULL;
	if (strcmp(pattern, "A2") == 0)
		return all_of(s, 2, isupper) ? NULL : N_("must be two capital letters (ISO 3166-1 alpha-2)");
	if (strcmp(pattern, "A3") == 0)
		return all_of(s, 3, isupper) ? NULL : N_("must be three capital letters");
	if (strcmp(pattern, "D3") == 0)
		return all_of(s, 3, isdigit) ? NULL : N_("must be three digits");
	if (strcmp(pattern, "slug") == 0)
		return is_slug(s) ? NULL : N_("must be 1 to 40 lower-case letters, digits or _");
	if (strcmp(pattern, "email") == 0) {
		const char *at = strchr(s, '@');
		bool ok = at && at != s && strchr(at + 1, '.') && !strchr(at + 1, '@') &&
			  !strpbrk(s, " \t\r\n<>,;\"");
		return ok ? NULL : N_("must be an e-mail address");
	}
	if (strcmp(pattern, "orgtype") == 0)
		return in_list(s, iati_org_types) ? NULL : N_("must be an IATI organisation type code");
	if (strcmp(pattern, "iatiid") == 0) /* IATI: no spaces, nothing a URL or a file name chokes on */
		return *s && !strpbrk(s, " \t\r\n/&|?") ? NULL : N_("must have no spaces and none of / & | ?");
	return NULL;
}

static long long text_max(const struct field *f)
{
	return f->max > 0 ? f->max : DEFAULT_TEXT_MAX;
}

/* The checks of every text, whatever it came from: n bytes at s (NUL at
 * s[n]) of valid UTF-8, at most the field's length in characters. */
static const char *check_text(const struct field *f, const char *s, size_t n, char *arg, size_t argsz)
{
	if (!util_valid_utf8(s, n))
		return N_("must be valid UTF-8 text");
	/* a character is at least a byte: count them only when it matters */
	if ((long long)n > text_max(f) && (long long)util_utf8_len(s) > text_max(f)) {
		snprintf(arg, argsz, "%lld", text_max(f));
		return N_("is too long (at most %s characters)");
	}
	return NULL;
}

static const char *check_int(const struct field *f, long long i, char *arg, size_t argsz)
{
	if (i < f->min || i > f->max) { /* the value given, then the range allowed */
		snprintf(arg, argsz, "%lld%c%lld–%lld", i, REC_ARG_NEXT, f->min, f->max);
		return N_("is %s, not between %s");
	}
	return NULL;
}

/* What a value given as null (or as an empty text that clears) means. */
static const char *null_value(const struct field *f, struct fval *v)
{
	v->null = true;
	v->s = NULL;
	if (f->flags & F_REQUIRED)
		return N_("is required");
	return f->def ? N_("cannot be empty") : NULL;
}

/* The problem of a value s (n bytes) that is none of f's values, with
 * its argument: the value (its first 40 bytes, no control characters) and
 * the list of those allowed (rec_message writes their words). */
static const char *not_allowed(const struct field *f, const char *s, size_t n, char *arg, size_t argsz)
{
	size_t cut = n > 40 ? 40 : n;
	while (cut > 0 && cut < n && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--; /* not inside a character */
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < cut; i++)
		buf_addc(&b, (unsigned char)s[i] < 0x20 ? '?' : s[i]);
	buf_adds(&b, cut < n ? "…" : "");
	buf_addc(&b, REC_ARG_NEXT);
	for (const char *const *v = f->values; *v; v++) {
		buf_addc(&b, REC_ARG_LIST);
		buf_adds(&b, *v);
	}
	snprintf(arg, argsz, "%s", buf_cstr(&b));
	buf_release(&b);
	return N_("is “%s”, not one of the allowed values: %s");
}

/* The checks of a scalar text value once it is v->s: a date, an allowed
 * value, the field's pattern. */
static const char *check_scalar(const struct field *f, const struct fval *v, char *arg, size_t argsz)
{
	if (f->type == FT_DATE && !util_valid_date(v->s))
		return N_("must be a real date written YYYY-MM-DD");
	if (f->type == FT_ENUM && !in_list(v->s, f->values))
		return not_allowed(f, v->s, strlen(v->s), arg, argsz);
	return rec_pattern_error(f->pattern, v->s);
}

/* ---- JSON values ------------------------------------------------------------- */

/* Checks a JSON string for a text-like field; returns the msgid of the
 * problem or NULL. */
static const char *check_string(const struct field *f, json_t *j, char *argbuf, size_t argsz)
{
	if (!json_is_string(j))
		return N_("must be a string");
	const char *s = json_string_value(j);
	if (!util_valid_utf8(s, json_string_length(j)))
		return N_("must be valid UTF-8 text");
	return check_text(f, s, strlen(s), argbuf, argsz);
}

/* The key of a referenced record: integer ids or codes. */
static const char *decode_ref(struct record *r, const struct field *f, json_t *j, char **out)
{
	const struct field *k = ent_keyfield(f->target);
	if (k->type == FT_ID) {
		if (!json_is_integer(j) || json_integer_value(j) < 1)
			return N_("must be the number of a record");
		char n[24];
		snprintf(n, sizeof n, "%lld", (long long)json_integer_value(j));
		*out = arena_strdup(r, n);
		return NULL;
	}
	if (!json_is_string(j))
		return N_("must be a code (a string)");
	const char *bad = rec_pattern_error(k->pattern, json_string_value(j));
	if (bad)
		return bad;
	*out = arena_strdup(r, json_string_value(j));
	return NULL;
}

static const char *decode_i18n(struct record *r, const struct field *f, json_t *j, struct fval *v,
			       char *arg, size_t argsz)
{
	if (!json_is_object(j))
		return N_("must be an object with fr, en or ar texts");
	const char *key;
	json_t *t;
	json_object_foreach(j, key, t) {
		enum lang l;
		if (!lang_parse(key, &l) || strcmp(key, lang_code[l]) != 0) {
			if (util_valid_utf8(key, strlen(key)))
				snprintf(arg, argsz, "'%.*s'", (int)util_utf8_prefix(key, 20), key);
			else
				snprintf(arg, argsz, "'?'");
			return N_("has an unknown language: %s (use fr, en or ar)");
		}
		v->langs |= (unsigned char)(1u << l);
		if (json_is_null(t))
			continue;
		const char *bad = check_string(f, t, arg, argsz);
		if (bad)
			return bad;
		if (!util_blank(json_string_value(t))) /* spaces only: no text in that language */
			v->tr[l] = arena_strdup(r, json_string_value(t));
	}
	v->null = !v->tr[LANG_FR] && !v->tr[LANG_EN] && !v->tr[LANG_AR];
	return NULL;
}

/* Adds key to v's list unless it is there. */
static void list_add(struct record *r, struct fval *v, char *key, size_t room)
{
	if (listed(v, key))
		return;
	if (v->nlist == room) { /* (room: what the list was made for) */
		char **more = arena_alloc(r, (2 * room + 1) * sizeof *more);
		if (v->nlist)
			memcpy(more, v->list, v->nlist * sizeof *more);
		v->list = more;
	}
	v->list[v->nlist++] = key;
}

static const char *decode_refs(struct record *r, const struct field *f, json_t *j, struct fval *v)
{
	if (!json_is_array(j))
		return N_("must be a list");
	if (json_array_size(j) > MAX_LIST)
		return N_("has too many items");
	size_t i;
	json_t *item;
	v->list = arena_alloc(r, (json_array_size(j) + 1) * sizeof *v->list);
	v->nlist = 0;
	json_array_foreach(j, i, item) {
		char *key = NULL;
		const char *bad = decode_ref(r, f, item, &key);
		if (bad)
			return bad;
		list_add(r, v, key, json_array_size(j) + 1);
	}
	return NULL;
}

/* Decodes one JSON value into v; returns the msgid of the problem or NULL. */
static const char *decode_value(struct record *r, const struct field *f, json_t *j, struct fval *v,
				char *arg, size_t argsz)
{
	v->set = true;
	if (json_is_null(j) && f->type != FT_REFS)
		return null_value(f, v);
	const char *bad;
	switch (f->type) {
	case FT_ID: {
		if (!json_is_integer(j) || json_integer_value(j) < 1)
			return N_("must be a positive integer");
		char n[24];
		snprintf(n, sizeof n, "%lld", (long long)json_integer_value(j));
		v->s = arena_strdup(r, n);
		return NULL;
	}
	case FT_CODE:
	case FT_TEXT:
	case FT_DATE:
	case FT_ENUM:
		if ((bad = check_string(f, j, arg, argsz)))
			return bad;
		if (util_blank(json_string_value(j))) /* "" or spaces only: nothing given */
			return null_value(f, v);
		v->s = arena_strdup(r, json_string_value(j));
		return check_scalar(f, v, arg, argsz);
	case FT_I18N:
		return decode_i18n(r, f, j, v, arg, argsz);
	case FT_INT:
		if (!json_is_integer(j))
			return N_("must be a whole number");
		v->i = json_integer_value(j);
		return check_int(f, v->i, arg, argsz);
	case FT_BOOL:
		if (!json_is_boolean(j))
			return N_("must be true or false");
		v->i = json_is_true(j);
		return NULL;
	case FT_REF:
		return decode_ref(r, f, j, &v->s);
	case FT_REFS:
		if (json_is_null(j))
			return NULL; /* an empty set */
		return decode_refs(r, f, j, v);
	}
	return N_("is not understood");
}

static bool meta_key(const char *key)
{
	return strcmp(key, "version") == 0 || strcmp(key, "created_at") == 0 ||
	       strcmp(key, "updated_at") == 0;
}

/* The field a JSON key names, or -1 (an error is then in errs unless the
 * key is the version or a time, which are no fields). */
static int named_field(const struct entity *e, const char *key, struct ferrs *errs)
{
	int i = ent_field_index(e, key);
	if (i >= 0 && (e->fields[i].flags & F_RKEY))
		i = -1; /* a record key is no one's to name */
	if (i < 0 && !meta_key(key))
		ferrs_add(errs, key, N_("is not a field of this record"), NULL);
	return i;
}

enum app_err rec_check(struct record *r, enum rec_mode mode, struct ferrs *errs)
{
	const struct entity *e = r->e;
	for (int i = 0; mode != REC_PATCH && i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		const struct fval *v = &r->v[i];
		if (!(f->flags & F_REQUIRED) || (f->flags & F_RO))
			continue;
		if (!v->set || (v->null && f->type != FT_I18N))
			ferrs_add(errs, f->name, N_("is required"), NULL);
		else if (f->type == FT_I18N && !v->tr[LANG_FR] && !v->tr[LANG_EN])
			ferrs_add(errs, f->name, N_("needs a French or an English text"), NULL);
	}
	if (e->check && errs->n == 0)
		e->check(e, r, errs);
	return errs->n ? APP_INVALID : APP_OK;
}

/* Field i of r given as val (named key): decoded into r, or its problem
 * in errs.  ro_refused: a read-only field's problem is that it cannot be
 * changed (a patch: val is not even a value it could have). */
static void given_value(struct record *r, int i, const char *key, json_t *val, bool ro_refused, struct ferrs *errs)
{
	const struct field *f = &r->e->fields[i];
	char arg[REC_ARG_MAX] = "";
	r->v[i].given = true;
	const char *bad = decode_value(r, f, val, &r->v[i], arg, sizeof arg);
	if (bad && ro_refused && (f->flags & F_RO))
		ferrs_add(errs, key, N_("cannot be changed"), NULL);
	else if (bad)
		ferrs_add(errs, key, bad, arg[0] ? arg : NULL);
}

enum app_err rec_from_json(struct record *r, json_t *obj, enum rec_mode mode, struct ferrs *errs)
{
	const struct entity *e = r->e;
	if (!json_is_object(obj))
		return APP_BAD_JSON;
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val) {
		int i = named_field(e, key, errs);
		if (i < 0)
			continue;
		const struct field *f = &e->fields[i];
		/* Read-only fields are ignored, so that a record read from the
		 * API can be sent back as it is; data files may set ids, and a
		 * restore every value that was stored. */
		if ((f->flags & F_RO) && !(mode == REC_LOAD && f->type == FT_ID) &&
		    !(mode == REC_RESTORE && !(f->flags & F_COMPUTED)))
			continue;
		given_value(r, i, key, val, false, errs);
	}
	return rec_check(r, mode, errs);
}

/* ---- changing a stored record ------------------------------------------------- */

/* The version or a time named in a patch, kept to compare with the stored. */
static void patch_meta(struct record *p, const char *key, json_t *val)
{
	if (strcmp(key, "version") == 0) {
		p->meta_given |= json_is_integer(val) ? REC_META_VERSION : REC_META_BAD;
		p->version = json_is_integer(val) ? json_integer_value(val) : -1;
		return;
	}
	bool created = strcmp(key, "created_at") == 0;
	char *to = created ? p->created_at : p->updated_at;
	if (!json_is_string(val) || json_string_length(val) >= sizeof p->created_at) {
		p->meta_given |= REC_META_BAD;
		return;
	}
	snprintf(to, sizeof p->created_at, "%s", json_string_value(val));
	p->meta_given |= created ? REC_META_CREATED : REC_META_UPDATED;
}

enum app_err rec_patch_from_json(struct record *p, json_t *obj, struct ferrs *errs)
{
	const struct entity *e = p->e;
	if (!json_is_object(obj))
		return APP_BAD_JSON;
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val) {
		int i = named_field(e, key, errs);
		if (i < 0) {
			if (meta_key(key))
				patch_meta(p, key, val);
			if (p->meta_given & REC_META_BAD) {
				ferrs_add(errs, key, N_("cannot be changed"), NULL);
				p->meta_given &= ~(unsigned)REC_META_BAD;
			}
			continue;
		}
		given_value(p, i, key, val, true, errs);
	}
	return errs->n ? APP_INVALID : APP_OK;
}

/* The version and times a patch names must be the stored ones. */
static void merge_meta(const struct record *r, const struct record *p, struct ferrs *errs)
{
	if ((p->meta_given & REC_META_VERSION) && p->version != r->version)
		ferrs_add(errs, "version", N_("cannot be changed"), NULL);
	if ((p->meta_given & REC_META_CREATED) && strcmp(p->created_at, r->created_at) != 0)
		ferrs_add(errs, "created_at", N_("cannot be changed"), NULL);
	if ((p->meta_given & REC_META_UPDATED) && strcmp(p->updated_at, r->updated_at) != 0)
		ferrs_add(errs, "updated_at", N_("cannot be changed"), NULL);
}

/* Copies field i of p into r (r's arena). */
static void copy_value(struct record *r, const struct record *p, int i)
{
	const struct fval *from = &p->v[i];
	struct fval *to = &r->v[i];
	*to = (struct fval){ .set = true, .given = true, .null = from->null, .i = from->i,
			     .s = arena_strdup(r, from->s) };
	if (from->nlist) {
		to->list = arena_alloc(r, from->nlist * sizeof *to->list);
		for (size_t k = 0; k < from->nlist; k++)
			to->list[to->nlist++] = arena_strdup(r, from->list[k]);
	}
}

/* A multilingual field: the languages p gives replace r's. */
static bool merge_i18n(struct record *r, const struct record *p, int i)
{
	const struct fval *from = &p->v[i];
	struct fval *to = &r->v[i];
	bool changed = false;
	for (int l = 0; l < LANG__MAX; l++) {
		const char *t = from->null ? NULL : from->tr[l];
		if ((!from->null && !(from->langs & (1u << l))) || str_same(t, to->tr[l]))
			continue;
		to->tr[l] = arena_strdup(r, t);
		changed = true;
	}
	to->null = !to->tr[LANG_FR] && !to->tr[LANG_EN] && !to->tr[LANG_AR];
	return changed;
}

enum app_err rec_merge(struct record *r, const struct record *p, bool *changed, bool *any,
		       struct ferrs *errs)
{
	const struct entity *e = r->e;
	*any = false;
	merge_meta(r, p, errs);
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		changed[i] = false;
		r->v[i].given = false;
		if (!p->v[i].given)
			continue;
		if ((f->flags & F_RO) || i == e->key) {
			if (!rec_same(p, r, i))
				ferrs_add(errs, f->name, N_("cannot be changed"), NULL);
			continue;
		}
		if (f->type == FT_I18N) {
			changed[i] = merge_i18n(r, p, i);
		} else if ((changed[i] = !rec_same(p, r, i))) {
			copy_value(r, p, i);
		}
		r->v[i].given = changed[i];
		*any |= changed[i];
	}
	if (errs->n)
		return APP_INVALID;
	return rec_check(r, REC_CREATE, errs);
}

/* ---- outside text ----------------------------------------------------------------- */

struct name_entry {
	int field;
	char *word;  /* folded */
	char *value;
};

struct rec_names {
	struct name_entry *a;
	size_t n, cap;
};

static int name_cmp(int field, const char *word, const struct name_entry *b)
{
	return field != b->field ? (field < b->field ? -1 : 1) : strcmp(word, b->word);
}

/* The index of (field, word) in n, or where it would go (*found false). */
static size_t name_find(const struct rec_names *n, int field, const char *word, bool *found)
{
	size_t lo = 0, hi = n->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = name_cmp(field, word, &n->a[mid]);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*found = false;
	return lo;
}

void rec_names_add(struct rec_names *n, int i, const char *word, const char *value)
{
	struct buf folded = BUF_INIT;
	names_norm(&folded, word ? word : "");
	bool found;
	size_t at = name_find(n, i, buf_cstr(&folded), &found);
	if (found || !folded.len) { /* the first meaning of a word stays */
		buf_release(&folded);
		return;
	}
	if (n->n == n->cap) {
		n->cap = n->cap ? 2 * n->cap : 64;
		n->a = xrealloc(n->a, n->cap * sizeof *n->a);
	}
	memmove(&n->a[at + 1], &n->a[at], (n->n - at) * sizeof *n->a);
	n->a[at] = (struct name_entry){ .field = i, .word = buf_detach(&folded), .value = xstrdup(value) };
	n->n++;
}

struct rec_names *rec_names_new(const struct entity *e)
{
	struct rec_names *n = xcalloc(1, sizeof *n);
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		for (const char *const *v = f->type == FT_ENUM ? f->values : NULL; v && *v; v++) {
			rec_names_add(n, i, *v, *v);
			rec_names_add(n, i, tr(LANG_FR, *v), *v);
			rec_names_add(n, i, tr(LANG_EN, *v), *v);
		}
	}
	return n;
}

void rec_names_free(struct rec_names *n)
{
	if (!n)
		return;
	for (size_t k = 0; k < n->n; k++) {
		free(n->a[k].word);
		free(n->a[k].value);
	}
	free(n->a);
	free(n);
}

/* What s (n bytes) stands for in field i, or NULL. */
static const char *names_lookup(const struct rec_names *n, int i, const char *s, size_t len)
{
	if (!n || !n->n)
		return NULL;
	char *copy = xstrndup(s, len);
	struct buf folded = BUF_INIT;
	names_norm(&folded, copy);
	bool found;
	size_t at = name_find(n, i, buf_cstr(&folded), &found);
	free(copy);
	buf_release(&folded);
	return found ? n->a[at].value : NULL;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A whole number written in n bytes of s (NUL-terminated copy made). */
static bool text_ll(const char *s, size_t n, long long *out)
{
	char num[32];
	if (n == 0 || n >= sizeof num)
		return false;
	memcpy(num, s, n);
	num[n] = '\0';
	return util_parse_ll(num, out);
}

/* The key of a referenced record written as text. */
static const char *text_ref(struct record *r, int i, const char *s, size_t n, const struct rec_names *names,
			    char **out, char *arg, size_t argsz)
{
	const struct field *f = &r->e->fields[i], *k = ent_keyfield(f->target);
	long long id;
	if (k->type == FT_ID) {
		if (!text_ll(s, n, &id) || id < 1)
			return N_("must be the number of a record");
		char num[24];
		snprintf(num, sizeof num, "%lld", id);
		*out = arena_strdup(r, num);
		return NULL;
	}
	char *code = arena_strndup(r, s, n);
	const char *bad = rec_pattern_error(k->pattern, code);
	const char *named = bad ? names_lookup(names, i, s, n) : NULL;
	if (named) {
		*out = arena_strdup(r, named);
		return NULL;
	}
	if (bad && names) { /* neither a code nor a name of one */
		snprintf(arg, argsz, "%.*s", (int)util_utf8_prefix(code, 40), code);
		return N_("refers to a record that does not exist: %s");
	}
	*out = code;
	return bad;
}

/* A comma-separated list of references. */
static const char *text_refs(struct record *r, int i, const char *s, size_t n, const struct rec_names *names,
			     char *arg, size_t argsz)
{
	struct fval *v = &r->v[i];
	size_t room = v->nlist + 1;
	for (size_t k = 0; k < n; k++)
		room += s[k] == ',' || s[k] == ';';
	if (room > MAX_LIST)
		return N_("has too many items");
	char **had = v->list;
	v->list = arena_alloc(r, room * sizeof *v->list);
	if (v->nlist)
		memcpy(v->list, had, v->nlist * sizeof *v->list);
	for (size_t at = 0; at < n;) {
		size_t len = 0;
		while (at + len < n && s[at + len] != ',' && s[at + len] != ';') /* (';': the CSV export's) */
			len++;
		size_t b = at, e = at + len;
		while (b < e && is_blank(s[b]))
			b++;
		while (e > b && is_blank(s[e - 1]))
			e--;
		char *key = NULL;
		const char *bad = e > b ? text_ref(r, i, s + b, e - b, names, &key, arg, argsz) : NULL;
		if (bad)
			return bad;
		if (key)
			list_add(r, v, key, room);
		at += len + 1;
	}
	return NULL;
}

/* Text of a yes/no: 0 or 1, else what cell_bool knows once folded. */
static const char *text_bool(const char *s, size_t n, long long *out)
{
	if (n == 1 && (*s == '0' || *s == '1')) {
		*out = *s == '1';
		return NULL;
	}
	char *copy = xstrndup(s, n);
	struct buf folded = BUF_INIT;
	names_norm(&folded, copy);
	bool ok = cell_bool(buf_cstr(&folded), out);
	free(copy);
	buf_release(&folded);
	return ok ? NULL : N_("must be true or false");
}

/* An allowed value: itself, or one of the names of one. */
static const char *text_enum(const struct field *f, int i, const char *s, size_t n,
			     const struct rec_names *names, char **out, char *arg, size_t argsz)
{
	for (const char *const *v = f->values; *v; v++)
		if (strlen(*v) == n && memcmp(*v, s, n) == 0) {
			*out = (char *)*v; /* the registry's own string: it outlives any record */
			return NULL;
		}
	const char *named = names_lookup(names, i, s, n);
	if (!named || !in_list(named, f->values))
		return not_allowed(f, s, n, arg, argsz);
	for (const char *const *v = f->values; *v; v++)
		if (strcmp(*v, named) == 0)
			*out = (char *)*v;
	return NULL;
}

/* Empty text: not given, or (REC_EMPTY_NULL) a value cleared. */
static const char *text_empty(struct record *r, int i, enum lang l, unsigned flags)
{
	const struct field *f = &r->e->fields[i];
	struct fval *v = &r->v[i];
	if (!(flags & REC_EMPTY_NULL))
		return NULL;
	v->set = v->given = true;
	if (f->type == FT_I18N) {
		v->langs |= (unsigned char)(1u << l);
		v->tr[l] = NULL;
		v->null = !v->tr[LANG_FR] && !v->tr[LANG_EN] && !v->tr[LANG_AR];
		return NULL;
	}
	if (f->type == FT_REFS)
		return NULL; /* an empty set */
	return null_value(f, v);
}

const char *rec_text_value(struct record *r, int i, enum lang l, const char *s, size_t n,
			   const struct rec_names *names, unsigned flags, char *arg, size_t argsz)
{
	const struct field *f = &r->e->fields[i];
	struct fval *v = &r->v[i];
	n = strnlen(s, n);
	size_t b = 0, e = n;
	while (b < e && is_blank(s[b]))
		b++;
	while (e > b && is_blank(s[e - 1]))
		e--;
	if (b == e) /* blank: nothing given */
		return text_empty(r, i, l, flags);
	if (f->type != FT_TEXT && f->type != FT_I18N) { /* only texts keep their blanks */
		s += b;
		n = e - b;
	}
	v->set = v->given = true;
	v->null = false;
	const char *bad;
	long long num;
	char date[11];
	switch (f->type) {
	case FT_ID:
		if (!text_ll(s, n, &num) || num < 1)
			return N_("must be a positive integer");
		v->s = arena_strndup(r, s, n);
		return NULL;
	case FT_INT:
		if (!text_ll(s, n, &num))
			return N_("must be a whole number");
		v->i = num;
		return check_int(f, num, arg, argsz);
	case FT_BOOL:
		return text_bool(s, n, &v->i);
	case FT_DATE:
		if (!cell_date(s, n, date))
			return N_("must be a real date written YYYY-MM-DD or DD/MM/YYYY");
		v->s = arena_strdup(r, date);
		return NULL;
	case FT_ENUM:
		return text_enum(f, i, s, n, names, &v->s, arg, argsz);
	case FT_REF:
		return text_ref(r, i, s, n, names, &v->s, arg, argsz);
	case FT_REFS:
		return text_refs(r, i, s, n, names, arg, argsz);
	case FT_I18N:
		v->langs |= (unsigned char)(1u << l);
		v->tr[l] = arena_strndup(r, s, n);
		return check_text(f, v->tr[l], n, arg, argsz);
	default: /* FT_TEXT, FT_CODE */
		v->s = arena_strndup(r, s, n);
		if ((bad = check_text(f, v->s, n, arg, argsz)))
			return bad;
		return rec_pattern_error(f->pattern, v->s);
	}
}

/* The object key whose value starts before pos: the last "key": before it. */
static char *key_before(const char *body, size_t pos)
{
	for (size_t i = pos; i-- > 0;) {
		if (body[i] != ':')
			continue;
		size_t end = i;
		while (end > 0 && (body[end - 1] == ' ' || body[end - 1] == '\t' ||
				   body[end - 1] == '\n' || body[end - 1] == '\r'))
			end--;
		if (end == 0 || body[end - 1] != '"')
			continue;
		size_t start = end - 1;
		while (start > 0 && body[start - 1] != '"')
			start--;
		if (start == 0 || end - 1 - start > 64 || !util_valid_utf8(body + start, end - 1 - start))
			return NULL;
		return xstrndup(body + start, end - 1 - start);
	}
	return NULL;
}

enum app_err rec_parse_body(const char *body, size_t len, json_t **out, char **msg,
			    struct ferrs *errs)
{
	json_error_t jerr;
	*out = NULL;
	if (len == 0) {
		*msg = xstrdup("The body is empty; a JSON object was expected.");
		return APP_BAD_JSON;
	}
	json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j && (strstr(jerr.text, "overflow") || strstr(jerr.text, "too big"))) {
		char *field = key_before(body, (size_t)jerr.position < len ? (size_t)jerr.position : len);
		if (errs && field)
			ferrs_add(errs, field, N_("is a number too large"), NULL);
		*msg = xasprintf("A number is too large (line %d, column %d).", jerr.line, jerr.column);
		free(field);
		return APP_INVALID;
	}
	if (!j) {
		*msg = xasprintf("Malformed JSON at line %d, column %d: %s",
				 jerr.line, jerr.column, jerr.text);
		return APP_BAD_JSON;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		*msg = xstrdup("The body must be a JSON object.");
		return APP_BAD_JSON;
	}
	*out = j;
	return APP_OK;
}

/* ---- rows out ------------------------------------------------------------ */

static void list_json(struct buf *out, const struct field *f, const char *joined)
{
	bool ints = ent_int_key(f->target);
	buf_addc(out, '[');
	const char *p = joined;
	for (int n = 0; p && *p; n++) {
		size_t len = strcspn(p, ",");
		if (n)
			buf_addc(out, ',');
		if (ints)
			buf_add(out, p, len);
		else
			buf_json_strn(out, p, len);
		p += len + (p[len] == ',');
	}
	buf_addc(out, ']');
}

void rec_i18n_json(struct buf *out, const struct row *row, int col)
{
	buf_addc(out, '{');
	int n = 0;
	for (int l = 0; l < LANG__MAX; l++) {
		const char *t = row_text(row, col + l);
		if (!t)
			continue;
		buf_printf(out, "%s\"%s\":", n++ ? "," : "", lang_code[l]);
		buf_json_str(out, t);
	}
	buf_addc(out, '}');
}

static void value_json(struct buf *out, const struct field *f, const struct row *row)
{
	const char *s = row_text(row, f->col);
	switch (f->type) {
	case FT_I18N:
		rec_i18n_json(out, row, f->col);
		return;
	case FT_REFS:
		list_json(out, f, s);
		return;
	case FT_BOOL:
		buf_adds(out, !s ? "null" : row_int(row, f->col) ? "true" : "false");
		return;
	case FT_ID:
	case FT_INT:
		if (s)
			buf_add_ll(out, row_int(row, f->col));
		else
			buf_adds(out, "null");
		return;
	case FT_REF:
		if (s && ent_int_key(f->target))
			buf_add_ll(out, row_int(row, f->col));
		else
			buf_json_str(out, s);
		return;
	default:
		buf_json_str(out, s);
	}
}

void rec_row_json(struct buf *out, const struct entity *e, const struct row *row, enum role viewer)
{
	buf_addc(out, '{');
	rec_row_members(out, e, row, viewer);
	buf_addc(out, '}');
}

void rec_row_members(struct buf *out, const struct entity *e, const struct row *row, enum role viewer)
{
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if (!field_visible(f, viewer))
			continue;
		buf_addc(out, '"');
		buf_adds(out, f->name);
		buf_add(out, "\":", 2);
		value_json(out, f, row);
		buf_addc(out, ',');
	}
	buf_printf(out, "\"version\":%lld,\"created_at\":", row_int(row, e->col_version));
	buf_json_str(out, row_text(row, e->col_created));
	buf_adds(out, ",\"updated_at\":");
	buf_json_str(out, row_text(row, e->col_updated));
}

void rec_row_key(struct buf *out, const struct entity *e, const struct row *row)
{
	const char *s = row_text(row, ent_keyfield(e)->col);
	buf_adds(out, s ? s : "");
}
