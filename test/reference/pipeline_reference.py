#!/usr/bin/env python3
"""Expected values of sql/pipeline.sql, computed from the published
definitions with Python's standard library only (not with crm_kpi).

Pipeline (Triblio's pipeline velocity calculator; Ooligo, "Pipeline velocity"):
  win rate = won / (won + lost); average deal size = won amount / won deals;
  sales cycle = closed - created (days) of won deals;
  velocity = open deals * win rate * average deal size / average cycle.
Wilson interval (Wilson 1927), z = NormalDist().inv_cdf(0.5 + level / 2).
Sketch medians: DDSketch (Masson, Rim & Lee, VLDB 2019) with alpha = 0.01:
  gamma = (1 + alpha) / (1 - alpha), key(x) = ceil(ln x / ln gamma),
  value(key) = 2 gamma^key / (gamma + 1); a quantile is percentile_cont's
  interpolation between the values of ranks floor(h), ceil(h), h = q (n - 1).
Run: python3 pipeline_reference.py
"""
import math
from datetime import date
from fractions import Fraction
from statistics import NormalDist, median

ALPHA = 0.01
GAMMA = (1 + ALPHA) / (1 - ALPHA)


def key(x):
    return math.ceil(math.log(x) / math.log(GAMMA))


def value(k):
    return 2 * GAMMA ** k / (GAMMA + 1)


def sketch_quantile(xs, q):
    est = sorted(0.0 if x == 0 else value(key(x)) for x in xs)
    h = q * (len(est) - 1)
    lo = math.floor(h)
    if h > lo:
        return est[lo] + (h - lo) * (est[lo + 1] - est[lo])
    return est[lo]


def wilson(k, n, level=0.95):
    z = NormalDist().inv_cdf(0.5 + level / 2)
    p = k / n
    denom = 1 + z * z / n
    center = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (0.0 if k == 0 else max(0.0, center - half),
            1.0 if k == n else min(1.0, center + half))


# Section 1 of sql/pipeline.sql: ten deals
# (amount, probability, created, closed, outcome)
DEALS = [
    (1000.00, 0.20, date(2025, 1, 1), None, 'open'),
    (500.00, 0.50, date(2025, 1, 5), None, 'open'),
    (2500.50, 0.90, date(2025, 2, 1), None, 'open'),
    (2000.00, None, date(2025, 1, 1), date(2025, 1, 31), 'won'),
    (3000.00, None, date(2025, 1, 1), date(2025, 3, 2), 'won'),
    (100.00, None, date(2025, 2, 1), date(2025, 2, 11), 'won'),
    (0.00, None, date(2025, 2, 3), date(2025, 2, 3), 'won'),
    (1250.25, None, date(2025, 1, 15), None, 'won'),
    (700.00, None, date(2025, 1, 10), date(2025, 1, 20), 'lost'),
    (900.00, None, date(2025, 1, 12), date(2025, 2, 12), 'lost'),
]

open_ = [d for d in DEALS if d[4] == 'open']
won = [d for d in DEALS if d[4] == 'won']
lost = [d for d in DEALS if d[4] == 'lost']
cycles = [(d[3] - d[2]).days for d in won if d[3] is not None]

open_pipeline = sum(Fraction(str(d[0])) for d in open_)
weighted = sum(Fraction(str(d[0])) * Fraction(str(d[1])) for d in open_)
win_rate = Fraction(len(won), len(won) + len(lost))
avg_size = sum(Fraction(str(d[0])) for d in won) / len(won)
avg_cycle = Fraction(sum(cycles), len(cycles))
velocity = len(open_) * win_rate * avg_size / avg_cycle

print('open deals', len(open_), 'won', len(won), 'lost', len(lost))
print('open pipeline', float(open_pipeline), 'weighted', float(weighted))
print('won amount', float(sum(Fraction(str(d[0])) for d in won)),
      'lost amount', float(sum(Fraction(str(d[0])) for d in lost)))
print('win rate', float(win_rate), 'wilson 95', wilson(len(won), len(won) + len(lost)),
      'wilson 90', wilson(len(won), len(won) + len(lost), 0.90))
print('average deal size', float(avg_size))
print('median deal size: exact', median(d[0] for d in won),
      'sketch', repr(sketch_quantile([d[0] for d in won], 0.5)))
print('deal size quantile 0.9 sketch', repr(sketch_quantile([d[0] for d in won], 0.9)))
print('cycles', cycles, 'average', float(avg_cycle))
print('median cycle: exact', median(cycles), 'sketch', repr(sketch_quantile(cycles, 0.5)))
print('velocity', float(velocity), '=', velocity)
print('coverage of quota 2000:', float(open_pipeline / 2000), 'weighted', float(weighted / 2000))

# Published Wilson vectors (codegolf.stackexchange.com question 105389), as
# a check of wilson()
for k, f in ((0, 1), (1, 1), (10, 90), (50, 50)):
    print('wilson', k, f, wilson(k, k + f, NormalDist().cdf(1.96) * 2 - 1))

# win_proportion: closed in January (1 won of 2) against February and later
# (3 of 4), pooled two-proportion z test
k1, n1, k2, n2 = 1, 2, 3, 4
pooled = (k1 + k2) / (n1 + n2)
se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
z = (k1 / n1 - k2 / n2) / se
print('proportion_compare', k1 / n1 - k2 / n2, se, z, 2 * (1 - NormalDist().cdf(abs(z))))
