/*-------------------------------------------------------------------------
 *
 * crm_kpi.c
 *	  Module entry point and the helpers every KPI family shares.
 *
 * The KPI families live in their own files (survey.c, proportion.c,
 * funnel.c, survival.c, ...); doc/conventions.md says how they are built.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include <ctype.h>
#include <float.h>
#include <errno.h>
#include <math.h>

#include "access/htup_details.h"
#include "common/int.h"
#include "common/shortest_dec.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"

PG_MODULE_MAGIC;

/*
 * KpiConfidenceZ
 *		The two-sided standard normal critical value for a confidence level:
 *		z such that P(|Z| <= z) = level, e.g. 1.959964 for 0.95.
 */
double
KpiConfidenceZ(double level)
{
	if (isnan(level) || level <= 0.0 || level >= 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence level %g is out of range", level),
				 errhint("The level must lie strictly between 0 and 1, e.g. 0.95.")));

	return KpiNormalQuantile(0.5 + level / 2.0);
}

/*----------
 * KpiNormalQuantile
 *		Inverse of the standard normal distribution function, 0 < p < 1.
 *
 * P. J. Acklam's rational approximation (relative error 1.15e-9), refined by
 * one Halley step on erfc(), which brings it to full double precision:
 *
 *		e = Phi(x) - p,  u = e * sqrt(2 pi) * exp(x^2 / 2),
 *		x' = x - u / (1 + x u / 2)
 *----------
 */
double
KpiNormalQuantile(double p)
{
	static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02,
	-3.066479806614716e+01, 2.506628277459239e+00};
	static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
		-1.556989798598866e+02, 6.680131188771972e+01,
	-1.328068155288572e+01};
	static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00,
	4.374664141464968e+00, 2.938163982698783e+00};
	static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
	2.445134137142996e+00, 3.754408661907416e+00};
	const double p_low = 0.02425;
	double		q,
				r,
				x,
				e,
				u;

	Assert(p > 0.0 && p < 1.0);

	if (p < p_low)
	{
		q = sqrt(-2.0 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
			((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
	}
	else if (p <= 1.0 - p_low)
	{
		q = p - 0.5;
		r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
			(((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
	}
	else
	{
		q = sqrt(-2.0 * log(1.0 - p));
		x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
			((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
	}

	e = 0.5 * erfc(-x / M_SQRT2) - p;
	u = e * sqrt(2.0 * M_PI) * exp(x * x / 2.0);
	return x - u / (1.0 + x * u / 2.0);
}

/*
 * KpiNormalTwoSidedP
 *		Two-sided p-value of a standard normal statistic: P(|Z| >= |z|).
 */
double
KpiNormalTwoSidedP(double z)
{
	return erfc(fabs(z) / M_SQRT2);
}

/*----------
 * RegularizedBeta
 *		The regularized incomplete beta function I_x(a, b).
 *
 * Continued fraction evaluated by the modified Lentz method, on the side of
 * the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where it converges quickly
 * (Press et al., Numerical Recipes, 3rd ed., section 6.4).
 *----------
 */
#define LENTZ_TINY 1e-300

/* One step of the modified Lentz method; returns the factor for h */
static double
LentzStep(double aa, double *c, double *d)
{
	*d = 1.0 + aa * *d;
	if (fabs(*d) < LENTZ_TINY)
		*d = LENTZ_TINY;
	*c = 1.0 + aa / *c;
	if (fabs(*c) < LENTZ_TINY)
		*c = LENTZ_TINY;
	*d = 1.0 / *d;
	return *d * *c;
}

static double
BetaContinuedFraction(double a, double b, double x)
{
	double		c = 1.0,
				d,
				h;
	int			m;

	d = 1.0 - (a + b) * x / (a + 1.0);
	if (fabs(d) < LENTZ_TINY)
		d = LENTZ_TINY;
	d = 1.0 / d;
	h = d;
	for (m = 1; m <= 100000; m++)
	{
		double		m2 = 2.0 * m;
		double		delta;

		h *= LentzStep(m * (b - m) * x / ((a - 1.0 + m2) * (a + m2)), &c, &d);
		delta = LentzStep(-(a + m) * (a + b + m) * x / ((a + m2) * (a + 1.0 + m2)), &c, &d);
		h *= delta;
		if (fabs(delta - 1.0) < 1e-16)
			break;
	}
	return h;
}

static double
RegularizedBeta(double a, double b, double x)
{
	double		front;

	if (x <= 0.0)
		return 0.0;
	if (x >= 1.0)
		return 1.0;

	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) +
				a * log(x) + b * log1p(-x));
	if (x < (a + 1.0) / (a + b + 2.0))
		return front * BetaContinuedFraction(a, b, x) / a;
	return 1.0 - front * BetaContinuedFraction(b, a, 1.0 - x) / b;
}

/* P(T > t) for t >= 0, T Student-distributed with df degrees of freedom */
static double
StudentTUpperTail(double t, double df)
{
	return 0.5 * RegularizedBeta(df / 2.0, 0.5, df / (df + t * t));
}

/*
 * KpiStudentTQuantile
 *		Quantile of Student's t distribution, 0.5 < p < 1, df >= 1.
 *
 * Bisection on the distribution function to full double precision.  Beyond
 * a million degrees of freedom the first Cornish-Fisher term on the normal
 * quantile is exact to 1e-12, and the continued fraction would be slow.
 */
double
KpiStudentTQuantile(double p, double df)
{
	double		tail = 1.0 - p;
	double		lo = 0.0,
				hi = 1.0;
	int			i;

	Assert(p > 0.5 && p < 1.0 && df >= 1.0);

	if (df > 1e6)
	{
		double		z = KpiNormalQuantile(p);

		return z + (z * z * z + z) / (4.0 * df);
	}

	while (StudentTUpperTail(hi, df) > tail)
	{
		lo = hi;
		hi *= 2.0;
	}
	for (i = 0; i < 200 && hi - lo > 1e-15 * hi; i++)
	{
		double		mid = (lo + hi) / 2.0;

		/* each step evaluates a continued fraction of up to ~sqrt(df) terms */
		CHECK_FOR_INTERRUPTS();

		if (StudentTUpperTail(mid, df) > tail)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2.0;
}

/*----------
 * KpiChiSquareSurvival
 *		Upper tail P(X >= x) of the chi-square distribution with df > 0
 *		degrees of freedom: the regularized upper incomplete gamma function
 *		Q(df/2, x/2).
 *
 * Q(a, x) = 1 - P(a, x) from the series
 *		P(a, x) = e^-x x^a / Gamma(a + 1) * sum_n x^n / ((a + 1) ... (a + n))
 * below x = a + 1, else the continued fraction
 *		Q(a, x) = e^-x x^a / Gamma(a) * 1 / (x + 1 - a - 1 (1 - a) / (x + 3 - a - ...))
 * by the modified Lentz method (Press et al., Numerical Recipes, 3rd ed.,
 * section 6.2), so that small tails keep their relative precision.
 *----------
 */
double
KpiChiSquareSurvival(double x, double df)
{
	double		a = df / 2.0;
	double		half = x / 2.0;
	double		front;
	int			n;

	Assert(df > 0.0);

	if (isnan(x))
		return x;
	if (half <= 0.0)
		return 1.0;
	if (isinf(half))
		return 0.0;

	front = exp(-half + a * log(half) - lgamma(a));
	if (half < a + 1.0)
	{
		double		term = 1.0 / a,
					sum = term;

		for (n = 1; n <= 100000; n++)
		{
			term *= half / (a + n);
			sum += term;
			if (fabs(term) < fabs(sum) * 1e-17)
				break;
		}
		return Max(0.0, 1.0 - front * sum);
	}
	else
	{
		double		b = half + 1.0 - a,
					c = 1.0 / LENTZ_TINY,
					d = 1.0 / b,
					h = d;

		for (n = 1; n <= 100000; n++)
		{
			double		an = -n * (n - a),
						delta;

			b += 2.0;
			d = an * d + b;
			if (fabs(d) < LENTZ_TINY)
				d = LENTZ_TINY;
			c = b + an / c;
			if (fabs(c) < LENTZ_TINY)
				c = LENTZ_TINY;
			d = 1.0 / d;
			delta = d * c;
			h *= delta;
			if (fabs(delta - 1.0) < 1e-16)
				break;
		}
		return Min(1.0, front * h);
	}
}

/*----------
 * KpiWilsonInterval
 *		Wilson score interval of a binomial proportion (Wilson 1927):
 *
 *		center = (p + z^2/(2n)) / (1 + z^2/n)
 *		half   = z / (1 + z^2/n) * sqrt(p (1 - p) / n + z^2 / (4 n^2))
 *
 * The bounds are clipped to [0, 1], and are exactly 0 (1) when there are no
 * successes (failures).  trials must be positive.
 *----------
 */
void
KpiWilsonInterval(int64 successes, int64 trials, double z,
				  double *lower, double *upper)
{
	double		n = (double) trials;
	double		p = (double) successes / n;
	double		z2 = z * z;
	double		denom = 1.0 + z2 / n;
	double		center = (p + z2 / (2.0 * n)) / denom;
	double		half = z / denom * sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));

	Assert(trials > 0 && successes >= 0 && successes <= trials);

	*lower = successes == 0 ? 0.0 : Max(0.0, center - half);
	*upper = successes == trials ? 1.0 : Min(1.0, center + half);
}

/*
 * KpiFloat8Record
 *		Build the composite result of a function with OUT double precision
 *		parameters.  The blessed tuple descriptor is looked up once per call
 *		site and kept in fn_extra, since these functions may run once a row.
 */
Datum
KpiFloat8Record(FunctionCallInfo fcinfo, const double *values,
				const bool *nulls, int natts)
{
	TupleDesc	tupdesc = (TupleDesc) fcinfo->flinfo->fn_extra;
	Datum		datums[8];
	int			i;

	Assert(natts <= lengthof(datums));

	if (tupdesc == NULL)
	{
		MemoryContext oldcontext = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		if (tupdesc->natts != natts)
			elog(ERROR, "expected %d result columns, found %d", natts, tupdesc->natts);
		tupdesc = BlessTupleDesc(tupdesc);
		fcinfo->flinfo->fn_extra = tupdesc;
		MemoryContextSwitchTo(oldcontext);
	}

	for (i = 0; i < natts; i++)
		datums[i] = nulls[i] ? (Datum) 0 : Float8GetDatum(values[i]);

	return HeapTupleGetDatum(heap_form_tuple(tupdesc, datums, (bool *) nulls));
}

/* Optimisation */

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
ObjectiveAt(KpiObjective f, void *arg, const double *x)
{
	double		v = f(x, arg);

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
			fv[i] = ObjectiveAt(f, arg, simplex[i]);
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
			fr = ObjectiveAt(f, arg, trial);

			if (fr < fv[best])
			{
				/* expand */
				double		fe;

				for (j = 0; j < n; j++)
					trial2[j] = centroid[j] + 2.0 * (centroid[j] - simplex[worst][j]);
				fe = ObjectiveAt(f, arg, trial2);
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
				fc = ObjectiveAt(f, arg, trial2);
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
						fv[i] = ObjectiveAt(f, arg, simplex[i]);
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

/* Produced values */

void
KpiCheckProduced(const char *type_name, const char *problem)
{
	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s result is out of range", type_name),
				 errdetail("%s", problem)));
}

/* Time arithmetic */

static void
TimeCheckFinite(TimestampTz t)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp %s is not finite", TIMESTAMP_IS_NOBEGIN(t) ? "-infinity" : "infinity"),
				 errhint("Time differences are taken between finite timestamps only.")));
}

int64
KpiTimeDiff(TimestampTz later, TimestampTz earlier)
{
	int64		result;

	TimeCheckFinite(later);
	TimeCheckFinite(earlier);
	if (pg_sub_s64_overflow(later, earlier, &result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range"),
				 errdetail("The time between %s and %s exceeds the largest interval.",
						   DatumGetCString(DirectFunctionCall1(timestamptz_out,
															   TimestampTzGetDatum(earlier))),
						   DatumGetCString(DirectFunctionCall1(timestamptz_out,
															   TimestampTzGetDatum(later))))));
	return result;
}

TimestampTz
KpiTimeAdd(TimestampTz t, int64 usecs)
{
	TimestampTz result;

	TimeCheckFinite(t);
	if (pg_add_s64_overflow(t, usecs, &result) || !IS_VALID_TIMESTAMP(result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return result;
}

bool
KpiTimeWithin(TimestampTz later, TimestampTz earlier, int64 limit)
{
	int64		diff;

	/* an overflow is a difference beyond either sign's range */
	if (pg_sub_s64_overflow(later, earlier, &diff))
		return later < earlier;
	return diff <= limit;
}

/* Logarithmic histograms */

/* The key of a positive finite value (see crm_kpi.h) */
int32
KpiSketchKey(double x)
{
	Assert(x > 0.0 && isfinite(x));
	return (int32) ceil(log(x) / log(KPI_SKETCH_GAMMA));
}

/*
 * The value a key reads back as: within KPI_SKETCH_ALPHA of every value of
 * its bucket.  Keys past that of DBL_MAX (only from a literal) read DBL_MAX.
 */
double
KpiSketchValue(int32 key)
{
	return Min(pow(KPI_SKETCH_GAMMA, key) * (2.0 / (KPI_SKETCH_GAMMA + 1.0)), DBL_MAX);
}

/* Boolean conditions */

int64
KpiBoolArrayBits(ArrayType *array, uint64 *words, int nwords, const char *what)
{
	const bool *data;
	const bits8 *nulls;
	int64		n,
				k;

	for (k = 0; k < nwords; k++)
		words[k] = 0;
	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array", what)));
	n = ARR_NDIM(array) == 0 ? 0 : ARR_DIMS(array)[0];
	if (n > (int64) nwords * 64)
		return n;
	data = (const bool *) ARR_DATA_PTR(array);
	nulls = ARR_NULLBITMAP(array);
	/* with a NULL element, data holds only the non-NULL ones */
	for (k = 0; k < n; k++)
	{
		if (nulls && !(nulls[k / 8] & (1 << (k % 8))))
			continue;
		if (*data++)
			words[k / 64] |= UINT64CONST(1) << (k % 64);
	}
	return n;
}

/* Serialized aggregate states */

void
KpiReadBuffer(StringInfo buf, bytea *data)
{
	buf->data = VARDATA_ANY(data);
	buf->len = VARSIZE_ANY_EXHDR(data);
	buf->maxlen = buf->len;
	buf->cursor = 0;
}

/* Text scanner for summary literals */

static void
ScanSkipSpace(KpiScanner *scan)
{
	while (isspace((unsigned char) *scan->pos))
		scan->pos++;
}

bool
KpiScanToken(KpiScanner *scan, const char *token)
{
	size_t		len = strlen(token);

	ScanSkipSpace(scan);
	if (strncmp(scan->pos, token, len) != 0)
		return false;
	scan->pos += len;
	return true;
}

/* An optionally signed decimal integer that fits in int64 */
bool
KpiScanInt64(KpiScanner *scan, int64 *result)
{
	const char *p;
	bool		negative = false;
	int64		value = 0;

	ScanSkipSpace(scan);
	p = scan->pos;
	if (*p == '-')
	{
		negative = true;
		p++;
	}
	if (!isdigit((unsigned char) *p))
		return false;

	/* accumulate negatively, so that INT64_MIN is reachable */
	for (; isdigit((unsigned char) *p); p++)
	{
		if (pg_mul_s64_overflow(value, 10, &value) ||
			pg_sub_s64_overflow(value, *p - '0', &value))
			return false;
	}
	if (!negative && pg_sub_s64_overflow(0, value, &value))
		return false;

	*result = value;
	scan->pos = p;
	return true;
}

/* A finite number in JSON syntax (what KpiAppendFloat8 writes) */
bool
KpiScanFloat8(KpiScanner *scan, double *result)
{
	const char *p;
	char	   *end;
	double		value;

	ScanSkipSpace(scan);
	p = scan->pos;
	if (!(*p == '-' || isdigit((unsigned char) *p)))
		return false;
	errno = 0;
	value = strtod(p, &end);	/* the backend's LC_NUMERIC is always C */
	/* ERANGE with a subnormal result is fine: KpiAppendFloat8 writes those */
	if (end == p || (errno == ERANGE && (value == 0.0 || !isfinite(value))) ||
		!isfinite(value) ||
		strspn(p, "-+.0123456789eE") < (size_t) (end - p))
		return false;			/* hex, inf, nan: not JSON */
	*result = value;
	scan->pos = end;
	return true;
}

/* A JSON key and its colon: "name": */
bool
KpiScanKey(KpiScanner *scan, const char *name)
{
	size_t		len = strlen(name);

	ScanSkipSpace(scan);
	if (scan->pos[0] != '"' || strncmp(scan->pos + 1, name, len) != 0 ||
		scan->pos[len + 1] != '"')
		return false;
	scan->pos += len + 2;
	return KpiScanToken(scan, ":");
}

/*
 * The start of every summary literal, {"version":N, with N the format
 * version this code writes; *problem says what is wrong otherwise.
 */
bool
KpiScanVersion(KpiScanner *scan, int version, const char **problem)
{
	int64		found;

	if (!KpiScanToken(scan, "{") || !KpiScanKey(scan, "version") ||
		!KpiScanInt64(scan, &found))
		return false;
	if (found != version)
	{
		*problem = psprintf("Only format version %d is supported.", version);
		return false;
	}
	return true;
}

/* n comma-separated integers of the bigint range, then "]" (after a "[") */
bool
KpiScanInt64List(KpiScanner *scan, int64 *values, int64 n)
{
	int64		i;

	for (i = 0; i < n; i++)
		if ((i > 0 && !KpiScanToken(scan, ",")) || !KpiScanInt64(scan, &values[i]))
			return false;
	return KpiScanToken(scan, "]");
}

bool
KpiScanEnd(KpiScanner *scan)
{
	ScanSkipSpace(scan);
	return *scan->pos == '\0';
}

void
KpiAppendFloat8(StringInfo buf, double value)
{
	char		digits[DOUBLE_SHORTEST_DECIMAL_LEN];

	Assert(isfinite(value));
	double_to_shortest_decimal_buf(value, digits);
	appendStringInfoString(buf, digits);
}

/*----------
 * KpiNumericToFloat8
 *		The double nearest to a numeric, as numeric_float8() returns it.
 *
 * numeric_float8() prints the numeric and parses the text (about 100 ns a
 * value, most of an aggregate's time over money columns).  Most amounts
 * have few significant digits: when the value is M * 10^E with an integer
 * M < 2^53 and |E| <= 22, both M and 10^E are exact doubles, so one
 * multiplication or division rounds correctly (Clinger's fast path, as in
 * strtod) and gives the same double as the text path.  Everything else
 * (NaN, infinities, more digits) takes numeric_float8().
 *
 * This reads the numeric's stored form, which PostgreSQL keeps unchanged for
 * pg_upgrade: a uint16 header, in the short form (bit 15 set, bit 14 clear)
 * with the sign in bit 13 and a 7-bit two's complement weight in bits 0-6,
 * in the long form followed by an int16 weight (sign in bit 14); then base
 * 10000 digits, the first one of weight "weight".
 *----------
 */
#define KPI_NUMERIC_SIGN_MASK	0xC000
#define KPI_NUMERIC_NEG			0x4000
#define KPI_NUMERIC_SHORT		0x8000
#define KPI_NUMERIC_SPECIAL		0xC000

double
KpiNumericToFloat8(Numeric num)
{
	static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
		1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
	1e21, 1e22};
	const char *data = VARDATA_ANY(num);	/* may be a packed varlena */
	int			size = VARSIZE_ANY_EXHDR(num);
	uint16		header;
	int			weight,
				ndigits,
				exponent,
				i;
	bool		negative;
	const int16 *digits;
	uint64		mantissa = 0;
	double		result;

	if (size < (int) sizeof(uint16))
		goto slow;
	memcpy(&header, data, sizeof(uint16));
	if ((header & KPI_NUMERIC_SIGN_MASK) == KPI_NUMERIC_SPECIAL)
		goto slow;
	if ((header & KPI_NUMERIC_SIGN_MASK) == KPI_NUMERIC_SHORT)
	{
		negative = (header & 0x2000) != 0;
		weight = (header & 0x0040) ? (int) (header & 0x003F) - 64 : (int) (header & 0x003F);
		digits = (const int16 *) (data + sizeof(uint16));
		ndigits = (size - (int) sizeof(uint16)) / (int) sizeof(int16);
	}
	else
	{
		int16		w;

		if (size < (int) (2 * sizeof(uint16)))
			goto slow;
		negative = (header & KPI_NUMERIC_SIGN_MASK) == KPI_NUMERIC_NEG;
		memcpy(&w, data + sizeof(uint16), sizeof(int16));
		weight = w;
		digits = (const int16 *) (data + 2 * sizeof(uint16));
		ndigits = (size - 2 * (int) sizeof(uint16)) / (int) sizeof(int16);
	}
	if (ndigits == 0)
		return 0.0;
	if (ndigits > 4)
		goto slow;
	for (i = 0; i < ndigits; i++)
	{
		int16		d;

		memcpy(&d, &digits[i], sizeof(int16));	/* a short varlena may be unaligned */
		mantissa = mantissa * 10000 + (uint64) d;
	}
	exponent = 4 * (weight - ndigits + 1);
	if (mantissa > (UINT64CONST(1) << 53) || exponent < -22 || exponent > 22)
		goto slow;
	result = exponent >= 0 ? (double) mantissa * pow10[exponent] :
		(double) mantissa / pow10[-exponent];
	return negative ? -result : result;

slow:
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(num)));
}
