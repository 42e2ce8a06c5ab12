-- pg_temp.load_survey_binary(payload): reads one survey_summary in its binary
-- form (as survey_summary_send writes it) through COPY ... (FORMAT binary),
-- the way a client sends it, and returns its text form; errors are those of
-- survey_summary_recv.  Included by sql/survey.sql and the pgTAP tests; needs
-- a superuser (the COPY file is written in the data directory).
CREATE TEMP TABLE survey_binary_target (s survey_summary);
CREATE FUNCTION pg_temp.load_survey_binary(payload bytea) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	path text := current_setting('data_directory') || '/crm_kpi_binary.' || pg_backend_pid();
	lo oid := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea	-- COPY binary signature
		|| '\x0000000000000000'::bytea			-- flags, no header extension
		|| '\x0001'::bytea || int4send(length(payload)) || payload	-- one row of one field
		|| '\xffff'::bytea);					-- trailer
BEGIN
	PERFORM lo_export(lo, path);
	PERFORM lo_unlink(lo);
	TRUNCATE survey_binary_target;
	EXECUTE format('COPY survey_binary_target FROM %L (FORMAT binary)', path);
	RETURN (SELECT s::text FROM survey_binary_target);
END $$;
