/*-------------------------------------------------------------------------
 *
 * pipeline_business.c
 *	  New-customer business: CAC, CAC payback, simple LTV, LTV:CAC and the
 *	  acquisition spend ratio, scalar functions beside the pipeline summary.
 *
 *-------------------------------------------------------------------------
 */
#include "pipeline.h"

#include <math.h>

PG_FUNCTION_INFO_V1(customer_acquisition_cost);
PG_FUNCTION_INFO_V1(cac_payback_months);
PG_FUNCTION_INFO_V1(customer_lifetime_value);
PG_FUNCTION_INFO_V1(ltv_cac_ratio);
PG_FUNCTION_INFO_V1(acquisition_spend_ratio);

/*
 * New-customer business: scalar functions on figures the caller aggregates
 * (spend and revenue in one currency, ARPA per month, margins and churn as
 * fractions).  A negative amount or a fraction outside 0..1 is an error;
 * a zero denominator gives NULL (the ratio is undefined, not infinite).
 */

static void
CheckNotNegative(double value, const char *what)
{
	if (isnan(value) || value < 0.0 || isinf(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %g is negative or not finite", what, value)));
}

static void
CheckFraction(double value, const char *what)
{
	if (isnan(value) || value < 0.0 || value > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %g is out of range", what, value),
				 errhint("Give it as a fraction from 0 to 1, e.g. 0.75 for 75 %%.")));
}

/* customer_acquisition_cost(spend, new_customers): spend per new customer */
Datum
customer_acquisition_cost(PG_FUNCTION_ARGS)
{
	double		spend = PG_GETARG_FLOAT8(0);
	int64		customers = PG_GETARG_INT64(1);

	CheckNotNegative(spend, "acquisition spend");
	if (customers < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of new customers " INT64_FORMAT " is negative", customers)));
	if (customers == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(spend / (double) customers);
}

/*
 * cac_payback_months(cac, arpa, gross_margin): months of gross margin a new
 * customer takes to repay its acquisition cost, CAC / (ARPA * margin)
 * (Klipfolio; Skok, SaaS Metrics 2.0).  NULL when ARPA * margin is 0.
 */
Datum
cac_payback_months(PG_FUNCTION_ARGS)
{
	double		cac = PG_GETARG_FLOAT8(0);
	double		arpa = PG_GETARG_FLOAT8(1);
	double		margin = PG_GETARG_FLOAT8(2);

	CheckNotNegative(cac, "customer acquisition cost");
	CheckNotNegative(arpa, "monthly revenue per account");
	CheckFraction(margin, "gross margin");
	if (arpa * margin == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(PipelineRatio(cac / (arpa * margin), "CAC payback"));
}

/*
 * customer_lifetime_value(arpa, gross_margin, monthly_churn): the simple
 * LTV = ARPA * margin / churn (Skok), the margin of the expected lifetime
 * 1 / churn months.  NULL when churn is 0 (no finite lifetime).
 */
Datum
customer_lifetime_value(PG_FUNCTION_ARGS)
{
	double		arpa = PG_GETARG_FLOAT8(0);
	double		margin = PG_GETARG_FLOAT8(1);
	double		churn = PG_GETARG_FLOAT8(2);

	CheckNotNegative(arpa, "monthly revenue per account");
	CheckFraction(margin, "gross margin");
	CheckFraction(churn, "monthly churn rate");
	if (churn == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(PipelineRatio(arpa * margin / churn, "customer lifetime value"));
}

/* ltv_cac_ratio(ltv, cac): LTV / CAC; NULL when CAC is 0 */
Datum
ltv_cac_ratio(PG_FUNCTION_ARGS)
{
	double		ltv = PG_GETARG_FLOAT8(0);
	double		cac = PG_GETARG_FLOAT8(1);

	CheckNotNegative(ltv, "customer lifetime value");
	CheckNotNegative(cac, "customer acquisition cost");
	if (cac == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(PipelineRatio(ltv / cac, "LTV:CAC ratio"));
}

/*
 * acquisition_spend_ratio(spend, new_customer_revenue): acquisition spend
 * per unit of the new customers' net revenue (0.5: 50 cents spent per
 * dollar won).  NULL when that revenue is 0.
 */
Datum
acquisition_spend_ratio(PG_FUNCTION_ARGS)
{
	double		spend = PG_GETARG_FLOAT8(0);
	double		revenue = PG_GETARG_FLOAT8(1);

	CheckNotNegative(spend, "acquisition spend");
	CheckNotNegative(revenue, "net revenue of new customers");
	if (revenue == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(PipelineRatio(spend / revenue, "acquisition spend ratio"));
}
