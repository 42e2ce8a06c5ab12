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
#include "../retention/retention.h"	/* RetentionZoneArg: one time_zone argument for all */

#include "catalog/pg_type_d.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#define ADOPTION_MAX_DAYS	366
#define ADOPTION_WORDS(ndays)	(((ndays) + 63) / 64)

/*
 * Format versions: 1 (1.0.0 to 1.2.0) has bigint ids only; 2 (1.3.0) records
 * the kind of its ids, and the dictionary of uuid and text ids.
 */
#define ADOPTION_FORMAT_VERSION 2
#define ADOPTION_OLDEST_VERSION 1

/*
 * adoption_summary on disk: the period, then the keys of the active users in
 * increasing order, then each user's bitmap of active days (nwords words, bit
 * d set when the user was active on day d of the period; no bit past the
 * period, none empty).  Integer ids are their own keys.  uuid and text ids
 * (version 2) are keys 0 to nusers - 1 of a dictionary stored after the
 * bitmaps in KpiIdsSend's form: key i is dictionary id i.  idkind is 0 in
 * version 1 (bigint ids) and the KpiIdKind in version 2, NONE exactly when
 * there is no user.
 */
typedef struct AdoptionSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* ADOPTION_FORMAT_VERSION or an older one */
	uint8		idkind;			/* KpiIdKind (version 2), else 0 */
	uint8		reserved[2];	/* zero */
	DateADT		start;			/* first day of the period */
	int32		ndays;			/* days in the period */
	int64		nusers;
	int64		data[FLEXIBLE_ARRAY_MEMBER];	/* ids[nusers], bits[nusers][nwords] */
} AdoptionSummary;

#define ADOPTION_SIZE(nusers, nwords) \
	(offsetof(AdoptionSummary, data) + sizeof(int64) * (Size) (nusers) * (1 + (nwords)))
#define ADOPTION_IDS(s)		((s)->data)
/* the dictionary of uuid and text ids after the bitmaps, and its length */
#define ADOPTION_DICT(s)	((const char *) (s) + ADOPTION_SIZE((s)->nusers, ADOPTION_WORDS((s)->ndays)))
#define ADOPTION_DICT_LEN(s) \
	((int) (VARSIZE(s) - ADOPTION_SIZE((s)->nusers, ADOPTION_WORDS((s)->ndays))))
#define ADOPTION_IS_DICT(kind)	((kind) == KPI_ID_UUID || (kind) == KPI_ID_TEXT)
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
	KpiKeyedTable *users;		/* keyed by the users' keys in ids */
	KpiIds		ids;
	/* the activity time argument's type and the bounds last seen, as given */
	Oid			timetype;
	Oid			boundtype;		/* of the period bounds: timetype, or date */
	pg_tz	   *tz;				/* timestamptz: the zone of the days */
	int64		raw_start;
	int64		raw_end;
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

/* The kind of ids of a summary whose header is valid */
static inline KpiIdKind
AdoptionKind(const AdoptionSummary *s)
{
	if (s->version == 1)
		return s->nusers > 0 ? KPI_ID_INTEGER : KPI_ID_NONE;
	return (KpiIdKind) s->idkind;
}

/*
 * Why the dictionary after the bitmaps is not nusers ids of the summary's
 * kind in KpiIdsSend's form, or NULL.  The sizes only: KpiIdsRecv checks
 * the ids themselves (no repeat, the text encoding) when it reads them.
 */
static const char *
AdoptionDictError(const AdoptionSummary *s)
{
	const unsigned char *p = (const unsigned char *) ADOPTION_DICT(s);
	int64		left = ADOPTION_DICT_LEN(s);
	KpiIdKind	kind = AdoptionKind(s);
	uint32		count;
	int64		i;

	if (!ADOPTION_IS_DICT(kind))
		return left == 0 ? NULL : "Only uuid and text ids have a dictionary.";
	if (left < 5 || p[0] != kind)
		return "The dictionary of ids is missing.";
	memcpy(&count, p + 1, 4);	/* unaligned */
	count = pg_ntoh32(count);
	p += 5;
	left -= 5;
	if (count != s->nusers)
		return "The dictionary must hold the users' ids, each once.";
	for (i = 0; i < count; i++)
	{
		uint32		len = 16;

		if (kind == KPI_ID_TEXT)
		{
			if (left < 4)
				return "The dictionary of ids is truncated.";
			memcpy(&len, p, 4);
			len = pg_ntoh32(len);
			p += 4;
			left -= 4;
		}
		if (len > left)
			return "The dictionary of ids is truncated.";
		p += len;
		left -= len;
	}
	return left == 0 ? NULL : "The dictionary of ids has bytes after its last id.";
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
	bool		dict = ADOPTION_IS_DICT(AdoptionKind(s));
	const char *problem;
	int64		i;

	if ((problem = AdoptionDictError(s)) != NULL)
		return problem;
	for (i = 0; i < s->nusers; i++)
	{
		const uint64 *bits = ADOPTION_BITS(s, i);
		uint64		any = 0;
		int			w;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (dict ? ADOPTION_IDS(s)[i] != i :
			(i > 0 && ADOPTION_IDS(s)[i] <= ADOPTION_IDS(s)[i - 1]))
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
		s->version >= ADOPTION_OLDEST_VERSION && s->version <= ADOPTION_FORMAT_VERSION &&
		(s->version == 1 ? s->idkind == 0 :
		 s->idkind <= KPI_ID_TEXT && (s->idkind == KPI_ID_NONE) == (s->nusers == 0)) &&
		s->reserved[0] == 0 && s->reserved[1] == 0 &&
		AdoptionHeaderError(s->start, s->ndays, s->nusers) == NULL &&
		VARSIZE(s) >= ADOPTION_SIZE(s->nusers, ADOPTION_WORDS(s->ndays)) &&
		(ADOPTION_IS_DICT(s->idkind) || ADOPTION_DICT_LEN(s) == 0) &&
		(!full || AdoptionError(s) == NULL);
}

static const KpiSummaryType AdoptionType = {"adoption_summary", -1, AdoptionValid};

/*
 * A summary of nusers users of ids, zeroed but for the dictionary of uuid
 * and text ids, in the current memory context
 */
static AdoptionSummary *
AdoptionCreate(DateADT start, int32 ndays, int64 nusers, const KpiIds *ids)
{
	Size		size = ADOPTION_SIZE(nusers, ADOPTION_WORDS(ndays));
	StringInfoData dict = {0};
	AdoptionSummary *s;

	if (ADOPTION_IS_DICT(ids->kind))
	{
		initStringInfo(&dict);
		KpiIdsSend(&dict, ids);
	}
	s = palloc0(size + dict.len);
	SET_VARSIZE(s, size + dict.len);
	s->version = ADOPTION_FORMAT_VERSION;
	s->idkind = nusers > 0 ? ids->kind : KPI_ID_NONE;
	s->start = start;
	s->ndays = ndays;
	s->nusers = nusers;
	if (dict.len > 0)
		memcpy((char *) s + size, dict.data, dict.len);
	return s;
}

/*
 * The ids of a valid summary, into ids (the dictionary of uuid and text ids
 * in cxt)
 */
static void
AdoptionReadIds(const AdoptionSummary *s, KpiIds *ids, MemoryContext cxt)
{
	KpiIdKind	kind = AdoptionKind(s);
	StringInfoData buf;

	if (!ADOPTION_IS_DICT(kind))
	{
		KpiIdsInit(ids, cxt);
		ids->kind = kind;
		return;
	}
	buf.data = (char *) ADOPTION_DICT(s);
	buf.len = buf.maxlen = ADOPTION_DICT_LEN(s);
	buf.cursor = 0;
	KpiIdsRecv(&buf, ids, cxt);
	if (ids->kind != kind || KpiIdsCount(ids) != s->nusers || buf.cursor != buf.len)
		KpiSummaryCorrupt(AdoptionType.name);
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
	KpiIdsInit(&agg->ids, agg->hdr.eoh_context);
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

/*
 * The bitmap of a user, created empty if new.  uuid and text ids are dense
 * ordinals, mostly the numbers of their rows: found with no second probe.
 */
static inline uint64 *
AdoptionAggBits(AdoptionAgg *agg, int64 user)
{
	bool		found;
	uint64	   *bits = (uint64 *) (ADOPTION_IS_DICT(agg->ids.kind) ?
								   KpiKeyedLookupOrdinal(agg->users, user, &found) :
								   KpiKeyedLookup(agg->users, user, &found));

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

/*
 * agg |= s, user by user, s's ids translated to agg's keys; agg NULL creates
 * it for fcinfo, with s's dictionary as its own (no translation: a combine
 * function's first state is always such a copy).  Otherwise s's dictionary
 * is read into a context of its own, freed at the end.
 */
static AdoptionAgg *
AdoptionAggMerge(AdoptionAgg *agg, FunctionCallInfo fcinfo, const AdoptionSummary *s)
{
	MemoryContext cxt = NULL;
	KpiIds		from;
	bool		own = agg == NULL;
	int64		i;
	int			w;

	if (own)
	{
		agg = AdoptionAggCreate(fcinfo, s->start, s->ndays, s->nusers);
		AdoptionReadIds(s, &agg->ids, agg->hdr.eoh_context);
	}
	else
	{
		AdoptionCheckMerge(agg->start, agg->ndays, s->start, s->ndays);
		if (ADOPTION_IS_DICT(AdoptionKind(s)))
			cxt = AllocSetContextCreate(CurrentMemoryContext, "adoption_summary ids",
										ALLOCSET_DEFAULT_SIZES);
		AdoptionReadIds(s, &from, cxt != NULL ? cxt : CurrentMemoryContext);
		KpiIdsMergeKinds(&agg->ids, &from);
	}
	for (i = 0; i < s->nusers; i++)
	{
		uint64	   *to = AdoptionAggBits(agg, own ? ADOPTION_IDS(s)[i] :
										 KpiIdsTranslate(&agg->ids, &from, ADOPTION_IDS(s)[i]));
		const uint64 *bits = ADOPTION_BITS(s, i);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		for (w = 0; w < agg->nwords; w++)
			to[w] |= bits[w];
	}
	if (cxt != NULL)
		MemoryContextDelete(cxt);
	return agg;
}

/*
 * The length of the dictionary of a state's uuid or text ids in its flat
 * form (0 for integer ids): every id is a user's
 */
static Size
AdoptionAggDictLen(const AdoptionAgg *agg)
{
	if (!ADOPTION_IS_DICT(agg->ids.kind))
		return 0;
	Assert(KpiIdsCount(&agg->ids) == KpiKeyedCount(agg->users));
	return KpiIdsSendSize(&agg->ids);
}

static Size
AdoptionAggFlatSize(ExpandedObjectHeader *eoh)
{
	AdoptionAgg *agg = (AdoptionAgg *) eoh;

	return ADOPTION_SIZE(KpiKeyedCount(agg->users), agg->nwords) + AdoptionAggDictLen(agg);
}

static int
AdoptionIdCompare(const void *a, const void *b, void *arg)
{
	const int64 *keys = arg;
	int64		x = keys[*(const uint32 *) a];
	int64		y = keys[*(const uint32 *) b];

	return (x > y) - (x < y);
}

/* Are the ids of a dictionary in increasing order (the stored forms' order)? */
static bool
AdoptionDictSorted(const KpiIds *ids)
{
	uint32		i;

	for (i = 1; i < KpiIdsCount(ids); i++)
		if (KpiIdsCompare(ids, i - 1, i) >= 0)
			return false;
	return true;
}

/*
 * The flat form of a state, users sorted by id, into result
 * (EOM_flatten_into_method); through the validator, as every value produced
 */
static void
AdoptionAggFlattenInto(ExpandedObjectHeader *eoh, void *result, Size size)
{
	AdoptionAgg *agg = (AdoptionAgg *) eoh;
	AdoptionSummary *s = (AdoptionSummary *) result;
	uint32		n = KpiKeyedCount(agg->users);
	Size		dict_len = AdoptionAggDictLen(agg);
	uint32	   *order;
	uint32		i;

	Assert(size == ADOPTION_SIZE(n, agg->nwords) + dict_len);
	/* scratch space in the state's context, which frees it (expanded.c says why) */
	order = MemoryContextAlloc(agg->hdr.eoh_context, sizeof(uint32) * Max(n, 1));
	if (dict_len > 0)
	{
		/* uuid and text ids in their order: key i is the i-th id written */
		KpiIdsSortRows(&agg->ids, agg->users, order, agg->hdr.eoh_context);
	}
	else
	{
		for (i = 0; i < n; i++)
			order[i] = i;
		qsort_arg(order, n, sizeof(uint32), AdoptionIdCompare, agg->users->keys);
	}

	memset(s, 0, offsetof(AdoptionSummary, data));
	SET_VARSIZE(s, size);
	s->version = ADOPTION_FORMAT_VERSION;
	s->idkind = n > 0 ? agg->ids.kind : KPI_ID_NONE;
	s->start = agg->start;
	s->ndays = agg->ndays;
	s->nusers = n;
	for (i = 0; i < n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		ADOPTION_IDS(s)[i] = dict_len > 0 ? i : KpiKeyedKey(agg->users, order[i]);
		memcpy(ADOPTION_BITS(s, i), KpiKeyedRow(agg->users, order[i]),
			   sizeof(uint64) * agg->nwords);
	}
	if (dict_len > 0)
	{
		/* written in one pass, rather than through a sorted copy of the dictionary */
		char	   *start = (char *) s + ADOPTION_SIZE(n, agg->nwords);
		char	   *d = KpiIdsPutRows(start, &agg->ids, agg->users, order);

		if ((Size) (d - start) != dict_len)
			elog(ERROR, "adoption summary ids take %zu bytes, not %zu",
				 (Size) (d - start), dict_len);
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
 * Days of activity times
 *
 * Activity times and period bounds are dates, timestamps or timestamptz
 * (one type per aggregate).  The day of a timestamp is its date; the day of
 * a timestamptz its date in the aggregate's time_zone argument, else in the
 * session's TimeZone (as timestamptz::date), read as retention's period
 * aggregates read theirs (RetentionZoneArg).
 */

/* The argument number of the time_zone of an aggregate that has one */
#define ADOPTION_ZONE_ARGNO 5

/* Floor division, for days before 2000 */
static inline int64
AdoptionFloorDiv(int64 a, int64 b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/*
 * The day of the time argument argno, false if it is infinite; *midnight
 * says whether it is the start of its day
 */
static bool
AdoptionDayArg(FunctionCallInfo fcinfo, Oid timetype, pg_tz *tz, int argno,
			   DateADT *day, bool *midnight)
{
	switch (timetype)
	{
		case DATEOID:
			*day = PG_GETARG_DATEADT(argno);
			*midnight = true;
			return !DATE_NOT_FINITE(*day);
		case TIMESTAMPOID:
			{
				Timestamp	ts = PG_GETARG_TIMESTAMP(argno);
				int64		d;

				if (TIMESTAMP_NOT_FINITE(ts))
					return false;
				d = AdoptionFloorDiv(ts, USECS_PER_DAY);
				*day = (DateADT) d;
				*midnight = ts == d * USECS_PER_DAY;
				return true;
			}
		default:
			{
				TimestampTz ts = PG_GETARG_TIMESTAMPTZ(argno);
				struct pg_tm tm;
				fsec_t		fsec;
				int			tzoff;

				Assert(timetype == TIMESTAMPTZOID);
				if (TIMESTAMP_NOT_FINITE(ts))
					return false;
				if (timestamp2tm(ts, &tzoff, &tm, &fsec, NULL, tz) != 0)
					ereport(ERROR,
							(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
							 errmsg("timestamp out of range")));
				*day = date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - POSTGRES_EPOCH_JDATE;
				*midnight = tm.tm_hour == 0 && tm.tm_min == 0 && tm.tm_sec == 0 && fsec == 0;
				return true;
			}
	}
}

/* The day of period bound argno; it must be the start of a day */
static DateADT
AdoptionBoundArg(FunctionCallInfo fcinfo, Oid timetype, pg_tz *tz, int argno)
{
	DateADT		day;
	bool		midnight;

	if (!AdoptionDayArg(fcinfo, timetype, tz, argno, &day, &midnight))
		return argno == 3 ? DATEVAL_NOBEGIN : DATEVAL_NOEND;
	if (!midnight)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("activity period bound %s is not the start of a day",
						DatumGetCString(OidFunctionCall1(timetype == TIMESTAMPOID ?
														 F_TIMESTAMP_OUT : F_TIMESTAMPTZ_OUT,
														 PG_GETARG_DATUM(argno)))),
				 errhint("Periods are whole days%s: pass date_trunc('day', ...) or dates.",
						 timetype == TIMESTAMPTZOID ? " in the session's TimeZone" : "")));
	return day;
}

/*
 * The period of row fcinfo (bounds 3 and 4) into agg, created if NULL:
 * checked when new, the same as before otherwise.  The bounds as given are
 * remembered, so that a row costs no conversion of equal ones.
 */
static AdoptionAgg *
AdoptionAggPeriod(FunctionCallInfo fcinfo, AdoptionAgg *agg)
{
	DateADT		start,
				end;
	int64		raw_start,
				raw_end;
	Oid			timetype,
				boundtype;
	pg_tz	   *tz = NULL;

	if (PG_ARGISNULL(3) || PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("activity period bounds must not be null")));
	if (agg != NULL && OidIsValid(agg->timetype))
	{
		raw_start = agg->boundtype == DATEOID ? PG_GETARG_DATEADT(3) : PG_GETARG_INT64(3);
		raw_end = agg->boundtype == DATEOID ? PG_GETARG_DATEADT(4) : PG_GETARG_INT64(4);
		if (raw_start == agg->raw_start && raw_end == agg->raw_end &&
			(PG_NARGS() <= ADOPTION_ZONE_ARGNO ||
			 RetentionZoneArg(fcinfo, ADOPTION_ZONE_ARGNO) == agg->tz))
			return agg;
	}
	/* the time type of a state made by a merge is read here too */
	timetype = agg != NULL && OidIsValid(agg->timetype) ? agg->timetype :
		get_fn_expr_argtype(fcinfo->flinfo, 2);
	if (timetype != DATEOID && timetype != TIMESTAMPOID && timetype != TIMESTAMPTZOID)
		elog(ERROR, "activity time of unexpected type %u", timetype);
	/* with a time_zone argument, the period is days of that zone: dates */
	boundtype = PG_NARGS() > ADOPTION_ZONE_ARGNO ? DATEOID : timetype;
	if (timetype == TIMESTAMPTZOID)
	{
		tz = RetentionZoneArg(fcinfo, PG_NARGS() > ADOPTION_ZONE_ARGNO ?
							  ADOPTION_ZONE_ARGNO : -1);
		if (agg != NULL && agg->tz != NULL && tz != agg->tz)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("time zone changed from \"%s\" to \"%s\" within one aggregate",
							pg_get_timezone_name(agg->tz), pg_get_timezone_name(tz)),
					 errhint("All rows of one aggregate give the same time_zone.")));
	}
	start = AdoptionBoundArg(fcinfo, boundtype, tz, 3);
	end = AdoptionBoundArg(fcinfo, boundtype, tz, 4);
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
	agg->timetype = timetype;
	agg->boundtype = boundtype;
	agg->tz = tz;
	agg->raw_start = agg->boundtype == DATEOID ? PG_GETARG_DATEADT(3) : PG_GETARG_INT64(3);
	agg->raw_end = agg->boundtype == DATEOID ? PG_GETARG_DATEADT(4) : PG_GETARG_INT64(4);
	return agg;
}

/*
 * Mark the user of row fcinfo (user 1, time 2, period 3 and 4, time zone 5
 * if any) active on its day in agg, created if NULL.  A NULL period bound
 * is an error; a NULL user or time, or a day outside the period, is
 * skipped.  The user's id is read only for a day in the period: every id
 * of the dictionary is a user's.
 */
static AdoptionAgg *
AdoptionAggRow(FunctionCallInfo fcinfo, AdoptionAgg *agg)
{
	DateADT		day;
	bool		midnight;

	agg = AdoptionAggPeriod(fcinfo, agg);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return agg;
	if (AdoptionDayArg(fcinfo, agg->timetype, agg->tz, 2, &day, &midnight) &&
		day >= agg->start && day - agg->start < agg->ndays)
	{
		uint64	   *bits = AdoptionAggBits(agg, KpiIdsKeyArg(&agg->ids, fcinfo, 1));
		int32		d = day - agg->start;

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
	int			version;
	KpiIds		ids;
	DateADT		start,
				end;
	int32		ndays,
				nwords;
	int64		n = 0,
				capacity = 16,
				max_users;
	int64	   *keys;
	uint64	   *bits;
	AdoptionSummary *s;

	*problem = "Expected {\"version\":2,[\"ids\":\"uuid\" or \"text\",]\"period_start\":\"YYYY-MM-DD\",\"period_end\":\"YYYY-MM-DD\",\"users\":[[id,\"hex bitmap\"],...]}.";
	if (!KpiScanVersionRange(&scan, ADOPTION_OLDEST_VERSION, ADOPTION_FORMAT_VERSION,
							 &version, problem))
		return NULL;
	KpiIdsInit(&ids, CurrentMemoryContext);
	ids.kind = KPI_ID_INTEGER;
	if (!KpiScanToken(&scan, ","))
		return NULL;
	if (version >= 2 && KpiScanKey(&scan, "ids"))
	{
		/* "ids" names uuid or text ids only: integer ids are the default */
		const char *name = scan.pos + 1;
		const char *close;
		KpiIdKind	kind;

		if (!KpiScanToken(&scan, "\"") || (close = strchr(name, '"')) == NULL ||
			!KpiIdKindFromName(name, close - name, &kind) || !ADOPTION_IS_DICT(kind))
			return NULL;
		scan.pos = close + 1;
		ids.kind = kind;
		if (!KpiScanToken(&scan, ","))
			return NULL;
	}
	if (!KpiScanKey(&scan, "period_start") ||
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
	keys = palloc(sizeof(int64) * capacity);
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
				keys = repalloc(keys, sizeof(int64) * capacity);
				bits = repalloc(bits, sizeof(uint64) * nwords * capacity);
				memset(bits + nwords * n, 0, sizeof(uint64) * nwords * (capacity - n));
			}
			if (!KpiScanToken(&scan, "[") || !KpiIdsScanJson(&scan, &ids, &keys[n]) ||
				!KpiScanToken(&scan, ",") ||
				!AdoptionScanBits(&scan, ndays, bits + nwords * n) ||
				!KpiScanToken(&scan, "]"))
				return NULL;
			/* a uuid or text id seen before has an earlier key */
			if (ADOPTION_IS_DICT(ids.kind) && keys[n] != n)
			{
				*problem = "Users must be in increasing order of id, each once.";
				return NULL;
			}
			n++;
		} while (KpiScanToken(&scan, ","));
		if (!KpiScanToken(&scan, "]"))
			return NULL;
	}
	*problem = "Expected a closing } and nothing after it.";
	if (!KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
		return NULL;
	if (n == 0 && ADOPTION_IS_DICT(ids.kind))
	{
		*problem = "A summary without users has no \"ids\".";
		return NULL;
	}
	if (ADOPTION_IS_DICT(ids.kind) && !AdoptionDictSorted(&ids))
	{
		*problem = "Users must be in increasing order of id, each once.";
		return NULL;
	}

	s = AdoptionCreate(start, ndays, n, &ids);
	memcpy(ADOPTION_IDS(s), keys, sizeof(int64) * n);
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
	KpiIds		ids;
	StringInfoData buf;
	int64		i;

	AdoptionReadIds(s, &ids, CurrentMemoryContext);
	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d,", ADOPTION_FORMAT_VERSION);
	if (ADOPTION_IS_DICT(ids.kind))
		appendStringInfo(&buf, "\"ids\":\"%s\",", KpiIdKindName(ids.kind));
	appendStringInfoString(&buf, "\"period_start\":\"");
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
		appendStringInfoString(&buf, i > 0 ? ",[" : "[");
		KpiIdsAppendJson(&buf, &ids, ADOPTION_IDS(s)[i]);
		appendStringInfoString(&buf, ",\"");
		for (k = 0; k < ndigits; k++)
			appendStringInfoChar(&buf, "0123456789abcdef"[(bits[k / 16] >> (4 * (k % 16))) & 0xF]);
		appendStringInfoString(&buf, "\"]");
	}
	appendStringInfoString(&buf, "]}");
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary input.  Version 1: the header, then per user its int64 id and its
 * bitmap.  Version 2: the header, the ids (KpiIdsSend: their kind, and for
 * uuid and text ids the dictionary), then per user its int64 id (integer
 * ids only: user i of a dictionary is its id i) and its bitmap.
 */
Datum
adoption_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const char *problem;
	int			version;
	KpiIds		ids;
	bool		dict;
	DateADT		start;
	int32		ndays,
				nwords;
	int64		nusers,
				i;
	int			w;
	AdoptionSummary *s;

	version = KpiRecvVersionRange(buf, AdoptionType.name, ADOPTION_OLDEST_VERSION,
								  ADOPTION_FORMAT_VERSION);
	KpiRecvNeed(buf, AdoptionType.name, 8, false);
	start = pq_getmsgint(buf, 4);
	ndays = pq_getmsgint(buf, 4);
	if ((problem = AdoptionHeaderError(start, ndays, 0)) != NULL)
		KpiBinaryInputError(AdoptionType.name, "%s", problem);
	nwords = ADOPTION_WORDS(ndays);
	/* at least the bitmaps of the users follow; in version 1 their ids too */
	nusers = KpiRecvCount(buf, AdoptionType.name, 8, ADOPTION_MAX_USERS(nwords),
						  sizeof(int64) * (nwords + (version == 1 ? 1 : 0)));
	if (version == 1)
	{
		KpiIdsInit(&ids, CurrentMemoryContext);
		ids.kind = nusers > 0 ? KPI_ID_INTEGER : KPI_ID_NONE;
	}
	else
	{
		KpiRecvNeed(buf, AdoptionType.name, 1, false);
		KpiIdsRecv(buf, &ids, CurrentMemoryContext);
		if ((ids.kind == KPI_ID_NONE) != (nusers == 0) ||
			(ADOPTION_IS_DICT(ids.kind) && KpiIdsCount(&ids) != nusers))
			KpiBinaryInputError(AdoptionType.name, "%s",
								"The ids must be the users', each once.");
		if (!AdoptionDictSorted(&ids))
			KpiBinaryInputError(AdoptionType.name, "%s",
								"Users must be in increasing order of id, each once.");
	}
	dict = ADOPTION_IS_DICT(ids.kind);
	KpiRecvNeed(buf, AdoptionType.name, sizeof(int64) * nusers * ((dict ? 0 : 1) + nwords), true);
	s = AdoptionCreate(start, ndays, nusers, &ids);
	for (i = 0; i < nusers; i++)
	{
		uint64	   *bits = ADOPTION_BITS(s, i);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		ADOPTION_IDS(s)[i] = dict ? i : pq_getmsgint64(buf);
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
	bool		dict = ADOPTION_IS_DICT(AdoptionKind(s));
	StringInfoData buf;
	int64		i;
	int			w;

	KpiSendVersion(&buf, ADOPTION_FORMAT_VERSION);
	pq_sendint32(&buf, s->start);
	pq_sendint32(&buf, s->ndays);
	pq_sendint64(&buf, s->nusers);
	/* the ids as KpiIdsSend writes them: the kind byte, then the dictionary */
	if (dict)
		pq_sendbytes(&buf, ADOPTION_DICT(s), ADOPTION_DICT_LEN(s));
	else
		pq_sendbyte(&buf, (uint8) AdoptionKind(s));
	for (i = 0; i < s->nusers; i++)
	{
		const uint64 *bits = ADOPTION_BITS(s, i);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!dict)
			pq_sendint64(&buf, ADOPTION_IDS(s)[i]);
		for (w = 0; w < nwords; w++)
			pq_sendint64(&buf, (int64) bits[w]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}


/* Accessors */

/*
 * What every accessor reads: the days of the period so far (all of them, or
 * those up to an as_of day), the users active on one of them, and the sum
 * over those days of the users active that day
 */
typedef struct AdoptionCounts
{
	int32		ndays;			/* days of the period counted */
	int64		users;
	int64		user_days;		/* the sum of the daily active users */
} AdoptionCounts;

/* The active days of a bitmap of nwords words among its first ndays days */
static inline int64
AdoptionPopcount(const uint64 *bits, int nwords, int32 ndays)
{
	int64		sum = 0;
	int			w;

	for (w = 0; w < nwords && w * 64 < ndays; w++)
	{
		uint64		word = bits[w];

		if (ndays - w * 64 < 64)
			word &= ~(~UINT64CONST(0) << (ndays - w * 64));
		sum += pg_popcount64(word);
	}
	return sum;
}

/* Add a user's active days among the days counted to c */
static inline void
AdoptionCountUser(AdoptionCounts *c, const uint64 *bits, int nwords)
{
	int64		days = AdoptionPopcount(bits, nwords, c->ndays);

	c->users += days > 0;
	c->user_days += days;
}

/*
 * The days of a period of ndays days from start that are counted: all of
 * them without an as_of argument (argument 1); else those up to as_of
 * included, none if it comes before the period
 */
static int32
AdoptionDaysCounted(FunctionCallInfo fcinfo, DateADT start, int32 ndays)
{
	DateADT		as_of;

	if (PG_NARGS() < 2)
		return ndays;
	as_of = PG_GETARG_DATEADT(1);
	if (DATE_IS_NOBEGIN(as_of) || as_of < start)
		return 0;
	if (DATE_IS_NOEND(as_of) || (int64) as_of - start >= ndays)
		return ndays;
	return as_of - start + 1;
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
	AdoptionCounts c = {0, 0, 0};

	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)) &&
		DatumGetEOHP(d)->eoh_methods == &AdoptionAggMethods)
	{
		const AdoptionAgg *agg = (const AdoptionAgg *) DatumGetEOHP(d);
		uint32		i;

		c.ndays = AdoptionDaysCounted(fcinfo, agg->start, agg->ndays);
		for (i = 0; i < KpiKeyedCount(agg->users); i++)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			AdoptionCountUser(&c, (const uint64 *) KpiKeyedRow(agg->users, i), agg->nwords);
		}
	}
	else
	{
		AdoptionSummary *s = KpiSummaryArg(fcinfo, 0, &AdoptionType);
		int64		i;

		c.ndays = AdoptionDaysCounted(fcinfo, s->start, s->ndays);
		for (i = 0; i < s->nusers; i++)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			AdoptionCountUser(&c, ADOPTION_BITS(s, i), ADOPTION_WORDS(s->ndays));
		}
	}
	return c;
}

/*
 * active_users(adoption_summary [, as_of date]): users active on a day of
 * the period (up to as_of)
 */
Datum
active_users(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(AdoptionArgCounts(fcinfo).users);
}

/*
 * average_dau(adoption_summary [, as_of date]): average over the period's
 * days (up to as_of) of the daily active users; NULL when as_of comes
 * before the period
 */
Datum
average_dau(PG_FUNCTION_ARGS)
{
	AdoptionCounts c = AdoptionArgCounts(fcinfo);

	if (c.ndays == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) c.user_days / c.ndays);
}

/*
 * dau_mau(adoption_summary [, as_of date]): average DAU / active users, 0..1;
 * NULL with no active user
 */
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
 * seats in active use, 0 to 100.  More active users than seats means that
 * users without a seat (or whose seat was removed during the period) were
 * counted: a rate over 100 % would hide it, so it is an error that points
 * to counting licensed users only.  NULL for 0 seats.
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
	if (active > seats)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of active users " INT64_FORMAT " exceeds the number of licensed seats " INT64_FORMAT,
						active, seats),
				 errhint("Count the licensed users only, e.g. active_users(...) FILTER (WHERE licensed), and report the others separately.")));
	PG_RETURN_FLOAT8(100.0 * (double) active / (double) seats);
}
