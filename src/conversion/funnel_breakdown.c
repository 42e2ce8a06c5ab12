/*-------------------------------------------------------------------------
 *
 * funnel_breakdown.c
 *	  funnel_breakdown: per entity, the value of an event property that a
 *	  funnel broken down by that property attributes the entity to, as
 *	  PostHog's breakdown attribution (first_touch, last_touch, step_N).
 *
 * The entity's events are collected as funnel_path collects them (funnel.c,
 * FunnelAccum), with each event's property kept by row: one growing buffer
 * of the property bytes and an offset and a size per row, so that a row
 * allocates nothing beyond the amortised growth of the state.  At the end:
 *
 *	first_touch, last_touch: the property of the entity's earliest (latest)
 *		event that satisfies a step and whose property is not NULL, as
 *		PostHog's argMinIf / argMaxIf(prop, timestamp, isNotNull(prop)) over
 *		the funnel's events;
 *	step_N: the property of the event that the chain funnel_path reports
 *		took step N with, NULL when that chain did not reach step N.
 *
 * Events at one timestamp come in no defined order, so where several
 * qualify, the least value in byte order is taken (COLLATE "C"), which
 * makes the result independent of the input order and of parallel plans.
 *
 * See doc/conversion.md, "Breakdowns".
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"
#include "funnel.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(funnel_state_accum_breakdown);
PG_FUNCTION_INFO_V1(funnel_breakdown_final);


/* The attribution: first_touch, last_touch or step_1 .. step_N */
int32
FunnelAttribution(text *attribution, int32 nsteps)
{
	char	   *str = text_to_cstring(attribution);
	int32		result;

	if (strcmp(str, "first_touch") == 0)
		result = FUNNEL_FIRST_TOUCH;
	else if (strcmp(str, "last_touch") == 0)
		result = FUNNEL_LAST_TOUCH;
	else if (strncmp(str, "step_", 5) == 0 && str[5] >= '0' && str[5] <= '9' &&
			 strspn(str + 5, "0123456789") == strlen(str + 5))
	{
		long		step = strlen(str + 5) > 9 ? PG_INT32_MAX : strtol(str + 5, NULL, 10);

		if (step < 1 || step > nsteps)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel breakdown attribution \"%s\" is not a step of this funnel", str),
					 errhint("This funnel has %d step%s: step_1 .. step_%d (numbered from 1 as funnel_path and funnel_steps; PostHog's breakdownAttributionValue 0 is step_1).",
							 nsteps, nsteps == 1 ? "" : "s", nsteps)));
		result = (int32) step;
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown funnel breakdown attribution \"%s\"", str),
				 errhint("Attributions are first_touch, last_touch and step_1 .. step_%d; for PostHog's all_events, GROUP BY the entity and the property with funnel_path.",
						 nsteps)));
	pfree(str);
	return result;
}


/* Properties by row */

/* In the current memory context, room for capacity rows */
FunnelProps *
FunnelPropsCreate(int32 attribution, int64 capacity)
{
	FunnelProps *p = palloc0(sizeof(FunnelProps));

	p->attribution = attribution;
	p->cap = 64;
	p->data = palloc(p->cap);
	p->off = palloc_extended(sizeof(int64) * Max(capacity, 1), MCXT_ALLOC_HUGE);
	p->size = palloc_extended(sizeof(int32) * Max(capacity, 1), MCXT_ALLOC_HUGE);
	return p;
}

/* The rows follow the state's events: room for capacity of them */
void
FunnelPropsResize(FunnelProps *p, int64 capacity)
{
	p->off = repalloc_huge(p->off, sizeof(int64) * capacity);
	p->size = repalloc_huge(p->size, sizeof(int32) * capacity);
}

/* Room for n more bytes (amortised: the buffer doubles) */
static void
FunnelPropsReserve(FunnelProps *p, int64 n)
{
	int64		need;

	if (pg_add_s64_overflow(p->len, n, &need) || need > (int64) MaxAllocHugeSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("funnel breakdown properties of one entity exceed %zu bytes",
						(size_t) MaxAllocHugeSize)));
	if (need <= p->cap)
		return;
	p->cap = Min(Max(need, p->cap * 2), (int64) MaxAllocHugeSize);
	p->data = repalloc_huge(p->data, p->cap);
}

/* Row row's property: value, or NULL */
void
FunnelPropsSet(FunnelProps *p, int32 row, const text *value)
{
	int32		n;

	if (value == NULL)
	{
		p->off[row] = p->len;
		p->size[row] = -1;
		return;
	}
	n = VARSIZE_ANY_EXHDR(value);
	FunnelPropsReserve(p, n);
	memcpy(p->data + p->len, VARDATA_ANY(value), n);
	p->off[row] = p->len;
	p->size[row] = n;
	p->len += n;
}

/* b's nb rows after a's na (the state's events were merged the same way) */
void
FunnelPropsAppend(FunnelProps *a, int64 na, const FunnelProps *b, int64 nb)
{
	int64		i;

	FunnelPropsReserve(a, b->len);
	memcpy(a->data + a->len, b->data, b->len);
	for (i = 0; i < nb; i++)
	{
		a->off[na + i] = b->off[i] + a->len;
		a->size[na + i] = b->size[i];
	}
	a->len += b->len;
}

void
FunnelPropsFree(FunnelProps *p)
{
	pfree(p->data);
	pfree(p->off);
	pfree(p->size);
	pfree(p);
}

/*
 * Serialized (parallel workers only): int32 attribution, 0 for none; then
 * per row int32 size (-1 for NULL) and its bytes.
 */
void
FunnelPropsSend(StringInfo buf, const FunnelProps *p, int64 nevents)
{
	int64		i;

	pq_sendint32(buf, p ? p->attribution : 0);
	if (p == NULL)
		return;
	for (i = 0; i < nevents; i++)
	{
		CHECK_FOR_INTERRUPTS();
		pq_sendint32(buf, p->size[i]);
		if (p->size[i] > 0)
			pq_sendbytes(buf, p->data + p->off[i], p->size[i]);
	}
}

/*
 * In the current memory context, with room for capacity rows (the state's
 * events); NULL when the state has none
 */
FunnelProps *
FunnelPropsRecv(StringInfo buf, int64 nevents, int32 nsteps, int64 capacity)
{
	int32		attribution = pq_getmsgint(buf, 4);
	FunnelProps *p;
	int64		i;

	if (attribution == 0)
		return NULL;
	if (attribution != FUNNEL_FIRST_TOUCH && attribution != FUNNEL_LAST_TOUCH &&
		(attribution < 1 || attribution > nsteps))
		elog(ERROR, "funnel state from a parallel worker is corrupt");
	p = FunnelPropsCreate(attribution, capacity);
	for (i = 0; i < nevents; i++)
	{
		int32		n = pq_getmsgint(buf, 4);

		CHECK_FOR_INTERRUPTS();
		if (n < -1 || n > buf->len - buf->cursor)
			elog(ERROR, "funnel state from a parallel worker is corrupt");
		p->off[i] = p->len;
		p->size[i] = n;
		if (n > 0)
		{
			FunnelPropsReserve(p, n);
			pq_copymsgbytes(buf, p->data + p->len, n);
			p->len += n;
		}
	}
	return p;
}


/*
 * funnel_state_accum_breakdown(state, window, mode, attribution, ts,
 * property, exclude, VARIADIC steps): funnel_path's transition, with each
 * event's property
 */
Datum
funnel_state_accum_breakdown(PG_FUNCTION_ARGS)
{
	return FunnelAccum(fcinfo, 2, 4, 6, 3, 5, 7);
}

/* Is row x's property less than row y's (byte order, a prefix first)? */
static bool
FunnelPropLess(const FunnelProps *p, int32 x, int32 y)
{
	int32		nx = p->size[x],
				ny = p->size[y];
	int			c = memcmp(p->data + p->off[x], p->data + p->off[y], Min(nx, ny));

	return c < 0 || (c == 0 && nx < ny);
}

/*
 * Of the events satisfying step k + 1 (k < 0: any step) with a non-NULL
 * property: the earliest (last = false) or the latest, or those at exactly
 * at (at_ts), the least value; returns its row or -1.
 */
static int32
FunnelPick(const struct FunnelState *st, const FunnelProps *p, int k, bool last,
		   bool at_ts, TimestampTz at)
{
	int64		n = FunnelStateEvents(st),
				i;
	int32		best = -1;
	TimestampTz best_ts = 0;

	for (i = 0; i < n; i++)
	{
		TimestampTz ts;
		int32		row;

		CHECK_FOR_INTERRUPTS();
		if (!FunnelEventMatches(st, i, k, &ts, &row) || p->size[row] < 0)
			continue;
		if (at_ts && ts != at)
			continue;
		if (best < 0 ||
			(last ? ts > best_ts : ts < best_ts) ||
			(ts == best_ts && FunnelPropLess(p, row, best)))
		{
			best = row;
			best_ts = ts;
		}
	}
	return best;
}

/* funnel_breakdown final: the attributed property, or NULL */
Datum
funnel_breakdown_final(PG_FUNCTION_ARGS)
{
	struct FunnelState *st;
	FunnelProps *p;
	TimestampTz *step_ts;
	int32	   *step_of;
	int32		row;
	int			nsteps,
				best;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (struct FunnelState *) PG_GETARG_POINTER(0);
	p = FunnelStateProps(st);
	if (p == NULL)
		elog(ERROR, "funnel_breakdown_final called on a state without properties");
	nsteps = FunnelStateSteps(st);
	if (p->attribution == FUNNEL_FIRST_TOUCH || p->attribution == FUNNEL_LAST_TOUCH)
	{
		/* the entity's events, whatever the chain */
		row = FunnelPick(st, p, -1, p->attribution == FUNNEL_LAST_TOUCH, false, 0);
	}
	else
	{
		/* the chain funnel_path reports, from the same replay */
		step_ts = palloc(sizeof(TimestampTz) * nsteps);
		step_of = palloc(sizeof(int32) * nsteps);
		best = FunnelBestChain(st, step_ts, step_of);
		row = best < p->attribution ? -1 :
			FunnelPick(st, p, step_of[p->attribution - 1], false, true, step_ts[p->attribution - 1]);
		pfree(step_ts);
		pfree(step_of);
	}
	if (row < 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(p->data + p->off[row], p->size[row]));
}
