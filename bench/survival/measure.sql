-- bench/survival/measure.sql: every comparison at one worker setting.  Run by
-- bench/run with psql -v workers=0|2 -v reps=N after setup.sql.
--
-- The baseline is the Kaplan-Meier an analyst writes with window functions:
-- events and subjects per (group, duration), the number at risk as a
-- reverse running sum, S as exp of a running sum of log(1 - d/n).  Grouped
-- queries are wrapped in count(x) so that one row comes back.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\pset tuples_only on
\pset format unaligned

-- Median survival per group of 1,000: the summary and R's median rule
-- against the window-function KM and the first time S <= 1/2.
SELECT bench_compare(
	ARRAY['g1000 median: ours vs analyst KM'], :workers, :reps,
	$q$SELECT count(x) FROM (SELECT median_survival(survival_agg(duration, event)) AS x
		FROM lifetimes GROUP BY g1000) s$q$,
	ARRAY[$q$SELECT count(x) FROM (
		SELECT g1000, min(duration) FILTER (WHERE surv <= 0.5) AS x
		FROM (SELECT g1000, duration,
				CASE WHEN bool_or(d = n) OVER w THEN 0
					ELSE exp(coalesce(sum(ln(1 - d::float8 / n)) FILTER (WHERE d < n) OVER w, 0)) END AS surv
			FROM (SELECT g1000, duration, d,
					sum(m) OVER (PARTITION BY g1000 ORDER BY duration DESC) AS n
				FROM (SELECT g1000, duration, count(*) FILTER (WHERE event) AS d, count(*) AS m
					FROM lifetimes GROUP BY g1000, duration) t) k
			WINDOW w AS (PARTITION BY g1000 ORDER BY duration)) s
		GROUP BY g1000) m$q$],
	ARRAY[0.5]);

-- The whole Kaplan-Meier table (every event time of every group, with
-- Greenwood's variance) against the same window query listing S.
SELECT bench_compare(
	ARRAY['g1000 KM tables: ours vs analyst KM'], :workers, :reps,
	$q$SELECT count(survival) FROM (SELECT survival_agg(duration, event) AS s
		FROM lifetimes GROUP BY g1000) x, kaplan_meier(s)$q$,
	ARRAY[$q$SELECT count(surv) FROM (SELECT g1000, duration, d,
				CASE WHEN bool_or(d = n) OVER w THEN 0
					ELSE exp(coalesce(sum(ln(1 - d::float8 / n)) FILTER (WHERE d < n) OVER w, 0)) END AS surv
			FROM (SELECT g1000, duration, d,
					sum(m) OVER (PARTITION BY g1000 ORDER BY duration DESC) AS n
				FROM (SELECT g1000, duration, count(*) FILTER (WHERE event) AS d, count(*) AS m
					FROM lifetimes GROUP BY g1000, duration) t) k
			WINDOW w AS (PARTITION BY g1000 ORDER BY duration)) s
		WHERE d > 0$q$],
	ARRAY[0.5]);

-- Delayed entry (left truncation): median per group of 1,000 with each
-- lifetime observed from floor(duration * (g1000 % 3) / 4) (0: from the
-- start), against the analyst's window-function KM over the same risk sets:
-- exits and entries per (group, time), the number at risk as those observed
-- from the start plus a running sum of entries minus exits before the time.
SELECT bench_compare(
	ARRAY['g1000 median, delayed entry: ours vs analyst KM'], :workers, :reps,
	$q$SELECT count(x) FROM (SELECT median_survival(survival_agg(floor(duration * (g1000 % 3) / 4), duration, event)) AS x
		FROM lifetimes GROUP BY g1000) s$q$,
	ARRAY[$q$SELECT count(x) FROM (
		SELECT g1000, min(t) FILTER (WHERE surv <= 0.5) AS x
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
		GROUP BY g1000) m$q$],
	ARRAY[0.5]);

-- Whole table: the summary against the scan's own cost.
SELECT bench_compare(
	ARRAY['whole table: survival_agg vs count(*)'], :workers, :reps,
	$q$SELECT subjects(survival_agg(duration, event)) FROM lifetimes$q$,
	ARRAY[$q$SELECT count(*) FILTER (WHERE event) FROM lifetimes$q$],
	ARRAY[1.5], informational => true);

-- Log-rank across the 10 groups of g10, from their summaries.
SELECT bench_compare(
	ARRAY['g10 log-rank vs count(*) by g10'], :workers, :reps,
	$q$SELECT (logrank_test(array_agg(s))).chisq FROM (SELECT survival_agg(duration, event) AS s
		FROM lifetimes GROUP BY g10) x$q$,
	ARRAY[$q$SELECT count(x) FROM (SELECT count(*) FILTER (WHERE event) AS x FROM lifetimes GROUP BY g10) s$q$],
	ARRAY[1.5], informational => true);

-- sBG fits of 1,000 cohorts (13 periods each): milliseconds.
SELECT bench_compare(
	ARRAY['sbg_fit 1000 cohorts'], :workers, :reps,
	$q$SELECT count(alpha(m)) FROM (SELECT sbg_fit(period, survivors) AS m FROM cohorts GROUP BY cohort) x$q$,
	ARRAY[$q$SELECT count(*) FROM cohorts$q$],
	NULL, abs_target_ms => 1000, expect_parallel => false);

-- A Cox model of 1,000,000 subjects with three covariates (Efron ties, one
-- Newton iteration a pass over the distinct rows): milliseconds.
SELECT bench_compare(
	ARRAY['coxph_fit 1M subjects, 3 covariates'], :workers, :reps,
	$q$SELECT converged(coxph_fit(duration, event, ARRAY[age, plan, score])) FROM cox_subjects$q$,
	ARRAY[$q$SELECT count(*) FROM cox_subjects$q$],
	NULL, abs_target_ms => 3000);
