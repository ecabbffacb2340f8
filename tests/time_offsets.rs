//! Broadcast time offsets on the real navigation files (`nav/*` of the shared data; values quoted
//! verbatim in data/SOURCES.md), the BDT − GLONASST reconciliation, and malformed input.

mod common;

use gnss_interop::ephemeris::{EphemerisError, NavData};
use std::path::Path;

use approx::assert_abs_diff_eq;
use gnss_interop::time::{
    calendar_in, epoch_from_calendar, from_gnss_week_sow, gnss_week_sow, nominal_offset_s,
    reconcile_bdt_glonasst, BroadcastOffsets, OffsetCode, OffsetSource, Scale,
};

const NAV_FILES: [&str; 5] = [
    "nav/BRDC00IGS_R_20230010000_01D_MN.rnx",
    "nav/BRD400DLR_S_20230710000_01D_MN.rnx",
    "nav/BRDM00DLR_S_20230730000_01D_MN.rnx",
    "nav/BRDC00GOP_R_20210010000_01D_MN.rnx",
    "nav/dlf10010.21g",
];

/// Every `TIME SYSTEM CORR`, `CORR TO SYSTEM TIME` and `> STO` of every file is read, and each
/// evaluates to a finite fractional offset below 1 µs (all broadcast offsets are ns-level) that
/// equals a0 at its own reference epoch.
#[test]
fn every_offset_line_of_the_real_files_is_parsed_and_evaluated() {
    for rel in NAV_FILES {
        let Some(p) = common::data_file(rel) else {
            return;
        };
        let text = std::fs::read_to_string(&p).unwrap();
        let header_lines = text
            .lines()
            .take_while(|l| !l.contains("END OF HEADER"))
            .filter(|l| {
                let label = l.get(60..).unwrap_or("").trim();
                matches!(
                    label,
                    "TIME SYSTEM CORR" | "CORR TO SYSTEM TIME" | "DELTA-UTC: A0,A1,T,W"
                )
            })
            .count();
        let sto = text.lines().filter(|l| l.starts_with("> STO")).count();
        let nav = offsets_of(&p);
        assert_eq!(nav.offsets.len(), header_lines + sto, "{rel}");
        assert!(!nav.offsets.is_empty(), "{rel}");
        for o in &nav.offsets {
            let at = o.t_ref.unwrap_or_else(|| {
                epoch_from_calendar(Scale::Gpst, 2023, 1, 1, 0, 0, 0.0).unwrap()
            });
            let v = o.evaluate(at);
            assert!(
                v.is_finite() && v.abs() < 1e-6,
                "{rel}:{} {} = {v}",
                o.line,
                o.code
            );
            assert_eq!(v, o.a0_s, "{rel}:{}", o.line);
            assert_eq!(o.file.as_deref(), Some(p.as_path()));
        }
        // Per-file counts quoted in data/SOURCES.md.
        let count = |c: &str| nav.offsets.iter().filter(|o| o.code.as_str() == c).count();
        match rel {
            "nav/BRD400DLR_S_20230710000_01D_MN.rnx" => {
                assert_eq!(
                    [
                        count("BDGL"),
                        count("BDGP"),
                        count("BDGA"),
                        count("BDUT"),
                        count("GLGP"),
                        count("GLUT"),
                        count("GPUT")
                    ],
                    [24, 24, 24, 30, 4, 4, 8]
                );
            }
            "nav/BRDC00GOP_R_20210010000_01D_MN.rnx" => {
                // The non-standard XXXX line is kept, as an unknown code, and never selected.
                let x = OffsetCode::Other("XXXX".into());
                assert_eq!(nav.of_code(&x).count(), 1);
                assert!(nav.select(&x, nav.offsets[0].t_ref.unwrap()).is_none());
            }
            _ => {}
        }
        // LEAP SECONDS header (when present) equals GPST − UTC of our table at the file date.
        if let Some(l) = &nav.leap_seconds {
            let at = nav.offsets.iter().find_map(|o| o.t_ref).unwrap();
            assert_eq!(
                i64::from(l.current_s),
                nominal_offset_s(Scale::Gpst, Scale::Utc, at).unwrap(),
                "{rel}"
            );
        }
    }
}

/// Header values quoted verbatim in data/SOURCES.md, and the two BDUT week conventions.
#[test]
fn igs_and_dlr_header_values_and_bdut_reference_weeks() {
    let Some(igs) = common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx") else {
        return;
    };
    let igs = offsets_of(igs);
    let t0 = epoch_from_calendar(Scale::Gpst, 2023, 1, 1, 0, 0, 0.0).unwrap();

    // `BDUT -4.6566128731E-09 9.769962617E-15 604745  886`: IGS writes a BDT week.
    let bdut = igs.select(&OffsetCode::Bdut, t0).unwrap();
    assert_eq!(bdut.a0_s, -4.6566128731e-09);
    assert_eq!(bdut.a1_s_s, 9.769962617e-15);
    assert!(matches!(bdut.source, OffsetSource::Rinex3Header { .. }));
    assert_eq!(
        gnss_week_sow(bdut.t_ref.unwrap(), Scale::Bdt).unwrap(),
        (886, 604_745.0)
    );

    // `GPUT -1.8626451492E-09 6.217248938E-15 233472 2243`: at 2023-01-01 00:00 GPST,
    // dt = −233 472 s; IS-GPS-200 §20.3.3.5.2.4 A0 + A1·dt, evaluated by hand.
    let gput = igs.select(&OffsetCode::Gput, t0).unwrap();
    assert_eq!(
        gnss_week_sow(gput.t_ref.unwrap(), Scale::Gpst).unwrap(),
        (2243, 233_472.0)
    );
    let expected = -1.8626451492e-09 + 6.217248938e-15 * -233_472.0;
    // 1e-20 s: only floating-point rounding separates the two evaluations.
    assert_abs_diff_eq!(gput.evaluate(t0), expected, epsilon = 1e-20);

    // `GLUT -6.0535967350E-09 0.0 0 0`: no reference epoch; a0 = −τ_c, so τ_c = +6.05 ns
    // (GLONASS ICD §3.3.3; RTKLIB rinex.c stores utc_glo[0] = −a0).
    let glut = igs.select(&OffsetCode::Glut, t0).unwrap();
    assert!(glut.t_ref.is_none());
    assert_eq!(glut.glonass_tau_c_s(), Some(6.0535967350e-09));
    assert_eq!(glut.evaluate(t0), -6.0535967350e-09);
    // Full GLONASST − UTC: 3 h minus τ_c.
    assert_abs_diff_eq!(
        glut.total_offset_s(t0).unwrap().unwrap(),
        10_800.0 - 6.0535967350e-09,
        epsilon = 1e-11
    );

    // DLR writes the BDUT reference as a GPS week: `14 2253` = GPS week 2253, 14 s = BDT week
    // 897, second 0 — the same BDT week start the IGS convention would give.
    let Some(dlr) = common::data_file("nav/BRDM00DLR_S_20230730000_01D_MN.rnx") else {
        return;
    };
    let dlr = offsets_of(dlr);
    let b = dlr.of_code(&OffsetCode::Bdut).next().unwrap();
    assert_eq!(
        gnss_week_sow(b.t_ref.unwrap(), Scale::Gpst).unwrap(),
        (2253, 14.0)
    );
    assert_eq!(
        gnss_week_sow(b.t_ref.unwrap(), Scale::Bdt).unwrap(),
        (897, 0.0)
    );
    // Both references fall within a week of their file's day (2023-01-01 / 2023-03-14).
    let dlr_day = epoch_from_calendar(Scale::Gpst, 2023, 3, 14, 0, 0, 0.0).unwrap();
    assert!((b.t_ref.unwrap() - dlr_day).to_seconds().abs() < 604_800.0);
    assert!((bdut.t_ref.unwrap() - t0).to_seconds().abs() < 604_800.0);

    // The GOP file (2021-01-01) writes `14  782`: BDT week 782 = GPS week 2138.
    let Some(gop) = common::data_file("nav/BRDC00GOP_R_20210010000_01D_MN.rnx") else {
        return;
    };
    let gop = offsets_of(gop);
    let b = gop.of_code(&OffsetCode::Bdut).next().unwrap();
    assert_eq!(
        gnss_week_sow(b.t_ref.unwrap(), Scale::Gpst).unwrap().0,
        2138
    );
}

/// RINEX 4 STO records: verbatim first records (data/SOURCES.md), epochs in the transmitting
/// system's time, and record selection.
#[test]
fn rinex4_sto_records() {
    let Some(p) = common::data_file("nav/BRD400DLR_S_20230710000_01D_MN.rnx") else {
        return;
    };
    let nav = offsets_of(p);
    assert_eq!(nav.rinex_version, 4.0);
    let first = nav.of_code(&OffsetCode::Bdgl).next().unwrap();
    assert_eq!(first.a0_s, 1.804437488317e-08);
    assert_eq!(first.a1_s_s, 9.459100169806e-14);
    assert_eq!(first.a2_s_s2, 2.134523027081e-19);
    assert_eq!(
        calendar_in(Scale::Bdt, first.t_ref.unwrap())
            .unwrap()
            .to_string(),
        "2023-03-12T00:20:00"
    );
    match &first.source {
        OffsetSource::Rinex4Sto {
            sv,
            message,
            t_tm_s,
            ..
        } => {
            assert_eq!(
                (sv.as_str(), message.as_str(), *t_tm_s),
                ("C21", "CNVX", 2376.0)
            );
        }
        other => panic!("{other:?}"),
    }
    let glut = nav.of_code(&OffsetCode::Glut).next().unwrap();
    assert_eq!(
        calendar_in(Scale::Utc, glut.t_ref.unwrap())
            .unwrap()
            .to_string(),
        "2023-03-11T00:00:00"
    );
    match &glut.source {
        OffsetSource::Rinex4Sto { utc_id, .. } => assert_eq!(utc_id.as_deref(), Some("UTC(SU)")),
        other => panic!("{other:?}"),
    }
    // Selection: at 00:50 BDT the 00:20 BDGL record (latest before); at 23:50 the 23:20 one.
    let at = epoch_from_calendar(Scale::Bdt, 2023, 3, 12, 0, 50, 0.0).unwrap();
    assert_eq!(nav.select(&OffsetCode::Bdgl, at).unwrap().line, first.line);
    let at = epoch_from_calendar(Scale::Bdt, 2023, 3, 12, 23, 50, 0.0).unwrap();
    let last = nav.of_code(&OffsetCode::Bdgl).last().unwrap();
    assert_eq!(nav.select(&OffsetCode::Bdgl, at).unwrap().line, last.line);
    // Quadratic evaluation of the first BDGL record 30 min after its reference (BDS B1C ICD
    // BGTO: A0 + A1·dt + A2·dt², hand-evaluated from the verbatim coefficients).
    let at = epoch_from_calendar(Scale::Bdt, 2023, 3, 12, 0, 50, 0.0).unwrap();
    let dt = 1800.0;
    let expected = 1.804437488317e-08 + 9.459100169806e-14 * dt + 2.134523027081e-19 * dt * dt;
    assert_abs_diff_eq!(first.evaluate(at), expected, epsilon = 1e-20);
}

/// BDT − GLONASST on 2023-03-12 by the three broadcast paths, hourly over the day.
///
/// Expected agreement: the paths differ by the errors of the broadcast offsets themselves. The
/// offsets are quantised at 2⁻³⁰ s ≈ 0.93 ns (GLONASS τ_c, τ_GPS) and are predictions; UTC(NTSC)
/// and UTC(SU) differ by a few ns; the GLONASS τ_GPS (GLGP) of this day is −41…−44 ns and carries
/// most of the disagreement. Measured here at hh:30 GPST: closure 20.7–25.0 ns (via GPST vs
/// direct ≤ 11.2 ns, bound 15 ns). Bound on the closure: 40 ns, i.e. ≈ 12 m of range — fine for combining the constellations under
/// one receiver clock at the metre level of broadcast orbits, not for precise timing.
#[test]
fn reconciliation_paths_agree_on_the_rinex4_day() {
    let Some(p) = common::data_file("nav/BRD400DLR_S_20230710000_01D_MN.rnx") else {
        return;
    };
    let nav = offsets_of(p);
    let (mut worst, mut best, mut worst_gd) = (0.0f64, f64::MAX, 0.0f64);
    for h in 0..24u8 {
        let at = epoch_from_calendar(Scale::Gpst, 2023, 3, 12, h, 30, 0.0).unwrap();
        let r = reconcile_bdt_glonasst(at, &nav).unwrap();
        // Nominal from the definitions (BDT = TAI − 33 s, GLONASST = UTC + 3 h, TAI − UTC = 37 s).
        assert_eq!(r.nominal_s, 37.0 - 33.0 - 10_800.0);
        let (u, g, d) = (
            r.via_utc_s.unwrap(),
            r.via_gpst_s.unwrap(),
            r.direct_s.unwrap(),
        );
        for v in [u, g, d] {
            assert!((v - r.nominal_s).abs() < 100e-9);
        }
        let c = r.closure_ns.unwrap();
        worst = worst.max(c);
        best = best.min(c);
        worst_gd = worst_gd.max((g - d).abs() * 1e9);
        assert!(c < 40.0, "{h}h: closure {c} ns");
        // Direct vs through GPST: both from the same BDS-3 BGTO family plus GLONASS τ_GPS.
        assert!((g - d).abs() < 15e-9, "{h}h: {} ns", (g - d) * 1e9);
        // With the opposite sign for GLGP the GPST path would be ≈ 2·42 ns away from direct.
        let glgp = nav.evaluate(&OffsetCode::Glgp, at).unwrap();
        let flipped = g - 2.0 * glgp;
        assert!((flipped - d).abs() > 60e-9);
    }
    eprintln!(
        "closure over the day: {best:.3}…{worst:.3} ns; |via GPST − direct| ≤ {worst_gd:.3} ns"
    );
}

/// The IGS file of 2023-01-01 allows only the UTC path: BDUT − GLUT = 1.40 ns.
#[test]
fn reconciliation_on_the_igs_day_has_one_path() {
    let Some(p) = common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx") else {
        return;
    };
    let nav = offsets_of(p);
    let at = epoch_from_calendar(Scale::Gpst, 2023, 1, 1, 0, 0, 0.0).unwrap();
    let r = reconcile_bdt_glonasst(at, &nav).unwrap();
    assert!(r.via_gpst_s.is_none() && r.direct_s.is_none() && r.closure_ns.is_none());
    // BDUT reference BDT week 886 SOW 604745, the instant BDT week 886 SOW 604786: dt = +41 s.
    // −4.6566128731e-9 + 9.769962617e-15·41 − (−6.0535967350e-9), hand-evaluated.
    let expected = -4.6566128731e-09 + 9.769962617e-15 * 41.0 + 6.0535967350e-09;
    // 1e-6 ns: floating-point rounding only.
    assert_abs_diff_eq!(
        r.via_utc_residual_ns.unwrap(),
        expected * 1e9,
        epsilon = 1e-6
    );
}

/// The offsets of a navigation file, read by the one navigation reader.
fn offsets_of(path: impl AsRef<Path>) -> BroadcastOffsets {
    NavData::from_file(path).unwrap().offsets
}

fn parse(text: &str) -> Result<BroadcastOffsets, EphemerisError> {
    NavData::from_reader(text.as_bytes(), Path::new("bad.rnx")).map(|d| d.offsets)
}

const V3_HEAD: &str =
    "     3.04           N: GNSS NAV DATA    M: MIXED            RINEX VERSION / TYPE\n";

#[test]
fn malformed_lines_name_file_and_line() {
    // Bad a0 in a TIME SYSTEM CORR on line 3.
    let text = format!(
        "{V3_HEAD}GPUT  2.7939677238e-09 1.687538997e-14 503808 2253          TIME SYSTEM CORR\n\
         GLUT -9.31322574x2e-10 0.000000000e+00 259200 2253          TIME SYSTEM CORR\n\
         {:60}END OF HEADER\n",
        ""
    );
    match parse(&text) {
        Err(EphemerisError::Parse {
            path,
            line,
            message,
        }) => {
            assert_eq!((path.to_str().unwrap(), line), ("bad.rnx", 3));
            assert!(message.contains("9.31322574x2e-10"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // Reference second of week out of range.
    let text = format!("{V3_HEAD}GPUT  2.7939677238e-09 1.687538997e-14 999999 2253          TIME SYSTEM CORR\n{:60}END OF HEADER\n", "");
    assert!(matches!(
        parse(&text),
        Err(EphemerisError::Parse { line: 2, .. })
    ));
    // Unknown code with good numbers: kept, not an error.
    let text = format!(
        "{V3_HEAD}{:60}TIME SYSTEM CORR\n{:60}END OF HEADER\n",
        "ABCD  1.7840648070e-08 5.773159728e-14 432288 2138", ""
    );
    let ok = parse(&text).unwrap();
    assert_eq!(ok.offsets[0].code, OffsetCode::Other("ABCD".into()));
    // Not a RINEX file, empty, no END OF HEADER.
    assert!(matches!(
        parse("hello\n"),
        Err(EphemerisError::Parse { line: 1, .. })
    ));
    assert!(matches!(
        parse(""),
        Err(EphemerisError::Parse { line: 1, .. })
    ));
    assert!(matches!(parse(V3_HEAD), Err(EphemerisError::Parse { .. })));
    // RINEX 4 STO: bad epoch (month 13) on line 4, bad number on line 5, truncated record.
    let v4 = "     4.00           NAVIGATION DATA     M                   RINEX VERSION / TYPE\n";
    let end = format!("{:60}END OF HEADER\n", "");
    let rec = |l2: &str, l3: &str| format!("{v4}{end}> STO C21 CNVX\n{l2}\n{l3}\n");
    let good2 = "    2023 03 12 00 20 00 BDGL";
    let good3 = "     2.376000000000e+03 1.804437488317e-08 9.459100169806e-14 2.134523027081e-19";
    assert_eq!(parse(&rec(good2, good3)).unwrap().offsets.len(), 1);
    let e = parse(&rec("    2023 13 12 00 20 00 BDGL", good3)).unwrap_err();
    assert!(matches!(e, EphemerisError::Parse { line: 4, .. }), "{e}");
    let e = parse(&rec(
        good2,
        "     2.376000000000e+03 1.80443748831?e-08 9.459100169806e-14 2.134523027081e-19",
    ))
    .unwrap_err();
    assert!(matches!(e, EphemerisError::Parse { line: 5, .. }), "{e}");
    let e = parse(&format!("{v4}{end}> STO C21 CNVX\n{good2}\n")).unwrap_err();
    assert!(matches!(e, EphemerisError::Parse { .. }), "{e}");
    assert!(e.to_string().starts_with("bad.rnx:"), "{e}");
    // Missing file: Io with the path.
    match NavData::from_file("no/such/file.rnx") {
        Err(EphemerisError::Io { path, .. }) => assert!(path.ends_with("file.rnx")),
        other => panic!("{other:?}"),
    }
    // An unknown code with a multi-byte character across its second byte (found by the
    // offsets_reader fuzz target: it panicked slicing the code's first two bytes).
    let text = format!("{V3_HEAD}Gªa  1.0000000000e-09 0.000000000e+00 100000 2253          TIME SYSTEM CORR\n{:60}END OF HEADER\n", "");
    let ok = parse(&text).unwrap();
    assert_eq!(ok.offsets[0].code, OffsetCode::Other("Gªa".into()));
    // Non-ASCII garbage in the columns never panics.
    let text = format!("{V3_HEAD}GPUT  2.79é9677238e-09 1.687538997e-14 503808 2253          TIME SYSTEM CORR\n{:60}END OF HEADER\n", "");
    let _ = parse(&text);
    let _ = from_gnss_week_sow(Scale::Gpst, 0, 0.0).unwrap();
}

/// Offsets outside physics are refused with file, line and term (bad-input campaign: STO edits
/// gave offsets of 1e18 ns with exit status 0). Limits: |a0| ≤ 1 ms, |a1| ≤ 1e-9 s/s,
/// |a2| ≤ 1e-12 s/s² (every system time is steered within ~1 µs of its reference; see
/// `time::offsets::MAX_OFFSET_A0_S`); LEAP SECONDS within 0–100 s.
#[test]
fn offsets_outside_physics_are_refused() {
    let end = format!("{:60}END OF HEADER\n", "");
    // a0 = 1e9 s in a TIME SYSTEM CORR (line 2).
    let text = format!(
        "{V3_HEAD}GPUT  1.0000000000e+09 1.687538997e-14 503808 2253          TIME SYSTEM CORR\n{end}"
    );
    let e = parse(&text).unwrap_err();
    assert!(
        matches!(e, EphemerisError::Parse { line: 2, .. }) && e.to_string().contains("a0"),
        "{e}"
    );
    // a1 = 1e-3 s/s.
    let text = format!(
        "{V3_HEAD}GPUT  2.7939677238e-09 1.000000000e-03 503808 2253          TIME SYSTEM CORR\n{end}"
    );
    assert!(parse(&text).unwrap_err().to_string().contains("a1"));
    // LEAP SECONDS 500.
    let text = format!("{V3_HEAD}{:60}LEAP SECONDS\n{end}", "   500");
    assert!(parse(&text)
        .unwrap_err()
        .to_string()
        .contains("LEAP SECONDS"));
    // RINEX 4 STO with a2 = 1 s/s²: the error names the parameter line (5).
    let v4 = "     4.00           NAVIGATION DATA     M                   RINEX VERSION / TYPE\n";
    let text = format!(
        "{v4}{end}> STO C21 CNVX\n    2023 03 12 00 20 00 BDGL\n     2.376000000000e+03 1.804437488317e-08 9.459100169806e-14 1.000000000000e+00\n"
    );
    let e = parse(&text).unwrap_err();
    assert!(
        matches!(e, EphemerisError::Parse { line: 5, .. }) && e.to_string().contains("a2"),
        "{e}"
    );
}

/// The gzip-compressed IGS file of 2022-12-31 is read by the same reader (the issue: the time
/// module's former second reader failed on `.gz` and printed compressed bytes). Its header
/// (2022-12-31) carries GPUT, BDUT and GLUT, each below 1 µs, and LEAP SECONDS 18.
#[test]
fn offsets_of_a_gzip_file() {
    let Some(p) = common::data_file("nav/BRDC00IGS_R_20223650000_01D_MN.rnx.gz") else {
        return;
    };
    let nav = offsets_of(&p);
    assert_eq!(nav.file.as_deref(), Some(p.as_path()));
    for code in [OffsetCode::Bdut, OffsetCode::Glut, OffsetCode::Gput] {
        let o = nav
            .of_code(&code)
            .next()
            .unwrap_or_else(|| panic!("{code}"));
        assert!(o.a0_s.abs() < 1e-6, "{code}");
    }
    assert_eq!(nav.leap_seconds.as_ref().map(|l| l.current_s), Some(18));
}

/// Broadcast offset polynomials are fitted for about a day: every study (the `time` and `dop`
/// commands, the scenario timescales stage) refuses to evaluate them more than two days from
/// their reference epochs (the bad-input campaign: `time --at 2030` with a 2023 file reported a
/// 10 ms closure), unless the caller sets another reach.
#[test]
fn offsets_are_not_evaluated_years_from_their_reference() {
    let Some(p) = common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx") else {
        return;
    };
    let offsets = offsets_of(&p);
    let day = hifitime::Epoch::from_gregorian_utc_hms(2023, 1, 1, 12, 0, 0);
    assert!(gnss_interop::time::reconcile_bdt_glonasst(day, &offsets).is_ok());
    let far = hifitime::Epoch::from_gregorian_utc_hms(2030, 1, 1, 0, 0, 0);
    let e = gnss_interop::time::reconcile_bdt_glonasst(far, &offsets).unwrap_err();
    assert!(
        matches!(e, gnss_interop::time::TimeError::OffsetsOutOfReach { .. })
            && e.to_string().contains("BRDC00IGS_R_20230010000_01D_MN.rnx"),
        "{e}"
    );
    assert!(
        gnss_interop::time::reconcile_bdt_glonasst_within(far, &offsets, f64::INFINITY).is_ok()
    );
}
