/*-------------------------------------------------------------------------
 *
 * clv_summary.c
 *	  Historic CLV: the exact numeric sum of a customer's order values, as
 *	  clv_summary, the state of the clv() aggregates, the result of
 *	  clv_agg() and what rollup() merges.
 *
 * A clv_summary holds the number of values summed and their sum, exact: the
 * digits and the display scale (the largest of the values') that
 * sum(numeric) gives, NaN and the infinities as numeric arithmetic has them.
 * It follows pattern (a) of doc/conventions.md: a flat varlena updated in
 * place.  The sum is a numeric value plus a pending int64 count of units of
 * the largest display scale: a row whose value fits is added to the pending
 * count (its digits read from numeric's public wire format, numeric_send),
 * which costs a fraction of a numeric addition; other rows, and the pending
 * count when it would overflow, go into the numeric by numeric addition.
 * Everything that reads the sum (output, accessors, merges) adds the two;
 * the stored form (clv_agg, rollup, input) has nothing pending.  The numeric
 * has spare room after it, growing by a larger copy when its digits need
 * more.  Numeric's stored form is never read: only numeric's functions, its
 * wire format and its text.
 *
 * The moving-window inverse needs one more count, as core's numeric_accum_inv
 * keeps it: the values whose display scale is the sum's.  Removing the last
 * of them would leave the scale of the remaining sum unknown, so the inverse
 * gives up (returns NULL) and PostgreSQL recomputes the frame; it gives up
 * too when the sum is NaN or infinite, from which nothing can be taken back.
 *
 * See doc/clv.md.
 *
 *-------------------------------------------------------------------------
 */
#include "clv.h"

#include <ctype.h>
#include <math.h>

#include "common/int.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

#define CLV_FORMAT_VERSION 1

/*
 * numeric's limits (numeric.c): a display scale of at most 0x3FFF, and a
 * weight of at most 0x7FFF base-10000 digits, i.e. 131072 decimal digits
 * before the point
 */
#define CLV_MAX_SCALE			0x3FFF
#define CLV_MAX_INTEGER_DIGITS	131072

/* room left after the sum when a state grows: 8 more base-10000 digits */
#define CLV_SPARE_ROOM			16

#define DAYS_PER_YEAR 365.25	/* the Julian year, for annual discount rates */

/*
 * The in-memory and on-disk form; the text and binary forms do not depend on
 * it.  A numeric varlena follows the struct; the bytes after it up to the end
 * of the value are spare room.  The sum is that numeric plus pending units of
 * 10^-scale; the canonical form that the input functions and
 * clv_summary_final return has nothing pending, no spare room, and the
 * numeric is then the sum, of display scale "scale".
 */
typedef struct ClvSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* CLV_FORMAT_VERSION */
	uint8		reserved[3];	/* zero */
	int32		scale;			/* display scale of the sum; 0 if not finite */
	int32		reserved2;		/* zero */
	int64		count;			/* values summed */
	int64		scale_count;	/* of them, those of the sum's display scale */
	int64		pending;		/* units of 10^-scale not yet in the numeric */
} ClvSummary;

#define CLV_SUM(s)	((Numeric) ((char *) (s) + sizeof(ClvSummary)))
/* the smallest numeric: a 4-byte varlena header and a 2-byte header */
#define CLV_MIN_NUMERIC_SIZE	(VARHDRSZ + sizeof(uint16))

PG_FUNCTION_INFO_V1(clv_summary_in);
PG_FUNCTION_INFO_V1(clv_summary_out);
PG_FUNCTION_INFO_V1(clv_summary_recv);
PG_FUNCTION_INFO_V1(clv_summary_send);
PG_FUNCTION_INFO_V1(clv_summary_accum);
PG_FUNCTION_INFO_V1(clv_summary_deaccum);
PG_FUNCTION_INFO_V1(clv_summary_accum_margin);
PG_FUNCTION_INFO_V1(clv_summary_deaccum_margin);
PG_FUNCTION_INFO_V1(clv_summary_accum_discounted);
PG_FUNCTION_INFO_V1(clv_summary_deaccum_discounted);
PG_FUNCTION_INFO_V1(clv_summary_accum_discounted_timestamp);
PG_FUNCTION_INFO_V1(clv_summary_deaccum_discounted_timestamp);
PG_FUNCTION_INFO_V1(clv_summary_accum_discounted_timestamptz);
PG_FUNCTION_INFO_V1(clv_summary_deaccum_discounted_timestamptz);
PG_FUNCTION_INFO_V1(clv_summary_combine);
PG_FUNCTION_INFO_V1(clv_summary_uncombine);
PG_FUNCTION_INFO_V1(clv_summary_final);
PG_FUNCTION_INFO_V1(clv);
PG_FUNCTION_INFO_V1(clv_state_accum_margin);
KPI_FORMER_SYMBOL(clv_margin_accum, clv_state_accum_margin);
PG_FUNCTION_INFO_V1(clv_state_deaccum_margin);
KPI_FORMER_SYMBOL(clv_margin_deaccum, clv_state_deaccum_margin);
PG_FUNCTION_INFO_V1(clv_state_accum_discounted);
KPI_FORMER_SYMBOL(clv_discounted_accum, clv_state_accum_discounted);
PG_FUNCTION_INFO_V1(clv_state_deaccum_discounted);
KPI_FORMER_SYMBOL(clv_discounted_deaccum, clv_state_deaccum_discounted);


/* NaN or an infinity: a sum that absorbs every later value */
static inline bool
ClvSpecial(Numeric num)
{
	return numeric_is_nan(num) || numeric_is_inf(num);
}

/* The display scale of a finite numeric */
static inline int32
ClvScale(Numeric num)
{
	return DatumGetInt32(DirectFunctionCall1(numeric_scale, NumericGetDatum(num)));
}

static Numeric
ClvZero(void)
{
	return DatumGetNumeric(DirectFunctionCall1(int4_numeric, Int32GetDatum(0)));
}

static bool
ClvIsZero(Numeric num)
{
	return !ClvSpecial(num) &&
		DatumGetBool(DirectFunctionCall2(numeric_eq, NumericGetDatum(num),
										 NumericGetDatum(ClvZero())));
}

/* A summary of the given fields, with room spare bytes after the sum */
static ClvSummary *
ClvCreate(int64 count, int64 scale_count, int32 scale, Numeric sum, Size room)
{
	Size		size = sizeof(ClvSummary) + VARSIZE(sum) + room;
	ClvSummary *s = palloc0(size);

	SET_VARSIZE(s, size);
	s->version = CLV_FORMAT_VERSION;
	s->count = count;
	s->scale_count = scale_count;
	s->scale = scale;
	memcpy(CLV_SUM(s), sum, VARSIZE(sum));
	return s;
}

/* Is the sum NaN or infinite?  Its numeric is then the whole sum, nothing pending. */
static inline bool
ClvSpecialState(const ClvSummary *s)
{
	/* a finite sum of values has a scale count of at least 1 */
	return s->count > 0 && s->scale_count == 0;
}

/*
 * The sum of s: its numeric, or a new numeric adding what is pending (and
 * giving the sum its display scale: 1.50 + -1.50 is 0.00)
 */
static Numeric
ClvTotal(const ClvSummary *s)
{
	Numeric		sum = CLV_SUM(s);

	if (s->count == 0 || ClvSpecialState(s) ||
		(s->pending == 0 && ClvScale(sum) == s->scale))
		return sum;
	return numeric_add_opt_error(sum, KpiUnitsNumeric(s->pending, s->scale), NULL);
}

/*
 * Why (count, scale_count, sum) is not a summary, or NULL if it is: the sum
 * of no values is 0; a finite sum's display scale is that of at least one of
 * its values (all of them when it is 0); NaN and the infinities keep no scale.
 */
static const char *
ClvContentError(int64 count, int64 scale_count, Numeric sum)
{
	int32		scale;

	if (count < 0)
		return "The count must not be negative.";
	if (scale_count < 0 || scale_count > count)
		return "The scale count must lie between 0 and the count.";
	if (ClvSpecial(sum))
	{
		if (count == 0)
			return "The sum of no values must be 0.";
		if (scale_count != 0)
			return "The scale count of a sum that is NaN or infinite must be 0.";
		return NULL;
	}
	scale = ClvScale(sum);
	if (count == 0)
		return scale == 0 && ClvIsZero(sum) ? NULL : "The sum of no values must be 0.";
	if (scale_count == 0)
		return "The scale count of a finite sum must be at least 1: some value has the sum's display scale.";
	if (scale == 0 && scale_count != count)
		return "The scale count of a sum with display scale 0 must equal the count.";
	return NULL;
}

/*
 * Is str[0..len) a number as numeric output writes it, which numeric input
 * reads without error (within numeric's limits)?  Canonical form is checked
 * afterwards, by writing the number back.
 */
static bool
ClvNumberSyntax(const char *str, int len)
{
	int			i = 0,
				digits = 0;

	if ((len == 3 && strncmp(str, "NaN", 3) == 0) ||
		(CRM_NUMERIC_INFINITY &&
		 ((len == 8 && strncmp(str, "Infinity", 8) == 0) ||
		  (len == 9 && strncmp(str, "-Infinity", 9) == 0))))
		return true;
	if (i < len && str[i] == '-')
		i++;
	for (; i < len && isdigit((unsigned char) str[i]); i++)
		digits++;
	if (digits == 0 || digits > CLV_MAX_INTEGER_DIGITS)
		return false;
	if (i == len)
		return true;
	if (str[i++] != '.')
		return false;
	for (digits = 0; i < len && isdigit((unsigned char) str[i]); i++)
		digits++;
	return digits > 0 && digits <= CLV_MAX_SCALE && i == len;
}

/*
 * The numeric str[0..len) writes, or NULL (with *problem) if it is not a
 * number in the form numeric output gives it (one text per value)
 */
static Numeric
ClvParseNumber(const char *str, int len, const char **problem)
{
	char	   *text = pnstrdup(str, len);
	Numeric		num;

	*problem = "The sum must be a number as numeric writes it, such as \"-12.50\", \"0\" or \"NaN\".";
	if (!ClvNumberSyntax(text, len))
		return NULL;
	num = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(text),
											  ObjectIdGetDatum(InvalidOid),
											  Int32GetDatum(-1)));
	if (strcmp(DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num))),
			   text) != 0)
		return NULL;
	*problem = NULL;
	return num;
}

/* A summary from its text or binary fields, or NULL with *problem */
static ClvSummary *
ClvFromFields(int64 count, int64 scale_count, const char *sum, int len,
			  const char **problem)
{
	Numeric		num = ClvParseNumber(sum, len, problem);

	if (num == NULL || (*problem = ClvContentError(count, scale_count, num)) != NULL)
		return NULL;
	return ClvCreate(count, scale_count, ClvSpecial(num) ? 0 : ClvScale(num), num, 0);
}

/*
 * Is a stored value what this code writes?  The header check (full = false)
 * keeps every access in bounds; the full check reads the sum back through
 * numeric's text form, which must give the same bytes (so the sum is a valid
 * numeric in canonical form), and checks the counts against it.
 */
static bool
ClvValid(const void *value, bool full)
{
	const ClvSummary *s = value;
	Numeric		sum = CLV_SUM(s);
	char	   *text;
	const char *problem;
	Numeric		back;

	Numeric		total;

	if (VARSIZE(s) < sizeof(ClvSummary) + CLV_MIN_NUMERIC_SIZE ||
		s->version != CLV_FORMAT_VERSION ||
		!VARATT_IS_4B_U(sum) || VARSIZE(sum) < CLV_MIN_NUMERIC_SIZE ||
		VARSIZE(sum) > VARSIZE(s) - sizeof(ClvSummary) ||
		s->count < 0 || s->scale_count < 0 || s->scale_count > s->count ||
		s->scale < 0 || s->scale > CLV_MAX_SCALE)
		return false;
	if (!full)
		return true;
	text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(sum)));
	back = ClvParseNumber(text, strlen(text), &problem);
	if (back == NULL || VARSIZE(back) != VARSIZE(sum) ||
		memcmp(back, sum, VARSIZE(sum)) != 0)
		return false;
	if (ClvSpecial(sum))
		return s->pending == 0 && s->scale == 0 &&
			ClvContentError(s->count, s->scale_count, sum) == NULL;
	if (ClvScale(sum) > s->scale || (s->count == 0 && (s->pending != 0 || s->scale != 0)))
		return false;
	total = ClvTotal(s);
	return (s->count == 0 || ClvScale(total) == s->scale) &&
		ClvContentError(s->count, s->scale_count, total) == NULL;
}

static const KpiSummaryType ClvType = {"clv_summary", -1, ClvValid};

/* A clv_summary argument to read */
#define ClvGetArg(fcinfo, argno) \
	((ClvSummary *) KpiSummaryArg(fcinfo, argno, &ClvType))


/*
 * Text and binary I/O
 *
 * Text: {"version":1,"count":n,"scale_count":k,"sum":"123.45"} (valid JSON),
 * the sum as numeric writes it.
 * Binary: int8 version, int64 count, int64 scale_count, the sum's text as an
 * int32 length and its bytes (numeric's text: exact, and independent of
 * numeric's internal layout).
 */

static const char *const ClvShape =
"Expected {\"version\":1,\"count\":n,\"scale_count\":k,\"sum\":\"number\"}.";

static ClvSummary *
ClvParse(const char *str, const char **problem)
{
	KpiScanner	scan = {str};
	int64		count,
				scale_count;
	const char *sum;
	const char *end;

	*problem = ClvShape;
	if (!KpiScanVersion(&scan, CLV_FORMAT_VERSION, problem))
		return NULL;
	if (!KpiScanToken(&scan, ",") ||
		!KpiScanKey(&scan, "count") || !KpiScanInt64(&scan, &count) ||
		!KpiScanToken(&scan, ",") ||
		!KpiScanKey(&scan, "scale_count") || !KpiScanInt64(&scan, &scale_count) ||
		!KpiScanToken(&scan, ",") ||
		!KpiScanKey(&scan, "sum") || !KpiScanToken(&scan, "\""))
		return NULL;
	sum = scan.pos;
	end = strchr(sum, '"');
	if (end == NULL)
		return NULL;
	scan.pos = end + 1;
	if (!KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
		return NULL;
	return ClvFromFields(count, scale_count, sum, end - sum, problem);
}

Datum
clv_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *problem;
	ClvSummary *s = ClvParse(str, &problem);

	if (s == NULL)
		KPI_TEXT_INPUT_ERROR(fcinfo, ClvType.name, str, problem);
	PG_RETURN_POINTER(s);
}

static char *
ClvSumText(const ClvSummary *s)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(ClvTotal(s))));
}

Datum
clv_summary_out(PG_FUNCTION_ARGS)
{
	ClvSummary *s = ClvGetArg(fcinfo, 0);

	PG_RETURN_CSTRING(psprintf("{\"version\":%d,\"count\":" INT64_FORMAT ",\"scale_count\":" INT64_FORMAT ",\"sum\":\"%s\"}",
							   s->version, s->count, s->scale_count, ClvSumText(s)));
}

Datum
clv_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int64		count,
				scale_count;
	int			len;
	const char *sum;
	const char *problem;
	ClvSummary *s;

	KpiRecvVersion(buf, ClvType.name, CLV_FORMAT_VERSION);
	KpiRecvNeed(buf, ClvType.name, 2 * sizeof(int64), false);
	count = pq_getmsgint64(buf);
	scale_count = pq_getmsgint64(buf);
	len = KpiRecvCount(buf, ClvType.name, 4,
					   1 + CLV_MAX_INTEGER_DIGITS + 1 + CLV_MAX_SCALE, 1);
	sum = pq_getmsgbytes(buf, len);
	KpiRecvEnd(buf, ClvType.name);
	s = ClvFromFields(count, scale_count, sum, len, &problem);
	if (s == NULL)
		KpiBinaryInputError(ClvType.name, "%s", problem);
	PG_RETURN_POINTER(s);
}

Datum
clv_summary_send(PG_FUNCTION_ARGS)
{
	ClvSummary *s = ClvGetArg(fcinfo, 0);
	char	   *sum = ClvSumText(s);
	int			len = strlen(sum);
	StringInfoData buf;

	KpiSendVersion(&buf, s->version);
	pq_sendint64(&buf, s->count);
	pq_sendint64(&buf, s->scale_count);
	pq_sendint32(&buf, len);
	pq_sendbytes(&buf, sum, len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}


/* Arithmetic on summaries */

static void
ClvCountOverflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("clv_summary count overflows")));
}

static void
ClvNotAdded(int64 count, const ClvSummary *s)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot remove " INT64_FORMAT " values from a clv_summary of " INT64_FORMAT " values that does not hold them",
					count, s->count)));
}

/*
 * s with its numeric replaced by sum: in place when it fits, else in a
 * larger copy (in the current memory context) with room to grow
 */
static ClvSummary *
ClvStoreSum(ClvSummary *s, Numeric sum)
{
	ClvSummary *grown;

	if (likely(VARSIZE(sum) <= VARSIZE(s) - sizeof(ClvSummary)))
	{
		memcpy(CLV_SUM(s), sum, VARSIZE(sum));
		return s;
	}
	grown = ClvCreate(s->count, s->scale_count, s->scale, sum, CLV_SPARE_ROOM);
	grown->pending = s->pending;
	return grown;
}

/* s with what is pending added to its numeric, which is then the sum */
static ClvSummary *
ClvFold(ClvSummary *s)
{
	Numeric		total = ClvTotal(s);

	if (total == CLV_SUM(s))
		return s;
	s->pending = 0;
	return ClvStoreSum(s, total);
}

/*
 * s + (count values of sum, scale_count of them of its display scale), by
 * numeric addition
 */
static ClvSummary *
ClvAdd(ClvSummary *s, int64 count, int64 scale_count, Numeric sum)
{
	Numeric		result;
	int64		total_count;

	if (count == 0)
		return s;
	if (unlikely(pg_add_s64_overflow(s->count, count, &total_count)))
		ClvCountOverflow();
	s = ClvFold(s);
	s->count = total_count;
	result = numeric_add_opt_error(CLV_SUM(s), sum, NULL);
	/* finite only if both were */
	if (unlikely(ClvSpecial(result)))
	{
		s->scale = 0;
		s->scale_count = 0;
	}
	else
	{
		int32		scale = ClvScale(sum);

		if (scale > s->scale)
		{
			s->scale = scale;
			s->scale_count = scale_count;
		}
		else if (scale == s->scale)
			s->scale_count += scale_count;
	}
	return ClvStoreSum(s, result);
}

/*
 * s - (count values of sum, scale_count of them of its display scale), which
 * were added to s, by numeric subtraction; NULL (to give up, in a moving
 * window) when the display scale of what remains is unknown or the sum is
 * not finite
 */
static ClvSummary *
ClvRemove(ClvSummary *s, int64 count, int64 scale_count, Numeric sum)
{
	int64		remaining;
	int32		scale;
	Numeric		result;

	if (count == 0)
		return s;
	if (ClvSpecialState(s) || ClvSpecial(sum))
		return NULL;
	scale = ClvScale(sum);
	if (count > s->count || scale > s->scale)
		ClvNotAdded(count, s);
	remaining = s->count - count;
	if (remaining > 0 && scale == s->scale)
	{
		if (scale_count > s->scale_count || (scale_count == s->scale_count && scale == 0))
			ClvNotAdded(count, s);
		if (scale_count == s->scale_count)
			return NULL;		/* the largest scale left is unknown */
		if (s->scale_count - scale_count > remaining)
			ClvNotAdded(count, s);
	}
	else if (remaining > 0 && s->scale_count > remaining)
		ClvNotAdded(count, s);
	s = ClvFold(s);
	result = numeric_sub_opt_error(CLV_SUM(s), sum, NULL);
	if (remaining == 0)
	{
		if (!ClvIsZero(result))
			ClvNotAdded(count, s);
		s->count = 0;
		s->scale_count = 0;
		s->scale = 0;
		return ClvStoreSum(s, ClvZero());
	}
	if (scale == s->scale)
		s->scale_count -= scale_count;
	s->count = remaining;
	return ClvStoreSum(s, result);
}

/*
 * One value added to s: the fast path adds its units to what is pending,
 * first scaling the pending units to a larger display scale; a value that
 * does not fit, or NaN or an infinity, takes numeric addition
 */
static ClvSummary *
ClvAddValue(ClvSummary *s, Numeric value)
{
	KpiNumericWire w;
	int32		scale;
	int64		units,
				pending;

	if (unlikely(s->count == PG_INT64_MAX))
		ClvCountOverflow();
	if (unlikely(KpiNumericReadWire(value, &w) == NULL || ClvSpecialState(s)))
		return ClvAdd(s, 1, 1, value);
	scale = Max(s->scale, w.dscale);
	pending = s->pending;
	if (scale > s->scale && pending != 0 &&
		(scale - s->scale > KPI_MAX_POW10 ||
		 pg_mul_s64_overflow(pending, KpiPow10[scale - s->scale], &pending)))
		return ClvAdd(s, 1, 1, value);
	if (unlikely(!KpiNumericUnits(&w, scale, &units)))
		return ClvAdd(s, 1, 1, value);
	if (w.dscale > s->scale)
		s->scale_count = 1;
	else if (w.dscale == s->scale)
		s->scale_count++;
	s->scale = scale;
	s->count++;
	if (likely(!pg_add_s64_overflow(pending, units, &s->pending)))
		return s;
	/* the pending units overflow: into the numeric with them */
	s->pending = pending;
	s = ClvFold(s);
	s->pending = units;
	return s;
}

/* One value removed from s (the moving-window inverse); NULL to give up */
static ClvSummary *
ClvRemoveValue(ClvSummary *s, Numeric value)
{
	KpiNumericWire w;
	int64		units,
				pending;

	if (KpiNumericReadWire(value, &w) == NULL || ClvSpecialState(s))
		return NULL;
	if (s->count <= 1 || w.dscale > s->scale || !KpiNumericUnits(&w, s->scale, &units))
		return ClvRemove(s, 1, w.dscale == s->scale ? 1 : 0, value);
	if (w.dscale == s->scale)
	{
		/* (scale 0: every value has it, and more than one is left) */
		if (s->scale_count == 1)
			return NULL;		/* the largest scale left is unknown */
		s->scale_count--;
	}
	if (s->scale_count > s->count - 1)
		ClvNotAdded(1, s);
	s->count--;
	pending = s->pending;
	if (likely(!pg_sub_s64_overflow(pending, units, &s->pending)))
		return s;
	s->pending = pending;
	s = ClvFold(s);
	s->pending = -units;
	return s;
}


/*
 * Aggregate support.  clv(amount) and clv(amount, cost) start from the empty
 * summary given as INITCOND and are strict: PostgreSQL skips the rows with a
 * NULL input.  The discounted form is not, as a NULL reference date or rate
 * is an error, not a row to skip.
 */

/* The state to update in place, as the transition functions take it */
#define ClvGetState(fcinfo) ((ClvSummary *) KpiSummaryState(fcinfo, 0, &ClvType))

/* One value added: the state, or NULL to give up when removing */
static Datum
ClvRow(FunctionCallInfo fcinfo, Numeric value, bool remove)
{
	ClvSummary *s = ClvGetState(fcinfo);

	s = remove ? ClvRemoveValue(s, value) : ClvAddValue(s, value);
	if (s == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(s);
}

/* amount - cost, or NULL when either is NULL (the row is skipped) */
static Datum
ClvMargin(FunctionCallInfo fcinfo, bool *isnull)
{
	*isnull = PG_ARGISNULL(1) || PG_ARGISNULL(2);
	if (*isnull)
		return (Datum) 0;
	return DirectFunctionCall2(numeric_sub, PG_GETARG_DATUM(1), PG_GETARG_DATUM(2));
}

/* The type of the order and reference times of the discounted form */
typedef enum ClvTimeType
{
	CLV_DATE,
	CLV_TIMESTAMP,
	CLV_TIMESTAMPTZ
} ClvTimeType;

/* The text of order time argument 3, for a message */
static char *
ClvOrderText(FunctionCallInfo fcinfo, ClvTimeType type)
{
	PGFunction	out = type == CLV_DATE ? date_out :
		type == CLV_TIMESTAMP ? timestamp_out : timestamptz_out;

	return DatumGetCString(DirectFunctionCall1(out, PG_GETARG_DATUM(3)));
}

/*
 * The days from the order time (argument 3) to the reference time (4).  Of
 * dates, their difference; of timestamps, the microseconds between them
 * over 86,400,000,000, fractional: of timestamptz values, the absolute time
 * elapsed, whatever the time zone (a day across a daylight-saving change
 * may be 23 or 25 hours); of timestamp values, their wall-clock difference.
 * A difference beyond int64 microseconds (about 292,000 years) is taken in
 * double precision: its discount factor overflows for any rate but 0.
 */
static double
ClvElapsedDays(FunctionCallInfo fcinfo, ClvTimeType type)
{
	if (type == CLV_DATE)
	{
		DateADT		order_date = PG_GETARG_DATEADT(3);
		DateADT		reference = PG_GETARG_DATEADT(4);

		if (DATE_NOT_FINITE(order_date) || DATE_NOT_FINITE(reference))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("CLV order and reference dates must be finite")));
		return (double) reference - order_date;
	}
	else
	{
		/* timestamp and timestamptz are both int64 microseconds */
		Timestamp	order_time = PG_GETARG_TIMESTAMP(3);
		Timestamp	reference = PG_GETARG_TIMESTAMP(4);
		int64		usecs;

		if (TIMESTAMP_NOT_FINITE(order_time) || TIMESTAMP_NOT_FINITE(reference))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("CLV order and reference times must be finite")));
		if (pg_sub_s64_overflow(reference, order_time, &usecs))
			return ((double) reference - (double) order_time) / USECS_PER_DAY;
		return (double) usecs / USECS_PER_DAY;
	}
}

/*
 * The margin discounted to the reference time: (amount - cost) *
 * (1 + annual_rate) ^ (days from order to reference / 365.25).  The factor
 * is a double, taken into numeric with its 15 significant digits; the
 * products and their sum are exact numerics.
 */
static Datum
ClvDiscounted(FunctionCallInfo fcinfo, ClvTimeType type, bool *isnull)
{
	Datum		margin = ClvMargin(fcinfo, isnull);
	double		rate,
				days,
				factor;

	if (*isnull || PG_ARGISNULL(3))
	{
		*isnull = true;
		return (Datum) 0;
	}
	if (PG_ARGISNULL(4) || PG_ARGISNULL(5))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("CLV reference date and discount rate must not be null")));
	days = ClvElapsedDays(fcinfo, type);
	rate = PG_GETARG_FLOAT8(5);
	if (!(rate > -1) || !isfinite(rate))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("annual discount rate %g is out of range", rate),
				 errhint("The rate must be greater than -1, e.g. 0.1 for 10%% a year.")));
	factor = pow(1.0 + rate, days / DAYS_PER_YEAR);
	if (!isfinite(factor))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("discount factor overflows for order date %s",
						ClvOrderText(fcinfo, type))));
	return DirectFunctionCall2(numeric_mul, margin,
							   DirectFunctionCall1(float8_numeric, Float8GetDatum(factor)));
}

/* clv_summary_accum(state, amount): transition of clv(amount), clv_agg(amount) */
Datum
clv_summary_accum(PG_FUNCTION_ARGS)
{
	return ClvRow(fcinfo, PG_GETARG_NUMERIC(1), false);
}

Datum
clv_summary_deaccum(PG_FUNCTION_ARGS)
{
	return ClvRow(fcinfo, PG_GETARG_NUMERIC(1), true);
}

/* clv_summary_accum_margin(state, amount, cost): adds amount - cost */
Datum
clv_summary_accum_margin(PG_FUNCTION_ARGS)
{
	bool		isnull;

	return ClvRow(fcinfo, DatumGetNumeric(ClvMargin(fcinfo, &isnull)), false);
}

Datum
clv_summary_deaccum_margin(PG_FUNCTION_ARGS)
{
	bool		isnull;

	return ClvRow(fcinfo, DatumGetNumeric(ClvMargin(fcinfo, &isnull)), true);
}

/* The discounted margin of a row added or removed; a NULL one is skipped */
static Datum
ClvDiscountedRow(FunctionCallInfo fcinfo, ClvTimeType type, bool remove)
{
	bool		isnull;
	Datum		value;

	/* not strict: a direct call may pass no state */
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	value = ClvDiscounted(fcinfo, type, &isnull);
	if (isnull)
		PG_RETURN_POINTER(ClvGetState(fcinfo));
	return ClvRow(fcinfo, DatumGetNumeric(value), remove);
}

Datum
clv_summary_accum_discounted(PG_FUNCTION_ARGS)
{
	return ClvDiscountedRow(fcinfo, CLV_DATE, false);
}

Datum
clv_summary_deaccum_discounted(PG_FUNCTION_ARGS)
{
	return ClvDiscountedRow(fcinfo, CLV_DATE, true);
}

/* The discounted form on timestamp and on timestamptz order and reference times */
Datum
clv_summary_accum_discounted_timestamp(PG_FUNCTION_ARGS)
{
	return ClvDiscountedRow(fcinfo, CLV_TIMESTAMP, false);
}

Datum
clv_summary_deaccum_discounted_timestamp(PG_FUNCTION_ARGS)
{
	return ClvDiscountedRow(fcinfo, CLV_TIMESTAMP, true);
}

Datum
clv_summary_accum_discounted_timestamptz(PG_FUNCTION_ARGS)
{
	return ClvDiscountedRow(fcinfo, CLV_TIMESTAMPTZ, false);
}

Datum
clv_summary_deaccum_discounted_timestamptz(PG_FUNCTION_ARGS)
{
	return ClvDiscountedRow(fcinfo, CLV_TIMESTAMPTZ, true);
}

/* clv_summary_combine(a, b): a + b; combine, and rollup()'s step */
Datum
clv_summary_combine(PG_FUNCTION_ARGS)
{
	ClvSummary *a = KpiSummaryMergeState(fcinfo, 0, &ClvType);
	ClvSummary *b = ClvGetArg(fcinfo, 1);

	PG_RETURN_POINTER(ClvAdd(a, b->count, b->scale_count, ClvTotal(b)));
}

/* clv_summary_uncombine(a, b): a - b, the inverse of rollup(); NULL to give up */
Datum
clv_summary_uncombine(PG_FUNCTION_ARGS)
{
	ClvSummary *a = KpiSummaryMergeState(fcinfo, 0, &ClvType);
	ClvSummary *b = ClvGetArg(fcinfo, 1);

	a = ClvRemove(a, b->count, b->scale_count, ClvTotal(b));
	if (a == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(a);
}

/*
 * clv_summary_final(s): final function of clv_agg and rollup(clv_summary),
 * the summary in its canonical form (nothing pending, no spare room), so
 * that equal summaries are equal bytes
 */
Datum
clv_summary_final(PG_FUNCTION_ARGS)
{
	ClvSummary *s = KpiSummaryState(fcinfo, 0, &ClvType);
	Numeric		total = ClvTotal(s);

	if (total == CLV_SUM(s) && VARSIZE(s) == sizeof(ClvSummary) + VARSIZE(total))
		PG_RETURN_POINTER(s);
	PG_RETURN_POINTER(ClvCreate(s->count, s->scale_count, s->scale, total, 0));
}

/*
 * clv(s): the sum, NULL for no values.  Also the final function of the clv()
 * aggregates, whose state is taken unchecked as their transition functions
 * take it (KpiSummaryState); called on a value, it reads a checked copy.
 */
Datum
clv(PG_FUNCTION_ARGS)
{
	ClvSummary *s = KpiSummaryState(fcinfo, 0, &ClvType);
	Numeric		total;

	if (s->count == 0)
		PG_RETURN_NULL();
	total = ClvTotal(s);
	/* never a pointer into the state, which a window may change later */
	if (total == CLV_SUM(s))
		total = memcpy(palloc(VARSIZE(total)), total, VARSIZE(total));
	PG_RETURN_NUMERIC(total);
}


/*
 * The support functions of clv(amount, cost) and its discounted form in
 * 1.1.0, whose state is core's numeric accumulator (internal), for databases
 * not yet updated (ALTER EXTENSION crm_kpi UPDATE).  Each row's value is
 * handed to numeric_avg_accum / numeric_accum_inv, called with this call's
 * aggregate context so that the state lives in the aggregate's memory.
 */
static Datum
ClvCallCore(FunctionCallInfo fcinfo, PGFunction fn, Datum value, bool isnull)
{
	LOCAL_FCINFO(call, 2);
	Datum		result;

	InitFunctionCallInfoData(*call, fcinfo->flinfo, 2, InvalidOid,
							 fcinfo->context, NULL);
	call->args[0].value = PG_GETARG_DATUM(0);
	call->args[0].isnull = PG_ARGISNULL(0);
	call->args[1].value = value;
	call->args[1].isnull = isnull;
	result = fn(call);
	fcinfo->isnull = call->isnull;
	return result;
}

Datum
clv_state_accum_margin(PG_FUNCTION_ARGS)
{
	bool		isnull;
	Datum		value = ClvMargin(fcinfo, &isnull);

	return ClvCallCore(fcinfo, numeric_avg_accum, value, isnull);
}

Datum
clv_state_deaccum_margin(PG_FUNCTION_ARGS)
{
	bool		isnull;
	Datum		value = ClvMargin(fcinfo, &isnull);

	return ClvCallCore(fcinfo, numeric_accum_inv, value, isnull);
}

Datum
clv_state_accum_discounted(PG_FUNCTION_ARGS)
{
	bool		isnull;
	Datum		value = ClvDiscounted(fcinfo, CLV_DATE, &isnull);

	return ClvCallCore(fcinfo, numeric_avg_accum, value, isnull);
}

Datum
clv_state_deaccum_discounted(PG_FUNCTION_ARGS)
{
	bool		isnull;
	Datum		value = ClvDiscounted(fcinfo, CLV_DATE, &isnull);

	return ClvCallCore(fcinfo, numeric_accum_inv, value, isnull);
}
