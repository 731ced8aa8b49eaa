#!/bin/sh
# rabbitmq-2 and rabbitmq-3 of compose's broker-cluster profile: the broker, which joins rabbit@rabbitmq by peer
# discovery, and beside it a one-off step that makes this node a member of every quorum queue there is once the node
# is up. Queues declared before the node joined (definitions.json's archive queues, imported once rabbit@rabbitmq is
# up) would otherwise stay on fewer nodes: RabbitMQ 3.10 does not add a joining node to existing quorum queues.
(
  until rabbitmq-diagnostics -q check_port_connectivity >/dev/null 2>&1; do sleep 2; done
  rabbitmq-queues -q grow "$RABBITMQ_NODENAME" all || echo "could not add $RABBITMQ_NODENAME to the quorum queues" >&2
) &
# the broker in this process, as the image runs it, so that a stop's SIGTERM reaches it
# (the image's entrypoint where it is Debian's broker: /usr/sbin's wrapper would not pass the signal on)
if [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then exec /usr/lib/rabbitmq/bin/rabbitmq-server; fi
exec rabbitmq-server
