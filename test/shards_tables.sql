-- The tables of the shard harness (test/shards.sql): created in each shard's
-- database, and in schema local of the coordinator as the single-node copy.
-- The coordinator partitions each by LIST (region): 'emea' on shard 1,
-- 'amer' and 'apac' on shard 2.  Columns that queries group by are stored
-- (day, cohort, piece), since a grouping expression with a text literal, such
-- as date_trunc('month', t), is not shipped by postgres_fdw.

-- survey
CREATE TABLE responses (region text NOT NULL, customer_id bigint, day integer,
	nps_score integer, csat_score integer, ces_score integer);

-- conversion: visits, events, and the funnel paths and levels of the visitors
CREATE TABLE visits (region text NOT NULL, visitor_id bigint, day integer, converted boolean,
	successes bigint, trials bigint);
CREATE TABLE web_events (region text NOT NULL, visitor_id bigint, happened_at timestamptz, event text);
CREATE TABLE funnel_paths (region text NOT NULL, visitor_id bigint, day integer, path timestamptz[],
	level integer);

-- survival
CREATE TABLE lifetimes (region text NOT NULL, customer_id bigint, cohort integer,
	duration double precision, event boolean, status integer);
CREATE TABLE cohort_survivors (region text NOT NULL, period integer, survivors bigint);

-- clv: orders, and the customers' RFM summaries
CREATE TABLE orders (region text NOT NULL, customer_id bigint, order_date date, amount numeric,
	cost numeric);
CREATE TABLE rfm (region text NOT NULL, customer_id bigint, s rfm_summary);

-- retention: product events, activity summaries (one per customer, and in
-- pieces), MRR
CREATE TABLE product_events (region text NOT NULL, customer_id bigint, cohort timestamptz,
	signed_up_at timestamptz, at timestamptz, piece integer);
-- the same events with the customer's id as text and as uuid (issue 13):
-- their casts from bigint are not shipped by postgres_fdw, so stored
CREATE TABLE entity_events (region text NOT NULL, customer_text text, customer_uuid uuid, cohort timestamptz,
	signed_up_at timestamptz, at timestamptz);
CREATE TABLE activities (region text NOT NULL, customer_id bigint, cohort timestamptz, s activity_summary);
CREATE TABLE activity_pieces (region text NOT NULL, customer_id bigint, piece integer, s activity_summary);
-- the customers' ids also as text and uuid: postgres_fdw ships no casts to them
CREATE TABLE mrr_snapshots (region text NOT NULL, customer_id bigint, month timestamptz,
	mrr double precision, customer_text text, customer_uuid uuid);

-- pipeline
CREATE TABLE deals (region text NOT NULL, deal_id bigint, segment text, amount double precision,
	amount_num numeric, probability double precision, created_on date, closed_on date,
	created_at timestamptz, closed_at timestamptz, outcome text);
CREATE TABLE stage_history (region text NOT NULL, deal text, stage text, entered_at timestamptz);

-- adoption
-- the users' ids also as text and uuid, and the day as a timestamptz (UTC
-- midnight): postgres_fdw ships no casts to them, nor AT TIME ZONE
CREATE TABLE crm_activity (region text NOT NULL, user_id bigint, active_on date, user_text text,
	user_uuid uuid, active_at timestamptz);

-- summaries stored on the shards, one row per region and bucket
CREATE TABLE stored (region text NOT NULL, bucket integer, survey survey_summary,
	proportion proportion_summary, funnel funnel_summary, survival survival_summary,
	retention retention_summary, mrr mrr_summary, pipeline pipeline_summary);

-- retention over events in two steps: cohort activity summaries stored per
-- region, cohort and piece
CREATE TABLE cohort_pieces (region text NOT NULL, cohort timestamptz, piece integer, s cohort_activity_summary);

-- adoption summaries stored on the shards, one row per region and day
CREATE TABLE adoption_stored (region text NOT NULL, day date, s adoption_summary);

-- clv: CLV summaries stored on the shards, one row per region and bucket
CREATE TABLE clv_stored (region text NOT NULL, bucket integer, s clv_summary);

-- holdout summaries stored on the shards, one row per region and bucket
CREATE TABLE holdout_stored (region text NOT NULL, bucket integer, s holdout_summary);

-- customer MRR summaries stored on the shards, one row per region and bucket
CREATE TABLE stored_customer_mrr (region text NOT NULL, bucket integer, s customer_mrr_summary);

-- pipeline waterfalls stored on the shards, one row per region and bucket
CREATE TABLE waterfall_stored (region text NOT NULL, bucket integer, w pipeline_change_array);

-- new customers summaries stored on the shards, one row per region and bucket
CREATE TABLE stored_new_customers (region text NOT NULL, bucket integer, s new_customers_summary);

-- pipeline hygiene and lead summaries stored on the shards, one row per
-- region and bucket
CREATE TABLE hygiene_stored (region text NOT NULL, bucket integer, s pipeline_hygiene_summary);
CREATE TABLE lead_stored (region text NOT NULL, bucket integer, s lead_summary);
-- leads: postgres_fdw ships no timestamptz + interval (stable), so the
-- response times are a column
CREATE TABLE leads (region text NOT NULL, lead_id bigint, created_at timestamptz, responded_at timestamptz,
	opportunity boolean, won boolean, activities integer);
