-- bench/clv/bgbb_sim.sql: sim_bgbb, 1,000,000 customers simulated from the
-- BG/BB process with the donations' published parameters (alpha 1.204, beta
-- 0.750, gamma 0.657, delta 2.783), over n = 6..20 opportunities (cohorts
-- of 15 ages).  Included by setup.sql.
--
-- Per customer: transaction probability p ~ Beta(alpha, beta) and dropout
-- probability theta ~ Beta(gamma, delta), each as Ga / (Ga + Gb) with Gamma
-- variates as in sim_customers (Wilson-Hilferty, and Gamma(k) =
-- Gamma(k + 1) U^(1/k) for all but delta, Box-Muller normals); the
-- opportunities survived,
-- geometric: floor(ln U / ln(1 - theta)), at most n; a transaction at each
-- survived opportunity with probability p.
CREATE TEMP TABLE sim_bgbb_customers AS
WITH u AS (
	SELECT i, 6 + i % 15 AS n,
		random() AS u1, random() AS u2, random() AS u3, random() AS u4,
		random() AS u5, random() AS u6, random() AS u7, random() AS u8,
		random() AS u9, random() AS u10, random() AS u11, random() AS u12
	FROM generate_series(1, 1000000) i),
g AS (
	SELECT i, n, u12,
		-- Gamma(k) by Wilson-Hilferty on a standard normal z
		2.204 * greatest(0, 1 - 1 / (9 * 2.204) + sqrt(-2 * ln(1 - u1)) * cos(2 * pi() * u2) / (3 * sqrt(2.204))) ^ 3
			* (1 - u3) ^ (1 / 1.204) AS ga,
		1.750 * greatest(1e-9, 1 - 1 / (9 * 1.750) + sqrt(-2 * ln(1 - u4)) * cos(2 * pi() * u5) / (3 * sqrt(1.750))) ^ 3
			* (1 - u6) ^ (1 / 0.750) AS gb,
		1.657 * greatest(0, 1 - 1 / (9 * 1.657) + sqrt(-2 * ln(1 - u7)) * cos(2 * pi() * u8) / (3 * sqrt(1.657))) ^ 3
			* (1 - u9) ^ (1 / 0.657) AS gg,
		2.783 * greatest(1e-9, 1 - 1 / (9 * 2.783) + sqrt(-2 * ln(1 - u10)) * cos(2 * pi() * u11) / (3 * sqrt(2.783))) ^ 3 AS gd
	FROM u)
SELECT i, n, ga / (ga + gb) AS p,
	least(n, floor(ln(1 - u12) / ln(1 - least(1 - 1e-12, greatest(1e-12, gg / (gg + gd))))))::integer AS alive
FROM g;

CREATE TABLE sim_bgbb AS
SELECT c.i AS customer_id, coalesce(t.x, 0) AS frequency, coalesce(t.last, 0) AS recency, c.n::bigint AS periods
FROM sim_bgbb_customers c LEFT JOIN (
	SELECT c.i, count(*) AS x, max(k)::bigint AS last
	FROM sim_bgbb_customers c, generate_series(1, c.alive) k
	WHERE random() + 0 * k < c.p	-- per opportunity: a qual on c alone would be pushed down to c
	GROUP BY c.i) t ON t.i = c.i;
