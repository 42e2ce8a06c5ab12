/*-------------------------------------------------------------------------
 *
 * customer_mrr_io.c
 *	  Text and binary forms of customer_mrr_summary (customer_mrr.c), of
 *	  its canonical form.
 *
 * Text: {"version":3,"period":"month","time_zone":"UTC"[,"currency":"EUR"],
 *		  "periods":N,"origin":O[,"ids":"uuid"|"text"],"customers":[c1,c2,...],
 *		  "mrr":[[N amounts],...]} with the customers in increasing order
 * (integers; uuid and text ids as JSON strings, in increasing byte order),
 * each with its MRR per period in the same order; amounts as decimals with
 * up to 4 fraction digits; origin as in mrr_summary (months since 1970-01,
 * ...).  No "ids" field: integer ids, as in version 1; no "currency": none,
 * as in versions 1 and 2 (mrr_currency.c).  Both older versions still read.
 *
 * Binary: int8 version, the period (RetentionSendPeriod), (version 3) the
 * currency (int8 length, 0 or 3, and its letters), int32 periods,
 * int64 origin, (version 2) the ids (KpiIdsSend: int8 kind; uuid and text:
 * the ids, in increasing byte order), int32 customers, then per customer
 * int64 customer (integer ids only: dictionary customer i is id i) and N
 * int64 amounts in 1/10000 units.
 *
 *-------------------------------------------------------------------------
 */
#include "customer_mrr.h"

#include "libpq/pqformat.h"
#include "miscadmin.h"

PG_FUNCTION_INFO_V1(customer_mrr_summary_in);
PG_FUNCTION_INFO_V1(customer_mrr_summary_out);
PG_FUNCTION_INFO_V1(customer_mrr_summary_recv);
PG_FUNCTION_INFO_V1(customer_mrr_summary_send);


/* The dictionary of ids into the flat s, sized for it (ids_len) */
static void
CmStoreIds(CustomerMrr *s, const KpiIds *ids)
{
	StringInfoData buf;

	initStringInfo(&buf);
	KpiIdsSend(&buf, ids);
	Assert(buf.len == s->ids_len);
	memcpy((char *) CM_IDS(s), buf.data, buf.len);
	pfree(buf.data);
}

/* "ids":"uuid" or "text" (never "integer": no field), then a comma */
static bool
CmScanKind(KpiScanner *scan, KpiIdKind *kind)
{
	const char *name;

	if (!KpiScanToken(scan, "\""))
		return false;
	name = scan->pos;
	while (*scan->pos >= 'a' && *scan->pos <= 'z')
		scan->pos++;
	return KpiIdKindFromName(name, (int) (scan->pos - name), kind) &&
		*kind != KPI_ID_INTEGER && KpiScanToken(scan, "\"") && KpiScanToken(scan, ",");
}

static CustomerMrr *
CmParse(const char *str, const char **problem)
{
	KpiScanner	scan = {str};
	RetentionPeriod p;
	int64		periods,
				origin;
	int64	   *customers;
	int32		n = 0,
				allocated = 16;
	int			version;
	KpiIdKind	kind = KPI_ID_INTEGER;
	KpiIds		ids;
	bool		dictionary;
	char		currency[MRR_CURRENCY_BYTES] = {0};
	CustomerMrr *s;
	int32		i;
	int			k;

	*problem = "Expected {\"version\":3,\"period\":...,\"periods\":N,\"origin\":O,\"customers\":[...],\"mrr\":[[...],...]}.";
	if (!KpiScanVersionRange(&scan, 1, CUSTOMER_MRR_FORMAT_VERSION, &version, problem))
		return NULL;
	if (!KpiScanToken(&scan, ",") || !RetentionScanPeriod(&scan, 2, &p, problem) ||
		!KpiScanToken(&scan, ","))
		return NULL;
	if (version >= MRR_CURRENCY_VERSION && !MrrScanCurrency(&scan, currency, problem))
		return NULL;
	*problem = "Expected {\"version\":3,\"period\":...,\"periods\":N,\"origin\":O,\"customers\":[...],\"mrr\":[[...],...]}.";
	if (!KpiScanKey(&scan, "periods") || !KpiScanInt64(&scan, &periods) ||
		!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "origin") || !KpiScanInt64(&scan, &origin))
		return NULL;
	if ((*problem = MrrHeaderError(p.unit, periods, origin)) != NULL)
		return NULL;
	if (p.tz == NULL)
	{
		*problem = "The time zone is missing.";
		return NULL;
	}
	if (!KpiScanToken(&scan, ","))
		return NULL;
	if (version >= 2 && KpiScanKey(&scan, "ids") && !CmScanKind(&scan, &kind))
	{
		*problem = "Expected \"ids\" \"uuid\" or \"text\" (none for integer ids).";
		return NULL;
	}
	dictionary = kind != KPI_ID_INTEGER;
	KpiIdsInit(&ids, CurrentMemoryContext);
	ids.kind = kind;
	*problem = dictionary ?
		psprintf("Expected \"customers\" with a list of %s ids.", KpiIdKindName(kind)) :
		"Expected \"customers\" with a list of customer ids.";
	if (!KpiScanKey(&scan, "customers") || !KpiScanToken(&scan, "["))
		return NULL;
	/* memory follows content: each id takes at least 2 characters */
	customers = palloc(sizeof(int64) * allocated);
	if (!KpiScanToken(&scan, "]"))
	{
		do
		{
			if (n == CUSTOMER_MRR_MAX_ROWS)
				return NULL;
			if (n == allocated)
				customers = repalloc(customers, sizeof(int64) * (allocated *= 2));
			if (!dictionary)
			{
				if (!KpiScanInt64(&scan, &customers[n]))
					return NULL;
			}
			else
			{
				/* a new id is the next ordinal; one seen before is not */
				if (!KpiIdsScanJson(&scan, &ids, &customers[n]))
					return NULL;
				if (customers[n] != n || (n > 0 && KpiIdsCompare(&ids, n - 1, n) >= 0))
				{
					*problem = psprintf("The customer %s is not after %s: customers are listed once each, in increasing order.",
										CmCustomerText(&ids, customers[n]),
										CmCustomerText(&ids, n > 0 ? n - 1 : 0));
					return NULL;
				}
			}
			n++;
			if (n % 4096 == 0)
				CHECK_FOR_INTERRUPTS();
		} while (KpiScanToken(&scan, ","));
		if (!KpiScanToken(&scan, "]"))
			return NULL;
	}
	/* each customer's list of N amounts takes at least 2 N + 1 characters */
	if (strlen(scan.pos) < (Size) n * (2 * (Size) periods + 1))
	{
		*problem = psprintf("The literal is too short for %d customers over " INT64_FORMAT " periods.",
							n, periods);
		return NULL;
	}
	s = CmAlloc(p.unit, (int32) periods, origin, pg_get_timezone_name(p.tz),
				RetentionZoneLen(&p), currency, kind, n, false,
				dictionary ? (int32) KpiIdsSendSize(&ids) : 0);
	s->customers = n;
	if (dictionary)
		CmStoreIds(s, &ids);
	*problem = psprintf("Expected \"mrr\" with a list of %d non-negative amounts (at most 4 decimals) per customer.",
						(int) periods);
	if (!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "mrr") || !KpiScanToken(&scan, "["))
		return NULL;
	for (i = 0; i < n; i++)
	{
		int64	   *row = CM_ROW(s, i);

		s->keys[i] = customers[i];
		if ((i > 0 && !KpiScanToken(&scan, ",")) || !KpiScanToken(&scan, "["))
			return NULL;
		for (k = 0; k < periods; k++)
			if ((k > 0 && !KpiScanToken(&scan, ",")) || !MrrScanAmount(&scan, &row[k]))
				return NULL;
		if (!KpiScanToken(&scan, "]"))
			return NULL;
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	if (!KpiScanToken(&scan, "]") || !KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
	{
		*problem = "Expected the end of \"mrr\", a closing } and nothing after it.";
		return NULL;
	}
	if ((*problem = CmRowsError(s, &ids)) != NULL)
		return NULL;
	return s;
}

Datum
customer_mrr_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *problem;
	CustomerMrr *s = CmParse(str, &problem);

	if (s == NULL)
		KPI_TEXT_INPUT_ERROR(fcinfo, CUSTOMER_MRR_NAME, str, problem);
	PG_RETURN_POINTER(s);
}

Datum
customer_mrr_summary_out(PG_FUNCTION_ARGS)
{
	CustomerMrr *s = CmCanonical(KpiSummaryArg(fcinfo, 0, &CustomerMrrType));
	RetentionPeriod p = CmPeriod(s);
	StringInfoData buf;
	KpiIds		ids;
	int32		i;
	int			k;

	CmFlatIds(s, &ids, CurrentMemoryContext);
	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d,", CUSTOMER_MRR_FORMAT_VERSION);
	RetentionAppendPeriod(&buf, &p);
	appendStringInfoChar(&buf, ',');
	MrrAppendCurrency(&buf, MRR_CURRENCY(s));
	appendStringInfo(&buf, "\"periods\":%d,\"origin\":" INT64_FORMAT, s->periods, s->origin);
	if (CM_IS_DICT(s))
		appendStringInfo(&buf, ",\"ids\":\"%s\"", KpiIdKindName(ids.kind));
	appendStringInfoString(&buf, ",\"customers\":[");
	for (i = 0; i < s->customers; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		KpiIdsAppendJson(&buf, &ids, s->keys[i]);
	}
	appendStringInfoString(&buf, "],\"mrr\":[");
	for (i = 0; i < s->customers; i++)
	{
		appendStringInfoString(&buf, i > 0 ? ",[" : "[");
		for (k = 0; k < s->periods; k++)
		{
			if (k > 0)
				appendStringInfoChar(&buf, ',');
			MrrAppendAmount(&buf, CM_ROW(s, i)[k]);
		}
		appendStringInfoChar(&buf, ']');
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	appendStringInfoString(&buf, "]}");
	PG_RETURN_CSTRING(buf.data);
}

Datum
customer_mrr_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	RetentionPeriod p;
	const char *problem;
	int32		periods;
	int64		origin;
	int32		n;
	int			version;
	KpiIds		ids;
	bool		dictionary;
	char		currency[MRR_CURRENCY_BYTES] = {0};
	CustomerMrr *s;
	Size		i;
	int			k;

	version = KpiRecvVersionRange(buf, CUSTOMER_MRR_NAME, 1, CUSTOMER_MRR_FORMAT_VERSION);
	if ((problem = RetentionRecvPeriod(buf, 2, &p)) != NULL)
		KpiBinaryInputError(CUSTOMER_MRR_NAME, "%s", problem);
	if (version >= MRR_CURRENCY_VERSION && (problem = MrrRecvCurrency(buf, currency)) != NULL)
		KpiBinaryInputError(CUSTOMER_MRR_NAME, "%s", problem);
	KpiRecvNeed(buf, CUSTOMER_MRR_NAME, 4 + 8, false);
	periods = (int32) pq_getmsgint(buf, 4);
	origin = pq_getmsgint64(buf);
	if ((problem = MrrHeaderError(p.unit, periods, origin)) != NULL)
		KpiBinaryInputError(CUSTOMER_MRR_NAME, "%s", problem);
	if (p.tz == NULL)
		KpiBinaryInputError(CUSTOMER_MRR_NAME, "The time zone is missing.");
	if (version >= 2)
	{
		KpiIdsRecv(buf, &ids, CurrentMemoryContext);
		if (ids.kind == KPI_ID_NONE)
			KpiBinaryInputError(CUSTOMER_MRR_NAME, "The id kind is missing.");
	}
	else
	{
		KpiIdsInit(&ids, CurrentMemoryContext);
		ids.kind = KPI_ID_INTEGER;
	}
	dictionary = ids.kind != KPI_ID_INTEGER;
	n = (int32) KpiRecvCount(buf, CUSTOMER_MRR_NAME, 4, CUSTOMER_MRR_MAX_ROWS,
							 sizeof(int64) * ((int64) periods + (dictionary ? 0 : 1)));
	KpiRecvNeed(buf, CUSTOMER_MRR_NAME,
				sizeof(int64) * ((int64) periods + (dictionary ? 0 : 1)) * n, true);
	if (dictionary && (uint32) n != KpiIdsCount(&ids))
		KpiBinaryInputError(CUSTOMER_MRR_NAME, "The %u ids do not match the %d customers.",
							KpiIdsCount(&ids), n);
	s = CmAlloc(p.unit, periods, origin, pg_get_timezone_name(p.tz), RetentionZoneLen(&p),
				currency, ids.kind, n, false, dictionary ? (int32) KpiIdsSendSize(&ids) : 0);
	s->customers = n;
	if (dictionary)
		CmStoreIds(s, &ids);
	for (i = 0; i < (Size) n; i++)
	{
		s->keys[i] = dictionary ? (int64) i : pq_getmsgint64(buf);
		if (dictionary && i > 0 && KpiIdsCompare(&ids, i - 1, i) >= 0)
			KpiBinaryInputError(CUSTOMER_MRR_NAME, "The ids are not in strictly increasing order.");
		for (k = 0; k < periods; k++)
			CM_ROW(s, i)[k] = pq_getmsgint64(buf);
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	KpiRecvEnd(buf, CUSTOMER_MRR_NAME);
	if ((problem = CmRowsError(s, &ids)) != NULL)
		KpiBinaryInputError(CUSTOMER_MRR_NAME, "%s", problem);
	PG_RETURN_POINTER(s);
}

Datum
customer_mrr_summary_send(PG_FUNCTION_ARGS)
{
	CustomerMrr *s = CmCanonical(KpiSummaryArg(fcinfo, 0, &CustomerMrrType));
	RetentionPeriod p = CmPeriod(s);
	StringInfoData buf;
	bool		dictionary = CM_IS_DICT(s);
	Size		i;
	int			k;

	KpiSendVersion(&buf, CUSTOMER_MRR_FORMAT_VERSION);
	RetentionSendPeriod(&buf, &p);
	MrrSendCurrency(&buf, MRR_CURRENCY(s));
	pq_sendint32(&buf, s->periods);
	pq_sendint64(&buf, s->origin);
	/* the stored dictionary is KpiIdsSend's form already */
	if (dictionary)
		pq_sendbytes(&buf, CM_IDS(s), s->ids_len);
	else
		pq_sendbyte(&buf, KPI_ID_INTEGER);
	pq_sendint32(&buf, s->customers);
	for (i = 0; i < (Size) s->customers; i++)
	{
		if (!dictionary)
			pq_sendint64(&buf, s->keys[i]);
		for (k = 0; k < s->periods; k++)
			pq_sendint64(&buf, CM_ROW(s, i)[k]);
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
