//! The workload objects the controllers manage, as the API server holds them: spec, uid,
//! creation time and the status the controllers write.

use std::collections::BTreeMap;

use crate::api::{Deployment, Job, ReplicaSet, StatefulSet};
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
    pub fn namespace(&self) -> &str {
        self.object
            .metadata
            .namespace
            .as_deref()
            .unwrap_or("default")
    }

    pub fn name(&self) -> &str {
        self.object.metadata.name.as_deref().unwrap_or("")
    }

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
}

impl DeploymentRecord {
    pub fn namespace(&self) -> &str {
        self.object
            .metadata
            .namespace
            .as_deref()
            .unwrap_or("default")
    }

    pub fn name(&self) -> &str {
        self.object.metadata.name.as_deref().unwrap_or("")
    }

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
    pub names: SimRng,
}

impl JobRecord {
    pub fn namespace(&self) -> &str {
        self.object
            .metadata
            .namespace
            .as_deref()
            .unwrap_or("default")
    }

    pub fn name(&self) -> &str {
        self.object.metadata.name.as_deref().unwrap_or("")
    }
}

/// Dense id of a StatefulSet, never reused within a run.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StatefulSetId(pub u32);

/// The StatefulSet status kubectl prints.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatefulSetStatus {
    pub replicas: i32,
    pub ready_replicas: i32,
    pub available_replicas: i32,
}

#[derive(Clone, Debug)]
pub struct StatefulSetRecord {
    pub id: StatefulSetId,
    pub object: StatefulSet,
    pub uid: String,
    pub created_at: SimTime,
    pub status: StatefulSetStatus,
}

impl StatefulSetRecord {
    pub fn namespace(&self) -> &str {
        self.object
            .metadata
            .namespace
            .as_deref()
            .unwrap_or("default")
    }

    pub fn name(&self) -> &str {
        self.object.metadata.name.as_deref().unwrap_or("")
    }

    pub fn replicas(&self) -> i32 {
        self.object.spec.replicas.unwrap_or(1)
    }
}

/// Every ReplicaSet, Deployment, Job and StatefulSet, by id and by (namespace, name).
#[derive(Clone, Debug, Default)]
pub struct Workloads {
    replica_sets: Vec<Option<ReplicaSetRecord>>,
    rs_index: BTreeMap<(String, String), ReplicaSetId>,
    deployments: Vec<Option<DeploymentRecord>>,
    deployment_index: BTreeMap<(String, String), DeploymentId>,
    jobs: Vec<Option<JobRecord>>,
    stateful_sets: Vec<Option<StatefulSetRecord>>,
    sts_index: BTreeMap<(String, String), StatefulSetId>,
    job_index: BTreeMap<(String, String), JobId>,
    by_uid: BTreeMap<String, Owner>,
}

/// A controller a pod or ReplicaSet can point at.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Owner {
    ReplicaSet(ReplicaSetId),
    Deployment(DeploymentId),
    Job(JobId),
    StatefulSet(StatefulSetId),
}

impl Workloads {
    pub fn add_replica_set(&mut self, mut record: ReplicaSetRecord) -> ReplicaSetId {
        let id = ReplicaSetId(self.replica_sets.len() as u32);
        record.id = id;
        self.rs_index.insert(
            (record.namespace().to_string(), record.name().to_string()),
            id,
        );
        self.by_uid
            .insert(record.uid.clone(), Owner::ReplicaSet(id));
        self.replica_sets.push(Some(record));
        id
    }

    pub fn remove_replica_set(&mut self, id: ReplicaSetId) -> Option<ReplicaSetRecord> {
        let record = self.replica_sets.get_mut(id.0 as usize)?.take()?;
        self.rs_index
            .remove(&(record.namespace().to_string(), record.name().to_string()));
        self.by_uid.remove(&record.uid);
        Some(record)
    }

    pub fn add_deployment(&mut self, mut record: DeploymentRecord) -> DeploymentId {
        let id = DeploymentId(self.deployments.len() as u32);
        record.id = id;
        self.deployment_index.insert(
            (record.namespace().to_string(), record.name().to_string()),
            id,
        );
        self.by_uid
            .insert(record.uid.clone(), Owner::Deployment(id));
        self.deployments.push(Some(record));
        id
    }

    pub fn remove_deployment(&mut self, id: DeploymentId) -> Option<DeploymentRecord> {
        let record = self.deployments.get_mut(id.0 as usize)?.take()?;
        self.deployment_index
            .remove(&(record.namespace().to_string(), record.name().to_string()));
        self.by_uid.remove(&record.uid);
        Some(record)
    }

    pub fn add_job(&mut self, mut record: JobRecord) -> JobId {
        let id = JobId(self.jobs.len() as u32);
        record.id = id;
        self.job_index.insert(
            (record.namespace().to_string(), record.name().to_string()),
            id,
        );
        self.by_uid.insert(record.uid.clone(), Owner::Job(id));
        self.jobs.push(Some(record));
        id
    }

    pub fn remove_job(&mut self, id: JobId) -> Option<JobRecord> {
        let record = self.jobs.get_mut(id.0 as usize)?.take()?;
        self.job_index
            .remove(&(record.namespace().to_string(), record.name().to_string()));
        self.by_uid.remove(&record.uid);
        Some(record)
    }

    pub fn job(&self, id: JobId) -> Option<&JobRecord> {
        self.jobs.get(id.0 as usize).and_then(Option::as_ref)
    }

    pub fn job_mut(&mut self, id: JobId) -> Option<&mut JobRecord> {
        self.jobs.get_mut(id.0 as usize).and_then(Option::as_mut)
    }

    pub fn find_job(&self, namespace: &str, name: &str) -> Option<JobId> {
        self.job_index
            .get(&(namespace.to_string(), name.to_string()))
            .copied()
    }

    /// Jobs in creation order.
    pub fn jobs(&self) -> impl Iterator<Item = &JobRecord> {
        self.jobs.iter().filter_map(Option::as_ref)
    }

    pub fn add_stateful_set(&mut self, mut record: StatefulSetRecord) -> StatefulSetId {
        let id = StatefulSetId(self.stateful_sets.len() as u32);
        record.id = id;
        self.sts_index.insert(
            (record.namespace().to_string(), record.name().to_string()),
            id,
        );
        self.by_uid
            .insert(record.uid.clone(), Owner::StatefulSet(id));
        self.stateful_sets.push(Some(record));
        id
    }

    pub fn stateful_set(&self, id: StatefulSetId) -> Option<&StatefulSetRecord> {
        self.stateful_sets
            .get(id.0 as usize)
            .and_then(Option::as_ref)
    }

    pub fn stateful_set_mut(&mut self, id: StatefulSetId) -> Option<&mut StatefulSetRecord> {
        self.stateful_sets
            .get_mut(id.0 as usize)
            .and_then(Option::as_mut)
    }

    pub fn find_stateful_set(&self, namespace: &str, name: &str) -> Option<StatefulSetId> {
        self.sts_index
            .get(&(namespace.to_string(), name.to_string()))
            .copied()
    }

    /// StatefulSets in creation order.
    pub fn stateful_sets(&self) -> impl Iterator<Item = &StatefulSetRecord> {
        self.stateful_sets.iter().filter_map(Option::as_ref)
    }

    /// Whether no workload exists (the pod informers then have nobody to tell).
    pub fn is_empty(&self) -> bool {
        self.by_uid.is_empty()
    }

    pub fn replica_set(&self, id: ReplicaSetId) -> Option<&ReplicaSetRecord> {
        self.replica_sets
            .get(id.0 as usize)
            .and_then(Option::as_ref)
    }

    pub fn replica_set_mut(&mut self, id: ReplicaSetId) -> Option<&mut ReplicaSetRecord> {
        self.replica_sets
            .get_mut(id.0 as usize)
            .and_then(Option::as_mut)
    }

    pub fn deployment(&self, id: DeploymentId) -> Option<&DeploymentRecord> {
        self.deployments.get(id.0 as usize).and_then(Option::as_ref)
    }

    pub fn deployment_mut(&mut self, id: DeploymentId) -> Option<&mut DeploymentRecord> {
        self.deployments
            .get_mut(id.0 as usize)
            .and_then(Option::as_mut)
    }

    pub fn find_replica_set(&self, namespace: &str, name: &str) -> Option<ReplicaSetId> {
        self.rs_index
            .get(&(namespace.to_string(), name.to_string()))
            .copied()
    }

    pub fn find_deployment(&self, namespace: &str, name: &str) -> Option<DeploymentId> {
        self.deployment_index
            .get(&(namespace.to_string(), name.to_string()))
            .copied()
    }

    pub fn owner_by_uid(&self, uid: &str) -> Option<Owner> {
        self.by_uid.get(uid).copied()
    }

    /// ReplicaSets in creation order.
    pub fn replica_sets(&self) -> impl Iterator<Item = &ReplicaSetRecord> {
        self.replica_sets.iter().filter_map(Option::as_ref)
    }

    /// Deployments in creation order.
    pub fn deployments(&self) -> impl Iterator<Item = &DeploymentRecord> {
        self.deployments.iter().filter_map(Option::as_ref)
    }

    /// The ReplicaSets a Deployment owns, in creation order.
    pub fn owned_by(&self, d: DeploymentId) -> Vec<ReplicaSetId> {
        self.replica_sets()
            .filter(|r| r.owner == Some(d))
            .map(|r| r.id)
            .collect()
    }
}
