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
SELECT holdout_summary '{"version":2,"bins":[]}';
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
		calibration, ARRAY[1.5], 1, 6)::text FROM ho_par WHERE customer + 0 < 0$$);

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
