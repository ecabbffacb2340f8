//! Stage `[monitor]`: how one monitoring network tracks each satellite of `[orbits]` over
//! `[time]`, with [`crate::network::NetworkAnalysis::network_tracking`] (the study
//! `gnss-interop monitor` runs), written to `tracking.csv`.

use super::networks::network_span;
use super::{Ctx, MonitorResults};
use crate::network::{
    NetworkAnalysis, OrbitSamples, GROUND_TRACKS_PNG, TRACKED_FRACTION_PNG, TRACKING_CSV,
};
use crate::orbit::OrbitSource;

/// Sub-directory of the monitoring study's files (those of `gnss-interop monitor --out`).
const MONITOR_DIR: &str = "monitor";
use crate::scenario::report_md::{num, Section, Table};

pub(crate) fn run(ctx: &mut Ctx<'_>, src: &dyn OrbitSource) -> crate::Result<()> {
    let s = ctx.scenario;
    let (Some(m), Some(orbits)) = (&s.monitor, &s.orbits) else {
        return Ok(());
    };
    let name = m.network.to_string();
    let net = (m.network.load(&orbits.systems)?).with_mask_override(m.tracking_mask_deg)?;
    let span = network_span(s)?;
    let min_st = m.min_stations.min(u32::from(u16::MAX)) as u16;
    ctx.start("monitor: orbit samples", 0);
    let samples =
        OrbitSamples::for_satellites_with(src, src.satellites(), span, orbits.allow_no_data)?;
    ctx.finish("monitor: orbit samples");
    let result = NetworkAnalysis::new(&samples, &net).network_tracking(min_st)?;
    let rows = result.rows();
    // The files `gnss-interop monitor --out` writes, in `monitor/`.
    result.write_outputs(
        &mut |n| ctx.file(&format!("{MONITOR_DIR}/{n}")),
        &net,
        &samples,
        crate::defaults::GROUND_TRACKS,
    )?;

    let (mean_gap_s, worst_gap_s) = result.longest_gaps_s();
    let mut sec = Section::new(format!("Tracking by the network '{name}'"));
    sec.text(format!(
        "{} stations, {}, over {} epochs every {} s: a satellite is tracked when seen by \
         at least {min_st} station(s) of its own system. Satellites of the systems the network \
         tracks that have a state in the span; the table is `{MONITOR_DIR}/{TRACKING_CSV}`.",
        net.len(),
        super::common::station_mask_text(m.tracking_mask_deg),
        span.n_epochs,
        span.step_s(),
    ));
    let mut t = Table::new([
        "satellite",
        "kind",
        "≥ 1 station",
        "≥ 4 stations",
        "tracked",
        "longest gap (h)",
        "passes",
    ]);
    let p = |v: f64| format!("{:.1} %", 100.0 * v);
    for r in &rows {
        t.row([
            r.sat.clone(),
            r.kind.clone(),
            p(r.fraction_ge1),
            p(r.fraction_ge4),
            p(r.tracked_fraction),
            num(Some(r.longest_gap_h), 2),
            r.passes.to_string(),
        ]);
    }
    sec.table(t);
    sec.figure(
        format!("{MONITOR_DIR}/{TRACKED_FRACTION_PNG}"),
        "Time each satellite is seen by at least 1 and 4 stations",
    );
    sec.figure(
        format!("{MONITOR_DIR}/{GROUND_TRACKS_PNG}"),
        "Ground tracks of the least-tracked satellites, with the stations",
    );
    ctx.answer.push(format!(
        "Network '{name}' tracks its satellites {:.1} % of the time on average (≥ {min_st} \
         station(s)); the longest gap of any satellite is {:.2} h.",
        100.0 * result.mean_tracked_fraction(),
        worst_gap_s / 3600.0
    ));
    ctx.results.monitor = Some(MonitorResults {
        mean_longest_gap_h: mean_gap_s / 3600.0,
        mean_tracked_fraction: result.mean_tracked_fraction(),
        min_stations: min_st,
        network: name,
        no_data_satellite_epochs: result.tracking.no_data_satellite_epochs,
        satellites: rows,
        stations: net.len(),
        worst_gap_h: worst_gap_s / 3600.0,
    });
    ctx.sections.push(sec);
    Ok(())
}
