/*-------------------------------------------------------------------------
 *
 * coxph_fit.c
 *	  The fit of a Cox proportional hazards model to (time, event,
 *	  covariates) rows, as R survival's coxph computes it (coxfit6.c):
 *	  Newton-Raphson on the log partial likelihood from beta = 0, step-halving
 *	  when it falls, converged when |1 - LL_old / LL_new| <= 1e-9, at most 20
 *	  iterations; Efron's or Breslow's handling of tied event times.  Then the
 *	  baseline cumulative hazard as R's survfit.coxph gives it for the same
 *	  ties method, and Harrell's concordance as R's concordance() counts it.
 *
 * For tied event times t with d deaths, the risk set R(t) (time >= t) and
 * risk r_i = exp(beta'x_i):
 *
 *	Breslow:  LL += sum_{i dies at t} beta'x_i - d log S0
 *	Efron:	  LL += sum_{i dies at t} beta'x_i - sum_{k=0}^{d-1} log(S0 - k/d D0)
 *
 * with S0 the sum of r_i over R(t) and D0 over the deaths at t; the score U
 * and information I follow by differentiation (S1, S2, D1, D2: the sums of
 * r_i x_i and r_i x_i x_i').  A row of the data stands for its count of
 * identical subjects; in Efron's sum each of them is one death, as in R with
 * the rows repeated.  The sums are accumulated once per iteration from the
 * latest time backwards: O(rows p^2).  The covariates are centered at their
 * means first (as R does) so that exp(beta'x) stays in range; the
 * coefficients, the information and every test are unchanged by that.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include <math.h>

#include "common/hashfn.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/builtins.h"
#include "utils/float.h"

#include "coxph.h"

/* Arrays of one entry a row may pass 1 GB */
#define HugeAlloc(size) palloc_extended((size), MCXT_ALLOC_HUGE)

/* The data sorted by time, centered, and the work space of an iteration */
typedef struct CoxWork
{
	int			p;
	int			ties;
	int64		nrows;
	double	   *time;
	bool	   *event;
	double	   *x;				/* centered */
	double	   *weight;
	double	   *entry;			/* entry times, or NULL */
	int64	   *by_entry;		/* the rows by entry time, latest first */
	double	   *eta;			/* beta'x of each row */
	double	   *s1,
			   *s2,
			   *d1,
			   *d2,
			   *z;
} CoxWork;

/*
 * Row order: by time, then by a hash of the rest of the row (event,
 * covariates, entry), then by the rest itself.  The rows are distinct, so
 * this is a total order: every sum of the fit runs in the same order
 * whatever order the rows arrived in, and a parallel fit (states merged in
 * another order) is the serial one to the last bit.  The items carry the
 * time and the hash, so that a comparison reads no row but when two hashes
 * agree.
 */
typedef struct CoxSortItem
{
	double		time;
	uint32		hash;
	int64		row;
} CoxSortItem;

static int
CompareRows(const void *a, const void *b, void *arg)
{
	const CoxSortItem *ia = (const CoxSortItem *) a,
			   *ib = (const CoxSortItem *) b;
	const CoxData *d;
	int			j;

	if (ia->time != ib->time)
		return ia->time < ib->time ? -1 : 1;
	if (ia->hash != ib->hash)
		return ia->hash < ib->hash ? -1 : 1;
	d = (const CoxData *) arg;
	if (d->event[ia->row] != d->event[ib->row])
		return d->event[ia->row] ? 1 : -1;
	for (j = 0; j < d->p; j++)
	{
		double		xa = d->x[ia->row * d->p + j],
					xb = d->x[ib->row * d->p + j];

		if (xa != xb)
			return xa < xb ? -1 : 1;
	}
	if (d->entry && d->entry[ia->row] != d->entry[ib->row])
		return d->entry[ia->row] < d->entry[ib->row] ? -1 : 1;
	return 0;
}

/* The hash of a row but for its time */
static uint32
CoxRowHash(const CoxData *d, int64 row)
{
	uint32		h = hash_bytes((const unsigned char *) (d->x + row * d->p),
							   d->p * sizeof(double));

	if (d->event[row])
		h = hash_combine(h, 1);
	if (d->entry)
		h = hash_combine(h, hash_bytes((const unsigned char *) &d->entry[row], sizeof(double)));
	return h;
}

/* Entry order: latest first, then by position (a total order) */
typedef struct CoxEntryItem
{
	double		entry;
	int64		pos;
} CoxEntryItem;

static int
CompareEntries(const void *a, const void *b)
{
	const CoxEntryItem *ia = (const CoxEntryItem *) a,
			   *ib = (const CoxEntryItem *) b;

	if (ia->entry != ib->entry)
		return ia->entry > ib->entry ? -1 : 1;
	return ia->pos < ib->pos ? -1 : ia->pos > ib->pos ? 1 : 0;
}

/*
 * The log partial likelihood at beta, its gradient u and its negative
 * Hessian imat (either may be NULL: not wanted).  Returns NaN if a risk
 * overflows.
 */
static double
CoxLikelihood(CoxWork *w, const double *beta, double *u, double *imat)
{
	int			p = w->p;
	double		ll = 0.0,
				s0 = 0.0;
	int64		i,
				end,
				gone = 0;		/* rows of by_entry out of the risk set */
	int			j,
				k;

	for (i = 0; i < w->nrows; i++)
	{
		double		eta = 0.0;

		for (j = 0; j < p; j++)
			eta += beta[j] * w->x[i * p + j];
		w->eta[i] = eta;
	}
	memset(w->s1, 0, sizeof(double) * p);
	memset(w->s2, 0, sizeof(double) * p * p);
	if (u)
		memset(u, 0, sizeof(double) * p);
	if (imat)
		memset(imat, 0, sizeof(double) * p * p);

	/* each group of rows of one time, from the latest */
	for (end = w->nrows; end > 0;)
	{
		int64		start = end;
		double		t = w->time[end - 1],
					d0 = 0.0,
					deaths = 0.0;

		while (start > 0 && w->time[start - 1] == t)
			start--;
		CHECK_FOR_INTERRUPTS();
		memset(w->d1, 0, sizeof(double) * p);
		memset(w->d2, 0, sizeof(double) * p * p);
		for (i = start; i < end; i++)
		{
			const double *x = w->x + i * p;
			double		r = w->weight[i] * exp(w->eta[i]);

			s0 += r;
			for (j = 0; j < p; j++)
			{
				w->s1[j] += r * x[j];
				for (k = 0; k <= j; k++)
					w->s2[j * p + k] += r * x[j] * x[k];
			}
			if (!w->event[i])
				continue;
			d0 += r;
			deaths += w->weight[i];
			ll += w->weight[i] * w->eta[i];
			for (j = 0; j < p; j++)
			{
				if (u)
					u[j] += w->weight[i] * x[j];
				w->d1[j] += r * x[j];
				for (k = 0; k <= j; k++)
					w->d2[j * p + k] += r * x[j] * x[k];
			}
		}
		end = start;
		/* left truncation: the rows that enter at t or later leave */
		while (w->entry && gone < w->nrows && w->entry[w->by_entry[gone]] >= t)
		{
			const double *x;
			double		r;

			i = w->by_entry[gone++];
			x = w->x + i * p;
			r = w->weight[i] * exp(w->eta[i]);
			s0 -= r;
			for (j = 0; j < p; j++)
			{
				w->s1[j] -= r * x[j];
				for (k = 0; k <= j; k++)
					w->s2[j * p + k] -= r * x[j] * x[k];
			}
		}
		if (deaths == 0.0)
			continue;
		if (w->ties == COXPH_TIES_BRESLOW || deaths == 1.0)
		{
			ll -= deaths * log(s0);
			for (j = 0; j < p; j++)
			{
				double		zj = w->s1[j] / s0;

				if (u)
					u[j] -= deaths * zj;
				if (imat)
					for (k = 0; k <= j; k++)
						imat[j * p + k] += deaths * (w->s2[j * p + k] / s0 - zj * w->s1[k] / s0);
			}
		}
		else
		{
			int64		m,
						nd = (int64) deaths;

			for (m = 0; m < nd; m++)
			{
				double		f = (double) m / deaths,
							den = s0 - f * d0;

				if ((m & 1023) == 1023)
					CHECK_FOR_INTERRUPTS();
				ll -= log(den);
				for (j = 0; j < p; j++)
				{
					w->z[j] = (w->s1[j] - f * w->d1[j]) / den;
					if (u)
						u[j] -= w->z[j];
				}
				if (imat)
					for (j = 0; j < p; j++)
						for (k = 0; k <= j; k++)
							imat[j * p + k] += (w->s2[j * p + k] - f * w->d2[j * p + k]) / den -
								w->z[j] * w->z[k];
			}
		}
	}
	if (imat)
		for (j = 0; j < p; j++)
			for (k = 0; k < j; k++)
				imat[k * p + j] = imat[j * p + k];
	return isfinite(ll) ? ll : get_float8_nan();
}

/* Pivots below this share of their diagonal make a covariate collinear */
#define COX_CHOLESKY_TOL 1e-11

static void
CoxSingular(int column, const char *const *names, int iteration)
{
	char		label[COXPH_MAX_NAME + 32];

	if (names)
		snprintf(label, sizeof(label), "%d (%s)", column + 1, names[column]);
	else
		snprintf(label, sizeof(label), "%d", column + 1);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("coxph_fit: the information matrix is singular at covariate %s", label),
			 iteration == 0 ?
			 errdetail("The covariate is constant among the subjects at risk at the event times, or a linear combination of the covariates before it.") :
			 errdetail("The information vanished at iteration %d: a coefficient may be infinite (the events are separated by the covariates).", iteration),
			 errhint("Remove the covariate; R's coxph would report its coefficient as NA.")));
}

/* Inverse of the information (its Cholesky factor l, KpiCholesky) into v */
static void
CoxInverse(const double *l, int p, double *v)
{
	double	   *col = palloc(sizeof(double) * p);
	int			i,
				j;

	for (j = 0; j < p; j++)
	{
		for (i = 0; i < p; i++)
			col[i] = i == j ? 1.0 : 0.0;
		KpiCholeskySolve(l, p, col);
		for (i = 0; i < p; i++)
			v[i * p + j] = col[i];
	}
	/* exactly symmetric */
	for (i = 0; i < p; i++)
		for (j = 0; j < i; j++)
			v[j * p + i] = v[i * p + j] = (v[i * p + j] + v[j * p + i]) / 2;
	pfree(col);
}

/*
 * Harrell's C of the risk scores eta: over the pairs where one subject dies
 * before the other's time (or at the time the other is censored: the
 * censored one is at risk longer), the share whose earlier death has the
 * higher risk, ties in eta counting one half; deaths at the same time are
 * not compared.  As R's concordance(coxph fit), timewt "n".  Weighted rows
 * count their subjects; a Fenwick tree over the ranks of eta makes it
 * O(rows log rows).
 */
typedef struct CoxEtaRow
{
	double		eta;			/* first: KpiCompareDoubles sorts by it */
	int64		row;
} CoxEtaRow;

static double
CoxConcordance(CoxWork *w)
{
	int64		n = w->nrows,
				nranks = 0,
				gone = 0,
				i,
				end;
	CoxEtaRow  *byeta = HugeAlloc(sizeof(CoxEtaRow) * n);
	int64	   *rank = HugeAlloc(sizeof(int64) * n);
	double	   *tree;
	double		total = 0.0,
				concordant = 0.0,
				discordant = 0.0,
				tied = 0.0;

	/* the ranks of eta: (eta, row) pairs sorted by eta (their first field) */
	for (i = 0; i < n; i++)
	{
		byeta[i].eta = w->eta[i];
		byeta[i].row = i;
	}
	qsort(byeta, n, sizeof(CoxEtaRow), KpiCompareDoubles);
	for (i = 0; i < n; i++)
	{
		if (i == 0 || byeta[i].eta != byeta[i - 1].eta)
			nranks++;
		rank[byeta[i].row] = nranks;	/* 1-based for the tree */
	}
	tree = palloc_extended(sizeof(double) * (nranks + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);

#define TREE_ADD(r, v) \
	do { int64 q_ = (r); for (; q_ <= nranks; q_ += q_ & -q_) tree[q_] += (v); } while (0)

	for (end = n; end > 0;)
	{
		int64		start = end;
		double		t = w->time[end - 1];

		while (start > 0 && w->time[start - 1] == t)
			start--;
		/*
		 * Left truncation: the rows that enter at t or later are not at risk
		 * at t (they were added at their later times)
		 */
		while (w->entry && gone < n && w->entry[w->by_entry[gone]] >= t)
		{
			i = w->by_entry[gone++];
			TREE_ADD(rank[i], -w->weight[i]);
			total -= w->weight[i];
		}
		/* the censored at t are at risk after the deaths at t */
		for (i = start; i < end; i++)
			if (!w->event[i])
			{
				TREE_ADD(rank[i], w->weight[i]);
				total += w->weight[i];
			}
		for (i = start; i < end; i++)
		{
			double		below = 0.0,
						upto = 0.0;
			int64		q;

			if (!w->event[i])
				continue;
			for (q = rank[i] - 1; q > 0; q -= q & -q)
				below += tree[q];
			for (q = rank[i]; q > 0; q -= q & -q)
				upto += tree[q];
			concordant += w->weight[i] * below;
			tied += w->weight[i] * (upto - below);
			discordant += w->weight[i] * (total - upto);
		}
		for (i = start; i < end; i++)
			if (w->event[i])
			{
				TREE_ADD(rank[i], w->weight[i]);
				total += w->weight[i];
			}
		end = start;
		CHECK_FOR_INTERRUPTS();
	}
#undef TREE_ADD
	pfree(byeta);
	pfree(rank);
	pfree(tree);
	if (concordant + discordant + tied == 0.0)
		return get_float8_nan();
	/* the later subject has the lower risk: concordant */
	return (concordant + tied / 2) / (concordant + discordant + tied);
}

CoxModel *
CoxFit(CoxData *d, const char *const *names)
{
	int			p = d->p;
	CoxWork		w;
	CoxSortItem *order;
	int64		i,
				ntimes = 0,
				end;
	int			j,
				iter,
				bad,
				halving = 0;
	double		n = 0.0,
				events = 0.0,
				ll0,
				ll,
				newll = 0.0,
				score = 0.0;
	double	   *center,
			   *beta,
			   *newbeta,
			   *u,
			   *imat,
			   *step;
	bool		converged = false;
	CoxModel   *m;
	Size		size,
				names_size = 0;
	double	   *times,
			   *cumhaz;

	/* sorted by time, once */
	order = HugeAlloc(sizeof(CoxSortItem) * d->nrows);
	for (i = 0; i < d->nrows; i++)
	{
		order[i].time = d->time[i];
		order[i].hash = CoxRowHash(d, i);
		order[i].row = i;
	}
	qsort_arg(order, d->nrows, sizeof(CoxSortItem), CompareRows, d);
	w.p = p;
	w.ties = d->ties;
	w.nrows = d->nrows;
	w.time = HugeAlloc(sizeof(double) * d->nrows);
	w.event = HugeAlloc(sizeof(bool) * d->nrows);
	w.x = HugeAlloc(sizeof(double) * d->nrows * p);
	w.weight = HugeAlloc(sizeof(double) * d->nrows);
	w.eta = HugeAlloc(sizeof(double) * d->nrows);
	w.entry = d->entry ? HugeAlloc(sizeof(double) * d->nrows) : NULL;
	w.by_entry = NULL;
	w.s1 = palloc(sizeof(double) * p);
	w.s2 = palloc(sizeof(double) * p * p);
	w.d1 = palloc(sizeof(double) * p);
	w.d2 = palloc(sizeof(double) * p * p);
	w.z = palloc(sizeof(double) * p);
	center = palloc0(sizeof(double) * p);
	for (i = 0; i < d->nrows; i++)
	{
		int64		o = order[i].row;

		w.time[i] = d->time[o];
		w.event[i] = d->event[o];
		w.weight[i] = d->weight[o];
		memcpy(w.x + i * p, d->x + o * p, sizeof(double) * p);
		if (w.entry)
			w.entry[i] = d->entry[o];
		n += w.weight[i];
		if (w.event[i])
			events += w.weight[i];
		for (j = 0; j < p; j++)
			center[j] += w.weight[i] * w.x[i * p + j];
	}
	pfree(order);
	if (events == 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("coxph_fit needs at least one event")));
	for (j = 0; j < p; j++)
		center[j] /= n;
	for (i = 0; i < d->nrows; i++)
		for (j = 0; j < p; j++)
			w.x[i * p + j] -= center[j];
	if (w.entry)
	{
		CoxEntryItem *items = HugeAlloc(sizeof(CoxEntryItem) * d->nrows);

		for (i = 0; i < d->nrows; i++)
		{
			items[i].entry = w.entry[i];
			items[i].pos = i;
		}
		qsort(items, d->nrows, sizeof(CoxEntryItem), CompareEntries);
		w.by_entry = HugeAlloc(sizeof(int64) * d->nrows);
		for (i = 0; i < d->nrows; i++)
			w.by_entry[i] = items[i].pos;
		pfree(items);
	}
	for (end = d->nrows; end > 0;)
	{
		int64		start = end;
		bool		any = false;

		while (start > 0 && w.time[start - 1] == w.time[end - 1])
			any |= w.event[--start];
		ntimes += any;
		end = start;
	}

	/* Newton-Raphson as coxfit6.c: iteration 0 at beta = 0 */
	beta = palloc0(sizeof(double) * p);
	newbeta = palloc0(sizeof(double) * p);
	u = palloc(sizeof(double) * p);
	imat = palloc(sizeof(double) * p * p);
	step = palloc(sizeof(double) * p);
	ll0 = ll = CoxLikelihood(&w, beta, u, imat);
	if (isnan(ll0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("coxph_fit: the partial likelihood at beta = 0 is out of range")));
	if ((bad = KpiCholesky(imat, p, COX_CHOLESKY_TOL)) >= 0)
		CoxSingular(bad, names, 0);
	memcpy(step, u, sizeof(double) * p);
	KpiCholeskySolve(imat, p, step);
	for (j = 0; j < p; j++)
	{
		score += u[j] * step[j];
		newbeta[j] = step[j];
	}
	for (iter = 1; iter <= COXPH_MAX_ITERATIONS; iter++)
	{
		CHECK_FOR_INTERRUPTS();
		newll = CoxLikelihood(&w, newbeta, u, imat);
		if (!isnan(newll) && fabs(1.0 - ll / newll) <= COXPH_EPS && halving == 0)
		{
			converged = true;
			break;
		}
		if (iter == COXPH_MAX_ITERATIONS)
			break;
		if (isnan(newll) || newll < ll)
		{
			/* not improving: half the step */
			halving = 1;
			for (j = 0; j < p; j++)
				newbeta[j] = (newbeta[j] + beta[j]) / 2;
		}
		else
		{
			halving = 0;
			ll = newll;
			if ((bad = KpiCholesky(imat, p, COX_CHOLESKY_TOL)) >= 0)
				CoxSingular(bad, names, iter);
			memcpy(step, u, sizeof(double) * p);
			KpiCholeskySolve(imat, p, step);
			for (j = 0; j < p; j++)
			{
				beta[j] = newbeta[j];
				newbeta[j] += step[j];
			}
		}
	}
	if (iter > COXPH_MAX_ITERATIONS)
		iter = COXPH_MAX_ITERATIONS;
	if (isnan(newll))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("coxph_fit: the partial likelihood overflowed"),
				 errdetail("A coefficient may be infinite (the events are separated by the covariates).")));
	/* the model is at newbeta, its covariance the inverse information */
	if ((bad = KpiCholesky(imat, p, COX_CHOLESKY_TOL)) >= 0)
		CoxSingular(bad, names, iter);

	if (names)
		for (j = 0; j < p; j++)
			names_size += strlen(names[j]) + 1;
	size = COXPH_BASE_SIZE(p, ntimes) + names_size;
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("coxph_fit: the model of " INT64_FORMAT " event times is too large", ntimes)));
	m = palloc0(size);
	SET_VARSIZE(m, size);
	m->version = COXPH_FORMAT_VERSION;
	m->ties = d->ties;
	m->converged = converged;
	m->has_names = names != NULL;
	m->p = p;
	m->iterations = iter;
	m->ntimes = (int32) ntimes;
	m->n = (int64) n;
	m->events = (int64) events;
	m->loglik_null = ll0;
	m->loglik = newll;
	m->score = Max(score, 0.0);	/* U'I^-1 U >= 0, but for rounding when U ~ 0 */
	memcpy(COXPH_BETA(m), newbeta, sizeof(double) * p);
	memcpy(COXPH_CENTER(m), center, sizeof(double) * p);
	CoxInverse(imat, p, COXPH_COVAR(m));
	if (names)
	{
		char	   *q = COXPH_NAMES(m);

		for (j = 0; j < p; j++)
		{
			strcpy(q, names[j]);
			q += strlen(names[j]) + 1;
		}
	}

	/*
	 * The baseline cumulative hazard at the centering point, at each event
	 * time, as survfit.coxph: Breslow d / S0, or Efron's sum over the deaths
	 * of 1 / (S0 - k/d D0) for the Efron fit.  Then Harrell's C.
	 */
	(void) CoxLikelihood(&w, newbeta, NULL, NULL);
	times = COXPH_TIMES(m);
	cumhaz = COXPH_CUMHAZ(m);
	{
		double		s0 = 0.0;
		int64		slot = ntimes,
					gone = 0;

		for (end = d->nrows; end > 0;)
		{
			int64		start = end;
			double		t = w.time[end - 1],
						d0 = 0.0,
						deaths = 0.0,
						hazard = 0.0;

			while (start > 0 && w.time[start - 1] == t)
				start--;
			for (i = start; i < end; i++)
			{
				double		r = w.weight[i] * exp(w.eta[i]);

				s0 += r;
				if (w.event[i])
				{
					d0 += r;
					deaths += w.weight[i];
				}
			}
			end = start;
			while (w.entry && gone < w.nrows && w.entry[w.by_entry[gone]] >= t)
			{
				i = w.by_entry[gone++];
				s0 -= w.weight[i] * exp(w.eta[i]);
			}
			if (deaths == 0.0)
				continue;
			if (d->ties == COXPH_TIES_BRESLOW || deaths == 1.0)
				hazard = deaths / s0;
			else
			{
				int64		mm;

				for (mm = 0; mm < (int64) deaths; mm++)
					hazard += 1.0 / (s0 - (double) mm / deaths * d0);
			}
			slot--;
			times[slot] = t;
			cumhaz[slot] = hazard;
		}
		Assert(slot == 0);
		for (i = 1; i < ntimes; i++)
			cumhaz[i] += cumhaz[i - 1];
	}
	m->concordance = CoxConcordance(&w);
	return m;
}
