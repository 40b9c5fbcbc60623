/* lazy_pq.h — libpq's functions as db_pg.c calls them, loaded by
 * lazylib_pq() (lazylib.h): include after <libpq-fe.h>. */
#ifndef SUIVI_LAZY_PQ_H
#define SUIVI_LAZY_PQ_H
#include <libpq-fe.h>

#include "lazylib.h"

#define LAZY_PQ_FUNCS(X)                                                                       \
	X(PQclear) X(PQconnectdbParams) X(PQerrorMessage) X(PQexec) X(PQexecPrepared) X(PQfinish) \
	X(PQgetisnull) X(PQgetvalue) X(PQntuples) X(PQprepare) X(PQreset) X(PQresultErrorField)   \
	X(PQresultErrorMessage) X(PQresultStatus) X(PQsetNoticeProcessor) X(PQstatus)             \
	X(PQtransactionStatus)

#define LAZY_DECLARE(f) extern __typeof__(f) *lazy_##f;
LAZY_PQ_FUNCS(LAZY_DECLARE)

#ifndef LAZYLIB_IMPL
#define PQclear lazy_PQclear
#define PQconnectdbParams lazy_PQconnectdbParams
#define PQerrorMessage lazy_PQerrorMessage
#define PQexec lazy_PQexec
#define PQexecPrepared lazy_PQexecPrepared
#define PQfinish lazy_PQfinish
#define PQgetisnull lazy_PQgetisnull
#define PQgetvalue lazy_PQgetvalue
#define PQntuples lazy_PQntuples
#define PQprepare lazy_PQprepare
#define PQreset lazy_PQreset
#define PQresultErrorField lazy_PQresultErrorField
#define PQresultErrorMessage lazy_PQresultErrorMessage
#define PQresultStatus lazy_PQresultStatus
#define PQsetNoticeProcessor lazy_PQsetNoticeProcessor
#define PQstatus lazy_PQstatus
#define PQtransactionStatus lazy_PQtransactionStatus
#endif

#endif
