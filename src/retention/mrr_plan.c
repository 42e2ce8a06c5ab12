/*-------------------------------------------------------------------------
 *
 * mrr_plan.c
 *	  MRR movements by plan: mrr_movements_by_plan(summaries, plans) over
 *	  one customer_mrr_summary per plan (customer_mrr_agg ... GROUP BY
 *	  plan), so that a customer changing plans is an upgrade or downgrade,
 *	  never churn in one plan and new business in another.
 *
 * A customer's MRR is the sum over its plans.  The overall movements
 * classify that sum as mrr_summary() does (ChartMogul's movements: new,
 * expansion, contraction, churn, reactivation).  Within a plan P, from
 * period k - 1 to k, with a and b the customer's MRR in P and A and B its
 * MRR over all plans:
 *
 *	A = 0, B > 0	new (or reactivation, if it paid before) in each plan
 *					with b > 0
 *	A > 0, B = 0	churn in each plan with a > 0
 *	A > 0, B > 0	a = 0 < b: moved in (b); a > 0 = b: moved out (a);
 *					both > 0: expansion (b - a) or contraction (a - b)
 *
 * so that each plan balances, ending = starting + new + reactivation +
 * expansion - contraction - churn + moved in - moved out, and over the
 * plans moved in - moved out + expansion - contraction of a customer that
 * stays is its overall expansion or contraction.  Amounts are exact
 * integers of 1/10000 of the currency unit, overflow checked.
 *
 *-------------------------------------------------------------------------
 */
#include "customer_mrr.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(mrr_movements_by_plan);

/* The fields of each (plan, period): customers and MRR of each movement */
enum
{
	P_CUSTOMERS,				/* paying at the end of the period */
	P_MRR,
	P_NEW_CUSTOMERS,
	P_NEW_MRR,
	P_EXPANSION_CUSTOMERS,
	P_EXPANSION_MRR,
	P_CONTRACTION_CUSTOMERS,
	P_CONTRACTION_MRR,
	P_CHURNED_CUSTOMERS,
	P_CHURNED_MRR,
	P_REACTIVATED_CUSTOMERS,
	P_REACTIVATION_MRR,
	P_MOVED_IN_CUSTOMERS,
	P_MOVED_IN_MRR,
	P_MOVED_OUT_CUSTOMERS,
	P_MOVED_OUT_MRR,
	PLAN_FIELDS
};

/* One (customer, plan) row of the input */
typedef struct PlanEntry
{
	int64		customer;		/* key in the merged ids */
	int32		plan;
	const int64 *row;			/* its MRR per period */
} PlanEntry;

typedef struct PlanTable
{
	const CustomerMrr *first;	/* a summary, for the periods */
	int32		periods;
	int32		plans;			/* row 0 is overall; plan j is row j + 1 */
	text	  **names;
	int64	   *values;			/* (plans + 1) x periods x PLAN_FIELDS */
	/* the cursor of the rows */
	int32		period;
	int32		row;
} PlanTable;

#define PLAN_MAX_CELLS (1 << 20)

#define PT_AT(t, r, k, f) \
	((t)->values[((Size) (r) * (t)->periods + (k)) * PLAN_FIELDS + (f)])

static int
PlanEntryCompare(const void *a, const void *b)
{
	const PlanEntry *x = a,
			   *y = b;

	if (x->customer != y->customer)
		return x->customer < y->customer ? -1 : 1;
	return (x->plan > y->plan) - (x->plan < y->plan);
}

static void
PlanAdd(int64 *sum, int64 v)
{
	if (pg_add_s64_overflow(*sum, v, sum))
		MrrOverflow();
}

/* One movement of one customer: its count and amount */
static inline void
PlanMove(PlanTable *t, int r, int k, int field, int64 amount)
{
	PlanAdd(&PT_AT(t, r, k, field), 1);
	PlanAdd(&PT_AT(t, r, k, field + 1), amount);
}

/*
 * Classify the change of one series (a plan's, or with a == A and b == B
 * the customer's over all plans) from period k - 1 to k
 */
static void
PlanClassify(PlanTable *t, int r, int k, int64 a, int64 b, int64 A, int64 B, bool paid_before)
{
	if (A == 0 && B > 0)
	{
		if (b > 0)
			PlanMove(t, r, k, paid_before ? P_REACTIVATED_CUSTOMERS : P_NEW_CUSTOMERS, b);
	}
	else if (A > 0 && B == 0)
	{
		if (a > 0)
			PlanMove(t, r, k, P_CHURNED_CUSTOMERS, a);
	}
	else if (A > 0 && B > 0)
	{
		if (a == 0 && b > 0)
			PlanMove(t, r, k, P_MOVED_IN_CUSTOMERS, b);
		else if (a > 0 && b == 0)
			PlanMove(t, r, k, P_MOVED_OUT_CUSTOMERS, a);
		else if (b > a)
			PlanMove(t, r, k, P_EXPANSION_CUSTOMERS, b - a);
		else if (b < a)
			PlanMove(t, r, k, P_CONTRACTION_CUSTOMERS, a - b);
	}
}

/* One customer: rows entries[0..n-1], its plans, in plan order */
static void
PlanAddCustomer(PlanTable *t, const PlanEntry *entries, int n, int64 *total)
{
	int32		periods = t->periods;
	int			k,
				i;
	bool		paid_before = false;

	memset(total, 0, sizeof(int64) * periods);
	for (i = 0; i < n; i++)
		for (k = 0; k < periods; k++)
			PlanAdd(&total[k], entries[i].row[k]);
	for (k = 0; k < periods; k++)
	{
		if (total[k] > 0)
			PlanMove(t, 0, k, P_CUSTOMERS, total[k]);
		for (i = 0; i < n; i++)
			if (entries[i].row[k] > 0)
				PlanMove(t, entries[i].plan + 1, k, P_CUSTOMERS, entries[i].row[k]);
		if (k == 0)
			continue;
		/* reactivation: paying in some period before k (before k - 1 if A = 0) */
		paid_before = paid_before || total[k - 1] > 0;
		PlanClassify(t, 0, k, total[k - 1], total[k], total[k - 1], total[k], paid_before);
		for (i = 0; i < n; i++)
			PlanClassify(t, entries[i].plan + 1, k, entries[i].row[k - 1], entries[i].row[k],
						 total[k - 1], total[k], paid_before);
	}
}

static PlanTable *
PlanTableBuild(ArrayType *summaries, ArrayType *plans)
{
	Datum	   *elems,
			   *names;
	bool	   *elem_nulls,
			   *name_nulls;
	int			nelems,
				nnames,
				i,
				j;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	PlanTable  *t = palloc0(sizeof(PlanTable));
	KpiIds		all;
	const char *currency = "";	/* of the summaries, which must agree */
	PlanEntry  *entries = NULL;
	Size		nentries = 0,
				capacity = 0;
	int64	   *total;

	if (ARR_NDIM(summaries) > 1 || ARR_NDIM(plans) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("mrr_movements_by_plan expects one-dimensional arrays of summaries and plans")));
	get_typlenbyvalalign(ARR_ELEMTYPE(summaries), &typlen, &typbyval, &typalign);
	deconstruct_array(summaries, ARR_ELEMTYPE(summaries), typlen, typbyval, typalign,
					  &elems, &elem_nulls, &nelems);
	deconstruct_array(plans, TEXTOID, -1, false, TYPALIGN_INT, &names, &name_nulls, &nnames);
	if (nelems != nnames)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("mrr_movements_by_plan has %d summaries and %d plans", nelems, nnames),
				 errhint("Pass one plan name per summary, as array_agg(s ORDER BY plan), array_agg(plan ORDER BY plan).")));
	t->plans = nelems;
	t->names = palloc(sizeof(text *) * Max(nelems, 1));
	for (i = 0; i < nnames; i++)
	{
		if (name_nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("plan %d of mrr_movements_by_plan is NULL", i + 1),
					 errhint("Name the rows without a plan, e.g. coalesce(plan, '(none)').")));
		t->names[i] = DatumGetTextPP(names[i]);
		for (j = 0; j < i; j++)
			if (VARSIZE_ANY_EXHDR(t->names[i]) == VARSIZE_ANY_EXHDR(t->names[j]) &&
				memcmp(VARDATA_ANY(t->names[i]), VARDATA_ANY(t->names[j]),
					   VARSIZE_ANY_EXHDR(t->names[i])) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("plan \"%s\" appears twice in mrr_movements_by_plan",
								text_to_cstring(t->names[i])),
						 errhint("Roll the summaries of one plan up into one: rollup(s) ... GROUP BY plan.")));
	}

	KpiIdsInit(&all, CurrentMemoryContext);
	for (i = 0; i < nelems; i++)
	{
		CustomerMrr *s;
		KpiIds		ids;
		int32		r;

		if (elem_nulls[i])
			continue;			/* customer_mrr_agg of no rows: a plan with none */
		s = (CustomerMrr *) PG_DETOAST_DATUM(elems[i]);
		if (!CustomerMrrType.valid(s, true))
			KpiSummaryCorrupt(CustomerMrrType.name);
		if (t->first == NULL)
			t->first = s;
		else
		{
			RetentionPeriod pa = CmPeriod(t->first),
						pb = CmPeriod(s);

			MrrCheckSame("customer MRR summaries", &pa, t->first->periods, t->first->origin,
						 &pb, s->periods, s->origin);
		}
		currency = MrrMergeCurrency(currency, MRR_CURRENCY(s));
		CmFlatIds(s, &ids, CurrentMemoryContext);
		KpiIdsMergeKinds(&all, &ids);
		for (r = 0; r < s->customers; r++)
		{
			if (nentries == capacity)
			{
				capacity = Max(capacity * 2, 64);
				entries = nentries == 0 ? palloc(sizeof(PlanEntry) * capacity) :
					repalloc_huge(entries, sizeof(PlanEntry) * capacity);
			}
			/* dictionary ids: row r is id r; integer ids: their key */
			entries[nentries].customer = KpiIdsTranslate(&all, &ids, CM_IS_DICT(s) ? r : s->keys[r]);
			entries[nentries].plan = i;
			entries[nentries].row = CM_ROW(s, r);
			nentries++;
			if (r % 4096 == 0)
				CHECK_FOR_INTERRUPTS();
		}
	}
	if (t->first == NULL)
		return t;				/* no summary: no rows */
	t->periods = t->first->periods;
	/* memory follows content, within reason: 128 MB of sums at most */
	if ((Size) (t->plans + 1) * t->periods > PLAN_MAX_CELLS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("mrr_movements_by_plan cannot hold %d plans of %d periods", t->plans, t->periods),
				 errhint("(plans + 1) x periods is at most %d: group the smaller plans into one.",
						 PLAN_MAX_CELLS)));
	t->values = palloc0(sizeof(int64) * PLAN_FIELDS * (Size) t->periods * (t->plans + 1));
	if (nentries == 0)
		return t;
	qsort(entries, nentries, sizeof(PlanEntry), PlanEntryCompare);
	total = palloc(sizeof(int64) * t->periods);
	for (i = 0; (Size) i < nentries;)
	{
		int			n = 1;

		while ((Size) (i + n) < nentries && entries[i + n].customer == entries[i].customer)
			n++;
		PlanAddCustomer(t, entries + i, n, total);
		i += n;
		CHECK_FOR_INTERRUPTS();
	}
	return t;
}

#define PLAN_COLUMNS 21

/*
 * mrr_movements_by_plan(summaries, plans): per period, a row of all plans
 * (plan NULL) and a row per plan, in the order of the arrays: period,
 * period_start, plan, customers_start, customers_end, starting_mrr, the
 * MRR of the seven movements, ending_mrr, and the customers of each
 * movement.  Period 0 has only the ending values.
 */
Datum
mrr_movements_by_plan(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	PlanTable  *t;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		t = PlanTableBuild(PG_GETARG_ARRAYTYPE_P_COPY(0), PG_GETARG_ARRAYTYPE_P_COPY(1));
		funcctx->user_fctx = t;
		funcctx->max_calls = (uint64) t->periods * (t->plans + 1);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	t = (PlanTable *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		int			k = (int) (funcctx->call_cntr / (t->plans + 1));
		int			r = (int) (funcctx->call_cntr % (t->plans + 1));
		RetentionPeriod p = CmPeriod(t->first);
		Datum		values[PLAN_COLUMNS];
		bool		nulls[PLAN_COLUMNS];
		static const int movements[] = {
			P_NEW_CUSTOMERS, P_EXPANSION_CUSTOMERS, P_CONTRACTION_CUSTOMERS, P_CHURNED_CUSTOMERS,
			P_REACTIVATED_CUSTOMERS, P_MOVED_IN_CUSTOMERS, P_MOVED_OUT_CUSTOMERS
		};
		size_t		m;

		memset(nulls, k == 0, sizeof(nulls));
		values[0] = Int32GetDatum(k);
		values[1] = TimestampTzGetDatum(RetentionPeriodStart(&p, t->first->origin, k));
		nulls[0] = nulls[1] = false;
		if (r == 0)
			nulls[2] = true;
		else
		{
			values[2] = PointerGetDatum(t->names[r - 1]);
			nulls[2] = false;
		}
		values[4] = Int64GetDatum(PT_AT(t, r, k, P_CUSTOMERS));
		values[13] = MrrNumeric(PT_AT(t, r, k, P_MRR));
		nulls[4] = nulls[13] = false;
		if (k > 0)
		{
			values[3] = Int64GetDatum(PT_AT(t, r, k - 1, P_CUSTOMERS));
			values[5] = MrrNumeric(PT_AT(t, r, k - 1, P_MRR));
			for (m = 0; m < lengthof(movements); m++)
			{
				values[6 + m] = MrrNumeric(PT_AT(t, r, k, movements[m] + 1));
				values[14 + m] = Int64GetDatum(PT_AT(t, r, k, movements[m]));
			}
		}
		for (m = 0; m < PLAN_COLUMNS; m++)
			if (nulls[m])
				values[m] = (Datum) 0;
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}
