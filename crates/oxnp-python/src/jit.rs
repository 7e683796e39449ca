//! Bindings of the compiler crate for `oxnp.jit` (python/oxnp/_jit): compile a fused group,
//! run it, show its Cranelift IR.

use oxnp_core::DType;
use oxnp_jit::{Node, Op, Program, Ty};
use pyo3::exceptions::{PyIndexError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};

use crate::ndarray::{PyNdArray, wrap};

fn dtype_of(name: &str) -> PyResult<DType> {
    Ok(match name {
        "complex64" => DType::Complex64,
        "complex128" => DType::Complex128,
        n => ty_of(n)?.dtype(),
    })
}

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
/// `outputs` = node indices; `io` = (array input dtypes, (array, byte offset) of each input,
/// array output dtypes, (array, byte offset) of each output) when complex arrays are split
/// into parts (oxnp_jit::Io), else one array per operand. Returns (kernel id, compile
/// milliseconds).
#[pyfunction]
#[pyo3(signature = (nodes, inputs, outputs, io=None))]
#[allow(clippy::type_complexity)]
fn _jit_compile<'py>(
    py: Python<'py>,
    nodes: Vec<(String, String, Vec<usize>, Option<Bound<'py, PyAny>>)>,
    inputs: Vec<String>,
    outputs: Vec<usize>,
    io: Option<(Vec<String>, Vec<(usize, usize)>, Vec<String>, Vec<(usize, usize)>)>,
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
            ("fma", [a, b, c]) => Op::Fma(*a, *b, *c),
            ("gather", [src, idx @ ..]) if !idx.is_empty() => {
                let rank = value.map(|v| v.extract::<usize>()).transpose()?.unwrap_or(0);
                Op::Gather(*src, idx.to_vec(), rank)
            }
            (name, [re, im, fast, amb]) if name.starts_with("cabs_") => {
                let c = value.ok_or_else(|| PyValueError::new_err("cabs comparison constant"))?.extract()?;
                Op::CabsCmp(name["cabs_".len()..].to_string(), c, *re, *im, *fast, *amb)
            }
            (name, [a]) => Op::Unary(name.to_string(), *a),
            (name, [a, b]) => Op::Binary(name.to_string(), *a, *b),
            _ => return Err(PyValueError::new_err(format!("jit: bad node {op}"))),
        };
        ns.push(Node { op, ty });
    }
    let inputs = inputs.iter().map(|s| ty_of(s)).collect::<PyResult<Vec<_>>>()?;
    let out_tys = outputs.iter().map(|&o| ns.get(o).map(|n| n.ty)).collect::<Option<Vec<_>>>()
        .ok_or_else(|| PyValueError::new_err("jit: bad output"))?;
    let io = match io {
        None => oxnp_jit::Io::plain(&inputs, &out_tys),
        Some((ai, ip, ao, op)) => oxnp_jit::Io {
            inputs: ai.iter().map(|s| dtype_of(s)).collect::<PyResult<_>>()?,
            in_parts: ip,
            outputs: ao.iter().map(|s| dtype_of(s)).collect::<PyResult<_>>()?,
            out_parts: op,
        },
    };
    let prog = Program { nodes: ns, inputs, outputs, io };
    let k = py.detach(|| oxnp_jit::compile(prog)).map_err(|e| PyRuntimeError::new_err(format!("jit: {e}")))?;
    let ms = *k.compile_ms.lock().unwrap_or_else(|e| e.into_inner());
    Ok((oxnp_jit::register(k), ms))
}

/// Runs kernel `id` over `inputs` broadcast to `shape`; returns the new output arrays.
#[pyfunction]
fn _jit_run<'py>(py: Python<'py>, id: usize, inputs: Vec<Bound<'py, PyNdArray>>, shape: Vec<usize>) -> PyResult<Bound<'py, PyList>> {
    let k = oxnp_jit::get(id).ok_or_else(|| PyValueError::new_err("jit: unknown kernel"))?;
    let arrs: Vec<oxnp_core::Array> = inputs.iter().map(|a| a.get().arr().clone()).collect();
    let size: usize = shape.iter().product();
    let run = || oxnp_jit::run(&k, &arrs, &shape);
    let outs = if size >= oxnp_jit::PARALLEL_MIN { py.detach(run) } else { run() }
        .map_err(|e| run_error(&e.0))?;
    let objs = outs.into_iter().map(|a| wrap(py, a)).collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, objs)
}

/// A kernel's error as Python's: a gather's out-of-range index is NumPy's IndexError.
fn run_error(msg: &str) -> PyErr {
    if msg.starts_with("index ") && msg.contains("out of bounds") {
        PyIndexError::new_err(msg.to_string())
    } else {
        PyRuntimeError::new_err(format!("jit: {msg}"))
    }
}

/// A basic-indexing view precomputed at trace time for a known source shape: the fixed
/// (integer) indices as (source dim, index), then each result dim as (source dim or -1 for a
/// new axis, start, step, length).
type Recipe = (Vec<(usize, isize)>, Vec<(isize, isize, isize, usize)>);

fn apply_recipe(src: &oxnp_core::Array, r: &Recipe) -> Result<oxnp_core::Array, String> {
    let mut shape = smallvec::SmallVec::<[usize; 32]>::new();
    let mut strides = smallvec::SmallVec::<[isize; 32]>::new();
    let off = src.offset() as isize + recipe_into(src, r, &mut shape, &mut strides)?;
    if off < 0 {
        return Err("bad view".into());
    }
    let (shape, strides) = (oxnp_core::array::Shape::from_slice(&shape), oxnp_core::array::Strides::from_slice(&strides));
    oxnp_core::Array::from_parts(src.buffer().clone(), off as usize, shape, strides, src.dtype()).map_err(|e| format!("{e:?}"))
}

/// The geometry of view `r` of `src`: its shape and strides appended to `shp` / `stv`;
/// returns its byte offset from src's data pointer.
fn recipe_into<S: smallvec::Array<Item = usize>, T: smallvec::Array<Item = isize>>(
    src: &oxnp_core::Array,
    r: &Recipe,
    shp: &mut smallvec::SmallVec<S>,
    stv: &mut smallvec::SmallVec<T>,
) -> Result<isize, String> {
    let st = src.strides();
    let nd = st.len();
    let mut off = 0isize;
    for &(d, i) in &r.0 {
        if d >= nd {
            return Err("bad view".into());
        }
        off += i * st[d];
    }
    for &(d, start, step, len) in &r.1 {
        if d < 0 {
            shp.push(1);
            stv.push(0);
        } else {
            let d = d as usize;
            if d >= nd || len > src.shape()[d] {
                return Err("bad view".into());
            }
            off += start * st[d];
            shp.push(len);
            stv.push(st[d] * step);
        }
    }
    Ok(off)
}

enum Step {
    /// kernel, inputs, shape, outputs, and the in-place slice assignment of its single
    /// output that follows it (base, views of the target, destination): the kernel then
    /// writes straight into the target when no input overlaps it in a conflicting way.
    Kernel(std::sync::Arc<oxnp_jit::Kernel>, Vec<usize>, Vec<usize>, Vec<usize>, Option<(usize, Vec<Recipe>, usize)>),
    /// (a slice assignment done by the kernel before it)
    Done,
    /// source, recipe, destination, virtual (only read by kernels: never made an array)
    View(usize, Recipe, usize, bool),
    /// base, views of the target, value, in place, destination
    Set(usize, Vec<Recipe>, usize, bool, usize),
    /// a scalar graph break of the trace: the slot's one element must have these bytes,
    /// or the replay stops (`DIVERGED`) and the call is traced instead
    Check(usize, Vec<u8>),
    /// the test of a folded loop (see `_jit_plan`): the slot's element has the "continue"
    /// bytes (go on with the next step), or the "exit" bytes (go on at step `exit_to`, the
    /// loop's suffix), or anything else: the replay stops (`DIVERGED`)
    LoopTest(usize, Vec<u8>, Vec<u8>, usize),
    /// the end of a folded loop's body: the carried slots are moved, (dst, src) each (the
    /// next iteration reads the values this one made where the first read the prefix's),
    /// then the replay goes on at step `start`; more than `cap` iterations: `DIVERGED`
    BackEdge(Vec<(usize, usize)>, usize),
}

/// run_steps' error when a `Check` fails.
const DIVERGED: &str = "\0diverged";

/// A replay plan (python/oxnp/_jit `_Plan`) of kernel launches, views and slice
/// assignments: slots 0..k-1 are the array arguments, `init` the arrays fixed at trace time;
/// `want` are the slots handed back.
#[pyclass(name = "_JitPlan", module = "oxnp", frozen)]
pub struct JitPlan {
    nslots: usize,
    init: Vec<(usize, oxnp_core::Array)>,
    steps: Vec<Step>,
    want: Vec<usize>,
    work: usize,
    looped: bool,
}

/// `order`: (kind, index) with kind 0 = kernels[index], 1 = views[index], 2 = sets[index],
/// 3 = checks[index], 4 = tests[index] (a folded loop's test: slot, continue bytes, exit
/// bytes, step index of the suffix), 5 = edges[index] (a folded loop's back edge: carried
/// (dst, src) moves, step index of the body's start).
#[pyfunction]
#[pyo3(signature = (nslots, init, kernels, views, sets, order, want, checks=Vec::new(), tests=Vec::new(), edges=Vec::new()))]
#[allow(clippy::type_complexity, clippy::too_many_arguments)]
fn _jit_plan<'py>(
    nslots: usize,
    init: Vec<(usize, Bound<'py, PyNdArray>)>,
    kernels: Vec<(usize, Vec<usize>, Vec<usize>, Vec<usize>)>,
    views: Vec<(usize, Recipe, usize)>,
    sets: Vec<(usize, Vec<Recipe>, usize, bool, usize)>,
    order: Vec<(u8, usize)>,
    want: Vec<usize>,
    checks: Vec<(usize, Bound<'py, PyBytes>)>,
    tests: Vec<(usize, Bound<'py, PyBytes>, Bound<'py, PyBytes>, usize)>,
    edges: Vec<(Vec<(usize, usize)>, usize)>,
) -> PyResult<JitPlan> {
    let bad = || PyValueError::new_err("jit: bad plan");
    let init = init.iter().map(|(s, a)| (*s, a.get().arr().clone())).collect::<Vec<_>>();
    let mut steps = Vec::with_capacity(order.len());
    let mut work = 0usize;
    for (kind, i) in order {
        let step = match kind {
            0 => {
                let (kid, ins, shape, outs) = kernels.get(i).ok_or_else(bad)?.clone();
                let k = oxnp_jit::get(kid).ok_or_else(|| PyValueError::new_err("jit: unknown kernel"))?;
                if ins.len() != k.prog.io.inputs.len() || outs.len() != k.prog.io.outputs.len() {
                    return Err(bad());
                }
                if ins.iter().chain(&outs).any(|&i| i >= nslots) {
                    return Err(bad());
                }
                work += shape.iter().product::<usize>();
                Step::Kernel(k, ins, shape, outs, None)
            }
            1 => {
                let (src, r, dst) = views.get(i).ok_or_else(bad)?.clone();
                if src >= nslots || dst >= nslots {
                    return Err(bad());
                }
                Step::View(src, r, dst, false)
            }
            2 => {
                let (base, rs, val, inplace, dst) = sets.get(i).ok_or_else(bad)?.clone();
                if base >= nslots || val >= nslots || dst >= nslots {
                    return Err(bad());
                }
                Step::Set(base, rs, val, inplace, dst)
            }
            3 => {
                let (slot, bytes) = checks.get(i).ok_or_else(bad)?;
                if *slot >= nslots {
                    return Err(bad());
                }
                Step::Check(*slot, bytes.as_bytes().to_vec())
            }
            4 => {
                let (slot, cont, exit, to) = tests.get(i).ok_or_else(bad)?;
                if *slot >= nslots {
                    return Err(bad());
                }
                Step::LoopTest(*slot, cont.as_bytes().to_vec(), exit.as_bytes().to_vec(), *to)
            }
            5 => {
                let (moves, start) = edges.get(i).ok_or_else(bad)?.clone();
                if moves.iter().any(|&(d, s)| d >= nslots || s >= nslots) {
                    return Err(bad());
                }
                Step::BackEdge(moves, start)
            }
            _ => return Err(bad()),
        };
        steps.push(step);
    }
    if want.iter().chain(init.iter().map(|(s, _)| s)).any(|&i| i >= nslots) {
        return Err(bad());
    }
    // Jump targets of folded loops (a kernel and the assignment after it are fused only
    // when no jump lands between them).
    let mut target = vec![false; steps.len() + 1];
    let mut looped = false;
    for st in &steps {
        match st {
            Step::LoopTest(.., to) | Step::BackEdge(_, to) => {
                if *to > steps.len() {
                    return Err(bad());
                }
                target[*to] = true;
                looped = true;
            }
            _ => {}
        }
    }
    // Views read only by kernels stay virtual: the kernel reads their geometry directly.
    let mut other_use = vec![false; nslots];
    for &w in &want {
        other_use[w] = true;
    }
    // Reads of each slot (a kernel output assigned in place right after the kernel, and
    // read by nothing else, can be written by the kernel into the target directly).
    let mut reads = vec![0usize; nslots];
    for &w in &want {
        reads[w] += 1;
    }
    for st in &steps {
        match st {
            Step::View(src, ..) => {
                other_use[*src] = true;
                reads[*src] += 1;
            }
            Step::Set(base, _, val, _, _) => {
                other_use[*base] = true;
                other_use[*val] = true;
                reads[*base] += 1;
                reads[*val] += 1;
            }
            Step::Kernel(_, ins, ..) => {
                for &i in ins {
                    reads[i] += 1;
                }
            }
            Step::Check(slot, _) | Step::LoopTest(slot, ..) => {
                other_use[*slot] = true;
                reads[*slot] += 1;
            }
            Step::BackEdge(moves, _) => {
                for &(d, s) in moves {
                    other_use[d] = true;
                    other_use[s] = true;
                    reads[s] += 1;
                    reads[d] += 1;
                }
            }
            Step::Done => {}
        }
    }
    for i in 0..steps.len().saturating_sub(1) {
        if target[i + 1] {
            continue;
        }
        let fuse = match (&steps[i], &steps[i + 1]) {
            (Step::Kernel(k, _, _, outs, None), Step::Set(base, rs, val, true, dst))
                if outs.len() == 1 && *val == outs[0] && reads[*val] == 1 && k.prog.io.outputs.len() == 1 =>
            {
                Some((*base, rs.clone(), *dst))
            }
            _ => None,
        };
        if let Some(f) = fuse {
            if let Step::Kernel(.., into) = &mut steps[i] {
                *into = Some(f);
            }
            steps[i + 1] = Step::Done;
        }
    }
    for st in steps.iter_mut() {
        if let Step::View(_, _, dst, virt) = st {
            *virt = !other_use[*dst];
        }
    }
    Ok(JitPlan { nslots, init, steps, want, work, looped })
}

/// Where a replayed kernel left its output: new arrays, in place in the assignment target's
/// base (slot, destination slot), or in the spare of a ping-pong sweep (array, destination).
enum Written {
    Fresh(Vec<oxnp_core::Array>),
    InPlace(usize, usize),
    Pong(oxnp_core::Array, usize),
}

/// A private array and its spare (see `run_steps`): `cur` holds the current version, `other`
/// equals it except inside the region `rs` (the region the last sweep wrote).
struct Spare<'a> {
    cur: oxnp_core::Array,
    other: oxnp_core::Array,
    rs: &'a [Recipe],
}

/// `nargs`: slots 0..nargs are the arguments (written in place only into themselves);
/// `cap`: the most iterations a folded loop may run. Returns the slots and the number of
/// back edges taken.
fn run_steps(p: &JitPlan, mut slots: Vec<Option<oxnp_core::Array>>, nargs: usize, cap: usize) -> Result<(Vec<Option<oxnp_core::Array>>, usize), String> {
    let get = |slots: &Vec<Option<oxnp_core::Array>>, i: usize| slots[i].clone().ok_or_else(|| "empty slot".to_string());
    let mut virt: Vec<Option<(usize, &Recipe)>> = std::iter::repeat_with(|| None).take(p.nslots).collect();
    // Ping-pong sweeps: a kernel assigned in place into a region of a private array (made
    // by the plan itself) that it also reads, e.g. `v[1:-1, 1:-1] = f(v[:-2, 1:-1], ...)`
    // repeated by a loop, writes the region of a second array instead, which equals the
    // first outside the region (a copy made the first time, then the previous version):
    // no temporary and no copy of the result. The in-place assignment was recorded only
    // where nothing reads the old version again, so the old array is free to be the next
    // spare. Any other in-place write into either array drops the spare.
    let mut spare: Option<Spare<'_>> = None;
    let shared = |a: &oxnp_core::Array, slots: &Vec<Option<oxnp_core::Array>>| {
        slots[..nargs].iter().flatten().chain(p.init.iter().map(|(_, x)| x)).any(|x| std::sync::Arc::ptr_eq(x.buffer(), a.buffer()))
    };
    let mut pc = 0usize;
    let mut iters = 0usize;
    while pc < p.steps.len() {
        let step = &p.steps[pc];
        pc += 1;
        match step {
            Step::Done => {}
            Step::LoopTest(slot, cont, exit, to) => {
                let a = slots[*slot].as_ref().ok_or_else(|| "empty slot".to_string())?;
                if a.size() != 1 || a.itemsize() != cont.len() {
                    return Err(DIVERGED.into());
                }
                // SAFETY: one element of `itemsize` bytes at the array's data pointer.
                let got = unsafe { std::slice::from_raw_parts(a.as_ptr() as *const u8, cont.len()) };
                if got == exit.as_slice() {
                    pc = *to;
                } else if got != cont.as_slice() {
                    return Err(DIVERGED.into());
                }
            }
            Step::BackEdge(moves, start) => {
                iters += 1;
                if iters > cap {
                    return Err(DIVERGED.into());
                }
                for &(d, s) in moves {
                    slots[d] = slots[s].clone();
                    virt[d] = None;
                }
                pc = *start;
            }
            Step::Kernel(k, ins, shape, outs, into) => {
                // The operands borrow the slots (no Array clones: a plan of tiny arrays is
                // mostly this bookkeeping).
                let res = {
                    let slot = |i: usize| slots[i].as_ref().ok_or_else(|| "empty slot".to_string());
                    // Every operand's shape and strides in two flat buffers (no allocation
                    // per operand): (data pointer, first dim, ndim, dtype) each.
                    let mut shp: smallvec::SmallVec<[usize; 32]> = smallvec::SmallVec::new();
                    let mut stv: smallvec::SmallVec<[isize; 32]> = smallvec::SmallVec::new();
                    let mut meta: smallvec::SmallVec<[(*mut u8, usize, usize, DType); 8]> = smallvec::SmallVec::new();
                    for &i in ins {
                        let first = shp.len();
                        match &virt[i] {
                            Some((src, r)) => {
                                let a = slot(*src)?;
                                let off = recipe_into(a, r, &mut shp, &mut stv)?;
                                // SAFETY: the view lies inside `a` (a guarded shape's recipe).
                                meta.push((unsafe { a.as_ptr().offset(off) }, first, shp.len() - first, a.dtype()));
                            }
                            None => {
                                let a = slot(i)?;
                                shp.extend_from_slice(a.shape());
                                stv.extend_from_slice(a.strides());
                                meta.push((a.as_ptr(), first, shp.len() - first, a.dtype()));
                            }
                        }
                    }
                    let ops: smallvec::SmallVec<[oxnp_jit::Operand<'_>; 8]> = meta
                        .iter()
                        .map(|&(p, f, n, d)| oxnp_jit::Operand { ptr: p, shape: &shp[f..f + n], strides: &stv[f..f + n], dtype: d })
                        .collect();
                    // Straight into the assignment's target: when the base is writeable, the
                    // target has the kernel's shape and dtype, and every input either lies
                    // outside it or (read elementwise, not gathered) is exactly it.
                    let mut direct = None;
                    let mut pong = None;
                    let pong_base = match into {
                        // (arguments and trace-time arrays are written in place, as eager)
                        Some((b, _, _)) if pong_enabled() && k.prog.io.outputs.len() == 1 => {
                            let base = slot(*b)?;
                            (base.writeable() && !shared(base, &slots)).then_some(base)
                        }
                        _ => None,
                    };
                    if let (Some(base), Some((_, rs, dst))) = (pong_base, into) {
                        let mut tgt = base.clone();
                        for r in rs {
                            tgt = apply_recipe(&tgt, r)?;
                        }
                        let te = extent_of(tgt.as_ptr(), tgt.shape(), tgt.strides(), tgt.itemsize());
                        let reads_target = ops.iter().any(|o| {
                            let e = extent_of(o.ptr, o.shape, o.strides, o.dtype.itemsize());
                            !(e.1 <= te.0 || te.1 <= e.0 || e.0 == e.1 || te.0 == te.1)
                        });
                        if reads_target && tgt.shape() == shape.as_slice() && k.prog.io.outputs[0] == tgt.dtype() {
                            let other = match &spare {
                                Some(sp)
                                    if std::sync::Arc::ptr_eq(sp.cur.buffer(), base.buffer())
                                        && sp.cur.as_ptr() == base.as_ptr()
                                        && sp.cur.shape() == base.shape()
                                        && sp.cur.strides() == base.strides()
                                        && sp.rs == rs.as_slice() =>
                                {
                                    sp.other.clone()
                                }
                                _ => base.copy(oxnp_core::Order::C).map_err(|e| format!("{e:?}"))?,
                            };
                            if other.shape() == base.shape() && other.strides() == base.strides() {
                                let mut t2 = other.clone();
                                for r in rs {
                                    t2 = apply_recipe(&t2, r)?;
                                }
                                let e2 = extent_of(t2.as_ptr(), t2.shape(), t2.strides(), t2.itemsize());
                                let clear = ops.iter().all(|o| {
                                    let e = extent_of(o.ptr, o.shape, o.strides, o.dtype.itemsize());
                                    e.1 <= e2.0 || e2.1 <= e.0 || e.0 == e.1 || e2.0 == e2.1
                                });
                                if clear {
                                    pong = Some((base.clone(), other, t2, *dst, rs.as_slice()));
                                }
                            }
                        }
                    }
                    if let Some((_, _, t2, _, _)) = &pong {
                        let o = [oxnp_jit::Operand { ptr: t2.as_ptr(), shape: t2.shape(), strides: t2.strides(), dtype: t2.dtype() }];
                        oxnp_jit::run_operands_into(k, &ops, shape, Some(&o)).map_err(|e| e.to_string())?;
                    } else if let Some((b, rs, dst)) = into {
                        let base = slot(*b)?;
                        let tgt = Geometry::of_view(base, rs)?;
                        let srcs: smallvec::SmallVec<[usize; 4]> = k.aux.srcs.iter().map(|s| k.prog.io.in_parts[s.0].0).collect();
                        let te = extent_of(tgt.as_ptr(), tgt.shape(), tgt.strides(), tgt.itemsize());
                        let fits = base.writeable() && tgt.shape() == shape.as_slice() && k.prog.io.outputs[0] == tgt.dtype();
                        // Inputs reading the target: exactly it (elementwise), or (row-lagged
                        // mode, see oxnp_jit::run_lagged) the same geometry at most one row
                        // behind.
                        let mut lag = false;
                        let ok = fits
                            && ops.iter().enumerate().all(|(j, o)| {
                                let e = extent_of(o.ptr, o.shape, o.strides, o.dtype.itemsize());
                                let disjoint = e.1 <= te.0 || te.1 <= e.0 || e.0 == e.1 || te.0 == te.1;
                                if disjoint {
                                    return true;
                                }
                                if srcs.contains(&j) || o.shape != tgt.shape() || o.strides != tgt.strides() {
                                    return false;
                                }
                                if o.ptr == tgt.as_ptr() {
                                    return true;
                                }
                                let st = tgt.strides();
                                let ok = tgt.ndim() == 2
                                    && st[1] == tgt.itemsize() as isize
                                    && st[0] >= (tgt.shape()[1] * tgt.itemsize()) as isize
                                    && (o.ptr as isize - tgt.as_ptr() as isize) >= (tgt.shape()[1] * tgt.itemsize()) as isize - 2 * st[0];
                                lag |= ok;
                                ok
                            });
                        if ok {
                            direct = Some((tgt, *b, *dst, lag));
                        }
                    }
                    let done = pong.is_none() && match &direct {
                        Some((tgt, _, _, true)) => {
                            let o = oxnp_jit::Operand { ptr: tgt.as_ptr(), shape: tgt.shape(), strides: tgt.strides(), dtype: tgt.dtype() };
                            match oxnp_jit::run_lagged(k, &ops, shape, &o) {
                                Some(r) => {
                                    r.map_err(|e| e.to_string())?;
                                    true
                                }
                                None => false,
                            }
                        }
                        _ => false,
                    };
                    if let Some((base, other, _, dst, rs)) = pong {
                        spare = Some(Spare { cur: other.clone(), other: base, rs });
                        Written::Pong(other, dst)
                    } else if let Some((tgt, b, dst, lag)) = direct.filter(|d| !d.3 || done) {
                        // (a lagged sweep is done by now; one run_lagged refused gets a temporary)
                        if !lag {
                            let o = [oxnp_jit::Operand { ptr: tgt.as_ptr(), shape: tgt.shape(), strides: tgt.strides(), dtype: tgt.dtype() }];
                            oxnp_jit::run_operands_into(k, &ops, shape, Some(&o)).map_err(|e| e.to_string())?;
                        }
                        if let (Some((_, rs, _)), true) = (into, spare.is_some()) {
                            mirror(&mut spare, slot(b)?, rs)?;
                        }
                        Written::InPlace(b, dst)
                    } else {
                        Written::Fresh(oxnp_jit::run_operands(k, &ops, shape).map_err(|e| e.to_string())?)
                    }
                };
                match res {
                    Written::Fresh(res) => {
                        for (&o, r) in outs.iter().zip(res) {
                            slots[o] = Some(r);
                        }
                        if let Some((b, rs, dst)) = into {
                            set_step(&mut slots, *b, rs, outs[0], true, *dst)?;
                            if spare.is_some() {
                                let a = get(&slots, *dst)?;
                                mirror(&mut spare, &a, rs)?;
                            }
                        }
                    }
                    Written::InPlace(b, dst) => slots[dst] = slots[b].clone(),
                    Written::Pong(a, dst) => slots[dst] = Some(a),
                }
            }
            Step::View(src, r, dst, true) => {
                virt[*dst] = Some((*src, r));
            }
            Step::View(src, r, dst, false) => {
                let a = apply_recipe(&get(&slots, *src)?, r)?;
                slots[*dst] = Some(a);
            }
            Step::Set(base, rs, val, inplace, dst) => {
                set_step(&mut slots, *base, rs, *val, *inplace, *dst)?;
                if *inplace && spare.is_some() {
                    let a = get(&slots, *dst)?;
                    mirror(&mut spare, &a, rs)?;
                }
            }
            Step::Check(slot, bytes) => {
                let a = slots[*slot].as_ref().ok_or_else(|| "empty slot".to_string())?;
                if a.size() != 1 || a.itemsize() != bytes.len() {
                    return Err(DIVERGED.into());
                }
                // SAFETY: one element of `itemsize` bytes at the array's data pointer.
                let got = unsafe { std::slice::from_raw_parts(a.as_ptr() as *const u8, bytes.len()) };
                if got != bytes.as_slice() {
                    return Err(DIVERGED.into());
                }
            }
        }
    }
    Ok((slots, iters))
}

/// Ping-pong sweeps on (`OXNP_JIT_PONG=0` turns them off, for experiments).
fn pong_enabled() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var("OXNP_JIT_PONG").map_or(true, |v| v != "0"))
}

/// After an in-place write into region `rs` of `a`: when `a` is the spare's current array,
/// the region is copied into the spare (which then still differs only inside the sweep's
/// region); a write into the spare itself drops it.
fn mirror(spare: &mut Option<Spare<'_>>, a: &oxnp_core::Array, rs: &[Recipe]) -> Result<(), String> {
    let Some(sp) = spare.as_ref() else { return Ok(()) };
    let whole = |x: &oxnp_core::Array| x.as_ptr() == a.as_ptr() && x.shape() == a.shape() && x.strides() == a.strides();
    if std::sync::Arc::ptr_eq(sp.other.buffer(), a.buffer()) || (std::sync::Arc::ptr_eq(sp.cur.buffer(), a.buffer()) && !whole(&sp.cur)) {
        *spare = None;
    } else if whole(&sp.cur) {
        if sp.rs == rs {
            return Ok(());   // (the sweep's own region: the spare may differ there)
        }
        let (mut from, mut to) = (sp.cur.clone(), sp.other.clone());
        for r in rs {
            from = apply_recipe(&from, r)?;
            to = apply_recipe(&to, r)?;
        }
        oxnp_core::cast::copy_into(&to, &from).map_err(|e| format!("{e:?}"))?;
    }
    Ok(())
}

fn set_step(slots: &mut [Option<oxnp_core::Array>], base: usize, rs: &[Recipe], val: usize, inplace: bool, dst: usize) -> Result<(), String> {
    if inplace && store_small(slots, base, rs, val) {
        slots[dst] = slots[base].clone();
        return Ok(());
    }
    let b = slots[base].clone().ok_or_else(|| "empty slot".to_string())?;
    let new = if inplace {
        if !b.writeable() {
            return Err("assignment destination is read-only".into());
        }
        b
    } else {
        b.copy(oxnp_core::Order::C).map_err(|e| format!("{e:?}"))?
    };
    let mut tgt = new.clone();
    for r in rs {
        tgt = apply_recipe(&tgt, r)?;
    }
    let v = slots[val].clone().ok_or_else(|| "empty slot".to_string())?;
    let v = oxnp_core::shape::broadcast_to(&v, tgt.shape()).map_err(|e| format!("{e:?}"))?;
    oxnp_core::cast::copy_into(&tgt, &v).map_err(|e| format!("{e:?}"))?;
    slots[dst] = Some(new);
    Ok(())
}

/// The in-place store of `set_step` without building arrays, for the common case of a
/// replayed boundary update (`x[0, 1:-1] = v`, `x[0, 0] = s`): a view of a writeable base,
/// a value of the same dtype and exactly the target's shape (at most 2-d), sharing no
/// element with it. Returns false (nothing done) otherwise.
fn store_small(slots: &[Option<oxnp_core::Array>], base: usize, rs: &[Recipe], val: usize) -> bool {
    let (Some(b), Some(v)) = (&slots[base], &slots[val]) else { return false };
    if !b.writeable() || b.dtype() != v.dtype() || v.ndim() > 2 {
        return false;
    }
    let Ok(t) = Geometry::of_view(b, rs) else { return false };
    if t.shape() != v.shape() {
        return false;
    }
    let item = b.itemsize();
    let dp = t.as_ptr();
    let te = extent_of(dp, t.shape(), t.strides(), item);
    let ve = extent_of(v.as_ptr(), v.shape(), v.strides(), item);
    // Disjoint ranges, or two 1-d geometries of one stride whose elements interleave (a
    // column stored into its neighbour).
    let interleaved = || {
        let s = t.strides().first().map_or(0, |s| s.unsigned_abs());
        let r = (dp as isize - v.as_ptr() as isize).rem_euclid(s.max(1) as isize) as usize;
        t.ndim() == 1 && t.strides() == v.strides() && r >= item && s - r >= item
    };
    if !(te.1 <= ve.0 || ve.1 <= te.0 || te.0 == te.1 || interleaved()) {
        return false;
    }
    let (rows, cols, drs, dcs, vrs, vcs) = match t.ndim() {
        0 => (1, 1, 0, 0, 0, 0),
        1 => (1, t.shape[0], 0, t.strides[0], 0, v.strides()[0]),
        _ => (t.shape[0], t.shape[1], t.strides[0], t.strides[1], v.strides()[0], v.strides()[1]),
    };
    let sp = v.as_ptr();
    // SAFETY (all three): row i / element (i, j) lies in both geometries, which do not overlap.
    let rows_of = |copy_row: &dyn Fn(*const u8, *mut u8)| {
        for i in 0..rows as isize {
            copy_row(unsafe { sp.offset(i * vrs) }, unsafe { dp.offset(i * drs) });
        }
    };
    /// # Safety
    /// `cols` elements of `T` along each stride from `s` and `d`, not overlapping.
    unsafe fn each<T: Copy>(s: *const u8, d: *mut u8, cols: usize, vcs: isize, dcs: isize) {
        for j in 0..cols as isize {
            unsafe { (d.offset(j * dcs) as *mut T).write_unaligned((s.offset(j * vcs) as *const T).read_unaligned()) };
        }
    }
    if vcs == item as isize && dcs == item as isize {
        rows_of(&|s, d| unsafe { std::ptr::copy_nonoverlapping(s, d, cols * item) });
    } else {
        match item {
            8 => rows_of(&|s, d| unsafe { each::<u64>(s, d, cols, vcs, dcs) }),
            4 => rows_of(&|s, d| unsafe { each::<u32>(s, d, cols, vcs, dcs) }),
            16 => rows_of(&|s, d| unsafe { each::<u128>(s, d, cols, vcs, dcs) }),
            2 => rows_of(&|s, d| unsafe { each::<u16>(s, d, cols, vcs, dcs) }),
            1 => rows_of(&|s, d| unsafe { each::<u8>(s, d, cols, vcs, dcs) }),
            _ => return false,
        }
    }
    true
}

/// A view's geometry (of `views` applied in turn to an array) without building the array.
struct Geometry {
    ptr: *mut u8,
    shape: smallvec::SmallVec<[usize; 8]>,
    strides: smallvec::SmallVec<[isize; 8]>,
    dtype: oxnp_core::DType,
}

impl Geometry {
    fn of_view(a: &oxnp_core::Array, views: &[Recipe]) -> Result<Geometry, String> {
        let whole = |a: &oxnp_core::Array| Geometry { ptr: a.as_ptr(), shape: a.shape().into(), strides: a.strides().into(), dtype: a.dtype() };
        match views {
            [] => Ok(whole(a)),
            [r] => {
                let (mut shape, mut strides) = (smallvec::SmallVec::new(), smallvec::SmallVec::new());
                let off = recipe_into(a, r, &mut shape, &mut strides)?;
                // SAFETY: the recipe gives a view inside `a` (guarded shape), see apply_recipe.
                Ok(Geometry { ptr: unsafe { a.as_ptr().offset(off) }, shape, strides, dtype: a.dtype() })
            }
            _ => {
                let mut v = a.clone();
                for r in views {
                    v = apply_recipe(&v, r)?;
                }
                Ok(whole(&v))
            }
        }
    }
    fn as_ptr(&self) -> *mut u8 {
        self.ptr
    }
    fn shape(&self) -> &[usize] {
        &self.shape
    }
    fn strides(&self) -> &[isize] {
        &self.strides
    }
    fn dtype(&self) -> oxnp_core::DType {
        self.dtype
    }
    fn itemsize(&self) -> usize {
        self.dtype.itemsize()
    }
    fn ndim(&self) -> usize {
        self.shape.len()
    }
}

/// The byte range [lo, hi) of an array geometry's elements (empty for no elements).
fn extent_of(ptr: *mut u8, shape: &[usize], strides: &[isize], item: usize) -> (usize, usize) {
    if shape.contains(&0) {
        return (0, 0);
    }
    let (lo, hi) = oxnp_core::array::byte_extent(shape, strides, item);
    let base = ptr as isize;
    ((base + lo) as usize, (base + hi) as usize)
}

/// Runs a plan on the argument arrays in one call (the GIL released for large work);
/// returns the arrays of the plan's `want` slots, None when a written argument overlaps
/// another one, False when a checked step failed (see `Step::Check`); for a plan with a
/// folded loop, (the arrays, the number of loop iterations run), `cap` bounding them.
#[pyfunction]
#[pyo3(signature = (plan, args, writes=Vec::new(), cap=usize::MAX))]
fn _jit_replay<'py>(
    py: Python<'py>,
    plan: &Bound<'py, JitPlan>,
    args: Vec<Bound<'py, PyNdArray>>,
    writes: Vec<usize>,
    cap: usize,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let p = plan.get();
    // Filled with a closure: `vec![None; n]` clones a whole `Option<Array>` per slot.
    let mut slots: Vec<Option<oxnp_core::Array>> = std::iter::repeat_with(|| None).take(p.nslots).collect();
    if args.len() > p.nslots {
        return Err(PyValueError::new_err("jit: too many arguments for the plan"));
    }
    for (i, a) in args.iter().enumerate() {
        slots[i] = Some(a.get().arr().clone());
    }
    // An argument the plan writes must not share memory with another argument (memory
    // bounds, as may_share_memory): None, and the caller traces the call instead.
    for &w in &writes {
        let Some(Some(a)) = slots.get(w) else {
            return Err(PyValueError::new_err("jit: bad write slot"));
        };
        let ea = extent(a);
        for (j, b) in slots[..args.len()].iter().enumerate() {
            if let (true, Some(b)) = (j != w, b) {
                let eb = extent(b);
                if ea.0 < ea.1 && eb.0 < eb.1 && ea.0 < eb.1 && eb.0 < ea.1 {
                    return Ok(None);
                }
            }
        }
    }
    for (s, a) in &p.init {
        slots[*s] = Some(a.clone());
    }
    let nargs = args.len();
    let (slots, iters) = match if p.work >= oxnp_jit::PARALLEL_MIN || p.looped { py.detach(|| run_steps(p, slots, nargs, cap)) } else { run_steps(p, slots, nargs, cap) } {
        Ok(s) => s,
        Err(e) if e == DIVERGED => return Ok(Some(pyo3::types::PyBool::new(py, false).to_owned().into_any())),
        Err(e) => return Err(run_error(&e)),
    };
    let mut objs = Vec::with_capacity(p.want.len());
    for &w in &p.want {
        let a = slots[w].clone().ok_or_else(|| PyRuntimeError::new_err("jit: empty slot"))?;
        objs.push(wrap(py, a)?);
    }
    let list = PyList::new(py, objs)?;
    if p.looped {
        return Ok(Some((list, iters).into_pyobject(py)?.into_any()));
    }
    Ok(Some(list.into_any()))
}

/// The byte range [lo, hi) an array's elements occupy (empty for an empty array).
fn extent(a: &oxnp_core::Array) -> (usize, usize) {
    extent_of(a.as_ptr(), a.shape(), a.strides(), a.itemsize())
}

/// Keeps freed memory of mid-sized arrays in the process (glibc malloc), called once by the
/// first `oxnp.jit`: a jitted step function returns fresh arrays of the same sizes on every
/// call, and with glibc's defaults each one is a new mmap (or a heap top trimmed and grown
/// again), so every call pays one page fault per 4 KiB written — more than the kernel for
/// cache-sized arrays. Allocations below 32 MiB then come from the heap, and up to 256 MiB
/// of free heap top is kept. Process-wide; a no-op elsewhere than glibc.
#[pyfunction]
fn _jit_tune_malloc() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn mallopt(param: i32, value: i32) -> i32;
        }
        const M_TRIM_THRESHOLD: i32 = -1;
        const M_MMAP_THRESHOLD: i32 = -3;
        // SAFETY: mallopt only changes glibc's allocation policy.
        unsafe { mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1 && mallopt(M_TRIM_THRESHOLD, 256 << 20) == 1 }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

/// The Cranelift IR generated for kernel `id` so far, and its total compile milliseconds.
#[pyfunction]
fn _jit_info(id: usize) -> PyResult<(String, f64)> {
    let k = oxnp_jit::get(id).ok_or_else(|| PyValueError::new_err("jit: unknown kernel"))?;
    let ir = k.ir.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let ms = *k.compile_ms.lock().unwrap_or_else(|e| e.into_inner());
    Ok((ir, ms))
}

/// The replay cache key of a call and its array arguments in order (python/oxnp/_jit
/// `_guard_objs`): an argument of exactly the type `oxnp.ndarray` or `array_type` is keyed by
/// (type, dtype, shape, index of the first argument that is the same object), anything else
/// by `static_key(value)`; keyword arguments as (name, key). (None, None) when `static_key`
/// raises one of `unguardable`.
#[pyfunction]
fn _jit_guard<'py>(
    py: Python<'py>,
    args: &Bound<'py, PyTuple>,
    kwargs: &Bound<'py, PyDict>,
    array_type: &Bound<'py, PyAny>,
    static_key: &Bound<'py, PyAny>,
    unguardable: &Bound<'py, PyAny>,
) -> PyResult<(Option<Bound<'py, PyTuple>>, Option<Bound<'py, PyList>>)> {
    let objs = PyList::empty(py);
    let mut seen: smallvec::SmallVec<[*mut pyo3::ffi::PyObject; 8]> = smallvec::SmallVec::new();
    let mut key = |a: &Bound<'py, PyAny>| -> PyResult<Option<Bound<'py, PyAny>>> {
        let t = a.get_type();
        let (dtype, shape) = if let Ok(arr) = a.cast_exact::<PyNdArray>() {
            let arr = arr.get().arr();
            (crate::dtype::dtype_object(py, arr.dtype()).clone().into_any(), PyTuple::new(py, arr.shape())?.into_any())
        } else if t.is(array_type) {
            (a.getattr(pyo3::intern!(py, "dtype"))?, a.getattr(pyo3::intern!(py, "shape"))?)
        } else {
            return match static_key.call1((a,)) {
                Ok(k) => Ok(Some(k)),
                Err(e) if e.is_instance(py, unguardable) => Ok(None),
                Err(e) => Err(e),
            };
        };
        objs.append(a)?;
        let id = a.as_ptr();
        let first = seen.iter().position(|&p| p == id).unwrap_or_else(|| {
            seen.push(id);
            seen.len() - 1
        });
        Ok(Some(PyTuple::new(py, [t.into_any(), dtype, shape, first.into_pyobject(py)?.into_any()])?.into_any()))
    };
    let mut parts: Vec<Bound<'py, PyAny>> = Vec::with_capacity(args.len() + kwargs.len());
    for a in args.iter() {
        match key(&a)? {
            Some(k) => parts.push(k),
            None => return Ok((None, None)),
        }
    }
    for (name, a) in kwargs.iter() {
        match key(&a)? {
            Some(k) => parts.push(PyTuple::new(py, [name, k])?.into_any()),
            None => return Ok((None, None)),
        }
    }
    Ok((Some(PyTuple::new(py, parts)?), Some(objs)))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_jit_guard, m)?)?;
    m.add_function(wrap_pyfunction!(_jit_compile, m)?)?;
    m.add_function(wrap_pyfunction!(_jit_run, m)?)?;
    m.add_function(wrap_pyfunction!(_jit_info, m)?)?;
    m.add_function(wrap_pyfunction!(_jit_plan, m)?)?;
    m.add_function(wrap_pyfunction!(_jit_tune_malloc, m)?)?;
    m.add_function(wrap_pyfunction!(_jit_replay, m)?)?;
    m.add_class::<JitPlan>()?;
    Ok(())
}
