--
-- MRR inputs as billing exports have them (issue 13): rows before the origin
-- ignored, duplicate snapshots summed, subscription intervals, and a customer
-- retention rate that reactivations cannot push above 1.  Expected values
-- are worked out by hand in the comments, or by plain SQL.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS crm_kpi;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- 1. A snapshot ledger with reactivations, January to April 2024
--	customer   Jan Feb Mar Apr
--	1 (A)       10  10  10  10
--	2 (B)       10   0  10  10   churns in Feb, reactivates in Mar
--	3 (C)       10  10   0   0   churns in Mar
--	4 (D)        0   0  10  10   new in Mar
--	5 (E)       10   0   0  10   churns in Feb, reactivates in Apr
--	6 (F)        0  10   0  10   new in Feb, churns in Mar, reactivates in Apr
-- plus rows of December 2023, before the origin: ignored (no WHERE needed).
CREATE TABLE mrr_ledger (customer bigint, month timestamptz, mrr numeric);
INSERT INTO mrr_ledger VALUES
	(1, '2024-01-01', 10), (1, '2024-02-01', 10), (1, '2024-03-01', 10), (1, '2024-04-01', 10),
	(2, '2024-01-01', 10), (2, '2024-03-01', 10), (2, '2024-04-01', 10),
	(3, '2024-01-01', 10), (3, '2024-02-01', 10),
	(4, '2024-03-01', 10), (4, '2024-04-01', 10),
	(5, '2024-01-01', 10), (5, '2024-04-01', 10),
	(6, '2024-02-01', 10), (6, '2024-04-01', 10),
	(1, '2023-12-01', 999), (7, '2023-12-31 23:59:59', 5);
-- customer retention rate = (S - churned) / S:
--	Feb: S = {A,B,C,E} = 4, churned B, E: 2/4 = 0.5
--	Mar: S = {A,C,F} = 3, churned C, F: 1/3 (B reactivated, D new: not of S)
--	Apr: S = {A,B,D} = 3, none churned: 1 (E, F reactivated; (E - N) / S
--	     would give 5/3)
SELECT period, customers_start, churned_customers, reactivated_customers, new_customers,
	customers_end, customer_retention_rate, customer_churn_rate
FROM mrr_movements((SELECT mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 4) FROM mrr_ledger));
-- against plain SQL: paying in k - 1 and in k, over paying in k - 1
WITH m AS (SELECT customer, (extract(month FROM month) - 1)::int AS k, sum(mrr) AS mrr
		   FROM mrr_ledger WHERE month >= '2024-01-01' GROUP BY 1, 2),
plain AS (SELECT k.k, count(*) FILTER (WHERE b.mrr > 0)::float8 / count(*) AS rate
		  FROM generate_series(1, 3) k(k) JOIN m a ON a.k = k.k - 1 AND a.mrr > 0
		  LEFT JOIN m b ON b.customer = a.customer AND b.k = k.k GROUP BY k.k)
SELECT p.k, p.rate, r.customer_retention_rate, p.rate = r.customer_retention_rate AS same
FROM plain p JOIN mrr_movements((SELECT mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 4)
								 FROM mrr_ledger)) r ON r.period = p.k ORDER BY p.k;
-- rows before the origin are ignored: the same summary as with the filter
SELECT (SELECT mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 4)::text FROM mrr_ledger)
	= (SELECT mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 4)::text FROM mrr_ledger
	   WHERE month >= '2024-01-01') AS before_origin_ignored;
-- the period holding the origin counts whole: a row on 2024-01-15 with the
-- origin 2024-01-20 is in period 0
SELECT customer_mrr_agg(1, '2024-01-15', 5, '2024-01-20', '1 month', 2)::text;

-- 2. Duplicate snapshots of one customer and month add up (documented): a
-- second export of February's row doubles it, an expansion of 10
SELECT period, expansion_mrr, ending_mrr
FROM mrr_movements((SELECT mrr_agg(customer, month, mrr, '2024-01-01', '1 month', 2)
					FROM (VALUES (1, timestamptz '2024-01-01', 10), (1, '2024-02-01', 10),
								 (1, '2024-02-01', 10)) v(customer, month, mrr)));

-- 3. Subscriptions (customer, starts, ends, mrr), ends exclusive, NULL open:
-- a subscription counts in each month at whose end it is active, i.e. month
-- k when starts < start of month k + 1 <= ends.
--	s1  1  2023-11-10 .. NULL        100  Jan Feb Mar Apr
--	s2  1  2024-02-15 .. 2024-04-01   50  Feb Mar (active on 2024-03-31 23:59)
--	s3  2  2024-01-05 .. 2024-01-25   30  none (within January)
--	s4  3  2024-01-31 23:00 .. 2024-03-15  20  Jan Feb
--	s5  4  2023-06-01 .. 2023-12-01   40  none (before the origin)
--	s6  4  2024-03-01 .. NULL         25  Mar Apr
--	s7  5  2024-01-01 .. 2024-02-01   60  Jan (ends at February's start)
--	s8  5  2024-04-10 .. NULL         60  Apr
--	s9  6  2024-06-01 .. NULL         70  none (after the window)
--	s10 NULL customer, s11 NULL starts, s12 NULL mrr: skipped
--	s13 8  -infinity .. infinity       5  Jan Feb Mar Apr
--	s14 9  2024-02-01 .. 2024-02-01    9  none (empty)
-- Each customer's MRR:      Jan  Feb  Mar  Apr
--	1                        100  150  150  100
--	3                         20   20    0    0
--	4                          0    0   25   25
--	5                         60    0    0   60
--	8                          5    5    5    5
-- Movements: Jan 4 customers, 185.  Feb: 1 expands +50, 5 churns -60: 3
-- customers, 175.  Mar: 3 churns -20, 4 new +25: 3 customers, 180.  Apr: 1
-- contracts -50, 5 reactivates +60: 4 customers, 190; retention 3/3 = 1.
CREATE TABLE subs (id int, customer bigint, starts timestamptz, ends timestamptz, mrr numeric);
INSERT INTO subs VALUES
	(1, 1, '2023-11-10', NULL, 100), (2, 1, '2024-02-15', '2024-04-01', 50),
	(3, 2, '2024-01-05', '2024-01-25', 30), (4, 3, '2024-01-31 23:00', '2024-03-15', 20),
	(5, 4, '2023-06-01', '2023-12-01', 40), (6, 4, '2024-03-01', NULL, 25),
	(7, 5, '2024-01-01', '2024-02-01', 60), (8, 5, '2024-04-10', NULL, 60),
	(9, 6, '2024-06-01', NULL, 70), (10, NULL, '2024-01-01', NULL, 1),
	(11, 7, NULL, NULL, 1), (12, 7, '2024-01-01', NULL, NULL),
	(13, 8, '-infinity', 'infinity', 5), (14, 9, '2024-02-01', '2024-02-01', 9);
SELECT customer_mrr_agg(customer, starts, ends, mrr, '2024-01-01', '1 month', 4)::text FROM subs;
SELECT period, customers_start, new_customers, reactivated_customers, churned_customers, customers_end,
	starting_mrr, new_mrr, expansion_mrr, contraction_mrr, churned_mrr, reactivation_mrr, ending_mrr,
	customer_retention_rate
FROM mrr_movements((SELECT mrr_agg(customer, starts, ends, mrr, '2024-01-01', '1 month', 4) FROM subs));

-- against a plain-SQL expansion: one snapshot per subscription and month at
-- whose end it is active, summed by the snapshot form
CREATE FUNCTION pg_temp.expanded(origin timestamptz, step interval, n int)
RETURNS TABLE (customer bigint, at timestamptz, mrr numeric) LANGUAGE sql AS $$
	SELECT s.customer, p.at, s.mrr
	FROM subs s, generate_series(origin, origin + (n - 1) * step, step) p(at)
	WHERE s.starts < p.at + step AND p.at + step <= coalesce(s.ends, 'infinity')$$;
SELECT (SELECT mrr_agg(customer, starts, ends, mrr, '2024-01-01', '1 month', 4)::text FROM subs)
	= (SELECT mrr_agg(customer, at, mrr, '2024-01-01', '1 month', 4)::text
	   FROM pg_temp.expanded('2024-01-01', '1 month', 4)) AS hand_ledger_as_expanded;
-- 3,000 random subscriptions over 2023-2025, months, weeks and days
INSERT INTO subs
SELECT 100 + i, i % 700,
	timestamptz '2023-01-01' + (i * 7919 % 1000) * interval '1 day' + (i % 24) * interval '1 hour',
	CASE WHEN i % 4 = 0 THEN NULL
		 ELSE timestamptz '2023-01-01' + (i * 7919 % 1000) * interval '1 day'
			  + (i * 104729 % 400) * interval '1 day' + (i % 60) * interval '1 minute' END,
	(i % 9) * 5 + 0.25
FROM generate_series(1, 3000) i;
SELECT (SELECT mrr_agg(customer, starts, ends, mrr, '2024-01-01', '1 month', 18)::text FROM subs)
	= (SELECT mrr_agg(customer, at, mrr, '2024-01-01', '1 month', 18)::text
	   FROM pg_temp.expanded('2024-01-01', '1 month', 18)) AS months,
	(SELECT customer_mrr_agg(customer, starts, ends, mrr, '2024-01-01', '1 week', 60)::text FROM subs)
	= (SELECT customer_mrr_agg(customer, at, mrr, '2024-01-01', '1 week', 60)::text
	   FROM pg_temp.expanded('2024-01-01', '1 week', 60)) AS weeks,
	(SELECT customer_mrr_agg(customer, starts, ends, mrr, '2024-03-01', '1 day', 200)::text FROM subs)
	= (SELECT customer_mrr_agg(customer, at, mrr, '2024-03-01', '1 day', 200)::text
	   FROM pg_temp.expanded('2024-03-01', '1 day', 200)) AS days;
-- in a time zone: the periods are Paris months, whatever the session's
SET TimeZone = 'Europe/Paris';
SELECT (SELECT mrr_agg(customer, starts, ends, mrr, '2024-01-01', '1 month', 18, 'Europe/Paris')::text FROM subs)
	= (SELECT mrr_agg(customer, at, mrr, '2024-01-01', '1 month', 18, 'Europe/Paris')::text
	   FROM pg_temp.expanded('2024-01-01', '1 month', 18)) AS paris_months;
SET TimeZone = 'UTC';
-- the two steps, per split of the rows, give the one-step result
SELECT mrr_summary(rollup(s))::text = (SELECT mrr_agg(customer, starts, ends, mrr, '2024-01-01', '1 month', 18)::text
									   FROM subs) AS two_steps
FROM (SELECT id % 5, customer_mrr_agg(customer, starts, ends, mrr, '2024-01-01', '1 month', 18) AS s
	  FROM subs GROUP BY 1) x;
-- no rows: NULL
SELECT mrr_agg(customer, starts, ends, mrr, '2024-01-01', '1 month', 4) IS NULL AS no_rows FROM subs WHERE false;

-- errors
SELECT mrr_agg(1, timestamptz '2024-03-01', timestamptz '2024-02-01', 10, '2024-01-01', '1 month', 4);
SELECT mrr_agg(1, timestamptz '2024-03-01', NULL, -1, '2024-01-01', '1 month', 4);
SELECT mrr_agg(1, timestamptz '2024-03-01', NULL, 1, '2024-01-01', '1 month', NULL);
SELECT mrr_agg(1, timestamptz '2024-03-01', NULL, 1, '2024-01-01', '2 months', 4);
