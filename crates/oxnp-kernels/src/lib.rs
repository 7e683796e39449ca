//! oxnp-kernels: the eager CPU kernels. The ufunc registry (`registry`) declares every
//! elementwise op once; type resolution (`resolve`), execution (`exec`) and reductions
//! (`reduce`) derive from it.

pub mod exec;
pub mod fpe;
pub mod libm;
pub mod loops;
pub mod math;
pub mod matmul;
pub mod reduce;
pub mod registry;
pub mod resolve;
pub mod stats;
pub mod select;
pub mod vecmath;
