//! `KubeSchedulerConfiguration` (kubescheduler.config.k8s.io/v1): decoded strictly (`types`),
//! defaulted as upstream's apis/config/v1 does (the default MultiPoint set and the merge of the
//! user's plugin sets in `plugin_sets`, plugin args in `args`), validated (`validation`, and
//! the framework's own checks when it expands the plugin sets), then resolved into the
//! plugins of each profile, which `SchedulerConfig::build_profiles` instantiates from a
//! `Registry` (the in-tree plugins plus any a user registers).

pub mod args;
pub mod plugin_sets;
pub mod registry;
pub mod types;
mod validation;

use std::collections::BTreeMap;

use crate::api::validation::FieldError;
use crate::diag::{Diagnostic, Diagnostics, Location, Severity};
use crate::manifest::{location, nearest_span};
use crate::time::SimDuration;
use crate::yaml;

pub use args::PluginArgs;
pub use registry::{ExtensionPoint, Registry};

use super::profile::Profile;
use plugin_sets::{expand, merge_plugins, score_weight};
use types::{API_VERSION, KIND, KubeSchedulerConfiguration, KubeSchedulerProfile};

/// A validated configuration: what the scheduler runs.
#[derive(Clone, Debug, PartialEq)]
pub struct SchedulerConfig {
    pub profiles: Vec<ProfileConfig>,
    pub pod_initial_backoff: SimDuration,
    pub pod_max_backoff: SimDuration,
}

/// One profile: the plugins of each extension point in the framework's order, the Score
/// weights and the plugin args.
#[derive(Clone, Debug, PartialEq)]
pub struct ProfileConfig {
    pub scheduler_name: String,
    /// The profile's `percentageOfNodesToScore`, else the global one (None or 0: adaptive).
    pub percentage_of_nodes_to_score: Option<u32>,
    pub plugins: BTreeMap<ExtensionPoint, Vec<String>>,
    pub weights: BTreeMap<String, i64>,
    pub args: PluginArgs,
}

impl ProfileConfig {
    pub fn plugins(&self, point: ExtensionPoint) -> &[String] {
        self.plugins.get(&point).map_or(&[], Vec::as_slice)
    }
}

impl SchedulerConfig {
    /// One `Profile` per configured profile, its plugins built by `registry` (plugins kubesim
    /// has nothing to run for, such as the volume plugins, are left out).
    pub fn build_profiles(&self, registry: &Registry) -> Vec<Profile> {
        self.profiles
            .iter()
            .map(|pc| {
                let mut p = Profile::new(&pc.scheduler_name);
                p.percentage_of_nodes_to_score = pc.percentage_of_nodes_to_score;
                // PreFilter and PreScore are enabled per plugin like any extension point: a
                // plugin kept at Filter (Score) but not at PreFilter (PreScore) runs without
                // its state (framework.go builds each point's list on its own).
                let without = |point: ExtensionPoint, name: &str| {
                    registry.get(name).is_some_and(|r| r.implements(point))
                        && !pc.plugins(point).iter().any(|n| n == name)
                };
                for name in pc.plugins(ExtensionPoint::Filter) {
                    if let Some(f) = registry.build_filter(name, &pc.args) {
                        p.add_filter(f);
                        if without(ExtensionPoint::PreFilter, name) {
                            p.disable_pre_filter(name);
                        }
                    }
                }
                for name in pc.plugins(ExtensionPoint::Score) {
                    if let Some(s) = registry.build_score(name, &pc.args) {
                        p.add_score(s, pc.weights.get(name).copied().unwrap_or(1));
                        if without(ExtensionPoint::PreScore, name) {
                            p.disable_pre_score(name);
                        }
                    }
                }
                let b = &mut p.binding;
                b.bind.clear();
                for name in pc.plugins(ExtensionPoint::Reserve) {
                    b.reserve.extend(registry.build_reserve(name, &pc.args));
                }
                for name in pc.plugins(ExtensionPoint::Permit) {
                    b.permit.extend(registry.build_permit(name, &pc.args));
                }
                for name in pc.plugins(ExtensionPoint::PreBind) {
                    b.pre_bind.extend(registry.build_pre_bind(name, &pc.args));
                }
                for name in pc.plugins(ExtensionPoint::Bind) {
                    b.bind.extend(registry.build_bind(name, &pc.args));
                }
                if pc
                    .plugins(ExtensionPoint::PostFilter)
                    .iter()
                    .any(|n| n == "DefaultPreemption")
                {
                    let a = &pc.args.default_preemption;
                    p.add_post_filter(Box::new(crate::scheduler::preemption::DefaultPreemption {
                        min_candidate_nodes_percentage: a.min_candidate_nodes_percentage,
                        min_candidate_nodes_absolute: a.min_candidate_nodes_absolute,
                    }));
                }
                p
            })
            .collect()
    }
}

/// A problem at a field path of the configuration.
struct ConfigError {
    path: String,
    message: String,
    severity: Severity,
}

impl From<FieldError> for ConfigError {
    fn from(e: FieldError) -> Self {
        ConfigError {
            path: e.path.clone(),
            message: e.to_string(),
            severity: Severity::Error,
        }
    }
}

const HELP: &str = "see the KubeSchedulerConfiguration reference (kubescheduler.config.k8s.io/v1) and docs/scenario-format.md";

/// Loads the configuration at `node` (a whole file, or a scenario's inline object) of `file`,
/// checking plugin names against `registry`. Every problem is located at its line and column.
pub fn load(
    file: &str,
    node: &yaml::Node,
    registry: &Registry,
) -> (Option<SchedulerConfig>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let (config, errors) = resolve(node, registry);
    for e in errors {
        let span = if e.message.starts_with("strict decoding error") {
            node.lookup_key_span(&e.path)
                .unwrap_or_else(|| nearest_span(node, &e.path))
        } else {
            nearest_span(node, &e.path)
        };
        diags.push(Diagnostic {
            severity: e.severity,
            location: Some(location(file, span)),
            field: (!e.path.is_empty()).then(|| e.path.clone()),
            message: e.message,
            help: (e.severity == Severity::Error).then(|| HELP.to_string()),
        });
    }
    if diags.has_errors() {
        (None, diags)
    } else {
        (config, diags)
    }
}

/// Parses a configuration file's text (for programs that build a scheduler themselves).
pub fn parse(
    file: &str,
    text: &str,
    registry: &Registry,
) -> Result<SchedulerConfig, Vec<Diagnostic>> {
    let docs = yaml::parse_documents(text).map_err(|e| {
        vec![
            Diagnostic::error(format!("invalid YAML: {}", e.message)).at(Some(Location {
                file: file.to_string(),
                line: e.pos.line,
                col: e.pos.col,
                offset: e.pos.offset,
                len: 0,
            })),
        ]
    })?;
    let Some(doc) = docs.first() else {
        return Err(vec![Diagnostic::error(format!("{file} is empty"))]);
    };
    match load(file, &doc.root, registry) {
        (Some(c), _) => Ok(c),
        (None, d) => Err(d.0.into_iter().filter(Diagnostic::is_error).collect()),
    }
}

fn resolve(node: &yaml::Node, registry: &Registry) -> (Option<SchedulerConfig>, Vec<ConfigError>) {
    let error = |path: &str, message: String| ConfigError {
        path: path.to_string(),
        message,
        severity: Severity::Error,
    };
    let api_version = node.get("apiVersion").and_then(yaml::Node::as_str);
    let kind = node.get("kind").and_then(yaml::Node::as_str);
    if kind != Some(KIND) {
        return (
            None,
            vec![error(
                "kind",
                format!("expected kind {KIND:?}, found {:?}", kind.unwrap_or("")),
            )],
        );
    }
    if api_version != Some(API_VERSION) {
        // The scheme knows only v1 (v1beta2 and v1beta3 were removed in 1.28 and 1.29).
        return (
            None,
            vec![error(
                "apiVersion",
                format!(
                    "no kind {KIND:?} is registered for version {:?} in scheme \"pkg/scheduler/apis/config/scheme/scheme.go:30\"",
                    api_version.unwrap_or("")
                ),
            )],
        );
    }
    let mut c: KubeSchedulerConfiguration = match args::decode(&yaml::to_json(node), "") {
        Ok(c) => c,
        Err(e) => return (None, vec![error(&e.path, e.message)]),
    };
    let mut errors: Vec<ConfigError> = Vec::new();
    if !c.extenders.is_empty() {
        errors.push(ConfigError {
            path: "extenders".into(),
            message: "scheduler extenders (HTTP webhooks) are not simulated; they are ignored"
                .into(),
            severity: Severity::NotSimulated,
        });
    }
    // SetDefaults_KubeSchedulerConfiguration.
    if c.profiles.is_empty() {
        c.profiles.push(KubeSchedulerProfile::default());
    }
    let single = c.profiles.len() == 1;
    let names: Vec<String> = c
        .profiles
        .iter()
        .map(|p| match (&p.scheduler_name, single) {
            (Some(n), _) => n.clone(),
            (None, true) => crate::api::defaults::DEFAULT_SCHEDULER_NAME.to_string(),
            (None, false) => String::new(),
        })
        .collect();
    let merged: Vec<_> = c
        .profiles
        .iter()
        .enumerate()
        .map(|(i, p)| merge_plugins(p.plugins.as_ref(), &format!("profiles[{i}].plugins")))
        .collect();
    let mut profile_args = Vec::new();
    for (i, p) in c.profiles.iter().enumerate() {
        let (a, errs) = args::resolve_plugin_config(&p.plugin_config, &format!("profiles[{i}]"));
        errors.extend(errs.into_iter().map(|e| ConfigError {
            path: e.path,
            message: e.message,
            severity: if e.not_simulated {
                Severity::NotSimulated
            } else {
                Severity::Error
            },
        }));
        profile_args.push(a);
    }
    errors.extend(
        validation::validate(&c, &names, &merged)
            .into_iter()
            .map(ConfigError::from),
    );
    if errors.iter().any(|e| e.severity == Severity::Error) {
        return (None, errors);
    }
    // frameworkImpl construction: expand each extension point, check the counts.
    let global_pct = c.percentage_of_nodes_to_score;
    let mut profiles = Vec::new();
    for (i, (p, a)) in c.profiles.iter().zip(profile_args).enumerate() {
        let mut plugins = BTreeMap::new();
        let mut failed = false;
        for point in ExtensionPoint::ALL {
            match expand(point, &merged[i], registry) {
                Ok(list) => {
                    plugins.insert(point, list);
                }
                Err(e) => {
                    let path = e.path.unwrap_or_else(|| format!("profiles[{i}].plugins"));
                    errors.push(error(&path, e.message));
                    failed = true;
                    break;
                }
            }
        }
        if failed {
            continue;
        }
        let count = |point| plugins.get(&point).map_or(0, Vec::len);
        let name = &names[i];
        if count(ExtensionPoint::QueueSort) != 1 {
            errors.push(error(
                &format!("profiles[{i}].plugins.queueSort"),
                format!(
                    "only one queue sort plugin required for profile with scheduler name {name:?}, but got {}",
                    count(ExtensionPoint::QueueSort)
                ),
            ));
        }
        if count(ExtensionPoint::Bind) == 0 {
            errors.push(error(
                &format!("profiles[{i}].plugins.bind"),
                format!(
                    "at least one bind plugin is needed for profile with scheduler name {name:?}"
                ),
            ));
        }
        if !plugins
            .get(&ExtensionPoint::PreEnqueue)
            .is_some_and(|l| l.iter().any(|n| n == "SchedulingGates"))
        {
            errors.push(ConfigError {
                path: format!("profiles[{i}].plugins"),
                message: "running without the SchedulingGates plugin is not simulated: pods with scheduling gates still wait".into(),
                severity: Severity::NotSimulated,
            });
        }
        let weights = plugins
            .get(&ExtensionPoint::Score)
            .into_iter()
            .flatten()
            .map(|n| (n.clone(), score_weight(n, &merged[i], registry)))
            .collect();
        profiles.push(ProfileConfig {
            scheduler_name: name.clone(),
            percentage_of_nodes_to_score: p
                .percentage_of_nodes_to_score
                .or(global_pct)
                .map(|v| v.max(0) as u32),
            plugins,
            weights,
            args: a,
        });
    }
    if errors.iter().any(|e| e.severity == Severity::Error) {
        return (None, errors);
    }
    let secs = |s: i64| SimDuration::from_secs(s.max(0) as u64);
    let config = SchedulerConfig {
        profiles,
        pod_initial_backoff: secs(c.pod_initial_backoff_seconds.unwrap_or(1)),
        pod_max_backoff: secs(c.pod_max_backoff_seconds.unwrap_or(10)),
    };
    (Some(config), errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        match parse("sched.yaml", text, &Registry::in_tree()) {
            Ok(_) => Vec::new(),
            Err(d) => d.iter().map(ToString::to_string).collect(),
        }
    }

    fn config(text: &str) -> SchedulerConfig {
        parse("sched.yaml", text, &Registry::in_tree()).expect("valid")
    }

    const HEAD: &str =
        "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n";

    #[test]
    fn empty_config_is_the_default_profile() {
        let c = config(HEAD);
        assert_eq!(c.profiles.len(), 1);
        let p = &c.profiles[0];
        assert_eq!(p.scheduler_name, "default-scheduler");
        let built = &c.build_profiles(&Registry::in_tree())[0];
        let default = Profile::default_profile();
        assert_eq!(
            built.filter_names().collect::<Vec<_>>(),
            default.filter_names().collect::<Vec<_>>()
        );
        assert_eq!(
            built.score_names().collect::<Vec<_>>(),
            default.score_names().collect::<Vec<_>>()
        );
        assert!(built.post_filter_names().eq(["DefaultPreemption"]));
        assert_eq!(c.pod_initial_backoff, SimDuration::from_secs(1));
        assert_eq!(c.pod_max_backoff, SimDuration::from_secs(10));
    }

    #[test]
    fn errors_are_located_with_upstream_messages() {
        let text = format!(
            "{HEAD}profiles:
- schedulerName: a
  plugins:
    filter:
      enabled:
      - name: NoSuchPlugin
- schedulerName: a
"
        );
        assert_eq!(
            errors(&text),
            [
                "sched.yaml:9:18: profiles[1].schedulerName: Duplicate value: profiles[0].schedulerName (see the KubeSchedulerConfiguration reference (kubescheduler.config.k8s.io/v1) and docs/scenario-format.md)"
            ]
        );
        let text = format!(
            "{HEAD}profiles:
- plugins:
    filter:
      enabled:
      - name: NoSuchPlugin
"
        );
        let e = errors(&text);
        assert!(
            e[0].starts_with("sched.yaml:7:9: FilterPlugin \"NoSuchPlugin\" does not exist"),
            "{e:?}"
        );
        let text = format!(
            "{HEAD}profiles:
- plugins:
    score:
      enabled:
      - name: ImageLocality
        weight: 3000000000
"
        );
        let e = errors(&text);
        assert!(
            e[0].starts_with("sched.yaml:8:17: profiles[0].plugins.score.enabled[0].weight: invalid value: integer `3000000000`, expected i32"),
            "{e:?}"
        );
        let text = format!("{HEAD}profiles:\n- schedulerName: x\n  plugin: {{}}\n");
        let e = errors(&text);
        assert!(
            e[0].starts_with(
                "sched.yaml:5:3: strict decoding error: unknown field \"profiles[0].plugin\""
            ),
            "{e:?}"
        );
        let text = format!(
            "{HEAD}podInitialBackoffSeconds: 5\npodMaxBackoffSeconds: 2\npercentageOfNodesToScore: 101\n"
        );
        let e = errors(&text);
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].starts_with("sched.yaml:5:27: percentageOfNodesToScore: Invalid value: 101: not in valid range [0-100]"), "{e:?}");
        assert!(e[1].starts_with("sched.yaml:4:23: podMaxBackoffSeconds: Invalid value: 2: must be greater than or equal to PodInitialBackoffSeconds"), "{e:?}");
        let e = errors(
            "apiVersion: kubescheduler.config.k8s.io/v1beta3\nkind: KubeSchedulerConfiguration\n",
        );
        assert!(e[0].contains("no kind \"KubeSchedulerConfiguration\" is registered for version \"kubescheduler.config.k8s.io/v1beta3\""), "{e:?}");
    }

    #[test]
    fn profiles_weights_and_args() {
        let text = format!(
            "{HEAD}percentageOfNodesToScore: 30
podInitialBackoffSeconds: 2
podMaxBackoffSeconds: 20
profiles:
- schedulerName: default-scheduler
- schedulerName: packer
  percentageOfNodesToScore: 60
  plugins:
    multiPoint:
      disabled:
      - name: DefaultPreemption
    score:
      disabled:
      - name: '*'
      enabled:
      - name: NodeResourcesFit
        weight: 4
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: RequestedToCapacityRatio
        requestedToCapacityRatio:
          shape:
          - {{utilization: 0, score: 0}}
          - {{utilization: 100, score: 10}}
"
        );
        let c = config(&text);
        assert_eq!(c.pod_initial_backoff, SimDuration::from_secs(2));
        assert_eq!(c.profiles[0].percentage_of_nodes_to_score, Some(30));
        let p = &c.profiles[1];
        assert_eq!(p.percentage_of_nodes_to_score, Some(60));
        assert_eq!(p.plugins(ExtensionPoint::Score), ["NodeResourcesFit"]);
        assert_eq!(p.weights["NodeResourcesFit"], 4);
        assert!(p.plugins(ExtensionPoint::PostFilter).is_empty());
        assert_eq!(
            p.args.fit.strategy,
            crate::scheduler::plugins::ScoringStrategy::RequestedToCapacityRatio(vec![
                (0, 0),
                (100, 10)
            ])
        );
        let built = c.build_profiles(&Registry::in_tree());
        assert_eq!(built[1].scheduler_name, "packer");
        assert_eq!(built[1].post_filter_names().count(), 0);
        assert_eq!(
            built[1].score_names().collect::<Vec<_>>(),
            [("NodeResourcesFit", 4)]
        );
    }
}
