-- pg_temp.load_binary(type, payload): reads one value of a crm_kpi summary
-- type in its binary form (as the type's send function writes it) through
-- COPY ... (FORMAT binary), the way a client sends it, and returns its text
-- form; errors are those of the type's receive function.
-- pg_temp.load_survey_binary(payload) is load_binary('survey_summary', ...).
-- Included by the pg_regress and pgTAP tests; needs a superuser (the COPY
-- file is written in the data directory).
CREATE FUNCTION pg_temp.load_binary(typ regtype, payload bytea) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	path text := current_setting('data_directory') || '/crm_kpi_binary.' || pg_backend_pid();
	lo oid := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea	-- COPY binary signature
		|| '\x0000000000000000'::bytea			-- flags, no header extension
		|| '\x0001'::bytea || int4send(length(payload)) || payload	-- one row of one field
		|| '\xffff'::bytea);					-- trailer
	-- one table per type, emptied for each payload: a table made and dropped
	-- per payload would hold a lock per table to the end of the transaction
	-- (a pgTAP file), and a fuzzing file reads thousands
	target text := 'crm_kpi_binary_' || typ::oid;
	result text;
BEGIN
	PERFORM lo_export(lo, path);
	PERFORM lo_unlink(lo);
	IF to_regclass('pg_temp.' || target) IS NULL THEN
		EXECUTE format('CREATE TEMP TABLE %I (v %s)', target, typ);
	END IF;
	EXECUTE format('TRUNCATE %I', target);
	EXECUTE format('COPY %I FROM %L (FORMAT binary)', target, path);
	EXECUTE format('SELECT v::text FROM %I', target) INTO result;
	RETURN result;
END $$;
CREATE FUNCTION pg_temp.load_survey_binary(payload bytea) RETURNS text
LANGUAGE sql AS $$ SELECT pg_temp.load_binary('survey_summary', payload) $$;
