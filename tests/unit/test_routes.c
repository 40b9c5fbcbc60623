/* test_routes.c — the route table (routes.c): what a method and path match
 * (the most specific row, its parameters and collection; 405 with the
 * methods there are; 404), the body limits, and rules every row keeps: a
 * write needs the CSRF token unless it is the sign-in form, no two rows
 * answer the same method on the same path, every API row is documented. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "api.h"
#include "dashboard.h"
#include "docs.h"
#include "entity.h"
#include "home.h"
#include "needs.h"
#include "registry.h"
#include "report.h"
#include "routes.h"
#include "web.h"

static int setup_group(void **state)
{
	(void)state;
	registry_init();
	return 0;
}

static const char *param(const struct route_match *m, const char *name)
{
	for (int i = 0; i < m->nparams; i++)
		if (strcmp(m->params[i].name, name) == 0)
			return m->params[i].value;
	return NULL;
}

/* The row of method and path must be handler's (NULL: none). */
static void expect(const char *method, const char *path, route_fn *handler, struct route_match *m)
{
	routes_match(method, path, m);
	if (handler) {
		assert_non_null(m->route);
		assert_ptr_equal(m->route->handler, handler);
	} else {
		assert_null(m->route);
	}
}

static void test_match(void **state)
{
	(void)state;
	struct route_match m;
	expect("GET", "/api/v1/actions", api_list, &m);
	assert_ptr_equal(m.entity, ent_by_name("action"));
	route_match_release(&m);
	expect("HEAD", "/api/v1/actions.csv", api_csv, &m); /* HEAD is a GET */
	assert_ptr_equal(m.entity, ent_by_name("action"));
	route_match_release(&m);
	expect("PATCH", "/api/v1/countries/MA", api_update, &m);
	assert_string_equal(param(&m, "key"), "MA");
	route_match_release(&m);
	/* a literal segment wins over a parameter, whatever the order of rows */
	expect("POST", "/api/v1/documents", docs_upload_api, &m);
	route_match_release(&m);
	expect("GET", "/api/v1/documents", api_list, &m);
	route_match_release(&m);
	/* a route whose first segment names a collection is that collection's */
	expect("POST", "/documents/new", docs_upload_page, &m);
	assert_ptr_equal(m.entity, ent_by_name("document"));
	route_match_release(&m);
	expect("GET", "/meetings/3/report", report_page, &m);
	assert_ptr_equal(m.entity, ent_by_name("meeting"));
	assert_string_equal(param(&m, "id"), "3");
	route_match_release(&m);
	expect("GET", "/training", dashboard_training_page, &m);
	assert_null(m.entity);
	route_match_release(&m);
	expect("GET", "/needs/matrix", needs_matrix_page, &m);
	route_match_release(&m);
	expect("GET", "/needs/7", web_detail, &m);
	assert_string_equal(param(&m, "key"), "7");
	route_match_release(&m);
	expect("GET", "/needs/country/MA", needs_country_page, &m);
	assert_string_equal(param(&m, "code"), "MA");
	route_match_release(&m);
	expect("GET", "/training/country.csv", dashboard_figure_csv, &m); /* a parameter with a suffix */
	assert_string_equal(param(&m, "figure"), "country");
	route_match_release(&m);
	expect("GET", "/", home_page, &m);
	route_match_release(&m);
}

static void test_no_route(void **state)
{
	(void)state;
	struct route_match m;
	/* a path some row has, another method: 405 with the methods there are */
	expect("PUT", "/api/v1/actions/1", NULL, &m);
	assert_true(m.known);
	assert_int_equal(m.allow, RM_GET | RM_PATCH | RM_DELETE);
	route_match_release(&m);
	/* "import" is no key of needs: only the import is there */
	expect("GET", "/api/v1/needs/import", NULL, &m);
	assert_int_equal(m.allow, RM_POST);
	route_match_release(&m);
	/* the audit trail is read-only: no write route, no /new */
	expect("POST", "/api/v1/audit", NULL, &m);
	assert_int_equal(m.allow, RM_GET);
	route_match_release(&m);
	expect("GET", "/audit/new", NULL, &m);
	assert_true(m.known);
	assert_int_equal(m.allow, 0);
	assert_ptr_equal(m.entity, ent_by_name("audit")); /* whose readers may learn that */
	route_match_release(&m);
	/* no such collection, key or shape: 404 */
	const char *const unknown[] = {
		"/api/v1/nosuch", "/api/v1/actions/abc", "/api/v1/actions/", "/api/v1/actions.csv/1",
		"/api/v1/actions/1/x", "/nosuch/page", "/meetings/x/report", "/api/v2/actions", "",
	};
	for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++) {
		expect("GET", unknown[i], NULL, &m);
		assert_false(m.known);
		route_match_release(&m);
	}
	/* public: whether anyone may learn that a path is there */
	routes_match("POST", "/login", &m);
	assert_true(m.public_path);
	route_match_release(&m);
	routes_match("PUT", "/meetings", &m);
	assert_true(m.known);
	assert_false(m.public_path);
	route_match_release(&m);
}

static void test_body_limits(void **state)
{
	(void)state;
	struct route_match m;
	routes_match("POST", "/api/v1/participants/import", &m);
	assert_int_equal(routes_body_max(&m, true), IMPORT_BODY_MAX);
	assert_int_equal(routes_body_max(&m, false), ANON_BODY_MAX);
	route_match_release(&m);
	routes_match("POST", "/documents/upload", &m);
	assert_int_equal(routes_body_max(&m, true), UPLOAD_BODY_MAX);
	route_match_release(&m);
	routes_match("POST", "/api/v1/actions", &m);
	assert_int_equal(routes_body_max(&m, true), BODY_MAX);
	route_match_release(&m);
	routes_match("POST", "/nosuch", &m);
	assert_int_equal(routes_body_max(&m, true), BODY_MAX);
	route_match_release(&m);
	routes_match("POST", "/login", &m);
	assert_true(routes_hashes(&m));
	route_match_release(&m);
}

/* The pattern with every parameter's name blanked ("/a/{}/b"). */
static void shape(const char *pattern, char *out, size_t n)
{
	size_t o = 0;
	for (const char *p = pattern; *p && o + 1 < n; p++) {
		out[o++] = *p;
		if (*p == '{')
			p = strchr(p, '}') - 1;
	}
	out[o] = '\0';
}

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *r = &routes[i];
		assert_true(r->pattern[0] == '/');
		assert_non_null(r->handler);
		assert_true(r->methods != 0);
		/* every write needs the CSRF token but those of the forms that come
		 * before any session: the sign-in, a password reset link's (whose
		 * link is the proof; both check the Origin), and a message's link
		 * that stops them (signed; mail programs post it without a page,
		 * RFC 8058), a reminder's progress link (its token is the proof) */
		if (r->flags & R_NO_CSRF)
			assert_true(strcmp(r->pattern, "/login") == 0 || strcmp(r->pattern, "/reset/{token}") == 0 ||
				    strcmp(r->pattern, "/notifications/stop") == 0 ||
				    strcmp(r->pattern, "/progress/{token}") == 0);
		/* a write of a body says what it takes */
		if (r->methods & (RM_POST | RM_PATCH))
			assert_int_not_equal(r->accepts, RB_NONE);
		/* an API route is in the OpenAPI document (/api/v1 is /api/v1/) */
		if (strncmp(r->pattern, "/api/v1/", 8) == 0)
			assert_true(r->summary || r->doc);
		/* no other row answers the same method on a path of the same shape */
		char a[128], b[128];
		shape(r->pattern, a, sizeof a);
		for (size_t k = i + 1; k < routes_count; k++) {
			shape(routes[k].pattern, b, sizeof b);
			if (strcmp(a, b) == 0 && (r->methods & routes[k].methods))
				fail_msg("%s and %s answer the same method", r->pattern, routes[k].pattern);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_no_route),
		cmocka_unit_test(test_body_limits),
		cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, setup_group, NULL);
}
