/*-------------------------------------------------------------------------
 *
 * cohort.c
 *	  Cohort retention, part 2: retention_summary (one cohort's counts per
 *	  period) and its accessors.  The one-step aggregates over raw events
 *	  count their entities' bitmaps here too (cohort_activity.c).
 *
 * A retention_summary holds the cohort size and, per period k, how many of
 * its entities have fully reached k at as_of (eligible: period k has ended
 * by as_of), were active in k (on), and were active in k or later
 * (on_or_after).  A share is retained / eligible: among the entities that
 * could have been active in the whole period, so that young cohorts show no
 * fake drops and a segment of cohorts of different ages still gets a share
 * per period; NULL when no entity has reached the period yet, 0 when all
 * that did churned.  as_of defaults to the transaction time, now(), as a
 * dashboard expects.  Summaries of disjoint sets of entities merge by
 * adding counts.
 *
 *-------------------------------------------------------------------------
 */
#include "retention.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

/* Version 2 records the time zone; version 1 (1.1.0) values still read */
#define RETENTION_FORMAT_VERSION 2

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
PG_FUNCTION_INFO_V1(cohort_retention_table);
PG_FUNCTION_INFO_V1(retention_proportion);


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
 *		entity, censored at as_of; without it, or NULL, at the transaction
 *		time (now(), which parallel workers share with their leader).  NULL
 *		summaries are skipped.
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
	reached = RetentionReached(&p, a->origin,
							   PG_NARGS() > 2 && !PG_ARGISNULL(2) ?
							   PG_GETARG_TIMESTAMPTZ(2) :
							   GetCurrentTransactionStartTimestamp());
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

/* The mode argument argno ("on" when the function has no such argument) */
int
RetentionModeArg(FunctionCallInfo fcinfo, int argno)
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

/*
 * The share of period k among the entities that have reached it (retained
 * counts only those): NULL when none has
 */
static bool
RetentionShare(const RetentionSummary *s, int k, int mode, double *share)
{
	if (ELIGIBLE(s)[k] == 0)
		return false;
	*share = (double) Retained(s, k, mode) / (double) ELIGIBLE(s)[k];
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

	PG_RETURN_INT64(Retained(s, k, RetentionModeArg(fcinfo, 2)));
}

Datum
retention_rate(PG_FUNCTION_ARGS)
{
	RetentionSummary *s = RetentionGetArg(fcinfo, 0);
	int			k = PeriodIndexArg(fcinfo, s, 1);
	double		share;

	if (!RetentionShare(s, k, RetentionModeArg(fcinfo, 2), &share))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(share);
}

/*
 * retention_proportion(s, period, mode): the retained entities among the
 * eligible ones as a proportion_summary, for rate_ci() and
 * proportion_compare(); NULL while no entity has reached the period, as the
 * share.
 */
Datum
retention_proportion(PG_FUNCTION_ARGS)
{
	RetentionSummary *s = RetentionGetArg(fcinfo, 0);
	int			k = PeriodIndexArg(fcinfo, s, 1);
	int			mode = RetentionModeArg(fcinfo, 2);

	if (ELIGIBLE(s)[k] == 0)
		PG_RETURN_NULL();
	return KpiProportionDatum(Retained(s, k, mode), ELIGIBLE(s)[k]);
}

/* The shares of periods 0..N-1 as an array, NULL where no entity reached it */
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

	PG_RETURN_ARRAYTYPE_P(RetentionCurveArray(s, RetentionModeArg(fcinfo, 1)));
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
		int			mode = RetentionModeArg(fcinfo, 1);
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


/* What cohort_retention_table() keeps between calls */
typedef struct CohortTableState
{
	RetentionSummary *s;
	Datum		cohort;
	bool		cohort_null;
	int			mode;
	double		z;
} CohortTableState;

/*
 * retention_table(cohort, s, mode, confidence): the tidy rows (cohort,
 * period, eligible, retained, rate, lower, upper) of one cohort, for BI
 * tools; cohort is any label the caller groups by (a date, a segment), given
 * back in each row.  The interval is Wilson's (KpiWilsonInterval, as
 * rate_ci()) of retained among eligible.  Not strict: a NULL summary gives
 * no rows, a NULL cohort a NULL label.
 */
Datum
cohort_retention_table(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	CohortTableState *st;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;

		funcctx = SRF_FIRSTCALL_INIT();
		if (PG_ARGISNULL(1))
			SRF_RETURN_DONE(funcctx);
		if (PG_ARGISNULL(3))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("confidence level must not be null")));
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		st = palloc0(sizeof(CohortTableState));
		st->s = KpiSummaryCopy(fcinfo, 1, &RetentionType);
		st->mode = RetentionModeArg(fcinfo, 2);
		st->z = KpiConfidenceZ(PG_GETARG_FLOAT8(3));
		st->cohort_null = PG_ARGISNULL(0);
		if (!st->cohort_null)
		{
			int16		typlen;
			bool		typbyval;

			get_typlenbyval(get_fn_expr_argtype(fcinfo->flinfo, 0), &typlen, &typbyval);
			st->cohort = datumCopy(PG_GETARG_DATUM(0), typbyval, typlen);
		}
		funcctx->user_fctx = st;
		funcctx->max_calls = st->s->periods;
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	st = (CohortTableState *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		RetentionSummary *s = st->s;
		int			k = (int) funcctx->call_cntr;
		int64		eligible = ELIGIBLE(s)[k];
		int64		retained = Retained(s, k, st->mode);
		Datum		values[7];
		bool		nulls[7] = {st->cohort_null, false, false, false, false, false, false};
		double		lower = 0.0,
					upper = 0.0;

		values[0] = st->cohort;
		values[1] = Int32GetDatum(k);
		values[2] = Int64GetDatum(eligible);
		values[3] = Int64GetDatum(retained);
		if (eligible > 0)
		{
			KpiWilsonInterval(retained, eligible, st->z, &lower, &upper);
			values[4] = Float8GetDatum((double) retained / (double) eligible);
		}
		else
			nulls[4] = nulls[5] = nulls[6] = true;
		values[5] = Float8GetDatum(lower);
		values[6] = Float8GetDatum(upper);
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}

/*
 * RetentionEntitiesSummary
 *		The retention_summary of count entities, each a row of stride int64
 *		words: [0] cohort start, [1] origin, [2..] bitmap of periods 0..N.
 *		Censored at as_of if censored, else at the transaction time
 *		(now()).  For the summaries of events
 *		(cohort_activity.c); the caller checks for interrupts between calls,
 *		this loop every 4096 entities.
 */
Datum
RetentionEntitiesSummary(const RetentionPeriod *p, int32 periods, const int64 *rows,
						 Size stride, uint32 count, bool censored, TimestampTz as_of)
{
	RetentionSummary *s = RetentionCreate(p, periods);
	uint32		i;

	if (!censored)
		as_of = GetCurrentTransactionStartTimestamp();
	for (i = 0; i < count; i++)
	{
		const int64 *row = rows + i * stride;
		int64		reached = RetentionReached(p, row[1], as_of);

		RetentionAddEntity(s, (const uint64 *) (row + 2), reached);
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	KpiCheckProduced("retention_summary", RetentionCountsError(s));
	return PointerGetDatum(s);
}

/* The curve (shares per period, NULL where censored) of a retention_summary */
Datum
RetentionSummaryCurve(Datum summary, int mode)
{
	return PointerGetDatum(RetentionCurveArray((RetentionSummary *) DatumGetPointer(summary),
											   mode));
}
