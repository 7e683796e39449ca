//! `dgemm` as NumPy's bundled OpenBLAS (scipy-openblas 0.3.31) computes it on a CPU it classes
//! as SkylakeX, so that the LAPACK routines built on it ([`crate::lapack_small`] and the
//! divide-and-conquer solvers) round exactly as NumPy's do. Column-major, Fortran conventions.

/// Whether an operand enters the product as stored or transposed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Trans {
    No,
    Yes,
}

/// `C := alpha·op(A)·op(B) + beta·C` with op(A) m × k, op(B) k × n, C m × n (`dgemm`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn dgemm(
    ta: Trans,
    tb: Trans,
    m: usize,
    n: usize,
    k: usize,
    alpha: f64,
    a: &[f64],
    lda: usize,
    b: &[f64],
    ldb: usize,
    beta: f64,
    c: &mut [f64],
    ldc: usize,
) {
    let at = |i: usize, p: usize| if ta == Trans::No { a[i + p * lda] } else { a[p + i * lda] };
    let bt = |p: usize, j: usize| if tb == Trans::No { b[p + j * ldb] } else { b[j + p * ldb] };
    for j in 0..n {
        for i in 0..m {
            let mut acc = 0.0f64;
            for p in 0..k {
                acc = at(i, p).mul_add(bt(p, j), acc);
            }
            let cij = &mut c[i + j * ldc];
            *cij = if beta == 0.0 { alpha * acc } else { alpha * acc + beta * *cij };
        }
    }
}
