/*-------------------------------------------------------------------------
 *
 * customer_mrr.h
 *	  customer_mrr_summary's flat form, which customer_mrr.c (aggregates,
 *	  merges) and customer_mrr_io.c (text and binary forms) share.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CRM_KPI_CUSTOMER_MRR_H
#define CRM_KPI_CUSTOMER_MRR_H

#include "retention.h"

/*
 * Version 3 (1.3.0) records the currency (mrr_currency.c); version 2
 * (1.3.0 development) holds ids of any type; version 1 (1.2.0), integer ids
 * only; the older ones, with no currency, still read (text, binary, and
 * flat values stored in tables)
 */
#define CUSTOMER_MRR_FORMAT_VERSION 3
#define CUSTOMER_MRR_NAME "customer_mrr_summary"
#define CUSTOMER_MRR_INITIAL_ROWS 4
#define CUSTOMER_MRR_MAX_ROWS (1 << 28)	/* index sizes fit in int32 */

/*
 * The flat form.  Integer ids are the keys themselves; the form is either
 * canonical (rows sorted by customer, buckets 0) or, while an aggregate
 * over integer ids runs, hashed.  uuid and text ids are always canonical
 * here: row i is the customer of dictionary id i, the dictionary (ids_len
 * bytes, KpiIdsSend's form, the ids in increasing byte order) following
 * the rows; while an aggregate over them runs, its state is an expanded
 * object (CmAgg, customer_mrr.c) holding the dictionary as a KpiIds.
 */
typedef struct CustomerMrr
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* CUSTOMER_MRR_FORMAT_VERSION, 2 or 1 */
	uint8		unit;			/* RETENTION_DAY, _WEEK or _MONTH */
	uint8		zone_len;		/* length of the time zone name at the end */
	uint8		idkind;			/* KpiIdKind (version 1: 0, integer ids) */
	int32		periods;		/* N */
	int64		origin;			/* calendar index of period 0 */
	int32		customers;		/* rows in use */
	int32		capacity;		/* rows allocated */
	int32		buckets;		/* 0: canonical; else the hash index's size */
	int32		ids_len;		/* bytes of the id dictionary (integer ids: 0) */
	int64		keys[FLEXIBLE_ARRAY_MEMBER];	/* capacity customers */
	/*
	 * then capacity rows of N amounts (row i: customer keys[i]), uint32
	 * index[buckets] (row + 1, 0 for empty), the id dictionary, (version
	 * 3) the currency, MRR_CURRENCY_BYTES, and the zone name.  The keys apart from the amounts: a probe reads keys only, a
	 * dense array.
	 */
} CustomerMrr;

#define CM_ROW(s, i)		((s)->keys + (Size) (s)->capacity + (Size) (i) * (s)->periods)
#define CM_INDEX(s)			((uint32 *) CM_ROW(s, (s)->capacity))
/* The size in the newest format is CM_SIZE(...) + MRR_CURRENCY_BYTES */
#define CM_SIZE(periods, capacity, buckets, ids_len, zone_len) \
	(offsetof(CustomerMrr, keys) + sizeof(int64) * ((Size) (periods) + 1) * (Size) (capacity) + \
	 sizeof(uint32) * (Size) (buckets) + (Size) (ids_len) + (zone_len))
#define CM_IDS(s) \
	((const char *) (s) + CM_SIZE((s)->periods, (s)->capacity, (s)->buckets, 0, 0))

/* The kind of a flat value's ids (version 1: integers) */
#define CM_KIND(s)			((s)->idkind == 0 ? KPI_ID_INTEGER : (KpiIdKind) (s)->idkind)
#define CM_IS_DICT(s)		((s)->idkind == KPI_ID_UUID || (s)->idkind == KPI_ID_TEXT)

extern const KpiSummaryType CustomerMrrType;

extern CustomerMrr *CmAlloc(int unit, int32 periods, int64 origin, const char *zone,
							int zone_len, const char *currency, KpiIdKind kind,
							int32 capacity, bool hashed, int32 ids_len);
extern RetentionPeriod CmPeriod(const CustomerMrr *s);
extern const char *CmRowsError(const CustomerMrr *s, const KpiIds *ids);
extern void CmFlatIds(const CustomerMrr *s, KpiIds *ids, MemoryContext cxt);
extern CustomerMrr *CmCanonical(CustomerMrr *s);
extern char *CmCustomerText(const KpiIds *ids, int64 key);

#endif							/* CRM_KPI_CUSTOMER_MRR_H */
