--
-- The demo (demo/run): its sample data loads, every report file runs to the
-- end without an error, and the report's key figures are right: each one
-- read from the report's printed tables equals its definition recomputed
-- here in plain SQL over the same demo tables (no crm_kpi function), to the
-- report's rounding.  No figure is pinned in the expected output, only
-- which figures were checked and that none differs, so that a change of the
-- demo data needs no new expected output (the data are the same on every
-- PostgreSQL version: demo_random() hashes each row's key).
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;

-- the data and the reports, as demo/run loads and prints them: a psql of
-- their own each (as in demo/run), with the bin dir of this server and the
-- connection of this test; the data files' output (what they loaded) is
-- dropped, their errors would show here
SELECT setting AS bindir FROM pg_config WHERE name = 'BINDIR' \gset
\setenv CRM_PSQL :bindir/psql
\setenv PGDATABASE :DBNAME
\! for f in data data_conversion data_survival data_clv data_retention data_pipeline data_leads; do "$CRM_PSQL" -X -q -v ON_ERROR_STOP=1 -f "demo/$f.sql" >/dev/null || echo "demo/$f.sql failed"; done
\! mkdir -p results; for f in report report_conversion report_survival report_clv report_retention report_pipeline report_leads; do echo "#report $f"; "$CRM_PSQL" -X -f "demo/$f.sql" 2>&1; echo "#exit $f $?"; done >results/demo_report.txt

CREATE TEMP TABLE report_lines (n serial, line text);
\copy report_lines (line) FROM 'results/demo_report.txt' WITH (FORMAT csv, DELIMITER E'\x01', QUOTE E'\x02')

-- each report ran to its end: exit status 0, no error or warning
SELECT substr(line, 7) AS "report, exit status" FROM report_lines WHERE line LIKE '#exit %' ORDER BY n;
SELECT line AS "error or warning" FROM report_lines WHERE line ~ '(ERROR|WARNING|FATAL|PANIC):';

-- the printed tables (psql's unicode borders): each data row as a jsonb
-- object keyed by its table's header, by report and by the line of the
-- table's top border; then how many tables with rows each report printed
CREATE TEMP TABLE report_rows AS
WITH lines AS (
	SELECT n, line,
		max(n) FILTER (WHERE line LIKE '#report %') OVER w AS report_n,
		max(n) FILTER (WHERE line LIKE '┌%') OVER w AS table_n
	FROM report_lines WINDOW w AS (ORDER BY n)
), cells AS (
	SELECT n, report_n, table_n, ARRAY(SELECT btrim(c) FROM unnest(string_to_array(btrim(line, '│'), '│'))
		WITH ORDINALITY AS u(c, i) ORDER BY i) AS cells
	FROM lines WHERE line LIKE '│%'
)
SELECT substr(r.line, 9) AS report, c.table_n, h.cells AS header, jsonb_object(h.cells, c.cells) AS cell
FROM cells c JOIN report_lines r ON r.n = c.report_n JOIN cells h ON h.n = c.table_n + 1
WHERE c.n > c.table_n + 2;
SELECT report, count(DISTINCT table_n) AS tables FROM report_rows GROUP BY report ORDER BY min(table_n);

-- pg_temp.shown(report, table column, key column, key, column): the cell of
-- column in the row whose key column reads key (any row if key column is
-- NULL) of the table of report that has table column; NULL unless there is
-- exactly one such row
CREATE FUNCTION pg_temp.shown(rep text, table_col text, key_col text, key text, col text) RETURNS text
LANGUAGE sql AS $$
	SELECT CASE WHEN count(*) = 1 THEN min(cell->>col) END
	FROM report_rows
	WHERE report = rep AND table_col = ANY (header) AND (key_col IS NULL OR cell->>key_col = key)
$$;
-- whether a printed figure is the exact value rounded to the printed digits
CREATE FUNCTION pg_temp.rounds(shown text, exact numeric) RETURNS boolean
LANGUAGE sql AS $$
	SELECT coalesce(abs(shown::numeric - exact) <= 0.5 * 10 ^ (-scale(shown::numeric)) * (1 + 1e-12), false)
$$;
CREATE TEMP TABLE figures (report text, figure text, shown text, exact numeric);
SET TimeZone = 'UTC';	-- the reports' buckets
-- z = Φ⁻¹(0.975), for the 95% intervals
\set z 1.959963984540054

-- demo/report.sql.  NPS: promoters 9-10, detractors 0-6, NPS = 100 (p - d),
-- SE = 100 sqrt((p + d - (p - d)^2) / n); adjusted Wald: 3/4 promoter and
-- detractor and 3/2 passives added, centred on the adjusted NPS (Rocks 2016)
INSERT INTO figures
SELECT 'report', '1. ' || f, pg_temp.shown('report', 'passives %', NULL, NULL, f), v
FROM (SELECT count(score) AS n, count(*) - count(score) AS skipped,
		count(*) FILTER (WHERE score >= 9)::numeric AS pro, count(*) FILTER (WHERE score BETWEEN 7 AND 8)::numeric AS pas,
		count(*) FILTER (WHERE score <= 6)::numeric AS det
	FROM survey_responses WHERE survey = 'nps') c,
	LATERAL (SELECT (pro + 0.75) / (n + 3) AS p2, (det + 0.75) / (n + 3) AS d2) a,
	LATERAL (VALUES ('responses', n), ('skipped', skipped), ('promoters %', 100 * pro / n),
		('passives %', 100 * pas / n), ('detractors %', 100 * det / n), ('nps', 100 * (pro - det) / n),
		('stderr', 100 * sqrt((pro / n + det / n - ((pro - det) / n) ^ 2) / n)),
		('95% CI low', 100 * greatest(-1, p2 - d2 - :z * sqrt((p2 + d2 - (p2 - d2) ^ 2) / (n + 3)))),
		('95% CI high', 100 * least(1, p2 - d2 + :z * sqrt((p2 + d2 - (p2 - d2) ^ 2) / (n + 3))))) v(f, v);
INSERT INTO figures
SELECT 'report', '2a. ' || segment || ' ' || f, pg_temp.shown('report', 'promoters %', 'segment', segment, f), v
FROM (SELECT c.segment, count(r.score) AS n,
		count(*) FILTER (WHERE r.score >= 9) - count(*) FILTER (WHERE r.score <= 6) AS net
	FROM survey_responses r JOIN customers c USING (customer_id) WHERE r.survey = 'nps' GROUP BY c.segment) s,
	LATERAL (VALUES ('responses', n), ('nps', 100.0 * net / n)) v(f, v);
-- CSAT: share of 4-5 on 1..5, Wilson interval (Wilson 1927); top box: 5
INSERT INTO figures
SELECT 'report', '4a. ' || ch || ' ' || f, pg_temp.shown('report', 'top box (5) %', 'channel', ch, f), v
FROM (SELECT coalesce(channel, 'all channels') AS ch, count(score)::numeric AS n,
		count(*) FILTER (WHERE score >= 4) / count(score)::numeric AS p,
		count(*) FILTER (WHERE score = 5) / count(score)::numeric AS top
	FROM survey_responses WHERE survey = 'csat' GROUP BY GROUPING SETS ((channel), ())) c,
	LATERAL (SELECT (p + :z ^ 2 / (2 * n)) / (1 + :z ^ 2 / n) AS centre,
		:z / (1 + :z ^ 2 / n) * sqrt(p * (1 - p) / n + :z ^ 2 / (4 * n ^ 2)) AS half) w,
	LATERAL (VALUES ('responses', n), ('CSAT %', 100 * p), ('top box (5) %', 100 * top),
		('95% CI low', 100 * (centre - half)), ('95% CI high', 100 * (centre + half))) v(f, v)
WHERE ch IN ('all channels', 'phone');
-- CES: mean of 1..7, % agreeing (5-7)
INSERT INTO figures
SELECT 'report', '5. ' || ch || ' ' || f, pg_temp.shown('report', 'agree (5-7) %', 'channel', ch, f), v
FROM (SELECT coalesce(channel, 'all channels') AS ch, count(score) AS n, avg(score) AS mean,
		100.0 * count(*) FILTER (WHERE score >= 5) / count(score) AS agree
	FROM survey_responses WHERE survey = 'ces' GROUP BY GROUPING SETS ((channel), ())) c,
	LATERAL (VALUES ('responses', n), ('ces', mean), ('agree (5-7) %', agree)) v(f, v)
WHERE ch IN ('all channels', 'phone');
-- eNPS
INSERT INTO figures
SELECT 'report', '6. ' || t || ' ' || f, pg_temp.shown('report', 'enps', 'team', t, f), v
FROM (SELECT coalesce(team, 'whole company') AS t, count(enps_score) AS n,
		100.0 * (count(*) FILTER (WHERE enps_score >= 9) - count(*) FILTER (WHERE enps_score <= 6))
			/ count(enps_score) AS enps
	FROM employee_survey GROUP BY GROUPING SETS ((team), ())) e,
	LATERAL (VALUES ('responses', n), ('enps', enps)) v(f, v)
WHERE t IN ('whole company', 'Support');

-- demo/report_conversion.sql, 7a: visitors who purchased, per variant, and
-- the Wilson interval of the rate
INSERT INTO figures
SELECT 'report_conversion', '7a. ' || variant || ' ' || f,
	pg_temp.shown('report_conversion', 'conversion_rate %', 'variant', variant, f), v
FROM (SELECT variant, count(*)::numeric AS n, count(*) FILTER (WHERE purchased) AS k,
		count(*) FILTER (WHERE purchased) / count(*)::numeric AS p
	FROM (SELECT visitor_id, variant, bool_or(event = 'purchase') AS purchased
		FROM web_events GROUP BY visitor_id, variant) per_visitor
	GROUP BY variant) c,
	LATERAL (SELECT (p + :z ^ 2 / (2 * n)) / (1 + :z ^ 2 / n) AS centre,
		:z / (1 + :z ^ 2 / n) * sqrt(p * (1 - p) / n + :z ^ 2 / (4 * n ^ 2)) AS half) w,
	LATERAL (VALUES ('visitors', n), ('purchased', k), ('rate %', 100 * p),
		('95% low', 100 * (centre - half)), ('95% high', 100 * (centre + half))) v(f, v);

-- demo/report_conversion.sql, 8d: time from visit to purchase.  An error
-- page (30 minutes after the sign-up, before any activation) ends the
-- funnel, so the visitors who reach the purchase are those without an
-- error whose purchase is at most 7 days after their visit (each visitor
-- has one visit, then sign-up, activation and purchase in that order)
CREATE TEMP TABLE demo_visit_purchase AS
SELECT v.visitor_id, p.happened_at - v.happened_at AS t
FROM web_events v JOIN web_events p ON p.visitor_id = v.visitor_id AND p.event = 'purchase'
WHERE v.event = 'visit' AND p.happened_at - v.happened_at <= interval '7 days'
	AND NOT EXISTS (SELECT FROM web_events e WHERE e.visitor_id = v.visitor_id AND e.event = 'error');
INSERT INTO figures
SELECT 'report_conversion', '8d. ' || label || ' ' || f,
	pg_temp.shown('report_conversion', 'cumulative %', 'time from visit', label, f), v
FROM (SELECT d || '-' || d + 1 || ' days' AS label, count(*) AS n,
		100.0 * count(*) / (SELECT count(*) FROM demo_visit_purchase) AS share
	FROM (SELECT floor(extract(epoch FROM t) / 86400)::int AS d FROM demo_visit_purchase) x GROUP BY d) h,
	LATERAL (VALUES ('purchases', n), ('% of purchases', share)) v(f, v);
INSERT INTO figures
SELECT 'report_conversion', '8d. within ' || label || ' ' || f,
	pg_temp.shown('report_conversion', '% of visitors', 'within', label, f), v
FROM (SELECT w || CASE WHEN w = 1 THEN ' day' ELSE ' days' END AS label,
		count(*) FILTER (WHERE t <= w * interval '1 day') AS n,
		100.0 * count(*) FILTER (WHERE t <= w * interval '1 day')
			/ (SELECT count(DISTINCT visitor_id) FROM web_events WHERE event = 'visit') AS pct
	FROM demo_visit_purchase, (VALUES (1), (3), (7)) AS d(w) GROUP BY w) c,
	LATERAL (VALUES ('purchased', n), ('% of visitors', pct)) v(f, v);
-- demo/report_conversion.sql, 10a: sessions per level of the re-entry
-- funnel.  strict_order: every session starts with a checkout, which is
-- also step 3 before step 2, so every funnel ends at level 1.  With
-- allow_reentry: a session that viewed the product page after a checkout
-- and began the checkout again reaches 3, and 4 if it paid after that
-- within an hour of its first checkout; any other session stays at 1 (no
-- session views the product page without a checkout after it)
INSERT INTO figures
SELECT 'report_conversion', '10a. ' || level || ' ' || f,
	pg_temp.shown('report_conversion', 'strict_order, allow_reentry', 'level', level::text, f), v
FROM (SELECT level, count(*) AS n
	FROM (SELECT session_id, CASE WHEN NOT back THEN 1 WHEN paid THEN 4 ELSE 3 END AS level
		FROM (SELECT c.session_id,
				EXISTS (SELECT FROM checkout_events d JOIN checkout_events c2 USING (session_id)
					WHERE d.session_id = c.session_id AND d.event = 'view_product_detail'
						AND c2.event = 'begin_checkout' AND d.happened_at > c.first_at
						AND c2.happened_at > d.happened_at) AS back,
				EXISTS (SELECT FROM checkout_events d JOIN checkout_events c2 USING (session_id)
						JOIN checkout_events p USING (session_id)
					WHERE d.session_id = c.session_id AND d.event = 'view_product_detail'
						AND c2.event = 'begin_checkout' AND p.event = 'complete_payment'
						AND d.happened_at > c.first_at AND c2.happened_at > d.happened_at
						AND p.happened_at > c2.happened_at
						AND p.happened_at <= c.first_at + interval '1 hour') AS paid
			FROM (SELECT session_id, min(happened_at) AS first_at FROM checkout_events
				WHERE event = 'begin_checkout' GROUP BY session_id) c) s) l
	GROUP BY level) g,
	LATERAL (VALUES ('strict_order, allow_reentry', n),
		('strict_order', CASE WHEN level = 1 THEN (SELECT count(DISTINCT session_id) FROM checkout_events) ELSE 0 END)) v(f, v);
-- 10b: per session, whether the event right after some checkout is a
-- product page view, a payment after a checkout, a payment at most 300 s
-- after a checkout, and the checkouts
INSERT INTO figures
SELECT 'report_conversion', '10b. ' || went_back || ' ' || f,
	pg_temp.shown('report_conversion', 'quick payment', 'went back', went_back, f), v
FROM (SELECT CASE WHEN went_back THEN 't' ELSE 'f' END AS went_back, count(*) AS sessions,
		count(*) FILTER (WHERE paid) AS paid, count(*) FILTER (WHERE quick) AS quick, sum(checkouts) AS checkouts
	FROM (SELECT session_id,
			bool_or(event = 'begin_checkout' AND next_event = 'view_product_detail') AS went_back,
			bool_or(event = 'complete_payment' AND happened_at >= first_checkout) AS paid,
			bool_or(event = 'complete_payment' AND happened_at - last_checkout <= interval '300 seconds') AS quick,
			count(*) FILTER (WHERE event = 'begin_checkout') AS checkouts
		FROM (SELECT *, lead(event) OVER (PARTITION BY session_id ORDER BY happened_at) AS next_event,
				min(happened_at) FILTER (WHERE event = 'begin_checkout') OVER (PARTITION BY session_id) AS first_checkout,
				max(happened_at) FILTER (WHERE event = 'begin_checkout')
					OVER (PARTITION BY session_id ORDER BY happened_at) AS last_checkout
			FROM checkout_events) e
		GROUP BY session_id) per_session
	GROUP BY 1) g,
	LATERAL (VALUES ('sessions', sessions), ('paid', paid), ('quick payment', quick), ('checkouts', checkouts)) v(f, v);
-- demo/report_conversion.sql, 8e: visitors who did k of the steps signup,
-- pricing page, activate, purchase within 7 days, in any order (some event
-- at t starts a window t .. t + 7 days holding k distinct steps), and in
-- that order (a chain of the first k steps in non-decreasing time within 7
-- days of its signup)
INSERT INTO figures
WITH st AS (
	SELECT visitor_id, happened_at AS t, array_position('{signup,pricing page,activate,purchase}', event) AS step
	FROM web_events WHERE event IN ('signup', 'pricing page', 'activate', 'purchase')
), any_order AS (
	SELECT visitor_id, max(n) AS level
	FROM (SELECT a.visitor_id, a.t, count(DISTINCT b.step) AS n
		FROM st a JOIN st b ON b.visitor_id = a.visitor_id AND b.t >= a.t AND b.t <= a.t + interval '7 days'
		GROUP BY a.visitor_id, a.t) w
	GROUP BY visitor_id
), in_order AS (
	SELECT s1.visitor_id,
		max(CASE WHEN s4.t IS NOT NULL THEN 4 WHEN s3.t IS NOT NULL THEN 3 WHEN s2.t IS NOT NULL THEN 2 ELSE 1 END) AS level
	FROM st s1
	LEFT JOIN st s2 ON s2.visitor_id = s1.visitor_id AND s2.step = 2 AND s2.t >= s1.t AND s2.t <= s1.t + interval '7 days'
	LEFT JOIN st s3 ON s3.visitor_id = s1.visitor_id AND s3.step = 3 AND s3.t >= s2.t AND s3.t <= s1.t + interval '7 days'
	LEFT JOIN st s4 ON s4.visitor_id = s1.visitor_id AND s4.step = 4 AND s4.t >= s3.t AND s4.t <= s1.t + interval '7 days'
	WHERE s1.step = 1
	GROUP BY s1.visitor_id
)
SELECT 'report_conversion', '8e. ' || k || ' ' || f,
	pg_temp.shown('report_conversion', 'only in another order', 'steps done', k::text, f), v
FROM generate_series(1, 4) k,
	LATERAL (SELECT (SELECT count(*) FROM in_order WHERE level >= k) AS o,
		(SELECT count(*) FROM any_order WHERE level >= k) AS u) c,
	LATERAL (VALUES ('in this order', o), ('in any order', u), ('only in another order', u - o)) v(f, v);
-- demo/report_conversion.sql, 8c: the sign-up funnel by first-touch source.
-- The first touch is the source of the visitor's earliest step event; the
-- signup comes within 62 minutes of the visit, so every visitor with one
-- reached step 2; the error page (30 minutes after the signup, before any
-- activation) ends the chain, so a visitor reached the purchase iff they
-- bought within 7 days of the visit and saw no error page
INSERT INTO figures
SELECT 'report_conversion', '8c. ' || src || ' ' || f,
	pg_temp.shown('report_conversion', 'signed up %', 'first touch', src, f), v
FROM (SELECT src, count(*)::numeric AS n, count(*) FILTER (WHERE signed) / count(*)::numeric AS p,
		100.0 * count(*) FILTER (WHERE bought) / count(*) AS bought
	FROM (SELECT visitor_id,
			(array_agg(source ORDER BY happened_at, source COLLATE "C")
				FILTER (WHERE event IN ('visit', 'signup', 'activate', 'purchase')))[1] AS src,
			bool_or(event = 'signup') AS signed,
			bool_or(event = 'purchase' AND happened_at <= t_visit + interval '7 days')
				AND NOT bool_or(event = 'error') AS bought
		FROM (SELECT *, min(happened_at) FILTER (WHERE event = 'visit') OVER (PARTITION BY visitor_id) AS t_visit
			FROM web_events) e
		GROUP BY visitor_id) per_visitor
	GROUP BY src) c,
	LATERAL (SELECT (p + :z ^ 2 / (2 * n)) / (1 + :z ^ 2 / n) AS centre,
		:z / (1 + :z ^ 2 / n) * sqrt(p * (1 - p) / n + :z ^ 2 / (4 * n ^ 2)) AS half) w,
	LATERAL (VALUES ('visitors', n), ('signed up %', 100 * p), ('purchased % of visits', bought)) v(f, v);
INSERT INTO figures
SELECT 'report_conversion', '8c. ' || src || ' signup 95% low',
	split_part(pg_temp.shown('report_conversion', 'signed up %', 'first touch', src, 'signup 95% interval'), '..', 1),
	100 * ((p + :z ^ 2 / (2 * n)) / (1 + :z ^ 2 / n) - :z / (1 + :z ^ 2 / n) * sqrt(p * (1 - p) / n + :z ^ 2 / (4 * n ^ 2)))
FROM (SELECT source AS src, count(*)::numeric AS n,
		count(*) FILTER (WHERE signed) / count(*)::numeric AS p
	FROM (SELECT visitor_id, min(source) FILTER (WHERE event = 'visit') AS source, bool_or(event = 'signup') AS signed
		FROM web_events GROUP BY visitor_id) v GROUP BY source) c;

-- demo/report_survival.sql: subscriptions, cancellations and the
-- Kaplan-Meier survival after 365 days, prod over the cancellation days t
-- <= 365 of (1 - canceled at t / subscriptions lasting at least t), per plan
INSERT INTO figures
WITH lifetimes AS (
	SELECT plan, coalesce(canceled_on, date '2025-12-31') - started_on AS days, canceled_on IS NOT NULL AS canceled
	FROM subscriptions
), steps AS (
	SELECT plan, days, count(*) FILTER (WHERE canceled) AS d,
		(SELECT count(*) FROM lifetimes l2 WHERE l2.plan = l.plan AND l2.days >= l.days) AS at_risk
	FROM lifetimes l GROUP BY plan, days
)
SELECT 'report_survival', plan || ' ' || f, pg_temp.shown('report_survival', '% after 1 year', 'plan', plan, f), v
FROM (SELECT plan, count(*) AS n, count(*) FILTER (WHERE canceled) AS events FROM lifetimes GROUP BY plan) c
	JOIN (SELECT plan, exp(sum(ln(1 - d::numeric / at_risk)) FILTER (WHERE days <= 365 AND d > 0)) AS s365
		FROM steps GROUP BY plan) k USING (plan),
	LATERAL (VALUES ('subscriptions', n), ('canceled', events), ('% after 1 year', 100 * s365)) v(f, v);

-- demo/report_clv.sql, 1: customers, orders, revenue and margin per segment
-- (2024-01-01..2025-06-30: every order of the demo); 2: m r / (1 + d - r)
INSERT INTO figures
SELECT 'report_clv', '1. ' || segment || ' ' || f, pg_temp.shown('report_clv', 'margin per customer', 'segment', segment, f), v
FROM (SELECT c.segment, count(DISTINCT o.customer_id) AS customers, count(*) AS orders,
		sum(o.amount) AS revenue, sum(o.amount - o.cost) AS margin
	FROM clv_orders o JOIN customers c USING (customer_id) GROUP BY c.segment) s,
	LATERAL (VALUES ('customers', customers), ('orders', orders), ('revenue', revenue), ('margin', margin),
		('margin per customer', margin / customers)) v(f, v);
INSERT INTO figures
SELECT 'report_clv', '2. retention ' || r, pg_temp.shown('report_clv', 'CLV of 1,000 a year', 'retention', r::text, 'CLV of 1,000 a year'),
	1000 * r / (1 + 0.10 - r)
FROM (VALUES (0.5), (0.8), (0.9)) v(r);

-- demo/report_retention.sql, R2: the customers signed up in 2024, and how
-- many of them were active in calendar month k after their signup month
-- ("on") or in month k or any later one ("on or after")
INSERT INTO figures
WITH offsets AS (
	SELECT customer_id, (extract(year FROM at) * 12 + extract(month FROM at))
		- (extract(year FROM signed_up_at) * 12 + extract(month FROM signed_up_at)) AS k
	FROM product_events WHERE signed_up_at < '2025-01-01'
)
SELECT 'report_retention', 'R2. month ' || m || ' ' || f, pg_temp.shown('report_retention', 'active on or after', 'month', m::text, f), v
FROM generate_series(1, 11, 5) m,
	LATERAL (SELECT count(DISTINCT customer_id) AS customers,
		count(DISTINCT customer_id) FILTER (WHERE k = m) AS on_k,
		count(DISTINCT customer_id) FILTER (WHERE k >= m) AS on_or_after
		FROM offsets) c,
	LATERAL (VALUES ('customers', customers), ('active on', on_k), ('active on or after', on_or_after)) v(f, v);

-- demo/report_pipeline.sql, 1: open deals, open and weighted pipeline (sum
-- of amount and of amount x probability of the open deals), win rate
-- (won / closed), average won deal and cycle (days from creation to close)
INSERT INTO figures
SELECT 'report_pipeline', '1. ' || team || ' ' || f, pg_temp.shown('report_pipeline', 'velocity /day', 'team', team, f), v
FROM (SELECT coalesce(segment, 'all teams') AS team,
		count(*) FILTER (WHERE outcome = 'open') AS open_deals,
		sum(amount) FILTER (WHERE outcome = 'open') AS open_pipeline,
		sum(amount * probability::numeric) FILTER (WHERE outcome = 'open') AS weighted,
		100.0 * count(*) FILTER (WHERE outcome = 'won') / count(*) FILTER (WHERE outcome IN ('won', 'lost')) AS win_rate,
		avg(amount) FILTER (WHERE outcome = 'won') AS avg_deal,
		avg(closed_on - created_on) FILTER (WHERE outcome = 'won') AS avg_cycle
	FROM deals WHERE amount IS NOT NULL GROUP BY GROUPING SETS ((segment), ())) p,
	LATERAL (VALUES ('open deals', open_deals), ('open pipeline', open_pipeline), ('weighted', weighted),
		('win rate %', win_rate), ('avg deal', avg_deal), ('avg cycle d', avg_cycle)) v(f, v)
WHERE team IN ('all teams', 'SMB');
-- 3: deals closed per half-year and the win rate among them
INSERT INTO figures
SELECT 'report_pipeline', '3. ' || half || ' ' || f, pg_temp.shown('report_pipeline', 'won amount', 'half', half, f), v
FROM (SELECT to_char(closed_on, 'YYYY') || '-H' || (1 + (extract(month FROM closed_on)::int - 1) / 6) AS half,
		count(*) AS closed, 100.0 * count(*) FILTER (WHERE outcome = 'won') / count(*) AS win_rate,
		sum(amount) FILTER (WHERE outcome = 'won') AS won_amount
	FROM deals WHERE outcome IN ('won', 'lost') AND amount IS NOT NULL
		AND closed_on >= '2024-01-01' AND closed_on < '2026-01-01'
	GROUP BY 1) h,
	LATERAL (VALUES ('closed deals', closed), ('win rate %', win_rate), ('won amount', won_amount)) v(f, v);

-- 9: the waterfall of the Q4 pipeline between the snapshots of 2025-10-01 and
-- 2025-11-15, each deal classified in plain SQL in the documented order
-- (won/lost, moved in or out of the quarter, amount change)
INSERT INTO figures
SELECT 'report_pipeline', '9. ' || category || ' ' || f, pg_temp.shown('report_pipeline', 'category', 'category', category, f), v
FROM (WITH p AS (
		SELECT a.amount AS x_a, a.status AS status_a, b.amount AS x_b, b.status AS status_b, b.close_on AS close_b,
			coalesce(a.status = 'open' AND a.close_on BETWEEN '2025-10-01' AND '2025-12-31', false) AS in_a,
			coalesce(b.status = 'open' AND b.close_on BETWEEN '2025-10-01' AND '2025-12-31', false) AS in_b
		FROM (SELECT * FROM deal_snapshots WHERE snapshot_on = '2025-10-01') a
			FULL JOIN (SELECT * FROM deal_snapshots WHERE snapshot_on = '2025-11-15') b USING (deal_id)
	), steps AS (
		SELECT 'opening' AS category, x_a AS amount FROM p WHERE in_a
		UNION ALL SELECT 'closing', x_b FROM p WHERE in_b
		UNION ALL SELECT CASE
				WHEN in_a AND status_b IS NULL THEN 'removed'
				WHEN in_a AND status_b IN ('won', 'lost') THEN status_b
				WHEN in_a AND NOT in_b AND close_b > '2025-12-31' THEN 'pushed_out'
				WHEN in_a AND NOT in_b THEN 'moved_out'
				WHEN in_a AND x_b > x_a THEN 'increased'
				WHEN in_a AND x_b < x_a THEN 'decreased'
				WHEN in_a THEN NULL
				WHEN status_a = 'open' THEN 'pulled_in'
				ELSE 'new' END,
			CASE WHEN in_a AND in_b THEN x_b - x_a WHEN in_a THEN -x_a ELSE x_b END
		FROM p WHERE in_a OR in_b
	)
	SELECT category, count(*) AS deals, sum(amount) AS amount FROM steps WHERE category IS NOT NULL
	GROUP BY category) r,
	LATERAL (VALUES ('deals', deals), ('amount', amount)) v(f, v);
-- 10: the open deals of all teams, their amount and probability-weighted sum
INSERT INTO figures
SELECT 'report_pipeline', '10. all teams ' || f, pg_temp.shown('report_pipeline', '95% high', 'team', 'all teams', f), v
FROM (SELECT count(*) AS n, sum(amount) AS pipeline, sum(amount * probability::numeric) AS weighted
	FROM deals WHERE outcome = 'open') d,
	LATERAL (VALUES ('open deals', n), ('pipeline', pipeline), ('weighted', weighted)) v(f, v);
-- 6b: new customers per quarter of their first order, those with a
-- non-refund order later within 90 days, and their first-90-days revenue
-- per customer (min(order_date) per customer, plain SQL)
INSERT INTO figures
SELECT 'report_pipeline', '6b. ' || quarter || ' ' || f, pg_temp.shown('report_pipeline', 'early retention %', 'quarter', quarter, f), v
FROM (SELECT to_char(first_at, 'YYYY-"Q"Q') AS quarter, count(*) AS new,
		100.0 * count(*) FILTER (WHERE repeat) / count(*) AS retention, sum(first_days) / count(*) AS per_customer
	FROM (SELECT o.customer_id, f.first_at,
			bool_or(o.order_date > f.first_at AND o.order_date < f.first_at + 90 AND o.amount >= 0) AS repeat,
			sum(o.amount) FILTER (WHERE o.order_date < f.first_at + 90) AS first_days
		FROM clv_orders o JOIN (SELECT customer_id, min(order_date) AS first_at FROM clv_orders GROUP BY 1) f
			USING (customer_id)
		GROUP BY o.customer_id, f.first_at) c
	GROUP BY 1) q,
	LATERAL (VALUES ('new customers', new), ('early retention %', retention), ('per customer', per_customer)) v(f, v);
-- 6c: new customers per quarter of their first won deal, CAC = the
-- quarter's spend / new customers, spend ratio = spend / their won amounts
-- within 365 days of the first (plain SQL)
INSERT INTO figures
SELECT 'report_pipeline', '6c. ' || quarter || ' ' || f, pg_temp.shown('report_pipeline', 'first-year ACV', 'quarter', quarter, f), v
FROM (SELECT to_char(first_on, 'YYYY-"Q"Q') AS quarter, count(*) AS new, sum(first_year) AS revenue
	FROM (SELECT d.customer_id, f.first_on, sum(d.amount) FILTER (WHERE d.closed_on < f.first_on + 365) AS first_year
		FROM deals d JOIN (SELECT customer_id, min(closed_on) AS first_on FROM deals
				WHERE outcome = 'won' AND customer_id IS NOT NULL GROUP BY 1) f USING (customer_id)
		WHERE d.outcome = 'won'
		GROUP BY d.customer_id, f.first_on) c
	GROUP BY 1) q
	JOIN (SELECT to_char(month, 'YYYY-"Q"Q') AS quarter, sum(amount) AS spend FROM marketing_spend GROUP BY 1) m
		USING (quarter),
	LATERAL (VALUES ('new customers', new), ('cac', spend / new), ('spend ratio', spend / revenue)) v(f, v);

-- demo/report_retention.sql, R1 and R4: the data cover the whole period,
-- customers keep signing up until 2025-12: a cohort per month of 2024-2025
-- (its size: the customers who signed up in that month), and "new" in the
-- lifecycle of 2025 is, each month, the customers who signed up in it (each
-- has a login at signup)
INSERT INTO figures
SELECT 'report_retention', f || to_char(m, 'YYYY-MM'),
	CASE WHEN f LIKE 'R1%' THEN pg_temp.shown('report_retention', 'm11', 'cohort', to_char(m, 'YYYY-MM'), 'customers')
		ELSE pg_temp.shown('report_retention', 'resurrecting', 'month', to_char(m, 'YYYY-MM'), 'new') END,
	(SELECT count(*) FROM customers WHERE date_trunc('month', signed_up_at) = m)
FROM generate_series(timestamptz '2024-01-01', '2025-12-01', '1 month') m,
	(VALUES ('R1. cohort size '), ('R4. new ')) v(f)
WHERE f LIKE 'R1%' OR m >= '2025-01-01';
-- R6, MRR movements of 2025-12 (ChartMogul): new = MRR of customers paying
-- for the first time, reactivation = of customers paying again after a gap,
-- churned = the November MRR of customers not paying in December (printed
-- negative: MRR lost)
INSERT INTO figures
SELECT 'report_retention', 'R6. 2025-12 ' || f, pg_temp.shown('report_retention', 'reactivation', 'month', '2025-12', f), v
FROM (SELECT
		sum(mrr) FILTER (WHERE NOT EXISTS (SELECT FROM mrr_snapshots e
			WHERE e.customer_id = s.customer_id AND e.month < s.month)) AS new,
		sum(mrr) FILTER (WHERE EXISTS (SELECT FROM mrr_snapshots e
				WHERE e.customer_id = s.customer_id AND e.month < s.month - 31)
			AND NOT EXISTS (SELECT FROM mrr_snapshots e
				WHERE e.customer_id = s.customer_id AND e.month = '2025-11-01')) AS reactivation
	FROM mrr_snapshots s WHERE month = '2025-12-01') d,
	(SELECT -sum(mrr) AS churned FROM mrr_snapshots p WHERE month = '2025-11-01'
		AND NOT EXISTS (SELECT FROM mrr_snapshots e WHERE e.customer_id = p.customer_id
			AND e.month = '2025-12-01')) c,
	LATERAL (VALUES ('new', new), ('reactivation', reactivation), ('churned', churned)) v(f, v);

-- R13, ARR of 2025-12 in EUR and converted to USD at 1.08 first: 12 x the
-- December MRR, 12 x the sum of each row's MRR x 1.08
INSERT INTO figures
SELECT 'report_retention', 'R13. 2025-12 ' || f, pg_temp.shown('report_retention', 'converted ARR', 'month', '2025-12', f), v
FROM (SELECT 12 * sum(mrr) AS eur, 12 * sum(mrr * 1.08) AS usd FROM mrr_snapshots WHERE month = '2025-12-01') d,
	LATERAL (VALUES ('ARR', eur), ('converted ARR', usd)) v(f, v);

-- the report reads like a report: every p-value has four decimals or reads
-- "< 0.0001" (none printed as 0.0000 or in exponent notation), and no
-- summary is dumped in its JSON text form
SELECT report, count(*) AS "p-values",
	count(*) FILTER (WHERE cell->>col !~ '^(< 0\.0001|[01]\.[0-9]{4}|-)$' OR cell->>col = '0.0000') AS "other form"
FROM report_rows, unnest(header) col WHERE col LIKE 'p-value%' OR col LIKE 'p\_value%'
GROUP BY report ORDER BY min(table_n);
-- (the demo has p-values far below 0.0001: 2025-Q2 against 2025-Q1 in 2c)
SELECT count(*) > 0 AS "some p-value reads < 0.0001"
FROM report_rows, unnest(header) col WHERE col LIKE 'p-value%' AND cell->>col = '< 0.0001';
SELECT count(*) AS "JSON summaries shown" FROM report_lines WHERE line LIKE '%{"version"%';
-- the signs of R6: net new is the sum of the five movements as printed
-- (losses negative), and end MRR = start MRR + net new, every month
SELECT count(*) AS "R6 months", count(*) FILTER (WHERE
		(cell->>'new')::numeric + (cell->>'expansion')::numeric + (cell->>'contraction')::numeric
		+ (cell->>'churned')::numeric + (cell->>'reactivation')::numeric = (cell->>'net new')::numeric
		AND (cell->>'start MRR')::numeric + (cell->>'net new')::numeric = (cell->>'end MRR')::numeric
		AND (cell->>'contraction')::numeric <= 0 AND (cell->>'churned')::numeric <= 0) AS "add up"
FROM report_rows WHERE report = 'report_retention' AND 'reactivation' = ANY (header);

-- demo/report_leads.sql, L1: leads created 2024-2025 per channel, those
-- with a deal (opportunities), won deals, responded leads, percentile_cont of
-- the minutes to first response and of the activities of the deals, spend /
-- leads; L2: open deals per owner, stale (greatest of last activity and last
-- stage entry before 2025-12-17), without next step or expected close,
-- complete (all three fields)
INSERT INTO figures
SELECT 'report_leads', 'L1. ' || ch || ' ' || f, pg_temp.shown('report_leads', 'cost/lead', 'channel', ch, f), v
FROM (SELECT coalesce(l.channel, 'all channels') AS ch, count(*) AS leads, count(l.deal_id) AS opps,
		100.0 * count(l.deal_id) / count(*) AS lead_opp, count(*) FILTER (WHERE d.outcome = 'won') AS won,
		100.0 * count(*) FILTER (WHERE d.outcome = 'won') / count(l.deal_id) AS opp_win,
		100.0 * count(l.first_response_at) / count(*) AS responded,
		percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM l.first_response_at - l.created_at) / 60) AS median_speed,
		percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM l.first_response_at - l.created_at) / 60) AS p90_speed,
		percentile_cont(0.5) WITHIN GROUP (ORDER BY l.activities) FILTER (WHERE l.deal_id IS NOT NULL) AS activities
	FROM leads l LEFT JOIN deals d USING (deal_id) WHERE l.created_at >= '2024-01-01'
	GROUP BY GROUPING SETS ((l.channel), ())) k
	JOIN (SELECT coalesce(channel, 'all channels') AS ch, sum(amount) AS spend FROM marketing_spend
		GROUP BY GROUPING SETS ((channel), ())) m USING (ch),
	LATERAL (VALUES ('leads', leads), ('opps', opps), ('lead->opp %', lead_opp), ('won', won), ('opp->win %', opp_win),
		('responded %', responded), ('median speed min', median_speed), ('p90 speed min', p90_speed),
		('activities/deal', activities), ('cost/lead', spend / leads)) v(f, v)
WHERE ch IN ('all channels', 'inbound', 'partner');
INSERT INTO figures
SELECT 'report_leads', 'L2. ' || o || ' ' || f, pg_temp.shown('report_leads', 'no next step', 'owner', o, f), v
FROM (SELECT coalesce(r.owner, 'all owners') AS o, count(*) AS deals, sum(d.amount) AS amount,
		count(*) FILTER (WHERE stale) AS stale, coalesce(sum(d.amount) FILTER (WHERE stale), 0) AS stale_amount,
		count(*) FILTER (WHERE r.next_step IS NULL) AS no_next, count(*) FILTER (WHERE r.expected_close_on IS NULL) AS no_close,
		100.0 * count(*) FILTER (WHERE r.contact_name IS NOT NULL AND r.industry IS NOT NULL AND r.budget IS NOT NULL) / count(*) AS complete
	FROM deal_records r JOIN deals d USING (deal_id)
	JOIN (SELECT deal_id, max(entered_at) AS stage_changed_at FROM deal_stage_history GROUP BY deal_id) h USING (deal_id),
	LATERAL (SELECT coalesce(greatest(r.last_activity_at, h.stage_changed_at) < timestamptz '2025-12-31' - interval '14 days', true) AS stale) st
	GROUP BY GROUPING SETS ((r.owner), ())) g,
	LATERAL (VALUES ('open deals', deals), ('amount', amount), ('stale', stale), ('stale amount', stale_amount),
		('no next step', no_next), ('no close date', no_close), ('complete %', complete)) v(f, v)
WHERE o IN ('all owners', 'rep 1', 'rep 7');

-- every figure checked, per report, and those the report prints wrong (none)
SELECT report, count(*) AS figures, count(*) FILTER (WHERE pg_temp.rounds(shown, exact)) AS right
FROM figures GROUP BY report
ORDER BY array_position('{report,report_conversion,report_survival,report_clv,report_retention,report_pipeline,report_leads}', report);
SELECT report, figure, shown, round(exact, 6) AS exact FROM figures
WHERE NOT pg_temp.rounds(shown, exact) ORDER BY report, figure;
