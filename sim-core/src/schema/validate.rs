//! The strict-decoding walk: what sigs.k8s.io/json (the API server's fork of
//! `encoding/json`, used with `DisallowUnknownFields`, case-sensitive matching and
//! `PreserveInts`) would complain about for a given object.

use std::collections::BTreeSet;

use super::{FieldType, Model, Schema};
use crate::yaml::{Node, Resolved, Scalar, Span, Value, go_base64_decode, go_json_float, go_quote};

/// One strict-decoding problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SchemaError {
    /// Kubernetes field path, e.g. `spec.containers[0].imagee` (sigs.k8s.io/json's strict
    /// path syntax: `[i]` for indices, `.key` for map keys).
    pub path: String,
    /// The offending key (unknown/duplicate fields) or value (wrong types).
    pub span: Span,
    /// What is wrong.
    pub kind: SchemaErrorKind,
    /// The API server's wording, e.g. `unknown field "spec.containers[0].imagee"` or
    /// `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of
    /// type int32`.
    pub message: String,
    /// A suggestion such as `did you mean "image"?`.
    pub hint: Option<String>,
}

/// Error categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaErrorKind {
    /// A key the Go struct doesn't have (strict decoding error).
    UnknownField,
    /// A JSON value that cannot decode into the Go type.
    WrongType,
    /// The same key twice in one object (strict decoding error). YAML parsing already
    /// rejects duplicate keys, so this only fires for trees built by other means.
    DuplicateField,
}

/// k8s.io/apimachinery/pkg/api/resource `ErrFormatWrong`: what `Quantity.UnmarshalJSON`
/// returns for JSON that is neither a string nor a number.
const QUANTITY_FORMAT_ERROR: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/// Go's `errorContext` for `UnmarshalTypeError`: the innermost struct being decoded and the
/// JSON names of the struct fields entered (indices and map keys are not recorded).
#[derive(Clone, Default)]
struct GoCtx {
    struct_name: Option<String>,
    fields: Vec<String>,
}

struct Walker<'s> {
    schema: &'s Schema,
    errors: Vec<SchemaError>,
}

pub(super) fn validate(schema: &Schema, model: &str, root: &Node) -> Vec<SchemaError> {
    let mut w = Walker {
        schema,
        errors: Vec::new(),
    };
    let go = schema
        .model(model)
        .map_or_else(|| model.to_string(), |m| m.go_type.clone());
    w.walk(
        root,
        &FieldType::Model(model.to_string()),
        &go,
        None,
        &GoCtx::default(),
        "",
    );
    // Document order; the walk already visits entries in source order, but merged or
    // aliased nodes can point backwards.
    w.errors.sort_by_key(|e| e.span.start.offset);
    w.errors
}

/// `parent.child` in sigs.k8s.io/json's strict path syntax.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Go type spelling of a field type when the data file gave none.
fn default_go(schema: &Schema, t: &FieldType) -> String {
    match t {
        FieldType::Str => "string".into(),
        FieldType::Int32 => "int32".into(),
        FieldType::Int64 => "int64".into(),
        FieldType::Bool => "bool".into(),
        FieldType::Float => "float64".into(),
        FieldType::DateTime => "v1.Time".into(),
        FieldType::Bytes => "[]uint8".into(),
        FieldType::Quantity => "resource.Quantity".into(),
        FieldType::IntOrString => "intstr.IntOrString".into(),
        FieldType::Object => "runtime.RawExtension".into(),
        FieldType::Model(m) => schema
            .model(m)
            .map_or_else(|| m.clone(), |m| m.go_type.clone()),
        FieldType::List(e) => format!("[]{}", default_go(schema, e)),
        FieldType::Map(e) => format!("map[string]{}", default_go(schema, e)),
    }
}

/// Element type of a Go slice/map type string (`[]v1.Container` -> `v1.Container`,
/// `map[string]string` -> `string`); `None` for named types (`v1.ResourceList`).
fn go_elem(go: &str) -> Option<&str> {
    if let Some(e) = go.strip_prefix("[]") {
        return Some(e.trim_start_matches('*'));
    }
    let rest = go.strip_prefix("map[")?;
    let mut depth = 1usize;
    for (i, c) in rest.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return rest.get(i + 1..).map(|e| e.trim_start_matches('*'));
                }
            }
            _ => {}
        }
    }
    None
}

/// The JSON text Go would see for a numeric scalar (`encoding/json` output of go-yaml's
/// value): integers in decimal, floats via Go's float encoder (`1.0` -> `1`).
fn number_text(s: &Scalar) -> Option<String> {
    match s.resolved {
        Resolved::Int(i) => Some(i.to_string()),
        Resolved::Float(f) => crate::yaml::json_float_number(s, f).map(|n| {
            if n.is_f64() {
                go_json_float(f)
            } else {
                n.to_string()
            }
        }),
        _ => None,
    }
}

impl Walker<'_> {
    fn push(
        &mut self,
        kind: SchemaErrorKind,
        path: &str,
        span: Span,
        message: String,
        hint: Option<String>,
    ) {
        self.errors.push(SchemaError {
            path: path.to_string(),
            span,
            kind,
            message,
            hint,
        });
    }

    /// `json: cannot unmarshal <what> into Go struct field <S>.<a.b.c> of type <T>`
    /// (go/src/encoding/json/decode.go `UnmarshalTypeError.Error`).
    fn type_error(&mut self, node: &Node, what: &str, ctx: &GoCtx, go: &str, path: &str) {
        let message = match &ctx.struct_name {
            Some(s) => format!(
                "json: cannot unmarshal {what} into Go struct field {s}.{} of type {go}",
                ctx.fields.join(".")
            ),
            None => format!("json: cannot unmarshal {what} into Go value of type {go}"),
        };
        self.push(SchemaErrorKind::WrongType, path, node.span, message, None);
    }

    /// `go` is the Go type of this value (for messages); `elem_go` overrides the element
    /// type of named list/map types such as `v1.ResourceList`.
    fn walk(
        &mut self,
        node: &Node,
        ty: &FieldType,
        go: &str,
        elem_go: Option<&str>,
        ctx: &GoCtx,
        path: &str,
    ) {
        // JSON null decodes into any Go type as a no-op.
        if node.is_null() {
            return;
        }
        if let Value::Scalar(s) = &node.value
            && let Resolved::Float(f) = s.resolved
            && !f.is_finite()
            && !matches!(ty, FieldType::Object)
        {
            // go-yaml -> JSON fails before the API server sees anything.
            let message = format!("json: unsupported value: {}", go_json_float(f));
            self.push(SchemaErrorKind::WrongType, path, node.span, message, None);
            return;
        }
        match ty {
            FieldType::Model(name) => self.walk_model(node, name, go, ctx, path),
            FieldType::List(elem) => {
                let Value::Seq(items) = &node.value else {
                    return self.type_error(node, node.json_kind(), ctx, go, path);
                };
                let elem_go = self.elem_go(go, elem_go, elem);
                for (i, item) in items.iter().enumerate() {
                    self.walk(item, elem, &elem_go, None, ctx, &format!("{path}[{i}]"));
                }
            }
            FieldType::Map(elem) => {
                let Value::Map(entries) = &node.value else {
                    return self.type_error(node, node.json_kind(), ctx, go, path);
                };
                let elem_go = self.elem_go(go, elem_go, elem);
                for e in entries {
                    self.walk(&e.value, elem, &elem_go, None, ctx, &join(path, &e.key));
                }
            }
            FieldType::Str => self.expect(node, "string", ctx, go, path),
            FieldType::Bool => self.expect(node, "bool", ctx, go, path),
            FieldType::Float => self.expect(node, "number", ctx, go, path),
            // metav1.Time.UnmarshalJSON decodes into a plain string first, so that is the
            // type Go's error names.
            FieldType::DateTime => self.expect(node, "string", ctx, "string", path),
            FieldType::Int32 => self.int(
                node,
                i64::from(i32::MIN),
                i64::from(i32::MAX),
                ctx,
                go,
                path,
            ),
            FieldType::Int64 => self.int(node, i64::MIN, i64::MAX, ctx, go, path),
            FieldType::IntOrString => {
                // intstr.IntOrString.UnmarshalJSON: a JSON string, else json.Unmarshal into
                // its int32 (whose error gets this field's context).
                if node.json_kind() != "string" {
                    self.int(
                        node,
                        i64::from(i32::MIN),
                        i64::from(i32::MAX),
                        ctx,
                        "int32",
                        path,
                    );
                }
            }
            FieldType::Quantity => {
                if !matches!(node.json_kind(), "string" | "number") {
                    let message = QUANTITY_FORMAT_ERROR.to_string();
                    self.push(SchemaErrorKind::WrongType, path, node.span, message, None);
                }
            }
            FieldType::Bytes => {
                let Some(s) = node.as_str() else {
                    return self.type_error(node, node.json_kind(), ctx, go, path);
                };
                // encoding/json base64-decodes strings into []byte; errors are bare
                // CorruptInputError texts.
                if let Err(at) = go_base64_decode(s.as_bytes()) {
                    let message = format!("illegal base64 data at input byte {at}");
                    self.push(SchemaErrorKind::WrongType, path, node.span, message, None);
                }
            }
            FieldType::Object => {}
        }
    }

    fn elem_go(&self, go: &str, named_elem: Option<&str>, elem: &FieldType) -> String {
        named_elem
            .or_else(|| go_elem(go))
            .map_or_else(|| default_go(self.schema, elem), str::to_string)
    }

    fn expect(&mut self, node: &Node, want: &str, ctx: &GoCtx, go: &str, path: &str) {
        let got = node.json_kind();
        if got != want {
            self.type_error(node, got, ctx, go, path);
        }
    }

    /// Go decodes a JSON number into an int field with `strconv.ParseInt(text, 10, 64)` plus
    /// an overflow check, failing with `number <text>`.
    fn int(&mut self, node: &Node, min: i64, max: i64, ctx: &GoCtx, go: &str, path: &str) {
        let Value::Scalar(s) = &node.value else {
            return self.type_error(node, node.json_kind(), ctx, go, path);
        };
        let Some(text) = number_text(s) else {
            return self.type_error(node, node.json_kind(), ctx, go, path);
        };
        match text.parse::<i64>() {
            Ok(v) if (min..=max).contains(&v) => {}
            _ => self.type_error(node, &format!("number {text}"), ctx, go, path),
        }
    }

    fn walk_model(&mut self, node: &Node, name: &str, go: &str, ctx: &GoCtx, path: &str) {
        let Value::Map(entries) = &node.value else {
            return self.type_error(node, node.json_kind(), ctx, go, path);
        };
        let Some(model) = self.schema.model(name) else {
            return;
        };
        let mut seen = BTreeSet::new();
        for e in entries {
            let field_path = join(path, &e.key);
            if !seen.insert(e.key.as_str()) {
                let message = format!("duplicate field {}", go_quote(&field_path));
                self.push(
                    SchemaErrorKind::DuplicateField,
                    &field_path,
                    e.key_span,
                    message,
                    None,
                );
                continue;
            }
            let Some(field) = model.field(&e.key) else {
                let message = format!("unknown field {}", go_quote(&field_path));
                let hint = suggest(model, &e.key).map(|s| format!("did you mean {}?", go_quote(s)));
                self.push(
                    SchemaErrorKind::UnknownField,
                    &field_path,
                    e.key_span,
                    message,
                    hint,
                );
                continue;
            };
            let child_ctx = GoCtx {
                struct_name: Some(model.go_struct_name().to_string()),
                fields: ctx
                    .fields
                    .iter()
                    .cloned()
                    .chain([field.name.clone()])
                    .collect(),
            };
            let field_go = field
                .go_type
                .clone()
                .unwrap_or_else(|| default_go(self.schema, &field.ty));
            let elem_go = field.elem_go_type.as_deref();
            self.walk(
                &e.value,
                &field.ty,
                &field_go,
                elem_go,
                &child_ctx,
                &field_path,
            );
        }
    }
}

/// The closest field name within edit distance 2 (and closer than the key's own length, so
/// one-letter keys don't match everything). Ties go to the alphabetically first field.
fn suggest<'m>(model: &'m Model, key: &str) -> Option<&'m str> {
    let key_len = key.chars().count();
    model
        .fields
        .iter()
        .map(|f| (levenshtein(key, &f.name), f.name.as_str()))
        .filter(|&(d, _)| d <= 2 && d < key_len)
        .min_by_key(|&(d, _)| d)
        .map(|(_, n)| n)
}

/// Edit distance (insert/delete/substitute, by characters); case differences count, which
/// is right because the API server matches field names case-sensitively.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::super::k8s_1_33;
    use super::*;
    use crate::yaml::parse_documents;

    /// Parses one manifest and validates it against the model its apiVersion/kind name.
    fn check(src: &str) -> Vec<SchemaError> {
        let docs = parse_documents(src).expect("valid YAML");
        assert_eq!(docs.len(), 1);
        check_root(&docs[0].root)
    }

    fn check_root(root: &Node) -> Vec<SchemaError> {
        let s = k8s_1_33();
        let av = root
            .get("apiVersion")
            .and_then(Node::as_str)
            .expect("apiVersion");
        let kind = root.get("kind").and_then(Node::as_str).expect("kind");
        let model = s.kind(av, kind).expect("known kind");
        s.validate(model, root)
    }

    fn messages(src: &str) -> Vec<String> {
        check(src).into_iter().map(|e| e.message).collect()
    }

    const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
  labels: {app: web}
  annotations:
    example.com/owner: team-a
spec:
  replicas: 3
  revisionHistoryLimit: 5
  selector:
    matchLabels: {app: web}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 1
  template:
    metadata:
      labels: {app: web}
    spec:
      terminationGracePeriodSeconds: 30
      nodeSelector: {disktype: ssd}
      tolerations:
      - {key: dedicated, operator: Equal, value: web, effect: NoSchedule, tolerationSeconds: 60}
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              topologyKey: kubernetes.io/hostname
              labelSelector:
                matchExpressions:
                - {key: app, operator: In, values: [web]}
      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}
      securityContext: {runAsUser: 1000, fsGroup: 2000, runAsNonRoot: true}
      volumes:
      - name: config
        configMap: {name: web-config, defaultMode: 0644}
      - name: scratch
        emptyDir: {sizeLimit: 1Gi}
      containers:
      - name: web
        image: nginx:1.27
        imagePullPolicy: IfNotPresent
        args: [--port, \"8080\"]
        ports:
        - {containerPort: 8080, name: http, protocol: TCP}
        env:
        - {name: MODE, value: \"production\"}
        - name: POD_NAME
          valueFrom: {fieldRef: {fieldPath: metadata.name}}
        - name: CPU_LIMIT
          valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 1}}
        resources:
          requests: {cpu: 0.5, memory: 256Mi}
          limits: {cpu: 4, memory: 1Gi, nvidia.com/gpu: 1}
        readinessProbe:
          httpGet: {path: /healthz, port: http}
          initialDelaySeconds: 5
          periodSeconds: 10
        livenessProbe:
          tcpSocket: {port: 8080}
        startupProbe:
          grpc: {port: 9090}
          failureThreshold: 30
        volumeMounts:
        - {name: config, mountPath: /etc/web, readOnly: true}
        securityContext:
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}
";

    #[test]
    fn valid_deployment() {
        assert_eq!(check(DEPLOYMENT), vec![]);
    }

    #[test]
    fn unknown_field_with_hint_at_key_position() {
        let src = "\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    imagee: nginx
";
        let errs = check(src);
        assert_eq!(errs.len(), 1, "{errs:?}");
        let e = &errs[0];
        assert_eq!(e.kind, SchemaErrorKind::UnknownField);
        assert_eq!(e.message, "unknown field \"spec.containers[0].imagee\"");
        assert_eq!(e.path, "spec.containers[0].imagee");
        assert_eq!(e.hint.as_deref(), Some("did you mean \"image\"?"));
        assert_eq!((e.span.start.line, e.span.start.col), (8, 5));
        assert_eq!(&src[e.span.start.offset..e.span.end.offset], "imagee");
    }

    #[test]
    fn wrong_types_use_go_json_wording() {
        let src = DEPLOYMENT.replace("replicas: 3", "replicas: \"three\"");
        let errs = check(&src);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(
            errs[0].message,
            "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"
        );
        assert_eq!(errs[0].kind, SchemaErrorKind::WrongType);
        assert_eq!(errs[0].path, "spec.replicas");
        assert_eq!(errs[0].span.start.line, 10);

        let pod = |body: &str| format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n{body}");
        assert_eq!(
            messages(&pod("spec:\n  containers:\n  - name: 5\n")),
            [
                "json: cannot unmarshal number into Go struct field Container.spec.containers.name of type string"
            ]
        );
        assert_eq!(
            messages(&pod("  labels: {app: 1}\nspec:\n  containers: []\n")),
            [
                "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"
            ]
        );
        assert_eq!(
            messages(&pod("spec:\n  containers: nginx\n")),
            [
                "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container"
            ]
        );
        assert_eq!(
            messages(&pod("spec:\n  containers: [nginx]\n")),
            [
                "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type v1.Container"
            ]
        );
        assert_eq!(
            messages(&pod(
                "spec:\n  containers:\n  - name: c\n    ports: [{containerPort: 80, protocol: 6}]\n"
            )),
            [
                "json: cannot unmarshal number into Go struct field ContainerPort.spec.containers.ports.protocol of type v1.Protocol"
            ]
        );
        assert_eq!(
            messages(&pod(
                "spec:\n  containers:\n  - name: c\n    resources: {requests: 2}\n"
            )),
            [
                "json: cannot unmarshal number into Go struct field ResourceRequirements.spec.containers.resources.requests of type v1.ResourceList"
            ]
        );
        assert_eq!(
            messages(&pod("spec:\n  hostNetwork: \"true\"\n  containers: []\n")),
            [
                "json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool"
            ]
        );
        assert_eq!(
            messages(&pod(
                "spec:\n  activeDeadlineSeconds: [1]\n  containers: []\n"
            )),
            [
                "json: cannot unmarshal array into Go struct field PodSpec.spec.activeDeadlineSeconds of type int64"
            ]
        );
        assert_eq!(
            messages("apiVersion: v1\nkind: Pod\nmetadata: {name: p, creationTimestamp: 5}\n"),
            [
                "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string"
            ]
        );
        let root = &parse_documents("apiVersion: v1\nkind: 7\n").expect("valid")[0].root;
        let errs = k8s_1_33().validate("V1Pod", root);
        assert_eq!(
            errs[0].message,
            "json: cannot unmarshal number into Go struct field Pod.kind of type string"
        );
    }

    #[test]
    fn integers() {
        let with =
            |v: &str| messages(&DEPLOYMENT.replace("replicas: 3", &format!("replicas: {v}")));
        assert!(with("1.0").is_empty(), "Go's encoder writes 1.0 as 1");
        assert!(with("1e3").is_empty());
        assert!(with("0x10").is_empty());
        assert!(with("null").is_empty());
        assert!(with("~").is_empty());
        assert_eq!(
            with("1.5"),
            [
                "json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32"
            ]
        );
        assert_eq!(
            with("3000000000"),
            [
                "json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32"
            ]
        );
        assert_eq!(
            with("1e21"),
            [
                "json: cannot unmarshal number 1e+21 into Go struct field DeploymentSpec.spec.replicas of type int32"
            ]
        );
        assert_eq!(
            with("yes"),
            [
                "json: cannot unmarshal bool into Go struct field DeploymentSpec.spec.replicas of type int32"
            ]
        );
        assert_eq!(with(".inf"), ["json: unsupported value: +Inf"]);
    }

    #[test]
    fn int_or_string_and_quantities() {
        let surge =
            |v: &str| messages(&DEPLOYMENT.replace("maxSurge: 25%", &format!("maxSurge: {v}")));
        assert!(surge("2").is_empty());
        assert!(surge("\"50%\"").is_empty());
        assert_eq!(
            surge("1.5"),
            [
                "json: cannot unmarshal number 1.5 into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32"
            ]
        );
        assert_eq!(
            surge("true"),
            [
                "json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32"
            ]
        );
        let cpu = |v: &str| messages(&DEPLOYMENT.replace("cpu: 4", &format!("cpu: {v}")));
        assert!(cpu("\"4\"").is_empty());
        assert!(cpu("500m").is_empty());
        assert!(cpu("1e3").is_empty());
        assert_eq!(
            cpu("[1]"),
            [
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            ]
        );
        let hpa = "\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 10
  metrics:
  - type: Pods
    pods:
      metric: {name: rps}
      target: {type: AverageValue, averageValue: 100}
";
        assert_eq!(check(hpa), vec![]);
    }

    #[test]
    fn secret_data_must_be_base64() {
        let secret = |data: &str| {
            messages(&format!(
                "apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\ntype: Opaque\ndata:\n  {data}\nstringData:\n  plain: not base64\n"
            ))
        };
        assert!(secret("password: cGFzc3dvcmQ=").is_empty());
        assert_eq!(
            secret("password: hunter2"),
            ["illegal base64 data at input byte 4"]
        );
        assert_eq!(
            secret("password: 12"),
            ["json: cannot unmarshal number into Go struct field Secret.data of type []uint8"]
        );
    }

    #[test]
    fn all_errors_in_document_order() {
        let src = "\
apiVersion: v1
kind: Pod
metadata:
  name: p
  lables: {a: b}
spec:
  restartPolicy: 1
  containers:
  - name: a
    image: x
    command: echo
  - nme: b
    image: y
";
        let errs = check(src);
        let got: Vec<(u32, SchemaErrorKind, &str)> = errs
            .iter()
            .map(|e| (e.span.start.line, e.kind, e.path.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (5, SchemaErrorKind::UnknownField, "metadata.lables"),
                (7, SchemaErrorKind::WrongType, "spec.restartPolicy"),
                (11, SchemaErrorKind::WrongType, "spec.containers[0].command"),
                (12, SchemaErrorKind::UnknownField, "spec.containers[1].nme"),
                // YAML 1.1: a bare `y` is the boolean true.
                (13, SchemaErrorKind::WrongType, "spec.containers[1].image"),
            ]
        );
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean \"labels\"?"));
        assert_eq!(errs[3].hint.as_deref(), Some("did you mean \"name\"?"));
    }

    #[test]
    fn unknown_fields_in_maps_of_objects_and_no_silly_hints() {
        let src = "\
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data: {a: b}
x: 1
";
        let errs = check(src);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].message, "unknown field \"x\"");
        assert_eq!(errs[0].hint, None);
    }

    #[test]
    fn error_in_second_document_points_at_file_line() {
        let src = "\
apiVersion: v1
kind: Namespace
metadata: {name: ns}
---
apiVersion: v1
kind: Service
metadata: {name: s, namespace: ns}
spec:
  selector: {app: web}
  ports:
  - {port: 80, targetPort: http, protocl: TCP}
";
        let docs = parse_documents(src).expect("valid");
        assert!(check_root(&docs[0].root).is_empty());
        let errs = check_root(&docs[1].root);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].message, "unknown field \"spec.ports[0].protocl\"");
        assert_eq!((errs[0].span.start.line, errs[0].span.start.col), (11, 34));
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean \"protocol\"?"));
    }

    #[test]
    fn root_must_be_an_object() {
        let root = &parse_documents("[1, 2]\n").expect("valid")[0].root;
        let errs = k8s_1_33().validate("V1Pod", root);
        assert_eq!(
            errs[0].message,
            "json: cannot unmarshal array into Go value of type v1.Pod"
        );
    }

    #[test]
    fn duplicate_fields_in_hand_built_trees() {
        let mut root = parse_documents("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n")
            .expect("valid")
            .remove(0)
            .root;
        if let Value::Map(entries) = &mut root.value {
            let dup = entries[2].clone();
            entries.push(dup);
        }
        let errs = check_root(&root);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].kind, SchemaErrorKind::DuplicateField);
        assert_eq!(errs[0].message, "duplicate field \"metadata\"");
    }

    #[test]
    fn levenshtein_distance() {
        assert_eq!(levenshtein("imagee", "image"), 1);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("Image", "image"), 1);
        assert_eq!(levenshtein("café", "cafe"), 1);
    }

    #[test]
    fn go_element_types() {
        assert_eq!(go_elem("[]v1.Container"), Some("v1.Container"));
        assert_eq!(go_elem("[]*v1.X"), Some("v1.X"));
        assert_eq!(go_elem("map[string]string"), Some("string"));
        assert_eq!(go_elem("map[string][]uint8"), Some("[]uint8"));
        assert_eq!(go_elem("v1.ResourceList"), None);
    }

    #[test]
    fn common_kinds_validate_cleanly() {
        let manifests = [
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n  labels: {env: prod}\n",
            "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa, namespace: team-a}\nautomountServiceAccountToken: false\nimagePullSecrets: [{name: regcred}]\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata:\n  app.properties: |\n    a=b\n  mode: \"0644\"\nbinaryData:\n  blob: aGVsbG8=\n",
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: ClusterIP\n  selector: {app: web}\n  ports:\n  - {name: http, port: 80, targetPort: 8080, protocol: TCP}\n  - {name: admin, port: 9000, targetPort: admin}\n  sessionAffinity: None\n",
            "apiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\n  labels: {kubernetes.io/hostname: node-1, topology.kubernetes.io/zone: a}\nspec:\n  podCIDR: 10.0.1.0/24\n  taints:\n  - {key: dedicated, value: gpu, effect: NoSchedule}\n  unschedulable: false\nstatus:\n  capacity: {cpu: 8, memory: 32Gi, pods: 110, nvidia.com/gpu: 2}\n  allocatable: {cpu: 7800m, memory: 30Gi, pods: \"110\"}\n  conditions:\n  - {type: Ready, status: \"True\", lastHeartbeatTime: \"2024-01-01T00:00:00Z\"}\n  nodeInfo: {kubeletVersion: v1.33.0, architecture: amd64, bootID: x, containerRuntimeVersion: containerd://2.0, kernelVersion: '6.1', kubeProxyVersion: v1.33.0, machineID: m, operatingSystem: linux, osImage: Ubuntu, systemUUID: u}\n",
            "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 1000000\nglobalDefault: false\npreemptionPolicy: PreemptLowerPriority\ndescription: important\n",
            "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  minAvailable: 50%\n  selector: {matchLabels: {app: web}}\n  unhealthyPodEvictionPolicy: AlwaysAllow\n",
            "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web2}\nspec:\n  maxUnavailable: 1\n  selector: {matchLabels: {app: web}}\n",
            "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec:\n  completions: 5\n  parallelism: 2\n  backoffLimit: 4\n  activeDeadlineSeconds: 600\n  ttlSecondsAfterFinished: 100\n  completionMode: Indexed\n  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes: {operator: In, values: [42]}\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - {name: pi, image: perl, command: [perl, -Mbignum=bpi, -wle, print bpi(2000)]}\n",
            "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: hello}\nspec:\n  schedule: \"*/5 * * * *\"\n  timeZone: Etc/UTC\n  concurrencyPolicy: Forbid\n  startingDeadlineSeconds: 200\n  successfulJobsHistoryLimit: 3\n  suspend: no\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - {name: hello, image: busybox, args: [date]}\n",
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n  replicas: 3\n  podManagementPolicy: Parallel\n  selector: {matchLabels: {app: db}}\n  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 0, maxUnavailable: 1}}\n  persistentVolumeClaimRetentionPolicy: {whenDeleted: Retain, whenScaled: Delete}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers:\n      - name: db\n        image: postgres:16\n        volumeMounts: [{name: data, mountPath: /var/lib/postgresql}]\n  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec:\n      accessModes: [ReadWriteOnce]\n      storageClassName: fast\n      resources: {requests: {storage: 10Gi}}\n",
            "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: kube-system}\nspec:\n  selector: {matchLabels: {app: agent}}\n  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 10%, maxSurge: 0}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      hostNetwork: true\n      tolerations: [{operator: Exists}]\n      containers:\n      - {name: agent, image: agent:1, resources: {limits: {memory: 200Mi}}}\n",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: reader, namespace: team-a}\nrules:\n- apiGroups: [\"\"]\n  resources: [pods]\n  verbs: [get, list, watch]\n",
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n  ingressClassName: nginx\n  rules:\n  - host: example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend: {service: {name: web, port: {number: 80}}}\n",
        ];
        for m in manifests {
            assert_eq!(check(m), vec![], "{m}");
        }
    }
}
