//! Vectors quoted in NUMPY_FACTS.md and NumPy's error messages.

use oxnp_random::*;

#[test]
fn legacy_seed_1234() {
    let mut rs = RandomState::new(1234);
    let mut v = [0.0; 5];
    rs.random_sample(&mut v);
    assert_eq!(v, [0.1915194503788923, 0.6221087710398319, 0.4377277390071145, 0.7853585837137692, 0.7799758081188035]);
    let mut rs = RandomState::new(1234);
    rs.standard_normal(&mut v);
    assert_eq!(v, [0.47143516373249306, -1.1909756947064645, 1.4327069684260973, -0.3126518960917129, -0.7205887333650116]);
    let mut rs = RandomState::new(1234);
    let mut i = [0i64; 5];
    rs.randint_i64(0, 10, &mut i).unwrap();
    assert_eq!(i, [3, 6, 5, 4, 8]);
    let mut rs = RandomState::new(1234);
    assert_eq!(rs.permutation(10), vec![7, 2, 9, 1, 0, 8, 4, 5, 6, 3]);
    let mut rs = RandomState::new(1234);
    let mut c = [0i64; 6];
    rs.choice(4, true, Some(&[0.1, 0.2, 0.3, 0.4]), &mut c).unwrap();
    assert_eq!(c, [1, 3, 2, 3, 3, 1]);
}

#[test]
fn gauss_cache_persists() {
    let mut rs = RandomState::new(5);
    let mut all = [0.0; 4];
    rs.standard_normal(&mut all);
    let mut rs = RandomState::new(5);
    let mut a = [0.0; 3];
    let mut b = [0.0; 1];
    rs.standard_normal(&mut a);
    assert!(rs.get_state().has_gauss);
    rs.standard_normal(&mut b);
    assert_eq!(b[0], all[3]);
}

#[test]
fn state_roundtrip() {
    let mut rs = RandomState::new(42);
    let mut v = [0.0; 7];
    rs.standard_normal(&mut v);
    let st = rs.get_state();
    rs.standard_normal(&mut v);
    let mut rs2 = RandomState::new(0);
    rs2.set_state(&st).unwrap();
    let mut w = [0.0; 7];
    rs2.standard_normal(&mut w);
    assert_eq!(v, w);
}

#[test]
fn new_api_vectors() {
    assert_eq!(SeedSequence::from_int(1234).pool(), [2708132060, 1122953978, 1431643488, 1771436]);
    let st = Pcg64::new(1234).state();
    assert_eq!(st.state, 29299324949094424543410418505067287561);
    assert_eq!(st.inc, 107381791681050441119675421997145146149);
    let mut g = generator::default_rng(1234);
    let mut v = [0.0; 3];
    g.random(&mut v);
    assert_eq!(v, [0.9766997666981422, 0.3801957350196178, 0.9232462337639554]);
    let mut g = generator::default_rng(1234);
    g.standard_normal(&mut v);
    assert_eq!(v, [-1.6038368053963015, 0.06409991400376411, 0.7408912958767259]);
    let mut g = generator::default_rng(12345);
    let mut i = [0i64; 3];
    g.integers(0, Some(10), false, &mut i).unwrap();
    assert_eq!(i, [6, 2, 7]);
}

#[test]
fn error_messages() {
    let e = RandomState::from_seed_int(1 << 32).unwrap_err();
    assert_eq!(e, RandomError::Value("Seed must be between 0 and 2**32 - 1".into()));
    assert!(RandomState::from_seed_int(-1).is_err());
    assert_eq!(RandomState::from_seed_array(&[]).unwrap_err().message(), "Seed must be non-empty");
    let mut rs = RandomState::new(0);
    let mut o = [0i8; 2];
    assert_eq!(rs.randint(0, Some(200), &mut o).unwrap_err().message(), "high is out of bounds for int8");
    assert_eq!(rs.randint(-200, Some(0), &mut o).unwrap_err().message(), "low is out of bounds for int8");
    let mut o = [0i64; 2];
    assert_eq!(rs.randint(5, Some(5), &mut o).unwrap_err().message(), "low >= high");
    assert_eq!(rs.randint(0, None, &mut o).unwrap_err().message(), "high <= 0");
    let mut g = generator::default_rng(0);
    assert_eq!(g.integers(5, Some(4), true, &mut o).unwrap_err().message(), "low > high");
    let mut f = [0.0; 2];
    assert_eq!(rs.normal(0.0, -1.0, &mut f).unwrap_err().message(), "scale < 0");
    assert_eq!(rs.choice(3, true, Some(&[0.5, 0.6, 0.1]), &mut o).unwrap_err().message(), "probabilities do not sum to 1");
    let mut o5 = [0i64; 5];
    assert_eq!(
        rs.choice(3, false, None, &mut o5).unwrap_err().message(),
        "Cannot take a larger sample than population when 'replace=False'"
    );
}

#[test]
fn empty_fill_consumes_nothing() {
    let mut rs = RandomState::new(3);
    let before = rs.get_state();
    let mut o: [u8; 0] = [];
    rs.randint(0, Some(10), &mut o).unwrap();
    assert_eq!(rs.get_state(), before);
}
