/*-------------------------------------------------------------------------
 *
 * new_customers_io.c
 *	  The validator and the text and binary forms of new_customers_summary
 *	  (its flat form, state and accessor are new_customers.c's).  The
 *	  input functions read any row order and return the canonical form.
 *
 *-------------------------------------------------------------------------
 */
#include "new_customers.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(new_customers_summary_in);
PG_FUNCTION_INFO_V1(new_customers_summary_out);
PG_FUNCTION_INFO_V1(new_customers_summary_recv);
PG_FUNCTION_INFO_V1(new_customers_summary_send);

/* numeric's limit of the display scale (numeric.c's NUMERIC_DSCALE_MAX) */
#define NC_MAX_DSCALE	0x3FFF

/*
 * The most base-10000 digits of an amount: numeric's binary input
 * (numeric_recv) reads no more (NUMERIC_MAX_PRECISION +
 * NUMERIC_MAX_RESULT_SCALE)
 */
#define NC_MAX_WIRE_DIGITS	3000


/* Validation */

/* Why the header is not what this code writes, or NULL; no loop */
const char *
NcHeaderError(const NewCustomersSummary *s)
{
	uint64		size;

	if (VARSIZE(s) < offsetof(NewCustomersSummary, rows) ||
		s->version != NC_FORMAT_VERSION || s->reserved != 0)
		return "The header is invalid.";
	if (s->unit > NC_MAX_UNIT ||
		(s->unit == 0 ? s->first_days != 0 || s->zone_len != 0 || s->count != 0 :
		 s->first_days < 1 || s->first_days > NC_MAX_FIRST_DAYS || s->zone_len == 0))
		return "The period, first_days or time zone is invalid.";
	if (s->count < 0 || s->count > NC_MAX_ROWS || s->amounts_len < 0 ||
		s->amounts_len > (int64) MaxAllocSize || s->ids_len < 0 || (s->ids_len > 0 && s->count == 0))
		return "The number of rows does not match the size.";
	size = (uint64) NC_SIZE(s->count) + (uint64) s->amounts_len + (uint64) s->ids_len + s->zone_len;
	if (VARSIZE(s) != size)
		return "The number of rows does not match the size.";
	return NULL;
}

/*
 * Why the len bytes at p are not a finite numeric in numeric's wire format
 * (int16 ndigits, weight, sign, dscale, then the base-10000 digits), or
 * NULL.  canonical: also as numeric_send writes it (no leading or trailing
 * zero digit, zero as no digits, no digit past the display scale).
 */
const char *
NcWireError(const char *p, int len, bool canonical)
{
	const uint8 *b = (const uint8 *) p;
	int			ndigits,
				weight,
				sign,
				dscale,
				i;

#define WIRE_WORD(i) ((int16) ((b[2 * (i)] << 8) | b[2 * (i) + 1]))
	if (len < 8)
		return "An amount is truncated.";
	ndigits = WIRE_WORD(0);
	weight = WIRE_WORD(1);
	sign = (uint16) WIRE_WORD(2);
	dscale = (uint16) WIRE_WORD(3);
	if (ndigits < 0 || len != 8 + 2 * ndigits)
		return "An amount's length does not match its digits.";
	if (ndigits > NC_MAX_WIRE_DIGITS)
		return "An amount has more digits than numeric's binary input reads.";
	if (sign != KPI_NUMERIC_POS && sign != KPI_NUMERIC_NEG)
		return "An amount is not a finite number.";
	if (dscale > NC_MAX_DSCALE)
		return "An amount's display scale is out of range.";
	for (i = 0; i < ndigits; i++)
		if (WIRE_WORD(4 + i) < 0 || WIRE_WORD(4 + i) > 9999)
			return "An amount has an invalid digit.";
	if (!canonical)
		return NULL;
	if (ndigits == 0 ? weight != 0 || sign != KPI_NUMERIC_POS :
		WIRE_WORD(4) == 0 || WIRE_WORD(3 + ndigits) == 0)
		return "An amount is not in canonical form.";
	if (ndigits > 0 && weight - (ndigits - 1) < 0)
	{
		/* decimals held: 4 per fractional digit, less the last one's trailing zeros */
		int			last = WIRE_WORD(3 + ndigits);
		int			decimals = 4 * ((ndigits - 1) - weight);

		while (last % 10 == 0)
		{
			last /= 10;
			decimals--;
		}
		if (decimals > dscale)
			return "An amount has digits past its display scale.";
	}
#undef WIRE_WORD
	return NULL;
}

/* Is this a time zone name a summary may hold (printable, no quote)? */
static bool
NcZoneBytesValid(const char *zone, int len)
{
	int			i;

	for (i = 0; i < len; i++)
		if (zone[i] <= ' ' || zone[i] > '~' || zone[i] == '"' || zone[i] == '\\')
			return false;
	return len > 0;
}

/* A row's time: finite, valid, and in the bigint range of Unix microseconds */
static bool
NcTimeValid(int64 at)
{
	return !TIMESTAMP_NOT_FINITE(at) && IS_VALID_TIMESTAMP(at) &&
		at <= PG_INT64_MAX - NC_UNIX_TO_PG_USECS;
}

/* The rows' canonical order: customer, time, amount (NULL first, then length, bytes) */
static int
NcRowCompare(const NcRow *a, const char *pa, const NcRow *b, const char *pb)
{
	if (a->customer != b->customer)
		return a->customer < b->customer ? -1 : 1;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->amount_len != b->amount_len)
		return a->amount_len < b->amount_len ? -1 : 1;
	return a->amount_len <= 0 ? 0 : memcmp(pa, pb, a->amount_len);
}

/*
 * Why the rows of a valid header are not what this code writes, or NULL:
 * rows in canonical order, times in range, amounts canonical and filling
 * their bytes exactly; dictionary customers numbered 0, 1, ... with the
 * dictionary in increasing byte order; a valid time zone name
 */
const char *
NcRowsError(const NewCustomersSummary *s)
{
	const char *amounts = NC_AMOUNTS(s);
	const char *prev_amount = NULL;
	int64		used = 0;
	int64		i;
	bool		dictionary = s->ids_len > 0;

	if (s->unit != 0 && !NcZoneBytesValid(NC_ZONE(s), s->zone_len))
		return "The time zone is invalid.";
	for (i = 0; i < s->count; i++)
	{
		const NcRow *row = &s->rows[i];
		const char *amount = amounts + used;
		const char *problem;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (row->reserved != 0 || row->amount_len < -1 || row->amount_len == 0 ||
			(row->amount_len > 0 && row->amount_len > s->amounts_len - used))
			return "A row's amount does not match the amounts.";
		if (!NcTimeValid(row->at))
			return "A purchase time is out of range.";
		if (row->amount_len > 0 && (problem = NcWireError(amount, row->amount_len, true)) != NULL)
			return problem;
		if (dictionary && (i == 0 ? row->customer != 0 :
						   row->customer != s->rows[i - 1].customer &&
						   row->customer != s->rows[i - 1].customer + 1))
			return "The customers do not number the dictionary's ids in order.";
		if (i > 0 && NcRowCompare(&s->rows[i - 1], prev_amount, row, amount) > 0)
			return "The rows are not in canonical order.";
		prev_amount = amount;
		if (row->amount_len > 0)
			used += row->amount_len;
	}
	if (used != s->amounts_len)
		return "The amounts do not fill their bytes.";
	if (dictionary)
		return KpiIdsSentError(NC_IDS(s), s->ids_len, KPI_ID_NONE,
							   (uint32) (s->rows[s->count - 1].customer + 1),
							   "The id dictionary does not match the customers.");
	return NULL;
}

static bool
NcValid(const void *value, bool full)
{
	const NewCustomersSummary *s = value;

	return NcHeaderError(s) == NULL && (!full || NcRowsError(s) == NULL);
}

const KpiSummaryType NcType = {NC_NAME, -1, NcValid};

/*
 * The ids of a flat value with a valid header into ids, in cxt: its
 * dictionary, else integers (none for no rows)
 */
void
NcFlatIds(const NewCustomersSummary *s, KpiIds *ids, MemoryContext cxt)
{
	StringInfoData buf;

	if (s->ids_len == 0)
	{
		KpiIdsInit(ids, cxt);
		ids->kind = s->count > 0 ? KPI_ID_INTEGER : KPI_ID_NONE;
		return;
	}
	buf.data = (char *) NC_IDS(s);
	buf.len = s->ids_len;
	buf.maxlen = s->ids_len;
	buf.cursor = 0;
	KpiIdsRecv(&buf, ids, cxt);
}

/*
 * Append the stored bytes (VARDATA) of the numeric that wire bytes (checked
 * by NcWireError) hold to stored; their length
 */
int32
NcWireToStored(const char *wire, int len, StringInfo stored)
{
	StringInfoData buf;
	Numeric		num;
	int32		n;

	buf.data = (char *) wire;
	buf.len = len;
	buf.maxlen = len;
	buf.cursor = 0;
	num = DatumGetNumeric(DirectFunctionCall3(numeric_recv, PointerGetDatum(&buf),
											  ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
	n = VARSIZE(num) - VARHDRSZ;
	appendBinaryStringInfo(stored, VARDATA(num), n);
	pfree(num);
	return n;
}

/* The unit of a period name, or 0 */
static int
NcUnitOfName(const char *name, int len)
{
	int			unit;

	for (unit = 1; unit <= NC_MAX_UNIT; unit++)
		if (strlen(NcUnitNames[unit]) == (size_t) len && memcmp(NcUnitNames[unit], name, len) == 0)
			return unit;
	return 0;
}

/*
 * Is this a time zone name a summary may hold: one PostgreSQL's zone lookup
 * knows (a zone name or a POSIX specification, not an abbreviation), in
 * printable characters without quotes, at most 255 bytes?
 */
bool
NcZoneValid(const char *zone, int len)
{
	char	   *name;
	bool		known;

	if (len > 255 || !NcZoneBytesValid(zone, len))
		return false;
	name = pnstrdup(zone, len);
	known = pg_tzset(name) != NULL;
	pfree(name);
	return known;
}


/*
 * Text: {"version":1,"period":"quarter","first_days":90,"time_zone":"UTC"
 *		  [,"ids":"uuid"|"text"],"purchases":[[C,T,A],...]}
 * C the customer (a JSON string for uuid and text ids), T the time in
 * microseconds since 1970-01-01 UTC, A the amount as numeric's text writes
 * it (a JSON number) or null.  A summary of no row has null period,
 * first_days and time_zone.  Rows in any order; written in canonical order.
 */

/*
 * A JSON number as numeric output writes it: -?digits(.digits)?, whose wire
 * form numeric's binary input reads (at most NC_MAX_WIRE_DIGITS base-10000
 * digits), within numeric's limits (131072 decimal digits before the point,
 * a display scale of at most 16383, checked before numeric input reads it,
 * which would fail otherwise with another error); its stored bytes.  The
 * summaries the binary input accepts are the same.
 */
#define NC_MAX_INTEGER_DIGITS	131072

static bool
NcScanAmount(KpiScanner *scan, StringInfo stored)
{
	const char *p;
	const char *start;
	const char *digits;
	char	   *text;
	Numeric		num;

	while (isspace((unsigned char) *scan->pos))
		scan->pos++;
	p = start = scan->pos;
	if (*p == '-')
		p++;
	if (!isdigit((unsigned char) *p))
		return false;
	for (digits = p; isdigit((unsigned char) *p); p++)
		;
	if (p - digits > NC_MAX_INTEGER_DIGITS)
		return false;
	if (*p == '.')
	{
		p++;
		if (!isdigit((unsigned char) *p))
			return false;
		for (digits = p; isdigit((unsigned char) *p); p++)
			;
		if (p - digits > NC_MAX_DSCALE)
			return false;
	}
	text = pnstrdup(start, p - start);
	num = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(text),
											  ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
	{
		KpiNumericWire w;
		bytea	   *wire = KpiNumericReadWire(num, &w);
		bool		fits = wire != NULL && w.ndigits <= NC_MAX_WIRE_DIGITS;

		if (wire != NULL)
			pfree(wire);
		if (!fits)
		{
			pfree(num);
			pfree(text);
			return false;
		}
	}
	appendBinaryStringInfo(stored, VARDATA(num), VARSIZE(num) - VARHDRSZ);
	pfree(num);
	pfree(text);
	scan->pos = p;
	return true;
}

/* One row [C,T,A] into st; false with the problem */
static bool
NcScanRow(KpiScanner *scan, NcState *st, StringInfo stored, const char **problem)
{
	int64		customer,
				at;

	if (!KpiScanToken(scan, "[") || !KpiIdsScanJson(scan, &st->ids, &customer) ||
		!KpiScanToken(scan, ",") || !KpiScanInt64(scan, &at) || !KpiScanToken(scan, ","))
	{
		*problem = "Expected each purchase as [customer,time,amount].";
		return false;
	}
	if (pg_sub_s64_overflow(at, NC_UNIX_TO_PG_USECS, &at) || !NcTimeValid(at))
	{
		*problem = "A purchase time is out of range.";
		return false;
	}
	resetStringInfo(stored);
	if (KpiScanToken(scan, "null"))
		NcAddEvent(st, customer, at, NULL, -1);
	else if (NcScanAmount(scan, stored))
		NcAddEvent(st, customer, at, stored->data, stored->len);
	else
	{
		*problem = "Expected an amount as a number or null.";
		return false;
	}
	if (!KpiScanToken(scan, "]"))
	{
		*problem = "Expected each purchase as [customer,time,amount].";
		return false;
	}
	return true;
}

static NewCustomersSummary *
NcParse(const char *str, const char **problem)
{
	KpiScanner	scan = {str};
	NcState    *st;
	StringInfoData stored;
	int			version,
				unit = 0;
	int64		first_days = 0;
	const char *zone = NULL;
	int			zone_len = 0;
	KpiIdKind	kind = KPI_ID_INTEGER;

	*problem = "Expected {\"version\":1,\"period\":...,\"first_days\":N,\"time_zone\":...,\"purchases\":[...]}.";
	if (!KpiScanVersionRange(&scan, 1, NC_FORMAT_VERSION, &version, problem) ||
		!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "period"))
		return NULL;
	if (!KpiScanToken(&scan, "null"))
	{
		const char *name;

		if (!KpiScanToken(&scan, "\""))
			return NULL;
		name = scan.pos;
		while (*scan.pos >= 'a' && *scan.pos <= 'z')
			scan.pos++;
		if ((unit = NcUnitOfName(name, scan.pos - name)) == 0 || !KpiScanToken(&scan, "\""))
		{
			*problem = "Expected \"period\" \"day\", \"week\", \"month\", \"quarter\", \"year\" or null.";
			return NULL;
		}
	}
	if (!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "first_days"))
		return NULL;
	if (unit == 0 ? !KpiScanToken(&scan, "null") :
		!KpiScanInt64(&scan, &first_days) || first_days < 1 || first_days > NC_MAX_FIRST_DAYS)
	{
		*problem = psprintf("Expected \"first_days\" from 1 to %d (null with a null period).",
							NC_MAX_FIRST_DAYS);
		return NULL;
	}
	if (!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "time_zone"))
		return NULL;
	if (unit == 0 ? !KpiScanToken(&scan, "null") : !KpiScanToken(&scan, "\""))
	{
		*problem = "Expected \"time_zone\" a time zone name (null with a null period).";
		return NULL;
	}
	if (unit != 0)
	{
		zone = scan.pos;
		while (*scan.pos != '"' && *scan.pos != '\0')
			scan.pos++;
		zone_len = scan.pos - zone;
		if (!KpiScanToken(&scan, "\"") || !NcZoneValid(zone, zone_len))
		{
			*problem = "The time zone is not one PostgreSQL knows.";
			return NULL;
		}
	}
	if (!KpiScanToken(&scan, ","))
		return NULL;
	if (KpiScanKey(&scan, "ids"))
	{
		const char *name;

		if (!KpiScanToken(&scan, "\""))
			return NULL;
		name = scan.pos;
		while (*scan.pos >= 'a' && *scan.pos <= 'z')
			scan.pos++;
		if (!KpiIdKindFromName(name, (int) (scan.pos - name), &kind) ||
			kind == KPI_ID_INTEGER || !KpiScanToken(&scan, "\"") || !KpiScanToken(&scan, ","))
		{
			*problem = "Expected \"ids\" \"uuid\" or \"text\" (none for integer ids).";
			return NULL;
		}
	}
	if (!KpiScanKey(&scan, "purchases") || !KpiScanToken(&scan, "["))
		return NULL;

	/* the input's own context: a rejected literal leaves nothing behind */
	st = NcCreate(NULL);
	st->ids.kind = kind;
	if (unit != 0)
		NcSetParams(st, unit, (int32) first_days, zone, zone_len);
	initStringInfo(&stored);
	if (!KpiScanToken(&scan, "]"))
	{
		if (unit == 0)
		{
			*problem = "A summary of purchases has a period.";
			MemoryContextDelete(st->hdr.eoh_context);
			return NULL;
		}
		do
		{
			if (!NcScanRow(&scan, st, &stored, problem))
			{
				MemoryContextDelete(st->hdr.eoh_context);
				return NULL;
			}
			CHECK_FOR_INTERRUPTS();
		} while (KpiScanToken(&scan, ","));
		if (!KpiScanToken(&scan, "]"))
		{
			*problem = "Expected the purchases as a list [...].";
			MemoryContextDelete(st->hdr.eoh_context);
			return NULL;
		}
	}
	else if (kind != KPI_ID_INTEGER)
	{
		*problem = "A summary of no purchases has no \"ids\".";
		MemoryContextDelete(st->hdr.eoh_context);
		return NULL;
	}
	if (!KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
	{
		*problem = "Expected a closing } and nothing after it.";
		MemoryContextDelete(st->hdr.eoh_context);
		return NULL;
	}
	if (st->nevents == 0)
		st->ids.kind = KPI_ID_NONE;
	return NcFinish(st);
}

Datum
new_customers_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *problem;
	NewCustomersSummary *s = NcParse(str, &problem);

	if (s == NULL)
		KPI_TEXT_INPUT_ERROR(fcinfo, NC_NAME, str, problem);
	PG_RETURN_POINTER(s);
}

Datum
new_customers_summary_out(PG_FUNCTION_ARGS)
{
	NewCustomersSummary *s = NcGetArg(fcinfo, 0);
	const char *amount = NC_AMOUNTS(s);
	KpiIds		ids;
	StringInfoData buf;
	int64		i;

	NcFlatIds(s, &ids, CurrentMemoryContext);
	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d,", NC_FORMAT_VERSION);
	if (s->unit == 0)
		appendStringInfoString(&buf, "\"period\":null,\"first_days\":null,\"time_zone\":null,");
	else
		appendStringInfo(&buf, "\"period\":\"%s\",\"first_days\":%d,\"time_zone\":\"%.*s\",",
						 NcUnitNames[s->unit], s->first_days, s->zone_len, NC_ZONE(s));
	if (ids.kind == KPI_ID_UUID || ids.kind == KPI_ID_TEXT)
		appendStringInfo(&buf, "\"ids\":\"%s\",", KpiIdKindName(ids.kind));
	appendStringInfoString(&buf, "\"purchases\":[");
	for (i = 0; i < s->count; i++)
	{
		const NcRow *row = &s->rows[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		appendStringInfoString(&buf, i > 0 ? ",[" : "[");
		KpiIdsAppendJson(&buf, &ids, row->customer);
		appendStringInfo(&buf, "," INT64_FORMAT ",", row->at + NC_UNIX_TO_PG_USECS);
		if (row->amount_len < 0)
			appendStringInfoString(&buf, "null");
		else
		{
			StringInfoData wire;
			Numeric		num;

			wire.data = (char *) amount;
			wire.len = row->amount_len;
			wire.maxlen = row->amount_len;
			wire.cursor = 0;
			num = DatumGetNumeric(DirectFunctionCall3(numeric_recv, PointerGetDatum(&wire),
													  ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
			appendStringInfoString(&buf, DatumGetCString(DirectFunctionCall1(numeric_out,
																			 NumericGetDatum(num))));
			amount += row->amount_len;
		}
		appendStringInfoChar(&buf, ']');
	}
	appendStringInfoString(&buf, "]}");
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary: int8 version, int8 unit (0: no rows), int32 first_days, int8
 * length of the time zone name + its bytes, the ids (KpiIdsSend: int8
 * kind; uuid and text: the ids, in increasing byte order), int64 number of
 * rows, then per row in canonical order: int64 customer (integer ids: the
 * id; dictionary ids: its number), int64 time (PostgreSQL microseconds),
 * int32 amount length (-1: NULL) + the amount in numeric's wire format.
 */
Datum
new_customers_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	NcState    *st;
	StringInfoData stored;
	int			unit,
				zone_len;
	int32		first_days;
	const char *zone = NULL;
	int64		count,
				i;
	bool		dictionary;

	KpiRecvVersion(buf, NC_NAME, NC_FORMAT_VERSION);
	KpiRecvNeed(buf, NC_NAME, 1 + 4 + 1, false);
	unit = pq_getmsgbyte(buf);
	first_days = pq_getmsgint(buf, 4);
	zone_len = pq_getmsgbyte(buf);
	if (unit > NC_MAX_UNIT ||
		(unit == 0 ? first_days != 0 || zone_len != 0 :
		 first_days < 1 || first_days > NC_MAX_FIRST_DAYS))
		KpiBinaryInputError(NC_NAME, "The period or first_days is invalid.");
	KpiRecvNeed(buf, NC_NAME, zone_len, false);
	if (zone_len > 0)
		zone = pq_getmsgbytes(buf, zone_len);
	if (unit != 0 && !NcZoneValid(zone, zone_len))
		KpiBinaryInputError(NC_NAME, "The time zone is not one PostgreSQL knows.");
	st = NcCreate(NULL);
	if (unit != 0)
		NcSetParams(st, unit, first_days, zone, zone_len);
	KpiIdsRecv(buf, &st->ids, st->hdr.eoh_context);
	dictionary = st->ids.kind == KPI_ID_UUID || st->ids.kind == KPI_ID_TEXT;
	count = KpiRecvCount(buf, NC_NAME, 8, NC_MAX_ROWS, 8 + 8 + 4);
	if ((count > 0) != (st->ids.kind != KPI_ID_NONE) || (count > 0 && unit == 0))
		KpiBinaryInputError(NC_NAME, "The ids or the period do not match the rows.");
	initStringInfo(&stored);
	for (i = 0; i < count; i++)
	{
		int64		customer,
					at;
		int32		len;
		const char *problem;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		KpiRecvNeed(buf, NC_NAME, 8 + 8 + 4, false);
		customer = pq_getmsgint64(buf);
		at = pq_getmsgint64(buf);
		len = pq_getmsgint(buf, 4);
		if (dictionary && (customer < 0 || customer >= KpiIdsCount(&st->ids)))
			KpiBinaryInputError(NC_NAME, "Row " INT64_FORMAT " has no id.", i);
		if (!NcTimeValid(at))
			KpiBinaryInputError(NC_NAME, "Row " INT64_FORMAT ": the time is out of range.", i);
		if (len == -1)
		{
			NcAddEvent(st, customer, at, NULL, -1);
			continue;
		}
		if (len < 0 || len > buf->len - buf->cursor)
			KpiBinaryInputError(NC_NAME, "Row " INT64_FORMAT ": the amount is truncated.", i);
		if ((problem = NcWireError(buf->data + buf->cursor, len, false)) != NULL)
			KpiBinaryInputError(NC_NAME, "Row " INT64_FORMAT ": %s", i, problem);
		resetStringInfo(&stored);
		NcWireToStored(pq_getmsgbytes(buf, len), len, &stored);
		NcAddEvent(st, customer, at, stored.data, stored.len);
	}
	KpiRecvEnd(buf, NC_NAME);
	if (dictionary && KpiIdsCount(&st->ids) > 0)
	{
		/* every id of the dictionary belongs to a row */
		bool	   *used = palloc0(KpiIdsCount(&st->ids));
		uint32		n = 0;

		for (i = 0; i < st->nevents; i++)
			if (!used[st->events[i].customer])
			{
				used[st->events[i].customer] = true;
				n++;
			}
		if (n != KpiIdsCount(&st->ids))
			KpiBinaryInputError(NC_NAME, "An id of the dictionary has no row.");
		pfree(used);
	}
	PG_RETURN_POINTER(NcFinish(st));
}

Datum
new_customers_summary_send(PG_FUNCTION_ARGS)
{
	NewCustomersSummary *s = NcGetArg(fcinfo, 0);
	StringInfoData buf;
	int64		i;
	const char *amount = NC_AMOUNTS(s);

	KpiSendVersion(&buf, NC_FORMAT_VERSION);
	pq_sendbyte(&buf, s->unit);
	pq_sendint32(&buf, s->first_days);
	pq_sendbyte(&buf, s->zone_len);
	pq_sendbytes(&buf, NC_ZONE(s), s->zone_len);
	/* the stored dictionary is KpiIdsSend's form already */
	if (s->ids_len > 0)
		pq_sendbytes(&buf, NC_IDS(s), s->ids_len);
	else
		pq_sendbyte(&buf, s->count > 0 ? KPI_ID_INTEGER : KPI_ID_NONE);
	pq_sendint64(&buf, s->count);
	for (i = 0; i < s->count; i++)
	{
		const NcRow *row = &s->rows[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_sendint64(&buf, row->customer);
		pq_sendint64(&buf, row->at);
		pq_sendint32(&buf, row->amount_len);
		if (row->amount_len > 0)
		{
			pq_sendbytes(&buf, amount, row->amount_len);
			amount += row->amount_len;
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
