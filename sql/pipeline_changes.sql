--
-- Pipeline changes between two snapshots (a waterfall) and slippage:
-- pipeline_changes, pipeline_waterfall, slipped_deals, slipped_amount.
--
-- Expected values: the hand-built snapshot pair below, worked in the
-- comments (every category), and a plain-SQL classification of generated
-- snapshots compared row by row, with the reconciliation
-- opening + sum(changes) = closing checked in plain SQL.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never

-- 1. Seventeen deals by hand, period 2025-01-01 .. 2025-03-31 (both ends in).
-- In the pipeline of a snapshot: open, close date in the period.
--  deal  A (status, close, amount)     B (status, close, amount)    category
--   1    open 02-10 1000               open 02-20 1000              (unchanged)
--   2    open 03-01  500               open 03-15  800.25           increased +300.25
--   3    open 01-15 2000               open 01-15 1500              decreased -500
--   4    open 03-20  700               open 04-10  900              pushed_out -700 (A's amount)
--   5    open 02-01  300               open  NULL  300              moved_out -300
--   6    open 02-28 1200               won  02-25 1300              won -1200 (A's amount)
--   7    open 03-31  400               lost 03-10  400              lost -400
--   8    open 01-31  250               (absent)                     removed -250
--   9    (absent)                      open 03-05  600              new +600
--  10    lost 2024-12-01 350           open 02-14  350              new +350 (reopened)
--  11    open 05-01  900               open 03-30  950              pulled_in +950 (B's amount)
--  12    open NULL   100               open 01-01  120              pulled_in +120
--  13    open 06-01 5000               open 07-01 5000              (outside at both)
--  14    open 04-15 10000              won  04-20 10000             (outside at A: not in it)
--  15    open 02-02 NULL               open 02-03 NULL              (unchanged, no amount)
--  16    open 01-10  150               open 2024-12-20 150          moved_out -150
--  17    open 03-31   10               open 04-01   10              pushed_out -10
-- opening: deals 1-8, 15-17 = 11 deals, 1000+500+2000+700+300+1200+400+250+150+10 = 6510
-- closing: deals 1-3, 9-12, 15 = 8 deals, 1000+800.25+1500+600+350+950+120 = 5320.25
-- changes: new 2 (+950), pulled_in 2 (+1070), increased 1 (+300.25), decreased 1 (-500),
--   pushed_out 2 (-710), moved_out 2 (-450), won 1 (-1200), lost 1 (-400), removed 1 (-250)
-- 6510 + 950 + 1070 + 300.25 - 500 - 710 - 450 - 1200 - 400 - 250 = 5320.25;
-- counts 11 + 2 + 2 - 2 - 2 - 1 - 1 - 1 = 8.  Slippage: 2 deals, 710.
CREATE TABLE plc_snap (deal_id int, snap text, status text, close_on date, amount numeric);
INSERT INTO plc_snap VALUES
	(1, 'A', 'open', '2025-02-10', 1000), (1, 'B', 'open', '2025-02-20', 1000),
	(2, 'A', 'open', '2025-03-01', 500), (2, 'B', 'open', '2025-03-15', 800.25),
	(3, 'A', 'open', '2025-01-15', 2000), (3, 'B', 'open', '2025-01-15', 1500),
	(4, 'A', 'open', '2025-03-20', 700), (4, 'B', 'open', '2025-04-10', 900),
	(5, 'A', 'open', '2025-02-01', 300), (5, 'B', 'open', NULL, 300),
	(6, 'A', 'open', '2025-02-28', 1200), (6, 'B', ' Won ', '2025-02-25', 1300),
	(7, 'A', 'open', '2025-03-31', 400), (7, 'B', 'LOST', '2025-03-10', 400),
	(8, 'A', 'open', '2025-01-31', 250),
	(9, 'B', 'open', '2025-03-05', 600),
	(10, 'A', 'lost', '2024-12-01', 350), (10, 'B', 'Open', '2025-02-14', 350),
	(11, 'A', 'open', '2025-05-01', 900), (11, 'B', 'open', '2025-03-30', 950),
	(12, 'A', 'open', NULL, 100), (12, 'B', 'open', '2025-01-01', 120),
	(13, 'A', 'open', '2025-06-01', 5000), (13, 'B', 'open', '2025-07-01', 5000),
	(14, 'A', 'open', '2025-04-15', 10000), (14, 'B', 'won', '2025-04-20', 10000),
	(15, 'A', 'open', '2025-02-02', NULL), (15, 'B', 'open', '2025-02-03', NULL),
	(16, 'A', 'open', '2025-01-10', 150), (16, 'B', 'open', '2024-12-20', 150),
	(17, 'A', 'open', '2025-03-31', 10), (17, 'B', 'open', '2025-04-01', 10);

CREATE TABLE plc_hand AS
SELECT pipeline_changes(a.amount, a.close_on, a.status, b.amount, b.close_on, b.status,
		date '2025-01-01', date '2025-03-31') AS w
FROM (SELECT * FROM plc_snap WHERE snap = 'A') a
	FULL JOIN (SELECT * FROM plc_snap WHERE snap = 'B') b USING (deal_id);
SELECT * FROM pipeline_waterfall((SELECT w FROM plc_hand));
SELECT slipped_deals(w), slipped_amount(w) FROM plc_hand;
-- reconciliation, in plain SQL over the rows
SELECT sum(amount) FILTER (WHERE category NOT IN ('closing')) AS opening_plus_changes,
	sum(amount) FILTER (WHERE category = 'closing') AS closing
FROM plc_hand, unnest(w);
-- unnest() gives the same rows as pipeline_waterfall(); the array reads as one
SELECT (w)[1], (w)[11], cardinality(w) FROM plc_hand;

-- the text and binary forms (record and array I/O) read back to the same value
SELECT w::text::pipeline_change_array::text = w::text AS text_round_trip FROM plc_hand;
\i test/binary_copy.sql
SELECT pg_temp.load_binary('pipeline_change_array', array_send(w)) = w::text AS binary_round_trip
FROM plc_hand;

-- 2. Zero rows: every category with zero deals and amount
SELECT * FROM pipeline_waterfall((SELECT pipeline_changes(a.amount, a.close_on, a.status,
		b.amount, b.close_on, b.status, date '2025-01-01', date '2025-03-31')
	FROM plc_snap a JOIN plc_snap b USING (deal_id) WHERE false));

-- 3. Additive across groups: the waterfalls of deals 1-9 and 10-17, summed
-- row by row, are the waterfall of all
WITH parts AS (
	SELECT deal_id < 10 AS part,
		pipeline_changes(a.amount, a.close_on, a.status, b.amount, b.close_on, b.status,
			date '2025-01-01', date '2025-03-31') AS w
	FROM (SELECT * FROM plc_snap WHERE snap = 'A') a
		FULL JOIN (SELECT * FROM plc_snap WHERE snap = 'B') b USING (deal_id)
	GROUP BY 1
)
SELECT c.category, sum(c.deals) AS deals, sum(c.amount) AS amount
FROM parts, unnest(w) c GROUP BY c.category
EXCEPT
SELECT category, deals, amount FROM pipeline_waterfall((SELECT w FROM plc_hand));
-- rollup() of the stored parts is the same waterfall
WITH parts AS (
	SELECT deal_id < 10 AS part,
		pipeline_changes(a.amount, a.close_on, a.status, b.amount, b.close_on, b.status,
			date '2025-01-01', date '2025-03-31') AS w
	FROM (SELECT * FROM plc_snap WHERE snap = 'A') a
		FULL JOIN (SELECT * FROM plc_snap WHERE snap = 'B') b USING (deal_id)
	GROUP BY 1
)
SELECT rollup(w)::text = (SELECT w::text FROM plc_hand) AS rollup_is_whole,
	rollup(w) FILTER (WHERE false) IS NULL AS rollup_of_nothing_is_null
FROM parts;

-- 4. Generated snapshots against a plain-SQL classification, row by row.
-- 20000 deal ids; each present at A and/or B, open/won/lost, a close date
-- in 2024-10 .. 2025-07 or NULL, an amount of 2 decimals or NULL; the
-- reference classifies each deal by the rules of doc/pipeline.md in CASE
-- order (won/lost, moved in/out of the period, amount change).
SELECT setseed(0.5);
CREATE TABLE plc_gen AS
SELECT d AS deal_id, s AS snap,
	(ARRAY['open', 'open', 'open', 'won', 'lost'])[1 + floor(random() * 5)::int] AS status,
	CASE WHEN random() < 0.05 THEN NULL
		ELSE date '2024-10-01' + floor(random() * 300)::int END AS close_on,
	CASE WHEN random() < 0.03 THEN NULL
		ELSE round((random() * 100000)::numeric, 2) END AS amount,
	random() AS keep
FROM generate_series(1, 20000) d, (VALUES ('A'), ('B')) v(s);
DELETE FROM plc_gen WHERE keep < 0.1;
CREATE INDEX ON plc_gen (deal_id, snap);
ANALYZE plc_gen;
-- the same deal unchanged at B half the time, so that amount and date ties occur
UPDATE plc_gen b SET status = a.status, close_on = a.close_on, amount = a.amount
FROM plc_gen a WHERE a.deal_id = b.deal_id AND a.snap = 'A' AND b.snap = 'B' AND b.keep < 0.3;
UPDATE plc_gen b SET amount = a.amount
FROM plc_gen a WHERE a.deal_id = b.deal_id AND a.snap = 'A' AND b.snap = 'B' AND b.keep >= 0.3
	AND b.keep < 0.5;
ANALYZE plc_gen;

CREATE VIEW plc_pairs AS
SELECT deal_id, a.amount AS amount_a, a.close_on AS close_a, a.status AS status_a,
	b.amount AS amount_b, b.close_on AS close_b, b.status AS status_b
FROM (SELECT * FROM plc_gen WHERE snap = 'A') a
	FULL JOIN (SELECT * FROM plc_gen WHERE snap = 'B') b USING (deal_id);

CREATE VIEW plc_reference AS
WITH f AS (
	SELECT *, coalesce(status_a = 'open' AND close_a BETWEEN '2025-01-01' AND '2025-03-31', false) AS in_a,
		coalesce(status_b = 'open' AND close_b BETWEEN '2025-01-01' AND '2025-03-31', false) AS in_b,
		coalesce(amount_a, 0) AS x_a, coalesce(amount_b, 0) AS x_b
	FROM plc_pairs
), steps AS (
	SELECT 'opening' AS category, x_a AS amount FROM f WHERE in_a
	UNION ALL
	SELECT 'closing', x_b FROM f WHERE in_b
	UNION ALL
	SELECT CASE
			WHEN in_a AND status_b IS NULL THEN 'removed'
			WHEN in_a AND status_b = 'won' THEN 'won'
			WHEN in_a AND status_b = 'lost' THEN 'lost'
			WHEN in_a AND NOT in_b AND close_b > '2025-03-31' THEN 'pushed_out'
			WHEN in_a AND NOT in_b THEN 'moved_out'
			WHEN in_a AND x_b > x_a THEN 'increased'
			WHEN in_a AND x_b < x_a THEN 'decreased'
			WHEN in_a THEN NULL
			WHEN in_b AND status_a = 'open' THEN 'pulled_in'
			ELSE 'new' END,
		CASE WHEN in_a AND in_b THEN x_b - x_a WHEN in_a THEN -x_a ELSE x_b END
	FROM f WHERE in_a OR in_b
)
SELECT category, count(*) AS deals, sum(amount) AS amount
FROM steps WHERE category IS NOT NULL GROUP BY category;

CREATE TABLE plc_gen_w AS
SELECT pipeline_changes(amount_a, close_a, status_a, amount_b, close_b, status_b,
		date '2025-01-01', date '2025-03-31') AS w
FROM plc_pairs;
-- every category of the reference, with its deals and exact amount: no row differs
SELECT count(*) AS categories,
	count(*) FILTER (WHERE r.category IS NULL OR c.deals IS DISTINCT FROM r.deals
		OR c.amount IS DISTINCT FROM r.amount) AS differing
FROM plc_gen_w, unnest(w) c
	FULL JOIN plc_reference r USING (category)
WHERE c.deals > 0 OR r.category IS NOT NULL;
-- the reference reconciles: opening + changes = closing, in deals and amounts
SELECT sum(amount) FILTER (WHERE category <> 'closing') = sum(amount) FILTER (WHERE category = 'closing')
		AS amounts_reconcile,
	sum(deals) FILTER (WHERE category IN ('opening', 'new', 'pulled_in'))
		- sum(deals) FILTER (WHERE category IN ('pushed_out', 'moved_out', 'won', 'lost', 'removed'))
		= sum(deals) FILTER (WHERE category = 'closing') AS counts_reconcile,
	bool_and(deals > 50) AS every_category_occurs
FROM plc_reference;
-- and so does the aggregate's result
SELECT sum(c.amount) FILTER (WHERE c.category <> 'closing')
		= sum(c.amount) FILTER (WHERE c.category = 'closing') AS amounts_reconcile
FROM plc_gen_w, unnest(w) c;
-- slippage in plain SQL: open in the period at A, open after the period end at B
SELECT (SELECT slipped_deals(w) FROM plc_gen_w) = count(*) AS slipped_deals_match,
	(SELECT slipped_amount(w) FROM plc_gen_w) = sum(coalesce(amount_a, 0)) AS slipped_amount_match
FROM plc_pairs
WHERE status_a = 'open' AND close_a BETWEEN '2025-01-01' AND '2025-03-31'
	AND status_b = 'open' AND close_b > '2025-03-31';

-- 4b. Amounts are summed exactly as int64 units while they fit, else as
-- numeric (doc/pipeline.md).  The same deals with amounts of 0 to 6
-- decimals, of more than 16 significant digits (numeric addition), and of
-- 18 digits that overflow the int64 units after a few deals (folded into
-- the numeric): each category's amount, as text (so with its display
-- scale, the largest of its amounts'), is plain SQL's sum.
BEGIN;
UPDATE plc_gen SET amount = CASE deal_id % 5
		WHEN 0 THEN amount
		WHEN 1 THEN round(amount, 0)
		WHEN 2 THEN amount * 1000000000000000
		WHEN 3 THEN round(amount / 1000, 6)
		ELSE 9000000000000 + round(amount / 100000, 4) END;
SELECT count(*) AS categories,
	count(*) FILTER (WHERE r.category IS NULL OR c.deals IS DISTINCT FROM r.deals
		OR c.amount::text IS DISTINCT FROM r.amount::text) AS differing,
	max(length(c.amount::text)) > 22 AS has_long_sums,
	max(scale(c.amount)) AS largest_scale
FROM (SELECT pipeline_changes(amount_a, close_a, status_a, amount_b, close_b, status_b,
			date '2025-01-01', date '2025-03-31') AS w
		FROM plc_pairs) g, unnest(w) c
	FULL JOIN plc_reference r USING (category)
WHERE c.deals > 0 OR r.category IS NOT NULL;
ROLLBACK;

-- 5. Forced-parallel plans give the serial result, also over zero rows
\i test/parallel.sql
CREATE TABLE plc_pairs_tab AS SELECT * FROM plc_pairs;
ANALYZE plc_pairs_tab;
-- stored waterfalls of 200 groups of deals, rolled up: the whole waterfall
CREATE TABLE plc_stored AS
SELECT deal_id % 200 AS g, pipeline_changes(amount_a, close_a, status_a, amount_b, close_b, status_b,
	date '2025-01-01', date '2025-03-31') AS w
FROM plc_pairs_tab GROUP BY 1;
ANALYZE plc_stored;
SELECT (SELECT rollup(w)::text FROM plc_stored) = (SELECT w::text FROM plc_gen_w) AS rollup_is_whole;
CREATE TABLE plc_queries (name text, query text);
INSERT INTO plc_queries VALUES
	('all', 'SELECT pipeline_changes(amount_a, close_a, status_a, amount_b, close_b, status_b, date ''2025-01-01'', date ''2025-03-31'')::text FROM plc_pairs_tab'),
	('none', 'SELECT pipeline_changes(amount_a, close_a, status_a, amount_b, close_b, status_b, date ''2025-01-01'', date ''2025-03-31'')::text FROM plc_pairs_tab WHERE deal_id < 0'),
	('grouped', 'SELECT deal_id % 5, pipeline_changes(amount_a, close_a, status_a, amount_b, close_b, status_b, date ''2025-01-01'', date ''2025-03-31'')::text FROM plc_pairs_tab GROUP BY 1 ORDER BY 1'),
	('rollup', 'SELECT rollup(w)::text FROM plc_stored'),
	('rollup none', 'SELECT rollup(w)::text FROM plc_stored WHERE g < 0');
CREATE TEMP TABLE plc_serial AS SELECT * FROM pg_temp.run_queries('plc_queries');
SELECT pg_temp.force_parallel();
SELECT pg_temp.plan_shape('SELECT pipeline_changes(amount_a, close_a, status_a, amount_b, close_b, status_b, date ''2025-01-01'', date ''2025-03-31'') FROM plc_pairs_tab');
SELECT pg_temp.plan_shape('SELECT rollup(w) FROM plc_stored');
SELECT p.name, p.result = s.result AS same_as_serial
FROM pg_temp.run_queries('plc_queries') p JOIN plc_serial s USING (name) ORDER BY 1;
RESET ALL;
SET TimeZone = 'UTC';

-- 6. Errors
-- a negative, NaN amount (22003); a status not open/won/lost (22023)
SELECT pipeline_changes(-1, date '2025-02-01', 'open', NULL, NULL, NULL, date '2025-01-01', date '2025-03-31');
SELECT pipeline_changes(NULL, NULL, NULL, 'NaN', date '2025-02-01', 'open', date '2025-01-01', date '2025-03-31');
SELECT pipeline_changes(1, date '2025-02-01', 'pending', NULL, NULL, NULL, date '2025-01-01', date '2025-03-31');
-- NULL period bounds (22004), start after end (22023), the period changing (22023)
SELECT pipeline_changes(1, date '2025-02-01', 'open', NULL, NULL, NULL, NULL, date '2025-03-31');
SELECT pipeline_changes(1, date '2025-02-01', 'open', NULL, NULL, NULL, date '2025-04-01', date '2025-03-31');
SELECT pipeline_changes(1, date '2025-02-01', 'open', NULL, NULL, NULL, date '2025-01-01', d)
FROM (VALUES (date '2025-03-31'), (date '2025-06-30')) v(d);
-- an absent side's amount and date are ignored, even when invalid
SELECT slipped_deals(pipeline_changes(-5, date '2025-02-01', NULL, 7, date '2025-02-01', 'open',
	date '2025-01-01', date '2025-03-31'));
-- a NULL array reads as no rows
SELECT count(*) FROM pipeline_waterfall(NULL);
SELECT slipped_deals(NULL), slipped_amount(NULL);

-- 7. Stage-to-won rates of a conversion matrix (stage_win_rates).  Expected:
-- test/reference/pipeline_forecast_reference.py, exact fractions by
-- Gauss-Jordan elimination of the absorbing chain.
-- M1, a linear funnel: proposal 20/35 = 4/7; qualified 40/55 * 4/7 = 32/77;
-- lead 60/90 * 32/77 = 64/231; deals = those that left the stage; "stuck",
-- which no deal left, has no rate.  The rows with to_stage NULL (deals still
-- in the stage) have no outcome and are left out.
CREATE TABLE plc_m1 AS
SELECT ARRAY[('lead', 'qualified', 60, 0.6, 7)::stage_conversion,
	('lead', 'lost', 30, 0.3, 9), ('lead', NULL, 10, 0.1, NULL),
	('qualified', 'proposal', 40, 0.67, 5), ('qualified', 'lost', 15, 0.25, 3),
	('qualified', NULL, 5, 0.08, NULL),
	('proposal', 'won', 20, 0.5, 8), ('proposal', 'lost', 15, 0.375, 6),
	('proposal', NULL, 5, 0.125, NULL), ('stuck', NULL, 4, 1, NULL),
	('won', NULL, 20, 1, NULL), ('lost', NULL, 60, 1, NULL)]::stage_conversion_array AS m;
SELECT stage, round(win_rate::numeric, 12) AS win_rate, deals,
	round((win_rate - CASE stage WHEN 'lead' THEN 64 / 231.0 WHEN 'qualified' THEN 32 / 77.0
		WHEN 'proposal' THEN 4 / 7.0 END)::numeric, 12) AS minus_reference
FROM plc_m1, stage_win_rates(m);
-- M2: a loop a <-> b and skips to won: a 5/18, b 16/45; a closed loop c <-> d
-- that never reaches an outcome: NULL; other names for won and lost
CREATE TABLE plc_m2 AS
SELECT ARRAY[('a', 'b', 50, 0.5, 1)::stage_conversion, ('a', 'Closed Won', 10, 0.1, 1),
	('a', 'Closed Lost', 40, 0.4, 1), ('b', 'a', 20, 0.2, 1), ('b', 'Closed Won', 30, 0.3, 1),
	('b', 'Closed Lost', 50, 0.5, 1), ('c', 'd', 5, 1, 1), ('d', 'c', 5, 1, 1)]::stage_conversion_array AS m;
SELECT stage, round(win_rate::numeric, 12) AS win_rate, deals,
	round((win_rate - CASE stage WHEN 'a' THEN 5 / 18.0 WHEN 'b' THEN 16 / 45.0 END)::numeric, 12)
		AS minus_reference
FROM plc_m2, stage_win_rates(m, 'Closed Won', 'Closed Lost');
-- from a stage history through stage_conversions: three deals by hand,
-- d1 lead -> demo -> won, d2 lead -> demo -> lost, d3 lead -> lost:
-- demo 1/2, lead 2/3 * 1/2 = 1/3
SELECT r.* FROM (SELECT stage_conversions(deal, stage, at) AS m
	FROM (VALUES ('d1', 'lead', timestamptz '2025-01-01'), ('d1', 'demo', '2025-01-05'),
		('d1', 'won', '2025-01-09'), ('d2', 'lead', '2025-01-02'), ('d2', 'demo', '2025-01-06'),
		('d2', 'lost', '2025-01-10'), ('d3', 'lead', '2025-01-03'), ('d3', 'lost', '2025-01-04'))
		h(deal, stage, at)) c, stage_win_rates(c.m) r;

-- 8. Forecast (pipeline_forecast).  Expected: pipeline_forecast_reference.py,
-- E[W] and Var[W] by numerical integration over the rates' Beta densities.
-- Five open deals: proposal (4/7 of 35 deals) 1000 and 2000 at probability
-- 0.6; qualified (32/77 of 55) 500 at 0.3; 300 at 0.5 with a rate of its own
-- (no stage) 0.5; 700 without a rate or probability.  Expected
-- 4/7 * 3000 + 32/77 * 500 + 150 = 2072.07792207792, standard error
-- 1155.06872230279; lower clipped to 0; upper 4335.97101746008.
CREATE TABLE plc_open (amount numeric, probability float8, stage text, win_rate float8, n bigint);
INSERT INTO plc_open VALUES
	(1000, 0.6, 'proposal', 4 / 7.0, 35), (2000, 0.6, 'proposal', 4 / 7.0, 35),
	(500, 0.3, 'qualified', 32 / 77.0, 55), (300, 0.5, NULL, 0.5, NULL), (700, NULL, 'x', NULL, NULL);
SELECT f.deals, f.pipeline, round(f.weighted::numeric, 9) AS weighted,
	round(f.expected::numeric, 9) AS expected, round(f.std_error::numeric, 9) AS std_error,
	round(f.lower::numeric, 9) AS lower, round(f.upper::numeric, 9) AS upper, f.deals_without_rate
FROM (SELECT (pipeline_forecast(amount, probability, stage, win_rate, n)).* FROM plc_open) f;
-- twenty deals: ten of 1000 in proposal (4/7 of 350), ten of 500 in
-- qualified (32/77 of 550): expected 7792.20779220779, standard error
-- 1768.80760001909, interval 4325.40860058965 .. 11259.0069838259
SELECT round(f.expected::numeric, 9) AS expected, round(f.std_error::numeric, 9) AS std_error,
	round(f.lower::numeric, 9) AS lower, round(f.upper::numeric, 9) AS upper
FROM (SELECT (pipeline_forecast(amount, probability, stage, win_rate, n)).*
	FROM (SELECT 1000::numeric AS amount, 0.6::float8 AS probability, 'proposal' AS stage,
			4 / 7.0::float8 AS win_rate, 350::bigint AS n FROM generate_series(1, 10)
		UNION ALL
		SELECT 500, 0.3, 'qualified', 32 / 77.0, 550 FROM generate_series(1, 10)) d) f;
-- zero rows: zeros
SELECT (pipeline_forecast(amount, probability, stage, win_rate, n)).* FROM plc_open WHERE false;
-- the rates joined from stage_win_rates, forced-parallel equal to serial
CREATE TABLE plc_fc AS
SELECT i, round((random() * 50000)::numeric, 2) AS amount,
	(ARRAY['lead', 'qualified', 'proposal'])[1 + i % 3] AS stage
FROM generate_series(1, 30000) i;
ANALYZE plc_fc;
CREATE TABLE plc_fc_queries (name text, query text);
INSERT INTO plc_fc_queries VALUES
	('all', 'SELECT (f).deals, round((f).expected::numeric, 6), round((f).std_error::numeric, 6) FROM (SELECT pipeline_forecast(d.amount, 0.5, d.stage, r.win_rate, r.deals) AS f FROM plc_fc d JOIN (SELECT r.* FROM plc_m1, stage_win_rates(m) r) r USING (stage)) s'),
	('none', 'SELECT pipeline_forecast(amount, 0.5, stage, 0.5, 10) FROM plc_fc WHERE i < 0');
CREATE TEMP TABLE plc_fc_serial AS SELECT * FROM pg_temp.run_queries('plc_fc_queries');
SELECT pg_temp.force_parallel();
SELECT pg_temp.plan_shape('SELECT pipeline_forecast(amount, 0.5, stage, 0.5, 10) FROM plc_fc');
SELECT p.name, p.result = s.result AS same_as_serial
FROM pg_temp.run_queries('plc_fc_queries') p JOIN plc_fc_serial s USING (name) ORDER BY 1;
RESET ALL;
SET TimeZone = 'UTC';

-- 9. Forecast errors: a stage with two rates (22023), fractions out of
-- range and negative counts or amounts (22003), won = lost stage (22023)
SELECT pipeline_forecast(amount, 0.5, 's', r, 10) FROM (VALUES (1::numeric, 0.5::float8), (2, 0.6)) v(amount, r);
SELECT pipeline_forecast(1, 1.5, 's', 0.5, 10);
SELECT pipeline_forecast(1, 0.5, 's', -0.1, 10);
SELECT pipeline_forecast(1, 0.5, 's', 0.5, -1);
SELECT pipeline_forecast(-1, 0.5, 's', 0.5, 10);
SELECT * FROM stage_win_rates((SELECT m FROM plc_m1), 'won', 'won');
