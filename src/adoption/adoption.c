/*-------------------------------------------------------------------------
 *
 * adoption.c
 *	  CRM adoption: active users against licensed seats, and DAU/MAU
 *	  stickiness with exact distinct counts.
 *
 * The activity aggregates read an activity log (user, day) over a period
 * [period_start, period_end) of at most 366 days, and keep one bitmap of
 * active days per user.  Duplicate rows of a user and day set the same bit,
 * so every count is an exact distinct count; bitmaps merge by OR, so
 * summaries merge exactly across parallel workers, shards and stored rows.
 *
 *	active users	= users with at least one active day in the period (MAU
 *					  for a calendar month)
 *	average DAU		= sum over the days of the period of the users active that
 *					  day, divided by the number of days in the period (days
 *					  without activity count as 0)
 *	DAU/MAU			= average DAU / active users (PostHog stickiness ratio)
 *
 * The state of every aggregate is adoption_summary (the period and each
 * active user's bitmap, users sorted by id), kept while the aggregate runs
 * as an expanded object (src/common/expanded.c): a keyed table of users,
 * updated in place, sorted into the flat summary only when a flat value is
 * needed.  The one-step aggregates end with the accessors.
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
#include "utils/datetime.h"
#include "utils/memutils.h"

#define ADOPTION_MAX_DAYS	366
#define ADOPTION_WORDS(ndays)	(((ndays) + 63) / 64)

#define ADOPTION_FORMAT_VERSION 1

/*
 * adoption_summary on disk: the period, then the ids of the active users in
 * increasing order, then each user's bitmap of active days (nwords words, bit
 * d set when the user was active on day d of the period; no bit past the
 * period, none empty).
 */
typedef struct AdoptionSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* ADOPTION_FORMAT_VERSION */
	uint8		reserved[3];	/* zero */
	DateADT		start;			/* first day of the period */
	int32		ndays;			/* days in the period */
	int64		nusers;
	int64		data[FLEXIBLE_ARRAY_MEMBER];	/* ids[nusers], bits[nusers][nwords] */
} AdoptionSummary;

#define ADOPTION_SIZE(nusers, nwords) \
	(offsetof(AdoptionSummary, data) + sizeof(int64) * (Size) (nusers) * (1 + (nwords)))
#define ADOPTION_IDS(s)		((s)->data)
#define ADOPTION_BITS(s, i)	((uint64 *) (s)->data + (s)->nusers + \
							 (Size) (i) * ADOPTION_WORDS((s)->ndays))
/* the most users of a summary of nwords-word bitmaps that palloc can hold */
#define ADOPTION_MAX_USERS(nwords) \
	((int64) ((MaxAllocSize - offsetof(AdoptionSummary, data)) / (sizeof(int64) * (1 + (nwords)))))

/*
 * adoption_summary expanded: the transition state of every adoption
 * aggregate.  The users' bitmaps are the rows of a keyed table; a user is
 * added with the first day it is active, so no row is empty.  The 1.1.0
 * support functions, whose state is internal, use the same struct.
 */
typedef struct AdoptionAgg
{
	ExpandedObjectHeader hdr;
	DateADT		start;
	int32		ndays;
	int32		nwords;
	KpiKeyedTable *users;
} AdoptionAgg;

PG_FUNCTION_INFO_V1(adoption_summary_in);
PG_FUNCTION_INFO_V1(adoption_summary_out);
PG_FUNCTION_INFO_V1(adoption_summary_recv);
PG_FUNCTION_INFO_V1(adoption_summary_send);
PG_FUNCTION_INFO_V1(adoption_summary_accum);
PG_FUNCTION_INFO_V1(adoption_summary_combine);
PG_FUNCTION_INFO_V1(active_users);
PG_FUNCTION_INFO_V1(average_dau);
PG_FUNCTION_INFO_V1(dau_mau);
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


/* Periods */

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

/* A date in ISO form, as date_out writes it with DateStyle ISO */
static void
AdoptionAppendDate(StringInfo buf, DateADT date)
{
	int			y,
				m,
				d;

	j2date(date + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	if (y > 0)
		appendStringInfo(buf, "%04d-%02d-%02d", y, m, d);
	else
		appendStringInfo(buf, "%04d-%02d-%02d BC", 1 - y, m, d);
}

/* "[start, end)" in ISO dates, whatever the session's DateStyle */
static char *
AdoptionPeriodText(DateADT start, int32 ndays)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '[');
	AdoptionAppendDate(&buf, start);
	appendStringInfoString(&buf, ", ");
	AdoptionAppendDate(&buf, start + ndays);
	appendStringInfoChar(&buf, ')');
	return buf.data;
}

static void
AdoptionTooManyUsers(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many users in an adoption summary")));
}


/* Summaries */

/* Why the header of a summary read from outside is not valid, or NULL */
static const char *
AdoptionHeaderError(int64 start, int64 ndays, int64 nusers)
{
	if (!IS_VALID_DATE(start) || ndays < 1 || ndays > ADOPTION_MAX_DAYS || !IS_VALID_DATE(start + ndays))
		return "The period must run 1 to 366 days between valid dates.";
	if (nusers < 0 || nusers > ADOPTION_MAX_USERS(ADOPTION_WORDS(ndays)))
		return "The number of users is out of range.";
	return NULL;
}

/*
 * Why a summary is not a valid one, or NULL: the one validator of the text
 * and binary input, of stored values and of every value produced.  The
 * header must be valid.
 */
static const char *
AdoptionError(const AdoptionSummary *s)
{
	int			nwords = ADOPTION_WORDS(s->ndays);
	uint64		spare = s->ndays % 64 == 0 ? 0 : ~UINT64CONST(0) << (s->ndays % 64);
	int64		i;

	for (i = 0; i < s->nusers; i++)
	{
		const uint64 *bits = ADOPTION_BITS(s, i);
		uint64		any = 0;
		int			w;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (i > 0 && ADOPTION_IDS(s)[i] <= ADOPTION_IDS(s)[i - 1])
			return "Users must be in increasing order of id, each once.";
		for (w = 0; w < nwords; w++)
			any |= bits[w];
		if (any == 0)
			return "A user has no active day.";
		if ((bits[nwords - 1] & spare) != 0)
			return "A bitmap sets days past the period.";
	}
	return NULL;
}

/* Is a stored value what this code writes?  (The header check has no loop.) */
static bool
AdoptionValid(const void *value, bool full)
{
	const AdoptionSummary *s = value;

	return VARSIZE(s) >= offsetof(AdoptionSummary, data) &&
		s->version == ADOPTION_FORMAT_VERSION &&
		s->reserved[0] == 0 && s->reserved[1] == 0 && s->reserved[2] == 0 &&
		AdoptionHeaderError(s->start, s->ndays, s->nusers) == NULL &&
		VARSIZE(s) == ADOPTION_SIZE(s->nusers, ADOPTION_WORDS(s->ndays)) &&
		(!full || AdoptionError(s) == NULL);
}

static const KpiSummaryType AdoptionType = {"adoption_summary", -1, AdoptionValid};

/* A summary of nusers users, zeroed, in the current memory context */
static AdoptionSummary *
AdoptionCreate(DateADT start, int32 ndays, int64 nusers)
{
	Size		size = ADOPTION_SIZE(nusers, ADOPTION_WORDS(ndays));
	AdoptionSummary *s = palloc0(size);

	SET_VARSIZE(s, size);
	s->version = ADOPTION_FORMAT_VERSION;
	s->start = start;
	s->ndays = ndays;
	s->nusers = nusers;
	return s;
}


/* The aggregates' state */

static Size AdoptionAggFlatSize(ExpandedObjectHeader *eoh);
static void AdoptionAggFlattenInto(ExpandedObjectHeader *eoh, void *result, Size size);

static const ExpandedObjectMethods AdoptionAggMethods = {
	AdoptionAggFlatSize,
	AdoptionAggFlattenInto
};

/* Make agg, zeroed in its context, an empty state of the period with room for nusers */
static AdoptionAgg *
AdoptionAggInit(AdoptionAgg *agg, DateADT start, int32 ndays, int64 nusers)
{
	agg->start = start;
	agg->ndays = ndays;
	agg->nwords = ADOPTION_WORDS(ndays);
	agg->users = KpiKeyedCreateSized(agg->hdr.eoh_context, agg->nwords,
									 (uint32) Max(nusers, 8));
	return agg;
}

/* A new state for fcinfo (KpiExpandedCreateState) */
static AdoptionAgg *
AdoptionAggCreate(FunctionCallInfo fcinfo, DateADT start, int32 ndays, int64 nusers)
{
	return AdoptionAggInit((AdoptionAgg *) KpiExpandedCreateState(fcinfo, sizeof(AdoptionAgg),
																  &AdoptionAggMethods),
						   start, ndays, nusers);
}

/* The bitmap of a user, created empty if new */
static inline uint64 *
AdoptionAggBits(AdoptionAgg *agg, int64 user)
{
	bool		found;
	uint64	   *bits = (uint64 *) KpiKeyedLookup(agg->users, user, &found);

	if (!found && KpiKeyedCount(agg->users) > ADOPTION_MAX_USERS(agg->nwords))
		AdoptionTooManyUsers();
	return bits;
}

static void
AdoptionCheckMerge(DateADT start_a, int32 ndays_a, DateADT start_b, int32 ndays_b)
{
	if (start_a != start_b || ndays_a != ndays_b)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge adoption summaries of periods %s and %s",
						AdoptionPeriodText(start_a, ndays_a),
						AdoptionPeriodText(start_b, ndays_b)),
				 errhint("Only summaries of the same period_start and period_end merge.")));
}

/* agg |= s, user by user; agg NULL creates it for fcinfo */
static AdoptionAgg *
AdoptionAggMerge(AdoptionAgg *agg, FunctionCallInfo fcinfo, const AdoptionSummary *s)
{
	int64		i;
	int			w;

	if (agg == NULL)
		agg = AdoptionAggCreate(fcinfo, s->start, s->ndays, s->nusers);
	AdoptionCheckMerge(agg->start, agg->ndays, s->start, s->ndays);
	for (i = 0; i < s->nusers; i++)
	{
		uint64	   *to = AdoptionAggBits(agg, ADOPTION_IDS(s)[i]);
		const uint64 *bits = ADOPTION_BITS(s, i);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		for (w = 0; w < agg->nwords; w++)
			to[w] |= bits[w];
	}
	return agg;
}

static Size
AdoptionAggFlatSize(ExpandedObjectHeader *eoh)
{
	const AdoptionAgg *agg = (const AdoptionAgg *) eoh;

	return ADOPTION_SIZE(KpiKeyedCount(agg->users), agg->nwords);
}

static int
AdoptionIdCompare(const void *a, const void *b, void *arg)
{
	const int64 *keys = arg;
	int64		x = keys[*(const uint32 *) a];
	int64		y = keys[*(const uint32 *) b];

	return (x > y) - (x < y);
}

/*
 * The flat form of a state, users sorted by id, into result
 * (EOM_flatten_into_method); through the validator, as every value produced
 */
static void
AdoptionAggFlattenInto(ExpandedObjectHeader *eoh, void *result, Size size)
{
	const AdoptionAgg *agg = (const AdoptionAgg *) eoh;
	AdoptionSummary *s = (AdoptionSummary *) result;
	uint32		n = KpiKeyedCount(agg->users);
	uint32	   *order;
	uint32		i;

	Assert(size == ADOPTION_SIZE(n, agg->nwords));
	/* scratch space in the state's context, which frees it (expanded.c says why) */
	order = MemoryContextAlloc(agg->hdr.eoh_context, sizeof(uint32) * Max(n, 1));
	for (i = 0; i < n; i++)
		order[i] = i;
	qsort_arg(order, n, sizeof(uint32), AdoptionIdCompare, agg->users->keys);

	memset(s, 0, offsetof(AdoptionSummary, data));
	SET_VARSIZE(s, size);
	s->version = ADOPTION_FORMAT_VERSION;
	s->start = agg->start;
	s->ndays = agg->ndays;
	s->nusers = n;
	for (i = 0; i < n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		ADOPTION_IDS(s)[i] = KpiKeyedKey(agg->users, order[i]);
		memcpy(ADOPTION_BITS(s, i), KpiKeyedRow(agg->users, order[i]),
			   sizeof(uint64) * agg->nwords);
	}
	pfree(order);
	KpiCheckProduced(AdoptionType.name, AdoptionError(s));
}

#define ADOPTION_RETURN_EXPANDED(agg) PG_RETURN_DATUM(EOHPGetRWDatum(&(agg)->hdr))

/*
 * The adoption_summary state argument (0) to update: the aggregate's own
 * read/write expanded state in place, else an expanded copy (NULL if NULL)
 */
static AdoptionAgg *
AdoptionStateArg(FunctionCallInfo fcinfo)
{
	AdoptionAgg *agg = (AdoptionAgg *) KpiExpandedInPlace(fcinfo, 0, &AdoptionAggMethods);

	if (agg != NULL || PG_ARGISNULL(0))
		return agg;
	return AdoptionAggMerge(NULL, fcinfo, KpiSummaryArg(fcinfo, 0, &AdoptionType));
}

/*
 * Mark the user of row fcinfo (user 1, day 2, period 3 and 4) active on its
 * day in agg, created if NULL.  A NULL period bound is an error; a NULL user
 * or day, or a day outside the period, is skipped.
 */
static AdoptionAgg *
AdoptionAggRow(FunctionCallInfo fcinfo, AdoptionAgg *agg)
{
	DateADT		start,
				end,
				day;

	if (PG_ARGISNULL(3) || PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("activity period bounds must not be null")));
	start = PG_GETARG_DATEADT(3);
	end = PG_GETARG_DATEADT(4);
	if (agg == NULL)
	{
		AdoptionCheckPeriod(start, end);
		agg = AdoptionAggCreate(fcinfo, start, end - start, 0);
	}
	else if (agg->start != start || agg->start + agg->ndays != end)
	{
		AdoptionCheckPeriod(start, end);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("activity period changed from %s to %s within one aggregate",
						AdoptionPeriodText(agg->start, agg->ndays),
						AdoptionPeriodText(start, end - start)),
				 errhint("All rows of one aggregate give the same period_start and period_end.")));
	}

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return agg;
	day = PG_GETARG_DATEADT(2);
	if (!DATE_NOT_FINITE(day) && day >= start && day < end)
	{
		uint64	   *bits = AdoptionAggBits(agg, PG_GETARG_INT64(1));
		int32		d = day - start;

		bits[d / 64] |= UINT64CONST(1) << (d % 64);
	}
	return agg;
}

/*
 * adoption_summary_accum(state, user, day, period_start, period_end): the
 * transition function of adoption_agg and the one-step aggregates.  Not
 * strict: the first row gives the period.
 */
Datum
adoption_summary_accum(PG_FUNCTION_ARGS)
{
	AdoptionAgg *agg = AdoptionStateArg(fcinfo);

	agg = AdoptionAggRow(fcinfo, agg);
	ADOPTION_RETURN_EXPANDED(agg);
}

/*
 * adoption_summary_combine(a, b): the users active on each day in a or b.
 * The combine function of every adoption aggregate and the transition
 * function of rollup(adoption_summary); strict, so the executor starts from
 * a copy of the first non-NULL value.
 */
Datum
adoption_summary_combine(PG_FUNCTION_ARGS)
{
	AdoptionAgg *agg = AdoptionStateArg(fcinfo);

	agg = AdoptionAggMerge(agg, NULL, KpiSummaryArg(fcinfo, 1, &AdoptionType));
	ADOPTION_RETURN_EXPANDED(agg);
}


/*
 * Text and binary I/O
 *
 * Text: {"version":1,"period_start":"2025-01-01","period_end":"2025-02-01",
 *		  "users":[[7,"1f"],...]}, dates in ISO form, users in increasing
 * order of id, each with its bitmap as ceil(days / 4) lowercase hex digits:
 * digit k holds days 4k to 4k + 3 of the period (1 the first of them, 2 the
 * second, 4 the third, 8 the fourth).  Binary: int8 version, int32 first
 * day (days since 2000-01-01), int32 days, int64 users, then per user its
 * int64 id and its bitmap as ceil(days / 64) int64 words.  Both accept
 * exactly what AdoptionError accepts.
 */

/* A quoted ISO date, "2025-01-31" or "0044-03-15 BC", in canonical form */
static bool
AdoptionScanDate(KpiScanner *scan, DateADT *result)
{
	const char *p;
	const char *end;
	int			y,
				m,
				d,
				n;
	StringInfoData canonical;

	if (!KpiScanToken(scan, "\""))
		return false;
	p = scan->pos;
	if ((end = strchr(p, '"')) == NULL || end - p > 20 ||
		sscanf(p, "%7d-%2d-%2d%n", &y, &m, &d, &n) != 3)
		return false;
	if (end - p == n + 3 && strncmp(p + n, " BC", 3) == 0)
		y = 1 - y;
	if (m < 1 || m > MONTHS_PER_YEAR || d < 1 || !IS_VALID_JULIAN(y, m, d) ||
		d > day_tab[isleap(y)][m - 1])
		return false;
	*result = date2j(y, m, d) - POSTGRES_EPOCH_JDATE;
	if (!IS_VALID_DATE(*result) || DATE_NOT_FINITE(*result))
		return false;
	/* one text per date: no sign, spaces or extra digits */
	initStringInfo(&canonical);
	AdoptionAppendDate(&canonical, *result);
	if (canonical.len != end - p || strncmp(canonical.data, p, canonical.len) != 0)
		return false;
	scan->pos = end + 1;
	return true;
}

/* A quoted bitmap of ndays days into bits (nwords words, zeroed) */
static bool
AdoptionScanBits(KpiScanner *scan, int32 ndays, uint64 *bits)
{
	int			ndigits = (ndays + 3) / 4;
	int			k;

	if (!KpiScanToken(scan, "\""))
		return false;
	for (k = 0; k < ndigits; k++)
	{
		char		c = scan->pos[k];
		uint64		v;

		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else
			return false;
		bits[k / 16] |= v << (4 * (k % 16));
	}
	if (scan->pos[ndigits] != '"')
		return false;
	scan->pos += ndigits + 1;
	return true;
}

static AdoptionSummary *
AdoptionParse(const char *str, const char **problem)
{
	KpiScanner	scan = {str};
	DateADT		start,
				end;
	int32		ndays,
				nwords;
	int64		n = 0,
				capacity = 16,
				max_users;
	int64	   *ids;
	uint64	   *bits;
	AdoptionSummary *s;

	*problem = "Expected {\"version\":1,\"period_start\":\"YYYY-MM-DD\",\"period_end\":\"YYYY-MM-DD\",\"users\":[[id,\"hex bitmap\"],...]}.";
	if (!KpiScanVersion(&scan, ADOPTION_FORMAT_VERSION, problem))
		return NULL;
	if (!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "period_start") ||
		!AdoptionScanDate(&scan, &start) ||
		!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "period_end") ||
		!AdoptionScanDate(&scan, &end) ||
		!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "users") ||
		!KpiScanToken(&scan, "["))
		return NULL;
	if ((*problem = AdoptionHeaderError(start, (int64) end - start, 0)) != NULL)
		return NULL;
	ndays = end - start;
	nwords = ADOPTION_WORDS(ndays);
	max_users = ADOPTION_MAX_USERS(nwords);

	/* grown as users come: memory follows what the text carries */
	ids = palloc(sizeof(int64) * capacity);
	bits = palloc0(sizeof(uint64) * nwords * capacity);
	*problem = "Expected each user as [id,\"hex bitmap\"], the bitmap one hex digit per 4 days of the period.";
	if (!KpiScanToken(&scan, "]"))
	{
		do
		{
			if ((n & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (n == max_users)
			{
				*problem = "The number of users is out of range.";
				return NULL;
			}
			if (n == capacity)
			{
				capacity = Min(2 * capacity, max_users);
				ids = repalloc(ids, sizeof(int64) * capacity);
				bits = repalloc(bits, sizeof(uint64) * nwords * capacity);
				memset(bits + nwords * n, 0, sizeof(uint64) * nwords * (capacity - n));
			}
			if (!KpiScanToken(&scan, "[") || !KpiScanInt64(&scan, &ids[n]) ||
				!KpiScanToken(&scan, ",") ||
				!AdoptionScanBits(&scan, ndays, bits + nwords * n) ||
				!KpiScanToken(&scan, "]"))
				return NULL;
			n++;
		} while (KpiScanToken(&scan, ","));
		if (!KpiScanToken(&scan, "]"))
			return NULL;
	}
	*problem = "Expected a closing } and nothing after it.";
	if (!KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
		return NULL;

	s = AdoptionCreate(start, ndays, n);
	memcpy(ADOPTION_IDS(s), ids, sizeof(int64) * n);
	memcpy(ADOPTION_BITS(s, 0), bits, sizeof(uint64) * nwords * n);
	if ((*problem = AdoptionError(s)) != NULL)
		return NULL;
	return s;
}

Datum
adoption_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *problem;
	AdoptionSummary *s = AdoptionParse(str, &problem);

	if (s == NULL)
		KPI_TEXT_INPUT_ERROR(fcinfo, AdoptionType.name, str, problem);
	PG_RETURN_POINTER(s);
}

Datum
adoption_summary_out(PG_FUNCTION_ARGS)
{
	AdoptionSummary *s = KpiSummaryArg(fcinfo, 0, &AdoptionType);
	int			ndigits = (s->ndays + 3) / 4;
	StringInfoData buf;
	int64		i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d,\"period_start\":\"", ADOPTION_FORMAT_VERSION);
	AdoptionAppendDate(&buf, s->start);
	appendStringInfoString(&buf, "\",\"period_end\":\"");
	AdoptionAppendDate(&buf, s->start + s->ndays);
	appendStringInfoString(&buf, "\",\"users\":[");
	for (i = 0; i < s->nusers; i++)
	{
		const uint64 *bits = ADOPTION_BITS(s, i);
		int			k;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		appendStringInfo(&buf, i > 0 ? ",[" INT64_FORMAT ",\"" : "[" INT64_FORMAT ",\"",
						 ADOPTION_IDS(s)[i]);
		for (k = 0; k < ndigits; k++)
			appendStringInfoChar(&buf, "0123456789abcdef"[(bits[k / 16] >> (4 * (k % 16))) & 0xF]);
		appendStringInfoString(&buf, "\"]");
	}
	appendStringInfoString(&buf, "]}");
	PG_RETURN_CSTRING(buf.data);
}

Datum
adoption_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const char *problem;
	DateADT		start;
	int32		ndays,
				nwords;
	int64		nusers,
				i;
	int			w;
	AdoptionSummary *s;

	KpiRecvVersion(buf, AdoptionType.name, ADOPTION_FORMAT_VERSION);
	KpiRecvNeed(buf, AdoptionType.name, 8, false);
	start = pq_getmsgint(buf, 4);
	ndays = pq_getmsgint(buf, 4);
	if ((problem = AdoptionHeaderError(start, ndays, 0)) != NULL)
		KpiBinaryInputError(AdoptionType.name, "%s", problem);
	nwords = ADOPTION_WORDS(ndays);
	nusers = KpiRecvCount(buf, AdoptionType.name, 8, ADOPTION_MAX_USERS(nwords),
						  sizeof(int64) * (1 + nwords));
	KpiRecvNeed(buf, AdoptionType.name, sizeof(int64) * nusers * (1 + nwords), true);
	s = AdoptionCreate(start, ndays, nusers);
	for (i = 0; i < nusers; i++)
	{
		uint64	   *bits = ADOPTION_BITS(s, i);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		ADOPTION_IDS(s)[i] = pq_getmsgint64(buf);
		for (w = 0; w < nwords; w++)
			bits[w] = (uint64) pq_getmsgint64(buf);
	}
	KpiRecvEnd(buf, AdoptionType.name);
	if ((problem = AdoptionError(s)) != NULL)
		KpiBinaryInputError(AdoptionType.name, "%s", problem);
	PG_RETURN_POINTER(s);
}

Datum
adoption_summary_send(PG_FUNCTION_ARGS)
{
	AdoptionSummary *s = KpiSummaryArg(fcinfo, 0, &AdoptionType);
	int			nwords = ADOPTION_WORDS(s->ndays);
	StringInfoData buf;
	int64		i;
	int			w;

	KpiSendVersion(&buf, ADOPTION_FORMAT_VERSION);
	pq_sendint32(&buf, s->start);
	pq_sendint32(&buf, s->ndays);
	pq_sendint64(&buf, s->nusers);
	for (i = 0; i < s->nusers; i++)
	{
		const uint64 *bits = ADOPTION_BITS(s, i);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_sendint64(&buf, ADOPTION_IDS(s)[i]);
		for (w = 0; w < nwords; w++)
			pq_sendint64(&buf, (int64) bits[w]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}


/* Accessors */

/* What every accessor reads: the period's days, the users and their active days */
typedef struct AdoptionCounts
{
	int32		ndays;
	int64		users;
	int64		user_days;		/* the sum of the daily active users */
} AdoptionCounts;

static int64
AdoptionPopcount(const uint64 *bits, int nwords)
{
	int64		sum = 0;
	int			w;

	for (w = 0; w < nwords; w++)
		sum += pg_popcount64(bits[w]);
	return sum;
}

/* The counts of an aggregate state, without flattening it */
static AdoptionCounts
AdoptionAggCounts(const AdoptionAgg *agg)
{
	AdoptionCounts c = {agg->ndays, KpiKeyedCount(agg->users), 0};
	uint32		i;

	for (i = 0; i < c.users; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		c.user_days += AdoptionPopcount((const uint64 *) KpiKeyedRow(agg->users, i),
										agg->nwords);
	}
	return c;
}

/*
 * The counts of adoption_summary argument 0.  The one-step aggregates' final
 * functions get their expanded state: read in place, as flattening would sort
 * it for nothing.
 */
static AdoptionCounts
AdoptionArgCounts(FunctionCallInfo fcinfo)
{
	Datum		d = PG_GETARG_DATUM(0);
	AdoptionSummary *s;
	AdoptionCounts c;
	int64		i;

	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)) &&
		DatumGetEOHP(d)->eoh_methods == &AdoptionAggMethods)
		return AdoptionAggCounts((const AdoptionAgg *) DatumGetEOHP(d));
	s = KpiSummaryArg(fcinfo, 0, &AdoptionType);
	c.ndays = s->ndays;
	c.users = s->nusers;
	c.user_days = 0;
	for (i = 0; i < s->nusers; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		c.user_days += AdoptionPopcount(ADOPTION_BITS(s, i), ADOPTION_WORDS(s->ndays));
	}
	return c;
}

/* active_users(adoption_summary): users active on a day of the period */
Datum
active_users(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(AdoptionArgCounts(fcinfo).users);
}

/* average_dau(adoption_summary): average over the period's days of the daily active users */
Datum
average_dau(PG_FUNCTION_ARGS)
{
	AdoptionCounts c = AdoptionArgCounts(fcinfo);

	PG_RETURN_FLOAT8((double) c.user_days / c.ndays);
}

/* dau_mau(adoption_summary): average DAU / active users, 0..1; NULL with no active user */
Datum
dau_mau(PG_FUNCTION_ARGS)
{
	AdoptionCounts c = AdoptionArgCounts(fcinfo);

	if (c.users == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) c.user_days / c.ndays / (double) c.users);
}


/*
 * The support functions of 1.1.0, for databases not yet updated (ALTER
 * EXTENSION crm_kpi UPDATE).  Their internal state is the read/write
 * expanded datum of an adoption_summary state, so that the summary's own
 * functions serve them (its send and receive are their serialized form,
 * which lives only within one query).
 */

Datum
adoption_state_accum(PG_FUNCTION_ARGS)
{
	(void) KpiAggContext(fcinfo);	/* an internal state exists only in an aggregate */
	return adoption_summary_accum(fcinfo);
}

/* Not strict: a NULL state is a copy of the other */
Datum
adoption_state_combine(PG_FUNCTION_ARGS)
{
	(void) KpiAggContext(fcinfo);
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_ARGISNULL(0))
		ADOPTION_RETURN_EXPANDED(AdoptionAggMerge(NULL, fcinfo,
												  KpiSummaryArg(fcinfo, 1, &AdoptionType)));
	return adoption_summary_combine(fcinfo);
}

Datum
adoption_state_serialize(PG_FUNCTION_ARGS)
{
	return adoption_summary_send(fcinfo);
}

Datum
adoption_state_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	AdoptionSummary *s;

	(void) KpiAggContext(fcinfo);
	KpiReadBuffer(&buf, PG_GETARG_BYTEA_PP(0));
	s = (AdoptionSummary *) DatumGetPointer(DirectFunctionCall1(adoption_summary_recv,
																PointerGetDatum(&buf)));
	ADOPTION_RETURN_EXPANDED(AdoptionAggMerge(NULL, fcinfo, s));
}

Datum
active_users_final(PG_FUNCTION_ARGS)
{
	return active_users(fcinfo);
}

Datum
average_dau_final(PG_FUNCTION_ARGS)
{
	return average_dau(fcinfo);
}

Datum
dau_mau_final(PG_FUNCTION_ARGS)
{
	return dau_mau(fcinfo);
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
