-- Survival KPIs: SQLSTATEs of every error, and key values against independent
-- expectations (see sql/survival.sql and test/reference/survival_reference.py).
BEGIN;
SELECT plan(92);

CREATE TEMP TABLE aml (t float8, e int, grp int);
INSERT INTO aml VALUES (9,1,1),(13,1,1),(13,0,1),(18,1,1),(23,1,1),(28,0,1),(31,1,1),(34,1,1),
	(45,0,1),(48,1,1),(161,0,1),(5,1,2),(5,1,2),(8,1,2),(8,1,2),(12,1,2),(16,0,2),(23,1,2),
	(27,1,2),(30,1,2),(33,1,2),(43,1,2),(45,1,2);

-- values (R survival: doaml.Rout.save)
SELECT is((SELECT array_agg(round(survival::numeric, 3) ORDER BY "time")
	FROM kaplan_meier((SELECT survival_agg(t, e) FROM aml WHERE grp = 1))),
	'{0.909,0.818,0.716,0.614,0.491,0.368,0.184}'::numeric[], 'aml Maintained survival as R');
SELECT is((SELECT median_survival(survival_agg(t, e)) FROM aml WHERE grp = 1), 31::float8, 'median 31');
SELECT is((SELECT median_survival(survival_agg(t, e)) FROM aml WHERE grp = 2), 23::float8, 'median 23');
SELECT is((SELECT (median_survival_ci(survival_agg(t, e))).lower FROM aml WHERE grp = 1), 18::float8,
	'0.95LCL of the median 18');
SELECT is((SELECT round(chisq::numeric, 4) FROM logrank_test((SELECT array_agg(s) FROM
	(SELECT survival_agg(t, e) s FROM aml GROUP BY grp) x))), 3.3964, 'log-rank chisq 3.3964');
SELECT is((SELECT round(p_value::numeric, 4) FROM logrank_test((SELECT array_agg(s) FROM
	(SELECT survival_agg(t, e) s FROM aml GROUP BY grp) x))), 0.0653, 'log-rank p 0.0653');
SELECT is((SELECT round(alpha(sbg_fit(p, s))::numeric, 3) FROM (VALUES (0,1000),(1,869),(2,743),(3,653),
	(4,593),(5,551),(6,517),(7,491)) v(p, s)), 0.668, 'sBG High End alpha 0.668');
SELECT is((SELECT round(beta(sbg_fit(p, s))::numeric, 3) FROM (VALUES (0,1000),(1,631),(2,468),(3,382),
	(4,326),(5,289),(6,262),(7,241)) v(p, s)), 1.182, 'sBG Regular beta 1.182');
SELECT is((SELECT survival_agg(t, e)::text FROM aml WHERE false),
	'{"version":1,"time":[],"events":[],"censored":[]}', 'no rows: an empty summary');

-- bad durations and events: 22003, 22023
SELECT throws_ok($$SELECT survival_agg(-1, true)$$, '22003', 'duration -1 is out of range', 'negative duration');
SELECT throws_ok($$SELECT survival_agg('NaN'::float8, 1)$$, '22003', 'duration NaN is out of range', 'NaN duration');
SELECT throws_ok($$SELECT survival_agg('-Infinity'::float8, false)$$, '22003', NULL, 'infinite duration');
SELECT throws_ok($$SELECT survival_agg(t, e + 1) FROM aml$$, '22023', 'event status 2 is neither 0 nor 1',
	'status 2 (R''s 1/2 coding)');
SELECT throws_ok($$SELECT survival_agg(3, -1)$$, '22023', 'event status -1 is neither 0 nor 1', 'status -1');

-- bad parameters: 22023
SELECT throws_ok($$SELECT kaplan_meier(survival_agg(5, 1), 0)$$, '22023', 'confidence level 0 is out of range', 'level 0');
SELECT throws_ok($$SELECT median_survival_ci(survival_agg(5, 1), 1)$$, '22023', NULL, 'level 1');
SELECT throws_ok($$SELECT restricted_mean_survival(survival_agg(5, 1), -3)$$, '22023',
	'restricted mean horizon -3 is out of range', 'negative horizon');
SELECT throws_ok($$SELECT survival_at(survival_agg(5, 1), 'NaN')$$, '22023', 'survival time must not be NaN', 'NaN time');
SELECT throws_ok($$SELECT logrank_test(ARRAY[ARRAY[survival_agg(5, 1)]])$$, '22023', NULL, 'two-dimensional array');
SELECT throws_ok($$SELECT logrank_test(array_agg(survival_agg)) FROM (SELECT survival_agg(g, 1)
	FROM generate_series(1, 101) g GROUP BY g) x$$, '54000', 'logrank_test compares at most 100 groups', 'too many groups');

SELECT throws_ok($$SELECT survival_uncombine(survival_agg(5, true), survival_agg(6, true))$$, '22023',
	'cannot remove a survival summary that was not merged in', 'removing a summary that is not there');
SELECT throws_ok($$SELECT survival_uncombine(survival_agg(5, true), survival_agg(5, false))$$, '22023',
	'cannot remove a survival summary that was not merged in', 'removing a censoring that is not there');

-- sBG errors
SELECT throws_ok($$SELECT sbg_fit(p, s) FROM (VALUES (0, 100), (1, 90), (2, 95)) v(p, s)$$, '22023',
	'survivors increase from 90 at period 1 to 95 at period 2', 'survivors increasing');
SELECT throws_ok($$SELECT sbg_fit(p, s) FROM (VALUES (0, 100), (1, 90), (1, 80)) v(p, s)$$, '22023',
	'period 1 is given more than once', 'period twice');
SELECT throws_ok($$SELECT sbg_fit(p, s) FROM (VALUES (1, 100), (2, 90)) v(p, s)$$, '22023',
	'sbg_fit needs a positive cohort size at period 0', 'no period 0');
SELECT throws_ok($$SELECT sbg_fit(p, s) FROM (VALUES (0, 0), (1, 0)) v(p, s)$$, '22023',
	'sbg_fit needs a positive cohort size at period 0', 'empty cohort');
SELECT throws_ok($$SELECT sbg_fit(0, 100)$$, '22023',
	'sbg_fit needs survivors at period 0 and at least one later period', 'one period');
SELECT throws_ok($$SELECT sbg_fit(-1, 100)$$, '22003', 'period -1 is out of range', 'negative period');
SELECT throws_ok($$SELECT sbg_fit(10001, 100)$$, '22003', 'period 10001 is out of range', 'period too large');
SELECT throws_ok($$SELECT sbg_fit(0, -5)$$, '22003', 'survivor count -5 is negative', 'negative survivors');
SELECT throws_ok($$SELECT sbg_survival('{"version":1,"alpha":0.5,"beta":2,"log_likelihood":-10.5,"periods":3,"customers":40,"converged":true}', -1)$$,
	'22023', 'period -1 is out of range', 'sbg_survival of a negative period');
SELECT throws_ok($$SELECT sbg_retention_rate('{"version":1,"alpha":0.5,"beta":2,"log_likelihood":-10.5,"periods":3,"customers":40,"converged":true}', 0)$$,
	'22023', 'period 0 is out of range', 'retention rate of period 0');
SELECT throws_ok($$SELECT sbg_projection('{"version":1,"alpha":0.5,"beta":2,"log_likelihood":-10.5,"periods":3,"customers":40,"converged":true}', 20000)$$,
	'22023', 'period 20000 is out of range', 'projection too long');

-- malformed literals: 22P02; corrupt binary: 22P03
SELECT throws_ok($$SELECT 'x'::survival_summary$$, '22P02', NULL, 'garbage');
SELECT throws_ok($$SELECT '{"version":1,"time":[1,1],"events":[1,1],"censored":[0,0]}'::survival_summary$$, '22P02', NULL,
	'repeated duration');
SELECT throws_ok($$SELECT '{"version":1,"time":[1],"events":[1],"censored":[0],"extra":1}'::survival_summary$$, '22P02', NULL,
	'trailing field');
SELECT throws_ok($$SELECT '{"version":1,"alpha":0.5,"beta":0,"log_likelihood":-1,"periods":3,"customers":40,"converged":true}'::sbg_model$$,
	'22P02', NULL, 'sbg_model with beta 0');
SELECT throws_ok($$SELECT '{"version":1,"alpha":0.5,"beta":1,"log_likelihood":3,"periods":3,"customers":40,"converged":true}'::sbg_model$$,
	'22P02', NULL, 'sbg_model with a positive log-likelihood');
\ir ../binary_copy.sql
SELECT throws_ok($$SELECT pg_temp.load_binary('survival_summary', '\x0300000000')$$, '22P03',
	'unsupported survival_summary binary format version 3', 'survival_summary binary version 3');
SELECT throws_ok($$SELECT pg_temp.load_binary('survival_summary', '\x010000000100')$$, '22P03', NULL,
	'survival_summary binary too short');
SELECT throws_ok($$SELECT pg_temp.load_binary('sbg_model', '\x01')$$, '22P03', NULL, 'sbg_model binary too short');
SELECT throws_ok($$SELECT pg_temp.load_binary('sbg_model', overlay(sbg_model_send('{"version":1,"alpha":0.5,"beta":2,"log_likelihood":-10.5,"periods":3,"customers":40,"converged":true}') PLACING '\x05' FROM 38))$$,
	'22P03', NULL, 'sbg_model converged byte 5');

-- interval durations (1.3.0): days = extract(epoch from duration) / 86400
SELECT is((SELECT survival_agg(d, true)::text FROM unnest('{1 day 12:00, 1 mon, 1 year, 1 year 1 mon}'::interval[]) d),
	'{"version":1,"time":[1.5,30,365.25,395.25],"events":[1,1,1,1],"censored":[0,0,0,0]}',
	'interval durations in days: a month 30 days, a year 365.25 (by hand)');
SELECT throws_ok($$SELECT survival_agg(interval '-1 day', true)$$, '22003', NULL, 'negative interval duration');
SELECT throws_ok($$SELECT survival_agg(interval '1 day -25 hours', 1)$$, '22003', NULL, 'negative interval duration, status form');
SELECT CASE WHEN current_setting('server_version_num')::int >= 170000
	THEN throws_ok($$SELECT survival_agg('infinity'::interval, true)$$, '22003', NULL, 'infinite interval duration')
	ELSE skip('interval has no infinities before PostgreSQL 17') END;
SELECT throws_ok($$SELECT survival_agg('2 days', true)$$, '42725', NULL,
	'an untyped string literal duration is ambiguous between double precision and interval');

-- Nelson-Aalen (issue 14)
SELECT throws_ok($$SELECT nelson_aalen(survival_agg(5, 1), 1)$$, '22023', 'confidence level 1 is out of range',
	'nelson_aalen level 1');
SELECT throws_ok($$SELECT nelson_aalen(survival_agg(5, 1), 'NaN')$$, '22023', NULL, 'nelson_aalen level NaN');
SELECT throws_ok($$SELECT cumulative_hazard_at(survival_agg(5, 1), 'NaN')$$, '22023', 'survival time must not be NaN',
	'cumulative_hazard_at NaN time');

-- weighted and stratified log-rank (issue 14)
SELECT throws_ok($$SELECT weighted_logrank_test(ARRAY[survival_agg(5, 1)], 'wilcox')$$, '22023',
	'unknown log-rank weights "wilcox"', 'unknown weight name');
SELECT throws_ok($$SELECT logrank_table(ARRAY[survival_agg(5, 1)], 'Logrank')$$, '22023', NULL,
	'weight names are lowercase');
SELECT throws_ok($$SELECT weighted_logrank_test(ARRAY[survival_agg(5, 1)], 'fleming_harrington', -1, 0)$$, '22023',
	'Fleming-Harrington exponents p = -1 and q = 0 are out of range', 'negative p');
SELECT throws_ok($$SELECT weighted_logrank_test(ARRAY[survival_agg(5, 1)], 'fleming_harrington', 1, 'NaN')$$, '22023',
	NULL, 'NaN q');
SELECT throws_ok($$SELECT weighted_logrank_test(ARRAY[survival_agg(5, 1)], 'fleming_harrington', 'Infinity', 0)$$, '22023',
	NULL, 'infinite p');
SELECT throws_ok($$SELECT weighted_logrank_test(ARRAY[survival_agg(5, 1)], 'tarone_ware', 1, 0)$$, '22023',
	'exponents p and q apply to fleming_harrington weights only, not to tarone_ware', 'p with other weights');
SELECT throws_ok($$SELECT weighted_logrank_test(ARRAY[[survival_agg(5, 1)]], 'logrank')$$, '22023', NULL,
	'two-dimensional array');
SELECT throws_ok($$SELECT stratified_logrank_test(ARRAY[survival_agg(5, 1)], '{a,b}', '{x}')$$, '2202E',
	'1 survival summaries, 2 group labels and 1 stratum labels do not match', 'mismatched group labels');
SELECT throws_ok($$SELECT stratified_logrank_table(ARRAY[survival_agg(5, 1)], '{a}', '{}')$$, '2202E', NULL,
	'mismatched stratum labels');
SELECT throws_ok($$SELECT stratified_logrank_test(ARRAY[survival_agg(5, 1)], '{NULL}', '{x}')$$, '22004',
	'group labels must not be NULL', 'NULL group label');
SELECT throws_ok($$SELECT stratified_logrank_test(ARRAY[NULL, survival_agg(5, 1)], '{a,b}', ARRAY['x', NULL])$$, '22004',
	'stratum labels must not be NULL', 'NULL stratum label');
SELECT throws_ok($$SELECT stratified_logrank_test(array_agg(s), array_agg(i::text), array_agg('x'::text))
	FROM (SELECT i, survival_agg(i, 1) s FROM generate_series(1, 101) i GROUP BY i) x$$, '54000', NULL,
	'at most 100 groups');

-- restricted mean interval and difference (issue 14)
SELECT throws_ok($$SELECT rmst_difference(survival_agg(5, 1), survival_agg(6, 1), 0)$$, '22023',
	'restricted mean horizon 0 is out of range', 'rmst_difference horizon 0');
SELECT throws_ok($$SELECT rmst_difference(survival_agg(5, 1), survival_agg(6, 1), -3)$$, '22023', NULL,
	'rmst_difference negative horizon');
SELECT throws_ok($$SELECT rmst_difference(survival_agg(5, 1), survival_agg(6, 1), 'NaN')$$, '22023', NULL,
	'rmst_difference NaN horizon');
SELECT throws_ok($$SELECT restricted_mean_survival_ci(survival_agg(5, 1), 'Infinity')$$, '22023', NULL,
	'restricted_mean_survival_ci infinite horizon');
SELECT throws_ok($$SELECT rmst_difference(survival_agg(5, 1), survival_agg(6, 1), 10, 1.5)$$, '22023',
	'confidence level 1.5 is out of range', 'rmst_difference level 1.5');
SELECT throws_ok($$SELECT restricted_mean_survival_ci(survival_agg(5, 1), 10, 0)$$, '22023', NULL,
	'restricted_mean_survival_ci level 0');
SELECT throws_ok($$SELECT rmst_difference('{"version":1,"time":[1e308,1.7e308],"events":[1,0],"censored":[0,3]}',
	survival_agg(6, 1), 1.79e308)$$, '22003', 'restricted mean survival is out of range', 'rmst overflow');
-- delayed entry (1.3.0): survival_agg(entry, duration, event).  The hand
-- data set of sql/survival_entry.sql: (entry, exit, event) A (0,3,1),
-- B (0,5,0), C (2,6,1), D (4,6,0), E (1,8,1), F (7,9,0), G (10,12,0),
-- H (10,11,1); at risk 4, 3, 2, 2 at the events 3, 6, 8, 11 (worked by hand
-- there), S = 3/4, 1/2, 1/4, 1/8; median (6 + 8) / 2 = 7 (R's midpoint rule)
CREATE TEMP TABLE entry_hand (who text, entry float8, t float8, e boolean);
INSERT INTO entry_hand VALUES ('A',0,3,true),('B',0,5,false),('C',2,6,true),('D',4,6,false),
	('E',1,8,true),('F',7,9,false),('G',10,12,false),('H',10,11,true);
SELECT is((SELECT array_agg(at_risk::text || ':' || survival::text ORDER BY "time")
	FROM kaplan_meier((SELECT survival_agg(entry, t, e) FROM entry_hand))),
	'{4:0.75,3:0.5,2:0.25,2:0.125}'::text[], 'delayed entry: risk sets and survival by hand');
SELECT is((SELECT median_survival(survival_agg(entry, t, e)) FROM entry_hand), 7::float8,
	'delayed entry: median by hand');
SELECT is((SELECT survival_agg(entry, t, e)::text FROM entry_hand),
	'{"version":2,"time":[1,2,3,4,5,6,7,8,9,10,11,12],"events":[0,0,1,0,0,1,0,1,0,0,1,0],"censored":[0,0,0,0,1,1,0,0,1,0,0,1],"entered":[1,1,0,1,0,0,1,0,0,2,0,0]}',
	'delayed entry: format 2 text form by hand');
SELECT is((SELECT pg_temp.load_binary('survival_summary', survival_summary_send(survival_agg(entry, t, e))) FROM entry_hand),
	(SELECT survival_agg(entry, t, e)::text FROM entry_hand), 'delayed entry: binary round trip');
SELECT throws_ok($$SELECT survival_agg(5::float8, 5::float8, true)$$, '22023',
	'entry 5 is not before duration 5', 'entry equal to the duration');
SELECT throws_ok($$SELECT survival_agg(6::float8, 5::float8, 1)$$, '22023', NULL, 'entry after the duration, status form');
SELECT throws_ok($$SELECT survival_agg(-1::float8, 5::float8, true)$$, '22003', 'entry -1 is out of range', 'negative entry');
SELECT throws_ok($$SELECT survival_agg('NaN'::float8, 5::float8, true)$$, '22003', NULL, 'NaN entry');
SELECT throws_ok($$SELECT survival_agg(interval '-1 day', interval '5 days', true)$$, '22003', NULL, 'negative interval entry');
SELECT throws_ok($$SELECT survival_agg(interval '5 days', interval '5 days', 0)$$, '22023', NULL, 'interval entry equal to the duration');
SELECT throws_ok($$SELECT survival_summary_deaccum_entry(survival_agg(0::float8, 5::float8, true), 2, 5, true)$$, '22023', NULL,
	'removing an entry that was not added');
SELECT throws_ok($$SELECT survival_uncombine(survival_agg(2::float8, 5::float8, true), survival_agg(3::float8, 5::float8, true))$$,
	'22023', NULL, 'uncombining an entry that was not merged in');
SELECT throws_ok($$SELECT '{"version":2,"time":[1,2],"events":[0,1],"censored":[0,0],"entered":[1]}'::survival_summary$$,
	'22P02', NULL, 'format 2: entered count mismatch');
SELECT throws_ok($$SELECT '{"version":2,"time":[2,1],"events":[1,0],"censored":[0,0],"entered":[0,1]}'::survival_summary$$,
	'22P02', NULL, 'format 2: unsorted times');
SELECT throws_ok($$SELECT '{"version":2,"time":[1,2],"events":[0,1],"censored":[0,0],"entered":[-1,0]}'::survival_summary$$,
	'22P02', NULL, 'format 2: negative entry count');
SELECT throws_ok($$SELECT '{"version":2,"time":[1,2],"events":[1,0],"censored":[0,0],"entered":[0,1]}'::survival_summary$$,
	'22P02', NULL, 'format 2: a subject leaves before anyone entered');
SELECT throws_ok($$SELECT '{"version":2,"time":[1,2],"events":[0,1],"censored":[0,0],"entered":[0,0]}'::survival_summary$$,
	'22P02', NULL, 'format 2 without entries (written as format 1)');
SELECT throws_ok($$SELECT '{"version":2,"time":[0,1],"events":[0,1],"censored":[0,0],"entered":[1,0]}'::survival_summary$$,
	'22P02', NULL, 'format 2: an entry at time 0');
SELECT throws_ok($$SELECT '{"version":2,"time":[1],"events":[1],"censored":[0]}'::survival_summary$$,
	'22P02', NULL, 'format 2 without its entered array');
SELECT throws_ok($$SELECT '{"version":1,"time":[1,2],"events":[0,1],"censored":[0,0],"entered":[1,0]}'::survival_summary$$,
	'22P02', NULL, 'format 1 with an entered array');
SELECT throws_ok($$SELECT pg_temp.load_binary('survival_summary', substr(survival_summary_send('{"version":2,"time":[1,2],"events":[0,1],"censored":[0,0],"entered":[1,0]}'), 1, 61))$$,
	'22P03', NULL, 'format 2 binary without its last entry count');
SELECT throws_ok($$SELECT pg_temp.load_binary('survival_summary', overlay(survival_summary_send('{"version":2,"time":[1,2],"events":[0,1],"censored":[0,0],"entered":[1,0]}') PLACING '\x0000000000000001' FROM 62))$$,
	'22P03', NULL, 'format 2 binary with more entries than subjects');
SELECT throws_ok($$SELECT pg_temp.load_binary('survival_summary', overlay(survival_summary_send('{"version":2,"time":[1,2],"events":[0,1],"censored":[0,0],"entered":[1,0]}') PLACING '\x01' FROM 1))$$,
	'22P03', NULL, 'format 2 payload read as format 1');

SELECT * FROM finish();
ROLLBACK;
