//! Kubernetes manifests in: YAML (multi-document, `kind: List`, KYAML flow style) to typed,
//! defaulted, validated objects, rejecting what the API server rejects with its messages and the
//! file's line and column, and listing valid-but-unsimulated fields once.
//!
//! The pipeline mirrors the API server's: decode YAML as sigs.k8s.io/yaml does (`yaml`), strict
//! field validation against the v1.33 OpenAPI shapes (`schema`), typed decoding (`api::decode`),
//! defaulting (`api::defaults`), then validation (`api::validation`).

use std::collections::BTreeSet;

use crate::api::{self, Object};
use crate::diag::{Diagnostic, Diagnostics, Location, Severity};
use crate::schema;
use crate::yaml::{self, Node, Span};

/// An object read from a file, with where it came from.
#[derive(Clone, Debug)]
pub struct LoadedObject {
    /// The object after the API server's defaulting.
    pub object: Object,
    /// The object as written, before defaulting: what `kubectl apply` sends, so an update can
    /// keep live values of fields the manifest leaves out.
    pub as_written: Object,
    pub file: String,
    pub line: u32,
}

/// Builds a `Location` for `span` in `file`.
pub fn location(file: &str, span: Span) -> Location {
    Location {
        file: file.to_string(),
        line: span.start.line,
        col: span.start.col,
        offset: span.start.offset,
        len: span.end.offset.saturating_sub(span.start.offset),
    }
}

/// API versions removed from Kubernetes, with the release that removed them
/// (https://kubernetes.io/docs/reference/using-api/deprecation-guide/).
const REMOVED_APIS: &[(&str, &str, &str)] = &[
    ("extensions/v1beta1", "Deployment", "1.16"),
    ("extensions/v1beta1", "DaemonSet", "1.16"),
    ("extensions/v1beta1", "ReplicaSet", "1.16"),
    ("extensions/v1beta1", "Ingress", "1.22"),
    ("extensions/v1beta1", "PodSecurityPolicy", "1.16"),
    ("apps/v1beta1", "Deployment", "1.16"),
    ("apps/v1beta1", "StatefulSet", "1.16"),
    ("apps/v1beta2", "Deployment", "1.16"),
    ("apps/v1beta2", "StatefulSet", "1.16"),
    ("apps/v1beta2", "DaemonSet", "1.16"),
    ("apps/v1beta2", "ReplicaSet", "1.16"),
    ("batch/v1beta1", "CronJob", "1.25"),
    ("policy/v1beta1", "PodDisruptionBudget", "1.25"),
    ("policy/v1beta1", "PodSecurityPolicy", "1.25"),
    ("scheduling.k8s.io/v1beta1", "PriorityClass", "1.22"),
    ("scheduling.k8s.io/v1alpha1", "PriorityClass", "1.22"),
    ("networking.k8s.io/v1beta1", "Ingress", "1.22"),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler", "1.25"),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.26"),
    ("rbac.authorization.k8s.io/v1beta1", "Role", "1.22"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRole", "1.22"),
    ("rbac.authorization.k8s.io/v1beta1", "RoleBinding", "1.22"),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRoleBinding",
        "1.22",
    ),
];

/// Collects "not simulated" notes so each (kind, field) is listed once per load.
#[derive(Default)]
pub struct NotSimulated {
    seen: BTreeSet<(String, String)>,
}

impl NotSimulated {
    fn note(
        &mut self,
        diags: &mut Diagnostics,
        kind: &str,
        field: &str,
        loc: Option<Location>,
        message: String,
    ) {
        let generic: String = generic_path(field);
        if self.seen.insert((kind.to_string(), generic.clone())) {
            diags.push(Diagnostic {
                severity: Severity::NotSimulated,
                location: loc,
                field: Some(generic),
                message,
                help: None,
            });
        }
    }
}

/// `spec.containers[0].ports[1]` -> `spec.containers[*].ports[*]`.
fn generic_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for ch in path.chars() {
        match ch {
            '[' => {
                in_index = true;
                out.push_str("[*");
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            c if in_index && c.is_ascii_digit() => {}
            c => {
                if in_index {
                    // A map key in brackets: keep it.
                    out.pop();
                    out.pop();
                    out.push('[');
                    in_index = false;
                }
                out.push(c);
            }
        }
    }
    out
}

/// The span of `path`, or of its nearest ancestor that exists (a missing required field points
/// at the object that lacks it).
pub(crate) fn nearest_span(node: &Node, path: &str) -> Span {
    let mut p = path;
    loop {
        if let Some(span) = node.lookup_span(p) {
            return span;
        }
        match p.rfind(['.', '[']) {
            Some(i) if i > 0 => p = &p[..i],
            _ => return node.span,
        }
    }
}

/// Loads every object of a manifest file.
pub fn load_text(
    file: &str,
    text: &str,
    notes: &mut NotSimulated,
    diags: &mut Diagnostics,
) -> Vec<LoadedObject> {
    let docs = match yaml::parse_documents(text) {
        Ok(d) => d,
        Err(e) => {
            let span = Span {
                start: e.pos,
                end: e.pos,
            };
            diags.push(
                Diagnostic::error(format!("error converting YAML to JSON: {}", e.message))
                    .at(Some(location(file, span)))
                    .help("fix the YAML syntax at this position"),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for doc in &docs {
        load_node(file, &doc.root, notes, diags, &mut out);
    }
    out
}

fn str_field<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.get(key).and_then(Node::as_str)
}

/// Loads the object (or `kind: List` of objects) at `node`.
pub fn load_node(
    file: &str,
    node: &Node,
    notes: &mut NotSimulated,
    diags: &mut Diagnostics,
    out: &mut Vec<LoadedObject>,
) {
    let loc = |span: Span| Some(location(file, span));
    if node.as_map().is_none() {
        diags.push(
            Diagnostic::error(format!(
                "expected a Kubernetes object (a map with apiVersion and kind), found {}",
                node.json_kind()
            ))
            .at(loc(node.span)),
        );
        return;
    }
    let api_version = str_field(node, "apiVersion");
    let kind = str_field(node, "kind");
    let (Some(api_version), Some(kind)) = (api_version, kind) else {
        let mut missing = Vec::new();
        if api_version.is_none() {
            missing.push("apiVersion not set");
        }
        if kind.is_none() {
            missing.push("kind not set");
        }
        diags.push(
            Diagnostic::error(format!("error validating data: [{}]", missing.join(", ")))
                .at(loc(node.span))
                .help("every object needs `apiVersion` and `kind`, e.g. `apiVersion: v1` and `kind: Pod`"),
        );
        return;
    };
    if kind == "List"
        || kind.ends_with("List") && api_version == "v1" && node.get("items").is_some()
    {
        match node.get("items").and_then(Node::as_seq) {
            Some(items) => {
                for item in items {
                    load_node(file, item, notes, diags, out);
                }
            }
            None => diags.push(
                Diagnostic::error("a List needs `items`, a list of objects").at(loc(node.span)),
            ),
        }
        return;
    }
    let schema = schema::k8s_1_33();
    let Some(model) = schema.kind(api_version, kind) else {
        let key_span = node.get("apiVersion").map_or(node.span, |n| n.span);
        let mut d = Diagnostic::error(format!("resource mapping not found: no matches for kind \"{kind}\" in version \"{api_version}\""))
            .at(loc(key_span))
            .field("apiVersion");
        let versions = schema.versions_of_kind(kind);
        let removed = REMOVED_APIS
            .iter()
            .find(|(v, k, _)| *v == api_version && *k == kind);
        d = match (removed, versions.first()) {
            (Some((_, _, release)), Some(v)) => d.help(format!(
                "{api_version} {kind} was removed in Kubernetes {release}; use `apiVersion: {v}`"
            )),
            (None, Some(v)) => d.help(format!(
                "Kubernetes 1.33 serves {kind} as `apiVersion: {v}`"
            )),
            (_, None) => {
                d.help("ensure CRDs are installed first: kubesim knows only built-in kinds")
            }
        };
        diags.push(d);
        return;
    };
    let name = node
        .get("metadata")
        .and_then(|m| str_field(m, "name"))
        .unwrap_or("")
        .to_string();
    let object_label = if name.is_empty() {
        kind.to_string()
    } else {
        format!("{kind} \"{name}\"")
    };
    let schema_errors = schema.validate(model, node);
    let had_schema_errors = !schema_errors.is_empty();
    for e in schema_errors {
        let prefix = match e.kind {
            schema::SchemaErrorKind::UnknownField | schema::SchemaErrorKind::DuplicateField => {
                "strict decoding error: "
            }
            schema::SchemaErrorKind::WrongType => "",
        };
        let mut d = Diagnostic::error(format!("{object_label} is invalid: {prefix}{}", e.message))
            .at(loc(e.span))
            .field(e.path.clone());
        if let Some(h) = e.hint {
            d = d.help(h);
        }
        diags.push(d);
    }
    if had_schema_errors {
        return;
    }
    let json = match yaml::to_json_checked(node) {
        Ok(j) => j,
        Err(e) => {
            diags.push(Diagnostic::error(e.message.clone()).at(loc(node.span)));
            return;
        }
    };
    let decoded = match api::decode(api_version, kind, json) {
        Ok(d) => d,
        Err(e) => {
            let span = nearest_span(node, &e.path);
            diags.push(
                Diagnostic::error(format!("{object_label} is invalid: {}", e.message))
                    .at(loc(span))
                    .field(e.path.clone()),
            );
            return;
        }
    };
    let Some((mut object, ignored)) = decoded else {
        notes.note(
            diags,
            kind,
            "",
            loc(node.span),
            format!("{kind} ({api_version}): accepted, not simulated"),
        );
        return;
    };
    for path in ignored {
        let span = node
            .lookup_key_span(&path)
            .or_else(|| node.lookup_span(&path));
        let generic = generic_path(&path);
        notes.note(
            diags,
            kind,
            &path,
            span.and_then(loc),
            format!("{kind} {generic}: accepted, not simulated"),
        );
    }
    let as_written = object.clone();
    api::defaults::default_object(&mut object);
    let errors = api::validation::validate_object(&object);
    if !errors.is_empty() {
        for e in errors {
            let span = nearest_span(node, &e.path);
            diags.push(
                Diagnostic::error(format!("The {kind} \"{name}\" is invalid: {e}"))
                    .at(loc(span))
                    .field(e.path.clone()),
            );
        }
        return;
    }
    out.push(LoadedObject {
        object,
        as_written,
        file: file.to_string(),
        line: node.span.start.line,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_paths() {
        assert_eq!(
            generic_path("spec.containers[0].ports[12]"),
            "spec.containers[*].ports[*]"
        );
        assert_eq!(generic_path("metadata.labels[app]"), "metadata.labels[app]");
        assert_eq!(generic_path("spec"), "spec");
    }

    fn load(text: &str) -> (Vec<LoadedObject>, Diagnostics) {
        let mut diags = Diagnostics::default();
        let mut notes = NotSimulated::default();
        let objs = load_text("test.yaml", text, &mut notes, &mut diags);
        (objs, diags)
    }

    #[test]
    fn misspelled_field_is_rejected_with_line_and_column() {
        let (objs, diags) = load(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: nginx\n    imagee: nginx:1.27\n",
        );
        assert!(objs.is_empty());
        let e = diags.errors().next().expect("an error");
        assert_eq!(
            e.message,
            "Pod \"web\" is invalid: strict decoding error: unknown field \"spec.containers[0].imagee\""
        );
        let l = e.location.as_ref().expect("a location");
        assert_eq!((l.line, l.col), (8, 5));
        assert_eq!(e.help.as_deref(), Some("did you mean \"image\"?"));
    }

    #[test]
    fn removed_api_version_names_the_replacement() {
        let (_, diags) =
            load("apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: c}\nspec: {}\n");
        let e = diags.errors().next().expect("an error");
        assert!(
            e.message
                .contains("no matches for kind \"CronJob\" in version \"batch/v1beta1\""),
            "{}",
            e.message
        );
        assert!(
            e.help.as_deref().unwrap_or("").contains("batch/v1"),
            "{:?}",
            e.help
        );
    }

    #[test]
    fn lists_and_unsimulated_kinds_and_fields() {
        let (objs, diags) = load(
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n  spec: {ports: [{port: 80}]}\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec:\n    containers:\n    - {name: c, image: nginx, volumeMounts: [{name: v, mountPath: /v}]}\n    volumes: [{name: v, emptyDir: {}}]\n",
        );
        assert!(!diags.has_errors(), "{diags:?}");
        assert_eq!(objs.len(), 1);
        let notes: Vec<_> = diags.not_simulated().map(|d| d.message.clone()).collect();
        assert!(notes.iter().any(|n| n.contains("Service")), "{notes:?}");
        assert!(
            notes.iter().any(|n| n.contains("volumeMounts")),
            "{notes:?}"
        );
    }

    #[test]
    fn kyaml_flow_style_and_octal() {
        let (objs, diags) = load(
            "{\n  apiVersion: \"v1\",\n  kind: \"Pod\",\n  metadata: {name: \"k\"},\n  spec: {containers: [{name: \"c\", image: \"nginx:1.27\"}], volumes: [{name: v, configMap: {name: x, defaultMode: 0644}}]},\n}\n",
        );
        assert!(!diags.has_errors(), "{diags:?}");
        assert_eq!(objs.len(), 1);
    }
}
