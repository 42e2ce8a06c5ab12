-- Scalar accessors of record results (survey, survival, clv): they raise
-- the errors of the record function they mirror, with its SQLSTATEs.
-- Values: sql/survey_tidy.sql, sql/survival_tidy.sql, sql/clv_tidy.sql.
BEGIN;
SELECT plan(9);

SELECT throws_ok($$SELECT nps_lower(nps_agg(5), 0)$$, '22023', 'confidence level 0 is out of range',
	'nps_lower: level 0');
SELECT throws_ok($$SELECT nps_upper(nps_agg(5), 0.9, 'bootstrap')$$, '22023',
	'unrecognized NPS interval method "bootstrap"', 'nps_upper: unknown method');
SELECT throws_ok($$SELECT csat_lower(csat_agg(5), 0.95, 0)$$, '22023',
	'satisfied_from 0 is outside the scale 1..5', 'csat_lower: threshold off the scale');
SELECT throws_ok($$SELECT ces_upper(ces_agg(5), 1.5)$$, '22023', 'confidence level 1.5 is out of range',
	'ces_upper: level 1.5');
SELECT throws_ok($$SELECT nps_p_value(nps_agg(1), ces_agg(1))$$, '22023', NULL, 'nps_p_value needs 0..10 twice');
SELECT throws_ok($$SELECT median_survival_upper(survival_agg(5, true), 'NaN')$$, '22023', NULL,
	'median_survival_upper: level NaN');
SELECT throws_ok($$SELECT logrank_groups(ARRAY[[survival_agg(5, true)]])$$, '22023',
	'logrank_test expects a one-dimensional array of survival summaries', 'logrank_groups: 2-D array');
SELECT is((SELECT count(*) FROM logrank_groups(ARRAY[(SELECT survival_agg(1, true)), (SELECT survival_agg(2, true))])), 2::bigint,
	'logrank_groups: a row per group');
SELECT is(r(bgnbd_model(0.243, 4.414, 0.793, 2.426)), 0.243::float8, 'r reads the model''s r');

SELECT * FROM finish();
ROLLBACK;
