#!/usr/bin/env python3
"""Expected values of the hand-built ledgers of sql/new_customers.sql and
test/pgtap/new_customers.sql, computed from the definitions of
doc/pipeline.md section 5 with Python's standard library only (not with
crm_kpi): decimal for exact sums (the display scale of a sum is the largest
of its terms', as PostgreSQL's sum(numeric)), zoneinfo for the periods in a
time zone.

Per customer: first = the earliest row; period = the calendar period of
first in the time zone; early rows: first <= t < first + N days (N x 24
hours); repeat = an early row later than first whose amount is not negative
(NULL counts); first-N-days revenue = sum of the early amounts; net revenue =
sum of all amounts.  Per period: new customers, repeat customers, early
retention = repeat / new, the sums, and revenue per new customer.
Run: python3 new_customers_reference.py
"""
from datetime import datetime, timedelta, timezone
from decimal import Decimal as D
from zoneinfo import ZoneInfo

UTC = timezone.utc


def ts(s):
    return datetime.fromisoformat(s).replace(tzinfo=UTC)


def period_start(t, unit, zone):
    local = t.astimezone(zone)
    if unit == "day":
        start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    elif unit == "week":
        start = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    elif unit == "month":
        start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    elif unit == "quarter":
        start = local.replace(month=3 * ((local.month - 1) // 3) + 1, day=1, hour=0, minute=0,
                              second=0, microsecond=0)
    else:
        start = local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    # the local midnight, back to UTC (re-resolving the offset of that day)
    return start.replace(tzinfo=None).replace(tzinfo=zone).astimezone(UTC)


def exact_sum(values):
    total, scale = D(0), 0
    for v in values:
        total += v
        scale = max(scale, -v.as_tuple().exponent)
    return total.quantize(D(1).scaleb(-scale))


def cohorts(rows, unit, first_days, zone=UTC):
    by_customer = {}
    for customer, at, amount in rows:
        if customer is None or at is None:
            continue
        by_customer.setdefault(customer, []).append((at, amount))
    periods = {}
    for events in by_customer.values():
        first = min(at for at, _ in events)
        early = [(at, a) for at, a in events if at < first + timedelta(days=first_days)]
        repeat = any(at > first and (a is None or a >= 0) for at, a in early)
        p = periods.setdefault(period_start(first, unit, zone), [0, 0, [], []])
        p[0] += 1
        p[1] += repeat
        p[2] += [a for _, a in early if a is not None]
        p[3] += [a for _, a in events if a is not None]
    for start in sorted(periods):
        n, r, early, net = periods[start]
        fd = exact_sum(early)
        print(f"  {start:%Y-%m-%d %H:%M} UTC  new {n}  repeat {r}  retention {r / n:g}  "
              f"first days {fd}  per customer {fd / n}  net {exact_sum(net)}")


LEDGER = [
    (1, ts("2024-01-10 09:00"), D("100.00")), (1, ts("2024-01-25 09:00"), D("50.50")),
    (1, ts("2024-03-01 09:00"), D("20.00")),
    (2, ts("2024-01-31 23:00"), D("10.00")), (2, ts("2024-03-01 23:00"), D("5.00")),
    (3, ts("2024-02-05 12:00"), D("200")), (3, ts("2024-02-05 12:00"), D("30")),
    (3, ts("2024-02-20 12:00"), None),
    (4, ts("2024-02-28 08:00"), D("-10.00")), (4, ts("2024-02-10 08:00"), D("60.000")),
    (None, ts("2024-01-01 00:00"), D("1000")), (5, None, D("1000")),
]
PGTAP = [
    (1, ts("2025-03-30 00:00"), D("40.00")), (1, ts("2025-04-05 00:00"), D("60.00")),
    (1, ts("2025-06-01 00:00"), D("100.00")),
    (2, ts("2025-04-02 00:00"), D("25.5")), (2, ts("2025-04-03 00:00"), D("-5.5")),
]

if __name__ == "__main__":
    print("sql/new_customers.sql, section 1: months, first 30 days (UTC)")
    cohorts(LEDGER, "month", 30)
    print("months in Europe/Paris")
    cohorts(LEDGER, "month", 30, ZoneInfo("Europe/Paris"))
    print("first 15 days")
    cohorts(LEDGER, "month", 15)
    print("quarters; years; ISO weeks; days")
    cohorts(LEDGER, "quarter", 30)
    cohorts(LEDGER, "year", 30)
    cohorts(LEDGER, "week", 30)
    cohorts(LEDGER, "day", 30)
    print("acquisition_efficiency of January, spend 321.00: CAC", D("321.00") / 2,
          " per first-30-days revenue", D("321.00") / D("160.50"),
          " per net revenue", round(D("321.00") / D("185.50"), 6))
    print("test/pgtap/new_customers.sql: months, first 30 days")
    cohorts(PGTAP, "month", 30)
    print("quarters: April's cohort with a spend of 50: CAC", D(50) / 1, " per first-30-days revenue",
          D(50) / D("20.0"))
