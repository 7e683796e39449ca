//! Kernels that generate array contents: NumPy's `arange` fill and `linspace`, with NumPy's
//! exact arithmetic so the results are bit-identical.

use crate::cast::{F16Exact, f16_from_f32, f64_to_f16};
use half::f16;
use num_complex::{Complex32, Complex64};

use crate::element::Element;

/// NumPy's per-dtype `fill` function used by `arange`: the first two elements are set by the
/// caller; element i is `start + i*delta` with `delta = buf[1] - buf[0]`, computed in the
/// element type (C integer arithmetic wraps).
pub trait ArangeFill: Element {
    fn arange_fill(buf: &mut [Self]);
}

macro_rules! arange_int {
    ($($t:ty),*) => {$(
        impl ArangeFill for $t {
            fn arange_fill(buf: &mut [Self]) {
                if buf.len() < 3 {
                    return;
                }
                let start = buf[0];
                let delta = buf[1].wrapping_sub(start);
                // C promotes to the 64-bit index type, then truncates on the store.
                let (s, d) = (start as i64, delta as i64);
                for (i, v) in buf.iter_mut().enumerate().skip(2) {
                    *v = s.wrapping_add((i as i64).wrapping_mul(d)) as $t;
                }
            }
        }
    )*};
}

arange_int!(i8, u8, i16, u16, i32, u32, i64, u64);

impl ArangeFill for bool {
    /// Callers reject boolean ranges longer than two, as NumPy does.
    fn arange_fill(_buf: &mut [Self]) {}
}

macro_rules! arange_float {
    ($($t:ty),*) => {$(
        impl ArangeFill for $t {
            fn arange_fill(buf: &mut [Self]) {
                if buf.len() < 3 {
                    return;
                }
                let start = buf[0];
                let delta = buf[1] - start;
                for (i, v) in buf.iter_mut().enumerate().skip(2) {
                    *v = start + (i as $t) * delta;
                }
            }
        }
    )*};
}

arange_float!(f32, f64);

impl ArangeFill for f16 {
    /// Computed in float32, rounded to half once per element.
    fn arange_fill(buf: &mut [Self]) {
        if buf.len() < 3 {
            return;
        }
        let start = buf[0].to_f32_exact();
        let delta = buf[1].to_f32_exact() - start;
        for (i, v) in buf.iter_mut().enumerate().skip(2) {
            *v = f16_from_f32(start + (i as f32) * delta);
        }
    }
}

macro_rules! arange_complex {
    ($($t:ty, $f:ty);*) => {$(
        impl ArangeFill for $t {
            fn arange_fill(buf: &mut [Self]) {
                if buf.len() < 3 {
                    return;
                }
                let start = buf[0];
                let (dre, dim) = (buf[1].re - start.re, buf[1].im - start.im);
                for (i, v) in buf.iter_mut().enumerate().skip(2) {
                    let x = i as $f;
                    *v = <$t>::new(start.re + x * dre, start.im + x * dim);
                }
            }
        }
    )*};
}

arange_complex!(Complex32, f32; Complex64, f64);

/// The arithmetic of NumPy's ufunc loops for the inexact dtypes, as `linspace` uses it.
pub trait LinElem: Element {
    /// `arange(0, num, dtype)[i]`.
    fn index(i: usize) -> Self;
    /// A Python int converted to this dtype (a weak scalar).
    fn count(n: usize) -> Self;
    fn add(self, o: Self) -> Self;
    fn sub(self, o: Self) -> Self;
    fn mul(self, o: Self) -> Self;
    fn div(self, o: Self) -> Self;
    fn is_zero(self) -> bool;
    fn nan() -> Self;
}

macro_rules! lin_float {
    ($($t:ty),*) => {$(
        impl LinElem for $t {
            fn index(i: usize) -> Self { i as $t }
            fn count(n: usize) -> Self { n as f64 as $t }
            fn add(self, o: Self) -> Self { self + o }
            fn sub(self, o: Self) -> Self { self - o }
            fn mul(self, o: Self) -> Self { self * o }
            fn div(self, o: Self) -> Self { self / o }
            fn is_zero(self) -> bool { self == 0.0 }
            fn nan() -> Self { <$t>::NAN }
        }
    )*};
}

lin_float!(f32, f64);

/// Half-precision loops compute in float32 and round once.
impl LinElem for f16 {
    fn index(i: usize) -> Self {
        f16_from_f32(i as f32)
    }
    fn count(n: usize) -> Self {
        f64_to_f16(n as f64)
    }
    fn add(self, o: Self) -> Self {
        f16_from_f32(self.to_f32_exact() + o.to_f32_exact())
    }
    fn sub(self, o: Self) -> Self {
        f16_from_f32(self.to_f32_exact() - o.to_f32_exact())
    }
    fn mul(self, o: Self) -> Self {
        f16_from_f32(self.to_f32_exact() * o.to_f32_exact())
    }
    fn div(self, o: Self) -> Self {
        f16_from_f32(self.to_f32_exact() / o.to_f32_exact())
    }
    fn is_zero(self) -> bool {
        self.to_f32_exact() == 0.0
    }
    fn nan() -> Self {
        f16::NAN
    }
}

macro_rules! lin_complex {
    ($($t:ty, $f:ty);*) => {$(
        impl LinElem for $t {
            fn index(i: usize) -> Self { <$t>::new(i as $f, 0.0) }
            fn count(n: usize) -> Self { <$t>::new(n as f64 as $f, 0.0) }
            fn add(self, o: Self) -> Self { <$t>::new(self.re + o.re, self.im + o.im) }
            fn sub(self, o: Self) -> Self { <$t>::new(self.re - o.re, self.im - o.im) }
            fn mul(self, o: Self) -> Self {
                <$t>::new(self.re * o.re - self.im * o.im, self.re * o.im + self.im * o.re)
            }
            /// Smith's algorithm, as NumPy's complex divide loop.
            fn div(self, o: Self) -> Self {
                let (ar, ai, br, bi) = (self.re, self.im, o.re, o.im);
                if br.abs() >= bi.abs() {
                    if br == 0.0 && bi == 0.0 {
                        return <$t>::new(ar / br.abs(), ai / br.abs());
                    }
                    let rat = bi / br;
                    let scl = 1.0 / (br + bi * rat);
                    <$t>::new((ar + ai * rat) * scl, (ai - ar * rat) * scl)
                } else {
                    let rat = br / bi;
                    let scl = 1.0 / (bi + br * rat);
                    <$t>::new((ar * rat + ai) * scl, (ai * rat - ar) * scl)
                }
            }
            fn is_zero(self) -> bool { self.re == 0.0 && self.im == 0.0 }
            fn nan() -> Self { <$t>::new(<$f>::NAN, 0.0) }
        }
    )*};
}

lin_complex!(Complex32, f32; Complex64, f64);

/// NumPy's `linspace` over `m` independent (start, stop) pairs: `out` is (num, m) in C order.
/// Returns the steps (NaN when the step is undefined, num - endpoint <= 0).
pub fn linspace<T: LinElem>(start: &[T], stop: &[T], num: usize, endpoint: bool, out: &mut [T]) -> Vec<T> {
    let m = start.len();
    debug_assert_eq!(out.len(), num * m);
    let div = if endpoint { num as isize - 1 } else { num as isize };
    let delta: Vec<T> = stop.iter().zip(start).map(|(&b, &a)| b.sub(a)).collect();
    let steps: Vec<T>;
    if div > 0 {
        let d = T::count(div as usize);
        steps = delta.iter().map(|&x| x.div(d)).collect();
        // Denormal steps: divide first, then scale (NumPy gh-5437).
        let any_zero = steps.iter().any(|s| s.is_zero());
        for i in 0..num {
            let y = T::index(i);
            let row = &mut out[i * m..(i + 1) * m];
            for j in 0..m {
                let v = if any_zero { y.div(d).mul(delta[j]) } else { y.mul(steps[j]) };
                row[j] = v.add(start[j]);
            }
        }
    } else {
        steps = vec![T::nan(); m];
        for i in 0..num {
            let y = T::index(i);
            for j in 0..m {
                out[i * m + j] = y.mul(delta[j]).add(start[j]);
            }
        }
    }
    if endpoint && num > 1 {
        out[(num - 1) * m..].copy_from_slice(stop);
    }
    steps
}

/// `arange(n, dtype=T)`: 0, 1, ..., n-1 with the arithmetic of NumPy's arange fill.
pub fn arange_count<T: ArangeFill + crate::cast::Convert>(n: usize) -> Vec<T> {
    let mut out = Vec::with_capacity(n);
    out.extend((0..n.min(2) as i64).map(crate::cast::convert::<i64, T>));
    out.resize(n, crate::cast::convert::<i64, T>(0));
    T::arange_fill(&mut out);
    out
}

/// NumPy's dense `indices(dims)`: `out` is `(dims.len(),) + dims` in C order, and plane `i`
/// holds `arange(dims[i])` along axis `i`, repeated over the other axes.
pub fn indices<T: ArangeFill + crate::cast::Convert>(dims: &[usize], out: &mut [T]) {
    let plane: usize = dims.iter().product();
    debug_assert_eq!(out.len(), plane * dims.len());
    if plane == 0 {
        return;
    }
    for (axis, &dim) in dims.iter().enumerate() {
        let ramp = arange_count::<T>(dim);
        let inner: usize = dims[axis + 1..].iter().product();
        // Each run of `inner` equal values is one ramp entry; the ramp repeats per outer index.
        for (k, run) in out[axis * plane..(axis + 1) * plane].chunks_exact_mut(inner).enumerate() {
            run.fill(ramp[k % dim]);
        }
    }
}
