//! Routing for the Job controller (pkg/controller/job/job_controller.go syncJob, manageJob):
//! pods per completions and parallelism, failure counting and the pod-recreation back-off,
//! the backoff limit and active deadline, suspension, the terminal conditions and the TTL
//! after finishing (pkg/controller/ttlafterfinished).

use super::Simulation;
use super::controllers::ControllerEvent;
use super::workloads::{controller_ref, owner_reference};
use crate::api::Job;
use crate::cluster::{ContainerState, EventType, PodId, PodPhase};
use crate::controller::garbagecollector::PropagationPolicy;
use crate::controller::job::{self as jc, JobConditionType as Cond, JobStatus};
use crate::controller::replicaset::{BURST_REPLICAS, is_pod_active, is_pod_ready};
use crate::controller::workloads::{JobId, JobRecord, Owner};
use crate::time::{SimDuration, SimTime};
use crate::timeline::TimelineRecord;

impl Simulation {
    pub(super) fn add_job(&mut self, mut job: Job) {
        let ns = job.metadata.namespace.clone().unwrap_or_default();
        let name = job.metadata.name.clone().unwrap_or_default();
        if self.controllers.workloads.find_job(&ns, &name).is_some() {
            self.already_exists("Job", "jobs.batch", &ns, &name);
            return;
        }
        let uid = self.cluster.next_uid();
        crate::api::defaults::generate_job_selector(&mut job, &uid);
        let names = self.streams.stream(&format!("job/{ns}/{name}/pod-names"));
        let id = self.controllers.workloads.add_job(JobRecord {
            id: JobId(0),
            object: job,
            uid,
            created_at: self.now,
            status: JobStatus::default(),
            counted: Default::default(),
            failures_after_last_success: 0,
            last_failure: None,
            succeeded_indexes: Default::default(),
            index_failures: Default::default(),
            failed_indexes: Default::default(),
            names,
        });
        self.timeline
            .push(TimelineRecord::new(self.now, "Job", &ns, &name, "Created"));
        self.schedule_job_sync(id, self.now + self.controllers.timings.job);
    }

    pub(super) fn schedule_job_sync(&mut self, id: JobId, at: SimTime) {
        self.wake(ControllerEvent::JobSync(id), at);
    }

    pub(super) fn sync_job(&mut self, id: JobId) {
        let now = self.now;
        let Some(rec) = self.controllers.workloads.job(id) else {
            return;
        };
        // a Job deleted in the foreground creates no more pods.
        if self.gc_deleting(&rec.uid) {
            return;
        }
        let job = rec.object.clone();
        let (ns, name, uid) = (
            rec.namespace().to_string(),
            rec.name().to_string(),
            rec.uid.clone(),
        );
        let old = rec.status.clone();
        if old.is_finished() {
            self.expire_job(id);
            return;
        }
        let mut status = old.clone();
        let pods: Vec<PodId> = self
            .cluster
            .pods()
            .filter(|p| p.namespace() == ns)
            .filter(|p| controller_ref(&p.pod.metadata).is_some_and(|r| r.uid == uid))
            .map(|p| p.id)
            .collect();
        // Count newly finished pods once (trackJobStatusAndRemoveFinalizers).
        let mut newly_failed_at: Option<SimTime> = None;
        let mut new_success = false;
        let mut counted = Vec::new();
        let mut fail_job: Option<String> = None;
        let mut new_indexes: Vec<i32> = Vec::new();
        let mut index_failed: Vec<(i32, SimTime)> = Vec::new();
        // Indexes a FailIndex rule of the podFailurePolicy fails outright.
        let mut fail_index: Vec<i32> = Vec::new();
        let per_index_limit = job
            .spec
            .backoff_limit_per_index
            .filter(|_| jc::is_indexed(&job));
        for &pid in &pods {
            let Some(p) = self.cluster.pod(pid) else {
                continue;
            };
            if !p.status.phase.is_terminal() {
                continue;
            }
            let rec = self.controllers.workloads.job(id);
            if rec.is_some_and(|r| r.counted.contains(&p.uid)) {
                continue;
            }
            counted.push(p.uid.clone());
            if p.status.phase == PodPhase::Succeeded {
                new_success = true;
                if jc::is_indexed(&job) {
                    // Each index counts once, however many of its pods succeeded.
                    if let Some(i) = jc::completion_index(p) {
                        new_indexes.push(i);
                    }
                } else {
                    status.succeeded += 1;
                }
            } else {
                match jc::match_pod_failure_policy(&job, p) {
                    jc::FailureVerdict::Ignore => continue,
                    jc::FailureVerdict::FailJob(message) => {
                        fail_job.get_or_insert(message);
                    }
                    jc::FailureVerdict::FailIndex => {
                        if let Some(i) = jc::completion_index(p) {
                            fail_index.push(i);
                        }
                    }
                    jc::FailureVerdict::Count => {}
                }
                status.failed += 1;
                let finished = p
                    .status
                    .container_statuses
                    .iter()
                    .filter_map(|c| match &c.state {
                        ContainerState::Terminated { finished_at, .. } => Some(*finished_at),
                        _ => None,
                    })
                    .max()
                    .unwrap_or(now);
                newly_failed_at =
                    Some(newly_failed_at.map_or(finished, |t: SimTime| t.max(finished)));
                if let Some(i) = jc::completion_index(p) {
                    index_failed.push((i, finished));
                }
            }
        }
        let (failures, last_failure) = {
            let Some(r) = self.controllers.workloads.job_mut(id) else {
                return;
            };
            r.counted.extend(counted);
            r.succeeded_indexes.extend(new_indexes);
            if per_index_limit.is_some() {
                r.failed_indexes.extend(fail_index);
            }
            if let Some(limit) = per_index_limit {
                for (i, at) in index_failed {
                    let entry = r.index_failures.entry(i).or_insert((0, at));
                    entry.0 += 1;
                    entry.1 = entry.1.max(at);
                    if i64::from(entry.0) > i64::from(limit) {
                        r.failed_indexes.insert(i);
                    }
                }
            }
            if jc::is_indexed(&job) {
                status.succeeded = r.succeeded_indexes.len() as i32;
            }
            if new_success {
                r.failures_after_last_success = 0;
            }
            if let Some(t) = newly_failed_at {
                let new_failures = (status.failed - old.failed).max(0) as u32;
                r.failures_after_last_success += new_failures;
                r.last_failure = Some(r.last_failure.map_or(t, |l| l.max(t)));
            }
            (r.failures_after_last_success, r.last_failure)
        };
        let active: Vec<PodId> = pods
            .iter()
            .copied()
            .filter(|p| self.cluster.pod(*p).is_some_and(is_pod_active))
            .collect();
        let terminating = self.terminating_count(&pods);
        let suspended = job.spec.suspend == Some(true);
        if !suspended && status.start_time.is_none() {
            status.start_time = Some(now);
        }
        let active_refs: Vec<_> = active.iter().filter_map(|p| self.cluster.pod(*p)).collect();
        let backoff_limit = job.spec.backoff_limit.unwrap_or(6);
        let pending_failure = status.has(Cond::FailureTarget);
        let pending_success = status.has(Cond::SuccessCriteriaMet);
        if !pending_failure && !pending_success {
            let deadline = job
                .spec
                .active_deadline_seconds
                .filter(|_| !suspended)
                .zip(status.start_time)
                .map(|(secs, start)| start + SimDuration::from_secs(secs.max(0) as u64));
            let completions_reached = match job.spec.completions {
                Some(c) => status.succeeded >= c,
                None => status.succeeded > 0 && active.is_empty(),
            };
            // backoffLimitPerIndex: too many failed indexes, or every index done with some failed.
            let (failed_indexes, done_indexes) = self
                .controllers
                .workloads
                .job(id)
                .map(|r| {
                    let done = r.succeeded_indexes.union(&r.failed_indexes).count() as i32;
                    (r.failed_indexes.len() as i32, done)
                })
                .unwrap_or((0, 0));
            let per_index_failure = per_index_limit.and_then(|_| {
                if job
                    .spec
                    .max_failed_indexes
                    .is_some_and(|m| failed_indexes > m)
                {
                    Some((
                        "MaxFailedIndexesExceeded",
                        "Job has exceeded the specified maximal number of failed indexes",
                    ))
                } else if failed_indexes > 0
                    && done_indexes >= job.spec.completions.unwrap_or(1)
                    && active.is_empty()
                {
                    Some(("FailedIndexes", "Job has failed indexes"))
                } else {
                    None
                }
            });
            let failure = if let Some(message) = &fail_job {
                Some(("PodFailurePolicy", message.as_str()))
            } else if let Some(f) = per_index_failure {
                Some(f)
            } else if status.failed > backoff_limit
                || jc::past_backoff_limit_on_failure(&job, &active_refs)
            {
                Some((
                    "BackoffLimitExceeded",
                    "Job has reached the specified backoff limit",
                ))
            } else if deadline.is_some_and(|d| d <= now) {
                Some((
                    "DeadlineExceeded",
                    "Job was active longer than specified deadline",
                ))
            } else {
                None
            };
            if let Some((reason, message)) = failure {
                status.set(Cond::FailureTarget, true, reason, message, now);
                self.record_event(
                    "Job",
                    &ns,
                    &name,
                    EventType::Warning,
                    reason_static(reason),
                    message.to_string(),
                    jc::SOURCE,
                    "",
                );
            } else if completions_reached {
                status.set(
                    Cond::SuccessCriteriaMet,
                    true,
                    "CompletionsReached",
                    "Reached expected number of succeeded pods",
                    now,
                );
            } else if suspended {
                status.set(Cond::Suspended, true, "JobSuspended", "Job suspended", now);
                self.delete_job_pods(&name, &active);
            } else {
                if status.has(Cond::Suspended) {
                    status.set(Cond::Suspended, false, "JobResumed", "Job resumed", now);
                }
                self.manage_job(id, &job, &name, &status, &active, failures, last_failure);
                if let Some(d) = deadline {
                    self.schedule_job_sync(id, d);
                }
            }
        }
        // delayTerminalCondition: active pods are stopped first; the terminal condition comes
        // once none is left running or terminating.
        if status.has(Cond::FailureTarget) || status.has(Cond::SuccessCriteriaMet) {
            let still_active: Vec<PodId> = active
                .iter()
                .copied()
                .filter(|p| self.cluster.pod(*p).is_some_and(is_pod_active))
                .collect();
            self.delete_job_pods(&name, &still_active);
            if still_active.is_empty() && terminating == 0 {
                if let Some(c) = status
                    .condition(Cond::FailureTarget)
                    .cloned()
                    .filter(|c| c.status)
                {
                    status.set(Cond::Failed, true, &c.reason, &c.message, now);
                } else {
                    status.set(
                        Cond::Complete,
                        true,
                        "CompletionsReached",
                        "Reached expected number of succeeded pods",
                        now,
                    );
                    status.completion_time = Some(now);
                    self.record_event(
                        "Job",
                        &ns,
                        &name,
                        EventType::Normal,
                        "Completed",
                        "Job completed",
                        jc::SOURCE,
                        "",
                    );
                }
            }
        }
        status.active = pods
            .iter()
            .filter(|p| self.cluster.pod(**p).is_some_and(is_pod_active))
            .count() as i32;
        status.ready = pods
            .iter()
            .filter(|p| {
                self.cluster
                    .pod(**p)
                    .is_some_and(|p| is_pod_active(p) && is_pod_ready(p))
            })
            .count() as i32;
        status.terminating = self.terminating_count(&pods);
        self.record_job_status(&ns, &name, &job, &old, &status);
        if let Some(r) = self.controllers.workloads.job_mut(id) {
            r.status = status.clone();
        }
        if status.is_finished() {
            if !old.is_finished() {
                self.cron_job_saw_job(&job);
            }
            self.expire_job(id);
        }
    }

    /// Pods with a deletionTimestamp that have not finished.
    fn terminating_count(&self, pods: &[PodId]) -> i32 {
        pods.iter()
            .filter_map(|p| self.cluster.pod(*p))
            .filter(|p| p.deletion.is_some() && !p.status.phase.is_terminal())
            .count() as i32
    }

    /// manageJob: create pods up to wantActive once the back-off allows, delete the surplus.
    #[allow(clippy::too_many_arguments)]
    fn manage_job(
        &mut self,
        id: JobId,
        job: &Job,
        name: &str,
        status: &JobStatus,
        active: &[PodId],
        failures: u32,
        last_failure: Option<SimTime>,
    ) {
        let want = jc::want_active(job, status.succeeded, active.len() as i32);
        let have = active.len() as i32;
        if have > want {
            // activePodsForRemoval: not-ready and newest pods first.
            let mut ranked: Vec<PodId> = active.to_vec();
            ranked.sort_by_key(|p| {
                let r = self.cluster.pod(*p);
                (
                    r.is_some_and(is_pod_ready),
                    std::cmp::Reverse(r.map(|r| r.created_at)),
                )
            });
            ranked.truncate((have - want) as usize);
            self.delete_job_pods(name, &ranked);
            return;
        }
        if have == want {
            return;
        }
        let per_index = job.spec.backoff_limit_per_index.is_some() && jc::is_indexed(job);
        // With backoffLimitPerIndex the back-off is per index (below), not per Job.
        let remaining = if per_index {
            SimDuration::ZERO
        } else {
            jc::backoff_remaining(
                failures,
                last_failure,
                self.now,
                jc::DEFAULT_BACKOFF,
                jc::MAX_BACKOFF,
            )
        };
        if !remaining.is_zero() {
            self.schedule_job_sync(id, self.now + remaining);
            return;
        }
        let n = ((want - have) as usize).min(BURST_REPLICAS);
        // Indexed Jobs create the lowest pending indexes, named `<job>-<index>-<5 chars>`.
        let indexes: Vec<Option<i32>> = if jc::is_indexed(job) {
            let Some(rec) = self.controllers.workloads.job(id) else {
                return;
            };
            let done: std::collections::BTreeSet<i32> = rec
                .succeeded_indexes
                .union(&rec.failed_indexes)
                .copied()
                .collect();
            let index_failures = rec.index_failures.clone();
            let running = active
                .iter()
                .filter_map(|p| self.cluster.pod(*p).and_then(jc::completion_index))
                .collect();
            let completions = job.spec.completions.unwrap_or(1);
            let pending = jc::first_pending_indexes(completions, &done, &running, usize::MAX);
            let mut ready = Vec::new();
            let mut wait: Option<SimDuration> = None;
            for i in pending {
                let (count, last) = index_failures
                    .get(&i)
                    .map_or((0, None), |(c, t)| (*c, Some(*t)));
                let left = jc::backoff_remaining(
                    count,
                    last,
                    self.now,
                    jc::DEFAULT_BACKOFF,
                    jc::MAX_BACKOFF,
                );
                if left.is_zero() {
                    ready.push(Some(i));
                } else {
                    wait = Some(wait.map_or(left, |w| w.min(left)));
                }
            }
            if let Some(w) = wait {
                self.schedule_job_sync(id, self.now + w);
            }
            ready.truncate(n);
            ready
        } else {
            vec![None; n]
        };
        for index in indexes {
            let Some(rec) = self.controllers.workloads.job(id) else {
                return;
            };
            let ns = rec.namespace().to_string();
            let mut template = rec.object.spec.template.clone();
            let base = match index {
                Some(i) => {
                    let value = i.to_string();
                    template
                        .metadata
                        .annotations
                        .insert(jc::COMPLETION_INDEX.into(), value.clone());
                    template
                        .metadata
                        .labels
                        .insert(jc::COMPLETION_INDEX.into(), value);
                    format!("{name}-{i}-")
                }
                None => format!("{name}-"),
            };
            let owner = owner_reference("Job", name, &rec.uid);
            let mut names = rec.names.clone();
            let pod_name = self.generate_pod_name(&ns, &base, &mut names);
            if let Some(rec) = self.controllers.workloads.job_mut(id) {
                rec.names = names;
            }
            let message = format!("Created pod: {pod_name}");
            self.create_controlled_pod(
                "Job",
                jc::SOURCE,
                name,
                pod_name,
                Some(base),
                template,
                owner,
                message,
            );
        }
    }

    fn delete_job_pods(&mut self, job: &str, pods: &[PodId]) {
        for &pid in pods {
            let Some(p) = self.cluster.pod(pid) else {
                continue;
            };
            let (ns, pod_name) = (p.namespace().to_string(), p.name().to_string());
            self.record_event(
                "Job",
                &ns,
                job,
                EventType::Normal,
                "SuccessfulDelete",
                format!("Deleted pod: {pod_name}"),
                jc::SOURCE,
                "",
            );
            self.delete_pod(pid, None, jc::SOURCE);
        }
    }

    /// The TTL-after-finished controller: the Job (and, by background cascading, its pods) is
    /// deleted ttlSecondsAfterFinished after its terminal condition.
    fn expire_job(&mut self, id: JobId) {
        let Some(rec) = self.controllers.workloads.job(id) else {
            return;
        };
        let Some(ttl) = rec.object.spec.ttl_seconds_after_finished else {
            return;
        };
        let finished = rec
            .status
            .conditions
            .iter()
            .filter(|c| matches!(c.type_, Cond::Complete | Cond::Failed) && c.status)
            .map(|c| c.last_transition_time)
            .min();
        let Some(finished) = finished else {
            return;
        };
        let at = finished + SimDuration::from_secs(ttl.max(0) as u64);
        if at > self.now {
            self.schedule_job_sync(id, at);
            return;
        }
        // pkg/controller/ttlafterfinished: the Job is deleted in the foreground.
        self.gc_delete(
            Owner::Job(id),
            PropagationPolicy::Foreground,
            &format!("ttl-after-finished-controller: ttlSecondsAfterFinished {ttl}s"),
        );
    }

    fn record_job_status(
        &mut self,
        ns: &str,
        name: &str,
        job: &Job,
        old: &JobStatus,
        new: &JobStatus,
    ) {
        for c in &new.conditions {
            let before = old.condition(c.type_);
            if before.is_some_and(|b| b.status == c.status && b.reason == c.reason) {
                continue;
            }
            let show = |c: &jc::JobCondition| {
                format!(
                    "{}={}",
                    c.type_.as_str(),
                    if c.status { "True" } else { "False" }
                )
            };
            self.timeline.push(
                TimelineRecord::new(self.now, "Job", ns, name, "Condition")
                    .change(before.map(show).unwrap_or_default(), show(c))
                    .reason(c.reason.clone())
                    .message(c.message.clone()),
            );
        }
        let text = |s: &JobStatus| {
            format!(
                "{} {} (active {}, failed {})",
                s.column(),
                jc::completions_column(job, s.succeeded),
                s.active,
                s.failed
            )
        };
        let (a, b) = (text(old), text(new));
        if a != b {
            self.timeline
                .push(TimelineRecord::new(self.now, "Job", ns, name, "Status").change(a, b));
        }
    }
}

/// Event reasons are static strings.
fn reason_static(reason: &str) -> &'static str {
    match reason {
        "BackoffLimitExceeded" => "BackoffLimitExceeded",
        "PodFailurePolicy" => "PodFailurePolicy",
        "MaxFailedIndexesExceeded" => "MaxFailedIndexesExceeded",
        "FailedIndexes" => "FailedIndexes",
        _ => "DeadlineExceeded",
    }
}
