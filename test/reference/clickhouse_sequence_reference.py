#!/usr/bin/env python3
"""ClickHouse's sequenceMatch / sequenceCount, re-implemented from its source (python3 stdlib only).

A port of parsePattern, dfaMatch, backtrackingMatch and the two
insertResultInto of ClickHouse/ClickHouse
src/AggregateFunctions/AggregateFunctionSequenceMatch.h at commit
00b7432bc3c55dc83b116bb5da0863d2a8066847 (only the rows that satisfy a
condition are events; the conditions the pattern names must all be met; a
pattern without time conditions runs on the automaton for sequenceMatch;
sequenceCount repeats the backtracking match from where the last one ended).
couldMatchDeterministicParts is left out: its lambda captures the pattern
bounds by value before they are set, so it always answers true there.  The
events of an entity get distinct timestamps, since ClickHouse orders equal
ones in no defined order.  It writes random entities and patterns and the
result of both functions; sql/conversion_sequence.sql compares.

Usage: python3 test/reference/clickhouse_sequence_reference.py [test/data]
Writes clickhouse_sequence_events.csv (entity, ts, mask: bit N-1 set when the
row satisfies condition N, 0 for a row of no condition) and
clickhouse_sequence_results.csv (entity, pattern, matched, counted).
"""
import csv
import os
import random
import sys

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'data')
MAX_ITERATIONS = 1000000


def parse(pattern):
    """Actions (type, extra) after an implicit .*, and the automaton's states
    [has_kleene, transition ('none', 'event', 'any'), event]."""
    actions = [('star', 0)]
    states = [[True, 'none', 0]]
    has_time = False
    conditions = 0
    pos = 0
    while pos < len(pattern):
        if pattern.startswith('(?t', pos):
            pos += 3
            for op in ('<=', '<', '>=', '>', '=='):
                if pattern.startswith(op, pos):
                    pos += len(op)
                    break
            else:
                raise ValueError(pattern)
            end = pattern.index(')', pos)
            actions.append((op, int(pattern[pos:end])))
            has_time = True
            pos = end + 1
        elif pattern.startswith('(?', pos):
            end = pattern.index(')', pos)
            n = int(pattern[pos + 2:end])
            actions.append(('event', n - 1))
            states[-1][1] = 'event'
            states[-1][2] = n - 1
            states.append([False, 'none', 0])
            conditions |= 1 << (n - 1)
            pos = end + 1
        elif pattern.startswith('.*', pos):
            actions.append(('star', 0))
            states[-1][0] = True
            pos += 2
        elif pattern.startswith('.', pos):
            actions.append(('any', 0))
            states[-1][1] = 'any'
            states.append([False, 'none', 0])
            pos += 1
        else:
            raise ValueError(pattern)
    return actions, states, has_time, conditions


def dfa_match(states, events):
    active = [False] * len(states)
    active[0] = True
    n_active = 1
    i = 0
    while i < len(events) and n_active > 0 and not active[-1]:
        n_active = 0
        nxt = [False] * len(states)
        for s, (kleene, transition, event) in enumerate(states):
            if not active[s]:
                continue
            if transition == 'any':
                nxt[s + 1] = True
                n_active += 1
            elif transition == 'event' and events[i][1] >> event & 1:
                nxt[s + 1] = True
                n_active += 1
            if kleene:
                nxt[s] = True
                n_active += 1
        active = nxt
        i += 1
    return active[-1]


def time_ok(op, d, extra):
    return {'<=': d <= extra, '<': d < extra, '>=': d >= extra, '>': d > extra, '==': d == extra}[op]


def backtracking_match(actions, events, start):
    """Returns (matched, where the next search starts)."""
    n = len(events)
    a, e, base = 0, start, start
    stack = []

    def back():
        nonlocal a, e, base
        while stack:
            a, e0, base = stack.pop()
            e = e0 + 1
            if e != n:
                return True
        return False

    i = 0
    while a < len(actions) and e < n:
        kind, extra = actions[a]
        if kind == 'event':
            if events[e][1] >> extra & 1:
                base = e
                a += 1
                e += 1
            elif not back():
                break
        elif kind == 'any':
            base = e
            a += 1
            e += 1
        elif kind == 'star':
            stack.append((a, e, base))
            base = e
            a += 1
        elif kind in ('<=', '<'):
            if time_ok(kind, events[e][0] - events[base][0], extra):
                stack.append((a, e, base))
                base = e
                a += 1
            elif not back():
                break
        else:
            if time_ok(kind, events[e][0] - events[base][0], extra):
                stack.append((a, e, base))
                base = e
                a += 1
            else:
                e += 1
                if e == n and not back():
                    break
        i += 1
        if i > MAX_ITERATIONS:
            raise RuntimeError('TOO_SLOW')
    while a < len(actions) and (actions[a][0] in ('star', '<=', '<') or actions[a] == ('>=', 0)):
        a += 1
    if e == start:
        e += 1
    return a == len(actions), e


def sequence(pattern, rows):
    actions, states, has_time, conditions = parse(pattern)
    events = sorted((ts, mask) for ts, mask in rows if mask)
    met = 0
    for _, mask in events:
        met |= mask
    if conditions & met != conditions:
        return False, 0
    matched = backtracking_match(actions, events, 0)[0] if has_time else dfa_match(states, events)
    count, pos = 0, 0
    while pos < len(events):
        ok, pos = backtracking_match(actions, events, pos)
        if not ok:
            break
        count += 1
    return matched, count


def random_pattern(rnd):
    out = []
    prev_time = False       # the implicit leading .* lets a pattern open with a time condition
    for _ in range(rnd.randint(1, 6)):
        r = rnd.random()
        if r < 0.45:
            out.append('(?%d)' % rnd.randint(1, 3))
            prev_time = False
        elif r < 0.6:
            out.append('.')
            prev_time = False
        elif r < 0.75:
            out.append('.*')
            prev_time = False
        elif not prev_time:
            out.append('(?t%s%d)' % (rnd.choice(('<=', '<', '>=', '>', '==')), rnd.choice((0, 1, 2, 3, 5, 10))))
            prev_time = True
    return ''.join(out)


def main():
    rnd = random.Random(15)
    with open(os.path.join(DATA, 'clickhouse_sequence_events.csv'), 'w', newline='') as fe, \
            open(os.path.join(DATA, 'clickhouse_sequence_results.csv'), 'w', newline='') as fr:
        we = csv.writer(fe, lineterminator='\n')
        wr = csv.writer(fr, lineterminator='\n')
        we.writerow(['entity', 'ts', 'mask'])
        wr.writerow(['entity', 'pattern', 'matched', 'counted'])
        for entity in range(1, 401):
            times = sorted(rnd.sample(range(0, 30), rnd.randint(1, 12)))
            rows = []
            for ts in times:
                r = rnd.random()
                mask = 0 if r < 0.15 else 1 << rnd.randrange(3) if r < 0.75 else rnd.randrange(1, 8)
                rows.append((ts, mask))
                we.writerow([entity, ts, mask])
            for _ in range(5):
                pattern = random_pattern(rnd)
                matched, counted = sequence(pattern, rows)
                wr.writerow([entity, pattern, 't' if matched else 'f', counted])


if __name__ == '__main__':
    main()
