-- Malformed and corrupt new_customers_summary input, generated: thousands of
-- random mutations of valid text literals and binary payloads must each
-- either be read (and then round-trip exactly and read consistently) or be
-- rejected with 22P02 (text) / 22P03 (binary).  Never another error, never a
-- crash.  The helpers are those of test/fuzz.sql.
BEGIN;
SELECT plan(8);
SELECT setseed(0.15);

\ir ../fuzz.sql

-- every value read is read by its accessor: at most one new customer per
-- distinct customer, repeat buyers among them, and the periods in order
CREATE TEMP TABLE consistency (expr text);
INSERT INTO consistency VALUES ($$(SELECT coalesce(sum(c.new_customers), 0) <= (SELECT count(*) FROM
		json_array_elements(v::text::json->'purchases'))
	AND bool_and(c.repeat_customers <= c.new_customers) IS NOT FALSE
	AND coalesce(array_agg(c.period_start) = array_agg(c.period_start ORDER BY c.period_start), true)
	FROM new_customers(v) c)$$);

CREATE TEMP TABLE nc_base (lit text);
INSERT INTO nc_base VALUES
	('{"version":1,"period":"month","first_days":30,"time_zone":"UTC","purchases":[[1,1704877200000000,100.00],[1,1706173200000000,50.50],[2,1706742000000000,10.00],[3,1707134400000000,null],[4,1709107200000000,-10.00]]}'),
	('{"version":1,"period":"quarter","first_days":90,"time_zone":"Europe/Paris","ids":"text","purchases":[["a",1704067200000000,1.5],["b\"c",1704067100000000,-2],["b\"c",1704067200000000,0]]}'),
	('{"version":1,"period":"week","first_days":7,"time_zone":"America/New_York","ids":"uuid","purchases":[["00000000-0000-0000-0000-000000000001",0,12345678901234567890.123456789]]}'),
	('{"version":1,"period":null,"first_days":null,"time_zone":null,"purchases":[]}');

CREATE TEMP TABLE nc_text AS
SELECT * FROM pg_temp.fuzz_text_cases('new_customers_summary', (SELECT array_agg(lit) FROM nc_base),
	'{}[],:" -0123456789.', 1000, 2);
SELECT pg_temp.fuzz_checks('nc_text', '22P02', 15, 1000, 'new customers text literals',
	'new_customers_summary', (SELECT expr FROM consistency));

CREATE TEMP TABLE nc_binary AS
SELECT * FROM pg_temp.fuzz_binary_cases('new_customers_summary', (SELECT array_agg(lit) FROM nc_base), 300);
SELECT pg_temp.fuzz_checks('nc_binary', '22P03', 20, 100, 'new customers binary payloads',
	'new_customers_summary', (SELECT expr FROM consistency));

SELECT * FROM finish();
ROLLBACK;
