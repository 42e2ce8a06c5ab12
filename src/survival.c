/*-------------------------------------------------------------------------
 *
 * survival.c
 *	  Survival: Kaplan-Meier curves, median survival, the log-rank test.
 *
 * One summary type, survival_summary, keeps the number of events and of
 * censorings at each distinct duration.  That is all the Kaplan-Meier
 * estimator, Greenwood's variance, the median and the log-rank test need,
 * and two summaries merge exactly by adding counts, so a materialized view
 * can keep one per day or per plan and rollup() them later.
 *
 * The aggregate survival_agg(duration, event) counts (duration, event)
 * pairs in an internal hash table of the distinct durations, so its memory
 * is proportional to the number of distinct durations, not rows; its final
 * function sorts them into the summary.
 *
 * Definitions follow R's survival package (survfit, quantile.survfit,
 * survdiff); see doc/survival.md.  The shifted-beta-geometric model of
 * contract retention is in survival_sbg.c.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/lsyscache.h"

#define SURVIVAL_FORMAT_VERSION 1
#define SURVIVAL_MAX_TIMES	(MaxAllocSize / (4 * sizeof(int64)))
#define LOGRANK_MAX_GROUPS	100

/*
 * The in-memory and on-disk form: ntimes strictly increasing non-negative
 * durations, then the events and the censorings at each.  Every time has at
 * least one of either, so a summary has one form only.
 */
typedef struct SurvivalSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* SURVIVAL_FORMAT_VERSION */
	uint8		reserved[3];	/* zero */
	int32		ntimes;
	double		data[FLEXIBLE_ARRAY_MEMBER];	/* double times[ntimes], then
												 * int64 events[ntimes],
												 * int64 censored[ntimes] */
} SurvivalSummary;

#define SURVIVAL_SIZE(n)	(offsetof(SurvivalSummary, data) + (Size) (n) * 3 * sizeof(int64))
#define SURVIVAL_TIMES(s)	((s)->data)
#define SURVIVAL_EVENTS(s)	((int64 *) ((s)->data + (s)->ntimes))
#define SURVIVAL_CENSORED(s) ((int64 *) ((s)->data + 2 * (s)->ntimes))

/* One distinct duration of the aggregate's state */
typedef struct SurvEntry
{
	double		time;
	int64		events;
	int64		censored;
} SurvEntry;

/*
 * The transition state of survival_agg: the distinct durations seen, in the
 * order they came, and an open-addressing hash table (linear probing) of
 * their positions, so that a row costs one lookup and allocates nothing
 * unless its duration is new.  Its memory is proportional to the number of
 * distinct durations, not rows.  The durations are sorted only when the
 * state is written out (final and serialize functions), into a copy.
 */
typedef struct SurvState
{
	int			nentries;
	int			capacity;		/* entries allocated; hash_size = 2 x this */
	SurvEntry  *entries;
	int32	   *hash;			/* -1: empty slot */
	MemoryContext cxt;			/* where the arrays grow */
} SurvState;

#define SURV_STATE_INITIAL	8

PG_FUNCTION_INFO_V1(survival_summary_in);
PG_FUNCTION_INFO_V1(survival_summary_out);
PG_FUNCTION_INFO_V1(survival_summary_recv);
PG_FUNCTION_INFO_V1(survival_summary_send);
PG_FUNCTION_INFO_V1(survival_accum);
PG_FUNCTION_INFO_V1(survival_accum_status);
PG_FUNCTION_INFO_V1(survival_deaccum);
PG_FUNCTION_INFO_V1(survival_deaccum_status);
PG_FUNCTION_INFO_V1(survival_state_combine);
PG_FUNCTION_INFO_V1(survival_serialize);
PG_FUNCTION_INFO_V1(survival_deserialize);
PG_FUNCTION_INFO_V1(survival_final);
PG_FUNCTION_INFO_V1(survival_combine);
PG_FUNCTION_INFO_V1(survival_uncombine);
PG_FUNCTION_INFO_V1(survival_subjects);
PG_FUNCTION_INFO_V1(survival_events);
PG_FUNCTION_INFO_V1(kaplan_meier);
PG_FUNCTION_INFO_V1(survival_at);
PG_FUNCTION_INFO_V1(median_survival);
PG_FUNCTION_INFO_V1(median_survival_ci);
PG_FUNCTION_INFO_V1(restricted_mean_survival);
PG_FUNCTION_INFO_V1(logrank_test);


/* Summaries */

/* An empty summary with room for n times, in the current memory context */
static SurvivalSummary *
SurvivalCreate(int n)
{
	Size		size = SURVIVAL_SIZE(n);
	SurvivalSummary *s = palloc0(size);

	SET_VARSIZE(s, size);
	s->version = SURVIVAL_FORMAT_VERSION;
	s->ntimes = n;
	return s;
}

/*
 * SurvivalCountsError
 *		Why the times and counts cannot form a summary, or NULL if they can:
 *		times finite, non-negative and strictly increasing, counts
 *		non-negative with at least one at each time, and a total (the number
 *		at risk at the first time) within bigint.
 */
static const char *
SurvivalCountsError(int n, const double *times, const int64 *events,
					const int64 *censored)
{
	int64		total = 0;
	int			i;

	for (i = 0; i < n; i++)
	{
		if (!isfinite(times[i]) || times[i] < 0.0)
			return "Durations must be finite and non-negative.";
		if (i > 0 && times[i] <= times[i - 1])
			return "Durations must be strictly increasing.";
		if (events[i] < 0 || censored[i] < 0)
			return "A count is negative.";
		if (events[i] == 0 && censored[i] == 0)
			return "Each duration needs an event or a censoring.";
		if (pg_add_s64_overflow(total, events[i], &total) ||
			pg_add_s64_overflow(total, censored[i], &total))
			return "The total count exceeds the bigint range.";
	}
	return NULL;
}

/*
 * SurvivalCheck
 *		Reject a stored value that is not what this code wrote: the header
 *		must describe the value's own size, and the times and counts must be
 *		valid, so that no count is read out of bounds and every accessor can
 *		rely on the invariants.
 */
static void
SurvivalCheck(const SurvivalSummary *s)
{
	if (s->version != SURVIVAL_FORMAT_VERSION || s->ntimes < 0 ||
		s->ntimes > SURVIVAL_MAX_TIMES ||
		VARSIZE(s) != SURVIVAL_SIZE(s->ntimes) ||
		SurvivalCountsError(s->ntimes, SURVIVAL_TIMES(s), SURVIVAL_EVENTS(s),
							SURVIVAL_CENSORED(s)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("survival_summary value is corrupt")));
}

/* Fetch a survival_summary argument, read-only */
static SurvivalSummary *
SurvivalGetArg(FunctionCallInfo fcinfo, int argno)
{
	SurvivalSummary *s = (SurvivalSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	SurvivalCheck(s);
	return s;
}

/* Number of subjects: everyone at risk at the first time */
static int64
SurvivalTotal(const SurvivalSummary *s)
{
	int64		total = 0;
	int			i;

	/* cannot overflow: checked by SurvivalCheck */
	for (i = 0; i < s->ntimes; i++)
		total += SURVIVAL_EVENTS(s)[i] + SURVIVAL_CENSORED(s)[i];
	return total;
}


/*
 * Text and binary I/O
 *
 * Text: {"version":1,"time":[t1,...],"events":[d1,...],"censored":[c1,...]}
 * (valid JSON, times in shortest round-trip form).  Binary: int8 version,
 * int32 n, then n float8 times, n int64 event counts, n int64 censoring
 * counts.  Both are validated as SurvivalCountsError says.
 */

/* Scan a JSON array of at most max numbers; doubles or int64 */
static bool
SurvivalScanArray(KpiScanner *scan, const char *key, bool floats, void *out,
				  int max, int *n)
{
	*n = 0;
	if (!KpiScanToken(scan, key) || !KpiScanToken(scan, ":") ||
		!KpiScanToken(scan, "["))
		return false;
	if (KpiScanToken(scan, "]"))
		return true;
	for (;;)
	{
		bool		ok;

		if (*n >= max)
			return false;
		ok = floats ? KpiScanFloat8(scan, &((double *) out)[*n])
			: KpiScanInt64(scan, &((int64 *) out)[*n]);
		if (!ok)
			return false;
		(*n)++;
		if (KpiScanToken(scan, "]"))
			return true;
		if (!KpiScanToken(scan, ","))
			return false;
	}
}

static SurvivalSummary *
SurvivalParse(const char *str, const char **problem)
{
	KpiScanner	scan = {str};
	int64		version;
	int			max = Min((int) strlen(str) / 2 + 1, (int) SURVIVAL_MAX_TIMES);
	double	   *times = palloc(sizeof(double) * max);
	int64	   *events = palloc(sizeof(int64) * max);
	int64	   *censored = palloc(sizeof(int64) * max);
	int			nt,
				ne,
				nc,
				i;
	SurvivalSummary *s;

	*problem = "Expected {\"version\":1,\"time\":[...],\"events\":[...],\"censored\":[...]}.";
	if (!KpiScanToken(&scan, "{") ||
		!KpiScanToken(&scan, "\"version\"") || !KpiScanToken(&scan, ":") ||
		!KpiScanInt64(&scan, &version))
		return NULL;
	if (version != SURVIVAL_FORMAT_VERSION)
	{
		*problem = "Only format version 1 is supported.";
		return NULL;
	}
	if (!KpiScanToken(&scan, ",") ||
		!SurvivalScanArray(&scan, "\"time\"", true, times, max, &nt) ||
		!KpiScanToken(&scan, ",") ||
		!SurvivalScanArray(&scan, "\"events\"", false, events, max, &ne) ||
		!KpiScanToken(&scan, ",") ||
		!SurvivalScanArray(&scan, "\"censored\"", false, censored, max, &nc) ||
		!KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
		return NULL;
	if (ne != nt || nc != nt)
	{
		*problem = "The time, events and censored arrays must have the same length.";
		return NULL;
	}
	if ((*problem = SurvivalCountsError(nt, times, events, censored)) != NULL)
		return NULL;
	for (i = 0; i < nt; i++)
		times[i] += 0.0;		/* -0 is 0 */

	s = SurvivalCreate(nt);
	memcpy(SURVIVAL_TIMES(s), times, sizeof(double) * nt);
	memcpy(SURVIVAL_EVENTS(s), events, sizeof(int64) * nt);
	memcpy(SURVIVAL_CENSORED(s), censored, sizeof(int64) * nt);
	return s;
}

Datum
survival_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *problem;
	SurvivalSummary *s = SurvivalParse(str, &problem);

	if (s == NULL)
		CRM_INPUT_ERROR(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type %s: \"%s\"",
								"survival_summary", str),
						 errdetail("%s", problem)));
	PG_RETURN_POINTER(s);
}

Datum
survival_summary_out(PG_FUNCTION_ARGS)
{
	SurvivalSummary *s = SurvivalGetArg(fcinfo, 0);
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d,\"time\":[", s->version);
	for (i = 0; i < s->ntimes; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		KpiAppendFloat8(&buf, SURVIVAL_TIMES(s)[i]);
	}
	appendStringInfoString(&buf, "],\"events\":[");
	for (i = 0; i < s->ntimes; i++)
		appendStringInfo(&buf, i > 0 ? "," INT64_FORMAT : INT64_FORMAT,
						 SURVIVAL_EVENTS(s)[i]);
	appendStringInfoString(&buf, "],\"censored\":[");
	for (i = 0; i < s->ntimes; i++)
		appendStringInfo(&buf, i > 0 ? "," INT64_FORMAT : INT64_FORMAT,
						 SURVIVAL_CENSORED(s)[i]);
	appendStringInfoString(&buf, "]}");
	PG_RETURN_CSTRING(buf.data);
}

/* Read the binary form (after its version byte) into a new summary */
static SurvivalSummary *
SurvivalReadBinary(StringInfo buf)
{
	int			n;
	int			i;
	const char *problem;
	SurvivalSummary *s;

	if (buf->len - buf->cursor < 4)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("survival_summary binary input is too short")));
	n = pq_getmsgint(buf, 4);
	if (n < 0 || n > SURVIVAL_MAX_TIMES ||
		(Size) (buf->len - buf->cursor) != (Size) n * 3 * sizeof(int64))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("survival_summary binary input has %d bytes for %d durations",
						buf->len - buf->cursor, n)));
	s = SurvivalCreate(n);
	for (i = 0; i < n; i++)
		SURVIVAL_TIMES(s)[i] = pq_getmsgfloat8(buf) + 0.0;	/* -0 is 0 */
	for (i = 0; i < n; i++)
		SURVIVAL_EVENTS(s)[i] = pq_getmsgint64(buf);
	for (i = 0; i < n; i++)
		SURVIVAL_CENSORED(s)[i] = pq_getmsgint64(buf);
	pq_getmsgend(buf);
	if ((problem = SurvivalCountsError(n, SURVIVAL_TIMES(s), SURVIVAL_EVENTS(s),
									   SURVIVAL_CENSORED(s))) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid survival_summary counts in binary input"),
				 errdetail("%s", problem)));
	return s;
}

static SurvivalSummary *
SurvivalRecv(StringInfo buf)
{
	int			version;

	if (buf->len - buf->cursor < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("survival_summary binary input is too short")));
	version = pq_getmsgbyte(buf);
	if (version != SURVIVAL_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported survival_summary binary format version %d", version)));
	return SurvivalReadBinary(buf);
}

Datum
survival_summary_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(SurvivalRecv((StringInfo) PG_GETARG_POINTER(0)));
}

static bytea *
SurvivalSend(int n, const double *times, const int64 *events, const int64 *censored)
{
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SURVIVAL_FORMAT_VERSION);
	pq_sendint32(&buf, n);
	for (i = 0; i < n; i++)
		pq_sendfloat8(&buf, times[i]);
	for (i = 0; i < n; i++)
		pq_sendint64(&buf, events[i]);
	for (i = 0; i < n; i++)
		pq_sendint64(&buf, censored[i]);
	return pq_endtypsend(&buf);
}

Datum
survival_summary_send(PG_FUNCTION_ARGS)
{
	SurvivalSummary *s = SurvivalGetArg(fcinfo, 0);

	PG_RETURN_BYTEA_P(SurvivalSend(s->ntimes, SURVIVAL_TIMES(s),
								   SURVIVAL_EVENTS(s), SURVIVAL_CENSORED(s)));
}


/* The aggregate's state */

static SurvState *
SurvStateCreate(MemoryContext cxt, int capacity)
{
	SurvState  *st = MemoryContextAllocZero(cxt, sizeof(SurvState));

	st->cxt = cxt;
	st->capacity = SURV_STATE_INITIAL;
	while (st->capacity < capacity)
		st->capacity *= 2;
	st->entries = MemoryContextAlloc(cxt, sizeof(SurvEntry) * st->capacity);
	st->hash = MemoryContextAlloc(cxt, sizeof(int32) * 2 * st->capacity);
	memset(st->hash, -1, sizeof(int32) * 2 * st->capacity);
	return st;
}

/* Hash slot of a duration: the splitmix64 finalizer of its bits */
static inline uint32
SurvHash(double time, int32 mask)
{
	uint64		x;

	time += 0.0;				/* -0 is 0 */
	memcpy(&x, &time, sizeof(x));
	x ^= x >> 30;
	x *= UINT64CONST(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64CONST(0x94d049bb133111eb);
	x ^= x >> 31;
	return (uint32) x & mask;
}

static void
SurvCountOverflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("survival_summary count overflows")));
}

/* Double the capacity and rebuild the hash table */
static void
SurvStateGrow(SurvState *st)
{
	Size		capacity = (Size) st->capacity * 2;
	int32		mask;
	int			i;

	if (capacity > SURVIVAL_MAX_TIMES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct durations in a survival summary")));
	st->entries = repalloc(st->entries, sizeof(SurvEntry) * capacity);
	pfree(st->hash);
	st->hash = MemoryContextAlloc(st->cxt, sizeof(int32) * 2 * capacity);
	memset(st->hash, -1, sizeof(int32) * 2 * capacity);
	st->capacity = (int) capacity;
	mask = 2 * st->capacity - 1;
	for (i = 0; i < st->nentries; i++)
	{
		uint32		slot = SurvHash(st->entries[i].time, mask);

		while (st->hash[slot] >= 0)
			slot = (slot + 1) & mask;
		st->hash[slot] = i;
	}
}

/* Add events and censorings at a duration */
static void
SurvStateAdd(SurvState *st, double time, int64 events, int64 censored)
{
	int32		mask = 2 * st->capacity - 1;
	uint32		slot = SurvHash(time, mask);
	SurvEntry  *e;

	for (;;)
	{
		int32		i = st->hash[slot];

		if (i < 0)
			break;
		e = &st->entries[i];
		if (e->time == time)
		{
			if (pg_add_s64_overflow(e->events, events, &e->events) ||
				pg_add_s64_overflow(e->censored, censored, &e->censored))
				SurvCountOverflow();
			return;
		}
		slot = (slot + 1) & mask;
	}

	/* a new duration; the table stays at most half full */
	if (st->nentries == st->capacity)
	{
		SurvStateGrow(st);
		mask = 2 * st->capacity - 1;
		slot = SurvHash(time, mask);
		while (st->hash[slot] >= 0)
			slot = (slot + 1) & mask;
	}
	e = &st->entries[st->nentries];
	e->time = time + 0.0;
	e->events = events;
	e->censored = censored;
	st->hash[slot] = st->nentries++;
}

/* The state argument, created in the aggregate context on the first row */
static SurvState *
SurvGetState(FunctionCallInfo fcinfo, const char *caller)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s called in non-aggregate context", caller);
	if (PG_ARGISNULL(0))
		return SurvStateCreate(aggcxt, SURV_STATE_INITIAL);
	return (SurvState *) PG_GETARG_POINTER(0);
}

static double
SurvDuration(FunctionCallInfo fcinfo)
{
	double		t = PG_GETARG_FLOAT8(1);

	if (!isfinite(t) || t < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("duration %s is out of range", float8out_internal(t)),
				 errhint("Durations must be finite and non-negative.")));
	return t;
}

/* survival_accum(state, duration, event boolean); NULL rows are skipped */
Datum
survival_accum(PG_FUNCTION_ARGS)
{
	SurvState  *st = SurvGetState(fcinfo, "survival_accum");

	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2))
	{
		bool		event = PG_GETARG_BOOL(2);

		SurvStateAdd(st, SurvDuration(fcinfo), event ? 1 : 0, event ? 0 : 1);
	}
	PG_RETURN_POINTER(st);
}

/* survival_accum_status(state, duration, status integer): 1 event, 0 censored */
Datum
survival_accum_status(PG_FUNCTION_ARGS)
{
	SurvState  *st = SurvGetState(fcinfo, "survival_accum_status");

	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2))
	{
		int32		status = PG_GETARG_INT32(2);

		if (status != 0 && status != 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("event status %d is neither 0 nor 1", status),
					 errhint("Pass 1 for an event and 0 for a censored duration; for R's 1/2 coding pass status = 2.")));
		SurvStateAdd(st, SurvDuration(fcinfo), status, 1 - status);
	}
	PG_RETURN_POINTER(st);
}

/* Remove events and censorings at a duration (moving-window inverse) */
static void
SurvStateRemove(SurvState *st, double time, int64 events, int64 censored)
{
	int32		mask = 2 * st->capacity - 1;
	uint32		slot = SurvHash(time, mask);
	int32		i;

	while ((i = st->hash[slot]) >= 0 && st->entries[i].time != time)
		slot = (slot + 1) & mask;
	if (i < 0 || st->entries[i].events < events || st->entries[i].censored < censored)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove duration %s from a survival summary that does not hold it",
						float8out_internal(time))));
	/* an entry that drops to zero stays, and is left out of the summary */
	st->entries[i].events -= events;
	st->entries[i].censored -= censored;
}

/* survival_deaccum(state, duration, event boolean): inverse of survival_accum */
Datum
survival_deaccum(PG_FUNCTION_ARGS)
{
	SurvState  *st = SurvGetState(fcinfo, "survival_deaccum");

	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2))
	{
		bool		event = PG_GETARG_BOOL(2);

		SurvStateRemove(st, SurvDuration(fcinfo), event ? 1 : 0, event ? 0 : 1);
	}
	PG_RETURN_POINTER(st);
}

/* survival_deaccum_status(state, duration, status): inverse of survival_accum_status */
Datum
survival_deaccum_status(PG_FUNCTION_ARGS)
{
	SurvState  *st = SurvGetState(fcinfo, "survival_deaccum_status");

	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2))
	{
		int32		status = PG_GETARG_INT32(2);

		/* only what survival_accum_status accepted can be removed */
		Assert(status == 0 || status == 1);
		SurvStateRemove(st, SurvDuration(fcinfo), status == 1, status == 0);
	}
	PG_RETURN_POINTER(st);
}

/* survival_state_combine(a, b): the combine function of survival_agg */
Datum
survival_state_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	SurvState  *a,
			   *b;
	int			i;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "survival_state_combine called in non-aggregate context");
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(PG_ARGISNULL(0) ? NULL : PG_GETARG_POINTER(0));
	b = (SurvState *) PG_GETARG_POINTER(1);
	/* a NULL first state gets a deep copy in the aggregate context */
	a = PG_ARGISNULL(0) ? SurvStateCreate(aggcxt, b->nentries)
		: (SurvState *) PG_GETARG_POINTER(0);
	for (i = 0; i < b->nentries; i++)
	{
		CHECK_FOR_INTERRUPTS();
		SurvStateAdd(a, b->entries[i].time, b->entries[i].events,
					 b->entries[i].censored);
	}
	PG_RETURN_POINTER(a);
}

static int
SurvEntryCompare(const void *a, const void *b)
{
	double		x = ((const SurvEntry *) a)->time;
	double		y = ((const SurvEntry *) b)->time;

	return (x > y) - (x < y);
}

/*
 * The state as a summary, its durations sorted (in a copy: the state is
 * left as it is, final functions may run again on it).
 */
static SurvivalSummary *
SurvStateSummary(const SurvState *st)
{
	SurvEntry  *sorted = palloc(sizeof(SurvEntry) * Max(st->nentries, 1));
	SurvivalSummary *s;
	int64		total = 0;
	int			i,
				n = 0;

	/* durations a moving window removed again are left out */
	for (i = 0; i < st->nentries; i++)
		if (st->entries[i].events > 0 || st->entries[i].censored > 0)
			sorted[n++] = st->entries[i];
	qsort(sorted, n, sizeof(SurvEntry), SurvEntryCompare);
	s = SurvivalCreate(n);
	for (i = 0; i < n; i++)
	{
		SURVIVAL_TIMES(s)[i] = sorted[i].time;
		SURVIVAL_EVENTS(s)[i] = sorted[i].events;
		SURVIVAL_CENSORED(s)[i] = sorted[i].censored;
		if (pg_add_s64_overflow(total, sorted[i].events, &total) ||
			pg_add_s64_overflow(total, sorted[i].censored, &total))
			SurvCountOverflow();
	}
	pfree(sorted);
	return s;
}

/* survival_serialize(state): the binary form of survival_summary */
Datum
survival_serialize(PG_FUNCTION_ARGS)
{
	SurvivalSummary *s = SurvStateSummary((SurvState *) PG_GETARG_POINTER(0));

	PG_RETURN_BYTEA_P(SurvivalSend(s->ntimes, SURVIVAL_TIMES(s),
								   SURVIVAL_EVENTS(s), SURVIVAL_CENSORED(s)));
}

/* survival_deserialize(bytes, internal) */
Datum
survival_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcxt;
	StringInfoData buf;
	SurvivalSummary *s;
	SurvState  *st;
	int			i;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "survival_deserialize called in non-aggregate context");
	buf.data = VARDATA_ANY(bytes);
	buf.len = VARSIZE_ANY_EXHDR(bytes);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	s = SurvivalRecv(&buf);

	st = SurvStateCreate(aggcxt, s->ntimes);
	for (i = 0; i < s->ntimes; i++)
		SurvStateAdd(st, SURVIVAL_TIMES(s)[i], SURVIVAL_EVENTS(s)[i],
					 SURVIVAL_CENSORED(s)[i]);
	PG_RETURN_POINTER(st);
}

/* survival_final(state): the summary; an empty one for no rows */
Datum
survival_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(SurvivalCreate(0));
	PG_RETURN_POINTER(SurvStateSummary((SurvState *) PG_GETARG_POINTER(0)));
}

/*
 * SurvivalShrink
 *		r with only its first n times: built with room for more (merging
 *		summaries that share times), the count arrays move down.
 */
static SurvivalSummary *
SurvivalShrink(SurvivalSummary *r, int n)
{
	SurvivalSummary *c;

	if (n == r->ntimes)
		return r;
	c = SurvivalCreate(n);
	memcpy(SURVIVAL_TIMES(c), SURVIVAL_TIMES(r), sizeof(double) * n);
	memcpy(SURVIVAL_EVENTS(c), SURVIVAL_EVENTS(r), sizeof(int64) * n);
	memcpy(SURVIVAL_CENSORED(c), SURVIVAL_CENSORED(r), sizeof(int64) * n);
	pfree(r);
	return c;
}

/*
 * survival_combine(a, b): a + b, merging the sorted times.  The transition
 * and combine function of rollup(survival_summary).  Strict: the executor
 * takes a copy of b when the state is still NULL.  The result is a new
 * value, which the executor copies into the aggregate's context.
 */
Datum
survival_combine(PG_FUNCTION_ARGS)
{
	SurvivalSummary *a = SurvivalGetArg(fcinfo, 0);
	SurvivalSummary *b = SurvivalGetArg(fcinfo, 1);
	int			i = 0,
				j = 0,
				n = 0;
	SurvivalSummary *r;
	int64		total;

	if (b->ntimes == 0)
		PG_RETURN_POINTER(a);
	if (pg_add_s64_overflow(SurvivalTotal(a), SurvivalTotal(b), &total) ||
		(Size) a->ntimes + b->ntimes > SURVIVAL_MAX_TIMES)
		SurvCountOverflow();

	r = SurvivalCreate(a->ntimes + b->ntimes);
	while (i < a->ntimes || j < b->ntimes)
	{
		double		ta = i < a->ntimes ? SURVIVAL_TIMES(a)[i] : get_float8_infinity();
		double		tb = j < b->ntimes ? SURVIVAL_TIMES(b)[j] : get_float8_infinity();

		SURVIVAL_TIMES(r)[n] = Min(ta, tb);
		if (ta <= tb)
		{
			SURVIVAL_EVENTS(r)[n] += SURVIVAL_EVENTS(a)[i];
			SURVIVAL_CENSORED(r)[n] += SURVIVAL_CENSORED(a)[i];
			i++;
		}
		if (tb <= ta)
		{
			SURVIVAL_EVENTS(r)[n] += SURVIVAL_EVENTS(b)[j];
			SURVIVAL_CENSORED(r)[n] += SURVIVAL_CENSORED(b)[j];
			j++;
		}
		n++;
	}

	PG_RETURN_POINTER(SurvivalShrink(r, n));
}

/* survival_uncombine(a, b): a - b, the moving-window inverse of rollup() */
Datum
survival_uncombine(PG_FUNCTION_ARGS)
{
	SurvivalSummary *a = SurvivalGetArg(fcinfo, 0);
	SurvivalSummary *b = SurvivalGetArg(fcinfo, 1);
	SurvivalSummary *r;
	int			i,
				j = 0,
				n = 0;

	r = SurvivalCreate(a->ntimes);
	for (i = 0; i < a->ntimes; i++)
	{
		int64		events = SURVIVAL_EVENTS(a)[i];
		int64		censored = SURVIVAL_CENSORED(a)[i];

		if (j < b->ntimes && SURVIVAL_TIMES(b)[j] < SURVIVAL_TIMES(a)[i])
			break;				/* b has a time a lacks */
		if (j < b->ntimes && SURVIVAL_TIMES(b)[j] == SURVIVAL_TIMES(a)[i])
		{
			events -= SURVIVAL_EVENTS(b)[j];
			censored -= SURVIVAL_CENSORED(b)[j];
			j++;
			if (events < 0 || censored < 0)
				break;
		}
		if (events == 0 && censored == 0)
			continue;
		SURVIVAL_TIMES(r)[n] = SURVIVAL_TIMES(a)[i];
		SURVIVAL_EVENTS(r)[n] = events;
		SURVIVAL_CENSORED(r)[n] = censored;
		n++;
	}
	if (i < a->ntimes || j < b->ntimes)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove a survival summary that was not merged in")));

	PG_RETURN_POINTER(SurvivalShrink(r, n));
}


/* Accessors */

Datum
survival_subjects(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(SurvivalTotal(SurvivalGetArg(fcinfo, 0)));
}

Datum
survival_events(PG_FUNCTION_ARGS)
{
	SurvivalSummary *s = SurvivalGetArg(fcinfo, 0);
	int64		events = 0;
	int			i;

	for (i = 0; i < s->ntimes; i++)
		events += SURVIVAL_EVENTS(s)[i];
	PG_RETURN_INT64(events);
}

/*----------
 * The Kaplan-Meier curve at each distinct time t_i, with n_i at risk (every
 * subject whose duration is >= t_i: an event and a censoring at the same
 * time count the censored subject as at risk, as R does) and d_i events:
 *
 *		S(t_i)  = prod_{j <= i} (1 - d_j / n_j)
 *		V_i     = sum_{j <= i} d_j / (n_j (n_j - d_j))	(Greenwood)
 *		se(S)   = S * sqrt(V)
 *		log CI  = S * exp(-/+ z sqrt(V)), upper clipped to 1
 *
 * (R survfit, conf.type = "log").  Where S = 0, V is infinite and the
 * standard error and the bounds are undefined (NULL).
 *----------
 */
typedef struct KmPoint
{
	double		time;
	int64		at_risk;
	int64		events;
	int64		censored;
	double		surv;
	double		var;			/* Greenwood sum; +Inf once S = 0 */
} KmPoint;

typedef struct KmWalk
{
	const SurvivalSummary *s;
	int			next;			/* index of the next time */
	int64		at_risk;
	double		surv;
	double		var;
} KmWalk;

static void
KmStart(KmWalk *w, const SurvivalSummary *s)
{
	w->s = s;
	w->next = 0;
	w->at_risk = SurvivalTotal(s);
	w->surv = 1.0;
	w->var = 0.0;
}

/* Advance to the next distinct time; false at the end */
static bool
KmStep(KmWalk *w, KmPoint *p)
{
	const SurvivalSummary *s = w->s;
	int64		d,
				n;

	if (w->next >= s->ntimes)
		return false;
	d = SURVIVAL_EVENTS(s)[w->next];
	n = w->at_risk;
	if (d > 0)
	{
		w->surv *= (double) (n - d) / (double) n;
		w->var = n > d ? w->var + (double) d / ((double) n * (double) (n - d))
			: get_float8_infinity();
	}
	p->time = SURVIVAL_TIMES(s)[w->next];
	p->at_risk = n;
	p->events = d;
	p->censored = SURVIVAL_CENSORED(s)[w->next];
	p->surv = w->surv;
	p->var = w->var;
	w->at_risk -= d + p->censored;
	w->next++;
	return true;
}

/* The log-transformed bounds; false where they are undefined */
static bool
KmBounds(const KmPoint *p, double z, double *lower, double *upper)
{
	double		se;

	if (p->surv <= 0.0 || !isfinite(p->var))
		return false;
	se = sqrt(p->var);
	*lower = exp(log(p->surv) - z * se);
	*upper = Min(1.0, exp(log(p->surv) + z * se));
	return true;
}

typedef struct KmTableState
{
	SurvivalSummary *s;
	KmWalk		walk;
	double		z;
	bool		all_times;
} KmTableState;

/*
 * kaplan_meier(s, level, include_censored): one row per distinct event time
 * (time, at_risk, events, censored, survival, std_err, lower, upper), or per
 * distinct time when include_censored.
 */
Datum
kaplan_meier(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	KmTableState *ks;
	KmPoint		p;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		ks = palloc(sizeof(KmTableState));
		ks->s = (SurvivalSummary *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
		SurvivalCheck(ks->s);
		ks->z = KpiConfidenceZ(PG_GETARG_FLOAT8(1));
		ks->all_times = PG_GETARG_BOOL(2);
		KmStart(&ks->walk, ks->s);
		funcctx->user_fctx = ks;
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	ks = (KmTableState *) funcctx->user_fctx;
	while (KmStep(&ks->walk, &p))
	{
		Datum		values[8];
		bool		nulls[8] = {false};
		double		lower,
					upper;

		CHECK_FOR_INTERRUPTS();
		if (p.events == 0 && !ks->all_times)
			continue;
		values[0] = Float8GetDatum(p.time);
		values[1] = Int64GetDatum(p.at_risk);
		values[2] = Int64GetDatum(p.events);
		values[3] = Int64GetDatum(p.censored);
		values[4] = Float8GetDatum(p.surv);
		if (KmBounds(&p, ks->z, &lower, &upper))
		{
			values[5] = Float8GetDatum(p.surv * sqrt(p.var));
			values[6] = Float8GetDatum(lower);
			values[7] = Float8GetDatum(upper);
		}
		else
			nulls[5] = nulls[6] = nulls[7] = true;
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
														  values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}

/*
 * survival_at(s, t): S(t), the curve at its last time <= t; 1 before the
 * first time, NULL past the last time (unless the curve has reached 0),
 * NULL for an empty summary, as R's summary.survfit leaves times past the
 * end of follow-up out.
 */
Datum
survival_at(PG_FUNCTION_ARGS)
{
	SurvivalSummary *s = SurvivalGetArg(fcinfo, 0);
	double		t = PG_GETARG_FLOAT8(1);
	KmWalk		w;
	KmPoint		p;
	double		surv = 1.0;

	if (isnan(t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("survival time must not be NaN")));
	if (s->ntimes == 0)
		PG_RETURN_NULL();
	KmStart(&w, s);
	while (KmStep(&w, &p) && p.time <= t)
		surv = p.surv;
	if (t > SURVIVAL_TIMES(s)[s->ntimes - 1] && surv > 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(surv);
}

/*
 * restricted_mean_survival(s, tau): the area under the curve from 0 to tau,
 * the curve taken flat past its last time (R's print.survfit, rmean = tau).
 */
Datum
restricted_mean_survival(PG_FUNCTION_ARGS)
{
	SurvivalSummary *s = SurvivalGetArg(fcinfo, 0);
	double		tau = PG_GETARG_FLOAT8(1);
	KmWalk		w;
	KmPoint		p;
	double		area = 0.0,
				prev_time = 0.0,
				prev_surv = 1.0;

	if (!isfinite(tau) || tau <= 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("restricted mean horizon %s is out of range",
						float8out_internal(tau)),
				 errhint("The horizon must be a positive finite duration.")));
	if (s->ntimes == 0)
		PG_RETURN_NULL();
	KmStart(&w, s);
	while (KmStep(&w, &p) && p.time < tau)
	{
		area += prev_surv * (p.time - prev_time);
		prev_time = p.time;
		prev_surv = p.surv;
	}
	PG_RETURN_FLOAT8(area + prev_surv * (tau - prev_time));
}


/*----------
 * Median survival and its interval, by R's rule (survival's
 * quantile.survfit, findq): on the curve F = 1 - S, with the point (0, 0)
 * first and each value kept at the first time it is taken,
 *
 *		median = the time where F first reaches 1/2, or, where F equals 1/2
 *				 (within sqrt(DBL_EPSILON)), the midpoint between that time
 *				 and the next time F takes a new value (the last follow-up
 *				 time if F stays at 1/2 to the end);
 *
 * NULL if F never reaches 1/2.  The interval applies the same rule to the
 * lower and upper confidence curves.  R interpolates with approx(), which
 * orders the points by F; the search below does the same, so it agrees with
 * R also on the upper curve, which need not be monotone.
 *----------
 */
#define MEDIAN_TOL 1.4901161193847656e-08	/* sqrt(DBL_EPSILON) */

typedef struct CurvePoint
{
	double		f;				/* 1 - curve */
	double		time;
	int			index;			/* position in time order */
} CurvePoint;

static int
CurvePointCompare(const void *a, const void *b)
{
	const CurvePoint *x = a,
			   *y = b;

	if (x->f != y->f)
		return x->f < y->f ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

/*
 * findq for p = 1/2 over n points in time order (NaN for an undefined
 * value), xmax the last time.  Returns false for NA.
 */
static bool
CurveMedian(CurvePoint *pts, int n, double xmax, double *result)
{
	const double p = 0.5;
	double		fmax = -1.0;
	int			last_kept = -1;
	bool		last_is_na;
	int			first_na = -1;
	int			m = 0,
				i;
	CurvePoint *i1 = NULL,
			   *i2 = NULL;
	double		last_f = 0.0;

	for (i = 0; i < n; i++)
	{
		if (isnan(pts[i].f))
		{
			if (first_na < 0)
				first_na = i;
			continue;
		}
		fmax = Max(fmax, pts[i].f);
		pts[m++] = pts[i];		/* drop the NA points, keep time order */
	}
	if (fmax < p)
		return false;

	/* keep the first point of each value: sort by (value, time) */
	qsort(pts, m, sizeof(CurvePoint), CurvePointCompare);
	for (i = 0; i < m; i++)
	{
		bool		kept = i == 0 || pts[i].f != pts[i - 1].f;

		if (!kept)
			continue;
		if (pts[i].index > last_kept)
		{
			last_kept = pts[i].index;
			last_f = pts[i].f;
		}
		if (i1 == NULL && pts[i].f + MEDIAN_TOL >= p)
			i1 = &pts[i];
		if (i2 == NULL && pts[i].f - MEDIAN_TOL >= p)
			i2 = &pts[i];
	}
	/* the deduplicated curve ends with NA if the first NA comes last */
	last_is_na = first_na > last_kept;

	if (!last_is_na && i1 != NULL && fabs(p - last_f) < MEDIAN_TOL)
	{
		*result = (i1->time + xmax) / 2.0;
		return true;
	}
	if (i1 == NULL || i2 == NULL)
		return false;
	*result = (i1->time + i2->time) / 2.0;
	return true;
}

/* 0: the curve, 1: its lower bound, 2: its upper bound */
static bool
SurvivalMedian(const SurvivalSummary *s, int which, double z, double *result)
{
	CurvePoint *pts;
	KmWalk		w;
	KmPoint		p;
	int			n = 1;

	if (s->ntimes == 0)
		return false;
	pts = palloc(sizeof(CurvePoint) * (s->ntimes + 1));
	pts[0].f = 0.0;
	pts[0].time = 0.0;
	pts[0].index = 0;
	KmStart(&w, s);
	while (KmStep(&w, &p))
	{
		double		lower,
					upper;

		if (which == 0)
			pts[n].f = 1.0 - p.surv;
		else if (KmBounds(&p, z, &lower, &upper))
			pts[n].f = 1.0 - (which == 1 ? lower : upper);
		else
			pts[n].f = get_float8_nan();
		pts[n].time = p.time;
		pts[n].index = n;
		n++;
	}
	return CurveMedian(pts, n, SURVIVAL_TIMES(s)[s->ntimes - 1], result);
}

/* median_survival(s): NULL if the curve does not reach 1/2 */
Datum
median_survival(PG_FUNCTION_ARGS)
{
	double		median;

	if (!SurvivalMedian(SurvivalGetArg(fcinfo, 0), 0, 0.0, &median))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(median);
}

/* median_survival_ci(s, level): (lower, upper), NULL where not reached */
Datum
median_survival_ci(PG_FUNCTION_ARGS)
{
	SurvivalSummary *s = SurvivalGetArg(fcinfo, 0);
	double		z = KpiConfidenceZ(PG_GETARG_FLOAT8(1));
	double		bounds[2] = {0.0, 0.0};
	bool		nulls[2];

	nulls[0] = !SurvivalMedian(s, 1, z, &bounds[0]);
	nulls[1] = !SurvivalMedian(s, 2, z, &bounds[1]);
	return KpiFloat8Record(fcinfo, bounds, nulls, 2);
}


/*----------
 * logrank_test(summaries): the log-rank (Mantel-Haenszel) test that k
 * groups share one survival curve (R survdiff, rho = 0).  At each distinct
 * event time t of the pooled data, with n_j at risk and d_j events in group
 * j, n and d in all:
 *
 *		O_j = sum_t d_j,	E_j = sum_t n_j d / n
 *		V_jl = sum_t d (n - d) / (n^2 (n - 1)) * n_j (n [j = l] - n_l)
 *		chisq = (O - E)' V^-1 (O - E) over the groups but the first
 *
 * with df = k - 1.  Groups with no expected event (nobody at risk at any
 * event time, e.g. empty ones) drop out first, as in survdiff.  NULL
 * summaries are skipped.  chisq, df and p_value are NULL when fewer than
 * two groups remain or V is singular.  observed and expected are O and E
 * per array element (NULL for a NULL element), survdiff's table.
 *----------
 */
static bool
SolveSymmetric(double *a, double *b, int n)
{
	int			i,
				j,
				k;
	double		scale = 0.0;

	for (i = 0; i < n; i++)
		scale = Max(scale, fabs(a[i * n + i]));
	/* Gaussian elimination with partial pivoting; a is n x n, row-major */
	for (k = 0; k < n; k++)
	{
		int			piv = k;

		for (i = k + 1; i < n; i++)
			if (fabs(a[i * n + k]) > fabs(a[piv * n + k]))
				piv = i;
		if (fabs(a[piv * n + k]) <= 1e-12 * scale)
			return false;
		if (piv != k)
		{
			for (j = 0; j < n; j++)
			{
				double		tmp = a[k * n + j];

				a[k * n + j] = a[piv * n + j];
				a[piv * n + j] = tmp;
			}
			{
				double		tmp = b[k];

				b[k] = b[piv];
				b[piv] = tmp;
			}
		}
		for (i = k + 1; i < n; i++)
		{
			double		f = a[i * n + k] / a[k * n + k];

			for (j = k; j < n; j++)
				a[i * n + j] -= f * a[k * n + j];
			b[i] -= f * b[k];
		}
	}
	for (k = n - 1; k >= 0; k--)
	{
		for (j = k + 1; j < n; j++)
			b[k] -= a[k * n + j] * b[j];
		b[k] /= a[k * n + k];
	}
	return true;
}

Datum
logrank_test(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *elems;
	bool	   *elem_nulls;
	int			nelems;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	SurvivalSummary **g;
	int		   *pos;
	int64	   *at_risk;
	double	   *observed,
			   *expected,
			   *var;
	int			k = 0,
				i,
				j;
	TupleDesc	tupdesc;
	Datum		values[5] = {0};
	bool		nulls[5] = {true, true, true, true, true};
	int		   *position;		/* group j is element position[j] */

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logrank_test expects a one-dimensional array of survival summaries")));
	get_typlenbyvalalign(ARR_ELEMTYPE(arr), &typlen, &typbyval, &typalign);
	deconstruct_array(arr, ARR_ELEMTYPE(arr), typlen, typbyval, typalign,
					  &elems, &elem_nulls, &nelems);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	g = palloc(sizeof(SurvivalSummary *) * Max(nelems, 1));
	position = palloc(sizeof(int) * Max(nelems, 1));
	for (i = 0; i < nelems; i++)
	{
		SurvivalSummary *s;

		if (elem_nulls[i])
			continue;
		s = (SurvivalSummary *) PG_DETOAST_DATUM(elems[i]);
		SurvivalCheck(s);
		if (k >= LOGRANK_MAX_GROUPS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("logrank_test compares at most %d groups", LOGRANK_MAX_GROUPS)));
		position[k] = i;
		g[k++] = s;
	}

	pos = palloc0(sizeof(int) * Max(k, 1));
	at_risk = palloc(sizeof(int64) * Max(k, 1));
	observed = palloc0(sizeof(double) * Max(k, 1));
	expected = palloc0(sizeof(double) * Max(k, 1));
	var = palloc0(sizeof(double) * Max(k * k, 1));
	for (j = 0; j < k; j++)
		at_risk[j] = SurvivalTotal(g[j]);

	/* walk the union of the groups' times in order */
	for (;;)
	{
		double		t = get_float8_infinity();
		double		n = 0.0,
					d = 0.0;

		CHECK_FOR_INTERRUPTS();
		for (j = 0; j < k; j++)
			if (pos[j] < g[j]->ntimes)
				t = Min(t, SURVIVAL_TIMES(g[j])[pos[j]]);
		if (isinf(t))
			break;
		for (j = 0; j < k; j++)
		{
			n += (double) at_risk[j];
			if (pos[j] < g[j]->ntimes && SURVIVAL_TIMES(g[j])[pos[j]] == t)
				d += (double) SURVIVAL_EVENTS(g[j])[pos[j]];
		}
		if (d > 0.0)
		{
			double		f = n > 1.0 ? d * (n - d) / (n * n * (n - 1.0)) : 0.0;

			for (j = 0; j < k; j++)
			{
				double		nj = (double) at_risk[j];
				int			l;

				expected[j] += nj * d / n;
				if (pos[j] < g[j]->ntimes && SURVIVAL_TIMES(g[j])[pos[j]] == t)
					observed[j] += (double) SURVIVAL_EVENTS(g[j])[pos[j]];
				if (f == 0.0 || nj == 0.0)
					continue;
				for (l = 0; l < k; l++)
					var[j * k + l] += f * nj * ((j == l ? n : 0.0) - (double) at_risk[l]);
			}
		}
		/* then leave the risk sets */
		for (j = 0; j < k; j++)
		{
			if (pos[j] < g[j]->ntimes && SURVIVAL_TIMES(g[j])[pos[j]] == t)
			{
				at_risk[j] -= SURVIVAL_EVENTS(g[j])[pos[j]] + SURVIVAL_CENSORED(g[j])[pos[j]];
				pos[j]++;
			}
		}
	}

	/* keep the groups with expected events; test all but the first */
	{
		int		   *keep = palloc(sizeof(int) * Max(k, 1));
		int			m = 0;

		for (j = 0; j < k; j++)
			if (expected[j] > 0.0)
				keep[m++] = j;
		if (m >= 2)
		{
			int			r = m - 1;
			double	   *a = palloc(sizeof(double) * r * r);
			double	   *u = palloc(sizeof(double) * r);
			double	   *x = palloc(sizeof(double) * r);
			int			l;

			for (i = 0; i < r; i++)
			{
				u[i] = x[i] = observed[keep[i + 1]] - expected[keep[i + 1]];
				for (l = 0; l < r; l++)
					a[i * r + l] = var[keep[i + 1] * k + keep[l + 1]];
			}
			if (SolveSymmetric(a, x, r))
			{
				double		chisq = 0.0;

				for (i = 0; i < r; i++)
					chisq += u[i] * x[i];
				chisq = Max(chisq, 0.0);
				values[0] = Float8GetDatum(chisq);
				values[1] = Int32GetDatum(r);
				values[2] = Float8GetDatum(KpiChiSquareSurvival(chisq, (double) r));
				nulls[0] = nulls[1] = nulls[2] = false;
			}
		}
	}
	/* observed and expected events per element, NULL for NULL elements */
	if (nelems > 0)
	{
		Datum	   *obs = palloc0(sizeof(Datum) * nelems);
		Datum	   *exp_ = palloc0(sizeof(Datum) * nelems);
		bool	   *none = palloc(sizeof(bool) * nelems);
		int			dims[1] = {nelems};
		int			lbs[1] = {1};

		for (i = 0; i < nelems; i++)
			none[i] = true;
		for (j = 0; j < k; j++)
		{
			obs[position[j]] = Float8GetDatum(observed[j]);
			exp_[position[j]] = Float8GetDatum(expected[j]);
			none[position[j]] = false;
		}
		values[3] = PointerGetDatum(construct_md_array(obs, none, 1, dims, lbs, FLOAT8OID,
													   sizeof(float8), FLOAT8PASSBYVAL,
													   TYPALIGN_DOUBLE));
		values[4] = PointerGetDatum(construct_md_array(exp_, none, 1, dims, lbs, FLOAT8OID,
													   sizeof(float8), FLOAT8PASSBYVAL,
													   TYPALIGN_DOUBLE));
		nulls[3] = nulls[4] = false;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
