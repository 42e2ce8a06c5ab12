/*-------------------------------------------------------------------------
 *
 * retention.c
 *	  Cohort retention, part 1: activity summaries, lifecycle, and
 *	  ClickHouse's retention(c1, ..., cN).  Periods are in period.c, cohort
 *	  summaries in cohort.c, the activity of a cohort's entities in
 *	  cohort_activity.c, churn and MRR in churn.c.
 *
 * Retention is computed in two steps that can also be stored:
 *
 *	activity_summary	one entity: its cohort start and a bitmap of the
 *						periods (0..N-1 after its start, plus "later") in
 *						which it was active.  Pieces of one entity merge by OR.
 *	retention_summary	one cohort: its size and, per period, how many of its
 *						entities have fully reached the period (eligible), were
 *						active in it (on) or in it or later (on_or_after).
 *						Cohorts merge by adding counts.
 *
 * The one-step aggregates retention_curve() and retention_agg() over raw
 * events keep a cohort_activity_summary, every entity's bitmap
 * (cohort_activity.c), and build the same counts at the end.
 *
 * Periods are calendar days, ISO weeks or months in a time zone (the
 * aggregate's time_zone argument, else the session's; summaries record it),
 * where period k of an entity is the k-th calendar period after the one
 * holding its start, or rolling: [start + k * length, start + (k + 1) * length).
 * A period is complete ("reached") when it ended at or before as_of; a
 * retention share is NULL until the whole cohort has reached the period.
 *
 *-------------------------------------------------------------------------
 */
#include "retention.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

/* Version 2 records the time zone; version 1 (1.1.0) values still read */
#define ACTIVITY_FORMAT_VERSION 2

/* ClickHouse's limit on retention() conditions */
#define CLICKHOUSE_MAX_CONDITIONS 32


PG_FUNCTION_INFO_V1(activity_summary_in);
PG_FUNCTION_INFO_V1(activity_summary_out);
PG_FUNCTION_INFO_V1(activity_summary_recv);
PG_FUNCTION_INFO_V1(activity_summary_send);
PG_FUNCTION_INFO_V1(activity_summary_accum);
KPI_FORMER_SYMBOL(activity_accum, activity_summary_accum);
PG_FUNCTION_INFO_V1(activity_summary_combine);
KPI_FORMER_SYMBOL(activity_combine, activity_summary_combine);
PG_FUNCTION_INFO_V1(activity_active_periods);
PG_FUNCTION_INFO_V1(activity_lifecycle);
PG_FUNCTION_INFO_V1(retention_state_accum);
KPI_FORMER_SYMBOL(clickhouse_retention_accum, retention_state_accum);
PG_FUNCTION_INFO_V1(retention_state_combine);
KPI_FORMER_SYMBOL(clickhouse_retention_combine, retention_state_combine);
PG_FUNCTION_INFO_V1(retention_final);
KPI_FORMER_SYMBOL(clickhouse_retention_final, retention_final);


/*
 * activity_summary: one entity's active periods
 */

RetentionPeriod
ActivityPeriod(const ActivitySummary *a)
{
	return RetentionStoredPeriod(a->unit, a->length, RETENTION_ZONE(a), a->zone_len);
}

static ActivitySummary *
ActivityCreate(const RetentionPeriod *p, int32 periods, int64 start, int64 origin)
{
	int			zone_len = RetentionZoneLen(p);
	Size		size = ACTIVITY_SIZE(periods) + zone_len;
	ActivitySummary *a = palloc0(size);

	SET_VARSIZE(a, size);
	a->version = ACTIVITY_FORMAT_VERSION;
	a->unit = p->unit;
	a->zone_len = zone_len;
	RetentionCopyZone((char *) RETENTION_ZONE(a), p);
	a->periods = periods;
	a->length = p->length;
	a->start = start;
	a->origin = origin;
	return a;
}

/* Why a header read from outside is not valid, or NULL */
static const char *
ActivityHeaderError(int unit, int64 length, int64 periods, int64 start, int64 origin)
{
	if (unit < RETENTION_DAY || unit > RETENTION_ROLLING ||
		(unit == RETENTION_ROLLING) != (length > 0) || length < 0)
		return "The period is invalid.";
	if (periods < 1 || periods > RETENTION_MAX_PERIODS)
		return "The number of periods must be between 1 and 1024.";
	if (!IS_VALID_TIMESTAMP(start) || start > ACTIVITY_MAX_START)
		return "The start is out of range.";
	if (unit == RETENTION_ROLLING && origin != start)
		return "The origin of rolling periods is the start.";
	if (unit != RETENTION_ROLLING && !RetentionIndexValid(unit, origin))
		return "The origin is out of range.";
	return NULL;
}

/* Are bits past bit N of a bitmap of N periods set?  (Also for cohort_activity.c) */
bool
RetentionSpareBits(const uint64 *bits, int32 periods)
{
	int			used = (periods + 1) % 64;

	return used != 0 && (bits[BITMAP_WORDS(periods) - 1] & (~UINT64CONST(0) << used)) != 0;
}

/* Is a stored value what this code writes?  (Its checks have no loop.) */
static bool
ActivityValid(const void *value, bool full)
{
	const ActivitySummary *a = value;

	return VARSIZE(a) >= offsetof(ActivitySummary, bits) &&
		(a->version == ACTIVITY_FORMAT_VERSION || (a->version == 1 && a->zone_len == 0)) &&
		a->reserved == 0 &&
		ActivityHeaderError(a->unit, a->length, a->periods, a->start, a->origin) == NULL &&
		VARSIZE(a) == ACTIVITY_SIZE(a->periods) + a->zone_len && !RetentionSpareBits(a->bits, a->periods) &&
		(a->zone_len == 0 ||
		 (a->unit != RETENTION_ROLLING && RetentionZoneNameValid(RETENTION_ZONE(a), a->zone_len)));
}

static const KpiSummaryType ActivityType = {"activity_summary", -1, ActivityValid};

/* An activity_summary argument to read (also for cohort.c) */
ActivitySummary *
ActivityGetArg(FunctionCallInfo fcinfo, int argno)
{
	return KpiSummaryArg(fcinfo, argno, &ActivityType);
}

/* Set the bit of the period holding t, after checking t against the start */
void
ActivityMark(uint64 *bits, const RetentionPeriod *p, int32 periods,
			 int64 start, int64 origin, TimestampTz t)
{
	int64		k;

	if (t < start)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("activity at %s precedes its cohort start %s",
						RetentionTimestampText(t), RetentionTimestampText(start)),
				 errhint("The cohort start is the entity's first activity or signup.")));
	/*
	 * Never negative, though where the clocks go back across midnight a
	 * later time can have an earlier local date than the start: period 0.
	 */
	k = Max(RetentionIndex(p, origin, t), 0);
	BIT_SET(bits, Min(k, (int64) periods));
}

/*
 * Text: {"version":2,"period":"month","time_zone":"UTC","periods":12,
 *		  "start":S,"origin":O,"active":[0,1,5],"later":false}
 * start in microseconds since 1970-01-01 UTC; origin the index of the start's
 * calendar period (days, weeks from Monday 1969-12-29 or months since
 * 1970-01), or the start again for rolling periods.
 */
static ActivitySummary *
ActivityParse(const char *str, const char **problem)
{
	KpiScanner	scan = {str};
	int64		periods,
				start,
				origin,
				k,
				last = -1;
	RetentionPeriod p;
	int			version;
	ActivitySummary *a;

	*problem = "Expected {\"version\":2,\"period\":...,\"periods\":N,\"start\":S,\"origin\":O,\"active\":[...],\"later\":false}.";
	if (!KpiScanVersionRange(&scan, 1, ACTIVITY_FORMAT_VERSION, &version, problem))
		return NULL;
	if (!KpiScanToken(&scan, ",") || !RetentionScanPeriod(&scan, version, &p, problem) ||
		!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "periods") || !KpiScanInt64(&scan, &periods) ||
		!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "start") || !KpiScanInt64(&scan, &start) ||
		!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "origin") || !KpiScanInt64(&scan, &origin) ||
		!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "active") || !KpiScanToken(&scan, "["))
		return NULL;
	if (pg_sub_s64_overflow(start, UNIX_TO_PG_USECS, &start) ||
		(p.unit == RETENTION_ROLLING &&
		 pg_sub_s64_overflow(origin, UNIX_TO_PG_USECS, &origin)))
	{
		*problem = "The start is out of range.";
		return NULL;
	}
	if ((*problem = ActivityHeaderError(p.unit, p.length, periods, start, origin)) != NULL)
		return NULL;

	a = ActivityCreate(&p, (int32) periods, start, origin);
	*problem = "Expected the active periods in increasing order, each from 0 to periods - 1.";
	if (!KpiScanToken(&scan, "]"))
	{
		do
		{
			if (!KpiScanInt64(&scan, &k) || k <= last || k >= periods)
				return NULL;
			BIT_SET(a->bits, k);
			last = k;
		} while (KpiScanToken(&scan, ","));
		if (!KpiScanToken(&scan, "]"))
			return NULL;
	}
	*problem = "Expected \"later\":true or false, a closing } and nothing after it.";
	if (!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "later"))
		return NULL;
	if (KpiScanToken(&scan, "true"))
		BIT_SET(a->bits, periods);
	else if (!KpiScanToken(&scan, "false"))
		return NULL;
	if (!KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
		return NULL;
	return a;
}

Datum
activity_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *problem;
	ActivitySummary *a = ActivityParse(str, &problem);

	if (a == NULL)
		KPI_TEXT_INPUT_ERROR(fcinfo, ActivityType.name, str, problem);
	PG_RETURN_POINTER(a);
}

Datum
activity_summary_out(PG_FUNCTION_ARGS)
{
	ActivitySummary *a = ActivityGetArg(fcinfo, 0);
	RetentionPeriod p = ActivityPeriod(a);
	StringInfoData buf;
	bool		first = true;
	int			k;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d,", ACTIVITY_FORMAT_VERSION);
	RetentionAppendPeriod(&buf, &p);
	appendStringInfo(&buf, ",\"periods\":%d,\"start\":" INT64_FORMAT ",\"origin\":" INT64_FORMAT ",\"active\":[",
					 a->periods, a->start + UNIX_TO_PG_USECS,
					 a->unit == RETENTION_ROLLING ? a->origin + UNIX_TO_PG_USECS : a->origin);
	for (k = 0; k < a->periods; k++)
	{
		if (BIT_IS_SET(a->bits, k))
		{
			appendStringInfo(&buf, first ? "%d" : ",%d", k);
			first = false;
		}
	}
	appendStringInfo(&buf, "],\"later\":%s}",
					 BIT_IS_SET(a->bits, a->periods) ? "true" : "false");
	PG_RETURN_CSTRING(buf.data);
}

/* Binary: int8 version, period (RetentionSendPeriod), int32 periods,
 * int64 start, int64 origin, then the bitmap as int64 words */
Datum
activity_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	RetentionPeriod p;
	const char *problem;
	int			version;
	int32		periods;
	int64		start,
				origin;
	ActivitySummary *a;
	int			i;

	version = KpiRecvVersionRange(buf, ActivityType.name, 1, ACTIVITY_FORMAT_VERSION);
	if ((problem = RetentionRecvPeriod(buf, version, &p)) != NULL)
		KpiBinaryInputError(ActivityType.name, "%s", problem);
	KpiRecvNeed(buf, ActivityType.name, 4 + 16, false);
	periods = pq_getmsgint(buf, 4);
	start = pq_getmsgint64(buf);
	origin = pq_getmsgint64(buf);
	if ((problem = ActivityHeaderError(p.unit, p.length, periods, start, origin)) != NULL)
		KpiBinaryInputError(ActivityType.name, "%s", problem);
	KpiRecvNeed(buf, ActivityType.name, sizeof(uint64) * BITMAP_WORDS(periods), true);
	a = ActivityCreate(&p, periods, start, origin);
	for (i = 0; i < BITMAP_WORDS(periods); i++)
		a->bits[i] = (uint64) pq_getmsgint64(buf);
	KpiRecvEnd(buf, ActivityType.name);
	if (RetentionSpareBits(a->bits, a->periods))
		KpiBinaryInputError(ActivityType.name, "The bitmap sets periods past the last one.");
	PG_RETURN_POINTER(a);
}

Datum
activity_summary_send(PG_FUNCTION_ARGS)
{
	ActivitySummary *a = ActivityGetArg(fcinfo, 0);
	RetentionPeriod p = ActivityPeriod(a);
	StringInfoData buf;
	int			i;

	KpiSendVersion(&buf, ACTIVITY_FORMAT_VERSION);
	RetentionSendPeriod(&buf, &p);
	pq_sendint32(&buf, a->periods);
	pq_sendint64(&buf, a->start);
	pq_sendint64(&buf, a->origin);
	for (i = 0; i < BITMAP_WORDS(a->periods); i++)
		pq_sendint64(&buf, (int64) a->bits[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}


/*
 * activity_summary_accum(state, cohort_start, activity, period, periods
 *						  [, alignment [, time_zone]])
 *		Transition of activity_agg, grouped by entity.  A NULL cohort start
 *		skips the row; a NULL activity makes the entity a cohort member that
 *		was never active.  Every row must name the same start and period.
 */
Datum
activity_summary_accum(PG_FUNCTION_ARGS)
{
	RetentionPeriod p;
	int32		periods;
	ActivitySummary *a;
	TimestampTz start;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	start = PG_GETARG_TIMESTAMPTZ(1);
	p = RetentionPeriodArgs(fcinfo, 3, 5, 6, &periods);

	if (PG_ARGISNULL(0))
	{
		RetentionCheckFinite(start);
		if (start > ACTIVITY_MAX_START)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("cohort start %s is out of range for an activity summary",
							RetentionTimestampText(start)),
					 errdetail("The latest cohort start an activity summary holds is %s.",
							   RetentionTimestampText(ACTIVITY_MAX_START))));
		a = ActivityCreate(&p, periods, start, RetentionOrigin(&p, start));
	}
	else
	{
		RetentionPeriod ap;

		a = KpiSummaryState(fcinfo, 0, &ActivityType);
		ap = ActivityPeriod(a);
		if (!RetentionSamePeriod(&ap, &p) || a->periods != periods)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("retention period changed within one aggregate")));
		if (a->start != start)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cohort start changed from %s to %s within one activity summary",
							RetentionTimestampText(a->start), RetentionTimestampText(start)),
					 errhint("Group activity_agg() by entity; each entity has one cohort start.")));
	}
	if (!PG_ARGISNULL(2))
		ActivityMark(a->bits, &p, a->periods, a->start, a->origin,
					 PG_GETARG_TIMESTAMPTZ(2));
	PG_RETURN_POINTER(a);
}

/* activity_summary_combine(a, b): the periods active in a or b (one entity) */
Datum
activity_summary_combine(PG_FUNCTION_ARGS)
{
	ActivitySummary *a = KpiSummaryMergeState(fcinfo, 0, &ActivityType);
	ActivitySummary *b = ActivityGetArg(fcinfo, 1);
	RetentionPeriod pa = ActivityPeriod(a);
	RetentionPeriod pb = ActivityPeriod(b);
	int			i;

	if (a->unit != b->unit || a->length != b->length || a->periods != b->periods)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge activity summaries with periods %s x %d and %s x %d",
						RetentionPeriodName(&pa), a->periods,
						RetentionPeriodName(&pb), b->periods)));
	RetentionCheckSameZone("activity summaries", &pa, &pb);
	/* 1.1.0's values: one start in two calendar indexes, two session zones */
	if (a->start == b->start && a->origin != b->origin)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge activity summaries of cohort start %s whose calendar periods were counted in different time zones",
						RetentionTimestampText(a->start)),
				 errhint("Build the summaries to be merged under one TimeZone setting.")));
	if (a->start != b->start)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge activity summaries with cohort starts %s and %s",
						RetentionTimestampText(a->start), RetentionTimestampText(b->start)),
				 errhint("Merge only the pieces of one entity.")));
	for (i = 0; i < BITMAP_WORDS(a->periods); i++)
		a->bits[i] |= b->bits[i];
	PG_RETURN_POINTER(a);
}

/* active_periods(a): the periods 0..N-1 the entity was active in */
Datum
activity_active_periods(PG_FUNCTION_ARGS)
{
	ActivitySummary *a = ActivityGetArg(fcinfo, 0);
	Datum	   *elems = palloc(sizeof(Datum) * a->periods);
	int			n = 0;
	int			k;

	for (k = 0; k < a->periods; k++)
		if (BIT_IS_SET(a->bits, k))
			elems[n++] = Int32GetDatum(k);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, INT4OID, sizeof(int32), true, TYPALIGN_INT));
}

/*
 * lifecycle(a): the entity's lifecycle status in each period, as PostHog's
 * lifecycle insight defines it (posthog.com/docs/product-analytics/lifecycle),
 * the creation period being period 0:
 *	new				active in period 0
 *	returning		active, and active in the previous period
 *	resurrecting	active, not in the previous period, not new
 *	dormant			inactive, active in the previous period (once per gap)
 * Periods with no status give no row.
 */
typedef struct LifecycleRows
{
	ActivitySummary *a;
	int32		period[RETENTION_MAX_PERIODS];
	const char *status[RETENTION_MAX_PERIODS];
} LifecycleRows;

Datum
activity_lifecycle(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	LifecycleRows *rows;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;
		ActivitySummary *a;
		int			n = 0;
		int			k;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		a = KpiSummaryCopy(fcinfo, 0, &ActivityType);
		rows = palloc(sizeof(LifecycleRows));
		rows->a = a;
		for (k = 0; k < a->periods; k++)
		{
			bool		now = BIT_IS_SET(a->bits, k);
			bool		before = k > 0 && BIT_IS_SET(a->bits, k - 1);

			rows->period[n] = k;
			if (now)
				rows->status[n++] = k == 0 ? "new" : before ? "returning" : "resurrecting";
			else if (before)
				rows->status[n++] = "dormant";
		}
		funcctx->user_fctx = rows;
		funcctx->max_calls = n;
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	rows = (LifecycleRows *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		int			i = (int) funcctx->call_cntr;
		RetentionPeriod p = ActivityPeriod(rows->a);
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = Int32GetDatum(rows->period[i]);
		values[1] = TimestampTzGetDatum(RetentionPeriodStart(&p, rows->a->origin,
															 rows->period[i]));
		values[2] = CStringGetTextDatum(rows->status[i]);
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}


/*
 * ClickHouse retention(cond1, ..., condN), per entity: result[1] = any(cond1),
 * result[i] = any(cond1) AND any(cond_i).  The state is a bigint: bit i-1
 * set when cond_i held on some row, N in bits 32..39 (0 before the first
 * row).  NULL conditions count as false.
 */
#define CH_N(state)		((int) (((uint64) (state)) >> 32))
#define CH_BITS(state)	((uint32) (state))

/*
 * The state argument argno, checked: the support functions can be called
 * with any bigint.  A state is 0, or N (1 to 32) in bits 32 and up with
 * bits only for conditions 1..N below.
 */
static int64
ClickHouseStateArg(FunctionCallInfo fcinfo, int argno)
{
	int64		state = PG_GETARG_INT64(argno);
	uint64		n = ((uint64) state) >> 32;

	if (n > CLICKHOUSE_MAX_CONDITIONS || (n == 0 && state != 0) ||
		(n < 32 && (CH_BITS(state) >> n) != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid retention() state " INT64_FORMAT, state),
				 errdetail("A state is 0 or N * 2^32 plus one bit for each of conditions 1 to N that held, with N from 1 to %d.",
						   CLICKHOUSE_MAX_CONDITIONS)));
	return state;
}

Datum
retention_state_accum(PG_FUNCTION_ARGS)
{
	int64		state = ClickHouseStateArg(fcinfo, 0);
	uint64		word;
	int64		n = KpiBoolArrayBits(PG_GETARG_ARRAYTYPE_P(1), &word, 1, "retention conditions");

	if (n < 1 || n > CLICKHOUSE_MAX_CONDITIONS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention() takes 1 to %d conditions, not " INT64_FORMAT,
						CLICKHOUSE_MAX_CONDITIONS, n)));
	if (CH_N(state) != 0 && CH_N(state) != n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention() got " INT64_FORMAT " conditions after %d", n, CH_N(state))));
	PG_RETURN_INT64((int64) (((uint64) n << 32) | CH_BITS(state) | (uint32) word));
}

Datum
retention_state_combine(PG_FUNCTION_ARGS)
{
	int64		a = ClickHouseStateArg(fcinfo, 0);
	int64		b = ClickHouseStateArg(fcinfo, 1);

	if (CH_N(a) == 0)
		PG_RETURN_INT64(b);
	if (CH_N(b) == 0)
		PG_RETURN_INT64(a);
	if (CH_N(a) != CH_N(b))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention() got %d conditions after %d", CH_N(b), CH_N(a))));
	PG_RETURN_INT64(a | b);
}

Datum
retention_final(PG_FUNCTION_ARGS)
{
	int64		state = ClickHouseStateArg(fcinfo, 0);
	int			n = CH_N(state);
	uint32		bits = CH_BITS(state);
	Datum		elems[CLICKHOUSE_MAX_CONDITIONS];
	int			i;

	if (n == 0)
		PG_RETURN_NULL();
	for (i = 0; i < n; i++)
		elems[i] = Int16GetDatum((bits & 1) && ((bits >> i) & 1));
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, INT2OID, sizeof(int16), true, TYPALIGN_SHORT));
}
