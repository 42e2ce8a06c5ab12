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
PG_FUNCTION_INFO_V1(weighted_logrank_test);
PG_FUNCTION_INFO_V1(stratified_logrank_test);
PG_FUNCTION_INFO_V1(logrank_table);
PG_FUNCTION_INFO_V1(stratified_logrank_table);
PG_FUNCTION_INFO_V1(restricted_mean_survival_ci);
PG_FUNCTION_INFO_V1(rmst_difference);


/*----------
 * A walk over the union of the distinct times of several summaries (the
 * elements), each belonging to a group.  At each time it gives, per group,
 * the subjects at risk, the events and the censorings at t.  The risk set
 * of each element comes from its SurvivalWalk (survival.h), so delayed
 * entries count from their entry time on; an element without a time of its
 * own at t contributes those at risk since its last time.  Times at which
 * subjects only enter have no events: every reader skips them.
 *----------
 */
typedef struct RiskWalk
{
	SurvivalSummary **elems;
	const int  *group;			/* group of each element, 0..ngroups-1 */
	int			nelems;
	int			ngroups;
	SurvivalWalk *walks;		/* one per element */
	/* at the current time */
	double		time;
	double	   *at_risk;		/* per group */
	double	   *events;			/* per group */
	double	   *censored;		/* per group */
	double		n;				/* all at risk */
	double		d;				/* all events */
	int64		n_count;		/* n and d as counts, for output */
	int64		d_count;
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
	w->walks = palloc(sizeof(SurvivalWalk) * Max(nelems, 1));
	w->at_risk = palloc(sizeof(double) * Max(ngroups, 1));
	w->events = palloc(sizeof(double) * Max(ngroups, 1));
	w->censored = palloc(sizeof(double) * Max(ngroups, 1));
	for (e = 0; e < nelems; e++)
		SurvivalWalkStart(&w->walks[e], elems[e]);
}

/* Advance to the next distinct time of any element; false at the end */
static bool
RiskStep(RiskWalk *w)
{
	double		t = get_float8_infinity(),
				next;
	bool		any = false;
	int			e,
				j;

	CHECK_FOR_INTERRUPTS();
	for (e = 0; e < w->nelems; e++)
		if (SurvivalWalkPeek(&w->walks[e], &next))
		{
			t = Min(t, next);
			any = true;
		}
	if (!any)
		return false;
	w->time = t;
	w->n = w->d = 0.0;
	w->n_count = w->d_count = 0;
	for (j = 0; j < w->ngroups; j++)
		w->at_risk[j] = w->events[j] = w->censored[j] = 0.0;
	for (e = 0; e < w->nelems; e++)
	{
		int			g = w->group[e];
		SurvivalStep p;

		if (SurvivalWalkPeek(&w->walks[e], &next) && next == t)
			SurvivalWalkNext(&w->walks[e], &p);
		else
		{
			p.at_risk = w->walks[e].at_risk;
			p.events = p.censored = 0;
		}
		w->at_risk[g] += (double) p.at_risk;
		w->n += (double) p.at_risk;
		if (pg_add_s64_overflow(w->n_count, p.at_risk, &w->n_count))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("number at risk is out of range for type bigint")));
		w->events[g] += (double) p.events;
		w->censored[g] += (double) p.censored;
		w->d += (double) p.events;
		/* at most n_count */
		w->d_count += p.events;
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
 * positive (the transform of lifelines' NelsonAalenFitter, whose variance
 * differs: d (n - d) / n^3).
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
		values[1] = Int64GetDatum(w->n_count);
		values[2] = Int64GetDatum(w->d_count);
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


/*----------
 * Weighted and stratified log-rank tests (R survdiff, with rho and strata).
 * At each distinct event time t of a stratum, with n_j at risk and d_j
 * events in group j, n and d in all, and a weight w(t):
 *
 *		O_j  += w d_j,		E_j += w n_j d / n
 *		V_jl += w^2 d (n - d) / (n^2 (n - 1)) * n_j (n [j = l] - n_l)
 *
 * summed over the strata; chisq = (O - E)' V^-1 (O - E) over the groups with
 * E > 0 but the first, df = their number - 1, as logrank_test.  The
 * weights, S the Kaplan-Meier curve of the stratum's pooled data just
 * before t (left-continuous, as survdiff computes it):
 *
 *		logrank				1
 *		gehan_breslow		n				(Gehan's generalized Wilcoxon)
 *		tarone_ware			sqrt(n)
 *		peto_peto			S(t-)			(survdiff rho = 1)
 *		fleming_harrington	S(t-)^p (1 - S(t-))^q	(rho = p with q = 0)
 *----------
 */
#define LOGRANK_TESTS_MAX_GROUPS 100	/* logrank_test's limit */

typedef enum LogrankWeightKind
{
	WEIGHT_LOGRANK,
	WEIGHT_GEHAN_BRESLOW,
	WEIGHT_TARONE_WARE,
	WEIGHT_PETO_PETO,
	WEIGHT_FLEMING_HARRINGTON
} LogrankWeightKind;

typedef struct LogrankWeights
{
	LogrankWeightKind kind;
	double		p;
	double		q;
} LogrankWeights;

static const struct
{
	const char *name;
	LogrankWeightKind kind;
}			logrank_weight_names[] =
{
	{"logrank", WEIGHT_LOGRANK},
	{"gehan_breslow", WEIGHT_GEHAN_BRESLOW},
	{"tarone_ware", WEIGHT_TARONE_WARE},
	{"peto_peto", WEIGHT_PETO_PETO},
	{"fleming_harrington", WEIGHT_FLEMING_HARRINGTON}
};

/* The weights named by a text argument, with the exponents p and q */
static void
LogrankWeightsArgs(FunctionCallInfo fcinfo, int argno, LogrankWeights *w)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	double		p = PG_GETARG_FLOAT8(argno + 1);
	double		q = PG_GETARG_FLOAT8(argno + 2);
	size_t		i;

	for (i = 0; i < lengthof(logrank_weight_names); i++)
		if (strcmp(name, logrank_weight_names[i].name) == 0)
			break;
	if (i == lengthof(logrank_weight_names))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown log-rank weights \"%s\"", name),
				 errhint("The weights are logrank, gehan_breslow, tarone_ware, peto_peto and fleming_harrington.")));
	w->kind = logrank_weight_names[i].kind;
	if (!isfinite(p) || p < 0.0 || !isfinite(q) || q < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("Fleming-Harrington exponents p = %s and q = %s are out of range",
						float8out_internal(p), float8out_internal(q)),
				 errhint("p and q must be finite and non-negative.")));
	if (w->kind != WEIGHT_FLEMING_HARRINGTON && (p != 0.0 || q != 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("exponents p and q apply to fleming_harrington weights only, not to %s", name)));
	w->p = p;
	w->q = q;
}

/* w(t) from the pooled n at risk and S(t-) */
static double
LogrankWeight(const LogrankWeights *w, double n, double km)
{
	switch (w->kind)
	{
		case WEIGHT_LOGRANK:
			return 1.0;
		case WEIGHT_GEHAN_BRESLOW:
			return n;
		case WEIGHT_TARONE_WARE:
			return sqrt(n);
		case WEIGHT_PETO_PETO:
			return km;
		case WEIGHT_FLEMING_HARRINGTON:
			/* pow(0, 0) = 1: q = 0 gives S^p alone, as survdiff */
			return pow(km, w->p) * pow(1.0 - km, w->q);
	}
	return 1.0;					/* not reached */
}

/*
 * The test's input: nelems summaries, element e in group group[e] and
 * stratum stratum[e], ordered by stratum
 */
typedef struct LogrankData
{
	int			nelems;
	SurvivalSummary **elems;
	int		   *group;
	int		   *stratum;
	int			ngroups;
	int64	   *subjects;		/* per group */
	/* results, per group */
	double	   *observed;
	double	   *expected;
	double	   *var;			/* ngroups x ngroups */
	bool		has_test;
	double		chisq;
	int			df;
	double		p_value;
} LogrankData;

/* Sum the O, E and V of each stratum, then chisq */
static void
LogrankCompute(LogrankData *ld, const LogrankWeights *wt)
{
	int			k = ld->ngroups;
	int			start,
				j,
				l;
	RiskWalk	w;
	int		   *keep;
	int			m = 0;

	ld->observed = palloc0(sizeof(double) * Max(k, 1));
	ld->expected = palloc0(sizeof(double) * Max(k, 1));
	ld->var = palloc0(sizeof(double) * Max(k * k, 1));
	ld->has_test = false;
	for (start = 0; start < ld->nelems;)
	{
		int			end = start;
		double		km = 1.0;

		while (end < ld->nelems && ld->stratum[end] == ld->stratum[start])
			end++;
		RiskStart(&w, ld->elems + start, ld->group + start, end - start, k);
		while (RiskStep(&w))
		{
			double		n = w.n,
						d = w.d,
						weight;

			if (d == 0.0)
				continue;
			weight = LogrankWeight(wt, n, km);
			km *= (n - d) / n;
			for (j = 0; j < k; j++)
			{
				ld->observed[j] += weight * w.events[j];
				ld->expected[j] += weight * w.at_risk[j] * d / n;
			}
			if (n > 1.0)
			{
				double		f = weight * weight * d * (n - d) / (n * n * (n - 1.0));

				for (j = 0; j < k; j++)
				{
					if (w.at_risk[j] == 0.0)
						continue;
					for (l = 0; l < k; l++)
						ld->var[j * k + l] += f * w.at_risk[j] *
							((j == l ? n : 0.0) - w.at_risk[l]);
				}
			}
		}
		pfree(w.walks);
		pfree(w.at_risk);
		pfree(w.events);
		pfree(w.censored);
		start = end;
	}

	/* keep the groups with expected events; test all but the first */
	keep = palloc(sizeof(int) * Max(k, 1));
	for (j = 0; j < k; j++)
		if (ld->expected[j] > 0.0)
			keep[m++] = j;
	if (m >= 2)
	{
		int			r = m - 1,
					i;
		double	   *a = palloc(sizeof(double) * r * r);
		double	   *u = palloc(sizeof(double) * r);
		double	   *x = palloc(sizeof(double) * r);

		for (i = 0; i < r; i++)
		{
			u[i] = x[i] = ld->observed[keep[i + 1]] - ld->expected[keep[i + 1]];
			for (l = 0; l < r; l++)
				a[i * r + l] = ld->var[keep[i + 1] * k + keep[l + 1]];
		}
		if (SurvivalSolveSymmetric(a, x, r))
		{
			double		chisq = 0.0;

			for (i = 0; i < r; i++)
				chisq += u[i] * x[i];
			ld->chisq = Max(chisq, 0.0);
			ld->df = r;
			ld->p_value = KpiChiSquareSurvival(ld->chisq, (double) r);
			ld->has_test = isfinite(ld->chisq);
		}
	}
}

/* Elements of a one-dimensional array argument */
static void
LogrankArrayArg(FunctionCallInfo fcinfo, int argno, const char *what,
				Datum **elems, bool **nulls, int *n)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(argno);
	int16		typlen;
	bool		typbyval;
	char		typalign;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a one-dimensional array", what)));
	get_typlenbyvalalign(ARR_ELEMTYPE(arr), &typlen, &typbyval, &typalign);
	deconstruct_array(arr, ARR_ELEMTYPE(arr), typlen, typbyval, typalign,
					  elems, nulls, n);
}

static void
LogrankAddSubjects(LogrankData *ld, int g, const SurvivalSummary *s)
{
	if (pg_add_s64_overflow(ld->subjects[g], SurvivalTotal(s), &ld->subjects[g]))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("number of subjects of a group is out of range for type bigint")));
}

/*
 * Unstratified input: each non-NULL element of the array is a group, all in
 * one stratum; position[g] is the array position of group g.
 */
static void
LogrankGroupsArg(FunctionCallInfo fcinfo, LogrankData *ld, int **position,
				 int *nelems)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;

	LogrankArrayArg(fcinfo, 0, "the survival summaries", &elems, &nulls, &n);
	ld->elems = palloc(sizeof(SurvivalSummary *) * Max(n, 1));
	ld->group = palloc(sizeof(int) * Max(n, 1));
	ld->stratum = palloc0(sizeof(int) * Max(n, 1));
	ld->subjects = palloc0(sizeof(int64) * Max(n, 1));
	*position = palloc(sizeof(int) * Max(n, 1));
	ld->nelems = 0;
	for (i = 0; i < n; i++)
	{
		SurvivalSummary *s;

		if (nulls[i])
			continue;
		if (ld->nelems >= LOGRANK_TESTS_MAX_GROUPS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("a log-rank test compares at most %d groups",
							LOGRANK_TESTS_MAX_GROUPS)));
		s = (SurvivalSummary *) PG_DETOAST_DATUM(elems[i]);
		SurvivalCheck(s);
		(*position)[ld->nelems] = i;
		ld->group[ld->nelems] = ld->nelems;
		ld->elems[ld->nelems] = s;
		LogrankAddSubjects(ld, ld->nelems, s);
		ld->nelems++;
	}
	ld->ngroups = ld->nelems;
	*nelems = n;
}

/* A text label and its element, for sorting the elements by stratum */
typedef struct LabelRef
{
	const char *data;
	int			len;
	int			elem;
} LabelRef;

static int
LabelRefCompare(const void *a, const void *b)
{
	const LabelRef *x = a,
			   *y = b;
	int			c = memcmp(x->data, y->data, Min(x->len, y->len));

	if (c != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return (x->elem > y->elem) - (x->elem < y->elem);
}

static bool
LabelEqual(const LabelRef *a, const LabelRef *b)
{
	return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

static void
LabelArg(Datum d, bool isnull, const char *what, LabelRef *ref)
{
	text	   *t;

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s labels must not be NULL", what)));
	t = DatumGetTextPP(d);
	ref->data = VARDATA_ANY(t);
	ref->len = VARSIZE_ANY_EXHDR(t);
}

/*
 * Stratified input (summaries, groups text[], strata text[]): the groups in
 * the order they first appear among the non-NULL summaries (their labels in
 * *labels), the elements sorted by stratum.  A group given twice in a
 * stratum counts as the union of its summaries.
 */
static void
LogrankStrataArgs(FunctionCallInfo fcinfo, LogrankData *ld, Datum **labels)
{
	Datum	   *summaries,
			   *groups,
			   *strata;
	bool	   *summary_nulls,
			   *group_nulls,
			   *stratum_nulls;
	int			n,
				ng,
				ns,
				i,
				m = 0;
	LabelRef   *group_refs,
			   *stratum_refs;
	int		   *elem_group;

	LogrankArrayArg(fcinfo, 0, "the survival summaries", &summaries, &summary_nulls, &n);
	LogrankArrayArg(fcinfo, 1, "the group labels", &groups, &group_nulls, &ng);
	LogrankArrayArg(fcinfo, 2, "the stratum labels", &strata, &stratum_nulls, &ns);
	if (ng != n || ns != n)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%d survival summaries, %d group labels and %d stratum labels do not match",
						n, ng, ns),
				 errhint("Give one group and one stratum label per summary.")));
	group_refs = palloc(sizeof(LabelRef) * Max(n, 1));
	stratum_refs = palloc(sizeof(LabelRef) * Max(n, 1));
	elem_group = palloc(sizeof(int) * Max(n, 1));
	*labels = palloc(sizeof(Datum) * Max(n, 1));
	ld->ngroups = 0;
	for (i = 0; i < n; i++)
	{
		LabelRef	g;
		int			j;

		LabelArg(groups[i], group_nulls[i], "group", &g);
		LabelArg(strata[i], stratum_nulls[i], "stratum", &stratum_refs[m]);
		if (summary_nulls[i])
			continue;
		CHECK_FOR_INTERRUPTS();
		for (j = 0; j < ld->ngroups; j++)
			if (LabelEqual(&group_refs[j], &g))
				break;
		if (j == ld->ngroups)
		{
			if (ld->ngroups >= LOGRANK_TESTS_MAX_GROUPS)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("a log-rank test compares at most %d groups",
								LOGRANK_TESTS_MAX_GROUPS)));
			group_refs[j] = g;
			(*labels)[j] = groups[i];
			ld->ngroups++;
		}
		stratum_refs[m].elem = i;
		elem_group[i] = j;
		m++;
	}

	/* the elements in stratum order */
	qsort(stratum_refs, m, sizeof(LabelRef), LabelRefCompare);
	ld->nelems = m;
	ld->elems = palloc(sizeof(SurvivalSummary *) * Max(m, 1));
	ld->group = palloc(sizeof(int) * Max(m, 1));
	ld->stratum = palloc(sizeof(int) * Max(m, 1));
	ld->subjects = palloc0(sizeof(int64) * Max(ld->ngroups, 1));
	for (i = 0; i < m; i++)
	{
		int			e = stratum_refs[i].elem;
		SurvivalSummary *s = (SurvivalSummary *) PG_DETOAST_DATUM(summaries[e]);

		SurvivalCheck(s);
		ld->elems[i] = s;
		ld->group[i] = elem_group[e];
		ld->stratum[i] = i == 0 ? 0 :
			ld->stratum[i - 1] + !LabelEqual(&stratum_refs[i - 1], &stratum_refs[i]);
		LogrankAddSubjects(ld, elem_group[e], s);
	}
}

static Datum
Float8ArrayDatum(const double *values, const int *position, int nvalues, int n)
{
	Datum	   *d = palloc0(sizeof(Datum) * Max(n, 1));
	bool	   *none = palloc(sizeof(bool) * Max(n, 1));
	int			dims[1] = {n};
	int			lbs[1] = {1};
	int			i;

	for (i = 0; i < n; i++)
		none[i] = true;
	for (i = 0; i < nvalues; i++)
	{
		int			at = position ? position[i] : i;

		d[at] = Float8GetDatum(values[i]);
		none[at] = false;
	}
	return PointerGetDatum(construct_md_array(d, none, 1, dims, lbs, FLOAT8OID,
											  sizeof(float8), FLOAT8PASSBYVAL,
											  TYPALIGN_DOUBLE));
}

/* chisq, df, p_value into values[0..2] */
static void
LogrankStatistics(const LogrankData *ld, Datum *values, bool *nulls)
{
	nulls[0] = nulls[1] = nulls[2] = !ld->has_test;
	if (ld->has_test)
	{
		values[0] = Float8GetDatum(ld->chisq);
		values[1] = Int32GetDatum(ld->df);
		values[2] = Float8GetDatum(ld->p_value);
	}
}

/*
 * weighted_logrank_test(summaries, weights, p, q): logrank_test's columns
 * for the weighted test; observed and expected are the weighted sums.
 */
Datum
weighted_logrank_test(PG_FUNCTION_ARGS)
{
	LogrankData ld;
	LogrankWeights wt;
	int		   *position;
	int			n;
	TupleDesc	tupdesc;
	Datum		values[5] = {0};
	bool		nulls[5];

	LogrankWeightsArgs(fcinfo, 1, &wt);
	LogrankGroupsArg(fcinfo, &ld, &position, &n);
	LogrankCompute(&ld, &wt);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	LogrankStatistics(&ld, values, nulls);
	nulls[3] = nulls[4] = n == 0;
	if (n > 0)
	{
		values[3] = Float8ArrayDatum(ld.observed, position, ld.ngroups, n);
		values[4] = Float8ArrayDatum(ld.expected, position, ld.ngroups, n);
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc),
													  values, nulls)));
}

/*
 * stratified_logrank_test(summaries, groups, strata, weights, p, q):
 * chisq, df, p_value, and per group (in order of first appearance) its
 * label, observed and expected events summed over the strata.
 */
Datum
stratified_logrank_test(PG_FUNCTION_ARGS)
{
	LogrankData ld;
	LogrankWeights wt;
	Datum	   *labels;
	TupleDesc	tupdesc;
	Datum		values[6] = {0};
	bool		nulls[6];

	LogrankWeightsArgs(fcinfo, 3, &wt);
	LogrankStrataArgs(fcinfo, &ld, &labels);
	LogrankCompute(&ld, &wt);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	LogrankStatistics(&ld, values, nulls);
	nulls[3] = nulls[4] = nulls[5] = ld.ngroups == 0;
	if (ld.ngroups > 0)
	{
		values[3] = PointerGetDatum(construct_array(labels, ld.ngroups, TEXTOID,
													-1, false, TYPALIGN_INT));
		values[4] = Float8ArrayDatum(ld.observed, NULL, ld.ngroups, ld.ngroups);
		values[5] = Float8ArrayDatum(ld.expected, NULL, ld.ngroups, ld.ngroups);
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc),
													  values, nulls)));
}

/*----------
 * logrank_table(summaries, weights, p, q) and stratified_logrank_table(
 * summaries, groups, strata, weights, p, q): survdiff's printed table, one
 * row per group: its index (position in the array) or label, subjects (N),
 * observed, expected, O - E, its variance V_jj, and the test's chisq, df
 * and p_value on every row; (O - E)^2 / E and (O - E)^2 / V follow.
 *----------
 */
typedef struct LogrankTable
{
	LogrankData ld;
	bool		stratified;
	int			nrows;
	int		   *row_group;		/* group of each row, -1 for a NULL element */
	Datum	   *labels;
} LogrankTable;

static Datum
LogrankTableRows(FunctionCallInfo fcinfo, bool stratified)
{
	FuncCallContext *funcctx;
	LogrankTable *lt;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;
		LogrankWeights wt;
		int			i;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		lt = palloc0(sizeof(LogrankTable));
		lt->stratified = stratified;
		LogrankWeightsArgs(fcinfo, stratified ? 3 : 1, &wt);
		if (stratified)
		{
			LogrankStrataArgs(fcinfo, &lt->ld, &lt->labels);
			lt->nrows = lt->ld.ngroups;
			lt->row_group = palloc(sizeof(int) * Max(lt->nrows, 1));
			for (i = 0; i < lt->nrows; i++)
				lt->row_group[i] = i;
		}
		else
		{
			int		   *position;

			LogrankGroupsArg(fcinfo, &lt->ld, &position, &lt->nrows);
			lt->row_group = palloc(sizeof(int) * Max(lt->nrows, 1));
			for (i = 0; i < lt->nrows; i++)
				lt->row_group[i] = -1;
			for (i = 0; i < lt->ld.ngroups; i++)
				lt->row_group[position[i]] = i;
		}
		LogrankCompute(&lt->ld, &wt);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		funcctx->user_fctx = lt;
		funcctx->max_calls = lt->nrows;
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	lt = (LogrankTable *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		int			row = (int) funcctx->call_cntr;
		int			g = lt->row_group[row];
		int			k = lt->ld.ngroups;
		Datum		values[9] = {0};
		bool		nulls[9] = {false};

		if (lt->stratified)
			values[0] = lt->labels[g];
		else
			values[0] = Int32GetDatum(row + 1);
		if (g < 0)
			nulls[1] = nulls[2] = nulls[3] = nulls[4] = nulls[5] = true;
		else
		{
			values[1] = Int64GetDatum(lt->ld.subjects[g]);
			values[2] = Float8GetDatum(lt->ld.observed[g]);
			values[3] = Float8GetDatum(lt->ld.expected[g]);
			values[4] = Float8GetDatum(lt->ld.observed[g] - lt->ld.expected[g]);
			values[5] = Float8GetDatum(lt->ld.var[g * k + g]);
		}
		LogrankStatistics(&lt->ld, values + 6, nulls + 6);
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
														  values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}

Datum
logrank_table(PG_FUNCTION_ARGS)
{
	return LogrankTableRows(fcinfo, false);
}

Datum
stratified_logrank_table(PG_FUNCTION_ARGS)
{
	return LogrankTableRows(fcinfo, true);
}


/*----------
 * The restricted mean survival time to a horizon tau and its variance (R's
 * print.survfit with rmean = tau, survRM2's rmst2): with the Kaplan-Meier
 * curve S, its event times t_j < tau, n_j at risk and d_j events,
 *
 *		RMST = integral_0^tau S(t) dt
 *		Var  = sum_j A_j^2 d_j / (n_j (n_j - d_j)),  A_j = integral_{t_j}^tau S(t) dt
 *
 * (a term is 0 where n_j = d_j: then S and A_j are 0 as well).  The curve is
 * taken flat past its last time, as restricted_mean_survival.
 *----------
 */
static double
HorizonArg(FunctionCallInfo fcinfo, int argno)
{
	double		tau = PG_GETARG_FLOAT8(argno);

	if (!isfinite(tau) || tau <= 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("restricted mean horizon %s is out of range",
						float8out_internal(tau)),
				 errhint("The horizon must be a positive finite duration.")));
	return tau;
}

/* false for an empty summary */
static bool
RestrictedMean(SurvivalSummary *s, double tau, double *rmst, double *var)
{
	RiskWalk	w;
	double	   *times,
			   *surv,
			   *h;
	int			m = 0,
				j;
	double		km = 1.0,
				prev_time = 0.0,
				area,
				after = 0.0,
				v = 0.0;

	if (s->ntimes == 0)
		return false;
	times = palloc(sizeof(double) * s->ntimes);
	surv = palloc(sizeof(double) * s->ntimes);
	h = palloc(sizeof(double) * s->ntimes);
	/* the area forwards, as restricted_mean_survival sums it */
	RiskStartOne(&w, s);
	area = 0.0;
	while (RiskStep(&w) && w.time < tau)
	{
		area += km * (w.time - prev_time);
		prev_time = w.time;
		if (w.d == 0.0)
			continue;
		km *= (w.n - w.d) / w.n;
		times[m] = w.time;
		surv[m] = km;
		h[m] = w.n > w.d ? w.d / (w.n * (w.n - w.d)) : 0.0;
		m++;
	}
	area += km * (tau - prev_time);

	/* A_j from the last event time back to the first */
	for (j = m - 1; j >= 0; j--)
	{
		after += surv[j] * ((j == m - 1 ? tau : times[j + 1]) - times[j]);
		v += after * after * h[j];
	}
	/* durations near DBL_MAX can overflow the area or its variance */
	if (!isfinite(area) || !isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("restricted mean survival is out of range")));
	*rmst = area;
	*var = v;
	pfree(times);
	pfree(surv);
	pfree(h);
	return true;
}

/*
 * restricted_mean_survival_ci(s, horizon, level): (restricted_mean,
 * std_err, lower, upper), the interval RMST -/+ z se (survRM2); NULL for an
 * empty summary.
 */
Datum
restricted_mean_survival_ci(PG_FUNCTION_ARGS)
{
	SurvivalSummary *s = SurvivalGetArg(fcinfo, 0);
	double		tau = HorizonArg(fcinfo, 1);
	double		z = KpiConfidenceZ(PG_GETARG_FLOAT8(2));
	double		values[4] = {0.0, 0.0, 0.0, 0.0};
	bool		nulls[4] = {true, true, true, true};
	double		rmst,
				var;

	if (RestrictedMean(s, tau, &rmst, &var))
	{
		double		se = sqrt(var);

		values[0] = rmst;
		values[1] = se;
		values[2] = rmst - z * se;
		values[3] = rmst + z * se;
		nulls[0] = nulls[1] = nulls[2] = nulls[3] = false;
	}
	return KpiFloat8Record(fcinfo, values, nulls, 4);
}

/*
 * rmst_difference(a, b, horizon, level): RMST_a, RMST_b, their difference
 * a - b, its standard error sqrt(Var_a + Var_b) (independent groups), the
 * interval difference -/+ z se and the two-sided p-value of
 * z = difference / se (survRM2's rmst2 contrast).  NULL where a summary is
 * empty; p_value NULL where se = 0.
 */
Datum
rmst_difference(PG_FUNCTION_ARGS)
{
	SurvivalSummary *a = SurvivalGetArg(fcinfo, 0);
	SurvivalSummary *b = SurvivalGetArg(fcinfo, 1);
	double		tau = HorizonArg(fcinfo, 2);
	double		z = KpiConfidenceZ(PG_GETARG_FLOAT8(3));
	double		values[7] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
	bool		nulls[7] = {true, true, true, true, true, true, true};
	double		var_a,
				var_b;
	bool		have_a = RestrictedMean(a, tau, &values[0], &var_a);
	bool		have_b = RestrictedMean(b, tau, &values[1], &var_b);

	nulls[0] = !have_a;
	nulls[1] = !have_b;
	if (have_a && have_b)
	{
		double		diff = values[0] - values[1];
		double		se = sqrt(var_a + var_b);

		values[2] = diff;
		values[3] = se;
		values[4] = diff - z * se;
		values[5] = diff + z * se;
		nulls[2] = nulls[3] = nulls[4] = nulls[5] = false;
		if (se > 0.0)
		{
			values[6] = KpiNormalTwoSidedP(diff / se);
			nulls[6] = false;
		}
	}
	return KpiFloat8Record(fcinfo, values, nulls, 7);
}
