/*-------------------------------------------------------------------------
 *
 * survival_tests.c
 *	  More readings of survival_summary values: the Nelson-Aalen cumulative
 *	  hazard, the weighted and stratified log-rank tests, and the difference
 *	  of two restricted mean survival times with its interval.
 *
 * Definitions follow R's survival package (survfit with ctype = 1,
 * survdiff with rho and strata, print.survfit with rmean); see
 * doc/survival.md.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"
#include "survival.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(nelson_aalen);
PG_FUNCTION_INFO_V1(cumulative_hazard_at);


/*----------
 * A walk over the union of the distinct times of several summaries (the
 * elements), each belonging to a group.  At each time it gives, per group,
 * the subjects at risk (duration >= t), the events and the censorings at t.
 * The number at risk of an element is computed here and nowhere else in this
 * file: its subjects minus the events and censorings of its earlier times.
 *----------
 */
typedef struct RiskWalk
{
	SurvivalSummary **elems;
	const int  *group;			/* group of each element, 0..ngroups-1 */
	int			nelems;
	int			ngroups;
	int		   *pos;			/* next time of each element */
	int64	   *remaining;		/* subjects of each element at risk */
	/* at the current time */
	double		time;
	double	   *at_risk;		/* per group */
	double	   *events;			/* per group */
	double	   *censored;		/* per group */
	double		n;				/* all at risk */
	double		d;				/* all events */
} RiskWalk;

static void
RiskStart(RiskWalk *w, SurvivalSummary **elems, const int *group, int nelems,
		  int ngroups)
{
	int			e;

	w->elems = elems;
	w->group = group;
	w->nelems = nelems;
	w->ngroups = ngroups;
	w->pos = palloc0(sizeof(int) * Max(nelems, 1));
	w->remaining = palloc(sizeof(int64) * Max(nelems, 1));
	w->at_risk = palloc(sizeof(double) * Max(ngroups, 1));
	w->events = palloc(sizeof(double) * Max(ngroups, 1));
	w->censored = palloc(sizeof(double) * Max(ngroups, 1));
	for (e = 0; e < nelems; e++)
		w->remaining[e] = SurvivalTotal(elems[e]);
}

/* Advance to the next distinct time of any element; false at the end */
static bool
RiskStep(RiskWalk *w)
{
	double		t = get_float8_infinity();
	bool		any = false;
	int			e,
				j;

	CHECK_FOR_INTERRUPTS();
	for (e = 0; e < w->nelems; e++)
		if (w->pos[e] < w->elems[e]->ntimes)
		{
			t = Min(t, SURVIVAL_TIMES(w->elems[e])[w->pos[e]]);
			any = true;
		}
	if (!any)
		return false;
	w->time = t;
	w->n = w->d = 0.0;
	for (j = 0; j < w->ngroups; j++)
		w->at_risk[j] = w->events[j] = w->censored[j] = 0.0;
	for (e = 0; e < w->nelems; e++)
	{
		const SurvivalSummary *s = w->elems[e];
		int			g = w->group[e];

		w->at_risk[g] += (double) w->remaining[e];
		w->n += (double) w->remaining[e];
		if (w->pos[e] < s->ntimes && SURVIVAL_TIMES(s)[w->pos[e]] == t)
		{
			int64		d = SURVIVAL_EVENTS(s)[w->pos[e]];
			int64		c = SURVIVAL_CENSORED(s)[w->pos[e]];

			w->events[g] += (double) d;
			w->censored[g] += (double) c;
			w->d += (double) d;
			/* they leave the risk set after t */
			w->remaining[e] -= d + c;
			w->pos[e]++;
		}
	}
	return true;
}

/* A single summary as a walk of one group */
static void
RiskStartOne(RiskWalk *w, SurvivalSummary *s)
{
	static const int one_group = 0;

	w->elems = palloc(sizeof(SurvivalSummary *));
	w->elems[0] = s;
	RiskStart(w, w->elems, &one_group, 1, 1);
}


/*----------
 * nelson_aalen(s, level): the Nelson-Aalen cumulative hazard at each
 * distinct event time t_i, with n_i at risk and d_i events (R survfit,
 * ctype = 1, its cumhaz and std.chaz):
 *
 *		H(t_i)  = sum_{j <= i} d_j / n_j
 *		se(H)   = sqrt(sum_{j <= i} d_j / n_j^2)
 *		log CI  = H * exp(-/+ z se(H) / H)
 *
 * the interval log-transformed on the hazard scale, so that it stays
 * positive (lifelines' NelsonAalenFitter does the same).
 *----------
 */
typedef struct NaState
{
	RiskWalk	walk;
	double		z;
	double		hazard;
	double		var;
} NaState;

Datum
nelson_aalen(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	NaState    *ns;
	RiskWalk   *w;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;
		SurvivalSummary *s;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		ns = palloc0(sizeof(NaState));
		s = (SurvivalSummary *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
		SurvivalCheck(s);
		ns->z = KpiConfidenceZ(PG_GETARG_FLOAT8(1));
		RiskStartOne(&ns->walk, s);
		funcctx->user_fctx = ns;
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	ns = (NaState *) funcctx->user_fctx;
	w = &ns->walk;
	while (RiskStep(w))
	{
		Datum		values[7];
		bool		nulls[7] = {false};
		double		se,
					h;

		if (w->d == 0.0)
			continue;
		ns->hazard += w->d / w->n;
		ns->var += w->d / (w->n * w->n);
		h = ns->hazard;
		se = sqrt(ns->var);
		values[0] = Float8GetDatum(w->time);
		values[1] = Int64GetDatum((int64) w->n);
		values[2] = Int64GetDatum((int64) w->d);
		values[3] = Float8GetDatum(h);
		values[4] = Float8GetDatum(se);
		values[5] = Float8GetDatum(h * exp(-ns->z * se / h));
		values[6] = Float8GetDatum(h * exp(ns->z * se / h));
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
														  values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}

/*
 * cumulative_hazard_at(s, t): H(t), the Nelson-Aalen estimate at its last
 * time <= t; 0 before the first event, NULL past the last follow-up time
 * (unless an event time emptied the risk set, after which H stays), NULL
 * for an empty summary: survival_at's conventions.
 */
Datum
cumulative_hazard_at(PG_FUNCTION_ARGS)
{
	SurvivalSummary *s = SurvivalGetArg(fcinfo, 0);
	double		t = PG_GETARG_FLOAT8(1);
	RiskWalk	w;
	double		hazard = 0.0;
	bool		emptied = false;

	if (isnan(t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("survival time must not be NaN")));
	if (s->ntimes == 0)
		PG_RETURN_NULL();
	RiskStartOne(&w, s);
	while (RiskStep(&w) && w.time <= t)
	{
		if (w.d > 0.0)
			hazard += w.d / w.n;
		if (w.d > 0.0 && w.d == w.n)
			emptied = true;
	}
	if (t > SURVIVAL_TIMES(s)[s->ntimes - 1] && !emptied)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(hazard);
}
