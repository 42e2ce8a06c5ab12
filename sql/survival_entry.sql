--
-- Survival with delayed entry (left truncation): survival_agg(entry,
-- duration, event), survival_summary format 2.
--
-- Expected values come from outside crm_kpi: a hand-worked data set (below),
-- R survival's own test of (start, stop] Kaplan-Meier curves (test2 of
-- tests/survtest.R, therneau/survival: n.risk, survival as fractions, the
-- curve between time points) and test/reference/survival_reference.py
-- (main_entry: exact fractions over risk sets counted subject by subject,
-- independent of crm_kpi's walk), whose output is quoted in the comments.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;

-- 1. A hand data set: customers (entry, exit, event), entry 0 = observed
-- from the start.  Walking the distinct times (an entering subject is at
-- risk only after its entry time):
--   start: A, B observed from 0                            at risk 2
--   1: E enters -> 3; 2: C enters -> 4
--   3: A's event, at risk 4 (A B C E): S = 3/4, V = 1/(4*3) = 1/12   -> 3
--   4: D enters -> 4; 5: B censored, at risk 4                       -> 3
--   6: C's event and D censored, at risk 3 (C D E): S = 1/2,
--      V = 1/12 + 1/(3*2) = 1/4                                      -> 1
--   7: F enters -> 2; 8: E's event, at risk 2 (E F): S = 1/4,
--      V = 1/4 + 1/(2*1) = 3/4                                       -> 1
--   9: F censored -> 0 (the risk set is empty until 10)
--   10: G and H enter -> 2; 11: H's event, at risk 2: S = 1/8, V = 5/4 -> 1
--   12: G censored -> 0
-- std_err = S sqrt(V): sqrt(3)/8 = 0.216506350946110 at 3, 1/4 at 6,
-- sqrt(3)/8 at 8, sqrt(5)/16 = 0.139754248593737 at 11.  Median: S = 1/2
-- exactly from 6 to 8, R's midpoint 7.  Restricted mean to 12:
-- 3 + 3/4 (6 - 3) + 1/2 (8 - 6) + 1/4 (11 - 8) + 1/8 (12 - 11) = 57/8.
CREATE TABLE surv_entry_hand (who text, entry float8, exit float8, event boolean);
INSERT INTO surv_entry_hand VALUES ('A',0,3,true),('B',0,5,false),('C',2,6,true),('D',4,6,false),
	('E',1,8,true),('F',7,9,false),('G',10,12,false),('H',10,11,true);
SELECT survival_agg(entry, exit, event) FROM surv_entry_hand;
SELECT k."time", k.at_risk, k.events, k.censored, k.survival, round(k.std_err::numeric, 15) AS std_err,
	round(k.lower::numeric, 15) AS lower, k.upper
FROM (SELECT survival_agg(entry, exit, event) s FROM surv_entry_hand) x, kaplan_meier(s, 0.95, true) k;
-- the reference script: lower 0.425932268497982 (3, 5), 0.187658928706588
-- (6), 0.045790759666018 (8, 9), 0.013971330183234 (11, 12); upper 1
SELECT t, survival_at(s, t)
FROM (SELECT survival_agg(entry, exit, event) s FROM surv_entry_hand) x,
	unnest('{0, 1, 2.9, 3, 6, 7.9, 9.5, 11, 12, 12.5}'::float8[]) t;
SELECT median_survival(s), (median_survival_ci(s)).*, median_survival_lower(s), median_survival_upper(s),
	restricted_mean_survival(s, 12) AS rmst_12, restricted_mean_survival(s, 5) AS rmst_5,
	subjects(s), events(s)
FROM (SELECT survival_agg(entry, exit, event) s FROM surv_entry_hand) x;
-- reference: median 7, 0.95LCL 3, UCL NULL; restricted means 57/8 and 9/2

-- 2. R survival's test2 (tests/survtest.R): survfit(Surv(start, stop,
-- event) ~ 1, test2): time = the distinct stop times 2 3 6 7 8 9 14 17,
-- n.risk 2 3 5 4 4 5 2 1, n.event 1 1 1 1 1 2 0 0, surv at the events
-- .5, 1/3, 4/15, 1/5, 3/20, 9/100, std.err (of log S) sqrt(cumsum(d / (n (n - d))));
-- summary(fit, times = c(.5, 1.5, 2.5, 3, 6.5, 14.5, 16.5))$surv =
-- 1, 1, .5, 1/3, 4/15, 9/100, 9/100.
CREATE TABLE surv_entry_test2 (start float8, stop float8, event int);
INSERT INTO surv_entry_test2 SELECT * FROM unnest('{1,2,5,2,1,7,3,4,8,8}'::float8[],
	'{2,3,6,7,8,9,9,9,14,17}'::float8[], '{1,1,1,1,1,1,1,0,0,0}'::int[]);
SELECT k."time", k.at_risk, k.events, k.censored,
	abs(k.survival - r.surv) < 1e-15 AS survival_as_r,
	abs(k.std_err / k.survival - sqrt(r.v::float8)) < 1e-14 AS std_err_as_r
FROM (SELECT survival_agg(start, stop, event) s FROM surv_entry_test2) x,
	kaplan_meier(s, 0.95, true) k
	JOIN (VALUES (2, 1/2::float8, 1/2::numeric), (3, 1/3::float8, 1/2::numeric + 1/6::numeric),
		(6, 4/15::float8, 1/2::numeric + 1/6::numeric + 1/20::numeric),
		(7, 1/5::float8, 1/2::numeric + 1/6::numeric + 1/20::numeric + 1/12::numeric),
		(8, 3/20::float8, 1/2::numeric + 1/6::numeric + 1/20::numeric + 1/12::numeric + 1/12::numeric),
		(9, 9/100::float8, 1/2::numeric + 1/6::numeric + 1/20::numeric + 1/12::numeric + 1/12::numeric + 2/15::numeric),
		(14, 9/100::float8, 1/2::numeric + 1/6::numeric + 1/20::numeric + 1/12::numeric + 1/12::numeric + 2/15::numeric),
		(17, 9/100::float8, 1/2::numeric + 1/6::numeric + 1/20::numeric + 1/12::numeric + 1/12::numeric + 2/15::numeric)) r(t, surv, v)
	ON r.t = k."time";
SELECT t, abs(survival_at(s, t) - r) < 1e-15 AS as_r
FROM (SELECT survival_agg(start, stop, event) s FROM surv_entry_test2) x,
	unnest('{0.5, 1.5, 2.5, 3, 6.5, 14.5, 16.5}'::float8[], array[1, 1, 0.5, 1/3::float8, 4/15::float8, 0.09, 0.09]) u(t, r);
-- the reference script: median 2.5 (S = 1/2 exactly from 2 to 3), 0.95LCL 2
SELECT median_survival(s), (median_survival_ci(s)).* FROM (SELECT survival_agg(start, stop, event) s FROM surv_entry_test2) x;

-- 3. A real data set: lung (lifelines' copy, status 1 = dead) with a
-- derived entry: row i of the file observed from 30 * (i mod 4) days on (a
-- CRM migrated at that age of the customer); rows whose time is not after
-- their entry left before it and are not in the data (left truncation):
-- 219 of 228 rows kept.
CREATE TABLE surv_entry_lung (row_no serial, inst float8, "time" float8, status int, age int, sex int,
	ph_ecog float8, ph_karno float8, pat_karno float8, meal_cal float8, wt_loss float8);
\copy surv_entry_lung (inst, "time", status, age, sex, ph_ecog, ph_karno, pat_karno, meal_cal, wt_loss) FROM 'test/data/lifelines_lung.csv' (FORMAT csv, HEADER)
CREATE VIEW surv_entry_lung_kept AS
SELECT row_no, sex, 30 * (row_no % 4)::float8 AS entry, "time", status
FROM surv_entry_lung WHERE 30 * (row_no % 4) < "time";
SELECT count(*) FROM surv_entry_lung_kept;
-- reference (survival_reference.py, main_entry), at t: the last exit time
-- <= t, at risk, S, std_err, lower, upper:
--   11: 11 57 0.982456140350877 0.017389285185381 0.948958165960271 1
--   60: 60 105 0.886777128005198 0.037345252802004 0.816521155143301 0.963078139249359
--   91: 88 151 0.836264506789712 0.038828608075549 0.763521928858369 0.915937445780901
--   92: 92 201 0.832103986855435 0.038857693312073 0.759325683117732 0.911857797431244
--  200: 199 145 0.645305847318069 0.039046966940824 0.573139105052737 0.726559456354970
--  500: 477 42 0.278194730452574 0.035049380877416 0.217323734247233 0.356115305673594
--  765: 765 10 0.083576032084885 0.024579247829640 0.046962163067023 0.148735762641192
-- (the first exits: 11, 13, 26, 30 with 57 to 54 at risk, then 31 with 108:
-- those entering at 30 join).  The reference multiplies exact fractions,
-- crm_kpi doubles: they agree to 12 decimals.
SELECT t, k."time", k.at_risk, round(k.survival::numeric, 12) AS survival, round(k.std_err::numeric, 12) AS std_err,
	round(k.lower::numeric, 12) AS lower, round(k.upper::numeric, 12) AS upper
FROM (SELECT survival_agg(entry, "time", status) s FROM surv_entry_lung_kept) x,
	unnest('{11, 60, 91, 92, 200, 500, 765}'::float8[]) t,
	LATERAL (SELECT * FROM kaplan_meier(s, 0.95, true) k WHERE k."time" <= t ORDER BY k."time" DESC LIMIT 1) k;
SELECT array_agg(array["time", at_risk, events, censored] ORDER BY "time") FILTER (WHERE "time" <= 31) AS first_exits
FROM (SELECT survival_agg(entry, "time", status) s FROM surv_entry_lung_kept) x, kaplan_meier(s, 0.95, true);
-- reference: 156 events; median 301, 0.95LCL 245, UCL 353; restricted mean
-- to 365 251.899210977481
SELECT events(s), subjects(s), median_survival(s), (median_survival_ci(s)).*,
	round(restricted_mean_survival(s, 365)::numeric, 12) AS rmst_365
FROM (SELECT survival_agg(entry, "time", status) s FROM surv_entry_lung_kept) x;
-- log-rank by sex over the delayed-entry risk sets, reference: observed
-- 105, 51; expected 86.40542887823666, 69.59457112176334; chisq
-- 9.058640374095871, p 0.002614563239035671
SELECT round(chisq::numeric, 12) AS chisq, df, round(p_value::numeric, 15) AS p_value, observed,
	array[round(expected[1]::numeric, 12), round(expected[2]::numeric, 12)] AS expected
FROM logrank_test((SELECT array_agg(s ORDER BY sex) FROM
	(SELECT sex, survival_agg(entry, "time", status) s FROM surv_entry_lung_kept GROUP BY sex) x));

-- 4. Entry 0 is observed from the start: with every entry 0 the summary is
-- the two-argument aggregate's, in format 1, bit for bit (all four forms)
SELECT survival_agg(0, "time", status)::text = survival_agg("time", status)::text AS status_form,
	survival_agg(0, "time", status = 1)::text = survival_agg("time", status = 1)::text AS boolean_form,
	survival_agg(interval '0', "time" * interval '1 day', status)::text
		= survival_agg("time" * interval '1 day', status)::text AS interval_form,
	survival_agg(interval '0', "time" * interval '1 day', status = 1)::text
		= survival_agg("time", status = 1)::text AS interval_boolean_form,
	survival_agg(0, "time", status)::text LIKE '{"version":1,%' AS format_1
FROM surv_entry_lung;
-- a subject observed from 0 may leave at 0, as without entries
SELECT survival_agg(e, d, ev) FROM (VALUES (0::float8, 0::float8, true), (0, 2, false), (1, 3, true)) v(e, d, ev);
-- interval entries and durations are days, the same summary
SELECT survival_agg(entry * interval '1 day', "time" * interval '1 day', status)::text
	= survival_agg(entry, "time", status)::text AS interval_entries_in_days
FROM surv_entry_lung_kept;
-- NULL in any argument skips the row
SELECT survival_agg(e, d, ev) FROM (VALUES (NULL::float8, 2::float8, true), (1, NULL, true), (1, 2, NULL), (1, 2, true)) v(e, d, ev);

-- 5. Format 1 literals read as before; format 2 round-trips in text and
-- binary; merging adds the counts, entries included
SELECT s::text, subjects(s), median_survival(s), (SELECT array_agg(at_risk) FROM kaplan_meier(s)) AS at_risk
FROM (SELECT '{"version":1,"time":[9,13,18],"events":[1,1,0],"censored":[0,1,1]}'::survival_summary s) x;
\set ECHO none
\i test/binary_copy.sql
\set ECHO all
SELECT s::text::survival_summary::text = s::text AS text_round_trip,
	pg_temp.load_binary('survival_summary', survival_summary_send(s)) = s::text AS binary_round_trip,
	length(survival_summary_send(s)) AS binary_bytes
FROM (SELECT survival_agg(entry, "time", status) s FROM surv_entry_lung_kept) x;
SELECT rollup(s)::text = (SELECT survival_agg(entry, "time", status)::text FROM surv_entry_lung_kept) AS rollup_by_sex
FROM (SELECT sex, survival_agg(entry, "time", status) s FROM surv_entry_lung_kept GROUP BY sex) x;
-- a format 1 summary (observed from the start) merged with a format 2 one
SELECT survival_combine('{"version":1,"time":[3,5],"events":[1,0],"censored":[0,1]}',
	'{"version":2,"time":[2,6],"events":[0,1],"censored":[0,0],"entered":[1,0]}');
-- taking the entries out again gives format 1
SELECT survival_uncombine(survival_combine('{"version":1,"time":[3,5],"events":[1,0],"censored":[0,1]}',
	'{"version":2,"time":[2,6],"events":[0,1],"censored":[0,0],"entered":[1,0]}'),
	'{"version":2,"time":[2,6],"events":[0,1],"censored":[0,0],"entered":[1,0]}');

-- 6. Moving windows: the inverse transition takes a subject's entry out with
-- its exit; each frame equals the aggregate over its rows
SELECT count(*) AS frames,
	count(*) FILTER (WHERE w IS DISTINCT FROM p) AS mismatches,
	count(*) FILTER (WHERE w LIKE '{"version":1,%') AS frames_without_entries
FROM (
	SELECT survival_agg(entry, "time", status) OVER w::text AS w,
		(SELECT survival_agg(b.entry, b."time", b.status)::text FROM surv_entry_lung_kept b
		 WHERE b.row_no BETWEEN a.row_no - 8 AND a.row_no) AS p
	FROM surv_entry_lung_kept a
	WINDOW w AS (ORDER BY row_no RANGE BETWEEN 8 PRECEDING AND CURRENT ROW)
) y;
SELECT count(*) AS frames, count(*) FILTER (WHERE w IS DISTINCT FROM p) AS mismatches
FROM (
	SELECT survival_agg(entry * interval '1 day', "time" * interval '1 day', status = 1) OVER w::text AS w,
		(SELECT survival_agg(b.entry, b."time", b.status)::text FROM surv_entry_lung_kept b
		 WHERE b.row_no BETWEEN a.row_no - 8 AND a.row_no) AS p
	FROM surv_entry_lung_kept a
	WINDOW w AS (ORDER BY row_no RANGE BETWEEN 8 PRECEDING AND CURRENT ROW)
) y;

-- frames of the hand data set by name, two rows each: A and B were
-- observed from the start, so their frame is in format 1
SELECT who, survival_agg(entry, exit, event) OVER (ORDER BY who ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM surv_entry_hand ORDER BY who;

-- 7. Errors (every SQLSTATE is in test/pgtap/survival.sql)
SELECT survival_agg(5::float8, 5::float8, true);
SELECT survival_agg(-1::float8, 5::float8, true);
SELECT survival_agg(interval '2 days', interval '1 day', 1);
SELECT '{"version":2,"time":[1,2],"events":[1,0],"censored":[0,0],"entered":[0,1]}'::survival_summary;

-- 8. Forced-parallel plans give the serial result, zero rows included
CREATE TABLE surv_entry_par AS
SELECT i, i % 7 AS g,
	((i::bigint * 7919) % 1000)::float8 + 1 AS duration,
	CASE WHEN i % 3 = 0 THEN 0 ELSE ((i::bigint * 104729) % 1000)::float8 / 2 END AS entry,
	i % 3 <> 1 AS event
FROM generate_series(1, 200000) i;
DELETE FROM surv_entry_par WHERE entry >= duration;
ANALYZE surv_entry_par;
CREATE TEMP TABLE queries (name text, query text);
INSERT INTO queries VALUES
	('all', $$SELECT survival_agg(entry, duration, event)::text, survival_agg(entry, duration, event::int)::text,
		median_survival(survival_agg(entry, duration, event))::text FROM surv_entry_par$$),
	('by group', $$SELECT g, survival_agg(entry, duration, event)::text FROM surv_entry_par GROUP BY g ORDER BY g$$),
	('intervals', $$SELECT survival_agg(entry * interval '1 day', duration * interval '1 day', event)::text FROM surv_entry_par$$),
	('no rows', $$SELECT survival_agg(entry, duration, event)::text FROM surv_entry_par WHERE i + 0 < 0$$);
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
-- and the serial summary against plain SQL: subjects, entries, and the risk
-- set at a few event times counted row by row
SELECT subjects(s) = (SELECT count(*) FROM surv_entry_par) AS subjects_match,
	(s::text::jsonb->'entered') IS NOT NULL AS has_entries,
	(SELECT sum(x::bigint) FROM jsonb_array_elements_text(s::text::jsonb->'entered') x)
		= (SELECT count(*) FROM surv_entry_par WHERE entry > 0) AS entries_match,
	(SELECT bool_and(k.at_risk = (SELECT count(*) FROM surv_entry_par p
			WHERE (p.entry < k."time" OR p.entry = 0) AND k."time" <= p.duration))
	 FROM kaplan_meier(s) k WHERE k."time" IN (2, 101, 500, 999)) AS at_risk_match
FROM (SELECT survival_agg(entry, duration, event) s FROM surv_entry_par) x;


-- 8. The other readings walk the same risk sets: Nelson-Aalen, the
-- weighted and tabulated log-rank tests and the restricted mean's interval.
-- On the hand data set (section 1), the event times 3, 6, 8, 11 have
-- (n, d) = (4, 1), (3, 1), (2, 1), (2, 1): H = 1/4, 7/12, 13/12, 19/12 and
-- std_err = sqrt(sum d/n^2) = 1/4, 5/12, sqrt(61)/12, sqrt(97)/12
-- (0.25, 0.416666666667, 0.650854139659, 0.820738150150).
SELECT n."time", n.at_risk, n.events, round(n.cumulative_hazard::numeric, 12) AS cumulative_hazard,
	round(n.std_err::numeric, 12) AS std_err
FROM (SELECT survival_agg(entry, exit, event) s FROM surv_entry_hand) x, nelson_aalen(s) n;
-- Restricted mean to 12 (57/8) and its variance sum A_j^2 d / (n (n - d)),
-- A_j the area under S from t_j to 12: A = 33/8, 15/8, 7/8, 1/8 with
-- d / (n (n - d)) = 1/12, 1/6, 1/2, 1/2: 1839/768 = 2.39453125, so the
-- standard error is sqrt(1839/768) = 1.547427300392
SELECT r.restricted_mean, round(r.std_err::numeric, 12) AS std_err
FROM (SELECT survival_agg(entry, exit, event) s FROM surv_entry_hand) x,
	restricted_mean_survival_ci(s, 12) r;
-- log-rank weights on lung with entries by sex: the reference chisq of
-- section 3, 9.058640374095871, and the same observed / expected
SELECT round(w.chisq::numeric, 12) AS chisq, w.observed,
	array[round(w.expected[1]::numeric, 12), round(w.expected[2]::numeric, 12)] AS expected,
	(SELECT round(sum(t.observed)::numeric, 12) FROM logrank_table(a, 'logrank') t) AS table_observed
FROM (SELECT array_agg(s ORDER BY sex) a FROM
	(SELECT sex, survival_agg(entry, "time", status) s FROM surv_entry_lung_kept GROUP BY sex) x) y,
	weighted_logrank_test(a, 'logrank') w;
