/*-------------------------------------------------------------------------
 *
 * funnel.c
 *	  Ordered funnels with time windows: per entity (window_funnel,
 *	  funnel_path) and across entities (funnel_agg, funnel_summary).
 *
 * Per entity, the aggregates collect the entity's events (timestamp and the
 * set of steps each satisfies) and, at the end, replay them in time order
 * with ClickHouse's windowFunnel algorithm: a step-1 event starts a chain;
 * step k extends the latest chain that reached step k - 1 if it falls within
 * the window measured from that chain's step-1 event (inclusive); a later
 * step-1 event starts a new chain while deeper steps already reached are
 * kept; events at the same timestamp are taken in step order.  Under
 * strict_once without strict_increase the rows of one instant are matched
 * to steps instead (FunnelInstantOnce), which gives ClickHouse's levels
 * without its list of every chain.  Memory grows with the entity's events,
 * never with the table.
 *
 * Across entities, funnel_summary.c sums funnel_path's results.
 *
 * See doc/conversion.md for the definitions.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"
#include "funnel.h"
#include "funnel_replay.h"


#include "catalog/pg_type.h"
#include "common/int.h"
#include "datatype/timestamp.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "port/pg_bswap.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(funnel_state_accum);
KPI_FORMER_SYMBOL(funnel_accum, funnel_state_accum);
PG_FUNCTION_INFO_V1(funnel_state_accum_mode);
KPI_FORMER_SYMBOL(funnel_mode_accum, funnel_state_accum_mode);
PG_FUNCTION_INFO_V1(funnel_state_accum_path);
KPI_FORMER_SYMBOL(funnel_path_accum, funnel_state_accum_path);
PG_FUNCTION_INFO_V1(funnel_state_combine);
KPI_FORMER_SYMBOL(funnel_combine, funnel_state_combine);
PG_FUNCTION_INFO_V1(funnel_state_serialize);
KPI_FORMER_SYMBOL(funnel_serialize, funnel_state_serialize);
PG_FUNCTION_INFO_V1(funnel_state_deserialize);
KPI_FORMER_SYMBOL(funnel_deserialize, funnel_state_deserialize);
PG_FUNCTION_INFO_V1(window_funnel_final);
PG_FUNCTION_INFO_V1(funnel_path_final);


/* Parameters */

/* The window as microseconds; months are rejected, a day is 24 hours */
static int64
FunnelWindow(Interval *window)
{
	int64		us;

	if (window->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel window \"%s\" has a month part",
						DatumGetCString(DirectFunctionCall1(interval_out,
															IntervalPGetDatum(window)))),
				 errhint("Months differ in length: give the window in days, e.g. interval '30 days'.")));
	if (pg_mul_s64_overflow(window->day, USECS_PER_DAY, &us) ||
		pg_add_s64_overflow(us, window->time, &us))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("funnel window is out of range")));
	if (us < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel window \"%s\" is negative",
						DatumGetCString(DirectFunctionCall1(interval_out,
															IntervalPGetDatum(window))))));
	return us;
}

/* Modes from a comma-separated list of ClickHouse mode names */
static int32
FunnelModes(text *mode)
{
	char	   *str = text_to_cstring(mode);
	char	   *tok;
	char	   *save = NULL;
	int32		modes = 0;

	for (tok = strtok_r(str, ", \t\n", &save); tok != NULL;
		 tok = strtok_r(NULL, ", \t\n", &save))
	{
		if (strcmp(tok, "default") == 0)
			continue;
		else if (strcmp(tok, "strict_order") == 0)
			modes |= FUNNEL_STRICT_ORDER;
		else if (strcmp(tok, "strict_deduplication") == 0)
			modes |= FUNNEL_STRICT_DEDUPLICATION;
		else if (strcmp(tok, "strict_increase") == 0)
			modes |= FUNNEL_STRICT_INCREASE;
		else if (strcmp(tok, "strict_once") == 0)
			modes |= FUNNEL_STRICT_ONCE;
		else if (strcmp(tok, "allow_reentry") == 0)
			modes |= FUNNEL_ALLOW_REENTRY;
		else if (strcmp(tok, "unordered") == 0)
			modes |= FUNNEL_UNORDERED;
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown funnel mode \"%s\"", tok),
					 errhint("Modes are strict_order, strict_deduplication, strict_increase, strict_once and allow_reentry, separated by commas, or 'default'; or 'unordered' alone.")));
	}
	pfree(str);
	/* the strict modes are about the order of steps, which unordered drops */
	if ((modes & FUNNEL_UNORDERED) && modes != FUNNEL_UNORDERED)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel mode unordered cannot be combined with %s",
						(modes & FUNNEL_STRICT_ORDER) ? "strict_order" :
						(modes & FUNNEL_STRICT_DEDUPLICATION) ? "strict_deduplication" :
						(modes & FUNNEL_STRICT_INCREASE) ? "strict_increase" :
						(modes & FUNNEL_STRICT_ONCE) ? "strict_once" : "allow_reentry"),
				 errhint("An unordered funnel counts the distinct steps done within one window, in any order: write 'unordered' alone.")));
	/* as ClickHouse: re-entry relaxes strict_order and means nothing without it */
	if ((modes & FUNNEL_ALLOW_REENTRY) && !(modes & FUNNEL_STRICT_ORDER))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel mode allow_reentry requires strict_order"),
				 errhint("Write 'strict_order, allow_reentry'.")));
	return modes;
}

void
FunnelCheckSteps(int64 nsteps)
{
	if (nsteps < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a funnel needs at least one step")));
	if (nsteps > FUNNEL_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a funnel has at most %d steps, not " INT64_FORMAT,
						FUNNEL_MAX_STEPS, nsteps)));
}

static FunnelState *
FunnelCreate(int32 nsteps, int64 window, int32 modes, int64 capacity)
{
	FunnelState *st = palloc0(sizeof(FunnelState));

	FunnelCheckSteps(nsteps);
	st->nsteps = nsteps;
	st->nwords = (nsteps + 63) / 64;
	st->window = window;
	st->modes = modes;
	st->capacity = Max(capacity, 8);
	st->events = palloc_extended(sizeof(FunnelEvent) * st->capacity, MCXT_ALLOC_HUGE);
	if (st->nwords > 1)
		st->more = palloc_extended(sizeof(uint64) * (st->nwords - 1) * st->capacity,
								   MCXT_ALLOC_HUGE);
	return st;
}

/* Room for n more events, in the state's own memory context */
static void
FunnelReserve(FunnelState *st, int64 n)
{
	int64		need = st->nevents + n;

	if (need <= st->capacity)
		return;
	if (need > FUNNEL_MAX_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many events for one funnel entity: " INT64_FORMAT, need)));
	st->capacity = Min(Max(need, st->capacity * 2), (int64) FUNNEL_MAX_EVENTS);
	st->events = repalloc_huge(st->events, sizeof(FunnelEvent) * st->capacity);
	if (st->nwords > 1)
		st->more = repalloc_huge(st->more, sizeof(uint64) * (st->nwords - 1) * st->capacity);
	if (st->props)
		FunnelPropsResize(st->props, st->capacity);
}


/*
 * How a call passes its steps, found once per call site (fn_extra): each
 * step an argument of its own (VARIADIC "any", so that no array is built
 * per row), or, when the call says VARIADIC boolean[], that one array.  The
 * steps must be booleans.  step and steps name them in errors ("funnel
 * step", "funnel steps"); sequence.c reads its conditions the same way.
 */
bool
FunnelStepsInArray(FunctionCallInfo fcinfo, int first_step, const char *step,
				   const char *steps)
{
	FmgrInfo   *flinfo = fcinfo->flinfo;
	bool		in_array;
	int			i;

	if (flinfo->fn_extra != NULL)
		return *(bool *) flinfo->fn_extra;
	in_array = get_fn_expr_variadic(flinfo);
	if (in_array)
	{
		if (get_fn_expr_argtype(flinfo, first_step) != BOOLARRAYOID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("%s must be boolean conditions, not %s", steps,
							format_type_be(get_fn_expr_argtype(flinfo, first_step)))));
	}
	else
		for (i = first_step; i < PG_NARGS(); i++)
			if (get_fn_expr_argtype(flinfo, i) != BOOLOID)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("%s %d must be a boolean condition, not %s",
								step, i - first_step + 1,
								format_type_be(get_fn_expr_argtype(flinfo, i))),
						 errhint("Write it as a condition on the event, e.g. event = 'signup'; a NULL needs a cast, NULL::boolean.")));
	flinfo->fn_extra = MemoryContextAlloc(flinfo->fn_mcxt, sizeof(bool));
	*(bool *) flinfo->fn_extra = in_array;
	return in_array;
}

/*
 * Reads the step conditions of a row into mask (nsteps bits); a NULL
 * condition is false.  Returns the number of steps, or -1 when a VARIADIC
 * array is NULL.
 */
int64
FunnelReadSteps(FunctionCallInfo fcinfo, bool in_array, int first_step,
				uint64 *mask, int nwords, const char *steps)
{
	int			nsteps = PG_NARGS() - first_step;
	int			k;

	if (in_array)
		return PG_ARGISNULL(first_step) ? -1 :
			KpiBoolArrayBits(PG_GETARG_ARRAYTYPE_P(first_step), mask, nwords,
							 steps);
	for (k = 0; k < nwords; k++)
		mask[k] = 0;
	if (nsteps > nwords * 64)
		return nsteps;
	for (k = 0; k < nsteps; k++)
		if (!PG_ARGISNULL(first_step + k) && PG_GETARG_BOOL(first_step + k))
			mask[k / 64] |= UINT64CONST(1) << (k % 64);
	return nsteps;
}

/*
 * The transition of every per-entity funnel aggregate: argument 1 is the
 * window; mode_arg, exclude_arg, attr_arg and prop_arg are the positions of
 * the mode, the exclusion condition, funnel_breakdown's attribution and
 * property, or -1.  Rows with a NULL timestamp are skipped.  The window,
 * mode and attribution are taken from the first row and must not be NULL.
 */
Datum
FunnelAccum(FunctionCallInfo fcinfo, int mode_arg, int ts_arg, int exclude_arg,
			int attr_arg, int prop_arg, int first_step)
{
	MemoryContext aggcontext;
	FunnelState *st = PG_ARGISNULL(0) ? NULL : (FunnelState *) PG_GETARG_POINTER(0);
	bool		exclude = exclude_arg >= 0 && !PG_ARGISNULL(exclude_arg) &&
		PG_GETARG_BOOL(exclude_arg);
	uint64		one_word;
	uint64		words[(FUNNEL_MAX_STEPS + 63) / 64];
	uint64	   *mask;
	FunnelEvent *ev;
	bool		in_array;
	int64		nsteps;
	int32		flags = 0;
	int			w;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "funnel transition function called in non-aggregate context");
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("funnel window must not be null")));
	if (mode_arg >= 0 && PG_ARGISNULL(mode_arg))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("funnel mode must not be null")));
	if (attr_arg >= 0 && PG_ARGISNULL(attr_arg))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("funnel breakdown attribution must not be null")));
	in_array = FunnelStepsInArray(fcinfo, first_step, "funnel step", "funnel steps");
	if (PG_ARGISNULL(ts_arg))
		FUNNEL_RETURN_STATE(st);

	if (st == NULL)
	{
		MemoryContext old;

		/* the number of steps first: read them into a scratch mask */
		nsteps = FunnelReadSteps(fcinfo, in_array, first_step, &one_word, 1,
								 "funnel steps");
		if (nsteps < 0)
			FUNNEL_RETURN_STATE(st);
		old = MemoryContextSwitchTo(aggcontext);
		st = FunnelCreate(nsteps, FunnelWindow(PG_GETARG_INTERVAL_P(1)),
						  mode_arg >= 0 ? FunnelModes(PG_GETARG_TEXT_PP(mode_arg)) : 0, 8);
		if (attr_arg >= 0)
			st->props = FunnelPropsCreate(FunnelAttribution(PG_GETARG_TEXT_PP(attr_arg), st->nsteps),
										  st->capacity);
		MemoryContextSwitchTo(old);
	}

	FunnelReserve(st, 1);
	ev = &st->events[st->nevents];
	/* with more than 64 steps, read into words and split them below */
	mask = st->nwords == 1 ? &ev->mask : words;
	nsteps = FunnelReadSteps(fcinfo, in_array, first_step, mask, st->nwords,
							 "funnel steps");
	if (nsteps < 0)
		FUNNEL_RETURN_STATE(st);
	if (nsteps != st->nsteps)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel step count changed from %d to " INT64_FORMAT " within one aggregate",
						st->nsteps, nsteps)));
	for (w = 0; w < st->nwords; w++)
		if (mask[w] != 0)
			flags |= FUNNEL_EVENT_STEPS;
	if (exclude)
		flags |= FUNNEL_EVENT_EXCLUDE;

	/* only strict_order needs the events that are neither */
	if (flags != 0 || (st->modes & FUNNEL_STRICT_ORDER))
	{
		TimestampTz ts = PG_GETARG_TIMESTAMPTZ(ts_arg);

		if (TIMESTAMP_NOT_FINITE(ts))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("funnel event timestamp must be finite, not %s",
							timestamptz_to_str(ts))));
		ev->ts = ts;
		ev->flags = flags;
		ev->row = (int32) st->nevents;
		if (st->nwords > 1)
		{
			ev->mask = words[0];
			memcpy(FUNNEL_MORE(st, ev->row), words + 1, sizeof(uint64) * (st->nwords - 1));
		}
		if (st->props)
			FunnelPropsSet(st->props, ev->row,
						   PG_ARGISNULL(prop_arg) ? NULL : PG_GETARG_TEXT_PP(prop_arg));
		st->nevents++;
	}
	FUNNEL_RETURN_STATE(st);
}

/* funnel_state_accum(state, window, ts, VARIADIC steps): window_funnel */
Datum
funnel_state_accum(PG_FUNCTION_ARGS)
{
	return FunnelAccum(fcinfo, -1, 2, -1, -1, -1, 3);
}

/* funnel_state_accum_mode(state, window, mode, ts, VARIADIC steps) */
Datum
funnel_state_accum_mode(PG_FUNCTION_ARGS)
{
	return FunnelAccum(fcinfo, 2, 3, -1, -1, -1, 4);
}

/* funnel_state_accum_path(state, window, mode, ts, exclude, VARIADIC steps) */
Datum
funnel_state_accum_path(PG_FUNCTION_ARGS)
{
	return FunnelAccum(fcinfo, 2, 3, 4, -1, -1, 5);
}

/* funnel_state_combine(a, b): the events of both */
Datum
funnel_state_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	FunnelState *a = PG_ARGISNULL(0) ? NULL : (FunnelState *) PG_GETARG_POINTER(0);
	FunnelState *b = PG_ARGISNULL(1) ? NULL : (FunnelState *) PG_GETARG_POINTER(1);
	MemoryContext old;
	int64		i;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "funnel_state_combine called in non-aggregate context");
	if (b == NULL)
		FUNNEL_RETURN_STATE(a);
	/* a state deserialized into the aggregate's context can be taken over */
	if (a == NULL && GetMemoryChunkContext(b) == aggcontext)
		PG_RETURN_POINTER(b);
	old = MemoryContextSwitchTo(aggcontext);
	if (a == NULL)
	{
		a = FunnelCreate(b->nsteps, b->window, b->modes, b->nevents);
		if (b->props)
			a->props = FunnelPropsCreate(b->props->attribution, a->capacity);
	}
	else if (a->nsteps != b->nsteps || a->window != b->window || a->modes != b->modes ||
			 (a->props == NULL) != (b->props == NULL) ||
			 (a->props && a->props->attribution != b->props->attribution))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge funnel states with %d and %d steps or different windows, modes or attributions",
						a->nsteps, b->nsteps)));
	FunnelReserve(a, b->nevents);
	for (i = 0; i < b->nevents; i++)
	{
		a->events[a->nevents + i] = b->events[i];
		a->events[a->nevents + i].row += (int32) a->nevents;	/* b's rows follow a's */
	}
	if (a->nwords > 1)
		memcpy(FUNNEL_MORE(a, a->nevents), b->more,
			   sizeof(uint64) * (a->nwords - 1) * b->nevents);
	if (a->props)
		FunnelPropsAppend(a->props, a->nevents, b->props, b->nevents);
	a->nevents += b->nevents;
	MemoryContextSwitchTo(old);
	if (GetMemoryChunkContext(b) == aggcontext)
	{
		pfree(b->events);
		if (b->more)
			pfree(b->more);
		if (b->props)
			FunnelPropsFree(b->props);
		pfree(b);
	}
	FUNNEL_RETURN_STATE(a);
}

/*
 * Serialized form, for parallel workers only (never stored): int32 nsteps,
 * int64 window, int32 modes, int64 nevents, then per event int64 ts, int32
 * row, int32 flags, int64 mask, then the further mask words by row, then
 * funnel_breakdown's properties (FunnelPropsSend).
 */
Datum
funnel_state_serialize(PG_FUNCTION_ARGS)
{
	FunnelState *st = (FunnelState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int64		i;

	/*
	 * The events in time order, as FunnelRun sorts them in place: sorted
	 * here, in a parallel worker, the leader that finalizes every entity
	 * finds most of them in order (only an entity split between workers
	 * needs sorting again there).
	 */
	FunnelSortEvents(st->events, st->nevents);
	pq_begintypsend(&buf);
	pq_sendint32(&buf, st->nsteps);
	pq_sendint64(&buf, st->window);
	pq_sendint32(&buf, st->modes);
	pq_sendint64(&buf, st->nevents);
	for (i = 0; i < st->nevents; i++)
	{
		CHECK_FOR_INTERRUPTS();
		pq_sendint64(&buf, st->events[i].ts);
		pq_sendint32(&buf, st->events[i].row);
		pq_sendint32(&buf, st->events[i].flags);
		pq_sendint64(&buf, st->events[i].mask);
	}
	for (i = 0; i < st->nevents * (st->nwords - 1); i++)
		pq_sendint64(&buf, st->more[i]);
	FunnelPropsSend(&buf, st->props, st->nevents);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
funnel_state_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcontext,
				old;
	StringInfoData buf;
	FunnelState *st;
	const char *rec;
	int32		nsteps,
				modes;
	int64		window,
				nevents,
				i;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "funnel_state_deserialize called in non-aggregate context");
	KpiReadBuffer(&buf, data);
	nsteps = pq_getmsgint(&buf, 4);
	window = pq_getmsgint64(&buf);
	modes = pq_getmsgint(&buf, 4);
	nevents = pq_getmsgint64(&buf);
	/* the events it declares must be there before they are allocated */
	FunnelCheckSteps(nsteps);
	if (nevents < 0 ||
		nevents > (buf.len - buf.cursor) / (24 + 8 * (((int64) nsteps + 63) / 64 - 1)))
		elog(ERROR, "funnel state from a parallel worker is corrupt");
	/* in the aggregate's context, so that funnel_state_combine can keep it */
	old = MemoryContextSwitchTo(aggcontext);
	st = FunnelCreate(nsteps, window, modes, nevents);
	MemoryContextSwitchTo(old);
	/*
	 * The events' 24-byte records read in place: the leader deserializes
	 * every entity's state, and pq_getmsgint's calls per field cost about as
	 * much as replaying the funnel
	 */
	rec = pq_getmsgbytes(&buf, nevents * 24);
	for (i = 0; i < nevents; i++, rec += 24)
	{
		uint64		w64;
		uint32		w32;

		CHECK_FOR_INTERRUPTS();
		memcpy(&w64, rec, 8);
		st->events[i].ts = (int64) pg_ntoh64(w64);
		memcpy(&w32, rec + 8, 4);
		st->events[i].row = (int32) pg_ntoh32(w32);
		memcpy(&w32, rec + 12, 4);
		st->events[i].flags = (int32) pg_ntoh32(w32);
		memcpy(&w64, rec + 16, 8);
		st->events[i].mask = pg_ntoh64(w64);
		if (st->events[i].row < 0 || st->events[i].row >= nevents)
			elog(ERROR, "funnel state from a parallel worker is corrupt");
	}
	for (i = 0; i < nevents * (st->nwords - 1); i++)
		st->more[i] = pq_getmsgint64(&buf);
	old = MemoryContextSwitchTo(aggcontext);
	st->props = FunnelPropsRecv(&buf, nevents, nsteps, st->capacity);
	MemoryContextSwitchTo(old);
	pq_getmsgend(&buf);
	st->nevents = nevents;
	FUNNEL_RETURN_STATE(st);
}


/*
 * The replay
 *
 * Chains are recorded as a tree of nodes, one per step reached (timestamp,
 * event row, parent node), so the path of any chain can be read back without
 * copying paths as chains advance.  For every step k, level[k] is the latest
 * chain that reached it; with strict_once, prev[k] also keeps the latest one
 * whose last event is earlier than level[k]'s, since a chain barred from
 * reusing an event may leave an older chain the only one able to advance.
 */

static int
FunnelEventCmp(const void *a, const void *b)
{
	const FunnelEvent *x = (const FunnelEvent *) a;
	const FunnelEvent *y = (const FunnelEvent *) b;

	return FunnelEventLess(x, y) ? -1 : FunnelEventLess(y, x) ? 1 : 0;
}

/*
 * Sorts events in place unless they are in order already: insertion sort
 * for the few events most entities have, qsort beyond
 */
void
FunnelSortEvents(FunnelEvent *events, int64 n)
{
	int64		i,
				j;

	for (i = 1; i < n; i++)
		if (FunnelEventLess(&events[i], &events[i - 1]))
			break;
	if (i >= n)
		return;
	if (n > 32)
	{
		qsort(events, n, sizeof(FunnelEvent), FunnelEventCmp);
		return;
	}
	for (i = 1; i < n; i++)
	{
		FunnelEvent x = events[i];

		for (j = i; j > 0 && FunnelEventLess(&x, &events[j - 1]); j--)
			events[j] = events[j - 1];
		events[j] = x;
	}
}

/* Marks (0 in map) the nodes of the chain ending at node, up to a marked one */
static void
FunnelMarkChain(const FunnelReplay *r, int32 *map, int32 node)
{
	for (; node >= 0 && map[node] < 0; node = r->nodes[node].parent)
		map[node] = 0;
}

/*
 * Drops the nodes no chain can reach any more (a chain that a later one
 * replaced at every step): the live ones are those on the paths from
 * level[], prev[], best_node and the parent of the node being added.
 * Parents precede their children, so one pass in order moves each live node
 * down and renumbers its parent.  Returns the new number of parent.
 */
static int32
FunnelCollectNodes(FunnelReplay *r, int32 parent)
{
	int32	   *map = palloc_extended(sizeof(int32) * r->nnodes, MCXT_ALLOC_HUGE);
	int64		i,
				live = 0;
	int			k;

	memset(map, 0xff, sizeof(int32) * r->nnodes);	/* -1: not reached */
	for (k = 0; k < r->st->nsteps; k++)
	{
		FunnelMarkChain(r, map, r->level[k].node);
		FunnelMarkChain(r, map, r->prev[k].node);
	}
	FunnelMarkChain(r, map, r->best_node);
	FunnelMarkChain(r, map, parent);
	for (i = 0; i < r->nnodes; i++)
	{
		if (map[i] < 0)
			continue;
		map[i] = (int32) live;
		r->nodes[live] = r->nodes[i];
		if (r->nodes[live].parent >= 0)
			r->nodes[live].parent = map[r->nodes[live].parent];
		live++;
	}
	for (k = 0; k < r->st->nsteps; k++)
	{
		if (r->level[k].node >= 0)
			r->level[k].node = map[r->level[k].node];
		if (r->prev[k].node >= 0)
			r->prev[k].node = map[r->prev[k].node];
	}
	if (r->best_node >= 0)
		r->best_node = map[r->best_node];
	if (parent >= 0)
		parent = map[parent];
	r->nnodes = live;
	pfree(map);
	return parent;
}

/*
 * A new node.  When the array is full, the nodes no chain reaches are
 * dropped first (once the array is large enough for that to pay off), so
 * memory follows the live chains, not the steps taken by every event.
 */
static int32
FunnelAddNode(FunnelReplay *r, TimestampTz ts, int32 row, int32 parent)
{
	if (r->nnodes == r->nodes_cap)
	{
		if (r->nodes_cap >= 4 * (int64) r->st->nsteps)
		{
			CHECK_FOR_INTERRUPTS();
			parent = FunnelCollectNodes(r, parent);
		}
		if (r->nnodes > r->nodes_cap / 2)
		{
			if (r->nodes_cap >= FUNNEL_MAX_EVENTS / 2)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("too many funnel steps reached by one entity")));
			r->nodes_cap *= 2;
			r->nodes = repalloc_huge(r->nodes, sizeof(FunnelNode) * r->nodes_cap);
		}
	}
	r->nodes[r->nnodes].ts = ts;
	r->nodes[r->nnodes].row = row;
	r->nodes[r->nnodes].parent = parent;
	return (int32) r->nnodes++;
}

/* Has the chain ending at node already used this event (strict_once)? */
static bool
FunnelChainUses(const FunnelReplay *r, int32 node, TimestampTz ts, int32 row)
{
	/* only events of the same instant can be the same row */
	for (; node >= 0 && r->nodes[node].ts == ts; node = r->nodes[node].parent)
		if (r->nodes[node].row == row)
			return true;
	return false;
}

/* Can the chain c (at step k) take an event at ts, row as step k + 1? */
static bool
FunnelCanAdvance(const FunnelReplay *r, const FunnelChain *c, TimestampTz ts, int32 row)
{
	int32		modes = r->st->modes;

	if (c->node < 0)
		return false;
	/* inclusive window from the chain's step 1, exact however far apart */
	if (!KpiTimeWithin(ts, c->start, r->st->window))
		return false;
	if ((modes & FUNNEL_STRICT_INCREASE) && !(r->nodes[c->node].ts < ts))
		return false;
	if ((modes & FUNNEL_STRICT_ONCE) && FunnelChainUses(r, c->node, ts, row))
		return false;
	return true;
}

/* Record that a chain reached step k + 1 (0-based k) */
static void
FunnelSetLevel(FunnelReplay *r, int k, TimestampTz start, int32 node)
{
	if ((r->st->modes & FUNNEL_STRICT_ONCE) && r->level[k].node >= 0 &&
		r->nodes[r->level[k].node].ts < r->nodes[node].ts)
		r->prev[k] = r->level[k];
	r->level[k].start = start;
	r->level[k].node = node;
	if (k + 1 > r->best)
	{
		r->best = k + 1;
		r->best_node = node;
	}
}

/*
 * Step k + 1 (0-based k) happened at ts in event row.  Returns false when
 * the replay must stop (strict modes).
 */
static bool
FunnelStep(FunnelReplay *r, int k, TimestampTz ts, int32 row)
{
	int32		modes = r->st->modes;
	FunnelChain *from;

	if (k == 0)
	{
		FunnelSetLevel(r, 0, ts, FunnelAddNode(r, ts, row, -1));
		r->started = true;
		return true;
	}
	if ((modes & FUNNEL_STRICT_DEDUPLICATION) && r->level[k].node >= 0)
		return false;			/* a repeated step ends the funnel */
	if ((modes & FUNNEL_STRICT_ORDER) && r->started && r->level[k - 1].node < 0)
	{
		/*
		 * A step out of order ends the funnel; with allow_reentry it is
		 * ignored instead, so a journey that goes back (a, b, a, c) or
		 * jumps ahead goes on (ClickHouse PR #86916).
		 */
		return (modes & FUNNEL_ALLOW_REENTRY) != 0;
	}

	if (FunnelCanAdvance(r, &r->level[k - 1], ts, row))
		from = &r->level[k - 1];
	else if ((modes & FUNNEL_STRICT_ONCE) && FunnelCanAdvance(r, &r->prev[k - 1], ts, row))
		from = &r->prev[k - 1];
	else
		return true;
	FunnelSetLevel(r, k, from->start, FunnelAddNode(r, ts, row, from->node));
	return true;
}

/* An exclusion event at ts ends every chain in progress that began before */
static void
FunnelExclude(FunnelReplay *r, TimestampTz ts)
{
	int			k;

	for (k = 0; k < r->st->nsteps - 1; k++)
	{
		if (r->level[k].node >= 0 && r->level[k].start < ts)
			r->level[k].node = -1;
		if (r->prev[k].node >= 0 && r->prev[k].start < ts)
			r->prev[k].node = -1;
	}
}

/*
 * strict_once without strict_increase, one instant at a time.
 *
 * ClickHouse keeps every chain under strict_once: each step event extends
 * every chain of the step before that is within its window and has not used
 * the event's row.  Without strict_increase the chains of earlier instants
 * differ only in their start (their rows are of other instants), so the one
 * that started last, level[k], stands for them all.  At an instant, a chain
 * reaches step k + 1 through the event of row e iff some chain of an earlier
 * instant at step j (j = 0: none, the chain starts here) is within the
 * window and the steps j + 1 .. k can take distinct rows of the instant
 * other than e: a matching of steps to rows, which an augmenting path
 * extends step by step (and tells whether e can be left out), so the work
 * is polynomial where ClickHouse's lists can grow exponentially.  The
 * deepest usable earlier chain needs the fewest rows; the chain that starts
 * latest, kept for later instants, is the earliest j the rows allow.
 */

/* Does event e (of the instant starting at first) satisfy step k? */
static inline bool
FunnelOnceHas(const FunnelReplay *r, int64 first, int32 e, int k)
{
	return FunnelHasStep(r->st, &r->st->events[first + e], k);
}

/* The first step >= k that some event of the instant satisfies, or nsteps */
static int
FunnelOnceNext(const FunnelReplay *r, int k)
{
	int			nsteps = r->st->nsteps;
	int			w;
	uint64		bits;

	if (k >= nsteps)
		return nsteps;
	w = k / 64;
	bits = r->steps[w] & (~UINT64CONST(0) << (k % 64));
	while (bits == 0)
	{
		if (++w == r->st->nwords)
			return nsteps;
		bits = r->steps[w];
	}
	return Min(w * 64 + pg_rightmost_one_pos64(bits), nsteps);
}

/*
 * An alternating path from step s0 to a free row of the instant (nrows
 * events from first), never through row banned: with apply, the matching
 * takes it (step s0 gets a row); without, it only tells whether one exists.
 */
static bool
FunnelOnceAugment(FunnelReplay *r, int64 first, int32 nrows, int s0, int32 banned, bool apply)
{
	int			depth = 0;

	if (r->seen == PG_INT32_MAX)
	{
		/* the stamps wrap: start them again */
		memset(r->row_seen, 0, sizeof(int32) * nrows);
		r->seen = 0;
	}
	r->seen++;
	r->dfs_step[0] = s0;
	r->dfs_next[0] = 0;
	depth = 1;
	while (depth > 0)
	{
		int			top = depth - 1;
		int			s = r->dfs_step[top];
		int32		e;

		for (e = r->dfs_next[top]; e < nrows; e++)
		{
			if (e == banned || r->row_seen[e] == r->seen || !FunnelOnceHas(r, first, e, s))
				continue;
			r->row_seen[e] = r->seen;
			r->dfs_next[top] = e + 1;
			r->dfs_row[top] = e;
			if (r->row_step[e] < 0)
			{
				/* free: each step of the path takes the row it reached */
				if (apply)
					for (int d = top; d >= 0; d--)
					{
						r->row_step[r->dfs_row[d]] = r->dfs_step[d];
						r->step_row[r->dfs_step[d]] = r->dfs_row[d];
					}
				return true;
			}
			r->dfs_step[depth] = r->row_step[e];
			r->dfs_next[depth] = 0;
			depth++;
			break;
		}
		if (e >= nrows)
			depth--;
		CHECK_FOR_INTERRUPTS();
	}
	return false;
}

/* Frees the rows of steps lo .. hi - 1 */
static void
FunnelOnceUnmatch(FunnelReplay *r, int lo, int hi)
{
	for (int s = lo; s < hi; s++)
		if (r->step_row[s] >= 0)
		{
			r->row_step[r->step_row[s]] = -1;
			r->step_row[s] = -1;
		}
}

/* A chain: the earlier chain at step j (none for j = 0), then steps j + 1 .. k + 1 at ts */
static int32
FunnelOnceChain(FunnelReplay *r, int j, int k, TimestampTz ts, int32 row)
{
	int32		node = j > 0 ? r->level[j - 1].node : -1;

	for (int s = j; s <= k; s++)
		node = FunnelAddNode(r, ts, row, node);
	return node;
}

/*
 * The steps of the instant (events first .. first + nrows - 1, at ts, with
 * union the steps they satisfy), in step order and row order.  Returns
 * false when the replay must stop.
 */
static bool
FunnelInstantOnce(FunnelReplay *r, int64 first, int32 nrows, TimestampTz ts)
{
	const FunnelState *st = r->st;
	int32		modes = st->modes;
	int			nsteps = st->nsteps;
	int			jmax,
				added,
				kmax = -1,
				k;
	bool		saturated = true;

	if (nrows > r->rows_cap)
	{
		r->rows_cap = Max(nrows, 2 * r->rows_cap);
		r->row_step = repalloc_huge(r->row_step, sizeof(int32) * r->rows_cap);
		r->row_seen = repalloc_huge(r->row_seen, sizeof(int32) * r->rows_cap);
	}
	memset(r->steps, 0, sizeof(uint64) * st->nwords);
	for (int32 e = 0; e < nrows; e++)
	{
		const FunnelEvent *ev = &st->events[first + e];

		r->row_step[e] = -1;
		r->row_seen[e] = 0;
		r->steps[0] |= ev->mask;
		for (int w = 1; w < st->nwords; w++)
			r->steps[w] |= FUNNEL_MORE(st, ev->row)[w - 1];
	}
	r->seen = 0;

	/* the deepest earlier chain within the window (they nest: see above) */
	for (jmax = 0; jmax < nsteps && r->level[jmax].node >= 0 &&
		 KpiTimeWithin(ts, r->level[jmax].start, st->window); jmax++)
		;
	added = jmax;				/* steps jmax .. added - 1 have rows */

	for (k = FunnelOnceNext(r, 0); k < nsteps; k = FunnelOnceNext(r, k + 1))
	{
		/*
		 * The matching covers steps jmax .. k - 1; a step that no event of
		 * the instant satisfies leaves it short for good.
		 */
		while (saturated && added < k)
		{
			if (FunnelOnceNext(r, added) != added ||
				!FunnelOnceAugment(r, first, nrows, added, -1, true))
				saturated = false;
			added++;
		}
		for (int32 e = 0; e < nrows; e++)
		{
			bool		ok;

			if (!FunnelOnceHas(r, first, e, k))
				continue;
			CHECK_FOR_INTERRUPTS();
			if (k == 0)
			{
				/* a step-1 event starts a chain */
				r->started = true;
				r->now[0] = true;
				kmax = Max(kmax, 0);
				if (r->best < 1)
				{
					r->best = 1;
					r->best_node = FunnelAddNode(r, ts, st->events[first + e].row, -1);
				}
				if (nsteps == 1)
					return false;
				continue;
			}
			if ((modes & FUNNEL_STRICT_DEDUPLICATION) && (r->level[k].node >= 0 || r->now[k]))
				return false;
			if ((modes & FUNNEL_STRICT_ORDER) && r->started &&
				r->level[k - 1].node < 0 && !r->now[k - 1])
			{
				if (modes & FUNNEL_ALLOW_REENTRY)
					continue;
				return false;
			}
			/* an earlier chain at step k, or the rows of the instant for jmax + 1 .. k */
			ok = k <= jmax ||
				(saturated && (r->row_step[e] < 0 ||
							   FunnelOnceAugment(r, first, nrows, r->row_step[e], e, false)));
			if (!ok)
				continue;
			r->now[k] = true;
			kmax = Max(kmax, k);
			if (k + 1 > r->best)
			{
				r->best = k + 1;
				r->best_node = FunnelOnceChain(r, Min(k, jmax), k, ts, st->events[first + e].row);
				if (r->best == nsteps)
					return false;	/* the whole funnel: done */
			}
		}
	}

	/*
	 * The chains for later instants: at each step reached here, the one that
	 * starts latest, from the earliest step j whose earlier chain (or none)
	 * the rows of the instant continue, from[k] (a sliding window of
	 * matched steps).  From the deepest step down, so that level[j - 1] is
	 * still the earlier chain.
	 */
	FunnelOnceUnmatch(r, jmax, added);
	{
		int			lo = 0,
					p = -1;

		for (k = FunnelOnceNext(r, 0); k <= kmax; k = FunnelOnceNext(r, k + 1))
		{
			if (k != p + 1)
			{
				/* a step no event takes: the window starts again */
				FunnelOnceUnmatch(r, lo, p + 1);
				lo = k;
			}
			/* the earliest lo whose steps lo .. k the rows can all take */
			while (!FunnelOnceAugment(r, first, nrows, k, -1, true))
			{
				FunnelOnceUnmatch(r, lo, lo + 1);
				lo++;
			}
			r->from[k] = lo;
			p = k;
		}
		FunnelOnceUnmatch(r, lo, p + 1);
	}
	for (k = kmax; k >= 0; k--)
	{
		int			j;

		if (!r->now[k])
			continue;
		r->now[k] = false;
		j = r->from[k];
		Assert(j <= jmax && j <= k);
		r->level[k].start = j > 0 ? r->level[j - 1].start : ts;
		r->level[k].node = FunnelOnceChain(r, j, k, ts, -1);
	}
	return true;
}

/* Replays the state's events; the result is in r->best and r->best_node */
static void
FunnelRun(FunnelState *st, FunnelReplay *r)
{
	int64		i,
				j;
	int			k;

	if (st->modes & FUNNEL_UNORDERED)
	{
		FunnelRunUnordered(st, r);
		return;
	}
	memset(r, 0, sizeof(*r));
	r->st = st;
	r->nodes_cap = 16;
	r->nodes = palloc(sizeof(FunnelNode) * r->nodes_cap);
	r->level = palloc(sizeof(FunnelChain) * st->nsteps);
	r->prev = palloc(sizeof(FunnelChain) * st->nsteps);
	for (k = 0; k < st->nsteps; k++)
		r->level[k].node = r->prev[k].node = -1;
	r->best_node = -1;
	if ((st->modes & FUNNEL_STRICT_ONCE) && !(st->modes & FUNNEL_STRICT_INCREASE))
	{
		r->step_row = palloc(sizeof(int32) * st->nsteps);
		memset(r->step_row, 0xff, sizeof(int32) * st->nsteps);
		r->rows_cap = 16;
		r->row_step = palloc(sizeof(int32) * r->rows_cap);
		r->row_seen = palloc(sizeof(int32) * r->rows_cap);
		r->dfs_step = palloc(sizeof(int32) * (st->nsteps + 1));
		r->dfs_next = palloc(sizeof(int32) * (st->nsteps + 1));
		r->dfs_row = palloc(sizeof(int32) * (st->nsteps + 1));
		r->now = palloc0(sizeof(bool) * st->nsteps);
		r->from = palloc(sizeof(int32) * st->nsteps);
		r->steps = palloc(sizeof(uint64) * st->nwords);
	}

	/*
	 * The events in time order, sorted in place: the state keeps the same
	 * events, so it stays valid for more rows (moving windows) and for the
	 * final function of another aggregate sharing it.
	 */
	FunnelSortEvents(st->events, st->nevents);

	/* one instant at a time: its steps in step order, then its exclusions */
	for (i = 0; i < st->nevents; i = j)
	{
		TimestampTz ts = st->events[i].ts;

		CHECK_FOR_INTERRUPTS();
		for (j = i; j < st->nevents && st->events[j].ts == ts; j++)
		{
			if ((st->modes & FUNNEL_STRICT_ORDER) && r->started &&
				st->events[j].flags == 0)
				return;			/* another event between steps */
		}
		if (r->step_row != NULL)
		{
			if (j - i > PG_INT32_MAX / 2)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("too many funnel events at one instant: " INT64_FORMAT, j - i)));
			if (!FunnelInstantOnce(r, i, (int32) (j - i), ts))
				return;
		}
		else if (st->nwords == 1)
		{
			/* the steps some event of the instant satisfies, lowest first */
			uint64		steps = 0;

			for (int64 e = i; e < j; e++)
				steps |= st->events[e].mask;
			for (; steps != 0; steps &= steps - 1)
			{
				k = pg_rightmost_one_pos64(steps);
				for (int64 e = i; e < j; e++)
				{
					if (!((st->events[e].mask >> k) & 1))
						continue;
					/* an instant may hold many events, each step a walk */
					CHECK_FOR_INTERRUPTS();
					if (!FunnelStep(r, k, ts, st->events[e].row))
						return;
					if (r->best == st->nsteps)
						return; /* the whole funnel: done */
				}
			}
		}
		else
		{
			for (k = 0; k < st->nsteps; k++)
			{
				/* steps x events of one instant: check in both loops */
				CHECK_FOR_INTERRUPTS();
				for (int64 e = i; e < j; e++)
				{
					if (!FunnelHasStep(st, &st->events[e], k))
						continue;
					CHECK_FOR_INTERRUPTS();
					if (!FunnelStep(r, k, ts, st->events[e].row))
						return;
					if (r->best == st->nsteps)
						return; /* the whole funnel: done */
				}
			}
		}
		for (int64 e = i; e < j; e++)
			if (st->events[e].flags & FUNNEL_EVENT_EXCLUDE)
			{
				CHECK_FOR_INTERRUPTS();
				FunnelExclude(r, ts);
			}
	}
}

/* window_funnel final: the deepest step reached, 0..N */
Datum
window_funnel_final(PG_FUNCTION_ARGS)
{
	FunnelState *st;
	FunnelReplay r;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (FunnelState *) PG_GETARG_POINTER(0);
	FunnelRun(st, &r);
	PG_RETURN_INT32(r.best);
}

/*
 * funnel_path final: the timestamps of steps 1..N of the first chain that
 * reached the deepest step, NULL for the steps it did not reach.
 */
Datum
funnel_path_final(PG_FUNCTION_ARGS)
{
	FunnelState *st;
	FunnelReplay r;
	Datum	   *values;
	bool	   *nulls;
	int			dims[1];
	int			lbs[1] = {1};
	int32		node;
	int			k;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (FunnelState *) PG_GETARG_POINTER(0);
	FunnelRun(st, &r);

	values = palloc0(sizeof(Datum) * st->nsteps);
	nulls = palloc(sizeof(bool) * st->nsteps);
	for (k = 0; k < st->nsteps; k++)
		nulls[k] = k >= r.best;
	for (node = r.best_node, k = r.best - 1; node >= 0; node = r.nodes[node].parent, k--)
	{
		Assert(k >= 0);
		values[k] = TimestampTzGetDatum(r.nodes[node].ts);
	}
	dims[0] = st->nsteps;
	PG_RETURN_ARRAYTYPE_P(construct_md_array(values, nulls, 1, dims, lbs,
											 TIMESTAMPTZOID, sizeof(TimestampTz),
											 FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}



/*
 * What funnel_breakdown (funnel_breakdown.c) reads of a state: its
 * properties, its events (in time order once replayed) and the chain that
 * funnel_path reports.
 */
FunnelProps *
FunnelStateProps(const FunnelState *st)
{
	return st->props;
}

int
FunnelStateSteps(const FunnelState *st)
{
	return st->nsteps;
}

int64
FunnelStateEvents(const FunnelState *st)
{
	return st->nevents;
}

/*
 * Replays the events as funnel_path does: returns the deepest step reached
 * and sets step_ts[k] (k < that step) to the timestamp of element k + 1 of
 * the path funnel_path reports, and step_of[k] to the step (0-based) taken
 * there: k, but in an unordered funnel the step completed (k + 1)-th.
 */
int
FunnelBestChain(FunnelState *st, TimestampTz *step_ts, int32 *step_of)
{
	FunnelReplay r;
	int32		node;
	int			k;

	FunnelRun(st, &r);
	for (node = r.best_node, k = r.best - 1; node >= 0; node = r.nodes[node].parent, k--)
	{
		Assert(k >= 0);
		step_ts[k] = r.nodes[node].ts;
		step_of[k] = r.node_step != NULL ? r.node_step[node] : k;
	}
	return r.best;
}

/*
 * Event i (0..nevents - 1): its timestamp and row, and whether it satisfies
 * step k + 1 (k < 0: any step).
 */
bool
FunnelEventMatches(const FunnelState *st, int64 i, int k, TimestampTz *ts, int32 *row)
{
	const FunnelEvent *ev = &st->events[i];

	*ts = ev->ts;
	*row = ev->row;
	if (k < 0)
		return (ev->flags & FUNNEL_EVENT_STEPS) != 0;
	return FunnelHasStep(st, ev, k);
}
