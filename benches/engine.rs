//! Throughput of the bare event engine: `sim_core::engine::EventQueue<Event>` with the real
//! closed `Event` enum, no dispatch. Every case reports events/s via `Throughput::Elements`.
//!
//! * `hold/N`        — classic hold model: N pending timers; each event = pop the earliest,
//!   schedule one new event at `now + U[0, 2ms)`. Queue size stays N.
//! * `hold_cancel/N` — the same, plus every 9th step an extra timeout timer is scheduled beyond
//!   every pending event and cancelled 9 steps later, so 10% of all scheduled timers are
//!   cancelled (lazily, tombstones collected when they reach the head). Element = live event
//!   popped.
//! * `cancel_batch/100000` — schedule 100k timers at random times, cancel every 10th, pop
//!   until empty. Element = scheduled timer.
//! * `burst/1000000` — schedule 1M events at random times into a fresh queue, then pop all.
//!   Element = event (scheduled once, popped once).
//!
//! Randomness is a fixed-seed xorshift64*: no OS randomness, identical work on every run.
//!
//! Run: `cargo bench --bench engine` (about 45 s of measurement on a 2-core VM, plus the build).

/// The same allocator as the `kubesim` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput};
use sim_core::cluster::{NodeId, PodId};
use sim_core::engine::{Event, EventQueue, TimerId, WatchChange};
use sim_core::kubelet::KubeletTimer;
use sim_core::time::{SimDuration, SimTime};

/// Maximum hold delay (exclusive), in nanoseconds: delays are uniform in [0, 2 ms).
const MAX_DELAY_NS: u64 = 2_000_000;
/// Hold steps per criterion iteration (amortises the timing loop).
const STEPS: u64 = 10_000;
/// In `hold_cancel`, one extra cancelled timer every `CANCEL_EVERY` steps: 1 of 10 scheduled.
const CANCEL_EVERY: u64 = 9;

/// xorshift64* (Vigna): tiny, deterministic, good enough for delays.
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> Self {
        XorShift(seed | 1)
    }
    #[inline]
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `0..n` (widening multiply; bias irrelevant here).
    #[inline]
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

/// A realistic mix of the real event variants (all fit the same enum slot, so the mix only
/// matters for honesty, not for cost).
#[inline]
fn make_event(r: u64) -> Event {
    let node = NodeId((r >> 8) as u32 & 0xff);
    let pod = PodId((r >> 16) as u32 & 0xffff);
    match r & 7 {
        0 => Event::Kubelet {
            node,
            timer: KubeletTimer::Relist { pod },
        },
        1 => Event::Kubelet {
            node,
            timer: KubeletTimer::StepDone {
                pod,
                token: r as u32,
            },
        },
        2 => Event::Kubelet {
            node,
            timer: KubeletTimer::ContainerExit {
                pod,
                container: 0,
                attempt: 1,
            },
        },
        3 => Event::Kubelet {
            node,
            timer: KubeletTimer::PullDone { pull: r >> 32 },
        },
        4 => Event::KubeletWatch {
            node,
            pod,
            change: WatchChange::Assigned,
        },
        5 => Event::Bind { pod, node },
        6 => Event::SchedulerCycle,
        _ => Event::Kubelet {
            node,
            timer: KubeletTimer::Stopped {
                pod,
                container: 0,
                attempt: 1,
            },
        },
    }
}

/// A queue holding `n` pending events at times uniform in [0, MAX_DELAY).
fn prefilled(n: usize, rng: &mut XorShift) -> EventQueue<Event> {
    let mut q = EventQueue::with_capacity(n + n / 4);
    for _ in 0..n {
        let r = rng.next();
        q.schedule(SimTime::from_nanos(rng.below(MAX_DELAY_NS)), make_event(r));
    }
    q
}

fn bench_hold(c: &mut Criterion) {
    let mut g = c.benchmark_group("hold");
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .sample_size(30)
        .throughput(Throughput::Elements(STEPS));
    for n in [1_000usize, 100_000] {
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            let mut rng = XorShift::new(0x5eed_0001);
            let mut q = prefilled(n, &mut rng);
            // The queue persists across iterations: a long steady-state hold run.
            b.iter(|| {
                for _ in 0..STEPS {
                    let (now, ev) = q.pop().expect("hold queue never empties");
                    black_box(ev);
                    let r = rng.next();
                    let at = now + SimDuration::from_nanos(rng.below(MAX_DELAY_NS));
                    q.schedule(at, make_event(r));
                }
            });
            assert_eq!(q.len(), n);
        });
    }
    g.finish();
}

fn bench_hold_cancel(c: &mut Criterion) {
    let mut g = c.benchmark_group("hold_cancel");
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .sample_size(30)
        .throughput(Throughput::Elements(STEPS));
    for n in [1_000usize, 100_000] {
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            let mut rng = XorShift::new(0x5eed_0002);
            let mut q = prefilled(n, &mut rng);
            let mut step: u64 = 0;
            let mut pending_timeout: Option<TimerId> = None;
            b.iter(|| {
                for _ in 0..STEPS {
                    let (now, ev) = q.pop().expect("hold queue never empties");
                    // Timeouts are always cancelled long before they are due.
                    assert!(ev != Event::SchedulerWakeup, "a cancelled timer fired");
                    black_box(ev);
                    let r = rng.next();
                    let at = now + SimDuration::from_nanos(rng.below(MAX_DELAY_NS));
                    q.schedule(at, make_event(r));
                    step += 1;
                    if step.is_multiple_of(CANCEL_EVERY) {
                        if let Some(id) = pending_timeout.take() {
                            q.cancel(id);
                        }
                        // Beyond every pending event (all are < now + MAX_DELAY).
                        let far = now + SimDuration::from_nanos(4 * MAX_DELAY_NS);
                        pending_timeout = Some(q.schedule(far, Event::SchedulerWakeup));
                    }
                }
            });
        });
    }
    g.finish();
}

fn bench_cancel_batch(c: &mut Criterion) {
    const N: u64 = 100_000;
    let mut g = c.benchmark_group("cancel_batch");
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(20)
        .sampling_mode(SamplingMode::Flat)
        .throughput(Throughput::Elements(N));
    g.bench_function(BenchmarkId::from_parameter(N), |b| {
        let mut rng = XorShift::new(0x5eed_0003);
        let mut ids = Vec::with_capacity(N as usize / 10 + 1);
        b.iter(|| {
            let mut q = EventQueue::new();
            ids.clear();
            for i in 0..N {
                let r = rng.next();
                let id = q.schedule(SimTime::from_nanos(rng.below(1_000_000_000)), make_event(r));
                if i % 10 == 0 {
                    ids.push(id);
                }
            }
            for &id in &ids {
                q.cancel(id);
            }
            let mut popped = 0u64;
            while let Some((t, ev)) = q.pop() {
                black_box((t, ev));
                popped += 1;
            }
            assert_eq!(popped, N - N / 10);
            q
        });
    });
    g.finish();
}

fn bench_burst(c: &mut Criterion) {
    const N: u64 = 1_000_000;
    let mut g = c.benchmark_group("burst");
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6))
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .throughput(Throughput::Elements(N));
    g.bench_function(BenchmarkId::from_parameter(N), |b| {
        let mut rng = XorShift::new(0x5eed_0004);
        b.iter_batched(
            // Random times drawn outside the timed region; the (empty) queue is fresh and
            // grows inside it, as the simulator's does.
            || {
                (0..N)
                    .map(|_| (rng.below(1_000_000_000), rng.next()))
                    .collect::<Vec<_>>()
            },
            |input| {
                let mut q = EventQueue::new();
                for &(t, r) in &input {
                    q.schedule(SimTime::from_nanos(t), make_event(r));
                }
                let mut last = SimTime::ZERO;
                while let Some((t, ev)) = q.pop() {
                    debug_assert!(t >= last);
                    last = t;
                    black_box(ev);
                }
                (q, input)
            },
            BatchSize::PerIteration,
        );
    });
    g.finish();
}

fn report_sizes() {
    // EventQueue's heap entry is `Reverse<Entry { time: SimTime, seq: u64, event: Event }>`
    // (private); this tuple has the same fields and therefore the same size.
    eprintln!(
        "size_of: Event = {} B, KubeletTimer = {} B, heap entry (SimTime, u64, Event) = {} B",
        std::mem::size_of::<Event>(),
        std::mem::size_of::<KubeletTimer>(),
        std::mem::size_of::<(SimTime, u64, Event)>(),
    );
}

fn main() {
    report_sizes();
    let mut c = Criterion::default().configure_from_args();
    bench_hold(&mut c);
    bench_hold_cancel(&mut c);
    bench_cancel_batch(&mut c);
    bench_burst(&mut c);
    c.final_summary();
}
