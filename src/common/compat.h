/*-------------------------------------------------------------------------
 *
 * compat.h
 *	  Every PG_VERSION_NUM shim of crm_kpi, in one place.
 *
 * crm_kpi builds on PostgreSQL 13 to 18 (test/matrix tests 13, 15, 17 and 18).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CRM_KPI_COMPAT_H
#define CRM_KPI_COMPAT_H

#if PG_VERSION_NUM < 130000
#error "crm_kpi needs PostgreSQL 13 or later"
#endif

#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * Report malformed type input.  From PostgreSQL 16 on, input functions report
 * "soft" errors through fcinfo->context, so that pg_input_is_valid() and
 * COPY ... ON_ERROR can test a literal without an exception; before 16 there
 * is only ereport().  Use as the last statement on an input function's error
 * path: it returns (Datum) 0 when the error is soft.
 */
#if PG_VERSION_NUM >= 160000
#define CRM_INPUT_ERROR(fcinfo, ...) \
	ereturn((fcinfo)->context, (Datum) 0, __VA_ARGS__)
#else
#define CRM_INPUT_ERROR(fcinfo, ...) \
	do { ereport(ERROR, __VA_ARGS__); return (Datum) 0; } while (0)
#endif

/*
 * numeric has infinities from PostgreSQL 14 on; before, no numeric is
 * infinite and "Infinity" is not a numeric literal.
 */
#if PG_VERSION_NUM >= 140000
#define CRM_NUMERIC_INFINITY true
#else
#define CRM_NUMERIC_INFINITY false
#define numeric_is_inf(num) ((void) (num), false)
#endif

/*
 * interval has infinities from PostgreSQL 17 on (INTERVAL_NOT_FINITE, in
 * datatype/timestamp.h, which the caller includes); before, none is.
 */
#if PG_VERSION_NUM >= 170000
#define CRM_INTERVAL_NOT_FINITE(i) INTERVAL_NOT_FINITE(i)
#else
#define CRM_INTERVAL_NOT_FINITE(i) ((void) (i), false)
#endif

#endif							/* CRM_KPI_COMPAT_H */
