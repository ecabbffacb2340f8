//! SP3 reading and interpolation: the real WUM MGEX final product of 2023-01-01
//! (`sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3`, header: 288 epochs at 300 s, IGS20,
//! GPS time, agency WHU) and small synthetic files for the error paths.

mod common;

use std::path::Path;

use gnss_interop::ephemeris::{EphemerisError, Sp3Product};
use gnss_interop::frames::Frame;
use gnss_interop::id::{Constellation, SatId};
use gnss_interop::orbit::sp3::Sp3Source;
use gnss_interop::orbit::{OrbitError, OrbitSource};
use hifitime::{Duration, Epoch, TimeScale};
use nalgebra::Vector3;

fn wum() -> Option<Sp3Product> {
    let p = common::data_file("sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3")?;
    Some(Sp3Product::from_file(p).expect("WUM SP3 reads"))
}

#[test]
fn reads_wum_header_and_arrays() {
    let Some(p) = wum() else { return };
    assert_eq!(p.agency, "WHU");
    assert_eq!(p.coordinate_system, "IGS20");
    assert_eq!(p.time_scale, TimeScale::GPST);
    assert_eq!(p.epoch_interval_s, 300.0);
    assert_eq!(p.epochs.len(), 288);
    assert_eq!(
        p.epochs[0],
        Epoch::from_gregorian(2023, 1, 1, 0, 0, 0, 0, TimeScale::GPST)
    );
    // data/SOURCES.md: 40 BeiDou (incl. GEO) and 21 GLONASS satellites.
    let count = |c| {
        p.satellites
            .iter()
            .filter(|s| s.sat.constellation() == c)
            .count()
    };
    assert_eq!(count(Constellation::BeiDou), 40);
    assert_eq!(count(Constellation::Glonass), 21);
    // File line 112: PC01 -34321.045372 24448.023199 257.018216 923.712107 (km, µs).
    let c01 = p
        .satellites
        .iter()
        .find(|s| s.sat.to_string() == "C01")
        .unwrap();
    let r = c01.position_m[0].unwrap();
    assert_eq!(
        r,
        Vector3::new(-34321.045372e3, 24448.023199e3, 257.018216e3)
    );
    assert!((c01.clock_s[0].unwrap() - 923.712107e-6).abs() < 1e-15);
}

/// Leave-one-out: interpolate each interior node of every BDS/GLONASS satellite from the
/// others (order 9) and compare with the left-out value. The SP3 values are rounded to
/// 1 µm·1000 = 1 mm (F14.6 km), and a degree-9 polynomial on 5-min nodes has a truncation
/// error far below that for 12–24 h orbits ((ω·h)^10 ≈ 1e-11 relative): the expected error is
/// at the millimetre level (RMS), a few mm at most. Bounds: RMS < 3 mm, max < 1 cm (measured: 0.86 mm RMS, 2.0 mm max over 5612 nodes).
#[test]
fn leave_one_out_interpolation_is_millimetric() {
    let Some(p) = wum() else { return };
    let src = Sp3Source::new(p.clone(), 9).unwrap();
    let mut sum2 = 0.0;
    let mut n = 0usize;
    let mut worst = (0.0f64, String::new());
    for s in &p.satellites {
        if !matches!(
            s.sat.constellation(),
            Constellation::BeiDou | Constellation::Glonass
        ) {
            continue;
        }
        for k in (6..p.epochs.len() - 6).step_by(3) {
            let Some(truth) = s.position_m[k] else {
                continue;
            };
            let Ok(st) = src.state_without_node(s.sat, p.epochs[k], Some(k)) else {
                continue;
            };
            let d = (st.position_m - truth).norm();
            sum2 += d * d;
            n += 1;
            if d > worst.0 {
                worst = (d, format!("{} node {k}", s.sat));
            }
        }
    }
    let rms = (sum2 / n as f64).sqrt();
    eprintln!(
        "leave-one-out: n = {n}, RMS = {:.2} mm, max = {:.2} mm ({})",
        rms * 1e3,
        worst.0 * 1e3,
        worst.1
    );
    assert!(n > 4000);
    assert!(rms < 3e-3, "RMS {rms} m");
    assert!(worst.0 < 1e-2, "max {} m at {}", worst.0, worst.1);
}

#[test]
fn refuses_extrapolation_and_returns_nodes_exactly() {
    let Some(p) = wum() else { return };
    let src = Sp3Source::new(p.clone(), 9).unwrap();
    let sat: SatId = "C20".parse().unwrap();
    let (a, b) = src.span();
    assert!(matches!(
        src.state_at(sat, a - Duration::from_seconds(1.0)),
        Err(OrbitError::OutsideValidity { .. })
    ));
    assert!(matches!(
        src.state_at(sat, b + Duration::from_seconds(1.0)),
        Err(OrbitError::OutsideValidity { .. })
    ));
    // Table ends and nodes are reproduced exactly (Lagrange interpolates its nodes).
    let c20 = p.satellites.iter().find(|s| s.sat == sat).unwrap();
    for k in [0, 100, 287] {
        let s = src.state_at(sat, p.epochs[k]).unwrap();
        assert!((s.position_m - c20.position_m[k].unwrap()).norm() < 1e-6);
        assert_eq!(s.frame, Frame::Itrf);
        assert_eq!(s.clock_offset_s, c20.clock_s[k]);
    }
    assert!(matches!(
        src.state_at("C18".parse().unwrap(), a),
        Err(OrbitError::UnknownSatellite { .. })
    ));
    assert!(Sp3Source::new(p.clone(), 10).is_err(), "even order refused");
}

#[test]
fn velocity_is_derivative_of_interpolated_position() {
    let Some(p) = wum() else { return };
    let src = Sp3Source::new(p, 9).unwrap();
    let t0 = Epoch::from_gregorian(2023, 1, 1, 0, 0, 0, 0, TimeScale::GPST);
    let h = Duration::from_seconds(0.5);
    for sat in ["C01", "C20", "C39", "R01"] {
        let sat: SatId = sat.parse().unwrap();
        // A deterministic spread of epochs, including near and on nodes.
        for i in 0..40 {
            let t = t0 + Duration::from_seconds(60.0 + i as f64 * 2137.3);
            let s = src.state_at(sat, t).unwrap();
            let fd = src.state_at(sat, t + h).unwrap().position_m
                - src.state_at(sat, t - h).unwrap().position_m;
            // Central difference of a degree-9 polynomial: error h²/6·|P'''| < 1e-5 m/s. 1 mm/s.
            assert!((fd - s.velocity_m_s).norm() < 1e-3, "{sat} at {t}");
        }
    }
}

const HEADER: &str = "#dP2023  1  1  0  0  0.00000000       4   u+U IGS20 FIT  WHU
## 2243      0.00000000   300.00000000 59945     0.000000000
+    2   C20R01  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0
%c M  cc GPS ccc cccc cccc cccc cccc ccccc ccccc ccccc ccccc
";

#[test]
fn bad_values_are_skipped() {
    let mut text = HEADER.to_string();
    for (k, (x, clk)) in [
        (1000.0, "1.0"),
        (0.0, "999999.999999"),
        (1002.0, "3.0"),
        (1003.0, "4.0"),
    ]
    .iter()
    .enumerate()
    {
        text += &format!("*  2023  1  1  0 {:2}  0.00000000\n", k * 5);
        if *x == 0.0 {
            text += "PC20      0.000000      0.000000      0.000000 999999.999999\n";
        } else {
            text += &format!(
                "PC20 {x:13.6} {:13.6} {:13.6} {clk:>13}\n",
                25000.0, 10000.0
            );
        }
    }
    text += "EOF\n";
    let p = Sp3Product::from_str_named(&text, Path::new("synthetic.sp3")).unwrap();
    let c20 = p.satellites[0].clone();
    assert_eq!(c20.position_m[1], None, "0,0,0 is a bad-value marker");
    assert_eq!(c20.clock_s[1], None, "999999.999999 is a bad clock");
    assert_eq!(c20.clock_s[2], Some(3.0e-6));
    // Order 3 over nodes 0, 2, 3 plus… only 3 valid nodes: order 3 needs 4 → error, not NaN.
    let src = Sp3Source::new(p, 3).unwrap();
    let t = Epoch::from_gregorian(2023, 1, 1, 0, 7, 30, 0, TimeScale::GPST);
    assert!(matches!(
        src.state_at(c20.sat, t),
        Err(OrbitError::Interpolation { .. })
    ));
}

#[test]
fn errors_name_file_and_line() {
    let text = format!("{HEADER}*  2023  1  1  0  0  0.00000000\nPC20  1000.0000 abc 3.0 1.0\n");
    match Sp3Product::from_str_named(&text, Path::new("broken.sp3")) {
        Err(EphemerisError::Parse {
            path,
            line,
            message,
        }) => {
            assert_eq!(path, Path::new("broken.sp3"));
            assert_eq!(line, 6);
            assert!(message.contains("cannot parse"), "{message}");
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
    // Truncated epoch line: an error, not a panic (the sp3 crate slices it and panics).
    let text = format!("{HEADER}*  2023  1\n");
    let e = Sp3Product::from_str_named(&text, Path::new("cut.sp3")).unwrap_err();
    assert!(e.to_string().starts_with("cut.sp3:5:"), "{e}");
    let e = Sp3Product::from_file("no/such/file.sp3").unwrap_err();
    assert!(e.to_string().contains("no/such/file.sp3"), "{e}");
    assert!(Sp3Product::from_str_named("", Path::new("empty.sp3")).is_err());
}
