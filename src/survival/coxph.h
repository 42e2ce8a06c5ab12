/*-------------------------------------------------------------------------
 *
 * coxph.h
 *	  The coxph_model type and the fit of Cox proportional hazards models,
 *	  shared by coxph_io.c (the type and its I/O), coxph.c (the aggregate),
 *	  coxph_fit.c (Newton-Raphson on the partial likelihood, the baseline
 *	  hazard and the concordance) and coxph_predict.c (the accessors).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CRM_KPI_COXPH_H
#define CRM_KPI_COXPH_H

#include "fmgr.h"

#define COXPH_FORMAT_VERSION	1
#define COXPH_MAX_COVARIATES	100		/* p: the fit costs p^2 per row and
										 * iteration */
#define COXPH_MAX_ITERATIONS	20		/* R coxph.control's iter.max */
#define COXPH_EPS				1e-9	/* R coxph.control's eps */
#define COXPH_MAX_NAME			NAMEDATALEN	/* bytes of a covariate name */

#define COXPH_TIES_EFRON	0
#define COXPH_TIES_BRESLOW	1

/*
 * The stored model: a fixed header, then the doubles, then the covariate
 * names (p NUL-terminated strings) if has_names.  The text and binary forms
 * are independent of this layout.
 */
typedef struct CoxModel
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* COXPH_FORMAT_VERSION */
	uint8		ties;			/* COXPH_TIES_* */
	uint8		converged;
	uint8		has_names;
	int32		p;				/* covariates */
	int32		iterations;
	int32		ntimes;			/* distinct event times */
	int32		reserved;		/* zero */
	int64		n;				/* observations */
	int64		events;
	double		loglik_null;	/* log partial likelihood at beta = 0 */
	double		loglik;			/* at the fitted beta */
	double		score;			/* score (log-rank) test statistic */
	double		concordance;	/* Harrell's C; NaN without comparable pairs */
	double		data[FLEXIBLE_ARRAY_MEMBER];	/* beta[p], center[p],
												 * covariance[p * p],
												 * times[ntimes],
												 * cumhaz[ntimes], then the
												 * names */
} CoxModel;

#define COXPH_DOUBLES(p, nt)	((Size) 2 * (p) + (Size) (p) * (p) + 2 * (Size) (nt))
#define COXPH_BASE_SIZE(p, nt)	(offsetof(CoxModel, data) + COXPH_DOUBLES(p, nt) * sizeof(double))
#define COXPH_BETA(m)		((m)->data)
#define COXPH_CENTER(m)		((m)->data + (m)->p)
#define COXPH_COVAR(m)		((m)->data + 2 * (m)->p)
#define COXPH_TIMES(m)		((m)->data + 2 * (m)->p + (m)->p * (m)->p)
#define COXPH_CUMHAZ(m)		(COXPH_TIMES(m) + (m)->ntimes)
#define COXPH_NAMES(m)		((char *) ((m)->data + COXPH_DOUBLES((m)->p, (m)->ntimes)))

/*
 * The data of a fit: nrows distinct (time, event, covariates[, entry])
 * rows, each with its count; covariates row-major, nrows x p.  With entry
 * times (left truncation) a row is at risk at the times t with entry < t
 * <= time; entry is NULL without them.
 */
typedef struct CoxData
{
	int			p;
	int			ties;
	int64		nrows;
	double	   *time;
	bool	   *event;
	double	   *x;
	double	   *weight;
	double	   *entry;
} CoxData;

/*
 * The fit (coxph_fit.c), in the caller's memory context: the model's
 * numbers without its names.  Errors for no events and for a singular
 * information matrix.
 */
extern CoxModel *CoxFit(CoxData *d, const char *const *names);

/* The type (coxph_io.c) */

/* "efron", "breslow": the names of the COXPH_TIES_* */
extern const char *const CoxTiesNames[];

/* Why a model is not one this code writes, or NULL (every value checked) */
extern const char *CoxModelError(const CoxModel *m, Size size);

/* Why name (len bytes) cannot be a covariate name, or NULL */
extern const char *CoxNameError(const char *name, Size len);

/* A coxph_model argument, checked (XX001 if corrupt) */
extern CoxModel *CoxGetArg(FunctionCallInfo fcinfo, int argno);

/* The name of covariate j (0-based): its own, or x1, x2, ... */
extern const char *CoxTerm(const CoxModel *m, int j);

#endif							/* CRM_KPI_COXPH_H */
