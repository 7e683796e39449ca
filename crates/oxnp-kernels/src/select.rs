//! Joining and selection kernels: concatenation, three-argument `where`, `nonzero` and the
//! gather along one axis that `take` and friends build on. Every function works on bytes of
//! one itemsize, so one copy serves all 14 dtypes.

use oxnp_core::array::{Shape, Strides, for_each_inner};
use oxnp_core::cast::copy_into;
use oxnp_core::{Array, DType, Error, Order, Result, dispatch};

/// The view `out[..., start:start+len, ...]` along `axis`.
fn axis_slice(out: &Array, axis: usize, start: usize, len: usize) -> Array {
    let mut shape: Shape = out.shape().into();
    shape[axis] = len;
    let strides: Strides = out.strides().into();
    let offset = out.offset() as isize + start as isize * strides[axis];
    // SAFETY: start + len <= out.shape()[axis], so the view stays inside out's extent.
    unsafe { out.view_unchecked(offset as usize, shape, strides, out.dtype()) }
}

/// Copies `parts` one after another along `axis` into `out` (shapes already checked to
/// agree on the other axes), converting dtypes as `copy_into` does.
pub fn concat_into(out: &Array, parts: &[Array], axis: usize) -> Result<()> {
    let mut start = 0;
    for p in parts {
        let len = p.shape()[axis];
        if start + len > out.shape()[axis] {
            return Err(Error::value("concatenate: parts exceed the output along the axis"));
        }
        copy_into(&axis_slice(out, axis, start, len), p)?;
        start += len;
    }
    Ok(())
}

#[inline]
unsafe fn copy_item(src: *const u8, dst: *mut u8, n: usize) {
    // SAFETY: the caller passes element pointers of n valid bytes that do not overlap.
    unsafe { std::ptr::copy_nonoverlapping(src, dst, n) }
}

/// `out = where(cond, x, y)` with all operands already broadcast to `out`'s shape and `x`, `y`
/// of `out`'s dtype. `cond` is read as bytes (any non-zero byte of a bool is true).
pub fn where_into(out: &Array, cond: &Array, x: &Array, y: &Array) -> Result<()> {
    out.check_writeable()?;
    if cond.dtype() != DType::Bool || x.dtype() != out.dtype() || y.dtype() != out.dtype() {
        return Err(Error::value("where: operands must be cast before the kernel"));
    }
    let (op, cp, xp, yp) = (out.as_ptr(), cond.as_ptr(), x.as_ptr(), y.as_ptr());
    // Merge axes all four walk alike (a C-ordered result over contiguous or scalar inputs
    // becomes one run).
    let mut merged: [Strides; 4] =
        [out.strides().into(), cond.strides().into(), x.strides().into(), y.strides().into()];
    let shape = crate::exec::coalesce(out.shape(), &mut merged);
    let strides = [&merged[0][..], &merged[1][..], &merged[2][..], &merged[3][..]];
    let out_shape = &shape[..];
    macro_rules! select_as {
        ($t:ty) => {
            for_each_inner(out_shape, strides, |[o0, c0, x0, y0], n, [os, cs, xs, ys]| {
                // SAFETY: offsets come from each operand's own shape and strides; out is a
                // fresh array, so it overlaps none of the inputs.
                unsafe { select_run::<$t>([op.offset(o0), cp.offset(c0), xp.offset(x0), yp.offset(y0)], n, [os, cs, xs, ys]) }
            })
        };
    }
    match out.itemsize() {
        1 => select_as!(u8),
        2 => select_as!(u16),
        4 => select_as!(u32),
        8 => select_as!(u64),
        16 => select_as!(u128),
        isz => for_each_inner(out_shape, strides, |[o0, c0, x0, y0], n, [os, cs, xs, ys]| {
            for t in 0..n as isize {
                // SAFETY: as above.
                unsafe {
                    let src = if *cp.offset(c0 + t * cs) != 0 { xp.offset(x0 + t * xs) } else { yp.offset(y0 + t * ys) };
                    copy_item(src, op.offset(o0 + t * os), isz);
                }
            }
        }),
    }
    Ok(())
}

/// One inner run of `where` on elements moved as `T` (same size as the dtype's items). A
/// contiguous result and condition with each of `x`, `y` contiguous or a scalar (step 0)
/// take branch-free selects the compiler vectorises.
///
/// # Safety
/// `p` = [out, cond, x, y] point to `n` elements with byte strides `s`; out overlaps no input.
#[inline(always)]
unsafe fn select_run<T: Blend>(p: [*mut u8; 4], n: usize, s: [isize; 4]) {
    let sz = std::mem::size_of::<T>() as isize;
    unsafe {
        if s[0] == sz && s[1] == 1 && (s[2] == sz || s[2] == 0) && (s[3] == sz || s[3] == 0) {
            let (o, c, x, y) = (p[0].cast::<T>(), p[1], p[2].cast::<T>(), p[3].cast::<T>());
            let (xstep, ystep) = (usize::from(s[2] != 0), usize::from(s[3] != 0));
            #[cfg(target_arch = "x86_64")]
            if crate::loops::has_avx2_fma() {
                // SAFETY: the CPU has AVX2.
                select_contig_avx2(o, c, x, y, xstep, ystep, n);
                return;
            }
            select_contig(o, c, x, y, xstep, ystep, n);
            return;
        }
        for t in 0..n as isize {
            let src = if *p[1].offset(t * s[1]) != 0 { p[2].offset(t * s[2]) } else { p[3].offset(t * s[3]) };
            p[0].offset(t * s[0]).cast::<T>().write_unaligned(src.cast::<T>().read_unaligned());
        }
    }
}

/// Unsigned integers of each itemsize: a bitwise blend the compiler vectorises (a plain
/// `if` on loaded values may be turned back into per-lane branches).
trait Blend: Copy {
    fn blend(c: u8, a: Self, b: Self) -> Self;
}

macro_rules! blend_impl {
    ($($t:ty),*) => {$(
        impl Blend for $t {
            #[inline(always)]
            fn blend(c: u8, a: Self, b: Self) -> Self {
                let m = (<$t>::from(c != 0)).wrapping_neg();
                (a & m) | (b & !m)
            }
        }
    )*};
}
blend_impl!(u8, u16, u32, u64, u128);

/// `o[i] = c[i] != 0 ? x[i*xstep] : y[i*ystep]` (steps 0 or 1), both sides loaded first so
/// that the loop is a branch-free, vectorised blend.
///
/// # Safety
/// `o`, `c` hold `n` elements; `x`, `y` hold `n` elements when their step is 1, else one.
#[inline(always)]
unsafe fn select_contig<T: Blend>(o: *mut T, c: *const u8, x: *const T, y: *const T, xstep: usize, ystep: usize, n: usize) {
    macro_rules! blend {
        ($xi:expr, $yi:expr) => {
            for i in 0..n {
                // SAFETY: as the caller's.
                unsafe {
                    let (a, b) = (x.add($xi(i)).read_unaligned(), y.add($yi(i)).read_unaligned());
                    o.add(i).write_unaligned(T::blend(*c.add(i), a, b));
                }
            }
        };
    }
    let id = |i: usize| i;
    let zero = |_: usize| 0usize;
    match (xstep, ystep) {
        (1, 1) => blend!(id, id),
        (1, _) => blend!(id, zero),
        (_, 1) => blend!(zero, id),
        _ => blend!(zero, zero),
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn select_contig_avx2<T: Blend>(o: *mut T, c: *const u8, x: *const T, y: *const T, xstep: usize, ystep: usize, n: usize) {
    // SAFETY: as the caller's.
    unsafe { select_contig(o, c, x, y, xstep, ystep, n) }
}

/// Whether each element is non-zero, as a C-ordered bool array (NaN counts as non-zero,
/// -0.0 as zero).
pub fn truth(a: &Array) -> Result<Array> {
    if a.dtype() == DType::Bool {
        // Normalize foreign bool bytes through a byte compare.
        let out = Array::empty(a.shape(), DType::Bool, Order::C)?;
        let (sp, dp) = (a.as_ptr(), out.as_ptr());
        let mut k = 0isize;
        for_each_inner(a.shape(), [a.strides()], |[s0], n, [ss]| {
            for t in 0..n as isize {
                // SAFETY: s0 + t*ss is an element of a; k < out.size().
                unsafe { *dp.offset(k) = u8::from(*sp.offset(s0 + t * ss) != 0) };
                k += 1;
            }
        });
        return Ok(out);
    }
    dispatch!(a.dtype(), T => {
        let zero: T = oxnp_core::cast::convert::<i64, T>(0);
        let v: Vec<bool> = a.to_vec::<T>().into_iter().map(|x| x != zero).collect();
        Array::from_vec(a.shape(), v)
    })
}

/// The indices of the non-zero elements, one int64 array per axis (C order). A 0-d input
/// is treated as 1-d, as NumPy's `nonzero(atleast_1d(a))`.
pub fn nonzero(a: &Array) -> Result<Vec<Array>> {
    // A C-contiguous bool array is read in place (any nonzero byte counts as true).
    let t = if a.dtype() == DType::Bool && a.is_c_contiguous() { a.clone() } else { truth(a)? };
    // SAFETY: a C-contiguous bool array's elements are `size` consecutive bytes.
    let bytes: &[u8] = unsafe { std::slice::from_raw_parts(t.as_ptr(), t.size()) };
    let shape: Shape = if a.ndim() == 0 { Shape::from_slice(&[1]) } else { a.shape().into() };
    let nd = shape.len();
    let count = oxnp_core::index::count_true(bytes);
    // One slot of slack: every element writes its position at the next free slot and only
    // a true one advances, so the writes need no branch on the (unpredictable) mask.
    let mut cols: Vec<Vec<i64>> = (0..nd).map(|_| vec![0i64; count + 1]).collect();
    let row_len = shape[nd - 1];
    if let (true, Some((last, outer_cols))) = (count > 0, cols.split_last_mut()) {
        // Row by row: the outer position is an odometer over the leading axes, and runs of
        // eight false bytes are skipped a word at a time.
        let mut outer = vec![0i64; nd - 1];
        let mut k = 0;
        let outer_ptrs: Vec<*mut i64> = outer_cols.iter_mut().map(|c| c.as_mut_ptr()).collect();
        let last_ptr = last.as_mut_ptr();
        for row in bytes.chunks(row_len) {
            let visit = |j: usize, k: &mut usize| {
                // SAFETY: k counts the trues before this element, so k <= count, and every
                // column has count + 1 slots.
                unsafe {
                    for (&c, &i) in outer_ptrs.iter().zip(&outer) {
                        *c.add(*k) = i;
                    }
                    *last_ptr.add(*k) = j as i64;
                }
                *k += usize::from(row[j] != 0);
            };
            let mut groups = row.chunks_exact(8);
            for (g, group) in groups.by_ref().enumerate() {
                if group.iter().any(|&b| b != 0) {
                    (g * 8..g * 8 + 8).for_each(|j| visit(j, &mut k));
                }
            }
            let tail = row.len() - groups.remainder().len();
            (tail..row.len()).for_each(|j| visit(j, &mut k));
            for d in (0..nd - 1).rev() {
                outer[d] += 1;
                if (outer[d] as usize) < shape[d] {
                    break;
                }
                outer[d] = 0;
            }
        }
    }
    cols.into_iter()
        .map(|mut c| {
            c.truncate(count);
            Array::from_vec(&[count], c)
        })
        .collect()
}

/// `a` gathered along `axis` at the (already normalized, in-bounds) positions `idx` laid out
/// in `idx_shape`: the result has shape `a.shape[:axis] + idx_shape + a.shape[axis+1:]`.
pub fn take_axis(a: &Array, idx: &[usize], idx_shape: &[usize], axis: usize) -> Result<Array> {
    let inner_shape = &a.shape()[axis + 1..];
    let mut shape: Shape = a.shape()[..axis].into();
    shape.extend_from_slice(idx_shape);
    shape.extend_from_slice(inner_shape);
    let out = Array::empty(&shape, a.dtype(), Order::C)?;
    if out.size() == 0 {
        return Ok(out);
    }
    let isz = a.itemsize();
    let inner_strides = &a.strides()[axis + 1..];
    let outer_shape = &a.shape()[..axis];
    let outer_strides = &a.strides()[..axis];
    let ax_stride = a.strides()[axis];
    let (sp, dp) = (a.as_ptr(), out.as_ptr());
    let mut k = 0isize;
    let mut visit_outer = |base: isize| {
        for &i in idx {
            let row = base + i as isize * ax_stride;
            if inner_shape.is_empty() {
                // SAFETY: row is an element of a; k indexes a fresh C-contiguous out.
                unsafe { copy_item(sp.offset(row), dp.offset(k), isz) };
                k += isz as isize;
            } else {
                for_each_inner(inner_shape, [inner_strides], |[s0], n, [ss]| {
                    for t in 0..n as isize {
                        // SAFETY: as above, within the inner block of row.
                        unsafe { copy_item(sp.offset(row + s0 + t * ss), dp.offset(k), isz) };
                        k += isz as isize;
                    }
                });
            }
        }
    };
    if outer_shape.is_empty() {
        visit_outer(0);
    } else {
        for_each_inner(outer_shape, [outer_strides], |[o0], n, [os]| {
            for t in 0..n as isize {
                visit_outer(o0 + t * os);
            }
        });
    }
    Ok(out)
}
