/*-------------------------------------------------------------------------
 *
 * pipeline_hygiene.c
 *	  Pipeline transparency: pipeline_hygiene_summary, the mergeable summary
 *	  of how complete and how fresh the records of open deals (or contacts)
 *	  are.  "Do reps have the whole customer context; missing information
 *	  stops deals" (doc/pipeline.md, "Pipeline hygiene").
 *
 * A summary counts records and sums their amounts: all of them, the stale
 * ones (no activity nor stage change within stale_days days before as_of),
 * those without a next step, those without a close date, and those with
 * every required field filled; and it counts, field by field, the records
 * with that field filled.  Two summaries of the same fields, as_of and
 * stale_days merge by adding everything, so the type is the aggregate's
 * state, is combined in parallel plans and merged by rollup() per owner,
 * stage or any coarser grouping.
 *
 * Amounts are doubles summed with compensated (Neumaier) summation: a sum
 * is within a few units in the last place of the exact one, whatever the
 * plan (not to the bit: doc/pipeline.md says so).  The stored form folds the
 * compensation in.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

#define HYGIENE_FORMAT_VERSION	1
#define HYGIENE_MAX_FIELDS		64
/* days whose microseconds fit in a uint64: floor(2^64 / 86400e6) */
#define HYGIENE_MAX_WINDOW_DAYS	INT64CONST(213503982)

/* flags */
#define HYGIENE_STALENESS		0x01	/* as_of and stale_days are set */

/* The counted categories, in text and binary order */
#define HYG_STALE			0
#define HYG_NO_NEXT_STEP	1
#define HYG_NO_CLOSE_DATE	2
#define HYG_COMPLETE		3
#define HYG_NCATEGORIES		4

/*
 * The in-memory and on-disk form; the text and binary forms do not depend on
 * it.  amounts[0] sums every record, amounts[1 + c] those of category c.
 * An empty summary (no records) has no fields and no staleness parameters:
 * it merges with any other.
 */
typedef struct HygieneSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* HYGIENE_FORMAT_VERSION */
	uint8		flags;			/* HYGIENE_* */
	int16		nfields;		/* required fields, 0 .. HYGIENE_MAX_FIELDS */
	int32		stale_days;		/* >= 0 with HYGIENE_STALENESS, else 0 */
	TimestampTz as_of;			/* finite with HYGIENE_STALENESS, else 0 */
	int64		records;
	int64		counts[HYG_NCATEGORIES];
	KpiSum		amounts[HYG_NCATEGORIES + 1];
	int64		filled[FLEXIBLE_ARRAY_MEMBER];	/* records with field k filled */
} HygieneSummary;

#define HYGIENE_BYTES(nfields) \
	(offsetof(HygieneSummary, filled) + sizeof(int64) * (Size) (nfields))

static const char *const HygieneCategoryNames[HYG_NCATEGORIES] = {
	"stale", "no_next_step", "no_close_date", "complete"
};

PG_FUNCTION_INFO_V1(pipeline_hygiene_summary_in);
PG_FUNCTION_INFO_V1(pipeline_hygiene_summary_out);
PG_FUNCTION_INFO_V1(pipeline_hygiene_summary_recv);
PG_FUNCTION_INFO_V1(pipeline_hygiene_summary_send);
PG_FUNCTION_INFO_V1(pipeline_hygiene_summary_accum);
PG_FUNCTION_INFO_V1(pipeline_hygiene_summary_accum_numeric);
PG_FUNCTION_INFO_V1(pipeline_hygiene_summary_accum_fields);
PG_FUNCTION_INFO_V1(pipeline_hygiene_summary_combine);
PG_FUNCTION_INFO_V1(pipeline_hygiene_summary_final);
PG_FUNCTION_INFO_V1(pipeline_hygiene_records);
PG_FUNCTION_INFO_V1(pipeline_hygiene_amount);
PG_FUNCTION_INFO_V1(pipeline_hygiene_as_of);
PG_FUNCTION_INFO_V1(pipeline_hygiene_stale_days);
PG_FUNCTION_INFO_V1(pipeline_stale_deals);
PG_FUNCTION_INFO_V1(pipeline_stale_amount);
PG_FUNCTION_INFO_V1(pipeline_stale_share);
PG_FUNCTION_INFO_V1(pipeline_deals_without_next_step);
PG_FUNCTION_INFO_V1(pipeline_amount_without_next_step);
PG_FUNCTION_INFO_V1(pipeline_deals_without_close_date);
PG_FUNCTION_INFO_V1(pipeline_amount_without_close_date);
PG_FUNCTION_INFO_V1(pipeline_complete_records);
PG_FUNCTION_INFO_V1(pipeline_complete_amount);
PG_FUNCTION_INFO_V1(pipeline_completeness);
PG_FUNCTION_INFO_V1(pipeline_field_filled_counts);


/*
 * Why a summary is not one this code writes, or NULL.  Sizes are checked by
 * the caller.  The amounts are finite and non-negative (so are the amounts
 * added), each category counts at most every record.
 */
static const char *
HygieneError(const HygieneSummary *s)
{
	int			c;

	if (s->flags & ~HYGIENE_STALENESS)
		return "Unknown flags.";
	if (s->nfields < 0 || s->nfields > HYGIENE_MAX_FIELDS)
		return "The number of required fields must be 0 to 64.";
	if (s->records < 0)
		return "The number of records must not be negative.";
	if (s->flags & HYGIENE_STALENESS)
	{
		if (s->stale_days < 0)
			return "stale_days must not be negative.";
		if (TIMESTAMP_NOT_FINITE(s->as_of) || !IS_VALID_TIMESTAMP(s->as_of))
			return "as_of must be a finite timestamp.";
	}
	else if (s->stale_days != 0 || s->as_of != 0 || s->counts[HYG_STALE] != 0 ||
			 KpiSumValue(&s->amounts[1 + HYG_STALE]) != 0.0)
		return "A summary without as_of has no stale records.";
	if (s->records == 0 && (s->nfields != 0 || s->flags != 0))
		return "An empty summary has no fields and no as_of.";
	for (c = 0; c < HYG_NCATEGORIES; c++)
		if (s->counts[c] < 0 || s->counts[c] > s->records)
			return "Each count must be 0 to the number of records.";
	for (c = 0; c <= HYG_NCATEGORIES; c++)
	{
		double		v = KpiSumValue(&s->amounts[c]);

		if (!isfinite(s->amounts[c].sum) || !isfinite(s->amounts[c].comp) ||
			!isfinite(v) || v < 0.0)
			return "Each amount must be finite and not negative.";
		if (s->records == 0 && v != 0.0)
			return "An empty summary has no amounts.";
	}
	for (c = 0; c < s->nfields; c++)
		if (s->filled[c] < 0 || s->filled[c] > s->records)
			return "Each filled count must be 0 to the number of records.";
	return NULL;
}

static bool
HygieneValid(const void *value, bool full)
{
	const HygieneSummary *s = value;

	if (VARSIZE(s) < HYGIENE_BYTES(0) || s->version != HYGIENE_FORMAT_VERSION ||
		s->nfields < 0 || s->nfields > HYGIENE_MAX_FIELDS ||
		VARSIZE(s) != HYGIENE_BYTES(s->nfields))
		return false;
	return !full || HygieneError(s) == NULL;
}

static const KpiSummaryType HygieneType = {"pipeline_hygiene_summary", -1, HygieneValid};

#define HygieneGetArg(fcinfo, argno) \
	((HygieneSummary *) KpiSummaryArg(fcinfo, argno, &HygieneType))

/* An empty summary of nfields fields, in the current memory context */
static HygieneSummary *
HygieneCreate(int nfields)
{
	HygieneSummary *s = palloc0(HYGIENE_BYTES(nfields));

	SET_VARSIZE(s, HYGIENE_BYTES(nfields));
	s->version = HYGIENE_FORMAT_VERSION;
	s->nfields = nfields;
	return s;
}

static void
HygieneOverflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("pipeline_hygiene_summary count or amount overflows")));
}

static void
HygieneAddCount(int64 *into, int64 n)
{
	if (unlikely(pg_add_s64_overflow(*into, n, into)))
		HygieneOverflow();
}

static void
HygieneAddAmount(KpiSum *into, const KpiSum *from)
{
	if (unlikely(!KpiSumMerge(into, from)))
		HygieneOverflow();
}

/* Staleness parameters as text, for messages */
static char *
HygieneParams(const HygieneSummary *s)
{
	if (!(s->flags & HYGIENE_STALENESS))
		return pstrdup("no as_of");
	return psprintf("as_of %s, stale_days %d", timestamptz_to_str(s->as_of), s->stale_days);
}

/*
 * The summaries of one aggregate or merge must describe the same fields with
 * the same staleness; an empty one fits any.
 */
static void
HygieneCheckCompatible(const HygieneSummary *a, const HygieneSummary *b)
{
	if (a->nfields != b->nfields)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge pipeline hygiene summaries of %d and %d required fields",
						a->nfields, b->nfields),
				 errhint("Pass the same required fields, in the same order, for every record.")));
	if (a->flags != b->flags ||
		((a->flags & HYGIENE_STALENESS) &&
		 (a->as_of != b->as_of || a->stale_days != b->stale_days)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge pipeline hygiene summaries of %s and of %s",
						HygieneParams(a), HygieneParams(b)),
				 errhint("Staleness is measured at one as_of and one stale_days per summary.")));
}

/* a += b, a non-empty and compatible */
static void
HygieneMergeInto(HygieneSummary *a, const HygieneSummary *b)
{
	int			c;

	HygieneAddCount(&a->records, b->records);
	for (c = 0; c < HYG_NCATEGORIES; c++)
		HygieneAddCount(&a->counts[c], b->counts[c]);
	for (c = 0; c <= HYG_NCATEGORIES; c++)
		HygieneAddAmount(&a->amounts[c], &b->amounts[c]);
	for (c = 0; c < a->nfields; c++)
		HygieneAddCount(&a->filled[c], b->filled[c]);
}


/*
 * Text and binary I/O
 *
 * Text (valid JSON):
 *   {"version":1,"records":n,"amount":x,"stale":[k,x],"no_next_step":[k,x],
 *    "no_close_date":[k,x],"complete":[k,x],"filled":[k,...],
 *    "as_of":microseconds|null,"stale_days":d|null}
 * as_of is in PostgreSQL's microseconds since 2000-01-01 00:00 UTC (the
 * accessor hygiene_as_of() gives it as a timestamptz).  Amounts are the sums
 * with their compensation folded in.
 * Binary: int8 version, int8 flags, int16 nfields, int32 stale_days,
 * int64 as_of, int64 records, then per category int64 count, and float8
 * amounts (all, then per category), and nfields int64 filled counts.
 */

static void
HygieneAppendPair(StringInfo buf, const char *name, int64 count, const KpiSum *amount)
{
	appendStringInfo(buf, ",\"%s\":[" INT64_FORMAT ",", name, count);
	KpiAppendFloat8(buf, KpiSumValue(amount));
	appendStringInfoChar(buf, ']');
}

static bool
HygieneScanNullableInt64(KpiScanner *scan, int64 *value, bool *isnull)
{
	*isnull = KpiScanToken(scan, "null");
	if (*isnull)
	{
		*value = 0;
		return true;
	}
	return KpiScanInt64(scan, value);
}

static HygieneSummary *
HygieneParse(const char *str, const char **problem)
{
	KpiScanner	scan = {str};
	int64		records,
				counts[HYG_NCATEGORIES],
				filled[HYGIENE_MAX_FIELDS],
				as_of,
				stale_days;
	double		amounts[HYG_NCATEGORIES + 1];
	bool		as_of_null,
				days_null;
	int			nfields = 0,
				c;
	HygieneSummary *s;

	*problem = "Expected {\"version\":1,\"records\":n,\"amount\":x,\"stale\":[k,x],\"no_next_step\":[k,x],\"no_close_date\":[k,x],\"complete\":[k,x],\"filled\":[k,...],\"as_of\":t,\"stale_days\":d}.";
	if (!KpiScanVersion(&scan, HYGIENE_FORMAT_VERSION, problem))
		return NULL;
	if (!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "records") ||
		!KpiScanInt64(&scan, &records) || !KpiScanToken(&scan, ",") ||
		!KpiScanKey(&scan, "amount") || !KpiScanFloat8(&scan, &amounts[0]))
		return NULL;
	for (c = 0; c < HYG_NCATEGORIES; c++)
		if (!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, HygieneCategoryNames[c]) ||
			!KpiScanToken(&scan, "[") || !KpiScanInt64(&scan, &counts[c]) ||
			!KpiScanToken(&scan, ",") || !KpiScanFloat8(&scan, &amounts[1 + c]) ||
			!KpiScanToken(&scan, "]"))
			return NULL;
	if (!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "filled") ||
		!KpiScanToken(&scan, "["))
		return NULL;
	if (!KpiScanToken(&scan, "]"))
	{
		do
		{
			if (nfields == HYGIENE_MAX_FIELDS)
			{
				*problem = "The number of required fields must be 0 to 64.";
				return NULL;
			}
			if (!KpiScanInt64(&scan, &filled[nfields++]))
				return NULL;
		} while (KpiScanToken(&scan, ","));
		if (!KpiScanToken(&scan, "]"))
			return NULL;
	}
	if (!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "as_of") ||
		!HygieneScanNullableInt64(&scan, &as_of, &as_of_null) ||
		!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "stale_days") ||
		!HygieneScanNullableInt64(&scan, &stale_days, &days_null) ||
		!KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
		return NULL;
	if (as_of_null != days_null)
	{
		*problem = "as_of and stale_days are both null or both set.";
		return NULL;
	}
	if (!days_null && (stale_days < 0 || stale_days > PG_INT32_MAX))
	{
		*problem = "stale_days must be 0 to 2147483647.";
		return NULL;
	}
	s = HygieneCreate(nfields);
	s->records = records;
	if (!as_of_null)
	{
		s->flags = HYGIENE_STALENESS;
		s->as_of = as_of;
		s->stale_days = (int32) stale_days;
	}
	for (c = 0; c < HYG_NCATEGORIES; c++)
		s->counts[c] = counts[c];
	for (c = 0; c <= HYG_NCATEGORIES; c++)
		s->amounts[c].sum = amounts[c];
	for (c = 0; c < nfields; c++)
		s->filled[c] = filled[c];
	*problem = HygieneError(s);
	return *problem == NULL ? s : NULL;
}

Datum
pipeline_hygiene_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *problem;
	HygieneSummary *s = HygieneParse(str, &problem);

	if (s == NULL)
		KPI_TEXT_INPUT_ERROR(fcinfo, HygieneType.name, str, problem);
	PG_RETURN_POINTER(s);
}

Datum
pipeline_hygiene_summary_out(PG_FUNCTION_ARGS)
{
	HygieneSummary *s = HygieneGetArg(fcinfo, 0);
	StringInfoData buf;
	int			c;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d,\"records\":" INT64_FORMAT ",\"amount\":",
					 s->version, s->records);
	KpiAppendFloat8(&buf, KpiSumValue(&s->amounts[0]));
	for (c = 0; c < HYG_NCATEGORIES; c++)
		HygieneAppendPair(&buf, HygieneCategoryNames[c], s->counts[c], &s->amounts[1 + c]);
	appendStringInfoString(&buf, ",\"filled\":[");
	for (c = 0; c < s->nfields; c++)
		appendStringInfo(&buf, "%s" INT64_FORMAT, c > 0 ? "," : "", s->filled[c]);
	if (s->flags & HYGIENE_STALENESS)
		appendStringInfo(&buf, "],\"as_of\":" INT64_FORMAT ",\"stale_days\":%d}",
						 (int64) s->as_of, s->stale_days);
	else
		appendStringInfoString(&buf, "],\"as_of\":null,\"stale_days\":null}");
	PG_RETURN_CSTRING(buf.data);
}

Datum
pipeline_hygiene_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const char *name = HygieneType.name;
	HygieneSummary *s;
	int			flags,
				nfields,
				c;
	const char *problem;

	KpiRecvVersion(buf, name, HYGIENE_FORMAT_VERSION);
	KpiRecvNeed(buf, name, 1 + 2 + 4 + 8 + 8 + 8 * HYG_NCATEGORIES + 8 * (HYG_NCATEGORIES + 1),
				false);
	flags = pq_getmsgint(buf, 1);
	nfields = (int16) pq_getmsgint(buf, 2);
	if (nfields < 0 || nfields > HYGIENE_MAX_FIELDS)
		KpiBinaryInputError(name, "The number of required fields must be 0 to 64.");
	s = HygieneCreate(nfields);
	s->flags = flags;
	s->stale_days = (int32) pq_getmsgint(buf, 4);
	s->as_of = pq_getmsgint64(buf);
	s->records = pq_getmsgint64(buf);
	for (c = 0; c < HYG_NCATEGORIES; c++)
		s->counts[c] = pq_getmsgint64(buf);
	for (c = 0; c <= HYG_NCATEGORIES; c++)
		s->amounts[c].sum = pq_getmsgfloat8(buf);
	KpiRecvNeed(buf, name, 8 * (int64) nfields, true);
	for (c = 0; c < nfields; c++)
		s->filled[c] = pq_getmsgint64(buf);
	KpiRecvEnd(buf, name);
	if ((problem = HygieneError(s)) != NULL)
		KpiBinaryInputError(name, "%s", problem);
	PG_RETURN_POINTER(s);
}

Datum
pipeline_hygiene_summary_send(PG_FUNCTION_ARGS)
{
	HygieneSummary *s = HygieneGetArg(fcinfo, 0);
	StringInfoData buf;
	int			c;

	KpiSendVersion(&buf, s->version);
	pq_sendint8(&buf, s->flags);
	pq_sendint16(&buf, s->nfields);
	pq_sendint32(&buf, s->stale_days);
	pq_sendint64(&buf, s->as_of);
	pq_sendint64(&buf, s->records);
	for (c = 0; c < HYG_NCATEGORIES; c++)
		pq_sendint64(&buf, s->counts[c]);
	for (c = 0; c <= HYG_NCATEGORIES; c++)
		pq_sendfloat8(&buf, KpiSumValue(&s->amounts[c]));
	for (c = 0; c < s->nfields; c++)
		pq_sendint64(&buf, s->filled[c]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}


/*
 * Aggregate support.  The aggregates start from the empty summary given as
 * INITCOND; the first record sets the number of fields and the staleness
 * parameters (a new state, which the executor keeps), later records must
 * agree.  The transition functions are not strict: a NULL amount, activity
 * or stage change is meaningful.
 */

/*
 * Adds one record: amount (NULL: counted, no amount), the latest touch
 * (greatest of the activity and stage change; NULL: never touched), whether
 * it has a next step and a close date (NULL: no), its required fields, the
 * staleness parameters (as_of NULL: not measured).
 */
static Datum
HygieneAccum(FunctionCallInfo fcinfo, bool has_amount, double amount,
			 bool measure_dates, int fields_arg)
{
	HygieneSummary *s;
	HygieneSummary probe;
	uint64		bits = 0;
	int64		nfields = 0;
	bool		stale = false,
				no_next_step = false,
				no_close_date = false,
				complete;
	KpiSum		one = {0.0, 0.0};
	int			c;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("pipeline_hygiene_summary state must not be null")));
	if (PG_ARGISNULL(fields_arg))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("required_fields_filled must not be null"),
				 errhint("Pass '{}' when no field is required.")));
	nfields = KpiBoolArrayBits(PG_GETARG_ARRAYTYPE_P(fields_arg), &bits, 1,
							   "required_fields_filled");
	if (nfields > HYGIENE_MAX_FIELDS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%lld required fields are more than the 64 a pipeline hygiene summary holds",
						(long long) nfields)));
	complete = nfields == 64 ? bits == ~UINT64CONST(0) :
		bits == (UINT64CONST(1) << nfields) - 1;

	/* this record's parameters, as a summary header, to check or adopt */
	memset(&probe, 0, sizeof(probe));
	probe.nfields = (int16) nfields;
	if (measure_dates && !PG_ARGISNULL(7))
	{
		TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(7);
		TimestampTz touch = 0;
		bool		touched = false;
		uint64		window;

		if (PG_ARGISNULL(8))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("stale_days must not be null when as_of is given")));
		probe.stale_days = PG_GETARG_INT32(8);
		if (probe.stale_days < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("stale_days %d is negative", probe.stale_days)));
		if (TIMESTAMP_NOT_FINITE(as_of))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("as_of must be finite")));
		probe.flags = HYGIENE_STALENESS;
		probe.as_of = as_of;
		for (c = 2; c <= 3; c++)
			if (!PG_ARGISNULL(c))
			{
				TimestampTz t = PG_GETARG_TIMESTAMPTZ(c);

				if (!touched || t > touch)
					touch = t;
				touched = true;
			}
		/*
		 * stale: no touch within [as_of - stale_days, as_of], exactly.  Two
		 * valid timestamps are less than 2^64 microseconds apart, and so is
		 * a window of at most HYGIENE_MAX_WINDOW_DAYS days; a longer one
		 * holds every touch.
		 */
		if (!touched || TIMESTAMP_IS_NOBEGIN(touch))
			stale = true;		/* never, or -infinity: older than any window */
		else if (touch >= as_of || probe.stale_days > HYGIENE_MAX_WINDOW_DAYS)
			stale = false;
		else
		{
			uint64		idle = (uint64) as_of - (uint64) touch;

			window = (uint64) probe.stale_days * USECS_PER_DAY;
			stale = idle > window;
		}
	}
	if (measure_dates)
	{
		no_next_step = PG_ARGISNULL(4) || !PG_GETARG_BOOL(4);
		no_close_date = PG_ARGISNULL(5) || !PG_GETARG_BOOL(5);
	}

	s = KpiSummaryState(fcinfo, 0, &HygieneType);
	if (s->records == 0)
	{
		if (s->nfields != nfields || s->flags != probe.flags)
			s = HygieneCreate((int) nfields);
		s->flags = probe.flags;
		s->as_of = probe.as_of;
		s->stale_days = probe.stale_days;
	}
	else
		HygieneCheckCompatible(s, &probe);

	if (has_amount)
	{
		if (!isfinite(amount) || amount < 0.0)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("deal amount %g is out of range", amount),
					 errdetail("Amounts must be finite and not negative.")));
		one.sum = amount;
	}
	HygieneAddCount(&s->records, 1);
	HygieneAddAmount(&s->amounts[0], &one);
	if (stale)
	{
		s->counts[HYG_STALE]++;
		HygieneAddAmount(&s->amounts[1 + HYG_STALE], &one);
	}
	if (no_next_step)
	{
		s->counts[HYG_NO_NEXT_STEP]++;
		HygieneAddAmount(&s->amounts[1 + HYG_NO_NEXT_STEP], &one);
	}
	if (no_close_date)
	{
		s->counts[HYG_NO_CLOSE_DATE]++;
		HygieneAddAmount(&s->amounts[1 + HYG_NO_CLOSE_DATE], &one);
	}
	if (complete)
	{
		s->counts[HYG_COMPLETE]++;
		HygieneAddAmount(&s->amounts[1 + HYG_COMPLETE], &one);
	}
	for (c = 0; c < nfields; c++)
		s->filled[c] += (bits >> c) & 1;
	PG_RETURN_POINTER(s);
}

/*
 * pipeline_hygiene_summary_accum(state, amount float8, last_activity_at,
 * stage_changed_at, has_next_step, has_close_date, required_fields_filled
 * boolean[], as_of timestamptz, stale_days integer)
 */
Datum
pipeline_hygiene_summary_accum(PG_FUNCTION_ARGS)
{
	bool		has_amount = !PG_ARGISNULL(1);

	return HygieneAccum(fcinfo, has_amount, has_amount ? PG_GETARG_FLOAT8(1) : 0.0, true, 6);
}

/* The same with a numeric amount, converted as numeric::float8 does */
Datum
pipeline_hygiene_summary_accum_numeric(PG_FUNCTION_ARGS)
{
	bool		has_amount = !PG_ARGISNULL(1);
	double		amount = 0.0;
	int			dscale;

	if (has_amount)
		amount = KpiNumericToFloat8(PG_GETARG_NUMERIC(1), &dscale);
	return HygieneAccum(fcinfo, has_amount, amount, true, 6);
}

/* pipeline_hygiene_summary_accum_fields(state, required_fields_filled): completeness only */
Datum
pipeline_hygiene_summary_accum_fields(PG_FUNCTION_ARGS)
{
	return HygieneAccum(fcinfo, false, 0.0, false, 1);
}

/* pipeline_hygiene_summary_combine(a, b): a + b; combine, and rollup()'s step */
Datum
pipeline_hygiene_summary_combine(PG_FUNCTION_ARGS)
{
	HygieneSummary *a = KpiSummaryMergeState(fcinfo, 0, &HygieneType);
	HygieneSummary *b = HygieneGetArg(fcinfo, 1);

	if (b->records == 0)
		PG_RETURN_POINTER(a);
	if (a->records == 0)
	{
		HygieneSummary *copy = palloc(VARSIZE(b));

		memcpy(copy, b, VARSIZE(b));
		PG_RETURN_POINTER(copy);
	}
	HygieneCheckCompatible(a, b);
	HygieneMergeInto(a, b);
	PG_RETURN_POINTER(a);
}

/*
 * pipeline_hygiene_summary_final(s): the compensation folded into each sum,
 * the form stored and written; checked as input would check it
 */
Datum
pipeline_hygiene_summary_final(PG_FUNCTION_ARGS)
{
	HygieneSummary *s = HygieneGetArg(fcinfo, 0);
	HygieneSummary *result = palloc(VARSIZE(s));
	int			c;

	memcpy(result, s, VARSIZE(s));
	for (c = 0; c <= HYG_NCATEGORIES; c++)
	{
		result->amounts[c].sum = KpiSumValue(&s->amounts[c]);
		result->amounts[c].comp = 0.0;
	}
	KpiCheckProduced(HygieneType.name, HygieneError(result));
	PG_RETURN_POINTER(result);
}


/* Accessors */

Datum
pipeline_hygiene_records(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(HygieneGetArg(fcinfo, 0)->records);
}

Datum
pipeline_hygiene_amount(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(KpiSumValue(&HygieneGetArg(fcinfo, 0)->amounts[0]));
}

Datum
pipeline_hygiene_as_of(PG_FUNCTION_ARGS)
{
	HygieneSummary *s = HygieneGetArg(fcinfo, 0);

	if (!(s->flags & HYGIENE_STALENESS))
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(s->as_of);
}

Datum
pipeline_hygiene_stale_days(PG_FUNCTION_ARGS)
{
	HygieneSummary *s = HygieneGetArg(fcinfo, 0);

	if (!(s->flags & HYGIENE_STALENESS))
		PG_RETURN_NULL();
	PG_RETURN_INT32(s->stale_days);
}

/* Staleness accessors are NULL for a summary that did not measure it */
#define HYGIENE_STALE_OR_NULL(s) \
	do { \
		if ((s)->records > 0 && !((s)->flags & HYGIENE_STALENESS)) \
			PG_RETURN_NULL(); \
	} while (0)

Datum
pipeline_stale_deals(PG_FUNCTION_ARGS)
{
	HygieneSummary *s = HygieneGetArg(fcinfo, 0);

	HYGIENE_STALE_OR_NULL(s);
	PG_RETURN_INT64(s->counts[HYG_STALE]);
}

Datum
pipeline_stale_amount(PG_FUNCTION_ARGS)
{
	HygieneSummary *s = HygieneGetArg(fcinfo, 0);

	HYGIENE_STALE_OR_NULL(s);
	PG_RETURN_FLOAT8(KpiSumValue(&s->amounts[1 + HYG_STALE]));
}

Datum
pipeline_stale_share(PG_FUNCTION_ARGS)
{
	HygieneSummary *s = HygieneGetArg(fcinfo, 0);

	HYGIENE_STALE_OR_NULL(s);
	return KpiProportionDatum(s->counts[HYG_STALE], s->records);
}

Datum
pipeline_deals_without_next_step(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(HygieneGetArg(fcinfo, 0)->counts[HYG_NO_NEXT_STEP]);
}

Datum
pipeline_amount_without_next_step(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(KpiSumValue(&HygieneGetArg(fcinfo, 0)->amounts[1 + HYG_NO_NEXT_STEP]));
}

Datum
pipeline_deals_without_close_date(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(HygieneGetArg(fcinfo, 0)->counts[HYG_NO_CLOSE_DATE]);
}

Datum
pipeline_amount_without_close_date(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(KpiSumValue(&HygieneGetArg(fcinfo, 0)->amounts[1 + HYG_NO_CLOSE_DATE]));
}

Datum
pipeline_complete_records(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(HygieneGetArg(fcinfo, 0)->counts[HYG_COMPLETE]);
}

Datum
pipeline_complete_amount(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(KpiSumValue(&HygieneGetArg(fcinfo, 0)->amounts[1 + HYG_COMPLETE]));
}

/* completeness(s): records with every required field filled, of all records */
Datum
pipeline_completeness(PG_FUNCTION_ARGS)
{
	HygieneSummary *s = HygieneGetArg(fcinfo, 0);

	return KpiProportionDatum(s->counts[HYG_COMPLETE], s->records);
}

/* field_filled_counts(s): the records with each required field filled */
Datum
pipeline_field_filled_counts(PG_FUNCTION_ARGS)
{
	HygieneSummary *s = HygieneGetArg(fcinfo, 0);
	Datum		elems[HYGIENE_MAX_FIELDS];
	int			c;

	for (c = 0; c < s->nfields; c++)
		elems[c] = Int64GetDatum(s->filled[c]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, s->nfields, INT8OID, 8,
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}
