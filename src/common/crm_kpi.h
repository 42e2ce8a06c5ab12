/*-------------------------------------------------------------------------
 *
 * crm_kpi.h
 *	  Helpers shared by the KPI families of crm_kpi.
 *
 * Statistics (normal and Student t quantiles, Wilson intervals, sketch keys:
 * statistics.c), Nelder-Mead (optimize.c), the scanner of the summary types'
 * text form, float output and the record builder of the interval accessors
 * (textio.c), the summary kit: state fetching, versioned binary I/O, input
 * errors, internal-state scaffolding (summary.c), the expanded summaries
 * (expanded.c), the keyed table (keyed_table.c), entity ids of any type
 * (entity_ids.c), and the checked time
 * arithmetic and condition arrays (crm_kpi.c), all in src/common/.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CRM_KPI_H
#define CRM_KPI_H

#include "postgres.h"

#include <math.h>

#include "access/htup.h"
#include "access/tupdesc.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/expandeddatum.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "compat.h"

/*
 * KPI_FORMER_SYMBOL(former, current): keep exporting the C symbol a function
 * had in an earlier release, as a call of its current one.  A database whose
 * catalog an earlier install script wrote (not yet ALTER EXTENSION crm_kpi
 * UPDATEd) names the former symbol and runs with this library; the upgrade
 * renames the SQL function and points it at the current symbol.  Written
 * beside the current function's PG_FUNCTION_INFO_V1.
 */
#define KPI_FORMER_SYMBOL(former, current) \
	PG_FUNCTION_INFO_V1(former); \
	Datum \
	former(PG_FUNCTION_ARGS) \
	{ \
		return current(fcinfo); \
	} \
	extern int no_such_variable

/* Statistics */
extern double KpiConfidenceZ(double level);
extern double KpiNormalQuantile(double p);
extern double KpiNormalTwoSidedP(double z);
extern double KpiStudentTQuantile(double p, double df);
extern double KpiChiSquareSurvival(double x, double df);
extern void KpiWilsonInterval(int64 successes, int64 trials, double z,
							  double *lower, double *upper);

/*
 * Nelder-Mead minimisation of f over R^n (n <= KPI_MAX_PARAMS), for the
 * maximum-likelihood fits, and the inverse of f's Hessian at the minimum
 * (the estimates' covariance when f is a negative log-likelihood).  Callers optimise over unconstrained parameters
 * (e.g. logs of positive ones); f may return +Inf or NaN to reject a point.
 */
#define KPI_MAX_PARAMS 8

typedef double (*KpiObjective) (const double *x, void *arg);

typedef struct KpiOptimResult
{
	double		value;			/* f at the returned x */
	int			iterations;		/* simplex steps, over all restarts */
	int			evaluations;	/* calls of f */
	bool		converged;
} KpiOptimResult;

extern KpiOptimResult KpiNelderMead(KpiObjective f, void *arg, double *x, int n,
									double step, double tol, int max_iter);
extern bool KpiHessianInverse(KpiObjective f, void *arg, const double *x, int n,
							  double h, double *cov);
/* Cholesky factorisation in place (-1, or the first failing column) and solve */
extern int	KpiCholesky(double *a, int n, double rel_tol);
extern void KpiCholeskySolve(const double *l, int n, double *b);

/*
 * A fit's standard errors as a float8[] (NULL elements where there are none),
 * from the inverse Hessian of its negative log-likelihood f over the
 * log-parameters theta; and parameter_estimates' rows (parameter, estimate,
 * std_err, lower, upper) for a model's parameters, arguments 1 and 2 being
 * the standard errors and the level (params NULL for a NULL model: no rows)
 */
extern Datum KpiStdErrors(KpiObjective f, void *arg, const double *theta,
						  const double *params, int n, bool converged, double h);
extern Datum KpiParameterEstimates(FunctionCallInfo fcinfo, const char *type, int n,
								   const char *const *names, const double *params);

/*
 * Checked time arithmetic, in microseconds.  The valid timestamps span more
 * than an int64 of microseconds (4713 BC to 294276 AD), so every difference
 * or sum of timestamps, intervals and durations goes through these: each
 * either gives the exact answer or fails with a clear 22008 error.
 * KpiTimeDiff(later, earlier) is later - earlier ("interval out of range" on
 * overflow); KpiTimeAdd(t, usecs) is t + usecs, which must be a finite valid
 * timestamp ("timestamp out of range"); KpiTimeWithin(later, earlier, limit)
 * is whether later - earlier <= limit, exactly and without error.  Infinite
 * timestamps are rejected by the first two.
 */
extern int64 KpiTimeDiff(TimestampTz later, TimestampTz earlier);
extern TimestampTz KpiTimeAdd(TimestampTz t, int64 usecs);
extern bool KpiTimeWithin(TimestampTz later, TimestampTz earlier, int64 limit);
/* usecs microseconds as an interval datum (no days, no months) */
extern Datum KpiIntervalDatum(int64 usecs);

/*
 * A value we produced must pass the validator of its type's input functions:
 * problem (the validator's answer, NULL if valid) fails the producing call
 * with a clear 22003 naming the type, never a stored value that cannot be
 * read back.
 */
extern void KpiCheckProduced(const char *type_name, const char *problem);

/* A proportion_summary of successes in trials (proportion.c), for accessors
 * of other families that return one (win rate, step conversion) */
extern Datum KpiProportionDatum(int64 successes, int64 trials);

/*
 * Logarithmic histogram buckets with relative accuracy KPI_SKETCH_ALPHA
 * (DDSketch: Masson, Rim & Lee, VLDB 2019), for mergeable quantiles of
 * positive values: key k holds gamma^(k-1) < x <= gamma^k, and reads back as
 * a value within 1 % of every x in it.
 */
#define KPI_SKETCH_ALPHA	0.01
#define KPI_SKETCH_GAMMA	((1.0 + KPI_SKETCH_ALPHA) / (1.0 - KPI_SKETCH_ALPHA))

extern int32 KpiSketchKey(double x);
extern double KpiSketchValue(int32 key);

/* qsort comparator of doubles (no NaN), increasing */
extern int	KpiCompareDoubles(const void *a, const void *b);

/*
 * percentile_cont(q) of n > 0 sorted values, computed as PostgreSQL's
 * percentile_cont computes it (the same doubles, the same result)
 */
extern double KpiPercentileCont(const double *sorted, int64 n, double q);

/* 22023 unless 0 <= q <= 1: the fraction of every quantile accessor */
extern void KpiCheckQuantileFraction(double q);

/*
 * Hash of a 64-bit key for the keyed tables of aggregate states: the
 * splitmix64 finalizer, which mixes consecutive ids well.
 */
static inline uint32
KpiHash64(uint64 x)
{
	x ^= x >> 30;
	x *= UINT64CONST(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64CONST(0x94d049bb133111eb);
	x ^= x >> 31;
	return (uint32) x;
}

/*
 * The elements of a one-dimensional boolean[] as bits (element k sets bit k
 * of words, NULL counts as false), read in place: no allocation, for the
 * per-row paths of condition aggregates.  Returns the number of elements;
 * words (nwords of them, cleared first) hold them only if it is at most
 * 64 * nwords.  what names the array in the error for more dimensions.
 */
extern int64 KpiBoolArrayBits(ArrayType *array, uint64 *words, int nwords,
							  const char *what);

/*
 * A hash table from int64 keys (entities, customers, durations) to
 * fixed-width rows of int64 words (keyed_table.c): the rows in order of
 * arrival, keys beside them, and an open-addressing index over them (linear
 * probing, at most half full, 4 bytes a bucket).  The layout is here so that
 * a hit, what most rows of an aggregate are, is probed inline.
 */
typedef struct KpiKeyedTable
{
	MemoryContext cxt;
	int			width;			/* int64 words per row */
	uint32		count;
	uint32		capacity;		/* rows allocated */
	uint32		mask;			/* index buckets - 1; buckets >= 2 x capacity */
	bool		dense;			/* is every key the number of its row? */
	uint32	   *index;			/* row + 1 of each bucket; 0 is empty */
	int64	   *keys;
	int64	   *rows;
} KpiKeyedTable;

extern KpiKeyedTable *KpiKeyedCreate(MemoryContext cxt, int width);
extern KpiKeyedTable *KpiKeyedCreateSized(MemoryContext cxt, int width, uint32 capacity);
extern int64 *KpiKeyedInsert(KpiKeyedTable *t, int64 key, uint32 bucket);

/* The row of key, zeroed if new.  Valid until the next lookup. */
static inline int64 *
KpiKeyedLookup(KpiKeyedTable *t, int64 key, bool *found)
{
	uint32		b = KpiHash64((uint64) key) & t->mask;
	uint32		i;

	/* the index has an empty bucket: it is at most half full */
	while ((i = t->index[b]) != 0)
	{
		if (t->keys[i - 1] == key)
		{
			*found = true;
			return t->rows + (Size) (i - 1) * t->width;
		}
		b = (b + 1) & t->mask;
	}
	*found = false;
	return KpiKeyedInsert(t, key, b);
}

/*
 * KpiKeyedLookup for the dense ordinals of a KpiIds dictionary (uuid and
 * text ids), which are mostly the numbers of their own rows, as ids get
 * their ordinals and their rows in the same order: row key while every row
 * holds its own number, with no probe and no read of the keys (the
 * dictionary's lookup was the one probe, and a key read would be one more
 * cache miss a row); else a probe.
 */
static inline int64 *
KpiKeyedLookupOrdinal(KpiKeyedTable *t, int64 key, bool *found)
{
	Assert(!t->dense || (uint64) key >= t->count || t->keys[key] == key);
	if ((uint64) key < t->count && (t->dense || t->keys[key] == key))
	{
		*found = true;
		return t->rows + (Size) key * t->width;
	}
	return KpiKeyedLookup(t, key, found);
}

extern uint32 KpiKeyedCount(const KpiKeyedTable *t);
extern int64 KpiKeyedKey(const KpiKeyedTable *t, uint32 i);
extern int64 *KpiKeyedRow(const KpiKeyedTable *t, uint32 i);
extern void KpiKeyedFree(KpiKeyedTable *t);
extern void KpiKeyedSend(StringInfo buf, const KpiKeyedTable *t);
extern KpiKeyedTable *KpiKeyedRecv(StringInfo buf, MemoryContext cxt, int width);

/*
 * The summary kit (summary.c); doc/conventions.md, "Summary types", says
 * which pattern a family uses.
 *
 * A summary type describes itself to the kit by its SQL name (for messages),
 * its length (-1 for a varlena) and its validator: valid(value, false)
 * checks the header only (the sizes agree, so every access stays in bounds:
 * no loop over the contents), valid(value, true) everything the input
 * functions check.
 */
typedef struct KpiSummaryType
{
	const char *name;
	int16		typlen;
	bool		(*valid) (const void *value, bool full);
} KpiSummaryType;

/* XX001 "<type> value is corrupt" */
extern void KpiSummaryCorrupt(const char *type_name);

/* An argument to read, checked fully */
extern void *KpiSummaryArg(FunctionCallInfo fcinfo, int argno,
						   const KpiSummaryType *type);

/* A checked copy of an argument, for a function that changes it */
extern void *KpiSummaryCopy(FunctionCallInfo fcinfo, int argno,
							const KpiSummaryType *type);

/*
 * Pattern (a): the transition state to update in place.  KpiSummaryState is
 * for the transition functions over rows, whose state is the INITCOND or
 * what they returned: not checked again in an aggregate.
 * KpiSummaryMergeState is for combine functions (and rollup's inverse),
 * whose state may be the executor's copy of the first value merged: its
 * header is checked.  Outside an aggregate both return a checked copy.
 */
extern void *KpiSummaryMergeState(FunctionCallInfo fcinfo, int argno,
								  const KpiSummaryType *type);

/* Inline: the per-row path of every pattern (a) aggregate (see summary.c) */
static inline void *
KpiSummaryState(FunctionCallInfo fcinfo, int argno, const KpiSummaryType *type)
{
	void	   *value;
	Node	   *context = fcinfo->context;

	/*
	 * What AggCheckCallContext(fcinfo, NULL) answers, tested inline: that
	 * call into the server was a tenth of nps(score)'s own work per row
	 * (bench/README.md, "Profiles (issue 16)").
	 */
	if (unlikely(context == NULL ||
				 !(IsA(context, AggState) || IsA(context, WindowAggState))))
		return KpiSummaryCopy(fcinfo, argno, type);
	value = DatumGetPointer(PG_GETARG_DATUM(argno));
	if (type->typlen == -1 && unlikely(VARATT_IS_EXTENDED(value)))
		value = pg_detoast_datum((struct varlena *) value);
	Assert(type->valid(value, true));
	return value;
}

/*
 * Malformed text input (22P02), the last statement of an input function's
 * error path: the message names the type and the literal, problem says what
 * is wrong (a full sentence).  Soft errors from PostgreSQL 16 on.
 */
#define KPI_TEXT_INPUT_ERROR(fcinfo, type_name, str, problem) \
	CRM_INPUT_ERROR(fcinfo, \
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), \
					 errmsg("invalid input syntax for type %s: \"%s\"", \
							(type_name), (str)), \
					 errdetail("%s", (problem))))

/* Malformed binary input (22P03): "invalid <name> binary input", a detail */
#define KpiBinaryInputError(name, ...) \
	ereport(ERROR, \
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION), \
			 errmsg("invalid %s binary input", (name)), \
			 errdetail(__VA_ARGS__)))

/*
 * Versioned binary formats, of summary types (send/recv) and of serialized
 * internal states alike: a version byte first, then pq_send* integers and
 * floats.  name is the type or state named in the 22P03 errors.
 * KpiRecvNeed checks the bytes left (at least, or exactly) before fixed
 * fields are read; KpiRecvCount reads an int32 (size 4) or int64 (size 8)
 * count of items of at least item_bytes each, checked against max and the
 * bytes left before anything is allocated; KpiRecvEnd ends the input.
 */
extern void KpiSendVersion(StringInfo buf, int version);
extern void KpiRecvVersion(StringInfo buf, const char *name, int version);
extern int	KpiRecvVersionRange(StringInfo buf, const char *name, int oldest,
								int newest);
extern void KpiRecvNeed(StringInfo buf, const char *name, int64 bytes, bool exact);
extern int64 KpiRecvCount(StringInfo buf, const char *name, int size, int64 max,
						  int64 item_bytes);
extern void KpiRecvEnd(StringInfo buf, const char *name);

/*
 * Expanded summaries (expanded.c; doc/conventions.md, pattern (b)): a growing
 * summary type whose aggregates keep it as a read/write expanded object in a
 * child of the aggregate context that the states of one aggregate context
 * share, updated in place and flattened (validated) only when a flat value
 * is needed.
 */
extern ExpandedObjectHeader *KpiExpandedCreateState(FunctionCallInfo fcinfo, Size size,
													 const ExpandedObjectMethods *methods);
extern ExpandedObjectHeader *KpiExpandedInPlace(FunctionCallInfo fcinfo, int argno,
												const ExpandedObjectMethods *methods);
extern void *KpiExpandedFlatten(ExpandedObjectHeader *eoh);

/* A read-only message buffer over a bytea (a serialized aggregate state) */
extern void KpiReadBuffer(StringInfo buf, bytea *data);

/*
 * Internal aggregate states: the aggregate's memory context (an elog error
 * outside an aggregate), and the whole of a non-strict combine function:
 * NULL cases, a NULL first state made as an empty copy of the second's
 * parameters (create_like, in the aggregate context), then merge(a, b).
 */
typedef void *(*KpiCreateLike) (MemoryContext cxt, const void *like);
typedef void (*KpiMergeStates) (void *a, const void *b);

extern MemoryContext KpiAggContext(FunctionCallInfo fcinfo);
extern Datum KpiCombineInternal(FunctionCallInfo fcinfo, KpiCreateLike create_like,
								KpiMergeStates merge);

/* Result of a function declared with OUT double precision parameters */
extern Datum KpiFloat8Record(FunctionCallInfo fcinfo, const double *values,
							 const bool *nulls, int natts);

/*
 * Scalar accessors of the fields of record-returning functions (record_field.c):
 * a function "name" of the caller's own schema, taking the caller's argument
 * types, called with the caller's arguments.
 */
typedef struct KpiSibling
{
	FmgrInfo	flinfo;
	TupleDesc	tupdesc;		/* its result row type */
} KpiSibling;

extern KpiSibling *KpiSiblingLookup(FunctionCallInfo fcinfo, const char *name,
									MemoryContext mcxt);
extern bool KpiSiblingCall(KpiSibling *sibling, FunctionCallInfo fcinfo,
						   HeapTupleData *tuple);
extern int	KpiSiblingAttno(const KpiSibling *sibling, const char *field);
extern Datum KpiSiblingField(const KpiSibling *sibling, HeapTupleData *tuple,
							 const char *field, bool *isnull);
extern Datum KpiRecordField(FunctionCallInfo fcinfo, const char *name, const char *field);

/*
 * Scanner for the text form of summary types: JSON-shaped literals such as
 * {"version":1,"scale":[0,10],"counts":[...]}.  Each function skips leading
 * white space and returns false, without consuming, when the input does not
 * match.
 */
typedef struct KpiScanner
{
	const char *pos;
} KpiScanner;

extern bool KpiScanToken(KpiScanner *scan, const char *token);
extern bool KpiScanInt64(KpiScanner *scan, int64 *result);
extern bool KpiScanFloat8(KpiScanner *scan, double *result);
extern bool KpiScanKey(KpiScanner *scan, const char *name);
extern bool KpiScanVersion(KpiScanner *scan, int version, const char **problem);
extern bool KpiScanVersionRange(KpiScanner *scan, int oldest, int newest, int *found,
								const char **problem);
extern bool KpiScanInt64List(KpiScanner *scan, int64 *values, int64 n);
extern bool KpiScanEnd(KpiScanner *scan);

/* JSON strings (entity_ids.c): written escaped; read after the opening quote */
extern void KpiAppendJsonString(StringInfo buf, const char *p, uint32 len);
extern bool KpiScanJsonString(KpiScanner *scan, StringInfo out);

/*
 * Entity ids of any supported type (entity_ids.c), mapped exactly to the
 * int64 keys of the keyed tables: smallint, integer and bigint ids are their
 * own keys; uuid and text ids (varchar reaches text by its implicit cast) get
 * dense ordinals 0, 1, ... in a dictionary of their bytes.  A state embeds a
 * KpiIds; the dictionary is needed only to merge states and to print them.
 */
typedef enum KpiIdKind
{
	KPI_ID_NONE = 0,			/* no id seen yet */
	KPI_ID_INTEGER = 1,
	KPI_ID_UUID = 2,
	KPI_ID_TEXT = 3
} KpiIdKind;

typedef struct KpiIds
{
	MemoryContext cxt;
	KpiIdKind	kind;
	Oid			argtype;		/* of the id argument, once read; else 0 */
	uint32		count;			/* dictionary ids (uuid and text kinds) */
	uint32		capacity;
	uint32		mask;			/* index buckets - 1 */
	uint32	   *index;			/* per bucket, 0 if empty: a uuid's ordinal + 1,
								 * a text's record's offset / 8 + 1 */
	uint32	   *hashes;			/* of each id */
	uint64	   *offsets;		/* text: of id i's record in data */
	char	   *data;			/* uuid i at 16 i; text records, 8-aligned */
	Size		data_used;
	Size		data_size;
	Size		id_bytes;		/* the ids' own bytes */
} KpiIds;

extern void KpiIdsInit(KpiIds *ids, MemoryContext cxt);
/* the key of the non-NULL id argument argno; errors for unsupported types */
extern int64 KpiIdsKeyArg(KpiIds *ids, FunctionCallInfo fcinfo, int argno);
/* once per merge, before translating: the kinds must agree (22023) */
extern void KpiIdsMergeKinds(KpiIds *into, const KpiIds *from);
/* from's key of an id -> into's key of the same id, added if new */
extern int64 KpiIdsTranslate(KpiIds *into, const KpiIds *from, int64 from_key);
extern void KpiIdsCopy(KpiIds *dst, const KpiIds *src, MemoryContext cxt);
extern uint32 KpiIdsCount(const KpiIds *ids);
/* the bytes of the uuid or text id of key */
extern const char *KpiIdsBytes(const KpiIds *ids, int64 key, uint32 *len);
/* writes the id of key at d as KpiIdsSend does (a text's length first); returns the end */
extern char *KpiIdsPut(char *d, const KpiIds *ids, int64 key);
/* byte order of the uuid or text ids of two keys, as stored forms keep them */
extern int	KpiIdsCompare(const KpiIds *ids, int64 a, int64 b);
/* the rows of a table keyed by ids' ordinals in their ids' order; the ids so written */
extern void KpiIdsSortRows(const KpiIds *ids, const KpiKeyedTable *table, uint32 *order,
						   MemoryContext cxt);
extern char *KpiIdsPutRows(char *d, const KpiIds *ids, const KpiKeyedTable *table,
						   const uint32 *order);
extern Size KpiIdsSendSize(const KpiIds *ids);
extern void KpiIdsSend(StringInfo buf, const KpiIds *ids);
extern void KpiIdsRecv(StringInfo buf, KpiIds *ids, MemoryContext cxt);
extern const char *KpiIdsSentError(const char *p, Size len, KpiIdKind kind, uint32 count,
								   const char *mismatch);
/* an id as a JSON value: 123, "uuid" or "text"; and back (added if new) */
extern void KpiIdsAppendJson(StringInfo buf, const KpiIds *ids, int64 key);
extern bool KpiIdsScanJson(KpiScanner *scan, KpiIds *ids, int64 *key);
extern const char *KpiIdKindName(KpiIdKind kind);
extern bool KpiIdKindFromName(const char *name, int len, KpiIdKind *kind);

/* numeric to double, as numeric::float8 gives it, without its text detour
 * (through numeric_send's public wire format), and its display scale */
extern double KpiNumericToFloat8(Numeric num, int *dscale);

/*
 * numeric's public wire format (numeric_send), read in place (textio.c): the
 * value is sign * sum(digit i * 10000^(weight - i)), shown with dscale
 * decimals.  KpiNumericReadWire returns NULL for NaN and the infinities.
 */
#define KPI_NUMERIC_POS		0x0000	/* the wire format's sign words */
#define KPI_NUMERIC_NEG		0x4000

typedef struct KpiNumericWire
{
	int			ndigits;
	int			weight;
	int			sign;
	int			dscale;
	const uint8 *digits;		/* ndigits big-endian int16 words */
} KpiNumericWire;

extern bytea *KpiNumericReadWire(Numeric num, KpiNumericWire *w);

static inline int
KpiNumericWireDigit(const KpiNumericWire *w, int i)
{
	return (int16) ((w->digits[2 * i] << 8) | w->digits[2 * i + 1]);
}

/*
 * Exact numeric sums without numeric arithmetic per row (numeric_sum.c):
 * values as int64 units of 10^-scale while they fit, the rest in a numeric.
 */
#define KPI_MAX_POW10	18
extern const int64 KpiPow10[KPI_MAX_POW10 + 1];
extern bool KpiNumericUnits(const KpiNumericWire *w, int32 scale, int64 *units);
extern Numeric KpiUnitsNumeric(int64 v, int32 scale);

/* A sum in an aggregate state; all zeros is the empty sum (0, scale 0) */
typedef struct KpiNumericSum
{
	int64		units;			/* pending units of 10^-scale */
	int32		scale;			/* the largest display scale added */
	Numeric		folded;			/* what did not fit the units, or NULL */
} KpiNumericSum;

extern void KpiNumericSumAdd(KpiNumericSum *s, Numeric x, bool negate, MemoryContext cxt);
extern Numeric KpiNumericSumTotal(const KpiNumericSum *s);

/* Shortest text that reads back as exactly the same finite double */
extern void KpiAppendFloat8(StringInfo buf, double value);

/*
 * Compensated (Neumaier) summation of doubles: the error of a sum of n terms
 * stays within a few units in the last place of the result, whatever n, where
 * plain summation drifts by up to n of them.  Money sums use it.  "comp"
 * holds the running compensation; the value is sum + comp.  Adding or merging
 * returns false if the sum overflows to infinity.
 */
typedef struct KpiSum
{
	double		sum;
	double		comp;
} KpiSum;

static inline bool
KpiSumAdd(KpiSum *s, double x)
{
	double		t = s->sum + x;

	if (fabs(s->sum) >= fabs(x))
		s->comp += (s->sum - t) + x;
	else
		s->comp += (x - t) + s->sum;
	s->sum = t;
	return isfinite(t) && isfinite(s->comp);
}

static inline bool
KpiSumMerge(KpiSum *a, const KpiSum *b)
{
	if (!KpiSumAdd(a, b->sum))
		return false;
	a->comp += b->comp;
	return isfinite(a->comp);
}

static inline double
KpiSumValue(const KpiSum *s)
{
	return s->sum + s->comp;
}

#endif							/* CRM_KPI_H */
