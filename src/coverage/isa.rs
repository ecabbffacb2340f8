//! Instruction-set level of the coverage kernel, chosen at run time.
//!
//! The portable binary (baseline x86-64, SSE2) detects the CPU when a run starts and runs the
//! widest kernel it has: on x86-64-v3 (AVX2, FMA, BMI…) the per-pair accumulation runs on
//! 256-bit vectors, one lane group of four points per register, and the whole row loop is
//! compiled for that level (through the [`pulp`] crate's safe run-time dispatch: no `unsafe` in
//! this crate). The scalar path is the reference and is kept for every machine.
//!
//! On x86-64-v4 (AVX-512F/BW/CD/DQ/VL) the same row loop is compiled for that level (EVEX
//! encodings, 32 vector registers, mask registers for the visibility selects); the lane groups
//! stay four points wide (256-bit), so results are those of v3. The v4 path is built into every
//! x86-64 binary and selected only on a CPU that has AVX-512; the development machine has none,
//! so that path is compiled but has not been run there.
//!
//! The level can be forced with [`super::CoverageConfig::with_isa`] or, when the configuration
//! says [`IsaLevel::Auto`], with the environment variable `GNSS_INTEROP_ISA` = `scalar` | `v3` |
//! `v4` | `auto`. The vector path performs the scalar path's operations in the same order (no fused
//! multiply-add: with FMA the sums round differently and the DOPs of ill-conditioned epochs moved
//! by up to 4e-12 relative), so results are bit-identical between levels, as they are for any
//! number of threads (tested against the 1e-12 relative tolerance and bit for bit).

use serde::{Deserialize, Serialize};

use super::CoverageError;

/// Environment variable that forces a level when the configuration says [`IsaLevel::Auto`].
pub const ISA_ENV: &str = "GNSS_INTEROP_ISA";

/// Instruction-set level of the coverage kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum IsaLevel {
    /// `GNSS_INTEROP_ISA` if set, else the widest level the CPU offers.
    #[default]
    Auto,
    /// Scalar reference path (packed SSE2 where the compiler finds it).
    Scalar,
    /// x86-64-v3 (AVX2 and FMA): 256-bit vectors.
    V3,
    /// x86-64-v4 (AVX-512): the v3 kernel compiled with AVX-512 enabled (same results).
    V4,
}

impl IsaLevel {
    /// Lower-case name (`auto`, `scalar`, `v3`, `v4`).
    pub fn name(self) -> &'static str {
        match self {
            IsaLevel::Auto => "auto",
            IsaLevel::Scalar => "scalar",
            IsaLevel::V3 => "v3",
            IsaLevel::V4 => "v4",
        }
    }

    /// Parse a name as [`IsaLevel::name`] gives it.
    pub fn from_name(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Some(IsaLevel::Auto),
            "scalar" => Some(IsaLevel::Scalar),
            "v3" => Some(IsaLevel::V3),
            "v4" => Some(IsaLevel::V4),
            _ => None,
        }
    }

    /// The levels this machine can run, scalar first.
    pub fn available() -> Vec<IsaLevel> {
        let mut v = vec![IsaLevel::Scalar];
        if Isa::v3().is_some() {
            v.push(IsaLevel::V3);
        }
        if Isa::v4().is_some() {
            v.push(IsaLevel::V4);
        }
        v
    }

    /// The level a run with this setting uses: [`IsaLevel::Auto`] resolved through
    /// `GNSS_INTEROP_ISA` and the CPU. Errors on an unknown `GNSS_INTEROP_ISA` value or a level
    /// the CPU does not have.
    pub fn resolve(self) -> Result<IsaLevel, CoverageError> {
        Ok(Isa::resolve(self)?.level())
    }
}

/// A resolved level, holding the proof of CPU support the vector path needs.
#[derive(Debug, Clone, Copy)]
pub(super) enum Isa {
    Scalar,
    #[cfg(target_arch = "x86_64")]
    V3(pulp::x86::V3),
    #[cfg(target_arch = "x86_64")]
    V4(pulp::x86::V4),
}

impl Isa {
    #[cfg(target_arch = "x86_64")]
    fn v3() -> Option<Isa> {
        pulp::x86::V3::try_new().map(Isa::V3)
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn v3() -> Option<Isa> {
        None
    }

    #[cfg(target_arch = "x86_64")]
    fn v4() -> Option<Isa> {
        pulp::x86::V4::try_new().map(Isa::V4)
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn v4() -> Option<Isa> {
        None
    }

    pub(super) fn level(self) -> IsaLevel {
        match self {
            Isa::Scalar => IsaLevel::Scalar,
            #[cfg(target_arch = "x86_64")]
            Isa::V3(_) => IsaLevel::V3,
            #[cfg(target_arch = "x86_64")]
            Isa::V4(_) => IsaLevel::V4,
        }
    }

    pub(super) fn resolve(want: IsaLevel) -> Result<Isa, CoverageError> {
        let want = match want {
            IsaLevel::Auto => match std::env::var(ISA_ENV) {
                Ok(v) => IsaLevel::from_name(&v).ok_or(CoverageError::InvalidIsa { value: v })?,
                Err(_) => IsaLevel::Auto,
            },
            w => w,
        };
        match want {
            IsaLevel::Auto => Ok(Isa::v4().or_else(Isa::v3).unwrap_or(Isa::Scalar)),
            IsaLevel::Scalar => Ok(Isa::Scalar),
            IsaLevel::V3 => Isa::v3().ok_or(CoverageError::IsaUnavailable { level: want }),
            IsaLevel::V4 => Isa::v4().ok_or(CoverageError::IsaUnavailable { level: want }),
        }
    }
}
