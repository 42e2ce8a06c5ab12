/*-------------------------------------------------------------------------
 *
 * crm_kpi.c
 *	  Module entry point, and the checked arithmetic and argument decoding
 *	  every family uses: time differences and sums that either are exact or
 *	  fail clearly, and boolean condition arrays read as bits.
 *
 * The KPI families live in their own directories of src/ (src/survey/,
 * src/conversion/, ...); the other shared helpers are in statistics.c,
 * optimize.c and textio.c of this directory.  doc/conventions.md says how a
 * family is built.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include "common/int.h"
#include "utils/builtins.h"

PG_MODULE_MAGIC;

/* Time arithmetic */

static void
TimeCheckFinite(TimestampTz t)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp %s is not finite", TIMESTAMP_IS_NOBEGIN(t) ? "-infinity" : "infinity"),
				 errhint("Time differences are taken between finite timestamps only.")));
}

int64
KpiTimeDiff(TimestampTz later, TimestampTz earlier)
{
	int64		result;

	TimeCheckFinite(later);
	TimeCheckFinite(earlier);
	if (pg_sub_s64_overflow(later, earlier, &result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range"),
				 errdetail("The time between %s and %s exceeds the largest interval.",
						   DatumGetCString(DirectFunctionCall1(timestamptz_out,
															   TimestampTzGetDatum(earlier))),
						   DatumGetCString(DirectFunctionCall1(timestamptz_out,
															   TimestampTzGetDatum(later))))));
	return result;
}

TimestampTz
KpiTimeAdd(TimestampTz t, int64 usecs)
{
	TimestampTz result;

	TimeCheckFinite(t);
	if (pg_add_s64_overflow(t, usecs, &result) || !IS_VALID_TIMESTAMP(result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return result;
}

bool
KpiTimeWithin(TimestampTz later, TimestampTz earlier, int64 limit)
{
	int64		diff;

	/* an overflow is a difference beyond either sign's range */
	if (pg_sub_s64_overflow(later, earlier, &diff))
		return later < earlier;
	return diff <= limit;
}

Datum
KpiIntervalDatum(int64 usecs)
{
	Interval   *result = palloc0(sizeof(Interval));

	result->time = usecs;
	return IntervalPGetDatum(result);
}


/* Boolean conditions */

int64
KpiBoolArrayBits(ArrayType *array, uint64 *words, int nwords, const char *what)
{
	const bool *data;
	const bits8 *nulls;
	int64		n,
				k;

	for (k = 0; k < nwords; k++)
		words[k] = 0;
	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array", what)));
	n = ARR_NDIM(array) == 0 ? 0 : ARR_DIMS(array)[0];
	if (n > (int64) nwords * 64)
		return n;
	data = (const bool *) ARR_DATA_PTR(array);
	nulls = ARR_NULLBITMAP(array);
	/* with a NULL element, data holds only the non-NULL ones */
	for (k = 0; k < n; k++)
	{
		if (nulls && !(nulls[k / 8] & (1 << (k % 8))))
			continue;
		if (*data++)
			words[k / 64] |= UINT64CONST(1) << (k % 64);
	}
	return n;
}
