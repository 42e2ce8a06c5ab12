--
-- Pipeline transparency (src/pipeline/pipeline_hygiene.c): record
-- completeness, stale deals, deals without a next step or a close date.
--
-- Expected values come from outside crm_kpi: the hand computation in the
-- comments, plain SQL (count(*) and sum() FILTER, greatest()) over the same
-- rows and over generated data, and the Wilson score formula written out in
-- SQL.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET extra_float_digits = 0;
\set SHOW_CONTEXT never

-- 1. Six open deals by hand, as of 2025-06-30 00:00 UTC, stale after 14 days
-- (stale: neither activity nor stage change since 2025-06-16 00:00; the
-- latest touch is greatest(last_activity_at, stage_changed_at)); required
-- fields contact, industry, budget.
--   deal owner stage   amount touch              stale next close fields
--   1    ann   qualify 1000   06-20 (activity)   no    yes  yes   t t t  complete
--   2    ann   qualify 2500   06-01 (activity)   yes   no   yes   t f t
--   3    ann   propose 4000   06-16 00:00 exact  no    yes  no    t t -
--   4    bob   qualify NULL   never              yes   no   no    - - -
--   5    bob   propose  700   06-15 23:59:59     yes   yes  yes   t t t  complete
--   6    bob   propose 1300   07-02 (after as_of) no   ''   yes   t t t  complete
-- All: 6 deals, amount 9500; stale 2, 4, 5: 3 deals, 3200; without a next
-- step 2, 4, 6 (NULL, NULL, empty): 3, 3800; without a close date 3, 4: 2,
-- 4000; complete 1, 5, 6: 3, 3000; filled contact 5, industry 4, budget 4.
-- ann: 3 deals, 7500; stale 1, 2500; no next step 1, 2500; no close date 1,
-- 4000; complete 1, 1000; filled 3, 2, 2.  bob: 3 deals, 2000; stale 2, 700;
-- no next step 2, 1300; no close date 1, 0; complete 2, 2000; filled 2, 2, 2.
CREATE TABLE plh_deals (id int, owner text, stage text, amount numeric(12,2),
	last_activity_at timestamptz, stage_changed_at timestamptz, next_step text,
	close_date date, contact text, industry text, budget numeric);
INSERT INTO plh_deals VALUES
	(1, 'ann', 'qualify', 1000, '2025-06-20', '2025-06-01', 'call', '2025-07-31', 'x', 'saas', 5000),
	(2, 'ann', 'qualify', 2500, '2025-06-01', '2025-05-20', NULL, '2025-08-15', 'y', NULL, 3000),
	(3, 'ann', 'propose', 4000, NULL, '2025-06-16 00:00', 'demo', NULL, 'z', 'retail', NULL),
	(4, 'bob', 'qualify', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	(5, 'bob', 'propose', 700, '2025-06-15 23:59:59', '2025-06-10', 'send quote', '2025-07-10', 'v', 'saas', 800),
	(6, 'bob', 'propose', 1300, '2025-07-02', NULL, '', '2025-09-01', 'w', 'retail', 1500);

CREATE VIEW plh_summaries AS
SELECT owner, stage, pipeline_hygiene_agg(amount, last_activity_at, stage_changed_at,
		coalesce(next_step, '') <> '', close_date IS NOT NULL,
		ARRAY[contact IS NOT NULL, industry IS NOT NULL, budget IS NOT NULL],
		'2025-06-30 00:00+00', 14) AS s
FROM plh_deals GROUP BY GROUPING SETS ((), (owner), (owner, stage));

SELECT owner, stage, hygiene_records(s) AS records, hygiene_amount(s) AS amount,
	stale_deals(s) AS stale, stale_amount(s) AS stale_amt,
	deals_without_next_step(s) AS no_next, amount_without_next_step(s) AS no_next_amt,
	deals_without_close_date(s) AS no_close, amount_without_close_date(s) AS no_close_amt,
	complete_records(s) AS complete, complete_amount(s) AS complete_amt,
	field_filled_counts(s) AS filled
FROM plh_summaries ORDER BY owner NULLS FIRST, stage NULLS FIRST;

SELECT s::text FROM plh_summaries WHERE owner IS NULL;
SELECT hygiene_as_of(s), hygiene_stale_days(s) FROM plh_summaries WHERE owner IS NULL;

-- The same figures in plain SQL, per owner and stage, overall and per owner
CREATE VIEW plh_reference AS
SELECT owner, stage, count(*) AS records, coalesce(sum(amount), 0)::float8 AS amount,
	count(*) FILTER (WHERE stale) AS stale, coalesce(sum(amount) FILTER (WHERE stale), 0)::float8 AS stale_amt,
	count(*) FILTER (WHERE NOT next) AS no_next, coalesce(sum(amount) FILTER (WHERE NOT next), 0)::float8 AS no_next_amt,
	count(*) FILTER (WHERE NOT closes) AS no_close, coalesce(sum(amount) FILTER (WHERE NOT closes), 0)::float8 AS no_close_amt,
	count(*) FILTER (WHERE complete) AS complete, coalesce(sum(amount) FILTER (WHERE complete), 0)::float8 AS complete_amt,
	ARRAY[count(contact), count(industry), count(budget)] AS filled
FROM (SELECT *, coalesce(greatest(last_activity_at, stage_changed_at) < timestamptz '2025-06-30 00:00+00' - interval '14 days', true) AS stale,
		coalesce(next_step, '') <> '' AS next, close_date IS NOT NULL AS closes,
		contact IS NOT NULL AND industry IS NOT NULL AND budget IS NOT NULL AS complete
	FROM plh_deals) d
GROUP BY GROUPING SETS ((), (owner), (owner, stage));

SELECT count(*) AS groups, count(*) FILTER (WHERE r.records = hygiene_records(s) AND r.amount = hygiene_amount(s)
	AND r.stale = stale_deals(s) AND r.stale_amt = stale_amount(s)
	AND r.no_next = deals_without_next_step(s) AND r.no_next_amt = amount_without_next_step(s)
	AND r.no_close = deals_without_close_date(s) AND r.no_close_amt = amount_without_close_date(s)
	AND r.complete = complete_records(s) AND r.complete_amt = complete_amount(s)
	AND r.filled = field_filled_counts(s)) AS equal
FROM plh_summaries h JOIN plh_reference r
	ON r.owner IS NOT DISTINCT FROM h.owner AND r.stage IS NOT DISTINCT FROM h.stage;

-- 2. Rates with Wilson intervals, as proportion_summary values: complete 3
-- of 6; stale 3 of 6; contact filled 5 of 6.  The Wilson bounds written out:
-- (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n).
SELECT rate(completeness(s)) AS complete, rate(stale_share(s)) AS stale FROM plh_summaries WHERE owner IS NULL;
SELECT f.field, f.name, successes(f.filled) AS filled, trials(f.filled) AS records,
	round(rate(f.filled)::numeric, 6) AS share
FROM plh_summaries, field_completeness(s, ARRAY['contact', 'industry', 'budget']) f WHERE owner IS NULL;
SELECT f.field, f.name IS NULL AS unnamed FROM plh_summaries, field_completeness(s) f WHERE owner IS NULL;
WITH w AS (SELECT 5.0 / 6 AS p, 6 AS n, 1.959963984540054 AS z)
SELECT abs(c.lower - (p + z * z / (2 * n) - z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n)) < 1e-12 AS lower_ok,
	abs(c.upper - (p + z * z / (2 * n) + z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n)) < 1e-12 AS upper_ok
FROM w, plh_summaries h, field_completeness(h.s) f, rate_ci(f.filled) c WHERE h.owner IS NULL AND f.field = 1;

-- 3. rollup: the per-(owner, stage) summaries merge into the per-owner and
-- overall ones, to the last digit of their text
SELECT o.owner, rollup(h.s)::text = o.s::text AS same
FROM plh_summaries h JOIN plh_summaries o ON o.owner = h.owner AND o.stage IS NULL
WHERE h.stage IS NOT NULL GROUP BY o.owner, o.s::text ORDER BY 1;
SELECT rollup(s)::text = (SELECT s::text FROM plh_summaries WHERE owner IS NULL) AS same
FROM plh_summaries WHERE stage IS NOT NULL;
-- the numeric and double amounts give the same summary
SELECT pipeline_hygiene_agg(amount::float8, last_activity_at, stage_changed_at, coalesce(next_step, '') <> '',
		close_date IS NOT NULL, ARRAY[contact IS NOT NULL, industry IS NOT NULL, budget IS NOT NULL],
		'2025-06-30 00:00+00', 14)::text = (SELECT s::text FROM plh_summaries WHERE owner IS NULL) AS same
FROM plh_deals;

-- 4. Contacts: completeness only (no staleness, no amounts); the stale
-- accessors are NULL.  Contacts: (email, phone) = (t,t), (t,f), (f,f), (t,t)
-- -> complete 2 of 4, email 3, phone 2.
SELECT s::text, stale_deals(s) IS NULL AS no_stale, stale_share(s) IS NULL AS no_share,
	complete_records(s), field_filled_counts(s), hygiene_as_of(s) IS NULL AS no_as_of
FROM (SELECT pipeline_hygiene_agg(ARRAY[e, p]) s FROM (VALUES (true, true), (true, false), (false, NULL),
	(true, true)) v(e, p)) x;
-- deals with as_of NULL: staleness not measured either
SELECT stale_deals(pipeline_hygiene_agg(amount, last_activity_at, stage_changed_at, true, true, '{}', NULL, NULL)) IS NULL AS not_measured
FROM plh_deals;

-- 5. No rows: the empty summary; its counts are zero and its rates NULL;
-- it merges with any other
SELECT s::text, hygiene_records(s), stale_deals(s), rate(completeness(s)) IS NULL AS no_rate,
	field_filled_counts(s)
FROM (SELECT pipeline_hygiene_agg(amount, last_activity_at, stage_changed_at, true, true, '{true}',
	'2025-06-30+00', 14) s FROM plh_deals WHERE id < 0) x;
SELECT rollup(s)::text = (SELECT s::text FROM plh_summaries WHERE owner IS NULL) AS same
FROM (SELECT s FROM plh_summaries WHERE owner IS NULL
	UNION ALL SELECT pipeline_hygiene_agg(ARRAY[true]) FROM plh_deals WHERE id < 0) x;
-- staleness over the whole timestamp range: 4713-01-01 BC to 294276-12-31
-- is about 109.2 million days (298,989 years), more than 100000000 and less
-- than 213503982 days (the longest window in microseconds of a uint64) or
-- 2147483647; a touch at -infinity is older than any window, at +infinity
-- newer than as_of
SELECT d, stale_deals(pipeline_hygiene_agg(1::float8, t, NULL, true, true, '{}', '294276-12-31 23:59:59+00', d))
FROM (VALUES (100000000), (213503982), (213503983), (2147483647)) w(d),
	(VALUES (timestamptz '4713-01-01 00:00+00 BC')) v(t) GROUP BY d ORDER BY d;
SELECT stale_deals(pipeline_hygiene_agg(1::float8, t, NULL, true, true, '{}', '2025-06-30+00', 2147483647))
FROM (VALUES ('-infinity'::timestamptz), ('infinity')) v(t);
-- no required fields: every record complete
SELECT complete_records(pipeline_hygiene_agg('{}'::boolean[])) FROM plh_deals;

-- 6. Text and binary round trips; an old literal reads the same
\set ECHO none
\i test/binary_copy.sql
\set ECHO all
SELECT s::text::pipeline_hygiene_summary::text = s::text AS text_round_trip,
	pg_temp.load_binary('pipeline_hygiene_summary', pipeline_hygiene_summary_send(s)) = s::text AS binary_round_trip
FROM plh_summaries ORDER BY owner NULLS FIRST, stage NULLS FIRST;
SELECT stale_deals(s), completeness(s)::text FROM (SELECT '{"version":1,"records":4,"amount":10.5,"stale":[1,2.5],"no_next_step":[0,0],"no_close_date":[4,10.5],"complete":[2,3],"filled":[3,2],"as_of":804470400000000,"stale_days":30}'::pipeline_hygiene_summary s) x;

-- 7. Malformed literals (22P02) and binary input (22P03)
SELECT 'garbage'::pipeline_hygiene_summary;
SELECT '{"version":2,"records":0}'::pipeline_hygiene_summary;
SELECT '{"version":1,"records":1,"amount":-1,"stale":[0,0],"no_next_step":[0,0],"no_close_date":[0,0],"complete":[0,0],"filled":[],"as_of":null,"stale_days":null}'::pipeline_hygiene_summary;
SELECT '{"version":1,"records":1,"amount":1,"stale":[2,0],"no_next_step":[0,0],"no_close_date":[0,0],"complete":[0,0],"filled":[],"as_of":0,"stale_days":3}'::pipeline_hygiene_summary;
SELECT '{"version":1,"records":1,"amount":1,"stale":[1,0],"no_next_step":[0,0],"no_close_date":[0,0],"complete":[0,0],"filled":[],"as_of":null,"stale_days":null}'::pipeline_hygiene_summary;
SELECT '{"version":1,"records":1,"amount":1,"stale":[0,0],"no_next_step":[0,0],"no_close_date":[0,0],"complete":[0,0],"filled":[2],"as_of":null,"stale_days":null}'::pipeline_hygiene_summary;
SELECT '{"version":1,"records":0,"amount":0,"stale":[0,0],"no_next_step":[0,0],"no_close_date":[0,0],"complete":[0,0],"filled":[0],"as_of":null,"stale_days":null}'::pipeline_hygiene_summary;
SELECT '{"version":1,"records":1,"amount":1,"stale":[0,0],"no_next_step":[0,0],"no_close_date":[0,0],"complete":[0,0],"filled":[],"as_of":0,"stale_days":null}'::pipeline_hygiene_summary;
SELECT pg_temp.load_binary('pipeline_hygiene_summary', substr(pipeline_hygiene_summary_send(s), 1, 40)) FROM plh_summaries WHERE owner IS NULL;
SELECT pg_temp.load_binary('pipeline_hygiene_summary', pipeline_hygiene_summary_send(s) || '\x00'::bytea) FROM plh_summaries WHERE owner IS NULL;

-- 8. Errors naming the bad value
SELECT pipeline_hygiene_agg(x) FROM (VALUES (ARRAY[true]), (ARRAY[true, false])) v(x);
SELECT pipeline_hygiene_agg(-1::float8, NULL, NULL, true, true, '{}', '2025-01-01+00', 1);
SELECT pipeline_hygiene_agg(1::float8, NULL, NULL, true, true, '{}', '2025-01-01+00', -1);
SELECT pipeline_hygiene_agg(1::float8, NULL, NULL, true, true, '{}', 'infinity', 1);
SELECT pipeline_hygiene_agg(1::float8, NULL, NULL, true, true, '{}', '2025-01-01+00', NULL);
SELECT pipeline_hygiene_agg(1::float8, NULL, NULL, true, true, NULL, '2025-01-01+00', 1);
SELECT pipeline_hygiene_agg(1::float8, NULL, NULL, true, true, '{}', a, 1)
FROM (VALUES ('2025-01-01+00'::timestamptz), ('2025-01-02+00')) v(a);
SELECT pipeline_hygiene_agg(array_fill(true, ARRAY[65]));
SELECT rollup(s) FROM (SELECT pipeline_hygiene_agg(ARRAY[true]) s UNION ALL SELECT pipeline_hygiene_agg(ARRAY[true, true])) x;
SELECT rollup(s) FROM (SELECT pipeline_hygiene_agg(1::float8, NULL, NULL, true, true, '{}', a, 7) s
	FROM (VALUES ('2025-01-01+00'::timestamptz), ('2025-02-01+00')) v(a) GROUP BY a) x;

-- 9. Forced-parallel plans give the serial result, including over zero
-- matching rows.  Counts are exact; amounts are compensated double sums,
-- compared to the cent (doc/pipeline.md: exact to a few units in the last
-- place, whatever the plan); and the serial figures equal plain SQL.
SELECT setseed(0.25);
CREATE TABLE plh_par_deals AS
SELECT i, i % 5 AS owner, (ARRAY['qualify', 'propose', 'negotiate'])[1 + i % 3] AS stage,
	CASE WHEN i % 17 = 0 THEN NULL ELSE round((100 + 50000 * random() ^ 2)::numeric, 2) END AS amount,
	CASE WHEN i % 11 = 0 THEN NULL ELSE timestamptz '2025-06-30+00' - floor(random() * 60) * interval '1 day' END AS last_activity_at,
	CASE WHEN i % 7 = 0 THEN NULL ELSE timestamptz '2025-06-30+00' - floor(random() * 90) * interval '1 day' END AS stage_changed_at,
	CASE WHEN i % 13 = 0 THEN NULL ELSE random() < 0.8 END AS has_next_step,
	random() < 0.9 AS has_close_date,
	ARRAY[random() < 0.95, CASE WHEN i % 19 = 0 THEN NULL ELSE random() < 0.7 END, random() < 0.5] AS fields
FROM generate_series(1, 100000) i;
ANALYZE plh_par_deals;
CREATE TABLE plh_par_groups AS
SELECT owner, stage, pipeline_hygiene_agg(amount, last_activity_at, stage_changed_at, has_next_step,
	has_close_date, fields, '2025-06-30+00', 30) AS s
FROM plh_par_deals GROUP BY owner, stage, i % 1000;
ANALYZE plh_par_groups;

CREATE FUNCTION plh_figures(s pipeline_hygiene_summary) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT concat_ws(' ', hygiene_records(s), round(hygiene_amount(s)::numeric, 2),
		stale_deals(s), round(stale_amount(s)::numeric, 2),
		deals_without_next_step(s), round(amount_without_next_step(s)::numeric, 2),
		deals_without_close_date(s), round(amount_without_close_date(s)::numeric, 2),
		complete_records(s), round(complete_amount(s)::numeric, 2), field_filled_counts(s), hygiene_as_of(s))
$$;

CREATE TEMP TABLE plh_queries (name text, query text);
INSERT INTO plh_queries VALUES
	('hygiene', $$SELECT plh_figures(pipeline_hygiene_agg(amount, last_activity_at, stage_changed_at,
		has_next_step, has_close_date, fields, '2025-06-30+00', 30)) FROM plh_par_deals$$),
	('hygiene by owner', $$SELECT owner, plh_figures(pipeline_hygiene_agg(amount, last_activity_at, stage_changed_at,
		has_next_step, has_close_date, fields, '2025-06-30+00', 30)) FROM plh_par_deals GROUP BY owner ORDER BY owner$$),
	('hygiene, fields only', $$SELECT pipeline_hygiene_agg(fields)::text FROM plh_par_deals$$),
	('hygiene, no rows', $$SELECT pipeline_hygiene_agg(amount, last_activity_at, stage_changed_at,
		has_next_step, has_close_date, fields, '2025-06-30+00', 30)::text FROM plh_par_deals WHERE i + 0 < 0$$),
	('rollup', $$SELECT plh_figures(rollup(s)) FROM plh_par_groups$$),
	('rollup, no rows', $$SELECT rollup(s)::text FROM plh_par_groups WHERE owner + 0 < 0$$);

\set ECHO none
\i test/parallel.sql
\set ECHO all

SET max_parallel_workers_per_gather = 0;
SELECT name, pg_temp.plan_shape(query) FROM plh_queries ORDER BY name;
CREATE TEMP TABLE plh_serial_results AS SELECT * FROM pg_temp.run_queries('plh_queries');

SELECT pg_temp.force_parallel() AS forced;
SELECT name, pg_temp.plan_shape(query) FROM plh_queries ORDER BY name;
CREATE TEMP TABLE plh_parallel_results AS SELECT * FROM pg_temp.run_queries('plh_queries');

SELECT s.name, s.result IS NOT DISTINCT FROM p.result AS same_as_serial
FROM plh_serial_results s JOIN plh_parallel_results p USING (name) ORDER BY name;
SELECT result FROM plh_serial_results WHERE name LIKE '%no rows' ORDER BY name;

RESET max_parallel_workers_per_gather;
SELECT plh_figures(h) = concat_ws(' ', n, round(amt, 2), stale, round(stale_amt, 2), no_next, round(no_next_amt, 2),
	no_close, round(no_close_amt, 2), complete, round(complete_amt, 2), filled, timestamptz '2025-06-30+00') AS equals_plain_sql
FROM (SELECT pipeline_hygiene_agg(amount, last_activity_at, stage_changed_at, has_next_step, has_close_date,
		fields, '2025-06-30+00', 30) AS h FROM plh_par_deals) a, (SELECT count(*) AS n, coalesce(sum(amount), 0) AS amt,
		count(*) FILTER (WHERE stale) AS stale, coalesce(sum(amount) FILTER (WHERE stale), 0) AS stale_amt,
		count(*) FILTER (WHERE NOT coalesce(has_next_step, false)) AS no_next,
		coalesce(sum(amount) FILTER (WHERE NOT coalesce(has_next_step, false)), 0) AS no_next_amt,
		count(*) FILTER (WHERE NOT has_close_date) AS no_close,
		coalesce(sum(amount) FILTER (WHERE NOT has_close_date), 0) AS no_close_amt,
		count(*) FILTER (WHERE fields[1] AND fields[2] AND fields[3]) AS complete,
		coalesce(sum(amount) FILTER (WHERE fields[1] AND fields[2] AND fields[3]), 0) AS complete_amt,
		ARRAY[count(*) FILTER (WHERE fields[1]), count(*) FILTER (WHERE fields[2]), count(*) FILTER (WHERE fields[3])] AS filled
	FROM (SELECT *, coalesce(greatest(last_activity_at, stage_changed_at) < timestamptz '2025-06-30+00' - interval '30 days', true) AS stale
		FROM plh_par_deals) d) x;

--
-- Lead KPIs (src/pipeline/pipeline_leads.c): lead_summary
--

-- 10. Nine leads by hand.
--   lead source  created           first response    opp  won   activities
--   1    web     03-01 09:00       09:05  (5 min)    t    t     12
--   2    web     03-01 09:00       10:00  (60 min)   t    f     4
--   3    web     03-01 10:00       10:02  (2 min)    f    f     NULL
--   4    web     03-01 11:00       NULL              f    NULL  NULL
--   5    web     03-01 11:30       11:30  (0)        t    t     7
--   6    partner 03-02 08:00       20:00  (720 min)  t    f     0
--   7    partner 03-02 08:00       09:30  (90 min)   t    t     9
--   8    partner NULL              03-02 10:00       f    f     NULL
--   9    partner 03-02 12:00       NULL              NULL f     5 (not an opportunity: ignored)
-- web: 5 leads, 3 opportunities, 2 won, 4 responded; speeds 0, 2, 5, 60
-- min: median (percentile_cont: position 1.5) 2 + 3 * 0.5 = 3.5 min, 0.9
-- quantile (position 2.7) 5 + 55 * 0.7 = 43.5 min; activities 12, 4, 7:
-- mean 23/3, median 7.  partner: 4 leads, 2 opportunities, 1 won, 2
-- responded; speeds 90, 720 min: median 405 min; activities 0, 9: mean and
-- median 4.5.  All: 9 leads, 5 opportunities, 3 won, 6 responded; speeds
-- 0, 2, 5, 60, 90, 720: median (position 2.5) 5 + 55 * 0.5 = 32.5 min;
-- activities 0, 4, 7, 9, 12: median 7, mean 6.4.  Spend web 1000, partner
-- 2000: cost per lead 200 and 500, per opportunity 333.33 and 1000, per win
-- 500 and 2000.
CREATE TABLE pll_leads (id int, source text, created_at timestamptz, first_response_at timestamptz,
	became_opportunity boolean, won boolean, activities integer);
INSERT INTO pll_leads VALUES
	(1, 'web', '2025-03-01 09:00', '2025-03-01 09:05', true, true, 12),
	(2, 'web', '2025-03-01 09:00', '2025-03-01 10:00', true, false, 4),
	(3, 'web', '2025-03-01 10:00', '2025-03-01 10:02', false, false, NULL),
	(4, 'web', '2025-03-01 11:00', NULL, false, NULL, NULL),
	(5, 'web', '2025-03-01 11:30', '2025-03-01 11:30', true, true, 7),
	(6, 'partner', '2025-03-02 08:00', '2025-03-02 20:00', true, false, 0),
	(7, 'partner', '2025-03-02 08:00', '2025-03-02 09:30', true, true, 9),
	(8, 'partner', NULL, '2025-03-02 10:00', false, false, NULL),
	(9, 'partner', '2025-03-02 12:00', NULL, NULL, false, 5);
CREATE TABLE pll_spend (source text, spend numeric);
INSERT INTO pll_spend VALUES ('web', 1000), ('partner', 2000);

CREATE VIEW pll_summaries AS
SELECT source, lead_agg(created_at, first_response_at, became_opportunity, won, activities) AS s
FROM pll_leads GROUP BY GROUPING SETS ((), (source));

SELECT source, leads(s), opportunities(s), won_opportunities(s) AS won, responded_leads(s) AS responded,
	median_speed_to_lead(s) AS median_speed, speed_to_lead_quantile(s, 0.9) AS speed_p90,
	speed_to_lead_is_exact(s) AS exact, round(average_activities_per_deal(s)::numeric, 6) AS mean_activities,
	median_activities_per_deal(s) AS median_activities, activities_per_deal_quantile(s, 0.25) AS activities_p25
FROM pll_summaries ORDER BY source NULLS FIRST;

SELECT source, round(rate(lead_to_opportunity(s))::numeric, 6) AS lead_to_opp,
	round(rate(opportunity_to_win(s))::numeric, 6) AS opp_to_win, round(rate(lead_to_win(s))::numeric, 6) AS lead_to_win,
	round(rate(response_rate(s))::numeric, 6) AS responded,
	round(cost_per_lead(s, spend), 2) AS per_lead, round(cost_per_opportunity(s, spend), 2) AS per_opp,
	round(cost_per_win(s, spend), 2) AS per_win
FROM pll_summaries JOIN pll_spend USING (source) ORDER BY source;

SELECT s::text FROM pll_summaries WHERE source IS NULL;

-- The same figures in plain SQL (count FILTER, percentile_cont, avg); an
-- interval holds whole microseconds, so percentile_cont's double is rounded
-- (0.9 of 0, 2, 5, 60 min interpolates to 2609999999.9999995 microseconds)
CREATE VIEW pll_reference AS
SELECT source, count(*) AS leads, count(*) FILTER (WHERE became_opportunity) AS opportunities,
	count(*) FILTER (WHERE won) AS won, count(first_response_at - created_at) AS responded,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at)::float8 * 1e6) AS median_usecs,
	percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at)::float8 * 1e6) AS p90_usecs,
	avg(activities) FILTER (WHERE became_opportunity)::float8 AS mean_activities,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY activities) FILTER (WHERE became_opportunity) AS median_activities,
	percentile_cont(0.25) WITHIN GROUP (ORDER BY activities) FILTER (WHERE became_opportunity) AS p25_activities
FROM pll_leads GROUP BY GROUPING SETS ((), (source));

SELECT count(*) AS groups, count(*) FILTER (WHERE r.leads = leads(s) AND r.opportunities = opportunities(s)
	AND r.won = won_opportunities(s) AND r.responded = responded_leads(s)
	AND round(r.median_usecs) = extract(epoch FROM median_speed_to_lead(s))::float8 * 1e6
	AND round(r.p90_usecs) = extract(epoch FROM speed_to_lead_quantile(s, 0.9))::float8 * 1e6
	AND abs(r.mean_activities - average_activities_per_deal(s)) < 1e-12
	AND r.median_activities = median_activities_per_deal(s)
	AND r.p25_activities = activities_per_deal_quantile(s, 0.25)) AS equal
FROM pll_summaries l JOIN pll_reference r ON r.source IS NOT DISTINCT FROM l.source;

-- Wilson interval of the lead-to-opportunity rate 5 of 9, written out
WITH w AS (SELECT 5.0 / 9 AS p, 9 AS n, 1.959963984540054 AS z)
SELECT abs(c.lower - (p + z * z / (2 * n) - z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n)) < 1e-12 AS lower_ok,
	abs(c.upper - (p + z * z / (2 * n) + z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n)) < 1e-12 AS upper_ok
FROM w, pll_summaries l, rate_ci(lead_to_opportunity(l.s)) c WHERE l.source IS NULL;

-- 11. rollup: the sources merge into the whole, to the last digit; text and
-- binary round trips
SELECT rollup(s)::text = (SELECT s::text FROM pll_summaries WHERE source IS NULL) AS same
FROM pll_summaries WHERE source IS NOT NULL;
SELECT s::text::lead_summary::text = s::text AS text_round_trip,
	pg_temp.load_binary('lead_summary', lead_summary_send(s)) = s::text AS binary_round_trip
FROM pll_summaries ORDER BY source NULLS FIRST;

-- 12. No rows: the empty summary (rates and medians NULL); rollup of no
-- rows is NULL; it merges with any summary
SELECT s::text, leads(s), rate(lead_to_opportunity(s)) IS NULL AS no_rate,
	median_speed_to_lead(s) IS NULL AS no_speed, average_activities_per_deal(s) IS NULL AS no_mean,
	cost_per_lead(s, 100) IS NULL AS no_cost
FROM (SELECT lead_agg(created_at, first_response_at, became_opportunity, won, activities) s
	FROM pll_leads WHERE id < 0) x;
SELECT rollup(s) IS NULL AS null_rollup FROM pll_summaries WHERE source = 'none';
SELECT rollup(s)::text = (SELECT s::text FROM pll_summaries WHERE source IS NULL) AS same
FROM (SELECT s FROM pll_summaries WHERE source IS NULL
	UNION ALL SELECT lead_agg(created_at, first_response_at, became_opportunity, won, activities)
	FROM pll_leads WHERE id < 0) x;

-- 13. Past 10000 distinct response times the distribution is sketched: the
-- median stays within 1 % of percentile_cont's, counts stay exact, and the
-- exact activity counts stay exact; merging an exact summary into a
-- sketched one sketches it
CREATE TABLE pll_many AS
SELECT i, timestamptz '2025-01-01+00' AS created_at,
	timestamptz '2025-01-01+00' + (i * 7919 % 20011) * interval '1 second' + (i % 3) * interval '1 microsecond' AS first_response_at,
	i % 4 = 0 AS became_opportunity, i % 12 = 0 AS won, i % 9 AS activities
FROM generate_series(1, 30000) i;
SELECT speed_to_lead_is_exact(s) AS exact, leads(s), responded_leads(s),
	abs(extract(epoch FROM median_speed_to_lead(s)) / ref.median - 1) <= 0.01 AS median_within_1pct,
	abs(extract(epoch FROM speed_to_lead_quantile(s, 0.99)) / ref.p99 - 1) <= 0.01 AS p99_within_1pct,
	median_activities_per_deal(s) = ref.median_activities AS activities_exact
FROM (SELECT lead_agg(created_at, first_response_at, became_opportunity, won, activities) s FROM pll_many) x,
	(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at)) AS median,
		percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at)) AS p99,
		percentile_cont(0.5) WITHIN GROUP (ORDER BY activities) FILTER (WHERE became_opportunity) AS median_activities
	FROM pll_many) ref;
SELECT speed_to_lead_is_exact(rollup(s)) AS exact, leads(rollup(s))
FROM (SELECT lead_agg(created_at, first_response_at, became_opportunity, won, activities) s FROM pll_many
	UNION ALL SELECT s FROM pll_summaries WHERE source IS NULL) x;
SELECT x.s::text::lead_summary::text = x.s::text AS sketched_text_round_trip,
	pg_temp.load_binary('lead_summary', lead_summary_send(x.s)) = x.s::text AS sketched_binary_round_trip
FROM (SELECT lead_agg(created_at, first_response_at, became_opportunity, won, activities) s FROM pll_many) x;

-- 14. Malformed literals (22P02), binary input (22P03), errors
SELECT 'garbage'::lead_summary;
SELECT '{"version":1,"leads":1,"opportunities":2,"wins":0,"responded":0,"activity_deals":0,"activity_sum":0,"speed_to_lead":{"sketched":false,"values":[]},"activities":{"sketched":false,"values":[]}}'::lead_summary;
SELECT '{"version":1,"leads":2,"opportunities":0,"wins":0,"responded":2,"activity_deals":0,"activity_sum":0,"speed_to_lead":{"sketched":false,"values":[[5,1],[3,1]]},"activities":{"sketched":false,"values":[]}}'::lead_summary;
SELECT '{"version":1,"leads":2,"opportunities":0,"wins":0,"responded":2,"activity_deals":0,"activity_sum":0,"speed_to_lead":{"sketched":false,"values":[[5,1]]},"activities":{"sketched":false,"values":[]}}'::lead_summary;
SELECT '{"version":1,"leads":2,"opportunities":2,"wins":0,"responded":0,"activity_deals":2,"activity_sum":7,"speed_to_lead":{"sketched":false,"values":[]},"activities":{"sketched":false,"values":[[1,1],[5,1]]}}'::lead_summary;
SELECT '{"version":1,"leads":1,"opportunities":1,"wins":0,"responded":0,"activity_deals":1,"activity_sum":1,"speed_to_lead":{"sketched":false,"values":[]},"activities":{"sketched":false,"values":[[1.5,1]]}}'::lead_summary;
SELECT '{"version":1,"leads":1,"opportunities":0,"wins":0,"responded":1,"activity_deals":0,"activity_sum":0,"speed_to_lead":{"sketched":true,"values":[[1000,1]]},"activities":{"sketched":false,"values":[]}}'::lead_summary;
SELECT pg_temp.load_binary('lead_summary', substr(lead_summary_send(s), 1, 30)) FROM pll_summaries WHERE source IS NULL;
SELECT pg_temp.load_binary('lead_summary', lead_summary_send(s) || '\x00'::bytea) FROM pll_summaries WHERE source IS NULL;
SELECT lead_agg(now(), NULL, false, true, NULL);
SELECT lead_agg('2025-01-02+00', '2025-01-01+00', false, false, NULL);
SELECT lead_agg(now(), NULL, true, false, -1);
SELECT lead_agg('-infinity', '2025-01-01+00', false, false, NULL);
SELECT speed_to_lead_quantile(s, 1.5) FROM pll_summaries WHERE source IS NULL;

-- 15. lead_agg and rollup(lead_summary) under forced-parallel plans give
-- the serial summary, to the last digit of its text (counts and exact
-- distributions merge exactly; sketched ones merge bucket by bucket),
-- including over zero matching rows
CREATE TABLE pll_par_leads AS
SELECT i, i % 4 AS source, timestamptz '2025-01-01+00' + i * interval '1 minute' AS created_at,
	CASE WHEN i % 5 = 0 THEN NULL
		ELSE timestamptz '2025-01-01+00' + i * interval '1 minute' + ((i * 7919) % 4000) * interval '1 second' END AS first_response_at,
	i % 3 = 0 AS became_opportunity, i % 6 = 0 AS won, CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 31) % 40 END AS activities
FROM generate_series(1, 100000) i;
ANALYZE pll_par_leads;
CREATE TABLE pll_par_daily AS
SELECT i / 50 AS day, lead_agg(created_at, first_response_at, became_opportunity, won, activities) AS s
FROM pll_par_leads GROUP BY 1;
ANALYZE pll_par_daily;

CREATE TEMP TABLE pll_queries (name text, query text);
INSERT INTO pll_queries VALUES
	('leads', $$SELECT lead_agg(created_at, first_response_at, became_opportunity, won, activities)::text FROM pll_par_leads$$),
	('leads by source', $$SELECT source, lead_agg(created_at, first_response_at, became_opportunity, won, activities)::text
		FROM pll_par_leads GROUP BY source ORDER BY source$$),
	('leads, no rows', $$SELECT lead_agg(created_at, first_response_at, became_opportunity, won, activities)::text
		FROM pll_par_leads WHERE i + 0 < 0$$),
	('leads, sketched', $$SELECT lead_agg(created_at, first_response_at, became_opportunity, won, activities)::text
		FROM pll_many$$),
	('rollup', $$SELECT rollup(s)::text FROM pll_par_daily$$),
	('rollup, no rows', $$SELECT rollup(s)::text FROM pll_par_daily WHERE day + 0 < 0$$);

SET max_parallel_workers_per_gather = 0;
SELECT set_config(CASE WHEN current_setting('server_version_num')::int >= 160000
	THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END, 'off', false) AS unforced;
SELECT name, pg_temp.plan_shape(query) FROM pll_queries ORDER BY name;
CREATE TEMP TABLE pll_serial_results AS SELECT * FROM pg_temp.run_queries('pll_queries');
SELECT pg_temp.force_parallel() AS forced;
SELECT name, pg_temp.plan_shape(query) FROM pll_queries ORDER BY name;
CREATE TEMP TABLE pll_parallel_results AS SELECT * FROM pg_temp.run_queries('pll_queries');
SELECT s.name, s.result IS NOT DISTINCT FROM p.result AS same_as_serial
FROM pll_serial_results s JOIN pll_parallel_results p USING (name) ORDER BY name;
RESET max_parallel_workers_per_gather;
-- the whole summary equals the rollup of the daily ones, and plain SQL
SELECT (SELECT result FROM pll_serial_results WHERE name = 'leads') = (SELECT result FROM pll_serial_results WHERE name = 'rollup') AS rollup_equals_whole;
SELECT leads(s) = n AND opportunities(s) = o AND won_opportunities(s) = w AND responded_leads(s) = r
	AND extract(epoch FROM median_speed_to_lead(s)) = med AND median_activities_per_deal(s) = med_act AS equals_plain_sql
FROM (SELECT lead_agg(created_at, first_response_at, became_opportunity, won, activities) s,
	count(*) n, count(*) FILTER (WHERE became_opportunity) o, count(*) FILTER (WHERE won) w,
	count(first_response_at) r,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at)) med,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY activities) FILTER (WHERE became_opportunity) med_act
	FROM pll_par_leads) x;

-- 16. lead_agg as a window function (its final function only sorts pending
-- values in): the running summary of the nine leads, in id order, equals
-- lead_agg over the first k leads
SELECT id, s::text = (SELECT lead_agg(created_at, first_response_at, became_opportunity, won, activities)::text
		FROM pll_leads p WHERE p.id <= w.id) AS same_as_prefix
FROM (SELECT id, lead_agg(created_at, first_response_at, became_opportunity, won, activities) OVER (ORDER BY id) AS s
	FROM pll_leads) w ORDER BY id;
SELECT count(*) AS rows, count(*) FILTER (WHERE s::text = (SELECT lead_agg(created_at, first_response_at, became_opportunity, won, activities)::text
		FROM pll_par_leads p WHERE p.i BETWEEN w.i - 3 AND w.i)) AS same_as_frame
FROM (SELECT i, lead_agg(created_at, first_response_at, became_opportunity, won, activities)
		OVER (ORDER BY i ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS s
	FROM pll_par_leads WHERE i <= 200) w;
