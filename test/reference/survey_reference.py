#!/usr/bin/env python3
"""Independent expected values for sql/survey.sql.

Computed from the published definitions with Python's standard library and
mpmath (arbitrary precision), not with crm_kpi.  Run it to see where every
number in expected/survey.out comes from:  python3 survey_reference.py
"""
from statistics import NormalDist
import mpmath as mp

mp.mp.dps = 40
Z95 = NormalDist().inv_cdf(0.975)


def nps_parts(counts):
    """counts: 11 counts for scores 0..10"""
    n = sum(counts)
    d = sum(counts[0:7])
    pa = sum(counts[7:9])
    p = sum(counts[9:11])
    return n, p, pa, d


def se(p, d, n):
    ps, ds = p / n, d / n
    return 100 * ((ps + ds - (ps - ds) ** 2) / n) ** 0.5


def clip(x, lo, hi):
    return max(lo, min(hi, x))


def nps_report(counts, z=Z95):
    n, p, pa, d = nps_parts(counts)
    nps = 100 * (p - d) / n
    s = se(p, d, n)
    wald = (clip(nps - z * s, -100, 100), clip(nps + z * s, -100, 100))
    # adjusted Wald (Rocks 2016): +3/4 promoter, +3/4 detractor, +3/2 passive
    pa_, da_, na_ = p + 0.75, d + 0.75, n + 3
    c = 100 * (pa_ - da_) / na_
    sa = se(pa_, da_, na_)
    adj = (clip(c - z * sa, -100, 100), clip(c + z * sa, -100, 100))
    return dict(n=n, promoters=p, passives=pa, detractors=d, nps=nps, se=s,
                wald=wald, adjusted_wald=adj)


def t_quantile(p, df):
    """Student t quantile by root finding on mpmath's regularized beta."""
    df = mp.mpf(df)
    cdf = lambda t: 1 - mp.betainc(df / 2, mp.mpf(1) / 2, 0, df / (df + t * t), regularized=True) / 2
    return mp.findroot(lambda t: cdf(t) - p, 2)


def mean_ci(counts, low, level=0.95):
    scores = [low + i for i, c in enumerate(counts) for _ in range(c)]
    n = len(scores)
    m = mp.mpf(sum(scores)) / n
    var = sum((x - m) ** 2 for x in scores) / (n - 1)
    t = t_quantile(mp.mpf(1) / 2 + mp.mpf(level) / 2, n - 1)
    h = t * mp.sqrt(var / n)
    return float(m), (float(m - h), float(m + h))


def wilson(k, n, z):
    p = k / n
    den = 1 + z * z / n
    c = (p + z * z / (2 * n)) / den
    h = z / den * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5
    return (0.0 if k == 0 else c - h, 1.0 if k == n else c + h)


if __name__ == "__main__":
    sample = [3, 1, 2, 0, 4, 5, 6, 10, 14, 20, 35]     # sql/survey.sql "sample"
    r = nps_report(sample)
    print("sample:", r)
    print("sample 90% wald:", nps_report(sample, NormalDist().inv_cdf(0.95))["wald"])
    print("P=40 D=30 n=100:", nps_report([30, 0, 0, 0, 0, 0, 0, 30, 0, 40, 0]))
    # two quarters: q1 = sample, q2 below
    q2 = [10, 2, 3, 5, 5, 8, 7, 15, 15, 15, 15]
    a, b = nps_report(q2), r
    diff = a["nps"] - b["nps"]
    sdiff = (a["se"] ** 2 + b["se"] ** 2) ** 0.5
    zz = diff / sdiff
    print("compare(q2, sample):", diff, sdiff, zz, 2 * (1 - NormalDist().cdf(abs(zz))))
    csat = [2, 3, 5, 12, 18]                           # scores 1..5
    n = sum(csat)
    print("csat:", 100 * (csat[3] + csat[4]) / n, "top-1:", 100 * csat[4] / n,
          "wilson95:", [100 * x for x in wilson(csat[3] + csat[4], n, Z95)])
    ces = [1, 2, 4, 6, 9, 11, 7]                       # scores 1..7
    m, ci = mean_ci(ces, 1)
    print("ces mean:", m, "t95:", ci, "agree>=5:", 100 * sum(ces[4:]) / sum(ces))
    print("t(0.975, 9) =", t_quantile(0.975, 9), " t(0.995, 2) =", t_quantile(0.995, 2))
    print("t(0.975, 4999) =", t_quantile(0.975, 4999), " t(0.975, 2000001) =", t_quantile(0.975, 2000001))
    print("z(0.9500042097035593) =", NormalDist().inv_cdf(0.5 + 0.9500042097035593 / 2))
