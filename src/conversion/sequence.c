/*-------------------------------------------------------------------------
 *
 * sequence.c
 *	  Event sequences per entity: sequence_match and sequence_count, with
 *	  ClickHouse's sequenceMatch / sequenceCount pattern syntax.
 *
 * A pattern is a string of (?N) (an event satisfying condition N), . (any
 * one event), .* (any events) and (?t op secs) (the time between the events
 * matched on either side, op among >=, >, <, <=, ==).  As in ClickHouse,
 * only the rows that satisfy at least one condition are events; the
 * aggregates collect them (timestamp and condition bits) and, at the end,
 * sort them by time and match the pattern: with a finite automaton when the
 * pattern has no time constraint (sequence_match), else with ClickHouse's
 * backtracking matcher and its iteration limit.  sequence_count counts the
 * non-overlapping matches, each search starting after the previous match.
 * Memory grows with the entity's events.
 *
 * See doc/conversion.md for the definitions.
 *
 *-------------------------------------------------------------------------
 */
#include "crm_kpi.h"
#include "funnel.h"

#include <ctype.h>

#include "common/int.h"
#include "datatype/timestamp.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

/* ClickHouse's limits: 32 conditions, 1,000,000 steps of the backtracking matcher */
#define SEQ_MAX_CONDITIONS	32
#define SEQ_MAX_ITERATIONS	1000000
/* Ours: a pattern is at most this many bytes (ClickHouse sets no limit) */
#define SEQ_MAX_PATTERN		4096
/* a time constraint's seconds, so that its microseconds fit in an int64 */
#define SEQ_MAX_SECONDS		(PG_INT64_MAX / USECS_PER_SEC)
#define SEQ_MAX_EVENTS		(MaxAllocHugeSize / sizeof(SeqEvent))

typedef enum SeqActionType
{
	SEQ_EVENT,					/* (?N) */
	SEQ_ANY,					/* . */
	SEQ_STAR,					/* .* */
	SEQ_TIME_LE,				/* (?t<=s) */
	SEQ_TIME_LT,				/* (?t<s) */
	SEQ_TIME_GE,				/* (?t>=s) */
	SEQ_TIME_GT,				/* (?t>s) */
	SEQ_TIME_EQ					/* (?t==s) */
} SeqActionType;

/* A pattern element: its condition bit (SEQ_EVENT) or microseconds (time) */
typedef struct SeqAction
{
	SeqActionType type;
	uint32		bit;
	int64		usecs;
} SeqAction;

/*
 * A state of the automaton for patterns without time: it loops on any
 * event (after .*), and moves to the next state on an event satisfying a
 * condition (bit) or on any event (any).
 */
typedef struct SeqDfaState
{
	bool		loop;
	bool		any;
	uint32		bit;			/* 0: no transition (the last state) */
} SeqDfaState;

typedef struct SeqPattern
{
	int			nactions;
	SeqAction  *actions;
	int			nstates;
	SeqDfaState *states;
	bool		has_time;
	uint32		conditions;		/* the conditions the pattern names */
} SeqPattern;

/* An event: its time and the conditions it satisfies (bit k: condition k + 1) */
typedef struct SeqEvent
{
	TimestampTz ts;
	uint32		mask;
} SeqEvent;

/*
 * Per-entity state (internal): the pattern text and number of conditions of
 * the first row, the conditions met so far and the events.
 */
typedef struct SeqState
{
	int32		nconditions;
	uint32		met;
	int32		pattern_len;
	char	   *pattern;
	int64		nevents;
	int64		capacity;
	SeqEvent   *events;
} SeqState;

PG_FUNCTION_INFO_V1(sequence_state_accum);
PG_FUNCTION_INFO_V1(sequence_state_combine);
PG_FUNCTION_INFO_V1(sequence_state_serialize);
PG_FUNCTION_INFO_V1(sequence_state_deserialize);
PG_FUNCTION_INFO_V1(sequence_match_final);
PG_FUNCTION_INFO_V1(sequence_count_final);


/* The pattern */

static void
SeqSyntaxError(const char *pattern, int len, const char *pos, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_SYNTAX_ERROR),
			 errmsg("%s at \"%.*s\" (position %d) of sequence pattern \"%.*s\"",
					what, (int) (pattern + len - pos), pos, (int) (pos - pattern) + 1,
					len, pattern),
			 errhint("A pattern is made of (?N) for condition N, . for any event, .* for any events and (?t>=3600) for seconds between events (>=, >, <, <=, ==).")));
}

/*
 * Reads an unsigned decimal number with an optional leading +, as
 * ClickHouse's tryReadIntText; false when there is none or it exceeds max.
 */
static bool
SeqReadNumber(const char **pos, const char *end, uint64 max, uint64 *value)
{
	const char *p = *pos;
	uint64		v = 0;

	if (p < end && *p == '+')
		p++;
	if (p == end || !isdigit((unsigned char) *p))
		return false;
	for (; p < end && isdigit((unsigned char) *p); p++)
	{
		if (v > (max - (*p - '0')) / 10)
			return false;
		v = v * 10 + (*p - '0');
	}
	*value = v;
	*pos = p;
	return true;
}

static bool
SeqTake(const char **pos, const char *end, const char *token)
{
	size_t		len = strlen(token);

	if ((size_t) (end - *pos) >= len && memcmp(*pos, token, len) == 0)
	{
		*pos += len;
		return true;
	}
	return false;
}

/*
 * Parses a pattern for nconditions conditions, as ClickHouse's
 * parsePattern: an implicit .* comes first (a match may start at any
 * event); a time constraint must follow an event, . or .*.
 */
static void
SeqParse(const char *pattern, int len, int nconditions, SeqPattern *p)
{
	const char *pos = pattern;
	const char *end = pattern + len;

	if (len > SEQ_MAX_PATTERN)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a sequence pattern has at most %d bytes, not %d", SEQ_MAX_PATTERN, len)));
	/* at most one action and one state per byte, plus the leading .* */
	p->actions = palloc(sizeof(SeqAction) * (len + 1));
	p->states = palloc(sizeof(SeqDfaState) * (len + 1));
	p->nactions = 1;
	p->actions[0].type = SEQ_STAR;
	p->nstates = 1;
	p->states[0].loop = true;
	p->states[0].any = false;
	p->states[0].bit = 0;
	p->has_time = false;
	p->conditions = 0;

	while (pos < end)
	{
		const char *start = pos;
		SeqAction  *a = &p->actions[p->nactions];
		SeqDfaState *s = &p->states[p->nstates - 1];

		if (SeqTake(&pos, end, "(?t"))
		{
			uint64		secs;
			SeqActionType prev = p->actions[p->nactions - 1].type;

			if (SeqTake(&pos, end, "<="))
				a->type = SEQ_TIME_LE;
			else if (SeqTake(&pos, end, "<"))
				a->type = SEQ_TIME_LT;
			else if (SeqTake(&pos, end, ">="))
				a->type = SEQ_TIME_GE;
			else if (SeqTake(&pos, end, ">"))
				a->type = SEQ_TIME_GT;
			else if (SeqTake(&pos, end, "=="))
				a->type = SEQ_TIME_EQ;
			else
				SeqSyntaxError(pattern, len, pos, "unknown time comparison");
			if (!SeqReadNumber(&pos, end, SEQ_MAX_SECONDS, &secs))
				SeqSyntaxError(pattern, len, pos, "expected a number of seconds (at most 9223372036854)");
			if (prev != SEQ_EVENT && prev != SEQ_ANY && prev != SEQ_STAR)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("time condition \"%.*s\" of sequence pattern \"%.*s\" must follow an event condition",
								(int) (pos - start) + (pos < end && *pos == ')'), start, len, pattern),
						 errhint("As in ClickHouse, a time condition follows (?N), . or .*, never another time condition.")));
			a->usecs = (int64) secs * USECS_PER_SEC;
			a->bit = 0;
			p->has_time = true;
		}
		else if (SeqTake(&pos, end, "(?"))
		{
			uint64		n;

			if (!SeqReadNumber(&pos, end, PG_INT32_MAX, &n) || n < 1 || n > (uint64) nconditions)
			{
				const char *close = memchr(start, ')', end - start);
				int			toklen = close ? (int) (close - start) + 1 : (int) (end - start);

				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("event condition \"%.*s\" of sequence pattern \"%.*s\" is not (?1) to (?%d)",
								toklen, start, len, pattern, nconditions),
						 errhint("(?N) names the Nth condition after the timestamp.")));
			}
			a->type = SEQ_EVENT;
			a->bit = (uint32) 1 << (n - 1);
			s->any = false;
			s->bit = a->bit;
			p->states[p->nstates].loop = false;
			p->states[p->nstates].any = false;
			p->states[p->nstates].bit = 0;
			p->nstates++;
			p->conditions |= a->bit;
		}
		else if (SeqTake(&pos, end, ".*"))
		{
			a->type = SEQ_STAR;
			s->loop = true;
		}
		else if (SeqTake(&pos, end, "."))
		{
			a->type = SEQ_ANY;
			s->any = true;
			p->states[p->nstates].loop = false;
			p->states[p->nstates].any = false;
			p->states[p->nstates].bit = 0;
			p->nstates++;
		}
		else
			SeqSyntaxError(pattern, len, pos, "unexpected character");

		if (a->type == SEQ_EVENT || a->type >= SEQ_TIME_LE)
		{
			if (!SeqTake(&pos, end, ")"))
				SeqSyntaxError(pattern, len, pos, "expected \")\"");
		}
		p->nactions++;
	}
}

/*
 * The parsed pattern of a final function's call site, kept in fn_extra and
 * parsed again only when the pattern text changes.
 */
typedef struct SeqCache
{
	int			len;
	int			nconditions;
	char	   *text;
	SeqPattern	pattern;
} SeqCache;

static const SeqPattern *
SeqCachedPattern(FunctionCallInfo fcinfo, const SeqState *st)
{
	FmgrInfo   *flinfo = fcinfo->flinfo;
	SeqCache   *c = (SeqCache *) flinfo->fn_extra;
	MemoryContext old;

	if (c != NULL && c->len == st->pattern_len && c->nconditions == st->nconditions &&
		memcmp(c->text, st->pattern, st->pattern_len) == 0)
		return &c->pattern;
	old = MemoryContextSwitchTo(flinfo->fn_mcxt);
	if (c != NULL)
	{
		/* a parse that failed left NULLs behind */
		if (c->text)
			pfree(c->text);
		if (c->pattern.actions)
			pfree(c->pattern.actions);
		if (c->pattern.states)
			pfree(c->pattern.states);
		memset(c, 0, sizeof(SeqCache));
	}
	else
		c = palloc0(sizeof(SeqCache));
	flinfo->fn_extra = c;
	c->len = 0;					/* invalid until parsed */
	c->text = palloc(st->pattern_len + 1);
	memcpy(c->text, st->pattern, st->pattern_len);
	c->nconditions = st->nconditions;
	SeqParse(st->pattern, st->pattern_len, st->nconditions, &c->pattern);
	c->len = st->pattern_len;
	MemoryContextSwitchTo(old);
	return &c->pattern;
}


/* The state */

static SeqState *
SeqCreate(int32 nconditions, const char *pattern, int32 pattern_len, int64 capacity)
{
	SeqState   *st = palloc0(sizeof(SeqState));

	st->nconditions = nconditions;
	st->pattern_len = pattern_len;
	st->pattern = palloc(pattern_len + 1);
	memcpy(st->pattern, pattern, pattern_len);
	st->pattern[pattern_len] = '\0';
	st->capacity = Max(capacity, 8);
	st->events = palloc_extended(sizeof(SeqEvent) * st->capacity, MCXT_ALLOC_HUGE);
	return st;
}

static void
SeqReserve(SeqState *st, int64 n)
{
	int64		need = st->nevents + n;

	if (need <= st->capacity)
		return;
	if (need > (int64) SEQ_MAX_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many events for one sequence entity: " INT64_FORMAT, need)));
	st->capacity = Min(Max(need, st->capacity * 2), (int64) SEQ_MAX_EVENTS);
	st->events = repalloc_huge(st->events, sizeof(SeqEvent) * st->capacity);
}

static void
SeqCheckConditions(int64 n)
{
	if (n < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a sequence needs at least one condition")));
	if (n > SEQ_MAX_CONDITIONS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a sequence has at most %d conditions, not " INT64_FORMAT,
						SEQ_MAX_CONDITIONS, n),
				 errhint("ClickHouse's sequenceMatch has the same limit.")));
}

/*
 * sequence_state_accum(state, pattern, ts, VARIADIC conditions): the
 * transition of sequence_match and sequence_count.  Rows with a NULL
 * timestamp (or a NULL array of conditions) are skipped, NULL conditions
 * are false; the pattern is the first row's and must not be NULL.
 */
Datum
sequence_state_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	SeqState   *st = PG_ARGISNULL(0) ? NULL : (SeqState *) PG_GETARG_POINTER(0);
	uint64		mask;
	int64		n;
	bool		in_array;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "sequence_state_accum called in non-aggregate context");
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("sequence pattern must not be null")));
	in_array = FunnelStepsInArray(fcinfo, 3, "sequence condition", "sequence conditions");
	if (PG_ARGISNULL(2))
		FUNNEL_RETURN_STATE(st);
	n = FunnelReadSteps(fcinfo, in_array, 3, &mask, 1, "sequence conditions");
	if (n < 0)
		FUNNEL_RETURN_STATE(st);

	if (st == NULL)
	{
		text	   *pattern = PG_GETARG_TEXT_PP(1);
		MemoryContext old;
		SeqPattern	check;

		SeqCheckConditions(n);
		/* an invalid pattern fails on the first row, not at the end */
		SeqParse(VARDATA_ANY(pattern), VARSIZE_ANY_EXHDR(pattern), (int) n, &check);
		pfree(check.actions);
		pfree(check.states);
		old = MemoryContextSwitchTo(aggcontext);
		st = SeqCreate((int32) n, VARDATA_ANY(pattern), VARSIZE_ANY_EXHDR(pattern), 8);
		MemoryContextSwitchTo(old);
	}
	if (n != st->nconditions)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sequence condition count changed from %d to " INT64_FORMAT " within one aggregate",
						st->nconditions, n)));

	/* as ClickHouse, only the rows that satisfy a condition are events */
	if (mask != 0)
	{
		TimestampTz ts = PG_GETARG_TIMESTAMPTZ(2);

		if (TIMESTAMP_NOT_FINITE(ts))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("sequence event timestamp must be finite, not %s",
							timestamptz_to_str(ts))));
		SeqReserve(st, 1);
		st->events[st->nevents].ts = ts;
		st->events[st->nevents].mask = (uint32) mask;
		st->nevents++;
		st->met |= (uint32) mask;
	}
	PG_RETURN_POINTER(st);
}

/* sequence_state_combine(a, b): the events of both */
Datum
sequence_state_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	SeqState   *a = PG_ARGISNULL(0) ? NULL : (SeqState *) PG_GETARG_POINTER(0);
	SeqState   *b = PG_ARGISNULL(1) ? NULL : (SeqState *) PG_GETARG_POINTER(1);
	MemoryContext old;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "sequence_state_combine called in non-aggregate context");
	if (b == NULL)
		FUNNEL_RETURN_STATE(a);
	/* a state deserialized into the aggregate's context can be taken over */
	if (a == NULL && GetMemoryChunkContext(b) == aggcontext)
		PG_RETURN_POINTER(b);
	old = MemoryContextSwitchTo(aggcontext);
	if (a == NULL)
		a = SeqCreate(b->nconditions, b->pattern, b->pattern_len, b->nevents);
	else if (a->nconditions != b->nconditions)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge sequence states with %d and %d conditions",
						a->nconditions, b->nconditions)));
	SeqReserve(a, b->nevents);
	memcpy(a->events + a->nevents, b->events, sizeof(SeqEvent) * b->nevents);
	a->nevents += b->nevents;
	a->met |= b->met;
	MemoryContextSwitchTo(old);
	if (GetMemoryChunkContext(b) == aggcontext)
	{
		pfree(b->events);
		pfree(b->pattern);
		pfree(b);
	}
	PG_RETURN_POINTER(a);
}

/*
 * Serialized form, for parallel workers only (never stored): int32
 * nconditions, int32 met, int32 pattern length and its bytes, int64
 * nevents, then per event int64 ts and int32 mask.
 */
Datum
sequence_state_serialize(PG_FUNCTION_ARGS)
{
	SeqState   *st = (SeqState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int64		i;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, st->nconditions);
	pq_sendint32(&buf, st->met);
	pq_sendint32(&buf, st->pattern_len);
	pq_sendbytes(&buf, st->pattern, st->pattern_len);
	pq_sendint64(&buf, st->nevents);
	for (i = 0; i < st->nevents; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_sendint64(&buf, st->events[i].ts);
		pq_sendint32(&buf, st->events[i].mask);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
sequence_state_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcontext,
				old;
	StringInfoData buf;
	SeqState   *st;
	int32		nconditions,
				pattern_len;
	uint32		met,
				all;
	const char *pattern;
	int64		nevents,
				i;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "sequence_state_deserialize called in non-aggregate context");
	KpiReadBuffer(&buf, data);
	nconditions = pq_getmsgint(&buf, 4);
	met = (uint32) pq_getmsgint(&buf, 4);
	pattern_len = pq_getmsgint(&buf, 4);
	if (nconditions < 1 || nconditions > SEQ_MAX_CONDITIONS ||
		pattern_len < 0 || pattern_len > buf.len - buf.cursor)
		elog(ERROR, "sequence state from a parallel worker is corrupt");
	all = nconditions == 32 ? PG_UINT32_MAX : ((uint32) 1 << nconditions) - 1;
	pattern = pq_getmsgbytes(&buf, pattern_len);
	nevents = pq_getmsgint64(&buf);
	if (nevents < 0 || nevents > (buf.len - buf.cursor) / 12 || (met & ~all) != 0)
		elog(ERROR, "sequence state from a parallel worker is corrupt");
	/* in the aggregate's context, so that sequence_state_combine can keep it */
	old = MemoryContextSwitchTo(aggcontext);
	st = SeqCreate(nconditions, pattern, pattern_len, nevents);
	MemoryContextSwitchTo(old);
	for (i = 0; i < nevents; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		st->events[i].ts = pq_getmsgint64(&buf);
		st->events[i].mask = (uint32) pq_getmsgint(&buf, 4);
		if (st->events[i].mask == 0 || (st->events[i].mask & ~met) != 0)
			elog(ERROR, "sequence state from a parallel worker is corrupt");
	}
	pq_getmsgend(&buf);
	st->nevents = nevents;
	st->met = met;
	PG_RETURN_POINTER(st);
}


/* Matching */

/*
 * Time order.  ClickHouse sorts by time only, in no defined order among
 * equal times ("events at the same second may lay in the sequence in an
 * undefined order"); we take them in the order of their condition bits
 * (events satisfying condition 1 first), the same however the rows arrive
 * or parallel workers split them.
 */
static int
SeqEventCmp(const void *a, const void *b)
{
	const SeqEvent *x = (const SeqEvent *) a;
	const SeqEvent *y = (const SeqEvent *) b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->mask < y->mask ? -1 : x->mask > y->mask ? 1 : 0;
}

static void
SeqSort(SeqState *st)
{
	int64		i;

	/* sorted in place: the same events, so the state stays valid */
	for (i = 1; i < st->nevents; i++)
		if (SeqEventCmp(&st->events[i - 1], &st->events[i]) > 0)
			break;
	if (i < st->nevents)
		qsort(st->events, st->nevents, sizeof(SeqEvent), SeqEventCmp);
}

/*
 * A pattern without time constraints, on the automaton (ClickHouse's
 * dfaMatch): the set of states reached after each event, until the last
 * state is reached or no state is left.  Time O(events x states).
 */
static bool
SeqDfaMatch(const SeqPattern *p, const SeqEvent *ev, int64 n)
{
	bool	   *active = palloc0(sizeof(bool) * p->nstates);
	bool	   *next = palloc(sizeof(bool) * p->nstates);
	int			nactive = 1;
	int64		e;
	bool		matched;

	active[0] = true;
	for (e = 0; e < n && nactive > 0 && !active[p->nstates - 1]; e++)
	{
		bool	   *swap;
		int			s;

		if ((e & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		memset(next, 0, sizeof(bool) * p->nstates);
		nactive = 0;
		for (s = 0; s < p->nstates; s++)
		{
			if (!active[s])
				continue;
			if (p->states[s].any || (p->states[s].bit & ev[e].mask) != 0)
			{
				next[s + 1] = true;
				nactive++;
			}
			if (p->states[s].loop)
			{
				next[s] = true;
				nactive++;
			}
		}
		swap = active;
		active = next;
		next = swap;
	}
	matched = active[p->nstates - 1];
	pfree(active);
	pfree(next);
	return matched;
}

/* Microseconds from earlier to later (later >= earlier), PG_INT64_MAX beyond */
static inline int64
SeqElapsed(TimestampTz later, TimestampTz earlier)
{
	int64		d;

	if (pg_sub_s64_overflow(later, earlier, &d))
		return PG_INT64_MAX;
	return d;
}

typedef struct SeqChoice
{
	int			action;
	int64		event;
	int64		base;
} SeqChoice;

/* The choice points of a backtracking match */
typedef struct SeqStack
{
	SeqChoice  *items;
	int			depth;
	int			capacity;
} SeqStack;

static inline void
SeqPush(SeqStack *s, int a, int64 e, int64 base)
{
	if (s->depth == s->capacity)
	{
		/* at most one choice point per step: bounded by the step limit */
		s->capacity *= 2;
		s->items = repalloc(s->items, sizeof(SeqChoice) * s->capacity);
	}
	s->items[s->depth].action = a;
	s->items[s->depth].event = e;
	s->items[s->depth].base = base;
	s->depth++;
}

/* Back to the latest choice point with an event left after its own */
static inline bool
SeqBack(SeqStack *s, int64 n, int *a, int64 *e, int64 *base)
{
	while (s->depth > 0)
	{
		SeqChoice  *c = &s->items[--s->depth];

		*a = c->action;
		*e = c->event + 1;
		*base = c->base;
		if (*e < n)
			return true;
	}
	return false;
}

/* Does the time from the base event to event e satisfy the constraint? */
static inline bool
SeqTimeOk(const SeqAction *act, const SeqEvent *ev, int64 e, int64 base)
{
	int64		d = SeqElapsed(ev[e].ts, ev[base].ts);

	switch (act->type)
	{
		case SEQ_TIME_LE:
			return d <= act->usecs;
		case SEQ_TIME_LT:
			return d < act->usecs;
		case SEQ_TIME_GE:
			return d >= act->usecs;
		case SEQ_TIME_GT:
			return d > act->usecs;
		default:
			return d == act->usecs;
	}
}

/*
 * ClickHouse's backtracking matcher (backtrackingMatch), from event *pos.
 * .* and each satisfied time constraint record a choice point.  An event
 * that fails its condition, or an upper bound (<=, <) not met, returns to
 * the latest choice point, one event further on; a lower bound (>=, >, ==)
 * not met tries the next event.  A time constraint compares the event it
 * stands at with the event matched before it (base), so the events in
 * between are skipped.  Unmatched trailing .*, <=, < and >= 0 match nothing.
 * On return *pos is where a further search starts: past the match, and
 * never where this one began.  More than 1,000,000 steps is an error, as in
 * ClickHouse.
 */
static bool
SeqBacktrack(const SeqPattern *p, const SeqEvent *ev, int64 n, int64 *pos)
{
	SeqStack	stack;
	int			a = 0;
	int64		e = *pos,
				base = *pos,
				steps = 0;
	const int64 begin = *pos;

	stack.depth = 0;
	stack.capacity = 64;
	stack.items = palloc(sizeof(SeqChoice) * stack.capacity);
	while (a < p->nactions && e < n)
	{
		const SeqAction *act = &p->actions[a];

		switch (act->type)
		{
			case SEQ_EVENT:
				if ((ev[e].mask & act->bit) != 0)
				{
					base = e;
					a++;
					e++;
				}
				else if (!SeqBack(&stack, n, &a, &e, &base))
					goto done;
				break;
			case SEQ_ANY:
				base = e;
				a++;
				e++;
				break;
			case SEQ_STAR:
				SeqPush(&stack, a, e, base);
				base = e;
				a++;
				break;
			case SEQ_TIME_LE:
			case SEQ_TIME_LT:
				if (SeqTimeOk(act, ev, e, base))
				{
					SeqPush(&stack, a, e, base);
					base = e;
					a++;
				}
				else if (!SeqBack(&stack, n, &a, &e, &base))
					goto done;
				break;
			case SEQ_TIME_GE:
			case SEQ_TIME_GT:
			case SEQ_TIME_EQ:
				if (SeqTimeOk(act, ev, e, base))
				{
					SeqPush(&stack, a, e, base);
					base = e;
					a++;
				}
				else if (++e == n && !SeqBack(&stack, n, &a, &e, &base))
					goto done;
				break;
		}
		if (++steps > SEQ_MAX_ITERATIONS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("sequence pattern needs more than %d matching steps for one entity",
							SEQ_MAX_ITERATIONS),
					 errhint("ClickHouse's sequenceMatch gives up at the same limit; fewer events per entity, or fewer .* and time conditions, take fewer steps.")));
		if ((steps & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
done:
	pfree(stack.items);
	/* trailing elements that match no event */
	while (a < p->nactions &&
		   (p->actions[a].type == SEQ_STAR || p->actions[a].type == SEQ_TIME_LE ||
			p->actions[a].type == SEQ_TIME_LT ||
			(p->actions[a].type == SEQ_TIME_GE && p->actions[a].usecs == 0)))
		a++;
	if (e == begin)
		e++;
	*pos = e;
	return a == p->nactions;
}

/* Are all the conditions the pattern names met by some event? */
static inline bool
SeqConditionsMet(const SeqPattern *p, const SeqState *st)
{
	return (p->conditions & st->met) == p->conditions;
}

/* sequence_match final: does some chain of events match the pattern? */
Datum
sequence_match_final(PG_FUNCTION_ARGS)
{
	SeqState   *st;
	const SeqPattern *p;
	int64		pos = 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (SeqState *) PG_GETARG_POINTER(0);
	p = SeqCachedPattern(fcinfo, st);
	if (!SeqConditionsMet(p, st))
		PG_RETURN_BOOL(false);
	SeqSort(st);
	if (!p->has_time)
		PG_RETURN_BOOL(SeqDfaMatch(p, st->events, st->nevents));
	PG_RETURN_BOOL(SeqBacktrack(p, st->events, st->nevents, &pos));
}

/* sequence_count final: the number of non-overlapping matches */
Datum
sequence_count_final(PG_FUNCTION_ARGS)
{
	SeqState   *st;
	const SeqPattern *p;
	int64		pos = 0,
				count = 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (SeqState *) PG_GETARG_POINTER(0);
	p = SeqCachedPattern(fcinfo, st);
	if (!SeqConditionsMet(p, st))
		PG_RETURN_INT64(0);
	SeqSort(st);
	while (pos < st->nevents && SeqBacktrack(p, st->events, st->nevents, &pos))
	{
		CHECK_FOR_INTERRUPTS();
		count++;
	}
	PG_RETURN_INT64(count);
}
