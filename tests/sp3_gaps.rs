//! SP3 interpolation near data gaps, and prediction flags. Real data: the CODE MGEX final
//! orbit of 2023-01-01 (`sp3/COD0MGXFIN_20230010000_01D_05M_ORB.SP3`, 5-min nodes) and the
//! WUM one of the same day; gaps and flags are made at test time in temporary copies.
//!
//! Truth: the product's own nodes, left out one at a time (leave-one-out). The level each
//! order allows follows the Lagrange remainder |r^(p+1)|/(p+1)! · Π|t − t_i| with
//! |r^(n)| ≈ a·ωⁿ for a BeiDou MEO (a = 27 906 km, ω = 2π/(12 h 53 min) = 1.355e-4 rad/s,
//! ω·h = 0.0406 on 5-min nodes), plus the 1 mm rounding of the SP3 values (F14.6 km)
//! amplified by the Lebesgue function Σ|ℓ_j(t)| of the window. The bound of each left-out
//! node is computed for the window actually used: 3 × remainder (crude derivative model) +
//! 3 mm × Σ|ℓ_j(t)| (node noise: 0.5 mm rounding per coordinate plus the ≈ 1 mm RMS
//! leave-one-out scatter of the WUM product, `tests/sp3_source.rs`).

mod common;

use gnss_interop::ephemeris::Sp3Product;
use gnss_interop::id::SatId;
use gnss_interop::orbit::sp3::{Sp3Options, Sp3Source};
use gnss_interop::orbit::OrbitError;
use hifitime::{Duration, Epoch, TimeScale};

const COD: &str = "sp3/COD0MGXFIN_20230010000_01D_05M_ORB.SP3";
const WUM: &str = "sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3";

fn scratch(tag: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("gnss-interop-sp3gaps-{tag}-"))
        .tempdir()
        .unwrap()
}

fn gpst(h: u8, m: u8, s: u8) -> Epoch {
    Epoch::from_gregorian(2023, 1, 1, h, m, s, 0, TimeScale::GPST)
}

/// A copy of `text` with the `P` lines of `sat` at epochs in any of `holes` ([from, to),
/// hours and minutes) removed.
/// Hour and minute of 2023-01-01.
type HourMin = (u8, u8);

fn delete_nodes(text: &str, sat: &str, holes: &[(HourMin, HourMin)]) -> String {
    let mut out = String::new();
    let mut in_hole = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix('*') {
            let f: Vec<u32> = rest
                .split_whitespace()
                .take(5)
                .map(|x| x.parse().unwrap())
                .collect();
            let m = if f[2] == 2 { 24 * 60 } else { f[3] * 60 + f[4] };
            in_hole = holes.iter().any(|&((h0, m0), (h1, m1))| {
                let (a, b) = (h0 as u32 * 60 + m0 as u32, h1 as u32 * 60 + m1 as u32);
                (a..b).contains(&m)
            });
        }
        if in_hole && line.starts_with('P') && &line[1..4] == sat {
            continue;
        }
        out += line;
        out += "\n";
    }
    out
}

/// Error bound of the window used for a left-out node at `t` (module doc):
/// 3·a·(ωh)^(p+1)/(p+1)! · Π|x − x_i| + 3 mm · Σ_j |ℓ_j(x)| over the window's nodes (grid
/// units, the left-out node excluded).
fn bound_m(t: Epoch, window: (Epoch, Epoch), order: usize, left_out: Epoch) -> f64 {
    let (a, w, h) = (27_906e3, 1.355e-4, 300.0);
    let mut xs = Vec::new();
    let mut e = window.0;
    while e <= window.1 {
        if e != left_out {
            xs.push((e - t).to_seconds() / h);
        }
        e += Duration::from_seconds(h);
    }
    assert_eq!(xs.len(), order + 1, "window without inner holes");
    let prod: f64 = xs.iter().map(|x| x.abs()).product();
    let lebesgue: f64 = (0..xs.len())
        .map(|j| {
            (0..xs.len())
                .filter(|&i| i != j)
                .map(|i| (xs[i] / (xs[i] - xs[j])).abs())
                .product::<f64>()
        })
        .sum();
    let fact: f64 = (1..=order + 1).map(|i| i as f64).product();
    3.0 * a * (w * h).powi(order as i32 + 1) / fact * prod + 3e-3 * lebesgue
}

/// C11 (MEO) loses every node from 19:00 to 24:00 (a 5-hour gap, as in COD 2023-050) and,
/// separately, keeps only a 7-node run 08:00–08:30 between two 2-hour holes: states exist up
/// to the last node before the gap with the order reported, the window shifted onto the
/// valid side; the short run lowers the order; nothing is interpolated inside the gaps; each
/// left-out node is matched at the level its order allows.
#[test]
fn cod_style_gap_interpolates_to_the_last_node_at_the_level_of_its_order() {
    let Some(cod) = common::data_file(COD) else {
        return;
    };
    let dir = scratch("cod");
    let text = std::fs::read_to_string(&cod).unwrap();
    let holey = delete_nodes(
        &text,
        "C11",
        &[((6, 0), (8, 0)), ((8, 35), (10, 30)), ((19, 0), (24, 1))],
    );
    let path = dir.path().join("cod_c11_gap.sp3");
    std::fs::write(&path, holey).unwrap();
    let truth = Sp3Product::from_file(&cod).unwrap();
    let product = Sp3Product::from_file(&path).unwrap();
    let sat: SatId = "C11".parse().unwrap();
    let src = Sp3Source::with_options(product.clone(), Sp3Options::default()).unwrap();
    let t_idx = |e: Epoch| truth.epochs.iter().position(|&x| x == e).unwrap();
    let c11 = truth.satellites.iter().find(|s| s.sat == sat).unwrap();

    // 1. Every 30 s from 18:00 to the last node 18:55: a state with order 9, the window
    // shifted onto the nodes before the gap.
    let mut t = gpst(18, 0, 0);
    while t <= gpst(18, 55, 0) {
        let s = src
            .interpolate(sat, t)
            .unwrap_or_else(|e| panic!("{t}: {e}"));
        let want = 9;
        assert_eq!(s.order, want, "{t}");
        assert!(s.window.1 <= gpst(18, 55, 0));
        t += Duration::from_seconds(30.0);
    }
    // Between nodes, against the whole product interpolated with centred order-9 windows
    // (µm-level truncation, ≈ 1 mm node noise): the shifted windows of the last 15 minutes
    // stay within 3 mm × the Lebesgue constant of a 10-node window (≈ 30 at the ends): 1 cm.
    let full = Sp3Source::with_options(truth.clone(), Sp3Options::default()).unwrap();
    let mut t = gpst(18, 40, 15);
    let mut worst: f64 = 0.0;
    while t < gpst(18, 55, 0) {
        let s = src.interpolate(sat, t).unwrap();
        let f = full.interpolate(sat, t).unwrap();
        assert_eq!(f.order, 9);
        let d = (s.state.position_m - f.state.position_m).norm();
        eprintln!("C11 {t}: order {} vs centred: {:.4} m", s.order, d);
        worst = worst.max(d);
        t += Duration::from_seconds(30.0);
    }
    assert!(worst < 0.01, "{worst} m");
    // The last node returns its value exactly; past it, inside the gap: refused.
    let last = src.interpolate(sat, gpst(18, 55, 0)).unwrap();
    assert_eq!(
        last.state.position_m,
        c11.position_m[t_idx(gpst(18, 55, 0))].unwrap()
    );
    for t in [
        gpst(18, 55, 1),
        gpst(21, 0, 0),
        gpst(7, 0, 0),
        gpst(9, 0, 0),
    ] {
        assert!(
            matches!(
                src.interpolate(sat, t),
                Err(OrbitError::Interpolation { .. })
            ),
            "{t} is inside a gap"
        );
    }
    // The served intervals name the runs and leave out the gaps.
    assert_eq!(
        src.served_intervals(sat),
        vec![
            (gpst(0, 0, 0), gpst(5, 55, 0)),
            (gpst(8, 0, 0), gpst(8, 30, 0)),
            (gpst(10, 30, 0), gpst(18, 55, 0)),
        ]
    );

    // 2. Leave-one-out at the nodes of the hour before the gap (shifted windows) and of the
    // short run (lowered order), with min_order 3 to show the low orders too.
    let low = Sp3Source::with_options(
        product.clone(),
        Sp3Options {
            min_order: 3,
            ..Sp3Options::default()
        },
    )
    .unwrap();
    let mut rows: Vec<(usize, f64, f64)> = Vec::new();
    for (h, m) in (0..12)
        .map(|i| (18u8, i as u8 * 5))
        .chain((0..7).map(|i| (8u8, i as u8 * 5)))
    {
        let e = gpst(h, m, 0);
        let k = t_idx(e);
        match low.interpolate_without_node(sat, e, Some(k)) {
            Ok(s) => {
                let err = (s.state.position_m - c11.position_m[k].unwrap()).norm();
                let b = bound_m(e, s.window, s.order, e);
                eprintln!(
                    "C11 {e}: order {} error {:.4} m (bound {:.4} m)",
                    s.order, err, b
                );
                assert!(
                    err < b,
                    "{e}: order {} error {err} m > bound {b} m",
                    s.order
                );
                rows.push((s.order, err, b));
            }
            Err(err) => {
                // Only the ends of a run (no node on one side once the node is left out).
                assert!(
                    [gpst(18, 55, 0), gpst(8, 0, 0), gpst(8, 30, 0)].contains(&e),
                    "{e}: {err}"
                );
            }
        }
    }
    // The short run (7 nodes, one left out: 6) interpolates with order 5; the default options
    // (min_order 5) accept it, min_order 7 refuses it.
    let inner = gpst(8, 15, 0);
    let k = t_idx(inner);
    assert_eq!(
        src.interpolate_without_node(sat, inner, Some(k))
            .unwrap()
            .order,
        5
    );
    assert_eq!(src.interpolate(sat, gpst(8, 12, 30)).unwrap().order, 6);
    assert_eq!(src.interpolate(sat, gpst(8, 17, 30)).unwrap().order, 6);
    let strict = Sp3Source::with_options(
        product,
        Sp3Options {
            min_order: 7,
            ..Sp3Options::default()
        },
    )
    .unwrap();
    assert!(strict.interpolate(sat, gpst(8, 12, 30)).is_err());
    assert!(rows.iter().any(|r| r.0 == 9) && rows.iter().any(|r| r.0 == 5));
}

/// Records flagged predicted (orbit flag `P` in column 80, as ultra-rapid files write it)
/// from 20:00 on: states using them say so; excluding predictions ends the data at the last
/// observed node.
#[test]
fn predicted_records_are_flagged_and_can_be_excluded() {
    let Some(wum) = common::data_file(WUM) else {
        return;
    };
    let dir = scratch("pred");
    let text = std::fs::read_to_string(&wum).unwrap();
    let mut out = String::new();
    let mut predicted = false;
    for line in text.lines() {
        if line.starts_with("*  2023  1  1 20  0") {
            predicted = true;
        }
        if predicted && line.starts_with('P') {
            out += &format!("{:<79}P\n", line.trim_end());
        } else {
            out += line;
            out += "\n";
        }
    }
    let path = dir.path().join("wum_pred.sp3");
    std::fs::write(&path, out).unwrap();
    let product = Sp3Product::from_file(&path).unwrap();
    let sat: SatId = "C20".parse().unwrap();
    let c20 = product.satellites.iter().find(|s| s.sat == sat).unwrap();
    assert_eq!(
        c20.predicted.iter().filter(|&&p| p).count(),
        48,
        "20:00–23:55"
    );
    let all = Sp3Source::with_options(product.clone(), Sp3Options::default()).unwrap();
    assert!(!all.interpolate(sat, gpst(12, 0, 0)).unwrap().predicted);
    assert!(
        all.interpolate(sat, gpst(19, 50, 0)).unwrap().predicted,
        "window reaches 20:00"
    );
    assert!(all.interpolate(sat, gpst(22, 0, 0)).unwrap().predicted);
    let observed = Sp3Source::with_options(
        product,
        Sp3Options {
            exclude_predicted: true,
            ..Sp3Options::default()
        },
    )
    .unwrap();
    let s = observed.interpolate(sat, gpst(19, 50, 0)).unwrap();
    assert!(!s.predicted && s.window.1 <= gpst(19, 55, 0));
    assert!(observed.interpolate(sat, gpst(19, 57, 0)).is_err());
    assert_eq!(
        observed.served_intervals(sat),
        vec![(gpst(0, 0, 0), gpst(19, 55, 0))]
    );
}
