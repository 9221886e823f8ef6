//! The workload objects the controllers manage, as the API server holds them: spec, uid,
//! creation time and the status the controllers write.

use std::collections::BTreeMap;

use crate::api::{CronJob, DaemonSet, Deployment, Job, ReplicaSet, StatefulSet};
use crate::rng::SimRng;
use crate::time::SimTime;

use super::deployment::DeploymentStatus;
use super::job::JobStatus;
use super::replicaset::ReplicaSetStatus;

/// Dense id of a ReplicaSet, never reused within a run.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReplicaSetId(pub u32);

/// Dense id of a Deployment, never reused within a run.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeploymentId(pub u32);

#[derive(Clone, Debug)]
pub struct ReplicaSetRecord {
    pub id: ReplicaSetId,
    pub object: ReplicaSet,
    pub uid: String,
    pub created_at: SimTime,
    pub status: ReplicaSetStatus,
    /// The owning Deployment, for ReplicaSets a Deployment created.
    pub owner: Option<DeploymentId>,
    /// The API server's generateName stream for this ReplicaSet's pods.
    pub names: SimRng,
}

impl ReplicaSetRecord {
    pub fn replicas(&self) -> i32 {
        self.object.spec.replicas.unwrap_or(1)
    }
}

#[derive(Clone, Debug)]
pub struct DeploymentRecord {
    pub id: DeploymentId,
    pub object: Deployment,
    pub uid: String,
    pub created_at: SimTime,
    pub status: DeploymentStatus,
    /// metadata.generation: 1 at creation, +1 for each spec change.
    pub generation: i64,
}

impl DeploymentRecord {
    pub fn replicas(&self) -> i32 {
        self.object.spec.replicas.unwrap_or(1)
    }
}

/// Dense id of a Job, never reused within a run.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JobId(pub u32);

#[derive(Clone, Debug)]
pub struct JobRecord {
    pub id: JobId,
    pub object: Job,
    pub uid: String,
    pub created_at: SimTime,
    pub status: JobStatus,
    /// The uids of finished pods already counted in `status` (the controller's
    /// uncountedTerminatedPods bookkeeping, settled at once).
    pub counted: std::collections::BTreeSet<String>,
    /// backoffRecord: failures since the last success and the last failure's time.
    pub failures_after_last_success: u32,
    pub last_failure: Option<SimTime>,
    /// Indexed Jobs: the completion indexes with a succeeded pod.
    pub succeeded_indexes: std::collections::BTreeSet<i32>,
    /// backoffLimitPerIndex: failures and the last failure time per index, and the indexes
    /// that ran out of retries (status.failedIndexes).
    pub index_failures: BTreeMap<i32, (u32, SimTime)>,
    pub failed_indexes: std::collections::BTreeSet<i32>,
    pub names: SimRng,
}

/// Dense id of a StatefulSet, never reused within a run.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StatefulSetId(pub u32);

/// The StatefulSet status kubectl prints.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatefulSetStatus {
    /// The metadata.generation the controller last acted on.
    pub observed_generation: i64,
    pub replicas: i32,
    pub ready_replicas: i32,
    pub available_replicas: i32,
    /// Pods (not Terminating) at currentRevision / at updateRevision.
    pub current_replicas: i32,
    pub updated_replicas: i32,
    /// ControllerRevision names, `<set>-<hash>`.
    pub current_revision: String,
    pub update_revision: String,
}

#[derive(Clone, Debug)]
pub struct StatefulSetRecord {
    pub id: StatefulSetId,
    pub object: StatefulSet,
    pub uid: String,
    pub created_at: SimTime,
    pub status: StatefulSetStatus,
    /// metadata.generation: 1 at creation, +1 for each spec change.
    pub generation: i64,
    /// The set's ControllerRevisions: name to the pod template it records.
    pub revisions: BTreeMap<String, crate::api::PodTemplateSpec>,
}

impl StatefulSetRecord {
    pub fn replicas(&self) -> i32 {
        self.object.spec.replicas.unwrap_or(1)
    }
}

/// Dense id of a DaemonSet, never reused within a run.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DaemonSetId(pub u32);

/// The DaemonSet status kubectl prints.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DaemonSetStatus {
    /// The metadata.generation the controller last acted on.
    pub observed_generation: i64,
    pub desired_number_scheduled: i32,
    pub current_number_scheduled: i32,
    pub number_ready: i32,
    pub number_available: i32,
    pub number_misscheduled: i32,
    /// Nodes whose (oldest) daemon pod is from the current template.
    pub updated_number_scheduled: i32,
}

#[derive(Clone, Debug)]
pub struct DaemonSetRecord {
    pub id: DaemonSetId,
    pub object: DaemonSet,
    pub uid: String,
    pub created_at: SimTime,
    pub status: DaemonSetStatus,
    pub names: SimRng,
    /// metadata.generation, and the generation of the last template change (the
    /// deprecated.daemonset-template-generation annotation pods are labelled with).
    pub generation: i64,
    pub template_generation: i64,
}

/// Dense id of a CronJob, never reused within a run.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CronJobId(pub u32);

#[derive(Clone, Debug)]
pub struct CronJobRecord {
    pub id: CronJobId,
    pub object: CronJob,
    pub uid: String,
    pub created_at: SimTime,
    /// status.active: the Jobs it started that have not finished.
    pub active: Vec<JobId>,
    /// status.lastScheduleTime, in seconds since the Unix epoch.
    pub last_schedule: Option<i64>,
    /// The parsed schedule; `None` when it does not parse (the controller then does nothing).
    pub schedule: Option<super::cron::Schedule>,
}

/// The API object behind a record: its namespace and name.
macro_rules! object_names {
    ($($record:ty),*) => {$(
        impl $record {
            pub fn namespace(&self) -> &str {
                self.object.metadata.namespace.as_deref().unwrap_or("default")
            }

            pub fn name(&self) -> &str {
                self.object.metadata.name.as_deref().unwrap_or("")
            }
        }
    )*};
}

/// A PodDisruptionBudget as created; its status is computed when read.
#[derive(Clone, Debug)]
pub struct PdbRecord {
    pub object: crate::api::PodDisruptionBudget,
    pub created_at: SimTime,
}

object_names!(
    ReplicaSetRecord,
    DeploymentRecord,
    JobRecord,
    StatefulSetRecord,
    DaemonSetRecord,
    CronJobRecord,
    PdbRecord
);

/// Records of one kind by dense id and by (namespace, name); removed slots stay empty.
#[derive(Clone, Debug)]
struct Store<R> {
    items: Vec<Option<R>>,
    index: BTreeMap<(String, String), u32>,
}

impl<R> Default for Store<R> {
    fn default() -> Self {
        Store {
            items: Vec::new(),
            index: BTreeMap::new(),
        }
    }
}

impl<R> Store<R> {
    fn add(&mut self, key: (String, String), record: R) -> u32 {
        let id = self.items.len() as u32;
        self.index.insert(key, id);
        self.items.push(Some(record));
        id
    }

    fn remove(&mut self, id: u32, key: impl Fn(&R) -> (String, String)) -> Option<R> {
        let record = self.items.get_mut(id as usize)?.take()?;
        self.index.remove(&key(&record));
        Some(record)
    }

    fn get(&self, id: u32) -> Option<&R> {
        self.items.get(id as usize).and_then(Option::as_ref)
    }

    fn get_mut(&mut self, id: u32) -> Option<&mut R> {
        self.items.get_mut(id as usize).and_then(Option::as_mut)
    }

    fn find(&self, namespace: &str, name: &str) -> Option<u32> {
        self.index
            .get(&(namespace.to_string(), name.to_string()))
            .copied()
    }

    fn iter(&self) -> impl Iterator<Item = &R> {
        self.items.iter().filter_map(Option::as_ref)
    }
}

/// Every ReplicaSet, Deployment, Job and StatefulSet, by id and by (namespace, name).
#[derive(Clone, Debug, Default)]
pub struct Workloads {
    replica_sets: Store<ReplicaSetRecord>,
    deployments: Store<DeploymentRecord>,
    jobs: Store<JobRecord>,
    stateful_sets: Store<StatefulSetRecord>,
    daemon_sets: Store<DaemonSetRecord>,
    cron_jobs: Store<CronJobRecord>,
    by_uid: BTreeMap<String, Owner>,
}

/// A controller a pod or ReplicaSet can point at.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Owner {
    ReplicaSet(ReplicaSetId),
    Deployment(DeploymentId),
    Job(JobId),
    StatefulSet(StatefulSetId),
    DaemonSet(DaemonSetId),
    CronJob(CronJobId),
}

/// add, remove, get, get_mut, find and iterate for one kind's store.
macro_rules! store_methods {
    ($field:ident, $record:ty, $variant:ident, $id:ident, $add:ident, $remove:ident, $get:ident, $get_mut:ident, $find:ident) => {
        pub fn $add(&mut self, mut record: $record) -> $id {
            let id = $id(self.$field.items.len() as u32);
            record.id = id;
            self.by_uid.insert(record.uid.clone(), Owner::$variant(id));
            let key = (record.namespace().to_string(), record.name().to_string());
            self.$field.add(key, record);
            id
        }

        pub fn $remove(&mut self, id: $id) -> Option<$record> {
            let record = self
                .$field
                .remove(id.0, |r| (r.namespace().to_string(), r.name().to_string()))?;
            self.by_uid.remove(&record.uid);
            Some(record)
        }

        pub fn $get(&self, id: $id) -> Option<&$record> {
            self.$field.get(id.0)
        }

        pub fn $get_mut(&mut self, id: $id) -> Option<&mut $record> {
            self.$field.get_mut(id.0)
        }

        pub fn $find(&self, namespace: &str, name: &str) -> Option<$id> {
            self.$field.find(namespace, name).map($id)
        }

        /// In creation order.
        pub fn $field(&self) -> impl Iterator<Item = &$record> {
            self.$field.iter()
        }
    };
}

impl Workloads {
    store_methods!(
        replica_sets,
        ReplicaSetRecord,
        ReplicaSet,
        ReplicaSetId,
        add_replica_set,
        remove_replica_set,
        replica_set,
        replica_set_mut,
        find_replica_set
    );
    store_methods!(
        deployments,
        DeploymentRecord,
        Deployment,
        DeploymentId,
        add_deployment,
        remove_deployment,
        deployment,
        deployment_mut,
        find_deployment
    );
    store_methods!(
        jobs, JobRecord, Job, JobId, add_job, remove_job, job, job_mut, find_job
    );
    store_methods!(
        stateful_sets,
        StatefulSetRecord,
        StatefulSet,
        StatefulSetId,
        add_stateful_set,
        remove_stateful_set,
        stateful_set,
        stateful_set_mut,
        find_stateful_set
    );

    store_methods!(
        daemon_sets,
        DaemonSetRecord,
        DaemonSet,
        DaemonSetId,
        add_daemon_set,
        remove_daemon_set,
        daemon_set,
        daemon_set_mut,
        find_daemon_set
    );

    store_methods!(
        cron_jobs,
        CronJobRecord,
        CronJob,
        CronJobId,
        add_cron_job,
        remove_cron_job,
        cron_job,
        cron_job_mut,
        find_cron_job
    );

    /// Whether no workload exists (the pod informers then have nobody to tell).
    pub fn is_empty(&self) -> bool {
        self.by_uid.is_empty()
    }

    pub fn owner_by_uid(&self, uid: &str) -> Option<Owner> {
        self.by_uid.get(uid).copied()
    }

    /// The ReplicaSets a Deployment owns, in creation order.
    pub fn owned_by(&self, d: DeploymentId) -> Vec<ReplicaSetId> {
        self.replica_sets()
            .filter(|r| r.owner == Some(d))
            .map(|r| r.id)
            .collect()
    }
}
