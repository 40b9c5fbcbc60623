/* cmd_seal.h — `suivi seal verify FILE [KEY]`: checks an edition's seal
 * (seal.h) offline, without a database. */
#ifndef SUIVI_CMD_SEAL_H
#define SUIVI_CMD_SEAL_H
#include "cli.h"

int cmd_seal(struct opts *o);

#endif
