/*-------------------------------------------------------------------------
 *
 * cohort_activity.h
 *	  What the two files of cohort_activity_summary share: its flat form,
 *	  its parameters and its expanded state (cohort_activity.c), and its
 *	  text and binary forms (cohort_activity_io.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CRM_KPI_COHORT_ACTIVITY_H
#define CRM_KPI_COHORT_ACTIVITY_H

#include "retention.h"

#include "utils/expandeddatum.h"

/*
 * Version 2 (1.3.0) holds ids of any type; version 1 (1.2.0), integer ids
 * only, still reads (text, binary, and flat values stored in tables)
 */
#define COHORT_FORMAT_VERSION 2

/* flags */
#define COHORT_CENSORED		0x01	/* as_of holds the censoring time */
#define COHORT_ON_OR_AFTER	0x02	/* retention_curve's mode "on_or_after" */
#define COHORT_FLAGS		(COHORT_CENSORED | COHORT_ON_OR_AFTER)

/*
 * The flat form: the header, then per entity, by increasing entity, its
 * row of COHORT_ROW_WORDS(periods) words: entity, cohort start, origin
 * (calendar index of the start's period; rolling: the start) and the bitmap
 * of periods 0..N (bit N: active after period N - 1); then, for uuid and
 * text ids, their dictionary (ids_len bytes, KpiIdsSend's form, the ids in
 * increasing byte order: entity i is id i); then the time zone name
 * (zone_len bytes, calendar periods only).  Integer ids (and every version
 * 1 value) have no dictionary: ids_len is 0.
 */
typedef struct CohortActivitySummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* COHORT_FORMAT_VERSION */
	uint8		unit;			/* RETENTION_DAY .. RETENTION_ROLLING */
	uint8		zone_len;		/* length of the time zone name at the end */
	uint8		flags;			/* COHORT_CENSORED, COHORT_ON_OR_AFTER */
	int32		periods;		/* N */
	int32		ids_len;		/* bytes of the id dictionary (version 1: 0) */
	int64		length;			/* rolling period length, microseconds */
	int64		as_of;			/* censoring time if COHORT_CENSORED, else 0 */
	int64		entities;
	int64		rows[FLEXIBLE_ARRAY_MEMBER];
} CohortActivitySummary;

#define COHORT_ROW_WORDS(n)		(3 + BITMAP_WORDS(n))
/* the size before the id dictionary and the time zone name */
#define COHORT_SIZE(n, count) \
	(offsetof(CohortActivitySummary, rows) + sizeof(int64) * COHORT_ROW_WORDS(n) * (Size) (count))
#define COHORT_IDS(s)	((const char *) (s) + COHORT_SIZE((s)->periods, (s)->entities))
/* the most entities a flat value of N periods holds (within MaxAllocSize) */
#define COHORT_MAX_ENTITIES(n) \
	((int64) ((MaxAllocSize - offsetof(CohortActivitySummary, rows) - 255) / \
			  (sizeof(int64) * COHORT_ROW_WORDS(n))))

#define COHORT_NAME "cohort_activity_summary"

/* The parameters of a summary, and of an aggregate's rows */
typedef struct CohortParams
{
	RetentionPeriod period;
	int32		periods;
	int			mode;			/* MODE_ON or MODE_ON_OR_AFTER */
	bool		censored;
	TimestampTz as_of;			/* if censored */
} CohortParams;

/*
 * The expanded form, the aggregates' state: the rows of the flat form less
 * the entity, which is the table's key.
 */
typedef struct CohortAgg
{
	ExpandedObjectHeader hdr;
	CohortParams params;
	KpiIds		ids;			/* the entities' ids -> keys */
	KpiKeyedTable *table;		/* entity key -> [start, origin, bitmap] */
} CohortAgg;

#define AGG_WIDTH(n)	(2 + BITMAP_WORDS(n))

extern const KpiSummaryType CohortType;

#define CohortGetArg(fcinfo, argno) \
	((CohortActivitySummary *) KpiSummaryArg(fcinfo, argno, &CohortType))

/* Do the keys of these ids stand for themselves (integers, or none yet)? */
static inline bool
IdsAreIntegers(const KpiIds *ids)
{
	return ids->kind != KPI_ID_UUID && ids->kind != KPI_ID_TEXT;
}

extern char *EntityText(const KpiIds *ids, int64 key);
extern const char *CohortStartError(int64 start);
extern void CohortFlatIds(const CohortActivitySummary *s, KpiIds *ids, MemoryContext cxt);
extern CohortParams CohortFlatParams(const CohortActivitySummary *s);
extern const char *ModeName(int mode);
extern CohortAgg *CohortAggCreate(FunctionCallInfo fcinfo, const CohortParams *params,
								  uint32 capacity);
extern CohortActivitySummary *CohortAggFinish(CohortAgg *st);
extern uint64 *CohortAggAddEntity(CohortAgg *st, int64 entity, int64 start);
extern bytea *CohortSend(const CohortActivitySummary *s);
extern Datum cohort_activity_summary_recv(PG_FUNCTION_ARGS);

#endif							/* CRM_KPI_COHORT_ACTIVITY_H */
