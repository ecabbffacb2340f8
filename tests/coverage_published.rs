//! The BDS-3 nominal constellation against a published DOP study.
//!
//! Source: M. Wang, J. Wang, D. Dong, L. Meng, J. Chen, A. Wang, H. Cui, "Performance of BDS-3:
//! satellite visibility and dilution of precision", GPS Solutions 23(2):56, 2019,
//! doi:10.1007/s10291-019-0847-x. Abstract: with a 5° cut-off, over 60°S–60°N, 50°E–170°E, BDS-3
//! (24 MEO + 3 IGSO + 3 GEO; no BDS-2) shows 11–14 visible satellites and average HDOP, VDOP,
//! TDOP of 0.74, 1.08, 0.67, which are 16 %, 19 % and 14 % lower than those of the 24-MEO-only
//! BDS-3.
//!
//! What cannot be matched exactly, and hence the tolerances:
//! - Their method is *not* a simulation: DOP is estimated from satellite-observing probabilities
//!   without ephemerides, and their own validation against real GPS/GLONASS ephemerides found the
//!   estimated DOPs "lower than their reference values by less than 10 % on average" (abstract).
//!   Ours is an epoch-by-epoch simulation (the reference kind), so ours is expected to be higher,
//!   by up to about 10 % on average over the figures; a DOP of the averaged geometry is lower
//!   than the average DOP (Jensen), most for VDOP and TDOP, whose up/clock correlation averages
//!   out. Accepted: ours/Wang ∈ [0.97, 1.15] per figure, and the mean ratio over the three ≤ 1.12.
//! - Set-up: our nominal orbits (data/constellations/bds3_nominal.toml: Walker 24/3/1 at the
//!   B-CNAV reference radius, IGSO crossing 118°E, GEOs at 80°E, 110.5°E, 140°E), one day at 300 s,
//!   a 2° grid of nodes with cos φ area weights, one receiver clock. The paper's grid and
//!   averaging (area-weighted or not) are not in the abstract; both weightings are within 0.5 %
//!   of each other here.
//! - 24-MEO-only BDS-3 (Wang's values derived from the percentages: 0.74/0.84 = 0.881,
//!   1.08/0.81 = 1.333, 0.67/0.86 = 0.779): their method's under-estimate grows as the geometry
//!   weakens (the Jensen gap grows with the spread of the per-epoch DOP), so ours/Wang is larger
//!   here (measured 1.12–1.22; the same over 7 days, so not a sampling effect) and the gain from
//!   GEO+IGSO is larger in a simulation than in their estimate. Accepted: MEO-only ours/Wang ∈
//!   [0.97, 1.25], and a gain of at least Wang's minus 3 percentage points in each figure.
//! - Visible satellites: the "11–14" is read as the range of the per-point daily mean over the
//!   region; their visible counts are accurate to 0.15 (abstract), the geometry here differs in
//!   the IGSO/GEO details, so ±1 satellite at each end.

use gnss_interop::coverage::{
    run, CoverageConfig, CoverageResult, CoverageSummary, DopKind, Grid, GridLayout,
};
use gnss_interop::geometry::{ClockModel, ElevationMask};
use gnss_interop::id::{Constellation, SatId};
use gnss_interop::orbit::filter::Restricted;
use gnss_interop::orbit::nominal::NominalConstellation;
use gnss_interop::orbit::OrbitSource;
use hifitime::{Epoch, TimeScale, Unit};

fn config() -> CoverageConfig {
    let t0 = Epoch::from_gregorian_hms(2023, 1, 1, 0, 0, 0, TimeScale::UTC);
    let mut cfg = CoverageConfig::new(
        vec![Constellation::BeiDou],
        t0,
        t0 + Unit::Second * (86_400 - 300),
        Unit::Second * 300,
    );
    cfg.mask = ElevationMask::constant(5.0).unwrap();
    cfg.clock = ClockModel::Common;
    cfg.dop_kinds = vec![DopKind::Hdop, DopKind::Vdop, DopKind::Tdop];
    cfg
}

fn region() -> Grid {
    Grid::regional(-60.0, 60.0, 50.0, 170.0, 2.0, GridLayout::Nodes, 0.0).unwrap()
}

fn means(s: &CoverageSummary) -> [f64; 3] {
    let m = |k: DopKind| s.get(k).unwrap().mean;
    [m(DopKind::Hdop), m(DopKind::Vdop), m(DopKind::Tdop)]
}

fn run_on(src: &dyn OrbitSource) -> CoverageResult {
    run(&[src], &region(), &config()).unwrap()
}

#[test]
fn bds3_asia_pacific_dop_matches_wang_2019() {
    let bds3 = NominalConstellation::bds3();
    assert_eq!(bds3.satellites().len(), 30, "24 MEO + 3 IGSO + 3 GEO");
    let full = run_on(&bds3);
    let s = full.summary(None).unwrap();
    let ours = means(&s);
    let wang = [0.74, 1.08, 0.67];
    let ratios: Vec<f64> = ours.iter().zip(&wang).map(|(o, w)| o / w).collect();
    eprintln!("BDS-3 nominal, region: HDOP/VDOP/TDOP = {ours:.3?}, ours/Wang = {ratios:.3?}");
    for (name, r) in ["HDOP", "VDOP", "TDOP"].iter().zip(&ratios) {
        assert!(
            (0.97..=1.15).contains(r),
            "{name}: ours/Wang = {r:.3} outside [0.97, 1.15]"
        );
    }
    let mean_ratio = ratios.iter().sum::<f64>() / 3.0;
    assert!(mean_ratio <= 1.12, "mean ratio {mean_ratio:.3}");

    // Visible satellites: the per-point daily mean ranges over ≈ 11–14 in the region.
    let (lo, hi) = full
        .points
        .iter()
        .map(|p| p.visible_mean)
        .fold((f64::INFINITY, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    eprintln!("per-point mean visible: {lo:.2} … {hi:.2} (Wang: 11–14)");
    assert!((10.0..=12.0).contains(&lo), "lowest mean visible {lo:.2}");
    assert!((13.0..=15.0).contains(&hi), "highest mean visible {hi:.2}");

    // 24-MEO-only BDS-3: Wang's full constellation is 16 %, 19 %, 14 % lower (HDOP, VDOP, TDOP).
    let meo: Vec<SatId> = bds3
        .satellites()
        .iter()
        .copied()
        .filter(|s| {
            bds3.elements(*s)
                .is_some_and(|e| e.semi_major_axis_m < 35_000_000.0)
        })
        .collect();
    assert_eq!(meo.len(), 24);
    let meo_only = run_on(&Restricted::to_satellites(bds3.clone(), &meo).unwrap());
    let m = means(&meo_only.summary(None).unwrap());
    let wang_gain = [0.16, 0.19, 0.14];
    for (i, name) in ["HDOP", "VDOP", "TDOP"].iter().enumerate() {
        let gain = 1.0 - ours[i] / m[i];
        let wang_meo = wang[i] / (1.0 - wang_gain[i]);
        eprintln!(
            "{name}: MEO-only {:.3} (Wang {wang_meo:.3}, ratio {:.3}), full {:.3}: {:.1} % lower (Wang {:.0} %)",
            m[i],
            m[i] / wang_meo,
            ours[i],
            100.0 * gain,
            100.0 * wang_gain[i]
        );
        assert!(
            (0.97..=1.25).contains(&(m[i] / wang_meo)),
            "{name}: MEO-only ours/Wang = {:.3}",
            m[i] / wang_meo
        );
        assert!(
            gain >= wang_gain[i] - 0.03,
            "{name}: GEO+IGSO gain {gain:.3} vs Wang {:.2}",
            wang_gain[i]
        );
    }
}
