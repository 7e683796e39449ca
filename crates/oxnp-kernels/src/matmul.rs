//! Matrix products: the kernel behind `matmul`, `@`, `dot`, `inner`, `vdot` and `einsum`'s
//! contractions.
//!
//! - float32 / float64 / complex64 / complex128 go through faer's GEMM (packing, SIMD micro
//!   kernels, both cores for big products). faer sums in a different order than OpenBLAS, so
//!   these results match NumPy to rounding (a few ulps per term), not bit for bit.
//! - float16 is computed as NumPy's non-BLAS loop does: each output element is one sequential
//!   float32 sum over k of float32 products, rounded to float16 once. Bit-identical.
//! - integers: an exact loop with wrapping arithmetic (NumPy's integer matmul wraps).
//! - bool: logical or of ands.

use oxnp_core::cast::{F16Exact, f16_from_f32};
use faer::{Accum, MatMut, MatRef, Par};
use half::f16;
use num_complex::{Complex32, Complex64};
use oxnp_core::array::for_each_inner;
use oxnp_core::{Array, DType, Error, Order, Result};

/// Products with at least this many multiply-adds use every rayon thread.
const PARALLEL_FLOPS: usize = 1 << 18;

/// `out[..., i, j] = sum_k a[..., i, k] * b[..., k, j]`.
///
/// `a` is `(batch..., n, k)`, `b` is `(batch..., k, m)`, `out` is `(batch..., n, m)` with
/// the same batch shape (inputs may be broadcast views with stride 0). All three have the
/// same dtype. `out` must not overlap `a` or `b` (the caller computes into a temporary then).
pub fn matmul_into(a: &Array, b: &Array, out: &Array) -> Result<()> {
    let nd = out.ndim();
    if nd < 2 || a.ndim() != nd || b.ndim() != nd {
        return Err(Error::value("matmul kernel: operands must have the same ndim >= 2"));
    }
    if a.dtype() != out.dtype() || b.dtype() != out.dtype() {
        return Err(Error::value("matmul kernel: operands must be cast before the kernel"));
    }
    out.check_writeable()?;
    let (n, k, m) = (a.shape()[nd - 2], a.shape()[nd - 1], b.shape()[nd - 1]);
    if b.shape()[nd - 2] != k || out.shape()[nd - 2] != n || out.shape()[nd - 1] != m {
        return Err(Error::value("matmul kernel: core dimensions do not agree"));
    }
    let batch = &out.shape()[..nd - 2];
    if &a.shape()[..nd - 2] != batch || &b.shape()[..nd - 2] != batch {
        return Err(Error::value("matmul kernel: batch dimensions do not agree"));
    }
    if out.size() == 0 {
        return Ok(());
    }
    match out.dtype() {
        DType::Float32 => gemm_batched::<f32>(a, b, out),
        DType::Float64 => gemm_batched::<f64>(a, b, out),
        DType::Complex64 => gemm_batched::<Complex32>(a, b, out),
        DType::Complex128 => gemm_batched::<Complex64>(a, b, out),
        DType::Float16 => naive_batched::<f16>(a, b, out),
        DType::Bool => naive_batched::<bool>(a, b, out),
        DType::Int8 => naive_batched::<i8>(a, b, out),
        DType::UInt8 => naive_batched::<u8>(a, b, out),
        DType::Int16 => naive_batched::<i16>(a, b, out),
        DType::UInt16 => naive_batched::<u16>(a, b, out),
        DType::Int32 => naive_batched::<i32>(a, b, out),
        DType::UInt32 => naive_batched::<u32>(a, b, out),
        DType::Int64 => naive_batched::<i64>(a, b, out),
        DType::UInt64 => naive_batched::<u64>(a, b, out),
    }
}

/// Whether faer can address `x` directly: aligned start and strides whole elements.
fn element_addressable(x: &Array) -> bool {
    let isz = x.itemsize() as isize;
    let align = x.dtype().alignment();
    (x.as_ptr() as usize) % align == 0 && x.strides().iter().zip(x.shape()).all(|(&s, &d)| d <= 1 || s % isz == 0)
}

/// Element strides of `x` (byte strides of length-1 axes may be anything; they become 0).
fn elem_strides(x: &Array) -> Vec<isize> {
    let isz = x.itemsize() as isize;
    x.strides().iter().zip(x.shape()).map(|(&s, &d)| if d <= 1 { 0 } else { s / isz }).collect()
}

/// Calls `f(a_off, b_off, o_off)` (byte offsets) for every matrix of the batch.
fn for_each_matrix(a: &Array, b: &Array, out: &Array, mut f: impl FnMut(isize, isize, isize)) {
    let nd = out.ndim();
    let batch = &out.shape()[..nd - 2];
    for_each_inner(
        batch,
        [&a.strides()[..nd - 2], &b.strides()[..nd - 2], &out.strides()[..nd - 2]],
        |[a0, b0, o0], len, [sa, sb, so]| {
            for t in 0..len as isize {
                f(a0 + t * sa, b0 + t * sb, o0 + t * so);
            }
        },
    );
}

trait Gemm: faer::traits::ComplexField + oxnp_core::Element {
    fn zero() -> Self;
}
impl Gemm for f32 {
    fn zero() -> Self {
        0.0
    }
}
impl Gemm for f64 {
    fn zero() -> Self {
        0.0
    }
}
impl Gemm for Complex32 {
    fn zero() -> Self {
        Complex32::new(0.0, 0.0)
    }
}
impl Gemm for Complex64 {
    fn zero() -> Self {
        Complex64::new(0.0, 0.0)
    }
}

fn gemm_batched<T: Gemm>(a: &Array, b: &Array, out: &Array) -> Result<()> {
    let a = if element_addressable(a) { a.clone() } else { a.copy(Order::C)? };
    let b = if element_addressable(b) { b.clone() } else { b.copy(Order::C)? };
    if !element_addressable(out) {
        let tmp = Array::empty(out.shape(), out.dtype(), Order::C)?;
        gemm_batched::<T>(&a, &b, &tmp)?;
        return oxnp_core::cast::copy_into(out, &tmp);
    }
    let nd = out.ndim();
    let (n, k, m) = (a.shape()[nd - 2], a.shape()[nd - 1], b.shape()[nd - 1]);
    let (sa, sb, so) = (elem_strides(&a), elem_strides(&b), elem_strides(out));
    let (ar, ac, br, bc, or, oc) = (sa[nd - 2], sa[nd - 1], sb[nd - 2], sb[nd - 1], so[nd - 2], so[nd - 1]);
    let par = if n.saturating_mul(k).saturating_mul(m) >= PARALLEL_FLOPS { Par::rayon(0) } else { Par::Seq };
    let (pa, pb, po) = (a.as_ptr(), b.as_ptr(), out.as_ptr());
    for_each_matrix(&a, &b, out, |a0, b0, o0| {
        // SAFETY: the offsets and element strides come from each array's own geometry
        // (bounds invariant); strides are whole elements and pointers aligned (checked
        // above); out is writeable and overlaps neither input (caller's contract).
        unsafe {
            let mut dst = MatMut::<T>::from_raw_parts_mut(po.offset(o0).cast::<T>(), n, m, or, oc);
            // Accumulating onto +0 (as BLAS's beta = 0 sums do) gives NumPy's +0 where every
            // product is a signed zero; faer's Replace would keep a lone -0.
            dst.fill(T::zero());
            if k == 0 {
                return;
            }
            let lhs = MatRef::<T>::from_raw_parts(pa.offset(a0).cast::<T>(), n, k, ar, ac);
            let rhs = MatRef::<T>::from_raw_parts(pb.offset(b0).cast::<T>(), k, m, br, bc);
            faer::linalg::matmul::matmul(dst, Accum::Add, lhs, rhs, T::one_impl(), par);
        }
    });
    Ok(())
}

/// The exact (non-BLAS) loop: per element type, how a product is accumulated.
trait Naive: oxnp_core::Element {
    type Acc: Copy + Send + Sync;
    const ZERO: Self::Acc;
    /// Reads an element (bools as any non-zero byte).
    unsafe fn load(p: *const u8) -> Self::Acc;
    fn madd(acc: Self::Acc, a: Self::Acc, b: Self::Acc) -> Self::Acc;
    fn finish(acc: Self::Acc) -> Self;
}

macro_rules! naive_int {
    ($($t:ty),*) => {$(
        impl Naive for $t {
            type Acc = $t;
            const ZERO: $t = 0;
            #[inline]
            unsafe fn load(p: *const u8) -> $t {
                // SAFETY: the caller passes a pointer to one element.
                unsafe { p.cast::<$t>().read_unaligned() }
            }
            #[inline]
            fn madd(acc: $t, a: $t, b: $t) -> $t {
                acc.wrapping_add(a.wrapping_mul(b))
            }
            #[inline]
            fn finish(acc: $t) -> $t {
                acc
            }
        }
    )*};
}
naive_int!(i8, u8, i16, u16, i32, u32, i64, u64);

impl Naive for bool {
    type Acc = u8;
    const ZERO: u8 = 0;
    #[inline]
    unsafe fn load(p: *const u8) -> u8 {
        // SAFETY: the caller passes a pointer to one element.
        (unsafe { *p } != 0) as u8
    }
    #[inline]
    fn madd(acc: u8, a: u8, b: u8) -> u8 {
        acc | (a & b)
    }
    #[inline]
    fn finish(acc: u8) -> bool {
        acc != 0
    }
}

impl Naive for f16 {
    type Acc = f32;
    const ZERO: f32 = 0.0;
    #[inline]
    unsafe fn load(p: *const u8) -> f32 {
        // SAFETY: the caller passes a pointer to one element.
        unsafe { p.cast::<f16>().read_unaligned() }.to_f32_exact()
    }
    #[inline]
    fn madd(acc: f32, a: f32, b: f32) -> f32 {
        // Two roundings (no fused multiply-add), as NumPy's C loop.
        acc + a * b
    }
    #[inline]
    fn finish(acc: f32) -> f16 {
        f16_from_f32(acc)
    }
}

fn naive_batched<T: Naive>(a: &Array, b: &Array, out: &Array) -> Result<()> {
    let nd = out.ndim();
    let (n, k, m) = (a.shape()[nd - 2], a.shape()[nd - 1], b.shape()[nd - 1]);
    let (ar, ac) = (a.strides()[nd - 2], a.strides()[nd - 1]);
    let (br, bc) = (b.strides()[nd - 2], b.strides()[nd - 1]);
    let (or, oc) = (out.strides()[nd - 2], out.strides()[nd - 1]);
    let (pa, pb, po) = (a.as_ptr(), b.as_ptr(), out.as_ptr());
    let mut la: Vec<T::Acc> = vec![T::ZERO; n * k];
    let mut lb: Vec<T::Acc> = vec![T::ZERO; k * m];
    let mut acc: Vec<T::Acc> = vec![T::ZERO; n * m];
    for_each_matrix(a, b, out, |a0, b0, o0| {
        // SAFETY: every offset is built from the arrays' own shapes and strides.
        unsafe {
            for i in 0..n {
                for p in 0..k {
                    la[i * k + p] = T::load(pa.offset(a0 + i as isize * ar + p as isize * ac));
                }
            }
            for p in 0..k {
                for j in 0..m {
                    lb[p * m + j] = T::load(pb.offset(b0 + p as isize * br + j as isize * bc));
                }
            }
        }
        acc.fill(T::ZERO);
        // i-k-j order: each output element still sums over k in increasing order.
        for i in 0..n {
            let row = &mut acc[i * m..(i + 1) * m];
            for p in 0..k {
                let x = la[i * k + p];
                let brow = &lb[p * m..(p + 1) * m];
                for (o, &y) in row.iter_mut().zip(brow) {
                    *o = T::madd(*o, x, y);
                }
            }
        }
        for i in 0..n {
            for j in 0..m {
                // SAFETY: as above; out does not overlap the inputs.
                unsafe {
                    po.offset(o0 + i as isize * or + j as isize * oc).cast::<T>().write_unaligned(T::finish(acc[i * m + j]))
                };
            }
        }
    });
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The NumPy-facing operations: shape rules, type resolution, casting and `out=`.
// ---------------------------------------------------------------------------------------

use oxnp_core::broadcast::compact_shape as compact_shape_text;
use oxnp_core::broadcast::try_broadcast_shapes;
use oxnp_core::cast::{can_cast, copy_into};
use oxnp_core::promote::promote_types;
use oxnp_core::shape::{CopyMode, reshape};
use oxnp_core::{Array as Arr, Casting, Shape, Strides};

const SIG: &str = "(n?,k),(k,m?)->(n?,m?)";

/// Products of at least this many multiply-adds are worth releasing the GIL for.
pub const DETACH_FLOPS: usize = 1 << 14;

fn ufunc_cast_error(what: &str, from: DType, to: DType, casting: Casting) -> Error {
    Error::UFuncType(format!(
        "Cannot cast ufunc 'matmul' {what} from dtype('{}') to dtype('{}') with casting rule '{}'",
        from.name(),
        to.name(),
        casting.name()
    ))
}

/// A view of `x` with a length-1 axis inserted at `pos`.
fn insert_axis(x: &Arr, pos: usize) -> Arr {
    let mut shape: Shape = x.shape().into();
    let mut strides: Strides = x.strides().into();
    shape.insert(pos, 1);
    strides.insert(pos, 0);
    // SAFETY: a length-1 axis adds no offset.
    unsafe { x.view_unchecked(x.offset(), shape, strides, x.dtype()) }
}

/// `x` viewed with shape `batch + core` (core = its last `ncore` axes), batch axes broadcast
/// with stride 0.
fn broadcast_batch(x: &Arr, batch: &[usize], ncore: usize) -> Arr {
    let nd = x.ndim();
    let xb = nd - ncore;
    let mut shape: Shape = batch.into();
    let mut strides: Strides = Strides::from_elem(0, batch.len());
    let lead = batch.len() - xb;
    for k in 0..xb {
        if x.shape()[k] == batch[lead + k] {
            strides[lead + k] = x.strides()[k];
        }
    }
    shape.extend_from_slice(&x.shape()[xb..]);
    strides.extend_from_slice(&x.strides()[xb..]);
    // SAFETY: broadcast axes have stride 0 (or match x's own extent); the core axes are x's.
    unsafe { x.view_unchecked(x.offset(), shape, strides, x.dtype()) }
}

/// Approximate work of a product (multiply-adds), for deciding to release the GIL.
pub fn matmul_flops(a: &Arr, b: &Arr) -> usize {
    let ka = a.shape().last().copied().unwrap_or(1);
    a.size().saturating_mul(b.size()) / ka.max(1)
}

/// `numpy.matmul(a, b, out=out, dtype=dtype, casting=casting)` on arrays (no `axes`).
/// Returns the result array (a view of `out` when one is given: the caller returns `out`).
pub fn matmul(a: &Arr, b: &Arr, out: Option<&Arr>, dtype: Option<DType>, casting: Casting) -> Result<Arr> {
    for (i, x) in [a, b].into_iter().enumerate() {
        if x.ndim() == 0 {
            return Err(Error::value(format!(
                "matmul: Input operand {i} does not have enough dimensions (has 0, gufunc core with signature {SIG} requires 1)"
            )));
        }
    }
    let dt = dtype.unwrap_or_else(|| promote_types(a.dtype(), b.dtype()));
    for (i, x) in [a, b].into_iter().enumerate() {
        if !can_cast(x.dtype(), dt, casting) {
            return Err(ufunc_cast_error(&format!("input {i}"), x.dtype(), dt, casting));
        }
    }
    if let Some(o) = out {
        if !can_cast(dt, o.dtype(), casting) {
            return Err(ufunc_cast_error("output", dt, o.dtype(), casting));
        }
    }
    let (a1, b1) = (a.ndim() == 1, b.ndim() == 1);
    let a2 = if a1 { insert_axis(a, 0) } else { a.clone() };
    let b2 = if b1 { insert_axis(b, 1) } else { b.clone() };
    let (na, nb) = (a2.ndim(), b2.ndim());
    let (n, k) = (a2.shape()[na - 2], a2.shape()[na - 1]);
    let (kb, m) = (b2.shape()[nb - 2], b2.shape()[nb - 1]);
    if k != kb {
        return Err(Error::value(format!(
            "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature {SIG} (size {kb} is different from {k})"
        )));
    }
    let ncore_out = (!a1) as usize + (!b1) as usize;
    let mut shapes: Vec<&[usize]> = vec![&a2.shape()[..na - 2], &b2.shape()[..nb - 2]];
    if let Some(o) = out {
        if o.ndim() < ncore_out {
            return Err(Error::value(format!(
                "matmul: Output operand 0 does not have enough dimensions (has {}, gufunc core with signature {SIG} requires {ncore_out})",
                o.ndim()
            )));
        }
        let core = &o.shape()[o.ndim() - ncore_out..];
        let want: Vec<usize> = [(!a1).then_some(n), (!b1).then_some(m)].into_iter().flatten().collect();
        for (d, (&got, &w)) in core.iter().zip(&want).enumerate() {
            if got != w {
                return Err(Error::value(format!(
                    "matmul: Output operand 0 has a mismatch in its core dimension {d}, with gufunc signature {SIG} (size {got} is different from {w})"
                )));
            }
        }
        shapes.push(&o.shape()[..o.ndim() - ncore_out]);
    }
    let batch: Shape = try_broadcast_shapes(&shapes).map_err(|_| {
        let remap = |x: &Arr, ncore: usize| {
            let nd = x.ndim();
            let mut s = compact_shape_text(x.shape());
            s.push_str("->");
            let mut parts: Vec<String> = x.shape()[..nd - ncore].iter().map(|d| d.to_string()).collect();
            parts.extend(std::iter::repeat_n("newaxis".to_string(), ncore));
            s.push_str(&format!("({})", parts.join(",")));
            s
        };
        let mut msg = String::from("operands could not be broadcast together with remapped shapes [original->remapped]: ");
        msg.push_str(&remap(a, 1 + !a1 as usize));
        msg.push(' ');
        msg.push_str(&remap(b, 1 + !b1 as usize));
        let req: Vec<usize> = [(!a1).then_some(n), (!b1).then_some(m)].into_iter().flatten().collect();
        msg.push_str(&format!("  and requested shape {}", compact_shape_text(&req)));
        Error::value(msg)
    })?;
    if let Some(o) = out {
        if o.shape()[..o.ndim() - ncore_out] != batch[..] {
            let mut full: Vec<usize> = batch.to_vec();
            full.extend([(!a1).then_some(n), (!b1).then_some(m)].into_iter().flatten());
            return Err(Error::value(format!(
                "non-broadcastable output operand with shape {} doesn't match the broadcast shape {}",
                compact_shape_text(o.shape()),
                compact_shape_text(&full)
            )));
        }
    }
    // Inputs in the loop dtype (cast before broadcasting, so a broadcast is not materialised).
    let ac = if a2.dtype() == dt { a2 } else { a2_cast(&a2, dt)? };
    let bc = if b2.dtype() == dt { b2 } else { a2_cast(&b2, dt)? };
    let ab = broadcast_batch(&ac, &batch, 2);
    let bb = broadcast_batch(&bc, &batch, 2);
    let mut full: Shape = batch.clone();
    full.push(n);
    full.push(m);
    match out {
        Some(o) => {
            // The out view with the 1-D operands' length-1 axes put back.
            let mut ov = o.clone();
            if a1 {
                ov = insert_axis(&ov, ov.ndim() - if b1 { 0 } else { 1 });
            }
            if b1 {
                ov = insert_axis(&ov, ov.ndim());
            }
            o.check_writeable()?;
            if ov.dtype() == dt && !ov.may_overlap(&ab) && !ov.may_overlap(&bb) {
                matmul_into(&ab, &bb, &ov)?;
            } else {
                let tmp = Arr::empty(&full, dt, Order::C)?;
                matmul_into(&ab, &bb, &tmp)?;
                copy_into(&ov, &tmp)?;
            }
            Ok(o.clone())
        }
        None => {
            let r = Arr::empty(&full, dt, Order::C)?;
            matmul_into(&ab, &bb, &r)?;
            let mut shape: Shape = batch;
            if !a1 {
                shape.push(n);
            }
            if !b1 {
                shape.push(m);
            }
            Ok(reshape(&r, &shape.iter().map(|&d| d as isize).collect::<Vec<_>>(), Order::C, CopyMode::IfNeeded)?.0)
        }
    }
}

fn a2_cast(x: &Arr, dt: DType) -> Result<Arr> {
    let o = Arr::empty(x.shape(), dt, Order::C)?;
    copy_into(&o, x)?;
    Ok(o)
}

fn not_aligned(a: &Arr, b: &Arr, da: usize, db: usize) -> Error {
    Error::value(format!(
        "shapes {} and {} not aligned: {} (dim {da}) != {} (dim {db})",
        compact_shape_text(a.shape()),
        compact_shape_text(b.shape()),
        a.shape()[da],
        b.shape()[db]
    ))
}

/// `(rows, k) @ (k, cols)` of 2-D views in dtype `dt` into a fresh C array reshaped to `shape`.
fn product_2d(x: &Arr, y: &Arr, dt: DType, shape: &[usize]) -> Result<Arr> {
    let xc = if x.dtype() == dt { x.clone() } else { a2_cast(x, dt)? };
    let yc = if y.dtype() == dt { y.clone() } else { a2_cast(y, dt)? };
    let r = Arr::empty(&[x.shape()[0], y.shape()[1]], dt, Order::C)?;
    matmul_into(&xc, &yc, &r)?;
    Ok(reshape(&r, &shape.iter().map(|&d| d as isize).collect::<Vec<_>>(), Order::C, CopyMode::IfNeeded)?.0)
}

/// `x` (any shape) as a 2-D `(size / last, last)` array (a view when possible).
fn as_rows(x: &Arr) -> Result<Arr> {
    let k = *x.shape().last().unwrap_or(&1);
    let rows = x.size().checked_div(k).unwrap_or_else(|| x.shape()[..x.ndim().saturating_sub(1)].iter().product());
    Ok(reshape(x, &[rows as isize, k as isize], Order::C, CopyMode::IfNeeded)?.0)
}

/// `numpy.dot(a, b)` for arrays of ndim >= 1 (0-d operands are the caller's `multiply`).
/// The result has dtype `promote(a, b)`; a 0-d result is a 0-d array.
pub fn dot(a: &Arr, b: &Arr) -> Result<Arr> {
    let dt = promote_types(a.dtype(), b.dtype());
    let (na, nb) = (a.ndim(), b.ndim());
    let ka = a.shape()[na - 1];
    let bk_axis = if nb == 1 { 0 } else { nb - 2 };
    if ka != b.shape()[bk_axis] {
        return Err(not_aligned(a, b, na - 1, bk_axis));
    }
    let mut shape: Vec<usize> = a.shape()[..na - 1].to_vec();
    if nb >= 2 {
        shape.extend_from_slice(&b.shape()[..nb - 2]);
        shape.push(b.shape()[nb - 1]);
    }
    let x = as_rows(a)?;
    // b as (k, rest): move the contracted axis first, then flatten the others.
    let y = if nb == 1 {
        insert_axis(b, 1)
    } else if nb == 2 {
        b.clone()
    } else {
        let mut perm: Vec<isize> = vec![(nb - 2) as isize];
        perm.extend((0..nb).filter(|&d| d != nb - 2).map(|d| d as isize));
        let t = oxnp_core::shape::transpose(b, Some(&perm))?;
        let cols: usize = t.shape()[1..].iter().product();
        reshape(&t, &[ka as isize, cols as isize], Order::C, CopyMode::IfNeeded)?.0
    };
    product_2d(&x, &y, dt, &shape)
}

/// `numpy.inner(a, b)` for arrays of ndim >= 1: sums over the last axes of both.
pub fn inner(a: &Arr, b: &Arr) -> Result<Arr> {
    let dt = promote_types(a.dtype(), b.dtype());
    let (na, nb) = (a.ndim(), b.ndim());
    if a.shape()[na - 1] != b.shape()[nb - 1] {
        return Err(not_aligned(a, b, na - 1, nb - 1));
    }
    let mut shape: Vec<usize> = a.shape()[..na - 1].to_vec();
    shape.extend_from_slice(&b.shape()[..nb - 1]);
    let x = as_rows(a)?;
    let y = oxnp_core::shape::transpose(&as_rows(b)?, None)?;
    product_2d(&x, &y, dt, &shape)
}

/// `numpy.vdot(a, b)`: both flattened (C order), the first conjugated; a 0-d result.
pub fn vdot(a: &Arr, b: &Arr) -> Result<Arr> {
    let dt = promote_types(a.dtype(), b.dtype());
    let flat = |x: &Arr, other: usize| -> Result<Arr> {
        Ok(reshape(x, &[other as isize], Order::C, CopyMode::IfNeeded)?.0)
    };
    let x = flat(a, a.size())?;
    let y = flat(b, x.size())?;
    let mut xc = if x.dtype() == dt { x } else { a2_cast(&x, dt)? };
    if dt.is_complex() {
        let c = Arr::empty(xc.shape(), dt, Order::C)?;
        copy_into(&c, &xc)?;
        conj_in_place(&c);
        xc = c;
    }
    product_2d(&insert_axis(&xc, 0), &insert_axis(&y, 1), dt, &[])
}

fn conj_in_place(c: &Arr) {
    match c.dtype() {
        DType::Complex64 => {
            // SAFETY: a fresh contiguous array this function owns.
            for v in unsafe { c.as_slice_mut::<Complex32>() }.into_iter().flatten() {
                v.im = -v.im;
            }
        }
        DType::Complex128 => {
            // SAFETY: as above.
            for v in unsafe { c.as_slice_mut::<Complex64>() }.into_iter().flatten() {
                v.im = -v.im;
            }
        }
        _ => {}
    }
}

/// (has NaN, has infinity) among the elements of a float or complex array.
fn nonfinite(x: &Arr) -> (bool, bool) {
    fn scan<T: oxnp_core::Element>(x: &Arr, parts: impl Fn(T) -> [f64; 2]) -> (bool, bool) {
        let (mut nan, mut inf) = (false, false);
        let base = x.as_ptr();
        x.for_each_offset(|o| {
            // SAFETY: offsets come from x's own shape and strides.
            let v = unsafe { base.offset(o).cast::<T>().read_unaligned() };
            for p in parts(v) {
                nan |= p.is_nan();
                inf |= p.is_infinite();
            }
        });
        (nan, inf)
    }
    match x.dtype() {
        DType::Float16 => scan::<f16>(x, |v| [v.to_f64_exact(), 0.0]),
        DType::Float32 => scan::<f32>(x, |v| [v as f64, 0.0]),
        DType::Float64 => scan::<f64>(x, |v| [v, 0.0]),
        DType::Complex64 => scan::<Complex32>(x, |v| [v.re as f64, v.im as f64]),
        DType::Complex128 => scan::<Complex64>(x, |v| [v.re, v.im]),
        _ => (false, false),
    }
}

/// The floating-point flags NumPy's matmul/dot raise, inferred from values (faer runs on
/// worker threads, so the FPU flags of the computation are not observable): NaN in the
/// result from NaN-free inputs is INVALID (inf * 0, inf - inf), infinity from finite inputs
/// is OVERFLOW. The common all-finite result costs one scan of the output.
pub fn inferred_fp_flags(a: &Arr, b: &Arr, r: &Arr) -> u32 {
    let (rn, ri) = nonfinite(r);
    if !rn && !ri {
        return 0;
    }
    let (an, ai) = nonfinite(a);
    let (bn, bi) = nonfinite(b);
    let mut flags = 0;
    if rn && !an && !bn {
        flags |= crate::fpe::INVALID;
    }
    if ri && !ai && !bi {
        flags |= crate::fpe::OVERFLOW;
    }
    flags
}
