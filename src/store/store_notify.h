/* store_notify.h — the notifications' tables (migration 18): the outbox,
 * the administrator's settings and the addresses that want no more
 * messages; and the reads the reminders and digests are made from.
 *
 * The outbox keeps what is to be sent, not the message: a template, the
 * records it speaks of (params, JSON), the recipient and its language.
 * The sender (notify.h) composes the message when it sends it, from the
 * records as they are then.  A row is added in the transaction of the
 * change that causes it (store_outbox_add on the thread's connection joins
 * the open transaction), so a change rolled back sends nothing. */
#ifndef SUIVI_STORE_NOTIFY_H
#define SUIVI_STORE_NOTIFY_H
#include <stdbool.h>

#include "err.h"
#include "store.h"

/* One message to send. */
struct outbox_item {
	long long id;
	char kind[16];        /* "mail" */
	char template[32];    /* notify.c's templates: "action_due", "action_late" ... */
	char recipient[256];  /* an e-mail address */
	char lang[4];         /* fr, en, ar */
	char *params;         /* JSON object; owned (store_outbox_due), freed by outbox_item_free */
	long long created_at; /* seconds since the epoch */
	long long tries;
};
void outbox_item_free(struct outbox_item *it);

/* Is a message of this dedupe key queued already (whatever became of it)? */
MUST_CHECK enum app_err store_outbox_queued(struct store *st, const char *dedupe, bool *yes);
/* Queues a message, once for a given dedupe key (NULL: no key): a second
 * row with the same key is not added (*added false).  Joins the thread's
 * open transaction. */
MUST_CHECK enum app_err store_outbox_add(struct store *st, const char *template, const char *recipient,
					 const char *lang, const char *params, const char *dedupe, long long now,
					 bool *added);

typedef enum app_err (*outbox_fn)(void *ctx, struct outbox_item *it);
/* Takes up to limit messages due at now, each claimed until now + lease
 * (another sender, or this one after a crash, takes it again after that),
 * and calls fn for each.  Claimed one at a time: two senders never take
 * the same message. */
MUST_CHECK enum app_err store_outbox_take(struct store *st, long long now, long long lease, int limit,
					  outbox_fn fn, void *ctx);
/* A message delivered. */
MUST_CHECK enum app_err store_outbox_sent(struct store *st, long long id, long long now);
/* A delivery failed: tried again at next_at, or given up (give_up) with error kept. */
MUST_CHECK enum app_err store_outbox_failed(struct store *st, long long id, const char *error, long long next_at,
					    bool give_up, long long now);

struct outbox_counts {
	long long waiting, retrying, sent, given_up;
};
MUST_CHECK enum app_err store_outbox_counts(struct store *st, struct outbox_counts *out);

/* The messages given up, newest first (at most limit), and those waiting
 * after a failure: for the administrators' page and `suivi notify status`. */
struct outbox_problem {
	long long id, created_at, tries, given_up_at, next_at;
	const char *template, *recipient, *last_error; /* the row's, for the call */
};
typedef enum app_err (*outbox_problem_fn)(void *ctx, const struct outbox_problem *p);
MUST_CHECK enum app_err store_outbox_problems(struct store *st, int limit, outbox_problem_fn fn, void *ctx);
/* Sends a given-up message again (tries start over). */
MUST_CHECK enum app_err store_outbox_retry(struct store *st, long long id, long long now, const char *actor);

/* ---- settings: name → integer; those never set are not there ---- */
typedef enum app_err (*setting_fn)(void *ctx, const char *name, long long value);
MUST_CHECK enum app_err store_notify_settings(struct store *st, setting_fn fn, void *ctx);
MUST_CHECK enum app_err store_notify_set(struct store *st, const char *name, long long value, long long before,
					 const char *actor);

/* ---- addresses that asked for no more messages ---- */
/* The kinds of message (notify.h's categories) an address stopped:
 * "" none, "all" every one, else their names separated by spaces. */
#define NOTIFY_STOPPED_TEXT 128
MUST_CHECK enum app_err store_notify_optout(struct store *st, const char *email, char stopped[NOTIFY_STOPPED_TEXT]);
/* Sets them, audited (actor) when they change. */
MUST_CHECK enum app_err store_notify_optout_set(struct store *st, const char *email, const char *stopped,
						const char *actor);

/* ---- what reminders and digests are made from ---- */

/* An open action with a due date on or before `until` (ISO date), and one
 * contact person of its owner with an address: one call per pair. */
struct action_contact {
	long long action, person;
	const char *due_date; /* YYYY-MM-DD */
	const char *email, *lang; /* lang: the person's, or "" */
};
typedef enum app_err (*action_contact_fn)(void *ctx, const struct action_contact *a);
MUST_CHECK enum app_err store_notify_action_contacts(struct store *st, const char *until, action_contact_fn fn,
						     void *ctx);

/* The accounts of a role that have an address and are not disabled. */
struct account_mail {
	long long id, organisation;
	const char *email, *lang, *country; /* lang, country: NULL when none */
};
typedef enum app_err (*account_mail_fn)(void *ctx, const struct account_mail *a);
MUST_CHECK enum app_err store_notify_accounts(struct store *st, const char *role, account_mail_fn fn, void *ctx);

/* The registrations, with an address, for events that begin on `day`. */
struct event_registration {
	long long registration, person, meeting;
	const char *email, *lang, *start_date;
};
typedef enum app_err (*event_registration_fn)(void *ctx, const struct event_registration *r);
MUST_CHECK enum app_err store_notify_event_registrations(struct store *st, const char *day, event_registration_fn fn,
							 void *ctx);

/* A focal point's month: its country, the day the month began (since)
 * and the last day a forum of interest begins (forums_until: forums from
 * since to then ask for its sheets). */
struct country_span {
	const char *country, *since, *forums_until;
};
/* The needs of the country assessed since (the latest first, at most
 * limit listed, all counted; fn NULL: counted only), the enrolments of its
 * participants in sessions that began since, its open actions (those that
 * answer its needs or that its organisations own) and the forum sheets it
 * has still to fill (its programmes its state has not rated). */
struct country_month {
	long long needs, enrolments, actions, sheets;
};
typedef enum app_err (*need_fn)(void *ctx, long long id, const char *theme, long long severity,
				const char *assessed_on);
MUST_CHECK enum app_err store_notify_country_month(struct store *st, const struct country_span *span, enum lang lang,
						   int limit, need_fn fn, void *ctx, struct country_month *out);
/* The forums of the span with sheets the country has still to fill: how many. */
typedef enum app_err (*forum_sheets_fn)(void *ctx, long long meeting, const char *title, const char *start_date,
					long long to_fill);
MUST_CHECK enum app_err store_notify_country_sheets(struct store *st, const struct country_span *span, enum lang lang,
						    forum_sheets_fn fn, void *ctx);
/* A donor's programmes (funded by organisation), with the transactions
 * recorded since `since`; the count of programmes in *n. */
typedef enum app_err (*donor_programme_fn)(void *ctx, long long id, const char *title, const char *status,
					   long long transactions);
MUST_CHECK enum app_err store_notify_donor_programmes(struct store *st, long long organisation, const char *since,
						      enum lang lang, donor_programme_fn fn, void *ctx, long long *n);

/* A country's name in lang, added to out; APP_NOT_FOUND. */
MUST_CHECK enum app_err store_notify_country_name(struct store *st, const char *code, enum lang lang, struct buf *out);

/* How many open actions are late on `today`. */
MUST_CHECK enum app_err store_notify_late_count(struct store *st, const char *today, long long *out);

/* ---- what messages say: the records, in a language ---- */

struct notify_action {
	char title[1024], owner[400], status[16], due_date[11];
	long long percent;
};
/* APP_NOT_FOUND when the action is gone. */
MUST_CHECK enum app_err store_notify_action(struct store *st, long long id, enum lang lang, struct notify_action *out);
/* The open actions late on `today`, longest late first, at most limit. */
typedef enum app_err (*late_action_fn)(void *ctx, long long id, const struct notify_action *a);
MUST_CHECK enum app_err store_notify_late_actions(struct store *st, const char *today, enum lang lang, int limit,
						  late_action_fn fn, void *ctx);
/* The country's open actions, the soonest due first, at most limit. */
MUST_CHECK enum app_err store_notify_country_actions(struct store *st, const char *country, enum lang lang, int limit,
						     late_action_fn fn, void *ctx);

struct notify_person {
	char name[256], email[256], lang[4];
};
MUST_CHECK enum app_err store_notify_person(struct store *st, long long id, struct notify_person *out);
/* A training participant: given names and family name, address, language. */
MUST_CHECK enum app_err store_notify_participant(struct store *st, long long id, struct notify_person *out);

struct notify_meeting {
	char title[400], venue[256], start_date[11], end_date[11], kind[24];
};
MUST_CHECK enum app_err store_notify_meeting(struct store *st, long long id, enum lang lang, struct notify_meeting *out);

/* ---- webhooks ---- */

struct webhook {
	long long id;
	const char *url, *events, *created_at; /* the row's, for the call */
};
typedef enum app_err (*webhook_fn)(void *ctx, const struct webhook *w);
MUST_CHECK enum app_err store_webhooks(struct store *st, webhook_fn fn, void *ctx);
/* Registers a webhook; its secret as sealed_seal wrote it.  Audited. */
MUST_CHECK enum app_err store_webhook_add(struct store *st, const char *url, const char *events,
					  const char *sealed_secret, const char *actor, long long *id);
/* APP_NOT_FOUND when there is none.  Its deliveries not made are given up. */
MUST_CHECK enum app_err store_webhook_delete(struct store *st, long long id, const char *actor);
/* The sealed secret of webhook id (out: owned); APP_NOT_FOUND. */
MUST_CHECK enum app_err store_webhook_secret(struct store *st, long long id, char **out);
/* Queues "action.late" for each open action late on today, to each webhook
 * that wants it, once per action and due date; *queued: how many. */
/* Queues the event "COLLECTION.created" of each record of e numbered first
 * to last (an import's, in its transaction) for each webhook that wants it. */
MUST_CHECK enum app_err store_webhook_created(struct store *st, const struct entity *e, long long first, long long last);
MUST_CHECK enum app_err store_webhook_late(struct store *st, const char *today, long long now, long long *queued);

/* The latest webhook deliveries, newest first. */
struct delivery_row {
	long long id, created_at, sent_at, tries, given_up_at;
	const char *event, *url, *last_error;
};
typedef enum app_err (*delivery_fn)(void *ctx, const struct delivery_row *d);
MUST_CHECK enum app_err store_webhook_deliveries(struct store *st, int limit, delivery_fn fn, void *ctx);

/* ---- progress links: an action's owner reports without an account ---- */

struct progress_link {
	long long id, action, person, created_at, expires_at, revoked_at;
	char email[256];
};
/* Keeps a link (its token's hash) to action for person, valid until
 * expires_at; a link already kept (the same token) stays as it is. */
MUST_CHECK enum app_err store_progress_link_add(struct store *st, const char *token_hash, long long action,
						long long person, const char *email, long long now, long long expires_at);
/* The link of a token's hash, whatever its state; APP_NOT_FOUND. */
MUST_CHECK enum app_err store_progress_link(struct store *st, const char *token_hash, struct progress_link *out);
/* The links still usable at now, newest first (at most limit). */
typedef enum app_err (*progress_link_fn)(void *ctx, const struct progress_link *l, const char *action_title);
MUST_CHECK enum app_err store_progress_links(struct store *st, long long now, enum lang lang, int limit,
					     progress_link_fn fn, void *ctx);
/* Revokes link id (audited); APP_NOT_FOUND when there is none still usable. */
MUST_CHECK enum app_err store_progress_link_revoke(struct store *st, long long id, long long now, const char *actor);

/* Review (review.h): the number of records submitted and waiting for an
 * officer, in every reviewed collection. */
MUST_CHECK enum app_err store_notify_review_waiting(struct store *st, long long *out);
/* A reviewed record of e as its submitter is told of it: its label in
 * lang, its state and the reviewer's comment.  APP_NOT_FOUND. */
struct review_facts {
	struct buf label;
	char state[16], comment[4100];
};
MUST_CHECK enum app_err store_notify_review(struct store *st, const struct entity *e, const char *key, enum lang lang,
					    struct review_facts *out);
/* The address and language of who submitted a reviewed record
 * (submitted_by): an account's name, or "link:ADDRESS" for a progress
 * link's holder (the language of the person with that address).  email ""
 * when there is none to write to. */
MUST_CHECK enum app_err store_notify_submitter(struct store *st, const char *submitted_by, char email[256],
					       char lang[4]);

#endif
