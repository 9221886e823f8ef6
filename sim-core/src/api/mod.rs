//! The Kubernetes API objects kubesim simulates, as they are written in manifests, plus the
//! API server's create path for them: decoding ([`decode`]), defaulting
//! ([`defaults::default_object`]) and validation ([`validation::validate_object`]).
//!
//! Upstream target: Kubernetes v1.33. Field names follow `staging/src/k8s.io/api/*/v1/types.go`
//! in kubernetes/kubernetes. Only fields the simulator acts on are modelled; every other field
//! a manifest sets is reported by [`decode`] as "not simulated" rather than rejected (a separate
//! schema validator rejects fields that do not exist in Kubernetes at all).

use std::fmt;

/// Declares a string-valued Kubernetes enum (`type RestartPolicy string` upstream).
///
/// Upstream decodes *any* string into these types and lets validation reject unknown values
/// with `Unsupported value: "Sometimes": supported values: ...`. To report the same error we
/// keep unknown strings in an `Other` variant instead of failing to decode.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $s:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value Kubernetes does not define; kept verbatim so validation can report it.
            Other(String),
        }

        impl $name {
            /// The wire spelling of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $s,)+
                    Self::Other(s) => s.as_str(),
                }
            }

            /// Whether this is one of the values Kubernetes defines.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($s => Self::$variant,)+
                    other => Self::Other(other.to_string()),
                }
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(s.as_str()))
            }
        }
    };
}

pub mod apps;
pub mod batch;
pub mod core;
pub mod defaults;
pub mod meta;
pub mod policy;
pub mod scheduling;
pub mod validation;

pub use self::apps::*;
pub use self::batch::*;
pub use self::core::*;
pub use self::defaults::default_object;
pub use self::meta::*;
pub use self::policy::*;
pub use self::scheduling::*;
pub use self::validation::{FieldError, FieldErrorKind, invalid_message, validate_object};

use serde::de::DeserializeOwned;

/// One API object of a kind kubesim simulates.
///
/// Variants hold whole objects rather than boxes: objects are few and long-lived, and the
/// unboxed form keeps pattern matching in controllers simple.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Object {
    Pod(Pod),
    Node(Node),
    Namespace(Namespace),
    PriorityClass(PriorityClass),
    Deployment(Deployment),
    ReplicaSet(ReplicaSet),
    StatefulSet(StatefulSet),
    DaemonSet(DaemonSet),
    Job(Job),
    CronJob(CronJob),
    PodDisruptionBudget(PodDisruptionBudget),
}

impl Object {
    /// The object's `kind`, e.g. `Deployment`.
    pub fn kind(&self) -> &'static str {
        match self {
            Object::Pod(_) => "Pod",
            Object::Node(_) => "Node",
            Object::Namespace(_) => "Namespace",
            Object::PriorityClass(_) => "PriorityClass",
            Object::Deployment(_) => "Deployment",
            Object::ReplicaSet(_) => "ReplicaSet",
            Object::StatefulSet(_) => "StatefulSet",
            Object::DaemonSet(_) => "DaemonSet",
            Object::Job(_) => "Job",
            Object::CronJob(_) => "CronJob",
            Object::PodDisruptionBudget(_) => "PodDisruptionBudget",
        }
    }

    /// The `apiVersion` kubesim serves this kind at (the only one it accepts).
    pub fn api_version(&self) -> &'static str {
        match self {
            Object::Pod(_) | Object::Node(_) | Object::Namespace(_) => "v1",
            Object::PriorityClass(_) => "scheduling.k8s.io/v1",
            Object::Deployment(_)
            | Object::ReplicaSet(_)
            | Object::StatefulSet(_)
            | Object::DaemonSet(_) => "apps/v1",
            Object::Job(_) | Object::CronJob(_) => "batch/v1",
            Object::PodDisruptionBudget(_) => "policy/v1",
        }
    }

    /// The kind qualified by its API group, as upstream prints it in errors
    /// (`Deployment.apps "web" is invalid: ...`); the core group prints the bare kind.
    pub fn qualified_kind(&self) -> String {
        match self.api_version().rsplit_once('/') {
            Some((group, _)) => format!("{}.{}", self.kind(), group),
            None => self.kind().to_string(),
        }
    }

    /// Whether objects of this kind live in a namespace.
    pub fn is_namespaced(&self) -> bool {
        !matches!(
            self,
            Object::Node(_) | Object::Namespace(_) | Object::PriorityClass(_)
        )
    }

    pub fn metadata(&self) -> &ObjectMeta {
        match self {
            Object::Pod(o) => &o.metadata,
            Object::Node(o) => &o.metadata,
            Object::Namespace(o) => &o.metadata,
            Object::PriorityClass(o) => &o.metadata,
            Object::Deployment(o) => &o.metadata,
            Object::ReplicaSet(o) => &o.metadata,
            Object::StatefulSet(o) => &o.metadata,
            Object::DaemonSet(o) => &o.metadata,
            Object::Job(o) => &o.metadata,
            Object::CronJob(o) => &o.metadata,
            Object::PodDisruptionBudget(o) => &o.metadata,
        }
    }

    pub fn metadata_mut(&mut self) -> &mut ObjectMeta {
        match self {
            Object::Pod(o) => &mut o.metadata,
            Object::Node(o) => &mut o.metadata,
            Object::Namespace(o) => &mut o.metadata,
            Object::PriorityClass(o) => &mut o.metadata,
            Object::Deployment(o) => &mut o.metadata,
            Object::ReplicaSet(o) => &mut o.metadata,
            Object::StatefulSet(o) => &mut o.metadata,
            Object::DaemonSet(o) => &mut o.metadata,
            Object::Job(o) => &mut o.metadata,
            Object::CronJob(o) => &mut o.metadata,
            Object::PodDisruptionBudget(o) => &mut o.metadata,
        }
    }

    /// `metadata.name`, or `""` when the manifest only set `generateName` (or nothing).
    pub fn name(&self) -> &str {
        self.metadata().name.as_deref().unwrap_or("")
    }
}

/// A manifest that could not be decoded into the Go types upstream would decode it into.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", if path.is_empty() { message.clone() } else { format!("{path}: {message}") })]
pub struct DecodeError {
    /// Where the bad value sits, in Kubernetes field syntax (`spec.containers[0].ports[1]`);
    /// empty when the problem is the object as a whole.
    pub path: String,
    pub message: String,
}

/// Decodes one manifest of the given `apiVersion` and `kind`.
///
/// Returns `Ok(None)` for kinds kubesim does not simulate (Service, ConfigMap, ...), and
/// otherwise the object plus the paths of fields it sets that kubesim does not model, in
/// Kubernetes syntax (`spec.containers[0].volumeMounts`), one per ignored field (not per
/// field nested inside it), in the order serde_json's map yields keys (sorted within each
/// object), so the list is deterministic.
///
/// A kind kubesim simulates but under an `apiVersion` v1.33 does not serve (`extensions/v1beta1`
/// Deployments, `batch/v1beta1` CronJobs, ...) is an error, as it is for `kubectl apply`.
pub fn decode(
    api_version: &str,
    kind: &str,
    json: serde_json::Value,
) -> Result<Option<(Object, Vec<String>)>, DecodeError> {
    let served = match kind {
        "Pod" | "Node" | "Namespace" => "v1",
        "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" => "apps/v1",
        "Job" | "CronJob" => "batch/v1",
        "PodDisruptionBudget" => "policy/v1",
        "PriorityClass" => "scheduling.k8s.io/v1",
        _ => return Ok(None),
    };
    if api_version != served {
        // kubectl's wording (k8s.io/apimachinery/pkg/api/meta: NoKindMatchError).
        return Err(DecodeError {
            path: String::new(),
            message: format!("no matches for kind {kind:?} in version {api_version:?}"),
        });
    }
    let (object, ignored) = match kind {
        "Pod" => decode_as(json).map(|(o, i)| (Object::Pod(o), i))?,
        "Node" => decode_as(json).map(|(o, i)| (Object::Node(o), i))?,
        "Namespace" => decode_as(json).map(|(o, i)| (Object::Namespace(o), i))?,
        "Deployment" => decode_as(json).map(|(o, i)| (Object::Deployment(o), i))?,
        "ReplicaSet" => decode_as(json).map(|(o, i)| (Object::ReplicaSet(o), i))?,
        "StatefulSet" => decode_as(json).map(|(o, i)| (Object::StatefulSet(o), i))?,
        "DaemonSet" => decode_as(json).map(|(o, i)| (Object::DaemonSet(o), i))?,
        "Job" => decode_as(json).map(|(o, i)| (Object::Job(o), i))?,
        "CronJob" => decode_as(json).map(|(o, i)| (Object::CronJob(o), i))?,
        "PodDisruptionBudget" => {
            decode_as(json).map(|(o, i)| (Object::PodDisruptionBudget(o), i))?
        }
        _ => decode_as(json).map(|(o, i)| (Object::PriorityClass(o), i))?,
    };
    Ok(Some((object, ignored)))
}

/// Go's JSON decoding leaves a field at its zero value when the manifest says `null`
/// (YAML's `env:` with nothing after it), so null-valued keys are dropped before decoding:
/// every field here defaults when absent.
fn strip_nulls(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

fn decode_as<T: DeserializeOwned>(
    mut json: serde_json::Value,
) -> Result<(T, Vec<String>), DecodeError> {
    strip_nulls(&mut json);
    let mut ignored = Vec::new();
    let mut record = |path: serde_ignored::Path<'_>| ignored.push(ignored_path(&path));
    let result: Result<T, _> =
        serde_path_to_error::deserialize(serde_ignored::Deserializer::new(json, &mut record));
    match result {
        Ok(value) => Ok((value, ignored)),
        Err(err) => Err(DecodeError {
            path: error_path(err.path()),
            message: err.inner().to_string(),
        }),
    }
}

/// Renders serde_ignored's path in Kubernetes field syntax: `spec.containers[0].volumeMounts`.
fn ignored_path(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", ignored_path(parent)),
        Path::Map { parent, key } => {
            let parent = ignored_path(parent);
            if parent.is_empty() {
                key.clone()
            } else {
                format!("{parent}.{key}")
            }
        }
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => ignored_path(parent),
    }
}

fn error_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Unknown => {}
        }
    }
    out
}

impl fmt::Display for Object {
    /// `Kind/name`, the way kubectl names objects.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind(), self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decode_reports_unmodelled_fields_in_kubernetes_syntax() {
        let manifest = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "web", "uid": "abc"},
            "spec": {
                "containers": [{
                    "name": "c",
                    "image": "nginx",
                    "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                    "env": [{"name": "A", "value": "b"}]
                }],
                "volumes": [{"name": "data", "emptyDir": {}}],
                "dnsPolicy": "ClusterFirst"
            },
            "status": {"phase": "Running"}
        });
        let (object, ignored) = decode("v1", "Pod", manifest).unwrap().unwrap();
        assert_eq!(object.kind(), "Pod");
        assert_eq!(object.name(), "web");
        assert_eq!(
            ignored,
            vec![
                "metadata.uid",
                "spec.containers[0].env",
                "spec.containers[0].volumeMounts",
                "spec.dnsPolicy",
                "spec.volumes[0].emptyDir",
                "status",
            ]
        );
    }

    #[test]
    fn decode_treats_null_as_unset() {
        let manifest = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p", "labels": null, "annotations": null},
            "spec": {"containers": [{"name": "c", "image": "i", "env": null, "ports": null, "resources": null}],
                     "nodeSelector": null, "priority": null}
        });
        let (object, ignored) = decode("v1", "Pod", manifest).unwrap().unwrap();
        assert!(ignored.is_empty(), "{ignored:?}");
        let Object::Pod(pod) = object else {
            panic!("not a pod")
        };
        assert!(pod.metadata.labels.is_empty() && pod.spec.containers[0].ports.is_empty());
        assert_eq!(pod.spec.priority, None);
    }

    #[test]
    fn decode_skips_kinds_that_are_not_simulated() {
        let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}});
        assert_eq!(decode("v1", "Service", svc).unwrap(), None);
    }

    #[test]
    fn decode_rejects_versions_v1_33_does_not_serve() {
        let err = decode("extensions/v1beta1", "Deployment", json!({})).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"no matches for kind "Deployment" in version "extensions/v1beta1""#
        );
    }

    #[test]
    fn decode_error_carries_the_field_path() {
        let manifest = json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {"replicas": "three"}
        });
        let err = decode("apps/v1", "Deployment", manifest).unwrap_err();
        assert_eq!(err.path, "spec.replicas");
        assert!(err.message.contains("invalid type"), "{}", err.message);

        let manifest = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "spec": {"containers": [{"name": "c", "ports": [{"containerPort": 80}, {"containerPort": "x"}]}]}
        });
        let err = decode("v1", "Pod", manifest).unwrap_err();
        assert_eq!(err.path, "spec.containers[0].ports[1].containerPort");
    }

    #[test]
    fn decode_keeps_unknown_enum_values_for_validation() {
        let manifest = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p"},
            "spec": {"restartPolicy": "Sometimes", "containers": [{"name": "c", "image": "i"}]}
        });
        let (object, _) = decode("v1", "Pod", manifest).unwrap().unwrap();
        let Object::Pod(pod) = object else {
            panic!("not a pod")
        };
        assert_eq!(
            pod.spec.restart_policy,
            Some(RestartPolicy::Other("Sometimes".into()))
        );
    }

    #[test]
    fn every_kind_decodes_and_round_trips() {
        let cases = [
            (
                "v1",
                "Node",
                json!({"metadata": {"name": "n"}, "status": {"capacity": {"cpu": "4"}}}),
            ),
            ("v1", "Namespace", json!({"metadata": {"name": "team-a"}})),
            (
                "scheduling.k8s.io/v1",
                "PriorityClass",
                json!({"metadata": {"name": "high"}, "value": 1000}),
            ),
            (
                "apps/v1",
                "ReplicaSet",
                json!({"metadata": {"name": "r"}, "spec": {"replicas": 2}}),
            ),
            (
                "apps/v1",
                "StatefulSet",
                json!({"metadata": {"name": "s"}, "spec": {"serviceName": "s"}}),
            ),
            ("apps/v1", "DaemonSet", json!({"metadata": {"name": "d"}})),
            (
                "batch/v1",
                "Job",
                json!({"metadata": {"name": "j"}, "spec": {"completions": 3}}),
            ),
            (
                "batch/v1",
                "CronJob",
                json!({"metadata": {"name": "c"}, "spec": {"schedule": "* * * * *"}}),
            ),
            (
                "policy/v1",
                "PodDisruptionBudget",
                json!({"metadata": {"name": "p"}, "spec": {"minAvailable": "50%"}}),
            ),
        ];
        for (api_version, kind, mut manifest) in cases {
            manifest["apiVersion"] = json!(api_version);
            manifest["kind"] = json!(kind);
            let (object, ignored) = decode(api_version, kind, manifest.clone())
                .unwrap()
                .unwrap();
            assert!(ignored.is_empty(), "{kind}: {ignored:?}");
            assert_eq!(object.kind(), kind);
            assert_eq!(object.api_version(), api_version);
            assert_eq!(serde_json::to_value(&object).unwrap(), manifest, "{kind}");
        }
    }

    #[test]
    fn qualified_kind_matches_upstream_error_prefix() {
        let (object, _) = decode(
            "apps/v1",
            "Deployment",
            json!({"metadata": {"name": "web"}}),
        )
        .unwrap()
        .unwrap();
        assert_eq!(object.qualified_kind(), "Deployment.apps");
        assert_eq!(object.to_string(), "Deployment/web");
        let (object, _) = decode("v1", "Pod", json!({})).unwrap().unwrap();
        assert_eq!(object.qualified_kind(), "Pod");
    }
}
