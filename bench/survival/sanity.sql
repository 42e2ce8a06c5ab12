-- bench/survival/sanity.sql: the timed queries give the right answers,
-- checked once, untimed, serial and with 2 workers.  Prints "ok" or
-- "MISMATCH" per check.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\pset tuples_only on
\pset format unaligned

-- The analyst's Kaplan-Meier with window functions, per g1000 group: S at
-- each distinct duration; compared with survival_at(s, 365) and 1000
CREATE TEMP VIEW analyst_km AS
WITH t AS (
	SELECT g1000, duration, count(*) FILTER (WHERE event) AS d, count(*) AS m
	FROM lifetimes GROUP BY g1000, duration
), k AS (
	SELECT g1000, duration, d, sum(m) OVER (PARTITION BY g1000 ORDER BY duration DESC) AS n FROM t
)
SELECT g1000, duration,
	CASE WHEN bool_or(d = n) OVER w THEN 0
					ELSE exp(coalesce(sum(ln(1 - d::float8 / n)) FILTER (WHERE d < n) OVER w, 0)) END AS surv
FROM k
WINDOW w AS (PARTITION BY g1000 ORDER BY duration);

SELECT bench_workers(0) \gset
-- the window query runs once: S at the last duration <= 365 of each group
SELECT bench_check('g1000: survival_at 365 = analyst KM (serial)', count(*) FILTER (WHERE NOT same) = 0,
	format('%s groups, %s differ', count(*), count(*) FILTER (WHERE NOT same)))
FROM (SELECT abs(survival_at(x.s, 365) - a.surv) < 1e-9 AS same
	FROM (SELECT g1000, survival_agg(duration, event) AS s FROM lifetimes GROUP BY g1000) x
	JOIN (SELECT g1000, (array_agg(surv ORDER BY duration DESC))[1] AS surv
		FROM analyst_km WHERE duration <= 365 GROUP BY g1000) a USING (g1000)) y;

CREATE TEMP TABLE serial_summaries AS
SELECT g1000, survival_agg(duration, event)::text AS s FROM lifetimes GROUP BY g1000;
SELECT bench_workers(2) \gset
SELECT bench_check('g1000: 2 workers = serial', count(*) FILTER (WHERE NOT same) = 0,
	format('%s groups, %s differ', count(*), count(*) FILTER (WHERE NOT same)))
FROM (SELECT p.s::text = s.s AS same
	FROM (SELECT g1000, survival_agg(duration, event) AS s FROM lifetimes GROUP BY g1000) p
	JOIN serial_summaries s USING (g1000)) z;
SELECT bench_check('plan of survival_agg by g1000 (2 workers)',
	strpos(shape, 'Gather') > 0 OR (SELECT reltuples < 1e6 FROM pg_class WHERE oid = 'lifetimes'::regclass), shape)
FROM bench_plan_shape($q$SELECT survival_agg(duration, event) FROM lifetimes GROUP BY g1000$q$) shape;
SELECT bench_workers(0) \gset

-- delayed entry: the timed analyst query's S at 365 (entry-only times
-- carry d = 0 and leave S as it is)
SELECT bench_check('g1000 delayed entry: survival_at 365 = analyst KM', count(*) FILTER (WHERE NOT same) = 0,
	format('%s groups, %s differ', count(*), count(*) FILTER (WHERE NOT same)))
FROM (SELECT abs(survival_at(x.s, 365) - a.surv) < 1e-9 AS same
	FROM (SELECT g1000, survival_agg(floor(duration * (g1000 % 3) / 4), duration, event) AS s
		FROM lifetimes GROUP BY g1000) x
	JOIN (SELECT g1000, (array_agg(surv ORDER BY t DESC))[1] AS surv
		FROM (SELECT g1000, t,
				CASE WHEN bool_or(d = n AND d > 0) OVER w THEN 0
					ELSE exp(coalesce(sum(ln(1 - d::float8 / n)) FILTER (WHERE d > 0 AND d < n) OVER w, 0)) END AS surv
			FROM (SELECT g1000, t, d,
					sum(m) OVER p - sum(e) OVER p
						+ coalesce(sum(e - m) OVER (p ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS n
				FROM (SELECT g1000, t, sum(d) AS d, sum(m) AS m, sum(e) AS e
					FROM (SELECT g1000, duration AS t, count(*) FILTER (WHERE event) AS d, count(*) AS m, 0 AS e
							FROM lifetimes GROUP BY g1000, duration
						UNION ALL
						SELECT g1000, floor(duration * (g1000 % 3) / 4), 0, 0, count(*)
							FROM lifetimes WHERE floor(duration * (g1000 % 3) / 4) > 0 GROUP BY 1, 2) u
					GROUP BY g1000, t) a
				WINDOW p AS (PARTITION BY g1000)) k
			WINDOW w AS (PARTITION BY g1000 ORDER BY t)) s
		WHERE t <= 365 GROUP BY g1000) a USING (g1000)) y;

SELECT bench_check('whole table: subjects, events = count(*)',
	subjects(s) = (SELECT count(*) FROM lifetimes) AND events(s) = (SELECT count(*) FROM lifetimes WHERE event),
	format('%s subjects, %s events', subjects(s), events(s)))
FROM (SELECT survival_agg(duration, event) AS s FROM lifetimes) x;

SELECT bench_check('sbg_fit by cohort converges', count(*) FILTER (WHERE NOT converged(m)) = 0,
	format('%s cohorts, %s not converged', count(*), count(*) FILTER (WHERE NOT converged(m))))
FROM (SELECT cohort, sbg_fit(period, survivors) AS m FROM cohorts GROUP BY cohort) x;

-- the Cox fit finds the effects the data were made with (0.02, -0.4, 0.3,
-- each within 0.02: their standard errors are ~0.0003 to 0.003), the same
-- model serial and with 2 workers
SELECT bench_workers(0) \gset
CREATE TEMP TABLE cox_serial AS
SELECT coxph_fit(duration, event, ARRAY[age, plan, score]) AS m FROM cox_subjects;
SELECT bench_workers(2) \gset
SELECT bench_check('coxph_fit recovers the effects', bool_and(abs(c.coefficient - t.b) < 0.02) AND bool_and(converged(m)),
	string_agg(format('%s %s', c.term, round(c.coefficient::numeric, 4)), ', '))
FROM cox_serial, coxph_coefficients(m) c JOIN (VALUES ('x1', 0.02), ('x2', -0.4), ('x3', 0.3)) t(term, b) USING (term);
SELECT bench_check('coxph_fit with 2 workers = serial', m::text = (SELECT coxph_fit(duration, event, ARRAY[age, plan, score])::text FROM cox_subjects),
	'the model text')
FROM cox_serial;
