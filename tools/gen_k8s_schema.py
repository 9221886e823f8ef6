#!/usr/bin/env python3
"""Generate sim-core/src/schema/k8s-1.33.schema: the field shapes of every Kubernetes 1.33
object, which kubesim uses to reject unknown fields and wrongly-typed values exactly like the
API server's strict decoding does.

Sources
-------
* Required: the official Kubernetes Python client **33.1.0, which is generated from
  Kubernetes 1.33's OpenAPI spec** (client major version 33 = Kubernetes 1.33). From each
  model class in ``kubernetes/client/models`` we read ``openapi_types`` (attribute -> type),
  ``attribute_map`` (attribute -> JSON key) and the required attributes (setters raising
  "Invalid value for `x`, must not be `None`"). Group/version/kind of top-level objects come
  from the REST paths in ``kubernetes/client/api/*_api.py`` (the request body / response
  type of collection POSTs, e.g. ``/apis/apps/v1/namespaces/{namespace}/deployments`` ->
  ``V1Deployment`` = ``apps/v1 Deployment``).
* Optional but recommended: the Go sources of k8s.io/api and k8s.io/apimachinery at the
  matching tag (v0.33.x). The Python client loses information the API server's decoder
  cares about: ``int`` is int32 or int64, ``str`` may be a ``resource.Quantity`` (accepts
  JSON numbers) or ``[]byte`` (must be base64), ``object`` may be an ``IntOrString``, and
  Go's error messages name Go types (``v1.Protocol``, ``v1.ResourceList``). With the Go
  sources every field gets its exact Go type; without them we fall back to field-name
  heuristics (maxSurge/maxUnavailable/minAvailable/targetPort/probe ports are
  int-or-string; requests/limits/capacity/allocatable/hard/used/overhead are quantity maps).

Regenerate (Kubernetes 1.33)
----------------------------
    pip download --no-deps kubernetes==33.1.0 -d /tmp/k8spy
    (cd /tmp/k8spy && mkdir -p ex && cd ex && unzip -q ../kubernetes-33.1.0-py2.py3-none-any.whl)
    git clone --depth 1 -b v0.33.1 https://github.com/kubernetes/api /tmp/k8sgo/api
    git clone --depth 1 -b v0.33.1 https://github.com/kubernetes/apimachinery /tmp/k8sgo/apimachinery
    python3 tools/gen_k8s_schema.py /tmp/k8spy/ex/kubernetes/client/models \\
        --go-api /tmp/k8sgo/api --go-apimachinery /tmp/k8sgo/apimachinery \\
        -o sim-core/src/schema/k8s-1.33.schema

For another release use the matching client (34.x = Kubernetes 1.34, ...) and Go tags, and
rename the output. The script only parses the sources (ast/regex); it imports nothing from
them. Output is sorted and deterministic. Diagnostics go to stderr.

Output format (one record per line, space separated, ``#`` comments)
---------------------------------------------------------------------
    kind <apiVersion> <Kind> <Model>          top-level object, e.g. kind apps/v1 Deployment V1Deployment
    model <Model> <GoType>                    Go type of the model, e.g. model V1PodSpec v1.PodSpec
    <Model> <jsonKey> <type> [required] [go=<GoType>] [elem=<GoType>]
Types: str int32 int64 bool float datetime bytes quantity int-or-string object <Model>
list[<type>] dict(str,<type>). ``go=`` is the Go type when it differs from the default
spelling derived from <type> (str->string, bytes->[]uint8, float->float64,
datetime->v1.Time, quantity->resource.Quantity, int-or-string->intstr.IntOrString,
object->runtime.RawExtension, <Model>->its model line, list[T]->[]T, dict(str,T)->
map[string]T); ``elem=`` is the Go element type of a named list/map type.
"""

import argparse
import ast
import os
import re
import sys
from collections import defaultdict

MODEL_NAME = re.compile(r"^(?P<group>(?:[A-Z][a-z]+)*?)V(?P<ver>\d+(?:alpha\d+|beta\d+)?)(?P<name>[A-Z]\w*)$")

# Fallback heuristics when no Go sources are given (see module docstring).
INT_OR_STRING_FIELDS = {"maxSurge", "maxUnavailable", "minAvailable", "targetPort"}
INT_OR_STRING_PORT_MODELS = {"V1HTTPGetAction", "V1TCPSocketAction", "V1NetworkPolicyPort"}
QUANTITY_MAP_FIELDS = {"requests", "limits", "capacity", "allocatable", "hard", "used", "overhead"}
INT64_FIELDS = {"observedGeneration", "generation", "maxLength", "minLength", "maxItems",
                "minItems", "maxProperties", "minProperties", "activeDeadlineSeconds",
                "terminationGracePeriodSeconds", "deletionGracePeriodSeconds", "runAsUser",
                "runAsGroup", "fsGroup", "startingDeadlineSeconds", "expirationSeconds",
                "tolerationSeconds"}

# Go types with custom JSON decoding, by import path -> our schema type.
GO_SPECIAL = {
    ("k8s.io/apimachinery/pkg/api/resource", "Quantity"): "quantity",
    ("k8s.io/apimachinery/pkg/util/intstr", "IntOrString"): "int-or-string",
    ("k8s.io/apimachinery/pkg/apis/meta/v1", "Time"): "datetime",
    ("k8s.io/apimachinery/pkg/apis/meta/v1", "MicroTime"): "datetime",
    ("k8s.io/apimachinery/pkg/apis/meta/v1", "FieldsV1"): "object",
    ("k8s.io/apimachinery/pkg/runtime", "RawExtension"): "object",
    ("k8s.io/apimachinery/pkg/types", "UID"): "str",
    ("k8s.io/apimachinery/pkg/apis/meta/v1", "Duration"): "str",
}
GO_BUILTIN = {
    "string": "str", "bool": "bool", "int32": "int32", "int64": "int64", "int": "int64",
    "float64": "float", "float32": "float", "uint64": "int64", "uint32": "int32",
}


def warn(msg):
    print("gen_k8s_schema: " + msg, file=sys.stderr)


# --------------------------------------------------------------------------- python client

def read_models(models_dir):
    """class name -> dict(fields={attr: (json, pytype)}, required=set(attrs))"""
    models = {}
    for fname in sorted(os.listdir(models_dir)):
        if not fname.endswith(".py") or fname == "__init__.py":
            continue
        src = open(os.path.join(models_dir, fname), encoding="utf-8").read()
        tree = ast.parse(src)
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            types = amap = None
            for st in node.body:
                if isinstance(st, ast.Assign) and isinstance(st.targets[0], ast.Name):
                    if st.targets[0].id == "openapi_types":
                        types = ast.literal_eval(st.value)
                    elif st.targets[0].id == "attribute_map":
                        amap = ast.literal_eval(st.value)
            if types is None or amap is None:
                continue
            required = set(re.findall(r"Invalid value for `(\w+)`, must not be `None`", src))
            fields = {attr: (amap[attr], t) for attr, t in types.items()}
            unknown_req = required - set(fields)
            if unknown_req:
                warn(f"{node.name}: required attrs not in openapi_types: {sorted(unknown_req)}")
            models[node.name] = {"fields": fields, "required": required & set(fields)}
    return models


CALL_API = re.compile(
    r"call_api\(\s*'(?P<path>[^']+)',\s*'(?P<method>[A-Z]+)',.*?response_type='(?P<rtype>\w+)'",
    re.S)
CORE_PATH = re.compile(r"^/api/(?P<ver>v\d\w*)/(?:namespaces/\{namespace\}/)?(?P<plural>[a-z0-9]+)$")
GROUP_PATH = re.compile(
    r"^/apis/(?P<group>[a-z0-9.\-]+)/(?P<ver>v\d\w*)/(?:namespaces/\{namespace\}/)?(?P<plural>[a-z0-9]+)$")


def read_kinds(api_dir, models):
    """Model -> apiVersion from collection POST (object) and GET (list) endpoints."""
    found = defaultdict(set)
    for fname in sorted(os.listdir(api_dir)):
        if not fname.endswith("_api.py"):
            continue
        src = open(os.path.join(api_dir, fname), encoding="utf-8").read()
        for m in CALL_API.finditer(src):
            path, method, rtype = m.group("path", "method", "rtype")
            if method not in ("POST", "GET"):
                continue
            pm = CORE_PATH.match(path) or GROUP_PATH.match(path)
            if not pm:
                continue
            gd = pm.groupdict()
            api_version = f"{gd['group']}/{gd['ver']}" if gd.get("group") else gd["ver"]
            found[rtype].add(api_version)
    kinds = []
    for model, versions in sorted(found.items()):
        info = models.get(model)
        if not info:
            continue
        jsons = {j for j, _ in info["fields"].values()}
        if not {"apiVersion", "kind"} <= jsons:
            continue
        mm = MODEL_NAME.match(model)
        if not mm:
            warn(f"cannot derive a kind from {model}")
            continue
        if len(versions) != 1:
            warn(f"{model} served under several group/versions {sorted(versions)}; skipped")
            continue
        (api_version,) = versions
        if api_version.split("/")[-1] != "v" + mm.group("ver"):
            warn(f"{model}: version prefix disagrees with {api_version}; skipped")
            continue
        kinds.append((api_version, mm.group("name"), model))
    # Read-only kinds (ComponentStatus) have no POST; their List's GET gives the version.
    have = {k[2] for k in kinds}
    for api_version, kind, model in list(kinds):
        item = model[:-4] if model.endswith("List") else None
        if item and item not in have and item in models and \
                {"apiVersion", "kind"} <= {j for j, _ in models[item]["fields"].values()}:
            kinds.append((api_version, kind[:-4], item))
            have.add(item)
    with_kind = sorted(m for m, i in models.items()
                       if {"apiVersion", "kind"} <= {j for j, _ in i["fields"].values()})
    missing = [m for m in with_kind if m not in {k[2] for k in kinds}]
    if missing:
        warn("models with apiVersion/kind but no collection endpoint (not kinds): "
             + " ".join(missing))
    return sorted(kinds)


# --------------------------------------------------------------------------- Go sources

class GoPackage:
    def __init__(self, import_path, name):
        self.import_path = import_path
        self.name = name          # Go package name, what reflect's Type.String() prints
        self.structs = {}         # name -> list of (json, type_expr) ; json None = inline
        self.named = {}           # name -> underlying type expression (non-struct)
        self.imports = {}         # per-file aliases merged (k8s keeps them consistent)


IMPORT_LINE = re.compile(r'^\s*(?:(?P<alias>[\w.]+)\s+)?"(?P<path>[^"]+)"')
FIELD_LINE = re.compile(r"^\t(?P<name>\w+)\s+(?P<type>[^\s`]+)\s*`(?P<tag>[^`]*)`")
EMBED_LINE = re.compile(r"^\t(?P<type>[\w.*]+)\s*`(?P<tag>[^`]*)`")
JSON_TAG = re.compile(r'json:"([^"]*)"')


def parse_go_package(directory, import_path):
    pkg = None
    for fname in sorted(os.listdir(directory)):
        if (not fname.endswith(".go") or fname.endswith("_test.go")
                or fname.startswith("zz_generated") or fname.startswith("generated")
                or "swagger_doc" in fname):
            continue
        lines = open(os.path.join(directory, fname), encoding="utf-8").read().split("\n")
        imports = {}
        in_import = False
        cur = None
        for line in lines:
            if line.startswith("package ") and pkg is None:
                pkg = GoPackage(import_path, line.split()[1])
            if line.startswith("import ("):
                in_import = True
                continue
            if in_import:
                if line.startswith(")"):
                    in_import = False
                    continue
                m = IMPORT_LINE.match(line)
                if m:
                    alias = m.group("alias") or m.group("path").rsplit("/", 1)[-1]
                    imports[alias] = m.group("path")
                continue
            if line.startswith("import \""):
                p = line.split('"')[1]
                imports[p.rsplit("/", 1)[-1]] = p
                continue
            if cur is not None:
                if line.startswith("}"):
                    cur = None
                    continue
                m = FIELD_LINE.match(line)
                if m:
                    jt = JSON_TAG.search(m.group("tag"))
                    jname = jt.group(1).split(",")[0] if jt else m.group("name")
                    if jname != "-":
                        pkg.structs[cur].append((jname or m.group("name"),
                                                 (m.group("type"), dict(imports))))
                    continue
                m = EMBED_LINE.match(line)
                if m:
                    jt = JSON_TAG.search(m.group("tag"))
                    jname = jt.group(1).split(",")[0] if jt else ""
                    pkg.structs[cur].append((jname or None, (m.group("type"), dict(imports))))
                continue
            m = re.match(r"^type (\w+) struct\s*\{\s*(\})?", line)
            if m:
                pkg.structs[m.group(1)] = []
                if not m.group(2):
                    cur = m.group(1)
                continue
            m = re.match(r"^type (\w+) (?!struct|interface)(=\s*)?(\S.*?)\s*(//.*)?$", line)
            if m:
                # Defined types (`type Protocol string`) and aliases (`type X = v1.X`) alike:
                # we only need their underlying shape.
                pkg.named[m.group(1)] = (m.group(3), dict(imports))
        if pkg is not None:
            pkg.imports.update(imports)
    return pkg


class GoWorld:
    def __init__(self, api_root, machinery_root):
        self.packages = {}  # import path -> GoPackage
        if api_root:
            for group in sorted(os.listdir(api_root)):
                gdir = os.path.join(api_root, group)
                if not os.path.isdir(gdir) or group in ("testdata", ".git"):
                    continue
                for ver in sorted(os.listdir(gdir)):
                    vdir = os.path.join(gdir, ver)
                    if os.path.isdir(vdir) and re.match(r"^v\d", ver):
                        p = parse_go_package(vdir, f"k8s.io/api/{group}/{ver}")
                        if p:
                            self.packages[p.import_path] = p
        if machinery_root:
            for sub in ("pkg/apis/meta/v1", "pkg/version", "pkg/runtime"):
                d = os.path.join(machinery_root, sub)
                if os.path.isdir(d):
                    p = parse_go_package(d, "k8s.io/apimachinery/" + sub)
                    if p:
                        self.packages[p.import_path] = p

    def struct_of(self, pkg, name, depth=0):
        """Follow defined types/aliases (`type MatchCondition v1.MatchCondition`) to a struct."""
        if name in pkg.structs:
            return pkg, name
        if name in pkg.named and depth < 5:
            texpr, imports = pkg.named[name]
            owner, under = self.resolve_named(pkg, texpr, imports)
            if owner is not None and re.match(r"^\w+$", under or ""):
                return self.struct_of(owner, under, depth + 1)
        return None, None

    def candidates(self, group_prefix, ver, name):
        out = []
        for path, pkg in sorted(self.packages.items()):
            if path.rsplit("/", 1)[-1] != "v" + ver or self.struct_of(pkg, name)[0] is None:
                continue
            if group_prefix:
                g = path.split("/")[-2]
                if g != group_prefix.lower():
                    continue
            out.append(pkg)
        return out

    def struct_fields(self, pkg, name, depth=0):
        """json -> (type_expr, imports, owner pkg), with inline embeds expanded."""
        out = {}
        pkg, name = self.struct_of(pkg, name)
        if pkg is None:
            return out
        for jname, (texpr, imports) in pkg.structs.get(name, []):
            if jname is None:
                owner, ename = self.resolve_named(pkg, texpr.lstrip("*"), imports)
                if owner is not None and depth < 5:
                    out.update(self.struct_fields(owner, ename, depth + 1))
                continue
            out[jname] = (texpr, imports, pkg)
        return out

    def resolve_named(self, pkg, texpr, imports):
        """'metav1.TypeMeta' or 'PodSpec' -> (package, name) or (None, None)."""
        if "." in texpr:
            alias, name = texpr.split(".", 1)
            path = imports.get(alias) or pkg.imports.get(alias)
            p = self.packages.get(path)
            return (p, name) if p else (None, None)
        return pkg, texpr

    # --- Go type -> (reflect Type.String(), schema type refinement)

    def go_string(self, pkg, texpr, imports, deref=True):
        t = texpr
        if deref and t.startswith("*"):
            t = t[1:]
        if t.startswith("[]"):
            return "[]" + self.go_string(pkg, t[2:], imports, deref=False)
        if t.startswith("*"):
            return "*" + self.go_string(pkg, t[1:], imports, deref=False)
        if t.startswith("map["):
            key, val = split_map(t)
            return f"map[{self.go_string(pkg, key, imports, False)}]{self.go_string(pkg, val, imports, False)}"
        if t == "byte":
            return "uint8"
        if t in GO_BUILTIN or t in ("interface{}", "any"):
            return t
        if "." in t:
            alias, name = t.split(".", 1)
            path = imports.get(alias) or pkg.imports.get(alias) or alias
            return path.rsplit("/", 1)[-1] + "." + name
        return pkg.name + "." + t

    def kind(self, pkg, texpr, imports, depth=0):
        """Structural kind: str/int32/.../quantity/... or ('list', k) / ('map', k) / ('struct', pkg, name)."""
        t = texpr.lstrip("*")
        if depth > 10:
            return None
        if t == "[]byte":
            return "bytes"
        if t.startswith("[]"):
            return ("list", self.kind(pkg, t[2:], imports, depth + 1))
        if t.startswith("map["):
            _, val = split_map(t)
            return ("map", self.kind(pkg, val, imports, depth + 1))
        if t in GO_BUILTIN:
            return GO_BUILTIN[t]
        if "." in t:
            alias, name = t.split(".", 1)
            path = imports.get(alias) or pkg.imports.get(alias)
            if (path, name) in GO_SPECIAL:
                return GO_SPECIAL[(path, name)]
            p = self.packages.get(path)
            if p is None:
                return None
            return self.kind_in(p, name, depth)
        return self.kind_in(pkg, t, depth)

    def kind_in(self, pkg, name, depth):
        if (pkg.import_path, name) in GO_SPECIAL:
            return GO_SPECIAL[(pkg.import_path, name)]
        if name in pkg.structs:
            return ("struct", pkg, name)
        if name in pkg.named:
            texpr, imports = pkg.named[name]
            return self.kind(pkg, texpr, imports, depth + 1)
        return None


def split_map(t):
    """'map[K]V' -> (K, V) with bracket matching."""
    depth = 0
    for i in range(3, len(t)):
        if t[i] == "[":
            depth += 1
        elif t[i] == "]":
            depth -= 1
            if depth == 0:
                return t[4:i], t[i + 1:]
    raise ValueError(t)


# --------------------------------------------------------------------------- merge

def py_parse(t):
    """'list[dict(str, V1X)]' -> ('list', ('dict', 'V1X'))"""
    t = t.strip()
    if t.startswith("list[") and t.endswith("]"):
        return ("list", py_parse(t[5:-1]))
    if t.startswith("dict(") and t.endswith(")"):
        k, v = t[5:-1].split(",", 1)
        assert k.strip() == "str", t
        return ("dict", py_parse(v))
    return t


def render(t):
    if isinstance(t, tuple):
        return f"list[{render(t[1])}]" if t[0] == "list" else f"dict(str,{render(t[1])})"
    return t


def default_go(t, model_go):
    if isinstance(t, tuple):
        inner = default_go(t[1], model_go)
        return "[]" + inner if t[0] == "list" else "map[string]" + inner
    return {
        "str": "string", "int32": "int32", "int64": "int64", "bool": "bool", "float": "float64",
        "datetime": "v1.Time", "bytes": "[]uint8", "quantity": "resource.Quantity",
        "int-or-string": "intstr.IntOrString", "object": "runtime.RawExtension",
    }.get(t) or model_go.get(t, t)


def refine(model, jname, pyt, gok, problems):
    """Combine the python type with the Go structural kind (None if unknown)."""
    if isinstance(pyt, tuple):
        want = "list" if pyt[0] == "list" else "map"
        if isinstance(gok, tuple) and gok[0] == want:
            return (pyt[0], refine(model, jname, pyt[1], gok[1], problems))
        if gok is not None:
            problems.append(f"{model}.{jname}: python {render(pyt)} vs go {gok!r}")
        return (pyt[0], refine(model, jname, pyt[1], None, problems))
    if pyt == "int":
        if gok in ("int32", "int64"):
            return gok
        if gok is not None:
            problems.append(f"{model}.{jname}: python int vs go {gok!r}")
        return "int64" if jname in INT64_FIELDS else "int32"
    if pyt == "str":
        if gok in ("quantity", "bytes", "str"):
            return gok
        if gok is not None:
            problems.append(f"{model}.{jname}: python str vs go {gok!r}")
        return "str"
    if pyt == "object":
        if gok in ("int-or-string", "object"):
            return gok
        if gok is None:
            return "int-or-string" if (jname in INT_OR_STRING_FIELDS or (
                jname == "port" and model in INT_OR_STRING_PORT_MODELS)) else "object"
        if isinstance(gok, tuple) and gok[0] == "struct":
            return "object"  # e.g. apiextensions JSON wrappers: anything goes
        problems.append(f"{model}.{jname}: python object vs go {gok!r}")
        return "object"
    if pyt in ("bool", "float", "datetime"):
        return pyt
    return pyt  # a model name


def heuristic_quantity(model, jname, t):
    """Fallback: resource maps hold quantities."""
    if jname in QUANTITY_MAP_FIELDS and t == ("dict", "str"):
        return ("dict", "quantity")
    return t


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("models_dir", help="kubernetes/client/models of the Python client")
    ap.add_argument("--api-dir", help="kubernetes/client/api (default: models_dir/../api)")
    ap.add_argument("--go-api", help="checkout of k8s.io/api at the matching tag")
    ap.add_argument("--go-apimachinery", help="checkout of k8s.io/apimachinery at the matching tag")
    ap.add_argument("-o", "--output", default="-")
    args = ap.parse_args()

    models = read_models(args.models_dir)
    api_dir = args.api_dir or os.path.join(os.path.dirname(os.path.abspath(args.models_dir)), "api")
    kinds = read_kinds(api_dir, models)
    world = GoWorld(args.go_api, args.go_apimachinery) if (args.go_api or args.go_apimachinery) else None

    # Match python models to Go structs: same version, same name, same JSON field set.
    go_of = {}    # model -> (pkg, struct name)
    model_go = {}  # model -> Go type string
    for model in sorted(models):
        mm = MODEL_NAME.match(model)
        name = mm.group("name") if mm else model
        ver = mm.group("ver") if mm else None
        pkgname = "v" + ver if mm else "version"
        if world and mm:
            jsons = {j for j, _ in models[model]["fields"].values()}
            cands = world.candidates(mm.group("group"), ver, name)
            exact = [p for p in cands if set(world.struct_fields(p, name)) == jsons]
            if exact:
                go_of[model] = (exact[0], name)
                pkgname = exact[0].name
            elif cands:
                warn(f"{model}: no Go struct with the same fields among "
                     f"{[c.import_path for c in cands]}; using python types only")
            elif not model.startswith(("V1CustomResource", "V1JSONSchema", "ApiextensionsV1",
                                       "V1APIService", "ApiregistrationV1", "V1Webhook",
                                       "V1ExternalDocumentation", "V1SelectableField",
                                       "V1ServiceReference", "V1ValidationRule")):
                warn(f"{model}: no Go struct found")
        model_go[model] = f"{pkgname}.{name}"

    problems = []
    lines = []
    for model in sorted(models):
        info = models[model]
        gofields = world.struct_fields(*go_of[model]) if model in go_of else {}
        for attr, (jname, pyt) in sorted(info["fields"].items(), key=lambda kv: kv[1][0]):
            parsed = py_parse(pyt)
            go_str = None
            elem = None
            if jname in gofields:
                texpr, imports, owner = gofields[jname]
                gok = world.kind(owner, texpr, imports)
                t = refine(model, jname, parsed, gok, problems)
                go_str = world.go_string(owner, texpr, imports)
                if isinstance(t, tuple) and not go_str.startswith(("[]", "map[")):
                    # Named list/map type (e.g. v1.ResourceList): record the element type.
                    base = texpr.lstrip("*")
                    uk = world.resolve_named(owner, base, imports)
                    if uk[0] is not None and uk[1] in uk[0].named:
                        utexpr, uimports = uk[0].named[uk[1]]
                        inner = world.go_string(uk[0], utexpr, uimports)
                        elem = inner[2:] if inner.startswith("[]") else split_map(inner)[1]
            else:
                t = heuristic_quantity(model, jname, refine(model, jname, parsed, None, problems))
            rendered = render(t)
            parts = [model, jname, rendered]
            if attr in info["required"]:
                parts.append("required")
            if go_str is not None:
                if rendered == "datetime":
                    go_str = None  # Time/MicroTime decode via a string; messages say "string"
                elif go_str != default_go(t, model_go):
                    parts.append("go=" + go_str)
            if elem:
                parts.append("elem=" + elem)
            lines.append(" ".join(parts))
    for p in problems:
        warn("type disagreement: " + p)

    out = []
    out.append("# Kubernetes 1.33 object schemas for kubesim's strict decoding (sim-core/src/schema).")
    out.append("# GENERATED by tools/gen_k8s_schema.py -- do not edit; see that script for the format.")
    out.append("# Source: Kubernetes Python client 33.1.0 (= Kubernetes 1.33) models and API paths"
               + (", Go types from k8s.io/api and k8s.io/apimachinery v0.33.1." if world else "."))
    out.append("# Command: python3 tools/gen_k8s_schema.py /tmp/k8spy/ex/kubernetes/client/models"
               + (" --go-api /tmp/k8sgo/api --go-apimachinery /tmp/k8sgo/apimachinery" if world else "")
               + " -o sim-core/src/schema/k8s-1.33.schema")
    out.append("# Records: kind <apiVersion> <Kind> <Model> | model <Model> <GoType> |"
               " <Model> <jsonKey> <type> [required] [go=<GoType>] [elem=<GoType>]")
    for api_version, kind, model in kinds:
        out.append(f"kind {api_version} {kind} {model}")
    for model in sorted(models):
        out.append(f"model {model} {model_go[model]}")
    out.extend(sorted(lines))
    text = "\n".join(out) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    warn(f"{len(kinds)} kinds, {len(models)} models, {len(lines)} fields")


if __name__ == "__main__":
    main()
