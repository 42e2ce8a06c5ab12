/*-------------------------------------------------------------------------
 *
 * coxph_io.c
 *	  The coxph_model type: its validator and its versioned text (JSON) and
 *	  binary forms.  The fit is in coxph_fit.c, the aggregate in coxph.c,
 *	  the accessors in coxph_predict.c.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include <math.h>

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"

#include "coxph.h"

PG_FUNCTION_INFO_V1(coxph_model_in);
PG_FUNCTION_INFO_V1(coxph_model_out);
PG_FUNCTION_INFO_V1(coxph_model_recv);
PG_FUNCTION_INFO_V1(coxph_model_send);

const char *const CoxTiesNames[] = {"efron", "breslow"};

/* Why name (len bytes) cannot be a covariate name, or NULL */
const char *
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

CoxModel *
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
const char *
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
