/*-------------------------------------------------------------------------
 *
 * cohort_activity.c
 *	  Cohort retention, part 3: cohort_activity_summary, the activity of a
 *	  cohort's entities, which is the state of the one-step aggregates over
 *	  raw events, retention_curve() and retention_agg(), and the result of
 *	  cohort_activity_agg(); its rollup() and its accessors
 *	  retention_summary() and retention_curve().  Its text and binary forms
 *	  are cohort_activity_io.c's.
 *
 * A retention_summary counts entities, so summaries merge only when their
 * entities are disjoint.  A cohort_activity_summary keeps each entity (its
 * cohort start and the bitmap of its active periods), so summaries whose
 * entities overlap (one user's events on two shards, or in two days'
 * summaries) merge exactly: the union of the entities, an entity's periods
 * ORed.  It grows with its entities, so the aggregates keep it expanded
 * (doc/conventions.md, pattern (b)): a keyed table entity -> [start, origin,
 * bitmap], flattened with the entities sorted, so that equal summaries are
 * equal bytes.
 *
 * Entities are ids of any supported type (entity_ids.c): integers are their
 * own keys; uuid and text ids are keys into a dictionary of their bytes,
 * which the flat form stores with the ids in increasing byte order, the
 * i-th entity's key being i: equal summaries are still equal bytes.
 *
 * Its parameters: the period (with the time zone it is counted in), the
 * number of periods, as_of (the censoring, or none) and the mode the
 * one-step retention_curve() reads it with.  The summary records the last
 * two only for the one-step aggregates, whose final functions see nothing
 * but their state: Citus, which ships states between nodes as text, ends
 * them on the coordinator as a single node does.
 *
 *-------------------------------------------------------------------------
 */
#include "cohort_activity.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/uuid.h"

PG_FUNCTION_INFO_V1(cohort_activity_summary_accum);
PG_FUNCTION_INFO_V1(cohort_activity_summary_accum_mode);
PG_FUNCTION_INFO_V1(cohort_activity_summary_combine);
PG_FUNCTION_INFO_V1(cohort_activity_retention_summary);
PG_FUNCTION_INFO_V1(cohort_activity_retention_curve);
PG_FUNCTION_INFO_V1(retention_event_state_accum);
KPI_FORMER_SYMBOL(retention_event_accum, retention_event_state_accum);
PG_FUNCTION_INFO_V1(retention_event_state_combine);
KPI_FORMER_SYMBOL(retention_event_combine, retention_event_state_combine);
PG_FUNCTION_INFO_V1(retention_event_state_serialize);
KPI_FORMER_SYMBOL(retention_event_serialize, retention_event_state_serialize);
PG_FUNCTION_INFO_V1(retention_event_state_deserialize);
KPI_FORMER_SYMBOL(retention_event_deserialize, retention_event_state_deserialize);
KPI_FORMER_SYMBOL(retention_curve_final, cohort_activity_retention_curve);
KPI_FORMER_SYMBOL(retention_event_curve, cohort_activity_retention_curve);
KPI_FORMER_SYMBOL(retention_agg_final, cohort_activity_retention_summary);
KPI_FORMER_SYMBOL(retention_event_summary, cohort_activity_retention_summary);


/* Validation */

/* Why the header is not what this code writes, or NULL; no loop */
static const char *
CohortHeaderError(const CohortActivitySummary *s)
{
	if (VARSIZE(s) < offsetof(CohortActivitySummary, rows) ||
		s->version < 1 || s->version > COHORT_FORMAT_VERSION ||
		(s->flags & ~COHORT_FLAGS) != 0 || s->ids_len < 0 ||
		(s->ids_len > 0 && (s->version == 1 || s->entities == 0)))
		return "The header is invalid.";
	if (s->unit < RETENTION_DAY || s->unit > RETENTION_ROLLING ||
		(s->unit == RETENTION_ROLLING) != (s->length > 0) || s->length < 0)
		return "The period is invalid.";
	if (s->periods < 1 || s->periods > RETENTION_MAX_PERIODS)
		return "The number of periods must be between 1 and 1024.";
	if ((s->flags & COHORT_CENSORED) ?
		!IS_VALID_TIMESTAMP(s->as_of) || s->as_of > ACTIVITY_MAX_START : s->as_of != 0)
		return "The as_of is out of range.";
	if (s->entities < 0 || s->entities > COHORT_MAX_ENTITIES(s->periods) ||
		VARSIZE(s) != COHORT_SIZE(s->periods, s->entities) + s->ids_len + s->zone_len)
		return "The number of entities does not match the size.";
	if (s->unit == RETENTION_ROLLING ? s->zone_len != 0 :
		s->zone_len == 0 || !RetentionZoneNameValid(RETENTION_ZONE(s), s->zone_len))
		return "The time zone is invalid.";
	return NULL;
}

/* Why a start is not one a summary holds, or NULL */
const char *
CohortStartError(int64 start)
{
	if (!IS_VALID_TIMESTAMP(start) || start > ACTIVITY_MAX_START)
		return "A cohort start is out of range.";
	return NULL;
}


/* An entity as the text forms write it, for messages */
char *
EntityText(const KpiIds *ids, int64 key)
{
	StringInfoData buf;

	initStringInfo(&buf);
	KpiIdsAppendJson(&buf, ids, key);
	return buf.data;
}

/*
 * The ids of a flat value with a valid header into ids, in cxt: its
 * dictionary, else integers (none for no entities).  Errors 22P03 for a
 * malformed dictionary.
 */
void
CohortFlatIds(const CohortActivitySummary *s, KpiIds *ids, MemoryContext cxt)
{
	StringInfoData buf;

	if (s->ids_len == 0)
	{
		KpiIdsInit(ids, cxt);
		ids->kind = s->entities > 0 ? KPI_ID_INTEGER : KPI_ID_NONE;
		return;
	}
	buf.data = (char *) COHORT_IDS(s);
	buf.len = s->ids_len;
	buf.maxlen = s->ids_len;
	buf.cursor = 0;
	KpiIdsRecv(&buf, ids, cxt);
	if (buf.cursor != buf.len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid entity ids in binary input"),
				 errdetail("Bytes follow the ids.")));
}

/*
 * Why the rows of a valid header are not what this code writes, or NULL:
 * entities increasing (dictionary ids: entity i is id i, the ids
 * increasing), starts and origins in range, no bit past N
 */
static const char *
CohortRowsError(const CohortActivitySummary *s)
{
	int			words = COHORT_ROW_WORDS(s->periods);
	int64		i;

	if (s->ids_len > 0)
	{
		const char *problem = KpiIdsSentError(COHORT_IDS(s), s->ids_len, KPI_ID_NONE, s->entities,
											  "The id dictionary does not match the entities.");

		if (problem != NULL)
			return problem;
	}
	for (i = 0; i < s->entities; i++)
	{
		const int64 *row = s->rows + i * words;
		const char *problem;

		if (s->ids_len > 0 ? row[0] != i : (i > 0 && row[0] <= row[-words]))
			return "The entities are not in strictly increasing order.";
		if ((problem = CohortStartError(row[1])) != NULL)
			return problem;
		if (s->unit == RETENTION_ROLLING ? row[2] != row[1] :
			!RetentionIndexValid(s->unit, row[2]))
			return "An origin is out of range.";
		if (RetentionSpareBits((const uint64 *) (row + 3), s->periods))
			return "A bitmap sets periods past the last one.";
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return NULL;
}

static bool
CohortValid(const void *value, bool full)
{
	const CohortActivitySummary *s = value;

	return CohortHeaderError(s) == NULL && (!full || CohortRowsError(s) == NULL);
}

const KpiSummaryType CohortType = {COHORT_NAME, -1, CohortValid};


CohortParams
CohortFlatParams(const CohortActivitySummary *s)
{
	CohortParams p;

	p.period = RetentionStoredPeriod(s->unit, s->length, RETENTION_ZONE(s), s->zone_len);
	p.periods = s->periods;
	p.mode = (s->flags & COHORT_ON_OR_AFTER) ? MODE_ON_OR_AFTER : MODE_ON;
	p.censored = (s->flags & COHORT_CENSORED) != 0;
	p.as_of = s->as_of;
	return p;
}


/* Parameters */

const char *
ModeName(int mode)
{
	return mode == MODE_ON ? "on" : "on_or_after";
}

static const char *
AsOfText(const CohortParams *p)
{
	return p->censored ? RetentionTimestampText(p->as_of) : "none";
}

static bool
CohortSameParams(const CohortParams *a, const CohortParams *b)
{
	return RetentionSamePeriod(&a->period, &b->period) && a->periods == b->periods &&
		a->mode == b->mode && a->censored == b->censored && a->as_of == b->as_of;
}

/* Summaries to merge must have the same parameters: an error naming both */
static void
CohortCheckSame(const CohortParams *a, const CohortParams *b)
{
	if (a->period.unit != b->period.unit || a->period.length != b->period.length ||
		a->periods != b->periods)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge cohort activity summaries with periods %s x %d and %s x %d",
						RetentionPeriodName(&a->period), a->periods,
						RetentionPeriodName(&b->period), b->periods)));
	RetentionCheckSameZone("cohort activity summaries", &a->period, &b->period);
	if (a->censored != b->censored || a->as_of != b->as_of)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge cohort activity summaries with as_of %s and %s",
						AsOfText(a), AsOfText(b)),
				 errhint("Build them with the same as_of, or with none and pass it to retention_summary().")));
	if (a->mode != b->mode)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge cohort activity summaries with retention modes \"%s\" and \"%s\"",
						ModeName(a->mode), ModeName(b->mode))));
}

/* A timestamp a summary holds (a start or as_of): finite, not past the text form's range */
static void
CohortCheckTime(const char *what, TimestampTz t)
{
	RetentionCheckFinite(t);
	if (t > ACTIVITY_MAX_START)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s %s is out of range for a cohort activity summary",
						what, RetentionTimestampText(t)),
				 errdetail("The latest time a cohort activity summary holds is %s.",
						   RetentionTimestampText(ACTIVITY_MAX_START))));
}


/* The expanded form */

static Size CohortAggFlatSize(ExpandedObjectHeader *eoh);
static void CohortAggFlattenInto(ExpandedObjectHeader *eoh, void *result, Size size);

static const ExpandedObjectMethods CohortAggMethods = {
	CohortAggFlatSize,
	CohortAggFlattenInto
};

/*
 * An empty state with room for capacity entities, for fcinfo (NULL for the
 * input functions): KpiExpandedCreateState
 */
CohortAgg *
CohortAggCreate(FunctionCallInfo fcinfo, const CohortParams *params, uint32 capacity)
{
	CohortAgg  *st = (CohortAgg *) KpiExpandedCreateState(fcinfo, sizeof(CohortAgg),
														   &CohortAggMethods);

	st->params = *params;
	KpiIdsInit(&st->ids, st->hdr.eoh_context);
	st->table = KpiKeyedCreateSized(st->hdr.eoh_context, AGG_WIDTH(params->periods),
									Max(capacity, 16));
	return st;
}

static void
CohortCheckSameStart(const KpiIds *ids, int64 entity, int64 a, int64 b)
{
	if (a != b)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("entity %s has two cohort starts, %s and %s",
						EntityText(ids, entity), RetentionTimestampText(a), RetentionTimestampText(b)),
				 errhint("Each entity belongs to one cohort: give every row of an entity the same start.")));
}

/*
 * st += the entities of s (whose parameters must be st's); their ids must
 * be of st's kind (22023), integer ids keeping their keys, dictionary ids
 * translated into st's dictionary
 */
static void
CohortAggMerge(CohortAgg *st, const CohortActivitySummary *s)
{
	int			words = COHORT_ROW_WORDS(s->periods);
	int			width = AGG_WIDTH(s->periods);
	MemoryContext cxt = NULL;
	KpiIds		from_ids;
	int64		i;
	int			j;

	if (s->ids_len > 0)
		cxt = AllocSetContextCreate(CurrentMemoryContext, "cohort ids merge",
									ALLOCSET_DEFAULT_SIZES);
	CohortFlatIds(s, &from_ids, cxt != NULL ? cxt : CurrentMemoryContext);
	KpiIdsMergeKinds(&st->ids, &from_ids);
	for (i = 0; i < s->entities; i++)
	{
		const int64 *from = s->rows + i * words;
		int64		key = KpiIdsTranslate(&st->ids, &from_ids, from[0]);
		bool		found;
		int64	   *to = KpiKeyedLookup(st->table, key, &found);

		if (!found)
			memcpy(to, from + 1, sizeof(int64) * width);
		else
		{
			CohortCheckSameStart(&st->ids, key, to[0], from[1]);
			for (j = 2; j < width; j++)
				to[j] |= from[j + 1];
		}
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	if (cxt != NULL)
		MemoryContextDelete(cxt);
}

/* A checked flat value expanded into a new state (CohortAggCreate) */
static CohortAgg *
CohortAggExpand(FunctionCallInfo fcinfo, const CohortActivitySummary *s)
{
	CohortParams params = CohortFlatParams(s);
	CohortAgg  *st = CohortAggCreate(fcinfo, &params, (uint32) s->entities);

	CohortAggMerge(st, s);
	return st;
}

/*
 * The bytes of a state's id dictionary in the flat form (KpiIdsSend's: kind,
 * count, each uuid, or each text's length and bytes); none for integer ids
 * and for no entities.  Every id of the dictionary is an entity's.
 */
static Size
CohortAggIdsLen(const CohortAgg *st)
{
	if (IdsAreIntegers(&st->ids) || KpiKeyedCount(st->table) == 0)
		return 0;
	Assert(KpiIdsCount(&st->ids) == KpiKeyedCount(st->table));
	return KpiIdsSendSize(&st->ids);
}

static Size
CohortAggFlatSize(ExpandedObjectHeader *eoh)
{
	const CohortAgg *st = (const CohortAgg *) eoh;
	uint32		count = KpiKeyedCount(st->table);

	if (count > COHORT_MAX_ENTITIES(st->params.periods) ||
		COHORT_SIZE(st->params.periods, count) + CohortAggIdsLen(st) + 255 > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cohort activity summary of %u entities over %d periods is too large",
						count, st->params.periods),
				 errhint("A summary holds at most " INT64_FORMAT " entities of %d periods: split the cohort.",
						 COHORT_MAX_ENTITIES(st->params.periods), st->params.periods)));
	return COHORT_SIZE(st->params.periods, count) + CohortAggIdsLen(st) +
		RetentionZoneLen(&st->params.period);
}

static int
CohortKeyCompare(const void *a, const void *b, void *arg)
{
	const CohortAgg *st = arg;
	int64		x = KpiKeyedKey(st->table, *(const uint32 *) a);
	int64		y = KpiKeyedKey(st->table, *(const uint32 *) b);

	return (x > y) - (x < y);
}

/*
 * The rows of a state in the order of the flat form: by integer id, or by
 * the bytes of uuid and text ids; an array in the state's own context
 * (expanded.c says why)
 */
static uint32 *
CohortAggOrder(const CohortAgg *st)
{
	uint32		count = KpiKeyedCount(st->table);
	uint32	   *order = MemoryContextAllocHuge(st->hdr.eoh_context,
											   sizeof(uint32) * Max(count, 1));
	uint32		i;

	if (IdsAreIntegers(&st->ids))
	{
		for (i = 0; i < count; i++)
			order[i] = i;
		qsort_arg(order, count, sizeof(uint32), CohortKeyCompare, (void *) st);
	}
	else
		KpiIdsSortRows(&st->ids, st->table, order, st->hdr.eoh_context);
	return order;
}

/*
 * The flat form, entities sorted, into result (EOM_flatten_into_method);
 * through the validator, as every value produced
 */
static void
CohortAggFlattenInto(ExpandedObjectHeader *eoh, void *result, Size size)
{
	const CohortAgg *st = (const CohortAgg *) eoh;
	const CohortParams *p = &st->params;
	CohortActivitySummary *s = result;
	uint32		count = KpiKeyedCount(st->table);
	int			words = COHORT_ROW_WORDS(p->periods);
	Size		ids_len = CohortAggIdsLen(st);
	uint32	   *order;
	uint32		i;

	order = CohortAggOrder(st);

	Assert(size == COHORT_SIZE(p->periods, count) + ids_len + RetentionZoneLen(&p->period));
	memset(s, 0, offsetof(CohortActivitySummary, rows));
	SET_VARSIZE(s, size);
	s->version = COHORT_FORMAT_VERSION;
	s->unit = p->period.unit;
	s->zone_len = RetentionZoneLen(&p->period);
	s->flags = (p->censored ? COHORT_CENSORED : 0) |
		(p->mode == MODE_ON_OR_AFTER ? COHORT_ON_OR_AFTER : 0);
	s->periods = p->periods;
	s->length = p->period.length;
	s->as_of = p->censored ? p->as_of : 0;
	s->entities = count;
	s->ids_len = (int32) ids_len;
	for (i = 0; i < count; i++)
	{
		int64	   *row = s->rows + (Size) i * words;

		row[0] = ids_len > 0 ? i : KpiKeyedKey(st->table, order[i]);
		memcpy(row + 1, KpiKeyedRow(st->table, order[i]), sizeof(int64) * (words - 1));
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	if (ids_len > 0)
	{
		/*
		 * The ids in the entities' order, so that entity i is id i, in
		 * KpiIdsSend's form: kind, count, each uuid, or each text's length
		 * and bytes (written here in one pass rather than through a sorted
		 * copy of the dictionary)
		 */
		char	   *start = (char *) COHORT_IDS(s);
		char	   *d = KpiIdsPutRows(start, &st->ids, st->table, order);

		if ((Size) (d - start) != ids_len)
			elog(ERROR, "cohort activity summary ids take %zu bytes, not %zu",
				 (Size) (d - start), ids_len);
	}
	RetentionCopyZone((char *) RETENTION_ZONE(s), &p->period);
	pfree(order);
	KpiCheckProduced(COHORT_NAME, CohortHeaderError(s));
	KpiCheckProduced(COHORT_NAME, CohortRowsError(s));
}

/* A state built by an input function, flattened; its context freed */
CohortActivitySummary *
CohortAggFinish(CohortAgg *st)
{
	CohortActivitySummary *s = KpiExpandedFlatten(&st->hdr);

	MemoryContextDelete(st->hdr.eoh_context);
	return s;
}

/* Add an entity (its key) read by an input function, which checked its start */
uint64 *
CohortAggAddEntity(CohortAgg *st, int64 entity, int64 start)
{
	bool		found;
	int64	   *row = KpiKeyedLookup(st->table, entity, &found);

	Assert(!found);
	row[0] = start;
	row[1] = RetentionOrigin(&st->params.period, start);
	return (uint64 *) (row + 2);
}



/* Aggregates */

/*
 * The state argument (0) to update: the aggregate's own read/write expanded
 * state in place, else an expanded copy of the (flat) value
 */
static CohortAgg *
CohortStateArg(FunctionCallInfo fcinfo)
{
	CohortAgg  *st = (CohortAgg *) KpiExpandedInPlace(fcinfo, 0, &CohortAggMethods);

	if (st != NULL)
		return st;
	return CohortAggExpand(fcinfo, CohortGetArg(fcinfo, 0));
}

/*
 * CohortAccum(state, entity, cohort_start, activity, period, periods
 *		[[, mode], alignment, as_of [, time_zone]])
 *		The transition of the aggregates over events; with_mode for
 *		retention_curve's forms with a mode (argument 6).  Rows with a NULL
 *		entity or start are skipped; a NULL activity adds the entity to the
 *		cohort.  Every row must give the same parameters.
 */
static Datum
CohortAccum(FunctionCallInfo fcinfo, bool with_mode)
{
	int			extra = with_mode ? 1 : 0;
	int			as_of_argno = 7 + extra;
	CohortParams params;
	CohortAgg  *st;
	int64		entity;
	TimestampTz start;
	int64	   *row;
	bool		found;

	/* the parameters of this row; reading them allocates nothing */
	params.period = RetentionPeriodArgs(fcinfo, 4, 6 + extra, as_of_argno + 1, &params.periods);
	params.mode = with_mode ? RetentionModeArg(fcinfo, 6) : MODE_ON;
	params.censored = PG_NARGS() > as_of_argno && !PG_ARGISNULL(as_of_argno);
	params.as_of = params.censored ? PG_GETARG_TIMESTAMPTZ(as_of_argno) : 0;

	st = (CohortAgg *) KpiExpandedInPlace(fcinfo, 0, &CohortAggMethods);
	if (st == NULL)
	{
		if (PG_ARGISNULL(0))
		{
			if (params.censored)
				CohortCheckTime("as_of", params.as_of);
			st = CohortAggCreate(fcinfo, &params, 16);
		}
		else
			st = CohortAggExpand(fcinfo, CohortGetArg(fcinfo, 0));
	}
	if (!CohortSameParams(&st->params, &params))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention parameters changed within one aggregate")));

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_DATUM(EOHPGetRWDatum(&st->hdr));
	entity = KpiIdsKeyArg(&st->ids, fcinfo, 1);
	start = PG_GETARG_TIMESTAMPTZ(2);

	/*
	 * uuid and text ids are dense ordinals, and every id of the dictionary
	 * gets its row as it gets its ordinal (here, in merges and in the input
	 * functions), rows in order of arrival: id i is row i, no second probe
	 */
	if (!IdsAreIntegers(&st->ids))
		row = KpiKeyedLookupOrdinal(st->table, entity, &found);
	else
		row = KpiKeyedLookup(st->table, entity, &found);
	if (!found)
	{
		CohortCheckTime("cohort start", start);
		row[0] = start;
		row[1] = RetentionOrigin(&st->params.period, start);
	}
	else
		CohortCheckSameStart(&st->ids, entity, row[0], start);
	if (!PG_ARGISNULL(3))
		ActivityMark((uint64 *) (row + 2), &st->params.period, st->params.periods,
					 row[0], row[1], PG_GETARG_TIMESTAMPTZ(3));
	PG_RETURN_DATUM(EOHPGetRWDatum(&st->hdr));
}

/*
 * cohort_activity_summary_accum(s, entity, cohort_start, activity, period,
 *		periods [, alignment, as_of [, time_zone]]): cohort_activity_agg,
 *		retention_agg over events and retention_curve's form with no mode
 */
Datum
cohort_activity_summary_accum(PG_FUNCTION_ARGS)
{
	return CohortAccum(fcinfo, false);
}

/*
 * cohort_activity_summary_accum_mode(s, entity, cohort_start, activity,
 *		period, periods, mode, alignment, as_of [, time_zone]):
 *		retention_curve's forms with a mode
 */
Datum
cohort_activity_summary_accum_mode(PG_FUNCTION_ARGS)
{
	return CohortAccum(fcinfo, true);
}

/*
 * cohort_activity_summary_combine(a, b): the union of the entities, an
 * entity's periods ORed.  The combine function of the aggregates over
 * events and the transition and combine function of rollup(); strict, so
 * rollup starts from a copy of the first non-NULL summary.  No inverse: an
 * OR cannot be undone.
 */
Datum
cohort_activity_summary_combine(PG_FUNCTION_ARGS)
{
	CohortAgg  *st = CohortStateArg(fcinfo);
	CohortActivitySummary *b = CohortGetArg(fcinfo, 1);
	CohortParams pb = CohortFlatParams(b);

	CohortCheckSame(&st->params, &pb);
	CohortAggMerge(st, b);
	PG_RETURN_DATUM(EOHPGetRWDatum(&st->hdr));
}


/* Accessors */

/* The entities of a summary argument: rows of [start, origin, bitmap] */
typedef struct CohortRows
{
	CohortParams params;
	const int64 *rows;
	Size		stride;			/* words from one row to the next */
	uint32		count;
} CohortRows;

/*
 * The summary argument argno: read in place when it is an expanded state
 * (the final functions of the aggregates over events), else flat, checked
 */
static CohortRows
CohortRowsArg(FunctionCallInfo fcinfo, int argno)
{
	Datum		d = PG_GETARG_DATUM(argno);
	CohortRows	r;
	CohortActivitySummary *s;

	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)) &&
		DatumGetEOHP(d)->eoh_methods == &CohortAggMethods)
	{
		const CohortAgg *st = (const CohortAgg *) DatumGetEOHP(d);

		r.params = st->params;
		r.rows = KpiKeyedRow(st->table, 0);
		r.stride = AGG_WIDTH(st->params.periods);
		r.count = KpiKeyedCount(st->table);
		return r;
	}
	s = CohortGetArg(fcinfo, argno);
	r.params = CohortFlatParams(s);
	r.rows = s->rows + 1;
	r.stride = COHORT_ROW_WORDS(s->periods);
	r.count = (uint32) s->entities;
	return r;
}

static Datum
CohortRetentionSummary(const CohortRows *r, bool censored, TimestampTz as_of)
{
	return RetentionEntitiesSummary(&r->params.period, r->params.periods, r->rows,
									r->stride, r->count, censored, as_of);
}

/*
 * retention_summary(s [, as_of]): the retention_summary of the cohort,
 * censored at the as_of given (NULL: none), else at the summary's own; NULL
 * for a summary of no entities, as retention_agg() for no rows
 */
Datum
cohort_activity_retention_summary(PG_FUNCTION_ARGS)
{
	CohortRows	r;
	bool		censored;
	TimestampTz as_of;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	r = CohortRowsArg(fcinfo, 0);
	censored = r.params.censored;
	as_of = r.params.as_of;
	if (PG_NARGS() > 1)
	{
		censored = !PG_ARGISNULL(1);
		as_of = censored ? PG_GETARG_TIMESTAMPTZ(1) : 0;
		if (censored)
			RetentionCheckFinite(as_of);
	}
	if (r.count == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(CohortRetentionSummary(&r, censored, as_of));
}

/*
 * retention_curve(s [, mode]): the shares per period in the mode given,
 * else in the summary's own; NULL for a summary of no entities
 */
Datum
cohort_activity_retention_curve(PG_FUNCTION_ARGS)
{
	CohortRows	r;
	int			mode;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	r = CohortRowsArg(fcinfo, 0);
	mode = PG_NARGS() > 1 ? RetentionModeArg(fcinfo, 1) : r.params.mode;
	if (r.count == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(RetentionSummaryCurve(CohortRetentionSummary(&r, r.params.censored,
																 r.params.as_of),
										  mode));
}


/*
 * The support functions of retention_curve() and retention_agg() over
 * events before 1.2.0, whose state was internal: for databases not yet
 * updated, and for the upgrade script, which names them before it replaces
 * them.  The internal state is a read/write expanded state of this file,
 * so the functions above serve; the final functions are the accessors.
 */

/* retention_curve's forms have a mode: 9 arguments (with the state) or 10 */
Datum
retention_event_state_accum(PG_FUNCTION_ARGS)
{
	return CohortAccum(fcinfo, PG_NARGS() == 10 ||
					   (PG_NARGS() == 9 &&
						get_fn_expr_argtype(fcinfo->flinfo, 8) == TIMESTAMPTZOID));
}

/* Not strict: a NULL state is a copy of the other */
Datum
retention_event_state_combine(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_ARGISNULL(0))
	{
		CohortAgg  *st;

		KpiAggContext(fcinfo);
		st = CohortAggExpand(fcinfo, CohortGetArg(fcinfo, 1));

		PG_RETURN_DATUM(EOHPGetRWDatum(&st->hdr));
	}
	return cohort_activity_summary_combine(fcinfo);
}

/* Serialized: the binary form of cohort_activity_summary */
Datum
retention_event_state_serialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(CohortSend(CohortGetArg(fcinfo, 0)));
}

Datum
retention_event_state_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	CohortActivitySummary *s;
	CohortAgg  *st;

	KpiAggContext(fcinfo);
	KpiReadBuffer(&buf, bytes);
	s = (CohortActivitySummary *) DatumGetPointer(DirectFunctionCall1(cohort_activity_summary_recv,
																	  PointerGetDatum(&buf)));
	st = CohortAggExpand(fcinfo, s);
	PG_RETURN_DATUM(EOHPGetRWDatum(&st->hdr));
}
