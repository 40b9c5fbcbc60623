/* certificate_pdf.h — certificates as PDF (pdf.h), each with the QR code
 * of its signed verification address (certsign.h):
 *
 *   GET /enrolments/{id}/certificate.pdf   one (staff: it names the person)
 *   GET /sessions/{id}/certificates.pdf    every certificate of a session,
 *                                          one page each, by name (staff)
 *   GET /.well-known/suivi-certificate-key the public key, for anyone
 *
 * 404 when there is no certificate (the enrolment is not completed). */
#ifndef SUIVI_CERTIFICATE_PDF_H
#define SUIVI_CERTIFICATE_PDF_H
#include "route.h"

void certificate_pdf(struct request *req, struct response *resp);
void session_certificates_pdf(struct request *req, struct response *resp);
void certificate_key_page(struct request *req, struct response *resp);

/* An enrolment's certificate as PDF into out, its QR code's address under
 * origin: the attachment of the message that sends it (notify.h's
 * certificate_pdf; app is a struct app).  APP_CONFLICT when the enrolment
 * has no certificate. */
MUST_CHECK enum app_err certificate_pdf_for_mail(void *app, const char *origin, long long enrolment, struct buf *out);

#endif
