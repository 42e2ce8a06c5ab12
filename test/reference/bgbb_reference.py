#!/usr/bin/env python3
"""Independent reference computations for the BG/BB model (sql/clv_bgbb.sql).

Written from the equations of Fader, Hardie & Shang (2010), "Customer-Base
Analysis in a Discrete-Time Noncontractual Setting", Marketing Science 29(6),
with mpmath at 40 digits, not with crm_kpi:
  - the log-likelihood (eq. 5) with every Beta function evaluated directly
    (mpmath.beta, no recurrences), on the donations data of lifetimes;
  - its maximum by a damped Newton iteration on the log-parameters (gradient
    and Hessian by central differences at 40 digits), started from
    alpha = 0.5, beta = 2, gamma = 2, delta = 0.5 (crm_kpi's Nelder-Mead
    starts at 1, 1, 1, 1);
  - P(alive at n + 1) (eq. 11), the conditional expectation over the next
    n* opportunities (eq. 13) and the unconditional one over the first n
    (eq. 7), in their closed forms with Gamma functions (crm_kpi sums the
    survival terms one by one instead), at the published parameters and at
    the maximum; eq. 7 is cross-checked against the mean of the distribution
    of X(n) (eq. 8).

Usage: python3 test/reference/bgbb_reference.py [test/data]
"""
import csv
import os
import sys

import mpmath
from mpmath import mp, mpf

mp.dps = 40
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'data')
PUBLISHED = (mpf('1.204'), mpf('0.750'), mpf('0.657'), mpf('2.783'))


def load():
    with open(os.path.join(DATA, 'lifetimes_donations.csv')) as f:
        return [tuple(int(v) for v in (r['frequency'], r['recency'], r['periods'], r['weights']))
                for r in csv.DictReader(f)]


def B(a, b):
    return mpmath.beta(a, b)


def likelihood(p, x, tx, n):
    """eq. 5"""
    a, b, g, d = p
    out = B(a + x, b + n - x) / B(a, b) * B(g, d + n) / B(g, d)
    for i in range(n - tx):
        out += B(a + x, b + tx - x + i) / B(a, b) * B(g + 1, d + tx + i) / B(g, d)
    return out


def loglik(p, cells):
    return mpmath.fsum(w * mpmath.log(likelihood(p, x, tx, n)) for x, tx, n, w in cells)


def fit(cells, start):
    """damped Newton on theta = log parameters"""
    theta = [mpmath.log(v) for v in start]
    f = lambda t: loglik([mpmath.exp(v) for v in t], cells)
    h = mpf('1e-10')
    for _ in range(100):
        base = f(theta)
        grad, hess = [], [[0] * 4 for _ in range(4)]
        for i in range(4):
            e = [h if j == i else 0 for j in range(4)]
            grad.append((f([t + s for t, s in zip(theta, e)]) - f([t - s for t, s in zip(theta, e)])) / (2 * h))
        k = mpf('1e-6')
        for i in range(4):
            for j in range(4):
                ei = [k if m == i else 0 for m in range(4)]
                ej = [k if m == j else 0 for m in range(4)]
                pp = f([t + a + b for t, a, b in zip(theta, ei, ej)])
                pm = f([t + a - b for t, a, b in zip(theta, ei, ej)])
                mp_ = f([t - a + b for t, a, b in zip(theta, ei, ej)])
                mm = f([t - a - b for t, a, b in zip(theta, ei, ej)])
                hess[i][j] = (pp - pm - mp_ + mm) / (4 * k * k)
        H = mpmath.matrix(hess)
        G = mpmath.matrix(grad)
        try:
            step = -(mpmath.lu_solve(H, G))
            step = [step[i] for i in range(4)]
            if sum(s * g for s, g in zip(step, grad)) <= 0:
                raise ZeroDivisionError
        except ZeroDivisionError:
            step = [g / 100 for g in grad]
        # at most 1 in any log-parameter at a time
        lam = min(mpf(1), 1 / max(abs(v) for v in step))
        while lam > mpf('1e-12'):
            trial = [t + lam * s for t, s in zip(theta, step)]
            if f(trial) > base:
                break
            lam /= 2
        theta = trial
        if max(abs(g) for g in grad) < mpf('1e-15'):
            break
    return [mpmath.exp(v) for v in theta]


def p_alive(p, x, tx, n):
    """eq. 11: P(alive at opportunity n + 1)"""
    a, b, g, d = p
    return B(a + x, b + n - x) / B(a, b) * B(g, d + n + 1) / B(g, d) / likelihood(p, x, tx, n)


def cond_expectation(p, x, tx, n, nstar):
    """eq. 13"""
    a, b, g, d = p
    G = mpmath.gamma
    return (1 / likelihood(p, x, tx, n) * B(a + x + 1, b + n - x) / B(a, b) * d / (g - 1)
            * G(g + d) / G(1 + d)
            * (G(1 + d + n) / G(g + d + n) - G(1 + d + n + nstar) / G(g + d + n + nstar)))


def expectation(p, n):
    """eq. 7"""
    a, b, g, d = p
    G = mpmath.gamma
    return a / (a + b) * d / (g - 1) * (1 - G(g + d) / G(g + d + n) * G(1 + d + n) / G(1 + d))


def pmf(p, n, x):
    """eq. 8: P(X(n) = x)"""
    a, b, g, d = p
    out = mpmath.binomial(n, x) * B(a + x, b + n - x) / B(a, b) * B(g, d + n) / B(g, d)
    for i in range(x, n):
        out += mpmath.binomial(i, x) * B(a + x, b + i - x) / B(a, b) * B(g + 1, d + i) / B(g, d)
    return out


def show(label, v, digits=12):
    print(f'{label}: {mpmath.nstr(v, digits)}')


def main():
    cells = load()
    print('donations:', len(cells), 'cells,', sum(c[3] for c in cells), 'customers')
    show('LL at the published parameters', loglik(PUBLISHED, cells))
    mle = fit(cells, (mpf('0.5'), mpf(2), mpf(2), mpf('0.5')))
    for name, v in zip(('alpha', 'beta', 'gamma', 'delta'), mle):
        show(f'MLE {name}', v)
    show('LL at the MLE', loglik(mle, cells))
    for label, p in (('published', PUBLISHED), ('MLE', mle)):
        print(f'-- at the {label} parameters')
        for x, tx, n in ((0, 0, 6), (2, 4, 6), (6, 6, 6), (1, 1, 6), (3, 5, 6)):
            show(f'P(alive at n+1 | {x}, {tx}, {n})', p_alive(p, x, tx, n))
        for x, tx, n, k in ((0, 0, 6, 5), (2, 4, 6, 5), (6, 6, 6, 5), (6, 6, 6, 1), (3, 5, 6, 10)):
            show(f'E[X(n, n+{k}) | {x}, {tx}, {n}]', cond_expectation(p, x, tx, n, k))
        show('sum over the donors of E[X(n, n+5)]',
             mpmath.fsum(w * cond_expectation(p, x, tx, n, 5) for x, tx, n, w in cells))
        for n in (1, 6, 11):
            e7 = expectation(p, n)
            e8 = mpmath.fsum(x * pmf(p, n, x) for x in range(n + 1))
            assert abs(e7 - e8) < mpf('1e-30'), (n, e7, e8)
            show(f'E[X({n})]', e7)
        show('11,104 donors x P(X(6) = 0)', 11104 * pmf(p, 6, 0), 8)
        show('11,104 donors x P(X(6) = 6)', 11104 * pmf(p, 6, 6), 8)
    # gamma = 1, where eqs. 7 and 13 are 0 / 0: the limit by mpmath's own
    # limit of the closed form, against gamma = 1 +- 1e-20
    p1 = (mpf('1.204'), mpf('0.750'), mpf(1), mpf('2.783'))
    near = lambda g: expectation((p1[0], p1[1], g, p1[3]), 6)
    show('E[X(6)] at gamma = 1 (limit)', (near(1 + mpf('1e-20')) + near(1 - mpf('1e-20'))) / 2)
    nearc = lambda g: cond_expectation((p1[0], p1[1], g, p1[3]), 2, 4, 6, 5)
    show('E[X(6, 11) | 2, 4, 6] at gamma = 1 (limit)', (nearc(1 + mpf('1e-20')) + nearc(1 - mpf('1e-20'))) / 2)

    extreme()
    std_errors(cells, mle)


def std_errors(cells, mle):
    """standard errors of the MLE from the observed information: the inverse
    of minus the Hessian of the log-likelihood in the natural parameters, by
    central differences at 40 digits (step 1e-12)"""
    f = lambda p: loglik(p, cells)
    h = mpf('1e-12')

    def at(i, di, j, dj):
        q = list(mle)
        q[i] += di
        q[j] += dj
        return f(q)
    H = mpmath.matrix(4, 4)
    for i in range(4):
        for j in range(4):
            H[i, j] = (at(i, h, j, h) - at(i, h, j, -h) - at(i, -h, j, h) + at(i, -h, j, -h)) / (4 * h * h)
    cov = (-H) ** -1
    for i, name in enumerate(('alpha', 'beta', 'gamma', 'delta')):
        show(f'std_err {name}', mpmath.sqrt(cov[i, i]))


def extreme():
    """Extreme parameters (sql/clv_bgbb.sql section 8): the same equations in
    logs with mpmath's loggamma at 400 digits, enough to resolve ln G(1e300 +
    k) - ln G(1e300) (where double lgamma cancels)"""
    with mp.workdps(400):
        def lb(a, b):
            return mpmath.loggamma(a) + mpmath.loggamma(b) - mpmath.loggamma(a + b)

        def lik(p, x, tx, n):
            a, b, g, d = p
            out = mpmath.exp(lb(a + x, b + n - x) - lb(a, b) + lb(g, d + n) - lb(g, d))
            for i in range(n - tx):
                out += mpmath.exp(lb(a + x, b + tx - x + i) - lb(a, b) + lb(g + 1, d + tx + i) - lb(g, d))
            return out

        def alive(p, x, tx, n):
            a, b, g, d = p
            return mpmath.exp(lb(a + x, b + n - x) - lb(a, b) + lb(g, d + n + 1) - lb(g, d)) / lik(p, x, tx, n)

        def cond(p, x, tx, n, k):
            a, b, g, d = p
            tail = mpmath.fsum(mpmath.exp(lb(g, d + n + i) - lb(g, d)) for i in range(1, k + 1))
            return mpmath.exp(lb(a + x + 1, b + n - x) - lb(a, b)) / lik(p, x, tx, n) * tail

        def pmf0(p, n):
            a, b, g, d = p
            out = mpmath.exp(lb(a, b + n) - lb(a, b) + lb(g, d + n) - lb(g, d))
            for i in range(n):
                out += mpmath.exp(lb(a, b + i) - lb(a, b) + lb(g + 1, d + i) - lb(g, d))
            return out

        print('-- extreme parameters')
        for p, (x, tx, n) in (((mpf('1e-300'), mpf('1e300'), mpf('1e-300'), mpf('1e300')), (2, 4, 6)),
                              ((mpf(1), mpf('1e20'), mpf(1), mpf('1e20')), (2, 4, 6)),
                              ((mpf('1e300'), mpf('1e-300'), mpf('1e300'), mpf('1e-300')), (6, 6, 6)),
                              ((mpf('1e5'), mpf('2e5'), mpf('3e5'), mpf('4e5')), (3, 5, 6))):
            label = ', '.join(mpmath.nstr(v, 3) for v in p)
            show(f'({label}) P(alive at n+1 | {x}, {tx}, {n})', alive(p, x, tx, n), 15)
            show(f'({label}) E[X(n, n+5) | {x}, {tx}, {n}]', cond(p, x, tx, n, 5), 15)
            show(f'({label}) P(X(6) = 0)', pmf0(p, 6), 15)
        # more than 64 factors in the rising factorials (crm_kpi's Stirling
        # and lgamma branches)
        for p, (x, tx, n) in (((mpf('1.204'), mpf('0.750'), mpf('0.657'), mpf('2.783')), (50, 150, 200)),
                              ((mpf('1e5'), mpf('2e5'), mpf('3e5'), mpf('4e5')), (70, 150, 200))):
            label = ', '.join(mpmath.nstr(v, 4) for v in p)
            show(f'({label}) P(alive at n+1 | {x}, {tx}, {n})', alive(p, x, tx, n), 15)
            show(f'({label}) E[X(n, n+5) | {x}, {tx}, {n}]', cond(p, x, tx, n, 5), 15)
            show(f'({label}) P(X(200) = 0)', pmf0(p, 200), 15)


if __name__ == '__main__':
    main()
