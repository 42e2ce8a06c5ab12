-- Pipeline changes between snapshots (pipeline_changes, pipeline_waterfall,
-- slipped_deals, slipped_amount): SQLSTATEs of every error, and values by
-- hand (sql/pipeline_changes.sql has the worked seventeen-deal example).
BEGIN;
SELECT plan(28);

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

-- forecast: a funnel lead -> proposal -> won/lost, by hand: proposal 3/4,
-- lead 1/2 * 3/4 = 3/8; two open deals of 100 in proposal (rate 3/4 of 8
-- deals): expected 150, variance (p - p^2 - V) 20000 + V 40000 with
-- V = (3/16) / 10: 3375 + 750 = 4125
CREATE TEMP TABLE m AS SELECT ARRAY[('lead', 'proposal', 4, 0.5, 1)::stage_conversion,
	('lead', 'lost', 4, 0.5, 1), ('proposal', 'won', 6, 0.75, 1),
	('proposal', 'lost', 2, 0.25, 1)]::stage_conversion_array AS m;
SELECT is((SELECT win_rate FROM stage_win_rates(m) WHERE stage = 'proposal'), 0.75::float8,
	'proposal to won') FROM m;
SELECT is((SELECT win_rate FROM stage_win_rates(m) WHERE stage = 'lead'), 0.375::float8,
	'lead to won chains the rates') FROM m;
SELECT is((pipeline_forecast(100, 0.5, 'proposal', 0.75, 8)).expected, 150::float8,
	'expected won amount') FROM generate_series(1, 2);
SELECT ok(abs((pipeline_forecast(100, 0.5, 'proposal', 0.75, 8)).std_error - sqrt(4125)) < 1e-9,
	'standard error of the forecast') FROM generate_series(1, 2);
SELECT throws_ok($$SELECT pipeline_forecast(a, 0.5, 's', r, 10) FROM (VALUES (1::numeric, 0.5::float8),
	(2, 0.6)) v(a, r)$$, '22023', NULL, 'one stage, two rates');
SELECT throws_ok($$SELECT pipeline_forecast(1, 1.5, 's', 0.5, 10)$$, '22003', NULL, 'probability above 1');
SELECT throws_ok($$SELECT pipeline_forecast(1, 0.5, 's', 'NaN', 10)$$, '22003', NULL, 'NaN win rate');
SELECT throws_ok($$SELECT pipeline_forecast(1, 0.5, 's', 0.5, -1)$$, '22003', NULL, 'negative rate deals');
SELECT throws_ok($$SELECT pipeline_forecast('NaN', 0.5, 's', 0.5, 1)$$, '22003', NULL, 'NaN amount');
SELECT throws_ok($$SELECT * FROM stage_win_rates(ARRAY[]::stage_conversion_array, 'x', 'x')$$,
	'22023', NULL, 'won and lost the same stage');

-- rollup of stored waterfalls: the two halves of the example add up to it
SELECT is((SELECT rollup(x.w)::text FROM (SELECT pipeline_changes(amount_a, close_a, status_a, amount_b,
		close_b, status_b, date '2025-01-01', date '2025-03-31') AS w FROM pair GROUP BY id % 2) x),
	(SELECT w::text FROM w), 'rollup of the halves is the whole');
SELECT throws_ok($$SELECT rollup(w) FROM (VALUES (ARRAY[('gained', 1, 5)::pipeline_change]::pipeline_change_array),
	(ARRAY[('new', 1, 5)::pipeline_change]::pipeline_change_array)) v(w)$$,
	'22023', NULL, 'unknown waterfall category');
SELECT throws_ok($$SELECT rollup(w) FROM (VALUES (ARRAY[('new', NULL, 5)::pipeline_change]::pipeline_change_array),
	(ARRAY[('new', 1, 5)::pipeline_change]::pipeline_change_array)) v(w)$$, '22004', NULL, 'NULL deals in a waterfall');

SELECT * FROM finish();
ROLLBACK;
