/*-------------------------------------------------------------------------
 *
 * cohort_activity_io.c
 *	  The text and binary forms of cohort_activity_summary (its flat form,
 *	  state and accessors are cohort_activity.c's): both read every format
 *	  version, into a state of the input's own, and write the newest.
 *
 *-------------------------------------------------------------------------
 */
#include "cohort_activity.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(cohort_activity_summary_in);
PG_FUNCTION_INFO_V1(cohort_activity_summary_out);
PG_FUNCTION_INFO_V1(cohort_activity_summary_recv);
PG_FUNCTION_INFO_V1(cohort_activity_summary_send);

/*
 * Text: {"version":2,"period":"month","time_zone":"UTC","periods":N,
 *		  "as_of":null,"mode":"on"[,"ids":"uuid"],"entities":[[E,S,[0,2],false],...]}
 * "ids" ("uuid" or "text") for dictionary ids only (version 2): E is then a
 * JSON string; per entity, by increasing entity E (byte order for uuid and
 * text ids): its cohort start S in microseconds
 * since 1970-01-01 UTC (as activity_summary's), its active periods in
 * increasing order and whether it was active after period N - 1; as_of is
 * null or microseconds since 1970 too.  The origin of each entity is
 * computed from its start, so it is not written.
 */

/* An int64 of Unix microseconds as a timestamp a summary holds */
static bool
ScanUnixTime(KpiScanner *scan, int64 *t)
{
	return KpiScanInt64(scan, t) && !pg_sub_s64_overflow(*t, UNIX_TO_PG_USECS, t) &&
		CohortStartError(*t) == NULL;
}

/*
 * One entity [E,S,[active periods],later] into st; on failure, false with
 * the problem (messages are made only then: a literal may hold millions)
 */
static bool
ScanEntity(KpiScanner *scan, CohortAgg *st, bool first, int64 *last,
		   const char **problem)
{
	int32		periods = st->params.periods;
	uint32		before = KpiIdsCount(&st->ids);
	int64		entity,
				start,
				k,
				prev = -1;
	uint64	   *bits;

	if (!KpiScanToken(scan, "[") || !KpiIdsScanJson(scan, &st->ids, &entity) ||
		!KpiScanToken(scan, ","))
	{
		*problem = "Expected each entity as [entity,start,[active periods],later].";
		return false;
	}
	if (!first && (IdsAreIntegers(&st->ids) ? entity <= *last :
				   entity != before || KpiIdsCompare(&st->ids, *last, entity) >= 0))
	{
		*problem = psprintf("The entity %s is not after %s: entities are unique and in increasing order.",
							EntityText(&st->ids, entity), EntityText(&st->ids, *last));
		return false;
	}
	*last = entity;
	if (!ScanUnixTime(scan, &start))
	{
		*problem = psprintf("The cohort start of entity %s is not an integer in range.",
							EntityText(&st->ids, entity));
		return false;
	}
	bits = CohortAggAddEntity(st, entity, start);
	if (KpiScanToken(scan, ",") && KpiScanToken(scan, "["))
	{
		if (KpiScanToken(scan, "]"))
			prev = -2;			/* no active period */
		else
		{
			while (KpiScanInt64(scan, &k) && k > prev && k < periods)
			{
				BIT_SET(bits, k);
				prev = k;
				if (!KpiScanToken(scan, ","))
				{
					prev = KpiScanToken(scan, "]") ? -2 : -1;
					break;
				}
			}
		}
		if (prev == -2 && KpiScanToken(scan, ","))
		{
			if (KpiScanToken(scan, "true"))
				BIT_SET(bits, periods);
			else if (!KpiScanToken(scan, "false"))
				prev = -1;
			if (prev == -2 && KpiScanToken(scan, "]"))
				return true;
		}
	}
	*problem = psprintf("Expected the active periods of entity %s in increasing order, each from 0 to periods - 1, then later true or false.",
						EntityText(&st->ids, entity));
	return false;
}

static CohortActivitySummary *
CohortParse(const char *str, const char **problem)
{
	KpiScanner	scan = {str};
	CohortParams params;
	CohortAgg  *st;
	int64		periods,
				last = 0;
	bool		first = true;
	int			version;
	KpiIdKind	kind = KPI_ID_INTEGER;

	*problem = "Expected {\"version\":2,\"period\":...,\"periods\":N,\"as_of\":null,\"mode\":\"on\",\"entities\":[...]}.";
	if (!KpiScanVersionRange(&scan, 1, COHORT_FORMAT_VERSION, &version, problem))
		return NULL;
	if (!KpiScanToken(&scan, ",") ||
		!RetentionScanPeriod(&scan, 2 /* a format with a time zone */ , &params.period, problem) ||
		!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "periods") || !KpiScanInt64(&scan, &periods))
		return NULL;
	if (params.period.unit != RETENTION_ROLLING && params.period.tz == NULL)
	{
		*problem = "Calendar periods need their \"time_zone\".";
		return NULL;
	}
	if (periods < 1 || periods > RETENTION_MAX_PERIODS)
	{
		*problem = "The number of periods must be between 1 and 1024.";
		return NULL;
	}
	params.periods = (int32) periods;
	if (!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "as_of"))
		return NULL;
	params.censored = !KpiScanToken(&scan, "null");
	params.as_of = 0;
	if (params.censored && !ScanUnixTime(&scan, &params.as_of))
	{
		*problem = "Expected \"as_of\" null or an integer in range.";
		return NULL;
	}
	if (!KpiScanToken(&scan, ",") || !KpiScanKey(&scan, "mode"))
		return NULL;
	if (KpiScanToken(&scan, "\"on\""))
		params.mode = MODE_ON;
	else if (KpiScanToken(&scan, "\"on_or_after\""))
		params.mode = MODE_ON_OR_AFTER;
	else
	{
		*problem = "Expected \"mode\" \"on\" or \"on_or_after\".";
		return NULL;
	}
	if (!KpiScanToken(&scan, ","))
		return NULL;
	if (version >= 2 && KpiScanKey(&scan, "ids"))
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
	if (!KpiScanKey(&scan, "entities") || !KpiScanToken(&scan, "["))
		return NULL;

	/* the input's own context: a rejected literal leaves nothing behind */
	st = CohortAggCreate(NULL, &params, 16);
	st->ids.kind = kind;
	if (!KpiScanToken(&scan, "]"))
	{
		do
		{
			if (!ScanEntity(&scan, st, first, &last, problem))
			{
				MemoryContextDelete(st->hdr.eoh_context);
				return NULL;
			}
			first = false;
			CHECK_FOR_INTERRUPTS();
		} while (KpiScanToken(&scan, ","));
		if (!KpiScanToken(&scan, "]"))
		{
			*problem = "Expected the entities as a list [...].";
			MemoryContextDelete(st->hdr.eoh_context);
			return NULL;
		}
	}
	if (!KpiScanToken(&scan, "}") || !KpiScanEnd(&scan))
	{
		*problem = "Expected a closing } and nothing after it.";
		MemoryContextDelete(st->hdr.eoh_context);
		return NULL;
	}
	return CohortAggFinish(st);
}

Datum
cohort_activity_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *problem;
	CohortActivitySummary *s = CohortParse(str, &problem);

	if (s == NULL)
		KPI_TEXT_INPUT_ERROR(fcinfo, COHORT_NAME, str, problem);
	PG_RETURN_POINTER(s);
}

Datum
cohort_activity_summary_out(PG_FUNCTION_ARGS)
{
	CohortActivitySummary *s = CohortGetArg(fcinfo, 0);
	CohortParams p = CohortFlatParams(s);
	int			words = COHORT_ROW_WORDS(s->periods);
	KpiIds		ids;
	StringInfoData buf;
	int64		i;
	int			k;

	CohortFlatIds(s, &ids, CurrentMemoryContext);
	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\":%d,", COHORT_FORMAT_VERSION);
	RetentionAppendPeriod(&buf, &p.period);
	appendStringInfo(&buf, ",\"periods\":%d,\"as_of\":", s->periods);
	if (p.censored)
		appendStringInfo(&buf, INT64_FORMAT, p.as_of + UNIX_TO_PG_USECS);
	else
		appendStringInfoString(&buf, "null");
	appendStringInfo(&buf, ",\"mode\":\"%s\",", ModeName(p.mode));
	if (!IdsAreIntegers(&ids))
		appendStringInfo(&buf, "\"ids\":\"%s\",", KpiIdKindName(ids.kind));
	appendStringInfoString(&buf, "\"entities\":[");
	for (i = 0; i < s->entities; i++)
	{
		const int64 *row = s->rows + i * words;
		const uint64 *bits = (const uint64 *) (row + 3);
		bool		first = true;

		appendStringInfoString(&buf, i > 0 ? ",[" : "[");
		KpiIdsAppendJson(&buf, &ids, row[0]);
		appendStringInfo(&buf, "," INT64_FORMAT ",[", row[1] + UNIX_TO_PG_USECS);
		for (k = 0; k < s->periods; k++)
		{
			if (BIT_IS_SET(bits, k))
			{
				appendStringInfo(&buf, first ? "%d" : ",%d", k);
				first = false;
			}
		}
		appendStringInfo(&buf, "],%s]", BIT_IS_SET(bits, s->periods) ? "true" : "false");
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	appendStringInfoString(&buf, "]}");
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary: int8 version, the period (RetentionSendPeriod), int32 periods,
 * int8 flags (1 censored, 2 mode on_or_after), int64 as_of, (version 2) the
 * ids (KpiIdsSend: int8 kind; uuid and text: the ids, in increasing byte
 * order), int32 entities, then per entity by increasing entity: int64
 * entity (integer ids only: dictionary entity i is id i), int64 start, the
 * bitmap as int64 words
 */
Datum
cohort_activity_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CohortParams params;
	const char *problem;
	int			flags,
				words,
				j;
	uint32		count,
				i;
	int64		last = 0;
	int			version;
	KpiIds		ids;
	bool		dictionary;
	CohortAgg  *st;

	version = KpiRecvVersionRange(buf, COHORT_NAME, 1, COHORT_FORMAT_VERSION);
	if ((problem = RetentionRecvPeriod(buf, 2 /* a format with a time zone */ , &params.period)) != NULL)
		KpiBinaryInputError(COHORT_NAME, "%s", problem);
	if (params.period.unit != RETENTION_ROLLING && params.period.tz == NULL)
		KpiBinaryInputError(COHORT_NAME, "Calendar periods need their time zone.");
	KpiRecvNeed(buf, COHORT_NAME, 4 + 1 + 8, false);
	params.periods = pq_getmsgint(buf, 4);
	flags = pq_getmsgbyte(buf);
	params.as_of = pq_getmsgint64(buf);
	if (params.periods < 1 || params.periods > RETENTION_MAX_PERIODS)
		KpiBinaryInputError(COHORT_NAME, "The number of periods must be between 1 and 1024.");
	if ((flags & ~COHORT_FLAGS) != 0)
		KpiBinaryInputError(COHORT_NAME, "The flags %d are unknown.", flags);
	params.censored = (flags & COHORT_CENSORED) != 0;
	params.mode = (flags & COHORT_ON_OR_AFTER) ? MODE_ON_OR_AFTER : MODE_ON;
	if (params.censored ? CohortStartError(params.as_of) != NULL : params.as_of != 0)
		KpiBinaryInputError(COHORT_NAME, "The as_of is out of range.");
	words = BITMAP_WORDS(params.periods);

	st = CohortAggCreate(NULL, &params, 16);
	if (version >= 2)
	{
		KpiIdsRecv(buf, &st->ids, st->hdr.eoh_context);
	}
	else
		st->ids.kind = KPI_ID_INTEGER;
	ids = st->ids;
	dictionary = !IdsAreIntegers(&ids);
	count = (uint32) KpiRecvCount(buf, COHORT_NAME, 4, COHORT_MAX_ENTITIES(params.periods),
								  sizeof(int64) * ((dictionary ? 1 : 2) + words));
	KpiRecvNeed(buf, COHORT_NAME, (int64) count * sizeof(int64) * ((dictionary ? 1 : 2) + words), true);
	if (dictionary ? count != KpiIdsCount(&ids) : ids.kind == KPI_ID_NONE && count > 0)
		KpiBinaryInputError(COHORT_NAME, "The ids do not match the entities.");
	if (ids.kind == KPI_ID_NONE)
		st->ids.kind = KPI_ID_INTEGER;
	for (i = 0; i < count; i++)
	{
		int64		entity = dictionary ? i : pq_getmsgint64(buf);
		int64		start = pq_getmsgint64(buf);
		uint64	   *bits;

		if (i > 0 && (dictionary ? KpiIdsCompare(&st->ids, last, entity) >= 0 : entity <= last))
			KpiBinaryInputError(COHORT_NAME, "The entities are not in strictly increasing order.");
		last = entity;
		if ((problem = CohortStartError(start)) != NULL)
			KpiBinaryInputError(COHORT_NAME, "%s", problem);
		bits = CohortAggAddEntity(st, entity, start);
		for (j = 0; j < words; j++)
			bits[j] = (uint64) pq_getmsgint64(buf);
		if (RetentionSpareBits(bits, params.periods))
			KpiBinaryInputError(COHORT_NAME, "A bitmap sets periods past the last one.");
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	KpiRecvEnd(buf, COHORT_NAME);
	PG_RETURN_POINTER(CohortAggFinish(st));
}

bytea *
CohortSend(const CohortActivitySummary *s)
{
	CohortParams p = CohortFlatParams(s);
	int			words = COHORT_ROW_WORDS(s->periods);
	StringInfoData buf;
	int64		i;
	int			j;

	KpiSendVersion(&buf, COHORT_FORMAT_VERSION);
	RetentionSendPeriod(&buf, &p.period);
	pq_sendint32(&buf, s->periods);
	pq_sendbyte(&buf, s->flags);
	pq_sendint64(&buf, s->as_of);
	/* the stored dictionary is KpiIdsSend's form already */
	if (s->ids_len > 0)
		pq_sendbytes(&buf, COHORT_IDS(s), s->ids_len);
	else
		pq_sendbyte(&buf, s->entities > 0 ? KPI_ID_INTEGER : KPI_ID_NONE);
	pq_sendint32(&buf, (int32) s->entities);
	for (i = 0; i < s->entities; i++)
	{
		const int64 *row = s->rows + i * words;

		if (s->ids_len == 0)
			pq_sendint64(&buf, row[0]);
		pq_sendint64(&buf, row[1]);
		for (j = 3; j < words; j++)
			pq_sendint64(&buf, row[j]);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return pq_endtypsend(&buf);
}

Datum
cohort_activity_summary_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(CohortSend(CohortGetArg(fcinfo, 0)));
}

