//! Splitting a total into parts by weight, exactly: the article's counts
//! (179 branches, 1711 grids, 1989 members) must come out to the unit.

/// Splits `total` into parts proportional to the weights (largest
/// remainder), part `i` getting at least `floors[i]`. Ties go to the earlier
/// part, so the split is deterministic.
pub fn split(total: u32, weights: &[f64], floors: &[u32]) -> Vec<u32> {
    assert_eq!(weights.len(), floors.len());
    let floor_sum: u32 = floors.iter().sum();
    assert!(total >= floor_sum, "cannot split {total} with floors summing to {floor_sum}");
    if weights.is_empty() {
        assert_eq!(total, 0, "nothing to split {total} into");
        return vec![];
    }
    let rest = total - floor_sum;
    let weight_sum: f64 = weights.iter().sum();
    let exact: Vec<f64> =
        weights
            .iter()
            .map(|w| {
                if weight_sum > 0.0 { f64::from(rest) * w / weight_sum } else { f64::from(rest) / weights.len() as f64 }
            })
            .collect();
    let mut parts: Vec<u32> = exact.iter().map(|e| e.floor() as u32).collect();
    let mut left = rest - parts.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().cycle() {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts.iter_mut().zip(floors).for_each(|(p, f)| *p += f);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_add_up_and_respect_floors() {
        let parts = split(179, &[3.0, 2.0, 1.0, 1.0, 1.5], &[1, 1, 1, 1, 1]);
        assert_eq!(parts.iter().sum::<u32>(), 179);
        assert!(parts[0] > parts[1] && parts[1] > parts[2]);
        assert_eq!(split(10, &[1.0, 1.0, 1.0], &[0, 0, 0]), [4, 3, 3]);
        assert_eq!(split(5, &[0.0, 0.0], &[2, 2]), [3, 2]);
    }
}
