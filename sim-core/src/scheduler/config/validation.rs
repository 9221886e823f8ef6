//! ValidateKubeSchedulerConfiguration (pkg/scheduler/apis/config/validation/validation.go) on
//! the defaulted configuration, with upstream's field paths and wording.

use crate::api::validation::{FieldError, FieldErrorKind};

use super::plugin_sets::MergedPlugins;
use super::registry::ExtensionPoint;
use super::types::{API_VERSION, KubeSchedulerConfiguration};

/// invalidPluginsByVersion for v1: removed plugins, with upstream's detail.
pub fn invalid_plugin(name: &str) -> Option<String> {
    const REMOVED: [&str; 4] = [
        "AzureDiskLimits",
        "CinderLimits",
        "EBSLimits",
        "GCEPDLimits",
    ];
    REMOVED.contains(&name).then(|| {
        format!(
            "was invalid in version {API_VERSION:?} (KubeSchedulerConfiguration is version {API_VERSION:?})"
        )
    })
}

fn err(path: &str, kind: FieldErrorKind, value: Option<String>, detail: &str) -> FieldError {
    FieldError {
        path: path.to_string(),
        kind,
        value,
        detail: detail.to_string(),
    }
}

fn percentage(path: &str, v: Option<i32>, errs: &mut Vec<FieldError>) {
    if let Some(v) = v
        && !(0..=100).contains(&v)
    {
        errs.push(err(
            path,
            FieldErrorKind::Invalid,
            Some(v.to_string()),
            "not in valid range [0-100]",
        ));
    }
}

/// The checks on the configuration itself; plugin args are checked where they are decoded
/// (`args`), the plugin sets by the framework (`plugin_sets::expand`).
pub fn validate(
    c: &KubeSchedulerConfiguration,
    names: &[String],
    merged: &[MergedPlugins],
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(p) = c.parallelism
        && p <= 0
    {
        errs.push(err(
            "parallelism",
            FieldErrorKind::Invalid,
            Some(p.to_string()),
            "should be an integer value greater than zero",
        ));
    }
    for (i, profile) in c.profiles.iter().enumerate() {
        let path = format!("profiles[{i}]");
        if names[i].is_empty() {
            errs.push(err(
                &format!("{path}.schedulerName"),
                FieldErrorKind::Required,
                None,
                "",
            ));
        }
        percentage(
            &format!("{path}.percentageOfNodesToScore"),
            profile.percentage_of_nodes_to_score,
            &mut errs,
        );
        // validatePluginSetForInvalidPlugins, on the extension points written by the user.
        for point in ExtensionPoint::ALL {
            for e in &merged[i].set(point).enabled {
                if let (Some(detail), Some(p)) = (invalid_plugin(&e.name), &e.path) {
                    errs.push(err(
                        p,
                        FieldErrorKind::Invalid,
                        Some(format!("{:?}", e.name)),
                        &detail,
                    ));
                }
            }
        }
        if let Some(j) = names[..i].iter().position(|n| *n == names[i]) {
            // Upstream's value is the first profile's field path.
            errs.push(err(
                &format!("{path}.schedulerName"),
                FieldErrorKind::Duplicate,
                Some(format!("profiles[{j}].schedulerName")),
                "",
            ));
        }
    }
    // validateCommonQueueSort: every profile sorts the one queue the same way.
    for i in 1..merged.len() {
        let canon = merged[0].set(ExtensionPoint::QueueSort);
        let curr = merged[i].set(ExtensionPoint::QueueSort);
        let names = |s: &super::plugin_sets::MergedSet| {
            s.enabled.iter().map(|e| e.name.clone()).collect::<Vec<_>>()
        };
        if names(canon) != names(curr) || canon.disabled != curr.disabled {
            errs.push(err(
                &format!("profiles[{i}].plugins.queueSort"),
                FieldErrorKind::Invalid,
                None,
                "must be the same for all profiles",
            ));
        }
    }
    percentage(
        "percentageOfNodesToScore",
        c.percentage_of_nodes_to_score,
        &mut errs,
    );
    let initial = c.pod_initial_backoff_seconds.unwrap_or(1);
    let max = c.pod_max_backoff_seconds.unwrap_or(10);
    if initial <= 0 {
        errs.push(err(
            "podInitialBackoffSeconds",
            FieldErrorKind::Invalid,
            Some(initial.to_string()),
            "must be greater than 0",
        ));
    }
    if max < initial {
        errs.push(err(
            "podMaxBackoffSeconds",
            FieldErrorKind::Invalid,
            Some(max.to_string()),
            "must be greater than or equal to PodInitialBackoffSeconds",
        ));
    }
    errs
}
