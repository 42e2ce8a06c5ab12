#!/usr/bin/env python3
"""Reference computations for sql/retention.sql, independent of crm_kpi.

Python standard library only.  Run from this directory:

    python3 retention_reference.py

1. Relay Foods cohort table (../data/relayfoods_orders.csv): monthly cohorts by
   each user's first order; for each cohort and month offset k = 0.., the
   number of distinct users of the cohort who ordered in calendar month
   cohort + k.  Written to relayfoods_cohorts.csv (cohort, period, cohort_size,
   retained) for periods 0..11, and the 2009-01 row printed: the published
   table (ethen8181/machine-learning, python/cohort) has 22 users and 8, 10, 9,
   10 of them ordering in months 2-5 (periods 1-4).

2. The same cohorts with "on or after" counts (ordered in month k or later)
   and censored at as_of = 2010-03-01 (a period counts only once it has
   ended): written to relayfoods_cohorts_censored.csv.

3. Intervals and tests of the proportions the retention accessors return,
   printed: the Wilson 95 % interval of 8 of 22 (Relay Foods 2009-01, month
   1) and of 1 of 3 (the MRR example's churn in March), and the pooled
   two-proportion z test of 10 of 100 against 40 of 200 churned customers.
"""
import csv
import math
import os
from statistics import NormalDist
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))


def month_index(iso):
    y, m, _ = iso.split('-')
    return int(y) * 12 + int(m) - 1


def relay_foods():
    orders = defaultdict(set)           # user -> months with an order
    with open(os.path.join(HERE, '..', 'data', 'relayfoods_orders.csv')) as f:
        for row in csv.DictReader(f):
            orders[int(row['user_id'])].add(month_index(row['order_date']))
    cohorts = defaultdict(list)         # first month -> users
    for user, months in orders.items():
        cohorts[min(months)].append(user)

    as_of = month_index('2010-03-01')   # periods ending by then are complete
    plain, censored = [], []
    for c in sorted(cohorts):
        users = cohorts[c]
        name = '%04d-%02d' % (c // 12, c % 12 + 1)
        for k in range(12):
            on = sum(1 for u in users if c + k in orders[u])
            after = sum(1 for u in users if max(orders[u]) >= c + k)
            plain.append((name, k, len(users), on))
            complete = c + k + 1 <= as_of
            censored.append((name, k, len(users), len(users) if complete else 0,
                             on if complete else 0, after if complete else 0))
    return plain, censored


Z95 = NormalDist().inv_cdf(0.975)


def wilson(k, n, z=Z95):
    """Wilson score interval (Wilson 1927)."""
    p = k / n
    center = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(center - half, 0.0), min(center + half, 1.0)


def pooled_z(k1, n1, k2, n2):
    """Two-proportion z test with the pooled standard error."""
    p = (k1 + k2) / (n1 + n2)
    se = math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    diff = k1 / n1 - k2 / n2
    z = diff / se
    return diff, se, z, 2 * (1 - NormalDist().cdf(abs(z)))


def main():
    plain, censored = relay_foods()
    with open(os.path.join(HERE, 'relayfoods_cohorts.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['cohort', 'period', 'cohort_size', 'retained'])
        w.writerows(plain)
    with open(os.path.join(HERE, 'relayfoods_cohorts_censored.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['cohort', 'period', 'cohort_size', 'eligible', 'on', 'on_or_after'])
        w.writerows(censored)
    first = [r for r in plain if r[0] == '2009-01']
    print('2009-01 cohort size', first[0][2], 'retained in periods 1-4:',
          [r[3] for r in first[1:5]])
    print('Wilson 95%% of 8/22: %.12f %.12f' % wilson(8, 22))
    print('Wilson 95%% of 1/3:  %.12f %.12f' % wilson(1, 3))
    print('pooled z of 10/100 vs 40/200: difference %.12f stderr %.12f z %.12f p %.12f'
          % pooled_z(10, 100, 40, 200))


if __name__ == '__main__':
    main()
