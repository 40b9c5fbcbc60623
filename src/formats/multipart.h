/* multipart.h — multipart/form-data bodies (RFC 7578 over RFC 2046), as
 * browsers send file uploads.
 *
 * The parser reads a whole body held in memory (server.c bounds it) and
 * points into it: part contents are binary-safe slices of the body, never
 * copied; names and header values are copied and NUL-terminated.  Anything
 * it does not understand is refused with a reason, not guessed at. */
#ifndef SUIVI_MULTIPART_H
#define SUIVI_MULTIPART_H
#include <stdbool.h>
#include <stddef.h>

#define MP_MAX_PARTS 64
#define MP_MAX_HEADER 8192 /* bytes of headers per part */
#define MP_MAX_BOUNDARY 70 /* RFC 2046 §5.1.1 */

struct mp_part {
	char *name;         /* the form field's name */
	char *filename;     /* the file's name as sent, or NULL for a plain field */
	char *content_type; /* the part's Content-Type, or NULL */
	const char *data;   /* the content: a slice of the body */
	size_t len;
};

struct mp_form {
	struct mp_part *parts;
	size_t n;
};

/* Does the Content-Type header name multipart/form-data? */
bool mp_is_form_data(const char *content_type);
/* The boundary parameter of a multipart/form-data Content-Type into
 * out[MP_MAX_BOUNDARY + 1]; false when there is none or it is malformed. */
bool mp_boundary(const char *content_type, char *out);
/* Parses body (len bytes) sent with content_type into form (zeroed by the
 * caller or released).  On failure returns false with *why, a static
 * English sentence, and form empty. */
bool mp_parse(const char *content_type, const char *body, size_t len, struct mp_form *form,
	      const char **why);
void mp_release(struct mp_form *form);
/* The first part named name, or NULL. */
const struct mp_part *mp_get(const struct mp_form *form, const char *name);
/* The content of a plain field as a new NUL-terminated string (caller
 * frees), or NULL when the part is absent or holds a NUL byte. */
char *mp_text(const struct mp_form *form, const char *name);

#endif
