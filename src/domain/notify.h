/* notify.h — the messages suivi sends to chase the follow-up.
 *
 * What causes a message adds a row to the outbox (store_notify.h) in its
 * own transaction: a registration its confirmation (with a calendar
 * invitation), the scheduler (notify_schedule) the reminders of the
 * actions due soon or late and the officers' weekly digest of the late
 * ones, each once (a key per action, person and week).  The sender
 * (notify_deliver: a thread of `suivi serve`, and `suivi notify run` for a
 * timer) composes each message in its recipient's language when it sends
 * it, hands it to the SMTP relay, and on failure tries again later, each
 * wait twice the last, until the administrator's number of tries. */
#ifndef SUIVI_NOTIFY_H
#define SUIVI_NOTIFY_H
#include <stdbool.h>

#include "buf.h"
#include "err.h"

struct store;
struct entity;

struct notify_config {
	const char *smtp;       /* the relay, smtp[s]://[user:password@]host[:port] (smtp.h) */
	const char *from;       /* the From address */
	const char *public_url; /* where the messages' links point, without a final '/' */
	const char *key_file;   /* signs the links that stop messages (sealed.h) */
	/* Writes an enrolment's certificate as PDF into out, its verification
	 * address under origin (certificate_pdf.h); NULL: certificates are
	 * not sent. */
	enum app_err (*certificate_pdf)(void *ctx, const char *origin, long long enrolment, struct buf *out);
	void *certificate_ctx;
};

/* Checks a configuration given on the command line: NULL when good, else
 * what is wrong (for the person who typed it). */
const char *notify_config_problem(const struct notify_config *cfg);

/* What administrators set on /notifications, with their defaults. */
struct notify_settings {
	bool reminders;      /* actions' reminders to their owner's contact persons */
	long long due_days;  /* the first, this many days before the due date (1–90; 7) */
	bool digests;        /* the officers' weekly digest of late actions */
	bool confirmations;  /* registrations' confirmations with their invitation */
	bool certificates;   /* a completed enrolment's certificate to its participant */
	long long max_tries; /* deliveries tried before a message is given up (1–20; 8) */
};
MUST_CHECK enum app_err notify_settings_read(struct store *st, struct notify_settings *out);
/* Writes the settings that changed, each audited.  APP_INVALID when a
 * number is out of its range. */
MUST_CHECK enum app_err notify_settings_write(struct store *st, const struct notify_settings *s, const char *actor);

/* Queues the reminders and digests due at now, each once; *queued: how many. */
MUST_CHECK enum app_err notify_schedule(struct store *st, long long now, long long *queued);

struct notify_outcome {
	long long sent, failed, given_up;
};
/* Delivers every message due at now, in rounds of a few dozen. */
MUST_CHECK enum app_err notify_deliver(struct store *st, const struct notify_config *cfg, long long now,
				       struct notify_outcome *out);

/* Queues the confirmation of a registration just made (the write's
 * transaction), when confirmations are on and the person has an address. */
MUST_CHECK enum app_err notify_registration(struct store *st, long long registration, long long person,
					    long long meeting);

/* Queues the certificate of an enrolment just completed (the write's
 * transaction) to its participant, once, when certificates are on and the
 * participant has an address. */
MUST_CHECK enum app_err notify_certificate(struct store *st, long long enrolment, long long participant);

/* Review (review.h): queues, once a day, to each officer and
 * administrator with an address, the word that entries wait for review
 * (composed when sent: nothing is sent when none waits any more). */
MUST_CHECK enum app_err notify_review_waiting(struct store *st);
/* Queues to the submitter of record key of e (an account's name, or
 * "link:ADDRESS" for a progress link's holder) that it was returned, with
 * the comment; once per submission (submitted_at). */
MUST_CHECK enum app_err notify_review_returned(struct store *st, const struct entity *e, const char *key,
					       const char *submitted_by, const char *submitted_at);

/* The kinds of message a recipient can stop each on its own (the page
 * of the link in every message), in the order shown: their names
 * (reminders, summaries, events, certificates, reviews) and what each is
 * to the person who receives it (a msgid). */
#define NOTIFY_CATEGORIES 5
struct notify_category {
	const char *name, *label;
};
extern const struct notify_category notify_categories[NOTIFY_CATEGORIES];
/* Does stopped (store_notify_optout's) stop the category? */
bool notify_stopped(const char *stopped, const char *category);

/* The address of the page that stops messages to `address`, signed. */
MUST_CHECK enum app_err notify_stop_link(const struct notify_config *cfg, const char *address, struct buf *out);
/* Is mac the signature of a stop link for address? */
bool notify_stop_valid(const char *key_file, const char *address, const char *mac);

/* The sender of `suivi serve`: a thread that schedules and delivers every
 * minute, and soon after notify_wake. */
struct notify_sender;
struct notify_sender *notify_sender_start(struct store *st, const struct notify_config *cfg);
void notify_sender_stop(struct notify_sender *s);
/* A message was queued: the running sender (if any) delivers it soon. */
void notify_wake(void);

#endif
