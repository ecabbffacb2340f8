//! Stage `[layout_search]`: which candidate sites, added to the baseline network, best
//! improve the monitoring of one system — greedy and/or exhaustive search.

use super::networks::{build, network_span};
use super::Ctx;
use crate::frames::Geodetic;
use crate::network::{
    draw_layout, lattice_candidates, LayoutOutcome, LayoutProblem, LayoutScore, Network,
    OrbitSamples, Station,
};
use crate::orbit::OrbitSource;
use crate::report::write::write_csv;
use crate::scenario::report_md::{Section, Table};
use crate::scenario::Candidates;

/// Layouts kept from an exhaustive search.
const KEEP: usize = 10;

pub(crate) fn run(ctx: &mut Ctx<'_>, src: &dyn OrbitSource) -> crate::Result<()> {
    let s = ctx.scenario;
    let Some(l) = &s.layout_search else {
        return Ok(());
    };
    let obj = l.objective;
    let candidates: Vec<Station> = match &l.candidates {
        Candidates::File { sites, .. } => sites
            .iter()
            .map(|c| {
                Station::new(
                    &c.id,
                    &c.name,
                    Geodetic::new(c.lat_deg, c.lon_deg, c.height_m),
                    &[l.system],
                )
            })
            .collect::<Result<Vec<_>, _>>()?,
        Candidates::Lattice { region, step_deg } => lattice_candidates(
            (region.lat_min_deg, region.lat_max_deg),
            (region.lon_min_deg, region.lon_max_deg),
            *step_deg,
            &[l.system],
        )?,
    };
    let mask = s.networks.as_ref().and_then(|n| n.tracking_mask_deg);
    let candidates = match mask {
        Some(m) => candidates
            .into_iter()
            .map(|c| c.with_mask_deg(m))
            .collect::<Result<Vec<_>, _>>()?,
        None => candidates,
    };
    let base: Option<Network> = match &s.networks {
        Some(n) => Some(build(n, &[l.system])?.0),
        None => None,
    };
    let min_st = s
        .networks
        .as_ref()
        .map(|n| n.min_stations.min(u16::MAX as u32) as u16)
        .unwrap_or(1);
    let span = network_span(s)?;
    let sats: Vec<_> = src
        .satellites()
        .iter()
        .copied()
        .filter(|x| x.constellation() == l.system)
        .collect();
    ctx.start("layout search", 0);
    let allow_no_data = s.orbits.as_ref().is_some_and(|o| o.allow_no_data);
    let samples = OrbitSamples::for_satellites_with(src, &sats, span, allow_no_data)?;
    let problem = LayoutProblem::new(&samples, base.as_ref(), &candidates, min_st)?;
    // A shard computes its block of the exhaustive search only; the greedy search (cheap)
    // and the report are the merge step's.
    let greedy = match l.method.greedy() && ctx.reporting() {
        true => Some(problem.greedy(l.k, obj)?),
        false => None,
    };
    let exhaustive = match l.method.exhaustive() {
        true => Some(ctx.work.exhaustive(&problem, l.k, obj, KEEP)?),
        false => None,
    };
    ctx.finish("layout search");
    if !ctx.reporting() {
        return Ok(());
    }

    let mut sec = Section::new(format!(
        "Layout search: {} new {} station(s)",
        l.k,
        l.system.name()
    ));
    let base_obj = problem.evaluate(&[], obj)?;
    sec.text(format!(
        "{} candidates, {} satellites, objective {} ({}). Base network alone: {}.",
        candidates.len(),
        problem.satellites().len(),
        obj,
        if obj.maximise() {
            "larger is better"
        } else {
            "smaller is better"
        },
        obj.show(base_obj)
    ));
    let names = |sc: &LayoutScore| -> String {
        sc.sites
            .iter()
            .map(|&i| {
                let c = &candidates[i];
                if c.name != c.id {
                    format!("{} ({})", c.id, c.name)
                } else {
                    c.id.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut t = Table::new(["method", "rank / step", "sites", "objective"]);
    // Greedy steps ("k site(s)") first, then the exhaustive ranking ("#k"), one row each.
    let greedy_rows = greedy.iter().flat_map(|g| {
        g.steps
            .iter()
            .enumerate()
            .map(|(i, st)| ("greedy", format!("{} site(s)", i + 1), st))
    });
    let exhaustive_rows = exhaustive.iter().flat_map(|e| {
        e.ranking
            .iter()
            .enumerate()
            .map(|(i, st)| ("exhaustive", format!("#{}", i + 1), st))
    });
    for (method, label, st) in greedy_rows.chain(exhaustive_rows) {
        t.row([method.to_string(), label, names(st), obj.show(st.objective)]);
    }
    let outcome = LayoutOutcome {
        objective: obj,
        base_objective: base_obj,
        candidates: candidates.len(),
        greedy,
        exhaustive,
    };
    let rows = outcome.rows();
    if let Some(e) = &outcome.exhaustive {
        sec.text(format!(
            "Exhaustive search evaluated {} layouts.",
            e.evaluated
        ));
    }
    sec.table(t);
    if let Some(b) = outcome.best() {
        let mut line = format!(
            "Best {} new {} site(s): {} — objective {} (base network alone {})",
            l.k,
            l.system.name(),
            names(b),
            obj.show(b.objective),
            obj.show(base_obj)
        );
        if let (Some(g), Some(e)) = (&outcome.greedy, &outcome.exhaustive) {
            if let (Some(gl), Some(eb)) = (g.steps.last(), e.ranking.first()) {
                line.push_str(if gl.sites == eb.sites {
                    "; greedy finds the same layout"
                } else {
                    "; greedy finds a different layout"
                });
                line.push_str(&format!(" ({})", obj.show(gl.objective)));
            }
        }
        ctx.answer.push(line + ".");
        let p = ctx.file("figures/layout.png")?;
        draw_layout(&p, base.as_ref(), &candidates, &outcome)?;
        sec.figure(
            "figures/layout.png",
            "Best layout: chosen sites in red, other candidates grey, base network blue",
        );
    }
    if s.outputs.csv {
        let p = ctx.file("layout_ranking.csv")?;
        write_csv(&p, &rows)?;
    }
    ctx.results.layout_search = Some(outcome);
    ctx.sections.push(sec);
    Ok(())
}
