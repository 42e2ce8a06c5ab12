-- Cox proportional hazards: SQLSTATEs of every error, key values against R's
-- published output (see sql/coxph.sql and test/reference/coxph_reference.py),
-- corrupt literals and payloads of coxph_model (22P02 / 22P03), and
-- generated mutations of them: each read (and then round-tripping, its
-- accessors consistent) or rejected with 22P02 / 22P03, never another error.
BEGIN;
SELECT plan(55);
SELECT setseed(0.14);

-- Therneau & Grambsch's data set 1 (R survival tests/book1.R, book2.R)
CREATE TEMP TABLE book (t float8, e boolean, x float8);
INSERT INTO book VALUES (9, true, 0), (1, true, 1), (1, false, 1), (6, true, 1), (6, true, 0), (8, false, 0);
CREATE TEMP TABLE fits AS
SELECT 'efron' AS ties, coxph_fit(t, e, ARRAY[x], ARRAY['x']) AS m FROM book
UNION ALL SELECT 'breslow', coxph_fit(t, e, ARRAY[x], ARRAY['x'], 'breslow') FROM book;

-- values
SELECT is((SELECT round(coefficient::numeric, 6) FROM fits, coxph_coefficients(m) WHERE ties = 'efron'),
	1.676857, 'book2.R: Efron coefficient 1.676857');
SELECT is((SELECT round(coefficient::numeric, 10) FROM fits, coxph_coefficients(m) WHERE ties = 'breslow'),
	round(ln(1.5 + sqrt(33) / 2)::numeric, 10), 'book1.R: Breslow coefficient log(1.5 + sqrt(33)/2)');
SELECT is((SELECT array_agg(round(survival::numeric, 4) ORDER BY "time") FROM fits, coxph_survival(m, ARRAY[0.5]) WHERE ties = 'efron'),
	'{0.8857,0.4294,0.0425}'::numeric[], 'book2.R: survfit(fit) at the mean');
SELECT is((SELECT array_agg(round(survival::numeric, 4) ORDER BY "time") FROM fits, coxph_survival(m, ARRAY[0.5]) WHERE ties = 'breslow'),
	'{0.8783,0.4981,0.0615}'::numeric[], 'book1.R: survfit(fit) at the mean');
SELECT is((SELECT term FROM fits, coxph_coefficients(m) WHERE ties = 'efron'), 'x', 'the covariate''s name');
SELECT is((SELECT array_agg(test ORDER BY test) FROM fits, coxph_tests(m) WHERE ties = 'efron'),
	'{likelihood_ratio,score,wald}', 'three tests');
SELECT is((SELECT converged(m) FROM fits WHERE ties = 'efron'), true, 'converged');
SELECT ok((SELECT coxph_fit(t, e, ARRAY[x]) FROM book WHERE false) IS NULL, 'no rows: NULL');

-- bad rows: 22003, 22004, 22023, 2202E
SELECT throws_ok($$SELECT coxph_fit(-1, true, ARRAY[1::float8])$$, '22003', 'duration -1 is out of range', 'negative duration');
SELECT throws_ok($$SELECT coxph_fit('Infinity', true, ARRAY[1::float8])$$, '22003', NULL, 'infinite duration');
SELECT throws_ok($$SELECT coxph_fit(1, true, ARRAY['Infinity'::float8])$$, '22003', 'coxph_fit: covariate 1 is Infinity', 'infinite covariate');
SELECT throws_ok($$SELECT coxph_fit(1, true, ARRAY[NULL::float8])$$, '22004', 'coxph_fit: a covariate is NULL', 'NULL covariate');
SELECT throws_ok($$SELECT coxph_fit(d, true, x) FROM (VALUES (1::float8, ARRAY[1::float8]), (2, ARRAY[1::float8, 2, 3])) v(d, x)$$,
	'22023', 'coxph_fit: covariate arrays of lengths 1 and 3', 'covariate arrays of two lengths');
SELECT throws_ok($$SELECT coxph_fit(1, true, '{}'::float8[])$$, '22023', 'coxph_fit: 0 covariates', 'no covariates');
SELECT throws_ok($$SELECT coxph_fit(1, true, array_fill(1::float8, ARRAY[101]))$$, '22023', 'coxph_fit: 101 covariates', '101 covariates');
SELECT throws_ok($$SELECT coxph_fit(1, true, '{{1},{2}}'::float8[])$$, '2202E', NULL, 'two-dimensional covariates');
SELECT throws_ok($$SELECT coxph_fit(1, true, ARRAY[1::float8], 'exact')$$, '22023', 'coxph_fit: unknown ties method "exact"', 'ties exact');
SELECT throws_ok($$SELECT coxph_fit(1, true, ARRAY[1::float8], NULL::text)$$, '22004', NULL, 'NULL ties');
SELECT throws_ok($$SELECT coxph_fit(1, true, ARRAY[1::float8], ARRAY[NULL::text])$$, '22004', 'coxph_fit: covariate name 1 is NULL', 'NULL name');
SELECT throws_ok($$SELECT coxph_fit(1, true, ARRAY[1::float8], ARRAY[''])$$, '22023', NULL, 'empty name');
SELECT throws_ok($$SELECT coxph_fit(1, true, ARRAY[1::float8], ARRAY[repeat('n', 64)])$$, '22023', NULL, '64-byte name');
SELECT throws_ok($$SELECT coxph_fit(1, true, ARRAY[1::float8], ARRAY[E'a\nb'])$$, '22023', NULL, 'name with a newline');
SELECT throws_ok($$SELECT coxph_fit(1, true, ARRAY[1::float8, 2], ARRAY['a'])$$, '22023', 'coxph_fit: 1 names for 2 covariates', 'too few names');
SELECT throws_ok($$SELECT coxph_fit(i, true, ARRAY[1::float8], CASE WHEN i = 1 THEN 'efron' ELSE 'breslow' END) FROM generate_series(1, 2) i$$,
	'22023', NULL, 'ties change between rows');
-- entry times (left truncation): 22003, 22023; R's test2 (survival's coxph
-- examples): coef -0.02111, Concordance = 0.526
SELECT throws_ok($$SELECT coxph_fit(-1, 5, true, ARRAY[1::float8])$$, '22003', 'entry -1 is out of range', 'negative entry');
SELECT throws_ok($$SELECT coxph_fit('NaN', 5, true, ARRAY[1::float8])$$, '22003', NULL, 'NaN entry');
SELECT throws_ok($$SELECT coxph_fit(5, 5, true, ARRAY[1::float8])$$, '22023', 'coxph_fit: entry 5 is not before the duration 5',
	'entry at the duration');
SELECT is((SELECT round(coefficient::numeric, 5) FROM coxph_coefficients((SELECT coxph_fit(s, e, ev, ARRAY[x])
	FROM (VALUES (1, 2, true, 1), (2, 3, true, 0), (5, 6, true, 0), (2, 7, true, 1), (1, 8, true, 0), (7, 9, true, 1),
		(3, 9, true, 1), (4, 9, false, 1), (8, 14, false, 0), (8, 17, false, 0)) v(s, e, ev, x)))),
	-0.02111, 'R test2 (start, stop] coefficient -0.02111');
-- fits that cannot be made: 22023
SELECT throws_ok($$SELECT coxph_fit(t, false, ARRAY[x]) FROM book$$, '22023', 'coxph_fit needs at least one event', 'no events');
SELECT throws_ok($$SELECT coxph_fit(t, e, ARRAY[x, 1 - x]) FROM book$$, '22023',
	'coxph_fit: the information matrix is singular at covariate 2', 'collinear covariates');
-- accessors: 22023, 22004, 22003
SELECT throws_ok($$SELECT coxph_survival_at(m, ARRAY[1, 2], 3) FROM fits$$, '22023', NULL, 'covariates of another length');
SELECT throws_ok($$SELECT coxph_survival_at(m, ARRAY[NULL::float8], 3) FROM fits$$, '22004', NULL, 'NULL covariate to predict');
SELECT throws_ok($$SELECT coxph_survival_at(m, ARRAY[1e300], 3) FROM fits$$, '22003', NULL, 'relative risk out of range');
SELECT throws_ok($$SELECT coxph_survival_at(m, ARRAY[1], 'NaN') FROM fits$$, '22023', NULL, 'NaN time');
SELECT throws_ok($$SELECT * FROM fits, coxph_coefficients(m, 0)$$, '22023', NULL, 'level 0');

-- malformed literals: 22P02; corrupt binary: 22P03
SELECT throws_ok($$SELECT 'x'::coxph_model$$, '22P02', NULL, 'not JSON');
SELECT throws_ok($$SELECT replace(m::text, '"ties":"efron"', '"ties":"exact"')::coxph_model FROM fits WHERE ties = 'efron'$$,
	'22P02', NULL, 'unknown ties');
SELECT throws_ok($$SELECT replace(m::text, '"covariance":[', '"covariance":[-')::coxph_model FROM fits WHERE ties = 'efron'$$,
	'22P02', NULL, 'negative variance');
SELECT throws_ok($$SELECT replace(m::text, '"times":[1,', '"times":[7,')::coxph_model FROM fits WHERE ties = 'efron'$$,
	'22P02', NULL, 'times not increasing');
SELECT throws_ok($$SELECT replace(m::text, '"names":["x"]', '"names":["x","y"]')::coxph_model FROM fits WHERE ties = 'efron'$$,
	'22P02', NULL, 'two names for one covariate');
SELECT throws_ok($$SELECT replace(m::text, '"events":4', '"events":7')::coxph_model FROM fits WHERE ties = 'efron'$$,
	'22P02', NULL, 'more events than subjects');
SELECT throws_ok($$SELECT replace(m::text, '"concordance":', '"concordance":1')::coxph_model FROM fits WHERE ties = 'efron'$$,
	'22P02', NULL, 'concordance above 1');
\ir ../fuzz.sql
SELECT throws_ok($$SELECT pg_temp.load_binary('coxph_model', '\x02')$$, '22P03', NULL, 'binary version 2');
SELECT throws_ok($$SELECT pg_temp.load_binary('coxph_model', substr(coxph_model_send(m), 1, 40)) FROM fits WHERE ties = 'efron'$$,
	'22P03', NULL, 'binary truncated');
SELECT throws_ok($$SELECT pg_temp.load_binary('coxph_model', coxph_model_send(m) || '\x00') FROM fits WHERE ties = 'efron'$$,
	'22P03', NULL, 'binary trailing byte');
SELECT throws_ok($$SELECT pg_temp.load_binary('coxph_model', overlay(coxph_model_send(m) PLACING '\x07' FROM 2)) FROM fits WHERE ties = 'efron'$$,
	'22P03', NULL, 'binary ties 7');
SELECT is((SELECT pg_temp.load_binary('coxph_model', coxph_model_send(m)) FROM fits WHERE ties = 'breslow'),
	(SELECT m::text FROM fits WHERE ties = 'breslow'), 'binary round trip');

-- generated mutations; each value read is used to predict at its covariates'
-- center, where the relative risk is 1 (elsewhere a mutated coefficient or
-- center may put it out of range, 22003, as far from any data)
CREATE TEMP TABLE cox_text_cases AS
SELECT * FROM pg_temp.fuzz_text_cases('coxph_model', (SELECT array_agg(m::text ORDER BY ties) FROM fits),
	'{}[],:" -0123456789.eabflnorstux', 1000, 2);
SELECT pg_temp.fuzz_checks('cox_text_cases', '22P02', 10, 500, 'coxph_model text literals', 'coxph_model',
	$c$(SELECT count(*) FROM coxph_coefficients(v)) = jsonb_array_length(v::text::jsonb -> 'coefficients')
		AND (SELECT bool_and(survival BETWEEN 0 AND 1) FROM coxph_survival(v, ARRAY(SELECT c::float8
			FROM jsonb_array_elements_text(v::text::jsonb -> 'center') WITH ORDINALITY e(c, i) ORDER BY i)))$c$);
CREATE TEMP TABLE cox_binary_cases AS
SELECT * FROM pg_temp.fuzz_binary_cases('coxph_model', (SELECT array_agg(m::text ORDER BY ties) FROM fits), 400);
SELECT pg_temp.fuzz_checks('cox_binary_cases', '22P03', 10, 100, 'coxph_model binary payloads', 'coxph_model',
	$c$(SELECT count(*) FROM coxph_coefficients(v)) = jsonb_array_length(v::text::jsonb -> 'coefficients')
		AND (SELECT bool_and(survival BETWEEN 0 AND 1) FROM coxph_survival(v, ARRAY(SELECT c::float8
			FROM jsonb_array_elements_text(v::text::jsonb -> 'center') WITH ORDINALITY e(c, i) ORDER BY i)))$c$);

SELECT * FROM finish();
ROLLBACK;
