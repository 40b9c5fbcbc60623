/* hooks.h — the registry's hooks (entity.h: struct ent_hooks): what an
 * entity's writes do besides writing its row, in the same transaction.
 * They used to be wired into the store by entity name; here each entity
 * names its own (model.c), and the store calls them without knowing whose
 * they are. */
#ifndef SUIVI_HOOKS_H
#define SUIVI_HOOKS_H
#include "entity.h"

/* Enrolments: the training summaries (store_tsum.h) before and after each
 * write, a certificate number for a completed one (store_training.h); after
 * a batch (an import), the summaries of its participants and the numbers
 * of its completed enrolments; the summaries' tables in the migrations. */
extern const struct ent_hooks hooks_enrolment;
/* Participants, training sessions and courses: the summaries of the
 * enrolments a change of theirs moves (a participant's country, a
 * session's date, a course's theme). */
extern const struct ent_hooks hooks_participant;
extern const struct ent_hooks hooks_session;
extern const struct ent_hooks hooks_course;
/* An entity that declares `propagate` (a progress update's percentage
 * becomes its action's): domain.c's dom_propagate after each write. */
extern const struct ent_hooks hooks_propagate;
/* Registrations: the confirmation with its invitation (notify.h). */
extern const struct ent_hooks hooks_registration;

/* The participants' match key (names.h), a derived column (entity.h). */
extern const struct derived derived_participant[];

#endif
