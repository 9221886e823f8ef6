//! Behaviour models: what a simulated container does, since nothing really runs.
//!
//! A scenario declares behaviours (matched by image, container name or pod labels, or named by a
//! pod annotation); each container of a pod resolves to one `ContainerBehaviour` whose durations
//! are fixed or drawn from the pod's own seeded stream.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::distribution::DurationDist;
use crate::quantity::Quantity;
use crate::time::SimDuration;

/// What a container does after SIGTERM.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SigtermBehaviour {
    /// Ignore SIGTERM (e.g. `sleep` running as PID 1): only SIGKILL at the end of the grace
    /// period stops the container (exit code 137).
    #[serde(default)]
    pub ignore: bool,
    /// Time from SIGTERM to exit. Default 0s.
    #[serde(default)]
    pub exit_after: Option<DurationDist>,
    /// Exit code when the container exits on SIGTERM. Default 143 (128 + SIGTERM: the default
    /// signal action); an application that handles SIGTERM and exits cleanly uses 0.
    #[serde(default)]
    pub exit_code: Option<i32>,
}

/// A memory-use step: from `after` (since container start) on, the container uses `usage`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MemoryStep {
    pub after: SimDuration,
    pub usage: Quantity,
}

/// A behaviour as written in a scenario or an annotation. Every field is optional; unset fields
/// take the defaults of a long-running server that starts at once and stops on SIGTERM.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BehaviourSpec {
    /// Time from container start until the process is up: a startup probe succeeds from then on.
    pub startup: Option<DurationDist>,
    /// Run time, after which the process exits with `exitCode` (a batch job). Unset: runs until
    /// stopped.
    pub run: Option<DurationDist>,
    /// Exit code after `run` (default 0).
    pub exit_code: Option<i32>,
    /// Shorthand for `run` + `exitCode: 1`: the process crashes after this time.
    pub crash_after: Option<DurationDist>,
    /// Readiness probes succeed from this time after start (default: from `startup`).
    pub ready_after: Option<DurationDist>,
    /// Liveness probes fail from this time after start (default: never).
    pub liveness_fails_after: Option<DurationDist>,
    /// Memory use over time since start; passing `limits.memory` is an OOM kill.
    #[serde(default)]
    pub memory: Vec<MemoryStep>,
    /// Reaction to SIGTERM.
    pub sigterm: Option<SigtermBehaviour>,
    /// How long the container's preStop hook runs, when it has one (default: an exec/http hook
    /// takes 0s; a `sleep` hook takes its own seconds).
    pub pre_stop: Option<DurationDist>,
}

/// How a behaviour picks its containers. All given criteria must match.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BehaviourMatch {
    /// Image reference; `*` matches any run of characters (`nginx*`, `*/busybox:*`).
    pub image: Option<String>,
    /// Container name (exact).
    pub container: Option<String>,
    /// Pod labels that must all be present with these values.
    #[serde(default)]
    pub pod_labels: BTreeMap<String, String>,
}

/// A named behaviour rule of a scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BehaviourRule {
    pub name: String,
    #[serde(default, rename = "match")]
    pub match_: Option<BehaviourMatch>,
    #[serde(flatten)]
    pub spec: BehaviourSpec,
}

/// Annotation naming a behaviour rule for every container of a pod.
pub const BEHAVIOUR_ANNOTATION: &str = "kubesim.io/behaviour";
/// Prefix of the per-container annotation: `kubesim.io/behaviour.<container>`; its value is a
/// rule name or an inline flow map such as `{run: 30s, exitCode: 1}`.
pub const BEHAVIOUR_ANNOTATION_PREFIX: &str = "kubesim.io/behaviour.";

/// Glob match with `*` only; no other metacharacters, so image names need no escaping.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let mut rest = text;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            let Some(pos) = rest.find(part) else {
                return false;
            };
            rest = &rest[pos + part.len()..];
        }
    }
    true
}

impl BehaviourMatch {
    pub fn matches(&self, image: &str, container: &str, labels: &BTreeMap<String, String>) -> bool {
        self.image.as_deref().is_none_or(|p| glob_match(p, image))
            && self.container.as_deref().is_none_or(|c| c == container)
            && self
                .pod_labels
                .iter()
                .all(|(k, v)| labels.get(k) == Some(v))
    }
}

/// A behaviour with its defaults applied; sampled per container instance.
#[derive(Clone, Debug, PartialEq)]
pub struct ContainerBehaviour {
    pub source: String,
    pub startup: DurationDist,
    /// `(run time, exit code)`; None runs until stopped.
    pub run: Option<(DurationDist, i32)>,
    pub ready_after: Option<DurationDist>,
    pub liveness_fails_after: Option<DurationDist>,
    pub memory: Vec<MemoryStep>,
    pub sigterm_ignored: bool,
    pub sigterm_exit_after: DurationDist,
    pub sigterm_exit_code: i32,
    pub pre_stop: Option<DurationDist>,
}

impl Default for ContainerBehaviour {
    fn default() -> Self {
        ContainerBehaviour::resolve("default", &BehaviourSpec::default())
    }
}

impl ContainerBehaviour {
    pub fn resolve(source: &str, spec: &BehaviourSpec) -> Self {
        let run = match (&spec.crash_after, &spec.run) {
            (Some(c), _) => Some((c.clone(), spec.exit_code.unwrap_or(1))),
            (None, Some(r)) => Some((r.clone(), spec.exit_code.unwrap_or(0))),
            (None, None) => None,
        };
        let sigterm = spec.sigterm.clone().unwrap_or(SigtermBehaviour {
            ignore: false,
            exit_after: None,
            exit_code: None,
        });
        ContainerBehaviour {
            source: source.to_string(),
            startup: spec
                .startup
                .clone()
                .unwrap_or(DurationDist::Fixed(SimDuration::ZERO)),
            run,
            ready_after: spec.ready_after.clone(),
            liveness_fails_after: spec.liveness_fails_after.clone(),
            memory: spec.memory.clone(),
            sigterm_ignored: sigterm.ignore,
            sigterm_exit_after: sigterm
                .exit_after
                .unwrap_or(DurationDist::Fixed(SimDuration::ZERO)),
            sigterm_exit_code: sigterm.exit_code.unwrap_or(143),
            pre_stop: spec.pre_stop.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob() {
        assert!(glob_match("nginx*", "nginx:1.27"));
        assert!(glob_match("*busybox*", "registry.k8s.io/busybox:1.36"));
        assert!(glob_match("nginx", "nginx"));
        assert!(!glob_match("nginx", "nginx:1"));
        assert!(!glob_match("*:latest", "nginx:1.27"));
        assert!(glob_match("*", ""));
    }
}
