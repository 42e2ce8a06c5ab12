#!/usr/bin/env python3
"""ClickHouse's windowFunnel, re-implemented from its source (python3 stdlib only).

A line-by-line port of getEventLevel, getEventLevelNonStrictOnce and
getEventLevelStrictOnce, and of the way add() and sort() order the events, in
ClickHouse/ClickHouse src/AggregateFunctions/AggregateFunctionWindowFunnel.cpp
at commit 0215c755e1a36a1697e84e7a1f31602cb89884a4 (modes strict_order,
strict_deduplication, strict_increase, strict_once, allow_reentry).  It writes
random entities (integer-second timestamps with many ties, rows satisfying
several steps; 1,200 sparse, 600 dense) and the level ClickHouse's algorithm gives each of them under
every combination of modes; sql/funnel_clickhouse.sql checks window_funnel
against them.

Usage: python3 test/reference/clickhouse_funnel_reference.py [test/data]
Writes clickhouse_funnel_events.csv (entity, steps, window, row, ts, mask:
bit k-1 set when the row satisfies step k), clickhouse_funnel_modes.csv (i,
mode) and clickhouse_funnel_levels.csv (entity, levels: the level under mode
i is the i-th digit).
"""
import csv
import itertools
import os
import random
import sys

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'data')


def events_list(rows, nsteps, strict_order, strict_once):
    """add(): per row, its steps from the last to the first, (ts, 0) for a row
    of no step under strict_order; strict_once tags each with the row's id.
    sort(): by (ts, step) (std::stable_sort of pairs, or of (ts, type, id))."""
    out = []
    for uid, (ts, mask) in enumerate(rows, start=1):
        has_event = False
        for i in range(nsteps, 0, -1):
            if mask >> (i - 1) & 1:
                out.append((ts, i, uid))
                has_event = True
        if strict_order and not has_event:
            out.append((ts, 0, uid))
    if strict_once:
        out.sort(key=lambda e: (e[0], e[1], e[2]))
    else:
        out.sort(key=lambda e: (e[0], e[1]))    # stable: ties keep add() order
    return out


def level_non_strict_once(events, n, window, so, sd, si, ar):
    ts_ = [None] * n            # (first timestamp, last timestamp) per level
    first_event = False
    for ts, etype, _ in events:
        idx = etype - 1
        if so and idx == -1:
            if first_event:
                break
            continue
        if idx == 0:
            ts_[0] = (ts, ts)
            first_event = True
        elif sd and ts_[idx] is not None:
            for e in range(n, 0, -1):
                if ts_[e - 1] is not None:
                    return e
            return 0
        elif so and first_event and ts_[idx - 1] is None:
            if ar:
                continue
            for e in range(n):
                if ts_[e] is None:
                    return e
        elif ts_[idx - 1] is not None:
            first = ts_[idx - 1][0]
            matched = ts <= first + window
            if si:
                matched = matched and ts_[idx - 1][1] < ts
            if matched:
                ts_[idx] = (first, ts)
                if idx + 1 == n:
                    return n
    for e in range(n, 0, -1):
        if ts_[e - 1] is not None:
            return e
    return 0


def level_strict_once(events, n, window, so, sd, si, ar):
    seqs = [[] for _ in range(n)]   # per level: [first_ts, last_ts, path]
    has_first = False
    for ts, etype, uid in events:
        idx = etype - 1
        if so and idx == -1:
            if has_first:
                break
            continue
        elif idx == 0:
            path = [0] * n
            path[0] = uid
            seqs[0].append([ts, ts, path])
            has_first = True
        elif sd and seqs[idx]:
            for e in range(n, 0, -1):
                if seqs[e - 1]:
                    return e
            return 0
        elif so and has_first and not seqs[idx - 1]:
            if ar:
                continue
            for e in range(n):
                if not seqs[e]:
                    return e
        elif seqs[idx - 1]:
            prev = seqs[idx - 1]
            k = 0
            while k < len(prev):
                first_ts, last_ts, path = prev[k]
                matched = ts <= first_ts + window
                if not matched and len(prev) > 1:
                    del prev[k]         # out of the window, but keep one
                    continue
                prev_path = list(path)
                for j in range(idx):
                    if not matched:
                        break
                    matched = prev_path[j] != uid
                if matched and si:
                    matched = last_ts < ts
                if matched:
                    prev_path[idx] = uid
                    seqs[idx].append([first_ts, ts, prev_path])
                    if idx + 1 == n:
                        return n
                k += 1
    for e in range(n, 0, -1):
        if seqs[e - 1]:
            return e
    return 0


def level(rows, n, window, modes):
    so, sd, si, once, ar = (m in modes for m in
                            ('strict_order', 'strict_deduplication', 'strict_increase', 'strict_once',
                             'allow_reentry'))
    events = events_list(rows, n, so, once)
    if not events:
        return 0
    if not so and n == 1:
        return 1
    f = level_strict_once if once else level_non_strict_once
    return f(events, n, window, so, sd, si, ar)


def mode_sets():
    """Every combination ClickHouse accepts (allow_reentry needs strict_order)."""
    names = ('strict_order', 'strict_deduplication', 'strict_increase', 'strict_once', 'allow_reentry')
    for bits in itertools.product((False, True), repeat=len(names)):
        modes = [m for m, b in zip(names, bits) if b]
        if 'allow_reentry' in modes and 'strict_order' not in modes:
            continue
        yield ', '.join(modes) if modes else 'default'


def main():
    rnd = random.Random(20261206)
    entities = []
    for entity in range(1, 1201):
        n = rnd.choice((1, 2, 3, 3, 4, 4, 5))
        window = rnd.choice((0, 1, 2, 3, 5, 8, 100))
        rows = []
        for _ in range(rnd.randint(1, 12)):
            ts = rnd.randint(0, 12)
            r = rnd.random()
            if r < 0.2:
                mask = 0                                    # no step
            elif r < 0.8:
                mask = 1 << rnd.randrange(n)                # one step
            else:
                mask = rnd.randrange(1, 1 << n)             # any steps
            rows.append((ts, mask))
        entities.append((entity, n, window, rows))
    # 600 more, dense: 4 to 14 rows within 3 s, so that many rows of one
    # instant compete for the steps of strict_once
    for entity in range(1201, 1801):
        n = rnd.choice((2, 3, 4, 5))
        window = rnd.choice((0, 1, 3))
        rows = []
        for _ in range(rnd.randint(4, 14)):
            ts = rnd.randint(0, 3)
            r = rnd.random()
            mask = 0 if r < 0.1 else 1 << rnd.randrange(n) if r < 0.5 else rnd.randrange(1, 1 << n)
            rows.append((ts, mask))
        entities.append((entity, n, window, rows))
    with open(os.path.join(DATA, 'clickhouse_funnel_events.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['entity', 'steps', 'win', 'row', 'ts', 'mask'])
        for entity, n, window, rows in entities:
            for i, (ts, mask) in enumerate(rows, start=1):
                w.writerow([entity, n, window, i, ts, mask])
    modes = list(mode_sets())
    with open(os.path.join(DATA, 'clickhouse_funnel_modes.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['i', 'mode'])
        for i, mode in enumerate(modes, start=1):
            w.writerow([i, mode])
    with open(os.path.join(DATA, 'clickhouse_funnel_levels.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['entity', 'levels'])
        for entity, n, window, rows in entities:
            # one digit per mode, in the order of clickhouse_funnel_modes.csv
            w.writerow([entity, ''.join(str(level(rows, n, window, mode.split(', '))) for mode in modes)])


if __name__ == '__main__':
    main()
