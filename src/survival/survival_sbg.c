/*-------------------------------------------------------------------------
 *
 * survival_sbg.c
 *	  Shifted-beta-geometric (sBG) contract retention (Fader & Hardie 2007,
 *	  "How to Project Customer Retention", Journal of Interactive Marketing
 *	  21(1)).
 *
 * Each customer of a contract cohort renews at the end of every period with
 * a probability 1 - theta of their own, theta beta(alpha, beta)-distributed
 * across customers.  Then, for the period T in which a customer leaves,
 *
 *		P(T = 1) = alpha / (alpha + beta)
 *		P(T = t) = (beta + t - 2) / (alpha + beta + t - 1) * P(T = t - 1)
 *		S(t) = P(T > t) = (beta + t - 1) / (alpha + beta + t - 1) * S(t - 1)
 *		r(t) = S(t) / S(t - 1) = (beta + t - 1) / (alpha + beta + t - 1)
 *
 * The aggregate sbg_fit(period, survivors) takes the number of customers of
 * one cohort still active after each period (period 0: the cohort size) and
 * fits alpha and beta by maximum likelihood: the customers lost between two
 * observed periods a < b contribute log(S(a) - S(b)) each, those still
 * active at the last observed period log(S(last)).  With every period
 * observed this is Fader & Hardie's likelihood; gaps are allowed.
 *
 * The result is an sbg_model value (a small storable type) read by
 * sbg_survival, sbg_retention_rate and sbg_projection.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"

#define SBG_FORMAT_VERSION	1
#define SBG_MAX_PERIOD		10000	/* periods of a fit and a projection */
#define SBG_MAX_LOG_PARAM	13.8	/* |log alpha|, |log beta| of a converged fit (1e-6..1e6) */

/* The fitted model; text and binary forms are independent of this layout */
typedef struct SbgModel
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* SBG_FORMAT_VERSION */
	uint8		converged;		/* did the fit converge? */
	uint8		reserved[2];	/* zero */
	int32		periods;		/* last period of the data fitted */
	int64		customers;		/* cohort size at period 0 */
	double		alpha;
	double		beta;
	double		log_likelihood;
} SbgModel;

/*
 * The transition state of sbg_fit: survivors[p] for each period p seen
 * (-1 where not seen), indexed by period, so that a period given twice is
 * caught at once and the state never exceeds SBG_MAX_PERIOD + 1 counts.
 */
typedef struct SbgState
{
	int			size;			/* allocated entries */
	int64	   *survivors;
} SbgState;

PG_FUNCTION_INFO_V1(sbg_model_in);
PG_FUNCTION_INFO_V1(sbg_model_out);
PG_FUNCTION_INFO_V1(sbg_model_recv);
PG_FUNCTION_INFO_V1(sbg_model_send);
PG_FUNCTION_INFO_V1(sbg_fit_state_accum);
KPI_FORMER_SYMBOL(sbg_accum, sbg_fit_state_accum);
PG_FUNCTION_INFO_V1(sbg_fit_state_combine);
KPI_FORMER_SYMBOL(sbg_state_combine, sbg_fit_state_combine);
PG_FUNCTION_INFO_V1(sbg_fit_state_serialize);
KPI_FORMER_SYMBOL(sbg_serialize, sbg_fit_state_serialize);
PG_FUNCTION_INFO_V1(sbg_fit_state_deserialize);
KPI_FORMER_SYMBOL(sbg_deserialize, sbg_fit_state_deserialize);
PG_FUNCTION_INFO_V1(sbg_fit_final);
PG_FUNCTION_INFO_V1(sbg_std_errors_final);
PG_FUNCTION_INFO_V1(sbg_parameter_estimates);
KPI_FORMER_SYMBOL(sbg_final, sbg_fit_final);
PG_FUNCTION_INFO_V1(sbg_alpha);
PG_FUNCTION_INFO_V1(sbg_beta);
PG_FUNCTION_INFO_V1(sbg_log_likelihood);
PG_FUNCTION_INFO_V1(sbg_converged);
PG_FUNCTION_INFO_V1(sbg_survival);
PG_FUNCTION_INFO_V1(sbg_retention_rate);
PG_FUNCTION_INFO_V1(sbg_projection);


/* The model type */

/* Why these fields cannot form a model, or NULL if they can */
static const char *
SbgModelError(double alpha, double beta, double ll, int64 periods,
			  int64 customers, int64 converged)
{
	if (!isfinite(alpha) || !isfinite(beta) || alpha <= 0.0 || beta <= 0.0)
		return "alpha and beta must be positive and finite.";
	if (!isfinite(ll) || ll > 0.0)
		return "The log-likelihood must be finite and not positive.";
	if (periods < 1 || periods > SBG_MAX_PERIOD)
		return "periods must lie between 1 and 10000.";
	if (customers < 1)
		return "customers must be positive.";
	if (converged != 0 && converged != 1)
		return "converged must be true or false.";
	return NULL;
}

/*
 * A new model.  The input functions have validated the fields; for a fit the
 * check is the promise that every value we produce can be read back (22003
 * otherwise).
 */
static SbgModel *
SbgModelCreate(double alpha, double beta, double ll, int32 periods,
			   int64 customers, bool converged)
{
	SbgModel   *m;
	const char *problem = SbgModelError(alpha, beta, ll, periods, customers,
										converged ? 1 : 0);

	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sbg_model is out of range"),
				 errdetail("%s", problem)));
	m = palloc0(sizeof(SbgModel));

	SET_VARSIZE(m, sizeof(SbgModel));
	m->version = SBG_FORMAT_VERSION;
	m->converged = converged;
	m->periods = periods;
	m->customers = customers;
	m->alpha = alpha;
	m->beta = beta;
	m->log_likelihood = ll;
	return m;
}

/* Reject a stored value that is not what this code wrote */
static void
SbgCheck(const SbgModel *m)
{
	if (VARSIZE(m) != sizeof(SbgModel) || m->version != SBG_FORMAT_VERSION ||
		SbgModelError(m->alpha, m->beta, m->log_likelihood, m->periods,
					  m->customers, m->converged) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("sbg_model value is corrupt")));
}

static SbgModel *
SbgGetArg(FunctionCallInfo fcinfo, int argno)
{
	SbgModel   *m = (SbgModel *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	SbgCheck(m);
	return m;
}

/*
 * Text: {"version":1,"alpha":a,"beta":b,"log_likelihood":ll,"periods":n,
 * "customers":c,"converged":true}; binary: int8 version, float8 alpha, beta,
 * log-likelihood, int32 periods, int64 customers, int8 converged.
 */
static bool
ScanFloatField(KpiScanner *scan, const char *key, double *value)
{
	return KpiScanToken(scan, ",") && KpiScanToken(scan, key) &&
		KpiScanToken(scan, ":") && KpiScanFloat8(scan, value);
}

Datum
sbg_model_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	KpiScanner	scan = {str};
	const char *problem = "Expected {\"version\":1,\"alpha\":...,\"beta\":...,\"log_likelihood\":...,\"periods\":...,\"customers\":...,\"converged\":true|false}.";
	int64		version,
				periods,
				customers,
				converged = -1;
	double		alpha,
				beta,
				ll;

	if (KpiScanToken(&scan, "{") && KpiScanKey(&scan, "version") && KpiScanInt64(&scan, &version))
	{
		if (version != SBG_FORMAT_VERSION)
			problem = "Only format version 1 is supported.";
		else if (ScanFloatField(&scan, "\"alpha\"", &alpha) &&
				 ScanFloatField(&scan, "\"beta\"", &beta) &&
				 ScanFloatField(&scan, "\"log_likelihood\"", &ll) &&
				 KpiScanToken(&scan, ",") && KpiScanKey(&scan, "periods") && KpiScanInt64(&scan, &periods) &&
				 KpiScanToken(&scan, ",") && KpiScanKey(&scan, "customers") && KpiScanInt64(&scan, &customers) &&
				 KpiScanToken(&scan, ",") && KpiScanKey(&scan, "converged"))
		{
			if (KpiScanToken(&scan, "true"))
				converged = 1;
			else if (KpiScanToken(&scan, "false"))
				converged = 0;
			if (converged >= 0 && KpiScanToken(&scan, "}") && KpiScanEnd(&scan))
			{
				problem = SbgModelError(alpha, beta, ll, periods, customers, converged);
				if (problem == NULL)
					PG_RETURN_POINTER(SbgModelCreate(alpha, beta, ll, (int32) periods,
													 customers, converged == 1));
			}
		}
	}
	CRM_INPUT_ERROR(fcinfo,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"", "sbg_model", str),
					 errdetail("%s", problem)));
}

Datum
sbg_model_out(PG_FUNCTION_ARGS)
{
	SbgModel   *m = SbgGetArg(fcinfo, 0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d,\"alpha\":", m->version);
	KpiAppendFloat8(&buf, m->alpha);
	appendStringInfoString(&buf, ",\"beta\":");
	KpiAppendFloat8(&buf, m->beta);
	appendStringInfoString(&buf, ",\"log_likelihood\":");
	KpiAppendFloat8(&buf, m->log_likelihood);
	appendStringInfo(&buf, ",\"periods\":%d,\"customers\":" INT64_FORMAT ",\"converged\":%s}",
					 m->periods, m->customers, m->converged ? "true" : "false");
	PG_RETURN_CSTRING(buf.data);
}

Datum
sbg_model_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	double		alpha,
				beta,
				ll;
	int32		periods;
	int64		customers;
	int			converged;
	const char *problem;

	if (buf->len - buf->cursor != 1 + 3 * 8 + 4 + 8 + 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("sbg_model binary input has %d bytes, expected 38",
						buf->len - buf->cursor)));
	version = pq_getmsgbyte(buf);
	if (version != SBG_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported sbg_model binary format version %d", version)));
	alpha = pq_getmsgfloat8(buf);
	beta = pq_getmsgfloat8(buf);
	ll = pq_getmsgfloat8(buf);
	periods = pq_getmsgint(buf, 4);
	customers = pq_getmsgint64(buf);
	converged = pq_getmsgbyte(buf);
	pq_getmsgend(buf);
	if ((problem = SbgModelError(alpha, beta, ll, periods, customers, converged)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid sbg_model in binary input"),
				 errdetail("%s", problem)));
	PG_RETURN_POINTER(SbgModelCreate(alpha, beta, ll, periods, customers, converged == 1));
}

Datum
sbg_model_send(PG_FUNCTION_ARGS)
{
	SbgModel   *m = SbgGetArg(fcinfo, 0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, m->version);
	pq_sendfloat8(&buf, m->alpha);
	pq_sendfloat8(&buf, m->beta);
	pq_sendfloat8(&buf, m->log_likelihood);
	pq_sendint32(&buf, m->periods);
	pq_sendint64(&buf, m->customers);
	pq_sendbyte(&buf, m->converged);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}


/* The aggregate */

static SbgState *
SbgStateCreate(MemoryContext cxt, int size)
{
	SbgState   *st = MemoryContextAlloc(cxt, sizeof(SbgState));
	int			i;

	st->size = size;
	st->survivors = MemoryContextAlloc(cxt, sizeof(int64) * size);
	for (i = 0; i < size; i++)
		st->survivors[i] = -1;
	return st;
}

/* Record survivors at period; errors for a bad or repeated period */
static void
SbgStateSet(SbgState *st, int32 period, int64 survivors)
{
	if (period < 0 || period > SBG_MAX_PERIOD)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("period %d is out of range", period),
				 errhint("Periods are integers from 0 (the cohort's start) to %d.",
						 SBG_MAX_PERIOD)));
	if (survivors < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("survivor count " INT64_FORMAT " is negative", survivors)));
	if (period >= st->size)
	{
		int			size = Min(Max(st->size * 2, period + 1), SBG_MAX_PERIOD + 1);
		int			i;

		st->survivors = repalloc(st->survivors, sizeof(int64) * size);
		for (i = st->size; i < size; i++)
			st->survivors[i] = -1;
		st->size = size;
	}
	if (st->survivors[period] >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period %d is given more than once", period),
				 errhint("sbg_fit takes one row per period of one cohort; group by cohort.")));
	st->survivors[period] = survivors;
}

/* sbg_fit_state_accum(state, period, survivors); NULL rows are skipped */
Datum
sbg_fit_state_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	SbgState   *st;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "sbg_fit_state_accum called in non-aggregate context");
	st = PG_ARGISNULL(0) ? SbgStateCreate(aggcxt, 16) : (SbgState *) PG_GETARG_POINTER(0);
	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2))
	{
		MemoryContext old = MemoryContextSwitchTo(aggcxt);

		SbgStateSet(st, PG_GETARG_INT32(1), PG_GETARG_INT64(2));
		MemoryContextSwitchTo(old);
	}
	PG_RETURN_POINTER(st);
}

Datum
sbg_fit_state_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt,
				old;
	SbgState   *a,
			   *b;
	int			i;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "sbg_fit_state_combine called in non-aggregate context");
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(PG_ARGISNULL(0) ? NULL : PG_GETARG_POINTER(0));
	b = (SbgState *) PG_GETARG_POINTER(1);
	a = PG_ARGISNULL(0) ? SbgStateCreate(aggcxt, b->size) : (SbgState *) PG_GETARG_POINTER(0);
	old = MemoryContextSwitchTo(aggcxt);
	for (i = 0; i < b->size; i++)
		if (b->survivors[i] >= 0)
			SbgStateSet(a, i, b->survivors[i]);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(a);
}

/* Binary state: int32 n, then n pairs (int32 period, int64 survivors) */
Datum
sbg_fit_state_serialize(PG_FUNCTION_ARGS)
{
	SbgState   *st = (SbgState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			i,
				n = 0;

	for (i = 0; i < st->size; i++)
		n += st->survivors[i] >= 0;
	pq_begintypsend(&buf);
	pq_sendint32(&buf, n);
	for (i = 0; i < st->size; i++)
	{
		if (st->survivors[i] < 0)
			continue;
		pq_sendint32(&buf, i);
		pq_sendint64(&buf, st->survivors[i]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
sbg_fit_state_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcxt,
				old;
	StringInfoData buf;
	SbgState   *st;
	int			n,
				i;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "sbg_fit_state_deserialize called in non-aggregate context");
	KpiReadBuffer(&buf, bytes);
	n = pq_getmsgint(&buf, 4);
	if (n < 0 || n > SBG_MAX_PERIOD + 1 || buf.len - buf.cursor != n * 12)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid sbg_fit state")));
	st = SbgStateCreate(aggcxt, 16);
	old = MemoryContextSwitchTo(aggcxt);
	for (i = 0; i < n; i++)
	{
		int32		period = pq_getmsgint(&buf, 4);

		SbgStateSet(st, period, pq_getmsgint64(&buf));
	}
	MemoryContextSwitchTo(old);
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(st);
}

/* The observed periods and counts, in order */
typedef struct SbgData
{
	int			n;
	int32	   *periods;
	int64	   *survivors;
} SbgData;

/* -log-likelihood at x = (log alpha, log beta); +Inf where undefined */
static double
SbgNegLogLik(const double *x, void *arg)
{
	const SbgData *d = (const SbgData *) arg;
	double		alpha = exp(x[0]),
				beta = exp(x[1]);
	double		surv = 1.0,
				ll = 0.0;
	int			t = 0,
				i;

	if (!isfinite(alpha) || !isfinite(beta) || alpha <= 0.0 || beta <= 0.0)
		return get_float8_infinity();
	for (i = 1; i < d->n; i++)
	{
		/* S(a) - S(b) as the sum of P(T = t), a < t <= b: no cancellation */
		double		lost_prob = 0.0;
		int64		lost = d->survivors[i - 1] - d->survivors[i];

		for (t = d->periods[i - 1] + 1; t <= d->periods[i]; t++)
		{
			lost_prob += surv * alpha / (alpha + beta + t - 1);
			surv *= (beta + t - 1) / (alpha + beta + t - 1);
		}
		if (lost > 0)
			ll += (double) lost * log(lost_prob);
	}
	if (d->survivors[d->n - 1] > 0)		/* 0 * log(0) would be NaN */
		ll += (double) d->survivors[d->n - 1] * log(surv);
	return isnan(ll) ? get_float8_infinity() : -ll;
}

#define SBG_HESSIAN_STEP 1e-2	/* KpiHessianInverse's step, log scale */

/*
 * The fit of a state: its series checked into d, the maximum-likelihood
 * log-parameters x = (log alpha, log beta), the log-likelihood and whether
 * the fit converged; false for no rows.  Periods must start at 0 with a
 * positive cohort, survivors must not increase, and at least one period
 * after 0 is needed.
 */
static bool
SbgFit(const SbgState *st, SbgData *d, double *x, double *ll, bool *converged)
{
	KpiOptimResult fit;
	int			i;

	d->periods = palloc(sizeof(int32) * st->size);
	d->survivors = palloc(sizeof(int64) * st->size);
	d->n = 0;
	for (i = 0; i < st->size; i++)
	{
		if (st->survivors[i] < 0)
			continue;
		if (d->n > 0 && st->survivors[i] > d->survivors[d->n - 1])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("survivors increase from " INT64_FORMAT " at period %d to " INT64_FORMAT " at period %d",
							d->survivors[d->n - 1], d->periods[d->n - 1], st->survivors[i], i),
					 errhint("Survivors count the customers of one cohort still active after each period.")));
		d->periods[d->n] = i;
		d->survivors[d->n] = st->survivors[i];
		d->n++;
	}
	if (d->n == 0)
		return false;
	if (d->periods[0] != 0 || d->survivors[0] == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbg_fit needs a positive cohort size at period 0")));
	if (d->n < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbg_fit needs survivors at period 0 and at least one later period")));

	x[0] = x[1] = 0.0;
	fit = KpiNelderMead(SbgNegLogLik, d, x, 2, 1.0, 1e-10, 5000);
	if (!isfinite(fit.value) || !isfinite(exp(x[0])) || !isfinite(exp(x[1])) ||
		exp(x[0]) <= 0.0 || exp(x[1]) <= 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbg_fit found no finite maximum of the likelihood"),
				 errhint("Check that the survivors describe one cohort.")));

	/*
	 * Without a finite maximum (nobody churned; or a constant churn rate,
	 * whose limit is the geometric model) the search runs off towards 0 or
	 * infinity: report that as not converged.  The projections of the last
	 * point are still those of the limit.
	 */
	*ll = Min(-fit.value, 0.0);
	*converged = fit.converged &&
		fabs(x[0]) < SBG_MAX_LOG_PARAM && fabs(x[1]) < SBG_MAX_LOG_PARAM;
	return true;
}

/* sbg_fit_final(state): the fitted model; NULL for no rows */
Datum
sbg_fit_final(PG_FUNCTION_ARGS)
{
	SbgData		d;
	double		x[2],
				ll;
	bool		converged;

	if (PG_ARGISNULL(0) || !SbgFit((SbgState *) PG_GETARG_POINTER(0), &d, x, &ll, &converged))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(SbgModelCreate(exp(x[0]), exp(x[1]), ll, d.periods[d.n - 1],
									 d.survivors[0], converged));
}

/*
 * sbg_std_errors_final(state): the fit of sbg_fit over the same rows, and
 * the standard errors of alpha and beta from its observed information
 * (KpiStdErrors: NULL elements for a fit that did not converge); NULL for
 * no rows
 */
Datum
sbg_std_errors_final(PG_FUNCTION_ARGS)
{
	SbgData		d;
	double		x[2],
				params[2],
				ll;
	bool		converged;

	if (PG_ARGISNULL(0) || !SbgFit((SbgState *) PG_GETARG_POINTER(0), &d, x, &ll, &converged))
		PG_RETURN_NULL();
	params[0] = exp(x[0]);
	params[1] = exp(x[1]);
	return KpiStdErrors(SbgNegLogLik, &d, x, params, 2, converged, SBG_HESSIAN_STEP);
}

/* parameter_estimates(sbg_model, std_errors, level): alpha and beta */
Datum
sbg_parameter_estimates(PG_FUNCTION_ARGS)
{
	static const char *const names[] = {"alpha", "beta"};
	double		params[2];
	const SbgModel *m;

	if (PG_ARGISNULL(0))
		return KpiParameterEstimates(fcinfo, "sbg_model", 2, names, NULL);
	m = SbgGetArg(fcinfo, 0);
	params[0] = m->alpha;
	params[1] = m->beta;
	return KpiParameterEstimates(fcinfo, "sbg_model", 2, names, params);
}


/* Accessors */

Datum
sbg_alpha(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(SbgGetArg(fcinfo, 0)->alpha);
}

Datum
sbg_beta(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(SbgGetArg(fcinfo, 0)->beta);
}

Datum
sbg_log_likelihood(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(SbgGetArg(fcinfo, 0)->log_likelihood);
}

Datum
sbg_converged(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(SbgGetArg(fcinfo, 0)->converged);
}

static int32
SbgPeriodArg(FunctionCallInfo fcinfo, int argno, int32 low)
{
	int32		t = PG_GETARG_INT32(argno);

	if (t < low || t > SBG_MAX_PERIOD)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period %d is out of range", t),
				 errhint("Periods are integers from %d to %d.", low, SBG_MAX_PERIOD)));
	return t;
}

/*
 * r(t) = (beta + t - 1) / (alpha + beta + t - 1), t >= 1; where alpha + beta
 * overflows (both may be up to DBL_MAX) as 1 / (1 + alpha / (beta + t - 1)):
 * a ratio in [0, 1], never NaN.
 */
static double
SbgRetention(const SbgModel *m, int32 t)
{
	double		d = m->alpha + m->beta + (t - 1);

	if (isfinite(d))
		return (m->beta + (t - 1)) / d;
	return 1.0 / (1.0 + m->alpha / (m->beta + (t - 1)));
}

/* 1 - r(t) = alpha / (alpha + beta + t - 1), likewise */
static double
SbgChurn(const SbgModel *m, int32 t)
{
	double		d = m->alpha + m->beta + (t - 1);

	if (isfinite(d))
		return m->alpha / d;
	return 1.0 / (1.0 + (m->beta + (t - 1)) / m->alpha);
}

/* S(t) by the product of the retention rates, exact for integer t */
static double
SbgSurvival(const SbgModel *m, int32 t)
{
	double		s = 1.0;
	int32		i;

	for (i = 1; i <= t; i++)
		s *= SbgRetention(m, i);
	return s;
}

/* sbg_survival(model, t): share of the cohort still active after t periods */
Datum
sbg_survival(PG_FUNCTION_ARGS)
{
	SbgModel   *m = SbgGetArg(fcinfo, 0);

	PG_RETURN_FLOAT8(SbgSurvival(m, SbgPeriodArg(fcinfo, 1, 0)));
}

/* sbg_retention_rate(model, t): r(t) = S(t) / S(t - 1), t >= 1 */
Datum
sbg_retention_rate(PG_FUNCTION_ARGS)
{
	SbgModel   *m = SbgGetArg(fcinfo, 0);
	int32		t = SbgPeriodArg(fcinfo, 1, 1);

	PG_RETURN_FLOAT8(SbgRetention(m, t));
}

typedef struct SbgProjectionState
{
	SbgModel   *model;
	double		surv;
} SbgProjectionState;

/*
 * sbg_projection(model, periods): one row per period 0..periods: period,
 * survival S(t), retention_rate r(t) (NULL at 0), churn_probability
 * P(T = t) (NULL at 0) and expected_active = customers * S(t).
 */
Datum
sbg_projection(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	SbgProjectionState *ps;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		ps = palloc(sizeof(SbgProjectionState));
		ps->model = (SbgModel *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
		SbgCheck(ps->model);
		ps->surv = 1.0;
		funcctx->max_calls = (uint64) SbgPeriodArg(fcinfo, 1, 0) + 1;
		funcctx->user_fctx = ps;
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	ps = (SbgProjectionState *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		int32		t = (int32) funcctx->call_cntr;
		const SbgModel *m = ps->model;
		Datum		values[5];
		bool		nulls[5] = {false, false, t == 0, t == 0, false};

		if (t > 0)
		{
			double		r = SbgRetention(m, t);

			values[2] = Float8GetDatum(r);
			values[3] = Float8GetDatum(ps->surv * SbgChurn(m, t));
			ps->surv *= r;
		}
		values[0] = Int32GetDatum(t);
		values[1] = Float8GetDatum(ps->surv);
		values[4] = Float8GetDatum((double) m->customers * ps->surv);
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
														  values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}
