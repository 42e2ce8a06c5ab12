/*-------------------------------------------------------------------------
 *
 * pipeline_io.c
 *	  The text and binary forms of pipeline_summary: format 4, written and
 *	  read, and formats 3 (a 1.3.0 development version), 2 (crm_kpi 1.2.0)
 *	  and 1 (1.1.0), read.
 *
 *-------------------------------------------------------------------------
 */
#include "pipeline.h"

#include <math.h>

#include "libpq/pqformat.h"

PG_FUNCTION_INFO_V1(pipeline_summary_in);
PG_FUNCTION_INFO_V1(pipeline_summary_out);
PG_FUNCTION_INFO_V1(pipeline_summary_recv);
PG_FUNCTION_INFO_V1(pipeline_summary_send);

static const char *const PipelineSumNames[] = {"open_amount", "weighted_amount",
"won_amount", "lost_amount", "cycle_days", "unweighted_amount"};
static const char *const PipelineExactNames[] = {"deal_sizes", "cycle_lengths"};
static const char *const PipelineSketchNames[] = {"deal_size_sketch", "cycle_sketch"};
/*
 * Text and binary I/O
 *
 * Text (JSON; each sum is the list of terms of its canonical expansion, the
 * nearest double to the exact sum first, then the nearest double to each
 * remainder, so that a value reads back exactly and equal sums print
 * alike; each distribution is its exact values in increasing order, or
 * while they are not kept its sketch {"zeros":z,"buckets":[[key,count],...]}):
 *	{"version":4,"amounts":"numeric","amount_scale":k,
 *	 "open_deals":n,"open_amount":[t,...],"weighted_amount":[t,...],
 *	 "won_deals":n,"won_amount":[t,...],"lost_deals":n,"lost_amount":[t,...],
 *	 "cycle_deals":n,"cycle_days":[t,...],"unweighted_deals":n,
 *	 "unweighted_amount":[t,...],"deal_sizes":[v,...] or "deal_size_sketch":{...},
 *	 "cycle_lengths":[v,...] or "cycle_sketch":{...}}
 * "amounts" is "none" (no deal yet), "double" or "numeric", the last with
 * the largest number of decimals of the amounts, 0 to 18.
 * Binary: int8 version, int16 amount scale (-1 none, -2 double, else the
 * decimals of numeric amounts), the five counts (open, won, lost, cycle,
 * unweighted deals) as int64, each of the six sums as an int32 number of
 * terms and the terms as float8, then each distribution as an int8 1 and
 * an int32 number of exact values and the values as float8, or an int8 0
 * and its sketch as int64 zeros, int32 number of buckets and (int32 key,
 * int64 count) per bucket.  The reader rebuilds the sketch of exact values.
 *
 * Format 3 is format 4 without the amounts' type and with sketches alone.
 * Input reads any 1 to 64 finite terms whose sum is not negative and rounds
 * to a finite double.  Format 2 (1.2.0) is format 3 without the unweighted
 * count and sum (none: 1.2.0 rejected open deals without probability).
 * Format 1 (1.1.0) is format 2 whose sums are [sum, compensation] pairs,
 * exactly two terms, in text and binary alike.
 */

static bool
ScanKey(KpiScanner *scan, const char *key)
{
	return KpiScanToken(scan, ",") && KpiScanKey(scan, key);
}

static bool
ScanCount(KpiScanner *scan, const char *key, int64 *count)
{
	return ScanKey(scan, key) && KpiScanInt64(scan, count);
}

/* Parse sum i ([t, ...]: two terms in format 1) into *s (which grows) */
static bool
ScanSum(KpiScanner *scan, int version, PipelineSummary **s, int i,
		const char **problem)
{
	double		terms[PIPELINE_MAX_TERMS];
	int			n = 0;
	PipelineSummary *r;

	if (!ScanKey(scan, PipelineSumNames[i]) || !KpiScanToken(scan, "["))
		return false;
	do
	{
		if (n == PIPELINE_MAX_TERMS)
		{
			*problem = "A sum has more than 64 terms.";
			return false;
		}
		if (!KpiScanFloat8(scan, &terms[n++]))
			return false;
	} while (KpiScanToken(scan, ","));
	if (!KpiScanToken(scan, "]"))
		return false;
	if (version == PIPELINE_FORMAT_V1 && n != 2)
	{
		*problem = "A sum of format 1 is a [sum,compensation] pair.";
		return false;
	}
	if ((r = PipelineSumSetTerms(*s, i, terms, n, problem)) == NULL)
		return false;
	*s = r;
	return true;
}

/* Parse the sketch {...} after its key into sketch i of *s (which may grow) */
static bool
ScanSketch(KpiScanner *scan, PipelineSummary **s, int i, const char **problem)
{
	int64		zeros;

	if (!KpiScanToken(scan, "{") || !KpiScanKey(scan, "zeros") ||
		!KpiScanInt64(scan, &zeros) || !ScanKey(scan, "buckets") ||
		!KpiScanToken(scan, "["))
		return false;
	if (zeros < 0)
	{
		*problem = "A count is negative.";
		return false;
	}
	(*s)->sketch[i].zeros = zeros;
	if (!KpiScanToken(scan, "]"))
	{
		int32		last = PG_INT32_MIN;

		do
		{
			int64		k,
						count;

			if (!KpiScanToken(scan, "[") || !KpiScanInt64(scan, &k) ||
				!KpiScanToken(scan, ",") || !KpiScanInt64(scan, &count) ||
				!KpiScanToken(scan, "]"))
				return false;
			if (k < -PIPELINE_MAX_KEY || k > PIPELINE_MAX_KEY || k <= last ||
				count <= 0)
			{
				*problem = "Sketch buckets must be [key,count] pairs with increasing keys within +/-40000 and positive counts.";
				return false;
			}
			last = (int32) k;
			*s = PipelineSketchAdd(*s, i, false, (int32) k, count);
		} while (KpiScanToken(scan, ","));
		if (!KpiScanToken(scan, "]"))
			return false;
	}
	return KpiScanToken(scan, "}");
}

/* The amounts' type after the version: "amounts":"none", "double", or
 * "numeric","amount_scale":k */
static bool
ScanAmounts(KpiScanner *scan, PipelineSummary *s)
{
	int64		k;

	if (!ScanKey(scan, "amounts"))
		return false;
	if (KpiScanToken(scan, "\"none\""))
		s->amount_scale = PIPELINE_SCALE_NONE;
	else if (KpiScanToken(scan, "\"double\""))
		s->amount_scale = PIPELINE_SCALE_DOUBLE;
	else if (KpiScanToken(scan, "\"numeric\"") && ScanCount(scan, "amount_scale", &k) &&
			 k >= 0 && k <= PIPELINE_MAX_SCALE)
		s->amount_scale = (int16) k;
	else
		return false;
	return true;
}

/* An exact value as it is read, text or binary: finite, at least 0, not -0 */
static bool
ExactValueValid(double x)
{
	return isfinite(x) && !signbit(x);
}

/*
 * Parse distribution i into *s (which may grow): format 4 has its exact
 * values [v,...] or its sketch, older formats its sketch alone
 */
static bool
ScanDistribution(KpiScanner *scan, int version, PipelineSummary **s, int i,
				 const char **problem)
{
	if (!KpiScanToken(scan, ","))
		return false;
	if (version == PIPELINE_FORMAT_VERSION && KpiScanKey(scan, PipelineExactNames[i]))
	{
		if (!KpiScanToken(scan, "["))
			return false;
		if (KpiScanToken(scan, "]"))
			return true;
		do
		{
			double		x;

			if (!KpiScanFloat8(scan, &x))
				return false;
			if (!ExactValueValid(x) || (*s)->exact[i] == PIPELINE_MAX_EXACT)
			{
				*problem = "Exact values are at most 10000 finite numbers from 0 up.";
				return false;
			}
			*s = PipelineValueAdd(*s, i, x);
		} while (KpiScanToken(scan, ","));
		return KpiScanToken(scan, "]");
	}
	(*s)->exact[i] = -1;
	return KpiScanKey(scan, PipelineSketchNames[i]) && ScanSketch(scan, s, i, problem);
}

static PipelineSummary *
PipelineParse(const char *str, const char **problem)
{
	KpiScanner	scan = {str};
	PipelineSummary *s;
	int			version;

	*problem = "Expected {\"version\":4,\"amounts\":\"numeric\",\"amount_scale\":2,\"open_deals\":n,...} as pipeline_summary writes it.";
	if (!KpiScanVersionRange(&scan, PIPELINE_FORMAT_V1, PIPELINE_FORMAT_VERSION,
							 &version, problem))
		return NULL;
	s = PipelineCreate();
	if ((version == PIPELINE_FORMAT_VERSION && !ScanAmounts(&scan, s)) ||
		!ScanCount(&scan, "open_deals", &s->open_deals) ||
		!ScanSum(&scan, version, &s, SUM_OPEN, problem) ||
		!ScanSum(&scan, version, &s, SUM_WEIGHTED, problem) ||
		!ScanCount(&scan, "won_deals", &s->won_deals) ||
		!ScanSum(&scan, version, &s, SUM_WON, problem) ||
		!ScanCount(&scan, "lost_deals", &s->lost_deals) ||
		!ScanSum(&scan, version, &s, SUM_LOST, problem) ||
		!ScanCount(&scan, "cycle_deals", &s->cycle_deals) ||
		!ScanSum(&scan, version, &s, SUM_CYCLE, problem) ||
		(version >= 3 &&
		 (!ScanCount(&scan, "unweighted_deals", &s->unweighted_deals) ||
		  !ScanSum(&scan, version, &s, SUM_UNWEIGHTED, problem))) ||
		!ScanDistribution(&scan, version, &s, PIPELINE_SIZE, problem) ||
		!ScanDistribution(&scan, version, &s, PIPELINE_CYCLE, problem) ||
		!KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
		return NULL;
	if (version < PIPELINE_FORMAT_VERSION)
		PipelineFromOldDefaults(s);
	/* sketch counts add up without overflow only if the totals match */
	if ((*problem = PipelineCountsError(s)) != NULL)
		return NULL;
	return PipelineCanonical(s);
}

Datum
pipeline_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *problem;
	PipelineSummary *s = PipelineParse(str, &problem);

	if (s == NULL)
		KPI_TEXT_INPUT_ERROR(fcinfo, PipelineType.name, str, problem);
	PG_RETURN_POINTER(s);
}

static void
AppendSketch(StringInfo buf, PipelineSummary *s, int i)
{
	int64	   *counts = SketchCounts(s, i);
	int32	   *keys = SketchKeys(s, i);
	int			j;

	appendStringInfo(buf, "{\"zeros\":" INT64_FORMAT ",\"buckets\":[", s->sketch[i].zeros);
	for (j = 0; j < s->sketch[i].nbuckets; j++)
		appendStringInfo(buf, "%s[%d," INT64_FORMAT "]", j > 0 ? "," : "",
						 keys[j], counts[j]);
	appendStringInfoString(buf, "]}");
}

Datum
pipeline_summary_out(PG_FUNCTION_ARGS)
{
	PipelineSummary *s = PipelineSorted(PipelineGetArg(fcinfo, 0));
	const int64 counts[] = {s->open_deals, -1, s->won_deals, s->lost_deals, s->cycle_deals,
	s->unweighted_deals};
	const char *const count_names[] = {"open_deals", NULL, "won_deals", "lost_deals",
	"cycle_deals", "unweighted_deals"};
	StringInfoData buf;
	int			i,
				j;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d", PIPELINE_FORMAT_VERSION);
	if (s->amount_scale == PIPELINE_SCALE_NONE)
		appendStringInfoString(&buf, ",\"amounts\":\"none\"");
	else if (s->amount_scale == PIPELINE_SCALE_DOUBLE)
		appendStringInfoString(&buf, ",\"amounts\":\"double\"");
	else
		appendStringInfo(&buf, ",\"amounts\":\"numeric\",\"amount_scale\":%d", s->amount_scale);
	for (i = 0; i < PIPELINE_NSUMS; i++)
	{
		double		terms[PIPELINE_MAX_TERMS];
		int			n = PipelineLimbsExpansion(SumLimbs(s, i), s->sums[i].lo,
											   s->sums[i].n, terms);

		if (count_names[i])
			appendStringInfo(&buf, ",\"%s\":" INT64_FORMAT, count_names[i], counts[i]);
		appendStringInfo(&buf, ",\"%s\":[", PipelineSumNames[i]);
		for (j = 0; j < n; j++)
		{
			if (j > 0)
				appendStringInfoChar(&buf, ',');
			KpiAppendFloat8(&buf, terms[j]);
		}
		appendStringInfoChar(&buf, ']');
	}
	for (i = 0; i < 2; i++)
	{
		if (s->exact[i] < 0)
		{
			appendStringInfo(&buf, ",\"%s\":", PipelineSketchNames[i]);
			AppendSketch(&buf, s, i);
			continue;
		}
		appendStringInfo(&buf, ",\"%s\":[", PipelineExactNames[i]);
		for (j = 0; j < s->exact[i]; j++)
		{
			if (j > 0)
				appendStringInfoChar(&buf, ',');
			KpiAppendFloat8(&buf, ExactValues(s, i)[j]);
		}
		appendStringInfoChar(&buf, ']');
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

Datum
pipeline_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	PipelineSummary *s;
	const char *problem;
	int			version,
				i,
				j;

	version = KpiRecvVersionRange(buf, PipelineType.name, PIPELINE_FORMAT_V1,
								  PIPELINE_FORMAT_VERSION);
	s = PipelineCreate();
	if (version == PIPELINE_FORMAT_VERSION)
	{
		KpiRecvNeed(buf, PipelineType.name, 2, false);
		s->amount_scale = (int16) pq_getmsgint(buf, 2);
	}
	KpiRecvNeed(buf, PipelineType.name, 4 * 8, false);
	s->open_deals = pq_getmsgint64(buf);
	s->won_deals = pq_getmsgint64(buf);
	s->lost_deals = pq_getmsgint64(buf);
	s->cycle_deals = pq_getmsgint64(buf);
	if (version >= 3)
	{
		KpiRecvNeed(buf, PipelineType.name, 8, false);
		s->unweighted_deals = pq_getmsgint64(buf);
	}
	for (i = 0; i < (version >= 3 ? PIPELINE_NSUMS : PIPELINE_NSUMS_V2); i++)
	{
		double		terms[PIPELINE_MAX_TERMS];
		int			n = 2;

		if (version != PIPELINE_FORMAT_V1)
		{
			n = (int) KpiRecvCount(buf, PipelineType.name, 4, PIPELINE_MAX_TERMS, 8);
			if (n == 0)
				KpiBinaryInputError(PipelineType.name, "A sum has no terms.");
		}
		KpiRecvNeed(buf, PipelineType.name, 8 * n, false);
		for (j = 0; j < n; j++)
		{
			terms[j] = pq_getmsgfloat8(buf);
			if (!isfinite(terms[j]))
				KpiBinaryInputError(PipelineType.name, "A sum is not finite.");
		}
		if ((s = PipelineSumSetTerms(s, i, terms, n, &problem)) == NULL)
			KpiBinaryInputError(PipelineType.name, "%s", problem);
	}
	for (i = 0; i < 2; i++)
	{
		int64		zeros;
		int32		n,
					last = PG_INT32_MIN;

		if (version == PIPELINE_FORMAT_VERSION)
		{
			int			exact;

			KpiRecvNeed(buf, PipelineType.name, 1, false);
			exact = pq_getmsgbyte(buf);
			if (exact != 0 && exact != 1)
				KpiBinaryInputError(PipelineType.name, "A distribution is marked %d, not 0 (sketch) or 1 (exact values).", exact);
			if (exact == 1)
			{
				n = (int32) KpiRecvCount(buf, PipelineType.name, 4, PIPELINE_MAX_EXACT, 8);
				for (j = 0; j < n; j++)
				{
					double		x = pq_getmsgfloat8(buf);

					if (!ExactValueValid(x))
						KpiBinaryInputError(PipelineType.name, "Exact values must be finite numbers from 0 up.");
					s = PipelineValueAdd(s, i, x);
				}
				continue;
			}
		}
		s->exact[i] = -1;
		KpiRecvNeed(buf, PipelineType.name, 8, false);
		zeros = pq_getmsgint64(buf);
		if (zeros < 0)
			KpiBinaryInputError(PipelineType.name, "A count is negative.");
		/* (int32 key, int64 count) per bucket */
		n = (int32) KpiRecvCount(buf, PipelineType.name, 4, 2 * PIPELINE_MAX_KEY + 1, 12);
		s->sketch[i].zeros = zeros;
		for (j = 0; j < n; j++)
		{
			int32		key = pq_getmsgint(buf, 4);
			int64		count = pq_getmsgint64(buf);

			if (key < -PIPELINE_MAX_KEY || key > PIPELINE_MAX_KEY ||
				key <= last || count <= 0)
				KpiBinaryInputError(PipelineType.name, "Sketch buckets must have increasing keys within +/-40000 and positive counts.");
			last = key;
			s = PipelineSketchAdd(s, i, false, key, count);
		}
	}
	KpiRecvEnd(buf, PipelineType.name);
	if (version < PIPELINE_FORMAT_VERSION)
		PipelineFromOldDefaults(s);
	if ((problem = PipelineCountsError(s)) != NULL)
		KpiBinaryInputError(PipelineType.name, "%s", problem);
	PG_RETURN_POINTER(PipelineCanonical(s));
}

Datum
pipeline_summary_send(PG_FUNCTION_ARGS)
{
	PipelineSummary *s = PipelineSorted(PipelineGetArg(fcinfo, 0));
	StringInfoData buf;
	int			i,
				j;

	KpiSendVersion(&buf, PIPELINE_FORMAT_VERSION);
	pq_sendint16(&buf, s->amount_scale);
	pq_sendint64(&buf, s->open_deals);
	pq_sendint64(&buf, s->won_deals);
	pq_sendint64(&buf, s->lost_deals);
	pq_sendint64(&buf, s->cycle_deals);
	pq_sendint64(&buf, s->unweighted_deals);
	for (i = 0; i < PIPELINE_NSUMS; i++)
	{
		double		terms[PIPELINE_MAX_TERMS];
		int			n = PipelineLimbsExpansion(SumLimbs(s, i), s->sums[i].lo,
											   s->sums[i].n, terms);

		pq_sendint32(&buf, n);
		for (j = 0; j < n; j++)
			pq_sendfloat8(&buf, terms[j]);
	}
	for (i = 0; i < 2; i++)
	{
		int64	   *counts = SketchCounts(s, i);
		int32	   *keys = SketchKeys(s, i);

		pq_sendbyte(&buf, s->exact[i] >= 0);
		if (s->exact[i] >= 0)
		{
			pq_sendint32(&buf, s->exact[i]);
			for (j = 0; j < s->exact[i]; j++)
				pq_sendfloat8(&buf, ExactValues(s, i)[j]);
			continue;
		}
		pq_sendint64(&buf, s->sketch[i].zeros);
		pq_sendint32(&buf, s->sketch[i].nbuckets);
		for (j = 0; j < s->sketch[i].nbuckets; j++)
		{
			pq_sendint32(&buf, keys[j]);
			pq_sendint64(&buf, counts[j]);
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
