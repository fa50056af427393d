//! Uploaded files: stored in the database (outside any web root) with the
//! unit they belong to. Records link to them by id; `insert` runs inside the
//! caller's transaction so that a record and its files are written together.

use qizhi_core::file::FileKind;
use qizhi_core::ids::UnitId;
use qizhi_core::org::Unit;
use serde::Serialize;
use sqlx::Row;

use crate::audit::{self, Entry};
use crate::{Store, StoreError, StoreResult, Tx, now_ms, rows, units};

/// A stored file's facts (not its bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredFile {
    pub id: i64,
    pub unit_id: UnitId,
    pub name: String,
    #[serde(serialize_with = "kind_code")]
    pub kind: FileKind,
    pub size: i64,
    pub created_at: i64,
}

fn kind_code<S: serde::Serializer>(k: &FileKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(k.code())
}

const FILE_COLS: &str = "id, unit_id, name, kind, size, created_at";

fn stored(r: &sqlx::any::AnyRow) -> StoreResult<StoredFile> {
    let kind: String = r.try_get("kind")?;
    Ok(StoredFile {
        id: r.try_get("id")?,
        unit_id: UnitId(r.try_get("unit_id")?),
        name: r.try_get("name")?,
        kind: FileKind::parse(&kind).ok_or_else(|| rows::corrupt("kind", &kind))?,
        size: r.try_get("size")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Stores a file of `unit` (already checked with `qizhi_core::file::check`)
/// in the caller's transaction.
pub async fn insert(
    tx: &mut Tx,
    unit: &Unit,
    name: &str,
    kind: FileKind,
    bytes: &[u8],
    created_by: Option<&str>,
) -> StoreResult<StoredFile> {
    let now = now_ms();
    let id: i64 = sqlx::query(
        "INSERT INTO files (unit_id, name, kind, size, data, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(unit.id.0)
    .bind(name)
    .bind(kind.code())
    .bind(bytes.len() as i64)
    .bind(bytes)
    .bind(now)
    .bind(created_by)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    Ok(StoredFile { id, unit_id: unit.id, name: name.to_string(), kind, size: bytes.len() as i64, created_at: now })
}

impl Store {
    /// Stores one file of `unit` on its own (an upload made before the record that will cite it).
    pub async fn put_file(&self, unit: UnitId, name: &str, kind: FileKind, bytes: &[u8]) -> StoreResult<StoredFile> {
        let mut tx = self.write().await?;
        let unit = units::get(&mut tx, unit).await?;
        let by = self.actor().map(|a| a.username.clone());
        let file = insert(&mut tx, &unit, name, kind, bytes, by.as_deref()).await?;
        let entry = Entry {
            action: "create",
            object_kind: "file",
            object_id: file.id.to_string(),
            unit_path: Some(unit.path.clone()),
            summary: format!("上传文件 {}（{}，{} 字节）", file.name, unit.name, file.size),
            before: None,
            after: audit::json(&file),
        };
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok(file)
    }

    pub async fn file(&self, id: i64) -> StoreResult<StoredFile> {
        let row = sqlx::query(&format!("SELECT {FILE_COLS} FROM files WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("file {id}")))?;
        stored(&row)
    }

    /// A file's bytes.
    pub async fn file_data(&self, id: i64) -> StoreResult<Vec<u8>> {
        let row = sqlx::query("SELECT data FROM files WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("file {id}")))?;
        Ok(row.try_get(0)?)
    }
}
