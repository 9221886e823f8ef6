//! Probe workers: one per (pod, container, probe type), ticking every `periodSeconds` from the
//! pod's admission, as pkg/kubelet/prober/worker.go runs them. `do_probe` is the pure rule; the
//! kubelet supplies what the worker would read (the API status it published, and the
//! application's answer at `now` from the behaviour model).

use super::spec::ProbeSpec;
use crate::time::{SimDuration, SimTime};

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProbeKind {
    Liveness,
    Readiness,
    Startup,
}

impl ProbeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProbeKind::Liveness => "Liveness",
            ProbeKind::Readiness => "Readiness",
            ProbeKind::Startup => "Startup",
        }
    }

    /// The result a worker starts from for a new container (worker.go: readiness starts
    /// failed, liveness successful, startup unknown).
    fn initial(self) -> ProbeResult {
        match self {
            ProbeKind::Readiness => ProbeResult::Failure,
            ProbeKind::Liveness => ProbeResult::Success,
            ProbeKind::Startup => ProbeResult::Unknown,
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ProbeResult {
    Unknown,
    Success,
    Failure,
}

/// What the worker sees of its container at a tick.
#[derive(Copy, Clone, Debug)]
pub struct ProbeView {
    /// The container's identity (its restart count) and `state.running.startedAt`, from the
    /// published API status; None when the status does not show it running.
    pub running: Option<(u32, SimTime)>,
    /// Some container identity is known (a container ID exists in the status).
    pub container_id: Option<u32>,
    /// The container's `started` flag in the status (startup gating).
    pub started: bool,
    pub has_startup_probe: bool,
    pub pod_terminal: bool,
    pub pod_deleting: bool,
    /// The container terminated and the pod's policy is Never: the worker stops.
    pub terminated_never_restart: bool,
}

/// The outcome of one `doProbe` call.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ProbeOutcome {
    /// The probe really ran and failed (an `Unhealthy` event).
    pub failed_run: bool,
    /// The stored result changed to this value.
    pub changed: Option<ProbeResult>,
    /// The worker stops for good.
    pub stop: bool,
}

#[derive(Clone, Debug)]
pub struct ProbeWorker {
    pub kind: ProbeKind,
    pub container: usize,
    pub spec: ProbeSpec,
    pub result: ProbeResult,
    last_result: ProbeResult,
    result_run: i64,
    on_hold: bool,
    container_id: Option<u32>,
    pub stopped: bool,
}

impl ProbeWorker {
    pub fn new(kind: ProbeKind, container: usize, spec: ProbeSpec) -> Self {
        ProbeWorker {
            kind,
            container,
            spec,
            result: kind.initial(),
            last_result: ProbeResult::Unknown,
            result_run: 0,
            on_hold: false,
            container_id: None,
            stopped: false,
        }
    }

    pub fn period(&self) -> SimDuration {
        SimDuration::from_secs(u64::try_from(self.spec.period_seconds).unwrap_or(1).max(1))
    }

    /// Whether the worker has not yet probed the container instance it now sees (the
    /// readiness manual trigger in prober_manager.go UpdatePodStatus).
    pub fn is_new_container(&self, id: u32) -> bool {
        self.container_id != Some(id)
    }

    /// worker.go doProbe. `answer` is what the application would answer now (true = success).
    pub fn do_probe(&mut self, now: SimTime, view: &ProbeView, answer: bool) -> ProbeOutcome {
        let idle = ProbeOutcome {
            failed_run: false,
            changed: None,
            stop: false,
        };
        if view.pod_terminal {
            self.stopped = true;
            return ProbeOutcome { stop: true, ..idle };
        }
        let Some(id) = view.container_id else {
            return idle;
        };
        if self.container_id != Some(id) {
            self.container_id = Some(id);
            self.result = self.kind.initial();
            self.last_result = ProbeResult::Unknown;
            self.result_run = 0;
            self.on_hold = false;
        }
        if self.on_hold {
            return idle;
        }
        let Some((_, started_at)) = view.running.filter(|(rid, _)| *rid == id) else {
            // The container is not running: the result becomes failure (not for startup).
            let changed = if self.kind != ProbeKind::Startup && self.result != ProbeResult::Failure
            {
                self.result = ProbeResult::Failure;
                Some(ProbeResult::Failure)
            } else {
                None
            };
            let stop = view.terminated_never_restart;
            self.stopped |= stop;
            return ProbeOutcome {
                changed,
                stop,
                ..idle
            };
        };
        if view.pod_deleting && self.kind != ProbeKind::Readiness {
            // Liveness and startup stop on deletion, reporting success.
            self.stopped = true;
            let changed = (self.result != ProbeResult::Success).then_some(ProbeResult::Success);
            self.result = ProbeResult::Success;
            return ProbeOutcome {
                changed,
                stop: true,
                ..idle
            };
        }
        // int(time.Since(startedAt).Seconds()) < initialDelaySeconds: truncated seconds.
        let elapsed = now.saturating_since(started_at).as_secs();
        if (elapsed as i64) < self.spec.initial_delay_seconds {
            return idle;
        }
        if view.has_startup_probe {
            match self.kind {
                ProbeKind::Startup if view.started => return idle,
                ProbeKind::Liveness | ProbeKind::Readiness if !view.started => return idle,
                _ => {}
            }
        }
        let result = if answer {
            ProbeResult::Success
        } else {
            ProbeResult::Failure
        };
        if self.last_result == result {
            self.result_run += 1;
        } else {
            self.last_result = result;
            self.result_run = 1;
        }
        let failed_run = result == ProbeResult::Failure;
        if (result == ProbeResult::Failure && self.result_run < self.spec.failure_threshold)
            || (result == ProbeResult::Success && self.result_run < self.spec.success_threshold)
        {
            return ProbeOutcome { failed_run, ..idle };
        }
        let changed = (self.result != result).then_some(result);
        self.result = result;
        if result == ProbeResult::Failure && self.kind != ProbeKind::Readiness {
            // The kubelet kills the container; the worker waits for the next instance.
            self.on_hold = true;
            self.result_run = 0;
        }
        ProbeOutcome {
            failed_run,
            changed,
            stop: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(failure: i64, success: i64, delay: i64) -> ProbeSpec {
        ProbeSpec {
            handler: super::super::spec::ProbeHandler::Exec,
            initial_delay_seconds: delay,
            period_seconds: 10,
            success_threshold: success,
            failure_threshold: failure,
            termination_grace_period_seconds: None,
        }
    }

    fn view(started_at: u64) -> ProbeView {
        ProbeView {
            running: Some((0, SimTime::from_nanos(started_at * 1_000_000_000))),
            container_id: Some(0),
            started: true,
            has_startup_probe: false,
            pod_terminal: false,
            pod_deleting: false,
            terminated_never_restart: false,
        }
    }

    fn at(s: u64) -> SimTime {
        SimTime::from_nanos(s * 1_000_000_000)
    }

    /// Liveness with failureThreshold 3 fails three times in a row before the result flips
    /// (worker.go resultRun), then holds until a new container appears.
    #[test]
    fn liveness_needs_failure_threshold_consecutive_failures() {
        let mut w = ProbeWorker::new(ProbeKind::Liveness, 0, spec(3, 1, 0));
        let v = view(0);
        assert_eq!(w.do_probe(at(10), &v, false).changed, None);
        assert_eq!(w.do_probe(at(20), &v, false).changed, None);
        let third = w.do_probe(at(30), &v, false);
        assert_eq!(third.changed, Some(ProbeResult::Failure));
        assert!(third.failed_run);
        assert_eq!(
            w.do_probe(at(40), &v, false),
            ProbeOutcome {
                failed_run: false,
                changed: None,
                stop: false
            }
        );
        let mut next = v;
        next.container_id = Some(1);
        next.running = Some((1, at(45)));
        assert_eq!(
            w.do_probe(at(50), &next, true).changed,
            None,
            "a new container starts from success"
        );
    }

    #[test]
    fn readiness_starts_failed_and_waits_for_initial_delay() {
        let mut w = ProbeWorker::new(ProbeKind::Readiness, 0, spec(3, 2, 15));
        let v = view(0);
        assert_eq!(w.do_probe(at(10), &v, true).changed, None, "initial delay");
        assert_eq!(
            w.do_probe(at(20), &v, true).changed,
            None,
            "one success of two"
        );
        assert_eq!(
            w.do_probe(at(30), &v, true).changed,
            Some(ProbeResult::Success)
        );
        assert_eq!(w.do_probe(at(40), &v, false).changed, None);
    }

    #[test]
    fn startup_gates_liveness() {
        let mut w = ProbeWorker::new(ProbeKind::Liveness, 0, spec(1, 1, 0));
        let mut v = view(0);
        v.has_startup_probe = true;
        v.started = false;
        assert_eq!(w.do_probe(at(10), &v, false).changed, None);
        v.started = true;
        assert_eq!(
            w.do_probe(at(20), &v, false).changed,
            Some(ProbeResult::Failure)
        );
    }
}
