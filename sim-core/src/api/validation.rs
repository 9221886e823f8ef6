//! The API server's create validation for the kinds kubesim simulates, ported from
//! pkg/apis/core/validation/validation.go, pkg/apis/apps/validation/validation.go,
//! pkg/apis/batch/validation/validation.go, pkg/apis/policy/validation/validation.go,
//! pkg/apis/scheduling/validation/validation.go,
//! staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go,
//! staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go and
//! staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go.
//!
//! Validation runs on defaulted objects (see [`super::defaults`]), as upstream's does, and
//! reports errors with upstream's paths and wording (including upstream's path quirks, noted
//! where they occur) so that messages match what `kubectl apply` prints.
//!
//! Bad values are rendered the way Go's `field.Error` renders them: strings quoted with Go's
//! `%q`, numbers bare, maps and structs in Go `%#v` syntax. Where upstream would print a Go
//! struct holding pointers (whose addresses are not reproducible) or a `resource.Quantity`
//! internals dump, the value is printed in a stable, readable form instead.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::Object;
use super::apps::*;
use super::batch::*;
use super::core::*;
use super::defaults::{
    CONTROLLER_UID_LABEL, JOB_NAME_LABEL, LEGACY_CONTROLLER_UID_LABEL, LEGACY_JOB_NAME_LABEL,
};
use super::meta::{
    IntOrString, LabelSelector, LabelSelectorOperator, ObjectMeta, OwnerReference, go_atoi,
};
use super::policy::{PodDisruptionBudget, UnhealthyPodEvictionPolicyType};
use super::scheduling::PriorityClass;
use crate::quantity::Quantity;

/// `field.ErrorType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FieldErrorKind {
    Required,
    Invalid,
    NotSupported,
    Duplicate,
    Forbidden,
    TooLong,
    TooMany,
    NotFound,
}

impl FieldErrorKind {
    /// `field.ErrorType.String()`.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldErrorKind::Required => "Required value",
            FieldErrorKind::Invalid => "Invalid value",
            FieldErrorKind::NotSupported => "Unsupported value",
            FieldErrorKind::Duplicate => "Duplicate value",
            FieldErrorKind::Forbidden => "Forbidden",
            FieldErrorKind::TooLong => "Too long",
            FieldErrorKind::TooMany => "Too many",
            FieldErrorKind::NotFound => "Not found",
        }
    }
}

/// One validation failure, shaped like upstream's `field.Error`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldError {
    /// Field path in Kubernetes syntax: `spec.containers[0].resources.limits[cpu]`.
    pub path: String,
    pub kind: FieldErrorKind,
    /// The offending value as upstream prints it (`"My_Pod"`, `-1`,
    /// `map[string]string{"app":"web"}`); `None` when upstream prints no value.
    pub value: Option<String>,
    pub detail: String,
}

impl fmt::Display for FieldError {
    /// `field.Error.Error()`: `path: Type[: value][: detail]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind.as_str())?;
        let shows_value = !matches!(
            self.kind,
            FieldErrorKind::Required | FieldErrorKind::Forbidden | FieldErrorKind::TooLong
        );
        if let (true, Some(value)) = (shows_value, &self.value) {
            write!(f, ": {value}")?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

impl FieldError {
    fn new(
        path: &Path,
        kind: FieldErrorKind,
        value: Option<String>,
        detail: impl Into<String>,
    ) -> FieldError {
        FieldError {
            path: path.0.clone(),
            kind,
            value,
            detail: detail.into(),
        }
    }
    fn required(path: &Path, detail: impl Into<String>) -> FieldError {
        FieldError::new(path, FieldErrorKind::Required, None, detail)
    }
    fn invalid(path: &Path, value: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError::new(path, FieldErrorKind::Invalid, Some(value.into()), detail)
    }
    /// field.Invalid with field.OmitValueType{}.
    fn invalid_omit(path: &Path, detail: impl Into<String>) -> FieldError {
        FieldError::new(path, FieldErrorKind::Invalid, None, detail)
    }
    fn not_supported(path: &Path, value: impl Into<String>, supported: &[&str]) -> FieldError {
        let detail = if supported.is_empty() {
            String::new()
        } else {
            let quoted: Vec<String> = supported.iter().map(|s| go_quote(s)).collect();
            format!("supported values: {}", quoted.join(", "))
        };
        FieldError::new(
            path,
            FieldErrorKind::NotSupported,
            Some(value.into()),
            detail,
        )
    }
    fn duplicate(path: &Path, value: impl Into<String>) -> FieldError {
        FieldError::new(path, FieldErrorKind::Duplicate, Some(value.into()), "")
    }
    fn forbidden(path: &Path, detail: impl Into<String>) -> FieldError {
        FieldError::new(path, FieldErrorKind::Forbidden, None, detail)
    }
    fn too_long(path: &Path, max: usize) -> FieldError {
        let unit = if max == 1 { "byte" } else { "bytes" };
        FieldError::new(
            path,
            FieldErrorKind::TooLong,
            None,
            format!("may not be more than {max} {unit}"),
        )
    }
    fn too_many(path: &Path, actual: usize, max: usize) -> FieldError {
        FieldError::new(
            path,
            FieldErrorKind::TooMany,
            Some(actual.to_string()),
            format!("must have at most {max} items"),
        )
    }
}

/// The message upstream's `errors.NewInvalid` carries for a rejected create:
/// `Deployment.apps "web" is invalid: [spec.replicas: ..., ...]` (one error is not bracketed;
/// identical messages are reported once, as utilerrors.Aggregate does).
pub fn invalid_message(object: &Object, errors: &[FieldError]) -> String {
    aggregate_message(&object.qualified_kind(), object.name(), errors)
}

fn aggregate_message(qualified_kind: &str, name: &str, errors: &[FieldError]) -> String {
    let mut seen = BTreeSet::new();
    let messages: Vec<String> = errors
        .iter()
        .map(ToString::to_string)
        .filter(|m| seen.insert(m.clone()))
        .collect();
    let body = match messages.as_slice() {
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    };
    format!("{} {} is invalid: {body}", qualified_kind, go_quote(name))
}

/// Validates a defaulted object for creation, as the API server would.
pub fn validate_object(object: &Object) -> Vec<FieldError> {
    match object {
        Object::Pod(o) => validate_pod(o),
        Object::Node(o) => validate_node(o),
        Object::Namespace(o) => validate_namespace(o),
        Object::PriorityClass(o) => validate_priority_class(o),
        Object::Deployment(o) => validate_deployment(o),
        Object::ReplicaSet(o) => validate_replica_set(o),
        Object::StatefulSet(o) => validate_stateful_set(o),
        Object::DaemonSet(o) => validate_daemon_set(o),
        Object::Job(o) => validate_job(o),
        Object::CronJob(o) => validate_cron_job(o),
        Object::PodDisruptionBudget(o) => validate_pod_disruption_budget(o),
    }
}

// ---------------------------------------------------------------------------------------
// Field paths (field.Path).

#[derive(Clone, Debug)]
struct Path(String);

impl Path {
    fn new(root: &str) -> Path {
        Path(root.to_string())
    }
    fn child(&self, name: &str) -> Path {
        if self.0.is_empty() {
            Path(name.to_string())
        } else {
            Path(format!("{}.{name}", self.0))
        }
    }
    fn index(&self, i: usize) -> Path {
        Path(format!("{}[{i}]", self.0))
    }
    fn key(&self, key: &str) -> Path {
        Path(format!("{}[{key}]", self.0))
    }
}

// ---------------------------------------------------------------------------------------
// Value rendering (what Go's %q / %v / %#v print).

/// Go's `strconv.Quote` (shared with the YAML decoder's messages).
use crate::yaml::go_quote;

/// `%#v` of a `map[string]string`.
fn render_map(map: &BTreeMap<String, String>) -> String {
    if map.is_empty() {
        return "map[string]string(nil)".to_string();
    }
    let entries: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("{}:{}", go_quote(k), go_quote(v)))
        .collect();
    format!("map[string]string{{{}}}", entries.join(", "))
}

/// `%#v` of a `[]string`.
fn render_strings(values: &[String]) -> String {
    if values.is_empty() {
        return "[]string(nil)".to_string();
    }
    let quoted: Vec<String> = values.iter().map(|v| go_quote(v)).collect();
    format!("[]string{{{}}}", quoted.join(", "))
}

/// `%#v` of a `[]int32`.
fn render_i32s(values: &[i32]) -> String {
    if values.is_empty() {
        return "[]int32(nil)".to_string();
    }
    let items: Vec<String> = values.iter().map(ToString::to_string).collect();
    format!("[]int32{{{}}}", items.join(", "))
}

/// `%#v` of an `intstr.IntOrString` (its String method has a pointer receiver, so upstream
/// prints the struct).
fn render_int_or_string(value: &IntOrString) -> String {
    match value {
        IntOrString::Int(i) => format!("intstr.IntOrString{{Type:0, IntVal:{i}, StrVal:\"\"}}"),
        IntOrString::String(s) => format!(
            "intstr.IntOrString{{Type:1, IntVal:0, StrVal:{}}}",
            go_quote(s)
        ),
    }
}

/// `%#v` of a `metav1.LabelSelector`.
fn render_selector(selector: &LabelSelector) -> String {
    let expressions = if selector.match_expressions.is_empty() {
        "[]v1.LabelSelectorRequirement(nil)".to_string()
    } else {
        let items: Vec<String> = selector
            .match_expressions
            .iter()
            .map(|r| {
                format!(
                    "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{}}}",
                    go_quote(&r.key),
                    go_quote(r.operator.as_ref().map_or("", |o| o.as_str())),
                    render_strings(&r.values)
                )
            })
            .collect();
        format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
    };
    format!(
        "v1.LabelSelector{{MatchLabels:{}, MatchExpressions:{expressions}}}",
        render_map(&selector.match_labels)
    )
}

/// An optional string enum as upstream's plain string: `None` is `""`.
fn opt_str<T: AsRef<str>>(value: &Option<T>) -> &str {
    value.as_ref().map_or("", AsRef::as_ref)
}

// ---------------------------------------------------------------------------------------
// Format checks (staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go).

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_ERR_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_ERR_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_ERR_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_ERR_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const IS_NEGATIVE_ERROR_MSG: &str = "must be greater than or equal to 0";
const IS_NOT_POSITIVE_ERROR_MSG: &str = "must be greater than zero";
const IS_NOT_INTEGER_ERROR_MSG: &str = "must be an integer";
const TOTAL_ANNOTATION_SIZE_LIMIT_B: usize = 256 * (1 << 10);

/// validation.RegexError.
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let mut out = format!("{msg} (e.g. ");
    for (i, example) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push_str(&format!("'{example}', "));
    }
    out.push_str(&format!("regex used for validation is '{fmt}')"));
    out
}

fn max_len_error(length: usize) -> String {
    format!("must be no more than {length} characters")
}

fn inclusive_range_error(lo: i64, hi: i64) -> String {
    format!("must be between {lo} and {hi}, inclusive")
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
fn matches_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    !b.is_empty()
        && alnum(b[0])
        && alnum(b[b.len() - 1])
        && b.iter().all(|&c| alnum(c) || c == b'-')
}

fn matches_dns1123_subdomain(s: &str) -> bool {
    s.split('.').all(matches_dns1123_label)
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
fn matches_qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.')
}

/// validation.IsDNS1123Label.
pub fn is_dns1123_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !matches_dns1123_label(value) {
        if matches_dns1123_subdomain(value) {
            errs.push("must not contain dots".to_string());
        } else {
            errs.push(regex_error(
                DNS1123_LABEL_ERR_MSG,
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

/// validation.IsDNS1123Subdomain.
pub fn is_dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push(max_len_error(253));
    }
    if !matches_dns1123_subdomain(value) {
        errs.push(regex_error(
            DNS1123_SUBDOMAIN_ERR_MSG,
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

/// validation.IsQualifiedName: label keys, annotation keys, resource names, ...
pub fn is_qualified_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                errs.extend(
                    is_dns1123_subdomain(prefix)
                        .into_iter()
                        .map(|m| format!("prefix part {m}")),
                );
            }
            *name
        }
        _ => {
            return vec![format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(
                    QUALIFIED_NAME_ERR_MSG,
                    QUALIFIED_NAME_FMT,
                    &["MyName", "my.name", "123-abc"]
                )
            )];
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len_error(63)));
    }
    if !matches_qualified_name_part(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                QUALIFIED_NAME_ERR_MSG,
                QUALIFIED_NAME_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

/// validation.IsValidLabelValue.
pub fn is_valid_label_value(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !value.is_empty() && !matches_qualified_name_part(value) {
        errs.push(regex_error(
            LABEL_VALUE_ERR_MSG,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

fn is_valid_port_num(port: i64) -> Vec<String> {
    if (1..=65535).contains(&port) {
        Vec::new()
    } else {
        vec![inclusive_range_error(1, 65535)]
    }
}

/// validation.IsValidPortName (IANA service names).
fn is_valid_port_name(port: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if port.len() > 15 {
        errs.push(max_len_error(15));
    }
    if port.is_empty()
        || !port
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        errs.push(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string(),
        );
    }
    if !port.bytes().any(|b| b.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".to_string());
    }
    if port.contains("--") {
        errs.push("must not contain consecutive hyphens".to_string());
    }
    if port.starts_with('-') || port.ends_with('-') {
        errs.push("must not begin or end with a hyphen".to_string());
    }
    errs
}

/// validation.IsValidPercent: `[0-9]+%`.
fn is_valid_percent(percent: &str) -> Vec<String> {
    match percent.strip_suffix('%') {
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            Vec::new()
        }
        _ => vec![regex_error(
            "a valid percent string must be a numeric string followed by an ending '%'",
            "[0-9]+%",
            &["1%", "93%"],
        )],
    }
}

/// Name validators (apimachinery/pkg/api/validation/generic.go): `prefix` means the name is a
/// generateName prefix, which may end in a dash.
type NameFn = fn(&str, bool) -> Vec<String>;

/// maskTrailingDash, quirk included: it drops the character before the dash too.
fn mask_trailing_dash(name: &str) -> String {
    if name.len() > 1 && name.ends_with('-') {
        let bytes = &name.as_bytes()[..name.len() - 2];
        format!("{}a", String::from_utf8_lossy(bytes))
    } else {
        name.to_string()
    }
}

pub fn name_is_dns_subdomain(name: &str, prefix: bool) -> Vec<String> {
    if prefix {
        is_dns1123_subdomain(&mask_trailing_dash(name))
    } else {
        is_dns1123_subdomain(name)
    }
}

pub fn name_is_dns_label(name: &str, prefix: bool) -> Vec<String> {
    if prefix {
        is_dns1123_label(&mask_trailing_dash(name))
    } else {
        is_dns1123_label(name)
    }
}

/// path.ValidatePathSegmentName: what every name must at least be, since it is a URL segment.
pub fn validate_path_segment_name(name: &str, prefix: bool) -> Vec<String> {
    let mut errs = Vec::new();
    if !prefix {
        for bad in [".", ".."] {
            if name == bad {
                errs.push(format!("may not be '{bad}'"));
            }
        }
    }
    for bad in ["/", "%"] {
        if name.contains(bad) {
            errs.push(format!("may not contain '{bad}'"));
        }
    }
    errs
}

// ---------------------------------------------------------------------------------------
// Metadata (apimachinery/pkg/api/validation/objectmeta.go + core's ValidateObjectMeta).

fn validate_nonnegative(value: i64, path: &Path) -> Vec<FieldError> {
    if value < 0 {
        vec![FieldError::invalid(
            path,
            value.to_string(),
            IS_NEGATIVE_ERROR_MSG,
        )]
    } else {
        Vec::new()
    }
}

/// metav1validation.ValidateLabelName.
fn validate_label_name(name: &str, path: &Path) -> Vec<FieldError> {
    is_qualified_name(name)
        .into_iter()
        .map(|m| FieldError::invalid(path, go_quote(name), m))
        .collect()
}

/// metav1validation.ValidateLabels: errors sit on the map's path, not the key's.
fn validate_labels(labels: &BTreeMap<String, String>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (key, value) in labels {
        errs.extend(validate_label_name(key, path));
        errs.extend(
            is_valid_label_value(value)
                .into_iter()
                .map(|m| FieldError::invalid(path, go_quote(value), m)),
        );
    }
    errs
}

fn validate_qualified_name(value: &str, path: &Path) -> Vec<FieldError> {
    is_qualified_name(value)
        .into_iter()
        .map(|m| FieldError::invalid(path, go_quote(value), m))
        .collect()
}

/// ValidateAnnotations: keys are qualified names in any case; the total is capped at 256KiB.
fn validate_annotations(annotations: &BTreeMap<String, String>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for key in annotations.keys() {
        errs.extend(
            is_qualified_name(&key.to_lowercase())
                .into_iter()
                .map(|m| FieldError::invalid(path, go_quote(key), m)),
        );
    }
    let total: usize = annotations.iter().map(|(k, v)| k.len() + v.len()).sum();
    if total > TOTAL_ANNOTATION_SIZE_LIMIT_B {
        errs.push(FieldError::too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT_B));
    }
    errs
}

/// ValidateOwnerReferences (errors carry the list's path, as upstream's do).
fn validate_owner_references(references: &[OwnerReference], path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut first_controller: Option<String> = None;
    for reference in references {
        // schema.FromAPIVersionAndKind: "group/version" or "version"; anything else has no version.
        let (group, version) = match reference
            .api_version
            .split('/')
            .collect::<Vec<_>>()
            .as_slice()
        {
            [version] => ("", *version),
            [group, version] => (*group, *version),
            _ => ("", ""),
        };
        if version.is_empty() {
            errs.push(FieldError::invalid(
                &path.child("apiVersion"),
                go_quote(&reference.api_version),
                "version must not be empty",
            ));
        }
        if reference.kind.is_empty() {
            errs.push(FieldError::invalid(
                &path.child("kind"),
                go_quote(&reference.kind),
                "must not be empty",
            ));
        }
        if reference.name.is_empty() {
            errs.push(FieldError::invalid(
                &path.child("name"),
                go_quote(&reference.name),
                "must not be empty",
            ));
        }
        if reference.uid.is_empty() {
            errs.push(FieldError::invalid(
                &path.child("uid"),
                go_quote(&reference.uid),
                "must not be empty",
            ));
        }
        if group.is_empty() && version == "v1" && reference.kind == "Event" {
            errs.push(FieldError::invalid_omit(
                path,
                "/v1, Kind=Event is disallowed from being an owner",
            ));
        }
        if reference.controller == Some(true) {
            let current = format!("{}/{}", reference.kind, reference.name);
            match &first_controller {
                Some(first) => errs.push(FieldError::invalid_omit(
                    path,
                    format!("Only one reference can have Controller set to true. Found \"true\" in references for {first} and {current}"),
                )),
                None => first_controller = Some(current),
            }
        }
    }
    errs
}

const STANDARD_FINALIZERS: [&str; 3] = ["kubernetes", "orphan", "foregroundDeletion"];

/// apimachinery's ValidateObjectMetaAccessor, plus (when `kube_finalizers`) core's
/// validateKubeFinalizerName.
///
/// `name` may be empty when `generateName` is set: the store generates the name before
/// validating (upstream validates the generated name; only the prefix can be checked here).
/// A missing namespace is not reported: the loader puts namespaced objects in `default`,
/// and upstream clears the namespace of cluster-scoped objects before validating.
fn validate_object_meta(
    meta: &ObjectMeta,
    namespaced: bool,
    name_fn: NameFn,
    kube_finalizers: bool,
) -> Vec<FieldError> {
    let path = Path::new("metadata");
    let mut errs = Vec::new();
    let generate_name = meta.generate_name.as_deref().unwrap_or("");
    let name = meta.name.as_deref().unwrap_or("");
    if !generate_name.is_empty() {
        for m in name_fn(generate_name, true) {
            errs.push(FieldError::invalid(
                &path.child("generateName"),
                go_quote(generate_name),
                m,
            ));
        }
    }
    if name.is_empty() {
        if generate_name.is_empty() {
            errs.push(FieldError::required(
                &path.child("name"),
                "name or generateName is required",
            ));
        }
    } else {
        for m in name_fn(name, false) {
            errs.push(FieldError::invalid(&path.child("name"), go_quote(name), m));
        }
    }
    if namespaced && let Some(namespace) = meta.namespace.as_deref() {
        if namespace.is_empty() {
            errs.push(FieldError::required(&path.child("namespace"), ""));
        } else {
            for m in name_is_dns_label(namespace, false) {
                errs.push(FieldError::invalid(
                    &path.child("namespace"),
                    go_quote(namespace),
                    m,
                ));
            }
        }
    }
    errs.extend(validate_labels(&meta.labels, &path.child("labels")));
    errs.extend(validate_annotations(
        &meta.annotations,
        &path.child("annotations"),
    ));
    errs.extend(validate_owner_references(
        &meta.owner_references,
        &path.child("ownerReferences"),
    ));
    let finalizers_path = path.child("finalizers");
    for finalizer in &meta.finalizers {
        errs.extend(validate_qualified_name(finalizer, &finalizers_path));
    }
    if meta.finalizers.iter().any(|f| f == "orphan")
        && meta.finalizers.iter().any(|f| f == "foregroundDeletion")
    {
        errs.push(FieldError::invalid(
            &finalizers_path,
            render_strings(&meta.finalizers),
            "finalizer orphan and foregroundDeletion cannot be both set",
        ));
    }
    if kube_finalizers {
        for (i, finalizer) in meta.finalizers.iter().enumerate() {
            if !finalizer.contains('/') && !STANDARD_FINALIZERS.contains(&finalizer.as_str()) {
                errs.push(FieldError::invalid(
                    &finalizers_path.index(i),
                    go_quote(finalizer),
                    "name is neither a standard finalizer name nor is it fully qualified",
                ));
            }
        }
    }
    errs
}

/// metav1validation.ValidateLabelSelector (label values always checked on create).
fn validate_label_selector(selector: Option<&LabelSelector>, path: &Path) -> Vec<FieldError> {
    let Some(selector) = selector else {
        return Vec::new();
    };
    let mut errs = validate_labels(&selector.match_labels, &path.child("matchLabels"));
    for (i, requirement) in selector.match_expressions.iter().enumerate() {
        let rpath = path.child("matchExpressions").index(i);
        match &requirement.operator {
            Some(LabelSelectorOperator::In | LabelSelectorOperator::NotIn) => {
                if requirement.values.is_empty() {
                    errs.push(FieldError::required(
                        &rpath.child("values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    ));
                }
            }
            Some(LabelSelectorOperator::Exists | LabelSelectorOperator::DoesNotExist) => {
                if !requirement.values.is_empty() {
                    errs.push(FieldError::forbidden(
                        &rpath.child("values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    ));
                }
            }
            other => errs.push(FieldError::invalid(
                &rpath.child("operator"),
                go_quote(opt_str(other)),
                "not a valid selector operator",
            )),
        }
        errs.extend(validate_label_name(&requirement.key, &rpath.child("key")));
        for (j, value) in requirement.values.iter().enumerate() {
            for m in is_valid_label_value(value) {
                errs.push(FieldError::invalid(
                    &rpath.child("values").index(j),
                    go_quote(value),
                    m,
                ));
            }
        }
    }
    errs
}

/// metav1.LabelSelectorAsSelector succeeds exactly when the selector validates.
fn selector_converts(selector: Option<&LabelSelector>) -> bool {
    validate_label_selector(selector, &Path::new("")).is_empty()
}

/// `labels.Selector.Empty()` after conversion: a missing selector is `Nothing()`, which is
/// not empty; a selector without requirements is `Everything()`, which is.
fn selector_is_empty(selector: Option<&LabelSelector>) -> bool {
    selector.is_some_and(LabelSelector::is_empty)
}

// ---------------------------------------------------------------------------------------
// Pods (pkg/apis/core/validation/validation.go).

const MIRROR_POD_ANNOTATION_KEY: &str = "kubernetes.io/config.mirror";
const POD_DELETION_COST: &str = "controller.kubernetes.io/pod-deletion-cost";

/// ValidatePodCreate.
fn validate_pod(pod: &Pod) -> Vec<FieldError> {
    let mut errs = validate_pod_metadata_and_spec(pod);
    // A pod cannot be bound while it still has scheduling gates.
    if !pod.spec.node_name.is_empty() && !pod.spec.scheduling_gates.is_empty() {
        errs.push(FieldError::forbidden(
            &Path::new("spec").child("nodeName"),
            "cannot be set until all schedulingGates have been cleared",
        ));
    }
    errs
}

/// validatePodMetadataAndSpec: shared by create and update.
fn validate_pod_metadata_and_spec(pod: &Pod) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&pod.metadata, true, name_is_dns_subdomain, true);
    let meta_path = Path::new("metadata");
    errs.extend(validate_pod_specific_annotations(
        &pod.metadata.annotations,
        &pod.spec,
        &meta_path.child("annotations"),
    ));
    let spec_path = Path::new("spec");
    errs.extend(validate_pod_spec(&pod.spec, &spec_path, true));
    // validateContainersOnlyForPod: templates may carry a blank image as a placeholder.
    for (field, containers) in [
        ("containers", &pod.spec.containers),
        ("initContainers", &pod.spec.init_containers),
    ] {
        for (i, container) in containers.iter().enumerate() {
            if container.image.len() != container.image.trim().len() {
                errs.push(FieldError::invalid(
                    &spec_path.child(field).index(i).child("image"),
                    go_quote(&container.image),
                    "must not have leading or trailing whitespace",
                ));
            }
        }
    }
    errs
}

/// The fields ValidatePodUpdate lets an update change (its `updatablePodSpecFields`).
const UPDATABLE_POD_SPEC_FIELDS: &str = "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/// ValidatePodUpdate, for a defaulted `new` pod replacing the stored `old` one (e.g. a
/// re-applied manifest). Returns whether the spec changes, or upstream's rejection message
/// (`Pod "web" is invalid: ...`).
///
/// Not ported: the metadata-update rules (name and namespace cannot differ for the same
/// stored pod anyway), and the node-affinity mutations gated pods may make (nodeSelector
/// additions are ported). Upstream ends the "may not change fields" message with a cmp.Diff
/// of the specs; here it lists the spec fields that differ.
pub fn validate_pod_update(old: &Pod, new: &Pod) -> Result<bool, String> {
    let errs = pod_update_errors(old, new);
    if errs.is_empty() {
        Ok(new.spec != old.spec)
    } else {
        Err(aggregate_message(
            "Pod",
            new.metadata.name.as_deref().unwrap_or(""),
            &errs,
        ))
    }
}

fn pod_update_errors(old: &Pod, new: &Pod) -> Vec<FieldError> {
    let mut errs = validate_pod_metadata_and_spec(new);
    let spec_path = Path::new("spec");
    // ValidateContainerUpdates: same containers, each still with an image.
    for (field, new_containers, old_containers) in [
        ("containers", &new.spec.containers, &old.spec.containers),
        (
            "initContainers",
            &new.spec.init_containers,
            &old.spec.init_containers,
        ),
    ] {
        let path = spec_path.child(field);
        if new_containers.len() != old_containers.len() {
            errs.push(FieldError::forbidden(
                &path,
                "pod updates may not add or remove containers",
            ));
            return errs;
        }
        for (i, container) in new_containers.iter().enumerate() {
            if container.image.is_empty() {
                errs.push(FieldError::required(&path.index(i).child("image"), ""));
            }
            if container.image.trim().len() != container.image.len() {
                errs.push(FieldError::invalid(
                    &path.index(i).child("image"),
                    go_quote(&container.image),
                    "must not have leading or trailing whitespace",
                ));
            }
        }
    }
    // activeDeadlineSeconds may be set, or lowered, but not raised or removed.
    let deadline_path = spec_path.child("activeDeadlineSeconds");
    match (
        new.spec.active_deadline_seconds,
        old.spec.active_deadline_seconds,
    ) {
        (Some(n), _) if !(0..=i64::from(i32::MAX)).contains(&n) => {
            errs.push(FieldError::invalid(
                &deadline_path,
                n.to_string(),
                inclusive_range_error(0, i64::from(i32::MAX)),
            ));
            return errs;
        }
        (Some(n), Some(o)) if o < n => {
            errs.push(FieldError::invalid(
                &deadline_path,
                n.to_string(),
                "must be less than or equal to previous value",
            ));
            return errs;
        }
        (None, Some(_)) => errs.push(FieldError::invalid(
            &deadline_path,
            "null",
            "must not update from a positive integer to nil value",
        )),
        _ => {}
    }
    // validateOnlyAddedTolerations: existing tolerations may only change tolerationSeconds.
    let tolerations_path = spec_path.child("tolerations");
    let modified = old.spec.tolerations.iter().any(|o| {
        !new.spec.tolerations.iter().any(|n| {
            Toleration {
                toleration_seconds: n.toleration_seconds,
                ..o.clone()
            } == *n
        })
    });
    if modified {
        errs.push(FieldError::forbidden(
            &tolerations_path,
            "existing toleration can not be modified except its tolerationSeconds",
        ));
    } else {
        errs.extend(validate_tolerations(
            &new.spec.tolerations,
            &tolerations_path,
        ));
    }
    // validateOnlyDeletedSchedulingGates.
    for (i, gate) in new.spec.scheduling_gates.iter().enumerate() {
        if !old
            .spec
            .scheduling_gates
            .iter()
            .any(|g| g.name == gate.name)
        {
            errs.push(FieldError::forbidden(
                &spec_path.child("schedulingGates").index(i).child("name"),
                format!(
                    "only deletion is allowed, but found new scheduling gate '{}'",
                    gate.name
                ),
            ));
        }
    }
    if new.spec == old.spec {
        return errs;
    }
    // Munge the updatable fields back to their old values; anything left is forbidden.
    let mut munged = PodSpec::clone(&new.spec);
    for (mine, theirs) in munged.containers.iter_mut().zip(&old.spec.containers) {
        mine.image.clone_from(&theirs.image);
    }
    for (mine, theirs) in munged
        .init_containers
        .iter_mut()
        .zip(&old.spec.init_containers)
    {
        mine.image.clone_from(&theirs.image);
    }
    munged.active_deadline_seconds = old.spec.active_deadline_seconds;
    munged
        .scheduling_gates
        .clone_from(&old.spec.scheduling_gates);
    munged.tolerations.clone_from(&old.spec.tolerations);
    if old
        .spec
        .termination_grace_period_seconds
        .is_some_and(|g| g < 0)
        && munged.termination_grace_period_seconds == Some(1)
    {
        munged.termination_grace_period_seconds = old.spec.termination_grace_period_seconds;
    }
    // Gated pods may gain nodeSelector entries (validateNodeSelectorMutation).
    if !old.spec.scheduling_gates.is_empty() && munged.node_selector != old.spec.node_selector {
        let keeps_old = old
            .spec
            .node_selector
            .iter()
            .all(|(k, v)| munged.node_selector.get(k) == Some(v));
        if keeps_old {
            munged.node_selector.clone_from(&old.spec.node_selector);
        } else {
            errs.push(FieldError::invalid(
                &spec_path.child("nodeSelector"),
                render_map(&munged.node_selector),
                "only additions to spec.nodeSelector are allowed (no mutations or deletions)",
            ));
            munged.node_selector.clone_from(&old.spec.node_selector);
        }
    }
    if munged != *old.spec {
        let differing = differing_fields(&old.spec, &munged);
        errs.push(FieldError::forbidden(
            &spec_path,
            format!("pod updates may not change fields other than {UPDATABLE_POD_SPEC_FIELDS}\n(fields that differ: {differing})"),
        ));
    }
    errs
}

/// The top-level pod spec fields that differ, as `spec.<field>` paths.
fn differing_fields(old: &PodSpec, new: &PodSpec) -> String {
    let (Ok(serde_json::Value::Object(old)), Ok(serde_json::Value::Object(new))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return "spec".to_string();
    };
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let differing: Vec<String> = keys
        .into_iter()
        .filter(|k| old.get(*k) != new.get(*k))
        .map(|k| format!("spec.{k}"))
        .collect();
    differing.join(", ")
}

/// ValidatePodSpecificAnnotations (the annotations kubesim can check without parsing JSON).
fn validate_pod_specific_annotations(
    annotations: &BTreeMap<String, String>,
    spec: &PodSpec,
    path: &Path,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(value) = annotations.get(MIRROR_POD_ANNOTATION_KEY)
        && spec.node_name.is_empty()
    {
        errs.push(FieldError::invalid(
            &path.key(MIRROR_POD_ANNOTATION_KEY),
            go_quote(value),
            "must set spec.nodeName if mirror pod annotation is set",
        ));
    }
    // helper.GetDeletionCostFromPodAnnotations: an int32 without '+' or leading zeros.
    if let Some(value) = annotations.get(POD_DELETION_COST) {
        let first_ok = match value.as_bytes().first() {
            Some(b'-') => true,
            Some(b'0') => value == "0",
            Some(b) => b.is_ascii_digit(),
            None => false,
        };
        if !first_ok || go_atoi(value).and_then(|v| i32::try_from(v).ok()).is_none() {
            errs.push(FieldError::invalid(
                &path.key(POD_DELETION_COST),
                go_quote(value),
                "must be a 32bit integer",
            ));
        }
    }
    errs
}

/// ValidatePodTemplateSpec: note the template's label/annotation errors sit on
/// `template.labels`, not `template.metadata.labels` (upstream's paths).
fn validate_pod_template_spec(template: &PodTemplateSpec, path: &Path) -> Vec<FieldError> {
    let mut errs = validate_labels(&template.metadata.labels, &path.child("labels"));
    errs.extend(validate_annotations(
        &template.metadata.annotations,
        &path.child("annotations"),
    ));
    errs.extend(validate_pod_specific_annotations(
        &template.metadata.annotations,
        &template.spec,
        &path.child("annotations"),
    ));
    errs.extend(validate_pod_spec(
        &template.spec,
        &path.child("spec"),
        false,
    ));
    errs
}

/// ValidatePodSpec. `resource_is_pod` is PodValidationOptions.ResourceIsPod.
fn validate_pod_spec(spec: &PodSpec, path: &Path, resource_is_pod: bool) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if spec.termination_grace_period_seconds.is_none() {
        errs.push(FieldError::required(
            &path.child("terminationGracePeriodSeconds"),
            "",
        ));
    }
    let grace = spec.termination_grace_period_seconds;
    errs.extend(validate_volumes(&spec.volumes, &path.child("volumes")));
    errs.extend(validate_containers(
        &spec.containers,
        grace,
        &path.child("containers"),
    ));
    errs.extend(validate_init_containers(
        &spec.init_containers,
        &spec.containers,
        grace,
        &path.child("initContainers"),
    ));
    errs.extend(validate_host_network_deps(spec, path, resource_is_pod));
    errs.extend(validate_restart_policy(
        spec.restart_policy.as_ref(),
        &path.child("restartPolicy"),
    ));
    errs.extend(validate_labels(
        &spec.node_selector,
        &path.child("nodeSelector"),
    ));
    // ValidatePodSpec: hostname and subdomain are DNS-1123 labels.
    for (field, value) in [("hostname", &spec.hostname), ("subdomain", &spec.subdomain)] {
        if !value.is_empty() {
            errs.extend(
                is_dns1123_label(value)
                    .into_iter()
                    .map(|m| FieldError::invalid(&path.child(field), go_quote(value), m)),
            );
        }
    }
    if let Some(affinity) = &spec.affinity {
        errs.extend(validate_affinity(affinity, &path.child("affinity")));
    }
    for (i, gate) in spec.readiness_gates.iter().enumerate() {
        errs.extend(validate_qualified_name(
            &gate.condition_type,
            &path.child("readinessGates").index(i).child("conditionType"),
        ));
    }
    let mut seen_gates = BTreeSet::new();
    for (i, gate) in spec.scheduling_gates.iter().enumerate() {
        let gate_path = path.child("schedulingGates").index(i);
        errs.extend(validate_qualified_name(&gate.name, &gate_path));
        if !seen_gates.insert(gate.name.as_str()) {
            errs.push(FieldError::duplicate(&gate_path, go_quote(&gate.name)));
        }
    }
    errs.extend(validate_topology_spread_constraints(
        &spec.topology_spread_constraints,
        &path.child("topologySpreadConstraints"),
    ));
    for (field, value) in [
        ("serviceAccountName", &spec.service_account_name),
        ("nodeName", &spec.node_name),
    ] {
        if !value.is_empty() {
            for m in name_is_dns_subdomain(value, false) {
                errs.push(FieldError::invalid(&path.child(field), go_quote(value), m));
            }
        }
    }
    if let Some(deadline) = spec.active_deadline_seconds
        && !(1..=i64::from(i32::MAX)).contains(&deadline)
    {
        errs.push(FieldError::invalid(
            &path.child("activeDeadlineSeconds"),
            deadline.to_string(),
            inclusive_range_error(1, i64::from(i32::MAX)),
        ));
    }
    errs.extend(validate_tolerations(
        &spec.tolerations,
        &path.child("tolerations"),
    ));
    if !spec.priority_class_name.is_empty() {
        for m in name_is_dns_subdomain(&spec.priority_class_name, false) {
            errs.push(FieldError::invalid(
                &path.child("priorityClassName"),
                go_quote(&spec.priority_class_name),
                m,
            ));
        }
    }
    if let Some(policy) = &spec.preemption_policy {
        errs.extend(validate_preemption_policy(
            policy,
            &path.child("preemptionPolicy"),
        ));
    }
    if !spec.overhead.is_empty() {
        // validateOverhead reuses the container check with the overhead as limits, hence
        // `spec.overhead.limits[cpu]`.
        let requirements = ResourceRequirements {
            requests: BTreeMap::new(),
            limits: spec.overhead.clone(),
        };
        errs.extend(validate_resource_requirements(
            &requirements,
            &path.child("overhead"),
        ));
    }
    errs
}

fn validate_volumes(volumes: &[Volume], path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut names = BTreeSet::new();
    for (i, volume) in volumes.iter().enumerate() {
        let name_path = path.index(i).child("name");
        let mut el = Vec::new();
        if volume.name.is_empty() {
            el.push(FieldError::required(&name_path, ""));
        } else {
            el.extend(
                is_dns1123_label(&volume.name)
                    .into_iter()
                    .map(|m| FieldError::invalid(&name_path, go_quote(&volume.name), m)),
            );
        }
        if names.contains(volume.name.as_str()) {
            el.push(FieldError::duplicate(&name_path, go_quote(&volume.name)));
        }
        if el.is_empty() {
            names.insert(volume.name.as_str());
        }
        errs.extend(el);
    }
    errs
}

fn validate_restart_policy(policy: Option<&RestartPolicy>, path: &Path) -> Vec<FieldError> {
    match policy {
        None => vec![FieldError::required(path, "")],
        Some(p) if p.is_known() => Vec::new(),
        Some(p) => vec![FieldError::not_supported(
            path,
            go_quote(p.as_str()),
            &["Always", "OnFailure", "Never"],
        )],
    }
}

/// ValidatePreemptionPolicy.
fn validate_preemption_policy(policy: &PreemptionPolicy, path: &Path) -> Vec<FieldError> {
    match policy {
        PreemptionPolicy::Other(s) if s.is_empty() => vec![FieldError::required(path, "")],
        PreemptionPolicy::Other(s) => vec![FieldError::not_supported(
            path,
            go_quote(s),
            &["PreemptLowerPriority", "Never"],
        )],
        _ => Vec::new(),
    }
}

/// validateContainerCommon.
fn validate_container_common(container: &Container, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name_path = path.child("name");
    if container.name.is_empty() {
        errs.push(FieldError::required(&name_path, ""));
    } else {
        errs.extend(
            is_dns1123_label(&container.name)
                .into_iter()
                .map(|m| FieldError::invalid(&name_path, go_quote(&container.name), m)),
        );
    }
    if container.image.is_empty() {
        errs.push(FieldError::required(&path.child("image"), ""));
    }
    match &container.termination_message_policy {
        None => errs.push(FieldError::required(
            &path.child("terminationMessagePolicy"),
            "",
        )),
        Some(p) if p.is_known() => {}
        Some(p) => errs.push(FieldError::not_supported(
            &path.child("terminationMessagePolicy"),
            go_quote(p.as_str()),
            &["File", "FallbackToLogsOnError"],
        )),
    }
    errs.extend(validate_container_ports(
        &container.ports,
        &path.child("ports"),
    ));
    match &container.image_pull_policy {
        None => errs.push(FieldError::required(&path.child("imagePullPolicy"), "")),
        Some(p) if p.is_known() => {}
        Some(p) => errs.push(FieldError::not_supported(
            &path.child("imagePullPolicy"),
            go_quote(p.as_str()),
            &["Always", "IfNotPresent", "Never"],
        )),
    }
    errs.extend(validate_resource_requirements(
        &container.resources,
        &path.child("resources"),
    ));
    errs
}

fn validate_container_ports(ports: &[ContainerPort], path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut names = BTreeSet::new();
    for (i, port) in ports.iter().enumerate() {
        let idx = path.index(i);
        if !port.name.is_empty() {
            let msgs = is_valid_port_name(&port.name);
            if !msgs.is_empty() {
                errs.extend(
                    msgs.into_iter()
                        .map(|m| FieldError::invalid(&idx.child("name"), go_quote(&port.name), m)),
                );
            } else if !names.insert(port.name.as_str()) {
                errs.push(FieldError::duplicate(
                    &idx.child("name"),
                    go_quote(&port.name),
                ));
            }
        }
        if port.container_port == 0 {
            errs.push(FieldError::required(&idx.child("containerPort"), ""));
        } else {
            for m in is_valid_port_num(i64::from(port.container_port)) {
                errs.push(FieldError::invalid(
                    &idx.child("containerPort"),
                    port.container_port.to_string(),
                    m,
                ));
            }
        }
        if port.host_port != 0 {
            for m in is_valid_port_num(i64::from(port.host_port)) {
                errs.push(FieldError::invalid(
                    &idx.child("hostPort"),
                    port.host_port.to_string(),
                    m,
                ));
            }
        }
        match &port.protocol {
            None => errs.push(FieldError::required(&idx.child("protocol"), "")),
            Some(p) if p.is_known() => {}
            Some(p) => errs.push(FieldError::not_supported(
                &idx.child("protocol"),
                go_quote(p.as_str()),
                &["SCTP", "TCP", "UDP"],
            )),
        }
    }
    errs
}

/// AccumulateUniqueHostPorts: the same protocol/hostIP/hostPort twice is a conflict.
fn check_host_port_conflicts(
    containers: &[&Container],
    indexes: &[usize],
    path: &Path,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen = BTreeSet::new();
    for (container, ci) in containers.iter().zip(indexes) {
        for (pi, port) in container.ports.iter().enumerate() {
            if port.host_port == 0 {
                continue;
            }
            let key = format!(
                "{}/{}/{}",
                opt_str(&port.protocol),
                port.host_ip,
                port.host_port
            );
            if !seen.insert(key.clone()) {
                errs.push(FieldError::duplicate(
                    &path.index(*ci).child("ports").index(pi).child("hostPort"),
                    go_quote(&key),
                ));
            }
        }
    }
    errs
}

fn validate_containers(
    containers: &[Container],
    grace: Option<i64>,
    path: &Path,
) -> Vec<FieldError> {
    if containers.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    let mut errs = Vec::new();
    let mut names = BTreeSet::new();
    for (i, container) in containers.iter().enumerate() {
        let cpath = path.index(i);
        errs.extend(validate_container_common(container, &cpath));
        if !names.insert(container.name.as_str()) {
            errs.push(FieldError::duplicate(
                &cpath.child("name"),
                go_quote(&container.name),
            ));
        }
        if let Some(lifecycle) = &container.lifecycle {
            errs.extend(validate_lifecycle(
                lifecycle,
                grace,
                &cpath.child("lifecycle"),
            ));
        }
        errs.extend(validate_probes(container, grace, &cpath));
        if container.restart_policy.is_some() {
            errs.push(FieldError::forbidden(
                &cpath.child("restartPolicy"),
                "may not be set for non-init containers",
            ));
        }
    }
    let all: Vec<&Container> = containers.iter().collect();
    let indexes: Vec<usize> = (0..containers.len()).collect();
    errs.extend(check_host_port_conflicts(&all, &indexes, path));
    errs
}

fn validate_init_containers(
    containers: &[Container],
    regular: &[Container],
    grace: Option<i64>,
    path: &Path,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut names: BTreeSet<&str> = regular.iter().map(|c| c.name.as_str()).collect();
    for (i, container) in containers.iter().enumerate() {
        let cpath = path.index(i);
        errs.extend(validate_container_common(container, &cpath));
        if let Some(policy) = &container.restart_policy
            && !policy.is_known()
        {
            errs.push(FieldError::not_supported(
                &cpath.child("restartPolicy"),
                go_quote(policy.as_str()),
                &["Always"],
            ));
        }
        if names.contains(container.name.as_str()) {
            errs.push(FieldError::duplicate(
                &cpath.child("name"),
                go_quote(&container.name),
            ));
        } else if !container.name.is_empty() {
            names.insert(container.name.as_str());
        }
        // Init containers run one at a time, so only conflicts within one count.
        errs.extend(check_host_port_conflicts(&[container], &[i], path));
        if container.is_sidecar() {
            if let Some(lifecycle) = &container.lifecycle {
                errs.extend(validate_lifecycle(
                    lifecycle,
                    grace,
                    &cpath.child("lifecycle"),
                ));
            }
            errs.extend(validate_probes(container, grace, &cpath));
        } else {
            let forbidden = "may not be set for init containers without restartPolicy=Always";
            for (field, set) in [
                ("lifecycle", container.lifecycle.is_some()),
                ("livenessProbe", container.liveness_probe.is_some()),
                ("readinessProbe", container.readiness_probe.is_some()),
                ("startupProbe", container.startup_probe.is_some()),
            ] {
                if set {
                    errs.push(FieldError::forbidden(&cpath.child(field), forbidden));
                }
            }
        }
    }
    errs
}

/// validateLivenessProbe / validateReadinessProbe / validateStartupProbe.
fn validate_probes(container: &Container, grace: Option<i64>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(probe) = &container.liveness_probe {
        let ppath = path.child("livenessProbe");
        errs.extend(validate_probe(probe, grace, &ppath));
        if probe.success_threshold.unwrap_or(0) != 1 {
            errs.push(FieldError::invalid(
                &ppath.child("successThreshold"),
                probe.success_threshold.unwrap_or(0).to_string(),
                "must be 1",
            ));
        }
    }
    if let Some(probe) = &container.readiness_probe {
        let ppath = path.child("readinessProbe");
        errs.extend(validate_probe(probe, grace, &ppath));
        if let Some(seconds) = probe.termination_grace_period_seconds {
            errs.push(FieldError::invalid(
                &ppath.child("terminationGracePeriodSeconds"),
                seconds.to_string(),
                "must not be set for readinessProbes",
            ));
        }
    }
    if let Some(probe) = &container.startup_probe {
        let ppath = path.child("startupProbe");
        errs.extend(validate_probe(probe, grace, &ppath));
        if probe.success_threshold.unwrap_or(0) != 1 {
            errs.push(FieldError::invalid(
                &ppath.child("successThreshold"),
                probe.success_threshold.unwrap_or(0).to_string(),
                "must be 1",
            ));
        }
    }
    errs
}

fn validate_probe(probe: &Probe, grace: Option<i64>, path: &Path) -> Vec<FieldError> {
    let handler = Handler {
        exec: probe.exec.as_ref(),
        http_get: probe.http_get.as_ref(),
        tcp_socket: probe.tcp_socket.as_ref(),
        grpc: probe.grpc.as_ref(),
        sleep: None,
    };
    let mut errs = validate_handler(&handler, grace, path);
    for (field, value) in [
        ("initialDelaySeconds", probe.initial_delay_seconds),
        ("timeoutSeconds", probe.timeout_seconds),
        ("periodSeconds", probe.period_seconds),
        ("successThreshold", probe.success_threshold),
        ("failureThreshold", probe.failure_threshold),
    ] {
        errs.extend(validate_nonnegative(
            i64::from(value.unwrap_or(0)),
            &path.child(field),
        ));
    }
    if let Some(seconds) = probe.termination_grace_period_seconds
        && seconds <= 0
    {
        errs.push(FieldError::invalid(
            &path.child("terminationGracePeriodSeconds"),
            seconds.to_string(),
            "must be greater than 0",
        ));
    }
    errs
}

/// commonHandler: the union of probe and lifecycle handler actions.
struct Handler<'a> {
    exec: Option<&'a ExecAction>,
    http_get: Option<&'a HttpGetAction>,
    tcp_socket: Option<&'a TcpSocketAction>,
    grpc: Option<&'a GrpcAction>,
    sleep: Option<&'a SleepAction>,
}

fn validate_handler(handler: &Handler<'_>, grace: Option<i64>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut count = 0;
    let mut one =
        |field: &str, errs: &mut Vec<FieldError>, check: &dyn Fn(&Path) -> Vec<FieldError>| {
            if count > 0 {
                errs.push(FieldError::forbidden(
                    &path.child(field),
                    "may not specify more than 1 handler type",
                ));
            } else {
                count += 1;
                errs.extend(check(&path.child(field)));
            }
        };
    if let Some(exec) = handler.exec {
        one("exec", &mut errs, &|p| {
            if exec.command.is_empty() {
                vec![FieldError::required(&p.child("command"), "")]
            } else {
                Vec::new()
            }
        });
    }
    if let Some(http_get) = handler.http_get {
        one("httpGet", &mut errs, &|p| {
            let mut errs = Vec::new();
            if http_get.path.is_empty() {
                errs.push(FieldError::required(&p.child("path"), ""));
            }
            errs.extend(validate_port_num_or_name(&http_get.port, &p.child("port")));
            match &http_get.scheme {
                Some(s) if s.is_known() => {}
                s => errs.push(FieldError::not_supported(
                    &p.child("scheme"),
                    go_quote(opt_str(s)),
                    &["HTTP", "HTTPS"],
                )),
            }
            errs
        });
    }
    if let Some(tcp) = handler.tcp_socket {
        one("tcpSocket", &mut errs, &|p| {
            validate_port_num_or_name(&tcp.port, &p.child("port"))
        });
    }
    if let Some(grpc) = handler.grpc {
        one("grpc", &mut errs, &|p| {
            validate_port_num_or_name(&IntOrString::Int(grpc.port), &p.child("port"))
        });
    }
    if let Some(sleep) = handler.sleep {
        // PodLifecycleSleepActionAllowZero is on by default in v1.33.
        one("sleep", &mut errs, &|p| match grace {
            Some(grace) if sleep.seconds < 0 || sleep.seconds > grace => vec![FieldError::invalid(
                p,
                sleep.seconds.to_string(),
                format!(
                    "must be non-negative and less than terminationGracePeriodSeconds ({grace})"
                ),
            )],
            _ => Vec::new(),
        });
    }
    if count == 0 {
        errs.push(FieldError::required(path, "must specify a handler type"));
    }
    errs
}

fn validate_lifecycle(lifecycle: &Lifecycle, grace: Option<i64>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (field, handler) in [
        ("postStart", &lifecycle.post_start),
        ("preStop", &lifecycle.pre_stop),
    ] {
        if let Some(h) = handler {
            let handler = Handler {
                exec: h.exec.as_ref(),
                http_get: h.http_get.as_ref(),
                tcp_socket: h.tcp_socket.as_ref(),
                grpc: None,
                sleep: h.sleep.as_ref(),
            };
            errs.extend(validate_handler(&handler, grace, &path.child(field)));
        }
    }
    errs
}

fn validate_port_num_or_name(port: &IntOrString, path: &Path) -> Vec<FieldError> {
    match port {
        IntOrString::Int(i) => is_valid_port_num(i64::from(*i))
            .into_iter()
            .map(|m| FieldError::invalid(path, i.to_string(), m))
            .collect(),
        IntOrString::String(s) => is_valid_port_name(s)
            .into_iter()
            .map(|m| FieldError::invalid(path, go_quote(s), m))
            .collect(),
    }
}

/// validatePodHostNetworkDeps: with host networking, hostPort must equal containerPort (on
/// templates 0 is allowed, since the pod's defaulting fills it in).
fn validate_host_network_deps(
    spec: &PodSpec,
    path: &Path,
    resource_is_pod: bool,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if !spec.host_network {
        return errs;
    }
    for (i, container) in spec.containers.iter().enumerate() {
        for (j, port) in container.ports.iter().enumerate() {
            if (resource_is_pod || port.host_port != 0) && port.host_port != port.container_port {
                errs.push(FieldError::invalid(
                    &path
                        .child("containers")
                        .index(i)
                        .child("ports")
                        .index(j)
                        .child("hostPort"),
                    port.host_port.to_string(),
                    "must match `containerPort` when `hostNetwork` is true",
                ));
            }
        }
    }
    errs
}

// Resources (pkg/apis/core/helper/helpers.go and validateResourceRequirements).

const HUGE_PAGES_PREFIX: &str = "hugepages-";
const STANDARD_RESOURCES: [&str; 20] = [
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
    "resourcequotas",
    "services",
    "replicationcontrollers",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "storage",
    "requests.storage",
    "services.nodeports",
    "services.loadbalancers",
];
const INTEGER_RESOURCES: [&str; 9] = [
    "pods",
    "resourcequotas",
    "services",
    "replicationcontrollers",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "services.nodeports",
    "services.loadbalancers",
];

fn is_huge_page_resource_name(name: &str) -> bool {
    name.starts_with(HUGE_PAGES_PREFIX)
}

/// IsNativeResource: unprefixed, or in the kubernetes.io namespace.
fn is_native_resource(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

fn is_extended_resource_name(name: &str) -> bool {
    !is_native_resource(name)
        && !name.starts_with("requests.")
        && is_qualified_name(&format!("requests.{name}")).is_empty()
}

/// IsOvercommitAllowed: native resources other than hugepages may have requests < limits.
fn is_overcommit_allowed(name: &str) -> bool {
    is_native_resource(name) && !is_huge_page_resource_name(name)
}

fn is_integer_resource_name(name: &str) -> bool {
    INTEGER_RESOURCES.contains(&name) || is_extended_resource_name(name)
}

/// validateContainerResourceName (validateResourceName + container rules).
fn validate_container_resource_name(name: &str, path: &Path) -> Vec<FieldError> {
    let mut errs: Vec<FieldError> = is_qualified_name(name)
        .into_iter()
        .map(|m| FieldError::invalid(path, go_quote(name), m))
        .collect();
    let standard = STANDARD_RESOURCES.contains(&name)
        || is_huge_page_resource_name(name)
        || name.starts_with("requests.hugepages-");
    if errs.is_empty() && !name.contains('/') && !standard {
        errs.push(FieldError::invalid(
            path,
            go_quote(name),
            "must be a standard resource type or fully qualified",
        ));
    }
    if !name.contains('/') {
        let container_standard = ["cpu", "memory", "ephemeral-storage"].contains(&name)
            || is_huge_page_resource_name(name);
        if !container_standard {
            errs.push(FieldError::invalid(
                path,
                go_quote(name),
                "must be a standard resource for containers",
            ));
        }
    } else if !is_native_resource(name) && !is_extended_resource_name(name) {
        errs.push(FieldError::invalid(
            path,
            go_quote(name),
            "doesn't follow extended resource name standard",
        ));
    }
    errs
}

/// Compares quantities numerically through the interface the quantity type offers:
/// milli-precision while that cannot overflow (API quantities are rounded to milli-units
/// anyway), whole units beyond.
fn cmp_quantity(a: &Quantity, b: &Quantity) -> Ordering {
    const MILLI_SAFE: u64 = (i64::MAX / 1000 / 2) as u64;
    let (va, vb) = (a.value(), b.value());
    if va.unsigned_abs() < MILLI_SAFE && vb.unsigned_abs() < MILLI_SAFE {
        a.milli_value().cmp(&b.milli_value())
    } else {
        va.cmp(&vb)
    }
}

/// ValidateResourceQuantityValue. Upstream prints the quantity struct for the integer error;
/// the canonical string is printed instead.
fn validate_resource_quantity_value(name: &str, value: &Quantity, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if value.sign() == Ordering::Less {
        errs.push(FieldError::invalid(
            path,
            go_quote(&value.to_string()),
            IS_NEGATIVE_ERROR_MSG,
        ));
    }
    if is_integer_resource_name(name) && value.milli_value() % 1000 != 0 {
        errs.push(FieldError::invalid(
            path,
            go_quote(&value.to_string()),
            IS_NOT_INTEGER_ERROR_MSG,
        ));
    }
    errs
}

/// validateResourceQuantityHugePageValue: the amount must be a whole number of pages.
fn validate_huge_page_value(name: &str, value: &Quantity, path: &Path) -> Vec<FieldError> {
    let Some(size) = name.strip_prefix(HUGE_PAGES_PREFIX) else {
        return Vec::new();
    };
    let divisible = match Quantity::parse(size) {
        Ok(page)
            if page.sign() == Ordering::Greater
                && page.milli_value() % 1000 == 0
                && page.value() > 0 =>
        {
            value.value() % page.value() == 0
        }
        _ => false,
    };
    if divisible {
        Vec::new()
    } else {
        vec![FieldError::invalid(
            path,
            go_quote(&value.to_string()),
            format!("{value} is not positive integer multiple of {name}"),
        )]
    }
}

fn validate_resource_requirements(
    requirements: &ResourceRequirements,
    path: &Path,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let lim_path = path.child("limits");
    let req_path = path.child("requests");
    let qos = |name: &str| name == "cpu" || name == "memory";
    let (mut lim_qos, mut req_qos, mut lim_huge, mut req_huge) = (false, false, false, false);
    for (name, quantity) in &requirements.limits {
        let fpath = lim_path.key(name);
        errs.extend(validate_container_resource_name(name, &fpath));
        errs.extend(validate_resource_quantity_value(name, quantity, &fpath));
        if is_huge_page_resource_name(name) {
            lim_huge = true;
            errs.extend(validate_huge_page_value(name, quantity, &fpath));
        }
        lim_qos |= qos(name);
    }
    for (name, quantity) in &requirements.requests {
        let fpath = req_path.key(name);
        errs.extend(validate_container_resource_name(name, &fpath));
        errs.extend(validate_resource_quantity_value(name, quantity, &fpath));
        match requirements.limits.get(name) {
            Some(limit) => {
                let ordering = cmp_quantity(quantity, limit);
                if ordering != Ordering::Equal && !is_overcommit_allowed(name) {
                    errs.push(FieldError::invalid(
                        &req_path,
                        go_quote(&quantity.to_string()),
                        format!("must be equal to {name} limit of {limit}"),
                    ));
                } else if ordering == Ordering::Greater {
                    errs.push(FieldError::invalid(
                        &req_path,
                        go_quote(&quantity.to_string()),
                        format!("must be less than or equal to {name} limit of {limit}"),
                    ));
                }
            }
            None if !is_overcommit_allowed(name) => {
                errs.push(FieldError::required(
                    &lim_path,
                    "Limit must be set for non overcommitable resources",
                ));
            }
            None => {}
        }
        if is_huge_page_resource_name(name) {
            req_huge = true;
            errs.extend(validate_huge_page_value(name, quantity, &fpath));
        }
        req_qos |= qos(name);
    }
    if !lim_qos && !req_qos && (req_huge || lim_huge) {
        errs.push(FieldError::forbidden(
            path,
            "HugePages require cpu or memory",
        ));
    }
    errs
}

// Scheduling constraints.

/// ValidateTolerations (value errors are reported on `operator`, as upstream does).
fn validate_tolerations(tolerations: &[Toleration], path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, toleration) in tolerations.iter().enumerate() {
        let idx = path.index(i);
        if !toleration.key.is_empty() {
            errs.extend(validate_label_name(&toleration.key, &idx.child("key")));
        }
        let operator = opt_str(&toleration.operator).to_string();
        if toleration.key.is_empty() && toleration.operator != Some(TolerationOperator::Exists) {
            errs.push(FieldError::invalid(
                &idx.child("operator"),
                go_quote(&operator),
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ));
        }
        if toleration.toleration_seconds.is_some()
            && toleration.effect != Some(TaintEffect::NoExecute)
        {
            errs.push(FieldError::invalid(
                &idx.child("effect"),
                go_quote(opt_str(&toleration.effect)),
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            ));
        }
        match &toleration.operator {
            None | Some(TolerationOperator::Equal) => {
                let msgs = is_valid_label_value(&toleration.value);
                if !msgs.is_empty() {
                    errs.push(FieldError::invalid(
                        &idx.child("operator"),
                        go_quote(&toleration.value),
                        msgs.join(";"),
                    ));
                }
            }
            Some(TolerationOperator::Exists) => {
                if !toleration.value.is_empty() {
                    errs.push(FieldError::invalid(
                        &idx.child("operator"),
                        go_quote(&toleration.value),
                        "value must be empty when `operator` is 'Exists'",
                    ));
                }
            }
            Some(other) => errs.push(FieldError::not_supported(
                &idx.child("operator"),
                go_quote(other.as_str()),
                &["Equal", "Exists"],
            )),
        }
        if let Some(effect) = &toleration.effect {
            errs.extend(validate_taint_effect(effect, &idx.child("effect")));
        }
    }
    errs
}

fn validate_taint_effect(effect: &TaintEffect, path: &Path) -> Vec<FieldError> {
    if effect.is_known() {
        Vec::new()
    } else {
        vec![FieldError::not_supported(
            path,
            go_quote(effect.as_str()),
            &["NoSchedule", "PreferNoSchedule", "NoExecute"],
        )]
    }
}

fn validate_affinity(affinity: &Affinity, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(node) = &affinity.node_affinity {
        let npath = path.child("nodeAffinity");
        if let Some(required) = &node.required_during_scheduling_ignored_during_execution {
            let tpath = npath
                .child("requiredDuringSchedulingIgnoredDuringExecution")
                .child("nodeSelectorTerms");
            if required.node_selector_terms.is_empty() {
                errs.push(FieldError::required(
                    &tpath,
                    "must have at least one node selector term",
                ));
            }
            for (i, term) in required.node_selector_terms.iter().enumerate() {
                errs.extend(validate_node_selector_term(term, false, &tpath.index(i)));
            }
        }
        for (i, term) in node
            .preferred_during_scheduling_ignored_during_execution
            .iter()
            .enumerate()
        {
            let tpath = npath
                .child("preferredDuringSchedulingIgnoredDuringExecution")
                .index(i);
            if !(1..=100).contains(&term.weight) {
                errs.push(FieldError::invalid(
                    &tpath.child("weight"),
                    term.weight.to_string(),
                    "must be in the range 1-100",
                ));
            }
            // Invalid label values are tolerated in preferred terms: they can still succeed
            // in a one-node cluster.
            errs.extend(validate_node_selector_term(
                &term.preference,
                true,
                &tpath.child("preference"),
            ));
        }
    }
    for (field, required, preferred) in [
        (
            "podAffinity",
            affinity
                .pod_affinity
                .as_ref()
                .map(|a| &a.required_during_scheduling_ignored_during_execution),
            affinity
                .pod_affinity
                .as_ref()
                .map(|a| &a.preferred_during_scheduling_ignored_during_execution),
        ),
        (
            "podAntiAffinity",
            affinity
                .pod_anti_affinity
                .as_ref()
                .map(|a| &a.required_during_scheduling_ignored_during_execution),
            affinity
                .pod_anti_affinity
                .as_ref()
                .map(|a| &a.preferred_during_scheduling_ignored_during_execution),
        ),
    ] {
        let ppath = path.child(field);
        for (i, term) in required.into_iter().flatten().enumerate() {
            errs.extend(validate_pod_affinity_term(
                term,
                &ppath
                    .child("requiredDuringSchedulingIgnoredDuringExecution")
                    .index(i),
            ));
        }
        for (i, weighted) in preferred.into_iter().flatten().enumerate() {
            let wpath = ppath
                .child("preferredDuringSchedulingIgnoredDuringExecution")
                .index(i);
            if !(1..=100).contains(&weighted.weight) {
                errs.push(FieldError::invalid(
                    &wpath.child("weight"),
                    weighted.weight.to_string(),
                    "must be in the range 1-100",
                ));
            }
            errs.extend(validate_pod_affinity_term(
                &weighted.pod_affinity_term,
                &wpath.child("podAffinityTerm"),
            ));
        }
    }
    errs
}

/// ValidateNodeSelectorTerm (match expressions and match fields).
fn validate_node_selector_term(
    term: &NodeSelectorTerm,
    allow_invalid_values: bool,
    path: &Path,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (j, req) in term.match_expressions.iter().enumerate() {
        let rpath = path.child("matchExpressions").index(j);
        match &req.operator {
            Some(NodeSelectorOperator::In | NodeSelectorOperator::NotIn) => {
                if req.values.is_empty() {
                    errs.push(FieldError::required(
                        &rpath.child("values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    ));
                }
            }
            Some(NodeSelectorOperator::Exists | NodeSelectorOperator::DoesNotExist) => {
                if !req.values.is_empty() {
                    errs.push(FieldError::forbidden(
                        &rpath.child("values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    ));
                }
            }
            Some(NodeSelectorOperator::Gt | NodeSelectorOperator::Lt) => {
                if req.values.len() != 1 {
                    errs.push(FieldError::required(
                        &rpath.child("values"),
                        "must be specified single value when `operator` is 'Lt' or 'Gt'",
                    ));
                }
            }
            other => errs.push(FieldError::invalid(
                &rpath.child("operator"),
                go_quote(opt_str(other)),
                "not a valid selector operator",
            )),
        }
        errs.extend(validate_label_name(&req.key, &rpath.child("key")));
        if !allow_invalid_values {
            for (k, value) in req.values.iter().enumerate() {
                for m in is_valid_label_value(value) {
                    errs.push(FieldError::invalid(
                        &rpath.child("values").index(k),
                        go_quote(value),
                        m,
                    ));
                }
            }
        }
    }
    for (j, req) in term.match_fields.iter().enumerate() {
        let rpath = path.child("matchFields").index(j);
        match &req.operator {
            Some(NodeSelectorOperator::In | NodeSelectorOperator::NotIn) => {
                if req.values.len() != 1 {
                    errs.push(FieldError::required(
                        &rpath.child("values"),
                        "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
                    ));
                }
            }
            other => errs.push(FieldError::invalid(
                &rpath.child("operator"),
                go_quote(opt_str(other)),
                "not a valid selector operator",
            )),
        }
        if req.key != "metadata.name" {
            errs.push(FieldError::invalid(
                &rpath.child("key"),
                go_quote(&req.key),
                "not a valid field selector key",
            ));
        } else {
            for (k, value) in req.values.iter().enumerate() {
                for m in name_is_dns_subdomain(value, false) {
                    errs.push(FieldError::invalid(
                        &rpath.child("values").index(k),
                        go_quote(value),
                        m,
                    ));
                }
            }
        }
    }
    errs
}

/// validatePodAffinityTerm.
fn validate_pod_affinity_term(term: &PodAffinityTerm, path: &Path) -> Vec<FieldError> {
    let mut errs =
        validate_label_selector(term.label_selector.as_ref(), &path.child("labelSelector"));
    errs.extend(validate_label_selector(
        term.namespace_selector.as_ref(),
        &path.child("namespaceSelector"),
    ));
    for namespace in &term.namespaces {
        // Upstream reports these on `namespace`, singular.
        for m in name_is_dns_label(namespace, false) {
            errs.push(FieldError::invalid(
                &path.child("namespace"),
                go_quote(namespace),
                m,
            ));
        }
    }
    errs.extend(validate_match_label_keys_and_mismatch_label_keys(
        term, path,
    ));
    if term.topology_key.is_empty() {
        errs.push(FieldError::required(
            &path.child("topologyKey"),
            "can not be empty",
        ));
    }
    errs.extend(validate_label_name(
        &term.topology_key,
        &path.child("topologyKey"),
    ));
    errs
}

/// validateMatchLabelKeysAndMismatchLabelKeys. On pods the keys have already been merged
/// into the selector (defaults::mutate_pod_affinity); a key that was also in the user's
/// selector shows up twice, which is what the middle check detects. Its errors are indexed
/// on the term path itself, as upstream's are.
fn validate_match_label_keys_and_mismatch_label_keys(
    term: &PodAffinityTerm,
    path: &Path,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (field, keys) in [
        ("matchLabelKeys", &term.match_label_keys),
        ("mismatchLabelKeys", &term.mismatch_label_keys),
    ] {
        if keys.is_empty() {
            continue;
        }
        if term.label_selector.is_none() {
            errs.push(FieldError::forbidden(
                &path.child(field),
                "must not be specified when labelSelector is not set",
            ));
            continue;
        }
        for (i, key) in keys.iter().enumerate() {
            errs.extend(validate_label_name(key, &path.child(field).index(i)));
        }
    }
    if let Some(selector) = &term.label_selector {
        let positions: BTreeMap<&str, usize> = term
            .match_label_keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect();
        let mut seen: BTreeSet<&str> = selector.match_labels.keys().map(String::as_str).collect();
        for expression in &selector.match_expressions {
            let key = expression.key.as_str();
            if let Some(i) = positions.get(key)
                && seen.contains(key)
            {
                errs.push(FieldError::invalid(
                    &path.index(*i),
                    go_quote(key),
                    "exists in both matchLabelKeys and labelSelector",
                ));
            }
            seen.insert(key);
        }
    }
    for (i, key) in term.match_label_keys.iter().enumerate() {
        if term.mismatch_label_keys.contains(key) {
            errs.push(FieldError::invalid(
                &path.child("matchLabelKeys").index(i),
                go_quote(key),
                "exists in both matchLabelKeys and mismatchLabelKeys",
            ));
        }
    }
    errs
}

fn validate_topology_spread_constraints(
    constraints: &[TopologySpreadConstraint],
    path: &Path,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, constraint) in constraints.iter().enumerate() {
        let cpath = path.index(i);
        if constraint.max_skew <= 0 {
            errs.push(FieldError::invalid(
                &cpath.child("maxSkew"),
                constraint.max_skew.to_string(),
                IS_NOT_POSITIVE_ERROR_MSG,
            ));
        }
        if constraint.topology_key.is_empty() {
            errs.push(FieldError::required(
                &cpath.child("topologyKey"),
                "can not be empty",
            ));
        }
        let action = constraint
            .when_unsatisfiable
            .as_ref()
            .map_or("", |a| a.as_str());
        if !constraint
            .when_unsatisfiable
            .as_ref()
            .is_some_and(UnsatisfiableConstraintAction::is_known)
        {
            errs.push(FieldError::not_supported(
                &cpath.child("whenUnsatisfiable"),
                go_quote(action),
                &["DoNotSchedule", "ScheduleAnyway"],
            ));
        }
        // The pair {topologyKey, whenUnsatisfiable} identifies a constraint.
        if constraints[i + 1..].iter().any(|c| {
            c.topology_key == constraint.topology_key
                && c.when_unsatisfiable == constraint.when_unsatisfiable
        }) {
            errs.push(FieldError::duplicate(
                &cpath.child("{topologyKey, whenUnsatisfiable}"),
                go_quote(&format!("{{{}, {action}}}", constraint.topology_key)),
            ));
        }
        if let Some(min_domains) = constraint.min_domains {
            let mpath = cpath.child("minDomains");
            if min_domains <= 0 {
                errs.push(FieldError::invalid(
                    &mpath,
                    min_domains.to_string(),
                    IS_NOT_POSITIVE_ERROR_MSG,
                ));
            }
            if constraint.when_unsatisfiable != Some(UnsatisfiableConstraintAction::DoNotSchedule) {
                errs.push(FieldError::invalid(
                    &mpath,
                    min_domains.to_string(),
                    format!(
                        "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}"
                    ),
                ));
            }
        }
        for (field, policy) in [
            ("nodeAffinityPolicy", &constraint.node_affinity_policy),
            ("nodeTaintsPolicy", &constraint.node_taints_policy),
        ] {
            if let Some(policy) = policy
                && !policy.is_known()
            {
                errs.push(FieldError::not_supported(
                    &cpath.child(field),
                    go_quote(policy.as_str()),
                    &["Honor", "Ignore"],
                ));
            }
        }
        if !constraint.match_label_keys.is_empty() {
            let kpath = cpath.child("matchLabelKeys");
            let selector_keys: BTreeSet<&str> =
                constraint
                    .label_selector
                    .as_ref()
                    .map_or_else(BTreeSet::new, |s| {
                        s.match_labels
                            .keys()
                            .map(String::as_str)
                            .chain(s.match_expressions.iter().map(|e| e.key.as_str()))
                            .collect()
                    });
            if constraint.label_selector.is_none() {
                errs.push(FieldError::forbidden(
                    &kpath,
                    "must not be specified when labelSelector is not set",
                ));
            }
            for (k, key) in constraint.match_label_keys.iter().enumerate() {
                errs.extend(validate_label_name(key, &kpath.index(k)));
                if selector_keys.contains(key.as_str()) {
                    errs.push(FieldError::invalid(
                        &kpath.index(k),
                        go_quote(key),
                        "exists in both matchLabelKeys and labelSelector",
                    ));
                }
            }
        }
        errs.extend(validate_label_selector(
            constraint.label_selector.as_ref(),
            &cpath.child("labelSelector"),
        ));
    }
    errs
}

// ---------------------------------------------------------------------------------------
// Nodes and namespaces.

fn validate_node(node: &Node) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&node.metadata, false, name_is_dns_subdomain, true);
    // Upstream builds the taints path from the metadata path: `metadata.taints[0].effect`.
    let taints_path = Path::new("metadata").child("taints");
    let mut unique: BTreeSet<(String, String)> = BTreeSet::new();
    for (i, taint) in node.spec.taints.iter().enumerate() {
        let idx = taints_path.index(i);
        errs.extend(validate_label_name(&taint.key, &idx.child("key")));
        let msgs = is_valid_label_value(&taint.value);
        if !msgs.is_empty() {
            errs.push(FieldError::invalid(
                &idx.child("value"),
                go_quote(&taint.value),
                msgs.join(";"),
            ));
        }
        match &taint.effect {
            None => errs.push(FieldError::required(&idx.child("effect"), "")),
            Some(effect) => errs.extend(validate_taint_effect(effect, &idx.child("effect"))),
        }
        let effect = taint.effect.as_ref().map_or("", |e| e.as_str()).to_string();
        if !unique.insert((effect.clone(), taint.key.clone())) {
            let mut err = FieldError::duplicate(
                &idx,
                format!(
                    "core.Taint{{Key:{}, Value:{}, Effect:{}, TimeAdded:<nil>}}",
                    go_quote(&taint.key),
                    go_quote(&taint.value),
                    go_quote(&effect)
                ),
            );
            err.detail = "taints must be unique by key and effect pair".into();
            errs.push(err);
        }
    }
    // ValidateNodeResources: paths are `status.capacity.cpu`, without brackets.
    for (field, list) in [
        ("capacity", &node.status.capacity),
        ("allocatable", &node.status.allocatable),
    ] {
        for (name, quantity) in list {
            errs.extend(validate_resource_quantity_value(
                name,
                quantity,
                &Path::new("status").child(field).child(name),
            ));
        }
    }
    errs
}

fn validate_namespace(namespace: &Namespace) -> Vec<FieldError> {
    validate_object_meta(&namespace.metadata, false, name_is_dns_label, true)
}

// ---------------------------------------------------------------------------------------
// PriorityClass (pkg/apis/scheduling/validation/validation.go).

/// scheduling.HighestUserDefinablePriority.
pub const HIGHEST_USER_DEFINABLE_PRIORITY: i32 = 1_000_000_000;
/// The built-in classes (pkg/apis/scheduling/v1/helpers.go systemPriorityClasses).
pub const SYSTEM_PRIORITY_CLASSES: [(&str, i32); 2] = [
    ("system-node-critical", 2_000_001_000),
    ("system-cluster-critical", 2_000_000_000),
];

fn validate_priority_class(class: &PriorityClass) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&class.metadata, false, name_is_dns_subdomain, true);
    let name = class.metadata.name.as_deref().unwrap_or("");
    if name.starts_with("system-") {
        // IsKnownSystemPriorityClass.
        let problem = match SYSTEM_PRIORITY_CLASSES.iter().find(|(n, _)| *n == name) {
            None => Some(format!("{name} is not a known system priority class")),
            Some((n, value)) if *value != class.value => {
                Some(format!("value of {n} PriorityClass must be {value}"))
            }
            Some((n, _)) if class.global_default => {
                Some(format!("globalDefault of {n} PriorityClass must be false"))
            }
            Some(_) => None,
        };
        if let Some(problem) = problem {
            errs.push(FieldError::forbidden(
                &Path::new("metadata").child("name"),
                format!("priority class names with 'system-' prefix are reserved for system use only. error: {problem}"),
            ));
        }
    } else if class.value > HIGHEST_USER_DEFINABLE_PRIORITY {
        errs.push(FieldError::forbidden(
            &Path::new("value"),
            format!("maximum allowed value of a user defined priority is {HIGHEST_USER_DEFINABLE_PRIORITY}"),
        ));
    }
    if let Some(policy) = &class.preemption_policy {
        errs.extend(validate_preemption_policy(
            policy,
            &Path::new("preemptionPolicy"),
        ));
    }
    errs
}

// ---------------------------------------------------------------------------------------
// apps/v1 (pkg/apis/apps/validation/validation.go).

/// ValidatePositiveIntOrPercent.
fn validate_positive_int_or_percent(value: &IntOrString, path: &Path) -> Vec<FieldError> {
    match value {
        IntOrString::String(s) => is_valid_percent(s)
            .into_iter()
            .map(|m| FieldError::invalid(path, render_int_or_string(value), m))
            .collect(),
        IntOrString::Int(i) => validate_nonnegative(i64::from(*i), path),
    }
}

/// getPercentValue.
fn percent_value(value: &IntOrString) -> Option<i64> {
    match value {
        IntOrString::String(s) if is_valid_percent(s).is_empty() => {
            s.trim_end_matches('%').parse().ok()
        }
        _ => None,
    }
}

/// getIntOrPercentValue (a non-percent string counts as its integer value, or 0).
fn int_or_percent_value(value: &IntOrString) -> i64 {
    match (percent_value(value), value) {
        (Some(p), _) => p,
        (None, IntOrString::Int(i)) => i64::from(*i),
        (None, IntOrString::String(s)) => go_atoi(s).unwrap_or(0),
    }
}

/// IsNotMoreThan100Percent.
fn is_not_more_than_100_percent(value: &IntOrString, path: &Path) -> Vec<FieldError> {
    match percent_value(value) {
        Some(p) if p > 100 => vec![FieldError::invalid(
            path,
            render_int_or_string(value),
            "must not be greater than 100%",
        )],
        _ => Vec::new(),
    }
}

/// The selector and template rules Deployments and ReplicaSets share (the selector part of
/// ValidateDeploymentSpec / ValidateReplicaSetSpec, then ValidatePodTemplateSpecForReplicaSet).
/// Upstream's wording is shared too: both say "invalid for deployment" and "in ReplicaSet".
fn validate_selector_and_template(
    selector: Option<&LabelSelector>,
    template: &PodTemplateSpec,
    path: &Path,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match selector {
        None => errs.push(FieldError::required(&path.child("selector"), "")),
        Some(s) => {
            errs.extend(validate_label_selector(Some(s), &path.child("selector")));
            if s.is_empty() {
                errs.push(FieldError::invalid(
                    &path.child("selector"),
                    render_selector(s),
                    "empty selector is invalid for deployment",
                ));
            }
        }
    }
    let tpath = path.child("template");
    if !selector_converts(selector) {
        errs.push(FieldError::invalid(
            &path.child("selector"),
            selector.map_or_else(|| "null".to_string(), render_selector),
            "invalid label selector",
        ));
        return errs;
    }
    if !selector_is_empty(selector)
        && !super::meta::selector_matches(selector, &template.metadata.labels)
    {
        errs.push(FieldError::invalid(
            &tpath.child("metadata").child("labels"),
            render_map(&template.metadata.labels),
            "`selector` does not match template `labels`",
        ));
    }
    errs.extend(validate_pod_template_spec(template, &tpath));
    errs.extend(require_restart_always(template, &tpath));
    if template.spec.active_deadline_seconds.is_some() {
        errs.push(FieldError::forbidden(
            &tpath.child("spec").child("activeDeadlineSeconds"),
            "activeDeadlineSeconds in ReplicaSet is not Supported",
        ));
    }
    errs
}

/// Controllers that keep pods running accept only `restartPolicy: Always`.
fn require_restart_always(template: &PodTemplateSpec, tpath: &Path) -> Vec<FieldError> {
    match &template.spec.restart_policy {
        Some(RestartPolicy::Always) => Vec::new(),
        other => vec![FieldError::not_supported(
            &tpath.child("spec").child("restartPolicy"),
            go_quote(opt_str(other)),
            &["Always"],
        )],
    }
}

fn validate_deployment(deployment: &Deployment) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&deployment.metadata, true, name_is_dns_subdomain, true);
    let spec = &deployment.spec;
    let path = Path::new("spec");
    errs.extend(validate_nonnegative(
        i64::from(spec.replicas.unwrap_or(0)),
        &path.child("replicas"),
    ));
    errs.extend(validate_selector_and_template(
        spec.selector.as_ref(),
        &spec.template,
        &path,
    ));
    // ValidateDeploymentStrategy.
    let spath = path.child("strategy");
    let strategy = &spec.strategy;
    match &strategy.type_ {
        Some(DeploymentStrategyType::Recreate) => {
            if strategy.rolling_update.is_some() {
                errs.push(FieldError::forbidden(
                    &spath.child("rollingUpdate"),
                    "may not be specified when strategy `type` is 'Recreate'",
                ));
            }
        }
        Some(DeploymentStrategyType::RollingUpdate) => match &strategy.rolling_update {
            None => errs.push(FieldError::required(&spath.child("rollingUpdate"), "this should be defaulted and never be nil")),
            Some(rolling) => {
                let rpath = spath.child("rollingUpdate");
                let max_unavailable = rolling.max_unavailable.clone().unwrap_or_default();
                let max_surge = rolling.max_surge.clone().unwrap_or_default();
                errs.extend(validate_positive_int_or_percent(&max_unavailable, &rpath.child("maxUnavailable")));
                errs.extend(validate_positive_int_or_percent(&max_surge, &rpath.child("maxSurge")));
                if int_or_percent_value(&max_unavailable) == 0 && int_or_percent_value(&max_surge) == 0 {
                    errs.push(FieldError::invalid(
                        &rpath.child("maxUnavailable"),
                        render_int_or_string(&max_unavailable),
                        "may not be 0 when `maxSurge` is 0",
                    ));
                }
                errs.extend(is_not_more_than_100_percent(&max_unavailable, &rpath.child("maxUnavailable")));
            }
        },
        other => errs.push(FieldError::not_supported(
            &spath,
            format!(
                "apps.DeploymentStrategy{{Type:{}, RollingUpdate:(*apps.RollingUpdateDeployment)({})}}",
                go_quote(opt_str(other)),
                if strategy.rolling_update.is_some() { "…" } else { "nil" }
            ),
            &["Recreate", "RollingUpdate"],
        )),
    }
    errs.extend(validate_nonnegative(
        i64::from(spec.min_ready_seconds),
        &path.child("minReadySeconds"),
    ));
    if let Some(limit) = spec.revision_history_limit {
        errs.extend(validate_nonnegative(
            i64::from(limit),
            &path.child("revisionHistoryLimit"),
        ));
    }
    if let Some(deadline) = spec.progress_deadline_seconds {
        errs.extend(validate_nonnegative(
            i64::from(deadline),
            &path.child("progressDeadlineSeconds"),
        ));
        if deadline <= spec.min_ready_seconds {
            errs.push(FieldError::invalid(
                &path.child("progressDeadlineSeconds"),
                deadline.to_string(),
                "must be greater than minReadySeconds",
            ));
        }
    }
    errs
}

fn validate_replica_set(replica_set: &ReplicaSet) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&replica_set.metadata, true, name_is_dns_subdomain, true);
    let spec = &replica_set.spec;
    let path = Path::new("spec");
    errs.extend(validate_nonnegative(
        i64::from(spec.replicas.unwrap_or(0)),
        &path.child("replicas"),
    ));
    errs.extend(validate_nonnegative(
        i64::from(spec.min_ready_seconds),
        &path.child("minReadySeconds"),
    ));
    errs.extend(validate_selector_and_template(
        spec.selector.as_ref(),
        &spec.template,
        &path,
    ));
    errs
}

fn validate_stateful_set(stateful_set: &StatefulSet) -> Vec<FieldError> {
    // StatefulSet names are DNS labels (kubernetes#114172): they become pod hostnames.
    let mut errs = validate_object_meta(&stateful_set.metadata, true, name_is_dns_label, true);
    let spec = &stateful_set.spec;
    let path = Path::new("spec");
    match &spec.pod_management_policy {
        None => errs.push(FieldError::required(&path.child("podManagementPolicy"), "")),
        Some(p) if p.is_known() => {}
        Some(p) => errs.push(FieldError::invalid(
            &path.child("podManagementPolicy"),
            go_quote(p.as_str()),
            "must be 'OrderedReady' or 'Parallel'",
        )),
    }
    let upath = path.child("updateStrategy");
    let strategy = &spec.update_strategy;
    match &strategy.type_ {
        None => errs.push(FieldError::required(&upath, "")),
        Some(StatefulSetUpdateStrategyType::OnDelete) => {
            if let Some(rolling) = &strategy.rolling_update {
                errs.push(FieldError::invalid(
                    &upath.child("rollingUpdate"),
                    render_stateful_set_rolling_update(rolling),
                    "only allowed for updateStrategy 'RollingUpdate'",
                ));
            }
        }
        Some(StatefulSetUpdateStrategyType::RollingUpdate) => {
            if let Some(rolling) = &strategy.rolling_update {
                let rpath = upath.child("rollingUpdate");
                errs.extend(validate_nonnegative(
                    i64::from(rolling.partition.unwrap_or(0)),
                    &rpath.child("partition"),
                ));
                if let Some(max_unavailable) = &rolling.max_unavailable {
                    let mpath = rpath.child("maxUnavailable");
                    errs.extend(validate_positive_int_or_percent(max_unavailable, &mpath));
                    if int_or_percent_value(max_unavailable) == 0 {
                        errs.push(FieldError::invalid(
                            &mpath,
                            render_int_or_string(max_unavailable),
                            "cannot be 0",
                        ));
                    }
                    errs.extend(is_not_more_than_100_percent(max_unavailable, &mpath));
                }
            }
        }
        Some(other) => errs.push(FieldError::invalid(
            &upath,
            format!(
                "apps.StatefulSetUpdateStrategy{{Type:{}, RollingUpdate:{}}}",
                go_quote(other.as_str()),
                strategy.rolling_update.as_ref().map_or_else(
                    || "(*apps.RollingUpdateStatefulSetStrategy)(nil)".to_string(),
                    |r| format!("&{}", render_stateful_set_rolling_update(r))
                )
            ),
            "must be 'RollingUpdate' or 'OnDelete'",
        )),
    }
    errs.extend(validate_nonnegative(
        i64::from(spec.replicas.unwrap_or(0)),
        &path.child("replicas"),
    ));
    errs.extend(validate_nonnegative(
        i64::from(spec.min_ready_seconds),
        &path.child("minReadySeconds"),
    ));
    if let Some(ordinals) = &spec.ordinals {
        errs.extend(validate_nonnegative(
            i64::from(ordinals.start),
            &path.child("ordinals.start"),
        ));
    }
    // serviceName becomes the pods' subdomain, a DNS label (kubernetes#130233, v1.33).
    if !spec.service_name.is_empty() {
        for m in name_is_dns_label(&spec.service_name, false) {
            errs.push(FieldError::invalid(
                &path.child("serviceName"),
                go_quote(&spec.service_name),
                m,
            ));
        }
    }
    match &spec.selector {
        None => errs.push(FieldError::required(&path.child("selector"), "")),
        Some(s) => {
            errs.extend(validate_label_selector(Some(s), &path.child("selector")));
            if s.is_empty() {
                errs.push(FieldError::invalid(
                    &path.child("selector"),
                    render_selector(s),
                    "empty selector is invalid for statefulset",
                ));
            }
        }
    }
    let tpath = path.child("template");
    if !selector_converts(spec.selector.as_ref()) {
        errs.push(FieldError::invalid(
            &path.child("selector"),
            spec.selector
                .as_ref()
                .map_or_else(|| "null".into(), render_selector),
            "",
        ));
    } else {
        // ValidatePodTemplateSpecForStatefulSet checks labels and annotations but, upstream,
        // not the pod spec: a bad container only surfaces when the controller creates pods.
        if !selector_is_empty(spec.selector.as_ref())
            && !super::meta::selector_matches(
                spec.selector.as_ref(),
                &spec.template.metadata.labels,
            )
        {
            errs.push(FieldError::invalid(
                &tpath.child("metadata").child("labels"),
                render_map(&spec.template.metadata.labels),
                "`selector` does not match template `labels`",
            ));
        }
        errs.extend(validate_labels(
            &spec.template.metadata.labels,
            &tpath.child("labels"),
        ));
        errs.extend(validate_annotations(
            &spec.template.metadata.annotations,
            &tpath.child("annotations"),
        ));
        errs.extend(validate_pod_specific_annotations(
            &spec.template.metadata.annotations,
            &spec.template.spec,
            &tpath.child("annotations"),
        ));
    }
    errs.extend(require_restart_always(&spec.template, &tpath));
    if spec.template.spec.active_deadline_seconds.is_some() {
        errs.push(FieldError::forbidden(
            &tpath.child("spec").child("activeDeadlineSeconds"),
            "activeDeadlineSeconds in StatefulSet is not Supported",
        ));
    }
    errs
}

/// `%#v` of the internal `apps.RollingUpdateStatefulSetStrategy` (a set maxUnavailable is a
/// pointer upstream; its address is not reproducible, so the value is shown instead).
fn render_stateful_set_rolling_update(rolling: &RollingUpdateStatefulSetStrategy) -> String {
    format!(
        "apps.RollingUpdateStatefulSetStrategy{{Partition:{}, MaxUnavailable:{}}}",
        rolling.partition.unwrap_or(0),
        rolling.max_unavailable.as_ref().map_or_else(
            || "(*intstr.IntOrString)(nil)".to_string(),
            |m| format!("&{}", render_int_or_string(m))
        )
    )
}

fn validate_daemon_set(daemon_set: &DaemonSet) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&daemon_set.metadata, true, name_is_dns_subdomain, true);
    let spec = &daemon_set.spec;
    let path = Path::new("spec");
    let selector = spec.selector.as_ref();
    errs.extend(validate_label_selector(selector, &path.child("selector")));
    if selector_converts(selector)
        && !super::meta::selector_matches(selector, &spec.template.metadata.labels)
    {
        errs.push(FieldError::invalid(
            &path.child("template").child("metadata").child("labels"),
            render_map(&spec.template.metadata.labels),
            "`selector` does not match template `labels`",
        ));
    }
    if let Some(s) = selector
        && s.is_empty()
    {
        errs.push(FieldError::invalid(
            &path.child("selector"),
            render_selector(s),
            "empty selector is invalid for daemonset",
        ));
    }
    let tpath = path.child("template");
    errs.extend(validate_pod_template_spec(&spec.template, &tpath));
    errs.extend(require_restart_always(&spec.template, &tpath));
    if spec.template.spec.active_deadline_seconds.is_some() {
        errs.push(FieldError::forbidden(
            &tpath.child("spec").child("activeDeadlineSeconds"),
            "activeDeadlineSeconds in DaemonSet is not Supported",
        ));
    }
    errs.extend(validate_nonnegative(
        i64::from(spec.min_ready_seconds),
        &path.child("minReadySeconds"),
    ));
    // ValidateDaemonSetUpdateStrategy.
    let upath = path.child("updateStrategy");
    let strategy = &spec.update_strategy;
    match &strategy.type_ {
        Some(DaemonSetUpdateStrategyType::OnDelete) => {}
        Some(DaemonSetUpdateStrategyType::RollingUpdate) => match &strategy.rolling_update {
            None => errs.push(FieldError::required(&upath.child("rollingUpdate"), "")),
            Some(rolling) => {
                let rpath = upath.child("rollingUpdate");
                let max_unavailable = rolling.max_unavailable.clone().unwrap_or_default();
                let max_surge = rolling.max_surge.clone().unwrap_or_default();
                errs.extend(validate_positive_int_or_percent(&max_unavailable, &rpath.child("maxUnavailable")));
                errs.extend(validate_positive_int_or_percent(&max_surge, &rpath.child("maxSurge")));
                errs.extend(is_not_more_than_100_percent(&max_unavailable, &rpath.child("maxUnavailable")));
                errs.extend(is_not_more_than_100_percent(&max_surge, &rpath.child("maxSurge")));
                let has_unavailable = int_or_percent_value(&max_unavailable) != 0;
                let has_surge = int_or_percent_value(&max_surge) != 0;
                if has_unavailable && has_surge {
                    errs.push(FieldError::invalid(
                        &rpath.child("maxSurge"),
                        render_int_or_string(&max_surge),
                        "may not be set when maxUnavailable is non-zero",
                    ));
                } else if !has_unavailable && !has_surge {
                    errs.push(FieldError::required(&rpath.child("maxUnavailable"), "cannot be 0 when maxSurge is 0"));
                }
            }
        },
        other => errs.push(FieldError::not_supported(
            &upath,
            format!(
                "apps.DaemonSetUpdateStrategy{{Type:{}, RollingUpdate:(*apps.RollingUpdateDaemonSet)({})}}",
                go_quote(opt_str(other)),
                if strategy.rolling_update.is_some() { "…" } else { "nil" }
            ),
            &["RollingUpdate", "OnDelete"],
        )),
    }
    if let Some(limit) = spec.revision_history_limit {
        errs.extend(validate_nonnegative(
            i64::from(limit),
            &path.child("revisionHistoryLimit"),
        ));
    }
    errs
}

// ---------------------------------------------------------------------------------------
// batch/v1 (pkg/apis/batch/validation/validation.go).

const MAX_PARALLELISM_FOR_INDEXED_JOB: i32 = 100_000;
const MAX_FAILED_INDEXES_FOR_INDEXED_JOB: i32 = 100_000;
const COMPLETIONS_SOFT_LIMIT: i32 = 100_000;
const PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS: i32 = 10_000;
const MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS: i32 = 10_000;
const MAX_POD_FAILURE_POLICY_RULES: usize = 20;
const MAX_POD_FAILURE_POLICY_ON_EXIT_CODES_VALUES: usize = 255;
const MAX_POD_FAILURE_POLICY_ON_POD_CONDITIONS_PATTERNS: usize = 20;
/// Stands in for the uid the store has not assigned yet when checking generated selectors.
const UNASSIGNED_UID: &str = "00000000-0000-0000-0000-000000000000";

fn validate_job(job: &Job) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&job.metadata, true, name_is_dns_subdomain, true);
    errs.extend(validate_generated_selector(job));
    let path = Path::new("spec");
    let mut spec = job.spec.clone();
    if spec.manual_selector != Some(true) {
        // The store runs generateSelector before validating; do the same on a copy so a job
        // that relies on selector generation validates like upstream's.
        let uid = generated_uid(job);
        let mut generated = job.clone();
        super::defaults::generate_job_selector(&mut generated, &uid);
        spec = generated.spec;
    }
    errs.extend(validate_job_spec(&spec, &path));
    match &spec.selector {
        None => errs.push(FieldError::required(&path.child("selector"), "")),
        Some(s) => errs.extend(validate_label_selector(Some(s), &path.child("selector"))),
    }
    if selector_converts(spec.selector.as_ref())
        && !super::meta::selector_matches(spec.selector.as_ref(), &spec.template.metadata.labels)
    {
        errs.push(FieldError::invalid(
            &path.child("template").child("metadata").child("labels"),
            render_map(&spec.template.metadata.labels),
            "`selector` does not match template `labels`",
        ));
    }
    // Indexed pods get the hostname `$JOB-$INDEX`, which must be a DNS label.
    if spec.completion_mode == Some(CompletionMode::Indexed)
        && let Some(completions) = spec.completions.filter(|c| *c > 0)
    {
        let name = job.metadata.name.as_deref().unwrap_or("");
        let hostname = format!("{name}-{}", completions - 1);
        if !is_dns1123_label(&hostname).is_empty() {
            errs.push(FieldError::invalid(
                &Path::new("metadata").child("name"),
                go_quote(name),
                format!("will not able to create pod with invalid DNS label: {hostname}"),
            ));
        }
    }
    errs
}

/// The uid generateSelector used, if it already ran (the store assigned it), else a stand-in.
fn generated_uid(job: &Job) -> String {
    job.spec
        .selector
        .as_ref()
        .and_then(|s| s.match_labels.get(CONTROLLER_UID_LABEL))
        .cloned()
        .unwrap_or_else(|| UNASSIGNED_UID.to_string())
}

/// validateGeneratedSelector (RequirePrefixedLabels is true on create): with a generated
/// selector, the template must carry the job's name and uid labels and the selector must
/// select them.
fn validate_generated_selector(job: &Job) -> Vec<FieldError> {
    if job.spec.manual_selector == Some(true) {
        return Vec::new();
    }
    let uid = generated_uid(job);
    let name = job.metadata.name.clone().unwrap_or_default();
    let mut generated = job.clone();
    super::defaults::generate_job_selector(&mut generated, &uid);
    let labels = &generated.spec.template.metadata.labels;
    let mpath = Path::new("spec").child("template").child("metadata");
    let mut errs = Vec::new();
    for (key, expected) in [
        (LEGACY_CONTROLLER_UID_LABEL, uid.as_str()),
        (LEGACY_JOB_NAME_LABEL, name.as_str()),
        (CONTROLLER_UID_LABEL, uid.as_str()),
        (JOB_NAME_LABEL, name.as_str()),
    ] {
        // ValidateHasLabel.
        match labels.get(key) {
            None => errs.push(FieldError::required(
                &mpath.child("labels").key(key),
                format!("must be '{expected}'"),
            )),
            Some(actual) if actual != expected => errs.push(FieldError::invalid(
                &mpath.child("labels").key(key),
                render_map(labels),
                format!("must be '{expected}'"),
            )),
            Some(_) => {}
        }
    }
    let expected: BTreeMap<String, String> = [
        (CONTROLLER_UID_LABEL, uid.as_str()),
        (JOB_NAME_LABEL, name.as_str()),
        (LEGACY_CONTROLLER_UID_LABEL, uid.as_str()),
        (LEGACY_JOB_NAME_LABEL, name.as_str()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let selector = generated.spec.selector.as_ref();
    if selector_converts(selector) && !super::meta::selector_matches(selector, &expected) {
        errs.push(FieldError::invalid(
            &Path::new("spec").child("selector"),
            selector.map_or_else(|| "null".into(), render_selector),
            "`selector` not auto-generated",
        ));
    }
    errs
}

/// validateJobSpec: everything but the selector, shared with CronJob job templates.
fn validate_job_spec(spec: &JobSpec, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (field, value) in [
        ("parallelism", spec.parallelism.map(i64::from)),
        ("completions", spec.completions.map(i64::from)),
        ("activeDeadlineSeconds", spec.active_deadline_seconds),
        ("backoffLimit", spec.backoff_limit.map(i64::from)),
        (
            "ttlSecondsAfterFinished",
            spec.ttl_seconds_after_finished.map(i64::from),
        ),
        (
            "backoffLimitPerIndex",
            spec.backoff_limit_per_index.map(i64::from),
        ),
    ] {
        if let Some(value) = value {
            errs.extend(validate_nonnegative(value, &path.child(field)));
        }
    }
    if let Some(max_failed) = spec.max_failed_indexes {
        errs.extend(validate_nonnegative(
            i64::from(max_failed),
            &path.child("maxFailedIndexes"),
        ));
        if spec.backoff_limit_per_index.is_none() {
            errs.push(FieldError::required(
                &path.child("backoffLimitPerIndex"),
                "when maxFailedIndexes is specified",
            ));
        }
    }
    if let Some(mode) = &spec.completion_mode {
        if !mode.is_known() {
            errs.push(FieldError::not_supported(
                &path.child("completionMode"),
                go_quote(mode.as_str()),
                &["NonIndexed", "Indexed"],
            ));
        }
        if *mode == CompletionMode::Indexed {
            if spec.completions.is_none() {
                errs.push(FieldError::required(
                    &path.child("completions"),
                    "when completion mode is Indexed",
                ));
            }
            if let Some(p) = spec
                .parallelism
                .filter(|p| *p > MAX_PARALLELISM_FOR_INDEXED_JOB)
            {
                errs.push(FieldError::invalid(
                    &path.child("parallelism"),
                    p.to_string(),
                    format!("must be less than or equal to {MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed"),
                ));
            }
            if let (Some(c), Some(m)) = (spec.completions, spec.max_failed_indexes)
                && m > c
            {
                errs.push(FieldError::invalid(
                    &path.child("maxFailedIndexes"),
                    m.to_string(),
                    "must be less than or equal to completions",
                ));
            }
            if let Some(m) = spec
                .max_failed_indexes
                .filter(|m| *m > MAX_FAILED_INDEXES_FOR_INDEXED_JOB)
            {
                errs.push(FieldError::invalid(
                    &path.child("maxFailedIndexes"),
                    m.to_string(),
                    format!("must be less than or equal to {MAX_FAILED_INDEXES_FOR_INDEXED_JOB}"),
                ));
            }
            if spec.completions.is_some_and(|c| c > COMPLETIONS_SOFT_LIMIT)
                && spec.backoff_limit_per_index.is_some()
            {
                if spec.max_failed_indexes.is_none() {
                    errs.push(FieldError::required(
                        &path.child("maxFailedIndexes"),
                        format!(
                            "must be specified when completions is above {COMPLETIONS_SOFT_LIMIT}"
                        ),
                    ));
                }
                if let Some(p) = spec
                    .parallelism
                    .filter(|p| *p > PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS)
                {
                    errs.push(FieldError::invalid(
                        &path.child("parallelism"),
                        p.to_string(),
                        format!("must be less than or equal to {PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS} when completions are above {COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index"),
                    ));
                }
                if let Some(m) = spec
                    .max_failed_indexes
                    .filter(|m| *m > MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS)
                {
                    errs.push(FieldError::invalid(
                        &path.child("maxFailedIndexes"),
                        m.to_string(),
                        format!("must be less than or equal to {MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS} when completions are above {COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index"),
                    ));
                }
            }
        }
    }
    if matches!(
        spec.completion_mode,
        None | Some(CompletionMode::NonIndexed)
    ) {
        if let Some(b) = spec.backoff_limit_per_index {
            errs.push(FieldError::invalid(
                &path.child("backoffLimitPerIndex"),
                b.to_string(),
                "requires indexed completion mode",
            ));
        }
        if let Some(m) = spec.max_failed_indexes {
            errs.push(FieldError::invalid(
                &path.child("maxFailedIndexes"),
                m.to_string(),
                "requires indexed completion mode",
            ));
        }
    }
    if let Some(policy) = &spec.pod_failure_policy {
        errs.extend(validate_pod_failure_policy(
            spec,
            policy,
            &path.child("podFailurePolicy"),
        ));
    }
    if let Some(replacement) = &spec.pod_replacement_policy {
        let rpath = path.child("podReplacementPolicy");
        if spec.pod_failure_policy.is_some() {
            if *replacement != PodReplacementPolicy::Failed {
                errs.push(FieldError::not_supported(
                    &rpath,
                    go_quote(replacement.as_str()),
                    &["Failed"],
                ));
            }
        } else if !replacement.is_known() {
            errs.push(FieldError::not_supported(
                &rpath,
                go_quote(replacement.as_str()),
                &["Failed", "TerminatingOrFailed"],
            ));
        }
    }
    let tpath = path.child("template");
    errs.extend(validate_pod_template_spec(&spec.template, &tpath));
    let restart_path = tpath.child("spec").child("restartPolicy");
    match &spec.template.spec.restart_policy {
        // Defaulting turns an omitted policy into Always, so both read as "not set".
        None | Some(RestartPolicy::Always) => errs.push(FieldError::required(
            &restart_path,
            "valid values: \"OnFailure\", \"Never\"",
        )),
        Some(RestartPolicy::Other(p)) => errs.push(FieldError::not_supported(
            &restart_path,
            go_quote(p),
            &["OnFailure", "Never"],
        )),
        Some(RestartPolicy::OnFailure) if spec.pod_failure_policy.is_some() => {
            errs.push(FieldError::invalid(
                &restart_path,
                go_quote("OnFailure"),
                "only \"Never\" is supported when podFailurePolicy is specified",
            ))
        }
        Some(_) => {}
    }
    errs
}

/// Go's `%q` of a `[]string`: `["a" "b"]`.
fn go_quote_list(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| go_quote(v)).collect();
    format!("[{}]", quoted.join(" "))
}

fn validate_pod_failure_policy(
    spec: &JobSpec,
    policy: &PodFailurePolicy,
    path: &Path,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let rules_path = path.child("rules");
    if policy.rules.len() > MAX_POD_FAILURE_POLICY_RULES {
        errs.push(FieldError::too_many(
            &rules_path,
            policy.rules.len(),
            MAX_POD_FAILURE_POLICY_RULES,
        ));
    }
    let container_names: BTreeSet<&str> = spec
        .template
        .spec
        .containers
        .iter()
        .chain(spec.template.spec.init_containers.iter())
        .map(|c| c.name.as_str())
        .collect();
    const ACTIONS: [&str; 4] = ["Count", "FailIndex", "FailJob", "Ignore"];
    for (i, rule) in policy.rules.iter().enumerate() {
        let rpath = rules_path.index(i);
        let apath = rpath.child("action");
        match &rule.action {
            None => errs.push(FieldError::required(
                &apath,
                format!("valid values: {}", go_quote_list(&ACTIONS)),
            )),
            Some(PodFailurePolicyAction::FailIndex) => {
                if spec.backoff_limit_per_index.is_none() {
                    errs.push(FieldError::invalid(
                        &apath,
                        go_quote("FailIndex"),
                        "requires the backoffLimitPerIndex to be set",
                    ));
                }
            }
            Some(a) if a.is_known() => {}
            Some(a) => errs.push(FieldError::not_supported(
                &apath,
                go_quote(a.as_str()),
                &ACTIONS,
            )),
        }
        if let Some(on_exit_codes) = &rule.on_exit_codes {
            let epath = rpath.child("onExitCodes");
            let opath = epath.child("operator");
            match &on_exit_codes.operator {
                None => errs.push(FieldError::required(
                    &opath,
                    format!("valid values: {}", go_quote_list(&["In", "NotIn"])),
                )),
                Some(o) if o.is_known() => {}
                Some(o) => errs.push(FieldError::not_supported(
                    &opath,
                    go_quote(o.as_str()),
                    &["In", "NotIn"],
                )),
            }
            if let Some(name) = &on_exit_codes.container_name
                && !container_names.contains(name.as_str())
            {
                errs.push(FieldError::invalid(
                    &epath.child("containerName"),
                    go_quote(name),
                    "must be one of the container or initContainer names in the pod template",
                ));
            }
            let vpath = epath.child("values");
            let values = &on_exit_codes.values;
            if values.is_empty() {
                errs.push(FieldError::invalid(
                    &vpath,
                    render_i32s(values),
                    "at least one value is required",
                ));
            } else if values.len() > MAX_POD_FAILURE_POLICY_ON_EXIT_CODES_VALUES {
                errs.push(FieldError::too_many(
                    &vpath,
                    values.len(),
                    MAX_POD_FAILURE_POLICY_ON_EXIT_CODES_VALUES,
                ));
            }
            let mut unique = BTreeSet::new();
            for (j, value) in values.iter().enumerate() {
                if on_exit_codes.operator == Some(PodFailurePolicyOnExitCodesOperator::In)
                    && *value == 0
                {
                    errs.push(FieldError::invalid(
                        &vpath.index(j),
                        "0",
                        "must not be 0 for the In operator",
                    ));
                }
                if !unique.insert(*value) {
                    errs.push(FieldError::duplicate(&vpath.index(j), value.to_string()));
                }
            }
            if values.windows(2).any(|w| w[0] > w[1]) {
                errs.push(FieldError::invalid(
                    &vpath,
                    render_i32s(values),
                    "must be ordered",
                ));
            }
        }
        if !rule.on_pod_conditions.is_empty() {
            let cpath = rpath.child("onPodConditions");
            if rule.on_pod_conditions.len() > MAX_POD_FAILURE_POLICY_ON_POD_CONDITIONS_PATTERNS {
                errs.push(FieldError::too_many(
                    &cpath,
                    rule.on_pod_conditions.len(),
                    MAX_POD_FAILURE_POLICY_ON_POD_CONDITIONS_PATTERNS,
                ));
            }
            for (j, pattern) in rule.on_pod_conditions.iter().enumerate() {
                let ppath = cpath.index(j);
                errs.extend(validate_qualified_name(
                    &pattern.type_,
                    &ppath.child("type"),
                ));
                const STATUSES: [&str; 3] = ["False", "True", "Unknown"];
                match &pattern.status {
                    None => errs.push(FieldError::required(
                        &ppath.child("status"),
                        format!("valid values: {}", go_quote_list(&STATUSES)),
                    )),
                    Some(s) if s.is_known() => {}
                    Some(s) => errs.push(FieldError::not_supported(
                        &ppath.child("status"),
                        go_quote(s.as_str()),
                        &STATUSES,
                    )),
                }
            }
        }
        match (
            rule.on_exit_codes.is_some(),
            !rule.on_pod_conditions.is_empty(),
        ) {
            (true, true) => errs.push(FieldError::invalid_omit(
                &rpath,
                "specifying both OnExitCodes and OnPodConditions is not supported",
            )),
            (false, false) => errs.push(FieldError::invalid_omit(
                &rpath,
                "specifying one of OnExitCodes and OnPodConditions is required",
            )),
            _ => {}
        }
    }
    errs
}

fn validate_cron_job(cron_job: &CronJob) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&cron_job.metadata, true, name_is_dns_subdomain, true);
    let spec = &cron_job.spec;
    let path = Path::new("spec");
    let schedule_path = path.child("schedule");
    if spec.schedule.is_empty() {
        errs.push(FieldError::required(&schedule_path, ""));
    } else if spec.schedule.contains("TZ") {
        // validateScheduleFormat (pkg/apis/batch/validation): robfig accepts a `TZ=` prefix,
        // so for these only the TZ rule speaks.
        errs.push(FieldError::invalid(
            &schedule_path,
            go_quote(&spec.schedule),
            "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
        ));
    } else if let Err(e) = crate::controller::cron::Schedule::parse(&spec.schedule) {
        // validateScheduleFormat: cron.ParseStandard's error as the detail.
        errs.push(FieldError::invalid(
            &schedule_path,
            go_quote(&spec.schedule),
            e,
        ));
    }
    if let Some(deadline) = spec.starting_deadline_seconds {
        errs.extend(validate_nonnegative(
            deadline,
            &path.child("startingDeadlineSeconds"),
        ));
    }
    if let Some(time_zone) = &spec.time_zone {
        errs.extend(validate_time_zone(time_zone, &path.child("timeZone")));
    }
    let cpath = path.child("concurrencyPolicy");
    match &spec.concurrency_policy {
        None => errs.push(FieldError::required(&cpath, "")),
        Some(p) if p.is_known() => {}
        Some(p) => errs.push(FieldError::not_supported(
            &cpath,
            go_quote(p.as_str()),
            &["Allow", "Forbid", "Replace"],
        )),
    }
    // ValidateJobTemplateSpec.
    let jpath = path.child("jobTemplate");
    let job_spec = &spec.job_template.spec;
    errs.extend(validate_job_spec(job_spec, &jpath.child("spec")));
    if let Some(selector) = &job_spec.selector {
        errs.push(FieldError::invalid(
            &jpath.child("spec").child("selector"),
            render_selector(selector),
            "`selector` will be auto-generated",
        ));
    }
    if job_spec.manual_selector == Some(true) {
        errs.push(FieldError::not_supported(
            &jpath.child("spec").child("manualSelector"),
            "true",
            &["nil", "false"],
        ));
    }
    for (field, limit) in [
        (
            "successfulJobsHistoryLimit",
            spec.successful_jobs_history_limit,
        ),
        ("failedJobsHistoryLimit", spec.failed_jobs_history_limit),
    ] {
        if let Some(limit) = limit {
            errs.extend(validate_nonnegative(i64::from(limit), &path.child(field)));
        }
    }
    // The controller names jobs `$CRONJOB-$TIMESTAMP` (11 characters) and job names must fit
    // a DNS label's 63.
    let name = cron_job.metadata.name.as_deref().unwrap_or("");
    if name.len() > 63 - 11 {
        errs.push(FieldError::invalid(
            &Path::new("metadata").child("name"),
            go_quote(name),
            "must be no more than 52 characters",
        ));
    }
    errs
}

/// validateTimeZone, its time.LoadLocation against the bundled tz database included.
fn validate_time_zone(time_zone: &str, path: &Path) -> Vec<FieldError> {
    if time_zone.is_empty() {
        return vec![FieldError::invalid(
            path,
            go_quote(time_zone),
            "timeZone must be nil or non-empty string",
        )];
    }
    let valid_part = |part: &str| {
        !part.is_empty()
            && part.len() <= 14
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-+".contains(&b))
            && part != "."
            && part != ".."
            && !part.starts_with('-')
    };
    if !time_zone.split('/').all(valid_part) {
        return vec![FieldError::invalid(
            path,
            go_quote(time_zone),
            format!("unknown time zone {time_zone}"),
        )];
    }
    if time_zone.eq_ignore_ascii_case("Local") {
        return vec![FieldError::invalid(
            path,
            go_quote(time_zone),
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
        )];
    }
    match crate::timezone::Zone::load(time_zone) {
        Ok(_) => Vec::new(),
        Err(e) => vec![FieldError::invalid(path, go_quote(time_zone), e)],
    }
}

// ---------------------------------------------------------------------------------------
// policy/v1 (pkg/apis/policy/validation/validation.go).

fn validate_pod_disruption_budget(pdb: &PodDisruptionBudget) -> Vec<FieldError> {
    let spec = &pdb.spec;
    let path = Path::new("spec");
    let mut errs = Vec::new();
    if spec.min_available.is_some() && spec.max_unavailable.is_some() {
        // Upstream prints the whole spec struct (with pointer addresses) as the value.
        errs.push(FieldError::invalid_omit(
            &path,
            "minAvailable and maxUnavailable cannot be both set",
        ));
    }
    for (field, value) in [
        ("minAvailable", &spec.min_available),
        ("maxUnavailable", &spec.max_unavailable),
    ] {
        if let Some(value) = value {
            errs.extend(validate_positive_int_or_percent(value, &path.child(field)));
            errs.extend(is_not_more_than_100_percent(value, &path.child(field)));
        }
    }
    errs.extend(validate_label_selector(
        spec.selector.as_ref(),
        &path.child("selector"),
    ));
    if let Some(policy) = &spec.unhealthy_pod_eviction_policy
        && !policy.is_known()
    {
        errs.push(FieldError::not_supported(
            &path.child("unhealthyPodEvictionPolicy"),
            go_quote(policy.as_str()),
            &[
                UnhealthyPodEvictionPolicyType::AlwaysAllow.as_str(),
                UnhealthyPodEvictionPolicyType::IfHealthyBudget.as_str(),
            ],
        ));
    }
    // The PDB strategy leaves metadata to the generic check (rest.BeforeCreate), which only
    // runs once the type-specific checks pass and only requires a valid path segment.
    if errs.is_empty() {
        errs.extend(validate_object_meta(
            &pdb.metadata,
            true,
            validate_path_segment_name,
            false,
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{decode, default_object};
    use serde_json::{Value, json};

    /// A formatted expectation that lives as long as the table (test-only leak).
    macro_rules! lf {
        ($($t:tt)*) => {
            &*Box::leak(format!($($t)*).into_boxed_str())
        };
    }

    const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    const PERCENT_MSG: &str = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

    /// Decode, default and validate one manifest, as the API server's create path does.
    fn check(api_version: &str, kind: &str, manifest: Value) -> Vec<String> {
        let (mut object, _) = decode(api_version, kind, manifest).unwrap().unwrap();
        default_object(&mut object);
        validate_object(&object)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn pod(spec: Value) -> Value {
        json!({"metadata": {"name": "p", "namespace": "default"}, "spec": spec})
    }

    fn containers(list: Value) -> Value {
        pod(json!({"containers": list}))
    }

    fn run_table(api_version: &str, kind: &str, cases: Vec<(&str, Value, Vec<&str>)>) {
        for (name, manifest, want) in cases {
            let got = check(api_version, kind, manifest);
            assert_eq!(got, want, "case {name:?}");
        }
    }

    /// Ported from TestIsDNS1123Label, TestIsDNS1123Subdomain, TestIsQualifiedName,
    /// TestIsValidLabelValue and TestIsValidPortName in
    /// staging/src/k8s.io/apimachinery/pkg/util/validation/validation_test.go.
    #[test]
    fn format_checks() {
        let a63 = "a".repeat(63);
        for good in [
            "a",
            "ab",
            "abc",
            "a1",
            "a-1",
            "a--1--2--b",
            "0",
            "01",
            "012",
            "1a",
            "1-a",
            "1--a--b--2",
            &a63,
        ] {
            assert!(is_dns1123_label(good).is_empty(), "label {good:?}");
        }
        let a64 = "a".repeat(64);
        for bad in [
            "", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_",
            "_a", "a_b", "1_", "_1", "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2", " ", "a ",
            " a", "a b", "1 ", " 1", "1 2", &a64,
        ] {
            assert!(!is_dns1123_label(bad).is_empty(), "label {bad:?}");
        }
        assert_eq!(is_dns1123_label("a.b"), vec!["must not contain dots"]);
        assert_eq!(is_dns1123_label("A"), vec![LABEL_MSG]);

        for good in ["a", "a.b.c", "1.2.3", "a-1.b-2", "11.22.33.44.55"] {
            assert!(is_dns1123_subdomain(good).is_empty(), "subdomain {good:?}");
        }
        for bad in ["", "A", "a..b", "-a", "a.-b", "a_b", ".a", "a."] {
            assert_eq!(
                is_dns1123_subdomain(bad),
                vec![SUBDOMAIN_MSG],
                "subdomain {bad:?}"
            );
        }
        assert_eq!(
            is_dns1123_subdomain(&"a".repeat(254)),
            vec!["must be no more than 253 characters"]
        );

        let long_prefixed = format!("{}/{}", "a".repeat(253), "b".repeat(63));
        for good in [
            "simple",
            "now-with-dashes",
            "1-starts-with-num",
            "1234",
            "simple/simple",
            "now-with-dashes/simple",
            "now-with-dashes/now-with-dashes",
            "now.with.dots/simple",
            "now-with.dashes-and.dots/simple",
            "1-num.2-num/3-num",
            "1234/5678",
            "1.2.3.4/5678",
            "Uppercase_Is_OK_123",
            "example.com/Uppercase_Is_OK_123",
            "requests.storage-foo",
            &a63,
            &long_prefixed,
        ] {
            assert!(is_qualified_name(good).is_empty(), "qualified {good:?}");
        }
        let long_prefix = format!("{}/abc", "a".repeat(254));
        for bad in [
            "nospecialchars%^=@",
            "cantendwithadash-",
            "-cantstartwithadash-",
            "only/one/slash",
            "Example.com/abc",
            "example_com/abc",
            "example.com/",
            "/simple",
            &a64,
            &long_prefix,
        ] {
            assert!(!is_qualified_name(bad).is_empty(), "qualified {bad:?}");
        }
        assert_eq!(
            is_qualified_name("/simple"),
            vec!["prefix part must be non-empty"]
        );

        for good in [
            "simple",
            "now-with-dashes",
            "1-starts-with-num",
            "end-with-num-1",
            "1234",
            &a63,
            "",
        ] {
            assert!(
                is_valid_label_value(good).is_empty(),
                "label value {good:?}"
            );
        }
        for bad in [
            "nospecialchars%^=@",
            "Tama-nui-te-rā.is_the_Māori_sun",
            "\\backslashes\\are\\bad",
            "-starts-with-dash",
            "ends-with-dash-",
            ".starts.with.dot",
            "ends.with.dot.",
            &a64,
        ] {
            assert!(!is_valid_label_value(bad).is_empty(), "label value {bad:?}");
        }

        for good in [
            "telnet",
            "re-mail-ck",
            "pop3",
            "a",
            "a-1",
            "1-a",
            "a-1-b-2-c",
            "1-a-2-b-3",
        ] {
            assert!(is_valid_port_name(good).is_empty(), "port {good:?}");
        }
        let a16 = "a".repeat(16);
        for bad in [
            "longerthan15characters",
            "",
            &a16,
            "12345",
            "1-2-3-4",
            "-begin",
            "end-",
            "two--hyphens",
            "whois++",
        ] {
            assert!(!is_valid_port_name(bad).is_empty(), "port {bad:?}");
        }
        assert_eq!(is_valid_percent("5"), vec![PERCENT_MSG]);
    }

    #[test]
    fn field_error_display_matches_upstream() {
        let path = Path::new("spec")
            .child("containers")
            .index(0)
            .child("image");
        assert_eq!(
            FieldError::required(&path, "").to_string(),
            "spec.containers[0].image: Required value"
        );
        let err = FieldError::not_supported(
            &Path::new("spec").child("restartPolicy"),
            go_quote("Sometimes"),
            &["Always", "OnFailure", "Never"],
        );
        assert_eq!(
            err.to_string(),
            r#"spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never""#
        );
        assert_eq!(
            FieldError::forbidden(&Path::new("spec"), "nope").to_string(),
            "spec: Forbidden: nope"
        );
        assert_eq!(
            FieldError::invalid_omit(&Path::new("spec"), "bad").to_string(),
            "spec: Invalid value: bad"
        );
        assert_eq!(
            FieldError::too_many(&Path::new("x"), 21, 20).to_string(),
            "x: Too many: 21: must have at most 20 items"
        );
        assert_eq!(go_quote("a\"b\\c\n\u{1}é"), r#""a\"b\\c\n\x01é""#);
        assert_eq!(
            Path::new("spec")
                .child("containers")
                .index(0)
                .child("resources")
                .child("limits")
                .key("cpu")
                .0,
            "spec.containers[0].resources.limits[cpu]"
        );
    }

    /// A realistic pod using every modelled field validates cleanly after defaulting.
    #[test]
    fn valid_pod_has_no_errors() {
        let manifest = json!({
            "metadata": {
                "name": "web-0", "namespace": "default",
                "labels": {"app": "web", "app.kubernetes.io/version": "1.2.3"},
                "annotations": {"Example.com/Note": "anything goes", "controller.kubernetes.io/pod-deletion-cost": "-10"},
                "finalizers": ["example.com/cleanup"]
            },
            "spec": {
                "initContainers": [
                    {"name": "migrate", "image": "busybox:1.36", "command": ["sh", "-c", "true"]},
                    {"name": "proxy", "image": "envoy:v1", "restartPolicy": "Always",
                     "readinessProbe": {"tcpSocket": {"port": "admin"}}}
                ],
                "containers": [{
                    "name": "web", "image": "nginx:1.27",
                    "ports": [{"name": "http", "containerPort": 80}, {"containerPort": 53, "protocol": "UDP"}],
                    "resources": {"requests": {"cpu": "250m", "memory": "64Mi", "example.com/foo": "1"},
                                  "limits": {"cpu": "500m", "memory": "128Mi", "example.com/foo": "1", "hugepages-2Mi": "4Mi"}},
                    "livenessProbe": {"httpGet": {"path": "/healthz", "port": 80}, "initialDelaySeconds": 3},
                    "startupProbe": {"exec": {"command": ["true"]}, "failureThreshold": 30, "periodSeconds": 1},
                    "lifecycle": {"preStop": {"sleep": {"seconds": 5}}, "postStart": {"exec": {"command": ["true"]}}}
                }],
                "restartPolicy": "OnFailure",
                "terminationGracePeriodSeconds": 60,
                "activeDeadlineSeconds": 3600,
                "nodeSelector": {"kubernetes.io/os": "linux"},
                "affinity": {
                    "nodeAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                            {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a", "b"]},
                                                  {"key": "cores", "operator": "Gt", "values": ["4"]}]},
                            {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-1"]}]}
                        ]},
                        "preferredDuringSchedulingIgnoredDuringExecution": [
                            {"weight": 10, "preference": {"matchExpressions": [{"key": "disk", "operator": "Exists"}]}}
                        ]
                    },
                    "podAntiAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": [{
                            "labelSelector": {"matchLabels": {"app": "web"}},
                            "topologyKey": "kubernetes.io/hostname",
                            "matchLabelKeys": ["app.kubernetes.io/version"]
                        }],
                        "preferredDuringSchedulingIgnoredDuringExecution": [{
                            "weight": 100,
                            "podAffinityTerm": {"labelSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]},
                                                "namespaces": ["default"], "topologyKey": "zone",
                                                "namespaceSelector": {}}
                        }]
                    }
                },
                "tolerations": [
                    {"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"},
                    {"operator": "Exists"},
                    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 60}
                ],
                "topologySpreadConstraints": [{
                    "maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
                    "labelSelector": {"matchLabels": {"app": "web"}}, "minDomains": 2,
                    "nodeAffinityPolicy": "Honor", "nodeTaintsPolicy": "Ignore", "matchLabelKeys": ["pod-template-hash"]
                }],
                "schedulerName": "my-scheduler",
                "priorityClassName": "high-priority",
                "priority": 1000,
                "preemptionPolicy": "Never",
                "overhead": {"cpu": "100m"},
                "schedulingGates": [{"name": "example.com/gate"}],
                "readinessGates": [{"conditionType": "example.com/ready"}],
                "volumes": [{"name": "data"}],
                "serviceAccountName": "web"
            }
        });
        assert_eq!(check("v1", "Pod", manifest), Vec::<String>::new());
    }

    /// Ported from TestValidatePod, TestValidateContainers, TestValidateInitContainers,
    /// TestValidateRestartPolicy, TestValidateProbe, TestValidateResourceRequirements and
    /// TestValidateTolerations in pkg/apis/core/validation/validation_test.go.
    #[test]
    fn pod_errors() {
        let c = |extra: Value| {
            let mut base = json!({"name": "c", "image": "img"});
            if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
                b.extend(e.clone());
            }
            base
        };
        let cases: Vec<(&str, Value, Vec<&str>)> = vec![
            (
                "invalid pod name",
                json!({"metadata": {"name": "My_Pod"}, "spec": {"containers": [c(json!({}))]}}),
                vec![
                    "metadata.name: Invalid value: \"My_Pod\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                ],
            ),
            (
                "missing name",
                json!({"spec": {"containers": [c(json!({}))]}}),
                vec!["metadata.name: Required value: name or generateName is required"],
            ),
            (
                "generateName is enough",
                json!({"metadata": {"generateName": "web-"}, "spec": {"containers": [c(json!({}))]}}),
                vec![],
            ),
            (
                "invalid namespace",
                json!({"metadata": {"name": "p", "namespace": "Prod"}, "spec": {"containers": [c(json!({}))]}}),
                vec![lf!(
                    "metadata.namespace: Invalid value: \"Prod\": {LABEL_MSG}"
                )],
            ),
            (
                "no containers",
                pod(json!({})),
                vec!["spec.containers: Required value"],
            ),
            (
                "missing image",
                containers(json!([{"name": "c"}])),
                vec!["spec.containers[0].image: Required value"],
            ),
            (
                "missing container name",
                containers(json!([{"image": "i"}])),
                vec!["spec.containers[0].name: Required value"],
            ),
            (
                "container name not a DNS label",
                containers(json!([c(json!({"name": "Web"}))])),
                vec![lf!(
                    "spec.containers[0].name: Invalid value: \"Web\": {LABEL_MSG}"
                )],
            ),
            (
                "duplicate container names",
                containers(json!([c(json!({})), c(json!({}))])),
                vec!["spec.containers[1].name: Duplicate value: \"c\""],
            ),
            (
                "init container name collides with a container",
                pod(json!({"containers": [c(json!({}))], "initContainers": [c(json!({}))]})),
                vec!["spec.initContainers[0].name: Duplicate value: \"c\""],
            ),
            (
                "unsupported restartPolicy",
                pod(json!({"containers": [c(json!({}))], "restartPolicy": "Sometimes"})),
                vec![
                    "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
                ],
            ),
            (
                "unsupported imagePullPolicy",
                containers(json!([c(json!({"imagePullPolicy": "Sometimes"}))])),
                vec![
                    "spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"",
                ],
            ),
            (
                "request above limit",
                containers(json!([c(
                    json!({"resources": {"requests": {"cpu": "600m"}, "limits": {"cpu": "500m"}}})
                )])),
                vec![
                    "spec.containers[0].resources.requests: Invalid value: \"600m\": must be less than or equal to cpu limit of 500m",
                ],
            ),
            (
                "negative quantity",
                containers(json!([c(
                    json!({"resources": {"requests": {"memory": "-1"}}})
                )])),
                vec![
                    "spec.containers[0].resources.requests[memory]: Invalid value: \"-1\": must be greater than or equal to 0",
                ],
            ),
            (
                "unknown unqualified resource",
                containers(json!([c(json!({"resources": {"limits": {"gpu": "1"}}}))])),
                vec![
                    "spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource type or fully qualified",
                    "spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource for containers",
                    "spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource type or fully qualified",
                    "spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource for containers",
                ],
            ),
            (
                "quota-only resource in a container",
                containers(json!([c(
                    json!({"resources": {"requests": {"pods": "1"}}})
                )])),
                vec![
                    "spec.containers[0].resources.requests[pods]: Invalid value: \"pods\": must be a standard resource for containers",
                ],
            ),
            (
                "extended resource request without limit",
                containers(json!([c(
                    json!({"resources": {"requests": {"nvidia.com/gpu": "1"}}})
                )])),
                vec![
                    "spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources",
                ],
            ),
            (
                "extended resource request below limit",
                containers(json!([c(
                    json!({"resources": {"requests": {"nvidia.com/gpu": "1"}, "limits": {"nvidia.com/gpu": "2"}}})
                )])),
                vec![
                    "spec.containers[0].resources.requests: Invalid value: \"1\": must be equal to nvidia.com/gpu limit of 2",
                ],
            ),
            (
                "fractional extended resource",
                containers(json!([c(
                    json!({"resources": {"limits": {"nvidia.com/gpu": "500m"}}})
                )])),
                vec![
                    "spec.containers[0].resources.limits[nvidia.com/gpu]: Invalid value: \"500m\": must be an integer",
                    "spec.containers[0].resources.requests[nvidia.com/gpu]: Invalid value: \"500m\": must be an integer",
                ],
            ),
            (
                "hugepages need cpu or memory and whole pages",
                containers(json!([c(
                    json!({"resources": {"limits": {"hugepages-2Mi": "3Mi"}}})
                )])),
                vec![
                    "spec.containers[0].resources.limits[hugepages-2Mi]: Invalid value: \"3Mi\": 3Mi is not positive integer multiple of hugepages-2Mi",
                    "spec.containers[0].resources.requests[hugepages-2Mi]: Invalid value: \"3Mi\": 3Mi is not positive integer multiple of hugepages-2Mi",
                    "spec.containers[0].resources: Forbidden: HugePages require cpu or memory",
                ],
            ),
            (
                "probe on a regular init container",
                pod(
                    json!({"containers": [c(json!({}))], "initContainers": [c(json!({"name": "init", "livenessProbe": {"exec": {"command": ["true"]}}}))]}),
                ),
                vec![
                    "spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always",
                ],
            ),
            (
                "sidecar restartPolicy must be Always",
                pod(
                    json!({"containers": [c(json!({}))], "initContainers": [c(json!({"name": "init", "restartPolicy": "OnFailure"}))]}),
                ),
                vec![
                    "spec.initContainers[0].restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"",
                ],
            ),
            (
                "sidecar probes are validated",
                pod(
                    json!({"containers": [c(json!({}))], "initContainers": [c(json!({"name": "side", "restartPolicy": "Always", "startupProbe": {"exec": {"command": ["true"]}, "successThreshold": 2}}))]}),
                ),
                vec![
                    "spec.initContainers[0].startupProbe.successThreshold: Invalid value: 2: must be 1",
                ],
            ),
            (
                "restartPolicy on a regular container",
                containers(json!([c(json!({"restartPolicy": "Always"}))])),
                vec![
                    "spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers",
                ],
            ),
            (
                "liveness successThreshold must be 1",
                containers(json!([c(
                    json!({"livenessProbe": {"exec": {"command": ["true"]}, "successThreshold": 2}})
                )])),
                vec![
                    "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
                ],
            ),
            (
                "probe without handler",
                containers(json!([c(json!({"readinessProbe": {"periodSeconds": 5}}))])),
                vec![
                    "spec.containers[0].readinessProbe: Required value: must specify a handler type",
                ],
            ),
            (
                "probe with two handlers and negative counters",
                containers(json!([c(
                    json!({"readinessProbe": {"exec": {"command": ["true"]}, "tcpSocket": {"port": 80}, "initialDelaySeconds": -1, "failureThreshold": -2}})
                )])),
                vec![
                    "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
                    "spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0",
                    "spec.containers[0].readinessProbe.failureThreshold: Invalid value: -2: must be greater than or equal to 0",
                ],
            ),
            (
                "probe ports",
                containers(json!([c(
                    json!({"livenessProbe": {"httpGet": {"path": "/"}}, "readinessProbe": {"tcpSocket": {"port": "Http"}, "terminationGracePeriodSeconds": 5}})
                )])),
                vec![
                    "spec.containers[0].livenessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive",
                    "spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: \"Http\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                    "spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes",
                ],
            ),
            (
                "preStop sleep beyond grace period",
                containers(json!([c(
                    json!({"lifecycle": {"preStop": {"sleep": {"seconds": 40}}}})
                )])),
                vec![
                    "spec.containers[0].lifecycle.preStop.sleep: Invalid value: 40: must be non-negative and less than terminationGracePeriodSeconds (30)",
                ],
            ),
            (
                "container ports",
                containers(json!([c(json!({"ports": [
                    {"name": "http", "containerPort": 80},
                    {"name": "http", "containerPort": 70000},
                    {"containerPort": 81, "protocol": "HTTP"},
                    {"name": "x", "hostPort": 8080, "containerPort": 82},
                    {"hostPort": 8080, "containerPort": 83}
                ]}))])),
                vec![
                    "spec.containers[0].ports[1].name: Duplicate value: \"http\"",
                    "spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
                    "spec.containers[0].ports[2].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
                    "spec.containers[0].ports[4].hostPort: Duplicate value: \"TCP//8080\"",
                ],
            ),
            (
                "host network needs hostPort == containerPort",
                pod(
                    json!({"hostNetwork": true, "containers": [c(json!({"ports": [{"containerPort": 80, "hostPort": 8080}]}))]}),
                ),
                vec![
                    "spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true",
                ],
            ),
            (
                "activeDeadlineSeconds must be positive",
                pod(json!({"containers": [c(json!({}))], "activeDeadlineSeconds": 0})),
                vec![
                    "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive",
                ],
            ),
            (
                "tolerations",
                pod(json!({"containers": [c(json!({}))], "tolerations": [
                    {"key": "foo", "operator": "Exists", "value": "bar"},
                    {"key": "foo", "effect": "NoSchedule", "tolerationSeconds": 10},
                    {"value": "x"},
                    {"key": "foo", "operator": "In", "effect": "Never"}
                ]})),
                vec![
                    "spec.tolerations[0].operator: Invalid value: \"bar\": value must be empty when `operator` is 'Exists'",
                    "spec.tolerations[1].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
                    "spec.tolerations[2].operator: Invalid value: \"\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
                    "spec.tolerations[3].operator: Unsupported value: \"In\": supported values: \"Equal\", \"Exists\"",
                    "spec.tolerations[3].effect: Unsupported value: \"Never\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
                ],
            ),
            (
                "labels and node selector",
                json!({"metadata": {"name": "p", "labels": {"app": "-bad"}}, "spec": {"containers": [c(json!({}))], "nodeSelector": {"a/b/c": "x"}}}),
                vec![
                    lf!("metadata.labels: Invalid value: \"-bad\": {LABEL_VALUE_MSG}"),
                    "spec.nodeSelector: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                ],
            ),
            (
                "node affinity",
                pod(
                    json!({"containers": [c(json!({}))], "affinity": {"nodeAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{
                            "matchExpressions": [{"key": "zone", "operator": "In"}, {"key": "n", "operator": "Gt", "values": ["1", "2"]}, {"key": "k", "operator": "Equals", "values": ["v"]}],
                            "matchFields": [{"key": "metadata.uid", "operator": "In", "values": ["x"]}]
                        }]},
                        "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 0, "preference": {}}]
                    }}}),
                ),
                vec![
                    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
                    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
                    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[2].operator: Invalid value: \"Equals\": not a valid selector operator",
                    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key: Invalid value: \"metadata.uid\": not a valid field selector key",
                    "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100",
                ],
            ),
            (
                "pod affinity",
                pod(
                    json!({"containers": [c(json!({}))], "affinity": {"podAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": [{"labelSelector": {"matchExpressions": [{"key": "app", "operator": "Exists", "values": ["x"]}]}, "topologyKey": ""}],
                        "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 101, "podAffinityTerm": {"topologyKey": "zone", "namespaces": ["Bad"], "matchLabelKeys": ["app"]}}]
                    }}}),
                ),
                vec![
                    "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty",
                    "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"\": name part must be non-empty",
                    "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                    "spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 101: must be in the range 1-100",
                    lf!(
                        "spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.namespace: Invalid value: \"Bad\": {LABEL_MSG}"
                    ),
                    "spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.matchLabelKeys: Forbidden: must not be specified when labelSelector is not set",
                ],
            ),
            (
                "matchLabelKeys key also in the selector",
                json!({"metadata": {"name": "p", "labels": {"app": "web"}}, "spec": {"containers": [c(json!({}))], "affinity": {"podAntiAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": [{"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "zone", "matchLabelKeys": ["app"], "mismatchLabelKeys": ["app"]}]
                }}}}),
                // Both merged expressions (In from matchLabelKeys, NotIn from mismatchLabelKeys)
                // collide with matchLabels, so upstream reports the key twice.
                vec![
                    "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0][0]: Invalid value: \"app\": exists in both matchLabelKeys and labelSelector",
                    "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0][0]: Invalid value: \"app\": exists in both matchLabelKeys and labelSelector",
                    "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].matchLabelKeys[0]: Invalid value: \"app\": exists in both matchLabelKeys and mismatchLabelKeys",
                ],
            ),
            (
                "topology spread constraints",
                pod(
                    json!({"containers": [c(json!({}))], "topologySpreadConstraints": [
                        {"maxSkew": 0, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"},
                        {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule", "minDomains": 0},
                        {"maxSkew": 1, "topologyKey": "", "minDomains": 3, "nodeTaintsPolicy": "Maybe", "matchLabelKeys": ["app"], "labelSelector": {"matchLabels": {"app": "x"}}}
                    ]}),
                ),
                vec![
                    "spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero",
                    "spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: \"{zone, DoNotSchedule}\"",
                    "spec.topologySpreadConstraints[1].minDomains: Invalid value: 0: must be greater than zero",
                    "spec.topologySpreadConstraints[2].topologyKey: Required value: can not be empty",
                    "spec.topologySpreadConstraints[2].whenUnsatisfiable: Unsupported value: \"\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"",
                    "spec.topologySpreadConstraints[2].minDomains: Invalid value: 3: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ",
                    "spec.topologySpreadConstraints[2].nodeTaintsPolicy: Unsupported value: \"Maybe\": supported values: \"Honor\", \"Ignore\"",
                    "spec.topologySpreadConstraints[2].matchLabelKeys[0]: Invalid value: \"app\": exists in both matchLabelKeys and labelSelector",
                ],
            ),
            (
                "scheduling and readiness gates",
                pod(json!({"containers": [c(json!({}))], "nodeName": "node-1",
                    "schedulingGates": [{"name": "example.com/a"}, {"name": "example.com/a"}],
                    "readinessGates": [{"conditionType": "a b"}]})),
                vec![
                    "spec.readinessGates[0].conditionType: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                    "spec.schedulingGates[1]: Duplicate value: \"example.com/a\"",
                    "spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared",
                ],
            ),
            (
                "names that must be subdomains",
                pod(
                    json!({"containers": [c(json!({}))], "serviceAccountName": "Web", "priorityClassName": "High", "preemptionPolicy": "Sometimes"}),
                ),
                vec![
                    lf!("spec.serviceAccountName: Invalid value: \"Web\": {SUBDOMAIN_MSG}"),
                    lf!("spec.priorityClassName: Invalid value: \"High\": {SUBDOMAIN_MSG}"),
                    "spec.preemptionPolicy: Unsupported value: \"Sometimes\": supported values: \"PreemptLowerPriority\", \"Never\"",
                ],
            ),
            (
                "volumes",
                pod(
                    json!({"containers": [c(json!({}))], "volumes": [{"name": "data"}, {"name": "data"}, {"name": ""}, {"name": "Data"}]}),
                ),
                vec![
                    "spec.volumes[1].name: Duplicate value: \"data\"",
                    "spec.volumes[2].name: Required value",
                    lf!("spec.volumes[3].name: Invalid value: \"Data\": {LABEL_MSG}"),
                ],
            ),
            (
                "overhead paths",
                pod(json!({"containers": [c(json!({}))], "overhead": {"cpu": "-1"}})),
                vec![
                    "spec.overhead.limits[cpu]: Invalid value: \"-1\": must be greater than or equal to 0",
                ],
            ),
            (
                "image whitespace, deletion cost, finalizers",
                json!({"metadata": {"name": "p", "annotations": {"controller.kubernetes.io/pod-deletion-cost": "+10"}, "finalizers": ["custom"]},
                       "spec": {"containers": [c(json!({"image": " nginx"}))]}}),
                vec![
                    "metadata.finalizers[0]: Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully qualified",
                    "metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: \"+10\": must be a 32bit integer",
                    "spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing whitespace",
                ],
            ),
            (
                "owner references",
                json!({"metadata": {"name": "p", "ownerReferences": [
                    {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "a", "uid": "1", "controller": true},
                    {"apiVersion": "", "kind": "ReplicaSet", "name": "b", "uid": "2", "controller": true}
                ]}, "spec": {"containers": [c(json!({}))]}}),
                vec![
                    "metadata.ownerReferences.apiVersion: Invalid value: \"\": version must not be empty",
                    "metadata.ownerReferences: Invalid value: Only one reference can have Controller set to true. Found \"true\" in references for ReplicaSet/a and ReplicaSet/b",
                ],
            ),
        ];
        run_table("v1", "Pod", cases);
    }

    fn deployment(spec: Value) -> Value {
        json!({"metadata": {"name": "web", "namespace": "default"}, "spec": spec})
    }

    fn template(labels: Value) -> Value {
        json!({"metadata": {"labels": labels}, "spec": {"containers": [{"name": "c", "image": "i"}]}})
    }

    /// Ported from TestValidateDeployment, TestValidateReplicaSet, TestValidateDaemonSet and
    /// TestValidateStatefulSet in pkg/apis/apps/validation/validation_test.go.
    #[test]
    fn apps_errors() {
        let ok = json!({"selector": {"matchLabels": {"app": "web"}}, "template": template(json!({"app": "web"}))});
        let with = |extra: Value| {
            let mut spec = ok.clone();
            if let (Some(s), Some(e)) = (spec.as_object_mut(), extra.as_object()) {
                s.extend(e.clone());
            }
            deployment(spec)
        };
        run_table(
            "apps/v1",
            "Deployment",
            vec![
                ("valid", with(json!({})), vec![]),
                (
                    "selector does not match template",
                    with(json!({"template": template(json!({"app": "api"}))})),
                    vec![
                        "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}: `selector` does not match template `labels`",
                    ],
                ),
                (
                    "missing selector",
                    with(json!({"selector": null})),
                    vec![
                        "spec.selector: Required value",
                        "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`",
                    ],
                ),
                (
                    "empty selector",
                    with(json!({"selector": {}})),
                    vec![
                        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
                    ],
                ),
                (
                    "negative replicas",
                    with(json!({"replicas": -1})),
                    vec!["spec.replicas: Invalid value: -1: must be greater than or equal to 0"],
                ),
                (
                    "restartPolicy must be Always",
                    with(
                        json!({"template": {"metadata": {"labels": {"app": "web"}}, "spec": {"restartPolicy": "Never", "activeDeadlineSeconds": 5, "containers": [{"name": "c", "image": "i"}]}}}),
                    ),
                    vec![
                        "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"",
                        "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported",
                    ],
                ),
                (
                    "template pod spec is validated",
                    with(
                        json!({"template": {"metadata": {"labels": {"app": "web", "bad": "-x"}}, "spec": {"containers": [{"name": "c"}]}}}),
                    ),
                    vec![
                        lf!("spec.template.labels: Invalid value: \"-x\": {LABEL_VALUE_MSG}"),
                        "spec.template.spec.containers[0].image: Required value",
                    ],
                ),
                (
                    "rolling update with nothing to move",
                    with(
                        json!({"strategy": {"rollingUpdate": {"maxUnavailable": 0, "maxSurge": "0%"}}}),
                    ),
                    vec![
                        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0",
                    ],
                ),
                (
                    "bad percentages",
                    with(
                        json!({"strategy": {"rollingUpdate": {"maxUnavailable": "110%", "maxSurge": "5"}}}),
                    ),
                    vec![
                        lf!(
                            "spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{{Type:1, IntVal:0, StrVal:\"5\"}}: {PERCENT_MSG}"
                        ),
                        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"110%\"}: must not be greater than 100%",
                    ],
                ),
                (
                    "recreate with rolling update",
                    with(json!({"strategy": {"type": "Recreate", "rollingUpdate": {}}})),
                    vec![
                        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
                    ],
                ),
                (
                    "unknown strategy",
                    with(json!({"strategy": {"type": "BlueGreen"}})),
                    vec![
                        "spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:\"BlueGreen\", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: \"Recreate\", \"RollingUpdate\"",
                    ],
                ),
                (
                    "progress deadline",
                    with(json!({"minReadySeconds": 10, "progressDeadlineSeconds": 10})),
                    vec![
                        "spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds",
                    ],
                ),
            ],
        );

        run_table(
            "apps/v1",
            "ReplicaSet",
            vec![
                ("valid", deployment(ok.clone()), vec![]),
                (
                    "selector expressions",
                    deployment(
                        json!({"selector": {"matchExpressions": [{"key": "app", "operator": "In", "values": []}]}, "template": template(json!({"app": "web"}))}),
                    ),
                    vec![
                        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
                        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:\"app\", Operator:\"In\", Values:[]string(nil)}}}: invalid label selector",
                    ],
                ),
            ],
        );

        let sts = |name: &str, extra: Value| {
            let mut spec = json!({"selector": {"matchLabels": {"app": "db"}}, "serviceName": "db", "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [{"name": "c"}]}}});
            if let (Some(s), Some(e)) = (spec.as_object_mut(), extra.as_object()) {
                s.extend(e.clone());
            }
            json!({"metadata": {"name": name}, "spec": spec})
        };
        run_table(
            "apps/v1",
            "StatefulSet",
            vec![
                (
                    "template pod spec is not validated upstream",
                    sts("db", json!({})),
                    vec![],
                ),
                (
                    "name must be a DNS label",
                    sts("db.v1", json!({})),
                    vec!["metadata.name: Invalid value: \"db.v1\": must not contain dots"],
                ),
                (
                    "OnDelete with a rolling update",
                    sts(
                        "db",
                        json!({"updateStrategy": {"type": "OnDelete", "rollingUpdate": {"partition": 2}}}),
                    ),
                    vec![
                        "spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:2, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'",
                    ],
                ),
                (
                    "unknown update strategy",
                    sts("db", json!({"updateStrategy": {"type": "Canary"}})),
                    vec![
                        "spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:\"Canary\", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'",
                    ],
                ),
                (
                    "policies",
                    sts(
                        "db",
                        json!({"podManagementPolicy": "Random", "serviceName": "DB", "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": -1, "maxUnavailable": 0}}}),
                    ),
                    vec![
                        "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'",
                        "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0",
                        "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: cannot be 0",
                        lf!("spec.serviceName: Invalid value: \"DB\": {LABEL_MSG}"),
                    ],
                ),
            ],
        );

        let ds = |extra: Value| {
            let mut spec = ok.clone();
            if let (Some(s), Some(e)) = (spec.as_object_mut(), extra.as_object()) {
                s.extend(e.clone());
            }
            json!({"metadata": {"name": "agent"}, "spec": spec})
        };
        run_table(
            "apps/v1",
            "DaemonSet",
            vec![
                ("valid", ds(json!({})), vec![]),
                (
                    "surge and unavailable both set",
                    ds(
                        json!({"updateStrategy": {"rollingUpdate": {"maxUnavailable": 1, "maxSurge": 1}}}),
                    ),
                    vec![
                        "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:\"\"}: may not be set when maxUnavailable is non-zero",
                    ],
                ),
                (
                    "neither set",
                    ds(json!({"updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}}})),
                    vec![
                        "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0",
                    ],
                ),
                (
                    "missing selector matches nothing",
                    ds(json!({"selector": null})),
                    vec![
                        "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`",
                    ],
                ),
            ],
        );
    }

    fn job(spec: Value) -> Value {
        json!({"metadata": {"name": "pi"}, "spec": spec})
    }

    fn job_template(restart: &str) -> Value {
        json!({"spec": {"restartPolicy": restart, "containers": [{"name": "pi", "image": "perl"}]}})
    }

    /// Ported from TestValidateJob and TestValidateCronJob in
    /// pkg/apis/batch/validation/validation_test.go.
    #[test]
    fn batch_errors() {
        run_table(
            "batch/v1",
            "Job",
            vec![
                (
                    "valid with generated selector",
                    job(json!({"template": job_template("Never")})),
                    vec![],
                ),
                (
                    "valid manual selector",
                    job(
                        json!({"manualSelector": true, "selector": {"matchLabels": {"a": "b"}},
                               "template": {"metadata": {"labels": {"a": "b"}}, "spec": job_template("OnFailure")["spec"]}}),
                    ),
                    vec![],
                ),
                (
                    "restartPolicy left to default",
                    job(
                        json!({"template": {"spec": {"containers": [{"name": "pi", "image": "perl"}]}}}),
                    ),
                    vec![
                        "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"",
                    ],
                ),
                (
                    "manual selector mismatch",
                    job(
                        json!({"manualSelector": true, "selector": {"matchLabels": {"a": "b"}}, "template": job_template("Never")}),
                    ),
                    vec![
                        "spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`",
                    ],
                ),
                (
                    "selector without manualSelector",
                    job(
                        json!({"selector": {"matchLabels": {"app": "pi"}}, "template": {"metadata": {"labels": {"app": "pi"}}, "spec": job_template("Never")["spec"]}}),
                    ),
                    vec![
                        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"pi\", \"batch.kubernetes.io/controller-uid\":\"00000000-0000-0000-0000-000000000000\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` not auto-generated",
                    ],
                ),
                (
                    "counts and indexes",
                    job(
                        json!({"parallelism": -1, "backoffLimit": -1, "backoffLimitPerIndex": 1, "maxFailedIndexes": 2, "template": job_template("Never")}),
                    ),
                    vec![
                        "spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
                        "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0",
                        "spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode",
                        "spec.maxFailedIndexes: Invalid value: 2: requires indexed completion mode",
                    ],
                ),
                (
                    "indexed job needs completions and a short name",
                    json!({"metadata": {"name": "a".repeat(62)}, "spec": {"completionMode": "Indexed", "completions": 11, "template": job_template("Never")}}),
                    vec![lf!(
                        "metadata.name: Invalid value: \"{}\": will not able to create pod with invalid DNS label: {}-10",
                        "a".repeat(62),
                        "a".repeat(62)
                    )],
                ),
                (
                    "pod failure policy",
                    job(
                        json!({"template": job_template("OnFailure"), "podReplacementPolicy": "TerminatingOrFailed", "podFailurePolicy": {"rules": [
                            {"action": "FailIndex", "onExitCodes": {"containerName": "other", "operator": "In", "values": [0, 3, 2, 2]}},
                            {"onPodConditions": [{"type": "DisruptionTarget", "status": "Maybe"}]},
                            {"action": "Ignore"}
                        ]}}),
                    ),
                    vec![
                        "spec.podFailurePolicy.rules[0].action: Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set",
                        "spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: \"other\": must be one of the container or initContainer names in the pod template",
                        "spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator",
                        "spec.podFailurePolicy.rules[0].onExitCodes.values[3]: Duplicate value: 2",
                        "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{0, 3, 2, 2}: must be ordered",
                        "spec.podFailurePolicy.rules[1].action: Required value: valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]",
                        "spec.podFailurePolicy.rules[1].onPodConditions[0].status: Unsupported value: \"Maybe\": supported values: \"False\", \"True\", \"Unknown\"",
                        "spec.podFailurePolicy.rules[2]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required",
                        "spec.podReplacementPolicy: Unsupported value: \"TerminatingOrFailed\": supported values: \"Failed\"",
                        "spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified",
                    ],
                ),
            ],
        );

        let cron = |name: &str, spec: Value| json!({"metadata": {"name": name}, "spec": spec});
        run_table(
            "batch/v1",
            "CronJob",
            vec![
                (
                    "valid",
                    cron(
                        "nightly",
                        json!({"schedule": "0 3 * * *", "timeZone": "Europe/Berlin", "jobTemplate": {"spec": {"template": job_template("OnFailure")}}}),
                    ),
                    vec![],
                ),
                (
                    "a well-formed zone missing from the tz database",
                    cron(
                        "nightly",
                        json!({"schedule": "0 3 * * *", "timeZone": "Mars/Olympus_Mons", "jobTemplate": {"spec": {"template": job_template("OnFailure")}}}),
                    ),
                    vec![
                        "spec.timeZone: Invalid value: \"Mars/Olympus_Mons\": unknown time zone Mars/Olympus_Mons",
                    ],
                ),
                (
                    // TestValidateCronJob "spec.schedule: cron misformat".
                    "cron misformat",
                    cron(
                        "nightly",
                        json!({"schedule": "61 * * * *", "jobTemplate": {"spec": {"template": job_template("OnFailure")}}}),
                    ),
                    vec![
                        "spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61",
                    ],
                ),
                (
                    "schedule required, template checked like a job",
                    cron(
                        "nightly",
                        json!({"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "i"}]}}}}}),
                    ),
                    vec![
                        "spec.schedule: Required value",
                        "spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"",
                    ],
                ),
                (
                    "selector, TZ, time zone, policy, limits, name length",
                    cron(
                        &"c".repeat(53),
                        json!({
                            "schedule": "CRON_TZ=UTC 0 * * * *", "timeZone": "Local", "concurrencyPolicy": "Sometimes",
                            "startingDeadlineSeconds": -5, "failedJobsHistoryLimit": -1,
                            "jobTemplate": {"spec": {"manualSelector": true, "selector": {"matchLabels": {"a": "b"}}, "template": job_template("Never")}}
                        }),
                    ),
                    vec![
                        "spec.schedule: Invalid value: \"CRON_TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
                        "spec.startingDeadlineSeconds: Invalid value: -5: must be greater than or equal to 0",
                        "spec.timeZone: Invalid value: \"Local\": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
                        "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\"",
                        "spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"a\":\"b\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated",
                        "spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: \"nil\", \"false\"",
                        "spec.failedJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0",
                        lf!(
                            "metadata.name: Invalid value: \"{}\": must be no more than 52 characters",
                            "c".repeat(53)
                        ),
                    ],
                ),
            ],
        );
    }

    /// Ported from TestValidatePodDisruptionBudgetSpec in
    /// pkg/apis/policy/validation/validation_test.go and TestValidatePriorityClass in
    /// pkg/apis/scheduling/validation/validation_test.go.
    #[test]
    fn policy_and_scheduling_errors() {
        run_table(
            "policy/v1",
            "PodDisruptionBudget",
            vec![
                (
                    "valid",
                    json!({"metadata": {"name": "web"}, "spec": {"minAvailable": "50%", "selector": {"matchLabels": {"app": "web"}}}}),
                    vec![],
                ),
                (
                    "both set",
                    json!({"metadata": {"name": "web"}, "spec": {"minAvailable": 1, "maxUnavailable": 1}}),
                    vec!["spec: Invalid value: minAvailable and maxUnavailable cannot be both set"],
                ),
                (
                    "bad values",
                    json!({"metadata": {"name": "web"}, "spec": {"minAvailable": -1, "maxUnavailable": "150%", "unhealthyPodEvictionPolicy": "Never"}}),
                    vec![
                        "spec: Invalid value: minAvailable and maxUnavailable cannot be both set",
                        "spec.minAvailable: Invalid value: -1: must be greater than or equal to 0",
                        "spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%",
                        "spec.unhealthyPodEvictionPolicy: Unsupported value: \"Never\": supported values: \"AlwaysAllow\", \"IfHealthyBudget\"",
                    ],
                ),
                (
                    "names only need to be path segments",
                    json!({"metadata": {"name": "Web_PDB"}, "spec": {"maxUnavailable": 1}}),
                    vec![],
                ),
                (
                    "but not contain a slash",
                    json!({"metadata": {"name": "a/b"}, "spec": {}}),
                    vec!["metadata.name: Invalid value: \"a/b\": may not contain '/'"],
                ),
            ],
        );
        run_table(
            "scheduling.k8s.io/v1",
            "PriorityClass",
            vec![
                (
                    "valid",
                    json!({"metadata": {"name": "high"}, "value": 1000000000}),
                    vec![],
                ),
                (
                    "value too high",
                    json!({"metadata": {"name": "high"}, "value": 1000000001}),
                    vec![
                        "value: Forbidden: maximum allowed value of a user defined priority is 1000000000",
                    ],
                ),
                (
                    "reserved prefix",
                    json!({"metadata": {"name": "system-foo"}, "value": 1}),
                    vec![
                        "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-foo is not a known system priority class",
                    ],
                ),
                (
                    "system class with its own value",
                    json!({"metadata": {"name": "system-node-critical"}, "value": 2000001000}),
                    vec![],
                ),
                (
                    "bad preemption policy",
                    json!({"metadata": {"name": "low"}, "value": 1, "preemptionPolicy": "Always"}),
                    vec![
                        "preemptionPolicy: Unsupported value: \"Always\": supported values: \"PreemptLowerPriority\", \"Never\"",
                    ],
                ),
            ],
        );
    }

    /// Ported from TestValidateNode and TestValidateNamespace in
    /// pkg/apis/core/validation/validation_test.go (taint cases follow validateNodeTaints).
    #[test]
    fn node_and_namespace_errors() {
        run_table(
            "v1",
            "Node",
            vec![
                (
                    "valid",
                    json!({"metadata": {"name": "node-1.example.com"}, "status": {"capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"}}}),
                    vec![],
                ),
                (
                    "taints and resources",
                    json!({"metadata": {"name": "node-1"},
                           "spec": {"taints": [{"key": "a", "effect": "NoSchedule"}, {"key": "a", "effect": "NoSchedule"}, {"key": "b"}, {"key": "c", "value": "-x", "effect": "NoRun"}]},
                           "status": {"capacity": {"cpu": "-1", "pods": "1500m"}}}),
                    vec![
                        "metadata.taints[1]: Duplicate value: core.Taint{Key:\"a\", Value:\"\", Effect:\"NoSchedule\", TimeAdded:<nil>}: taints must be unique by key and effect pair",
                        "metadata.taints[2].effect: Required value",
                        lf!("metadata.taints[3].value: Invalid value: \"-x\": {LABEL_VALUE_MSG}"),
                        "metadata.taints[3].effect: Unsupported value: \"NoRun\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
                        "status.capacity.cpu: Invalid value: \"-1\": must be greater than or equal to 0",
                        "status.capacity.pods: Invalid value: \"1500m\": must be an integer",
                        "status.allocatable.cpu: Invalid value: \"-1\": must be greater than or equal to 0",
                        "status.allocatable.pods: Invalid value: \"1500m\": must be an integer",
                    ],
                ),
                (
                    "bad name",
                    json!({"metadata": {"name": "Node_1"}}),
                    vec![lf!(
                        "metadata.name: Invalid value: \"Node_1\": {SUBDOMAIN_MSG}"
                    )],
                ),
            ],
        );
        run_table(
            "v1",
            "Namespace",
            vec![
                ("valid", json!({"metadata": {"name": "team-a"}}), vec![]),
                (
                    "dots are not allowed",
                    json!({"metadata": {"name": "team.a"}}),
                    vec!["metadata.name: Invalid value: \"team.a\": must not contain dots"],
                ),
                (
                    "generateName prefix may end in a dash",
                    json!({"metadata": {"generateName": "team-"}}),
                    vec![],
                ),
            ],
        );
    }

    fn stored_pod(spec: Value) -> Pod {
        let (mut object, _) = decode("v1", "Pod", pod(spec)).unwrap().unwrap();
        default_object(&mut object);
        match object {
            Object::Pod(p) => p,
            _ => unreachable!("decoded a Pod"),
        }
    }

    /// Ported from TestValidatePodUpdate in pkg/apis/core/validation/validation_test.go.
    #[test]
    fn pod_update() {
        let base = json!({"containers": [{"name": "c", "image": "nginx:1.26"}], "activeDeadlineSeconds": 100,
                          "tolerations": [{"key": "a", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 10}],
                          "schedulingGates": [{"name": "example.com/gate"}], "nodeSelector": {"zone": "a"}});
        let old = stored_pod(base.clone());
        let with = |patch: Value| {
            let mut spec = base.clone();
            if let (Some(s), Some(p)) = (spec.as_object_mut(), patch.as_object()) {
                s.extend(p.clone());
            }
            stored_pod(spec)
        };
        let forbidden = format!(
            "Pod \"p\" is invalid: spec: Forbidden: pod updates may not change fields other than {UPDATABLE_POD_SPEC_FIELDS}"
        );
        let cases: Vec<(&str, Pod, Result<bool, String>)> = vec![
            ("no change", with(json!({})), Ok(false)),
            ("image change", with(json!({"containers": [{"name": "c", "image": "nginx:1.27"}]})), Ok(true)),
            ("lower deadline", with(json!({"activeDeadlineSeconds": 50})), Ok(true)),
            (
                "raise deadline",
                with(json!({"activeDeadlineSeconds": 200})),
                Err("Pod \"p\" is invalid: spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value".into()),
            ),
            (
                "remove deadline",
                with(json!({"activeDeadlineSeconds": null})),
                Err("Pod \"p\" is invalid: spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value".into()),
            ),
            (
                "change tolerationSeconds only",
                with(json!({"tolerations": [{"key": "a", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 20}]})),
                Ok(true),
            ),
            (
                "modify a toleration",
                with(json!({"tolerations": [{"key": "b", "operator": "Exists", "effect": "NoExecute"}]})),
                Err("Pod \"p\" is invalid: spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds".into()),
            ),
            ("remove the gate", with(json!({"schedulingGates": []})), Ok(true)),
            (
                "add a gate",
                with(json!({"schedulingGates": [{"name": "example.com/gate"}, {"name": "example.com/other"}]})),
                Err("Pod \"p\" is invalid: spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/other'".into()),
            ),
            ("gated pod gains a nodeSelector entry", with(json!({"nodeSelector": {"zone": "a", "disk": "ssd"}})), Ok(true)),
            (
                "gated pod changes a nodeSelector entry",
                with(json!({"nodeSelector": {"zone": "b"}})),
                Err("Pod \"p\" is invalid: spec.nodeSelector: Invalid value: map[string]string{\"zone\":\"b\"}: only additions to spec.nodeSelector are allowed (no mutations or deletions)".into()),
            ),
            (
                "add a container",
                with(json!({"containers": [{"name": "c", "image": "nginx:1.26"}, {"name": "d", "image": "x"}]})),
                Err("Pod \"p\" is invalid: spec.containers: Forbidden: pod updates may not add or remove containers".into()),
            ),
            (
                "change resources",
                with(json!({"containers": [{"name": "c", "image": "nginx:1.26", "resources": {"limits": {"cpu": "1"}}}]})),
                Err(format!("{forbidden}\n(fields that differ: spec.containers)")),
            ),
        ];
        for (name, new, want) in cases {
            assert_eq!(validate_pod_update(&old, &new), want, "case {name:?}");
        }
    }

    #[test]
    fn invalid_message_aggregates_like_upstream() {
        let (mut object, _) = decode("apps/v1", "Deployment", deployment(json!({"replicas": -1})))
            .unwrap()
            .unwrap();
        default_object(&mut object);
        let errs = validate_object(&object);
        assert_eq!(
            invalid_message(&object, &errs),
            "Deployment.apps \"web\" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`, spec.template.spec.containers: Required value]"
        );
        let (mut object, _) = decode("v1", "Pod", pod(json!({}))).unwrap().unwrap();
        default_object(&mut object);
        let errs = validate_object(&object);
        assert_eq!(
            invalid_message(&object, &errs),
            "Pod \"p\" is invalid: spec.containers: Required value"
        );
    }
}
