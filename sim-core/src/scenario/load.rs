//! Scenario file -> validated, resolved `Scenario`. Every problem is reported at once, each with
//! its file, line and column and what to do.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::{self, Node, Object, ObjectMeta};
use crate::behaviour::{
    BEHAVIOUR_ANNOTATION, BEHAVIOUR_ANNOTATION_PREFIX, BehaviourRule, BehaviourSpec,
};
use crate::diag::{Diagnostic, Diagnostics, Location, Severity, SourceReader};
use crate::engine::ControlPlaneTimings;
use crate::kubectl::wallclock::WallClock;
use crate::kubelet::KubeletConfig;
use crate::kubelet::images::{Registry, RegistryImage, normalize_image, not_found_error};
use crate::manifest::{self, LoadedObject, NotSimulated, location};
use crate::quantity::Quantity;
use crate::time::SimDuration;
use crate::yaml::{self, Span};

use super::{
    API_VERSION, Action, DEFAULT_VERSION, DeleteAction, DrainAction, KIND, ManifestSource,
    SUPPORTED_VERSIONS, ScaleAction, ScenarioFile,
};

/// A node to create at t = 0, with what the scenario says about its machine.
#[derive(Clone, Debug)]
pub struct NodeSetup {
    pub node: Node,
    pub images: Vec<String>,
    /// Registry bandwidth, bytes per second.
    pub pull_bandwidth: u64,
}

#[derive(Clone, Debug)]
pub enum ActionKind {
    Create(Vec<LoadedObject>),
    Apply(Vec<LoadedObject>),
    Delete(DeleteAction),
    Scale(ScaleAction),
    NodeFailure(String),
    NodeRecovery(String),
    Cordon(String),
    Uncordon(String),
    Drain(DrainAction),
    Rollout(crate::scenario::RolloutAction),
    RegistryOutage(Option<SimDuration>),
    RegistryRecovery,
}

impl ActionKind {
    /// What the action does, as the timeline shows it.
    pub fn describe(&self) -> String {
        // `verb kind/name, kind/name`: built without format!, as every create action runs it.
        let names = |verb: &str, objs: &[LoadedObject]| {
            let len = objs
                .iter()
                .map(|o| o.object.kind().len() + o.object.name().len() + 3)
                .sum::<usize>();
            let mut s = String::with_capacity(verb.len() + 1 + len);
            s.push_str(verb);
            s.push(' ');
            for (i, o) in objs.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                s.push_str(o.object.kind());
                s.push('/');
                s.push_str(o.object.name());
            }
            s
        };
        match self {
            ActionKind::Create(o) => names("create", o),
            ActionKind::Apply(o) => names("apply", o),
            ActionKind::Delete(d) => {
                let kind = d.kind.to_lowercase();
                let mut s = String::with_capacity(48 + kind.len() + d.name.len());
                s.push_str("kubectl delete ");
                s.push_str(&kind);
                s.push(' ');
                s.push_str(&d.name);
                if let Some(g) = d.grace_period {
                    s.push_str(" --grace-period=");
                    crate::text::push_decimal(&mut s, g);
                }
                if d.force {
                    s.push_str(" --force");
                }
                if d.now {
                    s.push_str(" --now");
                }
                s
            }
            ActionKind::Scale(s) => format!(
                "kubectl scale {} {} --replicas={}",
                s.kind.to_lowercase(),
                s.name,
                s.replicas
            ),
            ActionKind::NodeFailure(n) => format!("node {n} fails"),
            ActionKind::NodeRecovery(n) => format!("node {n} recovers"),
            ActionKind::Cordon(n) => format!("kubectl cordon {n}"),
            ActionKind::Uncordon(n) => format!("kubectl uncordon {n}"),
            ActionKind::Drain(d) => format!("kubectl drain {}", d.node),
            ActionKind::Rollout(r) => {
                let verb = match r.action {
                    crate::scenario::RolloutVerb::Pause => "pause",
                    crate::scenario::RolloutVerb::Resume => "resume",
                    crate::scenario::RolloutVerb::Undo => "undo",
                };
                let mut s = format!("kubectl rollout {verb} deployment/{}", r.deployment);
                if let Some(rev) = r.to_revision {
                    s.push_str(&format!(" --to-revision={rev}"));
                }
                s
            }
            ActionKind::RegistryOutage(Some(d)) => format!("registry outage for {d}"),
            ActionKind::RegistryOutage(None) => "registry outage".to_string(),
            ActionKind::RegistryRecovery => "registry recovers".to_string(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct ScenarioAction {
    pub at: SimDuration,
    pub kind: ActionKind,
}

/// A loaded, validated scenario: everything the engine needs, nothing left to parse.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub file: String,
    pub seed: u64,
    pub kubernetes_version: String,
    pub until: SimDuration,
    pub max_events: u64,
    pub wall_clock: WallClock,
    pub nodes: Vec<NodeSetup>,
    pub registry: Registry,
    pub kubelet: KubeletConfig,
    pub control_plane: ControlPlaneTimings,
    pub controllers: crate::controller::ControllerTimings,
    /// `spec.scheduler.config`, validated; `None` runs the default profile.
    pub scheduler_config: Option<crate::scheduler::config::SchedulerConfig>,
    /// `spec.scheduler.explain`: record each scheduling attempt's details.
    pub explain_scheduling: bool,
    pub behaviours: Vec<BehaviourRule>,
    pub objects: Vec<LoadedObject>,
    pub actions: Vec<ScenarioAction>,
    pub expectations: Vec<crate::expect::Expectation>,
}

pub const DEFAULT_UNTIL: SimDuration = SimDuration::from_mins(10);
pub const DEFAULT_MAX_EVENTS: u64 = 10_000_000;
const DEFAULT_BANDWIDTH: u64 = 50 * 1024 * 1024;

/// Parses an inline behaviour given in an annotation (`{run: 30s, exitCode: 1}`).
pub fn parse_inline_behaviour(text: &str) -> Result<BehaviourSpec, String> {
    let docs = yaml::parse_documents(text).map_err(|e| e.to_string())?;
    let Some(doc) = docs.first() else {
        return Err("empty behaviour".to_string());
    };
    serde_path_to_error::deserialize::<_, BehaviourSpec>(yaml::to_json(&doc.root))
        .map_err(|e| format!("{}: {}", e.path(), e.inner()))
}

struct Ctx<'a> {
    file: String,
    root: yaml::Node,
    reader: &'a dyn SourceReader,
    diags: Diagnostics,
    notes: NotSimulated,
}

impl Ctx<'_> {
    fn loc(&self, path: &str) -> Option<Location> {
        self.root.lookup_span(path).map(|s| location(&self.file, s))
    }

    fn error(&mut self, path: &str, message: impl Into<String>, help: impl Into<String>) {
        let d = Diagnostic::error(message)
            .at(self.loc(path))
            .field(path)
            .help(help);
        self.diags.push(d);
    }

    /// Loads the objects of one `{file}` or `{manifest}` source at `path`.
    fn objects(&mut self, path: &str, source: &ManifestSource) -> Vec<LoadedObject> {
        let mut out = Vec::new();
        match (&source.file, &source.manifest) {
            (Some(f), None) => match self.reader.read(f) {
                Ok((name, text)) => {
                    out = manifest::load_text(&name, &text, &mut self.notes, &mut self.diags);
                }
                Err(e) => self.error(
                    &format!("{path}.file"),
                    e,
                    "paths are relative to the scenario file",
                ),
            },
            (None, Some(_)) => {
                let node_path = format!("{path}.manifest");
                if let Some(node) = self.root.lookup(&node_path).cloned() {
                    let file = self.file.clone();
                    manifest::load_node(&file, &node, &mut self.notes, &mut self.diags, &mut out);
                }
            }
            _ => self.error(
                path,
                "give exactly one of `file` or `manifest`",
                "e.g. `file: pod.yaml` or `manifest: {apiVersion: v1, kind: Pod, ...}`",
            ),
        }
        out
    }
}

impl Ctx<'_> {
    /// Loads `spec.scheduler.config`: a KubeSchedulerConfiguration file or inline object.
    fn scheduler_config(
        &mut self,
        source: &ManifestSource,
    ) -> Option<crate::scheduler::config::SchedulerConfig> {
        use crate::scheduler::config;
        let path = "spec.scheduler.config";
        let (file, node) = match (&source.file, &source.manifest) {
            (Some(f), None) => {
                let (name, text) = match self.reader.read(f) {
                    Ok(x) => x,
                    Err(e) => {
                        self.error(
                            &format!("{path}.file"),
                            e,
                            "paths are relative to the scenario file",
                        );
                        return None;
                    }
                };
                let root = read_root(&name, &text, &mut self.diags)?;
                (name, root)
            }
            (None, Some(_)) => (
                self.file.clone(),
                self.root.lookup(&format!("{path}.manifest"))?.clone(),
            ),
            _ => {
                self.error(
                    path,
                    "give exactly one of `file` or `manifest`",
                    "e.g. `file: scheduler-config.yaml`",
                );
                return None;
            }
        };
        let (config, diags) = config::load(&file, &node, &config::Registry::in_tree());
        self.diags.extend(diags);
        config
    }
}

fn read_root(file: &str, text: &str, diags: &mut Diagnostics) -> Option<yaml::Node> {
    match yaml::parse_documents(text) {
        Ok(mut docs) => {
            if docs.len() > 1 {
                diags.push(
                    Diagnostic::error("a scenario file holds exactly one YAML document")
                        .at(Some(location(file, docs[1].root.span)))
                        .help("put manifests in `spec.workloads` (inline or as files), not after `---`"),
                );
            }
            if docs.is_empty() {
                diags.push(
                    Diagnostic::error(format!("{file} is empty"))
                        .help("start from docs/scenario-format.md"),
                );
                return None;
            }
            Some(docs.swap_remove(0).root)
        }
        Err(e) => {
            diags.push(
                Diagnostic::error(format!("invalid YAML: {}", e.message)).at(Some(location(
                    file,
                    Span {
                        start: e.pos,
                        end: e.pos,
                    },
                ))),
            );
            None
        }
    }
}

/// serde_path_to_error's path (`spec.cluster.nodePools[0].count`) in the field-path syntax the
/// span lookup understands.
fn serde_path(path: &serde_path_to_error::Path) -> String {
    let s = path.to_string();
    if s == "." { String::new() } else { s }
}

/// Loads and validates a scenario file. Returns the scenario (when there are no errors) and all
/// diagnostics, including "not simulated" notes.
pub fn load_scenario(file: &str, reader: &dyn SourceReader) -> (Option<Scenario>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let (name, text) = match reader.read(file) {
        Ok(x) => x,
        Err(e) => {
            diags.push(
                Diagnostic::error(e)
                    .help("pass the path of a scenario file, e.g. scenarios/quickstart.yaml"),
            );
            return (None, diags);
        }
    };
    let Some(root) = read_root(&name, &text, &mut diags) else {
        return (None, diags);
    };
    let api_version = root
        .get("apiVersion")
        .and_then(|n| n.as_str())
        .unwrap_or("");
    let kind = root.get("kind").and_then(|n| n.as_str()).unwrap_or("");
    if api_version != API_VERSION || kind != KIND {
        let span = root.get("kind").map_or(root.span, |n| n.span);
        diags.push(
            Diagnostic::error(format!("not a scenario: expected `apiVersion: {API_VERSION}` and `kind: {KIND}`, found `{api_version}` / `{kind}`"))
                .at(Some(location(&name, span)))
                .help("a Kubernetes manifest goes under a scenario's `spec.workloads`; `kubesim validate` checks manifests on their own"),
        );
        return (None, diags);
    }
    // Report every problem, not just serde's first: after each error the offending value is
    // removed and decoding retried (errors at or under an already reported path are
    // consequences and are not repeated).
    let mut json = yaml::to_json(&root);
    let mut reported: Vec<String> = Vec::new();
    let mut parsed = None;
    for _ in 0..50 {
        match serde_path_to_error::deserialize::<_, ScenarioFile>(json.clone()) {
            Ok(sf) => {
                parsed = Some(sf);
                break;
            }
            Err(e) => {
                let path = serde_path(e.path());
                let segments: Vec<serde_path_to_error::Segment> =
                    e.path().iter().cloned().collect();
                let msg = e.inner().to_string();
                let under = |a: &str, b: &str| {
                    a == b || a.starts_with(&format!("{b}.")) || a.starts_with(&format!("{b}["))
                };
                // A removed bad value can surface again as its parent's "missing field".
                let consequence = reported.iter().any(|r| {
                    under(&path, r) || (msg.starts_with("missing field") && under(r, &path))
                });
                if !consequence {
                    let span = root
                        .lookup_key_span(&path)
                        .or_else(|| root.lookup_span(&path))
                        .unwrap_or(root.span);
                    let help = if msg.contains("unknown field") {
                        "see docs/scenario-format.md for the fields of each section"
                    } else {
                        "see docs/scenario-format.md for the expected value"
                    };
                    diags.push(
                        Diagnostic::error(format!(
                            "{}: {msg}",
                            if path.is_empty() { "scenario" } else { &path }
                        ))
                        .at(Some(location(&name, span)))
                        .field(path.clone())
                        .help(help),
                    );
                }
                reported.push(path);
                if !remove_value(&mut json, &segments) {
                    break;
                }
            }
        }
    }
    diags
        .0
        .sort_by_key(|d| d.location.as_ref().map(|l| (l.line, l.col)));
    let Some(sf) = parsed.filter(|_| !diags.has_errors()) else {
        return (None, diags);
    };
    let _ = text;
    let mut ctx = Ctx {
        file: name.clone(),
        root,
        reader,
        diags,
        notes: NotSimulated::default(),
    };
    let scenario = resolve(&mut ctx, sf);
    let diags = ctx.diags;
    if diags.has_errors() {
        (None, diags)
    } else {
        (Some(scenario), diags)
    }
}

fn resolve(ctx: &mut Ctx<'_>, sf: ScenarioFile) -> Scenario {
    let spec = sf.spec;
    let version = spec
        .kubernetes_version
        .clone()
        .unwrap_or_else(|| DEFAULT_VERSION.to_string());
    if !SUPPORTED_VERSIONS.contains(&version.as_str()) {
        ctx.error(
            "spec.kubernetesVersion",
            format!("unsupported Kubernetes version \"{version}\""),
            format!("kubesim emulates {}", SUPPORTED_VERSIONS.join(", ")),
        );
    }
    let wall_clock = match &spec.start_time {
        None => WallClock::default(),
        Some(s) => WallClock::parse_rfc3339(s).unwrap_or_else(|e| {
            ctx.error("spec.startTime", e, "write it like 2025-01-01T00:00:00Z");
            WallClock::default()
        }),
    };
    if spec.run.max_events == Some(0) {
        ctx.error(
            "spec.run.maxEvents",
            "maxEvents must be at least 1",
            "leave it unset for the default of 10,000,000",
        );
    }

    // Registry.
    let mut registry = Registry::default();
    if let Some(q) = &spec.registry.default_image_size {
        registry.default_size = positive_bytes(ctx, "spec.registry.defaultImageSize", q);
    }
    registry.strict = spec.registry.only_listed_images;
    if let Some(l) = spec.registry.pull_latency {
        registry.pull_latency = l;
    }
    for (i, img) in spec.registry.images.iter().enumerate() {
        let path = format!("spec.registry.images[{i}]");
        let full = normalize_image(&img.name);
        let size = img.size.as_ref().map_or(registry.default_size, |q| {
            positive_bytes(ctx, &format!("{path}.size"), q)
        });
        let pull_error = if img.missing {
            Some(not_found_error(&full))
        } else {
            img.pull_error.clone()
        };
        if registry
            .images
            .insert(full, RegistryImage { size, pull_error })
            .is_some()
        {
            ctx.error(
                &format!("{path}.name"),
                format!("image {} is listed twice", img.name),
                "list each image once",
            );
        }
    }

    // Nodes.
    let mut nodes = Vec::new();
    let mut node_names = BTreeSet::new();
    for (i, pool) in spec.cluster.node_pools.iter().enumerate() {
        let path = format!("spec.cluster.nodePools[{i}]");
        if pool.count == 0 {
            ctx.error(
                &format!("{path}.count"),
                "count must be at least 1",
                "remove the pool or give it nodes",
            );
        }
        let bandwidth = pool
            .image_pull_bandwidth
            .as_ref()
            .map_or(DEFAULT_BANDWIDTH, |q| {
                positive_bytes(ctx, &format!("{path}.imagePullBandwidth"), q)
            });
        for k in 1..=pool.count {
            let name = format!("{}-{k}", pool.name);
            let mut node = Node {
                api_version: "v1".into(),
                kind: "Node".into(),
                metadata: ObjectMeta {
                    name: Some(name.clone()),
                    labels: pool.labels.clone(),
                    ..Default::default()
                },
                spec: api::NodeSpec {
                    taints: pool.taints.clone(),
                    ..Default::default()
                },
                status: api::NodeStatus {
                    capacity: pool.capacity.clone(),
                    allocatable: pool.allocatable.clone().unwrap_or_default(),
                    ..Default::default()
                },
            };
            kubelet_registration(&mut node);
            let mut object = Object::Node(node);
            api::defaults::default_object(&mut object);
            for e in api::validation::validate_object(&object) {
                ctx.error(
                    &path,
                    format!("node pool \"{}\" makes an invalid Node: {e}", pool.name),
                    "fix the pool's name, labels, taints or resources",
                );
            }
            let Object::Node(node) = object else { continue };
            if !node_names.insert(name.clone()) {
                ctx.error(
                    &format!("{path}.name"),
                    format!("node name {name} is used twice"),
                    "give each pool a distinct name",
                );
            }
            nodes.push(NodeSetup {
                node,
                images: pool.images.clone(),
                pull_bandwidth: bandwidth,
            });
        }
    }
    for (i, src) in spec.cluster.nodes.iter().enumerate() {
        let path = format!("spec.cluster.nodes[{i}]");
        for o in ctx.objects(&path, src) {
            match o.object {
                Object::Node(mut node) => {
                    kubelet_registration(&mut node);
                    let name = node.metadata.name.clone().unwrap_or_default();
                    if !node_names.insert(name.clone()) {
                        ctx.error(
                            &path,
                            format!("node name {name} is used twice"),
                            "give each node a distinct name",
                        );
                    }
                    let images = node
                        .status
                        .images
                        .iter()
                        .flat_map(|i| i.names.first().cloned())
                        .collect();
                    nodes.push(NodeSetup {
                        node,
                        images,
                        pull_bandwidth: DEFAULT_BANDWIDTH,
                    });
                }
                other => ctx.error(
                    &path,
                    format!(
                        "spec.cluster.nodes holds Node objects, found a {}",
                        other.kind()
                    ),
                    "move workloads to spec.workloads",
                ),
            }
        }
    }

    // Behaviours.
    let mut rule_names = BTreeSet::new();
    for (i, rule) in spec.behaviours.iter().enumerate() {
        if !rule_names.insert(rule.name.clone()) {
            ctx.error(
                &format!("spec.behaviours[{i}].name"),
                format!("behaviour \"{}\" is defined twice", rule.name),
                "give each behaviour a distinct name",
            );
        }
    }

    // Workloads and actions.
    let mut objects = Vec::new();
    for (i, src) in spec.workloads.iter().enumerate() {
        objects.extend(ctx.objects(&format!("spec.workloads[{i}]"), src));
    }
    let mut actions = Vec::new();
    for (i, a) in spec.actions.iter().enumerate() {
        if let Some(kind) = action_kind(ctx, i, a, &node_names) {
            actions.push(super::load::ScenarioAction { at: a.at, kind });
        }
    }
    // Stable order by time; simultaneous actions keep file order.
    actions.sort_by_key(|a| a.at);

    let all_objects: Vec<&LoadedObject> = objects
        .iter()
        .chain(actions.iter().flat_map(|a| match &a.kind {
            ActionKind::Create(o) | ActionKind::Apply(o) => o.as_slice(),
            _ => &[],
        }))
        .collect();
    check_behaviour_annotations(ctx, &all_objects, &spec.behaviours);
    note_gated_fields(ctx, &all_objects);
    // Nodes that join by a `create` action are subjects too.
    node_names.extend(
        all_objects
            .iter()
            .filter(|o| matches!(o.object, crate::api::Object::Node(_)))
            .map(|o| o.object.name().to_string()),
    );
    let known = crate::expect::Known {
        containers: pod_containers(&all_objects),
        nodes: node_names,
    };
    let mut seen = BTreeMap::new();
    for o in &objects {
        let key = (
            o.object.kind(),
            o.object.metadata().namespace.clone().unwrap_or_default(),
            o.object.name().to_string(),
        );
        if let Some(line) = seen.insert(key.clone(), o.line) {
            ctx.diags.push(
                Diagnostic::error(format!(
                    "{} \"{}\" is defined twice (first at line {line})",
                    key.0, key.2
                ))
                .at(Some(object_location(o)))
                .help("rename one, or create the second with an `apply` action"),
            );
        }
    }
    let until = spec.run.until.unwrap_or(DEFAULT_UNTIL);
    let line_of = |path: &str| ctx.loc(path).map_or(0, |l| l.line);
    let (expectations, problems) =
        crate::expect::resolve(&spec.expectations, until, &known, &line_of);
    for p in problems {
        ctx.error(&p.path, format!("{}: {}", p.path, p.message), p.help);
    }

    let scheduler_config = spec
        .scheduler
        .config
        .as_ref()
        .and_then(|src| ctx.scheduler_config(src));
    let t = &spec.timings;
    let defaults = KubeletConfig::default();
    let cp = ControlPlaneTimings::default();
    let controllers =
        crate::controller::ControllerTimings::for_version(&version).with(t.controllers.as_ref());
    Scenario {
        name: sf.metadata.name,
        description: sf.metadata.description,
        file: ctx.file.clone(),
        seed: spec.seed.unwrap_or(1),
        kubernetes_version: version,
        until,
        max_events: spec.run.max_events.unwrap_or(DEFAULT_MAX_EVENTS),
        wall_clock,
        nodes,
        registry,
        kubelet: KubeletConfig {
            serialize_image_pulls: t
                .serialize_image_pulls
                .unwrap_or(defaults.serialize_image_pulls),
            sandbox_creation: t.sandbox_creation.unwrap_or(defaults.sandbox_creation),
            container_creation: t.container_creation.unwrap_or(defaults.container_creation),
            container_start: t.container_start.unwrap_or(defaults.container_start),
            ..defaults
        },
        control_plane: ControlPlaneTimings {
            watch_latency: t.watch_latency.unwrap_or(cp.watch_latency),
            scheduling_latency: t.scheduling_latency.unwrap_or(cp.scheduling_latency),
            binding_latency: t.binding_latency.unwrap_or(cp.binding_latency),
        },
        controllers,
        scheduler_config,
        explain_scheduling: spec.scheduler.explain,
        behaviours: spec.behaviours,
        objects,
        actions,
        expectations,
    }
}

fn positive_bytes(ctx: &mut Ctx<'_>, path: &str, q: &Quantity) -> u64 {
    match u64::try_from(q.value()) {
        Ok(v) if v > 0 => v,
        _ => {
            ctx.error(
                path,
                format!("expected a positive quantity of bytes, found {q}"),
                "write it like 50Mi or 62958873",
            );
            1
        }
    }
}

fn action_kind(
    ctx: &mut Ctx<'_>,
    i: usize,
    a: &Action,
    nodes: &BTreeSet<String>,
) -> Option<ActionKind> {
    let path = format!("spec.actions[{i}]");
    let set: Vec<&str> = [
        ("create", a.create.is_some()),
        ("apply", a.apply.is_some()),
        ("delete", a.delete.is_some()),
        ("scale", a.scale.is_some()),
        ("nodeFailure", a.node_failure.is_some()),
        ("nodeRecovery", a.node_recovery.is_some()),
        ("cordon", a.cordon.is_some()),
        ("uncordon", a.uncordon.is_some()),
        ("drain", a.drain.is_some()),
        ("rollout", a.rollout.is_some()),
        ("registryOutage", a.registry_outage.is_some()),
        ("registryRecovery", a.registry_recovery.is_some()),
    ]
    .into_iter()
    .filter(|(_, s)| *s)
    .map(|(n, _)| n)
    .collect();
    if set.len() != 1 {
        let found = if set.is_empty() {
            "none".to_string()
        } else {
            set.join(", ")
        };
        ctx.error(
            &path,
            format!("an action needs exactly one of create, apply, delete, scale, nodeFailure, nodeRecovery, cordon, uncordon, drain, rollout, registryOutage, registryRecovery; found {found}"),
            "split it into one action per entry, each with its own `at`",
        );
        return None;
    }
    let mut node_ref = |field: &str, name: &str| {
        if nodes.contains(name) {
            Some(name.to_string())
        } else {
            let known: Vec<&str> = nodes.iter().map(String::as_str).take(5).collect();
            ctx.error(
                &format!("{path}.{field}.node"),
                format!("no node named \"{name}\""),
                format!("nodes are named like {}", known.join(", ")),
            );
            None
        }
    };
    if let Some(n) = &a.node_failure {
        return node_ref("nodeFailure", &n.node).map(ActionKind::NodeFailure);
    }
    if let Some(n) = &a.node_recovery {
        return node_ref("nodeRecovery", &n.node).map(ActionKind::NodeRecovery);
    }
    if let Some(n) = &a.cordon {
        return node_ref("cordon", &n.node).map(ActionKind::Cordon);
    }
    if let Some(n) = &a.uncordon {
        return node_ref("uncordon", &n.node).map(ActionKind::Uncordon);
    }
    if let Some(d) = &a.drain {
        node_ref("drain", &d.node)?;
        return Some(ActionKind::Drain(d.clone()));
    }
    if let Some(s) = &a.create {
        return Some(ActionKind::Create(
            ctx.objects(&format!("{path}.create"), s),
        ));
    }
    if let Some(s) = &a.apply {
        return Some(ActionKind::Apply(ctx.objects(&format!("{path}.apply"), s)));
    }
    if let Some(d) = &a.delete {
        if d.force && d.grace_period.is_some_and(|g| g > 0) {
            ctx.diags.push(Diagnostic {
                severity: Severity::NotSimulated,
                location: ctx.loc(&format!("{path}.delete.force")),
                field: Some(format!("{path}.delete.force")),
                message: "warning: --force is ignored because --grace-period is not 0.".into(),
                help: None,
            });
        }
        return Some(ActionKind::Delete(d.clone()));
    }
    if let Some(s) = &a.scale {
        if s.replicas < 0 {
            ctx.error(
                &format!("{path}.scale.replicas"),
                "replicas must be >= 0",
                "use 0 to scale down completely",
            );
        }
        return Some(ActionKind::Scale(s.clone()));
    }
    if let Some(r) = &a.rollout {
        return Some(ActionKind::Rollout(r.clone()));
    }
    if let Some(o) = &a.registry_outage {
        return Some(ActionKind::RegistryOutage(o.duration));
    }
    Some(ActionKind::RegistryRecovery)
}

fn check_behaviour_annotations(
    ctx: &mut Ctx<'_>,
    objects: &[&LoadedObject],
    rules: &[BehaviourRule],
) {
    for o in objects {
        let Object::Pod(pod) = &o.object else {
            continue;
        };
        let annotations = &pod.metadata.annotations;
        for (key, value) in annotations {
            let per_container = key.strip_prefix(BEHAVIOUR_ANNOTATION_PREFIX);
            if key != BEHAVIOUR_ANNOTATION && per_container.is_none() {
                continue;
            }
            if let Some(c) = per_container
                && !pod
                    .spec
                    .containers
                    .iter()
                    .chain(&pod.spec.init_containers)
                    .any(|x| x.name == c)
            {
                ctx.diags.push(
                    Diagnostic::error(format!(
                        "annotation {key}: pod {} has no container \"{c}\"",
                        o.object.name()
                    ))
                    .at(Some(object_location(o)))
                    .help("the suffix after `kubesim.io/behaviour.` is a container name"),
                );
            }
            if rules.iter().any(|r| &r.name == value) {
                continue;
            }
            if let Err(e) = parse_inline_behaviour(value) {
                ctx.diags.push(
                    Diagnostic::error(format!("annotation {key}: \"{value}\" is neither a behaviour of this scenario nor an inline behaviour ({e})"))
                        .at(Some(object_location(o)))
                        .help("name a rule from spec.behaviours, or write an inline map like '{run: 30s, exitCode: 1}'"),
                );
            }
        }
    }
}

/// Container names of every Pod the scenario creates, by (namespace, name).
fn pod_containers(objects: &[&LoadedObject]) -> BTreeMap<(String, String), Vec<String>> {
    objects
        .iter()
        .filter_map(|o| match &o.object {
            Object::Pod(p) => Some((
                (
                    p.metadata
                        .namespace
                        .clone()
                        .unwrap_or_else(|| "default".into()),
                    p.metadata.name.clone().unwrap_or_default(),
                ),
                p.spec
                    .init_containers
                    .iter()
                    .chain(&p.spec.containers)
                    .map(|c| c.name.clone())
                    .collect(),
            )),
            _ => None,
        })
        .collect()
}

/// `kubesim validate`: a scenario file (kind Scenario) or a manifest file.
pub fn validate_file(file: &str, reader: &dyn SourceReader) -> Diagnostics {
    let (name, text) = match reader.read(file) {
        Ok(x) => x,
        Err(e) => {
            let mut d = Diagnostics::default();
            d.push(Diagnostic::error(e));
            return d;
        }
    };
    let docs = yaml::parse_documents(&text).unwrap_or_default();
    let kind = docs
        .first()
        .and_then(|d| d.root.get("kind"))
        .and_then(|k| k.as_str());
    if kind == Some(KIND) {
        return load_scenario(file, reader).1;
    }
    if let (Some(crate::scheduler::config::types::KIND), Some(doc)) = (kind, docs.first()) {
        let registry = crate::scheduler::config::Registry::in_tree();
        return crate::scheduler::config::load(&name, &doc.root, &registry).1;
    }
    let mut diags = Diagnostics::default();
    let mut notes = NotSimulated::default();
    let objects = manifest::load_text(&name, &text, &mut notes, &mut diags);
    if objects.is_empty()
        && !diags.has_errors()
        && !diags.0.iter().any(|d| d.severity == Severity::NotSimulated)
    {
        // kubectl apply: "error: no objects passed to apply".
        diags.push(
            Diagnostic::error(format!("no objects found in {name}"))
                .help("a manifest file holds one or more Kubernetes objects"),
        );
    }
    diags
}

/// Fields of alpha features whose gates are off in the emulated version: the API server drops
/// them (pkg/registry/apps/statefulset/strategy.go dropStatefulSetDisabledFields), so they
/// have no effect.
fn note_gated_fields(ctx: &mut Ctx<'_>, objects: &[&LoadedObject]) {
    const FIELD: &str = "spec.updateStrategy.rollingUpdate.maxUnavailable";
    let gated = objects.iter().find(|o| match &o.object {
        Object::StatefulSet(s) => s
            .spec
            .update_strategy
            .rolling_update
            .as_ref()
            .is_some_and(|r| r.max_unavailable.is_some()),
        _ => false,
    });
    if let Some(o) = gated {
        ctx.diags.push(Diagnostic {
            severity: Severity::NotSimulated,
            location: Some(object_location(o)),
            field: Some(FIELD.to_string()),
            message: format!(
                "StatefulSet {FIELD}: ignored, its feature gate MaxUnavailableStatefulSet is alpha and off by default (the API server drops the field); pods are updated one at a time"
            ),
            help: None,
        });
    }
}

/// What a kubelet adds when it registers its Node (pkg/kubelet/kubelet_node_status.go): the
/// well-known hostname/os/arch labels, and `pods: 110` (the default maxPods) in capacity and
/// allocatable when the manifest gives none.
fn kubelet_registration(node: &mut Node) {
    let name = node.metadata.name.clone().unwrap_or_default();
    let labels = &mut node.metadata.labels;
    labels
        .entry("kubernetes.io/hostname".into())
        .or_insert(name);
    labels
        .entry("kubernetes.io/os".into())
        .or_insert_with(|| "linux".into());
    labels
        .entry("kubernetes.io/arch".into())
        .or_insert_with(|| "amd64".into());
    let pods = || Quantity::from_value(110, crate::quantity::QuantityFormat::DecimalSI);
    node.status
        .capacity
        .entry("pods".into())
        .or_insert_with(pods);
    if node.status.allocatable.is_empty() {
        node.status.allocatable = node.status.capacity.clone();
    }
    node.status
        .allocatable
        .entry("pods".into())
        .or_insert_with(pods);
}

/// Removes the value at `path` from `json`; false when there is nothing left to remove.
fn remove_value(json: &mut serde_json::Value, path: &[serde_path_to_error::Segment]) -> bool {
    use serde_path_to_error::Segment;
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut node = json;
    for seg in parents {
        node = match (seg, node) {
            (Segment::Map { key }, serde_json::Value::Object(m)) => match m.get_mut(key) {
                Some(v) => v,
                None => return false,
            },
            (Segment::Seq { index }, serde_json::Value::Array(a)) => match a.get_mut(*index) {
                Some(v) => v,
                None => return false,
            },
            _ => return false,
        };
    }
    match (last, node) {
        (Segment::Map { key }, serde_json::Value::Object(m)) => m.remove(key).is_some(),
        (Segment::Seq { index }, serde_json::Value::Array(a)) if *index < a.len() => {
            a.remove(*index);
            true
        }
        _ => false,
    }
}

/// Where an object starts in its file (for problems found after decoding).
fn object_location(o: &LoadedObject) -> Location {
    Location {
        file: o.file.clone(),
        line: o.line,
        col: 1,
        offset: 0,
        len: 0,
    }
}
