/*-------------------------------------------------------------------------
 *
 * coxph.c
 *	  Cox proportional hazards regression: the coxph_fit aggregate.
 *
 * coxph_fit([entry,] duration, event, covariates float8[] [, names text[]]
 * [, ties text]) collects the rows in an internal state: the distinct
 * ([entry,] duration, event, covariates) rows, each with its count, in a
 * hash table of the aggregate context that grows with them.  Categorical
 * covariates collapse to few rows; continuous ones keep one row a subject.
 * Two states merge by adding counts, so the aggregate runs in parallel; the
 * final function fits the model (coxph_fit.c) from the merged rows, sorted
 * into one order first: the same fit, to the bit, whatever the split.  The
 * coxph_model type is in coxph_io.c, its accessors in coxph_predict.c.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"

#include "coxph.h"

#define COXPH_STATE_VERSION	1
#define COXPH_MAX_ROWS		((int64) PG_INT32_MAX / 2)	/* distinct rows of a state */

PG_FUNCTION_INFO_V1(coxph_fit_state_accum);
PG_FUNCTION_INFO_V1(coxph_fit_state_accum_named);
PG_FUNCTION_INFO_V1(coxph_fit_state_accum_entry);
PG_FUNCTION_INFO_V1(coxph_fit_state_accum_entry_named);
PG_FUNCTION_INFO_V1(coxph_fit_state_combine);
PG_FUNCTION_INFO_V1(coxph_fit_state_serialize);
PG_FUNCTION_INFO_V1(coxph_fit_state_deserialize);
PG_FUNCTION_INFO_V1(coxph_fit_final);

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
	deconstruct_array(a, ARR_ELEMTYPE(a), -1, false, TYPALIGN_INT, &elems, &nulls, &count);
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

		CHECK_FOR_INTERRUPTS();
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
	d.time = palloc_extended(sizeof(double) * (Size) st->count, MCXT_ALLOC_HUGE);
	d.event = palloc_extended(sizeof(bool) * (Size) st->count, MCXT_ALLOC_HUGE);
	d.weight = palloc_extended(sizeof(double) * (Size) st->count, MCXT_ALLOC_HUGE);
	d.x = palloc_extended(sizeof(double) * st->p * (Size) st->count, MCXT_ALLOC_HUGE);
	d.entry = st->truncated ?
		palloc_extended(sizeof(double) * (Size) st->count, MCXT_ALLOC_HUGE) : NULL;
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
