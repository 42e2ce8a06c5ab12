/*-------------------------------------------------------------------------
 *
 * cohort.c
 *	  Cohort retention, part 2: retention_summary (one cohort's counts per
 *	  period), its accessors, and the one-step aggregates retention_curve()
 *	  and retention_agg() over raw events.
 *
 * A retention_summary holds the cohort size and, per period k, how many of
 * its entities have fully reached k at as_of (eligible), were active in k
 * (on), and were active in k or later (on_or_after).  A share is
 * retained / cohort size, and NULL until every entity has reached the
 * period, so that young cohorts show no fake drops.  Summaries of disjoint
 * sets of entities merge by adding counts.
 *
 *-------------------------------------------------------------------------
 */
#include "retention.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

/* Version 2 records the time zone; version 1 (1.1.0) values still read */
#define RETENTION_FORMAT_VERSION 2

#define MODE_ON				0
#define MODE_ON_OR_AFTER	1

PG_FUNCTION_INFO_V1(retention_summary_in);
PG_FUNCTION_INFO_V1(retention_summary_out);
PG_FUNCTION_INFO_V1(retention_summary_recv);
PG_FUNCTION_INFO_V1(retention_summary_send);
PG_FUNCTION_INFO_V1(retention_summary_accum);
PG_FUNCTION_INFO_V1(retention_summary_combine);
PG_FUNCTION_INFO_V1(retention_summary_uncombine);
PG_FUNCTION_INFO_V1(retention_cohort_size);
PG_FUNCTION_INFO_V1(retention_eligible);
PG_FUNCTION_INFO_V1(retention_retained);
PG_FUNCTION_INFO_V1(retention_rate);
PG_FUNCTION_INFO_V1(retention_curve);
PG_FUNCTION_INFO_V1(retention_table);
PG_FUNCTION_INFO_V1(retention_proportion);
PG_FUNCTION_INFO_V1(retention_event_state_accum);
KPI_FORMER_SYMBOL(retention_event_accum, retention_event_state_accum);
PG_FUNCTION_INFO_V1(retention_event_state_combine);
KPI_FORMER_SYMBOL(retention_event_combine, retention_event_state_combine);
PG_FUNCTION_INFO_V1(retention_event_state_serialize);
KPI_FORMER_SYMBOL(retention_event_serialize, retention_event_state_serialize);
PG_FUNCTION_INFO_V1(retention_event_state_deserialize);
KPI_FORMER_SYMBOL(retention_event_deserialize, retention_event_state_deserialize);
PG_FUNCTION_INFO_V1(retention_curve_final);
KPI_FORMER_SYMBOL(retention_event_curve, retention_curve_final);
PG_FUNCTION_INFO_V1(retention_agg_final);
KPI_FORMER_SYMBOL(retention_event_summary, retention_agg_final);


typedef struct RetentionSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* RETENTION_FORMAT_VERSION (or 1, zone_len 0) */
	uint8		unit;
	uint8		zone_len;		/* length of the time zone name at the end */
	uint8		reserved;		/* zero */
	int32		periods;		/* N */
	int64		length;
	int64		entities;		/* cohort size */
	int64		counts[FLEXIBLE_ARRAY_MEMBER];	/* eligible[N], on[N],
												 * on_or_after[N] */
} RetentionSummary;

/* the size before the time zone name */
#define RETENTION_SIZE(n)	(offsetof(RetentionSummary, counts) + sizeof(int64) * 3 * (n))
#define ELIGIBLE(s)			((s)->counts)
#define ON(s)				((s)->counts + (s)->periods)
#define ON_OR_AFTER(s)		((s)->counts + 2 * (s)->periods)

static const char *const CountNames[] = {"eligible", "on", "on_or_after"};

static RetentionSummary *
RetentionCreate(const RetentionPeriod *p, int32 periods)
{
	int			zone_len = RetentionZoneLen(p);
	Size		size = RETENTION_SIZE(periods) + zone_len;
	RetentionSummary *s = palloc0(size);

	SET_VARSIZE(s, size);
	s->version = RETENTION_FORMAT_VERSION;
	s->unit = p->unit;
	s->zone_len = zone_len;
	RetentionCopyZone((char *) RETENTION_ZONE(s), p);
	s->length = p->length;
	s->periods = periods;
	return s;
}

/*
 * Why the counts are inconsistent, or NULL: each period's counts satisfy
 * on <= on_or_after <= eligible <= entities, and eligibility never grows
 * with the period.
 */
static const char *
RetentionCountsError(const RetentionSummary *s)
{
	int			k;

	if (s->entities < 0)
		return "The cohort size is negative.";
	for (k = 0; k < s->periods; k++)
	{
		if (ON(s)[k] < 0 || ON(s)[k] > ON_OR_AFTER(s)[k] ||
			ON_OR_AFTER(s)[k] > ELIGIBLE(s)[k] || ELIGIBLE(s)[k] > s->entities ||
			(k > 0 && ELIGIBLE(s)[k] > ELIGIBLE(s)[k - 1]))
			return "Each period needs 0 <= on <= on_or_after <= eligible <= entities, with eligible not increasing.";
	}
	return NULL;
}

/*
 * Is a stored value what this code writes?  The header must describe the
 * value's own size; with "full" the counts must be consistent too.
 */
static bool
RetentionValid(const void *value, bool full)
{
	const RetentionSummary *s = value;

	if (VARSIZE(s) < offsetof(RetentionSummary, counts) ||
		!(s->version == RETENTION_FORMAT_VERSION || (s->version == 1 && s->zone_len == 0)) ||
		s->reserved != 0 ||
		s->unit < RETENTION_DAY || s->unit > RETENTION_ROLLING ||
		(s->unit == RETENTION_ROLLING) != (s->length > 0) || s->length < 0 ||
		s->periods < 1 || s->periods > RETENTION_MAX_PERIODS ||
		VARSIZE(s) != RETENTION_SIZE(s->periods) + s->zone_len ||
		(s->zone_len > 0 &&
		 (s->unit == RETENTION_ROLLING || !RetentionZoneNameValid(RETENTION_ZONE(s), s->zone_len))))
		return false;
	return !full || RetentionCountsError(s) == NULL;
}

static const KpiSummaryType RetentionType = {"retention_summary", -1, RetentionValid};

/* A retention_summary argument to read */
#define RetentionGetArg(fcinfo, argno) \
	((RetentionSummary *) KpiSummaryArg(fcinfo, argno, &RetentionType))

static RetentionPeriod
RetentionSummaryPeriod(const RetentionSummary *s)
{
	return RetentionStoredPeriod(s->unit, s->length, RETENTION_ZONE(s), s->zone_len);
}

/*
 * Add one entity, active in the periods of bits, that has fully reached its
 * first "reached" periods.  Counts cannot overflow: each is at most the
 * number of entities added, one per row or per merged summary (checked).
 */
static void
RetentionAddEntity(RetentionSummary *s, const uint64 *bits, int64 reached)
{
	bool		later = BIT_IS_SET(bits, s->periods);
	int			n = (int) Max(Min(reached, (int64) s->periods), 0);
	int			k;

	if (unlikely(s->entities == PG_INT64_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("retention_summary count overflows")));
	s->entities++;
	for (k = s->periods - 1; k >= 0; k--)
	{
		bool		on = BIT_IS_SET(bits, k);

		later = later || on;
		if (k < n)
		{
			ELIGIBLE(s)[k]++;
			ON(s)[k] += on;
			ON_OR_AFTER(s)[k] += later;
		}
	}
}

/* How many periods after origin are complete at as_of (may be negative) */
static int64
RetentionReached(const RetentionPeriod *p, int64 origin, TimestampTz as_of)
{
	return RetentionIndex(p, origin, as_of);
}

/*
 * Text: {"version":2,"period":"month","time_zone":"UTC","periods":N,"entities":S,
 *		  "eligible":[...],"on":[...],"on_or_after":[...]}
 */
static RetentionSummary *
RetentionParse(const char *str, const char **problem)
{
	KpiScanner	scan = {str};
	int64		periods,
				entities;
	RetentionPeriod p;
	int			version;
	RetentionSummary *s;
	int			c;

	*problem = "Expected {\"version\":2,\"period\":...,\"periods\":N,\"entities\":S,\"eligible\":[...],\"on\":[...],\"on_or_after\":[...]}.";
	if (!KpiScanVersionRange(&scan, 1, RETENTION_FORMAT_VERSION, &version, problem))
		return NULL;
	if (!KpiScanToken(&scan, ",") || !RetentionScanPeriod(&scan, version, &p, problem) ||
		!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "periods") || !KpiScanInt64(&scan, &periods) ||
		!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "entities") || !KpiScanInt64(&scan, &entities))
		return NULL;
	if (periods < 1 || periods > RETENTION_MAX_PERIODS)
	{
		*problem = "The number of periods must be between 1 and 1024.";
		return NULL;
	}
	/* memory follows content: 3 lists of N numbers take 6 N characters */
	if (strlen(scan.pos) < 6 * (size_t) periods)
	{
		*problem = psprintf("The literal is too short for " INT64_FORMAT " periods.", periods);
		return NULL;
	}
	s = RetentionCreate(&p, (int32) periods);
	s->entities = entities;
	for (c = 0; c < 3; c++)
	{
		*problem = psprintf("Expected \"%s\" with " INT64_FORMAT " counts.", CountNames[c], periods);
		if (!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, CountNames[c]) ||
			!KpiScanToken(&scan, "[") ||
			!KpiScanInt64List(&scan, &s->counts[c * periods], periods))
			return NULL;
	}
	if (!KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
	{
		*problem = "Expected a closing } and nothing after it.";
		return NULL;
	}
	if ((*problem = RetentionCountsError(s)) != NULL)
		return NULL;
	return s;
}

Datum
retention_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *problem;
	RetentionSummary *s = RetentionParse(str, &problem);

	if (s == NULL)
		KPI_TEXT_INPUT_ERROR(fcinfo, RetentionType.name, str, problem);
	PG_RETURN_POINTER(s);
}

Datum
retention_summary_out(PG_FUNCTION_ARGS)
{
	RetentionSummary *s = RetentionGetArg(fcinfo, 0);
	RetentionPeriod p = RetentionSummaryPeriod(s);
	StringInfoData buf;
	int			c,
				k;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d,", RETENTION_FORMAT_VERSION);
	RetentionAppendPeriod(&buf, &p);
	appendStringInfo(&buf, ",\"periods\":%d,\"entities\":" INT64_FORMAT,
					 s->periods, s->entities);
	for (c = 0; c < 3; c++)
	{
		appendStringInfo(&buf, ",\"%s\":[", CountNames[c]);
		for (k = 0; k < s->periods; k++)
			appendStringInfo(&buf, k > 0 ? "," INT64_FORMAT : INT64_FORMAT,
							 s->counts[c * s->periods + k]);
		appendStringInfoChar(&buf, ']');
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* Binary: int8 version, period, int32 periods, int64 entities, int64 counts */
Datum
retention_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	RetentionPeriod p;
	const char *problem;
	int			version;
	int32		periods;
	RetentionSummary *s;
	int			i;

	version = KpiRecvVersionRange(buf, RetentionType.name, 1, RETENTION_FORMAT_VERSION);
	if ((problem = RetentionRecvPeriod(buf, version, &p)) != NULL)
		KpiBinaryInputError(RetentionType.name, "%s", problem);
	KpiRecvNeed(buf, RetentionType.name, 4, false);
	periods = pq_getmsgint(buf, 4);
	if (periods < 1 || periods > RETENTION_MAX_PERIODS)
		KpiBinaryInputError(RetentionType.name, "The number of periods must be between 1 and 1024.");
	KpiRecvNeed(buf, RetentionType.name, sizeof(int64) * (1 + 3 * periods), true);
	s = RetentionCreate(&p, periods);
	s->entities = pq_getmsgint64(buf);
	for (i = 0; i < 3 * periods; i++)
		s->counts[i] = pq_getmsgint64(buf);
	KpiRecvEnd(buf, RetentionType.name);
	if ((problem = RetentionCountsError(s)) != NULL)
		KpiBinaryInputError(RetentionType.name, "%s", problem);
	PG_RETURN_POINTER(s);
}

Datum
retention_summary_send(PG_FUNCTION_ARGS)
{
	RetentionSummary *s = RetentionGetArg(fcinfo, 0);
	RetentionPeriod p = RetentionSummaryPeriod(s);
	StringInfoData buf;
	int			i;

	KpiSendVersion(&buf, RETENTION_FORMAT_VERSION);
	RetentionSendPeriod(&buf, &p);
	pq_sendint32(&buf, s->periods);
	pq_sendint64(&buf, s->entities);
	for (i = 0; i < 3 * s->periods; i++)
		pq_sendint64(&buf, s->counts[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * retention_summary_accum(state, activity [, as_of])
 *		Transition of retention_agg(activity_summary [, as_of]): adds one
 *		entity.  NULL summaries are skipped; a NULL as_of censors nothing.
 */
Datum
retention_summary_accum(PG_FUNCTION_ARGS)
{
	RetentionSummary *s;
	ActivitySummary *a;
	RetentionPeriod p;
	int64		reached;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	a = ActivityGetArg(fcinfo, 1);
	p = ActivityPeriod(a);
	if (PG_ARGISNULL(0))
		s = RetentionCreate(&p, a->periods);
	else
	{
		RetentionPeriod sp;

		s = KpiSummaryState(fcinfo, 0, &RetentionType);
		sp = RetentionSummaryPeriod(s);
		if (s->unit != a->unit || s->length != a->length || s->periods != a->periods)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot add an activity summary with periods %s x %d to a retention summary with periods %s x %d",
							RetentionPeriodName(&p), a->periods,
							RetentionPeriodName(&sp), s->periods)));
		RetentionCheckSameZone("activity summaries", &sp, &p);
	}
	reached = a->periods;
	if (PG_NARGS() > 2 && !PG_ARGISNULL(2))
		reached = RetentionReached(&p, a->origin, PG_GETARG_TIMESTAMPTZ(2));
	/* keeps every invariant of a valid state: nothing to check per row */
	RetentionAddEntity(s, a->bits, reached);
	PG_RETURN_POINTER(s);
}

static void
RetentionCheckSame(const RetentionSummary *a, const RetentionSummary *b)
{
	RetentionPeriod pa = RetentionSummaryPeriod(a);
	RetentionPeriod pb = RetentionSummaryPeriod(b);

	if (a->unit != b->unit || a->length != b->length || a->periods != b->periods)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge retention summaries with periods %s x %d and %s x %d",
						RetentionPeriodName(&pa), a->periods,
						RetentionPeriodName(&pb), b->periods)));
	RetentionCheckSameZone("retention summaries", &pa, &pb);
}

/* retention_summary_combine(a, b): a + b (cohorts of distinct entities) */
Datum
retention_summary_combine(PG_FUNCTION_ARGS)
{
	RetentionSummary *a = KpiSummaryMergeState(fcinfo, 0, &RetentionType);
	RetentionSummary *b = RetentionGetArg(fcinfo, 1);
	int			i;

	RetentionCheckSame(a, b);
	if (pg_add_s64_overflow(a->entities, b->entities, &a->entities))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("retention_summary count overflows")));
	/* every count is at most entities, but a's state is checked lightly */
	for (i = 0; i < 3 * a->periods; i++)
		if (pg_add_s64_overflow(a->counts[i], b->counts[i], &a->counts[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("retention_summary count overflows")));
	KpiCheckProduced("retention_summary", RetentionCountsError(a));
	PG_RETURN_POINTER(a);
}

/* retention_summary_uncombine(a, b): a - b, the moving-window inverse */
Datum
retention_summary_uncombine(PG_FUNCTION_ARGS)
{
	RetentionSummary *a = KpiSummaryMergeState(fcinfo, 0, &RetentionType);
	RetentionSummary *b = RetentionGetArg(fcinfo, 1);
	bool		bad;
	int			i;

	RetentionCheckSame(a, b);
	/* an overflow, as any inconsistency, means b was not merged in */
	bad = pg_sub_s64_overflow(a->entities, b->entities, &a->entities);
	for (i = 0; i < 3 * a->periods && !bad; i++)
		bad = pg_sub_s64_overflow(a->counts[i], b->counts[i], &a->counts[i]);
	if (bad || RetentionCountsError(a) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove a retention summary that was not merged in")));
	PG_RETURN_POINTER(a);
}


/* Accessors */

static int
ModeArg(FunctionCallInfo fcinfo, int argno)
{
	text	   *mode;

	if (PG_NARGS() <= argno)
		return MODE_ON;
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("retention mode must not be null")));
	mode = PG_GETARG_TEXT_PP(argno);
	if (RetentionTextIs(mode, "on"))
		return MODE_ON;
	if (RetentionTextIs(mode, "on_or_after"))
		return MODE_ON_OR_AFTER;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unrecognized retention mode \"%s\"", text_to_cstring(mode)),
			 errhint("Valid modes are \"on\" and \"on_or_after\".")));
	return MODE_ON;				/* keep compiler quiet */
}

static int
PeriodIndexArg(FunctionCallInfo fcinfo, const RetentionSummary *s, int argno)
{
	int32		k = PG_GETARG_INT32(argno);

	if (k < 0 || k >= s->periods)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period %d is out of range for a retention summary of %d periods",
						k, s->periods),
				 errhint("Periods are numbered from 0 to %d.", s->periods - 1)));
	return k;
}

static inline int64
Retained(const RetentionSummary *s, int k, int mode)
{
	return mode == MODE_ON ? ON(s)[k] : ON_OR_AFTER(s)[k];
}

/* The share of period k: NULL unless the whole (non-empty) cohort reached it */
static bool
RetentionShare(const RetentionSummary *s, int k, int mode, double *share)
{
	if (s->entities == 0 || ELIGIBLE(s)[k] < s->entities)
		return false;
	*share = (double) Retained(s, k, mode) / (double) s->entities;
	return true;
}

Datum
retention_cohort_size(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(RetentionGetArg(fcinfo, 0)->entities);
}

Datum
retention_eligible(PG_FUNCTION_ARGS)
{
	RetentionSummary *s = RetentionGetArg(fcinfo, 0);

	PG_RETURN_INT64(ELIGIBLE(s)[PeriodIndexArg(fcinfo, s, 1)]);
}

Datum
retention_retained(PG_FUNCTION_ARGS)
{
	RetentionSummary *s = RetentionGetArg(fcinfo, 0);
	int			k = PeriodIndexArg(fcinfo, s, 1);

	PG_RETURN_INT64(Retained(s, k, ModeArg(fcinfo, 2)));
}

Datum
retention_rate(PG_FUNCTION_ARGS)
{
	RetentionSummary *s = RetentionGetArg(fcinfo, 0);
	int			k = PeriodIndexArg(fcinfo, s, 1);
	double		share;

	if (!RetentionShare(s, k, ModeArg(fcinfo, 2), &share))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(share);
}

/*
 * retention_proportion(s, period, mode): the retained entities of the cohort
 * as a proportion_summary, for rate_ci() and proportion_compare(); NULL until
 * the whole cohort has reached the period, as the share.
 */
Datum
retention_proportion(PG_FUNCTION_ARGS)
{
	RetentionSummary *s = RetentionGetArg(fcinfo, 0);
	int			k = PeriodIndexArg(fcinfo, s, 1);
	int			mode = ModeArg(fcinfo, 2);

	if (ELIGIBLE(s)[k] < s->entities)
		PG_RETURN_NULL();
	return KpiProportionDatum(Retained(s, k, mode), s->entities);
}

/* The shares of periods 0..N-1 as an array, NULL where censored */
static ArrayType *
RetentionCurveArray(const RetentionSummary *s, int mode)
{
	Datum	   *elems = palloc(sizeof(Datum) * s->periods);
	bool	   *nulls = palloc(sizeof(bool) * s->periods);
	int			dims[1] = {s->periods};
	int			lbs[1] = {1};
	int			k;

	for (k = 0; k < s->periods; k++)
	{
		double		share;

		nulls[k] = !RetentionShare(s, k, mode, &share);
		elems[k] = nulls[k] ? (Datum) 0 : Float8GetDatum(share);
	}
	return construct_md_array(elems, nulls, 1, dims, lbs, FLOAT8OID,
							  sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

Datum
retention_curve(PG_FUNCTION_ARGS)
{
	RetentionSummary *s = RetentionGetArg(fcinfo, 0);

	PG_RETURN_ARRAYTYPE_P(RetentionCurveArray(s, ModeArg(fcinfo, 1)));
}

/* retention_table(s, mode): (period, cohort_size, eligible, retained, share) */
Datum
retention_table(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	RetentionSummary *s;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		s = KpiSummaryCopy(fcinfo, 0, &RetentionType);
		funcctx->user_fctx = s;
		funcctx->max_calls = s->periods;
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	s = (RetentionSummary *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		int			k = (int) funcctx->call_cntr;
		int			mode = ModeArg(fcinfo, 1);
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};
		double		share = 0.0;

		nulls[4] = !RetentionShare(s, k, mode, &share);
		values[0] = Int32GetDatum(k);
		values[1] = Int64GetDatum(s->entities);
		values[2] = Int64GetDatum(ELIGIBLE(s)[k]);
		values[3] = Int64GetDatum(Retained(s, k, mode));
		values[4] = Float8GetDatum(share);
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}


/*
 * One-step aggregates over events: retention_curve(entity, cohort_start,
 * activity, period, periods [, mode, alignment, as_of [, time_zone]]) and
 * retention_agg(entity, cohort_start, activity, period, periods
 * [, alignment, as_of [, time_zone]]).  The state maps each entity to its row
 *		[0] cohort start, [1] origin, [2..] bitmap of periods 0..N.
 */

typedef struct RetentionEvents
{
	RetentionPeriod period;
	int32		periods;
	int32		mode;			/* for retention_curve's result */
	bool		censored;		/* as_of given? */
	TimestampTz as_of;
	KpiKeyedTable *table;
} RetentionEvents;

#define EVENTS_WIDTH(periods)	(2 + BITMAP_WORDS(periods))

/* The serialized state's format, and its name in errors */
#define EVENTS_SERIAL_VERSION 2
#define EVENTS_STATE_NAME "retention events state"

static RetentionEvents *
EventsCreate(MemoryContext cxt, const RetentionPeriod *p, int32 periods,
			 int mode, bool censored, TimestampTz as_of)
{
	RetentionEvents *e = MemoryContextAllocZero(cxt, sizeof(RetentionEvents));

	e->period = *p;
	e->periods = periods;
	e->mode = mode;
	e->censored = censored;
	e->as_of = as_of;
	e->table = KpiKeyedCreate(cxt, EVENTS_WIDTH(periods));
	return e;
}

static void
EventsCheckSameStart(int64 entity, int64 a, int64 b)
{
	if (a != b)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("entity " INT64_FORMAT " has two cohort starts, %s and %s",
						entity, RetentionTimestampText(a), RetentionTimestampText(b)),
				 errhint("Each entity belongs to one cohort: give every row of an entity the same start.")));
}

static void
EventsCheckSame(const RetentionEvents *a, const RetentionEvents *b)
{
	if (!RetentionSamePeriod(&a->period, &b->period) || a->periods != b->periods ||
		a->mode != b->mode || a->censored != b->censored ||
		(a->censored && a->as_of != b->as_of))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention parameters changed within one aggregate")));
}

/*
 * retention_event_state_accum(state, entity, cohort_start, activity, period,
 *		periods [[, mode], alignment, as_of [, time_zone]])
 * retention_curve's forms have a mode (argument 6), with 9 or 10 arguments;
 * retention_agg's have none, with 6, 8 or 9.  Rows with a NULL entity or
 * start are skipped; a NULL activity adds the entity to the cohort.
 */
Datum
retention_event_state_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	RetentionEvents *e;
	RetentionEvents params;
	bool		curve = PG_NARGS() == 10 ||
		(PG_NARGS() == 9 && get_fn_expr_argtype(fcinfo->flinfo, 8) == TIMESTAMPTZOID);
	int			extra = curve ? 1 : 0;
	int			as_of_argno = 7 + extra;
	int64		entity;
	TimestampTz start;
	int64	   *row;
	bool		found;

	aggcxt = KpiAggContext(fcinfo);

	/* the parameters of this row; reading them allocates nothing */
	params.period = RetentionPeriodArgs(fcinfo, 4, 6 + extra, as_of_argno + 1, &params.periods);
	params.mode = extra ? ModeArg(fcinfo, 6) : MODE_ON;
	params.censored = PG_NARGS() > as_of_argno && !PG_ARGISNULL(as_of_argno);
	params.as_of = params.censored ? PG_GETARG_TIMESTAMPTZ(as_of_argno) : 0;

	if (PG_ARGISNULL(0))
	{
		if (params.censored)
			RetentionCheckFinite(params.as_of);
		e = EventsCreate(aggcxt, &params.period, params.periods, params.mode,
						 params.censored, params.as_of);
	}
	else
	{
		e = (RetentionEvents *) PG_GETARG_POINTER(0);
		EventsCheckSame(e, &params);
	}

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(e);
	entity = PG_GETARG_INT64(1);
	start = PG_GETARG_TIMESTAMPTZ(2);

	row = KpiKeyedLookup(e->table, entity, &found);
	if (!found)
	{
		row[0] = start;
		row[1] = RetentionOrigin(&e->period, start);
	}
	else
		EventsCheckSameStart(entity, row[0], start);
	if (!PG_ARGISNULL(3))
		ActivityMark((uint64 *) (row + 2), &e->period, e->periods, row[0], row[1],
					 PG_GETARG_TIMESTAMPTZ(3));
	PG_RETURN_POINTER(e);
}

/* Merge the entities of src into dst */
static void
EventsMerge(RetentionEvents *dst, const RetentionEvents *src)
{
	int			width = EVENTS_WIDTH(dst->periods);
	uint32		i;
	int			j;

	for (i = 0; i < KpiKeyedCount(src->table); i++)
	{
		int64		key = KpiKeyedKey(src->table, i);
		int64	   *from = KpiKeyedRow(src->table, i);
		bool		found;
		int64	   *to = KpiKeyedLookup(dst->table, key, &found);

		if (!found)
			memcpy(to, from, sizeof(int64) * width);
		else
		{
			EventsCheckSameStart(key, to[0], from[0]);
			for (j = 2; j < width; j++)
				to[j] |= from[j];
		}
		CHECK_FOR_INTERRUPTS();
	}
}

/* An empty state with the parameters of like (for KpiCombineInternal) */
static void *
EventsCreateLike(MemoryContext cxt, const void *like)
{
	const RetentionEvents *b = like;

	return EventsCreate(cxt, &b->period, b->periods, b->mode, b->censored, b->as_of);
}

static void
EventsMergeStates(void *a, const void *b)
{
	EventsCheckSame(a, b);
	EventsMerge(a, b);
}

Datum
retention_event_state_combine(PG_FUNCTION_ARGS)
{
	return KpiCombineInternal(fcinfo, EventsCreateLike, EventsMergeStates);
}

/*
 * Serialized: int8 version, period, int32 periods, int8 mode, int8
 * censored, int64 as_of, then the keyed table (KpiKeyedSend)
 */
Datum
retention_event_state_serialize(PG_FUNCTION_ARGS)
{
	RetentionEvents *e = (RetentionEvents *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	KpiSendVersion(&buf, EVENTS_SERIAL_VERSION);
	RetentionSendPeriod(&buf, &e->period);
	pq_sendint32(&buf, e->periods);
	pq_sendbyte(&buf, e->mode);
	pq_sendbyte(&buf, e->censored);
	pq_sendint64(&buf, e->as_of);
	KpiKeyedSend(&buf, e->table);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
retention_event_state_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	RetentionEvents *e;
	RetentionPeriod p;
	const char *problem;
	int32		periods;
	int			mode;
	bool		censored;
	TimestampTz as_of;

	KpiAggContext(fcinfo);
	KpiReadBuffer(&buf, bytes);
	KpiRecvVersion(&buf, EVENTS_STATE_NAME, EVENTS_SERIAL_VERSION);
	if ((problem = RetentionRecvPeriod(&buf, EVENTS_SERIAL_VERSION, &p)) != NULL)
		KpiBinaryInputError(EVENTS_STATE_NAME, "%s", problem);
	KpiRecvNeed(&buf, EVENTS_STATE_NAME, 4 + 1 + 1 + 8, false);
	periods = RetentionCheckPeriods(pq_getmsgint(&buf, 4));
	mode = pq_getmsgbyte(&buf);
	censored = pq_getmsgbyte(&buf) != 0;
	as_of = pq_getmsgint64(&buf);
	if (mode != MODE_ON && mode != MODE_ON_OR_AFTER)
		KpiBinaryInputError(EVENTS_STATE_NAME, "The mode %d is unknown.", mode);
	e = EventsCreate(CurrentMemoryContext, &p, periods, mode, censored, as_of);
	e->table = KpiKeyedRecv(&buf, CurrentMemoryContext, EVENTS_WIDTH(periods));
	KpiRecvEnd(&buf, EVENTS_STATE_NAME);
	PG_RETURN_POINTER(e);
}

/* The cohort counts of the entities seen, in the current memory context */
static RetentionSummary *
EventsSummary(const RetentionEvents *e)
{
	RetentionSummary *s = RetentionCreate(&e->period, e->periods);
	uint32		i;

	for (i = 0; i < KpiKeyedCount(e->table); i++)
	{
		int64	   *row = KpiKeyedRow(e->table, i);
		int64		reached = e->censored ?
			RetentionReached(&e->period, row[1], e->as_of) : e->periods;

		RetentionAddEntity(s, (uint64 *) (row + 2), reached);
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	KpiCheckProduced("retention_summary", RetentionCountsError(s));
	return s;
}

/* The finals return NULL when no row had an entity and a start */
Datum
retention_curve_final(PG_FUNCTION_ARGS)
{
	RetentionEvents *e = (RetentionEvents *) PG_GETARG_POINTER(0);

	if (KpiKeyedCount(e->table) == 0)
		PG_RETURN_NULL();
	PG_RETURN_ARRAYTYPE_P(RetentionCurveArray(EventsSummary(e), e->mode));
}

Datum
retention_agg_final(PG_FUNCTION_ARGS)
{
	RetentionEvents *e = (RetentionEvents *) PG_GETARG_POINTER(0);

	if (KpiKeyedCount(e->table) == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(EventsSummary(e));
}
