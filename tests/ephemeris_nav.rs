//! RINEX navigation reader and record selection on the real files of the shared data set.
//!
//! Expected values are read by eye from the files (quoted above each check) or taken from
//! `SOURCES.md` (record and satellite counts established when the data were staged). Values
//! written in the file with 12–13 significant digits are compared with a relative tolerance of
//! 1e-12 (decimal → binary rounding only); km → m conversions likewise.

mod common;

use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

use approx::assert_relative_eq;
use gnss_interop::ephemeris::{BdsMessage, EphemerisError, NavData, SelectionPolicy};
use gnss_interop::id::SatId;
use hifitime::{Duration, Epoch, TimeScale, Unit};
use proptest::prelude::*;

const IGS: &str = "nav/BRDC00IGS_R_20230010000_01D_MN.rnx";
const DLR4: &str = "nav/BRD400DLR_S_20230710000_01D_MN.rnx";
const GOP: &str = "nav/BRDC00GOP_R_20210010000_01D_MN.rnx";
const DLR3: &str = "nav/BRDM00DLR_S_20230730000_01D_MN.rnx";
const V2: &str = "nav/dlf10010.21g";

fn sat(s: &str) -> SatId {
    s.parse().unwrap()
}

/// The IGS file, read once for all tests of this binary (`None` without the data set).
fn igs() -> Option<&'static NavData> {
    static DATA: OnceLock<Option<NavData>> = OnceLock::new();
    DATA.get_or_init(|| common::data_file(IGS).map(|p| NavData::from_file(p).unwrap()))
        .as_ref()
}

#[test]
fn all_nav_files_read_with_expected_counts() {
    // (file, version, BDS records, BDS sats, GLONASS records, GLONASS sats) — SOURCES.md.
    let cases: [(&str, f64, usize, usize, usize, usize); 5] = [
        (IGS, 3.05, 1032, 43, 1198, 25),
        (DLR4, 4.00, 2621, 44, 1240, 26),
        (GOP, 3.04, 1, 1, 1, 1),
        (DLR3, 3.04, 6, 2, 7, 2),
        (V2, 2.11, 0, 0, 7, 7),
    ];
    for (file, version, nb, sb, ng, sg) in cases {
        let Some(p) = common::data_file(file) else {
            return;
        };
        let d = NavData::from_file(&p).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(d.version, version, "{file}");
        // Records in the file (SOURCES.md counts): those kept plus exact repetitions of a
        // record's orbit and clock terms (293 in the RINEX 4 file, one per extra signal the
        // merge wrote), which the reader keeps once.
        assert_eq!(
            d.bds_record_count() + d.merge.duplicates_dropped,
            nb,
            "{file} BDS records"
        );
        assert_eq!(d.bds.len(), sb, "{file} BDS satellites");
        assert_eq!(d.glonass_record_count(), ng, "{file} GLONASS records");
        assert_eq!(d.glonass.len(), sg, "{file} GLONASS satellites");
        assert_eq!(d.path.as_deref(), Some(p.as_path()));
        // Sorted by reference time.
        for v in d.bds.values() {
            assert!(v.windows(2).all(|w| w[0].toe <= w[1].toe));
        }
        for v in d.glonass.values() {
            assert!(v.windows(2).all(|w| w[0].tb <= w[1].tb));
        }
    }
}

#[test]
fn igs_header_and_skipped_systems() {
    let Some(d) = igs() else { return };
    // "    18    18  1929     7                                    LEAP SECONDS"
    assert_eq!(d.leap_seconds(), Some(18));
    // The file holds G, E, J, I, S records besides C and R (SOURCES.md: systems G,R,E,C,J,I,S).
    for letter in ['G', 'E', 'J', 'I', 'S'] {
        assert!(
            d.skipped_records.get(&letter).copied().unwrap_or(0) > 0,
            "{letter}"
        );
    }
    assert!(!d.skipped_records.contains_key(&'C'));
    assert!(!d.skipped_records.contains_key(&'R'));
    // C01–C16, C19–C46, C59, C60 (SOURCES.md) minus the ones without records: 43 satellites.
    assert!(d.bds.contains_key(&sat("C60")));
    assert!(!d.bds.contains_key(&sat("C17")));
    assert_eq!(d.satellites().len(), 43 + 25);
}

#[test]
fn igs_first_c01_record() {
    let Some(d) = igs() else { return };
    // Lines 97–104 of BRDC00IGS_R_20230010000_01D_MN.rnx:
    // C01 2023 01 01 00 00 00 9.237574413420e-04-3.637090628670e-12 0.000000000000e+00
    //      1.000000000000e+00 3.817968750000e+02-3.762656729760e-09 4.538029886590e-01
    //      1.247832551600e-05 6.316911894830e-04-5.510635674000e-06 6.493338190080e+03
    //      0.000000000000e+00-5.448237061500e-08-3.015315086420e+00 2.421438694000e-08
    //      6.570690847650e-02 1.617343750000e+02-1.199303693870e+00 4.905561479180e-09
    //     -3.578720496640e-10 0.000000000000e+00 8.870000000000e+02 0.000000000000e+00
    //      2.000000000000e+00 0.000000000000e+00-4.699999944790e-09-1.000000000000e-08
    //      0.999900000000e+09 0.000000000000e+00
    let r = &d.bds[&sat("C01")][0];
    assert_eq!(r.source_line, 97);
    assert_eq!(r.message, BdsMessage::D1D2);
    assert_eq!(
        r.toc,
        Epoch::from_gregorian(2023, 1, 1, 0, 0, 0, 0, TimeScale::BDT)
    );
    assert_eq!(r.toc.time_scale, TimeScale::BDT);
    assert_relative_eq!(r.af0_s, 9.237574413420e-04, max_relative = 1e-12);
    assert_relative_eq!(r.af1_s_s, -3.637090628670e-12, max_relative = 1e-12);
    assert_eq!(r.aode, 1);
    assert_relative_eq!(r.crs_m, 381.796875, max_relative = 1e-12);
    assert_relative_eq!(r.delta_n_rad_s, -3.762656729760e-09, max_relative = 1e-12);
    assert_relative_eq!(r.m0_rad, 4.538029886590e-01, max_relative = 1e-12);
    assert_relative_eq!(r.e, 6.316911894830e-04, max_relative = 1e-12);
    assert_relative_eq!(r.sqrt_a_sqrt_m, 6493.338190080, max_relative = 1e-12);
    assert_eq!(r.toe_sow_s, 0.0);
    assert_relative_eq!(r.omega0_rad, -3.015315086420, max_relative = 1e-12);
    assert_relative_eq!(r.i0_rad, 6.570690847650e-02, max_relative = 1e-12);
    assert_relative_eq!(r.omega_rad, -1.199303693870, max_relative = 1e-12);
    assert_relative_eq!(r.omega_dot_rad_s, 4.905561479180e-09, max_relative = 1e-12);
    assert_relative_eq!(r.idot_rad_s, -3.578720496640e-10, max_relative = 1e-12);
    assert_eq!(r.bdt_week, 887);
    assert_eq!(r.sv_accuracy_m, 2.0);
    assert_eq!(r.health, 0);
    assert_relative_eq!(r.tgd1_s, -4.699999944790e-09, max_relative = 1e-12);
    assert_relative_eq!(r.tgd2_s, -1.0e-08, max_relative = 1e-12);
    assert_eq!(r.aodc, 0);
    assert_eq!((r.a_dot_m_s, r.delta_n_dot_rad_s2), (0.0, 0.0));
    // t_oe = BDT week 887, 0 s. 2023-01-01 starts GPS week 2243 (SOURCES.md) and BDT week 0 =
    // GPS week 1356 (DOMAIN.md), so BDT week 887 starts 2023-01-01 00:00:00 BDT = toc.
    assert_eq!(r.toe, r.toc);
    assert_eq!(r.toe.time_scale, TimeScale::BDT);
    // BDT = GPST − 14 s (BDS SIS ICD): the same instant is 00:00:14 GPST.
    assert_eq!(
        r.toe,
        Epoch::from_gregorian(2023, 1, 1, 0, 0, 14, 0, TimeScale::GPST)
    );
}

#[test]
fn igs_first_r01_record() {
    let Some(d) = igs() else { return };
    // Lines 59641–59645 of BRDC00IGS_R_20230010000_01D_MN.rnx (RINEX 3.05, fourth orbit line):
    // R01 2022 12 31 23 45 00 2.048257738352e-05 0.000000000000e+00 6.030000000000e+05
    //      1.403724853516e+04 2.693702697754e+00-0.000000000000e+00 0.000000000000e+00
    //     -5.825340332031e+03 7.833652496338e-01-0.000000000000e+00 1.000000000000e+00
    //     -2.048522802734e+04 1.623662948608e+00 2.793967723846e-09 0.000000000000e+00
    //                          .999999999999e+09 1.500000000000e+01
    let r = &d.glonass[&sat("R01")][0];
    assert_eq!(r.source_line, 59641);
    // GLONASS RINEX epochs are UTC(SU) (RINEX 3.05 §A; DOMAIN.md).
    assert_eq!(r.tb, Epoch::from_gregorian_utc(2022, 12, 31, 23, 45, 0, 0));
    assert_eq!(r.tb.time_scale, TimeScale::UTC);
    assert_relative_eq!(r.minus_tau_n_s, 2.048257738352e-05, max_relative = 1e-12);
    assert_eq!(r.gamma_n, 0.0);
    assert_eq!(r.frame_time_s, 603_000.0);
    assert_relative_eq!(
        r.position_m.x,
        1.403724853516e+04 * 1e3,
        max_relative = 1e-12
    );
    assert_relative_eq!(
        r.position_m.y,
        -5.825340332031e+03 * 1e3,
        max_relative = 1e-12
    );
    assert_relative_eq!(
        r.position_m.z,
        -2.048522802734e+04 * 1e3,
        max_relative = 1e-12
    );
    assert_relative_eq!(r.velocity_m_s.x, 2693.702697754, max_relative = 1e-12);
    assert_relative_eq!(r.velocity_m_s.y, 783.3652496338, max_relative = 1e-12);
    assert_relative_eq!(r.velocity_m_s.z, 1623.662948608, max_relative = 1e-12);
    assert_eq!(r.acceleration_m_s2.x, 0.0);
    assert_relative_eq!(
        r.acceleration_m_s2.z,
        2.793967723846e-06,
        max_relative = 1e-12
    );
    assert_eq!(r.health, 0);
    assert_eq!(r.channel, 1);
    assert_eq!(r.age_days, 0.0);
}

#[test]
fn rinex4_bds_d2_cnav1_and_glonass() {
    let Some(p) = common::data_file(DLR4) else {
        return;
    };
    let d = NavData::from_file(&p).unwrap();
    // 44 BDS satellites, 26 GLONASS (SOURCES.md); STO/ION/EOP frames are not counted as
    // skipped records, and there are no CNV3 frames in this file.
    assert!(!d.skipped_records.contains_key(&'C'));
    // "> EPH C01 D2" at line 113586:
    // C01 2023 03 12 00 00 00 9.050882654265e-04-2.618349981276e-12 0.000000000000e+00
    //      1.000000000000e+00-3.022187500000e+02-1.132904332870e-09 1.639863675133e+00
    //     -1.014024019241e-05 4.634374054149e-04 1.808675006032e-05 6.493325918198e+03
    //      0.000000000000e+00 …
    //      4.485901141503e-10 0.000000000000e+00 8.970000000000e+02 0.000000000000e+00
    let c01 = &d.bds[&sat("C01")][0];
    assert_eq!(c01.message, BdsMessage::D2);
    assert_eq!(c01.source_line, 113587);
    assert_relative_eq!(c01.sqrt_a_sqrt_m, 6493.325918198, max_relative = 1e-12);
    assert_relative_eq!(c01.e, 4.634374054149e-04, max_relative = 1e-12);
    assert_eq!((c01.bdt_week, c01.toe_sow_s), (897, 0.0));
    // "> EPH C19 CNV1" at line 117069 (RINEX 4.00 B-CNAV1 layout):
    // C19 2023 03 12 00 00 00-8.956108940765e-04-9.041656312547e-13 0.000000000000e+00
    //     -2.287387847900e-03-5.843750000000e+00 3.871232680951e-09 8.650567350738e-01
    //     -2.142041921616e-07 1.015573448967e-03 5.141831934452e-06 5.282620728736e+03
    //      0.000000000000e+00 1.862645149231e-09-1.163148544709e+00-3.445893526077e-08
    //      9.722051715392e-01 2.620468750000e+02-1.135667398911e+00-6.910823577827e-09
    //      1.100045821324e-10 3.232818114092e-14 3.000000000000e+00 0.000000000000e+00
    //      0.000000000000e+00-4.000000000000e+00-1.000000000000e+00-1.000000000000e+00
    //     -8.731149137020e-10                    9.487848728895e-09-5.820766091347e-09
    //      0.000000000000e+00 0.000000000000e+00 0.000000000000e+00 0.000000000000e+00
    //      0.000000000000e+00                                       0.000000000000e+00
    let cnav = d.bds[&sat("C19")]
        .iter()
        .find(|r| r.source_line == 117070)
        .expect("C19 CNV1 record of line 117070");
    assert_eq!(cnav.message, BdsMessage::Cnav1);
    assert_relative_eq!(cnav.a_dot_m_s, -2.287387847900e-03, max_relative = 1e-12);
    assert_relative_eq!(cnav.sqrt_a_sqrt_m, 5282.620728736, max_relative = 1e-12);
    assert_relative_eq!(
        cnav.delta_n_dot_rad_s2,
        3.232818114092e-14,
        max_relative = 1e-12
    );
    assert_relative_eq!(cnav.tgd1_s, 9.487848728895e-09, max_relative = 1e-12);
    assert_relative_eq!(cnav.tgd2_s, -5.820766091347e-09, max_relative = 1e-12);
    assert_eq!((cnav.health, cnav.aode, cnav.aodc), (0, 0, 0));
    // No week in CNAV records: the week of toc. The D1 records of the same file write BDT week
    // 897 for this day ("8.970000000000e+02" above).
    assert_eq!(cnav.bdt_week, 897);
    assert_eq!(cnav.toe, cnav.toc);
    // SISAI_oe = 0 → 2 m (URA-index rule, the value RINEX writers give D1/D2 URAI 0).
    assert_eq!(cnav.sv_accuracy_m, 2.0);
    // "> EPH R01 FDMA" at line 53586:
    // R01 2023 03 12 00 15 00 2.458319067955e-05 0.000000000000e+00 3.000000000000e+01
    //      1.422012255859e+04-4.938831329346e-01-9.313225746155e-10 0.000000000000e+00
    //     -2.043351660156e+04 5.933942794800e-01 9.313225746155e-10 1.000000000000e+00
    //      5.539755371094e+03 3.461606979370e+00 0.000000000000e+00 0.000000000000e+00
    //      1.790000000000e+02 8.381903171539e-09 2.000000000000e+00 3.000000000000e+00
    let r01 = &d.glonass[&sat("R01")][0];
    assert_eq!(r01.tb, Epoch::from_gregorian_utc(2023, 3, 12, 0, 15, 0, 0));
    assert_relative_eq!(
        r01.position_m.x,
        1.422012255859e+04 * 1e3,
        max_relative = 1e-12
    );
    assert_relative_eq!(r01.velocity_m_s.z, 3461.606979370, max_relative = 1e-12);
    assert_eq!((r01.channel, r01.health, r01.frame_time_s), (1, 0, 30.0));
}

#[test]
fn rinex2_glonass_d_exponents() {
    let Some(p) = common::data_file(V2) else {
        return;
    };
    let d = NavData::from_file(&p).unwrap();
    assert_eq!(d.leap_seconds(), None);
    //  3 20 12 31 23 45  0.0 2.833176404238D-05 0.000000000000D+00 8.637000000000D+04
    //     1.997111425781D+04 1.119024276733D+00 2.793967723846D-09 0.000000000000D+00
    //     1.218920263672D+04 8.536128997803D-01 0.000000000000D+00 5.000000000000D+00
    //    -1.019199707031D+04 3.197331428528D+00 3.725290298462D-09 0.000000000000D+00
    let r = &d.glonass[&sat("R03")][0];
    assert_eq!(r.source_line, 6);
    assert_eq!(r.tb, Epoch::from_gregorian_utc(2020, 12, 31, 23, 45, 0, 0));
    assert_relative_eq!(r.minus_tau_n_s, 2.833176404238e-05, max_relative = 1e-12);
    assert_eq!(r.frame_time_s, 86_370.0);
    assert_relative_eq!(
        r.position_m.x,
        1.997111425781e+04 * 1e3,
        max_relative = 1e-12
    );
    assert_relative_eq!(
        r.position_m.z,
        -1.019199707031e+04 * 1e3,
        max_relative = 1e-12
    );
    assert_relative_eq!(
        r.acceleration_m_s2.z,
        3.725290298462e-06,
        max_relative = 1e-12
    );
    assert_eq!(r.channel, 5);
    // R18: channel −3 ("-3.000000000000D+00").
    assert_eq!(d.glonass[&sat("R18")][0].channel, -3);
}

#[test]
fn gzip_file_is_read() {
    let Some(p) = common::data_file(GOP) else {
        return;
    };
    let raw = std::fs::read(&p).unwrap();
    let dir = tempfile::Builder::new()
        .prefix("gnss-interop-nav-")
        .tempdir()
        .unwrap();
    let gz = dir.path().join("BRDC00GOP_R_20210010000_01D_MN.rnx.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    enc.write_all(&raw).unwrap();
    enc.finish().unwrap();
    let a = NavData::from_file(&gz).unwrap();
    let b = NavData::from_file(&p).unwrap();
    assert_eq!(a.bds, b.bds);
    assert_eq!(a.glonass, b.glonass);
    assert_eq!(a.skipped_records, b.skipped_records);
}

#[test]
fn errors_name_file_and_line() {
    let name = Path::new("bad.rnx");
    // Missing file → Io with the path.
    let e = NavData::from_file("does/not/exist.rnx").unwrap_err();
    assert!(matches!(e, EphemerisError::Io { .. }), "{e}");
    assert!(e.to_string().contains("does/not/exist.rnx"));
    // Unsupported version → names the file and line 1.
    let v5 = "     5.00           N: GNSS NAV DATA    M: MIXED            RINEX VERSION / TYPE\n";
    let e = NavData::from_reader(v5.as_bytes(), name).unwrap_err();
    assert!(matches!(e, EphemerisError::Unsupported { .. }), "{e}");
    assert!(
        e.to_string().contains("bad.rnx") && e.to_string().contains("line 1"),
        "{e}"
    );
    // An observation file is refused.
    let obs = "     3.04           OBSERVATION DATA    M                   RINEX VERSION / TYPE\n";
    assert!(matches!(
        NavData::from_reader(obs.as_bytes(), name),
        Err(EphemerisError::Unsupported { .. })
    ));
    // A bad number: file:line: message.
    let Some(p) = common::data_file(GOP) else {
        return;
    };
    let text = std::fs::read_to_string(&p).unwrap();
    let bad = text.replace("6.493491893768e+03", "6.49349189x768e+03");
    let e = NavData::from_reader(bad.as_bytes(), name).unwrap_err();
    let line = text
        .lines()
        .position(|l| l.contains("6.493491893768e+03"))
        .unwrap()
        + 1;
    assert!(
        e.to_string()
            .starts_with(&format!("bad.rnx:{line}: bad number")),
        "{e}"
    );
    // A wrong year in a BeiDou record: toc no longer matches t_oe/week.
    let bad = text.replace("C01 2021 01 01", "C01 2031 01 01");
    let e = NavData::from_reader(bad.as_bytes(), name).unwrap_err();
    assert!(e.to_string().contains("wrong year"), "{e}");
}

// ------------------------------------------------------------------ selection

fn bdt(h: u8, m: u8) -> Epoch {
    Epoch::from_gregorian(2023, 1, 1, h, m, 0, 0, TimeScale::BDT)
}

#[test]
fn select_bds_nearest_within_window() {
    let Some(d) = igs() else { return };
    let pol = SelectionPolicy::default();
    // 01:20 BDT → the 01:00 record (t_oe 3600 s, line 105), not 02:00.
    let r = d.select_bds(sat("C01"), bdt(1, 20), &pol).unwrap();
    assert_eq!((r.toe_sow_s, r.source_line), (3600.0, 105));
    // 01:40 → the 02:00 record.
    assert_eq!(
        d.select_bds(sat("C01"), bdt(1, 40), &pol)
            .unwrap()
            .toe_sow_s,
        7200.0
    );
    // The epoch's scale is honoured: 01:00:14 GPST is 01:00:00 BDT.
    let gpst = Epoch::from_gregorian(2023, 1, 1, 1, 0, 14, 0, TimeScale::GPST);
    assert_eq!(
        d.select_bds(sat("C01"), gpst, &pol).unwrap().toe_sow_s,
        3600.0
    );
    // Last record t_oe 23:00 BDT: valid to 24:00, not beyond.
    let late = bdt(23, 0) + Unit::Second * 3601;
    match d.select_bds(sat("C01"), late, &pol) {
        Err(EphemerisError::NoValidRecord { reason, .. }) => {
            assert!(reason.contains("3601 s away"), "{reason}")
        }
        other => panic!("expected NoValidRecord, got {other:?}"),
    }
    // Unknown satellites (C17 has no record in the file; a GLONASS id has no BDS record).
    assert!(matches!(
        d.select_bds(sat("C17"), bdt(1, 0), &pol),
        Err(EphemerisError::UnknownSatellite { .. })
    ));
    assert!(matches!(
        d.select_bds(sat("R01"), bdt(1, 0), &pol),
        Err(EphemerisError::UnknownSatellite { .. })
    ));
}

#[test]
fn select_glonass_window_and_health() {
    let Some(d) = igs() else { return };
    let pol = SelectionPolicy::default();
    let utc = |h, m, s| Epoch::from_gregorian_utc(2023, 1, 1, h, m, s, 0);
    // R01 t_b every 30 min: 00:29 UTC → 00:15 record; 00:31 → 00:45.
    assert_eq!(
        d.select_glonass(sat("R01"), utc(0, 29, 0), &pol)
            .unwrap()
            .tb,
        utc(0, 15, 0)
    );
    assert_eq!(
        d.select_glonass(sat("R01"), utc(0, 31, 0), &pol)
            .unwrap()
            .tb,
        utc(0, 45, 0)
    );
    // R25 is flagged unhealthy (health 1) in its 00:15 record (line 65521):
    // R25 2023 01 01 00 15 00 5.037523806095e-05 9.094947017729e-13 3.000000000000e+01
    //      9.650001953125e+03 4.156055450439e-01-9.313225746155e-10 1.000000000000e+00
    match d.select_glonass(sat("R25"), utc(0, 20, 0), &pol) {
        Err(EphemerisError::NoValidRecord { reason, .. }) => {
            assert!(reason.contains("only unhealthy"), "{reason}")
        }
        other => panic!("expected NoValidRecord, got {other:?}"),
    }
    let any = SelectionPolicy {
        allow_unhealthy: true,
        ..pol
    };
    let r = d.select_glonass(sat("R25"), utc(0, 20, 0), &any).unwrap();
    assert_eq!((r.source_line, r.health, r.channel), (65521, 1, -5));
    // A gap larger than 15 min: R25 has no record between 01:15 and 08:15 UTC.
    assert!(matches!(
        d.select_glonass(sat("R25"), utc(4, 0, 0), &any),
        Err(EphemerisError::NoValidRecord { .. })
    ));
}

#[test]
fn rinex4_prefers_d1_over_cnav() {
    let Some(p) = common::data_file(DLR4) else {
        return;
    };
    let d = NavData::from_file(&p).unwrap();
    // C19 has D1, CNV1 and CNV2 records with t_oe 2023-03-12 00:00 BDT.
    let t = Epoch::from_gregorian(2023, 3, 12, 0, 5, 0, 0, TimeScale::BDT);
    let r = d
        .select_bds(sat("C19"), t, &SelectionPolicy::default())
        .unwrap();
    assert_eq!(r.message, BdsMessage::D1);
    assert_eq!(r.source_line, 116854);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Over random epochs from 2 h before to 2 h after the IGS file's day, a selected record is
    /// always within its window and healthy, and a refusal means no healthy record is within
    /// the window (checked by brute force).
    #[test]
    fn selection_never_leaves_the_window(offset_s in -7200.0f64..(86_400.0 + 7200.0), k in 0usize..68) {
        let Some(d) = igs() else { return Ok(()) };
        let pol = SelectionPolicy::default();
        let epoch = Epoch::from_gregorian_utc(2023, 1, 1, 0, 0, 0, 0) + Duration::from_seconds(offset_s);
        let sats = d.satellites();
        let s = sats[k % sats.len()];
        let (window, refs): (f64, Vec<(Epoch, bool)>) = if d.bds.contains_key(&s) {
            (pol.bds_half_window_s, d.bds[&s].iter().map(|r| (r.toe, r.health == 0)).collect())
        } else {
            (pol.glonass_half_window_s, d.glonass[&s].iter().map(|r| (r.tb, r.health == 0)).collect())
        };
        let ok_exists = refs.iter().any(|(t, h)| *h && (epoch - *t).to_seconds().abs() <= window);
        let got = if d.bds.contains_key(&s) {
            d.select_bds(s, epoch, &pol).map(|r| (r.toe, r.health))
        } else {
            d.select_glonass(s, epoch, &pol).map(|r| (r.tb, r.health))
        };
        match got {
            Ok((t, h)) => {
                prop_assert!((epoch - t).to_seconds().abs() <= window);
                prop_assert_eq!(h, 0);
                // Nearest among the healthy candidates.
                let best = refs.iter().filter(|(_, h)| *h)
                    .map(|(t, _)| (epoch - *t).to_seconds().abs())
                    .fold(f64::INFINITY, f64::min);
                prop_assert_eq!((epoch - t).to_seconds().abs(), best);
            }
            Err(EphemerisError::NoValidRecord { .. }) => prop_assert!(!ok_exists),
            Err(e) => prop_assert!(false, "unexpected error {}", e),
        }
    }
}
