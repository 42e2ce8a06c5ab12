/*-------------------------------------------------------------------------
 *
 * period.c
 *	  Retention periods: calendar days, ISO weeks and months in the session
 *	  time zone, or rolling periods of a fixed length from each entity's
 *	  start; their indexes, starts, names, and text and binary forms.  The
 *	  retention, cohort and MRR code of this directory share them.
 *
 *-------------------------------------------------------------------------
 */
#include "retention.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

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
bool
RetentionTextIs(const text *t, const char *word)
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
			RetentionBadPeriod(period, "Calendar periods are 1 day, 1 week or 1 month; the aggregates that take an alignment also offer rolling periods of any length.");
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

static const char *const UnitNames[] = {NULL, "day", "week", "month", "rolling"};

/* Floor division, for calendar indexes before 1970 */
static inline int64
FloorDiv(int64 a, int64 b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/*
 * The session time zone's UTC offsets, cached as intervals [lo, hi) of Unix
 * seconds over which the offset is constant.  timestamp2tm() would search the
 * zone's transitions (pg_localtime) for every row; the few intervals a data
 * set spans are learnt once from pg_next_dst_boundary(), which reports the
 * offset at a time and the next transition after it.  A cache of a pg_tz
 * stays valid: a zone's rules never change within a backend.
 */
#define OFFSET_CACHE_SIZE 32

typedef struct OffsetInterval
{
	pg_time_t	lo;
	pg_time_t	hi;
	long int	gmtoff;			/* seconds east of UTC */
} OffsetInterval;

static struct
{
	const pg_tz *tz;
	int			n;
	int			next;			/* the entry to replace when full */
	OffsetInterval intervals[OFFSET_CACHE_SIZE];
}			OffsetCache;

static long int
SessionOffset(pg_time_t s)
{
	OffsetInterval *iv;
	long int	before_gmtoff,
				after_gmtoff;
	int			before_isdst,
				after_isdst;
	pg_time_t	boundary;
	int			found;
	int			i;

	if (OffsetCache.tz != session_timezone)
	{
		OffsetCache.tz = session_timezone;
		OffsetCache.n = OffsetCache.next = 0;
	}
	for (i = 0; i < OffsetCache.n; i++)
	{
		iv = &OffsetCache.intervals[i];
		if (iv->lo <= s && s < iv->hi)
			return iv->gmtoff;
	}

	found = pg_next_dst_boundary(&s, &before_gmtoff, &before_isdst, &boundary,
								 &after_gmtoff, &after_isdst, session_timezone);
	if (found < 0)
		elog(ERROR, "could not find the UTC offset of the session time zone");
	if (found == 0)
		boundary = PG_INT64_MAX;	/* no transition after s */

	/* the interval up to this boundary may be known from a later s already */
	for (i = 0; i < OffsetCache.n; i++)
	{
		iv = &OffsetCache.intervals[i];
		if (iv->hi == boundary && iv->gmtoff == before_gmtoff)
		{
			iv->lo = Min(iv->lo, s);
			return before_gmtoff;
		}
	}
	if (OffsetCache.n < OFFSET_CACHE_SIZE)
		iv = &OffsetCache.intervals[OffsetCache.n++];
	else
	{
		iv = &OffsetCache.intervals[OffsetCache.next];
		OffsetCache.next = (OffsetCache.next + 1) % OFFSET_CACHE_SIZE;
	}
	iv->lo = s;
	iv->hi = boundary;
	iv->gmtoff = before_gmtoff;
	return before_gmtoff;
}

/* The calendar index of a local time (microseconds since 2000-01-01) */
static int64
LocalIndex(int unit, int64 local)
{
	int64		days = FloorDiv(local, USECS_PER_DAY) + (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE);
	int			year,
				month,
				day;

	if (unit == RETENTION_DAY)
		return days;
	if (unit == RETENTION_WEEK)
		return FloorDiv(days + 3, 7);
	j2date((int) (days + UNIX_EPOCH_JDATE), &year, &month, &day);
	return ((int64) year - 1970) * MONTHS_PER_YEAR + month - 1;
}

/*
 * The index of the calendar period holding t, in the session time zone:
 * days since 1970-01-01, weeks since Monday 1969-12-29, months since 1970-01.
 * The local time is computed as timestamp2tm() does it: t plus the offset at
 * Unix second t / 10^6 (truncated), then the day by floor division.
 */
static int64
CalendarIndex(int unit, TimestampTz t)
{
	pg_time_t	s;
	int64		local;
	int64		index;

	RetentionCheckFinite(t);
	s = t / USECS_PER_SEC + (pg_time_t) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;
	/* the local time may lie just past the valid range: plain int64 */
	if (pg_add_s64_overflow(t, (int64) SessionOffset(s) * USECS_PER_SEC, &local))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	index = LocalIndex(unit, local);
	if (!RetentionIndexValid(unit, index))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("the local %s of %s is out of range", UnitNames[unit],
						RetentionTimestampText(t)),
				 errdetail("The session time zone's UTC offset is more than a day.")));
	return index;
}

/*
 * Is index the calendar index of a valid time in some time zone?  That is
 * the index of the periods holding the first and the last valid timestamp
 * in UTC, give or take one (a day's UTC offset).  Summaries hold only these
 * origins, text and binary alike.
 */
bool
RetentionIndexValid(int unit, int64 index)
{
	static int64 bounds[RETENTION_MONTH + 1][2];

	Assert(unit >= RETENTION_DAY && unit <= RETENTION_MONTH);
	if (bounds[unit][1] == 0)
	{
		bounds[unit][0] = LocalIndex(unit, MIN_TIMESTAMP) - 1;
		bounds[unit][1] = LocalIndex(unit, END_TIMESTAMP - 1) + 1;
	}
	return index >= bounds[unit][0] && index <= bounds[unit][1];
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
	int64		index;

	if (p->unit == RETENTION_ROLLING)
	{
		int64		diff;

		RetentionCheckFinite(t);
		/* timestamps 4713 BC and 294276 AD apart overflow: beyond any period */
		if (pg_sub_s64_overflow(t, origin, &diff))
			return t > origin ? PG_INT64_MAX : PG_INT64_MIN;
		return FloorDiv(diff, p->length);
	}
	if (pg_sub_s64_overflow(CalendarIndex(p->unit, t), origin, &index))
		return origin < 0 ? PG_INT64_MAX : PG_INT64_MIN;
	return index;
}

/*
 * When period k after origin begins, in *result; false when that is not a
 * valid timestamp.  Never errors, so that messages can use it.
 */
bool
RetentionTryPeriodStart(const RetentionPeriod *p, int64 origin, int64 k,
						TimestampTz *result)
{
	struct pg_tm tm;
	int64		index;
	int			tz;

	if (p->unit == RETENTION_ROLLING)
	{
		int64		offset;

		if (pg_mul_s64_overflow(k, p->length, &offset) || TIMESTAMP_NOT_FINITE(origin))
			return false;
		/* origin + offset may leave the int64 range only beyond valid times */
		if (pg_add_s64_overflow(origin, offset, result))
			return false;
		return IS_VALID_TIMESTAMP(*result);
	}

	/* calendar indexes of valid times are far inside the int range */
	if (pg_add_s64_overflow(origin, k, &index) ||
		index < -PG_INT32_MAX || index > PG_INT32_MAX)
		return false;
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
			return false;
		j2date((int) (days + UNIX_EPOCH_JDATE), &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	}
	/* both check the Julian range before any arithmetic on the date */
	tz = DetermineTimeZoneOffset(&tm, session_timezone);
	return tm2timestamp(&tm, 0, &tz, result) == 0;
}

/* When period k after origin begins; 22008 beyond the valid timestamps */
TimestampTz
RetentionPeriodStart(const RetentionPeriod *p, int64 origin, int64 k)
{
	TimestampTz result;

	if (!RetentionTryPeriodStart(p, origin, k, &result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range"),
				 errdetail("Period " INT64_FORMAT " begins outside the range of valid timestamps.", k)));
	return result;
}

/* A timestamp for a message; timestamptz_to_str's buffer is static */
char *
RetentionTimestampText(TimestampTz t)
{
	return pstrdup(timestamptz_to_str(t));
}

bool
RetentionSamePeriod(const RetentionPeriod *a, const RetentionPeriod *b)
{
	return a->unit == b->unit && a->length == b->length;
}

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

	if (!KpiScanKey(scan, "period"))
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
		return KpiScanToken(scan, ",") && KpiScanKey(scan, "length") && KpiScanInt64(scan, &p->length) &&
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
	if (RetentionTextIs(PG_GETARG_TEXT_PP(argno), "calendar"))
		return "calendar";
	if (RetentionTextIs(PG_GETARG_TEXT_PP(argno), "rolling"))
		return "rolling";
	return text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

/* The period and number of periods of arguments argno, argno + 1 */
RetentionPeriod
RetentionPeriodArgs(FunctionCallInfo fcinfo, int argno, int alignment_argno, int32 *periods)
{
	if (PG_ARGISNULL(argno) || PG_ARGISNULL(argno + 1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("retention period and number of periods must not be null")));
	*periods = RetentionCheckPeriods(PG_GETARG_INT32(argno + 1));
	return RetentionPeriodFromArgs(PG_GETARG_INTERVAL_P(argno),
								   AlignmentArg(fcinfo, alignment_argno));
}
