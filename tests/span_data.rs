//! The span must be inside the data. Real data: the WUM MGEX final SP3 of 2023-01-01
//! (`sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3`, nodes 00:00–23:55 GPST) and the two IGS
//! daily broadcast files of 2022-12-31 (gzip) and 2023-01-01.

mod common;

use gnss_interop::coverage::{run, CoverageConfig, CoverageError, Grid, GridLayout};
use gnss_interop::ephemeris::Sp3Product;
use gnss_interop::id::{Constellation, SatId};
use gnss_interop::orbit::broadcast::{BroadcastOptions, BroadcastSource};
use gnss_interop::orbit::sp3::{Sp3Options, Sp3Source};
use gnss_interop::orbit::OrbitSource;
use hifitime::{Duration, Epoch, TimeScale};

const WUM: &str = "sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3";
const BRDC_365: &str = "nav/BRDC00IGS_R_20223650000_01D_MN.rnx.gz";
const BRDC_001: &str = "nav/BRDC00IGS_R_20230010000_01D_MN.rnx";

fn gpst(y: i32, mo: u8, d: u8, h: u8, mi: u8) -> Epoch {
    Epoch::from_gregorian(y, mo, d, h, mi, 0, 0, TimeScale::GPST)
}

/// A two-day span over a one-day SP3 file: refused, naming the uncovered interval (from the
/// last node 23:55 to the end of the span); allowed, the no-data epochs are counted per
/// satellite and in the summary, and every statistic equals that of a run over the covered
/// day alone.
#[test]
fn span_past_the_sp3_is_refused_or_counted_as_no_data() {
    let Some(p) = common::data_file(WUM) else {
        return;
    };
    let src =
        Sp3Source::with_options(Sp3Product::from_file(p).unwrap(), Sp3Options::default()).unwrap();
    let grid = Grid::global(30.0, GridLayout::CellCentres, 0.0).unwrap();
    let step = Duration::from_seconds(1800.0);
    let systems = vec![Constellation::BeiDou, Constellation::Glonass];
    let two_days = CoverageConfig::new(
        systems.clone(),
        gpst(2023, 1, 1, 0, 0),
        gpst(2023, 1, 2, 23, 30),
        step,
    );
    let e = run(&[&src], &grid, &two_days).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, CoverageError::OutsideData { .. }), "{msg}");
    // Every satellite of the product: the same interval, from the last node to the end.
    assert!(
        msg.contains("2023-01-01T23:55:00 GPST – 2023-01-02T23:30:00 GPST"),
        "{msg}"
    );
    assert!(msg.contains("(61 satellites)"), "{msg}");
    eprintln!("refused: {msg}");

    let allowed = run(&[&src], &grid, &two_days.clone().with_allow_no_data(true)).unwrap();
    // 96 epochs in all (00:00 to 23:30 of the next day, 30 min); 48 on 2023-01-01 have data.
    assert_eq!(allowed.epochs.len(), 48);
    assert_eq!(allowed.no_data_epochs, 48);
    assert_eq!(allowed.no_data_satellite_epochs, 48 * 61);
    assert!(allowed.satellites.iter().all(|s| s.no_data_epochs == 48));
    let restricted = run(
        &[&src],
        &grid,
        &CoverageConfig::new(
            systems,
            gpst(2023, 1, 1, 0, 0),
            gpst(2023, 1, 1, 23, 30),
            step,
        ),
    )
    .unwrap();
    assert_eq!(restricted.no_data_epochs, 0);
    assert_eq!(allowed.epochs, restricted.epochs);
    assert_eq!(
        allowed.points, restricted.points,
        "covered part = restricted run"
    );
    let (a, r) = (
        allowed.summary(None).unwrap(),
        restricted.summary(None).unwrap(),
    );
    assert_eq!(a.availability_mean, r.availability_mean);
    assert_eq!(a.longest_outage_s, r.longest_outage_s);
    assert_eq!(
        (a.no_data_epochs, a.no_data_satellite_epochs),
        (48, 48 * 61)
    );
    // The summary JSON states the count.
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["no_data_satellite_epochs"], 48 * 61);
    eprintln!(
        "allowed: availability of the covered day {:.4} (restricted run {:.4}), {} no-data \
         satellite-epochs",
        a.availability_mean, r.availability_mean, a.no_data_satellite_epochs
    );
}

/// BeiDou MEO satellites (CSNO constellation status: C11, C12, C14, C19–C30, C32–C37,
/// C41–C46) have states every 60 s from 2022-12-31T22:00 to 2023-01-01T02:00 GPST with the
/// two IGS daily files merged, across the year boundary (day 365 → day 1).
///
/// Consistency of each step with the velocity: r(t+h) − r(t) − h·(v(t) + v(t+h))/2 =
/// −h³/12 · r'''(ξ), |r'''| ≈ a·ω³ = 27 906 km · (1.355e-4 rad/s)³ = 6.9e-5 m/s³ for a MEO,
/// so 1.3 m at h = 60 s within one record; where the record changes (hourly), the two
/// records' orbits differ by their broadcast error (≈ 1–2 m, 10 m at most for BDS against
/// WUM/COD in data/SOURCES.md). Bound: 1.3 m + 10 m.
#[test]
fn bds_meo_states_every_minute_across_midnight_and_the_year() {
    let (Some(a), Some(b)) = (common::data_file(BRDC_365), common::data_file(BRDC_001)) else {
        return;
    };
    let t_load = std::time::Instant::now();
    let src = BroadcastSource::from_files(
        &[&b, &a],
        &[Constellation::BeiDou],
        BroadcastOptions::default(),
    )
    .unwrap();
    eprintln!(
        "two BRDC days loaded in {:.2} s",
        t_load.elapsed().as_secs_f64()
    );
    let meo: Vec<SatId> = [11, 12, 14]
        .into_iter()
        .chain(19..=30)
        .chain(32..=37)
        .chain(41..=46)
        .map(|n| SatId::new(Constellation::BeiDou, n).unwrap())
        // C35 has no record in either file (the files' `C35` lines: none).
        .filter(|s| src.satellites().contains(s))
        .collect();
    assert_eq!(meo.len(), 26);
    let (start, end) = (gpst(2022, 12, 31, 22, 0), gpst(2023, 1, 1, 2, 0));
    let h = 60.0;
    let mut worst = (0.0f64, String::new());
    let mut steps = 0;
    for &sat in &meo {
        // The source serves the whole span (no no-data interval).
        let served = src.served_intervals(sat).unwrap();
        assert!(
            served.iter().any(|&(x, y)| x <= start && end <= y),
            "{sat}: {served:?}"
        );
        let mut prev = src.state_at(sat, start).unwrap();
        let r = prev.position_m.norm();
        assert!((r - 27_906e3).abs() < 300e3, "{sat} is a MEO: r = {r} m");
        let mut t = start;
        while t < end {
            t += Duration::from_seconds(h);
            let s = src
                .state_at(sat, t)
                .unwrap_or_else(|e| panic!("{sat} at {t}: {e}"));
            let d =
                s.position_m - prev.position_m - (s.velocity_m_s + prev.velocity_m_s) * (h / 2.0);
            if d.norm() > worst.0 {
                worst = (d.norm(), format!("{sat} at {t}"));
            }
            steps += 1;
            prev = s;
        }
    }
    eprintln!(
        "{} MEO × 240 steps: worst |Δr − h·v̄| = {:.3} m ({})",
        meo.len(),
        worst.0,
        worst.1
    );
    assert_eq!(steps, meo.len() * 240);
    assert!(worst.0 < 11.3, "{} m at {}", worst.0, worst.1);
}

fn utc(y: i32, mo: u8, d: u8, h: u8, mi: u8) -> Epoch {
    Epoch::from_gregorian_utc_hms(y, mo, d, h, mi, 0)
}

/// Records that say "unusable" are data, not missing data. In the IGS BRDC file of
/// 2023-01-01 every record of R25 has health 1 (lines 65521–65626, t_b 00:15–23:15 UTC with
/// gaps 01:15–08:15 and 10:45–17:15): a plain run over the day is not refused for R25; R25
/// is absent at every epoch (`missing_epochs`) and has no no-data epoch. A span that leaves
/// the file (2023-01-01 22:00 – 2023-01-02 04:00 UTC, past every record window) is still
/// refused.
#[test]
fn unhealthy_only_satellite_is_covered_but_absent() {
    let Some(p) = common::data_file(BRDC_001) else {
        return;
    };
    let src = BroadcastSource::from_file(
        &p,
        &[Constellation::BeiDou, Constellation::Glonass],
        BroadcastOptions::default(),
    )
    .unwrap();
    let r25: SatId = "R25".parse().unwrap();
    // R25's records: 22 in the file (counted with grep '^R25 '), all unhealthy.
    let recs = src.record_health(r25);
    assert_eq!(recs.len(), 22);
    assert!(recs.iter().all(|r| !r.1));
    // Served: nothing; covered: the whole data span of the file.
    assert_eq!(src.served_intervals(r25), Some(vec![]));
    let covered = src.covered_intervals(r25).unwrap();
    assert_eq!(covered, vec![src.data_span().unwrap()]);

    // The availability table: R25 served nowhere, unusable over the whole span.
    let (t0, t1) = (utc(2023, 1, 1, 0, 0), utc(2023, 1, 1, 23, 55));
    let table = gnss_interop::orbit::data_availability(&src, t0, t1);
    let row = table.iter().find(|r| r.sat == r25).unwrap();
    assert_eq!(row.fraction, 0.0);
    assert_eq!(row.unusable, vec![(t0, t1)]);

    let grid = Grid::global(30.0, GridLayout::CellCentres, 0.0).unwrap();
    let systems = vec![Constellation::BeiDou, Constellation::Glonass];
    let day = CoverageConfig::new(
        systems.clone(),
        utc(2023, 1, 1, 0, 0),
        utc(2023, 1, 1, 23, 55),
        Duration::from_seconds(3600.0),
    );
    let res = run(&[&src], &grid, &day).unwrap();
    assert_eq!(res.no_data_epochs, 0);
    assert_eq!(res.no_data_satellite_epochs, 0);
    let rep = res.satellites.iter().find(|s| s.sat == r25).unwrap();
    assert_eq!(rep.missing_epochs as usize, res.epochs.len());
    assert_eq!(rep.no_data_epochs, 0);
    let first = rep.first_error.clone().unwrap();
    assert!(first.contains("unhealthy"), "{first}");

    // Past the data: refused, R25 named among the uncovered satellites like the others.
    let past = CoverageConfig::new(
        systems,
        utc(2023, 1, 1, 22, 0),
        utc(2023, 1, 2, 4, 0),
        Duration::from_seconds(3600.0),
    );
    let e = run(&[&src], &grid, &past).unwrap_err();
    assert!(matches!(e, CoverageError::OutsideData { .. }), "{e}");
    assert!(e.to_string().contains("2023-01-02T04:00:18 GPST"), "{e}");
}

/// Reasons that are true over the span. Over 2023-01-01 04:00–06:00 UTC, R25's nearest
/// record at the first epoch is 9,900 s away (t_b 01:15 UTC, then 08:15: lines 65531 and
/// 65536), which the first error says; over the span the truth is that R25 broadcasts only
/// unhealthy records (every record of the file). C01's records have t_oe 00:00–23:00 BDT
/// (lines of `C01 2023 01 01 00 00 00` and `… 23 00 00`, t_oe 0 and 82,800 s of BDT week
/// 2238), valid ±1 h: a span after them names the end 2023-01-02 00:00 BDT = 00:00:14 GPST
/// (GPST − BDT = 14 s), one before them the start 2022-12-31 23:00:14 GPST.
#[test]
fn a_satellite_skipped_for_the_whole_span_gets_the_reason_over_the_span() {
    let Some(p) = common::data_file(BRDC_001) else {
        return;
    };
    let src = BroadcastSource::from_file(
        &p,
        &[Constellation::BeiDou, Constellation::Glonass],
        BroadcastOptions::default(),
    )
    .unwrap();
    let r25: SatId = "R25".parse().unwrap();
    let c01: SatId = "C01".parse().unwrap();
    let grid = Grid::global(30.0, GridLayout::CellCentres, 0.0).unwrap();
    let cfg = CoverageConfig::new(
        vec![Constellation::BeiDou, Constellation::Glonass],
        utc(2023, 1, 1, 4, 0),
        utc(2023, 1, 1, 6, 0),
        Duration::from_seconds(600.0),
    );
    let res = run(&[&src], &grid, &cfg).unwrap();
    let rep = res.satellites.iter().find(|s| s.sat == r25).unwrap();
    let first = rep.first_error.as_deref().unwrap();
    assert!(first.contains("9900 s away"), "{first}");
    assert_eq!(
        rep.span_reason.as_deref(),
        Some("only unhealthy records over the span")
    );
    // Satellites with states somewhere get no span reason.
    let c01_rep = res.satellites.iter().find(|s| s.sat == c01).unwrap();
    assert_eq!(c01_rep.missing_epochs, 0);
    assert_eq!(c01_rep.span_reason, None);

    use gnss_interop::orbit::span_absence_reason;
    let after = span_absence_reason(&src, c01, utc(2023, 1, 2, 2, 0), utc(2023, 1, 2, 3, 0));
    assert_eq!(
        after.as_deref(),
        Some("no record within ±1 h of the span: data end at 2023-01-02T00:00:14 GPST")
    );
    let before = span_absence_reason(
        &src,
        c01,
        utc(2022, 12, 31, 20, 0),
        utc(2022, 12, 31, 21, 0),
    );
    assert_eq!(
        before.as_deref(),
        Some("no record within ±1 h of the span: no data before 2022-12-31T23:00:14 GPST")
    );
    assert_eq!(
        span_absence_reason(&src, r25, utc(2023, 1, 1, 4, 0), utc(2023, 1, 1, 6, 0)).as_deref(),
        Some("only unhealthy records over the span")
    );
}

/// A navigation file that holds none of the requested systems says what it holds. The cut is
/// made here: the header and the GPS records (first line starting with `G`, and their
/// continuation lines) of the IGS file of 2023-01-01; the GPS count is that of record first
/// lines after `END OF HEADER` in the cut, counted independently of the reader.
#[test]
fn a_file_without_the_requested_systems_says_what_it_holds() {
    let Some(p) = common::data_file(BRDC_001) else {
        return;
    };
    let text = std::fs::read_to_string(&p).unwrap();
    let mut out = String::new();
    let mut in_header = true;
    let mut keep = false;
    let mut gps_records = 0usize;
    for line in text.lines() {
        if in_header {
            out.push_str(line);
            out.push('\n');
            in_header = !line.contains("END OF HEADER");
            continue;
        }
        if !line.starts_with(' ') {
            keep = line.starts_with('G');
            gps_records += usize::from(keep);
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    assert!(gps_records > 400, "{gps_records}");
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("BRDC_GPS_ONLY.rnx");
    std::fs::write(&cut, out).unwrap();

    use gnss_interop::orbit::open::{open, OrbitSpec};
    let e = match open(
        &OrbitSpec::Nav(vec![cut.clone()]),
        &[Constellation::BeiDou, Constellation::Glonass],
    ) {
        Ok(_) => panic!("a GPS-only file opened as a BeiDou/GLONASS source"),
        Err(e) => e.to_string(),
    };
    let want = format!(
        "BRDC_GPS_ONLY.rnx holds {gps_records} GPS records and no BeiDou or GLONASS record"
    );
    assert!(e.contains(&want), "{e}");
    // The long-span door says the same.
    let e = match open(
        &OrbitSpec::LongSpan {
            nav: vec![cut],
            days: 1.0,
        },
        &[Constellation::Glonass],
    ) {
        Ok(_) => panic!("a GPS-only file seeded a long span"),
        Err(e) => e.to_string(),
    };
    assert!(e.contains("and no GLONASS record"), "{e}");
}

/// Tracking studies use the no-data accounting of coverage. C20's last record in the IGS
/// file of 2023-01-01 has t_oe 23:00 BDT (`C20 2023 01 01 23 00 00`), valid to 2023-01-02
/// 00:00 BDT = 2023-01-01 23:59:56 UTC (BDT = UTC + 4 s in 2023). A span 22:00 UTC + 5 h every
/// 10 min (30 epochs) is refused naming C20; allowed, the 18 epochs from 00:00 UTC are "no
/// data" (not "not tracked") and the tracking statistics equal those of the 12 covered
/// epochs alone (22:00–23:50 UTC).
#[test]
fn tracking_counts_no_data_apart_from_not_tracked() {
    use gnss_interop::network::{Network, NetworkAnalysis, NetworkError, OrbitSamples, TimeSpan};
    let Some(p) = common::data_file(BRDC_001) else {
        return;
    };
    let src = BroadcastSource::from_file(&p, &[Constellation::BeiDou], BroadcastOptions::default())
        .unwrap();
    let c20: SatId = "C20".parse().unwrap();
    let t0 = utc(2023, 1, 1, 22, 0);
    let step = Duration::from_seconds(600.0);
    let long = TimeSpan::new(t0, Duration::from_seconds(5.0 * 3600.0), step).unwrap();
    assert_eq!(long.n_epochs, 30);
    let e = OrbitSamples::for_satellites(&src, &[c20], long).unwrap_err();
    assert!(matches!(e, NetworkError::OutsideData { .. }), "{e}");
    assert!(e.to_string().contains("C20"), "{e}");
    assert!(e.to_string().contains("18 satellite-epochs"), "{e}");

    let allowed = OrbitSamples::for_satellites_with(&src, &[c20], long, true).unwrap();
    assert_eq!(allowed.no_data_epochs(0), 18);
    let short = TimeSpan::new(t0, Duration::from_seconds(2.0 * 3600.0), step).unwrap();
    let covered = OrbitSamples::for_satellites(&src, &[c20], short).unwrap();
    let net = Network::builtin("bds-baseline").unwrap();
    let a = NetworkAnalysis::new(&allowed, &net).tracking(1).unwrap();
    let b = NetworkAnalysis::new(&covered, &net).tracking(1).unwrap();
    assert_eq!(a.no_data_satellite_epochs, 18);
    assert_eq!(b.no_data_satellite_epochs, 0);
    let mut sa = a.satellites[0].clone();
    assert_eq!(sa.no_data_epochs, 18);
    assert_eq!(sa.epochs_with_state, 12);
    sa.no_data_epochs = 0;
    assert_eq!(sa, b.satellites[0]);
    assert!(sa.tracked_fraction > 0.0);
}

/// The ephemeris availability timeline draws its bars where the data are. R25 in the IGS file
/// of 2023-01-01 has only unhealthy records (22, t_b 00:15–23:15 UTC): its row is orange over
/// the whole span. C01 (t_oe 00:00–23:00 BDT hourly, all healthy, valid ±1 h) is blue over
/// the day. Over a span 2023-01-01 20:00 – 2023-01-02 04:00 GPST, C01's data end at
/// 2023-01-02 00:00:14 GPST (4.0 h into the span): blue at 2 h, background (white) at 6 h.
/// R25's covered span ends with the file's data span, before 6 h, so its row is blank there.
#[test]
fn availability_timeline_bars_sit_on_the_data() {
    let Some(p) = common::data_file(BRDC_001) else {
        return;
    };
    let src = BroadcastSource::from_file(
        &p,
        &[Constellation::BeiDou, Constellation::Glonass],
        BroadcastOptions::default(),
    )
    .unwrap();
    let (t0, t1) = (gpst(2023, 1, 1, 20, 0), gpst(2023, 1, 2, 4, 0));
    let table = gnss_interop::orbit::data_availability(&src, t0, t1);
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("availability.png");
    let frame = gnss_interop::orbit::write_availability_figure(&png, &table, t0, t1, "test")
        .unwrap()
        .unwrap();
    let img = image::open(&png).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), frame.size_px);
    let row = |name: &str| {
        table
            .iter()
            .position(|r| r.sat.to_string() == name)
            .unwrap()
    };
    let px = |x_h: f64, r: usize| {
        let (x, y) = (frame.x_to_px(x_h), frame.row_centre_px[r]);
        let p = img.get_pixel(x as u32, y as u32);
        (p[0], p[1], p[2])
    };
    use gnss_interop::report::plot::{TIMELINE_PRIMARY, TIMELINE_SECONDARY};
    let blue = (TIMELINE_PRIMARY.0, TIMELINE_PRIMARY.1, TIMELINE_PRIMARY.2);
    let orange = (
        TIMELINE_SECONDARY.0,
        TIMELINE_SECONDARY.1,
        TIMELINE_SECONDARY.2,
    );
    let white = (255, 255, 255);
    let c01 = row("C01");
    assert_eq!(px(2.0, c01), blue);
    assert_eq!(px(3.9, c01), blue);
    assert_eq!(px(6.0, c01), white);
    let r25 = row("R25");
    assert_eq!(px(0.5, r25), orange);
    assert_eq!(px(2.0, r25), orange);
    // Past every record window of the file (GLONASS t_b 23:45 UTC + 15 min, BDS t_oe ≤
    // 2023-01-02 00:00 BDT + 1 h): no data, blank.
    assert_eq!(px(6.0, r25), white);
    // The CSV and Markdown tables say the same.
    let csv = gnss_interop::orbit::availability_csv(&table).unwrap();
    let r25_line = csv.lines().find(|l| l.starts_with("R25,")).unwrap();
    assert!(r25_line.starts_with("R25,0.0,,"), "{r25_line}");
    let md = gnss_interop::orbit::availability_markdown(&table).unwrap();
    assert!(md.contains("| R25 | 0.0 |"), "{md}");
}
