-- Included twice by sanity.sql, with :label set to the worker setting: the
-- pipeline KPIs against the analyst's SQL over the whole table, medians
-- within 1 % of percentile_cont, and the plan shape.

SELECT bench_check('plan of pipeline_agg (' || :'label' || ')',
	(strpos(shape, 'Gather') > 0) = (:'label' = '2 workers')
	OR (SELECT reltuples < 1e6 FROM pg_class WHERE oid = 'deals'::regclass), shape)
FROM bench_plan_shape($q$SELECT pipeline_agg(amount, probability, created_on, closed_on, outcome)
	FROM deals$q$) shape;

SELECT bench_check('pipeline KPIs = analyst SQL (' || :'label' || ')',
	abs(open_pipeline(s) - open_sql) < 1e-6 * open_sql
	AND abs(weighted_pipeline(s) - weighted_sql) < 1e-6 * weighted_sql
	AND win_rate(s) = win_sql AND abs(average_deal_size(s) - avg_sql) < 1e-9 * avg_sql
	AND abs(average_sales_cycle(s) - cycle_sql) < 1e-9 * cycle_sql
	AND open_deals(s) = open_n,
	format('open %s vs %s, win rate %s vs %s', open_pipeline(s), open_sql, win_rate(s), win_sql))
FROM (SELECT pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s,
		sum(amount) FILTER (WHERE outcome = 'open') AS open_sql,
		sum(amount * probability) FILTER (WHERE outcome = 'open') AS weighted_sql,
		count(*) FILTER (WHERE outcome = 'won')::float8
			/ nullif(count(*) FILTER (WHERE outcome IN ('won', 'lost')), 0) AS win_sql,
		avg(amount) FILTER (WHERE outcome = 'won') AS avg_sql,
		avg(closed_on - created_on) FILTER (WHERE outcome = 'won') AS cycle_sql,
		count(*) FILTER (WHERE outcome = 'open') AS open_n
	FROM deals) x;

SELECT bench_check('medians within 1 % (' || :'label' || ')',
	abs(median_deal_size(s) - md) <= 0.01 * md AND abs(median_sales_cycle(s) - mc) <= 0.01 * mc,
	format('deal %s vs %s, cycle %s vs %s', median_deal_size(s), md, median_sales_cycle(s), mc))
FROM (SELECT pipeline_agg(amount, probability, created_on, closed_on, outcome) AS s FROM deals) x,
	(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) FILTER (WHERE outcome = 'won') AS md,
		percentile_cont(0.5) WITHIN GROUP (ORDER BY closed_on - created_on)
			FILTER (WHERE outcome = 'won') AS mc FROM deals) y;
