/*-------------------------------------------------------------------------
 *
 * new_customers.c
 *	  New customers per period with their quality: new_customers_summary,
 *	  the state of new_customers_agg() over purchases (or won deals) and
 *	  the value rollup() merges; its accessor new_customer_cohorts(), and
 *	  acquisition_efficiency() of a period's cohort and its acquisition
 *	  spend.  The summary's validator and text and binary forms are
 *	  new_customers_io.c's.
 *
 * A customer is new in the calendar period (day, ISO week, month, quarter
 * or year, in a time zone) of their first purchase.  Next to the count, the
 * cohort's quality: the net revenue of its purchases in each customer's
 * first N days (from the first purchase, N x 24 hours), the customers who
 * bought again within those N days (early retention), and the cohort's net
 * revenue over all the rows summarised.  A row of negative net revenue (a
 * refund) counts in the revenue, never as buying again.
 *
 * A customer's first purchase may sit in another parallel worker's rows, in
 * another day's stored summary or on another shard, and which purchases
 * fall in the first N days depends on it, so no bounded per-customer state
 * merges exactly: the summary keeps every row (customer, time, amount), and
 * summaries merge by the union of their rows.  It grows with its rows, so
 * the aggregates keep it expanded (doc/conventions.md, pattern (b)): an
 * array of rows with the amounts' bytes beside it, flattened to the stored
 * form with the rows in canonical order, so that equal summaries are equal
 * bytes.  Customers are ids of any supported type (entity_ids.c).  Amounts
 * are numeric, summed exactly with numeric addition by the accessor, which
 * gives the digits and display scale sum(numeric) gives; per row, the
 * amount's bytes are only copied into the state's buffer (no allocation
 * beyond its amortised growth); the stored form holds them in numeric's
 * public wire format (numeric_send).
 *
 * The summary records the time zone its periods are counted in (the
 * session's, by name, when the aggregate is given none), so that its
 * accessor reads it the same in any session.
 *
 * See doc/pipeline.md, section 5.
 *
 *-------------------------------------------------------------------------
 */
#include "new_customers.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/typcache.h"

PG_FUNCTION_INFO_V1(new_customers_summary_accum);
PG_FUNCTION_INFO_V1(new_customers_summary_combine);
PG_FUNCTION_INFO_V1(new_customer_cohorts);
PG_FUNCTION_INFO_V1(acquisition_efficiency);

const char *const NcUnitNames[] = {NULL, "day", "week", "month", "quarter", "year"};


/* The expanded state */

static Size NcGetFlatSize(ExpandedObjectHeader *eoh);
static void NcFlattenInto(ExpandedObjectHeader *eoh, void *result, Size size);

static const ExpandedObjectMethods NcMethods = {NcGetFlatSize, NcFlattenInto};

/* A new empty state for fcinfo (NULL: for an input function) */
NcState *
NcCreate(FunctionCallInfo fcinfo)
{
	NcState    *st = (NcState *) KpiExpandedCreateState(fcinfo, sizeof(NcState), &NcMethods);
	MemoryContext old = MemoryContextSwitchTo(st->hdr.eoh_context);

	KpiIdsInit(&st->ids, st->hdr.eoh_context);
	/* small to start with: hashed aggregation may keep a state per group */
	st->capacity = 4;
	st->events = palloc(sizeof(NcEvent) * st->capacity);
	st->amounts.maxlen = 64;
	st->amounts.data = palloc(st->amounts.maxlen);
	resetStringInfo(&st->amounts);
	MemoryContextSwitchTo(old);
	return st;
}

/* The flat form made by NcGetFlatSize is stale once the state changes */
static void
NcChanged(NcState *st)
{
	if (st->flat != NULL)
	{
		pfree(st->flat);
		st->flat = NULL;
	}
}

void
NcAddEvent(NcState *st, int64 customer, TimestampTz at, const char *amount, int32 len)
{
	NcEvent    *e;

	NcChanged(st);
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
	e->wire = false;
	if (len > 0)
	{
		MemoryContext old = MemoryContextSwitchTo(st->hdr.eoh_context);

		appendBinaryStringInfo(&st->amounts, amount, len);
		MemoryContextSwitchTo(old);
	}
}

/* The parameters of a state that has none yet */
void
NcSetParams(NcState *st, int unit, int32 first_days, const char *zone, int zone_len)
{
	Assert(st->unit == 0 && unit >= 1 && unit <= NC_MAX_UNIT);
	NcChanged(st);
	st->unit = unit;
	st->first_days = first_days;
	st->zone = MemoryContextAlloc(st->hdr.eoh_context, zone_len + 1);
	memcpy(st->zone, zone, zone_len);
	st->zone[zone_len] = '\0';
}

/* The start of the calendar period of t in the time zone */
static TimestampTz
NcPeriodStart(int unit, const char *zone, TimestampTz t)
{
	return DatumGetTimestampTz(DirectFunctionCall3(timestamptz_trunc_zone,
												   CStringGetTextDatum(NcUnitNames[unit]),
												   TimestampTzGetDatum(t),
												   CStringGetTextDatum(zone)));
}

/* "quarter, 90 days, UTC": the parameters of a summary, for messages */
static char *
NcParamsText(int unit, int32 first_days, const char *zone)
{
	if (unit == 0)
		return pstrdup("no rows");
	return psprintf("%s, %d days, %s", NcUnitNames[unit], first_days, zone);
}

/* Merging needs the same periods, windows and time zone (22023) */
static void
NcCheckSame(const NcState *st, int unit, int32 first_days, const char *zone, int zone_len)
{
	if (st->unit != unit || st->first_days != first_days ||
		strlen(st->zone) != (size_t) zone_len || memcmp(st->zone, zone, zone_len) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge new customers summaries of %s and %s",
						NcParamsText(st->unit, st->first_days, st->zone),
						NcParamsText(unit, first_days, pnstrdup(zone, zone_len)))));
}

/* A row of the flat form being made: the customer's rank, and its amount's wire bytes */
typedef struct NcItem
{
	int64		rank;			/* integer ids: the id; dictionary ids: rank in byte order */
	int64		at;
	int64		off;			/* of the wire bytes in the scratch buffer */
	int32		len;			/* -1: NULL */
} NcItem;

/* Rows in canonical order: customer, time, amount (NULL first, then by wire length and bytes) */
static int
NcCompareItems(const void *pa, const void *pb, void *arg)
{
	const NcItem *a = pa;
	const NcItem *b = pb;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	if (a->len <= 0)
		return 0;
	return memcmp((const char *) arg + a->off, (const char *) arg + b->off, a->len);
}

/*
 * Sort items into canonical order.  A merged summary's rows arrive as one
 * run already in that order (a flat summary's rows are, and translating its
 * customers into the state's dictionary keeps their order), so a combined
 * state is a few long runs, and merging them pass by pass costs linear
 * passes where qsort would sort 2 M rows from scratch (a quarter of the
 * leader's time with 2 workers).  Rows added one by one make runs of a
 * couple of rows: those take qsort.
 */
#define NC_MAX_RUNS		64

static void
NcSortItems(NcItem *items, int64 n, const char *wire)
{
	int64		starts[NC_MAX_RUNS + 1];
	int			nruns = 1,
				r;
	int64		i;
	NcItem	   *from = items,
			   *to;

	starts[0] = 0;
	for (i = 1; i < n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (NcCompareItems(&items[i - 1], &items[i], (void *) wire) > 0)
		{
			if (nruns == NC_MAX_RUNS)
			{
				qsort_arg(items, n, sizeof(NcItem), NcCompareItems, (void *) wire);
				return;
			}
			starts[nruns++] = i;
		}
	}
	if (nruns == 1)
		return;
	starts[nruns] = n;

	to = palloc_extended(sizeof(NcItem) * n, MCXT_ALLOC_HUGE);
	while (nruns > 1)
	{
		NcItem	   *swap;
		int			merged = 0;

		/* merge runs 2k and 2k + 1 of from into run k of to */
		for (r = 0; r < nruns; r += 2)
		{
			int64		a = starts[r],
						a_end = starts[Min(r + 1, nruns)],
						b = a_end,
						b_end = starts[Min(r + 2, nruns)],
						k = a;

			while (a < a_end && b < b_end)
			{
				if ((k & 0xFFFF) == 0)
					CHECK_FOR_INTERRUPTS();
				if (NcCompareItems(&from[b], &from[a], (void *) wire) < 0)
					to[k++] = from[b++];
				else
					to[k++] = from[a++];
			}
			memcpy(&to[k], &from[a], sizeof(NcItem) * (a_end - a));
			k += a_end - a;
			memcpy(&to[k], &from[b], sizeof(NcItem) * (b_end - b));
			starts[merged++] = starts[r];
		}
		starts[merged] = n;
		nruns = merged;
		swap = from;
		from = to;
		to = swap;
	}
	if (from != items)
		memcpy(items, from, sizeof(NcItem) * n);
	pfree(from == items ? to : from);
}

static int
NcCompareIds(const void *pa, const void *pb, void *arg)
{
	return KpiIdsCompare((const KpiIds *) arg, *(const int64 *) pa, *(const int64 *) pb);
}

/* The amount of event e as a numeric (its stored bytes with a header) */
static Numeric
NcEventNumeric(const NcState *st, const NcEvent *e)
{
	Numeric		num = (Numeric) palloc(VARHDRSZ + e->amount_len);

	SET_VARSIZE(num, VARHDRSZ + e->amount_len);
	memcpy(VARDATA(num), st->amounts.data + e->amount_off, e->amount_len);
	return num;
}

/*
 * The flat form of a state, in the state's context: the rows sorted, the
 * amounts in numeric's wire format, the dictionary in the customers' order;
 * through the validator, as every value produced
 */
static NewCustomersSummary *
NcBuildFlat(NcState *st)
{
	MemoryContext cxt = st->hdr.eoh_context;
	MemoryContext scratch = AllocSetContextCreate(cxt, "new customers flatten",
												  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(scratch);
	bool		dictionary = st->ids.kind == KPI_ID_UUID || st->ids.kind == KPI_ID_TEXT;
	uint32		nids = dictionary ? KpiIdsCount(&st->ids) : 0;
	int			zone_len = st->zone ? strlen(st->zone) : 0;
	StringInfoData wire;
	NcItem	   *items;
	int64	   *rank = NULL;
	int64		i;
	Size		ids_len = dictionary ? KpiIdsSendSize(&st->ids) : 0;
	Size		size;
	NewCustomersSummary *s;
	char	   *amounts;

	if (st->nevents > NC_MAX_ROWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("new customers summary of " INT64_FORMAT " rows is too large", st->nevents),
				 errhint("A summary holds at most " INT64_FORMAT " rows.", NC_MAX_ROWS)));

	/* the customers' ranks: dictionary ids in byte order */
	if (dictionary)
	{
		int64	   *keys = palloc_extended(sizeof(int64) * Max(nids, 1), MCXT_ALLOC_HUGE);

		for (i = 0; i < nids; i++)
			keys[i] = i;
		qsort_arg(keys, nids, sizeof(int64), NcCompareIds, &st->ids);
		rank = palloc_extended(sizeof(int64) * Max(nids, 1), MCXT_ALLOC_HUGE);
		for (i = 0; i < nids; i++)
			rank[keys[i]] = i;
		pfree(keys);
	}

	/* the rows, their amounts in wire format (a numeric's stored form is not ours to read) */
	initStringInfo(&wire);
	items = palloc_extended(sizeof(NcItem) * Max(st->nevents, 1), MCXT_ALLOC_HUGE);
	for (i = 0; i < st->nevents; i++)
	{
		const NcEvent *e = &st->events[i];
		NcItem	   *item = &items[i];
		Numeric		num;
		KpiNumericWire w;
		bytea	   *bytes;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		item->rank = rank ? rank[e->customer] : e->customer;
		item->at = e->at;
		item->off = wire.len;
		item->len = -1;
		if (e->amount_len < 0)
			continue;
		if (e->wire)
		{
			item->len = e->amount_len;
			appendBinaryStringInfo(&wire, st->amounts.data + e->amount_off, e->amount_len);
			continue;
		}
		num = NcEventNumeric(st, e);
		if ((bytes = KpiNumericReadWire(num, &w)) == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("net revenue %s is not finite",
							DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)))),
					 errhint("New customer revenue must be a finite amount.")));
		item->len = VARSIZE_ANY_EXHDR(bytes);
		appendBinaryStringInfo(&wire, VARDATA_ANY(bytes), item->len);
		pfree(bytes);
		pfree(num);
	}
	if ((Size) wire.len > MaxAllocSize - NC_SIZE(st->nevents) - ids_len - zone_len)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("new customers summary is too large")));
	NcSortItems(items, st->nevents, wire.data);

	size = NC_SIZE(st->nevents) + wire.len + ids_len + zone_len;
	s = MemoryContextAllocExtended(cxt, size, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	SET_VARSIZE(s, size);
	s->version = NC_FORMAT_VERSION;
	s->unit = st->unit;
	s->zone_len = zone_len;
	s->first_days = st->first_days;
	s->ids_len = ids_len;
	s->count = st->nevents;
	s->amounts_len = wire.len;
	amounts = (char *) NC_AMOUNTS(s);
	for (i = 0; i < st->nevents; i++)
	{
		const NcItem *item = &items[i];
		NcRow	   *row = &s->rows[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		row->customer = item->rank;
		row->at = item->at;
		row->amount_len = item->len;
		if (item->len > 0)
		{
			memcpy(amounts, wire.data + item->off, item->len);
			amounts += item->len;
		}
	}
	if (dictionary)
	{
		/* KpiIdsSend's form, the ids in rank order: kind, count, (length,) bytes */
		char	   *d = (char *) NC_IDS(s);
		uint32		n = pg_hton32(nids);
		int64	   *by_rank = palloc_extended(sizeof(int64) * Max(nids, 1), MCXT_ALLOC_HUGE);

		for (i = 0; i < nids; i++)
			by_rank[rank[i]] = i;
		*d++ = (char) st->ids.kind;
		memcpy(d, &n, 4);
		d += 4;
		for (i = 0; i < nids; i++)
			d = KpiIdsPut(d, &st->ids, by_rank[i]);
		if (d != NC_ZONE(s))
			elog(ERROR, "new customers summary ids take %zu bytes, not %zu",
				 (Size) (d - NC_IDS(s)), ids_len);
	}
	if (zone_len > 0)
		memcpy((char *) NC_ZONE(s), st->zone, zone_len);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(scratch);
	KpiCheckProduced(NC_NAME, NcHeaderError(s));
	KpiCheckProduced(NC_NAME, NcRowsError(s));
	return s;
}

static Size
NcGetFlatSize(ExpandedObjectHeader *eoh)
{
	NcState    *st = (NcState *) eoh;

	if (st->flat == NULL)
		st->flat = NcBuildFlat(st);
	return VARSIZE(st->flat);
}

static void
NcFlattenInto(ExpandedObjectHeader *eoh, void *result, Size size)
{
	NcState    *st = (NcState *) eoh;

	if (st->flat == NULL)
		st->flat = NcBuildFlat(st);
	Assert(size == VARSIZE(st->flat));
	memcpy(result, st->flat, size);
}

/* A state built by an input function, flattened into the current context; its context freed */
NewCustomersSummary *
NcFinish(NcState *st)
{
	NewCustomersSummary *s;
	Size		size = NcGetFlatSize(&st->hdr);

	s = palloc_extended(size, MCXT_ALLOC_HUGE);
	memcpy(s, st->flat, size);
	MemoryContextDelete(st->hdr.eoh_context);
	return s;
}

/* Merge the rows of flat value s into st (parameters checked) */
static void
NcMergeFlat(NcState *st, const NewCustomersSummary *s)
{
	const char *amount = NC_AMOUNTS(s);
	MemoryContext scratch;
	MemoryContext old;
	KpiIds		ids;
	int64		i;

	if (s->unit == 0)
		return;					/* no rows */
	if (st->unit == 0)
		NcSetParams(st, s->unit, s->first_days, NC_ZONE(s), s->zone_len);
	else
		NcCheckSame(st, s->unit, s->first_days, NC_ZONE(s), s->zone_len);
	if (s->count == 0)
		return;
	scratch = AllocSetContextCreate(CurrentMemoryContext, "new customers merge",
									ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(scratch);
	NcFlatIds(s, &ids, scratch);
	KpiIdsMergeKinds(&st->ids, &ids);
	/*
	 * The amounts stay in the wire form: s was validated, so they are
	 * canonical, and the flat form made from the state takes them as they
	 * are (numeric_recv and numeric_send per row took a sixth of the
	 * leader's time in a parallel plan)
	 */
	for (i = 0; i < s->count; i++)
	{
		const NcRow *row = &s->rows[i];
		int64		key = KpiIdsTranslate(&st->ids, &ids, row->customer);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (row->amount_len < 0)
			NcAddEvent(st, key, row->at, NULL, -1);
		else
		{
			NcAddEvent(st, key, row->at, amount, row->amount_len);
			st->events[st->nevents - 1].wire = true;
			amount += row->amount_len;
		}
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(scratch);
}

/* An expanded copy of flat value s, the state of fcinfo */
NcState *
NcExpand(FunctionCallInfo fcinfo, const NewCustomersSummary *s)
{
	NcState    *st = NcCreate(fcinfo);

	NcMergeFlat(st, s);
	return st;
}


/* Aggregates */

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

/*
 * The parameters of a row (period argument 4, first_days 5, time zone 6 if
 * given, else the session's by name): the first row's set the state's;
 * every later row must repeat them.
 */
static void
NcParams(NcState *st, FunctionCallInfo fcinfo, TimestampTz at)
{
	static const int32 months[] = {0, 0, 0, 1, 3, 12};
	static const int32 days[] = {0, 1, 7, 0, 0, 0};
	const Interval *period;
	int32		first_days;
	const char *zone;
	int			zone_len;
	int			unit;

	if (PG_ARGISNULL(4) || PG_ARGISNULL(5) || (PG_NARGS() > 6 && PG_ARGISNULL(6)))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("new customer period, first_days and time zone must not be null")));
	period = PG_GETARG_INTERVAL_P(4);
	first_days = PG_GETARG_INT32(5);
	if (PG_NARGS() > 6)
	{
		text	   *t = PG_GETARG_TEXT_PP(6);

		zone = VARDATA_ANY(t);
		zone_len = VARSIZE_ANY_EXHDR(t);
	}
	else
	{
		zone = pg_get_timezone_name(session_timezone);
		zone_len = strlen(zone);
	}
	if (st->unit != 0)
	{
		/* later rows: the same parameters, compared without allocating */
		if (period->time == 0 && period->month == months[st->unit] &&
			period->day == days[st->unit] && first_days == st->first_days &&
			strlen(st->zone) == (size_t) zone_len && memcmp(st->zone, zone, zone_len) == 0)
			return;
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("new customer period, first_days and time zone must be the same in every row")));
	}
	unit = NcUnitOfInterval(period);
	if (first_days < 1 || first_days > NC_MAX_FIRST_DAYS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("first_days %d is out of range", first_days),
				 errhint("first_days must be between 1 and %d.", NC_MAX_FIRST_DAYS)));
	if (!NcZoneValid(zone, zone_len))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" not recognized", pnstrdup(zone, zone_len)),
				 errhint("Give a time zone name such as 'Europe/Paris' (not an abbreviation)."),
				 errdetail("A new customers summary records its time zone by name.")));
	NcSetParams(st, unit, first_days, zone, zone_len);
	/* a time that date_trunc cannot take fails here, at the first row */
	(void) NcPeriodStart(unit, st->zone, at);
}

/*
 * new_customers_summary_accum(state, customer, at, net_revenue, period,
 * first_days [, time_zone]): a row with a NULL customer or time is skipped
 * (the parameters are still checked); a NULL amount is a purchase without
 * revenue.
 */
Datum
new_customers_summary_accum(PG_FUNCTION_ARGS)
{
	NcState    *st = (NcState *) KpiExpandedInPlace(fcinfo, 0, &NcMethods);
	TimestampTz at;
	int64		customer;

	if (st == NULL)
		st = PG_ARGISNULL(0) ? NcCreate(fcinfo) : NcExpand(fcinfo, NcGetArg(fcinfo, 0));
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_DATUM(EOHPGetRWDatum(&st->hdr));
	at = PG_GETARG_TIMESTAMPTZ(2);
	if (TIMESTAMP_NOT_FINITE(at) || at > PG_INT64_MAX - NC_UNIX_TO_PG_USECS)
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
	PG_RETURN_DATUM(EOHPGetRWDatum(&st->hdr));
}

/*
 * new_customers_summary_combine(a, b): the union of the rows; the combine
 * function of new_customers_agg, and the transition and combine function of
 * rollup(new_customers_summary).  Strict: the executor starts from a copy
 * of the first non-NULL summary.
 */
Datum
new_customers_summary_combine(PG_FUNCTION_ARGS)
{
	NcState    *st = (NcState *) KpiExpandedInPlace(fcinfo, 0, &NcMethods);

	if (st == NULL)
		st = NcExpand(fcinfo, NcGetArg(fcinfo, 0));
	NcMergeFlat(st, NcGetArg(fcinfo, 1));
	PG_RETURN_DATUM(EOHPGetRWDatum(&st->hdr));
}


/* The accessor */

static Numeric
NcZero(void)
{
	return DatumGetNumeric(DirectFunctionCall1(int4_numeric, Int32GetDatum(0)));
}

/* *sum += x, exactly; the former sum is freed (memory stays flat) */
static void
NcAdd(Numeric *sum, Numeric x)
{
	Numeric		result = DatumGetNumeric(DirectFunctionCall2(numeric_add,
															 NumericGetDatum(*sum),
															 NumericGetDatum(x)));

	pfree(*sum);
	*sum = result;
}

/* Is a wire-format amount negative?  Its sign word (bytes 4-5); zero is positive */
static inline bool
NcWireNegative(const char *wire)
{
	return (((uint8) wire[4] << 8) | (uint8) wire[5]) == KPI_NUMERIC_NEG;
}

/* A wire-format amount as a numeric */
static Numeric
NcWireNumeric(const char *wire, int len)
{
	StringInfoData buf;

	buf.data = (char *) wire;
	buf.len = len;
	buf.maxlen = len;
	buf.cursor = 0;
	return DatumGetNumeric(DirectFunctionCall3(numeric_recv, PointerGetDatum(&buf),
											   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
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

/*
 * new_customer_cohorts(summary): one new_customer_cohort per period with new
 * customers, in period order: (period_start, new_customers,
 * repeat_customers, early_retention, first_days_revenue,
 * revenue_per_new_customer, net_revenue).  The stored rows are in
 * (customer, time) order already: one pass per customer.
 */
Datum
new_customer_cohorts(PG_FUNCTION_ARGS)
{
	NewCustomersSummary *s = NcGetArg(fcinfo, 0);
	Datum		unit = (Datum) 0,
				zone = (Datum) 0;
	const char *amounts = NC_AMOUNTS(s);
	int64		limit = (int64) s->first_days * USECS_PER_DAY - 1;
	Oid			elemtype;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	TupleDesc	tupdesc;
	NcCustomer *customers;
	Datum	   *elems;
	int64		ncustomers = 0,
				i,
				j;
	int			n = 0;

	elemtype = get_element_type(getBaseType(get_func_rettype(fcinfo->flinfo->fn_oid)));
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	tupdesc = lookup_rowtype_tupdesc_copy(elemtype, -1);
	customers = palloc_extended(sizeof(NcCustomer) * Max(s->count, 1), MCXT_ALLOC_HUGE);
	if (s->count > 0)
	{
		unit = CStringGetTextDatum(NcUnitNames[s->unit]);
		zone = PointerGetDatum(cstring_to_text_with_len(NC_ZONE(s), s->zone_len));
	}

	for (i = 0; i < s->count; i = j)
	{
		NcCustomer *c = &customers[ncustomers++];
		TimestampTz first = s->rows[i].at;
		Numeric		later = NcZero();

		CHECK_FOR_INTERRUPTS();
		c->period = DatumGetTimestampTz(DirectFunctionCall3(timestamptz_trunc_zone, unit,
															TimestampTzGetDatum(first), zone));
		c->repeat = false;
		c->first_days_revenue = NcZero();
		for (j = i; j < s->count && s->rows[j].customer == s->rows[i].customer; j++)
		{
			const NcRow *row = &s->rows[j];
			bool		early = KpiTimeWithin(row->at, first, limit);
			Numeric		amount;

			if ((j & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			/* a later row, but not a refund (NULL: a purchase of unknown revenue) */
			if (early && row->at > first &&
				(row->amount_len < 0 || !NcWireNegative(amounts)))
				c->repeat = true;
			if (row->amount_len < 0)
				continue;
			amount = NcWireNumeric(amounts, row->amount_len);
			amounts += row->amount_len;
			NcAdd(early ? &c->first_days_revenue : &later, amount);
			pfree(amount);
		}
		/* net revenue: the first days' and the later revenue, one addition a customer */
		c->net_revenue = later;
		NcAdd(&c->net_revenue, c->first_days_revenue);
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
