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
 *-------------------------------------------------------------------------
 */
#include "retention.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "utils/memutils.h"

#define CUSTOMER_MRR_FORMAT_VERSION 1
#define CUSTOMER_MRR_NAME "customer_mrr_summary"
#define CUSTOMER_MRR_INITIAL_ROWS 4
#define CUSTOMER_MRR_MAX_ROWS (1 << 28)	/* index sizes fit in int32 */

typedef struct CustomerMrr
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* CUSTOMER_MRR_FORMAT_VERSION */
	uint8		unit;			/* RETENTION_DAY, _WEEK or _MONTH */
	uint8		zone_len;		/* length of the time zone name at the end */
	uint8		reserved;		/* zero */
	int32		periods;		/* N */
	int64		origin;			/* calendar index of period 0 */
	int32		customers;		/* rows in use */
	int32		capacity;		/* rows allocated */
	int32		buckets;		/* 0: canonical; else the hash index's size */
	int32		reserved2;		/* zero */
	int64		keys[FLEXIBLE_ARRAY_MEMBER];	/* capacity customers */
	/*
	 * then capacity rows of N amounts (row i: customer keys[i]), uint32
	 * index[buckets] (row + 1, 0 for empty) and the zone name.  The keys
	 * apart from the amounts: a probe reads keys only, a dense array.
	 */
} CustomerMrr;

#define CM_ROW(s, i)		((s)->keys + (Size) (s)->capacity + (Size) (i) * (s)->periods)
#define CM_INDEX(s)			((uint32 *) CM_ROW(s, (s)->capacity))
#define CM_SIZE(periods, capacity, buckets, zone_len) \
	(offsetof(CustomerMrr, keys) + sizeof(int64) * ((Size) (periods) + 1) * (Size) (capacity) + \
	 sizeof(uint32) * (Size) (buckets) + (zone_len))

static bool CustomerMrrValid(const void *value, bool full);

static const KpiSummaryType CustomerMrrType = {CUSTOMER_MRR_NAME, -1, CustomerMrrValid};

PG_FUNCTION_INFO_V1(customer_mrr_summary_in);
PG_FUNCTION_INFO_V1(customer_mrr_summary_out);
PG_FUNCTION_INFO_V1(customer_mrr_summary_recv);
PG_FUNCTION_INFO_V1(customer_mrr_summary_send);
PG_FUNCTION_INFO_V1(customer_mrr_summary_accum);
PG_FUNCTION_INFO_V1(customer_mrr_summary_accum_subscription);
PG_FUNCTION_INFO_V1(customer_mrr_summary_combine);
PG_FUNCTION_INFO_V1(customer_mrr_summary_uncombine);
PG_FUNCTION_INFO_V1(customer_mrr_summary_final);
PG_FUNCTION_INFO_V1(mrr_summary);


/*
 * An empty summary with room for capacity rows, hashed or canonical, of
 * the periods and zone given (zone_len bytes)
 */
static CustomerMrr *
CmAlloc(int unit, int32 periods, int64 origin, const char *zone, int zone_len,
		int32 capacity, bool hashed)
{
	uint32		buckets = 0;
	Size		size = MaxAllocSize + 1;
	CustomerMrr *s;

	if (capacity <= CUSTOMER_MRR_MAX_ROWS)
	{
		buckets = hashed ? pg_nextpower2_32(2 * capacity) : 0;
		size = CM_SIZE(periods, capacity, buckets, zone_len);
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
	s->periods = periods;
	s->origin = origin;
	s->capacity = capacity;
	s->buckets = buckets;
	memcpy((char *) RETENTION_ZONE(s), zone, zone_len);
	return s;
}

static CustomerMrr *
CmAllocLike(const CustomerMrr *like, int32 capacity, bool hashed)
{
	return CmAlloc(like->unit, like->periods, like->origin, RETENTION_ZONE(like),
				   like->zone_len, capacity, hashed);
}

static RetentionPeriod
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

/* s to update by key: hashed, a copy if it is canonical */
static CustomerMrr *
CmHashed(CustomerMrr *s)
{
	if (s->buckets != 0)
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

/*
 * Why the rows of a canonical summary are not valid, or NULL: customers
 * ascending, each with a non-negative MRR per period, positive in some
 */
static const char *
CmRowsError(const CustomerMrr *s)
{
	int32		i;
	int			k;

	for (i = 0; i < s->customers; i++)
	{
		const int64 *row = CM_ROW(s, i);

		if (i > 0 && s->keys[i] <= s->keys[i - 1])
			return psprintf("Customer " INT64_FORMAT " follows customer " INT64_FORMAT ": customers are listed once each, in ascending order.",
							s->keys[i], s->keys[i - 1]);
		for (k = 0; k < s->periods; k++)
			if (row[k] < 0)
				return psprintf("The MRR of customer " INT64_FORMAT " in period %d is negative.",
								s->keys[i], k);
		if (CmRowIsZero(s, row))
			return psprintf("Customer " INT64_FORMAT " has no MRR in any period: such customers are left out.",
							s->keys[i]);
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return NULL;
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
		s->version != CUSTOMER_MRR_FORMAT_VERSION || s->reserved != 0 || s->reserved2 != 0 ||
		MrrHeaderError(s->unit, s->periods, s->origin) != NULL ||
		s->customers < 0 || s->capacity < s->customers || s->capacity > CUSTOMER_MRR_MAX_ROWS ||
		(s->buckets == 0 ? s->capacity != s->customers :
		 (s->buckets < 0 || (s->buckets & (s->buckets - 1)) != 0 ||
		  s->buckets / 2 < s->capacity)) ||
		VARSIZE(s) != CM_SIZE(s->periods, s->capacity, s->buckets, s->zone_len) ||
		!RetentionZoneNameValid(RETENTION_ZONE(s), s->zone_len))
		return false;
	if (!full)
		return true;
	return s->buckets == 0 ? CmRowsError(s) == NULL : CmHashValid(s);
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

/* The canonical form of s: s itself, or a sorted copy without zero rows */
static CustomerMrr *
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


/*
 * Text and binary I/O, of the canonical form
 *
 * Text: {"version":1,"period":"month","time_zone":"UTC","periods":N,
 *		  "origin":O,"customers":[c1,c2,...],"mrr":[[N amounts],...]} with the
 * customers ascending, each with its MRR per period in the same order;
 * amounts as decimals with up to 4 fraction digits; origin as in
 * mrr_summary (months since 1970-01, ...).
 * Binary: int8 version, the period (RetentionSendPeriod), int32 periods,
 * int64 origin, int32 customers, then per customer int64 customer and N
 * int64 amounts in 1/10000 units.
 */

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
	CustomerMrr *s;
	int32		i;
	int			k;

	*problem = "Expected {\"version\":1,\"period\":...,\"periods\":N,\"origin\":O,\"customers\":[...],\"mrr\":[[...],...]}.";
	if (!KpiScanVersion(&scan, CUSTOMER_MRR_FORMAT_VERSION, problem))
		return NULL;
	if (!KpiScanToken(&scan, ",") || !RetentionScanPeriod(&scan, 2, &p, problem) ||
		!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "periods") || !KpiScanInt64(&scan, &periods) ||
		!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "origin") || !KpiScanInt64(&scan, &origin))
		return NULL;
	if ((*problem = MrrHeaderError(p.unit, periods, origin)) != NULL)
		return NULL;
	if (p.tz == NULL)
	{
		*problem = "The time zone is missing.";
		return NULL;
	}
	*problem = "Expected \"customers\" with a list of customer ids.";
	if (!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "customers") || !KpiScanToken(&scan, "["))
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
			if (!KpiScanInt64(&scan, &customers[n++]))
				return NULL;
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
				RetentionZoneLen(&p), n, false);
	s->customers = n;
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
	if ((*problem = CmRowsError(s)) != NULL)
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
	int32		i;
	int			k;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d,", CUSTOMER_MRR_FORMAT_VERSION);
	RetentionAppendPeriod(&buf, &p);
	appendStringInfo(&buf, ",\"periods\":%d,\"origin\":" INT64_FORMAT ",\"customers\":[",
					 s->periods, s->origin);
	for (i = 0; i < s->customers; i++)
		appendStringInfo(&buf, i > 0 ? "," INT64_FORMAT : INT64_FORMAT, s->keys[i]);
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
	CustomerMrr *s;
	Size		i;
	int			k;

	KpiRecvVersion(buf, CUSTOMER_MRR_NAME, CUSTOMER_MRR_FORMAT_VERSION);
	if ((problem = RetentionRecvPeriod(buf, 2, &p)) != NULL)
		KpiBinaryInputError(CUSTOMER_MRR_NAME, "%s", problem);
	KpiRecvNeed(buf, CUSTOMER_MRR_NAME, 4 + 8, false);
	periods = (int32) pq_getmsgint(buf, 4);
	origin = pq_getmsgint64(buf);
	if ((problem = MrrHeaderError(p.unit, periods, origin)) != NULL)
		KpiBinaryInputError(CUSTOMER_MRR_NAME, "%s", problem);
	if (p.tz == NULL)
		KpiBinaryInputError(CUSTOMER_MRR_NAME, "The time zone is missing.");
	n = (int32) KpiRecvCount(buf, CUSTOMER_MRR_NAME, 4, CUSTOMER_MRR_MAX_ROWS,
							 sizeof(int64) * ((int64) periods + 1));
	KpiRecvNeed(buf, CUSTOMER_MRR_NAME, sizeof(int64) * ((int64) periods + 1) * n, true);
	s = CmAlloc(p.unit, periods, origin, pg_get_timezone_name(p.tz), RetentionZoneLen(&p),
				n, false);
	s->customers = n;
	for (i = 0; i < (Size) n; i++)
	{
		s->keys[i] = pq_getmsgint64(buf);
		for (k = 0; k < periods; k++)
			CM_ROW(s, i)[k] = pq_getmsgint64(buf);
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	KpiRecvEnd(buf, CUSTOMER_MRR_NAME);
	if ((problem = CmRowsError(s)) != NULL)
		KpiBinaryInputError(CUSTOMER_MRR_NAME, "%s", problem);
	PG_RETURN_POINTER(s);
}

Datum
customer_mrr_summary_send(PG_FUNCTION_ARGS)
{
	CustomerMrr *s = CmCanonical(KpiSummaryArg(fcinfo, 0, &CustomerMrrType));
	RetentionPeriod p = CmPeriod(s);
	StringInfoData buf;
	Size		i;
	int			k;

	KpiSendVersion(&buf, CUSTOMER_MRR_FORMAT_VERSION);
	RetentionSendPeriod(&buf, &p);
	pq_sendint32(&buf, s->periods);
	pq_sendint64(&buf, s->origin);
	pq_sendint32(&buf, s->customers);
	for (i = 0; i < (Size) s->customers; i++)
	{
		pq_sendint64(&buf, s->keys[i]);
		for (k = 0; k < s->periods; k++)
			pq_sendint64(&buf, CM_ROW(s, i)[k]);
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
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
} CmOriginCache;

static int64
CmOriginArg(FunctionCallInfo fcinfo, const RetentionPeriod *p, TimestampTz origin_at)
{
	CmOriginCache *cache = fcinfo->flinfo->fn_extra;

	if (cache == NULL)
		cache = fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CmOriginCache));
	else if (cache->origin_at == origin_at && cache->unit == p->unit && cache->tz == p->tz)
		return cache->origin;
	cache->unit = 0;			/* unset while RetentionOrigin may fail */
	cache->origin = RetentionOrigin(p, origin_at);
	cache->origin_at = origin_at;
	cache->tz = p->tz;
	cache->unit = p->unit;
	return cache->origin;
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
 * zone) arguments start at argument first: a new summary, or the state
 * argument to update, hashed.  *origin_at and *origin are set to the origin
 * argument and its calendar index, *p to the period.
 */
static CustomerMrr *
CmAccumState(FunctionCallInfo fcinfo, int first, RetentionPeriod *p,
			 TimestampTz *origin_at, int64 *origin)
{
	CustomerMrr *s;
	int32		periods;

	if (PG_ARGISNULL(first) || PG_ARGISNULL(first + 1) || PG_ARGISNULL(first + 2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("MRR origin, period and number of periods must not be null")));
	*origin_at = PG_GETARG_TIMESTAMPTZ(first);
	periods = RetentionCheckPeriods(PG_GETARG_INT32(first + 2));
	*p = RetentionPeriodFromArgs(PG_GETARG_INTERVAL_P(first + 1), NULL,
								 RetentionZoneArg(fcinfo, first + 3));
	*origin = CmOriginArg(fcinfo, p, *origin_at);

	if (PG_ARGISNULL(0))
		return CmAlloc(p->unit, periods, *origin, pg_get_timezone_name(p->tz),
					   RetentionZoneLen(p), CUSTOMER_MRR_INITIAL_ROWS, true);
	s = KpiSummaryState(fcinfo, 0, &CustomerMrrType);
	if (!CmSameArgs(s, p, periods, *origin))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("MRR origin or period changed within one aggregate")));
	return CmHashed(s);
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
	RetentionPeriod p;
	TimestampTz origin_at;
	int64		origin;
	int64		k;
	int64	   *mrr;

	s = CmAccumState(fcinfo, 4, &p, &origin_at, &origin);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_POINTER(s);

	k = RetentionIndex(&p, origin, PG_GETARG_TIMESTAMPTZ(2));
	if (k < 0 || k >= s->periods)
		PG_RETURN_POINTER(s);
	mrr = CmLookup(&s, PG_GETARG_INT64(1));
	if (pg_add_s64_overflow(mrr[k], MrrAmount(PG_GETARG_FLOAT8(3)), &mrr[k]))
		MrrOverflow();
	PG_RETURN_POINTER(s);
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
	RetentionPeriod p;
	TimestampTz origin_at;
	TimestampTz starts;
	int64		origin;
	int64		first,
				last;
	int64		amount;
	int64	   *mrr;
	int64		k;

	s = CmAccumState(fcinfo, 5, &p, &origin_at, &origin);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(4))
		PG_RETURN_POINTER(s);

	starts = PG_GETARG_TIMESTAMPTZ(2);
	amount = MrrAmount(PG_GETARG_FLOAT8(4));
	if (!PG_ARGISNULL(3) && PG_GETARG_TIMESTAMPTZ(3) < starts)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("subscription ends at %s before it starts at %s",
						RetentionTimestampText(PG_GETARG_TIMESTAMPTZ(3)),
						RetentionTimestampText(starts))));
	if (TIMESTAMP_IS_NOEND(starts))
		PG_RETURN_POINTER(s);
	first = TIMESTAMP_IS_NOBEGIN(starts) ? 0 : Max(RetentionIndex(&p, origin, starts), 0);
	if (PG_ARGISNULL(3) || TIMESTAMP_IS_NOEND(PG_GETARG_TIMESTAMPTZ(3)))
		last = s->periods - 1;
	else if (TIMESTAMP_IS_NOBEGIN(PG_GETARG_TIMESTAMPTZ(3)))
		PG_RETURN_POINTER(s);
	else
	{
		/* the period holding ends is the first without the subscription */
		last = RetentionIndex(&p, origin, PG_GETARG_TIMESTAMPTZ(3));
		last = last == PG_INT64_MIN ? -1 : Min(last - 1, s->periods - 1);
	}
	if (first > last || amount == 0)
		PG_RETURN_POINTER(s);
	mrr = CmLookup(&s, PG_GETARG_INT64(1));
	for (k = first; k <= last; k++)
		if (pg_add_s64_overflow(mrr[k], amount, &mrr[k]))
			MrrOverflow();
	PG_RETURN_POINTER(s);
}

/*
 * customer_mrr_summary_combine(a, b): a + b, adding the MRR per period of
 * the customers both hold.  The combine function of the aggregates, and
 * rollup()'s transition.
 */
Datum
customer_mrr_summary_combine(PG_FUNCTION_ARGS)
{
	CustomerMrr *a = KpiSummaryMergeState(fcinfo, 0, &CustomerMrrType);
	CustomerMrr *b = KpiSummaryArg(fcinfo, 1, &CustomerMrrType);
	int32		i;
	int			k;

	CmCheckSame(a, b);
	a = CmHashed(a);
	for (i = 0; i < b->customers; i++)
	{
		const int64 *from = CM_ROW(b, i);
		int64	   *to = CmLookup(&a, b->keys[i]);

		for (k = 0; k < a->periods; k++)
			if (pg_add_s64_overflow(to[k], from[k], &to[k]))
				MrrOverflow();
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_POINTER(a);
}

/* customer_mrr_summary_uncombine(a, b): a - b, the moving-window inverse */
Datum
customer_mrr_summary_uncombine(PG_FUNCTION_ARGS)
{
	CustomerMrr *a = KpiSummaryMergeState(fcinfo, 0, &CustomerMrrType);
	CustomerMrr *b = KpiSummaryArg(fcinfo, 1, &CustomerMrrType);
	int32		i;
	int			k;

	CmCheckSame(a, b);
	a = CmHashed(a);
	for (i = 0; i < b->customers; i++)
	{
		const int64 *from = CM_ROW(b, i);
		int64	   *to;

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
		if (i % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_POINTER(a);
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
	MrrSummary *m = MrrCreate(&p, s->periods, s->origin);
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
