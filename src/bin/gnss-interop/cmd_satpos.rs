//! `gnss-interop satpos`: satellite positions and velocities over a time span, as CSV.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use gnss_interop::id::SatId;
use gnss_interop::orbit::validate::error_kind;
use gnss_interop::time::{calendar_in, epoch_from_iso, parse_epoch, Scale};
use hifitime::Epoch;

use crate::outputs::WriteFlags;
use crate::source_args::SourceArgs;
use gnss_interop::limits;
use gnss_interop::outdir::write_file_atomic;

/// Arguments of `gnss-interop satpos`.
#[derive(Debug, Args)]
pub struct SatposArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// First epoch, ISO 8601 with an optional scale suffix (e.g. "2023-01-01T00:00:00 BDT");
    /// a bare date is read in --scale.
    #[arg(long)]
    pub start: String,
    /// Last epoch (included when on the step grid), same format.
    #[arg(long)]
    pub end: String,
    /// Step between epochs, s.
    #[arg(long, default_value_t = gnss_interop::defaults::STEP_S)]
    pub step: f64,
    /// Default time scale of --start and --end when they carry no suffix: GPST, BDT, UTC,
    /// GLONASST or TAI. The epoch column is in the scale --start was read in.
    #[arg(long, default_value = "GPST")]
    pub scale: String,
    /// Output CSV file (default: standard output); written to a temporary file beside it
    /// and renamed into place when complete. An existing file needs --force.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub write: WriteFlags,
}

/// CSV header of the output.
pub const HEADER: [&str; 11] = [
    "sat", "epoch", "x_m", "y_m", "z_m", "vx_m_s", "vy_m_s", "vz_m_s", "clock_s", "frame", "source",
];

/// Rows written and satellite-epochs skipped (per satellite and reason: count, first epoch,
/// message).
struct Table {
    rows: usize,
    skips: BTreeMap<(SatId, &'static str), (usize, String, String)>,
}

/// Per satellite, the parts of the span its data cover (stderr): a line per satellite with a
/// gap, and how many are covered throughout. Shared with `validate`.
pub fn print_data_availability(
    source: &dyn gnss_interop::orbit::OrbitSource,
    start: Epoch,
    end: Epoch,
) {
    let table = gnss_interop::orbit::data_availability(source, start, end);
    if table.iter().all(|r| r.served.is_none()) {
        return;
    }
    let whole = table.iter().filter(|r| r.uncovered.is_empty()).count();
    eprintln!(
        "data availability (GPST): {whole} of {} satellites have data over the whole span",
        table.len()
    );
    let gpst = |e: &Epoch| e.to_time_scale(hifitime::TimeScale::GPST);
    for r in table.iter().filter(|r| !r.uncovered.is_empty()) {
        let served: Vec<String> = r
            .served
            .iter()
            .flatten()
            .map(|(a, b)| format!("{} – {}", gpst(a), gpst(b)))
            .collect();
        let unusable: Vec<String> = r
            .unusable
            .iter()
            .map(|(a, b)| format!("{} – {}", gpst(a), gpst(b)))
            .collect();
        eprintln!(
            "  {} {:5.1} % of the span: data {}{}",
            r.sat,
            100.0 * r.fraction,
            if served.is_empty() {
                "none".to_string()
            } else {
                served.join(", ")
            },
            if unusable.is_empty() {
                String::new()
            } else {
                format!("; unhealthy records only {}", unusable.join(", "))
            }
        );
    }
}

/// The CSV table of every satellite at every epoch.
fn write_table(
    sink: &mut dyn Write,
    source: &dyn gnss_interop::orbit::OrbitSource,
    label: &str,
    epochs: &[Epoch],
    scale: Scale,
) -> Result<Table, Box<dyn std::error::Error>> {
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(sink));
    w.write_record(HEADER)?;
    // Epoch labels once per epoch, not per satellite.
    let labels: Vec<String> = epochs
        .iter()
        .map(|&t| calendar_in(scale, t).map(|c| c.to_string()))
        .collect::<Result<_, _>>()?;
    let mut skips: BTreeMap<(SatId, &'static str), (usize, String, String)> = BTreeMap::new();
    let mut rows = 0usize;
    for &sat in source.satellites() {
        for (t, lab) in epochs.iter().zip(&labels) {
            match source.state_at(sat, *t) {
                Ok(s) => {
                    let p = s.position_m;
                    let v = s.velocity_m_s;
                    w.write_record([
                        sat.to_string(),
                        lab.clone(),
                        format!("{:.4}", p.x),
                        format!("{:.4}", p.y),
                        format!("{:.4}", p.z),
                        format!("{:.6}", v.x),
                        format!("{:.6}", v.y),
                        format!("{:.6}", v.z),
                        s.clock_offset_s
                            .map(|c| format!("{c:.12e}"))
                            .unwrap_or_default(),
                        s.frame.to_string(),
                        label.to_string(),
                    ])?;
                    rows += 1;
                }
                Err(e) => {
                    skips
                        .entry((sat, error_kind(&e)))
                        .or_insert_with(|| (0, lab.clone(), e.to_string()))
                        .0 += 1;
                }
            }
        }
    }
    w.flush()?;
    Ok(Table { rows, skips })
}

/// Run the command.
pub fn run(args: SatposArgs) -> Result<(), Box<dyn std::error::Error>> {
    let default: Scale = args.scale.parse()?;
    let (start, scale) = parse_epoch(&args.start, default)?;
    let end = epoch_from_iso(default, &args.end)?;
    if end < start {
        return Err(format!("--end ({end}) is before --start ({start})").into());
    }
    let epochs = gnss_interop::time::epoch_grid(
        "--start/--end/--step",
        start,
        end,
        args.step,
        limits::MAX_STREAMED_EPOCHS,
    )?;
    let (source, label) = args.source.open()?;

    let write = |sink: &mut dyn Write| -> Result<Table, Box<dyn std::error::Error>> {
        let t = write_table(sink, source.as_ref(), &label, &epochs, scale)?;
        if t.rows == 0 {
            args.write.empty(&format!(
                "no state for any of the {} satellites of {} at the {} epochs requested",
                source.satellites().len(),
                source.describe(),
                epochs.len()
            ))?;
        }
        Ok(t)
    };
    let mut table = None;
    match &args.out {
        Some(p) => {
            write_file_atomic(p, args.write.force, |w| {
                table = Some(write(w)?);
                Ok::<(), Box<dyn std::error::Error>>(())
            })??;
        }
        None => {
            let mut out = std::io::stdout().lock();
            table = Some(write(&mut out)?);
        }
    }
    let Table { rows, skips } = table.ok_or("no table written")?;
    let n_sats = source.satellites().len();
    eprintln!(
        "satpos: {} × {} epochs → {rows} rows; {} skipped",
        source.describe(),
        epochs.len(),
        n_sats * epochs.len() - rows
    );
    // A satellite skipped at every epoch: the reason that holds over the whole span.
    let mut whole: Vec<SatId> = Vec::new();
    for &sat in source.satellites() {
        let n: usize = skips
            .iter()
            .filter(|((s, _), _)| *s == sat)
            .map(|(_, v)| v.0)
            .sum();
        if n == epochs.len() {
            let first = epochs.first().copied().unwrap_or(start);
            let last = epochs.last().copied().unwrap_or(end);
            if let Some(why) =
                gnss_interop::orbit::span_absence_reason(source.as_ref(), sat, first, last)
            {
                eprintln!("  skipped {sat}: all {n} epochs, {why}");
                whole.push(sat);
            }
        }
    }
    for ((sat, kind), (count, first, msg)) in &skips {
        if whole.contains(sat) {
            continue;
        }
        eprintln!("  skipped {sat}: {count} epoch(s), {kind} (first at {first} {scale}: {msg})");
    }
    print_data_availability(source.as_ref(), start, end);
    if let Some(p) = &args.out {
        // The availability timeline beside the table: `<stem>_availability.png`.
        let stem = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "satpos".to_string());
        let png = p.with_file_name(format!("{stem}_availability.png"));
        if let Some(f) = write_availability_png(&png, source.as_ref(), start, end)? {
            eprintln!("wrote {}", f.display());
        }
    }
    Ok(())
}

/// The ephemeris availability timeline of `source` over `[start, end]` written to `png`
/// (drawn beside it, then renamed: never a half-written figure); `None` for a source not
/// bounded by data (nominal constellations).
pub fn write_availability_png(
    png: &std::path::Path,
    source: &dyn gnss_interop::orbit::OrbitSource,
    start: Epoch,
    end: Epoch,
) -> Result<Option<std::path::PathBuf>, Box<dyn std::error::Error>> {
    let table = gnss_interop::orbit::data_availability(source, start, end);
    let tmp = png.with_extension("partial.png");
    let title = format!("Ephemeris availability: {}", source.describe());
    match gnss_interop::orbit::write_availability_figure(&tmp, &table, start, end, &title)? {
        None => Ok(None),
        Some(_) => {
            std::fs::rename(&tmp, png).map_err(|e| format!("{}: {e}", png.display()))?;
            Ok(Some(png.to_path_buf()))
        }
    }
}
