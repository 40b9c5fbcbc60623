/* openapi.c — see openapi.h.  Every collection, its record schema, the
 * list parameters and the error envelope come from the entity registry, so
 * the document cannot drift from what the server does. */
#include "openapi.h"

#include <string.h>

#include "domain.h"
#include "entity.h"
#include "err.h"
#include "i18n.h"

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

static void paths(struct buf *o, const struct entity *e)
{
	/* 507: a write the full disk refused */
	static const int list_err[] = { 400, 503, 0 }, create_err[] = { 400, 413, 415, 422, 503, 507, 0 },
			 get_err[] = { 404, 0 }, patch_err[] = { 400, 404, 412, 413, 415, 422, 507, 0 },
			 del_err[] = { 404, 409, 412, 507, 0 };
	const char *ref = e->name;
	buf_printf(o, "\"/%s\":{", e->plural);
	access(o, e);
	buf_printf(o, ",\"get\":{\"summary\":\"List %s\",\"parameters\":", e->plural);
	list_params(o, e);
	buf_printf(o, ",\"responses\":{\"200\":{\"description\":\"a page of records\",\"content\":{\"application/json\":{\"schema\":{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/%s\"}},\"total\":{\"type\":\"integer\"},\"limit\":{\"type\":\"integer\"},\"offset\":{\"type\":\"integer\"}}}}}}", ref);
	error_responses(o, list_err);
	if (e->readonly) { /* the audit trail: read only */
		buf_printf(o, "}}},\"/%s/{key}\":{\"get\":{\"summary\":\"One %s\",\"parameters\":[{\"name\":\"key\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"integer\"}}],"
			      "\"responses\":{\"200\":{\"description\":\"the record\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/%s\"}}}}",
			   e->plural, e->name, ref);
		error_responses(o, get_err);
		buf_adds(o, "}}}");
		return;
	}
	if (e->upload) /* the file and the writable fields as form parts (docs/API.md) */
		buf_printf(o, "}},\"post\":{\"summary\":\"Upload a %s\",\"requestBody\":{\"required\":true,\"content\":{\"multipart/form-data\":{\"schema\":{\"type\":\"object\",\"required\":[\"file\"],\"properties\":{\"file\":{\"type\":\"string\",\"contentMediaType\":\"application/octet-stream\"}}}}}},",
			   e->name);
	else
		buf_printf(o, "}},\"post\":{\"summary\":\"Create a %s\",\"requestBody\":{\"required\":true,\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/%s\"}}}},",
			   e->name, ref);
	buf_printf(o, "\"responses\":{\"201\":{\"description\":\"created\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/%s\"}}}}",
		   ref);
	error_responses(o, create_err);
	buf_adds(o, "}}},");
	buf_printf(o, "\"/%s.csv\":{\"get\":{\"summary\":\"Export %s as CSV\",\"responses\":{\"200\":{\"description\":\"CSV\",\"content\":{\"text/csv\":{}}}}}},", e->plural, e->plural);
	const char *kt = ent_int_key(e) ? "integer" : "string";
	buf_printf(o, "\"/%s/{key}\":{\"parameters\":[{\"name\":\"key\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"%s\"}}],", e->plural, kt);
	buf_printf(o, "\"get\":{\"summary\":\"One %s\",\"parameters\":[" LABELS_PARAM "],\"responses\":{\"200\":{\"description\":\"the record; ETag header\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/%s\"}}}}", e->name, ref);
	error_responses(o, get_err);
	buf_printf(o, "}},\"patch\":{\"summary\":\"Change a %s (merge patch; If-Match honoured)\",\"parameters\":[{\"name\":\"If-Match\",\"in\":\"header\",\"schema\":{\"type\":\"string\"}}],\"requestBody\":{\"required\":true,\"content\":{\"application/json\":{\"schema\":{\"type\":\"object\"}}}},\"responses\":{\"200\":{\"description\":\"the changed record\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/%s\"}}}}", e->name, ref);
	error_responses(o, patch_err);
	buf_printf(o, "}},\"delete\":{\"summary\":\"Delete a %s\",\"parameters\":[{\"name\":\"If-Match\",\"in\":\"header\",\"schema\":{\"type\":\"string\"}}],\"responses\":{\"204\":{\"description\":\"deleted\"}", e->name);
	error_responses(o, del_err);
	buf_adds(o, "}}}");
}

void openapi_write(struct buf *o)
{
	buf_adds(o, "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"suivi API\",\"version\":\"1\","
		    "\"description\":\"Follow-up of the strategic dialogue, needs, training and assistance programmes. See docs/API.md.\"},"
		    "\"servers\":[{\"url\":\"/api/v1\"}],"
		    "\"security\":[{\"bearer\":[]},{\"session\":[]}],\"paths\":{");
	for (size_t i = 0; i < entities_count; i++) {
		if (i)
			buf_addc(o, ',');
		paths(o, entities[i]);
	}
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
