-- Pipeline changes between snapshots (pipeline_changes, pipeline_waterfall,
-- slipped_deals, slipped_amount): SQLSTATEs of every error, and values by
-- hand (sql/pipeline_changes.sql has the worked seventeen-deal example).
BEGIN;
SELECT plan(15);

-- One deal per category, period 2025-01-01 .. 2025-03-31:
-- 1 increased 100 -> 150; 2 pushed out (close 03-01 -> 04-02), 200;
-- 3 won, 300; 4 new, 400; 5 pulled in (close NULL -> 02-01), 500 at B.
-- opening 100 + 200 + 300 = 600; closing 150 + 400 + 500 = 1050
-- = 600 + 400 + 500 + 50 - 200 - 300.
CREATE TEMP TABLE pair (id int, amount_a numeric, close_a date, status_a text,
	amount_b numeric, close_b date, status_b text);
INSERT INTO pair VALUES
	(1, 100, '2025-01-10', 'open', 150, '2025-01-10', 'open'),
	(2, 200, '2025-03-01', 'open', 200, '2025-04-02', 'open'),
	(3, 300, '2025-02-01', 'open', 300, '2025-02-01', 'won'),
	(4, NULL, NULL, NULL, 400, '2025-03-31', 'open'),
	(5, 90, NULL, 'open', 500, '2025-02-01', 'open');
CREATE TEMP TABLE w AS
SELECT pipeline_changes(amount_a, close_a, status_a, amount_b, close_b, status_b,
	date '2025-01-01', date '2025-03-31') AS w FROM pair;

SELECT is((SELECT amount FROM pipeline_waterfall(w) WHERE category = 'opening'), 600::numeric,
	'opening pipeline') FROM w;
SELECT is((SELECT amount FROM pipeline_waterfall(w) WHERE category = 'closing'), 1050::numeric,
	'closing pipeline') FROM w;
SELECT is((SELECT sum(amount) FROM pipeline_waterfall(w) WHERE category <> 'closing'), 1050::numeric,
	'opening + changes = closing') FROM w;
SELECT is((SELECT amount FROM pipeline_waterfall(w) WHERE category = 'increased'), 50::numeric,
	'increase is the amount change') FROM w;
SELECT is((SELECT amount FROM pipeline_waterfall(w) WHERE category = 'pulled_in'), 500::numeric,
	'pulled in at the amount at B') FROM w;
SELECT is(slipped_deals(w), 1::bigint, 'one deal slipped') FROM w;
SELECT is(slipped_amount(w), 200::numeric, 'slipped amount at A') FROM w;
SELECT is((SELECT count(*) FROM pipeline_waterfall(w)), 11::bigint, 'eleven rows') FROM w;

-- errors
SELECT throws_ok($$SELECT pipeline_changes(-1, date '2025-02-01', 'open', NULL, NULL, NULL,
	date '2025-01-01', date '2025-03-31')$$, '22003', NULL, 'negative amount at A');
SELECT throws_ok($$SELECT pipeline_changes(NULL, NULL, NULL, 'NaN', date '2025-02-01', 'open',
	date '2025-01-01', date '2025-03-31')$$, '22003', NULL, 'NaN amount at B');
SELECT throws_ok($$SELECT pipeline_changes(1, date '2025-02-01', 'open', 1, NULL, 'closed',
	date '2025-01-01', date '2025-03-31')$$, '22023', NULL, 'unknown status');
SELECT throws_ok($$SELECT pipeline_changes(1, date '2025-02-01', 'open', NULL, NULL, NULL,
	date '2025-01-01', NULL)$$, '22004', NULL, 'NULL period end');
SELECT throws_ok($$SELECT pipeline_changes(1, date '2025-02-01', 'open', NULL, NULL, NULL,
	NULL, date '2025-03-31')$$, '22004', NULL, 'NULL period start');
SELECT throws_ok($$SELECT pipeline_changes(1, date '2025-02-01', 'open', NULL, NULL, NULL,
	date '2025-04-01', date '2025-03-31')$$, '22023', NULL, 'period start after end');
SELECT throws_ok($$SELECT pipeline_changes(1, date '2025-02-01', 'open', NULL, NULL, NULL,
	date '2025-01-01', d) FROM (VALUES (date '2025-03-31'), (date '2025-06-30')) v(d)$$,
	'22023', NULL, 'period changing between rows');

SELECT * FROM finish();
ROLLBACK;
