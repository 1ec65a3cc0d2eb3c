"""The offline checks of deploy/: render the kustomize trees, validate every object against the
Kubernetes schemas (kubernetes-validate, bundled with the package) and the operators' CRD
schemas kept in deploy/schemas/, and the house policy (non-root, read-only, limits, probes,
secrets referenced and listed, one way in). Each check returns a list of problems, so that a
test can show that a broken manifest is caught (tests/deploy/test_manifests.py).

Rendering needs kustomize: `kubectl kustomize` (kubectl ships it; it is on this project's
machines) or a standalone `kustomize`. Neither can be installed from the package registries
the project reaches, so without both the rendering tests skip, saying so; the base's files
are complete objects and are validated without rendering either way.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import jsonschema
import kubernetes_validate
import yaml
from referencing import Registry, Resource

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
K8S = DEPLOY / "k8s"
SCHEMAS = DEPLOY / "schemas"
# The oldest Kubernetes the manifests are written for (matchLabelKeys: deploy/README.md).
KUBERNETES_VERSION = "1.31"
PHASE = "sobat.bps.go.id/phase"
PHASES = ("prepare", "migrate", "rollout")
WORKLOADS = ("Deployment", "Job", "StatefulSet", "DaemonSet", "CronJob", "Pod")


# -- rendering ---------------------------------------------------------------------------------

def kustomize_command() -> list[str] | None:
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize"]
    if shutil.which("kustomize"):
        return ["kustomize", "build"]
    return None


def render(directory: Path) -> list[dict]:
    """The objects ``kustomize build`` makes of ``directory``; RuntimeError with its message
    when it fails (a missing file, a patch that matches nothing)."""
    command = kustomize_command()
    if command is None:
        raise LookupError("neither kubectl nor kustomize is on PATH")
    result = subprocess.run([*command, str(directory)], capture_output=True, text=True,
                            timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"kustomize failed on {directory}: {result.stderr.strip()}")
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def load_files(directory: Path) -> list[dict]:
    """Every object of the YAML files under ``directory`` but kustomization files."""
    objects = []
    for path in sorted(directory.rglob("*.yaml")):
        if path.name != "kustomization.yaml":
            objects += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return objects


def name_of(obj: dict) -> str:
    return f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"


# -- schemas -----------------------------------------------------------------------------------

def _closed(schema):
    """A CRD schema as the API server applies it: a field no schema names is an error (the
    server would prune it silently: a typo would just vanish), unless the schema keeps
    unknown fields or describes a map (additionalProperties)."""
    if isinstance(schema, dict):
        schema = {key: _closed(value) for key, value in schema.items()}
        if ("properties" in schema and "additionalProperties" not in schema
                and not schema.get("x-kubernetes-preserve-unknown-fields")):
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [_closed(item) for item in schema]
    return schema


@cache
def crd_validator(kind: str, api_version: str):
    group, _, version = api_version.rpartition("/")
    path = SCHEMAS / f"{kind.lower()}-{group}-{version}.json"
    if not path.exists():
        return None
    schema = json.loads(path.read_text())
    schema.pop("$comment", None)
    # metadata is checked by the API server, not by the CRD's schema
    schema.setdefault("properties", {})["metadata"] = {"type": "object"}
    return jsonschema.Draft7Validator(_closed(schema))


def schema_errors(obj: dict, version: str = KUBERNETES_VERSION) -> list[str]:
    """Problems of one object against its schema: built-in kinds by kubernetes-validate in
    strict mode (unknown fields are errors), custom resources by the vendored CRD schema."""
    where = name_of(obj)
    if not isinstance(obj.get("apiVersion"), str) or not isinstance(obj.get("kind"), str):
        return [f"{where}: no apiVersion or kind"]
    validator = crd_validator(obj["kind"], obj["apiVersion"])
    if validator is not None:
        return [f"{where}: {'.'.join(map(str, error.absolute_path)) or '(root)'}: "
                f"{error.message[:300]}" for error in validator.iter_errors(obj)]
    validator = builtin_validator(obj["kind"], obj["apiVersion"], version)
    if validator is None:
        return [f"{where}: no schema for {obj['apiVersion']} {obj['kind']} (a custom resource "
                f"needs its CRD schema in deploy/schemas/)"]
    return [f"{where}: {'.'.join(map(str, error.absolute_path)) or '(root)'}: "
            f"{error.message[:300]}" for error in validator.iter_errors(obj)]


@cache
def builtin_validator(kind: str, api_version: str, version: str):
    """kubernetes-validate's strict schema of a built-in kind, loaded once (its own
    ``validate`` reads the definitions, megabytes of JSON, for every object)."""
    utils = kubernetes_validate.utils
    schema_version = [v for v in utils.all_versions()
                      if utils.major_minor(v) <= utils.major_minor(version)][-1]
    directory = f"kubernetes-json-schema/v{schema_version}-local-strict"
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    try:
        schema = utils.schema_contents(f"{directory}/{kind.lower()}-{group_version}.json",
                                       version)
    except FileNotFoundError:
        return None
    definitions = utils.schema_contents(f"{directory}/_definitions.json", version)
    registry = Resource.from_contents(definitions) @ (Resource.from_contents(schema)
                                                      @ Registry())
    return jsonschema.Draft202012Validator(schema, registry=registry)


# -- the README's table of secrets -------------------------------------------------------------

def readme_secrets(readme: Path = DEPLOY / "README.md") -> set[str]:
    """The names in the first column of the table under the heading "Secrets"."""
    text = readme.read_text()
    match = re.search(r"^## Secrets\n(.*?)(?=^## )", text, re.S | re.M)
    if not match:
        return set()
    names = set()
    for line in match.group(1).splitlines():
        cell = re.match(r"\|\s*`([a-z0-9.-]+)`\s*\|", line)
        if cell:
            names.add(cell.group(1))
    return names


def referenced_secrets(objects: list[dict]) -> dict[str, set[str]]:
    """Secret name -> the objects that reference it (env, envFrom, volumes, Ingress TLS,
    image pull secrets, and an operator's ``...Secret: {name: ...}`` such as CloudNativePG's
    role passwords)."""
    found: dict[str, set[str]] = {}

    def walk(node, owner):
        if isinstance(node, dict):
            for key, value in node.items():
                if (key in ("secretKeyRef", "secretRef") or key.lower().endswith("secret")) \
                        and isinstance(value, dict) and value.get("name"):
                    found.setdefault(value["name"], set()).add(owner)
                elif key == "secretName" and isinstance(value, str):
                    found.setdefault(value, set()).add(owner)
                elif key == "imagePullSecrets":
                    for ref in value or []:
                        found.setdefault(ref["name"], set()).add(owner)
                walk(value, owner)
        elif isinstance(node, list):
            for item in node:
                walk(item, owner)

    for obj in objects:
        walk(obj, name_of(obj))
    return found


# -- policy ------------------------------------------------------------------------------------

def pod_spec(obj: dict) -> dict | None:
    if obj.get("kind") == "Pod":
        return obj.get("spec")
    if obj.get("kind") == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    if obj.get("kind") in WORKLOADS:
        return obj.get("spec", {}).get("template", {}).get("spec")
    return None


def pod_labels(obj: dict) -> dict:
    return obj.get("spec", {}).get("template", {}).get("metadata", {}).get("labels", {})


# Behind the Ingress: the gateway, and the attempt gateway for this prefix only (test day's
# hot routes: services/gateway/attempt_gateway.py).
ATTEMPT_GATEWAY = "attempt-gateway"
ATTEMPT_PREFIX = "/api/v1/attempts/"


def ingress_backend(ingress: dict, host: str, request_path: str) -> str | None:
    """The Service the Ingress sends ``request_path`` on ``host`` to, as the Ingress
    specification matches: an Exact path equal to it, else the longest Prefix path whose
    elements begin it (a trailing slash ignored); None: no rule matches."""
    best, best_length = None, -1
    for rule in ingress["spec"].get("rules") or []:
        if rule.get("host", host) != host:
            continue
        for path in (rule.get("http") or {}).get("paths") or []:
            name = path["backend"].get("service", {}).get("name")
            if path.get("pathType") == "Exact":
                if path["path"] == request_path:
                    return name
                continue
            prefix = path["path"].rstrip("/").split("/")
            elements = request_path.rstrip("/").split("/")
            if elements[:len(prefix)] == prefix and len(path["path"]) > best_length:
                best, best_length = name, len(path["path"])
    return best


SECRET_NAME = re.compile(r"(SECRET|PASSWORD|TOKEN|ACCESS_KEY|_URI$|_URL$)")
# Settings whose value is an address without credentials, or a reference composed from
# secretKeyRef variables ($(DB_PASSWORD)) rather than a secret itself.
PUBLIC_URL = {"PUBLIC_BASE_URL", "S3_ENDPOINT_URL"}


def container_problems(where: str, pod: dict, container: dict, needs_readiness: bool,
                       needs_liveness: bool) -> list[str]:
    problems = []
    where = f"{where} container {container.get('name')}"
    security = container.get("securityContext") or {}
    pod_security = pod.get("securityContext") or {}
    run_as_non_root = security.get("runAsNonRoot", pod_security.get("runAsNonRoot"))
    run_as_user = security.get("runAsUser", pod_security.get("runAsUser"))
    if run_as_non_root is not True:
        problems.append(f"{where}: runAsNonRoot is not true")
    if run_as_user == 0:
        problems.append(f"{where}: runs as user 0")
    if security.get("readOnlyRootFilesystem") is not True:
        problems.append(f"{where}: root filesystem is not read-only")
    if security.get("allowPrivilegeEscalation") is not False:
        problems.append(f"{where}: allowPrivilegeEscalation is not false")
    if security.get("privileged"):
        problems.append(f"{where}: privileged")
    if "ALL" not in ((security.get("capabilities") or {}).get("drop") or []):
        problems.append(f"{where}: capabilities not dropped (drop: [ALL])")
    if (security.get("capabilities") or {}).get("add"):
        problems.append(f"{where}: adds capabilities")
    seccomp = (security.get("seccompProfile") or pod_security.get("seccompProfile") or {})
    if seccomp.get("type") not in ("RuntimeDefault", "Localhost"):
        problems.append(f"{where}: no seccomp profile (RuntimeDefault)")
    resources = container.get("resources") or {}
    for kind in ("requests", "limits"):
        for resource in ("cpu", "memory"):
            if not (resources.get(kind) or {}).get(resource):
                problems.append(f"{where}: no {resource} {kind[:-1]}")
    image = container.get("image", "")
    if "@sha256:" not in image and (":" not in image.rsplit("/", 1)[-1]
                                    or image.endswith(":latest")):
        problems.append(f"{where}: image {image!r} has no fixed tag")
    if needs_liveness and not container.get("livenessProbe"):
        problems.append(f"{where}: no livenessProbe")
    if needs_readiness and not container.get("readinessProbe"):
        problems.append(f"{where}: no readinessProbe")
    for env in container.get("env") or []:
        if ("value" in env and SECRET_NAME.search(env["name"]) and env["name"] not in PUBLIC_URL
                and not re.fullmatch(r"[a-z]+://(\$\([A-Z_]+\):\$\([A-Z_]+\)@)?[^@]*",
                                     env["value"])):
            problems.append(f"{where}: {env['name']} is inlined, not from a Secret")
    return problems


def selects(selector: dict | None, labels: dict) -> bool:
    """A label selector (matchLabels and matchExpressions) matches ``labels``; an empty one
    matches everything, a missing one nothing."""
    if selector is None:
        return False
    if any(labels.get(key) != value for key, value in (selector.get("matchLabels") or {}).items()):
        return False
    for expression in selector.get("matchExpressions") or []:
        key, operator, values = expression["key"], expression["operator"], expression.get(
            "values", [])
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and labels.get(key) in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


def policy_problems(objects: list[dict], secrets_table: set[str]) -> list[str]:
    problems = []
    services = [o for o in objects if o.get("kind") == "Service"]
    by_kind: dict[str, list[dict]] = {}
    for obj in objects:
        by_kind.setdefault(obj.get("kind"), []).append(obj)

    if by_kind.get("Secret"):
        problems += [f"{name_of(o)}: a Secret in the manifests (secrets are referenced, never "
                     f"inlined)" for o in by_kind["Secret"]]

    for obj in objects:
        labels = obj.get("metadata", {}).get("labels") or {}
        if labels.get(PHASE) not in PHASES:
            problems.append(f"{name_of(obj)}: label {PHASE} is not one of {PHASES}")
        pod = pod_spec(obj)
        if pod is None:
            continue
        where = name_of(obj)
        expected_phase = {"Job": "migrate"}.get(obj["kind"], "rollout")
        if labels.get(PHASE) != expected_phase:
            problems.append(f"{where}: phase {labels.get(PHASE)!r}, expected {expected_phase!r}")
        if pod.get("automountServiceAccountToken") is not False:
            problems.append(f"{where}: mounts a service account token")
        if pod.get("enableServiceLinks") is not False:
            problems.append(f"{where}: enableServiceLinks (Service variables such as GATEWAY_PORT "
                            f"would clash with the settings)")
        if pod.get("hostNetwork") or pod.get("hostPID") or pod.get("hostIPC"):
            problems.append(f"{where}: shares a host namespace")
        behind_service = any(
            s.get("spec", {}).get("selector") and selects(
                {"matchLabels": s["spec"]["selector"]}, pod_labels(obj)) for s in services)
        long_running = obj["kind"] != "Job"
        for container in pod.get("containers") or []:
            problems += container_problems(where, pod, container, behind_service, long_running)
        for container in pod.get("initContainers") or []:
            problems += container_problems(where, pod, container, False, False)

    for obj in by_kind.get("ConfigMap", []):
        for key, value in (obj.get("data") or {}).items():
            if re.search(r"SECRET|PASSWORD|TOKEN|ACCESS_KEY", key) or re.search(
                    r"://[^/@$]+:[^/@$]+@", str(value)):
                problems.append(f"{name_of(obj)}: {key} looks like a secret in a ConfigMap")

    for obj in by_kind.get("Service", []):
        kind = obj.get("spec", {}).get("type", "ClusterIP")
        if kind in ("NodePort", "LoadBalancer") or obj["spec"].get("externalIPs"):
            problems.append(f"{name_of(obj)}: type {kind}: only the Ingress leads in")
    for obj in by_kind.get("Ingress", []):
        for rule in obj["spec"].get("rules") or []:
            for path in (rule.get("http") or {}).get("paths") or []:
                backend = path["backend"].get("service", {}).get("name")
                if backend == ATTEMPT_GATEWAY:
                    if (path["path"], path.get("pathType")) != (ATTEMPT_PREFIX, "Prefix"):
                        problems.append(f"{name_of(obj)}: routes {path['path']} to "
                                        f"{backend!r}: the attempt gateway takes the prefix "
                                        f"{ATTEMPT_PREFIX} only")
                elif backend != "gateway":
                    problems.append(f"{name_of(obj)}: routes {path['path']} to {backend!r}: the "
                                    f"gateway is the only Service behind the Ingress (and the "
                                    f"attempt gateway for {ATTEMPT_PREFIX})")
                for internal in ("/metrics", "/readyz", "/healthz"):
                    if internal.startswith(path["path"]) or path["path"] == "/":
                        problems.append(f"{name_of(obj)}: path {path['path']} exposes "
                                        f"{internal}")
        if obj["spec"].get("defaultBackend"):
            problems.append(f"{name_of(obj)}: a default backend")

    for name, owners in sorted(referenced_secrets(objects).items()):
        if name not in secrets_table:
            problems.append(f"Secret {name} (referenced by {', '.join(sorted(owners))}) is "
                            f"not in deploy/README.md's table of secrets")
    return problems


# Processes with a pool of their database's role: the service, its attempt server (assessment's:
# the same role and pool settings), its relay and its migration.
POOLED = ("service", "attempt-server", "relay", "migration")


def _pool_connections(settings: dict) -> int:
    """What a service's pool may open (services/shared/platform/config.py database_pool):
    DATABASE_POOL_SIZE (MAX_WORKERS) + DATABASE_MAX_OVERFLOW (MAX_WORKERS less the size)."""
    workers = int(settings.get("MAX_WORKERS", 50))
    size = int(settings.get("DATABASE_POOL_SIZE", workers))
    return size + int(settings.get("DATABASE_MAX_OVERFLOW", max(0, workers - size)))


def connection_use(objects: list[dict]) -> dict[str, int]:
    """Connections each database role's pods can open at most (the role is the pods'
    ``app.kubernetes.io/name``): every service and attempt server pod its pool (MAX_WORKERS
    by default), every relay 4 (a pool of 2 + 2 overflow), every migration 2, at the HPA's
    maximum or the Deployment's replicas plus one surge pod."""
    config = {}
    for obj in objects:
        if obj.get("kind") == "ConfigMap":
            config[obj["metadata"]["name"]] = obj.get("data") or {}
    hpa_max = {o["spec"]["scaleTargetRef"]["name"]: o["spec"]["maxReplicas"]
               for o in objects if o.get("kind") == "HorizontalPodAutoscaler"}
    used: dict[str, int] = {}
    for obj in objects:
        if obj.get("kind") not in ("Deployment", "Job"):
            continue
        component = pod_labels(obj).get("app.kubernetes.io/component")
        if component not in POOLED:
            continue
        container = pod_spec(obj)["containers"][0]
        settings = {}
        for ref in container.get("envFrom") or []:
            settings.update(config.get(ref.get("configMapRef", {}).get("name"), {}))
        for env in container.get("env") or []:
            if "value" in env:
                settings[env["name"]] = env["value"]
        if obj["kind"] == "Job":
            pods, per_pod = 1, 2
        else:
            surge = obj["spec"].get("strategy", {}).get("rollingUpdate", {}).get("maxSurge", 1)
            pods = hpa_max.get(obj["metadata"]["name"], obj["spec"].get("replicas", 1)) + surge
            per_pod = (_pool_connections(settings) if component in ("service", "attempt-server")
                       else 4)
        role = pod_labels(obj)["app.kubernetes.io/name"]
        used[role] = used.get(role, 0) + pods * per_pod
    return used


def connection_budget(objects: list[dict]) -> tuple[int, int]:
    """(connections the pods can open at most, all roles together: ``connection_use``;
    PostgreSQL's max_connections less reserve)."""
    used = sum(connection_use(objects).values())
    cluster = next(o for o in objects if o.get("kind") == "Cluster")
    parameters = cluster["spec"].get("postgresql", {}).get("parameters", {})
    # superuser_reserved_connections (3) and the operator's own (streaming, monitoring)
    available = int(parameters.get("max_connections", 100)) - 3 - 20
    return used, available
