/*-------------------------------------------------------------------------
 *
 * textio.c
 *	  Input and output shared by the summary and model types: the scanner of
 *	  their JSON-shaped text form, shortest-exact float output, numeric to
 *	  double, the check that a produced value is valid, and the record
 *	  builder of the interval accessors.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>

#include "access/htup_details.h"
#include "common/int.h"
#include "common/shortest_dec.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/float.h"

/* Produced values */

void
KpiCheckProduced(const char *type_name, const char *problem)
{
	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s result is out of range", type_name),
				 errdetail("%s", problem)));
}


/* Text scanner for summary literals */

static void
ScanSkipSpace(KpiScanner *scan)
{
	while (isspace((unsigned char) *scan->pos))
		scan->pos++;
}

bool
KpiScanToken(KpiScanner *scan, const char *token)
{
	size_t		len = strlen(token);

	ScanSkipSpace(scan);
	if (strncmp(scan->pos, token, len) != 0)
		return false;
	scan->pos += len;
	return true;
}

/* An optionally signed decimal integer that fits in int64 */
bool
KpiScanInt64(KpiScanner *scan, int64 *result)
{
	const char *p;
	bool		negative = false;
	int64		value = 0;

	ScanSkipSpace(scan);
	p = scan->pos;
	if (*p == '-')
	{
		negative = true;
		p++;
	}
	if (!isdigit((unsigned char) *p))
		return false;

	/* accumulate negatively, so that INT64_MIN is reachable */
	for (; isdigit((unsigned char) *p); p++)
	{
		if (pg_mul_s64_overflow(value, 10, &value) ||
			pg_sub_s64_overflow(value, *p - '0', &value))
			return false;
	}
	if (!negative && pg_sub_s64_overflow(0, value, &value))
		return false;

	*result = value;
	scan->pos = p;
	return true;
}

/* A finite number in JSON syntax (what KpiAppendFloat8 writes) */
bool
KpiScanFloat8(KpiScanner *scan, double *result)
{
	const char *p;
	char	   *end;
	double		value;

	ScanSkipSpace(scan);
	p = scan->pos;
	if (!(*p == '-' || isdigit((unsigned char) *p)))
		return false;
	errno = 0;
	value = strtod(p, &end);	/* the backend's LC_NUMERIC is always C */
	/* ERANGE with a subnormal result is fine: KpiAppendFloat8 writes those */
	if (end == p || (errno == ERANGE && (value == 0.0 || !isfinite(value))) ||
		!isfinite(value) ||
		strspn(p, "-+.0123456789eE") < (size_t) (end - p))
		return false;			/* hex, inf, nan: not JSON */
	*result = value;
	scan->pos = end;
	return true;
}

/* A JSON key and its colon: "name": */
bool
KpiScanKey(KpiScanner *scan, const char *name)
{
	size_t		len = strlen(name);

	ScanSkipSpace(scan);
	if (scan->pos[0] != '"' || strncmp(scan->pos + 1, name, len) != 0 ||
		scan->pos[len + 1] != '"')
		return false;
	scan->pos += len + 2;
	return KpiScanToken(scan, ":");
}

/*
 * The start of every summary literal, {"version":N, with N the format
 * version this code writes; *problem says what is wrong otherwise.
 */
bool
KpiScanVersion(KpiScanner *scan, int version, const char **problem)
{
	int			found;

	return KpiScanVersionRange(scan, version, version, &found, problem);
}

/*
 * The same for a type that reads its earlier formats too: any version from
 * oldest to newest, returned in *found.
 */
bool
KpiScanVersionRange(KpiScanner *scan, int oldest, int newest, int *found,
					const char **problem)
{
	int64		version;

	if (!KpiScanToken(scan, "{") || !KpiScanKey(scan, "version") ||
		!KpiScanInt64(scan, &version))
		return false;
	if (version < oldest || version > newest)
	{
		*problem = oldest == newest ?
			psprintf("Only format version %d is supported.", newest) :
			psprintf("Only format versions %d to %d are supported.", oldest, newest);
		return false;
	}
	*found = (int) version;
	return true;
}

/* n comma-separated integers of the bigint range, then "]" (after a "[") */
bool
KpiScanInt64List(KpiScanner *scan, int64 *values, int64 n)
{
	int64		i;

	for (i = 0; i < n; i++)
		if ((i > 0 && !KpiScanToken(scan, ",")) || !KpiScanInt64(scan, &values[i]))
			return false;
	return KpiScanToken(scan, "]");
}

bool
KpiScanEnd(KpiScanner *scan)
{
	ScanSkipSpace(scan);
	return *scan->pos == '\0';
}

void
KpiAppendFloat8(StringInfo buf, double value)
{
	char		digits[DOUBLE_SHORTEST_DECIMAL_LEN];

	Assert(isfinite(value));
	double_to_shortest_decimal_buf(value, digits);
	appendStringInfoString(buf, digits);
}

/*
 * KpiNumericReadWire
 *		The fields of a finite numeric in its binary wire format (numeric_send:
 *		int16 ndigits, weight, sign and dscale, then ndigits base-10000
 *		digits, the first of weight "weight"), which every client driver reads
 *		and PostgreSQL keeps stable, never the numeric's stored form, which is
 *		PostgreSQL's own business.  Returns the wire bytes (w->digits points
 *		into them), or NULL for NaN and the infinities.
 */
bytea *
KpiNumericReadWire(Numeric num, KpiNumericWire *w)
{
	bytea	   *wire = DatumGetByteaPP(DirectFunctionCall1(numeric_send,
														   NumericGetDatum(num)));
	const uint8 *p = (const uint8 *) VARDATA_ANY(wire);
	int			len = VARSIZE_ANY_EXHDR(wire);

	/* big-endian int16 words, read in place (pq_getmsgint is a call each) */
#define WIRE_WORD(i) ((int16) ((p[2 * (i)] << 8) | p[2 * (i) + 1]))
	if (len < 8)
	{
		pfree(wire);
		return NULL;
	}
	w->ndigits = WIRE_WORD(0);
	w->weight = WIRE_WORD(1);
	w->sign = (uint16) WIRE_WORD(2);
	w->dscale = WIRE_WORD(3);
#undef WIRE_WORD
	w->digits = p + 8;
	if ((w->sign != KPI_NUMERIC_POS && w->sign != KPI_NUMERIC_NEG) ||
		w->ndigits < 0 || len < 8 + 2 * w->ndigits)
	{
		pfree(wire);
		return NULL;
	}
	return wire;
}

/*----------
 * KpiNumericToFloat8
 *		The double nearest to a numeric, as numeric_float8() returns it, and
 *		the numeric's display scale (its number of decimals; 0 for NaN and
 *		the infinities).
 *
 * numeric_float8() prints the numeric and parses the text (about 100 ns a
 * value, most of an aggregate's time over money columns).  Most amounts
 * have few significant digits: when the value is M * 10^E with an integer
 * M < 2^53 and |E| <= 22, both M and 10^E are exact doubles, so one
 * multiplication or division rounds correctly (Clinger's fast path, as in
 * strtod) and gives the same double as the text path.  Everything else
 * (NaN, infinities, more digits) takes numeric_float8().
 *
 * The digits come from numeric_send() (KpiNumericReadWire).
 *----------
 */
double
KpiNumericToFloat8(Numeric num, int *dscale)
{
	static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
		1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
	1e21, 1e22};
	KpiNumericWire w;
	bytea	   *wire = KpiNumericReadWire(num, &w);
	int			exponent,
				i;
	uint64		mantissa = 0;
	double		result;

	*dscale = wire == NULL ? 0 : w.dscale;
	if (wire == NULL || w.ndigits > 4)
		goto slow;				/* NaN, infinities, many digits */
	if (w.ndigits == 0)
	{
		pfree(wire);
		return 0.0;
	}
	for (i = 0; i < w.ndigits; i++)
		mantissa = mantissa * 10000 + (uint64) KpiNumericWireDigit(&w, i);
	exponent = 4 * (w.weight - w.ndigits + 1);
	if (mantissa > (UINT64CONST(1) << 53) || exponent < -22 || exponent > 22)
		goto slow;
	pfree(wire);
	result = exponent >= 0 ? (double) mantissa * pow10[exponent] :
		(double) mantissa / pow10[-exponent];
	return w.sign == KPI_NUMERIC_NEG ? -result : result;

slow:
	if (wire != NULL)
		pfree(wire);
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(num)));
}


/*
 * KpiFloat8Record
 *		Build the composite result of a function with OUT double precision
 *		parameters.  The blessed tuple descriptor is looked up once per call
 *		site and kept in fn_extra, since these functions may run once a row.
 */
Datum
KpiFloat8Record(FunctionCallInfo fcinfo, const double *values,
				const bool *nulls, int natts)
{
	TupleDesc	tupdesc = (TupleDesc) fcinfo->flinfo->fn_extra;
	Datum		datums[8];
	int			i;

	Assert(natts <= lengthof(datums));

	if (tupdesc == NULL)
	{
		MemoryContext oldcontext = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		if (tupdesc->natts != natts)
			elog(ERROR, "expected %d result columns, found %d", natts, tupdesc->natts);
		tupdesc = BlessTupleDesc(tupdesc);
		fcinfo->flinfo->fn_extra = tupdesc;
		MemoryContextSwitchTo(oldcontext);
	}

	for (i = 0; i < natts; i++)
		datums[i] = nulls[i] ? (Datum) 0 : Float8GetDatum(values[i]);

	return HeapTupleGetDatum(heap_form_tuple(tupdesc, datums, (bool *) nulls));
}
