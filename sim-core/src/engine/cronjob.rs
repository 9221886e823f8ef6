//! Routing for the CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go
//! syncCronJob, utils.go mostRecentScheduleTime): Jobs named `<cronjob>-<minutes since the
//! epoch>` at each schedule time of the virtual wall clock, concurrencyPolicy,
//! startingDeadlineSeconds, suspend and the history limits.

use super::Simulation;
use super::controllers::ControllerEvent;
use super::workloads::{controller_ref, owner_reference};
use crate::api::{ConcurrencyPolicy, CronJob, Job};
use crate::cluster::EventType;
use crate::controller::cron::Schedule;
use crate::controller::garbagecollector::PropagationPolicy;
use crate::controller::job::JobConditionType;
use crate::controller::workloads::{CronJobId, CronJobRecord, JobId, Owner};
use crate::time::{SimDuration, SimTime};
use crate::timeline::TimelineRecord;
use crate::timezone::Zone;

const SOURCE: &str = "cronjob-controller";
/// The annotation a CronJob's Job carries (batch.CronJobScheduledTimestampAnnotation).
const SCHEDULED_TIMESTAMP: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";
/// mostRecentScheduleTime gives up beyond this many missed start times.
const MAX_MISSED: u32 = 100;
/// nextScheduleTimeDuration: the controller wakes 100ms after each schedule time.
const WAKE_DELAY: SimDuration = SimDuration::from_millis(100);

impl Simulation {
    fn epoch(&self, t: SimTime) -> i64 {
        self.scenario.wall_clock.epoch_seconds + (t.as_nanos() / 1_000_000_000) as i64
    }

    fn sim_time(&self, epoch: i64) -> SimTime {
        let secs = (epoch - self.scenario.wall_clock.epoch_seconds).max(0) as u64;
        SimTime::ZERO + SimDuration::from_secs(secs)
    }

    pub(super) fn add_cron_job(&mut self, cj: CronJob) {
        let ns = cj.metadata.namespace.clone().unwrap_or_default();
        let name = cj.metadata.name.clone().unwrap_or_default();
        if self
            .controllers
            .workloads
            .find_cron_job(&ns, &name)
            .is_some()
        {
            self.already_exists("CronJob", "cronjobs.batch", &ns, &name);
            return;
        }
        let uid = self.cluster.next_uid();
        let parsed = Schedule::parse(&cj.spec.schedule);
        // syncCronJob's time.LoadLocation; the API server already rejected unknown zones
        // with the same database, so the UnknownTimeZone branch is for completeness.
        let zone = cj
            .spec
            .time_zone
            .as_deref()
            .map(|z| (z.to_string(), Zone::load(z)));
        let parsed = match (parsed, &zone) {
            (Ok(s), Some((_, Ok(z)))) => Ok(s.in_zone(z.clone())),
            (p, _) => p,
        };
        let spec = cj.spec.schedule.clone();
        let id = self.controllers.workloads.add_cron_job(CronJobRecord {
            id: CronJobId(0),
            object: cj,
            uid,
            created_at: self.now,
            active: Vec::new(),
            last_schedule: None,
            schedule: parsed.as_ref().ok().cloned(),
        });
        self.timeline.push(TimelineRecord::new(
            self.now, "CronJob", &ns, &name, "Created",
        ));
        if let Err(e) = parsed {
            self.record_event(
                "CronJob",
                &ns,
                &name,
                EventType::Warning,
                "UnparseableSchedule",
                format!("unparseable schedule: {spec:?} : {e}"),
                SOURCE,
                "",
            );
            return;
        }
        if let Some((z, Err(e))) = zone {
            if let Some(r) = self.controllers.workloads.cron_job_mut(id) {
                r.schedule = None;
            }
            self.record_event(
                "CronJob",
                &ns,
                &name,
                EventType::Warning,
                "UnknownTimeZone",
                format!("invalid timeZone: {z:?}: {e}"),
                SOURCE,
                "",
            );
            return;
        }
        self.schedule_cron_sync(id, self.now + self.controllers.timings.cron_job);
    }

    fn schedule_cron_sync(&mut self, id: CronJobId, at: SimTime) {
        self.wake(ControllerEvent::CronJobSync(id), at);
    }

    /// The Job informer of the CronJob controller: a Job it owns finished.
    pub(super) fn cron_job_saw_job(&mut self, job: &Job) {
        let Some(r) = controller_ref(&job.metadata) else {
            return;
        };
        if let Some(Owner::CronJob(id)) = self.controllers.workloads.owner_by_uid(&r.uid) {
            self.schedule_cron_sync(id, self.now + self.controllers.timings.cron_job);
        }
    }

    pub(super) fn sync_cron_job(&mut self, id: CronJobId) {
        let Some(rec) = self.controllers.workloads.cron_job(id) else {
            return;
        };
        // cronjob_controllerv2.go syncCronJob: a deleting CronJob schedules nothing.
        if self.gc_deleting(&rec.uid) {
            return;
        }
        let (ns, name, uid) = (
            rec.namespace().to_string(),
            rec.name().to_string(),
            rec.uid.clone(),
        );
        let cj = rec.object.clone();
        let Some(schedule) = rec.schedule.clone() else {
            return;
        };
        let (active, last_schedule, created) =
            (rec.active.clone(), rec.last_schedule, rec.created_at);
        // Finished Jobs leave status.active.
        let mut still_active = Vec::new();
        for jid in active {
            let Some(job) = self.controllers.workloads.job(jid) else {
                continue;
            };
            if job.status.is_finished() {
                let condition = if job.status.has(JobConditionType::Complete) {
                    "Complete"
                } else {
                    "Failed"
                };
                let msg = format!("Saw completed job: {}, condition: {condition}", job.name());
                self.record_event(
                    "CronJob",
                    &ns,
                    &name,
                    EventType::Normal,
                    "SawCompletedJob",
                    msg,
                    SOURCE,
                    "",
                );
            } else {
                still_active.push(jid);
            }
        }
        self.cleanup_finished_jobs(&cj, &uid, &ns, &name);
        if let Some(r) = self.controllers.workloads.cron_job_mut(id) {
            r.active = still_active.clone();
        }
        if cj.spec.suspend == Some(true) {
            return;
        }
        let now = self.epoch(self.now);
        let mut earliest = last_schedule.unwrap_or_else(|| self.epoch(created));
        if let Some(d) = cj.spec.starting_deadline_seconds {
            earliest = earliest.max(now - d);
        }
        // mostRecentScheduleTime: the latest schedule time in (earliest, now].
        let mut scheduled = None;
        let mut missed = 0u32;
        let mut t = earliest;
        while let Some(next) = schedule.next(t).filter(|n| *n <= now) {
            scheduled = Some(next);
            missed += 1;
            t = next;
            if missed > MAX_MISSED {
                break;
            }
        }
        if missed > MAX_MISSED {
            self.record_event(
                "CronJob",
                &ns,
                &name,
                EventType::Warning,
                "TooManyMissedTimes",
                format!("too many missed start times: {missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew"),
                SOURCE,
                "",
            );
        }
        if let Some(next) = schedule.next(now) {
            let at = self.sim_time(next) + WAKE_DELAY;
            self.schedule_cron_sync(id, at);
        }
        let Some(scheduled) = scheduled else {
            return;
        };
        if let Some(d) = cj.spec.starting_deadline_seconds
            && scheduled + d < now
        {
            let msg = format!(
                "Missed scheduled time to start a job: {}",
                self.scenario.wall_clock.rfc3339(self.sim_time(scheduled))
            );
            self.record_event(
                "CronJob",
                &ns,
                &name,
                EventType::Warning,
                "MissSchedule",
                msg,
                SOURCE,
                "",
            );
            return;
        }
        match cj.spec.concurrency_policy {
            Some(ConcurrencyPolicy::Forbid) if !still_active.is_empty() => {
                self.record_event(
                    "CronJob",
                    &ns,
                    &name,
                    EventType::Normal,
                    "JobAlreadyActive",
                    "Not starting job because prior execution is running and concurrency policy is Forbid",
                    SOURCE,
                    "",
                );
                return;
            }
            Some(ConcurrencyPolicy::Replace) => {
                for jid in &still_active {
                    if let Some(job_name) = self
                        .controllers
                        .workloads
                        .job(*jid)
                        .map(|j| j.name().to_string())
                    {
                        self.record_event(
                            "CronJob",
                            &ns,
                            &name,
                            EventType::Normal,
                            "SuccessfulDelete",
                            format!("Deleted job {job_name}"),
                            SOURCE,
                            "",
                        );
                    }
                    // cronjob_controllerv2.go deleteJob: propagationPolicy Background.
                    self.gc_delete(Owner::Job(*jid), PropagationPolicy::Background, SOURCE);
                }
                still_active.clear();
            }
            _ => {}
        }
        let job_name = format!("{name}-{}", scheduled.div_euclid(60));
        if self
            .controllers
            .workloads
            .find_job(&ns, &job_name)
            .is_some()
        {
            return;
        }
        let mut job = Job {
            api_version: "batch/v1".into(),
            kind: "Job".into(),
            metadata: cj.spec.job_template.metadata.clone(),
            spec: cj.spec.job_template.spec.clone(),
        };
        job.metadata.name = Some(job_name.clone());
        job.metadata.namespace = Some(ns.clone());
        job.metadata.annotations.insert(
            SCHEDULED_TIMESTAMP.into(),
            self.scenario.wall_clock.rfc3339(self.sim_time(scheduled)),
        );
        job.metadata.owner_references = vec![owner_reference("CronJob", &name, &uid)];
        crate::api::defaults::default_job(&mut job);
        self.add_job(job);
        self.record_event(
            "CronJob",
            &ns,
            &name,
            EventType::Normal,
            "SuccessfulCreate",
            format!("Created job {job_name}"),
            SOURCE,
            "",
        );
        if let Some(jid) = self.controllers.workloads.find_job(&ns, &job_name) {
            still_active.push(jid);
        }
        if let Some(r) = self.controllers.workloads.cron_job_mut(id) {
            r.active = still_active;
            r.last_schedule = Some(scheduled);
        }
    }

    /// cleanupFinishedJobs: keep the newest successfulJobsHistoryLimit Complete and
    /// failedJobsHistoryLimit Failed Jobs.
    fn cleanup_finished_jobs(&mut self, cj: &CronJob, uid: &str, ns: &str, name: &str) {
        for (condition, limit) in [
            (
                JobConditionType::Complete,
                cj.spec.successful_jobs_history_limit.unwrap_or(3),
            ),
            (
                JobConditionType::Failed,
                cj.spec.failed_jobs_history_limit.unwrap_or(1),
            ),
        ] {
            let mut finished: Vec<(SimTime, JobId, String)> = self
                .controllers
                .workloads
                .jobs()
                .filter(|j| controller_ref(&j.object.metadata).is_some_and(|r| r.uid == uid))
                .filter(|j| j.status.has(condition))
                .map(|j| {
                    (
                        j.status.start_time.unwrap_or(j.created_at),
                        j.id,
                        j.name().to_string(),
                    )
                })
                .collect();
            let limit = limit.max(0) as usize;
            if finished.len() <= limit {
                continue;
            }
            finished.sort();
            let excess = finished.len() - limit;
            for (_, jid, job_name) in finished.into_iter().take(excess) {
                self.record_event(
                    "CronJob",
                    ns,
                    name,
                    EventType::Normal,
                    "SuccessfulDelete",
                    format!("Deleted job {job_name}"),
                    SOURCE,
                    "",
                );
                // cronjob_controllerv2.go deleteJob: propagationPolicy Background.
                self.gc_delete(Owner::Job(jid), PropagationPolicy::Background, SOURCE);
            }
        }
    }
}
