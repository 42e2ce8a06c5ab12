------------------------------------------------------------------------------
-- CRM adoption: active users against licensed seats, DAU/MAU stickiness with
-- exact distinct counts (eNPS is nps() over employees' answers).
-- src/adoption/
--
-- The activity aggregates keep one bitmap of active days per user over a
-- period [period_start, period_end) of at most 366 days.
------------------------------------------------------------------------------

CREATE FUNCTION adoption_state_accum(internal, bigint, date, date, date) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION adoption_state_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION adoption_state_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION adoption_state_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION active_users_final(internal) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION average_dau_final(internal) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dau_mau_final(internal) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION adoption_state_accum(internal, bigint, date, date, date) IS
	'transition function of the activity aggregates: marks a user active on a day of the period';
COMMENT ON FUNCTION adoption_state_combine(internal, internal) IS
	'combine function of the activity aggregates: ORs the users'' day bitmaps';
COMMENT ON FUNCTION adoption_state_serialize(internal) IS 'serializes the state of the activity aggregates';
COMMENT ON FUNCTION adoption_state_deserialize(bytea, internal) IS 'deserializes the state of the activity aggregates';
COMMENT ON FUNCTION active_users_final(internal) IS 'final function of active_users';
COMMENT ON FUNCTION average_dau_final(internal) IS 'final function of average_dau';
COMMENT ON FUNCTION dau_mau_final(internal) IS 'final function of dau_mau';

CREATE AGGREGATE active_users(user_id bigint, active_on date, period_start date, period_end date) (
	SFUNC = adoption_state_accum,
	STYPE = internal,
	FINALFUNC = active_users_final,
	COMBINEFUNC = adoption_state_combine,
	SERIALFUNC = adoption_state_serialize,
	DESERIALFUNC = adoption_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE average_dau(user_id bigint, active_on date, period_start date, period_end date) (
	SFUNC = adoption_state_accum,
	STYPE = internal,
	FINALFUNC = average_dau_final,
	COMBINEFUNC = adoption_state_combine,
	SERIALFUNC = adoption_state_serialize,
	DESERIALFUNC = adoption_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE dau_mau(user_id bigint, active_on date, period_start date, period_end date) (
	SFUNC = adoption_state_accum,
	STYPE = internal,
	FINALFUNC = dau_mau_final,
	COMBINEFUNC = adoption_state_combine,
	SERIALFUNC = adoption_state_serialize,
	DESERIALFUNC = adoption_state_deserialize,
	PARALLEL = SAFE
);

CREATE FUNCTION adoption_rate(active_users bigint, licensed_seats bigint) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON AGGREGATE active_users(bigint, date, date, date) IS
	'exact number of distinct users active on a day of [period_start, period_end) (MAU for a month); days outside the period and NULL users or days are skipped';
COMMENT ON AGGREGATE average_dau(bigint, date, date, date) IS
	'average over the days of [period_start, period_end) of the exact number of distinct users active that day';
COMMENT ON AGGREGATE dau_mau(bigint, date, date, date) IS
	'DAU/MAU stickiness, a fraction 0..1: average_dau / active_users over [period_start, period_end); NULL without active users';
COMMENT ON FUNCTION adoption_rate(bigint, bigint) IS
	'CRM adoption in percent: 100 * active users / licensed seats; NULL for 0 seats';
