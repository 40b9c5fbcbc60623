/* certificate_pdf.c — see certificate_pdf.h.
 *
 * One A4 landscape page a certificate, French above English as on the
 * printed page (training.c), the participant's name as it was recorded
 * (in Arabic script, shaped and right to left), and in the corner the QR
 * code of the signed verification address (certsign.h). */
#include "certificate_pdf.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "certsign.h"
#include "i18n.h"
#include "page.h"
#include "pdf.h"
#include "store_training.h"
#include "xalloc.h"
#include "banned.h"

#define W PDF_A4_LONG
#define H PDF_A4_SHORT
#define MARGIN 56.0
#define QR_SIZE 118.0

struct cert_pdf {
	struct pdf *pdf;
	struct certsign_key key;
	struct buf origin;   /* "https://host", or "" */
	long long pages;
};

static const struct pdf_style
	small_print = { .size = 10.5, .align = PDF_CENTER, .grey = 0.3 },
	title_fr = { .size = 30, .bold = true, .align = PDF_CENTER, .grey = 0.1 },
	title_en = { .size = 19, .italic = true, .align = PDF_CENTER, .grey = 0.35 },
	line_fr = { .size = 13, .align = PDF_CENTER },
	line_en = { .size = 12, .italic = true, .align = PDF_CENTER, .grey = 0.35 },
	person = { .size = 30, .bold = true, .align = PDF_CENTER },
	course = { .size = 18, .bold = true, .align = PDF_CENTER },
	corner = { .size = 9.5, .grey = 0.25 },
	sample = { .size = 12, .bold = true, .align = PDF_CENTER, .grey = 0.45 };

/* A line in French, then in English (smaller), centred; answers the y
 * below them. */
static double both(struct pdf *p, double y, const char *msgid, const char *fr_tail, const char *en_tail)
{
	struct buf fr = BUF_INIT, en = BUF_INIT;
	buf_printf(&fr, "%s%s", tr(LANG_FR, msgid), fr_tail ? fr_tail : "");
	buf_printf(&en, "%s%s", tr(LANG_EN, msgid), en_tail ? en_tail : "");
	y += pdf_text(p, MARGIN, y, W - 2 * MARGIN, buf_cstr(&fr), &line_fr);
	y += pdf_text(p, MARGIN, y, W - 2 * MARGIN, buf_cstr(&en), &line_en);
	buf_release(&fr);
	buf_release(&en);
	return y;
}

/* "du 8 au 12 février 2027 à Rabat": the session's dates and place in l. */
static void when_where(struct buf *out, const struct row *row, enum lang l)
{
	const char *start = row_text(row, TRX_START), *end = row_text(row, TRX_END);
	buf_addc(out, ' ');
	i18n_date(out, l, start ? start : "");
	buf_printf(out, " %s ", tr(l, "to"));
	i18n_date(out, l, end ? end : start ? start : "");
	if (row_text(row, TRX_VENUE))
		buf_printf(out, " %s %s", tr(l, "in"), row_text(row, TRX_VENUE));
	buf_addc(out, '.');
}

static const char *title_of(const struct row *row, enum lang l)
{
	const char *t = row_text(row, TRX_TITLE + (int)l);
	if (!t || !*t)
		t = row_text(row, TRX_TITLE + (l == LANG_FR ? LANG_EN : LANG_FR));
	return t ? t : "";
}

/* The corner: the number, the address to verify it at, the QR code. */
static void corner_block(struct cert_pdf *c, const struct row *row, const char *number)
{
	struct pdf *p = c->pdf;
	struct cert_claim claim = { number, row_int(row, TRX_COURSE), row_text(row, TRX_START),
				    row_text(row, TRX_END) };
	if (!claim.start)
		claim.start = "";
	char sig[CERTSIGN_SIG_TEXT];
	certsign_sign(&c->key, &claim, sig);
	struct buf url = BUF_INIT, text = BUF_INIT;
	certsign_url(&url, buf_cstr(&c->origin), &claim, sig);
	pdf_qr(p, W - MARGIN - QR_SIZE, H - MARGIN - QR_SIZE, QR_SIZE, buf_cstr(&url));
	/* issued at the end of the session: the same date whenever it is printed */
	const char *issued = claim.end && *claim.end ? claim.end : claim.start;
	buf_printf(&text, "%s ", tr(LANG_FR, "Issued on"));
	i18n_date(&text, LANG_FR, issued);
	buf_printf(&text, " / %s ", tr(LANG_EN, "Issued on"));
	i18n_date(&text, LANG_EN, issued);
	buf_printf(&text, "\n%s / %s : %s\n%s / %s :\n%s/verify/%s", tr(LANG_FR, "Certificate number"),
		   tr(LANG_EN, "Certificate number"), number, tr(LANG_FR, "Verify this certificate at"),
		   tr(LANG_EN, "Verify this certificate at"), buf_cstr(&c->origin), number);
	pdf_text(p, MARGIN, H - MARGIN - 58, W - 2 * MARGIN - QR_SIZE - 12, buf_cstr(&text), &corner);
	buf_release(&url);
	buf_release(&text);
}

static enum app_err cert_page(void *ctx, const struct row *row)
{
	struct cert_pdf *c = ctx;
	const char *number = row_text(row, TRX_NUMBER);
	if (!row_int(row, TRX_COMPLETED) || !number)
		return APP_OK;
	if (c->pages++)
		pdf_next_page(c->pdf);
	struct pdf *p = c->pdf;
	pdf_frame(p, 20, 20, W - 40, H - 40, 2.5, 0.3);
	pdf_frame(p, 27, 27, W - 54, H - 54, 0.6, 0.5);
	double y = 44;
	y += pdf_text(p, MARGIN, y, W - 2 * MARGIN, tr(LANG_FR, "Programme Office for Counter-Terrorism and Training in Africa"), &small_print);
	y += pdf_text(p, MARGIN, y, W - 2 * MARGIN, tr(LANG_EN, "Programme Office for Counter-Terrorism and Training in Africa"), &small_print) + 14;
	y += pdf_text(p, MARGIN, y, W - 2 * MARGIN, tr(LANG_FR, "Certificate of training"), &title_fr);
	y += pdf_text(p, MARGIN, y, W - 2 * MARGIN, tr(LANG_EN, "Certificate of training"), &title_en) + 16;
	y = both(p, y, "This is to certify that", NULL, NULL) + 8;
	struct buf who = BUF_INIT;
	const char *g = row_text(row, TRX_GIVEN), *f = row_text(row, TRX_FAMILY);
	buf_printf(&who, "%s%s%s", g && *g ? g : "", g && *g ? " " : "", f ? f : "");
	y += pdf_text(p, MARGIN, y, W - 2 * MARGIN, buf_cstr(&who), &person) + 8;
	buf_release(&who);
	y = both(p, y, "has completed the course", NULL, NULL) + 6;
	y += pdf_text(p, MARGIN, y, W - 2 * MARGIN, title_of(row, LANG_FR), &course);
	if (strcmp(title_of(row, LANG_FR), title_of(row, LANG_EN)) != 0)
		y += pdf_text(p, MARGIN, y, W - 2 * MARGIN, title_of(row, LANG_EN), &title_en);
	struct buf fr = BUF_INIT, en = BUF_INIT;
	when_where(&fr, row, LANG_FR);
	when_where(&en, row, LANG_EN);
	y = both(p, y + 8, "held from", buf_cstr(&fr), buf_cstr(&en));
	buf_release(&fr);
	buf_release(&en);
	if (row_int(row, TRX_SAMPLE)) {
		struct buf s = BUF_INIT;
		buf_printf(&s, "%s  %s", tr(LANG_FR, "SAMPLE: demonstration data, not a real certificate."),
			   tr(LANG_EN, "SAMPLE: demonstration data, not a real certificate."));
		pdf_text(p, MARGIN, y + 6, W - 2 * MARGIN - QR_SIZE, buf_cstr(&s), &sample);
		buf_release(&s);
	}
	corner_block(c, row, number);
	return APP_OK;
}

/* Writes the certificates of one enrolment (session 0) or of a session
 * into out, their addresses under origin; *pages of them. */
static enum app_err certificates(struct app *app, const char *origin, enum lang lang, long long enrolment,
				 long long session, struct buf *out, long long *pages)
{
	struct cert_pdf c = { 0 };
	enum app_err rc = certsign_key(app, &c.key);
	if (rc)
		return rc;
	c.pdf = pdf_new(W, H, tr(lang, "Certificate of training"));
	if (!c.pdf)
		return APP_UNAVAILABLE;
	buf_adds(&c.origin, origin);
	rc = session ? store_training_session_certificates(app->store, session, cert_page, &c)
		     : store_training_certificate(app->store, enrolment, cert_page, &c);
	enum app_err done = pdf_finish(c.pdf, out);
	buf_release(&c.origin);
	sodium_memzero(&c.key, sizeof c.key);
	*pages = c.pages;
	return rc ? rc : done;
}

enum app_err certificate_pdf_for_mail(void *app, const char *origin, long long enrolment, struct buf *out)
{
	long long pages = 0;
	enum app_err rc = certificates(app, origin, LANG_FR, enrolment, 0, out, &pages);
	return rc ? rc : pages ? APP_OK : APP_CONFLICT;
}

/* One certificate (an enrolment's) or a session's, by the path's {id}. */
static void certificates_route(struct request *req, struct response *resp, bool session)
{
	long long id, pages = 0;
	if (!req_param_id(req, "id", &id))
		return;
	struct buf origin = BUF_INIT;
	page_origin(req, &origin);
	enum app_err rc = certificates(req->app, buf_cstr(&origin), req->lang, session ? 0 : id, session ? id : 0,
				       &resp->body, &pages);
	buf_release(&origin);
	const char *none = session ? N_("No participant of this session has completed it yet: there is no certificate.")
				   : N_("This enrolment is not completed: it has no certificate.");
	char name[64];
	snprintf(name, sizeof name, session ? "certificates-session-%lld.pdf" : "certificate-%lld.pdf", id);
	page_file_answer(req, resp, rc, rc || pages ? NULL : none, name);
}

void certificate_pdf(struct request *req, struct response *resp)
{
	certificates_route(req, resp, false);
}

void session_certificates_pdf(struct request *req, struct response *resp)
{
	certificates_route(req, resp, true);
}

void certificate_key_page(struct request *req, struct response *resp)
{
	struct certsign_key k;
	enum app_err rc = certsign_key(req->app, &k);
	resp->content_type = "text/plain; charset=utf-8";
	if (rc) {
		resp->status = err_status(rc);
		buf_adds(&resp->body, err_message(rc));
		buf_addc(&resp->body, '\n');
		return;
	}
	struct buf b64 = BUF_INIT, hex = BUF_INIT;
	certsign_public_text(k.pk, &b64, &hex);
	resp->status = 200;
	buf_printf(&resp->body,
		   "# The Ed25519 public key (RFC 8032) that signs this installation's certificates.\n"
		   "# A certificate's QR code holds /verify/NUMBER?course=C&start=S&end=E&sig=SIG, where SIG\n"
		   "# (base64url, no padding) signs the bytes\n"
		   "#   \"suivi certificate 1\\n\" NUMBER \"\\n\" C \"\\n\" S \"\\n\" E \"\\n\"\n"
		   "ed25519-base64url %s\ned25519-hex %s\n",
		   buf_cstr(&b64), buf_cstr(&hex));
	buf_release(&b64);
	buf_release(&hex);
	resp_header(resp, "Cache-Control", "public, max-age=3600");
}
