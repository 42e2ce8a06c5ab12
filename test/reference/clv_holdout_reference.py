#!/usr/bin/env python3
"""Independent reference for the holdout validation of the CLV family
(sql/clv_holdout.sql): python3 stdlib + mpmath.

From the BTYD CDNOW event log (test/data/btyd_cdnow_elog.csv), split at the
calibration end 1997-09-30 as BTYD's walkthrough does (same-day purchases
merged, weeks, holdout 1997-10-01 .. 1998-06-30 = 39 weeks):
  - each customer's calibration (x, t_x, T) and holdout repeat purchases x*
    (distinct purchase days after the calibration end), checked against the
    team's derived file test/data/cdnow_cbs_holdout.csv (its x_star column);
  - the calibration table: per calibration frequency 0 .. 6 and 7+, the
    customers and the mean actual x*, and the mean BG/NBD conditional
    expectation E[X(39) | x, t_x, T] (Fader, Hardie & Lee 2005 eq. 10) in
    closed form with mpmath's own 2F1 at 30 digits, at the published
    parameters r 0.243, alpha 4.414, a 0.793, b 2.426;
  - the totals and the customer-weighted mean absolute error of the rows
    (sum over rows of |actual sum - predicted sum| / customers), also for
    max_frequency 3 and 101;
  - the weekly tracking of the holdout: the purchase days in each week
    k = 1..39 after the calibration end (days 7k - 6 .. 7k), and the
    cumulative expectation sum_i E[X_i(k) | x_i, t_x_i, T_i] at weeks 1, 2,
    5, 13, 26 and 39, by the same closed form;
  - the same calibration table, totals and tracking under the Pareto/NBD
    model at the published parameters r 0.553, alpha 10.578, s 0.606,
    beta 11.669 (FHL 2005 note), by clv_pareto_reference.py's mpmath
    conditional expectation E[Y(t) | x, t_x, T] (note eq. 27: P(alive) by
    eq. 18 with mpmath's own 2F1 of the untransformed A0);
  - the tracking over the calibration period too (BTYD's
    bgnbd.ExpectedCumulativeTransactions / PlotTrackingCum): 39 calibration
    and 39 holdout weeks ending at the calibration end (the span starts
    1996-12-31, 273 days before it; every first purchase is after), per week
    the repeat purchases (distinct days after the first purchase) and the
    cumulative sum over customers of the UNCONDITIONAL expectation
    E[X(t - birth_i)] since each first purchase: for BG/NBD FHL 2005 eq. 9
    with mpmath's 2F1, for Pareto/NBD the note's eq. 9 (no 2F1).

Usage: python3 test/reference/clv_holdout_reference.py [test/data]
"""
import csv
import datetime
import os
import sys

import mpmath as mp

sys.path.insert(0, os.path.dirname(__file__))
import clv_pareto_reference as pnbd  # noqa: E402  (its mpmath expectation)

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'data')
R, ALPHA, A, B = 0.243, 4.414, 0.793, 2.426
PNBD = tuple(mp.mpf(v) for v in ('0.553', '10.578', '0.606', '11.669'))
CAL_END = datetime.date(1997, 9, 30)
T_STAR = 39
mp.mp.dps = 30


def day(s):
    return datetime.date(int(s[:4]), int(s[4:6]), int(s[6:]))


def split_elog(path):
    days = {}
    with open(path, newline='') as f:
        for row in csv.DictReader(f):
            days.setdefault(int(row['sampleid']), set()).add(day(row['date']))
    out = {}
    weeks = [0] * (T_STAR + 1)
    for cid, ds in days.items():
        cal = sorted(d for d in ds if d <= CAL_END)
        hold = [d for d in ds if d > CAL_END]
        if not cal:
            continue
        x = len(cal) - 1
        out[cid] = (x, (cal[-1] - cal[0]).days / 7.0, (CAL_END - cal[0]).days / 7.0, len(hold))
        for d in hold:
            weeks[((d - CAL_END).days + 6) // 7] += 1
    return out, weeks[1:]


def cond_exp(x, tx, T, t):
    r, alpha, a, b = (mp.mpf(v) for v in (R, ALPHA, A, B))
    x, tx, T, t = mp.mpf(x), mp.mpf(tx), mp.mpf(T), mp.mpf(t)
    alive = mp.mpf(1) if x == 0 else 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x))
    c = a + b + x - 1
    h = mp.hyp2f1(r + x, b + x, c, t / (alpha + T + t))
    return c / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * h) * alive


def table(cust, k):
    rows = []
    for i in range(k + 1):
        sel = [c for c in cust if (c[0] == i if i < k else c[0] >= k)]
        rows.append((i, len(sel), sum(c[3] for c in sel), mp.fsum(c[4] for c in sel)))
    return rows


def report(cust, weeks, expect, name):
    memo = {}
    rows = []
    for c in cust.values():
        key = c[:3]
        if key not in memo:
            memo[key] = expect(*key, T_STAR)
        rows.append(c + (memo[key],))
    for k in (7, 3, 101):
        print('# %s calibration_table(max_frequency %d): frequency customers actual predicted' % (name, k))
        err, n, act, pred = mp.mpf(0), 0, 0, mp.mpf(0)
        for i, cnt, a_sum, p_sum in table(rows, k):
            if k == 7 or k == 3:
                print(i, cnt, mp.nstr(mp.mpf(a_sum) / cnt, 15) if cnt else None,
                      mp.nstr(p_sum / cnt, 15) if cnt else None)
            err += abs(a_sum - p_sum)
            n, act, pred = n + cnt, act + a_sum, pred + p_sum
        print('totals', n, act, mp.nstr(pred, 15), 'mean_absolute_error', mp.nstr(err / n, 15))
    print('# %s customer 1' % name, cust[1], 'E[X(39)] =', mp.nstr(memo[cust[1][:3]], 15))
    print('# tracking: holdout purchases per week 1..39 (sum %d)' % sum(weeks))
    print(' '.join(str(w) for w in weeks))
    print('# %s tracking: cumulative expected purchases at week k' % name)
    for k in (1, 2, 5, 13, 26, 39):
        tot = mp.fsum((memo[c[:3]] if k == T_STAR else expect(*c[:3], k)) for c in cust.values())
        print(k, mp.nstr(tot, 15))


def pnbd_exp(x, tx, T, t):
    return pnbd.cond_exp(PNBD, mp.mpf(x), mp.mpf(tx), mp.mpf(T), mp.mpf(t))


def main():
    cust, weeks = split_elog(os.path.join(DATA, 'btyd_cdnow_elog.csv'))
    with open(os.path.join(DATA, 'cdnow_cbs_holdout.csv'), newline='') as f:
        for row in csv.DictReader(f):
            c = cust[int(row['sampleid'])]
            assert c[0] == int(row['x']) and c[3] == int(row['x_star']), row
            assert abs(c[1] - float(row['t_x'])) < 1e-9 and abs(c[2] - float(row['T_cal'])) < 1e-9, row
    print('customers', len(cust), 'sum x', sum(c[0] for c in cust.values()),
          'sum x*', sum(c[3] for c in cust.values()), '(agree with cdnow_cbs_holdout.csv)')
    report(cust, weeks, cond_exp, 'BG/NBD')
    report(cust, weeks, pnbd_exp, 'Pareto/NBD')
    tracking_whole(os.path.join(DATA, 'btyd_cdnow_elog.csv'))

def bgnbd_uncond(t):
    r, alpha, a, b = (mp.mpf(v) for v in (R, ALPHA, A, B))
    t = mp.mpf(t)
    return (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * mp.hyp2f1(r, b, a + b - 1, t / (alpha + t)))


def pnbd_uncond(t):
    r, alpha, s, beta = PNBD
    t = mp.mpf(t)
    return r * beta / (alpha * (s - 1)) * (1 - (beta / (beta + t)) ** (s - 1))


def tracking_whole(path, weeks_cal=39, weeks_hold=39):
    """Weekly repeat purchases and unconditional cumulative expectations."""
    days = {}
    with open(path, newline='') as f:
        for row in csv.DictReader(f):
            days.setdefault(int(row['sampleid']), set()).add(day(row['date']))
    start = CAL_END - datetime.timedelta(days=7 * weeks_cal)
    n = weeks_cal + weeks_hold
    actual = [0] * (n + 1)
    births = {}
    for ds in days.values():
        first = min(ds)
        if first > CAL_END:
            continue
        assert first > start
        births[(first - start).days] = births.get((first - start).days, 0) + 1
        for d in ds:
            if d != first and d <= start + datetime.timedelta(days=7 * n):
                actual[((d - start).days + 6) // 7] += 1
    print('# whole-span tracking: %d customers, %d birth days, weeks 1..%d from %s'
          % (sum(births.values()), len(births), n, start))
    out = {}
    for name, unc in (('BG/NBD', bgnbd_uncond), ('Pareto/NBD', pnbd_uncond)):
        cum = []
        for i in range(1, n + 1):
            cum.append(mp.fsum(cnt * unc(mp.mpf(7 * i - b) / 7) for b, cnt in births.items() if 7 * i > b))
        out[name] = cum
    print('# period actual actual_cumulative BG/NBD_expected_cumulative Pareto/NBD_expected_cumulative'
          ' (period = week - 39: -38 .. 0 calibration, 1 .. 39 holdout)')
    acc = 0
    for i in range(1, n + 1):
        acc += actual[i]
        print(i - weeks_cal, actual[i], acc, mp.nstr(out['BG/NBD'][i - 1], 15),
              mp.nstr(out['Pareto/NBD'][i - 1], 15))


if __name__ == '__main__':
    main()
