//! kube-controller-manager's controllers as pure components (pkg/controller/...). Each module
//! holds one controller's rules: it reads the cluster state it is handed, with time only as a
//! value, and returns what it wants done. The engine routes watch events and wake-ups to them
//! after each controller's reaction latency and applies their answers.

pub mod cron;
pub mod daemonset;
pub mod daemonset_update;
pub mod deployment;
pub mod deployment_scale;
pub mod disruption;
pub mod garbagecollector;
pub mod job;
pub mod nodelifecycle;
pub mod podgc;
pub mod replicaset;
pub mod statefulset;
pub mod tainteviction;
pub mod workloads;

use crate::time::SimDuration;

/// Controller-manager and kubelet periods, and how long each controller takes to react to a
/// watch event (informer delivery, work queue, the API call).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControllerTimings {
    /// kube-controller-manager `--node-monitor-period` (5s).
    pub node_monitor_period: SimDuration,
    /// kube-controller-manager `--node-monitor-grace-period`: 40s before v1.32, 50s from v1.32
    /// (kubernetes/kubernetes#126287).
    pub node_monitor_grace_period: SimDuration,
    /// The kubelet's lease renew interval and `nodeStatusUpdateFrequency` (10s).
    pub node_status_update_frequency: SimDuration,
    /// The taint eviction controller's reaction to a node taint change.
    pub taint_eviction: SimDuration,
    /// The ReplicaSet controller's reaction to a pod or ReplicaSet change.
    pub replica_set: SimDuration,
    /// The Deployment controller's reaction to a Deployment or ReplicaSet change.
    pub deployment: SimDuration,
    /// The Job controller's reaction to a Job or pod change.
    pub job: SimDuration,
    /// The StatefulSet controller's reaction to a StatefulSet or pod change.
    pub stateful_set: SimDuration,
    /// The DaemonSet controller's reaction to a DaemonSet, node or pod change.
    pub daemon_set: SimDuration,
    /// The CronJob controller's reaction to a CronJob or Job change.
    pub cron_job: SimDuration,
    /// PodGC's gcCheckPeriod (20s).
    pub pod_gc_period: SimDuration,
    /// kube-controller-manager `--terminated-pod-gc-threshold` (12500; 0 disables).
    pub terminated_pod_gc_threshold: usize,
}

impl ControllerTimings {
    /// The defaults of the given Kubernetes minor version (`"1.33"`).
    pub fn for_version(version: &str) -> ControllerTimings {
        let minor = version
            .split('.')
            .nth(1)
            .and_then(|m| m.parse::<u32>().ok())
            .unwrap_or(33);
        ControllerTimings {
            node_monitor_period: SimDuration::from_secs(5),
            node_monitor_grace_period: SimDuration::from_secs(if minor >= 32 { 50 } else { 40 }),
            node_status_update_frequency: SimDuration::from_secs(10),
            taint_eviction: SimDuration::from_millis(10),
            replica_set: SimDuration::from_millis(10),
            deployment: SimDuration::from_millis(10),
            job: SimDuration::from_millis(10),
            stateful_set: SimDuration::from_millis(10),
            daemon_set: SimDuration::from_millis(10),
            cron_job: SimDuration::from_millis(10),
            pod_gc_period: podgc::GC_CHECK_PERIOD,
            terminated_pod_gc_threshold: podgc::DEFAULT_TERMINATED_POD_THRESHOLD,
        }
    }
}

impl ControllerTimings {
    /// These defaults with the scenario's `timings.controllers` overrides.
    pub fn with(self, spec: Option<&crate::scenario::ControllerTimingsSpec>) -> Self {
        let Some(s) = spec else {
            return self;
        };
        ControllerTimings {
            node_monitor_period: s.node_monitor_period.unwrap_or(self.node_monitor_period),
            node_monitor_grace_period: s
                .node_monitor_grace_period
                .unwrap_or(self.node_monitor_grace_period),
            node_status_update_frequency: s
                .node_status_update_frequency
                .unwrap_or(self.node_status_update_frequency),
            taint_eviction: s.taint_eviction.unwrap_or(self.taint_eviction),
            replica_set: s.replica_set.unwrap_or(self.replica_set),
            deployment: s.deployment.unwrap_or(self.deployment),
            job: s.job.unwrap_or(self.job),
            stateful_set: s.stateful_set.unwrap_or(self.stateful_set),
            daemon_set: s.daemon_set.unwrap_or(self.daemon_set),
            cron_job: s.cron_job.unwrap_or(self.cron_job),
            pod_gc_period: s.pod_gc_period.unwrap_or(self.pod_gc_period),
            terminated_pod_gc_threshold: s
                .terminated_pod_gc_threshold
                .map_or(self.terminated_pod_gc_threshold, |t| t as usize),
        }
    }
}

impl Default for ControllerTimings {
    fn default() -> Self {
        Self::for_version(crate::scenario::DEFAULT_VERSION)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grace_period_follows_the_version() {
        let g = |v| ControllerTimings::for_version(v).node_monitor_grace_period;
        assert_eq!(g("1.31"), SimDuration::from_secs(40));
        assert_eq!(g("1.32"), SimDuration::from_secs(50));
        assert_eq!(g("1.33"), SimDuration::from_secs(50));
    }
}
