/* hooks.c — see hooks.h. */
#define _POSIX_C_SOURCE 200809L
#include "hooks.h"

#include "domain.h"
#include "names.h"
#include "notify.h"
#include "record.h"
#include "store.h"
#include "store_training.h"
#include "store_tsum.h"
#include "util.h"
#include "banned.h"

static enum app_err enrolment_before(struct store *st, struct write *w)
{
	enum app_err rc = store_training_certificate_before(st, w);
	return rc ? rc : store_tsum_enrolment_before(st, w);
}

static enum app_err enrolment_after_batch(struct store *st, const struct entity *e, long long since)
{
	(void)e;
	enum app_err rc = store_tsum_refresh(st, since);
	return rc ? rc : store_training_certificate_assign_since(st, since, NULL);
}

/* An enrolment just completed (made so, or changed to it): its
 * certificate queued to the participant in the same transaction. */
static enum app_err certificate_after(struct store *st, struct write *w)
{
	long long id, participant;
	const struct record *r = w->after;
	bool completed_now = r && rec_int_or(r, ENROLMENT_COMPLETED, 0) && rec_text(r, ENROLMENT_CERTIFICATE) &&
			     (w->op == WRITE_CREATE || (w->changed && w->changed[ENROLMENT_COMPLETED]));
	if (!completed_now || !util_parse_ll(buf_cstr(&w->key), &id) ||
	    !util_parse_ll(rec_text(r, ENROLMENT_PARTICIPANT), &participant))
		return APP_OK;
	return notify_certificate(st, id, participant);
}

static enum app_err enrolment_after(struct store *st, struct write *w)
{
	enum app_err rc = store_tsum_enrolment_after(st, w);
	return rc ? rc : certificate_after(st, w);
}

const struct ent_hooks hooks_enrolment = {
	.before = enrolment_before, .after = enrolment_after, .after_batch = enrolment_after_batch,
	.ddl = store_tsum_ddl, .migrated = store_tsum_migrated,
};
const struct ent_hooks hooks_participant = { .before = store_tsum_participant_before, .after = store_tsum_participant_after };
const struct ent_hooks hooks_session = { .before = store_tsum_session_before, .after = store_tsum_session_after };
const struct ent_hooks hooks_course = { .before = store_tsum_course_before, .after = store_tsum_course_after };
const struct ent_hooks hooks_propagate = { .after = dom_propagate };

/* A registration made: its confirmation queued in the same transaction. */
static enum app_err registration_after(struct store *st, struct write *w)
{
	long long id, person, meeting; /* references are kept as text */
	if (w->op != WRITE_CREATE || !util_parse_ll(buf_cstr(&w->key), &id) ||
	    !util_parse_ll(rec_text(w->after, REGISTRATION_PERSON), &person) ||
	    !util_parse_ll(rec_text(w->after, REGISTRATION_MEETING), &meeting))
		return APP_OK;
	return notify_registration(st, id, person, meeting);
}

const struct ent_hooks hooks_registration = { .after = registration_after };

static void match_key(const struct record *r, struct buf *out)
{
	names_match_key(out, rec_text(r, PARTICIPANT_FAMILY_NAME), rec_text(r, PARTICIPANT_GIVEN_NAMES),
			rec_text(r, PARTICIPANT_COUNTRY));
}

static const char *const match_key_from[] = { "family_name", "given_names", "country", NULL };

const struct derived derived_participant[] = {
	{ .column = "match_key", .from = match_key_from, .value = match_key },
	{ 0 },
};
