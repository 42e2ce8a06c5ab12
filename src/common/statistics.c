/*-------------------------------------------------------------------------
 *
 * statistics.c
 *	  Distributions (normal, Student t, chi-square), the Wilson interval and
 *	  the logarithmic histogram keys shared by the KPI families.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include <float.h>
#include <math.h>

#include "miscadmin.h"
#include "utils/float.h"

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

int
KpiCompareDoubles(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return x < y ? -1 : x > y ? 1 : 0;
}

/*
 * As percentile_cont_final_common: the position q (n - 1) as a double,
 * then float8_lerp between the values at its floor and ceiling.
 */
double
KpiPercentileCont(const double *sorted, int64 n, double q)
{
	double		pos = q * (double) (n - 1);
	int64		first = (int64) floor(pos);
	int64		second = (int64) ceil(pos);

	Assert(n > 0 && q >= 0.0 && q <= 1.0);
	if (first == second)
		return sorted[first];
	return sorted[first] + (sorted[second] - sorted[first]) * (pos - (double) first);
}

void
KpiCheckQuantileFraction(double q)
{
	if (isnan(q) || q < 0.0 || q > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quantile fraction %g is out of range", q),
				 errhint("The fraction must lie between 0 and 1, e.g. 0.5 for the median.")));
}
