//! Stage `[satellites]`: the state of every satellite of `[orbits]` at every epoch of `[time]`
//! with [`crate::orbit::states::write_states_csv`] (the study `gnss-interop satpos` runs),
//! written to `satellites.csv`, with the satellite-epochs without a state summarised.

use super::common::span;
use super::{Ctx, RunError};
use crate::orbit::filter::Restricted;
use crate::orbit::states::{write_states_csv, StatesConfig, SATELLITES_CSV};
use crate::orbit::OrbitSource;
use crate::scenario::report_md::{Section, Table};

pub(crate) fn run(ctx: &mut Ctx<'_>, src: &dyn OrbitSource) -> crate::Result<()> {
    let s = ctx.scenario;
    let (Some(table), Some(orbits)) = (&s.satellites, &s.orbits) else {
        return Ok(());
    };
    let t = span(s)?;
    let epochs = crate::time::epoch_grid(
        "time.start/end/step_s",
        t.start,
        t.end,
        t.step_s,
        crate::limits::MAX_EPOCHS,
    )?;
    let restricted;
    let src: &dyn OrbitSource = if table.sats.is_empty() {
        src
    } else {
        restricted = Restricted::to_satellites(src, &table.sats)?;
        &restricted
    };
    let label = orbits.source.label();
    let cfg = StatesConfig {
        source: src,
        label: &label,
        epochs: &epochs,
        scale: t.scale,
    };
    ctx.start("satellite states", 0);
    let summary = if s.outputs.csv {
        let p = ctx.file(SATELLITES_CSV)?;
        let file = std::fs::File::create(&p).map_err(|source| RunError::Io {
            path: p.clone(),
            source,
        })?;
        write_states_csv(&cfg, &mut std::io::BufWriter::new(file))?
    } else {
        write_states_csv(&cfg, &mut std::io::sink())?
    };
    ctx.finish("satellite states");

    let mut sec = Section::new("Satellite states");
    sec.text(format!(
        "Position, velocity and clock of each satellite of {} at {} epochs every {} s \
         (epochs in {}){}: {} rows, {} satellite-epochs without a state.",
        summary.source,
        summary.epochs,
        t.step_s,
        summary.scale,
        if s.outputs.csv {
            format!(", in `{SATELLITES_CSV}`")
        } else {
            String::new()
        },
        summary.rows,
        summary.skipped()
    ));
    if !summary.absent.is_empty() {
        let mut tab = Table::new(["satellite", "without a state over the whole span"]);
        for a in &summary.absent {
            tab.row([a.sat.to_string(), a.reason.clone()]);
        }
        sec.table(tab);
    }
    let partial: Vec<_> = summary
        .skips
        .iter()
        .filter(|k| !summary.absent.iter().any(|a| a.sat == k.sat))
        .collect();
    if !partial.is_empty() {
        let mut tab = Table::new(["satellite", "reason", "epochs", "first at", "message"]);
        for k in partial {
            tab.row([
                k.sat.to_string(),
                k.kind.clone(),
                k.count.to_string(),
                format!("{} {}", k.first_epoch, summary.scale),
                k.message.clone(),
            ]);
        }
        sec.table(tab);
    }
    ctx.answer.push(format!(
        "Satellite states: {} of {} satellite-epochs have a state ({}).",
        summary.rows,
        summary.satellites * summary.epochs,
        summary.source
    ));
    ctx.results.satellites = Some(summary);
    ctx.sections.push(sec);
    Ok(())
}
