/* model.c — the entities of suivi, described once (see entity.h).
 *
 * Labels are English msgids translated through po/NN.po.  Field names are the
 * JSON keys of docs/API.md: change one and scripts break. */
#include <string.h>

#include "entity.h"
#include "record.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Common tail of the records that carry provenance (DESIGN: "anything not
 * in the communiqué is marked as sample data"). */
#define PROVENANCE                                                                         \
	{ .name = "sample", .type = FT_BOOL, .def = "0", .label = "Sample data",               \
	  .help = "Holds values that the sources do not give" },                              \
	{ .name = "source", .type = FT_TEXT, .max = 500, .label = "Source",                    \
	  .help = "Where the facts come from" }

static struct field country_fields[] = {
	{ .name = "code", .type = FT_CODE, .flags = F_REQUIRED | F_LIST, .pattern = "A2", .label = "Code" },
	{ .name = "iso3", .type = FT_TEXT, .pattern = "A3", .label = "ISO alpha-3" },
	{ .name = "m49", .type = FT_TEXT, .pattern = "D3", .label = "M49 code" },
	{ .name = "name", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 200, .label = "Name" },
	{ .name = "un_african_member", .type = FT_BOOL, .flags = F_LIST, .def = "0", .label = "African UN Member State" },
	{ .name = "atlantic_african_state", .type = FT_BOOL, .flags = F_LIST, .def = "0", .label = "Atlantic African State" },
	{ .name = "m49_region", .type = FT_TEXT, .flags = F_LIST, .max = 60, .label = "Region (UN M49)" },
};

static struct field theme_fields[] = {
	{ .name = "code", .type = FT_CODE, .flags = F_REQUIRED | F_LIST, .pattern = "slug", .label = "Code" },
	{ .name = "name", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 200, .label = "Name" },
};

static struct field organisation_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = "Number" },
	{ .name = "name", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 300, .label = "Name" },
	{ .name = "acronym", .type = FT_TEXT, .flags = F_LIST | F_SEARCH, .max = 40, .label = "Acronym" },
	{ .name = "type", .type = FT_TEXT, .flags = F_LIST, .pattern = "orgtype", .label = "Type (IATI)",
	  .help = "IATI OrganisationType code, e.g. 10 government, 40 multilateral" },
	{ .name = "country", .type = FT_REF, .flags = F_LIST, .ref = "country", .label = "Country" },
	PROVENANCE,
};

static struct field person_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = "Number" },
	{ .name = "name", .type = FT_TEXT, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 200, .label = "Name" },
	{ .name = "title", .type = FT_I18N, .flags = F_LIST | F_SEARCH, .max = 300, .label = "Function" },
	{ .name = "organisation", .type = FT_REF, .flags = F_LIST, .ref = "organisation", .label = "Organisation" },
	PROVENANCE,
};

static const char *const meeting_kinds[] = { "strategic_dialogue", "conference", "forum", "workshop", NULL };

static struct field meeting_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = "Number" },
	{ .name = "kind", .type = FT_ENUM, .flags = F_REQUIRED | F_LIST, .values = meeting_kinds, .label = "Kind" },
	{ .name = "title", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 300, .label = "Title" },
	{ .name = "edition", .type = FT_INT, .flags = F_LIST, .min = 1, .max = 1000, .label = "Edition" },
	{ .name = "start_date", .type = FT_DATE, .flags = F_REQUIRED | F_LIST, .label = "Start date" },
	{ .name = "end_date", .type = FT_DATE, .label = "End date" },
	{ .name = "venue", .type = FT_TEXT, .flags = F_LIST | F_SEARCH, .max = 200, .label = "Venue" },
	{ .name = "country", .type = FT_REF, .ref = "country", .label = "Host country" },
	{ .name = "framework", .type = FT_I18N, .flags = F_SEARCH, .max = 300, .label = "Framework" },
	{ .name = "cochairs", .type = FT_REFS, .ref = "person", .label = "Co-chairs" },
	{ .name = "delegations", .type = FT_REFS, .ref = "organisation", .label = "Delegations" },
	{ .name = "summary", .type = FT_I18N, .flags = F_LONG | F_SEARCH, .max = 20000, .label = "Summary" },
	PROVENANCE,
};

static const char *const outcome_kinds[] = { "result", "decision", "priority", "commitment", NULL };

static struct field outcome_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = "Number" },
	{ .name = "meeting", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "meeting", .label = "Meeting" },
	{ .name = "number", .type = FT_INT, .flags = F_LIST, .min = 1, .max = 1000, .label = "Order" },
	{ .name = "kind", .type = FT_ENUM, .flags = F_REQUIRED | F_LIST, .values = outcome_kinds, .label = "Kind" },
	{ .name = "text", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_LONG | F_SEARCH, .max = 20000, .label = "Text" },
	{ .name = "themes", .type = FT_REFS, .ref = "theme", .label = "Themes" },
	PROVENANCE,
};

static const char *const action_statuses[] = { "planned", "in_progress", "done", "dropped", NULL };

static struct field action_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = "Number" },
	{ .name = "outcome", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "outcome", .label = "Outcome" },
	{ .name = "owner", .type = FT_REF, .flags = F_LIST, .ref = "organisation", .label = "Owner" },
	{ .name = "title", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 1000, .label = "Title" },
	{ .name = "due_date", .type = FT_DATE, .flags = F_LIST, .label = "Due date" },
	{ .name = "status", .type = FT_ENUM, .flags = F_LIST, .values = action_statuses, .def = "'planned'", .label = "Status" },
	{ .name = "percent", .type = FT_INT, .flags = F_LIST, .min = 0, .max = 100, .def = "0", .label = "Percent done" },
	{ .name = "late", .type = FT_BOOL, .flags = F_RO | F_COMPUTED | F_LIST, .label = "Late",
	  .expr = "CASE WHEN t.due_date < ? AND t.status NOT IN ('done','dropped') THEN 1 ELSE 0 END" },
	PROVENANCE,
};

static const struct propagate update_propagate = { .from = "percent", .via = "action", .to = "percent" };

static struct field action_update_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = "Number" },
	{ .name = "action", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "action", .label = "Action" },
	{ .name = "date", .type = FT_DATE, .flags = F_REQUIRED | F_LIST, .label = "Date" },
	{ .name = "note", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_LONG | F_SEARCH, .max = 20000, .label = "Note" },
	{ .name = "percent", .type = FT_INT, .flags = F_LIST, .min = 0, .max = 100, .label = "Percent done",
	  .help = "Also becomes the action's percentage" },
	PROVENANCE,
};

/* A meeting cannot end before it starts. */
static void meeting_check(const struct entity *e, const struct record *r, struct ferrs *errs)
{
	const char *start = rec_text(r, ent_field_index(e, "start_date"));
	const char *end = rec_text(r, ent_field_index(e, "end_date"));
	if (start && end && strcmp(end, start) < 0)
		ferrs_add(errs, "end_date", "must not be before the start date", NULL);
}

static struct entity country = {
	.name = "country", .plural = "countries", .label = "Country", .label_plural = "Countries",
	.fields = country_fields, .nfields = N(country_fields), .display = "name", .since = 1,
};
static struct entity theme = {
	.name = "theme", .plural = "themes", .label = "Theme", .label_plural = "Themes",
	.fields = theme_fields, .nfields = N(theme_fields), .display = "name", .since = 1,
};
static struct entity organisation = {
	.name = "organisation", .plural = "organisations", .label = "Organisation",
	.label_plural = "Organisations", .fields = organisation_fields,
	.nfields = N(organisation_fields), .display = "name", .since = 1,
};
static struct entity person = {
	.name = "person", .plural = "persons", .label = "Person", .label_plural = "Persons",
	.fields = person_fields, .nfields = N(person_fields), .display = "name", .since = 1,
};
static struct entity meeting = {
	.name = "meeting", .plural = "meetings", .label = "Meeting", .label_plural = "Meetings",
	.fields = meeting_fields, .nfields = N(meeting_fields), .display = "title",
	.sort = "-start_date", .since = 1, .check = meeting_check,
};
static struct entity outcome = {
	.name = "outcome", .plural = "outcomes", .label = "Outcome", .label_plural = "Outcomes",
	.fields = outcome_fields, .nfields = N(outcome_fields), .display = "text", .since = 1,
};
static struct entity action = {
	.name = "action", .plural = "actions", .label = "Follow-up action",
	.label_plural = "Follow-up actions", .fields = action_fields,
	.nfields = N(action_fields), .display = "title", .since = 1,
};
static struct entity action_update = {
	.name = "action_update", .plural = "action_updates", .label = "Progress update",
	.label_plural = "Progress updates", .fields = action_update_fields,
	.nfields = N(action_update_fields), .display = "note", .sort = "-date", .since = 1,
	.propagate = &update_propagate,
};

/* In dependency order: an entity comes after those it refers to, so that
 * tables are created, data files loaded and exports read in this order. */
struct entity *const entities[] = {
	&country, &theme, &organisation, &person, &meeting, &outcome, &action, &action_update,
};
const size_t entities_count = sizeof entities / sizeof entities[0];
