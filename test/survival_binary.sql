-- pg_temp.load_binary(payload, type_name): reads one value of a crm_kpi type
-- in its binary form (as its send function writes it) through COPY ...
-- (FORMAT binary), the way a client sends it, and returns its text form;
-- errors are those of the type's receive function.  The generic form of
-- test/binary_copy.sql, for survival_summary and sbg_model; needs a superuser.
CREATE FUNCTION pg_temp.load_binary(payload bytea, type_name text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	path text := current_setting('data_directory') || '/crm_kpi_binary.' || pg_backend_pid();
	lo oid := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea	-- COPY binary signature
		|| '\x0000000000000000'::bytea			-- flags, no header extension
		|| '\x0001'::bytea || int4send(length(payload)) || payload	-- one row of one field
		|| '\xffff'::bytea);					-- trailer
	result text;
BEGIN
	PERFORM lo_export(lo, path);
	PERFORM lo_unlink(lo);
	EXECUTE format('CREATE TEMP TABLE crm_binary_target (v %s)', type_name);
	EXECUTE format('COPY crm_binary_target FROM %L (FORMAT binary)', path);
	EXECUTE 'SELECT v::text FROM crm_binary_target' INTO result;
	DROP TABLE crm_binary_target;
	RETURN result;
END $$;
