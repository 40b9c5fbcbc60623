/* fuzz_board.c — libFuzzer target: the input as a query string through
 * args_parse_form and board_filter_parse (strict, as the API, and lenient,
 * as the pages), checking what a parse that succeeds promises. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "domain.h"
#include "entity.h"
#include "http.h"
#include "i18n.h"
#include "registry.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	registry_init();
	i18n_init();
	return 0;
}

static void parse(const struct args *a, bool strict)
{
	struct store_followup_filter f;
	long long limit, offset;
	char *msg = NULL;
	enum app_err rc = board_filter_parse(a, strict, &f, &limit, &offset, &msg);
	if (rc == APP_OK) {
		if (msg || limit < 0 || limit > LIST_LIMIT_MAX || offset < 0 || f.meeting < 0 ||
		    f.outcome < 0 || f.owner < 0 || f.late < -1 || f.late > 1 ||
		    (f.due_after && !util_valid_date(f.due_after)) ||
		    (f.due_before && !util_valid_date(f.due_before)) ||
		    (f.status && strcmp(f.status, "planned") && strcmp(f.status, "in_progress") &&
		     strcmp(f.status, "done") && strcmp(f.status, "dropped")))
			abort();
	} else if (rc != APP_BAD_QUERY || !msg) {
		abort();
	}
	free(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct args a = { 0 };
	args_parse_form(&a, (const char *)data, size);
	parse(&a, true);
	parse(&a, false);
	args_release(&a);
	return 0;
}
