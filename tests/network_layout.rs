//! Layout search: bit-level evaluation against direct tracking, greedy vs exhaustive,
//! determinism and errors.

mod network_support;

use gnss_interop::frames::Geodetic;
use gnss_interop::id::Constellation;
use gnss_interop::network::{
    lattice_candidates, LayoutProblem, Network, NetworkAnalysis, NetworkError, Objective,
    OrbitSamples, Station, TimeSpan,
};
use hifitime::Unit;
use network_support::TestConstellation;

fn samples(c: &TestConstellation, hours: f64, step_s: f64) -> OrbitSamples {
    let sp = TimeSpan::new(
        network_support::t0(),
        hours * Unit::Hour,
        step_s * Unit::Second,
    )
    .unwrap();
    OrbitSamples::new(c, sp).unwrap()
}

fn candidates() -> Vec<Station> {
    lattice_candidates(
        (-60.0, 60.0),
        (-150.0, 150.0),
        30.0,
        &[Constellation::BeiDou, Constellation::Glonass],
    )
    .unwrap()
}

#[test]
fn bit_evaluation_equals_direct_tracking() {
    let mut c = TestConstellation::bds_like();
    let g = TestConstellation::glonass_like();
    c.sats.extend(g.sats);
    c.orbits.extend(g.orbits);
    let s = samples(&c, 24.0, 600.0);
    let base = Network::merged(
        "base",
        &[
            &Network::builtin("bds-domestic").unwrap(),
            &Network::builtin("glonass-domestic").unwrap(),
        ],
    )
    .unwrap();
    let cand = candidates();
    for m in [1u16, 2, 3] {
        let p = LayoutProblem::new(&s, Some(&base), &cand, m).unwrap();
        for sites in [vec![], vec![4], vec![0, 17, 30], vec![3, 9, 21, 40]] {
            let mut n = base.clone();
            for &k in &sites {
                n = n.with_station(cand[k].clone()).unwrap();
            }
            let direct = NetworkAnalysis::new(&s, &n).tracking(m).unwrap();
            let bits = p.evaluate_detail(&sites).unwrap();
            assert_eq!(bits.len(), direct.satellites.len());
            for (b, d) in bits.iter().zip(&direct.satellites) {
                assert_eq!(b.sat, d.sat);
                assert_eq!(
                    b.tracked_fraction, d.tracked_fraction,
                    "m={m} {sites:?} {}",
                    b.sat
                );
                assert_eq!(
                    b.longest_gap_s, d.longest_gap_s,
                    "m={m} {sites:?} {}",
                    b.sat
                );
            }
        }
    }
}

#[test]
fn greedy_versus_exhaustive() {
    let c = TestConstellation::glonass_like();
    let s = samples(&c, 24.0, 900.0);
    let base = Network::builtin("glonass-domestic").unwrap();
    let cand = candidates();
    let p = LayoutProblem::new(&s, Some(&base), &cand, 1).unwrap();
    for obj in [
        Objective::MeanTrackedFraction,
        Objective::MinTrackedFraction,
        Objective::LongestGap,
        Objective::MeanLongestGap,
    ] {
        // k = 1: greedy's single step is itself an exhaustive search, so they must agree.
        let g1 = p.greedy(1, obj).unwrap();
        let e1 = p.exhaustive(1, obj, 1).unwrap();
        assert_eq!(g1.steps[0].sites, e1.ranking[0].sites, "{obj:?}");
        assert_eq!(g1.steps[0].objective, e1.ranking[0].objective);
        // k = 2: greedy need not be optimal (a site's gain depends on the others chosen),
        // but it can never beat the exhaustive optimum.
        let g2 = p.greedy(2, obj).unwrap();
        let e2 = p.exhaustive(2, obj, 5).unwrap();
        assert!(obj
            .cmp_values(e2.ranking[0].objective, g2.steps[1].objective)
            .is_le());
        assert_eq!(e2.evaluated, (cand.len() * (cand.len() - 1) / 2) as u64);
        // The ranking is sorted best first.
        for w in e2.ranking.windows(2) {
            assert!(obj.cmp_values(w[0].objective, w[1].objective).is_le());
        }
    }
    // Mean tracked fraction with "≥ 1 station" is a coverage function (monotone and
    // submodular), so greedy is within (1 − 1/e) of the optimal gain (Nemhauser, Wolsey &
    // Fisher, Math. Programming 14, 1978).
    let obj = Objective::MeanTrackedFraction;
    let g3 = p.greedy(3, obj).unwrap();
    let e3 = p.exhaustive(3, obj, 1).unwrap();
    let f0 = g3.base_objective;
    let gain_g = g3.steps[2].objective - f0;
    let gain_e = e3.ranking[0].objective - f0;
    assert!(gain_g >= (1.0 - (-1.0f64).exp()) * gain_e - 1e-12);
    assert!(gain_g <= gain_e + 1e-12);
}

#[test]
fn greedy_is_exact_when_sites_do_not_overlap() {
    // Three GEOs 120° apart; each equatorial candidate sees only the GEO within 76° of it
    // (the 5° mask limit), so gains add up and greedy must find the optimum.
    let c = TestConstellation::new(vec![
        ("C59".parse().unwrap(), network_support::geo(0.0)),
        ("C60".parse().unwrap(), network_support::geo(120.0)),
        ("C61".parse().unwrap(), network_support::geo(240.0)),
    ]);
    let s = samples(&c, 6.0, 600.0);
    let cand: Vec<Station> = [0.0, 10.0, 120.0, 130.0, 240.0, 250.0]
        .iter()
        .enumerate()
        .map(|(i, &lon)| {
            Station::new(
                &format!("E{i}"),
                "eq",
                Geodetic::new(0.0, lon, 0.0),
                &[Constellation::BeiDou],
            )
            .unwrap()
        })
        .collect();
    let p = LayoutProblem::new(&s, None, &cand, 1).unwrap();
    let g = p.greedy(3, Objective::MeanTrackedFraction).unwrap();
    let e = p.exhaustive(3, Objective::MeanTrackedFraction, 3).unwrap();
    assert_eq!(g.base_objective, 0.0);
    assert_eq!(g.steps[2].objective, 1.0);
    assert_eq!(e.ranking[0].objective, 1.0);
    assert_eq!(e.ranking[0].sites, vec![0, 2, 4]);
    assert_eq!(g.steps[2].sites, vec![0, 2, 4]);
}

#[test]
fn exhaustive_is_deterministic_across_thread_counts() {
    let c = TestConstellation::bds_like();
    let s = samples(&c, 12.0, 900.0);
    let base = Network::builtin("bds-domestic").unwrap();
    let p = LayoutProblem::new(&s, Some(&base), &candidates(), 2).unwrap();
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                (
                    p.exhaustive(3, Objective::LongestGap, 20).unwrap(),
                    p.greedy(3, Objective::MinTrackedFraction).unwrap(),
                )
            })
    };
    assert_eq!(run(1), run(2));
}

#[test]
fn layout_errors() {
    let c = TestConstellation::single_geo(59, 0.0);
    let s = samples(&c, 1.0, 600.0);
    let cand = candidates();
    assert!(matches!(
        LayoutProblem::new(&s, None, &[], 1),
        Err(NetworkError::TooManySites { .. })
    ));
    assert!(matches!(
        LayoutProblem::new(&s, None, &cand, 0),
        Err(NetworkError::BadMinStations { .. })
    ));
    let p = LayoutProblem::new(&s, None, &cand[..3], 1).unwrap();
    match p.exhaustive(4, Objective::MeanTrackedFraction, 1) {
        Err(NetworkError::TooManySites { k, candidates }) => assert_eq!((k, candidates), (4, 3)),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        p.greedy(4, Objective::LongestGap),
        Err(NetworkError::TooManySites { .. })
    ));
    assert!(matches!(
        p.evaluate(&[1, 1], Objective::LongestGap),
        Err(NetworkError::BadLayout { .. })
    ));
    assert!(matches!(
        p.evaluate(&[7], Objective::LongestGap),
        Err(NetworkError::BadLayout { .. })
    ));
}
