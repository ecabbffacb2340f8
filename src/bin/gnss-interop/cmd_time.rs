//! `gnss-interop time`: an instant in every time scale, GNSS weeks, GLONASS day numbers, and with
//! `--nav` the broadcast inter-system offsets and the BDT − GLONASST reconciliation.

use std::path::PathBuf;

use clap::Args;
use gnss_interop::limits;
use gnss_interop::time::{
    calendar_in, glonass_n4_nt_tod, gnss_week_sow, nominal_offset_s, parse_epoch,
    reconcile_bdt_glonasst_within, Scale,
};
use serde_json::json;

/// Arguments of `gnss-interop time`.
#[derive(Debug, Args)]
pub struct TimeArgs {
    /// The instant, ISO 8601 with an optional scale suffix (e.g. "2023-01-01T00:00:00 GPST";
    /// second 60 inside a leap second).
    #[arg(long)]
    pub at: String,
    /// Scale in which `--at` is read when it carries no suffix: UTC, TAI, GPST, BDT or
    /// GLONASST.
    #[arg(long, default_value = "UTC")]
    pub scale: String,
    /// Navigation file (RINEX 2/3/4) whose broadcast time offsets are evaluated at the instant.
    #[arg(long)]
    pub nav: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Evaluate the broadcast offsets of --nav even when the instant is more than two days
    /// from every reference epoch of the file (otherwise refused).
    #[arg(long)]
    pub extrapolate: bool,
}

/// Run the command.
pub fn run(args: TimeArgs) -> Result<(), Box<dyn std::error::Error>> {
    let (epoch, scale) = parse_epoch(&args.at, args.scale.parse()?)?;

    let mut scales = serde_json::Map::new();
    for s in Scale::ALL {
        scales.insert(s.name().into(), json!(calendar_in(s, epoch)?.to_string()));
    }
    let (gps_week, gps_sow) = gnss_week_sow(epoch, Scale::Gpst)?;
    let bdt = gnss_week_sow(epoch, Scale::Bdt).ok();
    let glo = glonass_n4_nt_tod(epoch)?;
    let tai_utc = nominal_offset_s(Scale::Tai, Scale::Utc, epoch)?;
    let bdt_glo = nominal_offset_s(Scale::Bdt, Scale::Glonasst, epoch)?;

    let nav = match &args.nav {
        Some(p) => Some(gnss_interop::ephemeris::NavData::from_file(p)?.offsets),
        None => None,
    };
    // One reach for the offset table and the reconciliation (--extrapolate lifts it).
    let reach_s = if args.extrapolate {
        f64::INFINITY
    } else {
        limits::MAX_OFFSET_EXTRAPOLATION_S
    };
    if let Some(n) = &nav {
        n.check_reach(epoch, reach_s)
            .map_err(|e| format!("{e} (pass --extrapolate to evaluate them anyway)"))?;
    }
    let mut offsets_json = Vec::new();
    let mut offset_rows = Vec::new();
    if let Some(nav) = &nav {
        for o in &nav.offsets {
            let selected = nav
                .select(&o.code, epoch)
                .is_some_and(|s| std::ptr::eq(s, o));
            let value_ns = o.evaluate(epoch) * 1e9;
            // Reference epochs shown uniformly on GPST (UTC-based ones are held in TAI).
            let t_ref = o.t_ref.map(|t| match calendar_in(Scale::Gpst, t) {
                Ok(c) => format!("{c} GPST"),
                Err(_) => t.to_string(),
            });
            offsets_json.push(json!({
                "code": o.code.as_str(), "line": o.line, "t_ref": t_ref,
                "a0_s": o.a0_s, "a1_s_s": o.a1_s_s, "a2_s_s2": o.a2_s_s2,
                "dt_s": o.dt_s(epoch), "value_ns": value_ns, "selected": selected,
                "source": o.source,
            }));
            offset_rows.push(format!(
                "{} {:<5} line {:>6}  t_ref {:<32} a0 {:>14.6e} a1 {:>11.3e} a2 {:>11.3e}  -> {:>9.3} ns",
                if selected { "*" } else { " " },
                o.code.as_str(),
                o.line,
                t_ref.unwrap_or_else(|| "-".into()),
                o.a0_s,
                o.a1_s_s,
                o.a2_s_s2,
                value_ns
            ));
        }
    }
    let rec = nav
        .as_ref()
        .map(|n| reconcile_bdt_glonasst_within(epoch, n, reach_s))
        .transpose()?;

    if args.json {
        let out = json!({
            "input": { "at": args.at, "scale": scale.name() },
            "scales": scales,
            "tai_minus_utc_s": tai_utc,
            "gps": { "week": gps_week, "sow_s": gps_sow },
            "bdt": bdt.map(|(w, s)| json!({ "week": w, "sow_s": s })),
            "glonass": { "n4": glo.0, "nt": glo.1, "tod_s": glo.2 },
            "nav": args.nav.as_ref().map(|p| p.display().to_string()),
            "leap_seconds_header": nav.as_ref().and_then(|n| n.leap_seconds.clone()),
            "offsets": offsets_json,
            "reconciliation_bdt_minus_glonasst": rec,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }

    println!("instant: {} read as {}", args.at, scale);
    for s in Scale::ALL {
        println!(
            "  {:<9} {}",
            s.name(),
            scales[s.name()].as_str().unwrap_or("")
        );
    }
    println!("  TAI - UTC = {tai_utc} s;  BDT - GLONASST (nominal) = {bdt_glo} s");
    println!("GPS week {gps_week}, SOW {gps_sow:.9} s");
    match bdt {
        Some((w, s)) => println!("BDT week {w}, SOW {s:.9} s"),
        None => println!("BDT week: before the BDT origin (2006-01-01)"),
    }
    println!(
        "GLONASS N4 {}, N_T {}, time of day {:.9} s (GLONASST)",
        glo.0, glo.1, glo.2
    );
    if let Some(nav) = &nav {
        println!(
            "\nbroadcast offsets in {} (RINEX {}), value = fractional A - B at the instant; * = used",
            args.nav.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
            nav.rinex_version
        );
        if let Some(l) = &nav.leap_seconds {
            println!("  LEAP SECONDS header: {} s", l.current_s);
        }
        if offset_rows.is_empty() {
            println!("  (none)");
        }
        for r in &offset_rows {
            println!("{r}");
        }
    }
    if let Some(r) = rec {
        let p = |name: &str, total: Option<f64>, res: Option<f64>| match (total, res) {
            (Some(t), Some(ns)) => println!("  {name:<9} {t:.12} s  (nominal {ns:+.3} ns)"),
            _ => println!("  {name:<9} not available from this file"),
        };
        println!("\nBDT - GLONASST:");
        println!("  nominal   {} s", r.nominal_s);
        p("via UTC", r.via_utc_s, r.via_utc_residual_ns);
        p("via GPST", r.via_gpst_s, r.via_gpst_residual_ns);
        p("direct", r.direct_s, r.direct_residual_ns);
        match r.closure_ns {
            Some(c) => println!("  closure   {c:.3} ns (largest difference between paths)"),
            None => println!("  closure   needs two paths"),
        }
        println!(
            "  uncertainty {:.1} ns ({:?})",
            r.uncertainty_ns, r.uncertainty_basis
        );
    }
    Ok(())
}
