--
-- funnel_summary keeps the times between steps exactly, up to 10,000 per
-- step pair (format 2): funnel_median_time and funnel_time_quantile are then
-- percentile_cont's of the same times, also after rollup while the union
-- fits; beyond, the histogram, within 1 %.  Expected values: PostgreSQL's
-- own percentile_cont over the same paths' differences.  Also the tidy
-- outputs: funnel_steps with step names, rate_lower / rate_upper, and
-- stage_matrix / stage_durations_table.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';
SELECT setseed(0.5);

-- four sources, 33 to 38 entities each (142 in all), three steps; step gaps drawn to the
-- microsecond (not on any histogram bucket)
CREATE TEMP TABLE src_paths AS
SELECT src, e, ARRAY[t1, t2, t3] AS p, t2 - t1 AS d2, t3 - t2 AS d3
FROM (SELECT src, e, t1, t2, t2 + floor(random() * 2e11) * interval '1 microsecond' AS t3
	FROM (SELECT src, e, t1, t1 + floor(random() * 2e11) * interval '1 microsecond' AS t2
		FROM (SELECT src, e, timestamptz '2025-01-01' + e * interval '1 hour' AS t1
			FROM generate_series(1, 4) src, generate_series(1, 30 + src * 2 + (src % 2)) e) a) b) c;
CREATE TEMP TABLE src_summaries AS
SELECT src, funnel_agg(p) AS s FROM src_paths GROUP BY src;

-- each source: the median and quantiles are percentile_cont's to the microsecond
SELECT x.src, count(*) AS entities,
	bool_and(funnel_median_time(x.s, 2) = m2) AS median_2,
	bool_and(funnel_median_time(x.s, 3) = m3) AS median_3,
	bool_and(funnel_time_quantile(x.s, 3, 0.1) = q10) AS q10,
	bool_and(funnel_time_quantile(x.s, 3, 0.9) = q90) AS q90,
	bool_and(funnel_time_is_exact(x.s, 2) AND funnel_time_is_exact(x.s, 3)) AS exact
FROM src_summaries x JOIN (SELECT src,
		percentile_cont(0.5) WITHIN GROUP (ORDER BY d2) AS m2,
		percentile_cont(0.5) WITHIN GROUP (ORDER BY d3) AS m3,
		percentile_cont(0.1) WITHIN GROUP (ORDER BY d3) AS q10,
		percentile_cont(0.9) WITHIN GROUP (ORDER BY d3) AS q90
	FROM src_paths GROUP BY src) pc USING (src)
JOIN src_paths USING (src)
GROUP BY x.src ORDER BY x.src;

-- the rollup of the four sources: still exact, percentile_cont of all 142
SELECT funnel_median_time(r, 2) = (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d2) FROM src_paths) AS median_2,
	funnel_median_time(r, 3) = (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d3) FROM src_paths) AS median_3,
	funnel_time_quantile(r, 2, 0.25) = (SELECT percentile_cont(0.25) WITHIN GROUP (ORDER BY d2) FROM src_paths) AS q25,
	funnel_time_quantile(r, 2, 0) = (SELECT min(d2) FROM src_paths) AS q0,
	funnel_time_quantile(r, 2, 1) = (SELECT max(d2) FROM src_paths) AS q1,
	funnel_time_is_exact(r, 2) AS exact_2, funnel_time_is_exact(r, 3) AS exact_3,
	funnel_time_is_exact(r, 1) AS step_1,
	r::text = (SELECT funnel_agg(p) FROM src_paths)::text AS same_as_one_pass
FROM (SELECT rollup(s) AS r FROM src_summaries) x;

-- by hand: times 1, 2, 3, 10 minutes: the median of an even count is the mean
-- of the middle two, 2.5 min = 00:02:30; the 0.9 quantile is at position
-- 0.9 * 3 = 2.7: 3 min + 0.7 * 7 min = 7.9 min = 00:07:54
SELECT funnel_median_time(s, 2), funnel_time_quantile(s, 2, 0.9), funnel_time_is_exact(s, 2)
FROM (SELECT funnel_agg(ARRAY[t, t + m * interval '1 minute']) AS s
	FROM (VALUES (timestamptz '2025-01-01', 1), ('2025-01-02', 2), ('2025-01-03', 3), ('2025-01-04', 10)) v(t, m)) x;
-- 7 ms over three thirds: 2.333333 ms, rounded to the microsecond as
-- percentile_cont rounds it
SELECT funnel_time_quantile(s, 2, 1.0 / 3) AS mine,
	(SELECT percentile_cont(1.0 / 3) WITHIN GROUP (ORDER BY d) FROM (VALUES (interval '0'), ('7 ms')) v(d)) AS percentile_cont
FROM (SELECT funnel_agg(ARRAY[t, t + d]) AS s
	FROM (VALUES (timestamptz '2025-01-01', interval '0'), ('2025-01-01', '7 ms')) v(t, d)) x;

-- the cap: 10,000 times are exact; 10,001 are a histogram, within 1 % of
-- percentile_cont; two exact summaries of 6,000 roll up into a histogram
CREATE TEMP TABLE cap_paths AS
SELECT e, ARRAY[t, t + d] AS p, d
FROM (SELECT e, timestamptz '2025-01-01' AS t, (1000 + e * 37 % 100003) * interval '1 ms' AS d
	FROM generate_series(1, 12000) e) x;
SELECT n, funnel_time_is_exact(s, 2) AS exact,
	funnel_median_time(s, 2) = pc AS equal,
	abs(extract(epoch FROM funnel_median_time(s, 2)) / extract(epoch FROM pc) - 1) <= 0.01 AS within_1pct
FROM (SELECT 10000 AS n, funnel_agg(p) AS s, percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS pc
		FROM cap_paths WHERE e <= 10000
	UNION ALL
	SELECT 10001, funnel_agg(p), percentile_cont(0.5) WITHIN GROUP (ORDER BY d)
		FROM cap_paths WHERE e <= 10001) x ORDER BY n;
SELECT funnel_time_is_exact(r, 2) AS exact,
	abs(extract(epoch FROM funnel_median_time(r, 2)) /
		extract(epoch FROM (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) FROM cap_paths)) - 1) <= 0.01 AS within_1pct,
	r::text = (SELECT funnel_agg(p) FROM cap_paths)::text AS same_as_one_pass
FROM (SELECT rollup(s) AS r FROM (SELECT funnel_agg(p) AS s FROM cap_paths GROUP BY e % 2) g) x;

-- format 1 still reads: histograms (approximate) and exact empty pairs,
-- with the same counts (binary format 1: sql/conversion.sql)
SELECT s, funnel_time_is_exact(s, 2) AS exact, funnel_median_time(s, 2),
	funnel_median_time(s, 2) = funnel_median_time(s::text::funnel_summary, 2) AS same_after_round_trip
FROM (VALUES ('{"version":1,"steps":2,"entities":3,"reached":[3,3],"times":[[[692,2],[1102,1]]]}'::funnel_summary),
	('{"version":1,"steps":2,"entities":3,"reached":[3,1],"times":[[]]}')) v(s);
SELECT funnel_summary_send(s) = '\x02'::bytea || int4send(2) || int8send(2) || int8send(2) || int8send(2)
		|| int4send(2) || int8send(0) || int8send(5) AS exact_binary
FROM (SELECT '{"version":2,"steps":2,"entities":2,"reached":[2,2],"times":[{"exact":[0,5]}]}'::funnel_summary AS s) x;
-- format 2 literals: bad exact lists are 22P02
SELECT '{"version":2,"steps":2,"entities":2,"reached":[2,2],"times":[{"exact":[5,0]}]}'::funnel_summary;
SELECT '{"version":2,"steps":2,"entities":2,"reached":[2,1],"times":[{"exact":[0,5]}]}'::funnel_summary;
SELECT '{"version":2,"steps":2,"entities":2,"reached":[2,2],"times":[{"exact":[-1]}]}'::funnel_summary;
SELECT '{"version":2,"steps":2,"entities":2,"reached":[2,2],"times":[[]]}'::funnel_summary;

-- funnel_steps with step names: the unnamed form's columns, the step's
-- name, and whether its median is exact; a quoted level still picks the
-- unnamed form (the named one has no default level)
SELECT n.step, n.step_name, n.entities, n.median_time_exact,
	(n.conversion_from_previous, n.previous_lower, n.previous_upper, n.conversion_from_first,
	 n.first_lower, n.first_upper, n.median_time_from_previous) IS NOT DISTINCT FROM
	(u.conversion_from_previous, u.previous_lower, u.previous_upper, u.conversion_from_first,
	 u.first_lower, u.first_upper, u.median_time_from_previous) AS same_as_unnamed
FROM (SELECT funnel_agg(p) AS s FROM src_paths) x,
	funnel_steps(x.s, ARRAY['visit', 'signup', 'purchase'], 0.95) n
	JOIN funnel_steps(x.s) u USING (step)
ORDER BY n.step;
-- one entity at level 3 of 3, 90 %: every step 1 of 1, Wilson lower bound
-- 1 / (1 + z^2) = 0.269866 with z = 1.644854 (by hand)
SELECT count(*) FROM funnel_steps((SELECT funnel_agg(3, 3)), '0.9');
SELECT step, step_name, entities, round(previous_lower::numeric, 6) AS previous_lower
FROM funnel_steps((SELECT funnel_agg(3, 3)), ARRAY['a', 'b', 'c'], 0.9);
SELECT * FROM funnel_steps('{"version":2,"steps":2,"entities":1,"reached":[1,0],"times":[{"exact":[]}]}', ARRAY['a'], 0.95);
SELECT * FROM funnel_steps('{"version":2,"steps":2,"entities":1,"reached":[1,0],"times":[{"exact":[]}]}', ARRAY['a', NULL], 0.95);

-- rate_lower / rate_upper: rate_ci's bounds.  Wilson interval of 4 in 10 at
-- 95 % (z = 1.959964): (0.168180, 0.687326), by hand from
-- (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)
SELECT round(rate_lower(proportion(4, 10))::numeric, 6) AS lower,
	round(rate_upper(proportion(4, 10))::numeric, 6) AS upper,
	rate_lower(proportion(4, 10), 0.9) = (rate_ci(proportion(4, 10), 0.9)).lower AS same_lower_90,
	rate_upper(proportion(4, 10), 0.9) = (rate_ci(proportion(4, 10), 0.9)).upper AS same_upper_90,
	rate_lower(proportion(0, 0)) IS NULL AS no_trials;
SELECT round(rate_lower(funnel_conversion_proportion(s, 1, 3))::numeric, 6) AS lower,
	rate_upper(funnel_conversion_proportion(s, 1, 3)) = (SELECT first_upper FROM funnel_steps(s) WHERE step = 3) AS upper
FROM (SELECT funnel_agg(u % 4, 3) AS s FROM generate_series(1, 40) u) x;

-- stage_matrix and stage_durations_table: the rows unnest gives, in order
CREATE TEMP TABLE hist(deal text, stage text, entered_at timestamptz);
INSERT INTO hist VALUES
	('d1', 'lead', '2025-01-01'), ('d1', 'demo', '2025-01-03'), ('d1', 'won', '2025-01-10'),
	('d2', 'lead', '2025-01-02'), ('d2', 'demo', '2025-01-06'), ('d2', 'lost', '2025-01-07'),
	('d3', 'lead', '2025-01-05');
SELECT * FROM stage_matrix((SELECT stage_conversions(deal, stage, entered_at) FROM hist));
SELECT (SELECT array_agg(m ORDER BY o) FROM stage_matrix((SELECT stage_conversions(deal, stage, entered_at) FROM hist)) WITH ORDINALITY m(a, b, c, d, e, o))::text =
	(SELECT array_agg(c ORDER BY o) FROM unnest((SELECT stage_conversions(deal, stage, entered_at) FROM hist)) WITH ORDINALITY c(a, b, cc, d, e, o))::text AS same_as_unnest;
SELECT * FROM stage_durations_table((SELECT stage_durations(stage, entered_at) FROM hist WHERE deal = 'd1'));
SELECT count(*) FROM stage_matrix(NULL);
