--
-- Sales pipeline, stage history, new-customer business (src/pipeline/)
-- and CRM adoption (src/adoption/).
--
-- Expected values come from outside crm_kpi: hand computations (in the
-- comments), test/reference/pipeline_reference.py (standard library: exact
-- fractions, the Wilson formula, an independent DDSketch mapping), the
-- published Wilson vectors, and plain SQL (percentile_cont, count(DISTINCT),
-- window functions) over generated data.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET extra_float_digits = 0;
\set SHOW_CONTEXT never

-- 1. Ten deals by hand (pipeline_reference.py prints every figure):
-- open 1000 @ 0.2, 500 @ 0.5, 2500.50 @ 0.9 -> open pipeline 4000.5,
-- weighted 200 + 250 + 2250.45 = 2700.45; won 2000, 3000, 100, 0, 1250.25
-- (no close date) -> 6350.25, average 1270.05; lost 700, 900; win rate
-- 5/7; cycles of the won deals with a close date 30, 60, 10, 0 days ->
-- average 25; velocity 3 * 5/7 * 1270.05 / 25 = 108.861428571.
CREATE TABLE pl_deals (id int, amount numeric(12,2), probability float8,
	created_on date, closed_on date, outcome text);
INSERT INTO pl_deals VALUES
	(1, 1000.00, 0.20, '2025-01-01', NULL, 'open'),
	(2, 500.00, 0.50, '2025-01-05', NULL, 'open'),
	(3, 2500.50, 0.90, '2025-02-01', NULL, 'Open'),
	(4, 2000.00, NULL, '2025-01-01', '2025-01-31', 'won'),
	(5, 3000.00, NULL, '2025-01-01', '2025-03-02', 'WON'),
	(6, 100.00, NULL, '2025-02-01', '2025-02-11', 'won'),
	(7, 0.00, NULL, '2025-02-03', '2025-02-03', 'won'),
	(8, 1250.25, NULL, '2025-01-15', NULL, 'won'),
	(9, 700.00, NULL, '2025-01-10', '2025-01-20', 'lost'),
	(10, 900.00, 0.1, '2025-01-12', '2025-02-12', 'lost'),
	-- skipped: NULL amount, creation or outcome
	(11, NULL, 0.5, '2025-01-01', NULL, 'open'),
	(12, 10.00, 0.5, NULL, NULL, 'open'),
	(13, 10.00, 0.5, '2025-01-01', NULL, NULL);
CREATE TABLE pl_summary AS
SELECT pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s FROM pl_deals;

SELECT s FROM pl_summary;
SELECT open_deals(s), won_deals(s), lost_deals(s), open_pipeline(s), weighted_pipeline(s),
	won_amount(s), lost_amount(s)
FROM pl_summary;
-- win rate 5/7 = 0.714285714; Wilson 95 % [0.358934452, 0.917781076],
-- 90 % [0.408667546, 0.900434156]
SELECT win_rate(s), round(lower::numeric, 9) AS lower, round(upper::numeric, 9) AS upper
FROM pl_summary, win_rate_ci(s);
SELECT round(lower::numeric, 9) AS lower, round(upper::numeric, 9) AS upper
FROM pl_summary, win_rate_ci(s, 0.90);
-- the win rate as the shared proportion type: the same counts, rate and
-- Wilson interval; proportion_compare() tests a difference of win rates
SELECT win_proportion(s), rate(win_proportion(s)) = win_rate(s) AS same_rate,
	rate_ci(win_proportion(s), 0.9) = win_rate_ci(s, 0.9) AS same_interval
FROM pl_summary;
SELECT win_proportion(pipeline_agg(amount, probability, created_on, closed_on, outcome))
FROM pl_deals WHERE outcome = 'open';
-- closed in January (deals 4 won, 9 lost: 1 of 2) against February and
-- later (5, 6, 7 won, 10 lost: 3 of 4), by hand with the pooled two-proportion
-- z test: difference -0.25, pooled p 4/6, SE sqrt(2/9 * (1/2 + 1/4)) =
-- 0.408248290, z -0.612372436, p 0.540291 (pipeline_reference.py)
SELECT c.* FROM proportion_compare(
	(SELECT win_proportion(pipeline_agg(amount, probability, created_on, closed_on, outcome))
	 FROM pl_deals WHERE closed_on < '2025-02-01'),
	(SELECT win_proportion(pipeline_agg(amount, probability, created_on, closed_on, outcome))
	 FROM pl_deals WHERE closed_on >= '2025-02-01')) c;
-- averages and (up to 10,000 won deals) medians and quantiles are exact:
-- sizes 0, 100, 1250.25, 2000, 3000 have median 1250.25 and quantile 0.9 at
-- rank 0.9 * 4 = 3.6, 2000 + 0.6 * 1000 = 2600; cycles 0, 10, 30, 60 days
-- have median (10 + 30) / 2 = 20
SELECT average_deal_size(s), round(median_deal_size(s)::numeric, 9) AS median_deal_size,
	round(deal_size_quantile(s, 0.9)::numeric, 9) AS q90,
	deal_size_quantile(s, 0) AS q0, round(deal_size_quantile(s, 1)::numeric, 9) AS q1,
	average_sales_cycle(s), round(median_sales_cycle(s)::numeric, 9) AS median_sales_cycle,
	sales_cycle_quantile(s, 0) AS cycle_q0
FROM pl_summary;
SELECT round(pipeline_velocity(s)::numeric, 9) AS velocity,
	pipeline_coverage(s, 2000) AS coverage, pipeline_coverage(s, 2000, true) AS weighted_coverage
FROM pl_summary;

-- the timestamp form gives the same summary for midnight UTC timestamps, and
-- fractional days otherwise (36 hours = 1.5 days)
SELECT (SELECT pipeline_agg(amount, probability, created_on::timestamptz, closed_on::timestamptz,
		outcome)::text FROM pl_deals) = (SELECT s::text FROM pl_summary) AS same_as_dates;
SELECT average_sales_cycle(pipeline_agg(100, NULL, timestamptz '2025-01-01 00:00',
	timestamptz '2025-01-02 12:00', 'won'));

-- numeric amounts (the overload pl_deals uses) are converted exactly as
-- numeric::float8 converts them, on every shape of numeric (the double
-- sums, read as double precision; sql/pipeline_money.sql has the numeric
-- ones)
SELECT setseed(0.375);
SELECT count(*) AS amounts, count(*) FILTER (WHERE a IS DISTINCT FROM b) AS different
FROM (SELECT won_amount_float8(pipeline_agg(x, NULL, date '2025-01-01', NULL, 'won')) AS a, x::float8 AS b
	FROM (SELECT i, CASE i % 8 WHEN 0 THEN round((random() * 1e6)::numeric, 2)
			WHEN 1 THEN round((random() * 1e-3)::numeric, 9) WHEN 2 THEN round((random() * 1e20)::numeric, 0)
			WHEN 3 THEN (random() * 1e6)::numeric WHEN 4 THEN round((random() * 1e15)::numeric, 1)
			WHEN 5 THEN round((random() * 100)::numeric, 4) WHEN 6 THEN round((random() * 1e30)::numeric, 3)
			ELSE round(random()::numeric, 2) * 10 ^ (i % 40 - 20)::numeric END AS x
		FROM generate_series(1, 40000) i) g
	GROUP BY i, x) z;
SELECT x, won_amount_float8(pipeline_agg(x, NULL, date '2025-01-01', NULL, 'won')) = x::float8 AS same
FROM (VALUES (0.00::numeric), (123456789012.34), (9007199254740992), (9007199254740993),
	(1e-30), (1e22), (1e23), (0.1),
	-- a scale above 63 takes the long stored form
	(round(2.5, 70)), (round(123456.78, 64))) v(x)
GROUP BY x ORDER BY x;
SELECT pipeline_agg('NaN'::numeric, NULL, date '2025-01-01', NULL, 'won');
SELECT pipeline_agg(-0.01::numeric, NULL, date '2025-01-01', NULL, 'won');

-- 2. rollup: per-deal summaries merged = one summary of all deals
SELECT rollup(s)::text = (SELECT s::text FROM pl_summary) AS rollup_matches
FROM (SELECT pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s
	FROM pl_deals GROUP BY id) x;
SELECT rollup(s) IS NULL AS null_for_no_rows FROM pl_summary WHERE false;

-- rolling windows over stored summaries (no inverse transition: each frame
-- is aggregated anew) equal plain aggregation over the frame's deals
CREATE TABLE pl_by_day AS
SELECT created_on AS day, pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s
FROM pl_deals WHERE created_on IS NOT NULL GROUP BY 1;
SELECT day, won_deals(w), lost_deals(w), round(open_pipeline(w)::numeric, 2) AS open_pipeline,
	w::text = (SELECT pipeline_agg(amount, probability, created_on, closed_on, outcome)::text
		FROM pl_deals WHERE created_on BETWEEN r.day - 7 AND r.day) AS same_as_frame
FROM (SELECT day, rollup(s) OVER (ORDER BY day RANGE BETWEEN '7 days' PRECEDING AND CURRENT ROW) AS w
	FROM pl_by_day) r
ORDER BY day;

-- 3. Empty input: an empty summary, counts 0, sums 0, ratios NULL
SELECT s, open_deals(s), open_pipeline(s), win_rate(s), lower, upper, average_deal_size(s),
	median_deal_size(s), average_sales_cycle(s), median_sales_cycle(s), pipeline_velocity(s),
	pipeline_coverage(s, 100)
FROM (SELECT pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s
	FROM pl_deals WHERE false) x, win_rate_ci(s);
-- only open deals: no win rate, no velocity; only won deals without dates:
-- deal size but no cycle
SELECT win_rate(s), average_deal_size(s), pipeline_velocity(s)
FROM (SELECT pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s
	FROM pl_deals WHERE outcome = 'open') x;
SELECT win_rate(s), average_deal_size(s), average_sales_cycle(s), pipeline_velocity(s)
FROM (SELECT pipeline_agg(amount, probability, created_on, NULL, outcome) AS s
	FROM pl_deals WHERE id IN (1, 4, 5)) x;
-- a zero average cycle has no velocity
SELECT pipeline_velocity(pipeline_agg(a, p, date '2025-01-01', c, o))
FROM (VALUES (100, 0.5, NULL, 'open'), (100, NULL, date '2025-01-01', 'won')) v(a, p, c, o);

-- 4. Sketch accuracy on 39,999 generated deals (13,333 won, more than the
-- 10,000 exact values a summary keeps): every quantile within 1 % of
-- percentile_cont, averages equal to avg()
SELECT setseed(0.5);
CREATE TABLE pl_many AS
SELECT i, round((50 + 200000 * random() ^ 3)::numeric, 2) AS amount,
	CASE WHEN i % 3 = 0 THEN 'open' WHEN i % 3 = 1 THEN 'won' ELSE 'lost' END AS outcome,
	timestamptz '2024-01-01' + i * interval '37 minutes' AS created_at,
	timestamptz '2024-01-01' + i * interval '37 minutes'
		+ (random() * 200) * interval '1 day' AS closed_at,
	(i % 10) / 10.0 AS probability
FROM generate_series(1, 39999) i;
CREATE TABLE pl_many_summary AS
SELECT pipeline_agg(amount, probability, created_at, closed_at, outcome) AS s FROM pl_many;
SELECT q,
	abs(deal_size_quantile(s, q) - exact_size) <= 0.01 * exact_size AS size_within_1pct,
	abs(sales_cycle_quantile(s, q) - exact_cycle) <= 0.01 * exact_cycle AS cycle_within_1pct
FROM pl_many_summary, unnest('{0,0.01,0.1,0.25,0.5,0.75,0.9,0.99,1}'::float8[]) q,
	LATERAL (SELECT percentile_cont(q) WITHIN GROUP (ORDER BY amount) AS exact_size,
		percentile_cont(q) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - created_at) / 86400)
			AS exact_cycle
		FROM pl_many WHERE outcome = 'won') e
ORDER BY q;
SELECT abs(average_deal_size(s) - (SELECT avg(amount) FROM pl_many WHERE outcome = 'won')) < 1e-9 AS avg_size,
	abs(average_sales_cycle(s) - (SELECT avg(extract(epoch FROM closed_at - created_at) / 86400)
		FROM pl_many WHERE outcome = 'won')) < 1e-9 AS avg_cycle,
	open_pipeline(s) = (SELECT sum(amount) FROM pl_many WHERE outcome = 'open') AS open_sum,
	abs(weighted_pipeline(s) - (SELECT sum(amount * probability) FROM pl_many WHERE outcome = 'open'))
		<= 0.005 AS weighted_sum,
	win_rate(s) = 0.5 AS win_rate
FROM pl_many_summary;

-- 5. Text and binary round trips; the text form is JSON
SELECT s::text::pipeline_summary::text = s::text AS text_round_trip,
	(s::text::jsonb)->'won_deals' AS won_deals_json FROM pl_many_summary;
\i test/binary_copy.sql
SELECT pg_temp.load_binary('pipeline_summary', pipeline_summary_send(s)) = s::text AS binary_round_trip
FROM pl_summary;
SELECT pg_temp.load_binary('pipeline_summary', pipeline_summary_send(s)) = s::text AS binary_round_trip
FROM pl_many_summary;
-- exact sums: the double 0.1 added 10 times is 1 + 2^-54 exactly
-- (0.1000000000000000055511151231257827... times 10), which rounds to 1;
-- the text keeps the remainder, so the value reads back exactly
SELECT open_pipeline(s) = 1 AS exact_sum, s::text
FROM (SELECT pipeline_agg(0.1, 0.5, date '2025-01-01', NULL, 'open') AS s
	FROM generate_series(1, 10)) x;

-- 6. Malformed literals (22P02) and binary input (22P03)
SELECT '{"version":5}'::pipeline_summary;
SELECT '{"version":1,"open_deals":-1,"open_amount":[0,0],"weighted_amount":[0,0],"won_deals":0,"won_amount":[0,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":0,"cycle_days":[0,0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}'::pipeline_summary;
SELECT '{"version":1,"open_deals":0,"open_amount":[0,0],"weighted_amount":[0,0],"won_deals":2,"won_amount":[5,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":0,"cycle_days":[0,0],"deal_size_sketch":{"zeros":0,"buckets":[[3,1]]},"cycle_sketch":{"zeros":0,"buckets":[]}}'::pipeline_summary;
SELECT '{"version":1,"open_deals":0,"open_amount":[0,0],"weighted_amount":[0,0],"won_deals":2,"won_amount":[5,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":0,"cycle_days":[0,0],"deal_size_sketch":{"zeros":0,"buckets":[[3,1],[3,1]]},"cycle_sketch":{"zeros":0,"buckets":[]}}'::pipeline_summary;
SELECT '{"version":1,"open_deals":0,"open_amount":[-1,0],"weighted_amount":[0,0],"won_deals":0,"won_amount":[0,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":0,"cycle_days":[0,0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}'::pipeline_summary;
SELECT '{"version":1,"open_deals":0,"open_amount":[0,0],"weighted_amount":[0,0],"won_deals":0,"won_amount":[0,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":0,"cycle_days":[0,0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}} x'::pipeline_summary;
SELECT pg_temp.load_binary('pipeline_summary', '\x05'::bytea);
SELECT pg_temp.load_binary('pipeline_summary', substr(pipeline_summary_send(s), 1, 60)) FROM pl_summary;
SELECT pg_temp.load_binary('pipeline_summary', pipeline_summary_send(s) || '\x00'::bytea) FROM pl_summary;

-- 7. Bad input: every error message
SELECT pipeline_agg(-1, 0.5, date '2025-01-01', NULL, 'open');
SELECT pipeline_agg('NaN', 0.5, date '2025-01-01', NULL, 'open');
SELECT pipeline_agg(1, 1.5, date '2025-01-01', NULL, 'open');
SELECT pipeline_agg(1, NULL, date '2025-01-01', NULL, 'pending');
SELECT pipeline_agg(1, NULL, date '2025-01-01', NULL, ' won it');
SELECT pipeline_agg(1, 0.5, date '2025-01-01', NULL, false, true);
SELECT pipeline_agg(1, NULL, date '2025-02-01', date '2025-01-01', 'won');
SELECT pipeline_agg(1, NULL, date 'infinity', date '2025-01-01', 'won');
SELECT pipeline_agg(1e308, 0.5, date '2025-01-01', NULL, 'open') FROM generate_series(1, 2);
SELECT deal_size_quantile(s, 1.5) FROM pl_summary;
SELECT win_rate_ci(s, 1) FROM pl_summary;
SELECT pipeline_coverage(s, 0) FROM pl_summary;

-- 8. Stage history.  Deal a: lead 2 days, qualified 7, proposal 10, won;
-- b: lead 2, qualified 1, lost; c: lead (entered twice: the visit starts at
-- the first entry) 10 days, then qualified, still there; d: lead, proposal
-- (skipping qualified) after 4 days, back to lead after 1 day, proposal again
-- after 2 days.  Matrix by hand: lead entered by 4 deals -> qualified 3
-- (days 2, 2, 10: median 2), -> proposal 1 (d's first move: 4 days);
-- qualified entered by 3 -> proposal 1 (7), lost 1 (1), ends there 1;
-- proposal entered by 2 -> won 1 (10), lead 1 (1), ends there 1 (d).
CREATE TABLE pl_history (deal text, stage text, entered_at timestamptz);
INSERT INTO pl_history VALUES
	('a', 'lead', '2025-01-01'), ('a', 'qualified', '2025-01-03'),
	('a', 'proposal', '2025-01-10'), ('a', 'won', '2025-01-20'),
	('b', 'qualified', '2025-01-04'), ('b', 'lead', '2025-01-02'), ('b', 'lost', '2025-01-05'),
	('c', 'lead', '2025-01-02'), ('c', 'lead', '2025-01-03'), ('c', 'qualified', '2025-01-12'),
	('d', 'lead', '2025-01-01'), ('d', 'proposal', '2025-01-05'),
	('d', 'lead', '2025-01-06'), ('d', 'proposal', '2025-01-08'),
	(NULL, 'lead', '2025-01-01'), ('e', NULL, '2025-01-01'), ('e', 'lead', NULL);
SELECT c.* FROM (SELECT stage_conversions(deal, stage, entered_at) AS m FROM pl_history) s,
	unnest(s.m) c;
SELECT deal, d.* FROM (SELECT deal, stage_durations(stage, entered_at) AS v
	FROM pl_history WHERE deal IS NOT NULL GROUP BY deal) s, unnest(s.v) d
ORDER BY deal, d.entered_at;
SELECT stage_conversions(deal, stage, entered_at) IS NULL AS null_for_no_rows
FROM pl_history WHERE false;
-- ties in time are ordered by stage name, whatever the input order
SELECT d.stage FROM unnest((SELECT stage_durations(stage, entered_at)
	FROM (VALUES ('b', timestamptz '2025-01-01'), ('a', '2025-01-01'), ('c', '2025-01-02')) v(stage, entered_at))) d;
SELECT stage_conversions('x', 'lead', timestamptz 'infinity');

-- generated histories: the matrix against plain SQL with window functions
SELECT setseed(0.25);
CREATE TABLE pl_gen_history AS
SELECT 'deal' || d AS deal, (ARRAY['lead','qualified','demo','proposal','won','lost'])[1 + floor(random() * 6)::int] AS stage,
	timestamptz '2025-01-01' + floor(random() * 200) * interval '1 hour' AS entered_at
FROM generate_series(1, 2000) d, generate_series(1, 6) k;
CREATE TABLE pl_gen_matrix AS
WITH ordered AS (
	SELECT deal, stage, entered_at,
		lag(stage) OVER w IS DISTINCT FROM stage AS new_visit
	FROM pl_gen_history WINDOW w AS (PARTITION BY deal ORDER BY entered_at, stage)),
visits AS (
	SELECT deal, stage, entered_at, lead(stage) OVER w AS next_stage,
		lead(entered_at) OVER w AS next_at, row_number() OVER w AS seq
	FROM ordered WHERE new_visit WINDOW w AS (PARTITION BY deal ORDER BY entered_at, stage)),
entered AS (SELECT stage, count(DISTINCT deal) AS n FROM visits GROUP BY stage),
firsts AS (
	SELECT DISTINCT ON (deal, stage, next_stage) deal, stage, next_stage,
		extract(epoch FROM next_at - entered_at) / 86400 AS days
	FROM visits WHERE next_stage IS NOT NULL ORDER BY deal, stage, next_stage, seq),
ends AS (SELECT DISTINCT ON (deal) deal, stage FROM visits ORDER BY deal, seq DESC)
SELECT f.stage AS from_stage, f.next_stage AS to_stage, count(*) AS deals,
	count(*)::float8 / e.n AS share,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median_days
FROM firsts f JOIN entered e USING (stage) GROUP BY f.stage, f.next_stage, e.n
UNION ALL
SELECT x.stage, NULL, count(*), count(*)::float8 / e.n, NULL
FROM ends x JOIN entered e USING (stage) GROUP BY x.stage, e.n;
SELECT count(*) AS cells,
	count(*) FILTER (WHERE g.deals IS NULL OR c.deals IS NULL) AS missing,
	count(*) FILTER (WHERE g.deals <> c.deals OR abs(g.share - c.share) > 1e-12
		OR g.median_days IS DISTINCT FROM c.median_days) AS different
FROM pl_gen_matrix g FULL JOIN unnest((SELECT stage_conversions(deal, stage, entered_at) FROM pl_gen_history)) c
	ON (g.from_stage, coalesce(g.to_stage, '')) = (c.from_stage, coalesce(c.to_stage, ''));

-- 9. New-customer business: CAC 10000 / 20 = 500; payback 500 / (100 *
-- 0.8) = 6.25 months; LTV 100 * 0.8 / 0.02 = 4000; LTV:CAC 4000 / 500 = 8;
-- spend per revenue 10000 / 40000 = 0.25
SELECT customer_acquisition_cost(10000, 20) AS cac,
	cac_payback_months(500, 100, 0.8) AS payback,
	customer_lifetime_value(100, 0.8, 0.02) AS ltv,
	ltv_cac_ratio(4000, 500) AS ltv_cac,
	acquisition_spend_ratio(10000, 40000) AS spend_ratio;
-- zero denominators give NULL
SELECT customer_acquisition_cost(10000, 0) AS cac, cac_payback_months(500, 0, 0.8) AS payback,
	customer_lifetime_value(100, 0.8, 0) AS ltv, ltv_cac_ratio(4000, 0) AS ltv_cac,
	acquisition_spend_ratio(10000, 0) AS spend_ratio, customer_acquisition_cost(0, 5) AS free;
SELECT customer_acquisition_cost(-1, 20);
SELECT customer_acquisition_cost(100, -2);
SELECT cac_payback_months(500, -100, 0.8);
SELECT cac_payback_months(500, 100, 80);
SELECT customer_lifetime_value(100, 0.8, 1.5);
SELECT ltv_cac_ratio('NaN', 1);
SELECT acquisition_spend_ratio(100, '-Infinity');

-- 10. Adoption.  Users 1 (Jan 1, twice, and Jan 2), 2 (Jan 2), 3 (Feb 1,
-- outside January): 2 active users; 3 user-days / 31 days = 0.096774194
-- average DAU; DAU/MAU 0.096774194 / 2 = 0.048387097
SELECT active_users(u, d, '2025-01-01', '2025-02-01'),
	round(average_dau(u, d, '2025-01-01', '2025-02-01')::numeric, 9) AS average_dau,
	round(dau_mau(u, d, '2025-01-01', '2025-02-01')::numeric, 9) AS dau_mau
FROM (VALUES (1, date '2025-01-01'), (1, '2025-01-01'), (1, '2025-01-02'), (2, '2025-01-02'),
	(3, '2025-02-01'), (NULL, '2025-01-05'), (4, NULL)) v(u, d);
-- no rows: NULL; no row in the period: 0 users, average DAU 0, DAU/MAU NULL
SELECT active_users(u, d, '2025-01-01', '2025-02-01') FROM (VALUES (1, date '2025-01-01')) v(u, d) WHERE false;
SELECT active_users(u, d, '2025-01-01', '2025-02-01'), average_dau(u, d, '2025-01-01', '2025-02-01'),
	dau_mau(u, d, '2025-01-01', '2025-02-01') FROM (VALUES (1, date '2024-01-01')) v(u, d);
-- generated log, by month: against count(DISTINCT) in plain SQL
SELECT setseed(0.75);
CREATE TABLE pl_activity AS
SELECT (1 + floor(random() * 300))::bigint AS user_id,
	date '2025-01-01' + floor(random() * 90)::int AS active_on
FROM generate_series(1, 20000);
SELECT month, active_users(user_id, active_on, month, (month + interval '1 month')::date)
		= count(DISTINCT user_id) AS active_users_exact,
	abs(dau_mau(user_id, active_on, month, (month + interval '1 month')::date)
		- (SELECT count(DISTINCT (a.user_id, a.active_on))::float8
			/ (((month + interval '1 month')::date - month) * count(DISTINCT a.user_id))
			FROM pl_activity a WHERE date_trunc('month', a.active_on)::date = month)) < 1e-12 AS dau_mau_exact
FROM (SELECT date_trunc('month', active_on)::date AS month, * FROM pl_activity) x
GROUP BY month ORDER BY month;
-- adoption: 45 of 60 seats = 75 %; more users than seats is an error
-- (1.3.0: count licensed users only)
SELECT adoption_rate(45, 60), adoption_rate(0, 0);
SELECT adoption_rate(70, 60);
SELECT active_users(1, date '2025-01-01', NULL, '2025-02-01');
SELECT active_users(1, date '2025-01-01', '2025-02-01', '2025-01-01');
SELECT active_users(1, date '2025-01-01', '2025-01-01', '2026-02-01');
SELECT active_users(1, d, d, d + 1) FROM (VALUES (date '2025-01-01'), ('2025-01-02')) v(d);
SELECT adoption_rate(-1, 10);

-- Issue 10: every value a producer returns reads back, or the call fails
-- with 22003; quantile ranks are exact; time differences are exact or 22008.
\set VERBOSITY terse
-- a direct call of the (non-strict) transition with a NULL summary is NULL
-- (it used to dereference the NULL)
SELECT pipeline_summary_accum(NULL, 1, 0.5, now(), NULL, 'open') IS NULL AS null_state;
-- open_deals at the bigint maximum: one more deal of any kind overflows
CREATE TABLE pl_max AS SELECT '{"version":1,"open_deals":9223372036854775806,"open_amount":[1,0],"weighted_amount":[0.5,0],"won_deals":0,"won_amount":[0,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":0,"cycle_days":[0,0],"deal_size_sketch":{"zeros":0,"buckets":[]},"cycle_sketch":{"zeros":0,"buckets":[]}}'::pipeline_summary AS s;
-- 2^63 - 2 + 1 = 9223372036854775807 open deals, amount 1 + 1 = 2: stored and read back
SELECT open_deals(t::pipeline_summary), open_pipeline(t::pipeline_summary),
	t::pipeline_summary::text = t AS reads_back
FROM (SELECT pipeline_summary_accum(s, 1, 1, now(), NULL, 'open')::text AS t FROM pl_max) x;
SELECT pipeline_summary_accum(pipeline_summary_accum(s, 1, 1, now(), NULL, 'open'), 1, 1, now(), NULL, 'open') FROM pl_max;
SELECT pipeline_summary_accum(pipeline_summary_accum(s, 1, 1, now(), NULL, 'open'), 1, NULL, now(), NULL, 'won') FROM pl_max;
SELECT pipeline_summary_accum_date(pipeline_summary_accum(s, 1, 1, now(), NULL, 'open'), 1, NULL, current_date, NULL, 'lost') FROM pl_max;
SELECT pipeline_summary_accum_numeric(pipeline_summary_accum(s, 1, 1, now(), NULL, 'open'), 1::numeric, 0.5, now(), NULL, 'open') FROM pl_max;
-- combine and rollup: 2 * (2^63 - 2) open deals overflow (not a wrapped count)
SELECT pipeline_summary_combine(s, s) FROM pl_max;
SELECT rollup(s) FROM pl_max, generate_series(1, 2);
-- deal size quantiles at huge counts, exact ranks (percentile_cont: rank
-- q (n - 1)).  Key 100 reads back as gamma^100 * 2 / (gamma + 1) =
-- 7.315653261 (mpmath, gamma = 1.01 / 0.99): the bucket of 7.3.
-- n = 2^54 + 4 deals, 2^54 + 2 of them zero (ranks 0 .. 2^54 + 1): q = 1 is
-- rank n - 1 = 7.315653261 (it failed: "beyond the sketch"); q = 1 - 2^-53
-- is rank (2^54 + 3)(1 - 2^-53) = 2^54 + 1 - 3 * 2^-53, between two zeros,
-- so 0 (a double product rounds it to rank 2^54 + 2, the bucket).
SELECT q, round(deal_size_quantile('{"version":1,"open_deals":0,"open_amount":[0,0],"weighted_amount":[0,0],"won_deals":18014398509481988,"won_amount":[14.6,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":0,"cycle_days":[0,0],"deal_size_sketch":{"zeros":18014398509481986,"buckets":[[100,2]]},"cycle_sketch":{"zeros":0,"buckets":[]}}', q::float8)::numeric, 9) AS quantile
FROM unnest(ARRAY['0', '0.5', '0.9999999999999999', '1']) q;
-- 2^63 - 1 deals all in the bucket of 7.3: every quantile is 7.315653261
-- (q = 1 returned 0: the rank 2^63 overflowed int64)
SELECT q, round(deal_size_quantile(s, q)::numeric, 9) AS deal_size,
	round(sales_cycle_quantile(s, q)::numeric, 9) AS cycle, round(median_deal_size(s)::numeric, 9) AS median
FROM (SELECT '{"version":1,"open_deals":0,"open_amount":[0,0],"weighted_amount":[0,0],"won_deals":9223372036854775807,"won_amount":[7.3e19,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":9223372036854775807,"cycle_days":[7.3e19,0],"deal_size_sketch":{"zeros":0,"buckets":[[100,9223372036854775807]]},"cycle_sketch":{"zeros":0,"buckets":[[100,9223372036854775807]]}}'::pipeline_summary AS s) x,
	unnest(ARRAY[0, 5e-324, 0.5, 1]::float8[]) q;
-- one deal at 0 and one at 7.3, exact: quantile q is q * 7.3
SELECT q, round(deal_size_quantile(pipeline_agg(a, NULL, now(), NULL, 'won'), q)::numeric, 9) AS quantile
FROM (VALUES (0), (7.3)) v(a), unnest(ARRAY[0.25, 0.5, 0.75]::float8[]) q GROUP BY q ORDER BY q;
-- cycle lengths: timestamps more than an interval apart are 22008; dates
-- are exact whole days, here as many as date subtraction in PostgreSQL gives
SELECT pipeline_agg(1, NULL, timestamptz '4713-01-01 00:00:00+00 BC', timestamptz '294276-12-31 23:59:59+00', 'won');
SELECT average_sales_cycle(pipeline_agg(1, NULL, date '4713-01-01 BC', date '5874897-12-31', 'won'))
	= (date '5874897-12-31' - date '4713-01-01 BC') AS exact_days;
-- 4713 BC to 287000 AD is within an interval: days as interval arithmetic gives them
WITH v(a, b) AS (VALUES (timestamptz '4713-01-01 00:00:00+00 BC', timestamptz '287000-06-30 12:00:00+00'))
SELECT (SELECT average_sales_cycle(pipeline_agg(1, NULL, a, b, 'won')) FROM v)
	= (SELECT extract(epoch FROM b - a)::float8 / 86400 FROM v) AS exact_timestamps;
-- stage history over more than an interval: 22008 (it was a rounded double)
SELECT stage_durations(stage, at) FROM (VALUES ('a', timestamptz '4713-01-01 00:00:00+00 BC'),
	('b', '294276-12-31 23:59:59+00')) v(stage, at);
SELECT stage_conversions('d', stage, at) FROM (VALUES ('a', timestamptz '4713-01-01 00:00:00+00 BC'),
	('b', '294276-12-31 23:59:59+00')) v(stage, at);
SELECT (unnest(stage_durations(stage, at))).days = extract(epoch FROM timestamptz '287000-06-30 12:00:00+00'
		- timestamptz '4713-01-01 00:00:00+00 BC')::float8 / 86400 AS exact_days
FROM (VALUES ('a', timestamptz '4713-01-01 00:00:00+00 BC'), ('b', '287000-06-30 12:00:00+00')) v(stage, at)
LIMIT 1;
-- ratios past the double range are 22003, not Infinity
SELECT pipeline_velocity('{"version":1,"open_deals":1,"open_amount":[0,0],"weighted_amount":[0,0],"won_deals":1,"won_amount":[1e300,0],"lost_deals":0,"lost_amount":[0,0],"cycle_deals":1,"cycle_days":[1e-300,0],"deal_size_sketch":{"zeros":0,"buckets":[[34537,1]]},"cycle_sketch":{"zeros":0,"buckets":[[-34537,1]]}}');
SELECT pipeline_coverage(pipeline_agg(1e300, 1, now(), NULL, 'open'), 1e-300);
SELECT cac_payback_months(1e300, 1e-300, 0.5);
SELECT customer_lifetime_value(1e300, 1, 1e-300);
SELECT ltv_cac_ratio(1e300, 1e-300);
SELECT acquisition_spend_ratio(1e300, 1e-300);
\set VERBOSITY default

-- 11. Deals as CRMs store them (issue 13).
-- Open deals without a probability: open 1000 @ 0.2, 400 and 600 without
-- (NULL), won 2000, lost 700 -> open deals 3, open pipeline 2000, weighted
-- 1000 * 0.2 = 200 (the two without are left out), 2 deals without a
-- probability worth 400 + 600 = 1000; won 2000, lost 700, win rate 1/2.
CREATE TABLE pl_noprob (amount numeric, probability float8, outcome text);
INSERT INTO pl_noprob VALUES (1000, 0.2, 'open'), (400, NULL, 'open'), (600, NULL, 'open'),
	(2000, NULL, 'won'), (700, NULL, 'lost');
SELECT open_deals(s), open_pipeline(s), weighted_pipeline(s), open_deals_without_probability(s),
	open_pipeline_without_probability(s), won_amount(s), lost_amount(s), win_rate(s),
	pipeline_coverage(s, 1000) AS coverage, pipeline_coverage(s, 1000, true) AS weighted_coverage
FROM (SELECT pipeline_agg(amount, probability, date '2025-01-01', NULL, outcome) AS s FROM pl_noprob) x;
-- the ten deals of section 1 have none; a rollup adds the counts and sums
-- (one summary with the two, one with none: 2 deals worth 1000)
SELECT open_deals_without_probability(s), open_pipeline_without_probability(s) FROM pl_summary;
SELECT open_deals_without_probability(r), open_pipeline_without_probability(r), open_deals(r),
	weighted_pipeline(r)
FROM (SELECT rollup(s) AS r FROM (SELECT s FROM pl_summary UNION ALL
	SELECT pipeline_agg(amount, probability, date '2025-01-01', NULL, outcome) FROM pl_noprob) u) x;
-- 2700.45 + 200 = 2900.45 weighted, 3 + 3 open deals

-- Outcomes with white space around them, in any case: one open deal
-- (10 @ 0.5 -> weighted 5), one won (20), one lost (30)
SELECT open_deals(s), weighted_pipeline(s), won_deals(s), won_amount(s), lost_deals(s), lost_amount(s)
FROM (SELECT pipeline_agg(a, 0.5, date '2025-01-01', NULL, o) AS s
	FROM (VALUES (10, E'\n OPEN '), (20, ' Won  '), (30, E'lost\t')) v(a, o)) x;

-- Boolean outcomes (is_closed, is_won), as Salesforce's IsClosed and IsWon:
-- the ten deals of section 1 as booleans give the same summary as their
-- text outcomes, with every amount type and time type (double amounts say
-- so, and are otherwise the same)
SELECT (SELECT pipeline_agg(amount, probability, created_on, closed_on, lower(outcome) <> 'open',
			lower(outcome) = 'won')::text FROM pl_deals WHERE outcome IS NOT NULL)
		= (SELECT s::text FROM pl_summary) AS numeric_dates,
	(SELECT pipeline_agg(amount::float8, probability, created_on, closed_on, lower(outcome) <> 'open',
			lower(outcome) = 'won')::text FROM pl_deals WHERE outcome IS NOT NULL)
		= (SELECT replace(s::text, '"numeric","amount_scale":2', '"double"') FROM pl_summary) AS float8_dates,
	(SELECT pipeline_agg(amount, probability, created_on::timestamptz, closed_on::timestamptz,
			lower(outcome) <> 'open', lower(outcome) = 'won')::text FROM pl_deals WHERE outcome IS NOT NULL)
		= (SELECT s::text FROM pl_summary) AS numeric_timestamps,
	(SELECT pipeline_agg(amount::float8, probability, created_on::timestamptz, closed_on::timestamptz,
			lower(outcome) <> 'open', lower(outcome) = 'won')::text FROM pl_deals WHERE outcome IS NOT NULL)
		= (SELECT replace(s::text, '"numeric","amount_scale":2', '"double"') FROM pl_summary)
		AS float8_timestamps;
-- open: 100 @ 0.5 (is_won NULL) and 50 @ 0.1 -> 2 deals, 150, weighted
-- 50 + 5 = 55; won 200; lost 300; skipped: is_closed NULL (400), closed
-- with is_won NULL (500); a NULL probability of an open deal (60) counts
-- apart: 3 open deals worth 210
SELECT open_deals(s), open_pipeline(s), weighted_pipeline(s), open_deals_without_probability(s),
	won_deals(s), won_amount(s), lost_deals(s), lost_amount(s)
FROM (SELECT pipeline_agg(a, p, date '2025-01-01', NULL, c, w) AS s
	FROM (VALUES (100, 0.5, false, NULL), (50, 0.1, false, false), (60, NULL, false, false),
		(200, NULL, true, true), (300, NULL, true, false),
		(400, 0.5, NULL, true), (500, NULL, true, NULL)) v(a, p, c, w)) x;
-- zero rows: the empty summary, as with text outcomes
SELECT pipeline_agg(1, 0.5, date '2025-01-01', NULL, true, true)::text
	= pipeline_agg(1, 0.5, date '2025-01-01', NULL, 'won')::text AS empty
FROM pl_deals WHERE false;
