//! `qizhi import|export|template scores|results --campaign ID`: a star
//! campaign's score sheets from the command line (columns from its scheme),
//! imported all rows or none and recorded in the audit trail as the
//! command's user.

use std::path::Path;

use anyhow::Context;
use qizhi_app::ledgers::ImportError;
use qizhi_app::ledgers::scores::{self, SheetFile};
use qizhi_core::stars::campaign::{ScoreStage, Stage};
use qizhi_sheet::Format;
use qizhi_store::audit::Actor;
use qizhi_store::stars::Campaign;
use qizhi_store::{Scope, Store};

/// The kinds handled here.
pub const KINDS: [&str; 2] = ["scores", "results"];

async fn campaign(store: &Store, id: Option<i64>) -> anyhow::Result<Campaign> {
    let id = id.context("请用 --campaign 指定评选活动编号 (--campaign ID is required)")?;
    store.campaign(id).await.with_context(|| format!("评选活动 {id} 不存在 (no campaign {id})"))
}

/// The stage named, or the one the campaign is scoring at.
fn stage_of(c: &Campaign, stage: Option<&str>) -> anyhow::Result<ScoreStage> {
    match stage {
        Some(s) => ScoreStage::parse(s).map_err(anyhow::Error::msg),
        None if c.stage < Stage::Review => Ok(ScoreStage::SelfAssess),
        None => Ok(ScoreStage::Review1),
    }
}

pub async fn import(store: &Store, file: &Path, id: Option<i64>, stage: Option<&str>) -> anyhow::Result<()> {
    let c = campaign(store, id).await?;
    let stage = stage_of(&c, stage)?;
    let format = Format::from_path(file)?;
    let bytes = std::fs::read(file).with_context(|| format!("读取文件 (reading) {}", file.display()))?;
    let everyone = |_: &qizhi_store::stars::Entry| true;
    match scores::import(&store.acting(Actor::cli()), &c, stage, &bytes, format, &everyone).await {
        Ok(n) => {
            println!("已导入 {n} 个党支部的{}评分 (imported): {}", stage.zh(), c.name);
            Ok(())
        }
        Err(ImportError::File(errors) | ImportError::Refused { errors, .. }) => {
            eprintln!("{errors}");
            anyhow::bail!("导入失败，未写入任何数据 (import failed, nothing was written)")
        }
        Err(ImportError::Store(e)) => Err(e.into()),
    }
}

pub async fn export(
    store: &Store,
    kind: &str,
    file: &Path,
    id: Option<i64>,
    stage: Option<&str>,
    org: Option<&str>,
) -> anyhow::Result<()> {
    let c = campaign(store, id).await?;
    let format = Format::from_path(file)?;
    let what = if kind == "results" { SheetFile::Results } else { SheetFile::Scores(stage_of(&c, stage)?) };
    let scope = match org {
        Some(code) => {
            let u = store.unit_by_code(code).await?.with_context(|| format!("组织编码 “{code}” 不存在"))?;
            Scope::subtrees(vec![u.path])
        }
        None => Scope::All,
    };
    let (bytes, _) = scores::export(store, &c, what, &scope, format).await?;
    std::fs::write(file, bytes).with_context(|| format!("写入 (writing) {}", file.display()))?;
    println!("已导出 (exported) → {}", file.display());
    Ok(())
}

pub async fn template(store: &Store, file: &Path, id: Option<i64>) -> anyhow::Result<()> {
    let c = campaign(store, id).await?;
    let format = Format::from_path(file)?;
    let (bytes, _) = scores::export(store, &c, SheetFile::Template, &Scope::All, format).await?;
    std::fs::write(file, bytes).with_context(|| format!("写入 (writing) {}", file.display()))?;
    println!("已生成模板 (template written): {}", file.display());
    Ok(())
}
