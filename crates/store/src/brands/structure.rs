//! A brand's structure: a tree of elements (理念、载体、活动 …), edited
//! one element at a time or replaced whole.

use qizhi_core::brand::{self, Element, ElementFields, ElementTree};
use qizhi_core::ids::BrandId;

use super::{
    ElementMove, depth_of, element_row, elements_tx, entry, get, height_of, insert_element, insert_tree, too_deep,
    touch,
};
use crate::audit;
use crate::{Store, StoreError, StoreResult, Tx, units};

impl Store {
    pub async fn brand_elements(&self, id: BrandId) -> StoreResult<Vec<Element>> {
        let rows = sqlx::query(
            "SELECT id, brand_id, parent_id, sort_order, kind, title, body FROM brand_elements WHERE brand_id = $1 \
             ORDER BY parent_id, sort_order, id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(element_row).collect()
    }

    /// The structure as a tree.
    pub async fn brand_structure(&self, id: BrandId) -> StoreResult<Vec<ElementTree>> {
        Ok(brand::element_tree(&self.brand_elements(id).await?))
    }

    /// Adds an element as the last child of `parent` (or at the top level).
    pub async fn add_element(&self, id: BrandId, parent: Option<i64>, f: &ElementFields) -> StoreResult<Element> {
        let mut tx = self.write().await?;
        let b = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, b.unit_id).await?;
        let all = elements_tx(&mut tx, id).await?;
        if all.len() >= brand::MAX_ELEMENTS {
            return Err(StoreError::conflict(
                "title",
                format!("品牌结构最多 {} 个元素 (too many elements)", brand::MAX_ELEMENTS),
            ));
        }
        if let Some(p) = parent {
            if !all.iter().any(|e| e.id == p) {
                return Err(StoreError::conflict("parent_id", "上级元素不属于该品牌 (no such parent element)"));
            }
            if depth_of(&all, Some(p)) + 1 > brand::MAX_DEPTH {
                return Err(too_deep());
            }
        }
        let sort = all.iter().filter(|e| e.parent_id == parent).map(|e| e.sort_order).max().unwrap_or(0) + 1;
        let eid = insert_element(&mut tx, id, parent, sort, f).await?;
        touch(&mut tx, id).await?;
        let el = Element { id: eid, brand_id: id, parent_id: parent, sort_order: sort, fields: f.clone() };
        let summary = format!("品牌 {} 增加结构元素 {}", b.fields.name, f.title);
        audit::append(
            &mut tx,
            self.actor.as_ref(),
            &[entry("update", &b, &unit, summary, None::<&Element>, Some(&el))],
        )
        .await?;
        tx.commit().await?;
        Ok(el)
    }

    pub async fn update_element(&self, id: BrandId, element: i64, f: &ElementFields) -> StoreResult<Element> {
        let mut tx = self.write().await?;
        let b = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, b.unit_id).await?;
        let all = elements_tx(&mut tx, id).await?;
        let old = all.into_iter().find(|e| e.id == element).ok_or_else(|| StoreError::not_found("element"))?;
        sqlx::query("UPDATE brand_elements SET kind = $1, title = $2, body = $3 WHERE id = $4")
            .bind(f.kind.code())
            .bind(f.title.as_str())
            .bind(f.text.as_deref())
            .bind(element)
            .execute(&mut *tx)
            .await?;
        touch(&mut tx, id).await?;
        let new = Element { fields: f.clone(), ..old.clone() };
        let summary = format!("品牌 {} 修改结构元素 {}", b.fields.name, f.title);
        audit::append(&mut tx, self.actor.as_ref(), &[entry("update", &b, &unit, summary, Some(&old), Some(&new))])
            .await?;
        tx.commit().await?;
        Ok(new)
    }

    /// Moves an element among its siblings or between levels.
    pub async fn move_element(&self, id: BrandId, element: i64, how: ElementMove) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let b = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, b.unit_id).await?;
        let all = elements_tx(&mut tx, id).await?;
        let el = all.iter().find(|e| e.id == element).cloned().ok_or_else(|| StoreError::not_found("element"))?;
        let mut siblings: Vec<&Element> = all.iter().filter(|e| e.parent_id == el.parent_id).collect();
        siblings.sort_by_key(|e| (e.sort_order, e.id));
        let at = siblings.iter().position(|e| e.id == element).unwrap_or(0);
        // New (parent, order of ids) for the affected level(s).
        let set = |tx_updates: &mut Vec<(i64, Option<i64>, i32)>, parent: Option<i64>, ids: &[i64]| {
            for (i, eid) in ids.iter().enumerate() {
                tx_updates.push((*eid, parent, i as i32 + 1));
            }
        };
        let mut updates = vec![];
        let mut ids: Vec<i64> = siblings.iter().map(|e| e.id).collect();
        match how {
            ElementMove::Up if at > 0 => {
                ids.swap(at, at - 1);
                set(&mut updates, el.parent_id, &ids);
            }
            ElementMove::Down if at + 1 < ids.len() => {
                ids.swap(at, at + 1);
                set(&mut updates, el.parent_id, &ids);
            }
            ElementMove::Indent if at > 0 => {
                let new_parent = ids[at - 1];
                if depth_of(&all, Some(new_parent)) + height_of(&all, element) > brand::MAX_DEPTH {
                    return Err(too_deep());
                }
                let mut kids: Vec<&Element> = all.iter().filter(|e| e.parent_id == Some(new_parent)).collect();
                kids.sort_by_key(|e| (e.sort_order, e.id));
                let mut kid_ids: Vec<i64> = kids.iter().map(|e| e.id).collect();
                kid_ids.push(element);
                ids.remove(at);
                set(&mut updates, el.parent_id, &ids);
                set(&mut updates, Some(new_parent), &kid_ids);
            }
            ElementMove::Outdent if el.parent_id.is_some() => {
                let parent = all.iter().find(|e| Some(e.id) == el.parent_id).cloned().expect("parent is in the brand");
                let mut outer: Vec<&Element> = all.iter().filter(|e| e.parent_id == parent.parent_id).collect();
                outer.sort_by_key(|e| (e.sort_order, e.id));
                let mut outer_ids: Vec<i64> = outer.iter().map(|e| e.id).collect();
                let p_at = outer_ids.iter().position(|e| *e == parent.id).unwrap_or(0);
                outer_ids.insert(p_at + 1, element);
                ids.remove(at);
                set(&mut updates, el.parent_id, &ids);
                set(&mut updates, parent.parent_id, &outer_ids);
            }
            // Already first, last, outermost, or nothing to go into: nothing moves.
            _ => return Ok(()),
        }
        for (eid, parent, sort) in updates {
            sqlx::query("UPDATE brand_elements SET parent_id = $1, sort_order = $2 WHERE id = $3")
                .bind(parent)
                .bind(i64::from(sort))
                .bind(eid)
                .execute(&mut *tx)
                .await?;
        }
        touch(&mut tx, id).await?;
        let summary = format!("品牌 {} 调整结构元素 {} 的位置", b.fields.name, el.fields.title);
        audit::append(
            &mut tx,
            self.actor.as_ref(),
            &[entry("update", &b, &unit, summary, Some(&el), None::<&Element>)],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes an element and everything under it; returns how many went.
    pub async fn delete_element(&self, id: BrandId, element: i64) -> StoreResult<usize> {
        let mut tx = self.write().await?;
        let b = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, b.unit_id).await?;
        let all = elements_tx(&mut tx, id).await?;
        let el = all.iter().find(|e| e.id == element).cloned().ok_or_else(|| StoreError::not_found("element"))?;
        // Children before parents.
        let mut order = vec![element];
        let mut i = 0;
        while i < order.len() {
            let p = order[i];
            order.extend(all.iter().filter(|e| e.parent_id == Some(p)).map(|e| e.id));
            i += 1;
        }
        for eid in order.iter().rev() {
            sqlx::query("DELETE FROM brand_elements WHERE id = $1").bind(eid).execute(&mut *tx).await?;
        }
        touch(&mut tx, id).await?;
        let summary = format!("品牌 {} 删除结构元素 {}（共 {} 个）", b.fields.name, el.fields.title, order.len());
        audit::append(
            &mut tx,
            self.actor.as_ref(),
            &[entry("update", &b, &unit, summary, Some(&el), None::<&Element>)],
        )
        .await?;
        tx.commit().await?;
        Ok(order.len())
    }

    /// Replaces the whole structure; returns the number of elements written.
    pub async fn replace_structure(&self, id: BrandId, tree: &[ElementTree]) -> StoreResult<usize> {
        brand::check_structure(tree)?;
        let mut tx = self.write().await?;
        let b = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, b.unit_id).await?;
        let before = brand::element_tree(&elements_tx(&mut tx, id).await?);
        let n = replace_tree(&mut tx, id, tree).await?;
        touch(&mut tx, id).await?;
        let summary = format!("品牌 {} 更新品牌结构（{n} 个元素）", b.fields.name);
        audit::append(&mut tx, self.actor.as_ref(), &[entry("update", &b, &unit, summary, Some(&before), Some(&tree))])
            .await?;
        tx.commit().await?;
        Ok(n)
    }
}

/// Deletes a brand's structure and writes `tree` in its place.
pub(crate) async fn replace_tree(tx: &mut Tx, id: BrandId, tree: &[ElementTree]) -> StoreResult<usize> {
    // Children before parents (the parent reference is checked per statement).
    loop {
        let n = sqlx::query(
            "DELETE FROM brand_elements WHERE brand_id = $1 AND id NOT IN \
             (SELECT parent_id FROM brand_elements WHERE brand_id = $1 AND parent_id IS NOT NULL)",
        )
        .bind(id.0)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if n == 0 {
            break;
        }
    }
    insert_tree(tx, id, None, tree).await
}
