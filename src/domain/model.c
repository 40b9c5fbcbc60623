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
 * in the communiqué is marked as sample data"): the fields P_SAMPLE and
 * P_SOURCE of the entity whose field identifiers start with P. */
#define PROVENANCE(P)                                                                      \
	[P##_SAMPLE] = { .name = "sample", .type = FT_BOOL, .def = "0", .label = N_("Sample data"), \
			 .help = N_("Holds values that the sources do not give") },                 \
	[P##_SOURCE] = { .name = "source", .type = FT_TEXT, .max = 500, .label = N_("Source"),     \
			 .help = N_("Where the facts come from") }

/* The review of what someone other than staff enters (issue 18): its
 * state, the officer's comment when it is returned, and when and by whom
 * it was last submitted (by an account's name, or "link:ADDRESS": staff
 * only) — the fields P_REVIEW_STATE .. P_SUBMITTED_BY, set by suivi
 * (review.h: review_stamp, review_decide), never by a writer.  Only
 * approved records count (stmt.c's approved_only: what those who did not
 * write them read; the matrix, the gaps, the results, the IATI file). */
#define REVIEW(P, LIST)                                                                                   \
	[P##_REVIEW_STATE] = { .name = "review_state", .type = FT_ENUM, .flags = F_RO | F_STAMP | (LIST), .values = review_states, \
			       .def = "'approved'", .label = N_("Review"), .since = 22 },                     \
	[P##_REVIEW_COMMENT] = { .name = "review_comment", .type = FT_TEXT, .flags = F_RO | F_STAMP | F_LONG, .max = 4000, \
				 .label = N_("Reviewer's comment"), .since = 22 },                             \
	[P##_SUBMITTED_AT] = { .name = "submitted_at", .type = FT_TEXT, .flags = F_RO | F_STAMP, .label = N_("Submitted at"), \
			       .since = 22 },                                                                 \
	[P##_SUBMITTED_BY] = { .name = "submitted_by", .type = FT_TEXT, .flags = F_RO | F_STAMP | F_PRIVATE, .label = N_("Submitted by"), \
			       .since = 22 }

static const char *const review_states[] = { N_("submitted"), N_("approved"), N_("returned"), NULL };

/* The record key of the records that training figures count (sdc.h):
 * published counts are rounded with the sum of these keys as the random
 * draw, so the same records always give the same published figure.  Its
 * identifier is P_RKEY. */
#define RECORD_KEY(P) [P##_RKEY] = { .name = "rkey", .type = FT_INT, .flags = F_RO | F_RKEY, .since = 11 }

/* UN M49's regions of Africa, as data/countries.json holds them: shown in
 * the reader's language (M49's French and Arabic names). */
static const char *const m49_regions[] = { N_("Eastern Africa"), N_("Middle Africa"), N_("Northern Africa"),
					   N_("Southern Africa"), N_("Western Africa"), NULL };

/* Statuses whose French or Arabic word agrees with its record's noun (une
 * session ouverte, un besoin ouvert; un programme annulé): the catalogues'
 * entries in the entity's context (ent_value_label), marked for xgettext. */
static const char *const agreements[] __attribute__((unused)) = {
	NC_("training_session", "open"), NC_("training_session", "planned"), NC_("need", "open"), NC_("need", "met"),
	NC_("programme", "cancelled"), NC_("indicator_period", "approved"), NC_("indicator_period", "returned"),
};

static struct field country_fields[COUNTRY_NFIELDS] = {
	[COUNTRY_CODE] = { .name = "code", .type = FT_CODE, .flags = F_REQUIRED | F_LIST, .pattern = "A2", .label = N_("Code") },
	[COUNTRY_ISO3] = { .name = "iso3", .type = FT_TEXT, .pattern = "A3", .label = N_("ISO alpha-3") },
	[COUNTRY_M49] = { .name = "m49", .type = FT_TEXT, .pattern = "D3", .label = N_("M49 code") },
	[COUNTRY_NAME] = { .name = "name", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 200, .label = N_("Name") },
	[COUNTRY_UN_AFRICAN_MEMBER] = { .name = "un_african_member", .type = FT_BOOL, .flags = F_LIST, .def = "0", .label = N_("African UN Member State") },
	[COUNTRY_ATLANTIC_AFRICAN_STATE] = { .name = "atlantic_african_state", .type = FT_BOOL, .flags = F_LIST, .def = "0", .label = N_("Atlantic African State") },
	[COUNTRY_M49_REGION] = { .name = "m49_region", .type = FT_TEXT, .flags = F_LIST, .max = 60, .values = m49_regions,
	  .label = N_("Region (UN M49)") },
};

static struct field theme_fields[THEME_NFIELDS] = {
	[THEME_CODE] = { .name = "code", .type = FT_CODE, .flags = F_REQUIRED | F_LIST, .pattern = "slug", .label = N_("Code") },
	[THEME_NAME] = { .name = "name", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 200, .label = N_("Name") },
};

static struct field organisation_fields[ORGANISATION_NFIELDS] = {
	[ORGANISATION_ID] = { .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[ORGANISATION_NAME] = { .name = "name", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 300, .label = N_("Name") },
	[ORGANISATION_ACRONYM] = { .name = "acronym", .type = FT_TEXT, .flags = F_LIST | F_SEARCH, .max = 40, .label = N_("Acronym") },
	[ORGANISATION_TYPE] = { .name = "type", .type = FT_TEXT, .flags = F_LIST, .pattern = "orgtype", .label = N_("Type (IATI)"),
	  .help = N_("IATI OrganisationType code, e.g. 10 government, 40 multilateral") },
	[ORGANISATION_COUNTRY] = { .name = "country", .type = FT_REF, .flags = F_LIST, .ref = "country", .label = N_("Country") },
	PROVENANCE(ORGANISATION),
	[ORGANISATION_IATI_REF] = { .name = "iati_ref", .type = FT_TEXT, .max = 200, .pattern = "iatiid", .label = N_("IATI organisation identifier"),
	  .help = N_("e.g. XM-DAC-41301: how IATI files name it"), .since = 9 },
};

/* a person's language, by its code (i18n.h); its label is the language's name */
static const char *const person_languages[] = { N_("fr"), N_("en"), N_("ar"), NULL };

static struct field person_fields[PERSON_NFIELDS] = {
	[PERSON_ID] = { .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[PERSON_NAME] = { .name = "name", .type = FT_TEXT, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 200, .label = N_("Name") },
	[PERSON_TITLE] = { .name = "title", .type = FT_I18N, .flags = F_LIST | F_SEARCH, .max = 300, .label = N_("Function") },
	[PERSON_ORGANISATION] = { .name = "organisation", .type = FT_REF, .flags = F_LIST, .ref = "organisation", .label = N_("Organisation") },
	/* contacts are personal data: staff only (DESIGN §2) */
	[PERSON_EMAIL] = { .name = "email", .type = FT_TEXT, .flags = F_PRIVATE | F_SEARCH, .max = 200, .pattern = "email",
	  .label = N_("E-mail"), .since = 3 },
	[PERSON_PHONE] = { .name = "phone", .type = FT_TEXT, .flags = F_PRIVATE, .max = 40, .label = N_("Telephone"), .since = 3 },
	PROVENANCE(PERSON),
	/* the language of the messages suivi sends them (notify.h) */
	[PERSON_LANGUAGE] = { .name = "language", .type = FT_ENUM, .values = person_languages, .label = N_("Language of messages"),
	  .help = N_("The language of the reminders and confirmations suivi sends this person; French when none is chosen"),
	  .since = 18 },
};

static const char *const meeting_kinds[] = { N_("strategic_dialogue"), N_("conference"), N_("forum"), N_("workshop"), NULL };

static struct field meeting_fields[MEETING_NFIELDS] = {
	[MEETING_ID] = { .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[MEETING_KIND] = { .name = "kind", .type = FT_ENUM, .flags = F_REQUIRED | F_LIST, .values = meeting_kinds, .label = N_("Kind") },
	[MEETING_TITLE] = { .name = "title", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 300, .label = N_("Title") },
	[MEETING_EDITION] = { .name = "edition", .type = FT_INT, .flags = F_LIST, .min = 1, .max = 1000, .label = N_("Edition") },
	[MEETING_START_DATE] = { .name = "start_date", .type = FT_DATE, .flags = F_REQUIRED | F_LIST, .label = N_("Start date") },
	[MEETING_END_DATE] = { .name = "end_date", .type = FT_DATE, .label = N_("End date") },
	[MEETING_VENUE] = { .name = "venue", .type = FT_TEXT, .flags = F_LIST | F_SEARCH, .max = 200, .label = N_("Venue") },
	[MEETING_COUNTRY] = { .name = "country", .type = FT_REF, .ref = "country", .label = N_("Host country") },
	[MEETING_FRAMEWORK] = { .name = "framework", .type = FT_I18N, .flags = F_SEARCH, .max = 300, .label = N_("Framework") },
	[MEETING_COCHAIRS] = { .name = "cochairs", .type = FT_REFS, .ref = "person", .label = N_("Co-chairs") },
	[MEETING_DELEGATIONS] = { .name = "delegations", .type = FT_REFS, .ref = "organisation", .label = N_("Delegations") },
	[MEETING_SUMMARY] = { .name = "summary", .type = FT_I18N, .flags = F_LONG | F_SEARCH, .max = 20000, .label = N_("Summary") },
	PROVENANCE(MEETING),
	/* the annual cycle: an edition opens with the review of the previous one */
	[MEETING_PREVIOUS] = { .name = "previous", .type = FT_REF, .ref = "meeting", .label = N_("Previous edition"), .since = 4 },
};

static const char *const outcome_kinds[] = { N_("result"), N_("decision"), N_("priority"), N_("commitment"), NULL };

static struct field outcome_fields[OUTCOME_NFIELDS] = {
	[OUTCOME_ID] = { .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[OUTCOME_MEETING] = { .name = "meeting", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "meeting", .label = N_("Meeting") },
	[OUTCOME_NUMBER] = { .name = "number", .type = FT_INT, .flags = F_LIST, .min = 1, .max = 1000, .label = N_("Order") },
	[OUTCOME_KIND] = { .name = "kind", .type = FT_ENUM, .flags = F_REQUIRED | F_LIST, .values = outcome_kinds, .label = N_("Kind") },
	[OUTCOME_TEXT] = { .name = "text", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_LONG | F_SEARCH, .max = 20000, .label = N_("Text") },
	[OUTCOME_THEMES] = { .name = "themes", .type = FT_REFS, .ref = "theme", .label = N_("Themes") },
	PROVENANCE(OUTCOME),
};

static const char *const action_statuses[] = { N_("planned"), N_("in_progress"), N_("done"), N_("dropped"), NULL };

static struct field action_fields[ACTION_NFIELDS] = {
	[ACTION_ID] = { .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[ACTION_OUTCOME] = { .name = "outcome", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "outcome", .label = N_("Outcome") },
	[ACTION_OWNER] = { .name = "owner", .type = FT_REF, .flags = F_LIST, .ref = "organisation", .label = N_("Owner") },
	[ACTION_TITLE] = { .name = "title", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 1000, .label = N_("Title") },
	[ACTION_DUE_DATE] = { .name = "due_date", .type = FT_DATE, .flags = F_LIST, .label = N_("Due date") },
	[ACTION_STATUS] = { .name = "status", .type = FT_ENUM, .flags = F_LIST, .values = action_statuses, .def = "'planned'", .label = N_("Status") },
	[ACTION_PERCENT] = { .name = "percent", .type = FT_INT, .flags = F_LIST, .min = 0, .max = 100, .def = "0", .label = N_("Percent done") },
	[ACTION_LATE] = { .name = "late", .type = FT_BOOL, .flags = F_RO | F_COMPUTED | F_LIST, .label = N_("Late"),
	  .expr = "CASE WHEN t.due_date < ? AND t.status NOT IN ('done','dropped') THEN 1 ELSE 0 END" },
	PROVENANCE(ACTION),
	[ACTION_COURSES] = { .name = "courses", .type = FT_REFS, .ref = "course", .label = N_("Courses"), .since = 7 },
};

/* A progress update's percentage and status become its action's, once approved. */
static const struct propagate update_propagate[] = {
	{ .from = "percent", .via = "action", .to = "percent", .latest_by = "date" },
	{ .from = "status", .via = "action", .to = "status", .latest_by = "date" },
	{ 0 },
};

static struct field action_update_fields[ACTION_UPDATE_NFIELDS] = {
	[ACTION_UPDATE_ID] = { .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[ACTION_UPDATE_ACTION] = { .name = "action", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "action", .label = N_("Action") },
	[ACTION_UPDATE_DATE] = { .name = "date", .type = FT_DATE, .flags = F_REQUIRED | F_LIST, .label = N_("Date") },
	[ACTION_UPDATE_NOTE] = { .name = "note", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_LONG | F_SEARCH, .max = 20000, .label = N_("Note") },
	[ACTION_UPDATE_PERCENT] = { .name = "percent", .type = FT_INT, .flags = F_LIST, .min = 0, .max = 100, .label = N_("Percent done"),
	  .help = N_("Also becomes the action's percentage") },
	PROVENANCE(ACTION_UPDATE),
	[ACTION_UPDATE_STATUS] = { .name = "status", .type = FT_ENUM, .values = action_statuses, .label = N_("Status"),
	  .help = N_("Also becomes the action's status"), .since = 22 },
	REVIEW(ACTION_UPDATE, F_LIST),
};

/* ---- training (DESIGN M4) ---------------------------------------------------------- */

static const char *const course_levels[] = { N_("basic"), N_("intermediate"), N_("advanced"), NULL };

static struct field course_fields[COURSE_NFIELDS] = {
	[COURSE_ID] = { .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[COURSE_TITLE] = { .name = "title", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 300, .label = N_("Title") },
	[COURSE_THEME] = { .name = "theme", .type = FT_REF, .flags = F_LIST, .ref = "theme", .label = N_("Theme") },
	[COURSE_LEVEL] = { .name = "level", .type = FT_ENUM, .flags = F_LIST, .values = course_levels, .label = N_("Level") },
	[COURSE_DAYS] = { .name = "days", .type = FT_INT, .flags = F_LIST, .min = 1, .max = 90, .label = N_("Days") },
	[COURSE_LANGUAGES] = { .name = "languages", .type = FT_TEXT, .flags = F_LIST, .max = 40, .label = N_("Languages"),
	  .help = N_("Languages of teaching, e.g. fr, en") },
	[COURSE_AUDIENCE] = { .name = "audience", .type = FT_I18N, .flags = F_LONG | F_SEARCH, .max = 2000, .label = N_("Audience") },
	PROVENANCE(COURSE),
};

static const char *const session_modes[] = { N_("on_site"), N_("online"), N_("mobile"), NULL };
static const char *const session_statuses[] = { N_("planned"), N_("open"), N_("running"), N_("completed"),
						 N_("cancelled"), NULL };

static struct field session_fields[SESSION_NFIELDS] = {
	[SESSION_ID] = { .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[SESSION_COURSE] = { .name = "course", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "course", .label = N_("Course") },
	[SESSION_START_DATE] = { .name = "start_date", .type = FT_DATE, .flags = F_REQUIRED | F_LIST, .label = N_("Start date") },
	[SESSION_END_DATE] = { .name = "end_date", .type = FT_DATE, .flags = F_LIST, .label = N_("End date") },
	[SESSION_VENUE] = { .name = "venue", .type = FT_TEXT, .flags = F_LIST | F_SEARCH, .max = 200, .label = N_("Venue") },
	[SESSION_COUNTRY] = { .name = "country", .type = FT_REF, .ref = "country", .label = N_("Host country") },
	[SESSION_MODE] = { .name = "mode", .type = FT_ENUM, .flags = F_LIST, .values = session_modes, .def = "'on_site'", .label = N_("Mode") },
	[SESSION_TRAINERS] = { .name = "trainers", .type = FT_REFS, .ref = "person", .label = N_("Trainers") },
	[SESSION_CAPACITY] = { .name = "capacity", .type = FT_INT, .min = 1, .max = 10000, .label = N_("Capacity") },
	[SESSION_STATUS] = { .name = "status", .type = FT_ENUM, .flags = F_LIST, .values = session_statuses, .def = "'planned'",
	  .label = N_("Status") },
	PROVENANCE(SESSION),
	[SESSION_PROGRAMME] = { .name = "programme", .type = FT_REF, .ref = "programme", .label = N_("Programme"),
	  .help = N_("The technical-assistance programme that pays for it"), .since = 9 },
};

static const char *const agencies[] = { N_("police"), N_("gendarmerie"), N_("coast_guard"), N_("customs"),
					N_("prison"), N_("judiciary"), N_("military"), N_("other"), NULL };
static const char *const sexes[] = { N_("female"), N_("male"), NULL };
static const char *const age_bands[] = { N_("under_30"), N_("30_39"), N_("40_49"), N_("50_plus"), NULL };

/* Security officials: their names, contacts and identity numbers are
 * personal data that can put them at risk (DESIGN §2) — staff only. */
static struct field participant_fields[PARTICIPANT_NFIELDS] = {
	[PARTICIPANT_ID] = { .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[PARTICIPANT_FAMILY_NAME] = { .name = "family_name", .type = FT_TEXT, .flags = F_REQUIRED | F_PRIVATE | F_LIST | F_SEARCH, .max = 200,
	  .label = N_("Family name") },
	[PARTICIPANT_GIVEN_NAMES] = { .name = "given_names", .type = FT_TEXT, .flags = F_PRIVATE | F_LIST | F_SEARCH, .max = 200, .label = N_("Given names") },
	[PARTICIPANT_EMAIL] = { .name = "email", .type = FT_TEXT, .flags = F_PRIVATE, .max = 200, .pattern = "email", .label = N_("E-mail") },
	[PARTICIPANT_PHONE] = { .name = "phone", .type = FT_TEXT, .flags = F_PRIVATE, .max = 40, .label = N_("Telephone") },
	[PARTICIPANT_DOCUMENT_NUMBER] = { .name = "document_number", .type = FT_TEXT, .flags = F_PRIVATE, .max = 60, .label = N_("Identity document number") },
	[PARTICIPANT_BIRTH_DATE] = { .name = "birth_date", .type = FT_DATE, .flags = F_PRIVATE, .label = N_("Date of birth") },
	[PARTICIPANT_COUNTRY] = { .name = "country", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "country", .label = N_("Country") },
	[PARTICIPANT_AGENCY] = { .name = "agency", .type = FT_ENUM, .flags = F_LIST, .values = agencies, .label = N_("Agency") },
	[PARTICIPANT_FUNCTION] = { .name = "function", .type = FT_TEXT, .max = 200, .label = N_("Function") },
	[PARTICIPANT_RANK] = { .name = "rank", .type = FT_TEXT, .max = 100, .label = N_("Rank") },
	[PARTICIPANT_SEX] = { .name = "sex", .type = FT_ENUM, .flags = F_LIST, .values = sexes, .label = N_("Sex") },
	[PARTICIPANT_AGE_BAND] = { .name = "age_band", .type = FT_ENUM, .flags = F_LIST, .values = age_bands, .label = N_("Age band") },
	PROVENANCE(PARTICIPANT),
	RECORD_KEY(PARTICIPANT),
	/* the language of the messages suivi sends them (notify.h) */
	[PARTICIPANT_LANGUAGE] = { .name = "language", .type = FT_ENUM, .values = person_languages, .label = N_("Language of messages"),
	  .help = N_("The language of the message that brings this participant's certificate; French when none is chosen"),
	  .since = 19 },
};

static struct field enrolment_fields[ENROLMENT_NFIELDS] = {
	[ENROLMENT_ID] = { .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[ENROLMENT_PARTICIPANT] = { .name = "participant", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "participant", .label = N_("Participant") },
	[ENROLMENT_SESSION] = { .name = "session", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "training_session", .label = N_("Session") },
	[ENROLMENT_DAYS_ATTENDED] = { .name = "days_attended", .type = FT_INT, .flags = F_LIST, .min = 0, .max = 90, .label = N_("Days attended") },
	[ENROLMENT_PRE_SCORE] = { .name = "pre_score", .type = FT_INT, .flags = F_LIST, .min = 0, .max = 100, .label = N_("Pre-test score") },
	[ENROLMENT_POST_SCORE] = { .name = "post_score", .type = FT_INT, .flags = F_LIST, .min = 0, .max = 100, .label = N_("Post-test score") },
	[ENROLMENT_SATISFACTION] = { .name = "satisfaction", .type = FT_INT, .flags = F_LIST, .min = 1, .max = 5, .label = N_("Satisfaction"),
	  .help = N_("1 very poor … 5 excellent") },
	[ENROLMENT_COMPLETED] = { .name = "completed", .type = FT_BOOL, .flags = F_LIST, .def = "0", .label = N_("Completed") },
	[ENROLMENT_CERTIFICATE] = { .name = "certificate", .type = FT_TEXT, .flags = F_RO | F_LIST | F_UNIQUE, .max = 40, .label = N_("Certificate number"),
	  .help = N_("Given when the enrolment is completed") },
	PROVENANCE(ENROLMENT),
	RECORD_KEY(ENROLMENT),
};

static const char *const need_sources[] = { N_("self_assessment"), N_("expert_mission"), N_("un_assessment"),
					      N_("other"), NULL };
static const char *const need_statuses[] = { N_("open"), N_("being_addressed"), N_("met"), NULL };

/* A dated assessment of one country's need on one theme (DESIGN M3).  The
 * REFS fields say what addresses it; later collections (courses,
 * programmes) add theirs as further REFS fields. */
static struct field need_fields[NEED_NFIELDS] = {
	[NEED_ID] = { .name = "id", .hxl = "#meta+id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[NEED_COUNTRY] = { .name = "country", .hxl = "#country+code", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "country", .label = N_("Country") },
	[NEED_THEME] = { .name = "theme", .hxl = "#sector+code", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "theme", .label = N_("Theme") },
	[NEED_ASSESSED_ON] = { .name = "assessed_on", .hxl = "#date+assessed", .type = FT_DATE, .flags = F_REQUIRED | F_LIST, .label = N_("Assessed on") },
	[NEED_SEVERITY] = { .name = "severity", .hxl = "#severity", .type = FT_INT, .flags = F_REQUIRED | F_LIST, .min = 1, .max = 5, .label = N_("Severity"),
	  .help = N_("1 minor … 5 critical") },
	[NEED_SOURCE] = { .name = "source", .hxl = "#meta+source", .type = FT_ENUM, .flags = F_REQUIRED | F_LIST, .values = need_sources,
	  .label = N_("Assessed by") },
	[NEED_STATUS] = { .name = "status", .hxl = "#status", .type = FT_ENUM, .flags = F_LIST, .values = need_statuses, .def = "'open'",
	  .label = N_("Status") },
	[NEED_DESCRIPTION] = { .name = "description", .hxl = "#description", .type = FT_I18N, .flags = F_LONG | F_SEARCH, .max = 20000, .label = N_("Description") },
	[NEED_ACTIONS] = { .name = "actions", .type = FT_REFS, .ref = "action", .label = N_("Addressed by follow-up actions") },
	[NEED_COURSES] = { .name = "courses", .type = FT_REFS, .ref = "course", .label = N_("Addressed by courses"), .since = 7 },
	[NEED_SAMPLE] = { .name = "sample", .hxl = "#meta+sample", .type = FT_BOOL, .flags = F_LIST, .def = "0", .label = N_("Sample data"),
	  .help = N_("Holds values that the sources do not give") },
	[NEED_REFERENCE] = { .name = "reference", .hxl = "#meta+reference", .type = FT_TEXT, .max = 500, .label = N_("Reference"),
	  .help = N_("The report or mission the assessment comes from") },
	REVIEW(NEED, F_LIST),
};

/* A communiqué, minutes or report attached to exactly one record: its
 * parent (F_PARENT: a meeting, outcome, follow-up action or programme),
 * whose readers alone see it.  The file itself is kept on disk by its
 * SHA-256 (docstore.c); the read-only fields describe it and are set by the
 * upload (docs.c), never by a writer. */
static struct field document_fields[DOCUMENT_NFIELDS] = {
	[DOCUMENT_ID] = { .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[DOCUMENT_MEETING] = { .name = "meeting", .type = FT_REF, .flags = F_LIST | F_PARENT, .ref = "meeting", .label = N_("Meeting") },
	[DOCUMENT_OUTCOME] = { .name = "outcome", .type = FT_REF, .flags = F_LIST | F_PARENT, .ref = "outcome", .label = N_("Outcome") },
	[DOCUMENT_ACTION] = { .name = "action", .type = FT_REF, .flags = F_LIST | F_PARENT, .ref = "action", .label = N_("Follow-up action") },
	[DOCUMENT_TITLE] = { .name = "title", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 300, .label = N_("Title") },
	[DOCUMENT_FILENAME] = { .name = "filename", .type = FT_TEXT, .flags = F_RO | F_LIST | F_SEARCH, .max = 500, .label = N_("File name") },
	[DOCUMENT_MEDIA_TYPE] = { .name = "media_type", .type = FT_TEXT, .flags = F_RO | F_LIST, .max = 200, .label = N_("File type") },
	[DOCUMENT_SIZE] = { .name = "size", .type = FT_INT, .flags = F_RO | F_LIST, .min = 0, .max = 1LL << 40, .label = N_("Size (bytes)") },
	[DOCUMENT_SHA256] = { .name = "sha256", .type = FT_TEXT, .flags = F_RO, .max = 64, .label = N_("SHA-256") },
	PROVENANCE(DOCUMENT),
	[DOCUMENT_PROGRAMME] = { .name = "programme", .type = FT_REF, .flags = F_LIST | F_PARENT, .ref = "programme", .label = N_("Programme"),
	  .since = 9 },
};

/* ---- technical assistance and the forum (DESIGN M5) ----------------------------- */

/* IATI ActivityStatus 1–6, in order (iati.c maps them to codes). */
static const char *const programme_statuses[] = { N_("pipeline"), N_("implementation"), N_("finalisation"),
						  N_("closed"), N_("cancelled"), N_("suspended"), NULL };

/* Amounts are whole minor units of their currency (cents), never floats
 * (F_MONEY: pages show and take them in currency units). */
#define AMOUNT_MAX 1000000000000000LL

static struct field programme_fields[PROGRAMME_NFIELDS] = {
	[PROGRAMME_ID] = { .name = "id", .hxl = "#meta+id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[PROGRAMME_IATI_IDENTIFIER] = { .name = "iati_identifier", .hxl = "#activity+code", .type = FT_TEXT, .flags = F_LIST | F_SEARCH, .max = 200, .pattern = "iatiid",
	  .label = N_("IATI identifier"), .help = N_("The reporting organisation's reference, a hyphen, then the activity's own") },
	[PROGRAMME_TITLE] = { .name = "title", .hxl = "#activity+name", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 500, .label = N_("Title") },
	[PROGRAMME_DESCRIPTION] = { .name = "description", .hxl = "#description", .type = FT_I18N, .flags = F_LONG | F_SEARCH, .max = 20000, .label = N_("Description") },
	[PROGRAMME_IMPLEMENTER] = { .name = "implementer", .hxl = "#org+impl+code", .type = FT_REF, .flags = F_LIST, .ref = "organisation", .label = N_("Implementer") },
	[PROGRAMME_DONORS] = { .name = "donors", .hxl = "#org+funder+code", .type = FT_REFS, .ref = "organisation", .label = N_("Donors") },
	[PROGRAMME_COUNTRIES] = { .name = "countries", .hxl = "#country+code", .type = FT_REFS, .ref = "country", .label = N_("Beneficiary countries") },
	[PROGRAMME_THEMES] = { .name = "themes", .hxl = "#sector+code", .type = FT_REFS, .ref = "theme", .label = N_("Themes") },
	[PROGRAMME_NEEDS] = { .name = "needs", .type = FT_REFS, .ref = "need", .label = N_("Needs addressed") },
	[PROGRAMME_COURSES] = { .name = "courses", .type = FT_REFS, .ref = "course", .label = N_("Courses delivered") },
	[PROGRAMME_START_DATE] = { .name = "start_date", .hxl = "#date+start", .type = FT_DATE, .flags = F_LIST, .label = N_("Start date") },
	[PROGRAMME_END_DATE] = { .name = "end_date", .hxl = "#date+end", .type = FT_DATE, .label = N_("End date") },
	[PROGRAMME_STATUS] = { .name = "status", .hxl = "#status", .type = FT_ENUM, .flags = F_LIST, .values = programme_statuses, .def = "'implementation'",
	  .label = N_("Status") },
	[PROGRAMME_BUDGET] = { .name = "budget", .hxl = "#value+budget", .type = FT_INT, .flags = F_MONEY, .min = 0, .max = AMOUNT_MAX, .label = N_("Budget"),
	  .help = N_("In units of the currency, with its decimals: 250000.00 (or 250 000,00)") },
	[PROGRAMME_CURRENCY] = { .name = "currency", .hxl = "#currency", .type = FT_TEXT, .flags = F_LIST, .pattern = "A3", .def = "'USD'", .label = N_("Currency"),
	  .help = N_("ISO 4217 code, e.g. USD, EUR, MAD") },
	PROVENANCE(PROGRAMME),
	/* Publishing to IATI is a deliberate act of staff (who alone write
	 * programmes): the public file (/iati.xml) carries these only. */
	[PROGRAMME_PUBLISHED] = { .name = "published", .type = FT_BOOL, .flags = F_LIST, .def = "0", .label = N_("Published to IATI"),
	  .help = N_("Its description, transactions and results go into the public IATI file (/iati.xml) for anyone to read"),
	  .since = 10 },
};

/* The IATI transaction types the programme office records (codes 1–4). */
static const char *const transaction_kinds[] = { N_("incoming_funds"), N_("commitment"), N_("disbursement"),
						 N_("expenditure"), NULL };

static struct field transaction_fields[TRANSACTION_NFIELDS] = {
	[TRANSACTION_ID] = { .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[TRANSACTION_PROGRAMME] = { .name = "programme", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "programme", .label = N_("Programme") },
	[TRANSACTION_KIND] = { .name = "kind", .type = FT_ENUM, .flags = F_REQUIRED | F_LIST, .values = transaction_kinds, .label = N_("Kind") },
	[TRANSACTION_DATE] = { .name = "date", .type = FT_DATE, .flags = F_REQUIRED | F_LIST, .label = N_("Date") },
	[TRANSACTION_AMOUNT] = { .name = "amount", .type = FT_INT, .flags = F_REQUIRED | F_LIST | F_MONEY, .min = -AMOUNT_MAX,
	  .max = AMOUNT_MAX, .label = N_("Amount"), .help = N_("In units of the currency, with its decimals: 250000.00 (or 250 000,00)") },
	[TRANSACTION_CURRENCY] = { .name = "currency", .type = FT_TEXT, .flags = F_REQUIRED | F_LIST, .pattern = "A3", .label = N_("Currency") },
	[TRANSACTION_PROVIDER] = { .name = "provider", .type = FT_REF, .flags = F_LIST, .ref = "organisation", .label = N_("From") },
	[TRANSACTION_RECEIVER] = { .name = "receiver", .type = FT_REF, .flags = F_LIST, .ref = "organisation", .label = N_("To") },
	[TRANSACTION_DESCRIPTION] = { .name = "description", .type = FT_I18N, .flags = F_SEARCH, .max = 2000, .label = N_("Description") },
	[TRANSACTION_REFERENCE] = { .name = "reference", .type = FT_TEXT, .max = 200, .label = N_("Reference"),
	  .help = N_("The transaction's own reference, as published") },
	PROVENANCE(TRANSACTION),
};

static const char *const contribution_kinds[] = { N_("premises"), N_("trainers"), N_("logistics"), N_("equipment"),
						  N_("other"), NULL };

/* Support in kind (the host state's premises, trainers, logistics): an
 * estimated value, kept apart from cash. */
static struct field contribution_fields[CONTRIBUTION_NFIELDS] = {
	[CONTRIBUTION_ID] = { .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[CONTRIBUTION_PROGRAMME] = { .name = "programme", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "programme", .label = N_("Programme") },
	[CONTRIBUTION_PROVIDER] = { .name = "provider", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "organisation", .label = N_("Given by") },
	[CONTRIBUTION_KIND] = { .name = "kind", .type = FT_ENUM, .flags = F_REQUIRED | F_LIST, .values = contribution_kinds, .label = N_("Kind") },
	[CONTRIBUTION_DESCRIPTION] = { .name = "description", .type = FT_I18N, .flags = F_LIST | F_SEARCH, .max = 2000, .label = N_("Description") },
	[CONTRIBUTION_START_DATE] = { .name = "start_date", .type = FT_DATE, .flags = F_LIST, .label = N_("From") },
	[CONTRIBUTION_END_DATE] = { .name = "end_date", .type = FT_DATE, .label = N_("Until") },
	[CONTRIBUTION_VALUE] = { .name = "value", .type = FT_INT, .flags = F_LIST | F_MONEY, .min = 0, .max = AMOUNT_MAX,
	  .label = N_("Estimated value"), .help = N_("In units of the currency, with its decimals: 250000.00 (or 250 000,00)") },
	[CONTRIBUTION_CURRENCY] = { .name = "currency", .type = FT_TEXT, .flags = F_LIST, .pattern = "A3", .def = "'USD'", .label = N_("Currency") },
	PROVENANCE(CONTRIBUTION),
};

/* IATI ResultType 1–3. */
static const char *const result_levels[] = { N_("output"), N_("outcome"), N_("impact"), NULL };

static struct field result_fields[RESULT_NFIELDS] = {
	[RESULT_ID] = { .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[RESULT_PROGRAMME] = { .name = "programme", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "programme", .label = N_("Programme") },
	[RESULT_LEVEL] = { .name = "level", .type = FT_ENUM, .flags = F_REQUIRED | F_LIST, .values = result_levels, .label = N_("Level") },
	[RESULT_TITLE] = { .name = "title", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 1000, .label = N_("Title") },
	[RESULT_DESCRIPTION] = { .name = "description", .type = FT_I18N, .flags = F_LONG, .max = 20000, .label = N_("Description") },
	PROVENANCE(RESULT),
};

/* IATI IndicatorMeasure 1 (unit) and 2 (percentage). */
static const char *const indicator_measures[] = { N_("unit"), N_("percentage"), NULL };
/* Where an indicator's actual values come from: typed by hand, or computed
 * from the training records of the programme's sessions (results.c). */
static const char *const indicator_sources[] = { N_("manual"), N_("people_trained"), N_("completion_rate"),
						 N_("knowledge_gain"), NULL };

static struct field indicator_fields[INDICATOR_NFIELDS] = {
	[INDICATOR_ID] = { .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[INDICATOR_RESULT] = { .name = "result", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "result", .label = N_("Result") },
	[INDICATOR_TITLE] = { .name = "title", .type = FT_I18N, .flags = F_REQUIRED | F_LIST | F_SEARCH, .max = 1000, .label = N_("Title") },
	[INDICATOR_MEASURE] = { .name = "measure", .type = FT_ENUM, .flags = F_LIST, .values = indicator_measures, .def = "'unit'",
	  .label = N_("Measure") },
	[INDICATOR_ASCENDING] = { .name = "ascending", .type = FT_BOOL, .flags = F_LIST, .def = "1", .label = N_("Higher is better") },
	[INDICATOR_BASELINE_YEAR] = { .name = "baseline_year", .type = FT_INT, .min = 1900, .max = 2200, .label = N_("Baseline year") },
	[INDICATOR_BASELINE] = { .name = "baseline", .type = FT_INT, .min = -AMOUNT_MAX, .max = AMOUNT_MAX, .label = N_("Baseline value") },
	[INDICATOR_COMPUTED] = { .name = "computed", .type = FT_ENUM, .flags = F_LIST, .values = indicator_sources, .def = "'manual'",
	  .label = N_("Actual values"), .help = N_("Typed in each period, or computed from the programme's training sessions") },
	PROVENANCE(INDICATOR),
};

static const char *const period_sexes[] = { N_("female"), N_("male"), NULL };

/* A period's target and actual: the total (no sex, no country), or one
 * cell of its disaggregation by sex or by country. */
static struct field period_fields[PERIOD_NFIELDS] = {
	[PERIOD_ID] = { .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[PERIOD_INDICATOR] = { .name = "indicator", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "indicator", .label = N_("Indicator") },
	[PERIOD_START_DATE] = { .name = "start_date", .type = FT_DATE, .flags = F_REQUIRED | F_LIST, .label = N_("Period start") },
	[PERIOD_END_DATE] = { .name = "end_date", .type = FT_DATE, .flags = F_REQUIRED | F_LIST, .label = N_("Period end") },
	[PERIOD_SEX] = { .name = "sex", .type = FT_ENUM, .flags = F_LIST, .values = period_sexes, .label = N_("Sex"),
	  .help = N_("Empty for the total") },
	[PERIOD_COUNTRY] = { .name = "country", .type = FT_REF, .flags = F_LIST, .ref = "country", .label = N_("Country"),
	  .help = N_("Empty for the total") },
	[PERIOD_TARGET] = { .name = "target", .type = FT_INT, .flags = F_LIST, .min = -AMOUNT_MAX, .max = AMOUNT_MAX, .label = N_("Target") },
	[PERIOD_ACTUAL] = { .name = "actual", .type = FT_INT, .flags = F_LIST, .min = -AMOUNT_MAX, .max = AMOUNT_MAX, .label = N_("Actual"),
	  .help = N_("For a computed indicator, computed from training records") },
	[PERIOD_COMMENT] = { .name = "comment", .type = FT_I18N, .flags = F_LONG, .max = 4000, .label = N_("Comment") },
	PROVENANCE(PERIOD),
	REVIEW(PERIOD, 0),
};

static const char *const raters[] = { N_("beneficiary"), N_("donor"), NULL };

/* A criterion's score and its comment: fields id and id_COMMENT (entity_ids.h). */
#define CRITERION(id, n, lab)                                                                     \
	[id] = { .name = n, .type = FT_INT, .flags = F_REQUIRED | F_LIST, .min = 1, .max = 5,      \
		 .label = lab, .help = N_("1 very poor … 5 excellent") },                          \
	[id##_COMMENT] = { .name = n "_comment", .type = FT_TEXT, .flags = F_LONG, .max = 4000,   \
			   .label = N_("Comment") }

/* One rater's judgement of one programme at one forum edition, on the six
 * OECD-DAC criteria: a beneficiary state (country) or a donor
 * (organisation).  Focal points write their country's, donors their
 * organisation's (scope). */
static struct field evaluation_fields[EVALUATION_NFIELDS] = {
	[EVALUATION_ID] = { .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[EVALUATION_MEETING] = { .name = "meeting", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "meeting", .label = N_("Forum") },
	[EVALUATION_PROGRAMME] = { .name = "programme", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "programme", .label = N_("Programme") },
	[EVALUATION_RATER] = { .name = "rater", .type = FT_ENUM, .flags = F_REQUIRED | F_LIST, .values = raters, .label = N_("Rated by") },
	[EVALUATION_COUNTRY] = { .name = "country", .type = FT_REF, .flags = F_LIST, .ref = "country", .label = N_("Beneficiary state") },
	[EVALUATION_ORGANISATION] = { .name = "organisation", .type = FT_REF, .flags = F_LIST, .ref = "organisation", .label = N_("Donor") },
	CRITERION(EVALUATION_RELEVANCE, "relevance", N_("Relevance")),
	CRITERION(EVALUATION_COHERENCE, "coherence", N_("Coherence")),
	CRITERION(EVALUATION_EFFECTIVENESS, "effectiveness", N_("Effectiveness")),
	CRITERION(EVALUATION_EFFICIENCY, "efficiency", N_("Efficiency")),
	CRITERION(EVALUATION_IMPACT, "impact", N_("Impact")),
	CRITERION(EVALUATION_SUSTAINABILITY, "sustainability", N_("Sustainability")),
	PROVENANCE(EVALUATION),
};

static const char *const registration_roles[] = { N_("delegate"), N_("speaker"), N_("donor"), N_("beneficiary"),
						  N_("observer"), NULL };

/* Who registered for a conference, forum or workshop, and came. */
static struct field registration_fields[REGISTRATION_NFIELDS] = {
	[REGISTRATION_ID] = { .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[REGISTRATION_MEETING] = { .name = "meeting", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "meeting", .label = N_("Event") },
	[REGISTRATION_PERSON] = { .name = "person", .type = FT_REF, .flags = F_REQUIRED | F_LIST, .ref = "person", .label = N_("Person") },
	[REGISTRATION_ORGANISATION] = { .name = "organisation", .type = FT_REF, .flags = F_LIST, .ref = "organisation", .label = N_("Organisation") },
	[REGISTRATION_COUNTRY] = { .name = "country", .type = FT_REF, .flags = F_LIST, .ref = "country", .label = N_("Country") },
	[REGISTRATION_ROLE] = { .name = "role", .type = FT_ENUM, .flags = F_REQUIRED | F_LIST, .values = registration_roles, .def = "'delegate'",
	  .label = N_("Role") },
	[REGISTRATION_ATTENDED] = { .name = "attended", .type = FT_BOOL, .flags = F_LIST, .def = "0", .label = N_("Attended") },
	PROVENANCE(REGISTRATION),
};

static const char *const audit_actions[] = { N_("create"), N_("update"), N_("delete"), N_("merge"), N_("restore"),
					     N_("lock"), N_("unlock"), N_("approve"), N_("return"), NULL };

/* The audit trail: written by the store in the same transaction as each
 * write, never by a person (the entity is read-only). */
static struct field audit_fields[AUDIT_NFIELDS] = {
	[AUDIT_ID] = { .name = "id", .type = FT_ID, .flags = F_RO | F_LIST, .label = N_("Number") },
	[AUDIT_AT] = { .name = "at", .type = FT_TEXT, .flags = F_RO | F_LIST, .label = N_("When (UTC)") },
	[AUDIT_ACTOR] = { .name = "actor", .type = FT_TEXT, .flags = F_RO | F_LIST | F_SEARCH, .label = N_("Who") },
	[AUDIT_ACTION] = { .name = "action", .type = FT_ENUM, .flags = F_RO | F_LIST, .values = audit_actions, .label = N_("Change") },
	[AUDIT_ENTITY] = { .name = "entity", .type = FT_TEXT, .flags = F_RO | F_LIST, .label = N_("Collection") },
	[AUDIT_RECORD] = { .name = "record", .type = FT_TEXT, .flags = F_RO | F_LIST, .label = N_("Record") },
	[AUDIT_BEFORE] = { .name = "before", .type = FT_TEXT, .flags = F_RO | F_LONG, .label = N_("Before") },
	[AUDIT_AFTER] = { .name = "after", .type = FT_TEXT, .flags = F_RO | F_LONG, .label = N_("After") },
};

/* Something that ends cannot end before it starts: r's fields start and end. */
static void dates_check(const struct record *r, int start, int end, struct ferrs *errs)
{
	const char *from = rec_text(r, start), *until = rec_text(r, end);
	if (from && until && strcmp(until, from) < 0)
		ferrs_add(errs, r->e->fields[end].name, N_("must not be before the start date"), NULL);
}

/* An assessment describes what was seen, so it cannot be dated later than today. */
static void need_check(const struct entity *e, const struct record *r, struct ferrs *errs)
{
	(void)e;
	const char *on = rec_text(r, NEED_ASSESSED_ON);
	char today[11];
	util_today(today);
	if (on && strcmp(on, today) > 0)
		ferrs_add(errs, "assessed_on", N_("must not be in the future"), NULL);
}

static void session_check(const struct entity *e, const struct record *r, struct ferrs *errs)
{
	(void)e;
	dates_check(r, SESSION_START_DATE, SESSION_END_DATE, errs);
}

/* Completed means attended: a completed enrolment has attended days. */
static void enrolment_check(const struct entity *e, const struct record *r, struct ferrs *errs)
{
	(void)e;
	if (rec_int_or(r, ENROLMENT_COMPLETED, 0) && !rec_int_or(r, ENROLMENT_DAYS_ATTENDED, 1))
		ferrs_add(errs, "days_attended", N_("a completed enrolment has attended days"), NULL);
}

static void meeting_check(const struct entity *e, const struct record *r, struct ferrs *errs)
{
	(void)e;
	dates_check(r, MEETING_START_DATE, MEETING_END_DATE, errs);
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

static void programme_check(const struct entity *e, const struct record *r, struct ferrs *errs)
{
	(void)e;
	dates_check(r, PROGRAMME_START_DATE, PROGRAMME_END_DATE, errs);
}

static void contribution_check(const struct entity *e, const struct record *r, struct ferrs *errs)
{
	(void)e;
	dates_check(r, CONTRIBUTION_START_DATE, CONTRIBUTION_END_DATE, errs);
}

/* A period row is the total or one cell of one disaggregation. */
static void period_check(const struct entity *e, const struct record *r, struct ferrs *errs)
{
	(void)e;
	dates_check(r, PERIOD_START_DATE, PERIOD_END_DATE, errs);
	if (rec_text(r, PERIOD_SEX) && rec_text(r, PERIOD_COUNTRY))
		ferrs_add(errs, "country", N_("give a sex or a country, not both"), NULL);
}

/* A beneficiary state rates as a country, a donor as an organisation. */
static void evaluation_check(const struct entity *e, const struct record *r, struct ferrs *errs)
{
	(void)e;
	const char *rater = rec_text(r, EVALUATION_RATER);
	bool country = rec_text(r, EVALUATION_COUNTRY) != NULL;
	bool organisation = rec_text(r, EVALUATION_ORGANISATION) != NULL;
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
	.page_sort = "name", /* by name in the reader's language and collation */
	.pick_first = "un_african_member", .pick_groups = { N_("African States"), N_("Other countries and territories") },
};
static struct entity theme = {
	.name = "theme", .plural = "themes", .label = N_("Theme"), .label_plural = N_("Themes"),
	.fields = theme_fields, .nfields = N(theme_fields), .read = R_USERS, .write = R_STAFF, .since = 1,
	.label_rule = "name",
	.page_sort = "name", /* by name in the reader's language and collation */
};
static struct entity organisation = {
	.name = "organisation", .plural = "organisations", .label = N_("Organisation"),
	.label_plural = N_("Organisations"), .fields = organisation_fields,
	.nfields = N(organisation_fields), .read = R_USERS, .write = R_STAFF, .since = 1,
	.label_rule = "name (acronym)", .page_sort = "name",
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
	.propagate = update_propagate,
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
	.sort = "-start_date", .since = 9, .check = programme_check, .unique = "iati_identifier",
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
	.check = contribution_check, .donor_scope = "programme.donors",
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
	.scope = "country", .unique = "meeting,person", .hooks = &hooks_registration,
};

static struct entity audit = {
	.name = "audit", .plural = "audit", .label = N_("Audit entry"), .label_plural = N_("Audit trail"),
	.fields = audit_fields, .nfields = N(audit_fields), .read = R_STAFF, .write = 0, .since = 2,
	.label_rule = "entity record — action, at",
	.readonly = true,
};

/* Indexed by enum ent_id (entity_ids.h), whose order is the dependency
 * order: an entity comes after those its references (FT_REF) name, so that
 * tables are created, data files loaded, copies made and exports read in
 * this order.  Sets of references (FT_REFS, link tables) may
 * name a later entity (programmes → needs): copies write link tables last. */
struct entity *const entities[ENT_COUNT] = {
	[ENT_COUNTRY] = &country,
	[ENT_THEME] = &theme,
	[ENT_ORGANISATION] = &organisation,
	[ENT_PERSON] = &person,
	[ENT_PROGRAMME] = &programme,
	[ENT_TRANSACTION] = &transaction,
	[ENT_CONTRIBUTION] = &contribution,
	[ENT_RESULT] = &result,
	[ENT_INDICATOR] = &indicator,
	[ENT_PERIOD] = &period,
	[ENT_COURSE] = &course,
	[ENT_SESSION] = &session,
	[ENT_PARTICIPANT] = &participant,
	[ENT_ENROLMENT] = &enrolment,
	[ENT_MEETING] = &meeting,
	[ENT_OUTCOME] = &outcome,
	[ENT_ACTION] = &action,
	[ENT_ACTION_UPDATE] = &action_update,
	[ENT_NEED] = &need,
	[ENT_EVALUATION] = &evaluation,
	[ENT_REGISTRATION] = &registration,
	[ENT_DOCUMENT] = &document,
	[ENT_AUDIT] = &audit,
};
const size_t entities_count = sizeof entities / sizeof entities[0];
