/*-------------------------------------------------------------------------
 *
 * adoption.c
 *	  CRM adoption: active users against licensed seats, and DAU/MAU
 *	  stickiness with exact distinct counts.
 *
 * The activity aggregates read an activity log (user, day) over a period
 * [period_start, period_end) of at most 366 days, and keep one bitmap of
 * active days per user in a hash table.  Duplicate rows of a user and day
 * set the same bit, so every count is an exact distinct count; bitmaps merge
 * by OR, so the state combines exactly for parallel plans.  The state is
 * internal: the aggregates are one-step (they return a count, not a
 * summary), and their serialized form is a versioned format.
 *
 *	active users	= users with at least one active day in the period (MAU
 *					  for a calendar month)
 *	average DAU		= sum over the days of the period of the users active that
 *					  day, divided by the number of days in the period (days
 *					  without activity count as 0)
 *	DAU/MAU			= average DAU / active users (PostHog stickiness ratio)
 *
 * eNPS, the third part of CRM health, is nps() of survey.c over employees'
 * answers.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "utils/builtins.h"
#include "utils/date.h"

#define ADOPTION_MAX_DAYS	366
#define ADOPTION_WORDS(ndays)	(((ndays) + 63) / 64)

/* The serialized state's format, and its name in errors */
#define ADOPTION_SERIAL_VERSION 1
#define ADOPTION_STATE_NAME "activity state"

/*
 * The users' bitmaps are the rows of a keyed table (nwords int64 words per
 * user, bit d of the bitmap set when the user was active on day d of the
 * period).
 */
typedef struct AdoptionState
{
	DateADT		start;			/* first day of the period */
	int32		ndays;			/* days in the period */
	int32		nwords;			/* bitmap words per user */
	KpiKeyedTable *users;
} AdoptionState;

PG_FUNCTION_INFO_V1(adoption_state_accum);
KPI_FORMER_SYMBOL(adoption_accum, adoption_state_accum);
PG_FUNCTION_INFO_V1(adoption_state_combine);
KPI_FORMER_SYMBOL(adoption_combine, adoption_state_combine);
PG_FUNCTION_INFO_V1(adoption_state_serialize);
KPI_FORMER_SYMBOL(adoption_serialize, adoption_state_serialize);
PG_FUNCTION_INFO_V1(adoption_state_deserialize);
KPI_FORMER_SYMBOL(adoption_deserialize, adoption_state_deserialize);
PG_FUNCTION_INFO_V1(active_users_final);
PG_FUNCTION_INFO_V1(average_dau_final);
PG_FUNCTION_INFO_V1(dau_mau_final);
PG_FUNCTION_INFO_V1(adoption_rate);


static void
AdoptionCheckPeriod(DateADT start, DateADT end)
{
	if (DATE_NOT_FINITE(start) || DATE_NOT_FINITE(end) || end <= start ||
		(int64) end - start > ADOPTION_MAX_DAYS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("activity period of %lld days is invalid",
						(DATE_NOT_FINITE(start) || DATE_NOT_FINITE(end)) ? 0LL :
						(long long) end - start),
				 errhint("The period runs from period_start (included) to period_end (excluded), 1 to %d days.",
						 ADOPTION_MAX_DAYS)));
}

static AdoptionState *
AdoptionCreate(MemoryContext cxt, DateADT start, int32 ndays)
{
	AdoptionState *st = MemoryContextAllocZero(cxt, sizeof(AdoptionState));

	st->start = start;
	st->ndays = ndays;
	st->nwords = ADOPTION_WORDS(ndays);
	st->users = KpiKeyedCreate(cxt, st->nwords);
	return st;
}

/* The bitmap of a user, created empty if new */
static uint64 *
AdoptionBits(AdoptionState *st, int64 user)
{
	bool		found;

	return (uint64 *) KpiKeyedLookup(st->users, user, &found);
}

static char *
DateText(DateADT d)
{
	return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(d)));
}

static void
AdoptionCheckSamePeriod(AdoptionState *a, DateADT start, int32 ndays)
{
	if (a->start != start || a->ndays != ndays)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine activity of periods %s to %s and %s to %s",
						DateText(a->start), DateText(a->start + a->ndays),
						DateText(start), DateText(start + ndays)),
				 errhint("All rows of one aggregate give the same period_start and period_end.")));
}

/*
 * adoption_state_accum(state, user, day, period_start, period_end): mark the user
 * active on the day if it lies in the period.  Not strict: the first row
 * creates the state, and rows with a NULL user or day are skipped.
 */
Datum
adoption_state_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	AdoptionState *st;
	DateADT		start,
				end,
				day;

	aggcxt = KpiAggContext(fcinfo);
	if (PG_ARGISNULL(3) || PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("activity period bounds must not be null")));
	start = PG_GETARG_DATEADT(3);
	end = PG_GETARG_DATEADT(4);
	if (PG_ARGISNULL(0))
	{
		AdoptionCheckPeriod(start, end);
		st = AdoptionCreate(aggcxt, start, end - start);
	}
	else
	{
		st = (AdoptionState *) PG_GETARG_POINTER(0);
		if (st->start != start || st->start + st->ndays != end)
			AdoptionCheckPeriod(start, end);
		AdoptionCheckSamePeriod(st, start, end - start);
	}

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	day = PG_GETARG_DATEADT(2);
	if (!DATE_NOT_FINITE(day) && day >= start && day < end)
	{
		uint64	   *bits = AdoptionBits(st, PG_GETARG_INT64(1));
		int32		d = day - start;

		bits[d / 64] |= UINT64CONST(1) << (d % 64);
	}
	PG_RETURN_POINTER(st);
}

/* a |= b, user by user (a KpiMergeStates) */
static void
AdoptionMerge(void *into, const void *from)
{
	AdoptionState *a = into;
	const AdoptionState *b = from;
	uint32		i;
	int			w;

	AdoptionCheckSamePeriod(a, b->start, b->ndays);
	for (i = 0; i < KpiKeyedCount(b->users); i++)
	{
		uint64	   *to = AdoptionBits(a, KpiKeyedKey(b->users, i));
		const uint64 *bits = (const uint64 *) KpiKeyedRow(b->users, i);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		for (w = 0; w < a->nwords; w++)
			to[w] |= bits[w];
	}
}

/* An empty state of the period of like (a KpiCreateLike) */
static void *
AdoptionCreateLike(MemoryContext cxt, const void *like)
{
	const AdoptionState *b = like;

	return AdoptionCreate(cxt, b->start, b->ndays);
}

/* adoption_state_combine(a, b): not strict, for an internal state */
Datum
adoption_state_combine(PG_FUNCTION_ARGS)
{
	return KpiCombineInternal(fcinfo, AdoptionCreateLike, AdoptionMerge);
}

/*
 * Serialized: int8 version, int32 first day, int32 days, then the users'
 * bitmaps as a keyed table (KpiKeyedSend)
 */
Datum
adoption_state_serialize(PG_FUNCTION_ARGS)
{
	AdoptionState *st = (AdoptionState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	KpiSendVersion(&buf, ADOPTION_SERIAL_VERSION);
	pq_sendint32(&buf, st->start);
	pq_sendint32(&buf, st->ndays);
	KpiKeyedSend(&buf, st->users);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
adoption_state_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcxt = KpiAggContext(fcinfo);
	StringInfoData buf;
	AdoptionState *st;
	DateADT		start;
	int32		ndays;
	uint32		i;

	KpiReadBuffer(&buf, data);
	KpiRecvVersion(&buf, ADOPTION_STATE_NAME, ADOPTION_SERIAL_VERSION);
	KpiRecvNeed(&buf, ADOPTION_STATE_NAME, 8, false);
	start = pq_getmsgint(&buf, 4);
	ndays = pq_getmsgint(&buf, 4);
	if (DATE_NOT_FINITE(start) || !IS_VALID_DATE(start) ||
		ndays < 1 || ndays > ADOPTION_MAX_DAYS ||
		!IS_VALID_DATE((int64) start + ndays))
		KpiBinaryInputError(ADOPTION_STATE_NAME, "The period of %d days is invalid.", ndays);
	st = AdoptionCreate(aggcxt, start, ndays);
	st->users = KpiKeyedRecv(&buf, aggcxt, st->nwords);
	KpiRecvEnd(&buf, ADOPTION_STATE_NAME);
	/* no day past the period: the counts read whole words */
	for (i = 0; ndays % 64 != 0 && i < KpiKeyedCount(st->users); i++)
	{
		if (((uint64) KpiKeyedRow(st->users, i)[st->nwords - 1] >> (ndays % 64)) != 0)
			KpiBinaryInputError(ADOPTION_STATE_NAME, "A bitmap sets days past the period.");
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_POINTER(st);
}

/* Sum over users of their active days: the sum of the daily active users */
static int64
AdoptionUserDays(AdoptionState *st)
{
	int64		sum = 0;
	uint32		i;
	int			w;

	for (i = 0; i < KpiKeyedCount(st->users); i++)
	{
		const uint64 *bits = (const uint64 *) KpiKeyedRow(st->users, i);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		for (w = 0; w < st->nwords; w++)
			sum += pg_popcount64(bits[w]);
	}
	return sum;
}

/* active_users(user, day, period_start, period_end) */
Datum
active_users_final(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(KpiKeyedCount(((AdoptionState *) PG_GETARG_POINTER(0))->users));
}

/* average_dau(...): average over the period's days of the daily active users */
Datum
average_dau_final(PG_FUNCTION_ARGS)
{
	AdoptionState *st = (AdoptionState *) PG_GETARG_POINTER(0);

	PG_RETURN_FLOAT8((double) AdoptionUserDays(st) / st->ndays);
}

/* dau_mau(...): average DAU / active users, 0..1; NULL with no active user */
Datum
dau_mau_final(PG_FUNCTION_ARGS)
{
	AdoptionState *st = (AdoptionState *) PG_GETARG_POINTER(0);

	if (KpiKeyedCount(st->users) == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) AdoptionUserDays(st) / st->ndays /
					 (double) KpiKeyedCount(st->users));
}

/*
 * adoption_rate(active_users, licensed_seats): percent of the licensed
 * seats in active use.  May exceed 100 when more users were active than
 * seats are licensed now (seats removed during the period).  NULL for 0
 * seats.
 */
Datum
adoption_rate(PG_FUNCTION_ARGS)
{
	int64		active = PG_GETARG_INT64(0);
	int64		seats = PG_GETARG_INT64(1);

	if (active < 0 || seats < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s " INT64_FORMAT " is negative",
						active < 0 ? "number of active users" : "number of licensed seats",
						active < 0 ? active : seats)));
	if (seats == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 * (double) active / (double) seats);
}
