/*-------------------------------------------------------------------------
 *
 * survey.c
 *	  Survey scores: NPS (and eNPS), CSAT and CES.
 *
 * One summary type, survey_summary, serves all three: a histogram of the
 * scores of a bounded integer scale (0..10 for NPS, 1..5 for CSAT, 1..7 for
 * CES, or any scale of up to SURVEY_MAX_SCORES points).  Since it keeps the
 * whole distribution, every KPI, threshold and mean is an accessor, and two
 * summaries on the same scale merge exactly by adding counts.  That makes
 * the one type the transition state of every survey aggregate (combinable
 * for parallel plans, invertible for moving windows) and the value stored in
 * materialized views and merged by rollup().
 *
 * Definitions (see doc/survey.md for the full reference):
 *	NPS  = 100 * (promoters - detractors) / n, promoters 9..10, detractors 0..6
 *	CSAT = 100 * (scores >= satisfied_from) / n, by default the top two scores
 *	CES  = mean score
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include <math.h>

#include "common/int.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/float.h"

#define SURVEY_FORMAT_VERSION 1
#define SURVEY_MAX_SCORES 101	/* e.g. a 0..100 slider */

/*
 * The in-memory and on-disk form.  The text and binary forms are independent
 * of this layout (see survey_summary_out and survey_summary_send); the
 * version byte lets a later release read values stored by this one.
 *
 * Counts are 32-bit while every count fits ("narrow": 60 bytes for 0..10, so
 * a hash aggregate over many groups keeps its states small), and the value
 * widens to 64-bit counts with their bigint total once one does not ("wide").
 * A narrow total cannot overflow bigint; a wide one is checked as it grows.
 */
typedef struct SurveySummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* SURVEY_FORMAT_VERSION */
	uint8		wide;			/* 64-bit counts? */
	uint8		reserved[2];	/* zero */
	int32		low;			/* lowest score of the scale */
	int32		high;			/* highest score of the scale */
	char		data[FLEXIBLE_ARRAY_MEMBER];	/* narrow: int32 counts[n];
												 * wide: int64 total, then
												 * int64 counts[n] */
} SurveySummary;

#define SURVEY_NSCORES(s)	((s)->high - (s)->low + 1)
#define SURVEY_SIZE(nscores, wide) \
	(offsetof(SurveySummary, data) + \
	 ((wide) ? sizeof(int64) * ((nscores) + 1) : sizeof(int32) * (nscores)))

#define SURVEY_NARROW(s)	((int32 *) (s)->data)
#define SURVEY_WIDE_TOTAL(s) (((int64 *) (s)->data)[0])
#define SURVEY_WIDE(s)		(((int64 *) (s)->data) + 1)

/* The count of the i-th score of the scale */
static inline int64
SurveyGet(const SurveySummary *s, int i)
{
	return s->wide ? ((const int64 *) s->data)[i + 1] : ((const int32 *) s->data)[i];
}

/* The NPS scale and its groups */
#define NPS_LOW				0
#define NPS_HIGH			10
#define NPS_DETRACTOR_MAX	6
#define NPS_PROMOTER_MIN	9

/* Default thresholds: top-two box for CSAT (4-5 of 1..5), top three for CES (5-7 of 1..7) */
#define CSAT_TOP			2
#define CES_AGREE_TOP		3

PG_FUNCTION_INFO_V1(survey_summary_in);
PG_FUNCTION_INFO_V1(survey_summary_out);
PG_FUNCTION_INFO_V1(survey_summary_recv);
PG_FUNCTION_INFO_V1(survey_summary_send);
PG_FUNCTION_INFO_V1(survey_summary_accum);
KPI_FORMER_SYMBOL(survey_accum, survey_summary_accum);
PG_FUNCTION_INFO_V1(survey_summary_deaccum);
KPI_FORMER_SYMBOL(survey_deaccum, survey_summary_deaccum);
PG_FUNCTION_INFO_V1(survey_summary_accum_scale);
KPI_FORMER_SYMBOL(survey_scale_accum, survey_summary_accum_scale);
PG_FUNCTION_INFO_V1(survey_summary_deaccum_scale);
KPI_FORMER_SYMBOL(survey_scale_deaccum, survey_summary_deaccum_scale);
PG_FUNCTION_INFO_V1(survey_summary_accum_int2);
PG_FUNCTION_INFO_V1(survey_summary_accum_int8);
PG_FUNCTION_INFO_V1(survey_summary_accum_numeric);
PG_FUNCTION_INFO_V1(survey_summary_accum_float8);
PG_FUNCTION_INFO_V1(survey_summary_deaccum_int2);
PG_FUNCTION_INFO_V1(survey_summary_deaccum_int8);
PG_FUNCTION_INFO_V1(survey_summary_deaccum_numeric);
PG_FUNCTION_INFO_V1(survey_summary_deaccum_float8);
PG_FUNCTION_INFO_V1(survey_summary_accum_scale_int2);
PG_FUNCTION_INFO_V1(survey_summary_accum_scale_int8);
PG_FUNCTION_INFO_V1(survey_summary_accum_scale_numeric);
PG_FUNCTION_INFO_V1(survey_summary_accum_scale_float8);
PG_FUNCTION_INFO_V1(survey_summary_deaccum_scale_int2);
PG_FUNCTION_INFO_V1(survey_summary_deaccum_scale_int8);
PG_FUNCTION_INFO_V1(survey_summary_deaccum_scale_numeric);
PG_FUNCTION_INFO_V1(survey_summary_deaccum_scale_float8);
PG_FUNCTION_INFO_V1(survey_summary_combine);
KPI_FORMER_SYMBOL(survey_combine, survey_summary_combine);
PG_FUNCTION_INFO_V1(survey_summary_uncombine);
KPI_FORMER_SYMBOL(survey_uncombine, survey_summary_uncombine);
PG_FUNCTION_INFO_V1(survey_responses);
PG_FUNCTION_INFO_V1(survey_scale_low);
PG_FUNCTION_INFO_V1(survey_scale_high);
PG_FUNCTION_INFO_V1(survey_score_count);
PG_FUNCTION_INFO_V1(survey_score_share);
PG_FUNCTION_INFO_V1(survey_score_distribution);
PG_FUNCTION_INFO_V1(survey_mean_score);
PG_FUNCTION_INFO_V1(survey_mean_score_ci);
PG_FUNCTION_INFO_V1(survey_nps);
PG_FUNCTION_INFO_V1(survey_promoters);
PG_FUNCTION_INFO_V1(survey_passives);
PG_FUNCTION_INFO_V1(survey_detractors);
PG_FUNCTION_INFO_V1(survey_promoter_share);
PG_FUNCTION_INFO_V1(survey_passive_share);
PG_FUNCTION_INFO_V1(survey_detractor_share);
PG_FUNCTION_INFO_V1(survey_nps_stderr);
PG_FUNCTION_INFO_V1(survey_nps_ci);
PG_FUNCTION_INFO_V1(survey_nps_compare);
PG_FUNCTION_INFO_V1(survey_csat);
PG_FUNCTION_INFO_V1(survey_csat_ci);
PG_FUNCTION_INFO_V1(survey_ces_agree);
PG_FUNCTION_INFO_V1(survey_nps_lower);
PG_FUNCTION_INFO_V1(survey_nps_upper);
PG_FUNCTION_INFO_V1(survey_csat_lower);
PG_FUNCTION_INFO_V1(survey_csat_upper);
PG_FUNCTION_INFO_V1(survey_mean_score_lower);
PG_FUNCTION_INFO_V1(survey_mean_score_upper);
PG_FUNCTION_INFO_V1(survey_nps_difference);
PG_FUNCTION_INFO_V1(survey_nps_p_value);


/*
 * SurveyScaleError
 *		Why low..high is not a valid scale, or NULL if it is.
 */
static const char *
SurveyScaleError(int64 low, int64 high)
{
	if (low < PG_INT32_MIN || high > PG_INT32_MAX)
		return "The scale bounds must lie in the integer range.";
	if (low >= high)
		return "The lowest score must be below the highest.";
	if (high - low + 1 > SURVEY_MAX_SCORES)
		return "A scale has at most 101 points.";
	return NULL;
}

/* An empty summary of scale low..high, in the current memory context */
static SurveySummary *
SurveyCreate(int32 low, int32 high, bool wide)
{
	const char *problem = SurveyScaleError(low, high);
	SurveySummary *s;
	Size		size;

	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("survey scale %d..%d is invalid", low, high),
				 errdetail("%s", problem)));

	size = SURVEY_SIZE(high - low + 1, wide);
	s = palloc0(size);
	SET_VARSIZE(s, size);
	s->version = SURVEY_FORMAT_VERSION;
	s->wide = wide;
	s->low = low;
	s->high = high;
	return s;
}

/* Total number of scores; cannot overflow (see SurveySummary) */
static int64
SurveyTotal(const SurveySummary *s)
{
	int64		total = 0;
	int			i;

	if (s->wide)
		return SURVEY_WIDE_TOTAL(s);
	for (i = 0; i < SURVEY_NSCORES(s); i++)
		total += SURVEY_NARROW(s)[i];
	return total;
}

/*
 * SurveyWiden
 *		A wide copy of a narrow summary, in the current memory context.  An
 *		aggregate that returns it instead of its state has the executor copy
 *		it into the aggregate's context.
 */
static SurveySummary *
SurveyWiden(const SurveySummary *s)
{
	SurveySummary *w = SurveyCreate(s->low, s->high, true);
	int			i;

	Assert(!s->wide);
	for (i = 0; i < SURVEY_NSCORES(s); i++)
		SURVEY_WIDE(w)[i] = SURVEY_NARROW(s)[i];
	SURVEY_WIDE_TOTAL(w) = SurveyTotal(s);
	return w;
}

/*
 * SurveyFromCounts
 *		A summary of scale low..high with the given counts, narrow when they
 *		all fit in 32 bits; NULL and *problem set if they are not acceptable.
 */
static SurveySummary *
SurveyFromCounts(int32 low, int32 high, const int64 *counts, const char **problem)
{
	int			n = high - low + 1;
	int64		total = 0;
	int64		max = 0;
	SurveySummary *s;
	int			i;

	for (i = 0; i < n; i++)
	{
		if (counts[i] < 0)
		{
			*problem = "A count is negative.";
			return NULL;
		}
		if (pg_add_s64_overflow(total, counts[i], &total))
		{
			*problem = "The total count exceeds the bigint range.";
			return NULL;
		}
		max = Max(max, counts[i]);
	}

	s = SurveyCreate(low, high, max > PG_INT32_MAX);
	for (i = 0; i < n; i++)
	{
		if (s->wide)
			SURVEY_WIDE(s)[i] = counts[i];
		else
			SURVEY_NARROW(s)[i] = (int32) counts[i];
	}
	if (s->wide)
		SURVEY_WIDE_TOTAL(s) = total;
	return s;
}

/*
 * SurveyValid
 *		Is a stored value what this code writes?  The header must describe
 *		the value's own size, so that no count is read or written out of
 *		bounds; with "full" the counts must be non-negative and a wide
 *		value's add up to its total.  The kit (KpiSummaryArg and friends)
 *		decides when each check runs.
 */
static bool
SurveyValid(const void *value, bool full)
{
	const SurveySummary *s = value;
	int64		total = 0;
	int			i;

	if (VARSIZE(s) < offsetof(SurveySummary, data) ||
		s->version != SURVEY_FORMAT_VERSION || s->wide > 1 ||
		SurveyScaleError(s->low, s->high) != NULL ||
		VARSIZE(s) != SURVEY_SIZE(SURVEY_NSCORES(s), s->wide))
		return false;
	if (!full)
		return true;
	for (i = 0; i < SURVEY_NSCORES(s); i++)
		if (SurveyGet(s, i) < 0 || pg_add_s64_overflow(total, SurveyGet(s, i), &total))
			return false;
	return !s->wide || total == SURVEY_WIDE_TOTAL(s);
}

static const KpiSummaryType SurveyType = {"survey_summary", -1, SurveyValid};

/* A survey_summary argument to read */
#define SurveyGetArg(fcinfo, argno) \
	((SurveySummary *) KpiSummaryArg(fcinfo, argno, &SurveyType))

/* Reject a score off the scale; "score" is its text, as the user gave it */
static void
SurveyScoreOutOfRange(const SurveySummary *s, const char *score)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("score %s is out of range for scale %d..%d",
					score, s->low, s->high),
			 errhint("Scores on this scale are integers from %d to %d.",
					 s->low, s->high)));
}

/* The index of a score in the counts, checked against the scale */
static int
SurveyIndex(const SurveySummary *s, int64 score)
{
	if (score < s->low || score > s->high)
		SurveyScoreOutOfRange(s, psprintf(INT64_FORMAT, score));
	return (int) (score - s->low);
}

static void
SurveyTotalOverflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("survey_summary count overflows")));
}

/* Add a score; returns s, or its wide copy once a count passes 32 bits */
static SurveySummary *
SurveyAdd(SurveySummary *s, int64 score)
{
	int			i = SurveyIndex(s, score);

	if (likely(!s->wide))
	{
		if (likely(SURVEY_NARROW(s)[i] < PG_INT32_MAX))
		{
			SURVEY_NARROW(s)[i]++;
			return s;
		}
		s = SurveyWiden(s);
	}
	/* no count can overflow while the total does not: each is part of it */
	if (unlikely(pg_add_s64_overflow(SURVEY_WIDE_TOTAL(s), 1, &SURVEY_WIDE_TOTAL(s))))
		SurveyTotalOverflow();
	SURVEY_WIDE(s)[i]++;
	return s;
}

static void
SurveyRemove(SurveySummary *s, int64 score)
{
	int			i = SurveyIndex(s, score);

	if (SurveyGet(s, i) <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove score " INT64_FORMAT " from a survey summary that holds none",
						score)));
	if (s->wide)
	{
		SURVEY_WIDE(s)[i]--;
		SURVEY_WIDE_TOTAL(s)--;
	}
	else
		SURVEY_NARROW(s)[i]--;
}

/* Sum of the counts of scores from..to, clipped to the scale */
static int64
SurveyRangeCount(const SurveySummary *s, int64 from, int64 to)
{
	int64		sum = 0;
	int64		score;

	/* cannot overflow: the counts add up to at most the total */
	for (score = Max(from, s->low); score <= Min(to, s->high); score++)
		sum += SurveyGet(s, score - s->low);
	return sum;
}

static void
SurveyCheckSameScale(const SurveySummary *a, const SurveySummary *b)
{
	if (a->low != b->low || a->high != b->high)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge survey summaries with scales %d..%d and %d..%d",
						a->low, a->high, b->low, b->high)));
}

static void
SurveyCheckNpsScale(const SurveySummary *s)
{
	if (s->low != NPS_LOW || s->high != NPS_HIGH)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("survey summary with scale %d..%d has no NPS", s->low, s->high),
				 errhint("NPS is defined on the 0..10 scale: use nps_agg(score) or survey_agg(score, 0, 10).")));
}


/*
 * Text and binary I/O
 *
 * Text: {"version":1,"scale":[low,high],"counts":[c_low,...,c_high]}
 * (valid JSON, so it can be cast to jsonb for inspection).
 * Binary: int8 version, int32 low, int32 high, then int64 counts.
 * Every form is validated: version, scale, number of counts, no negative
 * count, and a total that fits in bigint.
 */

/* Parse the text form; returns NULL and sets *problem if it is malformed */
static SurveySummary *
SurveyParse(const char *str, const char **problem)
{
	KpiScanner	scan = {str};
	int64		low,
				high;
	int64		counts[SURVEY_MAX_SCORES] = {0};

	*problem = "Expected {\"version\":1,\"scale\":[low,high],\"counts\":[...]}.";
	if (!KpiScanVersion(&scan, SURVEY_FORMAT_VERSION, problem))
		return NULL;
	if (!KpiScanToken(&scan, ",") ||
		!KpiScanKey(&scan, "scale") ||
		!KpiScanToken(&scan, "[") || !KpiScanInt64(&scan, &low) ||
		!KpiScanToken(&scan, ",") || !KpiScanInt64(&scan, &high) ||
		!KpiScanToken(&scan, "]") || !KpiScanToken(&scan, ",") ||
		!KpiScanKey(&scan, "counts") ||
		!KpiScanToken(&scan, "["))
		return NULL;
	if ((*problem = SurveyScaleError(low, high)) != NULL)
		return NULL;

	if (!KpiScanInt64List(&scan, counts, high - low + 1))
	{
		*problem = psprintf("Expected " INT64_FORMAT " counts, integers in the bigint range, one for each score of the scale.",
							high - low + 1);
		return NULL;
	}
	if (!KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
	{
		*problem = "Expected a closing } and nothing after it.";
		return NULL;
	}
	return SurveyFromCounts((int32) low, (int32) high, counts, problem);
}

Datum
survey_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *problem;
	SurveySummary *s = SurveyParse(str, &problem);

	if (s == NULL)
		KPI_TEXT_INPUT_ERROR(fcinfo, "survey_summary", str, problem);
	PG_RETURN_POINTER(s);
}

Datum
survey_summary_out(PG_FUNCTION_ARGS)
{
	SurveySummary *s = SurveyGetArg(fcinfo, 0);
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d,\"scale\":[%d,%d],\"counts\":[",
					 s->version, s->low, s->high);
	for (i = 0; i < SURVEY_NSCORES(s); i++)
		appendStringInfo(&buf, i > 0 ? "," INT64_FORMAT : INT64_FORMAT, SurveyGet(s, i));
	appendStringInfoString(&buf, "]}");
	PG_RETURN_CSTRING(buf.data);
}

Datum
survey_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		low,
				high;
	const char *problem;
	int64		counts[SURVEY_MAX_SCORES] = {0};
	SurveySummary *s;
	int			i;

	KpiRecvVersion(buf, SurveyType.name, SURVEY_FORMAT_VERSION);
	KpiRecvNeed(buf, SurveyType.name, 2 * sizeof(int32), false);
	low = pq_getmsgint(buf, 4);
	high = pq_getmsgint(buf, 4);
	if ((problem = SurveyScaleError(low, high)) != NULL)
		KpiBinaryInputError(SurveyType.name, "The scale %d..%d is invalid. %s",
							low, high, problem);
	KpiRecvNeed(buf, SurveyType.name, sizeof(int64) * (high - low + 1), true);
	for (i = 0; i < high - low + 1; i++)
		counts[i] = pq_getmsgint64(buf);
	KpiRecvEnd(buf, SurveyType.name);

	if ((s = SurveyFromCounts(low, high, counts, &problem)) == NULL)
		KpiBinaryInputError(SurveyType.name, "%s", problem);
	PG_RETURN_POINTER(s);
}

Datum
survey_summary_send(PG_FUNCTION_ARGS)
{
	SurveySummary *s = SurveyGetArg(fcinfo, 0);
	StringInfoData buf;
	int			i;

	KpiSendVersion(&buf, s->version);
	pq_sendint32(&buf, s->low);
	pq_sendint32(&buf, s->high);
	for (i = 0; i < SURVEY_NSCORES(s); i++)
		pq_sendint64(&buf, SurveyGet(s, i));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}


/*
 * Aggregate support
 *
 * The fixed-scale aggregates (nps, csat, ces and their _agg forms) start from
 * an empty summary given as INITCOND, so their transition functions are
 * strict: PostgreSQL skips NULL scores without calling them.  survey_agg
 * takes its scale from its arguments and so creates the state itself.
 *
 * Scores come as smallint, integer, bigint, numeric or double precision
 * (what CSV imports and ELT tools deliver: a pandas integer column with
 * gaps is float64, many loaders type every number numeric), each with its
 * own overload of the transition functions, so that PostgreSQL resolves
 * every one of them, and unknown literals (to double precision, the
 * numeric category's preferred type), without ambiguity.  A score must be a
 * whole number on the scale: 9.0 counts as 9, while 7.5 and NaN are
 * rejected as no integer (22P02) and the infinities and values off the
 * scale as out of range (22003), each naming the value, never rounded.
 */
typedef enum SurveyScoreType
{
	SURVEY_SCORE_INT2,
	SURVEY_SCORE_INT4,
	SURVEY_SCORE_INT8,
	SURVEY_SCORE_NUMERIC,
	SURVEY_SCORE_FLOAT8
} SurveyScoreType;

static void
SurveyScoreNotInteger(const SurveySummary *s, const char *score)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("score %s is not an integer", score),
			 errhint("Scores on this scale are integers from %d to %d; round fractional scores first, e.g. round(score).",
					 s->low, s->high)));
}

/*
 * A numeric score as int64, read from numeric's public wire format (whose
 * value is sign * sum(digit i * 10000^(weight - i))): its digits below the
 * units must all be zero.  Any score of a scale fits in 32 bits, so a value
 * of 10000^3 or more is out of range without being read further.
 */
static int64
SurveyNumericScore(const SurveySummary *s, Numeric num)
{
	KpiNumericWire w;
	bytea	   *wire;
	int64		score = 0;
	int			i;

	if (numeric_is_nan(num))
		SurveyScoreNotInteger(s, "NaN");
	wire = KpiNumericReadWire(num, &w);
	if (wire == NULL || w.weight >= 3)	/* an infinity, or |num| >= 10^12 */
		SurveyScoreOutOfRange(s, DatumGetCString(DirectFunctionCall1(numeric_out,
																	 NumericGetDatum(num))));
	for (i = 0; i <= w.weight; i++)
		score = score * 10000 + (i < w.ndigits ? KpiNumericWireDigit(&w, i) : 0);
	for (i = Max(w.weight + 1, 0); i < w.ndigits; i++)
	{
		if (KpiNumericWireDigit(&w, i) != 0)
			SurveyScoreNotInteger(s, DatumGetCString(DirectFunctionCall1(numeric_out,
																		 NumericGetDatum(num))));
	}
	pfree(wire);
	return w.sign == KPI_NUMERIC_NEG ? -score : score;
}

/* A double precision score as int64 */
static int64
SurveyFloat8Score(const SurveySummary *s, double score)
{
	if (isnan(score) || score != floor(score))
		SurveyScoreNotInteger(s, float8out_internal(score));
	/* no scale reaches past 32 bits; this also rejects the infinities */
	if (score < PG_INT32_MIN || score > PG_INT32_MAX)
		SurveyScoreOutOfRange(s, float8out_internal(score));
	return (int64) score;
}

/* Score argument argno, of the given type, as int64 (not yet checked against the scale) */
static inline int64
SurveyScoreArg(FunctionCallInfo fcinfo, int argno, const SurveySummary *s,
			   SurveyScoreType type)
{
	switch (type)
	{
		case SURVEY_SCORE_INT2:
			return PG_GETARG_INT16(argno);
		case SURVEY_SCORE_INT4:
			return PG_GETARG_INT32(argno);
		case SURVEY_SCORE_INT8:
			return PG_GETARG_INT64(argno);
		case SURVEY_SCORE_NUMERIC:
			{
				Numeric		num = PG_GETARG_NUMERIC(argno);
				int64		score = SurveyNumericScore(s, num);

				/* free a detoasted copy: windows call this in a long-lived context */
				if ((Pointer) num != DatumGetPointer(PG_GETARG_DATUM(argno)))
					pfree(num);
				return score;
			}
		case SURVEY_SCORE_FLOAT8:
			return SurveyFloat8Score(s, PG_GETARG_FLOAT8(argno));
	}
	pg_unreachable();
}

/*
 * Add a score to a transition state: the per-row path of the fixed-scale
 * aggregates, inline.  A narrow count below its limit is incremented here;
 * anything else (out of the scale, wide, a count about to widen) goes
 * through SurveyAdd, which checks and reports.
 */
static inline SurveySummary *
SurveyAddRow(SurveySummary *s, int64 score)
{
	if (likely(score >= s->low && score <= s->high && !s->wide))
	{
		int32	   *count = SURVEY_NARROW(s) + (score - s->low);

		if (likely(*count < PG_INT32_MAX))
		{
			(*count)++;
			return s;
		}
	}
	return SurveyAdd(s, score);
}

/*
 * survey_summary_accum(state, score): add a score.  Inlined into each SQL
 * entry point, so that the score's type is a constant there, not a switch
 * per row.
 */
static pg_attribute_always_inline Datum
SurveyAccum(FunctionCallInfo fcinfo, SurveyScoreType type)
{
	SurveySummary *s = KpiSummaryState(fcinfo, 0, &SurveyType);

	PG_RETURN_POINTER(SurveyAddRow(s, SurveyScoreArg(fcinfo, 1, s, type)));
}

/* survey_summary_deaccum(state, score): remove a score (inverse transition) */
static Datum
SurveyDeaccum(FunctionCallInfo fcinfo, SurveyScoreType type)
{
	SurveySummary *s = KpiSummaryState(fcinfo, 0, &SurveyType);

	SurveyRemove(s, SurveyScoreArg(fcinfo, 1, s, type));
	PG_RETURN_POINTER(s);
}

/*
 * The state of survey_agg(score, low, high) for this row.  The first row
 * creates it (even for a NULL score, so that the moving-window transition
 * never returns NULL); later rows must name the same scale.
 */
static SurveySummary *
SurveyScaleState(FunctionCallInfo fcinfo)
{
	int32		low,
				high;
	SurveySummary *s;

	if (PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("survey scale bounds must not be null")));
	low = PG_GETARG_INT32(2);
	high = PG_GETARG_INT32(3);

	/* a new state is copied into the aggregate's context by the executor */
	if (PG_ARGISNULL(0))
		return SurveyCreate(low, high, false);

	s = KpiSummaryState(fcinfo, 0, &SurveyType);
	if (s->low != low || s->high != high)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("survey scale changed from %d..%d to %d..%d within one aggregate",
						s->low, s->high, low, high)));
	return s;
}

/* survey_summary_accum_scale(state, score, low, high) */
static Datum
SurveyAccumScale(FunctionCallInfo fcinfo, SurveyScoreType type)
{
	SurveySummary *s = SurveyScaleState(fcinfo);

	if (!PG_ARGISNULL(1))
		s = SurveyAdd(s, SurveyScoreArg(fcinfo, 1, s, type));
	PG_RETURN_POINTER(s);
}

/* survey_summary_deaccum_scale(state, score, low, high) */
static Datum
SurveyDeaccumScale(FunctionCallInfo fcinfo, SurveyScoreType type)
{
	SurveySummary *s;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = SurveyScaleState(fcinfo);
	if (!PG_ARGISNULL(1))
		SurveyRemove(s, SurveyScoreArg(fcinfo, 1, s, type));
	PG_RETURN_POINTER(s);
}

/* The transition functions of each score type */
Datum
survey_summary_accum(PG_FUNCTION_ARGS)
{
	return SurveyAccum(fcinfo, SURVEY_SCORE_INT4);
}

Datum
survey_summary_accum_int2(PG_FUNCTION_ARGS)
{
	return SurveyAccum(fcinfo, SURVEY_SCORE_INT2);
}

Datum
survey_summary_accum_int8(PG_FUNCTION_ARGS)
{
	return SurveyAccum(fcinfo, SURVEY_SCORE_INT8);
}

Datum
survey_summary_accum_numeric(PG_FUNCTION_ARGS)
{
	return SurveyAccum(fcinfo, SURVEY_SCORE_NUMERIC);
}

Datum
survey_summary_accum_float8(PG_FUNCTION_ARGS)
{
	return SurveyAccum(fcinfo, SURVEY_SCORE_FLOAT8);
}

Datum
survey_summary_deaccum(PG_FUNCTION_ARGS)
{
	return SurveyDeaccum(fcinfo, SURVEY_SCORE_INT4);
}

Datum
survey_summary_deaccum_int2(PG_FUNCTION_ARGS)
{
	return SurveyDeaccum(fcinfo, SURVEY_SCORE_INT2);
}

Datum
survey_summary_deaccum_int8(PG_FUNCTION_ARGS)
{
	return SurveyDeaccum(fcinfo, SURVEY_SCORE_INT8);
}

Datum
survey_summary_deaccum_numeric(PG_FUNCTION_ARGS)
{
	return SurveyDeaccum(fcinfo, SURVEY_SCORE_NUMERIC);
}

Datum
survey_summary_deaccum_float8(PG_FUNCTION_ARGS)
{
	return SurveyDeaccum(fcinfo, SURVEY_SCORE_FLOAT8);
}

Datum
survey_summary_accum_scale(PG_FUNCTION_ARGS)
{
	return SurveyAccumScale(fcinfo, SURVEY_SCORE_INT4);
}

Datum
survey_summary_accum_scale_int2(PG_FUNCTION_ARGS)
{
	return SurveyAccumScale(fcinfo, SURVEY_SCORE_INT2);
}

Datum
survey_summary_accum_scale_int8(PG_FUNCTION_ARGS)
{
	return SurveyAccumScale(fcinfo, SURVEY_SCORE_INT8);
}

Datum
survey_summary_accum_scale_numeric(PG_FUNCTION_ARGS)
{
	return SurveyAccumScale(fcinfo, SURVEY_SCORE_NUMERIC);
}

Datum
survey_summary_accum_scale_float8(PG_FUNCTION_ARGS)
{
	return SurveyAccumScale(fcinfo, SURVEY_SCORE_FLOAT8);
}

Datum
survey_summary_deaccum_scale(PG_FUNCTION_ARGS)
{
	return SurveyDeaccumScale(fcinfo, SURVEY_SCORE_INT4);
}

Datum
survey_summary_deaccum_scale_int2(PG_FUNCTION_ARGS)
{
	return SurveyDeaccumScale(fcinfo, SURVEY_SCORE_INT2);
}

Datum
survey_summary_deaccum_scale_int8(PG_FUNCTION_ARGS)
{
	return SurveyDeaccumScale(fcinfo, SURVEY_SCORE_INT8);
}

Datum
survey_summary_deaccum_scale_numeric(PG_FUNCTION_ARGS)
{
	return SurveyDeaccumScale(fcinfo, SURVEY_SCORE_NUMERIC);
}

Datum
survey_summary_deaccum_scale_float8(PG_FUNCTION_ARGS)
{
	return SurveyDeaccumScale(fcinfo, SURVEY_SCORE_FLOAT8);
}

/*
 * survey_summary_combine(a, b): a + b.  The combine function of every survey
 * aggregate, and the transition function of rollup().  Strict: the executor
 * takes a copy of b when the state is still NULL.
 */
Datum
survey_summary_combine(PG_FUNCTION_ARGS)
{
	SurveySummary *a = KpiSummaryMergeState(fcinfo, 0, &SurveyType);
	SurveySummary *b = SurveyGetArg(fcinfo, 1);
	int			i;

	SurveyCheckSameScale(a, b);
	if (!a->wide)
	{
		for (i = 0; i < SURVEY_NSCORES(a); i++)
		{
			if (SURVEY_NARROW(a)[i] + SurveyGet(b, i) > PG_INT32_MAX)
				break;
		}
		if (i == SURVEY_NSCORES(a))
		{
			for (i = 0; i < SURVEY_NSCORES(a); i++)
				SURVEY_NARROW(a)[i] += (int32) SurveyGet(b, i);
			PG_RETURN_POINTER(a);
		}
		/* a new state is copied into the aggregate's context by the executor */
		a = SurveyWiden(a);
	}
	if (pg_add_s64_overflow(SURVEY_WIDE_TOTAL(a), SurveyTotal(b), &SURVEY_WIDE_TOTAL(a)))
		SurveyTotalOverflow();
	for (i = 0; i < SURVEY_NSCORES(a); i++)
		SURVEY_WIDE(a)[i] += SurveyGet(b, i);
	PG_RETURN_POINTER(a);
}

/* survey_summary_uncombine(a, b): a - b, the inverse of rollup() */
Datum
survey_summary_uncombine(PG_FUNCTION_ARGS)
{
	SurveySummary *a = KpiSummaryMergeState(fcinfo, 0, &SurveyType);
	SurveySummary *b = SurveyGetArg(fcinfo, 1);
	int			i;

	SurveyCheckSameScale(a, b);
	for (i = 0; i < SURVEY_NSCORES(a); i++)
	{
		if (SurveyGet(b, i) > SurveyGet(a, i))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot remove a survey summary that was not merged in")));
	}
	for (i = 0; i < SURVEY_NSCORES(a); i++)
	{
		if (a->wide)
			SURVEY_WIDE(a)[i] -= SurveyGet(b, i);
		else
			SURVEY_NARROW(a)[i] -= (int32) SurveyGet(b, i);
	}
	if (a->wide)
		SURVEY_WIDE_TOTAL(a) -= SurveyTotal(b);
	PG_RETURN_POINTER(a);
}


/* Generic accessors */

Datum
survey_responses(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(SurveyTotal(SurveyGetArg(fcinfo, 0)));
}

Datum
survey_scale_low(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(SurveyGetArg(fcinfo, 0)->low);
}

Datum
survey_scale_high(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(SurveyGetArg(fcinfo, 0)->high);
}

/* score_count(s, from_score, to_score): scores in from..to, as BETWEEN */
Datum
survey_score_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(SurveyRangeCount(SurveyGetArg(fcinfo, 0),
									 PG_GETARG_INT32(1), PG_GETARG_INT32(2)));
}

Datum
survey_score_share(PG_FUNCTION_ARGS)
{
	SurveySummary *s = SurveyGetArg(fcinfo, 0);
	int64		n = SurveyTotal(s);

	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) SurveyRangeCount(s, PG_GETARG_INT32(1),
											   PG_GETARG_INT32(2)) / n);
}

/* score_distribution(s): one row (score, responses, share) per score */
Datum
survey_score_distribution(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	SurveySummary *s;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		s = KpiSummaryCopy(fcinfo, 0, &SurveyType);
		funcctx->user_fctx = s;
		funcctx->max_calls = SURVEY_NSCORES(s);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	s = (SurveySummary *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		int			i = (int) funcctx->call_cntr;
		int64		n = SurveyTotal(s);
		Datum		values[3];
		bool		nulls[3] = {false, false, n == 0};

		values[0] = Int32GetDatum(s->low + i);
		values[1] = Int64GetDatum(SurveyGet(s, i));
		values[2] = n == 0 ? (Datum) 0 : Float8GetDatum((double) SurveyGet(s, i) / n);
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
														  values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}

/* Mean and sample variance of the scores; false for an empty summary */
static bool
SurveyMoments(const SurveySummary *s, int64 *n, double *mean, double *variance)
{
	double		sum = 0.0,
				ss = 0.0;
	int			i;

	*n = SurveyTotal(s);
	if (*n == 0)
		return false;
	for (i = 0; i < SURVEY_NSCORES(s); i++)
		sum += (double) (s->low + i) * (double) SurveyGet(s, i);
	*mean = sum / *n;
	/* two passes over the histogram: no cancellation */
	for (i = 0; i < SURVEY_NSCORES(s); i++)
	{
		double		dev = (s->low + i) - *mean;

		ss += dev * dev * (double) SurveyGet(s, i);
	}
	*variance = *n > 1 ? ss / (*n - 1) : 0.0;
	return true;
}

/* mean_score(s), also ces(s) */
Datum
survey_mean_score(PG_FUNCTION_ARGS)
{
	int64		n;
	double		mean,
				variance;

	if (!SurveyMoments(SurveyGetArg(fcinfo, 0), &n, &mean, &variance))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(mean);
}

/*----------
 * mean_score_ci(s, level): Student t interval of the mean score,
 *
 *		mean -/+ t(1 - (1 - level)/2, n - 1) * sd / sqrt(n),
 *
 * sd the sample standard deviation, clipped to the scale.  NULL bounds for
 * fewer than two scores.
 *----------
 */
Datum
survey_mean_score_ci(PG_FUNCTION_ARGS)
{
	SurveySummary *s = SurveyGetArg(fcinfo, 0);
	double		level = PG_GETARG_FLOAT8(1);
	double		bounds[2] = {0.0, 0.0};
	bool		nulls[2] = {true, true};
	int64		n;
	double		mean,
				variance;

	KpiConfidenceZ(level);		/* validates the level */
	if (SurveyMoments(s, &n, &mean, &variance) && n >= 2)
	{
		double		half = KpiStudentTQuantile(0.5 + level / 2.0, (double) (n - 1)) *
			sqrt(variance / n);

		bounds[0] = Max(mean - half, (double) s->low);
		bounds[1] = Min(mean + half, (double) s->high);
		nulls[0] = nulls[1] = false;
	}
	return KpiFloat8Record(fcinfo, bounds, nulls, 2);
}


/* NPS */

typedef struct NpsCounts
{
	int64		n;
	int64		promoters;
	int64		passives;
	int64		detractors;
} NpsCounts;

static NpsCounts
SurveyNpsCounts(FunctionCallInfo fcinfo, int argno)
{
	SurveySummary *s = SurveyGetArg(fcinfo, argno);
	NpsCounts	c;

	SurveyCheckNpsScale(s);
	c.detractors = SurveyRangeCount(s, NPS_LOW, NPS_DETRACTOR_MAX);
	c.passives = SurveyRangeCount(s, NPS_DETRACTOR_MAX + 1, NPS_PROMOTER_MIN - 1);
	c.promoters = SurveyRangeCount(s, NPS_PROMOTER_MIN, NPS_HIGH);
	c.n = SurveyTotal(s);
	return c;
}

/* NPS on -100..100; n must be positive */
static double
NpsValue(const NpsCounts *c)
{
	return 100.0 * (double) (c->promoters - c->detractors) / (double) c->n;
}

/*----------
 * Standard error of the NPS on -100..100 (the NPS is the mean of a variable
 * that is +1 for promoters, 0 for passives and -1 for detractors):
 *
 *		SE = 100 * sqrt((p + d - (p - d)^2) / n)
 *
 * with p, d the promoter and detractor shares (Rocks, CRAN package NPS).
 *----------
 */
static double
NpsStderr(double promoters, double detractors, double n)
{
	double		p = promoters / n;
	double		d = detractors / n;
	double		var = p + d - (p - d) * (p - d);

	return 100.0 * sqrt(Max(var, 0.0) / n);
}

Datum
survey_nps(PG_FUNCTION_ARGS)
{
	NpsCounts	c = SurveyNpsCounts(fcinfo, 0);

	if (c.n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(NpsValue(&c));
}

Datum
survey_promoters(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(SurveyNpsCounts(fcinfo, 0).promoters);
}

Datum
survey_passives(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(SurveyNpsCounts(fcinfo, 0).passives);
}

Datum
survey_detractors(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(SurveyNpsCounts(fcinfo, 0).detractors);
}

/* count / n as a share, NULL for an empty summary */
static Datum
NpsShare(FunctionCallInfo fcinfo, int64 count, int64 n)
{
	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) count / n);
}

Datum
survey_promoter_share(PG_FUNCTION_ARGS)
{
	NpsCounts	c = SurveyNpsCounts(fcinfo, 0);

	return NpsShare(fcinfo, c.promoters, c.n);
}

Datum
survey_passive_share(PG_FUNCTION_ARGS)
{
	NpsCounts	c = SurveyNpsCounts(fcinfo, 0);

	return NpsShare(fcinfo, c.passives, c.n);
}

Datum
survey_detractor_share(PG_FUNCTION_ARGS)
{
	NpsCounts	c = SurveyNpsCounts(fcinfo, 0);

	return NpsShare(fcinfo, c.detractors, c.n);
}

Datum
survey_nps_stderr(PG_FUNCTION_ARGS)
{
	NpsCounts	c = SurveyNpsCounts(fcinfo, 0);

	if (c.n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(NpsStderr(c.promoters, c.detractors, c.n));
}

/*----------
 * nps_ci(s, level, method): confidence interval of the NPS, clipped to
 * -100..100.
 *
 * wald:			NPS -/+ z * SE
 * adjusted_wald:	the same on counts with 3/4 promoter, 3/4 detractor and
 *					1.5 passive added (n' = n + 3), centered on the adjusted
 *					NPS; better coverage for small samples and extreme
 *					scores (Rocks 2016, The American Statistician 70(3)).
 *----------
 */
Datum
survey_nps_ci(PG_FUNCTION_ARGS)
{
	NpsCounts	c = SurveyNpsCounts(fcinfo, 0);
	double		z = KpiConfidenceZ(PG_GETARG_FLOAT8(1));
	char	   *method = text_to_cstring(PG_GETARG_TEXT_PP(2));
	double		bounds[2] = {0.0, 0.0};
	bool		nulls[2] = {true, true};
	double		center,
				se;

	if (strcmp(method, "wald") == 0)
	{
		if (c.n > 0)
		{
			center = NpsValue(&c);
			se = NpsStderr(c.promoters, c.detractors, c.n);
			nulls[0] = nulls[1] = false;
		}
	}
	else if (strcmp(method, "adjusted_wald") == 0)
	{
		if (c.n > 0)
		{
			double		promoters = c.promoters + 0.75;
			double		detractors = c.detractors + 0.75;
			double		n = c.n + 3.0;

			center = 100.0 * (promoters - detractors) / n;
			se = NpsStderr(promoters, detractors, n);
			nulls[0] = nulls[1] = false;
		}
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unrecognized NPS interval method \"%s\"", method),
				 errhint("Valid methods are \"adjusted_wald\" and \"wald\".")));

	if (!nulls[0])
	{
		bounds[0] = Max(center - z * se, -100.0);
		bounds[1] = Min(center + z * se, 100.0);
	}
	return KpiFloat8Record(fcinfo, bounds, nulls, 2);
}

/*----------
 * nps_compare(a, b): two-sample z test of NPS(a) - NPS(b) for independent
 * samples:
 *
 *		SE = sqrt(SE_a^2 + SE_b^2),  z = (NPS_a - NPS_b) / SE,
 *		p = 2 * (1 - Phi(|z|))
 *
 * All NULL if a sample is empty; z and p NULL when SE is 0 (both samples
 * are all one kind of answer, so there is no variance to test against).
 *----------
 */
Datum
survey_nps_compare(PG_FUNCTION_ARGS)
{
	NpsCounts	a = SurveyNpsCounts(fcinfo, 0);
	NpsCounts	b = SurveyNpsCounts(fcinfo, 1);
	double		result[4] = {0.0, 0.0, 0.0, 0.0};
	bool		nulls[4] = {true, true, true, true};

	if (a.n > 0 && b.n > 0)
	{
		double		se_a = NpsStderr(a.promoters, a.detractors, a.n);
		double		se_b = NpsStderr(b.promoters, b.detractors, b.n);

		result[0] = NpsValue(&a) - NpsValue(&b);
		result[1] = sqrt(se_a * se_a + se_b * se_b);
		nulls[0] = nulls[1] = false;
		if (result[1] > 0.0)
		{
			result[2] = result[0] / result[1];
			result[3] = KpiNormalTwoSidedP(result[2]);
			nulls[2] = nulls[3] = false;
		}
	}
	return KpiFloat8Record(fcinfo, result, nulls, 4);
}


/* CSAT and CES */

/*
 * The first score counted as satisfied (CSAT) or agreeing (CES): argument
 * argno if given and not NULL, else the top "top" scores of the scale.  A
 * threshold off the scale is an error, even for an empty summary.
 */
static int32
SurveyThreshold(FunctionCallInfo fcinfo, const SurveySummary *s, int argno,
				int top, const char *what)
{
	int32		from;

	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
		return Max(s->high - top + 1, s->low);
	from = PG_GETARG_INT32(argno);
	if (from < s->low || from > s->high)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %d is outside the scale %d..%d", what, from,
						s->low, s->high)));
	return from;
}

/*
 * Percent of scores >= the threshold given as argument 1 (default: the top
 * "top" scores of the scale); NULL for a NULL or empty summary.
 */
static Datum
SurveyPercentFrom(FunctionCallInfo fcinfo, int top, const char *what)
{
	SurveySummary *s;
	int32		from;
	int64		n;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = SurveyGetArg(fcinfo, 0);
	from = SurveyThreshold(fcinfo, s, 1, top, what);
	n = SurveyTotal(s);
	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 * SurveyRangeCount(s, from, s->high) / n);
}

/* csat(s [, satisfied_from]): percent of satisfied scores */
Datum
survey_csat(PG_FUNCTION_ARGS)
{
	return SurveyPercentFrom(fcinfo, CSAT_TOP, "satisfied_from");
}

/* csat_ci(s, level, satisfied_from): Wilson score interval, in percent */
Datum
survey_csat_ci(PG_FUNCTION_ARGS)
{
	SurveySummary *s;
	double		bounds[2] = {0.0, 0.0};
	bool		nulls[2] = {true, true};
	double		z;
	int32		from;
	int64		n;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	s = SurveyGetArg(fcinfo, 0);
	z = KpiConfidenceZ(PG_GETARG_FLOAT8(1));
	from = SurveyThreshold(fcinfo, s, 2, CSAT_TOP, "satisfied_from");
	n = SurveyTotal(s);
	if (n > 0)
	{
		int64		satisfied = SurveyRangeCount(s, from, s->high);

		KpiWilsonInterval(satisfied, n, z, &bounds[0], &bounds[1]);
		bounds[0] *= 100.0;
		bounds[1] *= 100.0;
		nulls[0] = nulls[1] = false;
	}
	return KpiFloat8Record(fcinfo, bounds, nulls, 2);
}

/* ces_agree(s [, agree_from]): percent of agreeing scores */
Datum
survey_ces_agree(PG_FUNCTION_ARGS)
{
	return SurveyPercentFrom(fcinfo, CES_AGREE_TOP, "agree_from");
}


/*
 * Plain columns of the record results, for BI tools: each returns one field
 * of the record function it mirrors, called with the same arguments
 * (KpiRecordField), so the two always agree.  ces_lower and ces_upper are
 * mean_score_lower and mean_score_upper under the CES name, as ces is
 * mean_score.
 */

/* nps_lower(...): nps_ci(...).lower */
Datum
survey_nps_lower(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "nps_ci", "lower");
}

/* nps_upper(...): nps_ci(...).upper */
Datum
survey_nps_upper(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "nps_ci", "upper");
}

/* csat_lower(...): csat_ci(...).lower */
Datum
survey_csat_lower(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "csat_ci", "lower");
}

/* csat_upper(...): csat_ci(...).upper */
Datum
survey_csat_upper(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "csat_ci", "upper");
}

/* mean_score_lower(...): mean_score_ci(...).lower */
Datum
survey_mean_score_lower(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "mean_score_ci", "lower");
}

/* mean_score_upper(...): mean_score_ci(...).upper */
Datum
survey_mean_score_upper(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "mean_score_ci", "upper");
}

/* nps_difference(...): nps_compare(...).difference */
Datum
survey_nps_difference(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "nps_compare", "difference");
}

/* nps_p_value(...): nps_compare(...).p_value */
Datum
survey_nps_p_value(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "nps_compare", "p_value");
}
