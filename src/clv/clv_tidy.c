/*-------------------------------------------------------------------------
 *
 * clv_tidy.c
 *	  The parameters of the fitted CLV models as plain columns, for BI
 *	  tools: r(m), alpha(m), a(m), b(m) of a bgnbd_model and p(m), q(m),
 *	  gamma(m) of a gamma_gamma_model, as alpha(m) and beta(m) read an
 *	  sbg_model.
 *
 * Each returns the field of parameters(m) of its name (record_field.c), so
 * there is one reader of each model's parameters.
 *
 * parameter_estimates(model, std_errors, level): the table of a fit's
 * parameters with their standard errors (bgnbd_std_errors,
 * gamma_gamma_std_errors, pareto_nbd_std_errors) and Wald confidence intervals, as lifetimes'
 * summary prints them.
 *
 *-------------------------------------------------------------------------
 */
#include "clv.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(bgnbd_r);
PG_FUNCTION_INFO_V1(bgnbd_alpha);
PG_FUNCTION_INFO_V1(bgnbd_a);
PG_FUNCTION_INFO_V1(bgnbd_b);
PG_FUNCTION_INFO_V1(gamma_gamma_p);
PG_FUNCTION_INFO_V1(gamma_gamma_q);
PG_FUNCTION_INFO_V1(gamma_gamma_gamma);
PG_FUNCTION_INFO_V1(bgnbd_parameter_estimates);
PG_FUNCTION_INFO_V1(gamma_gamma_parameter_estimates);
PG_FUNCTION_INFO_V1(pareto_nbd_parameter_estimates);
PG_FUNCTION_INFO_V1(bgbb_parameter_estimates);

Datum
bgnbd_r(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "parameters", "r");
}

Datum
bgnbd_alpha(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "parameters", "alpha");
}

Datum
bgnbd_a(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "parameters", "a");
}

Datum
bgnbd_b(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "parameters", "b");
}

Datum
gamma_gamma_p(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "parameters", "p");
}

Datum
gamma_gamma_q(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "parameters", "q");
}

Datum
gamma_gamma_gamma(PG_FUNCTION_ARGS)
{
	return KpiRecordField(fcinfo, "parameters", "gamma");
}

/*----
 * parameter_estimates(model, std_errors, level): one row per parameter, in
 * the model's order: parameter, estimate, std_err, and the Wald interval
 *		estimate -/+ z std_err,		z = Phi^-1((1 + level) / 2)
 * (lifetimes' "lower/upper 95% bound", with z = 1.96 there).  A NULL
 * standard error (unconverged fit, no strict maximum) gives NULL bounds;
 * the interval is not truncated at 0, so a lower bound may be negative
 * where the estimate is within z standard errors of 0.
 */
typedef struct EstimatesState
{
	const ModelKind *kind;
	ModelValues v;
	double		se[MAX_MODEL_PARAMS];
	bool		se_null[MAX_MODEL_PARAMS];
	double		z;
} EstimatesState;

static EstimatesState *
EstimatesStart(FunctionCallInfo fcinfo, const ModelKind *kind)
{
	EstimatesState *es = palloc0(sizeof(EstimatesState));
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;
	double		level;

	es->kind = kind;
	if (PG_ARGISNULL(0))
		return NULL;
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("confidence level must not be NULL")));
	ClvModelRead(kind, PG_GETARG_POINTER(0), &es->v);
	if (PG_ARGISNULL(1))
	{
		/* no standard errors: the estimates alone */
		for (i = 0; i < kind->nparams; i++)
			es->se_null[i] = true;
	}
	else
	{
		arr = PG_GETARG_ARRAYTYPE_P(1);
		if (ARR_NDIM(arr) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("standard errors must be a one-dimensional array")));
		deconstruct_array(arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
						  TYPALIGN_DOUBLE, &elems, &nulls, &n);
		if (n != kind->nparams)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s has %d parameters, not %d standard errors",
							kind->type, kind->nparams, n)));
		for (i = 0; i < n; i++)
		{
			es->se_null[i] = nulls[i];
			es->se[i] = nulls[i] ? 0.0 : DatumGetFloat8(elems[i]);
			if (!nulls[i] && (!isfinite(es->se[i]) || !(es->se[i] > 0)))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("standard error %g of %s is invalid", es->se[i],
								kind->names[i]),
						 errhint("A standard error is positive and finite, or NULL.")));
		}
	}
	level = PG_GETARG_FLOAT8(2);
	if (!(level > 0 && level < 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence level %g is out of range", level),
				 errhint("The level is between 0 and 1, e.g. 0.95.")));
	es->z = KpiNormalQuantile((1 + level) / 2);
	return es;
}

static Datum
ParameterEstimates(FunctionCallInfo fcinfo, const ModelKind *kind)
{
	FuncCallContext *funcctx;
	EstimatesState *es;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		/* a NULL model: no rows */
		funcctx->user_fctx = EstimatesStart(fcinfo, kind);
		funcctx->max_calls = funcctx->user_fctx ? kind->nparams : 0;
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	es = (EstimatesState *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		int			i = (int) funcctx->call_cntr;
		double		est = es->v.params[i];
		Datum		values[5];
		bool		nulls[5] = {false, false, es->se_null[i], es->se_null[i], es->se_null[i]};

		values[0] = CStringGetTextDatum(es->kind->names[i]);
		values[1] = Float8GetDatum(est);
		values[2] = Float8GetDatum(es->se[i]);
		values[3] = Float8GetDatum(est - es->z * es->se[i]);
		values[4] = Float8GetDatum(est + es->z * es->se[i]);
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
														  values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}

Datum
bgnbd_parameter_estimates(PG_FUNCTION_ARGS)
{
	return ParameterEstimates(fcinfo, &ClvBgnbdKind);
}

Datum
gamma_gamma_parameter_estimates(PG_FUNCTION_ARGS)
{
	return ParameterEstimates(fcinfo, &ClvGammaGammaKind);
}

Datum
pareto_nbd_parameter_estimates(PG_FUNCTION_ARGS)
{
	return ParameterEstimates(fcinfo, &ClvParetoNbdKind);
}

Datum
bgbb_parameter_estimates(PG_FUNCTION_ARGS)
{
	return ParameterEstimates(fcinfo, &ClvBgbbKind);
}
