//! `qizhi demo`: a fresh SQLite database loaded with the seed world and a
//! few accounts, one per role, so a newcomer sees a populated Qizhi at once.

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use qizhi_seed::{Scale, World};
use qizhi_store::Store;
use qizhi_store::brand_load;
use qizhi_store::load::{Batch, GridRow, PersonRow, ScenarioRow, UnitRow};
use qizhi_store::recognition::assessments::{ResultLoad, ScoreLoad};

/// The demo accounts' password (the demo is for looking around, not for real data).
pub const DEMO_PASSWORD: &str = "Qizhi-demo-2026";

/// (username, display name, role, unit code)
pub const DEMO_USERS: &[(&str, &str, &str, Option<&str>)] = &[
    ("admin", "系统管理员", "system_admin", None),
    ("fujian", "福建省委党务管理员", "unit_admin", Some("FJ")),
    ("fuzhou001", "福州第一支部书记", "unit_admin", Some("FJ01-001")),
    ("guizhou", "贵州省委审核人", "reviewer", Some("GZ")),
    // Decides on the brands of Fujian's units (申报 → 初审 → 评审 → 命名) and reviews its star evaluations.
    ("fjreview", "福建省委审核人", "reviewer", Some("FJ")),
    ("leader", "集团领导（查阅）", "viewer", Some("CU")),
    // A party member of FJ01-001, linked to their person (see `seed_tasks`).
    ("member", "党员（福州第一支部）", "member", Some("FJ01-001")),
];

/// The seed world as one batch for the store.
pub fn batch(world: World) -> Batch {
    let mut b = Batch::default();
    for (i, u) in world.units.into_iter().enumerate() {
        b.units.push(UnitRow { line: i + 1, parent_code: u.parent_code, fields: u.fields });
    }
    for (i, p) in world.people.into_iter().enumerate() {
        b.people.push(PersonRow { line: i + 1, unit_code: p.unit_code, fields: p.fields });
    }
    for (i, g) in world.grids.into_iter().enumerate() {
        b.grids.push(GridRow {
            line: i + 1,
            unit_code: g.unit_code,
            fields: g.fields,
            contact_unit_code: g.contact_unit_code,
        });
    }
    for (i, s) in world.scenarios.into_iter().enumerate() {
        b.scenarios.push(ScenarioRow { line: i + 1, unit_code: s.unit_code, fields: s.fields });
    }
    // Brands: standards, brands with their histories, honors.
    let brands = world.brands;
    for (i, s) in brands.standards.into_iter().enumerate() {
        let row =
            brand_load::StandardRow { line: i + 1, unit_code: s.unit_code, fields: s.fields, issued_on: s.issued_on };
        b.brands.standards.push(row);
    }
    for (i, s) in brands.brands.into_iter().enumerate() {
        b.brands.brands.push(brand_load::BrandRow {
            line: i + 1,
            unit_code: s.unit_code,
            parent_code: s.parent_code,
            fields: s.fields,
            status: None,
            history: Some(s.history),
        });
    }
    for (i, h) in brands.honors.into_iter().enumerate() {
        b.brands.honors.push(brand_load::HonorRow {
            line: i + 1,
            unit_code: h.unit_code,
            fields: h.fields,
            holder_code: h.holder_code,
            brand_code: h.brand_code,
        });
    }
    b.stars = world.stars;
    for (i, s) in world.assessments.scores.into_iter().enumerate() {
        b.assessments.scores.push(ScoreLoad {
            line: i + 1,
            issuer_code: s.issuer_code,
            unit_code: s.unit_code,
            kind: s.kind,
            year: s.year,
            score: s.score,
        });
    }
    for (i, r) in world.assessments.results.into_iter().enumerate() {
        b.assessments.results.push(ResultLoad { line: i + 1, unit_code: r.unit_code, year: r.year, value: r.value });
    }
    b.tasks = crate::seed_tasks::batch(world.fortresses, world.teams, world.tasks, world.commitments);
    b
}

/// Loads a world into an open store, with a progress bar.
pub async fn load(store: &Store, scale: Scale) -> anyhow::Result<()> {
    let started = Instant::now();
    let batch = batch(qizhi_seed::world(scale));
    let bar = ProgressBar::new(batch.len() as u64);
    bar.set_style(ProgressStyle::with_template("载入示例数据 (loading) [{bar:40}] {pos}/{len}")?.progress_chars("=> "));
    store
        .load(&batch, &mut |done, _| bar.set_position(done as u64))
        .await
        .map_err(|e| anyhow::anyhow!("loading the seed world: {e}"))?;
    bar.finish_and_clear();
    eprintln!("已载入 {} 条记录，用时 {:.1} 秒 (records loaded)", batch.len(), started.elapsed().as_secs_f64());
    Ok(())
}

pub async fn create(data: &Path) -> anyhow::Result<Store> {
    std::fs::create_dir_all(data).with_context(|| format!("创建目录 (creating) {}", data.display()))?;
    let db = data.join("qizhi.db");
    for suffix in ["", "-wal", "-shm"] {
        let f = data.join(format!("qizhi.db{suffix}"));
        if f.exists() {
            std::fs::remove_file(&f).with_context(|| format!("删除旧的示例数据库 (removing) {}", f.display()))?;
        }
    }
    let store = Store::open(&format!("sqlite://{}", db.display())).await?;
    load(&store, Scale::Demo).await?;
    // The demo world is the organization on the article's day: its year is the one reported.
    store.pin_reporting_year(Some(qizhi_seed::AS_OF.year())).await?;
    let hash = qizhi_app::password::hash(DEMO_PASSWORD.to_string()).await?;
    for (username, name, role, org) in DEMO_USERS {
        store.create_user(username, name, &hash).await?;
        crate::user::grant(&store, username, role, *org).await?;
    }
    crate::seed_tasks::link_demo_member(&store, "member").await?;
    println!("示例数据库 (demo database): {}", db.display());
    println!("示例账号 (demo accounts), 密码 (password) {DEMO_PASSWORD}:");
    for (username, name, role, org) in DEMO_USERS {
        println!("  {username:<10} {name} ({role}{})", org.map(|o| format!(" @ {o}")).unwrap_or_default());
    }
    Ok(store)
}

/// Loads the benchmark volume of the group world (`qizhi_seed::volume`) on
/// top of it, one provincial-level unit per transaction, with a progress bar.
pub async fn load_volume(store: &Store) -> anyhow::Result<()> {
    let started = Instant::now();
    let world = qizhi_seed::world(Scale::Group);
    let volume = qizhi_seed::volume::Volume::new(&world);
    let provinces = volume.provinces();
    let bar = ProgressBar::new(provinces.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("载入任务与承诺 (loading volume) [{bar:40}] {pos}/{len} {msg} ({eta})")?
            .progress_chars("=> "),
    );
    let (mut tasks, mut entries, mut commitments) = (0, 0, 0);
    for top in provinces {
        bar.set_message(top.to_string());
        let part = volume.of(top);
        tasks += part.tasks.len();
        entries += part.tasks.iter().map(|t| t.entries.len()).sum::<usize>();
        commitments += part.commitments.len();
        let batch = Batch {
            tasks: crate::seed_tasks::batch(vec![], vec![], part.tasks, part.commitments),
            ..Default::default()
        };
        store.load(&batch, &mut |_, _| {}).await.map_err(|e| anyhow::anyhow!("loading the volume of {top}: {e}"))?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    eprintln!(
        "已载入任务 {tasks} 项、进展 {entries} 条、承诺 {commitments} 项，用时 {:.0} 秒 \
         ({tasks} tasks, {entries} ledger entries, {commitments} commitments)",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
