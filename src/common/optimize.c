/*-------------------------------------------------------------------------
 *
 * optimize.c
 *	  Nelder-Mead minimisation for the maximum-likelihood fits (sBG, BG/NBD,
 *	  Pareto/NBD, Gamma-Gamma, BG/BB), the inverse Hessian at the optimum
 *	  that gives their standard errors, and the parameter_estimates table.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"

/*
 * KpiNelderMead
 *		Minimises f from the start point x (overwritten with the best point
 *		found) with the Nelder-Mead simplex method, using the standard
 *		coefficients (reflection 1, expansion 2, contraction 1/2, shrink 1/2).
 *
 * The initial simplex steps each coordinate by "step".  The search stops
 * when the function values of the simplex agree within tol (relative to their
 * size, plus tol absolute) and its vertices within tol in every coordinate;
 * it then restarts once from the best vertex, as recommended against the
 * method's known premature collapse, and reports convergence only if the
 * restart does not move.  NaN is treated as +Inf.
 */
static double
ObjectiveAt(KpiObjective f, void *arg, const double *x, KpiOptimResult *result)
{
	double		v = f(x, arg);

	result->evaluations++;
	return isnan(v) ? get_float8_infinity() : v;
}

KpiOptimResult
KpiNelderMead(KpiObjective f, void *arg, double *x, int n,
			  double step, double tol, int max_iter)
{
	double		simplex[KPI_MAX_PARAMS + 1][KPI_MAX_PARAMS];
	double		fv[KPI_MAX_PARAMS + 1];
	double		centroid[KPI_MAX_PARAMS];
	double		trial[KPI_MAX_PARAMS];
	double		trial2[KPI_MAX_PARAMS];
	KpiOptimResult result = {0};
	int			restarts = 0;

	Assert(n >= 1 && n <= KPI_MAX_PARAMS);

	for (;;)
	{
		int			i,
					j;
		bool		stopped = false;
		double		start_value;

		/* simplex around x */
		for (i = 0; i <= n; i++)
		{
			memcpy(simplex[i], x, sizeof(double) * n);
			if (i > 0)
				simplex[i][i - 1] += step;
			fv[i] = ObjectiveAt(f, arg, simplex[i], &result);
		}
		start_value = fv[0];

		while (result.iterations < max_iter)
		{
			int			best = 0,
						worst = 0,
						second = 0;
			double		fr,
						spread = 0.0;

			CHECK_FOR_INTERRUPTS();

			for (i = 1; i <= n; i++)
			{
				if (fv[i] < fv[best])
					best = i;
				if (fv[i] > fv[worst])
					worst = i;
			}
			second = best;
			for (i = 0; i <= n; i++)
				if (i != worst && fv[i] > fv[second])
					second = i;

			/* converged: values and vertices agree */
			for (i = 0; i <= n; i++)
				for (j = 0; j < n; j++)
					spread = Max(spread, fabs(simplex[i][j] - simplex[best][j]));
			if (isfinite(fv[worst]) &&
				fv[worst] - fv[best] <= tol * (fabs(fv[best]) + tol) &&
				spread <= tol)
			{
				stopped = true;
				memcpy(x, simplex[best], sizeof(double) * n);
				result.value = fv[best];
				break;
			}
			result.iterations++;

			for (j = 0; j < n; j++)
			{
				centroid[j] = 0.0;
				for (i = 0; i <= n; i++)
					if (i != worst)
						centroid[j] += simplex[i][j];
				centroid[j] /= n;
			}

			/* reflect */
			for (j = 0; j < n; j++)
				trial[j] = centroid[j] + (centroid[j] - simplex[worst][j]);
			fr = ObjectiveAt(f, arg, trial, &result);

			if (fr < fv[best])
			{
				/* expand */
				double		fe;

				for (j = 0; j < n; j++)
					trial2[j] = centroid[j] + 2.0 * (centroid[j] - simplex[worst][j]);
				fe = ObjectiveAt(f, arg, trial2, &result);
				if (fe < fr)
				{
					memcpy(simplex[worst], trial2, sizeof(double) * n);
					fv[worst] = fe;
				}
				else
				{
					memcpy(simplex[worst], trial, sizeof(double) * n);
					fv[worst] = fr;
				}
			}
			else if (fr < fv[second])
			{
				memcpy(simplex[worst], trial, sizeof(double) * n);
				fv[worst] = fr;
			}
			else
			{
				/* contract, outside when the reflection helped a little */
				double		fc;
				bool		outside = fr < fv[worst];

				for (j = 0; j < n; j++)
					trial2[j] = outside
						? centroid[j] + 0.5 * (trial[j] - centroid[j])
						: centroid[j] + 0.5 * (simplex[worst][j] - centroid[j]);
				fc = ObjectiveAt(f, arg, trial2, &result);
				if (fc < (outside ? fr : fv[worst]))
				{
					memcpy(simplex[worst], trial2, sizeof(double) * n);
					fv[worst] = fc;
				}
				else
				{
					/* shrink towards the best vertex */
					for (i = 0; i <= n; i++)
					{
						if (i == best)
							continue;
						for (j = 0; j < n; j++)
							simplex[i][j] = simplex[best][j] +
								0.5 * (simplex[i][j] - simplex[best][j]);
						fv[i] = ObjectiveAt(f, arg, simplex[i], &result);
					}
				}
			}
		}

		if (!stopped)
		{
			/* out of iterations: return the best vertex, not converged */
			int			best = 0;

			for (i = 1; i <= n; i++)
				if (fv[i] < fv[best])
					best = i;
			memcpy(x, simplex[best], sizeof(double) * n);
			result.value = fv[best];
			result.converged = false;
			return result;
		}

		/* converged twice in a row without moving: done */
		if (restarts > 0 &&
			start_value - result.value <= tol * (fabs(result.value) + tol))
		{
			result.converged = true;
			return result;
		}
		if (restarts >= 5)
		{
			result.converged = false;
			return result;
		}
		restarts++;
		step = Max(step * 0.1, 10.0 * tol);
	}
}


/*
 * The second differences of f at x with step h: H[i][j] ~ d2f / dx_i dx_j,
 * central (error O(h^2)); false if f is not finite at a point used.
 */
static bool
HessianByDifferences(KpiObjective f, void *arg, const double *x, int n, double h,
					 double *hess)
{
	double		p[KPI_MAX_PARAMS];
	double		f0 = f(x, arg);
	int			i,
				j;

	if (!isfinite(f0))
		return false;
	memcpy(p, x, sizeof(double) * n);
	for (i = 0; i < n; i++)
	{
		double		fp,
					fm;

		CHECK_FOR_INTERRUPTS();
		p[i] = x[i] + h;
		fp = f(p, arg);
		p[i] = x[i] - h;
		fm = f(p, arg);
		p[i] = x[i];
		if (!isfinite(fp) || !isfinite(fm))
			return false;
		hess[i * n + i] = ((fp - f0) + (fm - f0)) / (h * h);
		for (j = 0; j < i; j++)
		{
			double		fpp,
						fpm,
						fmp,
						fmm;

			CHECK_FOR_INTERRUPTS();
			p[i] = x[i] + h;
			p[j] = x[j] + h;
			fpp = f(p, arg);
			p[j] = x[j] - h;
			fpm = f(p, arg);
			p[i] = x[i] - h;
			fmm = f(p, arg);
			p[j] = x[j] + h;
			fmp = f(p, arg);
			p[i] = x[i];
			p[j] = x[j];
			if (!isfinite(fpp) || !isfinite(fpm) || !isfinite(fmp) || !isfinite(fmm))
				return false;
			hess[i * n + j] = hess[j * n + i] =
				((fpp - fpm) - (fmp - fmm)) / (4.0 * h * h);
		}
	}
	return true;
}

/*
 * KpiCholesky
 *		The Cholesky factor L of the symmetric positive definite a (n x n,
 *		row-major, lower triangle read) in place: a = L L', L in the lower
 *		triangle (the upper one is left as it was).  Returns -1, or the first
 *		column (0-based) whose pivot is not above rel_tol times its own
 *		diagonal, or not finite: within rounding that column is a linear
 *		combination of the ones before it (rel_tol 0: not positive).
 */
int
KpiCholesky(double *a, int n, double rel_tol)
{
	int			i,
				j,
				k;

	for (j = 0; j < n; j++)
	{
		double		diag = a[j * n + j],
					s = diag;

		for (k = 0; k < j; k++)
			s -= a[j * n + k] * a[j * n + k];
		if (!(diag > 0.0) || !(s > rel_tol * diag) || !isfinite(s))
			return j;
		a[j * n + j] = sqrt(s);
		for (i = j + 1; i < n; i++)
		{
			double		t = a[i * n + j];

			for (k = 0; k < j; k++)
				t -= a[i * n + k] * a[j * n + k];
			a[i * n + j] = t / a[j * n + j];
		}
	}
	return -1;
}

/* Solve L L' x = b in place, L from KpiCholesky */
void
KpiCholeskySolve(const double *l, int n, double *b)
{
	int			i,
				k;

	for (i = 0; i < n; i++)
	{
		for (k = 0; k < i; k++)
			b[i] -= l[i * n + k] * b[k];
		b[i] /= l[i * n + i];
	}
	for (i = n - 1; i >= 0; i--)
	{
		for (k = i + 1; k < n; k++)
			b[i] -= l[k * n + i] * b[k];
		b[i] /= l[i * n + i];
	}
}

/*
 * KpiHessianInverse
 *		The inverse of the Hessian of f at x, into cov (n x n, row-major): for
 *		f a negative log-likelihood at its minimum, the estimates' covariance
 *		matrix, the inverse of the observed information.  False, cov unset,
 *		when the Hessian is not positive definite (x is not a strict minimum:
 *		a flat or saddle direction, the parameters not identified) or f is not
 *		finite within h of x.
 *
 * f has no derivatives, so the Hessian is of second differences with step h,
 * Richardson-extrapolated from steps h and h/2 (4 D(h/2) - D(h)) / 3, which
 * cancels their O(h^2) error: h can then be large enough (1e-2 on a log
 * scale) that f's rounding error, divided by h^2, stays far below the
 * curvature.  2 n^2 + 1 evaluations of f per step.  Inverted through its
 * Cholesky factor H = L L', which also tests it positive definite.
 */
bool
KpiHessianInverse(KpiObjective f, void *arg, const double *x, int n, double h,
				  double *cov)
{
	double		coarse[KPI_MAX_PARAMS * KPI_MAX_PARAMS];
	double		hess[KPI_MAX_PARAMS * KPI_MAX_PARAMS];
	const double *l;
	double		linv[KPI_MAX_PARAMS * KPI_MAX_PARAMS];
	int			i,
				j,
				k;

	Assert(n >= 1 && n <= KPI_MAX_PARAMS);
	if (!HessianByDifferences(f, arg, x, n, h, coarse) ||
		!HessianByDifferences(f, arg, x, n, h / 2, hess))
		return false;
	for (i = 0; i < n * n; i++)
		hess[i] = (4.0 * hess[i] - coarse[i]) / 3.0;

	/* Cholesky: hess = l l', l lower triangular with a positive diagonal */
	if (KpiCholesky(hess, n, 0.0) >= 0)
		return false;
	l = hess;
	/* linv = l^-1 (lower triangular), by forward substitution */
	memset(linv, 0, sizeof(linv));
	for (j = 0; j < n; j++)
	{
		linv[j * n + j] = 1.0 / l[j * n + j];
		for (i = j + 1; i < n; i++)
		{
			double		e = 0.0;

			for (k = j; k < i; k++)
				e -= l[i * n + k] * linv[k * n + j];
			linv[i * n + j] = e / l[i * n + i];
		}
	}
	/* hess^-1 = linv' linv */
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
		{
			double		e = 0.0;

			for (k = Max(i, j); k < n; k++)
				e += linv[k * n + i] * linv[k * n + j];
			cov[i * n + j] = e;
		}
	for (i = 0; i < n * n; i++)
		if (!isfinite(cov[i]))
			return false;
	return true;
}

/*----
 * KpiStdErrors
 *		The standard errors of a fit's parameters params (at the
 *		log-parameters theta of the negative log-likelihood f), as a float8[],
 *		from the observed information: the inverse
 * Hessian of f at the maximum is the covariance of the log-parameters, and
 * by the delta method
 *		se(p_i) = p_i sqrt([H^-1]_ii)
 * At a maximum (zero gradient) this is exactly the inverse of the Hessian
 * in the natural parameters, [H_nat^-1]_ii, since H = D H_nat D there with
 * D = diag(p); lifetimes computes the same (its BaseFitter's variance
 * matrix: params^2 times the inverse Hessian of its mean negative
 * log-likelihood over the log-parameters, divided by the customers).  The
 * log scale keeps the differences' steps relative to each parameter's size.
 * An unconverged fit, or a Hessian that is not positive definite (no strict
 * maximum), has NULL standard errors.  h is KpiHessianInverse's step.
 */
Datum
KpiStdErrors(KpiObjective f, void *arg, const double *theta, const double *params, int n,
			 bool converged, double h)
{
	double		cov[KPI_MAX_PARAMS * KPI_MAX_PARAMS];
	Datum		elems[KPI_MAX_PARAMS];
	bool		nulls[KPI_MAX_PARAMS];
	int			dims[1] = {n},
				lbs[1] = {1};
	bool		ok = converged && KpiHessianInverse(f, arg, theta, n, h, cov);
	int			i;

	for (i = 0; i < n; i++)
	{
		double		se = ok ? params[i] * sqrt(cov[i * n + i]) : 0.0;

		nulls[i] = !ok || !isfinite(se) || !(se > 0);
		elems[i] = Float8GetDatum(nulls[i] ? 0.0 : se);
	}
	return PointerGetDatum(construct_md_array(elems, nulls, 1, dims, lbs, FLOAT8OID,
											  sizeof(float8), FLOAT8PASSBYVAL,
											  TYPALIGN_DOUBLE));
}

/*----
 * KpiParameterEstimates
 *		parameter_estimates(model, std_errors, level): one row per parameter,
 *		in the model's order: parameter, estimate, std_err, and the Wald
 *		interval
 *			estimate -/+ z std_err,		z = Phi^-1((1 + level) / 2)
 * (lifetimes' "lower/upper 95% bound", with z = 1.96 there).  A NULL
 * standard error (unconverged fit, no strict maximum) gives NULL bounds;
 * the interval is not truncated at 0, so a lower bound may be negative
 * where the estimate is within z standard errors of 0.  The caller passes
 * the model's parameters on every call (NULL for a NULL model: no rows);
 * only the first call's are used.
 */
typedef struct EstimatesState
{
	const char *const *names;
	double		params[KPI_MAX_PARAMS];
	double		se[KPI_MAX_PARAMS];
	bool		se_null[KPI_MAX_PARAMS];
	double		z;
} EstimatesState;

static EstimatesState *
EstimatesStart(FunctionCallInfo fcinfo, const char *type, int nparams,
			   const char *const *names, const double *params)
{
	EstimatesState *es = palloc0(sizeof(EstimatesState));
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;
	double		level;

	Assert(nparams >= 1 && nparams <= KPI_MAX_PARAMS);
	if (params == NULL)
		return NULL;
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("confidence level must not be NULL")));
	es->names = names;
	memcpy(es->params, params, sizeof(double) * nparams);
	if (PG_ARGISNULL(1))
	{
		/* no standard errors: the estimates alone */
		for (i = 0; i < nparams; i++)
			es->se_null[i] = true;
	}
	else
	{
		arr = PG_GETARG_ARRAYTYPE_P(1);
		if (ARR_NDIM(arr) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("standard errors must be a one-dimensional array")));
		deconstruct_array(arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
						  TYPALIGN_DOUBLE, &elems, &nulls, &n);
		if (n != nparams)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s has %d parameters, not %d standard errors",
							type, nparams, n)));
		for (i = 0; i < n; i++)
		{
			es->se_null[i] = nulls[i];
			es->se[i] = nulls[i] ? 0.0 : DatumGetFloat8(elems[i]);
			if (!nulls[i] && (!isfinite(es->se[i]) || !(es->se[i] > 0)))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("standard error %g of %s is invalid", es->se[i],
								names[i]),
						 errhint("A standard error is positive and finite, or NULL.")));
		}
	}
	level = PG_GETARG_FLOAT8(2);
	if (!(level > 0 && level < 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence level %g is out of range", level),
				 errhint("The level is between 0 and 1, e.g. 0.95.")));
	es->z = KpiNormalQuantile((1 + level) / 2);
	return es;
}

Datum
KpiParameterEstimates(FunctionCallInfo fcinfo, const char *type, int n,
					  const char *const *names, const double *params)
{
	FuncCallContext *funcctx;
	EstimatesState *es;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		funcctx->user_fctx = EstimatesStart(fcinfo, type, n, names, params);
		funcctx->max_calls = funcctx->user_fctx ? n : 0;
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	es = (EstimatesState *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		int			i = (int) funcctx->call_cntr;
		double		est = es->params[i];
		Datum		values[5];
		bool		nulls[5] = {false, false, es->se_null[i], es->se_null[i], es->se_null[i]};

		values[0] = CStringGetTextDatum(es->names[i]);
		values[1] = Float8GetDatum(est);
		values[2] = Float8GetDatum(es->se[i]);
		values[3] = Float8GetDatum(est - es->z * es->se[i]);
		values[4] = Float8GetDatum(est + es->z * es->se[i]);
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
														  values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}
