/*-------------------------------------------------------------------------
 *
 * funnel_replay.h
 *	  The per-entity funnel state and its replay: private to funnel.c and
 *	  the files that replay a funnel state other ways (funnel_unordered.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CRM_KPI_FUNNEL_REPLAY_H
#define CRM_KPI_FUNNEL_REPLAY_H

#include "datatype/timestamp.h"
#include "funnel.h"

/* Modes, as ClickHouse names them */
#define FUNNEL_STRICT_ORDER			0x01
#define FUNNEL_STRICT_DEDUPLICATION 0x02
#define FUNNEL_STRICT_INCREASE		0x04
#define FUNNEL_STRICT_ONCE			0x08
#define FUNNEL_ALLOW_REENTRY		0x10	/* with strict_order only */
#define FUNNEL_UNORDERED			0x20	/* PostHog's: alone, funnel_unordered.c */

/* What an event is, besides the steps it satisfies */
#define FUNNEL_EVENT_STEPS			0x01	/* satisfies at least one step */
#define FUNNEL_EVENT_EXCLUDE		0x02	/* an exclusion event */

/*
 * An event: bit k of mask is set when it satisfies step k + 1 (k < 64);
 * steps beyond 64 are in its state's "more" words.  row numbers the events
 * of a state 0..n-1 in arrival order: it stays with the event when the
 * events are sorted, so it indexes "more" and tells rows apart (strict_once).
 */
typedef struct FunnelEvent
{
	TimestampTz ts;
	int32		row;
	int32		flags;			/* FUNNEL_EVENT_* */
	uint64		mask;
} FunnelEvent;

/*
 * Per-entity state (internal): the parameters of the first row and the
 * events so far.  With more than 64 steps, "more" holds nwords - 1 further
 * mask words per event, by row.
 */
typedef struct FunnelState
{
	int32		nsteps;
	int32		nwords;
	int64		window;			/* microseconds */
	int32		modes;			/* FUNNEL_STRICT_* */
	int64		nevents;
	int64		capacity;
	FunnelEvent *events;
	uint64	   *more;			/* NULL with at most 64 steps */
	FunnelProps *props;			/* funnel_breakdown's properties by row, else NULL */
} FunnelState;

#define FUNNEL_MORE(st, row)	((st)->more + (int64) (row) * ((st)->nwords - 1))

/* Does event ev of state st satisfy step k + 1? */
static inline bool
FunnelHasStep(const FunnelState *st, const FunnelEvent *ev, int k)
{
	uint64		word = k < 64 ? ev->mask : FUNNEL_MORE(st, ev->row)[k / 64 - 1];

	return (word >> (k % 64)) & 1;
}
#define FUNNEL_MAX_EVENTS	PG_INT32_MAX	/* events and chain nodes are int32-numbered */

/*
 * The replay: chains are recorded as a tree of nodes (see funnel.c).
 */
typedef struct FunnelNode
{
	TimestampTz ts;
	int32		row;
	int32		parent;			/* -1 for a chain's step 1 */
} FunnelNode;

typedef struct FunnelChain
{
	TimestampTz start;			/* timestamp of the chain's step 1 */
	int32		node;			/* its last step; -1 when unset */
} FunnelChain;

typedef struct FunnelReplay
{
	const FunnelState *st;
	FunnelNode *nodes;
	int64		nnodes;
	int64		nodes_cap;
	FunnelChain *level;
	FunnelChain *prev;
	int			best;			/* deepest step reached, 0..nsteps */
	int32		best_node;		/* last node of the first chain to reach it */
	int32	   *node_step;		/* unordered: the step each node completed, else NULL (node k: step k + 1) */
	bool		started;		/* a step-1 event was seen (strict_order) */

	/*
	 * strict_once without strict_increase (FunnelInstantOnce): the rows of
	 * one instant matched to steps, and the steps reached at the instant
	 */
	int32	   *step_row;		/* per step: its row (event of the instant) or -1 */
	int32	   *row_step;		/* per event of the instant: its step or -1 */
	int32	   *row_seen;		/* per event of the instant: visit stamp */
	int32		seen;
	int64		rows_cap;
	int32	   *dfs_step;		/* an alternating path: steps, */
	int32	   *dfs_next;		/* the next event to try for each, */
	int32	   *dfs_row;		/* and the event taken */
	bool	   *now;			/* per step: reached at this instant */
	int32	   *from;			/* per step: the first step taken at this instant */
	uint64	   *steps;			/* the steps some event of the instant satisfies */
} FunnelReplay;

/* Time order; arrival order (row) among equal timestamps: a stable order */
static inline bool
FunnelEventLess(const FunnelEvent *x, const FunnelEvent *y)
{
	return x->ts < y->ts || (x->ts == y->ts && x->row < y->row);
}

/* funnel.c: sorts events by FunnelEventLess */
extern void FunnelSortEvents(FunnelEvent *events, int64 n);

/* funnel_unordered.c: the replay of mode unordered, result as FunnelRun's */
extern void FunnelRunUnordered(FunnelState *st, FunnelReplay *r);

#endif							/* CRM_KPI_FUNNEL_REPLAY_H */
