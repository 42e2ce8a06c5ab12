# Shared by demo/run, test/run and bench/run: install what is missing, build and
# install the extension, and run throwaway PostgreSQL clusters in temp dirs on
# Unix sockets.  Source it; it defines functions and sets nothing else up.
#
# Clusters run as the invoking user, or as "postgres" when that user is root
# (initdb refuses root).  Everything a cluster or psql must read is copied to a
# temp dir that user owns, since the clone may sit in a home directory that
# nobody else can read.

CRM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# the data directories' parents of the servers crm_server_start started
CRM_CLUSTER_DIRS=()

crm_say() { printf '==> %s\n' "$*" >&2; }
crm_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Run a command as root: directly when we are root, else through sudo.
crm_as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The user that owns throwaway clusters.
crm_cluster_user() {
	if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi
}

# Run a command as the cluster user, with a clean working directory.
crm_as_cluster_user() {
	local u; u=$(crm_cluster_user)
	if [ "$u" = "$(id -un)" ]; then
		(cd /tmp && "$@")
	else
		(cd /tmp && runuser -u "$u" -- "$@")
	fi
}

# Install the named Debian packages that are not installed yet.
crm_ensure_packages() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	crm_say "installing ${missing[*]}"
	crm_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
		crm_die "apt-get update failed"
	crm_as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		crm_die "could not install ${missing[*]}"
}

# The major version of PostgreSQL to use when neither PG_CONFIG nor
# CRM_PG_MAJOR says: the newest server already installed from packages, else
# the one the distribution's "postgresql" package depends on (13 on Debian 11,
# 15 on Debian 12, 17 on Debian 13, 18 on unstable; Ubuntu's likewise).
crm_default_pg_major() {
	local v
	v=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/postgres' 2>/dev/null |
		sed -n 's|^/usr/lib/postgresql/\([0-9][0-9]*\)/bin/postgres$|\1|p' | sort -n | tail -n 1)
	if [ -z "$v" ]; then
		v=$(crm_distribution_pg_major)
		if [ -z "$v" ]; then
			crm_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 ||
				crm_die "apt-get update failed"
			v=$(crm_distribution_pg_major)
		fi
	fi
	[ -n "$v" ] || crm_die "cannot tell which PostgreSQL to use: set CRM_PG_MAJOR (e.g. 15) or PG_CONFIG"
	echo "$v"
}

crm_distribution_pg_major() {
	apt-cache depends postgresql 2>/dev/null |
		sed -n 's/^ *Depends: postgresql-\([0-9][0-9]*\)$/\1/p' | head -n 1
}

# What building and running the extension needs, and which PostgreSQL: the one
# of PG_CONFIG (the path of its pg_config) if set, else major version
# CRM_PG_MAJOR from the distribution's packages if set, else
# crm_default_pg_major's.  Sets CRM_PG_MAJOR, CRM_BINDIR and PG_CONFIG.
crm_ensure_server() {
	crm_ensure_packages make gcc libc6-dev
	if [ -n "${PG_CONFIG:-}" ]; then
		command -v "$PG_CONFIG" >/dev/null || crm_die "PG_CONFIG=$PG_CONFIG not found"
		CRM_PG_MAJOR=$("$PG_CONFIG" --version | sed -n 's/^PostgreSQL \([0-9][0-9]*\).*/\1/p')
		[ -n "$CRM_PG_MAJOR" ] || crm_die "PG_CONFIG=$PG_CONFIG does not print a PostgreSQL version"
		CRM_BINDIR=${CRM_BINDIR:-$("$PG_CONFIG" --bindir)}
	else
		CRM_PG_MAJOR=${CRM_PG_MAJOR:-$(crm_default_pg_major)} || exit 1
		crm_ensure_packages "postgresql-$CRM_PG_MAJOR" "postgresql-server-dev-$CRM_PG_MAJOR"
		# CRM_BINDIR may name another PostgreSQL $CRM_PG_MAJOR tree, e.g. a
		# private copy so that two work trees can be built and tested at once.
		CRM_BINDIR=${CRM_BINDIR:-/usr/lib/postgresql/$CRM_PG_MAJOR/bin}
		PG_CONFIG=$CRM_BINDIR/pg_config
		[ -x "$PG_CONFIG" ] || crm_die "$PG_CONFIG not found"
	fi
	[ -x "$CRM_BINDIR/initdb" ] || crm_die "no initdb in $CRM_BINDIR: is the PostgreSQL $CRM_PG_MAJOR server installed?"
	crm_say "PostgreSQL $CRM_PG_MAJOR ($CRM_BINDIR)"
	export PG_CONFIG CRM_PG_MAJOR
}

# CRM_SANITIZE=1 builds with AddressSanitizer and UndefinedBehaviorSanitizer.
# -fno-wrapv undoes PostgreSQL's -fwrapv, under which signed overflow is not
# undefined and UBSan would not check it.
CRM_SANITIZE_FLAGS="-fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all \
-fno-omit-frame-pointer -fno-wrapv"

# Build in the clone as the invoking user, install as root.  The build mode
# (plain or sanitize) is kept in .build-mode: a change of mode rebuilds all.
crm_build_install() {
	local mode=plain flags=()
	if [ "${CRM_SANITIZE:-0}" = 1 ]; then
		mode=sanitize
		flags=(PG_CFLAGS="$CRM_SANITIZE_FLAGS" PG_LDFLAGS="$CRM_SANITIZE_FLAGS")
		crm_sanitizer_runtime >/dev/null
	fi
	if [ "$(cat "$CRM_ROOT/.build-mode" 2>/dev/null || echo plain)" != "$mode" ]; then
		make -s -C "$CRM_ROOT" PG_CONFIG="$PG_CONFIG" clean >/dev/null
	fi
	echo "$mode" >"$CRM_ROOT/.build-mode"
	crm_say "building crm_kpi ($mode)"
	make -s -C "$CRM_ROOT" PG_CONFIG="$PG_CONFIG" "${flags[@]}" >/dev/null || crm_die "build failed"
	if [ "$mode" = sanitize ]; then
		nm -D "$CRM_ROOT/crm_kpi.so" | grep __asan_init >/dev/null ||
			crm_die "crm_kpi.so is not instrumented"
	fi
	crm_say "installing crm_kpi into $("$PG_CONFIG" --pkglibdir)"
	crm_as_root make -s -C "$CRM_ROOT" PG_CONFIG="$PG_CONFIG" "${flags[@]}" install >/dev/null ||
		crm_die "make install failed"
}

# The ASan and UBSan runtimes (for LD_PRELOAD, colon-separated); gcc brings them.
crm_sanitizer_runtime() {
	local lib f libs=()
	for lib in libasan.so libubsan.so; do
		f=$(readlink -f "$(gcc -print-file-name=$lib)")
		[ -f "$f" ] || crm_die "$lib not found: install gcc's sanitizer runtimes (libasan, libubsan)"
		libs+=("$f")
	done
	(IFS=:; echo "${libs[*]}")
}

# A temp dir owned by the cluster user; its path is printed.
crm_tempdir() {
	local d; d=$(mktemp -d "${TMPDIR:-/tmp}/crm_kpi.XXXXXX")
	chmod 755 "$d"
	[ "$(crm_cluster_user)" = "$(id -un)" ] || chown "$(crm_cluster_user)" "$d"
	echo "$d"
}

# Copy files or directories into a dir readable by the cluster user.
crm_stage() {
	local dest=$1; shift
	cp -R "$@" "$dest"/
	[ "$(crm_cluster_user)" = "$(id -un)" ] || chown -R "$(crm_cluster_user)" "$dest"
}

# crm_cluster_start DIR [postgres option ...]: initdb in DIR/data and start a
# server that listens only on a Unix socket in DIR.  Sets PGHOST and PGPORT.
crm_cluster_start() {
	crm_server_start "$@"
	export PGHOST=$1 PGPORT=${CRM_PORT:-54329} PGUSER=postgres
}

# crm_server_start DIR [postgres option ...]: the same without setting PGHOST
# and PGPORT, for further servers (test/run's shards), each in its own DIR.
# The port, CRM_PORT (default 54329), only names the socket file in DIR
# (.s.PGSQL.PORT): no TCP port is bound, so servers of concurrent runs, each
# in its own temp dir, never collide.  crm_cluster_stop stops them all.
crm_server_start() {
	local dir=$1; shift
	local port=${CRM_PORT:-54329}
	local opts=(-c listen_addresses= -c "unix_socket_directories=$dir" -c fsync=off
		-c synchronous_commit=off -c full_page_writes=off "$@")
	CRM_CLUSTER_DIRS+=("$dir")
	crm_as_cluster_user "$CRM_BINDIR/initdb" -D "$dir/data" -U postgres -A trust \
		--no-sync -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; crm_die "initdb failed"; }
	# Under CRM_SANITIZE=1 the server preloads the sanitizer runtimes and every
	# report goes to DIR/sanitizer.PID (checked by crm_cluster_check); no JIT,
	# whose bitcode of the extension is not instrumented.  DIR/asan_first.so,
	# flagged INITFIRST, starts ASan before any other library's constructor
	# (p11-kit's, linked in through libldap, calls newlocale(), and an ASan
	# start-up inside it breaks glibc's locale lock: postgres hangs).  It also
	# gives UBSan its options: UBSan starts at its first report, in a backend,
	# where it reads them from /proc/self/environ, which the postmaster has
	# overwritten with its process title (its reports go to the server log).
	local env=()
	if [ "${CRM_SANITIZE:-0}" = 1 ]; then
		local asan="detect_leaks=0:abort_on_error=1:log_path=$dir/sanitizer"
		local ubsan="print_stacktrace=1:halt_on_error=1:abort_on_error=1"
		gcc -shared -fPIC -Wl,-z,initfirst -x c - -lasan -o "$dir/asan_first.so" <<-EOF ||
			void __asan_init(void);
			__attribute__((constructor)) static void init(void) { __asan_init(); }
			const char *__ubsan_default_options(void) { return "$ubsan"; }
		EOF
			crm_die "could not build asan_first.so"
		local libasan libubsan
		IFS=: read -r libasan libubsan <<<"$(crm_sanitizer_runtime)"
		# libasan first, as ASan requires; asan_first.so before libubsan, so
		# that its __ubsan_default_options is the one found
		env=(LD_PRELOAD="$libasan:$dir/asan_first.so:$libubsan"
			ASAN_OPTIONS="$asan" UBSAN_OPTIONS="$ubsan")
		opts+=(-c jit=off)
	fi
	crm_as_cluster_user env "${env[@]}" "$CRM_BINDIR/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
		-o "-p $port $(printf '%q ' "${opts[@]}")" start >/dev/null ||
		{ cat "$dir/server.log" >&2; crm_die "the server did not start"; }
}

# crm_cluster_check DIR: print every sanitizer report and every server process
# killed by a signal from the cluster in DIR; fails if there is any.
crm_cluster_check() {
	local dir=$1 f rc=0
	for f in "$dir"/sanitizer.*; do
		[ -s "$f" ] || continue
		printf 'not ok: sanitizer report %s\n' "$f"; cat "$f"; rc=1
	done
	# UBSan writes its reports (with a stack trace) to the server log
	if grep -E 'terminated by signal|runtime error:|Sanitizer|^    #[0-9]+ ' "$dir/server.log"; then
		echo "not ok: a server process crashed or a sanitizer reported (server log above)"; rc=1
	fi
	return $rc
}

# Stop every server started and still running, the last first.  Always
# succeeds, so that exit traps under set -e go on to remove the temp dir.
crm_cluster_stop() {
	local i
	for ((i = ${#CRM_CLUSTER_DIRS[@]} - 1; i >= 0; i--)); do
		crm_server_stop "${CRM_CLUSTER_DIRS[$i]}"
	done
}

# crm_server_stop DIR: stop the server started in DIR (always succeeds).
crm_server_stop() {
	local d rest=()
	crm_as_cluster_user "$CRM_BINDIR/pg_ctl" -D "$1/data" -m fast -w stop \
		>/dev/null 2>&1 || crm_say "could not stop the cluster in $1"
	for d in "${CRM_CLUSTER_DIRS[@]}"; do [ "$d" = "$1" ] || rest+=("$d"); done
	CRM_CLUSTER_DIRS=("${rest[@]}")
}

# psql against the throwaway cluster, as the cluster user.
crm_psql() {
	crm_as_cluster_user env PGHOST="$PGHOST" PGPORT="$PGPORT" PGUSER=postgres \
		"$CRM_BINDIR/psql" -X -v ON_ERROR_STOP=1 "$@"
}
