//! Time scales as realised: BDT − GLONASST measured from precise satellite clocks.
//!
//! A satellite's broadcast clock is its offset from its own system time; its precise clock (an
//! IGS/MGEX product) is its offset from the analysis centre's reference. Their difference,
//! `precise − broadcast = (t_sat − REF) − (t_sat − SYS) = SYS − REF`, averaged over a
//! constellation, realises that system's time against the reference; the difference of two
//! systems' averages realises BDT − GLONASST beyond the nominal integer seconds
//! (−10 796 s in 2023, [`crate::time::nominal_offset_s`]), whatever the reference.
//!
//! Conventions (each applied to both sides so that they compare):
//!
//! * **BeiDou D1/D2 broadcast clock** a₀ + a₁(t − t_oc) + a₂(t − t_oc)² is the B3I clock
//!   (BDS-SIS-ICD-B1I 3.0 §5.2.4.10: "the B3I signal … TGD1 … B1I"), t_oc in BDT, and the ICD
//!   has the user add Δt_r = F·e·√A·sin E_k ([`crate::orbit::bds::BdsPropagator::clock_offset_s`]
//!   does). The precise products are B1I/B3I ionosphere-free clocks. With
//!   δt_B1I = δt_B3I − TGD1, the ionosphere-free clock is
//!   δt_IF = (f₁²δt_B1I − f₃²δt_B3I)/(f₁² − f₃²) = δt_B3I − k·TGD1, k = f₁²/(f₁² − f₃²) ≈ 2.944
//!   ([`K_TGD1_B1I_B3I`]). Records of the B-CNAV messages (TGD of B1Cp, another reference) are
//!   not used.
//! * **GLONASS broadcast clock** −τ_n + γ_n(t − t_b), t_b in UTC(SU) (GLONASS ICD 5.1 §4.4;
//!   RINEX writes −τ_n and +γ_n). The ICD gives users no periodic relativistic term: τ_n and γ_n
//!   are predicted by the control segment for the satellite's actual clock, periodic term
//!   included (RTKLIB's `geph2clk` likewise adds none), so the broadcast clock is taken whole.
//!   The precise GLONASS clocks are L1/L2 ionosphere-free; the broadcast τ_n refers to L1 and
//!   the L1/L2 difference (Δτ_n) is not applied: the inter-frequency part shows up as the
//!   channel slope reported.
//! * **Precise clocks** follow the IGS convention: the periodic relativistic term is *excluded*
//!   and the user adds Δt_rel = −2 r·v/c². It is added here from the broadcast orbit state
//!   (r·v is the same in ECEF and inertial frames; a metre-level orbit error changes it by
//!   < 0.001 ns), so both sides are the full satellite clock.
//!
//! Groups: BeiDou-2 (C01–C18), BeiDou-3 (C19 and above), BeiDou all, GLONASS. Per epoch and
//! group: the median, a clipped mean (values within 3 robust σ of the median, σ = 1.4826·MAD),
//! the scatter (standard deviation of the kept values) and the standard error (scatter/√n).
//! Daily: each satellite's mean over the span, then the clipped mean over satellites; its
//! standard error is the scatter of the satellites' means over √n — satellite-specific
//! hardware delays do not average out over time, so the satellite count, not the epoch count,
//! sets the uncertainty.

use std::collections::BTreeMap;

use hifitime::Epoch;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::consts::SPEED_OF_LIGHT_M_S;
use crate::ephemeris::{BdsMessage, ClockProduct};
use crate::id::{Constellation, SatId};
use crate::orbit::broadcast::BroadcastSource;
use crate::orbit::open::OrbitSpec;
use crate::orbit::Propagator;
use crate::time::offsets::{BroadcastOffsets, OffsetCode};
use crate::time::{nominal_offset_s, Scale, TimeError};

/// B1I carrier frequency, Hz (BDS-SIS-ICD-B1I 3.0 §4.2.1).
pub const F_B1I_HZ: f64 = 1_561.098e6;
/// B3I carrier frequency, Hz (BDS-SIS-ICD-B3I 1.0 §4.2.1).
pub const F_B3I_HZ: f64 = 1_268.52e6;
/// k = f_B1I² / (f_B1I² − f_B3I²) ≈ 2.944: the TGD1 factor turning the B3I broadcast clock into
/// the B1I/B3I ionosphere-free clock (δt_IF = δt_B3I − k·TGD1; see the module notes).
pub const K_TGD1_B1I_B3I: f64 = F_B1I_HZ * F_B1I_HZ / (F_B1I_HZ * F_B1I_HZ - F_B3I_HZ * F_B3I_HZ);

/// Errors of the realisation.
#[derive(Debug, Error)]
pub enum RealisedError {
    /// The product and the requested epochs (or the broadcast data) have no epoch in common.
    #[error(
        "no common epochs: {product} covers {product_span}, the span asked for is {asked_span} \
         (or no satellite has both a precise and a valid broadcast clock)"
    )]
    NoCommonEpochs {
        /// Product label.
        product: String,
        /// First – last epoch of the product.
        product_span: String,
        /// First – last epoch asked for.
        asked_span: String,
    },
    /// No epochs were asked for.
    #[error("no epochs asked for")]
    EmptySpan,
    /// A group has no satellite at all over the span.
    #[error("{group}: no satellite with both a precise and a valid broadcast clock")]
    EmptyGroup {
        /// The group.
        group: Group,
    },
    /// Time conversions.
    #[error(transparent)]
    Time(#[from] TimeError),
}

/// A group of satellites realising a system time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Group {
    /// BeiDou-2 (C01–C18).
    Bds2,
    /// BeiDou-3 (C19 and above).
    Bds3,
    /// All BeiDou satellites.
    Bds,
    /// GLONASS.
    Glonass,
}

impl Group {
    /// All groups, in report order.
    pub const ALL: [Group; 4] = [Group::Bds2, Group::Bds3, Group::Bds, Group::Glonass];
    /// The BeiDou groups.
    pub const BDS: [Group; 3] = [Group::Bds2, Group::Bds3, Group::Bds];

    /// Short label (`BDS-2`, `BDS-3`, `BDS`, `GLONASS`).
    pub fn label(self) -> &'static str {
        match self {
            Group::Bds2 => "BDS-2",
            Group::Bds3 => "BDS-3",
            Group::Bds => "BDS",
            Group::Glonass => "GLONASS",
        }
    }

    /// System letter (`C` or `R`).
    pub fn system(self) -> char {
        match self {
            Group::Glonass => 'R',
            _ => 'C',
        }
    }

    /// Whether `sat` belongs to the group.
    pub fn contains(self, sat: SatId) -> bool {
        match (self, sat.constellation()) {
            (Group::Glonass, Constellation::Glonass) => true,
            (Group::Bds, Constellation::BeiDou) => true,
            (Group::Bds2, Constellation::BeiDou) => sat.prn() <= 18,
            (Group::Bds3, Constellation::BeiDou) => sat.prn() > 18,
            _ => false,
        }
    }
}

impl std::fmt::Display for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Options of [`realise`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RealisedOptions {
    /// Factor applied to TGD1 (default [`K_TGD1_B1I_B3I`]; other values only to show that
    /// this one is right).
    pub tgd1_factor: f64,
    /// Clipping threshold in robust σ (default 3).
    pub clip_sigma: f64,
    /// Add −2 r·v/c² to the precise clocks (default true, IGS convention).
    pub precise_relativity: bool,
}

impl Default for RealisedOptions {
    fn default() -> Self {
        RealisedOptions {
            tgd1_factor: K_TGD1_B1I_B3I,
            clip_sigma: 3.0,
            precise_relativity: true,
        }
    }
}

/// One satellite at one epoch: the terms of precise − broadcast.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SatSample {
    /// Index into [`Realisation::epochs`].
    pub epoch_index: usize,
    /// Satellite.
    pub sat: SatId,
    /// GLONASS frequency channel (None for BeiDou).
    pub channel: Option<i8>,
    /// Precise clock as in the product, s.
    pub precise_s: f64,
    /// −2 r·v/c² added to the precise clock, s (0 when disabled).
    pub precise_relativity_s: f64,
    /// Broadcast clock with its ICD relativistic term (BDS) or as broadcast (GLONASS), s.
    pub broadcast_s: f64,
    /// Group-delay term subtracted from the broadcast clock (BDS: k·TGD1), s.
    pub broadcast_group_delay_s: f64,
    /// (precise + relativity) − (broadcast − group delay), ns.
    pub diff_ns: f64,
}

/// Robust statistics of one group at one epoch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GroupEpoch {
    /// Index into [`Realisation::epochs`].
    pub epoch_index: usize,
    /// Group.
    pub group: Group,
    /// Satellites used (after clipping).
    pub n_sats: usize,
    /// Satellites before clipping.
    pub n_candidates: usize,
    /// Median of precise − broadcast, ns.
    pub median_ns: f64,
    /// Clipped mean (= system time − product reference), ns.
    pub sys_minus_ref_ns: f64,
    /// Standard deviation of the kept values, ns.
    pub scatter_ns: f64,
    /// scatter/√n, ns.
    pub std_error_ns: f64,
}

/// A group's statistics over the whole span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    /// Group.
    pub group: Group,
    /// Clipped mean over satellites of each satellite's mean over the span, ns
    /// (system time − product reference).
    pub mean_ns: f64,
    /// Standard deviation over epochs of the per-epoch clipped means, ns.
    pub day_sd_ns: f64,
    /// Scatter of the satellites' means over √n, ns.
    pub std_error_ns: f64,
    /// Scatter of the satellites' means (kept after clipping), ns.
    pub sat_scatter_ns: f64,
    /// Satellites kept.
    pub n_sats: usize,
    /// Epochs with at least one satellite of the group.
    pub n_epochs: usize,
}

/// BDT − GLONASST realised by one BeiDou group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RealisedOffset {
    /// BeiDou group.
    pub bds_group: Group,
    /// BDT − GLONASST beyond the nominal integer seconds, ns.
    pub bdt_minus_glonasst_ns: f64,
    /// Standard error (the two groups' errors in quadrature), ns.
    pub std_error_ns: f64,
    /// Standard deviation over epochs of the per-epoch difference, ns.
    pub day_sd_ns: f64,
}

/// Least-squares slope of GLONASS satellite means against frequency channel.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ChannelSlope {
    /// Slope, ns per channel.
    pub ns_per_channel: f64,
    /// Its standard error, ns per channel.
    pub std_error_ns_per_channel: f64,
    /// Satellites in the fit.
    pub n_sats: usize,
}

/// The realisation of BDT and GLONASST by one precise product over a span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Realisation {
    /// Product label (agency and file).
    pub product: String,
    /// Options used.
    pub options: RealisedOptions,
    /// Epochs of the span that are product nodes with data (product time scale).
    pub epochs: Vec<Epoch>,
    /// Nominal BDT − GLONASST at the first epoch, s.
    pub nominal_s: f64,
    /// Every satellite sample.
    pub samples: Vec<SatSample>,
    /// Per epoch and group.
    pub per_epoch: Vec<GroupEpoch>,
    /// Per group over the span.
    pub groups: Vec<GroupSummary>,
    /// BDT − GLONASST per BeiDou group.
    pub offsets: Vec<RealisedOffset>,
    /// GLONASS channel slope (None with fewer than 3 satellites or one channel).
    pub glonass_channel_slope: Option<ChannelSlope>,
    /// Satellite-epochs left out because no valid broadcast record (or a B-CNAV one) exists.
    pub missing_broadcast: usize,
}

/// Median of a non-empty slice (sorted copy).
fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        0.5 * (s[n / 2 - 1] + s[n / 2])
    }
}

/// Robust statistics: (median, clipped mean, scatter, n kept). Values within `clip` robust σ
/// (1.4826·MAD, floored at 0.01 ns) of the median are kept.
pub fn robust_stats(v: &[f64], clip: f64) -> Option<(f64, f64, f64, usize)> {
    if v.is_empty() {
        return None;
    }
    let med = median(v);
    let dev: Vec<f64> = v.iter().map(|x| (x - med).abs()).collect();
    let sigma = (1.4826 * median(&dev)).max(0.01);
    let kept: Vec<f64> = v
        .iter()
        .copied()
        .filter(|x| (x - med).abs() <= clip * sigma)
        .collect();
    let n = kept.len();
    let mean = kept.iter().sum::<f64>() / n as f64;
    let scatter = if n > 1 {
        (kept.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
    } else {
        0.0
    };
    Some((med, mean, scatter, n))
}

fn sd(v: &[f64]) -> f64 {
    if v.len() < 2 {
        return 0.0;
    }
    let m = v.iter().sum::<f64>() / v.len() as f64;
    (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
}

/// One satellite's sample at `epoch`, or `None` when the product or broadcast has no value.
fn sample(
    source: &BroadcastSource,
    product: &ClockProduct,
    sat: SatId,
    epoch: Epoch,
    epoch_index: usize,
    options: &RealisedOptions,
) -> Option<SatSample> {
    let precise_s = product.clock_at(sat, epoch)?;
    let policy = &source.options().policy;
    let (group_delay_s, channel) = match sat.constellation() {
        Constellation::BeiDou => {
            let eph = source.nav().select_bds(sat, epoch, policy).ok()?;
            if !matches!(
                eph.message,
                BdsMessage::D1 | BdsMessage::D2 | BdsMessage::D1D2
            ) {
                return None;
            }
            (options.tgd1_factor * eph.tgd1_s, None)
        }
        Constellation::Glonass => {
            let eph = source.nav().select_glonass(sat, epoch, policy).ok()?;
            (0.0, Some(eph.channel))
        }
        _ => return None,
    };
    let prop: &dyn Propagator = source.propagator_at(sat, epoch).ok()?;
    let state = prop.state_at(epoch).ok()?;
    let broadcast_s = state.clock_offset_s?;
    let rel = if options.precise_relativity {
        -2.0 * state.position_m.dot(&state.velocity_m_s) / (SPEED_OF_LIGHT_M_S * SPEED_OF_LIGHT_M_S)
    } else {
        0.0
    };
    let diff_ns = ((precise_s + rel) - (broadcast_s - group_delay_s)) * 1e9;
    diff_ns.is_finite().then_some(SatSample {
        epoch_index,
        sat,
        channel,
        precise_s,
        precise_relativity_s: rel,
        broadcast_s,
        broadcast_group_delay_s: group_delay_s,
        diff_ns,
    })
}

/// Realises BDT and GLONASST against the product's reference at `epochs` (nodes of the product
/// grid; others are skipped), and BDT − GLONASST per BeiDou group. See the module notes.
///
/// Errors: [`RealisedError::EmptySpan`]; [`RealisedError::NoCommonEpochs`] when no epoch has
/// a satellite with both clocks (e.g. a product of another day); [`RealisedError::EmptyGroup`]
/// when BDS-3, BeiDou or GLONASS has no satellite at all.
pub fn realise(
    source: &BroadcastSource,
    product: &ClockProduct,
    epochs: &[Epoch],
    options: &RealisedOptions,
) -> Result<Realisation, RealisedError> {
    let (Some(&start), Some(&end)) = (epochs.first(), epochs.last()) else {
        return Err(RealisedError::EmptySpan);
    };
    let sats: Vec<SatId> = product
        .satellites
        .iter()
        .map(|s| s.sat)
        .filter(|s| {
            matches!(
                s.constellation(),
                Constellation::BeiDou | Constellation::Glonass
            )
        })
        .collect();
    let mut kept_epochs = Vec::new();
    let mut samples = Vec::new();
    let mut missing_broadcast = 0;
    for &epoch in epochs {
        if product.epoch_index(epoch).is_none() {
            continue;
        }
        let k = kept_epochs.len();
        let before = samples.len();
        for &sat in &sats {
            if product.clock_at(sat, epoch).is_none() {
                continue;
            }
            match sample(source, product, sat, epoch, k, options) {
                Some(s) => samples.push(s),
                None => missing_broadcast += 1,
            }
        }
        if samples.len() > before {
            kept_epochs.push(epoch);
        }
    }
    if kept_epochs.is_empty() {
        let (ps, pe) = match (product.epochs.first(), product.epochs.last()) {
            (Some(a), Some(b)) => (*a, *b),
            _ => (start, start),
        };
        return Err(RealisedError::NoCommonEpochs {
            product: product.label(),
            product_span: format!("{ps} – {pe}"),
            asked_span: format!("{start} – {end}"),
        });
    }
    // Per epoch and group.
    let mut per_epoch = Vec::new();
    for k in 0..kept_epochs.len() {
        let here: Vec<&SatSample> = samples.iter().filter(|s| s.epoch_index == k).collect();
        for group in Group::ALL {
            let v: Vec<f64> = here
                .iter()
                .filter(|s| group.contains(s.sat))
                .map(|s| s.diff_ns)
                .collect();
            if let Some((med, mean, scatter, n)) = robust_stats(&v, options.clip_sigma) {
                per_epoch.push(GroupEpoch {
                    epoch_index: k,
                    group,
                    n_sats: n,
                    n_candidates: v.len(),
                    median_ns: med,
                    sys_minus_ref_ns: mean,
                    scatter_ns: scatter,
                    std_error_ns: scatter / (n as f64).sqrt(),
                });
            }
        }
    }
    // Per satellite means over the span.
    let mut sat_means: BTreeMap<SatId, (f64, usize, Option<i8>)> = BTreeMap::new();
    for s in &samples {
        let e = sat_means.entry(s.sat).or_insert((0.0, 0, s.channel));
        e.0 += s.diff_ns;
        e.1 += 1;
    }
    let mut groups = Vec::new();
    for group in Group::ALL {
        let means: Vec<f64> = sat_means
            .iter()
            .filter(|(sat, _)| group.contains(**sat))
            .map(|(_, (sum, n, _))| sum / *n as f64)
            .collect();
        let Some((_, mean, scatter, n)) = robust_stats(&means, options.clip_sigma) else {
            if group != Group::Bds2 {
                return Err(RealisedError::EmptyGroup { group });
            }
            continue;
        };
        let series: Vec<f64> = per_epoch
            .iter()
            .filter(|g| g.group == group)
            .map(|g| g.sys_minus_ref_ns)
            .collect();
        groups.push(GroupSummary {
            group,
            mean_ns: mean,
            day_sd_ns: sd(&series),
            std_error_ns: scatter / (n as f64).sqrt(),
            sat_scatter_ns: scatter,
            n_sats: n,
            n_epochs: series.len(),
        });
    }
    let find = |g: Group| groups.iter().find(|s| s.group == g);
    let glo = find(Group::Glonass).ok_or(RealisedError::EmptyGroup {
        group: Group::Glonass,
    })?;
    let mut offsets = Vec::new();
    for bds_group in Group::BDS {
        let Some(b) = find(bds_group) else { continue };
        let series: Vec<f64> = (0..kept_epochs.len())
            .filter_map(|k| {
                let at = |g: Group| {
                    per_epoch
                        .iter()
                        .find(|x| x.epoch_index == k && x.group == g)
                        .map(|x| x.sys_minus_ref_ns)
                };
                Some(at(bds_group)? - at(Group::Glonass)?)
            })
            .collect();
        offsets.push(RealisedOffset {
            bds_group,
            bdt_minus_glonasst_ns: b.mean_ns - glo.mean_ns,
            std_error_ns: b.std_error_ns.hypot(glo.std_error_ns),
            day_sd_ns: sd(&series),
        });
    }
    let glonass_channel_slope = channel_slope(
        sat_means
            .values()
            .filter_map(|(sum, n, ch)| Some((f64::from((*ch)?), sum / *n as f64))),
    );
    Ok(Realisation {
        product: product.label(),
        options: *options,
        nominal_s: nominal_offset_s(Scale::Bdt, Scale::Glonasst, kept_epochs[0])? as f64,
        epochs: kept_epochs,
        samples,
        per_epoch,
        groups,
        offsets,
        glonass_channel_slope,
        missing_broadcast,
    })
}

/// Ordinary least squares y = a + b·x; the slope and its standard error.
fn channel_slope(points: impl Iterator<Item = (f64, f64)>) -> Option<ChannelSlope> {
    let p: Vec<(f64, f64)> = points.collect();
    let n = p.len();
    if n < 3 {
        return None;
    }
    let mx = p.iter().map(|q| q.0).sum::<f64>() / n as f64;
    let my = p.iter().map(|q| q.1).sum::<f64>() / n as f64;
    let sxx: f64 = p.iter().map(|q| (q.0 - mx).powi(2)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let b = p.iter().map(|q| (q.0 - mx) * (q.1 - my)).sum::<f64>() / sxx;
    let a = my - b * mx;
    let rss: f64 = p.iter().map(|q| (q.1 - a - b * q.0).powi(2)).sum();
    let s2 = rss / (n - 2) as f64;
    Some(ChannelSlope {
        ns_per_channel: b,
        std_error_ns_per_channel: (s2 / sxx).sqrt(),
        n_sats: n,
    })
}

impl Realisation {
    /// Statistics of one group over the span.
    pub fn group(&self, group: Group) -> Option<&GroupSummary> {
        self.groups.iter().find(|g| g.group == group)
    }

    /// BDT − GLONASST realised by one BeiDou group.
    pub fn offset(&self, bds_group: Group) -> Option<&RealisedOffset> {
        self.offsets.iter().find(|o| o.bds_group == bds_group)
    }

    /// Per-epoch statistics of one group, in epoch order.
    pub fn series(&self, group: Group) -> impl Iterator<Item = &GroupEpoch> {
        self.per_epoch.iter().filter(move |g| g.group == group)
    }

    /// Per-epoch realised BDT − GLONASST beyond nominal for a BeiDou group, ns.
    pub fn offset_series(&self, bds_group: Group) -> Vec<(Epoch, f64)> {
        let glo: BTreeMap<usize, f64> = self
            .series(Group::Glonass)
            .map(|g| (g.epoch_index, g.sys_minus_ref_ns))
            .collect();
        self.series(bds_group)
            .filter_map(|g| {
                Some((
                    self.epochs[g.epoch_index],
                    g.sys_minus_ref_ns - glo.get(&g.epoch_index)?,
                ))
            })
            .collect()
    }

    /// Each broadcast path against the realised offset of every BeiDou group.
    pub fn compare_paths(&self, offsets: &BroadcastOffsets) -> Vec<PathComparison> {
        let paths: [PathSpec; 4] = [
            ("nominal", None, None),
            ("via UTC", Some((OffsetCode::Bdut, OffsetCode::Glut)), None),
            ("via GPST", Some((OffsetCode::Bdgp, OffsetCode::Glgp)), None),
            ("direct", None, Some(OffsetCode::Bdgl)),
        ];
        let mut out = Vec::new();
        for (name, pair, single) in paths {
            let value_ns = |t: Epoch| -> Option<f64> {
                match (&pair, &single) {
                    (Some((b, g)), _) => {
                        Some((offsets.evaluate(b, t)? - offsets.evaluate(g, t)?) * 1e9)
                    }
                    (None, Some(c)) => Some(offsets.evaluate(c, t)? * 1e9),
                    (None, None) => Some(0.0),
                }
            };
            let values: Vec<(usize, f64)> = self
                .epochs
                .iter()
                .enumerate()
                .filter_map(|(k, t)| Some((k, value_ns(*t)?)))
                .collect();
            if values.is_empty() {
                continue;
            }
            let mean_path_ns = values.iter().map(|v| v.1).sum::<f64>() / values.len() as f64;
            let realised_minus_path_ns = Group::BDS
                .iter()
                .filter_map(|g| {
                    let o = self.offset(*g)?;
                    Some((*g, o.bdt_minus_glonasst_ns - mean_path_ns))
                })
                .collect();
            out.push(PathComparison {
                path: name.to_string(),
                mean_path_ns,
                n_epochs: values.len(),
                realised_minus_path_ns,
                series_ns: values.iter().map(|&(k, v)| (self.epochs[k], v)).collect(),
            });
        }
        out
    }
}

/// A broadcast path: name, pair of offsets (BDS − GLONASS via a common scale) or single offset.
type PathSpec = (
    &'static str,
    Option<(OffsetCode, OffsetCode)>,
    Option<OffsetCode>,
);

/// One broadcast path of BDT − GLONASST against the realised value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PathComparison {
    /// `nominal`, `via UTC`, `via GPST` or `direct`.
    pub path: String,
    /// Mean over the span of the path's value beyond nominal, ns.
    pub mean_path_ns: f64,
    /// Epochs where the path exists.
    pub n_epochs: usize,
    /// Realised − path per BeiDou group, ns.
    pub realised_minus_path_ns: Vec<(Group, f64)>,
    /// The path's value beyond nominal at each epoch where it exists, ns (for plots; not
    /// serialised).
    #[serde(skip)]
    pub series_ns: Vec<(Epoch, f64)>,
}

/// The 1-σ uncertainty of BDT − GLONASST for `bds_group` from one or more products' realisations,
/// ns: the standard errors and the product spread in quadrature. The spread is the largest
/// pairwise difference between products; with one product, which cannot show its own
/// inter-system datum, it is [`crate::time::BROADCAST_OFFSET_FLOOR_NS`].
pub fn realised_uncertainty_ns(realisations: &[Realisation], bds_group: Group) -> Option<f64> {
    let offs: Vec<&RealisedOffset> = realisations
        .iter()
        .filter_map(|r| r.offset(bds_group))
        .collect();
    if offs.is_empty() {
        return None;
    }
    let se = offs.iter().map(|o| o.std_error_ns).fold(0.0, f64::max);
    let spread = if offs.len() < 2 {
        crate::time::BROADCAST_OFFSET_FLOOR_NS
    } else {
        let v: Vec<f64> = offs.iter().map(|o| o.bdt_minus_glonasst_ns).collect();
        v.iter().cloned().fold(f64::MIN, f64::max) - v.iter().cloned().fold(f64::MAX, f64::min)
    };
    Some(se.hypot(spread))
}

/// One product in a [`RealisedSummary`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RealisedProduct {
    /// BDT − GLONASST per BeiDou group beyond the nominal seconds.
    pub bdt_minus_glonasst_ns: Vec<RealisedOffset>,
    /// Each broadcast path's mean difference.
    pub broadcast_paths: Vec<PathComparison>,
    /// The GLONASS channel slope.
    pub glonass_channel_slope: Option<ChannelSlope>,
    /// Per group.
    pub groups: Vec<GroupSummary>,
    /// Nominal whole seconds.
    pub nominal_s: f64,
    /// Product name.
    pub product: String,
}

/// Uncertainty of one BeiDou group in a [`RealisedSummary`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupUncertainty {
    /// The BeiDou group.
    pub bds_group: Group,
    /// Uncertainty, ns ([`realised_uncertainty_ns`]).
    pub uncertainty_ns: f64,
}

/// The summary of one or more products' realisations (what `gnss-interop timescales` prints
/// with `--json` and a scenario's `results.json` holds): per product its groups,
/// BDT − GLONASST per BeiDou group beyond the nominal seconds, the GLONASS channel slope and
/// each broadcast path's mean difference; then the uncertainty per BeiDou group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RealisedSummary {
    /// The navigation files of the broadcast side, by name ([`OrbitSpec::label`]: `nav:FILE`,
    /// `nav:FILE+N` for more).
    #[serde(default)]
    pub nav: String,
    /// Per product.
    pub products: Vec<RealisedProduct>,
    /// Per BeiDou group with an uncertainty.
    pub uncertainty: Vec<GroupUncertainty>,
}

impl RealisedSummary {
    /// The summary of `realisations`, compared with the broadcast `offsets` of the navigation
    /// files labelled `nav`.
    pub fn new(realisations: &[Realisation], offsets: &BroadcastOffsets, nav: String) -> Self {
        let products = realisations
            .iter()
            .map(|r| RealisedProduct {
                product: r.product.clone(),
                groups: r.groups.clone(),
                bdt_minus_glonasst_ns: r.offsets.clone(),
                nominal_s: r.nominal_s,
                glonass_channel_slope: r.glonass_channel_slope,
                broadcast_paths: r.compare_paths(offsets),
            })
            .collect();
        let uncertainty = Group::BDS
            .iter()
            .filter_map(|g| {
                Some(GroupUncertainty {
                    bds_group: *g,
                    uncertainty_ns: realised_uncertainty_ns(realisations, *g)?,
                })
            })
            .collect();
        RealisedSummary {
            nav,
            products,
            uncertainty,
        }
    }
}

/// The realised-time-scales study behind `gnss-interop timescales` and a scenario's
/// `[timescales]` with `clk`/`sp3`: the broadcast source of the navigation files (BeiDou and
/// GLONASS), every precise clock product (RINEX clock files, then SP3 files, in the order
/// given) realised at `epochs`, and the summary against the files' broadcast offsets.
pub struct RealisedStudy {
    /// The broadcast source (its navigation data carry the broadcast offsets).
    pub source: BroadcastSource,
    /// One realisation per product, in the order given.
    pub realisations: Vec<Realisation>,
    /// The products' agencies, in the same order.
    pub agencies: Vec<String>,
    /// The summary ([`RealisedSummary::new`]).
    pub summary: RealisedSummary,
}

/// One row of a product's per-epoch series ([`RealisedStudy::write_outputs`]).
#[derive(Serialize)]
struct SeriesRow {
    epoch: String,
    system: String,
    group: String,
    n_sats: usize,
    sys_minus_ref_ns: String,
    scatter_ns: String,
}

impl RealisedStudy {
    /// Write the study's files, each at the path `file(name)` gives (an output directory's
    /// staging, a scenario's `realised/` folder): per product `timescales_I_AGENCY.csv` (per
    /// epoch and group: satellites, system minus the product's reference and scatter, ns,
    /// epochs in `scale`), `summary.json` ([`RealisedSummary`]) and `timescales.png` (every
    /// broadcast path of the first product's comparison and each product's realised
    /// BDT − GLONASST per BeiDou group, ns beyond nominal, hours from `start`). Returns the
    /// names written, in order.
    pub fn write_outputs(
        &self,
        file: &mut crate::outdir::FileFor<'_>,
        scale: Scale,
        start: Epoch,
    ) -> crate::Result<Vec<String>> {
        use crate::report::plot::{time_series, Series};
        use crate::report::write::{write_csv, write_json};
        let mut names = Vec::new();
        for (i, r) in self.realisations.iter().enumerate() {
            let name = format!(
                "timescales_{i}_{}.csv",
                crate::outdir::slug(&self.agencies[i])
            );
            let rows: Vec<SeriesRow> = r
                .per_epoch
                .iter()
                .map(|g| SeriesRow {
                    epoch: crate::time::format_epoch(scale, r.epochs[g.epoch_index]),
                    system: g.group.system().to_string(),
                    group: g.group.label().to_string(),
                    n_sats: g.n_sats,
                    sys_minus_ref_ns: format!("{:.3}", g.sys_minus_ref_ns),
                    scatter_ns: format!("{:.3}", g.scatter_ns),
                })
                .collect();
            write_csv(file(&name)?, &rows)?;
            names.push(name);
        }
        write_json(file("summary.json")?, &self.summary)?;
        names.push("summary.json".into());

        let hours = |t: Epoch| (t - start).to_seconds() / 3600.0;
        let mut series = Vec::new();
        if let Some(r) = self.realisations.first() {
            for p in r.compare_paths(&self.source.nav().offsets) {
                series.push(Series {
                    label: format!("broadcast, {}", p.path),
                    points: p.series_ns.iter().map(|&(t, v)| (hours(t), v)).collect(),
                });
            }
        }
        for r in &self.realisations {
            for g in Group::BDS {
                let points: Vec<(f64, f64)> = r
                    .offset_series(g)
                    .into_iter()
                    .map(|(t, v)| (hours(t), v))
                    .collect();
                if !points.is_empty() {
                    series.push(Series {
                        label: format!("realised {} ({})", g.label(), r.product),
                        points,
                    });
                }
            }
        }
        time_series(
            file("timescales.png")?,
            "BDT − GLONASST beyond the nominal integer seconds",
            &format!("hours from {}", crate::time::format_epoch(scale, start)),
            "ns",
            &series,
        )?;
        names.push("timescales.png".into());
        Ok(names)
    }
}

/// Run the realised-time-scales study over navigation files `nav` (merged) and precise clock
/// products `clk` (RINEX clock) and `sp3`, at `epochs`.
pub fn realise_files(
    nav: &[std::path::PathBuf],
    clk: &[std::path::PathBuf],
    sp3: &[std::path::PathBuf],
    epochs: &[Epoch],
) -> crate::Result<RealisedStudy> {
    use crate::orbit::broadcast::BroadcastOptions;
    let source = BroadcastSource::from_files(
        nav,
        &[Constellation::BeiDou, Constellation::Glonass],
        BroadcastOptions::default(),
    )?;
    let mut products = Vec::new();
    for p in clk {
        products.push(ClockProduct::from_rinex_clock_file(p)?);
    }
    for p in sp3 {
        products.push(ClockProduct::from_sp3_file(p)?);
    }
    let realisations = products
        .iter()
        .map(|p| realise(&source, p, epochs, &RealisedOptions::default()))
        .collect::<Result<Vec<_>, _>>()?;
    let label = OrbitSpec::Nav(nav.to_vec()).label();
    let summary = RealisedSummary::new(&realisations, &source.nav().offsets, label);
    Ok(RealisedStudy {
        source,
        agencies: products.iter().map(|p| p.agency.clone()).collect(),
        realisations,
        summary,
    })
}
