-- Included twice by sanity.sql, with :label set to the worker setting: every
-- cohort x period cell of retention_agg (one step from the events, and two
-- steps from the stored activity summaries) against count(DISTINCT user_id);
-- the curves over text and uuid ids against those over the bigint ids.

SELECT bench_check('cells: retention_agg = SQL (' || :'label' || ')',
	count(*) = 144 AND count(*) FILTER (WHERE o.retained IS DISTINCT FROM coalesce(p.retained, 0)) = 0,
	format('%s cells, %s differ', count(*), count(*) FILTER (WHERE o.retained IS DISTINCT FROM coalesce(p.retained, 0))))
FROM (SELECT c.cohort, t.period, t.retained
	  FROM (SELECT cohort,
			retention_agg(user_id, signup, at, '1 month', 12) AS s
		FROM activity GROUP BY 1) c, retention_table(c.s) t) o
LEFT JOIN (SELECT cohort,
		(extract(year FROM at) * 12 + extract(month FROM at))
			- (extract(year FROM signup) * 12 + extract(month FROM signup)) AS period,
		count(DISTINCT user_id) AS retained
	FROM activity GROUP BY 1, 2) p USING (cohort, period);

SELECT bench_check('two steps = one step (' || :'label' || ')',
	count(*) = 12 AND bool_and(a = b), format('%s cohorts', count(*)))
FROM (SELECT cohort, retention_agg(a)::text AS a FROM user_activity GROUP BY 1) x
JOIN (SELECT cohort,
		retention_agg(user_id, signup, at, '1 month', 12)::text AS b
	FROM activity GROUP BY 1) y USING (cohort);

SELECT bench_check('text and uuid ids = bigint ids (' || :'label' || ')',
	count(*) = 12 AND bool_and(t = b AND u = b), format('%s cohorts', count(*)))
FROM (SELECT cohort, retention_curve(user_id, signup, at, '1 month', 12) AS b,
		retention_curve(user_text, signup, at, '1 month', 12) AS t,
		retention_curve(user_uuid, signup, at, '1 month', 12) AS u
	FROM activity_ids GROUP BY 1) x;
