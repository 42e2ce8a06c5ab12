/*-------------------------------------------------------------------------
 *
 * clv_fit.h
 *	  The fitting kit of clv_fit.c, shared with the other fits over the
 *	  same state (clv_pareto.c): the state of collapsed RFM entries and the
 *	  steps of a maximum-likelihood fit over it.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CRM_KPI_CLV_FIT_H
#define CRM_KPI_CLV_FIT_H

#include "clv.h"

/*
 * Fitting state: a bag of (k1, k2, k3) entries with counts, in the aggregate
 * context.  BG/NBD entries are (x, t_x, T); Gamma-Gamma entries (x, m, 0).
 * A row finds its entry through a hash index and adds 1 to its count, or
 * appends a new entry.  Merged states append their entries as they are;
 * when the array is full those are sorted and equal ones merged, and the
 * array grows only if that freed less than half of it.  Sorting reorders
 * the entries, so it drops the index, which the next row rebuilds.
 */
typedef struct FitEntry
{
	double		k[3];
	int64		count;
} FitEntry;

typedef enum FitKind
{
	FIT_BGNBD = 1,
	FIT_GAMMA_GAMMA = 2
} FitKind;

typedef struct FitState
{
	int32		kind;			/* FitKind */
	int32		nentries;
	int32		nalloc;
	FitEntry   *entries;
	uint32	   *index;			/* entry + 1 per bucket (0: empty), or NULL */
	uint32		mask;			/* the index's buckets - 1 */
	double		penalizer;		/* c of the L2 penalty (0: none), the same on every row */
	double		start[KPI_MAX_PARAMS];	/* of the final function's search */
} FitState;

/*
 * The L2 penalty of lifetimes' penalizer_coef: c times the sum of the
 * squared parameters, added to the mean negative log-likelihood over the
 * customers, hence c N sum p_i^2 (weight = c N) added to the total that the
 * fits minimise over the log-parameters theta (p_i = exp(theta_i)).
 * ClvPenalizedObjective is f plus that penalty, for KpiNelderMead and
 * KpiHessianInverse (arg: a ClvPenalty).
 */
typedef struct ClvPenalty
{
	KpiObjective f;
	void	   *arg;
	double		weight;			/* c N */
	int			n;
} ClvPenalty;

extern double ClvPenalizedObjective(const double *theta, void *arg);
extern double ClvPenalizerArg(FunctionCallInfo fcinfo, int argno);
extern void ClvPenalizerSame(double have, double row);

/* the distinct values of column k of the entries (ascending) and each entry's index in them */
extern int32 ClvFitDistinctValues(const FitState *st, int k, double **values);
extern int32 *ClvFitValueIndexes(const FitState *st, int k, const double *values, int32 n);
extern bool ClvFitOutOfBounds(const FitState *st, const double *theta, int n);
extern void ClvFitCollapse(FitState *st);
extern double ClvFitLogMean(const FitState *st, int k, double tiny);
extern void ClvFitModel(FitState *st, KpiObjective f, void *arg, double *theta, int n,
						ModelValues *v);
extern FitState *ClvFitFinalState(FunctionCallInfo fcinfo);
extern Datum ClvFitStdErrors(KpiObjective f, void *arg, const double *theta,
							 const ModelValues *v, int n, double penalizer);

#endif							/* CRM_KPI_CLV_FIT_H */
