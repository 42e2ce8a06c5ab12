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

/*
 * ln 2F1(a, b; a + 1; z) for a > 0, b > 0, 0 <= z < 1, by the transformed
 * series above; NaN if it has not converged within PNBD_MAX_TERMS terms
 * (z within ~1e-5 of 1).
 */
static double
LogHyp2F1Shifted(double a, double b, double z, double max_z)
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
			return (1 - b) * log1p(-z) + log(sum);
		if ((k & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
	}
	return get_float8_nan();
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
 * The fit's terms of A0 (z limited to PNBD_FIT_MAX_Z): the likelihood
 * computes each once per distinct (x, t), as many customers share them.
 */
static double
ParetoFitTerm(const double *p, double x, double t)
{
	return ParetoLogA0Term(p, x, t, PNBD_FIT_MAX_Z);
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
 * t_x and T (ParetoFitTerm) and ln(alpha + T), ln(beta + T); NaN where a
 * term is.
 */
static double
ParetoLogLikRest(const double *p, double x, double l1, double l2,
					double log_alpha_t, double log_beta_t)
{
	double		log_a0 = ParetoLogA0From(l1, l2),
				first = -(p[0] + x) * log_alpha_t - p[2] * log_beta_t,
				second = log(p[2]) - log(p[0] + p[2] + x) + log_a0,
				hi = Max(first, second);

	if (isnan(log_a0))
		return get_float8_nan();
	return hi + log1p(exp(Min(first, second) - hi));
}

/* A prediction's horizon: finite, >= 0 (22023) */
static double
ParetoHorizon(FunctionCallInfo fcinfo, int argno)
{
	double		t = PG_GETARG_FLOAT8(argno);

	if (!isfinite(t) || t < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time horizon %g is invalid", t),
				 errhint("The horizon is a non-negative number of the RFM summary's time units.")));
	return t;
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
	t = ParetoHorizon(fcinfo, 2);
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
	PG_RETURN_FLOAT8(ParetoNbdExpectation(&m, ParetoHorizon(fcinfo, 1)));
}


/*
 * Pareto/NBD negative log-likelihood over the BG/NBD entries (x, t_x, T).  Parameters where some customer's 2F1
 * argument z exceeds 0.99 (|alpha - beta| near max(alpha, beta) + t_x)
 * are rejected: NaN, which the optimiser treats as +Inf.
 *
 * The entries are sorted by x, then t_x: the gamma terms are computed once
 * per x, A0's term at t_x once per (x, t_x), its term at T once per (x, T)
 * (kept by the T's index, stamped with the x it is of), and ln(alpha + T),
 * ln(beta + T) once per T: a series per distinct (x, t) rather than two per
 * entry.
 */
typedef struct ParetoData
{
	FitState   *st;
	int32		nages;
	double	   *ages;			/* distinct T, ascending */
	int32	   *age_index;		/* per entry: its T in ages */
	double	   *log_alpha_ages; /* scratch: ln(alpha + T) */
	double	   *log_beta_ages;	/* scratch: ln(beta + T) */
	double	   *age_terms;		/* scratch: A0's term at T of x ... */
	int32	   *age_stamps;		/* ... the x-group number it is of */
} ParetoData;

static void
ParetoPrepare(ParetoData *d, FitState *st)
{
	d->st = st;
	d->nages = ClvFitDistinctValues(st, 2, &d->ages);
	d->age_index = ClvFitValueIndexes(st, 2, d->ages, d->nages);
	d->log_alpha_ages = palloc_extended(sizeof(double) * d->nages, MCXT_ALLOC_HUGE);
	d->log_beta_ages = palloc_extended(sizeof(double) * d->nages, MCXT_ALLOC_HUGE);
	d->age_terms = palloc_extended(sizeof(double) * d->nages, MCXT_ALLOC_HUGE);
	d->age_stamps = palloc_extended(sizeof(int32) * d->nages, MCXT_ALLOC_HUGE);
}

static double
ParetoNbdNegLogLik(const double *theta, void *arg)
{
	ParetoData *d = arg;
	const FitState *st = d->st;
	double		p[4],
				ll = 0.0,
				base,
				x_prev = -1,
				tx_prev = -1,
				gx = 0.0,
				l1 = 0.0;
	int32		i,
				group = 0;

	if (ClvFitOutOfBounds(st, theta, 4))
		return get_float8_infinity();
	for (i = 0; i < 4; i++)
		p[i] = exp(theta[i]);
	base = -lgamma(p[0]) + p[0] * theta[1] + p[2] * theta[3];
	for (i = 0; i < d->nages; i++)
	{
		d->log_alpha_ages[i] = ClvLogSum(p[1], d->ages[i]);
		d->log_beta_ages[i] = ClvLogSum(p[3], d->ages[i]);
		d->age_stamps[i] = 0;
	}
	for (i = 0; i < st->nentries; i++)
	{
		const FitEntry *e = &st->entries[i];
		int32		a = d->age_index[i];
		double		rest;

		if ((i & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (e->k[0] != x_prev)
		{
			x_prev = e->k[0];
			tx_prev = -1;
			gx = base + lgamma(p[0] + x_prev);
			group++;
		}
		if (e->k[1] != tx_prev)
		{
			tx_prev = e->k[1];
			l1 = ParetoFitTerm(p, x_prev, tx_prev);
		}
		if (d->age_stamps[a] != group)
		{
			d->age_terms[a] = ParetoFitTerm(p, x_prev, e->k[2]);
			d->age_stamps[a] = group;
		}
		rest = ParetoLogLikRest(p, x_prev, l1, d->age_terms[a],
								   d->log_alpha_ages[a], d->log_beta_ages[a]);
		if (isnan(rest))
			return get_float8_nan();
		ll += e->count * (gx + rest);
	}
	return -ll;
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
