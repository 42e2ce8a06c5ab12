-- funnel_breakdown: the property value a funnel broken down by an event
-- property attributes each entity to (PostHog's breakdown attribution:
-- first_touch, last_touch, step_N), and the tidy rows per value through
-- funnel_agg + funnel_steps.  Expected values derived by hand in the
-- comments, and PostHog's own cases ported with their expected outputs.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
\pset null '(null)'

-- Hand-built log: window 1 hour, steps visit, signup, buy, exclusion
-- 'cancel'; src the event's property (NULL = none).
CREATE TABLE fb_events (u int, ts timestamptz, ev text, src text);
INSERT INTO fb_events VALUES
	-- u1: a second visit restarts the chain (funnel_path {10:10, 10:20,
	-- 10:30}); first touch = the earliest step event (10:00 ads), not the
	-- chain's step 1 (10:10 seo); last touch = the latest step event with a
	-- value (the buy has none: 10:20 mail); step_3 = the buy's NULL
	(1, '2025-01-01 10:00', 'visit', 'ads'),
	(1, '2025-01-01 10:10', 'visit', 'seo'),
	(1, '2025-01-01 10:20', 'signup', 'mail'),
	(1, '2025-01-01 10:30', 'buy', NULL),
	-- u2: '' is a value (not NULL); the buy at 13:00 is beyond the window
	-- (chain {11:00, 11:30, NULL}): step_3 NULL, not reached; last touch is
	-- the buy all the same (PostHog: the latest step event, in a chain or not)
	(2, '2025-01-01 11:00', 'visit', ''),
	(2, '2025-01-01 11:30', 'signup', 'seo'),
	(2, '2025-01-01 13:00', 'buy', 'ads'),
	-- u3: two visits at one instant: the least value, 'a', for first touch
	-- and step_1, whichever row comes first
	(3, '2025-01-01 09:00', 'visit', 'b'),
	(3, '2025-01-01 09:00', 'visit', 'a'),
	(3, '2025-01-01 09:05', 'signup', 'x'),
	-- u4: no value anywhere: NULL for every attribution
	(4, '2025-01-01 08:00', 'visit', NULL),
	(4, '2025-01-01 08:10', 'signup', NULL),
	-- u5: the cancel at 12:10 ends the chain of 12:00 (the 12:20 signup
	-- continues nothing); the chain of 12:30 completes: step_1 mail, step_2
	-- mail2, step_3 buy; the cancel's own value is no touch (not a step)
	(5, '2025-01-01 12:00', 'visit', 'ads'),
	(5, '2025-01-01 12:10', 'cancel', 'zzz'),
	(5, '2025-01-01 12:20', 'signup', 'seo'),
	(5, '2025-01-01 12:30', 'visit', 'mail'),
	(5, '2025-01-01 12:40', 'signup', 'mail2'),
	(5, '2025-01-01 12:50', 'buy', 'buy'),
	-- u6: only a signup (no step 1): funnel_path reaches no step; touches
	-- still read its step events (as PostHog's argMinIf), step_1 NULL
	(6, '2025-01-01 07:00', 'signup', 'solo');

SELECT u, funnel_path(interval '1 hour', 'default', ts, ev = 'cancel',
		ev = 'visit', ev = 'signup', ev = 'buy') AS path,
	funnel_breakdown(interval '1 hour', 'default', 'first_touch', ts, src, ev = 'cancel',
		ev = 'visit', ev = 'signup', ev = 'buy') AS first_touch,
	funnel_breakdown(interval '1 hour', 'default', 'last_touch', ts, src, ev = 'cancel',
		ev = 'visit', ev = 'signup', ev = 'buy') AS last_touch,
	funnel_breakdown(interval '1 hour', 'default', 'step_1', ts, src, ev = 'cancel',
		ev = 'visit', ev = 'signup', ev = 'buy') AS step_1,
	funnel_breakdown(interval '1 hour', 'default', 'step_2', ts, src, ev = 'cancel',
		ev = 'visit', ev = 'signup', ev = 'buy') AS step_2,
	funnel_breakdown(interval '1 hour', 'default', 'step_3', ts, src, ev = 'cancel',
		ev = 'visit', ev = 'signup', ev = 'buy') AS step_3
FROM fb_events GROUP BY u ORDER BY u;

-- Ties do not depend on the input order: the same with the rows reversed
SELECT u, funnel_breakdown(interval '1 hour', 'default', 'first_touch', ts, src, false,
		ev = 'visit', ev = 'signup' ORDER BY ts DESC, src DESC) AS first_touch,
	funnel_breakdown(interval '1 hour', 'default', 'step_1', ts, src, false,
		ev = 'visit', ev = 'signup' ORDER BY ts DESC, src DESC) AS step_1
FROM fb_events WHERE u = 3 GROUP BY u;

-- The mode is funnel_path's: under strict_order, u1's signup at 10:20
-- follows two visits, fine, but u5's cancel (not a step, nor excluded here)
-- ends the funnel at 12:10 (chain {12:00}): step_1 ads, step_2 NULL
SELECT u, funnel_path(interval '1 hour', 'strict_order', ts, false,
		ev = 'visit', ev = 'signup', ev = 'buy') AS path,
	funnel_breakdown(interval '1 hour', 'strict_order', 'step_1', ts, src, false,
		ev = 'visit', ev = 'signup', ev = 'buy') AS step_1,
	funnel_breakdown(interval '1 hour', 'strict_order', 'step_2', ts, src, false,
		ev = 'visit', ev = 'signup', ev = 'buy') AS step_2
FROM fb_events WHERE u IN (1, 5) GROUP BY u ORDER BY u;

-- No rows: NULL, as funnel_path
SELECT funnel_breakdown(interval '1 hour', 'default', 'first_touch', ts, src, false, ev = 'visit')
FROM fb_events WHERE u < 0;

-- The tidy rows: one scan per entity for both aggregates, then per value
-- funnel_agg + funnel_steps (LATERAL).  First touch of the visit, signup,
-- buy funnel (u6 reaches no step: it counts among the entities of 'solo'
-- but at no step).  By hand: ads: u1 (3 steps) and u5 (3 steps): 2, 2, 2,
-- conversion 1 at each step; '' u2 (2 steps); a u3 (2 steps); NULL u4
-- (2 steps).  Medians from the previous step: ads 10 min (u1 10:10->10:20,
-- u5 12:30->12:40) and 10 min (both 10 min to the buy).
SELECT source, s.step, s.entities, round(s.conversion_from_previous::numeric, 4) AS from_previous,
	round(s.previous_lower::numeric, 4) AS lower, round(s.previous_upper::numeric, 4) AS upper,
	round(s.conversion_from_first::numeric, 4) AS from_first, s.median_time_from_previous
FROM (SELECT source, funnel_agg(path) AS f
	FROM (SELECT u,
			funnel_breakdown(interval '1 hour', 'default', 'first_touch', ts, src, ev = 'cancel',
				ev = 'visit', ev = 'signup', ev = 'buy') AS source,
			funnel_path(interval '1 hour', 'default', ts, ev = 'cancel',
				ev = 'visit', ev = 'signup', ev = 'buy') AS path
		FROM fb_events GROUP BY u) e
	GROUP BY source) b,
	LATERAL funnel_steps(b.f) s
ORDER BY source COLLATE "C" NULLS LAST, s.step;

-- The Wilson bounds above, independently: 2 of 2 at 95 % is
-- [0.3424, 1] (z = 1.959964: (1 + z^2/4 - z sqrt(z^2/16)) / (1 + z^2/2)
-- = 2 / (2 + z^2) = 0.34238), 1 of 1 [0.2065, 1] (1 / (1 + z^2) = 0.20654),
-- 0 of 1 [0, 0.7935] (z^2 / (1 + z^2) = 0.79346).

-- all_events (PostHog: the whole funnel within the events of one value) is
-- GROUP BY entity, property with funnel_path: u5's events by value, where
-- only mail has a visit, and no value has two steps
SELECT src, funnel_path(interval '1 hour', 'default', ts, ev = 'cancel',
		ev = 'visit', ev = 'signup', ev = 'buy') AS path
FROM fb_events WHERE u = 5 GROUP BY u, src ORDER BY src;

-- More than 64 steps: 70 steps, one event per step at minute k with value
-- 'p' || k (step k + 1 of the steps' second mask word beyond 64)
CREATE TABLE fb_steps70 AS
SELECT k, timestamptz '2025-01-01' + k * interval '1 minute' AS ts, 'p' || k AS src,
	(SELECT array_agg(j = k ORDER BY j) FROM generate_series(1, 70) j) AS steps
FROM generate_series(1, 70) k;
SELECT funnel_breakdown(interval '1 day', 'default', 'step_65', ts, src, false, VARIADIC steps) AS step_65,
	funnel_breakdown(interval '1 day', 'default', 'step_70', ts, src, false, VARIADIC steps) AS step_70,
	funnel_breakdown(interval '1 day', 'default', 'last_touch', ts, src, false, VARIADIC steps) AS last_touch,
	funnel_breakdown(interval '1 day', 'default', 'first_touch', ts, src, false, VARIADIC steps) AS first_touch
FROM fb_steps70;

-- Errors: the attribution names a step of the funnel (22023), is known (22023)
SELECT funnel_breakdown(interval '1 hour', 'default', 'step_4', ts, src, false,
	ev = 'visit', ev = 'signup', ev = 'buy') FROM fb_events;
SELECT funnel_breakdown(interval '1 hour', 'default', 'step_0', ts, src, false,
	ev = 'visit', ev = 'signup', ev = 'buy') FROM fb_events;
SELECT funnel_breakdown(interval '1 hour', 'default', 'all_events', ts, src, false,
	ev = 'visit', ev = 'signup', ev = 'buy') FROM fb_events;
SELECT funnel_breakdown(interval '1 hour', 'default', NULL, ts, src, false, ev = 'visit') FROM fb_events;

-- PostHog's cases: posthog/hogql_queries/insights/funnels/test/breakdown_cases.py
-- (PostHog/posthog), test_funnel_step_breakdown_with_first_touch_attribution,
-- _with_last_touch_attribution, _with_step_attribution (breakdown_attribution_value
-- "0": our step_1) and _with_step_one_attribution ("1": our step_2); sign up
-- then buy, window 7 days, breakdown $browser.  PostHog shows a missing
-- property as '': coalesce(value, '') here.  Expected per value: entities at
-- sign up, at buy, median conversion time in seconds:
--   first_touch: '' 1 1 3600; 0 1 1 3600; Chrome 1 1 3600; Mac 1 1 3600; Safari 1 1 86400
--   last_touch:  '' 1 1 3600; Alakazam 1 1 3600; Chrome 1 1 3600; Mac 1 1 3600; Safari 1 1 86400
--   step "0":    '' 1 1 86400; 0 1 1 3600; Chrome 1 1 3600; Mac 1 1 3600 (4 persons)
--   step "1":    '' 2 2 3600; Safari 1 1 86400; alakazam 1 1 3600 (4 persons)
CREATE TABLE fb_posthog (person text, ts timestamptz, ev text, browser text, case_set text);
INSERT INTO fb_posthog
SELECT person, ts, ev, browser, c
FROM (VALUES
	('person1', timestamptz '2020-01-01 12:00', 'sign up', 'Chrome'),
	('person1', '2020-01-01 13:00', 'buy', NULL),
	('person2', '2020-01-01 13:00', 'sign up', NULL),
	('person2', '2020-01-02 13:00', 'buy', 'Safari'),
	('person3', '2020-01-02 14:00', 'sign up', 'Mac'),
	('person3', '2020-01-02 15:00', 'buy', NULL),
	('person4', '2020-01-02 15:00', 'sign up', '0'),
	('person4', '2020-01-02 16:00', 'buy', 'alakazam'),
	('person5', '2020-01-02 15:00', 'sign up', NULL),
	('person5', '2020-01-02 16:00', 'buy', NULL)) v(person, ts, ev, browser),
	(VALUES ('touch'), ('step')) c(c)
-- the last-touch case spells person4's buy 'Alakazam'; the step cases have no person5
WHERE NOT (c = 'step' AND person = 'person5');
CREATE TABLE fb_posthog_last AS
SELECT person, ts, ev, CASE WHEN browser = 'alakazam' THEN 'Alakazam' ELSE browser END AS browser
FROM fb_posthog WHERE case_set = 'touch';

CREATE FUNCTION fb_posthog_case(attribution text, last_case boolean)
RETURNS TABLE (breakdown text, step integer, entities bigint, median_seconds double precision)
LANGUAGE sql AS $$
	SELECT b.v, s.step, s.entities, extract(epoch FROM s.median_time_from_previous)::float8
	FROM (SELECT coalesce(v, '') AS v, funnel_agg(path) AS f
		FROM (SELECT person,
				funnel_breakdown(interval '7 days', 'default', attribution, ts, browser, false,
					ev = 'sign up', ev = 'buy') AS v,
				funnel_path(interval '7 days', 'default', ts, false, ev = 'sign up', ev = 'buy') AS path
			FROM (SELECT person, ts, ev, browser FROM fb_posthog
				WHERE NOT last_case AND case_set = CASE WHEN attribution LIKE 'step%' THEN 'step' ELSE 'touch' END
				UNION ALL SELECT person, ts, ev, browser FROM fb_posthog_last WHERE last_case) e
			GROUP BY person) p
		GROUP BY 1) b,
		LATERAL funnel_steps(b.f) s
	ORDER BY b.v COLLATE "C", s.step
$$;
SELECT 'first_touch' AS attribution, * FROM fb_posthog_case('first_touch', false);
SELECT 'last_touch' AS attribution, * FROM fb_posthog_case('last_touch', true);
SELECT 'step_1' AS attribution, * FROM fb_posthog_case('step_1', false);
SELECT 'step_2' AS attribution, * FROM fb_posthog_case('step_2', false);

-- Plain SQL, the first touch an analyst would write, equals funnel_breakdown
-- over a random log with ties and NULLs (and step_N the least value among
-- the step-N events at funnel_path's step-N timestamp), for every mode
-- Uniform draws in [0, 1) from a hash of their key, so that the data are
-- the same on every PostgreSQL version (random() after setseed() draws other
-- numbers before 15; hash functions do not change between versions)
CREATE FUNCTION pg_temp.uniform(key bigint) RETURNS double precision LANGUAGE sql IMMUTABLE
AS $$ SELECT (hashint8extended(key, 0) & 9007199254740991)::float8 / 9007199254740992 $$;
CREATE TABLE fb_random AS
SELECT i, i % 300 AS u,
	timestamptz '2025-01-01' + floor(pg_temp.uniform(4 * i) * 600) * interval '1 minute' AS ts,
	1 + floor(pg_temp.uniform(4 * i + 1) * 4)::int AS step,
	CASE WHEN pg_temp.uniform(4 * i + 2) < 0.2 THEN NULL
		ELSE chr(97 + floor(pg_temp.uniform(4 * i + 3) * 5)::int) END AS src
FROM generate_series(1, 6000) i;
WITH m(mode) AS (VALUES ('default'), ('strict_order'), ('strict_increase'), ('strict_once'),
		('strict_deduplication'), ('strict_once, strict_increase')),
per AS (
	SELECT m.mode, r.u,
		funnel_path(interval '1 hour', m.mode, r.ts, r.step = 4, r.step = 1, r.step = 2, r.step = 3) AS path,
		funnel_breakdown(interval '1 hour', m.mode, 'first_touch', r.ts, r.src, r.step = 4,
			r.step = 1, r.step = 2, r.step = 3) AS first_touch,
		funnel_breakdown(interval '1 hour', m.mode, 'last_touch', r.ts, r.src, r.step = 4,
			r.step = 1, r.step = 2, r.step = 3) AS last_touch,
		funnel_breakdown(interval '1 hour', m.mode, 'step_2', r.ts, r.src, r.step = 4,
			r.step = 1, r.step = 2, r.step = 3) AS step_2,
		(array_agg(r.src ORDER BY r.ts, r.src COLLATE "C") FILTER (WHERE r.src IS NOT NULL AND r.step <= 3))[1] AS sql_first,
		(array_agg(r.src ORDER BY r.ts DESC, r.src COLLATE "C") FILTER (WHERE r.src IS NOT NULL AND r.step <= 3))[1] AS sql_last
	FROM m, fb_random r GROUP BY m.mode, r.u
)
SELECT mode, count(*) AS entities,
	count(*) FILTER (WHERE first_touch IS NOT DISTINCT FROM sql_first) AS first_equal,
	count(*) FILTER (WHERE last_touch IS NOT DISTINCT FROM sql_last) AS last_equal,
	count(*) FILTER (WHERE step_2 IS NOT DISTINCT FROM (
		SELECT min(r.src COLLATE "C") FROM fb_random r
		WHERE r.u = per.u AND r.step = 2 AND r.ts = per.path[2])) AS step_2_equal,
	count(*) FILTER (WHERE path[2] IS NOT NULL) AS reached_2
FROM per GROUP BY mode ORDER BY mode;

-- Unordered funnels (mode 'unordered'): step_N is the event of the N-th
-- step completed in the winning window, as funnel_path reports it.
-- Entity 1: purchase 10:00 (ad), visit 10:10 (mail), signup 10:20
-- (direct): all three within the hour, completed in that order, so
-- step_1 = ad, step_2 = mail, step_3 = direct; first touch ad, last direct.
-- Entity 2: signup 10:00 (x), visit 12:00 (y), purchase 12:30 (z): the
-- best window (2 steps) starts at 12:00, so step_1 = y, step_2 = z,
-- step_3 NULL; first touch x (the earliest step event, in the chain or
-- not), last touch z.
-- Entity 3: purchase (p) and visit (v) at one instant, the purchase row
-- first: the steps of one instant are completed in step order, so step_1 =
-- v and step_2 = p whatever the row order; first and last touch are both
-- the least value at that instant, p.
CREATE TABLE fb_unordered (u int, ts timestamptz, event text, src text);
INSERT INTO fb_unordered VALUES
	(1, '2025-03-01 10:00+00', 'purchase', 'ad'), (1, '2025-03-01 10:10+00', 'visit', 'mail'),
	(1, '2025-03-01 10:20+00', 'signup', 'direct'),
	(2, '2025-03-01 10:00+00', 'signup', 'x'), (2, '2025-03-01 12:00+00', 'visit', 'y'),
	(2, '2025-03-01 12:30+00', 'purchase', 'z'),
	(3, '2025-03-01 10:00+00', 'purchase', 'p'), (3, '2025-03-01 10:00+00', 'visit', 'v');
SELECT u, window_funnel(interval '1 hour', 'unordered', ts, event = 'visit', event = 'signup', event = 'purchase') AS level,
	funnel_breakdown(interval '1 hour', 'unordered', 'step_1', ts, src, false,
		event = 'visit', event = 'signup', event = 'purchase') AS step_1,
	funnel_breakdown(interval '1 hour', 'unordered', 'step_2', ts, src, false,
		event = 'visit', event = 'signup', event = 'purchase') AS step_2,
	funnel_breakdown(interval '1 hour', 'unordered', 'step_3', ts, src, false,
		event = 'visit', event = 'signup', event = 'purchase') AS step_3,
	funnel_breakdown(interval '1 hour', 'unordered', 'first_touch', ts, src, false,
		event = 'visit', event = 'signup', event = 'purchase') AS first_touch,
	funnel_breakdown(interval '1 hour', 'unordered', 'last_touch', ts, src, false,
		event = 'visit', event = 'signup', event = 'purchase') AS last_touch
FROM fb_unordered GROUP BY u ORDER BY u;
