/*-------------------------------------------------------------------------
 *
 * clv_predict.c
 *	  Predictions of the BG/NBD and Gamma-Gamma models (clv_fit.c) for a
 *	  customer's RFM summary: probability alive, expected purchases (also of
 *	  a new customer), purchase probabilities, expected spend and predicted
 *	  CLV over discounted periods.
 *
 *-------------------------------------------------------------------------
 */
#include "clv.h"

#include <float.h>
#include <math.h>

#include "common/int.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"

/* series of the predictions: terms before giving up (t >> alpha + T needs many) */
#define SERIES_MAX_TERMS 100000000

PG_FUNCTION_INFO_V1(bgnbd_probability_alive);
PG_FUNCTION_INFO_V1(bgnbd_expected_purchases);
PG_FUNCTION_INFO_V1(bgnbd_new_expected_purchases);
PG_FUNCTION_INFO_V1(bgnbd_purchase_probability);
PG_FUNCTION_INFO_V1(bgnbd_conditional_purchase_probability);
PG_FUNCTION_INFO_V1(gamma_gamma_expected_spend);
PG_FUNCTION_INFO_V1(predicted_clv);

/*
 * Predictions
 */

/* The model and summary arguments of a prediction */
static void
BgnbdGetArg(FunctionCallInfo fcinfo, int argno, ModelValues *v)
{
	ClvModelReadForPrediction(&ClvBgnbdKind, PG_GETARG_POINTER(argno), v);
}

/* A prediction's horizon argument: finite, >= 0 (22023) */
double
ClvHorizonArg(FunctionCallInfo fcinfo, int argno)
{
	double		t = PG_GETARG_FLOAT8(argno);

	if (!isfinite(t) || t < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time horizon %g is invalid", t),
				 errhint("The horizon is a non-negative number of the RFM summary's time units.")));
	return t;
}

/*
 * The horizon t seen from a customer of age T: s = t / (alpha + T), and the
 * negative binomial's u = (alpha + T) / (alpha + T + t) = 1 / (1 + s) and
 * z = 1 - u = s / (1 + s), with their logs; computed so that alpha + T never
 * overflows.  A horizon so long that s overflows is 22003 (z may round to
 * 1: the series then refuses, needing too many terms).
 */
typedef struct BgnbdHorizon
{
	double		s,
				z,
				z_err,			/* (exact s / (1 + s) - z) / z */
				log_u,
				log_z;
} BgnbdHorizon;

static void
BgnbdHorizonOf(const ModelValues *m, const RfmSummary *c, double t, BgnbdHorizon *h)
{
	double		alpha = m->params[1],
				w = Max(alpha, c->age);

	h->s = (t / w) / (alpha / w + c->age / w);
	if (!isfinite(h->s))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("time horizon %g is out of range for alpha %g and customer age %g",
						t, alpha, c->age),
				 errhint("The horizon divided by alpha plus the customer's age must be a finite double.")));
	h->z = h->s / (1 + h->s);
	{
		/* z's rounding error, by TwoSum of 1 + s and the fma residual */
		double		d = 1 + h->s,
					d_err = h->s > 1 ? (h->s - d) + 1 : (1 - d) + h->s;

		h->z_err = h->z > 0 ? (fma(-h->z, d, h->s) - h->z * d_err) / (d * h->z) : 0.0;
	}
	h->log_u = -log1p(h->s);
	h->log_z = log(h->s) + h->log_u;
}

/*
 * The series below sum a negative binomial's terms (number k, success
 * probability u) up to a tail bound; they need about
 * (10 sqrt(k z) + 40 + ln(1 / u)) / u terms past the start (the tail falls
 * by z = 1 - u a term down to 1e-17 u of the sum), besides the walk to the
 * mode.  Too many is 22003,
 * before any work.
 */
static void
BgnbdSeriesCheck(double terms, const ModelValues *m, double t)
{
	if (!(terms <= SERIES_MAX_TERMS))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("BG/NBD series for horizon %g with r %g and alpha %g would need more than %d terms",
						t, m->params[0], m->params[1], SERIES_MAX_TERMS),
				 errhint("The horizon is too long compared to the customer's age and alpha, or the purchase count too large.")));
}

/* A series term that is NaN: parameters beyond what the series can take */
static void
BgnbdSeriesNaN(double term, const ModelValues *m)
{
	if (isnan(term))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("BG/NBD model parameters (%g, %g, %g, %g) are out of range for this prediction",
						m->params[0], m->params[1], m->params[2], m->params[3])));
}

static double
BgnbdSeriesTerms(double k, const BgnbdHorizon *h)
{
	return (10 * sqrt(k * h->z) + 40 - h->log_u) * (1 + h->s);
}

/* ln(G(k + j) / G(k)), exactly summed for small j (no lgamma cancellation) */
static double
LogRising(double k, double j)
{
	double		sum = 0.0;
	int			i;

	if (j > 64)
		return lgamma(k + j) - lgamma(k);
	for (i = 0; i < j; i++)
		sum += log(k + i);
	return sum;
}

/* ln NB(j) = ln(G(k + j) / (G(k) j!) u^k z^j) */
static double
LogNb(double k, double j, const BgnbdHorizon *h)
{
	return LogRising(k, j) - lgamma(j + 1) + k * h->log_u + (j > 0 ? j * h->log_z : 0.0);
}

/*
 * ln of the odds that a customer with x > 0 has dropped out:
 * (a / (b + x - 1)) ((alpha + T) / (alpha + t_x))^(r + x).  P(alive) =
 * 1 / (1 + exp(this)); FHL 2005 eq. 11.
 */
static double
BgnbdLogDropoutOdds(const ModelValues *m, const RfmSummary *s)
{
	double		r = m->params[0],
				alpha = m->params[1],
				a = m->params[2],
				b = m->params[3],
				x = (double) s->frequency;

	return log(a) - log(b + x - 1) +
		(r + x) * (ClvLogSum(alpha, s->age) - ClvLogSum(alpha, s->recency));
}

static double
BgnbdProbabilityAlive(const ModelValues *m, const RfmSummary *s)
{
	if (s->frequency == 0)
		return 1.0;
	return 1.0 / (1.0 + exp(BgnbdLogDropoutOdds(m, s)));
}

static double LogBeta(double a, double b);
/*
 * Long horizons.  Where the series would need more than SERIES_MAX_TERMS
 * terms (s = t / (alpha + T) large), E / P(alive) is integrated instead over
 * the posterior of the dropout probability (FHL 2005: given alive at T,
 * lambda ~ Gamma(k, alpha + T) and p ~ Beta(a, beta) with beta = b + x):
 *		E / P(alive) = E_p[(1 - (1 + p s)^-k) / p]
 *			= 1 / B(a, beta) int_0^1 p^(a-1) (1-p)^(beta-1) G(p) dp,
 *		G(p) = -expm1(-k log1p(p s)) / p,  G(0) = k s
 * which has no singularity at a = 1 either.  The integral is split at 1/2,
 * with p = q^(1/a) on the left and (for beta < 1) 1 - p = w^(1/beta) on the
 * right so that neither end is singular, and the left part again at p = 1 / (1 + s), where
 * G turns from k s to 1 / p (beyond it in ln p); each piece by tanh-sinh
 * quadrature, halving the step until two levels agree to 1e-14 (the error
 * of the finer one is then far smaller: it falls double exponentially).  Only for
 * a, beta <= 100, where B(a, beta) and the integrands stay in range.
 */
#define QUAD_MAX_PARAM 100.0
/* a series longer than this is integrated instead, where the integral applies */
#define SERIES_INTEGRAL_TERMS 1000000

typedef struct BgnbdQuad
{
	double		a,
				beta,
				k,
				s;
	int			piece;			/* 0: q in [0, q1]; 1: y = ln p; 2: w; 3: p */
} BgnbdQuad;

static double
BgnbdG(const BgnbdQuad *q, double p)
{
	if (p == 0)
		return q->k * q->s;
	return -expm1(-q->k * log1p(p * q->s)) / p;
}

static double
BgnbdQuadIntegrand(const BgnbdQuad *q, double x)
{
	double		p;

	switch (q->piece)
	{
		case 0:
			p = pow(x, 1 / q->a);
			return exp((q->beta - 1) * log1p(-p)) * BgnbdG(q, p);
		case 1:
			p = exp(x);
			return exp((q->beta - 1) * log1p(-p) + q->a * x) * BgnbdG(q, p);
		case 3:
			/* at p = 1 with beta = 1: 0 * ln 0 is 0 here, not NaN */
			return exp((q->a - 1) * log(x) +
					   (q->beta == 1 ? 0.0 : (q->beta - 1) * log1p(-x))) * BgnbdG(q, x);
		default:
			{
				double		one_minus_p = pow(x, 1 / q->beta);

				p = 1 - one_minus_p;
				return exp((q->a - 1) * log(p)) * BgnbdG(q, p);
			}
	}
}

/* int_lo^hi of piece, tanh-sinh; 22003 if it does not settle */
static double
BgnbdTanhSinh(const BgnbdQuad *q, double lo, double hi)
{
	double		c = (lo + hi) / 2,
				hw = (hi - lo) / 2,
				sum,
				prev = 0.0,
				h = 1.0;
	int			level,
				j;

	if (!(hi > lo))
		return 0.0;
	sum = M_PI_2 * BgnbdQuadIntegrand(q, c);
	for (j = 1; j * h <= 3.5; j++)
	{
		double		t = j * h,
					u = M_PI_2 * sinh(t),
					w = M_PI_2 * cosh(t) / (cosh(u) * cosh(u)),
					x = tanh(u);

		sum += w * (BgnbdQuadIntegrand(q, c + hw * x) + BgnbdQuadIntegrand(q, c - hw * x));
	}
	prev = sum * h;
	for (level = 1; level <= 10; level++)
	{
		double		est;

		h /= 2;
		for (j = 1; j * h <= 3.5; j += 2)
		{
			double		t = j * h,
						u = M_PI_2 * sinh(t),
						w = M_PI_2 * cosh(t) / (cosh(u) * cosh(u)),
						x = tanh(u);

			sum += w * (BgnbdQuadIntegrand(q, c + hw * x) + BgnbdQuadIntegrand(q, c - hw * x));
		}
		CHECK_FOR_INTERRUPTS();
		est = sum * h;
		if (level >= 3 && fabs(est - prev) <= 1e-14 * fabs(est))
			return est * hw;
		prev = est;
	}
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("BG/NBD expectation integral does not converge")));
	return 0.0;					/* keep the compiler quiet */
}

/* E / P(alive) by the integral; false where it does not apply */
static bool
BgnbdExpectationIntegral(double a, double beta, double k, double s, double *e)
{
	BgnbdQuad	q = {a, beta, k, s, 0};
	double		y1 = Min(-log1p(s), -M_LN2),	/* ln p at the turn of G */
				left,
				right;

	if (!(a <= QUAD_MAX_PARAM && beta <= QUAD_MAX_PARAM))
		return false;
	/* beyond the turn: int p^a (1-p)^(beta-1) G(p) d ln p */
	left = BgnbdTanhSinh(&q, 0, exp(a * y1)) / a;
	q.piece = 1;
	left += BgnbdTanhSinh(&q, y1, -M_LN2);
	/* (1 - p)^(beta - 1) is singular at 1 only for beta < 1 */
	if (beta < 1)
	{
		q.piece = 2;
		right = BgnbdTanhSinh(&q, 0, pow(0.5, beta)) / beta;
	}
	else
	{
		q.piece = 3;
		right = BgnbdTanhSinh(&q, 0.5, 1);
	}
	*e = (left + right) * exp(-LogBeta(a, beta));
	return true;
}

/* The expectation given alive, e, times P(alive): finite, or 22003 */
static double
BgnbdAliveTimes(const ModelValues *m, const RfmSummary *s, double e)
{
	e *= BgnbdProbabilityAlive(m, s);
	if (!isfinite(e))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("expected number of purchases is out of range")));
	return e;
}

/*----
 * E[Y(t) | x, t_x, T] (FHL 2005 eq. 10)
 *		= c / (a - 1) [1 - u^k 2F1(k, beta; c; z)] P(alive)
 * with k = r + x, beta = b + x, c = a + b + x - 1, u and z as above.  The
 * closed form has removable singularities at a = 1 and c = 0, so it is
 * evaluated in a form without them.  The terms of u^k 2F1 are NB(n)
 * (beta)_n / (c)_n, with NB the negative binomial probabilities (which sum
 * to 1), so
 *		E / P(alive) = sum_{n >= 1} NB(n) R_n,
 *		R_n = c (1 - (beta)_n / (c)_n) / (a - 1)
 *		R_1 = 1, R_{n+1} = ((beta + n) R_n + c) / (c + n)
 *						 = R_n + (c - (a - 1) R_n) / (c + n)
 * (at a = 1, R_n = sum_{j < n} beta / (beta + j)).  Every term is positive:
 * no cancellation, whatever a; k + (n - 1) and c + (n - 1) keep the digits
 * of a small k or c, and z^n is corrected for z's rounding (n of its
 * errors would add up over the 10^7 terms of a long horizon).  NB(n) is
 * kept as nb * e^scale so that u^k may underflow.  Past the mode the sum
 * stops when the geometric tail bound (ratio at most max(last ratio, z)) is
 * below its rounding error.
 */
double
BgnbdConditionalExpectation(const ModelValues *m, const RfmSummary *s, double t)
{
	double		r = m->params[0],
				a = m->params[2],
				b = m->params[3],
				x = (double) s->frequency,
				k = r + x,
				c = a + b + x - 1,
				mode,
				nb = 1.0,
				scale,
				rn = 1.0,
				sum = 0.0,
				prev = 0.0,
				e;
	BgnbdHorizon h;
	KpiSum		acc = {0.0, 0.0};
	long		n;

	if (t == 0)
		return 0.0;
	BgnbdHorizonOf(m, s, t, &h);
	BgnbdSeriesNaN(isfinite(c) ? 0.0 : NAN, m);	/* a + b overflows */
	mode = k > 1 ? (k - 1) * h.s : 0.0;
	if (!(mode + BgnbdSeriesTerms(k, &h) <= SERIES_INTEGRAL_TERMS) &&
		BgnbdExpectationIntegral(a, b + x, k, h.s, &e))
	{
		return BgnbdAliveTimes(m, s, e);
	}
	BgnbdSeriesCheck(mode + BgnbdSeriesTerms(k, &h), m, t);
	scale = k * h.log_u;
	for (n = 1;; n++)
	{
		double		term;

		/* nb *= (k + n - 1) / n * z, rounded once before the z */
		nb = (n == 1 ? nb * k : fma(nb, (k - 1) / n, nb)) * h.z;
		if (n > 1)
			rn += (c - (a - 1) * rn) / (c + (n - 1));
		term = nb * rn * (1 + n * h.z_err);
		BgnbdSeriesNaN(term, m);
		KpiSumAdd(&acc, term);
		sum = acc.sum;
		if (nb > 1e300 || sum > 1e300)
		{
			nb *= 1e-300;
			acc.sum *= 1e-300;
			acc.comp *= 1e-300;
			sum = acc.sum;
			term *= 1e-300;
			prev *= 1e-300;
			scale += 300 * M_LN10;
		}
		else if (nb < 1e-200 && sum < 1e-200 && nb > 0)
		{
			/* scale up too: subnormal terms are slow and inexact */
			nb *= 1e200;
			acc.sum *= 1e200;
			acc.comp *= 1e200;
			sum = acc.sum;
			term *= 1e200;
			prev *= 1e200;
			scale -= 200 * M_LN10;
		}
		if (n > mode)
		{
			double		rho = prev > 0 ? Max(term / prev, h.z) : h.z;

			if (term == 0 || (rho < 1 && term * rho / (1 - rho) <= 1e-17 * sum))
				break;
		}
		prev = term;
		if (n >= SERIES_MAX_TERMS)
			BgnbdSeriesCheck(HUGE_VAL, m, t);
		if ((n & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	sum = acc.sum + acc.comp;
	e = sum > 0 ? (fabs(scale) < 700 ? sum * exp(scale) : exp(log(sum) + scale)) : 0.0;
	return BgnbdAliveTimes(m, s, e);
}

Datum
bgnbd_probability_alive(PG_FUNCTION_ARGS)
{
	ModelValues m;

	BgnbdGetArg(fcinfo, 0, &m);
	PG_RETURN_FLOAT8(BgnbdProbabilityAlive(&m, RfmGetArg(fcinfo, 1)));
}

/* expected_purchases(model, rfm_summary, t) */
Datum
bgnbd_expected_purchases(PG_FUNCTION_ARGS)
{
	ModelValues m;

	BgnbdGetArg(fcinfo, 0, &m);
	PG_RETURN_FLOAT8(BgnbdConditionalExpectation(&m, RfmGetArg(fcinfo, 1),
												 ClvHorizonArg(fcinfo, 2)));
}

/*----
 * expected_purchases(model, t): E[X(t)] of a new customer (FHL 2005 eq. 9)
 *		(a + b - 1) / (a - 1)
 *		* [1 - (alpha / (alpha + t))^r * 2F1(r, b; a + b - 1; t / (alpha + t))]
 * It is the conditional expectation at x = t_x = T = 0.
 */
double
BgnbdExpectation(const ModelValues *m, double t)
{
	RfmSummary	fresh = {RFM_FORMAT_VERSION};

	return BgnbdConditionalExpectation(m, &fresh, t);
}

Datum
bgnbd_new_expected_purchases(PG_FUNCTION_ARGS)
{
	ModelValues m;

	BgnbdGetArg(fcinfo, 0, &m);
	PG_RETURN_FLOAT8(BgnbdExpectation(&m, ClvHorizonArg(fcinfo, 1)));
}

/*----
 * P(Y(t) = n | x, t_x, T): the probability that a customer with this RFM
 * summary makes exactly n purchases in the next t time units.  Averaging
 * over the posterior of (lambda, p) the chance that the customer is alive at
 * T and then makes n purchases as a fresh BG/NBD customer, plus (for n = 0)
 * the chance that she has already left, gives (with k = r + x and NB the
 * negative binomial above)
 *		P = P(alive) [ B(a, b + x + n) / B(a, b + x) * NB(n)
 *			  + [n > 0] B(a + 1, b + x + n - 1) / B(a, b + x) * P(N >= n) ]
 *			+ [n = 0] (1 - P(alive))
 * For a new customer (x = t_x = T = 0) this is FHL 2005 eq. 8, the
 * unconditional P(X(t) = n).  Its mean is eq. 10 (sql/clv.sql checks both).
 */
static double
LogBeta(double a, double b)
{
	return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/*
 * P(N >= n) of the negative binomial, n >= 1: for n - 1 at or below the
 * mode 1 - sum_{j < n} NB(j), summed from j = n - 1 down; else
 * sum_{j >= n} NB(j), summed up.  Either way the terms fall away from the
 * start, so the sum stops at its geometric tail bound.
 */
static double
NbTail(double k, int64 n, const BgnbdHorizon *h, const ModelValues *m, double t)
{
	double		mode = k > 1 ? (k - 1) * h->s : 0.0,
				j = (double) n,
				sum = 0.0,
				term;
	long		i;

	BgnbdSeriesCheck(BgnbdSeriesTerms(k, h), m, t);
	if (j - 1 <= mode)
	{
		j -= 1;
		term = exp(LogNb(k, j, h));
		for (i = 0;; i++)
		{
			double		ratio;

			BgnbdSeriesNaN(term, m);
			sum += term;
			if (j <= 0 || term == 0)
				break;
			ratio = j / ((k + (j - 1)) * h->z);	/* NB(j - 1) / NB(j) <= 1 */
			if (ratio < 1 && term * ratio / (1 - ratio) <= 1e-17 * sum)
				break;
			term *= ratio;
			j -= 1;
			if (i >= SERIES_MAX_TERMS)
				BgnbdSeriesCheck(HUGE_VAL, m, t);
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
		}
		return Max(0.0, 1 - sum);
	}
	term = exp(LogNb(k, j, h));
	for (i = 0;; i++)
	{
		double		ratio = (k + j) * h->z / (j + 1),	/* NB(j + 1) / NB(j) < 1 */
					rho = Max(ratio, h->z);

		BgnbdSeriesNaN(term, m);
		sum += term;
		if (term == 0 || term * rho / (1 - rho) <= 1e-17 * sum)
			break;
		term *= ratio;
		j += 1;
		if (i >= SERIES_MAX_TERMS)
			BgnbdSeriesCheck(HUGE_VAL, m, t);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return Min(1.0, sum);
}

static double
BgnbdPurchaseProbability(const ModelValues *m, const RfmSummary *s, double t, int64 n)
{
	double		r = m->params[0],
				a = m->params[2],
				b = m->params[3],
				x = (double) s->frequency,
				k = r + x,
				log_b0,
				alive = 1.0,
				dead = 0.0,
				p;
	BgnbdHorizon h;

	if (t == 0)
		return n == 0 ? 1.0 : 0.0;
	BgnbdHorizonOf(m, s, t, &h);
	log_b0 = LogBeta(a, b + x);
	if (s->frequency > 0)
	{
		double		odds = BgnbdLogDropoutOdds(m, s);

		alive = 1.0 / (1.0 + exp(odds));
		dead = 1.0 / (1.0 + exp(-odds));
	}
	p = exp(LogBeta(a, b + x + n) - log_b0 + LogNb(k, (double) n, &h));
	if (n > 0)
		p += exp(LogBeta(a + 1, b + x + n - 1) - log_b0) * NbTail(k, n, &h, m, t);
	p = alive * p + (n == 0 ? dead : 0.0);
	if (!isfinite(p))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("purchase probability is out of range")));
	return p;
}

static int64
GetPurchaseCount(FunctionCallInfo fcinfo, int argno)
{
	int64		n = PG_GETARG_INT64(argno);

	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of purchases " INT64_FORMAT " is negative", n)));
	return n;
}

/* purchase_probability(model, t, n): a new customer (eq. 8) */
Datum
bgnbd_purchase_probability(PG_FUNCTION_ARGS)
{
	ModelValues m;
	RfmSummary	fresh = {RFM_FORMAT_VERSION};

	BgnbdGetArg(fcinfo, 0, &m);
	PG_RETURN_FLOAT8(BgnbdPurchaseProbability(&m, &fresh, ClvHorizonArg(fcinfo, 1),
											  GetPurchaseCount(fcinfo, 2)));
}

/* purchase_probability(model, rfm_summary, t, n): this customer */
Datum
bgnbd_conditional_purchase_probability(PG_FUNCTION_ARGS)
{
	ModelValues m;

	BgnbdGetArg(fcinfo, 0, &m);
	PG_RETURN_FLOAT8(BgnbdPurchaseProbability(&m, RfmGetArg(fcinfo, 1),
											  ClvHorizonArg(fcinfo, 2),
											  GetPurchaseCount(fcinfo, 3)));
}

/*----
 * expected_spend(model, rfm_summary): E[M | x, m] (Fader & Hardie 2013,
 * eq. 5) = p (gamma + x m) / (p x + q - 1); for x = 0 the population mean
 * p gamma / (q - 1).  NULL where the mean is infinite (p x + q <= 1).
 */
static bool
GammaGammaExpectedSpend(const ModelValues *m, const RfmSummary *s, double *spend)
{
	double		p = m->params[0],
				q = m->params[1],
				g = m->params[2],
				x = (double) s->frequency;

	if (p * x + q - 1 <= 0)
		return false;
	*spend = p * (g + x * s->monetary) / (p * x + q - 1);
	if (!isfinite(*spend) && x > 0)
	{
		/* p x or x m overflowed: the weighted mean form, scaled by p x */
		double		w = (q - 1) / (p * x);

		*spend = (g / x + s->monetary) / (1 + w);
	}
	if (!isfinite(*spend))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("expected spend is out of range")));
	return true;
}

Datum
gamma_gamma_expected_spend(PG_FUNCTION_ARGS)
{
	ModelValues m;
	double		spend;

	ClvModelReadForPrediction(&ClvGammaGammaKind, PG_GETARG_POINTER(0), &m);
	if (!GammaGammaExpectedSpend(&m, RfmGetArg(fcinfo, 1), &spend))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(spend);
}

/*----
 * predicted_clv(bgnbd, gamma_gamma, rfm_summary, periods, period_length,
 *				 discount_rate, margin)
 *		= margin * E[M] * sum_{i = 1..periods}
 *			(E[Y(i L)] - E[Y((i - 1) L)]) / (1 + d)^i
 * with L = period_length in the RFM summary's time unit and d the discount
 * rate per period: the expected purchases of each period, valued at the
 * expected spend and discounted to now at the period's end.  lifetimes'
 * customer_lifetime_value is this with L = 30 whatever the data's unit.
 */
Datum
predicted_clv(PG_FUNCTION_ARGS)
{
	ModelValues bg,
				gg;
	RfmSummary *s;
	int32		periods = PG_GETARG_INT32(3);
	double		length = PG_GETARG_FLOAT8(4);
	double		d = PG_GETARG_FLOAT8(5);
	double		margin = PG_GETARG_FLOAT8(6);
	double		spend,
				prev = 0.0,
				total = 0.0,
				discount = 1.0;
	int32		i;

	BgnbdGetArg(fcinfo, 0, &bg);
	ClvModelReadForPrediction(&ClvGammaGammaKind, PG_GETARG_POINTER(1), &gg);
	s = RfmGetArg(fcinfo, 2);
	if (periods < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of periods %d is negative", periods)));
	if (!isfinite(length) || !(length > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period length %g is invalid", length),
				 errhint("The period length is a positive number of the RFM summary's time units.")));
	if (!isfinite(d) || !(d > -1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("discount rate %g is out of range", d),
				 errhint("The discount rate per period must be greater than -1.")));
	if (!isfinite(margin))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("margin %g is not finite", margin)));
	if (!GammaGammaExpectedSpend(&gg, s, &spend))
		PG_RETURN_NULL();

	for (i = 1; i <= periods; i++)
	{
		double		cum = BgnbdConditionalExpectation(&bg, s, i * length);

		discount /= 1 + d;
		total += (cum - prev) * discount;
		prev = cum;
		CHECK_FOR_INTERRUPTS();
	}
	total *= margin * spend;
	if (!isfinite(total))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("predicted CLV is out of range")));
	PG_RETURN_FLOAT8(total);
}
