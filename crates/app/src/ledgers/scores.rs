//! Score spreadsheets of a star campaign, for the pages and the `qizhi` command:
//! a template and exports whose columns are the scheme's indicators, the
//! import of a whole file (300 branches at once; every problem named by row
//! and column letter; nothing written unless every row passes), and the
//! results sheet of the apply stage.

use std::collections::BTreeMap;

use qizhi_core::stars::campaign::{self, ScoreStage};
use qizhi_sheet::scores::{ScoreRow, results_sheet, score_cells, score_rows, scores_sheet};
use qizhi_sheet::{FileErrors, Format, Writer};
use qizhi_store::load::LoadError;
use qizhi_store::stars::{Campaign, Entry, EntryFilter, EntryListed, ImportRow};
use qizhi_store::{MAX_PER_PAGE, Page, Scope, Store};

use super::{ImportError, cell_error};

/// What a sheet download is. A stage's export lists the branches the
/// campaign takes that stage's scores for now (filled with the scores so
/// far, or the stage below's) and those scored at it, so that the file can
/// be filled in and imported whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFile {
    /// The header only (and, in .xlsx, the 说明 worksheet).
    Template,
    /// The scores of one stage (review stages start from the stage below when empty).
    Scores(ScoreStage),
    /// Scores, levels and stars (the apply stage's export).
    Results,
}

/// `template.xlsx`, `self.csv`, `review1.xlsx`, `results.csv` …
pub fn sheet_file(name: &str) -> Option<(SheetFile, Format)> {
    let (what, _) = name.split_once('.')?;
    let format = Format::from_name(name).ok()?;
    let file = match what {
        "template" => SheetFile::Template,
        "results" => SheetFile::Results,
        s => SheetFile::Scores(ScoreStage::parse(s).ok()?),
    };
    Some((file, format))
}

/// Whether the campaign takes scores of `stage` for this entry now.
fn accepts(c: &Campaign, e: &Entry, stage: ScoreStage) -> bool {
    match stage.level() {
        None => campaign::may_self_assess(c.stage, e.status).is_ok(),
        Some(level) => campaign::may_review(c.stage, e.status, c.review_levels, level).is_ok(),
    }
}

/// Every entry of a campaign inside `scope`, in tree order.
async fn all_entries(store: &Store, c: &Campaign, scope: &Scope) -> anyhow::Result<Vec<EntryListed>> {
    let mut out = vec![];
    let mut page = 1;
    loop {
        let f = EntryFilter { page, per_page: MAX_PER_PAGE, ..Default::default() };
        let Page { total, items: list } = store.campaign_entries(c.id, scope, &f).await?;
        out.extend(list);
        if out.len() as i64 >= total || page > 1000 {
            return Ok(out);
        }
        page += 1;
    }
}

/// Writes a sheet of a campaign: template, a stage's scores, or the results.
pub async fn export(
    store: &Store,
    c: &Campaign,
    file: SheetFile,
    scope: &Scope,
    format: Format,
) -> anyhow::Result<(Vec<u8>, String)> {
    let scheme = store.scheme(c.scheme_id).await?;
    let body = &scheme.body;
    match file {
        SheetFile::Template => {
            let bytes = qizhi_sheet::template_to_vec(format, scores_sheet(body))?;
            Ok((bytes, format!("{}-评分模板.{}", c.name, format.extension())))
        }
        SheetFile::Scores(stage) => {
            let sheet = scores_sheet(body);
            let entries = all_entries(store, c, scope).await?;
            let scores = store.campaign_scores(c.id).await?;
            let mut w = Writer::new(Vec::new(), format, sheet)?;
            for l in &entries {
                let e = &l.entry;
                let own = scores.get(&e.id);
                let of = |s: ScoreStage| own.and_then(|x| x.by_stage.get(&s)).filter(|m| !m.is_empty());
                // The rows the stage takes now, and those scored at it (an
                // import leaves those unchanged when they come back as they were).
                if !(accepts(c, e, stage) || of(stage).is_some()) {
                    continue;
                }
                let empty = BTreeMap::new();
                let list = match stage {
                    ScoreStage::SelfAssess => of(stage),
                    ScoreStage::Review1 => of(stage).or_else(|| of(ScoreStage::SelfAssess)),
                    ScoreStage::Review2 => {
                        of(stage).or_else(|| of(ScoreStage::Review1)).or_else(|| of(ScoreStage::SelfAssess))
                    }
                }
                .unwrap_or(&empty);
                let comment = match stage {
                    ScoreStage::SelfAssess => None,
                    ScoreStage::Review1 => e.review1_comment.as_deref(),
                    ScoreStage::Review2 => e.review2_comment.as_deref(),
                };
                let vetoes = own.map(|x| x.vetoes.clone()).unwrap_or_default();
                w.row(&score_cells(body, &e.unit_code, &e.unit_name, list, comment, &vetoes))?;
            }
            let bytes = w.finish()?;
            Ok((bytes, format!("{}-{}评分.{}", c.name, stage.zh(), format.extension())))
        }
        SheetFile::Results => {
            let sheet = results_sheet(body);
            let entries = all_entries(store, c, scope).await?;
            let scores = store.campaign_scores(c.id).await?;
            let mut w = Writer::new(Vec::new(), format, sheet)?;
            for l in &entries {
                let e = &l.entry;
                let own = scores.get(&e.id);
                let stage = ScoreStage::final_for(e.status, c.review_levels);
                let empty = BTreeMap::new();
                let list = own.and_then(|x| x.by_stage.get(&stage)).unwrap_or(&empty);
                let vetoes = own.map(|x| x.vetoes.clone()).unwrap_or_default();
                let outcome = qizhi_core::stars::evaluate(body, list, &vetoes);
                let mut cells = vec![
                    e.unit_code.clone(),
                    e.unit_name.clone(),
                    l.parent_name.clone().unwrap_or_default(),
                    e.declaration.as_ref().map(|d| d.target_star.to_string()).unwrap_or_default(),
                ];
                for d in &outcome.dimensions {
                    cells.push(d.score.to_string());
                    cells.push(d.level.zh().to_string());
                }
                let (star, note) = match (&e.withdrawn, e.awarded) {
                    (Some(w), _) => (0, format!("{} 摘星：{}", qizhi_core::date::iso(w.on), w.reason)),
                    (None, true) => (e.star, String::new()),
                    (None, false) => (e.star, "未命名（审核未完成或尚未命名）".to_string()),
                };
                cells.push(star.to_string());
                cells.push(e.status.zh().to_string());
                cells.push(note);
                w.row(&cells)?;
            }
            let bytes = w.finish()?;
            Ok((bytes, format!("{}-评定结果.{}", c.name, format.extension())))
        }
    }
}

/// Reads, checks and applies a score file to a campaign at `stage`, all
/// rows or none. `allowed(entry)` says whether the importer may score that
/// branch at this stage.
pub async fn import(
    store: &Store,
    c: &Campaign,
    stage: ScoreStage,
    bytes: &[u8],
    format: Format,
    allowed: &(dyn Fn(&Entry) -> bool + Sync),
) -> Result<usize, ImportError> {
    let scheme = store.scheme(c.scheme_id).await?;
    let sheet = scores_sheet(&scheme.body);
    let rows = qizhi_sheet::read_bytes(bytes, format, sheet).map_err(ImportError::File)?;
    if rows.is_empty() {
        return Err(ImportError::File(FileErrors::file("文件中没有数据行 (no rows)")));
    }
    let checked: Vec<ScoreRow> = score_rows(&rows, sheet, &scheme.body).map_err(ImportError::File)?;
    let batch: Vec<ImportRow> = checked
        .into_iter()
        .map(|r| ImportRow {
            line: r.line,
            unit_code: r.unit_code,
            scores: r.scores,
            comment: r.comment,
            vetoes: r.vetoes,
        })
        .collect();
    match store.import_scores(c.id, stage, &batch, allowed).await {
        Ok(n) => Ok(n),
        Err(LoadError::Rows(problems)) => {
            let mut errors = FileErrors::new();
            for p in problems {
                errors.push(cell_error(&rows, sheet, p.line, p.field, p.message));
            }
            errors.sort();
            Err(ImportError::File(errors))
        }
        Err(LoadError::Store(e)) => Err(e.into()),
    }
}
