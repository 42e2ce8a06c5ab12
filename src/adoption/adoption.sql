------------------------------------------------------------------------------
-- CRM adoption: active users against licensed seats, DAU/MAU stickiness with
-- exact distinct counts (eNPS is nps() over employees' answers).
-- src/adoption/
--
-- One summary type, adoption_summary, keeps one bitmap of active days per
-- user over a period [period_start, period_end) of at most 366 days.
------------------------------------------------------------------------------

CREATE TYPE adoption_summary;

CREATE FUNCTION adoption_summary_in(cstring) RETURNS adoption_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION adoption_summary_out(adoption_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION adoption_summary_recv(internal) RETURNS adoption_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION adoption_summary_send(adoption_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE adoption_summary (
	INPUT = adoption_summary_in,
	OUTPUT = adoption_summary_out,
	RECEIVE = adoption_summary_recv,
	SEND = adoption_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE adoption_summary IS
	'the days of a period [period_start, period_end) on which each user was active; read it with active_users(), average_dau() and dau_mau(); its text form is JSON (s::text::jsonb)';
COMMENT ON FUNCTION adoption_summary_in(cstring) IS 'text input of adoption_summary';
COMMENT ON FUNCTION adoption_summary_out(adoption_summary) IS 'text output of adoption_summary';
COMMENT ON FUNCTION adoption_summary_recv(internal) IS 'binary input of adoption_summary';
COMMENT ON FUNCTION adoption_summary_send(adoption_summary) IS 'binary output of adoption_summary';

-- Aggregate support: the state is an adoption_summary, expanded while the
-- aggregate runs (src/common/expanded.c)

CREATE FUNCTION adoption_summary_accum(adoption_summary, bigint, date, date, date)
	RETURNS adoption_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION adoption_summary_combine(adoption_summary, adoption_summary)
	RETURNS adoption_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION adoption_summary_accum(adoption_summary, bigint, date, date, date) IS
	'transition function of adoption_agg, active_users, average_dau and dau_mau: marks a user active on a day of the period';
COMMENT ON FUNCTION adoption_summary_combine(adoption_summary, adoption_summary) IS
	'merges two adoption summaries of the same period by ORing the users'' day bitmaps: combine function of the adoption aggregates, transition function of rollup(adoption_summary)';

-- Accessors; each is also the final function of the one-step aggregate of
-- its name

CREATE FUNCTION active_users(adoption_summary) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION average_dau(adoption_summary) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dau_mau(adoption_summary) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION active_users(adoption_summary) IS
	'number of distinct users active on a day of the summary''s period';
COMMENT ON FUNCTION average_dau(adoption_summary) IS
	'average over the days of the summary''s period of the number of distinct users active that day';
COMMENT ON FUNCTION dau_mau(adoption_summary) IS
	'DAU/MAU stickiness, a fraction 0..1: average_dau / active_users of the summary; NULL without active users';

CREATE AGGREGATE adoption_agg(user_id bigint, active_on date, period_start date, period_end date) (
	SFUNC = adoption_summary_accum,
	STYPE = adoption_summary,
	COMBINEFUNC = adoption_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(adoption_summary) (
	SFUNC = adoption_summary_combine,
	STYPE = adoption_summary,
	COMBINEFUNC = adoption_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE active_users(user_id bigint, active_on date, period_start date, period_end date) (
	SFUNC = adoption_summary_accum,
	STYPE = adoption_summary,
	FINALFUNC = active_users,
	COMBINEFUNC = adoption_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE average_dau(user_id bigint, active_on date, period_start date, period_end date) (
	SFUNC = adoption_summary_accum,
	STYPE = adoption_summary,
	FINALFUNC = average_dau,
	COMBINEFUNC = adoption_summary_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE dau_mau(user_id bigint, active_on date, period_start date, period_end date) (
	SFUNC = adoption_summary_accum,
	STYPE = adoption_summary,
	FINALFUNC = dau_mau,
	COMBINEFUNC = adoption_summary_combine,
	PARALLEL = SAFE
);

CREATE FUNCTION adoption_rate(active_users bigint, licensed_seats bigint) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON AGGREGATE adoption_agg(bigint, date, date, date) IS
	'adoption summary of an activity log over [period_start, period_end): each user''s active days; days outside the period and NULL users or days are skipped';
COMMENT ON AGGREGATE rollup(adoption_summary) IS
	'merges adoption summaries of one period: a user active on a day in any of them is active that day';
COMMENT ON AGGREGATE active_users(bigint, date, date, date) IS
	'exact number of distinct users active on a day of [period_start, period_end) (MAU for a month); days outside the period and NULL users or days are skipped';
COMMENT ON AGGREGATE average_dau(bigint, date, date, date) IS
	'average over the days of [period_start, period_end) of the exact number of distinct users active that day';
COMMENT ON AGGREGATE dau_mau(bigint, date, date, date) IS
	'DAU/MAU stickiness, a fraction 0..1: average_dau / active_users over [period_start, period_end); NULL without active users';
COMMENT ON FUNCTION adoption_rate(bigint, bigint) IS
	'CRM adoption in percent: 100 * active users / licensed seats; NULL for 0 seats';

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
							   CASE WHEN zone THEN ', time_zone kpi_text' ELSE '' END);
				sig := format('%s, %s, %s, %s%s', id, t, b, b, CASE WHEN zone THEN ', kpi_text' ELSE '' END);
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
