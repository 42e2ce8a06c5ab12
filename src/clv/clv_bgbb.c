/*-------------------------------------------------------------------------
 *
 * clv_bgbb.c
 *	  The BG/BB model of discrete-time noncontractual customers (Fader,
 *	  Hardie & Shang 2010, "Customer-Base Analysis in a Discrete-Time
 *	  Noncontractual Setting", Marketing Science 29(6)): its maximum-
 *	  likelihood fit over customers' (x, t_x, n) and its predictions.
 *
 * A customer has n transaction opportunities (yearly campaigns, renewal
 * dates...).  While alive, they transact at each opportunity with
 * probability p; at the start of each opportunity, an alive customer dies
 * with probability theta; p ~ Beta(alpha, beta) and theta ~ Beta(gamma,
 * delta) across customers.  The data of a customer are x transactions, the
 * last at opportunity t_x (0 if x = 0), among the n opportunities after the
 * customer's first transaction (which is not counted: x counts repeats).
 *
 * The model type bgbb_model uses the generic model I/O of clv_fit.c
 * (ClvBgbbKind).  The fit collects the customers' (x, t_x, n) cells with
 * counts, so that a fit over millions of customers evaluates the likelihood
 * over the few distinct cells a campaign history has.
 *
 *-------------------------------------------------------------------------
 */
#include "clv.h"
#include "clv_fit.h"

#include <float.h>
#include <math.h>

#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"

/*
 * The series of the likelihood (over the opportunities after t_x) and of
 * the expectations (over the future opportunities) are summed term by term;
 * a customer or horizon needing a longer one is out of range (22003).  A
 * fit evaluates the likelihood a thousand times or more (a degenerate one
 * up to the simplex's iteration limit): one needing more than
 * BGBB_MAX_FIT_TERMS per evaluation over all its cells, seconds to a minute
 * of work, is a program limit (54000).  Periods stay below 2^53, where every
 * count is exact as a double.
 */
#define BGBB_MAX_TERMS 10000000
#define BGBB_MAX_FIT_TERMS 100000
#define BGBB_MAX_PERIODS (INT64CONST(1) << 53)

/* The search box of the fit, as clv_fit.c's: see FIT_BOX there */
#define BGBB_BOX 15.0
#define BGBB_MAX_LOG 700.0
#define BGBB_TOL 1e-10
#define BGBB_MAX_ITER 5000

PG_FUNCTION_INFO_V1(bgbb_alpha);
PG_FUNCTION_INFO_V1(bgbb_beta);
PG_FUNCTION_INFO_V1(bgbb_gamma);
PG_FUNCTION_INFO_V1(bgbb_delta);
PG_FUNCTION_INFO_V1(bgbb_fit_state_accum);
PG_FUNCTION_INFO_V1(bgbb_fit_state_accum_weighted);
PG_FUNCTION_INFO_V1(bgbb_fit_state_accum_weighted_penalized);
PG_FUNCTION_INFO_V1(bgbb_fit_state_combine);
PG_FUNCTION_INFO_V1(bgbb_fit_state_serialize);
PG_FUNCTION_INFO_V1(bgbb_fit_state_deserialize);
PG_FUNCTION_INFO_V1(bgbb_fit_final);
PG_FUNCTION_INFO_V1(bgbb_std_errors_final);
PG_FUNCTION_INFO_V1(bgbb_probability_alive);
PG_FUNCTION_INFO_V1(bgbb_expected_purchases);
PG_FUNCTION_INFO_V1(bgbb_new_expected_purchases);
PG_FUNCTION_INFO_V1(bgbb_purchase_probability);


/*
 * The model type bgbb_model, its text {"version":1,"alpha":..,"beta":..,
 * "gamma":..,"delta":..,"log_likelihood":..,"customers":n,"converged":true}
 * and binary forms, constructor and accessors are the other models' generic
 * ones (clv_fit.c).
 */

/* The parameters as plain columns: the fields of parameters(m) */
Datum
bgbb_alpha(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "parameters", "alpha");
}

Datum
bgbb_beta(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "parameters", "beta");
}

Datum
bgbb_gamma(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "parameters", "gamma");
}

Datum
bgbb_delta(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "parameters", "delta");
}


/*
 * A customer's (x, t_x, n): 0 <= x <= t_x <= n < 2^53, t_x = 0 exactly when
 * x = 0, and at most BGBB_MAX_TERMS opportunities after t_x.  Why not, or
 * NULL.
 */
static const char *
BgbbCellError(int64 x, int64 tx, int64 n)
{
	if (x < 0 || tx < x || n < tx)
		return "The frequency, recency and periods must satisfy 0 <= frequency <= recency <= periods.";
	if (x == 0 && tx != 0)
		return "A customer without transactions has recency 0.";
	if (n >= BGBB_MAX_PERIODS)
		return "The periods must be below 2^53.";
	return NULL;
}

static void
BgbbCheckCell(int64 x, int64 tx, int64 n)
{
	const char *problem = BgbbCellError(x, tx, n);

	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("BG/BB customer (frequency " INT64_FORMAT ", recency " INT64_FORMAT
						", periods " INT64_FORMAT ") is invalid", x, tx, n),
				 errdetail("%s", problem),
				 errhint("recency is the opportunity of the last transaction (1..periods), 0 when there is none.")));
	if (n - tx > BGBB_MAX_TERMS)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("BG/BB customer (frequency " INT64_FORMAT ", recency " INT64_FORMAT
						", periods " INT64_FORMAT ") has more than %d opportunities after the last transaction",
						x, tx, n, BGBB_MAX_TERMS)));
}

/*----
 * ln(G(a + m) / G(a)) for a > 0 and a whole m >= 0, accurately also where
 * a is huge or tiny (lgamma(a + m) - lgamma(a) would cancel, e.g. to 0 at
 * a = 1e20): every ratio of Beta functions of the model is a sum of these,
 *		B(a + x, b + k) / B(a, b) = (a)_x (b)_k / (a + b)_(x+k)
 * Up to 64 factors, the sum of their logs; for a >= 100, the difference of
 * Stirling's series,
 *		(a - 1/2) ln(1 + m / a) + m ln(a + m) - m + [1/(12 z) - 1/(360 z^3)
 *		+ 1/(1260 z^5)] from z = a to a + m
 * (truncation below 1e-17); otherwise lgamma's difference, which has no
 * cancellation there (lgamma(a) <= 360 against the result's size).
 */
static double
LogRising(double a, int64 m)
{
	double		sum = 0.0;
	int64		j;

	if (m <= 64)
	{
		for (j = 0; j < m; j++)
			sum += log(a + (double) j);
		return sum;
	}
	if (a >= 100)
	{
		double		md = (double) m,
					b = a + md;

		return (a - 0.5) * log1p(md / a) + md * log(b) - md +
			(1 / (12 * b) - 1 / (12 * a)) -
			(1 / (360 * b * b * b) - 1 / (360 * a * a * a)) +
			(1 / (1260 * b * b * b * b * b) - 1 / (1260 * a * a * a * a * a));
	}
	return lgamma(a + (double) m) - lgamma(a);
}

/* ln B(a + x, b + k) / B(a, b) */
static double
LogBetaRatio(double a, double b, int64 x, int64 k)
{
	return LogRising(a, x) + LogRising(b, k) - LogRising(a + b, x + k);
}

/* ln(gamma / (gamma + delta)) = ln B(gamma + 1, delta) / B(gamma, delta) */
static double
LogDropFirst(double gamma, double delta)
{
	return -log1p(delta / gamma);
}

static double
LogAddExp(double u, double v)
{
	double		hi = Max(u, v);

	return hi + log1p(exp(Min(u, v) - hi));
}

/*----
 * The log-likelihood of one customer (Fader, Hardie & Shang 2010, eq. 5):
 *		L = B(alpha + x, beta + n - x) / B(alpha, beta)
 *			* B(gamma, delta + n) / B(gamma, delta)
 *		  + sum_{i=0}^{n-t_x-1} B(alpha + x, beta + t_x - x + i) / B(alpha, beta)
 *			* B(gamma + 1, delta + t_x + i) / B(gamma, delta)
 * alive through all n opportunities, or dead at opportunity t_x + i + 1.
 * The terms of the sum, divided by its first, are the running products of
 *		(beta + t_x - x + i) / (alpha + beta + t_x + i)
 *		* (delta + t_x + i) / (gamma + delta + 1 + t_x + i)
 * (B(a, b + 1) = B(a, b) b / (a + b)), all below 1: the sum is its first
 * term, in logs, times a sum of terms falling from 1.
 *
 * BgbbSeries holds the sum of the first k terms for successive k, so that
 * the customers with one (x, t_x) and different n share one pass.
 */
typedef struct BgbbSeries
{
	double		sum;			/* of the first k terms, the first being 1 */
	double		term;			/* term k (the next one) */
	int64		k;
} BgbbSeries;

static void
BgbbSeriesStart(BgbbSeries *s)
{
	s->sum = 0.0;
	s->term = 1.0;
	s->k = 0;
}

/* advance s to k terms */
static void
BgbbSeriesTo(BgbbSeries *s, const double *p, double x, double tx, int64 k)
{
	double		alpha = p[0],
				beta = p[1],
				gamma = p[2],
				delta = p[3];

	/*
	 * One division a term, of the products of the factors' numerators and
	 * denominators, where the largest denominator's product is finite (the
	 * numerators are smaller); two otherwise (parameters beyond ~1e154).
	 */
	if (isfinite((alpha + beta + tx + (double) k) * (gamma + delta + 1 + tx + (double) k)))
	{
		for (; s->k < k; s->k++)
		{
			double		i = (double) s->k;

			if ((s->k & 0xFFFF) == 0xFFFF)
				CHECK_FOR_INTERRUPTS();
			s->sum += s->term;
			s->term *= ((beta + tx - x + i) * (delta + tx + i)) /
				((alpha + beta + tx + i) * (gamma + delta + 1 + tx + i));
		}
	}
	for (; s->k < k; s->k++)
	{
		double		i = (double) s->k;

		if ((s->k & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
		s->sum += s->term;
		s->term *= (beta + tx - x + i) / (alpha + beta + tx + i) *
			((delta + tx + i) / (gamma + delta + 1 + tx + i));
	}
}

/*
 * ln L of (x, t_x, n) at p, given the series of (x, t_x) at n - t_x terms:
 * B(gamma, delta + n) / B(gamma, delta) = (delta)_n / (gamma + delta)_n and
 * B(gamma + 1, delta + t) / B(gamma, delta)
 *		= gamma / (gamma + delta) (delta)_t / (gamma + delta + 1)_t
 */
static double
BgbbCellLogLik(const double *p, int64 x, int64 tx, int64 n, const BgbbSeries *s)
{
	double		alpha = p[0],
				beta = p[1],
				gamma = p[2],
				delta = p[3],
				alive = LogBetaRatio(alpha, beta, x, n - x) +
				LogRising(delta, n) - LogRising(gamma + delta, n);

	if (s->k == 0)
		return alive;
	return LogAddExp(alive, LogBetaRatio(alpha, beta, x, tx - x) +
					 LogDropFirst(gamma, delta) + LogRising(delta, tx) -
					 LogRising(gamma + delta + 1, tx) + log(s->sum));
}

/* ln L of one customer at the parameters p */
static double
BgbbLogLik(const double *p, int64 x, int64 tx, int64 n)
{
	BgbbSeries	s;

	BgbbSeriesStart(&s);
	BgbbSeriesTo(&s, p, (double) x, (double) tx, n - tx);
	return BgbbCellLogLik(p, x, tx, n, &s);
}


/*
 * The fit state: the distinct (x, t_x, n) cells with counts, in the
 * aggregate context, in the order of their first rows, found through an
 * open-addressing hash table (linear probing, at most half full) of their
 * indexes: a row costs a hash and a probe or two.
 */
typedef struct BgbbCell
{
	int64		x;
	int64		tx;
	int64		n;
	int64		count;
} BgbbCell;

typedef struct BgbbState
{
	int32		ncells;
	int32		nalloc;
	BgbbCell   *cells;
	uint32		nslots;			/* a power of 2, >= 2 nalloc */
	int32	   *slots;			/* -1, or the index of a cell */
	double		penalizer;		/* c of the L2 penalty (0: none), as in clv_fit.h */
} BgbbState;

#define BGBB_INITIAL_CELLS 256
#define BGBB_MAX_CELLS ((int32) Min((Size) PG_INT32_MAX / 2, MaxAllocHugeSize / sizeof(BgbbCell) / 2))
/* 2 (1.3.0): the penalizer; states are transient, so only the newest is read */
#define BGBB_STATE_VERSION 2
#define BGBB_STATE_NAME "bgbb_fit state"

static int
BgbbCellCmp(const void *a, const void *b)
{
	const BgbbCell *c = a;
	const BgbbCell *d = b;

	if (c->x != d->x)
		return c->x < d->x ? -1 : 1;
	if (c->tx != d->tx)
		return c->tx < d->tx ? -1 : 1;
	if (c->n != d->n)
		return c->n < d->n ? -1 : 1;
	return 0;
}

/* *count += more, or 22003 */
static void
BgbbCount(int64 *count, int64 more)
{
	if (pg_add_s64_overflow(*count, more, count))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("bigint out of range"),
				 errdetail("Too many customers for one BG/BB fit.")));
}

static uint32
BgbbHash(int64 x, int64 tx, int64 n)
{
	uint64		h = (uint64) x * UINT64CONST(0x9E3779B97F4A7C15);

	h = (h ^ (uint64) tx) * UINT64CONST(0xC2B2AE3D27D4EB4F);
	h = (h ^ (uint64) n) * UINT64CONST(0x165667B19E3779F9);
	return (uint32) (h >> 32);
}

/* The slot of (x, t_x, n): its cell's, or the empty one where it goes */
static uint32
BgbbSlot(const BgbbState *st, int64 x, int64 tx, int64 n)
{
	uint32		mask = st->nslots - 1,
				i = BgbbHash(x, tx, n) & mask;

	for (;;)
	{
		const BgbbCell *c;

		if (st->slots[i] < 0)
			return i;
		c = &st->cells[st->slots[i]];
		if (c->x == x && c->tx == tx && c->n == n)
			return i;
		i = (i + 1) & mask;
	}
}

/* Room for one more cell: the array and the table grow twofold */
static void
BgbbReserve(BgbbState *st)
{
	MemoryContext cxt = GetMemoryChunkContext(st->cells);
	int32		i;

	if (st->ncells < st->nalloc)
		return;
	if (st->nalloc >= BGBB_MAX_CELLS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct (frequency, recency, periods) cells for one BG/BB fit")));
	st->nalloc = (int32) Min((int64) 2 * st->nalloc, BGBB_MAX_CELLS);
	st->cells = repalloc_huge(st->cells, sizeof(BgbbCell) * st->nalloc);
	while (st->nslots < 2 * (uint32) st->nalloc)
		st->nslots *= 2;
	pfree(st->slots);
	st->slots = MemoryContextAllocHuge(cxt, sizeof(int32) * st->nslots);
	memset(st->slots, -1, sizeof(int32) * st->nslots);
	for (i = 0; i < st->ncells; i++)
		st->slots[BgbbSlot(st, st->cells[i].x, st->cells[i].tx, st->cells[i].n)] = i;
}

/* count customers more of (x, t_x, n) */
static void
BgbbAdd(BgbbState *st, int64 x, int64 tx, int64 n, int64 count)
{
	uint32		slot = BgbbSlot(st, x, tx, n);
	BgbbCell   *c;

	if (st->slots[slot] >= 0)
	{
		BgbbCount(&st->cells[st->slots[slot]].count, count);
		return;
	}
	if (st->ncells == st->nalloc)
	{
		BgbbReserve(st);
		slot = BgbbSlot(st, x, tx, n);
	}
	c = &st->cells[st->ncells];
	c->x = x;
	c->tx = tx;
	c->n = n;
	c->count = count;
	st->slots[slot] = st->ncells++;
}

static BgbbState *
BgbbStateCreate(MemoryContext cxt, int32 nalloc)
{
	BgbbState  *st = MemoryContextAlloc(cxt, sizeof(BgbbState));

	st->ncells = 0;
	st->penalizer = 0.0;
	st->nalloc = Min(Max(nalloc, BGBB_INITIAL_CELLS), BGBB_MAX_CELLS);
	st->cells = MemoryContextAllocHuge(cxt, sizeof(BgbbCell) * st->nalloc);
	st->nslots = 2 * BGBB_INITIAL_CELLS;
	while (st->nslots < 2 * (uint32) st->nalloc)
		st->nslots *= 2;
	st->slots = MemoryContextAllocHuge(cxt, sizeof(int32) * st->nslots);
	memset(st->slots, -1, sizeof(int32) * st->nslots);
	return st;
}

/*
 * The transition functions: a row with a NULL argument is skipped; the
 * customers of a row (1, or the count given) must be positive.  The
 * penalized form's penalizer (argument 5) is checked on every row and is
 * the same on all (clv_fit.c).
 */
static Datum
BgbbAccum(FunctionCallInfo fcinfo, bool weighted)
{
	MemoryContext aggcxt = KpiAggContext(fcinfo);
	BgbbState  *st;
	double		c = PG_NARGS() > 5 ? ClvPenalizerArg(fcinfo, 5) : 0.0;
	int64		x,
				tx,
				n,
				count = 1;

	if (PG_ARGISNULL(0))
	{
		st = BgbbStateCreate(aggcxt, 0);
		st->penalizer = c;
	}
	else
	{
		st = (BgbbState *) PG_GETARG_POINTER(0);
		ClvPenalizerSame(st->penalizer, c);
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) ||
		(weighted && PG_ARGISNULL(4)))
		PG_RETURN_POINTER(st);
	x = PG_GETARG_INT64(1);
	tx = PG_GETARG_INT64(2);
	n = PG_GETARG_INT64(3);
	BgbbCheckCell(x, tx, n);
	if (weighted)
	{
		count = PG_GETARG_INT64(4);
		if (count <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("BG/BB customer count " INT64_FORMAT " of (frequency " INT64_FORMAT
							", recency " INT64_FORMAT ", periods " INT64_FORMAT ") is not positive",
							count, x, tx, n),
					 errhint("Leave out the cells without customers.")));
	}
	BgbbAdd(st, x, tx, n, count);
	PG_RETURN_POINTER(st);
}

/* bgbb_fit_state_accum(state, frequency, recency, periods): one customer */
Datum
bgbb_fit_state_accum(PG_FUNCTION_ARGS)
{
	return BgbbAccum(fcinfo, false);
}

/* bgbb_fit_state_accum_weighted(state, frequency, recency, periods, customers) */
Datum
bgbb_fit_state_accum_weighted(PG_FUNCTION_ARGS)
{
	return BgbbAccum(fcinfo, true);
}

/* bgbb_fit_state_accum_weighted_penalized(state, frequency, recency, periods, customers, penalizer) */
Datum
bgbb_fit_state_accum_weighted_penalized(PG_FUNCTION_ARGS)
{
	return BgbbAccum(fcinfo, true);
}

static void *
BgbbCreateLike(MemoryContext cxt, const void *like)
{
	BgbbState  *st = BgbbStateCreate(cxt, ((const BgbbState *) like)->ncells);

	st->penalizer = ((const BgbbState *) like)->penalizer;
	return st;
}

static void
BgbbMerge(void *into, const void *from)
{
	BgbbState  *a = into;
	const BgbbState *b = from;
	int32		i;

	ClvPenalizerSame(a->penalizer, b->penalizer);
	for (i = 0; i < b->ncells; i++)
	{
		if ((i & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
		BgbbAdd(a, b->cells[i].x, b->cells[i].tx, b->cells[i].n, b->cells[i].count);
	}
}

Datum
bgbb_fit_state_combine(PG_FUNCTION_ARGS)
{
	return KpiCombineInternal(fcinfo, BgbbCreateLike, BgbbMerge);
}

/* Serialized: int8 version, float8 penalizer, int32 n, n * (int64 x, t_x, n, count) */
Datum
bgbb_fit_state_serialize(PG_FUNCTION_ARGS)
{
	BgbbState  *st = (BgbbState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int32		i;

	KpiSendVersion(&buf, BGBB_STATE_VERSION);
	pq_sendfloat8(&buf, st->penalizer);
	pq_sendint32(&buf, st->ncells);
	for (i = 0; i < st->ncells; i++)
	{
		pq_sendint64(&buf, st->cells[i].x);
		pq_sendint64(&buf, st->cells[i].tx);
		pq_sendint64(&buf, st->cells[i].n);
		pq_sendint64(&buf, st->cells[i].count);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
bgbb_fit_state_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcxt = KpiAggContext(fcinfo);
	StringInfoData buf;
	BgbbState  *st;
	double		penalizer;
	int32		n,
				i;

	KpiReadBuffer(&buf, bytes);
	KpiRecvVersion(&buf, BGBB_STATE_NAME, BGBB_STATE_VERSION);
	KpiRecvNeed(&buf, BGBB_STATE_NAME, 8, false);
	penalizer = pq_getmsgfloat8(&buf);
	if (!isfinite(penalizer) || !(penalizer >= 0))
		KpiBinaryInputError(BGBB_STATE_NAME, "The penalizer %g is out of range.", penalizer);
	n = (int32) KpiRecvCount(&buf, BGBB_STATE_NAME, 4, BGBB_MAX_CELLS, 32);
	KpiRecvNeed(&buf, BGBB_STATE_NAME, (int64) n * 32, true);
	st = BgbbStateCreate(aggcxt, n);
	st->penalizer = penalizer;
	for (i = 0; i < n; i++)
	{
		BgbbCell	c;

		c.x = pq_getmsgint64(&buf);
		c.tx = pq_getmsgint64(&buf);
		c.n = pq_getmsgint64(&buf);
		c.count = pq_getmsgint64(&buf);
		/* what the transition functions add (a repeated cell adds up) */
		if (BgbbCellError(c.x, c.tx, c.n) != NULL ||
			c.n - c.tx > BGBB_MAX_TERMS || c.count < 1)
			KpiBinaryInputError(BGBB_STATE_NAME, "Cell %d is out of range.", i);
		BgbbAdd(st, c.x, c.tx, c.n, c.count);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	KpiRecvEnd(&buf, BGBB_STATE_NAME);
	PG_RETURN_POINTER(st);
}


/*
 * The data of a fit: the collapsed cells, sorted by (x, t_x, n), and, where
 * the largest n is below the number of cells, room for tables of the log
 * rising factorials the likelihood takes (an evaluation then computes
 * 6 (n + 1) logs, instead of LogRising's per cell).
 */
typedef struct BgbbFit
{
	const BgbbState *st;
	double		start[4];		/* of the search */
	int64		maxn;			/* the largest n */
	double	   *lg;				/* NULL, or 6 tables of maxn + 1 */
} BgbbFit;

/*----
 * The log-likelihood of the cells at the log-parameters theta: a plain
 * function of theta over the data.  Each (x, t_x) group sums its series
 * once, up to its largest n.  With the tables, for m = 0..max n, the
 * running sums (c)_m = sum_{j<m} ln(c + j) of c = alpha, beta, alpha + beta,
 * delta, gamma + delta, gamma + delta + 1: each term of eq. 5 is a sum of
 * table entries (BgbbCellLogLik's, with LogRising from the tables).
 */
static double
BgbbTotalLogLik(const double *theta, const BgbbFit *fit)
{
	const BgbbState *st = fit->st;
	double		p[4],
				drop_first,
				ll = 0.0;
	double	   *t[6] = {NULL};
	BgbbSeries	s;
	int32		i;

	for (i = 0; i < 4; i++)
		p[i] = exp(theta[i]);
	drop_first = LogDropFirst(p[2], p[3]);
	if (fit->lg)
	{
		double		c[6] = {p[0], p[1], p[0] + p[1], p[3], p[2] + p[3], p[2] + p[3] + 1};
		int64		m,
					size = fit->maxn + 1;
		int			k;

		for (k = 0; k < 6; k++)
		{
			t[k] = fit->lg + k * size;
			t[k][0] = 0.0;
			for (m = 1; m < size; m++)
				t[k][m] = t[k][m - 1] + log(c[k] + (double) (m - 1));
		}
	}
	for (i = 0; i < st->ncells; i++)
	{
		const BgbbCell *c = &st->cells[i];
		double		cell;

		if ((i & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (i == 0 || c->x != c[-1].x || c->tx != c[-1].tx)
			BgbbSeriesStart(&s);
		BgbbSeriesTo(&s, p, (double) c->x, (double) c->tx, c->n - c->tx);
		if (t[0] == NULL)
			cell = BgbbCellLogLik(p, c->x, c->tx, c->n, &s);
		else
		{
			/* t: alpha, beta, alpha + beta, delta, gamma + delta, gamma + delta + 1 */
			double		alive = t[0][c->x] + t[1][c->n - c->x] - t[2][c->n] +
				t[3][c->n] - t[4][c->n];

			cell = s.k == 0 ? alive :
				LogAddExp(alive, t[0][c->x] + t[1][c->tx - c->x] - t[2][c->tx] +
						  drop_first + t[3][c->tx] - t[5][c->tx] + log(s.sum));
		}
		ll += (double) c->count * cell;
	}
	return ll;
}

/* The objective of the search: -ln L inside the box around start, else +Inf */
static bool
BgbbOutOfBox(const BgbbFit *fit, const double *theta, double margin)
{
	int			i;

	for (i = 0; i < 4; i++)
		if (!(fabs(theta[i] - fit->start[i]) <= BGBB_BOX - margin) ||
			!(fabs(theta[i]) <= BGBB_MAX_LOG - margin))
			return true;
	return false;
}

static double
BgbbObjective(const double *theta, void *arg)
{
	BgbbFit    *fit = arg;

	if (BgbbOutOfBox(fit, theta, 0.0))
		return get_float8_infinity();
	return -BgbbTotalLogLik(theta, fit);
}

/*
 * BgbbFitCells
 *		The maximum-likelihood fit of the state's cells: fills fit (the data
 *		of BgbbObjective, the negative log-likelihood over the
 *		log-parameters), theta (the log-parameters found) and v.
 *		Nelder-Mead from alpha = beta = gamma = delta = 1; converged only if
 *		the simplex converged at least 1 inside the box (a parameter running
 *		off to 0 or infinity means the data do not identify the model: no
 *		transactions at all, or no one with n > t_x).  The cells are sorted
 *		in a copy: the state may take more rows (a window aggregate).  A
 *		penalized fit minimises the objective plus c N sum p_i^2
 *		(ClvPenalty, clv_fit.h); v's log-likelihood is then the unpenalized
 *		one at that optimum.
 */
static void
BgbbFitCells(const BgbbState *st, BgbbFit *fit, double *theta, ModelValues *v)
{
	BgbbState  *sorted = palloc(sizeof(BgbbState));
	KpiOptimResult res;
	int64		terms = 0;
	int32		i;

	*sorted = *st;
	sorted->cells = palloc_extended(sizeof(BgbbCell) * st->ncells, MCXT_ALLOC_HUGE);
	memcpy(sorted->cells, st->cells, sizeof(BgbbCell) * st->ncells);
	qsort(sorted->cells, sorted->ncells, sizeof(BgbbCell), BgbbCellCmp);

	memset(v, 0, sizeof(ModelValues));
	fit->st = sorted;
	fit->maxn = 0;
	for (i = 0; i < sorted->ncells; i++)
	{
		const BgbbCell *c = &sorted->cells[i];

		BgbbCount(&v->customers, c->count);
		fit->maxn = Max(fit->maxn, c->n);
		/* the series length of each (x, t_x) group is its largest n - t_x */
		if (i + 1 == sorted->ncells || c[1].x != c->x || c[1].tx != c->tx)
			terms += c->n - c->tx;
	}
	if (terms > BGBB_MAX_FIT_TERMS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("BG/BB likelihood needs " INT64_FORMAT " series terms per evaluation, more than %d",
						terms, BGBB_MAX_FIT_TERMS),
				 errhint("The customers have too many opportunities after their last transactions; use a coarser period.")));
	fit->lg = fit->maxn < sorted->ncells ?
		palloc_extended(sizeof(double) * 6 * (fit->maxn + 1), MCXT_ALLOC_HUGE) : NULL;

	for (i = 0; i < 4; i++)
		theta[i] = fit->start[i] = 0.0;
	if (st->penalizer > 0)
	{
		ClvPenalty	pen = {BgbbObjective, fit, st->penalizer * (double) v->customers, 4};

		res = KpiNelderMead(ClvPenalizedObjective, &pen, theta, 4, 0.5, BGBB_TOL, BGBB_MAX_ITER);
		if (isfinite(res.value))
			res.value = BgbbObjective(theta, fit);
	}
	else
		res = KpiNelderMead(BgbbObjective, fit, theta, 4, 0.5, BGBB_TOL, BGBB_MAX_ITER);
	if (!isfinite(res.value) || BgbbOutOfBox(fit, theta, 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("BG/BB fit found no finite likelihood")));
	v->converged = res.converged && !BgbbOutOfBox(fit, theta, 1.0);
	for (i = 0; i < 4; i++)
		v->params[i] = exp(theta[i]);
	v->log_likelihood = -res.value;
}

/* bgbb_fit_final: NULL for no customers */
Datum
bgbb_fit_final(PG_FUNCTION_ARGS)
{
	BgbbState  *st;
	BgbbFit		fit;
	ModelValues v;
	double		theta[4];

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (BgbbState *) PG_GETARG_POINTER(0);
	if (st->ncells == 0)
		PG_RETURN_NULL();
	BgbbFitCells(st, &fit, theta, &v);
	PG_RETURN_POINTER(ClvModelMake(&ClvBgbbKind, &v));
}

/*
 * bgbb_std_errors_final: the fit of bgbb_fit over the same rows, and the
 * standard errors of alpha, beta, gamma, delta from its observed information
 * (ClvFitStdErrors, as for the other models)
 */
Datum
bgbb_std_errors_final(PG_FUNCTION_ARGS)
{
	BgbbState  *st;
	BgbbFit		fit;
	ModelValues v;
	double		theta[4];

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (BgbbState *) PG_GETARG_POINTER(0);
	if (st->ncells == 0)
		PG_RETURN_NULL();
	BgbbFitCells(st, &fit, theta, &v);
	return ClvFitStdErrors(BgbbObjective, &fit, theta, &v, 4, st->penalizer);
}


/*
 * Predictions
 */

/* The model and customer arguments of a prediction, checked */
static void
BgbbGetArgs(FunctionCallInfo fcinfo, ModelValues *m, int64 *x, int64 *tx, int64 *n)
{
	ClvModelReadForPrediction(&ClvBgbbKind, PG_GETARG_POINTER(0), m);
	*x = PG_GETARG_INT64(1);
	*tx = PG_GETARG_INT64(2);
	*n = PG_GETARG_INT64(3);
	BgbbCheckCell(*x, *tx, *n);
}

/* A count of future opportunities: 0..BGBB_MAX_TERMS */
static int64
BgbbGetPeriods(FunctionCallInfo fcinfo, int argno, const char *what)
{
	int64		k = PG_GETARG_INT64(argno);

	if (k < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("BG/BB %s " INT64_FORMAT " is negative", what, k)));
	if (k > BGBB_MAX_TERMS)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("BG/BB %s " INT64_FORMAT " is more than %d", what, k, BGBB_MAX_TERMS)));
	return k;
}

/*----
 * ln of the probability of being alive at opportunity n + 1 and of the
 * expected transaction probability given the customer's data, times the
 * opportunity's:
 *		P(alive at n + 1 | x, t_x, n) = B(alpha + x, beta + n - x) / B(alpha, beta)
 *			* B(gamma, delta + n + 1) / B(gamma, delta) / L			(eq. 11)
 * and with p's posterior mean (alpha + x) / (alpha + beta + n) the first
 * Beta becomes B(alpha + x + 1, beta + n - x), as in eq. 13.
 */
static double
BgbbLogAliveNext(const ModelValues *m, int64 x, int64 tx, int64 n, bool times_p)
{
	const double *p = m->params;

	return LogBetaRatio(p[0], p[1], x + (times_p ? 1 : 0), n - x) +
		LogRising(p[3], n + 1) - LogRising(p[2] + p[3], n + 1) - BgbbLogLik(p, x, tx, n);
}

/*
 * sum_{i=1}^{k} B(gamma, delta + n + i) / B(gamma, delta + n + 1): the
 * expected number of the next k opportunities a customer alive at n + 1
 * is alive at, summed term by term (term i + 1 / term i =
 * (delta + n + i) / (gamma + delta + n + i)).  The closed form of eqs. 7
 * and 13, delta / (gamma - 1) (...), divides by gamma - 1, and is
 * cancellation-prone near gamma = 1.
 */
static double
BgbbAliveSum(double gamma, double delta, double n, int64 k)
{
	double		sum = 0.0,
				term = 1.0;
	int64		i;

	for (i = 1; i <= k; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		sum += term;
		term *= (delta + n + (double) i) / (gamma + delta + n + (double) i);
	}
	return sum;
}

/* A prediction's value: finite, or 22003 */
static double
BgbbResult(double value, const ModelValues *m)
{
	if (!isfinite(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("BG/BB model parameters (%g, %g, %g, %g) are out of range for this prediction",
						m->params[0], m->params[1], m->params[2], m->params[3])));
	return value;
}

/*
 * probability_alive(bgbb_model, frequency, recency, periods): the
 * probability that the customer is alive at the next opportunity, n + 1
 * (eq. 11; lifetimes' conditional_probability_alive with
 * m_periods_in_future = 1)
 */
Datum
bgbb_probability_alive(PG_FUNCTION_ARGS)
{
	ModelValues m;
	int64		x,
				tx,
				n;

	BgbbGetArgs(fcinfo, &m, &x, &tx, &n);
	PG_RETURN_FLOAT8(BgbbResult(Min(exp(BgbbLogAliveNext(&m, x, tx, n, false)), 1.0), &m));
}

/*----
 * expected_purchases(bgbb_model, frequency, recency, periods, future_periods):
 * the expected transactions at opportunities n + 1 .. n + n* (eq. 13)
 *		E = B(alpha + x + 1, beta + n - x) / B(alpha, beta) / L
 *			* sum_{i=1}^{n*} B(gamma, delta + n + i) / B(gamma, delta)
 */
Datum
bgbb_expected_purchases(PG_FUNCTION_ARGS)
{
	ModelValues m;
	int64		x,
				tx,
				n,
				k;

	BgbbGetArgs(fcinfo, &m, &x, &tx, &n);
	k = BgbbGetPeriods(fcinfo, 4, "future periods");
	if (k == 0)
		PG_RETURN_FLOAT8(0.0);
	PG_RETURN_FLOAT8(BgbbResult(exp(BgbbLogAliveNext(&m, x, tx, n, true)) *
								BgbbAliveSum(m.params[2], m.params[3], (double) n, k), &m));
}

/*----
 * expected_purchases(bgbb_model, periods): the expected transactions of a
 * new customer over their first n opportunities (eq. 7)
 *		E(X(n)) = alpha / (alpha + beta) * sum_{i=1}^{n} B(gamma, delta + i) / B(gamma, delta)
 * with B(gamma, delta + 1) / B(gamma, delta) = delta / (gamma + delta).
 */
Datum
bgbb_new_expected_purchases(PG_FUNCTION_ARGS)
{
	ModelValues m;
	const double *p;
	int64		n;

	ClvModelReadForPrediction(&ClvBgbbKind, PG_GETARG_POINTER(0), &m);
	n = BgbbGetPeriods(fcinfo, 1, "periods");
	p = m.params;
	if (n == 0)
		PG_RETURN_FLOAT8(0.0);
	/* alpha / (alpha + beta) * delta / (gamma + delta), not overflowing */
	PG_RETURN_FLOAT8(BgbbResult(1 / (1 + p[1] / p[0]) / (1 + p[2] / p[3]) *
								BgbbAliveSum(p[2], p[3], 0.0, n), &m));
}

/*----
 * purchase_probability(bgbb_model, periods, n): the probability that a new
 * customer makes exactly x = n repeat transactions in their first n
 * opportunities (eq. 8)
 *		P(X(n) = x) = C(n, x) B(alpha + x, beta + n - x) / B(alpha, beta)
 *						* B(gamma, delta + n) / B(gamma, delta)
 *					+ sum_{i=x}^{n-1} C(i, x) B(alpha + x, beta + i - x) / B(alpha, beta)
 *						* B(gamma + 1, delta + i) / B(gamma, delta)
 * alive throughout, or dead at opportunity i + 1 after x transactions in the
 * first i; each term in logs.  0 for x > n.
 */
static double
LogChoose(int64 n, int64 k)
{
	return LogRising((double) (n - k + 1), k) - lgamma((double) k + 1);
}

Datum
bgbb_purchase_probability(PG_FUNCTION_ARGS)
{
	ModelValues m;
	const double *p;
	int64		n,
				x,
				i;
	double		drop_first,
				sum;

	ClvModelReadForPrediction(&ClvBgbbKind, PG_GETARG_POINTER(0), &m);
	n = BgbbGetPeriods(fcinfo, 1, "periods");
	x = PG_GETARG_INT64(2);
	if (x < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("BG/BB number of transactions " INT64_FORMAT " is negative", x)));
	if (x > n)
		PG_RETURN_FLOAT8(0.0);
	p = m.params;
	drop_first = LogDropFirst(p[2], p[3]);
	sum = exp(LogChoose(n, x) + LogBetaRatio(p[0], p[1], x, n - x) +
			  LogRising(p[3], n) - LogRising(p[2] + p[3], n));
	for (i = x; i < n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		sum += exp(LogChoose(i, x) + LogBetaRatio(p[0], p[1], x, i - x) +
				   drop_first + LogRising(p[3], i) - LogRising(p[2] + p[3] + 1, i));
	}
	PG_RETURN_FLOAT8(BgbbResult(Min(sum, 1.0), &m));
}
