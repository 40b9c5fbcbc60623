/* mail.h — an e-mail message as RFC 5322 and MIME write it: the headers
 * (non-ASCII words encoded as RFC 2047 says), a plain-text and an HTML
 * body as alternatives, in UTF-8, and an optional calendar invitation
 * (ics.h) or a file.  What is sent by SMTP (smtp.h) as it is. */
#ifndef SUIVI_MAIL_H
#define SUIVI_MAIL_H
#include <stdbool.h>

#include "buf.h"

struct mail {
	const char *from;        /* an address: suivi@office.example */
	const char *from_name;   /* shown beside it, or NULL */
	const char *to;          /* one address */
	const char *to_name;     /* or NULL */
	const char *subject;     /* UTF-8, one line */
	const char *text;        /* the plain-text body, UTF-8, lines ending in \n */
	const char *html;        /* the HTML body, a whole document, or NULL */
	const char *lang;        /* Content-Language: fr, en, ar */
	const char *message_id;  /* without <>, e.g. 12.1733290000@office.example */
	const char *unsubscribe; /* an https address for List-Unsubscribe (one click, RFC 8058), or NULL */
	const char *ics;         /* a text/calendar invitation (METHOD:REQUEST), or NULL */
	/* a file attached (a certificate's PDF), or none when file_size is 0 */
	const void *file;
	size_t file_size;
	const char *file_type;   /* its media type: application/pdf */
	const char *file_name;   /* its name, ASCII: certificate-OPCT-2027-0001.pdf */
	long long date;          /* seconds since the epoch */
};

/* Is s an address suivi can write to: local@domain, printable ASCII, no
 * spaces, angle brackets, quotes or line ends (nothing a header can be
 * broken with), at most 254 bytes? */
bool mail_address_ok(const char *s);

/* Writes m to out, CRLF line ends.  Values of headers lose any line end
 * they carry. */
void mail_compose(struct buf *out, const struct mail *m);

#endif
