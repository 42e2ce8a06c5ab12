/*
 * Structure-aware fuzzer of one crm_kpi summary/model type (test/fuzz/run
 * compiles and runs it; see doc/conventions.md).
 *
 * Each input is a mutation of a corpus value (seeds built by the aggregates
 * in test/fuzz/seed.sql, then every accepted mutation's normalized form),
 * sent either as text or as a libpq BINARY parameter (so the type's receive
 * function reads it).  An accepted value then goes through a text and a
 * binary round trip (byte-equal send() output, equal text), every accessor
 * of the type found in the catalog (values the extension produces must read
 * back: fuzz_reread() in setup.sql), and, batched in a table, serial versus
 * forced-parallel rollup and the moving-window inverse versus per-frame
 * rollup.  Queries are pipelined when libpq has pipeline mode.
 *
 * Findings: XX000/XX001 or any SQLSTATE outside classes 22 and 42, a
 * crash (the server log names our backend's PID as "terminated by signal"),
 * a cancel that comes late (a loop without CHECK_FOR_INTERRUPTS), a
 * round-trip or parallel/window mismatch.  Each is printed once per signature
 * with an exact reproducer.  A statement timeout whose cancel comes on time is
 * heavy but legitimate work (a 100,000-period CLV, say): counted and listed,
 * not a finding.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>
#include "libpq-fe.h"

/* ---------- small utilities ---------- */

typedef struct Buf { char *p; size_t n; } Buf;

static void *xmalloc(size_t n) { void *p = malloc(n ? n : 1); if (!p) { perror("malloc"); exit(2); } return p; }
static Buf buf_copy(const char *p, size_t n) { Buf b; b.p = xmalloc(n + 1); memcpy(b.p, p, n); b.p[n] = 0; b.n = n; return b; }
static char *xstrdup(const char *s) { return buf_copy(s, strlen(s)).p; }
static char *xprintf(const char *fmt, ...)
{
	va_list ap; char *s; int n;
	va_start(ap, fmt); n = vsnprintf(NULL, 0, fmt, ap); va_end(ap);
	s = xmalloc(n + 1);
	va_start(ap, fmt); vsnprintf(s, n + 1, fmt, ap); va_end(ap);
	return s;
}

static uint64_t rng_state;
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}
static size_t rn(size_t n) { return n ? (size_t) (rnd() % n) : 0; }

static uint64_t hash_bytes(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) { h ^= (unsigned char) p[i]; h *= 1099511628211ULL; }
	return h ? h : 1;
}

static double now_s(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static char *hex(const char *p, size_t n)
{
	char *s = xmalloc(2 * n + 1);
	for (size_t i = 0; i < n; i++) sprintf(s + 2 * i, "%02x", (unsigned char) p[i]);
	s[2 * n] = 0;
	return s;
}
static Buf unhex(const char *s)
{
	size_t n = strlen(s) / 2; Buf b; b.p = xmalloc(n + 1); b.n = n;
	for (size_t i = 0; i < n; i++) { unsigned v; sscanf(s + 2 * i, "%2x", &v); b.p[i] = (char) v; }
	return b;
}

/* SQL string literal of text (E'' not needed: standard_conforming_strings) */
static char *sql_quote(const char *s, size_t n)
{
	char *q = xmalloc(2 * n + 3), *o = q;
	*o++ = '\'';
	for (size_t i = 0; i < n; i++) { if (s[i] == '\'') *o++ = '\''; *o++ = s[i]; }
	*o++ = '\''; *o = 0;
	return q;
}

/* ---------- options and global state ---------- */

static const char *opt_type, *opt_log, *opt_findings = "/dev/stdout", *opt_replay_text, *opt_replay_hex;
static long opt_max_crashes = 5, opt_inputs = 10000, opt_batch = 128, opt_timeout_ms = 3000, opt_max_findings = 1000000;
static uint64_t opt_seed;
static int opt_verbose;

static PGconn *conn;
static int backend_pid;
static long log_offset;
static FILE *findings_fp;
static Oid type_oid;
static char *type_name;
static int has_rollup, has_minv;
static long n_connects;			/* sessions opened: a change means the server restarted */

static long n_timeouts;
static long n_distinct, n_inputs, n_accepted, n_rejected, n_findings, n_unique, n_crashes, n_queries, n_table_batches, n_table_skipped;

/* ---------- corpus ---------- */

#define CORPUS_MAX 4096
typedef struct Corpus { Buf text[CORPUS_MAX], bin[CORPUS_MAX]; int n; } Corpus;
static Corpus corpus;
static int nseeds;

#define SEEN_SIZE (1 << 20)
static uint64_t *seen;			/* open-addressing set of accepted send() hashes */
static int seen_add(uint64_t h)
{
	size_t i = h & (SEEN_SIZE - 1);
	while (seen[i]) { if (seen[i] == h) return 0; i = (i + 1) & (SEEN_SIZE - 1); }
	seen[i] = h;
	return 1;
}

static void corpus_add(const char *t, size_t tn, const char *b, size_t bn)
{
	int i;
	if (corpus.n < CORPUS_MAX) i = corpus.n++;
	else { i = nseeds + (int) rn(CORPUS_MAX - nseeds); free(corpus.text[i].p); free(corpus.bin[i].p); }
	corpus.text[i] = buf_copy(t, tn);
	corpus.bin[i] = buf_copy(b, bn);
}

/* ---------- findings ---------- */

#define SIG_MAX 4096
static uint64_t sig_hash[SIG_MAX]; static long sig_count[SIG_MAX]; static char *sig_desc[SIG_MAX]; static int nsig;

static uint64_t signature(const char *kind, const char *state, const char *stmt, const char *msg)
{
	/* the message with digits and quoted values elided, so one bug is one signature */
	char m[81]; int j = 0; int inq = 0;
	for (const char *p = msg ? msg : ""; *p && j < 80; p++)
	{
		if (*p == '"' || *p == '\'') { inq = !inq; continue; }
		if (inq || isdigit((unsigned char) *p) || *p == '.' || *p == '-' || *p == '+' || *p == 'e') continue;
		m[j++] = *p;
	}
	m[j] = 0;
	char *s = xprintf("%s|%s|%s|%s", kind, state ? state : "", stmt ? stmt : "", m);
	uint64_t h = hash_bytes(s, strlen(s));
	free(s);
	return h;
}

/* one finding; input is the text literal (is_bin = 0) or the receive() bytes */
static void finding(const char *kind, const char *state, const char *msg, const char *stmt_name,
					const char *sql, const char *input, size_t input_n, int is_bin, const char *detail)
{
	uint64_t h = signature(kind, state, stmt_name, msg);
	int i;
	n_findings++;
	for (i = 0; i < nsig; i++) if (sig_hash[i] == h) { sig_count[i]++; return; }
	if (nsig < SIG_MAX) { sig_hash[nsig] = h; sig_count[nsig] = 1; sig_desc[nsig] = xprintf("%s %s %s: %.200s", kind, state ? state : "-", stmt_name ? stmt_name : "-", msg ? msg : ""); nsig++; }
	n_unique++;
	fprintf(findings_fp, "FINDING type=%s kind=%s sqlstate=%s seed=%llu input#=%ld\n", type_name, kind,
			state ? state : "-", (unsigned long long) opt_seed, n_inputs);
	if (msg) fprintf(findings_fp, "  message: %s\n", msg);
	if (detail) fprintf(findings_fp, "  detail: %s\n", detail);
	if (input)
	{
		if (is_bin)
		{
			char *hx = hex(input, input_n);
			fprintf(findings_fp, "  input (binary, hex): %s\n", hx);
			fprintf(findings_fp, "  reproduce: test/fuzz/run --type %s --replay-hex %s\n", type_name, hx);
			free(hx);
		}
		else
		{
			char *q = sql_quote(input, input_n);
			fprintf(findings_fp, "  input (text): %s\n", q);
			fprintf(findings_fp, "  reproduce: test/fuzz/run --type %s --replay-text %s\n", type_name, q);
			if (sql)
			{
				/* the statement with the value inlined, runnable in psql */
				char *lit = xprintf("%s::%s", q, type_name);
				fprintf(findings_fp, "  sql: ");
				for (const char *p = sql; *p; p++)
				{
					if (p[0] == '$' && p[1] == '1' && !isdigit((unsigned char) p[2])) { fputs(lit, findings_fp); p++; }
					else fputc(*p, findings_fp);
				}
				fputc('\n', findings_fp);
				free(lit);
			}
			free(q);
		}
	}
	if (sql && (!input || is_bin)) fprintf(findings_fp, "  sql ($1 = the input): %s\n", sql);
	fflush(findings_fp);
}

/* ---------- connection, crash detection ---------- */

static void die(const char *fmt, ...)
{
	va_list ap; va_start(ap, fmt); vfprintf(stderr, fmt, ap); va_end(ap); fputc('\n', stderr); exit(2);
}

static long log_size(void)
{
	FILE *f; long n;
	if (!opt_log || !(f = fopen(opt_log, "r"))) return 0;
	fseek(f, 0, SEEK_END); n = ftell(f); fclose(f);
	return n;
}

/* Did the server log, since log_offset, report our backend killed by a signal? */
static char *log_crash_line(int pid)
{
	FILE *f; char line[4096]; char *found = NULL; char pat[64];
	if (!opt_log || !(f = fopen(opt_log, "r"))) return NULL;
	snprintf(pat, sizeof pat, "(PID %d) was terminated by signal", pid);
	fseek(f, log_offset, SEEK_SET);
	while (fgets(line, sizeof line, f))
		if (strstr(line, pat)) { line[strcspn(line, "\n")] = 0; free(found); found = xstrdup(line); }
	fclose(f);
	return found;
}

static void connect_db(int wait);

/* A setup query; when another driver's input took the server down meanwhile, again */
static PGresult *exec_ok(const char *sql)
{
	for (int tries = 0;; tries++)
	{
		PGresult *r = PQexec(conn, sql);
		if (PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK)
			return r;
		if (PQstatus(conn) == CONNECTION_OK || tries >= 5)
			die("setup query failed: %s\n%s", sql, PQerrorMessage(conn));
		PQclear(r);
		connect_db(1);
	}
}

typedef struct Stmt { char *name, *sql, *fn; int nparams; int timed_out; } Stmt;
static Stmt *stmts; static int nstmts;
static Stmt adhoc[8];			/* the table checks' statements */
static Stmt *st_accept, *st_insert;
static int naccessors;			/* stmts[0..naccessors-1] are accessor calls */

static char *table_sql;			/* the table of the rollup checks */

/* Prepares every statement; 0 when the connection went away meanwhile */
static int prepare_all(void)
{
	if (table_sql) PQclear(PQexec(conn, table_sql));
	for (int i = 0; i < nstmts; i++)
	{
		Oid types[3] = {type_oid, 23, 23};
		PGresult *r = PQprepare(conn, stmts[i].name, stmts[i].sql, stmts[i].nparams, types);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
		{
			if (PQstatus(conn) != CONNECTION_OK) { PQclear(r); return 0; }
			die("cannot prepare %s: %s\n%s", stmts[i].name, stmts[i].sql, PQerrorMessage(conn));
		}
		PQclear(r);
	}
	for (int k = 0; k < 8; k++)
		if (adhoc[k].name) PQclear(PQprepare(conn, adhoc[k].name, adhoc[k].sql, adhoc[k].nparams, (Oid[]) {23}));
	return PQstatus(conn) == CONNECTION_OK;
}

static void session_setup(void)
{
	char *s = xprintf("SET statement_timeout = %ld; SET client_min_messages = error; SET extra_float_digits = 3; SET TimeZone = 'UTC'", opt_timeout_ms);
	PQclear(PQexec(conn, s)); free(s);
}

static void quiet(void *arg, const char *msg) { (void) arg; if (opt_verbose) fputs(msg, stderr); }

static void connect_db(int wait)
{
	double t0 = now_s();
	for (;;)
	{
		if (conn) PQfinish(conn);
		conn = PQconnectdb("");
		if (PQstatus(conn) == CONNECTION_OK)
		{
			/* (the server may go down again meanwhile, by another driver's input) */
			session_setup();
			if (PQstatus(conn) == CONNECTION_OK && (!nstmts || prepare_all())) break;
		}
		if (!wait || now_s() - t0 > 180) die("cannot connect: %s", PQerrorMessage(conn));
		usleep(200000);
	}
	backend_pid = PQbackendPID(conn);
	n_connects++;
	PQsetNoticeProcessor(conn, quiet, NULL);
}

/* ---------- running a batch of statements (pipelined if possible) ---------- */

typedef struct Job
{
	Stmt *st;
	const char *param[3]; int plen[3]; int pfmt[3];
	int resfmt;
	/* result */
	int ok;					/* 1 tuples/command ok, 0 error, -1 lost (connection) */
	char state[6]; char *msg;
	Buf col[4]; int ncols;
	/* the input this job is about, for findings */
	const char *in; size_t in_n; int in_bin;
	int tag, idx;
} Job;

static void job_clear(Job *j)
{
	free(j->msg); j->msg = NULL;
	for (int c = 0; c < j->ncols; c++) free(j->col[c].p);
	j->ncols = 0;
}

static void job_take(Job *j, PGresult *r)
{
	ExecStatusType s = PQresultStatus(r);
	if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK)
	{
		j->ok = 1;
		if (s == PGRES_TUPLES_OK && PQntuples(r) > 0)
		{
			j->ncols = PQnfields(r) > 4 ? 4 : PQnfields(r);
			for (int c = 0; c < j->ncols; c++)
				j->col[c] = PQgetisnull(r, 0, c) ? buf_copy("\x01NULL", 5) : buf_copy(PQgetvalue(r, 0, c), PQgetlength(r, 0, c));
		}
	}
	else
	{
		const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
		/* no SQLSTATE, or the server going away (57P0x, 08xxx): the connection is lost */
		j->ok = (!st || strncmp(st, "57P", 3) == 0 || strncmp(st, "08", 2) == 0) ? -1 : 0;
		snprintf(j->state, sizeof j->state, "%s", st ? st : "");
		j->msg = xstrdup(m ? m : PQerrorMessage(conn));
	}
}

#ifdef LIBPQ_HAS_PIPELINING
static void send_job(Job *j)
{
	n_queries++;
	if (!PQsendQueryPrepared(conn, j->st->name, j->st->nparams, j->param, j->plen, j->pfmt, j->resfmt))
		j->ok = -1;
	PQpipelineSync(conn);
}


/* flush the output without deadlocking against results the server is sending */
static void flush_all(void)
{
	int r;
	while ((r = PQflush(conn)) == 1)
	{
		fd_set rf, wf; int fd = PQsocket(conn);
		FD_ZERO(&rf); FD_ZERO(&wf); FD_SET(fd, &rf); FD_SET(fd, &wf);
		if (select(fd + 1, &rf, &wf, NULL, NULL) < 0 && errno != EINTR) return;
		if (FD_ISSET(fd, &rf) && !PQconsumeInput(conn)) return;
	}
}
#endif

/* Runs jobs[from..n) one round trip each; returns the index of the first
 * job whose result was lost with the connection, or n. */
static int run_serial(Job *jobs, int from, int n)
{
	for (int i = from; i < n; i++)
	{
		Job *j = &jobs[i];
		PGresult *r;
		n_queries++;
		r = PQexecPrepared(conn, j->st->name, j->st->nparams, j->param, j->plen, j->pfmt, j->resfmt);
		job_take(j, r);
		PQclear(r);
		if (j->ok < 0 || PQstatus(conn) != CONNECTION_OK) { j->ok = -1; return i; }
	}
	return n;
}

/* Runs jobs[from..n) pipelined; returns the index of the first job whose
 * result was lost with the connection (or came out of order), or n. */
static int run_jobs_once(Job *jobs, int from, int n)
{
#ifdef LIBPQ_HAS_PIPELINING
	int i;
	if (PQstatus(conn) != CONNECTION_OK) connect_db(1);
	if (PQenterPipelineMode(conn) != 1) die("cannot enter pipeline mode");
	PQsetnonblocking(conn, 1);
	for (i = from; i < n; i++)
	{
		send_job(&jobs[i]);
		if ((i - from) % 16 == 15) { flush_all(); PQconsumeInput(conn); }
	}
	flush_all();
	PQsetnonblocking(conn, 0);
	for (i = from; i < n; i++)
	{
		/* each query: its result, a NULL, then the sync that follows it */
		PGresult *r = PQgetResult(conn);
		if (r && PQresultStatus(r) != PGRES_PIPELINE_SYNC)
		{
			job_take(&jobs[i], r);
			PQclear(r);
			while ((r = PQgetResult(conn)) != NULL) PQclear(r);
			r = PQgetResult(conn);
		}
		else
			jobs[i].ok = -1;
		if (r) PQclear(r);
		if (jobs[i].ok < 0 || PQstatus(conn) != CONNECTION_OK)
		{
			jobs[i].ok = -1;
			return i;
		}
	}
	PQexitPipelineMode(conn);
	return n;
#else
	return run_serial(jobs, from, n);
#endif
}

static int is_allowed_state(const char *s)
{
	return (s[0] == '2' && s[1] == '2') || (s[0] == '4' && s[1] == '2');
}

/* Runs all jobs; a crash is attributed to the job in flight when the server
 * log says our backend died, then we reconnect and go on with the rest. */
static void run_jobs(Job *jobs, int n)
{
	int from, retried = -1, lost;
	for (int i = 0; i < n; i++) { jobs[i].ok = -2; jobs[i].ncols = 0; jobs[i].msg = NULL; jobs[i].state[0] = 0; }
	lost = run_jobs_once(jobs, 0, n);
	if (lost < n)
	{
		/* The pipeline broke: the server need not have sent every result
		 * before it died, so the rest runs one statement at a time, and a
		 * crash is pinned on the statement in flight. */
		connect_db(1);
		log_offset = log_size();
	}
	from = lost;
	while (from < n && n_crashes < opt_max_crashes)
	{
		int pid = backend_pid;
		lost = run_serial(jobs, from, n);
		if (lost >= n) break;
		connect_db(1);		/* waits for the restart, after which the log names the dead process */
		char *line = log_crash_line(pid);
		if (line || (!opt_log && retried == lost))
		{
			Job *j = &jobs[lost];
			n_crashes++;
			finding("crash", "-", line ? line : "connection lost twice on this input", j->st->fn, j->st->sql,
					j->in, j->in_n, j->in_bin, NULL);
			free(line);
			j->ok = -1; snprintf(j->state, sizeof j->state, "CRASH");
			from = lost + 1;
		}
		else if (retried == lost)
		{
			/* lost twice with no crash of ours in the log: skip it */
			jobs[lost].ok = -1; snprintf(jobs[lost].state, sizeof jobs[lost].state, "LOST");
			from = lost + 1;
		}
		else
			{ retried = lost; from = lost; }
		log_offset = log_size();
	}
	/* errors outside the allowed classes are findings wherever they occur */
	for (int i = 0; i < n; i++)
	{
		Job *j = &jobs[i];
		if (j->ok == 0 && strcmp(j->state, "57014") == 0 && j->st->timed_out)
			{ n_timeouts++; continue; }	/* this statement's cancel was timed already */
		if (j->ok == 0 && strcmp(j->state, "57014") == 0)
		{
			/* alone, timed: the cancel must come within twice the timeout */
			double t0 = now_s();
			j->st->timed_out = 1;
			job_clear(j);
			if (run_serial(jobs, i, i + 1) == i + 1 && j->ok == 0 && strcmp(j->state, "57014") == 0 &&
				now_s() - t0 <= 2.0 * opt_timeout_ms / 1000.0 + 1.0)
			{
				n_timeouts++;
				if (opt_verbose)
					fprintf(stderr, "%s: timeout (cancelled on time): %s\n", type_name, j->st->sql);
				continue;
			}
			if (j->ok == 0 && strcmp(j->state, "57014") == 0)
				{
				char *d = xprintf("cancelled after %.1f s, timeout %ld ms", now_s() - t0, opt_timeout_ms);
				finding("late-cancel", j->state, "the statement timeout's cancel came late",
						j->st->fn, j->st->sql, j->in, j->in_n, j->in_bin, d);
				free(d);
			}
		}
		if (j->ok == 0 && !is_allowed_state(j->state))
			finding(strncmp(j->state, "FZ", 2) == 0 ? "unreadable-result" : "error",
					j->state, j->msg, j->st->fn, j->st->sql, j->in, j->in_n, j->in_bin, NULL);
	}
}

/* ---------- comparison with floating tolerance (parallel sums) ---------- */

static int same_text_approx(const char *a, const char *b)
{
	while (*a && *b)
	{
		int na = isdigit((unsigned char) *a) || (*a == '-' && isdigit((unsigned char) a[1]));
		int nb = isdigit((unsigned char) *b) || (*b == '-' && isdigit((unsigned char) b[1]));
		if (na && nb)
		{
			char *ea, *eb; double x = strtod(a, &ea), y = strtod(b, &eb);
			if (x != y && !(fabs(x - y) <= 1e-9 * fmax(fabs(x), fabs(y)) || fabs(x - y) < 1e-300)) return 0;
			a = ea; b = eb; continue;
		}
		if (*a != *b) return 0;
		a++; b++;
	}
	return *a == *b;
}

/* ---------- mutations ---------- */

static const char *num_boundary[] = {
	"0", "-0", "1", "-1", "2", "3", "7", "255", "2147483647", "2147483648", "-2147483648", "-2147483649",
	"4294967295", "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
	"-9223372036854775809", "18446744073709551616", "4611686018427387904", "4611686018427387905",
	"1e308", "1.7976931348623157e308", "-1.7976931348623157e308", "1e309", "-1e309", "Infinity",
	"-Infinity", "NaN", "inf", "5e-324", "4.9e-324", "2.2250738585072014e-308", "1e-320", "-5e-324",
	"0.5", "0.9999999", "1.0000001", "1e-7", "1e-300", "1e300", "1e18", "1e19", "2185", "2208", "-37220",
	"65536", "100000", "1000000", "0.0", "1.5", "-0.5", "00", "01", "1e", "1e+", "--1", "0x10", "1.", ".5",
	"9999999999999999999999999", "1e-400", "-2147483647", "86400000000", "-211813488000000000",
	"9223371331200000000", "9224318016000000000", "-9223372036854775807", "106760383", "2147483646",
};
static const char *str_boundary[] = {
	"\"day\"", "\"week\"", "\"month\"", "\"quarter\"", "\"year\"", "\"microsecond\"", "\"\"", "\"hour\"",
	"\"x\"", "\"Month\"", "\"month \"", "\"\\u0000\"", "\"\\\"\"", "null", "true", "false", "[]", "{}", "[[]]",
};

/* A tolerant scanner of the JSON-like text: the spans of every value,
 * array element and object member, for structure-aware edits. */
typedef struct Span { int s, e, kind, parent; } Span;	/* kind: 0 number, 1 string, 2 array, 3 object, 4 member, 5 literal */
#define MAXSPAN 20000
static Span spans[MAXSPAN]; static int nspans;
static const char *sc; static int sp, slen;

static void skip_ws(void) { while (sp < slen && isspace((unsigned char) sc[sp])) sp++; }
static int add_span(int s, int e, int kind, int parent)
{
	if (nspans >= MAXSPAN) return -1;
	spans[nspans].s = s; spans[nspans].e = e; spans[nspans].kind = kind; spans[nspans].parent = parent;
	return nspans++;
}
static int scan_value(int parent, int depth);
static int scan_string(int parent)
{
	int s = sp; sp++;
	while (sp < slen && sc[sp] != '"') { if (sc[sp] == '\\') sp++; sp++; }
	if (sp >= slen) return -1;
	sp++;
	return add_span(s, sp, 1, parent);
}
static int scan_value(int parent, int depth)
{
	skip_ws();
	if (sp >= slen || depth > 50) return -1;
	char c = sc[sp];
	if (c == '"') return scan_string(parent);
	if (c == '[' || c == '{')
	{
		int s = sp, me = add_span(sp, sp, c == '[' ? 2 : 3, parent);
		if (me < 0) return -1;
		sp++; skip_ws();
		if (sp < slen && sc[sp] == (c == '[' ? ']' : '}')) { sp++; spans[me].e = sp; return me; }
		for (;;)
		{
			skip_ws();
			if (c == '{')
			{
				int ms = sp, m = add_span(sp, sp, 4, me);
				if (m < 0 || sp >= slen || sc[sp] != '"' || scan_string(m) < 0) return -1;
				skip_ws();
				if (sp >= slen || sc[sp] != ':') return -1;
				sp++;
				if (scan_value(m, depth + 1) < 0) return -1;
				spans[m].s = ms; spans[m].e = sp;
			}
			else if (scan_value(me, depth + 1) < 0) return -1;
			skip_ws();
			if (sp < slen && sc[sp] == ',') { sp++; continue; }
			if (sp < slen && sc[sp] == (c == '[' ? ']' : '}')) { sp++; break; }
			return -1;
		}
		spans[me].s = s; spans[me].e = sp;
		return me;
	}
	int s = sp;
	while (sp < slen && (isalnum((unsigned char) sc[sp]) || strchr("+-.", sc[sp]))) sp++;
	if (sp == s) return -1;
	return add_span(s, sp, (isdigit((unsigned char) sc[s]) || sc[s] == '-') ? 0 : 5, parent);
}
static int scan(const char *t, int n)
{
	sc = t; sp = 0; slen = n; nspans = 0;
	return scan_value(-1, 0) >= 0;
}

/* out = t[0..s) + ins + t[e..n) */
static Buf replace(const char *t, size_t n, size_t s, size_t e, const char *ins, size_t insn)
{
	Buf b; b.n = s + insn + (n - e); b.p = xmalloc(b.n + 1);
	memcpy(b.p, t, s); memcpy(b.p + s, ins, insn); memcpy(b.p + s + insn, t + e, n - e); b.p[b.n] = 0;
	return b;
}

static int pick_span(int kind)
{
	int cand[64], nc = 0;
	for (int tries = 0; tries < 200 && nc < 64; tries++)
	{
		int i = (int) rn(nspans);
		if (spans[i].kind == kind || (kind == 6 && spans[i].parent >= 0 && spans[spans[i].parent].kind == 2)) cand[nc++] = i;
	}
	return nc ? cand[rn(nc)] : -1;
}

static Buf mutate_text_once(Buf in)
{
	const char *t = in.p; size_t n = in.n;
	int structured = scan(t, (int) n);
	int op = (int) rn(structured ? 18 : 5);
	if (op >= 5)
	{
		int i;
		switch (op)
		{
			case 5: case 6: case 7:	/* a number swapped for a boundary value or a neighbour */
				if ((i = pick_span(0)) < 0) break;
				if (rn(3) == 0)
				{
					char *e; long double v = strtold(t + spans[i].s, &e);
					static const long double f[] = {1, -1, 2, 0.5, 1e10, -1};
					char nb[64];
					int k = (int) rn(6);
					v = k == 5 ? -v : (k < 2 ? v + f[k] : v * f[k]);
					snprintf(nb, sizeof nb, rn(2) ? "%.0Lf" : "%.17Lg", v);
					return replace(t, n, spans[i].s, spans[i].e, nb, strlen(nb));
				}
				{
					const char *nb = num_boundary[rn(sizeof num_boundary / sizeof *num_boundary)];
					return replace(t, n, spans[i].s, spans[i].e, nb, strlen(nb));
				}
			case 8:	/* a string, literal or whole value swapped */
				{
					const char *nb = str_boundary[rn(sizeof str_boundary / sizeof *str_boundary)];
					i = rn(2) ? pick_span(1) : (int) rn(nspans);
					if (i < 0 || spans[i].kind == 4) break;
					return replace(t, n, spans[i].s, spans[i].e, nb, strlen(nb));
				}
			case 9:	/* a member or element dropped (with its comma) */
				if ((i = rn(2) ? pick_span(4) : pick_span(6)) < 0) break;
				{
					size_t s = spans[i].s, e = spans[i].e;
					if (e < n && t[e] == ',') e++;
					else if (s > 0 && t[s - 1] == ',') s--;
					return replace(t, n, s, e, "", 0);
				}
			case 10:	/* a member or element duplicated */
				if ((i = rn(2) ? pick_span(4) : pick_span(6)) < 0) break;
				{
					Buf ins; size_t l = spans[i].e - spans[i].s;
					ins.p = xmalloc(l + 2); memcpy(ins.p, t + spans[i].s, l); ins.p[l] = ','; ins.n = l + 1;
					Buf r = replace(t, n, spans[i].s, spans[i].s, ins.p, ins.n);
					free(ins.p);
					return r;
				}
			case 11:	/* two siblings swapped (reordered keys or elements) */
				if ((i = rn(2) ? pick_span(4) : pick_span(6)) < 0) break;
				for (int j = i + 1; j < nspans; j++)
					if (spans[j].parent == spans[i].parent && spans[j].s >= spans[i].e)
					{
						Span a = spans[i], b = spans[j];
						Buf r; r.n = n; r.p = xmalloc(n + 1);
						size_t o = 0;
						memcpy(r.p + o, t, a.s); o += a.s;
						memcpy(r.p + o, t + b.s, b.e - b.s); o += b.e - b.s;
						memcpy(r.p + o, t + a.e, b.s - a.e); o += b.s - a.e;
						memcpy(r.p + o, t + a.s, a.e - a.s); o += a.e - a.s;
						memcpy(r.p + o, t + b.e, n - b.e); o += n - b.e;
						r.p[o] = 0;
						return r;
					}
				break;
			case 12:	/* an array lengthened by repeating its last element (a few or many times) */
				if ((i = pick_span(6)) < 0) break;
				{
					size_t l = spans[i].e - spans[i].s, reps = rn(4) ? 1 + rn(4) : 1 + rn(rn(5) ? 200 : 20000);
					if (reps * (l + 1) > 400000) reps = 400000 / (l + 1);
					char *ins = xmalloc(reps * (l + 1) + 1);
					for (size_t k = 0; k < reps; k++) { ins[k * (l + 1)] = ','; memcpy(ins + k * (l + 1) + 1, t + spans[i].s, l); }
					Buf r = replace(t, n, spans[i].e, spans[i].e, ins, reps * (l + 1));
					free(ins);
					return r;
				}
			case 13:	/* version changed */
				{
					const char *v = strstr(t, "\"version\":");
					static const char *vs[] = {"0", "2", "-1", "255", "256", "1.0", "\"1\"", "99", "4294967297"};
					if (!v) break;
					size_t s = v - t + 10, e = s;
					while (e < n && (isalnum((unsigned char) t[e]) || t[e] == '.' || t[e] == '-')) e++;
					const char *nv = vs[rn(sizeof vs / sizeof *vs)];
					return replace(t, n, s, e, nv, strlen(nv));
				}
			case 16: case 17:	/* coordinated: element k of several number arrays set to one boundary value (+0/+1) */
				{
					const char *B = num_boundary[rn(sizeof num_boundary / sizeof *num_boundary)];
					size_t k = rn(rn(2) ? 2 : 8);
					Buf cur = buf_copy(t, n);
					int changed = 0;
					/* right to left, so that earlier spans stay valid */
					for (int a = nspans - 1; a >= 0; a--)
					{
						if (spans[a].kind != 2 || rn(2)) continue;
						size_t idx = 0; int el = -1;
						for (int c = a + 1; c < nspans && spans[c].s < spans[a].e; c++)
							if (spans[c].parent == a) { if (idx == k) { el = c; break; } idx++; }
						if (el < 0 || spans[el].kind != 0) continue;
						char nb[64]; char *e;
						long double bv = strtold(B, &e);
						if (rn(2) && isfinite((double) bv) && fabsl(bv) < 1e19L) snprintf(nb, sizeof nb, "%.0Lf", bv + (long double) rn(2));
						else snprintf(nb, sizeof nb, "%s", B);
						Buf r = replace(cur.p, cur.n, spans[el].s, spans[el].e, nb, strlen(nb));
						free(cur.p); cur = r; changed = 1;
					}
					if (changed) return cur;
					free(cur.p);
					break;
				}
			case 14: case 15:	/* a subtree replaced by another value's subtree of the same kind */
				{
					Buf o = corpus.text[rn(corpus.n)];
					if ((i = (int) rn(nspans)) < 0 || spans[i].kind == 4) break;
					int kind = spans[i].kind; size_t s = spans[i].s, e = spans[i].e;
					if (!scan(o.p, (int) o.n)) break;
					int j = -1;
					for (int tries = 0; tries < 50; tries++) { int c = (int) rn(nspans); if (spans[c].kind == kind) { j = c; break; } }
					if (j < 0) break;
					return replace(t, n, s, e, o.p + spans[j].s, spans[j].e - spans[j].s);
				}
		}
	}
	/* byte-level: flip, insert, delete, truncate, splice */
	switch (rn(5))
	{
		case 0:
			{
				static const char alpha[] = "0123456789-+.eE,:[]{}\" aAnNiIfxtu\\";
				char c = rn(3) ? alpha[rn(sizeof alpha - 1)] : (char) (1 + rn(255));
				size_t pos = rn(n);
				return replace(t, n, pos, n ? pos + 1 : 0, &c, 1);
			}
		case 1:
			{
				static const char alpha[] = "0123456789-,[]{}\"";
				char c = alpha[rn(sizeof alpha - 1)];
				size_t pos = rn(n + 1);
				return replace(t, n, pos, pos, &c, 1);
			}
		case 2:
			{
				size_t pos = rn(n), l = 1 + rn(8);
				if (pos + l > n) l = n - pos;
				return replace(t, n, pos, pos + l, "", 0);
			}
		case 3:
			return replace(t, n, rn(n + 1), n, "", 0);
		default:
			{
				Buf o = corpus.text[rn(corpus.n)];
				size_t a = rn(n + 1), b = rn(o.n + 1);
				return replace(t, n, a, n, o.p + b, o.n - b);
			}
	}
}

static void put_be(char *p, uint64_t v, int w) { for (int i = w - 1; i >= 0; i--) { p[i] = (char) (v & 0xff); v >>= 8; } }
static uint64_t get_be(const char *p, int w) { uint64_t v = 0; for (int i = 0; i < w; i++) v = (v << 8) | (unsigned char) p[i]; return v; }

static Buf mutate_bin_once(Buf in)
{
	Buf b = buf_copy(in.p, in.n);
	size_t n = b.n;
	int op = (int) rn(10);
	/* offsets aligned to the field grid: a value starts with a version byte, then 4/8-byte fields */
	size_t base = rn(2), off = base + 4 * rn(n / 4 + 1);
	switch (op)
	{
		case 0:	/* int32 boundary */
			if (off + 4 <= n)
			{
				static const uint32_t v[] = {0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 2, 3, 255, 65536, 0x10000000, 2208, 2185};
				put_be(b.p + off, v[rn(sizeof v / sizeof *v)], 4);
				return b;
			}
			break;
		case 1:	/* int64 boundary */
			if (off + 8 <= n)
			{
				static const uint64_t v[] = {0, 1, ~0ULL, 0x7fffffffffffffffULL, 0x8000000000000000ULL, 1ULL << 62,
					(1ULL << 62) + 1, 1ULL << 31, 1ULL << 32, 2, 0x7ffffffffffffffeULL, 9223371331200000000ULL};
				put_be(b.p + off, v[rn(sizeof v / sizeof *v)], 8);
				return b;
			}
			break;
		case 2:	/* float8 boundary */
			if (off + 8 <= n)
			{
				static const double v[] = {0.0, -0.0, 1.0, -1.0, INFINITY, -INFINITY, NAN, 1e308, 1.7976931348623157e308,
					4.9e-324, 2.2250738585072014e-308, 0.5, 0.9999999999999999, 1.0000000000000002, 1e-7, 1e18, 9.3e18};
				double d = v[rn(sizeof v / sizeof *v)]; uint64_t u; memcpy(&u, &d, 8);
				if (rn(8) == 0) u = 0x7ff0000000000001ULL + rn(1000);	/* odd NaNs */
				put_be(b.p + off, u, 8);
				return b;
			}
			break;
		case 3:	/* a likely length/count prefix changed */
			{
				size_t cand[256]; int nc = 0;
				for (size_t o = 0; o + 4 <= n && nc < 256; o++)
				{
					uint32_t v = (uint32_t) get_be(b.p + o, 4);
					if (v > 0 && v < 100000) cand[nc++] = o;
				}
				if (!nc) break;
				size_t o = cand[rn(nc)];
				uint32_t v = (uint32_t) get_be(b.p + o, 4);
				static const int64_t d[] = {1, -1, 2, 1000};
				uint32_t nv = rn(3) ? (uint32_t) (v + d[rn(4)]) : (uint32_t[]) {0x7fffffff, 0x40000000, 0x10000000, 0xffffffff, 0}[rn(5)];
				put_be(b.p + o, nv, 4);
				return b;
			}
		case 4:	/* truncation */
			b.n = rn(n + 1);
			return b;
		case 5:	/* extension: zeros, random bytes, or the tail repeated */
			{
				size_t add = 1 + rn(rn(4) ? 16 : 4096);
				Buf r; r.p = xmalloc(n + add + 1); r.n = n + add; memcpy(r.p, b.p, n);
				int how = (int) rn(3);
				for (size_t i = 0; i < add; i++) r.p[n + i] = how == 0 ? 0 : how == 1 ? (char) rnd() : (n ? b.p[n - 1 - (i % (n < 12 ? n : 12))] : 0);
				free(b.p);
				return r;
			}
		case 6:	/* splice with another corpus value */
			{
				Buf o = corpus.bin[rn(corpus.n)];
				size_t a = rn(n + 1), c = rn(o.n + 1);
				Buf r = replace(b.p, n, a, n, o.p + c, o.n - c);
				free(b.p);
				return r;
			}
		case 7:	/* 4 or 8 bytes inserted or removed at a field boundary */
			{
				size_t w = rn(2) ? 4 : 8;
				Buf r;
				if (rn(2) && off + w <= n) r = replace(b.p, n, off, off + w, "", 0);
				else { char z[8] = {0}; if (rn(2)) memcpy(z, b.p + (off + w <= n ? off : 0), (off + w <= n) ? w : 0); r = replace(b.p, n, off > n ? n : off, off > n ? n : off, z, w); }
				free(b.p);
				return r;
			}
		case 8:	/* bit flip */
			if (n) { b.p[rn(n)] ^= (char) (1 << rn(8)); return b; }
			break;
		default:	/* a byte set */
			if (n) { b.p[rn(n)] = (char) rnd(); return b; }
			break;
	}
	if (n) b.p[rn(n)] ^= (char) (1 << rn(8));
	return b;
}

/* ---------- the catalog: accessors of the type ---------- */

#define NVAR 10
/* 1000, not more: a 100,000-period predicted_clv is minutes of legitimate work */
static const char *vals_int[NVAR] = {"1", "2", "0", "-1", "2147483647", "(-2147483648)", "3", "1000", "7", "12"};
static const char *vals_big[NVAR] = {"1", "3", "0", "-1", "9223372036854775807", "(-9223372036854775808)", "2", "4611686018427387904", "10", "1000"};
static const char *vals_f8[NVAR] = {"0.5", "1", "0", "-1", "1e308", "'NaN'", "'Infinity'", "5e-324", "0.95", "'-Infinity'"};
static const char *vals_num[NVAR] = {"1", "2.5", "0", "-1", "1e300", "'NaN'", "1e-300", "123456789012345678901234567890", "0.5", "1e-20"};
static const char *vals_bool[NVAR] = {"true", "false", "true", "false", "true", "false", "true", "false", "true", "false"};
static const char *vals_ts[NVAR] = {"'2024-06-01+00'", "'2024-01-01+00'", "'infinity'", "'-infinity'", "'294276-12-31 23:59:59+00'",
	"'4713-01-01 00:00+00 BC'", "'2000-01-01+00'", "'1970-01-01+00'", "'2024-06-01+00'", "'294270-01-01+00'"};
static const char *vals_date[NVAR] = {"'2024-06-01'", "'2024-01-01'", "'infinity'", "'-infinity'", "'5874897-12-31'",
	"'4713-01-01 BC'", "'2000-01-01'", "'1970-01-01'", "'2024-06-02'", "'294276-12-31'"};
static const char *vals_iv[NVAR] = {"'1 day'", "'1 month'", "'0'", "'-1 day'", "'178000000 years'", "'1 microsecond'", "'7 days'", "'1 year'", "'1 week'", "'3 months'"};
static const char *vals_text[NVAR] = {"'on'", "'on_or_after'", "'won'", "'lost'", "'open'", "'start'", "'calendar'", "''", "'end'", "'average'"};

static char *seed_literal(const char *typ, int v)
{
	char *q = v == 0 ? xprintf("SELECT val FROM fuzz_seed WHERE typ = %s::regtype ORDER BY length(val), val LIMIT 1", sql_quote(typ, strlen(typ)))
		: xprintf("SELECT val FROM fuzz_seed WHERE typ = %s::regtype ORDER BY md5(val || '%d') LIMIT 1", sql_quote(typ, strlen(typ)), v);
	PGresult *r = exec_ok(q);
	char *lit = PQntuples(r) ? xprintf("%s::%s", sql_quote(PQgetvalue(r, 0, 0), PQgetlength(r, 0, 0)), typ) : xprintf("NULL::%s", typ);
	PQclear(r);
	return lit;
}

static void add_stmt(const char *sql, const char *fn, int nparams)
{
	stmts = realloc(stmts, (nstmts + 1) * sizeof *stmts);
	stmts[nstmts].name = xprintf("s%d", nstmts);
	stmts[nstmts].sql = xstrdup(sql);
	stmts[nstmts].fn = xstrdup(fn);
	stmts[nstmts].nparams = nparams;
	stmts[nstmts].timed_out = 0;
	nstmts++;
}

static void load_catalog(void)
{
	char *q; PGresult *r;
	q = xprintf("SELECT %s::regtype::oid, %s::regtype::text", sql_quote(opt_type, strlen(opt_type)), sql_quote(opt_type, strlen(opt_type)));
	r = exec_ok(q);
	type_oid = (Oid) strtoul(PQgetvalue(r, 0, 0), NULL, 10);
	type_name = xstrdup(PQgetvalue(r, 0, 1));
	PQclear(r);

	/* every function and aggregate of the extension that takes the type (or an array of it), but no internal */
	q = xprintf(
		"SELECT p.proname, p.prokind, p.pronargs, p.pronargdefaults, p.proretset,"
		"  (SELECT string_agg(format_type(a, NULL), '|' ORDER BY o) FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY x(a, o)),"
		"  EXISTS (SELECT 1 FROM pg_depend d2 WHERE d2.classid = 'pg_type'::regclass AND d2.objid = p.prorettype"
		"          AND d2.deptype = 'e' AND d2.refobjid = e.oid),"
		"  p.oid::regprocedure::text,"
		"  EXISTS (SELECT 1 FROM pg_aggregate g WHERE g.aggfnoid = p.oid AND g.aggminvtransfn <> 0)"
		" FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'"
		" JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'crm_kpi'"
		" WHERE (%u = ANY (p.proargtypes::oid[]) OR (SELECT typarray FROM pg_type WHERE oid = %u) = ANY (p.proargtypes::oid[]))"
		"   AND NOT 'internal'::regtype = ANY (p.proargtypes::oid[])"
		"   AND p.proname !~ '_(in|out|recv|send)$'"
		" ORDER BY p.oid", type_oid, type_oid);
	r = exec_ok(q);
	for (int row = 0; row < PQntuples(r); row++)
	{
		const char *name = PQgetvalue(r, row, 0);
		int is_agg = PQgetvalue(r, row, 1)[0] == 'a';
		int nargs = atoi(PQgetvalue(r, row, 2)), ndef = atoi(PQgetvalue(r, row, 3));
		int retset = PQgetvalue(r, row, 4)[0] == 't';
		int ret_ext = PQgetvalue(r, row, 6)[0] == 't';
		const char *sig = PQgetvalue(r, row, 7);
		char *argtypes = xstrdup(PQgetvalue(r, row, 5));
		char *types[16]; int nt = 0;
		for (char *tok = strtok(argtypes, "|"); tok && nt < 16; tok = strtok(NULL, "|")) types[nt++] = tok;
		if (is_agg && strcmp(name, "rollup") == 0)
		{
			has_rollup = 1;
			has_minv = PQgetvalue(r, row, 8)[0] == 't';
		}
		for (int v = 0; v < NVAR; v++)
		{
			/* variant 0 gives only the required arguments, the others all of them */
			int na = v == 0 ? nargs - ndef : nargs, self_used = 0;
			char args[8192] = "";
			for (int a = 0; a < na; a++)
			{
				const char *ty = types[a]; char *val;
				char arr[300]; snprintf(arr, sizeof arr, "%s[]", type_name);
				if (strcmp(ty, type_name) == 0)
					val = (!self_used++ || v % 2 == 0) ? xprintf("$1") : seed_literal(type_name, v);
				else if (strcmp(ty, arr) == 0)
					val = v % 2 ? xprintf("ARRAY[$1, %s]", seed_literal(type_name, v)) : xprintf("ARRAY[$1, $1]");
				else if (!strcmp(ty, "integer")) val = xstrdup(vals_int[v]);
				else if (!strcmp(ty, "bigint")) val = xstrdup(vals_big[v]);
				else if (!strcmp(ty, "double precision")) val = xstrdup(vals_f8[v]);
				else if (!strcmp(ty, "numeric")) val = xprintf("%s::numeric", vals_num[v]);
				else if (!strcmp(ty, "boolean")) val = xstrdup(vals_bool[v]);
				else if (!strcmp(ty, "timestamp with time zone")) val = xprintf("%s::timestamptz", vals_ts[v]);
				else if (!strcmp(ty, "date")) val = xprintf("%s::date", vals_date[v]);
				else if (!strcmp(ty, "interval")) val = xprintf("%s::interval", vals_iv[v]);
				else if (!strcmp(ty, "text")) val = xprintf("%s::text", vals_text[v]);
				/* a polymorphic label (retention_table's cohort): any concrete type */
				else if (!strcmp(ty, "anyelement")) val = xprintf("%s::text", vals_text[v]);
				else val = seed_literal(ty, v);
				snprintf(args + strlen(args), sizeof args - strlen(args), "%s%s", a ? ", " : "", val);
				free(val);
			}
			char *call = xprintf("%s(%s)", name, args), *sql;
			/* a set of rows is read back row by row below (x::text), not wrapped */
			if (ret_ext && !retset) { char *c2 = xprintf("fuzz_reread(%s)", call); free(call); call = c2; }
			if (is_agg)
				sql = xprintf("SELECT %s FROM generate_series(1, %d)", call, v % 3 + 1);
			else if (retset)
				sql = xprintf("SELECT count(*), string_agg(x::text, ';') FROM %s x", call);
			else
				sql = xprintf("SELECT (%s)::text", call);
			add_stmt(sql, sig, 1);
			free(sql); free(call);
			if (v == 0 && nargs == 1 && !is_agg) break;	/* one argument: one variant is enough */
			if (v == 0 && nargs - ndef == nargs && nargs > 1 && 0) break;
		}
		free(argtypes);
	}
	PQclear(r);
	naccessors = nstmts;
	/* reading a value: its text and its send() bytes, both as binary results */
	q = xprintf("SELECT v::text, %s_send(v) FROM (SELECT $1 AS v) s", type_name);
	add_stmt(q, "input", 1);
	int i_accept = nstmts - 1;
	if (has_rollup)
	{
		q = xprintf("INSERT INTO fuzz_tab_%s (g, v) SELECT $2, $1 FROM generate_series(1, $3)", type_name);
		add_stmt(q, "insert", 3);
		st_insert = &stmts[nstmts - 1];
	}
	st_accept = &stmts[i_accept];	/* after the last realloc */
	if (has_rollup)
		table_sql = xprintf("CREATE TABLE IF NOT EXISTS fuzz_tab_%s (id bigserial, g int, v %s)", type_name, type_name);
	if (!prepare_all()) { connect_db(1); }
	/* the corpus: seeds as text and send() bytes; a seed that does not read back is a finding */
	q = xprintf("SELECT val FROM fuzz_seed WHERE typ = %u ORDER BY val", type_oid);
	r = exec_ok(q);
	for (int row = 0; row < PQntuples(r); row++)
	{
		const char *v = PQgetvalue(r, row, 0);
		int fmt = 0;
		PGresult *x = PQexecPrepared(conn, st_accept->name, 1, &v, NULL, &fmt, 1);
		if (PQresultStatus(x) == PGRES_TUPLES_OK && PQntuples(x) == 1)
		{
			corpus_add(PQgetvalue(x, 0, 0), PQgetlength(x, 0, 0), PQgetvalue(x, 0, 1), PQgetlength(x, 0, 1));
			seen_add(hash_bytes(PQgetvalue(x, 0, 1), PQgetlength(x, 0, 1)));
		}
		else if (!PQresultErrorField(x, PG_DIAG_SQLSTATE) && PQstatus(conn) != CONNECTION_OK)
		{
			/* the server went down (another driver's input): again */
			connect_db(1);
			row--;
		}
		else
			finding("seed-unreadable", PQresultErrorField(x, PG_DIAG_SQLSTATE), PQresultErrorField(x, PG_DIAG_MESSAGE_PRIMARY),
					"input", st_accept->sql, v, strlen(v), 0, "a value built by test/fuzz/seed.sql (the extension's own output) is rejected by the input function");
		PQclear(x);
	}
	nseeds = corpus.n;
	PQclear(r);
	if (!nseeds) die("no seed values of %s in fuzz_seed (run test/fuzz/seed.sql)", type_name);
}

/* ---------- the checks of accepted values ---------- */

#define TABLE_GROUPS 16
static Buf pending[TABLE_GROUPS]; static int npending;

static Job *new_jobs(int n) { Job *j = calloc(n, sizeof *j); if (!j) die("oom"); return j; }

/* the table checks' statements, prepared on first use and on every reconnection */
static Stmt *adhoc_stmt(int k, const char *name, const char *sql)
{
	if (!adhoc[k].name)
	{
		adhoc[k].name = xprintf("t%d", k); adhoc[k].sql = xstrdup(sql); adhoc[k].fn = xstrdup(name);
		adhoc[k].nparams = strstr(sql, "$1") != NULL;
		PQclear(PQprepare(conn, adhoc[k].name, adhoc[k].sql, adhoc[k].nparams, (Oid[]) {23}));
	}
	return &adhoc[k];
}

static void table_checks(void)
{
	char *hexes[TABLE_GROUPS]; int n = npending;
	Job *jobs = new_jobs(7 * n + 12);
	int nj = 0;
	char sz[TABLE_GROUPS][2][16];
	char *sql;
	n_table_batches++;
	sql = xprintf("TRUNCATE fuzz_tab_%s", type_name);
	PQclear(PQexec(conn, sql)); free(sql);
	for (int g = 0; g < n; g++) hexes[g] = hex(pending[g].p, pending[g].n);
	for (int g = 0; g < n; g++)
	{
		Job *j = &jobs[nj++];
		snprintf(sz[g][0], 16, "%d", g); snprintf(sz[g][1], 16, "%d", 2 + (int) rn(4));
		j->st = st_insert; j->param[0] = pending[g].p; j->plen[0] = (int) pending[g].n; j->pfmt[0] = 1;
		j->param[1] = sz[g][0]; j->param[2] = sz[g][1]; j->in = pending[g].p; j->in_n = pending[g].n; j->in_bin = 1;
		if (g + 1 < n && rn(4) == 0)
		{	/* a mixed group: one copy of the next value too */
			Job *k = &jobs[nj++]; *k = *j;
			k->param[0] = pending[g + 1].p; k->plen[0] = (int) pending[g + 1].n; k->param[2] = "1";
		}
	}
	/* per group (so that one group's overflow spoils no other): serial
	 * rollup, the window inverse and per-frame rollups, then forced-parallel rollup */
	char *q_roll = xprintf("SELECT fuzz_reread(rollup(v)) FROM fuzz_tab_%s WHERE g = $1", type_name);
	char *q_win = xprintf("SELECT string_agg(id || ':' || r, E'\\n' ORDER BY id) FROM (SELECT id, fuzz_reread(rollup(v) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)) r FROM fuzz_tab_%s WHERE g = $1) s", type_name);
	char *q_frame = xprintf("SELECT string_agg(id || ':' || r, E'\\n' ORDER BY id) FROM (SELECT f.id, (SELECT fuzz_reread(rollup(v)) FROM fuzz_tab_%s f2 WHERE f2.g = f.g AND f2.id BETWEEN f.id - 2 AND f.id) r FROM fuzz_tab_%s f WHERE f.g = $1) s", type_name, type_name);
	int ser = nj, win = 0, par = 0;
	for (int g = 0; g < n; g++) { jobs[nj].st = adhoc_stmt(0, "rollup serial", q_roll); jobs[nj].param[0] = sz[g][0]; nj++; }
	if (has_minv)
	{
		win = nj;
		for (int g = 0; g < n; g++)
		{
			jobs[nj].st = adhoc_stmt(4, "window moving", q_win); jobs[nj].param[0] = sz[g][0]; nj++;
			jobs[nj].st = adhoc_stmt(5, "window per frame", q_frame); jobs[nj].param[0] = sz[g][0]; nj++;
		}
	}
	jobs[nj++].st = adhoc_stmt(1, "force parallel", "SELECT fuzz_force_parallel(true)");
	par = nj;
	for (int g = 0; g < n; g++) { jobs[nj].st = adhoc_stmt(2, "rollup parallel", q_roll); jobs[nj].param[0] = sz[g][0]; nj++; }
	jobs[nj++].st = adhoc_stmt(3, "serial", "SELECT fuzz_force_parallel(false)");
	long connects = n_connects;
	run_jobs(jobs, nj);
	/* a restart meanwhile (a crash, by any driver) may have lost the table's
	 * rows (the test clusters run with synchronous_commit = off): no comparison */
	if (n_connects != connects) { n_table_skipped += n; n = 0; }
	for (int g = 0; g < n; g++)
	for (int pair = 0; pair < (has_minv ? 2 : 1); pair++)
	{
		Job *a = pair ? &jobs[win + 2 * g] : &jobs[ser + g], *b = pair ? &jobs[win + 2 * g + 1] : &jobs[par + g];
		const char *kind = pair ? "window-mismatch" : "parallel-mismatch";
		const char *an = a->st->fn, *bn = b->st->fn;
		char *all = xprintf("\n    %s (%s copies)%s", hexes[g], sz[g][1], g + 1 < n ? "\n    and perhaps one copy of the next group's value" : "");
		if (a->ok == 1 && b->ok == 1)
		{
			const char *x = a->ncols ? a->col[0].p : "", *y = b->ncols ? b->col[0].p : "";
			if (!same_text_approx(x, y))
			{
				char *d = xprintf("%s:\n%s\n  vs %s:\n%s\n  values (send() hex):%s", an, x, bn, y, all);
				finding(kind, "-", "results differ", an, a->st->sql, NULL, 0, 0, d);
				free(d);
			}
		}
		else if (a->ok != b->ok && a->ok >= 0 && b->ok >= 0)
		{
			char *d = xprintf("%s: %s %s\n  %s: %s %s\n  values (send() hex):%s", an, a->ok ? "ok" : a->state, a->msg ? a->msg : "",
							  bn, b->ok ? "ok" : b->state, b->msg ? b->msg : "", all);
			finding(kind, "-", "one form fails, the other does not", an, a->st->sql, NULL, 0, 0, d);
			free(d);
		}
		else if (a->ok == 0) n_table_skipped++;
		free(all);
	}
	for (int g = 0; g < npending; g++) free(hexes[g]);
	for (int i = 0; i < nj; i++) job_clear(&jobs[i]);
	free(jobs);
	for (int g = 0; g < npending; g++) free(pending[g].p);
	npending = 0;
	free(q_roll); free(q_win); free(q_frame);
}

/* ---------- the main loop ---------- */

typedef struct Input { Buf b; int bin; } Input;

static int accessor_jobs(Job *jobs, int nj, Buf *bin, const Input *in, int all_variants)
{
	/* variant 0 of every accessor, plus a few random other variants (all of them when replaying) */
	for (int s = 0; s < naccessors; s++)
	{
		int v0 = (s == 0 || strcmp(stmts[s].fn, stmts[s - 1].fn) != 0);
		if (!v0 && !all_variants && rn(6) != 0) continue;
		Job *j = &jobs[nj++];
		j->st = &stmts[s]; j->param[0] = bin->p; j->plen[0] = (int) bin->n; j->pfmt[0] = 1; j->resfmt = 0;
		j->in = in->b.p; j->in_n = in->b.n; j->in_bin = in->bin; j->tag = 3;
	}
	return nj;
}

/* Process a batch of inputs: read each; the new accepted ones are round-tripped and put through every accessor. */
static void process(Input *ins, int n, int replay)
{
	Job *jobs = new_jobs(n);
	for (int i = 0; i < n; i++)
	{
		Job *j = &jobs[i];
		j->st = st_accept; j->param[0] = ins[i].b.p; j->plen[0] = (int) ins[i].b.n; j->pfmt[0] = ins[i].bin; j->resfmt = 1;
		j->in = ins[i].b.p; j->in_n = ins[i].b.n; j->in_bin = ins[i].bin; j->idx = i;
	}
	run_jobs(jobs, n);
	int cap = 0, nj = 0;
	Job *more = NULL;
	Buf *texts = calloc(n, sizeof(Buf)), *bins = calloc(n, sizeof(Buf));
	for (int i = 0; i < n; i++)
	{
		Job *j = &jobs[i];
		if (replay) printf("input (%s): %s\n", ins[i].bin ? "binary" : "text", j->ok == 1 ? "accepted" : j->state);
		if (replay && j->ok != 1) printf("  %s\n", j->msg ? j->msg : "");
		if (j->ok != 1 || j->ncols < 2) { n_rejected++; continue; }
		n_accepted++;
		texts[i] = j->col[0]; bins[i] = j->col[1];
		if (replay) printf("  text: %s\n", texts[i].p);
		if (!replay && !seen_add(hash_bytes(bins[i].p, bins[i].n))) continue;
		n_distinct++;
		corpus_add(texts[i].p, texts[i].n, bins[i].p, bins[i].n);
		if (cap < nj + 2 + naccessors) { cap = nj + 2 + naccessors + 64; more = realloc(more, cap * sizeof *more); }
		/* the round trips: its text read as text, its send() bytes read as binary */
		for (int k = 0; k < 2; k++)
		{
			Job *r = &more[nj++]; memset(r, 0, sizeof *r);
			r->st = st_accept; r->param[0] = k ? bins[i].p : texts[i].p; r->plen[0] = (int) (k ? bins[i].n : texts[i].n);
			r->pfmt[0] = k; r->resfmt = 1; r->in = ins[i].b.p; r->in_n = ins[i].b.n; r->in_bin = ins[i].bin; r->tag = 1 + k; r->idx = i;
		}
		int before = nj;
		nj = accessor_jobs(more, nj, &bins[i], &ins[i], replay);
		for (int k = before; k < nj; k++) { more[k].idx = i; }
		if (has_rollup && !replay && npending < TABLE_GROUPS && rn(4) == 0)
			pending[npending++] = buf_copy(bins[i].p, bins[i].n);
	}
	if (nj) run_jobs(more, nj);
	for (int k = 0; k < nj; k++)
	{
		Job *r = &more[k]; int i = r->idx;
		if (replay && r->tag == 3)
			printf("  %s: %s %s\n", r->st->sql, r->ok == 1 ? "ok" : r->state, r->ok == 1 ? (r->ncols ? r->col[0].p : "") : (r->msg ? r->msg : ""));
		if (r->tag == 1 || r->tag == 2)
		{
			const char *how = r->tag == 1 ? "text" : "binary";
			if (replay) printf("  %s round trip: %s\n", how, r->ok == 1 ? "ok" : r->state);
			if (r->ok == 0)
			{
				char *d = xprintf("accepted value, read back through %s input, fails: %s", how, texts[i].p);
				finding(r->tag == 1 ? "roundtrip-text" : "roundtrip-binary", r->state, r->msg, "input", st_accept->sql,
						ins[i].b.p, ins[i].b.n, ins[i].bin, d);
				free(d);
			}
			else if (r->ok == 1 && (r->ncols < 2 || r->col[0].n != texts[i].n || memcmp(r->col[0].p, texts[i].p, texts[i].n) ||
									r->col[1].n != bins[i].n || memcmp(r->col[1].p, bins[i].p, bins[i].n)))
			{
				char *h1 = hex(bins[i].p, bins[i].n), *h2 = r->ncols > 1 ? hex(r->col[1].p, r->col[1].n) : xstrdup("");
				char *d = xprintf("first read: %s [%s]\n  read back through %s: %s [%s]", texts[i].p, h1, how, r->ncols ? r->col[0].p : "", h2);
				finding(r->tag == 1 ? "roundtrip-text" : "roundtrip-binary", "-", "the value changes on a round trip", "input",
						st_accept->sql, ins[i].b.p, ins[i].b.n, ins[i].bin, d);
				free(d); free(h1); free(h2);
			}
		}
	}
	for (int k = 0; k < nj; k++) job_clear(&more[k]);
	free(more);
	for (int i = 0; i < n; i++) job_clear(&jobs[i]);
	free(jobs); free(texts); free(bins);
	if (has_rollup && npending >= TABLE_GROUPS) table_checks();
}

static void usage(void)
{
	fprintf(stderr, "usage: driver --type TYPE [--seed N] [--inputs N] [--batch N] [--log SERVER_LOG] [--findings FILE]\n"
			"              [--timeout-ms N] [--max-crashes N (default 5, then stop)] [--replay-text LITERAL | --replay-hex HEX]\n"
			"Connects with the libpq environment (PGHOST, PGPORT, PGDATABASE, PGUSER).\n");
	exit(2);
}

int main(int argc, char **argv)
{
	opt_seed = (uint64_t) time(NULL) ^ ((uint64_t) getpid() << 16);
	for (int i = 1; i < argc; i++)
	{
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--type") && v) opt_type = argv[++i];
		else if (!strcmp(a, "--seed") && v) opt_seed = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(a, "--inputs") && v) opt_inputs = atol(argv[++i]);
		else if (!strcmp(a, "--batch") && v) opt_batch = atol(argv[++i]);
		else if (!strcmp(a, "--log") && v) opt_log = argv[++i];
		else if (!strcmp(a, "--findings") && v) opt_findings = argv[++i];
		else if (!strcmp(a, "--timeout-ms") && v) opt_timeout_ms = atol(argv[++i]);
		else if (!strcmp(a, "--max-crashes") && v) opt_max_crashes = atol(argv[++i]);
		else if (!strcmp(a, "--max-findings") && v) opt_max_findings = atol(argv[++i]);
		else if (!strcmp(a, "--replay-text") && v) opt_replay_text = argv[++i];
		else if (!strcmp(a, "--replay-hex") && v) opt_replay_hex = argv[++i];
		else if (!strcmp(a, "--verbose")) opt_verbose = 1;
		else usage();
	}
	if (!opt_type) usage();
	findings_fp = fopen(opt_findings, "a");
	if (!findings_fp) die("cannot open %s", opt_findings);
	setvbuf(stdout, NULL, _IOLBF, 0);
	seen = calloc(SEEN_SIZE, sizeof *seen);
	rng_state = opt_seed ^ hash_bytes(opt_type, strlen(opt_type));	/* one stream per type */
	log_offset = log_size();
	connect_db(1);
	load_catalog();

	if (opt_replay_text || opt_replay_hex)
	{
		Input in;
		if (opt_replay_hex) { in.b = unhex(opt_replay_hex); in.bin = 1; }
		else { in.b = buf_copy(opt_replay_text, strlen(opt_replay_text)); in.bin = 0; }
		process(&in, 1, 1);
		printf("%s: replay: %ld findings\n", type_name, n_findings);
		return n_findings ? 1 : 0;
	}

	double t0 = now_s();
	Input *ins = calloc(opt_batch, sizeof *ins);
	while (n_inputs < opt_inputs && n_findings < opt_max_findings && n_crashes < opt_max_crashes)
	{
		int n = 0;
		for (; n < opt_batch && n_inputs < opt_inputs; n++, n_inputs++)
		{
			int c = (int) rn(corpus.n), bin = (int) rn(2), k = 1 + (int) rn(rn(3) ? 2 : 5);
			Buf cur = buf_copy(bin ? corpus.bin[c].p : corpus.text[c].p, bin ? corpus.bin[c].n : corpus.text[c].n);
			for (int m = 0; m < k; m++)
			{
				Buf next = bin ? mutate_bin_once(cur) : mutate_text_once(cur);
				free(cur.p); cur = next;
				if (cur.n > 1000000) { cur.n = 1000000; cur.p[cur.n] = 0; }
			}
			/* text parameters are C strings: cut at an embedded NUL */
			if (!bin) cur.n = strlen(cur.p);
			ins[n].b = cur; ins[n].bin = bin;
		}
		process(ins, n, 0);
		for (int i = 0; i < n; i++) free(ins[i].b.p);
		if (opt_verbose)
			fprintf(stderr, "%s: %ld inputs %.0f/s\n", type_name, n_inputs, n_inputs / (now_s() - t0));
	}
	if (has_rollup && npending) table_checks();
	double dt = now_s() - t0;
	if (n_crashes >= opt_max_crashes) printf("%s: stopped after %ld crashes\n", type_name, n_crashes);
	printf("%s: %ld inputs, %ld accepted (%ld distinct), %ld rejected, %ld findings (%ld distinct), %ld crashes, "
		   "%ld timeouts, %ld queries, %ld table batches (%ld skipped), %.1f s, %.0f inputs/s, seed %llu\n",
		   type_name, n_inputs, n_accepted, n_distinct, n_rejected,
		   n_findings, n_unique, n_crashes, n_timeouts, n_queries, n_table_batches, n_table_skipped, dt, n_inputs / (dt > 0 ? dt : 1),
		   (unsigned long long) opt_seed);
	for (int i = 0; i < nsig; i++)
		printf("  %6ld x %s\n", sig_count[i], sig_desc[i]);
	PQfinish(conn);
	return n_findings ? 1 : 0;
}
