/* multipart.c — see multipart.h. */
#define _GNU_SOURCE
#include "multipart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

bool mp_is_form_data(const char *ct)
{
	if (!ct || !util_prefix_ci(ct, "multipart/form-data"))
		return false;
	char c = ct[19];
	return c == '\0' || c == ';' || c == ' ' || c == '\t';
}

/* RFC 2046 bchars: DIGIT / ALPHA / ' ( ) + _ , - . / : = ? and space (not last). */
static bool bchar(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("'()+_,-./:=? ", c) != NULL);
}

/* Reads a parameter value (token or quoted-string) at *s into out, whose cap
 * bounds it; advances *s past it.  false when malformed or too long. */
static bool param_value(const char **s, struct buf *out)
{
	const char *p = *s;
	if (*p == '"') {
		/* No backslash escapes: browsers write a quote in a file name
		 * as %22 and send backslashes as they are (WHATWG HTML,
		 * "multipart/form-data encoding algorithm"). */
		for (p++; *p != '"'; p++) {
			if (!*p)
				return false; /* unterminated */
			buf_addc(out, *p);
		}
		p++;
	} else {
		while (*p && *p != ';' && *p != ' ' && *p != '\t')
			buf_addc(out, *p++);
	}
	*s = p;
	return !buf_over(out);
}

/* Calls fn for each "; name=value" parameter after the first word of a
 * header value; false when the list is malformed or fn says so. */
typedef bool (*param_fn)(void *ctx, const char *name, size_t nlen, const char *value);

static bool each_param(const char *v, param_fn fn, void *ctx)
{
	const char *p = v + strcspn(v, ";");
	while (*p) {
		p = skip_ws(p + 1); /* past ';' */
		if (!*p)
			break; /* a trailing ';' */
		const char *name = p;
		while (*p && *p != '=' && *p != ';' && *p != ' ' && *p != '\t')
			p++;
		size_t nlen = (size_t)(p - name);
		p = skip_ws(p);
		if (*p != '=' || !nlen)
			return false;
		p = skip_ws(p + 1);
		struct buf val = BUF_CAPPED(MP_MAX_HEADER);
		bool ok = param_value(&p, &val) && fn(ctx, name, nlen, buf_cstr(&val));
		buf_release(&val);
		if (!ok)
			return false;
		p = skip_ws(p);
		if (*p && *p != ';')
			return false;
	}
	return true;
}

struct boundary_ctx {
	char *out;
	bool found;
};

static bool boundary_param(void *ctx, const char *name, size_t nlen, const char *value)
{
	struct boundary_ctx *b = ctx;
	if (nlen != 8 || strncasecmp(name, "boundary", 8) != 0)
		return true;
	size_t n = strlen(value);
	if (b->found || n == 0 || n > MP_MAX_BOUNDARY || value[n - 1] == ' ')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!bchar(value[i]))
			return false;
	memcpy(b->out, value, n + 1);
	b->found = true;
	return true;
}

bool mp_boundary(const char *ct, char *out)
{
	if (!mp_is_form_data(ct))
		return false;
	struct boundary_ctx b = { .out = out };
	return each_param(ct, boundary_param, &b) && b.found;
}

/* ---- one part's headers ------------------------------------------------------ */

struct disp_ctx {
	struct mp_part *part;
	bool bad;
};

static bool disp_param(void *ctx, const char *name, size_t nlen, const char *value)
{
	struct disp_ctx *d = ctx;
	char **slot = NULL;
	if (nlen == 4 && strncasecmp(name, "name", 4) == 0)
		slot = &d->part->name;
	else if (nlen == 8 && strncasecmp(name, "filename", 8) == 0)
		slot = &d->part->filename;
	if (!slot)
		return true; /* filename* and the like: RFC 7578 §4.2 says not to send them */
	if (*slot)
		return false; /* given twice */
	*slot = xstrdup(value);
	return true;
}

/* Parses one header line (without its CRLF). */
static bool header_line(struct mp_part *part, const char *line, const char **why)
{
	const char *colon = strchr(line, ':');
	if (!colon || colon == line) {
		*why = "A part header is not a 'Name: value' line.";
		return false;
	}
	size_t nlen = (size_t)(colon - line);
	const char *v = skip_ws(colon + 1);
	if (nlen == 19 && strncasecmp(line, "Content-Disposition", 19) == 0) {
		size_t w = strcspn(v, "; \t");
		if (w != 9 || strncasecmp(v, "form-data", 9) != 0) {
			*why = "A part's Content-Disposition is not form-data.";
			return false;
		}
		struct disp_ctx d = { .part = part };
		if (part->name || !each_param(v, disp_param, &d)) {
			*why = "A part's Content-Disposition is malformed.";
			return false;
		}
	} else if (nlen == 12 && strncasecmp(line, "Content-Type", 12) == 0) {
		if (part->content_type) {
			*why = "A part has two Content-Type headers.";
			return false;
		}
		part->content_type = xstrdup(v);
	}
	/* other headers (Content-Transfer-Encoding is deprecated, §4.7) are ignored */
	return true;
}

static bool part_headers(struct mp_part *part, const char *h, size_t n, const char **why)
{
	if (n > MP_MAX_HEADER) {
		*why = "A part's headers are too long.";
		return false;
	}
	if (memchr(h, '\0', n)) {
		*why = "A part's headers hold a NUL byte.";
		return false;
	}
	char *copy = xstrndup(h, n);
	bool ok = true;
	for (char *line = copy; ok && line;) {
		char *end = strstr(line, "\r\n");
		if (end)
			*end = '\0';
		if (strchr(line, '\r') || strchr(line, '\n')) {
			*why = "A part's headers have a bare CR or LF.";
			ok = false;
		} else if (*line) {
			ok = header_line(part, line, why);
		}
		line = end ? end + 2 : NULL;
	}
	free(copy);
	if (ok && !part->name) {
		*why = "A part has no Content-Disposition with a name.";
		ok = false;
	}
	return ok;
}

/* ---- the body ----------------------------------------------------------------- */

static void part_free(struct mp_part *p)
{
	free(p->name);
	free(p->filename);
	free(p->content_type);
}

void mp_release(struct mp_form *form)
{
	for (size_t i = 0; i < form->n; i++)
		part_free(&form->parts[i]);
	free(form->parts);
	form->parts = NULL;
	form->n = 0;
}

static bool fail(struct mp_form *form, const char **why, const char *msg)
{
	mp_release(form);
	*why = msg;
	return false;
}

bool mp_parse(const char *ct, const char *body, size_t len, struct mp_form *form,
	      const char **why)
{
	form->parts = NULL;
	form->n = 0;
	char boundary[MP_MAX_BOUNDARY + 1];
	if (!mp_boundary(ct, boundary))
		return fail(form, why, "The body is not multipart/form-data with a valid boundary.");
	/* "\r\n--boundary": the delimiter; the first one may open the body without its CRLF */
	char delim[MP_MAX_BOUNDARY + 5];
	size_t dl = (size_t)snprintf(delim, sizeof delim, "\r\n--%s", boundary);
	size_t pos;
	if (len >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0) {
		pos = dl - 2;
	} else {
		const char *d = memmem(body, len, delim, dl);
		if (!d)
			return fail(form, why, "The body holds no part.");
		pos = (size_t)(d - body) + dl;
	}
	for (;;) {
		/* after a delimiter: "--" closes the body, else padding and CRLF */
		if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
			break;
		while (pos < len && (body[pos] == ' ' || body[pos] == '\t'))
			pos++;
		if (len - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n')
			return fail(form, why, "A boundary line does not end with CRLF.");
		pos += 2;
		if (form->n == MP_MAX_PARTS)
			return fail(form, why, "The body has too many parts.");
		size_t hend;
		if (len - pos >= 2 && body[pos] == '\r' && body[pos + 1] == '\n') {
			hend = pos; /* no headers at all */
		} else {
			const char *e = memmem(body + pos, len - pos, "\r\n\r\n", 4);
			if (!e)
				return fail(form, why, "A part's headers do not end.");
			hend = (size_t)(e - body) + 2;
		}
		form->parts = xappend(form->parts, form->n, sizeof *form->parts);
		struct mp_part *part = &form->parts[form->n++];
		if (!part_headers(part, body + pos, hend - pos, why))
			return fail(form, why, *why);
		size_t cstart = hend + 2;
		const char *d = memmem(body + cstart, len - cstart, delim, dl);
		if (!d)
			return fail(form, why, "The body ends inside a part (no closing boundary).");
		part->data = body + cstart;
		part->len = (size_t)(d - body) - cstart;
		pos = (size_t)(d - body) + dl;
	}
	return true; /* what follows the closing delimiter is an epilogue, ignored */
}

const struct mp_part *mp_get(const struct mp_form *form, const char *name)
{
	for (size_t i = 0; i < form->n; i++)
		if (strcmp(form->parts[i].name, name) == 0)
			return &form->parts[i];
	return NULL;
}

char *mp_text(const struct mp_form *form, const char *name)
{
	const struct mp_part *p = mp_get(form, name);
	if (!p || memchr(p->data, '\0', p->len))
		return NULL;
	return xstrndup(p->data, p->len);
}
