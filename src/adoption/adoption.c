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
 * by OR, so the state combines exactly for parallel plans.
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

typedef struct AdoptionUser
{
	int64		user;
	int64		slot;			/* first bitmap word of the user */
	char		status;			/* for simplehash */
} AdoptionUser;

#define SH_PREFIX		adoption_users
#define SH_ELEMENT_TYPE	AdoptionUser
#define SH_KEY_TYPE		int64
#define SH_KEY			user
#define SH_HASH_KEY(tb, key)	KpiHash64((uint64) (key))
#define SH_EQUAL(tb, a, b)		((a) == (b))
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

typedef struct AdoptionState
{
	MemoryContext cxt;			/* the aggregate context: all of it lives here */
	DateADT		start;			/* first day of the period */
	int32		ndays;			/* days in the period */
	int32		nwords;			/* bitmap words per user */
	adoption_users_hash *users;
	int64		nusers;
	int64		capacity;		/* users the bitmap array has room for */
	uint64	   *bits;			/* nwords per user, in slot order */
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

	st->cxt = cxt;
	st->start = start;
	st->ndays = ndays;
	st->nwords = ADOPTION_WORDS(ndays);
	st->users = adoption_users_create(cxt, 16, NULL);
	st->capacity = 16;
	st->bits = MemoryContextAllocZero(cxt, sizeof(uint64) * st->nwords * st->capacity);
	return st;
}

/* The bitmap of a user, created empty if new */
static uint64 *
AdoptionBits(AdoptionState *st, int64 user)
{
	bool		found;
	AdoptionUser *u = adoption_users_insert(st->users, user, &found);

	if (!found)
	{
		if (st->nusers == st->capacity)
		{
			Size		old_size = sizeof(uint64) * st->nwords * st->capacity;

			st->capacity *= 2;
			st->bits = repalloc_huge(st->bits, 2 * old_size);
			memset((char *) st->bits + old_size, 0, old_size);
		}
		u->slot = st->nusers++ * st->nwords;
	}
	return st->bits + u->slot;
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
 * adoption_state_accum(state, user, day, period_start, period_end): mark the
 * user active on the day if it lies in the period.  Not strict: the first row
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

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "adoption_state_accum called in non-aggregate context");
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

/* a |= b, user by user */
static void
AdoptionMerge(AdoptionState *a, AdoptionState *b)
{
	adoption_users_iterator it;
	AdoptionUser *u;
	int64		n = 0;

	AdoptionCheckSamePeriod(a, b->start, b->ndays);
	adoption_users_start_iterate(b->users, &it);
	while ((u = adoption_users_iterate(b->users, &it)) != NULL)
	{
		uint64	   *to = AdoptionBits(a, u->user);
		int			w;

		if ((++n & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		for (w = 0; w < a->nwords; w++)
			to[w] |= b->bits[u->slot + w];
	}
}

/* adoption_state_combine(a, b): not strict, for an internal state */
Datum
adoption_state_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	AdoptionState *a,
			   *b;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "adoption_state_combine called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	b = (AdoptionState *) PG_GETARG_POINTER(1);
	if (PG_ARGISNULL(0))
		a = AdoptionCreate(aggcxt, b->start, b->ndays); /* a deep copy of b */
	else
		a = (AdoptionState *) PG_GETARG_POINTER(0);
	AdoptionMerge(a, b);
	PG_RETURN_POINTER(a);
}

/*
 * Serialized form: int32 first day, int32 days, int64 users, then for each
 * user int64 id and its bitmap words.
 */
Datum
adoption_state_serialize(PG_FUNCTION_ARGS)
{
	AdoptionState *st = (AdoptionState *) PG_GETARG_POINTER(0);
	adoption_users_iterator it;
	AdoptionUser *u;
	StringInfoData buf;
	int			w;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, st->start);
	pq_sendint32(&buf, st->ndays);
	pq_sendint64(&buf, st->nusers);
	adoption_users_start_iterate(st->users, &it);
	while ((u = adoption_users_iterate(st->users, &it)) != NULL)
	{
		if ((u->slot & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_sendint64(&buf, u->user);
		for (w = 0; w < st->nwords; w++)
			pq_sendint64(&buf, st->bits[u->slot + w]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
AdoptionCorrupt(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized activity state")));
}

Datum
adoption_state_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcxt;
	StringInfoData buf;
	AdoptionState *st;
	DateADT		start;
	int32		ndays;
	int64		nusers,
				i;
	int			w;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "adoption_state_deserialize called in non-aggregate context");
	KpiReadBuffer(&buf, data);
	if (buf.len < 16)
		AdoptionCorrupt();
	start = pq_getmsgint(&buf, 4);
	ndays = pq_getmsgint(&buf, 4);
	nusers = pq_getmsgint64(&buf);
	if (DATE_NOT_FINITE(start) || !IS_VALID_DATE(start) ||
		ndays < 1 || ndays > ADOPTION_MAX_DAYS ||
		!IS_VALID_DATE((int64) start + ndays) || nusers < 0 ||
		nusers != (buf.len - buf.cursor) / (8 * (1 + ADOPTION_WORDS(ndays))))
		AdoptionCorrupt();
	st = AdoptionCreate(aggcxt, start, ndays);
	for (i = 0; i < nusers; i++)
	{
		uint64	   *bits;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		bits = AdoptionBits(st, pq_getmsgint64(&buf));

		for (w = 0; w < st->nwords; w++)
			bits[w] |= (uint64) pq_getmsgint64(&buf);
		/* no day past the period: the counts read whole words */
		if (ndays % 64 != 0 && (bits[st->nwords - 1] >> (ndays % 64)) != 0)
			AdoptionCorrupt();
	}
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(st);
}

/* Sum over users of their active days: the sum of the daily active users */
static int64
AdoptionUserDays(AdoptionState *st)
{
	int64		sum = 0,
				i;

	for (i = 0; i < st->nusers * st->nwords; i++)
	{
		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		sum += pg_popcount64(st->bits[i]);
	}
	return sum;
}

/* active_users(user, day, period_start, period_end) */
Datum
active_users_final(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(((AdoptionState *) PG_GETARG_POINTER(0))->nusers);
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

	if (st->nusers == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) AdoptionUserDays(st) / st->ndays / (double) st->nusers);
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
