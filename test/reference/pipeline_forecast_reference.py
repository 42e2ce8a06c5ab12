#!/usr/bin/env python3
"""Expected values of the forecast part of sql/pipeline_changes.sql
(stage_win_rates, pipeline_forecast), computed without crm_kpi.

Stage-to-won rates: the stage conversion matrix as an absorbing Markov chain
(each stage's next-stage shares among the deals that left it; won and lost
absorb).  The rate of a stage is P(absorbed in won) / P(absorbed in won or
lost), solved here exactly in fractions by Gauss-Jordan elimination of
(I - Q) x = r over the stages that reach an outcome (crm_kpi iterates
instead).  Along a linear funnel it is the product of the conversion rates.

Forecast: each open deal is won with its stage's rate p (a Bernoulli); the
rate is uncertain, Beta-distributed with mean p and n + 1 pseudo-observations
(alpha = p (n + 1), beta = (1 - p) (n + 1)) and shared by the deals of its
stage.  E[W] and Var[W] are computed here by numerical integration over each
stage's Beta density (mpmath.quad) of E[W_s | p] = p A_s and
E[W_s^2 | p] = p (1 - p) B_s + p^2 A_s^2 -- not from crm_kpi's closed form
(doc/pipeline.md) -- and the stages, independent, add.  The 95 % interval is
E[W] +/- 1.959963984540054 sd (statistics.NormalDist), clipped to
[0, pipeline].
Run: python3 pipeline_forecast_reference.py
"""
from fractions import Fraction
from statistics import NormalDist

import mpmath

mpmath.mp.dps = 40


def win_rates(edges, won='won', lost='lost'):
    """edges: (from, to, deals) of the moves between stages."""
    stages = sorted({f for f, _, _ in edges} | {t for _, t, _ in edges})
    left = {s: sum(d for f, _, d in edges if f == s) for s in stages}
    transient = [s for s in stages if s not in (won, lost) and left[s] > 0]

    def reaches(target):
        # stages from which target can be reached (graph search)
        seen = {target}
        changed = True
        while changed:
            changed = False
            for f, t, d in edges:
                if d > 0 and t in seen and f not in seen and f in transient:
                    seen.add(f)
                    changed = True
        return seen

    live = [s for s in transient if s in reaches(won) | reaches(lost)]

    def absorb(target):
        # solve x_s = sum_t q(s,t) x_t over live stages, x_target = 1
        n = len(live)
        idx = {s: i for i, s in enumerate(live)}
        m = [[Fraction(0)] * (n + 1) for _ in range(n)]
        for s in live:
            i = idx[s]
            m[i][i] += 1
            for f, t, d in edges:
                if f != s:
                    continue
                q = Fraction(d, left[s])
                if t == target:
                    m[i][n] += q
                elif t in idx:
                    m[i][idx[t]] -= q
        for c in range(n):
            p = next(r for r in range(c, n) if m[r][c] != 0)
            m[c], m[p] = m[p], m[c]
            for r in range(n):
                if r != c and m[r][c] != 0:
                    k = m[r][c] / m[c][c]
                    m[r] = [a - k * b for a, b in zip(m[r], m[c])]
        return {s: m[idx[s]][n] / m[idx[s]][idx[s]] for s in live}

    pw, pl = absorb(won), absorb(lost)
    out = []
    for s in stages:
        if s in (won, lost):
            continue
        rate = None
        if s in live and pw[s] + pl[s] > 0:
            rate = pw[s] / (pw[s] + pl[s])
        out.append((s, rate, left[s]))
    return out


def show_rates(name, edges):
    print(name)
    for s, rate, deals in win_rates(edges):
        print('  %-10s %-8s %.15g deals %d' % (s, rate, float(rate) if rate is not None else float('nan'), deals))


def forecast(deals):
    """deals: (amount, probability, stage, rate, n) -- stage None: own rate."""
    pipeline = sum(a for a, *_ in deals)
    weighted = sum(a * pr for a, pr, *_ in deals if pr is not None)
    groups = {}
    mean = mpmath.mpf(0)
    var = mpmath.mpf(0)
    for a, pr, stage, rate, n in deals:
        if rate is None:
            continue
        key = stage if stage is not None else ('own', id(a), a, pr)
        groups.setdefault(key, []).append((mpmath.mpf(a), mpmath.mpf(rate.numerator) / rate.denominator, n))
    for key, items in groups.items():
        p, n = items[0][1], items[0][2]
        A = sum(a for a, _, _ in items)
        B = sum(a * a for a, _, _ in items)

        def moments(q):
            return q * A, q * (1 - q) * B + q * q * A * A
        if n is None or isinstance(key, tuple):
            m1, m2 = moments(p)
        else:
            al, be = p * (n + 1), (1 - p) * (n + 1)
            norm = mpmath.beta(al, be)
            dens = lambda q: q ** (al - 1) * (1 - q) ** (be - 1) / norm
            m1 = mpmath.quad(lambda q: moments(q)[0] * dens(q), [0, p, 1])
            m2 = mpmath.quad(lambda q: moments(q)[1] * dens(q), [0, p, 1])
        mean += m1
        var += m2 - m1 * m1
    sd = mpmath.sqrt(var)
    z = NormalDist().inv_cdf(0.975)
    lower = max(mpmath.mpf(0), mean - z * sd)
    upper = min(mpmath.mpf(pipeline), mean + z * sd)
    print('forecast: deals %d pipeline %s weighted %s' % (len(deals), pipeline, round(weighted, 10)))
    for name, v in (('expected', mean), ('std_error', sd), ('lower', lower), ('upper', upper)):
        print('  %-9s %s' % (name, mpmath.nstr(v, 15)))


# M1: a linear funnel; the deals still in a stage (to_stage NULL) are left out
M1 = [('lead', 'qualified', 60), ('lead', 'lost', 30),
      ('qualified', 'proposal', 40), ('qualified', 'lost', 15),
      ('proposal', 'won', 20), ('proposal', 'lost', 15)]
# M2: a loop (a <-> b), a skip to won, a closed loop c <-> d with no outcome
M2 = [('a', 'b', 50), ('a', 'won', 10), ('a', 'lost', 40),
      ('b', 'a', 20), ('b', 'won', 30), ('b', 'lost', 50),
      ('c', 'd', 5), ('d', 'c', 5)]

if __name__ == '__main__':
    show_rates('M1', M1)
    show_rates('M2', M2)
    # open deals: proposal (rate 4/7 of 35 deals) 1000 and 2000; qualified
    # (32/77 of 55) 500; a deal with a rate of its own 0.5, n NULL, 300; a
    # deal without a rate 700
    forecast([(1000, 0.6, 'proposal', Fraction(4, 7), 35),
              (2000, 0.6, 'proposal', Fraction(4, 7), 35),
              (500, 0.3, 'qualified', Fraction(32, 77), 55),
              (300, 0.5, None, Fraction(1, 2), None),
              (700, None, 'x', None, None)])
    # twenty deals: ten of 1000 in proposal (4/7 of 350 deals), ten of 500 in
    # qualified (32/77 of 550 deals): an interval inside [0, pipeline]
    forecast([(1000, 0.6, 'proposal', Fraction(4, 7), 350)] * 10 +
             [(500, 0.3, 'qualified', Fraction(32, 77), 550)] * 10)
