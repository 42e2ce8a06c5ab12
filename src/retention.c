/*-------------------------------------------------------------------------
 *
 * retention.c
 *	  Cohort retention: activity summaries, cohort summaries, retention
 *	  curves, lifecycle, and ClickHouse's retention(c1, ..., cN).
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
 * events keep a hash table entity -> bitmap (entities x periods bits), and
 * build the same counts at the end.
 *
 * Periods are calendar days, ISO weeks or months in the session time zone
 * (period k of an entity is the k-th calendar period after the one holding
 * its start), or rolling: [start + k * length, start + (k + 1) * length).
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
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#define ACTIVITY_FORMAT_VERSION 1
#define RETENTION_FORMAT_VERSION 1

/* Microseconds from the Unix epoch to PostgreSQL's (2000-01-01) */
#define UNIX_TO_PG_USECS \
	((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY)

/* ClickHouse's limit on retention() conditions */
#define CLICKHOUSE_MAX_CONDITIONS 32

#define MODE_ON				0
#define MODE_ON_OR_AFTER	1

PG_FUNCTION_INFO_V1(activity_summary_in);
PG_FUNCTION_INFO_V1(activity_summary_out);
PG_FUNCTION_INFO_V1(activity_summary_recv);
PG_FUNCTION_INFO_V1(activity_summary_send);
PG_FUNCTION_INFO_V1(activity_accum);
PG_FUNCTION_INFO_V1(activity_combine);
PG_FUNCTION_INFO_V1(activity_active_periods);
PG_FUNCTION_INFO_V1(activity_lifecycle);
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
PG_FUNCTION_INFO_V1(retention_event_accum);
PG_FUNCTION_INFO_V1(retention_event_combine);
PG_FUNCTION_INFO_V1(retention_event_serialize);
PG_FUNCTION_INFO_V1(retention_event_deserialize);
PG_FUNCTION_INFO_V1(retention_event_curve);
PG_FUNCTION_INFO_V1(retention_event_summary);
PG_FUNCTION_INFO_V1(clickhouse_retention_accum);
PG_FUNCTION_INFO_V1(clickhouse_retention_combine);
PG_FUNCTION_INFO_V1(clickhouse_retention_final);


/*
 * Periods
 */

static void
RetentionBadPeriod(const Interval *period, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("retention period \"%s\" is invalid",
					DatumGetCString(DirectFunctionCall1(interval_out,
														IntervalPGetDatum(period)))),
			 errdetail("%s", detail)));
}

/* Is the text argument equal to the given word?  Allocates nothing. */
static bool
TextIs(const text *t, const char *word)
{
	size_t		len = strlen(word);

	return VARSIZE_ANY_EXHDR(t) == len && memcmp(VARDATA_ANY(t), word, len) == 0;
}

/*
 * RetentionPeriodFromArgs
 *		The period of a period length and an alignment ("calendar", the
 *		default when NULL, or "rolling").  Calendar periods are one day, one
 *		week (7 days) or one month; rolling ones any positive fixed length.
 */
RetentionPeriod
RetentionPeriodFromArgs(const Interval *period, const char *alignment)
{
	RetentionPeriod p = {0, 0};

	if (alignment == NULL || strcmp(alignment, "calendar") == 0)
	{
		if (period->month == 1 && period->day == 0 && period->time == 0)
			p.unit = RETENTION_MONTH;
		else if (period->month == 0 && period->day == 7 && period->time == 0)
			p.unit = RETENTION_WEEK;
		else if (period->month == 0 && period->day == 1 && period->time == 0)
			p.unit = RETENTION_DAY;
		else
			RetentionBadPeriod(period, "Calendar periods are 1 day, 1 week or 1 month; use alignment 'rolling' for other lengths.");
	}
	else if (strcmp(alignment, "rolling") == 0)
	{
		int64		length;

		if (period->month != 0)
			RetentionBadPeriod(period, "Rolling periods have a fixed length: use days (e.g. 30 days) instead of months.");
		if (pg_mul_s64_overflow((int64) period->day, USECS_PER_DAY, &length) ||
			pg_add_s64_overflow(length, period->time, &length) || length <= 0)
			RetentionBadPeriod(period, "A period must be positive.");
		p.unit = RETENTION_ROLLING;
		p.length = length;
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unrecognized period alignment \"%s\"", alignment),
				 errhint("Valid alignments are \"calendar\" and \"rolling\".")));
	return p;
}

int32
RetentionCheckPeriods(int32 periods)
{
	if (periods < 1 || periods > RETENTION_MAX_PERIODS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of periods %d is out of range", periods),
				 errhint("The number of periods must be between 1 and %d.",
						 RETENTION_MAX_PERIODS)));
	return periods;
}

void
RetentionCheckFinite(TimestampTz t)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("retention timestamps must be finite")));
}

/* Floor division, for calendar indexes before 1970 */
static inline int64
FloorDiv(int64 a, int64 b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/*
 * The index of the calendar period holding t, in the session time zone:
 * days since 1970-01-01, weeks since Monday 1969-12-29, months since 1970-01.
 */
static int64
CalendarIndex(int unit, TimestampTz t)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;
	int64		days;

	RetentionCheckFinite(t);
	if (timestamp2tm(t, &tz, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	if (unit == RETENTION_MONTH)
		return ((int64) tm.tm_year - 1970) * MONTHS_PER_YEAR + tm.tm_mon - 1;
	days = (int64) date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - UNIX_EPOCH_JDATE;
	return unit == RETENTION_DAY ? days : FloorDiv(days + 3, 7);
}

/* The origin of an entity starting at start: its calendar index, or start */
int64
RetentionOrigin(const RetentionPeriod *p, TimestampTz start)
{
	if (p->unit == RETENTION_ROLLING)
	{
		RetentionCheckFinite(start);
		return start;
	}
	return CalendarIndex(p->unit, start);
}

/* The period of t after origin; negative when t precedes it */
int64
RetentionIndex(const RetentionPeriod *p, int64 origin, TimestampTz t)
{
	if (p->unit == RETENTION_ROLLING)
	{
		RetentionCheckFinite(t);
		/* finite timestamps are far enough from the int64 limits */
		return FloorDiv(t - origin, p->length);
	}
	return CalendarIndex(p->unit, t) - origin;
}

/* When period k after origin begins */
TimestampTz
RetentionPeriodStart(const RetentionPeriod *p, int64 origin, int64 k)
{
	struct pg_tm tm;
	int64		index = origin + k;
	int			tz;
	Timestamp	result;

	if (p->unit == RETENTION_ROLLING)
		return origin + k * p->length;

	memset(&tm, 0, sizeof(tm));
	if (p->unit == RETENTION_MONTH)
	{
		tm.tm_year = (int) (1970 + FloorDiv(index, MONTHS_PER_YEAR));
		tm.tm_mon = (int) (index - FloorDiv(index, MONTHS_PER_YEAR) * MONTHS_PER_YEAR) + 1;
		tm.tm_mday = 1;
	}
	else
	{
		int64		days = p->unit == RETENTION_DAY ? index : index * 7 - 3;

		if (days < -(int64) UNIX_EPOCH_JDATE || days > PG_INT32_MAX - UNIX_EPOCH_JDATE)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("timestamp out of range")));
		j2date((int) (days + UNIX_EPOCH_JDATE), &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	}
	tz = DetermineTimeZoneOffset(&tm, session_timezone);
	if (tm2timestamp(&tm, 0, &tz, &result) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return result;
}

bool
RetentionSamePeriod(const RetentionPeriod *a, const RetentionPeriod *b)
{
	return a->unit == b->unit && a->length == b->length;
}

static const char *const UnitNames[] = {NULL, "day", "week", "month", "rolling"};

const char *
RetentionPeriodName(const RetentionPeriod *p)
{
	if (p->unit == RETENTION_ROLLING)
		return psprintf("rolling " INT64_FORMAT " microseconds", p->length);
	return UnitNames[p->unit];
}

/* "period":"month" or "period":"rolling","length":N */
void
RetentionAppendPeriod(StringInfo buf, const RetentionPeriod *p)
{
	appendStringInfo(buf, "\"period\":\"%s\"", UnitNames[p->unit]);
	if (p->unit == RETENTION_ROLLING)
		appendStringInfo(buf, ",\"length\":" INT64_FORMAT, p->length);
}

bool
RetentionScanPeriod(KpiScanner *scan, RetentionPeriod *p)
{
	int			unit;

	if (!KpiScanToken(scan, "\"period\"") || !KpiScanToken(scan, ":"))
		return false;
	for (unit = RETENTION_DAY; unit <= RETENTION_ROLLING; unit++)
	{
		char	   *quoted = psprintf("\"%s\"", UnitNames[unit]);

		if (KpiScanToken(scan, quoted))
			break;
	}
	if (unit > RETENTION_ROLLING)
		return false;
	p->unit = unit;
	p->length = 0;
	if (unit == RETENTION_ROLLING)
		return KpiScanToken(scan, ",") && KpiScanToken(scan, "\"length\"") &&
			KpiScanToken(scan, ":") && KpiScanInt64(scan, &p->length) &&
			p->length > 0;
	return true;
}

void
RetentionSendPeriod(StringInfo buf, const RetentionPeriod *p)
{
	pq_sendbyte(buf, p->unit);
	pq_sendint64(buf, p->length);
}

/* Read a period; returns what is wrong with it, or NULL */
const char *
RetentionRecvPeriod(StringInfo buf, RetentionPeriod *p)
{
	if (buf->len - buf->cursor < 9)
		return "The input is too short.";
	p->unit = pq_getmsgbyte(buf);
	p->length = pq_getmsgint64(buf);
	if (p->unit < RETENTION_DAY || p->unit > RETENTION_ROLLING)
		return "The period kind is unknown.";
	if ((p->unit == RETENTION_ROLLING) != (p->length > 0) || p->length < 0)
		return "The period length does not match its kind.";
	return NULL;
}


/*
 * Keyed table: simplehash from the key to a slot; the rows of all slots in
 * one array, grown by doubling.
 */

typedef struct KeyedEntry
{
	int64		key;
	uint32		slot;
	char		status;
} KeyedEntry;

/* splitmix64's finalizer: keys are often consecutive ids */
static inline uint32
KeyedHash(int64 key)
{
	uint64		x = (uint64) key;

	x ^= x >> 30;
	x *= UINT64CONST(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64CONST(0x94d049bb133111eb);
	x ^= x >> 31;
	return (uint32) x;
}

#define SH_PREFIX keyed
#define SH_ELEMENT_TYPE KeyedEntry
#define SH_KEY_TYPE int64
#define SH_KEY key
#define SH_HASH_KEY(tb, key) KeyedHash(key)
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

struct KeyedTable
{
	MemoryContext cxt;
	keyed_hash *hash;
	int			width;			/* int64 words per row */
	uint32		count;
	uint32		capacity;
	int64	   *keys;
	int64	   *rows;
};

KeyedTable *
KeyedCreate(MemoryContext cxt, int width)
{
	KeyedTable *t = MemoryContextAllocZero(cxt, sizeof(KeyedTable));

	t->cxt = cxt;
	t->hash = keyed_create(cxt, 256, NULL);
	t->width = width;
	t->capacity = 256;
	t->keys = MemoryContextAlloc(cxt, sizeof(int64) * t->capacity);
	t->rows = MemoryContextAlloc(cxt, sizeof(int64) * width * t->capacity);
	return t;
}

/* The row of key, zeroed if new.  Valid until the next lookup. */
int64 *
KeyedLookup(KeyedTable *t, int64 key, bool *found)
{
	KeyedEntry *e = keyed_insert(t->hash, key, found);

	if (!*found)
	{
		if (t->count == t->capacity)
		{
			if (t->capacity >= PG_UINT32_MAX / 2)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("too many entities in one aggregate")));
			t->capacity *= 2;
			t->keys = repalloc_huge(t->keys, sizeof(int64) * t->capacity);
			t->rows = repalloc_huge(t->rows, sizeof(int64) * t->width * (Size) t->capacity);
		}
		e->slot = t->count++;
		t->keys[e->slot] = key;
		memset(t->rows + (Size) e->slot * t->width, 0, sizeof(int64) * t->width);
	}
	return t->rows + (Size) e->slot * t->width;
}

uint32
KeyedCount(const KeyedTable *t)
{
	return t->count;
}

int64
KeyedKey(const KeyedTable *t, uint32 i)
{
	return t->keys[i];
}

int64 *
KeyedRow(const KeyedTable *t, uint32 i)
{
	return t->rows + (Size) i * t->width;
}

void
KeyedSend(StringInfo buf, const KeyedTable *t)
{
	uint32		i;
	int			j;

	pq_sendint32(buf, t->count);
	for (i = 0; i < t->count; i++)
	{
		pq_sendint64(buf, t->keys[i]);
		for (j = 0; j < t->width; j++)
			pq_sendint64(buf, KeyedRow(t, i)[j]);
		CHECK_FOR_INTERRUPTS();
	}
}

KeyedTable *
KeyedRecv(StringInfo buf, MemoryContext cxt, int width)
{
	KeyedTable *t = KeyedCreate(cxt, width);
	uint32		n = pq_getmsgint(buf, 4);
	uint32		i;
	int			j;

	if ((uint64) (buf->len - buf->cursor) != (uint64) n * (width + 1) * sizeof(int64))
		elog(ERROR, "keyed table of %u rows has %d bytes", n, buf->len - buf->cursor);
	for (i = 0; i < n; i++)
	{
		bool		found;
		int64		key = pq_getmsgint64(buf);
		int64	   *row = KeyedLookup(t, key, &found);

		if (found)
			elog(ERROR, "keyed table repeats key " INT64_FORMAT, key);
		for (j = 0; j < width; j++)
			row[j] = pq_getmsgint64(buf);
		CHECK_FOR_INTERRUPTS();
	}
	return t;
}


/*
 * activity_summary: one entity's active periods
 */

typedef struct ActivitySummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* ACTIVITY_FORMAT_VERSION */
	uint8		unit;			/* RETENTION_DAY .. RETENTION_ROLLING */
	uint8		reserved[2];	/* zero */
	int32		periods;		/* N */
	int64		length;			/* rolling period length, microseconds */
	int64		start;			/* cohort start (timestamptz) */
	int64		origin;			/* calendar index of start's period; rolling: start */
	uint64		bits[FLEXIBLE_ARRAY_MEMBER];	/* bit k: active in period k;
												 * bit N: active after period
												 * N - 1 */
} ActivitySummary;

#define BITMAP_WORDS(n)		(((n) + 64) / 64)	/* n + 1 bits */
#define ACTIVITY_SIZE(n)	(offsetof(ActivitySummary, bits) + sizeof(uint64) * BITMAP_WORDS(n))
#define BIT_IS_SET(bits, k)	(((bits)[(k) / 64] >> ((k) % 64)) & 1)
#define BIT_SET(bits, k)	((bits)[(k) / 64] |= UINT64CONST(1) << ((k) % 64))

static RetentionPeriod
ActivityPeriod(const ActivitySummary *a)
{
	RetentionPeriod p = {a->unit, a->length};

	return p;
}

static ActivitySummary *
ActivityCreate(const RetentionPeriod *p, int32 periods, int64 start, int64 origin)
{
	Size		size = ACTIVITY_SIZE(periods);
	ActivitySummary *a = palloc0(size);

	SET_VARSIZE(a, size);
	a->version = ACTIVITY_FORMAT_VERSION;
	a->unit = p->unit;
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
	if (!IS_VALID_TIMESTAMP(start))
		return "The start is out of range.";
	if (unit == RETENTION_ROLLING && origin != start)
		return "The origin of rolling periods is the start.";
	if (unit != RETENTION_ROLLING && (origin < -PG_INT32_MAX || origin > PG_INT32_MAX))
		return "The origin is out of range.";
	return NULL;
}

/* Are bits past bit N set?  The header must be valid. */
static bool
ActivityHasSpareBits(const ActivitySummary *a)
{
	int			used = (a->periods + 1) % 64;

	return used != 0 &&
		(a->bits[BITMAP_WORDS(a->periods) - 1] & (~UINT64CONST(0) << used)) != 0;
}

static void
ActivityCheck(const ActivitySummary *a)
{
	if (a->version != ACTIVITY_FORMAT_VERSION ||
		ActivityHeaderError(a->unit, a->length, a->periods, a->start, a->origin) != NULL ||
		VARSIZE(a) != ACTIVITY_SIZE(a->periods) || ActivityHasSpareBits(a))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("activity_summary value is corrupt")));
}

static ActivitySummary *
ActivityGetArg(FunctionCallInfo fcinfo, int argno)
{
	ActivitySummary *a = (ActivitySummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	ActivityCheck(a);
	return a;
}

static ActivitySummary *
ActivityGetState(FunctionCallInfo fcinfo, int argno)
{
	ActivitySummary *a;

	if (AggCheckCallContext(fcinfo, NULL))
		a = (ActivitySummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));
	else
		a = (ActivitySummary *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(argno));
	ActivityCheck(a);
	return a;
}

/* Set the bit of the period holding t, after checking t against the start */
static void
ActivityMark(uint64 *bits, const RetentionPeriod *p, int32 periods,
			 int64 start, int64 origin, TimestampTz t)
{
	int64		k;

	if (t < start)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("activity at %s precedes its cohort start %s",
						timestamptz_to_str(t), timestamptz_to_str(start)),
				 errhint("The cohort start is the entity's first activity or signup.")));
	k = RetentionIndex(p, origin, t);
	BIT_SET(bits, Min(k, (int64) periods));
}

/*
 * Text: {"version":1,"period":"month","periods":12,"start":S,"origin":O,
 *		  "active":[0,1,5],"later":false}
 * start in microseconds since 1970-01-01 UTC; origin the index of the start's
 * calendar period (days, weeks from Monday 1969-12-29 or months since
 * 1970-01), or the start again for rolling periods.
 */
static ActivitySummary *
ActivityParse(const char *str, const char **problem)
{
	KpiScanner	scan = {str};
	int64		version,
				periods,
				start,
				origin,
				k,
				last = -1;
	RetentionPeriod p;
	ActivitySummary *a;

	*problem = "Expected {\"version\":1,\"period\":...,\"periods\":N,\"start\":S,\"origin\":O,\"active\":[...],\"later\":false}.";
	if (!KpiScanToken(&scan, "{") || !KpiScanToken(&scan, "\"version\"") ||
		!KpiScanToken(&scan, ":") || !KpiScanInt64(&scan, &version))
		return NULL;
	if (version != ACTIVITY_FORMAT_VERSION)
	{
		*problem = "Only format version 1 is supported.";
		return NULL;
	}
	if (!KpiScanToken(&scan, ",") || !RetentionScanPeriod(&scan, &p) ||
		!KpiScanToken(&scan, ",") || !KpiScanToken(&scan, "\"periods\"") ||
		!KpiScanToken(&scan, ":") || !KpiScanInt64(&scan, &periods) ||
		!KpiScanToken(&scan, ",") || !KpiScanToken(&scan, "\"start\"") ||
		!KpiScanToken(&scan, ":") || !KpiScanInt64(&scan, &start) ||
		!KpiScanToken(&scan, ",") || !KpiScanToken(&scan, "\"origin\"") ||
		!KpiScanToken(&scan, ":") || !KpiScanInt64(&scan, &origin) ||
		!KpiScanToken(&scan, ",") || !KpiScanToken(&scan, "\"active\"") ||
		!KpiScanToken(&scan, ":") || !KpiScanToken(&scan, "["))
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
	if (!KpiScanToken(&scan, ",") || !KpiScanToken(&scan, "\"later\"") ||
		!KpiScanToken(&scan, ":"))
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
		CRM_INPUT_ERROR(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type %s: \"%s\"",
								"activity_summary", str),
						 errdetail("%s", problem)));
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
	appendStringInfo(&buf, "{\"version\":%d,", a->version);
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

/* Binary: int8 version, period (int8 kind, int64 length), int32 periods,
 * int64 start, int64 origin, then the bitmap as int64 words */
Datum
activity_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	RetentionPeriod p;
	const char *problem;
	int32		periods;
	int64		start,
				origin;
	ActivitySummary *a;
	int			version,
				i;

	if (buf->len - buf->cursor < 1 + 9 + 4 + 16)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("activity_summary binary input is too short")));
	version = pq_getmsgbyte(buf);
	if (version != ACTIVITY_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported activity_summary binary format version %d", version)));
	problem = RetentionRecvPeriod(buf, &p);
	periods = pq_getmsgint(buf, 4);
	start = pq_getmsgint64(buf);
	origin = pq_getmsgint64(buf);
	if (problem == NULL)
		problem = ActivityHeaderError(p.unit, p.length, periods, start, origin);
	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid activity_summary header in binary input"),
				 errdetail("%s", problem)));
	if (buf->len - buf->cursor != (int) sizeof(uint64) * BITMAP_WORDS(periods))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("activity_summary binary input has %d bytes of bitmap, expected %d",
						buf->len - buf->cursor, (int) sizeof(uint64) * BITMAP_WORDS(periods))));
	a = ActivityCreate(&p, periods, start, origin);
	for (i = 0; i < BITMAP_WORDS(periods); i++)
		a->bits[i] = (uint64) pq_getmsgint64(buf);
	pq_getmsgend(buf);
	if (ActivityHasSpareBits(a))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("activity_summary binary input sets periods past the last one")));
	PG_RETURN_POINTER(a);
}

Datum
activity_summary_send(PG_FUNCTION_ARGS)
{
	ActivitySummary *a = ActivityGetArg(fcinfo, 0);
	RetentionPeriod p = ActivityPeriod(a);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, a->version);
	RetentionSendPeriod(&buf, &p);
	pq_sendint32(&buf, a->periods);
	pq_sendint64(&buf, a->start);
	pq_sendint64(&buf, a->origin);
	for (i = 0; i < BITMAP_WORDS(a->periods); i++)
		pq_sendint64(&buf, (int64) a->bits[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* The alignment argument argno: NULL (absent) or "calendar"/"rolling" */
static const char *
AlignmentArg(FunctionCallInfo fcinfo, int argno)
{
	if (PG_NARGS() <= argno)
		return NULL;
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("period alignment must not be null")));
	if (TextIs(PG_GETARG_TEXT_PP(argno), "calendar"))
		return "calendar";
	if (TextIs(PG_GETARG_TEXT_PP(argno), "rolling"))
		return "rolling";
	return text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

/* The period and number of periods of arguments argno, argno + 1 */
static RetentionPeriod
PeriodArgs(FunctionCallInfo fcinfo, int argno, int alignment_argno, int32 *periods)
{
	if (PG_ARGISNULL(argno) || PG_ARGISNULL(argno + 1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("retention period and number of periods must not be null")));
	*periods = RetentionCheckPeriods(PG_GETARG_INT32(argno + 1));
	return RetentionPeriodFromArgs(PG_GETARG_INTERVAL_P(argno),
								   AlignmentArg(fcinfo, alignment_argno));
}

/*
 * activity_accum(state, cohort_start, activity, period, periods [, alignment])
 *		Transition of activity_agg, grouped by entity.  A NULL cohort start
 *		skips the row; a NULL activity makes the entity a cohort member that
 *		was never active.  Every row must name the same start and period.
 */
Datum
activity_accum(PG_FUNCTION_ARGS)
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
	p = PeriodArgs(fcinfo, 3, 5, &periods);

	if (PG_ARGISNULL(0))
		a = ActivityCreate(&p, periods, start, RetentionOrigin(&p, start));
	else
	{
		RetentionPeriod ap;

		a = ActivityGetState(fcinfo, 0);
		ap = ActivityPeriod(a);
		if (!RetentionSamePeriod(&ap, &p) || a->periods != periods)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("retention period changed within one aggregate")));
		if (a->start != start)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cohort start changed from %s to %s within one activity summary",
							timestamptz_to_str(a->start), timestamptz_to_str(start)),
					 errhint("Group activity_agg() by entity; each entity has one cohort start.")));
	}
	if (!PG_ARGISNULL(2))
		ActivityMark(a->bits, &p, a->periods, a->start, a->origin,
					 PG_GETARG_TIMESTAMPTZ(2));
	PG_RETURN_POINTER(a);
}

/* activity_combine(a, b): the periods active in a or b, for one entity */
Datum
activity_combine(PG_FUNCTION_ARGS)
{
	ActivitySummary *a = ActivityGetState(fcinfo, 0);
	ActivitySummary *b = ActivityGetArg(fcinfo, 1);
	int			i;

	if (a->unit != b->unit || a->length != b->length || a->periods != b->periods)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge activity summaries with periods %s x %d and %s x %d",
						RetentionPeriodName(&(RetentionPeriod) {a->unit, a->length}), a->periods,
						RetentionPeriodName(&(RetentionPeriod) {b->unit, b->length}), b->periods)));
	if (a->start != b->start || a->origin != b->origin)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge activity summaries with cohort starts %s and %s",
						timestamptz_to_str(a->start), timestamptz_to_str(b->start)),
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
 * lifecycle(a): the entity's lifecycle status in each period, as PostHog
 * defines it (peer-semantics 3.4), the creation period being period 0:
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
		a = (ActivitySummary *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
		ActivityCheck(a);
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
 * retention_summary: one cohort's counts
 */

typedef struct RetentionSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* RETENTION_FORMAT_VERSION */
	uint8		unit;
	uint8		reserved[2];	/* zero */
	int32		periods;		/* N */
	int64		length;
	int64		entities;		/* cohort size */
	int64		counts[FLEXIBLE_ARRAY_MEMBER];	/* eligible[N], on[N],
												 * on_or_after[N] */
} RetentionSummary;

#define RETENTION_SIZE(n)	(offsetof(RetentionSummary, counts) + sizeof(int64) * 3 * (n))
#define ELIGIBLE(s)			((s)->counts)
#define ON(s)				((s)->counts + (s)->periods)
#define ON_OR_AFTER(s)		((s)->counts + 2 * (s)->periods)

static const char *const CountNames[] = {"eligible", "on", "on_or_after"};

static RetentionSummary *
RetentionCreate(const RetentionPeriod *p, int32 periods)
{
	Size		size = RETENTION_SIZE(periods);
	RetentionSummary *s = palloc0(size);

	SET_VARSIZE(s, size);
	s->version = RETENTION_FORMAT_VERSION;
	s->unit = p->unit;
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

static void
RetentionCheck(const RetentionSummary *s, bool full)
{
	RetentionPeriod p = {s->unit, s->length};

	if (s->version != RETENTION_FORMAT_VERSION ||
		p.unit < RETENTION_DAY || p.unit > RETENTION_ROLLING ||
		(p.unit == RETENTION_ROLLING) != (p.length > 0) || p.length < 0 ||
		s->periods < 1 || s->periods > RETENTION_MAX_PERIODS ||
		VARSIZE(s) != RETENTION_SIZE(s->periods) ||
		(full && RetentionCountsError(s) != NULL))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("retention_summary value is corrupt")));
}

static RetentionSummary *
RetentionGetArg(FunctionCallInfo fcinfo, int argno)
{
	RetentionSummary *s = (RetentionSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	RetentionCheck(s, true);
	return s;
}

static RetentionSummary *
RetentionGetState(FunctionCallInfo fcinfo, int argno)
{
	RetentionSummary *s;

	if (AggCheckCallContext(fcinfo, NULL))
		s = (RetentionSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));
	else
		s = (RetentionSummary *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(argno));
	RetentionCheck(s, false);
	return s;
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
 * Text: {"version":1,"period":"month","periods":N,"entities":S,
 *		  "eligible":[...],"on":[...],"on_or_after":[...]}
 */
static RetentionSummary *
RetentionParse(const char *str, const char **problem)
{
	KpiScanner	scan = {str};
	int64		version,
				periods,
				entities;
	RetentionPeriod p;
	RetentionSummary *s;
	int			c,
				k;

	*problem = "Expected {\"version\":1,\"period\":...,\"periods\":N,\"entities\":S,\"eligible\":[...],\"on\":[...],\"on_or_after\":[...]}.";
	if (!KpiScanToken(&scan, "{") || !KpiScanToken(&scan, "\"version\"") ||
		!KpiScanToken(&scan, ":") || !KpiScanInt64(&scan, &version))
		return NULL;
	if (version != RETENTION_FORMAT_VERSION)
	{
		*problem = "Only format version 1 is supported.";
		return NULL;
	}
	if (!KpiScanToken(&scan, ",") || !RetentionScanPeriod(&scan, &p) ||
		!KpiScanToken(&scan, ",") || !KpiScanToken(&scan, "\"periods\"") ||
		!KpiScanToken(&scan, ":") || !KpiScanInt64(&scan, &periods) ||
		!KpiScanToken(&scan, ",") || !KpiScanToken(&scan, "\"entities\"") ||
		!KpiScanToken(&scan, ":") || !KpiScanInt64(&scan, &entities))
		return NULL;
	if (periods < 1 || periods > RETENTION_MAX_PERIODS)
	{
		*problem = "The number of periods must be between 1 and 1024.";
		return NULL;
	}
	s = RetentionCreate(&p, (int32) periods);
	s->entities = entities;
	for (c = 0; c < 3; c++)
	{
		char	   *key = psprintf("\"%s\"", CountNames[c]);

		*problem = psprintf("Expected %s with " INT64_FORMAT " counts.", key, periods);
		if (!KpiScanToken(&scan, ",") || !KpiScanToken(&scan, key) ||
			!KpiScanToken(&scan, ":") || !KpiScanToken(&scan, "["))
			return NULL;
		for (k = 0; k < periods; k++)
		{
			if ((k > 0 && !KpiScanToken(&scan, ",")) ||
				!KpiScanInt64(&scan, &s->counts[c * periods + k]))
				return NULL;
		}
		if (!KpiScanToken(&scan, "]"))
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
		CRM_INPUT_ERROR(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type %s: \"%s\"",
								"retention_summary", str),
						 errdetail("%s", problem)));
	PG_RETURN_POINTER(s);
}

Datum
retention_summary_out(PG_FUNCTION_ARGS)
{
	RetentionSummary *s = RetentionGetArg(fcinfo, 0);
	RetentionPeriod p = {s->unit, s->length};
	StringInfoData buf;
	int			c,
				k;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d,", s->version);
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
	int32		periods;
	RetentionSummary *s;
	int			version,
				i;

	if (buf->len - buf->cursor < 1 + 9 + 4 + 8)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("retention_summary binary input is too short")));
	version = pq_getmsgbyte(buf);
	if (version != RETENTION_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported retention_summary binary format version %d", version)));
	problem = RetentionRecvPeriod(buf, &p);
	periods = pq_getmsgint(buf, 4);
	if (problem == NULL && (periods < 1 || periods > RETENTION_MAX_PERIODS))
		problem = "The number of periods must be between 1 and 1024.";
	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid retention_summary header in binary input"),
				 errdetail("%s", problem)));
	if (buf->len - buf->cursor != (int) sizeof(int64) * (1 + 3 * periods))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("retention_summary binary input has %d bytes of counts, expected %d",
						buf->len - buf->cursor, (int) sizeof(int64) * (1 + 3 * periods))));
	s = RetentionCreate(&p, periods);
	s->entities = pq_getmsgint64(buf);
	for (i = 0; i < 3 * periods; i++)
		s->counts[i] = pq_getmsgint64(buf);
	pq_getmsgend(buf);
	if ((problem = RetentionCountsError(s)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid retention_summary counts in binary input"),
				 errdetail("%s", problem)));
	PG_RETURN_POINTER(s);
}

Datum
retention_summary_send(PG_FUNCTION_ARGS)
{
	RetentionSummary *s = RetentionGetArg(fcinfo, 0);
	RetentionPeriod p = {s->unit, s->length};
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, s->version);
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
		s = RetentionGetState(fcinfo, 0);
		if (s->unit != a->unit || s->length != a->length || s->periods != a->periods)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot add an activity summary with periods %s x %d to a retention summary with periods %s x %d",
							RetentionPeriodName(&p), a->periods,
							RetentionPeriodName(&(RetentionPeriod) {s->unit, s->length}),
							s->periods)));
	}
	reached = a->periods;
	if (PG_NARGS() > 2 && !PG_ARGISNULL(2))
		reached = RetentionReached(&p, a->origin, PG_GETARG_TIMESTAMPTZ(2));
	RetentionAddEntity(s, a->bits, reached);
	PG_RETURN_POINTER(s);
}

static void
RetentionCheckSame(const RetentionSummary *a, const RetentionSummary *b)
{
	if (a->unit != b->unit || a->length != b->length || a->periods != b->periods)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge retention summaries with periods %s x %d and %s x %d",
						RetentionPeriodName(&(RetentionPeriod) {a->unit, a->length}), a->periods,
						RetentionPeriodName(&(RetentionPeriod) {b->unit, b->length}), b->periods)));
}

/* retention_summary_combine(a, b): a + b (cohorts of distinct entities) */
Datum
retention_summary_combine(PG_FUNCTION_ARGS)
{
	RetentionSummary *a = RetentionGetState(fcinfo, 0);
	RetentionSummary *b = RetentionGetArg(fcinfo, 1);
	int			i;

	RetentionCheckSame(a, b);
	/* every count is at most entities: only that sum can overflow */
	if (pg_add_s64_overflow(a->entities, b->entities, &a->entities))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("retention_summary count overflows")));
	for (i = 0; i < 3 * a->periods; i++)
		a->counts[i] += b->counts[i];
	PG_RETURN_POINTER(a);
}

/* retention_summary_uncombine(a, b): a - b, the moving-window inverse */
Datum
retention_summary_uncombine(PG_FUNCTION_ARGS)
{
	RetentionSummary *a = RetentionGetState(fcinfo, 0);
	RetentionSummary *b = RetentionGetArg(fcinfo, 1);
	int			i;

	RetentionCheckSame(a, b);
	a->entities -= b->entities;
	for (i = 0; i < 3 * a->periods; i++)
		a->counts[i] -= b->counts[i];
	if (RetentionCountsError(a) != NULL)
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
	if (TextIs(mode, "on"))
		return MODE_ON;
	if (TextIs(mode, "on_or_after"))
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
		s = (RetentionSummary *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
		RetentionCheck(s, true);
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
 * activity, period, periods [, mode, alignment, as_of]) and
 * retention_agg(entity, cohort_start, activity, period, periods
 * [, alignment, as_of]).  The state maps each entity to its row
 *		[0] cohort start, [1] origin, [2..] bitmap of periods 0..N.
 */

typedef struct RetentionEvents
{
	RetentionPeriod period;
	int32		periods;
	int32		mode;			/* for retention_curve's result */
	bool		censored;		/* as_of given? */
	TimestampTz as_of;
	KeyedTable *table;
} RetentionEvents;

#define EVENTS_WIDTH(periods)	(2 + BITMAP_WORDS(periods))

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
	e->table = KeyedCreate(cxt, EVENTS_WIDTH(periods));
	return e;
}

static void
EventsCheckSameStart(int64 entity, int64 a, int64 b)
{
	if (a != b)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("entity " INT64_FORMAT " has two cohort starts, %s and %s",
						entity, timestamptz_to_str(a), timestamptz_to_str(b)),
				 errhint("Each entity belongs to one cohort: give every row of an entity the same start.")));
}

/*
 * retention_event_accum(state, entity, cohort_start, activity, period,
 *		periods [, mode], alignment, as_of)
 * With 9 arguments (retention_curve) mode is argument 6; with 8
 * (retention_agg) there is no mode.  Rows with a NULL entity or start are
 * skipped; a NULL activity adds the entity to the cohort.
 */
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

Datum
retention_event_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	RetentionEvents *e;
	RetentionEvents params;
	int			extra = PG_NARGS() == 9 ? 1 : 0;
	int			as_of_argno = 7 + extra;
	int64		entity;
	TimestampTz start;
	int64	   *row;
	bool		found;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "retention_event_accum called in non-aggregate context");

	/* the parameters of this row; reading them allocates nothing */
	params.period = PeriodArgs(fcinfo, 4, 6 + extra, &params.periods);
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

	row = KeyedLookup(e->table, entity, &found);
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

	for (i = 0; i < KeyedCount(src->table); i++)
	{
		int64		key = KeyedKey(src->table, i);
		int64	   *from = KeyedRow(src->table, i);
		bool		found;
		int64	   *to = KeyedLookup(dst->table, key, &found);

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

Datum
retention_event_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	RetentionEvents *a = PG_ARGISNULL(0) ? NULL : (RetentionEvents *) PG_GETARG_POINTER(0);
	RetentionEvents *b = PG_ARGISNULL(1) ? NULL : (RetentionEvents *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "retention_event_combine called in non-aggregate context");
	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = EventsCreate(aggcxt, &b->period, b->periods, b->mode, b->censored, b->as_of);
	EventsCheckSame(a, b);
	EventsMerge(a, b);
	PG_RETURN_POINTER(a);
}

/* Binary: period, int32 periods, int8 mode, int8 censored, int64 as_of, table */
Datum
retention_event_serialize(PG_FUNCTION_ARGS)
{
	RetentionEvents *e = (RetentionEvents *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	RetentionSendPeriod(&buf, &e->period);
	pq_sendint32(&buf, e->periods);
	pq_sendbyte(&buf, e->mode);
	pq_sendbyte(&buf, e->censored);
	pq_sendint64(&buf, e->as_of);
	KeyedSend(&buf, e->table);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
retention_event_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	RetentionEvents *e;
	RetentionPeriod p;
	int32		periods;
	int			mode;
	bool		censored;
	TimestampTz as_of;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "retention_event_deserialize called in non-aggregate context");
	buf.data = VARDATA_ANY(bytes);
	buf.len = VARSIZE_ANY_EXHDR(bytes);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	if (RetentionRecvPeriod(&buf, &p) != NULL)
		elog(ERROR, "invalid retention aggregate state");
	periods = RetentionCheckPeriods(pq_getmsgint(&buf, 4));
	mode = pq_getmsgbyte(&buf);
	censored = pq_getmsgbyte(&buf) != 0;
	as_of = pq_getmsgint64(&buf);
	e = EventsCreate(CurrentMemoryContext, &p, periods, mode, censored, as_of);
	e->table = KeyedRecv(&buf, CurrentMemoryContext, EVENTS_WIDTH(periods));
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(e);
}

/* The cohort counts of the entities seen, in the current memory context */
static RetentionSummary *
EventsSummary(const RetentionEvents *e)
{
	RetentionSummary *s = RetentionCreate(&e->period, e->periods);
	uint32		i;

	for (i = 0; i < KeyedCount(e->table); i++)
	{
		int64	   *row = KeyedRow(e->table, i);
		int64		reached = e->censored ?
			RetentionReached(&e->period, row[1], e->as_of) : e->periods;

		RetentionAddEntity(s, (uint64 *) (row + 2), reached);
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return s;
}

Datum
retention_event_curve(PG_FUNCTION_ARGS)
{
	RetentionEvents *e = (RetentionEvents *) PG_GETARG_POINTER(0);

	PG_RETURN_ARRAYTYPE_P(RetentionCurveArray(EventsSummary(e), e->mode));
}

Datum
retention_event_summary(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(EventsSummary((RetentionEvents *) PG_GETARG_POINTER(0)));
}


/*
 * ClickHouse retention(cond1, ..., condN), per entity: result[1] = any(cond1),
 * result[i] = any(cond1) AND any(cond_i).  The state is a bigint: bit i-1
 * set when cond_i held on some row, N in bits 32..39 (0 before the first
 * row).  NULL conditions count as false.
 */
#define CH_N(state)		((int) (((uint64) (state)) >> 32))
#define CH_BITS(state)	((uint32) (state))

Datum
clickhouse_retention_accum(PG_FUNCTION_ARGS)
{
	int64		state = PG_GETARG_INT64(0);
	ArrayType  *conds = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;
	uint32		bits = CH_BITS(state);

	deconstruct_array(conds, BOOLOID, 1, true, TYPALIGN_CHAR, &elems, &nulls, &n);
	if (n < 1 || n > CLICKHOUSE_MAX_CONDITIONS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention() takes 1 to %d conditions, not %d",
						CLICKHOUSE_MAX_CONDITIONS, n)));
	if (CH_N(state) != 0 && CH_N(state) != n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention() got %d conditions after %d", n, CH_N(state))));
	for (i = 0; i < n; i++)
		if (!nulls[i] && DatumGetBool(elems[i]))
			bits |= (uint32) 1 << i;
	PG_RETURN_INT64((int64) (((uint64) n << 32) | bits));
}

Datum
clickhouse_retention_combine(PG_FUNCTION_ARGS)
{
	int64		a = PG_GETARG_INT64(0);
	int64		b = PG_GETARG_INT64(1);

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
clickhouse_retention_final(PG_FUNCTION_ARGS)
{
	int64		state = PG_GETARG_INT64(0);
	int			n = CH_N(state);
	uint32		bits = CH_BITS(state);
	Datum		elems[CLICKHOUSE_MAX_CONDITIONS];
	int			i;

	if (n == 0 || n > CLICKHOUSE_MAX_CONDITIONS)
		PG_RETURN_NULL();
	for (i = 0; i < n; i++)
		elems[i] = Int16GetDatum((bits & 1) && ((bits >> i) & 1));
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, INT2OID, sizeof(int16), true, TYPALIGN_SHORT));
}
