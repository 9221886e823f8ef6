//! Plugin args: strict decoding of `pluginConfig[].args`, upstream's defaulting
//! (apis/config/v1/defaults.go SetDefaults_*Args) and validation
//! (apis/config/validation/validation_pluginargs.go), resolved into what the plugins take.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;

use crate::api::validation::{FieldError, FieldErrorKind, is_qualified_name};
use crate::api::{TopologySpreadConstraint, UnsatisfiableConstraintAction};
use crate::scheduler::plugins::ScoringStrategy;
use crate::scheduler::plugins::node_resources_fit::{ResourceKey, ResourceSpec, default_resources};
use crate::scheduler::plugins::pod_topology_spread::system_default_constraints;

use super::types::{self, PluginConfig, UtilizationShapePoint};

/// NodeResourcesFitArgs as the plugin uses them.
#[derive(Clone, Debug, PartialEq)]
pub struct FitArgs {
    pub strategy: ScoringStrategy,
    pub resources: Vec<ResourceSpec>,
}

/// PodTopologySpreadArgs: `defaultingType: System` uses the system defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct TopologySpreadArgs {
    pub default_constraints: Vec<TopologySpreadConstraint>,
    pub system_defaulted: bool,
}

impl TopologySpreadArgs {
    /// The defaults Filter sees: the system defaults are all ScheduleAnyway, so none.
    pub fn filter_defaults(&self) -> Vec<TopologySpreadConstraint> {
        if self.system_defaulted {
            Vec::new()
        } else {
            self.default_constraints.clone()
        }
    }

    pub fn score_defaults(&self) -> Vec<TopologySpreadConstraint> {
        if self.system_defaulted {
            system_default_constraints()
        } else {
            self.default_constraints.clone()
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct InterPodAffinityArgs {
    pub hard_pod_affinity_weight: i64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeAffinityArgs {
    pub added_affinity: Option<crate::api::NodeAffinity>,
}

/// DefaultPreemptionArgs (used by the PostFilter plugin).
#[derive(Clone, Debug, PartialEq)]
pub struct DefaultPreemptionArgs {
    pub min_candidate_nodes_percentage: i32,
    pub min_candidate_nodes_absolute: i32,
}

/// One profile's plugin args after defaulting: the in-tree plugins' typed args, and every
/// `args` as written (for out-of-tree plugins, keyed by plugin name).
#[derive(Clone, Debug, PartialEq)]
pub struct PluginArgs {
    pub fit: FitArgs,
    pub topology_spread: TopologySpreadArgs,
    pub inter_pod_affinity: InterPodAffinityArgs,
    pub node_affinity: NodeAffinityArgs,
    pub balanced_allocation: Vec<ResourceSpec>,
    pub default_preemption: DefaultPreemptionArgs,
    pub raw: BTreeMap<String, serde_json::Value>,
}

impl Default for PluginArgs {
    fn default() -> Self {
        PluginArgs {
            fit: FitArgs {
                strategy: ScoringStrategy::LeastAllocated,
                resources: default_resources(),
            },
            topology_spread: TopologySpreadArgs {
                default_constraints: Vec::new(),
                system_defaulted: true,
            },
            inter_pod_affinity: InterPodAffinityArgs {
                hard_pod_affinity_weight: 1,
            },
            node_affinity: NodeAffinityArgs::default(),
            balanced_allocation: default_resources(),
            default_preemption: DefaultPreemptionArgs {
                min_candidate_nodes_percentage: 10,
                min_candidate_nodes_absolute: 100,
            },
            raw: BTreeMap::new(),
        }
    }
}

impl PluginArgs {
    /// The args written for an out-of-tree plugin, if any.
    pub fn raw(&self, plugin: &str) -> Option<&serde_json::Value> {
        self.raw.get(plugin)
    }
}

/// A problem with the args, at a field path of the configuration file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgsError {
    pub path: String,
    pub message: String,
    /// Valid, but kubesim does not simulate it (a note, not an error).
    pub not_simulated: bool,
}

fn field(path: &str, kind: FieldErrorKind, value: Option<String>, detail: &str) -> ArgsError {
    let e = FieldError {
        path: path.to_string(),
        kind,
        value,
        detail: detail.to_string(),
    };
    ArgsError {
        path: path.to_string(),
        message: e.to_string(),
        not_simulated: false,
    }
}

fn quote(s: &str) -> String {
    format!("{s:?}")
}

/// Strict decoding of one `args` object into `T`; an unknown field is reported at its path.
pub fn decode<T: DeserializeOwned>(value: &serde_json::Value, path: &str) -> Result<T, ArgsError> {
    serde_path_to_error::deserialize::<_, T>(value.clone()).map_err(|e| {
        let inner = e.inner().to_string();
        let sub = e.path().to_string();
        let full = match (path.is_empty(), sub == ".") {
            (_, true) => path.to_string(),
            (true, false) => sub,
            (false, false) => format!("{path}.{sub}"),
        };
        match inner
            .strip_prefix("unknown field `")
            .and_then(|r| r.split('`').next())
        {
            Some(_) => ArgsError {
                message: format!("strict decoding error: unknown field {full:?}"),
                path: full,
                not_simulated: false,
            },
            None => ArgsError {
                message: format!("{full}: {inner}"),
                path: full,
                not_simulated: false,
            },
        }
    })
}

fn resource_specs(specs: &[types::ResourceSpec]) -> Vec<ResourceSpec> {
    specs
        .iter()
        .map(|r| ResourceSpec {
            key: ResourceKey::from_name(&r.name),
            weight: r.weight,
        })
        .collect()
}

/// SetDefaults for a resource list: empty means cpu and memory; weight 0 means 1.
fn default_resource_list(specs: &mut Vec<types::ResourceSpec>) {
    if specs.is_empty() {
        for name in ["cpu", "memory"] {
            specs.push(types::ResourceSpec {
                name: name.to_string(),
                weight: 1,
            });
        }
    }
    for r in specs.iter_mut() {
        if r.weight == 0 {
            r.weight = 1;
        }
    }
}

/// validateFunctionShape.
fn validate_shape(shape: &[UtilizationShapePoint], path: &str, errs: &mut Vec<ArgsError>) {
    if shape.is_empty() {
        errs.push(field(
            path,
            FieldErrorKind::Required,
            None,
            "at least one point must be specified",
        ));
        return;
    }
    for i in 1..shape.len() {
        if shape[i - 1].utilization >= shape[i].utilization {
            errs.push(field(
                &format!("{path}[{i}].utilization"),
                FieldErrorKind::Invalid,
                Some(shape[i].utilization.to_string()),
                "values must be sorted in increasing order",
            ));
            break;
        }
    }
    for (i, p) in shape.iter().enumerate() {
        if !(0..=100).contains(&p.utilization) {
            errs.push(field(
                &format!("{path}[{i}].utilization"),
                FieldErrorKind::Invalid,
                Some(p.utilization.to_string()),
                "not in valid range [0, 100]",
            ));
        }
        if !(0..=10).contains(&p.score) {
            errs.push(field(
                &format!("{path}[{i}].score"),
                FieldErrorKind::Invalid,
                Some(p.score.to_string()),
                "not in valid range [0, 10]",
            ));
        }
    }
}

fn validate_label_names(names: &[String], path: &str, errs: &mut Vec<ArgsError>) {
    for (i, name) in names.iter().enumerate() {
        for m in is_qualified_name(name) {
            errs.push(field(
                &format!("{path}[{i}]"),
                FieldErrorKind::Invalid,
                Some(quote(name)),
                &m,
            ));
        }
    }
}

/// NodeResourcesFitArgs: defaults, ValidateNodeResourcesFitArgs, then the plugin's view.
fn fit_args(mut a: types::NodeResourcesFitArgs, path: &str, errs: &mut Vec<ArgsError>) -> FitArgs {
    validate_label_names(
        &a.ignored_resources,
        &format!("{path}.ignoredResources"),
        errs,
    );
    if !a.ignored_resources.is_empty() || !a.ignored_resource_groups.is_empty() {
        errs.push(ArgsError {
            path: format!("{path}.ignoredResources"),
            message: "NodeResourcesFit ignoredResources/ignoredResourceGroups: accepted, not simulated (every resource is checked)".into(),
            not_simulated: true,
        });
    }
    for (i, g) in a.ignored_resource_groups.iter().enumerate() {
        let p = format!("{path}.ignoredResourceGroups[{i}]");
        if g.contains('/') {
            errs.push(field(
                &p,
                FieldErrorKind::Invalid,
                Some(quote(g)),
                "resource group name can't contain '/'",
            ));
        }
    }
    let mut s = a.scoring_strategy.take().unwrap_or(types::ScoringStrategy {
        type_: "LeastAllocated".to_string(),
        resources: Vec::new(),
        requested_to_capacity_ratio: None,
    });
    default_resource_list(&mut s.resources);
    let sp = format!("{path}.scoringStrategy");
    const TYPES: [&str; 3] = [
        "LeastAllocated",
        "MostAllocated",
        "RequestedToCapacityRatio",
    ];
    if !TYPES.contains(&s.type_.as_str()) {
        let supported: Vec<String> = TYPES.iter().map(|t| quote(t)).collect();
        errs.push(field(
            &format!("{sp}.type"),
            FieldErrorKind::NotSupported,
            Some(quote(&s.type_)),
            &format!("supported values: {}", supported.join(", ")),
        ));
    }
    for (i, r) in s.resources.iter().enumerate() {
        if r.weight <= 0 || r.weight > 100 {
            errs.push(field(
                &format!("{sp}.resources[{i}].weight"),
                FieldErrorKind::Invalid,
                Some(r.weight.to_string()),
                &format!("resource weight of {} not in valid range (0, 100]", r.name),
            ));
        }
    }
    let strategy = match (s.type_.as_str(), &s.requested_to_capacity_ratio) {
        ("RequestedToCapacityRatio", None) => {
            errs.push(field(
                &format!("{sp}.requestedToCapacityRatio"),
                FieldErrorKind::Required,
                None,
                "must be specified when type is RequestedToCapacityRatio",
            ));
            ScoringStrategy::LeastAllocated
        }
        ("RequestedToCapacityRatio", Some(r)) => {
            validate_shape(
                &r.shape,
                &format!("{sp}.requestedToCapacityRatio.shape"),
                errs,
            );
            ScoringStrategy::RequestedToCapacityRatio(
                r.shape
                    .iter()
                    .map(|p| (i64::from(p.utilization), i64::from(p.score)))
                    .collect(),
            )
        }
        (_, Some(_)) => {
            errs.push(field(
                &format!("{sp}.requestedToCapacityRatio"),
                FieldErrorKind::Forbidden,
                None,
                "must be nil when type is not RequestedToCapacityRatio",
            ));
            ScoringStrategy::LeastAllocated
        }
        ("MostAllocated", None) => ScoringStrategy::MostAllocated,
        _ => ScoringStrategy::LeastAllocated,
    };
    FitArgs {
        strategy,
        resources: resource_specs(&s.resources),
    }
}

/// PodTopologySpreadArgs: defaultingType defaults to System; ValidatePodTopologySpreadArgs.
fn topology_spread_args(
    a: types::PodTopologySpreadArgs,
    path: &str,
    errs: &mut Vec<ArgsError>,
) -> TopologySpreadArgs {
    let defaulting = if a.defaulting_type.is_empty() {
        "System"
    } else {
        a.defaulting_type.as_str()
    };
    let dp = format!("{path}.defaultingType");
    if defaulting != "System" && defaulting != "List" {
        errs.push(field(
            &dp,
            FieldErrorKind::NotSupported,
            Some(quote(defaulting)),
            "supported values: \"System\", \"List\"",
        ));
    } else if defaulting == "System" && !a.default_constraints.is_empty() {
        errs.push(field(
            &dp,
            FieldErrorKind::Invalid,
            Some(quote(defaulting)),
            "when .defaultConstraints are not empty",
        ));
    }
    let cp = format!("{path}.defaultConstraints");
    for (i, c) in a.default_constraints.iter().enumerate() {
        let p = format!("{cp}[{i}]");
        if c.max_skew <= 0 {
            errs.push(field(
                &format!("{p}.maxSkew"),
                FieldErrorKind::Invalid,
                Some(c.max_skew.to_string()),
                "not in valid range (0, inf)",
            ));
        }
        if c.topology_key.is_empty() {
            errs.push(field(
                &format!("{p}.topologyKey"),
                FieldErrorKind::Required,
                None,
                "can not be empty",
            ));
        } else {
            for m in is_qualified_name(&c.topology_key) {
                errs.push(field(
                    &format!("{p}.topologyKey"),
                    FieldErrorKind::Invalid,
                    Some(quote(&c.topology_key)),
                    &m,
                ));
            }
        }
        match &c.when_unsatisfiable {
            None => errs.push(field(
                &format!("{p}.whenUnsatisfiable"),
                FieldErrorKind::Required,
                None,
                "can not be empty",
            )),
            Some(w) if !w.is_known() => errs.push(field(
                &format!("{p}.whenUnsatisfiable"),
                FieldErrorKind::NotSupported,
                Some(quote(w.as_str())),
                "supported values: \"DoNotSchedule\", \"ScheduleAnyway\"",
            )),
            Some(_) => {}
        }
        if c.label_selector.is_some() {
            errs.push(field(
                &format!("{p}.labelSelector"),
                FieldErrorKind::Forbidden,
                None,
                "constraint must not define a selector, as they deduced for each pod",
            ));
        }
        if a.default_constraints[..i].iter().any(|o| {
            o.topology_key == c.topology_key && o.when_unsatisfiable == c.when_unsatisfiable
        }) {
            let action = c
                .when_unsatisfiable
                .as_ref()
                .map_or("", UnsatisfiableConstraintAction::as_str);
            errs.push(field(
                &p,
                FieldErrorKind::Duplicate,
                Some(quote(&format!("{{{}, {action}}}", c.topology_key))),
                "",
            ));
        }
    }
    TopologySpreadArgs {
        system_defaulted: defaulting == "System",
        default_constraints: a.default_constraints,
    }
}

fn range_error(path: &str, v: i64, range: &str) -> ArgsError {
    field(
        path,
        FieldErrorKind::Invalid,
        Some(v.to_string()),
        &format!("not in valid range {range}"),
    )
}

/// Decodes, defaults and validates every `pluginConfig` entry of one profile (at `path`, e.g.
/// `profiles[0]`), reporting duplicates and invalid names as validatePluginConfig does.
pub fn resolve_plugin_config(configs: &[PluginConfig], path: &str) -> (PluginArgs, Vec<ArgsError>) {
    let mut args = PluginArgs::default();
    let mut errs = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (i, pc) in configs.iter().enumerate() {
        let p = format!("{path}.pluginConfig[{i}]");
        if seen.contains(&pc.name.as_str()) {
            errs.push(field(
                &p,
                FieldErrorKind::Duplicate,
                Some(quote(&pc.name)),
                "",
            ));
            continue;
        }
        seen.push(&pc.name);
        if let Some(version) = super::validation::invalid_plugin(&pc.name) {
            errs.push(field(
                &p,
                FieldErrorKind::Invalid,
                Some(quote(&pc.name)),
                &version,
            ));
            continue;
        }
        let value = pc
            .args
            .clone()
            .unwrap_or(serde_json::Value::Object(Default::default()));
        let ap = format!("{p}.args");
        if let Err(e) = resolve_one(&pc.name, &value, &ap, &mut args, &mut errs) {
            errs.push(e);
        }
        args.raw.insert(pc.name.clone(), value);
    }
    (args, errs)
}

fn resolve_one(
    name: &str,
    value: &serde_json::Value,
    ap: &str,
    args: &mut PluginArgs,
    errs: &mut Vec<ArgsError>,
) -> Result<(), ArgsError> {
    match name {
        "NodeResourcesFit" => args.fit = fit_args(decode(value, ap)?, ap, errs),
        "PodTopologySpread" => {
            args.topology_spread = topology_spread_args(decode(value, ap)?, ap, errs);
        }
        "InterPodAffinity" => {
            let a: types::InterPodAffinityArgs = decode(value, ap)?;
            let w = a.hard_pod_affinity_weight.unwrap_or(1);
            if !(0..=100).contains(&w) {
                errs.push(range_error(
                    &format!("{ap}.hardPodAffinityWeight"),
                    i64::from(w),
                    "[0, 100]",
                ));
            }
            if a.ignore_preferred_terms_of_existing_pods {
                errs.push(ArgsError {
                    path: format!("{ap}.ignorePreferredTermsOfExistingPods"),
                    message: "InterPodAffinity ignorePreferredTermsOfExistingPods: accepted, not simulated (existing pods' preferred terms still count)".into(),
                    not_simulated: true,
                });
            }
            args.inter_pod_affinity.hard_pod_affinity_weight = i64::from(w);
        }
        "NodeAffinity" => {
            let a: types::NodeAffinityArgs = decode(value, ap)?;
            args.node_affinity.added_affinity = a.added_affinity;
        }
        "NodeResourcesBalancedAllocation" => {
            let mut a: types::NodeResourcesBalancedAllocationArgs = decode(value, ap)?;
            default_resource_list(&mut a.resources);
            for (i, r) in a.resources.iter().enumerate() {
                let p = format!("{ap}.resources[{i}]");
                if a.resources[..i].iter().any(|o| o.name == r.name) {
                    errs.push(field(
                        &format!("{p}.name"),
                        FieldErrorKind::Duplicate,
                        Some(quote(&r.name)),
                        "",
                    ));
                }
                if r.weight != 1 {
                    errs.push(field(
                        &format!("{p}.weight"),
                        FieldErrorKind::Invalid,
                        Some(r.weight.to_string()),
                        "must be 1",
                    ));
                }
            }
            args.balanced_allocation = resource_specs(&a.resources);
        }
        "DefaultPreemption" => {
            let a: types::DefaultPreemptionArgs = decode(value, ap)?;
            let pct = a.min_candidate_nodes_percentage.unwrap_or(10);
            let abs = a.min_candidate_nodes_absolute.unwrap_or(100);
            let pp = format!("{ap}.minCandidateNodesPercentage");
            let bp = format!("{ap}.minCandidateNodesAbsolute");
            if !(0..=100).contains(&pct) {
                errs.push(range_error(&pp, i64::from(pct), "[0, 100]"));
            }
            if abs < 0 {
                errs.push(range_error(&bp, i64::from(abs), "[0, inf)"));
            }
            if pct == 0 && abs == 0 {
                errs.push(field(
                    &pp,
                    FieldErrorKind::Invalid,
                    Some("0".into()),
                    "cannot be zero at the same time as minCandidateNodesAbsolute",
                ));
                errs.push(field(
                    &bp,
                    FieldErrorKind::Invalid,
                    Some("0".into()),
                    "cannot be zero at the same time as minCandidateNodesPercentage",
                ));
            }
            args.default_preemption = DefaultPreemptionArgs {
                min_candidate_nodes_percentage: pct,
                min_candidate_nodes_absolute: abs,
            };
        }
        "VolumeBinding" => {
            let a: types::VolumeBindingArgs = decode(value, ap)?;
            if let Some(t) = a.bind_timeout_seconds
                && t < 0
            {
                errs.push(field(
                    &format!("{ap}.bindTimeoutSeconds"),
                    FieldErrorKind::Invalid,
                    Some(t.to_string()),
                    "invalid BindTimeoutSeconds, should not be a negative value",
                ));
            }
            if a.shape.is_some() {
                errs.push(field(
                    &format!("{ap}.shape"),
                    FieldErrorKind::Invalid,
                    None,
                    "unexpected field `shape`, remove it or turn on the feature gate StorageCapacityScoring",
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn messages(name: &str, args: serde_json::Value) -> Vec<String> {
        let pc = PluginConfig {
            name: name.to_string(),
            args: Some(args),
        };
        resolve_plugin_config(&[pc], "profiles[0]")
            .1
            .into_iter()
            .map(|e| e.message)
            .collect()
    }

    /// validation_pluginargs_test.go TestValidateNodeResourcesFitArgs.
    #[test]
    fn node_resources_fit_args() {
        let p = "profiles[0].pluginConfig[0].args";
        assert_eq!(
            messages(
                "NodeResourcesFit",
                json!({"scoringStrategy": {"type": "Invalid"}})
            ),
            [format!(
                "{p}.scoringStrategy.type: Unsupported value: \"Invalid\": supported values: \"LeastAllocated\", \"MostAllocated\", \"RequestedToCapacityRatio\""
            )]
        );
        assert_eq!(
            messages(
                "NodeResourcesFit",
                json!({"scoringStrategy": {"type": "MostAllocated", "resources": [{"name": "cpu", "weight": 101}]}})
            ),
            [format!(
                "{p}.scoringStrategy.resources[0].weight: Invalid value: 101: resource weight of cpu not in valid range (0, 100]"
            )]
        );
        assert_eq!(
            messages(
                "NodeResourcesFit",
                json!({"scoringStrategy": {"type": "RequestedToCapacityRatio"}})
            ),
            [format!(
                "{p}.scoringStrategy.requestedToCapacityRatio: Required value: must be specified when type is RequestedToCapacityRatio"
            )]
        );
        assert_eq!(
            messages(
                "NodeResourcesFit",
                json!({"scoringStrategy": {"type": "RequestedToCapacityRatio",
                    "requestedToCapacityRatio": {"shape": [{"utilization": 10, "score": 1}, {"utilization": 5, "score": 11}]}}})
            ),
            [
                format!(
                    "{p}.scoringStrategy.requestedToCapacityRatio.shape[1].utilization: Invalid value: 5: values must be sorted in increasing order"
                ),
                format!(
                    "{p}.scoringStrategy.requestedToCapacityRatio.shape[1].score: Invalid value: 11: not in valid range [0, 10]"
                ),
            ]
        );
        assert_eq!(
            messages("NodeResourcesFit", json!({"scoringStrategy": {"typo": 1}})),
            [format!(
                "strict decoding error: unknown field \"{p}.scoringStrategy.typo\""
            )]
        );
    }

    #[test]
    fn node_resources_fit_args_resolve() {
        let pc = PluginConfig {
            name: "NodeResourcesFit".into(),
            args: Some(json!({"scoringStrategy": {"type": "MostAllocated",
                "resources": [{"name": "cpu", "weight": 3}, {"name": "nvidia.com/gpu"}]}})),
        };
        let (args, errs) = resolve_plugin_config(&[pc], "profiles[0]");
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(args.fit.strategy, ScoringStrategy::MostAllocated);
        assert_eq!(args.fit.resources[0].weight, 3);
        assert_eq!(
            args.fit.resources[1].key,
            ResourceKey::Scalar("nvidia.com/gpu".into())
        );
        assert_eq!(args.fit.resources[1].weight, 1);
    }

    /// TestValidatePodTopologySpreadArgs and TestValidateInterPodAffinityArgs.
    #[test]
    fn topology_spread_and_inter_pod_affinity_args() {
        let p = "profiles[0].pluginConfig[0].args";
        assert_eq!(
            messages(
                "PodTopologySpread",
                json!({"defaultConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "ScheduleAnyway"}]})
            ),
            [format!(
                "{p}.defaultingType: Invalid value: \"System\": when .defaultConstraints are not empty"
            )]
        );
        assert_eq!(
            messages(
                "PodTopologySpread",
                json!({"defaultingType": "List", "defaultConstraints": [
                    {"maxSkew": 0, "topologyKey": "zone", "whenUnsatisfiable": "ScheduleAnyway"},
                    {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "ScheduleAnyway",
                     "labelSelector": {"matchLabels": {"a": "b"}}}]})
            ),
            [
                format!(
                    "{p}.defaultConstraints[0].maxSkew: Invalid value: 0: not in valid range (0, inf)"
                ),
                format!(
                    "{p}.defaultConstraints[1].labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod"
                ),
                format!("{p}.defaultConstraints[1]: Duplicate value: \"{{zone, ScheduleAnyway}}\""),
            ]
        );
        assert_eq!(
            messages("InterPodAffinity", json!({"hardPodAffinityWeight": 101})),
            [format!(
                "{p}.hardPodAffinityWeight: Invalid value: 101: not in valid range [0, 100]"
            )]
        );
    }

    /// TestValidateNodeResourcesBalancedAllocationArgs, TestValidateDefaultPreemptionArgs.
    #[test]
    fn balanced_allocation_and_preemption_args() {
        let p = "profiles[0].pluginConfig[0].args";
        assert_eq!(
            messages(
                "NodeResourcesBalancedAllocation",
                json!({"resources": [{"name": "cpu", "weight": 2}, {"name": "cpu"}]})
            ),
            [
                format!("{p}.resources[0].weight: Invalid value: 2: must be 1"),
                format!("{p}.resources[1].name: Duplicate value: \"cpu\""),
            ]
        );
        assert_eq!(
            messages(
                "DefaultPreemption",
                json!({"minCandidateNodesPercentage": 0, "minCandidateNodesAbsolute": 0})
            ),
            [
                format!(
                    "{p}.minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute"
                ),
                format!(
                    "{p}.minCandidateNodesAbsolute: Invalid value: 0: cannot be zero at the same time as minCandidateNodesPercentage"
                ),
            ]
        );
    }
}
