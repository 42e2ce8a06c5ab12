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
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

PG_FUNCTION_INFO_V1(bgnbd_r);
PG_FUNCTION_INFO_V1(bgnbd_alpha);
PG_FUNCTION_INFO_V1(bgnbd_a);
PG_FUNCTION_INFO_V1(bgnbd_b);
PG_FUNCTION_INFO_V1(gamma_gamma_p);
PG_FUNCTION_INFO_V1(gamma_gamma_q);
PG_FUNCTION_INFO_V1(gamma_gamma_gamma);

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
