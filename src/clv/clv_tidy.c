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
 * gamma_gamma_std_errors, pareto_nbd_std_errors, bgbb_std_errors) and Wald
 * confidence intervals, as lifetimes' summary prints them (the table:
 * KpiParameterEstimates, optimize.c).
 *
 *-------------------------------------------------------------------------
 */
#include "clv.h"

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

/*
 * parameter_estimates(model, std_errors, level): the model's parameters in
 * its order with their standard errors and Wald intervals
 * (KpiParameterEstimates)
 */
static Datum
ParameterEstimates(FunctionCallInfo fcinfo, const ModelKind *kind)
{
	ModelValues v;

	if (PG_ARGISNULL(0))
		return KpiParameterEstimates(fcinfo, kind->type, kind->nparams, kind->names, NULL);
	ClvModelRead(kind, PG_GETARG_POINTER(0), &v);
	return KpiParameterEstimates(fcinfo, kind->type, kind->nparams, kind->names, v.params);
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
