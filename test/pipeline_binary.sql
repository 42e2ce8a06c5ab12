-- pg_temp.load_pipeline_binary(payload): reads one pipeline_summary in its
-- binary form (as pipeline_summary_send writes it) through COPY ... (FORMAT
-- binary), the way a client sends it, and returns its text form; errors are
-- those of pipeline_summary_recv.  The same technique as binary_copy.sql
-- (which is for survey_summary).  Needs a superuser.
CREATE TEMP TABLE pipeline_binary_target (s pipeline_summary);
CREATE FUNCTION pg_temp.load_pipeline_binary(payload bytea) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	path text := current_setting('data_directory') || '/crm_kpi_pipeline_binary.' || pg_backend_pid();
	lo oid := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea	-- COPY binary signature
		|| '\x0000000000000000'::bytea			-- flags, no header extension
		|| '\x0001'::bytea || int4send(length(payload)) || payload	-- one row of one field
		|| '\xffff'::bytea);					-- trailer
BEGIN
	PERFORM lo_export(lo, path);
	PERFORM lo_unlink(lo);
	TRUNCATE pipeline_binary_target;
	EXECUTE format('COPY pipeline_binary_target FROM %L (FORMAT binary)', path);
	RETURN (SELECT s::text FROM pipeline_binary_target);
END $$;
