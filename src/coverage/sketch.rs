//! A compact streamed quantile sketch (DDSketch-style, relative-error guarantee) for the
//! per-point DOP percentiles.
//!
//! # Mapping
//!
//! A positive finite f64 v = 2^e · (1 + m) is mapped to the key `bits(v) >> (52 − M)`: its
//! exponent and the top M = [`MANTISSA_BITS`] bits of its mantissa, i.e. 2^M bins per octave
//! with no logarithm evaluated (a few integer instructions per value). A bin [lo, hi) has
//! hi/lo ≤ 1 + 2^−M, so reporting its midpoint has relative error ≤ 2^−M / (2 + 2^−M) <
//! 2^−(M+1) = [`REL_ERROR`] (1.56 % with M = 5: the "≤ 2 %" of a DDSketch with α = 0.02 at no
//! logarithm cost).
//!
//! # Bounded memory
//!
//! The sketch holds [`BINS`] = 25 consecutive keys with `u16` counters (56 bytes in all). A
//! value whose key falls outside that window first moves the window (when the keys seen still
//! span fewer than [`BINS`]); otherwise the sketch *collapses uniformly* (the UDDSketch scheme of
//! Epicoco et al., 2020): adjacent keys are merged pairwise, which is the same mapping with one
//! mantissa bit less, so level L has 2^(M−L) bins per octave and error ≤ 2^−(M−L+1) (see
//! [`rel_error_at_level`]). The window spans a ratio of ≥ 1.7 of values at level 0 (2^(25/32)), ≥ 3.1
//! at level 1 (3.1 % error), ≥ 9 at level 2 (6.3 %), so a point's percentiles stay within 2 %
//! while its largest value is < 1.7 × its smallest, which holds for most points in a day of a
//! two-system constellation; each point reports the bound it actually reached
//! ([`QuantileSketch::rel_error`]). Counters are `u16`: a sketch holds at most
//! [`MAX_COUNT`] values (runs are limited to that many epochs).
//!
//! Each sketch is updated by one task in epoch order, so results do not depend on threads.

/// Mantissa bits per octave at level 0.
pub const MANTISSA_BITS: u32 = 5;
/// Counters per sketch.
pub const BINS: usize = 25;
/// Bound on the relative error of a percentile at level 0 (no collapse): 2^−(M+1).
pub const REL_ERROR: f64 = 1.0 / (1u64 << (MANTISSA_BITS + 1)) as f64;
/// Most values one sketch holds (the `u16` counters cannot overflow below it).
pub const MAX_COUNT: usize = u16::MAX as usize;

/// Bound on the relative error of a percentile after `level` collapses, 2^−(M−L+1), and 1 when
/// the level exceeds the mantissa bits (octave bins or coarser: factor-2 bins still give the
/// right order of magnitude, but no better than 100 %).
pub fn rel_error_at_level(level: u8) -> f64 {
    if (level as u32) > MANTISSA_BITS {
        return 1.0;
    }
    1.0 / (1u64 << (MANTISSA_BITS + 1 - level as u32)) as f64
}

/// Streamed quantiles of positive values with bounded relative error (see the module notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuantileSketch {
    /// Key (at the current level) of `counts[0]`.
    base: i32,
    /// Number of uniform collapses so far.
    level: u8,
    counts: [u16; BINS],
}

impl Default for QuantileSketch {
    fn default() -> Self {
        Self::new()
    }
}

/// Level-0 key of a value (values ≤ 0 or not finite are clamped into the positive normal range).
#[inline(always)]
fn key0(v: f64) -> i32 {
    let v = v.clamp(f64::MIN_POSITIVE, f64::MAX);
    (v.to_bits() >> (52 - MANTISSA_BITS)) as i32
}

/// Lower edge of key `k` at `level`.
fn key_lower(k: i64, level: u8) -> f64 {
    let shift = 52 - MANTISSA_BITS + level as u32;
    let bits = (k.max(0) as u64) << shift;
    f64::from_bits(bits.min(f64::MAX.to_bits()))
}

impl QuantileSketch {
    /// An empty sketch.
    pub const fn new() -> Self {
        QuantileSketch {
            base: i32::MIN,
            level: 0,
            counts: [0; BINS],
        }
    }

    /// Number of uniform collapses so far.
    pub fn level(&self) -> u8 {
        self.level
    }

    /// Bound on the relative error of [`Self::quantiles`] for the values added so far.
    pub fn rel_error(&self) -> f64 {
        rel_error_at_level(self.level)
    }

    /// Add one value (> 0; the caller holds at most [`MAX_COUNT`] values per sketch).
    #[inline(always)]
    pub fn add(&mut self, v: f64) {
        self.add_key0(key0(v));
    }

    /// Level-0 keys of W values side by side (the same as [`Self::add`] computes one by one;
    /// written on arrays so that the compiler packs the clamp and shift).
    #[inline(always)]
    pub fn keys0<const W: usize>(v: [f64; W]) -> [i32; W] {
        std::array::from_fn(|l| key0(v[l]))
    }

    /// Add one value given by its level-0 key ([`Self::keys0`]).
    #[inline(always)]
    pub fn add_key0(&mut self, k0: i32) {
        let k = k0 >> self.level;
        let i = k.wrapping_sub(self.base);
        if (0..BINS as i32).contains(&i) {
            let c = &mut self.counts[i as usize];
            *c = c.saturating_add(1);
        } else {
            self.add_outside(k);
        }
    }

    /// The slow path: an empty sketch, or a key outside the window.
    #[cold]
    fn add_outside(&mut self, mut k: i32) {
        if self.base == i32::MIN {
            self.base = k;
            self.counts[0] = 1;
            return;
        }
        // Occupied keys [lo, hi] together with k.
        let first = self.counts.iter().position(|&c| c > 0).unwrap_or(0) as i32;
        let last = self.counts.iter().rposition(|&c| c > 0).unwrap_or(0) as i32;
        let (mut lo, mut hi) = ((self.base + first).min(k), (self.base + last).max(k));
        while hi - lo >= BINS as i32 {
            // Merge keys pairwise: key k at level L+1 holds keys 2k, 2k+1 of level L.
            let mut merged = [0u16; BINS];
            let nb = self.base >> 1;
            for (i, &c) in self.counts.iter().enumerate() {
                if c > 0 {
                    let j = (((self.base + i as i32) >> 1) - nb) as usize;
                    merged[j] = merged[j].saturating_add(c);
                }
            }
            self.counts = merged;
            self.base = nb;
            self.level += 1;
            k >>= 1;
            lo >>= 1;
            hi >>= 1;
        }
        // Re-anchor the window at the lowest occupied key.
        let mut moved = [0u16; BINS];
        for (i, &c) in self.counts.iter().enumerate() {
            if c > 0 {
                moved[(self.base + i as i32 - lo) as usize] = c;
            }
        }
        self.counts = moved;
        self.base = lo;
        let c = &mut self.counts[(k - lo) as usize];
        *c = c.saturating_add(1);
    }

    /// Nearest-rank quantiles (`qs` ascending, each in (0, 1]) of the `n ≥ 1` values added, as
    /// bin midpoints clamped to `≤ max` (the exact maximum, kept by the caller).
    pub fn quantiles<const K: usize>(&self, n: u32, qs: [f64; K], max: f64) -> [f64; K] {
        let mut out = [max; K];
        let mut q = 0;
        let mut cum = 0u64;
        for (i, &c) in self.counts.iter().enumerate() {
            if c == 0 {
                continue;
            }
            cum += c as u64;
            while q < K && cum >= ((qs[q] * n as f64).ceil() as u64).clamp(1, n as u64) {
                let k = self.base as i64 + i as i64;
                let mid = 0.5 * (key_lower(k, self.level) + key_lower(k + 1, self.level));
                out[q] = mid.min(max);
                q += 1;
            }
            if q == K {
                break;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(v: &mut [f64], q: f64) -> f64 {
        v.sort_by(f64::total_cmp);
        v[((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1]
    }

    #[test]
    fn size_is_fifty_six_bytes() {
        assert_eq!(std::mem::size_of::<QuantileSketch>(), 56);
    }

    /// Percentiles of several distributions within the level's stated bound, against the
    /// sorted values (nearest rank).
    #[test]
    fn percentiles_within_stated_error() {
        // A deterministic LCG: uniform on [0, 1).
        let mut s = 0x9e37_79b9_7f4a_7c15u64;
        let mut u = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 11) as f64 / (1u64 << 53) as f64
        };
        for (lo, ratio, n) in [
            (1.2, 1.5f64, 1440),
            (0.8, 3.0, 1440),
            (1.0, 40.0, 5000),
            (0.5, 1e4, 288),
            (2.0, 1.0001, 100),
        ] {
            let mut v: Vec<f64> = (0..n).map(|_| lo * ratio.powf(u() * u())).collect();
            let mut sk = QuantileSketch::new();
            for &x in &v {
                sk.add(x);
            }
            let max = v.iter().copied().fold(0.0, f64::max);
            let [p50, p95] = sk.quantiles(n as u32, [0.5, 0.95], max);
            let err = sk.rel_error();
            for (got, q) in [(p50, 0.5), (p95, 0.95)] {
                let want = exact(&mut v, q);
                assert!(
                    (got - want).abs() <= err * want,
                    "lo {lo} ratio {ratio}: q {q} got {got} want {want} (level {})",
                    sk.level()
                );
            }
            if ratio < 1.7 {
                assert_eq!(sk.level(), 0);
                assert!(err <= 0.02);
            }
        }
    }

    /// The window moves down and up without collapsing while the keys fit.
    #[test]
    fn window_moves_before_collapsing() {
        let mut sk = QuantileSketch::new();
        for x in [1.5, 1.2, 1.7, 1.05, 1.6] {
            sk.add(x);
        }
        assert_eq!(sk.level(), 0);
        let [p0, p1] = sk.quantiles(5, [0.2, 1.0], 1.7);
        assert!((p0 - 1.05).abs() <= REL_ERROR * 1.05);
        assert_eq!(p1, 1.7);
        // 1.05 → 2.0 spans more than the window: one collapse.
        sk.add(2.0);
        assert_eq!(sk.level(), 1);
        assert_eq!(sk.rel_error(), 2.0 * REL_ERROR);
    }
}
