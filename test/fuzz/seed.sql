-- Seed corpus of the fuzzer (test/fuzz/run): valid values of every summary
-- and model type, each BUILT BY THE EXTENSION (aggregates, fits,
-- constructors) from realistic and extreme data, one row per value in
-- fuzz_seed(typ, val).  A value whose producing call fails (e.g. 22003 on
-- overflow) is simply left out: each row is produced by its own statement.
\set ON_ERROR_STOP 0
\set QUIET 1
SET client_min_messages = notice;
DROP TABLE IF EXISTS fuzz_seed;
CREATE TABLE fuzz_seed (typ regtype NOT NULL, val text NOT NULL);
-- seeds that failed with an internal error, or that do not read back
DROP TABLE IF EXISTS fuzz_seed_unreadable;
CREATE TABLE fuzz_seed_unreadable (typ regtype, val text, sqlstate text, message text);
CREATE FUNCTION pg_temp.seed(q text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('INSERT INTO fuzz_seed SELECT pg_typeof(s), s::text FROM (%s) q WHERE s IS NOT NULL', q);
EXCEPTION WHEN others THEN
	RAISE NOTICE 'seed skipped (%): %', SQLSTATE, q;
	IF SQLSTATE !~ '^(22|42)' THEN
		INSERT INTO fuzz_seed_unreadable VALUES (NULL, q, SQLSTATE, SQLERRM);
	END IF;
END $$;

-- survey_summary
SELECT pg_temp.seed($q$SELECT nps_agg(x) s FROM generate_series(0, 10) x$q$);
SELECT pg_temp.seed($q$SELECT csat_agg(1 + x % 5) s FROM generate_series(1, 100) x$q$);
SELECT pg_temp.seed($q$SELECT ces_agg(1 + x % 7) s FROM generate_series(1, 30) x$q$);
SELECT pg_temp.seed($q$SELECT survey_agg(x, -2147483648, 2147483647) s FROM (VALUES (-2147483648), (0), (2147483647)) v(x)$q$);
SELECT pg_temp.seed($q$SELECT survey_agg(x, -100, 100) s FROM (VALUES (-100), (0), (100)) v(x)$q$);
SELECT pg_temp.seed($q$SELECT survey_agg(x, 0, 1) s FROM (VALUES (0), (1), (1)) v(x)$q$);
SELECT pg_temp.seed($q$SELECT nps_agg(x) s FROM (VALUES (NULL::int)) v(x)$q$);

-- proportion_summary
SELECT pg_temp.seed($q$SELECT proportion_agg(x % 3 = 0) s FROM generate_series(1, 50) x$q$);
SELECT pg_temp.seed($q$SELECT proportion(0, 0) s$q$);
SELECT pg_temp.seed($q$SELECT proportion(9223372036854775807, 9223372036854775807) s$q$);
SELECT pg_temp.seed($q$SELECT proportion_agg(s, t) s FROM (VALUES (1::bigint, 4611686018427387903::bigint), (0, 4611686018427387903)) v(s, t)$q$);

-- funnel_summary
SELECT pg_temp.seed($q$SELECT funnel_agg(p) s FROM (VALUES
	(ARRAY['2024-01-01 10:00+00', '2024-01-01 10:05+00', '2024-01-02 09:00+00']::timestamptz[]),
	(ARRAY['2024-01-03 10:00+00', NULL, NULL]::timestamptz[]),
	(ARRAY['2024-01-03 10:00+00', '2024-01-03 10:00:00.000001+00', NULL]::timestamptz[])) v(p)$q$);
SELECT pg_temp.seed($q$SELECT funnel_agg(l, 4) s FROM generate_series(0, 4) l$q$);
SELECT pg_temp.seed($q$SELECT funnel_agg(ARRAY['2000-01-01+00', '2000-01-01+00', '2000-01-01+00', '2000-01-01+00', '2000-01-01+00']::timestamptz[]) s$q$);
SELECT pg_temp.seed($q$SELECT funnel_agg(ARRAY['1000-01-01+00', '100000-01-01+00']::timestamptz[]) s$q$);
SELECT pg_temp.seed($q$SELECT funnel_agg(ARRAY['2000-01-01+00', '294276-12-31 23:59:59+00']::timestamptz[]) s$q$);

-- survival_summary
SELECT pg_temp.seed($q$SELECT survival_agg(x::float8 / 7, x % 3 <> 0) s FROM generate_series(1, 40) x$q$);
SELECT pg_temp.seed($q$SELECT survival_agg(d, e) s FROM (VALUES (0::float8, true), (1e308, false), (5e-324, true)) v(d, e)$q$);
SELECT pg_temp.seed($q$SELECT survival_agg(d, st) s FROM (VALUES (1::float8, 1), (1, 0), (2, 1)) v(d, st)$q$);
SELECT pg_temp.seed($q$SELECT survival_agg(x::float8 % 5, x::float8 / 3 + 5, x % 4 <> 0) s FROM generate_series(1, 30) x$q$);
SELECT pg_temp.seed($q$SELECT survival_agg(e, d, st) s FROM (VALUES (0::float8, 0::float8, 1), (5e-324, 1e308, 0), (1, 2, 1)) v(e, d, st)$q$);

-- sbg_model
SELECT pg_temp.seed($q$SELECT sbg_fit(p, n) s FROM (VALUES (0, 1000::bigint), (1, 631), (2, 468), (3, 382), (4, 326), (5, 289), (6, 262), (7, 241)) v(p, n)$q$);
SELECT pg_temp.seed($q$SELECT sbg_fit(p, n) s FROM (VALUES (0, 9223372036854775807::bigint), (1, 1)) v(p, n)$q$);
SELECT pg_temp.seed($q$SELECT sbg_fit(p, n) s FROM (VALUES (0, 10::bigint), (1, 10), (2, 10)) v(p, n)$q$);

-- rfm_summary
SELECT pg_temp.seed($q$SELECT rfm_summary(2, 30.43, 38.86, 22.35) s$q$);
SELECT pg_temp.seed($q$SELECT rfm_summary(0, 0, 0) s$q$);
SELECT pg_temp.seed($q$SELECT rfm_summary(9223372036854775807, 1e308, 1.7976931348623157e308, 1e308) s$q$);
SELECT pg_temp.seed($q$SELECT rfm_summary(1, 5e-324, 5e-324, 5e-324) s$q$);
SELECT pg_temp.seed($q$SELECT rfm_agg(d, a, '2024-12-31', '7 days') s FROM (VALUES ('2024-01-01'::date, 10::float8), ('2024-03-01', 20), ('2024-06-01', 35.5)) v(d, a)$q$);
SELECT pg_temp.seed($q$SELECT rfm_agg(d, 1e308, '2024-12-31', '1 day') s FROM (VALUES ('2024-01-01'::date), ('2024-01-02'), ('2024-01-03')) v(d)$q$);

-- bgnbd_model, gamma_gamma_model, pareto_nbd_model
SELECT pg_temp.seed($q$SELECT bgnbd_model(0.243, 4.414, 0.793, 2.426) s$q$);
SELECT pg_temp.seed($q$SELECT bgnbd_model(0.25, 4, 1, 2.5) s$q$);
SELECT pg_temp.seed($q$SELECT bgnbd_model(1e-300, 1e300, 1e-300, 1e300) s$q$);
SELECT pg_temp.seed($q$SELECT bgnbd_fit(s) s FROM (VALUES (rfm_summary(2, 30.43, 38.86)), (rfm_summary(1, 1.71, 38.86)), (rfm_summary(0, 0, 38.86)), (rfm_summary(0, 0, 38.86)), (rfm_summary(5, 37, 38.86))) v(s)$q$);
SELECT pg_temp.seed($q$SELECT bgnbd_fit(s) s FROM (VALUES (rfm_summary(0, 0, 0))) v(s)$q$);
SELECT pg_temp.seed($q$SELECT gamma_gamma_model(6.25, 3.74, 15.44) s$q$);
SELECT pg_temp.seed($q$SELECT gamma_gamma_model(1e-300, 1e300, 1e300) s$q$);
SELECT pg_temp.seed($q$SELECT gamma_gamma_fit(s) s FROM (VALUES (rfm_summary(2, 30, 38, 22.35)), (rfm_summary(1, 1, 38, 11.77)), (rfm_summary(6, 37, 38, 44.93)), (rfm_summary(3, 20, 38, 30))) v(s)$q$);
SELECT pg_temp.seed($q$SELECT pareto_nbd_model(0.553, 10.578, 0.606, 11.669) s$q$);
SELECT pg_temp.seed($q$SELECT pareto_nbd_model(1e-300, 1e300, 1e-300, 1e300) s$q$);
SELECT pg_temp.seed($q$SELECT pareto_nbd_fit(s) s FROM (VALUES (rfm_summary(2, 30.43, 38.86)), (rfm_summary(1, 1.71, 38.86)), (rfm_summary(0, 0, 38.86)), (rfm_summary(0, 0, 38.86)), (rfm_summary(5, 37, 38.86))) v(s)$q$);

-- holdout_summary
SELECT pg_temp.seed($q$SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), rfm_summary(x % 9, x % 9 * 3, 38.86), x % 4, 39) s FROM generate_series(1, 60) x$q$);
SELECT pg_temp.seed($q$SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), rfm_summary(x, 20, 40), x % 3, 10) s FROM generate_series(95, 110) x$q$);
SELECT pg_temp.seed($q$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 1), 9223372036854775807, 1e300) s$q$);
SELECT pg_temp.seed($q$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 0), 0, 5e-324) s FROM generate_series(1, 3)$q$);
SELECT pg_temp.seed($q$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 0), 0, 1) s WHERE false$q$);
SELECT pg_temp.seed($q$SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), rfm_summary(x % 5, x % 5, 38.86), ARRAY[x % 7 + 0.5, x % 3 + 1.0], 1, 8) s FROM generate_series(1, 40) x$q$);
SELECT pg_temp.seed($q$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 1), '{1e-300, 1e300}', 1e300, 1) s$q$);
SELECT pg_temp.seed($q$SELECT holdout_agg(bgnbd_model(0.243, 4.414, 0.793, 2.426), rfm_summary(x % 5, x % 5, 38.86), ARRAY[-(x % 7) - 0.5, -(x % 3) * 1.0], ARRAY[x % 7 + 0.5], 1, 39, 8) s FROM generate_series(1, 40) x$q$);
SELECT pg_temp.seed($q$SELECT holdout_agg(pareto_nbd_model(0.553, 10.578, 0.606, 11.669), rfm_summary(1, 3, 4), '{-1, -5e-324}', '{1e-300}', 2, 1, 1) s$q$);
SELECT pg_temp.seed($q$SELECT holdout_agg(bgnbd_model(1, 2, 3, 4), rfm_summary(0, 0, 0), '{}', '{}', 1, 1, 1) s WHERE false$q$);

-- bgbb_model
SELECT pg_temp.seed($q$SELECT bgbb_model(1.204, 0.750, 0.657, 2.783) s$q$);
SELECT pg_temp.seed($q$SELECT bgbb_model(1e-300, 1e300, 1e-300, 1e300) s$q$);
SELECT pg_temp.seed($q$SELECT bgbb_fit(x, t, 6, c) s FROM (VALUES (0::bigint, 0::bigint, 3464::bigint), (1, 1, 1091), (2, 4, 155), (5, 6, 728), (6, 6, 1203)) v(x, t, c)$q$);
SELECT pg_temp.seed($q$SELECT bgbb_fit(0, 0, 6, 100) s$q$);

-- activity_summary
SELECT pg_temp.seed($q$SELECT activity_agg('2024-01-01+00', a, '1 month', 12) s FROM (VALUES ('2024-01-05+00'::timestamptz), ('2024-03-10+00'), ('2024-12-31+00')) v(a)$q$);
SELECT pg_temp.seed($q$SELECT activity_agg('2024-01-01+00', a, '7 days', 52, 'calendar') s FROM (VALUES ('2024-02-05+00'::timestamptz)) v(a)$q$);
SELECT pg_temp.seed($q$SELECT activity_agg('294270-01-01+00', '294270-01-02+00', '1 day', 3) s$q$);
SELECT pg_temp.seed($q$SELECT activity_agg('4713-01-01 00:00+00 BC', '4713-01-02 00:00+00 BC', '1 microsecond', 2147483647) s$q$);
SELECT pg_temp.seed($q$SELECT activity_agg('2024-01-01+00', '2024-01-01+00', '1 day', 1) s$q$);
SELECT pg_temp.seed($q$SELECT activity_agg('2024-03-31 01:30+00', '2024-10-27 00:30+00', '1 day', 300, 'calendar', 'Europe/Paris') s$q$);
SELECT pg_temp.seed($q$SELECT activity_agg('2024-01-01+00', '2024-02-01+00', '1 month', 3, 'calendar', 'EST5EDT,M3.2.0,M11.1.0') s$q$);
-- a 1.1.0 value (format version 1, no time zone)
SELECT pg_temp.seed($q$SELECT '{"version":1,"period":"month","periods":3,"start":1738364400000000,"origin":660,"active":[1],"later":false}'::activity_summary s$q$);

-- retention_summary
SELECT pg_temp.seed($q$SELECT retention_agg(a) s FROM (
	SELECT activity_agg('2024-01-01+00', t, '1 month', 6) a FROM (VALUES (1, '2024-01-02+00'::timestamptz), (1, '2024-02-02+00'), (2, '2024-01-09+00'), (3, '2024-04-01+00')) v(c, t) GROUP BY c) x$q$);
SELECT pg_temp.seed($q$SELECT retention_agg(e, '2024-01-01+00', t, '1 week', 8) s FROM (VALUES (1::bigint, '2024-01-01+00'::timestamptz), (1, '2024-01-20+00'), (2, '2024-01-03+00')) v(e, t)$q$);
SELECT pg_temp.seed($q$SELECT retention_agg(a, '2024-03-01+00') s FROM (VALUES (activity_agg('2024-01-01+00', '2024-01-01+00', '1 month', 6))) v(a)$q$);
SELECT pg_temp.seed($q$SELECT retention_agg(e, '2024-01-01+00', t, '1 month', 4, 'calendar', '2024-03-01+00', 'Asia/Kolkata') s FROM (VALUES (1::bigint, '2024-01-01+00'::timestamptz), (1, '2024-02-20+00')) v(e, t)$q$);

-- mrr_summary
SELECT pg_temp.seed($q$SELECT mrr_agg(c, t, m, '2024-01-01+00', '1 month', 6) s FROM (VALUES
	(1::bigint, '2024-01-15+00'::timestamptz, 100::float8), (1, '2024-03-15+00', 150), (2, '2024-02-01+00', 50),
	(2, '2024-04-01+00', 0), (3, '2024-05-01+00', 1e6)) v(c, t, m)$q$);
SELECT pg_temp.seed($q$SELECT mrr_agg(c, t, m, '2024-01-01+00', '1 month', 2) s FROM (VALUES
	(1::bigint, '2024-01-01+00'::timestamptz, 10::float8), (1, '2024-02-01+00', 20), (2, '2024-01-01+00', 30), (2, '2024-02-01+00', 5),
	(3, '2024-01-01+00', 7)) v(c, t, m)$q$);
SELECT pg_temp.seed($q$SELECT mrr_agg(1, '2024-01-01+00', 10, '2024-01-01+00', '1 week', 1) s$q$);
SELECT pg_temp.seed($q$SELECT mrr_agg(c, t, 10, '2024-01-01+00', '1 month', 3, 'Pacific/Kiritimati') s FROM (VALUES (1::bigint, '2024-01-01+00'::timestamptz), (2, '2024-02-15+00')) v(c, t)$q$);
SELECT pg_temp.seed($q$SELECT mrr_agg(1, '2024-01-01+00', 1e308, '2024-01-01+00', '1 day', 2) s$q$);
SELECT pg_temp.seed($q$SELECT mrr_agg(9223372036854775807, '2024-01-01+00', 5e-324, '2024-01-01+00', '1 microsecond', 1) s$q$);
SELECT pg_temp.seed($q$SELECT mrr_agg(c, t, m, '2024-01-01+00', '1 month', 3, 'Europe/Paris', 'EUR') s FROM (VALUES
	(1::bigint, '2024-01-15+00'::timestamptz, 100.125::numeric), (1, '2024-03-15+00', 150), (2, '2024-02-01+00', 50)) v(c, t, m)$q$);

-- customer_mrr_summary
SELECT pg_temp.seed($q$SELECT customer_mrr_agg(c, t, m, '2024-01-01+00', '1 month', 6) s FROM (VALUES
	(1::bigint, '2024-01-15+00'::timestamptz, 100::float8), (1, '2024-03-15+00', 150), (2, '2024-02-01+00', 50),
	(2, '2024-04-01+00', 0), (3, '2024-05-01+00', 1e6), (-4, '2024-06-30+00', 0.0001)) v(c, t, m)$q$);
SELECT pg_temp.seed($q$SELECT customer_mrr_agg(c % 50, '2024-01-01+00'::timestamptz + c * interval '1 day', c % 7, '2024-01-01+00', '1 week', 12, 'Europe/Paris') s
	FROM generate_series(1, 90) c$q$);
SELECT pg_temp.seed($q$SELECT rollup(s) s FROM (SELECT customer_mrr_agg(c, t, m, '2024-01-01+00', '1 month', 3, 'Pacific/Kiritimati') s
	FROM (VALUES (1::bigint, '2024-01-01+00'::timestamptz, 10::float8, 1), (2, '2024-02-15+00', 20, 1), (1, '2024-03-01+00', 5, 2)) v(c, t, m, g) GROUP BY g) x$q$);
SELECT pg_temp.seed($q$SELECT customer_mrr_agg(c, '2024-01-01+00', 1e14, '2024-01-01+00', '1 day', 2) s
	FROM (VALUES (-9223372036854775808), (9223372036854775807), (0)) v(c)$q$);
SELECT pg_temp.seed($q$SELECT customer_mrr_agg(1, '2024-01-01+00', 5e-324, '2024-01-01+00', '1 day', 1024) s$q$);
SELECT pg_temp.seed($q$SELECT customer_mrr_agg(NULL::bigint, '2024-01-01+00', 1, '2024-01-01+00', '1 month', 1) s$q$);
SELECT pg_temp.seed($q$SELECT customer_mrr_agg(c, t, m, '2024-01-01+00', '1 month', 3) s FROM (VALUES
	('acme'::text, '2024-01-15+00'::timestamptz, 100::float8), ('a "quoted" \ name', '2024-02-15+00', 50), ('', '2024-03-01+00', 1),
	('café', '2024-01-01+00', 0.0001)) v(c, t, m)$q$);
SELECT pg_temp.seed($q$SELECT customer_mrr_agg(md5(c::text)::uuid, '2024-01-01+00'::timestamptz + c * interval '1 day', c % 7, '2024-01-01+00', '1 week', 6, 'Europe/Paris') s
	FROM generate_series(1, 40) c$q$);
SELECT pg_temp.seed($q$SELECT customer_mrr_agg(NULL::text, '2024-01-01+00', 1, '2024-01-01+00', '1 month', 1) s$q$);
SELECT pg_temp.seed($q$SELECT customer_mrr_agg(c, t, t + interval '40 days', m, '2024-01-01+00', '1 month', 3, 'UTC', 'USD') s FROM (VALUES
	('acme'::text, '2024-01-15+00'::timestamptz, 99999999999999.9999::numeric), ('b', '2024-02-15+00', 0.00005)) v(c, t, m)$q$);

-- pipeline_summary
SELECT pg_temp.seed($q$SELECT pipeline_agg(a, p, c, d, o) s FROM (VALUES
	(1000::float8, 0.5::float8, '2024-01-01+00'::timestamptz, NULL::timestamptz, 'open'),
	(2500, 1, '2024-01-01+00', '2024-02-11+00', 'won'), (400, 0, '2024-01-05+00', '2024-01-06+00', 'lost'),
	(7.3, 1, '2024-01-01+00', '2024-01-01+00', 'won')) v(a, p, c, d, o)$q$);
SELECT pg_temp.seed($q$SELECT pipeline_agg(1e308, 1, '4713-01-01 00:00+00 BC', '294276-12-31 23:59:59+00', 'won') s$q$);
SELECT pg_temp.seed($q$SELECT pipeline_agg(5e-324, 1, '2024-01-01+00', '2024-01-01+00', 'won') s$q$);
SELECT pg_temp.seed($q$SELECT pipeline_agg(0, 0.5, now(), NULL, 'open') s$q$);
SELECT pg_temp.seed($q$SELECT pipeline_agg(a, 0.3, '2024-01-01+00', '2024-01-02+00', 'won') s FROM (VALUES
	(0.1::float8), (0.2), (1e300), (1e-300), (5e-324)) v(a)$q$);

-- pipeline_hygiene_summary
SELECT pg_temp.seed($q$SELECT pipeline_hygiene_agg(a, t, u, n, c, f, '2025-06-30+00', 14) s FROM (VALUES
	(1000::float8, '2025-06-20+00'::timestamptz, NULL::timestamptz, true, true, ARRAY[true, true, NULL]),
	(NULL, NULL, NULL, NULL, false, ARRAY[false, NULL, true]),
	(0.1, '2025-06-16+00', '2025-07-02+00', false, NULL, ARRAY[true, false, true])) v(a, t, u, n, c, f)$q$);
SELECT pg_temp.seed($q$SELECT pipeline_hygiene_agg(1e308::float8, '294276-12-31 23:59:59+00', '4713-01-01 00:00+00 BC', true, true, array_fill(true, ARRAY[64]), '4713-01-01 00:00+00 BC', 2147483647) s$q$);
SELECT pg_temp.seed($q$SELECT pipeline_hygiene_agg(ARRAY[e, p]) s FROM (VALUES (true, true), (false, NULL)) v(e, p)$q$);
SELECT pg_temp.seed($q$SELECT pipeline_hygiene_agg('{}'::boolean[]) s WHERE false$q$);

-- lead_summary
SELECT pg_temp.seed($q$SELECT lead_agg(c, r, o, w, a) s FROM (VALUES
	(timestamptz '2025-01-01 09:00+00', timestamptz '2025-01-01 09:10+00', true, true, 3),
	('2025-01-01 09:00+00', '2025-01-01 09:00:00.000001+00', true, false, 0), ('2025-01-01 10:00+00', NULL, false, false, NULL),
	(NULL, '2025-01-01 10:00+00', false, NULL, 2147483647)) v(c, r, o, w, a)$q$);
SELECT pg_temp.seed($q$SELECT lead_agg('4713-01-01 00:00+00 BC', '294276-12-31 23:59:59+00', true, true, 2147483647) s$q$);
SELECT pg_temp.seed($q$SELECT lead_agg('2025-01-01+00', '2025-01-01+00'::timestamptz + i * interval '1.5 seconds', i % 2 = 0, i % 4 = 0, i % 100) s
	FROM generate_series(1, 10050) i$q$);
SELECT pg_temp.seed($q$SELECT lead_agg(NULL, NULL, NULL, NULL, NULL) s WHERE false$q$);

-- cohort_activity_summary
SELECT pg_temp.seed($q$SELECT cohort_activity_agg(e, s, t, '1 month', 6) s FROM (VALUES
	(1::bigint, '2024-01-05+00'::timestamptz, '2024-01-05+00'::timestamptz), (1, '2024-01-05+00', '2024-03-10+00'),
	(2, '2024-01-20+00', '2024-09-01+00'), (3, '2024-01-31+00', NULL)) v(e, s, t)$q$);
SELECT pg_temp.seed($q$SELECT cohort_activity_agg(e, '2024-01-01+00', t, '1 week', 70, 'calendar', '2024-06-01+00', 'Asia/Kolkata') s
	FROM (VALUES (-9223372036854775808::bigint, '2024-01-01+00'::timestamptz), (9223372036854775807, '2025-05-01+00'), (0, '2024-02-01+00')) v(e, t)$q$);
SELECT pg_temp.seed($q$SELECT cohort_activity_agg(e, '2024-01-01+00', '2024-01-02+00', '36 hours', 1024, 'rolling', NULL) s FROM generate_series(1, 50) e$q$);
SELECT pg_temp.seed($q$SELECT cohort_activity_agg(1, '4713-01-01 00:00+00 BC', '294247-01-01+00', '1 day', 2, 'calendar', '294247-01-10+00', 'UTC') s$q$);
SELECT pg_temp.seed($q$SELECT cohort_activity_agg(e, '2024-01-01+00', NULL, '1 day', 1) s FROM (VALUES (NULL::bigint)) v(e)$q$);
SELECT pg_temp.seed($q$SELECT '{"version":1,"period":"month","time_zone":"UTC","periods":3,"as_of":null,"mode":"on_or_after","entities":[[1,1704412800000000,[0,1],true],[2,1705708800000000,[0,2],false]]}'::cohort_activity_summary s$q$);
-- text and uuid entity ids (format version 2): quotes, backslashes, unicode
SELECT pg_temp.seed($q$SELECT cohort_activity_agg(e, '2024-01-01+00', t, '1 month', 3) s FROM (VALUES
	('a"b', '2024-02-01+00'::timestamptz), (E'c\\d', NULL), ('é', '2024-03-05+00'), ('', '2024-01-02+00')) v(e, t)$q$);
SELECT pg_temp.seed($q$SELECT cohort_activity_agg(md5(e::text)::uuid, '2024-01-01+00', '2024-01-09+00', '7 days', 70, 'rolling', '2024-06-01+00') s
	FROM generate_series(1, 5) e$q$);
-- adoption_summary
SELECT pg_temp.seed($q$SELECT adoption_agg(x % 17, date '2025-01-01' + x % 40, '2025-01-01', '2025-02-01') s FROM generate_series(1, 60) x$q$);
SELECT pg_temp.seed($q$SELECT adoption_agg(u, d, '2024-01-01', '2025-01-01') s FROM (VALUES (-9223372036854775808, date '2024-01-01'),
	(9223372036854775807, '2024-12-31'), (0, '2024-03-04'), (0, '2024-12-30')) v(u, d)$q$);
SELECT pg_temp.seed($q$SELECT adoption_agg(1, date '4713-11-24 BC', '4713-11-24 BC', '4713-11-25 BC') s$q$);
SELECT pg_temp.seed($q$SELECT adoption_agg(7, date '5874897-12-30', '5874897-12-28', '5874897-12-31') s$q$);
SELECT pg_temp.seed($q$SELECT adoption_agg(1, date '2025-03-01', '2025-01-01', '2025-02-01') s$q$);
-- clv_summary
SELECT pg_temp.seed($q$SELECT clv_agg(x) s FROM (VALUES (100.10), (0.20), (-30.00), (NULL)) v(x)$q$);
SELECT pg_temp.seed($q$SELECT clv_agg(x) s FROM (VALUES (1.5), (2.25), (3)) v(x)$q$);
SELECT pg_temp.seed($q$SELECT clv_agg(x) s FROM (VALUES (NULL::numeric)) v(x)$q$);
SELECT pg_temp.seed($q$SELECT clv_agg(x) s FROM (VALUES (1.5), ('NaN')) v(x)$q$);
SELECT pg_temp.seed($q$SELECT clv_agg(x) s FROM (VALUES ('Infinity'::numeric), (-2)) v(x)$q$);
SELECT pg_temp.seed($q$SELECT clv_agg(x) s FROM (VALUES ('-Infinity'::numeric)) v(x)$q$);
SELECT pg_temp.seed($q$SELECT clv_agg(x) s FROM (VALUES (9.999999999999999999e1000), (1e-1000)) v(x)$q$);
SELECT pg_temp.seed($q$SELECT clv_agg(x) s FROM (VALUES (1e308), (-1e308), (0.000000000000000000001)) v(x)$q$);
SELECT pg_temp.seed($q$SELECT clv_agg(x, y, d, '2025-01-01', 0.1) s FROM (VALUES (10.00, 2.5, date '2020-02-29'), (1e20, 0, '4713-01-01 BC')) v(x, y, d)$q$);
SELECT pg_temp.seed($q$SELECT '{"version":1,"count":9223372036854775807,"scale_count":9223372036854775807,"sum":"-9223372036854775807"}'::clv_summary s$q$);

-- coxph_model (names, Breslow, extreme durations and covariates, tied
-- deaths, a fit that stops without converging)
SELECT pg_temp.seed($q$SELECT coxph_fit(t, e, ARRAY[x], ARRAY['x']) s FROM (VALUES (9::float8, true, 0::float8), (1, true, 1), (1, false, 1), (6, true, 1), (6, true, 0), (8, false, 0)) v(t, e, x)$q$);
SELECT pg_temp.seed($q$SELECT coxph_fit(t, e, ARRAY[x], 'breslow') s FROM (VALUES (9::float8, true, 0::float8), (1, true, 1), (1, false, 1), (6, true, 1), (6, true, 0), (8, false, 0)) v(t, e, x)$q$);
SELECT pg_temp.seed($q$SELECT coxph_fit(i::float8 / 7, i % 3 <> 0, ARRAY[i % 5, (i * 37) % 11 / 3.0]::float8[], ARRAY['a "quoted" name', 'ünï']) s FROM generate_series(1, 60) i$q$);
SELECT pg_temp.seed($q$SELECT coxph_fit(t, true, ARRAY[x]) s FROM (VALUES (0::float8, 1e-300::float8), (1e308, -1e-300), (5e-324, 0)) v(t, x)$q$);
SELECT pg_temp.seed($q$SELECT coxph_fit(i % 2 + 1, true, ARRAY[i % 2]::float8[]) s FROM generate_series(1, 40) i$q$);
SELECT pg_temp.seed($q$SELECT coxph_fit(i, i % 4 <> 0, ARRAY[(i % 3)::float8, 1e6 * (i % 2), -(i % 5)]) s FROM generate_series(1, 30) i$q$);
SELECT pg_temp.seed($q$SELECT coxph_fit(s, e, ev, ARRAY[x], ARRAY['x'], 'breslow') s FROM (VALUES (1::float8, 2::float8, true, 1::float8), (2, 3, true, 0), (5, 6, true, 0), (2, 7, true, 1), (1, 8, true, 0), (7, 9, true, 1), (3, 9, true, 1), (4, 9, false, 1), (8, 14, false, 0), (8, 17, false, 0)) v(s, e, ev, x)$q$);
-- new_customers_summary
SELECT pg_temp.seed($q$SELECT new_customers_agg(c, t, a, '1 month', 30, 'UTC') s FROM (VALUES (1, timestamptz '2024-01-10', 100.00), (1, '2024-01-25', -50.5), (2, '2024-02-01', NULL), (2, '2024-02-01', 0)) v(c, t, a)$q$);
SELECT pg_temp.seed($q$SELECT new_customers_agg('id ' || c, t, a, '3 months', 36525, 'Asia/Kolkata') s FROM (VALUES (1, timestamptz '4713-01-01 BC', 1e-16383), (2, '294276-12-31', 99999999999999999999.99)) v(c, t, a)$q$);
SELECT pg_temp.seed($q$SELECT new_customers_agg(md5(c::text)::uuid, t, a, '7 days', 1) s FROM (VALUES (1, timestamptz '2024-01-01', 1), (1, '2024-01-01', 1)) v(c, t, a)$q$);
SELECT pg_temp.seed($q$SELECT new_customers_agg(c, t, a, '1 day', 7, 'UTC') s FROM (VALUES (NULL::bigint, now(), 1::numeric)) v(c, t, a)$q$);

-- A value the extension built that its own input function rejects is a
-- finding in itself (test/fuzz/run reports fuzz_seed_unreadable); it leaves
-- the corpus, whose values must all read back.
DO $$
DECLARE s record;
BEGIN
	FOR s IN SELECT ctid, * FROM fuzz_seed LOOP
		BEGIN
			EXECUTE format('SELECT %L::%s', s.val, s.typ);
		EXCEPTION WHEN others THEN
			INSERT INTO fuzz_seed_unreadable VALUES (s.typ, s.val, SQLSTATE, SQLERRM);
			DELETE FROM fuzz_seed WHERE ctid = s.ctid;
		END;
	END LOOP;
END $$;
