/*-------------------------------------------------------------------------
 *
 * pipeline_forecast.c
 *	  Forecast of the open pipeline of a period: historical stage-to-won
 *	  rates from the stage conversion matrix, and the expected won amount
 *	  with an interval from the deals' outcomes and the rates' uncertainty.
 *
 * stage_win_rates reads a stage_conversions matrix as a Markov chain over
 * the stages (each stage's next-stage shares among the deals that left it)
 * and gives each stage the probability that a deal in it ends in the won
 * stage rather than the lost one: along a linear funnel, the product of
 * the stage-to-stage conversion rates after it; with skips and loops, the
 * absorption probability.  It is computed by value iteration, which
 * converges to the least solution even when a group of stages never leads
 * to an outcome (their rate is then NULL).
 *
 * pipeline_forecast aggregates the open deals, each with its stage's rate
 * p and the number n of deals behind it.  Given the rates, each deal is won
 * with probability p (a Bernoulli); the rate itself is uncertain, a Beta
 * distribution of mean p and n + 1 pseudo-observations (as the Jeffreys
 * posterior Beta(w + 1/2, n - w + 1/2) of w wins in n deals has), so of
 * variance V = p (1 - p) / (n + 2), and is shared by the deals of its stage.
 * By the law of total variance the won amount W has
 *     E[W] = sum_s p_s A_s
 *     Var[W] = sum_s ((p_s - p_s^2 - V_s) B_s + V_s A_s^2)
 * with A_s, B_s the sum of the amounts and of their squares in stage s.
 * The interval is the normal approximation E[W] +/- z sd, clipped to
 * [0, pipeline]: an estimate (doc/pipeline.md).
 *
 *-------------------------------------------------------------------------
 */
#include "pipeline.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/typcache.h"

/* Distinct stages one matrix or forecast accepts, as the stage aggregates */
#define FORECAST_MAX_STAGES	1000

/* Value iteration: the tolerance, and the most sweeps */
#define FORECAST_TOLERANCE	1e-15
#define FORECAST_MAX_SWEEPS	100000

/* The serialized state's format, and its name in errors */
#define FORECAST_SERIAL_VERSION 1
#define FORECAST_STATE_NAME "pipeline forecast state"

/* The normal quantile of the 95 % interval */
#define FORECAST_Z95		1.959963984540054

PG_FUNCTION_INFO_V1(stage_win_rates);
PG_FUNCTION_INFO_V1(pipeline_forecast_state_accum);
PG_FUNCTION_INFO_V1(pipeline_forecast_state_combine);
PG_FUNCTION_INFO_V1(pipeline_forecast_state_serialize);
PG_FUNCTION_INFO_V1(pipeline_forecast_state_deserialize);
PG_FUNCTION_INFO_V1(pipeline_forecast_final);


/* ---------------------------------------------------------------------------
 * stage_win_rates
 */

/* The index of a name among names[0 .. *n - 1], added if new */
static int
NameIndex(char **names, int *n, const char *name)
{
	int			i;

	for (i = 0; i < *n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	if (*n >= FORECAST_MAX_STAGES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("stage matrix has more than %d stages", FORECAST_MAX_STAGES)));
	names[*n] = pstrdup(name);
	return (*n)++;
}

static int
CompareNames(const void *a, const void *b, void *arg)
{
	char	  **names = arg;

	return strcmp(names[*(const int *) a], names[*(const int *) b]);
}

typedef struct WinRates
{
	int			nstages;
	int			next;			/* the next row to return */
	int		   *order;			/* stage indexes in name order */
	char	  **names;
	double	   *rate;			/* NaN: unknown */
	int64	   *left;			/* deals that left the stage */
	bool	   *terminal;
} WinRates;

/*
 * The rates of the stages of a matrix: each stage's moves to other stages
 * (rows with a to_stage; the deals still in a stage, to_stage NULL, have
 * no outcome yet and are left out), then value iteration of the
 * probabilities of ending in won and in lost.
 */
static WinRates *
ComputeWinRates(ArrayType *matrix, const char *won, const char *lost)
{
	WinRates   *wr = palloc0(sizeof(WinRates));
	Datum	   *elems;
	bool	   *elem_nulls;
	int			nelems,
				i,
				s,
				won_i,
				lost_i,
				nedges = 0,
				sweep;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	int		   *edge_from,
			   *edge_to;
	int64	   *edge_deals;
	double	   *pw,
			   *pl,
			   *nw,
			   *nl;

	get_typlenbyvalalign(ARR_ELEMTYPE(matrix), &typlen, &typbyval, &typalign);
	deconstruct_array(matrix, ARR_ELEMTYPE(matrix), typlen, typbyval, typalign,
					  &elems, &elem_nulls, &nelems);
	wr->names = palloc(sizeof(char *) * FORECAST_MAX_STAGES);
	won_i = NameIndex(wr->names, &wr->nstages, won);
	lost_i = NameIndex(wr->names, &wr->nstages, lost);
	edge_from = palloc(sizeof(int) * (nelems + 1));
	edge_to = palloc(sizeof(int) * (nelems + 1));
	edge_deals = palloc(sizeof(int64) * (nelems + 1));
	for (i = 0; i < nelems; i++)
	{
		HeapTupleHeader t;
		bool		from_null,
					to_null,
					deals_null;
		Datum		from,
					to,
					deals;
		int			f;

		if (elem_nulls[i])
			continue;
		t = DatumGetHeapTupleHeader(elems[i]);
		from = GetAttributeByNum(t, 1, &from_null);
		to = GetAttributeByNum(t, 2, &to_null);
		deals = GetAttributeByNum(t, 3, &deals_null);
		if (from_null || deals_null)
			continue;
		if (DatumGetInt64(deals) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("stage matrix has a negative deal count")));
		f = NameIndex(wr->names, &wr->nstages, TextDatumGetCString(from));
		if (to_null)
			continue;
		edge_from[nedges] = f;
		edge_to[nedges] = NameIndex(wr->names, &wr->nstages, TextDatumGetCString(to));
		edge_deals[nedges] = DatumGetInt64(deals);
		nedges++;
	}

	wr->rate = palloc(sizeof(double) * wr->nstages);
	wr->left = palloc0(sizeof(int64) * wr->nstages);
	wr->terminal = palloc0(sizeof(bool) * wr->nstages);
	wr->terminal[won_i] = wr->terminal[lost_i] = true;
	for (i = 0; i < nedges; i++)
		if (!wr->terminal[edge_from[i]] &&
			pg_add_s64_overflow(wr->left[edge_from[i]], edge_deals[i], &wr->left[edge_from[i]]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("stage matrix deal count out of range")));

	/*
	 * Jacobi sweeps from zero: pw[s] and pl[s] increase to the probabilities
	 * of reaching won and lost from s; after k sweeps they count the paths
	 * of at most k moves, so a funnel of k stages is exact after k sweeps.
	 */
	pw = palloc0(sizeof(double) * wr->nstages);
	pl = palloc0(sizeof(double) * wr->nstages);
	nw = palloc(sizeof(double) * wr->nstages);
	nl = palloc(sizeof(double) * wr->nstages);
	pw[won_i] = 1.0;
	pl[lost_i] = 1.0;
	for (sweep = 0; sweep < FORECAST_MAX_SWEEPS; sweep++)
	{
		double		change = 0.0;

		CHECK_FOR_INTERRUPTS();
		for (s = 0; s < wr->nstages; s++)
		{
			nw[s] = wr->terminal[s] ? pw[s] : 0.0;
			nl[s] = wr->terminal[s] ? pl[s] : 0.0;
		}
		for (i = 0; i < nedges; i++)
		{
			int			f = edge_from[i];
			double		q;

			if (wr->terminal[f])
				continue;
			q = (double) edge_deals[i] / (double) wr->left[f];
			nw[f] += q * pw[edge_to[i]];
			nl[f] += q * pl[edge_to[i]];
		}
		for (s = 0; s < wr->nstages; s++)
		{
			change = Max(change, fabs(nw[s] - pw[s]) + fabs(nl[s] - pl[s]));
			pw[s] = nw[s];
			pl[s] = nl[s];
		}
		if (change <= FORECAST_TOLERANCE)
			break;
	}
	if (sweep == FORECAST_MAX_SWEEPS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("stage win rates did not converge in %d sweeps", FORECAST_MAX_SWEEPS),
				 errhint("Loops between stages that deals almost never leave slow it down.")));
	for (s = 0; s < wr->nstages; s++)
		wr->rate[s] = pw[s] + pl[s] > 0.0 ? Min(1.0, pw[s] / (pw[s] + pl[s])) : NAN;

	wr->order = palloc(sizeof(int) * wr->nstages);
	for (s = 0; s < wr->nstages; s++)
		wr->order[s] = s;
	qsort_arg(wr->order, wr->nstages, sizeof(int), CompareNames, wr->names);
	return wr;
}

/*
 * stage_win_rates(matrix, won_stage, lost_stage): one row per stage other
 * than the two outcomes, in name order: (stage, win_rate, deals), deals
 * being those that left the stage (the sample of its moves)
 */
Datum
stage_win_rates(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	WinRates   *wr;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		TupleDesc	tupdesc;
		char	   *won,
				   *lost;

		funcctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "stage_win_rates must return a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		won = text_to_cstring(PG_GETARG_TEXT_PP(1));
		lost = text_to_cstring(PG_GETARG_TEXT_PP(2));
		if (strcmp(won, lost) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("won stage and lost stage are both \"%s\"", won)));
		funcctx->user_fctx = ComputeWinRates(PG_GETARG_ARRAYTYPE_P(0), won, lost);
		MemoryContextSwitchTo(old);
	}
	funcctx = SRF_PERCALL_SETUP();
	wr = funcctx->user_fctx;
	while (wr->next < wr->nstages)
	{
		int			s = wr->order[wr->next++];
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		if (wr->terminal[s])
			continue;
		values[0] = CStringGetTextDatum(wr->names[s]);
		values[1] = Float8GetDatum(wr->rate[s]);
		nulls[1] = isnan(wr->rate[s]);
		values[2] = Int64GetDatum(wr->left[s]);
		SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
																   values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}


/* ---------------------------------------------------------------------------
 * pipeline_forecast
 */

/* The deals of one stage, which share its rate */
typedef struct ForecastStage
{
	char	   *name;
	int			len;			/* of name */
	double		rate;
	int64		rate_deals;		/* -1: NULL, the rate taken as exact */
	KpiSum		amount;			/* A_s */
	KpiSum		square;			/* B_s */
} ForecastStage;

typedef struct ForecastState
{
	MemoryContext cxt;
	int64		deals;
	int64		deals_without_rate;
	KpiSum		pipeline;
	KpiSum		weighted;
	KpiSum		independent;	/* sum of a^2 p (1 - p) of deals without a stage */
	KpiSum		expected_free;	/* sum of a p of deals without a stage */
	int			nstages;
	int			capacity;
	int			last;			/* the stage of the last row: rows come grouped */
	ForecastStage *stages;
} ForecastState;

static ForecastState *
ForecastCreate(MemoryContext cxt)
{
	ForecastState *st = MemoryContextAllocZero(cxt, sizeof(ForecastState));

	st->cxt = cxt;
	return st;
}

static void
ForecastOverflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("pipeline_forecast sum out of range")));
}

static void
ForecastSumAdd(KpiSum *s, double x)
{
	if (!KpiSumAdd(s, x))
		ForecastOverflow();
}

static void
ForecastSumMerge(KpiSum *a, const KpiSum *b)
{
	ForecastSumAdd(a, b->sum);
	ForecastSumAdd(a, b->comp);
}

/* The stage of a name with its rate, added if new; 22023 if its rate differs */
static ForecastStage *
ForecastStageOf(ForecastState *st, const char *name, int len, double rate, int64 rate_deals)
{
	ForecastStage *fs;
	int			i;

	for (i = 0; i < st->nstages; i++)
	{
		/* the last row's stage first, then the others in order */
		int			k = i == 0 ? st->last : (i <= st->last ? i - 1 : i);

		fs = &st->stages[k];
		if (fs->len == len && memcmp(fs->name, name, len) == 0)
		{
			st->last = k;
			if (fs->rate != rate || fs->rate_deals != rate_deals)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("stage \"%s\" has two win rates: %g of %lld deals and %g of %lld deals",
								fs->name, fs->rate, (long long) fs->rate_deals,
								rate, (long long) rate_deals),
						 errhint("Join each open deal to the one rate of its stage.")));
			return fs;
		}
	}
	if (st->nstages >= FORECAST_MAX_STAGES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("pipeline_forecast has more than %d stages", FORECAST_MAX_STAGES)));
	if (st->nstages == st->capacity)
	{
		st->capacity = Max(8, st->capacity * 2);
		st->stages = st->stages == NULL ?
			MemoryContextAlloc(st->cxt, sizeof(ForecastStage) * st->capacity) :
			repalloc(st->stages, sizeof(ForecastStage) * st->capacity);
	}
	st->last = st->nstages;
	fs = &st->stages[st->nstages++];
	memset(fs, 0, sizeof(ForecastStage));
	fs->len = len;
	fs->name = MemoryContextAlloc(st->cxt, len + 1);
	memcpy(fs->name, name, len);
	fs->name[len] = '\0';
	fs->rate = rate;
	fs->rate_deals = rate_deals;
	return fs;
}

/* A fraction argument: NaN for NULL, else in [0, 1] or a 22003 error */
static double
ForecastFraction(FunctionCallInfo fcinfo, int argno, const char *what)
{
	double		x;

	if (PG_ARGISNULL(argno))
		return NAN;
	x = PG_GETARG_FLOAT8(argno);
	if (!(x >= 0.0 && x <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s %g is out of range", what, x),
				 errhint("It is a fraction from 0 to 1.")));
	return x;
}

/*
 * pipeline_forecast_state_accum(state, amount, probability, stage, win_rate,
 * rate_deals): one open deal; a NULL amount skips it
 */
Datum
pipeline_forecast_state_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = KpiAggContext(fcinfo);
	ForecastState *st;
	double		a,
				probability,
				rate;
	int			dscale;

	st = PG_ARGISNULL(0) ? ForecastCreate(aggcxt) : (ForecastState *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	a = KpiNumericToFloat8(PG_GETARG_NUMERIC(1), &dscale);
	if (!(a >= 0.0) || isinf(a))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("deal amount %g is out of range", a),
				 errhint("Amounts are finite and not negative.")));
	probability = ForecastFraction(fcinfo, 2, "deal probability");
	rate = ForecastFraction(fcinfo, 4, "stage win rate");
	if (!PG_ARGISNULL(5) && PG_GETARG_INT64(5) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("stage win rate deals %lld is out of range",
						(long long) PG_GETARG_INT64(5)),
				 errhint("It is the number of deals behind the rate, 0 or more.")));
	if (unlikely(st->deals == PG_INT64_MAX))
		ForecastOverflow();
	st->deals++;
	ForecastSumAdd(&st->pipeline, a);
	if (!isnan(probability))
		ForecastSumAdd(&st->weighted, a * probability);
	if (isnan(rate))
		st->deals_without_rate++;
	else if (PG_ARGISNULL(3))
	{
		/* a rate of its own: a Bernoulli of mean rate, whatever its spread */
		ForecastSumAdd(&st->expected_free, a * rate);
		ForecastSumAdd(&st->independent, a * a * rate * (1.0 - rate));
	}
	else
	{
		text	   *stage = PG_GETARG_TEXT_PP(3);
		ForecastStage *fs = ForecastStageOf(st, VARDATA_ANY(stage), VARSIZE_ANY_EXHDR(stage),
											rate, PG_ARGISNULL(5) ? -1 : PG_GETARG_INT64(5));

		ForecastSumAdd(&fs->amount, a);
		ForecastSumAdd(&fs->square, a * a);
	}
	PG_RETURN_POINTER(st);
}

/* Add b to a (a KpiMergeStates) */
static void
ForecastMerge(void *into, const void *from)
{
	ForecastState *a = into;
	const ForecastState *b = from;
	int			i;

	if (pg_add_s64_overflow(a->deals, b->deals, &a->deals) ||
		pg_add_s64_overflow(a->deals_without_rate, b->deals_without_rate,
							&a->deals_without_rate))
		ForecastOverflow();
	ForecastSumMerge(&a->pipeline, &b->pipeline);
	ForecastSumMerge(&a->weighted, &b->weighted);
	ForecastSumMerge(&a->independent, &b->independent);
	ForecastSumMerge(&a->expected_free, &b->expected_free);
	for (i = 0; i < b->nstages; i++)
	{
		const ForecastStage *bs = &b->stages[i];
		ForecastStage *fs = ForecastStageOf(a, bs->name, bs->len, bs->rate, bs->rate_deals);

		ForecastSumMerge(&fs->amount, &bs->amount);
		ForecastSumMerge(&fs->square, &bs->square);
	}
}

static void *
ForecastCreateLike(MemoryContext cxt, const void *like)
{
	return ForecastCreate(cxt);
}

Datum
pipeline_forecast_state_combine(PG_FUNCTION_ARGS)
{
	return KpiCombineInternal(fcinfo, ForecastCreateLike, ForecastMerge);
}

static void
SendSum(StringInfo buf, const KpiSum *s)
{
	pq_sendfloat8(buf, s->sum);
	pq_sendfloat8(buf, s->comp);
}

static void
RecvSum(StringInfo buf, KpiSum *s)
{
	s->sum = pq_getmsgfloat8(buf);
	s->comp = pq_getmsgfloat8(buf);
	if (!isfinite(s->sum) || !isfinite(s->comp))
		KpiBinaryInputError(FORECAST_STATE_NAME, "A sum is not finite.");
}

/*
 * Serialized form: int8 version; int64 deals and deals without a rate; the
 * pipeline, weighted, independent and expected_free sums as float8 pairs;
 * int32 stages, each as int32 length + name, float8 rate, int64 rate
 * deals, and its two sums as float8 pairs
 */
Datum
pipeline_forecast_state_serialize(PG_FUNCTION_ARGS)
{
	ForecastState *st = (ForecastState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			i;

	KpiSendVersion(&buf, FORECAST_SERIAL_VERSION);
	pq_sendint64(&buf, st->deals);
	pq_sendint64(&buf, st->deals_without_rate);
	SendSum(&buf, &st->pipeline);
	SendSum(&buf, &st->weighted);
	SendSum(&buf, &st->independent);
	SendSum(&buf, &st->expected_free);
	pq_sendint32(&buf, st->nstages);
	for (i = 0; i < st->nstages; i++)
	{
		ForecastStage *fs = &st->stages[i];

		pq_sendint32(&buf, fs->len);
		pq_sendbytes(&buf, fs->name, fs->len);
		pq_sendfloat8(&buf, fs->rate);
		pq_sendint64(&buf, fs->rate_deals);
		SendSum(&buf, &fs->amount);
		SendSum(&buf, &fs->square);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
pipeline_forecast_state_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcxt = KpiAggContext(fcinfo);
	StringInfoData buf;
	ForecastState *st;
	int32		nstages,
				i;

	KpiReadBuffer(&buf, data);
	KpiRecvVersion(&buf, FORECAST_STATE_NAME, FORECAST_SERIAL_VERSION);
	st = ForecastCreate(aggcxt);
	KpiRecvNeed(&buf, FORECAST_STATE_NAME, 16 + 64, false);
	st->deals = pq_getmsgint64(&buf);
	st->deals_without_rate = pq_getmsgint64(&buf);
	if (st->deals < 0 || st->deals_without_rate < 0 || st->deals_without_rate > st->deals)
		KpiBinaryInputError(FORECAST_STATE_NAME, "A count is out of range.");
	RecvSum(&buf, &st->pipeline);
	RecvSum(&buf, &st->weighted);
	RecvSum(&buf, &st->independent);
	RecvSum(&buf, &st->expected_free);
	nstages = (int32) KpiRecvCount(&buf, FORECAST_STATE_NAME, 4, FORECAST_MAX_STAGES, 4 + 48);
	for (i = 0; i < nstages; i++)
	{
		int32		len = (int32) KpiRecvCount(&buf, FORECAST_STATE_NAME, 4, 1000000, 1);
		const char *name = pq_getmsgbytes(&buf, len);
		double		rate;
		int64		rate_deals;
		ForecastStage *fs;

		KpiRecvNeed(&buf, FORECAST_STATE_NAME, 48, false);
		rate = pq_getmsgfloat8(&buf);
		rate_deals = pq_getmsgint64(&buf);
		if (!(rate >= 0.0 && rate <= 1.0) || rate_deals < -1)
			KpiBinaryInputError(FORECAST_STATE_NAME, "A stage rate is out of range.");
		fs = ForecastStageOf(st, name, len, rate, rate_deals);
		RecvSum(&buf, &fs->amount);
		RecvSum(&buf, &fs->square);
	}
	KpiRecvEnd(&buf, FORECAST_STATE_NAME);
	PG_RETURN_POINTER(st);
}

/*
 * pipeline_forecast_final(state): (deals, pipeline, weighted, expected,
 * std_error, lower, upper, deals_without_rate); no row gives zeros
 */
Datum
pipeline_forecast_final(PG_FUNCTION_ARGS)
{
	ForecastState *st = PG_ARGISNULL(0) ? NULL : (ForecastState *) PG_GETARG_POINTER(0);
	TupleDesc	tupdesc;
	Datum		values[8];
	bool		nulls[8] = {false, false, false, false, false, false, false, false};
	double		pipeline = 0.0,
				weighted = 0.0,
				expected = 0.0,
				variance = 0.0,
				sd;
	int			i;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "pipeline_forecast_final must return a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	if (st != NULL)
	{
		pipeline = st->pipeline.sum + st->pipeline.comp;
		weighted = st->weighted.sum + st->weighted.comp;
		expected = st->expected_free.sum + st->expected_free.comp;
		variance = st->independent.sum + st->independent.comp;
		for (i = 0; i < st->nstages; i++)
		{
			ForecastStage *fs = &st->stages[i];
			double		p = fs->rate,
						amount = fs->amount.sum + fs->amount.comp,
						square = fs->square.sum + fs->square.comp,
						v = fs->rate_deals < 0 ? 0.0 : p * (1.0 - p) / ((double) fs->rate_deals + 2.0);

			expected += p * amount;
			variance += (p - p * p - v) * square + v * amount * amount;
		}
		if (!isfinite(expected) || !isfinite(variance))
			ForecastOverflow();
	}
	sd = sqrt(Max(variance, 0.0));
	values[0] = Int64GetDatum(st != NULL ? st->deals : 0);
	values[1] = Float8GetDatum(pipeline);
	values[2] = Float8GetDatum(weighted);
	values[3] = Float8GetDatum(expected);
	values[4] = Float8GetDatum(sd);
	values[5] = Float8GetDatum(Max(0.0, expected - FORECAST_Z95 * sd));
	values[6] = Float8GetDatum(Min(pipeline, expected + FORECAST_Z95 * sd));
	values[7] = Int64GetDatum(st != NULL ? st->deals_without_rate : 0);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
