#!/usr/bin/env python3
"""Independent reference values for sql/clv_penalizer.sql (python3 + mpmath).

The L2-penalized maximum-likelihood fits of lifetimes' penalizer_coef: each
fitter minimises its mean negative log-likelihood plus c * sum(params ** 2)
(lifetimes' BetaGeoFitter, GammaGammaFitter, BetaGeoBetaBinomFitter
_negative_log_likelihood), i.e. maximises

    F(p) = LL(p) - c N sum p_i^2          (N customers; repeat buyers for Gamma-Gamma)

over the natural parameters.  The log-likelihoods are the other reference
scripts' own mpmath ones (not crm_kpi's C):
  - BG/NBD and Gamma-Gamma: clv_models_reference.py (FHL 2005 eq. 6, FH 2013
    eq. 4) on the lifetimes CDNOW summary;
  - Pareto/NBD: clv_pareto_reference.py (the note's eq. 22, mpmath's own 2F1)
    on the CDNOW elog calibration summary;
  - BG/BB: bgbb_reference.py (FHS 2010 eq. 5) on the lifetimes donations.
The maximum of F by damped Newton over the log-parameters (gradient and
Hessian by mpmath central differences, step 1e-8, at 30 digits: error
~1e-16; halving the step until F increases), to a step of 1e-15 in the
log-parameters, from starting values rounded to 3 digits (Newton's fixed
point is the stationary point of F, whatever the start; the gradient there
is printed); then the unpenalized LL there and the standard errors from the
inverse of -Hessian of F in the natural parameters (what
bgnbd_std_errors(s, c) reports: the observed information of the penalized
objective).  c = 0.01 and 0.1.

Usage: python3 test/reference/clv_penalizer_reference.py [test/data] [models]
  models: any of bgnbd,gg,pnbd,bgbb (default all; pnbd takes minutes)
"""
import datetime
import os
import sys
from collections import Counter

import mpmath as mp

HERE = os.path.dirname(__file__)
sys.path.insert(0, HERE)
import bgbb_reference as bgbb  # noqa: E402
import clv_models_reference as models  # noqa: E402
import clv_pareto_reference as pnbd  # noqa: E402
from clv_reference import rfm_from_elog  # noqa: E402

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', 'data')
WHICH = sys.argv[2].split(',') if len(sys.argv) > 2 else ['bgnbd', 'gg', 'pnbd', 'bgbb']
for m in (models, pnbd, bgbb):
    m.DATA = DATA


def penalized(ll, c, n):
    return lambda p: ll(p) - c * n * mp.fsum(v * v for v in p)


def grad_hess(f, t, h):
    k = len(t)
    f0 = f(t)
    sh = lambda q, i, d: [q[j] + (d if j == i else 0) for j in range(k)]
    g = [(f(sh(t, i, h)) - f(sh(t, i, -h))) / (2 * h) for i in range(k)]
    H = [[mp.mpf(0)] * k for _ in range(k)]
    for i in range(k):
        H[i][i] = (f(sh(t, i, h)) - 2 * f0 + f(sh(t, i, -h))) / h ** 2
        for j in range(i):
            H[i][j] = H[j][i] = (f(sh(sh(t, i, h), j, h)) - f(sh(sh(t, i, h), j, -h))
                                 - f(sh(sh(t, i, -h), j, h)) + f(sh(sh(t, i, -h), j, -h))) / (4 * h ** 2)
    return f0, g, H


def maximise(F, start):  # noqa: C901
    """damped Newton over theta = log p; gradient ascent where -H is not positive definite"""
    f = lambda t: F([mp.exp(v) for v in t])
    t = [mp.log(mp.mpf(v)) for v in start]
    for it in range(200):
        f0, g, H = grad_hess(f, t, mp.mpf('1e-8'))
        try:
            mp.cholesky(-mp.matrix(H))
            step = mp.lu_solve(-mp.matrix(H), mp.matrix(g))
        except (ValueError, ZeroDivisionError):
            step = mp.matrix(g) * (mp.mpf(1) / max(1, max(abs(v) for v in g)))
        lam = mp.mpf(1)
        while lam > mp.mpf('1e-12'):
            nt = [t[i] + lam * step[i] for i in range(len(t))]
            if f(nt) >= f0:
                break
            lam /= 2
        t = nt
        if max(abs(lam * step[i]) for i in range(len(t))) < mp.mpf('1e-15'):
            break
    return [mp.exp(v) for v in t], it, g


def report(name, ll, n, starts, names):
    for c, start in starts.items():
        c = mp.mpf(c)
        F = penalized(ll, c, n)
        p, it, g = maximise(F, start)
        H = mp.matrix(grad_hess(F, p, mp.mpf('1e-8'))[2])
        cov = (-H) ** -1
        print('# %s, c = %s (N = %d, %d Newton steps, last gradient over ln p %s): LL (unpenalized) %s, F %s' % (
            name, mp.nstr(c, 3), n, it + 1, ' '.join(mp.nstr(v, 2) for v in g), mp.nstr(ll(p), 17),
            mp.nstr(F(p), 17)), flush=True)
        for i, nm in enumerate(names):
            print('%-6s %s se %s' % (nm, mp.nstr(p[i], 17), mp.nstr(mp.sqrt(cov[i, i]), 17)), flush=True)


def main():
    mp.mp.dps = 30
    if 'bgnbd' in WHICH or 'gg' in WHICH:
        bg, gg = models.load()
        if 'bgnbd' in WHICH:
            report('BG/NBD, lifetimes CDNOW summary', lambda p: models.bgnbd_ll(p, bg), sum(bg.values()),
                   {'0.01': ['0.158', '1.53', '0.335', '0.678'], '0.1': ['0.115', '0.571', '0.165', '0.287']},
                   ['r', 'alpha', 'a', 'b'])
        if 'gg' in WHICH:
            report('Gamma-Gamma, its repeat buyers', lambda p: models.gg_ll(p, gg), sum(gg.values()),
                   {'0.01': ['4.11', '0.968', '3.78'], '0.1': ['1.28', '0.336', '1.15']}, ['p', 'q', 'gamma'])
    if 'bgbb' in WHICH:
        cells = bgbb.load()
        report('BG/BB, lifetimes donations', lambda p: bgbb.loglik(p, cells), sum(c[3] for c in cells),
               {'0.01': ['0.978', '0.618', '0.314', '1.01'], '0.1': ['0.535', '0.391', '0.167', '0.492']},
               ['alpha', 'beta', 'gamma', 'delta'])
    if 'pnbd' in WHICH:
        rfm = rfm_from_elog(os.path.join(DATA, 'cdnow_elog_calibration.csv'), datetime.date(1997, 9, 30), 7.0)
        data = Counter()
        for x, tx, T, _ in rfm.values():
            data[(x, mp.mpf(round(tx * 7)) / 7, mp.mpf(round(T * 7)) / 7)] += 1
        report('Pareto/NBD, CDNOW elog calibration', lambda p: pnbd.total_ll(p, data), sum(data.values()),
               {'0.01': ['0.218', '2.00', '0.134', '0.600'], '0.1': ['0.141', '0.659', '0.0793', '0.182']},
               ['r', 'alpha', 's', 'beta'])


if __name__ == '__main__':
    main()
