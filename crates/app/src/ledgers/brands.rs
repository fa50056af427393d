//! The brand ledgers (brands, brand structures, honors) in and out, for
//! the ledgers module: rows checked by `qizhi_sheet::brands` become the brand part
//! of a batch, with the units they touch listed for the importer's scope
//! check; exports stream a subtree's brands, structures and honors.

use std::collections::HashMap;
use std::io::Write;

use qizhi_core::brand::HolderKind;
use qizhi_core::ids::{BrandId, PersonId, UnitId};
use qizhi_core::org::Unit;
use qizhi_sheet::{Row, Writer};
use qizhi_store::brand_load::{BrandRow, ElementRow, HonorRow};
use qizhi_store::brands::{BrandQuery, BrandSort};
use qizhi_store::honors::HonorQuery;
use qizhi_store::load::Batch;
use qizhi_store::{Page, Scope, Store};

use super::ImportError;

/// The ledgers this module handles.
pub const KINDS: [&str; 3] = ["brands", "brand_elements", "honors"];

/// The owner unit's code of an existing brand.
async fn owner_code(
    store: &Store,
    brand: &str,
    cache: &mut HashMap<String, Option<String>>,
) -> Result<Option<String>, ImportError> {
    if let Some(c) = cache.get(brand) {
        return Ok(c.clone());
    }
    let code = match store.brand_by_code(brand).await? {
        Some(b) => Some(store.unit(b.unit_id).await?.code),
        None => None,
    };
    cache.insert(brand.to_string(), code.clone());
    Ok(code)
}

/// Converts checked rows into `batch`; `refs` gets (line, column, unit code)
/// of every unit whose records a row would change, for the scope check.
pub(crate) async fn prepare(
    store: &Store,
    kind: &str,
    rows: &[Row],
    batch: &mut Batch,
    refs: &mut Vec<(usize, &'static str, String)>,
) -> Result<(), ImportError> {
    let mut owners = HashMap::new();
    match kind {
        "brands" => {
            for (line, r) in qizhi_sheet::brands::brands(rows).map_err(ImportError::File)? {
                refs.push((line, "unit_code", r.unit_code.clone()));
                // Naming an existing brand changes it: its owner must be in scope too.
                if let Some(owner) = owner_code(store, &r.fields.code, &mut owners).await? {
                    refs.push((line, "code", owner));
                }
                batch.brands.brands.push(BrandRow {
                    line,
                    unit_code: r.unit_code,
                    parent_code: r.parent_code,
                    fields: r.fields,
                    status: r.status,
                    history: None,
                });
            }
        }
        "brand_elements" => {
            for (line, r) in qizhi_sheet::brands::brand_elements(rows).map_err(ImportError::File)? {
                if let Some(owner) = owner_code(store, &r.brand_code, &mut owners).await? {
                    refs.push((line, "brand_code", owner));
                }
                batch.brands.elements.push(ElementRow {
                    line,
                    brand_code: r.brand_code,
                    outline: r.outline,
                    fields: r.fields,
                });
            }
        }
        _ => {
            for (line, r) in qizhi_sheet::brands::honors(rows).map_err(ImportError::File)? {
                refs.push((line, "unit_code", r.unit_code.clone()));
                batch.brands.honors.push(HonorRow {
                    line,
                    unit_code: r.unit_code,
                    fields: r.fields,
                    holder_code: r.holder_code,
                    brand_code: r.brand_code,
                });
            }
        }
    }
    Ok(())
}

/// Writes the brand ledger `kind` of `root`'s subtree. ID numbers of
/// honored people are written only when `personal`.
pub(crate) async fn export<W: Write + Send>(
    store: &Store,
    kind: &str,
    root: &Unit,
    w: &mut Writer<W>,
    personal: bool,
) -> anyhow::Result<()> {
    const PAGE: i64 = 1000;
    let mut brands = vec![];
    if kind != "honors" {
        for page in 1.. {
            let q = BrandQuery { sort: BrandSort::Unit, page, per_page: PAGE, ..Default::default() };
            let Page { items: list, .. } = store.brands(root, &Scope::All, &q).await?;
            let n = list.len() as i64;
            brands.extend(list);
            if n < PAGE {
                break;
            }
        }
    }
    let mut codes: HashMap<BrandId, String> =
        brands.iter().map(|l| (l.brand.id, l.brand.fields.code.clone())).collect();
    match kind {
        "brands" => {
            for l in &brands {
                let parent = match l.brand.parent_id {
                    Some(p) => match codes.get(&p) {
                        Some(c) => Some(c.clone()),
                        None => {
                            let c = store.brand(p).await?.fields.code;
                            codes.insert(p, c.clone());
                            Some(c)
                        }
                    },
                    None => None,
                };
                w.row(&qizhi_sheet::brands::brand_cells(&l.brand, &l.unit_code, parent.as_deref()))?;
            }
        }
        "brand_elements" => {
            for l in &brands {
                let tree = store.brand_structure(l.brand.id).await?;
                for (number, f) in qizhi_core::brand::outline_of(&tree) {
                    w.row(&qizhi_sheet::brands::element_cells(&l.brand.fields.code, &number, f))?;
                }
            }
        }
        _ => {
            let mut units: HashMap<UnitId, String> = HashMap::new();
            for page in 1.. {
                let q = HonorQuery { page, per_page: PAGE, ..Default::default() };
                let Page { items: list, .. } = store.honors(root, &Scope::All, &q).await?;
                let n = list.len() as i64;
                for h in &list {
                    let holder = match (h.honor.fields.holder_kind, h.honor.holder_id) {
                        (HolderKind::Brand, Some(b)) => Some(store.brand(BrandId(b)).await?.fields.code),
                        (HolderKind::Unit, Some(u)) => Some(match units.get(&UnitId(u)) {
                            Some(c) => c.clone(),
                            None => {
                                let c = store.unit(UnitId(u)).await?.code;
                                units.insert(UnitId(u), c.clone());
                                c
                            }
                        }),
                        (HolderKind::Person, Some(p)) if personal => {
                            store.person(PersonId(p)).await.ok().and_then(|p| p.fields.id_number)
                        }
                        _ => None,
                    };
                    w.row(&qizhi_sheet::brands::honor_cells(
                        &h.unit_code,
                        &h.honor,
                        holder.as_deref(),
                        h.brand_code.as_deref(),
                    ))?;
                }
                if n < PAGE {
                    break;
                }
            }
        }
    }
    Ok(())
}
