#!/usr/bin/env python3
"""PostHog's unordered funnel, re-implemented from its source (python3 stdlib only).

A port of AggregateFunnelRowUnordered (loop_prop_val, process_event,
update_max_step) in PostHog/posthog funnel-udf/src/unordered_steps.rs at
commit 8f6eaa2a26a10f00aea73972dc41f207b096eaf4: the events in time order, a
queue per step of its events within the conversion window of the newest
event (an event leaves when oldest + window < newest), the level the number
of non-empty queues at its largest, recorded just before an event leaves or
after the last event, with the earliest event of each queue, sorted, as the
step times.  No breakdown, no exclusion (PostHog empties every queue at an
exclusion event, where crm_kpi ends a window; see doc/conversion.md).

It writes random entities whose rows satisfy one step each (integer-second
timestamps with many ties; the cases where PostHog's and crm_kpi's
definitions coincide, as doc/conversion.md argues) and the level and step
times PostHog's algorithm gives; sql/funnel_unordered.sql checks
window_funnel and funnel_path in mode 'unordered' against them.

Usage: python3 test/reference/posthog_unordered_reference.py [test/data]
Writes posthog_unordered_events.csv (entity, steps, window, row, ts, step) and
posthog_unordered_results.csv (entity, level, times: the step times in
seconds, space-separated).
"""
import collections
import csv
import os
import random
import sys

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'data')


def posthog_unordered(events, num_steps, window):
    """events: [(ts, [steps, 1-based])] in time order; returns (level, times)."""
    queues = [collections.deque() for _ in range(num_steps)]
    state = {'completed': 0, 'max': (0, [])}

    def update_max_step():
        if state['completed'] > state['max'][0]:
            times = sorted(q[0] for q in queues if q)
            state['max'] = (state['completed'], times)

    for i, (ts, steps) in enumerate(events):
        latest = ts
        # evict the oldest events until in the window of the newest
        while True:
            fronts = [(q[0], idx) for idx, q in enumerate(queues) if q]
            if not fronts:
                break
            # Rust's min_by returns the first of equal minima: the lowest step
            oldest_ts, oldest_idx = min(fronts)
            has_completed_funnel = state['completed'] >= num_steps
            if not has_completed_funnel and oldest_ts + window >= latest:
                break
            update_max_step()
            queues[oldest_idx].popleft()
            if not queues[oldest_idx]:
                state['completed'] -= 1
        # the step whose latest event is oldest (an empty queue: 0.0); the
        # first of equal keys, as Rust's min_by_key
        best = None
        for s in steps:
            key = queues[s - 1][-1] if queues[s - 1] else 0.0
            if best is None or key < best[0]:
                best = (key, s)
        step = best[1]
        if not queues[step - 1]:
            state['completed'] += 1
        queues[step - 1].append(ts)
        if state['max'][0] == num_steps:
            break
        if i == len(events) - 1:
            update_max_step()
    return state['max']


def main():
    rng = random.Random(20261206)
    entities = []
    for e in range(1, 601):
        dense = e > 400
        nsteps = rng.choice([1, 2, 3, 4, 5, 7]) if not dense else rng.choice([3, 4, 6])
        window = rng.choice([0, 1, 5, 10, 30])
        nrows = rng.randint(1, 12) if not dense else rng.randint(10, 40)
        span = 60 if not dense else 20
        rows = [(rng.randint(0, span), rng.randint(1, nsteps)) for _ in range(nrows)]
        entities.append((e, nsteps, window, rows))
    with open(os.path.join(DATA, 'posthog_unordered_events.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['entity', 'steps', 'window', 'row', 'ts', 'step'])
        for e, nsteps, window, rows in entities:
            for r, (ts, step) in enumerate(rows):
                w.writerow([e, nsteps, window, r, ts, step])
    with open(os.path.join(DATA, 'posthog_unordered_results.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['entity', 'level', 'times'])
        for e, nsteps, window, rows in entities:
            # PostHog's query sorts the events by timestamp; ties in row order
            events = [(ts, [step]) for r, (ts, step) in sorted(enumerate(rows), key=lambda x: (x[1][0], x[0]))]
            level, times = posthog_unordered(events, nsteps, window)
            w.writerow([e, level, ' '.join(str(t) for t in times)])


if __name__ == '__main__':
    main()
