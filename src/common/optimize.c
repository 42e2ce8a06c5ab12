/*-------------------------------------------------------------------------
 *
 * optimize.c
 *	  Nelder-Mead minimisation for the maximum-likelihood fits (sBG, BG/NBD,
 *	  Gamma-Gamma).
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include <math.h>

#include "miscadmin.h"
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
