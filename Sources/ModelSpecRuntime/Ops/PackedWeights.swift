import CConvolution
import Synchronization

/// Weights packed once for the kernels that stream them, kept with the tensor's buffer.
///
/// `dense` reads its kernel as panels of 16 columns (`CConvolution`'s `csgemm_run`) and `conv2d`
/// its filter as blocks of 16 output channels (`CConvolution`), or transformed into Winograd's
/// domain (`cwino_pack_filter`). Packing costs a
/// pass over the weights, as much as a whole call at batch 1, so the packed form
/// is made on the first call and stored on the weight tensor's buffer: a model's
/// variables keep their buffers from call to call, so later calls find it.
///
/// It stays valid when variables change: buffers are copy-on-write, so `assign`
/// and checkpoint loading give a variable a new buffer (with nothing packed), and
/// a write in place (`assignAdd`, `withUnsafeMutableBufferPointer`) drops the
/// packed forms first (`Tensor.ensureUnique`). Each form is keyed by the shape it was
/// packed for, since reshaped tensors share a buffer, and a buffer keeps a few (a TF1
/// recurrent kernel's input rows and state rows are two blocks of one tensor).
enum PackedWeights {
    /// Guards every buffer's `derived` slot: tensors are `Sendable`, so two threads
    /// may run layers sharing a weight tensor.
    private static let lock = Mutex(())

    /// `matrix` (`[k, n]`, row-major) packed for `csgemm_run`.
    static func matrix(_ matrix: Tensor, k: Int, n: Int) -> TensorBuffer<Float> {
        return packed(matrix, key: PackedForm.Key(k, n, -1, -1), count: csgemm_packed_count(Int32(k), Int32(n))) { source, packed in
            csgemm_pack(Int32(k), Int32(n), source, Int32(n), packed)
        }
    }

    /// A `rows × n` block of the row-major scalars of `matrix`, from scalar `start`, rows
    /// `stride` scalars apart, packed for `csgemm_run`: the state's part of a recurrent kernel
    /// (rows of TF1's `[input + state, gates]`, columns of a Keras GRU's `recurrent_kernel`).
    static func block(_ matrix: Tensor, start: Int, stride: Int, rows: Int, n: Int) -> TensorBuffer<Float> {
        return packed(matrix, key: PackedForm.Key(rows, n, -2 - stride, start), count: csgemm_packed_count(Int32(rows), Int32(n))) { source, packed in
            csgemm_pack(Int32(rows), Int32(n), source + start, Int32(stride), packed)
        }
    }

    /// An HWIO `filter` packed for `cconv_run` with `geometry`'s channel counts.
    static func filter(_ filter: Tensor, geometry: cconv_geometry) -> TensorBuffer<Float> {
        var g = geometry
        return packed(filter, key: PackedForm.Key(Int(g.kh), Int(g.kw), Int(g.c), Int(g.o)), count: cconv_packed_filter_count(&g)) { source, packed in
            cconv_pack_filter(&g, source, packed)
        }
    }

    /// An HWIO 3×3 `filter` transformed and packed for `cwino_run` (Winograd's F(2×2, 3×3)) with
    /// `geometry`'s channel counts.
    static func winogradFilter(_ filter: Tensor, geometry: cconv_geometry) -> TensorBuffer<Float> {
        var g = geometry
        return packed(filter, key: PackedForm.Key(Int(g.kh), Int(g.c), Int(g.o), -3), count: cwino_packed_filter_count(&g)) { source, packed in
            cwino_pack_filter(&g, source, packed)
        }
    }

    /// The packed scalars (the caller keeps the buffer alive while it reads them:
    /// another thread may drop the tensor's packed form).
    private static func packed(_ tensor: Tensor, key: PackedForm.Key, count: Int,
                               pack: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> TensorBuffer<Float> {
        let storage = tensor.storage
        return lock.withLock { _ in
            let forms = storage.derived as? PackedForms ?? PackedForms()
            if let scalars = forms.scalars(for: key) { return scalars }
            let scalars = TensorBuffer<Float>(uninitializedCount: count)
            pack(storage.base, scalars.base)
            forms.add(PackedForm(key: key, scalars: scalars))
            storage.derived = forms
            return scalars
        }
    }
}

/// The packed forms of one buffer: usually one, two for a TF1 recurrent kernel, whose input rows
/// and state rows are packed as blocks of their own (the input projection and the state's product).
private final class PackedForms {
    /// More forms than any layer uses; beyond it the oldest is dropped (a buffer read under
    /// many shapes, by reshapes, is packed again rather than growing without end).
    static let limit = 4
    private(set) var forms: [PackedForm] = []

    func scalars(for key: PackedForm.Key) -> TensorBuffer<Float>? {
        for form in forms where form.key == key { return form.scalars }
        return nil
    }

    func add(_ form: PackedForm) {
        if forms.count == Self.limit { forms.removeFirst() }
        forms.append(form)
    }
}

/// Packed scalars and the shape they were packed for.
private final class PackedForm {
    /// A matrix's `[k, n, -1, -1]`, a block's `[rows, n, -2 - stride, start]`, a filter's
    /// `[kh, kw, c, o]` or a Winograd-transformed filter's `[kh, c, o, -3]` (channel counts
    /// and starts are never negative, so they never meet), without allocating on every call.
    struct Key: Equatable {
        var a: Int, b: Int, c: Int, d: Int
        init(_ a: Int, _ b: Int, _ c: Int, _ d: Int) { (self.a, self.b, self.c, self.d) = (a, b, c, d) }
    }

    let key: Key
    let scalars: TensorBuffer<Float>

    init(key: Key, scalars: TensorBuffer<Float>) {
        self.key = key
        self.scalars = scalars
    }
}
