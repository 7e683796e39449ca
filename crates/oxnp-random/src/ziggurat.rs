//! Ziggurat normal and exponential samplers used by `Generator`.

use crate::bitgen::{next_float, BitGen};
use crate::ziggurat_tables::*;

const ZIGGURAT_NOR_R: f64 = 3.6541528853610087963519472518;
const ZIGGURAT_NOR_INV_R: f64 = 0.27366123732975827203338247596;
const ZIGGURAT_EXP_R: f64 = 7.6971174701310497140446280481;
const ZIGGURAT_NOR_R_F: f32 = 3.6541528853610087963519472518;
const ZIGGURAT_NOR_INV_R_F: f32 = 0.27366123732975827203338247596;
const ZIGGURAT_EXP_R_F: f32 = 7.6971174701310497140446280481;

pub(crate) fn standard_normal<B: BitGen + ?Sized>(b: &mut B) -> f64 {
    loop {
        let mut r = b.next_u64();
        let idx = (r & 0xff) as usize;
        r >>= 8;
        let sign = r & 1;
        let rabs = (r >> 1) & 0x000f_ffff_ffff_ffff;
        let mut x = rabs as f64 * WI_DOUBLE[idx];
        if sign != 0 {
            x = -x;
        }
        if rabs < KI_DOUBLE[idx] {
            return x;
        }
        if idx == 0 {
            loop {
                let xx = -ZIGGURAT_NOR_INV_R * (-b.next_double()).ln_1p();
                let yy = -(-b.next_double()).ln_1p();
                if yy + yy > xx * xx {
                    return if (rabs >> 8) & 1 != 0 { -(ZIGGURAT_NOR_R + xx) } else { ZIGGURAT_NOR_R + xx };
                }
            }
        } else if (FI_DOUBLE[idx - 1] - FI_DOUBLE[idx]) * b.next_double() + FI_DOUBLE[idx] < (-0.5 * x * x).exp() {
            return x;
        }
    }
}

pub(crate) fn standard_normal_f32<B: BitGen + ?Sized>(b: &mut B) -> f32 {
    loop {
        let r = b.next_u32();
        let idx = (r & 0xff) as usize;
        let sign = (r >> 8) & 1;
        let rabs = (r >> 9) & 0x007f_ffff;
        let mut x = rabs as f32 * WI_FLOAT[idx];
        if sign != 0 {
            x = -x;
        }
        if rabs < KI_FLOAT[idx] {
            return x;
        }
        if idx == 0 {
            loop {
                let xx = -ZIGGURAT_NOR_INV_R_F * (-next_float(b)).ln_1p();
                let yy = -(-next_float(b)).ln_1p();
                if yy + yy > xx * xx {
                    return if (rabs >> 8) & 1 != 0 { -(ZIGGURAT_NOR_R_F + xx) } else { ZIGGURAT_NOR_R_F + xx };
                }
            }
        } else if (FI_FLOAT[idx - 1] - FI_FLOAT[idx]) * next_float(b) + FI_FLOAT[idx] < (-0.5f32 * x * x).exp() {
            return x;
        }
    }
}

pub(crate) fn standard_exponential<B: BitGen + ?Sized>(b: &mut B) -> f64 {
    loop {
        let mut ri = b.next_u64() >> 3;
        let idx = (ri & 0xff) as usize;
        ri >>= 8;
        let x = ri as f64 * WE_DOUBLE[idx];
        if ri < KE_DOUBLE[idx] {
            return x;
        }
        if idx == 0 {
            return ZIGGURAT_EXP_R - (-b.next_double()).ln_1p();
        } else if (FE_DOUBLE[idx - 1] - FE_DOUBLE[idx]) * b.next_double() + FE_DOUBLE[idx] < (-x).exp() {
            return x;
        }
    }
}

pub(crate) fn standard_exponential_f32<B: BitGen + ?Sized>(b: &mut B) -> f32 {
    loop {
        let mut ri = b.next_u32() >> 1;
        let idx = (ri & 0xff) as usize;
        ri >>= 8;
        let x = ri as f32 * WE_FLOAT[idx];
        if ri < KE_FLOAT[idx] {
            return x;
        }
        if idx == 0 {
            return ZIGGURAT_EXP_R_F - (-next_float(b)).ln_1p();
        } else if (FE_FLOAT[idx - 1] - FE_FLOAT[idx]) * next_float(b) + FE_FLOAT[idx] < (-x).exp() {
            return x;
        }
    }
}
