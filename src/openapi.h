/* openapi.h — the OpenAPI 3.1 document of the API, from the registry. */
#ifndef SUIVI_OPENAPI_H
#define SUIVI_OPENAPI_H
#include "buf.h"

void openapi_write(struct buf *out);

#endif
