/*-------------------------------------------------------------------------
 *
 * crm_kpi.h
 *	  Helpers shared by the KPI families of crm_kpi.
 *
 * Statistics (normal and Student t quantiles, Wilson intervals), the record
 * builder used by the interval accessors, and the scanner that parses the
 * text form of crm_kpi's summary types.  They live in crm_kpi.c.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CRM_KPI_H
#define CRM_KPI_H

#include "postgres.h"
#include "fmgr.h"

#include "compat.h"

/* Statistics */
extern double KpiConfidenceZ(double level);
extern double KpiNormalQuantile(double p);
extern double KpiNormalTwoSidedP(double z);
extern double KpiStudentTQuantile(double p, double df);
extern void KpiWilsonInterval(int64 successes, int64 trials, double z,
							  double *lower, double *upper);

/* Result of a function declared with OUT double precision parameters */
extern Datum KpiFloat8Record(FunctionCallInfo fcinfo, const double *values,
							 const bool *nulls, int natts);

/*
 * Scanner for the text form of summary types: JSON-shaped literals such as
 * {"version":1,"scale":[0,10],"counts":[...]}.  Each function skips leading
 * white space and returns false, without consuming, when the input does not
 * match.
 */
typedef struct KpiScanner
{
	const char *pos;
} KpiScanner;

extern bool KpiScanToken(KpiScanner *scan, const char *token);
extern bool KpiScanInt64(KpiScanner *scan, int64 *result);
extern bool KpiScanEnd(KpiScanner *scan);

#endif							/* CRM_KPI_H */
