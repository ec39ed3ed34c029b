//! The crate's only `unsafe`: `gemm::gemm` (flex's own GEMM) on checked slices, split across threads as
//! [`super::threads`] measures best.
#![allow(unsafe_code)]

/// A logical `rows × cols` f32 matrix over a row-major buffer: `[rows, cols]`, or `[cols, rows]` read transposed.
#[derive(Clone, Copy)]
pub(crate) struct Mat<'a> {
    pub data: &'a [f32],
    pub rows: usize,
    pub cols: usize,
    pub transposed: bool,
}

impl<'a> Mat<'a> {
    /// `data` as a row-major `[rows, cols]` matrix.
    pub fn new(data: &'a [f32], rows: usize, cols: usize) -> Self {
        Self { data, rows, cols, transposed: false }
    }

    /// The transpose, as a view (no copy).
    pub fn t(self) -> Self {
        Self { rows: self.cols, cols: self.rows, transposed: !self.transposed, ..self }
    }

    /// (row stride, column stride) in elements.
    fn strides(&self) -> (isize, isize) {
        if self.transposed { (1, self.rows as isize) } else { (self.cols as isize, 1) }
    }
}

/// `dst = a·b`, or `dst += a·b` with [`gemm_add`]. Panics on mismatched shapes (a bug in the caller, not input).
pub(crate) fn gemm_set(dst: &mut [f32], a: Mat, b: Mat) {
    gemm(dst, false, a, b);
}

/// `dst += a·b`.
pub(crate) fn gemm_add(dst: &mut [f32], a: Mat, b: Mat) {
    gemm(dst, true, a, b);
}

/// `dst = (a·b)ᵀ`, row-major `[b.cols, a.rows]`. For `a·bᵀ` with `b` row-major this runs at the GEMM's full rate
/// where `gemm_set` does not: `gemm` transposes a product with a row-major output, which makes the row-major `b`
/// its left operand, and packs that far slower (∂L/∂x = δ·Wᵀ of a 1024-wide layer, batch 256: 142 GFLOP/s
/// against 240 for the other products of the step, one thread).
pub(crate) fn gemm_set_transposed(dst: &mut [f32], a: Mat, b: Mat) {
    gemm_into(dst, Layout::ColumnMajor, false, a, b);
}

#[derive(Clone, Copy, PartialEq)]
enum Layout {
    RowMajor,
    ColumnMajor,
}

fn gemm(dst: &mut [f32], read_dst: bool, a: Mat, b: Mat) {
    gemm_into(dst, Layout::RowMajor, read_dst, a, b);
}

fn gemm_into(dst: &mut [f32], layout: Layout, read_dst: bool, a: Mat, b: Mat) {
    let (m, k, n) = (a.rows, a.cols, b.cols);
    assert!(b.rows == k && dst.len() == m * n, "gemm: [{m}, {k}]·[{}, {n}] into {} elements", b.rows, dst.len());
    assert!(a.data.len() == m * k && b.data.len() == k * n, "gemm: operand buffers do not match their shapes");
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !read_dst {
            dst.fill(0.0);
        }
        return;
    }
    let ((a_rs, a_cs), (b_rs, b_cs)) = (a.strides(), b.strides());
    let (dst_cs, dst_rs) = match layout {
        Layout::RowMajor => (1, n as isize),
        Layout::ColumnMajor => (m as isize, 1),
    };
    super::threads::run(m, n, k, |parallelism| {
        // SAFETY: every pointer comes from a live slice whose length was checked above against the extent the
        // strides reach (m×n for dst, row- or column-major, m×k and k×n for the operands, read transposed
        // through swapped strides); dst is borrowed mutably, so it aliases neither operand.
        unsafe {
            gemm::gemm(
                m,
                n,
                k,
                dst.as_mut_ptr(),
                dst_cs,
                dst_rs,
                read_dst,
                a.data.as_ptr(),
                a_cs,
                a_rs,
                b.data.as_ptr(),
                b_cs,
                b_rs,
                1.0,
                1.0,
                false,
                false,
                false,
                parallelism,
            );
        }
    });
}
