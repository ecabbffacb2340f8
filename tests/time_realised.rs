//! BDT − GLONASST as realised by precise clocks on 2023-01-01 (WUM clock file, COD SP3 clocks)
//! against the IGS merged broadcast file BRDC00IGS_R_20230010000_01D_MN.rnx.
//!
//! Figures measured here on 2023-01-01 (300 s step; for the record, not asserted):
//! BDS-3 − GLONASST −0.6 ns (SE 1.8 ns) with WUM, −16.5 ns with COD; BDS-2 − GLONASST −19.3 ns
//! (WUM); GLONASS channel slope −1.48 ± 0.40 ns/channel; broadcast UTC path +1.82 ns.

mod common;

use gnss_interop::ephemeris::ClockProduct;
use gnss_interop::id::Constellation;
use gnss_interop::orbit::broadcast::{BroadcastOptions, BroadcastSource};
use gnss_interop::realised::{
    realise, Group, Realisation, RealisedError, RealisedOptions, K_TGD1_B1I_B3I,
};
use hifitime::{Duration, Epoch, TimeScale};

/// Epochs of 2023-01-01 GPST every `step_s`.
fn day(step_s: f64) -> Vec<Epoch> {
    let t0 = Epoch::from_gregorian(2023, 1, 1, 0, 0, 0, 0, TimeScale::GPST);
    (0..(86_400.0 / step_s) as usize)
        .map(|i| t0 + Duration::from_seconds(i as f64 * step_s))
        .collect()
}

fn source() -> Option<BroadcastSource> {
    let nav = common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx")?;
    Some(
        BroadcastSource::from_file(
            nav,
            &[Constellation::BeiDou, Constellation::Glonass],
            BroadcastOptions::default(),
        )
        .unwrap(),
    )
}

fn wum() -> ClockProduct {
    let p = common::data_file("clk/WUM0MGXFIN_20230010000_01D_30S_CLK.CLK").unwrap();
    ClockProduct::from_rinex_clock_file(p).unwrap()
}

fn cod() -> ClockProduct {
    let p = common::data_file("sp3/COD0MGXFIN_20230010000_01D_05M_ORB.SP3").unwrap();
    ClockProduct::from_sp3_file(p).unwrap()
}

fn run(src: &BroadcastSource, p: &ClockProduct, k: f64) -> Realisation {
    let o = RealisedOptions {
        tgd1_factor: k,
        ..Default::default()
    };
    realise(src, p, &day(300.0), &o).unwrap()
}

#[test]
fn tgd_factor_of_the_icd_minimises_the_satellite_scatter() {
    // k = f_B1I²/(f_B1I² − f_B3I²) with f_B1I = 1561.098 MHz, f_B3I = 1268.52 MHz
    // (BDS-SIS-ICD-B1I 3.0 and -B3I 1.0 §4.2.1): 2.943 681 77.
    assert!((K_TGD1_B1I_B3I - 2.943_681_77).abs() < 1e-8);
    let Some(src) = source() else { return };
    let clk = wum();
    let scatter = |k: f64| run(&src, &clk, k).group(Group::Bds).unwrap().sat_scatter_ns;
    let best = scatter(K_TGD1_B1I_B3I);
    // Measured: k = 0: 37.0 ns, 1: 25.6 ns, 2.944: 3.7 ns, 4: 15.4 ns (BDS, satellite means).
    for k in [0.0, 1.0, 4.0] {
        let s = scatter(k);
        eprintln!("k = {k}: scatter {s:.2} ns (k_ICD: {best:.2} ns)");
        assert!(
            best < 0.5 * s,
            "k = {k}: {s} ns vs {best} ns at the ICD factor"
        );
    }
}

#[test]
fn groups_channel_slope_and_standard_error() {
    let Some(src) = source() else { return };
    let r = run(&src, &wum(), K_TGD1_B1I_B3I);
    for g in Group::ALL {
        let s = r.group(g).unwrap();
        eprintln!("{g}: {s:?}");
        assert!(s.n_sats >= 5 && s.n_epochs == 288, "{s:?}");
    }
    // BDS-2 and BDS-3 realise BDT separately (hardware delays, datum): both reported.
    let b2 = r.offset(Group::Bds2).unwrap();
    let b3 = r.offset(Group::Bds3).unwrap();
    eprintln!("BDS-2 − GLONASST {b2:?}\nBDS-3 − GLONASST {b3:?}");
    // Issue 13 requirement: the standard error of the daily mean of BDS-3 − GLONASST < 3 ns.
    assert!(b3.std_error_ns < 3.0, "{b3:?}");
    // Sanity bound only (no published value exists for the day): the broadcast UTC path puts
    // BDT − GLONASST within 2 ns of nominal (BDUT and GLUT of the file, see time_offsets.rs).
    assert!(b3.bdt_minus_glonasst_ns.abs() < 100.0);
    let slope = r.glonass_channel_slope.unwrap();
    eprintln!("GLONASS channel slope {slope:?}");
    assert!(slope.n_sats >= 15 && slope.ns_per_channel.is_finite());
    assert!(slope.std_error_ns_per_channel > 0.0 && slope.std_error_ns_per_channel < 2.0);
    assert_eq!(r.nominal_s, -10_796.0);
}

#[test]
fn two_products_spread() {
    let Some(src) = source() else { return };
    let a = run(&src, &wum(), K_TGD1_B1I_B3I);
    let b = run(&src, &cod(), K_TGD1_B1I_B3I);
    let spread = (a.offset(Group::Bds3).unwrap().bdt_minus_glonasst_ns
        - b.offset(Group::Bds3).unwrap().bdt_minus_glonasst_ns)
        .abs();
    eprintln!("BDS-3 − GLONASST: WUM − COD spread {spread:.2} ns");
    // Each analysis centre fixes its own inter-system datum, so the products differ; no
    // published figure exists for this day, so the bound is a sanity bound (measured 16 ns).
    assert!(spread > 0.0 && spread < 50.0);
}

#[test]
fn hand_computed_c20_at_midnight() {
    let Some(src) = source() else { return };
    let r = run(&src, &wum(), K_TGD1_B1I_B3I);
    // C20 at 2023-01-01 00:00:00 GPST = 2022-12-31 23:59:46 BDT.
    // WUM clock file: "AS C20  2023  1  1  0  0  0.000000  1    0.784984778870E-03".
    // Broadcast (BRDC00IGS…, line 3169, toc = t_oe = 2023-01-01 00:00:00 BDT, 14 s away):
    //   a0 = 7.850804831830e-04, a1 = -1.426858631250e-11, a2 = 0, e = 5.230836104600e-04,
    //   √A = 5.282621576310e+03, M0 = -1.193699883760, Δn = 3.755156417340e-09,
    //   TGD1 = 1.959999984540e-08.
    //   Polynomial at dt = -14 s: a0 + a1·dt = 7.850806829432e-04 s.
    //   n = √(GM/A³) + Δn, M = M0 + n·(−14) = −1.195596 rad, E = M + e sin E → −1.196083 rad,
    //   Δt_r = F e √A sin E, F = −4.442807309e-10 → +1.142476 ns (BDS ICD §5.2.4.10).
    //   k·TGD1 = 2.943682 × 19.6 ns = 57.69616 ns.
    // Precise relativity −2 r·v/c² (IGS) equals F e √A sin E for a Kepler orbit: ≈ +1.14 ns.
    // precise − broadcast = 784.984778870 µs − (785.0806829432 µs + 1.142476 ns − 57.69616 ns)
    //   + 1.14 ns ≈ −38.21 ns (+ the 0.02 ns difference of the two relativity terms).
    let c20 = "C20".parse().unwrap();
    let s = r
        .samples
        .iter()
        .find(|s| s.sat == c20 && s.epoch_index == 0)
        .unwrap();
    assert_eq!(s.precise_s, 0.784984778870e-3);
    assert!(
        (s.broadcast_s - (7.850806829432e-4 + 1.142476e-9)).abs() < 1e-15,
        "{s:?}"
    );
    assert!(
        (s.broadcast_group_delay_s - 57.69616e-9).abs() < 1e-14,
        "{s:?}"
    );
    assert!(
        (s.precise_relativity_s - 1.142476e-9).abs() < 0.05e-9,
        "{s:?}"
    );
    assert!((s.diff_ns - -38.208).abs() < 0.05, "{s:?}");
}

#[test]
fn clock_file_of_another_day_has_no_common_epochs() {
    let Some(src) = source() else { return };
    let path = common::data_file("clk/WUM0MGXFIN_20230010000_01D_30S_CLK.CLK").unwrap();
    // A cut copy made at test time: the header and the first 5000 records moved to 2023-01-05.
    let text = std::fs::read_to_string(&path).unwrap();
    let cut: String = text
        .lines()
        .take(175 + 5000)
        .map(|l| format!("{}\n", l.replacen("2023  1  1", "2023  1  5", 1)))
        .collect();
    let shifted =
        ClockProduct::from_rinex_clock_str(&cut, std::path::Path::new("shifted.clk")).unwrap();
    match realise(&src, &shifted, &day(300.0), &RealisedOptions::default()) {
        Err(e @ RealisedError::NoCommonEpochs { .. }) => {
            assert!(e.to_string().contains("no common epochs"), "{e}");
        }
        other => panic!("expected NoCommonEpochs, got {other:?}"),
    }
}

#[test]
fn reconciliation_always_has_an_uncertainty() {
    use gnss_interop::realised::realised_uncertainty_ns;
    use gnss_interop::time::{reconcile_bdt_glonasst, UncertaintyBasis};
    let Some(src) = source() else { return };
    let nav = common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx").unwrap();
    let offsets = gnss_interop::ephemeris::NavData::from_file(nav)
        .unwrap()
        .offsets;
    let t = day(300.0)[0];
    // One path in this file (BDUT, GLUT): the documented 20 ns floor, never a missing value.
    let r = reconcile_bdt_glonasst(t, &offsets).unwrap();
    assert_eq!(r.uncertainty_basis, UncertaintyBasis::Floor);
    assert_eq!(r.uncertainty_ns, 20.0);
    // With two products, the realised spread (and standard errors) replace the floor.
    let both = [
        run(&src, &wum(), K_TGD1_B1I_B3I),
        run(&src, &cod(), K_TGD1_B1I_B3I),
    ];
    let u = realised_uncertainty_ns(&both, Group::Bds3).unwrap();
    let r = r.with_realised_uncertainty(u);
    assert_eq!(r.uncertainty_basis, UncertaintyBasis::Realised);
    assert!(u.is_finite() && u > 0.0);
}
