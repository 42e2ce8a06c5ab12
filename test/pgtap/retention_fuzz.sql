-- Malformed and corrupt activity_summary, retention_summary and mrr_summary
-- input, generated: thousands of random mutations of valid text literals and
-- binary payloads must each either be read (and then round-trip exactly and
-- read consistently) or be rejected with 22P02 (text) / 22P03 (binary).
-- Never another error, never a crash.
BEGIN;
SELECT plan(24);
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
	'{"version":2,"period":"week","time_zone":"UTC","periods":2,"origin":2800,"customers":[0,0],"mrr":[0,0],"new_customers":[0,0],"new_mrr":[0,0],"expansion_customers":[0,0],"expansion_mrr":[0,0],"contraction_customers":[0,0],"contraction_mrr":[0,0],"churned_customers":[0,0],"churned_mrr":[0,0],"reactivated_customers":[0,0],"reactivation_mrr":[0,0]}',
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
	'{"version":2,"period":"week","time_zone":"UTC","periods":2,"origin":2800,"customers":[0,0],"mrr":[0,0],"new_customers":[0,0],"new_mrr":[0,0],"expansion_customers":[0,0],"expansion_mrr":[0,0],"contraction_customers":[0,0],"contraction_mrr":[0,0],"churned_customers":[0,0],"churned_mrr":[0,0],"reactivated_customers":[0,0],"reactivation_mrr":[0,0]}',
	'{"version":1,"period":"month","periods":2,"origin":648,"customers":[4611686018427387904,4611686018427387904],"mrr":[922337203685477.5807,922337203685477.5807],"new_customers":[0,1],"new_mrr":[0,0.0002],"expansion_customers":[0,0],"expansion_mrr":[0,0],"contraction_customers":[0,1],"contraction_mrr":[0,0.0001],"churned_customers":[0,1],"churned_mrr":[0,0.0001],"reactivated_customers":[0,0],"reactivation_mrr":[0,0]}'],
	300);
SELECT pg_temp.fuzz_checks('mrr_binary', '22P03', 0, 300, 'MRR binary payloads',
	'mrr_summary', $$(SELECT bool_and(period = 0 OR customers_end = customers_start + new_customers
		+ reactivated_customers - churned_customers) FROM mrr_movements(v))$$);

SELECT * FROM finish();
ROLLBACK;
