/* mail.c — see mail.h. */
#define _POSIX_C_SOURCE 200809L
#include "mail.h"

#include <sodium.h>
#include <string.h>

#include "util.h"
#include "xalloc.h"
#include "banned.h"

bool mail_address_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	const char *at = s ? strchr(s, '@') : NULL;
	if (n < 3 || n > 254 || !at || at == s || !at[1] || strchr(at + 1, '@') || !strchr(at + 1, '.'))
		return false;
	for (const char *p = s; *p; p++)
		if (*p <= ' ' || *p > '~' || strchr("<>\"(),;:\\[]", *p))
			return false;
	return true;
}

static bool plain_ascii(const char *s)
{
	for (; *s; s++)
		if (*s < ' ' || *s > '~')
			return false;
	return true;
}

/* Adds s as base64 (RFC 2045: lines of 76). */
static void add_base64(struct buf *out, const unsigned char *s, size_t n, bool wrap)
{
	size_t len = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = xmalloc(len);
	sodium_bin2base64(b64, len, s, n, sodium_base64_VARIANT_ORIGINAL);
	size_t m = strlen(b64);
	for (size_t i = 0; i < m; i += 76) {
		buf_add(out, b64 + i, m - i < 76 || !wrap ? m - i : 76);
		if (!wrap)
			break;
		buf_adds(out, "\r\n");
	}
	free(b64);
}

/* A header's value without its line ends (no header made of a record's
 * text can start another). */
static char *one_line(const char *s)
{
	char *v = xstrdup(s ? s : "");
	for (char *p = v; *p; p++)
		if (*p == '\r' || *p == '\n' || *p == '\t')
			*p = ' ';
	return v;
}

/* Adds s as RFC 2047 encoded words of at most 45 bytes each (whole UTF-8
 * characters), folded onto lines of their own. */
static void add_encoded_words(struct buf *out, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		size_t take = n - i < 45 ? n - i : 45;
		while (take > 1 && i + take < n && ((unsigned char)s[i + take] & 0xC0) == 0x80)
			take--; /* not in the middle of a character */
		if (i)
			buf_adds(out, "\r\n ");
		buf_adds(out, "=?UTF-8?B?");
		add_base64(out, (const unsigned char *)s + i, take, false);
		buf_adds(out, "?=");
		i += take;
	}
}

static void add_header_text(struct buf *out, const char *name, const char *value)
{
	char *v = one_line(value);
	buf_printf(out, "%s: ", name);
	if (plain_ascii(v))
		buf_adds(out, v);
	else
		add_encoded_words(out, v);
	buf_adds(out, "\r\n");
	free(v);
}

/* Name <address>: the name quoted, or encoded when not ASCII. */
static void add_header_address(struct buf *out, const char *header, const char *name, const char *address)
{
	buf_printf(out, "%s: ", header);
	if (name && *name) {
		char *v = one_line(name);
		if (plain_ascii(v)) {
			buf_addc(out, '"');
			for (const char *p = v; *p; p++) {
				if (*p == '"' || *p == '\\')
					buf_addc(out, '\\');
				buf_addc(out, *p);
			}
			buf_addc(out, '"');
		} else {
			add_encoded_words(out, v);
		}
		buf_addc(out, ' ');
		free(v);
	}
	buf_printf(out, "<%s>\r\n", address);
}

static void add_part_bytes(struct buf *out, const char *boundary, const char *type, const void *body, size_t size,
			   const char *disposition)
{
	buf_printf(out, "--%s\r\nContent-Type: %s\r\nContent-Transfer-Encoding: base64\r\n", boundary, type);
	if (disposition)
		buf_printf(out, "Content-Disposition: %s\r\n", disposition);
	buf_adds(out, "\r\n");
	add_base64(out, body, size, true);
}

static void add_part(struct buf *out, const char *boundary, const char *type, const char *body,
		     const char *disposition)
{
	add_part_bytes(out, boundary, type, body, strlen(body), disposition);
}

static void new_boundary(char out[41])
{
	unsigned char r[12];
	randombytes_buf(r, sizeof r);
	memcpy(out, "=_suivi_", 8);
	sodium_bin2hex(out + 8, 25, r, sizeof r); /* "=_" never occurs in base64 */
}

/* The alternatives: plain text, then HTML when there is some. */
static void add_alternatives(struct buf *out, const struct mail *m)
{
	char b[41];
	new_boundary(b);
	buf_printf(out, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", b);
	add_part(out, b, "text/plain; charset=UTF-8", m->text ? m->text : "", NULL);
	if (m->html)
		add_part(out, b, "text/html; charset=UTF-8", m->html, NULL);
	buf_printf(out, "--%s--\r\n", b);
}

void mail_compose(struct buf *out, const struct mail *m)
{
	char date[40]; /* room for "+0000" where "GMT" was */
	util_http_date(m->date, date); /* "Fri, 04 Dec 2026 05:10:23 GMT" */
	char *gmt = strstr(date, "GMT");
	if (gmt)
		memcpy(gmt, "+0000", 6);
	buf_printf(out, "Date: %s\r\n", date);
	add_header_address(out, "From", m->from_name, m->from);
	add_header_address(out, "To", m->to_name, m->to);
	add_header_text(out, "Subject", m->subject);
	buf_printf(out, "Message-ID: <%s>\r\n", m->message_id);
	if (m->lang)
		buf_printf(out, "Content-Language: %s\r\n", m->lang);
	/* a machine's message: no out-of-office answers back (RFC 3834) */
	buf_adds(out, "Auto-Submitted: auto-generated\r\n");
	if (m->unsubscribe) {
		char *u = one_line(m->unsubscribe);
		buf_printf(out, "List-Unsubscribe: <%s>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", u);
		free(u);
	}
	buf_adds(out, "MIME-Version: 1.0\r\n");
	if (!m->ics && !m->file_size) {
		add_alternatives(out, m);
		return;
	}
	char b[41];
	new_boundary(b);
	buf_printf(out, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n--%s\r\n", b, b);
	add_alternatives(out, m);
	if (m->ics)
		add_part(out, b, "text/calendar; charset=UTF-8; method=REQUEST; name=\"invitation.ics\"", m->ics,
			 "attachment; filename=\"invitation.ics\"");
	if (m->file_size) {
		char *name = one_line(m->file_name);
		struct buf type = BUF_INIT, disposition = BUF_INIT;
		buf_printf(&type, "%s; name=\"%s\"", m->file_type, name);
		buf_printf(&disposition, "attachment; filename=\"%s\"", name);
		add_part_bytes(out, b, buf_cstr(&type), m->file, m->file_size, buf_cstr(&disposition));
		buf_release(&type);
		buf_release(&disposition);
		free(name);
	}
	buf_printf(out, "--%s--\r\n", b);
}
