//! Fixed-resolution log histograms for streamed percentiles.
//!
//! A positive f64 v = 2^e · 1.m is binned by its exponent and the top [`MANTISSA_BITS`] bits of
//! its mantissa, i.e. `bits(v) >> (52 − M)`: a piecewise-logarithmic scale with 2^M bins per
//! octave, each of relative width ≤ 2^−M. Covered range [2^−4, 2^10) = [0.0625, 1024); values
//! outside fall into the first/last bin. A percentile is reported as the midpoint of its bin,
//! clamped to the exact minimum and maximum, so its relative error is ≤ 2^−(M+1) (0.39 % with
//! M = 7) inside the range; a percentile that falls in the first (last) bin is reported as the
//! exact minimum (maximum).

/// Mantissa bits per octave.
pub const MANTISSA_BITS: u32 = 7;
const LOW_EXP: u64 = 1023 - 4;
const OCTAVES: u64 = 14;
/// Number of bins.
pub const N_BINS: usize = (OCTAVES << MANTISSA_BITS) as usize;
/// Relative half-width of a bin: the bound on the percentile error inside the covered range.
pub const PERCENTILE_REL_ERROR: f64 = 1.0 / (1u64 << (MANTISSA_BITS + 1)) as f64;

/// Bin of a positive finite value.
#[inline(always)]
pub fn bin_of(v: f64) -> usize {
    let key = (v.to_bits() >> (52 - MANTISSA_BITS)) as i64 - (LOW_EXP << MANTISSA_BITS) as i64;
    key.clamp(0, N_BINS as i64 - 1) as usize
}

fn bin_lower(i: usize) -> f64 {
    f64::from_bits((i as u64 + (LOW_EXP << MANTISSA_BITS)) << (52 - MANTISSA_BITS))
}

/// Nearest-rank percentiles (`ps` ascending, each in (0, 1]) of a histogram of `n ≥ 1` samples
/// with exact min/max, in one pass starting at the minimum's bin.
pub fn percentiles<const K: usize>(
    counts: &[u32],
    n: u32,
    ps: [f64; K],
    min: f64,
    max: f64,
) -> [f64; K] {
    let mut out = [max; K];
    let mut q = 0;
    let mut cum = 0u64;
    let first = bin_of(min);
    for (i, &c) in counts.iter().enumerate().skip(first) {
        if c == 0 {
            continue;
        }
        cum += c as u64;
        // rank = ⌈p n⌉, 1-based
        while q < K && cum >= ((ps[q] * n as f64).ceil() as u64).clamp(1, n as u64) {
            out[q] = if i == 0 {
                min
            } else if i == counts.len() - 1 {
                max
            } else {
                (0.5 * (bin_lower(i) + bin_lower(i + 1))).clamp(min, max)
            };
            q += 1;
        }
        if q == K {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_monotone_and_narrow() {
        let mut prev = 0;
        let mut v = 0.07;
        while v < 1000.0 {
            let b = bin_of(v);
            assert!(b >= prev);
            assert!(bin_lower(b) <= v && v < bin_lower(b + 1));
            assert!(
                (bin_lower(b + 1) - bin_lower(b)) / bin_lower(b)
                    <= 2.0 * PERCENTILE_REL_ERROR + 1e-15
            );
            prev = b;
            v *= 1.001;
        }
        assert_eq!(bin_of(1e-9), 0);
        assert_eq!(bin_of(1e9), N_BINS - 1);
    }
}
