#!/usr/bin/env bash
# One script owns the local Kafka broker (KRaft, broker + controller in one JVM) used for
# dev, demo, CI and the integration tests. The broker jars come from Maven (scripts/kafka/pom.xml);
# no Docker, no mock broker.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT
readonly POM_FILE="$REPO_ROOT/scripts/kafka/pom.xml"
readonly LOG4J_CONFIG="$REPO_ROOT/scripts/kafka/log4j2.properties"

KAFKA_VERSION="${KAFKA_VERSION:-4.4.0}"
KAFKA_HOME_DIR="${KAFKA_HOME_DIR:-$REPO_ROOT/.kafka}"
LIBS_DIR="$KAFKA_HOME_DIR/libs"
KAFKA_PORT="${KAFKA_PORT:-19092}"
KAFKA_STATE_DIR="${KAFKA_STATE_DIR:-$KAFKA_HOME_DIR/run-$KAFKA_PORT}"
KAFKA_AUTO_CREATE="${KAFKA_AUTO_CREATE:-true}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms1g -Xmx1g}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-20}"
# Extra arguments for mvn, e.g. KAFKA_MVN_ARGS=-Dmaven.repo.local=/tmp/m2 (word-split on purpose).
KAFKA_MVN_ARGS="${KAFKA_MVN_ARGS:-}"

readonly STAMP_FILE="$LIBS_DIR/.installed"
readonly PROPS_FILE="$KAFKA_STATE_DIR/server.properties"
readonly PID_FILE="$KAFKA_STATE_DIR/broker.pid"
readonly LOGS_DIR="$KAFKA_STATE_DIR/logs"
readonly SERVER_LOG="$LOGS_DIR/server.log"
readonly STDOUT_LOG="$LOGS_DIR/stdout.log"
readonly DATA_DIR="$KAFKA_STATE_DIR/data"
# Kafka logs this line once the broker and controller are fully up.
readonly STARTED_MARKER="Kafka Server started"

usage() {
    cat <<EOF
Usage: scripts/kafka.sh COMMAND [ARGS]

Commands:
  install                      copy the broker jars (Kafka \$KAFKA_VERSION) into \$KAFKA_HOME_DIR/libs
  start                        start the broker in the background, print its bootstrap address
  stop                         stop it (SIGTERM, then SIGKILL after ${KAFKA_STOP_TIMEOUT}s)
  status                       say whether it runs (exit 0) or not (exit 3)
  logs [-f|LINES]              show the end of the broker log (default 100 lines), -f to follow
  topics create NAME [PARTS]   create a topic (default 4 partitions); fine if it exists
  topics list                  list topic names
  clean                        stop, then delete the state directory

Environment (defaults in brackets):
  KAFKA_VERSION      [4.4.0]
  KAFKA_HOME_DIR     [<repo>/.kafka]          jars go to its libs/ folder
  KAFKA_PORT         [19092]                  the controller uses KAFKA_PORT+1; both < 32768
  KAFKA_STATE_DIR    [\$KAFKA_HOME_DIR/run-\$KAFKA_PORT]
  KAFKA_AUTO_CREATE  [true]                   false disables auto.create.topics.enable
  KAFKA_HEAP_OPTS    [-Xms1g -Xmx1g]
  KAFKA_MVN_ARGS     []                       extra mvn arguments for install
EOF
}

log() { echo "kafka.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

require_java() {
    command -v java >/dev/null || die "java not found (Kafka $KAFKA_VERSION needs Java 17+); run scripts/setup.sh"
}

check_ports() {
    [[ "$KAFKA_PORT" =~ ^[0-9]+$ ]] || die "KAFKA_PORT must be a number, got '$KAFKA_PORT'"
    # A readiness probe aimed at a port in the ephemeral range (32768-60999) can connect to
    # itself before the broker binds, hold the port, and make the broker die with
    # "Address already in use". Below 32768 that cannot happen.
    if (( KAFKA_PORT < 1024 || KAFKA_PORT + 1 >= 32768 )); then
        die "KAFKA_PORT=$KAFKA_PORT: use 1024..32766 (the broker needs it and KAFKA_PORT+1, both below the ephemeral range that starts at 32768)"
    fi
}

check_auto_create() {
    [[ "$KAFKA_AUTO_CREATE" == true || "$KAFKA_AUTO_CREATE" == false ]] ||
        die "KAFKA_AUTO_CREATE must be true or false, got '$KAFKA_AUTO_CREATE'"
}

controller_port() { echo $((KAFKA_PORT + 1)); }
bootstrap_address() { echo "127.0.0.1:$KAFKA_PORT"; }

# --- install ---------------------------------------------------------------------------------

install_stamp() {
    echo "kafka=$KAFKA_VERSION pom=$(sha256sum "$POM_FILE" | cut -d' ' -f1)"
}

is_installed() {
    [[ -f "$STAMP_FILE" ]] && [[ "$(cat "$STAMP_FILE")" == "$(install_stamp)" ]] &&
        compgen -G "$LIBS_DIR/kafka_*-$KAFKA_VERSION.jar" >/dev/null
}

cmd_install() {
    command -v mvn >/dev/null || die "mvn not found; run scripts/setup.sh"
    mkdir -p "$KAFKA_HOME_DIR"
    # Two starts at once (say, a test run and a developer) must not both copy into libs/.
    exec 8>"$KAFKA_HOME_DIR/.install.lock"
    flock 8
    if is_installed; then
        log "Kafka $KAFKA_VERSION jars already in $LIBS_DIR"
        exec 8>&-
        return 0
    fi
    log "copying Kafka $KAFKA_VERSION jars into $LIBS_DIR (Maven)"
    local staging="$LIBS_DIR.partial"
    rm -rf "$staging"
    local mvn_args
    read -r -a mvn_args <<<"$KAFKA_MVN_ARGS"
    if ! mvn -q -B -Dstyle.color=never -f "$POM_FILE" "${mvn_args[@]}" \
            -Dkafka.version="$KAFKA_VERSION" \
            dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$staging" 2>&1 |
            strip_ansi_resets >&2; then
        rm -rf "$staging"
        die "mvn could not fetch Kafka $KAFKA_VERSION"
    fi
    # Replace the whole folder so jars of another version never share the classpath.
    rm -rf "$LIBS_DIR"
    mv "$staging" "$LIBS_DIR"
    install_stamp >"$STAMP_FILE"
    log "installed $(find "$LIBS_DIR" -name '*.jar' | wc -l) jars"
    exec 8>&-
}

# Debian's Maven 3.8 prints bare colour resets even in batch mode; keep real messages only.
strip_ansi_resets() {
    sed -e $'s/\x1b\\[0m//g' -e '/^$/d'
}

ensure_installed() {
    is_installed || cmd_install
}

# --- process helpers -------------------------------------------------------------------------

# The pid of the broker that owns this state dir, or nothing. The pid file is trusted only when
# that process really is kafka.Kafka with our properties file; if the pid file is lost, the
# process list is searched for exactly that command line.
broker_pid() {
    local pid
    if [[ -f "$PID_FILE" ]]; then
        pid="$(cat "$PID_FILE")"
        if is_our_broker "$pid"; then
            echo "$pid"
            return 0
        fi
    fi
    local cmdline_file
    for cmdline_file in /proc/[0-9]*/cmdline; do
        pid="${cmdline_file#/proc/}"
        pid="${pid%/cmdline}"
        if is_our_broker "$pid"; then
            echo "$pid"
            return 0
        fi
    done
    return 0
}

is_our_broker() {
    local pid="$1" cmdline
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    cmdline="$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" || return 1
    [[ "$cmdline" == *" kafka.Kafka $PROPS_FILE"* ]]
}

port_accepts() {
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

show_log_tail() {
    local file
    for file in "$STDOUT_LOG" "$SERVER_LOG"; do
        if [[ -s "$file" ]]; then
            echo "----- last lines of $file -----" >&2
            tail -n 40 "$file" >&2
        fi
    done
}

# --- start -----------------------------------------------------------------------------------

write_properties() {
    local cport
    cport="$(controller_port)"
    mkdir -p "$KAFKA_STATE_DIR" "$LOGS_DIR" "$DATA_DIR"
    cat >"$PROPS_FILE" <<EOF
# Generated by scripts/kafka.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA_DIR
num.partitions=4
auto.create.topics.enable=$KAFKA_AUTO_CREATE
# One node: every internal topic has a single replica.
default.replication.factor=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# The default 50 partitions per internal topic slow down the first consumer group and the
# first transaction by seconds; a dev broker needs few.
offsets.topic.num.partitions=4
transaction.state.log.num.partitions=4
# Consumers in tests join at once; do not wait 3 s for more members.
group.initial.rebalance.delay.ms=0
EOF
}

format_storage_once() {
    [[ -f "$DATA_DIR/meta.properties" ]] && return 0
    local cluster_id
    cluster_id="$(java -cp "$LIBS_DIR/*" kafka.tools.StorageTool random-uuid 2>>"$STDOUT_LOG")" ||
        { show_log_tail; die "StorageTool random-uuid failed"; }
    echo "$cluster_id" >"$KAFKA_STATE_DIR/cluster.id"
    log "formatting $DATA_DIR (cluster id $cluster_id)"
    java -cp "$LIBS_DIR/*" kafka.tools.StorageTool format --ignore-formatted \
            -t "$cluster_id" -c "$PROPS_FILE" >>"$STDOUT_LOG" 2>&1 ||
        { show_log_tail; die "StorageTool format failed"; }
}

launch_broker() {
    # stdin/stdout/stderr are detached so a caller that captures our output (pytest, CI) is not
    # held open by the broker; the lock fd 9 is closed so the broker does not keep the lock.
    local heap_opts
    read -r -a heap_opts <<<"$KAFKA_HEAP_OPTS"
    echo "=== kafka.sh start, $(date -Is)" >>"$STDOUT_LOG"
    nohup java "${heap_opts[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
        -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
        -Djava.awt.headless=true \
        -Dkafka.logs.dir="$LOGS_DIR" \
        -Dlog4j2.configurationFile="$LOG4J_CONFIG" \
        -cp "$LIBS_DIR/*" kafka.Kafka "$PROPS_FILE" \
        </dev/null >>"$STDOUT_LOG" 2>&1 9>&- &
    echo $! >"$PID_FILE"
}

# Ready = the broker logged "started" after byte offset $2 of server.log, and the port accepts.
wait_until_ready() {
    local pid="$1" log_offset="$2" deadline=$((SECONDS + KAFKA_START_TIMEOUT))
    while (( SECONDS < deadline )); do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "the broker (pid $pid) exited during start-up"
            return 1
        fi
        # server.log rolls over at 50 MB; after a roll the new file is read from its start.
        if (( $(stat -c %s "$SERVER_LOG" 2>/dev/null || echo 0) < log_offset )); then
            log_offset=0
        fi
        # grep reads a process substitution: in a pipe, grep -q quitting early could make tail
        # die of SIGPIPE, and pipefail would turn a match into a failure.
        if grep -q "$STARTED_MARKER" < <(tail -c +"$((log_offset + 1))" "$SERVER_LOG" 2>/dev/null) &&
                port_accepts "$KAFKA_PORT"; then
            return 0
        fi
        sleep 0.5
    done
    log "the broker did not become ready within ${KAFKA_START_TIMEOUT}s"
    return 1
}

cmd_start() {
    check_ports
    check_auto_create
    require_java
    ensure_installed
    mkdir -p "$KAFKA_STATE_DIR"
    exec 9>"$KAFKA_STATE_DIR/.start.lock"
    flock 9

    local pid
    pid="$(broker_pid)"
    if [[ -n "$pid" ]]; then
        # Already running: wait in case another start of the same broker is still coming up.
        local deadline=$((SECONDS + KAFKA_START_TIMEOUT))
        until port_accepts "$KAFKA_PORT"; do
            (( SECONDS < deadline )) || { show_log_tail; die "broker pid $pid runs but port $KAFKA_PORT does not answer"; }
            sleep 0.5
        done
        log "already running (pid $pid)"
        bootstrap_address
        return 0
    fi
    rm -f "$PID_FILE"
    local port
    for port in "$KAFKA_PORT" "$(controller_port)"; do
        ! port_accepts "$port" || die "port $port is taken by another process; pick another KAFKA_PORT"
    done

    write_properties
    format_storage_once
    local log_offset=0
    [[ -f "$SERVER_LOG" ]] && log_offset="$(stat -c %s "$SERVER_LOG")"
    log "starting Kafka $KAFKA_VERSION on $(bootstrap_address), state in $KAFKA_STATE_DIR"
    launch_broker
    pid="$(cat "$PID_FILE")"
    if ! wait_until_ready "$pid" "$log_offset"; then
        show_log_tail
        stop_pid "$pid"
        rm -f "$PID_FILE"
        exit 1
    fi
    log "started (pid $pid)"
    bootstrap_address
}

# --- stop, status, logs, clean ---------------------------------------------------------------

stop_pid() {
    local pid="$1" deadline=$((SECONDS + KAFKA_STOP_TIMEOUT))
    kill -TERM "$pid" 2>/dev/null || return 0
    while kill -0 "$pid" 2>/dev/null; do
        if (( SECONDS >= deadline )); then
            log "pid $pid still alive after ${KAFKA_STOP_TIMEOUT}s, sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            # SIGKILL is not refused, but the kernel may need a moment to reap it.
            while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
            return 0
        fi
        sleep 0.2
    done
}

cmd_stop() {
    local pid
    pid="$(broker_pid)"
    if [[ -z "$pid" ]]; then
        rm -f "$PID_FILE"
        log "not running ($KAFKA_STATE_DIR)"
        return 0
    fi
    log "stopping broker pid $pid"
    stop_pid "$pid"
    rm -f "$PID_FILE"
    log "stopped"
}

cmd_status() {
    local pid
    pid="$(broker_pid)"
    if [[ -z "$pid" ]]; then
        echo "not running (state dir $KAFKA_STATE_DIR)"
        return 3
    fi
    if port_accepts "$KAFKA_PORT"; then
        echo "running: pid $pid, bootstrap $(bootstrap_address), state dir $KAFKA_STATE_DIR"
    else
        echo "starting: pid $pid, port $KAFKA_PORT not answering yet, state dir $KAFKA_STATE_DIR"
    fi
}

cmd_logs() {
    [[ -f "$SERVER_LOG" ]] || die "no broker log at $SERVER_LOG"
    case "${1:-100}" in
        -f) tail -n 100 -F "$SERVER_LOG" ;;
        *[!0-9]*) die "logs takes -f or a number of lines, got '$1'" ;;
        *) tail -n "${1:-100}" "$SERVER_LOG" ;;
    esac
}

cmd_clean() {
    cmd_stop
    [[ -d "$KAFKA_STATE_DIR" ]] || return 0
    # Only delete a folder that this script made (it holds server.properties) or an empty one.
    if [[ -f "$PROPS_FILE" || -z "$(ls -A "$KAFKA_STATE_DIR")" ]]; then
        rm -rf "$KAFKA_STATE_DIR"
        log "deleted $KAFKA_STATE_DIR"
    else
        log "left $KAFKA_STATE_DIR alone: it has no server.properties, so kafka.sh did not make it"
    fi
}

# --- topics ----------------------------------------------------------------------------------

# Kafka 4.4.0's TopicCommand lives in the kafka-tools artifact, which Maven cannot resolve here,
# so topics are managed through the Admin client in kafka-clients, run as a Java source file.
run_topic_admin() {
    require_java
    ensure_installed
    local tool_dir="$KAFKA_HOME_DIR/tools"
    mkdir -p "$tool_dir"
    cat >"$tool_dir/TopicAdmin.java" <<'JAVA'
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

public class TopicAdmin {
    public static void main(String[] args) throws Exception {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(config)) {
            if (args[1].equals("list")) {
                admin.listTopics().names().get().stream().sorted().forEach(System.out::println);
                return;
            }
            String name = args[2];
            int partitions = Integer.parseInt(args[3]);
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
                System.out.println("created " + name + " with " + partitions + " partitions");
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                System.out.println(name + " already exists");
            }
        }
    }
}
JAVA
    # Without a log4j2 config the client logs only errors, to the console.
    java -cp "$LIBS_DIR/*" "$tool_dir/TopicAdmin.java" "$(bootstrap_address)" "$@"
}

cmd_topics() {
    case "${1:-}" in
        create)
            [[ -n "${2:-}" ]] || die "usage: kafka.sh topics create NAME [PARTITIONS]"
            local partitions="${3:-4}"
            [[ "$partitions" =~ ^[1-9][0-9]*$ ]] || die "PARTITIONS must be a positive number"
            run_topic_admin create "$2" "$partitions"
            ;;
        list) run_topic_admin list ;;
        *) die "usage: kafka.sh topics create NAME [PARTITIONS] | topics list" ;;
    esac
}

main() {
    local command="${1:-}"
    [[ $# -gt 0 ]] && shift
    case "$command" in
        install) cmd_install ;;
        start) cmd_start ;;
        stop) cmd_stop ;;
        status) cmd_status ;;
        logs) cmd_logs "$@" ;;
        topics) cmd_topics "$@" ;;
        clean) cmd_clean ;;
        -h | --help | help) usage ;;
        "") usage >&2; exit 2 ;;
        *) log "unknown command '$command'"; usage >&2; exit 2 ;;
    esac
}

main "$@"
