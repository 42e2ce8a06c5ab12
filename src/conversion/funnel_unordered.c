/*-------------------------------------------------------------------------
 *
 * funnel_unordered.c
 *	  Unordered funnels (mode 'unordered' of window_funnel and funnel_path),
 *	  as PostHog's "unordered" funnel order type: the steps in any order
 *	  within the window.
 *
 * A window starts at an instant s of the entity's events and holds the
 * events at s .. s + window (inclusive) and, with exclusion events, none
 * after the first exclusion event later than s (an exclusion at the same
 * instant as a step is taken after it, as in the ordered funnel).  The level
 * is the most distinct steps that the events of one window satisfy; the
 * winning window is the earliest start that reaches it, and its path the
 * timestamps of the first, second, ... step completed in it: the earliest
 * event of the window for each step it holds, in time order.
 *
 * Both ends of the window only move forward as s does (s + window grows,
 * and so does the first exclusion after s), so one pass over the sorted
 * events with two pointers and a count of in-window events per step gives
 * the level: O(events x (steps / 64 + the steps each event satisfies)).
 * Memory: a count per step besides the entity's events.
 *
 * See doc/conversion.md, "Unordered funnels".
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"
#include "funnel.h"
#include "funnel_replay.h"

#include "miscadmin.h"
#include "port/pg_bitutils.h"

/* Word w of the steps event ev satisfies */
static inline uint64
FunnelUnorderedWord(const FunnelState *st, const FunnelEvent *ev, int w)
{
	return w == 0 ? ev->mask : FUNNEL_MORE(st, ev->row)[w - 1];
}

/*
 * Adds (delta 1) or removes (delta -1) an event's steps from the window's
 * counts; returns the change in the number of distinct steps.
 */
static int
FunnelUnorderedCount(const FunnelState *st, int32 *count, const FunnelEvent *ev, int delta)
{
	int			change = 0;

	for (int w = 0; w < st->nwords; w++)
	{
		uint64		bits = FunnelUnorderedWord(st, ev, w);

		for (; bits != 0; bits &= bits - 1)
		{
			int			k = w * 64 + pg_rightmost_one_pos64(bits);

			if (delta > 0 && count[k]++ == 0)
				change++;
			else if (delta < 0 && --count[k] == 0)
				change--;
		}
	}
	return change;
}

/*
 * The path of the window of events lo .. hi - 1: a node per step, at the
 * earliest instant that satisfies it, each node the parent of the next, and
 * the step each node completed (r->node_step).  The steps first completed at
 * one instant take their nodes in step order, whatever the order of its
 * events, so that the path and the step of each node do not depend on the
 * order rows arrived in.
 */
static void
FunnelUnorderedPath(const FunnelState *st, FunnelReplay *r, int64 lo, int64 hi)
{
	uint64	   *seen = palloc0(sizeof(uint64) * st->nwords);
	uint64	   *now = palloc(sizeof(uint64) * st->nwords);
	int32		parent = -1;
	int64		e,
				next;

	r->nodes_cap = Max(r->best, 1);
	r->nodes = palloc(sizeof(FunnelNode) * r->nodes_cap);
	r->node_step = palloc(sizeof(int32) * r->nodes_cap);
	for (e = lo; e < hi && r->nnodes < r->best; e = next)
	{
		TimestampTz ts = st->events[e].ts;

		CHECK_FOR_INTERRUPTS();
		memset(now, 0, sizeof(uint64) * st->nwords);
		for (next = e; next < hi && st->events[next].ts == ts; next++)
			for (int w = 0; w < st->nwords; w++)
				now[w] |= FunnelUnorderedWord(st, &st->events[next], w) & ~seen[w];
		for (int w = 0; w < st->nwords; w++)
		{
			seen[w] |= now[w];
			for (uint64 bits = now[w]; bits != 0; bits &= bits - 1)
			{
				int			k = w * 64 + pg_rightmost_one_pos64(bits);
				int64		i = e;

				/* the instant's first event of the step gives the node its row */
				while (!((FunnelUnorderedWord(st, &st->events[i], w) >> (k % 64)) & 1))
					i++;
				Assert(r->nnodes < r->nodes_cap);
				r->nodes[r->nnodes].ts = ts;
				r->nodes[r->nnodes].row = st->events[i].row;
				r->nodes[r->nnodes].parent = parent;
				r->node_step[r->nnodes] = k;
				parent = (int32) r->nnodes++;
			}
		}
	}
	Assert(r->nnodes == r->best);
	r->best_node = parent;
	pfree(seen);
	pfree(now);
}

/*
 * Replays the state's events as an unordered funnel: r->best is the level,
 * r->best_node the last node of the winning window's path (its parents are
 * the earlier completions, the first completion's parent -1), as FunnelRun
 * gives them, so that the final functions read both alike.
 */
void
FunnelRunUnordered(FunnelState *st, FunnelReplay *r)
{
	int32	   *count;
	int64		n = st->nevents,
				lo,
				next,
				hi = 0,
				xi = 0,
				best_lo = 0,
				best_hi = 0,
				i;
	int			distinct = 0;

	memset(r, 0, sizeof(*r));
	r->st = st;
	r->best_node = -1;

	/* the events in time order, sorted in place (see FunnelRun) */
	FunnelSortEvents(st->events, n);

	count = palloc0(sizeof(int32) * st->nsteps);
	for (lo = 0; lo < n; lo = next)
	{
		TimestampTz s = st->events[lo].ts;

		CHECK_FOR_INTERRUPTS();
		/* the first exclusion event later than s, if any, ends the window */
		while (xi < n && (st->events[xi].ts <= s ||
						  !(st->events[xi].flags & FUNNEL_EVENT_EXCLUDE)))
			xi++;
		for (next = lo; next < n && st->events[next].ts == s; next++)
			;
		/*
		 * The events lo .. hi - 1 still counted are in this window too (both
		 * ends only move forward); those at s always are.
		 */
		for (; hi < n && KpiTimeWithin(st->events[hi].ts, s, st->window) &&
			 (xi == n || st->events[hi].ts <= st->events[xi].ts); hi++)
		{
			CHECK_FOR_INTERRUPTS();
			distinct += FunnelUnorderedCount(st, count, &st->events[hi], 1);
		}
		if (distinct > r->best)
		{
			r->best = distinct;
			best_lo = lo;
			best_hi = hi;
			if (distinct == st->nsteps)
				break;			/* the whole funnel: done */
		}
		/* the instant at s leaves the window */
		for (i = lo; i < next; i++)
		{
			CHECK_FOR_INTERRUPTS();
			distinct += FunnelUnorderedCount(st, count, &st->events[i], -1);
		}
	}
	pfree(count);
	if (r->best > 0)
		FunnelUnorderedPath(st, r, best_lo, best_hi);
}
