/* crm_kpi--1.0.0--1.1.0.sql */

-- complain if script is sourced in psql, rather than through ALTER EXTENSION
\echo Use "ALTER EXTENSION crm_kpi UPDATE TO '1.1.0'" to load this file. \quit

-- 1.1.0 adds KPI families; it changes nothing of 1.0.0.  Every section here is
-- also, word for word, at the end of crm_kpi--1.1.0.sql.
