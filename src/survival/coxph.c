/*-------------------------------------------------------------------------
 *
 * coxph.c
 *	  Cox proportional hazards regression: the coxph_fit aggregate, the
 *	  stored coxph_model type and its accessors.
 *
 * coxph_fit(duration, event, covariates float8[] [, names text[]]
 * [, ties text]) collects the rows in an internal state: the distinct
 * (duration, event, covariates) rows, each with its count, in a hash table
 * of the aggregate context that grows with them.  Categorical covariates
 * collapse to few rows; continuous ones keep one row a subject.  Two states
 * merge by adding counts, so the aggregate runs in parallel; the final
 * function fits the model (coxph_fit.c) from the merged rows, which is the
 * same fit whatever the split (up to the rounding of sums in another row
 * order).
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"

#include "coxph.h"

#define COXPH_STATE_VERSION	1
#define COXPH_MAX_ROWS		((int64) PG_INT32_MAX / 2)	/* distinct rows of a state */

PG_FUNCTION_INFO_V1(coxph_model_in);
PG_FUNCTION_INFO_V1(coxph_model_out);
PG_FUNCTION_INFO_V1(coxph_model_recv);
PG_FUNCTION_INFO_V1(coxph_model_send);
PG_FUNCTION_INFO_V1(coxph_fit_state_accum);
PG_FUNCTION_INFO_V1(coxph_fit_state_accum_named);
PG_FUNCTION_INFO_V1(coxph_fit_state_accum_entry);
PG_FUNCTION_INFO_V1(coxph_fit_state_accum_entry_named);
PG_FUNCTION_INFO_V1(coxph_fit_state_combine);
PG_FUNCTION_INFO_V1(coxph_fit_state_serialize);
PG_FUNCTION_INFO_V1(coxph_fit_state_deserialize);
PG_FUNCTION_INFO_V1(coxph_fit_final);
PG_FUNCTION_INFO_V1(coxph_coefficients);
PG_FUNCTION_INFO_V1(coxph_tests);
PG_FUNCTION_INFO_V1(coxph_concordance);
PG_FUNCTION_INFO_V1(coxph_log_likelihood);
PG_FUNCTION_INFO_V1(coxph_converged);
PG_FUNCTION_INFO_V1(coxph_survival);
PG_FUNCTION_INFO_V1(coxph_survival_at);

static const char *const CoxTiesNames[] = {"efron", "breslow"};


/* The model type */

/* Why name (len bytes) cannot be a covariate name, or NULL */
static const char *
CoxNameError(const char *name, Size len)
{
	Size		i;

	if (len == 0 || len >= COXPH_MAX_NAME)
		return "A covariate name must have 1 to 63 bytes.";
	for (i = 0; i < len; i++)
		if ((unsigned char) name[i] < 0x20)
			return "A covariate name must not contain control characters.";
	if (!pg_verifymbstr(name, (int) len, true))
		return "A covariate name is not valid in the database encoding.";
	return NULL;
}

const char *
CoxModelError(const CoxModel *m, Size size)
{
	int			p,
				i,
				j;
	const double *v;
	Size		base;

	if (size < offsetof(CoxModel, data) || m->version != COXPH_FORMAT_VERSION ||
		m->ties > COXPH_TIES_BRESLOW || m->converged > 1 || m->has_names > 1 ||
		m->reserved != 0)
		return "The header is invalid.";
	p = m->p;
	if (p < 1 || p > COXPH_MAX_COVARIATES)
		return "The number of covariates must lie between 1 and 100.";
	if (m->iterations < 0 || m->iterations > COXPH_MAX_ITERATIONS)
		return "iterations must lie between 0 and 20.";
	if (m->events < 1 || m->n < m->events)
		return "events must be positive and at most n.";
	if (m->ntimes < 1 || m->ntimes > m->events)
		return "There must be 1 to events event times.";
	base = COXPH_BASE_SIZE(p, m->ntimes);
	if (size < base)
		return "The size does not match the counts.";
	if (!isfinite(m->loglik_null) || !isfinite(m->loglik))
		return "The log partial likelihoods must be finite.";
	if (!isfinite(m->score) || m->score < 0.0)
		return "The score statistic must be finite and non-negative.";
	if (!isnan(m->concordance) && !(m->concordance >= 0.0 && m->concordance <= 1.0))
		return "The concordance must lie between 0 and 1.";
	for (i = 0; i < 2 * p + p * p; i++)
		if (!isfinite(m->data[i]))
			return "The coefficients, centers and covariances must be finite.";
	v = COXPH_COVAR(m);
	for (i = 0; i < p; i++)
	{
		if (!(v[i * p + i] > 0.0))
			return "The variances must be positive.";
		for (j = 0; j < i; j++)
			if (v[i * p + j] != v[j * p + i])
				return "The covariance matrix must be symmetric.";
	}
	for (i = 0; i < m->ntimes; i++)
	{
		double		t = COXPH_TIMES(m)[i],
					h = COXPH_CUMHAZ(m)[i];

		if (!isfinite(t) || t < 0.0 || (i > 0 && t <= COXPH_TIMES(m)[i - 1]))
			return "The event times must be finite, non-negative and increasing.";
		if (!isfinite(h) || !(h > 0.0) || (i > 0 && h < COXPH_CUMHAZ(m)[i - 1]))
			return "The cumulative hazard must be positive, finite and non-decreasing.";
	}
	if (m->has_names)
	{
		const char *q = COXPH_NAMES(m),
				   *end = (const char *) m + size;

		for (i = 0; i < p; i++)
		{
			const char *nul = memchr(q, '\0', end - q);
			const char *problem;

			if (nul == NULL)
				return "The covariate names are invalid.";
			if ((problem = CoxNameError(q, nul - q)) != NULL)
				return problem;
			q = nul + 1;
		}
		if (q != end)
			return "Bytes follow the covariate names.";
	}
	else if (size != base)
		return "The size does not match the counts.";
	return NULL;
}

static CoxModel *
CoxGetArg(FunctionCallInfo fcinfo, int argno)
{
	CoxModel   *m = (CoxModel *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	if (CoxModelError(m, VARSIZE(m)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("coxph_model value is corrupt")));
	return m;
}

/* The name of covariate j: its own or x1, x2, ... */
static const char *
CoxTerm(const CoxModel *m, int j)
{
	const char *q;
	int			i;

	if (!m->has_names)
		return psprintf("x%d", j + 1);
	q = COXPH_NAMES(m);
	for (i = 0; i < j; i++)
		q += strlen(q) + 1;
	return q;
}

/*
 * Text: {"version":1,"ties":"efron","n":..,"events":..,"iterations":..,
 * "converged":true,"loglik_null":..,"loglik":..,"score":..,
 * "concordance":..|null,"coefficients":[p],"center":[p],"covariance":[p*p,
 * row by row],"times":[..],"cumulative_hazard":[..],"names":[..]|null}
 */
static void
AppendList(StringInfo buf, const char *key, const double *v, int64 n)
{
	int64		i;

	appendStringInfo(buf, ",\"%s\":[", key);
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			appendStringInfoChar(buf, ',');
		KpiAppendFloat8(buf, v[i]);
	}
	appendStringInfoChar(buf, ']');
}

Datum
coxph_model_out(PG_FUNCTION_ARGS)
{
	CoxModel   *m = CoxGetArg(fcinfo, 0);
	StringInfoData buf;
	int			j;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d,\"ties\":\"%s\",\"n\":" INT64_FORMAT
					 ",\"events\":" INT64_FORMAT ",\"iterations\":%d,\"converged\":%s",
					 m->version, CoxTiesNames[m->ties], m->n, m->events, m->iterations,
					 m->converged ? "true" : "false");
	appendStringInfoString(&buf, ",\"loglik_null\":");
	KpiAppendFloat8(&buf, m->loglik_null);
	appendStringInfoString(&buf, ",\"loglik\":");
	KpiAppendFloat8(&buf, m->loglik);
	appendStringInfoString(&buf, ",\"score\":");
	KpiAppendFloat8(&buf, m->score);
	appendStringInfoString(&buf, ",\"concordance\":");
	if (isnan(m->concordance))
		appendStringInfoString(&buf, "null");
	else
		KpiAppendFloat8(&buf, m->concordance);
	AppendList(&buf, "coefficients", COXPH_BETA(m), m->p);
	AppendList(&buf, "center", COXPH_CENTER(m), m->p);
	AppendList(&buf, "covariance", COXPH_COVAR(m), (int64) m->p * m->p);
	AppendList(&buf, "times", COXPH_TIMES(m), m->ntimes);
	AppendList(&buf, "cumulative_hazard", COXPH_CUMHAZ(m), m->ntimes);
	appendStringInfoString(&buf, ",\"names\":");
	if (!m->has_names)
		appendStringInfoString(&buf, "null");
	else
	{
		appendStringInfoChar(&buf, '[');
		for (j = 0; j < m->p; j++)
		{
			const char *name = CoxTerm(m, j);

			if (j > 0)
				appendStringInfoChar(&buf, ',');
			KpiAppendJsonString(&buf, name, strlen(name));
		}
		appendStringInfoChar(&buf, ']');
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* ,"key":[numbers] into a growing array; *n its length */
static bool
ScanList(KpiScanner *scan, const char *key, double **v, int64 *n, int64 max)
{
	int64		size = 16;

	*n = 0;
	if (!KpiScanToken(scan, ",") || !KpiScanKey(scan, key) || !KpiScanToken(scan, "["))
		return false;
	*v = palloc(sizeof(double) * size);
	if (KpiScanToken(scan, "]"))
		return true;
	do
	{
		if (*n >= max)
			return false;
		if (*n == size)
		{
			size *= 2;
			*v = repalloc(*v, sizeof(double) * size);
		}
		if (!KpiScanFloat8(scan, &(*v)[*n]))
			return false;
		(*n)++;
	} while (KpiScanToken(scan, ","));
	return KpiScanToken(scan, "]");
}

static bool
ScanField(KpiScanner *scan, const char *key)
{
	return KpiScanToken(scan, ",") && KpiScanKey(scan, key);
}

Datum
coxph_model_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	KpiScanner	scan = {str};
	const char *problem = "Expected {\"version\":1,\"ties\":...,\"n\":...,\"events\":...,\"iterations\":...,\"converged\":...,\"loglik_null\":...,\"loglik\":...,\"score\":...,\"concordance\":...,\"coefficients\":[...],\"center\":[...],\"covariance\":[...],\"times\":[...],\"cumulative_hazard\":[...],\"names\":[...]|null}.";
	int64		n,
				events,
				iterations,
				np,
				ncenter,
				ncov,
				ntimes,
				nhaz;
	int			converged = -1,
				ties = -1;
	double		loglik_null,
				loglik,
				score,
				concordance = 0.0;
	double	   *beta,
			   *center,
			   *cov,
			   *times,
			   *cumhaz;
	char	  **names = NULL;
	bool		ok = false;

	if (!KpiScanVersion(&scan, COXPH_FORMAT_VERSION, &problem))
		goto fail;
	if (ScanField(&scan, "ties"))
	{
		if (KpiScanToken(&scan, "\"efron\""))
			ties = COXPH_TIES_EFRON;
		else if (KpiScanToken(&scan, "\"breslow\""))
			ties = COXPH_TIES_BRESLOW;
	}
	if (ties < 0 ||
		!ScanField(&scan, "n") || !KpiScanInt64(&scan, &n) ||
		!ScanField(&scan, "events") || !KpiScanInt64(&scan, &events) ||
		!ScanField(&scan, "iterations") || !KpiScanInt64(&scan, &iterations) ||
		!ScanField(&scan, "converged"))
		goto fail;
	if (KpiScanToken(&scan, "true"))
		converged = 1;
	else if (KpiScanToken(&scan, "false"))
		converged = 0;
	if (converged < 0 ||
		!ScanField(&scan, "loglik_null") || !KpiScanFloat8(&scan, &loglik_null) ||
		!ScanField(&scan, "loglik") || !KpiScanFloat8(&scan, &loglik) ||
		!ScanField(&scan, "score") || !KpiScanFloat8(&scan, &score) ||
		!ScanField(&scan, "concordance"))
		goto fail;
	if (KpiScanToken(&scan, "null"))
		concordance = get_float8_nan();
	else if (!KpiScanFloat8(&scan, &concordance))
		goto fail;
	if (!ScanList(&scan, "coefficients", &beta, &np, COXPH_MAX_COVARIATES) ||
		!ScanList(&scan, "center", &center, &ncenter, COXPH_MAX_COVARIATES) ||
		!ScanList(&scan, "covariance", &cov, &ncov,
				  (int64) COXPH_MAX_COVARIATES * COXPH_MAX_COVARIATES) ||
		!ScanList(&scan, "times", &times, &ntimes, MaxAllocSize / 16) ||
		!ScanList(&scan, "cumulative_hazard", &cumhaz, &nhaz, MaxAllocSize / 16) ||
		!ScanField(&scan, "names"))
		goto fail;
	if (!KpiScanToken(&scan, "null"))
	{
		int			j;

		if (!KpiScanToken(&scan, "["))
			goto fail;
		names = palloc0(sizeof(char *) * Max(np, 1));
		for (j = 0; j < np; j++)
		{
			StringInfoData s;

			initStringInfo(&s);
			if ((j > 0 && !KpiScanToken(&scan, ",")) || !KpiScanToken(&scan, "\"") ||
				!KpiScanJsonString(&scan, &s))
				goto fail;
			if ((problem = CoxNameError(s.data, s.len)) != NULL ||
				strlen(s.data) != (size_t) s.len)
			{
				if (problem == NULL)
					problem = "A covariate name must not contain NUL.";
				goto fail;
			}
			names[j] = s.data;
		}
		if (!KpiScanToken(&scan, "]"))
			goto fail;
	}
	if (!KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
		goto fail;
	ok = true;

fail:
	if (ok)
	{
		if (np < 1 || ncenter != np || ncov != np * np || nhaz != ntimes)
			problem = "The lists must have p coefficients and centers, p * p covariances, and one cumulative hazard per time.";
		else if (n < 0 || events < 0 || iterations < 0 || iterations > COXPH_MAX_ITERATIONS ||
				 ntimes < 1 || ntimes > PG_INT32_MAX)
			problem = "n, events, iterations or the number of times is out of range.";
		else
		{
			Size		names_size = 0,
						size;
			CoxModel   *m;
			int			j;

			if (names)
				for (j = 0; j < np; j++)
					names_size += strlen(names[j]) + 1;
			size = COXPH_BASE_SIZE(np, ntimes) + names_size;
			if (size > MaxAllocSize)
				problem = "The model is too large.";
			else
			{
				m = palloc0(size);
				SET_VARSIZE(m, size);
				m->version = COXPH_FORMAT_VERSION;
				m->ties = ties;
				m->converged = converged;
				m->has_names = names != NULL;
				m->p = np;
				m->iterations = iterations;
				m->ntimes = ntimes;
				m->n = n;
				m->events = events;
				m->loglik_null = loglik_null;
				m->loglik = loglik;
				m->score = score;
				m->concordance = concordance;
				memcpy(COXPH_BETA(m), beta, sizeof(double) * np);
				memcpy(COXPH_CENTER(m), center, sizeof(double) * np);
				memcpy(COXPH_COVAR(m), cov, sizeof(double) * np * np);
				memcpy(COXPH_TIMES(m), times, sizeof(double) * ntimes);
				memcpy(COXPH_CUMHAZ(m), cumhaz, sizeof(double) * ntimes);
				if (names)
				{
					char	   *q = COXPH_NAMES(m);

					for (j = 0; j < np; j++)
					{
						strcpy(q, names[j]);
						q += strlen(names[j]) + 1;
					}
				}
				if ((problem = CoxModelError(m, size)) == NULL)
					PG_RETURN_POINTER(m);
			}
		}
	}
	KPI_TEXT_INPUT_ERROR(fcinfo, "coxph_model", str, problem);
	PG_RETURN_NULL();
}

/*
 * Binary: int8 version, int8 ties, int8 converged, int8 has_names, int32 p,
 * int32 iterations, int32 ntimes, int64 n, int64 events, float8
 * loglik_null, loglik, score, concordance (NaN: none), then the float8
 * lists (coefficients, center, covariance, times, cumulative hazard), then,
 * with names, p of (int32 length, bytes).
 */
Datum
coxph_model_send(PG_FUNCTION_ARGS)
{
	CoxModel   *m = CoxGetArg(fcinfo, 0);
	StringInfoData buf;
	Size		i,
				nd = COXPH_DOUBLES(m->p, m->ntimes);
	int			j;

	pq_begintypsend(&buf);
	KpiSendVersion(&buf, m->version);
	pq_sendbyte(&buf, m->ties);
	pq_sendbyte(&buf, m->converged);
	pq_sendbyte(&buf, m->has_names);
	pq_sendint32(&buf, m->p);
	pq_sendint32(&buf, m->iterations);
	pq_sendint32(&buf, m->ntimes);
	pq_sendint64(&buf, m->n);
	pq_sendint64(&buf, m->events);
	pq_sendfloat8(&buf, m->loglik_null);
	pq_sendfloat8(&buf, m->loglik);
	pq_sendfloat8(&buf, m->score);
	pq_sendfloat8(&buf, m->concordance);
	for (i = 0; i < nd; i++)
		pq_sendfloat8(&buf, m->data[i]);
	if (m->has_names)
		for (j = 0; j < m->p; j++)
		{
			const char *name = CoxTerm(m, j);

			pq_sendint32(&buf, strlen(name));
			pq_sendbytes(&buf, name, strlen(name));
		}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
coxph_model_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const char *name = "coxph_model";
	int			ties,
				converged,
				has_names,
				j;
	int32		p,
				iterations,
				ntimes;
	Size		nd,
				size,
				i;
	CoxModel   *m;
	const char *problem;
	StringInfoData names;

	KpiRecvVersion(buf, name, COXPH_FORMAT_VERSION);
	KpiRecvNeed(buf, name, 3 + 3 * 4 + 2 * 8 + 4 * 8, false);
	ties = pq_getmsgbyte(buf);
	converged = pq_getmsgbyte(buf);
	has_names = pq_getmsgbyte(buf);
	p = pq_getmsgint(buf, 4);
	iterations = pq_getmsgint(buf, 4);
	ntimes = pq_getmsgint(buf, 4);
	if (p < 1 || p > COXPH_MAX_COVARIATES || ntimes < 1 ||
		(Size) ntimes > MaxAllocSize / 16 || has_names > 1)
		KpiBinaryInputError(name, "The number of covariates or of event times is out of range.");
	nd = COXPH_DOUBLES(p, ntimes);
	KpiRecvNeed(buf, name, 2 * 8 + 4 * 8 + nd * 8, false);
	initStringInfo(&names);
	/* the names first into a buffer, to size the model */
	{
		int			cursor = buf->cursor;

		buf->cursor += 2 * 8 + 4 * 8 + nd * 8;
		if (has_names)
			for (j = 0; j < p; j++)
			{
				int32		len;

				KpiRecvNeed(buf, name, 4, false);
				len = pq_getmsgint(buf, 4);
				if (len < 1 || len >= COXPH_MAX_NAME)
					KpiBinaryInputError(name, "A covariate name must have 1 to 63 bytes.");
				KpiRecvNeed(buf, name, len, false);
				appendBinaryStringInfo(&names, pq_getmsgbytes(buf, len), len);
				if (memchr(names.data + names.len - len, '\0', len))
					KpiBinaryInputError(name, "A covariate name must not contain NUL.");
				appendStringInfoChar(&names, '\0');
			}
		KpiRecvEnd(buf, name);
		buf->cursor = cursor;
	}
	size = COXPH_BASE_SIZE(p, ntimes) + names.len;
	m = palloc0(size);
	SET_VARSIZE(m, size);
	m->version = COXPH_FORMAT_VERSION;
	m->ties = ties;
	m->converged = converged;
	m->has_names = has_names;
	m->p = p;
	m->iterations = iterations;
	m->ntimes = ntimes;
	m->n = pq_getmsgint64(buf);
	m->events = pq_getmsgint64(buf);
	m->loglik_null = pq_getmsgfloat8(buf);
	m->loglik = pq_getmsgfloat8(buf);
	m->score = pq_getmsgfloat8(buf);
	m->concordance = pq_getmsgfloat8(buf);
	if (isnan(m->concordance))
		m->concordance = get_float8_nan();	/* one NaN: one form */
	for (i = 0; i < nd; i++)
		m->data[i] = pq_getmsgfloat8(buf);
	memcpy(COXPH_NAMES(m), names.data, names.len);
	buf->cursor = buf->len;
	if ((problem = CoxModelError(m, size)) != NULL)
		KpiBinaryInputError(name, "%s", problem);
	PG_RETURN_POINTER(m);
}


/*
 * The aggregate state: the distinct rows as keys of width doubles (time,
 * event, covariates, and the entry time if truncated), their counts, and an
 * open-addressing index over them (linear probing, at most half full) whose
 * buckets keep the hash of their row: a probe compares keys only when the
 * hashes agree, and growing does not hash again.
 */
typedef struct CoxBucket
{
	uint32		row;			/* row + 1; 0 is empty */
	uint32		hash;
} CoxBucket;

typedef struct CoxState
{
	MemoryContext cxt;
	int			p;
	bool		truncated;		/* keys end with the entry time */
	int			width;			/* doubles a key: p + 2 (+ 1 truncated) */
	int			ties;
	int			nnames;			/* 0 or p */
	char	  **names;
	struct varlena *names_array;	/* the names argument of the first row */
	uint32		count;
	uint32		capacity;
	uint32		mask;
	CoxBucket  *index;
	double	   *keys;			/* count x width */
	int64	   *counts;
	int64		total;			/* subjects */
} CoxState;

static CoxState *
CoxStateCreate(MemoryContext cxt, int p, int ties, int nnames, char **names,
			   bool truncated)
{
	CoxState   *st = MemoryContextAllocZero(cxt, sizeof(CoxState));
	int			j;

	st->cxt = cxt;
	st->p = p;
	st->truncated = truncated;
	st->width = p + 2 + (truncated ? 1 : 0);
	st->ties = ties;
	st->nnames = nnames;
	if (nnames > 0)
	{
		st->names = MemoryContextAlloc(cxt, sizeof(char *) * nnames);
		for (j = 0; j < nnames; j++)
			st->names[j] = MemoryContextStrdup(cxt, names[j]);
	}
	st->capacity = 64;
	st->mask = 127;
	st->index = MemoryContextAllocZero(cxt, sizeof(CoxBucket) * 128);
	st->keys = MemoryContextAlloc(cxt, sizeof(double) * st->width * st->capacity);
	st->counts = MemoryContextAlloc(cxt, sizeof(int64) * st->capacity);
	return st;
}

static void
CoxStateGrow(CoxState *st)
{
	uint32		capacity = st->capacity * 2,
				mask = capacity * 2 - 1,
				b;
	int			width = st->width;
	CoxBucket  *index;

	if ((int64) st->capacity * 2 > COXPH_MAX_ROWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("coxph_fit cannot hold more than " INT64_FORMAT " distinct rows", COXPH_MAX_ROWS)));
	st->keys = repalloc_huge(st->keys, sizeof(double) * width * (Size) capacity);
	st->counts = repalloc_huge(st->counts, sizeof(int64) * (Size) capacity);
	index = MemoryContextAllocHuge(st->cxt, sizeof(CoxBucket) * ((Size) mask + 1));
	memset(index, 0, sizeof(CoxBucket) * ((Size) mask + 1));
	/* the rows move by their stored hashes */
	for (b = 0; b <= st->mask; b++)
	{
		uint32		nb;

		if (st->index[b].row == 0)
			continue;
		nb = st->index[b].hash & mask;
		while (index[nb].row != 0)
			nb = (nb + 1) & mask;
		index[nb] = st->index[b];
	}
	pfree(st->index);
	st->index = index;
	st->capacity = capacity;
	st->mask = mask;
}

/* Add count subjects of the row key (width doubles, -0 made +0) */
static void
CoxStateAdd(CoxState *st, const double *key, int64 count)
{
	int			width = st->width;
	Size		bytes = width * sizeof(double);
	uint32		hash = hash_bytes((const unsigned char *) key, bytes),
				b = hash & st->mask,
				i;

	if (pg_add_s64_overflow(st->total, count, &st->total))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("coxph_fit: too many rows")));
	while ((i = st->index[b].row) != 0)
	{
		if (st->index[b].hash == hash &&
			memcmp(st->keys + (Size) (i - 1) * width, key, bytes) == 0)
		{
			st->counts[i - 1] += count;
			return;
		}
		b = (b + 1) & st->mask;
	}
	if (st->count == st->capacity)
	{
		CoxStateGrow(st);
		b = hash & st->mask;
		while (st->index[b].row != 0)
			b = (b + 1) & st->mask;
	}
	memcpy(st->keys + (Size) st->count * width, key, bytes);
	st->counts[st->count] = count;
	st->index[b].hash = hash;
	st->index[b].row = ++st->count;
}

static int
CoxTiesArg(FunctionCallInfo fcinfo, int argno)
{
	const char *s;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("coxph_fit: ties must not be NULL"),
				 errhint("ties is 'efron' (the default) or 'breslow'.")));
	s = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	if (strcmp(s, "efron") == 0)
		return COXPH_TIES_EFRON;
	if (strcmp(s, "breslow") == 0)
		return COXPH_TIES_BRESLOW;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("coxph_fit: unknown ties method \"%s\"", s),
			 errhint("ties is 'efron' (the default) or 'breslow'.")));
	return -1;
}

/* The elements of a names text[] argument, checked; *n their number */
static char **
CoxNamesArg(FunctionCallInfo fcinfo, int argno, int *n)
{
	ArrayType  *a;
	Datum	   *elems;
	bool	   *nulls;
	int			count,
				j;
	char	  **names;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("coxph_fit: names must not be NULL")));
	a = PG_GETARG_ARRAYTYPE_P(argno);
	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("coxph_fit: names must be a one-dimensional array")));
	deconstruct_array(a, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &count);
	names = palloc(sizeof(char *) * Max(count, 1));
	for (j = 0; j < count; j++)
	{
		const char *problem;

		if (nulls[j])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("coxph_fit: covariate name %d is NULL", j + 1)));
		names[j] = TextDatumGetCString(elems[j]);
		if ((problem = CoxNameError(names[j], strlen(names[j]))) != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("coxph_fit: invalid covariate name \"%s\"", names[j]),
					 errdetail("%s", problem)));
	}
	*n = count;
	return names;
}

static void
CoxCheckCompatible(CoxState *st, int p, int ties, int nnames, char **names)
{
	int			j;

	if (p != st->p)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("coxph_fit: covariate arrays of lengths %d and %d", st->p, p),
				 errhint("Every row must give the same covariates.")));
	if (ties != st->ties)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("coxph_fit: ties methods \"%s\" and \"%s\" in one fit",
						CoxTiesNames[st->ties], CoxTiesNames[ties])));
	if (nnames != st->nnames)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("coxph_fit: %d names for %d covariates", nnames ? nnames : st->nnames, p)));
	for (j = 0; j < nnames; j++)
		if (strcmp(names[j], st->names[j]) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("coxph_fit: covariate %d is named both \"%s\" and \"%s\"",
							j + 1, st->names[j], names[j]),
					 errhint("Every row must give the same names.")));
}

/*
 * The transition: coxph_fit_state_accum(state, duration, event, covariates
 * [, ties]) and coxph_fit_state_accum_named(state, duration, event,
 * covariates, names [, ties]); with left truncation (truncated) the same
 * with an entry time before the duration: coxph_fit_state_accum_entry and
 * coxph_fit_state_accum_entry_named.  Rows with a NULL entry, duration,
 * event or covariates are skipped.
 */
static Datum
CoxAccum(FunctionCallInfo fcinfo, bool named, bool truncated)
{
	MemoryContext aggcxt = KpiAggContext(fcinfo);
	CoxState   *st = PG_ARGISNULL(0) ? NULL : (CoxState *) PG_GETARG_POINTER(0);
	ArrayType  *a;
	double		t;
	int			base = truncated ? 1 : 0,	/* arguments before the duration */
				duration_arg = 1 + base,
				event_arg = 2 + base,
				covariates_arg = 3 + base,
				names_arg = 4 + base,
				ties_arg = (named ? 5 : 4) + base,
				p,
				j;
	const double *x;
	double		entry = 0.0;
	double		key[COXPH_MAX_COVARIATES + 3];

	if (PG_ARGISNULL(duration_arg) || PG_ARGISNULL(event_arg) || PG_ARGISNULL(covariates_arg) ||
		(truncated && PG_ARGISNULL(1)))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	t = PG_GETARG_FLOAT8(duration_arg);
	if (!isfinite(t) || t < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("duration %s is out of range", float8out_internal(t)),
				 errhint("Durations must be finite and non-negative.")));
	if (truncated)
	{
		entry = PG_GETARG_FLOAT8(1);
		if (!isfinite(entry) || entry < 0.0)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("entry %s is out of range", float8out_internal(entry)),
					 errhint("Entry times must be finite and non-negative.")));
		if (!(entry < t))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("coxph_fit: entry %s is not before the duration %s",
							float8out_internal(entry), float8out_internal(t)),
					 errhint("A subject is at risk from its entry (excluded) to its duration (included).")));
	}
	a = PG_GETARG_ARRAYTYPE_P(covariates_arg);
	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("coxph_fit: covariates must be a one-dimensional array")));
	p = ARR_NDIM(a) == 0 ? 0 : ARR_DIMS(a)[0];
	if (st == NULL)
	{
		int			ties = PG_NARGS() > ties_arg ? CoxTiesArg(fcinfo, ties_arg) : COXPH_TIES_EFRON;
		int			nnames = 0;
		char	  **names = named ? CoxNamesArg(fcinfo, names_arg, &nnames) : NULL;

		if (p < 1 || p > COXPH_MAX_COVARIATES)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("coxph_fit: %d covariates", p),
					 errhint("A fit takes 1 to %d covariates.", COXPH_MAX_COVARIATES)));
		if (named && nnames != p)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("coxph_fit: %d names for %d covariates", nnames, p)));
		st = CoxStateCreate(aggcxt, p, ties, nnames, names, truncated);
		if (named)
		{
			struct varlena *v = PG_GETARG_RAW_VARLENA_P(names_arg);

			st->names_array = MemoryContextAlloc(aggcxt, VARSIZE_ANY(v));
			memcpy(st->names_array, v, VARSIZE_ANY(v));
		}
	}
	else
	{
		/* the later rows: the same ties and names (cheaply: a constant) */
		if (PG_NARGS() > ties_arg)
		{
			text	   *ties = PG_ARGISNULL(ties_arg) ? NULL : PG_GETARG_TEXT_PP(ties_arg);
			const char *expected = CoxTiesNames[st->ties];

			if (ties == NULL || VARSIZE_ANY_EXHDR(ties) != strlen(expected) ||
				memcmp(VARDATA_ANY(ties), expected, strlen(expected)) != 0)
				CoxCheckCompatible(st, st->p, CoxTiesArg(fcinfo, ties_arg),
								   st->nnames, st->names);
		}
		if (named &&
			(PG_ARGISNULL(names_arg) ||
			 VARSIZE_ANY(PG_GETARG_RAW_VARLENA_P(names_arg)) != VARSIZE_ANY(st->names_array) ||
			 memcmp(PG_GETARG_RAW_VARLENA_P(names_arg), st->names_array,
					VARSIZE_ANY(st->names_array)) != 0))
		{
			/* not the bytes of the first row's names: the same names? */
			int			nnames = 0;
			char	  **names = CoxNamesArg(fcinfo, names_arg, &nnames);

			CoxCheckCompatible(st, st->p, st->ties, nnames, names);
		}
	}
	if (p != st->p)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("coxph_fit: covariate arrays of lengths %d and %d", st->p, p),
				 errhint("Every row must give the same covariates.")));
	if (ARR_HASNULL(a) && array_contains_nulls(a))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("coxph_fit: a covariate is NULL"),
				 errhint("Leave out the rows with missing covariates, as R's coxph does.")));
	if (ARR_ELEMTYPE(a) != FLOAT8OID)
		elog(ERROR, "coxph_fit: covariates must be double precision[]");
	x = (const double *) ARR_DATA_PTR(a);
	key[0] = t + 0.0;			/* -0 as 0: one key */
	key[1] = PG_GETARG_BOOL(event_arg) ? 1.0 : 0.0;
	for (j = 0; j < p; j++)
	{
		if (!isfinite(x[j]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("coxph_fit: covariate %d is %s", j + 1, float8out_internal(x[j])),
					 errhint("Covariates must be finite.")));
		key[j + 2] = x[j] + 0.0;
	}
	if (truncated)
		key[p + 2] = entry + 0.0;
	CoxStateAdd(st, key, 1);
	PG_RETURN_POINTER(st);
}

Datum
coxph_fit_state_accum(PG_FUNCTION_ARGS)
{
	return CoxAccum(fcinfo, false, false);
}

Datum
coxph_fit_state_accum_named(PG_FUNCTION_ARGS)
{
	return CoxAccum(fcinfo, true, false);
}

Datum
coxph_fit_state_accum_entry(PG_FUNCTION_ARGS)
{
	return CoxAccum(fcinfo, false, true);
}

Datum
coxph_fit_state_accum_entry_named(PG_FUNCTION_ARGS)
{
	return CoxAccum(fcinfo, true, true);
}

static void *
CoxCreateLike(MemoryContext cxt, const void *like)
{
	const CoxState *b = (const CoxState *) like;

	return CoxStateCreate(cxt, b->p, b->ties, b->nnames, b->names, b->truncated);
}

static void
CoxMerge(void *into, const void *from)
{
	CoxState   *a = (CoxState *) into;
	const CoxState *b = (const CoxState *) from;
	uint32		i;

	CoxCheckCompatible(a, b->p, b->ties, b->nnames, b->names);
	if (a->truncated != b->truncated)
		elog(ERROR, "coxph_fit: states with and without entry times");
	if (a->count == 0)
	{
		/* into an empty state (the first merge of a combine): a copy */
		int			width = b->width;

		pfree(a->keys);
		pfree(a->counts);
		pfree(a->index);
		a->keys = MemoryContextAllocHuge(a->cxt, sizeof(double) * width * (Size) b->capacity);
		a->counts = MemoryContextAllocHuge(a->cxt, sizeof(int64) * (Size) b->capacity);
		a->index = MemoryContextAllocHuge(a->cxt, sizeof(CoxBucket) * ((Size) b->mask + 1));
		memcpy(a->keys, b->keys, sizeof(double) * width * (Size) b->count);
		memcpy(a->counts, b->counts, sizeof(int64) * (Size) b->count);
		memcpy(a->index, b->index, sizeof(CoxBucket) * ((Size) b->mask + 1));
		a->capacity = b->capacity;
		a->mask = b->mask;
		a->count = b->count;
		a->total = b->total;
		return;
	}
	for (i = 0; i < b->count; i++)
	{
		CHECK_FOR_INTERRUPTS();
		CoxStateAdd(a, b->keys + (Size) i * b->width, b->counts[i]);
	}
}

Datum
coxph_fit_state_combine(PG_FUNCTION_ARGS)
{
	return KpiCombineInternal(fcinfo, CoxCreateLike, CoxMerge);
}

/*
 * Serialized state: int8 version, int32 p, int8 ties, int8 truncated, int32
 * nnames, each name (int32 length, bytes), int64 rows, each row (float8
 * time, int8 event, p float8 covariates, float8 entry if truncated, int64
 * count).
 */
Datum
coxph_fit_state_serialize(PG_FUNCTION_ARGS)
{
	CoxState   *st = (CoxState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	uint32		i;
	int			j,
				width = st->width;

	pq_begintypsend(&buf);
	enlargeStringInfo(&buf, (Size) st->count * (1 + 8 * width) + 64);
	KpiSendVersion(&buf, COXPH_STATE_VERSION);
	pq_sendint32(&buf, st->p);
	pq_sendbyte(&buf, st->ties);
	pq_sendbyte(&buf, st->truncated);
	pq_sendint32(&buf, st->nnames);
	for (j = 0; j < st->nnames; j++)
	{
		pq_sendint32(&buf, strlen(st->names[j]));
		pq_sendbytes(&buf, st->names[j], strlen(st->names[j]));
	}
	pq_sendint64(&buf, st->count);
	for (i = 0; i < st->count; i++)
	{
		const double *key = st->keys + (Size) i * width;

		pq_sendfloat8(&buf, key[0]);
		pq_sendbyte(&buf, key[1] != 0.0);
		for (j = 2; j < width; j++)
			pq_sendfloat8(&buf, key[j]);
		pq_sendint64(&buf, st->counts[i]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
coxph_fit_state_deserialize(PG_FUNCTION_ARGS)
{
	const char *name = "coxph_fit state";
	MemoryContext aggcxt = KpiAggContext(fcinfo);
	StringInfoData buf;
	CoxState   *st;
	int32		p,
				nnames;
	int			ties,
				truncated,
				width,
				j;
	int64		rows,
				i;
	char	  **names = NULL;
	double		key[COXPH_MAX_COVARIATES + 3];

	KpiReadBuffer(&buf, PG_GETARG_BYTEA_PP(0));
	KpiRecvVersion(&buf, name, COXPH_STATE_VERSION);
	KpiRecvNeed(&buf, name, 10, false);
	p = pq_getmsgint(&buf, 4);
	ties = pq_getmsgbyte(&buf);
	truncated = pq_getmsgbyte(&buf);
	nnames = pq_getmsgint(&buf, 4);
	if (p < 1 || p > COXPH_MAX_COVARIATES || ties > COXPH_TIES_BRESLOW ||
		truncated > 1 || (nnames != 0 && nnames != p))
		KpiBinaryInputError(name, "The header is invalid.");
	if (nnames > 0)
		names = palloc(sizeof(char *) * nnames);
	for (j = 0; j < nnames; j++)
	{
		int32		len;

		KpiRecvNeed(&buf, name, 4, false);
		len = pq_getmsgint(&buf, 4);
		if (len < 1 || len >= COXPH_MAX_NAME)
			KpiBinaryInputError(name, "A covariate name is invalid.");
		KpiRecvNeed(&buf, name, len, false);
		names[j] = pnstrdup(pq_getmsgbytes(&buf, len), len);
		if (strlen(names[j]) != (size_t) len || CoxNameError(names[j], len) != NULL)
			KpiBinaryInputError(name, "A covariate name is invalid.");
	}
	width = p + 2 + truncated;
	rows = KpiRecvCount(&buf, name, 8, COXPH_MAX_ROWS, 1 + 8 * (int64) width);
	st = CoxStateCreate(aggcxt, p, ties, nnames, names, truncated == 1);
	for (i = 0; i < rows; i++)
	{
		int64		count;
		int			event;

		key[0] = pq_getmsgfloat8(&buf);
		event = pq_getmsgbyte(&buf);
		key[1] = event ? 1.0 : 0.0;
		for (j = 2; j < width; j++)
			key[j] = pq_getmsgfloat8(&buf);
		count = pq_getmsgint64(&buf);
		if (!isfinite(key[0]) || key[0] < 0.0 || event > 1 || count < 1 ||
			(truncated && !(key[p + 2] >= 0.0 && key[p + 2] < key[0])))
			KpiBinaryInputError(name, "Row " INT64_FORMAT " is invalid.", i + 1);
		for (j = 0; j < width; j++)
		{
			if (!isfinite(key[j]))
				KpiBinaryInputError(name, "Row " INT64_FORMAT " is invalid.", i + 1);
			key[j] += 0.0;
		}
		CoxStateAdd(st, key, count);
	}
	KpiRecvEnd(&buf, name);
	PG_RETURN_POINTER(st);
}

/* coxph_fit_final(state): the fitted model; NULL for no rows */
Datum
coxph_fit_final(PG_FUNCTION_ARGS)
{
	CoxState   *st;
	CoxData		d;
	CoxModel   *m;
	uint32		i;
	int			width;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (CoxState *) PG_GETARG_POINTER(0);
	width = st->width;
	d.p = st->p;
	d.ties = st->ties;
	d.nrows = st->count;
	d.time = palloc(sizeof(double) * st->count);
	d.event = palloc(sizeof(bool) * st->count);
	d.weight = palloc(sizeof(double) * st->count);
	d.x = palloc_extended(sizeof(double) * st->p * (Size) st->count, MCXT_ALLOC_HUGE);
	d.entry = st->truncated ? palloc(sizeof(double) * st->count) : NULL;
	for (i = 0; i < st->count; i++)
	{
		const double *key = st->keys + (Size) i * width;

		d.time[i] = key[0];
		d.event[i] = key[1] != 0.0;
		d.weight[i] = (double) st->counts[i];
		memcpy(d.x + (Size) i * st->p, key + 2, sizeof(double) * st->p);
		if (d.entry)
			d.entry[i] = key[st->p + 2];
	}
	m = CoxFit(&d, (const char *const *) st->names);
	KpiCheckProduced("coxph_model", CoxModelError(m, VARSIZE(m)));
	PG_RETURN_POINTER(m);
}


/* Accessors */

Datum
coxph_log_likelihood(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(CoxGetArg(fcinfo, 0)->loglik);
}

Datum
coxph_converged(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(CoxGetArg(fcinfo, 0)->converged);
}

Datum
coxph_concordance(PG_FUNCTION_ARGS)
{
	CoxModel   *m = CoxGetArg(fcinfo, 0);

	if (isnan(m->concordance))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(m->concordance);
}

/* A materialized result set of the caller's row type */
static Tuplestorestate *
CoxResultSet(FunctionCallInfo fcinfo, TupleDesc *tupdesc)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext old;
	Tuplestorestate *ts;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (get_call_result_type(fcinfo, NULL, tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	*tupdesc = CreateTupleDescCopy(*tupdesc);
	ts = tuplestore_begin_heap(true, false, work_mem);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = ts;
	rsinfo->setDesc = *tupdesc;
	MemoryContextSwitchTo(old);
	return ts;
}

/*
 * coxph_coefficients(model, level): one row per covariate: term,
 * coefficient, hazard_ratio exp(coef), std_err, z = coef / se, p_value
 * (two-sided normal), and the hazard ratio's confidence interval
 * exp(coef -/+ z_level se), as R's summary.coxph.
 */
Datum
coxph_coefficients(PG_FUNCTION_ARGS)
{
	CoxModel   *m = CoxGetArg(fcinfo, 0);
	double		zq = KpiConfidenceZ(PG_GETARG_FLOAT8(1));
	TupleDesc	tupdesc;
	Tuplestorestate *ts = CoxResultSet(fcinfo, &tupdesc);
	int			j;

	for (j = 0; j < m->p; j++)
	{
		double		b = COXPH_BETA(m)[j],
					se = sqrt(COXPH_COVAR(m)[j * m->p + j]),
					z = b / se;
		Datum		values[8];
		bool		nulls[8] = {0};

		values[0] = CStringGetTextDatum(CoxTerm(m, j));
		values[1] = Float8GetDatum(b);
		values[2] = Float8GetDatum(exp(b));
		values[3] = Float8GetDatum(se);
		values[4] = Float8GetDatum(z);
		values[5] = Float8GetDatum(KpiNormalTwoSidedP(z));
		values[6] = Float8GetDatum(exp(b - zq * se));
		values[7] = Float8GetDatum(exp(b + zq * se));
		tuplestore_putvalues(ts, tupdesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * coxph_tests(model): the likelihood-ratio 2 (LL - LL0), Wald b' V^-1 b and
 * score (log-rank) U(0)' I(0)^-1 U(0) tests that every coefficient is 0,
 * each chi-square on p degrees of freedom.
 */
Datum
coxph_tests(PG_FUNCTION_ARGS)
{
	CoxModel   *m = CoxGetArg(fcinfo, 0);
	TupleDesc	tupdesc;
	Tuplestorestate *ts = CoxResultSet(fcinfo, &tupdesc);
	int			p = m->p,
				i,
				j,
				k;
	double	   *l = palloc(sizeof(double) * p * p),
			   *z = palloc(sizeof(double) * p);
	double		stats[3],
				wald = 0.0;
	static const char *const tests[] = {"likelihood_ratio", "wald", "score"};

	/* b' V^-1 b = |L^-1 b|^2 with V = L L' */
	memcpy(l, COXPH_COVAR(m), sizeof(double) * p * p);
	for (j = 0; j < p; j++)
	{
		double		s = l[j * p + j];

		for (k = 0; k < j; k++)
			s -= l[j * p + k] * l[j * p + k];
		if (!(s > 0.0))
		{
			wald = get_float8_nan();
			break;
		}
		l[j * p + j] = sqrt(s);
		for (i = j + 1; i < p; i++)
		{
			double		t = l[i * p + j];

			for (k = 0; k < j; k++)
				t -= l[i * p + k] * l[j * p + k];
			l[i * p + j] = t / l[j * p + j];
		}
	}
	if (!isnan(wald))
		for (i = 0; i < p; i++)
		{
			z[i] = COXPH_BETA(m)[i];
			for (k = 0; k < i; k++)
				z[i] -= l[i * p + k] * z[k];
			z[i] /= l[i * p + i];
			wald += z[i] * z[i];
		}
	stats[0] = Max(2.0 * (m->loglik - m->loglik_null), 0.0);
	stats[1] = wald;
	stats[2] = m->score;
	for (i = 0; i < 3; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, isnan(stats[i]), false, isnan(stats[i])};

		values[0] = CStringGetTextDatum(tests[i]);
		values[1] = Float8GetDatum(stats[i]);
		values[2] = Int32GetDatum(p);
		values[3] = Float8GetDatum(isnan(stats[i]) ? 0.0 : KpiChiSquareSurvival(stats[i], p));
		tuplestore_putvalues(ts, tupdesc, values, nulls);
	}
	return (Datum) 0;
}

/* exp(b'(x - center)) for a covariates argument of the model's length */
static double
CoxRelativeRisk(const CoxModel *m, FunctionCallInfo fcinfo, int argno)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(argno);
	int			n,
				j;
	const double *x;
	double		eta = 0.0,
				r;

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("covariates must be a one-dimensional array")));
	n = ARR_NDIM(a) == 0 ? 0 : ARR_DIMS(a)[0];
	if (n != m->p)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("covariates of length %d for a model of %d covariates", n, m->p)));
	if (ARR_HASNULL(a) && array_contains_nulls(a))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a covariate is NULL")));
	x = (const double *) ARR_DATA_PTR(a);
	for (j = 0; j < n; j++)
	{
		if (!isfinite(x[j]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("covariate %d is %s", j + 1, float8out_internal(x[j])),
					 errhint("Covariates must be finite.")));
		eta += COXPH_BETA(m)[j] * (x[j] - COXPH_CENTER(m)[j]);
	}
	r = exp(eta);
	if (!isfinite(r))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the relative risk of these covariates is out of range")));
	return r;
}

/*
 * coxph_survival(model, covariates): at each event time of the fit, the
 * cumulative hazard H0(t) exp(b'(x - center)) of a subject with these
 * covariates and its survival exp(-H), as R's survfit.coxph(fit, newdata)
 * (Breslow's or Efron's baseline hazard as the fit's ties).
 */
Datum
coxph_survival(PG_FUNCTION_ARGS)
{
	CoxModel   *m = CoxGetArg(fcinfo, 0);
	double		r = CoxRelativeRisk(m, fcinfo, 1);
	TupleDesc	tupdesc;
	Tuplestorestate *ts = CoxResultSet(fcinfo, &tupdesc);
	int			i;

	for (i = 0; i < m->ntimes; i++)
	{
		double		h = COXPH_CUMHAZ(m)[i] * r;
		Datum		values[3];
		bool		nulls[3] = {0};

		values[0] = Float8GetDatum(COXPH_TIMES(m)[i]);
		values[1] = Float8GetDatum(h);
		values[2] = Float8GetDatum(exp(-h));
		tuplestore_putvalues(ts, tupdesc, values, nulls);
	}
	return (Datum) 0;
}

/* coxph_survival_at(model, covariates, time): exp(-H(t)), a step function */
Datum
coxph_survival_at(PG_FUNCTION_ARGS)
{
	CoxModel   *m = CoxGetArg(fcinfo, 0);
	double		r = CoxRelativeRisk(m, fcinfo, 1),
				t = PG_GETARG_FLOAT8(2);
	int			lo = 0,
				hi = m->ntimes;

	if (isnan(t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time must not be NaN")));
	/* the number of event times <= t */
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (COXPH_TIMES(m)[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		PG_RETURN_FLOAT8(1.0);
	PG_RETURN_FLOAT8(exp(-COXPH_CUMHAZ(m)[lo - 1] * r));
}
