//! One helper thread for sharing a single kernel call between two threads.
//!
//! A relaxation sweep over a 128x128 grid takes about 10 µs. Rayon's `join` from a thread
//! outside its pool parks the caller on a lock latch and wakes a sleeping worker: a round
//! trip costing as much as the sweep. The helper here spins for a short while after each
//! job, so a plan replaying hundreds of kernels back to back hands work over through one
//! atomic. The work comes in chunks that both threads claim from a shared counter: when the
//! helper is asleep, late, or slowed down (a busy host), the caller simply takes more chunks.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU8, AtomicU64, Ordering};
use std::thread::Thread;
use std::time::{Duration, Instant};

/// No job: a caller may post one.
const IDLE: u8 = 0;
/// A caller owns the slot (writing the job, or finishing it alone).
const BUSY: u8 = 1;
/// A job waits for the helper.
const POSTED: u8 = 2;
/// The helper works on it.
const TAKEN: u8 = 3;
/// The helper has left it.
const DONE: u8 = 4;

/// How long the helper spins for the next job before it parks.
const SPIN: Duration = Duration::from_micros(200);

static STATE: AtomicU8 = AtomicU8::new(IDLE);
/// Address of the posting caller's `Job` (alive until the helper is done with it).
static JOB: AtomicPtr<()> = AtomicPtr::new(std::ptr::null_mut());
static SLEEPING: AtomicBool = AtomicBool::new(false);
static PANICKED: AtomicBool = AtomicBool::new(false);

/// Chunks `0..count` of one call. The caller takes them from the front and the helper from
/// the back, so that each thread keeps the same rows (in its own cache) from one call of a
/// kernel to the next while either may take more of them.
struct Job<'a> {
    /// Next front chunk (low 32 bits) and one past the next back chunk (high 32 bits).
    ends: AtomicU64,
    work: &'a (dyn Fn(usize) + Sync),
}

impl Job<'_> {
    fn drain(&self, from_back: bool) {
        let mut cur = self.ends.load(Ordering::Relaxed);
        loop {
            let (lo, hi) = (cur & 0xffff_ffff, cur >> 32);
            if lo >= hi {
                return;
            }
            let (next, c) = if from_back { (lo | (hi - 1) << 32, hi - 1) } else { ((lo + 1) | hi << 32, lo) };
            match self.ends.compare_exchange_weak(cur, next, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => {
                    (self.work)(c as usize);
                    cur = self.ends.load(Ordering::Relaxed);
                }
                Err(now) => cur = now,
            }
        }
    }
}

/// One poll of a wait: a pause for the first polls, then a yield of the core, so that on a
/// machine busy with other work a waiting thread hands its core over instead of holding it.
fn relax(polls: u32) {
    if polls < 256 {
        std::hint::spin_loop();
    } else {
        std::thread::yield_now();
    }
}

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
                let job = unsafe { &*(JOB.load(Ordering::Acquire) as *const Job<'_>) };
                if catch_unwind(AssertUnwindSafe(|| job.drain(true))).is_err() {
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
            relax(polls);
        }
        SLEEPING.store(true, Ordering::SeqCst);
        if STATE.load(Ordering::SeqCst) != POSTED {
            std::thread::park();
        }
        SLEEPING.store(false, Ordering::SeqCst);
    }
}

/// Runs `work(c)` for every chunk `c` in `0..count`, each exactly once, on this thread and the
/// helper (when it comes in time); returns when all are done. Chunks may run in any order
/// and at the same time as each other.
pub fn run_chunks(count: usize, work: &(dyn Fn(usize) + Sync)) {
    let count = count.min(u32::MAX as usize) as u64;
    let job = Job { ends: AtomicU64::new(count << 32), work };
    let helper = match helper() {
        Some(h) if count > 1 && STATE.compare_exchange(IDLE, BUSY, Ordering::Acquire, Ordering::Relaxed).is_ok() => h,
        _ => {
            // No helper, or another thread's call holds it.
            job.drain(false);
            return;
        }
    };
    JOB.store(&job as *const Job<'_> as *mut (), Ordering::Relaxed);
    STATE.store(POSTED, Ordering::SeqCst);
    if SLEEPING.load(Ordering::SeqCst) {
        helper.unpark();
    }
    // Whatever happens here, the helper must be done with `job` before it leaves the stack.
    struct Finish;
    impl Drop for Finish {
        fn drop(&mut self) {
            if STATE.compare_exchange(POSTED, BUSY, Ordering::AcqRel, Ordering::Acquire).is_err() {
                let mut polls = 0u32;
                while STATE.load(Ordering::Acquire) != DONE {
                    polls += 1;
                    relax(polls);
                }
            }
            STATE.store(IDLE, Ordering::Release);
        }
    }
    let finish = Finish;
    job.drain(false);
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
    fn every_chunk_runs_once() {
        for round in 0..2000 {
            let n = 1 + round % 9;
            let seen: Vec<AtomicUsize> = (0..n).map(|_| AtomicUsize::new(0)).collect();
            run_chunks(n, &|c| {
                seen[c].fetch_add(1, Ordering::Relaxed);
            });
            assert!(seen.iter().all(|s| s.load(Ordering::Relaxed) == 1), "round {round}");
            if round % 500 == 0 {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }

    #[test]
    fn concurrent_callers_each_get_all_chunks() {
        let total = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..500 {
                        run_chunks(3, &|c| {
                            total.fetch_add(c + 1, Ordering::Relaxed);
                        });
                    }
                });
            }
        });
        assert_eq!(total.load(Ordering::Relaxed), 4 * 500 * 6);
    }
}
