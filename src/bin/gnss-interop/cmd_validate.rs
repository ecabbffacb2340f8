//! `gnss-interop validate`: broadcast minus precise orbits, per satellite and per group
//! (BDS GEO/IGSO/MEO, GLONASS), radial/along/cross/3-D statistics, as a table and CSV.

use std::path::PathBuf;

use clap::Args;
use gnss_interop::ephemeris::expand_file_list;
use gnss_interop::id::Constellation;
use gnss_interop::orbit::validate::{
    run_validation, RacStats, Validation, ValidationConfig, VALIDATION_GROUPS_CSV,
    VALIDATION_PER_SAT_CSV,
};
use gnss_interop::time::{parse_epoch, Scale};

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
    /// Step between compared epochs, s (default: the SP3 epoch interval, i.e. the precise
    /// nodes themselves).
    #[arg(long)]
    pub step: Option<f64>,
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
    let epoch = |s: &Option<String>| -> Result<_, Box<dyn std::error::Error>> {
        Ok(match s {
            Some(s) => Some(parse_epoch(s, scale)?.0),
            None => None,
        })
    };
    let cfg = ValidationConfig {
        nav: expand_file_list(&args.nav)?,
        sp3: expand_file_list(&args.sp3)?,
        systems,
        start: epoch(&args.start)?,
        end: epoch(&args.end)?,
        step_s: args.step,
    };
    let study = run_validation(&cfg)?;
    let (start, end) = (study.start, study.end);
    print!("{}", table(&study.validation));
    let names = |v: &[PathBuf]| {
        v.iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    eprintln!("broadcast {}:", names(&cfg.nav));
    crate::cmd_satpos::print_data_availability(&study.broadcast, start, end);
    eprintln!("precise {}:", names(&cfg.sp3));
    crate::cmd_satpos::print_data_availability(&study.precise, start, end);
    if let Some(dir) = &args.out {
        let staging = args.write.stage(dir, "validate")?;
        study.validation.write_csv(staging.staging_dir())?;
        for (name, src) in [
            (
                "broadcast",
                &study.broadcast as &dyn gnss_interop::orbit::OrbitSource,
            ),
            ("precise", &study.precise),
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
            dir.join(VALIDATION_PER_SAT_CSV).display(),
            dir.join(VALIDATION_GROUPS_CSV).display()
        );
    }
    Ok(())
}
