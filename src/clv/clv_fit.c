/*-------------------------------------------------------------------------
 *
 * clv_fit.c
 *	  The BG/NBD purchase model (Fader, Hardie & Lee 2005, "Counting your
 *	  customers the easy way") and the Gamma-Gamma spend model (Fader,
 *	  Hardie & Lee 2005, "RFM and CLV"; Fader & Hardie 2013, "The
 *	  Gamma-Gamma model of monetary value"): the model types (layout, text
 *	  and binary I/O, accessors) and their maximum-likelihood fits over
 *	  customers' RFM summaries.  The predictions made from a model are in
 *	  clv_predict.c.
 *
 * The fitting aggregates collect the customers' (x, t_x, T) or (x, m)
 * values with counts: identical values collapse into one entry, so a fit
 * over a million customers evaluates the likelihood over thousands to
 * ~10^5 distinct entries.  The final function maximises the likelihood with
 * KpiNelderMead over the logs of the parameters.  The state and the fit's
 * steps are shared through clv_fit.h with clv_pareto.c (Pareto/NBD, fitted
 * from the BG/NBD entries); the standard errors come from the inverse
 * Hessian at the maximum (KpiHessianInverse).
 *
 *-------------------------------------------------------------------------
 */
#include "clv.h"
#include "clv_fit.h"

#include <float.h>
#include <math.h>

#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "catalog/pg_type.h"
#include "port/pg_bitutils.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"

/*
 * The optimiser searches the box |log parameter - its start| <= FIT_BOX (the
 * start is scaled to the data); a fit is reported converged only if it ends
 * at least 1 inside it.  A maximum on the box's wall is a parameter running
 * off to 0 or infinity, a degenerate model (e.g. no repeat purchases, or no
 * heterogeneity to identify), and the box keeps that search short.
 */
#define FIT_BOX 15.0
#define FIT_TOL 1e-10
#define FIT_MAX_ITER 5000
/*
 * |log parameter| of a fit stays below FIT_MAX_LOG, so that every fitted
 * parameter is a positive, finite, normal double (e^700 ~ 1e304), whatever
 * the data's scale.
 */
#define FIT_MAX_LOG 700.0
/* the step of the Hessian's second differences, on the log scale */
#define FIT_HESSIAN_STEP 1e-2

#define MODEL_FORMAT_VERSION 1

/*
 * The model values: fixed-size (INTERNALLENGTH 56 and 48), with a version
 * byte; their text and binary forms are independent of the layout.
 * customers = 0 marks a model made from given parameters, not fitted.
 */
typedef struct BgnbdModel
{
	uint8		version;
	uint8		converged;
	uint8		reserved[6];
	int64		customers;
	double		r;
	double		alpha;
	double		a;
	double		b;
	double		log_likelihood;
} BgnbdModel;

typedef struct GammaGammaModel
{
	uint8		version;
	uint8		converged;
	uint8		reserved[6];
	int64		customers;
	double		p;
	double		q;
	double		gamma;
	double		log_likelihood;
} GammaGammaModel;

const ModelKind ClvBgnbdKind = {"bgnbd_model", 4, {"r", "alpha", "a", "b"}};
const ModelKind ClvGammaGammaKind = {"gamma_gamma_model", 3, {"p", "q", "gamma"}};
/* the Pareto/NBD model has the BG/NBD model's layout: r, alpha, s, beta */
const ModelKind ClvParetoNbdKind = {"pareto_nbd_model", 4, {"r", "alpha", "s", "beta"}};
/* the BG/BB model (clv_bgbb.c) too: alpha, beta, gamma, delta */
const ModelKind ClvBgbbKind = {"bgbb_model", 4, {"alpha", "beta", "gamma", "delta"}};

PG_FUNCTION_INFO_V1(bgnbd_model_in);
PG_FUNCTION_INFO_V1(bgnbd_model_out);
PG_FUNCTION_INFO_V1(bgnbd_model_recv);
PG_FUNCTION_INFO_V1(bgnbd_model_send);
PG_FUNCTION_INFO_V1(gamma_gamma_model_in);
PG_FUNCTION_INFO_V1(gamma_gamma_model_out);
PG_FUNCTION_INFO_V1(gamma_gamma_model_recv);
PG_FUNCTION_INFO_V1(gamma_gamma_model_send);
PG_FUNCTION_INFO_V1(bgnbd_model);
PG_FUNCTION_INFO_V1(gamma_gamma_model);
PG_FUNCTION_INFO_V1(bgnbd_parameters);
PG_FUNCTION_INFO_V1(gamma_gamma_parameters);
PG_FUNCTION_INFO_V1(bgnbd_log_likelihood);
PG_FUNCTION_INFO_V1(gamma_gamma_log_likelihood);
PG_FUNCTION_INFO_V1(bgnbd_customers);
PG_FUNCTION_INFO_V1(gamma_gamma_customers);
PG_FUNCTION_INFO_V1(bgnbd_converged);
PG_FUNCTION_INFO_V1(gamma_gamma_converged);
PG_FUNCTION_INFO_V1(clv_fit_state_accum_bgnbd);
KPI_FORMER_SYMBOL(bgnbd_fit_accum, clv_fit_state_accum_bgnbd);
PG_FUNCTION_INFO_V1(clv_fit_state_accum_gamma_gamma);
KPI_FORMER_SYMBOL(gamma_gamma_fit_accum, clv_fit_state_accum_gamma_gamma);
PG_FUNCTION_INFO_V1(clv_fit_state_accum_bgnbd_penalized);
PG_FUNCTION_INFO_V1(clv_fit_state_accum_gamma_gamma_penalized);
PG_FUNCTION_INFO_V1(clv_fit_state_combine);
KPI_FORMER_SYMBOL(clv_fit_combine, clv_fit_state_combine);
PG_FUNCTION_INFO_V1(clv_fit_state_serialize);
KPI_FORMER_SYMBOL(clv_fit_serialize, clv_fit_state_serialize);
PG_FUNCTION_INFO_V1(clv_fit_state_deserialize);
KPI_FORMER_SYMBOL(clv_fit_deserialize, clv_fit_state_deserialize);
PG_FUNCTION_INFO_V1(bgnbd_fit_final);
PG_FUNCTION_INFO_V1(gamma_gamma_fit_final);
PG_FUNCTION_INFO_V1(bgnbd_std_errors_final);
PG_FUNCTION_INFO_V1(gamma_gamma_std_errors_final);
PG_FUNCTION_INFO_V1(pareto_nbd_model_in);
PG_FUNCTION_INFO_V1(pareto_nbd_model_out);
PG_FUNCTION_INFO_V1(pareto_nbd_model_recv);
PG_FUNCTION_INFO_V1(pareto_nbd_model_send);
PG_FUNCTION_INFO_V1(pareto_nbd_model);
PG_FUNCTION_INFO_V1(pareto_nbd_parameters);
PG_FUNCTION_INFO_V1(pareto_nbd_log_likelihood);
PG_FUNCTION_INFO_V1(pareto_nbd_customers);
PG_FUNCTION_INFO_V1(pareto_nbd_converged);
PG_FUNCTION_INFO_V1(bgbb_model_in);
PG_FUNCTION_INFO_V1(bgbb_model_out);
PG_FUNCTION_INFO_V1(bgbb_model_recv);
PG_FUNCTION_INFO_V1(bgbb_model_send);
PG_FUNCTION_INFO_V1(bgbb_model);
PG_FUNCTION_INFO_V1(bgbb_parameters);
PG_FUNCTION_INFO_V1(bgbb_log_likelihood);
PG_FUNCTION_INFO_V1(bgbb_customers);
PG_FUNCTION_INFO_V1(bgbb_converged);


/*
 * Model I/O
 *
 * Text: {"version":1,"r":..,"alpha":..,"a":..,"b":..,"log_likelihood":..,
 * "customers":n,"converged":true} (gamma_gamma_model: "p","q","gamma").
 * Binary: int8 version, the parameters and the log-likelihood as float8,
 * int64 customers, int8 converged.
 */
static const char *
ModelError(const ModelKind *kind, const ModelValues *v)
{
	int			i;

	for (i = 0; i < kind->nparams; i++)
		if (!isfinite(v->params[i]) || !(v->params[i] > 0))
			return "The parameters must be positive and finite.";
	if (!isfinite(v->log_likelihood))
		return "The log-likelihood must be finite.";
	if (v->customers < 0)
		return "The number of customers must not be negative.";
	if (v->customers == 0 && (v->log_likelihood != 0 || v->converged))
		return "A model of given parameters (0 customers) has log-likelihood 0 and is not converged.";
	return NULL;
}

/*
 * A new model value.  Fitted models are checked like input: every value we
 * produce can be read back, or the call fails with 22003.
 */
void *
ClvModelMake(const ModelKind *kind, const ModelValues *v)
{
	const char *problem = ModelError(kind, v);

	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s is out of range", kind->type),
				 errdetail("%s", problem)));
	if (kind->nparams == 4)
	{
		/* bgnbd_model, pareto_nbd_model */
		BgnbdModel *m = palloc0(sizeof(BgnbdModel));

		m->version = MODEL_FORMAT_VERSION;
		m->converged = v->converged;
		m->customers = v->customers;
		m->r = v->params[0];
		m->alpha = v->params[1];
		m->a = v->params[2];
		m->b = v->params[3];
		m->log_likelihood = v->log_likelihood;
		return m;
	}
	else
	{
		GammaGammaModel *m = palloc0(sizeof(GammaGammaModel));

		m->version = MODEL_FORMAT_VERSION;
		m->converged = v->converged;
		m->customers = v->customers;
		m->p = v->params[0];
		m->q = v->params[1];
		m->gamma = v->params[2];
		m->log_likelihood = v->log_likelihood;
		return m;
	}
}

/* Read a stored model into v, checked (XX001 if it is not ours) */
void
ClvModelRead(const ModelKind *kind, const void *value, ModelValues *v)
{
	uint8		version;

	memset(v, 0, sizeof(ModelValues));
	if (kind->nparams == 4)
	{
		const BgnbdModel *m = value;

		version = m->version;
		v->converged = m->converged;
		v->customers = m->customers;
		v->params[0] = m->r;
		v->params[1] = m->alpha;
		v->params[2] = m->a;
		v->params[3] = m->b;
		v->log_likelihood = m->log_likelihood;
	}
	else
	{
		const GammaGammaModel *m = value;

		version = m->version;
		v->converged = m->converged;
		v->customers = m->customers;
		v->params[0] = m->p;
		v->params[1] = m->q;
		v->params[2] = m->gamma;
		v->log_likelihood = m->log_likelihood;
	}
	if (version != MODEL_FORMAT_VERSION || ModelError(kind, v) != NULL ||
		((const uint8 *) value)[1] > 1)
		KpiSummaryCorrupt(kind->type);
}

/*
 * Read a model that a prediction uses.  A fit with converged = false ended
 * where the search stopped, typically with a parameter running off to 0 or
 * infinity (e.g. a = 3e-7, b = 9e4 when no customer has yet dropped out):
 * not an estimate, and any prediction from it would be arbitrary, so it is
 * refused (22023).  A model of given parameters (0 customers) is the
 * analyst's choice and is used as it is.
 */
void
ClvModelReadForPrediction(const ModelKind *kind, const void *value, ModelValues *v)
{
	StringInfoData params,
				names;
	int			i;

	ClvModelRead(kind, value, v);
	if (v->converged || v->customers == 0)
		return;
	initStringInfo(&params);
	initStringInfo(&names);
	for (i = 0; i < kind->nparams; i++)
	{
		appendStringInfo(&params, "%s%s = %g", i > 0 ? ", " : "", kind->names[i],
						 v->params[i]);
		appendStringInfo(&names, "%s%s", i > 0 ? ", " : "", kind->names[i]);
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s fitted on " INT64_FORMAT " customers did not converge",
					kind->type, v->customers),
			 errdetail("The fit stopped at log-likelihood %g with %s, where a parameter runs off to 0 or infinity: these are not estimates, and predictions from them would be arbitrary.",
					   v->log_likelihood, params.data),
			 errhint("Fit on more customers or a longer observation period, or build a model from chosen parameters with %s(%s).",
					 kind->type, names.data)));
}

static Datum
ModelIn(FunctionCallInfo fcinfo, const ModelKind *kind)
{
	char	   *str = PG_GETARG_CSTRING(0);
	KpiScanner	scan = {str};
	ModelValues v = {{0}};
	int64		version;
	const char *problem = NULL;
	bool		ok;
	int			i;

	ok = KpiScanToken(&scan, "{") &&
		KpiScanKey(&scan, "version") &&
		KpiScanInt64(&scan, &version);
	if (ok && version != MODEL_FORMAT_VERSION)
	{
		ok = false;
		problem = "Only format version 1 is supported.";
	}
	for (i = 0; ok && i < kind->nparams; i++)
		ok = KpiScanToken(&scan, ",") &&
			KpiScanKey(&scan, kind->names[i]) && KpiScanFloat8(&scan, &v.params[i]);
	ok = ok && KpiScanToken(&scan, ",") &&
		KpiScanKey(&scan, "log_likelihood") &&
		KpiScanFloat8(&scan, &v.log_likelihood) && KpiScanToken(&scan, ",") &&
		KpiScanKey(&scan, "customers") &&
		KpiScanInt64(&scan, &v.customers) && KpiScanToken(&scan, ",") &&
		KpiScanKey(&scan, "converged");
	if (ok)
	{
		if (KpiScanToken(&scan, "true"))
			v.converged = true;
		else
			ok = KpiScanToken(&scan, "false");
	}
	ok = ok && KpiScanToken(&scan, "}") && KpiScanEnd(&scan);
	if (ok && (problem = ModelError(kind, &v)) == NULL)
		PG_RETURN_POINTER(ClvModelMake(kind, &v));

	if (problem == NULL)
	{
		StringInfoData expected;

		initStringInfo(&expected);
		appendStringInfoString(&expected, "Expected {\"version\":1");
		for (i = 0; i < kind->nparams; i++)
			appendStringInfo(&expected, ",\"%s\":..", kind->names[i]);
		appendStringInfoString(&expected, ",\"log_likelihood\":..,\"customers\":n,\"converged\":true|false}.");
		problem = expected.data;
	}
	KPI_TEXT_INPUT_ERROR(fcinfo, kind->type, str, problem);
}

static Datum
ModelOut(FunctionCallInfo fcinfo, const ModelKind *kind)
{
	ModelValues v;
	StringInfoData buf;
	int			i;

	ClvModelRead(kind, PG_GETARG_POINTER(0), &v);
	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d", MODEL_FORMAT_VERSION);
	for (i = 0; i < kind->nparams; i++)
	{
		appendStringInfo(&buf, ",\"%s\":", kind->names[i]);
		KpiAppendFloat8(&buf, v.params[i]);
	}
	appendStringInfoString(&buf, ",\"log_likelihood\":");
	KpiAppendFloat8(&buf, v.log_likelihood);
	appendStringInfo(&buf, ",\"customers\":" INT64_FORMAT ",\"converged\":%s}",
					 v.customers, v.converged ? "true" : "false");
	PG_RETURN_CSTRING(buf.data);
}

static Datum
ModelRecv(FunctionCallInfo fcinfo, const ModelKind *kind)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	ModelValues v = {{0}};
	const char *problem;
	int			converged,
				i;

	KpiRecvVersion(buf, kind->type, MODEL_FORMAT_VERSION);
	KpiRecvNeed(buf, kind->type, 8 * (kind->nparams + 1) + 8 + 1, true);
	for (i = 0; i < kind->nparams; i++)
		v.params[i] = pq_getmsgfloat8(buf);
	v.log_likelihood = pq_getmsgfloat8(buf);
	v.customers = pq_getmsgint64(buf);
	converged = pq_getmsgbyte(buf);
	KpiRecvEnd(buf, kind->type);
	v.converged = converged == 1;
	problem = converged > 1 ? "The converged flag must be 0 or 1." : ModelError(kind, &v);
	if (problem)
		KpiBinaryInputError(kind->type, "%s", problem);
	PG_RETURN_POINTER(ClvModelMake(kind, &v));
}

static Datum
ModelSend(FunctionCallInfo fcinfo, const ModelKind *kind)
{
	ModelValues v;
	StringInfoData buf;
	int			i;

	ClvModelRead(kind, PG_GETARG_POINTER(0), &v);
	KpiSendVersion(&buf, MODEL_FORMAT_VERSION);
	for (i = 0; i < kind->nparams; i++)
		pq_sendfloat8(&buf, v.params[i]);
	pq_sendfloat8(&buf, v.log_likelihood);
	pq_sendint64(&buf, v.customers);
	pq_sendbyte(&buf, v.converged ? 1 : 0);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* A model of given parameters, e.g. published ones */
static Datum
ModelFromParameters(FunctionCallInfo fcinfo, const ModelKind *kind)
{
	ModelValues v = {{0}};
	int			i;

	for (i = 0; i < kind->nparams; i++)
	{
		v.params[i] = PG_GETARG_FLOAT8(i);
		if (!isfinite(v.params[i]) || !(v.params[i] > 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s parameter %s = %g is invalid", kind->type,
							kind->names[i], v.params[i]),
					 errhint("Every parameter must be positive and finite.")));
	}
	PG_RETURN_POINTER(ClvModelMake(kind, &v));
}

Datum
bgnbd_model_in(PG_FUNCTION_ARGS)
{
	return ModelIn(fcinfo, &ClvBgnbdKind);
}

Datum
bgnbd_model_out(PG_FUNCTION_ARGS)
{
	return ModelOut(fcinfo, &ClvBgnbdKind);
}

Datum
bgnbd_model_recv(PG_FUNCTION_ARGS)
{
	return ModelRecv(fcinfo, &ClvBgnbdKind);
}

Datum
bgnbd_model_send(PG_FUNCTION_ARGS)
{
	return ModelSend(fcinfo, &ClvBgnbdKind);
}

Datum
gamma_gamma_model_in(PG_FUNCTION_ARGS)
{
	return ModelIn(fcinfo, &ClvGammaGammaKind);
}

Datum
gamma_gamma_model_out(PG_FUNCTION_ARGS)
{
	return ModelOut(fcinfo, &ClvGammaGammaKind);
}

Datum
gamma_gamma_model_recv(PG_FUNCTION_ARGS)
{
	return ModelRecv(fcinfo, &ClvGammaGammaKind);
}

Datum
gamma_gamma_model_send(PG_FUNCTION_ARGS)
{
	return ModelSend(fcinfo, &ClvGammaGammaKind);
}

Datum
bgnbd_model(PG_FUNCTION_ARGS)
{
	return ModelFromParameters(fcinfo, &ClvBgnbdKind);
}

Datum
gamma_gamma_model(PG_FUNCTION_ARGS)
{
	return ModelFromParameters(fcinfo, &ClvGammaGammaKind);
}

/* Accessors */

static Datum
ModelParameters(FunctionCallInfo fcinfo, const ModelKind *kind)
{
	ModelValues v;
	bool		nulls[MAX_MODEL_PARAMS] = {false};

	ClvModelRead(kind, PG_GETARG_POINTER(0), &v);
	return KpiFloat8Record(fcinfo, v.params, nulls, kind->nparams);
}

Datum
bgnbd_parameters(PG_FUNCTION_ARGS)
{
	return ModelParameters(fcinfo, &ClvBgnbdKind);
}

Datum
gamma_gamma_parameters(PG_FUNCTION_ARGS)
{
	return ModelParameters(fcinfo, &ClvGammaGammaKind);
}

/* NULL for a model of given parameters */
static Datum
ModelLogLikelihood(FunctionCallInfo fcinfo, const ModelKind *kind)
{
	ModelValues v;

	ClvModelRead(kind, PG_GETARG_POINTER(0), &v);
	if (v.customers == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(v.log_likelihood);
}

Datum
bgnbd_log_likelihood(PG_FUNCTION_ARGS)
{
	return ModelLogLikelihood(fcinfo, &ClvBgnbdKind);
}

Datum
gamma_gamma_log_likelihood(PG_FUNCTION_ARGS)
{
	return ModelLogLikelihood(fcinfo, &ClvGammaGammaKind);
}

Datum
bgnbd_customers(PG_FUNCTION_ARGS)
{
	ModelValues v;

	ClvModelRead(&ClvBgnbdKind, PG_GETARG_POINTER(0), &v);
	PG_RETURN_INT64(v.customers);
}

Datum
gamma_gamma_customers(PG_FUNCTION_ARGS)
{
	ModelValues v;

	ClvModelRead(&ClvGammaGammaKind, PG_GETARG_POINTER(0), &v);
	PG_RETURN_INT64(v.customers);
}

Datum
bgnbd_converged(PG_FUNCTION_ARGS)
{
	ModelValues v;

	ClvModelRead(&ClvBgnbdKind, PG_GETARG_POINTER(0), &v);
	PG_RETURN_BOOL(v.converged);
}

Datum
gamma_gamma_converged(PG_FUNCTION_ARGS)
{
	ModelValues v;

	ClvModelRead(&ClvGammaGammaKind, PG_GETARG_POINTER(0), &v);
	PG_RETURN_BOOL(v.converged);
}

/* pareto_nbd_model: the same I/O and accessors */
Datum
pareto_nbd_model_in(PG_FUNCTION_ARGS)
{
	return ModelIn(fcinfo, &ClvParetoNbdKind);
}

Datum
pareto_nbd_model_out(PG_FUNCTION_ARGS)
{
	return ModelOut(fcinfo, &ClvParetoNbdKind);
}

Datum
pareto_nbd_model_recv(PG_FUNCTION_ARGS)
{
	return ModelRecv(fcinfo, &ClvParetoNbdKind);
}

Datum
pareto_nbd_model_send(PG_FUNCTION_ARGS)
{
	return ModelSend(fcinfo, &ClvParetoNbdKind);
}

Datum
pareto_nbd_model(PG_FUNCTION_ARGS)
{
	return ModelFromParameters(fcinfo, &ClvParetoNbdKind);
}

Datum
pareto_nbd_parameters(PG_FUNCTION_ARGS)
{
	return ModelParameters(fcinfo, &ClvParetoNbdKind);
}

Datum
pareto_nbd_log_likelihood(PG_FUNCTION_ARGS)
{
	return ModelLogLikelihood(fcinfo, &ClvParetoNbdKind);
}

Datum
pareto_nbd_customers(PG_FUNCTION_ARGS)
{
	ModelValues v;

	ClvModelRead(&ClvParetoNbdKind, PG_GETARG_POINTER(0), &v);
	PG_RETURN_INT64(v.customers);
}

Datum
pareto_nbd_converged(PG_FUNCTION_ARGS)
{
	ModelValues v;

	ClvModelRead(&ClvParetoNbdKind, PG_GETARG_POINTER(0), &v);
	PG_RETURN_BOOL(v.converged);
}

/* bgbb_model: the same I/O and accessors (its fit and predictions: clv_bgbb.c) */
Datum
bgbb_model_in(PG_FUNCTION_ARGS)
{
	return ModelIn(fcinfo, &ClvBgbbKind);
}

Datum
bgbb_model_out(PG_FUNCTION_ARGS)
{
	return ModelOut(fcinfo, &ClvBgbbKind);
}

Datum
bgbb_model_recv(PG_FUNCTION_ARGS)
{
	return ModelRecv(fcinfo, &ClvBgbbKind);
}

Datum
bgbb_model_send(PG_FUNCTION_ARGS)
{
	return ModelSend(fcinfo, &ClvBgbbKind);
}

Datum
bgbb_model(PG_FUNCTION_ARGS)
{
	return ModelFromParameters(fcinfo, &ClvBgbbKind);
}

Datum
bgbb_parameters(PG_FUNCTION_ARGS)
{
	return ModelParameters(fcinfo, &ClvBgbbKind);
}

Datum
bgbb_log_likelihood(PG_FUNCTION_ARGS)
{
	return ModelLogLikelihood(fcinfo, &ClvBgbbKind);
}

Datum
bgbb_customers(PG_FUNCTION_ARGS)
{
	ModelValues v;

	ClvModelRead(&ClvBgbbKind, PG_GETARG_POINTER(0), &v);
	PG_RETURN_INT64(v.customers);
}

Datum
bgbb_converged(PG_FUNCTION_ARGS)
{
	ModelValues v;

	ClvModelRead(&ClvBgbbKind, PG_GETARG_POINTER(0), &v);
	PG_RETURN_BOOL(v.converged);
}


#define FIT_INITIAL_ENTRIES 1024
#define FIT_MAX_ENTRIES ((int32) (MaxAllocHugeSize / sizeof(FitEntry) / 2 > PG_INT32_MAX / 2 ? \
								  PG_INT32_MAX / 2 : MaxAllocHugeSize / sizeof(FitEntry) / 2))
/* 2 (1.3.0): the penalizer; states are transient, so only the newest is read */
#define FIT_SERIAL_VERSION 2
#define FIT_STATE_NAME "model fit state"

static int
FitEntryCmp(const void *a, const void *b)
{
	const FitEntry *x = a;
	const FitEntry *y = b;
	int			i;

	for (i = 0; i < 3; i++)
		if (x->k[i] != y->k[i])
			return x->k[i] < y->k[i] ? -1 : 1;
	return 0;
}

/* *count += more, or 22003 */
static void
FitCount(int64 *count, int64 more)
{
	if (pg_add_s64_overflow(*count, more, count))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("bigint out of range"),
				 errdetail("Too many customers for one model fit.")));
}

/* Drop the index of the entries, when they move or others are appended */
static void
FitIndexDrop(FitState *st)
{
	if (st->index != NULL)
		pfree(st->index);
	st->index = NULL;
}

/* Sort the entries and merge equal ones */
void
ClvFitCollapse(FitState *st)
{
	int32		i,
				n = 0;

	FitIndexDrop(st);
	qsort(st->entries, st->nentries, sizeof(FitEntry), FitEntryCmp);
	for (i = 0; i < st->nentries; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (n > 0 && FitEntryCmp(&st->entries[n - 1], &st->entries[i]) == 0)
			FitCount(&st->entries[n - 1].count, st->entries[i].count);
		else
			st->entries[n++] = st->entries[i];
	}
	st->nentries = n;
}

/* Room for needed entries: nalloc of them, at most FIT_MAX_ENTRIES */
static void
FitGrow(FitState *st, int64 needed, int64 nalloc)
{
	if (needed > FIT_MAX_ENTRIES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct RFM summaries for one model fit")));
	st->nalloc = (int32) Min(nalloc, FIT_MAX_ENTRIES);
	st->entries = repalloc_huge(st->entries, sizeof(FitEntry) * st->nalloc);
}

/* Room for more entries merged from another state */
static void
FitReserve(FitState *st, int32 more)
{
	if ((int64) st->nentries + more <= st->nalloc)
		return;
	ClvFitCollapse(st);
	if ((int64) st->nentries + more <= st->nalloc / 2)
		return;
	FitGrow(st, (int64) st->nentries + more, (int64) 2 * (st->nentries + more));
}

static FitState *
FitStateCreate(MemoryContext cxt, int32 kind, int32 nalloc)
{
	FitState   *st = MemoryContextAlloc(cxt, sizeof(FitState));

	st->kind = kind;
	st->nentries = 0;
	st->index = NULL;
	st->mask = 0;
	st->penalizer = 0.0;
	st->nalloc = Max(nalloc, FIT_INITIAL_ENTRIES);
	st->entries = MemoryContextAllocHuge(cxt, sizeof(FitEntry) * st->nalloc);
	return st;
}

/*
 * The hash of an entry's values; -0 and 0, equal to FitEntryCmp, hash
 * alike (x + 0.0 is +0 for both).
 */
static uint32
FitEntryHash(double k1, double k2, double k3)
{
	double		k[3] = {k1 + 0.0, k2 + 0.0, k3 + 0.0};
	uint64		bits[3];

	memcpy(bits, k, sizeof(bits));
	return KpiHash64(bits[0] ^
					 ((uint64) KpiHash64(bits[1] ^
										 ((uint64) KpiHash64(bits[2]) << 32)) << 32));
}

/*
 * A new index of the entries, with at least twice nalloc buckets so that it
 * is at most half full.  Entries merged from other states may be equal to
 * others; each gets its own bucket (the sort merges them), and rows find
 * the first.
 */
static void
FitIndexBuild(FitState *st)
{
	uint64		buckets = pg_nextpower2_64((uint64) 2 * st->nalloc);
	int32		i;

	FitIndexDrop(st);
	st->index = MemoryContextAllocExtended(GetMemoryChunkContext(st->entries),
										   sizeof(uint32) * buckets,
										   MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	st->mask = (uint32) (buckets - 1);
	for (i = 0; i < st->nentries; i++)
	{
		const FitEntry *e = &st->entries[i];
		uint32		b = FitEntryHash(e->k[0], e->k[1], e->k[2]) & st->mask;

		while (st->index[b] != 0)
			b = (b + 1) & st->mask;
		st->index[b] = (uint32) i + 1;
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
}

/*
 * One customer's values: 1 more on their entry, or a new entry.  Equal
 * customers are many (a million customers are ~10^5 distinct entries), so
 * one hash probe per row replaces sorting the appended rows.
 */
static void
FitAdd(FitState *st, double k1, double k2, double k3)
{
	uint32		h = FitEntryHash(k1, k2, k3),
				b;
	uint32		j;
	FitEntry   *e;

	if (st->index == NULL)
		FitIndexBuild(st);
	for (b = h & st->mask; (j = st->index[b]) != 0; b = (b + 1) & st->mask)
	{
		e = &st->entries[j - 1];
		if (e->k[0] == k1 && e->k[1] == k2 && e->k[2] == k3)
		{
			FitCount(&e->count, 1);
			return;
		}
	}
	if (st->nentries == st->nalloc)
	{
		/* entries added one by one are distinct: no collapse, only more room */
		FitGrow(st, (int64) st->nentries + 1, (int64) 2 * st->nalloc);
		FitIndexBuild(st);
		for (b = h & st->mask; st->index[b] != 0; b = (b + 1) & st->mask)
			;
	}
	e = &st->entries[st->nentries++];
	e->k[0] = k1;
	e->k[1] = k2;
	e->k[2] = k3;
	e->count = 1;
	st->index[b] = (uint32) st->nentries;
}

/*
 * The state of this row, created by the first one; penalizer_arg is the
 * argument number of the penalizer of the penalized aggregates, or 0.
 */
static FitState *
FitGetState(FunctionCallInfo fcinfo, int32 kind, int penalizer_arg)
{
	MemoryContext aggcxt = KpiAggContext(fcinfo);
	double		c = penalizer_arg > 0 ? ClvPenalizerArg(fcinfo, penalizer_arg) : 0.0;
	FitState   *st;

	if (PG_ARGISNULL(0))
	{
		st = FitStateCreate(aggcxt, kind, 0);
		st->penalizer = c;
		return st;
	}
	st = (FitState *) PG_GETARG_POINTER(0);
	ClvPenalizerSame(st->penalizer, c);
	return st;
}

/*
 * The penalizer argument of a row: finite and >= 0 (22023), not NULL
 * (22004).
 */
double
ClvPenalizerArg(FunctionCallInfo fcinfo, int argno)
{
	double		c;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("penalizer must not be NULL"),
				 errhint("Use 0 for an unpenalized fit.")));
	c = PG_GETARG_FLOAT8(argno);
	if (!isfinite(c) || !(c >= 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("penalizer %g is invalid", c),
				 errhint("The penalizer is a finite number >= 0 (0: no penalty).")));
	return c;
}

/*
 * One fit has one penalizer: the rows' (or merged states') must agree
 * (22023); the message names both, the smaller first (the rows' order is
 * not the user's).
 */
void
ClvPenalizerSame(double have, double row)
{
	if (have != row)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("penalizer changed within one model fit: %g and %g",
						Min(have, row), Max(have, row)),
				 errhint("Give the same penalizer on every row.")));
}

/*
 * f plus the L2 penalty weight sum exp(2 theta_i) (see ClvPenalty); an
 * infinite or NaN f (outside the search box) stays as it is.
 */
double
ClvPenalizedObjective(const double *theta, void *arg)
{
	const ClvPenalty *pen = arg;
	double		value = pen->f(theta, pen->arg),
				sum = 0.0;
	int			i;

	if (!isfinite(value))
		return value;
	for (i = 0; i < pen->n; i++)
		sum += exp(2 * theta[i]);
	return value + pen->weight * sum;
}

/* clv_fit_state_accum_bgnbd(state, rfm_summary): every customer counts */
Datum
clv_fit_state_accum_bgnbd(PG_FUNCTION_ARGS)
{
	FitState   *st = FitGetState(fcinfo, FIT_BGNBD, PG_NARGS() > 2 ? 2 : 0);

	if (!PG_ARGISNULL(1))
	{
		RfmSummary *s = RfmGetArg(fcinfo, 1);

		FitAdd(st, (double) s->frequency, s->recency, s->age);
	}
	PG_RETURN_POINTER(st);
}

/*
 * clv_fit_state_accum_gamma_gamma(state, rfm_summary): repeat buyers only (x > 0), as
 * the model is of the mean of the repeat purchases' values, which must be
 * positive.
 */
Datum
clv_fit_state_accum_gamma_gamma(PG_FUNCTION_ARGS)
{
	FitState   *st = FitGetState(fcinfo, FIT_GAMMA_GAMMA, PG_NARGS() > 2 ? 2 : 0);

	if (!PG_ARGISNULL(1))
	{
		RfmSummary *s = RfmGetArg(fcinfo, 1);

		if (s->frequency > 0)
		{
			if (!(s->monetary > 0))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("monetary value %g of a repeat buyer is not positive",
								s->monetary),
						 errhint("The Gamma-Gamma model needs positive mean spend; filter out customers whose refunds outweigh their purchases.")));
			FitAdd(st, (double) s->frequency, s->monetary, 0.0);
		}
	}
	PG_RETURN_POINTER(st);
}

/*
 * clv_fit_state_accum_bgnbd_penalized(state, rfm_summary, penalizer) and
 * clv_fit_state_accum_gamma_gamma_penalized: the same, with the penalizer of
 * the fit (the same on every row)
 */
Datum
clv_fit_state_accum_bgnbd_penalized(PG_FUNCTION_ARGS)
{
	return clv_fit_state_accum_bgnbd(fcinfo);
}

Datum
clv_fit_state_accum_gamma_gamma_penalized(PG_FUNCTION_ARGS)
{
	return clv_fit_state_accum_gamma_gamma(fcinfo);
}

/* An empty state of the kind and penalizer of like, with room for its entries */
static void *
FitCreateLike(MemoryContext cxt, const void *like)
{
	FitState   *st = FitStateCreate(cxt, ((const FitState *) like)->kind,
									((const FitState *) like)->nentries);

	st->penalizer = ((const FitState *) like)->penalizer;
	return st;
}

/* Append the entries of b to a (a KpiMergeStates) */
static void
FitMerge(void *into, const void *from)
{
	FitState   *a = into;
	const FitState *b = from;

	if (a->kind != b->kind)
		elog(ERROR, "cannot combine model fit states of kinds %d and %d", a->kind, b->kind);
	ClvPenalizerSame(a->penalizer, b->penalizer);
	FitReserve(a, b->nentries);
	FitIndexDrop(a);
	memcpy(a->entries + a->nentries, b->entries, sizeof(FitEntry) * b->nentries);
	a->nentries += b->nentries;
}

Datum
clv_fit_state_combine(PG_FUNCTION_ARGS)
{
	return KpiCombineInternal(fcinfo, FitCreateLike, FitMerge);
}

/*
 * Serialized: int8 version, int8 kind, float8 penalizer, int32 n,
 * n * (3 float8, int64 count)
 */
Datum
clv_fit_state_serialize(PG_FUNCTION_ARGS)
{
	FitState   *st = (FitState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int32		i;

	KpiSendVersion(&buf, FIT_SERIAL_VERSION);
	pq_sendbyte(&buf, st->kind);
	pq_sendfloat8(&buf, st->penalizer);
	pq_sendint32(&buf, st->nentries);
	for (i = 0; i < st->nentries; i++)
	{
		pq_sendfloat8(&buf, st->entries[i].k[0]);
		pq_sendfloat8(&buf, st->entries[i].k[1]);
		pq_sendfloat8(&buf, st->entries[i].k[2]);
		pq_sendint64(&buf, st->entries[i].count);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
clv_fit_state_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcxt = KpiAggContext(fcinfo);
	StringInfoData buf;
	FitState   *st;
	int			kind;
	double		penalizer;
	int32		n,
				i;

	KpiReadBuffer(&buf, bytes);
	KpiRecvVersion(&buf, FIT_STATE_NAME, FIT_SERIAL_VERSION);
	KpiRecvNeed(&buf, FIT_STATE_NAME, 9, false);
	kind = pq_getmsgbyte(&buf);
	if (kind != FIT_BGNBD && kind != FIT_GAMMA_GAMMA)
		KpiBinaryInputError(FIT_STATE_NAME, "The model kind %d is unknown.", kind);
	penalizer = pq_getmsgfloat8(&buf);
	if (!isfinite(penalizer) || !(penalizer >= 0))
		KpiBinaryInputError(FIT_STATE_NAME, "The penalizer %g is out of range.", penalizer);
	n = (int32) KpiRecvCount(&buf, FIT_STATE_NAME, 4, FIT_MAX_ENTRIES, 32);
	KpiRecvNeed(&buf, FIT_STATE_NAME, (int64) n * 32, true);
	st = FitStateCreate(aggcxt, kind, n);
	st->penalizer = penalizer;
	for (i = 0; i < n; i++)
	{
		FitEntry   *e = &st->entries[i];

		e->k[0] = pq_getmsgfloat8(&buf);
		e->k[1] = pq_getmsgfloat8(&buf);
		e->k[2] = pq_getmsgfloat8(&buf);
		e->count = pq_getmsgint64(&buf);
		/* what the transition functions add: valid RFM values, counts >= 1 */
		if (!(e->k[0] >= 0) || !isfinite(e->k[0]) || !(e->k[1] >= 0) ||
			!isfinite(e->k[1]) || !(e->k[2] >= 0) || !isfinite(e->k[2]) ||
			e->count < 1)
			KpiBinaryInputError(FIT_STATE_NAME, "Entry %d is out of range.", i);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	st->nentries = n;
	KpiRecvEnd(&buf, FIT_STATE_NAME);
	PG_RETURN_POINTER(st);
}


/*----
 * BG/NBD log-likelihood (Fader, Hardie & Lee 2005, eq. 6), per customer
 *		ln L = A1 + A2 + ln(exp(A3) + [x > 0] exp(A4))
 *		A1 = ln G(r + x) - ln G(r) + r ln(alpha)
 *		A2 = ln G(a + b) + ln G(b + x) - ln G(b) - ln G(a + b + x)
 *		A3 = -(r + x) ln(alpha + T)
 *		A4 = ln(a) - ln(b + x - 1) - (r + x) ln(alpha + t_x)
 * with the sum of the two exponentials in log-sum-exp form.
 *
 * Each evaluation runs over every distinct entry, so what does not depend
 * on the entry is computed once: entries are sorted by x, and the
 * x-dependent terms are computed when x changes; ln(alpha + T) and
 * ln(alpha + t_x) are computed once per distinct T and t_x (a cohort has a
 * few hundred of each, against up to ~10^5 distinct entries), leaving one
 * exp and one log1p per entry.
 */
typedef struct BgnbdData
{
	FitState   *st;
	int32		nages;
	int32		nrecencies;
	double	   *ages;			/* distinct T, ascending */
	double	   *recencies;		/* distinct t_x, ascending */
	int32	   *age_index;		/* per entry: its T in ages */
	int32	   *recency_index;	/* per entry: its t_x in recencies */
	double	   *log_ages;		/* scratch: ln(alpha + T) */
	double	   *log_recencies;	/* scratch: ln(alpha + t_x) */
} BgnbdData;

static int
DoubleCmp(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

/* The distinct values of column k of the entries, ascending; returns count */
int32
ClvFitDistinctValues(const FitState *st, int k, double **values)
{
	double	   *v = palloc_extended(sizeof(double) * Max(st->nentries, 1), MCXT_ALLOC_HUGE);
	int32		i,
				n = 0;

	for (i = 0; i < st->nentries; i++)
		v[i] = st->entries[i].k[k];
	qsort(v, st->nentries, sizeof(double), DoubleCmp);
	CHECK_FOR_INTERRUPTS();
	for (i = 0; i < st->nentries; i++)
		if (n == 0 || v[n - 1] != v[i])
			v[n++] = v[i];
	*values = v;
	return n;
}

/* The index of each entry's column k in values (where it is, by bsearch) */
int32 *
ClvFitValueIndexes(const FitState *st, int k, const double *values, int32 n)
{
	int32	   *index = palloc_extended(sizeof(int32) * Max(st->nentries, 1), MCXT_ALLOC_HUGE);
	int32		i;

	for (i = 0; i < st->nentries; i++)
	{
		const double *found = bsearch(&st->entries[i].k[k], values, n,
									  sizeof(double), DoubleCmp);

		Assert(found != NULL);
		index[i] = (int32) (found - values);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return index;
}

static void
BgnbdPrepare(BgnbdData *d, FitState *st)
{
	d->st = st;
	d->nrecencies = ClvFitDistinctValues(st, 1, &d->recencies);
	d->nages = ClvFitDistinctValues(st, 2, &d->ages);
	d->recency_index = ClvFitValueIndexes(st, 1, d->recencies, d->nrecencies);
	d->age_index = ClvFitValueIndexes(st, 2, d->ages, d->nages);
	d->log_recencies = palloc_extended(sizeof(double) * d->nrecencies, MCXT_ALLOC_HUGE);
	d->log_ages = palloc_extended(sizeof(double) * d->nages, MCXT_ALLOC_HUGE);
}

static double
LogAddExp(double u, double v)
{
	double		hi = Max(u, v);

	return hi + log1p(exp(Min(u, v) - hi));
}

/* Is theta outside the search box: beyond FIT_BOX of the start, or FIT_MAX_LOG of 0 */
bool
ClvFitOutOfBounds(const FitState *st, const double *theta, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		if (!(fabs(theta[i] - st->start[i]) <= FIT_BOX) ||
			!(fabs(theta[i]) <= FIT_MAX_LOG))
			return true;
	return false;
}

static double
BgnbdNegLogLik(const double *theta, void *arg)
{
	BgnbdData  *d = arg;
	const FitState *st = d->st;
	double		r,
				alpha,
				a,
				b,
				ll = 0.0,
				base,
				x_prev = -1,
				a12 = 0.0,
				a4_base = 0.0,
				rx = 0.0;
	int32		i;

	if (ClvFitOutOfBounds(st, theta, 4))
		return get_float8_infinity();
	r = exp(theta[0]);
	alpha = exp(theta[1]);
	a = exp(theta[2]);
	b = exp(theta[3]);
	base = -lgamma(r) + r * theta[1] + lgamma(a + b) - lgamma(b);
	for (i = 0; i < d->nages; i++)
		d->log_ages[i] = ClvLogSum(alpha, d->ages[i]);
	for (i = 0; i < d->nrecencies; i++)
		d->log_recencies[i] = ClvLogSum(alpha, d->recencies[i]);

	for (i = 0; i < st->nentries; i++)
	{
		double		x = st->entries[i].k[0],
					a3,
					lc;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (x != x_prev)
		{
			a12 = base + lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x);
			a4_base = x > 0 ? theta[2] - log(b + x - 1) : 0.0;
			rx = r + x;
			x_prev = x;
		}
		a3 = -rx * d->log_ages[d->age_index[i]];
		if (x > 0)
			lc = LogAddExp(a3, a4_base - rx * d->log_recencies[d->recency_index[i]]);
		else
			lc = a3;
		ll += st->entries[i].count * (a12 + lc);
	}
	return -ll;
}

/*----
 * Gamma-Gamma log-likelihood of a repeat buyer's mean spend m over x
 * repeat purchases (Fader & Hardie 2013, eq. 4; lifetimes' GammaGammaFitter):
 *		ln f = ln G(px + q) - ln G(px) - ln G(q) + q ln(gamma)
 *			   + (px - 1) ln m + px ln x - (px + q) ln(gamma + m x)
 * ln m is computed once per entry, the gamma terms once per x.
 */
typedef struct GammaGammaData
{
	FitState   *st;
	double	   *log_spend;		/* per entry: ln m */
} GammaGammaData;

static double
GammaGammaNegLogLik(const double *theta, void *arg)
{
	GammaGammaData *d = arg;
	const FitState *st = d->st;
	double		p,
				q,
				g,
				ll = 0.0,
				base,
				x_prev = -1,
				px = 0.0,
				gx = 0.0,
				log_x = 0.0;
	int32		i;

	if (ClvFitOutOfBounds(st, theta, 3))
		return get_float8_infinity();
	p = exp(theta[0]);
	q = exp(theta[1]);
	g = exp(theta[2]);
	base = -lgamma(q) + q * theta[2];
	for (i = 0; i < st->nentries; i++)
	{
		double		x = st->entries[i].k[0],
					gmx = g + st->entries[i].k[1] * x;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (x != x_prev)
		{
			px = p * x;
			log_x = log(x);
			gx = base + lgamma(px + q) - lgamma(px) + px * log_x;
			x_prev = x;
		}
		/* ln(gamma + m x), also where m x overflows */
		gmx = isfinite(gmx) ? log(gmx) :
			LogAddExp(theta[2], d->log_spend[i] + log_x);
		ll += st->entries[i].count *
			(gx + (px - 1) * d->log_spend[i] - (px + q) * gmx);
	}
	return -ll;
}

/*
 * ClvFitModel
 *		Minimise f (whose argument arg refers to st) over the log-parameters
 *		from theta; fills v.  The fit is reported converged only if the
 *		simplex converged in the interior (a parameter running off to 0 or
 *		infinity means the data do not identify the model, e.g. no repeat
 *		purchases at all, one customer).  With a penalizer c > 0 it
 *		minimises f plus the L2 penalty c N sum p_i^2 (ClvPenalty), and
 *		v's log-likelihood is the unpenalized one, -f, at that optimum;
 *		with c = 0 the search is f's own, unchanged.
 */
void
ClvFitModel(FitState *st, KpiObjective f, void *arg, double *theta, int n, ModelValues *v)
{
	KpiOptimResult res;
	int64		customers = 0;
	int32		i;
	ClvPenalty	pen;

	for (i = 0; i < n; i++)
		theta[i] = Max(Min(theta[i], FIT_MAX_LOG - FIT_BOX), -(FIT_MAX_LOG - FIT_BOX));
	memcpy(st->start, theta, sizeof(double) * n);
	for (i = 0; i < st->nentries; i++)
		FitCount(&customers, st->entries[i].count);

	if (st->penalizer > 0)
	{
		pen.f = f;
		pen.arg = arg;
		pen.weight = st->penalizer * (double) customers;
		pen.n = n;
		res = KpiNelderMead(ClvPenalizedObjective, &pen, theta, n, 0.5, FIT_TOL, FIT_MAX_ITER);
		if (isfinite(res.value))
			res.value = f(theta, arg);
	}
	else
		res = KpiNelderMead(f, arg, theta, n, 0.5, FIT_TOL, FIT_MAX_ITER);
	/* the search's cost, for profiling (bench/README.md) */
	elog(DEBUG1, "model fit over %d entries: %d iterations, %d likelihood evaluations",
		 st->nentries, res.iterations, res.evaluations);
	if (!isfinite(res.value) || ClvFitOutOfBounds(st, theta, n))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("model fit found no finite likelihood"),
				 errhint("Check the scale of the RFM summaries.")));
	memset(v, 0, sizeof(ModelValues));
	v->customers = customers;
	v->converged = res.converged;
	for (i = 0; i < n; i++)
	{
		v->params[i] = exp(theta[i]);
		if (fabs(theta[i] - st->start[i]) > FIT_BOX - 1 ||
			fabs(theta[i]) > FIT_MAX_LOG - 1)
			v->converged = false;
	}
	v->log_likelihood = -res.value;
}

/*
 * ln of the count-weighted mean of column k of the entries (all >= 0), or
 * of tiny if that is 0: the search's start, without overflowing the sum.
 */
double
ClvFitLogMean(const FitState *st, int k, double tiny)
{
	double		hi = 0.0,
				sum = 0.0;
	int64		n = 0;
	int32		i;

	for (i = 0; i < st->nentries; i++)
	{
		hi = Max(hi, st->entries[i].k[k]);
		sum += st->entries[i].k[k] * st->entries[i].count;
		FitCount(&n, st->entries[i].count);
	}
	if (isfinite(sum))
		return log(Max(sum / n, tiny));
	/* the sum overflowed: scale by the largest value */
	sum = 0.0;
	for (i = 0; i < st->nentries; i++)
		sum += st->entries[i].k[k] / hi * ((double) st->entries[i].count / n);
	return log(hi) + log(Max(sum, tiny / hi));
}

/*
 * The BG/NBD fit of the state's customers (at least one): the model into v,
 * the log-parameters into theta, the likelihood's data into data.  The
 * fit sorts and merges the state's entries in place, which leaves its
 * meaning unchanged.
 */
static void
BgnbdFitState(FitState *st, BgnbdData *data, ModelValues *v, double *theta)
{
	/* start at r = a = b = 1 and alpha at the customers' mean age */
	ClvFitCollapse(st);
	theta[0] = theta[2] = theta[3] = 0.0;
	theta[1] = ClvFitLogMean(st, 2, 1e-6);
	BgnbdPrepare(data, st);
	ClvFitModel(st, BgnbdNegLogLik, data, theta, 4, v);
	/* customers of age 0 only: the likelihood is 1 whatever the parameters */
	if (data->nages == 1 && data->ages[0] == 0)
		v->converged = false;
}

/* The Gamma-Gamma fit of the state's repeat buyers (at least one) */
static void
GammaGammaFitState(FitState *st, GammaGammaData *data, ModelValues *v, double *theta)
{
	int32		i;

	/* start at p = q = 1 and gamma at the mean spend */
	ClvFitCollapse(st);
	theta[0] = theta[1] = 0.0;
	theta[2] = ClvFitLogMean(st, 1, DBL_MIN);
	data->st = st;
	data->log_spend = palloc_extended(sizeof(double) * st->nentries, MCXT_ALLOC_HUGE);
	for (i = 0; i < st->nentries; i++)
		data->log_spend[i] = log(st->entries[i].k[1]);
	ClvFitModel(st, GammaGammaNegLogLik, data, theta, 3, v);
}

/* The state of a fit's final function, or NULL when it has no entry */
FitState *
ClvFitFinalState(FunctionCallInfo fcinfo)
{
	FitState   *st;

	if (PG_ARGISNULL(0))
		return NULL;
	st = (FitState *) PG_GETARG_POINTER(0);
	return st->nentries > 0 ? st : NULL;
}

/* bgnbd_fit_final: NULL for no customers */
Datum
bgnbd_fit_final(PG_FUNCTION_ARGS)
{
	FitState   *st = ClvFitFinalState(fcinfo);
	BgnbdData	data;
	ModelValues v;
	double		theta[4];

	if (st == NULL)
		PG_RETURN_NULL();
	BgnbdFitState(st, &data, &v, theta);
	PG_RETURN_POINTER(ClvModelMake(&ClvBgnbdKind, &v));
}

/* gamma_gamma_fit_final: NULL when there is no repeat buyer */
Datum
gamma_gamma_fit_final(PG_FUNCTION_ARGS)
{
	FitState   *st = ClvFitFinalState(fcinfo);
	GammaGammaData data;
	ModelValues v;
	double		theta[3];

	if (st == NULL)
		PG_RETURN_NULL();
	GammaGammaFitState(st, &data, &v, theta);
	PG_RETURN_POINTER(ClvModelMake(&ClvGammaGammaKind, &v));
}

/*
 * The standard errors of the fit v at the log-parameters theta of f
 * (KpiStdErrors).  A penalized fit's (penalizer c > 0) are from the Hessian
 * of the penalized objective f + c N sum p_i^2 at its optimum, as lifetimes
 * computes them (the Hessian of its penalized mean negative log-likelihood).
 */
Datum
ClvFitStdErrors(KpiObjective f, void *arg, const double *theta, const ModelValues *v, int n,
				double penalizer)
{
	ClvPenalty	pen = {f, arg, penalizer * (double) v->customers, n};

	if (penalizer > 0)
		return KpiStdErrors(ClvPenalizedObjective, &pen, theta, v->params, n, v->converged,
							FIT_HESSIAN_STEP);
	return KpiStdErrors(f, arg, theta, v->params, n, v->converged, FIT_HESSIAN_STEP);
}

/* bgnbd_std_errors_final: the fit of bgnbd_fit, its standard errors */
Datum
bgnbd_std_errors_final(PG_FUNCTION_ARGS)
{
	FitState   *st = ClvFitFinalState(fcinfo);
	BgnbdData	data;
	ModelValues v;
	double		theta[4];

	if (st == NULL)
		PG_RETURN_NULL();
	BgnbdFitState(st, &data, &v, theta);
	return ClvFitStdErrors(BgnbdNegLogLik, &data, theta, &v, 4, st->penalizer);
}

/* gamma_gamma_std_errors_final: the fit of gamma_gamma_fit, its standard errors */
Datum
gamma_gamma_std_errors_final(PG_FUNCTION_ARGS)
{
	FitState   *st = ClvFitFinalState(fcinfo);
	GammaGammaData data;
	ModelValues v;
	double		theta[3];

	if (st == NULL)
		PG_RETURN_NULL();
	GammaGammaFitState(st, &data, &v, theta);
	return ClvFitStdErrors(GammaGammaNegLogLik, &data, theta, &v, 3, st->penalizer);
}
