/* registry.h — readying the registry (entity.h, label.h) for use.
 *
 * The entities are laid out and checked by entity.c, their label rules
 * compiled by label.c, which reads the laid-out entities: this file calls
 * the two in that order, so that entity.c needs nothing of label.c. */
#ifndef SUIVI_REGISTRY_H
#define SUIVI_REGISTRY_H

/* Lays out every entity, compiles and lays out its label rule; aborts on
 * an inconsistent registry (a programming error).  Call once, before
 * anything else reads the registry. */
void registry_init(void);

#endif
