/* test_entity_ids.c — entity_ids.h against model.c: each entity's
 * identifier gives the entity of its name, each field's identifier the field
 * of its name (the identifier, in lower case, after its entity's prefix),
 * and every field of every entity has an identifier.  So the enums and the
 * names cannot drift apart. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "entity.h"
#include "registry.h"

static int setup_group(void **state)
{
	(void)state;
	registry_init();
	return 0;
}

#define E(id, name) { ENT_##id, name, id##_NFIELDS }
static const struct {
	enum ent_id id;
	const char *name;
	int nfields;
} ents[] = {
	E(COUNTRY, "country"),
	E(THEME, "theme"),
	E(ORGANISATION, "organisation"),
	E(PERSON, "person"),
	E(PROGRAMME, "programme"),
	E(TRANSACTION, "funding_transaction"),
	E(CONTRIBUTION, "contribution"),
	E(RESULT, "result"),
	E(INDICATOR, "indicator"),
	E(PERIOD, "indicator_period"),
	E(COURSE, "course"),
	E(SESSION, "training_session"),
	E(PARTICIPANT, "participant"),
	E(ENROLMENT, "enrolment"),
	E(MEETING, "meeting"),
	E(OUTCOME, "outcome"),
	E(ACTION, "action"),
	E(ACTION_UPDATE, "action_update"),
	E(NEED, "need"),
	E(EVALUATION, "evaluation"),
	E(REGISTRATION, "registration"),
	E(DOCUMENT, "document"),
	E(AUDIT, "audit"),
};

#define F(E, N) { ENT_##E, E##_##N, #N }
static const struct {
	enum ent_id e;
	int f;
	const char *id; /* the field's identifier after its entity's prefix */
} fields[] = {
	F(COUNTRY, CODE),
	F(COUNTRY, ISO3),
	F(COUNTRY, M49),
	F(COUNTRY, NAME),
	F(COUNTRY, UN_AFRICAN_MEMBER),
	F(COUNTRY, ATLANTIC_AFRICAN_STATE),
	F(COUNTRY, M49_REGION),
	F(THEME, CODE),
	F(THEME, NAME),
	F(ORGANISATION, ID),
	F(ORGANISATION, NAME),
	F(ORGANISATION, ACRONYM),
	F(ORGANISATION, TYPE),
	F(ORGANISATION, COUNTRY),
	F(ORGANISATION, SAMPLE),
	F(ORGANISATION, SOURCE),
	F(ORGANISATION, IATI_REF),
	F(PERSON, ID),
	F(PERSON, NAME),
	F(PERSON, TITLE),
	F(PERSON, ORGANISATION),
	F(PERSON, EMAIL),
	F(PERSON, PHONE),
	F(PERSON, SAMPLE),
	F(PERSON, SOURCE),
	F(PERSON, LANGUAGE),
	F(PROGRAMME, ID),
	F(PROGRAMME, IATI_IDENTIFIER),
	F(PROGRAMME, TITLE),
	F(PROGRAMME, DESCRIPTION),
	F(PROGRAMME, IMPLEMENTER),
	F(PROGRAMME, DONORS),
	F(PROGRAMME, COUNTRIES),
	F(PROGRAMME, THEMES),
	F(PROGRAMME, NEEDS),
	F(PROGRAMME, COURSES),
	F(PROGRAMME, START_DATE),
	F(PROGRAMME, END_DATE),
	F(PROGRAMME, STATUS),
	F(PROGRAMME, BUDGET),
	F(PROGRAMME, CURRENCY),
	F(PROGRAMME, SAMPLE),
	F(PROGRAMME, SOURCE),
	F(PROGRAMME, PUBLISHED),
	F(TRANSACTION, ID),
	F(TRANSACTION, PROGRAMME),
	F(TRANSACTION, KIND),
	F(TRANSACTION, DATE),
	F(TRANSACTION, AMOUNT),
	F(TRANSACTION, CURRENCY),
	F(TRANSACTION, PROVIDER),
	F(TRANSACTION, RECEIVER),
	F(TRANSACTION, DESCRIPTION),
	F(TRANSACTION, REFERENCE),
	F(TRANSACTION, SAMPLE),
	F(TRANSACTION, SOURCE),
	F(CONTRIBUTION, ID),
	F(CONTRIBUTION, PROGRAMME),
	F(CONTRIBUTION, PROVIDER),
	F(CONTRIBUTION, KIND),
	F(CONTRIBUTION, DESCRIPTION),
	F(CONTRIBUTION, START_DATE),
	F(CONTRIBUTION, END_DATE),
	F(CONTRIBUTION, VALUE),
	F(CONTRIBUTION, CURRENCY),
	F(CONTRIBUTION, SAMPLE),
	F(CONTRIBUTION, SOURCE),
	F(RESULT, ID),
	F(RESULT, PROGRAMME),
	F(RESULT, LEVEL),
	F(RESULT, TITLE),
	F(RESULT, DESCRIPTION),
	F(RESULT, SAMPLE),
	F(RESULT, SOURCE),
	F(INDICATOR, ID),
	F(INDICATOR, RESULT),
	F(INDICATOR, TITLE),
	F(INDICATOR, MEASURE),
	F(INDICATOR, ASCENDING),
	F(INDICATOR, BASELINE_YEAR),
	F(INDICATOR, BASELINE),
	F(INDICATOR, COMPUTED),
	F(INDICATOR, SAMPLE),
	F(INDICATOR, SOURCE),
	F(PERIOD, ID),
	F(PERIOD, INDICATOR),
	F(PERIOD, START_DATE),
	F(PERIOD, END_DATE),
	F(PERIOD, SEX),
	F(PERIOD, COUNTRY),
	F(PERIOD, TARGET),
	F(PERIOD, ACTUAL),
	F(PERIOD, COMMENT),
	F(PERIOD, SAMPLE),
	F(PERIOD, SOURCE),
	F(PERIOD, REVIEW_STATE),
	F(PERIOD, REVIEW_COMMENT),
	F(PERIOD, SUBMITTED_AT),
	F(PERIOD, SUBMITTED_BY),
	F(COURSE, ID),
	F(COURSE, TITLE),
	F(COURSE, THEME),
	F(COURSE, LEVEL),
	F(COURSE, DAYS),
	F(COURSE, LANGUAGES),
	F(COURSE, AUDIENCE),
	F(COURSE, SAMPLE),
	F(COURSE, SOURCE),
	F(SESSION, ID),
	F(SESSION, COURSE),
	F(SESSION, START_DATE),
	F(SESSION, END_DATE),
	F(SESSION, VENUE),
	F(SESSION, COUNTRY),
	F(SESSION, MODE),
	F(SESSION, TRAINERS),
	F(SESSION, CAPACITY),
	F(SESSION, STATUS),
	F(SESSION, SAMPLE),
	F(SESSION, SOURCE),
	F(SESSION, PROGRAMME),
	F(PARTICIPANT, ID),
	F(PARTICIPANT, FAMILY_NAME),
	F(PARTICIPANT, GIVEN_NAMES),
	F(PARTICIPANT, EMAIL),
	F(PARTICIPANT, PHONE),
	F(PARTICIPANT, DOCUMENT_NUMBER),
	F(PARTICIPANT, BIRTH_DATE),
	F(PARTICIPANT, COUNTRY),
	F(PARTICIPANT, AGENCY),
	F(PARTICIPANT, FUNCTION),
	F(PARTICIPANT, RANK),
	F(PARTICIPANT, SEX),
	F(PARTICIPANT, AGE_BAND),
	F(PARTICIPANT, SAMPLE),
	F(PARTICIPANT, SOURCE),
	F(PARTICIPANT, RKEY),
	F(PARTICIPANT, LANGUAGE),
	F(ENROLMENT, ID),
	F(ENROLMENT, PARTICIPANT),
	F(ENROLMENT, SESSION),
	F(ENROLMENT, DAYS_ATTENDED),
	F(ENROLMENT, PRE_SCORE),
	F(ENROLMENT, POST_SCORE),
	F(ENROLMENT, SATISFACTION),
	F(ENROLMENT, COMPLETED),
	F(ENROLMENT, CERTIFICATE),
	F(ENROLMENT, SAMPLE),
	F(ENROLMENT, SOURCE),
	F(ENROLMENT, RKEY),
	F(MEETING, ID),
	F(MEETING, KIND),
	F(MEETING, TITLE),
	F(MEETING, EDITION),
	F(MEETING, START_DATE),
	F(MEETING, END_DATE),
	F(MEETING, VENUE),
	F(MEETING, COUNTRY),
	F(MEETING, FRAMEWORK),
	F(MEETING, COCHAIRS),
	F(MEETING, DELEGATIONS),
	F(MEETING, SUMMARY),
	F(MEETING, SAMPLE),
	F(MEETING, SOURCE),
	F(MEETING, PREVIOUS),
	F(OUTCOME, ID),
	F(OUTCOME, MEETING),
	F(OUTCOME, NUMBER),
	F(OUTCOME, KIND),
	F(OUTCOME, TEXT),
	F(OUTCOME, THEMES),
	F(OUTCOME, SAMPLE),
	F(OUTCOME, SOURCE),
	F(ACTION, ID),
	F(ACTION, OUTCOME),
	F(ACTION, OWNER),
	F(ACTION, TITLE),
	F(ACTION, DUE_DATE),
	F(ACTION, STATUS),
	F(ACTION, PERCENT),
	F(ACTION, LATE),
	F(ACTION, SAMPLE),
	F(ACTION, SOURCE),
	F(ACTION, COURSES),
	F(ACTION_UPDATE, ID),
	F(ACTION_UPDATE, ACTION),
	F(ACTION_UPDATE, DATE),
	F(ACTION_UPDATE, NOTE),
	F(ACTION_UPDATE, PERCENT),
	F(ACTION_UPDATE, SAMPLE),
	F(ACTION_UPDATE, SOURCE),
	F(ACTION_UPDATE, STATUS),
	F(ACTION_UPDATE, REVIEW_STATE),
	F(ACTION_UPDATE, REVIEW_COMMENT),
	F(ACTION_UPDATE, SUBMITTED_AT),
	F(ACTION_UPDATE, SUBMITTED_BY),
	F(NEED, ID),
	F(NEED, COUNTRY),
	F(NEED, THEME),
	F(NEED, ASSESSED_ON),
	F(NEED, SEVERITY),
	F(NEED, SOURCE),
	F(NEED, STATUS),
	F(NEED, DESCRIPTION),
	F(NEED, ACTIONS),
	F(NEED, COURSES),
	F(NEED, SAMPLE),
	F(NEED, REFERENCE),
	F(NEED, REVIEW_STATE),
	F(NEED, REVIEW_COMMENT),
	F(NEED, SUBMITTED_AT),
	F(NEED, SUBMITTED_BY),
	F(EVALUATION, ID),
	F(EVALUATION, MEETING),
	F(EVALUATION, PROGRAMME),
	F(EVALUATION, RATER),
	F(EVALUATION, COUNTRY),
	F(EVALUATION, ORGANISATION),
	F(EVALUATION, RELEVANCE),
	F(EVALUATION, RELEVANCE_COMMENT),
	F(EVALUATION, COHERENCE),
	F(EVALUATION, COHERENCE_COMMENT),
	F(EVALUATION, EFFECTIVENESS),
	F(EVALUATION, EFFECTIVENESS_COMMENT),
	F(EVALUATION, EFFICIENCY),
	F(EVALUATION, EFFICIENCY_COMMENT),
	F(EVALUATION, IMPACT),
	F(EVALUATION, IMPACT_COMMENT),
	F(EVALUATION, SUSTAINABILITY),
	F(EVALUATION, SUSTAINABILITY_COMMENT),
	F(EVALUATION, SAMPLE),
	F(EVALUATION, SOURCE),
	F(REGISTRATION, ID),
	F(REGISTRATION, MEETING),
	F(REGISTRATION, PERSON),
	F(REGISTRATION, ORGANISATION),
	F(REGISTRATION, COUNTRY),
	F(REGISTRATION, ROLE),
	F(REGISTRATION, ATTENDED),
	F(REGISTRATION, SAMPLE),
	F(REGISTRATION, SOURCE),
	F(DOCUMENT, ID),
	F(DOCUMENT, MEETING),
	F(DOCUMENT, OUTCOME),
	F(DOCUMENT, ACTION),
	F(DOCUMENT, TITLE),
	F(DOCUMENT, FILENAME),
	F(DOCUMENT, MEDIA_TYPE),
	F(DOCUMENT, SIZE),
	F(DOCUMENT, SHA256),
	F(DOCUMENT, SAMPLE),
	F(DOCUMENT, SOURCE),
	F(DOCUMENT, PROGRAMME),
	F(AUDIT, ID),
	F(AUDIT, AT),
	F(AUDIT, ACTOR),
	F(AUDIT, ACTION),
	F(AUDIT, ENTITY),
	F(AUDIT, RECORD),
	F(AUDIT, BEFORE),
	F(AUDIT, AFTER),
};

static void test_entities(void **state)
{
	(void)state;
	assert_int_equal(entities_count, ENT_COUNT);
	assert_int_equal(sizeof ents / sizeof ents[0], ENT_COUNT);
	for (size_t i = 0; i < sizeof ents / sizeof ents[0]; i++) {
		const struct entity *e = ent_get(ents[i].id);
		assert_non_null(e);
		assert_string_equal(e->name, ents[i].name);
		assert_ptr_equal(ent_by_name(ents[i].name), e);
		assert_int_equal(e->nfields, ents[i].nfields);
	}
}

static void test_fields(void **state)
{
	(void)state;
	int listed[ENT_COUNT] = { 0 };
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		char name[64];
		size_t n = strlen(fields[i].id);
		assert_true(n < sizeof name);
		for (size_t k = 0; k <= n; k++)
			name[k] = (char)tolower((unsigned char)fields[i].id[k]);
		const struct field *f = ent_fld(fields[i].e, fields[i].f);
		assert_non_null(f->name);
		assert_string_equal(f->name, name);
		assert_int_equal(ent_field_index(ent_get(fields[i].e), name), fields[i].f);
		listed[fields[i].e]++;
	}
	/* every field has its identifier in the list above */
	for (int e = 0; e < ENT_COUNT; e++)
		assert_int_equal(listed[e], ent_get((enum ent_id)e)->nfields);
}

/* The macros paste the entity's identifier onto the field's. */
static void test_macros(void **state)
{
	(void)state;
	assert_ptr_equal(ENT(SESSION), ent_by_name("training_session"));
	assert_ptr_equal(FLD(SESSION, START_DATE), ent_field(ENT(SESSION), "start_date"));
	assert_ptr_equal(FLD(EVALUATION, RELEVANCE_COMMENT), ent_field(ENT(EVALUATION), "relevance_comment"));
	assert_ptr_equal(FLD(ENROLMENT, RKEY), ent_rkey(ENT(ENROLMENT)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entities),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_macros),
	};
	return cmocka_run_group_tests(tests, setup_group, NULL);
}
