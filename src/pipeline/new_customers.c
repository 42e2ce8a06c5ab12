/*-------------------------------------------------------------------------
 *
 * new_customers.c
 *	  New customers per period with their quality: new_customers_agg()
 *	  over purchases (or won deals), and acquisition_efficiency() of a
 *	  period's cohort and its acquisition spend.
 *
 * A customer is new in the calendar period (day, ISO week, month, quarter
 * or year, in a time zone) of their first purchase.  Next to the count, the
 * cohort's quality: the net revenue of its purchases in each customer's
 * first N days (from the first purchase, N x 24 hours), the customers who
 * bought again within those N days (early retention), and the cohort's net
 * revenue over all the rows aggregated.  A row of negative net revenue (a
 * refund) counts in the revenue, never as buying again.
 *
 * A customer's first purchase may sit in another parallel worker's rows (or
 * another partial aggregate's), and which purchases fall in the first N days
 * depends on it, so no bounded per-customer state merges exactly: the state
 * keeps every row (customer key, time, amount) until the final function,
 * as the stage history aggregates do.  Customers are ids of any supported
 * type (entity_ids.c).  Amounts are numeric, summed exactly with numeric
 * addition in the final function, which gives the digits and display scale
 * sum(numeric) gives; per row, the amount's bytes are only copied into the
 * state's buffer (no allocation beyond its amortised growth).
 *
 * See doc/pipeline.md, section 5.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/typcache.h"

PG_FUNCTION_INFO_V1(new_customers_state_accum);
PG_FUNCTION_INFO_V1(new_customers_state_combine);
PG_FUNCTION_INFO_V1(new_customers_state_serialize);
PG_FUNCTION_INFO_V1(new_customers_state_deserialize);
PG_FUNCTION_INFO_V1(new_customers_agg_final);
PG_FUNCTION_INFO_V1(acquisition_efficiency);

/* The serialized state's format, and its name in errors */
#define NC_SERIAL_VERSION	1
#define NC_STATE_NAME		"new customers state"

/* The longest first-N-days window: 100 years */
#define NC_MAX_FIRST_DAYS	36525

/* Calendar periods, as date_trunc names them; 0: no row read yet */
static const char *const NcUnitNames[] = {NULL, "day", "week", "month", "quarter", "year"};

#define NC_MAX_UNIT		5

/* One purchase; its amount is a slice of the state's amount buffer */
typedef struct NcEvent
{
	int64		customer;		/* key of the customer's id */
	TimestampTz at;
	int64		amount_off;
	int32		amount_len;		/* -1: NULL amount */
} NcEvent;

typedef struct NcState
{
	MemoryContext cxt;			/* the aggregate context: all of it lives here */
	int			unit;			/* index into NcUnitNames; 0 before the first row */
	int32		first_days;
	char	   *zone;			/* time zone name; NULL: the session's */
	KpiIds		ids;
	int64		nevents;
	int64		capacity;
	NcEvent    *events;
	StringInfoData amounts;		/* the amounts' numeric bytes (VARDATA_ANY) */
} NcState;

static NcState *
NcCreate(MemoryContext cxt)
{
	NcState    *st = MemoryContextAllocZero(cxt, sizeof(NcState));
	MemoryContext old = MemoryContextSwitchTo(cxt);

	st->cxt = cxt;
	KpiIdsInit(&st->ids, cxt);
	st->capacity = 64;
	st->events = palloc(sizeof(NcEvent) * st->capacity);
	initStringInfo(&st->amounts);
	MemoryContextSwitchTo(old);
	return st;
}

/* The unit of a period interval: 1 day, 7 days, 1 month, 3 months, 1 year */
static int
NcUnitOfInterval(const Interval *period)
{
	if (period->time == 0)
	{
		if (period->month == 0 && period->day == 1)
			return 1;
		if (period->month == 0 && period->day == 7)
			return 2;
		if (period->day == 0 && period->month == 1)
			return 3;
		if (period->day == 0 && period->month == 3)
			return 4;
		if (period->day == 0 && period->month == 12)
			return 5;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("new customer period \"%s\" is not supported",
					DatumGetCString(DirectFunctionCall1(interval_out,
														IntervalPGetDatum(period)))),
			 errhint("Periods are calendar periods: 1 day, 7 days (ISO week), 1 month, 3 months (quarter) or 1 year.")));
	return 0;					/* keep the compiler quiet */
}

/* The start of the calendar period of t, in the state's time zone */
static TimestampTz
NcPeriodStart(const NcState *st, TimestampTz t)
{
	Datum		unit = CStringGetTextDatum(NcUnitNames[st->unit]);

	if (st->zone == NULL)
		return DatumGetTimestampTz(DirectFunctionCall2(timestamptz_trunc, unit,
													   TimestampTzGetDatum(t)));
	return DatumGetTimestampTz(DirectFunctionCall3(timestamptz_trunc_zone, unit,
												   TimestampTzGetDatum(t),
												   CStringGetTextDatum(st->zone)));
}

/*
 * The parameters of a row (period argument 4, first_days 5, time zone 6 if
 * given): the first row's set the state's; every later row must repeat them.
 */
static void
NcParams(NcState *st, FunctionCallInfo fcinfo, TimestampTz at)
{
	int			unit;
	int32		first_days;
	text	   *zone = NULL;

	if (PG_ARGISNULL(4) || PG_ARGISNULL(5) || (PG_NARGS() > 6 && PG_ARGISNULL(6)))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("new customer period, first_days and time zone must not be null")));
	first_days = PG_GETARG_INT32(5);
	if (PG_NARGS() > 6)
		zone = PG_GETARG_TEXT_PP(6);
	if (st->unit != 0)
	{
		/* later rows: the same parameters, compared without allocating */
		const Interval *period = PG_GETARG_INTERVAL_P(4);
		static const int32 months[] = {0, 0, 0, 1, 3, 12};
		static const int32 days[] = {0, 1, 7, 0, 0, 0};

		if (period->time == 0 && period->month == months[st->unit] &&
			period->day == days[st->unit] && first_days == st->first_days &&
			(zone == NULL ? st->zone == NULL :
			 st->zone != NULL && VARSIZE_ANY_EXHDR(zone) == strlen(st->zone) &&
			 memcmp(VARDATA_ANY(zone), st->zone, VARSIZE_ANY_EXHDR(zone)) == 0))
			return;
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("new customer period, first_days and time zone must be the same in every row")));
	}
	unit = NcUnitOfInterval(PG_GETARG_INTERVAL_P(4));
	if (first_days < 1 || first_days > NC_MAX_FIRST_DAYS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("first_days %d is out of range", first_days),
				 errhint("first_days must be between 1 and %d.", NC_MAX_FIRST_DAYS)));
	st->unit = unit;
	st->first_days = first_days;
	if (zone != NULL)
		st->zone = MemoryContextStrdup(st->cxt, text_to_cstring(zone));
	/* an unknown time zone fails here, at the first row, not at the end */
	(void) NcPeriodStart(st, at);
}

static void
NcAddEvent(NcState *st, int64 customer, TimestampTz at, const char *amount, int32 len)
{
	NcEvent    *e;

	if (st->nevents == st->capacity)
	{
		st->capacity *= 2;
		st->events = repalloc_huge(st->events, sizeof(NcEvent) * st->capacity);
	}
	e = &st->events[st->nevents++];
	e->customer = customer;
	e->at = at;
	e->amount_off = st->amounts.len;
	e->amount_len = len;
	if (len > 0)
	{
		MemoryContext old = MemoryContextSwitchTo(st->cxt);

		appendBinaryStringInfo(&st->amounts, amount, len);
		MemoryContextSwitchTo(old);
	}
}

/*
 * new_customers_state_accum(state, customer, at, net_revenue, period,
 * first_days [, time_zone]): a row with a NULL customer or time is skipped;
 * a NULL amount is a purchase without revenue.
 */
Datum
new_customers_state_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = KpiAggContext(fcinfo);
	NcState    *st = PG_ARGISNULL(0) ? NcCreate(aggcxt) : (NcState *) PG_GETARG_POINTER(0);
	TimestampTz at;
	int64		customer;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	at = PG_GETARG_TIMESTAMPTZ(2);
	if (TIMESTAMP_NOT_FINITE(at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("purchase time must be finite")));
	NcParams(st, fcinfo, at);
	customer = KpiIdsKeyArg(&st->ids, fcinfo, 1);
	if (PG_ARGISNULL(3))
		NcAddEvent(st, customer, at, NULL, -1);
	else
	{
		/* a short or plain numeric is read in place; only a toasted one is copied */
		struct varlena *v = pg_detoast_datum_packed((struct varlena *) PG_GETARG_POINTER(3));

		NcAddEvent(st, customer, at, VARDATA_ANY(v), (int32) VARSIZE_ANY_EXHDR(v));
	}
	PG_RETURN_POINTER(st);
}

/* Do two states count in the same periods, windows and time zone? */
static void
NcCheckSame(const NcState *a, const NcState *b)
{
	if (a->unit != b->unit || a->first_days != b->first_days ||
		(a->zone == NULL) != (b->zone == NULL) ||
		(a->zone != NULL && strcmp(a->zone, b->zone) != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("new customer period, first_days and time zone must be the same in every row")));
}

/* Append the rows of b to a (a KpiMergeStates) */
static void
NcMerge(void *into, const void *from)
{
	NcState    *a = into;
	const NcState *b = from;
	int64		i;

	if (b->unit == 0)
		return;					/* no row */
	if (a->unit == 0)
	{
		a->unit = b->unit;
		a->first_days = b->first_days;
		a->zone = b->zone ? MemoryContextStrdup(a->cxt, b->zone) : NULL;
	}
	NcCheckSame(a, b);
	KpiIdsMergeKinds(&a->ids, &b->ids);
	for (i = 0; i < b->nevents; i++)
	{
		const NcEvent *e = &b->events[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		NcAddEvent(a, KpiIdsTranslate(&a->ids, &b->ids, e->customer), e->at,
				   b->amounts.data + e->amount_off, e->amount_len);
	}
}

/* An empty state (a KpiCreateLike: the parameters come with the rows) */
static void *
NcCreateLike(MemoryContext cxt, const void *like)
{
	return NcCreate(cxt);
}

Datum
new_customers_state_combine(PG_FUNCTION_ARGS)
{
	return KpiCombineInternal(fcinfo, NcCreateLike, NcMerge);
}

/*
 * Serialized form, between the processes of one server (a parallel plan):
 * int8 version, int8 unit (0: no row), int32 first_days, int32 length of
 * the time zone name (-1: the session's) + bytes, the ids (KpiIdsSend),
 * int64 number of rows, each as int64 customer key, int64 time, int32
 * amount length (-1: NULL) + the amount's numeric bytes.
 */
Datum
new_customers_state_serialize(PG_FUNCTION_ARGS)
{
	NcState    *st = (NcState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int64		i;

	KpiSendVersion(&buf, NC_SERIAL_VERSION);
	pq_sendbyte(&buf, st->unit);
	pq_sendint32(&buf, st->first_days);
	if (st->zone == NULL)
		pq_sendint32(&buf, -1);
	else
	{
		pq_sendint32(&buf, (int32) strlen(st->zone));
		pq_sendbytes(&buf, st->zone, strlen(st->zone));
	}
	KpiIdsSend(&buf, &st->ids);
	pq_sendint64(&buf, st->nevents);
	for (i = 0; i < st->nevents; i++)
	{
		const NcEvent *e = &st->events[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_sendint64(&buf, e->customer);
		pq_sendint64(&buf, e->at);
		pq_sendint32(&buf, e->amount_len);
		if (e->amount_len > 0)
			pq_sendbytes(&buf, st->amounts.data + e->amount_off, e->amount_len);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
new_customers_state_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcxt = KpiAggContext(fcinfo);
	StringInfoData buf;
	NcState    *st;
	int32		zone_len;
	int64		n,
				i;
	bool		dictionary;

	KpiReadBuffer(&buf, data);
	KpiRecvVersion(&buf, NC_STATE_NAME, NC_SERIAL_VERSION);
	st = NcCreate(aggcxt);
	KpiRecvNeed(&buf, NC_STATE_NAME, 1 + 4 + 4, false);
	st->unit = pq_getmsgbyte(&buf);
	st->first_days = pq_getmsgint(&buf, 4);
	zone_len = pq_getmsgint(&buf, 4);
	if (st->unit < 0 || st->unit > NC_MAX_UNIT ||
		(st->unit != 0 && (st->first_days < 1 || st->first_days > NC_MAX_FIRST_DAYS)) ||
		zone_len < -1 || zone_len > buf.len - buf.cursor)
		KpiBinaryInputError(NC_STATE_NAME, "The parameters are out of range.");
	if (zone_len >= 0)
	{
		const char *zone = pq_getmsgbytes(&buf, zone_len);

		if (memchr(zone, '\0', zone_len) != NULL)
			KpiBinaryInputError(NC_STATE_NAME, "The time zone is not text.");
		st->zone = MemoryContextAlloc(aggcxt, zone_len + 1);
		memcpy(st->zone, zone, zone_len);
		st->zone[zone_len] = '\0';
	}
	KpiIdsRecv(&buf, &st->ids, aggcxt);
	dictionary = st->ids.kind == KPI_ID_UUID || st->ids.kind == KPI_ID_TEXT;
	/* int64 customer, int64 time, int32 amount length per row */
	n = KpiRecvCount(&buf, NC_STATE_NAME, 8, PG_INT64_MAX, 20);
	if (n > 0 && (st->unit == 0 || st->ids.kind == KPI_ID_NONE))
		KpiBinaryInputError(NC_STATE_NAME, "Rows come without their parameters.");
	for (i = 0; i < n; i++)
	{
		int64		customer;
		TimestampTz at;
		int32		len;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		KpiRecvNeed(&buf, NC_STATE_NAME, 20, false);
		customer = pq_getmsgint64(&buf);
		at = pq_getmsgint64(&buf);
		len = pq_getmsgint(&buf, 4);
		if ((dictionary && (customer < 0 || customer >= KpiIdsCount(&st->ids))) ||
			TIMESTAMP_NOT_FINITE(at) || !IS_VALID_TIMESTAMP(at) ||
			len < -1 || len == 0 || len > buf.len - buf.cursor)
			KpiBinaryInputError(NC_STATE_NAME, "Row " INT64_FORMAT " is out of range.", i);
		NcAddEvent(st, customer, at, len > 0 ? pq_getmsgbytes(&buf, len) : NULL, len);
	}
	KpiRecvEnd(&buf, NC_STATE_NAME);
	PG_RETURN_POINTER(st);
}


/* Final function */

/* Rows in (customer, time) order */
static int
NcCompareEvents(const void *pa, const void *pb)
{
	const NcEvent *a = (const NcEvent *) pa;
	const NcEvent *b = (const NcEvent *) pb;

	if (a->customer != b->customer)
		return a->customer < b->customer ? -1 : 1;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return 0;
}

/* One new customer: their period and figures */
typedef struct NcCustomer
{
	TimestampTz period;
	bool		repeat;			/* bought again within the first N days */
	Numeric		first_days_revenue;
	Numeric		net_revenue;
} NcCustomer;

static int
NcCompareCustomers(const void *pa, const void *pb)
{
	const NcCustomer *a = (const NcCustomer *) pa;
	const NcCustomer *b = (const NcCustomer *) pb;

	return a->period < b->period ? -1 : a->period > b->period ? 1 : 0;
}

static Numeric
NcZero(void)
{
	return DatumGetNumeric(DirectFunctionCall1(int4_numeric, Int32GetDatum(0)));
}

/* *sum += x, exactly; the former sum is freed (the final's memory stays flat) */
static void
NcAdd(Numeric *sum, Numeric x)
{
	Numeric		result = DatumGetNumeric(DirectFunctionCall2(numeric_add,
															 NumericGetDatum(*sum),
															 NumericGetDatum(x)));

	pfree(*sum);
	*sum = result;
}

static bool
NcNegative(Numeric num)
{
	Numeric		zero = NcZero();
	bool		negative = DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(num),
															 NumericGetDatum(zero))) < 0;

	pfree(zero);
	return negative;
}

/* The amount of a row as a numeric (NULL for none); 22023 if not finite */
static Numeric
NcAmount(const NcState *st, const NcEvent *e)
{
	Numeric		num;

	if (e->amount_len < 0)
		return NULL;
	num = (Numeric) palloc(VARHDRSZ + e->amount_len);
	SET_VARSIZE(num, VARHDRSZ + e->amount_len);
	memcpy(VARDATA(num), st->amounts.data + e->amount_off, e->amount_len);
	if (numeric_is_nan(num) || numeric_is_inf(num))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("net revenue %s is not finite",
						DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)))),
				 errhint("New customer revenue must be a finite amount.")));
	return num;
}

/*
 * new_customers_agg_final(state): one element per period with new customers, in
 * period order: (period_start, new_customers, repeat_customers,
 * early_retention, first_days_revenue, revenue_per_new_customer,
 * net_revenue).
 */
Datum
new_customers_agg_final(PG_FUNCTION_ARGS)
{
	NcState    *st = (NcState *) PG_GETARG_POINTER(0);
	Oid			elemtype;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	TupleDesc	tupdesc;
	NcEvent    *events;
	NcCustomer *customers;
	Datum	   *elems;
	int64		limit = (int64) st->first_days * USECS_PER_DAY - 1;
	int64		ncustomers = 0,
				i,
				j;
	int			n = 0;

	elemtype = get_element_type(getBaseType(get_func_rettype(fcinfo->flinfo->fn_oid)));
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	tupdesc = lookup_rowtype_tupdesc_copy(elemtype, -1);

	events = palloc_extended(sizeof(NcEvent) * Max(st->nevents, 1), MCXT_ALLOC_HUGE);
	memcpy(events, st->events, sizeof(NcEvent) * st->nevents);
	qsort(events, st->nevents, sizeof(NcEvent), NcCompareEvents);
	customers = palloc_extended(sizeof(NcCustomer) * Max(st->nevents, 1), MCXT_ALLOC_HUGE);

	for (i = 0; i < st->nevents; i = j)
	{
		NcCustomer *c = &customers[ncustomers++];
		TimestampTz first = events[i].at;

		CHECK_FOR_INTERRUPTS();
		c->period = NcPeriodStart(st, first);
		c->repeat = false;
		c->first_days_revenue = NcZero();
		c->net_revenue = NcZero();
		for (j = i; j < st->nevents && events[j].customer == events[i].customer; j++)
		{
			Numeric		amount = NcAmount(st, &events[j]);
			bool		early = KpiTimeWithin(events[j].at, first, limit);

			if ((j & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			/* a later row, but not a refund: a purchase (NULL: of unknown revenue) */
			if (early && events[j].at > first && !c->repeat &&
				(amount == NULL || !NcNegative(amount)))
				c->repeat = true;
			if (amount == NULL)
				continue;
			NcAdd(&c->net_revenue, amount);
			if (early)
				NcAdd(&c->first_days_revenue, amount);
			pfree(amount);
		}
	}
	qsort(customers, ncustomers, sizeof(NcCustomer), NcCompareCustomers);

	elems = palloc(sizeof(Datum) * Max(ncustomers, 1));
	for (i = 0; i < ncustomers; i = j)
	{
		Numeric		first_days_revenue = NcZero(),
					net_revenue = NcZero();
		int64		repeat = 0,
					count;
		Datum		values[7];
		bool		nulls[7] = {false, false, false, false, false, false, false};

		CHECK_FOR_INTERRUPTS();
		for (j = i; j < ncustomers && customers[j].period == customers[i].period; j++)
		{
			repeat += customers[j].repeat;
			NcAdd(&first_days_revenue, customers[j].first_days_revenue);
			NcAdd(&net_revenue, customers[j].net_revenue);
		}
		count = j - i;
		values[0] = TimestampTzGetDatum(customers[i].period);
		values[1] = Int64GetDatum(count);
		values[2] = Int64GetDatum(repeat);
		values[3] = Float8GetDatum((double) repeat / (double) count);
		values[4] = NumericGetDatum(first_days_revenue);
		values[5] = DirectFunctionCall2(numeric_div, NumericGetDatum(first_days_revenue),
										DirectFunctionCall1(int8_numeric, Int64GetDatum(count)));
		values[6] = NumericGetDatum(net_revenue);
		elems[n++] = HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, elemtype, typlen, typbyval, typalign));
}


/*
 * acquisition_efficiency(cohort new_customer_cohort, spend numeric): the
 * cohort's CAC (spend / new customers) and the spend per unit of its
 * first-N-days and of its net revenue, exact numeric divisions; a zero
 * denominator gives NULL (undefined, not infinite), as the scalar business
 * functions do.
 */
static Datum
NcDivide(Numeric spend, Datum denominator, bool isnull, bool *resnull)
{
	Datum		zero = NumericGetDatum(NcZero());

	*resnull = isnull || DatumGetInt32(DirectFunctionCall2(numeric_cmp, denominator, zero)) == 0;
	if (*resnull)
		return (Datum) 0;
	return DirectFunctionCall2(numeric_div, NumericGetDatum(spend), denominator);
}

Datum
acquisition_efficiency(PG_FUNCTION_ARGS)
{
	HeapTupleHeader cohort = PG_GETARG_HEAPTUPLEHEADER(0);
	Numeric		spend = PG_GETARG_NUMERIC(1);
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3];
	Datum		field;
	bool		isnull;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (numeric_is_nan(spend) || numeric_is_inf(spend) ||
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(spend),
										  NumericGetDatum(NcZero()))) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("acquisition spend %s is not a finite amount of at least 0",
						DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(spend))))));
	field = GetAttributeByName(cohort, "new_customers", &isnull);
	if (!isnull)
		field = DirectFunctionCall1(int8_numeric, field);
	values[0] = NcDivide(spend, field, isnull, &nulls[0]);
	field = GetAttributeByName(cohort, "first_days_revenue", &isnull);
	values[1] = NcDivide(spend, field, isnull, &nulls[1]);
	field = GetAttributeByName(cohort, "net_revenue", &isnull);
	values[2] = NcDivide(spend, field, isnull, &nulls[2]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}
