/* registry.c — see registry.h. */
#include "registry.h"

#include "entity.h"
#include "label.h"
#include "banned.h"

void registry_init(void)
{
	ent_prepare();
	/* the label rules name fields of other entities: all laid out first */
	for (size_t i = 0; i < entities_count; i++)
		label_compile(entities[i]);
	for (size_t i = 0; i < entities_count; i++)
		label_layout(entities[i]);
}
