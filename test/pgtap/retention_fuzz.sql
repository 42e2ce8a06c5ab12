-- Malformed and corrupt activity_summary, retention_summary, mrr_summary and
-- customer_mrr_summary input, generated: thousands of random mutations of valid text literals and
-- binary payloads must each either be read (and then round-trip exactly and
-- read consistently) or be rejected with 22P02 (text) / 22P03 (binary).
-- Never another error, never a crash.
BEGIN;
SELECT plan(38);
SELECT setseed(0.44);
SET LOCAL TimeZone = 'UTC';

\ir ../fuzz.sql

-- activity: every active period lies in 0..periods - 1
CREATE TEMP TABLE activity_text AS
SELECT * FROM pg_temp.fuzz_text_cases('activity_summary', ARRAY[
	'{"version":1,"period":"month","periods":12,"start":1704844800000000,"origin":648,"active":[0,2,7],"later":true}',
	'{"version":2,"period":"month","time_zone":"America/New_York","periods":12,"start":1704844800000000,"origin":648,"active":[0,2,7],"later":true}',
	'{"version":1,"period":"rolling","length":86400000000,"periods":70,"start":1704844800000000,"origin":1704844800000000,"active":[0,1,41],"later":false}',
	'{"version":1,"period":"day","periods":3,"start":9223372036854775807,"origin":106751991,"active":[0],"later":false}',
	'{"version":1,"period":"rolling","length":86400000000,"periods":3,"start":-210866803200000000,"origin":-210866803200000000,"active":[],"later":true}'],
	'{}[],:" -.0123456789tf', 1000, 1);
SELECT pg_temp.fuzz_checks('activity_text', '22P02', 20, 1000, 'activity text literals',
	'activity_summary', $$(SELECT coalesce(bool_and(k >= 0 AND k < (v::text::jsonb ->> 'periods')::int), true)
		FROM unnest(active_periods(v)) k)
		AND pg_temp.load_binary('activity_summary', activity_summary_send(v)) = v::text$$);

CREATE TEMP TABLE activity_binary AS
SELECT * FROM pg_temp.fuzz_binary_cases('activity_summary', ARRAY[
	'{"version":1,"period":"month","periods":12,"start":1704844800000000,"origin":648,"active":[0,2,7],"later":true}',
	'{"version":2,"period":"month","time_zone":"America/New_York","periods":12,"start":1704844800000000,"origin":648,"active":[0,2,7],"later":true}',
	'{"version":1,"period":"rolling","length":86400000000,"periods":70,"start":1704844800000000,"origin":1704844800000000,"active":[0,1,41],"later":false}',
	'{"version":1,"period":"day","periods":3,"start":9223372036854775807,"origin":106751991,"active":[0],"later":false}',
	'{"version":1,"period":"rolling","length":86400000000,"periods":3,"start":-210866803200000000,"origin":-210866803200000000,"active":[],"later":true}'],
	200);
SELECT pg_temp.fuzz_checks('activity_binary', '22P03', 5, 200, 'activity binary payloads',
	'activity_summary', $$(SELECT coalesce(bool_and(k >= 0 AND k < (v::text::jsonb ->> 'periods')::int), true)
		FROM unnest(active_periods(v)) k)$$);

-- retention: per period, retained <= eligible <= cohort size, shares in 0..1
CREATE TEMP TABLE retention_text AS
SELECT * FROM pg_temp.fuzz_text_cases('retention_summary', ARRAY[
	'{"version":1,"period":"month","periods":6,"entities":40,"eligible":[40,40,40,0,0,0],"on":[8,8,8,0,0,0],"on_or_after":[40,32,24,0,0,0]}',
	'{"version":2,"period":"week","time_zone":"Asia/Kolkata","periods":6,"entities":40,"eligible":[40,40,40,0,0,0],"on":[8,8,8,0,0,0],"on_or_after":[40,32,24,0,0,0]}',
	'{"version":1,"period":"rolling","length":86400000000,"periods":3,"entities":500,"eligible":[400,300,200],"on":[1,1,1],"on_or_after":[50,50,50]}',
	'{"version":1,"period":"week","periods":2,"entities":9223372036854775807,"eligible":[9223372036854775807,9223372036854775807],"on":[1,0],"on_or_after":[9223372036854775807,4611686018427387904]}'],
	'{}[],:" -.0123456789', 1000, 1);
SELECT pg_temp.fuzz_checks('retention_text', '22P02', 10, 1000, 'retention text literals',
	'retention_summary', $$(SELECT bool_and(eligible <= cohort_size AND retained <= eligible
		AND (share IS NULL OR share BETWEEN 0 AND 1)) FROM retention_table(v, 'on_or_after'))
		AND pg_temp.load_binary('retention_summary', retention_summary_send(v)) = v::text$$);

CREATE TEMP TABLE retention_binary AS
SELECT * FROM pg_temp.fuzz_binary_cases('retention_summary', ARRAY[
	'{"version":1,"period":"month","periods":6,"entities":40,"eligible":[40,40,40,0,0,0],"on":[8,8,8,0,0,0],"on_or_after":[40,32,24,0,0,0]}',
	'{"version":2,"period":"week","time_zone":"Asia/Kolkata","periods":6,"entities":40,"eligible":[40,40,40,0,0,0],"on":[8,8,8,0,0,0],"on_or_after":[40,32,24,0,0,0]}',
	'{"version":1,"period":"rolling","length":86400000000,"periods":3,"entities":500,"eligible":[400,300,200],"on":[1,1,1],"on_or_after":[50,50,50]}',
	'{"version":1,"period":"week","periods":2,"entities":9223372036854775807,"eligible":[9223372036854775807,9223372036854775807],"on":[1,0],"on_or_after":[9223372036854775807,4611686018427387904]}'],
	200);
SELECT pg_temp.fuzz_checks('retention_binary', '22P03', 5, 200, 'retention binary payloads',
	'retention_summary', $$(SELECT bool_and(eligible <= cohort_size AND retained <= eligible)
		FROM retention_table(v, 'on_or_after'))$$);

-- MRR: customers balance from period to period, GRR at most 1
CREATE TEMP TABLE mrr_text AS
SELECT * FROM pg_temp.fuzz_text_cases('mrr_summary', ARRAY[
	'{"version":1,"period":"month","periods":5,"origin":648,"customers":[6,5,7,6,6],"mrr":[82.5,72.5,92.5,82.5,82.5],"new_customers":[0,3,0,0,0],"new_mrr":[0,40,0,0,0],"expansion_customers":[0,2,2,3,2],"expansion_mrr":[0,5,5,7.5,5],"contraction_customers":[0,0,1,1,1],"contraction_mrr":[0,0,7.5,7.5,7.5],"churned_customers":[0,4,2,3,3],"churned_mrr":[0,55,32.5,37.5,42.5],"reactivated_customers":[0,0,4,2,3],"reactivation_mrr":[0,0,55,27.5,45]}',
	'{"version":3,"period":"week","time_zone":"UTC","currency":"EUR","periods":2,"origin":2800,"customers":[0,0],"mrr":[0,0],"new_customers":[0,0],"new_mrr":[0,0],"expansion_customers":[0,0],"expansion_mrr":[0,0],"contraction_customers":[0,0],"contraction_mrr":[0,0],"churned_customers":[0,0],"churned_mrr":[0,0],"reactivated_customers":[0,0],"reactivation_mrr":[0,0]}',
	'{"version":1,"period":"month","periods":2,"origin":648,"customers":[4611686018427387904,4611686018427387904],"mrr":[922337203685477.5807,922337203685477.5807],"new_customers":[0,1],"new_mrr":[0,0.0002],"expansion_customers":[0,0],"expansion_mrr":[0,0],"contraction_customers":[0,1],"contraction_mrr":[0,0.0001],"churned_customers":[0,1],"churned_mrr":[0,0.0001],"reactivated_customers":[0,0],"reactivation_mrr":[0,0]}'],
	'{}[],:" -.0123456789', 1000, 1);
SELECT pg_temp.fuzz_checks('mrr_text', '22P02', 10, 1000, 'MRR text literals',
	'mrr_summary', $$(SELECT bool_and(period = 0 OR (customers_end = customers_start + new_customers
		+ reactivated_customers - churned_customers
		AND coalesce(customer_churn_rate BETWEEN 0 AND 1, true)
		AND coalesce(rate(customer_churn_proportion(v, period)) BETWEEN 0 AND 1, true)
		AND coalesce(customer_retention_rate >= 0, true)
		AND coalesce(gross_revenue_retention BETWEEN 0 AND 1, true)
		AND coalesce(net_revenue_retention >= 0, true))) FROM mrr_movements(v))
		AND pg_temp.load_binary('mrr_summary', mrr_summary_send(v)) = v::text$$);

CREATE TEMP TABLE mrr_binary AS
SELECT * FROM pg_temp.fuzz_binary_cases('mrr_summary', ARRAY[
	'{"version":1,"period":"month","periods":5,"origin":648,"customers":[6,5,7,6,6],"mrr":[82.5,72.5,92.5,82.5,82.5],"new_customers":[0,3,0,0,0],"new_mrr":[0,40,0,0,0],"expansion_customers":[0,2,2,3,2],"expansion_mrr":[0,5,5,7.5,5],"contraction_customers":[0,0,1,1,1],"contraction_mrr":[0,0,7.5,7.5,7.5],"churned_customers":[0,4,2,3,3],"churned_mrr":[0,55,32.5,37.5,42.5],"reactivated_customers":[0,0,4,2,3],"reactivation_mrr":[0,0,55,27.5,45]}',
	'{"version":3,"period":"week","time_zone":"UTC","currency":"EUR","periods":2,"origin":2800,"customers":[0,0],"mrr":[0,0],"new_customers":[0,0],"new_mrr":[0,0],"expansion_customers":[0,0],"expansion_mrr":[0,0],"contraction_customers":[0,0],"contraction_mrr":[0,0],"churned_customers":[0,0],"churned_mrr":[0,0],"reactivated_customers":[0,0],"reactivation_mrr":[0,0]}',
	'{"version":1,"period":"month","periods":2,"origin":648,"customers":[4611686018427387904,4611686018427387904],"mrr":[922337203685477.5807,922337203685477.5807],"new_customers":[0,1],"new_mrr":[0,0.0002],"expansion_customers":[0,0],"expansion_mrr":[0,0],"contraction_customers":[0,1],"contraction_mrr":[0,0.0001],"churned_customers":[0,1],"churned_mrr":[0,0.0001],"reactivated_customers":[0,0],"reactivation_mrr":[0,0]}'],
	300);
SELECT pg_temp.fuzz_checks('mrr_binary', '22P03', 0, 300, 'MRR binary payloads',
	'mrr_summary', $$(SELECT bool_and(period = 0 OR customers_end = customers_start + new_customers
		+ reactivated_customers - churned_customers) FROM mrr_movements(v))$$);

-- customer MRR: each customer listed has its MRR per period
CREATE TEMP TABLE customer_mrr_text AS
SELECT * FROM pg_temp.fuzz_text_cases('customer_mrr_summary', ARRAY[
	'{"version":1,"period":"month","time_zone":"UTC","periods":3,"origin":648,"customers":[-7,1,3],"mrr":[[10,0,12.5],[0,0.0001,0],[5,5,5]]}',
	'{"version":1,"period":"week","time_zone":"Europe/Paris","periods":2,"origin":2800,"customers":[],"mrr":[]}',
	'{"version":1,"period":"day","time_zone":"Asia/Kolkata","periods":1,"origin":-1000,"customers":[-9223372036854775808,9223372036854775807],"mrr":[[922337203685477.5807],[1]]}',
	'{"version":2,"period":"month","time_zone":"UTC","periods":2,"origin":648,"ids":"text","customers":["","0015g00000AbC","a\"b","c\\d","é ☕"],"mrr":[[1,0],[0,2],[3,3],[0.5,0],[0,7]]}',
	'{"version":3,"period":"week","time_zone":"UTC","currency":"USD","periods":1,"origin":2800,"ids":"uuid","customers":["00000000-0000-0000-0000-000000000000","c4ca4238-a0b9-2382-0dcc-509a6f75849b"],"mrr":[[1],[2]]}'],
	'{}[],:" -.0123456789', 1000, 1);
SELECT pg_temp.fuzz_checks('customer_mrr_text', '22P02', 10, 1000, 'customer MRR text literals',
	'customer_mrr_summary', $$jsonb_array_length(v::text::jsonb -> 'customers') = jsonb_array_length(v::text::jsonb -> 'mrr')
		AND pg_temp.load_binary('customer_mrr_summary', customer_mrr_summary_send(v)) = v::text$$);

CREATE TEMP TABLE customer_mrr_binary AS
SELECT * FROM pg_temp.fuzz_binary_cases('customer_mrr_summary', ARRAY[
	'{"version":1,"period":"month","time_zone":"UTC","periods":3,"origin":648,"customers":[-7,1,3],"mrr":[[10,0,12.5],[0,0.0001,0],[5,5,5]]}',
	'{"version":1,"period":"week","time_zone":"Europe/Paris","periods":2,"origin":2800,"customers":[],"mrr":[]}',
	'{"version":1,"period":"day","time_zone":"Asia/Kolkata","periods":1,"origin":-1000,"customers":[-9223372036854775808,9223372036854775807],"mrr":[[922337203685477.5807],[1]]}',
	'{"version":2,"period":"month","time_zone":"UTC","periods":2,"origin":648,"ids":"text","customers":["","0015g00000AbC","a\"b","c\\d","é ☕"],"mrr":[[1,0],[0,2],[3,3],[0.5,0],[0,7]]}',
	'{"version":3,"period":"week","time_zone":"UTC","currency":"USD","periods":1,"origin":2800,"ids":"uuid","customers":["00000000-0000-0000-0000-000000000000","c4ca4238-a0b9-2382-0dcc-509a6f75849b"],"mrr":[[1],[2]]}'],
	300);
SELECT pg_temp.fuzz_checks('customer_mrr_binary', '22P03', 0, 300, 'customer MRR binary payloads',
	'customer_mrr_summary', $$v::text::customer_mrr_summary::text = v::text$$);

-- customer MRR properties (Citus ships these states as text): random
-- summaries, as literals and as customer_mrr_agg builds them, read back
-- exactly through text and binary; and mrr_agg, one step, is mrr_summary()
-- of rollup() over summaries of any grouping of its rows
CREATE TEMP TABLE cm_heads AS
SELECT k, (ARRAY['day', 'week', 'month'])[1 + k % 3] AS unit,
	(ARRAY['UTC', 'Europe/Paris', 'Pacific/Kiritimati', 'America/St_Johns'])[1 + k % 4] AS zone,
	1 + (random() * 5)::int AS periods, (random() * 2000)::int - 1000 AS origin, (random() * 8)::int AS n
FROM generate_series(1, 150) k;
CREATE TEMP TABLE cm_customers AS
SELECT DISTINCT k, c FROM (SELECT k, CASE WHEN random() < 0.5 THEN (random() * 100)::bigint - 50
		ELSE (random() * 1.8e19 - 9e18)::bigint END AS c
	FROM cm_heads, generate_series(1, n)) x;
CREATE TEMP TABLE cm_amounts AS
SELECT k, c, j, j = nz OR random() < 0.5 AS paying, 1 + (random() * 9.2e18)::bigint AS u
FROM (SELECT h.k, c.c, h.periods, 1 + (random() * (h.periods - 1))::int AS nz
	  FROM cm_heads h JOIN cm_customers c USING (k)) x, generate_series(1, periods) j;
CREATE TEMP TABLE cm_random AS
SELECT k, format('{"version":1,"period":"%s","time_zone":"%s","periods":%s,"origin":%s,"customers":[%s],"mrr":[%s]}',
	unit, zone, periods, origin, coalesce(string_agg(c::text, ',' ORDER BY c), ''),
	coalesce(string_agg(amounts, ',' ORDER BY c), ''))::customer_mrr_summary AS s
FROM cm_heads LEFT JOIN (
	SELECT k, c, '[' || string_agg(CASE WHEN paying THEN (u / 10000)::text || '.' || lpad((u % 10000)::text, 4, '0')
		ELSE '0' END, ',' ORDER BY j) || ']' AS amounts
	FROM cm_amounts GROUP BY k, c) r USING (k)
GROUP BY k, unit, zone, periods, origin;

CREATE TEMP TABLE cm_params AS
SELECT d, (ARRAY['1 day', '1 week', '1 month'])[1 + d % 3]::interval AS period, 1 + d % 14 AS periods,
	(ARRAY['UTC', 'Europe/Paris', 'Asia/Kolkata', 'America/St_Johns'])[1 + d % 4] AS zone
FROM generate_series(1, 40) d;
CREATE TEMP TABLE cm_rows AS
SELECT d, (random() * 40)::bigint - 10 AS customer, timestamptz '2024-01-01' + random() * interval '400 days' AS at,
	CASE WHEN random() < 0.2 THEN 0 ELSE round((random() * 1000)::numeric, (random() * 5)::int)::float8 END AS mrr,
	(random() * 5)::int AS grp
FROM generate_series(1, 40) d, generate_series(1, 60) i;
CREATE TEMP TABLE cm_states AS
SELECT d, grp, customer_mrr_agg(customer, at, mrr, '2024-01-01', p.period, p.periods, p.zone) AS s
FROM cm_rows JOIN cm_params p USING (d) GROUP BY d, grp;

SELECT is((SELECT count(*) FROM cm_random WHERE s::text <> '' AND customer_mrr_summary_send(s) IS NOT NULL),
	150::bigint, 'random customer MRR literals read');
SELECT is_empty($$SELECT s FROM (SELECT s FROM cm_random UNION ALL SELECT s FROM cm_states) x
	WHERE s::text::customer_mrr_summary::text <> s::text$$,
	'random customer MRR summaries: summary -> text -> summary -> text is exact');
SELECT is_empty($$SELECT s FROM (SELECT s, pg_temp.load_binary('customer_mrr_summary', customer_mrr_summary_send(s)) AS r
		FROM (SELECT s FROM cm_random UNION ALL SELECT s FROM cm_states) x) y
	WHERE r <> s::text OR customer_mrr_summary_send(r::customer_mrr_summary) <> customer_mrr_summary_send(s)$$,
	'random customer MRR summaries: send -> receive -> send is exact');
SELECT is_empty($$SELECT d FROM cm_params p
	WHERE (SELECT mrr_agg(customer, at, mrr, '2024-01-01', p.period, p.periods, p.zone)::text FROM cm_rows r WHERE r.d = p.d)
		IS DISTINCT FROM (SELECT mrr_summary(rollup(s))::text FROM cm_states s WHERE s.d = p.d)$$,
	'mrr_agg equals mrr_summary(rollup()) of summaries per group of rows');
SELECT is_empty($$SELECT d FROM cm_params p
	WHERE (SELECT customer_mrr_agg(customer, at, mrr, '2024-01-01', p.period, p.periods, p.zone)::text FROM cm_rows r WHERE r.d = p.d)
		IS DISTINCT FROM (SELECT rollup(s)::text FROM cm_states s WHERE s.d = p.d)$$,
	'customer_mrr_agg equals rollup() of summaries per group of rows');
SELECT is_empty($$SELECT d, grp FROM (SELECT d, grp, lag(grp) OVER w AS prev, rollup(s) OVER (w ROWS 1 PRECEDING) AS moving
		FROM cm_states WINDOW w AS (PARTITION BY d ORDER BY grp)) m
	WHERE moving::text IS DISTINCT FROM (SELECT rollup(s)::text FROM cm_states s
		WHERE s.d = m.d AND s.grp IN (m.grp, m.prev))$$,
	'rollup() over a moving window equals rollup() of each frame');

SELECT * FROM finish();
ROLLBACK;
