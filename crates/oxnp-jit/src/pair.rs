//! One helper thread for splitting a single kernel call in two halves.
//!
//! A relaxation sweep over a 128x128 grid takes about 10 µs. Rayon's `join` from a thread
//! outside its pool parks the caller on a lock latch and wakes a sleeping worker: a round
//! trip costing as much as the sweep. The helper here spins for a short while after each
//! job, so a plan replaying hundreds of kernels back to back hands each second half over
//! through one atomic; and the caller runs the second half itself when the helper has not
//! taken it by the time the first half is done, so a sleeping helper costs a wake-up call,
//! never a wait.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU8, Ordering};
use std::thread::Thread;
use std::time::{Duration, Instant};

/// No job: a caller may post one.
const IDLE: u8 = 0;
/// A caller owns the slot (writing the job, or running both halves itself).
const BUSY: u8 = 1;
/// A second half waits for the helper.
const POSTED: u8 = 2;
/// The helper runs it.
const TAKEN: u8 = 3;
/// The helper finished it.
const DONE: u8 = 4;

/// How long the helper spins for the next job before it parks.
const SPIN: Duration = Duration::from_micros(200);

static STATE: AtomicU8 = AtomicU8::new(IDLE);
/// Address of the posting caller's `&(dyn Fn() + Sync)` (alive until the job is done).
static JOB: AtomicPtr<()> = AtomicPtr::new(std::ptr::null_mut());
static SLEEPING: AtomicBool = AtomicBool::new(false);
static PANICKED: AtomicBool = AtomicBool::new(false);

type Job<'a> = &'a (dyn Fn() + Sync);

/// The helper, started on first use; none with one thread, or with `OXNP_JIT_PAIR=0` (for
/// experiments).
fn helper() -> Option<&'static Thread> {
    static HELPER: OnceLock<Option<Thread>> = OnceLock::new();
    HELPER
        .get_or_init(|| {
            if rayon::current_num_threads() < 2 || std::env::var("OXNP_JIT_PAIR").is_ok_and(|v| v == "0") {
                return None;
            }
            std::thread::Builder::new().name("oxnp-jit-pair".into()).spawn(helper_loop).ok().map(|h| h.thread().clone())
        })
        .as_ref()
}

fn helper_loop() {
    loop {
        let mut idle_since = Instant::now();
        let mut polls = 0u32;
        loop {
            if STATE.load(Ordering::Acquire) == POSTED && STATE.compare_exchange(POSTED, TAKEN, Ordering::AcqRel, Ordering::Relaxed).is_ok() {
                // SAFETY: the poster keeps the job alive until it sees DONE.
                let job: Job<'_> = unsafe { *(JOB.load(Ordering::Acquire) as *const Job<'_>) };
                if catch_unwind(AssertUnwindSafe(job)).is_err() {
                    PANICKED.store(true, Ordering::Relaxed);
                }
                STATE.store(DONE, Ordering::Release);
                idle_since = Instant::now();
                continue;
            }
            polls += 1;
            if polls % 64 == 0 && idle_since.elapsed() > SPIN {
                break;
            }
            std::hint::spin_loop();
        }
        SLEEPING.store(true, Ordering::SeqCst);
        if STATE.load(Ordering::SeqCst) != POSTED {
            std::thread::park();
        }
        SLEEPING.store(false, Ordering::SeqCst);
    }
}

/// Runs `first` here and `second` on the helper thread when it takes it in time (else here,
/// after `first`); returns when both are done. `second` may wait for something `first`
/// signals, never the other way round.
pub fn run_pair(first: &(dyn Fn() + Sync), second: &(dyn Fn() + Sync)) {
    let helper = match helper() {
        Some(h) if STATE.compare_exchange(IDLE, BUSY, Ordering::Acquire, Ordering::Relaxed).is_ok() => h,
        _ => {
            // No helper, or another thread's pair holds it.
            first();
            second();
            return;
        }
    };
    let job: Job<'_> = second;
    JOB.store(&job as *const Job<'_> as *mut (), Ordering::Relaxed);
    STATE.store(POSTED, Ordering::SeqCst);
    if SLEEPING.load(Ordering::SeqCst) {
        helper.unpark();
    }
    // Whatever happens to `first`, `second` must be finished before `job` leaves the stack.
    struct Finish;
    impl Drop for Finish {
        fn drop(&mut self) {
            if STATE.compare_exchange(POSTED, BUSY, Ordering::AcqRel, Ordering::Acquire).is_ok() {
                // SAFETY: the job posted just above, not taken by the helper.
                let job: Job<'_> = unsafe { *(JOB.load(Ordering::Relaxed) as *const Job<'_>) };
                job();
            } else {
                while STATE.load(Ordering::Acquire) != DONE {
                    std::hint::spin_loop();
                }
            }
            STATE.store(IDLE, Ordering::Release);
        }
    }
    let finish = Finish;
    first();
    drop(finish);
    if PANICKED.swap(false, Ordering::Relaxed) {
        panic!("the jit's helper thread panicked in a kernel call");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn both_halves_run_once_and_second_may_wait_for_first() {
        for round in 0..2000 {
            let flag = AtomicBool::new(false);
            let count = AtomicUsize::new(0);
            run_pair(
                &|| {
                    count.fetch_add(1, Ordering::Relaxed);
                    flag.store(true, Ordering::Release);
                },
                &|| {
                    while !flag.load(Ordering::Acquire) {
                        std::hint::spin_loop();
                    }
                    count.fetch_add(10, Ordering::Relaxed);
                },
            );
            assert_eq!(count.load(Ordering::Relaxed), 11, "round {round}");
            if round % 500 == 0 {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }

    #[test]
    fn concurrent_callers_each_get_both_halves() {
        let total = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..500 {
                        run_pair(&|| { total.fetch_add(1, Ordering::Relaxed); }, &|| { total.fetch_add(1, Ordering::Relaxed); });
                    }
                });
            }
        });
        assert_eq!(total.load(Ordering::Relaxed), 4000);
    }
}
