/* model.c — the entities of suivi, described once (see entity.h).
 *
 * Labels are English msgids translated through po/NN.po.  Field names are the
 * JSON keys of docs/API.md: change one and scripts break. */
#include <string.h>

#include "entity.h"
#include "hooks.h"
#include "record.h"
#include "store_forum.h"
#include "util.h"
#include "banned.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Common tail of the records that carry provenance (DESIGN: "anything not
 * in the communiqué is marked as sample data"). */
#define PROVENANCE                                                                         \
	{ .name = "sample", .type = FT_BOOL, .def = "0", .label = N_("Sample data"),               \
	  .help = N_("Holds values that the sources do not give") },                              \
	{ .name = "source", .type = FT_TEXT, .max = 500, .label = N_("Source"),                    \
	  .help = N_("Where the facts come from") }

/* The record key of the records that training figures count (sdc.h):
 * published counts are rounded with the sum of these keys as the random
 * draw, so the same records always give the same published figure. */
#define RECORD_KEY { .name = "rkey", .type = FT_INT, .flags = F_RO | F_RKEY, .since = 11 }

static struct field country_fields[] = {
	{ .name = "code", .type = FT_CODE, .flags = F_REQUIRED | F_LIST, .pattern = "A2", .label = N_("Code") },
	{ .name = "iso3", .type = FT_TEXT, .pattern = "A3", .label = N_("ISO alpha-3") },
	{ .name = "m49", .type = FT_TEXT, .pattern = "D3", .label = N_("M49 code") },
	{ .name = "name", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 200, .label = N_("Name") },
	{ .name = "un_african_member", .type = FT_BOOL, .flags = F_LIST, .def = "0", .label = N_("African UN Member State") },
	{ .name = "atlantic_african_state", .type = FT_BOOL, .flags = F_LIST, .def = "0", .label = N_("Atlantic African State") },
	{ .name = "m49_region", .type = FT_TEXT, .flags = F_LIST, .max = 60, .label = N_("Region (UN M49)") },
};

static struct field theme_fields[] = {
	{ .name = "code", .type = FT_CODE, .flags = F_REQUIRED | F_LIST, .pattern = "slug", .label = N_("Code") },
	{ .name = "name", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 200, .label = N_("Name") },
};

static struct field organisation_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "name", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 300, .label = N_("Name") },
	{ .name = "acronym", .type = FT_TEXT, .flags = F_LIST | F_SEARCH, .max = 40, .label = N_("Acronym") },
	{ .name = "type", .type = FT_TEXT, .flags = F_LIST, .pattern = "orgtype", .label = N_("Type (IATI)"),
	  .help = N_("IATI OrganisationType code, e.g. 10 government, 40 multilateral") },
	{ .name = "country", .type = FT_REF, .flags = F_LIST, .ref = "country", .label = N_("Country") },
	PROVENANCE,
	{ .name = "iati_ref", .type = FT_TEXT, .max = 200, .pattern = "iatiid", .label = N_("IATI organisation identifier"),
	  .help = N_("e.g. XM-DAC-41301: how IATI files name it"), .since = 9 },
};

static struct field person_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "name", .type = FT_TEXT, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 200, .label = N_("Name") },
	{ .name = "title", .type = FT_I18N, .flags = F_LIST | F_SEARCH, .max = 300, .label = N_("Function") },
	{ .name = "organisation", .type = FT_REF, .flags = F_LIST, .ref = "organisation", .label = N_("Organisation") },
	/* contacts are personal data: staff only (DESIGN §2) */
	{ .name = "email", .type = FT_TEXT, .flags = F_PRIVATE | F_SEARCH, .max = 200, .pattern = "email",
	  .label = N_("E-mail"), .since = 3 },
	{ .name = "phone", .type = FT_TEXT, .flags = F_PRIVATE, .max = 40, .label = N_("Telephone"), .since = 3 },
	PROVENANCE,
};

static const char *const meeting_kinds[] = { N_("strategic_dialogue"), N_("conference"), N_("forum"), N_("workshop"), NULL };

static struct field meeting_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "kind", .type = FT_ENUM, .flags = F_REQUIRED | F_LIST, .values = meeting_kinds, .label = N_("Kind") },
	{ .name = "title", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 300, .label = N_("Title") },
	{ .name = "edition", .type = FT_INT, .flags = F_LIST, .min = 1, .max = 1000, .label = N_("Edition") },
	{ .name = "start_date", .type = FT_DATE, .flags = F_REQUIRED | F_LIST, .label = N_("Start date") },
	{ .name = "end_date", .type = FT_DATE, .label = N_("End date") },
	{ .name = "venue", .type = FT_TEXT, .flags = F_LIST | F_SEARCH, .max = 200, .label = N_("Venue") },
	{ .name = "country", .type = FT_REF, .ref = "country", .label = N_("Host country") },
	{ .name = "framework", .type = FT_I18N, .flags = F_SEARCH, .max = 300, .label = N_("Framework") },
	{ .name = "cochairs", .type = FT_REFS, .ref = "person", .label = N_("Co-chairs") },
	{ .name = "delegations", .type = FT_REFS, .ref = "organisation", .label = N_("Delegations") },
	{ .name = "summary", .type = FT_I18N, .flags = F_LONG | F_SEARCH, .max = 20000, .label = N_("Summary") },
	PROVENANCE,
	/* the annual cycle: an edition opens with the review of the previous one */
	{ .name = "previous", .type = FT_REF, .ref = "meeting", .label = N_("Previous edition"), .since = 4 },
};

static const char *const outcome_kinds[] = { N_("result"), N_("decision"), N_("priority"), N_("commitment"), NULL };

static struct field outcome_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "meeting", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "meeting", .label = N_("Meeting") },
	{ .name = "number", .type = FT_INT, .flags = F_LIST, .min = 1, .max = 1000, .label = N_("Order") },
	{ .name = "kind", .type = FT_ENUM, .flags = F_REQUIRED | F_LIST, .values = outcome_kinds, .label = N_("Kind") },
	{ .name = "text", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_LONG | F_SEARCH, .max = 20000, .label = N_("Text") },
	{ .name = "themes", .type = FT_REFS, .ref = "theme", .label = N_("Themes") },
	PROVENANCE,
};

static const char *const action_statuses[] = { N_("planned"), N_("in_progress"), N_("done"), N_("dropped"), NULL };

static struct field action_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "outcome", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "outcome", .label = N_("Outcome") },
	{ .name = "owner", .type = FT_REF, .flags = F_LIST, .ref = "organisation", .label = N_("Owner") },
	{ .name = "title", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 1000, .label = N_("Title") },
	{ .name = "due_date", .type = FT_DATE, .flags = F_LIST, .label = N_("Due date") },
	{ .name = "status", .type = FT_ENUM, .flags = F_LIST, .values = action_statuses, .def = "'planned'", .label = N_("Status") },
	{ .name = "percent", .type = FT_INT, .flags = F_LIST, .min = 0, .max = 100, .def = "0", .label = N_("Percent done") },
	{ .name = "late", .type = FT_BOOL, .flags = F_RO | F_COMPUTED | F_LIST, .label = N_("Late"),
	  .expr = "CASE WHEN t.due_date < ? AND t.status NOT IN ('done','dropped') THEN 1 ELSE 0 END" },
	PROVENANCE,
	{ .name = "courses", .type = FT_REFS, .ref = "course", .label = N_("Courses"), .since = 7 },
};

static const struct propagate update_propagate = { .from = "percent", .via = "action", .to = "percent" };

static struct field action_update_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "action", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "action", .label = N_("Action") },
	{ .name = "date", .type = FT_DATE, .flags = F_REQUIRED | F_LIST, .label = N_("Date") },
	{ .name = "note", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_LONG | F_SEARCH, .max = 20000, .label = N_("Note") },
	{ .name = "percent", .type = FT_INT, .flags = F_LIST, .min = 0, .max = 100, .label = N_("Percent done"),
	  .help = N_("Also becomes the action's percentage") },
	PROVENANCE,
};

/* ---- training (DESIGN M4) ---------------------------------------------------------- */

static const char *const course_levels[] = { N_("basic"), N_("intermediate"), N_("advanced"), NULL };

static struct field course_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "title", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 300, .label = N_("Title") },
	{ .name = "theme", .type = FT_REF, .flags = F_LIST, .ref = "theme", .label = N_("Theme") },
	{ .name = "level", .type = FT_ENUM, .flags = F_LIST, .values = course_levels, .label = N_("Level") },
	{ .name = "days", .type = FT_INT, .flags = F_LIST, .min = 1, .max = 90, .label = N_("Days") },
	{ .name = "languages", .type = FT_TEXT, .flags = F_LIST, .max = 40, .label = N_("Languages"),
	  .help = N_("Languages of teaching, e.g. fr, en") },
	{ .name = "audience", .type = FT_I18N, .flags = F_LONG | F_SEARCH, .max = 2000, .label = N_("Audience") },
	PROVENANCE,
};

static const char *const session_modes[] = { N_("on_site"), N_("online"), N_("mobile"), NULL };
static const char *const session_statuses[] = { N_("planned"), N_("open"), N_("running"), N_("completed"),
						 N_("cancelled"), NULL };

static struct field session_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "course", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "course", .label = N_("Course") },
	{ .name = "start_date", .type = FT_DATE, .flags = F_REQUIRED | F_LIST, .label = N_("Start date") },
	{ .name = "end_date", .type = FT_DATE, .flags = F_LIST, .label = N_("End date") },
	{ .name = "venue", .type = FT_TEXT, .flags = F_LIST | F_SEARCH, .max = 200, .label = N_("Venue") },
	{ .name = "country", .type = FT_REF, .ref = "country", .label = N_("Host country") },
	{ .name = "mode", .type = FT_ENUM, .flags = F_LIST, .values = session_modes, .def = "'on_site'", .label = N_("Mode") },
	{ .name = "trainers", .type = FT_REFS, .ref = "person", .label = N_("Trainers") },
	{ .name = "capacity", .type = FT_INT, .min = 1, .max = 10000, .label = N_("Capacity") },
	{ .name = "status", .type = FT_ENUM, .flags = F_LIST, .values = session_statuses, .def = "'planned'",
	  .label = N_("Status") },
	PROVENANCE,
	{ .name = "programme", .type = FT_REF, .ref = "programme", .label = N_("Programme"),
	  .help = N_("The technical-assistance programme that pays for it"), .since = 9 },
};

static const char *const agencies[] = { N_("police"), N_("gendarmerie"), N_("coast_guard"), N_("customs"),
					N_("prison"), N_("judiciary"), N_("military"), N_("other"), NULL };
static const char *const sexes[] = { N_("female"), N_("male"), NULL };
static const char *const age_bands[] = { N_("under_30"), N_("30_39"), N_("40_49"), N_("50_plus"), NULL };

/* Security officials: their names, contacts and identity numbers are
 * personal data that can put them at risk (DESIGN §2) — staff only. */
static struct field participant_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "family_name", .type = FT_TEXT, .flags = F_REQUIRED | F_PRIVATE | F_LIST | F_SEARCH, .max = 200,
	  .label = N_("Family name") },
	{ .name = "given_names", .type = FT_TEXT, .flags = F_PRIVATE | F_LIST | F_SEARCH, .max = 200, .label = N_("Given names") },
	{ .name = "email", .type = FT_TEXT, .flags = F_PRIVATE, .max = 200, .pattern = "email", .label = N_("E-mail") },
	{ .name = "phone", .type = FT_TEXT, .flags = F_PRIVATE, .max = 40, .label = N_("Telephone") },
	{ .name = "document_number", .type = FT_TEXT, .flags = F_PRIVATE, .max = 60, .label = N_("Identity document number") },
	{ .name = "birth_date", .type = FT_DATE, .flags = F_PRIVATE, .label = N_("Date of birth") },
	{ .name = "country", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "country", .label = N_("Country") },
	{ .name = "agency", .type = FT_ENUM, .flags = F_LIST, .values = agencies, .label = N_("Agency") },
	{ .name = "function", .type = FT_TEXT, .max = 200, .label = N_("Function") },
	{ .name = "rank", .type = FT_TEXT, .max = 100, .label = N_("Rank") },
	{ .name = "sex", .type = FT_ENUM, .flags = F_LIST, .values = sexes, .label = N_("Sex") },
	{ .name = "age_band", .type = FT_ENUM, .flags = F_LIST, .values = age_bands, .label = N_("Age band") },
	PROVENANCE,
	RECORD_KEY,
};

static struct field enrolment_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "participant", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "participant", .label = N_("Participant") },
	{ .name = "session", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "training_session", .label = N_("Session") },
	{ .name = "days_attended", .type = FT_INT, .flags = F_LIST, .min = 0, .max = 90, .label = N_("Days attended") },
	{ .name = "pre_score", .type = FT_INT, .flags = F_LIST, .min = 0, .max = 100, .label = N_("Pre-test score") },
	{ .name = "post_score", .type = FT_INT, .flags = F_LIST, .min = 0, .max = 100, .label = N_("Post-test score") },
	{ .name = "satisfaction", .type = FT_INT, .flags = F_LIST, .min = 1, .max = 5, .label = N_("Satisfaction"),
	  .help = N_("1 very poor … 5 excellent") },
	{ .name = "completed", .type = FT_BOOL, .flags = F_LIST, .def = "0", .label = N_("Completed") },
	{ .name = "certificate", .type = FT_TEXT, .flags = F_RO | F_LIST | F_UNIQUE, .max = 40, .label = N_("Certificate number"),
	  .help = N_("Given when the enrolment is completed") },
	PROVENANCE,
	RECORD_KEY,
};

static const char *const need_sources[] = { N_("self_assessment"), N_("expert_mission"), N_("un_assessment"),
					      N_("other"), NULL };
static const char *const need_statuses[] = { N_("open"), N_("being_addressed"), N_("met"), NULL };

/* A dated assessment of one country's need on one theme (DESIGN M3).  The
 * REFS fields say what addresses it; later collections (courses,
 * programmes) add theirs as further REFS fields. */
static struct field need_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "country", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "country", .label = N_("Country") },
	{ .name = "theme", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "theme", .label = N_("Theme") },
	{ .name = "assessed_on", .type = FT_DATE, .flags = F_REQUIRED | F_LIST, .label = N_("Assessed on") },
	{ .name = "severity", .type = FT_INT, .flags = F_REQUIRED | F_LIST, .min = 1, .max = 5, .label = N_("Severity"),
	  .help = N_("1 minor … 5 critical") },
	{ .name = "source", .type = FT_ENUM, .flags = F_REQUIRED | F_LIST, .values = need_sources,
	  .label = N_("Assessed by") },
	{ .name = "status", .type = FT_ENUM, .flags = F_LIST, .values = need_statuses, .def = "'open'",
	  .label = N_("Status") },
	{ .name = "description", .type = FT_I18N, .flags = F_LONG | F_SEARCH, .max = 20000, .label = N_("Description") },
	{ .name = "actions", .type = FT_REFS, .ref = "action", .label = N_("Addressed by follow-up actions") },
	{ .name = "courses", .type = FT_REFS, .ref = "course", .label = N_("Addressed by courses"), .since = 7 },
	{ .name = "sample", .type = FT_BOOL, .flags = F_LIST, .def = "0", .label = N_("Sample data"),
	  .help = N_("Holds values that the sources do not give") },
	{ .name = "reference", .type = FT_TEXT, .max = 500, .label = N_("Reference"),
	  .help = N_("The report or mission the assessment comes from") },
};

/* A communiqué, minutes or report attached to exactly one record: its
 * parent (F_PARENT: a meeting, outcome, follow-up action or programme),
 * whose readers alone see it.  The file itself is kept on disk by its
 * SHA-256 (docstore.c); the read-only fields describe it and are set by the
 * upload (docs.c), never by a writer. */
static struct field document_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "meeting", .type = FT_REF, .flags = F_LIST | F_PARENT, .ref = "meeting", .label = N_("Meeting") },
	{ .name = "outcome", .type = FT_REF, .flags = F_LIST | F_PARENT, .ref = "outcome", .label = N_("Outcome") },
	{ .name = "action", .type = FT_REF, .flags = F_LIST | F_PARENT, .ref = "action", .label = N_("Follow-up action") },
	{ .name = "title", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 300, .label = N_("Title") },
	{ .name = "filename", .type = FT_TEXT, .flags = F_RO | F_LIST | F_SEARCH, .max = 500, .label = N_("File name") },
	{ .name = "media_type", .type = FT_TEXT, .flags = F_RO | F_LIST, .max = 200, .label = N_("File type") },
	{ .name = "size", .type = FT_INT, .flags = F_RO | F_LIST, .min = 0, .max = 1LL << 40, .label = N_("Size (bytes)") },
	{ .name = "sha256", .type = FT_TEXT, .flags = F_RO, .max = 64, .label = N_("SHA-256") },
	PROVENANCE,
	{ .name = "programme", .type = FT_REF, .flags = F_LIST | F_PARENT, .ref = "programme", .label = N_("Programme"),
	  .since = 9 },
};

/* ---- technical assistance and the forum (DESIGN M5) ----------------------------- */

/* IATI ActivityStatus 1–6, in order (iati.c maps them to codes). */
static const char *const programme_statuses[] = { N_("pipeline"), N_("implementation"), N_("finalisation"),
						  N_("closed"), N_("cancelled"), N_("suspended"), NULL };

/* Amounts are whole minor units of their currency (cents), never floats. */
#define AMOUNT_MAX 1000000000000000LL

static struct field programme_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "iati_identifier", .type = FT_TEXT, .flags = F_LIST | F_SEARCH, .max = 200, .pattern = "iatiid",
	  .label = N_("IATI identifier"), .help = N_("The reporting organisation's reference, a hyphen, then the activity's own") },
	{ .name = "title", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 500, .label = N_("Title") },
	{ .name = "description", .type = FT_I18N, .flags = F_LONG | F_SEARCH, .max = 20000, .label = N_("Description") },
	{ .name = "implementer", .type = FT_REF, .flags = F_LIST, .ref = "organisation", .label = N_("Implementer") },
	{ .name = "donors", .type = FT_REFS, .ref = "organisation", .label = N_("Donors") },
	{ .name = "countries", .type = FT_REFS, .ref = "country", .label = N_("Beneficiary countries") },
	{ .name = "themes", .type = FT_REFS, .ref = "theme", .label = N_("Themes") },
	{ .name = "needs", .type = FT_REFS, .ref = "need", .label = N_("Needs addressed") },
	{ .name = "courses", .type = FT_REFS, .ref = "course", .label = N_("Courses delivered") },
	{ .name = "start_date", .type = FT_DATE, .flags = F_LIST, .label = N_("Start date") },
	{ .name = "end_date", .type = FT_DATE, .label = N_("End date") },
	{ .name = "status", .type = FT_ENUM, .flags = F_LIST, .values = programme_statuses, .def = "'implementation'",
	  .label = N_("Status") },
	{ .name = "budget", .type = FT_INT, .min = 0, .max = AMOUNT_MAX, .label = N_("Budget (minor units)"),
	  .help = N_("In cents of the currency: 1,000.00 is 100000") },
	{ .name = "currency", .type = FT_TEXT, .flags = F_LIST, .pattern = "A3", .def = "'USD'", .label = N_("Currency"),
	  .help = N_("ISO 4217 code, e.g. USD, EUR, MAD") },
	PROVENANCE,
	/* Publishing to IATI is a deliberate act of staff (who alone write
	 * programmes): the public file (/iati.xml) carries these only. */
	{ .name = "published", .type = FT_BOOL, .flags = F_LIST, .def = "0", .label = N_("Published to IATI"),
	  .help = N_("Its description, transactions and results go into the public IATI file (/iati.xml) for anyone to read"),
	  .since = 10 },
};

/* The IATI transaction types the programme office records (codes 1–4). */
static const char *const transaction_kinds[] = { N_("incoming_funds"), N_("commitment"), N_("disbursement"),
						 N_("expenditure"), NULL };

static struct field transaction_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "programme", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "programme", .label = N_("Programme") },
	{ .name = "kind", .type = FT_ENUM, .flags = F_REQUIRED | F_LIST, .values = transaction_kinds, .label = N_("Kind") },
	{ .name = "date", .type = FT_DATE, .flags = F_REQUIRED | F_LIST, .label = N_("Date") },
	{ .name = "amount", .type = FT_INT, .flags = F_REQUIRED | F_LIST, .min = -AMOUNT_MAX, .max = AMOUNT_MAX,
	  .label = N_("Amount (minor units)"), .help = N_("In cents of the currency: 1,000.00 is 100000") },
	{ .name = "currency", .type = FT_TEXT, .flags = F_REQUIRED | F_LIST, .pattern = "A3", .label = N_("Currency") },
	{ .name = "provider", .type = FT_REF, .flags = F_LIST, .ref = "organisation", .label = N_("From") },
	{ .name = "receiver", .type = FT_REF, .flags = F_LIST, .ref = "organisation", .label = N_("To") },
	{ .name = "description", .type = FT_I18N, .flags = F_SEARCH, .max = 2000, .label = N_("Description") },
	{ .name = "reference", .type = FT_TEXT, .max = 200, .label = N_("Reference"),
	  .help = N_("The transaction's own reference, as published") },
	PROVENANCE,
};

static const char *const contribution_kinds[] = { N_("premises"), N_("trainers"), N_("logistics"), N_("equipment"),
						  N_("other"), NULL };

/* Support in kind (the host state's premises, trainers, logistics): an
 * estimated value, kept apart from cash. */
static struct field contribution_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "programme", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "programme", .label = N_("Programme") },
	{ .name = "provider", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "organisation", .label = N_("Given by") },
	{ .name = "kind", .type = FT_ENUM, .flags = F_REQUIRED | F_LIST, .values = contribution_kinds, .label = N_("Kind") },
	{ .name = "description", .type = FT_I18N, .flags = F_LIST | F_SEARCH, .max = 2000, .label = N_("Description") },
	{ .name = "start_date", .type = FT_DATE, .flags = F_LIST, .label = N_("From") },
	{ .name = "end_date", .type = FT_DATE, .label = N_("Until") },
	{ .name = "value", .type = FT_INT, .flags = F_LIST, .min = 0, .max = AMOUNT_MAX,
	  .label = N_("Estimated value (minor units)"), .help = N_("In cents of the currency: 1,000.00 is 100000") },
	{ .name = "currency", .type = FT_TEXT, .flags = F_LIST, .pattern = "A3", .def = "'USD'", .label = N_("Currency") },
	PROVENANCE,
};

/* IATI ResultType 1–3. */
static const char *const result_levels[] = { N_("output"), N_("outcome"), N_("impact"), NULL };

static struct field result_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "programme", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "programme", .label = N_("Programme") },
	{ .name = "level", .type = FT_ENUM, .flags = F_REQUIRED | F_LIST, .values = result_levels, .label = N_("Level") },
	{ .name = "title", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 1000, .label = N_("Title") },
	{ .name = "description", .type = FT_I18N, .flags = F_LONG, .max = 20000, .label = N_("Description") },
	PROVENANCE,
};

/* IATI IndicatorMeasure 1 (unit) and 2 (percentage). */
static const char *const indicator_measures[] = { N_("unit"), N_("percentage"), NULL };
/* Where an indicator's actual values come from: typed by hand, or computed
 * from the training records of the programme's sessions (results.c). */
static const char *const indicator_sources[] = { N_("manual"), N_("people_trained"), N_("completion_rate"),
						 N_("knowledge_gain"), NULL };

static struct field indicator_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "result", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "result", .label = N_("Result") },
	{ .name = "title", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 1000, .label = N_("Title") },
	{ .name = "measure", .type = FT_ENUM, .flags = F_LIST, .values = indicator_measures, .def = "'unit'",
	  .label = N_("Measure") },
	{ .name = "ascending", .type = FT_BOOL, .flags = F_LIST, .def = "1", .label = N_("Higher is better") },
	{ .name = "baseline_year", .type = FT_INT, .min = 1900, .max = 2200, .label = N_("Baseline year") },
	{ .name = "baseline", .type = FT_INT, .min = -AMOUNT_MAX, .max = AMOUNT_MAX, .label = N_("Baseline value") },
	{ .name = "computed", .type = FT_ENUM, .flags = F_LIST, .values = indicator_sources, .def = "'manual'",
	  .label = N_("Actual values"), .help = N_("Typed in each period, or computed from the programme's training sessions") },
	PROVENANCE,
};

static const char *const period_sexes[] = { N_("female"), N_("male"), NULL };

/* A period's target and actual: the total (no sex, no country), or one
 * cell of its disaggregation by sex or by country. */
static struct field period_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "indicator", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "indicator", .label = N_("Indicator") },
	{ .name = "start_date", .type = FT_DATE, .flags = F_REQUIRED | F_LIST, .label = N_("Period start") },
	{ .name = "end_date", .type = FT_DATE, .flags = F_REQUIRED | F_LIST, .label = N_("Period end") },
	{ .name = "sex", .type = FT_ENUM, .flags = F_LIST, .values = period_sexes, .label = N_("Sex"),
	  .help = N_("Empty for the total") },
	{ .name = "country", .type = FT_REF, .flags = F_LIST, .ref = "country", .label = N_("Country"),
	  .help = N_("Empty for the total") },
	{ .name = "target", .type = FT_INT, .flags = F_LIST, .min = -AMOUNT_MAX, .max = AMOUNT_MAX, .label = N_("Target") },
	{ .name = "actual", .type = FT_INT, .flags = F_LIST, .min = -AMOUNT_MAX, .max = AMOUNT_MAX, .label = N_("Actual"),
	  .help = N_("For a computed indicator, computed from training records") },
	{ .name = "comment", .type = FT_I18N, .flags = F_LONG, .max = 4000, .label = N_("Comment") },
	PROVENANCE,
};

static const char *const raters[] = { N_("beneficiary"), N_("donor"), NULL };

#define CRITERION(n, lab)                                                                         \
	{ .name = n, .type = FT_INT, .flags = F_REQUIRED | F_LIST, .min = 1, .max = 5, .label = lab,     \
	  .help = N_("1 very poor … 5 excellent") },                                                  \
	{ .name = n "_comment", .type = FT_TEXT, .flags = F_LONG, .max = 4000, .label = N_("Comment") }

/* One rater's judgement of one programme at one forum edition, on the six
 * OECD-DAC criteria: a beneficiary state (country) or a donor
 * (organisation).  Focal points write their country's, donors their
 * organisation's (scope). */
static struct field evaluation_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "meeting", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "meeting", .label = N_("Forum") },
	{ .name = "programme", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "programme", .label = N_("Programme") },
	{ .name = "rater", .type = FT_ENUM, .flags = F_REQUIRED | F_LIST, .values = raters, .label = N_("Rated by") },
	{ .name = "country", .type = FT_REF, .flags = F_LIST, .ref = "country", .label = N_("Beneficiary state") },
	{ .name = "organisation", .type = FT_REF, .flags = F_LIST, .ref = "organisation", .label = N_("Donor") },
	CRITERION("relevance", N_("Relevance")),
	CRITERION("coherence", N_("Coherence")),
	CRITERION("effectiveness", N_("Effectiveness")),
	CRITERION("efficiency", N_("Efficiency")),
	CRITERION("impact", N_("Impact")),
	CRITERION("sustainability", N_("Sustainability")),
	PROVENANCE,
};

static const char *const registration_roles[] = { N_("delegate"), N_("speaker"), N_("donor"), N_("beneficiary"),
						  N_("observer"), NULL };

/* Who registered for a conference, forum or workshop, and came. */
static struct field registration_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "meeting", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "meeting", .label = N_("Event") },
	{ .name = "person", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "person", .label = N_("Person") },
	{ .name = "organisation", .type = FT_REF, .flags = F_LIST, .ref = "organisation", .label = N_("Organisation") },
	{ .name = "country", .type = FT_REF, .flags = F_LIST, .ref = "country", .label = N_("Country") },
	{ .name = "role", .type = FT_ENUM, .flags = F_REQUIRED | F_LIST, .values = registration_roles, .def = "'delegate'",
	  .label = N_("Role") },
	{ .name = "attended", .type = FT_BOOL, .flags = F_LIST, .def = "0", .label = N_("Attended") },
	PROVENANCE,
};

static const char *const audit_actions[] = { N_("create"), N_("update"), N_("delete"), N_("merge"), NULL };

/* The audit trail: written by the store in the same transaction as each
 * write, never by a person (the entity is read-only). */
static struct field audit_fields[] = {
	{ .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	{ .name = "at", .type = FT_TEXT, .flags = F_RO | F_LIST, .label = N_("When (UTC)") },
	{ .name = "actor", .type = FT_TEXT, .flags = F_RO | F_LIST | F_SEARCH, .label = N_("Who") },
	{ .name = "action", .type = FT_ENUM, .flags = F_RO | F_LIST, .values = audit_actions, .label = N_("Change") },
	{ .name = "entity", .type = FT_TEXT, .flags = F_RO | F_LIST, .label = N_("Collection") },
	{ .name = "record", .type = FT_TEXT, .flags = F_RO | F_LIST, .label = N_("Record") },
	{ .name = "before", .type = FT_TEXT, .flags = F_RO | F_LONG, .label = N_("Before") },
	{ .name = "after", .type = FT_TEXT, .flags = F_RO | F_LONG, .label = N_("After") },
};

/* An assessment describes what was seen, so it cannot be dated later than today. */
static void need_check(const struct entity *e, const struct record *r, struct ferrs *errs)
{
	const char *on = rec_text(r, ent_field_index(e, "assessed_on"));
	char today[11];
	util_today(today);
	if (on && strcmp(on, today) > 0)
		ferrs_add(errs, "assessed_on", N_("must not be in the future"), NULL);
}

/* A session cannot end before it starts. */
static void session_check(const struct entity *e, const struct record *r, struct ferrs *errs)
{
	const char *start = rec_text(r, ent_field_index(e, "start_date"));
	const char *end = rec_text(r, ent_field_index(e, "end_date"));
	if (start && end && strcmp(end, start) < 0)
		ferrs_add(errs, "end_date", N_("must not be before the start date"), NULL);
}

/* Completed means attended: a completed enrolment has attended days. */
static void enrolment_check(const struct entity *e, const struct record *r, struct ferrs *errs)
{
	int completed = ent_field_index(e, "completed"), days = ent_field_index(e, "days_attended");
	if (rec_int_or(r, completed, 0) && !rec_int_or(r, days, 1))
		ferrs_add(errs, "days_attended", N_("a completed enrolment has attended days"), NULL);
}

/* A meeting cannot end before it starts. */
static void meeting_check(const struct entity *e, const struct record *r, struct ferrs *errs)
{
	const char *start = rec_text(r, ent_field_index(e, "start_date"));
	const char *end = rec_text(r, ent_field_index(e, "end_date"));
	if (start && end && strcmp(end, start) < 0)
		ferrs_add(errs, "end_date", N_("must not be before the start date"), NULL);
}

/* A document belongs to one record: exactly one of its parents is given. */
static void document_check(const struct entity *e, const struct record *r, struct ferrs *errs)
{
	const char *first = NULL;
	int given = 0;
	for (int i = 0; i < e->nfields; i++) {
		if (!(e->fields[i].flags & F_PARENT))
			continue;
		if (!first)
			first = e->fields[i].name;
		if (rec_text(r, i) && given++)
			ferrs_add(errs, e->fields[i].name,
				  N_("a document belongs to one meeting, outcome, action or programme only"), NULL);
	}
	if (!given)
		ferrs_add(errs, first, N_("give the meeting, outcome, action or programme the document belongs to"), NULL);
}

/* Something that ends cannot end before it starts. */
static void dates_check(const struct entity *e, const struct record *r, struct ferrs *errs)
{
	const char *start = rec_text(r, ent_field_index(e, "start_date"));
	const char *end = rec_text(r, ent_field_index(e, "end_date"));
	if (start && end && strcmp(end, start) < 0)
		ferrs_add(errs, "end_date", N_("must not be before the start date"), NULL);
}

/* A period row is the total or one cell of one disaggregation. */
static void period_check(const struct entity *e, const struct record *r, struct ferrs *errs)
{
	dates_check(e, r, errs);
	if (rec_text(r, ent_field_index(e, "sex")) && rec_text(r, ent_field_index(e, "country")))
		ferrs_add(errs, "country", N_("give a sex or a country, not both"), NULL);
}

/* A beneficiary state rates as a country, a donor as an organisation. */
static void evaluation_check(const struct entity *e, const struct record *r, struct ferrs *errs)
{
	const char *rater = rec_text(r, ent_field_index(e, "rater"));
	bool country = rec_text(r, ent_field_index(e, "country")) != NULL;
	bool organisation = rec_text(r, ent_field_index(e, "organisation")) != NULL;
	if (!rater)
		return;
	if (strcmp(rater, "beneficiary") == 0) {
		if (!country)
			ferrs_add(errs, "country", N_("a beneficiary's rating names its country"), NULL);
		if (organisation)
			ferrs_add(errs, "organisation", N_("a beneficiary rates as a country, not an organisation"), NULL);
	} else {
		if (!organisation)
			ferrs_add(errs, "organisation", N_("a donor's rating names its organisation"), NULL);
		if (country)
			ferrs_add(errs, "country", N_("a donor rates as an organisation, not a country"), NULL);
	}
}

static struct entity country = {
	.name = "country", .plural = "countries", .label = N_("Country"), .label_plural = N_("Countries"),
	.fields = country_fields, .nfields = N(country_fields), .read = R_USERS, .write = R_STAFF, .since = 1,
	.label_rule = "name",
};
static struct entity theme = {
	.name = "theme", .plural = "themes", .label = N_("Theme"), .label_plural = N_("Themes"),
	.fields = theme_fields, .nfields = N(theme_fields), .read = R_USERS, .write = R_STAFF, .since = 1,
	.label_rule = "name",
};
static struct entity organisation = {
	.name = "organisation", .plural = "organisations", .label = N_("Organisation"),
	.label_plural = N_("Organisations"), .fields = organisation_fields,
	.nfields = N(organisation_fields), .read = R_USERS, .write = R_STAFF, .since = 1,
	.label_rule = "name (acronym)",
	.unique = "iati_ref",
};
static struct entity person = {
	.name = "person", .plural = "persons", .label = N_("Person"), .label_plural = N_("Persons"),
	.fields = person_fields, .nfields = N(person_fields), .read = R_USERS, .write = R_STAFF, .since = 1,
	.label_rule = "name (organisation.acronym)",
};
static struct entity meeting = {
	.name = "meeting", .plural = "meetings", .label = N_("Meeting"), .label_plural = N_("Meetings"),
	.fields = meeting_fields, .nfields = N(meeting_fields), .read = R_USERS, .write = R_STAFF,
	.label_rule = "title — start_date",
	.sort = "-start_date", .since = 1, .check = meeting_check,
};
static struct entity outcome = {
	.name = "outcome", .plural = "outcomes", .label = N_("Outcome"), .label_plural = N_("Outcomes"),
	.fields = outcome_fields, .nfields = N(outcome_fields), .read = R_USERS, .write = R_STAFF, .since = 1,
	.label_rule = "number. text",
};
static struct entity action = {
	.name = "action", .plural = "actions", .label = N_("Follow-up action"),
	.label_plural = N_("Follow-up actions"), .fields = action_fields,
	.nfields = N(action_fields), .read = R_USERS, .write = R_STAFF, .since = 1,
	.label_rule = "title",
};
static struct entity action_update = {
	.name = "action_update", .plural = "action_updates", .label = N_("Progress update"),
	.label_plural = N_("Progress updates"), .fields = action_update_fields,
	.nfields = N(action_update_fields), .read = R_USERS, .write = R_STAFF, .sort = "-date", .since = 1,
	.label_rule = "action — date",
	.propagate = &update_propagate,
	.hooks = &hooks_propagate,
};

/* Training: the catalogue and the sessions are for every signed-in role;
 * participants are scoped to a focal point's country, their personal data
 * staff only; enrolments (who attended what, with scores) staff only —
 * others see the dashboard's aggregates. */
static struct entity course = {
	.name = "course", .plural = "courses", .label = N_("Course"), .label_plural = N_("Courses"),
	.fields = course_fields, .nfields = N(course_fields), .read = R_USERS, .write = R_STAFF, .since = 7,
	.label_rule = "title",
	.hooks = &hooks_course,
};
/* (its table is training_session: "session" is the sign-in sessions' table) */
static struct entity session = {
	.name = "training_session", .plural = "sessions", .label = N_("Training session"), .label_plural = N_("Training sessions"),
	.fields = session_fields, .nfields = N(session_fields), .read = R_USERS, .write = R_STAFF,
	.label_rule = "course — venue, start_date~end_date",
	.sort = "-start_date", .since = 7, .check = session_check,
	.hooks = &hooks_session,
};
static struct entity participant = {
	.name = "participant", .plural = "participants", .label = N_("Participant"), .label_plural = N_("Participants"),
	.fields = participant_fields, .nfields = N(participant_fields), .read = R_STAFF | ROLE_BIT(ROLE_FOCAL),
	.write = R_STAFF, .scope = "country", .since = 7,
	.label_rule = "family_name, given_names (country, agency)",
	.hooks = &hooks_participant, .derived = derived_participant,
};
static struct entity enrolment = {
	.name = "enrolment", .plural = "enrolments", .label = N_("Enrolment"), .label_plural = N_("Enrolments"),
	.fields = enrolment_fields, .nfields = N(enrolment_fields), .read = R_STAFF, .write = R_STAFF,
	.label_rule = "participant — session",
	.since = 7, .check = enrolment_check, .unique = "participant,session",
	.unique_msg = N_("the participant is already enrolled in session %s"), .hooks = &hooks_enrolment,
};

/* Focal points read and write their own country's needs (scope); donors
 * see aggregates only (DESIGN §2). */
static struct entity need = {
	.name = "need", .plural = "needs", .label = N_("Needs assessment"), .label_plural = N_("Needs assessments"),
	.fields = need_fields, .nfields = N(need_fields), .read = R_STAFF | ROLE_BIT(ROLE_FOCAL),
	.write = R_STAFF | ROLE_BIT(ROLE_FOCAL), .scope = "country", .sort = "-assessed_on",
	.label_rule = "country, theme — assessed_on",
	.since = 4, .check = need_check,
};

static struct entity document = {
	.name = "document", .plural = "documents", .label = N_("Document"), .label_plural = N_("Documents"),
	.fields = document_fields, .nfields = N(document_fields), .read = R_USERS, .write = R_STAFF,
	.sort = "-id", .since = 5, .check = document_check, .upload = true,
	.label_rule = "title",
};

/* Technical assistance (DESIGN §2): every signed-in role reads the
 * programmes' data, except that a donor reads only the programmes it funds
 * (donor_scope: the path from a row to the organisations that fund it). */
static struct entity programme = {
	.name = "programme", .plural = "programmes", .label = N_("Programme"), .label_plural = N_("Programmes"),
	.fields = programme_fields, .nfields = N(programme_fields), .read = R_USERS, .write = R_STAFF,
	.sort = "-start_date", .since = 9, .check = dates_check, .unique = "iati_identifier",
	.label_rule = "title",
	.donor_scope = "donors",
};
/* (its table is funding_transaction: TRANSACTION is an SQL keyword) */
static struct entity transaction = {
	.name = "funding_transaction", .plural = "transactions", .label = N_("Transaction"),
	.label_plural = N_("Transactions"), .fields = transaction_fields, .nfields = N(transaction_fields),
	.read = R_USERS, .write = R_STAFF, .sort = "-date", .since = 9,
	.label_rule = "programme — kind, date, amount$currency",
	.donor_scope = "programme.donors",
};
static struct entity contribution = {
	.name = "contribution", .plural = "contributions", .label = N_("In-kind support"),
	.label_plural = N_("In-kind support"), .fields = contribution_fields, .nfields = N(contribution_fields),
	.read = R_USERS, .write = R_STAFF, .sort = "-start_date", .since = 9,
	.label_rule = "programme — kind, provider, start_date",
	.check = dates_check, .donor_scope = "programme.donors",
};
static struct entity result = {
	.name = "result", .plural = "results", .label = N_("Result"), .label_plural = N_("Results"),
	.fields = result_fields, .nfields = N(result_fields), .read = R_USERS, .write = R_STAFF,
	.label_rule = "title — programme",
	.since = 9, .donor_scope = "programme.donors",
};
static struct entity indicator = {
	.name = "indicator", .plural = "indicators", .label = N_("Indicator"), .label_plural = N_("Indicators"),
	.fields = indicator_fields, .nfields = N(indicator_fields), .read = R_USERS, .write = R_STAFF,
	.label_rule = "title — result",
	.since = 9, .donor_scope = "result.programme.donors",
};
/* (its table is indicator_period) */
static struct entity period = {
	.name = "indicator_period", .plural = "periods", .label = N_("Indicator period"),
	.label_plural = N_("Indicator periods"), .fields = period_fields, .nfields = N(period_fields),
	.read = R_USERS, .write = R_STAFF, .sort = "start_date", .since = 9,
	.label_rule = "indicator — start_date~end_date, sex, country",
	.check = period_check, .donor_scope = "indicator.result.programme.donors",
};
/* Beneficiary states and donors write their own ratings, and read them. */
static struct entity evaluation = {
	.name = "evaluation", .plural = "evaluations", .label = N_("Forum evaluation"),
	.label_plural = N_("Forum evaluations"), .fields = evaluation_fields, .nfields = N(evaluation_fields),
	.read = R_USERS, .write = R_USERS, .since = 9, .check = evaluation_check,
	.label_rule = "programme — rater, country, organisation — meeting",
	.check_store = store_forum_sheet_check,
	.scope = "country", .donor_scope = "organisation", .unique = "meeting,programme,country,organisation",
};
static struct entity registration = {
	.name = "registration", .plural = "registrations", .label = N_("Registration"),
	.label_plural = N_("Registrations"), .fields = registration_fields, .nfields = N(registration_fields),
	.read = R_STAFF | ROLE_BIT(ROLE_FOCAL), .write = R_STAFF, .since = 9,
	.label_rule = "person — meeting",
	.scope = "country", .unique = "meeting,person",
};

static struct entity audit = {
	.name = "audit", .plural = "audit", .label = N_("Audit entry"), .label_plural = N_("Audit trail"),
	.fields = audit_fields, .nfields = N(audit_fields), .read = R_STAFF, .write = 0, .since = 2,
	.label_rule = "entity record — action, at",
	.readonly = true,
};

/* In dependency order: an entity comes after those its references (FT_REF)
 * name, so that tables are created, data files loaded, copies made and
 * exports read in this order.  Sets of references (FT_REFS, link tables) may
 * name a later entity (programmes → needs): copies write link tables last. */
struct entity *const entities[] = {
	&country, &theme, &organisation, &person, &programme, &transaction, &contribution, &result,
	&indicator, &period, &course, &session, &participant, &enrolment, &meeting, &outcome, &action,
	&action_update, &need, &evaluation, &registration, &document, &audit,
};
const size_t entities_count = sizeof entities / sizeof entities[0];
