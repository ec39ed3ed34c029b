//! A sample report page (every kind of figure, a diverged run, a figure that cannot be drawn) written as
//! `report.html`, `REPORT.md` and `figures/*.svg` into the directory given (default: a temp directory), to look at.
//!
//! `cargo run --release -p zoo-report --example sample_report -- /tmp/zoo-report`

use std::path::PathBuf;

use zoo_report::{Axis, Boundaries, Boundary, ClaimSection, Figure, Heatmap, Line, LineFigure, Mark, Page, Style};

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).map_or_else(|| std::env::temp_dir().join("zoo-report-sample"), PathBuf::from);
    std::fs::create_dir_all(dir.join("figures"))?;
    let page = sample();
    std::fs::write(dir.join("report.html"), zoo_report::html(&page))?;
    let (text, files) = zoo_report::markdown(&page);
    std::fs::write(dir.join("REPORT.md"), text)?;
    for (path, svg) in files {
        std::fs::write(dir.join(path), svg)?;
    }
    println!("{}", dir.join("report.html").display());
    Ok(())
}

fn sample() -> Page {
    let lrs: Vec<f64> = (0..9).map(|k| 10f64.powf(-4.0 + 0.5 * k as f64)).collect();
    let loss = |scale: f64| -> Vec<(f64, f64)> {
        lrs.iter()
            .map(|&lr| (lr, if lr > 0.5 { f64::NAN } else { scale * (0.02 + 0.6 * (-(lr * 300.0)).exp()) }))
            .collect()
    };
    let sweep = Figure::Lines(LineFigure {
        title: "Final loss against learning rate".into(),
        x_label: "learning rate".into(),
        y_label: "final test loss".into(),
        x_axis: Axis::Log,
        y_axis: Axis::Log,
        lines: vec![
            Line { name: "relu + he".into(), points: loss(1.0), style: Style::Solid },
            Line { name: "sigmoid + xavier".into(), points: loss(2.5), style: Style::Dashed },
            Line { name: "single seeds".into(), points: loss(1.4), style: Style::Dots },
        ],
        marks: vec![Mark { x: 0.01, label: "chosen lr".into() }, Mark { x: 0.03, label: "target reached".into() }],
        band: Some((0.0, 0.05)),
    });
    let accuracy = Figure::Lines(LineFigure {
        title: "Test accuracy while training".into(),
        x_label: "epoch".into(),
        y_label: "accuracy".into(),
        x_axis: Axis::Linear,
        y_axis: Axis::Linear,
        lines: (0..3)
            .map(|depth| Line {
                name: format!("depth {}", depth + 1),
                points: (0..40)
                    .map(|e| (e as f64, 1.0 - 0.5 * (-(e as f64) / (4.0 + 6.0 * depth as f64)).exp()))
                    .collect(),
                style: Style::Solid,
            })
            .collect(),
        marks: vec![],
        band: Some((0.95, 1.0)),
    });
    let widths = ["8", "16", "32", "64", "128"];
    let depths = ["1", "2", "4", "8"];
    let values: Vec<f64> = (0..depths.len() * widths.len())
        .map(|i| if i == 17 { f64::NAN } else { 10f64.powf(-3.0 + 0.15 * i as f64 - 0.3 * (i % 5) as f64) })
        .collect();
    let heatmap = Figure::Heatmap(Heatmap {
        title: "Epochs to 95 % by depth and width".into(),
        x_label: "width".into(),
        y_label: "depth".into(),
        x_ticks: widths.iter().map(|s| s.to_string()).collect(),
        y_ticks: depths.iter().map(|s| s.to_string()).collect(),
        values,
        value_label: "final loss".into(),
        log_color: true,
        curve: Some(vec![(0.5, 0.5), (1.5, 1.5), (2.5, 1.8), (3.5, 2.5), (f64::NAN, 3.0), (4.5, 3.5)]),
    });
    let boundary = |title: &str, shift: f64| {
        let n = 40;
        let cells = (0..n * n)
            .map(|i| {
                let (x, y) = ((i % n) as f64 / n as f64 * 2.0 - 1.0, (i / n) as f64 / n as f64 * 2.0 - 1.0);
                u32::from((x * 3.0 + shift).sin() * 0.6 > y)
            })
            .collect();
        let points = (0..60)
            .map(|k| {
                let (x, y) = ((k as f64 * 0.37).sin(), (k as f64 * 0.91).cos());
                (x, y, u32::from((x * 3.0).sin() * 0.6 > y))
            })
            .collect();
        Boundary { title: title.into(), x: (-1.0, 1.0), y: (-1.0, 1.0), resolution: n, cells, points }
    };
    let panels = Figure::Boundaries(Boundaries {
        title: "Decision boundaries after 200 epochs".into(),
        panels: vec![boundary("relu", 0.0), boundary("tanh", 0.3), boundary("sigmoid", 1.2)],
    });
    let broken = Figure::Heatmap(Heatmap {
        title: "A heatmap short of values".into(),
        x_label: "a".into(),
        y_label: "b".into(),
        x_ticks: vec!["1".into(), "2".into()],
        y_ticks: vec!["1".into()],
        values: vec![1.0],
        value_label: "v".into(),
        log_color: false,
        curve: None,
    });
    let inits = ["zeros", "xavier-uniform", "he-normal", "orthogonal"];
    let activations = ["relu", "tanh", "leaky-relu"];
    let accuracy_map = Figure::Heatmap(Heatmap {
        title: "Test accuracy by activation and initialiser".into(),
        x_label: "initialiser".into(),
        y_label: "activation".into(),
        x_ticks: inits.iter().map(|s| s.to_string()).collect(),
        y_ticks: activations.iter().map(|s| s.to_string()).collect(),
        values: (0..12).map(|i| if i % 4 == 0 { 0.5 } else { 0.9 + 0.008 * i as f64 }).collect(),
        value_label: "accuracy".into(),
        log_color: false,
        curve: None,
    });
    let claim = |id: &str, verdict: &str, figures: Vec<Figure>| ClaimSection {
        id: id.into(),
        lesson: "Too large a learning rate makes training diverge <fast> & \"loud\"".into(),
        experiment: "lr sweep 1e-4…1 on spirals, 2×64 relu, 5 seeds".into(),
        threshold: "final loss ≤ 0.05 at the chosen lr".into(),
        verdict: verdict.into(),
        reason: "every seed diverged at lr ≥ 1 and converged at lr = 0.01".into(),
        measured: vec![
            "final loss 0.021 [0.018–0.030] (5 seeds)".into(),
            "diverged lr 1.0 [1.0–1.0] (5 seeds)".into(),
            "epochs 41 [35–52] (5 seeds)".into(),
        ],
        rates: vec!["diverged 5/5 at lr 1".into()],
        anchor: "Goodfellow et al. 2016, §8.1.3".into(),
        seeds: "seeds 0–4".into(),
        figures,
    };
    Page {
        title: "MLP Zoo — claims report".into(),
        card: vec![
            ("commit".into(), "0123abc".into()),
            ("versions".into(), "burn 0.22.1, rustc 1.95".into()),
            ("backend".into(), "flex (cpu)".into()),
            ("trials".into(), "planned 45, trained 40, reused 5".into()),
        ],
        claims: vec![
            claim("b2-1", "HOLDS", vec![sweep, accuracy]),
            claim("b2-2", "FAILS", vec![heatmap, broken]),
            claim("b3-1", "INCONCLUSIVE", vec![panels, accuracy_map]),
        ],
    }
}
