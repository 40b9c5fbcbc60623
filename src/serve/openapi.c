/* openapi.c — see openapi.h.  The paths and operations come from the route
 * table, every collection's record schema, list parameters and access
 * rules from the entity registry, so the document cannot drift from what
 * the server does. */
#define _POSIX_C_SOURCE 200809L
#include "openapi.h"

#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "entity.h"
#include "err.h"
#include "i18n.h"
#include "import.h"
#include "review.h"
#include "xlsx_export.h"
#include "xalloc.h"
#include "banned.h"

static void schema_of(struct buf *o, const struct field *f)
{
	switch (f->type) {
	case FT_ID:
		buf_adds(o, "{\"type\":\"integer\",\"minimum\":1");
		break;
	case FT_INT:
		buf_printf(o, "{\"type\":%s,\"minimum\":%lld,\"maximum\":%lld",
			   f->flags & F_REQUIRED ? "\"integer\"" : "[\"integer\",\"null\"]", f->min, f->max);
		break;
	case FT_BOOL:
		buf_adds(o, "{\"type\":\"boolean\"");
		break;
	case FT_DATE:
		buf_printf(o, "{\"type\":%s,\"format\":\"date\"",
			   f->flags & F_REQUIRED ? "\"string\"" : "[\"string\",\"null\"]");
		break;
	case FT_ENUM:
		buf_adds(o, "{\"type\":\"string\",\"enum\":[");
		for (const char *const *v = f->values; *v; v++)
			buf_printf(o, "%s\"%s\"", v == f->values ? "" : ",", *v);
		buf_addc(o, ']');
		break;
	case FT_I18N:
		buf_adds(o, "{\"$ref\":\"#/components/schemas/Multilingual\"");
		break;
	case FT_REF:
		buf_printf(o, "{\"type\":[\"%s\",\"null\"],\"description\":\"key of a %s\"",
			   ent_int_key(f->target) ? "integer" : "string", f->target->name);
		break;
	case FT_REFS:
		buf_printf(o, "{\"type\":\"array\",\"items\":{\"type\":\"%s\"},\"description\":\"keys of %s\"",
			   ent_int_key(f->target) ? "integer" : "string", f->target->plural);
		break;
	default:
		buf_printf(o, "{\"type\":%s", f->flags & F_REQUIRED ? "\"string\"" : "[\"string\",\"null\"]");
		if (f->max)
			buf_printf(o, ",\"maxLength\":%lld", f->max);
	}
	if (f->flags & F_RO)
		buf_adds(o, ",\"readOnly\":true");
	if (f->flags & F_PRIVATE)
		buf_adds(o, ",\"description\":\"personal data: present for admin and officer only\"");
	if (f->flags & F_MONEY)
		buf_adds(o, ",\"description\":\"in minor units of the currency (ISO 4217: cents; XOF has none)\"");
	if (f->label) {
		buf_adds(o, ",\"title\":");
		buf_json_str(o, f->label);
	}
	buf_addc(o, '}');
}

static void record_schema(struct buf *o, const struct entity *e)
{
	buf_printf(o, "\"%s\":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{", e->name);
	int shown = 0;
	for (int i = 0; i < e->nfields; i++) {
		if (e->fields[i].flags & F_RKEY) /* shown to nobody */
			continue;
		buf_printf(o, "%s\"%s\":", shown++ ? "," : "", e->fields[i].name);
		schema_of(o, &e->fields[i]);
	}
	buf_adds(o, ",\"version\":{\"type\":\"integer\",\"readOnly\":true},"
		    "\"created_at\":{\"type\":\"string\",\"format\":\"date-time\",\"readOnly\":true},"
		    "\"updated_at\":{\"type\":\"string\",\"format\":\"date-time\",\"readOnly\":true},"
		    "\"_label\":{\"type\":\"string\",\"readOnly\":true,\"description\":\"with ?labels=1: the record's label, in the reader's language\"},"
		    "\"_labels\":{\"type\":\"object\",\"readOnly\":true,\"description\":\"with ?labels=1: for each reference given, the label of the record it names (null when the reader may not see it; a list for a set)\"}},"
		    "\"x-suivi-label\":");
	buf_json_str(o, e->label_rule);
	buf_adds(o, ",\"required\":[");
	int n = 0;
	for (int i = 0; i < e->nfields; i++)
		if (e->fields[i].flags & F_REQUIRED)
			buf_printf(o, "%s\"%s\"", n++ ? "," : "", e->fields[i].name);
	buf_adds(o, "]}");
}

static void error_responses(struct buf *o, const int *codes)
{
	for (; *codes; codes++)
		buf_printf(o, ",\"%d\":{\"$ref\":\"#/components/responses/Error\"}", *codes);
}

/* ?labels=1 on lists and records (label.h) */
#define LABELS_PARAM                                                                                         \
	"{\"name\":\"labels\",\"in\":\"query\",\"description\":\"1: each record with _label and _labels\","      \
	"\"schema\":{\"type\":\"string\",\"enum\":[\"1\",\"0\",\"true\",\"false\"]}}"

static void list_params(struct buf *o, const struct entity *e)
{
	buf_printf(o, "[{\"name\":\"limit\",\"in\":\"query\",\"schema\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":%d,\"default\":%d}},"
		      "{\"name\":\"offset\",\"in\":\"query\",\"schema\":{\"type\":\"integer\",\"minimum\":0}},"
		      "{\"name\":\"sort\",\"in\":\"query\",\"description\":\"field, or -field for descending\",\"schema\":{\"type\":\"string\"}},"
		      "{\"name\":\"q\",\"in\":\"query\",\"description\":\"text search\",\"schema\":{\"type\":\"string\"}}," LABELS_PARAM,
		   LIST_LIMIT_MAX, LIST_LIMIT_DEFAULT);
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if (f->type == FT_I18N || (f->flags & F_RKEY))
			continue;
		buf_printf(o, ",{\"name\":\"%s\",\"in\":\"query\",\"description\":\"equals (contains, for lists)\",\"schema\":{\"type\":\"string\"}}", f->name);
	}
	buf_addc(o, ']');
}

static void roles(struct buf *o, const char *name, unsigned set)
{
	buf_printf(o, "\"%s\":[", name);
	int n = 0;
	for (int r = 0; r < ROLE__MAX; r++)
		if (set & ROLE_BIT(r))
			buf_printf(o, "%s\"%s\"", n++ ? "," : "", role_name[r]);
	buf_addc(o, ']');
}

/* Who may read and write the collection, the field that scopes a focal
 * point's rows to its country, the path to a donor's organisation, and the
 * parents a row follows (a document is seen by whoever sees its meeting,
 * programme...): clients (and the authorisation tests) read the rules from
 * here rather than repeating them. */
static void access(struct buf *o, const struct entity *e)
{
	buf_adds(o, "\"x-suivi-access\":{");
	roles(o, "read", e->read);
	buf_addc(o, ',');
	roles(o, "write", e->readonly ? 0 : e->write);
	if (e->scope)
		buf_printf(o, ",\"scope\":\"%s\"", e->scope);
	if (e->donor_scope)
		buf_printf(o, ",\"donor_scope\":\"%s\"", e->donor_scope);
	int n = 0; /* field → collection of the record a row belongs to, whose readers see it */
	for (int i = 0; i < e->nfields; i++)
		if (e->fields[i].flags & F_PARENT)
			buf_printf(o, "%s\"%s\":\"%s\"", n++ ? "," : ",\"parents\":{", e->fields[i].name,
				   e->fields[i].target->plural);
	if (n)
		buf_addc(o, '}');
	buf_addc(o, '}');
	if (e->unique) { /* "a,b" -> ["a","b"] */
		buf_adds(o, ",\"x-suivi-unique\":[\"");
		for (const char *c = e->unique; *c; c++)
			buf_adds(o, *c == ',' ? "\",\"" : (char[2]){ *c, 0 });
		buf_adds(o, "\"]");
	}
}

/* ---- the operations of a collection (the route table's `doc`) -------------------- */

/* 507: a write the full disk refused */
static const int list_err[] = { 400, 503, 0 }, create_err[] = { 400, 413, 415, 422, 503, 507, 0 },
		 get_err[] = { 404, 0 }, patch_err[] = { 400, 404, 412, 413, 415, 422, 507, 0 },
		 del_err[] = { 404, 409, 412, 507, 0 };

static void record_content(struct buf *o, const struct entity *e)
{
	buf_printf(o, "\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/%s\"}}}", e->name);
}

/* Ends an operation: its answers, status with a record of e, and errs. */
static void record_answers(struct buf *o, const struct entity *e, int status, const char *what, const int *errs)
{
	buf_printf(o, "\"responses\":{\"%d\":{\"description\":\"%s\",", status, what);
	record_content(o, e);
	buf_addc(o, '}');
	error_responses(o, errs);
	buf_adds(o, "}}");
}

bool openapi_list(struct buf *o, const struct entity *e)
{
	buf_printf(o, "{\"summary\":\"List %s\",\"parameters\":", e->plural);
	list_params(o, e);
	buf_printf(o, ",\"responses\":{\"200\":{\"description\":\"a page of records\",\"content\":{\"application/json\":{\"schema\":{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/%s\"}},\"total\":{\"type\":\"integer\"},\"limit\":{\"type\":\"integer\"},\"offset\":{\"type\":\"integer\"}}}}}}",
		   e->name);
	error_responses(o, list_err);
	buf_adds(o, "}}");
	return true;
}

bool openapi_csv(struct buf *o, const struct entity *e)
{
	buf_printf(o, "{\"summary\":\"Export %s as CSV\",\"responses\":{\"200\":{\"description\":\"CSV\",\"content\":{\"text/csv\":{}}}}}",
		   e->plural);
	return true;
}

bool openapi_xlsx(struct buf *o, const struct entity *e)
{
	buf_printf(o, "{\"summary\":\"Export %s as a spreadsheet (XLSX: typed cells, the CSV's columns)\","
		      "\"responses\":{\"200\":{\"description\":\"XLSX\",\"content\":{\"%s\":{}}}}}",
		   e->plural, XLSX_CONTENT_TYPE);
	return true;
}

bool openapi_create(struct buf *o, const struct entity *e)
{
	if (e->readonly)
		return false;
	buf_printf(o, "{\"summary\":\"Create a %s\",\"requestBody\":{\"required\":true,", e->name);
	record_content(o, e);
	buf_adds(o, "},");
	record_answers(o, e, 201, "created", create_err);
	return true;
}

/* A collection's CSV import (import.h: suivi's own export comes back as it
 * is); none for the audit trail and uploads. */
bool openapi_import(struct buf *o, const struct entity *e)
{
	static const int import_err[] = { 400, 403, 413, 415, 422, 503, 507, 0 };
	if (!import_may_collection(e))
		return false;
	buf_printf(o, "{\"summary\":\"Import %s from CSV or an Excel workbook (XLSX), all or nothing: a row with an id updates that record unless "
		      "it changed since the export (its version), one without is created; ?dry_run=true checks and "
		      "counts, and writes nothing\",\"parameters\":[{\"name\":\"dry_run\",\"in\":\"query\","
		      "\"schema\":{\"type\":\"boolean\"}},{\"name\":\"name\",\"in\":\"query\",\"description\":"
		      "\"the file's name, for the audit trail\",\"schema\":{\"type\":\"string\"}},{\"name\":\"sheet\","
		      "\"in\":\"query\",\"description\":\"a workbook's sheet to read (else its first)\",\"schema\":"
		      "{\"type\":\"string\"}}],\"requestBody\":{\"required\":true,\"content\":{\"text/csv\":{},"
		      "\"" XLSX_CONTENT_TYPE "\":{}}},\"responses\":{\"200\":"
		      "{\"description\":\"created, updated and unchanged (or, in a dry run, what would be)\",\"content\":"
		      "{\"application/json\":{}}},\"401\":{\"$ref\":\"#/components/responses/Error\"}",
		   e->plural);
	error_responses(o, import_err);
	buf_adds(o, "}}");
	return true;
}

/* The file and the writable fields as form parts (docs/API.md). */
/* Approve or return a reviewed record: a body {"comment": …}; the record after. */
static bool decision(struct buf *o, const struct entity *e, const char *summary, bool comment_required)
{
	static const int review_err[] = { 400, 403, 404, 409, 422, 503, 0 };
	if (!review_applies(e))
		return false;
	buf_printf(o, "{\"summary\":\"%s\",\"requestBody\":{\"required\":true,\"content\":{\"application/json\":"
		      "{\"schema\":{\"type\":\"object\",%s\"properties\":{\"comment\":{\"type\":\"string\",\"maxLength\":4000}}}}}},",
		   summary, comment_required ? "\"required\":[\"comment\"]," : "");
	record_answers(o, e, 200, "the record, its review_state changed", review_err);
	return true;
}

bool openapi_approve(struct buf *o, const struct entity *e)
{
	return decision(o, e, "Approve a submitted (or returned) entry: it counts from now on (staff)", false);
}

bool openapi_return(struct buf *o, const struct entity *e)
{
	return decision(o, e, "Return a submitted entry to its submitter for correction, with a comment (staff)", true);
}

bool openapi_upload(struct buf *o, const struct entity *e)
{
	buf_printf(o, "{\"summary\":\"Upload a %s\",\"requestBody\":{\"required\":true,\"content\":{\"multipart/form-data\":{\"schema\":{\"type\":\"object\",\"required\":[\"file\"],\"properties\":{\"file\":{\"type\":\"string\",\"contentMediaType\":\"application/octet-stream\"}}}}}},",
		   e->name);
	record_answers(o, e, 201, "created", create_err);
	return true;
}

bool openapi_get(struct buf *o, const struct entity *e)
{
	buf_printf(o, "{\"summary\":\"One %s\",\"parameters\":[" LABELS_PARAM "],", e->name);
	record_answers(o, e, 200, "the record; ETag header", get_err);
	return true;
}

/* The start of a write of one record of e: its summary (summary_fmt: %s
 * is e's name) and the If-Match header it honours; false, writing
 * nothing, when e is read-only (there is no such operation). */
static bool record_write(struct buf *o, const struct entity *e, const char *summary_fmt)
{
	if (e->readonly)
		return false;
	buf_adds(o, "{\"summary\":\"");
	buf_printf(o, summary_fmt, e->name);
	buf_adds(o, "\",\"parameters\":[{\"name\":\"If-Match\",\"in\":\"header\",\"schema\":{\"type\":\"string\"}}]");
	return true;
}

bool openapi_update(struct buf *o, const struct entity *e)
{
	if (!record_write(o, e, "Change a %s (merge patch; If-Match honoured)"))
		return false;
	buf_adds(o, ",\"requestBody\":{\"required\":true,\"content\":{\"application/json\":{\"schema\":{\"type\":\"object\"}}}},");
	record_answers(o, e, 200, "the changed record", patch_err);
	return true;
}

bool openapi_delete(struct buf *o, const struct entity *e)
{
	if (!record_write(o, e, "Delete a %s"))
		return false;
	buf_adds(o, ",\"responses\":{\"204\":{\"description\":\"deleted\"}");
	error_responses(o, del_err);
	buf_adds(o, "}}");
	return true;
}

/* ---- the document, from the route table ----------------------------------------- */

#define API_PREFIX "/api/v1"

static const char *const method_names[] = { "get", "post", "patch", "delete" };
static const unsigned method_bits[] = { RM_GET, RM_POST, RM_PATCH, RM_DELETE };

/* A path of the document: a row's pattern without the prefix, with
 * {collection} replaced by e's plural name when e. */
struct doc_path {
	char *path;
	const struct entity *e;
};

static bool documented(const struct route *r)
{
	size_t n = strlen(API_PREFIX);
	return strncmp(r->pattern, API_PREFIX "/", n + 1) == 0;
}

/* r's pattern as a path of the document for e (NULL: r names no
 * collection), or NULL when r does not fit e. */
static char *doc_path_of(const struct route *r, const struct entity *e)
{
	const char *p = r->pattern + strlen(API_PREFIX);
	const char *coll = strstr(p, "{collection}");
	if (!coll != !e)
		return NULL;
	if (!coll)
		return xstrdup(p);
	return xasprintf("%.*s%s%s", (int)(coll - p), p, e->plural, coll + strlen("{collection}"));
}

static void add_path(struct doc_path **a, size_t *n, char *path, const struct entity *e)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*a)[i].path, path) == 0) {
			(*a)[i].e = (*a)[i].e ? (*a)[i].e : e; /* "/documents": a literal row's and a collection's */
			free(path);
			return;
		}
	*a = xrealloc(*a, (*n + 1) * sizeof **a);
	(*a)[(*n)++] = (struct doc_path){ path, e };
}

/* Does the {collection} row r serve e (its doc says so; a row without one,
 * every collection)? */
static bool serves(const struct route *r, const struct entity *e)
{
	if (!r->doc)
		return true;
	struct buf scratch = BUF_INIT;
	bool yes = r->doc(&scratch, e);
	buf_release(&scratch);
	return yes;
}

/* Every path of the document, in the table's order (each collection's
 * together). */
static struct doc_path *doc_paths(const struct route *table, size_t n, size_t *count)
{
	struct doc_path *a = NULL;
	*count = 0;
	for (size_t i = 0; i < n; i++) {
		if (!documented(&table[i]))
			continue;
		char *path = doc_path_of(&table[i], NULL);
		if (path) {
			add_path(&a, count, path, NULL);
			continue;
		}
		for (size_t k = 0; k < entities_count; k++)
			if (serves(&table[i], entities[k]))
				add_path(&a, count, doc_path_of(&table[i], entities[k]), entities[k]);
	}
	return a;
}

/* Literal segments win over parameters, left to right: routes_match's rule. */
static bool more_specific(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b)
			return *b == '{';
	return false;
}

/* The row that serves method bit m on path p: the most specific. */
static const struct route *serving(const struct route *table, size_t n, const struct doc_path *p, unsigned m)
{
	const struct route *best = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct route *r = &table[i];
		if (!(r->methods & m) || !documented(r))
			continue;
		char *path = doc_path_of(r, p->e);
		if (!path)
			path = doc_path_of(r, NULL);
		bool fits = path && strcmp(path, p->path) == 0;
		free(path);
		if (fits && (!best || more_specific(r->pattern, best->pattern)))
			best = r;
	}
	return best;
}

/* The path's parameters: {key} of a collection, {id} a positive integer,
 * the others text. */
static void path_params(struct buf *o, const struct doc_path *p)
{
	int n = 0;
	for (const char *s = strchr(p->path, '{'); s; s = strchr(s + 1, '{')) {
		size_t len = strcspn(s + 1, "}");
		bool key = len == 3 && strncmp(s + 1, "key", 3) == 0, id = len == 2 && strncmp(s + 1, "id", 2) == 0;
		buf_printf(o, "%s{\"name\":\"%.*s\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"%s\"%s}}",
			   n++ ? "," : "\"parameters\":[", (int)len, s + 1,
			   (key && p->e && !ent_int_key(p->e)) || (!key && !id) ? "string" : "integer",
			   id || (key && p->e && ent_int_key(p->e)) ? ",\"minimum\":1" : "");
	}
	if (n)
		buf_addc(o, ']');
}

static const char *const media_of[] = {
	[RB_JSON] = "application/json", [RB_FORM] = "application/x-www-form-urlencoded",
	[RB_MULTIPART] = "multipart/form-data", [RB_CSV] = "text/csv", [RB_XML] = "application/xml",
	[RB_ANY] = "application/octet-stream", [RB_FORMS] = "multipart/form-data",
};

/* An operation from a row's summary and codes.  A row that needs no sign-in
 * says so (an empty security list); the others may answer 401, a body
 * 413 and 415. */
static void operation(struct buf *o, const struct route *r)
{
	buf_adds(o, "{\"summary\":");
	buf_json_str(o, r->summary ? r->summary : "");
	if (r->flags & R_PUBLIC)
		buf_adds(o, ",\"security\":[]");
	if (r->accepts != RB_NONE)
		buf_printf(o, ",\"requestBody\":{\"required\":true,\"content\":{\"%s\":{}}}", media_of[r->accepts]);
	buf_adds(o, ",\"responses\":{");
	int n = 0;
	char *end;
	for (const char *c = r->codes ? r->codes : "200"; *c; c = end + strspn(end, " ")) {
		long code = strtol(c, &end, 10);
		if (end == c)
			break;
		if (code < 400)
			buf_printf(o, "%s\"%ld\":{\"description\":\"%s\",\"content\":{\"%s\":{}}}", n++ ? "," : "", code,
				   code == 304 ? "not modified" : "success", r->produces ? r->produces : "application/json");
		else
			buf_printf(o, "%s\"%ld\":{\"$ref\":\"#/components/responses/Error\"}", n++ ? "," : "", code);
	}
	if (!(r->flags & R_PUBLIC))
		buf_adds(o, ",\"401\":{\"$ref\":\"#/components/responses/Error\"}");
	if (r->accepts != RB_NONE)
		buf_adds(o, ",\"413\":{\"$ref\":\"#/components/responses/Error\"}");
	if (r->accepts != RB_NONE && r->accepts != RB_ANY)
		buf_adds(o, ",\"415\":{\"$ref\":\"#/components/responses/Error\"}");
	buf_adds(o, "}}");
}

static void path_item(struct buf *o, const struct route *table, size_t n, const struct doc_path *p)
{
	buf_json_str(o, p->path);
	buf_adds(o, ":{");
	size_t start = o->len;
	if (p->e && p->path[0] == '/' && strcmp(p->path + 1, p->e->plural) == 0)
		access(o, p->e); /* on the collection's own path */
	if (strchr(p->path, '{')) {
		buf_adds(o, o->len > start ? "," : "");
		path_params(o, p);
	}
	struct buf op = BUF_INIT;
	for (size_t m = 0; m < sizeof method_bits / sizeof *method_bits; m++) {
		const struct route *r = serving(table, n, p, method_bits[m]);
		buf_reset(&op);
		if (!r)
			continue;
		if (r->doc && !r->doc(&op, p->e))
			continue;
		if (!r->doc)
			operation(&op, r);
		buf_printf(o, "%s\"%s\":", o->len > start ? "," : "", method_names[m]);
		buf_add(o, op.data, op.len);
	}
	buf_release(&op);
	buf_addc(o, '}');
}

void openapi_write(struct buf *o, const struct route *table, size_t n)
{
	buf_adds(o, "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"suivi API\",\"version\":\"1\","
		    "\"description\":\"Follow-up of the strategic dialogue, needs, training and assistance programmes. See docs/API.md.\"},"
		    "\"servers\":[{\"url\":\"/api/v1\"}],"
		    "\"security\":[{\"bearer\":[]},{\"session\":[]}],\"paths\":{");
	size_t count;
	struct doc_path *paths = doc_paths(table, n, &count);
	for (size_t i = 0; i < count; i++) {
		if (i)
			buf_addc(o, ',');
		path_item(o, table, n, &paths[i]);
		free(paths[i].path);
	}
	free(paths);
	buf_adds(o, "},\"components\":{\"schemas\":{\"Multilingual\":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{");
	for (int l = 0; l < LANG__MAX; l++)
		buf_printf(o, "%s\"%s\":{\"type\":[\"string\",\"null\"]}", l ? "," : "", lang_code[l]);
	buf_adds(o, "}},\"Error\":{\"type\":\"object\",\"properties\":{\"error\":{\"type\":\"object\",\"required\":[\"code\",\"message\"],\"properties\":{\"code\":{\"type\":\"string\"},\"message\":{\"type\":\"string\"},\"fields\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}}}}}");
	for (size_t i = 0; i < entities_count; i++) {
		buf_addc(o, ',');
		record_schema(o, entities[i]);
	}
	buf_adds(o, "},\"securitySchemes\":{\"bearer\":{\"type\":\"http\",\"scheme\":\"bearer\","
		    "\"description\":\"an API token from suivi token add USER\"},"
		    "\"session\":{\"type\":\"apiKey\",\"in\":\"cookie\",\"name\":\"sid\","
		    "\"description\":\"a browser session; writes also need the X-CSRF-Token header\"}},"
		    "\"responses\":{\"Error\":{\"description\":\"an error\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/Error\"}}}}}}}");
}
