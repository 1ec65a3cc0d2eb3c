#!/usr/bin/env bash
# Apply an overlay in the order a release needs: the platform (namespace, settings, network
# policies, the engines), then the migration Jobs, waited for, then the rollout of the new
# pods. Each phase is the objects labelled sobat.bps.go.id/phase=<phase>.
#   deploy/k8s/deploy.sh dev|prod        (KUBECTL=... to use another kubectl)
set -euo pipefail

overlay="${1:?usage: deploy.sh dev|prod}"
here="$(cd "$(dirname "$0")" && pwd)"
dir="$here/overlays/$overlay"
[[ -d "$dir" ]] || { echo "no overlay $dir" >&2; exit 2; }
kubectl="${KUBECTL:-kubectl}"
ns=sobat-bps
phase=sobat.bps.go.id/phase

# 1. prepare: what the Jobs and the pods need. The engines' operators make their Secrets
#    (sobat-rabbitmq-default-user); ours must exist already (deploy/README.md "Secrets").
"$kubectl" apply -k "$dir" -l "$phase=prepare"
"$kubectl" -n "$ns" wait --for=condition=Ready cluster.postgresql.cnpg.io/sobat-pg --timeout=15m
"$kubectl" -n "$ns" wait --for=jsonpath='{.status.applied}'=true \
  database.postgresql.cnpg.io -l "$phase=prepare" --timeout=5m
"$kubectl" -n "$ns" wait --for=condition=AllReplicasReady rabbitmqcluster/sobat-rabbitmq --timeout=15m

# 2. migrate: a Job's pod template cannot change, so the last release's Jobs go first; the
#    new ones run to completion before any pod of the new release starts.
"$kubectl" -n "$ns" delete job -l "$phase=migrate" --ignore-not-found --wait=true
"$kubectl" apply -k "$dir" -l "$phase=migrate"
if ! "$kubectl" -n "$ns" wait --for=condition=Complete job -l "$phase=migrate" --timeout=15m; then
  "$kubectl" -n "$ns" logs -l app.kubernetes.io/component=migration --tail=50 || true
  echo "migrations did not complete: the running release is untouched" >&2
  exit 1
fi

# 3. rollout: Deployments, Services, Ingress, autoscaling, ServiceMonitors.
"$kubectl" apply -k "$dir" -l "$phase=rollout"
for deployment in $("$kubectl" -n "$ns" get deployment -l "$phase=rollout" -o name); do
  "$kubectl" -n "$ns" rollout status "$deployment" --timeout=10m
done
