/*-------------------------------------------------------------------------
 *
 * expanded.c
 *	  The expanded form of the growing summary types (funnel_summary,
 *	  survival_summary): what their aggregates share.
 *
 * A growing summary (hash tables, histograms) is the aggregate's transition
 * state as an expanded object (utils/expandeddatum.h): to the executor it is
 * a value of the summary type, but while the aggregate runs it lives in a
 * form made for updates, in a memory context of its own, and is flattened to
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
ExpandedObjectHeader *
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
MemoryContext
KpiExpandedParent(FunctionCallInfo fcinfo)
{
	MemoryContext aggcxt;

	if (AggCheckCallContext(fcinfo, &aggcxt))
		return aggcxt;
	return CurrentMemoryContext;
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
