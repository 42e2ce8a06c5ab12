-- Run by test/run after ALTER EXTENSION crm_kpi UPDATE in the database that
-- test/upgrade_views.sql set up: one line per check, "ok" or "not ok".
SET client_min_messages = warning;

-- the aggregates now keep their state as the summary type
SELECT CASE WHEN count(*) = 6 THEN 'ok' ELSE 'not ok' END || ' - six aggregates have a summary state'
FROM pg_aggregate
WHERE aggfnoid IN ('funnel_agg(timestamptz[])'::regprocedure, 'funnel_agg(integer, integer)'::regprocedure,
		'rollup(funnel_summary)'::regprocedure, 'survival_agg(float8, boolean)'::regprocedure,
		'survival_agg(float8, integer)'::regprocedure, 'rollup(survival_summary)'::regprocedure)
	AND aggtranstype IN ('funnel_summary'::regtype, 'survival_summary'::regtype)
	AND aggserialfn = 0 AND aggdeserialfn = 0 AND aggfinalfn = 0;
SELECT CASE WHEN count(*) = 5 THEN 'ok' ELSE 'not ok' END
	|| ' - five pipeline aggregates end with the canonical form and start from format 2'
FROM pg_aggregate
WHERE aggfnoid IN ('pipeline_agg(float8, float8, timestamptz, timestamptz, text)'::regprocedure,
		'pipeline_agg(float8, float8, date, date, text)'::regprocedure,
		'pipeline_agg(numeric, float8, timestamptz, timestamptz, text)'::regprocedure,
		'pipeline_agg(numeric, float8, date, date, text)'::regprocedure,
		'rollup(pipeline_summary)'::regprocedure)
	AND aggfinalfn = 'pipeline_summary_final(pipeline_summary)'::regprocedure
	AND (agginitval IS NULL OR agginitval LIKE '{"version":2,%');
SELECT CASE WHEN count(*) = 6 THEN 'ok' ELSE 'not ok' END
	|| ' - six aggregates over events keep a cohort_activity_summary and end with its accessors'
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
WHERE p.proname IN ('retention_curve', 'retention_agg') AND p.pronargs >= 5
	AND p.proargtypes[0] = 'bigint'::regtype AND aggtranstype = 'cohort_activity_summary'::regtype AND aggserialfn = 0 AND aggdeserialfn = 0
	AND aggfinalfn IN ('retention_curve(cohort_activity_summary)'::regprocedure,
		'retention_summary(cohort_activity_summary)'::regprocedure)
	AND aggcombinefn = 'cohort_activity_summary_combine(cohort_activity_summary, cohort_activity_summary)'::regprocedure;

SELECT CASE WHEN count(*) = 3 THEN 'ok' ELSE 'not ok' END
	|| ' - the adoption aggregates keep an adoption_summary and end with its accessors'
FROM pg_aggregate
WHERE (aggfnoid, aggfinalfn) IN (('active_users(bigint, date, date, date)'::regprocedure, 'active_users(adoption_summary)'::regprocedure),
		('average_dau(bigint, date, date, date)'::regprocedure, 'average_dau(adoption_summary)'::regprocedure),
		('dau_mau(bigint, date, date, date)'::regprocedure, 'dau_mau(adoption_summary)'::regprocedure))
	AND aggtranstype = 'adoption_summary'::regtype AND aggserialfn = 0 AND aggdeserialfn = 0
	AND aggcombinefn = 'adoption_summary_combine(adoption_summary, adoption_summary)'::regprocedure;
-- the adoption view reads as it did at 1.1.0, serial and forced-parallel
SELECT CASE WHEN b.result = (SELECT v::text FROM v_adoption v) THEN 'ok' ELSE 'not ok' END
	|| ' - v_adoption reads the same after the update (' || b.plan || ' at 1.1.0)'
FROM v_adoption_before b ORDER BY b.plan;

SELECT CASE WHEN count(*) = 3 THEN 'ok' ELSE 'not ok' END
	|| ' - the three clv aggregates keep a clv_summary and end with clv(clv_summary)'
FROM pg_aggregate
WHERE aggfnoid IN ('clv(numeric)'::regprocedure, 'clv(numeric, numeric)'::regprocedure,
		'clv(numeric, numeric, date, date, float8)'::regprocedure)
	AND aggtranstype = 'clv_summary'::regtype AND aggmtranstype = 'clv_summary'::regtype
	AND aggserialfn = 0 AND aggdeserialfn = 0 AND aggfinalfn = 'clv(clv_summary)'::regprocedure;

-- mrr_agg keeps each customer's MRR per period in a customer_mrr_summary,
-- which a table stores after the update; its two steps give what the view
-- over mrr_agg gave through the 1.1.0 catalog
SELECT CASE WHEN count(*) = 2 THEN 'ok' ELSE 'not ok' END || ' - mrr_agg''s state is a customer_mrr_summary'
FROM pg_aggregate
WHERE aggfnoid IN ('mrr_agg(bigint, timestamptz, float8, timestamptz, interval, integer)'::regprocedure,
		'mrr_agg(bigint, timestamptz, float8, timestamptz, interval, integer, kpi_text)'::regprocedure)
	AND aggtranstype = 'customer_mrr_summary'::regtype
	AND aggfinalfn = 'mrr_summary(customer_mrr_summary)'::regprocedure
	AND aggcombinefn = 'customer_mrr_summary_combine(customer_mrr_summary, customer_mrr_summary)'::regprocedure
	AND aggserialfn = 0 AND aggdeserialfn = 0;
CREATE TABLE v_customer_mrr AS
SELECT c % 5 AS g, customer_mrr_agg(c, at, m, '2025-01-01', '1 month', 6) AS s FROM v_mrr GROUP BY 1;
SELECT CASE WHEN (SELECT string_agg(t::text, ';') FROM (SELECT mrr_summary(rollup(s)) AS s FROM v_customer_mrr) t)
		= b.result THEN 'ok' ELSE 'not ok' END
	|| ' - stored customer MRR summaries roll up to what v_mrr_summary read at 1.1.0'
FROM v_before b WHERE b.view_name = 'v_mrr_summary';

-- summaries stored through the 1.1.0 catalog (no final function) read as
-- the same summaries refreshed through the updated one, and REFRESH
-- MATERIALIZED VIEW CONCURRENTLY then finds nothing to rewrite
CREATE UNIQUE INDEX ON v_pipeline_daily (day);
CREATE TEMP TABLE v_pipeline_stored AS SELECT day, s::text AS s FROM v_pipeline_daily;
REFRESH MATERIALIZED VIEW v_pipeline_daily;
SELECT CASE WHEN count(*) = 0 THEN 'ok' ELSE 'not ok' END
	|| ' - stored pipeline summaries read as refreshed ones'
FROM ((SELECT day, s FROM v_pipeline_stored EXCEPT SELECT day, s::text FROM v_pipeline_daily)
	UNION ALL (SELECT day, s::text FROM v_pipeline_daily EXCEPT SELECT day, s FROM v_pipeline_stored)) d;
CREATE TEMP TABLE v_pipeline_rows AS SELECT day, ctid AS tid FROM v_pipeline_daily;
REFRESH MATERIALIZED VIEW CONCURRENTLY v_pipeline_daily;
SELECT CASE WHEN count(*) = 60 THEN 'ok' ELSE 'not ok' END
	|| ' - REFRESH CONCURRENTLY keeps every unchanged pipeline row in place'
FROM v_pipeline_rows r JOIN v_pipeline_daily d ON d.day = r.day AND d.ctid = r.tid;

-- the option arguments are kpi_text, the stage aggregates return domains
SELECT CASE WHEN count(*) = 5 THEN 'ok' ELSE 'not ok' END || ' - five aggregates take kpi_text options'
FROM pg_proc
WHERE oid IN ('window_funnel(interval, kpi_text, timestamptz, "any")'::regprocedure,
		'funnel_path(interval, kpi_text, timestamptz, boolean, "any")'::regprocedure,
		'activity_agg(timestamptz, timestamptz, interval, integer, kpi_text)'::regprocedure,
		'retention_curve(bigint, timestamptz, timestamptz, interval, integer, kpi_text, kpi_text, timestamptz)'::regprocedure,
		'retention_agg(bigint, timestamptz, timestamptz, interval, integer, kpi_text, timestamptz)'::regprocedure);
SELECT CASE WHEN count(*) = 4 THEN 'ok' ELSE 'not ok' END
	|| ' - the stage aggregates and their final functions return domains'
FROM pg_proc
WHERE (oid, prorettype) IN (('stage_conversions(text, text, timestamptz)'::regprocedure, 'stage_conversion_array'::regtype),
	('stage_conversions_final(internal)'::regprocedure, 'stage_conversion_array'::regtype),
	('stage_durations(text, timestamptz)'::regprocedure, 'stage_duration_array'::regtype),
	('stage_durations_final(internal)'::regprocedure, 'stage_duration_array'::regtype));

-- the views read the same as before the update, serial and parallel
SET max_parallel_workers_per_gather = 0;
SELECT CASE WHEN b.result IS NOT DISTINCT FROM a.result AND a.result IS NOT NULL THEN 'ok' ELSE 'not ok' END
	|| ' - ' || b.view_name || ' reads the same after the update (serial)'
FROM v_before b JOIN v_results() a USING (view_name) ORDER BY view_name;
SELECT CASE WHEN b.result IS NOT DISTINCT FROM p.result THEN 'ok' ELSE 'not ok' END
	|| ' - ' || b.view_name || ' at 1.1.0: forced parallel = serial'
FROM v_before b JOIN v_before_parallel p USING (view_name) ORDER BY view_name;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
SELECT CASE WHEN b.result IS NOT DISTINCT FROM a.result THEN 'ok' ELSE 'not ok' END
	|| ' - ' || b.view_name || ' reads the same after the update (forced parallel)'
FROM v_before b JOIN v_results() a USING (view_name) ORDER BY view_name;
RESET ALL;
SET client_min_messages = warning;

-- made again from their definitions, as pg_dump would (the calls pass text
-- options, which cast to kpi_text), the views read the same
DO $$
BEGIN
	EXECUTE 'CREATE VIEW v_options_again AS ' || pg_get_viewdef('v_options');
	EXECUTE 'CREATE VIEW v_cohorts_again AS ' || pg_get_viewdef('v_cohorts');
END $$;
SELECT CASE WHEN (SELECT string_agg(t::text, ';' ORDER BY u) FROM v_options_again t) = b.result THEN 'ok' ELSE 'not ok' END
	|| ' - v_options made again from its definition reads the same'
FROM v_before b WHERE b.view_name = 'v_options';
SELECT CASE WHEN (SELECT string_agg(t::text, ';' ORDER BY g) FROM v_cohorts_again t) = b.result THEN 'ok' ELSE 'not ok' END
	|| ' - v_cohorts made again from its definition reads the same'
FROM v_before b WHERE b.view_name = 'v_cohorts';

-- pg_depend holds: a support function out of the extension still cannot be
-- dropped while an aggregate uses it
CREATE FUNCTION pg_temp.drop_refused(fn text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('ALTER EXTENSION crm_kpi DROP FUNCTION %s', fn);
	EXECUTE format('DROP FUNCTION %s', fn);
	RAISE EXCEPTION 'dropped';
EXCEPTION
	WHEN dependent_objects_still_exist THEN RETURN 'ok';
	WHEN OTHERS THEN RETURN 'not ok (' || SQLERRM || ')';
END $$;
SELECT pg_temp.drop_refused(fn) || ' - dropping ' || fn || ' is refused'
FROM unnest(ARRAY['funnel_summary_accum_path(funnel_summary, timestamptz[])',
	'funnel_summary_accum_level(funnel_summary, integer, integer)',
	'funnel_summary_combine(funnel_summary, funnel_summary)',
	'survival_summary_accum(survival_summary, float8, boolean)',
	'survival_summary_accum_status(survival_summary, float8, integer)',
	'survival_summary_deaccum(survival_summary, float8, boolean)',
	'survival_summary_deaccum_status(survival_summary, float8, integer)',
	'survival_summary_combine(survival_summary, survival_summary)',
	'survival_summary_uncombine(survival_summary, survival_summary)',
	'cohort_activity_summary_accum(cohort_activity_summary, bigint, timestamptz, timestamptz, interval, integer)',
	'cohort_activity_summary_accum_mode(cohort_activity_summary, bigint, timestamptz, timestamptz, interval, integer, text, text, timestamptz)',
	'cohort_activity_summary_combine(cohort_activity_summary, cohort_activity_summary)',
	'retention_summary(cohort_activity_summary)', 'retention_curve(cohort_activity_summary)',
	'adoption_summary_accum(adoption_summary, bigint, date, date, date)',
	'adoption_summary_combine(adoption_summary, adoption_summary)']) fn;
SELECT pg_temp.drop_refused(fn) || ' - dropping ' || fn || ' is refused'
FROM unnest(ARRAY['clv_summary_accum(clv_summary, numeric)',
	'clv_summary_accum_margin(clv_summary, numeric, numeric)',
	'clv_summary_accum_discounted(clv_summary, numeric, numeric, date, date, float8)',
	'clv_summary_deaccum_discounted(clv_summary, numeric, numeric, date, date, float8)',
	'clv_summary_combine(clv_summary, clv_summary)', 'clv(clv_summary)']) fn;

-- DROP EXTENSION (after the user's objects) leaves nothing behind
DROP VIEW v_funnel_rollup, v_funnel_daily, v_funnel, v_survival, v_survival_rollup,
	v_survival_window, v_mrr_rollup, v_mrr_summary, v_options, v_cohorts, v_options_again, v_cohorts_again,
	v_pipeline, v_pipeline_rollup, v_cohort_events;
DROP VIEW v_adoption;
DROP VIEW v_clv, v_clv_window;
DROP MATERIALIZED VIEW v_pipeline_daily;
DROP TABLE v_customer_mrr;
DROP FUNCTION v_results();
DROP EXTENSION crm_kpi;
SELECT CASE WHEN count(*) = 0 THEN 'ok' ELSE 'not ok' END || ' - DROP EXTENSION leaves no function'
FROM pg_proc WHERE probin LIKE '%crm_kpi%';
SELECT CASE WHEN count(*) = 0 THEN 'ok' ELSE 'not ok' END || ' - DROP EXTENSION leaves no type'
FROM pg_type WHERE typname IN ('funnel_summary', 'survival_summary', 'mrr_summary', 'customer_mrr_summary', 'pipeline_summary',
	'kpi_text', 'stage_conversion_array', 'stage_duration_array', 'cohort_activity_summary', 'adoption_summary');
