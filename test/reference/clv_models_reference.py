#!/usr/bin/env python3
"""Independent reference values for sql/clv_models.sql (python3 + mpmath).

Standard errors of the BG/NBD and Gamma-Gamma maximum-likelihood fits on the
lifetimes CDNOW summary (test/data/lifetimes_cdnow_customers_summary_with_transactions.csv),
from the observed information, computed differently from crm_kpi:
  - the log-likelihoods are written from Fader, Hardie & Lee (2005) eq. 6 and
    Fader & Hardie (2013) eq. 4 in mpmath at 50 digits, over the natural
    parameters (crm_kpi: doubles, log-parameters, Nelder-Mead);
  - the maximum is found by Newton's method on the gradient (mpmath central
    differences, step 1e-12) from the published rounded parameters, to 1e-20;
  - the Hessian at the maximum by central differences (step 1e-10, error
    ~1e-20), inverted by Gauss-Jordan elimination in mpmath; the standard
    errors are the square roots of the inverse's diagonal (natural scale,
    no delta method).
Published to compare (lifetimes docs/Quickstart.md, bgf.summary on this data):
  r 0.242593 se 0.012557, alpha 4.413532 se 0.378221, a 0.792886 se 0.185719,
  b 2.425752 se 0.705345.
It also prints the 95 % Wald bounds (z = Phi^-1(0.975), and lifetimes' 1.96).

Usage: python3 test/reference/clv_models_reference.py [test/data]
"""
import csv
import os
import sys
from collections import Counter

import mpmath as mp

mp.mp.dps = 50
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'data')


def load():
    bg, gg = Counter(), Counter()
    with open(os.path.join(DATA, 'lifetimes_cdnow_customers_summary_with_transactions.csv')) as f:
        for row in csv.DictReader(f):
            x, tx, T, m = int(row['x']), mp.mpf(row['t_x']), mp.mpf(row['T']), mp.mpf(row['zbar'])
            bg[(x, tx, T)] += 1
            if x > 0:
                gg[(x, m)] += 1
    return bg, gg


def bgnbd_ll(p, data):
    r, alpha, a, b = p
    if min(p) <= 0:
        return mp.mpf('-inf')
    lg = mp.loggamma
    total = mp.mpf(0)
    for (x, tx, T), n in data.items():
        a1 = lg(r + x) - lg(r) + r * mp.log(alpha)
        a2 = lg(a + b) + lg(b + x) - lg(b) - lg(a + b + x)
        a3 = -(r + x) * mp.log(alpha + T)
        s = mp.exp(a3)
        if x > 0:
            s += mp.exp(mp.log(a) - mp.log(b + x - 1) - (r + x) * mp.log(alpha + tx))
        total += n * (a1 + a2 + mp.log(s))
    return total


def gg_ll(p, data):
    pp, q, g = p
    if min(p) <= 0:
        return mp.mpf('-inf')
    lg = mp.loggamma
    total = mp.mpf(0)
    for (x, m), n in data.items():
        total += n * (lg(pp * x + q) - lg(pp * x) - lg(q) + q * mp.log(g) + (pp * x - 1) * mp.log(m)
                      + pp * x * mp.log(x) - (pp * x + q) * mp.log(g + m * x))
    return total


def shifted(p, i, d):
    q = list(p)
    q[i] += d
    return q


def gradient(f, p, h):
    return [(f(shifted(p, i, h)) - f(shifted(p, i, -h))) / (2 * h) for i in range(len(p))]


def hessian(f, p, h):
    n = len(p)
    f0 = f(p)
    H = [[mp.mpf(0)] * n for _ in range(n)]
    for i in range(n):
        H[i][i] = (f(shifted(p, i, h)) - 2 * f0 + f(shifted(p, i, -h))) / h ** 2
        for j in range(i):
            pp = shifted(shifted(p, i, h), j, h)
            pm = shifted(shifted(p, i, h), j, -h)
            mp_ = shifted(shifted(p, i, -h), j, h)
            mm = shifted(shifted(p, i, -h), j, -h)
            H[i][j] = H[j][i] = (f(pp) - f(pm) - f(mp_) + f(mm)) / (4 * h ** 2)
    return H


def newton_max(f, p):
    for _ in range(30):
        g = gradient(f, p, mp.mpf('1e-12'))
        H = mp.matrix(hessian(f, p, mp.mpf('1e-10')))
        step = mp.lu_solve(H, mp.matrix(g))
        p = [p[i] - step[i] for i in range(len(p))]
        if max(abs(step[i]) / p[i] for i in range(len(p))) < mp.mpf('1e-20'):
            break
    return p


def report(name, f, start, names):
    p = newton_max(f, [mp.mpf(v) for v in start])
    H = hessian(f, p, mp.mpf('1e-10'))
    cov = (-mp.matrix(H)) ** -1
    z = mp.sqrt(2) * mp.erfinv(mp.mpf('0.95'))
    print('# %s: LL %s' % (name, mp.nstr(f(p), 17)))
    for i, nm in enumerate(names):
        se = mp.sqrt(cov[i, i])
        print('%-6s %s se %s  95%%: %s %s  (z = 1.96: %s %s)' % (
            nm, mp.nstr(p[i], 17), mp.nstr(se, 17), mp.nstr(p[i] - z * se, 17),
            mp.nstr(p[i] + z * se, 17), mp.nstr(p[i] - mp.mpf('1.96') * se, 10),
            mp.nstr(p[i] + mp.mpf('1.96') * se, 10)))


def main():
    bg, gg = load()
    report('BG/NBD, lifetimes CDNOW summary', lambda p: bgnbd_ll(p, bg),
           ['0.243', '4.414', '0.793', '2.426'], ['r', 'alpha', 'a', 'b'])
    report('Gamma-Gamma, its 946 repeat buyers', lambda p: gg_ll(p, gg),
           ['6.25', '3.74', '15.44'], ['p', 'q', 'gamma'])


if __name__ == '__main__':
    main()
