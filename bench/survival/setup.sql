-- bench/survival/setup.sql: the survival family's benchmark data.  Run by
-- bench/run (psql -v rows=N) after harness.sql.
--
-- Tables
--   lifetimes      :rows customer lifetimes in whole days (exponential, mean
--                  ~400 days, capped at 1,825 = censored at five years), event
--                  false for ~30 % (still active: censored), group keys g1000
--                  (1,000 groups, e.g. plan x region x cohort) and g10
--   cohorts        1,000 contract cohorts x 13 periods of survivor counts
--   cox_subjects   1,000,000 lifetimes with three covariates (age, plan,
--                  score) of known effects, for coxph_fit

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

SELECT setseed(0.20261127) \gset

CREATE TABLE lifetimes (
	duration double precision NOT NULL,     -- days, 0..1825
	event    boolean NOT NULL,              -- true: canceled; false: censored
	g1000    integer NOT NULL,
	g10      integer NOT NULL
);

INSERT INTO lifetimes
SELECT least(1825, floor(-ln(1 - random()) * 400 * (0.5 + (g % 7) / 6.0))),
	random() < 0.7,
	g % 1000,
	g % 10
FROM (SELECT floor(random() * 1e9)::int AS g FROM generate_series(1, :rows)) s;

-- sBG input: survivors of 1,000 cohorts of 10,000 over 12 periods, churn
-- heterogeneous across customers: S(t) of the model itself, with alpha and
-- beta varying by cohort
CREATE TABLE cohorts AS
SELECT c AS cohort, t AS period,
	round(10000 * exp(coalesce((SELECT sum(ln((b + i - 1) / (a + b + i - 1)))
		FROM generate_series(1, t) i), 0)))::bigint AS survivors
FROM (SELECT c, 0.5 + (c % 10) / 10.0 AS a, 1.0 + (c % 17) / 4.0 AS b
	FROM generate_series(1, 1000) c) p, generate_series(0, 12) t;

-- Cox regression input: 1,000,000 subjects (whatever :rows), exponential
-- lifetimes in whole days whose hazard is exp(0.02 (age - 50) - 0.4 plan +
-- 0.3 score): age 20..79 and plan 0..2 categorical, score continuous in
-- [-1, 1); ~30 % censored at random, the rest at five years
CREATE TABLE cox_subjects AS
SELECT least(1825, floor(-ln(1 - random()) * 400 * exp(-(0.02 * (age - 50) - 0.4 * plan + 0.3 * score)))) AS duration,
	random() < 0.7 AS event, age, plan, score
FROM (SELECT 20 + floor(random() * 60) AS age, floor(random() * 3) AS plan, random() * 2 - 1 AS score
	FROM generate_series(1, 1000000)) s;
UPDATE cox_subjects SET event = false WHERE duration = 1825;

VACUUM ANALYZE lifetimes;
VACUUM ANALYZE cohorts;
VACUUM ANALYZE cox_subjects;
SELECT bench_prewarm(ARRAY['lifetimes', 'cohorts', 'cox_subjects']);
