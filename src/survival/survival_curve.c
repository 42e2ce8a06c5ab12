/*-------------------------------------------------------------------------
 *
 * survival_curve.c
 *	  Reading a survival_summary: the Kaplan-Meier curve with Greenwood
 *	  standard errors and log-transformed intervals, survival at a time,
 *	  restricted mean, median survival with its interval, and the log-rank
 *	  test comparing groups.
 *
 * Definitions follow R's survival package (survfit, quantile.survfit,
 * survdiff); see doc/survival.md.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"
#include "survival.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/lsyscache.h"

#define LOGRANK_MAX_GROUPS	100

PG_FUNCTION_INFO_V1(kaplan_meier);
PG_FUNCTION_INFO_V1(survival_at);
PG_FUNCTION_INFO_V1(median_survival);
PG_FUNCTION_INFO_V1(median_survival_ci);
PG_FUNCTION_INFO_V1(restricted_mean_survival);
PG_FUNCTION_INFO_V1(logrank_test);


/*----------
 * The Kaplan-Meier curve at each distinct exit time t_i, with n_i at risk
 * (SurvivalWalk: every subject whose duration is >= t_i and who entered
 * before t_i; an event and a censoring at the same time count the censored
 * subject as at risk, as R does) and d_i events:
 *
 *		S(t_i)  = prod_{j <= i} (1 - d_j / n_j)
 *		V_i     = sum_{j <= i} d_j / (n_j (n_j - d_j))	(Greenwood)
 *		se(S)   = S * sqrt(V)
 *		log CI  = S * exp(-/+ z sqrt(V)), upper clipped to 1
 *
 * (R survfit, conf.type = "log").  Where S = 0, V is infinite and the
 * standard error and the bounds are undefined (NULL).  With delayed entry
 * this is R's survfit(Surv(entry, duration, event) ~ 1): the curve is
 * conditional on surviving to the earliest entry (1 before the first
 * event), and goes on where new subjects enter after the risk set emptied.
 * Times where subjects only enter are not points of the curve.
 *----------
 */
typedef struct KmPoint
{
	double		time;
	int64		at_risk;
	int64		events;
	int64		censored;
	double		surv;
	double		var;			/* Greenwood sum; +Inf once S = 0 */
} KmPoint;

typedef struct KmWalk
{
	SurvivalWalk risk;
	double		surv;
	double		var;
} KmWalk;

static void
KmStart(KmWalk *w, const SurvivalSummary *s)
{
	SurvivalWalkStart(&w->risk, s);
	w->surv = 1.0;
	w->var = 0.0;
}

/* Advance to the next distinct exit time; false at the end */
static bool
KmStep(KmWalk *w, KmPoint *p)
{
	SurvivalStep step;
	int64		d,
				n;

	do
	{
		if (!SurvivalWalkNext(&w->risk, &step))
			return false;
	} while (step.events == 0 && step.censored == 0);
	CHECK_FOR_INTERRUPTS();
	d = step.events;
	n = step.at_risk;			/* >= d: SurvivalCheck */
	if (d > 0)
	{
		w->surv *= (double) (n - d) / (double) n;
		w->var = n > d ? w->var + (double) d / ((double) n * (double) (n - d))
			: get_float8_infinity();
	}
	p->time = step.time;
	p->at_risk = n;
	p->events = d;
	p->censored = step.censored;
	p->surv = w->surv;
	p->var = w->var;
	return true;
}

/* The log-transformed bounds; false where they are undefined */
static bool
KmBounds(const KmPoint *p, double z, double *lower, double *upper)
{
	double		se;

	if (p->surv <= 0.0 || !isfinite(p->var))
		return false;
	se = sqrt(p->var);
	*lower = exp(log(p->surv) - z * se);
	*upper = Min(1.0, exp(log(p->surv) + z * se));
	return true;
}

typedef struct KmTableState
{
	SurvivalSummary *s;
	KmWalk		walk;
	double		z;
	bool		all_times;
} KmTableState;

/*
 * kaplan_meier(s, level, include_censored): one row per distinct event time
 * (time, at_risk, events, censored, survival, std_err, lower, upper), or per
 * distinct time when include_censored.
 */
Datum
kaplan_meier(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	KmTableState *ks;
	KmPoint		p;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		ks = palloc(sizeof(KmTableState));
		ks->s = (SurvivalSummary *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
		SurvivalCheck(ks->s);
		ks->z = KpiConfidenceZ(PG_GETARG_FLOAT8(1));
		ks->all_times = PG_GETARG_BOOL(2);
		KmStart(&ks->walk, ks->s);
		funcctx->user_fctx = ks;
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	ks = (KmTableState *) funcctx->user_fctx;
	while (KmStep(&ks->walk, &p))
	{
		Datum		values[8];
		bool		nulls[8] = {false};
		double		lower,
					upper;

		CHECK_FOR_INTERRUPTS();
		if (p.events == 0 && !ks->all_times)
			continue;
		values[0] = Float8GetDatum(p.time);
		values[1] = Int64GetDatum(p.at_risk);
		values[2] = Int64GetDatum(p.events);
		values[3] = Int64GetDatum(p.censored);
		values[4] = Float8GetDatum(p.surv);
		if (KmBounds(&p, ks->z, &lower, &upper))
		{
			values[5] = Float8GetDatum(p.surv * sqrt(p.var));
			values[6] = Float8GetDatum(lower);
			values[7] = Float8GetDatum(upper);
		}
		else
			nulls[5] = nulls[6] = nulls[7] = true;
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
														  values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}

/*
 * survival_at(s, t): S(t), the curve at its last time <= t; 1 before the
 * first time, NULL past the last time (unless the curve has reached 0),
 * NULL for an empty summary, as R's summary.survfit leaves times past the
 * end of follow-up out.
 */
Datum
survival_at(PG_FUNCTION_ARGS)
{
	SurvivalSummary *s = SurvivalGetArg(fcinfo, 0);
	double		t = PG_GETARG_FLOAT8(1);
	KmWalk		w;
	KmPoint		p;
	double		surv = 1.0;

	if (isnan(t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("survival time must not be NaN")));
	if (s->ntimes == 0)
		PG_RETURN_NULL();
	KmStart(&w, s);
	while (KmStep(&w, &p) && p.time <= t)
		surv = p.surv;
	if (t > SURVIVAL_TIMES(s)[s->ntimes - 1] && surv > 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(surv);
}

/*
 * restricted_mean_survival(s, tau): the area under the curve from 0 to tau,
 * the curve taken flat past its last time (R's print.survfit, rmean = tau).
 */
Datum
restricted_mean_survival(PG_FUNCTION_ARGS)
{
	SurvivalSummary *s = SurvivalGetArg(fcinfo, 0);
	double		tau = PG_GETARG_FLOAT8(1);
	KmWalk		w;
	KmPoint		p;
	double		area = 0.0,
				prev_time = 0.0,
				prev_surv = 1.0;

	if (!isfinite(tau) || tau <= 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("restricted mean horizon %s is out of range",
						float8out_internal(tau)),
				 errhint("The horizon must be a positive finite duration.")));
	if (s->ntimes == 0)
		PG_RETURN_NULL();
	KmStart(&w, s);
	while (KmStep(&w, &p) && p.time < tau)
	{
		area += prev_surv * (p.time - prev_time);
		prev_time = p.time;
		prev_surv = p.surv;
	}
	area += prev_surv * (tau - prev_time);
	/* at most tau, but rounding could pass DBL_MAX */
	if (!isfinite(area))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("restricted mean survival is out of range")));
	PG_RETURN_FLOAT8(area);
}


/*----------
 * Median survival and its interval, by R's rule (survival's
 * quantile.survfit, findq): on the curve F = 1 - S, with the point (0, 0)
 * first and each value kept at the first time it is taken,
 *
 *		median = the time where F first reaches 1/2, or, where F equals 1/2
 *				 (within sqrt(DBL_EPSILON)), the midpoint between that time
 *				 and the next time F takes a new value (the last follow-up
 *				 time if F stays at 1/2 to the end);
 *
 * NULL if F never reaches 1/2.  The interval applies the same rule to the
 * lower and upper confidence curves.  R interpolates with approx(), which
 * orders the points by F; the search below does the same, so it agrees with
 * R also on the upper curve, which need not be monotone.
 *----------
 */
#define MEDIAN_TOL 1.4901161193847656e-08	/* sqrt(DBL_EPSILON) */

typedef struct CurvePoint
{
	double		f;				/* 1 - curve */
	double		time;
	int			index;			/* position in time order */
} CurvePoint;

static int
CurvePointCompare(const void *a, const void *b)
{
	const CurvePoint *x = a,
			   *y = b;

	if (x->f != y->f)
		return x->f < y->f ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

/* (a + b) / 2 without overflow: times reach DBL_MAX */
static double
Midpoint(double a, double b)
{
	return a + (b - a) / 2.0;
}

/*
 * findq for p = 1/2 over n points in time order (NaN for an undefined
 * value), xmax the last time.  Returns false for NA.
 */
static bool
CurveMedian(CurvePoint *pts, int n, double xmax, double *result)
{
	const double p = 0.5;
	double		fmax = -1.0;
	int			last_kept = -1;
	bool		last_is_na;
	int			first_na = -1;
	int			m = 0,
				i;
	CurvePoint *i1 = NULL,
			   *i2 = NULL;
	double		last_f = 0.0;

	for (i = 0; i < n; i++)
	{
		if (isnan(pts[i].f))
		{
			if (first_na < 0)
				first_na = i;
			continue;
		}
		fmax = Max(fmax, pts[i].f);
		pts[m++] = pts[i];		/* drop the NA points, keep time order */
	}
	if (fmax < p)
		return false;

	/* keep the first point of each value: sort by (value, time) */
	qsort(pts, m, sizeof(CurvePoint), CurvePointCompare);
	for (i = 0; i < m; i++)
	{
		bool		kept = i == 0 || pts[i].f != pts[i - 1].f;

		if (!kept)
			continue;
		if (pts[i].index > last_kept)
		{
			last_kept = pts[i].index;
			last_f = pts[i].f;
		}
		if (i1 == NULL && pts[i].f + MEDIAN_TOL >= p)
			i1 = &pts[i];
		if (i2 == NULL && pts[i].f - MEDIAN_TOL >= p)
			i2 = &pts[i];
	}
	/* the deduplicated curve ends with NA if the first NA comes last */
	last_is_na = first_na > last_kept;

	if (!last_is_na && i1 != NULL && fabs(p - last_f) < MEDIAN_TOL)
	{
		*result = Midpoint(i1->time, xmax);
		return true;
	}
	if (i1 == NULL || i2 == NULL)
		return false;
	*result = Midpoint(i1->time, i2->time);
	return true;
}

/* 0: the curve, 1: its lower bound, 2: its upper bound */
static bool
SurvivalMedian(const SurvivalSummary *s, int which, double z, double *result)
{
	CurvePoint *pts;
	KmWalk		w;
	KmPoint		p;
	int			n = 1;

	if (s->ntimes == 0)
		return false;
	pts = palloc(sizeof(CurvePoint) * (s->ntimes + 1));
	pts[0].f = 0.0;
	pts[0].time = 0.0;
	pts[0].index = 0;
	KmStart(&w, s);
	while (KmStep(&w, &p))
	{
		double		lower,
					upper;

		if (which == 0)
			pts[n].f = 1.0 - p.surv;
		else if (KmBounds(&p, z, &lower, &upper))
			pts[n].f = 1.0 - (which == 1 ? lower : upper);
		else
			pts[n].f = get_float8_nan();
		pts[n].time = p.time;
		pts[n].index = n;
		n++;
	}
	return CurveMedian(pts, n, SURVIVAL_TIMES(s)[s->ntimes - 1], result);
}

/* median_survival(s): NULL if the curve does not reach 1/2 */
Datum
median_survival(PG_FUNCTION_ARGS)
{
	double		median;

	if (!SurvivalMedian(SurvivalGetArg(fcinfo, 0), 0, 0.0, &median))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(median);
}

/* median_survival_ci(s, level): (lower, upper), NULL where not reached */
Datum
median_survival_ci(PG_FUNCTION_ARGS)
{
	SurvivalSummary *s = SurvivalGetArg(fcinfo, 0);
	double		z = KpiConfidenceZ(PG_GETARG_FLOAT8(1));
	double		bounds[2] = {0.0, 0.0};
	bool		nulls[2];

	nulls[0] = !SurvivalMedian(s, 1, z, &bounds[0]);
	nulls[1] = !SurvivalMedian(s, 2, z, &bounds[1]);
	return KpiFloat8Record(fcinfo, bounds, nulls, 2);
}


/*----------
 * logrank_test(summaries): the log-rank (Mantel-Haenszel) test that k
 * groups share one survival curve (R survdiff, rho = 0).  At each distinct
 * event time t of the pooled data, with n_j at risk (SurvivalWalk: entered
 * before t, not left before t) and d_j events in group j, n and d in all:
 *
 *		O_j = sum_t d_j,	E_j = sum_t n_j d / n
 *		V_jl = sum_t d (n - d) / (n^2 (n - 1)) * n_j (n [j = l] - n_l)
 *		chisq = (O - E)' V^-1 (O - E) over the groups but the first
 *
 * with df = k - 1.  Groups with no expected event (nobody at risk at any
 * event time, e.g. empty ones) drop out first, as in survdiff.  NULL
 * summaries are skipped.  chisq, df and p_value are NULL when fewer than
 * two groups remain or V is singular.  observed and expected are O and E
 * per array element (NULL for a NULL element), survdiff's table.
 *----------
 */
bool
SurvivalSolveSymmetric(double *a, double *b, int n)
{
	int			i,
				j,
				k;
	double		scale = 0.0;

	for (i = 0; i < n; i++)
		scale = Max(scale, fabs(a[i * n + i]));
	/* Gaussian elimination with partial pivoting; a is n x n, row-major */
	for (k = 0; k < n; k++)
	{
		int			piv = k;

		for (i = k + 1; i < n; i++)
			if (fabs(a[i * n + k]) > fabs(a[piv * n + k]))
				piv = i;
		if (fabs(a[piv * n + k]) <= 1e-12 * scale)
			return false;
		if (piv != k)
		{
			for (j = 0; j < n; j++)
			{
				double		tmp = a[k * n + j];

				a[k * n + j] = a[piv * n + j];
				a[piv * n + j] = tmp;
			}
			{
				double		tmp = b[k];

				b[k] = b[piv];
				b[piv] = tmp;
			}
		}
		for (i = k + 1; i < n; i++)
		{
			double		f = a[i * n + k] / a[k * n + k];

			for (j = k; j < n; j++)
				a[i * n + j] -= f * a[k * n + j];
			b[i] -= f * b[k];
		}
	}
	for (k = n - 1; k >= 0; k--)
	{
		for (j = k + 1; j < n; j++)
			b[k] -= a[k * n + j] * b[j];
		b[k] /= a[k * n + k];
	}
	return true;
}

Datum
logrank_test(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *elems;
	bool	   *elem_nulls;
	int			nelems;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	SurvivalSummary **g;
	SurvivalWalk *walk;
	SurvivalStep *steps;
	int64	   *at_risk;
	double	   *observed,
			   *expected,
			   *var;
	int			k = 0,
				i,
				j;
	TupleDesc	tupdesc;
	Datum		values[5] = {0};
	bool		nulls[5] = {true, true, true, true, true};
	int		   *position;		/* group j is element position[j] */

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logrank_test expects a one-dimensional array of survival summaries")));
	get_typlenbyvalalign(ARR_ELEMTYPE(arr), &typlen, &typbyval, &typalign);
	deconstruct_array(arr, ARR_ELEMTYPE(arr), typlen, typbyval, typalign,
					  &elems, &elem_nulls, &nelems);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	g = palloc(sizeof(SurvivalSummary *) * Max(nelems, 1));
	position = palloc(sizeof(int) * Max(nelems, 1));
	for (i = 0; i < nelems; i++)
	{
		SurvivalSummary *s;

		if (elem_nulls[i])
			continue;
		s = (SurvivalSummary *) PG_DETOAST_DATUM(elems[i]);
		SurvivalCheck(s);
		if (k >= LOGRANK_MAX_GROUPS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("logrank_test compares at most %d groups", LOGRANK_MAX_GROUPS)));
		position[k] = i;
		g[k++] = s;
	}

	walk = palloc(sizeof(SurvivalWalk) * Max(k, 1));
	steps = palloc(sizeof(SurvivalStep) * Max(k, 1));
	at_risk = palloc(sizeof(int64) * Max(k, 1));
	observed = palloc0(sizeof(double) * Max(k, 1));
	expected = palloc0(sizeof(double) * Max(k, 1));
	var = palloc0(sizeof(double) * Max(k * k, 1));
	for (j = 0; j < k; j++)
		SurvivalWalkStart(&walk[j], g[j]);

	/*
	 * Walk the union of the groups' times in order.  A group without a time
	 * of its own at t has walk[j].at_risk at risk there (SurvivalWalk); one
	 * with steps to t, where it reports its risk set and events.
	 */
	for (;;)
	{
		double		t = get_float8_infinity();
		double		n = 0.0,
					d = 0.0;

		CHECK_FOR_INTERRUPTS();
		for (j = 0; j < k; j++)
		{
			double		tj;

			if (SurvivalWalkPeek(&walk[j], &tj))
				t = Min(t, tj);
		}
		if (isinf(t))
			break;
		for (j = 0; j < k; j++)
		{
			double		tj;

			if (SurvivalWalkPeek(&walk[j], &tj) && tj == t)
			{
				SurvivalWalkNext(&walk[j], &steps[j]);
				at_risk[j] = steps[j].at_risk;
				d += (double) steps[j].events;
			}
			else
			{
				at_risk[j] = walk[j].at_risk;
				steps[j].events = 0;
			}
			n += (double) at_risk[j];
		}
		if (d > 0.0)
		{
			double		f = n > 1.0 ? d * (n - d) / (n * n * (n - 1.0)) : 0.0;

			for (j = 0; j < k; j++)
			{
				double		nj = (double) at_risk[j];
				int			l;

				expected[j] += nj * d / n;
				observed[j] += (double) steps[j].events;
				if (f == 0.0 || nj == 0.0)
					continue;
				for (l = 0; l < k; l++)
					var[j * k + l] += f * nj * ((j == l ? n : 0.0) - (double) at_risk[l]);
			}
		}
	}

	/* keep the groups with expected events; test all but the first */
	{
		int		   *keep = palloc(sizeof(int) * Max(k, 1));
		int			m = 0;

		for (j = 0; j < k; j++)
			if (expected[j] > 0.0)
				keep[m++] = j;
		if (m >= 2)
		{
			int			r = m - 1;
			double	   *a = palloc(sizeof(double) * r * r);
			double	   *u = palloc(sizeof(double) * r);
			double	   *x = palloc(sizeof(double) * r);
			int			l;

			for (i = 0; i < r; i++)
			{
				u[i] = x[i] = observed[keep[i + 1]] - expected[keep[i + 1]];
				for (l = 0; l < r; l++)
					a[i * r + l] = var[keep[i + 1] * k + keep[l + 1]];
			}
			if (SurvivalSolveSymmetric(a, x, r))
			{
				double		chisq = 0.0;

				for (i = 0; i < r; i++)
					chisq += u[i] * x[i];
				chisq = Max(chisq, 0.0);
				values[0] = Float8GetDatum(chisq);
				values[1] = Int32GetDatum(r);
				values[2] = Float8GetDatum(KpiChiSquareSurvival(chisq, (double) r));
				nulls[0] = nulls[1] = nulls[2] = false;
			}
		}
	}
	/* observed and expected events per element, NULL for NULL elements */
	if (nelems > 0)
	{
		Datum	   *obs = palloc0(sizeof(Datum) * nelems);
		Datum	   *exp_ = palloc0(sizeof(Datum) * nelems);
		bool	   *none = palloc(sizeof(bool) * nelems);
		int			dims[1] = {nelems};
		int			lbs[1] = {1};

		for (i = 0; i < nelems; i++)
			none[i] = true;
		for (j = 0; j < k; j++)
		{
			obs[position[j]] = Float8GetDatum(observed[j]);
			exp_[position[j]] = Float8GetDatum(expected[j]);
			none[position[j]] = false;
		}
		values[3] = PointerGetDatum(construct_md_array(obs, none, 1, dims, lbs, FLOAT8OID,
													   sizeof(float8), FLOAT8PASSBYVAL,
													   TYPALIGN_DOUBLE));
		values[4] = PointerGetDatum(construct_md_array(exp_, none, 1, dims, lbs, FLOAT8OID,
													   sizeof(float8), FLOAT8PASSBYVAL,
													   TYPALIGN_DOUBLE));
		nulls[3] = nulls[4] = false;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
