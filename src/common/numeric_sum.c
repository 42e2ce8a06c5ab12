/*-------------------------------------------------------------------------
 *
 * numeric_sum.c
 *	  Exact sums of numeric amounts without numeric arithmetic per row: most
 *	  amounts have few digits, so they are added as int64 counts of units of
 *	  10^-scale, and only what does not fit takes numeric addition.  The
 *	  result is the numeric that adding the values one by one gives, display
 *	  scale included (the largest display scale of the values).
 *
 *	  clv_summary.c keeps such a sum inside its stored type (pending units
 *	  next to a numeric) with KpiNumericUnits and KpiUnitsNumeric;
 *	  KpiNumericSum is the same for a sum that lives in an aggregate state.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include "common/int.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

/* the powers of 10 an int64 holds */
const int64 KpiPow10[KPI_MAX_POW10 + 1] = {INT64CONST(1), INT64CONST(10), INT64CONST(100),
	INT64CONST(1000), INT64CONST(10000), INT64CONST(100000), INT64CONST(1000000),
	INT64CONST(10000000), INT64CONST(100000000), INT64CONST(1000000000),
	INT64CONST(10000000000), INT64CONST(100000000000), INT64CONST(1000000000000),
	INT64CONST(10000000000000), INT64CONST(100000000000000),
	INT64CONST(1000000000000000), INT64CONST(10000000000000000),
	INT64CONST(100000000000000000), INT64CONST(1000000000000000000)};

/*
 * KpiNumericUnits
 *		A finite value read from the wire format as a count of units of
 *		10^-scale (scale at least its display scale), if it fits an int64: at
 *		most 4 base-10000 digits, so that the digits alone stay below 10^16.
 *		With the scale at least the display scale, only the last digit can
 *		reach past the scale (by 1 to 3 decimals, which are zeros): it is
 *		divided by a constant.
 */
bool
KpiNumericUnits(const KpiNumericWire *w, int32 scale, int64 *units)
{
	int64		m = 0;
	int			exponent,
				last,
				i;

	if (w->ndigits > 4)
		return false;
	if (w->ndigits == 0)
	{
		*units = 0;
		return true;
	}
	for (i = 0; i < w->ndigits - 1; i++)
		m = m * 10000 + KpiNumericWireDigit(w, i);
	last = KpiNumericWireDigit(w, w->ndigits - 1);
	exponent = 4 * (w->weight - w->ndigits + 1) + scale;
	switch (exponent)
	{
		case -1:
			m = m * 1000 + last / 10;
			break;
		case -2:
			m = m * 100 + last / 100;
			break;
		case -3:
			m = m * 10 + last / 1000;
			break;
		default:
			m = m * 10000 + last;
			if (exponent < 0 || exponent > KPI_MAX_POW10 ||
				pg_mul_s64_overflow(m, KpiPow10[exponent], &m))
				return false;	/* (exponent < -3: scale below the display scale) */
	}
	*units = w->sign == KPI_NUMERIC_NEG ? -m : m;
	return true;
}

/* KpiUnitsNumeric: v * 10^-scale as a numeric of display scale "scale" */
Numeric
KpiUnitsNumeric(int64 v, int32 scale)
{
	char		digits[24];
	int			n = snprintf(digits, sizeof(digits), UINT64_FORMAT,
							 v < 0 ? -(uint64) v : (uint64) v);
	int			i;
	StringInfoData buf;

	initStringInfo(&buf);
	if (v < 0)
		appendStringInfoChar(&buf, '-');
	if (n <= scale)
	{
		appendStringInfoString(&buf, "0.");
		for (i = n; i < scale; i++)
			appendStringInfoChar(&buf, '0');
		appendStringInfoString(&buf, digits);
	}
	else
	{
		appendBinaryStringInfo(&buf, digits, n - scale);
		if (scale > 0)
			appendStringInfo(&buf, ".%s", digits + n - scale);
	}
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(buf.data),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/* Adds x (negated if asked) to the numeric part of s, kept in cxt */
static void
KpiNumericSumFold(KpiNumericSum *s, Numeric x, bool negate, MemoryContext cxt)
{
	Numeric		sum,
				kept;

	if (s->folded == NULL)
		sum = negate ? DatumGetNumeric(DirectFunctionCall1(numeric_uminus,
														   NumericGetDatum(x))) : x;
	else
		sum = DatumGetNumeric(DirectFunctionCall2(negate ? numeric_sub : numeric_add,
												  NumericGetDatum(s->folded),
												  NumericGetDatum(x)));
	kept = (Numeric) MemoryContextAlloc(cxt, VARSIZE(sum));
	memcpy(kept, sum, VARSIZE(sum));
	if (s->folded != NULL)
		pfree(s->folded);
	s->folded = kept;
}

/*
 * KpiNumericSumAdd
 *		Adds x, or -x if negate, to s; what the numeric part takes is kept in
 *		cxt.  A finite value of at most 16 significant digits whose units fit
 *		is an int64 addition (after scaling the pending units, once, when the
 *		value brings a larger display scale); anything else (many digits,
 *		NaN, an infinity, an overflow of the pending units) is numeric
 *		addition, as before this sum existed.
 */
void
KpiNumericSumAdd(KpiNumericSum *s, Numeric x, bool negate, MemoryContext cxt)
{
	KpiNumericWire w;
	int64		units;

	if (unlikely(KpiNumericReadWire(x, &w) == NULL))
	{
		KpiNumericSumFold(s, x, negate, cxt);	/* NaN or an infinity */
		return;
	}
	if (w.dscale > s->scale)
	{
		/* the pending units in units of the new scale, or into the numeric */
		if (s->units != 0 &&
			(w.dscale - s->scale > KPI_MAX_POW10 ||
			 pg_mul_s64_overflow(s->units, KpiPow10[w.dscale - s->scale], &s->units)))
		{
			KpiNumericSumFold(s, KpiUnitsNumeric(s->units, s->scale), false, cxt);
			s->units = 0;
		}
		s->scale = w.dscale;
	}
	if (likely(KpiNumericUnits(&w, s->scale, &units)) &&
		likely(!(negate ? pg_sub_s64_overflow(s->units, units, &units) :
				 pg_add_s64_overflow(s->units, units, &units))))
		s->units = units;
	else
		KpiNumericSumFold(s, x, negate, cxt);
}

/*
 * KpiNumericSumTotal
 *		The sum, of display scale the largest of the values' (0 for no
 *		value), allocated in the current memory context
 */
Numeric
KpiNumericSumTotal(const KpiNumericSum *s)
{
	Numeric		pending = KpiUnitsNumeric(s->units, s->scale);

	if (s->folded == NULL)
		return pending;
	return DatumGetNumeric(DirectFunctionCall2(numeric_add, NumericGetDatum(s->folded),
											   NumericGetDatum(pending)));
}
