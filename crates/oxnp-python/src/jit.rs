//! Bindings of the compiler crate for `oxnp.jit` (python/oxnp/_jit): compile a fused group,
//! run it, show its Cranelift IR.

use oxnp_core::DType;
use oxnp_jit::{Node, Op, Program, Ty};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::ndarray::{PyNdArray, wrap};

fn ty_of(name: &str) -> PyResult<Ty> {
    let d = match name {
        "float64" => DType::Float64,
        "float32" => DType::Float32,
        "int64" => DType::Int64,
        "int32" => DType::Int32,
        "bool" => DType::Bool,
        _ => return Err(PyValueError::new_err(format!("jit: unsupported dtype {name}"))),
    };
    Ty::from_dtype(d).ok_or_else(|| PyValueError::new_err("jit: unsupported dtype"))
}

/// Compiles a group: `nodes` = [(op, dtype name, (args...), value)], `inputs` = dtype names,
/// `outputs` = node indices. Returns (kernel id, compile milliseconds).
#[pyfunction]
fn _jit_compile<'py>(
    py: Python<'py>,
    nodes: Vec<(String, String, Vec<usize>, Option<Bound<'py, PyAny>>)>,
    inputs: Vec<String>,
    outputs: Vec<usize>,
) -> PyResult<(usize, f64)> {
    let mut ns = Vec::with_capacity(nodes.len());
    for (op, dt, args, value) in nodes {
        let ty = ty_of(&dt)?;
        let op = match (op.as_str(), args.as_slice()) {
            ("input", _) => Op::Input(value.ok_or_else(|| PyValueError::new_err("input index"))?.extract()?),
            ("const", _) => {
                let v = value.ok_or_else(|| PyValueError::new_err("const value"))?;
                match ty {
                    Ty::F64 | Ty::F32 => Op::ConstF(v.extract()?),
                    _ => Op::ConstI(v.extract()?),
                }
            }
            ("cast", [a]) => Op::Cast(*a),
            ("where", [c, a, b]) => Op::Where(*c, *a, *b),
            (name, [a]) => Op::Unary(name.to_string(), *a),
            (name, [a, b]) => Op::Binary(name.to_string(), *a, *b),
            _ => return Err(PyValueError::new_err(format!("jit: bad node {op}"))),
        };
        ns.push(Node { op, ty });
    }
    let inputs = inputs.iter().map(|s| ty_of(s)).collect::<PyResult<Vec<_>>>()?;
    let prog = Program { nodes: ns, inputs, outputs };
    let k = py.detach(|| oxnp_jit::compile(prog)).map_err(|e| PyRuntimeError::new_err(format!("jit: {e}")))?;
    let ms = *k.compile_ms.lock().unwrap_or_else(|e| e.into_inner());
    Ok((oxnp_jit::register(k), ms))
}

/// Runs kernel `id` over `inputs` broadcast to `shape`; returns the new output arrays.
#[pyfunction]
fn _jit_run<'py>(py: Python<'py>, id: usize, inputs: Vec<Bound<'py, PyNdArray>>, shape: Vec<usize>) -> PyResult<Bound<'py, PyList>> {
    let k = oxnp_jit::get(id).ok_or_else(|| PyValueError::new_err("jit: unknown kernel"))?;
    let arrs: Vec<oxnp_core::Array> = inputs.iter().map(|a| a.borrow().arr.clone()).collect();
    let size: usize = shape.iter().product();
    let run = || oxnp_jit::run(&k, &arrs, &shape);
    let outs = if size >= oxnp_jit::PARALLEL_MIN { py.detach(run) } else { run() }
        .map_err(|e| PyRuntimeError::new_err(format!("jit: {e}")))?;
    let objs = outs.into_iter().map(|a| wrap(py, a)).collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, objs)
}

/// The Cranelift IR generated for kernel `id` so far, and its total compile milliseconds.
#[pyfunction]
fn _jit_info(id: usize) -> PyResult<(String, f64)> {
    let k = oxnp_jit::get(id).ok_or_else(|| PyValueError::new_err("jit: unknown kernel"))?;
    let ir = k.ir.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let ms = *k.compile_ms.lock().unwrap_or_else(|e| e.into_inner());
    Ok((ir, ms))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_jit_compile, m)?)?;
    m.add_function(wrap_pyfunction!(_jit_run, m)?)?;
    m.add_function(wrap_pyfunction!(_jit_info, m)?)?;
    Ok(())
}
