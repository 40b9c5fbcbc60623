/* test_entity.c — entity.c's ent_partial: who sees only some rows of an
 * entity, through its own scope and through its parents (F_PARENT), on the
 * registry and on a small registry of its own that has what the real one
 * lacks (a parent scoped by country, a parent of a parent, a parent some
 * role may not read). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "entity.h"
#include "registry.h"

static int setup_group(void **state)
{
	(void)state;
	registry_init();
	return 0;
}

static void test_registry(void **state)
{
	(void)state;
	const struct entity *doc = ent_by_name("document"), *meeting = ent_by_name("meeting");
	/* documents: a donor through programmes (donor_scope); nobody else */
	assert_true(ent_partial(doc, ROLE_DONOR));
	assert_false(ent_partial(doc, ROLE_FOCAL));
	assert_false(ent_partial(doc, ROLE_ADMIN));
	assert_false(ent_partial(doc, ROLE_OFFICER));
	assert_true(ent_partial(doc, ROLE_PUBLIC)); /* (it may read no parent) */
	assert_false(ent_partial(meeting, ROLE_DONOR));
	assert_true(ent_partial(ent_by_name("need"), ROLE_FOCAL));
	assert_true(ent_partial(ent_by_name("indicator"), ROLE_DONOR));
	assert_false(ent_partial(ent_by_name("indicator"), ROLE_FOCAL));
}

/* place (scoped by country) ← visit (its parent) ← photo (visit's child);
 * secret (staff only) ← note. */
static struct field place_fields[] = {
	{ .name = "id", .type = FT_ID },
	{ .name = "country", .type = FT_TEXT },
};
static struct entity place = {
	.name = "place", .fields = place_fields, .nfields = 2, .read = R_USERS, .scope = "country",
};
static struct field visit_fields[] = {
	{ .name = "id", .type = FT_ID },
	{ .name = "place", .type = FT_REF, .flags = F_PARENT, .target = &place },
};
static struct entity visit = { .name = "visit", .fields = visit_fields, .nfields = 2, .read = R_USERS };
static struct field photo_fields[] = {
	{ .name = "id", .type = FT_ID },
	{ .name = "visit", .type = FT_REF, .flags = F_PARENT, .target = &visit },
	{ .name = "place", .type = FT_REF, .target = &place }, /* a reference, not a parent */
};
static struct entity photo = { .name = "photo", .fields = photo_fields, .nfields = 3, .read = R_USERS };
static struct field secret_fields[] = { { .name = "id", .type = FT_ID } };
static struct entity secret = { .name = "secret", .fields = secret_fields, .nfields = 1, .read = R_STAFF };
static struct field note_fields[] = {
	{ .name = "id", .type = FT_ID },
	{ .name = "secret", .type = FT_REF, .flags = F_PARENT, .target = &secret },
};
static struct entity note = { .name = "note", .fields = note_fields, .nfields = 2, .read = R_USERS };
static struct field loose_fields[] = {
	{ .name = "id", .type = FT_ID },
	{ .name = "place", .type = FT_REF, .target = &place },
};
static struct entity loose = { .name = "loose", .fields = loose_fields, .nfields = 2, .read = R_USERS };

static void test_parents(void **state)
{
	(void)state;
	/* a focal point of another country sees a place's visits, and their
	 * photos, only where it sees the place */
	assert_true(ent_partial(&visit, ROLE_FOCAL));
	assert_true(ent_partial(&photo, ROLE_FOCAL));
	assert_false(ent_partial(&visit, ROLE_DONOR));
	assert_false(ent_partial(&photo, ROLE_OFFICER));
	/* a mere reference is no parent */
	assert_false(ent_partial(&loose, ROLE_FOCAL));
	/* a parent the role may not read at all */
	assert_true(ent_partial(&note, ROLE_FOCAL));
	assert_true(ent_partial(&note, ROLE_DONOR));
	assert_false(ent_partial(&note, ROLE_ADMIN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_parents),
	};
	return cmocka_run_group_tests(tests, setup_group, NULL);
}
