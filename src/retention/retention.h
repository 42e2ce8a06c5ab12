/*-------------------------------------------------------------------------
 *
 * retention.h
 *	  What the retention family's files share: periods (calendar or
 *	  rolling, period.c) and the activity summary (retention.c); cohort.c
 *	  and churn.c (MRR) use them.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CRM_KPI_RETENTION_H
#define CRM_KPI_RETENTION_H

#include "crm_kpi.h"

#include "datatype/timestamp.h"
#include "lib/stringinfo.h"

/* Kinds of period.  Stored on disk: never renumber. */
#define RETENTION_DAY		1	/* calendar day in the session time zone */
#define RETENTION_WEEK		2	/* ISO week (Monday to Sunday) */
#define RETENTION_MONTH		3	/* calendar month */
#define RETENTION_ROLLING	4	/* fixed length from each entity's start */

#define RETENTION_MAX_PERIODS 1024

typedef struct RetentionPeriod
{
	int			unit;			/* RETENTION_DAY .. RETENTION_ROLLING */
	int64		length;			/* rolling: microseconds; calendar: 0 */
} RetentionPeriod;

extern RetentionPeriod RetentionPeriodFromArgs(const Interval *period,
											   const char *alignment);
extern int32 RetentionCheckPeriods(int32 periods);
extern void RetentionCheckFinite(TimestampTz t);
extern bool RetentionIndexValid(int unit, int64 index);
extern int64 RetentionOrigin(const RetentionPeriod *p, TimestampTz start);
extern int64 RetentionIndex(const RetentionPeriod *p, int64 origin, TimestampTz t);
extern bool RetentionTryPeriodStart(const RetentionPeriod *p, int64 origin,
									int64 k, TimestampTz *result);
extern TimestampTz RetentionPeriodStart(const RetentionPeriod *p, int64 origin,
										int64 k);
extern char *RetentionTimestampText(TimestampTz t);
extern bool RetentionSamePeriod(const RetentionPeriod *a, const RetentionPeriod *b);
extern const char *RetentionPeriodName(const RetentionPeriod *p);
extern void RetentionAppendPeriod(StringInfo buf, const RetentionPeriod *p);
extern bool RetentionScanPeriod(KpiScanner *scan, RetentionPeriod *p);
extern void RetentionSendPeriod(StringInfo buf, const RetentionPeriod *p);
extern const char *RetentionRecvPeriod(StringInfo buf, RetentionPeriod *p);

/*
 * activity_summary: one entity's active periods (retention.c)
 */
typedef struct ActivitySummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* ACTIVITY_FORMAT_VERSION */
	uint8		unit;			/* RETENTION_DAY .. RETENTION_ROLLING */
	uint8		reserved[2];	/* zero */
	int32		periods;		/* N */
	int64		length;			/* rolling period length, microseconds */
	int64		start;			/* cohort start (timestamptz) */
	int64		origin;			/* calendar index of start's period; rolling: start */
	uint64		bits[FLEXIBLE_ARRAY_MEMBER];	/* bit k: active in period k;
												 * bit N: active after period
												 * N - 1 */
} ActivitySummary;

#define BITMAP_WORDS(n)		(((n) + 64) / 64)	/* n + 1 bits */
#define ACTIVITY_SIZE(n)	(offsetof(ActivitySummary, bits) + sizeof(uint64) * BITMAP_WORDS(n))
#define BIT_IS_SET(bits, k)	(((bits)[(k) / 64] >> ((k) % 64)) & 1)
#define BIT_SET(bits, k)	((bits)[(k) / 64] |= UINT64CONST(1) << ((k) % 64))

extern RetentionPeriod ActivityPeriod(const ActivitySummary *a);
extern ActivitySummary *ActivityGetArg(FunctionCallInfo fcinfo, int argno);
extern void ActivityMark(uint64 *bits, const RetentionPeriod *p, int32 periods,
						 int64 start, int64 origin, TimestampTz t);

/* Argument helpers */
extern bool RetentionTextIs(const text *t, const char *word);
extern RetentionPeriod RetentionPeriodArgs(FunctionCallInfo fcinfo, int argno,
										   int alignment_argno, int32 *periods);

#endif							/* CRM_KPI_RETENTION_H */
