/*!
Fitting an exponential return to a baseline, `y(t) = A exp(-t / tau) + B`, by nonlinear least squares.

Method (variable projection): for a fixed `tau` the model is linear in `A` and `B`, so they follow in closed form
from the 2x2 normal equations (or `A` alone when the baseline is fixed), leaving the residual sum of squares a
function of `tau` only. It is minimised over `tau` in [`MIN_TAU`, `MAX_TAU`] days: a scan of 400 log-spaced
values, then golden-section search in log `tau` between the neighbours of the best one (to 1e-9 relative). This
finds the global least-squares optimum of the 1-D problem without starting guesses and is deterministic.

A fit is refused with a reason, never returned with NaN: too few points, no change, a value that rises instead of
falling, or a best `tau` at the edge of the range (no time constant can be told from the data).
*/

use serde::Serialize;

/// Shortest time constant considered, days.
pub const MIN_TAU: f64 = 0.05;
/// Longest time constant considered, days.
pub const MAX_TAU: f64 = 365.0;

/// How the baseline `B` is found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Baseline {
    /// Fitted with `A` and `tau` (needs at least 4 points).
    Free,
    /// Held at this value.
    Fixed(f64),
}

/// A fitted `A exp(-t / tau) + B`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ExpFit {
    /// Amplitude at t = 0.
    pub a: f64,
    /// Time constant, days.
    pub tau: f64,
    /// Baseline.
    pub b: f64,
    /// Coefficient of determination, 1 - RSS / TSS.
    pub r_squared: f64,
}

impl ExpFit {
    /// The fitted value at `t`.
    pub fn at(&self, t: f64) -> f64 {
        self.a * (-t / self.tau).exp() + self.b
    }

    /// Days for the excess over the baseline to halve: `tau ln 2`.
    pub fn half_life(&self) -> f64 {
        self.tau * std::f64::consts::LN_2
    }

    /// Day on which the value is within 10% of the way back to the baseline: `tau ln 10`.
    pub fn within_ten_percent_day(&self) -> f64 {
        self.tau * std::f64::consts::LN_10
    }
}

/// Why no fit.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NoFit {
    /// Too few points for the parameters.
    #[error("{have} photos with the measurement; a fit needs at least {need}")]
    TooFewPoints {
        /// Points given.
        have: usize,
        /// Points needed.
        need: usize,
    },
    /// The values do not change.
    #[error("the measurement does not change between photos")]
    NoChange,
    /// The values rise rather than fall towards a baseline.
    #[error("the measurement does not fall towards a baseline")]
    NotFalling,
    /// The best time constant is at the edge of the searched range.
    #[error("no time constant can be told from these photos (best fit at the edge of {MIN_TAU}-{MAX_TAU} days)")]
    NoTimeConstant,
}

/// Fits `y = A exp(-t / tau) + B` to the points `(t[i], y[i])`.
pub fn fit_exp_decay(t: &[f64], y: &[f64], baseline: Baseline) -> Result<ExpFit, NoFit> {
    let points: Vec<(f64, f64)> =
        t.iter().zip(y).filter(|(t, y)| t.is_finite() && y.is_finite()).map(|(&t, &y)| (t, y)).collect();
    let need = if baseline == Baseline::Free { 4 } else { 3 };
    if points.len() < need {
        return Err(NoFit::TooFewPoints { have: points.len(), need });
    }
    let n = points.len() as f64;
    let mean = points.iter().map(|p| p.1).sum::<f64>() / n;
    let tss: f64 = points.iter().map(|p| (p.1 - mean).powi(2)).sum();
    let scale = points.iter().map(|p| p.1.abs()).fold(1.0, f64::max);
    if tss <= 1e-12 * scale * scale * n {
        return Err(NoFit::NoChange);
    }
    let solve = |tau: f64| linear_part(&points, tau, baseline);
    let rss = |log_tau: f64| solve(log_tau.exp()).map_or(f64::INFINITY, |(_, _, r)| r);
    let (lo, hi) = (MIN_TAU.ln(), MAX_TAU.ln());
    const STEPS: usize = 400;
    let grid = |k: usize| lo + (hi - lo) * k as f64 / STEPS as f64;
    let best = (0..=STEPS).min_by(|&i, &j| rss(grid(i)).total_cmp(&rss(grid(j)))).unwrap_or(0);
    if best == 0 || best == STEPS {
        return Err(NoFit::NoTimeConstant);
    }
    let log_tau = golden_min(&rss, grid(best - 1), grid(best + 1));
    let tau = log_tau.exp();
    let (a, b, r) = solve(tau).ok_or(NoFit::NoTimeConstant)?;
    if a <= 0.0 {
        return Err(NoFit::NotFalling);
    }
    Ok(ExpFit { a, tau, b, r_squared: 1.0 - r / tss })
}

/// Best `A`, `B` and the residual sum of squares for a fixed `tau`.
fn linear_part(points: &[(f64, f64)], tau: f64, baseline: Baseline) -> Option<(f64, f64, f64)> {
    let g: Vec<f64> = points.iter().map(|p| (-p.0 / tau).exp()).collect();
    let (a, b) = match baseline {
        Baseline::Fixed(b) => {
            let gg: f64 = g.iter().map(|g| g * g).sum();
            if gg <= 1e-300 {
                return None;
            }
            (g.iter().zip(points).map(|(g, p)| g * (p.1 - b)).sum::<f64>() / gg, b)
        }
        Baseline::Free => {
            let n = points.len() as f64;
            let (sg, sgg) = (g.iter().sum::<f64>(), g.iter().map(|g| g * g).sum::<f64>());
            let (sy, sgy) =
                (points.iter().map(|p| p.1).sum::<f64>(), g.iter().zip(points).map(|(g, p)| g * p.1).sum::<f64>());
            let det = sgg * n - sg * sg;
            if det.abs() <= 1e-12 * (sgg * n).max(1e-300) {
                return None;
            }
            ((n * sgy - sg * sy) / det, (sgg * sy - sg * sgy) / det)
        }
    };
    let rss = g.iter().zip(points).map(|(g, p)| (a * g + b - p.1).powi(2)).sum();
    Some((a, b, rss))
}

/// Minimum of a unimodal function on [lo, hi] by golden-section search.
fn golden_min(f: &dyn Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    let r = (5f64.sqrt() - 1.0) / 2.0;
    let (mut x1, mut x2) = (hi - r * (hi - lo), lo + r * (hi - lo));
    let (mut f1, mut f2) = (f(x1), f(x2));
    while hi - lo > 1e-9 * (1.0 + lo.abs()) {
        if f1 <= f2 {
            (hi, x2, f2) = (x2, x1, f1);
            x1 = hi - r * (hi - lo);
            f1 = f(x1);
        } else {
            (lo, x1, f1) = (x1, x2, f2);
            x2 = lo + r * (hi - lo);
            f2 = f(x2);
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic noise in [-1, 1] (a small LCG), so the tests do not depend on a random crate.
    fn noise(n: usize, seed: u64) -> Vec<f64> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((s >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
            })
            .collect()
    }

    const DAYS: [f64; 8] = [0.0, 1.0, 2.0, 3.5, 5.0, 7.0, 14.0, 28.0];

    #[test]
    fn recovers_known_parameters_from_exact_data() {
        let y: Vec<f64> = DAYS.iter().map(|t| 8.0 * (-t / 2.5).exp() + 0.4).collect();
        let f = fit_exp_decay(&DAYS, &y, Baseline::Free).expect("fit");
        assert!((f.a - 8.0).abs() < 1e-6 && (f.tau - 2.5).abs() < 1e-6 && (f.b - 0.4).abs() < 1e-6, "{f:?}");
        assert!((f.r_squared - 1.0).abs() < 1e-12);
        assert!((f.half_life() - 2.5 * 0.5f64.ln().abs()).abs() < 1e-5);
        assert!((f.within_ten_percent_day() - 2.5 * 10f64.ln()).abs() < 1e-5);
    }

    #[test]
    fn recovers_known_parameters_from_noisy_data_within_stated_tolerances() {
        // Noise of +-0.3 a* units (the measurement's redness_delta_a error on the fixtures is under 0.3):
        // tau within 25%, baseline and amplitude within 10% of the amplitude, R^2 above 0.97, over 50 noise draws.
        let mut worst = 0f64;
        for (tau, a, b) in [(2.5, 8.0, 0.3), (9.0, 10.0, 0.8), (1.5, 5.0, -0.5)] {
            for seed in 0..50 {
                let e = noise(DAYS.len(), seed);
                let y: Vec<f64> = DAYS.iter().zip(&e).map(|(t, e)| a * (-t / tau).exp() + b + 0.3 * e).collect();
                let f = fit_exp_decay(&DAYS, &y, Baseline::Free).expect("fit");
                worst = worst.max((f.tau - tau).abs() / tau);
                assert!((f.tau - tau).abs() <= 0.25 * tau, "tau {tau} seed {seed}: {f:?}");
                assert!((f.b - b).abs() <= 0.1 * a && (f.a - a).abs() <= 0.1 * a, "seed {seed}: {f:?}");
                assert!(f.r_squared > 0.97, "{f:?}");
            }
        }
        println!("worst relative tau error {worst:.3}");
    }

    #[test]
    fn a_fixed_baseline_fits_short_series() {
        let days = [0.0f64, 2.0, 4.0];
        let y: Vec<f64> = days.iter().map(|t| 6.0 * (-t / 3.0).exp()).collect();
        let f = fit_exp_decay(&days, &y, Baseline::Fixed(0.0)).expect("fit");
        assert!((f.tau - 3.0).abs() < 1e-6 && f.b == 0.0, "{f:?}");
        assert_eq!(fit_exp_decay(&days, &y, Baseline::Free), Err(NoFit::TooFewPoints { have: 3, need: 4 }));
    }

    #[test]
    fn degenerate_inputs_give_a_reason_not_nan() {
        let flat = [3.0; 5];
        let days = [0.0, 2.0, 4.0, 7.0, 14.0];
        assert_eq!(fit_exp_decay(&days, &flat, Baseline::Free), Err(NoFit::NoChange));
        let rising: Vec<f64> = days.iter().map(|t| 1.0 + 5.0 * (1.0 - (-t / 3.0).exp())).collect();
        assert!(fit_exp_decay(&days, &rising, Baseline::Free).is_err());
        assert_eq!(
            fit_exp_decay(&days[..2], &flat[..2], Baseline::Fixed(0.0)),
            Err(NoFit::TooFewPoints { have: 2, need: 3 })
        );
        let with_nan = [f64::NAN, 1.0, 2.0];
        assert!(fit_exp_decay(&[0.0, 1.0, 2.0], &with_nan, Baseline::Fixed(0.0)).is_err());
        // A straight line never levels off: no time constant.
        let line: Vec<f64> = days.iter().map(|t| 10.0 - 0.1 * t).collect();
        assert_eq!(fit_exp_decay(&days, &line, Baseline::Free), Err(NoFit::NoTimeConstant));
        // Same day twice: no information on tau.
        assert!(fit_exp_decay(&[1.0, 1.0, 1.0, 1.0], &[1.0, 2.0, 3.0, 4.0], Baseline::Free).is_err());
    }
}
