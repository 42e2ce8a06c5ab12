/*-------------------------------------------------------------------------
 *
 * survival_tidy.c
 *	  Plain columns of the survival family's record results, for BI tools:
 *	  median_survival_lower/_upper, logrank_p_value and logrank_groups.
 *
 * Each calls the record-returning function it mirrors (record_field.c), so
 * its values are that function's, computed once, in one place.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"

PG_FUNCTION_INFO_V1(median_survival_lower);
PG_FUNCTION_INFO_V1(median_survival_upper);
PG_FUNCTION_INFO_V1(logrank_p_value);
PG_FUNCTION_INFO_V1(logrank_groups);

/* median_survival_lower(s, level): median_survival_ci(s, level).lower */
Datum
median_survival_lower(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "median_survival_ci", "lower");
}

/* median_survival_upper(s, level): median_survival_ci(s, level).upper */
Datum
median_survival_upper(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "median_survival_ci", "upper");
}

/* logrank_p_value(summaries): logrank_test(summaries).p_value */
Datum
logrank_p_value(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "logrank_test", "p_value");
}

/* What logrank_groups returns, one row per group */
typedef struct LogrankRows
{
	int			ngroups;
	Datum	   *observed;
	bool	   *observed_nulls;
	Datum	   *expected;
	bool	   *expected_nulls;
	Datum		statistics[3];	/* chisq, df, p_value */
	bool		statistics_nulls[3];
} LogrankRows;

/* A double precision[] field of logrank_test's row, deconstructed */
static int
LogrankArray(KpiSibling *sibling, HeapTupleData *tuple, const char *field,
			 Datum **values, bool **nulls)
{
	bool		isnull;
	Datum		array = KpiSiblingField(sibling, tuple, field, &isnull);
	int			n = 0;

	if (!isnull)
		deconstruct_array(DatumGetArrayTypeP(array), FLOAT8OID, sizeof(float8),
						  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, values, nulls, &n);
	return n;
}

/*
 * logrank_groups(summaries): logrank_test as tidy rows, one per element of
 * the array: its position (group_index, 1 for the first), its observed and
 * expected events, and the test's chisq, df and p_value repeated on each row.
 */
Datum
logrank_groups(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	LogrankRows *rows;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		KpiSibling *sibling;
		HeapTupleData tuple;
		TupleDesc	tupdesc;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		sibling = KpiSiblingLookup(fcinfo, "logrank_test", funcctx->multi_call_memory_ctx);
		rows = palloc0(sizeof(LogrankRows));
		if (KpiSiblingCall(sibling, fcinfo, &tuple))
		{
			int			nexpected;

			rows->statistics[0] = KpiSiblingField(sibling, &tuple, "chisq",
												  &rows->statistics_nulls[0]);
			rows->statistics[1] = KpiSiblingField(sibling, &tuple, "df",
												  &rows->statistics_nulls[1]);
			rows->statistics[2] = KpiSiblingField(sibling, &tuple, "p_value",
												  &rows->statistics_nulls[2]);
			rows->ngroups = LogrankArray(sibling, &tuple, "observed",
										 &rows->observed, &rows->observed_nulls);
			nexpected = LogrankArray(sibling, &tuple, "expected",
									 &rows->expected, &rows->expected_nulls);
			if (nexpected != rows->ngroups)
				elog(ERROR, "logrank_test returned %d observed and %d expected counts",
					 rows->ngroups, nexpected);
		}
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		funcctx->user_fctx = rows;
		funcctx->max_calls = rows->ngroups;
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	rows = (LogrankRows *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		int			i = (int) funcctx->call_cntr;
		Datum		values[6];
		bool		nulls[6];

		values[0] = Int32GetDatum(i + 1);
		nulls[0] = false;
		values[1] = rows->observed[i];
		nulls[1] = rows->observed_nulls[i];
		values[2] = rows->expected[i];
		nulls[2] = rows->expected_nulls[i];
		memcpy(&values[3], rows->statistics, sizeof(rows->statistics));
		memcpy(&nulls[3], rows->statistics_nulls, sizeof(rows->statistics_nulls));
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
														  values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}
