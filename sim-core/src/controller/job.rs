//! The Job controller's rules (pkg/controller/job/job_controller.go, backoff_utils.go) and the
//! Job status kubectl prints (printers.go printJob).

use crate::api::{Job, RestartPolicy};
use crate::cluster::{ContainerState, PodPhase, PodRecord};
use crate::time::{SimDuration, SimTime};

pub const SOURCE: &str = "job-controller";
/// DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff.
pub const DEFAULT_BACKOFF: SimDuration = SimDuration::from_secs(10);
pub const MAX_BACKOFF: SimDuration = SimDuration::from_secs(360);

/// getRemainingTimeForFailuresCount: the pod-recreation delay after `failures` failures in a
/// row (10s doubling, capped at 6min), minus the time since the last one.
pub fn backoff_remaining(
    failures: u32,
    last_failure: Option<SimTime>,
    now: SimTime,
    default: SimDuration,
    max: SimDuration,
) -> SimDuration {
    let Some(last) = last_failure.filter(|_| failures > 0) else {
        return SimDuration::ZERO;
    };
    let mut backoff = default;
    for _ in 1..failures {
        backoff = backoff.saturating_mul(2);
        if backoff >= max {
            backoff = max;
            break;
        }
    }
    let elapsed = now.saturating_since(last);
    if backoff < elapsed {
        SimDuration::ZERO
    } else {
        backoff - elapsed
    }
}

/// manageJob's wantActive for a NonIndexed Job.
pub fn want_active(job: &Job, succeeded: i32, active: i32) -> i32 {
    let parallelism = job.spec.parallelism.unwrap_or(1);
    match job.spec.completions {
        None if succeeded > 0 => active,
        None => parallelism,
        Some(c) => (c - succeeded).clamp(0, parallelism),
    }
}

/// pastBackoffLimitOnFailure: under restartPolicy OnFailure failures are container restarts of
/// the pending and running pods.
pub fn past_backoff_limit_on_failure(job: &Job, pods: &[&PodRecord]) -> bool {
    if job.spec.template.spec.restart_policy != Some(RestartPolicy::OnFailure) {
        return false;
    }
    let restarts: u32 = pods
        .iter()
        .filter(|p| matches!(p.status.phase, PodPhase::Running | PodPhase::Pending))
        .flat_map(|p| {
            p.status
                .init_container_statuses
                .iter()
                .chain(&p.status.container_statuses)
        })
        .map(|c| c.restart_count)
        .sum();
    let limit = job.spec.backoff_limit.unwrap_or(6);
    if limit == 0 {
        restarts > 0
    } else {
        i64::from(restarts) >= i64::from(limit)
    }
}

/// What a pod failure policy makes of one failed pod (pod_failure_policy.go
/// matchPodFailurePolicy).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FailureVerdict {
    /// Counted against backoffLimit (also when no rule matches).
    Count,
    /// Not counted.
    Ignore,
    /// The Job fails at once with this message.
    FailJob(String),
    /// The pod's index fails at once, without using up its backoffLimitPerIndex
    /// (isIndexFailed).
    FailIndex,
}

/// matchPodFailurePolicy: the first rule whose exit codes (a non-zero exit of a regular, then
/// an init container) or pod conditions match the failed pod decides.
pub fn match_pod_failure_policy(job: &Job, pod: &PodRecord) -> FailureVerdict {
    use crate::api::{PodFailurePolicyAction as A, PodFailurePolicyOnExitCodesOperator as Op};
    let Some(policy) = &job.spec.pod_failure_policy else {
        return FailureVerdict::Count;
    };
    let (ns, name) = (pod.namespace(), pod.name());
    for (index, rule) in policy.rules.iter().enumerate() {
        let action = rule.action.as_ref().map_or("", |a| a.as_str());
        let matched = if let Some(req) = &rule.on_exit_codes {
            let operator_matches = |code: i32| match &req.operator {
                Some(Op::In) => req.values.contains(&code),
                Some(Op::NotIn) => !req.values.contains(&code),
                _ => false,
            };
            pod.status
                .container_statuses
                .iter()
                .chain(&pod.status.init_container_statuses)
                .filter(|c| req.container_name.as_ref().is_none_or(|n| **n == *c.name))
                .find_map(|c| match &c.state {
                    ContainerState::Terminated { exit_code, .. }
                        if *exit_code != 0 && operator_matches(*exit_code) =>
                    {
                        Some(format!(
                            "Container {} for pod {ns}/{name} failed with exit code {exit_code} matching {action} rule at index {index}",
                            c.name
                        ))
                    }
                    _ => None,
                })
        } else {
            pod.status.conditions.iter().find_map(|c| {
                rule.on_pod_conditions
                    .iter()
                    .any(|p| {
                        p.type_ == c.type_.as_str()
                            && p.status.as_ref().map_or("True", |s| s.as_str()) == c.status.as_str()
                    })
                    .then(|| {
                        format!(
                            "Pod {ns}/{name} has condition {} matching {action} rule at index {index}",
                            c.type_.as_str()
                        )
                    })
            })
        };
        let Some(message) = matched else {
            continue;
        };
        match rule.action {
            Some(A::Ignore) => return FailureVerdict::Ignore,
            Some(A::FailJob) => return FailureVerdict::FailJob(message),
            Some(A::Count) => return FailureVerdict::Count,
            // JobBackoffLimitPerIndex is GA; validation allows FailIndex only with
            // backoffLimitPerIndex.
            Some(A::FailIndex) => return FailureVerdict::FailIndex,
            Some(A::Other(_)) | None => continue,
        }
    }
    FailureVerdict::Count
}

/// batch.JobCompletionIndexAnnotation (also set as a label since v1.28).
pub const COMPLETION_INDEX: &str = "batch.kubernetes.io/job-completion-index";

/// The completion index of an Indexed Job's pod.
pub fn completion_index(pod: &PodRecord) -> Option<i32> {
    pod.pod
        .metadata
        .annotations
        .get(COMPLETION_INDEX)
        .and_then(|v| v.parse().ok())
}

/// Whether the Job uses completionMode Indexed.
pub fn is_indexed(job: &Job) -> bool {
    job.spec.completion_mode == Some(crate::api::CompletionMode::Indexed)
}

/// firstPendingIndexes: the lowest indexes below `completions` that neither succeeded nor
/// have an active pod, at most `count`.
pub fn first_pending_indexes(
    completions: i32,
    succeeded: &std::collections::BTreeSet<i32>,
    active: &std::collections::BTreeSet<i32>,
    count: usize,
) -> Vec<i32> {
    (0..completions)
        .filter(|i| !succeeded.contains(i) && !active.contains(i))
        .take(count)
        .collect()
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum JobConditionType {
    Suspended,
    FailureTarget,
    SuccessCriteriaMet,
    Complete,
    Failed,
}

impl JobConditionType {
    pub fn as_str(self) -> &'static str {
        match self {
            JobConditionType::Suspended => "Suspended",
            JobConditionType::FailureTarget => "FailureTarget",
            JobConditionType::SuccessCriteriaMet => "SuccessCriteriaMet",
            JobConditionType::Complete => "Complete",
            JobConditionType::Failed => "Failed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobCondition {
    pub type_: JobConditionType,
    pub status: bool,
    pub reason: String,
    pub message: String,
    pub last_transition_time: SimTime,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobStatus {
    pub active: i32,
    pub ready: i32,
    pub succeeded: i32,
    pub failed: i32,
    pub terminating: i32,
    pub start_time: Option<SimTime>,
    pub completion_time: Option<SimTime>,
    pub conditions: Vec<JobCondition>,
}

impl JobStatus {
    pub fn has(&self, t: JobConditionType) -> bool {
        self.conditions.iter().any(|c| c.type_ == t && c.status)
    }

    pub fn condition(&self, t: JobConditionType) -> Option<&JobCondition> {
        self.conditions.iter().find(|c| c.type_ == t)
    }

    /// A Complete or Failed Job: the controller leaves it alone (but for its TTL).
    pub fn is_finished(&self) -> bool {
        self.has(JobConditionType::Complete) || self.has(JobConditionType::Failed)
    }

    pub fn set(
        &mut self,
        type_: JobConditionType,
        status: bool,
        reason: &str,
        message: &str,
        now: SimTime,
    ) {
        if let Some(c) = self.conditions.iter_mut().find(|c| c.type_ == type_) {
            if c.status != status {
                c.last_transition_time = now;
            }
            c.status = status;
            c.reason = reason.to_string();
            c.message = message.to_string();
        } else {
            self.conditions.push(JobCondition {
                type_,
                status,
                reason: reason.to_string(),
                message: message.to_string(),
                last_transition_time: now,
            });
        }
    }

    /// printJob's STATUS column.
    pub fn column(&self) -> &'static str {
        use JobConditionType::*;
        for (t, text) in [
            (Complete, "Complete"),
            (Failed, "Failed"),
            (Suspended, "Suspended"),
            (FailureTarget, "FailureTarget"),
            (SuccessCriteriaMet, "SuccessCriteriaMet"),
        ] {
            if self.has(t) {
                return text;
            }
        }
        "Running"
    }
}

/// printJob's COMPLETIONS column.
pub fn completions_column(job: &Job, succeeded: i32) -> String {
    match job.spec.completions {
        Some(c) => format!("{succeeded}/{c}"),
        None => match job.spec.parallelism.unwrap_or(1) {
            p if p > 1 => format!("{succeeded}/1 of {p}"),
            _ => format!("{succeeded}/1"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// TestGetRemainingBackoffTime (pkg/controller/job/backoff_utils_test.go).
    #[test]
    fn remaining_backoff_time_table() {
        let t0 = SimTime::ZERO + SimDuration::from_hours(1);
        let s = SimDuration::from_secs;
        let (default, max) = (s(5), s(15));
        let cases = [
            ("no failures", 0, None, t0, s(0)),
            (
                "one failure; current time and failure time are same",
                1,
                Some(t0),
                t0,
                s(5),
            ),
            (
                "one failure; current time == 1 second + failure time",
                1,
                Some(t0),
                t0 + s(1),
                s(4),
            ),
            (
                "one failure; current time == expected backoff time",
                1,
                Some(t0),
                t0 + s(5),
                s(0),
            ),
            (
                "one failure; current time == expected backoff time + 1 Second",
                1,
                Some(t0),
                t0 + s(6),
                s(0),
            ),
            (
                "three failures; current time and failure time are same",
                3,
                Some(t0),
                t0,
                s(15),
            ),
            (
                "eight failures; current time and failure time are same; backoff not exceeding maxBackoff",
                8,
                Some(t0),
                t0,
                s(15),
            ),
        ];
        for (name, failures, last, now, want) in cases {
            assert_eq!(
                backoff_remaining(failures, last, now, default, max),
                want,
                "{name}"
            );
        }
    }

    #[test]
    fn default_backoff_doubles_from_10s_to_6min() {
        let t0 = SimTime::ZERO;
        let got: Vec<u64> = (1..=7)
            .map(|n| backoff_remaining(n, Some(t0), t0, DEFAULT_BACKOFF, MAX_BACKOFF).as_secs())
            .collect();
        assert_eq!(got, vec![10, 20, 40, 80, 160, 320, 360]);
    }

    #[test]
    fn want_active_follows_completions_and_parallelism() {
        let mut job = Job::default();
        job.spec.parallelism = Some(3);
        job.spec.completions = Some(5);
        assert_eq!(want_active(&job, 0, 0), 3);
        assert_eq!(want_active(&job, 4, 1), 1);
        assert_eq!(want_active(&job, 6, 0), 0);
        job.spec.completions = None;
        assert_eq!(want_active(&job, 0, 0), 3);
        assert_eq!(want_active(&job, 1, 2), 2);
    }
}
