//! The assessment ledgers in and out: score sheets (考核得分) and business
//! results (经营业绩) checked by `qizhi_sheet::assessments` become the
//! batch's rows, every unit they name listed for the importer's scope check
//! (the issuer's and the assessed unit's), and a subtree's records are
//! written out the same way.

use std::io::Write;

use qizhi_core::org::Unit;
use qizhi_sheet::assessments::{ResultRow, ScoreRow, result_cells, score_cells};
use qizhi_sheet::{FileErrors, Row, Writer};
use qizhi_store::Store;
use qizhi_store::load::Batch;
use qizhi_store::recognition::assessments::{ResultLoad, ScoreLoad};

use super::{Refs, unparsed_units};

/// The ledger kinds of this module.
pub const KINDS: [&str; 2] = ["assessments", "business_results"];

/// Turns the rows of a score or results sheet into the batch's rows; the file's own problems.
pub(crate) fn prepare(kind: &str, rows: &[Row], batch: &mut Batch, refs: &mut Refs) -> FileErrors {
    if kind == "assessments" {
        let (parsed, errors) = qizhi_sheet::assessments::scores(rows);
        unparsed_units(rows, parsed.iter().map(|(l, _)| *l), &["issuer_code", "unit_code"], refs);
        for (line, r) in parsed {
            refs.push((line, "issuer_code", r.issuer_code.clone()));
            refs.push((line, "unit_code", r.unit_code.clone()));
            batch.assessments.scores.push(ScoreLoad {
                line,
                issuer_code: r.issuer_code,
                unit_code: r.unit_code,
                kind: r.kind,
                year: r.year,
                score: r.score,
            });
        }
        errors
    } else {
        let (parsed, errors) = qizhi_sheet::assessments::results(rows);
        unparsed_units(rows, parsed.iter().map(|(l, _)| *l), &["unit_code"], refs);
        for (line, r) in parsed {
            refs.push((line, "unit_code", r.unit_code.clone()));
            batch.assessments.results.push(ResultLoad { line, unit_code: r.unit_code, year: r.year, value: r.value });
        }
        errors
    }
}

/// Writes the scores given to, or the results of, the units of `root`'s subtree.
pub(crate) async fn export<W: Write + Send>(
    store: &Store,
    kind: &str,
    root: &Unit,
    w: &mut Writer<W>,
) -> anyhow::Result<()> {
    if kind == "assessments" {
        for (issuer_code, unit_code, kind, year, score) in store.assessments_in(root).await? {
            w.row(&score_cells(&ScoreRow { issuer_code, unit_code, kind, year, score }))?;
        }
    } else {
        for (unit_code, year, value) in store.business_results_in(root).await? {
            w.row(&result_cells(&ResultRow { unit_code, year, value }))?;
        }
    }
    Ok(())
}
