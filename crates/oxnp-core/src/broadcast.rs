//! Broadcasting: the common shape of several shapes, and views that repeat an array along
//! new or length-1 axes with stride 0.

use crate::array::{Array, MAX_DIMS, Shape, Strides, shape_repr};
use crate::error::{Error, Result};

/// Two arguments whose shapes do not broadcast: `first` set the size that `second` conflicts
/// with (NumPy scans output axes left to right, arguments in order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mismatch {
    pub first: usize,
    pub second: usize,
}

/// The broadcast shape of `shapes`, or the first conflicting pair.
pub fn try_broadcast_shapes(shapes: &[&[usize]]) -> std::result::Result<Shape, Mismatch> {
    let nd = shapes.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut out: Shape = smallvec::smallvec![1; nd];
    for (i, dim) in out.iter_mut().enumerate() {
        let mut source = 0;
        for (j, s) in shapes.iter().enumerate() {
            let Some(k) = (i + s.len()).checked_sub(nd) else { continue };
            let d = s[k];
            if d == 1 {
                continue;
            }
            if *dim == 1 {
                *dim = d;
                source = j;
            } else if *dim != d {
                return Err(Mismatch { first: source, second: j });
            }
        }
    }
    Ok(out)
}

/// `(2,3)`: NumPy's compact shape format in broadcasting errors of operators.
pub fn compact_shape(shape: &[usize]) -> String {
    match shape.len() {
        1 => format!("({},)", shape[0]),
        _ => format!("({})", shape.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(",")),
    }
}

/// The error of a ufunc or operator whose operands do not broadcast.
pub fn operands_error(shapes: &[&[usize]]) -> Error {
    let mut msg = String::from("operands could not be broadcast together with shapes ");
    for s in shapes {
        msg.push_str(&compact_shape(s));
        msg.push(' ');
    }
    Error::value(msg)
}

/// The broadcast shape of operator operands (error as `a + b` reports it).
pub fn broadcast_shapes(shapes: &[&[usize]]) -> Result<Shape> {
    try_broadcast_shapes(shapes).map_err(|_| operands_error(shapes))
}

/// The error of `broadcast_shapes` / `broadcast_arrays` (Python tuple reprs).
pub fn mismatch_error(shapes: &[&[usize]], m: Mismatch) -> Error {
    Error::value(format!(
        "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between \
         arg {} with shape {} and arg {} with shape {}.",
        m.first,
        shape_repr(shapes[m.first]),
        m.second,
        shape_repr(shapes[m.second])
    ))
}

/// Strides that present `shape_from`/`strides_from` as `shape` (stride 0 on repeated axes),
/// or None when it does not broadcast.
fn broadcast_strides(shape_from: &[usize], strides_from: &[isize], shape: &[usize]) -> Option<Strides> {
    let extra = shape.len().checked_sub(shape_from.len())?;
    let mut strides: Strides = smallvec::smallvec![0; shape.len()];
    for (k, (&d, &s)) in shape_from.iter().zip(strides_from).enumerate() {
        let target = shape[extra + k];
        if d == target {
            strides[extra + k] = if d == 1 { 0 } else { s };
        } else if d != 1 {
            return None;
        }
    }
    Some(strides)
}

fn view_as(arr: &Array, shape: &[usize], strides: Strides) -> Array {
    // SAFETY: every element of the new view maps (stride 0 on broadcast axes) to an element
    // of `arr`; an empty target shape touches nothing.
    unsafe { arr.view_unchecked(arr.offset(), shape.into(), strides, arr.dtype()) }
}

/// `arr` viewed with `shape` (writeability unchanged); NumPy's `broadcast_to` error.
pub fn broadcast_view(arr: &Array, shape: &[usize]) -> Result<Array> {
    if shape.len() > MAX_DIMS {
        return Err(Error::value(format!(
            "maximum supported dimension for an ndarray is currently {MAX_DIMS}, found {}",
            shape.len()
        )));
    }
    if shape.is_empty() && arr.ndim() > 0 {
        return Err(Error::value("cannot broadcast a non-scalar to a scalar array"));
    }
    if arr.ndim() > shape.len() {
        return Err(Error::value("input operand has more dimensions than allowed by the axis remapping"));
    }
    match broadcast_strides(arr.shape(), arr.strides(), shape) {
        Some(strides) => Ok(view_as(arr, shape, strides)),
        None => Err(Error::value(format!(
            "operands could not be broadcast together with remapped shapes \
             [original->remapped]: {}  and requested shape {}",
            compact_shape(arr.shape()),
            compact_shape(shape)
        ))),
    }
}

/// The source of an assignment into `shape`: leading length-1 axes beyond the destination's
/// may be dropped, as NumPy allows (`a[:] = b[None]`).
pub fn broadcast_for_assign(src: &Array, shape: &[usize]) -> Result<Array> {
    let mut skip = 0;
    while src.ndim() - skip > shape.len() && src.shape()[skip] == 1 {
        skip += 1;
    }
    let strides = broadcast_strides(&src.shape()[skip..], &src.strides()[skip..], shape);
    match strides {
        Some(strides) => Ok(view_as(src, shape, strides)),
        None => Err(Error::value(format!(
            "could not broadcast input array from shape {} into shape {}",
            compact_shape(src.shape()),
            compact_shape(shape)
        ))),
    }
}

/// Whether two arrays have an element byte in common (NumPy's exact `shares_memory`).
/// Disjoint extents or two dense blocks are decided at once; otherwise the element byte
/// ranges of the smaller array are sorted and each element of the larger one is looked up.
pub fn shares_memory(a: &Array, b: &Array) -> bool {
    if !a.may_overlap(b) {
        return false;
    }
    let dense = |x: &Array| x.is_c_contiguous() || x.is_f_contiguous();
    if dense(a) && dense(b) {
        return true;
    }
    let (small, large) = if a.size() <= b.size() { (a, b) } else { (b, a) };
    let mut starts = Vec::with_capacity(small.size());
    let base = small.offset() as isize;
    small.for_each_offset(|o| starts.push(base + o));
    starts.sort_unstable();
    starts.dedup();
    let (s_len, l_len) = (small.itemsize() as isize, large.itemsize() as isize);
    let base = large.offset() as isize;
    let mut found = false;
    large.for_each_offset(|o| {
        if found {
            return;
        }
        let (lo, hi) = (base + o, base + o + l_len);
        // All small elements have one length, so sorted starts mean sorted ends.
        let k = starts.partition_point(|&s| s + s_len <= lo);
        found = k < starts.len() && starts[k] < hi;
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DType, Order};

    #[test]
    fn shapes_and_errors() {
        assert_eq!(broadcast_shapes(&[&[2, 1], &[3], &[]]).unwrap().as_slice(), &[2, 3]);
        assert_eq!(broadcast_shapes(&[&[0, 1], &[1, 4]]).unwrap().as_slice(), &[0, 4]);
        let e = broadcast_shapes(&[&[2, 3], &[4]]).unwrap_err();
        assert_eq!(e.to_string(), "operands could not be broadcast together with shapes (2,3) (4,) ");
        let shapes: [&[usize]; 3] = [&[3], &[4, 1], &[5]];
        let m = try_broadcast_shapes(&shapes).unwrap_err();
        assert_eq!(m, Mismatch { first: 0, second: 2 });
    }

    #[test]
    fn assign_broadcast() {
        let a = Array::zeros(&[1, 1, 2], DType::Int8, Order::C).unwrap();
        let v = broadcast_for_assign(&a, &[3, 2]).unwrap();
        assert_eq!(v.strides(), &[0, 1]);
        let b = Array::zeros(&[3], DType::Int8, Order::C).unwrap();
        let e = broadcast_for_assign(&b, &[2, 2]).unwrap_err();
        assert_eq!(e.to_string(), "could not broadcast input array from shape (3,) into shape (2,2)");
    }
}
