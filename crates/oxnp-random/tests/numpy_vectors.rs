//! Compare against vectors produced by real NumPy (see gen_vectors.py).

use oxnp_random::*;

const VECTORS: &str = include_str!("vectors.txt");

fn fnv(words: impl Iterator<Item = u64>) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for w in words {
        h = (h ^ w).wrapping_mul(0x100000001b3);
    }
    format!("{h:x}")
}

enum Out {
    F(Vec<f64>),
    F32(Vec<f32>),
    I(Vec<i128>),
    B(Vec<u8>),
}

fn enc(out: &Out, kind: &str) -> String {
    match (out, kind) {
        (Out::F(v), "f64") => v.iter().map(|x| format!("{:016x}", x.to_bits())).collect::<Vec<_>>().join(" "),
        (Out::F(v), "sum64") => format!("{}:{}", v.len(), fnv(v.iter().map(|x| x.to_bits()))),
        (Out::F32(v), "f32") => v.iter().map(|x| format!("{:08x}", x.to_bits())).collect::<Vec<_>>().join(" "),
        (Out::F32(v), "sum32") => format!("{}:{}", v.len(), fnv(v.iter().map(|x| x.to_bits() as u64))),
        (Out::I(v), "i") => v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(" "),
        (Out::I(v), "sum64") => format!("{}:{}", v.len(), fnv(v.iter().map(|&x| (x as f64).to_bits()))),
        (Out::B(v), "b") => v.iter().map(|x| format!("{x:02x}")).collect(),
        _ => panic!("bad kind {kind}"),
    }
}

fn count(kind: &str, expected: &str) -> usize {
    match kind {
        "sum64" | "sum32" => expected.split(':').next().unwrap().parse().unwrap(),
        "b" => expected.len() / 2,
        _ => expected.split_whitespace().count(),
    }
}

fn f(a: &[&str], i: usize) -> f64 {
    a[i].parse().unwrap()
}
fn int(a: &[&str], i: usize) -> i128 {
    a[i].parse().unwrap()
}
fn list(a: &[&str], i: usize) -> Vec<f64> {
    a[i].split(';').map(|x| x.parse().unwrap()).collect()
}
fn ints<T: IntDtype + Into<i128>>(v: Vec<T>) -> Out {
    Out::I(v.into_iter().map(Into::into).collect())
}


macro_rules! by_dtype {
    ($dtype:expr, $n:expr, |$v:ident| $call:expr) => {{
        match $dtype {
            "int8" => { let mut $v = vec![0i8; $n]; $call; ints($v) }
            "uint8" => { let mut $v = vec![0u8; $n]; $call; ints($v) }
            "int16" => { let mut $v = vec![0i16; $n]; $call; ints($v) }
            "uint16" => { let mut $v = vec![0u16; $n]; $call; ints($v) }
            "int32" => { let mut $v = vec![0i32; $n]; $call; ints($v) }
            "uint32" => { let mut $v = vec![0u32; $n]; $call; ints($v) }
            "int64" => { let mut $v = vec![0i64; $n]; $call; ints($v) }
            "uint64" => { let mut $v = vec![0u64; $n]; $call; ints($v) }
            "bool" => { let mut $v = vec![false; $n]; $call; Out::I($v.into_iter().map(|b| b as i128).collect()) }
            d => panic!("dtype {d}"),
        }
    }};
}

fn legacy_case(rs: &mut RandomState, name: &str, a: &[&str], n: usize) -> Out {
    let mut fv = vec![0.0; n];
    let mut iv = vec![0i64; n];
    let fo = |v: Vec<f64>| Out::F(v);
    let io = |v: Vec<i64>| Out::I(v.into_iter().map(|x| x as i128).collect());
    if let Some(dt) = name.strip_prefix("randint:") {
        let (lo, hi) = (int(a, 0), int(a, 1));
        return by_dtype!(dt, n, |v| rs.randint(lo, Some(hi), &mut v).unwrap());
    }
    if let Some(dt) = name.strip_prefix("randint_bcast:") {
        let (lo, hi) = (list(a, 0), list(a, 1));
        let mut s = rs.bounded_sampler();
        macro_rules! bc {
            ($t:ty) => {{
                let v: Vec<$t> = lo
                    .iter()
                    .zip(&hi)
                    .map(|(&l, &h)| {
                        let (off, rng) = int_bounds::<$t>(l as i128, h as i128, false).unwrap();
                        rs.bounded_draw::<$t>(&mut s, off, rng)
                    })
                    .collect();
                v
            }};
        }
        return match dt {
            "int8" => ints(bc!(i8)),
            "uint16" => ints(bc!(u16)),
            "int64" => ints(bc!(i64)),
            "bool" => Out::I(bc!(bool).into_iter().map(|b| b as i128).collect()),
            _ => panic!(),
        };
    }
    match name {
        "random_sample" => { rs.random_sample(&mut fv); fo(fv) }
        "standard_normal" => { rs.standard_normal(&mut fv); fo(fv) }
        "normal" => { rs.normal(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "uniform" => { rs.uniform(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "standard_exponential" => { rs.standard_exponential(&mut fv); fo(fv) }
        "exponential" => { rs.exponential(f(a, 0), &mut fv).unwrap(); fo(fv) }
        "random_integers" => { rs.random_integers(int(a, 0) as i64, Some(int(a, 1) as i64), &mut iv).unwrap(); io(iv) }
        "permutation" => io(rs.permutation(int(a, 0) as usize)),
        "choice" => {
            let p = if a[3].is_empty() { None } else { Some(list(a, 3)) };
            let mut o = vec![0i64; int(a, 1) as usize];
            rs.choice(int(a, 0) as usize, a[2] == "1", p.as_deref(), &mut o).unwrap();
            io(o)
        }
        "bytes" => Out::B(rs.bytes(int(a, 0) as usize)),
        "standard_gamma" => { rs.standard_gamma(f(a, 0), &mut fv).unwrap(); fo(fv) }
        "gamma" => { rs.gamma(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "beta" => { rs.beta(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "binomial" => { rs.binomial(int(a, 0) as i64, f(a, 1), &mut iv).unwrap(); io(iv) }
        "poisson" => { rs.poisson(f(a, 0), &mut iv).unwrap(); io(iv) }
        "geometric" => { rs.geometric(f(a, 0), &mut iv).unwrap(); io(iv) }
        "lognormal" => { rs.lognormal(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "laplace" => { rs.laplace(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "logistic" => { rs.logistic(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "gumbel" => { rs.gumbel(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "chisquare" => { rs.chisquare(f(a, 0), &mut fv).unwrap(); fo(fv) }
        "standard_t" => { rs.standard_t(f(a, 0), &mut fv).unwrap(); fo(fv) }
        "standard_cauchy" => { rs.standard_cauchy(&mut fv); fo(fv) }
        "triangular" => { rs.triangular(f(a, 0), f(a, 1), f(a, 2), &mut fv).unwrap(); fo(fv) }
        "weibull" => { rs.weibull(f(a, 0), &mut fv).unwrap(); fo(fv) }
        "pareto" => { rs.pareto(f(a, 0), &mut fv).unwrap(); fo(fv) }
        "power" => { rs.power(f(a, 0), &mut fv).unwrap(); fo(fv) }
        "rayleigh" => { rs.rayleigh(f(a, 0), &mut fv).unwrap(); fo(fv) }
        "wald" => { rs.wald(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "f" => { rs.f(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "noncentral_chisquare" => { rs.noncentral_chisquare(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "noncentral_f" => { rs.noncentral_f(f(a, 0), f(a, 1), f(a, 2), &mut fv).unwrap(); fo(fv) }
        "vonmises" => { rs.vonmises(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "multinomial" => {
            let p = list(a, 1);
            let mut o = vec![0i64; n * p.len()];
            rs.multinomial(int(a, 0) as i64, &p, &mut o).unwrap();
            io(o)
        }
        "dirichlet" => {
            let al = list(a, 0);
            let mut o = vec![0.0; n * al.len()];
            rs.dirichlet(&al, &mut o).unwrap();
            fo(o)
        }
        "hypergeometric" => { rs.hypergeometric(int(a, 0) as i64, int(a, 1) as i64, int(a, 2) as i64, &mut iv).unwrap(); io(iv) }
        "negative_binomial" => { rs.negative_binomial(f(a, 0), f(a, 1), &mut iv).unwrap(); io(iv) }
        "logseries" => { rs.logseries(f(a, 0), &mut iv).unwrap(); io(iv) }
        "zipf" => { rs.zipf(f(a, 0), &mut iv).unwrap(); io(iv) }
        _ => panic!("unknown legacy fn {name}"),
    }
}

fn gen_case(g: &mut Generator, name: &str, a: &[&str], n: usize) -> Out {
    let mut fv = vec![0.0; n];
    let mut f32v = vec![0f32; n];
    let mut iv = vec![0i64; n];
    let fo = |v: Vec<f64>| Out::F(v);
    let io = |v: Vec<i64>| Out::I(v.into_iter().map(|x| x as i128).collect());
    if let Some(dt) = name.strip_prefix("integers:") {
        let (lo, hi, ep) = (int(a, 0), int(a, 1), a[2] == "1");
        return by_dtype!(dt, n, |v| g.integers(lo, Some(hi), ep, &mut v).unwrap());
    }
    if let Some(dt) = name.strip_prefix("integers_bcast:") {
        let (lo, hi) = (list(a, 0), list(a, 1));
        let mut s = BoundedSampler::new(false);
        macro_rules! bc {
            ($t:ty) => {{
                let v: Vec<$t> = lo
                    .iter()
                    .zip(&hi)
                    .map(|(&l, &h)| {
                        let (off, rng) = int_bounds::<$t>(l as i128, h as i128, false).unwrap();
                        g.bounded_draw::<$t>(&mut s, off, rng)
                    })
                    .collect();
                v
            }};
        }
        return match dt {
            "int8" => ints(bc!(i8)),
            "uint16" => ints(bc!(u16)),
            "int64" => ints(bc!(i64)),
            _ => panic!(),
        };
    }
    match name {
        "random" => { g.random(&mut fv); fo(fv) }
        "random_f32" => { g.random_f32(&mut f32v); Out::F32(f32v) }
        "standard_normal" => { g.standard_normal(&mut fv); fo(fv) }
        "standard_normal_f32" => { g.standard_normal_f32(&mut f32v); Out::F32(f32v) }
        "normal" => { g.normal(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "uniform" => { g.uniform(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "standard_exponential" => { g.standard_exponential(&mut fv); fo(fv) }
        "standard_exponential_f32" => { g.standard_exponential_f32(&mut f32v); Out::F32(f32v) }
        "exponential" => { g.exponential(f(a, 0), &mut fv).unwrap(); fo(fv) }
        "standard_gamma" => { g.standard_gamma(f(a, 0), &mut fv).unwrap(); fo(fv) }
        "gamma" => { g.gamma(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "beta" => { g.beta(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "poisson" => { g.poisson(f(a, 0), &mut iv).unwrap(); io(iv) }
        "permutation" => io(g.permutation(int(a, 0) as usize)),
        "choice" => {
            let p = if a[3].is_empty() { None } else { Some(list(a, 3)) };
            let mut o = vec![0i64; int(a, 1) as usize];
            g.choice(int(a, 0) as usize, a[2] == "1", p.as_deref(), a[4] == "1", &mut o).unwrap();
            io(o)
        }
        "permuted" => {
            let (r, c) = (int(a, 0) as usize, int(a, 1) as usize);
            let mut x: Vec<i64> = (0..(r * c) as i64).collect();
            g.permuted(&mut x, &[r, c], Some(int(a, 2) as usize));
            io(x)
        }
        "standard_gamma_f32" => { g.standard_gamma_f32(f(a, 0) as f32, &mut f32v).unwrap(); Out::F32(f32v) }
        "lognormal" => { g.lognormal(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "laplace" => { g.laplace(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "logistic" => { g.logistic(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "gumbel" => { g.gumbel(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "chisquare" => { g.chisquare(f(a, 0), &mut fv).unwrap(); fo(fv) }
        "noncentral_chisquare" => { g.noncentral_chisquare(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "f" => { g.f(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "noncentral_f" => { g.noncentral_f(f(a, 0), f(a, 1), f(a, 2), &mut fv).unwrap(); fo(fv) }
        "standard_t" => { g.standard_t(f(a, 0), &mut fv).unwrap(); fo(fv) }
        "standard_cauchy" => { g.standard_cauchy(&mut fv); fo(fv) }
        "triangular" => { g.triangular(f(a, 0), f(a, 1), f(a, 2), &mut fv).unwrap(); fo(fv) }
        "weibull" => { g.weibull(f(a, 0), &mut fv).unwrap(); fo(fv) }
        "pareto" => { g.pareto(f(a, 0), &mut fv).unwrap(); fo(fv) }
        "power" => { g.power(f(a, 0), &mut fv).unwrap(); fo(fv) }
        "rayleigh" => { g.rayleigh(f(a, 0), &mut fv).unwrap(); fo(fv) }
        "vonmises" => { g.vonmises(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "wald" => { g.wald(f(a, 0), f(a, 1), &mut fv).unwrap(); fo(fv) }
        "binomial" => { g.binomial(int(a, 0) as i64, f(a, 1), &mut iv).unwrap(); io(iv) }
        "geometric" => { g.geometric(f(a, 0), &mut iv).unwrap(); io(iv) }
        "logseries" => { g.logseries(f(a, 0), &mut iv).unwrap(); io(iv) }
        "zipf" => { g.zipf(f(a, 0), &mut iv).unwrap(); io(iv) }
        "negative_binomial" => { g.negative_binomial(f(a, 0), f(a, 1), &mut iv).unwrap(); io(iv) }
        "hypergeometric" => { g.hypergeometric(int(a, 0) as i64, int(a, 1) as i64, int(a, 2) as i64, &mut iv).unwrap(); io(iv) }
        "multinomial" => {
            let p = list(a, 1);
            let mut o = vec![0i64; n * p.len()];
            g.multinomial_rows(int(a, 0) as i64, &p, &mut o, &mut BinomialCache::default());
            io(o)
        }
        "dirichlet" => {
            let al = list(a, 0);
            let mut o = vec![0.0; n * al.len()];
            g.dirichlet(&al, &mut o).unwrap();
            fo(o)
        }
        "mvhg_count" | "mvhg_marginals" => {
            let c: Vec<i64> = list(a, 0).into_iter().map(|x| x as i64).collect();
            let mut o = vec![0i64; n * c.len()];
            g.multivariate_hypergeometric(&c, int(a, 1) as i64, name == "mvhg_count", &mut o).unwrap();
            io(o)
        }
        "shuffle2d" => {
            let (r, c) = (int(a, 0) as usize, int(a, 1) as usize);
            let mut x: Vec<i64> = (0..(r * c) as i64).collect();
            g.shuffle_rows(&mut x, c, r);
            io(x)
        }
        _ => panic!("unknown gen fn {name}"),
    }
}

fn legacy_state(rs: &RandomState) -> String {
    let st = rs.get_state();
    format!("{};{};{:016x};{}", st.pos, st.has_gauss as u8, st.gauss.to_bits(), fnv(st.key.iter().map(|&k| k as u64)))
}

fn gen_state(g: &mut Generator) -> String {
    let s = g.bit_generator().state();
    format!("{};{};{};{}", s.state, s.inc, s.has_uint32 as u8, s.uinteger)
}

fn seed_words(s: &str) -> Vec<u32> {
    if let Some(l) = s.strip_prefix("a:") {
        l.split(';').flat_map(|x| int_to_words(x.parse().unwrap())).collect()
    } else {
        int_to_words(s.parse().unwrap())
    }
}

#[test]
fn numpy_vectors() {
    let mut failures = Vec::new();
    let mut counts = std::collections::BTreeMap::<String, (usize, usize)>::new();
    for line in VECTORS.lines().filter(|l| !l.is_empty()) {
        let fields: Vec<&str> = line.split('|').collect();
        let [api, seed, name, args, kind, expected, state] = fields[..] else { panic!("bad line {line}") };
        let a: Vec<&str> = if args.is_empty() { vec![] } else { args.split(',').collect() };
        let n = if kind == "b" || name.contains("_bcast") { 0 } else { count(kind, expected) };
        let (got, got_state) = match api {
            "L" => {
                let mut rs = if let Some(l) = seed.strip_prefix("a:") {
                    RandomState::from_seed_array(&l.split(';').map(|x| x.parse().unwrap()).collect::<Vec<i64>>()).unwrap()
                } else {
                    RandomState::from_seed_int(seed.parse().unwrap()).unwrap()
                };
                let n = match name {
                    "multinomial" => n / list(&a, 1).len(),
                    "dirichlet" => n / list(&a, 0).len(),
                    _ => n,
                };
                let out = legacy_case(&mut rs, name, &a, n);
                (enc(&out, kind), legacy_state(&rs))
            }
            "G" => {
                let mut g = generator::default_rng(seed.parse().unwrap());
                let n = match name {
                    "multinomial" => n / list(&a, 1).len(),
                    "dirichlet" | "mvhg_count" | "mvhg_marginals" => n / list(&a, 0).len(),
                    _ => n,
                };
                let out = gen_case(&mut g, name, &a, n);
                (enc(&out, kind), gen_state(&mut g))
            }
            "B" => {
                let ss = SeedSequence::from_int(seed.parse().unwrap());
                fn run<B: BitGen>(mut b: B, raw32: bool) -> (String, String) {
                    let raw: Vec<String> =
                        (0..6).map(|_| if raw32 { b.next_u32() as u64 } else { b.next_u64() }.to_string()).collect();
                    let mut g = Generator::new(b);
                    let mut u = vec![0u32; 5];
                    g.integers(0, Some(1 << 32), false, &mut u).unwrap();
                    let mut d = vec![0.0; 5];
                    g.random(&mut d);
                    let s = raw.join(" ") + " " + &u.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(" ");
                    (s, enc(&Out::F(d), "f64"))
                }
                match name {
                    "PCG64" => run(Pcg64::from_seed_sequence(&ss), false),
                    "PCG64DXSM" => run(Pcg64Dxsm::from_seed_sequence(&ss), false),
                    "MT19937" => run(Mt19937::from_seed_sequence(&ss), true),
                    "Philox" => run(Philox::from_seed_sequence(&ss), false),
                    "SFC64" => run(Sfc64::from_seed_sequence(&ss), false),
                    _ => panic!(),
                }
            }
            "S" => {
                let mut ss = SeedSequence::new(&seed_words(seed), &[]);
                let child = ss.spawn(2).pop().unwrap();
                let mut v: Vec<String> = ss.pool().iter().map(|x| x.to_string()).collect();
                v.extend(ss.generate_state_u32(6).iter().map(|x| x.to_string()));
                v.extend(child.generate_state_u32(5).iter().map(|x| x.to_string()));
                (v.join(" "), String::new())
            }
            _ => panic!(),
        };
        let key = format!("{api}:{name}");
        let e = counts.entry(key).or_default();
        e.0 += 1;
        if got != expected || got_state != state {
            e.1 += 1;
            failures.push(format!(
                "{api} seed={seed} {name}({args}) [{kind}]\n  want {expected}\n  got  {got}\n  state want {state}\n  state got  {got_state}"
            ));
        }
    }
    let total: usize = counts.values().map(|c| c.0).sum();
    eprintln!("{total} NumPy cases checked");
    for (k, (n, bad)) in &counts {
        if *bad > 0 {
            eprintln!("  {k}: {bad}/{n} failed");
        }
    }
    if !failures.is_empty() {
        for f in failures.iter().take(12) {
            eprintln!("{f}");
        }
        panic!("{} of {} cases differ from NumPy", failures.len(), total);
    }
}
