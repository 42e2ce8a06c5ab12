/*-------------------------------------------------------------------------
 *
 * clv.h
 *	  The RFM summary of one customer, built by clv.c, and the generic view
 *	  of the BG/NBD and Gamma-Gamma models that clv_fit.c fits and
 *	  clv_predict.c reads.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CRM_KPI_CLV_H
#define CRM_KPI_CLV_H

#include "crm_kpi.h"

#define RFM_FORMAT_VERSION 1

/*
 * rfm_summary: a fixed-size value (INTERNALLENGTH 40, double aligned).  The
 * text and binary forms are independent of this layout; the version byte
 * lets a later release read values stored by this one.
 *
 * frequency = repeat purchase periods (x), recency = t_x, age = T, all times
 * in the unit the summary was built with; monetary = mean value of the
 * repeat periods (0 when x = 0).
 */
typedef struct RfmSummary
{
	uint8		version;		/* RFM_FORMAT_VERSION */
	uint8		reserved[7];	/* zero */
	int64		frequency;
	double		recency;
	double		age;
	double		monetary;
} RfmSummary;

/*
 * The BG/NBD, Pareto/NBD and Gamma-Gamma model values (clv_fit.c keeps their layout,
 * I/O and fits; clv_predict.c uses them), read and made through this generic
 * view: the parameters in their SQL order, then the fit's figures.
 */
#define MAX_MODEL_PARAMS 4

typedef struct ModelKind
{
	const char *type;			/* SQL type name */
	int			nparams;
	const char *names[MAX_MODEL_PARAMS];
} ModelKind;

typedef struct ModelValues
{
	double		params[MAX_MODEL_PARAMS];
	double		log_likelihood;
	int64		customers;
	bool		converged;
} ModelValues;

extern const ModelKind ClvBgnbdKind;	/* r, alpha, a, b */
extern const ModelKind ClvGammaGammaKind;	/* p, q, gamma */
extern const ModelKind ClvParetoNbdKind;	/* r, alpha, s, beta */
extern const ModelKind ClvBgbbKind;	/* alpha, beta, gamma, delta (clv_bgbb.c) */

extern void *ClvModelMake(const ModelKind *kind, const ModelValues *v);
extern void ClvModelRead(const ModelKind *kind, const void *value, ModelValues *v);
extern void ClvModelReadForPrediction(const ModelKind *kind, const void *value,
									  ModelValues *v);

/* E[Y(t) | x, t_x, T] of a BG/NBD model (FHL 2005 eq. 10), clv_predict.c */
extern double BgnbdConditionalExpectation(const ModelValues *m, const RfmSummary *s,
										  double t);

/* E[Y(t) | x, t_x, T] of a Pareto/NBD model (FHL 2005 note, eq. 41), clv_pareto.c */
extern double ParetoNbdConditionalExpectation(const ModelValues *m, const RfmSummary *s,
											  double t);

/* E[X(t)] of a new customer: BG/NBD (FHL 2005 eq. 9), Pareto/NBD (note, eq. 9) */
extern double BgnbdExpectation(const ModelValues *m, double t);
extern double ParetoNbdExpectation(const ModelValues *m, double t);

extern const char *RfmError(int64 frequency, double recency, double age,
							double monetary);
extern RfmSummary *RfmGetArg(FunctionCallInfo fcinfo, int argno);
/* A prediction's horizon argument: finite, >= 0 (22023; clv_predict.c) */
extern double ClvHorizonArg(FunctionCallInfo fcinfo, int argno);

/* ln(u + v) for u > 0, v >= 0, also where u + v overflows */
static inline double
ClvLogSum(double u, double v)
{
	double		hi = Max(u, v),
				lo = Min(u, v);

	return log(hi) + log1p(lo / hi);
}

#endif							/* CRM_KPI_CLV_H */
