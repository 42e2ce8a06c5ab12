-- The text form of every summary and model type that holds doubles prints
-- each one as the shortest decimal that reads back as the same double, as
-- core's float8out does with the default extra_float_digits = 1 (no
-- 0.30000000000000004-style noise where 0.3 reads back exactly, and no lost
-- bit where it does not).  The expected text is built with core's float8out
-- (v::text below), never with crm_kpi's own output; every value then reads
-- back bit for bit (float8send of the accessor), and text -> value -> text
-- gives the same text.
BEGIN;
SELECT plan(14);

SET extra_float_digits = 1;		-- core's default: float8out prints shortest-exact

-- awkward doubles: values with no exact binary form, sums with a rounding
-- error in the last bit (0.1 + 0.2 = 0.30000000000000004, not 0.3; the mean
-- 1312.38 / 3 = 437.46000000000004, not 437.46), 17 significant digits,
-- powers of ten at the edge of exponent notation, subnormals and the extremes
CREATE TEMP TABLE v (x float8);
INSERT INTO v VALUES (0.1), (0.1::float8 + 0.2::float8), (0.3), (1 / 3::float8), (2 / 3::float8),
	(1312.38::float8 / 3), (437.46), (22.345), (1e15), (1e16), (1e17), (1e22), (1e23), (1e-4), (1e-5),
	(9007199254740993), (123456789.12345679), (5e-324), (2.2250738585072014e-308), (1.7976931348623157e308);

SELECT is((SELECT count(*) FROM v WHERE x::text IN ('0.30000000000000004', '437.46000000000004')), 2::bigint,
	'the noisy sums are not the short decimals (core float8out shows their last bit)');

-- rfm_summary: recency, age and monetary value
SELECT is((SELECT count(*) FROM v WHERE rfm_summary(3, x, x, x)::text
		<> format('{"version":1,"frequency":3,"recency":%s,"age":%s,"monetary_value":%s}', x, x, x)),
	0::bigint, 'rfm_summary text prints each double as core float8out does');
SELECT is((SELECT count(*) FROM v, LATERAL (SELECT rfm_summary(3, x, x, x)::text AS t) s
		WHERE t::rfm_summary::text <> t
			OR float8send(monetary_value(t::rfm_summary)) <> float8send(x)
			OR float8send(recency(t::rfm_summary)) <> float8send(x)
			OR float8send(customer_age(t::rfm_summary)) <> float8send(x)),
	0::bigint, 'rfm_summary: text -> value -> text is identical and every double reads back bit for bit');
-- from rfm_agg, whose mean carries the rounding of the division: the text
-- shows it, and the accessor gives back exactly the double computed
SELECT is((SELECT s::text::rfm_summary::text = s::text
		AND float8send(monetary_value(s::text::rfm_summary)) = float8send(monetary_value(s))
	FROM (SELECT rfm_agg(d, a, '2024-03-31', '7 days') AS s FROM (VALUES ('2024-01-01'::date, 5.0::float8),
		('2024-01-09', 437.1), ('2024-01-20', 437.2), ('2024-02-03', 438.08)) p(d, a)) r), true,
	'rfm_agg result: round trip exact');

-- bgnbd_model and gamma_gamma_model parameters
SELECT is((SELECT count(*) FROM v WHERE x > 0 AND bgnbd_model(x, x, x, x)::text
		NOT LIKE format('{"version":%%,"r":%s,"alpha":%s,"a":%s,"b":%s,%%', x, x, x, x)),
	0::bigint, 'bgnbd_model text prints each parameter as core float8out does');
SELECT is((SELECT count(*) FROM v, LATERAL (SELECT bgnbd_model(x, x, x, x)::text AS t) m
		WHERE x > 0 AND (t::bgnbd_model::text <> t
			OR float8send((parameters(t::bgnbd_model)).alpha) <> float8send(x))),
	0::bigint, 'bgnbd_model: text round trip identical, parameters bit for bit');
SELECT is((SELECT count(*) FROM v WHERE x > 0 AND gamma_gamma_model(x, x, x)::text
		NOT LIKE format('{"version":%%,"p":%s,"q":%s,"gamma":%s,%%', x, x, x)),
	0::bigint, 'gamma_gamma_model text prints each parameter as core float8out does');
SELECT is((SELECT count(*) FROM v, LATERAL (SELECT gamma_gamma_model(x, x, x)::text AS t) m
		WHERE x > 0 AND (t::gamma_gamma_model::text <> t
			OR float8send((parameters(t::gamma_gamma_model)).gamma) <> float8send(x))),
	0::bigint, 'gamma_gamma_model: text round trip identical, parameters bit for bit');

-- survival_summary durations
SELECT is((SELECT count(*) FROM v WHERE (SELECT survival_agg(y, true) FROM (VALUES (x)) w(y))::text
		<> format('{"version":1,"time":[%s],"events":[1],"censored":[0]}', x)),
	0::bigint, 'survival_summary text prints each duration as core float8out does');
SELECT is((SELECT count(*) FROM v, LATERAL (SELECT survival_agg(y, true)::text AS t FROM (VALUES (x)) w(y)) s
		WHERE t::survival_summary::text <> t
			OR float8send(median_survival(t::survival_summary)) <> float8send(x)),
	0::bigint, 'survival_summary: text round trip identical, durations bit for bit');

-- sbg_model: its literal with core's spelling of each double reads and
-- prints back unchanged, and alpha and beta read back bit for bit
SELECT is((SELECT count(*) FROM v, LATERAL (SELECT format(
			'{"version":1,"alpha":%s,"beta":%s,"log_likelihood":-%s,"periods":3,"customers":10,"converged":true}',
			x, x, x) AS t) m
		WHERE x > 0 AND (t::sbg_model::text <> t OR float8send(alpha(t::sbg_model)) <> float8send(x)
			OR float8send(beta(t::sbg_model)) <> float8send(x))),
	0::bigint, 'sbg_model text prints each double as core float8out does, round trip exact');

-- pipeline_summary: its exact sums (lists of non-overlapping doubles)
SELECT is((SELECT count(*) FROM v WHERE x < 1e300 AND (SELECT pipeline_agg(y, 0.5, '2024-01-01'::date, NULL::date, 'open')
			FROM (VALUES (x)) w(y))::text
		NOT LIKE format('%%"open_amount":[%s]%%', x)),
	0::bigint, 'pipeline_summary text prints a one-deal sum as core float8out does');
SELECT is((SELECT count(*) FROM (SELECT pipeline_agg(x, 0.1, '2024-01-01'::date, NULL::date, 'open')::text AS t
			FROM v WHERE x < 1e300) s
		WHERE t::pipeline_summary::text <> t),
	0::bigint, 'pipeline_summary with a many-term sum: text round trip identical');
SELECT is((SELECT float8send(open_pipeline_float8(s::text::pipeline_summary)) = float8send(open_pipeline_float8(s))
		AND float8send(weighted_pipeline_float8(s::text::pipeline_summary)) = float8send(weighted_pipeline_float8(s))
	FROM (SELECT pipeline_agg(x, 0.1, '2024-01-01'::date, NULL::date, 'open') AS s FROM v WHERE x < 1e300) p),
	true, 'pipeline_summary: the sums read back bit for bit');

SELECT * FROM finish();
ROLLBACK;
