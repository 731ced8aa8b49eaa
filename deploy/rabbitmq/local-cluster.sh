#!/usr/bin/env bash
# A RabbitMQ cluster of N nodes of Debian's package on this machine, beside the default broker (which keeps 5672):
#   deploy/rabbitmq/local-cluster.sh N DIR         starts whichever node is not running and joins it to rabbit-1
#   deploy/rabbitmq/local-cluster.sh N DIR --stop  stops them (their data stays in DIR)
# Node i is rabbit-i@localhost: AMQP on 5680+i, management on 15680+i (user guest from loopback), Erlang distribution
# on 25680+i, data and logs in DIR/rabbit-i. Every node shares the Erlang cookie of the user running this, as
# rabbitmqctl does. `./fleet broker --cluster N [--stop]` calls this with DIR=FLEET_HOME/rabbitmq-cluster.
set -euo pipefail
# Debian's own scripts, not the /usr/sbin wrappers, which switch root to the rabbitmq user: these nodes run as the
# user who starts them, with that user's Erlang cookie and files
PATH=/usr/lib/rabbitmq/bin:$PATH

nodes=${1:?usage: local-cluster.sh N DIR [--stop]}
home=${2:?usage: local-cluster.sh N DIR [--stop]}
action=${3:-start}
[[ $nodes =~ ^[1-9]$ ]] || { echo "a cluster of 1 to 9 nodes, not '$nodes'" >&2; exit 2; }
mkdir -p "$home"
home=$(cd "$home" && pwd)

node_name() { echo "rabbit-$1@localhost"; }
amqp_port() { echo $((5680 + $1)); }
ctl() { local i=$1; shift; rabbitmqctl -q -n "$(node_name "$i")" "$@"; }
# whether the node's Erlang VM answers, even with the rabbit app paused (pause_minority after its peers stopped)
running() { ctl "$1" ping >/dev/null 2>&1; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The node's own files: its config (listeners), plugins and an environment file that replaces the machine's
# rabbitmq-env.conf, whose NODENAME would otherwise win.
configure() {
  local i=$1 dir=$home/rabbit-$1
  mkdir -p "$dir/mnesia" "$dir/log"
  cat >"$dir/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:$(amqp_port "$i")
management.tcp.port = $((15680 + i))
management.tcp.ip = 127.0.0.1
cluster_partition_handling = pause_minority
EOF
  echo '[rabbitmq_management,rabbitmq_consistent_hash_exchange].' >"$dir/enabled_plugins"
  : >"$dir/rabbitmq-env.conf"
}

start_node() {
  local i=$1 dir=$home/rabbit-$1 port
  port=$(amqp_port "$i")
  local taken what
  for taken in "$port:AMQP" "$((15680 + i)):management" "$((25680 + i)):Erlang distribution"; do
    what=${taken#*:}
    taken=${taken%%:*}
    if listening "$taken"; then
      echo "cannot start $(node_name "$i"): port $taken ($what) is taken by another program; stop it first" >&2
      exit 1
    fi
  done
  configure "$i"
  echo "starting $(node_name "$i") (AMQP $port, management $((15680 + i)))"
  env RABBITMQ_NODENAME="$(node_name "$i")" RABBITMQ_NODE_PORT="$port" RABBITMQ_DIST_PORT=$((25680 + i)) \
    RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" RABBITMQ_CONFIG_FILE="$dir/rabbitmq" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_MNESIA_BASE="$dir/mnesia" \
    RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_PID_FILE="$dir/pid" \
    rabbitmq-server -detached >/dev/null 2>&1
}

# True when node i's cluster status lists node 1 among its running nodes.
clustered() {
  ctl "$1" cluster_status --formatter json 2>/dev/null | grep -q "\"$(node_name 1)\""
}

join() {
  local i=$1
  clustered "$i" && return 0
  echo "joining $(node_name "$i") to $(node_name 1)"
  ctl "$i" stop_app
  ctl "$i" join_cluster "$(node_name 1)"
  ctl "$i" start_app
}

if [[ $action == --stop ]]; then
  for i in $(seq 1 "$nodes"); do
    if running "$i"; then echo "stopping $(node_name "$i")"; ctl "$i" stop; fi
  done
  exit 0
fi
[[ $action == start ]] || { echo "unknown option '$action' (--stop)" >&2; exit 2; }
command -v rabbitmq-server >/dev/null || { echo "rabbitmq-server is not installed" >&2; exit 1; }

# Nodes of a cluster that stopped wait for each other at boot, so every stopped one starts before any is awaited.
for i in $(seq 1 "$nodes"); do running "$i" || start_node "$i"; done
# await_startup gives up at once on a node whose VM has not registered yet, so first wait until it answers at all
started() {
  local i=$1 deadline=$((SECONDS + 120))
  until running "$i"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
  ctl "$i" await_startup --timeout 120
}
for i in $(seq 1 "$nodes"); do
  started "$i" || { echo "$(node_name "$i") did not start; see $home/rabbit-$i/log" >&2; exit 1; }
done
for i in $(seq 2 "$nodes"); do join "$i"; done
addresses=$(for i in $(seq 1 "$nodes"); do printf '127.0.0.1:%s,' "$(amqp_port "$i")"; done)
echo "RabbitMQ cluster of $nodes up: FLEET_RABBITMQ_ADDRESSES=${addresses%,}"
