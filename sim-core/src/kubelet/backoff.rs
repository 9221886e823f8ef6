//! client-go's `flowcontrol.Backoff` as the kubelet configures it for container restarts and
//! image pulls (staging/src/k8s.io/client-go/util/flowcontrol/backoff.go; pkg/kubelet/kubelet.go).

use crate::time::{SimDuration, SimTime};

/// pkg/kubelet/kubelet.go: initial container restart back-off and its cap
/// (`MaxContainerBackOff`, pkg/kubelet/apis/config/v1beta1/defaults.go).
pub const CRASH_LOOP_INITIAL: SimDuration = SimDuration::from_secs(10);
pub const CRASH_LOOP_MAX: SimDuration = SimDuration::from_secs(300);
/// pkg/kubelet/images: `imageBackOffPeriod` and `MaxImageBackOff`.
pub const IMAGE_PULL_INITIAL: SimDuration = SimDuration::from_secs(10);
pub const IMAGE_PULL_MAX: SimDuration = SimDuration::from_secs(300);
/// pkg/kubelet/kubelet.go sets `HasExpiredFunc` so that a container that ran longer than 10
/// minutes since its last restart gets a fresh back-off, whatever the cap.
pub const CRASH_LOOP_RESET: SimDuration = SimDuration::from_secs(600);

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct BackoffEntry {
    pub period: SimDuration,
    pub last_update: SimTime,
}

/// One back-off entry per key (the caller keeps the map). `expiry` decides when an entry is
/// stale: for containers, `event_time - last_update > 10m`; client-go's default is `2 * max`.
#[derive(Copy, Clone, Debug)]
pub struct Backoff {
    pub initial: SimDuration,
    pub max: SimDuration,
    pub reset_after: SimDuration,
}

impl Backoff {
    pub const CRASH_LOOP: Backoff = Backoff {
        initial: CRASH_LOOP_INITIAL,
        max: CRASH_LOOP_MAX,
        reset_after: CRASH_LOOP_RESET,
    };
    /// Image pulls use client-go's default expiry of twice the maximum.
    pub const IMAGE_PULL: Backoff = Backoff {
        initial: IMAGE_PULL_INITIAL,
        max: IMAGE_PULL_MAX,
        reset_after: SimDuration::from_secs(600),
    };

    fn has_expired(&self, entry: &BackoffEntry, event_time: SimTime) -> bool {
        event_time.saturating_since(entry.last_update) > self.reset_after
    }

    /// `IsInBackOffSince(id, eventTime)`: whether `now - event_time < period`, unless the entry
    /// has expired.
    pub fn is_in_backoff_since(
        &self,
        entry: Option<&BackoffEntry>,
        event_time: SimTime,
        now: SimTime,
    ) -> bool {
        match entry {
            None => false,
            Some(e) if self.has_expired(e, event_time) => false,
            Some(e) => now.saturating_since(event_time) < e.period,
        }
    }

    /// `Next(id, eventTime)`: a new or expired entry starts at `initial`, otherwise the period
    /// doubles up to `max`; `last_update` becomes `now` (the time of the restart).
    pub fn next(
        &self,
        entry: Option<BackoffEntry>,
        event_time: SimTime,
        now: SimTime,
    ) -> BackoffEntry {
        let period = match entry {
            Some(e) if !self.has_expired(&e, event_time) => {
                e.period.saturating_mul(2).min(self.max)
            }
            _ => self.initial,
        };
        BackoffEntry {
            period,
            last_update: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(n: u64) -> SimTime {
        SimTime::from_nanos(n * 1_000_000_000)
    }

    /// A container that crashes right after every start: restarts are immediate, then wait
    /// 10s, 20s, 40s, 80s, 160s and 300s from then on (kubelet.md §3.3; upstream issue #133472).
    #[test]
    fn crash_loop_schedule() {
        let b = Backoff::CRASH_LOOP;
        let mut entry = None;
        let mut waits = Vec::new();
        let mut now = s(0);
        for _ in 0..8 {
            let finished = now;
            let mut wait = 0;
            while b.is_in_backoff_since(
                entry.as_ref(),
                finished,
                s(finished.as_nanos() / 1_000_000_000 + wait),
            ) {
                wait += 1;
            }
            waits.push(wait);
            now = s(finished.as_nanos() / 1_000_000_000 + wait);
            entry = Some(b.next(entry, finished, now));
        }
        assert_eq!(waits, [0, 10, 20, 40, 80, 160, 300, 300]);
    }

    #[test]
    fn running_ten_minutes_resets_the_backoff() {
        let b = Backoff::CRASH_LOOP;
        let e = BackoffEntry {
            period: SimDuration::from_secs(300),
            last_update: s(0),
        };
        assert!(!b.is_in_backoff_since(Some(&e), s(601), s(601)));
        assert_eq!(
            b.next(Some(e), s(601), s(601)).period,
            SimDuration::from_secs(10)
        );
        assert!(b.is_in_backoff_since(Some(&e), s(599), s(600)));
    }
}
