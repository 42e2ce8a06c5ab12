/*-------------------------------------------------------------------------
 *
 * coxph_predict.c
 *	  The accessors of coxph_model: the coefficient table, the three tests,
 *	  the concordance, the log-likelihood, convergence, and predicted
 *	  survival for a covariate vector.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/tuplestore.h"

#include "coxph.h"

PG_FUNCTION_INFO_V1(coxph_coefficients);
PG_FUNCTION_INFO_V1(coxph_tests);
PG_FUNCTION_INFO_V1(coxph_concordance);
PG_FUNCTION_INFO_V1(coxph_log_likelihood);
PG_FUNCTION_INFO_V1(coxph_converged);
PG_FUNCTION_INFO_V1(coxph_survival);
PG_FUNCTION_INFO_V1(coxph_survival_at);

Datum
coxph_log_likelihood(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(CoxGetArg(fcinfo, 0)->loglik);
}

Datum
coxph_converged(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(CoxGetArg(fcinfo, 0)->converged);
}

Datum
coxph_concordance(PG_FUNCTION_ARGS)
{
	CoxModel   *m = CoxGetArg(fcinfo, 0);

	if (isnan(m->concordance))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(m->concordance);
}

/* A materialized result set of the caller's row type */
static Tuplestorestate *
CoxResultSet(FunctionCallInfo fcinfo, TupleDesc *tupdesc)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext old;
	Tuplestorestate *ts;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (get_call_result_type(fcinfo, NULL, tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	*tupdesc = CreateTupleDescCopy(*tupdesc);
	ts = tuplestore_begin_heap(true, false, work_mem);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = ts;
	rsinfo->setDesc = *tupdesc;
	MemoryContextSwitchTo(old);
	return ts;
}

/*
 * coxph_coefficients(model, level): one row per covariate: term,
 * coefficient, hazard_ratio exp(coef), std_err, z = coef / se, p_value
 * (two-sided normal), and the hazard ratio's confidence interval
 * exp(coef -/+ z_level se), as R's summary.coxph.
 */
Datum
coxph_coefficients(PG_FUNCTION_ARGS)
{
	CoxModel   *m = CoxGetArg(fcinfo, 0);
	double		zq = KpiConfidenceZ(PG_GETARG_FLOAT8(1));
	TupleDesc	tupdesc;
	Tuplestorestate *ts = CoxResultSet(fcinfo, &tupdesc);
	int			j;

	for (j = 0; j < m->p; j++)
	{
		double		b = COXPH_BETA(m)[j],
					se = sqrt(COXPH_COVAR(m)[j * m->p + j]),
					z = b / se;
		Datum		values[8];
		bool		nulls[8] = {0};

		values[0] = CStringGetTextDatum(CoxTerm(m, j));
		values[1] = Float8GetDatum(b);
		values[2] = Float8GetDatum(exp(b));
		values[3] = Float8GetDatum(se);
		values[4] = Float8GetDatum(z);
		values[5] = Float8GetDatum(KpiNormalTwoSidedP(z));
		values[6] = Float8GetDatum(exp(b - zq * se));
		values[7] = Float8GetDatum(exp(b + zq * se));
		tuplestore_putvalues(ts, tupdesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * coxph_tests(model): the likelihood-ratio 2 (LL - LL0), Wald b' V^-1 b and
 * score (log-rank) U(0)' I(0)^-1 U(0) tests that every coefficient is 0,
 * each chi-square on p degrees of freedom.
 */
Datum
coxph_tests(PG_FUNCTION_ARGS)
{
	CoxModel   *m = CoxGetArg(fcinfo, 0);
	TupleDesc	tupdesc;
	Tuplestorestate *ts = CoxResultSet(fcinfo, &tupdesc);
	int			p = m->p,
				i,
				j,
				k;
	double	   *l = palloc(sizeof(double) * p * p),
			   *z = palloc(sizeof(double) * p);
	double		stats[3],
				wald = 0.0;
	static const char *const tests[] = {"likelihood_ratio", "wald", "score"};

	/* b' V^-1 b = |L^-1 b|^2 with V = L L' */
	memcpy(l, COXPH_COVAR(m), sizeof(double) * p * p);
	for (j = 0; j < p; j++)
	{
		double		s = l[j * p + j];

		for (k = 0; k < j; k++)
			s -= l[j * p + k] * l[j * p + k];
		if (!(s > 0.0))
		{
			wald = get_float8_nan();
			break;
		}
		l[j * p + j] = sqrt(s);
		for (i = j + 1; i < p; i++)
		{
			double		t = l[i * p + j];

			for (k = 0; k < j; k++)
				t -= l[i * p + k] * l[j * p + k];
			l[i * p + j] = t / l[j * p + j];
		}
	}
	if (!isnan(wald))
		for (i = 0; i < p; i++)
		{
			z[i] = COXPH_BETA(m)[i];
			for (k = 0; k < i; k++)
				z[i] -= l[i * p + k] * z[k];
			z[i] /= l[i * p + i];
			wald += z[i] * z[i];
		}
	stats[0] = Max(2.0 * (m->loglik - m->loglik_null), 0.0);
	stats[1] = wald;
	stats[2] = m->score;
	for (i = 0; i < 3; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, isnan(stats[i]), false, isnan(stats[i])};

		values[0] = CStringGetTextDatum(tests[i]);
		values[1] = Float8GetDatum(stats[i]);
		values[2] = Int32GetDatum(p);
		values[3] = Float8GetDatum(isnan(stats[i]) ? 0.0 : KpiChiSquareSurvival(stats[i], p));
		tuplestore_putvalues(ts, tupdesc, values, nulls);
	}
	return (Datum) 0;
}

/* exp(b'(x - center)) for a covariates argument of the model's length */
static double
CoxRelativeRisk(const CoxModel *m, FunctionCallInfo fcinfo, int argno)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(argno);
	int			n,
				j;
	const double *x;
	double		eta = 0.0,
				r;

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("covariates must be a one-dimensional array")));
	n = ARR_NDIM(a) == 0 ? 0 : ARR_DIMS(a)[0];
	if (n != m->p)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("covariates of length %d for a model of %d covariates", n, m->p)));
	if (ARR_HASNULL(a) && array_contains_nulls(a))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a covariate is NULL")));
	x = (const double *) ARR_DATA_PTR(a);
	for (j = 0; j < n; j++)
	{
		if (!isfinite(x[j]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("covariate %d is %s", j + 1, float8out_internal(x[j])),
					 errhint("Covariates must be finite.")));
		eta += COXPH_BETA(m)[j] * (x[j] - COXPH_CENTER(m)[j]);
	}
	r = exp(eta);
	if (!isfinite(r))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the relative risk of these covariates is out of range")));
	return r;
}

/*
 * coxph_survival(model, covariates): at each event time of the fit, the
 * cumulative hazard H0(t) exp(b'(x - center)) of a subject with these
 * covariates and its survival exp(-H), as R's survfit.coxph(fit, newdata)
 * (Breslow's or Efron's baseline hazard as the fit's ties).
 */
Datum
coxph_survival(PG_FUNCTION_ARGS)
{
	CoxModel   *m = CoxGetArg(fcinfo, 0);
	double		r = CoxRelativeRisk(m, fcinfo, 1);
	TupleDesc	tupdesc;
	Tuplestorestate *ts = CoxResultSet(fcinfo, &tupdesc);
	int			i;

	for (i = 0; i < m->ntimes; i++)
	{
		double		h = COXPH_CUMHAZ(m)[i] * r;
		Datum		values[3];
		bool		nulls[3] = {0};

		values[0] = Float8GetDatum(COXPH_TIMES(m)[i]);
		values[1] = Float8GetDatum(h);
		values[2] = Float8GetDatum(exp(-h));
		tuplestore_putvalues(ts, tupdesc, values, nulls);
	}
	return (Datum) 0;
}

/* coxph_survival_at(model, covariates, time): exp(-H(t)), a step function */
Datum
coxph_survival_at(PG_FUNCTION_ARGS)
{
	CoxModel   *m = CoxGetArg(fcinfo, 0);
	double		r = CoxRelativeRisk(m, fcinfo, 1),
				t = PG_GETARG_FLOAT8(2);
	int			lo = 0,
				hi = m->ntimes;

	if (isnan(t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time must not be NaN")));
	/* the number of event times <= t */
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (COXPH_TIMES(m)[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		PG_RETURN_FLOAT8(1.0);
	PG_RETURN_FLOAT8(exp(-COXPH_CUMHAZ(m)[lo - 1] * r));
}
