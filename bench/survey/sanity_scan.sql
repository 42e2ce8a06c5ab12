-- Included twice by sanity.sql, with :label set to the worker setting:
-- nps(score) against the analyst's SQL over the whole table and per g100k
-- group, and that the plan was parallel exactly when workers were allowed
-- (below a million rows the planner may rightly keep a serial plan).

SELECT bench_check('plan of nps(score) (' || :'label' || ')',
	(strpos(shape, 'Gather') > 0) = (:'label' = '2 workers')
	OR (SELECT reltuples < 1e6 FROM pg_class WHERE oid = 'responses'::regclass), shape)
FROM bench_plan_shape($q$SELECT nps(score) FROM responses GROUP BY g100k$q$) shape;

SELECT bench_check('nps(score) = analyst SQL (' || :'label' || ')', abs(a - b) < 1e-9,
	format('%s vs %s', a, b))
FROM (SELECT nps(score) AS a,
	(100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6))
		/ nullif(count(score), 0))::float8 AS b
	FROM responses) s;

SELECT bench_check('g100k: nps = analyst SQL (' || :'label' || ')', count(*) FILTER (WHERE NOT same) = 0,
	format('%s groups, %s differ', count(*), count(*) FILTER (WHERE NOT same)))
FROM (SELECT a IS NOT DISTINCT FROM b OR abs(a - b) < 1e-9 AS same
	FROM (SELECT nps(score) AS a,
		(100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6))
			/ nullif(count(score), 0))::float8 AS b
		FROM responses GROUP BY g100k) g) s;
