# Makes sure the services IRISX's tests use run on loopback: NATS with JetStream on 127.0.0.1:4222 and
# PostgreSQL on 127.0.0.1:5432 (trust auth for local connections, database "test"). Each is used where it already
# runs, started where installed but stopped, and installed from Debian's packages where absent. Also makes sure the
# tools the tests run are there: dkimpy (python3-dkim), the independent DKIM verifier of the SMTP tests.
# Sourced by scripts/test; needs bash.

NATS_HOST=127.0.0.1
NATS_PORT=4222
PG_HOST=127.0.0.1
PG_PORT=5432

say() { printf 'irisx: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"; else
    say "need root for: $*"; return 1; fi
}

apt_install() {
  say "installing $* from Debian's packages"
  if [ -z "${IRISX_APT_UPDATED:-}" ]; then
    as_root apt-get update -qq >/dev/null
    IRISX_APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Prints the server's INFO line, or fails when nothing answers on the port.
nats_info() {
  local line
  { exec 3<>"/dev/tcp/$NATS_HOST/$NATS_PORT"; } 2>/dev/null || return 1
  IFS= read -r -t 3 line <&3 || { exec 3<&-; return 1; }
  exec 3<&- 3>&-
  printf '%s\n' "$line"
}

wait_for() { # description, seconds, command...
  local what=$1 seconds=$2; shift 2
  local i
  for ((i = 0; i < seconds * 4; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  say "$what did not come up within ${seconds}s"
  return 1
}

ensure_nats() {
  local info
  if info=$(nats_info); then
    case "$info" in
      *'"jetstream":true'*) say "NATS with JetStream is running on $NATS_HOST:$NATS_PORT"; return 0 ;;
      *) say "a NATS server on $NATS_HOST:$NATS_PORT has JetStream off; restart it with -js"; return 1 ;;
    esac
  fi
  local bin
  bin=$(command -v nats-server || true)
  [ -n "$bin" ] || [ ! -x /usr/sbin/nats-server ] || bin=/usr/sbin/nats-server
  if [ -z "$bin" ]; then
    apt_install nats-server
    bin=$(command -v nats-server || echo /usr/sbin/nats-server)
  fi
  local store=/var/lib/nats-server log=/var/log/nats-server.log
  if [ "$(id -u)" -ne 0 ]; then
    store="${XDG_STATE_HOME:-$HOME/.local/state}/irisx/nats"
    log="$store.log"
  fi
  mkdir -p "$store" "$(dirname "$log")" 2>/dev/null || as_root mkdir -p "$store"
  say "starting NATS with JetStream on $NATS_HOST:$NATS_PORT (store $store)"
  nohup "$bin" -a "$NATS_HOST" -p "$NATS_PORT" -js -sd "$store" -l "$log" >/dev/null 2>&1 &
  wait_for "NATS" 20 nats_info
}

pg_ready() {
  pg_isready -q -h "$PG_HOST" -p "$PG_PORT"
}

pg_cluster() { # prints "<version> <name>" of the first local cluster
  if command -v pg_lsclusters >/dev/null 2>&1; then
    pg_lsclusters -h 2>/dev/null | awk 'NR == 1 { print $1, $2 }'
  fi
}

pg_trust_local() { # lets local TCP connections in without a password, as the tests expect
  local version=$1 name=$2 hba
  hba="/etc/postgresql/$version/$name/pg_hba.conf"
  [ -f "$hba" ] || return 0
  if ! grep -Eq '^host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
    say "allowing trusted PostgreSQL connections from loopback ($hba)"
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" reload >/dev/null 2>&1 || true
  fi
}

ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(pg_cluster)" ]; then
    if ! pg_ready; then
      apt_install postgresql
    fi
  fi
  local cluster version name
  cluster=$(pg_cluster)
  if [ -n "$cluster" ]; then
    read -r version name <<<"$cluster"
    pg_trust_local "$version" "$name"
    if ! pg_ready; then
      say "starting PostgreSQL $version/$name"
      as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start
    fi
  fi
  wait_for "PostgreSQL" 30 pg_ready
  if ! psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    say "PostgreSQL on $PG_HOST:$PG_PORT does not let user postgres in without a password"
    return 1
  fi
  if [ "$(psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -Atqc "select 1 from pg_database where datname = 'test'")" != 1 ]; then
    say "creating database test"
    psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -qc 'create database test' >/dev/null
  fi
  say "PostgreSQL is running on $PG_HOST:$PG_PORT"
}

# dkimpy verifies the DKIM signatures IRISX's SMTP provider writes, independently of IRISX; the tests run it with
# Debian's Python (python3-nacl, a dependency of python3-dkim, verifies Ed25519).
ensure_dkimpy() {
  if /usr/bin/python3 -c 'import dkim, nacl' >/dev/null 2>&1; then
    say "dkimpy is installed"
    return 0
  fi
  apt_install python3-dkim
  /usr/bin/python3 -c 'import dkim, nacl' || { say "python3-dkim was installed but does not import"; return 1; }
}

# Headless Chromium and its WebDriver (Debian's chromium and chromium-driver): the reference app's browser tests drive
# its admin console and customer portal with them.
ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    apt_install chromium chromium-driver
  fi
  say "Chromium $(chromium --version 2>/dev/null | awk '{print $2}') and its driver are installed"
}

ensure_build_tools() {
  command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1 || apt_install openjdk-17-jdk-headless
  command -v mvn >/dev/null 2>&1 || apt_install maven
}
