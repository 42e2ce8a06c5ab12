/*-------------------------------------------------------------------------
 *
 * churn.c
 *	  Customer churn and revenue retention: MRR movements per period,
 *	  customer churn and retention rates, NRR and GRR, and the conversion
 *	  of rates between monthly and annual periods.
 *
 * mrr_agg(customer, at, mrr, origin, period, periods) sums each customer's
 * MRR per calendar period (several subscriptions add up), then classifies
 * each customer's change from period k - 1 to k as ChartMogul does (its
 * help article "Data Table and MRR Movements", help.chartmogul.com, article
 * 203299912):
 *
 *	new				0 before, > 0 now, never paying in an earlier period
 *	reactivation	0 before, > 0 now, paying in some earlier period
 *	expansion		> 0 before, more now
 *	contraction		> 0 now, less than before
 *	churn			> 0 before, 0 now (no subscription left)
 *
 * and keeps per period the sums over customers in an mrr_summary, which
 * merges across disjoint sets of customers by adding.  Period 0 is the
 * baseline: it has ending values and no movements.  From these:
 *
 *	customer churn		churned / customers at start (the churned are, by
 *						construction, customers of the starting set)
 *	retention rate		(S - churned) / S: the customers at the start
 *						still paying at the end, over the customers at
 *						the start (never above 1: the reactivated, like
 *						the new, were not in the starting set)
 *	NRR					(start MRR + expansion - contraction - churn) / start MRR
 *	GRR					(start MRR - contraction - churn) / start MRR, <= 1
 *
 * Amounts are kept exactly, as integers of 1/10000 of the currency unit.
 *
 *-------------------------------------------------------------------------
 */
#include "retention.h"

#include <math.h>

#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

/*
 * Version 3 (1.3.0) records the currency (mrr_currency.c), version 2 the
 * time zone; versions 1 (1.1.0) and 2 still read, with no currency
 */
#define MRR_FORMAT_VERSION 3
/* mrr_agg()'s serialized state (parallel plans only) */
#define MRR_STATE_VERSION 2
#define MRR_STATE_NAME "mrr_agg state"
#define MRR_MAX_AMOUNT 1e14		/* per row, in currency units */

/* The fields of each period in an mrr_summary.  Stored: never reorder. */
enum
{
	F_CUSTOMERS,				/* paying at the end of the period */
	F_MRR,						/* their MRR */
	F_NEW_CUSTOMERS,
	F_NEW_MRR,
	F_EXPANSION_CUSTOMERS,
	F_EXPANSION_MRR,
	F_CONTRACTION_CUSTOMERS,
	F_CONTRACTION_MRR,
	F_CHURNED_CUSTOMERS,
	F_CHURNED_MRR,
	F_REACTIVATED_CUSTOMERS,
	F_REACTIVATION_MRR,
	MRR_FIELDS
};

static const char *const FieldNames[MRR_FIELDS] = {
	"customers", "mrr", "new_customers", "new_mrr",
	"expansion_customers", "expansion_mrr", "contraction_customers", "contraction_mrr",
	"churned_customers", "churned_mrr", "reactivated_customers", "reactivation_mrr"
};

/* Money fields print as decimals; the others are counts of customers */
#define FIELD_IS_AMOUNT(f)	((f) % 2 == 1)

struct MrrSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* MRR_FORMAT_VERSION (or 2, or 1 with zone_len 0) */
	uint8		unit;			/* RETENTION_DAY, _WEEK or _MONTH */
	uint8		zone_len;		/* length of the time zone name at the end */
	uint8		reserved;		/* zero */
	int32		periods;		/* N */
	int64		origin;			/* calendar index of period 0 */
	int64		values[FLEXIBLE_ARRAY_MEMBER];	/* MRR_FIELDS per period */
	/* then (version 3) the currency, MRR_CURRENCY_BYTES, and the zone name */
};

/* the size before the currency and the time zone name */
#define MRR_SIZE(n)			(offsetof(MrrSummary, values) + sizeof(int64) * MRR_FIELDS * (n))
#define MRR_AT(s, k, f)		((s)->values[(Size) (k) * MRR_FIELDS + (f)])

PG_FUNCTION_INFO_V1(mrr_summary_in);
PG_FUNCTION_INFO_V1(mrr_summary_out);
PG_FUNCTION_INFO_V1(mrr_summary_recv);
PG_FUNCTION_INFO_V1(mrr_summary_send);
PG_FUNCTION_INFO_V1(mrr_agg_state_accum);
KPI_FORMER_SYMBOL(mrr_accum, mrr_agg_state_accum);
PG_FUNCTION_INFO_V1(mrr_agg_state_combine);
KPI_FORMER_SYMBOL(mrr_combine, mrr_agg_state_combine);
PG_FUNCTION_INFO_V1(mrr_agg_state_serialize);
KPI_FORMER_SYMBOL(mrr_serialize, mrr_agg_state_serialize);
PG_FUNCTION_INFO_V1(mrr_agg_state_deserialize);
KPI_FORMER_SYMBOL(mrr_deserialize, mrr_agg_state_deserialize);
PG_FUNCTION_INFO_V1(mrr_agg_final);
KPI_FORMER_SYMBOL(mrr_final, mrr_agg_final);
PG_FUNCTION_INFO_V1(mrr_summary_combine);
PG_FUNCTION_INFO_V1(mrr_summary_uncombine);
PG_FUNCTION_INFO_V1(mrr_movements);
PG_FUNCTION_INFO_V1(customer_churn_proportion);
KPI_FORMER_SYMBOL(customer_churn, customer_churn_proportion);
PG_FUNCTION_INFO_V1(customer_churn_rate);
PG_FUNCTION_INFO_V1(customer_retention_rate);
PG_FUNCTION_INFO_V1(net_revenue_retention);
PG_FUNCTION_INFO_V1(gross_revenue_retention);
PG_FUNCTION_INFO_V1(arr);
PG_FUNCTION_INFO_V1(arpa);
PG_FUNCTION_INFO_V1(quick_ratio);
PG_FUNCTION_INFO_V1(mrr_movement_table);
PG_FUNCTION_INFO_V1(mrr_summary_currency);
PG_FUNCTION_INFO_V1(annual_churn_rate);
PG_FUNCTION_INFO_V1(monthly_churn_rate);
PG_FUNCTION_INFO_V1(annual_retention_rate);
PG_FUNCTION_INFO_V1(monthly_retention_rate);


/* An empty summary in currency ("" for none) */
MrrSummary *
MrrCreate(const RetentionPeriod *p, int32 periods, int64 origin, const char *currency)
{
	int			zone_len = RetentionZoneLen(p);
	Size		size = MRR_SIZE(periods) + MRR_CURRENCY_BYTES + zone_len;
	MrrSummary *s = palloc0(size);

	SET_VARSIZE(s, size);
	s->version = MRR_FORMAT_VERSION;
	s->unit = p->unit;
	s->zone_len = zone_len;
	RetentionCopyZone((char *) RETENTION_ZONE(s), p);
	MrrSetCurrency((char *) MRR_CURRENCY(s), currency);
	s->periods = periods;
	s->origin = origin;
	return s;
}

void
MrrOverflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("mrr_summary value overflows")));
}

/*
 * Why the values are inconsistent, or NULL.  These are the invariants of
 * every summary mrr_agg() builds, which sums keep and the readers rely on
 * (a churn rate within [0, 1], GRR's kept MRR non-negative,
 * customer_churn_proportion's proportion valid):
 *	- no negative value, and no movement in period 0;
 *	- each paying customer has a positive MRR (of at least one 1/10000 unit):
 *	  for each count and its amount, amount >= count, and amount = 0 when
 *	  count = 0;
 *	- in period k >= 1, the churned, expanding and contracting customers are
 *	  distinct customers of period k - 1: their sum is at most its customers;
 *	- the MRR lost to churn and contraction is part of period k - 1's MRR,
 *	  whose remaining customers keep at least one unit each;
 *	- customers and MRR balance: end = start - churn + new + reactivation
 *	  (MRR: - contraction + expansion);
 *	- the reactivated customers of period k are among those lapsed at the
 *	  end of period k - 1: the churned of periods 1..k-1 less the
 *	  reactivated of periods 2..k-1 (so none in period 1).
 * Computed without overflow: subtractions only of values checked smaller;
 * a lapsed count past bigint (no real summary has one) ends that check.
 */
const char *
MrrValuesError(const MrrSummary *s)
{
	int64		lapsed = 0;
	bool		lapsed_known = true;
	int			k,
				f;

	for (k = 0; k < s->periods; k++)
		for (f = 0; f < MRR_FIELDS; f++)
			if (MRR_AT(s, k, f) < 0 || (k == 0 && f >= F_NEW_CUSTOMERS && MRR_AT(s, k, f) != 0))
				return "Values must be non-negative, with no movement in period 0.";
	for (k = 0; k < s->periods; k++)
		for (f = 0; f < MRR_FIELDS; f += 2)
			if (MRR_AT(s, k, f + 1) < MRR_AT(s, k, f) ||
				(MRR_AT(s, k, f) == 0 && MRR_AT(s, k, f + 1) != 0))
				return psprintf("Each customer counted has a positive MRR: \"%s\" must be at least \"%s\", and 0 where it is 0 (period %d).",
								FieldNames[f + 1], FieldNames[f], k);
	for (k = 1; k < s->periods; k++)
	{
		int64		customers = MRR_AT(s, k - 1, F_CUSTOMERS),
					mrr = MRR_AT(s, k - 1, F_MRR);

		/* the customers of period k - 1 that churned, expanded, contracted */
		if (MRR_AT(s, k, F_CHURNED_CUSTOMERS) > customers ||
			MRR_AT(s, k, F_EXPANSION_CUSTOMERS) > customers - MRR_AT(s, k, F_CHURNED_CUSTOMERS) ||
			MRR_AT(s, k, F_CONTRACTION_CUSTOMERS) >
			customers - MRR_AT(s, k, F_CHURNED_CUSTOMERS) - MRR_AT(s, k, F_EXPANSION_CUSTOMERS))
			return psprintf("The churned, expansion and contraction customers of period %d are more than the customers of period %d.",
							k, k - 1);
		/* the MRR they lost, out of what period k - 1 had */
		if (MRR_AT(s, k, F_CHURNED_MRR) > mrr ||
			MRR_AT(s, k, F_CONTRACTION_MRR) > mrr - MRR_AT(s, k, F_CHURNED_MRR) ||
			mrr - MRR_AT(s, k, F_CHURNED_MRR) - MRR_AT(s, k, F_CONTRACTION_MRR) <
			customers - MRR_AT(s, k, F_CHURNED_CUSTOMERS))
			return psprintf("The MRR lost to churn and contraction in period %d must leave at least 0.0001 to each other customer of period %d.",
							k, k - 1);
		if (lapsed_known)
		{
			if (MRR_AT(s, k, F_REACTIVATED_CUSTOMERS) > lapsed)
				return psprintf("The reactivated customers of period %d are more than the customers that had churned and not come back by period %d.",
								k, k - 1);
			lapsed -= MRR_AT(s, k, F_REACTIVATED_CUSTOMERS);
			lapsed_known = !pg_add_s64_overflow(lapsed, MRR_AT(s, k, F_CHURNED_CUSTOMERS), &lapsed);
		}
		customers -= MRR_AT(s, k, F_CHURNED_CUSTOMERS);
		mrr -= MRR_AT(s, k, F_CHURNED_MRR) + MRR_AT(s, k, F_CONTRACTION_MRR);
		if (pg_add_s64_overflow(customers, MRR_AT(s, k, F_NEW_CUSTOMERS), &customers) ||
			pg_add_s64_overflow(customers, MRR_AT(s, k, F_REACTIVATED_CUSTOMERS), &customers) ||
			customers != MRR_AT(s, k, F_CUSTOMERS) ||
			pg_add_s64_overflow(mrr, MRR_AT(s, k, F_NEW_MRR), &mrr) ||
			pg_add_s64_overflow(mrr, MRR_AT(s, k, F_EXPANSION_MRR), &mrr) ||
			pg_add_s64_overflow(mrr, MRR_AT(s, k, F_REACTIVATION_MRR), &mrr) ||
			mrr != MRR_AT(s, k, F_MRR))
			return psprintf("Period %d must balance: customers and MRR at the end = previous + new + reactivation (+ expansion) - churn (- contraction).",
							k);
	}
	return NULL;
}

const char *
MrrHeaderError(int unit, int64 periods, int64 origin)
{
	if (unit < RETENTION_DAY || unit > RETENTION_MONTH)
		return "The period must be a calendar day, week or month.";
	if (periods < 1 || periods > RETENTION_MAX_PERIODS)
		return "The number of periods must be between 1 and 1024.";
	if (!RetentionIndexValid(unit, origin))
		return "The origin is out of range.";
	return NULL;
}

static void
MrrCheck(const MrrSummary *s, bool full)
{
	if (VARSIZE(s) < offsetof(MrrSummary, values) ||
		!(s->version == MRR_FORMAT_VERSION || s->version == 2 ||
		  (s->version == 1 && s->zone_len == 0)) ||
		s->reserved != 0 ||
		MrrHeaderError(s->unit, s->periods, s->origin) != NULL ||
		VARSIZE(s) != MRR_SIZE(s->periods) + MRR_CURRENCY_SIZE(s->version) + s->zone_len ||
		(s->zone_len > 0 && !RetentionZoneNameValid(RETENTION_ZONE(s), s->zone_len)) ||
		!MrrCurrencyValid(MRR_CURRENCY(s)) ||
		(full && MrrValuesError(s) != NULL))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("mrr_summary value is corrupt")));
}

static MrrSummary *
MrrGetArg(FunctionCallInfo fcinfo, int argno)
{
	MrrSummary *s = (MrrSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	MrrCheck(s, true);
	return s;
}

static RetentionPeriod
MrrPeriod(const MrrSummary *s)
{
	return RetentionStoredPeriod(s->unit, 0, RETENTION_ZONE(s), s->zone_len);
}


/*
 * Text and binary I/O
 *
 * Text: {"version":3,"period":"month","time_zone":"UTC"[,"currency":"EUR"],
 *		  "periods":N,"origin":O,"customers":[...],"mrr":[...],...} with one
 * array per field (no "currency": none, as in versions 1 and 2); amounts
 * as decimals with up to 4 fraction digits, origin the index of period 0's
 * calendar period (days since 1970-01-01, weeks since Monday 1969-12-29 or
 * months since 1970-01).
 * Binary: int8 version, period, (version 3) the currency (int8 length, 0 or
 * 3, and its letters), int32 periods, int64 origin, int64 values.
 */

void
MrrAppendAmount(StringInfo buf, int64 v)
{
	int64		frac = v % MRR_SCALE;

	appendStringInfo(buf, INT64_FORMAT, v / MRR_SCALE);
	if (frac != 0)
	{
		char		digits[8];
		int			n;

		snprintf(digits, sizeof(digits), "%04d", (int) frac);
		for (n = 4; digits[n - 1] == '0'; n--)
			digits[n - 1] = '\0';
		appendStringInfo(buf, ".%s", digits);
	}
}

/* A non-negative decimal with at most 4 fraction digits, exactly */
bool
MrrScanAmount(KpiScanner *scan, int64 *result)
{
	int64		whole,
				frac = 0;
	int			digits = 0;

	/* not even -0: "-0.5" must not read as 0.5 */
	if (KpiScanToken(scan, "-") || !KpiScanInt64(scan, &whole) || whole < 0 ||
		pg_mul_s64_overflow(whole, MRR_SCALE, &whole))
		return false;
	if (*scan->pos == '.')
	{
		scan->pos++;
		while (isdigit((unsigned char) *scan->pos) && digits < 4)
		{
			frac = frac * 10 + (*scan->pos++ - '0');
			digits++;
		}
		if (digits == 0 || isdigit((unsigned char) *scan->pos))
			return false;
		for (; digits < 4; digits++)
			frac *= 10;
	}
	return !pg_add_s64_overflow(whole, frac, result);
}

static MrrSummary *
MrrParse(const char *str, const char **problem)
{
	KpiScanner	scan = {str};
	int64		periods,
				origin;
	RetentionPeriod p;
	int			version;
	char		currency[MRR_CURRENCY_BYTES];
	MrrSummary *s;
	int			f,
				k;

	*problem = "Expected {\"version\":3,\"period\":...,\"periods\":N,\"origin\":O,\"customers\":[...],...}.";
	if (!KpiScanVersionRange(&scan, 1, MRR_FORMAT_VERSION, &version, problem))
		return NULL;
	if (!KpiScanToken(&scan, ",") || !RetentionScanPeriod(&scan, Min(version, 2), &p, problem) ||
		!KpiScanToken(&scan, ","))
		return NULL;
	if (version >= MRR_CURRENCY_VERSION && !MrrScanCurrency(&scan, currency, problem))
		return NULL;
	if (version < MRR_CURRENCY_VERSION)
		memset(currency, 0, sizeof(currency));
	*problem = "Expected {\"version\":3,\"period\":...,\"periods\":N,\"origin\":O,\"customers\":[...],...}.";
	if (!KpiScanKey(&scan, "periods") || !KpiScanInt64(&scan, &periods) ||
		!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "origin") || !KpiScanInt64(&scan, &origin))
		return NULL;
	if ((*problem = MrrHeaderError(p.unit, periods, origin)) != NULL)
		return NULL;
	/* memory follows content: the lists of N values take 24 N characters */
	if (strlen(scan.pos) < 2 * MRR_FIELDS * (size_t) periods)
	{
		*problem = psprintf("The literal is too short for " INT64_FORMAT " periods.", periods);
		return NULL;
	}
	s = MrrCreate(&p, (int32) periods, origin, currency);
	for (f = 0; f < MRR_FIELDS; f++)
	{
		*problem = psprintf("Expected \"%s\" with " INT64_FORMAT " non-negative %s.",
							FieldNames[f], periods,
							FIELD_IS_AMOUNT(f) ? "amounts (at most 4 decimals)" : "counts");
		if (!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, FieldNames[f]) ||
			!KpiScanToken(&scan, "["))
			return NULL;
		for (k = 0; k < periods; k++)
		{
			int64	   *v = &MRR_AT(s, k, f);

			if ((k > 0 && !KpiScanToken(&scan, ",")) ||
				!(FIELD_IS_AMOUNT(f) ? MrrScanAmount(&scan, v) : KpiScanInt64(&scan, v)))
				return NULL;
		}
		if (!KpiScanToken(&scan, "]"))
			return NULL;
	}
	if (!KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
	{
		*problem = "Expected a closing } and nothing after it.";
		return NULL;
	}
	if ((*problem = MrrValuesError(s)) != NULL)
		return NULL;
	return s;
}

Datum
mrr_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *problem;
	MrrSummary *s = MrrParse(str, &problem);

	if (s == NULL)
		CRM_INPUT_ERROR(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type %s: \"%s\"", "mrr_summary", str),
						 errdetail("%s", problem)));
	PG_RETURN_POINTER(s);
}

Datum
mrr_summary_out(PG_FUNCTION_ARGS)
{
	MrrSummary *s = MrrGetArg(fcinfo, 0);
	RetentionPeriod p = MrrPeriod(s);
	StringInfoData buf;
	int			f,
				k;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d,", MRR_FORMAT_VERSION);
	RetentionAppendPeriod(&buf, &p);
	appendStringInfoChar(&buf, ',');
	MrrAppendCurrency(&buf, MRR_CURRENCY(s));
	appendStringInfo(&buf, "\"periods\":%d,\"origin\":" INT64_FORMAT, s->periods, s->origin);
	for (f = 0; f < MRR_FIELDS; f++)
	{
		appendStringInfo(&buf, ",\"%s\":[", FieldNames[f]);
		for (k = 0; k < s->periods; k++)
		{
			if (k > 0)
				appendStringInfoChar(&buf, ',');
			if (FIELD_IS_AMOUNT(f))
				MrrAppendAmount(&buf, MRR_AT(s, k, f));
			else
				appendStringInfo(&buf, INT64_FORMAT, MRR_AT(s, k, f));
		}
		appendStringInfoChar(&buf, ']');
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

Datum
mrr_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	RetentionPeriod p;
	const char *problem;
	int32		periods;
	int64		origin;
	MrrSummary *s;
	char		currency[MRR_CURRENCY_BYTES] = {0};
	int			version,
				i;

	version = KpiRecvVersionRange(buf, "mrr_summary", 1, MRR_FORMAT_VERSION);
	problem = RetentionRecvPeriod(buf, Min(version, 2), &p);
	if (problem == NULL && version >= MRR_CURRENCY_VERSION)
		problem = MrrRecvCurrency(buf, currency);
	if (problem == NULL && buf->len - buf->cursor < 4 + 8)
		problem = "The input is too short.";
	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid mrr_summary header in binary input"),
				 errdetail("%s", problem)));
	periods = pq_getmsgint(buf, 4);
	origin = pq_getmsgint64(buf);
	if ((problem = MrrHeaderError(p.unit, periods, origin)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid mrr_summary header in binary input"),
				 errdetail("%s", problem)));
	if (buf->len - buf->cursor != (int) sizeof(int64) * MRR_FIELDS * periods)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("mrr_summary binary input has %d bytes of values, expected %d",
						buf->len - buf->cursor, (int) sizeof(int64) * MRR_FIELDS * periods)));
	s = MrrCreate(&p, periods, origin, currency);
	for (i = 0; i < MRR_FIELDS * periods; i++)
		s->values[i] = pq_getmsgint64(buf);
	pq_getmsgend(buf);
	if ((problem = MrrValuesError(s)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid mrr_summary values in binary input"),
				 errdetail("%s", problem)));
	PG_RETURN_POINTER(s);
}

Datum
mrr_summary_send(PG_FUNCTION_ARGS)
{
	MrrSummary *s = MrrGetArg(fcinfo, 0);
	RetentionPeriod p = MrrPeriod(s);
	StringInfoData buf;
	int			i;

	KpiSendVersion(&buf, MRR_FORMAT_VERSION);
	RetentionSendPeriod(&buf, &p);
	MrrSendCurrency(&buf, MRR_CURRENCY(s));
	pq_sendint32(&buf, s->periods);
	pq_sendint64(&buf, s->origin);
	for (i = 0; i < MRR_FIELDS * s->periods; i++)
		pq_sendint64(&buf, s->values[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}


/*
 * The internal state of mrr_agg in 1.1.0, for databases not yet updated
 * (ALTER EXTENSION crm_kpi UPDATE), whose catalog names these functions:
 * each customer's MRR per period, in 1/10000 units.  Since 1.2.0 the state
 * is a customer_mrr_summary (customer_mrr.c).
 */

typedef struct MrrState
{
	RetentionPeriod period;
	int32		periods;
	int64		origin;			/* calendar index of period 0 */
	TimestampTz origin_at;		/* the origin argument, to check each row */
	KpiKeyedTable *table;
} MrrState;

static MrrState *
MrrStateCreate(MemoryContext cxt, const RetentionPeriod *p, int32 periods,
			   TimestampTz origin_at)
{
	MrrState   *m = MemoryContextAllocZero(cxt, sizeof(MrrState));

	m->period = *p;
	m->periods = periods;
	m->origin_at = origin_at;
	m->origin = RetentionOrigin(p, origin_at);
	m->table = KpiKeyedCreate(cxt, periods);
	return m;
}

int64
MrrAmount(double mrr)
{
	if (isnan(mrr) || mrr < 0.0 || mrr > MRR_MAX_AMOUNT)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("MRR %g is out of range", mrr),
				 errhint("MRR is a non-negative amount below 1e14.")));
	return (int64) llround(mrr * MRR_SCALE);
}

/*
 * A numeric MRR in 1/10000 units, exactly (rounded half away from zero
 * past 4 decimals), within the range of MrrAmount.  An amount of at most 4
 * decimals and 16 significant digits is read from its digits, without
 * numeric arithmetic; the rest (and every amount out of range, for the
 * error) takes numeric multiplication.
 */
int64
MrrAmountNumeric(Datum mrr)
{
	/* the constants, made once per backend */
	static Datum scale = (Datum) 0;
	static Datum zero;
	static Datum limit;
	Numeric		n = DatumGetNumeric(mrr);
	KpiNumericWire w;
	int64		units;

	StaticAssertStmt(MRR_SCALE == 10000, "MRR units are of 10^-4");
	if (likely(KpiNumericReadWire(n, &w) != NULL) && w.dscale <= 4 &&
		KpiNumericUnits(&w, 4, &units) &&
		units >= 0 && units <= (int64) MRR_MAX_AMOUNT * MRR_SCALE)
		return units;
	if (unlikely(scale == (Datum) 0))
	{
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		zero = DirectFunctionCall1(int8_numeric, Int64GetDatum(0));
		limit = DirectFunctionCall1(int8_numeric, Int64GetDatum((int64) MRR_MAX_AMOUNT));
		scale = DirectFunctionCall1(int8_numeric, Int64GetDatum(MRR_SCALE));
		MemoryContextSwitchTo(old);
	}
	if (numeric_is_nan(n) || numeric_is_inf(n) ||
		DatumGetBool(DirectFunctionCall2(numeric_lt, mrr, zero)) ||
		DatumGetBool(DirectFunctionCall2(numeric_gt, mrr, limit)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("MRR %s is out of range",
						DatumGetCString(DirectFunctionCall1(numeric_out, mrr))),
				 errhint("MRR is a non-negative amount below 1e14.")));
	/* numeric_int8 rounds half away from zero */
	return DatumGetInt64(DirectFunctionCall1(numeric_int8,
											 DirectFunctionCall2(numeric_mul, mrr, scale)));
}

/*
 * mrr_agg_state_accum(state, customer, at, mrr, origin, period, periods
 *					   [, time_zone])
 *		Adds mrr to the customer's MRR in the period holding "at".  Rows with
 *		a NULL customer, time or MRR are skipped; rows before the origin's
 *		period or at or after the end of the last period are ignored.
 */
Datum
mrr_agg_state_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	MrrState   *m;
	RetentionPeriod p;
	int32		periods;
	TimestampTz origin_at;
	TimestampTz at;
	int64		k;
	int64	   *row;
	bool		found;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "mrr_agg_state_accum called in non-aggregate context");
	if (PG_ARGISNULL(4) || PG_ARGISNULL(5) || PG_ARGISNULL(6))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("MRR origin, period and number of periods must not be null")));
	origin_at = PG_GETARG_TIMESTAMPTZ(4);
	periods = RetentionCheckPeriods(PG_GETARG_INT32(6));
	p = RetentionPeriodFromArgs(PG_GETARG_INTERVAL_P(5), NULL, RetentionZoneArg(fcinfo, 7));

	if (PG_ARGISNULL(0))
		m = MrrStateCreate(aggcxt, &p, periods, origin_at);
	else
	{
		m = (MrrState *) PG_GETARG_POINTER(0);
		if (!RetentionSamePeriod(&m->period, &p) || m->periods != periods ||
			m->origin_at != origin_at)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("MRR origin or period changed within one aggregate")));
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_POINTER(m);

	at = PG_GETARG_TIMESTAMPTZ(2);
	k = RetentionIndex(&m->period, m->origin, at);
	/* as customer_mrr_summary_accum: rows outside the periods are ignored */
	if (k < 0 || k >= m->periods)
		PG_RETURN_POINTER(m);
	row = KpiKeyedLookup(m->table, PG_GETARG_INT64(1), &found);
	if (pg_add_s64_overflow(row[k], MrrAmount(PG_GETARG_FLOAT8(3)), &row[k]))
		MrrOverflow();
	PG_RETURN_POINTER(m);
}

Datum
mrr_agg_state_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	MrrState   *a = PG_ARGISNULL(0) ? NULL : (MrrState *) PG_GETARG_POINTER(0);
	MrrState   *b = PG_ARGISNULL(1) ? NULL : (MrrState *) PG_GETARG_POINTER(1);
	uint32		i;
	int			k;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "mrr_agg_state_combine called in non-aggregate context");
	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = MrrStateCreate(aggcxt, &b->period, b->periods, b->origin_at);
	if (!RetentionSamePeriod(&a->period, &b->period) || a->periods != b->periods ||
		a->origin != b->origin)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("MRR origin or period changed within one aggregate")));
	for (i = 0; i < KpiKeyedCount(b->table); i++)
	{
		bool		found;
		int64	   *from = KpiKeyedRow(b->table, i);
		int64	   *to = KpiKeyedLookup(a->table, KpiKeyedKey(b->table, i), &found);

		for (k = 0; k < a->periods; k++)
			if (pg_add_s64_overflow(to[k], from[k], &to[k]))
				MrrOverflow();
		CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_POINTER(a);
}

Datum
mrr_agg_state_serialize(PG_FUNCTION_ARGS)
{
	MrrState   *m = (MrrState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	KpiSendVersion(&buf, MRR_STATE_VERSION);
	RetentionSendPeriod(&buf, &m->period);
	pq_sendint32(&buf, m->periods);
	pq_sendint64(&buf, m->origin_at);
	pq_sendint64(&buf, m->origin);
	KpiKeyedSend(&buf, m->table);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
mrr_agg_state_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	MrrState   *m;
	const char *problem;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "mrr_agg_state_deserialize called in non-aggregate context");
	KpiReadBuffer(&buf, bytes);
	KpiRecvVersion(&buf, MRR_STATE_NAME, MRR_STATE_VERSION);
	m = palloc0(sizeof(MrrState));
	if ((problem = RetentionRecvPeriod(&buf, MRR_STATE_VERSION, &m->period)) != NULL)
		KpiBinaryInputError(MRR_STATE_NAME, "%s", problem);
	KpiRecvNeed(&buf, MRR_STATE_NAME, 4 + 8 + 8, false);
	m->periods = RetentionCheckPeriods(pq_getmsgint(&buf, 4));
	m->origin_at = pq_getmsgint64(&buf);
	m->origin = pq_getmsgint64(&buf);
	m->table = KpiKeyedRecv(&buf, CurrentMemoryContext, m->periods);
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(m);
}

/* Add the value v to field f of period k */
static inline void
MrrAdd(MrrSummary *s, int k, int f, int64 v)
{
	if (pg_add_s64_overflow(MRR_AT(s, k, f), v, &MRR_AT(s, k, f)))
		MrrOverflow();
}

/* Classify one customer's MRR series into the summary (see the header) */
void
MrrAddCustomer(MrrSummary *s, const int64 *mrr)
{
	bool		paid_before = false;	/* in some period before k - 1 */
	int			k;

	for (k = 0; k < s->periods; k++)
	{
		int64		prev = k > 0 ? mrr[k - 1] : 0;
		int64		cur = mrr[k];

		if (cur > 0)
		{
			MrrAdd(s, k, F_CUSTOMERS, 1);
			MrrAdd(s, k, F_MRR, cur);
		}
		if (k > 0)
		{
			if (prev == 0 && cur > 0)
			{
				MrrAdd(s, k, paid_before ? F_REACTIVATED_CUSTOMERS : F_NEW_CUSTOMERS, 1);
				MrrAdd(s, k, paid_before ? F_REACTIVATION_MRR : F_NEW_MRR, cur);
			}
			else if (prev > 0 && cur == 0)
			{
				MrrAdd(s, k, F_CHURNED_CUSTOMERS, 1);
				MrrAdd(s, k, F_CHURNED_MRR, prev);
			}
			else if (prev > 0 && cur > prev)
			{
				MrrAdd(s, k, F_EXPANSION_CUSTOMERS, 1);
				MrrAdd(s, k, F_EXPANSION_MRR, cur - prev);
			}
			else if (prev > 0 && cur < prev)
			{
				MrrAdd(s, k, F_CONTRACTION_CUSTOMERS, 1);
				MrrAdd(s, k, F_CONTRACTION_MRR, prev - cur);
			}
		}
		paid_before = paid_before || prev > 0;
	}
}

Datum
mrr_agg_final(PG_FUNCTION_ARGS)
{
	MrrState   *m = (MrrState *) PG_GETARG_POINTER(0);
	MrrSummary *s = MrrCreate(&m->period, m->periods, m->origin, "");
	uint32		i;

	for (i = 0; i < KpiKeyedCount(m->table); i++)
	{
		MrrAddCustomer(s, KpiKeyedRow(m->table, i));
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	KpiCheckProduced("mrr_summary", MrrValuesError(s));
	PG_RETURN_POINTER(s);
}

/* The state argument of a merge: in place as an aggregate, else a copy */
static MrrSummary *
MrrGetState(FunctionCallInfo fcinfo, int argno)
{
	MrrSummary *s;
	bool		in_aggregate = AggCheckCallContext(fcinfo, NULL);

	/* a state we built needs only the header check; a bare argument all */
	if (in_aggregate)
		s = (MrrSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));
	else
		s = (MrrSummary *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(argno));
	MrrCheck(s, !in_aggregate);
	return s;
}

/* When period 0 begins, for a message: never an error inside the error */
static char *
MrrOriginText(const RetentionPeriod *p, int64 origin)
{
	TimestampTz t;

	if (RetentionTryPeriodStart(p, origin, 0, &t))
		return RetentionTimestampText(t);
	return psprintf("%s " INT64_FORMAT, RetentionPeriodName(p), origin);
}

/*
 * Merging two summaries (what names them in the error) of periods na from
 * origin oa and nb from ob: the same periods, or an error naming both
 */
void
MrrCheckSame(const char *what, const RetentionPeriod *pa, int32 na, int64 oa,
			 const RetentionPeriod *pb, int32 nb, int64 ob)
{
	/* periods from one origin in two zones: the zone is what differs */
	if (pa->unit == pb->unit && na == nb)
		RetentionCheckSameZone(what, pa, pb);
	if (pa->unit != pb->unit || na != nb || oa != ob)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge %s with different periods or origins", what),
				 errdetail("One has %d periods of %s from %s, the other %d of %s from %s.",
						   na, RetentionPeriodName(pa), MrrOriginText(pa, oa),
						   nb, RetentionPeriodName(pb), MrrOriginText(pb, ob))));
}

static void
MrrSummaryCheckSame(const MrrSummary *a, const MrrSummary *b)
{
	RetentionPeriod pa = MrrPeriod(a);
	RetentionPeriod pb = MrrPeriod(b);

	MrrCheckSame("MRR summaries", &pa, a->periods, a->origin, &pb, b->periods, b->origin);
}

/*
 * The state a of a merge with b, in their currency (22023 if they have
 * two): a itself, or when a has no currency and b one, a with b's (a copy
 * in the newest format if a's has no room for it)
 */
static MrrSummary *
MrrMergeCurrencyInto(MrrSummary *a, const MrrSummary *b)
{
	const char *currency = MrrMergeCurrency(MRR_CURRENCY(a), MRR_CURRENCY(b));
	RetentionPeriod p;
	MrrSummary *c;

	if (strcmp(currency, MRR_CURRENCY(a)) == 0)
		return a;
	if (a->version >= MRR_CURRENCY_VERSION)
	{
		MrrSetCurrency((char *) MRR_CURRENCY(a), currency);
		return a;
	}
	p = MrrPeriod(a);
	c = MrrCreate(&p, a->periods, a->origin, currency);
	memcpy(c->values, a->values, sizeof(int64) * MRR_FIELDS * a->periods);
	return c;
}

/* mrr_summary_combine(a, b): a + b, for disjoint sets of customers */
Datum
mrr_summary_combine(PG_FUNCTION_ARGS)
{
	MrrSummary *a = MrrGetState(fcinfo, 0);
	MrrSummary *b = MrrGetArg(fcinfo, 1);
	int			i;

	MrrSummaryCheckSame(a, b);
	a = MrrMergeCurrencyInto(a, b);
	for (i = 0; i < MRR_FIELDS * a->periods; i++)
		if (pg_add_s64_overflow(a->values[i], b->values[i], &a->values[i]))
			MrrOverflow();
	KpiCheckProduced("mrr_summary", MrrValuesError(a));
	PG_RETURN_POINTER(a);
}

/* mrr_summary_uncombine(a, b): a - b, the moving-window inverse of rollup() */
Datum
mrr_summary_uncombine(PG_FUNCTION_ARGS)
{
	MrrSummary *a = MrrGetState(fcinfo, 0);
	MrrSummary *b = MrrGetArg(fcinfo, 1);
	bool		bad = false;
	int			i;

	MrrSummaryCheckSame(a, b);
	a = MrrMergeCurrencyInto(a, b);
	/* an overflow, as any inconsistency, means b was not merged in */
	for (i = 0; i < MRR_FIELDS * a->periods && !bad; i++)
		bad = pg_sub_s64_overflow(a->values[i], b->values[i], &a->values[i]);
	if (bad || MrrValuesError(a) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove an MRR summary that was not merged in")));
	PG_RETURN_POINTER(a);
}


/* Accessors */

static int
MrrPeriodArg(FunctionCallInfo fcinfo, const MrrSummary *s, int argno)
{
	int32		k = PG_GETARG_INT32(argno);

	if (k < 0 || k >= s->periods)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period %d is out of range for an MRR summary of %d periods",
						k, s->periods),
				 errhint("Periods are numbered from 0 to %d; period 0 is the baseline and has no movements.",
						 s->periods - 1)));
	return k;
}

static inline double
Amount(int64 v)
{
	return (double) v / MRR_SCALE;
}

/* The rates of period k >= 1; false where the denominator is zero */
static bool
CustomerChurn(const MrrSummary *s, int k, double *rate)
{
	int64		start = MRR_AT(s, k - 1, F_CUSTOMERS);

	if (k == 0 || start == 0)
		return false;
	*rate = (double) MRR_AT(s, k, F_CHURNED_CUSTOMERS) / start;
	return true;
}

static bool
CustomerRetention(const MrrSummary *s, int k, double *rate)
{
	int64		start = MRR_AT(s, k - 1, F_CUSTOMERS);

	if (k == 0 || start == 0)
		return false;
	/*
	 * The customers of the start still paying at the end.  (E - N) / S would
	 * count the reactivated too, customers of no starting set, and exceed 1
	 * when more come back than leave; the churned are of the starting set.
	 */
	*rate = (double) (start - MRR_AT(s, k, F_CHURNED_CUSTOMERS)) / start;
	return true;
}

static bool
RevenueRetention(const MrrSummary *s, int k, bool net, double *rate)
{
	int64		start = MRR_AT(s, k - 1, F_MRR);
	int64		kept;

	if (k == 0 || start == 0)
		return false;
	/* the lost amounts are parts of the start: no overflow */
	kept = start - MRR_AT(s, k, F_CONTRACTION_MRR) - MRR_AT(s, k, F_CHURNED_MRR);
	*rate = ((double) kept + (net ? (double) MRR_AT(s, k, F_EXPANSION_MRR) : 0.0)) / start;
	return true;
}

/*
 * mrr_movements(s): one row per period 0..N-1.  Period 0 has only its
 * ending customers and MRR; the rates are NULL where their denominator is 0.
 */
#define MOVEMENT_COLUMNS 19

Datum
mrr_movements(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	MrrSummary *s;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		s = (MrrSummary *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
		MrrCheck(s, true);
		funcctx->user_fctx = s;
		funcctx->max_calls = s->periods;
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	s = (MrrSummary *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		int			k = (int) funcctx->call_cntr;
		RetentionPeriod p = MrrPeriod(s);
		Datum		values[MOVEMENT_COLUMNS];
		bool		nulls[MOVEMENT_COLUMNS];
		double		rate;
		int			c;

		memset(nulls, k == 0, sizeof(nulls));
		values[0] = Int32GetDatum(k);
		values[1] = TimestampTzGetDatum(RetentionPeriodStart(&p, s->origin, k));
		nulls[0] = nulls[1] = false;
		if (k > 0)
		{
			values[2] = Int64GetDatum(MRR_AT(s, k - 1, F_CUSTOMERS));
			values[3] = Int64GetDatum(MRR_AT(s, k, F_NEW_CUSTOMERS));
			values[4] = Int64GetDatum(MRR_AT(s, k, F_REACTIVATED_CUSTOMERS));
			values[5] = Int64GetDatum(MRR_AT(s, k, F_CHURNED_CUSTOMERS));
			values[7] = Float8GetDatum(Amount(MRR_AT(s, k - 1, F_MRR)));
			values[8] = Float8GetDatum(Amount(MRR_AT(s, k, F_NEW_MRR)));
			values[9] = Float8GetDatum(Amount(MRR_AT(s, k, F_EXPANSION_MRR)));
			values[10] = Float8GetDatum(Amount(MRR_AT(s, k, F_CONTRACTION_MRR)));
			values[11] = Float8GetDatum(Amount(MRR_AT(s, k, F_CHURNED_MRR)));
			values[12] = Float8GetDatum(Amount(MRR_AT(s, k, F_REACTIVATION_MRR)));
			values[14] = Float8GetDatum(Amount(MRR_AT(s, k, F_MRR) - MRR_AT(s, k - 1, F_MRR)));
			nulls[15] = !CustomerChurn(s, k, &rate);
			values[15] = Float8GetDatum(rate);
			nulls[16] = !CustomerRetention(s, k, &rate);
			values[16] = Float8GetDatum(rate);
			nulls[17] = !RevenueRetention(s, k, true, &rate);
			values[17] = Float8GetDatum(rate);
			nulls[18] = !RevenueRetention(s, k, false, &rate);
			values[18] = Float8GetDatum(rate);
		}
		values[6] = Int64GetDatum(MRR_AT(s, k, F_CUSTOMERS));
		values[13] = Float8GetDatum(Amount(MRR_AT(s, k, F_MRR)));
		nulls[6] = nulls[13] = false;
		for (c = 0; c < MOVEMENT_COLUMNS; c++)
			if (nulls[c])
				values[c] = (Datum) 0;
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}

/*
 * customer_churn_proportion(s, period): the churned customers of the period
 * out of the customers at its start, as a proportion_summary (rate, Wilson
 * interval, comparison of two segments or periods); NULL for period 0.
 */
Datum
customer_churn_proportion(PG_FUNCTION_ARGS)
{
	MrrSummary *s = MrrGetArg(fcinfo, 0);
	int			k = MrrPeriodArg(fcinfo, s, 1);

	if (k == 0)
		PG_RETURN_NULL();
	return KpiProportionDatum(MRR_AT(s, k, F_CHURNED_CUSTOMERS), MRR_AT(s, k - 1, F_CUSTOMERS));
}

/*
 * customer_churn_rate(s, period, denominator): churned customers over the
 * customers at the start ('start', the default) or over the average of the
 * customers at the start and the end ('average', Lean Analytics' variant).
 */
Datum
customer_churn_rate(PG_FUNCTION_ARGS)
{
	MrrSummary *s = MrrGetArg(fcinfo, 0);
	int			k = MrrPeriodArg(fcinfo, s, 1);
	char	   *denominator = text_to_cstring(PG_GETARG_TEXT_PP(2));
	double		rate;

	if (strcmp(denominator, "start") == 0)
	{
		if (!CustomerChurn(s, k, &rate))
			PG_RETURN_NULL();
	}
	else if (strcmp(denominator, "average") == 0)
	{
		double		average;

		if (k == 0)
			PG_RETURN_NULL();
		average = ((double) MRR_AT(s, k - 1, F_CUSTOMERS) + (double) MRR_AT(s, k, F_CUSTOMERS)) / 2.0;
		if (average == 0.0)
			PG_RETURN_NULL();
		rate = (double) MRR_AT(s, k, F_CHURNED_CUSTOMERS) / average;
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unrecognized churn denominator \"%s\"", denominator),
				 errhint("Valid denominators are \"start\" and \"average\".")));
	PG_RETURN_FLOAT8(rate);
}

Datum
customer_retention_rate(PG_FUNCTION_ARGS)
{
	MrrSummary *s = MrrGetArg(fcinfo, 0);
	double		rate;

	if (!CustomerRetention(s, MrrPeriodArg(fcinfo, s, 1), &rate))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(rate);
}

Datum
net_revenue_retention(PG_FUNCTION_ARGS)
{
	MrrSummary *s = MrrGetArg(fcinfo, 0);
	double		rate;

	if (!RevenueRetention(s, MrrPeriodArg(fcinfo, s, 1), true, &rate))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(rate);
}

Datum
gross_revenue_retention(PG_FUNCTION_ARGS)
{
	MrrSummary *s = MrrGetArg(fcinfo, 0);
	double		rate;

	if (!RevenueRetention(s, MrrPeriodArg(fcinfo, s, 1), false, &rate))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(rate);
}


/*
 * ARR, ARPA and the quick ratio, as ChartMogul defines them ("ARR" = 12 x
 * MRR; "ARPA" = MRR / active customers; Baremetrics' and ChartMogul's
 * "Quick Ratio" = (new + expansion + reactivation MRR) / (contraction +
 * churned MRR)).  The amounts are numeric, exact: the summary keeps
 * integers of 1/10000 of the currency unit.
 */

/* An amount in 1/10000 units as numeric, exactly (also mrr_cohort.c, mrr_plan.c) */
Datum
MrrNumeric(int64 v)
{
	StringInfoData buf;

	initStringInfo(&buf);
	MrrAppendAmount(&buf, v);
	return DirectFunctionCall3(numeric_in, CStringGetDatum(buf.data),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

/* arr(s, period): 12 x the MRR at the end of the period, numeric */
Datum
arr(PG_FUNCTION_ARGS)
{
	MrrSummary *s = MrrGetArg(fcinfo, 0);
	int			k = MrrPeriodArg(fcinfo, s, 1);
	int64		v;

	if (pg_mul_s64_overflow(MRR_AT(s, k, F_MRR), 12, &v))
		MrrOverflow();
	PG_RETURN_DATUM(MrrNumeric(v));
}

/*
 * arpa(s, period): average revenue per account, the MRR at the end of the
 * period over the customers paying then; NULL when none pays
 */
Datum
arpa(PG_FUNCTION_ARGS)
{
	MrrSummary *s = MrrGetArg(fcinfo, 0);
	int			k = MrrPeriodArg(fcinfo, s, 1);

	if (MRR_AT(s, k, F_CUSTOMERS) == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(DirectFunctionCall2(numeric_div, MrrNumeric(MRR_AT(s, k, F_MRR)),
										DirectFunctionCall1(int8_numeric,
															Int64GetDatum(MRR_AT(s, k, F_CUSTOMERS)))));
}

/*
 * quick_ratio(s, period): (new + expansion + reactivation) / (contraction +
 * churn) MRR of the period; NULL for period 0 (no movements) and when
 * nothing was lost (the ratio is unbounded: a period of growth with no
 * loss, or no movement at all)
 */
Datum
quick_ratio(PG_FUNCTION_ARGS)
{
	MrrSummary *s = MrrGetArg(fcinfo, 0);
	int			k = MrrPeriodArg(fcinfo, s, 1);
	int64		gained,
				lost;

	if (k == 0)
		PG_RETURN_NULL();
	/* each loss is part of period k - 1's MRR: their sum cannot overflow */
	lost = MRR_AT(s, k, F_CONTRACTION_MRR) + MRR_AT(s, k, F_CHURNED_MRR);
	if (lost == 0)
		PG_RETURN_NULL();
	if (pg_add_s64_overflow(MRR_AT(s, k, F_NEW_MRR), MRR_AT(s, k, F_EXPANSION_MRR), &gained) ||
		pg_add_s64_overflow(gained, MRR_AT(s, k, F_REACTIVATION_MRR), &gained))
		MrrOverflow();
	PG_RETURN_FLOAT8((double) gained / (double) lost);
}

/*
 * mrr_movement_table(s): tidy rows (period, period_start, movement,
 * customers, mrr), the five movements of each period 1..N-1 in a fixed
 * order, each with its customers and its MRR (numeric, non-negative: churn
 * and contraction are amounts lost)
 */
#define MOVEMENT_TABLE_COLUMNS 5

static const struct
{
	const char *name;
	int			field;			/* its customers; the MRR follows */
}			MovementKinds[] = {
	{"new", F_NEW_CUSTOMERS},
	{"expansion", F_EXPANSION_CUSTOMERS},
	{"contraction", F_CONTRACTION_CUSTOMERS},
	{"churn", F_CHURNED_CUSTOMERS},
	{"reactivation", F_REACTIVATED_CUSTOMERS}
};

#define MOVEMENT_KINDS lengthof(MovementKinds)

Datum
mrr_movement_table(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	MrrSummary *s;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		s = (MrrSummary *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
		MrrCheck(s, true);
		funcctx->user_fctx = s;
		funcctx->max_calls = (uint64) (s->periods - 1) * MOVEMENT_KINDS;
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	s = (MrrSummary *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		int			k = 1 + (int) (funcctx->call_cntr / MOVEMENT_KINDS);
		int			m = (int) (funcctx->call_cntr % MOVEMENT_KINDS);
		RetentionPeriod p = MrrPeriod(s);
		Datum		values[MOVEMENT_TABLE_COLUMNS];
		bool		nulls[MOVEMENT_TABLE_COLUMNS] = {false};

		values[0] = Int32GetDatum(k);
		values[1] = TimestampTzGetDatum(RetentionPeriodStart(&p, s->origin, k));
		values[2] = CStringGetTextDatum(MovementKinds[m].name);
		values[3] = Int64GetDatum(MRR_AT(s, k, MovementKinds[m].field));
		values[4] = MrrNumeric(MRR_AT(s, k, MovementKinds[m].field + 1));
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}


/*
 * Monthly <-> annual rates, at a constant hazard: a customer retained for a
 * year is retained through each of its twelve months, each time with the
 * same monthly rate, so
 *	annual churn = 1 - (1 - monthly churn)^12, annual retention = monthly^12
 */

static double
RateArg(FunctionCallInfo fcinfo)
{
	double		rate = PG_GETARG_FLOAT8(0);

	if (!(rate >= 0.0 && rate <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("rate %g is out of range", rate),
				 errhint("Rates are fractions from 0 to 1.")));
	return rate;
}

Datum
annual_churn_rate(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(1.0 - pow(1.0 - RateArg(fcinfo), 12.0));
}

Datum
monthly_churn_rate(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(1.0 - pow(1.0 - RateArg(fcinfo), 1.0 / 12.0));
}

Datum
annual_retention_rate(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(pow(RateArg(fcinfo), 12.0));
}

Datum
monthly_retention_rate(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(pow(RateArg(fcinfo), 1.0 / 12.0));
}


/* mrr_summary_currency(s): the ISO 4217 code of its amounts, NULL for none */
Datum
mrr_summary_currency(PG_FUNCTION_ARGS)
{
	MrrSummary *s = MrrGetArg(fcinfo, 0);
	bool		isnull;
	Datum		code = MrrCurrencyDatum(MRR_CURRENCY(s), &isnull);

	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(code);
}
