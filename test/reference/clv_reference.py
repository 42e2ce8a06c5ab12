#!/usr/bin/env python3
"""Independent reference computations for the CLV family (python3 stdlib only).

Prints the values that sql/clv.sql and test/pgtap/clv.sql compare against:
  - the RFM calibration summary of the CDNOW 1/10 sample, built from the BTYD
    event log with lifetimes' conventions (same-day purchases merged, weeks);
  - BG/NBD (Fader, Hardie & Lee 2005) log-likelihood, P(alive), conditional
    and unconditional expectations and the purchase-count PMF, evaluated at
    the published parameters, written from the paper's equations; the
    unconditional expectation (eq. 9) is checked against sum n P(X(t)=n)
    (eq. 8), a different formula;
  - Gamma-Gamma (Fader & Hardie 2013) log-likelihood and expected spend at
    the published parameters;
  - predicted CLV by the discounted-increments definition of doc/clv.md;
  - the expectations near and at the removable singularities a = 1 and
    a + b + x = 1 (issue 10), with mpmath at 60 digits: the closed form eq. 10
    with mpmath's own 2F1 away from a = 1, and, at every a, the posterior
    integral E = P(alive) E_p[(1 - (1 + p t / (alpha + T))^-(r + x)) / p],
    p ~ Beta(a, b + x), which has no singularity.

Usage: python3 test/reference/clv_reference.py [test/data]
"""
import csv
import datetime
import math
import os
import sys

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'data')

# Published parameters
R, ALPHA, A, B = 0.243, 4.414, 0.793, 2.426
P, Q, G = 6.25, 3.74, 15.44


def hyp2f1(a, b, c, z, terms=200000):
    """2F1 by its power series, summed with math.fsum over a fixed number of terms."""
    out, term = [1.0], 1.0
    for k in range(terms):
        term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
        out.append(term)
        if k > 1000 and abs(term) < 1e-300:
            break
    return math.fsum(out)


def bgnbd_ll(r, alpha, a, b, x, tx, T):
    beta = lambda u, v: math.lgamma(u) + math.lgamma(v) - math.lgamma(u + v)
    l1 = math.exp(beta(a, b + x) - beta(a, b) + math.lgamma(r + x) - math.lgamma(r)
                  + r * math.log(alpha) - (r + x) * math.log(alpha + T))
    l2 = 0.0
    if x > 0:
        l2 = math.exp(beta(a + 1, b + x - 1) - beta(a, b) + math.lgamma(r + x) - math.lgamma(r)
                      + r * math.log(alpha) - (r + x) * math.log(alpha + tx))
    return math.log(l1 + l2)


def p_alive(r, alpha, a, b, x, tx, T):
    if x == 0:
        return 1.0
    return 1.0 / (1.0 + a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x))


def cond_exp(r, alpha, a, b, x, tx, T, t):
    z = t / (alpha + T + t)
    h = hyp2f1(r + x, b + x, a + b + x - 1, z)
    num = (a + b + x - 1) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * h)
    return num * p_alive(r, alpha, a, b, x, tx, T)


def pmf(r, alpha, a, b, t, n):
    """FHL 2005 eq. 8, with the NB probabilities as Gamma-function ratios."""
    B_ = lambda u, v: math.exp(math.lgamma(u) + math.lgamma(v) - math.lgamma(u + v))
    nb = lambda j: math.exp(math.lgamma(r + j) - math.lgamma(r) - math.lgamma(j + 1)) \
        * (alpha / (alpha + t)) ** r * (t / (alpha + t)) ** j
    p = B_(a, b + n) / B_(a, b) * nb(n)
    if n > 0:
        p += B_(a + 1, b + n - 1) / B_(a, b) * (1 - sum(nb(j) for j in range(n)))
    return p


def cond_pmf(r, alpha, a, b, x, tx, T, t, n):
    """P(Y(t) = n | x, t_x, T) integrated over the posterior of (lambda, p), term by term
    (alive at T then n purchases as a new customer; or gone, n = 0), in plain ratios."""
    B_ = lambda u, v: math.exp(math.lgamma(u) + math.lgamma(v) - math.lgamma(u + v))
    G = lambda u: math.exp(math.lgamma(u))
    # unnormalised: common factor G(r)^-1 alpha^r / B(a, b) dropped everywhere
    like = B_(a, b + x) * G(r + x) / (alpha + T) ** (r + x)
    gone = B_(a + 1, b + x - 1) * G(r + x) / (alpha + tx) ** (r + x) if x > 0 else 0.0
    alive_n = B_(a, b + x + n) * G(r + x + n) / math.factorial(n) * t ** n / (alpha + T + t) ** (r + x + n)
    left = 0.0
    if n > 0:
        left = B_(a + 1, b + x + n - 1) * (G(r + x) / (alpha + T) ** (r + x) - sum(
            G(r + x + j) / math.factorial(j) * t ** j / (alpha + T + t) ** (r + x + j) for j in range(n)))
    return (alive_n + left + (gone if n == 0 else 0.0)) / (like + gone)


def gg_ll(p, q, g, x, m):
    return (math.lgamma(p * x + q) - math.lgamma(p * x) - math.lgamma(q) + q * math.log(g)
            + (p * x - 1) * math.log(m) + p * x * math.log(x) - (p * x + q) * math.log(g + m * x))


def gg_spend(p, q, g, x, m):
    return p * (g + x * m) / (p * x + q - 1)


def rfm_from_elog(path, end, unit_days):
    days = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            d = datetime.date(int(row['date'][:4]), int(row['date'][4:6]), int(row['date'][6:]))
            if d > end:
                continue
            c = days.setdefault(int(row['sampleid']), {})
            c[d] = c.get(d, 0.0) + float(row['sales'])
    out = {}
    for cid, c in days.items():
        ds = sorted(c)
        x = len(ds) - 1
        out[cid] = (x, (ds[-1] - ds[0]).days / unit_days, (end - ds[0]).days / unit_days,
                    sum(c[d] for d in ds[1:]) / x if x else 0.0)
    return out


def mp_cond_exp(r, alpha, a, b, x, tx, T, t):
    """E[Y(t) | x, t_x, T] at 60 digits: (closed form or None, integral).
    Arguments are taken as the exact binary values of the doubles given."""
    import mpmath as mp
    mp.mp.dps = 60
    r, alpha, a, b, tx, T, t = (mp.mpf(v) for v in (r, alpha, a, b, tx, T, t))
    x = mp.mpf(x)
    k, beta, c = r + x, b + x, a + b + x - 1
    s = t / (alpha + T)
    alive = mp.mpf(1) if x == 0 else 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** k)
    G = lambda p: k * s if p == 0 else -mp.expm1(-k * mp.log1p(p * s)) / p
    # int_0^1 p^(a-1) (1-p)^(beta-1) G(p) dp, split at 1/2, with p = q^(1/a) on
    # the left and 1 - p = w^(1/beta) on the right so that no endpoint is singular
    left = mp.quad(lambda q: (1 - q ** (1 / a)) ** (beta - 1) * G(q ** (1 / a)),
                   [0, (1 + s) ** (-a), mp.mpf(2) ** (-a)]) / a
    right = mp.quad(lambda w: (1 - w ** (1 / beta)) ** (a - 1) * G(1 - w ** (1 / beta)),
                    [0, mp.mpf(2) ** (-beta)]) / beta
    integral = (left + right) / mp.beta(a, beta) * alive
    closed = None
    if a != 1 and c != 0:
        z = t / (alpha + T + t)
        closed = c / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** k * mp.hyp2f1(k, beta, c, z)) * alive
    return closed, integral


def singular_cases():
    print('# E near a = 1 (model r = 0.25, alpha = 4, b = 2.5): new customer t = 10; customer (2, 1, 2) t = 10')
    for a in (1.0, 1 + 2.0 ** -52, 1 - 2.0 ** -52, 1 + 1e-7, 1 - 1e-7, 1 + 1e-6, 1 - 1e-6):
        for c in ((0, 0, 0), (2, 1, 2)):
            closed, integral = mp_cond_exp(0.25, 4, a, 2.5, *c, 10)
            print('a = %r %r: integral %s closed %s' % (a, c, mp_str(integral), mp_str(closed)))
    print('# predicted_clv(bgnbd_model(0.25,4,1,2.5), gamma_gamma_model(6,4,15), rfm_summary(2,1,2,10), 12, 1, 0.01)')
    spend = 6 * (15 + 2 * 10) / (6 * 2 + 4 - 1)
    prev, tot = 0, 0
    for i in range(1, 13):
        cum = mp_cond_exp(0.25, 4, 1.0, 2.5, 2, 1, 2, i)[1]
        tot += (cum - prev) / (1 + 0.01) ** i
        prev = cum
    print('predicted_clv %s' % mp_str(spend * tot))
    print('# a + b + x = 1 (c = 0): model (0.25, 4, 0.3, 0.7), new customer, t = 10; and (2, 0.5, 1e-3, 0.2), t = 3')
    print(mp_str(mp_cond_exp(0.25, 4, 0.3, 0.7, 0, 0, 0, 10)[1]))
    print(mp_str(mp_cond_exp(2, 0.5, 1e-3, 0.2, 0, 0, 0, 3)[1]))
    print('# extremes: r = 1e-6; alpha = 1e-3 with t = 1e3; b = 1e6; x = 1000 at t = 39')
    print(mp_str(mp_cond_exp(1e-6, 4, 0.8, 2.5, 0, 0, 0, 10)[1]))
    print(mp_str(mp_cond_exp(0.25, 1e-3, 0.8, 2.5, 0, 0, 0, 1e3)[1]))
    print(mp_str(mp_cond_exp(0.25, 4, 0.8, 1e6, 0, 0, 0, 10)[1]))
    print(mp_str(mp_cond_exp(0.243, 4.414, 0.793, 2.426, 1000, 30, 38.86, 39)[1]))
    print('# long horizons (the integral branch): the fitted model of rfm_summary(0, 0, 0) at t = 10;')
    print('# alpha = 1e-6, t = 1e3; t / alpha = 1e19 (beyond 2^53); t = 1e300 by the asymptotic form')
    print(mp_str(mp_cond_exp(1, 1.0000000000000004e-06, 1, 1, 0, 0, 0, 10)[1]))
    print(mp_str(mp_cond_exp(0.25, 1e-6, 0.8, 2.5, 0, 0, 0, 1e3)[1]))
    print(mp_str(mp_cond_exp(0.3, 1e-9, 1, 2, 0, 0, 0, 1e10)[1]))
    print(mp_str(mp_long_horizon(0.25, 4, 0.8, 2.5, 1e300)))


def mp_long_horizon(r, alpha, a, b, t):
    """E[X(t)] of a new customer for a < 1 and s = t / alpha -> infinity:
    s^(1-a) (-B(a - 1, r + 1 - a)) / B(a, b) (u = p s in the posterior integral,
    whose u-integral is a continued Beta integral); relative error O(s^(a-1))."""
    import mpmath as mp
    mp.mp.dps = 60
    r, alpha, a, b, t = (mp.mpf(v) for v in (r, alpha, a, b, t))
    s = t / alpha
    return s ** (1 - a) * -mp.beta(a - 1, r + 1 - a) / mp.beta(a, b)


def mp_str(v):
    import mpmath as mp
    return 'None' if v is None else mp.nstr(v, 20)


def main():
    print('# RFM of the CDNOW sample (test/data/cdnow_elog_calibration.csv), end 1997-09-30, weeks')
    rfm = rfm_from_elog(os.path.join(DATA, 'cdnow_elog_calibration.csv'), datetime.date(1997, 9, 30), 7.0)
    print('customers', len(rfm), 'sum_x', sum(v[0] for v in rfm.values()),
          'repeat_buyers', sum(1 for v in rfm.values() if v[0] > 0))
    print('customer 1', repr(rfm[1]))

    cbs = []
    with open(os.path.join(DATA, 'lifetimes_cdnow_customers_summary_with_transactions.csv')) as f:
        for row in csv.DictReader(f):
            cbs.append((int(row['x']), float(row['t_x']), float(row['T'])))
    ll = math.fsum(bgnbd_ll(R, ALPHA, A, B, *c) for c in cbs)
    print('# BG/NBD at the published parameters on the lifetimes CDNOW summary')
    print('log_likelihood %.6f' % ll)
    for c, t in [((2, 30.43, 38.86), 39), ((0, 0, 38.86), 39), ((7, 29.43, 35.14), 39),
                 ((2, 30.43, 38.86), 1000)]:
        print('E[Y(%g)] | %r = %.15g' % (t, c, cond_exp(R, ALPHA, A, B, *c, t)))
    for c in [(2, 30.43, 38.86), (7, 29.43, 35.14), (1, 1.71, 38.86)]:
        print('P(alive) | %r = %.15g' % (c, p_alive(R, ALPHA, A, B, *c)))
    for t in (39, 78):
        ps = [pmf(R, ALPHA, A, B, t, n) for n in range(400)]
        e9 = cond_exp(R, ALPHA, A, B, 0, 0, 0, t)
        print('t=%g P(X=0..3) = %s  sum = %.15g  sum n P = %.15g  eq9 = %.15g'
              % (t, ' '.join('%.15g' % p for p in ps[:4]), math.fsum(ps),
                 math.fsum(n * p for n, p in enumerate(ps)), e9))

    for c in [(2, 30.43, 38.86), (7, 29.43, 35.14)]:
        ps = [cond_pmf(R, ALPHA, A, B, *c, 39, n) for n in range(60)]
        print('P(Y(39)=0..2) | %r = %s  sum = %.15g  mean = %.15g  eq10 = %.15g'
              % (c, ' '.join('%.15g' % p for p in ps[:3]), math.fsum(ps),
                 math.fsum(n * p for n, p in enumerate(ps)), cond_exp(R, ALPHA, A, B, *c, 39)))

    print('# Gamma-Gamma at the published parameters, 946 repeat buyers')
    rb = []
    with open(os.path.join(DATA, 'lifetimes_cdnow_customers_summary_with_transactions.csv'), newline='') as f:
        for row in csv.DictReader(f):
            if int(row['x']) > 0:
                rb.append((int(row['x']), float(row['zbar'])))
    print('repeat buyers', len(rb), 'log_likelihood %.6f' % math.fsum(gg_ll(P, Q, G, *c) for c in rb))
    print('E[M] | x=2, m=22.35 = %.15g; x=0: %.15g' % (gg_spend(P, Q, G, 2, 22.35), P * G / (Q - 1)))

    print('# predicted CLV, customer (2, 30.43, 38.86, 22.35): 12 periods of 52/12 weeks, d = 0.01, margin 0.3')
    L = 52 / 12
    prev, tot = 0.0, 0.0
    for i in range(1, 13):
        cum = cond_exp(R, ALPHA, A, B, 2, 30.43, 38.86, i * L)
        tot += (cum - prev) / 1.01 ** i
        prev = cum
    print('predicted_clv %.15g' % (0.3 * gg_spend(P, Q, G, 2, 22.35) * tot))
    singular_cases()


if __name__ == '__main__':
    main()
