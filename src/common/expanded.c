/*-------------------------------------------------------------------------
 *
 * expanded.c
 *	  The expanded form of the growing summary types (funnel_summary,
 *	  survival_summary, adoption_summary, cohort_activity_summary): what
 *	  their aggregates share.
 *
 * A growing summary (hash tables, histograms) is the aggregate's transition
 * state as an expanded object (utils/expandeddatum.h): to the executor it is
 * a value of the summary type, but while the aggregate runs it lives in a
 * form made for updates (in a memory context it shares with the other states
 * of its aggregate context: KpiExpandedCreateState), and is flattened to
 * the type's stored form only when a flat value is needed (output, storage,
 * a parallel worker's result).  The executor keeps a read/write expanded
 * state without copying it when the state's context is a direct child of the
 * aggregate context (ExecAggTransReparent in execExprInterp.c; window
 * aggregates do the same), so only such a state may be updated in place:
 * anything else (the first call, a flat initial or stored value, a call
 * outside an aggregate) is expanded into a new object first.
 *
 * A flatten method runs in whatever memory context its caller has, which may
 * not support pfree (PostgreSQL 17's tuplesort flattens into a bump context):
 * scratch space it frees belongs in the object's own context.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include "utils/memutils.h"


/*
 * KpiExpandedCreate
 *		A new expanded object of size bytes (zeroed, starting with its
 *		ExpandedObjectHeader) in a new memory context, child of parent.
 */
static ExpandedObjectHeader *
KpiExpandedCreate(MemoryContext parent, Size size,
				  const ExpandedObjectMethods *methods)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "crm_kpi expanded summary",
											  ALLOCSET_START_SMALL_SIZES);
	ExpandedObjectHeader *eoh = MemoryContextAllocZero(cxt, size);

	EOH_init_header(eoh, methods, cxt);
	return eoh;
}

/*
 * KpiExpandedParent
 *		Where a new expanded state of fcinfo goes: the aggregate context when
 *		fcinfo runs as an aggregate (so that the executor adopts the state as
 *		it is), else the current context.
 */
static MemoryContext
KpiExpandedParent(FunctionCallInfo fcinfo)
{
	MemoryContext aggcxt;

	if (AggCheckCallContext(fcinfo, &aggcxt))
		return aggcxt;
	return CurrentMemoryContext;
}

/*
 * KpiExpandedCreateState
 *		A new expanded transition state of size bytes for fcinfo (NULL for a
 *		call outside any function, e.g. an input function).
 *
 * As an aggregate's state, it goes into the one child of the aggregate
 * context that the states of every crm_kpi aggregate share, made by the
 * first: after each new group, hashed aggregation measures the aggregate
 * context with all its children (hash_agg_check_limits), so a context per
 * group's state would make it quadratic in the groups (100,000 groups: 40
 * to 55 s instead of 1 s).  Sharing is safe there because the executor (and
 * Citus's worker_partial_agg, which calls our transition functions with the
 * aggregate's fcinfo->context) deletes a read/write state only when the
 * transition function returns another value, and ours return the state
 * they update; the aggregate context is reset with all its groups.  A window
 * aggregate, which may restart and delete its state alone, and any other
 * call get a context of their own (KpiExpandedCreate).
 */
#define KPI_STATES_CONTEXT_NAME "crm_kpi expanded states"

ExpandedObjectHeader *
KpiExpandedCreateState(FunctionCallInfo fcinfo, Size size,
					   const ExpandedObjectMethods *methods)
{
	MemoryContext aggcxt;
	MemoryContext cxt;
	ExpandedObjectHeader *eoh;

	if (fcinfo == NULL)
		return KpiExpandedCreate(CurrentMemoryContext, size, methods);
	if (AggCheckCallContext(fcinfo, &aggcxt) != AGG_CONTEXT_AGGREGATE)
		return KpiExpandedCreate(KpiExpandedParent(fcinfo), size, methods);

	for (cxt = aggcxt->firstchild; cxt != NULL; cxt = cxt->nextchild)
		if (strcmp(cxt->name, KPI_STATES_CONTEXT_NAME) == 0)
			break;
	if (cxt == NULL)
		cxt = AllocSetContextCreate(aggcxt, KPI_STATES_CONTEXT_NAME, ALLOCSET_DEFAULT_SIZES);
	eoh = MemoryContextAllocZero(cxt, size);
	EOH_init_header(eoh, methods, cxt);
	return eoh;
}

/*
 * KpiExpandedInPlace
 *		The state argument argno as an object to update in place, or NULL if
 *		it may not be: only a read/write expanded object of these methods
 *		whose context is a direct child of the aggregate context, that is
 *		the aggregate's own state.  A read-only pointer, a flat value, or any
 *		call outside an aggregate gives NULL: the caller expands a copy.
 */
ExpandedObjectHeader *
KpiExpandedInPlace(FunctionCallInfo fcinfo, int argno,
				   const ExpandedObjectMethods *methods)
{
	MemoryContext aggcxt;
	Datum		d;
	ExpandedObjectHeader *eoh;

	if (PG_ARGISNULL(argno) || !AggCheckCallContext(fcinfo, &aggcxt))
		return NULL;
	d = PG_GETARG_DATUM(argno);
	if (!VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
		return NULL;
	eoh = DatumGetEOHP(d);
	if (eoh->eoh_methods != methods ||
		eoh->eoh_context->parent != aggcxt)
		return NULL;
	return eoh;
}

/*
 * KpiExpandedFlatten
 *		The flat form of an expanded object, in a new varlena in the current
 *		memory context (the type's flatten method validates it).
 */
void *
KpiExpandedFlatten(ExpandedObjectHeader *eoh)
{
	Size		size = EOH_get_flat_size(eoh);
	void	   *flat = palloc(size);

	EOH_flatten_into(eoh, flat, size);
	return flat;
}
