/*-------------------------------------------------------------------------
 *
 * pipeline_stages.c
 *	  Stage history of sales deals: time in stage per deal, and the
 *	  stage-to-stage conversion matrix across deals.
 *
 * Both aggregates read stage history rows (deal, stage, entered_at), one per
 * entry of a deal into a stage, and keep them all in an internal state (the
 * answers need every deal's ordered history, which no bounded summary
 * holds).  The state is serialized for parallel plans; stage names are kept
 * once each.  The final functions sort the rows by deal, time and stage
 * name, so the result never depends on the input order, and return an array
 * of a composite type that unnest() turns into rows a BI tool can chart.
 *
 * A deal's history is its rows in time order, with repeated entries into the
 * stage it is already in merged into the first.  Ties in time are ordered by
 * stage name.  See doc/pipeline.md.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

/* Distinct stage names one aggregate accepts */
#define STAGE_MAX_STAGES	1000

/* The serialized state's format, and its name in errors */
#define STAGE_SERIAL_VERSION 1
#define STAGE_STATE_NAME "stage history state"

/* One history row; the deal is a slice of the state's deal buffer */
typedef struct StageRow
{
	int64		deal_off;
	TimestampTz at;
	int32		deal_len;
	int32		stage;			/* index into the stage names */
} StageRow;

typedef struct StageState
{
	MemoryContext cxt;			/* the aggregate context: all of it lives here */
	int32		nstages;
	int32		stages_cap;
	char	  **stages;			/* names, in order of first appearance */
	int64		nrows;
	int64		rows_cap;
	StageRow   *rows;
	StringInfoData deals;		/* deal ids, concatenated */
} StageState;

PG_FUNCTION_INFO_V1(stage_state_accum_conversions);
KPI_FORMER_SYMBOL(stage_conversions_accum, stage_state_accum_conversions);
PG_FUNCTION_INFO_V1(stage_state_accum_durations);
KPI_FORMER_SYMBOL(stage_durations_accum, stage_state_accum_durations);
PG_FUNCTION_INFO_V1(stage_state_combine);
KPI_FORMER_SYMBOL(stage_history_combine, stage_state_combine);
PG_FUNCTION_INFO_V1(stage_state_serialize);
KPI_FORMER_SYMBOL(stage_history_serialize, stage_state_serialize);
PG_FUNCTION_INFO_V1(stage_state_deserialize);
KPI_FORMER_SYMBOL(stage_history_deserialize, stage_state_deserialize);
PG_FUNCTION_INFO_V1(stage_conversions_final);
PG_FUNCTION_INFO_V1(stage_durations_final);


static StageState *
StageCreate(MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	StageState *st = palloc0(sizeof(StageState));

	st->cxt = cxt;
	st->stages_cap = 8;
	st->stages = palloc(sizeof(char *) * st->stages_cap);
	st->rows_cap = 16;
	st->rows = palloc(sizeof(StageRow) * st->rows_cap);
	/* small to start with: stage_durations keeps one state per deal */
	st->deals.maxlen = 64;
	st->deals.data = palloc(st->deals.maxlen);
	resetStringInfo(&st->deals);
	MemoryContextSwitchTo(old);
	return st;
}

/* The index of a stage name, added if new */
static int32
StageIndex(StageState *st, const char *name, int len)
{
	int32		i;

	for (i = 0; i < st->nstages; i++)
	{
		if (strncmp(st->stages[i], name, len) == 0 && st->stages[i][len] == '\0')
			return i;
	}
	if (st->nstages == STAGE_MAX_STAGES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("stage history has more than %d distinct stages", STAGE_MAX_STAGES)));
	if (st->nstages == st->stages_cap)
	{
		st->stages_cap *= 2;
		st->stages = repalloc(st->stages, sizeof(char *) * st->stages_cap);
	}
	st->stages[st->nstages] = MemoryContextAlloc(st->cxt, len + 1);
	memcpy(st->stages[st->nstages], name, len);
	st->stages[st->nstages][len] = '\0';
	return st->nstages++;
}

static void
StageAddRow(StageState *st, const char *deal, int deal_len, int32 stage,
			TimestampTz at)
{
	MemoryContext old = MemoryContextSwitchTo(st->cxt);
	StageRow   *row;

	if (st->nrows == st->rows_cap)
	{
		st->rows_cap *= 2;
		st->rows = repalloc_huge(st->rows, sizeof(StageRow) * st->rows_cap);
	}
	row = &st->rows[st->nrows++];
	row->deal_off = st->deals.len;
	row->deal_len = deal_len;
	row->stage = stage;
	row->at = at;
	appendBinaryStringInfo(&st->deals, deal, deal_len);
	MemoryContextSwitchTo(old);
}

/* The state of this row, created by the first one */
static StageState *
StageGetState(FunctionCallInfo fcinfo)
{
	MemoryContext aggcxt = KpiAggContext(fcinfo);

	if (PG_ARGISNULL(0))
		return StageCreate(aggcxt);
	return (StageState *) PG_GETARG_POINTER(0);
}

/* Add the row (stage arg stage_arg, time arg stage_arg + 1); NULLs skip */
static Datum
StageAccum(FunctionCallInfo fcinfo, const char *deal, int deal_len, int stage_arg)
{
	StageState *st = StageGetState(fcinfo);
	text	   *stage;
	TimestampTz at;

	if (PG_ARGISNULL(stage_arg) || PG_ARGISNULL(stage_arg + 1))
		PG_RETURN_POINTER(st);
	stage = PG_GETARG_TEXT_PP(stage_arg);
	at = PG_GETARG_TIMESTAMPTZ(stage_arg + 1);
	if (TIMESTAMP_NOT_FINITE(at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("stage entry time must be finite")));
	StageAddRow(st, deal, deal_len,
				StageIndex(st, VARDATA_ANY(stage), VARSIZE_ANY_EXHDR(stage)), at);
	PG_RETURN_POINTER(st);
}

/* stage_state_accum_conversions(state, deal, stage, entered_at) */
Datum
stage_state_accum_conversions(PG_FUNCTION_ARGS)
{
	text	   *deal;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(StageGetState(fcinfo));
	deal = PG_GETARG_TEXT_PP(1);
	return StageAccum(fcinfo, VARDATA_ANY(deal), VARSIZE_ANY_EXHDR(deal), 2);
}

/* stage_state_accum_durations(state, stage, entered_at): one deal's history */
Datum
stage_state_accum_durations(PG_FUNCTION_ARGS)
{
	return StageAccum(fcinfo, "", 0, 1);
}

/* Append the rows of b to a (a KpiMergeStates) */
static void
StageMerge(void *into, const void *from)
{
	StageState *a = into;
	const StageState *b = from;
	int32		map[STAGE_MAX_STAGES];
	int64		i;

	for (i = 0; i < b->nstages; i++)
		map[i] = StageIndex(a, b->stages[i], strlen(b->stages[i]));
	for (i = 0; i < b->nrows; i++)
	{
		StageRow   *r = &b->rows[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		StageAddRow(a, b->deals.data + r->deal_off, r->deal_len, map[r->stage], r->at);
	}
}

/* An empty state (a KpiCreateLike: a state has no parameters) */
static void *
StageCreateLike(MemoryContext cxt, const void *like)
{
	return StageCreate(cxt);
}

/* stage_state_combine(a, b): not strict, for an internal state */
Datum
stage_state_combine(PG_FUNCTION_ARGS)
{
	return KpiCombineInternal(fcinfo, StageCreateLike, StageMerge);
}

/*
 * Serialized form: int8 version, int32 number of stages, each as int32
 * length + bytes; int64 number of rows, each as int32 stage, int64 time,
 * int32 deal length + bytes.
 */
Datum
stage_state_serialize(PG_FUNCTION_ARGS)
{
	StageState *st = (StageState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int64		i;

	KpiSendVersion(&buf, STAGE_SERIAL_VERSION);
	pq_sendint32(&buf, st->nstages);
	for (i = 0; i < st->nstages; i++)
	{
		int			len = strlen(st->stages[i]);

		pq_sendint32(&buf, len);
		pq_sendbytes(&buf, st->stages[i], len);
	}
	pq_sendint64(&buf, st->nrows);
	for (i = 0; i < st->nrows; i++)
	{
		StageRow   *r = &st->rows[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_sendint32(&buf, r->stage);
		pq_sendint64(&buf, r->at);
		pq_sendint32(&buf, r->deal_len);
		pq_sendbytes(&buf, st->deals.data + r->deal_off, r->deal_len);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
stage_state_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcxt = KpiAggContext(fcinfo);
	StringInfoData buf;
	StageState *st;
	int32		nstages;
	int64		nrows,
				i;

	KpiReadBuffer(&buf, data);
	KpiRecvVersion(&buf, STAGE_STATE_NAME, STAGE_SERIAL_VERSION);
	st = StageCreate(aggcxt);
	nstages = (int32) KpiRecvCount(&buf, STAGE_STATE_NAME, 4, STAGE_MAX_STAGES, 4);
	for (i = 0; i < nstages; i++)
	{
		int32		len = (int32) KpiRecvCount(&buf, STAGE_STATE_NAME, 4, PG_INT32_MAX, 1);
		const char *name = pq_getmsgbytes(&buf, len);

		if (memchr(name, '\0', len) != NULL || StageIndex(st, name, len) != i)
			KpiBinaryInputError(STAGE_STATE_NAME, "A stage name is not text, or repeated.");
	}
	/* int32 stage, int64 time, int32 deal length per row */
	nrows = KpiRecvCount(&buf, STAGE_STATE_NAME, 8, PG_INT64_MAX, 16);
	for (i = 0; i < nrows; i++)
	{
		int32		stage,
					len;
		TimestampTz at;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		KpiRecvNeed(&buf, STAGE_STATE_NAME, 16, false);
		stage = pq_getmsgint(&buf, 4);
		at = pq_getmsgint64(&buf);
		len = pq_getmsgint(&buf, 4);
		/* the accumulators take finite, valid timestamps only */
		if (stage < 0 || stage >= nstages || len < 0 || len > buf.len - buf.cursor ||
			TIMESTAMP_NOT_FINITE(at) || !IS_VALID_TIMESTAMP(at))
			KpiBinaryInputError(STAGE_STATE_NAME, "Row " INT64_FORMAT " is out of range.", i);
		StageAddRow(st, pq_getmsgbytes(&buf, len), len, stage, at);
	}
	KpiRecvEnd(&buf, STAGE_STATE_NAME);
	PG_RETURN_POINTER(st);
}


/* Final functions */

typedef struct StageSortContext
{
	StageState *st;
	int32	   *rank;			/* stage index -> rank of its name */
} StageSortContext;

static int
CompareNames(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Rows in (deal, time, stage name) order */
static int
CompareRows(const void *pa, const void *pb, void *arg)
{
	StageSortContext *c = (StageSortContext *) arg;
	const StageRow *a = (const StageRow *) pa;
	const StageRow *b = (const StageRow *) pb;
	int			cmp = memcmp(c->st->deals.data + a->deal_off,
							 c->st->deals.data + b->deal_off,
							 Min(a->deal_len, b->deal_len));

	if (cmp != 0)
		return cmp;
	if (a->deal_len != b->deal_len)
		return a->deal_len < b->deal_len ? -1 : 1;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return c->rank[a->stage] - c->rank[b->stage];
}

static bool
SameDeal(StageState *st, const StageRow *a, const StageRow *b)
{
	return a->deal_len == b->deal_len &&
		memcmp(st->deals.data + a->deal_off, st->deals.data + b->deal_off,
			   a->deal_len) == 0;
}

/*
 * A sorted copy of the rows (the final functions must not change the
 * state); also the stage ranks (rank[i] of stage i) and, in *order, the
 * stage indexes by name.
 */
static StageRow *
StageSort(StageState *st, int32 **rank_out, int32 **order)
{
	StageRow   *rows = palloc_extended(sizeof(StageRow) * Max(st->nrows, 1),
									   MCXT_ALLOC_HUGE);
	char	  **names = palloc(sizeof(char *) * Max(st->nstages, 1));
	int32	   *rank = palloc(sizeof(int32) * Max(st->nstages, 1));
	StageSortContext c = {st, rank};
	int32		i,
				j;

	*order = palloc(sizeof(int32) * Max(st->nstages, 1));
	memcpy(names, st->stages, sizeof(char *) * st->nstages);
	qsort(names, st->nstages, sizeof(char *), CompareNames);
	for (i = 0; i < st->nstages; i++)
	{
		CHECK_FOR_INTERRUPTS();
		for (j = 0; j < st->nstages; j++)
			if (names[i] == st->stages[j])
			{
				rank[j] = i;
				(*order)[i] = j;
			}
	}
	memcpy(rows, st->rows, sizeof(StageRow) * st->nrows);
	qsort_arg(rows, st->nrows, sizeof(StageRow), CompareRows, &c);
	*rank_out = rank;
	return rows;
}

/*
 * The row type of the elements of a final function's array, kept in fn_extra.
 * The function returns a domain over the array (pipeline.sql says why); a
 * database not yet updated from 1.1.0 declares the array itself.
 */
typedef struct StageResultType
{
	Oid			elemtype;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	TupleDesc	tupdesc;
} StageResultType;

static StageResultType *
ResultType(FunctionCallInfo fcinfo)
{
	StageResultType *rt = (StageResultType *) fcinfo->flinfo->fn_extra;

	if (rt == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		rt = palloc(sizeof(StageResultType));
		rt->elemtype = get_element_type(getBaseType(get_func_rettype(fcinfo->flinfo->fn_oid)));
		get_typlenbyvalalign(rt->elemtype, &rt->typlen, &rt->typbyval, &rt->typalign);
		rt->tupdesc = lookup_rowtype_tupdesc_copy(rt->elemtype, -1);
		fcinfo->flinfo->fn_extra = rt;
		MemoryContextSwitchTo(old);
	}
	return rt;
}

static Datum
BuildArray(FunctionCallInfo fcinfo, StageResultType *rt, Datum *elems, int n)
{
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, rt->elemtype, rt->typlen,
										  rt->typbyval, rt->typalign));
}

/* Days from one entry to a later one; 22008 beyond an interval's range */
static double
DaysBetween(TimestampTz from, TimestampTz to)
{
	return (double) KpiTimeDiff(to, from) / (double) USECS_PER_DAY;
}

/*
 * stage_durations_final(state): one element per visit of the deal to a
 * stage, in time order: (stage, entered_at, left_at, days); the current
 * (last) stage has NULL left_at and days.
 */
Datum
stage_durations_final(PG_FUNCTION_ARGS)
{
	StageState *st = (StageState *) PG_GETARG_POINTER(0);
	StageResultType *rt = ResultType(fcinfo);
	Datum	   *elems = palloc(sizeof(Datum) * Max(st->nrows, 1));
	int32	   *rank,
			   *order;
	StageRow   *rows = StageSort(st, &rank, &order);
	int			n = 0;
	int64		i;

	for (i = 0; i < st->nrows; i++)
	{
		StageRow   *r = &rows[i];
		int64		next = i + 1;
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (i > 0 && rows[i - 1].stage == r->stage)
			continue;			/* still in the stage it was in */
		while (next < st->nrows && rows[next].stage == r->stage)
			next++;
		values[0] = CStringGetTextDatum(st->stages[r->stage]);
		values[1] = TimestampTzGetDatum(r->at);
		if (next < st->nrows)
		{
			values[2] = TimestampTzGetDatum(rows[next].at);
			values[3] = Float8GetDatum(DaysBetween(r->at, rows[next].at));
		}
		else
			nulls[2] = nulls[3] = true;
		elems[n++] = HeapTupleGetDatum(heap_form_tuple(rt->tupdesc, values, nulls));
	}
	return BuildArray(fcinfo, rt, elems, n);
}

/* A move of one deal from one stage to the next */
typedef struct StageMove
{
	int32		from;			/* stage ranks */
	int32		to;
	int64		deal;			/* number of the deal in sort order */
	int64		seq;			/* number of the move in sort order */
	double		days;
} StageMove;

/* Moves in (from, to, deal) order, the first move of a deal first */
static int
CompareMoves(const void *pa, const void *pb)
{
	const StageMove *a = (const StageMove *) pa;
	const StageMove *b = (const StageMove *) pb;

	if (a->from != b->from)
		return a->from - b->from;
	if (a->to != b->to)
		return a->to - b->to;
	if (a->deal != b->deal)
		return a->deal < b->deal ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq ? 1 : 0;
}

/* The median of n > 0 values (sorted in place), as percentile_cont(0.5) */
static double
Median(double *v, int64 n)
{
	qsort(v, n, sizeof(double), KpiCompareDoubles);
	return KpiPercentileCont(v, n, 0.5);
}

/*
 * stage_conversions_final(state): the conversion matrix.  For each pair of
 * stages (from, to) that some deal moved between directly: the deals that
 * did (each once), their share of the deals that ever entered "from", and
 * the median days from entering "from" to entering "to" (first such move of
 * each deal).  For each stage that some deal's history ends in, a row with
 * a NULL "to": those deals and their share.  Rows in (from, to) name order,
 * NULL "to" last.
 */
Datum
stage_conversions_final(PG_FUNCTION_ARGS)
{
	StageState *st = (StageState *) PG_GETARG_POINTER(0);
	StageResultType *rt = ResultType(fcinfo);
	int32	   *rank,
			   *order;
	StageRow   *rows = StageSort(st, &rank, &order);
	int64	   *entered = palloc0(sizeof(int64) * Max(st->nstages, 1));
	int64	   *ended = palloc0(sizeof(int64) * Max(st->nstages, 1));
	int64	   *last_deal = palloc(sizeof(int64) * Max(st->nstages, 1));
	StageMove  *moves = palloc_extended(sizeof(StageMove) * Max(st->nrows, 1),
										MCXT_ALLOC_HUGE);
	double	   *days = palloc_extended(sizeof(double) * Max(st->nrows, 1),
									   MCXT_ALLOC_HUGE);
	Datum	   *elems;
	TimestampTz visit_start = 0;
	int64		nmoves = 0,
				deal = -1,
				i,
				m;
	int32		s;
	int			n = 0;

	for (i = 0; i < st->nstages; i++)
		last_deal[i] = -1;
	for (i = 0; i < st->nrows; i++)
	{
		StageRow   *r = &rows[i];
		StageRow   *prev = i > 0 ? &rows[i - 1] : NULL;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (prev == NULL || !SameDeal(st, prev, r))
		{
			deal++;
			if (prev)
				ended[prev->stage]++;
		}
		else if (prev->stage == r->stage)
			continue;			/* a repeated entry: the visit began earlier */
		else
		{
			moves[nmoves].from = rank[prev->stage];
			moves[nmoves].to = rank[r->stage];
			moves[nmoves].deal = deal;
			moves[nmoves].seq = nmoves;
			moves[nmoves].days = DaysBetween(visit_start, r->at);
			nmoves++;
		}
		visit_start = r->at;
		if (last_deal[r->stage] != deal)
		{
			last_deal[r->stage] = deal;
			entered[r->stage]++;
		}
	}
	if (st->nrows > 0)
		ended[rows[st->nrows - 1].stage]++;

	qsort(moves, nmoves, sizeof(StageMove), CompareMoves);

	/* one element per distinct (from, to) pair and one per stage */
	elems = palloc(sizeof(Datum) *
				   (Min(nmoves, (int64) st->nstages * st->nstages) + st->nstages + 1));
	m = 0;
	for (s = 0; s < st->nstages; s++)
	{
		int32		from = order[s];	/* stage index of rank s */
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};

		while (m < nmoves && moves[m].from == s)
		{
			int32		to = moves[m].to;
			int64		ndeals = 0;

			CHECK_FOR_INTERRUPTS();

			for (; m < nmoves && moves[m].from == s && moves[m].to == to; m++)
			{
				if (ndeals > 0 && moves[m].deal == moves[m - 1].deal)
					continue;	/* a later move of the same deal */
				days[ndeals++] = moves[m].days;
			}
			values[0] = CStringGetTextDatum(st->stages[from]);
			values[1] = CStringGetTextDatum(st->stages[order[to]]);
			values[2] = Int64GetDatum(ndeals);
			values[3] = Float8GetDatum((double) ndeals / (double) entered[from]);
			values[4] = Float8GetDatum(Median(days, ndeals));
			nulls[1] = nulls[4] = false;
			elems[n++] = HeapTupleGetDatum(heap_form_tuple(rt->tupdesc, values, nulls));
		}
		if (ended[from] > 0)
		{
			values[0] = CStringGetTextDatum(st->stages[from]);
			values[2] = Int64GetDatum(ended[from]);
			values[3] = Float8GetDatum((double) ended[from] / (double) entered[from]);
			nulls[1] = nulls[4] = true;
			elems[n++] = HeapTupleGetDatum(heap_form_tuple(rt->tupdesc, values, nulls));
		}
	}
	return BuildArray(fcinfo, rt, elems, n);
}
