-- bench/clv/sanity.sql: the timed CLV queries give the right answers.  Run by
-- bench/run after setup.sql.  Prints one line per check, "ok" or "MISMATCH".

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\pset tuples_only on
\pset format unaligned

-- clv per customer equals sum per customer, serial and with 2 workers
SELECT bench_workers(0) \gset
SELECT bench_check('clv = sum per customer, serial', count(*) FILTER (WHERE c IS DISTINCT FROM s) = 0,
	count(*) || ' customers')
FROM (SELECT customer_id, clv(amount) AS c, sum(amount) AS s FROM orders GROUP BY customer_id) x;
SELECT bench_workers(2) \gset
SELECT bench_check('clv = sum per customer, 2 workers', count(*) FILTER (WHERE c IS DISTINCT FROM s) = 0,
	count(*) || ' customers')
FROM (SELECT customer_id, clv(amount, cost) AS c, sum(amount - cost) AS s FROM orders GROUP BY customer_id) x;
SELECT bench_check('clv discounted = analyst SQL, 2 workers', abs(c - s) < 1e-6 * abs(s),
	c::text || ' vs ' || s::text)
FROM (SELECT clv(amount, cost, order_date, '2025-01-01', 0.08) AS c,
		sum((amount - cost) * power(1.08::float8, ('2025-01-01'::date - order_date) / 365.25)::numeric) AS s
	  FROM orders) x;
SELECT bench_workers(0) \gset

-- the fits: serial and parallel agree; the CDNOW cohort gives a converged fit
SELECT bgnbd_fit(s)::text AS serial_fit FROM sim_rfm \gset
SELECT bench_workers(2) \gset
SELECT bench_check('bgnbd_fit serial = 2 workers', bgnbd_fit(s)::text = :'serial_fit', :'serial_fit')
FROM sim_rfm;
SELECT bench_workers(0) \gset
SELECT bench_check('bgnbd_fit on the CDNOW cohort converges', converged(m) AND customers(m) = 23570,
	m::text)
FROM (SELECT bgnbd_fit(s) AS m FROM cdnow_rfm) x;
SELECT bench_check('sim_rfm: distinct RFM triples', true,
	count(DISTINCT s::text) || ' distinct of ' || count(*) || ' customers')
FROM sim_rfm;

-- holdout validation: the bins' counts are the plain SQL counts, serial and
-- with 2 workers, and the predicted sums agree to rounding
SELECT bench_workers(2) \gset
SELECT bench_check('holdout_agg bins = plain SQL, 2 workers',
	bool_and(t.customers = p.n AND round(t.actual * t.customers) = p.a AND abs(t.predicted * t.customers - p.e) <= 1e-9 * p.e),
	count(*) || ' rows')
FROM (SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), s, frequency(s) % 3, 39) AS h FROM sim_rfm) x,
	calibration_table(x.h, 101) t
JOIN (SELECT least(frequency(s), 101)::int AS frequency, count(*) AS n, sum(frequency(s) % 3) AS a,
		sum(expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426), s, 39)) AS e
	  FROM sim_rfm GROUP BY 1) p USING (frequency);
SELECT bench_workers(0) \gset

-- bgbb_fit: serial and parallel agree; one row a customer and cells agree;
-- the fit converges and recovers the simulated parameters (1.204, 0.750,
-- 0.657, 2.783) within 5 %
SELECT bench_workers(0) \gset
SELECT bgbb_fit(frequency, recency, periods)::text AS serial_bgbb FROM sim_bgbb \gset
SELECT bench_workers(2) \gset
SELECT bench_check('bgbb_fit serial = 2 workers', bgbb_fit(frequency, recency, periods)::text = :'serial_bgbb',
	:'serial_bgbb')
FROM sim_bgbb;
SELECT bench_workers(0) \gset
SELECT bench_check('bgbb_fit rows = cells, converged, recovers', m::text = :'serial_bgbb' AND converged(m)
	AND customers(m) = 1000000 AND abs(alpha(m) / 1.204 - 1) < 0.05 AND abs(beta(m) / 0.750 - 1) < 0.05
	AND abs(gamma(m) / 0.657 - 1) < 0.05 AND abs(delta(m) / 2.783 - 1) < 0.05, cells || ' cells: ' || m::text)
FROM (SELECT bgbb_fit(frequency, recency, periods, c) AS m, count(*) AS cells
	  FROM (SELECT frequency, recency, periods, count(*) AS c FROM sim_bgbb GROUP BY 1, 2, 3) x) y;
