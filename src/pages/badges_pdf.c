/* badges_pdf.c — see badges_pdf.h.
 *
 * Eight badges to an A4 page (two columns of four, 105 × 74 mm, the
 * printed page's), with the cutting lines; each the event's title, the
 * person's name, organisation and country, and the role, in the reader's
 * language (an Arabic name shaped and right to left, pdf.h). */
#include "badges_pdf.h"

#include <stdio.h>

#include "domain.h"
#include "event.h"
#include "page.h"
#include "pdf.h"
#include "store_forum.h"
#include "xalloc.h"
#include "banned.h"

#define BADGES_MAX 5000
#define BADGE_W (PDF_A4_SHORT / 2)
#define BADGE_H (PDF_A4_LONG / 4)
#define PAD 16.0

struct badges_pdf {
	struct request *req;
	struct pdf *pdf;
	struct buf title;
	int n;
};

static const struct pdf_style
	event_style = { .size = 9, .align = PDF_CENTER, .grey = 0.35 },
	name_style = { .size = 19, .bold = true, .align = PDF_CENTER },
	org_style = { .size = 11, .align = PDF_CENTER, .grey = 0.15 },
	role_style = { .size = 12, .bold = true, .align = PDF_CENTER, .grey = 0.3 };

static enum app_err title_row(void *ctx, const struct row *row)
{
	struct badges_pdf *g = ctx;
	enum lang shown;
	const char *t = page_i18n(row, FLD(MEETING, TITLE)->col, g->req->lang, &shown);
	buf_adds(&g->title, t ? t : "");
	return APP_OK;
}

static enum app_err badge_row(void *ctx, const struct row *row)
{
	struct badges_pdf *g = ctx;
	enum lang lang = g->req->lang, shown;
	if (g->n && g->n % 8 == 0)
		pdf_next_page(g->pdf);
	double x = (g->n % 2) * BADGE_W, y = (g->n % 8 / 2) * BADGE_H, w = BADGE_W - 2 * PAD;
	g->n++;
	pdf_frame(g->pdf, x, y, BADGE_W, BADGE_H, 0.4, 0.7); /* the cutting lines */
	double at = y + PAD;
	at += pdf_text(g->pdf, x + PAD, at, w, buf_cstr(&g->title), &event_style) + 14;
	const char *name = row_text(row, REG_PERSON_NAME);
	at += pdf_text(g->pdf, x + PAD, at, w, name ? name : "", &name_style) + 6;
	const char *org = page_i18n(row, REG_ORG_NAME, lang, &shown);
	if (!org)
		org = row_text(row, REG_ORG_ACRONYM);
	if (org)
		at += pdf_text(g->pdf, x + PAD, at, w, org, &org_style);
	const char *country = page_i18n(row, REG_COUNTRY_NAME, lang, &shown);
	if (country)
		pdf_text(g->pdf, x + PAD, at, w, country, &org_style);
	const char *role = row_text(row, REG_ROLE);
	pdf_text(g->pdf, x + PAD, y + BADGE_H - PAD - 18, w, role ? page_enum_label(lang, role) : "", &role_style);
	return APP_OK;
}

void badges_pdf(struct request *req, struct response *resp)
{
	long long id;
	char kind[24], key[24];
	enum app_err rc = req_param_id(req, "id", &id) ? event_meeting_kind(req->app, id, kind) : APP_NOT_FOUND;
	if (rc) {
		page_error_rc(req, resp, rc);
		return;
	}
	struct badges_pdf g = { .req = req };
	snprintf(key, sizeof key, "%lld", id);
	rc = store_get(req->app->store, ENT(MEETING), key, title_row, &g);
	if (!rc && !(g.pdf = pdf_new(PDF_A4_SHORT, PDF_A4_LONG, _("Badges"))))
		rc = APP_UNAVAILABLE;
	if (!rc)
		rc = store_forum_registrations(req->app->store, id, NULL, BADGES_MAX, badge_row, &g);
	if (rc) /* not "no such record": the meeting was found */
		rc = err_db_failure(rc);
	enum app_err done = g.pdf ? pdf_finish(g.pdf, &resp->body) : APP_OK;
	char name[64];
	snprintf(name, sizeof name, "badges-%lld.pdf", id);
	page_file_answer(req, resp, rc ? rc : done, rc || done || g.n ? NULL : N_("No one is registered yet."), name);
	buf_release(&g.title);
}
