--
-- Calibration / holdout validation of the BG/NBD model: holdout_agg,
-- holdout_summary, rollup, calibration_table, holdout_totals.
--
-- Expected values come from outside crm_kpi: plain SQL counts and means over
-- the same customers, and test/reference/clv_holdout_reference.py (mpmath,
-- the closed form of Fader, Hardie & Lee 2005 eq. 10 with mpmath's 2F1, on
-- the BTYD CDNOW event log split at 1997-09-30; its holdout counts agree
-- with test/data/cdnow_cbs_holdout.csv).  Provenance in
-- test/reference/README.md.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET extra_float_digits = 0;

-- 1. The inputs, from the transaction log in one statement (doc/clv.md):
-- the calibration RFM summary of the purchases up to the calibration end and
-- the holdout repeat purchases (distinct purchase days) after it, 39 weeks
CREATE TABLE ho_elog (masterid int, customer int, day_number int, cds int, sales double precision);
\copy ho_elog FROM 'test/data/btyd_cdnow_elog.csv' (FORMAT csv, HEADER)
ALTER TABLE ho_elog ADD COLUMN day date;
UPDATE ho_elog SET day = to_date(day_number::text, 'YYYYMMDD');
CREATE TABLE ho_customers AS
WITH split AS (
	SELECT customer,
		rfm_agg(day, sales, date '1997-09-30', '7 days') AS calibration,
		count(DISTINCT day) FILTER (WHERE day > date '1997-09-30') AS holdout_purchases
	FROM ho_elog GROUP BY customer
)
SELECT * FROM split WHERE calibration IS NOT NULL;
SELECT count(*) AS customers, sum(frequency(calibration)) AS sum_x,
	sum(holdout_purchases) AS sum_x_star FROM ho_customers;

-- the team's derived CBS of the same log (x_star = holdout repeat purchases)
-- agrees with the statement above for every customer
CREATE TABLE ho_cbs (customer int, x bigint, t_x double precision, t_cal double precision,
	m_x double precision, x_star bigint, first_purchase date);
\copy ho_cbs FROM 'test/data/cdnow_cbs_holdout.csv' (FORMAT csv, HEADER)
SELECT count(*) AS customers,
	count(*) FILTER (WHERE frequency(c.calibration) <> b.x OR c.holdout_purchases <> b.x_star
		OR abs(recency(c.calibration) - b.t_x) > 1e-9
		OR abs(customer_age(c.calibration) - b.t_cal) > 1e-9) AS differ
FROM ho_customers c JOIN ho_cbs b USING (customer);

-- 2. The holdout summary at the published parameters (r 0.243, alpha 4.414,
-- a 0.793, b 2.426) and the calibration table: reference
--   0 1411 0.236711552090716 0.225450879156771
--   1  439 0.697038724373576 0.523176131644427
--   2  214 1.39252336448598  1.04416972017023
--   3  100 1.56              1.52029267981222
--   4   62 2.53225806451613  2.16387473315474
--   5   38 2.94736842105263  2.65383166909014
--   6   29 3.86206896551724  3.50399065443773
--   7+  64 6.359375          6.15707176677932
CREATE TABLE ho_published AS
SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), calibration, holdout_purchases, 39) AS s
FROM ho_customers;
SELECT t.frequency, t.customers, round(t.actual::numeric, 12) AS actual,
	round(t.predicted::numeric, 12) AS predicted
FROM ho_published, calibration_table(s) t;
SELECT bool_and(abs(t.predicted - r.predicted) < 1e-12 * r.predicted
		AND abs(t.actual - r.actual) < 1e-13 * r.actual AND t.customers = r.customers) AS as_reference
FROM ho_published, calibration_table(s) t
JOIN (VALUES (0, 1411, 0.236711552090716, 0.225450879156771),
	(1, 439, 0.697038724373576, 0.523176131644427), (2, 214, 1.39252336448598, 1.04416972017023),
	(3, 100, 1.56, 1.52029267981222), (4, 62, 2.53225806451613, 2.16387473315474),
	(5, 38, 2.94736842105263, 2.65383166909014), (6, 29, 3.86206896551724, 3.50399065443773),
	(7, 64, 6.359375, 6.15707176677932)) r(frequency, customers, actual, predicted)
	USING (frequency);
-- the bins against plain SQL: counts, mean actual purchases and the mean of
-- expected_purchases (the same expectation, one customer at a time)
SELECT bool_and(t.customers = p.customers AND t.actual = p.actual
		AND abs(t.predicted - p.predicted) < 1e-13 * p.predicted) AS as_plain_sql
FROM ho_published, calibration_table(s, 7) t
JOIN (SELECT least(frequency(calibration), 7)::int AS frequency, count(*) AS customers,
		avg(holdout_purchases)::double precision AS actual,
		avg(expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426), calibration, 39)) AS predicted
	  FROM ho_customers GROUP BY 1) p USING (frequency);
-- max_frequency 3: the last row is "3 or more"
SELECT t.frequency, t.customers, round(t.actual::numeric, 12) AS actual,
	round(t.predicted::numeric, 12) AS predicted
FROM ho_published, calibration_table(s, 3) t;
-- totals and the customer-weighted mean absolute error of the rows;
-- reference: 2357 | 1882 | 1653.94125931335 | 0.0967580571432545 (rows 0..7+
-- and 0..3+), 0.150299073419382 (every frequency its own row)
SELECT h.customers, h.actual, round(h.predicted::numeric, 10) AS predicted,
	round(h.mean_absolute_error::numeric, 14) AS mean_absolute_error
FROM ho_published, holdout_totals(s) h;
SELECT round((holdout_totals(s, 3)).mean_absolute_error::numeric, 14) AS mae_3,
	round((holdout_totals(s, 101)).mean_absolute_error::numeric, 14) AS mae_101,
	round((holdout_totals(s, 0)).mean_absolute_error::numeric, 14) AS mae_0   -- |1882 - 1653.94...| / 2357
FROM ho_published;

-- 3. The stored form, and its text and binary round trips
SELECT s FROM ho_published;
SELECT s::text::holdout_summary::text = s::text AS text_round_trip FROM ho_published;
\i test/binary_copy.sql
SELECT pg_temp.load_binary('holdout_summary', holdout_summary_send(s)) = s::text AS binary_round_trip
FROM ho_published;
SELECT encode(holdout_summary_send('{"version":1,"bins":[[0,2,1,0.5],[101,1,7,3.25]]}'), 'hex');
SELECT pg_temp.load_binary('holdout_summary', decode('01' || '00000002'
	|| '00000000' || '0000000000000002' || '0000000000000001' || '3fe0000000000000'
	|| '00000065' || '0000000000000001' || '0000000000000007' || '400a000000000000'
	|| '0000000000000000' || '00000000', 'hex'));                -- period length 0, no periods
-- a tracked one: 1 period of 0.5, 1 purchase, expectation 0.25
SELECT pg_temp.load_binary('holdout_summary', decode('01' || '00000001'
	|| '00000003' || '0000000000000001' || '0000000000000001' || '3fd0000000000000'
	|| '3fe0000000000000' || '00000001' || '0000000000000001' || '3fd0000000000000', 'hex'));
-- format 2: 1 calibration period before the holdout period (2 purchases,
-- cumulative expectation 0.125 at the calibration end)
SELECT pg_temp.load_binary('holdout_summary', decode('02' || '00000001'
	|| '00000003' || '0000000000000001' || '0000000000000001' || '3fd0000000000000'
	|| '3fe0000000000000' || '00000001' || '00000002' || '0000000000000002' || '3fc0000000000000'
	|| '0000000000000001' || '3fd0000000000000', 'hex'));

-- 4. rollup of partial summaries (by first purchase month) is the one
-- aggregate; calibration_table of the rollup agrees
CREATE TABLE ho_parts AS
SELECT b.first_purchase, holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), c.calibration,
	c.holdout_purchases, 39) AS s
FROM ho_customers c JOIN ho_cbs b USING (customer) GROUP BY b.first_purchase;
SELECT count(*) AS parts FROM ho_parts;
SELECT bool_and(a.frequency = b.frequency AND a.customers = b.customers AND a.actual = b.actual
		AND abs(a.predicted - b.predicted) < 1e-13 * b.predicted) AS rollup_is_one_aggregate
FROM (SELECT t.* FROM (SELECT rollup(s) AS s FROM ho_parts) r, calibration_table(r.s, 101) t) a
JOIN (SELECT t.* FROM ho_published, calibration_table(s, 101) t) b USING (frequency);

-- 5. Edges: no rows, NULL inputs skipped, frequencies above 100 in one bin,
-- a fitted model
SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), calibration, holdout_purchases, 39) AS s
FROM ho_customers WHERE false;
SELECT * FROM calibration_table('{"version":1,"bins":[]}', 2);
SELECT * FROM holdout_totals('{"version":1,"bins":[]}');
SELECT rollup(s) FROM ho_parts WHERE false;
SELECT holdout_agg(m, c, n, l)
FROM (VALUES (bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), 2::bigint, 1::float8),
	(NULL, rfm_summary(0, 0, 2), 5, 1), (bgnbd_model(1, 2, 3, 4), NULL, 5, 1),
	(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), NULL, 1),
	(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), 5, NULL)) v(m, c, n, l);
-- one customer: its prediction is expected_purchases
WITH one AS (SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), rfm_summary(2, 30.43, 38.86), 1, 39) AS s)
SELECT t.frequency, t.customers, t.actual,
	t.predicted = expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426),
		rfm_summary(2, 30.43, 38.86), 39) AS one_customer
FROM one, calibration_table(one.s, 2) t;
CREATE TABLE ho_many AS
SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), rfm_summary(x, 20, 40), x % 3, 10) AS s
FROM generate_series(98, 104) x;
SELECT s FROM ho_many;
SELECT t.frequency, t.customers, t.actual, t.predicted > 0 AS predicted
FROM ho_many, calibration_table(s, 101) t WHERE t.frequency >= 97;
SELECT t.frequency, t.customers, t.actual FROM ho_many, calibration_table(s, 99) t WHERE t.frequency >= 97;
-- a fitted (converged) model of the calibration customers
SELECT converged(m), h.customers, h.actual, h.predicted > 1600 AND h.predicted < 1700 AS predicted_near_1654
FROM (SELECT bgnbd_fit(calibration) AS m FROM ho_customers) f,
	holdout_totals((SELECT holdout_agg(f.m, calibration, holdout_purchases, 39) FROM ho_customers)) h;

-- 6. Errors
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), -1, 1);
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), 1, 0);
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), 1, 'NaN');
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), 1, 'Infinity');
SELECT holdout_agg('{"version":1,"r":0.5,"alpha":2,"a":300000,"b":4,"log_likelihood":-10,"customers":5,"converged":false}'::bgnbd_model,
	rfm_summary(0, 0, 2), 1, 1);
SELECT * FROM calibration_table('{"version":1,"bins":[]}', -1);
SELECT * FROM calibration_table('{"version":1,"bins":[]}', 102);
SELECT holdout_summary '{"version":1,"bins":[[1,2,3,1],[1,2,3,1]]}';
SELECT holdout_summary '{"version":1,"bins":[[0,0,0,0]]}';
SELECT holdout_summary '{"version":1,"bins":[[102,1,0,0]]}';
SELECT holdout_summary '{"version":3,"bins":[]}';
SELECT holdout_summary '{"version":1,"bins":[[0,1,-1,0]]}';
SELECT holdout_summary '{"version":1,"bins":[[0,9223372036854775807,0,0],[1,1,0,0]]}';
SELECT holdout_summary '{"version":1,"bins":[[0,1,0,1e308],[1,1,0,1e308]]}';
SELECT rollup(s) FROM (VALUES (holdout_summary '{"version":1,"bins":[[0,9223372036854775807,0,0]]}'),
	('{"version":1,"bins":[[0,1,0,0]]}')) v(s);

-- 7. Tracking the holdout week by week: each customer's holdout purchase
-- days as offsets in weeks from the calibration end (an empty array for no
-- holdout purchase); 39 periods of 1 week.  Reference: purchases per week
--   50 56 49 59 47 85 61 59 45 70 66 49 30 51 42 53 28 47 40 46 43 65 79 50
--   59 58 35 36 47 29 44 42 35 29 42 48 48 32 28   (sum 1882)
-- cumulative expectation at weeks 1, 2, 5, 13, 26, 39: 52.1640280884663,
-- 103.607880542499, 253.861524065388, 628.228241339747, 1171.52354460026,
-- 1653.94125931335
CREATE TABLE ho_times AS
SELECT customer,
	rfm_agg(day, sales, date '1997-09-30', '7 days') AS calibration,
	coalesce(array_agg(DISTINCT (day - date '1997-09-30') / 7.0::float8)
		FILTER (WHERE day > date '1997-09-30'), '{}') AS holdout_times
FROM ho_elog GROUP BY customer;
CREATE TABLE ho_tracked AS
SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), calibration, holdout_times, 1, 39) AS s
FROM ho_times;
SELECT string_agg(t.actual::text, ' ' ORDER BY t.period) AS weekly,
	sum(t.actual) AS total, max(t.actual_cumulative) AS cumulative
FROM ho_tracked, holdout_tracking(s) t;
SELECT t.period, t.actual_cumulative, round(t.expected::numeric, 10) AS expected,
	round(t.expected_cumulative::numeric, 10) AS expected_cumulative
FROM ho_tracked, holdout_tracking(s) t WHERE t.period IN (1, 2, 5, 13, 26, 39) ORDER BY 1;
SELECT bool_and(abs(t.expected_cumulative - r.e) < 1e-12 * r.e) AS as_reference
FROM ho_tracked, holdout_tracking(s) t
JOIN (VALUES (1, 52.1640280884663), (2, 103.607880542499), (5, 253.861524065388), (13, 628.228241339747),
	(26, 1171.52354460026), (39, 1653.94125931335)) r(period, e) USING (period);
-- the same bins as the count form over the same customers, and the weeks
-- against plain SQL
SELECT bool_and(a.customers = b.customers AND a.actual = b.actual
		AND abs(a.predicted - b.predicted) < 1e-13 * b.predicted) AS bins_as_count_form
FROM (SELECT t.* FROM ho_tracked, calibration_table(s, 101) t) a
JOIN (SELECT t.* FROM ho_published, calibration_table(s, 101) t) b USING (frequency);
SELECT bool_and(t.actual = p.n) AS weeks_as_plain_sql
FROM ho_tracked, holdout_tracking(s) t
JOIN (SELECT ((day - date '1997-09-30') + 6) / 7 AS period, count(DISTINCT (customer, day)) AS n
	  FROM ho_elog WHERE day > date '1997-09-30' GROUP BY 1) p USING (period);
-- period k's expectation is the sum of expected_purchases(k) -
-- expected_purchases(k - 1) (to the rounding of sum(float8))
SELECT bool_and(abs(t.expected - (p.e_k - p.e_k1)) < 1e-9) AS increments_as_plain_sql
FROM ho_tracked, holdout_tracking(s) t
JOIN (SELECT k AS period, sum(expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426), calibration, k)) AS e_k,
		sum(expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426), calibration, k - 1)) AS e_k1
	  FROM ho_times, generate_series(1, 39) k GROUP BY k) p USING (period);
-- the stored form; rollup by first purchase month keeps the periods
SELECT s::text::holdout_summary::text = s::text AS text_round_trip,
	pg_temp.load_binary('holdout_summary', holdout_summary_send(s)) = s::text AS binary_round_trip
FROM ho_tracked;
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), c, t, 2, 3)
FROM (VALUES (rfm_summary(1, 1, 2), '{0.5, 2, 2.5, 6, 6.5}'::float8[]), (rfm_summary(0, 0, 2), '{}'),
	(rfm_summary(0, 0, 2), NULL)) v(c, t);
SELECT bool_and(a.period = b.period AND a.actual = b.actual
		AND abs(a.expected_cumulative - b.expected_cumulative) < 1e-12 * b.expected_cumulative) AS rollup_is_one_aggregate
FROM (SELECT t.* FROM (SELECT rollup(s) AS s FROM (
		SELECT date_trunc('month', f.first_day) AS m, holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426),
			x.calibration, x.holdout_times, 1, 39) AS s
		FROM ho_times x JOIN (SELECT customer, min(day) AS first_day FROM ho_elog GROUP BY customer) f
			USING (customer) GROUP BY 1) g) r,
	  holdout_tracking(r.s) t) a
JOIN (SELECT t.* FROM ho_tracked, holdout_tracking(s) t) b USING (period);
SELECT * FROM holdout_tracking('{"version":1,"bins":[]}');
-- errors
SELECT * FROM holdout_tracking((SELECT s FROM ho_published));
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), '{1, NULL}', 1, 3);
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), '{0}', 1, 3);
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), '{-1}', 1, 3);
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), '{1}', 0, 3);
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), '{1}', 1, 0);
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), '{1}', 1, 2001);
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), '{{1}}', 1, 3);
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 2), '{1}', 1, p) FROM (VALUES (3), (4)) v(p);
SELECT rollup(s) FROM (VALUES (holdout_summary '{"version":1,"bins":[[0,1,1,0.5]],"period_length":1,"periods":[[1,0.5]]}'),
	('{"version":1,"bins":[[0,1,0,0.5]]}')) v(s);
SELECT holdout_summary '{"version":1,"bins":[[0,1,1,0.5]],"period_length":1,"periods":[[0,0.5]]}';
SELECT holdout_summary '{"version":1,"bins":[],"period_length":1,"periods":[[0,0.5]]}';
SELECT holdout_summary '{"version":1,"bins":[[0,1,0,0.5]],"period_length":0,"periods":[[0,0.5]]}';

-- 7b. holdout_agg over a Pareto/NBD model: the same summary, by the
-- Pareto/NBD conditional expectation, at the published CDNOW parameters
-- r 0.553, alpha 10.578, s 0.606, beta 11.669 (FHL 2005 note).  Reference
-- (test/reference/clv_holdout_reference.py, mpmath's own 2F1):
--   0 1411 0.236711552090716 0.138466305570126
--   1  439 0.697038724373576 0.599545966649177
--   2  214 1.39252336448598  1.19596914851661
--   3  100 1.56              1.71403957602461
--   4   62 2.53225806451613  2.39854026085154
--   5   38 2.94736842105263  2.90749273519727
--   6   29 3.86206896551724  3.81895999464843
--   7+  64 6.359375          6.40361107538324
--   totals 2357 | 1882 | 1665.69316068307 | mae 0.107245215176454 (0.0978638489949488
--   for max_frequency 3, 0.160545656092382 for every frequency its own row)
CREATE TABLE ho_pnbd AS
SELECT holdout_agg(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), calibration, holdout_purchases, 39) AS s
FROM ho_customers;
SELECT t.frequency, t.customers, round(t.actual::numeric, 12) AS actual,
	round(t.predicted::numeric, 12) AS predicted
FROM ho_pnbd, calibration_table(s) t;
SELECT bool_and(abs(t.predicted - r.predicted) < 1e-12 * r.predicted
		AND abs(t.actual - r.actual) < 1e-13 * r.actual AND t.customers = r.customers) AS as_reference
FROM ho_pnbd, calibration_table(s) t
JOIN (VALUES (0, 1411, 0.236711552090716, 0.138466305570126),
	(1, 439, 0.697038724373576, 0.599545966649177), (2, 214, 1.39252336448598, 1.19596914851661),
	(3, 100, 1.56, 1.71403957602461), (4, 62, 2.53225806451613, 2.39854026085154),
	(5, 38, 2.94736842105263, 2.90749273519727), (6, 29, 3.86206896551724, 3.81895999464843),
	(7, 64, 6.359375, 6.40361107538324)) r(frequency, customers, actual, predicted)
	USING (frequency);
SELECT h.customers, h.actual, round(h.predicted::numeric, 10) AS predicted,
	round(h.mean_absolute_error::numeric, 14) AS mean_absolute_error,
	round((holdout_totals(s, 3)).mean_absolute_error::numeric, 14) AS mae_3,
	round((holdout_totals(s, 101)).mean_absolute_error::numeric, 14) AS mae_101
FROM ho_pnbd, holdout_totals(s) h;
-- the bins against plain SQL: the mean of expected_purchases of the model
SELECT bool_and(t.customers = p.customers AND t.actual = p.actual
		AND abs(t.predicted - p.predicted) < 1e-13 * p.predicted) AS as_plain_sql
FROM ho_pnbd, calibration_table(s, 7) t
JOIN (SELECT least(frequency(calibration), 7)::int AS frequency, count(*) AS customers,
		avg(holdout_purchases)::double precision AS actual,
		avg(expected_purchases(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), calibration, 39)) AS predicted
	  FROM ho_customers GROUP BY 1) p USING (frequency);
-- tracked by week; reference cumulative expectations at weeks 1, 2, 5, 13,
-- 26, 39: 52.1209914102737 103.545779332655 253.8786714556
-- 629.354368167518 1176.78622189569 1665.69316068307
CREATE TABLE ho_pnbd_tracked AS
SELECT holdout_agg(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), calibration, holdout_times, 1, 39) AS s
FROM ho_times;
SELECT t.period, t.actual_cumulative, round(t.expected::numeric, 10) AS expected,
	round(t.expected_cumulative::numeric, 10) AS expected_cumulative
FROM ho_pnbd_tracked, holdout_tracking(s) t WHERE t.period IN (1, 2, 5, 13, 26, 39) ORDER BY 1;
SELECT bool_and(abs(t.expected_cumulative - r.e) < 1e-12 * r.e) AS as_reference
FROM ho_pnbd_tracked, holdout_tracking(s) t
JOIN (VALUES (1, 52.1209914102737), (2, 103.545779332655), (5, 253.8786714556), (13, 629.354368167518),
	(26, 1176.78622189569), (39, 1665.69316068307)) r(period, e) USING (period);
-- an unconverged Pareto/NBD fit is refused, as for BG/NBD
SELECT holdout_agg('{"version":1,"r":0.5,"alpha":2,"s":300000,"beta":4,"log_likelihood":-10,"customers":5,"converged":false}'::pareto_nbd_model,
	rfm_summary(0, 0, 2), 1, 1);
SELECT holdout_agg('{"version":1,"r":0.5,"alpha":2,"s":300000,"beta":4,"log_likelihood":-10,"customers":5,"converged":false}'::pareto_nbd_model,
	rfm_summary(0, 0, 2), '{1}', 1, 3);

-- 7c. Tracking over the calibration period too (BTYD's bgnbd.PlotTrackingCum
-- and bgnbd.ExpectedCumulativeTransactions): 39 calibration weeks (periods
-- -38 .. 0, from 1996-12-31, before every first purchase) and 39 holdout
-- weeks, per week the repeat purchases and the cumulative sum over customers
-- of the unconditional E[X(t - birth)].  Reference
-- (test/reference/clv_holdout_reference.py: mpmath's 2F1 for BG/NBD, the
-- closed form for Pareto/NBD), repeat purchases per week -38 .. 39:
--   0 19 23 39 38 73 69 90 77 76 106 123 95 86 91 73 71 73 64 73 55 70 33 56
--   99 74 54 40 45 88 59 37 63 60 47 51 52 53 62 50 56 49 59 47 85 61 59 45
--   70 66 49 30 51 42 53 28 47 40 46 43 65 79 50 59 58 35 36 47 29 44 42 35
--   29 42 48 48 32 28
-- period, actual, actual_cumulative, BG/NBD and Pareto/NBD expected_cumulative:
--    -38   0    0 3.21384313088642 3.06682040376571
--    -26  95  828 710.048212780272 698.504088131003
--    -13  74 1746 1729.45245597856 1732.45659863542
--      0  62 2457 2497.56352948731 2524.05050244132
--      1  50 2507 2550.29702010751 2578.66444896681
--     13  30 3183 3132.12433327634 3183.43210013526
--     26  58 3844 3680.15951115878 3756.874179507
--     39  28 4339 4166.37272038574 4268.94703687642
CREATE TABLE ho_whole AS
SELECT customer,
	rfm_agg(day, sales, date '1997-09-30', '7 days') AS calibration,
	coalesce(array_agg(DISTINCT (day - date '1997-09-30') / 7.0::float8)
		FILTER (WHERE day <= date '1997-09-30' AND day > first_day), '{}') AS calibration_times,
	coalesce(array_agg(DISTINCT (day - date '1997-09-30') / 7.0::float8)
		FILTER (WHERE day > date '1997-09-30'), '{}') AS holdout_times
FROM (SELECT *, min(day) OVER (PARTITION BY customer) AS first_day FROM ho_elog) e
GROUP BY customer;
CREATE TABLE ho_whole_tracked AS
SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), calibration, calibration_times, holdout_times,
		1, 39, 39) AS s
FROM ho_whole;
SELECT count(*) AS periods, min(t.period) AS first, max(t.period) AS last,
	string_agg(t.actual::text, ' ' ORDER BY t.period) AS weekly,
	max(t.actual_cumulative) AS cumulative
FROM ho_whole_tracked, holdout_tracking(s) t;
SELECT t.period, t.actual, t.actual_cumulative, round(t.expected::numeric, 10) AS expected,
	round(t.expected_cumulative::numeric, 10) AS expected_cumulative
FROM ho_whole_tracked, holdout_tracking(s) t WHERE t.period IN (-38, -26, -13, 0, 1, 13, 26, 39) ORDER BY 1;
SELECT count(*) AS periods, bool_and(abs(t.expected_cumulative - r.e) < 1e-12 * r.e) AS as_reference
FROM ho_whole_tracked, holdout_tracking(s) t
JOIN (VALUES (-38, 3.21384313088642), (-37, 14.890602877177), (-36, 35.0068978596026), (-35, 64.1455245379524),
	(-34, 102.467821331794), (-33, 150.603300513488), (-32, 207.262712082868), (-31, 272.277334408543),
	(-30, 345.844246921083), (-29, 427.777769179581), (-28, 517.058266395961), (-27, 612.691528347504),
	(-26, 710.048212780272), (-25, 803.585779322562), (-24, 893.722129483382), (-23, 980.797802573121),
	(-22, 1065.09598556455), (-21, 1146.85599564437), (-20, 1226.28275696007), (-19, 1303.55368642664),
	(-18, 1378.82383307841), (-17, 1452.22980017475), (-16, 1523.89279507404), (-15, 1593.92103931371),
	(-14, 1662.41169989546), (-13, 1729.45245597856), (-12, 1795.12278367927), (-11, 1859.49501995684),
	(-10, 1922.63525127877), (-9, 1984.60406179632), (-8, 2045.45716777133), (-7, 2105.24595908358),
	(-6, 2164.01796421576), (-5, 2221.81725174883), (-4, 2278.68477881849), (-3, 2334.65869498188),
	(-2, 2389.77460837655), (-1, 2444.06581981668), (0, 2497.56352948731), (1, 2550.29702010751),
	(2, 2602.29381979633), (3, 2653.57984735689), (4, 2704.1795422705), (5, 2754.11598134414),
	(6, 2803.41098366644), (7, 2852.0852052877), (8, 2900.15822483948), (9, 2947.64862114149),
	(10, 2994.57404370182), (11, 3040.95127689723), (12, 3086.79629851811), (13, 3132.12433327634),
	(14, 3176.94990180004), (15, 3221.28686557535), (16, 3265.14846824076), (17, 3308.54737359187),
	(18, 3351.4957006136), (19, 3394.00505582101), (20, 3436.0865631588), (21, 3477.7508916825),
	(22, 3519.00828122042), (23, 3559.86856619456), (24, 3600.3411977603), (25, 3640.43526440843),
	(26, 3680.15951115878), (27, 3719.52235746198), (28, 3758.5319139145), (29, 3797.19599788227),
	(30, 3835.52214811914), (31, 3873.5176384584), (32, 3911.18949064849), (33, 3948.54448639783),
	(34, 3985.58917868748), (35, 4022.32990240583), (36, 4058.77278435426), (37, 4094.9237526689),
	(38, 4130.7885456999), (39, 4166.37272038574)) r(period, e) USING (period);
-- the cumulative expectation against plain SQL: the sum of the new
-- customer's expected_purchases(model, k + T) over the customers born by k
SELECT bool_and(abs(t.expected_cumulative - p.e) < 1e-12 * p.e) AS as_plain_sql
FROM ho_whole_tracked, holdout_tracking(s) t
JOIN (SELECT k AS period, sum(expected_purchases(bgnbd_model(0.243, 4.414, 0.793, 2.426),
			k + customer_age(calibration))) FILTER (WHERE k + customer_age(calibration) > 0) AS e
	  FROM ho_whole, generate_series(-38, 39) k GROUP BY k) p USING (period);
-- the weeks against plain SQL (repeat purchases: distinct days after the first)
SELECT bool_and(t.actual = coalesce(p.n, 0)) AS weeks_as_plain_sql
FROM ho_whole_tracked, holdout_tracking(s) t
LEFT JOIN (SELECT floor(((day - date '1997-09-30') + 6) / 7.0)::int AS period,
		count(DISTINCT (customer, day)) AS n
	  FROM (SELECT *, min(day) OVER (PARTITION BY customer) AS first_day FROM ho_elog) e
	  WHERE day > first_day GROUP BY 1) p USING (period);
-- the calibration table is the conditional one of the other forms
SELECT bool_and(a.customers = b.customers AND a.actual = b.actual
		AND abs(a.predicted - b.predicted) < 1e-13 * b.predicted) AS bins_as_count_form
FROM (SELECT t.* FROM ho_whole_tracked, calibration_table(s, 101) t) a
JOIN (SELECT t.* FROM ho_published, calibration_table(s, 101) t) b USING (frequency);
-- the stored form (version 2, with the calibration periods); rollup by first
-- purchase month is the one aggregate
SELECT s::text::holdout_summary::text = s::text AS text_round_trip,
	pg_temp.load_binary('holdout_summary', holdout_summary_send(s)) = s::text AS binary_round_trip,
	left(s::text, 60) AS starts
FROM ho_whole_tracked;
SELECT bool_and(a.actual = b.actual AND a.actual_cumulative = b.actual_cumulative
		AND abs(a.expected_cumulative - b.expected_cumulative) < 1e-12 * b.expected_cumulative) AS rollup_is_one_aggregate
FROM (SELECT t.* FROM (SELECT rollup(s) AS s FROM (
		SELECT date_trunc('month', f.first_day) AS m, holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426),
			x.calibration, x.calibration_times, x.holdout_times, 1, 39, 39) AS s
		FROM ho_whole x JOIN (SELECT customer, min(day) AS first_day FROM ho_elog GROUP BY customer) f
			USING (customer) GROUP BY 1) g) r,
	  holdout_tracking(r.s) t) a
JOIN (SELECT t.* FROM ho_whole_tracked, holdout_tracking(s) t) b USING (period);
-- Pareto/NBD: E[X(t)] = r beta / (alpha (s - 1)) [1 - (beta / (beta + t))^(s - 1)]
CREATE TABLE ho_whole_pnbd AS
SELECT holdout_agg(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), calibration, calibration_times,
		holdout_times, 1, 39, 39) AS s
FROM ho_whole;
SELECT t.period, t.actual_cumulative, round(t.expected::numeric, 10) AS expected,
	round(t.expected_cumulative::numeric, 10) AS expected_cumulative
FROM ho_whole_pnbd, holdout_tracking(s) t WHERE t.period IN (-38, -26, -13, 0, 1, 13, 26, 39) ORDER BY 1;
SELECT count(*) AS periods, bool_and(abs(t.expected_cumulative - r.e) < 1e-12 * r.e) AS as_reference
FROM ho_whole_pnbd, holdout_tracking(s) t
JOIN (VALUES (-38, 3.06682040376571), (-37, 14.272267219326), (-36, 33.6828058333937), (-35, 61.9227332358098),
	(-34, 99.2033779971808), (-33, 146.174183987327), (-32, 201.648988484188), (-31, 265.484722519565),
	(-30, 337.886143942801), (-29, 418.694448956284), (-28, 506.947282439917), (-27, 601.694680050679),
	(-26, 698.504088131003), (-25, 791.998288643929), (-24, 882.470686241933), (-23, 970.173710078512),
	(-22, 1055.32649393274), (-21, 1138.12077680352), (-20, 1218.72550889025), (-19, 1297.29049758002),
	(-18, 1373.94932950603), (-17, 1448.82173848746), (-16, 1522.01554363439), (-15, 1593.62824999958),
	(-14, 1663.74838141056), (-13, 1732.45659863542), (-12, 1799.82664392577), (-11, 1865.92614396379),
	(-10, 1930.81729644709), (-9, 1994.55746037082), (-8, 2057.19966608434), (-7, 2118.79305810746),
	(-6, 2179.38328126814), (-5, 2239.01281881), (-4, 2297.72128959481), (-3, 2355.5457103049),
	(-2, 2412.52072756547), (-1, 2468.6788241078), (0, 2524.05050244132), (1, 2578.66444896681),
	(2, 2632.54768102066), (3, 2685.72567897319), (4, 2738.22250519821), (5, 2790.06091147535),
	(6, 2841.26243617119), (7, 2891.84749236396), (8, 2941.83544792247), (9, 2991.24469841943),
	(10, 3040.09273364728), (11, 3088.39619840947), (12, 3136.17094817773), (13, 3183.43210013526),
	(14, 3230.19408006467), (15, 3276.47066548643), (16, 3322.27502540759), (17, 3367.61975700044),
	(18, 3412.51691949583), (19, 3456.97806554498), (20, 3501.01427027684), (21, 3544.63615825454),
	(22, 3587.85392851313), (23, 3630.67737784296), (24, 3673.11592246627), (25, 3715.17861824024),
	(26, 3756.874179507), (27, 3798.21099669953), (28, 3839.19715280208), (29, 3879.84043875485),
	(30, 3920.14836788435), (31, 3960.1281894335), (32, 3999.78690125917), (33, 4039.13126175864),
	(34, 4078.16780108149), (35, 4116.90283167835), (36, 4155.34245823375), (37, 4193.49258702634),
	(38, 4231.35893475631), (39, 4268.94703687642)) r(period, e) USING (period);
SELECT bool_and(a.customers = b.customers AND a.actual = b.actual
		AND abs(a.predicted - b.predicted) < 1e-13 * b.predicted) AS bins_as_count_form
FROM (SELECT t.* FROM ho_whole_pnbd, calibration_table(s, 101) t) a
JOIN (SELECT t.* FROM ho_pnbd, calibration_table(s, 101) t) b USING (frequency);
-- a span starting after some first purchases: purchases before it skipped,
-- and the expectation counted from its start (E[X(k + T)] - E[X(-C + T)])
SELECT t.period, t.actual, t.actual_cumulative, round(t.expected_cumulative::numeric, 12) AS expected_cumulative,
	round((expected_purchases(bgnbd_model(1, 2, 3, 4), t.period + 5.0)
		- expected_purchases(bgnbd_model(1, 2, 3, 4), 3.0))::numeric, 12) AS plain
FROM (SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(3, 4, 5), '{-4.5, -2, -1.5, -0.5, 0}', '{0.5, 1, 3}',
		1, 2, 2) AS s) a, holdout_tracking(a.s) t;
-- an old (format 1) tracked literal reads, written as format 2 with no
-- calibration periods and the same tracking
SELECT s::text, (SELECT string_agg(t::text, ' ') FROM holdout_tracking(s) t) AS tracking
FROM (VALUES (holdout_summary '{"version":1,"bins":[[0,1,1,0.5]],"period_length":1,"periods":[[1,0.5]]}')) v(s);
SELECT holdout_summary '{"version":2,"bins":[[0,1,1,0.5]],"period_length":1,"calibration_periods":1,"periods":[[3,0.25],[1,0.5]]}';
-- errors
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{0.5}', '{}', 1, 2, 2);
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{-2.5}', '{}', 1, 2, 2);
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{-1, NULL}', '{}', 1, 2, 2);
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{{-1}}', '{}', 1, 2, 2);
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{-1}', '{0}', 1, 2, 2);
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{-1}', '{}', 1, 0, 2);
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{-1}', '{}', 1, 1999, 2);
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{-1}', '{}', 1, 2, 0);
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{-1}', '{}', 1e308, 2, 2);
SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(1, 1, 2), '{-1}', '{}', 1, c, 2) FROM (VALUES (2), (3)) v(c);
SELECT rollup(s) FROM (VALUES (holdout_summary '{"version":2,"bins":[[0,1,1,0.5]],"period_length":1,"calibration_periods":1,"periods":[[0,0],[1,0.5]]}'),
	('{"version":2,"bins":[[0,1,1,0.5]],"period_length":1,"calibration_periods":0,"periods":[[1,0.5]]}')) v(s);
SELECT holdout_summary '{"version":2,"bins":[[0,1,1,0.5]],"period_length":1,"calibration_periods":1,"periods":[[1,0.5]]}';
SELECT holdout_summary '{"version":2,"bins":[[0,1,1,0.5]],"period_length":1,"calibration_periods":-1,"periods":[[1,0.5]]}';
SELECT holdout_summary '{"version":2,"bins":[[0,1,1,0.5]],"period_length":1,"periods":[[1,0.5]]}';
SELECT holdout_summary '{"version":1,"bins":[[0,1,1,0.5]],"period_length":1,"calibration_periods":0,"periods":[[1,0.5]]}';
SELECT holdout_summary '{"version":2,"bins":[],"period_length":1,"calibration_periods":1,"periods":[[1,0],[0,0]]}';

-- 8. Forced parallel plans give the serial result, with no rows too
CREATE TABLE ho_par AS
SELECT i AS customer, rfm_summary(i % 9, CASE WHEN i % 9 = 0 THEN 0 ELSE 1 + i % 20 END, 25 + i % 15) AS calibration,
	(i * 7) % 5 AS holdout_purchases
FROM generate_series(1, 30000) i;
ANALYZE ho_par;
CREATE TABLE ho_par_parts AS
SELECT customer % 3000 AS part, holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), calibration,
	holdout_purchases, 39) AS s
FROM ho_par GROUP BY 1;
ANALYZE ho_par_parts;
CREATE TEMP TABLE queries (name text, query text);
INSERT INTO queries VALUES
	('holdout_agg', $$SELECT t.frequency, t.customers, t.actual, round(t.predicted::numeric, 10)
		FROM (SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), calibration,
			holdout_purchases, 39) AS s FROM ho_par) a, calibration_table(a.s, 101) t$$),
	('holdout_agg, no rows', $$SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426),
		calibration, holdout_purchases, 39)::text FROM ho_par WHERE customer + 0 < 0$$),
	('rollup', $$SELECT t.frequency, t.customers, t.actual, round(t.predicted::numeric, 10)
		FROM (SELECT rollup(s) AS s FROM ho_par_parts) a, calibration_table(a.s, 101) t$$),
	('rollup, no rows', $$SELECT rollup(s)::text FROM ho_par_parts WHERE part + 0 < 0$$),
	('tracking', $$SELECT t.period, t.actual, t.actual_cumulative, round(t.expected_cumulative::numeric, 10)
		FROM (SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), calibration,
			ARRAY[(customer % 13) / 2.0 + 0.5, (customer % 7) + 0.25], 1, 6) AS s FROM ho_par) a,
		holdout_tracking(a.s) t$$),
	('tracking, no rows', $$SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), calibration,
		ARRAY[1.5], 1, 6)::text FROM ho_par WHERE customer + 0 < 0$$),
	('pareto_nbd', $$SELECT t.frequency, t.customers, t.actual, round(t.predicted::numeric, 10)
		FROM (SELECT holdout_agg(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), calibration,
			holdout_purchases, 39) AS s FROM ho_par) a, calibration_table(a.s, 101) t$$),
	('pareto_nbd, no rows', $$SELECT holdout_agg(pareto_nbd_model(0.553, 10.578, 0.606, 11.669),
		calibration, holdout_purchases, 39)::text FROM ho_par WHERE customer + 0 < 0$$),
	('pareto_nbd tracking', $$SELECT t.period, t.actual, t.actual_cumulative, round(t.expected_cumulative::numeric, 10)
		FROM (SELECT holdout_agg(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), calibration,
			ARRAY[(customer % 13) / 2.0 + 0.5, (customer % 7) + 0.25], 1, 6) AS s FROM ho_par) a,
		holdout_tracking(a.s) t$$),
	('pareto_nbd tracking, no rows', $$SELECT holdout_agg(pareto_nbd_model(0.553, 10.578, 0.606, 11.669),
		calibration, ARRAY[1.5], 1, 6)::text FROM ho_par WHERE customer + 0 < 0$$),
	('whole tracking', $$SELECT t.period, t.actual, t.actual_cumulative, round(t.expected_cumulative::numeric, 10)
		FROM (SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), calibration,
			ARRAY[-(customer % 3) / 2.0], ARRAY[(customer % 13) / 2.0 + 0.5], 1, 4, 6) AS s FROM ho_par) a,
		holdout_tracking(a.s) t$$),
	('whole tracking, no rows', $$SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), calibration,
		ARRAY[-0.5], ARRAY[1.5], 1, 4, 6)::text FROM ho_par WHERE customer + 0 < 0$$),
	('pareto_nbd whole tracking', $$SELECT t.period, t.actual, t.actual_cumulative, round(t.expected_cumulative::numeric, 10)
		FROM (SELECT holdout_agg(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), calibration,
			ARRAY[-(customer % 3) / 2.0], ARRAY[(customer % 13) / 2.0 + 0.5], 1, 4, 6) AS s FROM ho_par) a,
		holdout_tracking(a.s) t$$),
	('pareto_nbd whole tracking, no rows', $$SELECT holdout_agg(pareto_nbd_model(0.553, 10.578, 0.606, 11.669),
		calibration, ARRAY[-0.5], ARRAY[1.5], 1, 4, 6)::text FROM ho_par WHERE customer + 0 < 0$$);

\set ECHO none
\i test/parallel.sql
\set ECHO all

SET max_parallel_workers_per_gather = 0;
SELECT name, pg_temp.plan_shape(query) FROM queries ORDER BY name;
CREATE TEMP TABLE serial_results AS SELECT * FROM pg_temp.run_queries();
SELECT pg_temp.force_parallel() AS forced;
SELECT name, pg_temp.plan_shape(query) FROM queries ORDER BY name;
CREATE TEMP TABLE parallel_results AS SELECT * FROM pg_temp.run_queries();
SELECT s.name, s.result IS NOT DISTINCT FROM p.result AS same_as_serial
FROM serial_results s JOIN parallel_results p USING (name) ORDER BY name;
RESET max_parallel_workers_per_gather;
-- and the serial counts against plain SQL
SELECT bool_and(t.customers = p.customers AND t.actual = p.actual) AS as_plain_sql
FROM (SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), calibration, holdout_purchases, 39) AS s
	  FROM ho_par) a, calibration_table(a.s, 9) t
JOIN (SELECT frequency(calibration)::int AS frequency, count(*) AS customers,
		avg(holdout_purchases)::double precision AS actual FROM ho_par GROUP BY 1) p USING (frequency)
WHERE t.frequency < 9;
