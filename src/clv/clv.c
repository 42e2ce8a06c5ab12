/*-------------------------------------------------------------------------
 *
 * clv.c
 *	  Customer lifetime value: the classic retention formula, and the RFM
 *	  summary that the predictive models of clv_fit.c and clv_predict.c
 *	  read.  Historic CLV, an exact sum, is in clv_summary.c.
 *
 * The RFM summary follows the conventions of lifetimes'
 * summary_data_from_transaction_data (and BTYD's dc.ElogToCbsCbt): purchases
 * on the same day are one purchase occasion with their amounts summed;
 * frequency x = occasions - 1, recency t_x = last - first occasion, age
 * T = observation end - first occasion, in the requested unit; monetary value
 * = mean of the repeat occasions' amounts (the first excluded; 0 when x = 0).
 * See doc/clv.md.
 *
 *-------------------------------------------------------------------------
 */
#include "clv.h"

#include <math.h>

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(rfm_summary_in);
PG_FUNCTION_INFO_V1(rfm_summary_out);
PG_FUNCTION_INFO_V1(rfm_summary_recv);
PG_FUNCTION_INFO_V1(rfm_summary_send);
PG_FUNCTION_INFO_V1(rfm_summary);
PG_FUNCTION_INFO_V1(rfm_frequency);
PG_FUNCTION_INFO_V1(rfm_recency);
PG_FUNCTION_INFO_V1(rfm_customer_age);
PG_FUNCTION_INFO_V1(rfm_monetary_value);
PG_FUNCTION_INFO_V1(rfm_agg_state_accum);
KPI_FORMER_SYMBOL(rfm_agg_accum, rfm_agg_state_accum);
PG_FUNCTION_INFO_V1(rfm_agg_state_accum_timestamp);
PG_FUNCTION_INFO_V1(rfm_agg_state_accum_timestamptz);
PG_FUNCTION_INFO_V1(rfm_agg_state_combine);
KPI_FORMER_SYMBOL(rfm_agg_combine, rfm_agg_state_combine);
PG_FUNCTION_INFO_V1(rfm_agg_state_serialize);
KPI_FORMER_SYMBOL(rfm_agg_serialize, rfm_agg_state_serialize);
PG_FUNCTION_INFO_V1(rfm_agg_state_deserialize);
KPI_FORMER_SYMBOL(rfm_agg_deserialize, rfm_agg_state_deserialize);
PG_FUNCTION_INFO_V1(rfm_agg_final);
PG_FUNCTION_INFO_V1(retention_clv);


/*
 * RFM summary type
 *
 * Text: {"version":1,"frequency":2,"recency":30.43,"age":38.86,
 * "monetary_value":22.35}; binary: int8 version, int64 frequency, then
 * float8 recency, age, monetary value.  Both are validated by RfmError.
 */

/* Why the four values are not an RFM summary, or NULL if they are one */
const char *
RfmError(int64 frequency, double recency, double age, double monetary)
{
	if (frequency < 0)
		return "The frequency must not be negative.";
	if (!isfinite(recency) || !isfinite(age) || !isfinite(monetary))
		return "Recency, age and monetary value must be finite.";
	if (recency < 0 || recency > age)
		return "The recency must lie between 0 and the age.";
	if (frequency == 0 && (recency != 0 || monetary != 0))
		return "A customer with frequency 0 has recency 0 and monetary value 0.";
	return NULL;
}

/*
 * A new summary.  The input functions have validated the values; for the
 * values this code computes (rfm_agg) the check is the promise that every
 * summary we produce can be read back: 22003 otherwise.
 */
static RfmSummary *
RfmMake(int64 frequency, double recency, double age, double monetary)
{
	RfmSummary *s;
	const char *problem = RfmError(frequency, recency, age, monetary);

	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("RFM values (" INT64_FORMAT ", %g, %g, %g) are out of range",
						frequency, recency, age, monetary),
				 errdetail("%s", problem)));
	s = palloc0(sizeof(RfmSummary));

	s->version = RFM_FORMAT_VERSION;
	s->frequency = frequency;
	s->recency = recency;
	s->age = age;
	s->monetary = monetary;
	return s;
}

/* Is a stored value what this code writes?  (One check: it has no loop.) */
static bool
RfmValid(const void *value, bool full)
{
	const RfmSummary *s = value;

	return s->version == RFM_FORMAT_VERSION &&
		RfmError(s->frequency, s->recency, s->age, s->monetary) == NULL;
}

static const KpiSummaryType RfmType = {"rfm_summary", sizeof(RfmSummary), RfmValid};

/* Fetch an rfm_summary argument, checked (XX001 if it is not ours) */
RfmSummary *
RfmGetArg(FunctionCallInfo fcinfo, int argno)
{
	return KpiSummaryArg(fcinfo, argno, &RfmType);
}

Datum
rfm_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	KpiScanner	scan = {str};
	int64		version,
				frequency;
	double		recency,
				age,
				monetary;
	const char *problem = "Expected {\"version\":1,\"frequency\":x,\"recency\":t_x,\"age\":T,\"monetary_value\":m}.";

	if (KpiScanToken(&scan, "{") &&
		KpiScanKey(&scan, "version") &&
		KpiScanInt64(&scan, &version))
	{
		if (version != RFM_FORMAT_VERSION)
			problem = "Only format version 1 is supported.";
		else if (KpiScanToken(&scan, ",") &&
				 KpiScanKey(&scan, "frequency") &&
				 KpiScanInt64(&scan, &frequency) && KpiScanToken(&scan, ",") &&
				 KpiScanKey(&scan, "recency") &&
				 KpiScanFloat8(&scan, &recency) && KpiScanToken(&scan, ",") &&
				 KpiScanKey(&scan, "age") &&
				 KpiScanFloat8(&scan, &age) && KpiScanToken(&scan, ",") &&
				 KpiScanKey(&scan, "monetary_value") &&
				 KpiScanFloat8(&scan, &monetary) &&
				 KpiScanToken(&scan, "}") && KpiScanEnd(&scan))
		{
			problem = RfmError(frequency, recency, age, monetary);
			if (problem == NULL)
				PG_RETURN_POINTER(RfmMake(frequency, recency, age, monetary));
		}
	}
	KPI_TEXT_INPUT_ERROR(fcinfo, RfmType.name, str, problem);
}

Datum
rfm_summary_out(PG_FUNCTION_ARGS)
{
	RfmSummary *s = RfmGetArg(fcinfo, 0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d,\"frequency\":" INT64_FORMAT ",\"recency\":",
					 s->version, s->frequency);
	KpiAppendFloat8(&buf, s->recency);
	appendStringInfoString(&buf, ",\"age\":");
	KpiAppendFloat8(&buf, s->age);
	appendStringInfoString(&buf, ",\"monetary_value\":");
	KpiAppendFloat8(&buf, s->monetary);
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

Datum
rfm_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int64		frequency;
	double		recency,
				age,
				monetary;
	const char *problem;

	KpiRecvVersion(buf, RfmType.name, RFM_FORMAT_VERSION);
	KpiRecvNeed(buf, RfmType.name, 8 * 4, true);
	frequency = pq_getmsgint64(buf);
	recency = pq_getmsgfloat8(buf);
	age = pq_getmsgfloat8(buf);
	monetary = pq_getmsgfloat8(buf);
	KpiRecvEnd(buf, RfmType.name);
	if ((problem = RfmError(frequency, recency, age, monetary)) != NULL)
		KpiBinaryInputError(RfmType.name, "%s", problem);
	PG_RETURN_POINTER(RfmMake(frequency, recency, age, monetary));
}

Datum
rfm_summary_send(PG_FUNCTION_ARGS)
{
	RfmSummary *s = RfmGetArg(fcinfo, 0);
	StringInfoData buf;

	KpiSendVersion(&buf, s->version);
	pq_sendint64(&buf, s->frequency);
	pq_sendfloat8(&buf, s->recency);
	pq_sendfloat8(&buf, s->age);
	pq_sendfloat8(&buf, s->monetary);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* rfm_summary(frequency, recency, age, monetary_value): from known values */
Datum
rfm_summary(PG_FUNCTION_ARGS)
{
	int64		frequency = PG_GETARG_INT64(0);
	double		recency = PG_GETARG_FLOAT8(1);
	double		age = PG_GETARG_FLOAT8(2);
	double		monetary = PG_GETARG_FLOAT8(3);
	const char *problem = RfmError(frequency, recency, age, monetary);

	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("RFM values (" INT64_FORMAT ", %g, %g, %g) are invalid",
						frequency, recency, age, monetary),
				 errdetail("%s", problem)));
	PG_RETURN_POINTER(RfmMake(frequency, recency, age, monetary));
}

Datum
rfm_frequency(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(RfmGetArg(fcinfo, 0)->frequency);
}

Datum
rfm_recency(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(RfmGetArg(fcinfo, 0)->recency);
}

Datum
rfm_customer_age(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(RfmGetArg(fcinfo, 0)->age);
}

Datum
rfm_monetary_value(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(RfmGetArg(fcinfo, 0)->monetary);
}


/*
 * rfm_agg(purchase date, amount float8, observation_end date, unit interval)
 *
 * The state keeps one (day, amount) entry per purchase day: entries are
 * appended, and when the array is full they are sorted and same-day entries
 * merged, so a customer's state never holds more than twice their distinct
 * purchase days.  Purchases after the observation end are ignored, as in
 * lifetimes.
 */
typedef struct RfmDay
{
	int32		day;			/* DateADT */
	double		amount;			/* sum of the day's amounts */
} RfmDay;

typedef struct RfmState
{
	DateADT		end;			/* observation end */
	double		unit_days;		/* the time unit, in days */
	int			ndays;
	int			nalloc;
	RfmDay	   *days;			/* in the aggregate context */
} RfmState;

#define RFM_INITIAL_DAYS 8
#define RFM_STATE_VERSION 1
#define RFM_STATE_NAME "rfm_agg state"
#define RFM_MAX_DAYS (MaxAllocSize / sizeof(RfmDay))

static int
RfmDayCmp(const void *a, const void *b)
{
	int32		x = ((const RfmDay *) a)->day;
	int32		y = ((const RfmDay *) b)->day;

	return (x > y) - (x < y);
}

/* Add to a day's total; a total that overflows is 22003 */
static void
RfmAddAmount(RfmDay *d, double amount)
{
	double		sum = d->amount + amount;

	if (!isfinite(sum))
	{
		DateADT		day = d->day;

		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sum of the purchase amounts of %s is out of range",
						DatumGetCString(DirectFunctionCall1(date_out,
															DateADTGetDatum(day))))));
	}
	d->amount = sum;
}

/* Sort the entries by day and merge the entries of each day */
static void
RfmCollapse(RfmState *st)
{
	int			i,
				n = 0;

	qsort(st->days, st->ndays, sizeof(RfmDay), RfmDayCmp);
	for (i = 0; i < st->ndays; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (n > 0 && st->days[n - 1].day == st->days[i].day)
			RfmAddAmount(&st->days[n - 1], st->days[i].amount);
		else
			st->days[n++] = st->days[i];
	}
	st->ndays = n;
}

/* Room for "more" entries, collapsing before growing */
static void
RfmReserve(RfmState *st, int more)
{
	if (st->ndays + more <= st->nalloc)
		return;
	RfmCollapse(st);
	/* grow unless collapsing freed at least half of the array */
	if (st->ndays + more <= st->nalloc / 2)
		return;
	if ((Size) st->ndays + more > RFM_MAX_DAYS / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("rfm_agg holds too many purchase days for one customer")));
	st->nalloc = Max(2 * (st->ndays + more), RFM_INITIAL_DAYS);
	st->days = repalloc(st->days, sizeof(RfmDay) * st->nalloc);
}

static RfmState *
RfmStateCreate(MemoryContext cxt, DateADT end, double unit_days)
{
	RfmState   *st = MemoryContextAlloc(cxt, sizeof(RfmState));

	st->end = end;
	st->unit_days = unit_days;
	st->ndays = 0;
	st->nalloc = RFM_INITIAL_DAYS;
	st->days = MemoryContextAlloc(cxt, sizeof(RfmDay) * st->nalloc);
	return st;
}

/* The unit as a positive number of days; months have no fixed length */
static double
RfmUnitDays(Interval *unit)
{
	double		days = unit->day + (double) unit->time / USECS_PER_DAY;

	if (unit->month != 0 || !(days > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("RFM time unit of %d months and %g days is invalid",
						unit->month, days),
				 errhint("Use a positive interval without months or years, such as '1 day' or '7 days'.")));
	return days;
}

/*
 * Argument argno as a date: a date itself, or the calendar day of a
 * timestamp or timestamptz (to_date: timestamp_date or timestamptz_date, the
 * casts, the latter in the session's TimeZone).  An infinite time is an
 * infinite date.
 */
static inline DateADT
RfmDateArg(FunctionCallInfo fcinfo, int argno, PGFunction to_date)
{
	if (to_date == NULL)
		return PG_GETARG_DATEADT(argno);
	return DatumGetDateADT(DirectFunctionCall1(to_date, PG_GETARG_DATUM(argno)));
}

/*
 * The transition function of rfm_agg on purchase and observation end dates
 * (to_date NULL) or times taken as their calendar days (RfmDateArg)
 */
static Datum
RfmAccum(FunctionCallInfo fcinfo, PGFunction to_date)
{
	MemoryContext aggcxt;
	RfmState   *st;
	DateADT		end,
				day;
	double		unit_days;

	aggcxt = KpiAggContext(fcinfo);
	if (PG_ARGISNULL(3) || PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("RFM observation end and time unit must not be null")));
	end = RfmDateArg(fcinfo, 3, to_date);
	if (DATE_NOT_FINITE(end))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("RFM observation end must be a finite date")));

	unit_days = RfmUnitDays(PG_GETARG_INTERVAL_P(4));
	if (PG_ARGISNULL(0))
		st = RfmStateCreate(aggcxt, end, unit_days);
	else
	{
		st = (RfmState *) PG_GETARG_POINTER(0);
		if (st->end != end || st->unit_days != unit_days)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("RFM observation end or time unit changed within one aggregate")));
	}

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	day = RfmDateArg(fcinfo, 1, to_date);
	if (DATE_NOT_FINITE(day))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("purchase date must be finite")));
	if (day > st->end)
		PG_RETURN_POINTER(st);
	if (!isfinite(PG_GETARG_FLOAT8(2)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("purchase amount %g is not finite", PG_GETARG_FLOAT8(2))));

	/* consecutive purchases of one day merge at once */
	if (st->ndays > 0 && st->days[st->ndays - 1].day == day)
		RfmAddAmount(&st->days[st->ndays - 1], PG_GETARG_FLOAT8(2));
	else
	{
		RfmReserve(st, 1);
		st->days[st->ndays].day = day;
		st->days[st->ndays].amount = PG_GETARG_FLOAT8(2);
		st->ndays++;
	}
	PG_RETURN_POINTER(st);
}

Datum
rfm_agg_state_accum(PG_FUNCTION_ARGS)
{
	return RfmAccum(fcinfo, NULL);
}

Datum
rfm_agg_state_accum_timestamp(PG_FUNCTION_ARGS)
{
	return RfmAccum(fcinfo, timestamp_date);
}

/* STABLE: the calendar day of a timestamptz depends on the TimeZone setting */
Datum
rfm_agg_state_accum_timestamptz(PG_FUNCTION_ARGS)
{
	return RfmAccum(fcinfo, timestamptz_date);
}

/* An empty state with the parameters of like, in cxt */
static void *
RfmCreateLike(MemoryContext cxt, const void *like)
{
	return RfmStateCreate(cxt, ((const RfmState *) like)->end,
						  ((const RfmState *) like)->unit_days);
}

/* Append the entries of b to a (a KpiMergeStates) */
static void
RfmMerge(void *into, const void *from)
{
	RfmState   *a = into;
	const RfmState *b = from;

	if (a->end != b->end || a->unit_days != b->unit_days)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge RFM states with different observation ends or time units")));
	RfmReserve(a, b->ndays);
	memcpy(a->days + a->ndays, b->days, sizeof(RfmDay) * b->ndays);
	a->ndays += b->ndays;
}

Datum
rfm_agg_state_combine(PG_FUNCTION_ARGS)
{
	return KpiCombineInternal(fcinfo, RfmCreateLike, RfmMerge);
}

/*
 * Serialized: int8 version, int32 end, float8 unit, int32 n, then n
 * (int32 day, float8 amount)
 */
Datum
rfm_agg_state_serialize(PG_FUNCTION_ARGS)
{
	RfmState   *st = (RfmState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			i;

	KpiSendVersion(&buf, RFM_STATE_VERSION);
	pq_sendint32(&buf, st->end);
	pq_sendfloat8(&buf, st->unit_days);
	pq_sendint32(&buf, st->ndays);
	for (i = 0; i < st->ndays; i++)
	{
		pq_sendint32(&buf, st->days[i].day);
		pq_sendfloat8(&buf, st->days[i].amount);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
rfm_agg_state_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcxt = KpiAggContext(fcinfo);
	StringInfoData buf;
	RfmState   *st;
	DateADT		end;
	double		unit_days;
	int			n,
				i;

	KpiReadBuffer(&buf, bytes);
	KpiRecvVersion(&buf, RFM_STATE_NAME, RFM_STATE_VERSION);
	KpiRecvNeed(&buf, RFM_STATE_NAME, 12, false);
	end = pq_getmsgint(&buf, 4);
	unit_days = pq_getmsgfloat8(&buf);
	if (!(unit_days > 0) || !isfinite(unit_days) || DATE_NOT_FINITE(end))
		KpiBinaryInputError(RFM_STATE_NAME, "The observation end or time unit is out of range.");
	n = (int) KpiRecvCount(&buf, RFM_STATE_NAME, 4, RFM_MAX_DAYS / 2, 12);
	KpiRecvNeed(&buf, RFM_STATE_NAME, (int64) n * 12, true);
	st = RfmStateCreate(aggcxt, end, unit_days);
	RfmReserve(st, n);
	for (i = 0; i < n; i++)
	{
		st->days[i].day = pq_getmsgint(&buf, 4);
		st->days[i].amount = pq_getmsgfloat8(&buf);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		/* what rfm_agg_state_accum stores: finite days and amounts */
		if (DATE_NOT_FINITE(st->days[i].day) || st->days[i].day > end ||
			!isfinite(st->days[i].amount))
			KpiBinaryInputError(RFM_STATE_NAME, "Purchase day %d is out of range.", i);
	}
	st->ndays = n;
	KpiRecvEnd(&buf, RFM_STATE_NAME);
	PG_RETURN_POINTER(st);
}


/*
 * rfm_agg_final: the summary, or NULL when no purchase lies on or before
 * the observation end.  Sorting and merging the entries in place leaves the
 * state's meaning unchanged, so the final function may run again on it.
 */
Datum
rfm_agg_final(PG_FUNCTION_ARGS)
{
	RfmState   *st;
	double		repeat_amount = 0;
	int64		x;
	int			i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (RfmState *) PG_GETARG_POINTER(0);
	RfmCollapse(st);
	if (st->ndays == 0)
		PG_RETURN_NULL();
	x = st->ndays - 1;
	for (i = 1; i < st->ndays; i++)
	{
		repeat_amount += st->days[i].amount;
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	if (x > 0)
		repeat_amount /= x;
	if (!isfinite(repeat_amount))
	{
		/* the sum overflowed; the mean of finite amounts is finite */
		repeat_amount = 0;
		for (i = 1; i < st->ndays; i++)
			repeat_amount += st->days[i].amount / x;
	}
	PG_RETURN_POINTER(RfmMake(x,
							  ((int64) st->days[st->ndays - 1].day - st->days[0].day) / st->unit_days,
							  ((int64) st->end - st->days[0].day) / st->unit_days,
							  repeat_amount));
}



/*----
 * retention_clv(margin, retention, discount_rate, margin_at_start)
 *
 * The infinite-horizon CLV of a customer with a constant margin m per
 * period, retention r and discount rate d per period (Gupta & Lehmann 2003;
 * Gupta, Lehmann & Stuart 2004):
 *		CLV = m * r / (1 + d - r)			margins at the end of each period,
 *											the first after one retention step
 *		CLV = m * (1 + d) / (1 + d - r)		the first margin received at once
 * The series converges only for 0 <= r < 1 + d.
 */
Datum
retention_clv(PG_FUNCTION_ARGS)
{
	double		m = PG_GETARG_FLOAT8(0);
	double		r = PG_GETARG_FLOAT8(1);
	double		d = PG_GETARG_FLOAT8(2);
	bool		at_start = PG_GETARG_BOOL(3);
	double		clv;

	if (!isfinite(d) || !(d > -1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("discount rate %g is out of range", d),
				 errhint("The discount rate per period must be greater than -1.")));
	if (!(r >= 0 && r < 1 + d))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention rate %g is out of range for discount rate %g", r, d),
				 errhint("The retention formula needs 0 <= retention < 1 + discount rate.")));
	if (!isfinite(m))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("margin %g is not finite", m)));
	clv = m * (at_start ? 1 + d : r) / (1 + d - r);
	if (!isfinite(clv))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("retention CLV is out of range")));
	PG_RETURN_FLOAT8(clv);
}
