//! Whether the fused layer's GEMMs split across the rayon pool, decided by measurement on each calling thread:
//! time is cut into windows of 128 GEMM calls and windows into cycles of 16; the first 4 windows of a cycle
//! alternate between splitting and not, the faster way by its best window (wall time per multiply-add,
//! everything between the calls included) runs the other 12, and the next cycle measures afresh, so a split that
//! stops paying is dropped and taken up again when it pays. The process's first window (warm-up) is not counted.
//!
//! The whole window counts, not the GEMM call alone: waking a pool thread for a split costs time outside the
//! split GEMM too. On the 2-core machine of these measurements a process is in one of two states for its whole
//! life: in most, a woken pool thread answers quickly and splitting every product of at least 192³ multiply-adds
//! takes `mnist` from 0.84 ms a step (1 thread) to 0.57; in the others (2 of 5 processes in one series, with the
//! pool threads pinned to distinct CPUs or not) every wake-up is slow and the same splits make it 0.90. The
//! windows keep the single-thread way there. Products of at least 2²⁶ multiply-adds split always: they take a
//! millisecond on one core, so a slow wake-up still pays. The split never changes a result: `gemm` divides the
//! output, not the sum, so each element is the same sum in the same order (a preset trained with 1 and 2 rayon
//! threads is bit-identical).

use std::cell::RefCell;
use std::time::Instant;

/// Multiply-adds below which a GEMM always runs on the calling thread (and is not counted in a window): flex's
/// own threshold, 192³, which splits the 256-wide layers of `mnist` and `deep-*` and none of `tiny`'s or
/// `digits`'.
pub(crate) const PARALLEL_MIN_MACS: usize = 192 * 192 * 192;

/// Multiply-adds from which a GEMM always splits, uncounted: a product this large (`wide`'s 1024-wide layers,
/// 2.7·10⁸) takes a millisecond on one core, and waking a pool thread costs a tenth of that at worst.
const ALWAYS_SPLIT_MACS: usize = 1 << 26;

/// GEMM calls per measured window.
const WINDOW: u32 = 128;
/// Windows per cycle.
const CYCLE: u32 = 16;
/// Windows at the start of a cycle that alternate between the two ways.
const PROBES: u32 = 4;

/// The calling thread's current window and what this cycle's probes measured.
struct Windows {
    splits: bool,
    calls: u32,
    macs: f64,
    started: Option<Instant>,
    /// Windows closed so far, the warm-up window not counted (it closes at −1).
    closed: i64,
    /// Best seconds per multiply-add of this cycle's probes: splitting, not splitting.
    best: [f64; 2],
}

impl Windows {
    /// Counts one call of `macs` multiply-adds and says whether it splits; closes the window after `WINDOW` calls.
    fn next(&mut self, macs: f64) -> bool {
        let now = Instant::now();
        let started = *self.started.get_or_insert(now);
        if self.calls == WINDOW {
            let per_mac = now.duration_since(started).as_secs_f64() / self.macs;
            let phase = self.closed.rem_euclid(i64::from(CYCLE));
            if self.closed >= 0 && phase < i64::from(PROBES) {
                let way = usize::from(!self.splits);
                self.best[way] = self.best[way].min(per_mac);
            }
            self.closed += 1;
            self.splits = self.choose();
            (self.calls, self.macs, self.started) = (0, 0.0, Some(now));
        }
        self.calls += 1;
        self.macs += macs;
        self.splits
    }

    /// The way the next window runs.
    fn choose(&mut self) -> bool {
        let phase = self.closed.rem_euclid(i64::from(CYCLE));
        if phase == 0 {
            self.best = [f64::INFINITY; 2];
        }
        if phase < i64::from(PROBES) {
            return phase % 2 == 0;
        }
        self.best[0] <= self.best[1]
    }
}

thread_local! {
    static WINDOWS: RefCell<Windows> = const {
        RefCell::new(Windows { splits: true, calls: 0, macs: 0.0, started: None, closed: -1, best: [f64::INFINITY; 2] })
    };
}

/// Runs `gemm` (given how to split) for an `m×k·k×n` product, on one thread or the current rayon pool.
pub(crate) fn run(m: usize, n: usize, k: usize, gemm: impl FnOnce(gemm::Parallelism)) {
    let threads = rayon::current_num_threads();
    let macs = m.saturating_mul(n).saturating_mul(k);
    if threads < 2 || macs < PARALLEL_MIN_MACS {
        return gemm(gemm::Parallelism::None);
    }
    let splits = macs >= ALWAYS_SPLIT_MACS || WINDOWS.with_borrow_mut(|windows| windows.next(macs as f64));
    gemm(if splits { gemm::Parallelism::Rayon(threads) } else { gemm::Parallelism::None });
}
