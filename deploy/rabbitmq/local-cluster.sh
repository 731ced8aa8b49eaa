#!/usr/bin/env bash
# A RabbitMQ cluster of N nodes of Debian's package on this machine, beside the default broker (which keeps 5672):
#   deploy/rabbitmq/local-cluster.sh N DIR         starts whichever node is not running; it joins the others
#   deploy/rabbitmq/local-cluster.sh N DIR --stop  stops them (their data stays in DIR)
# FLEET_CLUSTER_FIRST_NODE (1) numbers the nodes from another index: 9 with N=1 is a single node rabbit-9@localhost
# on 5689, which fault-tests run on and restart, so that neither the machine's broker nor a cluster of 1-3 is touched.
# Node i is rabbit-i@localhost: AMQP on 5680+i, management on 15680+i (user guest from loopback), Erlang distribution
# on 25680+i (and 127.0.1.i the source address of its own connections to its peers, so that a test can cut one node
# off with iptables), data and logs in DIR/rabbit-i. Every node shares the Erlang cookie of the user running this, as
# rabbitmqctl does. `./fleet broker --cluster N [--stop]` calls this with DIR=FLEET_HOME/rabbitmq-cluster.
#
# The nodes form the cluster themselves (classic-config peer discovery lists them all; a global lock orders nodes that
# boot together), and a node that comes back rejoins from its own data. Nothing here runs rabbitmqctl: each call
# boots an Erlang VM, 7-15 s apiece on a loaded 2-core machine, which made a start take over three minutes.
set -euo pipefail
# Debian's own scripts, not the /usr/sbin wrappers, which switch root to the rabbitmq user: these nodes run as the
# user who starts them, with that user's Erlang cookie and files
PATH=/usr/lib/rabbitmq/bin:$PATH
DEADLINE=180

nodes=${1:?usage: local-cluster.sh N DIR [--stop]}
home=${2:?usage: local-cluster.sh N DIR [--stop]}
action=${3:-start}
first=${FLEET_CLUSTER_FIRST_NODE:-1}
[[ $nodes =~ ^[1-9]$ && $first =~ ^[1-9]$ ]] && ((first + nodes - 1 <= 9)) \
  || { echo "nodes $first to $((first + nodes - 1)): a cluster's nodes are numbered 1 to 9" >&2; exit 2; }
last=$((first + nodes - 1))
mkdir -p "$home"
home=$(cd "$home" && pwd)

node_name() { echo "rabbit-$1@localhost"; }
amqp_port() { echo $((5680 + $1)); }
# A killed node can stay a zombie for a while (whoever inherited it reaps late), which kill -0 takes for alive.
alive() { local state; state=$(ps -o stat=,comm= -p "$1" 2>/dev/null) && [[ $state != Z* && $state == *beam.smp ]]; }
pid_of() { local file=$home/rabbit-$1/pid; [[ -s $file ]] && alive "$(<"$file")" && cat "$file"; }
# whether the node's VM runs, even with the rabbit app paused (pause_minority after its peers stopped)
running() { pid_of "$1" >/dev/null; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The node's own files: its config (listeners, the cluster's nodes), plugins and an environment file that replaces
# the machine's rabbitmq-env.conf, whose NODENAME would otherwise win.
configure() {
  local i=$1 dir=$home/rabbit-$1 j
  mkdir -p "$dir/mnesia" "$dir/log"
  {
    echo "listeners.tcp.default = 127.0.0.1:$(amqp_port "$i")"
    echo "management.tcp.port = $((15680 + i))"
    echo "management.tcp.ip = 127.0.0.1"
    echo "cluster_partition_handling = pause_minority"
    # how soon a silent peer counts as gone (RabbitMQ's default 60 s); the partition test shortens it
    echo "net_ticktime = ${RABBITMQ_NET_TICKTIME:-60}"
    echo "cluster_formation.peer_discovery_backend = classic_config"
    for j in $(seq "$first" "$last"); do echo "cluster_formation.classic_config.nodes.$j = $(node_name "$j")"; done
  } >"$dir/rabbitmq.conf"
  echo '[rabbitmq_management,rabbitmq_consistent_hash_exchange].' >"$dir/enabled_plugins"
  : >"$dir/rabbitmq-env.conf"
}

start_node() {
  local i=$1 dir=$home/rabbit-$1 taken what
  for taken in "$(amqp_port "$i"):AMQP" "$((15680 + i)):management" "$((25680 + i)):Erlang distribution"; do
    what=${taken#*:}
    taken=${taken%%:*}
    if listening "$taken"; then
      echo "cannot start $(node_name "$i"): port $taken ($what) is taken by another program; stop it first" >&2
      return 1
    fi
  done
  configure "$i"
  echo "starting $(node_name "$i") (AMQP $(amqp_port "$i"), management $((15680 + i)))"
  env RABBITMQ_NODENAME="$(node_name "$i")" RABBITMQ_NODE_PORT="$(amqp_port "$i")" RABBITMQ_DIST_PORT=$((25680 + i)) \
    RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" RABBITMQ_CONFIG_FILE="$dir/rabbitmq" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_MNESIA_BASE="$dir/mnesia" \
    RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_PID_FILE="$dir/pid" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_connect_options [{ip,{127,0,1,$i}}]" \
    rabbitmq-server -detached >/dev/null 2>&1
}

all_of() { # command: runs it for every node side by side; fails if any failed
  local i pids=() failed=0
  for i in $(seq "$first" "$last"); do "$1" "$i" & pids+=($!); done
  for i in "${pids[@]}"; do wait "$i" || failed=1; done
  return $failed
}

start_if_stopped() { running "$1" || start_node "$1"; }

# A node is up once it accepts AMQP: it opens its listeners last, after it has joined or rejoined the cluster.
await_up() {
  local i=$1 deadline=$((SECONDS + DEADLINE))
  until listening "$(amqp_port "$i")"; do
    if ((SECONDS >= deadline)); then
      echo "$(node_name "$i") did not start within $DEADLINE s; see $home/rabbit-$i/log" >&2
      return 1
    fi
    sleep 0.5
  done
}

# SIGTERM is an orderly shutdown for a RabbitMQ node, as `rabbitmqctl stop` is.
stop_node() {
  local i=$1 pid deadline=$((SECONDS + DEADLINE))
  pid=$(pid_of "$i") || return 0
  echo "stopping $(node_name "$i")"
  kill -TERM "$pid"
  while alive "$pid"; do
    if ((SECONDS >= deadline)); then
      echo "$(node_name "$i") still runs $DEADLINE s after SIGTERM" >&2
      return 1
    fi
    sleep 0.5
  done
}

if [[ $action == --stop ]]; then
  all_of stop_node
  exit 0
fi
[[ $action == start ]] || { echo "unknown option '$action' (--stop)" >&2; exit 2; }
command -v rabbitmq-server >/dev/null || { echo "rabbitmq-server is not installed" >&2; exit 1; }

# every stopped node starts before any is awaited: nodes of a cluster that stopped wait for each other at boot
all_of start_if_stopped
all_of await_up
addresses=$(for i in $(seq "$first" "$last"); do printf '127.0.0.1:%s,' "$(amqp_port "$i")"; done)
echo "RabbitMQ cluster of $nodes up: FLEET_RABBITMQ_ADDRESSES=${addresses%,}"
