/* crm_kpi--1.2.0--1.3.0.sql */

-- complain if script is sourced in psql, rather than through ALTER EXTENSION
\echo Use "ALTER EXTENSION crm_kpi UPDATE TO '1.3.0'" to load this file. \quit

-- 1.3.0: analysts' tables as they come (issue 13).  Each change below is also
-- made in its family's fragment (src/<family>/<family>.sql); test/run checks
-- that every upgrade path gives the objects of a fresh install.  Sections are
-- by family, in the order of the Makefile's FAMILIES.

-- adoption: ids of any type, timestamp and timestamptz activity times, the period so far (as_of), adoption_rate at most 100 %

-- Ids of any type, activity times of any date/time type (issue 13): the
-- transition function and the four aggregates for every id type (smallint,
-- integer, bigint, uuid, text; varchar reaches text) and time type (date,
-- timestamp, timestamptz, and timestamptz with a time_zone), next to the
-- bigint and date ones of 1.0.0.  With a time_zone, the period bounds
-- are dates: days of that zone.  One C transition function serves all;
-- PostgreSQL cannot resolve smallint or integer ids against polymorphic
-- overloads, hence explicit ones.
DO $adoption$
DECLARE
	id text;
	t text;
	b text;
	zone boolean;
	args text;
	sig text;
	agg text;
BEGIN
	FOREACH id IN ARRAY ARRAY['smallint', 'integer', 'bigint', 'uuid', 'text'] LOOP
		FOREACH t IN ARRAY ARRAY['date', 'timestamp without time zone', 'timestamp with time zone'] LOOP
			FOREACH zone IN ARRAY ARRAY[false, true] LOOP
				CONTINUE WHEN zone AND t <> 'timestamp with time zone';
				CONTINUE WHEN id = 'bigint' AND t = 'date';
				-- with a time_zone, the period is given as days of that zone: dates
				b := CASE WHEN zone THEN 'date' ELSE t END;
				args := format('user_id %s, %s %s, period_start %s, period_end %s%s',
							   id, CASE WHEN t = 'date' THEN 'active_on' ELSE 'active_at' END, t, b, b,
							   CASE WHEN zone THEN ', time_zone text' ELSE '' END);
				sig := format('%s, %s, %s, %s%s', id, t, b, b, CASE WHEN zone THEN ', text' ELSE '' END);
				EXECUTE format('CREATE FUNCTION adoption_summary_accum(adoption_summary, %s) '
							   'RETURNS adoption_summary AS %L, %L LANGUAGE C %s PARALLEL SAFE',
							   sig, 'MODULE_PATHNAME', 'adoption_summary_accum',
							   CASE WHEN t = 'timestamp with time zone' AND NOT zone THEN 'STABLE' ELSE 'IMMUTABLE' END);
				EXECUTE format('COMMENT ON FUNCTION adoption_summary_accum(adoption_summary, %s) IS %L',
							   sig, 'transition function of adoption_agg, active_users, average_dau and dau_mau: marks a user active on a day of the period');
				EXECUTE format('CREATE AGGREGATE adoption_agg(%s) (SFUNC = adoption_summary_accum, '
							   'STYPE = adoption_summary, COMBINEFUNC = adoption_summary_combine, PARALLEL = SAFE)', args);
				EXECUTE format('COMMENT ON AGGREGATE adoption_agg(%s) IS %L', sig,
							   'adoption summary of an activity log over [period_start, period_end): each user''s active days; days outside the period and NULL users or times are skipped');
				FOREACH agg IN ARRAY ARRAY['active_users', 'average_dau', 'dau_mau'] LOOP
					EXECUTE format('CREATE AGGREGATE %I(%s) (SFUNC = adoption_summary_accum, '
								   'STYPE = adoption_summary, FINALFUNC = %I, '
								   'COMBINEFUNC = adoption_summary_combine, PARALLEL = SAFE)', agg, args, agg);
					EXECUTE format('COMMENT ON AGGREGATE %I(%s) IS %L', agg, sig,
								   CASE agg
								   WHEN 'active_users' THEN 'exact number of distinct users active on a day of [period_start, period_end) (MAU for a month)'
								   WHEN 'average_dau' THEN 'average over the days of [period_start, period_end) of the exact number of distinct users active that day'
								   ELSE 'DAU/MAU stickiness, a fraction 0..1: average_dau / active_users over [period_start, period_end); NULL without active users' END);
				END LOOP;
			END LOOP;
		END LOOP;
	END LOOP;
END
$adoption$;

-- The period so far: the figures of [period_start, as_of + 1 day)
CREATE FUNCTION active_users(adoption_summary, as_of date) RETURNS bigint
	AS 'MODULE_PATHNAME', 'active_users' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION average_dau(adoption_summary, as_of date) RETURNS double precision
	AS 'MODULE_PATHNAME', 'average_dau' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dau_mau(adoption_summary, as_of date) RETURNS double precision
	AS 'MODULE_PATHNAME', 'dau_mau' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION active_users(adoption_summary, date) IS
	'number of distinct users active on a day of the summary''s period up to as_of (included)';
COMMENT ON FUNCTION average_dau(adoption_summary, date) IS
	'average over the days of the summary''s period up to as_of (included) of the distinct users active that day; NULL when as_of comes before the period';
COMMENT ON FUNCTION dau_mau(adoption_summary, date) IS
	'DAU/MAU stickiness of the summary''s period up to as_of (included): average_dau / active_users; NULL without active users';
COMMENT ON FUNCTION adoption_rate(bigint, bigint) IS
	'CRM adoption in percent, 0..100: 100 * active licensed users / licensed seats; NULL for 0 seats; more active users than seats is an error';
