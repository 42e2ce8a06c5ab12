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
 * The curve and the tests (Kaplan-Meier, medians, log-rank) are in
 * survival_curve.c; the shifted-beta-geometric model of contract retention
 * is in survival_sbg.c.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"
#include "survival.h"

#include <math.h>

#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"

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
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
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
void
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
SurvivalSummary *
SurvivalGetArg(FunctionCallInfo fcinfo, int argno)
{
	SurvivalSummary *s = (SurvivalSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	SurvivalCheck(s);
	return s;
}

/* Number of subjects: everyone at risk at the first time */
int64
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

/*
 * Scan a JSON array of numbers, doubles or int64, into *out (palloc'd here,
 * grown as numbers come: memory follows what the text carries)
 */
static bool
SurvivalScanArray(KpiScanner *scan, const char *key, bool floats, void **out,
				  int *n)
{
	int			capacity = 16;

	*n = 0;
	*out = palloc(sizeof(int64) * capacity);
	if (!KpiScanKey(scan, key) || !KpiScanToken(scan, "["))
		return false;
	if (KpiScanToken(scan, "]"))
		return true;
	for (;;)
	{
		bool		ok;

		if ((*n & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (*n >= SURVIVAL_MAX_TIMES)
			return false;
		if (*n == capacity)
		{
			capacity = Min(2 * capacity, SURVIVAL_MAX_TIMES);
			*out = repalloc(*out, sizeof(int64) * capacity);
		}
		ok = floats ? KpiScanFloat8(scan, &((double *) *out)[*n])
			: KpiScanInt64(scan, &((int64 *) *out)[*n]);
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
	double	   *times;
	int64	   *events;
	int64	   *censored;
	int			nt,
				ne,
				nc,
				i;
	SurvivalSummary *s;

	*problem = "Expected {\"version\":1,\"time\":[...],\"events\":[...],\"censored\":[...]}.";
	if (!KpiScanVersion(&scan, SURVIVAL_FORMAT_VERSION, problem))
		return NULL;
	if (!KpiScanToken(&scan, ",") ||
		!SurvivalScanArray(&scan, "time", true, (void **) &times, &nt) ||
		!KpiScanToken(&scan, ",") ||
		!SurvivalScanArray(&scan, "events", false, (void **) &events, &ne) ||
		!KpiScanToken(&scan, ",") ||
		!SurvivalScanArray(&scan, "censored", false, (void **) &censored, &nc) ||
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

/* Hash slot of a duration: a hash of its bits */
static inline uint32
SurvHash(double time, int32 mask)
{
	uint64		x;

	time += 0.0;				/* -0 is 0 */
	memcpy(&x, &time, sizeof(x));
	return KpiHash64(x) & mask;
}

static void
SurvCountOverflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("survival_summary count overflows")));
}

static void
SurvTooManyTimes(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many distinct durations in a survival summary")));
}

/* Double the capacity and rebuild the hash table */
static void
SurvStateGrow(SurvState *st)
{
	Size		capacity = (Size) st->capacity * 2;
	int32		mask;
	int			i;

	if (capacity > SURVIVAL_MAX_TIMES)
		SurvTooManyTimes();
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
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (st->entries[i].events > 0 || st->entries[i].censored > 0)
			sorted[n++] = st->entries[i];
	}
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
	KpiReadBuffer(&buf, bytes);
	s = SurvivalRecv(&buf);

	st = SurvStateCreate(aggcxt, s->ntimes);
	for (i = 0; i < s->ntimes; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		SurvStateAdd(st, SURVIVAL_TIMES(s)[i], SURVIVAL_EVENTS(s)[i],
					 SURVIVAL_CENSORED(s)[i]);
	}
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
	if (pg_add_s64_overflow(SurvivalTotal(a), SurvivalTotal(b), &total))
		SurvCountOverflow();
	if ((Size) a->ntimes + b->ntimes > SURVIVAL_MAX_TIMES)
		SurvTooManyTimes();

	r = SurvivalCreate(a->ntimes + b->ntimes);
	while (i < a->ntimes || j < b->ntimes)
	{
		double		ta = i < a->ntimes ? SURVIVAL_TIMES(a)[i] : get_float8_infinity();
		double		tb = j < b->ntimes ? SURVIVAL_TIMES(b)[j] : get_float8_infinity();

		if ((n & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();

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

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();

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
