/*-------------------------------------------------------------------------
 *
 * pipeline_changes.c
 *	  Pipeline changes between two snapshots of the deals (a waterfall):
 *	  the opening pipeline of a period, what was added, grew, shrank, moved
 *	  in or out of the period, was won, lost or removed, and the closing
 *	  pipeline, in deal counts and exact numeric amounts.
 *
 * The aggregate reads one row per deal of the FULL JOIN of two snapshots on
 * the deal id: (amount, close date, status) at snapshot A and at snapshot B,
 * the side where the deal is absent being all NULL, and the period.  A deal
 * is in the pipeline of a snapshot when it is open there with a close date in
 * the period.  Each deal falls in at most one change category, by the rules
 * of doc/pipeline.md in this order: won or lost first, then moved into or
 * out of the period, then the amount change.  So the waterfall reconciles
 * exactly: closing = opening + new + pulled_in + increased - decreased -
 * pushed_out - moved_out - won - lost - removed.
 *
 * The amounts are numeric and summed exactly (numeric addition into the
 * aggregate context; the state holds one sum per category, whatever the
 * rows).  The state is serialized for parallel plans; the result is an array
 * of (category, deals, amount) rows, additive across groups of deals, so
 * that sum() over its rows merges waterfalls of disjoint deal sets.
 *
 *-------------------------------------------------------------------------
 */
#include "pipeline.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/typcache.h"

/* The categories, in waterfall (and result) order */
typedef enum ChangeCategory
{
	CHANGE_OPENING,
	CHANGE_NEW,
	CHANGE_PULLED_IN,
	CHANGE_INCREASED,
	CHANGE_DECREASED,
	CHANGE_PUSHED_OUT,
	CHANGE_MOVED_OUT,
	CHANGE_WON,
	CHANGE_LOST,
	CHANGE_REMOVED,
	CHANGE_CLOSING,
	CHANGE_NCATEGORIES
} ChangeCategory;

static const char *const ChangeNames[CHANGE_NCATEGORIES] = {
	"opening", "new", "pulled_in", "increased", "decreased", "pushed_out",
	"moved_out", "won", "lost", "removed", "closing"
};

/* Whether a category takes amount out of the pipeline (a negative step) */
static const bool ChangeNegative[CHANGE_NCATEGORIES] = {
	false, false, false, false, true, true, true, true, true, true, false
};

/* The serialized state's format, and its name in errors */
#define CHANGES_SERIAL_VERSION 1
#define CHANGES_STATE_NAME "pipeline changes state"

/* A deal's status at one snapshot */
typedef enum SnapStatus
{
	SNAP_ABSENT,
	SNAP_OPEN,
	SNAP_WON,
	SNAP_LOST
} SnapStatus;

/*
 * The state: the period (set by the first row, the same in every row), and
 * per category the deals and the exact sum of their amounts' magnitudes, in
 * the aggregate context
 */
typedef struct ChangesState
{
	MemoryContext cxt;
	bool		has_period;
	DateADT		period_start;
	DateADT		period_end;
	int64		deals[CHANGE_NCATEGORIES];
	KpiNumericSum amount[CHANGE_NCATEGORIES];
} ChangesState;

PG_FUNCTION_INFO_V1(pipeline_changes_state_accum);
PG_FUNCTION_INFO_V1(pipeline_changes_state_combine);
PG_FUNCTION_INFO_V1(pipeline_changes_state_serialize);
PG_FUNCTION_INFO_V1(pipeline_changes_state_deserialize);
PG_FUNCTION_INFO_V1(pipeline_changes_final);
PG_FUNCTION_INFO_V1(pipeline_changes_state_combine_array);


static ChangesState *
ChangesCreate(MemoryContext cxt)
{
	ChangesState *st = MemoryContextAllocZero(cxt, sizeof(ChangesState));

	st->cxt = cxt;
	return st;
}

/* The numeric 0, made once per backend (the rows compare amounts with it) */
static Numeric
ChangesZero(void)
{
	static Numeric zero = NULL;

	if (zero == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		zero = DatumGetNumeric(DirectFunctionCall1(int4_numeric, Int32GetDatum(0)));
		MemoryContextSwitchTo(old);
	}
	return zero;
}

/*
 * Add deals to category c, with amount x (NULL for none; subtracted if
 * negate): an int64 addition for most amounts, nothing allocated per row
 */
static void
ChangesAdd(ChangesState *st, ChangeCategory c, int64 deals, Numeric x, bool negate)
{
	if (unlikely(pg_add_s64_overflow(st->deals[c], deals, &st->deals[c])))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("pipeline_changes count out of range")));
	if (x != NULL)
		KpiNumericSumAdd(&st->amount[c], x, negate, st->cxt);
}

/* The status a text names, as pipeline_agg reads outcomes; NULL: absent */
static SnapStatus
ChangesStatus(FunctionCallInfo fcinfo, int argno)
{
	if (PG_ARGISNULL(argno))
		return SNAP_ABSENT;
	switch (PipelineOutcome(PG_GETARG_TEXT_PP(argno)))
	{
		case DEAL_OPEN:
			return SNAP_OPEN;
		case DEAL_WON:
			return SNAP_WON;
		case DEAL_LOST:
			return SNAP_LOST;
	}
	return SNAP_ABSENT;			/* keep compiler quiet */
}

/* The amount of a deal present at a snapshot: NULL (none) or >= 0, finite */
static Numeric
ChangesAmount(FunctionCallInfo fcinfo, int argno)
{
	Numeric		x;

	if (PG_ARGISNULL(argno))
		return NULL;
	x = PG_GETARG_NUMERIC(argno);
	if (numeric_is_nan(x) || numeric_is_inf(x) ||
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(x),
										  NumericGetDatum(ChangesZero()))) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("deal amount %s is out of range",
						DatumGetCString(DirectFunctionCall1(numeric_out,
															NumericGetDatum(x)))),
				 errhint("Amounts are finite and not negative.")));
	return x;
}

/* Set or check the period of the state */
static void
ChangesPeriod(ChangesState *st, DateADT start, DateADT end)
{
	if (!st->has_period)
	{
		if (start > end)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("period start %s is after period end %s",
							DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(start))),
							DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(end))))));
		st->has_period = true;
		st->period_start = start;
		st->period_end = end;
	}
	else if (start != st->period_start || end != st->period_end)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the period of pipeline_changes changes between rows: %s to %s, then %s to %s",
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(st->period_start))),
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(st->period_end))),
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(start))),
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(end)))),
				 errhint("Compute one waterfall per period (GROUP BY the period).")));
}

/*
 * pipeline_changes_state_accum(state, amount_a, close_a, status_a, amount_b,
 * close_b, status_b, period_start, period_end): one deal of the full join
 */
Datum
pipeline_changes_state_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = KpiAggContext(fcinfo);
	ChangesState *st;
	SnapStatus	sa,
				sb;
	Numeric		amount_a = NULL,
				amount_b = NULL;
	bool		in_a,
				in_b;

	st = PG_ARGISNULL(0) ? ChangesCreate(aggcxt) : (ChangesState *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(7) || PG_ARGISNULL(8))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("pipeline_changes period bounds must not be NULL")));
	ChangesPeriod(st, PG_GETARG_DATEADT(7), PG_GETARG_DATEADT(8));
	sa = ChangesStatus(fcinfo, 3);
	sb = ChangesStatus(fcinfo, 6);
	if (sa != SNAP_ABSENT)
		amount_a = ChangesAmount(fcinfo, 1);
	if (sb != SNAP_ABSENT)
		amount_b = ChangesAmount(fcinfo, 4);
	in_a = sa == SNAP_OPEN && !PG_ARGISNULL(2) &&
		PG_GETARG_DATEADT(2) >= st->period_start && PG_GETARG_DATEADT(2) <= st->period_end;
	in_b = sb == SNAP_OPEN && !PG_ARGISNULL(5) &&
		PG_GETARG_DATEADT(5) >= st->period_start && PG_GETARG_DATEADT(5) <= st->period_end;

	if (in_a)
	{
		ChangesAdd(st, CHANGE_OPENING, 1, amount_a, false);
		if (sb == SNAP_ABSENT)
			ChangesAdd(st, CHANGE_REMOVED, 1, amount_a, false);
		else if (sb == SNAP_WON)
			ChangesAdd(st, CHANGE_WON, 1, amount_a, false);
		else if (sb == SNAP_LOST)
			ChangesAdd(st, CHANGE_LOST, 1, amount_a, false);
		else if (!in_b)
			ChangesAdd(st, !PG_ARGISNULL(5) && PG_GETARG_DATEADT(5) > st->period_end ?
					   CHANGE_PUSHED_OUT : CHANGE_MOVED_OUT, 1, amount_a, false);
		else
		{
			/*
			 * in the pipeline at both: the amount change, if any, as b - a
			 * added to increased or a - b to decreased (two exact additions)
			 */
			Numeric		a = amount_a ? amount_a : ChangesZero();
			Numeric		b = amount_b ? amount_b : ChangesZero();
			int			cmp = DatumGetInt32(DirectFunctionCall2(numeric_cmp,
																NumericGetDatum(b),
																NumericGetDatum(a)));

			if (cmp > 0)
			{
				ChangesAdd(st, CHANGE_INCREASED, 1, b, false);
				ChangesAdd(st, CHANGE_INCREASED, 0, a, true);
			}
			else if (cmp < 0)
			{
				ChangesAdd(st, CHANGE_DECREASED, 1, a, false);
				ChangesAdd(st, CHANGE_DECREASED, 0, b, true);
			}
		}
	}
	else if (in_b)
		ChangesAdd(st, sa == SNAP_OPEN ? CHANGE_PULLED_IN : CHANGE_NEW, 1, amount_b, false);
	if (in_b)
		ChangesAdd(st, CHANGE_CLOSING, 1, amount_b, false);
	PG_RETURN_POINTER(st);
}

/* Add the counts and sums of b to a (a KpiMergeStates) */
static void
ChangesMerge(void *into, const void *from)
{
	ChangesState *a = into;
	const ChangesState *b = from;
	int			c;

	if (b->has_period)
		ChangesPeriod(a, b->period_start, b->period_end);
	for (c = 0; c < CHANGE_NCATEGORIES; c++)
		ChangesAdd(a, c, b->deals[c], KpiNumericSumTotal(&b->amount[c]), false);
}

/* An empty state (a KpiCreateLike: the period comes with the merge) */
static void *
ChangesCreateLike(MemoryContext cxt, const void *like)
{
	return ChangesCreate(cxt);
}

/* pipeline_changes_state_combine(a, b): not strict, for an internal state */
Datum
pipeline_changes_state_combine(PG_FUNCTION_ARGS)
{
	return KpiCombineInternal(fcinfo, ChangesCreateLike, ChangesMerge);
}

/*
 * Serialized form: int8 version, int8 whether the period is set, int32
 * period start and end (days since 2000-01-01), then per category int64
 * deals and the amount as int32 length + numeric text (length 0: zero).
 */
Datum
pipeline_changes_state_serialize(PG_FUNCTION_ARGS)
{
	ChangesState *st = (ChangesState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			c;

	KpiSendVersion(&buf, CHANGES_SERIAL_VERSION);
	pq_sendbyte(&buf, st->has_period ? 1 : 0);
	pq_sendint32(&buf, st->period_start);
	pq_sendint32(&buf, st->period_end);
	for (c = 0; c < CHANGE_NCATEGORIES; c++)
	{
		const KpiNumericSum *sum = &st->amount[c];

		pq_sendint64(&buf, st->deals[c]);
		if (sum->units == 0 && sum->scale == 0 && sum->folded == NULL)
			pq_sendint32(&buf, 0);
		else
		{
			char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out,
																NumericGetDatum(KpiNumericSumTotal(sum))));
			int			len = strlen(s);

			pq_sendint32(&buf, len);
			pq_sendbytes(&buf, s, len);
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
pipeline_changes_state_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcxt = KpiAggContext(fcinfo);
	StringInfoData buf;
	ChangesState *st;
	int			c;

	KpiReadBuffer(&buf, data);
	KpiRecvVersion(&buf, CHANGES_STATE_NAME, CHANGES_SERIAL_VERSION);
	st = ChangesCreate(aggcxt);
	KpiRecvNeed(&buf, CHANGES_STATE_NAME, 9, false);
	st->has_period = pq_getmsgbyte(&buf) != 0;
	st->period_start = pq_getmsgint(&buf, 4);
	st->period_end = pq_getmsgint(&buf, 4);
	for (c = 0; c < CHANGE_NCATEGORIES; c++)
	{
		int64		len;

		KpiRecvNeed(&buf, CHANGES_STATE_NAME, 12, false);
		st->deals[c] = pq_getmsgint64(&buf);
		if (st->deals[c] < 0)
			KpiBinaryInputError(CHANGES_STATE_NAME, "A count is negative.");
		len = KpiRecvCount(&buf, CHANGES_STATE_NAME, 4, 1000000, 1);
		if (len > 0)
		{
			char	   *s = palloc(len + 1);
			Numeric		x;

			memcpy(s, pq_getmsgbytes(&buf, len), len);
			s[len] = '\0';
			x = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(s),
													ObjectIdGetDatum(InvalidOid),
													Int32GetDatum(-1)));
			ChangesAdd(st, c, 0, x, false);
		}
	}
	KpiRecvEnd(&buf, CHANGES_STATE_NAME);
	PG_RETURN_POINTER(st);
}

/*
 * The waterfall of a state (NULL: no deal) as the array the function of
 * fcinfo returns: one (category, deals, amount) element per category in
 * waterfall order, every category present; amount is the pipeline at
 * opening and closing, the signed change of the pipeline otherwise.
 */
static Datum
ChangesArray(FunctionCallInfo fcinfo, ChangesState *st)
{
	Oid			elemtype;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	TupleDesc	tupdesc;
	Datum		elems[CHANGE_NCATEGORIES];
	Datum		zero = NumericGetDatum(ChangesZero());
	int			c;

	elemtype = get_element_type(getBaseType(get_func_rettype(fcinfo->flinfo->fn_oid)));
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	tupdesc = lookup_rowtype_tupdesc_copy(elemtype, -1);
	for (c = 0; c < CHANGE_NCATEGORIES; c++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};
		Datum		amount = zero;

		if (st != NULL)
			amount = NumericGetDatum(KpiNumericSumTotal(&st->amount[c]));
		if (ChangeNegative[c])
			amount = DirectFunctionCall1(numeric_uminus, amount);
		values[0] = CStringGetTextDatum(ChangeNames[c]);
		values[1] = Int64GetDatum(st != NULL ? st->deals[c] : 0);
		values[2] = amount;
		elems[c] = HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, CHANGE_NCATEGORIES, elemtype, typlen,
										  typbyval, typalign));
}

/*
 * pipeline_changes_final(state): the waterfall.  Not strict: no row gives
 * the all-zero waterfall.
 */
Datum
pipeline_changes_final(PG_FUNCTION_ARGS)
{
	return ChangesArray(fcinfo, PG_ARGISNULL(0) ? NULL : (ChangesState *) PG_GETARG_POINTER(0));
}

/* Add the elements of a waterfall array to st; 22023/22004 if malformed */
static void
ChangesAddArray(ChangesState *st, ArrayType *array)
{
	Datum	   *elems;
	bool	   *elem_nulls;
	int			nelems,
				i;
	int16		typlen;
	bool		typbyval;
	char		typalign;

	get_typlenbyvalalign(ARR_ELEMTYPE(array), &typlen, &typbyval, &typalign);
	deconstruct_array(array, ARR_ELEMTYPE(array), typlen, typbyval, typalign,
					  &elems, &elem_nulls, &nelems);
	for (i = 0; i < nelems; i++)
	{
		HeapTupleHeader t;
		bool		isnull[3];
		Datum		category,
					deals,
					amount;
		char	   *name;
		int			c;

		if (elem_nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("pipeline waterfall has a NULL element")));
		t = DatumGetHeapTupleHeader(elems[i]);
		category = GetAttributeByNum(t, 1, &isnull[0]);
		deals = GetAttributeByNum(t, 2, &isnull[1]);
		amount = GetAttributeByNum(t, 3, &isnull[2]);
		if (isnull[0] || isnull[1] || isnull[2])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("pipeline waterfall element %d has a NULL field", i + 1)));
		name = TextDatumGetCString(category);
		for (c = 0; c < CHANGE_NCATEGORIES; c++)
			if (strcmp(ChangeNames[c], name) == 0)
				break;
		if (c == CHANGE_NCATEGORIES)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("pipeline waterfall category \"%s\" is not recognized", name)));
		if (DatumGetInt64(deals) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("pipeline waterfall category \"%s\" has a negative deal count", name)));
		ChangesAdd(st, c, DatumGetInt64(deals), DatumGetNumeric(amount), ChangeNegative[c]);
	}
}

/*
 * pipeline_changes_state_combine_array(a, b): the transition and combine
 * function of rollup(pipeline_change_array): the two waterfalls' deals and
 * amounts added per category (strict: a NULL waterfall is skipped)
 */
Datum
pipeline_changes_state_combine_array(PG_FUNCTION_ARGS)
{
	ChangesState *st = ChangesCreate(CurrentMemoryContext);

	ChangesAddArray(st, PG_GETARG_ARRAYTYPE_P(0));
	ChangesAddArray(st, PG_GETARG_ARRAYTYPE_P(1));
	return ChangesArray(fcinfo, st);
}
