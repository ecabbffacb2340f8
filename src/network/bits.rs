//! Fixed-length bit sets over the epochs of a time span, and run statistics on them.

use serde::{Deserialize, Serialize};

/// A set of epoch indices `0..len`, one bit per epoch, packed in 64-bit words.
///
/// Bits at positions `>= len` in the last word are always zero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpochBits {
    len: usize,
    words: Vec<u64>,
}

/// Runs of set (tracked) and clear (untracked) epochs in an [`EpochBits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RunStats {
    /// Number of set epochs.
    pub set: usize,
    /// Number of maximal runs of set epochs (passes).
    pub passes: usize,
    /// Number of maximal runs of clear epochs (gaps), including one at either end of the span.
    pub gaps: usize,
    /// Length of the longest clear run, in epochs (0 when there is none).
    pub longest_gap: usize,
    /// Total length of all clear runs, in epochs.
    pub gap_total: usize,
}

impl EpochBits {
    /// An empty set over `len` epochs.
    pub fn zeros(len: usize) -> Self {
        EpochBits {
            len,
            words: vec![0; len.div_ceil(64)],
        }
    }

    /// The full set over `len` epochs.
    pub fn ones(len: usize) -> Self {
        let mut b = EpochBits {
            len,
            words: vec![u64::MAX; len.div_ceil(64)],
        };
        b.clear_padding();
        b
    }

    /// Number of epochs covered.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the span has no epochs.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The packed words (bit `i % 64` of word `i / 64` is epoch `i`).
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    fn clear_padding(&mut self) {
        let r = self.len % 64;
        if r != 0 {
            if let Some(last) = self.words.last_mut() {
                *last &= (1u64 << r) - 1;
            }
        }
    }

    /// Set epoch `i` (ignored when `i >= len`).
    pub fn set(&mut self, i: usize) {
        if i < self.len {
            self.words[i / 64] |= 1u64 << (i % 64);
        }
    }

    /// Whether epoch `i` is in the set (`false` when `i >= len`).
    pub fn get(&self, i: usize) -> bool {
        i < self.len && (self.words[i / 64] >> (i % 64)) & 1 == 1
    }

    /// Number of epochs in the set.
    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// In-place union with another set of the same length.
    pub fn or_assign(&mut self, other: &EpochBits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= *b;
        }
    }

    /// Runs of set and clear epochs.
    pub fn run_stats(&self) -> RunStats {
        run_stats_words(&self.words, self.len)
    }
}

/// First set position `>= from`, or `len` if none.
fn next_set(words: &[u64], len: usize, from: usize) -> usize {
    next_with(words, len, from, 0)
}

/// First clear position `>= from`, or `len` if none.
fn next_clear(words: &[u64], len: usize, from: usize) -> usize {
    next_with(words, len, from, u64::MAX)
}

/// First position `>= from` whose bit differs from `flip`'s (0: first set bit, all ones: first
/// clear bit), or `len` if none.
fn next_with(words: &[u64], len: usize, from: usize, flip: u64) -> usize {
    if from >= len {
        return len;
    }
    let mut wi = from / 64;
    let mut w = (words[wi] ^ flip) & (u64::MAX << (from % 64));
    loop {
        if w != 0 {
            return (wi * 64 + w.trailing_zeros() as usize).min(len);
        }
        wi += 1;
        if wi >= words.len() {
            return len;
        }
        w = words[wi] ^ flip;
    }
}

/// Run statistics of packed words holding `len` epochs (padding bits must be zero).
pub(crate) fn run_stats_words(words: &[u64], len: usize) -> RunStats {
    let mut s = RunStats::default();
    let mut p = 0;
    while p < len {
        let q = next_set(words, len, p);
        if q > p {
            s.gaps += 1;
            s.gap_total += q - p;
            s.longest_gap = s.longest_gap.max(q - p);
        }
        if q >= len {
            break;
        }
        let r = next_clear(words, len, q);
        s.passes += 1;
        s.set += r - q;
        p = r;
    }
    s
}

/// Longest clear run only (cheaper than [`run_stats_words`] when nothing else is needed).
pub(crate) fn longest_gap_words(words: &[u64], len: usize) -> usize {
    let mut best = 0;
    let mut p = 0;
    while p < len {
        let q = next_set(words, len, p);
        best = best.max(q - p);
        if q >= len {
            break;
        }
        p = next_clear(words, len, q);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_str(s: &str) -> EpochBits {
        let mut b = EpochBits::zeros(s.len());
        for (i, c) in s.chars().enumerate() {
            if c == '1' {
                b.set(i);
            }
        }
        b
    }

    fn naive(s: &str) -> RunStats {
        let mut r = RunStats::default();
        let c: Vec<bool> = s.chars().map(|c| c == '1').collect();
        let mut i = 0;
        while i < c.len() {
            let mut j = i;
            while j < c.len() && c[j] == c[i] {
                j += 1;
            }
            if c[i] {
                r.passes += 1;
                r.set += j - i;
            } else {
                r.gaps += 1;
                r.gap_total += j - i;
                r.longest_gap = r.longest_gap.max(j - i);
            }
            i = j;
        }
        r
    }

    #[test]
    fn runs_match_naive_count() {
        let mut pat = String::new();
        // Deterministic pseudo-random pattern across word boundaries (LCG).
        let mut x: u64 = 12345;
        for _ in 0..300 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let run = 1 + (x >> 58) as usize * 3;
            let c = if (x >> 40) & 1 == 1 { '1' } else { '0' };
            for _ in 0..run {
                pat.push(c);
            }
        }
        for n in [0, 1, 63, 64, 65, 127, 128, 129, 500, pat.len()] {
            let s = &pat[..n];
            let b = from_str(s);
            assert_eq!(b.run_stats(), naive(s), "prefix {n}");
            assert_eq!(longest_gap_words(b.words(), n), naive(s).longest_gap);
        }
        assert_eq!(EpochBits::ones(130).count(), 130);
        assert_eq!(EpochBits::ones(130).run_stats().passes, 1);
        assert_eq!(EpochBits::zeros(130).run_stats().longest_gap, 130);
    }
}
