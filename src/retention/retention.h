/*-------------------------------------------------------------------------
 *
 * retention.h
 *	  What the retention family's files share: periods (calendar or
 *	  rolling, period.c), the activity summary (retention.c), the MRR
 *	  summary (churn.c) and the counts of cohorts (cohort.c); cohort_activity.c,
 *	  churn.c and customer_mrr.c use them.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CRM_KPI_RETENTION_H
#define CRM_KPI_RETENTION_H

#include "crm_kpi.h"

#include "datatype/timestamp.h"
#include "lib/stringinfo.h"
#include "pgtime.h"

/* Kinds of period.  Stored on disk: never renumber. */
#define RETENTION_DAY		1	/* calendar day in the period's time zone */
#define RETENTION_WEEK		2	/* ISO week (Monday to Sunday) */
#define RETENTION_MONTH		3	/* calendar month */
#define RETENTION_ROLLING	4	/* fixed length from each entity's start */

#define RETENTION_MAX_PERIODS 1024

/* Microseconds from the Unix epoch to PostgreSQL's (2000-01-01) */
#define UNIX_TO_PG_USECS \
	((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY)

/*
 * The latest cohort start (or as_of) a summary holds: the text forms write
 * timestamps in Unix microseconds, a bigint, which ends 294247-01-10
 * 04:00:54.775807 UTC, before the last valid timestamp.  Every producer and
 * the input functions keep to this range, so every value reads back.
 */
#define ACTIVITY_MAX_START	(PG_INT64_MAX - UNIX_TO_PG_USECS)

/* How retention_curve() counts an entity in period k */
#define MODE_ON				0	/* active in k */
#define MODE_ON_OR_AFTER	1	/* active in k or later */

/*
 * A period.  Calendar periods are counted in a time zone, which summaries
 * record by name (a summary's zone_len bytes at its end).  tz is NULL for
 * rolling periods, and for the calendar summaries of 1.1.0, which did not
 * record it: those are read in the session time zone, as 1.1.0 did.
 */
typedef struct RetentionPeriod
{
	int			unit;			/* RETENTION_DAY .. RETENTION_ROLLING */
	int64		length;			/* rolling: microseconds; calendar: 0 */
	pg_tz *tz;
} RetentionPeriod;

/* The recorded zone name at the end of a summary with a zone_len field */
#define RETENTION_ZONE(s)	((const char *) (s) + VARSIZE(s) - (s)->zone_len)

extern RetentionPeriod RetentionPeriodFromArgs(const Interval *period,
											   const char *alignment,
											   pg_tz *tz);
extern RetentionPeriod RetentionStoredPeriod(int unit, int64 length,
											 const char *zone, int zone_len);
extern pg_tz *RetentionZoneArg(FunctionCallInfo fcinfo, int argno);
extern bool RetentionZoneNameValid(const char *name, int len);
extern int	RetentionZoneLen(const RetentionPeriod *p);
extern void RetentionCopyZone(char *dest, const RetentionPeriod *p);
extern void RetentionCheckSameZone(const char *what, const RetentionPeriod *a,
								   const RetentionPeriod *b);
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
extern bool RetentionScanPeriod(KpiScanner *scan, int version, RetentionPeriod *p,
								const char **problem);
extern void RetentionSendPeriod(StringInfo buf, const RetentionPeriod *p);
extern const char *RetentionRecvPeriod(StringInfo buf, int version, RetentionPeriod *p);

/*
 * activity_summary: one entity's active periods (retention.c)
 */
typedef struct ActivitySummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* ACTIVITY_FORMAT_VERSION (or 1, zone_len 0) */
	uint8		unit;			/* RETENTION_DAY .. RETENTION_ROLLING */
	uint8		zone_len;		/* length of the time zone name at the end */
	uint8		reserved;		/* zero */
	int32		periods;		/* N */
	int64		length;			/* rolling period length, microseconds */
	int64		start;			/* cohort start (timestamptz) */
	int64		origin;			/* calendar index of start's period; rolling: start */
	uint64		bits[FLEXIBLE_ARRAY_MEMBER];	/* bit k: active in period k;
												 * bit N: active after period
												 * N - 1 */
} ActivitySummary;

#define BITMAP_WORDS(n)		(((n) + 64) / 64)	/* n + 1 bits */
/* the size before the time zone name */
#define ACTIVITY_SIZE(n)	(offsetof(ActivitySummary, bits) + sizeof(uint64) * BITMAP_WORDS(n))
#define BIT_IS_SET(bits, k)	(((bits)[(k) / 64] >> ((k) % 64)) & 1)
#define BIT_SET(bits, k)	((bits)[(k) / 64] |= UINT64CONST(1) << ((k) % 64))

extern RetentionPeriod ActivityPeriod(const ActivitySummary *a);
extern bool RetentionSpareBits(const uint64 *bits, int32 periods);
extern ActivitySummary *ActivityGetArg(FunctionCallInfo fcinfo, int argno);
extern void ActivityMark(uint64 *bits, const RetentionPeriod *p, int32 periods,
						 int64 start, int64 origin, TimestampTz t);

/*
 * mrr_summary: MRR movements per period (churn.c), which customer_mrr.c
 * builds from each customer's MRR per period, in 1/10000 units
 */
#define MRR_SCALE 10000			/* amounts are kept in 1/10000 units */

typedef struct MrrSummary MrrSummary;

/*
 * The currency of an MRR summary (mrr_currency.c): an ISO 4217 code, three
 * uppercase ASCII letters, or none ("unspecified": summaries of formats
 * before it, and of aggregates called without one).  mrr_summary and
 * customer_mrr_summary keep it from their version 3, in MRR_CURRENCY_BYTES
 * (the code and a NUL, or all zero) just before the time zone name; older
 * versions have none.  Merging two summaries of different currencies is an
 * error naming both; an unspecified one takes the other's.
 */
#define MRR_CURRENCY_VERSION 3
#define MRR_CURRENCY_BYTES 4
#define MRR_CURRENCY_SIZE(version) ((version) >= MRR_CURRENCY_VERSION ? MRR_CURRENCY_BYTES : 0)
/* the code ("" for none) of s, a summary with a valid header */
#define MRR_CURRENCY(s) \
	((s)->version >= MRR_CURRENCY_VERSION ? RETENTION_ZONE(s) - MRR_CURRENCY_BYTES : "")

extern bool MrrCurrencyValid(const char *bytes);
extern void MrrSetCurrency(char *bytes, const char *code);
extern void MrrCurrencyArg(FunctionCallInfo fcinfo, int argno, char *code);
extern const char *MrrMergeCurrency(const char *a, const char *b);
extern bool MrrScanCurrency(KpiScanner *scan, char *code, const char **problem);
extern void MrrAppendCurrency(StringInfo buf, const char *code);
extern const char *MrrRecvCurrency(StringInfo buf, char *code);
extern void MrrSendCurrency(StringInfo buf, const char *code);
extern Datum MrrCurrencyDatum(const char *code, bool *isnull);

extern MrrSummary *MrrCreate(const RetentionPeriod *p, int32 periods, int64 origin,
							 const char *currency);
extern void MrrAddCustomer(MrrSummary *s, const int64 *mrr);
extern const char *MrrValuesError(const MrrSummary *s);
extern const char *MrrHeaderError(int unit, int64 periods, int64 origin);
extern void MrrCheckSame(const char *what, const RetentionPeriod *pa, int32 na, int64 oa,
						 const RetentionPeriod *pb, int32 nb, int64 ob);
extern int64 MrrAmount(double mrr);
extern int64 MrrAmountNumeric(Datum mrr);
extern void MrrOverflow(void);
extern void MrrAppendAmount(StringInfo buf, int64 v);
extern Datum MrrNumeric(int64 v);
extern bool MrrScanAmount(KpiScanner *scan, int64 *result);

/* Argument helpers */
extern bool RetentionTextIs(const text *t, const char *word);
extern RetentionPeriod RetentionPeriodArgs(FunctionCallInfo fcinfo, int argno,
										   int alignment_argno, int zone_argno,
										   int32 *periods);

/*
 * retention_summary counts of entity rows (cohort.c), for the summaries of
 * events (cohort_activity.c)
 */
extern int	RetentionModeArg(FunctionCallInfo fcinfo, int argno);
extern Datum RetentionEntitiesSummary(const RetentionPeriod *p, int32 periods,
									  const int64 *rows, Size stride, uint32 count,
									  bool censored, TimestampTz as_of);
extern Datum RetentionSummaryCurve(Datum summary, int mode);

#endif							/* CRM_KPI_RETENTION_H */
