//! `gnss-interop validate`: broadcast minus precise orbits, per satellite and per group
//! (BDS GEO/IGSO/MEO, GLONASS), radial/along/cross/3-D statistics, as a table and CSV.

use std::path::PathBuf;

use clap::Args;
use gnss_interop::ephemeris::{expand_file_list, Sp3Product};
use gnss_interop::id::Constellation;
use gnss_interop::orbit::broadcast::{BroadcastOptions, BroadcastSource};
use gnss_interop::orbit::sp3::{Sp3Source, DEFAULT_ORDER};
use gnss_interop::orbit::validate::{compare_sources, RacStats, Validation};
use gnss_interop::time::{epoch_from_iso, Scale};

use crate::cmd_satpos::epoch_grid;
use crate::outputs::WriteFlags;
use crate::source_args::parse_list;

/// Arguments of `gnss-interop validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Broadcast ephemerides: a RINEX 2/3/4 navigation file (optionally gzip), a directory of
    /// them or a file-name glob; repeat to merge several into one source.
    #[arg(long, value_name = "FILE|DIR|GLOB", required = true)]
    pub nav: Vec<PathBuf>,
    /// Precise orbits (SP3-c/d) used as the reference: a file, a directory or a glob; repeat
    /// to stitch consecutive files of one centre into one table.
    #[arg(long, value_name = "FILE|DIR|GLOB", required = true)]
    pub sp3: Vec<PathBuf>,
    /// Step between compared epochs, s.
    #[arg(long, default_value_t = gnss_interop::defaults::STEP_S)]
    pub step: f64,
    /// Constellations compared (comma-separated).
    #[arg(long, default_value = "C,R")]
    pub systems: String,
    /// First epoch (ISO 8601 with an optional scale suffix, else in --scale); default: first epoch of the SP3 file.
    #[arg(long)]
    pub start: Option<String>,
    /// Last epoch (same format); default: last epoch of the SP3 file.
    #[arg(long)]
    pub end: Option<String>,
    /// Time scale of --start and --end when they carry no suffix.
    #[arg(long, default_value = "GPST")]
    pub scale: String,
    /// Directory for validation_per_sat.csv, validation_groups.csv and the ephemeris
    /// availability of both sources (availability_{broadcast,precise}.{csv,png}), written
    /// complete or not at all, with a manifest; see README "Guarantees".
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub write: WriteFlags,
}

const STAT_COLUMNS: [&str; 6] = ["n", "mean_m", "rms_m", "median_m", "p95_m", "max_m"];
const COMPONENTS: [&str; 4] = ["radial", "along", "cross", "3d"];

fn stat_header() -> Vec<String> {
    COMPONENTS
        .iter()
        .flat_map(|c| STAT_COLUMNS.iter().map(move |s| format!("{c}_{s}")))
        .collect()
}

fn stat_fields(s: &RacStats) -> Vec<String> {
    [s.radial, s.along, s.cross, s.norm_3d]
        .iter()
        .flat_map(|x| {
            [
                x.n.to_string(),
                format!("{:.4}", x.mean_m),
                format!("{:.4}", x.rms_m),
                format!("{:.4}", x.median_m),
                format!("{:.4}", x.p95_m),
                format!("{:.4}", x.max_m),
            ]
        })
        .collect()
}

/// Write `validation_per_sat.csv` and `validation_groups.csv` into `dir`.
pub fn write_csv(v: &Validation, dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let per_sat = dir.join("validation_per_sat.csv");
    let mut w =
        csv::Writer::from_path(&per_sat).map_err(|e| format!("{}: {e}", per_sat.display()))?;
    let mut h = vec!["sat".to_string(), "group".to_string()];
    h.extend(stat_header());
    h.extend(["skipped_test".to_string(), "skipped_reference".to_string()]);
    w.write_record(&h)?;
    for s in &v.per_sat {
        let mut row = vec![
            s.sat.to_string(),
            s.group.map(|g| g.label()).unwrap_or_default(),
        ];
        match &s.stats {
            Some(st) => row.extend(stat_fields(st)),
            None => row.extend(std::iter::repeat_n(String::new(), 24)),
        }
        row.push(s.skipped.test.values().sum::<usize>().to_string());
        row.push(s.skipped.reference.values().sum::<usize>().to_string());
        w.write_record(&row)?;
    }
    w.flush()?;
    let groups = dir.join("validation_groups.csv");
    let mut w =
        csv::Writer::from_path(&groups).map_err(|e| format!("{}: {e}", groups.display()))?;
    let mut h = vec!["group".to_string(), "sats".to_string()];
    h.extend(stat_header());
    w.write_record(&h)?;
    for g in &v.groups {
        let mut row = vec![g.group.label(), g.sats.len().to_string()];
        row.extend(stat_fields(&g.stats));
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

fn table_row(name: &str, sats: Option<usize>, s: &RacStats) -> String {
    format!(
        "{:<12} {:>4} {:>6} {:>7.2} {:>7.2} {:>7.2} {:>7.2} {:>7.2} {:>7.2} {:>7.2} {:>7.2}",
        name,
        sats.map(|n| n.to_string()).unwrap_or_default(),
        s.norm_3d.n,
        s.radial.mean_m,
        s.radial.rms_m,
        s.along.rms_m,
        s.cross.rms_m,
        s.norm_3d.rms_m,
        s.norm_3d.median_m,
        s.norm_3d.p95_m,
        s.norm_3d.max_m
    )
}

/// The readable table: groups, then satellites.
pub fn table(v: &Validation) -> String {
    let mut out = String::new();
    let head = |first: &str| {
        format!(
            "{:<12} {:>4} {:>6} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}\n",
            first,
            "sats",
            "n",
            "R mean",
            "R rms",
            "A rms",
            "C rms",
            "3D rms",
            "3D med",
            "3D p95",
            "3D max"
        )
    };
    out += &format!(
        "broadcast − precise, m\n  test:      {}\n  reference: {}\n  epochs:    {}\n\n",
        v.test, v.reference, v.epochs
    );
    out += &head("group");
    for g in &v.groups {
        out += &table_row(&g.group.label(), Some(g.sats.len()), &g.stats);
        out.push('\n');
    }
    out.push('\n');
    out += &head("satellite");
    for s in &v.per_sat {
        match &s.stats {
            Some(st) => {
                let name = format!(
                    "{} {}",
                    s.sat,
                    s.group
                        .map(|g| g.label().trim_start_matches("BDS ").to_string())
                        .unwrap_or_default()
                );
                out += &table_row(&name, None, st);
            }
            None => out += &format!("{:<12} no common epoch", s.sat.to_string()),
        }
        if s.skipped.total() > 0 {
            let reasons: Vec<String> = s
                .skipped
                .test
                .iter()
                .map(|(k, n)| format!("test {k} ×{n}"))
                .chain(
                    s.skipped
                        .reference
                        .iter()
                        .map(|(k, n)| format!("reference {k} ×{n}")),
                )
                .collect();
            out += &format!("  (skipped: {})", reasons.join(", "));
        }
        if let Some(why) = &s.no_state_reason {
            out += &format!("  [whole span: {why}]");
        }
        out.push('\n');
    }
    let list = |v: &[gnss_interop::id::SatId]| {
        v.iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    if !v.only_in_test.is_empty() {
        out += &format!("\nonly in the broadcast: {}\n", list(&v.only_in_test));
    }
    if !v.only_in_reference.is_empty() {
        out += &format!("only in the SP3:       {}\n", list(&v.only_in_reference));
    }
    out
}

/// Run the command.
pub fn run(args: ValidateArgs) -> Result<(), Box<dyn std::error::Error>> {
    let systems: Vec<Constellation> = parse_list(&args.systems)?;
    if systems.is_empty() {
        return Err("--systems names no constellation".into());
    }
    let scale: Scale = args.scale.parse()?;
    let navs = expand_file_list(&args.nav)?;
    let sp3s = expand_file_list(&args.sp3)?;
    let brdc = BroadcastSource::from_files(&navs, &systems, BroadcastOptions::default())?;
    let precise = Sp3Source::new(Sp3Product::from_files(&sp3s)?, DEFAULT_ORDER)?;
    let names = |v: &[PathBuf]| {
        v.iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (nav_names, sp3_names) = (names(&navs), names(&sp3s));
    let precise = gnss_interop::orbit::filter::Restricted::to_systems(precise, &systems);
    let (first, last) = precise.inner().span();
    let start = match &args.start {
        Some(s) => epoch_from_iso(scale, s)?,
        None => first,
    };
    let end = match &args.end {
        Some(s) => epoch_from_iso(scale, s)?,
        None => last,
    };
    let epochs = epoch_grid(start, end, args.step, gnss_interop::limits::MAX_EPOCHS)?;
    let v = compare_sources(&brdc, &precise, &epochs);
    if v.groups.is_empty() {
        return Err(format!(
            "no satellite and epoch in common between {nav_names} and {sp3_names}"
        )
        .into());
    }
    print!("{}", table(&v));
    eprintln!("broadcast {nav_names}:");
    crate::cmd_satpos::print_data_availability(&brdc, start, end);
    eprintln!("precise {sp3_names}:");
    crate::cmd_satpos::print_data_availability(&precise, start, end);
    if let Some(dir) = &args.out {
        let staging = args.write.stage(dir, "validate")?;
        write_csv(&v, staging.staging_dir())?;
        for (name, src) in [
            ("broadcast", &brdc as &dyn gnss_interop::orbit::OrbitSource),
            ("precise", &precise),
        ] {
            let dir = staging.staging_dir();
            let table = gnss_interop::orbit::data_availability(src, start, end);
            if let Some(csv) = gnss_interop::orbit::availability_csv(&table) {
                let p = dir.join(format!("availability_{name}.csv"));
                std::fs::write(&p, csv).map_err(|e| format!("{}: {e}", p.display()))?;
            }
            crate::cmd_satpos::write_availability_png(
                &dir.join(format!("availability_{name}.png")),
                src,
                start,
                end,
            )?;
        }
        staging.commit(None)?;
        eprintln!(
            "wrote {} and {}",
            dir.join("validation_per_sat.csv").display(),
            dir.join("validation_groups.csv").display()
        );
    }
    Ok(())
}
