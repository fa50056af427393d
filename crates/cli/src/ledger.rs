//! `qizhi import|export`: ledgers as spreadsheets from the command line,
//! with a progress bar on long imports.

use std::path::Path;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use qizhi_app::ledgers::{self, ImportError};
use qizhi_sheet::Format;
use qizhi_store::Store;

pub async fn import(store: &Store, kind: &str, file: &Path) -> anyhow::Result<()> {
    let format = Format::from_path(file)?;
    let bytes = std::fs::read(file).with_context(|| format!("读取文件 (reading) {}", file.display()))?;
    let everything = |_: &qizhi_core::org::Unit| true;
    let bar = ProgressBar::new_spinner().with_message(format!("检查 {} (checking)", file.display()));
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let prepared = ledgers::prepare(store, kind, &bytes, format, &everything).await;
    bar.finish_and_clear();
    let (batch, rows) = match prepared {
        Ok(p) => p,
        Err(e) => return report(e),
    };
    let bar = ProgressBar::new(batch.len() as u64);
    bar.set_style(ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} 行 ({eta})")?.progress_chars("=> "));
    bar.set_message("写入 (writing)");
    let result = ledgers::apply(store, kind, &batch, &rows, &mut |done, _| bar.set_position(done as u64)).await;
    bar.finish_and_clear();
    match result {
        Ok(s) => {
            println!(
                "导入完成 (imported): 新增 {} 条，更新 {} 条 ({} created, {} updated)",
                s.created, s.updated, s.created, s.updated
            );
            for w in ledgers::warnings(&s) {
                println!("注意 (note): {w}");
            }
            Ok(())
        }
        Err(e) => report(e),
    }
}

fn report(e: ImportError) -> anyhow::Result<()> {
    match e {
        ImportError::File(errors) | ImportError::Refused { errors, .. } => {
            eprintln!("{errors}");
            anyhow::bail!("导入失败，未写入任何数据 (import failed, nothing was written)")
        }
        ImportError::Store(e) => Err(e.into()),
    }
}

pub async fn export(store: &Store, kind: &str, file: &Path, org: Option<&str>) -> anyhow::Result<()> {
    let format = Format::from_path(file)?;
    let root = match org {
        Some(code) => store.unit_by_code(code).await?.with_context(|| format!("组织编码 “{code}” 不存在"))?,
        None => {
            let roots = store.scope_roots(&qizhi_store::Scope::All).await?;
            roots.into_iter().next().context("数据库中还没有组织 (no units yet)")?.unit
        }
    };
    let target = std::io::BufWriter::new(
        std::fs::File::create(file).with_context(|| format!("创建文件 (creating) {}", file.display()))?,
    );
    let (_, n) = ledgers::export(store, kind, &root, target, format, true).await?;
    println!("已导出 {n} 行 (rows exported) → {}", file.display());
    Ok(())
}
