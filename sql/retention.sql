--
-- Retention: cohort retention curves, activity and retention summaries,
-- lifecycle, ClickHouse retention(), MRR movements and churn.
--
-- Expected values come from outside crm_kpi: the published Relay Foods cohort
-- table and test/reference/retention_reference.py (standard library) over
-- the same orders, ClickHouse's documentation example, and hand counts
-- written next to each query.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET extra_float_digits = 0;

-- 1. ClickHouse's retention() documentation example: uids 0..4 active on
-- 2020-01-01..03, 5..9 on 01-02..03, 10..14 on 01-03 only.  Expected: uids
-- 0-4 [1,1,1], the others [0,0,0]; sums 5, 5, 5.
CREATE TABLE ch_retention (date date, uid int);
INSERT INTO ch_retention SELECT '2020-01-01', n FROM generate_series(0, 4) n;
INSERT INTO ch_retention SELECT '2020-01-02', n FROM generate_series(0, 9) n;
INSERT INTO ch_retention SELECT '2020-01-03', n FROM generate_series(0, 14) n;
CREATE TABLE ch_result AS
SELECT uid, retention(date = '2020-01-01', date = '2020-01-02', date = '2020-01-03') AS r
FROM ch_retention GROUP BY uid;
SELECT uid, r FROM ch_result ORDER BY uid;
SELECT sum(r[1]) AS r1, sum(r[2]) AS r2, sum(r[3]) AS r3 FROM ch_result;
-- cond_i without cond1 gives 0; NULL conditions are false; no rows: NULL
SELECT retention(d = 2, d = 1) FROM (VALUES (1)) v(d);                    -- {0,0}
SELECT retention(d = 1, d IS NULL, d = 3) FROM (VALUES (1), (3)) v(d);     -- {1,0,1}
SELECT retention(NULL, true) FROM (VALUES (1)) v(d);                      -- {0,0}
SELECT retention(true) IS NULL AS null_for_no_rows FROM (VALUES (1)) v(d) WHERE false;

-- 2. Relay Foods (test/data/relayfoods_orders.csv): monthly cohorts by first
-- order.  Published: the 2009-01 cohort has 22 users, and 8, 10, 9, 10 of
-- them ordered in months 2-5 (periods 1-4).
CREATE TABLE relay (user_id bigint, order_date date);
\copy relay FROM 'test/data/relayfoods_orders.csv' (FORMAT csv, HEADER)
CREATE TABLE relay_ref (cohort text, period int, cohort_size bigint, retained bigint);
\copy relay_ref FROM 'test/reference/relayfoods_cohorts.csv' (FORMAT csv, HEADER)
CREATE TABLE relay_ref_censored (cohort text, period int, cohort_size bigint, eligible bigint,
	"on" bigint, on_or_after bigint);
\copy relay_ref_censored FROM 'test/reference/relayfoods_cohorts_censored.csv' (FORMAT csv, HEADER)
CREATE VIEW relay_orders AS
SELECT user_id, order_date::timestamptz AS at,
	min(order_date) OVER (PARTITION BY user_id)::timestamptz AS first_order
FROM relay;

SELECT retention_curve(user_id, first_order, at, '1 month', 5)
FROM relay_orders WHERE first_order < '2009-02-01';
SELECT t.* FROM (SELECT retention_agg(user_id, first_order, at, '1 month', 5) AS s
	FROM relay_orders WHERE first_order < '2009-02-01') x, retention_table(s) t;

-- every cohort and period 0..11 against the reference computation
CREATE TABLE relay_one_step AS
SELECT to_char(first_order, 'YYYY-MM') AS cohort, t.*
FROM (SELECT first_order, retention_agg(user_id, first_order, at, '1 month', 12) AS s
	  FROM relay_orders GROUP BY first_order) x, retention_table(s) t;
SELECT count(*) AS rows, count(*) FILTER (WHERE (r.cohort_size, r.retained)
		IS DISTINCT FROM (o.cohort_size, o.retained)) AS mismatches
FROM relay_ref r FULL JOIN (SELECT cohort, period, sum(cohort_size) AS cohort_size,
		sum(retained) AS retained FROM relay_one_step GROUP BY 1, 2) o USING (cohort, period);

-- two steps: one activity summary per user, then one retention summary per
-- cohort, censored at 2010-03-01 (the month of the last orders is not over)
CREATE TABLE relay_users AS
SELECT user_id, first_order, activity_agg(first_order, at, '1 month', 12) AS a
FROM relay_orders GROUP BY user_id, first_order;
CREATE TABLE relay_cohorts AS
SELECT to_char(first_order, 'YYYY-MM') AS cohort, retention_agg(a, '2010-03-01') AS s
FROM relay_users GROUP BY 1;
WITH ours AS (
	SELECT c.cohort, t.period, t.cohort_size, t.eligible, t.retained AS "on", o.retained AS on_or_after
	FROM relay_cohorts c, retention_table(c.s) t
	JOIN retention_table(c.s, 'on_or_after') o USING (period))
SELECT count(*) AS rows, count(*) FILTER (WHERE (r.cohort_size, r.eligible, r.on, r.on_or_after)
		IS DISTINCT FROM (o.cohort_size, o.eligible, o.on, o.on_or_after)) AS mismatches
FROM relay_ref_censored r FULL JOIN ours o USING (cohort, period);
-- censored periods are NULL, not 0
SELECT cohort, retention_curve(s) FROM relay_cohorts WHERE cohort >= '2009-12' ORDER BY cohort;
SELECT retention_curve(user_id, first_order, at, '1 month', 4, 'on', 'calendar', '2010-03-01')
FROM relay_orders WHERE first_order >= '2010-01-01' AND first_order < '2010-02-01';
-- the same cohorts rolled up from daily cohort pieces (first-order day)
SELECT rollup(s)::text = (SELECT retention_agg(a)::text FROM relay_users) AS daily_rollup_matches
FROM (SELECT first_order, retention_agg(a) AS s FROM relay_users GROUP BY 1) d;
-- activity stored per (user, day) and merged per user: the same summaries
SELECT count(*) AS users, count(*) FILTER (WHERE m.a::text <> u.a::text) AS different
FROM relay_users u JOIN (
	SELECT user_id, rollup(a) AS a FROM (
		SELECT user_id, at, activity_agg(first_order, at, '1 month', 12) AS a
		FROM relay_orders GROUP BY user_id, at) d
	GROUP BY user_id) m USING (user_id);

-- 3. Modes, censoring, periods, by hand.  Four entities, cohort start
-- 2024-01-10, monthly periods: e1 active in Jan, Mar; e2 Jan, Feb; e3 only
-- its start (Jan); e4 Jan and 2024-07 (after the last of 4 periods).
CREATE TABLE ret_events (entity bigint, start timestamptz, at timestamptz);
INSERT INTO ret_events VALUES
	(1, '2024-01-10', '2024-01-10'), (1, '2024-01-10', '2024-03-05'),
	(2, '2024-01-10', '2024-01-10'), (2, '2024-01-10', '2024-02-29 23:00'),
	(3, '2024-01-10', '2024-01-10'),
	(4, '2024-01-10', '2024-01-12'), (4, '2024-01-10', '2024-07-01');
-- on: 4/4, 1/4, 1/4, 0/4; on or after: 4/4, 3/4 (e1, e2, e4), 2/4 (e1, e4), 1/4 (e4)
SELECT retention_curve(entity, start, at, '1 month', 4) FROM ret_events;
SELECT retention_curve(entity, start, at, '1 month', 4, 'on_or_after', 'calendar', NULL) FROM ret_events;
-- as of 2024-03-15: periods 0 (Jan) and 1 (Feb) are over, 2 and 3 are not
SELECT retention_curve(entity, start, at, '1 month', 4, 'on', 'calendar', '2024-03-15') FROM ret_events;
-- as of 2024-03-01 00:00 exactly, February is over
SELECT retention_curve(entity, start, at, '1 month', 4, 'on', 'calendar', '2024-03-01') FROM ret_events;
-- rolling 30-day periods from 2024-01-10: [01-10, 02-09), [02-09, 03-10), ...
-- e1 03-05 is period 1, e2 02-29 is period 1: on = 4/4, 2/4, 0/4, 0/4
SELECT retention_curve(entity, start, at, '30 days', 4, 'on', 'rolling', NULL) FROM ret_events;
-- ISO weeks: 2024-01-10 is a Wednesday; 2024-01-12 (e4) is in the same week
SELECT active_periods(activity_agg(start, at, '7 days', 10)) FROM ret_events WHERE entity = 4;
SELECT active_periods(activity_agg(start, at, '1 week', 10)) FROM ret_events WHERE entity = 4;
-- calendar days in the session time zone: 2024-02-29 23:00 UTC is March 1
-- in Berlin, so e2 moves from period 1 to period 2
SET TimeZone = 'Europe/Berlin';
SELECT entity, active_periods(activity_agg(start, at, '1 month', 4)) FROM ret_events GROUP BY 1 ORDER BY 1;
SET TimeZone = 'UTC';
SELECT entity, active_periods(activity_agg(start, at, '1 month', 4)) FROM ret_events GROUP BY 1 ORDER BY 1;
-- a cohort member with no activity (NULL activity, e.g. from a LEFT JOIN)
SELECT retention_curve(entity, start, at, '1 month', 2)
FROM (VALUES (1, '2024-01-10'::timestamptz, '2024-01-11'::timestamptz),
	(2, '2024-01-10', NULL)) v(entity, start, at);                    -- {0.5,0}
-- accessors
SELECT cohort_size(s), eligible(s, 3), retained(s, 1), retained(s, 1, 'on_or_after'),
	retention_rate(s, 1), retention_rate(s, 3, 'on_or_after'), retention_curve(s, 'on_or_after')
FROM (SELECT retention_agg(entity, start, at, '1 month', 4) AS s FROM ret_events) x;
SELECT * FROM retention_table((SELECT retention_agg(entity, start, at, '1 month', 4, 'calendar', '2024-03-15') FROM ret_events));

-- 4. Lifecycle (PostHog): active in periods 0, 2, 3 of 6 ->
-- 0 new, 1 dormant, 2 resurrecting, 3 returning, 4 dormant
SELECT * FROM lifecycle((SELECT activity_agg('2020-01-15', t, '1 month', 6)
	FROM unnest('{2020-01-20,2020-03-01,2020-04-02}'::timestamptz[]) t));
-- not active in its creation period: first activity is resurrecting
SELECT * FROM lifecycle((SELECT activity_agg('2020-01-15', t, '1 week', 3)
	FROM unnest('{2020-01-23}'::timestamptz[]) t));
-- counts per period over the ret_events' entities
SELECT l.period, l.status, count(*)
FROM (SELECT entity, activity_agg(start, at, '1 month', 4) AS a FROM ret_events GROUP BY entity) e,
	lifecycle(e.a) l GROUP BY 1, 2 ORDER BY 1, 2;

-- 5. MRR movements, by hand.  Monthly, from 2024-01:
--   c1: 100, 100, 150, 150     (expansion 50 in Mar)
--   c2: 30 + 20, 30, -, 40     (contraction 20 in Feb, churn 30 in Mar, reactivation 40 in Apr)
--   c3: -, 80, 80, -           (new 80 in Feb, churn 80 in Apr)
--   c4: -, -, -, 25            (new 25 in Apr)
-- Feb: S = 2, MRR 150 -> E = 3, MRR 210; churn 0/2, retention (3 - 1)/2 = 1,
--      NRR = GRR = (150 - 20)/150 = 0.8667
-- Mar: S = 3, MRR 210 -> E = 2, MRR 230; churn 1/3, retention 2/3,
--      NRR = (210 + 50 - 30)/210 = 1.0952, GRR = 180/210 = 0.8571
-- Apr: S = 2, MRR 230 -> E = 3, MRR 215; churn 1/2, retention (3 - 1)/2 = 1,
--      NRR = GRR = 150/230 = 0.6522; net new = -15
CREATE TABLE ret_subscriptions (customer bigint, month date, mrr numeric);
INSERT INTO ret_subscriptions VALUES
	(1, '2024-01-01', 100), (1, '2024-02-01', 100), (1, '2024-03-01', 150), (1, '2024-04-01', 150),
	(2, '2024-01-01', 30), (2, '2024-01-15', 20), (2, '2024-02-01', 30), (2, '2024-04-01', 40),
	(3, '2024-02-01', 80), (3, '2024-03-01', 80), (4, '2024-04-01', 25),
	(5, '2024-05-01', 999), (NULL, '2024-02-01', 5), (6, '2024-02-01', NULL);
CREATE TABLE ret_mrr AS
SELECT mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 4) AS s FROM ret_subscriptions;
SELECT s FROM ret_mrr;
SELECT m.* FROM ret_mrr, mrr_movements(s) m;
SELECT customer_churn_rate(s, 2), customer_churn_rate(s, 2, 'average'), customer_retention_rate(s, 3),
	net_revenue_retention(s, 2), gross_revenue_retention(s, 2), customer_churn_rate(s, 0)
FROM ret_mrr;
-- two segments rolled up: the same summary
SELECT rollup(s)::text = (SELECT s::text FROM ret_mrr) AS segments_add_up
FROM (SELECT customer % 2, mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 4) AS s
	  FROM ret_subscriptions GROUP BY 1) x;
-- amounts are exact to 1/10000: 0.1 + 0.2 is 0.3, no spurious movement
SELECT m.period, m.expansion_mrr, m.contraction_mrr, m.ending_mrr
FROM (SELECT mrr_agg(1, at, v, '2024-01-01', '1 month', 2) AS s FROM (VALUES
	('2024-01-01'::timestamptz, 0.1), ('2024-01-02', 0.2), ('2024-02-01', 0.3)) v(at, v)) x,
	mrr_movements(s) m;
SELECT mrr_agg(c, at, v, '2024-01-01', '1 month', 2) IS NULL AS null_for_no_rows
FROM (VALUES (1, now(), 1.0)) v(c, at, v) WHERE false;

-- 5b. Churn and retention as proportion_summary values, for intervals and
-- tests (expected values from test/reference/retention_reference.py):
-- Wilson 95 % of 1/3 is 0.061491944720 .. 0.792340399198, of 8/22
-- 0.197332046704 .. 0.570482919099; 10/100 against 40/200 churned: difference
-- -0.1, pooled stderr 0.045643546459, z -2.190890230021, p 0.028459736916
SELECT customer_churn_proportion(s, 2) AS march, round(ci.lower::numeric, 12) AS lower, round(ci.upper::numeric, 12) AS upper,
	customer_churn_proportion(s, 0) IS NULL AS baseline_has_none
FROM ret_mrr, rate_ci(customer_churn_proportion(s, 2)) ci;
-- the deprecated alias (name before 1.2.0) returns what its replacement does
SELECT customer_churn(s, 2)::text = customer_churn_proportion(s, 2)::text AS customer_churn,
	customer_churn(s, 0) IS NULL AS period_0_is_null
FROM ret_mrr;
-- the churn proportions of the months add up: churned / customer-months
SELECT rollup(customer_churn_proportion(s, k)) FROM ret_mrr, generate_series(1, 3) k;  -- 2 of 7
SELECT retention_proportion(s, 1), round(ci.lower::numeric, 12) AS lower, round(ci.upper::numeric, 12) AS upper
FROM relay_cohorts, rate_ci(retention_proportion(s, 1)) ci WHERE cohort = '2009-01';
SELECT retention_proportion(s, 11) IS NULL AS censored_is_null FROM relay_cohorts WHERE cohort = '2009-12';
WITH a AS (SELECT mrr_agg(c, m, 10, '2024-01-01', '1 month', 2) AS s
		   FROM generate_series(1, 100) c, unnest('{2024-01-01,2024-02-01}'::timestamptz[]) m
		   WHERE m = '2024-01-01' OR c > 10),
	 b AS (SELECT mrr_agg(c, m, 10, '2024-01-01', '1 month', 2) AS s
		   FROM generate_series(1, 200) c, unnest('{2024-01-01,2024-02-01}'::timestamptz[]) m
		   WHERE m = '2024-01-01' OR c > 40)
SELECT customer_churn_proportion(a.s, 1) AS a, customer_churn_proportion(b.s, 1) AS b,
	round(t.difference::numeric, 12) AS difference, round(t.stderr::numeric, 12) AS stderr,
	round(t.z::numeric, 12) AS z, round(t.p_value::numeric, 12) AS p_value
FROM a, b, proportion_compare(customer_churn_proportion(a.s, 1), customer_churn_proportion(b.s, 1)) t;

-- 6. Monthly <-> annual: 2 % monthly churn is 1 - 0.98^12 = 21.53 % a year
SELECT round(annual_churn_rate(0.02)::numeric, 10) AS annual,
	round(monthly_churn_rate(0.2152832762652)::numeric, 10) AS monthly,
	round(annual_retention_rate(0.98)::numeric, 10) AS annual_retention,
	round(monthly_retention_rate(0.7847167237348)::numeric, 10) AS monthly_retention,
	annual_churn_rate(0), annual_churn_rate(1), monthly_retention_rate(1);

-- 7. NULL and empty input
SELECT retention_curve(entity, start, at, '1 month', 3) IS NULL AS null_for_no_rows FROM ret_events WHERE false;
SELECT retention_agg(a) IS NULL AS null_for_no_rows FROM relay_users WHERE false;
SELECT activity_agg(start, at, '1 month', 3) IS NULL AS null_without_start
FROM (VALUES (NULL::timestamptz, now())) v(start, at);
SELECT retention_curve(entity, start, at, '1 month', 2) IS NULL AS null_without_entity_and_start
FROM (VALUES (NULL::bigint, now(), now()), (1, NULL, now())) v(entity, start, at);
SELECT retention_rate('{"version":1,"period":"month","periods":2,"entities":0,"eligible":[0,0],"on":[0,0],"on_or_after":[0,0]}', 0) AS empty_cohort_rate;

-- 8. Text round trips
SELECT a, a::text::activity_summary::text = a::text AS round_trip
FROM (SELECT activity_agg(start, at, '1 month', 4) AS a FROM ret_events WHERE entity = 4
	  UNION ALL SELECT activity_agg(start, at, '30 days', 70, 'rolling') FROM ret_events WHERE entity = 1) x;
SELECT s, s::text::retention_summary::text = s::text AS round_trip
FROM (SELECT retention_agg(entity, start, at, '1 day', 3, 'calendar', '2024-01-11') AS s FROM ret_events) x;
SELECT s::text::jsonb -> 'on' AS on_counts FROM relay_cohorts WHERE cohort = '2009-01';
-- malformed literals
SELECT '{"version":3,"period":"month","periods":1,"start":0,"origin":0,"active":[],"later":false}'::activity_summary;
SELECT '{"version":1,"period":"month","periods":2,"start":0,"origin":0,"active":[1,0],"later":false}'::activity_summary;
SELECT '{"version":1,"period":"month","periods":2,"start":0,"origin":0,"active":[2],"later":false}'::activity_summary;
SELECT '{"version":1,"period":"rolling","length":10,"periods":2,"start":0,"origin":5,"active":[],"later":false}'::activity_summary;
SELECT '{"version":1,"period":"month","periods":2,"entities":3,"eligible":[3,4],"on":[0,0],"on_or_after":[0,0]}'::retention_summary;
SELECT '{"version":1,"period":"month","periods":1,"entities":3,"eligible":[3],"on":[2],"on_or_after":[1]}'::retention_summary;
SELECT '{"version":1,"period":"year","periods":1,"entities":0,"eligible":[0],"on":[0],"on_or_after":[0]}'::retention_summary;
SELECT '{"version":1,"period":"month","periods":2,"origin":648,"customers":[1,1],"mrr":[10,11],"new_customers":[0,0],"new_mrr":[0,0],"expansion_customers":[0,0],"expansion_mrr":[0,0],"contraction_customers":[0,0],"contraction_mrr":[0,0],"churned_customers":[0,0],"churned_mrr":[0,0],"reactivated_customers":[0,0],"reactivation_mrr":[0,0]}'::mrr_summary;
SELECT '{"version":1,"period":"month","periods":1,"origin":648,"customers":[1],"mrr":[0.12345],"new_customers":[0],"new_mrr":[0],"expansion_customers":[0],"expansion_mrr":[0],"contraction_customers":[0],"contraction_mrr":[0],"churned_customers":[0],"churned_mrr":[0],"reactivated_customers":[0],"reactivation_mrr":[0]}'::mrr_summary;

-- 9. Binary form: send and read back through COPY BINARY
\set SHOW_CONTEXT never
\i test/binary_copy.sql
SELECT pg_temp.load_binary('activity_summary', activity_summary_send(a)) = a::text AS activity_same,
	encode(activity_summary_send(a), 'hex')
FROM (SELECT activity_agg(start, at, '1 month', 4) AS a FROM ret_events WHERE entity = 4) x;
SELECT pg_temp.load_binary('retention_summary', retention_summary_send(s)) = s::text AS retention_same
FROM relay_cohorts WHERE cohort = '2009-01';
SELECT pg_temp.load_binary('mrr_summary', mrr_summary_send(s)) = s::text AS mrr_same FROM ret_mrr;
-- corrupt payloads, from the one above: version 3; period kind 9; a bit
-- past the last period; a byte too many; truncated
CREATE TABLE ret_payload AS SELECT activity_summary_send(activity_agg(start, at, '1 month', 4)) AS b
FROM ret_events WHERE entity = 4;
SELECT pg_temp.load_binary('activity_summary', set_byte(b, 0, 3)) FROM ret_payload;
SELECT pg_temp.load_binary('activity_summary', set_byte(b, 1, 9)) FROM ret_payload;
SELECT pg_temp.load_binary('activity_summary', set_byte(b, length(b) - 1, 32)) FROM ret_payload;
SELECT pg_temp.load_binary('activity_summary', b || '\x00'::bytea) FROM ret_payload;
SELECT pg_temp.load_binary('activity_summary', substr(b, 1, 20)) FROM ret_payload;
SELECT pg_temp.load_binary('retention_summary', '\x0103000000000000000000000001000000000000000100000000000000010000000000000002'
	|| '\x0000000000000001'::bytea);
\set SHOW_CONTEXT errors

-- 10. Errors
SELECT retention_curve(entity, start, at, '1 month', 0) FROM ret_events;
SELECT retention_curve(entity, start, at, '1 month', 1025) FROM ret_events;
SELECT retention_curve(entity, start, at, '2 months', 3) FROM ret_events;
SELECT retention_curve(entity, start, at, '-1 day', 3, 'on', 'rolling', NULL) FROM ret_events;
SELECT retention_curve(entity, start, at, '1 month', 3, 'on', 'rolling', NULL) FROM ret_events;
SELECT retention_curve(entity, start, at, '1 month', 3, 'after', 'calendar', NULL) FROM ret_events;
SELECT retention_curve(entity, start, at, '1 month', 3, 'on', 'fiscal', NULL) FROM ret_events;
SELECT retention_curve(1, '2024-01-10', '2024-01-09', '1 month', 3);
SELECT retention_curve(1, s, '2024-03-01', '1 month', 3) FROM unnest('{2024-01-01,2024-02-01}'::timestamptz[]) s;
SELECT retention_curve(1, 'infinity', 'infinity', '1 month', 3);
SELECT activity_agg(s, '2024-03-01', '1 month', 3) FROM unnest('{2024-01-01,2024-02-01}'::timestamptz[]) s;
SELECT rollup(a) FROM relay_users
WHERE user_id IN (SELECT min(user_id) FROM relay_users GROUP BY first_order ORDER BY 1 LIMIT 2);
SELECT retention_agg(a) FROM (SELECT activity_agg('2024-01-01', NULL, '1 month', 3)
	UNION ALL SELECT activity_agg('2024-01-01', NULL, '1 week', 3)) v(a);
SELECT rollup(s) FROM (SELECT retention_agg(1, '2024-01-01', NULL, '1 month', 3)
	UNION ALL SELECT retention_agg(1, '2024-01-01', NULL, '1 month', 4)) v(s);
SELECT retention_rate(s, 4) FROM (SELECT retention_agg(entity, start, at, '1 month', 4) AS s FROM ret_events) x;
SELECT retention(VARIADIC '{}'::boolean[]);
SELECT retention(VARIADIC array_fill(true, ARRAY[33]));
SELECT retention(VARIADIC CASE WHEN x = 1 THEN '{true}'::boolean[] ELSE '{true,false}' END)
FROM generate_series(1, 2) x;
-- a row before the origin is ignored (since 1.3.0): a summary of no customers
SELECT mrr_agg(1, '2023-12-31', 10, '2024-01-01', '1 month', 3);
SELECT mrr_agg(1, '2024-01-31', -10, '2024-01-01', '1 month', 3);
SELECT mrr_agg(1, '2024-01-31', 10, '2024-01-01', '30 days', 3);
SELECT customer_churn_rate(s, 1, 'serviced') FROM ret_mrr;
SELECT customer_churn_rate(s, 4) FROM ret_mrr;
SELECT annual_churn_rate(1.5);
-- 11. Calendar periods agree with PostgreSQL's own date arithmetic (extract,
-- ::date) in zones with DST at midnight, half-hour DST, skipped days and
-- fractional-second times around transitions, 1890-2100: no mismatch
SELECT setseed(0.5);
CREATE TABLE ret_tz_points AS
SELECT timestamptz '1890-01-01 00:00+00' + random() * (timestamptz '2100-01-01' - timestamptz '1890-01-01') AS t
FROM generate_series(1, 3000)
UNION ALL
SELECT generate_series(timestamptz '2011-12-25', timestamptz '2012-01-05', interval '15 minutes')
UNION ALL
SELECT generate_series(timestamptz '2018-10-30', timestamptz '2018-11-08', interval '15 minutes')
UNION ALL
SELECT generate_series(timestamptz '2019-02-10', timestamptz '2019-02-20', interval '15 minutes')
UNION ALL
SELECT generate_series(timestamptz '2024-03-31 00:30+00', timestamptz '2024-03-31 03:30+00', interval '599999 microseconds')
UNION ALL
SELECT generate_series(timestamptz '1999-12-31 23:59:58', timestamptz '2000-01-01 00:00:02', interval '100 ms');
CREATE FUNCTION pg_temp.tz_mismatches(zone text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
	PERFORM set_config('TimeZone', zone, true);
	SELECT count(*) INTO n FROM ret_tz_points,
		LATERAL (SELECT (activity_summary_accum(NULL, t, t, '1 month', 1)::text::jsonb ->> 'origin')::int AS m,
			(activity_summary_accum(NULL, t, t, '1 day', 1)::text::jsonb ->> 'origin')::int AS d,
			(activity_summary_accum(NULL, t, t, '1 week', 1)::text::jsonb ->> 'origin')::int AS w) ours
	WHERE ours.m <> (extract(year FROM t) - 1970) * 12 + extract(month FROM t) - 1
	   OR ours.d <> t::date - date '1970-01-01'
	   OR ours.w <> floor((t::date - date '1970-01-01' + 3) / 7.0);
	RETURN n;
END $$;
SELECT zone, pg_temp.tz_mismatches(zone) AS mismatches, (SELECT count(*) FROM ret_tz_points) AS points
FROM unnest('{UTC,Europe/Berlin,America/Sao_Paulo,America/Havana,Australia/Lord_Howe,Asia/Kathmandu,Pacific/Apia,America/St_Johns,Asia/Tehran,Africa/Casablanca}'::text[]) zone;
SET TimeZone = 'UTC';

-- 12. Extreme values (issue 10): every value produced reads back, text and
-- binary input accept the same values, no overflow goes unnoticed.
\set SHOW_CONTEXT never
-- The text form writes the start in Unix microseconds, a bigint: the latest
-- start is 2^63 - 1 us after 1970-01-01, 294247-01-10 04:00:54.775807 UTC
-- (day 106751991, week 15250284, month 3507324 from 1970).  Later starts
-- are refused where the summary is made.
SELECT activity_agg('294270-01-01+00'::timestamptz, '294270-01-02+00', '1 day', 3);
SELECT activity_agg('294247-01-10 04:00:54.775808+00'::timestamptz, NULL, '1 day', 3, 'rolling');
SELECT a, a::text::activity_summary::text = a::text AS text_same,
	pg_temp.load_binary('activity_summary', activity_summary_send(a)) = a::text AS binary_same
FROM (SELECT activity_agg('294247-01-10 04:00:54.775807+00'::timestamptz, '294247-01-10 04:00:54.775807+00', p, 3, al)
	FROM (VALUES ('1 day'::interval, 'calendar'), ('1 week', 'calendar'), ('1 month', 'calendar'),
		('1 day', 'rolling')) v(p, al) GROUP BY p, al
	UNION ALL SELECT activity_agg('4714-11-24 00:00:00+00 BC', '294247-01-10 04:00:54.775807+00', '1 day', 3, 'rolling')
	UNION ALL SELECT activity_agg('4714-11-24 00:00:00+00 BC', '4714-11-25 00:00:00+00 BC', '1 day', 3)) x(a)
ORDER BY a::text;
SELECT l.* FROM (SELECT activity_agg('294247-01-10 04:00:54.775807+00'::timestamptz,
	'294247-01-10 04:00:54.775807+00', '1 day', 3) AS a) x, lifecycle(a) l;
-- binary input rejects the starts that text cannot hold: 2^63 us after
-- 1970, and the last valid timestamp (294276-12-31 23:59:59.999999 UTC),
-- calendar and rolling (whose origin is the start); the start is at byte 19
-- after the zone name (4 bytes: "UTC"), or 16 (rolling: no zone)
CREATE TABLE ret_far AS SELECT activity_summary_send(activity_agg('294247-01-10 04:00:54.775807+00'::timestamptz,
	NULL, '1 day', 3)) AS day,
	activity_summary_send(activity_agg('294247-01-10 04:00:54.775807+00'::timestamptz, NULL, '1 day', 3, 'rolling')) AS rolling;
SELECT pg_temp.load_binary('activity_summary', overlay(day PLACING '\x7ffca2fec4c82000' FROM 19)) FROM ret_far;
SELECT pg_temp.load_binary('activity_summary', overlay(day PLACING '\x7fffff5bb3b29fff' FROM 19)) FROM ret_far;
SELECT pg_temp.load_binary('activity_summary',
	overlay(rolling PLACING '\x7fffff5bb3b29fff7fffff5bb3b29fff' FROM 16)) FROM ret_far;
-- and text input the same (2^63 us after 1970 is not a bigint)
SELECT '{"version":1,"period":"day","periods":3,"start":9223372036854775808,"origin":106751991,"active":[],"later":false}'::activity_summary;
-- calendar origins are the indexes of periods holding valid times in some
-- zone: from the one before 4714-11-24 BC's (day -2440588, week -348655,
-- month -80186 from 1970) to the one after 294276-12-31's (day 106762939,
-- week 15251848, month 3507683), in text and binary alike
CREATE FUNCTION pg_temp.reads(lit text, typ regtype) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('SELECT %L::%s', lit, typ);
	RETURN true;
EXCEPTION WHEN invalid_text_representation THEN
	RETURN false;
END $$;
CREATE TABLE ret_origins AS SELECT u, o, format('{"version":2,"period":"%s","time_zone":"UTC","periods":1,"origin":%s,"customers":[0],"mrr":[0],"new_customers":[0],"new_mrr":[0],"expansion_customers":[0],"expansion_mrr":[0],"contraction_customers":[0],"contraction_mrr":[0],"churned_customers":[0],"churned_mrr":[0],"reactivated_customers":[0],"reactivation_mrr":[0]}', u, o) AS mrr,
	format('{"version":2,"period":"%s","time_zone":"UTC","periods":1,"start":0,"origin":%s,"active":[],"later":false}', u, o) AS activity
FROM (VALUES ('day', -2440589), ('day', 106762940), ('week', -348656), ('week', 15251849),
	('month', -80187), ('month', 3507684)) v(u, o);
SELECT u, o, pg_temp.reads(mrr, 'mrr_summary') AS mrr_text,
	pg_temp.reads(activity, 'activity_summary') AS activity_text,
	pg_temp.reads(replace(mrr, o::text, (o + sign(o))::text), 'mrr_summary') AS mrr_text_beyond,
	pg_temp.reads(replace(activity, o::text, (o + sign(o))::text), 'activity_summary') AS activity_text_beyond
FROM ret_origins ORDER BY u, o;
SELECT u, o, pg_temp.load_binary('mrr_summary', mrr_summary_send(mrr::mrr_summary)) = mrr::mrr_summary::text AS mrr_binary,
	pg_temp.load_binary('activity_summary', activity_summary_send(activity::activity_summary)) = activity AS activity_binary
FROM ret_origins ORDER BY u, o;
SELECT pg_temp.load_binary('mrr_summary', overlay(mrr_summary_send(mrr::mrr_summary) PLACING int8send(o + 1) FROM 20))
FROM ret_origins WHERE u = 'month' AND o > 0;
SELECT pg_temp.load_binary('activity_summary', overlay(activity_summary_send(activity::activity_summary) PLACING int8send(o - 1) FROM 27))
FROM ret_origins WHERE u = 'day' AND o < 0;
-- a literal declaring more periods than it carries
SELECT '{"version":1,"period":"month","periods":1024,"entities":0,"eligible":[0],"on":[0],"on_or_after":[0]}'::retention_summary;
SELECT '{"version":1,"period":"month","periods":1024,"origin":0,"customers":[0]}'::mrr_summary;

-- ClickHouse retention() support functions called with any bigint: a state
-- is 0 or N * 2^32 plus bits of conditions 1..N (N = 1..32)
SELECT retention_final(-1);
SELECT retention_final(33 * 4294967296);
SELECT retention_final(1);
SELECT retention_final(2 * 4294967296 + 4);
SELECT retention_state_combine(2 * 4294967296 + 1, -9223372036854775808);
SELECT retention_state_accum(4294967295, '{true}');
SELECT retention_final(0) AS no_rows, retention_final(2 * 4294967296 + 3) AS both,
	retention_final(32 * 4294967296 + 4294967295) = array_fill(1::smallint, ARRAY[32]) AS all_32,
	retention_state_combine(3 * 4294967296 + 1, 3 * 4294967296 + 4) = 3 * 4294967296 + 5 AS combined;

-- mrr_summary: impossible churn is refused (the churned, expansion and
-- contraction customers are 2^62 + 1 + 2^62 + 2^62 of 1 customer)
SELECT '{"version":1,"period":"month","periods":2,"origin":0,"customers":[1,0],"mrr":[1,0],"new_customers":[0,4611686018427387904],"new_mrr":[0,461168601842738.7904],"expansion_customers":[0,4611686018427387904],"expansion_mrr":[0,461168601842738.7904],"contraction_customers":[0,4611686018427387904],"contraction_mrr":[0,461168601842738.7904],"churned_customers":[0,4611686018427387905],"churned_mrr":[0,461168601842738.7905],"reactivated_customers":[0,0],"reactivation_mrr":[0,0]}'::mrr_summary;
-- a customer without MRR; churned MRR above the starting MRR; contraction
-- leaving nothing to the contracted customer; reactivation in period 1
-- (nobody had lapsed); a negative amount written -0.5
SELECT '{"version":1,"period":"month","periods":1,"origin":0,"customers":[2],"mrr":[0.0001],"new_customers":[0],"new_mrr":[0],"expansion_customers":[0],"expansion_mrr":[0],"contraction_customers":[0],"contraction_mrr":[0],"churned_customers":[0],"churned_mrr":[0],"reactivated_customers":[0],"reactivation_mrr":[0]}'::mrr_summary;
SELECT '{"version":1,"period":"month","periods":2,"origin":0,"customers":[1,1],"mrr":[10,20],"new_customers":[0,1],"new_mrr":[0,30],"expansion_customers":[0,0],"expansion_mrr":[0,0],"contraction_customers":[0,0],"contraction_mrr":[0,0],"churned_customers":[0,1],"churned_mrr":[0,20],"reactivated_customers":[0,0],"reactivation_mrr":[0,0]}'::mrr_summary;
SELECT '{"version":1,"period":"month","periods":2,"origin":0,"customers":[1,1],"mrr":[10,0.0001],"new_customers":[0,0],"new_mrr":[0,0],"expansion_customers":[0,0],"expansion_mrr":[0,0],"contraction_customers":[0,1],"contraction_mrr":[0,10],"churned_customers":[0,0],"churned_mrr":[0,0],"reactivated_customers":[0,0],"reactivation_mrr":[0,0]}'::mrr_summary;
SELECT '{"version":1,"period":"month","periods":2,"origin":0,"customers":[0,1],"mrr":[0,5],"new_customers":[0,0],"new_mrr":[0,0],"expansion_customers":[0,0],"expansion_mrr":[0,0],"contraction_customers":[0,0],"contraction_mrr":[0,0],"churned_customers":[0,0],"churned_mrr":[0,0],"reactivated_customers":[0,1],"reactivation_mrr":[0,5]}'::mrr_summary;
-- two reactivated of one lapsed customer; one reactivated is what mrr_agg builds
SELECT '{"version":1,"period":"month","periods":3,"origin":0,"customers":[1,0,2],"mrr":[5,0,14],"new_customers":[0,0,0],"new_mrr":[0,0,0],"expansion_customers":[0,0,0],"expansion_mrr":[0,0,0],"contraction_customers":[0,0,0],"contraction_mrr":[0,0,0],"churned_customers":[0,1,0],"churned_mrr":[0,5,0],"reactivated_customers":[0,0,2],"reactivation_mrr":[0,0,14]}'::mrr_summary;
SELECT mrr_agg(c, at, m, '1970-01-01', '1 month', 3)::text = '{"version":2,"period":"month","time_zone":"UTC","periods":3,"origin":0,"customers":[1,0,1],"mrr":[5,0,7],"new_customers":[0,0,0],"new_mrr":[0,0,0],"expansion_customers":[0,0,0],"expansion_mrr":[0,0,0],"contraction_customers":[0,0,0],"contraction_mrr":[0,0,0],"churned_customers":[0,1,0],"churned_mrr":[0,5,0],"reactivated_customers":[0,0,1],"reactivation_mrr":[0,0,7]}'::mrr_summary::text AS reactivation_read
FROM (VALUES (1, timestamptz '1970-01-05', 5), (1, '1970-03-02', 7)) v(c, at, m);
SELECT '{"version":1,"period":"month","periods":1,"origin":0,"customers":[0],"mrr":[-0.5],"new_customers":[0],"new_mrr":[0],"expansion_customers":[0],"expansion_mrr":[0],"contraction_customers":[0],"contraction_mrr":[0],"churned_customers":[0],"churned_mrr":[0],"reactivated_customers":[0],"reactivation_mrr":[0]}'::mrr_summary;
-- the extremes that are valid: one customer contracting from 10 to 0.0001
-- (GRR = 0.0001 / 10 = 0.00001), every counted customer at 0.0001
SELECT gross_revenue_retention(s, 1) AS grr, customer_churn_rate(s, 1) AS churn,
	s::text::mrr_summary::text = s::text AS text_same,
	pg_temp.load_binary('mrr_summary', mrr_summary_send(s)) = s::text AS binary_same
FROM (VALUES ('{"version":1,"period":"month","periods":2,"origin":0,"customers":[1,1],"mrr":[10,0.0001],"new_customers":[0,0],"new_mrr":[0,0],"expansion_customers":[0,0],"expansion_mrr":[0,0],"contraction_customers":[0,1],"contraction_mrr":[0,9.9999],"churned_customers":[0,0],"churned_mrr":[0,0],"reactivated_customers":[0,0],"reactivation_mrr":[0,0]}'::mrr_summary)) v(s);
-- sums past the bigint range: 22003, never a wrapped count
SELECT rollup(s) FROM (VALUES ('{"version":1,"period":"month","periods":1,"origin":0,"customers":[4611686018427387904],"mrr":[461168601842738.7904],"new_customers":[0],"new_mrr":[0],"expansion_customers":[0],"expansion_mrr":[0],"contraction_customers":[0],"contraction_mrr":[0],"churned_customers":[0],"churned_mrr":[0],"reactivated_customers":[0],"reactivation_mrr":[0]}'::mrr_summary),
	('{"version":1,"period":"month","periods":1,"origin":0,"customers":[4611686018427387904],"mrr":[461168601842738.7904],"new_customers":[0],"new_mrr":[0],"expansion_customers":[0],"expansion_mrr":[0],"contraction_customers":[0],"contraction_mrr":[0],"churned_customers":[0],"churned_mrr":[0],"reactivated_customers":[0],"reactivation_mrr":[0]}')) v(s);
SELECT rollup(s) FROM (VALUES ('{"version":1,"period":"month","periods":1,"entities":4611686018427387904,"eligible":[4611686018427387904],"on":[0],"on_or_after":[0]}'::retention_summary),
	('{"version":1,"period":"month","periods":1,"entities":4611686018427387904,"eligible":[4611686018427387904],"on":[0],"on_or_after":[0]}')) v(s);
-- the moving inverse refuses a difference that is not a summary
SELECT mrr_summary_uncombine(a, b) FROM (VALUES ('{"version":1,"period":"month","periods":1,"origin":0,"customers":[1],"mrr":[1],"new_customers":[0],"new_mrr":[0],"expansion_customers":[0],"expansion_mrr":[0],"contraction_customers":[0],"contraction_mrr":[0],"churned_customers":[0],"churned_mrr":[0],"reactivated_customers":[0],"reactivation_mrr":[0]}'::mrr_summary,
	'{"version":1,"period":"month","periods":1,"origin":0,"customers":[1],"mrr":[2],"new_customers":[0],"new_mrr":[0],"expansion_customers":[0],"expansion_mrr":[0],"contraction_customers":[0],"contraction_mrr":[0],"churned_customers":[0],"churned_mrr":[0],"reactivated_customers":[0],"reactivation_mrr":[0]}'::mrr_summary)) v(a, b);
\set SHOW_CONTEXT errors

-- 13. Time zones (issue 12).  Calendar periods are counted in the zone of
-- the time_zone argument whatever the session's (the session's without it);
-- summaries record the zone and merge only with summaries of the same zone.
SET TimeZone = 'America/New_York';
-- in Berlin e2's 2024-02-29 23:00 UTC is March 1 (period 2), as under
-- SET TimeZone = 'Europe/Berlin' in section 3: {0,2} {0,2} {0} {0}
SELECT entity, active_periods(activity_agg(start, at, '1 month', 4, 'calendar', 'Europe/Berlin'))
FROM ret_events GROUP BY 1 ORDER BY 1;
-- on in Berlin: 4/4; none in February; e1 and e2 in March; none in April
SELECT retention_curve(entity, start, at, '1 month', 4, 'on', 'calendar', NULL, 'Europe/Berlin') FROM ret_events;
-- and in New York (the session) as in UTC: 4/4, 1/4, 1/4, 0/4
SELECT retention_curve(entity, start, at, '1 month', 4) FROM ret_events;
-- the same summary as one built under SET TimeZone = 'Europe/Berlin'
CREATE TABLE ret_tz AS
SELECT entity, activity_agg(start, at, '1 month', 4, 'calendar', 'europe/berlin') AS berlin,
	activity_agg(start, at, '1 month', 4, 'calendar', 'UTC') AS utc,
	activity_agg(start, at, '1 month', 4, 'calendar', 'Etc/UTC') AS etc_utc,
	activity_agg(start, at, '1 month', 4) AS new_york,
	activity_agg(start, at, '30 days', 4, 'rolling', 'Asia/Tokyo') AS rolling
FROM ret_events GROUP BY entity;
SET TimeZone = 'Europe/Berlin';
SELECT bool_and(berlin::text = (SELECT activity_agg(start, at, '1 month', 4)::text FROM ret_events e
	WHERE e.entity = t.entity)) AS as_session_berlin FROM ret_tz t;
SET TimeZone = 'America/New_York';
-- the zone each summary records (canonical names); none for rolling periods
SELECT berlin::text::jsonb ->> 'time_zone' AS berlin, utc::text::jsonb ->> 'time_zone' AS utc,
	new_york::text::jsonb ->> 'time_zone' AS new_york, rolling::text::jsonb ? 'time_zone' AS rolling_has_zone
FROM ret_tz WHERE entity = 1;
SELECT (SELECT retention_agg(berlin) FROM ret_tz)::text::jsonb ->> 'time_zone' AS cohort,
	retention_agg(entity, start, at, '1 month', 4, 'calendar', NULL, 'Asia/Kolkata')::text::jsonb ->> 'time_zone' AS events,
	mrr_agg(entity, at, 1, '2024-01-01', '1 month', 4, 'Asia/Kolkata')::text::jsonb ->> 'time_zone' AS mrr
FROM ret_events;
-- period starts follow the recorded zone (shown in the session's): Berlin's
-- months begin at 18:00 the day before in New York, 22:00 UTC from April
SELECT l.* FROM ret_tz, lifecycle(berlin) l WHERE entity = 1;
-- as_of is compared with the ends of Berlin's months: February is over at
-- 2024-02-29 23:00 UTC, and e2 was active in March (Berlin), not February
SELECT retention_curve(entity, start, at, '1 month', 4, 'on', 'calendar', '2024-02-29 23:00+00', 'Europe/Berlin')
FROM ret_events;
-- zones with one fixed UTC offset count the same periods: UTC and Etc/UTC merge
SELECT rollup(s)::text::jsonb ->> 'time_zone' AS merged FROM (SELECT utc FROM ret_tz WHERE entity = 1
	UNION ALL SELECT etc_utc FROM ret_tz WHERE entity = 1) x(s);
SELECT rollup(s) FROM (SELECT retention_agg(utc) FROM ret_tz UNION ALL SELECT retention_agg(etc_utc) FROM ret_tz) x(s);
-- (every zone at UTC+0 for good records "UTC"); other fixed offsets merge too
SELECT etc_utc::text::jsonb ->> 'time_zone' AS etc_utc FROM ret_tz WHERE entity = 1;
SELECT rollup(s)::text::jsonb ->> 'time_zone' AS merged FROM (
	SELECT activity_agg(start, at, '1 month', 4, 'calendar', 'Etc/GMT-5') FROM ret_events WHERE entity = 1
	UNION ALL SELECT activity_agg(start, at, '1 month', 4, 'calendar', '<+05>-05') FROM ret_events WHERE entity = 1) x(s);
-- other zones do not: activity, retention and MRR summaries alike
SELECT rollup(s) FROM (SELECT utc FROM ret_tz WHERE entity = 1 UNION ALL SELECT berlin FROM ret_tz WHERE entity = 1) x(s);
SELECT retention_agg(s) FROM (SELECT utc FROM ret_tz WHERE entity = 1 UNION ALL SELECT berlin FROM ret_tz WHERE entity = 2) x(s);
SELECT rollup(s) FROM (SELECT retention_agg(berlin) FROM ret_tz UNION ALL SELECT retention_agg(new_york) FROM ret_tz) x(s);
SELECT rollup(s) FROM (SELECT mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 4, 'UTC') FROM ret_subscriptions
	UNION ALL SELECT mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 4) FROM ret_subscriptions) x(s);
-- mrr_agg in UTC from a New York session is the summary built in UTC above
SELECT mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 4, 'UTC')::text = (SELECT s::text FROM ret_mrr) AS as_utc
FROM ret_subscriptions;
-- a 1.1.0 summary (format version 1) records no zone: it reads, merges only
-- with zone-less summaries, and its periods are the session's
SELECT '{"version":1,"period":"month","periods":4,"start":1704844800000000,"origin":648,"active":[0,2],"later":false}'::activity_summary AS v1;
SELECT rollup(s) FROM (VALUES ('{"version":1,"period":"month","periods":4,"start":1704844800000000,"origin":648,"active":[0],"later":false}'::activity_summary),
	('{"version":1,"period":"month","periods":4,"start":1704844800000000,"origin":648,"active":[2],"later":false}')) v(s);
SELECT rollup(s) FROM (SELECT '{"version":1,"period":"month","periods":4,"start":1704844800000000,"origin":648,"active":[0],"later":false}'::activity_summary
	UNION ALL SELECT utc FROM ret_tz WHERE entity = 1) x(s);
SELECT period, period_start FROM lifecycle('{"version":1,"period":"month","periods":4,"start":1704844800000000,"origin":648,"active":[0],"later":false}');
\set SHOW_CONTEXT never
-- the payload 1.1.0 sent for entity 4 (section 9) reads as the same summary
SELECT pg_temp.load_binary('activity_summary', '\x01030000000000000000000000040002b18ae17ba00000000000000002880000000000000011');
SELECT pg_temp.load_binary('activity_summary', activity_summary_send(berlin)) = berlin::text AS binary_same,
	berlin::text::activity_summary::text = berlin::text AS text_same FROM ret_tz WHERE entity = 2;
-- a zone the server does not know, in text and binary; a zone on rolling periods
SELECT '{"version":2,"period":"month","time_zone":"Mars/Olympus_Mons","periods":1,"start":0,"origin":0,"active":[],"later":false}'::activity_summary;
SELECT pg_temp.load_binary('activity_summary', overlay(activity_summary_send(berlin) PLACING 'X' FROM 12)) FROM ret_tz WHERE entity = 1;
SELECT pg_temp.load_binary('activity_summary', '\x0204000000000000000103555443000000010000000000000000000000000000000000000000000000');
\set SHOW_CONTEXT errors
-- bad arguments
SELECT activity_agg(start, at, '1 month', 4, 'calendar', 'Mars/Olympus_Mons') FROM ret_events;
SELECT retention_curve(entity, start, at, '1 month', 4, 'on', 'calendar', NULL, NULL) FROM ret_events;
SELECT mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 4, 'UTC"') FROM ret_subscriptions;
SET TimeZone = 'UTC';

-- 14. cohort_activity_summary (issue 12, Citus): the state of the aggregates
-- over events, and their two-step form.  By hand, monthly periods, UTC:
-- e1 (start 2024-01-05) active Jan, Feb and Apr (after period 2), e2
-- (2024-01-20) Jan and Mar, e3 (2024-01-31) never; a row without entity
-- and one without start are skipped.  on: 2, 1, 1 of 3; on_or_after: 2, 2,
-- 2; at as_of 2024-03-15 periods 0 and 1 are complete, period 2 is not.
-- Starts in Unix microseconds: 2024-01-05 is 1704412800 s, 2024-01-20
-- 1705708800 s, 2024-01-31 1706659200 s.
CREATE TABLE ca_events (entity bigint, start timestamptz, at timestamptz);
INSERT INTO ca_events VALUES
	(1, '2024-01-05', '2024-01-05'), (1, '2024-01-05', '2024-02-10'), (1, '2024-01-05', '2024-04-01'),
	(2, '2024-01-20', '2024-01-21'), (2, '2024-01-20', '2024-03-03'),
	(3, '2024-01-31', NULL), (NULL, '2024-01-01', '2024-01-01'), (4, NULL, '2024-01-01');
SELECT cohort_activity_agg(entity, start, at, '1 month', 3) FROM ca_events;
SELECT cohort_activity_agg(entity, start, at, '1 month', 3)::text =
	'{"version":2,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","entities":[[1,1704412800000000,[0,1],true],[2,1705708800000000,[0,2],false],[3,1706659200000000,[],false]]}'
	AS by_hand FROM ca_events;
SELECT retention_summary(s), retention_curve(s), retention_curve(s, 'on_or_after'),
	retention_summary(s, '2024-03-15'), retention_summary(s, NULL)::text = retention_summary(s)::text AS null_as_of
FROM (SELECT cohort_activity_agg(entity, start, at, '1 month', 3) AS s FROM ca_events) x;
-- the one-step aggregates give the accessors' results
SELECT retention_curve(entity, start, at, '1 month', 3) AS curve,
	retention_curve(entity, start, at, '1 month', 3, 'on_or_after', 'calendar', '2024-03-15') AS censored,
	retention_agg(entity, start, at, '1 month', 3, 'calendar', '2024-03-15') AS summary
FROM ca_events;
-- as_of is recorded (Unix microseconds: 2024-03-15 is 1710460800 s), read
-- by retention_summary(s) and overridden by retention_summary(s, as_of); a
-- NULL as_of is the transaction time, after every period of 2024
SELECT s::text::jsonb -> 'as_of' AS as_of, retention_summary(s)::text = retention_summary(s, '2024-03-15')::text AS recorded,
	retention_summary(s, NULL) AS as_of_now
FROM (SELECT cohort_activity_agg(entity, start, at, '1 month', 3, 'calendar', '2024-03-15') AS s FROM ca_events) x;
-- rolling 7-day periods from each start: e1 days 0 and 36 (later), e2 days
-- 1 and 43 (later); e3 none
SELECT cohort_activity_agg(entity, start, at, '7 days', 3, 'rolling', NULL) FROM ca_events;
-- summaries whose entities overlap merge exactly: the events split by
-- activity month, e1 in both pieces, roll up to the whole
SELECT rollup(s)::text = (SELECT cohort_activity_agg(entity, start, at, '1 month', 3)::text FROM ca_events) AS same,
	retention_curve(rollup(s)) AS curve
FROM (SELECT coalesce(at < '2024-02-01', true) AS piece,
	cohort_activity_agg(entity, start, at, '1 month', 3) AS s FROM ca_events GROUP BY 1) x;
-- Relay Foods, in two steps: summaries per cohort and order month (a user
-- in several), rolled up per cohort, against the reference counts
WITH pieces AS (
	SELECT to_char(first_order, 'YYYY-MM') AS cohort, date_trunc('month', at) AS month,
		cohort_activity_agg(user_id, first_order, at, '1 month', 12) AS s
	FROM relay_orders GROUP BY 1, 2),
ours AS (
	SELECT c.cohort, t.period, t.cohort_size, t.retained
	FROM (SELECT cohort, retention_summary(rollup(s)) AS r FROM pieces GROUP BY cohort) c,
		retention_table(c.r) t)
SELECT count(*) AS rows, count(*) FILTER (WHERE (r.cohort_size, r.retained)
		IS DISTINCT FROM (o.cohort_size, o.retained)) AS mismatches
FROM relay_ref r FULL JOIN ours o USING (cohort, period);
-- the same censored at 2010-03-01, both modes, against the reference
WITH pieces AS (
	SELECT to_char(first_order, 'YYYY-MM') AS cohort, date_trunc('month', at) AS month,
		cohort_activity_agg(user_id, first_order, at, '1 month', 12, 'calendar', '2010-03-01') AS s
	FROM relay_orders GROUP BY 1, 2),
ours AS (
	SELECT c.cohort, t.period, t.cohort_size, t.eligible, t.retained AS "on", o.retained AS on_or_after
	FROM (SELECT cohort, retention_summary(rollup(s)) AS r FROM pieces GROUP BY cohort) c,
		retention_table(c.r) t JOIN retention_table(c.r, 'on_or_after') o USING (period))
SELECT count(*) AS rows, count(*) FILTER (WHERE (r.cohort_size, r.eligible, r."on", r.on_or_after)
		IS DISTINCT FROM (o.cohort_size, o.eligible, o."on", o.on_or_after)) AS mismatches
FROM relay_ref_censored r FULL JOIN ours o USING (cohort, period);
-- NULL and empty input: no rows give NULL; rows of no entity an empty
-- summary, whose accessors give NULL as the one-step aggregates do
SELECT cohort_activity_agg(entity, start, at, '1 month', 3) IS NULL AS no_rows,
	retention_curve(entity, start, at, '1 month', 3) IS NULL AS curve
FROM ca_events WHERE false;
SELECT s, retention_summary(s) IS NULL AS summary, retention_curve(s) IS NULL AS curve,
	retention_summary(s, '2024-03-01') IS NULL AS censored
FROM (SELECT cohort_activity_agg(entity, start, at, '1 month', 3) AS s FROM ca_events WHERE entity IS NULL) x;
SELECT retention_agg(entity, start, at, '1 month', 3) IS NULL AS one_step FROM ca_events WHERE entity IS NULL;
SELECT rollup(s) IS NULL AS rollup_none, retention_summary(NULL::cohort_activity_summary) IS NULL AS accessor
FROM (SELECT NULL::cohort_activity_summary) x(s);
-- text and binary round trips; a summary made by retention_curve with a
-- mode records it, and retention_curve(s) reads it
SELECT s::text::cohort_activity_summary::text = s::text AS text_same,
	pg_temp.load_binary('cohort_activity_summary', cohort_activity_summary_send(s)) = s::text AS binary_same
FROM (SELECT cohort_activity_agg(entity, start, at, '1 week', 20, 'calendar', '2024-03-15', 'Europe/Paris') AS s
	FROM ca_events) x;
SELECT retention_curve(s), retention_curve(s, 'on')
FROM (VALUES ('{"version":1,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on_or_after","entities":[[1,1704412800000000,[0,1],true],[2,1705708800000000,[0,2],false],[3,1706659200000000,[],false]]}'::cohort_activity_summary)) v(s);
-- the extreme entities, starts (4713 BC, 294247) and as_of read back
SELECT '{"version":1,"period":"day","time_zone":"UTC","periods":2,"as_of":9223371331199000000,"mode":"on","entities":[[-9223372036854775808,-210866803200000000,[0],false],[9223372036854775807,9223371331199000000,[],true]]}'::cohort_activity_summary;
\set SHOW_CONTEXT never
-- corrupt literals
SELECT '{"version":3,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","entities":[]}'::cohort_activity_summary;
SELECT '{"version":1,"period":"month","time_zone":"UTC","periods":0,"as_of":null,"mode":"on","entities":[]}'::cohort_activity_summary;
SELECT '{"version":1,"period":"month","time_zone":"UTC","periods":1025,"as_of":null,"mode":"on","entities":[]}'::cohort_activity_summary;
SELECT '{"version":1,"period":"month","periods":3,"as_of":null,"mode":"on","entities":[]}'::cohort_activity_summary;
SELECT '{"version":1,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"later","entities":[]}'::cohort_activity_summary;
SELECT '{"version":1,"period":"month","time_zone":"UTC","periods":3,"as_of":"2024-03-15","mode":"on","entities":[]}'::cohort_activity_summary;
SELECT '{"version":1,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","entities":[[2,0,[],false],[1,0,[],false]]}'::cohort_activity_summary;
SELECT '{"version":1,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","entities":[[1,0,[],false],[1,0,[0],false]]}'::cohort_activity_summary;
SELECT '{"version":1,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","entities":[[1,0,[3],false]]}'::cohort_activity_summary;
SELECT '{"version":1,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","entities":[[1,0,[1,0],false]]}'::cohort_activity_summary;
SELECT '{"version":1,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","entities":[[1,-210866803200000001,[],false]]}'::cohort_activity_summary;
SELECT '{"version":1,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","entities":[[1,0,[],maybe]]}'::cohort_activity_summary;
SELECT '{"version":1,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on","entities":[]} x'::cohort_activity_summary;
-- corrupt binary (version, unit, length, zone length, "UTC", periods, flags,
-- as_of, ids kind (version 2), count, rows): truncated, unknown flags, a
-- count past the bytes
SELECT pg_temp.load_binary('cohort_activity_summary', substr(cohort_activity_summary_send(s), 1, 60))
FROM (SELECT cohort_activity_agg(entity, start, at, '1 month', 3) AS s FROM ca_events) x;
SELECT pg_temp.load_binary('cohort_activity_summary', overlay(cohort_activity_summary_send(s) PLACING '\x80' FROM 19))
FROM (SELECT cohort_activity_agg(entity, start, at, '1 month', 3) AS s FROM ca_events) x;
SELECT pg_temp.load_binary('cohort_activity_summary', overlay(cohort_activity_summary_send(s) PLACING '\x00000009' FROM 29))
FROM (SELECT cohort_activity_agg(entity, start, at, '1 month', 3) AS s FROM ca_events) x;
\set SHOW_CONTEXT errors
-- merging summaries of other parameters is an error naming both
SELECT rollup(s) FROM (SELECT cohort_activity_agg(entity, start, at, '1 month', 3) FROM ca_events
	UNION ALL SELECT cohort_activity_agg(entity, start, at, '1 week', 3) FROM ca_events) x(s);
SELECT rollup(s) FROM (SELECT cohort_activity_agg(entity, start, at, '1 month', 3) FROM ca_events
	UNION ALL SELECT cohort_activity_agg(entity, start, at, '1 month', 4) FROM ca_events) x(s);
SELECT rollup(s) FROM (SELECT cohort_activity_agg(entity, start, at, '1 month', 3) FROM ca_events
	UNION ALL SELECT cohort_activity_agg(entity, start, at, '1 month', 3, 'calendar', NULL, 'Europe/Paris') FROM ca_events) x(s);
SELECT rollup(s) FROM (SELECT cohort_activity_agg(entity, start, at, '1 month', 3) FROM ca_events
	UNION ALL SELECT cohort_activity_agg(entity, start, at, '1 month', 3, 'calendar', '2024-03-15') FROM ca_events) x(s);
SELECT rollup(s) FROM (SELECT cohort_activity_agg(entity, start, at, '1 month', 3) FROM ca_events
	UNION ALL SELECT '{"version":1,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on_or_after","entities":[]}') x(s);
SELECT rollup(s) FROM (SELECT cohort_activity_agg(entity, start, at, '1 month', 3) FROM ca_events
	UNION ALL SELECT cohort_activity_agg(1, '2024-01-06', NULL, '1 month', 3)) x(s);
-- bad arguments
SELECT cohort_activity_agg(entity, start, at, '1 month', 3 + (entity = 2)::int) FROM ca_events;
SELECT cohort_activity_agg(1, '294250-01-01+00', NULL, '1 day', 3);
SELECT cohort_activity_agg(1, '2024-01-01', NULL, '1 day', 3, 'calendar', 'infinity');
SELECT retention_summary(cohort_activity_agg(1, '2024-01-01', NULL, '1 day', 3), 'infinity');
SELECT retention_curve(cohort_activity_agg(1, '2024-01-01', NULL, '1 day', 3), 'sideways');

-- 15. customer_mrr_summary (issue 12, Citus): each customer's MRR per period,
-- the state of mrr_agg, and its two-step form customer_mrr_agg, rollup and
-- mrr_summary.  From ret_subscriptions (section 5), by hand, in 1/10000
-- units printed as decimals: customer 1 100, 100, 150, 150; customer 2
-- 30 + 20 = 50, 30, 0, 40; customer 3 0, 80, 80, 0; customer 4 0, 0, 0, 25;
-- customer 5's row is after the last period; rows with a NULL customer or
-- MRR are skipped.
SELECT customer_mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 4)::text =
	'{"version":3,"period":"month","time_zone":"UTC","periods":4,"origin":648,"customers":[1,2,3,4],"mrr":[[100,100,150,150],[50,30,0,40],[0,80,80,0],[0,0,0,25]]}'
	AS by_hand
FROM ret_subscriptions;
-- the accessor gives the one-step result (checked by hand in section 5)
SELECT mrr_summary(customer_mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 4))::text =
	(SELECT s::text FROM ret_mrr) AS one_step
FROM ret_subscriptions;
-- two steps: a summary per month, each customer's months in several of them
CREATE TABLE ret_customer_mrr AS
SELECT month, customer_mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 4) AS s
FROM ret_subscriptions GROUP BY month;
SELECT mrr_summary(rollup(s))::text = (SELECT s::text FROM ret_mrr) AS two_steps,
	rollup(s)::text = (SELECT customer_mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 4)::text
					   FROM ret_subscriptions) AS same_summary
FROM ret_customer_mrr;
-- a customer in two summaries adds up per period (by hand: 10 + 5, 0 + 7.5)
SELECT rollup(s) FROM (VALUES
	('{"version":1,"period":"month","time_zone":"UTC","periods":2,"origin":648,"customers":[1,3],"mrr":[[10,0],[1,1]]}'::customer_mrr_summary),
	('{"version":1,"period":"month","time_zone":"UTC","periods":2,"origin":648,"customers":[1,2],"mrr":[[5,7.5],[0,0.0001]]}')) v(s);
-- moving windows remove what leaves the frame exactly: the same as rolling up
-- each frame (by hand, March and April: customer 1 0, 0, 150, 150; 2 0, 0, 0,
-- 40; 3 0, 0, 80, 0; 4 0, 0, 0, 25)
SELECT month, w.s AS moving,
	w.s::text IS NOT DISTINCT FROM (SELECT rollup(r.s)::text FROM ret_customer_mrr r
									WHERE r.month IN (w.month, w.prev)) AS same_as_frame
FROM (SELECT month, lag(month) OVER (ORDER BY month) AS prev,
		rollup(s) OVER (ORDER BY month ROWS 1 PRECEDING) AS s FROM ret_customer_mrr) w
ORDER BY month;
-- a customer with no MRR in any period moves nothing and is left out; no
-- rows: NULL; rows without a customer only: a summary of no customers
SELECT customer_mrr_agg(c, '2024-01-15', m, '2024-01-01', '1 month', 2)
FROM (VALUES (7, 0.0), (8, 2.5), (7, 0)) v(c, m);
SELECT customer_mrr_agg(c, at, v, '2024-01-01', '1 month', 2) IS NULL AS null_for_no_rows
FROM (VALUES (1, now(), 1.0)) v(c, at, v) WHERE false;
SELECT rollup(s) IS NULL AS rollup_null_for_no_rows FROM ret_customer_mrr WHERE false;
SELECT x.s, mrr_summary(x.s)::text = m.s::text AS same_movements
FROM (SELECT customer_mrr_agg(NULL::bigint, '2024-01-15', 5, '2024-01-01', '1 month', 2) AS s) x,
	(SELECT mrr_agg(NULL::bigint, '2024-01-15', 5, '2024-01-01', '1 month', 2) AS s) m;
-- text and binary round trips
SELECT month, s::text::customer_mrr_summary::text = s::text AS text_same,
	pg_temp.load_binary('customer_mrr_summary', customer_mrr_summary_send(s)) = s::text AS binary_same
FROM ret_customer_mrr ORDER BY month;
-- the time zone is recorded, and summaries of two zones do not merge
SELECT customer_mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 4, 'europe/paris')::text::jsonb ->> 'time_zone' AS zone
FROM ret_subscriptions;
SELECT rollup(s) FROM (SELECT customer_mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 4, 'Europe/Paris')
	FROM ret_subscriptions UNION ALL SELECT s FROM ret_customer_mrr) x(s);
-- nor summaries of other periods or origins
SELECT rollup(s) FROM (SELECT customer_mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 3)
	FROM ret_subscriptions UNION ALL SELECT s FROM ret_customer_mrr) x(s);
SELECT rollup(s) FROM (SELECT customer_mrr_agg(customer, month, mrr, '2023-12-01', '1 month', 4)
	FROM ret_subscriptions UNION ALL SELECT s FROM ret_customer_mrr) x(s);
-- removing what was not merged in
SELECT customer_mrr_summary_uncombine(a, b) FROM (VALUES
	('{"version":1,"period":"month","time_zone":"UTC","periods":1,"origin":648,"customers":[1],"mrr":[[2]]}'::customer_mrr_summary,
	 '{"version":1,"period":"month","time_zone":"UTC","periods":1,"origin":648,"customers":[1],"mrr":[[3]]}'::customer_mrr_summary),
	('{"version":1,"period":"month","time_zone":"UTC","periods":1,"origin":648,"customers":[1],"mrr":[[2]]}',
	 '{"version":1,"period":"month","time_zone":"UTC","periods":1,"origin":648,"customers":[2],"mrr":[[1]]}')) v(a, b);
-- parameters that change within one aggregate; a row before the origin (ignored
-- since 1.3.0: a summary of no customers)
SELECT customer_mrr_agg(1, '2024-01-15', 1, '2024-01-01', '1 month', p) FROM generate_series(2, 3) p;
SELECT customer_mrr_agg(1, '2023-12-31', 1, '2024-01-01', '1 month', 2);
-- corrupt literals and payloads, each with its SQLSTATE and what is wrong
CREATE FUNCTION pg_temp.failure(query text, OUT state text, OUT problem text) LANGUAGE plpgsql AS $$
DECLARE
	message text;
BEGIN
	EXECUTE query;
	state := 'none';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT, problem = PG_EXCEPTION_DETAIL;
	IF problem = '' THEN
		problem := message;
	END IF;
END $$;
SELECT f.* FROM (VALUES
	('{"version":4,"period":"month","time_zone":"UTC","periods":1,"origin":648,"customers":[],"mrr":[]}'),
	('{"version":1,"period":"month","time_zone":"UTC","periods":1,"origin":648,"customers":[1,2],"mrr":[[1]]}'),
	('{"version":1,"period":"month","time_zone":"UTC","periods":1,"origin":648,"customers":[1],"mrr":[[1,2]]}'),
	('{"version":1,"period":"month","time_zone":"UTC","periods":1,"origin":648,"customers":[2,1],"mrr":[[1],[1]]}'),
	('{"version":1,"period":"month","time_zone":"UTC","periods":1,"origin":648,"customers":[1,1],"mrr":[[1],[1]]}'),
	('{"version":1,"period":"month","time_zone":"UTC","periods":1,"origin":648,"customers":[1],"mrr":[[-1]]}'),
	('{"version":1,"period":"month","time_zone":"UTC","periods":1,"origin":648,"customers":[1],"mrr":[[0.00001]]}'),
	('{"version":1,"period":"month","time_zone":"UTC","periods":2,"origin":648,"customers":[1],"mrr":[[0,0]]}'),
	('{"version":1,"period":"month","time_zone":"UTC","periods":1,"origin":648,"customers":[1],"mrr":[[922337203685477.5808]]}'),
	('{"version":1,"period":"month","time_zone":"UTC","periods":0,"origin":648,"customers":[],"mrr":[]}'),
	('{"version":1,"period":"month","time_zone":"UTC","periods":1025,"origin":648,"customers":[],"mrr":[]}'),
	('{"version":1,"period":"month","time_zone":"UTC","periods":1,"origin":9223372036854775807,"customers":[],"mrr":[]}'),
	('{"version":1,"period":"rolling","length":10,"periods":1,"origin":648,"customers":[],"mrr":[]}'),
	('{"version":1,"period":"month","periods":1,"origin":648,"customers":[],"mrr":[]}'),
	('{"version":1,"period":"month","time_zone":"UTC","periods":3,"origin":648,"customers":[1,2,3],"mrr":[[1]]}'),
	('{"version":1,"period":"month","time_zone":"UTC","periods":1,"origin":648,"customers":[],"mrr":[]}x')) v(literal),
	pg_temp.failure(format('SELECT %L::customer_mrr_summary', literal)) f;
-- binary, from the payload (format 3) of the literal with customers 1 and 3
-- above (version byte; the currency's length, byte 14; periods, bytes
-- 15-18; the id kind, byte 27; customers, bytes 28-31; customer 1's MRR in
-- period 0, bytes 40-47): version 4, periods 0, 3 customers, a negative
-- MRR, a byte too many, truncated, the customers swapped, an unknown id kind
CREATE TABLE ret_cm_payload AS SELECT customer_mrr_summary_send('{"version":1,"period":"month","time_zone":"UTC","periods":2,"origin":648,"customers":[1,3],"mrr":[[10,0],[1,1]]}') AS b;
SELECT f.* FROM ret_cm_payload, LATERAL (VALUES (set_byte(b, 0, 4)), (set_byte(b, 18, 0)), (set_byte(b, 31, 3)),
	(set_byte(b, 40, 128)), (b || '\x00'::bytea), (substr(b, 1, length(b) - 1)),
	(substr(b, 1, 32) || substr(b, 57, 24) || substr(b, 33, 24)), (set_byte(b, 27, 9))) v(payload),
	pg_temp.failure(format('SELECT pg_temp.load_binary(%L, %L)', 'customer_mrr_summary', payload)) f;
SELECT pg_temp.load_binary('customer_mrr_summary', b) AS payload_reads FROM ret_cm_payload;
-- the same payload in format 1 (1.2.0: no currency, no id kind byte) and
-- in format 2 (no currency) reads the same
SELECT pg_temp.load_binary('customer_mrr_summary', set_byte(substr(b, 1, 14) || substr(b, 16, 12) || substr(b, 29), 0, 1))::text
	= pg_temp.load_binary('customer_mrr_summary', b)::text AS format_1_reads,
	pg_temp.load_binary('customer_mrr_summary', set_byte(substr(b, 1, 14) || substr(b, 16), 0, 2))::text
	= pg_temp.load_binary('customer_mrr_summary', b)::text AS format_2_reads FROM ret_cm_payload;
