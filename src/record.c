/* record.c — see record.h. */
#define _POSIX_C_SOURCE 200809L
#include "record.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "xalloc.h"

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

void ferrs_message(const struct ferrs *errs, size_t i, enum lang lang, struct buf *out)
{
	const char *m = tr(lang, errs->a[i].msgid);
	const char *p = strstr(m, "%s");
	if (!p || !errs->a[i].arg) {
		buf_adds(out, m);
		return;
	}
	buf_add(out, m, (size_t)(p - m));
	buf_adds(out, errs->a[i].arg);
	buf_adds(out, p + 2);
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

/* ---- records ----------------------------------------------------------- */

void rec_init(struct record *r, const struct entity *e)
{
	r->e = e;
	r->v = xcalloc((size_t)e->nfields, sizeof *r->v);
}

static void fval_clear(struct fval *v)
{
	free(v->s);
	for (int l = 0; l < LANG__MAX; l++)
		free(v->tr[l]);
	for (size_t k = 0; k < v->nlist; k++)
		free(v->list[k]);
	free(v->list);
	memset(v, 0, sizeof *v);
}

void rec_free(struct record *r)
{
	if (!r->v)
		return;
	for (int i = 0; i < r->e->nfields; i++)
		fval_clear(&r->v[i]);
	free(r->v);
	r->v = NULL;
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

/* Checks a JSON string for a text-like field; returns the msgid of the
 * problem or NULL.  *arg receives a detail for "%s" messages. */
static const char *check_string(const struct field *f, json_t *j, char *argbuf, size_t argsz)
{
	if (!json_is_string(j))
		return N_("must be a string");
	const char *s = json_string_value(j);
	if (!util_valid_utf8(s, json_string_length(j)))
		return N_("must be valid UTF-8 text");
	if ((long long)util_utf8_len(s) > text_max(f)) {
		snprintf(argbuf, argsz, "%lld", text_max(f));
		return N_("is too long (at most %s characters)");
	}
	return NULL;
}

/* The key of a referenced record: integer ids or codes. */
static const char *decode_ref(const struct field *f, json_t *j, char **out)
{
	const struct field *k = ent_keyfield(f->target);
	if (k->type == FT_ID) {
		if (!json_is_integer(j) || json_integer_value(j) < 1)
			return N_("must be the number of a record");
		*out = xasprintf("%lld", (long long)json_integer_value(j));
		return NULL;
	}
	if (!json_is_string(j))
		return N_("must be a code (a string)");
	const char *bad = rec_pattern_error(k->pattern, json_string_value(j));
	if (bad)
		return bad;
	*out = xstrdup(json_string_value(j));
	return NULL;
}

static const char *decode_i18n(const struct field *f, json_t *j, struct fval *v,
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
		if (json_is_null(t))
			continue;
		const char *bad = check_string(f, t, arg, argsz);
		if (bad)
			return bad;
		if (!util_blank(json_string_value(t))) /* spaces only: no text in that language */
			v->tr[l] = xstrdup(json_string_value(t));
	}
	v->null = !v->tr[LANG_FR] && !v->tr[LANG_EN] && !v->tr[LANG_AR];
	if ((f->flags & F_REQUIRED) && !v->tr[LANG_FR] && !v->tr[LANG_EN])
		return N_("needs a French or an English text");
	return NULL;
}

static const char *decode_refs(const struct field *f, json_t *j, struct fval *v)
{
	if (!json_is_array(j))
		return N_("must be a list");
	if (json_array_size(j) > MAX_LIST)
		return N_("has too many items");
	size_t i;
	json_t *item;
	v->list = xcalloc(json_array_size(j), sizeof *v->list);
	json_array_foreach(j, i, item) {
		char *key = NULL;
		const char *bad = decode_ref(f, item, &key);
		if (bad)
			return bad;
		bool dup = false;
		for (size_t k = 0; k < v->nlist && !dup; k++)
			dup = strcmp(v->list[k], key) == 0;
		if (dup)
			free(key);
		else
			v->list[v->nlist++] = key;
	}
	return NULL;
}

/* Decodes one JSON value into v; returns the msgid of the problem or NULL. */
static const char *decode_value(const struct field *f, json_t *j, struct fval *v,
				char *arg, size_t argsz)
{
	v->set = true;
	if (json_is_null(j) && f->type != FT_REFS) {
		v->null = true;
		if (f->flags & F_REQUIRED)
			return N_("is required");
		return f->def ? N_("cannot be empty") : NULL;
	}
	const char *bad;
	switch (f->type) {
	case FT_ID:
		if (!json_is_integer(j) || json_integer_value(j) < 1)
			return N_("must be a positive integer");
		v->s = xasprintf("%lld", (long long)json_integer_value(j));
		return NULL;
	case FT_CODE:
	case FT_TEXT:
	case FT_DATE:
	case FT_ENUM:
		if ((bad = check_string(f, j, arg, argsz)))
			return bad;
		if (util_blank(json_string_value(j))) { /* "" or spaces only: nothing given */
			v->null = true;
			if (f->flags & F_REQUIRED)
				return N_("is required");
			return f->def ? N_("cannot be empty") : NULL;
		}
		v->s = xstrdup(json_string_value(j));
		if (f->type == FT_DATE && !util_valid_date(v->s))
			return N_("must be a real date written YYYY-MM-DD");
		if (f->type == FT_ENUM && !in_list(v->s, f->values))
			return N_("is not one of the allowed values");
		return rec_pattern_error(f->pattern, v->s);
	case FT_I18N:
		return decode_i18n(f, j, v, arg, argsz);
	case FT_INT:
		if (!json_is_integer(j))
			return N_("must be a whole number");
		v->i = json_integer_value(j);
		if (v->i < f->min || v->i > f->max) {
			snprintf(arg, argsz, "%lld–%lld", f->min, f->max);
			return N_("must be between %s");
		}
		return NULL;
	case FT_BOOL:
		if (!json_is_boolean(j))
			return N_("must be true or false");
		v->i = json_is_true(j);
		return NULL;
	case FT_REF:
		return decode_ref(f, j, &v->s);
	case FT_REFS:
		if (json_is_null(j))
			return NULL; /* an empty set */
		return decode_refs(f, j, v);
	}
	return N_("is not understood");
}

static bool ignored_key(const char *key)
{
	return strcmp(key, "version") == 0 || strcmp(key, "created_at") == 0 ||
	       strcmp(key, "updated_at") == 0;
}

enum app_err rec_from_json(struct record *r, json_t *obj, enum rec_mode mode, struct ferrs *errs)
{
	const struct entity *e = r->e;
	if (!json_is_object(obj))
		return APP_BAD_JSON;
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val) {
		int i = ent_field_index(e, key);
		if (i >= 0 && (e->fields[i].flags & F_RKEY))
			i = -1; /* a record key is no one's to name */
		if (i < 0) {
			if (!ignored_key(key))
				ferrs_add(errs, key, N_("is not a field of this record"), NULL);
			continue;
		}
		const struct field *f = &e->fields[i];
		/* Read-only fields are ignored, so that a record read from the
		 * API can be sent back as it is; data files may set ids. */
		if ((f->flags & F_RO) && !(mode == REC_LOAD && f->type == FT_ID))
			continue;
		char arg[64] = "";
		r->v[i].given = true;
		const char *bad = decode_value(f, val, &r->v[i], arg, sizeof arg);
		if (bad)
			ferrs_add(errs, key, bad, arg[0] ? arg : NULL);
	}
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if (mode != REC_PATCH && (f->flags & F_REQUIRED) && !r->v[i].set)
			ferrs_add(errs, f->name, N_("is required"), NULL);
	}
	if (e->check && errs->n == 0)
		e->check(e, r, errs);
	return errs->n ? APP_INVALID : APP_OK;
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

static void value_json(struct buf *out, const struct field *f, const struct row *row)
{
	const char *s = row_text(row, f->col);
	switch (f->type) {
	case FT_I18N: {
		buf_addc(out, '{');
		int n = 0;
		for (int l = 0; l < LANG__MAX; l++) {
			const char *t = row_text(row, f->col + l);
			if (!t)
				continue;
			buf_printf(out, "%s\"%s\":", n++ ? "," : "", lang_code[l]);
			buf_json_str(out, t);
		}
		buf_addc(out, '}');
		return;
	}
	case FT_REFS:
		list_json(out, f, s);
		return;
	case FT_BOOL:
		buf_adds(out, !s ? "null" : row_int(row, f->col) ? "true" : "false");
		return;
	case FT_ID:
	case FT_INT:
		if (s)
			buf_printf(out, "%lld", row_int(row, f->col));
		else
			buf_adds(out, "null");
		return;
	case FT_REF:
		if (s && ent_int_key(f->target))
			buf_printf(out, "%lld", row_int(row, f->col));
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
