#!/usr/bin/env bash
# Machine setup for a fresh clone; safe to run again (each step is skipped when already done).
#   1. python3.11, java (17+, with the compiler), mvn, gcc and Hyperscan's headers and library
#      (libhyperscan-dev, for the detector's C extension); Debian packages only if missing
#   2. the virtualenv .venv with the project installed editable (the C extension built in place),
#      extras dev and bench
#   3. the Kafka broker jars (scripts/kafka.sh install)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT
VENV_DIR="${VENV_DIR:-$REPO_ROOT/.venv}"
EXTRAS="dev,bench"

usage() {
    cat <<EOF
Usage: scripts/setup.sh [--no-bench]

  --no-bench   install only the project's [dev] extra (skips confluent-kafka, presidio, profilers)

Environment: VENV_DIR [<repo>/.venv], plus the KAFKA_* variables of scripts/kafka.sh.
EOF
}

log() { echo "setup.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

parse_args() {
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --no-bench) EXTRAS="dev" ;;
            -h | --help) usage; exit 0 ;;
            *) usage >&2; die "unknown option '$1'" ;;
        esac
        shift
    done
}

# Installs Debian packages, but only when a tool is missing and only where apt-get can run.
apt_install() {
    command -v apt-get >/dev/null || die "missing tools and no apt-get: install $* by hand"
    local sudo=()
    if [[ "$(id -u)" != 0 ]]; then
        command -v sudo >/dev/null || die "missing tools; run as root or install: $*"
        sudo=(sudo)
    fi
    log "installing Debian packages: $*"
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

java_major_version() {
    # "17.0.15" -> 17; old releases print "1.8.0_x" -> 1, which is also too old.
    java -XshowSettings:properties -version 2>&1 |
        sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
}

ensure_tools() {
    local missing=()
    command -v python3.11 >/dev/null || missing+=(python3.11 python3.11-venv)
    # The JDK, not the JRE: `kafka.sh topics` runs a Java source file, which needs the compiler.
    if ! command -v java >/dev/null || ! command -v javac >/dev/null; then
        missing+=(openjdk-17-jdk-headless)
    fi
    command -v mvn >/dev/null || missing+=(maven)
    command -v gcc >/dev/null || missing+=(gcc)
    [[ -f /usr/include/hs/hs.h ]] || missing+=(libhyperscan-dev)
    python3.11 -c 'import sysconfig, os, sys; sys.exit(not os.path.isfile(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' 2>/dev/null ||
        missing+=(python3.11-dev)
    if [[ ${#missing[@]} -gt 0 ]]; then
        apt_install "${missing[@]}"
    fi
    local tool
    for tool in python3.11 java javac mvn; do
        command -v "$tool" >/dev/null || die "$tool is still missing after installing packages"
    done
    local java_major
    java_major="$(java_major_version)"
    (( ${java_major:-0} >= 17 )) || die "Kafka 4 needs Java 17 or newer; 'java' here is version ${java_major:-unknown}"
    log "tools: $(python3.11 --version), java $java_major, $(mvn -v 2>/dev/null | head -n 1 | sed 's/\x1b\[[0-9;]*m//g')"
}

ensure_venv() {
    if [[ ! -x "$VENV_DIR/bin/python" ]]; then
        log "creating $VENV_DIR"
        python3.11 -m venv "$VENV_DIR" ||
            die "python3.11 -m venv failed (on Debian: apt-get install python3.11-venv)"
    fi
    # The stamp records what was installed: pip runs again only when pyproject.toml, the
    # sources compiled by setup.py (the C extension, the mypyc-compiled detection modules) or the
    # chosen extras change.
    local stamp_file="$VENV_DIR/.pii-firewall-installed"
    local wanted
    wanted="$(cat "$REPO_ROOT/pyproject.toml" "$REPO_ROOT/setup.py" "$REPO_ROOT"/firewall/detection/*.py \
        "$REPO_ROOT/firewall/detection/_native.c" | sha256sum | cut -d' ' -f1) [$EXTRAS]"
    if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$wanted" ]]; then
        log "$VENV_DIR is up to date with pyproject.toml [$EXTRAS]"
        return 0
    fi
    log "installing the project into $VENV_DIR with extras [$EXTRAS]"
    (cd "$REPO_ROOT" && "$VENV_DIR/bin/pip" install --quiet -e ".[$EXTRAS]")
    echo "$wanted" >"$stamp_file"
}

main() {
    parse_args "$@"
    ensure_tools
    ensure_venv
    "$REPO_ROOT/scripts/kafka.sh" install
    log "done. Start a broker with scripts/kafka.sh start; run tests with $VENV_DIR/bin/pytest"
}

main "$@"
