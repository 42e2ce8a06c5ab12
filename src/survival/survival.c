/*-------------------------------------------------------------------------
 *
 * survival.c
 *	  Survival: Kaplan-Meier curves, median survival, the log-rank test.
 *
 * One summary type, survival_summary, keeps the number of events and of
 * censorings at each distinct duration, and, for subjects observed only
 * from a later time than their start (left truncation, delayed entry), the
 * number entering at each distinct entry time.  That is all the
 * Kaplan-Meier estimator, Greenwood's variance, the median and the log-rank
 * test need (through SurvivalWalk, the risk sets in time order), and two
 * summaries merge exactly by adding counts, so a materialized view can keep
 * one per day or per plan and rollup() them later.
 *
 * The aggregate survival_agg(duration, event) counts (duration, event)
 * pairs in the expanded form of survival_summary (src/common/expanded.c): a
 * hash table of the distinct durations (and an array indexed by the
 * duration for small whole ones), so its memory is proportional to the
 * number of distinct durations, not rows, sorted into the flat summary only
 * when a flat value is needed.
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
#include "port/pg_bitutils.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/timestamp.h"

/*
 * survival_summary expanded: the transition state of survival_agg and
 * rollup(survival_summary).  A keyed table maps each distinct duration (the
 * bits of the double, -0 made 0) to its events and censorings, so that a row
 * costs one lookup and allocates nothing unless its duration is new.  A
 * moving window's inverse may take a duration's counts back to zero: it stays
 * in the table and is left out of the flat form.  The durations are sorted
 * only when the state is flattened.  The 1.1.0 support functions, whose
 * state is internal, use the same struct.
 *
 * Durations that are small whole numbers (days, weeks, months: the common
 * case) have their rows in a dense array indexed by the duration instead:
 * a row there costs one memory access where the keyed table costs three
 * (index bucket, key, row), and with 1,000 groups of ~2,000 durations the
 * states do not fit in cache, so that each access is a cache miss (issue
 * 16's profile, bench/README.md).  The array covers durations 0 ..
 * ndense - 1, a power of 2 up to SURV_DENSE_MAX; it grows to cover a new
 * whole duration only while it stays within 4 rows per duration counted
 * (or SURV_DENSE_MIN rows), so memory still follows the content.  When it
 * grows, the durations it now covers move out of the keyed table (their
 * rows there are zeroed, left out of the flat form like a window's), so
 * that every duration has one row, wherever it is; a keyed table left with
 * no count is freed (NULL until a duration needs one again), so that the
 * memory of both is not kept.
 */
typedef struct SurvAgg
{
	ExpandedObjectHeader hdr;
	KpiKeyedTable *table;		/* time bits -> {events, censored, entered}, or NULL */
	int64	   *dense;			/* rows of durations 0 .. ndense - 1, or NULL */
	int32		ndense;
	int32		ntimes;			/* times with a count */
	int64		total;			/* all events and censorings */
	int64		entered;		/* all entries: version 2 if any */
} SurvAgg;

#define SURV_AGG_INITIAL	8
#define SURV_DENSE_MIN		8
#define SURV_DENSE_MAX		65536

/* One duration of the flat form, for sorting */
typedef struct SurvEntry
{
	double		time;
	int64		events;
	int64		censored;
	int64		entered;
} SurvEntry;

PG_FUNCTION_INFO_V1(survival_summary_in);
PG_FUNCTION_INFO_V1(survival_summary_out);
PG_FUNCTION_INFO_V1(survival_summary_recv);
PG_FUNCTION_INFO_V1(survival_summary_send);
PG_FUNCTION_INFO_V1(survival_summary_accum);
PG_FUNCTION_INFO_V1(survival_summary_accum_status);
PG_FUNCTION_INFO_V1(survival_summary_deaccum);
PG_FUNCTION_INFO_V1(survival_summary_deaccum_status);
PG_FUNCTION_INFO_V1(survival_summary_accum_interval);
PG_FUNCTION_INFO_V1(survival_summary_accum_status_interval);
PG_FUNCTION_INFO_V1(survival_summary_deaccum_interval);
PG_FUNCTION_INFO_V1(survival_summary_deaccum_status_interval);
PG_FUNCTION_INFO_V1(survival_summary_accum_entry);
PG_FUNCTION_INFO_V1(survival_summary_accum_entry_status);
PG_FUNCTION_INFO_V1(survival_summary_deaccum_entry);
PG_FUNCTION_INFO_V1(survival_summary_deaccum_entry_status);
PG_FUNCTION_INFO_V1(survival_summary_accum_entry_interval);
PG_FUNCTION_INFO_V1(survival_summary_accum_entry_status_interval);
PG_FUNCTION_INFO_V1(survival_summary_deaccum_entry_interval);
PG_FUNCTION_INFO_V1(survival_summary_deaccum_entry_status_interval);
PG_FUNCTION_INFO_V1(survival_summary_combine);
PG_FUNCTION_INFO_V1(survival_summary_uncombine);
PG_FUNCTION_INFO_V1(survival_accum);
PG_FUNCTION_INFO_V1(survival_accum_status);
PG_FUNCTION_INFO_V1(survival_deaccum);
PG_FUNCTION_INFO_V1(survival_deaccum_status);
PG_FUNCTION_INFO_V1(survival_state_combine);
PG_FUNCTION_INFO_V1(survival_serialize);
PG_FUNCTION_INFO_V1(survival_deserialize);
PG_FUNCTION_INFO_V1(survival_final);
PG_FUNCTION_INFO_V1(survival_subjects);
PG_FUNCTION_INFO_V1(survival_events);


/* Summaries */

/*
 * An empty summary of the given format with room for n times, in the
 * current memory context
 */
static SurvivalSummary *
SurvivalCreate(int n, int version)
{
	Size		size = SURVIVAL_SIZE_V(n, version);
	SurvivalSummary *s = palloc0(size);

	SET_VARSIZE(s, size);
	s->version = version;
	s->ntimes = n;
	return s;
}

/*
 * SurvivalCountsError
 *		Why the times and counts cannot form a summary, or NULL if they can:
 *		times finite, non-negative and strictly increasing, counts
 *		non-negative with at least one at each time, and a total (the number
 *		of subjects) within bigint.  With entries (version 2; entered NULL in
 *		version 1): some entry, none at time 0 (entry 0 is being observed
 *		from the start, as without entries), and subjects that could have
 *		entered before they left: at each time, at least as many at risk as
 *		leave there (the at-risk count SurvivalWalk gives), which is when
 *		some set of subjects with entry < exit has these counts.
 */
static const char *
SurvivalCountsError(int n, const double *times, const int64 *events,
					const int64 *censored, const int64 *entered)
{
	int64		total = 0;
	int64		entries = 0;
	int64		at_risk;
	int			i;

	for (i = 0; i < n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!isfinite(times[i]) || times[i] < 0.0)
			return "Durations must be finite and non-negative.";
		if (i > 0 && times[i] <= times[i - 1])
			return "Durations must be strictly increasing.";
		if (events[i] < 0 || censored[i] < 0 ||
			(entered != NULL && entered[i] < 0))
			return "A count is negative.";
		if (events[i] == 0 && censored[i] == 0 &&
			(entered == NULL || entered[i] == 0))
			return entered == NULL ? "Each duration needs an event or a censoring." :
				"Each time needs an event, a censoring or an entry.";
		if (pg_add_s64_overflow(total, events[i], &total) ||
			pg_add_s64_overflow(total, censored[i], &total))
			return "The total count exceeds the bigint range.";
		if (entered != NULL &&
			pg_add_s64_overflow(entries, entered[i], &entries))
			return "The total count exceeds the bigint range.";
	}
	if (entered == NULL)
		return NULL;
	if (entries == 0)
		return "A summary without entries is written in version 1.";
	if (n > 0 && times[0] == 0.0 && entered[0] != 0)
		return "Nobody enters at time 0: entry 0 is being observed from the start.";
	/* the subjects observed from the start, then the risk sets in order */
	at_risk = total - entries;
	for (i = 0; i < n; i++)
	{
		/* at_risk stays within 0..total, no overflow */
		if (at_risk < 0 || at_risk - events[i] < censored[i])
			return "More subjects leave at a time than have entered before it.";
		at_risk += entered[i] - events[i] - censored[i];
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
	if ((s->version != SURVIVAL_FORMAT_VERSION &&
		 s->version != SURVIVAL_FORMAT_ENTRY) || s->ntimes < 0 ||
		s->ntimes > SURVIVAL_MAX_TIMES ||
		VARSIZE(s) != SURVIVAL_SIZE_V(s->ntimes, s->version) ||
		SurvivalCountsError(s->ntimes, SURVIVAL_TIMES(s), SURVIVAL_EVENTS(s),
							SURVIVAL_CENSORED(s), SURVIVAL_ENTERED(s)) != NULL)
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

/* Start walking the risk sets of a checked summary (survival.h) */
void
SurvivalWalkStart(SurvivalWalk *w, const SurvivalSummary *s)
{
	const int64 *entered = SURVIVAL_ENTERED(s);
	int64		at_risk = SurvivalTotal(s);
	int			i;

	/* those observed from the start: all but the late entries */
	if (entered != NULL)
		for (i = 0; i < s->ntimes; i++)
			at_risk -= entered[i];
	w->s = s;
	w->next = 0;
	w->at_risk = at_risk;
}

/*
 * The next stored time with its risk set; false at the end.  The counts
 * cannot overflow nor go negative: SurvivalCheck bounds them.
 */
bool
SurvivalWalkNext(SurvivalWalk *w, SurvivalStep *p)
{
	const SurvivalSummary *s = w->s;
	const int64 *entered = SURVIVAL_ENTERED(s);
	int			i = w->next;

	if (i >= s->ntimes)
		return false;
	if ((i & 0xFFFF) == 0)
		CHECK_FOR_INTERRUPTS();
	p->time = SURVIVAL_TIMES(s)[i];
	p->at_risk = w->at_risk;
	p->events = SURVIVAL_EVENTS(s)[i];
	p->censored = SURVIVAL_CENSORED(s)[i];
	p->entered = entered != NULL ? entered[i] : 0;
	w->at_risk += p->entered - p->events - p->censored;
	w->next++;
	return true;
}

bool
SurvivalWalkPeek(const SurvivalWalk *w, double *time)
{
	if (w->next >= w->s->ntimes)
		return false;
	*time = SURVIVAL_TIMES(w->s)[w->next];
	return true;
}


/*
 * Text and binary I/O
 *
 * Text: {"version":1,"time":[t1,...],"events":[d1,...],"censored":[c1,...]}
 * (valid JSON, times in shortest round-trip form); with entries, version 2
 * and a fourth array "entered":[e1,...].  Binary: int8 version, int32 n,
 * then n float8 times, n int64 event counts, n int64 censoring counts, and
 * in version 2 n int64 entry counts.  Both are validated as
 * SurvivalCountsError says.
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
	int64	   *entered = NULL;
	int			version;
	int			nt,
				ne,
				nc,
				nn,
				i;
	SurvivalSummary *s;

	*problem = "Expected {\"version\":1,\"time\":[...],\"events\":[...],\"censored\":[...]}.";
	if (!KpiScanVersionRange(&scan, SURVIVAL_FORMAT_VERSION, SURVIVAL_FORMAT_ENTRY,
							 &version, problem))
		return NULL;
	if (version == SURVIVAL_FORMAT_ENTRY)
		*problem = "Expected {\"version\":2,\"time\":[...],\"events\":[...],\"censored\":[...],\"entered\":[...]}.";
	if (!KpiScanToken(&scan, ",") ||
		!SurvivalScanArray(&scan, "time", true, (void **) &times, &nt) ||
		!KpiScanToken(&scan, ",") ||
		!SurvivalScanArray(&scan, "events", false, (void **) &events, &ne) ||
		!KpiScanToken(&scan, ",") ||
		!SurvivalScanArray(&scan, "censored", false, (void **) &censored, &nc))
		return NULL;
	nn = nt;
	if (version == SURVIVAL_FORMAT_ENTRY &&
		(!KpiScanToken(&scan, ",") ||
		 !SurvivalScanArray(&scan, "entered", false, (void **) &entered, &nn)))
		return NULL;
	if (!KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
		return NULL;
	if (ne != nt || nc != nt || nn != nt)
	{
		*problem = version == SURVIVAL_FORMAT_ENTRY ?
			"The time, events, censored and entered arrays must have the same length." :
			"The time, events and censored arrays must have the same length.";
		return NULL;
	}
	if ((*problem = SurvivalCountsError(nt, times, events, censored, entered)) != NULL)
		return NULL;
	for (i = 0; i < nt; i++)
		times[i] += 0.0;		/* -0 is 0 */

	s = SurvivalCreate(nt, version);
	memcpy(SURVIVAL_TIMES(s), times, sizeof(double) * nt);
	memcpy(SURVIVAL_EVENTS(s), events, sizeof(int64) * nt);
	memcpy(SURVIVAL_CENSORED(s), censored, sizeof(int64) * nt);
	if (entered != NULL)
		memcpy(SURVIVAL_CENSORED(s) + nt, entered, sizeof(int64) * nt);	/* entered */
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
	if (SURVIVAL_ENTERED(s) != NULL)
	{
		appendStringInfoString(&buf, "],\"entered\":[");
		for (i = 0; i < s->ntimes; i++)
			appendStringInfo(&buf, i > 0 ? "," INT64_FORMAT : INT64_FORMAT,
							 SURVIVAL_ENTERED(s)[i]);
	}
	appendStringInfoString(&buf, "]}");
	PG_RETURN_CSTRING(buf.data);
}

/* Read the binary form of a version (after its version byte) into a new summary */
static SurvivalSummary *
SurvivalReadBinary(StringInfo buf, int version)
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
		(Size) (buf->len - buf->cursor) !=
		(Size) n * SURVIVAL_ARRAYS(version) * sizeof(int64))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("survival_summary binary input has %d bytes for %d durations",
						buf->len - buf->cursor, n)));
	s = SurvivalCreate(n, version);
	for (i = 0; i < n; i++)
		SURVIVAL_TIMES(s)[i] = pq_getmsgfloat8(buf) + 0.0;	/* -0 is 0 */
	for (i = 0; i < n; i++)
		SURVIVAL_EVENTS(s)[i] = pq_getmsgint64(buf);
	for (i = 0; i < n; i++)
		SURVIVAL_CENSORED(s)[i] = pq_getmsgint64(buf);
	if (version == SURVIVAL_FORMAT_ENTRY)
		for (i = 0; i < n; i++)
			SURVIVAL_ENTERED(s)[i] = pq_getmsgint64(buf);
	pq_getmsgend(buf);
	if ((problem = SurvivalCountsError(n, SURVIVAL_TIMES(s), SURVIVAL_EVENTS(s),
									   SURVIVAL_CENSORED(s),
									   SURVIVAL_ENTERED(s))) != NULL)
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
	if (version != SURVIVAL_FORMAT_VERSION && version != SURVIVAL_FORMAT_ENTRY)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported survival_summary binary format version %d", version)));
	return SurvivalReadBinary(buf, version);
}

Datum
survival_summary_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(SurvivalRecv((StringInfo) PG_GETARG_POINTER(0)));
}

static bytea *
SurvivalSend(const SurvivalSummary *s)
{
	StringInfoData buf;
	int			n = s->ntimes;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, s->version);
	pq_sendint32(&buf, n);
	for (i = 0; i < n; i++)
		pq_sendfloat8(&buf, SURVIVAL_TIMES(s)[i]);
	for (i = 0; i < n; i++)
		pq_sendint64(&buf, SURVIVAL_EVENTS(s)[i]);
	for (i = 0; i < n; i++)
		pq_sendint64(&buf, SURVIVAL_CENSORED(s)[i]);
	if (SURVIVAL_ENTERED(s) != NULL)
		for (i = 0; i < n; i++)
			pq_sendint64(&buf, SURVIVAL_ENTERED(s)[i]);
	return pq_endtypsend(&buf);
}

Datum
survival_summary_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(SurvivalSend(SurvivalGetArg(fcinfo, 0)));
}


/* The aggregates' state */

static Size SurvAggFlatSize(ExpandedObjectHeader *eoh);
static void SurvAggFlattenInto(ExpandedObjectHeader *eoh, void *result, Size size);

static const ExpandedObjectMethods SurvAggMethods = {
	SurvAggFlatSize,
	SurvAggFlattenInto
};

/* An empty state with room for capacity durations, for fcinfo (KpiExpandedCreateState) */
static SurvAgg *
SurvAggCreate(FunctionCallInfo fcinfo, int capacity)
{
	SurvAgg    *st = (SurvAgg *) KpiExpandedCreateState(fcinfo, sizeof(SurvAgg), &SurvAggMethods);

	st->table = KpiKeyedCreateSized(st->hdr.eoh_context, 3,
									Max(capacity, SURV_AGG_INITIAL));
	return st;
}

/* The key of a duration: the bits of the double, -0 made 0 */
static inline int64
SurvKey(double time)
{
	int64		key;

	time += 0.0;
	memcpy(&key, &time, sizeof(key));
	return key;
}

static inline double
SurvKeyTime(int64 key)
{
	double		time;

	memcpy(&time, &key, sizeof(time));
	return time;
}

static void
SurvCountOverflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("survival_summary count overflows")));
}

/* Whether a row of the table has no count (a time left out of the flat form) */
static inline bool
SurvRowEmpty(const int64 *row)
{
	return row[0] == 0 && row[1] == 0 && row[2] == 0;
}

/*
 * Make the dense array cover the whole duration time (< SURV_DENSE_MAX), if
 * it may grow that far (see SurvAgg); false if not
 */
static bool
SurvDenseGrow(SurvAgg *st, int32 time)
{
	uint32		size = Max(pg_nextpower2_32((uint32) time + 1), SURV_DENSE_MIN);
	uint32		count = st->table != NULL ? KpiKeyedCount(st->table) : 0;
	uint32		i;
	bool		keyed_left = false;

	Assert(time >= st->ndense && time < SURV_DENSE_MAX);
	if (size > SURV_DENSE_MIN && size > 4 * ((uint32) st->ntimes + 1))
		return false;
	if (st->dense == NULL)
		st->dense = MemoryContextAllocZero(st->hdr.eoh_context, sizeof(int64) * 3 * size);
	else
	{
		st->dense = repalloc(st->dense, sizeof(int64) * 3 * size);
		memset(st->dense + 3 * st->ndense, 0, sizeof(int64) * 3 * (size - st->ndense));
	}
	st->ndense = (int32) size;
	/* the durations now covered move out of the keyed table */
	for (i = 0; i < count; i++)
	{
		double		t = SurvKeyTime(KpiKeyedKey(st->table, i));
		int64	   *row = KpiKeyedRow(st->table, i);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (SurvRowEmpty(row))
			continue;
		if (t >= 0 && t < size && t == floor(t))
		{
			memcpy(st->dense + 3 * (int32) t, row, sizeof(int64) * 3);
			memset(row, 0, sizeof(int64) * 3);
		}
		else
			keyed_left = true;
	}
	if (st->table != NULL && !keyed_left)
	{
		KpiKeyedFree(st->table);
		st->table = NULL;
	}
	return true;
}

/*
 * The row {events, censored, entered} of a duration, zeroed if new: in the
 * dense array if the duration is a whole number it covers or may grow to
 * cover, else in the keyed table (found: whether the table had it).  Valid
 * until the next call.
 */
static inline int64 *
SurvAggRowOf(SurvAgg *st, double time, bool *found)
{
	*found = true;
	if (time >= 0 && time < st->ndense && time == (double) (int32) time)
		return st->dense + 3 * (int32) time;
	if (time >= st->ndense && time < SURV_DENSE_MAX && time == floor(time) &&
		SurvDenseGrow(st, (int32) time))
		return st->dense + 3 * (int32) time;
	if (st->table == NULL)
		st->table = KpiKeyedCreateSized(st->hdr.eoh_context, 3, SURV_AGG_INITIAL);
	return KpiKeyedLookup(st->table, SurvKey(time), found);
}

/* Add events, censorings and entries at a time */
static void
SurvAggAdd(SurvAgg *st, double time, int64 events, int64 censored, int64 entered)
{
	bool		found;
	int64	   *row = SurvAggRowOf(st, time, &found);
	bool		was_empty = SurvRowEmpty(row);

	if (!found && KpiKeyedCount(st->table) > SURVIVAL_MAX_TIMES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct durations in a survival summary")));
	/* the totals bound every count: a summary's totals are within bigint */
	if (pg_add_s64_overflow(st->total, events, &st->total) ||
		pg_add_s64_overflow(st->total, censored, &st->total) ||
		pg_add_s64_overflow(st->entered, entered, &st->entered))
		SurvCountOverflow();
	row[0] += events;
	row[1] += censored;
	row[2] += entered;
	if (was_empty && !SurvRowEmpty(row))
		st->ntimes++;
}

/*
 * Remove events, censorings and entries at a time (moving-window inverses);
 * false, leaving st as it was, if st does not hold them
 */
static bool
SurvAggRemove(SurvAgg *st, double time, int64 events, int64 censored, int64 entered)
{
	bool		found;
	int64	   *row = SurvAggRowOf(st, time, &found);

	if (row[0] < events || row[1] < censored || row[2] < entered)
		return false;
	row[0] -= events;
	row[1] -= censored;
	row[2] -= entered;
	st->total -= events + censored;
	st->entered -= entered;
	if (SurvRowEmpty(row) && (events != 0 || censored != 0 || entered != 0))
		st->ntimes--;
	return true;
}

/* st += s; st NULL creates it for fcinfo */
static SurvAgg *
SurvAggMerge(SurvAgg *st, FunctionCallInfo fcinfo, const SurvivalSummary *s)
{
	const int64 *entered = SURVIVAL_ENTERED(s);
	int			i;

	if (st == NULL)
		st = SurvAggCreate(fcinfo, s->ntimes);
	for (i = 0; i < s->ntimes; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		SurvAggAdd(st, SURVIVAL_TIMES(s)[i], SURVIVAL_EVENTS(s)[i],
				   SURVIVAL_CENSORED(s)[i], entered != NULL ? entered[i] : 0);
	}
	return st;
}

/* The format of a state's flat form: version 2 only with entries */
static inline int
SurvAggVersion(const SurvAgg *st)
{
	return st->entered > 0 ? SURVIVAL_FORMAT_ENTRY : SURVIVAL_FORMAT_VERSION;
}

static Size
SurvAggFlatSize(ExpandedObjectHeader *eoh)
{
	const SurvAgg *st = (const SurvAgg *) eoh;

	return SURVIVAL_SIZE_V(st->ntimes, SurvAggVersion(st));
}

static int
SurvEntryCompare(const void *a, const void *b)
{
	double		x = ((const SurvEntry *) a)->time;
	double		y = ((const SurvEntry *) b)->time;

	return (x > y) - (x < y);
}

/*
 * The flat form of a state, its durations sorted, into result
 * (EOM_flatten_into_method); through the validator, as every value
 * produced.  The keyed table's durations are sorted, then merged with the
 * dense array's, which are in order already.
 */
static void
SurvAggFlattenInto(ExpandedObjectHeader *eoh, void *result, Size size)
{
	const SurvAgg *st = (const SurvAgg *) eoh;
	SurvivalSummary *s = (SurvivalSummary *) result;
	SurvEntry  *sorted;
	uint32		count = st->table != NULL ? KpiKeyedCount(st->table) : 0;
	uint32		i;
	uint32		n = 0,
				nkeyed,
				k = 0;
	int32		d = 0;
	int			version = SurvAggVersion(st);

	/* scratch space in the state's own context (expanded.c says why) */
	sorted = MemoryContextAlloc(st->hdr.eoh_context, sizeof(SurvEntry) * Max(st->ntimes, 1));

	Assert(size == SURVIVAL_SIZE_V(st->ntimes, version));
	for (i = 0; i < count; i++)
	{
		const int64 *row = KpiKeyedRow(st->table, i);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (SurvRowEmpty(row))
			continue;
		Assert(n < st->ntimes);
		sorted[n].time = SurvKeyTime(KpiKeyedKey(st->table, i));
		sorted[n].events = row[0];
		sorted[n].censored = row[1];
		sorted[n].entered = row[2];
		n++;
	}
	qsort(sorted, n, sizeof(SurvEntry), SurvEntryCompare);
	nkeyed = n;
	memset(s, 0, offsetof(SurvivalSummary, data));
	SET_VARSIZE(s, size);
	s->version = version;
	s->ntimes = st->ntimes;
	for (i = 0; i < (uint32) st->ntimes; i++)
	{
		SurvEntry	e;

		/* the next non-empty dense row */
		while (d < st->ndense && SurvRowEmpty(st->dense + 3 * d))
			d++;
		if (d < st->ndense && (k == nkeyed || d < sorted[k].time))
		{
			e.time = d;
			e.events = st->dense[3 * d];
			e.censored = st->dense[3 * d + 1];
			e.entered = st->dense[3 * d + 2];
			d++;
		}
		else
		{
			Assert(k < nkeyed);
			e = sorted[k++];
		}
		SURVIVAL_TIMES(s)[i] = e.time;
		SURVIVAL_EVENTS(s)[i] = e.events;
		SURVIVAL_CENSORED(s)[i] = e.censored;
		if (version == SURVIVAL_FORMAT_ENTRY)
			SURVIVAL_ENTERED(s)[i] = e.entered;
	}
	Assert(k == nkeyed && d <= st->ndense);
	pfree(sorted);
	KpiCheckProduced("survival_summary",
					 SurvivalCountsError(st->ntimes, SURVIVAL_TIMES(s), SURVIVAL_EVENTS(s),
										 SURVIVAL_CENSORED(s), SURVIVAL_ENTERED(s)));
}

/*
 * The double precision duration (what: "duration") or entry ("entry") of
 * the row, argument argno
 */
static double
SurvDuration(FunctionCallInfo fcinfo, int argno, const char *what)
{
	double		t = PG_GETARG_FLOAT8(argno);

	if (!isfinite(t) || t < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s %s is out of range", what, float8out_internal(t)),
				 strcmp(what, "entry") == 0 ?
				 errhint("Entries must be finite and non-negative.") :
				 errhint("Durations must be finite and non-negative.")));
	return t;
}

/*
 * The interval duration (or entry, as SurvDuration) of the row, argument
 * argno, in days: its seconds, as
 * extract(epoch from duration) counts them, over 86,400.  That is
 * PostgreSQL's convention for an interval's months: a year (12 months) is
 * 365.25 days and each further month 30 days; a day is 24 hours.  The
 * microseconds are an exact int64 (the months and days in quarter-days, as
 * interval_part does), so that the double is extract(epoch from
 * duration)::float8 / 86400 exactly, the same bits as the user's own
 * conversion would give, below 2^53 microseconds (285 years); beyond the
 * int64 range of microseconds the sum is taken in double precision.
 */
static double
SurvIntervalDuration(FunctionCallInfo fcinfo, int argno, const char *what)
{
	Interval   *d = PG_GETARG_INTERVAL_P(argno);
	int64		secs,
				usecs;
	double		t;

	secs = ((int64) (4 * DAYS_PER_YEAR) * (d->month / MONTHS_PER_YEAR) +
			(int64) (4 * DAYS_PER_MONTH) * (d->month % MONTHS_PER_YEAR) +
			(int64) 4 * d->day) * (SECS_PER_DAY / 4);
	if (!pg_mul_s64_overflow(secs, USECS_PER_SEC, &usecs) &&
		!pg_add_s64_overflow(usecs, d->time, &usecs))
		t = ((double) usecs / USECS_PER_SEC) / SECS_PER_DAY;
	else
		t = ((double) secs + (double) d->time / USECS_PER_SEC) / SECS_PER_DAY;
	if (CRM_INTERVAL_NOT_FINITE(d) || !isfinite(t) || t < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s %s is out of range", what,
						DatumGetCString(DirectFunctionCall1(interval_out,
															IntervalPGetDatum(d)))),
				 strcmp(what, "entry") == 0 ?
				 errhint("Interval entries must be finite and non-negative.") :
				 errhint("Interval durations must be finite and non-negative.")));
	return t;
}

/*
 * Adds (or, remove, takes away) the row of fcinfo, (duration, event boolean)
 * or (duration, status integer: 1 event, 0 censored), neither NULL, with
 * the event or status argument at argno; t is its duration, entry its
 * entry (0: observed from the start, no entry counted), read by
 * SurvDuration or SurvIntervalDuration
 */
static void
SurvAggRow(FunctionCallInfo fcinfo, SurvAgg *st, double entry, double t,
		   int argno, bool status_coded, bool remove)
{
	int64		event;

	if (status_coded)
	{
		int32		status = PG_GETARG_INT32(argno);

		if (status != 0 && status != 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("event status %d is neither 0 nor 1", status),
					 errhint("Pass 1 for an event and 0 for a censored duration; for R's 1/2 coding pass status = 2.")));
		event = status;
	}
	else
		event = PG_GETARG_BOOL(argno) ? 1 : 0;
	/* R's Surv(start, stop) rejects stop <= start too */
	if (entry > 0.0 && entry >= t)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("entry %s is not before duration %s",
						float8out_internal(entry), float8out_internal(t)),
				 errhint("A subject enters before it leaves: entry < duration, both from the same origin; entry 0 means observed from the start.")));
	if (remove)
	{
		bool		found;

		/* the entry first, so that nothing is removed if either is missing */
		if ((entry > 0.0 &&
			 SurvAggRowOf(st, entry, &found)[2] < 1) ||
			!SurvAggRemove(st, t, event, 1 - event, 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot remove duration %s from a survival summary that does not hold it",
							float8out_internal(t))));
		if (entry > 0.0)
			SurvAggRemove(st, entry, 0, 0, 1);
	}
	else
	{
		SurvAggAdd(st, t, event, 1 - event, 0);
		if (entry > 0.0)
			SurvAggAdd(st, entry, 0, 0, 1);
	}
}

/*
 * The survival_summary state argument (0) to update: the aggregate's own
 * read/write expanded state in place, else an expanded copy
 */
static SurvAgg *
SurvStateArg(FunctionCallInfo fcinfo)
{
	SurvAgg    *st = (SurvAgg *) KpiExpandedInPlace(fcinfo, 0, &SurvAggMethods);

	if (st != NULL)
		return st;
	return SurvAggMerge(NULL, fcinfo, SurvivalGetArg(fcinfo, 0));
}

/*
 * A strict transition function of survival_agg on a survival_summary state:
 * (s, duration, event) or, with_entry, (s, entry, duration, event); an
 * interval duration and entry are taken in days (SurvIntervalDuration)
 */
static Datum
SurvivalAccumRow(FunctionCallInfo fcinfo, bool with_entry, bool is_interval,
				 bool status_coded, bool remove)
{
	SurvAgg    *st = SurvStateArg(fcinfo);
	int			argno = with_entry ? 2 : 1;
	double		entry = 0.0;
	double		t;

	if (is_interval)
	{
		t = SurvIntervalDuration(fcinfo, argno, "duration");
		if (with_entry)
			entry = SurvIntervalDuration(fcinfo, 1, "entry");
	}
	else
	{
		t = SurvDuration(fcinfo, argno, "duration");
		if (with_entry)
			entry = SurvDuration(fcinfo, 1, "entry");
	}
	SurvAggRow(fcinfo, st, entry, t, argno + 1, status_coded, remove);
	PG_RETURN_DATUM(EOHPGetRWDatum(&st->hdr));
}

/* The transition functions without an entry */
static Datum
SurvivalAccum(FunctionCallInfo fcinfo, bool is_interval, bool status_coded,
			  bool remove)
{
	return SurvivalAccumRow(fcinfo, false, is_interval, status_coded, remove);
}

/* survival_summary_accum(s, duration, event boolean): adds one duration */
Datum
survival_summary_accum(PG_FUNCTION_ARGS)
{
	return SurvivalAccum(fcinfo, false, false, false);
}

/* survival_summary_accum_status(s, duration, status integer): 1 event, 0 censored */
Datum
survival_summary_accum_status(PG_FUNCTION_ARGS)
{
	return SurvivalAccum(fcinfo, false, true, false);
}

/* survival_summary_deaccum(s, duration, event): inverse of survival_summary_accum */
Datum
survival_summary_deaccum(PG_FUNCTION_ARGS)
{
	return SurvivalAccum(fcinfo, false, false, true);
}

/* survival_summary_deaccum_status(s, duration, status): inverse of the status form */
Datum
survival_summary_deaccum_status(PG_FUNCTION_ARGS)
{
	return SurvivalAccum(fcinfo, false, true, true);
}

/* The same four with an interval duration, in days */
Datum
survival_summary_accum_interval(PG_FUNCTION_ARGS)
{
	return SurvivalAccum(fcinfo, true, false, false);
}

Datum
survival_summary_accum_status_interval(PG_FUNCTION_ARGS)
{
	return SurvivalAccum(fcinfo, true, true, false);
}

Datum
survival_summary_deaccum_interval(PG_FUNCTION_ARGS)
{
	return SurvivalAccum(fcinfo, true, false, true);
}

Datum
survival_summary_deaccum_status_interval(PG_FUNCTION_ARGS)
{
	return SurvivalAccum(fcinfo, true, true, true);
}

/*
 * The same eight with an entry: survival_summary_accum_entry(s, entry,
 * duration, event boolean) adds a subject observed from entry (0: from the
 * start) to duration, ...
 */
Datum
survival_summary_accum_entry(PG_FUNCTION_ARGS)
{
	return SurvivalAccumRow(fcinfo, true, false, false, false);
}

Datum
survival_summary_accum_entry_status(PG_FUNCTION_ARGS)
{
	return SurvivalAccumRow(fcinfo, true, false, true, false);
}

Datum
survival_summary_deaccum_entry(PG_FUNCTION_ARGS)
{
	return SurvivalAccumRow(fcinfo, true, false, false, true);
}

Datum
survival_summary_deaccum_entry_status(PG_FUNCTION_ARGS)
{
	return SurvivalAccumRow(fcinfo, true, false, true, true);
}

Datum
survival_summary_accum_entry_interval(PG_FUNCTION_ARGS)
{
	return SurvivalAccumRow(fcinfo, true, true, false, false);
}

Datum
survival_summary_accum_entry_status_interval(PG_FUNCTION_ARGS)
{
	return SurvivalAccumRow(fcinfo, true, true, true, false);
}

Datum
survival_summary_deaccum_entry_interval(PG_FUNCTION_ARGS)
{
	return SurvivalAccumRow(fcinfo, true, true, false, true);
}

Datum
survival_summary_deaccum_entry_status_interval(PG_FUNCTION_ARGS)
{
	return SurvivalAccumRow(fcinfo, true, true, true, true);
}

/*
 * survival_summary_combine(a, b): a + b.  The combine function of
 * survival_agg and the transition and combine function of
 * rollup(survival_summary); strict, so rollup starts from a copy of the
 * first non-NULL summary.
 */
Datum
survival_summary_combine(PG_FUNCTION_ARGS)
{
	SurvAgg    *st = SurvStateArg(fcinfo);

	st = SurvAggMerge(st, NULL, SurvivalGetArg(fcinfo, 1));
	PG_RETURN_DATUM(EOHPGetRWDatum(&st->hdr));
}

/* survival_summary_uncombine(a, b): a - b, the moving-window inverse of rollup() */
Datum
survival_summary_uncombine(PG_FUNCTION_ARGS)
{
	SurvAgg    *st = SurvStateArg(fcinfo);
	SurvivalSummary *b = SurvivalGetArg(fcinfo, 1);
	const int64 *entered = SURVIVAL_ENTERED(b);
	int			i;

	for (i = 0; i < b->ntimes; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!SurvAggRemove(st, SURVIVAL_TIMES(b)[i], SURVIVAL_EVENTS(b)[i],
						   SURVIVAL_CENSORED(b)[i], entered != NULL ? entered[i] : 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot remove a survival summary that was not merged in")));
	}
	PG_RETURN_DATUM(EOHPGetRWDatum(&st->hdr));
}

/*
 * survival_combine, survival_uncombine: the 1.1.0 names, now deprecated SQL
 * aliases calling the functions above; their symbols serve databases not yet
 * updated.
 */
KPI_FORMER_SYMBOL(survival_combine, survival_summary_combine);
KPI_FORMER_SYMBOL(survival_uncombine, survival_summary_uncombine);


/*
 * The support functions of survival_agg in 1.1.0, whose state is internal
 * (a SurvAgg pointer), for databases not yet updated (ALTER EXTENSION crm_kpi
 * UPDATE)
 */

static SurvAgg *
SurvGetState(FunctionCallInfo fcinfo, const char *caller)
{
	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "%s called in non-aggregate context", caller);
	if (PG_ARGISNULL(0))
		return SurvAggCreate(fcinfo, SURV_AGG_INITIAL);
	return (SurvAgg *) PG_GETARG_POINTER(0);
}

static Datum
SurvivalAccumInternal(FunctionCallInfo fcinfo, const char *caller,
					  bool status_coded, bool remove)
{
	SurvAgg    *st = SurvGetState(fcinfo, caller);

	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2))
		SurvAggRow(fcinfo, st, 0.0, SurvDuration(fcinfo, 1, "duration"), 2,
				   status_coded, remove);
	PG_RETURN_POINTER(st);
}

Datum
survival_accum(PG_FUNCTION_ARGS)
{
	return SurvivalAccumInternal(fcinfo, "survival_accum", false, false);
}

Datum
survival_accum_status(PG_FUNCTION_ARGS)
{
	return SurvivalAccumInternal(fcinfo, "survival_accum_status", true, false);
}

Datum
survival_deaccum(PG_FUNCTION_ARGS)
{
	return SurvivalAccumInternal(fcinfo, "survival_deaccum", false, true);
}

Datum
survival_deaccum_status(PG_FUNCTION_ARGS)
{
	return SurvivalAccumInternal(fcinfo, "survival_deaccum_status", true, true);
}

Datum
survival_state_combine(PG_FUNCTION_ARGS)
{
	SurvAgg    *a;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "survival_state_combine called in non-aggregate context");
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(PG_ARGISNULL(0) ? NULL : PG_GETARG_POINTER(0));
	a = PG_ARGISNULL(0) ? NULL : (SurvAgg *) PG_GETARG_POINTER(0);
	a = SurvAggMerge(a, fcinfo,
					 KpiExpandedFlatten((ExpandedObjectHeader *) PG_GETARG_POINTER(1)));
	PG_RETURN_POINTER(a);
}

Datum
survival_serialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(SurvivalSend(KpiExpandedFlatten((ExpandedObjectHeader *) PG_GETARG_POINTER(0))));
}

Datum
survival_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "survival_deserialize called in non-aggregate context");
	KpiReadBuffer(&buf, bytes);
	PG_RETURN_POINTER(SurvAggMerge(NULL, fcinfo, SurvivalRecv(&buf)));
}

Datum
survival_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(SurvivalCreate(0, SURVIVAL_FORMAT_VERSION));
	PG_RETURN_POINTER(KpiExpandedFlatten((ExpandedObjectHeader *) PG_GETARG_POINTER(0)));
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
