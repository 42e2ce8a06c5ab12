-- pg_temp.load_binary(type, payload): reads one value of any type in its
-- binary form (as the type's send function writes it) through COPY ...
-- (FORMAT binary), the way a client sends it, and returns its text form;
-- errors are those of the type's receive function.  The generalization of
-- test/binary_copy.sql's load_survey_binary, used by the retention tests;
-- needs a superuser (the COPY file is written in the data directory).
CREATE FUNCTION pg_temp.load_binary(typ regtype, payload bytea) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	path text := current_setting('data_directory') || '/crm_kpi_binary.' || pg_backend_pid();
	target text := 'binary_target_' || typ::oid;
	lo oid := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea	-- COPY binary signature
		|| '\x0000000000000000'::bytea			-- flags, no header extension
		|| '\x0001'::bytea || int4send(length(payload)) || payload	-- one row of one field
		|| '\xffff'::bytea);					-- trailer
	result text;
BEGIN
	PERFORM lo_export(lo, path);
	PERFORM lo_unlink(lo);
	IF to_regclass('pg_temp.' || target) IS NULL THEN
		EXECUTE format('CREATE TEMP TABLE %I (v %s)', target, typ);
	END IF;
	EXECUTE format('TRUNCATE pg_temp.%I', target);
	EXECUTE format('COPY pg_temp.%I FROM %L (FORMAT binary)', target, path);
	EXECUTE format('SELECT v::text FROM pg_temp.%I', target) INTO result;
	RETURN result;
END $$;
