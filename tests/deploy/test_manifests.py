"""deploy/ checked offline: the kustomize base and both overlays rendered, every object against
its schema, the policy (tests/deploy/checks.py), compose, the Dockerfile, the dashboard and
the order of deploy.sh. Each check is also fed a broken manifest and must reject it."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from services.shared.platform.config import DEFAULT_GRPC_PORTS, SERVICES
from tests.deploy import checks
from tests.deploy.checks import (
    DEPLOY,
    K8S,
    REPO,
    connection_budget,
    connection_use,
    policy_problems,
    render,
)

TREES = {"base": K8S / "base", "dev": K8S / "overlays" / "dev", "prod": K8S / "overlays" / "prod"}
# Test day's two processes (issue 8): assessment's attempt server (grpcio) and the attempt
# gateway (granian, the routes under /api/v1/attempts/), by Deployment, port and labels.
ATTEMPT_SERVER, ATTEMPT_SERVER_PORT = "attempt-server", 50055
ATTEMPT_GATEWAY, ATTEMPT_GATEWAY_PORT = "attempt-gateway", 8001
GATEWAYS = ("gateway", ATTEMPT_GATEWAY)
needs_kustomize = pytest.mark.skipif(
    checks.kustomize_command() is None,
    reason="no kustomize: neither kubectl (which has it built in) nor kustomize is on PATH, and "
           "no package registry the project reaches has either; the base's files are still "
           "validated unrendered (test_base_files_validate)")
SECRETS_TABLE = checks.readme_secrets()


@pytest.fixture(scope="module")
def rendered():
    if checks.kustomize_command() is None:
        pytest.skip(needs_kustomize.kwargs["reason"])
    return {name: render(path) for name, path in TREES.items()}


def find(objects, kind, name=None):
    found = [o for o in objects if o["kind"] == kind
             and (name is None or o["metadata"]["name"] == name)]
    if name is not None:
        assert len(found) == 1, f"{kind}/{name}: {len(found)} objects"
        return found[0]
    return found


def container_env(objects, workload) -> dict:
    """The environment a workload's first container starts with (ConfigMaps, then env)."""
    container = checks.pod_spec(workload)["containers"][0]
    settings = {}
    for ref in container.get("envFrom") or []:
        settings.update(find(objects, "ConfigMap", ref["configMapRef"]["name"])["data"])
    for env in container.get("env") or []:
        settings[env["name"]] = env.get("value", env.get("valueFrom"))
    return settings


# -- schemas -----------------------------------------------------------------------------------

def test_base_files_validate():
    """Without kustomize too: every file of the base is a complete, valid object."""
    objects = checks.load_files(K8S / "base")
    assert len(objects) > 50
    problems = [p for obj in objects for p in checks.schema_errors(obj)]
    assert problems == []


@needs_kustomize
@pytest.mark.parametrize("tree", TREES)
def test_rendered_objects_validate(rendered, tree):
    objects = rendered[tree]
    problems = [p for obj in objects for p in checks.schema_errors(obj)]
    assert problems == []
    assert {o["metadata"].get("namespace") for o in objects if o["kind"] != "Namespace"} == {
        "sobat-bps"}


def test_schema_check_rejects_broken_objects():
    deployment = next(o for o in checks.load_files(K8S / "base" / "registration")
                      if o["kind"] == "Deployment")
    assert checks.schema_errors(deployment) == []

    typo = json.loads(json.dumps(deployment))
    typo["spec"]["replica"] = 2
    assert any("replica" in p for p in checks.schema_errors(typo))

    wrong_type = json.loads(json.dumps(deployment))
    wrong_type["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = "grpc"
    assert checks.schema_errors(wrong_type)

    rabbit = next(o for o in checks.load_files(K8S / "base" / "engines")
                  if o["kind"] == "RabbitmqCluster")
    assert checks.schema_errors(rabbit) == []
    rabbit["spec"]["replica"] = 3  # misspelt: the API server would drop it silently
    assert any("replica" in p for p in checks.schema_errors(rabbit))

    cluster = next(o for o in checks.load_files(K8S / "base" / "engines")
                   if o["kind"] == "Cluster")
    cluster["spec"]["instances"] = "three"
    assert any("instances" in p for p in checks.schema_errors(cluster))

    unknown = {"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "x"}}
    assert any("no schema" in p for p in checks.schema_errors(unknown))


# -- policy ------------------------------------------------------------------------------------

@needs_kustomize
@pytest.mark.parametrize("tree", TREES)
def test_policy_holds(rendered, tree):
    assert policy_problems(rendered[tree], SECRETS_TABLE) == []


@needs_kustomize
def test_every_secret_in_the_table_is_referenced(rendered):
    referenced = set()
    for objects in rendered.values():
        referenced |= set(checks.referenced_secrets(objects))
    assert referenced == SECRETS_TABLE


def test_secrets_table_is_read_from_the_readme(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# x\n## Secrets\n| Secret | keys |\n|---|---|\n| `a-b` | k |\n"
                      "| `c` | k |\n## Next\n| `not-this` | k |\n")
    assert checks.readme_secrets(readme) == {"a-b", "c"}
    assert len(SECRETS_TABLE) >= 8


def test_policy_rejects_broken_objects():
    base = checks.load_files(K8S / "base")
    assert policy_problems(base, SECRETS_TABLE) == []

    def broken(change):
        objects = json.loads(json.dumps(base))
        change(objects)
        return policy_problems(objects, SECRETS_TABLE)

    def gateway_container(objects):
        return checks.pod_spec(find(objects, "Deployment", "gateway"))["containers"][0]

    def root(objects):
        container = gateway_container(objects)
        container["securityContext"]["runAsNonRoot"] = False
        container["securityContext"]["runAsUser"] = 0
    assert any("runAsNonRoot" in p for p in broken(root))
    assert any("user 0" in p for p in broken(root))

    def no_limits(objects):
        del gateway_container(objects)["resources"]["limits"]
    assert any("no cpu limit" in p for p in broken(no_limits))

    def no_probes(objects):
        container = gateway_container(objects)
        del container["readinessProbe"], container["livenessProbe"]
    problems = broken(no_probes)
    assert any("no readinessProbe" in p for p in problems)
    assert any("no livenessProbe" in p for p in problems)

    def writable(objects):
        gateway_container(objects)["securityContext"]["readOnlyRootFilesystem"] = False
    assert any("read-only" in p for p in broken(writable))

    def unlisted_secret(objects):
        gateway_container(objects)["env"].append(
            {"name": "EXTRA", "valueFrom": {"secretKeyRef": {"name": "not-listed", "key": "k"}}})
    assert any("not-listed" in p and "table" in p for p in broken(unlisted_secret))

    def inlined_secret(objects):
        gateway_container(objects)["env"].append({"name": "JWT_SECRET", "value": "hunter2"})
    assert any("inlined" in p for p in broken(inlined_secret))

    def secret_in_configmap(objects):
        find(objects, "ConfigMap", "sobat-common")["data"]["AMQP_URI"] = "amqp://u:p@h:5672/"
    assert any("ConfigMap" in p for p in broken(secret_in_configmap))

    def secret_object(objects):
        objects.append({"apiVersion": "v1", "kind": "Secret", "metadata": {
            "name": "sobat-jwt", "labels": {checks.PHASE: "prepare"}},
            "stringData": {"jwt-secret": "x"}})
    assert any("a Secret in the manifests" in p for p in broken(secret_object))

    def second_backend(objects):
        paths = find(objects, "Ingress", "gateway")["spec"]["rules"][0]["http"]["paths"]
        paths.append({"path": "/grpc", "pathType": "Prefix", "backend": {
            "service": {"name": "registration", "port": {"name": "grpc"}}}})
    assert any("only Service behind the Ingress" in p for p in broken(second_backend))

    def attempt_gateway_everywhere(objects):
        paths = find(objects, "Ingress", "gateway")["spec"]["rules"][0]["http"]["paths"]
        for path in paths:
            path["backend"]["service"]["name"] = ATTEMPT_GATEWAY
    assert any(f"{ATTEMPT_GATEWAY!r}" in p and "/api/v1/attempts/ only" in p
               for p in broken(attempt_gateway_everywhere))

    def attempt_gateway_exact(objects):
        paths = find(objects, "Ingress", "gateway")["spec"]["rules"][0]["http"]["paths"]
        attempts = next(p for p in paths if p["backend"]["service"]["name"] == ATTEMPT_GATEWAY)
        attempts["pathType"] = "ImplementationSpecific"
    assert any("/api/v1/attempts/ only" in p for p in broken(attempt_gateway_exact))

    def root_path(objects):
        find(objects, "Ingress", "gateway")["spec"]["rules"][0]["http"]["paths"][0]["path"] = "/"
    assert any("exposes /metrics" in p for p in broken(root_path))

    def node_port(objects):
        find(objects, "Service", "registration")["spec"]["type"] = "NodePort"
    assert any("NodePort" in p for p in broken(node_port))

    def latest(objects):
        gateway_container(objects)["image"] = "sobat-bps:latest"
    assert any("fixed tag" in p for p in broken(latest))

    def job_in_rollout(objects):
        find(objects, "Job", "registration-migrate")["metadata"]["labels"][checks.PHASE] = (
            "rollout")
    assert any("expected 'migrate'" in p for p in broken(job_in_rollout))

    def service_links(objects):
        del checks.pod_spec(find(objects, "Deployment", "gateway"))["enableServiceLinks"]
    assert any("enableServiceLinks" in p for p in broken(service_links))


@needs_kustomize
def test_a_broken_overlay_is_rejected(tmp_path):
    """The whole path, as CI meets it: an overlay on the real base that slips in an unknown
    field, a root container, an unlisted Secret and a second Service behind the Ingress."""
    overlay = tmp_path / "broken"
    overlay.mkdir()
    base = os.path.relpath(K8S / "base", overlay)
    (overlay / "kustomization.yaml").write_text(textwrap.dedent(f"""\
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - {base}
        patches:
          - target: {{kind: Deployment, name: selection}}
            patch: |-
              - op: add
                path: /spec/template/spec/containers/0/imagePullPolicyy
                value: Always
              - op: replace
                path: /spec/template/spec/containers/0/securityContext/runAsNonRoot
                value: false
              - op: add
                path: /spec/template/spec/containers/0/env/-
                value: {{name: X, valueFrom: {{secretKeyRef: {{name: forgotten, key: k}}}}}}
          - target: {{kind: Ingress, name: gateway}}
            patch: |-
              - op: add
                path: /spec/rules/0/http/paths/-
                value:
                  path: /internal/
                  pathType: Prefix
                  backend: {{service: {{name: selection, port: {{name: grpc}}}}}}
        """))
    objects = render(overlay)
    schema = [p for obj in objects for p in checks.schema_errors(obj)]
    policy = policy_problems(objects, SECRETS_TABLE)
    assert any("imagePullPolicyy" in p for p in schema), schema
    assert any("Deployment/selection" in p and "runAsNonRoot" in p for p in policy), policy
    assert any("forgotten" in p for p in policy), policy
    assert any("'selection'" in p and "Ingress" in p for p in policy), policy

    (overlay / "kustomization.yaml").write_text(
        f"resources:\n  - {base}\n  - missing.yaml\n")
    with pytest.raises(RuntimeError, match="missing.yaml"):
        render(overlay)


# -- what each service has ---------------------------------------------------------------------

@needs_kustomize
@pytest.mark.parametrize("tree", TREES)
def test_every_service_is_deployed_whole(rendered, tree):
    objects = rendered[tree]
    cluster = find(objects, "Cluster", "sobat-pg")
    roles = {r["name"]: r for r in cluster["spec"]["managed"]["roles"]}
    hba = cluster["spec"]["postgresql"]["pg_hba"]
    databases = {d["spec"]["name"]: d["spec"] for d in find(objects, "Database")}
    for service in SERVICES:
        port = DEFAULT_GRPC_PORTS[service]
        deployment = find(objects, "Deployment", service)
        container = checks.pod_spec(deployment)["containers"][0]
        assert container["command"] == ["python", "-m", "services.shared.ops.runner", service]
        assert container["livenessProbe"]["grpc"]["port"] == port
        assert container["readinessProbe"]["grpc"]["port"] == port
        svc = find(objects, "Service", service)
        assert svc["spec"]["ports"] == [{"name": "grpc", "port": port, "targetPort": "grpc",
                                         "protocol": "TCP", "appProtocol": "grpc"}]
        assert checks.pod_spec(deployment)["serviceAccountName"] == service
        find(objects, "ServiceAccount", service)
        find(objects, "ConfigMap", service)
        relay = find(objects, "Deployment", f"{service}-relay")
        assert checks.pod_spec(relay)["containers"][0]["command"][-2:] == [
            "services.shared.ops.relay", service]
        job = find(objects, "Job", f"{service}-migrate")
        assert checks.pod_spec(job)["containers"][0]["command"][-2:] == [
            "services.shared.ops.migrate", service]
        for workload in (deployment, relay, job):
            env = container_env(objects, workload)
            url = env[f"{service.upper()}_DATABASE_URL"]
            assert url.startswith("postgresql://$(DB_USERNAME):$(DB_PASSWORD)@sobat-pg-rw:5432/"
                                  f"{service}?"), url
            assert env["DB_PASSWORD"] == {"secretKeyRef": {"name": f"sobat-db-{service}",
                                                           "key": "password"}}
            assert env["BPS_ENV"] == "production"
        for workload in (deployment, relay):
            assert container_env(objects, workload)["AMQP_QUORUM_QUEUES"] == "true"
        assert databases[service] == {"cluster": {"name": "sobat-pg"}, "name": service,
                                      "owner": service, "databaseReclaimPolicy": "retain"}
        assert roles[service]["passwordSecret"] == {"name": f"sobat-db-{service}"}
        own = hba.index(f"hostssl {service} {service} all scram-sha-256")
        assert hba[own + 1] == f"host all {service} all reject"
    gateway_env = container_env(objects, find(objects, "Deployment", "gateway"))
    for service in SERVICES:
        assert gateway_env[f"{service.upper()}_GRPC_TARGET"] == (
            f"http://{service}:{DEFAULT_GRPC_PORTS[service]}")
    rabbit = find(objects, "RabbitmqCluster", "sobat-rabbitmq")
    assert rabbit["spec"]["replicas"] == (1 if tree == "dev" else 3)


@needs_kustomize
def test_gateway_probes_and_ingress(rendered):
    objects = rendered["base"]
    container = checks.pod_spec(find(objects, "Deployment", "gateway"))["containers"][0]
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    attempt = checks.pod_spec(find(objects, "Deployment", ATTEMPT_GATEWAY))["containers"][0]
    assert attempt["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert attempt["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert attempt["startupProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    ingresses = find(objects, "Ingress")
    assert len(ingresses) == 1
    backends = {p["backend"]["service"]["name"] for rule in ingresses[0]["spec"]["rules"]
                for p in rule["http"]["paths"]}
    assert backends == set(GATEWAYS)


@needs_kustomize
@pytest.mark.parametrize("tree", TREES)
def test_ingress_sends_the_attempt_routes_to_the_attempt_gateway(rendered, tree):
    """/api/v1/attempts/ (Prefix) to the attempt gateway, every other /api/ route to the
    gateway, nothing else at all: as the Ingress specification matches (the longest prefix,
    by path element), on each overlay's host."""
    objects = rendered[tree]
    ingress = find(objects, "Ingress", "gateway")
    hosts = [rule["host"] for rule in ingress["spec"]["rules"]]
    assert len(hosts) == 1
    services = {s["metadata"]["name"]: s for s in find(objects, "Service")}
    routes = {
        "/api/v1/attempts/a1/answers/q1": ATTEMPT_GATEWAY,
        "/api/v1/attempts/a1/submit": ATTEMPT_GATEWAY,
        "/api/v1/attempts/a1": ATTEMPT_GATEWAY,
        "/api/v1/attempts": ATTEMPT_GATEWAY,  # the attempt gateway answers it 404
        "/api/v1/attemptsx": "gateway",
        "/api/v1/test-sessions/s1/attempt": "gateway",  # start: the gateway, to the attempt server
        "/api/v1/openapi.json": "gateway",
        "/api/v1/admin/attempts/a1": "gateway",
        "/api/": "gateway",
        "/metrics": None,
        "/readyz": None,
        "/healthz": None,
        "/": None,
    }
    for path, expected in routes.items():
        assert checks.ingress_backend(ingress, hosts[0], path) == expected, (tree, path)
    assert checks.ingress_backend(ingress, "elsewhere.example", "/api/v1/attempts/a1") is None
    # Each backend is a Service selecting its own Deployment's pods, on its HTTP port.
    for name, component in (("gateway", "gateway"), (ATTEMPT_GATEWAY, "attempt-gateway")):
        selector = services[name]["spec"]["selector"]
        assert selector == {"app.kubernetes.io/name": "gateway",
                            "app.kubernetes.io/component": component}
        deployment = find(objects, "Deployment", name)
        assert checks.selects({"matchLabels": selector}, checks.pod_labels(deployment))
        assert [p["name"] for p in services[name]["spec"]["ports"]] == ["http"]
    assert not checks.selects({"matchLabels": services["gateway"]["spec"]["selector"]},
                              checks.pod_labels(find(objects, "Deployment", ATTEMPT_GATEWAY)))


@needs_kustomize
@pytest.mark.parametrize("tree", TREES)
def test_attempt_server_is_deployed_whole(rendered, tree):
    """assessment's attempt server: its command, the gRPC health probes on its port, a Service
    (`grpc`) the assessment Service does not share, assessment's database and Secret, no
    broker; its settings after the assessment service's."""
    objects = rendered[tree]
    deployment = find(objects, "Deployment", ATTEMPT_SERVER)
    spec = checks.pod_spec(deployment)
    container = spec["containers"][0]
    assert container["command"] == ["python", "-m", "services.assessment.attempt_server"]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["grpc"] == {"port": ATTEMPT_SERVER_PORT}, probe
    assert [(p["name"], p["containerPort"]) for p in container["ports"]] == [
        ("grpc", ATTEMPT_SERVER_PORT)]
    svc = find(objects, "Service", ATTEMPT_SERVER)
    assert svc["spec"]["ports"] == [{"name": "grpc", "port": ATTEMPT_SERVER_PORT,
                                     "targetPort": "grpc", "protocol": "TCP",
                                     "appProtocol": "grpc"}]
    labels = checks.pod_labels(deployment)
    assert labels["app.kubernetes.io/name"] == "assessment"
    assert checks.selects({"matchLabels": svc["spec"]["selector"]}, labels)
    assert not checks.selects({"matchLabels": find(objects, "Service", "assessment")["spec"][
        "selector"]}, labels)
    assert spec["serviceAccountName"] == ATTEMPT_SERVER
    find(objects, "ServiceAccount", ATTEMPT_SERVER)
    assert [r["configMapRef"]["name"] for r in container["envFrom"]] == [
        "sobat-common", "assessment", ATTEMPT_SERVER]
    env = container_env(objects, deployment)
    assert env["ASSESSMENT_DATABASE_URL"] == (
        "postgresql://$(DB_USERNAME):$(DB_PASSWORD)@sobat-pg-rw:5432/assessment?sslmode=require")
    assert env["DB_PASSWORD"] == {"secretKeyRef": {"name": "sobat-db-assessment",
                                                   "key": "password"}}
    assert env["JWT_SECRET"] == {"secretKeyRef": {"name": "sobat-jwt", "key": "jwt-secret"}}
    assert "AMQP_URI" not in env
    for gateway in GATEWAYS:
        gateway_env = container_env(objects, find(objects, "Deployment", gateway))
        assert gateway_env["ATTEMPT_SERVER_GRPC_TARGET"] == (
            f"http://{ATTEMPT_SERVER}:{ATTEMPT_SERVER_PORT}")


@needs_kustomize
def test_scaling_objects(rendered):
    for tree, objects in rendered.items():
        pdbs = {o["metadata"]["name"] for o in find(objects, "PodDisruptionBudget")}
        hpas = {o["metadata"]["name"]: o["spec"] for o in find(objects, "HorizontalPodAutoscaler")}
        assert pdbs == {"gateway", "assessment", ATTEMPT_GATEWAY, ATTEMPT_SERVER}
        for name in hpas:
            assert "replicas" not in find(objects, "Deployment", name)["spec"], (tree, name)
        if tree == "dev":
            assert hpas == {}
            assert {o["spec"].get("replicas") for o in find(objects, "Deployment")} == {1}
            assert find(objects, "Cluster", "sobat-pg")["spec"]["instances"] == 1
        else:
            assert set(hpas) == {"gateway", "assessment", ATTEMPT_GATEWAY, ATTEMPT_SERVER}
        for pdb in find(objects, "PodDisruptionBudget"):
            deployment = find(objects, "Deployment", pdb["metadata"]["name"])
            pods = [o for o in find(objects, "Deployment")
                    if checks.selects(pdb["spec"]["selector"], checks.pod_labels(o))]
            assert pods == [deployment], pdb["metadata"]["name"]
    prod = rendered["prod"]
    hpas = {o["metadata"]["name"]: o["spec"] for o in find(prod, "HorizontalPodAutoscaler")}
    bounds = {name: (spec["minReplicas"], spec["maxReplicas"]) for name, spec in hpas.items()}
    # Test day lands on the two gateways and the attempt server; assessment keeps the rest.
    assert bounds == {"gateway": (3, 10), ATTEMPT_GATEWAY: (3, 10), ATTEMPT_SERVER: (3, 8),
                      "assessment": (2, 4)}
    for deployment in find(prod, "Deployment"):
        name = deployment["metadata"]["name"]
        assert deployment["spec"].get("replicas", hpas.get(name, {}).get("minReplicas")) >= 2
        spec = checks.pod_spec(deployment)
        keys = {c["topologyKey"] for c in spec["topologySpreadConstraints"]}
        assert keys == {"topology.kubernetes.io/zone", "kubernetes.io/hostname"}
        term = spec["affinity"]["podAntiAffinity"][
            "preferredDuringSchedulingIgnoredDuringExecution"][0]["podAffinityTerm"]
        assert term["matchLabelKeys"] == ["app.kubernetes.io/name", "app.kubernetes.io/component"]
    dev_limits = [checks.pod_spec(d)["containers"][0]["resources"]["limits"]
                  for d in find(rendered["dev"], "Deployment")]
    assert {limit["memory"] for limit in dev_limits} == {"256Mi"}


@needs_kustomize
@pytest.mark.parametrize("tree", TREES)
def test_postgres_holds_every_pool(rendered, tree):
    used, available = connection_budget(rendered[tree])
    assert 0 < used <= available


def test_connection_budget_counts_the_autoscaler_maximum():
    base = checks.load_files(K8S / "base")
    used, _ = connection_budget(base)
    bigger = json.loads(json.dumps(base))
    find(bigger, "HorizontalPodAutoscaler", "assessment")["spec"]["maxReplicas"] += 10
    assert connection_budget(bigger)[0] == used + 10 * 20


def test_attempt_server_counts_against_the_assessment_role():
    """The attempt server's pool is the assessment role's (its database, its Secret): each
    pod its pool (MAX_WORKERS, or DATABASE_POOL_SIZE + DATABASE_MAX_OVERFLOW set in the
    assessment ConfigMap it reads too), at the autoscaler's maximum plus a surge pod."""
    base = checks.load_files(K8S / "base")
    use = connection_use(base)
    workers = int(find(base, "ConfigMap", "sobat-common")["data"]["MAX_WORKERS"])
    bigger = json.loads(json.dumps(base))
    find(bigger, "HorizontalPodAutoscaler", ATTEMPT_SERVER)["spec"]["maxReplicas"] += 3
    assert connection_use(bigger) == {**use, "assessment": use["assessment"] + 3 * workers}
    without = [o for o in base if checks.pod_labels(o).get("app.kubernetes.io/component")
               != "attempt-server"]
    pods = find(base, "HorizontalPodAutoscaler", ATTEMPT_SERVER)["spec"]["maxReplicas"] + 1
    assert connection_use(without)["assessment"] == use["assessment"] - pods * workers
    larger_pool = json.loads(json.dumps(base))
    find(larger_pool, "ConfigMap", "assessment")["data"].update(
        DATABASE_POOL_SIZE=str(workers), DATABASE_MAX_OVERFLOW="5")
    assessment_pods = find(base, "HorizontalPodAutoscaler", "assessment")["spec"][
        "maxReplicas"] + 1
    assert connection_use(larger_pool)["assessment"] == (
        use["assessment"] + 5 * (pods + assessment_pods))


# -- network policies, evaluated ---------------------------------------------------------------

NAMESPACE = "sobat-bps"


def admitted(policies, target_labels, source_namespace, source_labels, port):
    """Whether a connection from a pod (namespace, labels) to a pod of the namespace with
    ``target_labels`` on ``port`` is admitted by ``policies`` (ingress side)."""
    selecting = [p for p in policies if "Ingress" in p["spec"]["policyTypes"]
                 and checks.selects(p["spec"]["podSelector"], target_labels)]
    if not selecting:
        return True
    for policy in selecting:
        for rule in policy["spec"].get("ingress") or []:
            ports = [p["port"] for p in rule.get("ports") or []]
            if ports and port not in ports:
                continue
            for peer in rule.get("from") or []:
                namespace_ok = (checks.selects(peer["namespaceSelector"], {
                    "kubernetes.io/metadata.name": source_namespace})
                    if "namespaceSelector" in peer else source_namespace == NAMESPACE)
                pods_ok = checks.selects(peer.get("podSelector", {}), source_labels)
                if namespace_ok and pods_ok:
                    return True
    return False


def egress_admitted(policies, source_labels, target_labels, port, external=False):
    """Whether a pod of the namespace with ``source_labels`` may send to a pod of the
    namespace with ``target_labels`` (or, ``external``, to an address outside the cluster)
    on ``port`` (egress side)."""
    selecting = [p for p in policies if "Egress" in p["spec"]["policyTypes"]
                 and checks.selects(p["spec"]["podSelector"], source_labels)]
    if not selecting:
        return True
    for policy in selecting:
        for rule in policy["spec"].get("egress") or []:
            ports = [p["port"] for p in rule.get("ports") or []]
            if ports and port not in ports:
                continue
            for peer in rule.get("to") or []:
                if external and "ipBlock" in peer:
                    return True
                if (not external and "namespaceSelector" not in peer and "ipBlock" not in peer
                        and checks.selects(peer.get("podSelector", {}), target_labels)):
                    return True
    return False


@needs_kustomize
def test_network_policies_let_each_pod_reach_what_it_needs_only(rendered):
    objects = rendered["prod"]
    policies = find(objects, "NetworkPolicy")
    pods = {o["metadata"]["name"]: checks.pod_labels(o) for o in objects
            if o["kind"] in ("Deployment", "Job")}
    postgres = {"cnpg.io/cluster": "sobat-pg"}
    rabbit = {"app.kubernetes.io/name": "sobat-rabbitmq"}
    for service, port in DEFAULT_GRPC_PORTS.items():
        assert egress_admitted(policies, pods["gateway"], pods[service], port)
        for process in (service, f"{service}-relay", f"{service}-migrate"):
            assert egress_admitted(policies, pods[process], postgres, 5432), process
        for process in (service, f"{service}-relay"):
            assert egress_admitted(policies, pods[process], rabbit, 5672), process
        assert not egress_admitted(policies, pods[f"{service}-migrate"], rabbit, 5672)
        assert egress_admitted(policies, pods[f"{service}-relay"], {}, 587, external=True)
        assert not egress_admitted(policies, pods[service], {}, 587, external=True)
        assert not egress_admitted(policies, pods[service], pods["gateway"], 8000)
        if service != "registration":  # registration answers from its own database
            assert egress_admitted(policies, pods[service], pods["registration"], 50051)
        assert not egress_admitted(policies, pods[f"{service}-relay"], pods["registration"],
                                   50051)
    assert egress_admitted(policies, pods["gateway"], rabbit, 5672)
    assert not egress_admitted(policies, pods["gateway"], postgres, 5432)
    # The attempt server: its database and registration; no broker, no other service.
    attempt_server, attempt_gateway = pods[ATTEMPT_SERVER], pods[ATTEMPT_GATEWAY]
    assert egress_admitted(policies, attempt_server, postgres, 5432)
    assert egress_admitted(policies, attempt_server, pods["registration"], 50051)
    assert not egress_admitted(policies, attempt_server, rabbit, 5672)
    assert not egress_admitted(policies, attempt_server, pods["assessment"], 50053)
    assert not egress_admitted(policies, attempt_server, {}, 443, external=True)
    # The attempt gateway: the attempt server only.
    for source in GATEWAYS:
        assert egress_admitted(policies, pods[source], attempt_server, ATTEMPT_SERVER_PORT)
    for service, port in DEFAULT_GRPC_PORTS.items():
        assert not egress_admitted(policies, attempt_gateway, pods[service], port), service
    for target, port in ((postgres, 5432), (rabbit, 5672)):
        assert not egress_admitted(policies, attempt_gateway, target, port)
    assert not egress_admitted(policies, attempt_gateway, {}, 6379, external=True)
    assert egress_admitted(policies, pods["registration"], {}, 443, external=True)
    assert not egress_admitted(policies, pods["selection"], {}, 443, external=True)


@needs_kustomize
def test_network_policies(rendered):
    objects = rendered["prod"]
    policies = find(objects, "NetworkPolicy")
    pods = {o["metadata"]["name"]: checks.pod_labels(o) for o in objects
            if o["kind"] in ("Deployment", "Job")}
    postgres = {"cnpg.io/cluster": "sobat-pg"}
    rabbit = {"app.kubernetes.io/name": "sobat-rabbitmq"}
    outsider = ("ingress-nginx", {"app.kubernetes.io/name": "ingress-nginx"})
    # From outside, only the gateway and the attempt gateway (and from monitoring, the
    # metrics ports).
    assert admitted(policies, pods["gateway"], *outsider, 8000)
    assert admitted(policies, pods[ATTEMPT_GATEWAY], *outsider, ATTEMPT_GATEWAY_PORT)
    assert not admitted(policies, pods[ATTEMPT_GATEWAY], *outsider, 8000)
    for name, labels in pods.items():
        for port in (*DEFAULT_GRPC_PORTS.values(), ATTEMPT_SERVER_PORT, 8000,
                     ATTEMPT_GATEWAY_PORT, *range(9100, 9104), *range(9110, 9114)):
            if (name, port) not in (("gateway", 8000), (ATTEMPT_GATEWAY, ATTEMPT_GATEWAY_PORT)):
                assert not admitted(policies, labels, *outsider, port), (name, port)
    for target in (postgres, rabbit):
        assert not admitted(policies, target, *outsider, 5432)
        assert not admitted(policies, target, *outsider, 5672)
    # Each service only from the gateway; registration also from the other services (they
    # ask it whether a token is still good), never from a relay or a Job.
    for service, port in DEFAULT_GRPC_PORTS.items():
        for source, labels in pods.items():
            allowed = admitted(policies, pods[service], NAMESPACE, labels, port)
            callers = {"gateway"} | (set(SERVICES) - {service} | {ATTEMPT_SERVER}
                                     if service == "registration" else set())
            assert allowed == (source in callers), (source, service)
    # The attempt server from the two gateways only.
    for source, labels in pods.items():
        allowed = admitted(policies, pods[ATTEMPT_SERVER], NAMESPACE, labels,
                           ATTEMPT_SERVER_PORT)
        assert allowed == (source in GATEWAYS), source
    assert not admitted(policies, pods[ATTEMPT_SERVER], "monitoring", {}, ATTEMPT_SERVER_PORT)
    # The attempt gateway from nothing in the namespace.
    for source, labels in pods.items():
        assert not admitted(policies, pods[ATTEMPT_GATEWAY], NAMESPACE, labels,
                            ATTEMPT_GATEWAY_PORT), source
    # PostgreSQL from the services, the attempt server, relays and migrations; not a gateway.
    for source, labels in pods.items():
        assert admitted(policies, postgres, NAMESPACE, labels, 5432) == (
            source not in GATEWAYS), source
    assert not admitted(policies, postgres, "default", {}, 5432)
    # Nothing reaches a migration Job.
    for service in SERVICES:
        assert not admitted(policies, pods[f"{service}-migrate"], NAMESPACE, pods["gateway"],
                            8000)


# -- monitoring --------------------------------------------------------------------------------

@needs_kustomize
def test_service_monitors_find_their_services(rendered):
    objects = rendered["prod"]
    services = find(objects, "Service")
    for monitor in find(objects, "ServiceMonitor"):
        if monitor["metadata"]["name"] == "rabbitmq":
            continue  # the operator makes that Service
        matched = [s for s in services if checks.selects(monitor["spec"]["selector"],
                                                         s["metadata"]["labels"])]
        assert matched, monitor["metadata"]["name"]
        for service in matched:
            names = {p["name"] for p in service["spec"]["ports"]}
            assert {e["port"] for e in monitor["spec"]["endpoints"]} <= names
    relay_ports = {s["spec"]["ports"][0]["port"] for s in services
                   if s["metadata"]["name"].endswith("-relay-metrics")}
    assert relay_ports == {9100 + i for i in range(len(SERVICES))}
    service_ports = {s["metadata"]["name"]: s["spec"]["ports"][0]["port"] for s in services
                     if s["metadata"]["name"] in {f"{name}-metrics" for name in SERVICES}}
    assert service_ports == {f"{name}-metrics": 9110 + i for i, name in enumerate(SERVICES)}
    monitored = {m["metadata"]["name"] for m in find(objects, "ServiceMonitor")}
    assert {"gateway", ATTEMPT_GATEWAY, "services", "relays", "rabbitmq"} <= monitored


def code_metric_names() -> set[str]:
    """The metric names prometheus_client exposes for what services/ defines."""
    names = set()
    for path in (REPO / "services").rglob("*.py"):
        for kind, name in re.findall(r"\b(Counter|Histogram|Gauge|Summary)\(\s*\"(\w+)\"",
                                     path.read_text()):
            if kind == "Counter":
                names.add(name if name.endswith("_total") else f"{name}_total")
            elif kind == "Histogram":
                names |= {f"{name}_bucket", f"{name}_sum", f"{name}_count"}
            else:
                names.add(name)
    return names


def test_dashboard_charts_metrics_that_exist():
    dashboard = json.loads((DEPLOY / "grafana" / "sobat-bps.json").read_text())
    exprs = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    assert len(exprs) >= 10
    known = code_metric_names()
    assert {"gateway_http_requests_total", "relay_mail_total"} <= known
    functions = {"sum", "by", "rate", "increase", "histogram_quantile", "clamp_min", "le",
                 "route", "method", "status", "service", "outcome", "result", "kind", "queue",
                 "namespace", "job", "pod", "max", "code", "handler", "event_type"}
    for expr in exprs:
        bare = re.sub(r'"[^"]*"|\[[^]]*\]|\b\d[\d.e-]*', "", expr)
        for word in set(re.findall(r"[a-zA-Z_][a-zA-Z0-9_]*", bare)) - functions:
            assert word in known or word.startswith("rabbitmq_") or word == "up", (word, expr)
    assert any("dlq" in expr for expr in exprs)


# -- compose, Dockerfile -----------------------------------------------------------------------

def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_matches_the_compose_specification():
    schema = json.loads((DEPLOY / "schemas" / "compose-spec.json").read_text())
    jsonschema.Draft7Validator(schema).validate(compose())
    broken = compose()
    broken["services"]["gateway"]["ports"] = {"8000": 8000}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate(broken)


def test_compose_runs_every_process_from_one_image():
    services = compose()["services"]
    app = {name: s for name, s in services.items() if s.get("image") == "sobat-bps:dev"}
    commands = {tuple(s["command"][2:]) for s in app.values()}
    expected = ({("services.shared.ops.runner", s) for s in (*SERVICES, "gateway")}
                | {("services.shared.ops.relay", s) for s in SERVICES}
                | {("services.shared.ops.migrate",), ("services.assessment.attempt_server",),
                   ("services.gateway.attempt_gateway",)})
    assert commands == expected
    for name, service in app.items():
        assert service["read_only"] is True, name
        assert service["user"].split(":")[0] not in ("0", "root"), name
        assert service["cap_drop"] == ["ALL"], name
        assert service["build"]["dockerfile"] == "deploy/Dockerfile"
        if name != "migrate":
            assert service["depends_on"]["migrate"]["condition"] == (
                "service_completed_successfully")
    assert {"postgres", "rabbitmq", "s3"} <= set(services)


def test_compose_runs_the_attempt_server_and_gateway():
    """Test day's two processes on a laptop: the attempt server (healthy before either
    gateway starts), both gateways pointed at it, the attempt gateway on its own port."""
    services = compose()["services"]
    server, gateway = services[ATTEMPT_SERVER], services[ATTEMPT_GATEWAY]
    assert server["healthcheck"]["test"][-1] == str(ATTEMPT_SERVER_PORT)
    for name in GATEWAYS:
        assert services[name]["environment"]["ATTEMPT_SERVER_GRPC_TARGET"] == (
            f"http://{ATTEMPT_SERVER}:{ATTEMPT_SERVER_PORT}")
        assert services[name]["depends_on"][ATTEMPT_SERVER] == {"condition": "service_healthy"}
    assert gateway["ports"] == [f"127.0.0.1:{ATTEMPT_GATEWAY_PORT}:{ATTEMPT_GATEWAY_PORT}"]
    assert f":{ATTEMPT_GATEWAY_PORT}/readyz" in gateway["healthcheck"]["test"][-1]
    assert "ports" not in server


@pytest.mark.skipif(subprocess.run(["docker", "compose", "version"], capture_output=True).returncode
                    != 0 if shutil.which("docker") else True,
                    reason="no Docker CLI with the compose plugin on this machine")
def test_docker_compose_config():
    result = subprocess.run(["docker", "compose", "-f", str(DEPLOY / "compose.yaml"), "config",
                             "--quiet"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def dockerfile_stages() -> list[list[str]]:
    text = (DEPLOY / "Dockerfile").read_text()
    lines = re.sub(r"\\\n\s*", " ", text).splitlines()
    stages, current = [], None
    for line in lines:
        if line.startswith("FROM "):
            current = [line]
            stages.append(current)
        elif current is not None and line.strip() and not line.startswith("#"):
            current.append(line)
    return stages


def test_dockerfile_rules():
    text = (DEPLOY / "Dockerfile").read_text()
    base = re.search(r"^ARG PYTHON_IMAGE=(\S+)$", text, re.M).group(1)
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?", base)
    build, runtime = dockerfile_stages()
    assert build[0] == "FROM ${PYTHON_IMAGE} AS build"
    assert runtime[0] == "FROM ${PYTHON_IMAGE} AS runtime"
    assert any("requirements.txt" in line for line in build)
    assert any("grpc_tools.protoc" in line and "protos/*.proto" in line for line in build)
    user = [line.split()[1] for line in runtime if line.startswith("USER ")]
    assert user and re.fullmatch(r"[1-9]\d*:[1-9]\d*", user[-1])
    runtime_text = "\n".join(runtime)
    for tool in ("apt-get install", "gcc", "build-essential", "pip install"):
        assert tool not in runtime_text
    assert "COPY --from=build /app/gen" in runtime_text
    # the test-only pins the image leaves out are all in requirements.txt
    excluded = re.search(r'^ARG TEST_ONLY="([^"]+)"', text, re.M).group(1).split("|")
    pins = {line.split("==")[0] for line in (REPO / "requirements.txt").read_text().splitlines()
            if "==" in line}
    assert set(excluded) <= pins
    for runtime_package in ("nameko", "grpcio", "sqlalchemy", "psycopg2-binary"):
        assert runtime_package not in excluded


def test_dockerignore_lets_in_only_what_the_image_needs():
    lines = [line for line in (REPO / ".dockerignore").read_text().splitlines()
             if line and not line.startswith("#")]
    assert lines[0] == "*"
    assert {line for line in lines if line.startswith("!")} == {
        "!requirements.txt", "!protos/", "!services/"}


# -- deploy.sh ---------------------------------------------------------------------------------

def test_deploy_script_migrates_before_the_rollout(tmp_path):
    log = tmp_path / "calls"
    fake = tmp_path / "kubectl"
    fake.write_text(f'#!/bin/sh\necho "$*" >> {log}\n')
    fake.chmod(0o755)
    result = subprocess.run(["bash", str(K8S / "deploy.sh"), "prod"], capture_output=True,
                            text=True, timeout=60, env={**os.environ, "KUBECTL": str(fake)})
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    phase = checks.PHASE

    def index(prefix):
        return next(i for i, call in enumerate(calls) if call.startswith(prefix))

    prepare = index(f"apply -k {K8S}/overlays/prod -l {phase}=prepare")
    wait_db = index("-n sobat-bps wait --for=condition=Ready cluster.postgresql.cnpg.io/sobat-pg")
    delete_jobs = index(f"-n sobat-bps delete job -l {phase}=migrate")
    migrate = index(f"apply -k {K8S}/overlays/prod -l {phase}=migrate")
    wait_jobs = index(f"-n sobat-bps wait --for=condition=Complete job -l {phase}=migrate")
    rollout = index(f"apply -k {K8S}/overlays/prod -l {phase}=rollout")
    assert prepare < wait_db < delete_jobs < migrate < wait_jobs < rollout

    failing = tmp_path / "failing"
    failing.write_text(f'#!/bin/sh\necho "$*" >> {log}.2\n'
                       'case "$*" in *"condition=Complete"*) exit 1;; esac\n')
    failing.chmod(0o755)
    result = subprocess.run(["bash", str(K8S / "deploy.sh"), "prod"], capture_output=True,
                            text=True, timeout=60, env={**os.environ, "KUBECTL": str(failing)})
    assert result.returncode == 1
    assert "migrations did not complete" in result.stderr
    assert not any(f"{phase}=rollout" in call for call in Path(f"{log}.2").read_text()
                   .splitlines())


# -- the settings the pods start with, as the code reads them ----------------------------------

def resolved_env(objects, workload) -> dict[str, str]:
    """The environment a workload's container gets: its ConfigMaps, then its env, with each
    secretKeyRef standing for a URL-safe value named after it and $(VAR) expanded as the
    kubelet does."""
    container = checks.pod_spec(workload)["containers"][0]
    env: dict[str, str] = {}
    for ref in container.get("envFrom") or []:
        env.update(find(objects, "ConfigMap", ref["configMapRef"]["name"])["data"])
    for item in container.get("env") or []:
        if "value" in item:
            env[item["name"]] = re.sub(r"\$\((\w+)\)", lambda m: env.get(m[1], m[0]),
                                       item["value"])
        else:
            ref = item["valueFrom"]["secretKeyRef"]
            env[item["name"]] = f"{ref['name']}.{ref['key']}"
    return env


def code_settings() -> set[str]:
    names = set()
    for path in (REPO / "services").rglob("*.py"):
        text = path.read_text()
        names |= set(re.findall(r"""(?:_env|environ\.get)\(\s*"([A-Z][A-Z0-9_]+)\"""", text))
        for suffix in re.findall(r"""_env\(f"\{service\.upper\(\)\}_([A-Z_]+)\"""", text):
            names |= {f"{service.upper()}_{suffix}" for service in SERVICES}
    return names


# Settings of changes under way (the S3 document store): named in the manifests already.


@needs_kustomize
@pytest.mark.parametrize("tree", ["dev", "prod"])
def test_pods_start_with_settings_the_code_accepts(rendered, tree):
    """Each container's environment, fed to services/shared/platform/config.py: production
    mode with the shared JWT secret, bound to all interfaces on the ports the manifests
    declare and probe, pools within the checks made at start, the gateways' targets the
    Services (the attempt server's too), quorum queues on; and no setting the code does not
    read. The attempt server and the attempt gateway included (components attempt-server,
    attempt-gateway)."""
    from unittest import mock

    from sqlalchemy.engine import make_url

    from services.shared.platform import config, messaging

    objects = rendered[tree]
    known = code_settings()
    service_ports = {s["metadata"]["name"]: s["spec"]["ports"][0]["port"]
                     for s in find(objects, "Service")}
    checked = set()
    for workload in [*find(objects, "Deployment"), *find(objects, "Job")]:
        labels = checks.pod_labels(workload)
        name, component = labels["app.kubernetes.io/name"], labels["app.kubernetes.io/component"]
        checked.add(component)
        env = resolved_env(objects, workload)
        unknown = {key for key in env if key not in known
                   and key not in ("DB_USERNAME", "DB_PASSWORD", "AMQP_USERNAME", "AMQP_PASSWORD")}
        assert unknown == set(), (workload["metadata"]["name"], unknown)
        container = checks.pod_spec(workload)["containers"][0]
        declared = [p["containerPort"] for p in container.get("ports") or []]
        with mock.patch.dict(os.environ, env, clear=True):
            assert config.environment() == "production"
            if component in ("service", "relay", "migration"):
                url = make_url(config.database_url(name))
                assert (url.username, url.password, url.host, url.database) == (
                    f"sobat-db-{name}.username", f"sobat-db-{name}.password", "sobat-pg-rw", name)
                assert url.query["sslmode"] == "require"
            if component in ("service", "relay", "gateway"):
                assert config.amqp_uri() == ("amqp://sobat-rabbitmq-default-user.username:"
                                             "sobat-rabbitmq-default-user.password@"
                                             "sobat-rabbitmq:5672/")
            if component == "attempt-server":
                assert name == "assessment"
                url = make_url(config.database_url(name))
                assert (url.username, url.password, url.host, url.database) == (
                    "sobat-db-assessment.username", "sobat-db-assessment.password",
                    "sobat-pg-rw", "assessment")
                assert url.query["sslmode"] == "require"
                assert declared == [config.attempt_server_port()] == [ATTEMPT_SERVER_PORT]
                for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                    assert container[probe]["grpc"]["port"] == config.attempt_server_port()
                assert service_ports[ATTEMPT_SERVER] == config.attempt_server_port()
                assert config.grpc_bind_host() == "0.0.0.0"
                assert config.jwt_secret() == "sobat-jwt.jwt-secret"
                pool = config.database_pool()  # raises on a pool the checks refuse
                # every call thread and the heartbeat hold a connection at once
                assert pool.size + pool.max_overflow >= config.attempt_server_threads() + 1
                config.timekeeper_settings()
                assert config.grpc_target("registration") == "http://registration:50051"
                assert "AMQP_URI" not in env
            if component == "attempt-gateway":
                assert declared == [config.attempt_gateway_port()] == [ATTEMPT_GATEWAY_PORT]
                assert config.gateway_bind_host() == "0.0.0.0"
                assert config.jwt_secret() == "sobat-jwt.jwt-secret"
                assert config.attempt_server_target() == (
                    f"http://{ATTEMPT_SERVER}:{service_ports[ATTEMPT_SERVER]}")
                assert config.attempt_gateway().processes == 1  # /metrics counts one process
                assert config.attempt_gateway().threads >= 1
                assert config.trusted_proxies() == ("10.0.0.0/8",)
                config.http_limits()
                assert config.gateway_deadline_seconds() > 0
                assert "AMQP_URI" not in env and "REDIS_URL" not in env
            if component == "service":
                assert declared == [config.grpc_port(name), config.service_metrics_port(name)]
                assert container["livenessProbe"]["grpc"]["port"] == config.grpc_port(name)
                assert config.grpc_bind_host() == "0.0.0.0"
                assert config.jwt_secret() == "sobat-jwt.jwt-secret"
                pool = config.database_pool()  # raises on a pool the checks refuse
                assert pool.size + pool.max_overflow >= config.max_workers()
                config.timekeeper_settings()
                assert messaging.quorum_mode()
                assert config.grpc_target("registration") == "http://registration:50051"
            if component == "relay":
                assert declared == [config.relay_metrics_port(name)]
                assert config.grpc_bind_host() == "0.0.0.0"  # the metrics endpoint's
                assert config.mail_settings().smtp_host
                assert messaging.quorum_mode()
            if component == "gateway":
                assert declared == [config.gateway_port()]
                assert config.gateway_bind_host() == "0.0.0.0"
                assert config.jwt_secret() == "sobat-jwt.jwt-secret"
                for service in SERVICES:
                    assert config.grpc_target(service) == (
                        f"http://{service}:{service_ports[service]}")
                assert config.attempt_server_target() == (
                    f"http://{ATTEMPT_SERVER}:{service_ports[ATTEMPT_SERVER]}")
                assert config.http_limits().max_connections_per_address == 0
    assert checked == {"service", "relay", "migration", "gateway", "attempt-server",
                       "attempt-gateway"}
