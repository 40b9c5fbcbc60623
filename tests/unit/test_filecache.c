/* test_filecache.c — filecache.c: one build per generation, the stamp, the
 * same content keeping its bytes, ETag and date, a changed one getting new
 * ones, big files, failed builds, no name left in the folder. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "filecache.h"
#include "xalloc.h"

struct fixture {
	char dir[64];
	struct filecache *c;
};

/* What the build writes: `<f when="STAMP">body</f>`, or fails. */
struct content {
	const char *body;
	size_t repeat; /* the body this many times (a big file) */
	int builds;
	enum app_err fail;
};

static enum app_err build(void *ctx, const char *stamp, struct buf *out)
{
	struct content *k = ctx;
	k->builds++;
	if (k->fail)
		return k->fail;
	buf_printf(out, "<f when=\"%s\">", stamp);
	for (size_t i = 0; i < (k->repeat ? k->repeat : 1); i++)
		buf_adds(out, k->body);
	buf_adds(out, "</f>");
	return APP_OK;
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/suivi-filecache-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	char *sub = xasprintf("%s/docs", f->dir); /* made by the cache */
	f->c = filecache_new(sub, 2);
	free(sub);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	filecache_free(f->c);
	char *sub = xasprintf("%s/docs", f->dir);
	rmdir(sub);
	free(sub);
	assert_int_equal(rmdir(f->dir), 0); /* nothing left in it */
	free(f);
	return 0;
}

/* The whole file behind out, closed. */
static char *slurp(struct filecache_file *out)
{
	char *s = xcalloc(1, out->size + 1);
	assert_int_equal(pread(out->fd, s, out->size, 0), (ssize_t)out->size);
	close(out->fd);
	return s;
}

static void test_one_build_per_generation(void **state)
{
	struct fixture *f = *state;
	struct content k = { .body = "hello" };
	struct filecache_file a, b;
	assert_int_equal(filecache_get(f->c, 0, 7, build, &k, &a), APP_OK);
	assert_int_equal(filecache_get(f->c, 0, 7, build, &k, &b), APP_OK);
	assert_int_equal(k.builds, 1);
	char *sa = slurp(&a), *sb = slurp(&b);
	assert_string_equal(sa, sb);
	assert_non_null(strstr(sa, ">hello</f>"));
	assert_null(strstr(sa, FILECACHE_STAMP)); /* the time went there */
	struct tm tm;
	char when[32];
	gmtime_r(&a.modified, &tm);
	strftime(when, sizeof when, "<f when=\"%Y-%m-%dT%H:%M:%SZ\">", &tm);
	assert_true(strncmp(sa, when, strlen(when)) == 0);
	assert_string_equal(a.etag, b.etag);
	assert_true(strncmp(a.etag, "W/\"", 3) == 0);
	free(sa);
	free(sb);
	/* the other slot is another file */
	struct content other = { .body = "other" };
	assert_int_equal(filecache_get(f->c, 1, 7, build, &other, &b), APP_OK);
	assert_string_not_equal(a.etag, b.etag);
	close(b.fd);
}

static void test_same_content_keeps_bytes_and_date(void **state)
{
	struct fixture *f = *state;
	struct content k = { .body = "same" };
	struct filecache_file a, b;
	assert_int_equal(filecache_get(f->c, 0, 1, build, &k, &a), APP_OK);
	sleep(1); /* (a second later: a new file would have a new date) */
	assert_int_equal(filecache_get(f->c, 0, 2, build, &k, &b), APP_OK);
	assert_int_equal(k.builds, 2); /* the generation moved: built again ... */
	assert_string_equal(a.etag, b.etag); /* ... to the same content: kept */
	assert_true(a.modified == b.modified);
	char *sa = slurp(&a), *sb = slurp(&b);
	assert_string_equal(sa, sb);
	free(sa);
	free(sb);
}

static void test_changed_content(void **state)
{
	struct fixture *f = *state;
	struct content k = { .body = "before" };
	struct filecache_file a, b;
	assert_int_equal(filecache_get(f->c, 0, 1, build, &k, &a), APP_OK);
	k.body = "after";
	assert_int_equal(filecache_get(f->c, 0, 2, build, &k, &b), APP_OK);
	assert_string_not_equal(a.etag, b.etag);
	char *sa = slurp(&a), *sb = slurp(&b); /* the first descriptor still reads the old bytes */
	assert_non_null(strstr(sa, ">before</f>"));
	assert_non_null(strstr(sb, ">after</f>"));
	free(sa);
	free(sb);
}

static void test_big_file(void **state)
{
	struct fixture *f = *state;
	struct content k = { .body = "0123456789abcdef", .repeat = 2 * 1024 * 1024 }; /* 32 MiB */
	struct filecache_file a;
	assert_int_equal(filecache_get(f->c, 0, 1, build, &k, &a), APP_OK);
	assert_int_equal(a.size, 16ULL * 2 * 1024 * 1024 + strlen("<f when=\"" FILECACHE_STAMP "\"></f>"));
	struct stat st;
	assert_int_equal(fstat(a.fd, &st), 0);
	assert_int_equal((unsigned long long)st.st_size, a.size);
	close(a.fd);
}

static void test_failed_build(void **state)
{
	struct fixture *f = *state;
	struct content k = { .fail = APP_UNAVAILABLE };
	struct filecache_file a;
	assert_int_equal(filecache_get(f->c, 0, 1, build, &k, &a), APP_UNAVAILABLE);
	k.fail = APP_OK;
	k.body = "back";
	assert_int_equal(filecache_get(f->c, 0, 1, build, &k, &a), APP_OK); /* tried again */
	assert_int_equal(k.builds, 2);
	close(a.fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_build_per_generation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_content_keeps_bytes_and_date, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_content, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_build, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
