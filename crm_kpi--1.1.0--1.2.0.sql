/* crm_kpi--1.1.0--1.2.0.sql */

-- complain if script is sourced in psql, rather than through ALTER EXTENSION
\echo Use "ALTER EXTENSION crm_kpi UPDATE TO '1.2.0'" to load this file. \quit

-- 1.2.0 is the first version whose install script is built from the families'
-- SQL fragments (src/<family>/<family>.sql).  Each change below is also made
-- in its family's fragment; test/run checks that every upgrade path gives the
-- objects of a fresh install.
