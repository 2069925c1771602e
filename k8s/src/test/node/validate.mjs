// Validates Kubernetes objects against the upstream OpenAPI schemas (Kubernetes itself and the
// Strimzi, CloudNativePG, KEDA and Prometheus operator CRDs), through the validators that the
// kubernetes-models packages generate from those schemas.
//
// Usage: node validate.mjs objects.json   (a JSON array of objects)
// Prints one JSON document: [{ "id": ..., "model": ..., "errors": [...] }], one entry per object.
// An object whose apiVersion/kind has no model gets an error too, so nothing passes unchecked.
import { readFileSync } from "node:fs";

// API group -> the package (and folder) holding its generated models
const PACKAGES = {
  "": "kubernetes-models",
  "apps": "kubernetes-models",
  "batch": "kubernetes-models",
  "policy": "kubernetes-models",
  "autoscaling": "kubernetes-models",
  "networking.k8s.io": "kubernetes-models",
  "rbac.authorization.k8s.io": "kubernetes-models",
  "kafka.strimzi.io": "@kubernetes-models/strimzi-kafka-operator",
  "postgresql.cnpg.io": "@kubernetes-models/cloudnative-pg",
  "keda.sh": "@kubernetes-models/keda",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

function modulePath(apiVersion, kind) {
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const pkg = PACKAGES[group];
  if (!pkg) return null;
  return `${pkg}/${apiVersion}/${kind}`;
}

function idOf(o) {
  return `${o.apiVersion} ${o.kind}/${o.metadata?.name}`;
}

function messages(e) {
  // ValidationError from @kubernetes-models/validate carries ajv's errors
  if (Array.isArray(e.errors) && e.errors.length > 0) {
    return e.errors.map((x) => `${x.instancePath || "/"} ${x.message}${x.params ? " " + JSON.stringify(x.params) : ""}`);
  }
  return [String(e.message)];
}

const objects = JSON.parse(readFileSync(process.argv[2], "utf8"));
const results = [];
for (const o of objects) {
  const path = modulePath(String(o.apiVersion ?? ""), String(o.kind ?? ""));
  const result = { id: idOf(o), model: path, errors: [] };
  if (!path) {
    result.errors.push("no upstream schema known for this apiVersion");
  } else {
    let Model;
    try {
      Model = (await import(path))[o.kind];
    } catch (e) {
      result.errors.push(`no model ${path}: ${e.code ?? e.message}`);
    }
    if (Model) {
      try {
        new Model(o).validate();
      } catch (e) {
        result.errors.push(...messages(e));
      }
    }
  }
  results.push(result);
}
process.stdout.write(JSON.stringify(results));
