/* menu.c — see menu.h.  The menu is a table: groups of tasks, each item a
 * page and what its reader needs to open it (the same rights the route
 * table and the handlers apply), so that nobody is shown a door they may
 * not pass and no page is reachable only by typing its address. */
#define _POSIX_C_SOURCE 200809L
#include "menu.h"

#include <string.h>

#include "entity.h"
#include "i18n.h"
#include "banned.h"

/* What an item needs beyond its collection's read right. */
enum {
	MI_PUBLIC = 1u << 0, /* shown to those not signed in too */
	MI_WRITE = 1u << 1,  /* the write right on its collection (imports, merges) */
	MI_STAFF = 1u << 2,  /* admin and officer only */
	MI_ADMIN = 1u << 3,  /* admin only */
};

struct menu_item {
	const char *label; /* msgid */
	const char *href;
	enum ent_id entity; /* the collection it shows; ENT_COUNT: none */
	unsigned needs;     /* MI_* */
};

struct menu_group {
	const char *label; /* msgid */
	const struct menu_item *items; /* up to a NULL label */
};

#define NONE ENT_COUNT

static const struct menu_item dialogue[] = {
	{ N_("Dialogue editions"), "/meetings?kind=strategic_dialogue", ENT_MEETING, 0 },
	{ N_("Outcomes"), "/outcomes", ENT_OUTCOME, 0 },
	{ NULL, NULL, NONE, 0 },
};
static const struct menu_item followup[] = {
	{ N_("Follow-up board"), "/board", ENT_ACTION, 0 },
	/* (staff review there; a focal point, who writes needs, sees its own entries) */
	{ N_("Review queue"), "/review", ENT_NEED, MI_WRITE },
	{ N_("Follow-up actions"), "/actions", ENT_ACTION, 0 },
	{ N_("Late actions"), "/actions?late=true", ENT_ACTION, 0 },
	{ N_("Progress updates"), "/action_updates", ENT_ACTION_UPDATE, 0 },
	{ N_("Progress links"), "/progress-links", NONE, MI_STAFF },
	{ NULL, NULL, NONE, 0 },
};
static const struct menu_item needs[] = {
	{ N_("Needs matrix"), "/needs/matrix", ENT_NEED, 0 },
	{ N_("Needs map"), "/needs/map", ENT_NEED, 0 },
	{ N_("Gap analysis"), "/needs/gaps", ENT_NEED, 0 },
	{ N_("Needs assessments"), "/needs", ENT_NEED, 0 },
	{ N_("Import assessments"), "/needs/import", ENT_NEED, MI_WRITE },
	{ NULL, NULL, NONE, 0 },
};
static const struct menu_item training[] = {
	{ N_("Training dashboard"), "/training", NONE, MI_PUBLIC },
	{ N_("Course catalogue"), "/catalogue", ENT_COURSE, 0 },
	{ N_("Training sessions"), "/sessions", ENT_SESSION, 0 },
	{ N_("Participants"), "/participants", ENT_PARTICIPANT, 0 },
	{ N_("Enrolments and certificates"), "/enrolments", ENT_ENROLMENT, 0 },
	{ N_("Likely duplicates"), "/participants/duplicates", ENT_PARTICIPANT, MI_WRITE },
	{ N_("Import participants"), "/participants/import", ENT_PARTICIPANT, MI_WRITE },
	{ N_("Import enrolments"), "/enrolments/import", ENT_ENROLMENT, MI_WRITE },
	{ N_("Verify a certificate"), "/verify", NONE, MI_PUBLIC },
	{ NULL, NULL, NONE, 0 },
};
static const struct menu_item programmes[] = {
	{ N_("Programmes overview"), "/programmes/overview", ENT_PROGRAMME, 0 },
	{ N_("Programmes"), "/programmes", ENT_PROGRAMME, 0 },
	{ N_("Funding transactions"), "/transactions", ENT_TRANSACTION, 0 },
	{ N_("In-kind support"), "/contributions", ENT_CONTRIBUTION, 0 },
	{ N_("Results"), "/results", ENT_RESULT, 0 },
	{ N_("Indicators"), "/indicators", ENT_INDICATOR, 0 },
	{ N_("Import an IATI file"), "/programmes/import", ENT_PROGRAMME, MI_WRITE },
	{ NULL, NULL, NONE, 0 },
};
static const struct menu_item events[] = {
	{ N_("Events"), "/meetings", ENT_MEETING, 0 },
	{ N_("Registrations"), "/registrations", ENT_REGISTRATION, 0 },
	{ N_("Forum evaluations"), "/evaluations", ENT_EVALUATION, 0 },
	{ NULL, NULL, NONE, 0 },
};
static const struct menu_item data[] = {
	{ N_("Documents"), "/documents", ENT_DOCUMENT, 0 },
	{ N_("Countries"), "/countries", ENT_COUNTRY, 0 },
	{ N_("Themes"), "/themes", ENT_THEME, 0 },
	{ N_("Organisations"), "/organisations", ENT_ORGANISATION, 0 },
	{ N_("Persons"), "/persons", ENT_PERSON, 0 },
	{ N_("Texts to translate"), "/translations", NONE, MI_STAFF },
	{ N_("IATI file"), "/iati.xml", NONE, MI_PUBLIC },
	{ N_("API"), "/api/v1/", NONE, 0 },
	{ NULL, NULL, NONE, 0 },
};
static const struct menu_item administration[] = {
	{ N_("Accounts"), "/accounts", NONE, MI_ADMIN },
	{ N_("Notifications"), "/notifications", NONE, MI_ADMIN },
	{ N_("Audit trail"), "/audit", ENT_AUDIT, 0 },
	{ NULL, NULL, NONE, 0 },
};

static const struct menu_group groups[] = {
	{ N_("Dialogue"), dialogue },
	{ N_("Follow-up"), followup },
	{ N_("Needs"), needs },
	{ N_("Training"), training },
	{ N_("Programmes"), programmes },
	{ N_("Events and forum"), events },
	{ N_("Data"), data },
	{ N_("Administration"), administration },
};

static bool item_shown(const struct menu_item *it, enum role role)
{
	if (role == ROLE_PUBLIC)
		return (it->needs & MI_PUBLIC) != 0;
	if (((it->needs & MI_STAFF) && !role_staff(role)) || ((it->needs & MI_ADMIN) && role != ROLE_ADMIN))
		return false;
	if (it->entity == NONE)
		return true;
	const struct entity *e = ent_get(it->entity);
	return ent_can_read(e, role) && (!(it->needs & MI_WRITE) || ent_can_write(e, role));
}

/* How much of path the item's address covers: its whole path, or its path
 * and then a '/' ("/needs" covers "/needs/7"); 0: none of it. */
static size_t covers(const char *href, const char *path)
{
	size_t n = strcspn(href, "?");
	if (strncmp(href, path, n) != 0 || (path[n] && path[n] != '/' && href[n - 1] != '/'))
		return 0;
	return n;
}

/* The item the page belongs to: the shown item whose address covers most of
 * the path (the first of equals: "Dialogue editions" before "Events"). */
static const struct menu_item *current_item(enum role role, const char *path)
{
	const struct menu_item *best = NULL;
	size_t best_n = 0;
	for (size_t g = 0; g < sizeof groups / sizeof *groups; g++)
		for (const struct menu_item *it = groups[g].items; it->label; it++) {
			size_t n = item_shown(it, role) ? covers(it->href, path) : 0;
			if (n > best_n) {
				best = it;
				best_n = n;
			}
		}
	return best;
}

static void group_html(struct buf *b, enum lang lang, const struct menu_group *g, enum role role,
		       const struct menu_item *here)
{
	bool any = false, holds_here = false;
	for (const struct menu_item *it = g->items; it->label; it++)
		if (item_shown(it, role)) {
			any = true;
			holds_here |= it == here;
		}
	if (!any)
		return;
	/* appended piece by piece: on every page, printf's cost showed */
	buf_adds(b, holds_here ? "<li><details class=\"here\"><summary>" : "<li><details><summary>");
	buf_adds(b, tr(lang, g->label));
	buf_adds(b, "</summary><ul>");
	for (const struct menu_item *it = g->items; it->label; it++) {
		if (!item_shown(it, role))
			continue;
		buf_adds(b, "<li><a href=\"");
		buf_html(b, it->href);
		buf_adds(b, it == here ? "\" aria-current=\"page\">" : "\">");
		buf_adds(b, tr(lang, it->label));
		buf_adds(b, "</a></li>");
	}
	buf_adds(b, "</ul></details></li>");
}

void menu_html(struct buf *b, enum lang lang, enum role role, const char *path)
{
	const struct menu_item *here = current_item(role, path);
	buf_printf(b, "<nav class=\"main\" aria-label=\"%s\"><ul>", tr(lang, N_("Main menu")));
	for (size_t g = 0; g < sizeof groups / sizeof *groups; g++)
		group_html(b, lang, &groups[g], role, here);
	buf_adds(b, "</ul></nav>");
}
