//! oxnp-kernels: the eager CPU kernels. The ufunc registry (`registry`) declares every
//! elementwise op once; type resolution (`resolve`), execution (`exec`) and reductions
//! (`reduce`) derive from it.

pub mod clip;
pub mod exec;
pub mod fft;
pub mod fpe;
pub mod libm;
pub mod lapack_bdsdc;
pub mod lapack_blocked;
pub mod lapack_gebrd;
pub mod lapack_cplx;
pub mod lapack_dqds;
pub mod lapack_geev;
pub mod lapack_small;
pub mod lapack_stedc;
pub mod lapack_sterf;
pub mod lapack_sytrd;
pub(crate) mod blas_skx;
pub mod gemm_skx;
pub mod linalg;
pub mod loops;
pub mod math;
pub mod matmul;
pub mod reduce;
pub mod registry;
pub mod resolve;
pub mod stats;
pub mod search;
pub mod select;
pub mod sort;
pub mod syr2k_skx;
pub mod vecmath;
