/*-------------------------------------------------------------------------
 *
 * period.c
 *	  Retention periods: calendar days, ISO weeks and months in a time zone
 *	  (an aggregate's time_zone argument, else the session's), or rolling
 *	  periods of a fixed length from each entity's start; their indexes,
 *	  starts, names, time zones, and text and binary forms.  The retention,
 *	  cohort and MRR code of this directory share them.
 *
 *-------------------------------------------------------------------------
 */
#include "retention.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/timestamp.h"

/*
 * Periods
 */

static pg_tz *ZoneCanonical(pg_tz *tz);

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
 *		The period of a period length, an alignment ("calendar", the default
 *		when NULL, or "rolling") and a time zone.  Calendar periods are one
 *		day, one week (7 days) or one month in the zone; rolling ones any
 *		positive fixed length, whatever the zone.
 */
RetentionPeriod
RetentionPeriodFromArgs(const Interval *period, const char *alignment,
						pg_tz *tz)
{
	RetentionPeriod p = {0, 0, NULL};

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
		p.tz = ZoneCanonical(tz);
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
 * A time zone's UTC offsets, cached as intervals [lo, hi) of Unix
 * seconds over which the offset is constant.  timestamp2tm() would search the
 * zone's transitions (pg_localtime) for every row; the few intervals a data
 * set spans are learnt once from pg_next_dst_boundary(), which reports the
 * offset at a time and the next transition after it.  A cache of a pg_tz
 * stays valid: a zone's rules never change within a backend.  It holds one
 * zone: a query uses one.
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
	pg_tz	   *tz;
	int			n;
	int			next;			/* the entry to replace when full */
	OffsetInterval intervals[OFFSET_CACHE_SIZE];
}			OffsetCache;

static long int
ZoneOffset(pg_tz *tz, pg_time_t s)
{
	OffsetInterval *iv;
	long int	before_gmtoff,
				after_gmtoff;
	int			before_isdst,
				after_isdst;
	pg_time_t	boundary;
	int			found;
	int			i;

	if (OffsetCache.tz != tz)
	{
		OffsetCache.tz = tz;
		OffsetCache.n = OffsetCache.next = 0;
	}
	for (i = 0; i < OffsetCache.n; i++)
	{
		iv = &OffsetCache.intervals[i];
		if (iv->lo <= s && s < iv->hi)
			return iv->gmtoff;
	}

	found = pg_next_dst_boundary(&s, &before_gmtoff, &before_isdst, &boundary,
								 &after_gmtoff, &after_isdst, tz);
	if (found < 0)
		elog(ERROR, "could not find the UTC offset of time zone \"%s\"",
			 pg_get_timezone_name(tz));
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

/*
 * Months since 1970-01 of a day (days since 1970-01-01), in the proleptic
 * Gregorian calendar, as j2date() gives its year and month: H. Hinnant's
 * civil_from_days (https://howardhinnant.github.io/date_algorithms.html),
 * which counts years from March 1 so that the leap day ends a year, and
 * stops at the month: inline, no call, no day of the month (a one-step
 * monthly retention curve computes this for every event).  Checked against
 * j2date() for every day from JD -3 to past 294276-12-31 (the local days of
 * all valid timestamps): the same month for each.
 */
static inline int64
MonthOfDay(int64 days)
{
	int64		z = days + 719468;	/* days since 0000-03-01 */
	int64		era = FloorDiv(z, 146097);	/* 400-year cycles */

	/* within a cycle every quantity is small: unsigned 32-bit division */
	uint32		doe = (uint32) (z - era * 146097);	/* day of the cycle, 0..146096 */
	uint32		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint32		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);	/* 0..365 */
	uint32		mp = (5 * doy + 2) / 153;	/* months since March, 0..11 */

	/* month mp + 2 of the year from January, counted from 1970-01 */
	return (era * 400 + (int64) yoe) * MONTHS_PER_YEAR + (int64) mp + 2 - 1970 * MONTHS_PER_YEAR;
}

/* The calendar index of a local time (microseconds since 2000-01-01) */
static inline int64
LocalIndex(int unit, int64 local)
{
	int64		days = FloorDiv(local, USECS_PER_DAY) + (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE);

	if (unit == RETENTION_DAY)
		return days;
	if (unit == RETENTION_WEEK)
		return FloorDiv(days + 3, 7);
	return MonthOfDay(days);
}

/* The zone of calendar periods: the session's for 1.1.0's summaries */
static inline pg_tz *
PeriodZone(const RetentionPeriod *p)
{
	return p->tz != NULL ? p->tz : session_timezone;
}

/*
 * The index of the calendar period holding t, in the period's time zone:
 * days since 1970-01-01, weeks since Monday 1969-12-29, months since 1970-01.
 * The local time is computed as timestamp2tm() does it: t plus the offset at
 * Unix second t / 10^6 (truncated), then the day by floor division.
 */
static int64
CalendarIndex(const RetentionPeriod *p, TimestampTz t)
{
	int			unit = p->unit;
	pg_time_t	s;
	int64		local;
	int64		index;

	RetentionCheckFinite(t);
	s = t / USECS_PER_SEC + (pg_time_t) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;
	/* the local time may lie just past the valid range: plain int64 */
	if (pg_add_s64_overflow(t, (int64) ZoneOffset(PeriodZone(p), s) * USECS_PER_SEC, &local))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	index = LocalIndex(unit, local);
	if (!RetentionIndexValid(unit, index))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("the local %s of %s is out of range", UnitNames[unit],
						RetentionTimestampText(t)),
				 errdetail("The UTC offset of time zone \"%s\" is more than a day.",
						   pg_get_timezone_name(PeriodZone(p)))));
	return index;
}

/*
 * Is index the calendar index of a valid time in some time zone?  That is
 * the index of the periods holding the first and the last valid timestamp
 * in UTC, give or take one (a day's UTC offset).  Summaries hold only these
 * origins, text and binary alike.
 */
static int64 IndexBounds[RETENTION_MONTH + 1][2];

/* IndexBounds of a unit, computed once (kept off the per-row path) */
static pg_noinline void
IndexBoundsInit(int unit)
{
	IndexBounds[unit][0] = LocalIndex(unit, MIN_TIMESTAMP) - 1;
	IndexBounds[unit][1] = LocalIndex(unit, END_TIMESTAMP - 1) + 1;
}

bool
RetentionIndexValid(int unit, int64 index)
{
	Assert(unit >= RETENTION_DAY && unit <= RETENTION_MONTH);
	if (unlikely(IndexBounds[unit][1] == 0))
		IndexBoundsInit(unit);
	return index >= IndexBounds[unit][0] && index <= IndexBounds[unit][1];
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
	return CalendarIndex(p, start);
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
	if (pg_sub_s64_overflow(CalendarIndex(p, t), origin, &index))
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
	tz = DetermineTimeZoneOffset(&tm, PeriodZone(p));
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

/*
 * Time zones
 *
 * A zone is what pg_tzset() accepts (an IANA name, or a POSIX TZ string
 * like the session's for SET TIME ZONE INTERVAL '+05:30'), in the canonical
 * spelling pg_get_timezone_name() gives.  Two zones count the same periods
 * when they are one zone or both have one fixed UTC offset ("UTC" and
 * "Etc/UTC", which postgres_fdw's remote sessions and Debian's clusters use).
 */

/* Is a name a zone name a summary may hold?  JSON-safe characters only. */
bool
RetentionZoneNameValid(const char *name, int len)
{
	int			i;

	if (len < 1 || len > TZ_STRLEN_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char) name[i]) && strchr("/_+-<>:.,", name[i]) == NULL)
			return false;
	return true;
}

/*
 * The zone of a name, or NULL.  A row may look up two names (an argument as
 * typed, a summary's canonical one): the last few are remembered, so that a
 * row costs a comparison, not pg_tzset()'s hash lookup.
 */
#define ZONE_CACHE_SIZE 4

static pg_tz *
FindZone(const char *name, int len)
{
	static struct
	{
		int			len;
		char		name[TZ_STRLEN_MAX + 1];
		pg_tz	   *tz;
	}			cache[ZONE_CACHE_SIZE];
	static int	next;
	char		buf[TZ_STRLEN_MAX + 1];
	pg_tz	   *tz;
	int			i;

	for (i = 0; i < ZONE_CACHE_SIZE; i++)
		if (cache[i].tz != NULL && cache[i].len == len && memcmp(cache[i].name, name, len) == 0)
			return cache[i].tz;
	if (!RetentionZoneNameValid(name, len))
		return NULL;
	memcpy(buf, name, len);
	buf[len] = '\0';
	/* as the TimeZone setting: no zone with leap seconds */
	tz = pg_tzset(buf);
	if (tz == NULL || !pg_tz_acceptable(tz))
		return NULL;
	memcpy(cache[next].name, name, len);
	cache[next].len = len;
	cache[next].tz = tz;
	next = (next + 1) % ZONE_CACHE_SIZE;
	return tz;
}

static void
ZoneNotRecognized(const char *name, int len)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("time zone \"%s\" not recognized", pnstrdup(name, len)),
			 errhint("Pass a time zone name such as \"Europe/Paris\" or \"UTC\".")));
}

/* The period a summary holds (its unit, length and recorded zone name) */
RetentionPeriod
RetentionStoredPeriod(int unit, int64 length, const char *zone, int zone_len)
{
	RetentionPeriod p = {unit, length, NULL};

	if (zone_len > 0 && (p.tz = FindZone(zone, zone_len)) == NULL)
		ZoneNotRecognized(zone, zone_len);
	return p;
}

/*
 * The time zone argument argno: the session's when the call has no such
 * argument.  Either way a name a summary can record.
 */
pg_tz *
RetentionZoneArg(FunctionCallInfo fcinfo, int argno)
{
	static pg_tz *session_checked;
	text	   *name;
	pg_tz	   *tz;

	if (argno < 0 || PG_NARGS() <= argno)
	{
		if (session_timezone != session_checked)
		{
			const char *session = pg_get_timezone_name(session_timezone);

			if (!RetentionZoneNameValid(session, strlen(session)))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("time zone \"%s\" cannot be recorded in a summary", session),
						 errhint("Pass a time zone name such as \"Europe/Paris\" or \"UTC\".")));
			session_checked = session_timezone;
		}
		return session_timezone;
	}
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("time zone must not be null")));
	name = PG_GETARG_TEXT_PP(argno);
	if ((tz = FindZone(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name))) == NULL)
		ZoneNotRecognized(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));
	return tz;
}

/* The bytes of the zone name a summary of period p records (0: none) */
int
RetentionZoneLen(const RetentionPeriod *p)
{
	return p->tz != NULL ? strlen(pg_get_timezone_name(p->tz)) : 0;
}

void
RetentionCopyZone(char *dest, const RetentionPeriod *p)
{
	if (p->tz != NULL)
		memcpy(dest, pg_get_timezone_name(p->tz), RetentionZoneLen(p));
}

static bool
SameZone(pg_tz *a, pg_tz *b)
{
	long int	a_offset,
				b_offset;

	if (a == b)
		return true;
	if (a == NULL || b == NULL)
		return false;
	return pg_get_timezone_offset(a, &a_offset) && pg_get_timezone_offset(b, &b_offset) &&
		a_offset == b_offset;
}

/*
 * The zone a summary records for tz: "UTC" for every zone at UTC+0 for good
 * ("GMT" of postgres_fdw's remote sessions, "Etc/UTC" of Debian's clusters),
 * so that the same periods print the same; tz itself otherwise.
 */
static pg_tz *
ZoneCanonical(pg_tz *tz)
{
	static pg_tz *utc;
	long int	offset;

	if (!pg_get_timezone_offset(tz, &offset) || offset != 0)
		return tz;
	if (utc == NULL && (utc = pg_tzset("UTC")) == NULL)
		elog(ERROR, "could not load time zone \"UTC\"");
	return utc;
}

/* Error unless what (plural: "activity summaries") were counted in one zone */
void
RetentionCheckSameZone(const char *what, const RetentionPeriod *a, const RetentionPeriod *b)
{
	if (SameZone(a->tz, b->tz))
		return;
	if (a->tz != NULL && b->tz != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge %s counted in time zones \"%s\" and \"%s\"", what,
						pg_get_timezone_name(a->tz), pg_get_timezone_name(b->tz)),
				 errhint("Pass one time_zone argument to the aggregates that build them.")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot merge %s counted in time zone \"%s\" with one that does not record its time zone",
					what, pg_get_timezone_name(a->tz != NULL ? a->tz : b->tz)),
			 errhint("Summaries made by crm_kpi 1.1.0 do not record their time zone: build them again.")));
}

bool
RetentionSamePeriod(const RetentionPeriod *a, const RetentionPeriod *b)
{
	return a->unit == b->unit && a->length == b->length && SameZone(a->tz, b->tz);
}

const char *
RetentionPeriodName(const RetentionPeriod *p)
{
	if (p->unit == RETENTION_ROLLING)
		return psprintf("rolling " INT64_FORMAT " microseconds", p->length);
	return UnitNames[p->unit];
}

/*
 * "period":"month","time_zone":"Europe/Paris" or "period":"rolling","length":N
 * (format version 1: no time zone; version 2 omits it only for the calendar
 * periods of a version 1 value)
 */
void
RetentionAppendPeriod(StringInfo buf, const RetentionPeriod *p)
{
	appendStringInfo(buf, "\"period\":\"%s\"", UnitNames[p->unit]);
	if (p->unit == RETENTION_ROLLING)
		appendStringInfo(buf, ",\"length\":" INT64_FORMAT, p->length);
	if (p->tz != NULL)
	{
		appendStringInfoString(buf, ",\"time_zone\":");
		escape_json(buf, pg_get_timezone_name(p->tz));
	}
}

bool
RetentionScanPeriod(KpiScanner *scan, int version, RetentionPeriod *p,
					const char **problem)
{
	int			unit;
	KpiScanner	before_zone;

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
	p->tz = NULL;
	if (unit == RETENTION_ROLLING)
		return KpiScanToken(scan, ",") && KpiScanKey(scan, "length") && KpiScanInt64(scan, &p->length) &&
			p->length > 0;
	before_zone = *scan;
	if (version >= 2 && KpiScanToken(scan, ",") && KpiScanKey(scan, "time_zone"))
	{
		const char *name;
		const char *end;

		/* zone names need no escapes (RetentionZoneNameValid) */
		if (!KpiScanToken(scan, "\""))
			return false;
		name = scan->pos;
		if ((end = strchr(name, '"')) == NULL)
			return false;
		scan->pos = end + 1;
		if ((p->tz = FindZone(name, end - name)) == NULL)
		{
			*problem = psprintf("Time zone \"%s\" is not recognized.", pnstrdup(name, end - name));
			return false;
		}
	}
	else
		*scan = before_zone;
	return true;
}

/* Binary: int8 kind, int64 length, int8 n and n bytes of the zone name */
void
RetentionSendPeriod(StringInfo buf, const RetentionPeriod *p)
{
	int			zone_len = RetentionZoneLen(p);

	pq_sendbyte(buf, p->unit);
	pq_sendint64(buf, p->length);
	pq_sendbyte(buf, zone_len);
	if (zone_len > 0)
		pq_sendbytes(buf, pg_get_timezone_name(p->tz), zone_len);
}

/* Read a period of a format version; returns what is wrong with it, or NULL */
const char *
RetentionRecvPeriod(StringInfo buf, int version, RetentionPeriod *p)
{
	int			zone_len = 0;

	p->tz = NULL;
	if (buf->len - buf->cursor < (version >= 2 ? 10 : 9))
		return "The input is too short.";
	p->unit = pq_getmsgbyte(buf);
	p->length = pq_getmsgint64(buf);
	if (version >= 2)
		zone_len = pq_getmsgbyte(buf);
	if (p->unit < RETENTION_DAY || p->unit > RETENTION_ROLLING)
		return "The period kind is unknown.";
	if ((p->unit == RETENTION_ROLLING) != (p->length > 0) || p->length < 0)
		return "The period length does not match its kind.";
	if (zone_len > 0)
	{
		if (p->unit == RETENTION_ROLLING)
			return "Rolling periods have no time zone.";
		if (buf->len - buf->cursor < zone_len)
			return "The input is too short.";
		p->tz = FindZone(buf->data + buf->cursor, zone_len);
		buf->cursor += zone_len;
		if (p->tz == NULL)
			return "The time zone is not recognized.";
	}
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

/*
 * The arguments RetentionPeriodArgs last read at a call site, and what they
 * gave.  A text argument is kept when it is short (every alignment, most
 * zone names); a longer one is read again every row.
 */
#define PERIOD_MEMO_TEXT 64

typedef struct PeriodArgsMemo
{
	bool		valid;
	Interval	period;
	int32		periods;
	pg_tz	   *session;		/* session_timezone, when there is no zone argument */
	int			alignment_len;	/* -1: no alignment argument */
	int			zone_len;		/* -1: no zone argument */
	char		alignment[PERIOD_MEMO_TEXT];
	char		zone[PERIOD_MEMO_TEXT];
	RetentionPeriod result;
} PeriodArgsMemo;

/*
 * Text argument argno as it stands (-1 when the call has no such argument,
 * -2 when it is NULL or too long to keep): its length, its bytes in *data
 */
static inline int
MemoTextArg(FunctionCallInfo fcinfo, int argno, const char **data)
{
	text	   *t;
	int			len;

	if (argno < 0 || PG_NARGS() <= argno)
		return -1;
	if (PG_ARGISNULL(argno))
		return -2;
	t = PG_GETARG_TEXT_PP(argno);
	len = VARSIZE_ANY_EXHDR(t);
	*data = VARDATA_ANY(t);
	return len <= PERIOD_MEMO_TEXT ? len : -2;
}

static RetentionPeriod PeriodArgsRead(FunctionCallInfo fcinfo, int argno,
									  int alignment_argno, int zone_argno,
									  int32 *periods, int alignment_len,
									  const char *alignment, int zone_len,
									  const char *zone);

/*
 * The period and number of periods of arguments argno, argno + 1, with the
 * alignment and time zone arguments, where the call has them.
 *
 * The aggregates over events call this for every row, with the same
 * arguments (they must be: each row is checked against the state): reading
 * them (the unit, the alignment's text, the zone's lookup and canonical form)
 * was a tenth of a one-step retention curve's instructions.  The call site
 * (fn_extra, which no caller uses otherwise) keeps the arguments last read
 * and their result: when this row's are the same bytes, so is the result.
 */
RetentionPeriod
RetentionPeriodArgs(FunctionCallInfo fcinfo, int argno, int alignment_argno, int zone_argno,
					int32 *periods)
{
	PeriodArgsMemo *memo = (PeriodArgsMemo *) fcinfo->flinfo->fn_extra;
	const char *alignment = NULL;
	const char *zone = NULL;
	int			alignment_len;
	int			zone_len;
	Interval   *period;

	if (PG_ARGISNULL(argno) || PG_ARGISNULL(argno + 1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("retention period and number of periods must not be null")));
	period = PG_GETARG_INTERVAL_P(argno);
	alignment_len = MemoTextArg(fcinfo, alignment_argno, &alignment);
	zone_len = MemoTextArg(fcinfo, zone_argno, &zone);
	if (memo != NULL && memo->valid &&
		memo->periods == PG_GETARG_INT32(argno + 1) &&
		memcmp(&memo->period, period, sizeof(Interval)) == 0 &&
		alignment_len != -2 && memo->alignment_len == alignment_len &&
		(alignment_len < 0 || memcmp(memo->alignment, alignment, alignment_len) == 0) &&
		zone_len != -2 && memo->zone_len == zone_len &&
		(zone_len < 0 ? memo->session == session_timezone :
		 memcmp(memo->zone, zone, zone_len) == 0))
	{
		*periods = memo->periods;
		return memo->result;
	}

	return PeriodArgsRead(fcinfo, argno, alignment_argno, zone_argno, periods,
						  alignment_len, alignment, zone_len, zone);
}

/* RetentionPeriodArgs when the memo does not hold this row's arguments */
static pg_noinline RetentionPeriod
PeriodArgsRead(FunctionCallInfo fcinfo, int argno, int alignment_argno, int zone_argno,
			   int32 *periods, int alignment_len, const char *alignment,
			   int zone_len, const char *zone)
{
	PeriodArgsMemo *memo = (PeriodArgsMemo *) fcinfo->flinfo->fn_extra;
	Interval   *period = PG_GETARG_INTERVAL_P(argno);

	*periods = RetentionCheckPeriods(PG_GETARG_INT32(argno + 1));
	if (memo == NULL)
		fcinfo->flinfo->fn_extra = memo =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(PeriodArgsMemo));
	memo->valid = false;
	memo->result = RetentionPeriodFromArgs(period, AlignmentArg(fcinfo, alignment_argno),
										   RetentionZoneArg(fcinfo, zone_argno));
	if (alignment_len != -2 && zone_len != -2)
	{
		memo->period = *period;
		memo->periods = *periods;
		memo->session = session_timezone;
		memo->alignment_len = alignment_len;
		if (alignment_len > 0)
			memcpy(memo->alignment, alignment, alignment_len);
		memo->zone_len = zone_len;
		if (zone_len > 0)
			memcpy(memo->zone, zone, zone_len);
		memo->valid = true;
	}
	return memo->result;
}
