//! Whether the fused layer's GEMMs split across the rayon pool, decided by measurement on each calling thread:
//! windows of 256 GEMM calls alternate between splitting and not, each window's wall time per multiply-add
//! (everything between the calls included) is averaged per way, the faster way is kept, and every 16th window
//! tries the other way again, so a split that stops paying is dropped and taken up again when it pays.
//!
//! The whole window counts, not the GEMM call alone: a pool thread woken for a split keeps spinning for a while
//! and can slow the caller's element-wise work, so a split that saves time inside the GEMM may still lose it
//! after. Splits also wait for [`PARALLEL_MIN_MACS`]: splitting every product from 2¹⁸ multiply-adds (`tiny`'s
//! and `digits`' layers) made whole processes slow at 2 threads (`mnist` 0.9 ms against 0.84 at 1 thread,
//! against 0.57 with the threshold below). The split never changes a result: `gemm` divides the output, not
//! the sum, so each element is the same sum in the same order (a preset trained at 1 and 2 threads is
//! bit-identical).

use std::cell::RefCell;
use std::time::Instant;

/// Multiply-adds below which a GEMM always runs on the calling thread (and is not counted in a window): flex's
/// own threshold, 192³, which splits the 256-wide layers of `mnist` and `deep-*` and none of `tiny`'s or
/// `digits`'.
pub(crate) const PARALLEL_MIN_MACS: usize = 192 * 192 * 192;

/// GEMM calls per measured window.
const WINDOW: u32 = 256;
/// Windows measured alternately before the first choice.
const PROBES: u32 = 4;
/// After the first choice, every `RECHECK`-th window goes the other way.
const RECHECK: u32 = 16;

/// Mean seconds per multiply-add of one way, weighting recent windows (¼ each).
#[derive(Default, Clone, Copy)]
struct Mean(Option<f64>);

impl Mean {
    fn add(&mut self, value: f64) {
        self.0 = Some(self.0.map_or(value, |mean| 0.75 * mean + 0.25 * value));
    }
}

/// The calling thread's current window and what the windows measured.
struct Windows {
    splits: bool,
    calls: u32,
    macs: f64,
    started: Option<Instant>,
    measured: u32,
    split: Mean,
    single: Mean,
}

impl Windows {
    /// Counts one call of `macs` multiply-adds and says whether it splits; closes the window after `WINDOW` calls.
    fn next(&mut self, macs: f64) -> bool {
        let now = Instant::now();
        let started = *self.started.get_or_insert(now);
        if self.calls == WINDOW {
            let per_mac = now.duration_since(started).as_secs_f64() / self.macs;
            if self.splits {
                self.split.add(per_mac)
            } else {
                self.single.add(per_mac)
            }
            self.measured += 1;
            self.splits = self.choose();
            (self.calls, self.macs, self.started) = (0, 0.0, Some(now));
        }
        self.calls += 1;
        self.macs += macs;
        self.splits
    }

    fn choose(&self) -> bool {
        if self.measured < PROBES {
            return self.measured.is_multiple_of(2);
        }
        let split_is_faster = matches!((self.split.0, self.single.0), (Some(s), Some(o)) if s < o);
        if self.measured.is_multiple_of(RECHECK) { !split_is_faster } else { split_is_faster }
    }
}

thread_local! {
    static WINDOWS: RefCell<Windows> = const {
        RefCell::new(Windows {
            splits: true,
            calls: 0,
            macs: 0.0,
            started: None,
            measured: 0,
            split: Mean(None),
            single: Mean(None),
        })
    };
}

/// Runs `gemm` (given how to split) for an `m×k·k×n` product, on one thread or the current rayon pool.
pub(crate) fn run(m: usize, n: usize, k: usize, gemm: impl FnOnce(gemm::Parallelism)) {
    let threads = rayon::current_num_threads();
    let macs = m.saturating_mul(n).saturating_mul(k);
    if threads < 2 || macs < PARALLEL_MIN_MACS {
        return gemm(gemm::Parallelism::None);
    }
    let splits = WINDOWS.with_borrow_mut(|windows| windows.next(macs as f64));
    gemm(if splits { gemm::Parallelism::Rayon(threads) } else { gemm::Parallelism::None });
}
