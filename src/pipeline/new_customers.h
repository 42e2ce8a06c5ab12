/*-------------------------------------------------------------------------
 *
 * new_customers.h
 *	  What the two files of new_customers_summary share: its flat form and
 *	  its expanded state (new_customers.c), and its text and binary forms
 *	  (new_customers_io.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CRM_KPI_NEW_CUSTOMERS_H
#define CRM_KPI_NEW_CUSTOMERS_H

#include "crm_kpi.h"

#include "utils/expandeddatum.h"

#define NC_FORMAT_VERSION	1
#define NC_NAME				"new_customers_summary"

/* The longest first-N-days window: 100 years */
#define NC_MAX_FIRST_DAYS	36525

/* Calendar periods, as date_trunc names them (index 0: no row yet) */
#define NC_MAX_UNIT			5
extern const char *const NcUnitNames[];

/* Microseconds from the Unix epoch to PostgreSQL's (2000-01-01) */
#define NC_UNIX_TO_PG_USECS \
	((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY)

/*
 * A row of the flat form: the customer (integer ids: the id; uuid and text
 * ids: its number in the dictionary, in increasing byte order), the time,
 * and the length of its amount in numeric's wire format (numeric_send), -1
 * for a NULL amount
 */
typedef struct NcRow
{
	int64		customer;
	int64		at;
	int32		amount_len;
	int32		reserved;		/* zero */
} NcRow;

/*
 * The flat form: the header, the rows in canonical order (customer, time,
 * amount: NULL first, then by length and bytes of its wire form), the
 * amounts' wire bytes in row order (amounts_len bytes), the id dictionary
 * of uuid and text ids (ids_len bytes, KpiIdsSend's form), then the time
 * zone name (zone_len bytes).  A summary that has seen no row has unit 0,
 * first_days 0 and no zone.
 */
typedef struct NewCustomersSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* NC_FORMAT_VERSION */
	uint8		unit;			/* 0, or 1..NC_MAX_UNIT */
	uint8		zone_len;
	uint8		reserved;		/* zero */
	int32		first_days;
	int32		ids_len;
	int64		count;			/* rows */
	int64		amounts_len;
	NcRow		rows[FLEXIBLE_ARRAY_MEMBER];
} NewCustomersSummary;

#define NC_SIZE(count)	(offsetof(NewCustomersSummary, rows) + sizeof(NcRow) * (Size) (count))
#define NC_AMOUNTS(s)	((const char *) (s) + NC_SIZE((s)->count))
#define NC_IDS(s)		(NC_AMOUNTS(s) + (s)->amounts_len)
#define NC_ZONE(s)		(NC_IDS(s) + (s)->ids_len)
#define NC_MAX_ROWS		((int64) ((MaxAllocSize - offsetof(NewCustomersSummary, rows)) / sizeof(NcRow)))

/* One purchase of the expanded state; its amount is a slice of amounts */
typedef struct NcEvent
{
	int64		customer;		/* key of the customer's id */
	TimestampTz at;
	int64		amount_off;
	int32		amount_len;		/* the amount's bytes; -1: NULL */
	bool		wire;			/* bytes in numeric_send's form, else numeric's stored
								 * form (VARDATA) */
} NcEvent;

/* The expanded form, the aggregates' state */
typedef struct NcState
{
	ExpandedObjectHeader hdr;
	int			unit;			/* index into NcUnitNames; 0 before the first row */
	int32		first_days;
	char	   *zone;			/* time zone name; NULL before the first row */
	KpiIds		ids;
	int64		nevents;
	int64		capacity;
	NcEvent    *events;
	StringInfoData amounts;		/* the amounts' numeric bytes */
	NewCustomersSummary *flat;	/* the flat form, once made, until a change */
} NcState;

extern const KpiSummaryType NcType;

#define NcGetArg(fcinfo, argno) \
	((NewCustomersSummary *) KpiSummaryArg(fcinfo, argno, &NcType))

/* new_customers.c */
extern NcState *NcCreate(FunctionCallInfo fcinfo);
extern void NcAddEvent(NcState *st, int64 customer, TimestampTz at, const char *amount, int32 len);
extern void NcSetParams(NcState *st, int unit, int32 first_days, const char *zone, int zone_len);
extern NewCustomersSummary *NcFinish(NcState *st);
extern NcState *NcExpand(FunctionCallInfo fcinfo, const NewCustomersSummary *s);

/* new_customers_io.c */
extern const char *NcHeaderError(const NewCustomersSummary *s);
extern const char *NcRowsError(const NewCustomersSummary *s);
extern const char *NcWireError(const char *p, int len, bool canonical);
extern bool NcZoneValid(const char *zone, int len);
extern void NcFlatIds(const NewCustomersSummary *s, KpiIds *ids, MemoryContext cxt);
extern int32 NcWireToStored(const char *wire, int len, StringInfo stored);

#endif							/* CRM_KPI_NEW_CUSTOMERS_H */
