/*-------------------------------------------------------------------------
 *
 * clv_pareto.c
 *	  The Pareto/NBD purchase model (Schmittlein, Morrison & Colombo 1987;
 *	  Fader, Hardie & Lee 2005, "A note on deriving the Pareto/NBD model and
 *	  related expressions"): its likelihood and fit over the state
 *	  bgnbd_fit collects (clv_fit.h), and its predictions.
 *
 * The likelihood's difficult part is FHL's A0, a difference of two Gauss
 * hypergeometric terms 2F1(a, b; a + 1; z) with z = |alpha - beta| /
 * (max(alpha, beta) + t), 0 <= z < 1.  It is summed after Euler's
 * transformation (DLMF 15.8.1)
 *		2F1(a, b; a + 1; z) = (1 - z)^(1 - b) 2F1(1, a + 1 - b; a + 1; z)
 * whose series has positive terms with ratio (a + 1 - b + k) / (a + 1 + k) z
 * < z: no cancellation, and at least geometric convergence, where the
 * direct series (lifetimes and BTYD sum it, or call a library 2F1) has
 * terms growing like k^(b - 1) first.  Everything is in logs, as lifetimes'
 * ParetoNBDFitter._log_A_0.
 *
 *-------------------------------------------------------------------------
 */
#include "clv_fit.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/float.h"

PG_FUNCTION_INFO_V1(pareto_nbd_probability_alive);
PG_FUNCTION_INFO_V1(pareto_nbd_expected_purchases);
PG_FUNCTION_INFO_V1(pareto_nbd_new_expected_purchases);
PG_FUNCTION_INFO_V1(pareto_nbd_fit_final);
PG_FUNCTION_INFO_V1(pareto_nbd_std_errors_final);

/* the series stops here without converging: a NaN the callers reject */
#define PNBD_MAX_TERMS 1000000
/*
 * The fit's likelihood rejects (NaN) parameters where some customer's z
 * exceeds PNBD_FIT_MAX_Z, so that every evaluation sums at most a few
 * thousand terms per customer (the series' ratio is below z); a maximum
 * within reach of that limit is reported unconverged (ParetoNbdFitState).
 */
#define PNBD_FIT_MAX_Z 0.99
/* the likelihood's product of factors (ParetoNbdNegLogLik): 2^600, its log */
#define PNBD_RESCALE 0x1p600
#define PNBD_LOG_RESCALE (600 * M_LN2)
/*
 * factors of entries of more customers, or smaller factors (whose power
 * could leave the range), are taken in logs one by one
 */
#define PNBD_MAX_POWER 16
#define PNBD_MIN_FACTOR 0x1p-25

/*
 * ln of the transformed series' sum, 2F1(1, a + 1 - b; a + 1; z), for a > 0,
 * b > 0, 0 <= z < 1; NaN if it has not converged within PNBD_MAX_TERMS
 * terms (z within ~1e-5 of 1) or if z exceeds max_z.
 */
static double
LogHyp2F1Series(double a, double b, double z, double max_z)
{
	double		c = a + 1 - b,
				sum = 1.0,
				term = 1.0;
	int			k;

	if (z == 0)
		return 0.0;
	if (z > max_z)
		return get_float8_nan();
	for (k = 0; k < PNBD_MAX_TERMS; k++)
	{
		term *= (c + k) / (a + 1 + k) * z;
		sum += term;
		if (term <= sum * 1e-17)
			return log(sum);
		if ((k & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
	}
	return get_float8_nan();
}

/*
 * ln 2F1(a, b; a + 1; z) for a > 0, b > 0, 0 <= z < 1, by the transformed
 * series above; NaN where it is.
 */
static double
LogHyp2F1Shifted(double a, double b, double z, double max_z)
{
	if (z == 0)
		return 0.0;
	return (1 - b) * log1p(-z) + LogHyp2F1Series(a, b, z, max_z);
}

/*----
 * ln A0 of FHL 2005 (the note, eq. 22) for a customer (x, t_x, T):
 *		A0 = 2F1(r+s+x, b; r+s+x+1; z(t_x)) / (m + t_x)^(r+s+x)
 *			 - 2F1(r+s+x, b; r+s+x+1; z(T)) / (m + T)^(r+s+x)
 * with m = max(alpha, beta), z(t) = |alpha - beta| / (m + t), and b = s + 1
 * if alpha >= beta, r + x otherwise.  It is s^-1 (r+s+x) times the
 * integral over (t_x, T] of the density of dying then, so A0 >= 0; -Inf when
 * t_x = T.  NaN if a z exceeds max_z or a series did not converge.
 */
static double
ParetoLogA0Term(const double *p, double x, double t, double max_z)
{
	double		r = p[0],
				alpha = p[1],
				s = p[2],
				beta = p[3],
				rsx = r + s + x,
				m = Max(alpha, beta);

	return LogHyp2F1Shifted(rsx, alpha >= beta ? s + 1 : r + x,
							fabs(alpha - beta) / (m + t), max_z) - rsx * ClvLogSum(m, t);
}

/* ln A0 from its two terms l1 (at t_x) and l2 (at T) */
static double
ParetoLogA0From(double l1, double l2)
{
	if (isnan(l1) || isnan(l2))
		return get_float8_nan();
	if (!(l2 < l1))
		return -get_float8_infinity();
	return l1 + log(-expm1(l2 - l1));
}

static double
ParetoLogA0(const double *p, double x, double tx, double T, double max_z)
{
	return ParetoLogA0From(ParetoLogA0Term(p, x, tx, max_z),
						   ParetoLogA0Term(p, x, T, max_z));
}

/*
 * The fit's term of A0 at t (ParetoLogA0Term, z limited to PNBD_FIT_MAX_Z)
 * from a = r + s + x, b, and the logarithms ln(alpha + t), ln(beta + t)
 * the likelihood computes once per distinct t: as 1 - z = (min(alpha, beta)
 * + t) / (max(alpha, beta) + t), the series' factor (1 - z)^(1 - b) and
 * (max(alpha, beta) + t)^-a need no further logarithm, and a term costs its
 * series and one log.
 */
static double
ParetoFitTerm(const double *p, double a, double b, double t,
			  double log_alpha_t, double log_beta_t)
{
	double		alpha = p[1],
				beta = p[3],
				log_max_t = alpha >= beta ? log_alpha_t : log_beta_t,
				log_min_t = alpha >= beta ? log_beta_t : log_alpha_t,
				z = fabs(alpha - beta) / (Max(alpha, beta) + t);

	if (z == 0)
		return -a * log_max_t;
	return LogHyp2F1Series(a, b, z, PNBD_FIT_MAX_Z) +
		(1 - b) * (log_min_t - log_max_t) - a * log_max_t;
}

/*
 * The largest z of a customer of recency tx under parameters p: the fit's
 * maximum is unconverged if it is within reach of PNBD_FIT_MAX_Z.
 */
static bool
ParetoNearLimit(const double *p, double tx)
{
	double		m = Max(p[1], p[3]);

	return fabs(p[1] - p[3]) / (m + tx) > PNBD_FIT_MAX_Z - 0.01;
}

/*----
 * ln L of one customer (FHL 2005 note, eq. 22; lifetimes' ParetoNBDFitter)
 *		ln G(r + x) - ln G(r) + r ln alpha + s ln beta
 *		+ ln[ (alpha + T)^-(r+x) (beta + T)^-s + s / (r + s + x) A0 ]
 * less its first line (the fit computes it once per x), from A0's terms at
 * t_x and T (l1, l2: ParetoFitTerm), ln(alpha + T), ln(beta + T) and
 * log_c = ln s - ln(r + s + x) (once per x); NaN where a term is.  With
 * A0 = e^l1 d, d = 1 - e^(l2 - l1) (by expm1 where e^(l2 - l1) > 1/2, the
 * only place the subtraction could lose digits), the bracket is e^first +
 * e^(log_c + l1) d, written about its larger exponent h as e^h v, v in
 * (0, 2]: it returns h and sets *v (ParetoNbdNegLogLik takes v's log, or
 * multiplies v into a product whose log it takes once).  Two exps, the
 * costlier expm1 only rarely.
 */
static double
ParetoLogLikRest(const double *p, double x, double log_c, double l1, double l2,
				 double log_alpha_t, double log_beta_t, double *v)
{
	double		first = -(p[0] + x) * log_alpha_t - p[2] * log_beta_t,
				q,
				d;

	*v = 1.0;
	if (isnan(l1) || isnan(l2))
		return get_float8_nan();
	if (!(l2 < l1))
		return first;			/* A0 = 0 */
	q = log_c + l1;
	d = exp(l2 - l1);
	d = d > 0.5 ? -expm1(l2 - l1) : 1 - d;
	if (first >= q)
	{
		*v = 1 + exp(q - first) * d;
		return first;
	}
	*v = exp(first - q) + d;
	return q;
}

/*----
 * P(alive | x, t_x, T) (FHL 2005 note, eq. 18; lifetimes)
 *		= 1 / (1 + s / (r + s + x) (alpha + T)^(r+x) (beta + T)^s A0)
 * 22003 if A0's series does not converge (|alpha - beta| within ~1e-5
 * relative of max(alpha, beta) + t_x).
 */
static double
ParetoProbabilityAlive(const ModelValues *m, const RfmSummary *c)
{
	const double *p = m->params;
	double		x = (double) c->frequency,
				log_a0 = ParetoLogA0(p, x, c->recency, c->age, 1.0),
				lr;

	if (isnan(log_a0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("pareto_nbd_model probability of being alive is out of reach"),
				 errdetail("The hypergeometric series did not converge within %d terms.",
						   PNBD_MAX_TERMS)));
	lr = log(p[2]) - log(p[0] + p[2] + x) + (p[0] + x) * ClvLogSum(p[1], c->age) +
		p[2] * ClvLogSum(p[3], c->age) + log_a0;
	/* 1 / (1 + e^lr), without overflow */
	return lr > 0 ? exp(-lr) / (1 + exp(-lr)) : 1 / (1 + exp(lr));
}

/*
 * (1 - (1 + t / u)^-(s - 1)) / (s - 1), its limit ln(1 + t / u) at s = 1:
 * the expected number of purchases of a customer alive at u - beta, over the
 * next t, in units of (r + x) / (alpha + T) * u.
 */
static double
ParetoHorizonFactor(double s, double t, double u)
{
	double		l = log1p(t / u),
				e = s - 1;

	return e == 0 ? l : -expm1(-e * l) / e;
}

Datum
pareto_nbd_probability_alive(PG_FUNCTION_ARGS)
{
	ModelValues m;

	ClvModelReadForPrediction(&ClvParetoNbdKind, PG_GETARG_POINTER(0), &m);
	PG_RETURN_FLOAT8(ParetoProbabilityAlive(&m, RfmGetArg(fcinfo, 1)));
}

/*----
 * expected_purchases(model, rfm_summary, t): E[Y(t) | x, t_x, T] (FHL 2005
 * note, eq. 27; lifetimes' conditional_expected_number_of_purchases_up_to_time)
 *		= (r + x) (beta + T) / ((alpha + T) (s - 1))
 *		  * [1 - ((beta + T) / (beta + T + t))^(s - 1)] * P(alive)
 * with its limit at s = 1 (ParetoNbdConditionalExpectation, also the
 * expectation of holdout_agg over Pareto/NBD models, clv_holdout.c).
 */
double
ParetoNbdConditionalExpectation(const ModelValues *m, const RfmSummary *c, double t)
{
	const double *p = m->params;
	double		e;

	e = (p[0] + c->frequency) * exp(ClvLogSum(p[3], c->age) - ClvLogSum(p[1], c->age)) *
		ParetoHorizonFactor(p[2], t, (p[3] + c->age)) * ParetoProbabilityAlive(m, c);
	if (!isfinite(e))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("expected purchases are out of range")));
	return e;
}

Datum
pareto_nbd_expected_purchases(PG_FUNCTION_ARGS)
{
	ModelValues m;
	RfmSummary *c;
	double		t;

	ClvModelReadForPrediction(&ClvParetoNbdKind, PG_GETARG_POINTER(0), &m);
	c = RfmGetArg(fcinfo, 1);
	t = ClvHorizonArg(fcinfo, 2);
	PG_RETURN_FLOAT8(ParetoNbdConditionalExpectation(&m, c, t));
}

/*----
 * expected_purchases(model, t): E[X(t)] of a new customer (FHL 2005 note,
 * eq. 9; lifetimes' expected_number_of_purchases_up_to_time)
 *		= r beta / (alpha (s - 1)) [1 - (beta / (beta + t))^(s - 1)]
 */
double
ParetoNbdExpectation(const ModelValues *m, double t)
{
	const double *p = m->params;
	double		e = p[0] * (p[3] / p[1]) * ParetoHorizonFactor(p[2], t, p[3]);

	if (!isfinite(e))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("expected purchases are out of range")));
	return e;
}

Datum
pareto_nbd_new_expected_purchases(PG_FUNCTION_ARGS)
{
	ModelValues m;

	ClvModelReadForPrediction(&ClvParetoNbdKind, PG_GETARG_POINTER(0), &m);
	PG_RETURN_FLOAT8(ParetoNbdExpectation(&m, ClvHorizonArg(fcinfo, 1)));
}


/*
 * Pareto/NBD negative log-likelihood over the BG/NBD entries (x, t_x, T).
 * Parameters where some customer's 2F1 argument z exceeds 0.99
 * (|alpha - beta| near max(alpha, beta) + t_x) are rejected: NaN, which the
 * optimiser treats as +Inf.
 *
 * The entries are sorted by x, then t_x: the gamma terms and ln(r + s + x)
 * are computed once per x, A0's term at t_x once per (x, t_x), its term at
 * T once per (x, T) (kept by the T's index, stamped with the x it is of),
 * and ln(alpha + t), ln(beta + t) once per distinct t_x and T: a series and
 * a log per distinct (x, t) rather than two series per entry, and two exps
 * per entry (ParetoLogLikRest).  An entry's factor v (the likelihood is
 * e^(gx + rest) v per customer) is not taken in logs one by one: entries of
 * up to PNBD_MAX_POWER customers (most of them) multiply v^count
 * (ParetoPower) into a product kept within 2^+-600 by exact rescaling (each
 * v^count is in [2^-400, 2^16]), whose log is taken once; its rounding
 * errors, a few per entry and relative, are far below those of the sum's
 * additions.
 */
typedef struct ParetoData
{
	FitState   *st;
	int32		nages;
	double	   *ages;			/* distinct T, ascending */
	int32	   *age_index;		/* per entry: its T in ages */
	int32		nrecencies;
	double	   *recencies;		/* distinct t_x, ascending */
	int32	   *recency_index;	/* per entry: its t_x in recencies */
	double	   *log_alpha_ages; /* scratch: ln(alpha + T) */
	double	   *log_beta_ages;	/* scratch: ln(beta + T) */
	double	   *log_alpha_recencies;	/* scratch: ln(alpha + t_x) */
	double	   *log_beta_recencies; /* scratch: ln(beta + t_x) */
	double	   *age_terms;		/* scratch: A0's term at T of x ... */
	int32	   *age_stamps;		/* ... the x-group number it is of */
} ParetoData;

/*
 * ln(u + v) for the fit's u, v > 0: log(u + v), one call where ClvLogSum
 * makes two (the sum's one rounding costs no more accuracy than log1p's),
 * ClvLogSum where the sum overflows.
 */
static inline double
ParetoLogSum(double u, double v)
{
	double		sum = u + v;

	return isfinite(sum) ? log(sum) : ClvLogSum(u, v);
}

/* v^n, n >= 1, by squaring: at most 2 log2(n) roundings */
static inline double
ParetoPower(double v, int n)
{
	double		r = 1.0;

	for (;;)
	{
		if (n & 1)
			r *= v;
		n >>= 1;
		if (n == 0)
			return r;
		v *= v;
	}
}

static double *
ParetoScratch(int32 n)
{
	return palloc_extended(sizeof(double) * Max(n, 1), MCXT_ALLOC_HUGE);
}

static void
ParetoPrepare(ParetoData *d, FitState *st)
{
	d->st = st;
	d->nages = ClvFitDistinctValues(st, 2, &d->ages);
	d->age_index = ClvFitValueIndexes(st, 2, d->ages, d->nages);
	d->nrecencies = ClvFitDistinctValues(st, 1, &d->recencies);
	d->recency_index = ClvFitValueIndexes(st, 1, d->recencies, d->nrecencies);
	d->log_alpha_ages = ParetoScratch(d->nages);
	d->log_beta_ages = ParetoScratch(d->nages);
	d->log_alpha_recencies = ParetoScratch(d->nrecencies);
	d->log_beta_recencies = ParetoScratch(d->nrecencies);
	d->age_terms = ParetoScratch(d->nages);
	d->age_stamps = palloc_extended(sizeof(int32) * Max(d->nages, 1),
									 MCXT_ALLOC_HUGE);
}

static double
ParetoNbdNegLogLik(const double *theta, void *arg)
{
	ParetoData *d = arg;
	const FitState *st = d->st;
	double		p[4],
				ll = 0.0,
				base,
				log_s,
				x_prev = -1,
				tx_prev = -1,
				gx = 0.0,
				a = 0.0,
				b = 0.0,
				log_c = 0.0,
				l1 = 0.0,
				v,
				prod = 1.0;
	int32		i,
				group = 0,
				rescales = 0;

	if (ClvFitOutOfBounds(st, theta, 4))
		return get_float8_infinity();
	for (i = 0; i < 4; i++)
		p[i] = exp(theta[i]);
	base = -lgamma(p[0]) + p[0] * theta[1] + p[2] * theta[3];
	log_s = log(p[2]);
	for (i = 0; i < d->nages; i++)
	{
		d->log_alpha_ages[i] = ParetoLogSum(p[1], d->ages[i]);
		d->log_beta_ages[i] = ParetoLogSum(p[3], d->ages[i]);
		d->age_stamps[i] = 0;
	}
	for (i = 0; i < d->nrecencies; i++)
	{
		d->log_alpha_recencies[i] = ParetoLogSum(p[1], d->recencies[i]);
		d->log_beta_recencies[i] = ParetoLogSum(p[3], d->recencies[i]);
	}
	for (i = 0; i < st->nentries; i++)
	{
		const FitEntry *e = &st->entries[i];
		int32		ai = d->age_index[i];
		double		rest;

		if ((i & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (e->k[0] != x_prev)
		{
			x_prev = e->k[0];
			tx_prev = -1;
			gx = base + lgamma(p[0] + x_prev);
			a = p[0] + p[2] + x_prev;
			b = p[1] >= p[3] ? p[2] + 1 : p[0] + x_prev;
			log_c = log_s - log(a);
			group++;
		}
		if (e->k[1] != tx_prev)
		{
			int32		ri = d->recency_index[i];

			tx_prev = e->k[1];
			l1 = ParetoFitTerm(p, a, b, tx_prev, d->log_alpha_recencies[ri],
							   d->log_beta_recencies[ri]);
		}
		if (d->age_stamps[ai] != group)
		{
			d->age_terms[ai] = ParetoFitTerm(p, a, b, e->k[2], d->log_alpha_ages[ai],
											 d->log_beta_ages[ai]);
			d->age_stamps[ai] = group;
		}
		rest = ParetoLogLikRest(p, x_prev, log_c, l1, d->age_terms[ai],
								d->log_alpha_ages[ai], d->log_beta_ages[ai], &v);
		if (isnan(rest))
			return get_float8_nan();
		if (e->count <= PNBD_MAX_POWER && v >= PNBD_MIN_FACTOR)
		{
			ll += e->count * (gx + rest);
			prod *= ParetoPower(v, (int) e->count);
			if (prod > PNBD_RESCALE)
			{
				prod /= PNBD_RESCALE;
				rescales++;
			}
			else if (prod < 1 / PNBD_RESCALE)
			{
				prod *= PNBD_RESCALE;
				rescales--;
			}
		}
		else
			ll += e->count * (gx + rest + log(v));
	}
	return -(ll + log(prod) + rescales * PNBD_LOG_RESCALE);
}

/*
 * The Pareto/NBD fit of the state's customers (the entries bgnbd_fit
 * collects), from r = s = 1 and alpha = beta = the customers' mean age.
 */
static void
ParetoNbdFitState(FitState *st, ParetoData *data, ModelValues *v, double *theta)
{
	int32		i;

	if (st->kind != FIT_BGNBD)
		elog(ERROR, "a Pareto/NBD fit needs a state of (x, t_x, T) entries");
	ClvFitCollapse(st);
	theta[0] = theta[2] = 0.0;
	theta[1] = theta[3] = ClvFitLogMean(st, 2, 1e-6);
	ParetoPrepare(data, st);
	ClvFitModel(st, ParetoNbdNegLogLik, data, theta, 4, v);
	/* customers of age 0 only: the likelihood is 1 whatever the parameters */
	for (i = 0; i < st->nentries && st->entries[i].k[2] == 0; i++)
		;
	if (i == st->nentries)
		v->converged = false;
	/* a maximum on the likelihood's limit of z (clv_pareto.c) is not one */
	for (i = 0; i < st->nentries; i++)
		if (ParetoNearLimit(v->params, st->entries[i].k[1]))
			v->converged = false;
}

/* pareto_nbd_fit_final: NULL for no customers */
Datum
pareto_nbd_fit_final(PG_FUNCTION_ARGS)
{
	FitState   *st = ClvFitFinalState(fcinfo);
	ParetoData	data;
	ModelValues v;
	double		theta[4];

	if (st == NULL)
		PG_RETURN_NULL();
	ParetoNbdFitState(st, &data, &v, theta);
	PG_RETURN_POINTER(ClvModelMake(&ClvParetoNbdKind, &v));
}

/* pareto_nbd_std_errors_final: the fit of pareto_nbd_fit, its standard errors */
Datum
pareto_nbd_std_errors_final(PG_FUNCTION_ARGS)
{
	FitState   *st = ClvFitFinalState(fcinfo);
	ParetoData	data;
	ModelValues v;
	double		theta[4];

	if (st == NULL)
		PG_RETURN_NULL();
	ParetoNbdFitState(st, &data, &v, theta);
	return ClvFitStdErrors(ParetoNbdNegLogLik, &data, theta, &v, 4, st->penalizer);
}
