/*-------------------------------------------------------------------------
 *
 * record_field.c
 *	  Plain columns from the functions that return records.
 *
 * Many KPIs come as records: nps_ci's lower and upper bound, nps_compare's
 * difference and p-value, logrank_test's statistics, the parameters of a
 * fitted model.  A BI tool reads plain columns, not (f(s)).lower, so each of
 * those fields also has a scalar accessor (nps_lower(s), r(m), ...).  Every
 * one is a C function that calls its record-returning sibling with its own
 * arguments and returns one field: the scalar is the record's field by
 * construction, with no second copy of any formula.
 *
 * The sibling is found by name and argument types in the accessor's own
 * schema (the extension's), never through search_path, so the accessors work
 * whatever the caller's search_path and after ALTER EXTENSION ... SET
 * SCHEMA.  (SQL-language wrappers would not: their bodies resolve names
 * through the caller's search_path, and PostgreSQL 13 has no SQL-standard
 * function bodies, which are bound when created.)
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include "access/htup_details.h"
#include "catalog/pg_proc.h"
#include "funcapi.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

/* The most arguments an accessor passes on (LOCAL_FCINFO needs a constant) */
#define KPI_SIBLING_MAX_ARGS 4

/*
 * KpiSiblingLookup
 *		The function "name" of the caller's schema that takes the caller's
 *		argument types and returns a record, ready to call, allocated in
 *		mcxt (the caller's fn_mcxt, or an SRF's multi-call context).
 */
KpiSibling *
KpiSiblingLookup(FunctionCallInfo fcinfo, const char *name, MemoryContext mcxt)
{
	Oid			self = fcinfo->flinfo->fn_oid;
	HeapTuple	proctup;
	Form_pg_proc proc;
	List	   *qualified;
	Oid			oid;
	TupleDesc	tupdesc;
	KpiSibling *sibling;
	MemoryContext oldcontext;

	proctup = SearchSysCache1(PROCOID, ObjectIdGetDatum(self));
	if (!HeapTupleIsValid(proctup))
		elog(ERROR, "cache lookup failed for function %u", self);
	proc = (Form_pg_proc) GETSTRUCT(proctup);
	if (proc->pronargs > KPI_SIBLING_MAX_ARGS)
		elog(ERROR, "function %u has too many arguments to pass on", self);
	qualified = list_make2(makeString(get_namespace_name(proc->pronamespace)),
						   makeString(pstrdup(name)));
	oid = LookupFuncName(qualified, proc->pronargs, proc->proargtypes.values, false);
	ReleaseSysCache(proctup);

	if (get_func_result_type(oid, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "function %s does not return a record", name);

	oldcontext = MemoryContextSwitchTo(mcxt);
	sibling = palloc0(sizeof(KpiSibling));
	fmgr_info_cxt(oid, &sibling->flinfo, mcxt);
	sibling->tupdesc = CreateTupleDescCopy(tupdesc);
	MemoryContextSwitchTo(oldcontext);
	return sibling;
}

/*
 * KpiSiblingCall
 *		Call the sibling with the caller's arguments; false if it returns
 *		NULL (as a strict sibling does for a NULL argument), else its row in
 *		*tuple, in the current memory context.
 */
bool
KpiSiblingCall(KpiSibling *sibling, FunctionCallInfo fcinfo, HeapTupleData *tuple)
{
	LOCAL_FCINFO(call, KPI_SIBLING_MAX_ARGS);
	HeapTupleHeader row;
	Datum		result;
	int			i;

	Assert(PG_NARGS() <= KPI_SIBLING_MAX_ARGS);
	InitFunctionCallInfoData(*call, &sibling->flinfo, PG_NARGS(),
							 PG_GET_COLLATION(), NULL, NULL);
	for (i = 0; i < PG_NARGS(); i++)
	{
		if (PG_ARGISNULL(i) && sibling->flinfo.fn_strict)
			return false;
		call->args[i] = fcinfo->args[i];
	}
	result = FunctionCallInvoke(call);
	if (call->isnull)
		return false;

	row = DatumGetHeapTupleHeader(result);
	tuple->t_len = HeapTupleHeaderGetDatumLength(row);
	ItemPointerSetInvalid(&tuple->t_self);
	tuple->t_tableOid = InvalidOid;
	tuple->t_data = row;
	return true;
}

/* The attribute number of the sibling's OUT column "field" */
int
KpiSiblingAttno(const KpiSibling *sibling, const char *field)
{
	int			i;

	for (i = 0; i < sibling->tupdesc->natts; i++)
	{
		if (strcmp(NameStr(TupleDescAttr(sibling->tupdesc, i)->attname), field) == 0)
			return i + 1;
	}
	elog(ERROR, "function %u has no output column \"%s\"", sibling->flinfo.fn_oid, field);
	return 0;					/* keep compiler quiet */
}

/* Field "field" of a row that the sibling returned */
Datum
KpiSiblingField(const KpiSibling *sibling, HeapTupleData *tuple, const char *field,
				bool *isnull)
{
	return heap_getattr(tuple, KpiSiblingAttno(sibling, field), sibling->tupdesc, isnull);
}

typedef struct KpiRecordFieldCache
{
	KpiSibling *sibling;
	int			attno;
} KpiRecordFieldCache;

/*
 * KpiRecordField
 *		The body of a scalar accessor: field "field" of what its sibling
 *		"name" returns for the same arguments; NULL where the sibling returns
 *		NULL or the field is NULL.  The field's type must be the accessor's
 *		return type.  The lookup is done once per call site (fn_extra).
 */
Datum
KpiRecordField(FunctionCallInfo fcinfo, const char *name, const char *field)
{
	KpiRecordFieldCache *cache = fcinfo->flinfo->fn_extra;
	HeapTupleData tuple;
	Datum		value;
	bool		isnull;

	if (cache == NULL)
	{
		MemoryContext mcxt = fcinfo->flinfo->fn_mcxt;
		KpiSibling *sibling = KpiSiblingLookup(fcinfo, name, mcxt);
		int			attno = KpiSiblingAttno(sibling, field);

		if (TupleDescAttr(sibling->tupdesc, attno - 1)->atttypid !=
			get_func_rettype(fcinfo->flinfo->fn_oid))
			elog(ERROR, "output column \"%s\" of %s is not of the accessor's type", field, name);
		cache = MemoryContextAlloc(mcxt, sizeof(KpiRecordFieldCache));
		cache->sibling = sibling;
		cache->attno = attno;
		fcinfo->flinfo->fn_extra = cache;
	}

	if (!KpiSiblingCall(cache->sibling, fcinfo, &tuple))
		PG_RETURN_NULL();
	value = heap_getattr(&tuple, cache->attno, cache->sibling->tupdesc, &isnull);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(value);
}
