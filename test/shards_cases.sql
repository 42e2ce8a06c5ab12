-- The checks of the shard harnesses (test/shards.sql for postgres_fdw,
-- test/citus/setup.sql for Citus), run by test/shards_check.sql.

-- The checks.  Each gives test/shards_check.sql's lines (test/run counts
-- one check per line):
--   "push-down: NAME" unless aggregates is empty: EXPLAIN (VERBOSE, COSTS
--       OFF) of query has a "Remote SQL:" line per shard (two or more), each
--       calling every one of aggregates (remote) or none of them (not remote);
--   "equal: NAME": query over the sharded tables gives the rows oracle (or
--       query, when oracle is NULL) gives over the single-node copy, exactly
--       when tolerance is 0, else every number within that relative
--       tolerance; unequal when equal is false (the controls).  why says why
--       a check is not exact, not remote or not equal (shown on failure).
-- Both run under settings (name=value pairs, e.g. TimeZone=Europe/Paris: the
-- remote sessions stay in UTC), and with search_path sharded or local, then
-- public, so that one query text serves both.  Rows are compared as JSON
-- arrays, in the order of their text: put the grouping columns first.
-- The two-step checks group by the partition key and more (the summaries are
-- made on the shards), roll the summaries up on the coordinator, and compare
-- with one aggregate per group over the single-node copy.
CREATE TABLE shard_checks (
	name text PRIMARY KEY,
	aggregates text[] NOT NULL,
	remote boolean NOT NULL DEFAULT true,
	query text NOT NULL,
	oracle text,
	tolerance double precision NOT NULL DEFAULT 0,
	equal boolean NOT NULL DEFAULT true,
	settings text[] NOT NULL DEFAULT '{}',
	why text,
	-- Citus (test/citus/run): the aggregates are split between workers and
	-- coordinator (or run whole on the workers), or their rows are pulled
	citus_split boolean NOT NULL DEFAULT true
);

INSERT INTO shard_checks (name, aggregates, query, oracle) VALUES
-- survey
('survey: nps, csat, ces per region', '{nps,csat,ces}',
 $$SELECT region, nps(nps_score), csat(csat_score), ces(ces_score) FROM responses GROUP BY region$$, NULL),
('survey: summaries per region', '{nps_agg,csat_agg,ces_agg,survey_agg}',
 $$SELECT region, nps_agg(nps_score), csat_agg(csat_score), ces_agg(ces_score), survey_agg(ces_score, 1, 7)
   FROM responses GROUP BY region$$, NULL),
('survey: summaries per region and day, rollup per day', '{nps_agg,csat_agg,survey_agg}',
 $$SELECT day, rollup(n), rollup(c), rollup(s), nps(rollup(n))
   FROM (SELECT region, day, nps_agg(nps_score) AS n, csat_agg(csat_score) AS c, survey_agg(ces_score, 1, 7) AS s
         FROM responses GROUP BY region, day) x GROUP BY day$$,
 $$SELECT day, nps_agg(nps_score), csat_agg(csat_score), survey_agg(ces_score, 1, 7), nps(nps_score)
   FROM responses GROUP BY day$$),
('survey: nps, csat, ces of scores of every numeric type per region', '{nps,csat,ces}',
 $$SELECT region, nps(nps_score::smallint), nps(nps_score::bigint), nps(nps_score::numeric),
   nps(nps_score::float8), csat(csat_score::smallint), csat(csat_score::bigint), csat(csat_score::numeric),
   csat(csat_score::float8), ces(ces_score::smallint), ces(ces_score::bigint), ces(ces_score::numeric),
   ces(ces_score::float8) FROM responses GROUP BY region$$, NULL),
('survey: summaries of scores of every numeric type per region', '{nps_agg,csat_agg,ces_agg,survey_agg}',
 $$SELECT region, nps_agg(nps_score::smallint), nps_agg(nps_score::bigint), nps_agg(nps_score::numeric),
   nps_agg(nps_score::float8), csat_agg(csat_score::smallint), csat_agg(csat_score::bigint),
   csat_agg(csat_score::numeric), csat_agg(csat_score::float8), ces_agg(ces_score::smallint),
   ces_agg(ces_score::bigint), ces_agg(ces_score::numeric), ces_agg(ces_score::float8),
   survey_agg(ces_score::smallint, 1, 7), survey_agg(ces_score::bigint, 1, 7),
   survey_agg(ces_score::numeric, 1, 7), survey_agg(ces_score::float8, 1, 7)
   FROM responses GROUP BY region$$, NULL),
('survey: nps over every region, partial aggregates combined on the coordinator', '{}',
 $$SELECT nps(nps_score), nps_agg(nps_score), ces(ces_score) FROM responses$$, NULL),
-- conversion
('conversion: rates and proportions per region', '{conversion_rate,proportion_agg}',
 $$SELECT region, conversion_rate(converted), proportion_agg(converted), proportion_agg(successes, trials)
   FROM visits GROUP BY region$$, NULL),
('conversion: proportions per region and day, rollup per day', '{proportion_agg}',
 $$SELECT day, rollup(p), rollup(q)
   FROM (SELECT region, day, proportion_agg(converted) AS p, proportion_agg(successes, trials) AS q
         FROM visits GROUP BY region, day) x GROUP BY day$$,
 $$SELECT day, proportion_agg(converted), proportion_agg(successes, trials) FROM visits GROUP BY day$$),
('conversion: window_funnel per visitor', '{window_funnel}',
 $$SELECT region, visitor_id, window_funnel('2 days', happened_at, event = 'visit', event = 'signup', event = 'purchase')
   FROM web_events GROUP BY region, visitor_id$$, NULL),
('conversion: window_funnel with a mode per visitor', '{window_funnel}',
 $$SELECT region, visitor_id, window_funnel('2 days', 'strict_order', happened_at,
          event = 'visit', event = 'signup', event = 'purchase')
   FROM web_events GROUP BY region, visitor_id$$, NULL),
('conversion: funnel_path per visitor', '{funnel_path}',
 $$SELECT region, visitor_id, funnel_path('2 days', 'default', happened_at, event = 'error',
          event = 'visit', event = 'signup', event = 'purchase')
   FROM web_events GROUP BY region, visitor_id$$, NULL),
('conversion: unordered window_funnel and funnel_path per visitor', '{window_funnel,funnel_path}',
 $$SELECT region, visitor_id, window_funnel('2 days', 'unordered', happened_at,
          event = 'visit', event = 'signup', event = 'purchase'),
          funnel_path('2 days', 'unordered'::kpi_text, happened_at, event = 'error',
          event = 'visit', event = 'signup', event = 'purchase')
   FROM web_events GROUP BY region, visitor_id$$, NULL),
('conversion: funnel_breakdown per visitor', '{funnel_breakdown}',
 $$SELECT region, visitor_id,
          funnel_breakdown('2 days', 'default', 'first_touch', happened_at, event, event = 'error',
                           event = 'visit', event = 'signup', event = 'purchase'),
          funnel_breakdown('2 days', 'strict_order', 'step_2', happened_at, region, false,
                           event = 'visit', event = 'signup', event = 'purchase')
   FROM web_events GROUP BY region, visitor_id$$, NULL),
('conversion: funnel summaries per region', '{funnel_agg}',
 $$SELECT region, funnel_agg(path), funnel_agg(level, 3) FROM funnel_paths GROUP BY region$$, NULL),
('conversion: funnel summaries per region and day, rollup per day', '{funnel_agg}',
 $$SELECT day, rollup(p), rollup(l), funnel_median_time(rollup(p), 2)
   FROM (SELECT region, day, funnel_agg(path) AS p, funnel_agg(level, 3) AS l
         FROM funnel_paths GROUP BY region, day) x GROUP BY day$$,
 $$SELECT day, funnel_agg(path), funnel_agg(level, 3), funnel_median_time(funnel_agg(path), 2)
   FROM funnel_paths GROUP BY day$$),
('conversion: time to convert between steps 1 and 3 per region and day, rollup per day', '{funnel_agg}',
 $$SELECT day, rollup(p), funnel_time_quantile(rollup(p), 2, 0.5),
          (SELECT jsonb_agg(to_jsonb(h)) FROM funnel_time_histogram(rollup(p), 2) h),
          funnel_converted_within(rollup(p), 2, interval '1 day')
   FROM (SELECT region, day, funnel_agg(path, 1, 3) AS p FROM funnel_paths GROUP BY region, day) x GROUP BY day$$,
 $$SELECT day, funnel_agg(path, 1, 3), funnel_time_quantile(funnel_agg(path, 1, 3), 2, 0.5),
          (SELECT jsonb_agg(to_jsonb(h)) FROM funnel_time_histogram(funnel_agg(path, 1, 3), 2) h),
          funnel_converted_within(funnel_agg(path, 1, 3), 2, interval '1 day')
   FROM funnel_paths GROUP BY day$$),
-- survival
('survival: summaries per region', '{survival_agg}',
 $$SELECT region, survival_agg(duration, event), survival_agg(duration, status) FROM lifetimes GROUP BY region$$,
 NULL),
('survival: summaries per region and cohort, rollup per cohort, Kaplan-Meier and medians', '{survival_agg}',
 $$SELECT cohort, s, median_survival(s), (median_survival_ci(s)).lower, survival_at(s, 200),
          restricted_mean_survival(s, 365), (SELECT jsonb_agg(to_jsonb(k)) FROM kaplan_meier(s) k)
   FROM (SELECT cohort, rollup(s) AS s
         FROM (SELECT region, cohort, survival_agg(duration, event) AS s FROM lifetimes GROUP BY region, cohort) x
         GROUP BY cohort) y$$,
 $$SELECT cohort, s, median_survival(s), (median_survival_ci(s)).lower, survival_at(s, 200),
          restricted_mean_survival(s, 365), (SELECT jsonb_agg(to_jsonb(k)) FROM kaplan_meier(s) k)
   FROM (SELECT cohort, survival_agg(duration, event) AS s FROM lifetimes GROUP BY cohort) y$$),
('survival: summaries of interval durations per region', '{survival_agg}',
 $$SELECT region, survival_agg(duration * interval '1 day', event), survival_agg(duration * interval '1 day', status)
   FROM lifetimes GROUP BY region$$, NULL),
('survival: log-rank test of the regions', '{survival_agg}',
 $$SELECT (logrank_test(array_agg(s ORDER BY region))).*
   FROM (SELECT region, survival_agg(duration, event) AS s FROM lifetimes GROUP BY region) x$$, NULL),
('survival: summaries with delayed entry per region', '{survival_agg}',
 $$SELECT region, survival_agg(duration * (customer_id % 5) / 10, duration, event),
          survival_agg(duration * (customer_id % 5) / 10, duration, status)
   FROM lifetimes GROUP BY region$$, NULL),
('survival: summaries with delayed entry per region and cohort, rollup per cohort, Kaplan-Meier and medians', '{survival_agg}',
 $$SELECT cohort, s, median_survival(s), (median_survival_ci(s)).lower, survival_at(s, 200),
          restricted_mean_survival(s, 365), (SELECT jsonb_agg(to_jsonb(k)) FROM kaplan_meier(s) k)
   FROM (SELECT cohort, rollup(s) AS s
         FROM (SELECT region, cohort, survival_agg(duration * (customer_id % 5) / 10, duration, event) AS s
               FROM lifetimes GROUP BY region, cohort) x
         GROUP BY cohort) y$$,
 $$SELECT cohort, s, median_survival(s), (median_survival_ci(s)).lower, survival_at(s, 200),
          restricted_mean_survival(s, 365), (SELECT jsonb_agg(to_jsonb(k)) FROM kaplan_meier(s) k)
   FROM (SELECT cohort, survival_agg(duration * (customer_id % 5) / 10, duration, event) AS s
         FROM lifetimes GROUP BY cohort) y$$),
('survival: log-rank test of the regions with delayed entry', '{survival_agg}',
 $$SELECT (logrank_test(array_agg(s ORDER BY region))).*
   FROM (SELECT region, survival_agg(duration * (customer_id % 5) / 10, duration, event) AS s
         FROM lifetimes GROUP BY region) x$$, NULL),
('survival: sBG fit per region', '{sbg_fit}',
 $$SELECT region, sbg_fit(period, survivors) FROM cohort_survivors GROUP BY region$$, NULL),
('survival: Cox model per region', '{coxph_fit}',
 $$SELECT region, coxph_fit(duration, event OR customer_id % 2 = 0, ARRAY[cohort::float8, (customer_id % 5)::float8]),
          coxph_fit(duration, event OR customer_id % 2 = 0, ARRAY[cohort::float8, (customer_id % 5)::float8], 'breslow')
   FROM lifetimes GROUP BY region$$, NULL),
('survival: Cox model with named covariates per region', '{coxph_fit}',
 $$SELECT region, coxph_fit(duration, event OR customer_id % 2 = 0, ARRAY[cohort::float8], ARRAY['cohort']),
          coxph_fit(duration, event OR customer_id % 2 = 0, ARRAY[cohort::float8], ARRAY['cohort'], 'breslow')
   FROM lifetimes GROUP BY region$$, NULL),
('survival: Cox model with entry times per region', '{coxph_fit}',
 $$SELECT region, coxph_fit(duration * (customer_id % 5) / 10, duration, event OR customer_id % 2 = 0, ARRAY[cohort::float8, (customer_id % 5)::float8]),
          coxph_fit(duration * (customer_id % 5) / 10, duration, event OR customer_id % 2 = 0, ARRAY[cohort::float8, (customer_id % 5)::float8], 'breslow')
   FROM lifetimes WHERE duration > 0 GROUP BY region$$, NULL),
('survival: Cox model with entry times and named covariates per region', '{coxph_fit}',
 $$SELECT region, coxph_fit(duration * (customer_id % 5) / 10, duration, event OR customer_id % 2 = 0, ARRAY[cohort::float8], ARRAY['cohort']),
          coxph_fit(duration * (customer_id % 5) / 10, duration, event OR customer_id % 2 = 0, ARRAY[cohort::float8], ARRAY['cohort'], 'breslow')
   FROM lifetimes WHERE duration > 0 GROUP BY region$$, NULL),
-- clv
('clv: historic CLV per customer', '{clv}',
 $$SELECT region, customer_id, clv(amount), clv(amount, cost), clv(amount, cost, order_date, '2025-03-01', 0.1)
   FROM orders GROUP BY region, customer_id$$, NULL),
('clv: historic CLV per region', '{clv}',
 $$SELECT region, clv(amount), clv(amount, cost), clv(amount, cost, order_date, '2025-03-01', 0.1)
   FROM orders GROUP BY region$$, NULL),
('clv: RFM summary per customer', '{rfm_agg}',
 $$SELECT region, customer_id, rfm_agg(order_date, amount::float8, '2025-03-01', '7 days')
   FROM orders GROUP BY region, customer_id$$, NULL),
-- timestamps (1.3.0), from the dates by immutable expressions that ship:
-- order_date + hours (timestamp), to_timestamp(epoch seconds) (timestamptz)
('clv: discounted CLV and summaries on timestamps per customer', '{clv,clv_agg}',
 $$SELECT region, customer_id,
          clv(amount, cost, order_date + (customer_id % 24) * interval '1 hour', timestamp '2025-03-01 12:00', 0.1),
          clv(amount, cost, to_timestamp((order_date - date '1970-01-01') * 86400.0 + customer_id % 86400), timestamptz '2025-03-01 12:00+00', 0.1),
          clv_agg(amount, cost, order_date + (customer_id % 24) * interval '1 hour', timestamp '2025-03-01 12:00', 0.1),
          clv_agg(amount, cost, to_timestamp((order_date - date '1970-01-01') * 86400.0 + customer_id % 86400), timestamptz '2025-03-01 12:00+00', 0.1)
   FROM orders GROUP BY region, customer_id$$, NULL),
('clv: RFM summary on timestamps per customer', '{rfm_agg}',
 $$SELECT region, customer_id,
          rfm_agg(order_date + (customer_id % 24) * interval '1 hour', amount::float8, timestamp '2025-03-01 12:00', '7 days'),
          rfm_agg(to_timestamp((order_date - date '1970-01-01') * 86400.0 + customer_id % 86400), amount::float8, timestamptz '2025-03-01 12:00+00', '1 day')
   FROM orders GROUP BY region, customer_id$$, NULL),
('clv: BG/NBD and Gamma-Gamma fits per region', '{bgnbd_fit,gamma_gamma_fit}',
 $$SELECT region, bgnbd_fit(s), gamma_gamma_fit(s) FILTER (WHERE monetary_value(s) > 0)
   FROM rfm GROUP BY region$$, NULL),
-- retention
('retention: activity summaries per customer', '{activity_agg}',
 $$SELECT region, customer_id, activity_agg(signed_up_at, at, '1 week', 12),
          activity_agg(signed_up_at, at, '7 days', 12, 'rolling')
   FROM product_events GROUP BY region, customer_id$$, NULL),
('retention: activity summaries per customer and piece, rollup per customer', '{activity_agg}',
 $$SELECT customer_id, rollup(a), active_periods(rollup(a))
   FROM (SELECT region, customer_id, piece, activity_agg(signed_up_at, at, '1 week', 12) AS a
         FROM product_events GROUP BY region, customer_id, piece) x GROUP BY customer_id$$,
 $$SELECT customer_id, activity_agg(signed_up_at, at, '1 week', 12),
          active_periods(activity_agg(signed_up_at, at, '1 week', 12))
   FROM product_events GROUP BY customer_id$$),
('retention: stored activity pieces, rollup per customer', '{rollup}',
 $$SELECT region, customer_id, rollup(s) FROM activity_pieces GROUP BY region, customer_id$$, NULL),
('retention: cohort summaries of activity summaries per region, rollup per cohort', '{retention_agg}',
 $$SELECT cohort, rollup(r), rollup(c), retention_curve(rollup(c), 'on_or_after')
   FROM (SELECT region, cohort, retention_agg(s) AS r, retention_agg(s, '2025-03-15') AS c
         FROM activities GROUP BY region, cohort) x GROUP BY cohort$$,
 $$SELECT cohort, retention_agg(s), retention_agg(s, '2025-03-15'),
          retention_curve(retention_agg(s, '2025-03-15'), 'on_or_after')
   FROM activities GROUP BY cohort$$),
('retention: cohort summaries from events per region, rollup per cohort', '{retention_agg}',
 $$SELECT cohort, rollup(r), rollup(c)
   FROM (SELECT region, cohort, retention_agg(customer_id, signed_up_at, at, '1 week', 12) AS r,
                retention_agg(customer_id, signed_up_at, at, '7 days', 12, 'rolling', '2025-03-15') AS c
         FROM product_events GROUP BY region, cohort) x GROUP BY cohort$$,
 $$SELECT cohort, retention_agg(customer_id, signed_up_at, at, '1 week', 12),
          retention_agg(customer_id, signed_up_at, at, '7 days', 12, 'rolling', '2025-03-15')
   FROM product_events GROUP BY cohort$$),
('retention: retention curves per region and cohort', '{retention_curve}',
 $$SELECT region, cohort, retention_curve(customer_id, signed_up_at, at, '1 week', 12),
          retention_curve(customer_id, signed_up_at, at, '1 week', 12, 'on_or_after', 'calendar', '2025-03-15')
   FROM product_events GROUP BY region, cohort$$, NULL),
('retention: retention() per customer', '{retention}',
 $$SELECT region, customer_id, retention(piece = 0, piece = 1, piece = 2)
   FROM product_events GROUP BY region, customer_id$$, NULL),
('retention: curves and summaries over smallint entity ids per region and cohort', '{retention_curve,retention_agg,cohort_activity_agg}',
 $$SELECT region, cohort, retention_curve(customer_id::smallint, signed_up_at, at, '1 week', 12),
          retention_curve(customer_id::smallint, signed_up_at, at, '1 week', 12, 'on_or_after', 'calendar', '2025-03-15'),
          retention_curve(customer_id::smallint, signed_up_at, at, '1 week', 12, 'on', 'calendar', '2025-03-15', 'UTC'),
          retention_agg(customer_id::smallint, signed_up_at, at, '1 week', 12),
          retention_agg(customer_id::smallint, signed_up_at, at, '7 days', 12, 'rolling', '2025-03-15'),
          retention_agg(customer_id::smallint, signed_up_at, at, '1 week', 12, 'calendar', '2025-03-15', 'UTC'),
          cohort_activity_agg(customer_id::smallint, signed_up_at, at, '1 week', 12),
          cohort_activity_agg(customer_id::smallint, signed_up_at, at, '7 days', 12, 'rolling', '2025-03-15'),
          cohort_activity_agg(customer_id::smallint, signed_up_at, at, '1 week', 12, 'calendar', '2025-03-15', 'UTC')
   FROM product_events GROUP BY region, cohort$$, NULL),
('retention: curves and summaries over integer entity ids per region and cohort', '{retention_curve,retention_agg,cohort_activity_agg}',
 $$SELECT region, cohort, retention_curve(customer_id::integer, signed_up_at, at, '1 week', 12),
          retention_curve(customer_id::integer, signed_up_at, at, '1 week', 12, 'on_or_after', 'calendar', '2025-03-15'),
          retention_curve(customer_id::integer, signed_up_at, at, '1 week', 12, 'on', 'calendar', '2025-03-15', 'UTC'),
          retention_agg(customer_id::integer, signed_up_at, at, '1 week', 12),
          retention_agg(customer_id::integer, signed_up_at, at, '7 days', 12, 'rolling', '2025-03-15'),
          retention_agg(customer_id::integer, signed_up_at, at, '1 week', 12, 'calendar', '2025-03-15', 'UTC'),
          cohort_activity_agg(customer_id::integer, signed_up_at, at, '1 week', 12),
          cohort_activity_agg(customer_id::integer, signed_up_at, at, '7 days', 12, 'rolling', '2025-03-15'),
          cohort_activity_agg(customer_id::integer, signed_up_at, at, '1 week', 12, 'calendar', '2025-03-15', 'UTC')
   FROM product_events GROUP BY region, cohort$$, NULL),
('retention: curves and summaries over uuid entity ids per region and cohort', '{retention_curve,retention_agg,cohort_activity_agg}',
 $$SELECT region, cohort, retention_curve(customer_uuid, signed_up_at, at, '1 week', 12),
          retention_curve(customer_uuid, signed_up_at, at, '1 week', 12, 'on_or_after', 'calendar', '2025-03-15'),
          retention_curve(customer_uuid, signed_up_at, at, '1 week', 12, 'on', 'calendar', '2025-03-15', 'UTC'),
          retention_agg(customer_uuid, signed_up_at, at, '1 week', 12),
          retention_agg(customer_uuid, signed_up_at, at, '7 days', 12, 'rolling', '2025-03-15'),
          retention_agg(customer_uuid, signed_up_at, at, '1 week', 12, 'calendar', '2025-03-15', 'UTC'),
          cohort_activity_agg(customer_uuid, signed_up_at, at, '1 week', 12),
          cohort_activity_agg(customer_uuid, signed_up_at, at, '7 days', 12, 'rolling', '2025-03-15'),
          cohort_activity_agg(customer_uuid, signed_up_at, at, '1 week', 12, 'calendar', '2025-03-15', 'UTC')
   FROM entity_events GROUP BY region, cohort$$, NULL),
('retention: curves and summaries over text entity ids per region and cohort', '{retention_curve,retention_agg,cohort_activity_agg}',
 $$SELECT region, cohort, retention_curve(customer_text, signed_up_at, at, '1 week', 12),
          retention_curve(customer_text, signed_up_at, at, '1 week', 12, 'on_or_after', 'calendar', '2025-03-15'),
          retention_curve(customer_text, signed_up_at, at, '1 week', 12, 'on', 'calendar', '2025-03-15', 'UTC'),
          retention_agg(customer_text, signed_up_at, at, '1 week', 12),
          retention_agg(customer_text, signed_up_at, at, '7 days', 12, 'rolling', '2025-03-15'),
          retention_agg(customer_text, signed_up_at, at, '1 week', 12, 'calendar', '2025-03-15', 'UTC'),
          cohort_activity_agg(customer_text, signed_up_at, at, '1 week', 12),
          cohort_activity_agg(customer_text, signed_up_at, at, '7 days', 12, 'rolling', '2025-03-15'),
          cohort_activity_agg(customer_text, signed_up_at, at, '1 week', 12, 'calendar', '2025-03-15', 'UTC')
   FROM entity_events GROUP BY region, cohort$$, NULL),
-- pipeline
('pipeline: stage conversion matrix per region', '{stage_conversions}',
 $$SELECT region, stage_conversions(deal, stage, entered_at) FROM stage_history GROUP BY region$$, NULL),
('pipeline: time in stage per deal', '{stage_durations}',
 $$SELECT region, deal, stage_durations(stage, entered_at) FROM stage_history GROUP BY region, deal$$, NULL),
-- adoption
('adoption: active users, average DAU, DAU/MAU per region', '{active_users,average_dau,dau_mau}',
 $$SELECT region, active_users(user_id, active_on, '2025-01-01', '2025-02-01'),
          average_dau(user_id, active_on, '2025-01-01', '2025-02-01'),
          dau_mau(user_id, active_on, '2025-01-01', '2025-02-01')
   FROM crm_activity GROUP BY region$$, NULL),
('adoption: summaries per region and day, rollup on the coordinator, equal to one step', '{adoption_agg}',
 $$SELECT s, active_users(s), average_dau(s), dau_mau(s)
   FROM (SELECT rollup(s) AS s
         FROM (SELECT region, active_on, adoption_agg(user_id, active_on, '2025-01-01', '2025-02-01') AS s
               FROM crm_activity GROUP BY region, active_on) x) y$$,
 $$SELECT adoption_agg(user_id, active_on, '2025-01-01', '2025-02-01'),
          active_users(user_id, active_on, '2025-01-01', '2025-02-01'),
          average_dau(user_id, active_on, '2025-01-01', '2025-02-01'),
          dau_mau(user_id, active_on, '2025-01-01', '2025-02-01')
   FROM crm_activity$$),
('adoption: stored summaries, rollup per region', '{rollup}',
 $$SELECT region, rollup(s), dau_mau(rollup(s)) FROM adoption_stored GROUP BY region$$, NULL),
('adoption: stored summaries, rollup per region, then on the coordinator', '{rollup}',
 $$SELECT rollup(s), active_users(rollup(s)) FROM (SELECT region, rollup(s) AS s FROM adoption_stored GROUP BY region) x$$,
 $$SELECT rollup(s), active_users(rollup(s)) FROM adoption_stored$$),
-- summaries stored on the shards
('stored summaries: rollup per region', '{rollup}',
 $$SELECT region, rollup(survey), rollup(proportion), rollup(funnel), rollup(survival), rollup(retention)
   FROM stored GROUP BY region$$, NULL),
('stored summaries: rollup per region, then on the coordinator', '{rollup}',
 $$SELECT rollup(a), rollup(b), rollup(c), rollup(d), rollup(e)
   FROM (SELECT region, rollup(survey) AS a, rollup(proportion) AS b, rollup(funnel) AS c,
                rollup(survival) AS d, rollup(retention) AS e
         FROM stored GROUP BY region) x$$,
 $$SELECT rollup(survey), rollup(proportion), rollup(funnel), rollup(survival), rollup(retention) FROM stored$$);

-- Float sums: a shard adds a group's rows in the order of its plan (a sort
-- need not keep the order of a single node's scan), and a rollup adds the
-- shards' sums: the summaries' numbers (their text is JSON) and the figures
-- read from them agree to a relative 1e-12, where a double's rounding is
-- 1.1e-16 a sum.  A pipeline summary's amounts are compensated sums, pairs
-- of a sum and its rounding error, whose second terms need not agree: the
-- figures are compared (pipeline_figures).
CREATE FUNCTION pipeline_figures(s pipeline_summary) RETURNS double precision[] LANGUAGE sql AS $$
	SELECT ARRAY[open_deals(s), won_deals(s), lost_deals(s), open_pipeline(s), weighted_pipeline(s),
		won_amount(s), lost_amount(s), win_rate(s), average_deal_size(s), median_deal_size(s),
		average_sales_cycle(s), median_sales_cycle(s), pipeline_velocity(s)]
$$;

INSERT INTO shard_checks (name, aggregates, query, oracle, tolerance, why) VALUES
('retention: MRR summaries per region', '{mrr_agg}',
 $$SELECT region, mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 15)::text::jsonb
   FROM mrr_snapshots GROUP BY region$$, NULL,
 1e-12, 'MRR added up in the order of each plan'),
('pipeline: summaries per region', '{pipeline_agg}',
 $$SELECT region, pipeline_figures(pipeline_agg(amount, probability, created_on, closed_on, outcome)),
          pipeline_figures(pipeline_agg(amount, probability, created_at, closed_at, outcome)),
          pipeline_figures(pipeline_agg(amount_num, probability, created_on, closed_on, outcome)),
          pipeline_figures(pipeline_agg(amount_num, probability, created_at, closed_at, outcome))
   FROM deals GROUP BY region$$, NULL,
 1e-12, 'amounts added up in the order of each plan'),
('retention: MRR summaries per region, rollup on the coordinator', '{mrr_agg}',
 $$SELECT s::text::jsonb, (SELECT jsonb_agg(to_jsonb(m)) FROM mrr_movements(s) m)
   FROM (SELECT rollup(s) AS s
         FROM (SELECT region, mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 15) AS s
               FROM mrr_snapshots GROUP BY region) x) y$$,
 $$SELECT s::text::jsonb, (SELECT jsonb_agg(to_jsonb(m)) FROM mrr_movements(s) m)
   FROM (SELECT mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 15) AS s FROM mrr_snapshots) y$$,
 1e-12, 'MRR added up per shard, then across shards'),
('pipeline: boolean outcomes (is_closed, is_won) per region', '{pipeline_agg}',
 $$SELECT region, pipeline_figures(pipeline_agg(amount, probability, created_on, closed_on, outcome <> 'open', outcome = 'won')),
          pipeline_figures(pipeline_agg(amount, probability, created_at, closed_at, outcome <> 'open', outcome = 'won')),
          pipeline_figures(pipeline_agg(amount_num, probability, created_on, closed_on, outcome <> 'open', outcome = 'won')),
          pipeline_figures(pipeline_agg(amount_num, probability, created_at, closed_at, outcome <> 'open', outcome = 'won'))
   FROM deals GROUP BY region$$,
 $$SELECT region, pipeline_figures(pipeline_agg(amount, probability, created_on, closed_on, outcome)),
          pipeline_figures(pipeline_agg(amount, probability, created_at, closed_at, outcome)),
          pipeline_figures(pipeline_agg(amount_num, probability, created_on, closed_on, outcome)),
          pipeline_figures(pipeline_agg(amount_num, probability, created_at, closed_at, outcome))
   FROM deals GROUP BY region$$,
 1e-12, 'amounts added up in the order of each plan; the oracle reads the same outcomes as text'),
('pipeline: summaries per region and segment, rollup per segment', '{pipeline_agg}',
 $$SELECT segment, pipeline_figures(s)
   FROM (SELECT segment, rollup(s) AS s
         FROM (SELECT region, segment, pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s
               FROM deals GROUP BY region, segment) x GROUP BY segment) y$$,
 $$SELECT segment, pipeline_figures(s)
   FROM (SELECT segment, pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s
         FROM deals GROUP BY segment) y$$,
 1e-12, 'compensated amounts added up per shard, then across shards'),
('stored summaries: MRR and pipeline rollup per region', '{rollup}',
 $$SELECT region, rollup(mrr)::text::jsonb, pipeline_figures(rollup(pipeline)) FROM stored GROUP BY region$$, NULL,
 1e-12, 'stored summaries merged in the order of each plan'),
('stored summaries: MRR and pipeline rollup per region, then on the coordinator', '{rollup}',
 $$SELECT m::text::jsonb, pipeline_figures(p)
   FROM (SELECT rollup(m) AS m, rollup(p) AS p
         FROM (SELECT region, rollup(mrr) AS m, rollup(pipeline) AS p FROM stored GROUP BY region) x) y$$,
 $$SELECT m::text::jsonb, pipeline_figures(p)
   FROM (SELECT rollup(mrr) AS m, rollup(pipeline) AS p FROM stored) y$$,
 1e-12, 'stored summaries merged per shard, then across shards');

-- Time zones: under a session in New York the aggregates given a time_zone
-- count the same calendar periods on the shards (whose postgres_fdw sessions
-- run in UTC) as here; without one, the shards count in UTC (the control).
-- Timestamps are compared as epochs: under Citus the final query may run in
-- a session of its own, in UTC, and print them there.
INSERT INTO shard_checks (name, aggregates, remote, query, oracle, tolerance, equal, settings, why) VALUES
('time zones: retention curves per region and cohort, in New York', '{retention_curve}', true,
 $$SELECT region, extract(epoch FROM cohort) AS cohort, retention_curve(customer_id, signed_up_at, at, '1 day', 12, 'on', 'calendar', NULL, 'America/New_York'),
          retention_curve(customer_id, signed_up_at, at, '1 month', 3, 'on_or_after', 'calendar', '2025-03-15', 'America/New_York')
   FROM product_events GROUP BY region, cohort$$, NULL, 0, true, '{TimeZone=America/New_York}', NULL),
('time zones: cohort summaries from events per region, rollup per cohort, in New York', '{retention_agg}', true,
 $$SELECT extract(epoch FROM cohort) AS cohort, rollup(r)
   FROM (SELECT region, cohort, retention_agg(customer_id, signed_up_at, at, '1 day', 12, 'calendar', '2025-03-15', 'America/New_York') AS r
         FROM product_events GROUP BY region, cohort) x GROUP BY cohort$$,
 $$SELECT extract(epoch FROM cohort) AS cohort, retention_agg(customer_id, signed_up_at, at, '1 day', 12, 'calendar', '2025-03-15', 'America/New_York')
   FROM product_events GROUP BY cohort$$, 0, true, '{TimeZone=America/New_York}', NULL),
('time zones: activity summaries per customer, cohort summaries of them, in New York', '{activity_agg}', true,
 $$SELECT extract(epoch FROM cohort) AS cohort, retention_agg(a), retention_agg(a, '2025-03-15')
   FROM (SELECT region, cohort, customer_id, activity_agg(signed_up_at, at, '1 day', 12, 'calendar', 'America/New_York') AS a
         FROM product_events GROUP BY region, cohort, customer_id) x GROUP BY cohort$$, NULL,
 0, true, '{TimeZone=America/New_York}', NULL),
('time zones: MRR summaries per region, rollup, in New York', '{mrr_agg}', true,
 $$SELECT s::text::jsonb, (SELECT jsonb_agg(to_jsonb(m) || jsonb_build_object('period_start', extract(epoch FROM m.period_start))) FROM mrr_movements(s) m)
   FROM (SELECT rollup(s) AS s
         FROM (SELECT region, mrr_agg(customer_id, month, mrr, '2023-12-01', '1 month', 15, 'America/New_York') AS s
               FROM mrr_snapshots GROUP BY region) x) y$$,
 $$SELECT s::text::jsonb, (SELECT jsonb_agg(to_jsonb(m) || jsonb_build_object('period_start', extract(epoch FROM m.period_start))) FROM mrr_movements(s) m)
   FROM (SELECT mrr_agg(customer_id, month, mrr, '2023-12-01', '1 month', 15, 'America/New_York') AS s FROM mrr_snapshots) y$$,
 1e-12, true, '{TimeZone=America/New_York}', 'MRR added up per shard, then across shards'),
('control: retention curves per region without a time zone, in New York', '{retention_curve}', true,
 $$SELECT region, extract(epoch FROM cohort) AS cohort, retention_curve(customer_id, signed_up_at, at, '1 day', 12)
   FROM product_events GROUP BY region, cohort$$, NULL, 0, false, '{TimeZone=America/New_York}',
 'the shards count days in UTC, the coordinator in New York');

-- Controls: the checks can fail
INSERT INTO shard_checks (name, aggregates, remote, query, oracle, tolerance, equal, settings, why) VALUES
('control: nps per region without partitionwise aggregation', '{nps}', false,
 $$SELECT region, nps(nps_score) FROM responses GROUP BY region$$, NULL, 0, true,
 '{enable_partitionwise_aggregate=off}', 'the aggregate runs here, above the partitions'),
('control: summaries without one row', '{nps_agg}', true,
 $$SELECT region, nps_agg(nps_score) FROM responses WHERE customer_id <> 3 GROUP BY region$$,
 $$SELECT region, nps_agg(nps_score) FROM responses GROUP BY region$$, 0, false, '{}',
 'one score fewer on a shard'),
('control: pipeline figures without one deal', '{pipeline_agg}', true,
 $$SELECT pipeline_figures(s)
   FROM (SELECT rollup(s) AS s
         FROM (SELECT region, pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s
               FROM deals WHERE deal_id <> 2 GROUP BY region) x) y$$,
 $$SELECT pipeline_figures(s)
   FROM (SELECT pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s FROM deals) y$$,
 1e-12, false, '{}', 'one won deal fewer: the amounts differ beyond the tolerance');

-- clv: the two-step form (summaries made on the shards, rolled up here), and
-- rollup of stored summaries on the shards
INSERT INTO shard_checks (name, aggregates, query, oracle) VALUES
('clv: summaries per region and order date, rollup per order date', '{clv_agg}',
 $$SELECT order_date, rollup(a), rollup(m), rollup(d), clv(rollup(a))
   FROM (SELECT region, order_date, clv_agg(amount) AS a, clv_agg(amount, cost) AS m,
                clv_agg(amount, cost, order_date, '2025-03-01', 0.1) AS d
         FROM orders GROUP BY region, order_date) x GROUP BY order_date$$,
 $$SELECT order_date, clv_agg(amount), clv_agg(amount, cost), clv_agg(amount, cost, order_date, '2025-03-01', 0.1),
          clv(amount)
   FROM orders GROUP BY order_date$$),
('clv: stored summaries, rollup per region', '{rollup}',
 $$SELECT region, rollup(s), clv(rollup(s)) FROM clv_stored GROUP BY region$$,
 $$SELECT region, clv_agg(amount), clv(amount) FROM orders GROUP BY region$$);

-- Citus pulls the rows of the aggregates whose state stays internal, one
-- step over all the rows by nature (doc/conventions.md, "Where internal
-- stays"): the model fits and the stage conversion matrix
UPDATE shard_checks SET citus_split = false,
	why = coalesce(why || '; ', '') || 'Citus: a one-step fit or matrix over every row, whose state is internal'
WHERE name IN ('clv: BG/NBD and Gamma-Gamma fits per region', 'survival: sBG fit per region',
	'pipeline: stage conversion matrix per region');

-- cohort activity summaries (retention over events in two steps): made on
-- the shards per region, cohort and piece (a customer's events in several
-- pieces), rolled up per cohort on the coordinator (the union of the
-- customers), equal to one aggregate per cohort, and read as the one-step
-- aggregates over the single-node copy
INSERT INTO shard_checks (name, aggregates, query, oracle) VALUES
('retention: cohort activity summaries per region and piece, rollup per cohort', '{cohort_activity_agg}',
 $$SELECT cohort, rollup(a), retention_summary(rollup(a)), retention_curve(rollup(a)),
          retention_summary(rollup(c)), retention_curve(rollup(c), 'on_or_after')
   FROM (SELECT region, cohort, piece, cohort_activity_agg(customer_id, signed_up_at, at, '1 week', 12) AS a,
                cohort_activity_agg(customer_id, signed_up_at, at, '7 days', 12, 'rolling', '2025-03-15') AS c
         FROM product_events GROUP BY region, cohort, piece) x GROUP BY cohort$$,
 $$SELECT cohort, cohort_activity_agg(customer_id, signed_up_at, at, '1 week', 12),
          retention_agg(customer_id, signed_up_at, at, '1 week', 12),
          retention_curve(customer_id, signed_up_at, at, '1 week', 12),
          retention_agg(customer_id, signed_up_at, at, '7 days', 12, 'rolling', '2025-03-15'),
          retention_curve(customer_id, signed_up_at, at, '7 days', 12, 'on_or_after', 'rolling', '2025-03-15')
   FROM product_events GROUP BY cohort$$);
INSERT INTO shard_checks (name, aggregates, remote, query, oracle, tolerance, equal, settings, why) VALUES
('retention: stored cohort activity pieces, rollup per region and cohort', '{rollup}', true,
 $$SELECT region, cohort, rollup(s), retention_curve(rollup(s)) FROM cohort_pieces GROUP BY region, cohort$$,
 NULL, 0, true, '{}', NULL),
('time zones: cohort activity summaries per region and piece, rollup per cohort, in New York', '{cohort_activity_agg}', true,
 $$SELECT extract(epoch FROM cohort) AS cohort, rollup(a), retention_summary(rollup(a))
   FROM (SELECT region, cohort, piece,
                cohort_activity_agg(customer_id, signed_up_at, at, '1 day', 12, 'calendar', '2025-03-15', 'America/New_York') AS a
         FROM product_events GROUP BY region, cohort, piece) x GROUP BY cohort$$,
 $$SELECT extract(epoch FROM cohort) AS cohort,
          cohort_activity_agg(customer_id, signed_up_at, at, '1 day', 12, 'calendar', '2025-03-15', 'America/New_York'),
          retention_agg(customer_id, signed_up_at, at, '1 day', 12, 'calendar', '2025-03-15', 'America/New_York')
   FROM product_events GROUP BY cohort$$, 0, true, '{TimeZone=America/New_York}', NULL);
-- the subscription forms (starts, ends exclusive, NULL open), the snapshot
-- table read as intervals: open from each snapshot's month, and active from
-- -infinity until it
INSERT INTO shard_checks (name, aggregates, query, oracle, tolerance, why) VALUES
('retention: MRR of subscriptions per region', '{mrr_agg,customer_mrr_agg}',
 $$SELECT region, mrr_agg(customer_id, month, NULL, mrr, '2024-01-01', '1 month', 15)::text::jsonb,
          mrr_agg(customer_id, '-infinity', month, mrr, '2024-01-01', '1 month', 15, 'UTC')::text::jsonb,
          customer_mrr_agg(customer_id, '-infinity', month, mrr, '2024-01-01', '1 month', 15, 'UTC')::text::jsonb
   FROM mrr_snapshots GROUP BY region$$, NULL, 0, NULL),
('retention: customer MRR of subscriptions per region, rollup on the coordinator', '{customer_mrr_agg}',
 $$SELECT s::text::jsonb, mrr_summary(s)::text::jsonb
   FROM (SELECT rollup(s) AS s
         FROM (SELECT region, customer_mrr_agg(customer_id, month, NULL, mrr, '2024-01-01', '1 month', 15) AS s
               FROM mrr_snapshots GROUP BY region) x) y$$,
 $$SELECT s::text::jsonb, mrr_summary(s)::text::jsonb
   FROM (SELECT customer_mrr_agg(customer_id, month, NULL, mrr, '2024-01-01', '1 month', 15) AS s
         FROM mrr_snapshots) y$$,
 0, NULL);
-- MRR by plan, cohort NRR/GRR, ARR and quick ratio (issue 15) from customer
-- MRR summaries made per shard (plan derived from the amount), rolled up on
-- the coordinator: exact integers of 1/10000, so equal to the single node
INSERT INTO shard_checks (name, aggregates, query, oracle, tolerance, why) VALUES
-- (the plan's label is made on the coordinator: PostgreSQL 13's postgres_fdw
-- ships no CASE)
('retention: MRR by plan from summaries per region and plan, rollup per plan on the coordinator', '{customer_mrr_agg}',
 $$SELECT jsonb_agg(to_jsonb(m) ORDER BY m.period, m.plan NULLS FIRST)
   FROM (SELECT array_agg(s ORDER BY plan) AS s, array_agg(plan ORDER BY plan) AS p
         FROM (SELECT CASE WHEN low THEN 'low' ELSE 'high' END AS plan, rollup(s) AS s
               FROM (SELECT region, mrr < 40 AS low,
                            customer_mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 15, 'UTC') AS s
                     FROM mrr_snapshots GROUP BY 1, 2) x GROUP BY low) y) z,
        mrr_movements_by_plan(z.s, z.p) m$$,
 $$SELECT jsonb_agg(to_jsonb(m) ORDER BY m.period, m.plan NULLS FIRST)
   FROM (SELECT array_agg(s ORDER BY plan) AS s, array_agg(plan ORDER BY plan) AS p
         FROM (SELECT CASE WHEN mrr < 40 THEN 'low' ELSE 'high' END AS plan,
                      customer_mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 15, 'UTC') AS s
               FROM mrr_snapshots GROUP BY 1) y) z,
        mrr_movements_by_plan(z.s, z.p) m$$,
 0, NULL),
('retention: cohort NRR/GRR, ARR and quick ratio of summaries per region, rollup on the coordinator', '{customer_mrr_agg}',
 $$SELECT (SELECT jsonb_agg(to_jsonb(c) ORDER BY c.cohort, c.period) FROM mrr_cohort_table(s) c),
          (SELECT jsonb_agg(jsonb_build_array(arr(mrr_summary(s), k), arpa(mrr_summary(s), k),
                                              quick_ratio(mrr_summary(s), k)) ORDER BY k)
           FROM generate_series(0, 14) k)
   FROM (SELECT rollup(s) AS s
         FROM (SELECT region, customer_mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 15, 'UTC') AS s
               FROM mrr_snapshots GROUP BY region) x) y$$,
 $$SELECT (SELECT jsonb_agg(to_jsonb(c) ORDER BY c.cohort, c.period) FROM mrr_cohort_table(s) c),
          (SELECT jsonb_agg(jsonb_build_array(arr(mrr_summary(s), k), arpa(mrr_summary(s), k),
                                              quick_ratio(mrr_summary(s), k)) ORDER BY k)
           FROM generate_series(0, 14) k)
   FROM (SELECT customer_mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 15, 'UTC') AS s
         FROM mrr_snapshots) y$$,
 0, NULL);
-- customer MRR summaries (mrr_agg's state): per shard, with each customer's
-- months in several groups, rolled up on the coordinator; the amounts are
-- integers of 1/10000, so the sums are exact whatever the order
INSERT INTO shard_checks (name, aggregates, query, oracle, tolerance, why) VALUES
('retention: customer MRR summaries per region', '{customer_mrr_agg}',
 $$SELECT region, customer_mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 15)::text::jsonb,
          customer_mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 15, 'UTC')::text::jsonb
   FROM mrr_snapshots GROUP BY region$$, NULL, 0, NULL),
('retention: customer MRR summaries per region and month, rollup on the coordinator', '{customer_mrr_agg}',
 $$SELECT s::text::jsonb, mrr_summary(s)::text::jsonb
   FROM (SELECT rollup(s) AS s
         FROM (SELECT region, month, customer_mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 15, 'UTC') AS s
               FROM mrr_snapshots GROUP BY region, month) x) y$$,
 $$SELECT s::text::jsonb, mrr_summary(s)::text::jsonb
   FROM (SELECT customer_mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 15, 'UTC') AS s FROM mrr_snapshots) y$$,
 0, NULL),
('retention: customer MRR summaries per region and month, mrr_summary of their rollup is mrr_agg', '{customer_mrr_agg}',
 $$SELECT mrr_summary(rollup(s))::text::jsonb
   FROM (SELECT region, month, customer_mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 15, 'UTC') AS s
         FROM mrr_snapshots GROUP BY region, month) x$$,
 $$SELECT mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 15, 'UTC')::text::jsonb FROM mrr_snapshots$$,
 0, NULL),
('stored summaries: customer MRR rollup per region, then on the coordinator', '{rollup}',
 $$SELECT s::text::jsonb, mrr_summary(s)::text::jsonb
   FROM (SELECT rollup(s) AS s FROM (SELECT region, rollup(s) AS s FROM stored_customer_mrr GROUP BY region) x) y$$,
 $$SELECT s::text::jsonb, mrr_summary(s)::text::jsonb FROM (SELECT rollup(s) AS s FROM stored_customer_mrr) y$$,
 0, NULL);

-- adoption (1.3.0): every id type and time type.  The session-TimeZone
-- timestamptz forms are STABLE, so postgres_fdw pulls their rows.
INSERT INTO shard_checks (name, aggregates, remote, query, oracle, tolerance, equal, settings, why) VALUES
('adoption: ids of every type, timestamps and a time zone, per region', '{adoption_agg,active_users,average_dau,dau_mau}', true,
 $$SELECT region,
          adoption_agg((user_id % 32000)::smallint, active_on, '2025-01-01'::date, '2025-02-01'::date),
          active_users((user_id % 32000)::smallint, active_on, '2025-01-01'::date, '2025-02-01'::date),
          average_dau((user_id % 32000)::smallint, active_on, '2025-01-01'::date, '2025-02-01'::date),
          dau_mau((user_id % 32000)::smallint, active_on, '2025-01-01'::date, '2025-02-01'::date),
          adoption_agg((user_id % 32000)::smallint, active_on::timestamp, '2025-01-01'::timestamp, '2025-02-01'::timestamp),
          active_users((user_id % 32000)::smallint, active_on::timestamp, '2025-01-01'::timestamp, '2025-02-01'::timestamp),
          average_dau((user_id % 32000)::smallint, active_on::timestamp, '2025-01-01'::timestamp, '2025-02-01'::timestamp),
          dau_mau((user_id % 32000)::smallint, active_on::timestamp, '2025-01-01'::timestamp, '2025-02-01'::timestamp),
          adoption_agg((user_id % 32000)::smallint, active_at, '2025-01-01'::date, '2025-02-01'::date, 'Europe/Berlin'),
          active_users((user_id % 32000)::smallint, active_at, '2025-01-01'::date, '2025-02-01'::date, 'Europe/Berlin'),
          average_dau((user_id % 32000)::smallint, active_at, '2025-01-01'::date, '2025-02-01'::date, 'Europe/Berlin'),
          dau_mau((user_id % 32000)::smallint, active_at, '2025-01-01'::date, '2025-02-01'::date, 'Europe/Berlin'),
          adoption_agg(user_id::integer, active_on, '2025-01-01'::date, '2025-02-01'::date),
          active_users(user_id::integer, active_on, '2025-01-01'::date, '2025-02-01'::date),
          average_dau(user_id::integer, active_on, '2025-01-01'::date, '2025-02-01'::date),
          dau_mau(user_id::integer, active_on, '2025-01-01'::date, '2025-02-01'::date),
          adoption_agg(user_id::integer, active_on::timestamp, '2025-01-01'::timestamp, '2025-02-01'::timestamp),
          active_users(user_id::integer, active_on::timestamp, '2025-01-01'::timestamp, '2025-02-01'::timestamp),
          average_dau(user_id::integer, active_on::timestamp, '2025-01-01'::timestamp, '2025-02-01'::timestamp),
          dau_mau(user_id::integer, active_on::timestamp, '2025-01-01'::timestamp, '2025-02-01'::timestamp),
          adoption_agg(user_id::integer, active_at, '2025-01-01'::date, '2025-02-01'::date, 'Europe/Berlin'),
          active_users(user_id::integer, active_at, '2025-01-01'::date, '2025-02-01'::date, 'Europe/Berlin'),
          average_dau(user_id::integer, active_at, '2025-01-01'::date, '2025-02-01'::date, 'Europe/Berlin'),
          dau_mau(user_id::integer, active_at, '2025-01-01'::date, '2025-02-01'::date, 'Europe/Berlin'),
          adoption_agg(user_id, active_on::timestamp, '2025-01-01'::timestamp, '2025-02-01'::timestamp),
          active_users(user_id, active_on::timestamp, '2025-01-01'::timestamp, '2025-02-01'::timestamp),
          average_dau(user_id, active_on::timestamp, '2025-01-01'::timestamp, '2025-02-01'::timestamp),
          dau_mau(user_id, active_on::timestamp, '2025-01-01'::timestamp, '2025-02-01'::timestamp),
          adoption_agg(user_id, active_at, '2025-01-01'::date, '2025-02-01'::date, 'Europe/Berlin'),
          active_users(user_id, active_at, '2025-01-01'::date, '2025-02-01'::date, 'Europe/Berlin'),
          average_dau(user_id, active_at, '2025-01-01'::date, '2025-02-01'::date, 'Europe/Berlin'),
          dau_mau(user_id, active_at, '2025-01-01'::date, '2025-02-01'::date, 'Europe/Berlin'),
          adoption_agg(user_uuid, active_on, '2025-01-01'::date, '2025-02-01'::date),
          active_users(user_uuid, active_on, '2025-01-01'::date, '2025-02-01'::date),
          average_dau(user_uuid, active_on, '2025-01-01'::date, '2025-02-01'::date),
          dau_mau(user_uuid, active_on, '2025-01-01'::date, '2025-02-01'::date),
          adoption_agg(user_uuid, active_on::timestamp, '2025-01-01'::timestamp, '2025-02-01'::timestamp),
          active_users(user_uuid, active_on::timestamp, '2025-01-01'::timestamp, '2025-02-01'::timestamp),
          average_dau(user_uuid, active_on::timestamp, '2025-01-01'::timestamp, '2025-02-01'::timestamp),
          dau_mau(user_uuid, active_on::timestamp, '2025-01-01'::timestamp, '2025-02-01'::timestamp),
          adoption_agg(user_uuid, active_at, '2025-01-01'::date, '2025-02-01'::date, 'Europe/Berlin'),
          active_users(user_uuid, active_at, '2025-01-01'::date, '2025-02-01'::date, 'Europe/Berlin'),
          average_dau(user_uuid, active_at, '2025-01-01'::date, '2025-02-01'::date, 'Europe/Berlin'),
          dau_mau(user_uuid, active_at, '2025-01-01'::date, '2025-02-01'::date, 'Europe/Berlin'),
          adoption_agg(user_text, active_on, '2025-01-01'::date, '2025-02-01'::date),
          active_users(user_text, active_on, '2025-01-01'::date, '2025-02-01'::date),
          average_dau(user_text, active_on, '2025-01-01'::date, '2025-02-01'::date),
          dau_mau(user_text, active_on, '2025-01-01'::date, '2025-02-01'::date),
          adoption_agg(user_text, active_on::timestamp, '2025-01-01'::timestamp, '2025-02-01'::timestamp),
          active_users(user_text, active_on::timestamp, '2025-01-01'::timestamp, '2025-02-01'::timestamp),
          average_dau(user_text, active_on::timestamp, '2025-01-01'::timestamp, '2025-02-01'::timestamp),
          dau_mau(user_text, active_on::timestamp, '2025-01-01'::timestamp, '2025-02-01'::timestamp),
          adoption_agg(user_text, active_at, '2025-01-01'::date, '2025-02-01'::date, 'Europe/Berlin'),
          active_users(user_text, active_at, '2025-01-01'::date, '2025-02-01'::date, 'Europe/Berlin'),
          average_dau(user_text, active_at, '2025-01-01'::date, '2025-02-01'::date, 'Europe/Berlin'),
          dau_mau(user_text, active_at, '2025-01-01'::date, '2025-02-01'::date, 'Europe/Berlin')
   FROM crm_activity GROUP BY region$$, NULL, 0, true, '{}', NULL),
('adoption: timestamptz in the session time zone, per region', '{adoption_agg,active_users,average_dau,dau_mau}', true,
 $$SELECT region,
          adoption_agg((user_id % 32000)::smallint, active_at, '2025-01-01'::timestamptz, '2025-02-01'::timestamptz),
          active_users((user_id % 32000)::smallint, active_at, '2025-01-01'::timestamptz, '2025-02-01'::timestamptz),
          average_dau((user_id % 32000)::smallint, active_at, '2025-01-01'::timestamptz, '2025-02-01'::timestamptz),
          dau_mau((user_id % 32000)::smallint, active_at, '2025-01-01'::timestamptz, '2025-02-01'::timestamptz),
          adoption_agg(user_id::integer, active_at, '2025-01-01'::timestamptz, '2025-02-01'::timestamptz),
          active_users(user_id::integer, active_at, '2025-01-01'::timestamptz, '2025-02-01'::timestamptz),
          average_dau(user_id::integer, active_at, '2025-01-01'::timestamptz, '2025-02-01'::timestamptz),
          dau_mau(user_id::integer, active_at, '2025-01-01'::timestamptz, '2025-02-01'::timestamptz),
          adoption_agg(user_id, active_at, '2025-01-01'::timestamptz, '2025-02-01'::timestamptz),
          active_users(user_id, active_at, '2025-01-01'::timestamptz, '2025-02-01'::timestamptz),
          average_dau(user_id, active_at, '2025-01-01'::timestamptz, '2025-02-01'::timestamptz),
          dau_mau(user_id, active_at, '2025-01-01'::timestamptz, '2025-02-01'::timestamptz),
          adoption_agg(user_uuid, active_at, '2025-01-01'::timestamptz, '2025-02-01'::timestamptz),
          active_users(user_uuid, active_at, '2025-01-01'::timestamptz, '2025-02-01'::timestamptz),
          average_dau(user_uuid, active_at, '2025-01-01'::timestamptz, '2025-02-01'::timestamptz),
          dau_mau(user_uuid, active_at, '2025-01-01'::timestamptz, '2025-02-01'::timestamptz),
          adoption_agg(user_text, active_at, '2025-01-01'::timestamptz, '2025-02-01'::timestamptz),
          active_users(user_text, active_at, '2025-01-01'::timestamptz, '2025-02-01'::timestamptz),
          average_dau(user_text, active_at, '2025-01-01'::timestamptz, '2025-02-01'::timestamptz),
          dau_mau(user_text, active_at, '2025-01-01'::timestamptz, '2025-02-01'::timestamptz)
   FROM crm_activity GROUP BY region$$, NULL, 0, true, '{TimeZone=UTC}',
 'to the planner an aggregate is immutable (its STABLE transition function is not looked at), so postgres_fdw ships the session-TimeZone forms: the days are those of the remote session''s TimeZone, UTC here as on the coordinator');

-- MRR with customer ids of any type (issue 13): the smallint and integer
-- forms by cast, the text and uuid ones from columns of mrr_snapshots
-- (postgres_fdw ships no casts to text or uuid), snapshots and
-- subscriptions, with and without a time zone
INSERT INTO shard_checks (name, aggregates, query, oracle) VALUES
('retention: MRR of smallint, integer, text and uuid customer ids per region', '{mrr_agg,customer_mrr_agg}',
 $$SELECT region,
          mrr_agg((customer_id % 32000)::smallint, month, mrr, '2024-01-01', '1 month', 15)::text::jsonb,
          mrr_agg((customer_id % 32000)::smallint, month, mrr, '2024-01-01', '1 month', 15, 'UTC')::text::jsonb,
          mrr_agg((customer_id % 32000)::smallint, month, NULL, mrr, '2024-01-01', '1 month', 15)::text::jsonb,
          mrr_agg((customer_id % 32000)::smallint, month, NULL, mrr, '2024-01-01', '1 month', 15, 'UTC')::text::jsonb,
          customer_mrr_agg((customer_id % 32000)::smallint, month, mrr, '2024-01-01', '1 month', 15)::text::jsonb,
          customer_mrr_agg((customer_id % 32000)::smallint, month, mrr, '2024-01-01', '1 month', 15, 'UTC')::text::jsonb,
          customer_mrr_agg((customer_id % 32000)::smallint, month, NULL, mrr, '2024-01-01', '1 month', 15)::text::jsonb,
          customer_mrr_agg((customer_id % 32000)::smallint, month, NULL, mrr, '2024-01-01', '1 month', 15, 'UTC')::text::jsonb,
          mrr_agg(customer_id::integer, month, mrr, '2024-01-01', '1 month', 15)::text::jsonb,
          mrr_agg(customer_id::integer, month, mrr, '2024-01-01', '1 month', 15, 'UTC')::text::jsonb,
          mrr_agg(customer_id::integer, month, NULL, mrr, '2024-01-01', '1 month', 15)::text::jsonb,
          mrr_agg(customer_id::integer, month, NULL, mrr, '2024-01-01', '1 month', 15, 'UTC')::text::jsonb,
          customer_mrr_agg(customer_id::integer, month, mrr, '2024-01-01', '1 month', 15)::text::jsonb,
          customer_mrr_agg(customer_id::integer, month, mrr, '2024-01-01', '1 month', 15, 'UTC')::text::jsonb,
          customer_mrr_agg(customer_id::integer, month, NULL, mrr, '2024-01-01', '1 month', 15)::text::jsonb,
          customer_mrr_agg(customer_id::integer, month, NULL, mrr, '2024-01-01', '1 month', 15, 'UTC')::text::jsonb,
          mrr_agg(customer_text, month, mrr, '2024-01-01', '1 month', 15)::text::jsonb,
          mrr_agg(customer_text, month, mrr, '2024-01-01', '1 month', 15, 'UTC')::text::jsonb,
          mrr_agg(customer_text, month, NULL, mrr, '2024-01-01', '1 month', 15)::text::jsonb,
          mrr_agg(customer_text, month, NULL, mrr, '2024-01-01', '1 month', 15, 'UTC')::text::jsonb,
          customer_mrr_agg(customer_text, month, mrr, '2024-01-01', '1 month', 15)::text::jsonb,
          customer_mrr_agg(customer_text, month, mrr, '2024-01-01', '1 month', 15, 'UTC')::text::jsonb,
          customer_mrr_agg(customer_text, month, NULL, mrr, '2024-01-01', '1 month', 15)::text::jsonb,
          customer_mrr_agg(customer_text, month, NULL, mrr, '2024-01-01', '1 month', 15, 'UTC')::text::jsonb,
          mrr_agg(customer_uuid, month, mrr, '2024-01-01', '1 month', 15)::text::jsonb,
          mrr_agg(customer_uuid, month, mrr, '2024-01-01', '1 month', 15, 'UTC')::text::jsonb,
          mrr_agg(customer_uuid, month, NULL, mrr, '2024-01-01', '1 month', 15)::text::jsonb,
          mrr_agg(customer_uuid, month, NULL, mrr, '2024-01-01', '1 month', 15, 'UTC')::text::jsonb,
          customer_mrr_agg(customer_uuid, month, mrr, '2024-01-01', '1 month', 15)::text::jsonb,
          customer_mrr_agg(customer_uuid, month, mrr, '2024-01-01', '1 month', 15, 'UTC')::text::jsonb,
          customer_mrr_agg(customer_uuid, month, NULL, mrr, '2024-01-01', '1 month', 15)::text::jsonb,
          customer_mrr_agg(customer_uuid, month, NULL, mrr, '2024-01-01', '1 month', 15, 'UTC')::text::jsonb
   FROM mrr_snapshots GROUP BY region$$, NULL),
('retention: customer MRR of text and uuid ids per region and month, rollup on the coordinator', '{customer_mrr_agg}',
 $$SELECT t::text::jsonb, mrr_summary(t)::text::jsonb, u::text::jsonb, mrr_summary(u)::text::jsonb
   FROM (SELECT rollup(t) AS t, rollup(u) AS u
         FROM (SELECT region, month,
                      customer_mrr_agg(customer_text, month, mrr, '2024-01-01', '1 month', 15, 'UTC') AS t,
                      customer_mrr_agg(customer_uuid, month, NULL, mrr, '2024-01-01', '1 month', 15, 'UTC') AS u
               FROM mrr_snapshots GROUP BY region, month) x) y$$,
 $$SELECT t::text::jsonb, mrr_summary(t)::text::jsonb, u::text::jsonb, mrr_summary(u)::text::jsonb
   FROM (SELECT customer_mrr_agg(customer_text, month, mrr, '2024-01-01', '1 month', 15, 'UTC') AS t,
                customer_mrr_agg(customer_uuid, month, NULL, mrr, '2024-01-01', '1 month', 15, 'UTC') AS u
         FROM mrr_snapshots) y$$);

-- issue 14 and 15: delayed entry in interval durations, the standard errors
-- and the Pareto/NBD and BG/BB fits, holdout validation (one step per region,
-- and rolled up on the coordinator), ClickHouse's sequences
INSERT INTO shard_checks (name, aggregates, query, oracle) VALUES
('survival: summaries of interval durations with delayed entry per region', '{survival_agg}',
 $$SELECT region, survival_agg(duration * (customer_id % 5) / 10 * interval '1 day', duration * interval '1 day', event),
          survival_agg(duration * (customer_id % 5) / 10 * interval '1 day', duration * interval '1 day', status)
   FROM lifetimes GROUP BY region$$, NULL),
('survival: sBG standard errors per region', '{sbg_std_errors}',
 $$SELECT region, sbg_std_errors(period, survivors) FROM cohort_survivors GROUP BY region$$, NULL),
('clv: standard errors, Pareto/NBD fits per region', '{bgnbd_std_errors,gamma_gamma_std_errors,pareto_nbd_fit,pareto_nbd_std_errors}',
 $$SELECT region, bgnbd_std_errors(s), gamma_gamma_std_errors(s) FILTER (WHERE monetary_value(s) > 0),
          pareto_nbd_fit(s), pareto_nbd_std_errors(s)
   FROM rfm GROUP BY region$$, NULL),
('clv: BG/BB fits and standard errors per region', '{bgbb_fit,bgbb_std_errors}',
 $$SELECT region, bgbb_fit(frequency(s), frequency(s), frequency(s) + 10),
          bgbb_fit(frequency(s), frequency(s), frequency(s) + 10, customer_id % 3 + 1),
          bgbb_std_errors(frequency(s), frequency(s), frequency(s) + 10),
          bgbb_std_errors(frequency(s), frequency(s), frequency(s) + 10, customer_id % 3 + 1)
   FROM rfm GROUP BY region$$, NULL),
('clv: holdout summaries per region', '{holdout_agg}',
 $$SELECT region, holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), s, customer_id % 3, 39),
          holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), s, ARRAY[customer_id % 39 + 0.5]::float8[], 1, 39)
   FROM rfm GROUP BY region$$, NULL),
('clv: holdout summaries per region, rollup on the coordinator', '{holdout_agg}',
 $$SELECT c.*, k.*
   FROM (SELECT rollup(h) AS h, rollup(t) AS t
         FROM (SELECT region, holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), s, customer_id % 3, 39) AS h,
                      holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), s, ARRAY[customer_id % 39 + 0.5]::float8[], 1, 39) AS t
               FROM rfm GROUP BY region) x) y,
        calibration_table(y.h, 101) c, holdout_tracking(y.t) k
   WHERE c.frequency = k.period % 102$$,
 $$SELECT c.*, k.*
   FROM (SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), s, customer_id % 3, 39) AS h,
                holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), s, ARRAY[customer_id % 39 + 0.5]::float8[], 1, 39) AS t
         FROM rfm) y,
        calibration_table(y.h, 101) c, holdout_tracking(y.t) k
   WHERE c.frequency = k.period % 102$$),
('clv: stored holdout summaries, rollup per region', '{rollup}',
 $$SELECT region, rollup(s) FROM holdout_stored GROUP BY region$$,
 $$SELECT region, holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), s, customer_id % 3, 39) FROM rfm GROUP BY region$$),
('conversion: sequence_match and sequence_count per visitor', '{sequence_match,sequence_count}',
 $$SELECT region, visitor_id, sequence_match('(?1).*(?2)', happened_at, event = 'visit', event = 'purchase'),
          sequence_count('(?1)(?2)', happened_at, event = 'visit', event = 'signup'),
          sequence_match('(?1)(?t<=86400)(?2)', happened_at, VARIADIC ARRAY[event = 'visit', event = 'signup'])
   FROM web_events GROUP BY region, visitor_id$$, NULL);
UPDATE shard_checks SET citus_split = false,
	why = coalesce(why || '; ', '') || 'Citus: a one-step fit over every row, whose state is internal'
WHERE name IN ('survival: sBG standard errors per region', 'clv: standard errors, Pareto/NBD fits per region',
	'clv: BG/BB fits and standard errors per region', 'survival: Cox model per region',
	'survival: Cox model with named covariates per region', 'survival: Cox model with entry times per region',
	'survival: Cox model with entry times and named covariates per region');
-- postgres_fdw of PostgreSQL 15 (and 13) ships constants of the
-- extension's types only, and the array type kpi_text[] of the covariate
-- names is not a member of the extension (PostgreSQL makes it with
-- kpi_text): there the named forms run here (17's and 18's ship them)
UPDATE shard_checks SET remote = current_setting('server_version_num')::int >= 170000,
	why = coalesce(why || '; ', '') || 'postgres_fdw before 17 ships no constant of kpi_text[], an array type outside the extension'
WHERE name IN ('survival: Cox model with named covariates per region',
	'survival: Cox model with entry times and named covariates per region');
-- the cumulative expectations of holdout summaries are compensated double
-- sums: rolled up in another order they may differ in the last bits
UPDATE shard_checks SET tolerance = 1e-12,
	why = coalesce(why || '; ', '') || 'compensated double sums of the expectations, merged in another order'
WHERE name = 'clv: holdout summaries per region, rollup on the coordinator';
-- MRR in a currency (issue 15): the currency forms push down (the currency is
-- a kpi_text, as the time zone) and record it on every shard
INSERT INTO shard_checks (name, aggregates, query, oracle) VALUES
('retention: MRR in a currency per region, float8 and numeric amounts', '{mrr_agg,customer_mrr_agg}',
 $$SELECT region, mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          mrr_agg(customer_text, month, NULL, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_uuid, month, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb
   FROM mrr_snapshots GROUP BY region$$, NULL),
('retention: customer MRR in a currency per region and month, rollup on the coordinator', '{customer_mrr_agg}',
 $$SELECT s::text::jsonb, mrr_summary(s)::text::jsonb
   FROM (SELECT rollup(s) AS s
         FROM (SELECT region, month, customer_mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR') AS s
               FROM mrr_snapshots GROUP BY region, month) x) y$$,
 $$SELECT s::text::jsonb, mrr_summary(s)::text::jsonb
   FROM (SELECT customer_mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR') AS s
         FROM mrr_snapshots) y$$);

-- pipeline: changes between snapshots (each deal of deals as a pair: open at
-- A with a close date 30 days after creation, at B its outcome and close
-- date, its amount 10 % higher) and the forecast; the waterfalls of the
-- regions sum, category by category, to the waterfall of all deals
INSERT INTO shard_checks (name, aggregates, query, oracle) VALUES
('pipeline: waterfall per region', '{pipeline_changes}',
 $$SELECT region, pipeline_changes(amount_num, created_on + 30, 'open', round(amount_num * 1.1, 2),
          closed_on, outcome, '2024-03-01', '2024-06-30')
   FROM deals GROUP BY region$$, NULL),
('pipeline: waterfalls of the regions summed on the coordinator, equal to one step', '{pipeline_changes}',
 $$SELECT c.category, sum(c.deals), sum(c.amount)
   FROM (SELECT region, pipeline_changes(amount_num, created_on + 30, 'open', round(amount_num * 1.1, 2),
                closed_on, outcome, '2024-03-01', '2024-06-30') AS w
         FROM deals GROUP BY region) x, unnest(x.w) c
   GROUP BY c.category ORDER BY c.category$$,
 $$SELECT c.category, c.deals, c.amount
   FROM (SELECT pipeline_changes(amount_num, created_on + 30, 'open', round(amount_num * 1.1, 2),
                closed_on, outcome, '2024-03-01', '2024-06-30') AS w
         FROM deals) x, unnest(x.w) c
   ORDER BY c.category$$),
('pipeline: forecast per region', '{pipeline_forecast}',
 $$SELECT region, (f).deals, (f).pipeline, round((f).expected::numeric, 6), round((f).std_error::numeric, 6)
   FROM (SELECT region, pipeline_forecast(amount_num, probability, segment, 0.25 + 0.25 * length(segment) / 3,
                100) AS f
         FROM deals WHERE outcome = 'open' GROUP BY region) x$$, NULL);
INSERT INTO shard_checks (name, aggregates, query, oracle) VALUES
('pipeline: stored waterfalls rolled up per region, equal to one waterfall', '{rollup}',
 $$SELECT region, rollup(w) FROM waterfall_stored GROUP BY region$$,
 $$SELECT region, pipeline_changes(amount_num, created_on + 30, 'open', round(amount_num * 1.1, 2),
          closed_on, outcome, '2024-03-01', '2024-06-30')
   FROM deals GROUP BY region$$);

-- pipeline: new customers (new_customers_summary keeps every purchase, so
-- summaries per region and month, made on the shards, roll up on the
-- coordinator to the summary of all the rows, to the byte: the customers of
-- mrr_snapshots, new in the quarter of their first paying month; integer and
-- text ids; the time zone a kpi_text literal)
INSERT INTO shard_checks (name, aggregates, query, oracle) VALUES
('pipeline: new customers summaries per region and month, rollup on the coordinator', '{new_customers_agg}',
 $$SELECT s::text::jsonb, (SELECT jsonb_agg(to_jsonb(c)) FROM new_customers(s) c),
          t::text::jsonb, (SELECT jsonb_agg(to_jsonb(c)) FROM new_customers(t) c)
   FROM (SELECT rollup(s) AS s, rollup(t) AS t
         FROM (SELECT region, month,
                      new_customers_agg(customer_id, month, mrr::numeric, '3 months', 90, 'UTC') AS s,
                      new_customers_agg(customer_text, month, mrr::numeric, '1 month', 60, 'UTC') AS t
               FROM mrr_snapshots GROUP BY region, month) x) y$$,
 $$SELECT s::text::jsonb, (SELECT jsonb_agg(to_jsonb(c)) FROM new_customers(s) c),
          t::text::jsonb, (SELECT jsonb_agg(to_jsonb(c)) FROM new_customers(t) c)
   FROM (SELECT new_customers_agg(customer_id, month, mrr::numeric, '3 months', 90, 'UTC') AS s,
                new_customers_agg(customer_text, month, mrr::numeric, '1 month', 60, 'UTC') AS t
         FROM mrr_snapshots) y$$);
INSERT INTO shard_checks (name, aggregates, query, oracle) VALUES
('pipeline: new customers of uuid ids, and in the session time zone, per region', '{new_customers_agg}',
 $$SELECT region, new_customers_agg(customer_uuid, month, mrr::numeric, '1 month', 30, 'UTC')::text::jsonb,
          new_customer_cohorts(new_customers_agg(customer_uuid, month, mrr::numeric, '1 month', 30))::text,
          new_customer_cohorts(new_customers_agg(customer_id, month, mrr::numeric, '1 year', 365))::text,
          new_customer_cohorts(new_customers_agg(customer_text, month, mrr::numeric, '7 days', 7))::text
   FROM mrr_snapshots GROUP BY region$$, NULL),
('pipeline: stored new customers summaries rolled up per region, then on the coordinator', '{rollup}',
 $$SELECT s::text::jsonb, (SELECT jsonb_agg(to_jsonb(c)) FROM new_customers(s) c)
   FROM (SELECT rollup(s) AS s FROM (SELECT region, rollup(s) AS s FROM stored_new_customers GROUP BY region) x) y$$,
 $$SELECT s::text::jsonb, (SELECT jsonb_agg(to_jsonb(c)) FROM new_customers(s) c)
   FROM (SELECT new_customers_agg(customer_id, month, mrr::numeric, '3 months', 90, 'UTC') AS s
         FROM mrr_snapshots) y$$);

-- issue 15: every currency form of the MRR aggregates; pipeline hygiene and
-- lead summaries (one step per region, stored ones rolled up on the shards;
-- their amounts are compensated double sums, compared within 1e-12 through
-- the accessors)
INSERT INTO shard_checks (name, aggregates, query, oracle) VALUES
('retention: MRR in a currency, every id type, form and amount type, per region', '{mrr_agg,customer_mrr_agg}',
 $$SELECT region,
          mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          mrr_agg(customer_id, month, NULL, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          mrr_agg(customer_id, month, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          mrr_agg(customer_id, month, NULL, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          mrr_agg(customer_id::smallint, month, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          mrr_agg(customer_id::smallint, month, NULL, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          mrr_agg(customer_id::smallint, month, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          mrr_agg(customer_id::smallint, month, NULL, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          mrr_agg(customer_id::integer, month, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          mrr_agg(customer_id::integer, month, NULL, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          mrr_agg(customer_id::integer, month, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          mrr_agg(customer_id::integer, month, NULL, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          mrr_agg(customer_text, month, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          mrr_agg(customer_text, month, NULL, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          mrr_agg(customer_text, month, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          mrr_agg(customer_text, month, NULL, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          mrr_agg(customer_uuid, month, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          mrr_agg(customer_uuid, month, NULL, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          mrr_agg(customer_uuid, month, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          mrr_agg(customer_uuid, month, NULL, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_id, month, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_id, month, NULL, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_id, month, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_id, month, NULL, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_id::smallint, month, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_id::smallint, month, NULL, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_id::smallint, month, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_id::smallint, month, NULL, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_id::integer, month, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_id::integer, month, NULL, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_id::integer, month, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_id::integer, month, NULL, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_text, month, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_text, month, NULL, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_text, month, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_text, month, NULL, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_uuid, month, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_uuid, month, NULL, mrr, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_uuid, month, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb,
          customer_mrr_agg(customer_uuid, month, NULL, mrr::numeric, '2024-01-01', '1 month', 15, 'UTC', 'EUR')::text::jsonb
   FROM mrr_snapshots GROUP BY region$$, NULL),
('pipeline: hygiene summaries per region', '{pipeline_hygiene_agg}',
 $$SELECT region, pipeline_hygiene_agg(amount, created_at, closed_at, outcome = 'open', closed_on IS NOT NULL,
                  ARRAY[segment = 'smb', probability > 0.3], timestamptz '2024-12-01 00:00+00', 30)::text,
          pipeline_hygiene_agg(amount_num, created_at, closed_at, outcome = 'open', closed_on IS NOT NULL,
                  ARRAY[segment = 'smb', probability > 0.3], timestamptz '2024-12-01 00:00+00', 30)::text,
          pipeline_hygiene_agg(ARRAY[segment = 'smb', probability > 0.3])::text
   FROM deals GROUP BY region$$, NULL),
('pipeline: lead summaries per region', '{lead_agg}',
 $$SELECT region, lead_agg(created_at, responded_at, opportunity, won, activities)::text FROM leads GROUP BY region$$, NULL),
('pipeline: stored hygiene and lead summaries, rollup per region', '{rollup}',
 $$SELECT region, hygiene_records(h), hygiene_amount(h), stale_deals(h), stale_amount(h), complete_amount(h),
          amount_without_next_step(h), amount_without_close_date(h), field_filled_counts(h),
          leads(l), opportunities(l), median_speed_to_lead(l), average_activities_per_deal(l)
   FROM (SELECT region, rollup(s) AS h FROM hygiene_stored GROUP BY region) x
        JOIN (SELECT region, rollup(s) AS l FROM lead_stored GROUP BY region) y USING (region)$$,
 $$SELECT region, hygiene_records(h), hygiene_amount(h), stale_deals(h), stale_amount(h), complete_amount(h),
          amount_without_next_step(h), amount_without_close_date(h), field_filled_counts(h),
          leads(l), opportunities(l), median_speed_to_lead(l), average_activities_per_deal(l)
   FROM (SELECT region, pipeline_hygiene_agg(amount, created_at, closed_at, outcome = 'open', closed_on IS NOT NULL,
                        ARRAY[segment = 'smb', probability > 0.3], timestamptz '2024-12-01 00:00+00', 30) AS h,
                (SELECT lead_agg(created_at, responded_at, opportunity, won, activities) FROM leads
                 WHERE leads.region = deals.region) AS l
         FROM deals GROUP BY region) z$$);
UPDATE shard_checks SET tolerance = 1e-12,
	why = coalesce(why || '; ', '') || 'compensated double sums of the amounts, merged in another order'
WHERE name = 'pipeline: stored hygiene and lead summaries, rollup per region';

-- issue 14: the penalized fits and standard errors, holdout summaries of
-- Pareto/NBD models
INSERT INTO shard_checks (name, aggregates, query, oracle) VALUES
('clv: penalized fits and standard errors per region', '{bgnbd_fit,bgnbd_std_errors,pareto_nbd_fit,pareto_nbd_std_errors,gamma_gamma_fit,gamma_gamma_std_errors,bgbb_fit,bgbb_std_errors}',
 $$SELECT region, bgnbd_fit(s, 0.01), bgnbd_std_errors(s, 0.01), pareto_nbd_fit(s, 0.01), pareto_nbd_std_errors(s, 0.01),
          gamma_gamma_fit(s, 0.01) FILTER (WHERE monetary_value(s) > 0),
          gamma_gamma_std_errors(s, 0.01) FILTER (WHERE monetary_value(s) > 0),
          bgbb_fit(frequency(s), frequency(s), frequency(s) + 10, customer_id % 3 + 1, 0.01),
          bgbb_std_errors(frequency(s), frequency(s), frequency(s) + 10, customer_id % 3 + 1, 0.01)
   FROM rfm GROUP BY region$$, NULL),
('clv: holdout summaries of a Pareto/NBD model per region', '{holdout_agg}',
 $$SELECT region, holdout_agg(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), s, customer_id % 3, 39),
          holdout_agg(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), s, ARRAY[customer_id % 39 + 0.5]::float8[], 1, 39)
   FROM rfm GROUP BY region$$, NULL);
UPDATE shard_checks SET citus_split = false,
	why = coalesce(why || '; ', '') || 'Citus: a one-step fit over every row, whose state is internal'
WHERE name = 'clv: penalized fits and standard errors per region';

-- issue 14: holdout summaries tracked over the calibration period too
INSERT INTO shard_checks (name, aggregates, query, oracle) VALUES
('clv: holdout summaries tracked over the calibration period per region', '{holdout_agg}',
 $$SELECT region,
          holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), s, ARRAY[-(customer_age(s) * (customer_id % 5)::float8 / 5)]::float8[],
                      ARRAY[customer_id % 39 + 0.5]::float8[], 1, 13, 39),
          holdout_agg(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), s, ARRAY[-(customer_age(s) * (customer_id % 5)::float8 / 5)]::float8[],
                      ARRAY[customer_id % 39 + 0.5]::float8[], 1, 13, 39)
   FROM rfm GROUP BY region$$, NULL),
('clv: holdout summaries tracked over the calibration period, rollup on the coordinator', '{holdout_agg}',
 $$SELECT k.period, k.actual, k.actual_cumulative, round(k.expected_cumulative::numeric, 9)
   FROM (SELECT rollup(t) AS t
         FROM (SELECT region, holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), s,
                          ARRAY[-(customer_age(s) * (customer_id % 5)::float8 / 5)]::float8[],
                          ARRAY[customer_id % 39 + 0.5]::float8[], 1, 13, 39) AS t
               FROM rfm GROUP BY region) x) y, holdout_tracking(y.t) k$$,
 $$SELECT k.period, k.actual, k.actual_cumulative, round(k.expected_cumulative::numeric, 9)
   FROM (SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), s,
                    ARRAY[-(customer_age(s) * (customer_id % 5)::float8 / 5)]::float8[],
                    ARRAY[customer_id % 39 + 0.5]::float8[], 1, 13, 39) AS t
         FROM rfm) y, holdout_tracking(y.t) k$$);
