/* badges_pdf.h — GET /meetings/{id}/badges.pdf (staff): the badges of an
 * event's registrations as PDF, eight to an A4 page, ready to print and
 * cut (the printable page /meetings/{id}/badges lays out the same). */
#ifndef SUIVI_BADGES_PDF_H
#define SUIVI_BADGES_PDF_H
#include "route.h"

void badges_pdf(struct request *req, struct response *resp);

#endif
