#!/usr/bin/env bash
# Offline checks of deploy/ and dashboards/: Prometheus config and rules (promtool), every kustomize
# overlay rendered and validated against the Kubernetes schemas (kubernetes-validate, which bundles
# them), and the dashboards' JSON. Needs: promtool (Debian package prometheus), kubectl or kustomize
# (to render the overlays) and the Python package kubernetes-validate.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
K8S_VERSION="${K8S_VERSION:-1.32.0}"
cd "$ROOT"

promtool check config deploy/prometheus/prometheus.yml
promtool check rules deploy/prometheus/rules.yml

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for dir in deploy/k8s/base deploy/k8s/overlays/*/; do
  name="$(basename "$dir")"
  if command -v kubectl >/dev/null; then
    kubectl kustomize "$dir" >"$out/$name.yaml"
  elif command -v kustomize >/dev/null; then
    kustomize build "$dir" >"$out/$name.yaml"
  else
    echo "validate.sh: needs kubectl (or kustomize) to render $dir" >&2
    exit 1
  fi
  kubernetes-validate --strict --kubernetes-version "$K8S_VERSION" "$out/$name.yaml"
done

for f in dashboards/*.json; do
  python3 - "$f" <<'PY'
import json, sys
path = sys.argv[1]
d = json.load(open(path))
assert d["schemaVersion"] >= 39, path
names = [v["name"] for v in d["templating"]["list"]]
assert "datasource" in names, path
for p in d["panels"]:
    ds = p.get("datasource")
    assert ds is None or ds.get("uid") == "${datasource}", (path, p["title"], ds)
    for t in p.get("targets", []):
        assert t["datasource"]["uid"] == "${datasource}", (path, p["title"])
print(f"{path}: ok ({sum(len(p.get('targets', [])) for p in d['panels'])} queries)")
PY
done
