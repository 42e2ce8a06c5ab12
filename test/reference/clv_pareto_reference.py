#!/usr/bin/env python3
"""Independent reference values for the Pareto/NBD tests of sql/clv_models.sql
(python3 + mpmath), computed differently from crm_kpi's clv_pareto.c:
  - the RFM summaries of the CDNOW 1/10 sample from the event log
    (test/data/cdnow_elog_calibration.csv, end 1997-09-30, weeks, same-day
    purchases merged), exact in rational days / 7;
  - the log-likelihood of Fader, Hardie & Lee (2005, "A note on deriving the
    Pareto/NBD model and related expressions", eq. 22) with mpmath's own
    hyp2f1 on the untransformed 2F1(r+s+x, b; r+s+x+1; z) at 30 digits
    (crm_kpi: Euler's transformation, its own series, doubles);
  - the maximum by Newton's method on mpmath central differences, from the
    published parameters; the standard errors from the inverse Hessian there
    (natural scale);
  - P(alive) (eq. 18) and E[Y(t) | x, t_x, T] (eq. 27) and E[X(t)] (eq. 9) at
    the maximum and at given parameters, as written in the note.
Published to compare: r = 0.553, alpha = 10.578, s = 0.606, beta = 11.669,
LL = -9595.0 (FHL 2005, as CLVTools' tests/testthat/test_correctness_pnbd.R
quotes them), BTYD's pnbd.cbs.LL -9594.976; CLVTools' standard errors
r 0.0476264, alpha 0.8427222, s 0.1872594, beta 6.2105448.

Usage: python3 test/reference/clv_pareto_reference.py [test/data]   (a few minutes)
"""
import datetime
import os
import sys
from collections import Counter

import mpmath as mp

sys.path.insert(0, os.path.dirname(__file__))
from clv_reference import rfm_from_elog  # noqa: E402  (the same RFM rules)

mp.mp.dps = 30
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'data')


def log_a0(p, x, tx, T):
    r, alpha, s, beta = p
    rsx = r + s + x
    if alpha >= beta:
        m, b = alpha, s + 1
    else:
        m, b = beta, r + x
    d = abs(alpha - beta)
    t1 = mp.hyp2f1(rsx, b, rsx + 1, d / (m + tx)) / (m + tx) ** rsx
    t2 = mp.hyp2f1(rsx, b, rsx + 1, d / (m + T)) / (m + T) ** rsx
    return mp.log(t1 - t2) if t1 > t2 else mp.mpf('-inf')


def ll_one(p, x, tx, T):
    r, alpha, s, beta = p
    first = (alpha + T) ** -(r + x) * (beta + T) ** -s
    a0 = log_a0(p, x, tx, T)
    second = s / (r + s + x) * mp.exp(a0) if a0 != mp.mpf('-inf') else 0
    return (mp.loggamma(r + x) - mp.loggamma(r) + r * mp.log(alpha) + s * mp.log(beta)
            + mp.log(first + second))


def total_ll(p, data):
    if min(p) <= 0:
        return mp.mpf('-inf')
    return mp.fsum(n * ll_one(p, *k) for k, n in data.items())


def p_alive(p, x, tx, T):
    r, alpha, s, beta = p
    a0 = log_a0(p, x, tx, T)
    if a0 == mp.mpf('-inf'):
        return mp.mpf(1)
    return 1 / (1 + s / (r + s + x) * (alpha + T) ** (r + x) * (beta + T) ** s * mp.exp(a0))


def cond_exp(p, x, tx, T, t):
    r, alpha, s, beta = p
    return ((r + x) * (beta + T) / ((alpha + T) * (s - 1))
            * (1 - ((beta + T) / (beta + T + t)) ** (s - 1)) * p_alive(p, x, tx, T))


def new_exp(p, t):
    r, alpha, s, beta = p
    return r * beta / (alpha * (s - 1)) * (1 - (beta / (beta + t)) ** (s - 1))


def shifted(p, i, d):
    q = list(p)
    q[i] += d
    return q


def hessian(f, p, h):
    n = len(p)
    f0 = f(p)
    H = [[mp.mpf(0)] * n for _ in range(n)]
    for i in range(n):
        H[i][i] = (f(shifted(p, i, h)) - 2 * f0 + f(shifted(p, i, -h))) / h ** 2
        for j in range(i):
            H[i][j] = H[j][i] = (f(shifted(shifted(p, i, h), j, h)) - f(shifted(shifted(p, i, h), j, -h))
                                 - f(shifted(shifted(p, i, -h), j, h))
                                 + f(shifted(shifted(p, i, -h), j, -h))) / (4 * h ** 2)
    return mp.matrix(H)


def main():
    rfm = rfm_from_elog(os.path.join(DATA, 'cdnow_elog_calibration.csv'), datetime.date(1997, 9, 30), 7.0)
    data = Counter()
    for x, tx, T, _ in rfm.values():
        # exact: the days are integers, the unit 7 days
        data[(x, mp.mpf(round(tx * 7)) / 7, mp.mpf(round(T * 7)) / 7)] += 1
    f = lambda p: total_ll(p, data)
    print('# LL at the published (FHL 2005) parameters: %s' % mp.nstr(f([mp.mpf(v) for v in
          ('0.553', '10.578', '0.606', '11.669')]), 12))
    p = [mp.mpf(v) for v in ('0.553', '10.578', '0.606', '11.669')]
    h = mp.mpf('1e-8')
    for it in range(12):
        g = mp.matrix([(f(shifted(p, i, h)) - f(shifted(p, i, -h))) / (2 * h) for i in range(4)])
        H = hessian(f, p, mp.mpf('1e-6'))
        step = mp.lu_solve(H, g)
        p = [p[i] - step[i] for i in range(4)]
        print('# newton %d: %s' % (it, ' '.join(mp.nstr(v, 12) for v in p)), flush=True)
        if max(abs(step[i] / p[i]) for i in range(4)) < mp.mpf('1e-13'):
            break
    H = hessian(f, p, mp.mpf('1e-6'))
    cov = (-H) ** -1
    print('# maximum: LL %s' % mp.nstr(f(p), 17))
    for i, nm in enumerate(('r', 'alpha', 's', 'beta')):
        print('%-6s %s se %s' % (nm, mp.nstr(p[i], 17), mp.nstr(mp.sqrt(cov[i, i]), 17)))
    pub = [mp.mpf(v) for v in ('0.553', '10.578', '0.606', '11.669')]
    for label, q in (('at the maximum', p), ('at the published parameters', pub)):
        print('# %s' % label)
        for c in ((2, mp.mpf(213) / 7, mp.mpf(272) / 7), (0, 0, mp.mpf(272) / 7), (7, mp.mpf(206) / 7, mp.mpf(246) / 7)):
            print('P(alive) | %s = %s; E[Y(39)] = %s' % (tuple(mp.nstr(v, 10) for v in c),
                  mp.nstr(p_alive(q, *c), 17), mp.nstr(cond_exp(q, *c, 39), 17)))
        print('E[X(39)] = %s; E[X(78)] = %s' % (mp.nstr(new_exp(q, 39), 17), mp.nstr(new_exp(q, 78), 17)))
    # both branches of A0: alpha > beta, alpha = beta, and z = 0.9875 at t_x = 0
    for v in (('0.6', '12', '0.5', '8'), ('0.6', '9', '0.5', '9'), ('2', '0.5', '3', '40')):
        q = [mp.mpf(w) for w in v]
        for c in ((3, mp.mpf(20), mp.mpf(30)), (0, 0, mp.mpf(30)), (40, mp.mpf(29), mp.mpf(30))):
            print('%s %s: P(alive) %s; E[Y(26)] %s' % (v, c, mp.nstr(p_alive(q, *c), 17),
                                                      mp.nstr(cond_exp(q, *c, 26), 17)))
    # CLVTools' numerically hard P(alive) case (r = 0.5143, alpha = 2.8845, s = 0.2856, beta = 14.1087)
    q = [mp.mpf(v) for v in ('0.5143', '2.8845', '0.2856', '14.1087')]
    for c in ((221, '103.42857', '103.57143'), (254, '97.14286', '97.28571'),
              (161, '94.71429', '98.00000'), (204, '98.57143', '99.42857')):
        print('CLVTools P(alive) | %s = %s' % (c, mp.nstr(p_alive(q, c[0], mp.mpf(c[1]), mp.mpf(c[2])), 17)))


if __name__ == '__main__':
    main()
