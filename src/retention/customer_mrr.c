/*-------------------------------------------------------------------------
 *
 * customer_mrr.c
 *	  customer_mrr_summary: each customer's MRR per calendar period, the
 *	  state of mrr_agg() and customer_mrr_agg(), merged by rollup() and
 *	  classified into MRR movements by mrr_summary().
 *
 * A movement (new, expansion, churn, ...) compares one customer's MRR in
 * two periods, so merging movements needs every customer's series: this
 * summary carries it, which mrr_summary does not.  It is a flat value
 * updated in place (doc/conventions.md, pattern (a), with no memory context
 * per group, so that hashed aggregation over many groups stays cheap).
 * While an aggregate runs its rows are a hash table (a row costs one
 * probe); the aggregates return the canonical form, rows sorted by
 * customer, which the I/O functions write and read.
 *
 * Two summaries holding the same customer add up per period, as the rows
 * of one customer spread over shards or days do (a customer's rows in one
 * period add up in mrr_agg too).  A customer whose MRR is 0 in every
 * period counts in no movement; the canonical form leaves such rows out,
 * so that removing a summary merged earlier (rollup's moving-window
 * inverse, exact in integers) leaves exactly the summary of the rest.
 *
 * Amounts are integers of 1/10000 of the currency unit, as in mrr_summary
 * (MrrAmount), printed as exact decimals.
 *
 * The rows come as snapshots (customer, at, mrr: the period holding "at")
 * or, since 1.3.0, as subscriptions (customer, starts, ends, mrr: each
 * period at whose end the subscription is active); both build the same
 * summary, so either form's summaries roll up together.
 *
 * Customers are ids of any type (issue 13): smallint, integer and bigint
 * ids are their own keys, and take the flat path above unchanged.  uuid and
 * text ids (entity_ids.c) get dense keys in a dictionary of their bytes,
 * exact: the aggregates' state over them is an expanded object (CmAgg)
 * holding that dictionary and a hashed flat summary of the keys, flattened
 * to the canonical form with the ids sorted by their bytes (customer_mrr.h).
 * Its memory context is the one all crm_kpi states of an aggregate share
 * (KpiExpandedCreateState), so hashed aggregation over many groups stays
 * cheap there too.
 * The text and binary forms are in customer_mrr_io.c.
 *
 *-------------------------------------------------------------------------
 */
#include "customer_mrr.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "port/pg_bswap.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"
#include "utils/uuid.h"

static bool CustomerMrrValid(const void *value, bool full);

const KpiSummaryType CustomerMrrType = {CUSTOMER_MRR_NAME, -1, CustomerMrrValid};

PG_FUNCTION_INFO_V1(customer_mrr_summary_accum);
PG_FUNCTION_INFO_V1(customer_mrr_summary_accum_subscription);
PG_FUNCTION_INFO_V1(customer_mrr_summary_combine);
PG_FUNCTION_INFO_V1(customer_mrr_summary_uncombine);
PG_FUNCTION_INFO_V1(customer_mrr_summary_final);
PG_FUNCTION_INFO_V1(mrr_summary);
PG_FUNCTION_INFO_V1(customer_mrr_summary_currency);


/*
 * An empty summary with room for capacity rows, hashed or canonical, of
 * the periods and zone given (zone_len bytes), in currency ("" for none),
 * with ids of kind (ids_len bytes of dictionary: uuid and text ids,
 * canonical only)
 */
CustomerMrr *
CmAlloc(int unit, int32 periods, int64 origin, const char *zone, int zone_len,
		const char *currency, KpiIdKind kind, int32 capacity, bool hashed, int32 ids_len)
{
	uint32		buckets = 0;
	Size		size = MaxAllocSize + 1;
	CustomerMrr *s;

	if (capacity <= CUSTOMER_MRR_MAX_ROWS)
	{
		buckets = hashed ? pg_nextpower2_32(2 * capacity) : 0;
		size = CM_SIZE(periods, capacity, buckets, ids_len, zone_len) + MRR_CURRENCY_BYTES;
	}
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("customer_mrr_summary of %d customers over %d periods exceeds 1 GB",
						capacity, periods)));
	s = palloc0(size);
	SET_VARSIZE(s, size);
	s->version = CUSTOMER_MRR_FORMAT_VERSION;
	s->unit = unit;
	s->zone_len = zone_len;
	s->idkind = kind;
	s->periods = periods;
	s->origin = origin;
	s->capacity = capacity;
	s->buckets = buckets;
	s->ids_len = ids_len;
	memcpy((char *) RETENTION_ZONE(s), zone, zone_len);
	MrrSetCurrency((char *) MRR_CURRENCY(s), currency);
	return s;
}

/* Without a dictionary: integer ids, or the keys of a CmAgg's */
static CustomerMrr *
CmAllocLike(const CustomerMrr *like, int32 capacity, bool hashed)
{
	return CmAlloc(like->unit, like->periods, like->origin, RETENTION_ZONE(like),
				   like->zone_len, MRR_CURRENCY(like), CM_KIND(like), capacity, hashed, 0);
}

RetentionPeriod
CmPeriod(const CustomerMrr *s)
{
	return RetentionStoredPeriod(s->unit, 0, RETENTION_ZONE(s), s->zone_len);
}

/*
 * The bucket of key in the hashed s: its row's (*row set to its amounts),
 * or the empty bucket ending the probe (*row NULL).  The index is at most
 * half full.
 */
static inline uint32 *
CmProbe(const CustomerMrr *s, int64 key, int64 **row)
{
	uint32	   *index = CM_INDEX(s);
	uint32		mask = (uint32) s->buckets - 1;
	uint32		b = KpiHash64((uint64) key) & mask;
	uint32		i;

	while ((i = index[b]) != 0)
	{
		if (s->keys[i - 1] == key)
		{
			*row = (int64 *) CM_ROW(s, i - 1);
			return &index[b];
		}
		b = (b + 1) & mask;
	}
	*row = NULL;
	return &index[b];
}

/* A hashed copy of s's rows with room for capacity (>= its customers) */
static CustomerMrr *
CmRehash(const CustomerMrr *s, int32 capacity)
{
	CustomerMrr *h = CmAllocLike(s, capacity, true);
	int32		i;

	memcpy(h->keys, s->keys, sizeof(int64) * (Size) s->customers);
	memcpy(CM_ROW(h, 0), CM_ROW(s, 0), sizeof(int64) * s->periods * (Size) s->customers);
	h->customers = s->customers;
	for (i = 0; i < h->customers; i++)
	{
		int64	   *row;

		*CmProbe(h, h->keys[i], &row) = i + 1;
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return h;
}

/*
 * s to update by key: hashed in the newest format (room for a currency), a
 * copy if it is canonical or older
 */
static CustomerMrr *
CmHashed(CustomerMrr *s)
{
	if (s->buckets != 0 && s->version == CUSTOMER_MRR_FORMAT_VERSION)
		return s;
	return CmRehash(s, Max(s->customers, CUSTOMER_MRR_INITIAL_ROWS));
}

/*
 * The amounts of customer key in the hashed *sp, a zero row added if it is
 * new; a full *sp is replaced by a copy twice as large.  Valid until the
 * next lookup.
 */
static int64 *
CmLookup(CustomerMrr **sp, int64 key)
{
	CustomerMrr *s = *sp;
	int64	   *row;
	uint32	   *bucket = CmProbe(s, key, &row);

	if (row != NULL)
		return row;
	if (s->customers == s->capacity)
	{
		if (s->capacity >= CUSTOMER_MRR_MAX_ROWS / 2)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("customer_mrr_summary cannot hold more than %d customers",
							s->capacity)));
		s = *sp = CmRehash(s, Max(2 * s->capacity, CUSTOMER_MRR_INITIAL_ROWS));
		bucket = CmProbe(s, key, &row);
	}
	row = CM_ROW(s, s->customers);
	memset(row, 0, sizeof(int64) * s->periods);
	s->keys[s->customers] = key;
	*bucket = ++s->customers;
	return row;
}

static bool
CmRowIsZero(const CustomerMrr *s, const int64 *row)
{
	int			k;

	for (k = 0; k < s->periods; k++)
		if (row[k] != 0)
			return false;
	return true;
}

/* A customer as the text form writes it, for messages (ids NULL: integers) */
char *
CmCustomerText(const KpiIds *ids, int64 key)
{
	StringInfoData buf;

	if (ids == NULL || (ids->kind != KPI_ID_UUID && ids->kind != KPI_ID_TEXT))
		return psprintf(INT64_FORMAT, key);
	initStringInfo(&buf);
	KpiIdsAppendJson(&buf, ids, key);
	return buf.data;
}

/*
 * Why the rows of a canonical summary are not valid, or NULL: customers
 * ascending (dictionary ids: customer i is id i, whose order
 * KpiIdsSentError checks), each with a non-negative MRR per period,
 * positive in some.  ids, if not NULL, names the customers in the messages.
 */
const char *
CmRowsError(const CustomerMrr *s, const KpiIds *ids)
{
	bool		dictionary = CM_IS_DICT(s);
	int32		i;
	int			k;

	for (i = 0; i < s->customers; i++)
	{
		const int64 *row = CM_ROW(s, i);

		if (dictionary && s->keys[i] != i)
			return "The customers are not those of the ids, in order.";
		if (!dictionary && i > 0 && s->keys[i] <= s->keys[i - 1])
			return psprintf("Customer %s follows customer %s: customers are listed once each, in ascending order.",
							CmCustomerText(ids, s->keys[i]), CmCustomerText(ids, s->keys[i - 1]));
		for (k = 0; k < s->periods; k++)
			if (row[k] < 0)
				return psprintf("The MRR of customer %s in period %d is negative.",
								CmCustomerText(ids, s->keys[i]), k);
		if (CmRowIsZero(s, row))
			return psprintf("Customer %s has no MRR in any period: such customers are left out.",
							CmCustomerText(ids, s->keys[i]));
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return NULL;
}

/*
 * The ids of a flat value with a valid header into ids, in cxt: its
 * dictionary (flat key i is id i), else integers.  Errors 22P03 for a
 * malformed dictionary.
 */
void
CmFlatIds(const CustomerMrr *s, KpiIds *ids, MemoryContext cxt)
{
	StringInfoData buf;

	if (!CM_IS_DICT(s))
	{
		KpiIdsInit(ids, cxt);
		ids->kind = KPI_ID_INTEGER;
		return;
	}
	buf.data = (char *) CM_IDS(s);
	buf.len = s->ids_len;
	buf.maxlen = s->ids_len;
	buf.cursor = 0;
	KpiIdsRecv(&buf, ids, cxt);
	if (buf.cursor != buf.len || ids->kind != CM_KIND(s) || KpiIdsCount(ids) != (uint32) s->customers)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid entity ids in binary input"),
				 errdetail("The ids do not match the customers.")));
}

/* The rows of a hashed summary: non-negative, each found by its own probe */
static bool
CmHashValid(const CustomerMrr *s)
{
	const uint32 *index = CM_INDEX(s);
	int32		used = 0;
	int32		i;
	int			k;

	for (i = 0; i < s->buckets; i++)
	{
		if (index[i] > (uint32) s->customers)
			return false;
		used += index[i] != 0;
	}
	if (used != s->customers)
		return false;
	/* distinct rows in distinct buckets, none twice: the index is the rows' */
	for (i = 0; i < s->customers; i++)
	{
		int64	   *row;

		CmProbe(s, s->keys[i], &row);
		if (row != CM_ROW(s, i))
			return false;
		for (k = 0; k < s->periods; k++)
			if (row[k] < 0)
				return false;
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return true;
}

/*
 * The validator (KpiSummaryType): the header (sizes agree, so every access
 * stays in bounds), and with full the rows.  Both forms are values of the
 * type: an aggregate's partial state travels hashed to the parallel leader.
 */
static bool
CustomerMrrValid(const void *value, bool full)
{
	const CustomerMrr *s = value;

	if (VARSIZE(s) < offsetof(CustomerMrr, keys) ||
		(s->version >= 2 && s->version <= CUSTOMER_MRR_FORMAT_VERSION ?
		 s->idkind < KPI_ID_INTEGER || s->idkind > KPI_ID_TEXT :
		 s->version != 1 || s->idkind != 0) ||
		(CM_IS_DICT(s) ? s->buckets != 0 || s->ids_len < 5 : s->ids_len != 0) ||
		MrrHeaderError(s->unit, s->periods, s->origin) != NULL ||
		s->customers < 0 || s->capacity < s->customers || s->capacity > CUSTOMER_MRR_MAX_ROWS ||
		(s->buckets == 0 ? s->capacity != s->customers :
		 (s->buckets < 0 || (s->buckets & (s->buckets - 1)) != 0 ||
		  s->buckets / 2 < s->capacity)) ||
		VARSIZE(s) != CM_SIZE(s->periods, s->capacity, s->buckets, s->ids_len, s->zone_len) +
		MRR_CURRENCY_SIZE(s->version) ||
		!RetentionZoneNameValid(RETENTION_ZONE(s), s->zone_len) ||
		!MrrCurrencyValid(MRR_CURRENCY(s)))
		return false;
	if (!full)
		return true;
	if (s->buckets != 0)
		return CmHashValid(s);
	return CmRowsError(s, NULL) == NULL && (!CM_IS_DICT(s) ||
										 KpiIdsSentError(CM_IDS(s), s->ids_len, s->idkind, (uint32) s->customers,
														 "The id dictionary does not match the customers.") == NULL);
}

/* Sorting the rows of a hashed summary by customer */
typedef struct CmSortItem
{
	int64		customer;
	int32		row;
} CmSortItem;

static int
CmSortCompare(const void *a, const void *b)
{
	int64		x = ((const CmSortItem *) a)->customer;
	int64		y = ((const CmSortItem *) b)->customer;

	return (x > y) - (x < y);
}

/*
 * The canonical form of s: s itself, or a sorted copy without zero rows
 * (hashed forms have integer ids)
 */
CustomerMrr *
CmCanonical(CustomerMrr *s)
{
	CmSortItem *items;
	CustomerMrr *c;
	int32		n = 0;
	int32		i;

	if (s->buckets == 0)
		return s;
	items = palloc(sizeof(CmSortItem) * Max(s->customers, 1));
	for (i = 0; i < s->customers; i++)
		if (!CmRowIsZero(s, CM_ROW(s, i)))
		{
			items[n].customer = s->keys[i];
			items[n++].row = i;
		}
	qsort(items, n, sizeof(CmSortItem), CmSortCompare);
	c = CmAllocLike(s, n, false);
	c->customers = n;
	for (i = 0; i < n; i++)
	{
		c->keys[i] = items[i].customer;
		memcpy(CM_ROW(c, i), CM_ROW(s, items[i].row), sizeof(int64) * s->periods);
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	pfree(items);
	return c;
}

static void
CmCheckSame(const CustomerMrr *a, const CustomerMrr *b)
{
	RetentionPeriod pa = CmPeriod(a);
	RetentionPeriod pb = CmPeriod(b);

	MrrCheckSame("customer MRR summaries", &pa, a->periods, a->origin,
				 &pb, b->periods, b->origin);
}

/* Summaries of two kinds of ids do not merge: 22023 naming both */
static void
CmCheckKinds(KpiIdKind a, KpiIdKind b)
{
	KpiIds		x,
				y;

	KpiIdsInit(&x, CurrentMemoryContext);
	KpiIdsInit(&y, CurrentMemoryContext);
	x.kind = a;
	y.kind = b;
	KpiIdsMergeKinds(&x, &y);
}


/*
 * The expanded state of the aggregates over uuid and text ids: the ids'
 * dictionary and a hashed summary of their keys, in the object's context.
 * flat caches the canonical form between the flat size and the flattening
 * that follows; a change drops it.
 */
typedef struct CmAgg
{
	ExpandedObjectHeader hdr;
	KpiIds		ids;
	CustomerMrr *s;
	CustomerMrr *flat;
} CmAgg;

static Size CmAggFlatSize(ExpandedObjectHeader *eoh);
static void CmAggFlattenInto(ExpandedObjectHeader *eoh, void *result, Size size);

static const ExpandedObjectMethods CmAggMethods = {
	CmAggFlatSize,
	CmAggFlattenInto
};

static void
CmAggChanged(CmAgg *agg)
{
	if (unlikely(agg->flat != NULL))
	{
		pfree(agg->flat);
		agg->flat = NULL;
	}
}

/* A new state for fcinfo holding a hashed copy of s (no dictionary) */
static CmAgg *
CmAggCreate(FunctionCallInfo fcinfo, const CustomerMrr *s, KpiIdKind kind)
{
	CmAgg	   *agg = (CmAgg *) KpiExpandedCreateState(fcinfo, sizeof(CmAgg), &CmAggMethods);
	MemoryContext old = MemoryContextSwitchTo(agg->hdr.eoh_context);

	KpiIdsInit(&agg->ids, agg->hdr.eoh_context);
	agg->ids.kind = kind;
	agg->s = CmRehash(s, Max(s->customers, CUSTOMER_MRR_INITIAL_ROWS));
	MemoryContextSwitchTo(old);
	return agg;
}

/*
 * A new state for fcinfo from the flat s of uuid or text ids, whose header
 * is checked (a combine function's first value may come from a table
 * unread): its keys index its dictionary, checked here
 */
static CmAgg *
CmAggExpand(FunctionCallInfo fcinfo, const CustomerMrr *s)
{
	CmAgg	   *agg;
	int32		i;

	for (i = 0; i < s->customers; i++)
		if (s->keys[i] != i)
			KpiSummaryCorrupt(CUSTOMER_MRR_NAME);
	agg = CmAggCreate(fcinfo, s, CM_KIND(s));
	/* flat key i is id i: the dictionary gives the same keys */
	CmFlatIds(s, &agg->ids, agg->hdr.eoh_context);
	return agg;
}

/* The amounts of key in agg, as CmLookup */
static int64 *
CmAggLookup(CmAgg *agg, int64 key)
{
	CustomerMrr *before = agg->s;
	MemoryContext old = MemoryContextSwitchTo(agg->hdr.eoh_context);
	int64	   *row = CmLookup(&agg->s, key);

	MemoryContextSwitchTo(old);
	if (agg->s != before)
		pfree(before);
	CmAggChanged(agg);
	return row;
}

/* Adds (or, remove, subtracts) the flat b to agg (same periods) */
static void
CmAggMerge(CmAgg *agg, const CustomerMrr *b, bool remove)
{
	KpiIds		from;
	int32		i;
	int			k;

	CmFlatIds(b, &from, CurrentMemoryContext);
	KpiIdsMergeKinds(&agg->ids, &from);
	CmAggChanged(agg);
	for (i = 0; i < b->customers; i++)
	{
		const int64 *add = CM_ROW(b, i);
		int64		key = KpiIdsTranslate(&agg->ids, &from, b->keys[i]);
		int64	   *to;

		if (!remove)
		{
			to = CmAggLookup(agg, key);
			for (k = 0; k < agg->s->periods; k++)
				if (pg_add_s64_overflow(to[k], add[k], &to[k]))
					MrrOverflow();
		}
		else
		{
			/* what was merged in is there, at least as large */
			CmProbe(agg->s, key, &to);
			for (k = 0; k < agg->s->periods; k++)
				if (to == NULL || to[k] < add[k])
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("cannot remove a customer MRR summary that was not merged in"),
							 errdetail("Customer %s has less MRR in period %d than the summary removed.",
									   CmCustomerText(&from, b->keys[i]), k)));
				else
					to[k] -= add[k];
		}
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
}

/* Sorting the rows of a state by their ids' bytes */
static int
CmIdSortCompare(const void *a, const void *b, void *arg)
{
	return KpiIdsCompare((const KpiIds *) arg, ((const CmSortItem *) a)->customer,
						 ((const CmSortItem *) b)->customer);
}

/*
 * The canonical form of a state: the rows with some MRR, by increasing id,
 * row i the customer of dictionary id i (the dictionary in KpiIdsSend's
 * form, written here from the sorted ids)
 */
static CustomerMrr *
CmAggCanonical(const CmAgg *agg)
{
	const CustomerMrr *s = agg->s;
	CmSortItem *items = palloc(sizeof(CmSortItem) * Max(s->customers, 1));
	StringInfoData dict;
	CustomerMrr *c;
	int32		n = 0;
	int32		i;

	for (i = 0; i < s->customers; i++)
		if (!CmRowIsZero(s, CM_ROW(s, i)))
		{
			items[n].customer = s->keys[i];
			items[n++].row = i;
		}
	qsort_arg(items, n, sizeof(CmSortItem), CmIdSortCompare, (void *) &agg->ids);
	initStringInfo(&dict);
	pq_sendbyte(&dict, (uint8) agg->ids.kind);
	pq_sendint32(&dict, (uint32) n);
	for (i = 0; i < n; i++)
	{
		uint32		len;
		const char *bytes = KpiIdsBytes(&agg->ids, items[i].customer, &len);

		if (agg->ids.kind == KPI_ID_TEXT)
			pq_sendint32(&dict, len);
		pq_sendbytes(&dict, bytes, len);
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	if ((Size) dict.len > MaxAllocSize / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("customer_mrr_summary of %d customers exceeds 1 GB", n)));
	c = CmAlloc(s->unit, s->periods, s->origin, RETENTION_ZONE(s), s->zone_len,
				MRR_CURRENCY(s), agg->ids.kind, n, false, dict.len);
	c->customers = n;
	for (i = 0; i < n; i++)
	{
		c->keys[i] = i;
		memcpy(CM_ROW(c, i), CM_ROW(s, items[i].row), sizeof(int64) * s->periods);
	}
	memcpy((char *) CM_IDS(c), dict.data, dict.len);
	pfree(dict.data);
	pfree(items);
	return c;
}

static Size
CmAggFlatSize(ExpandedObjectHeader *eoh)
{
	CmAgg	   *agg = (CmAgg *) eoh;

	if (agg->flat == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(eoh->eoh_context);

		agg->flat = CmAggCanonical(agg);
		MemoryContextSwitchTo(old);
	}
	return VARSIZE(agg->flat);
}

/* Through the validator, as every value produced */
static void
CmAggFlattenInto(ExpandedObjectHeader *eoh, void *result, Size size)
{
	CmAgg	   *agg = (CmAgg *) eoh;

	(void) CmAggFlatSize(eoh);
	Assert(size == VARSIZE(agg->flat));
	memcpy(result, agg->flat, size);
	CmAggChanged(agg);
	if (!CustomerMrrValid(result, true))
		KpiSummaryCorrupt(CUSTOMER_MRR_NAME);
}


/*
 * The calendar index of the origin argument in period p, cached for the
 * call site: every row of an aggregate passes the same origin.
 */
typedef struct CmOriginCache
{
	TimestampTz origin_at;
	int			unit;
	pg_tz	   *tz;
	int64		origin;
	KpiIdKind	kind;			/* of the customer argument */
	KpiIds		ids;			/* reads integer ids (KpiIdsKeyArg) */
	bool		numeric_amount; /* the MRR argument is numeric, not float8 */
} CmOriginCache;

/*
 * The cache of the call site: the customer argument's kind, read once
 * (smallint, integer and bigint ids read through KpiIdsKeyArg, which
 * rejects other types on the first id)
 */
static CmOriginCache *
CmCallCache(FunctionCallInfo fcinfo)
{
	CmOriginCache *cache = fcinfo->flinfo->fn_extra;

	if (likely(cache != NULL))
		return cache;
	cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CmOriginCache));
	KpiIdsInit(&cache->ids, fcinfo->flinfo->fn_mcxt);
	switch (get_fn_expr_argtype(fcinfo->flinfo, 1))
	{
		case UUIDOID:
			cache->kind = KPI_ID_UUID;
			break;
		case TEXTOID:
		case VARCHAROID:
			cache->kind = KPI_ID_TEXT;
			break;
		default:
			cache->kind = KPI_ID_INTEGER;
	}
	/* the MRR: argument 3 of snapshots, 4 of subscriptions (3 is ends) */
	cache->numeric_amount = get_fn_expr_argtype(fcinfo->flinfo, 3) == NUMERICOID ||
		get_fn_expr_argtype(fcinfo->flinfo, 4) == NUMERICOID;
	fcinfo->flinfo->fn_extra = cache;
	return cache;
}

static int64
CmOriginArg(FunctionCallInfo fcinfo, const RetentionPeriod *p, TimestampTz origin_at)
{
	CmOriginCache *cache = CmCallCache(fcinfo);

	if (cache->unit != 0 && cache->origin_at == origin_at && cache->unit == p->unit &&
		cache->tz == p->tz)
		return cache->origin;
	cache->unit = 0;			/* unset while RetentionOrigin may fail */
	cache->origin = RetentionOrigin(p, origin_at);
	cache->origin_at = origin_at;
	cache->tz = p->tz;
	cache->unit = p->unit;
	return cache->origin;
}

/*
 * The state s after the currency argument argno (not NULL) of a row that
 * the inline test below did not settle: the first row's sets the state's,
 * any other one is 22023 naming both
 */
static pg_noinline CustomerMrr *
CmSetCurrency(FunctionCallInfo fcinfo, int argno, CustomerMrr *s, CmAgg *agg)
{
	char	   *state = (char *) MRR_CURRENCY(s);
	text	   *t = PG_GETARG_TEXT_PP(argno);
	char		code[MRR_CURRENCY_BYTES];

	if (state[0] != '\0' && VARSIZE_ANY_EXHDR(t) == 3 &&
		memcmp(VARDATA_ANY(t), state, 3) == 0)
		return s;
	MrrCurrencyArg(fcinfo, argno, code);
	MrrSetCurrency(state, MrrMergeCurrency(state, code));
	if (agg != NULL)
		CmAggChanged(agg);
	return s;
}

/*
 * The state s (hashed, in the newest format; agg its expanded object, or
 * NULL) after the currency argument argno of the forms with one, when it
 * is not NULL.  The forms without one never look.  Per row, inline: a
 * column's three letters are a short varlena (1-byte header) whose bytes
 * are compared with the state's, with no detoasting call; any other form
 * goes through CmSetCurrency.  (Half the extra cost of the currency forms
 * was this test as a call: bench/README.md, "Issue 16, session 27".)
 */
static inline CustomerMrr *
CmAccumCurrency(FunctionCallInfo fcinfo, int argno, CustomerMrr *s, CmAgg *agg)
{
	const struct varlena *v;
	const char *code;
	const char *state;

	if (likely(PG_NARGS() <= argno) || PG_ARGISNULL(argno))
		return s;
	v = (const struct varlena *) DatumGetPointer(PG_GETARG_DATUM(argno));
	code = VARDATA_SHORT(v);
	state = MRR_CURRENCY(s);
	/* byte by byte: memcmp() of 3 bytes is a call to libc's */
	if (likely(VARATT_IS_SHORT(v) && VARSIZE_SHORT(v) == VARHDRSZ_SHORT + 3 &&
			   state[0] != '\0' && code[0] == state[0] && code[1] == state[1] &&
			   code[2] == state[2]))
		return s;
	return CmSetCurrency(fcinfo, argno, s, agg);
}

/* Does the state s count the periods of the row's arguments? */
static bool
CmSameArgs(const CustomerMrr *s, const RetentionPeriod *p, int32 periods, int64 origin)
{
	const char *zone = pg_get_timezone_name(p->tz);

	return s->unit == p->unit && s->periods == periods && s->origin == origin &&
		s->zone_len == strlen(zone) && memcmp(RETENTION_ZONE(s), zone, s->zone_len) == 0;
}

/*
 * The state of a transition call whose origin, period, periods (and time
 * zone) arguments start at argument first.  For integer ids: a new summary,
 * or the state argument to update, hashed (*aggp NULL).  For uuid and text
 * ids, *aggp: a new expanded state, the state argument to update in place,
 * or a new one expanded from it; its hashed summary is returned.  *origin
 * is set to the origin argument's calendar index, *p to the period.
 */
static CustomerMrr *
CmAccumState(FunctionCallInfo fcinfo, int first, RetentionPeriod *p, int64 *origin,
			 CmAgg **aggp)
{
	CmOriginCache *cache;
	CustomerMrr *s;
	CmAgg	   *agg = NULL;
	int32		periods;

	if (PG_ARGISNULL(first) || PG_ARGISNULL(first + 1) || PG_ARGISNULL(first + 2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("MRR origin, period and number of periods must not be null")));
	periods = RetentionCheckPeriods(PG_GETARG_INT32(first + 2));
	*p = RetentionPeriodFromArgs(PG_GETARG_INTERVAL_P(first + 1), NULL,
								 RetentionZoneArg(fcinfo, first + 3));
	*origin = CmOriginArg(fcinfo, p, PG_GETARG_TIMESTAMPTZ(first));
	cache = fcinfo->flinfo->fn_extra;

	if (cache->kind != KPI_ID_INTEGER)
		agg = (CmAgg *) KpiExpandedInPlace(fcinfo, 0, &CmAggMethods);
	if (agg == NULL && PG_ARGISNULL(0))
	{
		s = CmAlloc(p->unit, periods, *origin, pg_get_timezone_name(p->tz),
					RetentionZoneLen(p), "", cache->kind, CUSTOMER_MRR_INITIAL_ROWS,
					true, 0);
		if (cache->kind == KPI_ID_INTEGER)
		{
			*aggp = NULL;
			return CmAccumCurrency(fcinfo, first + 4, s, NULL);
		}
		agg = CmAggCreate(fcinfo, s, cache->kind);
	}
	else if (agg == NULL)
	{
		if (cache->kind == KPI_ID_INTEGER)
			s = KpiSummaryState(fcinfo, 0, &CustomerMrrType);
		else
			s = KpiSummaryArg(fcinfo, 0, &CustomerMrrType);
		if (!CmSameArgs(s, p, periods, *origin))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("MRR origin or period changed within one aggregate")));
		if (unlikely(CM_KIND(s) != cache->kind))
			CmCheckKinds(CM_KIND(s), cache->kind);
		if (cache->kind == KPI_ID_INTEGER)
		{
			*aggp = NULL;
			return CmAccumCurrency(fcinfo, first + 4, CmHashed(s), NULL);
		}
		agg = CmAggExpand(fcinfo, s);
	}
	else if (!CmSameArgs(agg->s, p, periods, *origin))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("MRR origin or period changed within one aggregate")));
	*aggp = agg;
	return CmAccumCurrency(fcinfo, first + 4, agg->s, agg);
}

/* The MRR argument argno in 1/10000 units, float8 or numeric */
static inline int64
CmAmountArg(FunctionCallInfo fcinfo, int argno)
{
	CmOriginCache *cache = fcinfo->flinfo->fn_extra;

	if (unlikely(cache->numeric_amount))
		return MrrAmountNumeric(PG_GETARG_DATUM(argno));
	return MrrAmount(PG_GETARG_FLOAT8(argno));
}

/*
 * A row of the currency forms (PG_NARGS() > argno) whose MRR counts has a
 * currency: 22004 if it is NULL
 */
static inline void
CmCheckRowCurrency(FunctionCallInfo fcinfo, int argno)
{
	if (unlikely(PG_NARGS() > argno && PG_ARGISNULL(argno)))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the currency of an MRR row must not be null"),
				 errhint("Give every row its currency, or convert the amounts to one first (doc/retention.md, \"Currencies\").")));
}

/* The amounts of the customer argument in the state (s or agg) */
static inline int64 *
CmAccumLookup(FunctionCallInfo fcinfo, CustomerMrr **sp, CmAgg *agg)
{
	CmOriginCache *cache = fcinfo->flinfo->fn_extra;

	if (agg == NULL)
		return CmLookup(sp, KpiIdsKeyArg(&cache->ids, fcinfo, 1));
	return CmAggLookup(agg, KpiIdsKeyArg(&agg->ids, fcinfo, 1));
}

static inline Datum
CmAccumResult(CustomerMrr *s, CmAgg *agg)
{
	if (agg != NULL)
		return EOHPGetRWDatum(&agg->hdr);
	return PointerGetDatum(s);
}

/*
 * customer_mrr_summary_accum(state, customer, at, mrr, origin, period,
 *							  periods [, time_zone])
 *		Transition of mrr_agg() and customer_mrr_agg(): adds mrr to the
 *		customer's MRR in the period holding "at".  Rows with a NULL
 *		customer, time or MRR are skipped; rows before the origin's period
 *		or at or after the end of the last period are ignored (the rows of
 *		a snapshot table outside the window: no filter to repeat).
 */
Datum
customer_mrr_summary_accum(PG_FUNCTION_ARGS)
{
	CustomerMrr *s;
	CmAgg	   *agg;
	RetentionPeriod p;
	int64		origin;
	int64		k;
	int64	   *mrr;

	s = CmAccumState(fcinfo, 4, &p, &origin, &agg);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		return CmAccumResult(s, agg);
	CmCheckRowCurrency(fcinfo, 8);

	k = RetentionIndex(&p, origin, PG_GETARG_TIMESTAMPTZ(2));
	if (k < 0 || k >= s->periods)
		return CmAccumResult(s, agg);
	mrr = CmAccumLookup(fcinfo, &s, agg);
	if (pg_add_s64_overflow(mrr[k], CmAmountArg(fcinfo, 3), &mrr[k]))
		MrrOverflow();
	return CmAccumResult(s, agg);
}

/*
 * customer_mrr_summary_accum_subscription(state, customer, starts, ends,
 *		mrr, origin, period, periods [, time_zone])
 *		Transition of the subscription forms of mrr_agg() and
 *		customer_mrr_agg(): a subscription active from starts (inclusive)
 *		to ends (exclusive; NULL or infinity: still active) adds mrr to its
 *		customer's MRR in each period at whose end it is active, the MRR of
 *		a period being the MRR at its last instant (ChartMogul's MRR at the
 *		end of each month).  So period k counts it when
 *			starts < start of k + 1 <= ends,
 *		which is from the period holding starts (or period 0, when it began
 *		earlier) to the one before the period holding ends.  A subscription
 *		that starts and ends within one period counts in none; starts after
 *		ends is an error.  Rows with a NULL customer, starts or MRR are
 *		skipped.
 */
Datum
customer_mrr_summary_accum_subscription(PG_FUNCTION_ARGS)
{
	CustomerMrr *s;
	CmAgg	   *agg;
	RetentionPeriod p;
	TimestampTz starts;
	int64		origin;
	int64		first,
				last;
	int64		amount;
	int64	   *mrr;
	int64		k;

	s = CmAccumState(fcinfo, 5, &p, &origin, &agg);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(4))
		return CmAccumResult(s, agg);
	CmCheckRowCurrency(fcinfo, 9);

	starts = PG_GETARG_TIMESTAMPTZ(2);
	amount = CmAmountArg(fcinfo, 4);
	if (!PG_ARGISNULL(3) && PG_GETARG_TIMESTAMPTZ(3) < starts)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("subscription ends at %s before it starts at %s",
						RetentionTimestampText(PG_GETARG_TIMESTAMPTZ(3)),
						RetentionTimestampText(starts))));
	if (TIMESTAMP_IS_NOEND(starts))
		return CmAccumResult(s, agg);
	first = TIMESTAMP_IS_NOBEGIN(starts) ? 0 : Max(RetentionIndex(&p, origin, starts), 0);
	if (PG_ARGISNULL(3) || TIMESTAMP_IS_NOEND(PG_GETARG_TIMESTAMPTZ(3)))
		last = s->periods - 1;
	else if (TIMESTAMP_IS_NOBEGIN(PG_GETARG_TIMESTAMPTZ(3)))
		return CmAccumResult(s, agg);
	else
	{
		/* the period holding ends is the first without the subscription */
		last = RetentionIndex(&p, origin, PG_GETARG_TIMESTAMPTZ(3));
		last = last == PG_INT64_MIN ? -1 : Min(last - 1, s->periods - 1);
	}
	if (first > last || amount == 0)
		return CmAccumResult(s, agg);
	mrr = CmAccumLookup(fcinfo, &s, agg);
	for (k = first; k <= last; k++)
		if (pg_add_s64_overflow(mrr[k], amount, &mrr[k]))
			MrrOverflow();
	return CmAccumResult(s, agg);
}

/*
 * a + b (or, remove, a - b) for the combine functions: integer ids in
 * place in the flat a, uuid and text ids in an expanded state
 */
static Datum
CmMerge(FunctionCallInfo fcinfo, bool remove)
{
	CmAgg	   *agg = (CmAgg *) KpiExpandedInPlace(fcinfo, 0, &CmAggMethods);
	CustomerMrr *b = KpiSummaryArg(fcinfo, 1, &CustomerMrrType);
	CustomerMrr *a;
	char		currency[MRR_CURRENCY_BYTES];
	int32		i;
	int			k;

	if (agg != NULL)
	{
		CmCheckSame(agg->s, b);
		MrrSetCurrency((char *) MRR_CURRENCY(agg->s),
					   MrrMergeCurrency(MRR_CURRENCY(agg->s), MRR_CURRENCY(b)));
		CmAggMerge(agg, b, remove);
		return EOHPGetRWDatum(&agg->hdr);
	}
	a = KpiSummaryMergeState(fcinfo, 0, &CustomerMrrType);
	CmCheckSame(a, b);
	CmCheckKinds(CM_KIND(a), CM_KIND(b));
	MrrSetCurrency(currency, MrrMergeCurrency(MRR_CURRENCY(a), MRR_CURRENCY(b)));
	if (CM_IS_DICT(a))
	{
		agg = CmAggExpand(fcinfo, a);
		MrrSetCurrency((char *) MRR_CURRENCY(agg->s), currency);
		CmAggMerge(agg, b, remove);
		return EOHPGetRWDatum(&agg->hdr);
	}
	a = CmHashed(a);
	MrrSetCurrency((char *) MRR_CURRENCY(a), currency);
	for (i = 0; i < b->customers; i++)
	{
		const int64 *from = CM_ROW(b, i);
		int64	   *to;

		if (!remove)
		{
			to = CmLookup(&a, b->keys[i]);
			for (k = 0; k < a->periods; k++)
				if (pg_add_s64_overflow(to[k], from[k], &to[k]))
					MrrOverflow();
		}
		else
		{
			/* what was merged in is there, at least as large */
			CmProbe(a, b->keys[i], &to);
			if (to == NULL && CmRowIsZero(b, from))
				continue;
			for (k = 0; k < a->periods; k++)
				if (to == NULL || to[k] < from[k])
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("cannot remove a customer MRR summary that was not merged in"),
							 errdetail("Customer " INT64_FORMAT " has less MRR in period %d than the summary removed.",
									   b->keys[i], k)));
				else
					to[k] -= from[k];
		}
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_POINTER(a);
}

/*
 * customer_mrr_summary_combine(a, b): a + b, adding the MRR per period of
 * the customers both hold.  The combine function of the aggregates, and
 * rollup()'s transition.  Summaries of different kinds of ids: 22023.
 */
Datum
customer_mrr_summary_combine(PG_FUNCTION_ARGS)
{
	return CmMerge(fcinfo, false);
}

/* customer_mrr_summary_uncombine(a, b): a - b, the moving-window inverse */
Datum
customer_mrr_summary_uncombine(PG_FUNCTION_ARGS)
{
	return CmMerge(fcinfo, true);
}

/*
 * customer_mrr_summary_final(s): the canonical form, the final function of
 * customer_mrr_agg() and rollup(customer_mrr_summary): the same bytes for
 * the same MRR whatever the plan
 */
Datum
customer_mrr_summary_final(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(CmCanonical(KpiSummaryArg(fcinfo, 0, &CustomerMrrType)));
}

/*
 * mrr_summary(s): each customer's MRR changes classified into movements
 * (churn.c, MrrAddCustomer); mrr_agg() ends with it
 */
Datum
mrr_summary(PG_FUNCTION_ARGS)
{
	CustomerMrr *s = KpiSummaryArg(fcinfo, 0, &CustomerMrrType);
	RetentionPeriod p = CmPeriod(s);
	MrrSummary *m = MrrCreate(&p, s->periods, s->origin, MRR_CURRENCY(s));
	int32		i;

	for (i = 0; i < s->customers; i++)
	{
		MrrAddCustomer(m, CM_ROW(s, i));
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	KpiCheckProduced("mrr_summary", MrrValuesError(m));
	PG_RETURN_POINTER(m);
}


/*
 * customer_mrr_summary_currency(s): the ISO 4217 code of its amounts, NULL
 * for none
 */
Datum
customer_mrr_summary_currency(PG_FUNCTION_ARGS)
{
	CustomerMrr *s = KpiSummaryArg(fcinfo, 0, &CustomerMrrType);
	bool		isnull;
	Datum		code = MrrCurrencyDatum(MRR_CURRENCY(s), &isnull);

	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(code);
}
